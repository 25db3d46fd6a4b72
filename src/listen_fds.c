/* Socket activation passed through to the container (see listen_fds.h).  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>

#include "listen_fds.h"
#include "util.h"

/* sd_listen_fds(3) starts at 3; more than this many is surely wrong.  */
#define LISTEN_FDS_MAX 4096

int
listen_fds_count (const char *listen_pid, const char *listen_fds, pid_t self)
{
  uint64_t pid, n;

  if (listen_pid == NULL || listen_fds == NULL || parse_u64 (listen_pid, &pid) < 0 || pid != (uint64_t) self
      || parse_u64 (listen_fds, &n) < 0 || n > LISTEN_FDS_MAX)
    return 0;
  return (int) n;
}

int
listen_fds_check (int n, rt_error *err)
{
  for (int fd = 3; fd < 3 + n; fd++)
    if (fcntl (fd, F_GETFD) < 0)
      return rt_fail (err, errno, "LISTEN_FDS=%d: fd %d is not open", n, fd);
  return 0;
}

size_t
listen_fds_env (int n, const char *names, char **env)
{
  size_t k = 0;

  if (n <= 0)
    return 0;
  xasprintf (&env[k++], "LISTEN_FDS=%d", n);
  env[k++] = xstrdup ("LISTEN_PID=1");
  if (names)
    xasprintf (&env[k++], "LISTEN_FDNAMES=%s", names);
  return k;
}
