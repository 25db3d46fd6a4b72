/* The runtime-spec 1.3 process and Linux extras, and the environment
 * features of runc's CLI, as seen by create, run and exec: each engine
 * file calls these at a few marked points (search for "ctr_ext_"), so
 * the features themselves stay in their own modules:
 *
 *   procattr.h       personality, scheduler, I/O priority, CPU affinity,
 *                    memory policy
 *   lsm.h            AppArmor profile, SELinux labels
 *   intelrdt.h       linux.intelRdt
 *   netdev.h         linux.netDevices
 *   seccomp_notify.h linux.seccomp.listenerPath
 *   listen_fds.h     LISTEN_FDS socket activation
 *   notify_socket.h  NOTIFY_SOCKET proxy
 *   fdpass.h         --pidfd-socket
 *
 * Order in create/run: check (before anything exists) -> setup (state
 * directory made, before the clone) -> child_created (the runtime, before
 * it lets the child go) -> child_netns (the child made its own network
 * namespace) -> message (each sync message while waiting for "ready") ->
 * ready -> started (the process runs).  exec uses exec_check, pin/unpin
 * around its fork, exec_joined, message and ready.  */
#ifndef RT_CONTAINER_EXT_H
#define RT_CONTAINER_EXT_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "container.h"
#include "error.h"
#include "procattr.h"
#include "seccomp_notify.h"
#include "spec.h"
#include "state.h"
#include "sync.h"

struct ctr_plan;

typedef struct ctr_ext
{
  procattr_plan attrs; /* applied by the process itself (ctr_proc_setup.attrs) */
  int listen_fds;      /* fds 3.. kept for the init ahead of --preserve-fds */
  char *env[4];        /* added to the init's environment */
  size_t n_env;

  int pidfd_sock;  /* connected --pidfd-socket, -1 */
  int notify_sock; /* bound notify.sock (run), -1 */
  const char *notify_host;
  bool net_from_child; /* the init unshares its network namespace and says when */

  const spec_seccomp *seccomp; /* listenerPath and listenerMetadata */
  seccomp_proc_state agent;    /* what the seccomp agent is told, but the PIDs */

  bitlist saved_affinity; /* exec: the runtime's own, around the fork */

  pthread_t notifier; /* run in the foreground: waits for READY=1 */
  bool notifier_running;
} ctr_ext;

void ctr_ext_init (ctr_ext *x);
void ctr_ext_free (ctr_ext *x);

/* create and run.  */
int ctr_ext_create_check (ctr_ext *x, struct ctr_plan *p, rt_error *err);
int ctr_ext_create_setup (ctr_ext *x, struct ctr_plan *p, int dir_fd, bool run, rt_error *err);
int ctr_ext_child_created (ctr_ext *x, const struct ctr_plan *p, pid_t pid, rt_error *err);
/* *netns_fd: the namespace the init sent (to be closed by the caller),
 * -1 when it was not asked to.  */
int ctr_ext_child_netns (ctr_ext *x, const struct ctr_plan *p, pid_t pid, int sync_fd, int *netns_fd,
                         rt_error *err);
/* In the init, right after it unshared its network namespace: sends it.  */
int ctr_ext_netns_made (int sync_fd, rt_error *err);
/* The process runs: pass its READY=1 on to $NOTIFY_SOCKET (blocking for
 * run -d, from a thread beside the foreground loop for run).  Failures
 * only warn, as in runc: the container runs regardless.  */
void ctr_ext_started (ctr_ext *x, bool foreground, pid_t init, int pidfd);

/* exec.  */
int ctr_ext_exec_check (ctr_ext *x, const spec *s, const spec_process *proc, const rt_exec_opts *o,
                        const rt_state *st, rt_error *err);
int ctr_ext_exec_pin (ctr_ext *x, rt_error *err);
void ctr_ext_exec_unpin (ctr_ext *x);
int ctr_ext_exec_joined (ctr_ext *x, const spec *s, const char *id, pid_t pid, rt_error *err);

/* Both.  A sync message from the process while the runtime waits for it
 * to be ready: 1 when it was one of ours (SYNC_SECCOMP: `passed` is the
 * notification fd, consumed), 0 when not, -errno on failure.  */
int ctr_ext_message (ctr_ext *x, const sync_msg *m, int passed, pid_t pid, pid_t init_pid, rt_error *err);
/* The process is ready: hand its pidfd to --pidfd-socket.  */
int ctr_ext_ready (ctr_ext *x, int pidfd, bool exec, rt_error *err);

/* delete: what outlives the processes (the resctrl group).  Failures are
 * warnings: the container is going away regardless.  */
void ctr_ext_destroy (const spec *s, const char *id);

#endif
