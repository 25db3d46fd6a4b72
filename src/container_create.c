/* create and run, the runtime's side: plan everything, clone the init,
 * map its IDs, place it in its cgroup, wait until it is ready, then record
 * the state and either leave (create, run -d) or stay as its parent (run).
 *
 * Any failure after the state directory exists rolls everything back: the
 * init is killed, the cgroup and the directory removed.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cloned_binary.h"
#include "container_priv.h"
#include "hooks.h"
#include "idmap.h"
#include "linux_sys.h"
#include "process.h"
#include "rootfs.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

enum create_mode
{
  MODE_CREATE,
  MODE_RUN_DETACHED,
  MODE_RUN,
};

static const unsigned long ns_clone_flag[SPEC_NS__COUNT] = {
  [SPEC_NS_PID] = CLONE_NEWPID,       [SPEC_NS_NETWORK] = CLONE_NEWNET, [SPEC_NS_MOUNT] = CLONE_NEWNS,
  [SPEC_NS_IPC] = CLONE_NEWIPC,       [SPEC_NS_UTS] = CLONE_NEWUTS,     [SPEC_NS_USER] = CLONE_NEWUSER,
  [SPEC_NS_CGROUP] = CLONE_NEWCGROUP, [SPEC_NS_TIME] = CLONE_NEWTIME,
};

static void
plan_free (ctr_plan *p)
{
  for (int i = 0; i < SPEC_NS__COUNT; i++)
    if (p->join_fds[i] >= 0)
      close (p->join_fds[i]);
  if (p->sync_child >= 0)
    close (p->sync_child);
  if (p->fifo_fd >= 0)
    close (p->fifo_fd);
  if (p->console_fd >= 0)
    close (p->console_fd);
  free (p->helpers);
  free (p->helper_start_times);
  ctr_ext_free (&p->ext);
  sfilter_free (p->filter);
  cg_manager_free (p->cg);
  spec_free (p->spec);
  free (p->bundle);
  free (p->rootfs);
  free (p->pid_file);
}

static int
load_bundle (ctr_plan *p, const rt_create_opts *o, char **config_text, size_t *config_len, rt_error *err)
{
  _cleanup_free_ char *config_path = NULL;
  const char *root_path;
  struct stat st;
  char *resolved;
  ssize_t len;

  p->bundle = path_make_absolute (o->bundle && o->bundle[0] ? o->bundle : ".");
  if (p->bundle == NULL)
    return rt_fail (err, errno, "cannot determine the bundle directory");
  if (stat (p->bundle, &st) < 0)
    return rt_fail (err, errno, "bundle `%s`", p->bundle);
  if (!S_ISDIR (st.st_mode))
    return rt_failx (err, ENOTDIR, "bundle `%s` is not a directory", p->bundle);

  xasprintf (&config_path, "%s/config.json", p->bundle);
  len = read_file_at (AT_FDCWD, config_path, config_text, err);
  if (len < 0)
    return rt_error_ret (err);
  *config_len = len;
  p->spec = spec_load_text (*config_text, len, "config.json", err);
  if (p->spec == NULL)
    return rt_error_ret (err);
  if (p->spec->process == NULL)
    return rt_failx (err, EINVAL, "config.json: process: required to create a container");
  if (p->spec->linux_ == NULL)
    return rt_failx (err, EINVAL, "config.json: linux: required on Linux");

  root_path = p->spec->root->path;
  if (root_path[0] == '/')
    resolved = realpath (root_path, NULL);
  else
    {
      _cleanup_free_ char *joined = NULL;
      xasprintf (&joined, "%s/%s", p->bundle, root_path);
      resolved = realpath (joined, NULL);
    }
  if (resolved == NULL)
    return rt_fail (err, errno, "config.json: root.path: rootfs `%s`", root_path);
  p->rootfs = resolved;
  if (stat (p->rootfs, &st) < 0 || !S_ISDIR (st.st_mode))
    return rt_failx (err, ENOTDIR, "config.json: root.path: rootfs `%s` is not a directory", p->rootfs);
  return 0;
}

/* Decide which namespaces clone3 creates, which the child unshares, and
 * which are joined.  The fast path, one clone3 with every flag, is only
 * possible when nothing is joined (a join has to happen before the user
 * namespace is created, or the joining process lacks the privileges in
 * the target's owner namespace) and no time namespace is new (its offsets
 * must be written before the first process enters it).  */
static int
plan_namespaces (ctr_plan *p, enum cg_layout layout, rt_error *err)
{
  const spec_linux *l = p->spec->linux_;
  unsigned long want = 0;
  bool any_join = false;

  for (size_t i = 0; i < l->n_namespaces; i++)
    {
      const spec_namespace *ns = &l->namespaces[i];
      if (ns->path && ns->path[0])
        {
          int type;
          p->join_fds[ns->type] = open (ns->path, O_RDONLY | O_CLOEXEC);
          if (p->join_fds[ns->type] < 0)
            return rt_fail (err, errno, "linux.namespaces[%zu]: open %s namespace `%s`", i,
                            spec_ns_type_name (ns->type), ns->path);
          /* Checked here, by the kernel's own answer, so a wrong path is
             refused before anything exists rather than by setns() later.  */
          type = ioctl (p->join_fds[ns->type], NS_GET_NSTYPE);
          if (type < 0)
            return rt_fail (err, errno, "linux.namespaces[%zu]: `%s` is not a namespace", i, ns->path);
          if ((unsigned long) type != ns_clone_flag[ns->type])
            return rt_failx (err, EINVAL, "linux.namespaces[%zu]: `%s` is not a %s namespace", i, ns->path,
                             spec_ns_type_name (ns->type));
          any_join = true;
        }
      else
        want |= ns_clone_flag[ns->type];
    }
  if (!(want & CLONE_NEWNS) && p->join_fds[SPEC_NS_MOUNT] < 0)
    return rt_failx (err, EINVAL, "linux.namespaces: a mount namespace is required to set up the container's root");

  p->new_userns = want & CLONE_NEWUSER;
  p->new_pidns = want & CLONE_NEWPID;
  p->new_timens = want & CLONE_NEWTIME;

  /* Only a non-root euid needs a user namespace: root inside one already
     (rootless podman runs the runtime in its own) has its capabilities.  */
  if (geteuid () != 0 && !p->new_userns && p->join_fds[SPEC_NS_USER] < 0)
    return rt_failx (err, EPERM, "rootless container requires user namespaces");

  if (!any_join && !p->new_timens)
    {
      p->clone_flags = want;
      /* A cgroup namespace takes the cgroup the process is in at creation
         as its root, so it can only be made at clone time when the init is
         born in its own cgroup, which on v1 hierarchies it is not.  */
      if ((want & CLONE_NEWCGROUP) && (layout != CG_LAYOUT_V2 || p->cg->disabled || p->cg->v2_fd < 0))
        {
          p->clone_flags &= ~CLONE_NEWCGROUP;
          p->unshare_flags |= CLONE_NEWCGROUP;
        }
    }
  else
    {
      p->unshare_flags = want;
      p->need_fork = (want & (CLONE_NEWPID | CLONE_NEWTIME)) || p->join_fds[SPEC_NS_PID] >= 0
                     || p->join_fds[SPEC_NS_TIME] >= 0;
    }

  /* setgroups() is only possible where the mapping was not written by an
     unprivileged process on its own (which must deny it).  */
  p->setgroups_allowed = true;
  /* Without a user namespace of its own the container stays in ours,
     where an `unshare -r`-style session may have denied setgroups: then
     no supplementary groups are set, as runc does.  */
  if (!p->new_userns && p->join_fds[SPEC_NS_USER] < 0)
    p->setgroups_allowed = !idmap_setgroups_denied (0);
  if (p->new_userns && !p->host_root)
    {
      enum idmap_method m;
      if (idmap_plan (l->gid_mappings, l->n_gid_mappings, true, false, getegid (), &m, err) < 0)
        return rt_error_ret (err);
      p->setgroups_allowed = m != IDMAP_DIRECT_DENY;
    }
  if (p->new_userns && (l->n_uid_mappings == 0 || l->n_gid_mappings == 0))
    return rt_failx (err, EINVAL, "linux.uidMappings and linux.gidMappings are required with a new user namespace");
  return 0;
}

static bool
resources_need_cgroup (const spec *s)
{
  const spec_resources *r = s->linux_->resources;
  return (s->linux_->cgroups_path && s->linux_->cgroups_path[0])
         || (r && (r->memory || r->cpu || r->has_pids || r->block_io || r->n_hugepage_limits || r->has_network
                   || r->n_rdma || r->n_unified));
}

static int
plan_cgroup (ctr_plan *p, rt_error *err)
{
  cg_config cfg = {
    .id = p->opts->id,
    .cgroups_path = p->spec->linux_->cgroups_path,
    .systemd = p->ctx->systemd_cgroup,
    .rootless = rt_context_rootless (p->ctx),
    .resources = p->spec->linux_->resources,
    .annotations = p->spec->annotations,
    .n_annotations = p->spec->n_annotations,
  };
  int ret;

  ret = cg_manager_new (&cfg, &p->cg, err);
  if (ret < 0)
    return ret;
  ret = cg_create (p->cg, err);
  if (ret < 0)
    {
      if (!p->cg->disabled)
        return ret;
      /* Rootless without cgroup access: runc's rule is to carry on without
         a cgroup only when nothing needed one.  */
      if (resources_need_cgroup (p->spec))
        return rt_wrap (err,
                        "rootless needs no limits and no cgroupsPath when no permission is granted for cgroups "
                        "(delegate a cgroup v2 subtree to the user, or drop linux.resources)");
      rt_debug ("running without a cgroup: %s", err->msg);
      rt_error_clear (err);
      return 0;
    }
  ret = cg_apply (p->cg, p->spec->linux_->resources, false, err);
  if (ret < 0)
    return ret;
  return 0;
}

/* exec.fifo: the init blocks opening it for writing until `start` opens it
 * for reading.  The init cannot reach the state directory once it has left
 * the host's identity, so the runtime opens it here (O_PATH) and the init
 * reopens it through /proc/self/fd.  */
static int
make_fifo (ctr_plan *p, int dir_fd, rt_error *err)
{
  if (mkfifoat (dir_fd, STATE_FIFO_FILE, 0622) < 0)
    return rt_fail (err, errno, "create exec.fifo");
  /* The umask took the write bits for others, and the init opens the fifo
     for writing after switching to process.user, often not root.  */
  if (fchmodat (dir_fd, STATE_FIFO_FILE, 0622, 0) < 0)
    return rt_fail (err, errno, "chmod exec.fifo");
  if (p->new_userns && p->host_root)
    {
      uint32_t uid = 0, gid = 0;
      idmap_container_to_host (p->spec->linux_->uid_mappings, p->spec->linux_->n_uid_mappings, 0, &uid);
      idmap_container_to_host (p->spec->linux_->gid_mappings, p->spec->linux_->n_gid_mappings, 0, &gid);
      if (fchownat (dir_fd, STATE_FIFO_FILE, uid, gid, 0) < 0)
        return rt_fail (err, errno, "chown exec.fifo");
    }
  p->fifo_fd = openat (dir_fd, STATE_FIFO_FILE, O_PATH | O_CLOEXEC);
  if (p->fifo_fd < 0)
    return rt_fail (err, errno, "open exec.fifo");
  return 0;
}

static pid_t
clone_init (ctr_plan *p, int *pidfd, rt_error *err)
{
  struct clone_args args;
  pid_t pid;

  memset (&args, 0, sizeof args);
  args.flags = p->clone_flags | CLONE_PIDFD;
  args.pidfd = (uint64_t) (uintptr_t) pidfd;
  args.exit_signal = SIGCHLD;
  if (p->cg && !p->cg->disabled && p->cg->v2_fd >= 0)
    {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t) p->cg->v2_fd;
    }
  pid = sys_clone3 (&args, sizeof args);
  if (pid < 0 && (args.flags & CLONE_INTO_CGROUP) && (errno == EINVAL || errno == EPERM || errno == EACCES
                                                     || errno == EBUSY || errno == EOPNOTSUPP))
    {
      /* The unified cgroup refused a direct placement (no-internal-process
         rule, or a hybrid mount without the right delegation): clone
         normally and join afterwards.  */
      args.flags &= ~CLONE_INTO_CGROUP;
      args.cgroup = 0;
      pid = sys_clone3 (&args, sizeof args);
    }
  else if (pid >= 0 && (args.flags & CLONE_INTO_CGROUP))
    p->cg->placed_v2 = true;
  if (pid < 0 && errno == ENOSYS)
    {
      /* No clone3 (old kernel, or valgrind): plain clone, then join the
         cgroup and open the pidfd afterwards.  */
      pid = (pid_t) syscall (SYS_clone, p->clone_flags | SIGCHLD, NULL, NULL, NULL, NULL);
      if (pid > 0)
        *pidfd = sys_pidfd_open (pid, 0);
    }
  if (pid < 0)
    return rt_fail (err, errno, "clone3 (flags %#llx)", (unsigned long long) args.flags);
  return pid;
}

static bool
wants_idmap (const spec *s)
{
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      const spec_mount *m = &s->mounts[i];
      if (m->n_uid_mappings || m->n_gid_mappings)
        return true;
      for (size_t j = 0; j < m->n_options; j++)
        if (strcmp (m->options[j], "idmap") == 0 || strcmp (m->options[j], "ridmap") == 0)
          return true;
    }
  return false;
}

/* Only a process privileged over a filesystem's user namespace may idmap
 * its mounts, so the trees are made here, in the host's namespace, and
 * handed to the init, which attaches them where the config says.  */
static int
send_idmap_trees (const ctr_plan *p, pid_t pid, int sync_fd, rt_error *err)
{
  _cleanup_free_ int *fds = NULL;
  _cleanup_close_ int userns = -1;
  char path[64];
  int ret = 0;

  if (!wants_idmap (p->spec))
    return 0;
  snprintf (path, sizeof path, "/proc/%d/ns/user", (int) pid);
  if (p->new_userns || p->join_fds[SPEC_NS_USER] >= 0)
    {
      userns = open (path, O_RDONLY | O_CLOEXEC);
      if (userns < 0)
        return rt_fail (err, errno, "open %s", path);
    }
  fds = xmalloc (p->spec->n_mounts * sizeof *fds);
  if (rootfs_idmap_mounts (p->spec, userns, fds, err) < 0)
    return rt_error_ret (err);
  for (size_t i = 0; i < p->spec->n_mounts; i++)
    {
      if (fds[i] < 0)
        continue;
      if (ret == 0)
        ret = sync_send_fd (sync_fd, SYNC_IDMAP, (int32_t) i, fds[i], err);
      close (fds[i]);
    }
  return ret;
}

/* Runs in the runtime while the child waits: the user-namespace maps,
 * cgroup membership and oom_score_adj are all things only the host side
 * can do.  */
static int
prepare_child (ctr_plan *p, pid_t pid, int sync_fd, rt_error *err)
{
  const spec_linux *l = p->spec->linux_;
  sync_msg m;

  if (p->new_userns)
    {
      if (p->clone_flags & CLONE_NEWUSER)
        ; /* created with the clone: maps can be written right away */
      else if (sync_expect (sync_fd, SYNC_USERNS, &m, err) < 0)
        return rt_wrap (err, "waiting for the user namespace");
      if (idmap_apply (pid, l->uid_mappings, l->n_uid_mappings, l->gid_mappings, l->n_gid_mappings, err) < 0)
        return rt_wrap (err, "write the user namespace ID mappings");
    }
  if (p->cg && cg_enter (p->cg, pid, err) < 0)
    return rt_error_ret (err);
  if (send_idmap_trees (p, pid, sync_fd, err) < 0)
    return rt_error_ret (err);
  if (p->spec->process->has_oom_score_adj
      && proc_set_oom_score_adj (pid, p->spec->process->oom_score_adj, err) < 0)
    return rt_error_ret (err);
  if (ctr_ext_child_created (&p->ext, p, pid, err) < 0)
    return rt_error_ret (err);
  return sync_send (sync_fd, SYNC_GO, 0, err);
}

static int
write_pid_file (const char *path, pid_t pid, rt_error *err)
{
  _cleanup_free_ char *abs = path_make_absolute (path);
  char buf[32];
  int n = snprintf (buf, sizeof buf, "%d", (int) pid);

  if (abs == NULL)
    return rt_fail (err, errno, "pid file `%s`", path);
  if (write_file_atomic (AT_FDCWD, abs, buf, n, 0644, err) < 0)
    return rt_wrap (err, "write pid file");
  return 0;
}

static int
record_state (ctr_plan *p, int dir_fd, pid_t pid, rt_error *err)
{
  rt_state st;
  _cleanup_free_ char *cg = NULL;
  int ret;

  memset (&st, 0, sizeof st);
  st.id = (char *) p->opts->id;
  st.pid = pid;
  if (proc_start_time (pid, &st.pid_start_time) < 0)
    return rt_fail (err, ESRCH, "container init %d exited during setup", (int) pid);
  st.bundle = p->bundle;
  st.rootfs = p->rootfs;
  st.created = rfc3339_now ();
  st.oci_version = p->spec->oci_version;
  st.annotations = p->spec->annotations;
  st.n_annotations = p->spec->n_annotations;
  st.rootless = rt_context_rootless (p->ctx);
  st.systemd_cgroup = p->ctx->systemd_cgroup;
  cg = cg_manager_serialize (p->cg);
  st.cgroup = cg;
  st.has_pidns = p->new_pidns || p->join_fds[SPEC_NS_PID] >= 0;
  st.userns = p->new_userns || p->join_fds[SPEC_NS_USER] >= 0;
  st.no_pivot = p->opts->no_pivot;
  st.keep_on_exit = p->opts->keep;
  st.helpers = p->helpers;
  st.helper_start_times = p->helper_start_times;
  st.n_helpers = p->n_helpers;
  ret = state_write (dir_fd, &st, err);
  free (st.created);
  if (ret < 0)
    return ret;
  if (p->pid_file && write_pid_file (p->pid_file, pid, err) < 0)
    return rt_error_ret (err);
  return 0;
}

/* Runs before anything is created, because on success it does not return:
 * the process starts over from a sealed memfd copy of the binary.  */
static int
protect_binary (const ctr_plan *p, rt_error *err)
{
  const spec_namespace *user = spec_find_namespace (p->spec, SPEC_NS_USER);
  const spec_linux *l = p->spec->linux_;
  binary_facts f;

  if (p->ctx->argv == NULL || binary_is_sealed_copy ())
    return 0;
  if (binary_facts_self (&f, err) < 0)
    return rt_error_ret (err);
  if (!binary_exposure (&f, user != NULL, user && user->path, l->uid_mappings, l->n_uid_mappings, l->gid_mappings,
                        l->n_gid_mappings))
    return 0;
  rt_debug ("the container could write the runtime binary: re-executing from a sealed copy");
  return binary_reexec_sealed (p->ctx->argv, err);
}

static int
check_terminal_opts (const ctr_plan *p, enum create_mode mode, rt_error *err)
{
  bool terminal = p->spec->process->terminal;
  bool detached = mode != MODE_RUN;

  if (terminal && detached && p->opts->console_socket == NULL)
    return rt_failx (err, EINVAL, "cannot allocate tty if runc will detach without setting console socket");
  if (p->opts->console_socket && (!terminal || !detached))
    return rt_failx (err, EINVAL, "cannot use console socket if runc will not detach or allocate tty");
  return 0;
}

static int
runtime_hooks (const ctr_plan *p, pid_t pid, enum hook_kind k, const char *status, rt_error *err)
{
  _cleanup_free_ char *state = NULL;
  size_t n;

  if (hooks_of (p->spec, k, &n) == NULL || n == 0)
    return 0;
  state = hooks_state_json (p->spec->oci_version, p->opts->id, status, pid, p->bundle, p->spec->annotations,
                            p->spec->n_annotations);
  return hooks_run (p->spec, k, state, err);
}

/* poststart and poststop failures do not undo anything: the spec asks for
 * a warning and for the lifecycle to go on.  */
static void
warn_hooks (const ctr_plan *p, pid_t pid, enum hook_kind k, const char *status)
{
  rt_error err = { 0 };
  if (runtime_hooks (p, pid, k, status, &err) < 0)
    rt_warn ("%s", err.msg);
}

/* Tear down a container whose creation failed.  */
static void
rollback (ctr_plan *p, int root_fd, int dir_fd, pid_t child, int pidfd)
{
  rt_error ignored = { 0 };

  if (pidfd >= 0)
    sys_pidfd_send_signal (pidfd, SIGKILL, NULL, 0);
  else if (child > 0)
    kill (child, SIGKILL);
  if (child > 0)
    while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
      ;
  ctr_helpers_kill (p);
  if (p->cg && !p->cg->disabled)
    {
      cg_kill_all (p->cg, SIGKILL, &ignored);
      cg_destroy (p->cg, &ignored);
    }
  /* A container that got as far as existing is "deleted": its poststop
     hooks run, as the spec's lifecycle says for failed hooks.  */
  if (child > 0)
    warn_hooks (p, 0, HOOK_POSTSTOP, "stopped");
  if (dir_fd >= 0)
    {
      ctr_ext_destroy (p->spec, p->opts->id);
      state_dir_remove (root_fd, p->opts->id, &ignored);
    }
}

static int
create_common (const rt_context *ctx, const rt_create_opts *o, enum create_mode mode, int *status, rt_error *err)
{
  ctr_plan p;
  _cleanup_free_ char *config_text = NULL;
  size_t config_len = 0;
  _cleanup_close_ int root_fd = -1, dir_fd = -1, pidfd = -1, sync_parent = -1, pty_master = -1;
  int fds[2];
  pid_t child = -1, init_pid;
  sigset_t all, old;
  bool signals_blocked = false;
  sync_msg m;
  int ret;

  memset (&p, 0, sizeof p);
  ctr_ext_init (&p.ext);
  for (int i = 0; i < SPEC_NS__COUNT; i++)
    p.join_fds[i] = -1;
  p.sync_child = p.fifo_fd = p.console_fd = -1;
  p.ctx = ctx;
  p.opts = o;
  p.host_root = geteuid () == 0 && in_initial_userns ();
  p.detached = mode != MODE_RUN;

  ret = state_validate_id (o->id, err);
  if (ret < 0)
    goto out;
  /* runc resolves the pid file against the caller's directory, then works
     from the bundle: relative bind sources, overlay layers, the console
     socket and hooks all see the bundle as their current directory.  */
  if (o->pid_file && (p.pid_file = path_make_absolute (o->pid_file)) == NULL)
    {
      ret = rt_fail (err, errno, "pid file `%s`", o->pid_file);
      goto out;
    }
  ret = load_bundle (&p, o, &config_text, &config_len, err);
  if (ret < 0)
    goto out;

  ret = check_terminal_opts (&p, mode, err);
  if (ret < 0)
    goto out;
  ret = protect_binary (&p, err);
  if (ret < 0)
    goto out;
  /* Only after the possible re-exec, which must start in the caller's
     directory to resolve the command line the same way again.  */
  if (chdir (p.bundle) < 0)
    {
      ret = rt_fail (err, errno, "chdir to the bundle `%s`", p.bundle);
      goto out;
    }
  {
    size_t n1, n2, n3, n4;
    hooks_of (p.spec, HOOK_PRESTART, &n1);
    hooks_of (p.spec, HOOK_CREATE_RUNTIME, &n2);
    hooks_of (p.spec, HOOK_CREATE_CONTAINER, &n3);
    hooks_of (p.spec, HOOK_START_CONTAINER, &n4);
    p.hooks_roundtrip = n1 + n2 + n3 + n4 > 0;
  }
  ret = proc_validate (p.spec->process, err);
  if (ret < 0)
    goto out;
  ret = sysctl_validate (p.spec, err);
  if (ret < 0)
    goto out;
  ret = ctr_ext_create_check (&p.ext, &p, err);
  if (ret < 0)
    goto out;
  if (p.spec->linux_->seccomp)
    {
      ret = sfilter_build (p.spec->linux_->seccomp, &p.filter, err);
      if (ret < 0)
        goto out;
    }
  ret = caps_plan_from_spec (p.spec->process->capabilities, &p.caps, err);
  if (ret < 0)
    goto out;

  root_fd = state_root_open (ctx->root, true, err);
  if (root_fd < 0)
    {
      ret = root_fd;
      goto out;
    }
  dir_fd = state_dir_create (root_fd, o->id, err);
  if (dir_fd < 0)
    {
      ret = dir_fd;
      goto out;
    }

  /* From here on every failure must undo what was made.  */
  ret = write_file_at (dir_fd, STATE_CONFIG_FILE, config_text, config_len, 0600, err);
  if (ret < 0)
    goto fail;
  ret = plan_cgroup (&p, err);
  if (ret < 0)
    goto fail;
  ret = plan_namespaces (&p, cg_layout_detect (), err);
  if (ret < 0)
    goto fail;
  if (mode == MODE_CREATE)
    {
      ret = make_fifo (&p, dir_fd, err);
      if (ret < 0)
        goto fail;
    }
  if (o->console_socket)
    {
      p.console_fd = term_connect_socket (o->console_socket, err);
      if (p.console_fd < 0)
        {
          ret = p.console_fd;
          goto fail;
        }
    }
  ret = ctr_ext_create_setup (&p.ext, &p, dir_fd, mode != MODE_CREATE, err);
  if (ret < 0)
    goto fail;
  ret = sync_pair (fds, err);
  if (ret < 0)
    goto fail;
  sync_parent = fds[0];
  p.sync_child = fds[1];

  if (mode == MODE_RUN)
    {
      /* Queue every signal from now on: they are forwarded to the init once
         it runs, and none may be lost in between.  */
      if (!o->no_subreaper && prctl (PR_SET_CHILD_SUBREAPER, 1) < 0)
        {
          ret = rt_fail (err, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
          goto fail;
        }
      sigfillset (&all);
      sigprocmask (SIG_BLOCK, &all, &old);
      signals_blocked = true;
    }

  child = clone_init (&p, &pidfd, err);
  if (child < 0)
    {
      ret = child;
      child = -1;
      goto fail;
    }
  if (child == 0)
    {
      /* The flock() lives on the open file description, which the clone
         shares: keeping the fd would hold the container's lock until the
         init execs, and `start` would wait for it forever.  */
      close (dir_fd);
      close (root_fd);
      close (sync_parent);
      ctr_init_main (&p);
    }
  close (TAKE_FD (p.sync_child));

  ret = prepare_child (&p, child, sync_parent, err);
  if (ret < 0)
    goto fail_child;
  ret = ctr_ext_child_netns (&p.ext, &p, child, sync_parent, err);
  if (ret < 0)
    goto fail_child;

  init_pid = child;
  if (p.need_fork)
    {
      ret = sync_expect (sync_parent, SYNC_PID, &m, err);
      if (ret < 0)
        goto fail_child;
      init_pid = m.value;
      /* The intermediate exits right after reporting.  */
      while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
        ;
      close (TAKE_FD (pidfd));
      child = init_pid;
      pidfd = sys_pidfd_open (init_pid, 0);
    }

  /* The init may hand over a pty master before it is ready.  */
  for (;;)
    {
      int passed = -1;
      ret = sync_recv (sync_parent, &m, &passed, err);
      if (ret == -EPIPE)
        ret = rt_failx (err, EPIPE, "container init exited during setup");
      if (ret < 0)
        goto fail_child;
      if (m.type == SYNC_ERROR)
        {
          *err = m.err;
          ctr_overlay_explain (&p, dir_fd, err);
          ret = rt_error_ret (err);
          goto fail_child;
        }
      if (m.type == SYNC_OVERLAY)
        {
          ret = ctr_overlay_serve (&p, dir_fd, m.value, passed, sync_parent, err);
          if (passed >= 0)
            close (passed);
          if (ret < 0)
            goto fail_child;
          continue;
        }
      if (m.type == SYNC_PTY)
        {
          if (pty_master >= 0)
            close (pty_master);
          pty_master = passed;
          continue;
        }
      ret = ctr_ext_message (&p.ext, &m, passed, init_pid, init_pid, err);
      if (ret < 0)
        goto fail_child;
      if (ret > 0)
        continue;
      if (passed >= 0)
        close (passed);
      if (m.type == SYNC_HOOKS)
        {
          ret = runtime_hooks (&p, init_pid, HOOK_PRESTART, "creating", err);
          if (ret == 0)
            ret = runtime_hooks (&p, init_pid, HOOK_CREATE_RUNTIME, "creating", err);
          if (ret == 0)
            ret = sync_send (sync_parent, SYNC_HOOKS_DONE, init_pid, err);
          if (ret < 0)
            goto fail_child;
          continue;
        }
      if (m.type == SYNC_READY)
        break;
      ret = rt_failx (err, EPROTO, "sync: unexpected message %u from the container init", m.type);
      goto fail_child;
    }

  if (pty_master >= 0 && p.console_fd >= 0)
    {
      ret = term_send_master (p.console_fd, pty_master, err);
      if (ret < 0)
        goto fail_child;
      close (TAKE_FD (pty_master));
    }

  ret = ctr_ext_ready (&p.ext, pidfd, false, err);
  if (ret < 0)
    goto fail_child;
  ret = record_state (&p, dir_fd, init_pid, err);
  if (ret < 0)
    goto fail_child;

  if (mode == MODE_CREATE)
    {
      ret = 0;
      goto out;
    }

  ret = sync_send (sync_parent, SYNC_START, 0, err);
  if (ret < 0)
    goto fail_child;
  /* The socket is close-on-exec in the init: EOF means execve succeeded.  */
  ret = sync_recv (sync_parent, &m, NULL, err);
  if (ret == 0 && m.type == SYNC_ERROR)
    {
      *err = m.err;
      ret = rt_error_ret (err);
      goto fail_child;
    }
  if (ret < 0 && ret != -EPIPE)
    goto fail_child;
  ret = 0;
  warn_hooks (&p, init_pid, HOOK_POSTSTART, "running");

  if (mode == MODE_RUN_DETACHED)
    {
      /* Waiting for READY=1 must not hold the container's lock.  */
      close (TAKE_FD (dir_fd));
      ctr_ext_started (&p.ext, false, init_pid, pidfd);
      if (status)
        *status = 0;
      goto out;
    }

  close (TAKE_FD (sync_parent));
  /* The directory lock must not be held while the container runs, or every
     other command on it would block.  */
  close (TAKE_FD (dir_fd));
  ctr_ext_started (&p.ext, true, init_pid, pidfd);
  ret = ctr_run_foreground (ctx, o->id, p.cg, init_pid, pidfd, pty_master, &old, status, err);
  signals_blocked = false;
  goto out;

fail_child:
  rollback (&p, root_fd, dir_fd, child, pidfd);
  goto out;
fail:
  rollback (&p, root_fd, dir_fd, -1, -1);
out:
  if (signals_blocked)
    sigprocmask (SIG_SETMASK, &old, NULL);
  plan_free (&p);
  return ret;
}

int
rt_container_create (const rt_context *ctx, const rt_create_opts *o, rt_error *err)
{
  return create_common (ctx, o, MODE_CREATE, NULL, err);
}

int
rt_container_run (const rt_context *ctx, const rt_create_opts *o, int *status, rt_error *err)
{
  *status = 0;
  return create_common (ctx, o, o->detach ? MODE_RUN_DETACHED : MODE_RUN, status, err);
}
