#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "sync.h"
#include "util.h"

int
sync_pair (int fds[2], rt_error *err)
{
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return rt_fail (err, errno, "socketpair");
  return 0;
}

static int
send_msg (int fd, const sync_msg *m, size_t len, int passed_fd, rt_error *err)
{
  struct iovec iov = { .iov_base = (void *) m, .iov_len = len };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
  ssize_t n;

  if (passed_fd >= 0)
    {
      struct cmsghdr *c;
      memset (&u, 0, sizeof u);
      mh.msg_control = u.buf;
      mh.msg_controllen = sizeof u.buf;
      c = CMSG_FIRSTHDR (&mh);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN (sizeof (int));
      memcpy (CMSG_DATA (c), &passed_fd, sizeof (int));
    }
  do
    n = sendmsg (fd, &mh, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return rt_fail (err, errno, "sync: send");
  return 0;
}

int
sync_send (int fd, uint32_t type, int32_t value, rt_error *err)
{
  /* Only the header travels for non-error messages.  */
  sync_msg m = { .type = type, .value = value };
  return send_msg (fd, &m, offsetof (sync_msg, err), -1, err);
}

int
sync_send_fd (int fd, uint32_t type, int32_t value, int passed_fd, rt_error *err)
{
  sync_msg m = { .type = type, .value = value };
  return send_msg (fd, &m, offsetof (sync_msg, err), passed_fd, err);
}

int
sync_send_error (int fd, const rt_error *e)
{
  sync_msg m;
  rt_error ignored;

  memset (&m, 0, sizeof m);
  m.type = SYNC_ERROR;
  m.err = *e;
  return send_msg (fd, &m, sizeof m, -1, &ignored);
}

int
sync_recv (int fd, sync_msg *m, int *passed_fd, rt_error *err)
{
  struct iovec iov = { .iov_base = m, .iov_len = sizeof *m };
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf };
  struct cmsghdr *c;
  ssize_t n;

  if (passed_fd)
    *passed_fd = -1;
  memset (m, 0, sizeof *m);
  do
    n = recvmsg (fd, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return rt_fail (err, errno, "sync: receive");
  if (n == 0)
    return -EPIPE;
  if ((size_t) n < offsetof (sync_msg, err))
    return rt_failx (err, EPROTO, "sync: short message (%zd bytes)", n);
  for (c = CMSG_FIRSTHDR (&mh); c; c = CMSG_NXTHDR (&mh, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
      {
        int got;
        memcpy (&got, CMSG_DATA (c), sizeof got);
        if (passed_fd && *passed_fd < 0)
          *passed_fd = got;
        else
          close (got);
      }
  if (m->type == SYNC_ERROR)
    m->err.msg[sizeof m->err.msg - 1] = '\0';
  return 0;
}

int
sync_expect (int fd, uint32_t type, sync_msg *m, rt_error *err)
{
  int ret = sync_recv (fd, m, NULL, err);
  if (ret == -EPIPE)
    return rt_failx (err, EPIPE, "container init exited during setup");
  if (ret < 0)
    return ret;
  if (m->type == SYNC_ERROR)
    {
      *err = m->err;
      return rt_error_ret (err);
    }
  if (m->type != type)
    return rt_failx (err, EPROTO, "sync: expected message %u, got %u", type, m->type);
  return 0;
}
