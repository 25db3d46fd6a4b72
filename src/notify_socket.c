/* The NOTIFY_SOCKET proxy (see notify_socket.h).  */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify_socket.h"
#include "util.h"

int
notify_socket_setup (spec *s, int dir_fd, const char *state_dir, rt_error *err)
{
  static const char *const opts[] = { "bind", "nosuid", "noexec", "nodev", "ro" };
  spec_mount *m;

  if (mkdirat (dir_fd, NOTIFY_DIR, 0755) < 0 && errno != EEXIST)
    return rt_fail (err, errno, "NOTIFY_SOCKET: create `%s/%s`", state_dir, NOTIFY_DIR);
  /* mkdirat obeys the umask: the container's users need to reach in.  */
  if (fchmodat (dir_fd, NOTIFY_DIR, 0755, 0) < 0)
    return rt_fail (err, errno, "NOTIFY_SOCKET: chmod `%s/%s`", state_dir, NOTIFY_DIR);

  s->mounts = xrealloc (s->mounts, (s->n_mounts + 1) * sizeof *s->mounts);
  m = &s->mounts[s->n_mounts++];
  memset (m, 0, sizeof *m);
  m->destination = xstrdup (NOTIFY_CONTAINER_DIR);
  m->type = xstrdup ("bind");
  xasprintf (&m->source, "%s/%s", state_dir, NOTIFY_DIR);
  m->options = xzalloc ((ARRAY_SIZE (opts) + 1) * sizeof *m->options);
  for (size_t i = 0; i < ARRAY_SIZE (opts); i++)
    m->options[i] = xstrdup (opts[i]);
  m->n_options = ARRAY_SIZE (opts);
  return 0;
}

static int
fill_addr (struct sockaddr_un *a, socklen_t *len, const char *path, rt_error *err)
{
  size_t n = strlen (path);

  memset (a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (n == 0 || n >= sizeof a->sun_path)
    return rt_failx (err, ENAMETOOLONG, "NOTIFY_SOCKET: socket path `%s` is empty or too long", path);
  memcpy (a->sun_path, path, n);
  /* sd_notify's convention for the abstract namespace.  */
  if (path[0] == '@')
    a->sun_path[0] = '\0';
  *len = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + n + (path[0] == '@' ? 0 : 1));
  return 0;
}

int
notify_socket_bind (const char *state_dir, rt_error *err)
{
  _cleanup_free_ char *dir = NULL, *path = NULL;
  _cleanup_close_ int fd = -1;
  struct sockaddr_un a;
  socklen_t len;
  struct stat st;

  xasprintf (&dir, "%s/%s", state_dir, NOTIFY_DIR);
  if (stat (dir, &st) < 0)
    return rt_fail (err, errno, "NOTIFY_SOCKET: `%s`", dir);
  xasprintf (&path, "%s/%s", dir, NOTIFY_SOCK);
  if (fill_addr (&a, &len, path, err) < 0)
    return rt_error_ret (err);
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return rt_fail (err, errno, "NOTIFY_SOCKET: socket");
  unlink (path);
  if (bind (fd, (struct sockaddr *) &a, len) < 0)
    return rt_fail (err, errno, "NOTIFY_SOCKET: bind `%s`", path);
  if (chmod (path, 0777) < 0)
    return rt_fail (err, errno, "NOTIFY_SOCKET: chmod `%s`", path);
  return TAKE_FD (fd);
}

const char *
notify_ready_line (const char *msg, size_t n, size_t *len)
{
  const char *p = msg, *end = msg + n;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (size_t) (end - p));
      size_t ln = nl ? (size_t) (nl - p) : (size_t) (end - p);
      if (ln >= 6 && memcmp (p, "READY=", 6) == 0)
        {
          *len = ln;
          return p;
        }
      p += ln + 1;
    }
  return NULL;
}

int
notify_socket_forward (int sock, const char *host_path, int watch_pidfd, pid_t mainpid, rt_error *err)
{
  char buf[4096];

  for (;;)
    {
      struct pollfd pfd[2] = { { .fd = sock, .events = POLLIN }, { .fd = watch_pidfd, .events = POLLIN } };
      const char *ready;
      size_t ready_len;
      ssize_t n;

      if (poll (pfd, watch_pidfd >= 0 ? 2 : 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return rt_fail (err, errno, "NOTIFY_SOCKET: poll");
        }
      if (!(pfd[0].revents & POLLIN))
        {
          if (pfd[1].revents)
            return 0; /* exited without saying it was ready */
          continue;
        }
      n = recv (sock, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0)
        {
          if (errno == EINTR || errno == EAGAIN)
            continue;
          return rt_fail (err, errno, "NOTIFY_SOCKET: receive from the container");
        }
      ready = notify_ready_line (buf, (size_t) n, &ready_len);
      if (ready)
        {
          _cleanup_close_ int out = -1;
          struct sockaddr_un a;
          socklen_t alen;
          char msg[sizeof buf + 64];
          int len = snprintf (msg, sizeof msg, "%.*s\nMAINPID=%d\n", (int) ready_len, ready, (int) mainpid);

          if (fill_addr (&a, &alen, host_path, err) < 0)
            return rt_error_ret (err);
          out = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
          if (out < 0)
            return rt_fail (err, errno, "NOTIFY_SOCKET: socket");
          if (sendto (out, msg, (size_t) len, MSG_NOSIGNAL, (struct sockaddr *) &a, alen) < 0)
            return rt_fail (err, errno, "NOTIFY_SOCKET: send to `%s`", host_path);
          return 0;
        }
    }
}
