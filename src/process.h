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

/* The checks that need no system call, for the runtime to run before it
 * forks: args non-empty, every env entry NAME=VALUE with a non-empty name
 * (runc's wording), rlimit types known and soft <= hard.  */
int proc_validate (const spec_process *p, rt_error *err);

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE; -EINVAL if unknown.  */
int rlimit_from_name (const char *name);
/* Check the rlimits as proc_validate does, then prlimit() each, in order.  */
int proc_set_rlimits (const spec_process *p, rt_error *err);

/* Find args[0] inside the (already pivoted) root, with Go's exec.LookPath
 * rules as runc uses them: a name with '/' is used as given (relative to
 * cwd); otherwise the PATH of process.env is searched (last PATH= entry
 * wins).  There is no default PATH: runc clears its own environment, so
 * without PATH in process.env a bare name is not found.  A match through a
 * relative PATH element is refused.  Messages are runc's:
 *   exec: "foo": executable file not found in $PATH
 *   exec: "/bin/nope": stat /bin/nope: no such file or directory
 *   exec: "/etc/passwd": permission denied
 *   exec: "foo": cannot run executable found relative to current directory */
int proc_find_executable (const spec_process *p, char **out, rt_error *err);

/* The environment to exec with (runc's prepareEnv): p->env followed by
 * `extra` (e.g. LISTEN_FDS), duplicates removed keeping the last value in
 * the place of its last occurrence, entries without '=' skipped (see
 * proc_validate), an empty "HOME=" dropped, and HOME appended from the
 * container's /etc/passwd entry of process.user.uid when there is none ("/"
 * when the uid has no entry).  Reads /etc/passwd, so call it after the
 * pivot.  When process.env is absent and there is no extra, the result is
 * empty, as in runc.  NULL-terminated, malloc'd (strv_free).  */
char **proc_build_env (const spec_process *p, char *const *extra, size_t n_extra);

/* The identity switch (runc's setupUser): chown stdio 0-2 to the uid
 * unless already owned or /dev/null (errors meaning "not ours" ignored),
 * setgroups(additionalGids) -- also with an empty list, dropping the
 * runtime's groups -- unless !setgroups_allowed (then a non-empty list is
 * an error), then setresgid and setresuid with PR_SET_KEEPCAPS held around
 * them so the permitted set survives for caps_apply.  Needs CAP_SETUID,
 * CAP_SETGID (so: after caps_apply_bounding, before caps_apply).  */
int proc_set_identity (const spec_process *p, bool setgroups_allowed, rt_error *err);

/* process.user.umask, or runc's default 0022.  */
void proc_set_umask (const spec_process *p);

int proc_set_oom_score_adj (pid_t pid, int value, rt_error *err);
int proc_set_no_new_privs (rt_error *err);

/* Mark every fd above `last_kept` close-on-exec (close_range with
 * CLOSE_RANGE_CLOEXEC, or a /proc/self/fd walk where that is missing or
 * denied by seccomp).  */
int proc_cloexec_from (int last_kept, rt_error *err);

/* linux.sysctl (src/sysctl.c).  Keys may use '.' or '/' as separator
 * (sysctl.d(5)).  sysctl_validate refuses, with runc's messages, keys that
 * would affect the host: net.* only with a network namespace that is not
 * the runtime's own, kernel.{msgmax,msgmnb,msgmni,sem,shmall,shmmax,shmmni,
 * shm_rmid_forced} and fs.mqueue.* only with an ipc namespace,
 * kernel.domainname only with a uts namespace (kernel.hostname is refused:
 * the spec has `hostname` for it), anything else as not namespaced.  Also
 * refuses keys with empty, "." or ".." components.
 * sysctl_apply writes each value to /proc/sys/<key as a path> (after /proc
 * is mounted and the root pivoted), resolving strictly beneath /proc/sys
 * without following symlinks and checking that it is procfs.  */
int sysctl_validate (const spec *s, rt_error *err);
int sysctl_apply (const spec_kv *kv, size_t n, rt_error *err);

#endif
