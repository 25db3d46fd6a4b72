/* runc run <container-id>: create and start, then (unless detached) stay
 * as the container's parent and exit with its status.  */
#include "config.h"

#include "cli.h"

/* The exit status of run is the container's.  */
static int
run_run (cli_global *g, const cli_parsed *p)
{
  return cli_create_or_run (g, p, true);
}

const cli_command cmd_run = {
  .name = "run",
  .usage = "create a container and run it",
  .args_usage = "<container-id>\n"
                "\n"
                "<container-id> names the new container; it must be unique within the state root.",
  .description = "Create a container from a bundle and start it at once, like \"runc create\"\n"
                 "followed by \"runc start\".  In the foreground the runtime stays the\n"
                 "container's parent: it forwards signals, relays the terminal, exits with the\n"
                 "container's exit status (128+N when killed by signal N) and removes the\n"
                 "container unless --keep is given.  With --detach it returns once the\n"
                 "container runs.",
  .flags = run_flags,
  .n_flags = RUN_N_FLAGS,
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = run_run,
};
