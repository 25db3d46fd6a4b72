/* exec: run a new process inside an existing container.
 *
 * The runtime clones a child, puts it in the container's cgroup, and the
 * child joins all of the init's namespaces with one setns() on the init's
 * pidfd (user namespace first, which the kernel orders for us), forks once
 * so the process is really inside the PID and time namespaces, and then
 * goes through the same setup as the init before execve.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cloned_binary.h"
#include "container_priv.h"
#include "idmap.h"
#include "linux_sys.h"
#include "process.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

static const struct
{
  const char *name;
  unsigned long flag;
} ns_files[] = {
  { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },     { "pid", CLONE_NEWPID },   { "net", CLONE_NEWNET },
  { "ipc", CLONE_NEWIPC },   { "uts", CLONE_NEWUTS },    { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

/* Namespaces of the init that differ from ours: joining one we are
 * already in is an error for the user namespace and pointless otherwise.
 * Only a type this kernel lacks may be skipped: any other failure would
 * leave the process in our namespace instead of the container's.  */
static int
differing_namespaces (pid_t pid, bool created, unsigned long *flags, rt_error *err)
{
  *flags = 0;
  for (size_t i = 0; i < ARRAY_SIZE (ns_files); i++)
    {
      char theirs[64], mine[64];
      struct stat a, b;
      snprintf (theirs, sizeof theirs, "/proc/%d/ns/%s", (int) pid, ns_files[i].name);
      snprintf (mine, sizeof mine, "/proc/self/ns/%s", ns_files[i].name);
      if (stat (mine, &b) < 0 && errno == ENOENT)
        continue;
      if (stat (theirs, &a) < 0)
        {
          /* Until `start` the init runs our code and is not dumpable, so
             only a runtime privileged over the host's user namespace can
             see its namespaces.  */
          if (created && (errno == EACCES || errno == EPERM))
            return rt_fail (err, errno,
                            "an unprivileged user cannot exec in a created container before it is started: "
                            "stat `%s`", theirs);
          return rt_fail (err, errno, "namespaces of the container's init: stat `%s`", theirs);
        }
      if (a.st_ino != b.st_ino || a.st_dev != b.st_dev)
        *flags |= ns_files[i].flag;
    }
  return 0;
}

static char **
strv_dup_n (char *const *v, size_t n)
{
  char **out = xzalloc ((n + 1) * sizeof *out);
  for (size_t i = 0; i < n; i++)
    out[i] = xstrdup (v[i]);
  return out;
}

static void
strv_append (char ***v, size_t *n, char *const *add, size_t n_add)
{
  *v = xrealloc (*v, (*n + n_add + 1) * sizeof **v);
  for (size_t i = 0; i < n_add; i++)
    (*v)[(*n)++] = xstrdup (add[i]);
  (*v)[*n] = NULL;
}

static bool
strv_contains (char *const *v, size_t n, const char *s)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (v[i], s) == 0)
      return true;
  return false;
}

static int
parse_user (const char *s, spec_user *u, rt_error *err)
{
  char *colon = strchr (s, ':');
  _cleanup_free_ char *uid = colon ? xstrndup (s, colon - s) : xstrdup (s);
  uint64_t v;

  if (parse_u64 (uid, &v) < 0 || v > UINT32_MAX)
    return rt_failx (err, EINVAL, "--user `%s`: expected a numeric uid[:gid]", s);
  u->uid = (uint32_t) v;
  if (colon)
    {
      if (parse_u64 (colon + 1, &v) < 0 || v > UINT32_MAX)
        return rt_failx (err, EINVAL, "--user `%s`: expected a numeric uid[:gid]", s);
      u->gid = (uint32_t) v;
    }
  return 0;
}

static void
add_cap (char ***set, size_t *n, const char *cap)
{
  if (!strv_contains (*set, *n, cap))
    strv_append (set, n, (char *const *) &cap, 1);
}

/* The process to run: the config's, overridden by the flags, or a whole
 * process.json given with -p.  */
static spec_process *
build_process (spec *s, const rt_exec_opts *o, rt_error *err)
{
  spec_process *p;

  if (o->process_file)
    {
      _cleanup_free_ char *text = NULL;
      const char *slash = strrchr (o->process_file, '/');
      ssize_t len = read_file_at (AT_FDCWD, o->process_file, &text, err);
      if (len < 0)
        return NULL;
      return spec_process_load_text (text, len, slash ? slash + 1 : o->process_file, err);
    }
  if (o->n_args == 0)
    {
      rt_failx (err, EINVAL, "exec: no command given (pass a command or --process)");
      return NULL;
    }
  /* Reuse the config's parsed process: it is ours to modify.  */
  p = s->process;
  strv_free_n (p->args, p->n_args);
  p->args = strv_dup_n (o->args, o->n_args);
  p->n_args = o->n_args;
  if (o->n_env)
    strv_append (&p->env, &p->n_env, o->env, o->n_env);
  if (o->cwd)
    {
      free (p->cwd);
      p->cwd = xstrdup (o->cwd);
    }
  p->terminal = o->tty;
  if (o->user && parse_user (o->user, &p->user, err) < 0)
    return NULL;
  if (o->n_additional_gids)
    {
      free (p->user.additional_gids);
      p->user.additional_gids = xmalloc (o->n_additional_gids * sizeof (uint32_t));
      memcpy (p->user.additional_gids, o->additional_gids, o->n_additional_gids * sizeof (uint32_t));
      p->user.n_additional_gids = o->n_additional_gids;
    }
  if (o->no_new_privs >= 0)
    p->no_new_privileges = o->no_new_privs;
  if (o->apparmor)
    {
      free (p->apparmor_profile);
      p->apparmor_profile = xstrdup (o->apparmor);
    }
  if (o->process_label)
    {
      free (p->selinux_label);
      p->selinux_label = xstrdup (o->process_label);
    }
  if (o->n_caps)
    {
      spec_capabilities *c = p->capabilities;
      if (c == NULL)
        c = p->capabilities = xzalloc (sizeof *c);
      for (size_t i = 0; i < o->n_caps; i++)
        {
          add_cap (&c->bounding, &c->n_bounding, o->caps[i]);
          add_cap (&c->effective, &c->n_effective, o->caps[i]);
          add_cap (&c->permitted, &c->n_permitted, o->caps[i]);
          /* Ambient needs the cap inheritable; runc only adds it when the
             config already uses the inheritable set.  */
          if (c->n_inheritable)
            {
              add_cap (&c->inheritable, &c->n_inheritable, o->caps[i]);
              add_cap (&c->ambient, &c->n_ambient, o->caps[i]);
            }
        }
    }
  s->process = NULL; /* ownership moves to the caller */
  return p;
}

typedef struct exec_child
{
  const rt_exec_opts *o;
  const spec_process *proc;
  const sfilter *filter;
  caps_plan caps;
  const procattr_plan *attrs;
  int init_pidfd;
  unsigned long ns_flags;
  bool setgroups_allowed;
  int sync_fd;
} exec_child;

static int
exec_child_run (exec_child *c, rt_error *err)
{
  ctr_proc_setup ps = { 0 };
  sync_msg m;

  if (prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
    return rt_fail (err, errno, "prctl(PR_SET_PDEATHSIG)");
  if (sync_expect (c->sync_fd, SYNC_GO, &m, err) < 0)
    return rt_error_ret (err);
  if (c->ns_flags && setns (c->init_pidfd, (int) c->ns_flags) < 0)
    return rt_fail (err, errno, "join the container's namespaces");
  close (c->init_pidfd);
  if (c->ns_flags & CLONE_NEWUSER)
    {
      if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
        return rt_fail (err, errno, "become root of the container's user namespace");
    }
  if (prctl (PR_SET_DUMPABLE, 0) < 0)
    return rt_fail (err, errno, "prctl(PR_SET_DUMPABLE)");

  /* Joining a PID (or time) namespace only applies to children.  */
  if (ctr_fork_reported (c->sync_fd, err) < 0)
    return rt_wrap (err, "fork into the container");
  if (c->proc->terminal && setsid () < 0)
    return rt_fail (err, errno, "setsid");

  ps.proc = c->proc;
  ps.caps = &c->caps;
  ps.filter = c->filter;
  ps.setgroups_allowed = c->setgroups_allowed;
  ps.preserve_fds = c->o->preserve_fds;
  ps.sync_fd = c->sync_fd;
  ps.attrs = c->attrs;
  if (ctr_process_prepare (&ps, err) < 0)
    return rt_error_ret (err);
  if (c->o->detach && prctl (PR_SET_PDEATHSIG, 0) < 0)
    return rt_fail (err, errno, "prctl(PR_SET_PDEATHSIG)");
  if (sync_send (c->sync_fd, SYNC_READY, 0, err) < 0)
    return rt_error_ret (err);
  return ctr_process_exec (c->proc, ps.filter_loaded ? NULL : c->filter, ps.exe, ps.env, err);
}

/* A failure the process reported while it set itself up: runc's words
 * around it ("exec failed: unable to start container process: exec:
 * ..."), which callers match on.  */
static int
child_error (const sync_msg *m, rt_error *err)
{
  *err = m->err;
  return rt_wrap (err, "unable to start container process");
}

static int
protect_binary (const rt_context *ctx, const ctr_handle *h, const spec *s, rt_error *err)
{
  const spec_linux *l = s->linux_;
  const spec_namespace *user = spec_find_namespace (s, SPEC_NS_USER);
  binary_facts f;

  if (ctx->argv == NULL || binary_is_sealed_copy ())
    return 0;
  if (binary_facts_self (&f, err) < 0)
    return rt_error_ret (err);
  if (!binary_exposure (&f, h->st.userns, user && user->path, l->uid_mappings, l->n_uid_mappings,
                        l->gid_mappings, l->n_gid_mappings))
    return 0;
  return binary_reexec_sealed (ctx->argv, err);
}

int
rt_container_exec (const rt_context *ctx, const rt_exec_opts *o, int *status, rt_error *err)
{
  ctr_handle h;
  spec *s = NULL;
  spec_process *proc = NULL;
  sfilter *filter = NULL;
  exec_child c;
  ctr_ext x;
  _cleanup_free_ char *config_text = NULL;
  _cleanup_close_ int init_pidfd = -1, sync_parent = -1, pidfd = -1, pty_master = -1, console = -1;
  int fds[2] = { -1, -1 };
  pid_t child = -1, pid = -1;
  sigset_t all, old;
  bool blocked = false;
  sync_msg m;
  ssize_t len;
  int ret;

  *status = 0;
  memset (&c, 0, sizeof c);
  ctr_ext_init (&x);
  ret = ctr_open (ctx, o->id, false, &h, err);
  if (ret < 0)
    goto out;
  if (h.status == RT_STATUS_STOPPED)
    {
      ret = rt_failx (err, EINVAL, "cannot exec in a stopped container");
      goto out;
    }
  if (h.status == RT_STATUS_PAUSED && !o->ignore_paused)
    {
      ret = rt_failx (err, EINVAL, "cannot exec in a paused container (use --ignore-paused to override)");
      goto out;
    }
  len = read_file_at (h.dir_fd, STATE_CONFIG_FILE, &config_text, err);
  if (len < 0)
    {
      ret = (int) len;
      goto out;
    }
  s = spec_load_text (config_text, len, "config.json", err);
  if (s == NULL)
    {
      ret = rt_error_ret (err);
      goto out;
    }
  proc = build_process (s, o, err);
  if (proc == NULL)
    {
      ret = rt_error_ret (err);
      goto out;
    }
  if ((ret = proc_validate (proc, err)) < 0)
    goto out;
  if (proc->terminal && o->detach && o->console_socket == NULL)
    {
      ret = rt_failx (err, EINVAL, "cannot allocate tty if runc will detach without setting console socket");
      goto out;
    }
  if (o->console_socket && (!proc->terminal || !o->detach))
    {
      ret = rt_failx (err, EINVAL, "cannot use console socket if runc will not detach or allocate tty");
      goto out;
    }
  ret = protect_binary (ctx, &h, s, err);
  if (ret < 0)
    goto out;
  if (s->linux_->seccomp && (ret = sfilter_build (s->linux_->seccomp, &filter, err)) < 0)
    goto out;
  if ((ret = caps_plan_from_spec (proc->capabilities, &c.caps, err)) < 0)
    goto out;
  if ((ret = ctr_ext_exec_check (&x, s, proc, o, &h.st, err)) < 0)
    goto out;
  init_pidfd = ctr_open_init (&h.st, err);
  if (init_pidfd < 0)
    {
      ret = init_pidfd;
      goto out;
    }
  if (o->console_socket)
    {
      console = term_connect_socket (o->console_socket, err);
      if (console < 0)
        {
          ret = console;
          goto out;
        }
    }
  if ((ret = sync_pair (fds, err)) < 0)
    goto out;
  sync_parent = fds[0];

  c.o = o;
  c.proc = proc;
  c.filter = filter;
  c.init_pidfd = init_pidfd;
  c.attrs = &x.attrs;
  if ((ret = differing_namespaces (h.st.pid, h.status == RT_STATUS_CREATED, &c.ns_flags, err)) < 0)
    goto out;
  /* The process joins the init's user namespace (or stays in ours): its
     setgroups file says whether supplementary groups can be set there.  */
  c.setgroups_allowed = !idmap_setgroups_denied (h.st.pid);
  c.sync_fd = fds[1];

  if (!o->detach)
    {
      if (prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
        {
          ret = rt_fail (err, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
          goto out;
        }
      sigfillset (&all);
      sigprocmask (SIG_BLOCK, &all, &old);
      blocked = true;
    }

  if ((ret = ctr_ext_exec_pin (&x, err)) < 0)
    goto out;
  child = fork ();
  if (child != 0)
    ctr_ext_exec_unpin (&x);
  if (child < 0)
    {
      ret = rt_fail (err, errno, "fork");
      goto out;
    }
  if (child == 0)
    {
      rt_error e = { 0 };
      /* Drop our copy of the (shared-locked) container directory.  */
      close (h.dir_fd);
      close (h.root_fd);
      close (sync_parent);
      exec_child_run (&c, &e);
      sync_send_error (c.sync_fd, &e);
      _exit (127);
    }
  close (fds[1]);
  fds[1] = -1;

  if (h.cg && (ret = cg_enter_exec (h.cg, child, h.st.pid, o->cgroups, o->n_cgroups, err)) < 0)
    goto fail;
  if (h.cg == NULL && o->n_cgroups > 0)
    {
      ret = rt_failx (err, EINVAL, "--cgroup: the container has no cgroup of its own");
      goto fail;
    }
  if ((ret = ctr_ext_exec_joined (&x, s, o->id, child, err)) < 0)
    goto fail;
  /* Let go of the directory lock before waiting for the child: in a
     paused container (--ignore-paused) it stays frozen until `resume`,
     which needs the lock.  LOCK_UN, not just close: the child's copy of
     the fd, which it may not have closed yet, shares the lock.  Once in
     the cgroup, a concurrent delete kills the child with the rest.  */
  flock (h.dir_fd, LOCK_UN);
  close (h.dir_fd);
  h.dir_fd = -1;
  if ((ret = sync_send (sync_parent, SYNC_GO, 0, err)) < 0)
    goto fail;
  if ((ret = sync_expect (sync_parent, SYNC_PID, &m, err)) < 0)
    goto fail;
  pid = m.value;
  while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
    ;
  child = -1;
  pidfd = sys_pidfd_open (pid, 0);

  for (;;)
    {
      int passed = -1;
      ret = sync_recv (sync_parent, &m, &passed, err);
      if (ret == -EPIPE)
        ret = rt_failx (err, EPIPE, "exec: the process exited during setup");
      if (ret < 0)
        goto fail;
      if (m.type == SYNC_ERROR)
        {
          ret = child_error (&m, err);
          goto fail;
        }
      if (m.type == SYNC_PTY)
        {
          pty_master = passed;
          continue;
        }
      ret = ctr_ext_message (&x, &m, passed, pid, h.st.pid, err);
      if (ret < 0)
        goto fail;
      if (ret > 0)
        continue;
      if (passed >= 0)
        close (passed);
      if (m.type == SYNC_READY)
        break;
    }
  if ((ret = ctr_ext_ready (&x, pidfd, true, err)) < 0)
    goto fail;
  if (pty_master >= 0 && console >= 0)
    {
      if ((ret = term_send_master (console, pty_master, err)) < 0)
        goto fail;
      close (TAKE_FD (pty_master));
    }
  if (o->pid_file)
    {
      _cleanup_free_ char *abs = path_make_absolute (o->pid_file);
      char buf[32];
      int n = snprintf (buf, sizeof buf, "%d", (int) pid);
      if (abs == NULL || (ret = write_file_atomic (AT_FDCWD, abs, buf, n, 0644, err)) < 0)
        {
          ret = abs == NULL ? rt_fail (err, errno, "pid file") : ret;
          goto fail;
        }
    }
  /* EOF on the close-on-exec sync socket means execve succeeded.  */
  ret = sync_recv (sync_parent, &m, NULL, err);
  if (ret == 0 && m.type == SYNC_ERROR)
    {
      ret = child_error (&m, err);
      goto fail;
    }
  ret = 0;
  ctr_close (&h);
  memset (&h, 0, sizeof h);
  h.root_fd = h.dir_fd = -1;
  if (o->detach)
    goto out;
  ret = ctr_wait_foreground (pid, pidfd, pty_master, &old, status, err);
  blocked = false;
  goto out;

fail:
  if (pidfd >= 0)
    sys_pidfd_send_signal (pidfd, SIGKILL, NULL, 0);
  if (child > 0)
    {
      kill (child, SIGKILL);
      while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
        ;
    }
out:
  if (blocked)
    sigprocmask (SIG_SETMASK, &old, NULL);
  if (fds[1] >= 0)
    close (fds[1]);
  ctr_close (&h);
  ctr_ext_free (&x);
  sfilter_free (filter);
  spec_process_free (proc);
  spec_free (s);
  return ret;
}
