/* runc start <container-id>: run the user process of a created container.  */
#include "config.h"

#include <stdlib.h>

#include "cli.h"

static int
start_run (cli_global *g, const cli_parsed *p)
{
  rt_error err = { 0 };

  if (rt_container_start_notify (&g->ctx, p->args[0], getenv ("NOTIFY_SOCKET"), &err) < 0)
    return cli_fatal (1, "%s", err.msg);
  return 0;
}

const cli_command cmd_start = {
  .name = "start",
  .usage = "start the process of a created container",
  .args_usage = "<container-id>\n"
                "\n"
                "<container-id> names a container in the \"created\" state.",
  .description = "Run the process given by \"process.args\" in a container made by\n"
                 "\"runc create\".",
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = start_run,
};
