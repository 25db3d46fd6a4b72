/* File descriptors over AF_UNIX sockets (see fdpass.h).  */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fdpass.h"
#include "util.h"

int
fdpass_connect (const char *path, const char *what, rt_error *err)
{
  struct sockaddr_un addr;
  _cleanup_close_ int fd = -1;

  if (strlen (path) >= sizeof addr.sun_path)
    return rt_failx (err, ENAMETOOLONG, "%s path `%s` is too long", what, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return rt_fail (err, errno, "%s: socket", what);
  memset (&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy (addr.sun_path, path);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    return rt_fail (err, errno, "connect to %s `%s`", what, path);
  return TAKE_FD (fd);
}

int
fdpass_send (int sock, const void *payload, size_t len, int fd, const char *what, rt_error *err)
{
  struct iovec iov = { .iov_base = (void *) payload, .iov_len = len };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  struct cmsghdr *c;
  ssize_t n;

  memset (u.buf, 0, sizeof u.buf);
  c = CMSG_FIRSTHDR (&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (c), &fd, sizeof fd);
  do
    n = sendmsg (sock, &mh, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return rt_fail (err, errno, "send to %s", what);
  if ((size_t) n < len)
    {
      /* The fd went with the first part; the rest is plain data.  */
      if (write_all (sock, (const char *) payload + n, len - (size_t) n) < 0)
        return rt_fail (err, errno, "send to %s", what);
    }
  return 0;
}

int
pidfd_socket_send (int sock, int pidfd, const char *kind, rt_error *err)
{
  return fdpass_send (sock, kind, strlen (kind), pidfd, "pidfd socket", err);
}
