/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "process.h"

int
rlimit_from_name (const char *name)
{
  (void) name;
  return -ENOSYS;
}

int
proc_set_rlimits (const spec_process *p, rt_error *err)
{
  (void) p;
  (void) err;
  return rt_failx (err, ENOSYS, "proc_set_rlimits: not implemented yet");
}

int
proc_find_executable (const spec_process *p, char **out, rt_error *err)
{
  (void) p;
  (void) out;
  (void) err;
  return rt_failx (err, ENOSYS, "proc_find_executable: not implemented yet");
}

char **
proc_build_env (const spec_process *p, char *const *extra, size_t n_extra)
{
  (void) p;
  (void) extra;
  (void) n_extra;
  return NULL;
}

int
proc_set_identity (const spec_process *p, bool setgroups_allowed, rt_error *err)
{
  (void) p;
  (void) setgroups_allowed;
  (void) err;
  return rt_failx (err, ENOSYS, "proc_set_identity: not implemented yet");
}

void
proc_set_umask (const spec_process *p)
{
  (void) p;
}

int
proc_set_oom_score_adj (pid_t pid, int value, rt_error *err)
{
  (void) pid;
  (void) value;
  (void) err;
  return rt_failx (err, ENOSYS, "proc_set_oom_score_adj: not implemented yet");
}

int
proc_set_no_new_privs (rt_error *err)
{
  (void) err;
  return rt_failx (err, ENOSYS, "proc_set_no_new_privs: not implemented yet");
}

int
proc_cloexec_from (int last_kept, rt_error *err)
{
  (void) last_kept;
  (void) err;
  return rt_failx (err, ENOSYS, "proc_cloexec_from: not implemented yet");
}

int
sysctl_validate (const spec *s, rt_error *err)
{
  (void) s;
  (void) err;
  return rt_failx (err, ENOSYS, "sysctl_validate: not implemented yet");
}

int
sysctl_apply (const spec_kv *kv, size_t n, rt_error *err)
{
  (void) kv;
  (void) n;
  (void) err;
  return rt_failx (err, ENOSYS, "sysctl_apply: not implemented yet");
}
