/* exec: run another process in a running container.  Runtime errors exit
 * with 255, so they are told apart from the exit status of the process.  */
#include "config.h"

#include <stdlib.h>

#include "cli.h"
#include "container.h"
#include "util.h"

static int
exec_run (cli_global *g, const cli_parsed *p)
{
  rt_exec_opts o = { 0 };
  rt_error err = { 0 };
  _cleanup_free_ uint32_t *gids = NULL;
  int status = 0;

  o.id = p->args[0];
  o.args = p->args + 1;
  o.n_args = p->n_args - 1;
  o.process_file = p->v[EXEC_PROCESS].s;
  o.console_socket = p->v[EXEC_CONSOLE_SOCKET].s;
  o.pidfd_socket = p->v[EXEC_PIDFD_SOCKET].s;
  o.cwd = p->v[EXEC_CWD].s;
  o.env = (char *const *) p->v[EXEC_ENV].strv;
  o.n_env = p->v[EXEC_ENV].n;
  o.tty = p->v[EXEC_TTY].b;
  o.user = p->v[EXEC_USER].s;
  if (p->v[EXEC_ADDITIONAL_GIDS].n)
    {
      gids = xmalloc (p->v[EXEC_ADDITIONAL_GIDS].n * sizeof *gids);
      for (size_t i = 0; i < p->v[EXEC_ADDITIONAL_GIDS].n; i++)
        {
          int64_t v = p->v[EXEC_ADDITIONAL_GIDS].intv[i];
          if (v < 0 || v > UINT32_MAX)
            return cli_fatal (255, "exec failed: additional gid %lld is out of range", (long long) v);
          gids[i] = (uint32_t) v;
        }
      o.additional_gids = gids;
      o.n_additional_gids = p->v[EXEC_ADDITIONAL_GIDS].n;
    }
  o.detach = p->v[EXEC_DETACH].b;
  o.pid_file = p->v[EXEC_PID_FILE].s;
  o.process_label = p->v[EXEC_PROCESS_LABEL].s;
  o.apparmor = p->v[EXEC_APPARMOR].s;
  o.no_new_privs = p->v[EXEC_NO_NEW_PRIVS].set ? p->v[EXEC_NO_NEW_PRIVS].b : -1;
  o.caps = (char *const *) p->v[EXEC_CAP].strv;
  o.n_caps = p->v[EXEC_CAP].n;
  o.preserve_fds = (int) p->v[EXEC_PRESERVE_FDS].i;
  o.cgroups = (char *const *) p->v[EXEC_CGROUP].strv;
  o.n_cgroups = p->v[EXEC_CGROUP].n;
  o.ignore_paused = p->v[EXEC_IGNORE_PAUSED].b;

  if (rt_container_exec (&g->ctx, &o, &status, &err) < 0)
    return cli_fatal (255, "exec failed: %s", err.msg);
  return status;
}

const cli_command cmd_exec = {
  .name = "exec",
  .usage = "run another process inside a container",
  .args_usage = "<container-id> <command> [argument...]  |  -p process.json <container-id>\n"
                "\n"
                "<container-id> names the container and <command> is what to run in it, with\n"
                "its arguments; <command> may only be left out when -p gives the process.\n"
                "Options for exec itself must come before <container-id>.\n"
                "\n"
                "EXAMPLE:\n"
                "List the processes of container \"web1\" with its own ps:\n"
                "\n"
                "       # runc exec web1 ps",
  .flags = exec_flags,
  .n_flags = EXEC_N_FLAGS,
  .stop_at_arg = true,
  .min_args = 1,
  .max_args = -1,
  .needs_state = true,
  .fail_code = 255,
  .run = exec_run,
};
