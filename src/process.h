/* Setting up the container process itself: everything between "the
 * filesystem is ready" and execve().  Each step is a small function the
 * init calls in a fixed order (see container_init.c); the pure parts
 * (PATH lookup rules, env handling, rlimit names) are unit-tested.  */
#ifndef RT_PROCESS_H
#define RT_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE; -EINVAL if unknown.  */
int rlimit_from_name (const char *name);
int proc_set_rlimits (const spec_process *p, rt_error *err);

/* Find args[0] inside the (already pivoted) root: a name with '/' is used as
 * given (relative to cwd), otherwise PATH from the process env is searched
 * (the default PATH when unset).  Fails like runc:
 * exec: "foo": executable file not found in $PATH.  */
int proc_find_executable (const spec_process *p, char **out, rt_error *err);

/* The environment to exec with: p->env plus HOME from the container's
 * /etc/passwd when p->env lacks it ("/" when the uid has no entry), and
 * extra entries (e.g. LISTEN_FDS) appended.  NULL-terminated, malloc'd.  */
char **proc_build_env (const spec_process *p, char *const *extra, size_t n_extra);

/* setgroups (unless denied in this user namespace), setresgid, setresuid,
 * keeping capabilities across the switch.  */
int proc_set_identity (const spec_process *p, bool setgroups_allowed, rt_error *err);

/* process.user.umask, or runc's default 0022.  */
void proc_set_umask (const spec_process *p);

int proc_set_oom_score_adj (pid_t pid, int value, rt_error *err);
int proc_set_no_new_privs (rt_error *err);

/* Mark every fd above `last_kept` close-on-exec (close_range with
 * CLOSE_RANGE_CLOEXEC, or a /proc/self/fd walk where that is missing).  */
int proc_cloexec_from (int last_kept, rt_error *err);

/* Write linux.sysctl entries under /proc/sys (after /proc is mounted and
 * the root pivoted).  Refuses keys that would affect the host: net.* only
 * with a private netns, kernel.{shm*,msg*,sem*} and fs.mqueue.* only with
 * a private IPC namespace, kernel.{hostname,domainname} only with a private
 * UTS namespace, like runc.  */
int sysctl_validate (const spec *s, rt_error *err);
int sysctl_apply (const spec_kv *kv, size_t n, rt_error *err);

#endif
