/* A seccomp agent for the tests: listens on an AF_UNIX socket for the
 * runtime (linux.seccomp.listenerPath), logs every container process
 * state it receives, and answers the mkdir/mkdirat notifications of the
 * processes whose notification fds it holds:
 *
 *   a path containing "fake"  -> success, without creating anything
 *   a path containing "deny"  -> EHOSTDOWN (an errno mkdir never gives)
 *   anything else             -> let the call go on (CONTINUE)
 *
 * Usage: seccomp_agent SOCKET LOG
 * LOG gets one line per state ("state <json>") and per decision
 * ("mkdir <path> fake|deny|continue").  Runs until killed.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 64

static FILE *log_out;

static void
die (const char *what)
{
  fprintf (stderr, "seccomp_agent: %s: %s\n", what, strerror (errno));
  exit (1);
}

/* The state document and the notification fd of one connection.  */
static int
receive_state (int conn)
{
  static char buf[65536];
  struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf - 1 };
  union
  {
    char b[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b };
  struct cmsghdr *c;
  ssize_t n, more;
  int fd = -1;

  n = recvmsg (conn, &mh, MSG_CMSG_CLOEXEC);
  if (n < 0)
    return -1;
  c = CMSG_FIRSTHDR (&mh);
  if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
    memcpy (&fd, CMSG_DATA (c), sizeof fd);
  /* The spec allows the document to come in several parts.  */
  while ((size_t) n < sizeof buf - 1 && (more = read (conn, buf + n, sizeof buf - 1 - (size_t) n)) > 0)
    n += more;
  buf[n] = '\0';
  fprintf (log_out, "state %s fd=%s\n", buf, fd >= 0 ? "yes" : "no");
  fflush (log_out);
  return fd;
}

static int
read_path (pid_t pid, unsigned long addr, char *out, size_t size)
{
  char mem[64];
  int fd;
  ssize_t n;

  snprintf (mem, sizeof mem, "/proc/%d/mem", (int) pid);
  fd = open (mem, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  n = pread (fd, out, size - 1, (off_t) addr);
  close (fd);
  if (n <= 0)
    return -1;
  out[n] = '\0';
  out[strnlen (out, (size_t) n)] = '\0';
  return 0;
}

/* Returns -1 when the fd is done (its processes are gone).  */
static int
answer (int nfd)
{
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;
  char path[4096] = "";
  const char *what = "continue";

  memset (&req, 0, sizeof req);
  if (ioctl (nfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
    return errno == EINTR || errno == ENOENT ? 0 : -1;
  memset (&resp, 0, sizeof resp);
  resp.id = req.id;
  if (req.data.nr == SYS_mkdir)
    read_path (req.pid, req.data.args[0], path, sizeof path);
  else if (req.data.nr == SYS_mkdirat)
    read_path (req.pid, req.data.args[1], path, sizeof path);
  /* The path was read from a process that may have died and had its PID
     reused meanwhile: only trust it if the request is still live.  */
  if (ioctl (nfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) < 0)
    return 0;
  if (strstr (path, "fake"))
    what = "fake";
  else if (strstr (path, "deny"))
    {
      what = "deny";
      resp.error = -EHOSTDOWN;
    }
  else
    resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
  fprintf (log_out, "mkdir %s %s\n", path, what);
  fflush (log_out);
  ioctl (nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
  return 0;
}

int
main (int argc, char **argv)
{
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  struct pollfd pfd[MAX_FDS + 1];
  int nfds = 0, srv;

  if (argc != 3 || strlen (argv[1]) >= sizeof a.sun_path)
    {
      fprintf (stderr, "usage: seccomp_agent SOCKET LOG\n");
      return 2;
    }
  log_out = fopen (argv[2], "a");
  if (log_out == NULL)
    die ("open the log");
  strcpy (a.sun_path, argv[1]);
  srv = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (srv < 0 || bind (srv, (struct sockaddr *) &a, sizeof a) < 0 || listen (srv, 16) < 0)
    die ("listen");
  /* Ready: the tests wait for this line before starting containers.  */
  fprintf (log_out, "listening\n");
  fflush (log_out);

  pfd[0] = (struct pollfd){ .fd = srv, .events = POLLIN };
  for (;;)
    {
      if (poll (pfd, (nfds_t) nfds + 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll");
        }
      if (pfd[0].revents & POLLIN)
        {
          int conn = accept4 (srv, NULL, NULL, SOCK_CLOEXEC);
          if (conn >= 0)
            {
              int fd = receive_state (conn);
              close (conn);
              if (fd >= 0 && nfds < MAX_FDS)
                pfd[++nfds] = (struct pollfd){ .fd = fd, .events = POLLIN };
            }
        }
      for (int i = 1; i <= nfds; i++)
        {
          if (pfd[i].revents & POLLIN && answer (pfd[i].fd) == 0)
            continue;
          if (pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL | POLLIN))
            {
              close (pfd[i].fd);
              pfd[i] = pfd[nfds--];
              i--;
            }
        }
    }
}
