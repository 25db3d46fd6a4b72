/* The 1.3 extras and environment features at the engine's call sites (see
 * container_ext.h).  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "container_priv.h"
#include "fdpass.h"
#include "intelrdt.h"
#include "linux_sys.h"
#include "listen_fds.h"
#include "lsm.h"
#include "netdev.h"
#include "notify_socket.h"
#include "util.h"

void
ctr_ext_init (ctr_ext *x)
{
  memset (x, 0, sizeof *x);
  x->pidfd_sock = x->notify_sock = -1;
}

void
ctr_ext_free (ctr_ext *x)
{
  if (x->notifier_running)
    pthread_join (x->notifier, NULL);
  procattr_plan_free (&x->attrs);
  bitlist_free (&x->saved_affinity);
  for (size_t i = 0; i < x->n_env; i++)
    free (x->env[i]);
  if (x->pidfd_sock >= 0)
    close (x->pidfd_sock);
  if (x->notify_sock >= 0)
    close (x->notify_sock);
  ctr_ext_init (x);
}

static int
check_lsm (const lsm_request *r, rt_error *err)
{
  lsm_host h;

  lsm_host_detect (&h);
  return lsm_check (&h, r, err);
}

static void
agent_info (ctr_ext *x, const spec *s, const char *id, const char *bundle, const spec_kv *annotations,
            size_t n_annotations, const char *status)
{
  x->seccomp = s->linux_ ? s->linux_->seccomp : NULL;
  x->agent.metadata = x->seccomp ? x->seccomp->listener_metadata : NULL;
  x->agent.id = id;
  x->agent.status = status;
  x->agent.bundle = bundle;
  x->agent.annotations = annotations;
  x->agent.n_annotations = n_annotations;
}

/* ---- create and run ------------------------------------------------------------------------ */

int
ctr_ext_create_check (ctr_ext *x, ctr_plan *p, rt_error *err)
{
  spec *s = p->spec;
  const rt_create_opts *o = p->opts;
  lsm_request req = {
    .apparmor_profile = s->process->apparmor_profile,
    .apparmor_field = "process.apparmorProfile",
    .selinux_label = s->process->selinux_label,
    .selinux_field = "process.selinuxLabel",
    .mount_label = s->linux_->mount_label,
  };

  if (check_lsm (&req, err) < 0)
    return rt_error_ret (err);
  lsm_label_mounts (s, s->linux_->mount_label);
  if (procattr_plan_init (&x->attrs, s->process, s->linux_, false, err) < 0)
    return rt_error_ret (err);
  if (netdev_validate (s, p->host_root, err) < 0)
    return rt_error_ret (err);
  if (s->linux_->intel_rdt && rdt_check (RDT_ROOT_DEFAULT, s->linux_->intel_rdt, err) < 0)
    return rt_error_ret (err);
  if (o->listen_fds > 0)
    {
      if (listen_fds_check (o->listen_fds, err) < 0)
        return rt_error_ret (err);
      x->listen_fds = o->listen_fds;
      x->n_env = listen_fds_env (o->listen_fds, o->listen_fdnames, x->env);
    }
  agent_info (x, s, o->id, p->bundle, s->annotations, s->n_annotations, "creating");
  return 0;
}

int
ctr_ext_create_setup (ctr_ext *x, ctr_plan *p, int dir_fd, bool run, rt_error *err)
{
  const rt_create_opts *o = p->opts;

  if (o->pidfd_socket)
    {
      x->pidfd_sock = fdpass_connect (o->pidfd_socket, "pidfd socket", err);
      if (x->pidfd_sock < 0)
        return x->pidfd_sock;
    }
  if (o->notify_socket && o->notify_socket[0])
    {
      _cleanup_free_ char *state_dir = NULL;

      xasprintf (&state_dir, "%s/%s", p->ctx->root, o->id);
      if (notify_socket_setup (p->spec, dir_fd, state_dir, err) < 0)
        return rt_error_ret (err);
      x->env[x->n_env++] = xstrdup ("NOTIFY_SOCKET=" NOTIFY_CONTAINER_PATH);
      x->notify_host = o->notify_socket;
      /* create leaves the binding to `start`, which waits for READY.  */
      if (run)
        {
          x->notify_sock = notify_socket_bind (state_dir, err);
          if (x->notify_sock < 0)
            return x->notify_sock;
        }
    }
  /* A network namespace the init creates with unshare() exists only once
     it has said so; one made by clone3 or joined by path exists now.
     runc-slirp needs the namespace from the init in any case: once the
     init is no longer dumpable a rootless runtime cannot open it through
     /proc (container_net.h).  */
  x->net_from_child = (p->spec->linux_->n_net_devices && (p->unshare_flags & CLONE_NEWNET))
                      || ctr_net_wanted (&p->net);
  return 0;
}

static int
move_devices (const ctr_plan *p, pid_t pid, rt_error *err)
{
  const spec_namespace *net = spec_find_namespace (p->spec, SPEC_NS_NETWORK);
  _cleanup_free_ char *path = NULL;
  _cleanup_close_ int fd = -1;

  if (net && net->path && net->path[0])
    path = xstrdup (net->path);
  else
    xasprintf (&path, "/proc/%d/ns/net", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "linux.netDevices: open the container's network namespace `%s`", path);
  return netdev_move_all (p->spec->linux_, fd, err);
}

int
ctr_ext_child_created (ctr_ext *x, const ctr_plan *p, pid_t pid, rt_error *err)
{
  const spec_linux *l = p->spec->linux_;

  /* Before the child runs: whatever it forks inherits the group.  */
  if (l->intel_rdt && rdt_apply (RDT_ROOT_DEFAULT, p->opts->id, l->intel_rdt, pid, err) < 0)
    return rt_error_ret (err);
  if (l->n_net_devices && !x->net_from_child && move_devices (p, pid, err) < 0)
    return rt_error_ret (err);
  return 0;
}

int
ctr_ext_child_netns (ctr_ext *x, const ctr_plan *p, pid_t pid, int sync_fd, int *netns_fd, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  sync_msg m;
  int ret;

  *netns_fd = -1;
  if (!x->net_from_child)
    return 0;
  ret = sync_recv (sync_fd, &m, &fd, err);
  if (ret == -EPIPE)
    ret = rt_failx (err, EPIPE, "container init exited during setup");
  else if (ret == 0 && m.type == SYNC_ERROR)
    {
      *err = m.err;
      ret = rt_error_ret (err);
    }
  else if (ret == 0 && (m.type != SYNC_NETNS || fd < 0))
    ret = rt_failx (err, EPROTO, "sync: expected the network namespace, got message %u", m.type);
  if (ret < 0)
    return rt_wrap (err, "waiting for the container's network namespace");
  if (p->spec->linux_->n_net_devices && move_devices (p, pid, err) < 0)
    return rt_error_ret (err);
  ret = sync_send (sync_fd, SYNC_GO, 0, err);
  if (ret >= 0)
    *netns_fd = TAKE_FD (fd);
  return ret;
}

int
ctr_ext_netns_made (int sync_fd, rt_error *err)
{
  _cleanup_close_ int self = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  sync_msg m;

  if (self < 0)
    return rt_fail (err, errno, "open /proc/self/ns/net");
  if (sync_send_fd (sync_fd, SYNC_NETNS, 0, self, err) < 0)
    return rt_error_ret (err);
  return sync_expect (sync_fd, SYNC_GO, &m, err);
}

typedef struct notifier_args
{
  int sock;
  int pidfd;
  const char *host;
  pid_t mainpid;
} notifier_args;

static void *
notifier_main (void *data)
{
  notifier_args *a = data;
  rt_error err = { 0 };

  /* Nobody would read an error here: the container runs regardless, and
     the service manager notices the missing READY=1 by itself.  */
  notify_socket_forward (a->sock, a->host, a->pidfd, a->mainpid, &err);
  close (a->sock);
  close (a->pidfd);
  free (a);
  return NULL;
}

void
ctr_ext_started (ctr_ext *x, bool foreground, pid_t init, int pidfd)
{
  rt_error err = { 0 };
  notifier_args *a;
  int r;

  if (x->notify_sock < 0)
    return;
  if (!foreground)
    {
      if (notify_socket_forward (x->notify_sock, x->notify_host, pidfd, init, &err) < 0)
        rt_warn ("%s", err.msg);
      close (TAKE_FD (x->notify_sock));
      return;
    }
  /* In the foreground the runtime stays the service's main process and
     its loop relays signals and the terminal, so the wait runs beside it.  */
  a = xzalloc (sizeof *a);
  a->sock = TAKE_FD (x->notify_sock);
  a->pidfd = fcntl (pidfd, F_DUPFD_CLOEXEC, 3);
  a->host = x->notify_host;
  a->mainpid = getpid ();
  if (a->pidfd < 0 || (r = pthread_create (&x->notifier, NULL, notifier_main, a)) != 0)
    {
      int e = a->pidfd < 0 ? errno : r;
      close (a->sock);
      if (a->pidfd >= 0)
        close (a->pidfd);
      free (a);
      rt_warn ("NOTIFY_SOCKET: start waiting for the container: %s", strerror (e));
      return;
    }
  x->notifier_running = true;
}

int
rt_container_start_notify (const rt_context *ctx, const char *id, const char *notify_socket, rt_error *err)
{
  _cleanup_free_ char *state_dir = NULL;
  _cleanup_close_ int sock = -1, pidfd = -1;
  rt_container_info info;
  rt_error e2 = { 0 };

  if (notify_socket && notify_socket[0])
    {
      xasprintf (&state_dir, "%s/%s", ctx->root, id);
      sock = notify_socket_bind (state_dir, &e2);
      /* A container created without $NOTIFY_SOCKET has nowhere to say it.  */
      if (sock < 0 && sock != -ENOENT)
        {
          *err = e2;
          return sock;
        }
    }
  if (rt_container_start (ctx, id, err) < 0)
    return rt_error_ret (err);
  if (sock < 0 || rt_container_info_get (ctx, id, &info, &e2) < 0)
    return 0;
  pidfd = info.pid > 0 ? sys_pidfd_open (info.pid, 0) : -1;
  if (pidfd >= 0 && notify_socket_forward (sock, notify_socket, pidfd, info.pid, &e2) < 0)
    rt_warn ("%s", e2.msg);
  rt_container_info_free (&info);
  return 0;
}

/* ---- exec -------------------------------------------------------------------------------- */

int
ctr_ext_exec_check (ctr_ext *x, const spec *s, const spec_process *proc, const rt_exec_opts *o,
                    const rt_state *st, rt_error *err)
{
  lsm_request req = {
    .apparmor_profile = proc->apparmor_profile,
    .apparmor_field = o->apparmor ? "--apparmor" : "process.apparmorProfile",
    .selinux_label = proc->selinux_label,
    .selinux_field = o->process_label ? "--process-label" : "process.selinuxLabel",
  };

  if (check_lsm (&req, err) < 0)
    return rt_error_ret (err);
  if (procattr_plan_init (&x->attrs, proc, s->linux_, true, err) < 0)
    return rt_error_ret (err);
  if (o->pidfd_socket)
    {
      x->pidfd_sock = fdpass_connect (o->pidfd_socket, "pidfd socket", err);
      if (x->pidfd_sock < 0)
        return x->pidfd_sock;
    }
  agent_info (x, s, st->id, st->bundle, st->annotations, st->n_annotations, "running");
  return 0;
}

int
ctr_ext_exec_pin (ctr_ext *x, rt_error *err)
{
  if (procattr_pin_initial (&x->attrs, &x->saved_affinity, err) < 0)
    return rt_error_ret (err);
  if (x->attrs.cpus_initial.n_words)
    {
      _cleanup_free_ char *list = bitlist_format (&x->attrs.cpus_initial);
      rt_debug ("exec: initial CPU affinity %s", list);
    }
  return 0;
}

void
ctr_ext_exec_unpin (ctr_ext *x)
{
  rt_error ignored = { 0 };

  if (procattr_restore_affinity (&x->saved_affinity, &ignored) < 0)
    rt_warn ("%s", ignored.msg);
  bitlist_free (&x->saved_affinity);
}

int
ctr_ext_exec_joined (ctr_ext *x, const spec *s, const char *id, pid_t pid, rt_error *err)
{
  if (s->linux_->intel_rdt && rdt_join (RDT_ROOT_DEFAULT, id, s->linux_->intel_rdt, pid, err) < 0)
    return rt_error_ret (err);
  return 0;
}

/* ---- both -------------------------------------------------------------------------------- */

int
ctr_ext_message (ctr_ext *x, const sync_msg *m, int passed, pid_t pid, pid_t init_pid, rt_error *err)
{
  _cleanup_close_ int fd = passed;

  if (m->type != SYNC_SECCOMP)
    {
      fd = -1;
      return 0;
    }
  if (fd < 0)
    return rt_failx (err, EPROTO, "sync: the seccomp notification fd is missing");
  if (x->seccomp == NULL || x->seccomp->listener_path == NULL)
    return rt_failx (err, EINVAL, "linux.seccomp.listenerPath: seccomp listenerPath is not set");
  x->agent.pid = pid;
  x->agent.init_pid = init_pid;
  if (seccomp_notify_send (x->seccomp->listener_path, &x->agent, fd, err) < 0)
    return rt_wrap (err, "linux.seccomp.listenerPath");
  return 1;
}

int
ctr_ext_ready (ctr_ext *x, int pidfd, bool exec, rt_error *err)
{
  if (x->pidfd_sock < 0)
    return 0;
  if (pidfd < 0)
    return rt_failx (err, ESRCH, "--pidfd-socket: no pidfd for the container process");
  if (pidfd_socket_send (x->pidfd_sock, pidfd, exec ? "setns" : "standard", err) < 0)
    return rt_error_ret (err);
  close (TAKE_FD (x->pidfd_sock));
  return 0;
}

/* ---- delete ------------------------------------------------------------------------------ */

void
ctr_ext_destroy (const spec *s, const char *id)
{
  rt_error err = { 0 };

  if (s->linux_ && s->linux_->intel_rdt && rdt_remove (RDT_ROOT_DEFAULT, id, s->linux_->intel_rdt, &err) < 0)
    rt_warn ("%s", err.msg);
}
