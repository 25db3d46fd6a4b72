/* Opening the target and creating its tap device.
 *
 * The tap must be created from inside the target network namespace (a tap
 * belongs to the namespace of the task calling TUNSETIFF), and rootless
 * that namespace is owned by the container's user namespace, so we must
 * enter that too to hold CAP_NET_ADMIN over it.  setns() into a user
 * namespace is one-way, so a short-lived child does it and passes the tap
 * fd back over a socketpair (SCM_RIGHTS): the main process never leaves
 * the host namespaces, where libslirp's sockets must live.  */
#include "config.h"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/nsfs.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <arpa/inet.h>

#include "slirp_helper.h"
#include "util.h"

static int
sys_pidfd_open (pid_t pid)
{
  return (int) syscall (SYS_pidfd_open, pid, 0);
}

static int
sys_pidfd_send_signal (int pidfd, int sig)
{
  return (int) syscall (SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static int
open_ns (const char *path, int nstype, const char *what, rt_error *err)
{
  int fd, type;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "open %s namespace `%s`", what, path);
  type = ioctl (fd, NS_GET_NSTYPE);
  if (type != nstype)
    {
      if (type < 0)
        rt_fail (err, errno, "`%s` is not a namespace", path);
      else
        rt_failx (err, EINVAL, "`%s` is not a %s namespace", path, what);
      close (fd);
      return rt_error_ret (err);
    }
  return fd;
}

/* Is fd our own user namespace?  Entering it again would fail.  */
static int
is_own_userns (int fd, rt_error *err)
{
  struct stat self, other;

  if (stat ("/proc/self/ns/user", &self) < 0 || fstat (fd, &other) < 0)
    return rt_fail (err, errno, "stat user namespaces");
  return self.st_dev == other.st_dev && self.st_ino == other.st_ino;
}

/* Keep fd as the user namespace to enter, unless it is our own; -1 then. */
static int
userns_to_enter (int fd, rt_error *err)
{
  int own = is_own_userns (fd, err);

  if (own != 0)
    {
      close (fd);
      return own < 0 ? own : -1;
    }
  return fd;
}

/* The user namespace to enter before touching the network namespace, or
 * -1 when our own credentials already suffice.  */
static int
owner_userns (int netns_fd, rt_error *err)
{
  int fd;

  /* root of the host user namespace is privileged over every
     descendant; entering one would only turn it into an unmapped uid.  */
  if (geteuid () == 0)
    return -1;
  fd = ioctl (netns_fd, NS_GET_USERNS);
  if (fd < 0)
    {
      /* EPERM: the owner is an ancestor of our user namespace, whose
         privileges we cannot gain by entering it anyway.  */
      if (errno == EPERM)
        return -1;
      return rt_fail (err, errno, "find the user namespace owning the network namespace");
    }
  return userns_to_enter (fd, err);
}

int
target_open (const struct sh_options *o, struct sh_target *t, rt_error *err)
{
  t->netns_fd = t->userns_fd = t->pidfd = -1;

  if (o->pid)
    {
      char path[64];

      /* The pidfd pins the process: checking it is still alive after
         opening /proc/PID/ns/net proves that file belonged to it and not
         to a successor that reused the PID.  */
      t->pidfd = sys_pidfd_open (o->pid);
      /* Before Linux 5.3 there is no pidfd: only --pid-watch needs one,
         the rest accepts the (tiny) PID reuse window of plain /proc.  */
      if (t->pidfd < 0 && (errno != ENOSYS || o->pid_watch))
        return rt_fail (err, errno, "open process %d", (int) o->pid);
      snprintf (path, sizeof path, "/proc/%d/ns/net", (int) o->pid);
      t->netns_fd = open_ns (path, CLONE_NEWNET, "network", err);
      if (t->netns_fd < 0)
        goto fail;
      if (t->pidfd >= 0 && sys_pidfd_send_signal (t->pidfd, 0) < 0)
        {
          rt_fail (err, errno, "process %d exited while its namespaces were being opened", (int) o->pid);
          goto fail;
        }
    }
  else
    {
      t->netns_fd = open_ns (o->netns_path, CLONE_NEWNET, "network", err);
      if (t->netns_fd < 0)
        goto fail;
    }

  if (o->userns_path)
    {
      t->userns_fd = open_ns (o->userns_path, CLONE_NEWUSER, "user", err);
      if (t->userns_fd >= 0)
        t->userns_fd = userns_to_enter (t->userns_fd, err);
    }
  else
    t->userns_fd = owner_userns (t->netns_fd, err);
  if (t->userns_fd < 0 && err->code != 0)
    goto fail;
  return 0;

fail:
  target_close (t);
  return rt_error_ret (err);
}

void
target_close (struct sh_target *t)
{
  cleanup_closep (&t->netns_fd);
  cleanup_closep (&t->userns_fd);
  cleanup_closep (&t->pidfd);
  t->netns_fd = t->userns_fd = t->pidfd = -1;
}

static int
open_tun (rt_error *err)
{
  int fd = open ("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd >= 0)
    return fd;
  if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
    return rt_fail (err, errno, "open /dev/net/tun (load the tun module with `modprobe tun`, or pass the "
                                "device into this container)");
  if (errno == EACCES || errno == EPERM)
    return rt_fail (err, errno, "open /dev/net/tun (the device must be readable and writable by this user, "
                                "usually mode 0666)");
  return rt_fail (err, errno, "open /dev/net/tun");
}

/* Lower the namespace's default TCP receive buffer back to 87380 bytes.
 * Linux 4.20 raised it to 131072, which is known to slow down and stall
 * transfers into a libslirp network with a large MTU (slirp4netns issue
 * #128, the BUGS section of its manual): libslirp negotiates no window
 * scaling, so the container's advertised window never exceeds 64 KiB,
 * and the larger initial buffer delays the receive-buffer autotuning
 * that would otherwise keep that window open.  slirp4netns leaves the fix
 * to the user; the helper applies it, in the container's own namespace
 * only, and leaves a value that somebody tuned differently alone.  */
static void
fix_tcp_rmem (void)
{
  static const char path[] = "/proc/sys/net/ipv4/tcp_rmem";
  _cleanup_close_ int fd = -1;
  unsigned long lo, def, hi;
  char buf[128];
  ssize_t n;
  int len;

  fd = open (path, O_RDWR | O_CLOEXEC);
  if (fd < 0)
    {
      rt_warn ("tcp_rmem tuning skipped: open %s: %s", path, strerror (errno));
      return;
    }
  n = read (fd, buf, sizeof buf - 1);
  if (n <= 0)
    return;
  buf[n] = '\0';
  if (sscanf (buf, "%lu %lu %lu", &lo, &def, &hi) != 3 || def != 131072)
    return;
  len = snprintf (buf, sizeof buf, "%lu 87380 %lu\n", lo, hi);
  if (pwrite (fd, buf, len, 0) != len)
    rt_warn ("tcp_rmem tuning skipped: write %s: %s", path, strerror (errno));
}

static int
configure_links (const struct sh_options *o, rt_error *err)
{
  _cleanup_close_ int nl = -1;
  unsigned lo_index, tap_index;
  struct in_addr a4, gw4;
  struct in6_addr a6, gw6;
  int ret;

  nl = nl_open (err);
  if (nl < 0)
    return nl;
  lo_index = if_nametoindex ("lo");
  tap_index = if_nametoindex (o->tap_name);
  if (lo_index == 0 || tap_index == 0)
    return rt_fail (err, errno, "find the index of `%s`", lo_index == 0 ? "lo" : o->tap_name);

  ret = nl_link_up (nl, lo_index, 0, err);
  if (ret < 0)
    return rt_wrap (err, "configure lo");
  ret = nl_link_up (nl, tap_index, o->mtu, err);
  if (ret < 0)
    return rt_wrap (err, "configure %s (MTU %u)", o->tap_name, o->mtu);

  inet_pton (AF_INET, SH_GUEST4, &a4);
  inet_pton (AF_INET, SH_GW4, &gw4);
  ret = nl_addr_add (nl, tap_index, AF_INET, &a4, SH_NET4_PREFIX, err);
  if (ret >= 0)
    ret = nl_route_default (nl, tap_index, AF_INET, &gw4, err);
  if (ret >= 0 && o->ipv6)
    {
      inet_pton (AF_INET6, SH_GUEST6, &a6);
      inet_pton (AF_INET6, SH_GW6, &gw6);
      ret = nl_addr_add (nl, tap_index, AF_INET6, &a6, SH_NET6_PREFIX, err);
      if (ret >= 0)
        ret = nl_route_default (nl, tap_index, AF_INET6, &gw6, err);
    }
  if (ret < 0)
    return rt_wrap (err, "configure %s", o->tap_name);
  return 0;
}

/* Runs in the child, which exits right after: nothing here needs freeing
 * on the way out.  */
static int
child_make_tap (const struct sh_target *t, const struct sh_options *o, rt_error *err)
{
  struct ifreq ifr = { 0 };
  int tap, ret;

  if (t->userns_fd >= 0 && setns (t->userns_fd, CLONE_NEWUSER) < 0)
    return rt_fail (err, errno, "enter the target's user namespace");
  if (setns (t->netns_fd, CLONE_NEWNET) < 0)
    return rt_fail (err, errno, "enter the target's network namespace");

  tap = open_tun (err);
  if (tap < 0)
    return tap;
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  snprintf (ifr.ifr_name, sizeof ifr.ifr_name, "%s", o->tap_name);
  if (ioctl (tap, TUNSETIFF, &ifr) < 0)
    return rt_fail (err, errno, "create tap device `%s`", o->tap_name);

  ret = configure_links (o, err);
  if (ret < 0)
    return ret;
  if (o->tcp_rmem_fix)
    fix_tcp_rmem ();
  return tap;
}

static void
child_report (int sock, int tap, const rt_error *cerr)
{
  char cbuf[CMSG_SPACE (sizeof (int))] = { 0 };
  struct iovec iov = { .iov_base = (void *) cerr, .iov_len = sizeof *cerr };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

  if (tap >= 0)
    {
      struct cmsghdr *c;
      msg.msg_control = cbuf;
      msg.msg_controllen = sizeof cbuf;
      c = CMSG_FIRSTHDR (&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (c), &tap, sizeof tap);
    }
  while (sendmsg (sock, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR)
    ;
}

static int
receive_tap (int sock, rt_error *err)
{
  char cbuf[CMSG_SPACE (sizeof (int))];
  rt_error cerr = { 0 };
  struct iovec iov = { .iov_base = &cerr, .iov_len = sizeof cerr };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  struct cmsghdr *c;
  ssize_t n;
  int tap = -1;

  do
    n = recvmsg (sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return rt_fail (err, errno, "receive the tap device from the namespace child");
  for (c = CMSG_FIRSTHDR (&msg); c; c = CMSG_NXTHDR (&msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      memcpy (&tap, CMSG_DATA (c), sizeof tap);
  if (n != (ssize_t) sizeof cerr)
    {
      cleanup_closep (&tap);
      return rt_failx (err, EPROTO, "the namespace child exited without reporting");
    }
  cerr.msg[sizeof cerr.msg - 1] = '\0';
  if (tap < 0)
    {
      *err = cerr;
      if (err->code == 0)
        err->code = EPROTO;
      return rt_error_ret (err);
    }
  return tap;
}

int
target_setup_tap (const struct sh_target *t, const struct sh_options *o, rt_error *err)
{
  int sp[2], tap, status;
  pid_t pid;

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
    return rt_fail (err, errno, "socketpair for the namespace child");
  pid = fork ();
  if (pid < 0)
    {
      rt_fail (err, errno, "fork the namespace child");
      close (sp[0]);
      close (sp[1]);
      return rt_error_ret (err);
    }
  if (pid == 0)
    {
      rt_error cerr = { 0 };
      close (sp[0]);
      tap = child_make_tap (t, o, &cerr);
      child_report (sp[1], tap, &cerr);
      _exit (tap < 0 ? 1 : 0);
    }
  close (sp[1]);
  tap = receive_tap (sp[0], err);
  close (sp[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (tap >= 0)
    return tap;
  return rt_wrap (err, "set up %s in the target", o->tap_name);
}
