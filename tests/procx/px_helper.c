/* Small probes for the procx integration tests, linked statically so the
 * same binary runs on the host and inside the busybox test rootfs.
 *
 *   px_helper notify MSG          send MSG as one datagram to $NOTIFY_SOCKET
 *   px_helper fds                 print LISTEN_FDS, LISTEN_PID,
 *                                 LISTEN_FDNAMES and the open fds >= 3
 *   px_helper notify-recv SOCK OUT
 *                                 bind a datagram socket at SOCK, write the
 *                                 first datagram to OUT, exit
 *   px_helper pidfd-recv SOCK OUT listen at SOCK, take one fd, write the
 *                                 payload to OUT; once OUT.go exists (the
 *                                 runtime is done), SIGKILL the process
 *                                 the pidfd refers to, append " killed"
 *   px_helper mempolicy           print the mode from get_mempolicy  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int
addr_of (const char *path, struct sockaddr_un *a, socklen_t *len)
{
  size_t n = strlen (path);
  memset (a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (n >= sizeof a->sun_path)
    return -1;
  memcpy (a->sun_path, path, n);
  if (path[0] == '@')
    a->sun_path[0] = '\0';
  *len = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + n + (path[0] == '@' ? 0 : 1));
  return 0;
}

static int
write_out (const char *path, const char *text, size_t n, int flags)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
  if (fd < 0 || write (fd, text, n) < 0)
    return 1;
  close (fd);
  return 0;
}

static int
cmd_notify (const char *msg)
{
  const char *path = getenv ("NOTIFY_SOCKET");
  struct sockaddr_un a;
  socklen_t len;
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  if (path == NULL || addr_of (path, &a, &len) < 0)
    {
      fprintf (stderr, "px_helper: NOTIFY_SOCKET unset or too long\n");
      return 1;
    }
  if (sendto (fd, msg, strlen (msg), 0, (struct sockaddr *) &a, len) < 0)
    {
      fprintf (stderr, "px_helper: send to %s: %s\n", path, strerror (errno));
      return 1;
    }
  return 0;
}

static int
cmd_fds (void)
{
  const char *names[] = { "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES" };

  for (size_t i = 0; i < 3; i++)
    printf ("%s=%s\n", names[i], getenv (names[i]) ? getenv (names[i]) : "(unset)");
  for (int fd = 3; fd < 64; fd++)
    {
      char link[64], target[256];
      ssize_t n;
      if (fcntl (fd, F_GETFD) < 0)
        continue;
      snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
      n = readlink (link, target, sizeof target - 1);
      target[n > 0 ? n : 0] = '\0';
      printf ("fd %d %s\n", fd, target);
    }
  return 0;
}

static int
cmd_notify_recv (const char *path, const char *out)
{
  struct sockaddr_un a;
  socklen_t len;
  char buf[4096];
  ssize_t n;
  int fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  if (addr_of (path, &a, &len) < 0 || bind (fd, (struct sockaddr *) &a, len) < 0)
    return 1;
  write_out (out, "", 0, O_TRUNC); /* tells the test the socket is bound */
  n = recv (fd, buf, sizeof buf, 0);
  if (n < 0)
    return 1;
  return write_out (out, buf, (size_t) n, O_TRUNC);
}

static int
cmd_pidfd_recv (const char *path, const char *out)
{
  struct sockaddr_un a;
  socklen_t len;
  char buf[256], go[4096];
  struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf - 1 };
  union
  {
    char b[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b };
  struct cmsghdr *c;
  int srv = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), conn, pidfd = -1;
  ssize_t n;

  if (addr_of (path, &a, &len) < 0 || bind (srv, (struct sockaddr *) &a, len) < 0 || listen (srv, 1) < 0)
    return 1;
  write_out (out, "", 0, O_TRUNC);
  conn = accept4 (srv, NULL, NULL, SOCK_CLOEXEC);
  n = recvmsg (conn, &mh, MSG_CMSG_CLOEXEC);
  if (n < 0)
    return 1;
  buf[n] = '\0';
  c = CMSG_FIRSTHDR (&mh);
  if (c && c->cmsg_type == SCM_RIGHTS)
    memcpy (&pidfd, CMSG_DATA (c), sizeof pidfd);
  write_out (out, buf, (size_t) n, O_TRUNC);
  snprintf (go, sizeof go, "%s.go", out);
  for (int i = 0; i < 200 && access (go, F_OK) < 0; i++)
    usleep (50000);
  if (pidfd >= 0 && syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0)
    write_out (out, " killed", 7, O_APPEND);
  return 0;
}

static int
cmd_mempolicy (void)
{
  int mode = -1;
  unsigned long nodes[16] = { 0 };
  if (syscall (SYS_get_mempolicy, &mode, nodes, sizeof nodes * 8, NULL, 0) < 0)
    return 1;
  printf ("mode=%d flags=%#x nodes=%#lx\n", mode & 0xff, mode & ~0xff, nodes[0]);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && strcmp (argv[1], "notify") == 0)
    return cmd_notify (argv[2]);
  if (argc == 2 && strcmp (argv[1], "fds") == 0)
    return cmd_fds ();
  if (argc == 4 && strcmp (argv[1], "notify-recv") == 0)
    return cmd_notify_recv (argv[2], argv[3]);
  if (argc == 4 && strcmp (argv[1], "pidfd-recv") == 0)
    return cmd_pidfd_recv (argv[2], argv[3]);
  if (argc == 2 && strcmp (argv[1], "mempolicy") == 0)
    return cmd_mempolicy ();
  fprintf (stderr, "px_helper: unknown command\n");
  return 2;
}
