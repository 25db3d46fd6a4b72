/* runc delete [--force] <container-id>.  */
#include "config.h"

#include "cli.h"

enum
{
  DELETE_FORCE,
  DELETE_N_FLAGS
};

static const cli_flag delete_flags[DELETE_N_FLAGS] = {
  [DELETE_FORCE] = { "force", "f", CLI_BOOL,
                     "kill the container with SIGKILL first if it is still running", NULL, false },
};

static int
delete_run (cli_global *g, const cli_parsed *p)
{
  rt_error err = { 0 };

  if (rt_container_delete (&g->ctx, p->args[0], p->v[DELETE_FORCE].b, &err) < 0)
    return cli_fatal (1, "%s", err.msg);
  return 0;
}

const cli_command cmd_delete = {
  .name = "delete",
  .usage = "remove a container and everything it holds",
  .args_usage = "<container-id>\n"
                "\n"
                "<container-id> names the container to remove: its state, cgroup and helper\n"
                "processes.  A container that is still running is refused unless --force is\n"
                "given.\n"
                "\n"
                "EXAMPLE:\n"
                "Remove container \"web1\" once \"runc list\" shows it as \"stopped\":\n"
                "\n"
                "       # runc delete web1",
  .flags = delete_flags,
  .n_flags = DELETE_N_FLAGS,
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = delete_run,
};
