/* runc kill <container-id> [signal].  */
#include "config.h"

#include "cli.h"
#include "signals.h"

enum
{
  KILL_ALL,
  KILL_N_FLAGS
};

static const cli_flag kill_flags[KILL_N_FLAGS] = {
  /* Obsolete in runc: accepted, not shown; only relaxes "not running".  */
  [KILL_ALL] = { "all", "a", CLI_BOOL, "send the signal to every process of the container", NULL,
                 true },
};

static int
kill_run (cli_global *g, const cli_parsed *p)
{
  const char *signame = p->n_args > 1 ? p->args[1] : "SIGTERM";
  rt_error err = { 0 };
  int sig;

  if (sig_parse (signame, &sig, &err) < 0)
    return cli_fatal (1, "%s", err.msg);
  if (rt_container_kill (&g->ctx, p->args[0], sig, p->v[KILL_ALL].b, &err) < 0)
    return cli_fatal (1, "%s", err.msg);
  return 0;
}

const cli_command cmd_kill = {
  .name = "kill",
  .usage = "send a signal (default SIGTERM) to a container's init process",
  .args_usage = "<container-id> [signal]\n"
                "\n"
                "<container-id> names the container; [signal] is a number or a name, with or\n"
                "without the SIG prefix, in any case (9, KILL, sigkill).\n"
                "\n"
                "EXAMPLE:\n"
                "Send SIGKILL to the init process of container \"web1\":\n"
                "\n"
                "       # runc kill web1 KILL",
  .flags = kill_flags,
  .n_flags = KILL_N_FLAGS,
  /* Everything after the ID is the signal, even if it starts with '-'.  */
  .stop_at_arg = true,
  .min_args = 1,
  .max_args = 2,
  .needs_state = true,
  .run = kill_run,
};
