/* Internal state shared by the parent side (container_create.c), the
 * child side (container_init.c) and the other lifecycle commands
 * (container.c).  */
#ifndef RT_CONTAINER_PRIV_H
#define RT_CONTAINER_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "caps.h"
#include "cgroup.h"
#include "container.h"
#include "container_ext.h"
#include "container_net.h"
#include "spec.h"
#include "state.h"
#include "syscall_filter.h"

/* Everything the init needs, prepared by the parent before the clone so
 * the child does as little as possible (it runs between clone and execve,
 * where an allocation failure or a slow path costs every container).  */
typedef struct ctr_plan
{
  const rt_context *ctx;
  const rt_create_opts *opts;
  spec *spec;
  char *bundle; /* absolute */
  char *rootfs; /* absolute, symlinks resolved */
  char *pid_file; /* --pid-file made absolute against the caller's directory */

  /* Namespaces.  */
  unsigned long clone_flags;   /* created by clone3 itself (fast path) */
  unsigned long unshare_flags; /* created by the child with unshare() (slow path) */
  int join_fds[SPEC_NS__COUNT]; /* opened `path` namespaces, -1 when not joined */
  bool new_userns;
  bool new_pidns;
  bool new_timens;
  bool need_fork; /* the child must fork once more to enter the PID/time namespace */
  bool setgroups_allowed;

  /* Identity of the caller.  */
  bool host_root; /* euid 0 in the initial user namespace */

  cg_manager *cg;
  sfilter *filter;
  caps_plan caps;

  /* fds handed to the child.  */
  int sync_child;  /* child end of the sync socket */
  int fifo_fd;     /* O_PATH of exec.fifo (create), -1 for run */
  int console_fd;  /* connected --console-socket, -1 */
  bool detached;   /* no runtime process will stay with the container */
  /* The init stops before pivot_root so the runtime can run the prestart
   * and createRuntime hooks, and learns its host PID for the hooks'
   * state (it may be PID 1 of its own namespace).  */
  bool hooks_roundtrip;
  pid_t host_pid;
  /* Per config mount, the idmapped tree the runtime made (received by the
   * init before SYNC_GO), or -1; NULL when the config has none.  */
  int *idmap_fds;
  /* Processes started for the container outside it (fuse-overlayfs):
   * recorded in its state, killed on delete and when create fails.  */
  pid_t *helpers;
  uint64_t *helper_start_times;
  size_t n_helpers;

  ctr_ext ext; /* the 1.3 extras and environment features (container_ext.h) */
  ctr_net net; /* the network the runtime starts runc-slirp for (container_net.h) */
} ctr_plan;

/* The runtime's answer to SYNC_OVERLAY (container_overlay.c): read the
 * init's mount namespace (SYNC_OVERLAY_NS), start fuse-overlayfs for
 * mounts[index] on `target`, the init's mount point, joined to that mount
 * namespace and its user namespace, logging to fuse-overlayfs.PID.log in
 * the container directory `dir_fd`; then answer the init:
 * SYNC_OVERLAY_DONE, or SYNC_ERROR with why the daemon could not start
 * (the init reports it).  Fails only when the init cannot be answered.  */
int ctr_overlay_serve (ctr_plan *p, int dir_fd, int32_t index, int target, int sync_fd, rt_error *err);
/* Append to `err` the last words of any helper that has exited.  */
void ctr_overlay_explain (const ctr_plan *p, int dir_fd, rt_error *err);

/* The helpers' common ground (container_helper.c).  */
/* Record a helper just forked: in the state, and for ctr_helpers_kill.  */
void ctr_helper_add (ctr_plan *p, pid_t pid);
/* Kill and reap the helpers (a create that failed).  */
void ctr_helpers_kill (ctr_plan *p);
/* In the forked helper: fds[i] becomes fd i (the same fd may appear
 * twice), every fd from n up is made close-on-exec.  Whatever else the
 * caller still needs must sit at 10 or above.  */
int ctr_helper_fds (const int *fds, int n, rt_error *err);
/* An O_PATH fd of the executable `name`: in `first_dir` (NULL: none),
 * else in the absolute directories of PATH; *path (may be NULL) says
 * where.  Missing: ENOENT, naming `install_hint`.  */
int ctr_helper_find (const char *name, const char *first_dir, const char *install_hint, char **path,
                     rt_error *err);
/* The last line of the log `log_name` in `dir_fd`: a helper's reason for
 * giving up.  NULL when none.  */
char *ctr_helper_last_words (int dir_fd, const char *log_name);

/* Process setup shared by the init and exec (container_process.c).  */
typedef struct ctr_proc_setup
{
  const spec_process *proc;
  const caps_plan *caps;
  const sfilter *filter;
  bool setgroups_allowed;
  int preserve_fds;
  int sync_fd; /* the pty master is sent here */
  char *const *extra_env;
  size_t n_extra_env;
  const procattr_plan *attrs; /* scheduling, affinity, memory policy; NULL = none */
  /* The container's init, not an exec'd process: its pty also becomes
     /dev/console, and a missing cwd is created (runc does neither for exec).  */
  bool init;
  /* results */
  char *exe;
  char **env;
  bool filter_loaded; /* the filter is in already: pass NULL to ctr_process_exec */
} ctr_proc_setup;

/* cwd, rlimits, scheduling attributes and LSM labels (s->attrs,
 * procattr.h; lsm.h), terminal, capabilities, identity, seccomp (without
 * no_new_privs), no_new_privs, executable lookup, environment, umask and
 * close-on-exec: everything before "ready".  A filter with a notify
 * listener is loaded here even with no_new_privs, and the listener fd
 * goes to the runtime as SYNC_SECCOMP, which must happen while the runtime
 * still listens (s->filter_loaded tells).  */
int ctr_process_prepare (ctr_proc_setup *s, rt_error *err);
/* seccomp (with no_new_privs), default signals, execve.  Returns only on
 * failure.  */
int ctr_process_exec (const spec_process *proc, const sfilter *filter, const char *exe, char **env, rt_error *err);

/* Fork into the namespaces just joined or made: the parent reports the
 * child's PID (SYNC_PID on `sync_fd`) and exits; the child returns 0, but
 * only once that report is out, so nothing it sends can overtake it.  */
int ctr_fork_reported (int sync_fd, rt_error *err);

/* The child: never returns.  Reports failure over sync_child and exits.  */
__attribute__ ((noreturn)) void ctr_init_main (ctr_plan *p);

/* run in the foreground: forward signals, relay the terminal, reap, and
 * destroy the container when its init exits (unless --keep).  `oldmask`
 * is the signal mask to restore at the end.  */
int ctr_run_foreground (const rt_context *ctx, const char *id, cg_manager *cg, pid_t init, int pidfd, int pty_master,
                        const sigset_t *oldmask, int *status, rt_error *err);

/* The foreground loop alone (run and exec): forward signals, relay the
 * pty, wait for `init` to exit, restore `oldmask`.  */
int ctr_wait_foreground (pid_t init, int pidfd, int pty_master, const sigset_t *oldmask, int *status,
                         rt_error *err);

/* An open container: its locked directory, state and cgroup manager.  */
typedef struct ctr_handle
{
  int root_fd;
  int dir_fd;
  rt_state st;
  cg_manager *cg;
  enum rt_status status;
} ctr_handle;

/* Open and lock <root>/<id>, read its state, rebuild its cgroup manager
 * and derive its status.  ctr_close() is safe after a failure.  */
int ctr_open (const rt_context *ctx, const char *id, bool exclusive, ctr_handle *o, rt_error *err);
void ctr_close (ctr_handle *o);
/* A pidfd for the init, verified to still be the process we started.  */
int ctr_open_init (const rt_state *st, rt_error *err);

/* Status of a container from its state (see state.h).  */
enum rt_status ctr_status (int dir_fd, const rt_state *st, cg_manager *cg);


/* Kill everything and remove the cgroup and state directory.  */
int ctr_destroy (int root_fd, const char *id, const rt_state *st, cg_manager *cg, rt_error *err);

#endif
