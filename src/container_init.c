/* The container init, from clone to execve.  This is a fork of the runtime
 * (there is no `runc init` re-exec): it inherits the prepared plan and the
 * compiled seccomp filter, does only the steps that must happen inside the
 * new namespaces, and reports any failure to the runtime over the sync
 * socket before exiting.
 *
 * The order matters and follows runc:
 *   namespaces -> IDs -> hostname -> filesystem -> pivot -> masks ->
 *   sysctl -> cwd -> rlimits -> terminal -> capabilities/identity ->
 *   seccomp (without no_new_privs) -> no_new_privs -> ready -> wait for
 *   start -> seccomp (with no_new_privs) -> execve.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container_priv.h"
#include "hooks.h"
#include "idmap.h"
#include "linux_sys.h"
#include "pathres.h"
#include "process.h"
#include "rootfs.h"
#include "sync.h"
#include "util.h"

/* setns() order: the user namespace first, so the others are joined with
 * the privileges it grants; mount last, since it changes what paths mean.  */
static const enum spec_ns_type join_order[] = {
  SPEC_NS_USER, SPEC_NS_IPC, SPEC_NS_UTS, SPEC_NS_NETWORK, SPEC_NS_PID, SPEC_NS_CGROUP, SPEC_NS_TIME, SPEC_NS_MOUNT,
};

static int
join_namespaces (ctr_plan *p, rt_error *err)
{
  for (size_t i = 0; i < ARRAY_SIZE (join_order); i++)
    {
      enum spec_ns_type t = join_order[i];
      if (p->join_fds[t] < 0)
        continue;
      if (setns (p->join_fds[t], 0) < 0)
        return rt_fail (err, errno, "join %s namespace", spec_ns_type_name (t));
      close (p->join_fds[t]);
      p->join_fds[t] = -1;
    }
  return 0;
}

/* Opened while we are still dumpable and hold our creator's IDs: once
 * PR_SET_DUMPABLE is off our /proc files belong to the host's root, which a
 * rootless runtime is not.  The kernel checks CAP_SYS_TIME against the
 * opener's credentials, so the fd works after the unshare.  */
static int
open_time_offsets (const ctr_plan *p, int *fd, rt_error *err)
{
  *fd = -1;
  if (!p->new_timens || p->spec->linux_->n_time_offsets == 0)
    return 0;
  *fd = open ("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
  if (*fd < 0)
    return rt_fail (err, errno, "open /proc/self/timens_offsets");
  return 0;
}

static int
write_time_offsets (const spec_linux *l, int fd, rt_error *err)
{
  if (fd < 0)
    return 0;
  for (size_t i = 0; i < l->n_time_offsets; i++)
    {
      char line[96];
      int n = snprintf (line, sizeof line, "%s %lld %u\n", l->time_offsets[i].clock,
                        (long long) l->time_offsets[i].secs, l->time_offsets[i].nanosecs);
      if (write (fd, line, n) < 0)
        return rt_fail (err, errno, "linux.timeOffsets[\"%s\"]: write /proc/self/timens_offsets",
                        l->time_offsets[i].clock);
    }
  return 0;
}

/* Become root of the new user namespace: the parent mapped container ID 0,
 * but our credentials still carry the host IDs until we switch.  */
static int
become_ns_root (const ctr_plan *p, rt_error *err)
{
  if (setresgid (0, 0, 0) < 0)
    return rt_fail (err, errno, "setresgid(0) in the user namespace (is container gid 0 mapped?)");
  if (setresuid (0, 0, 0) < 0)
    return rt_fail (err, errno, "setresuid(0) in the user namespace (is container uid 0 mapped?)");
  if (p->setgroups_allowed && setgroups (0, NULL) < 0)
    return rt_fail (err, errno, "setgroups");
  return 0;
}

static int
setup_uts (const spec *s, bool private_uts, rt_error *err)
{
  if ((s->hostname || s->domainname) && !private_uts)
    return rt_failx (err, EINVAL, "unable to set the hostname or domainname without a private UTS namespace");
  if (s->hostname && sethostname (s->hostname, strlen (s->hostname)) < 0)
    return rt_fail (err, errno, "sethostname `%s`", s->hostname);
  if (s->domainname && setdomainname (s->domainname, strlen (s->domainname)) < 0)
    return rt_fail (err, errno, "setdomainname `%s`", s->domainname);
  return 0;
}

static int
join_session_keyring (const ctr_plan *p, rt_error *err)
{
  char name[300];

  if (p->opts->no_new_keyring)
    return 0;
  snprintf (name, sizeof name, "_ses.%s", p->opts->id);
  /* Kernels or user namespaces without keyring support are not an error,
     as with runc.  */
  if (sys_keyctl_join_session (name) < 0 && errno != ENOSYS && errno != EACCES && errno != EPERM)
    return rt_fail (err, errno, "join a new session keyring");
  return 0;
}

static int container_hooks (const ctr_plan *p, enum hook_kind k, const char *status, rt_error *err);

/* Block until `start` opens the fifo for reading, run the startContainer
 * hooks, then tell `start` how they went: "0" for success, or "1" and the
 * error, which `start` reports as its own failure.  */
static int
wait_for_start_fifo (const ctr_plan *p, rt_error *err)
{
  char path[64];
  _cleanup_close_ int fd = -1;
  int ret;

  snprintf (path, sizeof path, "/proc/self/fd/%d", p->fifo_fd);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "open exec.fifo (is /proc mounted in the container?)");
  ret = container_hooks (p, HOOK_START_CONTAINER, "created", err);
  if (ret < 0)
    {
      dprintf (fd, "1%s", err->msg);
      return ret;
    }
  if (write (fd, "0", 1) != 1)
    return rt_fail (err, errno, "write exec.fifo");
  return 0;
}

static int
container_hooks (const ctr_plan *p, enum hook_kind k, const char *status, rt_error *err)
{
  _cleanup_free_ char *state = NULL;
  size_t n;

  if (hooks_of (p->spec, k, &n) == NULL || n == 0)
    return 0;
  state = hooks_state_json (p->spec->oci_version, p->opts->id, status, p->host_pid, p->bundle,
                            p->spec->annotations, p->spec->n_annotations);
  return hooks_run (p->spec, k, state, err);
}

/* The runtime runs prestart and createRuntime while we wait here, between
 * the mounts and pivot_root as the spec orders it; then createContainer
 * runs in our namespaces, still before pivot_root.  */
static int
run_create_hooks (ctr_plan *p, rt_error *err)
{
  sync_msg m;

  if (sync_send (p->sync_child, SYNC_HOOKS, 0, err) < 0)
    return rt_error_ret (err);
  if (sync_expect (p->sync_child, SYNC_HOOKS_DONE, &m, err) < 0)
    return rt_error_ret (err);
  p->host_pid = m.value;
  /* runc runs them from the rootfs (the mount just made over it), and
     hooks written for runc may rely on relative paths from there.  */
  if (chdir (p->rootfs) < 0)
    return rt_fail (err, errno, "createContainer hooks: chdir `%s`", p->rootfs);
  return container_hooks (p, HOOK_CREATE_CONTAINER, "creating", err);
}

/* rootfs_config.fuse_overlay: the runtime starts the daemon, outside our
 * PID namespace, and mounts it on `target`; we only wait.  It gets our
 * mount namespace (and through it our user namespace) from us: we are no
 * longer dumpable, so it may not open our /proc/PID/ns or setns() through
 * a pidfd.  */
static int
ask_fuse_overlay (void *data, size_t index, int target, rt_error *err)
{
  ctr_plan *p = data;
  _cleanup_close_ int mntns = -1;
  sync_msg m;

  mntns = open ("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (mntns < 0)
    return rt_fail (err, errno, "open /proc/self/ns/mnt");
  if (sync_send_fd (p->sync_child, SYNC_OVERLAY, (int32_t) index, target, err) < 0
      || sync_send_fd (p->sync_child, SYNC_OVERLAY_NS, 0, mntns, err) < 0)
    return rt_error_ret (err);
  return sync_expect (p->sync_child, SYNC_OVERLAY_DONE, &m, err);
}

static int
init_run (ctr_plan *p, rt_error *err)
{
  const spec *s = p->spec;
  const spec_process *proc = s->process;
  _cleanup_free_ char *exe = NULL;
  _cleanup_close_ int timens_fd = -1;
  char **env = NULL;
  bool filter_loaded = false;
  sync_msg m;
  int ret;

  /* If the runtime dies during setup, so do we: nobody could start us.  */
  if (prctl (PR_SET_PDEATHSIG, SIGKILL) < 0)
    return rt_fail (err, errno, "prctl(PR_SET_PDEATHSIG)");

  {
    bool joins_userns = p->join_fds[SPEC_NS_USER] >= 0;
    if (join_namespaces (p, err) < 0)
      return rt_error_ret (err);
    /* Whoever made a joined user namespace decided whether setgroups(2)
       works there (`unshare -r` denies it): its setgroups file says.  */
    if (joins_userns)
      p->setgroups_allowed = !idmap_setgroups_denied (0);
  }
  if (p->new_userns && (p->unshare_flags & CLONE_NEWUSER))
    {
      if (unshare (CLONE_NEWUSER) < 0)
        return rt_fail (err, errno, "unshare the user namespace");
      if (sync_send (p->sync_child, SYNC_USERNS, 0, err) < 0)
        return rt_error_ret (err);
    }
  /* Idmapped trees, if any, arrive before the go-ahead.  */
  for (;;)
    {
      int fd = -1;
      ret = sync_recv (p->sync_child, &m, &fd, err);
      if (ret == -EPIPE)
        return rt_failx (err, EPIPE, "the runtime exited during setup");
      if (ret < 0)
        return ret;
      if (m.type == SYNC_IDMAP && fd >= 0 && m.value >= 0 && (size_t) m.value < s->n_mounts)
        {
          if (p->idmap_fds == NULL)
            {
              p->idmap_fds = xmalloc (s->n_mounts * sizeof *p->idmap_fds);
              for (size_t i = 0; i < s->n_mounts; i++)
                p->idmap_fds[i] = -1;
            }
          p->idmap_fds[m.value] = fd;
          continue;
        }
      if (fd >= 0)
        close (fd);
      if (m.type == SYNC_ERROR)
        {
          *err = m.err;
          return rt_error_ret (err);
        }
      if (m.type != SYNC_GO)
        return rt_failx (err, EPROTO, "sync: expected the go-ahead, got message %u", m.type);
      break;
    }

  if (open_time_offsets (p, &timens_fd, err) < 0)
    return rt_error_ret (err);
  if (p->new_userns || p->join_fds[SPEC_NS_USER] >= 0 || (p->clone_flags & CLONE_NEWUSER))
    if (become_ns_root (p, err) < 0)
      return rt_error_ret (err);
  /* From now on nothing in the container may ptrace us or open our
     /proc entries (they now show the runtime binary).  */
  if (prctl (PR_SET_DUMPABLE, 0) < 0)
    return rt_fail (err, errno, "prctl(PR_SET_DUMPABLE)");

  if (p->unshare_flags & ~CLONE_NEWUSER)
    if (unshare (p->unshare_flags & ~CLONE_NEWUSER) < 0)
      return rt_fail (err, errno, "unshare namespaces (%#lx)", p->unshare_flags & ~CLONE_NEWUSER);
  /* ctr_ext: the runtime moves linux.netDevices into the new namespace.  */
  if (p->ext.net_from_child && ctr_ext_netns_made (p->sync_child, err) < 0)
    return rt_error_ret (err);
  if (write_time_offsets (s->linux_, timens_fd, err) < 0)
    return rt_error_ret (err);

  if (p->need_fork)
    {
      if (ctr_fork_reported (p->sync_child, err) < 0)
        return rt_wrap (err, "fork into the PID namespace");
      /* The grandchild: the real init.  Our parent is about to exit, so a
         death signal would fire at once; EOF on the sync socket is how we
         notice a dead runtime instead.  */
    }

  if (setsid () < 0)
    return rt_fail (err, errno, "setsid");
  if (join_session_keyring (p, err) < 0)
    return rt_error_ret (err);
  if (setup_uts (s, spec_find_namespace (s, SPEC_NS_UTS) != NULL, err) < 0)
    return rt_error_ret (err);

  {
    rootfs_config rc = {
      .spec = s,
      .rootfs = p->rootfs,
      .userns = p->new_userns || spec_find_namespace (s, SPEC_NS_USER) != NULL,
      .rootless = !p->host_root,
      .new_netns = spec_find_namespace (s, SPEC_NS_NETWORK) != NULL,
      .new_cgroupns = spec_find_namespace (s, SPEC_NS_CGROUP) != NULL,
      .new_pidns = spec_find_namespace (s, SPEC_NS_PID) != NULL,
      .no_pivot = p->opts->no_pivot,
      .cgroup_rel_path = p->cg && !p->cg->disabled ? p->cg->rel_path : NULL,
      .console_fd = -1,
      .idmap_fds = p->idmap_fds,
      .fuse_overlay = ask_fuse_overlay,
      .fuse_overlay_data = p,
    };
    if (rootfs_prepare (&rc, err) < 0)
      return rt_error_ret (err);
    if (p->hooks_roundtrip && run_create_hooks (p, err) < 0)
      return rt_error_ret (err);
    if (rootfs_pivot (&rc, err) < 0)
      return rt_error_ret (err);
    /* Before the read-only paths (runc's order): /proc/sys is usually one.  */
    if (s->linux_->n_sysctl && sysctl_apply (s->linux_->sysctl, s->linux_->n_sysctl, err) < 0)
      return rt_error_ret (err);
    if (rootfs_finalize (&rc, err) < 0)
      return rt_error_ret (err);
  }

  {
    ctr_proc_setup ps = {
      .proc = proc,
      .caps = &p->caps,
      .filter = p->filter,
      .setgroups_allowed = p->setgroups_allowed,
      /* ctr_ext: LISTEN_FDS come first, then --preserve-fds.  */
      .preserve_fds = p->opts->preserve_fds + p->ext.listen_fds,
      .sync_fd = p->sync_child,
      .extra_env = p->ext.env,
      .n_extra_env = p->ext.n_env,
      .attrs = &p->ext.attrs,
      .init = true,
    };
    if (ctr_process_prepare (&ps, err) < 0)
      return rt_error_ret (err);
    exe = TAKE_PTR (ps.exe);
    env = TAKE_PTR (ps.env);
    filter_loaded = ps.filter_loaded;
  }

  /* The runtime may exit after this (create, run -d): we must survive it.  */
  if (p->detached && prctl (PR_SET_PDEATHSIG, 0) < 0)
    return rt_fail (err, errno, "prctl(PR_SET_PDEATHSIG)");
  if (sync_send (p->sync_child, SYNC_READY, 0, err) < 0)
    return rt_error_ret (err);

  if (p->fifo_fd >= 0)
    {
      /* No one reads the sync socket any more: close it so a runtime
         that waits for EOF is not kept waiting.  */
      close (p->sync_child);
      p->sync_child = -1;
      if (wait_for_start_fifo (p, err) < 0)
        return rt_error_ret (err);
    }
  else
    {
      if (sync_expect (p->sync_child, SYNC_START, &m, err) < 0)
        return rt_error_ret (err);
      if (container_hooks (p, HOOK_START_CONTAINER, "created", err) < 0)
        return rt_error_ret (err);
    }

  return ctr_process_exec (proc, filter_loaded ? NULL : p->filter, exe, env, err);
}

void
ctr_init_main (ctr_plan *p)
{
  rt_error err = { 0 };

  init_run (p, &err);
  if (p->sync_child >= 0)
    sync_send_error (p->sync_child, &err);
  _exit (127);
}
