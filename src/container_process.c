/* The last steps before execve, shared by the container init and by
 * `exec`: working directory, limits, terminal, capabilities, identity,
 * seccomp and no_new_privs, then the executable and its environment.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "container_priv.h"
#include "lsm.h"
#include "pathres.h"
#include "process.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

/* cwd is resolved inside the root, then entered by fd, so neither a
 * symlink in the image nor a leaked fd can leave the process outside the
 * container (CVE-2024-21626).  A missing one is created for the init, as
 * runc does, but not for exec: that must not change the container's
 * files, and runc refuses it too.  */
static int
enter_cwd (const spec_process *proc, bool create, rt_error *err)
{
  _cleanup_close_ int root = -1, dir = -1;
  char buf[8];

  root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return rt_fail (err, errno, "open /");
  if (create)
    dir = pr_mkdir_in_root (root, proc->cwd, 0755, err);
  else
    dir = pr_open_in_root (root, proc->cwd, O_PATH | O_DIRECTORY, 0, err);
  if (dir < 0)
    return rt_wrap (err, "process.cwd `%s`", proc->cwd);
  if (fchdir (dir) < 0)
    return rt_fail (err, errno, "process.cwd: chdir `%s`", proc->cwd);
  /* getcwd() reports "(unreachable)" when the directory is outside our
     root: refuse rather than run there.  */
  if (getcwd (buf, sizeof buf) == NULL && errno != ERANGE)
    return rt_fail (err, errno, "process.cwd `%s` is not inside the container", proc->cwd);
  return 0;
}

static void
reset_signals (void)
{
  struct sigaction sa;
  sigset_t none;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; s++)
    sigaction (s, &sa, NULL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

/* Load the filter and hand a notify listener to the runtime at once: a
 * filter that notifies on a syscall we make later (setresuid, say) would
 * otherwise block us with nobody listening.  */
static int
load_filter (ctr_proc_setup *s, rt_error *err)
{
  _cleanup_close_ int listener = -1;

  if (sfilter_load (s->filter, &listener, err) < 0)
    return rt_error_ret (err);
  s->filter_loaded = true;
  if (listener >= 0 && sync_send_fd (s->sync_fd, SYNC_SECCOMP, 0, listener, err) < 0)
    return rt_error_ret (err);
  return 0;
}

int
ctr_process_prepare (ctr_proc_setup *s, rt_error *err)
{
  const spec_process *proc = s->proc;

  if (enter_cwd (proc, s->init, err) < 0)
    return rt_error_ret (err);
  if (proc_set_rlimits (proc, err) < 0)
    return rt_error_ret (err);
  /* ctr_ext: before the identity switch and seccomp, which could deny it.  */
  if (s->attrs && procattr_apply (s->attrs, err) < 0)
    return rt_error_ret (err);
  if (lsm_apply_exec (proc->apparmor_profile, proc->selinux_label, err) < 0)
    return rt_error_ret (err);
  if (proc->terminal)
    {
      _cleanup_close_ int master = term_setup_child (proc, s->init, err);
      if (master < 0)
        return rt_error_ret (err);
      if (sync_send_fd (s->sync_fd, SYNC_PTY, 0, master, err) < 0)
        return rt_error_ret (err);
    }
  /* Without no_new_privs the filter needs CAP_SYS_ADMIN, which the
     identity and capability changes below take away: load it first, as
     runc does.  */
  if (s->filter && !proc->no_new_privileges && load_filter (s, err) < 0)
    return rt_error_ret (err);
  if (caps_apply_bounding (s->caps, err) < 0)
    return rt_error_ret (err);
  if (proc_set_identity (proc, s->setgroups_allowed, err) < 0)
    return rt_error_ret (err);
  if (caps_apply (s->caps, err) < 0)
    return rt_error_ret (err);
  if (proc->no_new_privileges && proc_set_no_new_privs (err) < 0)
    return rt_error_ret (err);
  /* ctr_ext: the agent must get the listener before "ready", so such a
     filter goes in now even with no_new_privs.  */
  if (s->filter && proc->no_new_privileges && sfilter_uses_notify (s->filter) && load_filter (s, err) < 0)
    return rt_error_ret (err);
  if (proc_find_executable (proc, &s->exe, err) < 0)
    return rt_error_ret (err);
  s->env = proc_build_env (proc, s->extra_env, s->n_extra_env);
  proc_set_umask (proc);
  if (proc_cloexec_from (2 + s->preserve_fds, err) < 0)
    return rt_error_ret (err);
  return 0;
}

int
ctr_fork_reported (int sync_fd, rt_error *err)
{
  int order[2];
  pid_t pid;
  char c;

  if (pipe2 (order, O_CLOEXEC) < 0)
    return rt_fail (err, errno, "pipe");
  pid = fork ();
  if (pid < 0)
    {
      close (order[0]);
      close (order[1]);
      return rt_fail (err, errno, "fork");
    }
  if (pid > 0)
    {
      sync_send (sync_fd, SYNC_PID, pid, err);
      _exit (0);
    }
  /* Our parent's exit closes the write end: EOF means the PID was sent.  */
  close (order[1]);
  while (read (order[0], &c, 1) < 0 && errno == EINTR)
    ;
  close (order[0]);
  return 0;
}

int
ctr_process_exec (const spec_process *proc, const sfilter *filter, const char *exe, char **env, rt_error *err)
{
  int listener = -1;

  /* With no_new_privs the filter goes in last, so it constrains only the
     container's own code, not our handshake with the runtime.  */
  if (filter && proc->no_new_privileges && sfilter_load (filter, &listener, err) < 0)
    return rt_error_ret (err);
  reset_signals ();
  execve (exe, proc->args, env);
  return rt_fail (err, errno, "exec `%s`", exe);
}
