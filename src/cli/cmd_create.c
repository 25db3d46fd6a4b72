/* runc create <container-id>: set the container up and leave its init
 * waiting for `start`.  */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "listen_fds.h"
#include "util.h"

/* create's flags, followed by run's own.  */
const cli_flag run_flags[RUN_N_FLAGS] = {
  [CREATE_BUNDLE] = { "bundle", "b", CLI_STRING,
                      "bundle directory (config.json and rootfs), default: the current directory",
                      NULL, false },
  [CREATE_CONSOLE_SOCKET] = { "console-socket", NULL, CLI_STRING,
                              "AF_UNIX socket that receives the master side of the container's "
                              "pseudoterminal (process.terminal)",
                              NULL, false },
  [CREATE_PIDFD_SOCKET] = { "pidfd-socket", NULL, CLI_STRING,
                            "AF_UNIX socket that receives a pidfd of the container's init", NULL,
                            false },
  [CREATE_PID_FILE] = { "pid-file", NULL, CLI_STRING, "write the init's host PID to this file",
                        NULL, false },
  [CREATE_NO_PIVOT] = { "no-pivot", NULL, CLI_BOOL,
                        "enter the rootfs with MS_MOVE and chroot instead of pivot_root (needed "
                        "when the rootfs is on a ramdisk)",
                        NULL, false },
  [CREATE_NO_NEW_KEYRING] = { "no-new-keyring", NULL, CLI_BOOL,
                              "keep the caller's session keyring instead of creating a new one",
                              NULL, false },
  [CREATE_PRESERVE_FDS] = { "preserve-fds", NULL, CLI_INT,
                            "pass N more file descriptors to the container, after stdio and "
                            "$LISTEN_FDS",
                            "0", false },
  [RUN_DETACH] = { "detach", "d", CLI_BOOL, "return once the container runs instead of waiting",
                   NULL, false },
  [RUN_KEEP] = { "keep", NULL, CLI_BOOL,
                 "keep the container's state and cgroup after it exits (remove with delete)",
                 NULL, false },
  [RUN_NO_SUBREAPER] = { "no-subreaper", NULL, CLI_BOOL,
                         "do not become a subreaper for the container's orphaned processes", NULL,
                         false },
};

/* rt_create_opts from the flags; the path flags are made absolute into
   owned[].  Returns 0 or the exit code of a reported error.  */
static int
create_opts (const cli_parsed *p, bool run, rt_create_opts *o, char *owned[3])
{
  memset (o, 0, sizeof *o);
  if (p->v[CREATE_PRESERVE_FDS].i < 0 || p->v[CREATE_PRESERVE_FDS].i > 1 << 20)
    return cli_fatal (1, "runc %s failed: --preserve-fds %lld is out of range", run ? "run" : "create",
                      (long long) p->v[CREATE_PRESERVE_FDS].i);
  o->id = p->args[0];
  o->bundle = cli_str (p, CREATE_BUNDLE);
  /* Relative paths are relative to where the caller stands, not to the
     bundle the runtime may move into.  */
  owned[0] = cli_abs_path (cli_str (p, CREATE_PID_FILE));
  owned[1] = cli_abs_path (cli_str (p, CREATE_CONSOLE_SOCKET));
  owned[2] = cli_abs_path (cli_str (p, CREATE_PIDFD_SOCKET));
  o->pid_file = owned[0];
  o->console_socket = owned[1];
  o->pidfd_socket = owned[2];
  o->no_pivot = p->v[CREATE_NO_PIVOT].b;
  o->no_new_keyring = p->v[CREATE_NO_NEW_KEYRING].b;
  o->preserve_fds = (int) p->v[CREATE_PRESERVE_FDS].i;
  /* The service manager's hand-offs, passed on to the container.  */
  o->notify_socket = getenv ("NOTIFY_SOCKET");
  o->listen_fds = listen_fds_count (getenv ("LISTEN_PID"), getenv ("LISTEN_FDS"), getpid ());
  o->listen_fdnames = o->listen_fds ? getenv ("LISTEN_FDNAMES") : NULL;
  if (run)
    {
      o->detach = p->v[RUN_DETACH].b;
      o->keep = p->v[RUN_KEEP].b;
      o->no_subreaper = p->v[RUN_NO_SUBREAPER].b;
    }
  return 0;
}

int
cli_create_or_run (cli_global *g, const cli_parsed *p, bool run)
{
  char *owned[3] = { NULL, NULL, NULL };
  rt_error err = { 0 };
  rt_create_opts o;
  int ret, status = 0;

  ret = create_opts (p, run, &o, owned);
  if (ret == 0)
    {
      if ((run ? rt_container_run (&g->ctx, &o, &status, &err)
               : rt_container_create (&g->ctx, &o, &err))
          < 0)
        ret = cli_fatal (1, "runc %s failed: %s", run ? "run" : "create", err.msg);
      else
        ret = status;
    }
  for (size_t i = 0; i < ARRAY_SIZE (owned); i++)
    free (owned[i]);
  return ret;
}

static int
create_run (cli_global *g, const cli_parsed *p)
{
  return cli_create_or_run (g, p, false);
}

const cli_command cmd_create = {
  .name = "create",
  .usage = "create a container, ready to be started",
  .args_usage = "<container-id>\n"
                "\n"
                "<container-id> names the new container; it must be unique within the state root.",
  .description = "Create a container from a bundle: a directory with a \"config.json\"\n"
                 "and the root filesystem it refers to.  The container's namespaces, cgroup and\n"
                 "filesystem are set up and its init waits; \"runc start\" then runs the\n"
                 "process given by \"process.args\" in the configuration.  Edit that field to\n"
                 "choose what runs; \"runc spec --help\" describes the default configuration.",
  .flags = run_flags,
  .n_flags = CREATE_N_FLAGS,
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = create_run,
};
