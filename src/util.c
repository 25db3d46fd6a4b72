#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);
  if (p == NULL)
    abort ();
  return p;
}

void *
xzalloc (size_t n)
{
  void *p = calloc (1, n ? n : 1);
  if (p == NULL)
    abort ();
  return p;
}

void *
xrealloc (void *p, size_t n)
{
  p = realloc (p, n ? n : 1);
  if (p == NULL)
    abort ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *r;
  if (s == NULL)
    return NULL;
  r = strdup (s);
  if (r == NULL)
    abort ();
  return r;
}

char *
xstrndup (const char *s, size_t n)
{
  char *r = strndup (s, n);
  if (r == NULL)
    abort ();
  return r;
}

int
xasprintf (char **out, const char *fmt, ...)
{
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vasprintf (out, fmt, ap);
  va_end (ap);
  if (n < 0)
    abort ();
  return n;
}

void
strv_free (char **v)
{
  if (v == NULL)
    return;
  for (char **p = v; *p; p++)
    free (*p);
  free (v);
}

void
strv_free_n (char **v, size_t n)
{
  if (v == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    free (v[i]);
  free (v);
}

bool
str_has_prefix (const char *s, const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

bool
str_has_suffix (const char *s, const char *suffix)
{
  size_t ls = strlen (s), lx = strlen (suffix);
  return ls >= lx && memcmp (s + ls - lx, suffix, lx) == 0;
}

ssize_t
write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  size_t done = 0;

  while (done < len)
    {
      ssize_t n = write (fd, p + done, len - done);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      done += n;
    }
  return done;
}

ssize_t
read_all (int fd, void *buf, size_t len)
{
  char *p = buf;
  size_t done = 0;

  while (done < len)
    {
      ssize_t n = read (fd, p + done, len - done);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      if (n == 0)
        break;
      done += n;
    }
  return done;
}

ssize_t
read_fd (int fd, char **out, rt_error *err)
{
  size_t cap = 4096, len = 0;
  char *buf = xmalloc (cap);

  for (;;)
    {
      ssize_t n;
      if (len + 1 >= cap)
        {
          cap *= 2;
          buf = xrealloc (buf, cap);
        }
      n = read (fd, buf + len, cap - len - 1);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          free (buf);
          return rt_fail (err, errno, "read");
        }
      if (n == 0)
        break;
      len += n;
    }
  buf[len] = '\0';
  *out = buf;
  return len;
}

ssize_t
read_file_at (int dirfd, const char *path, char **out, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  ssize_t ret;

  fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return rt_fail (err, errno, "open `%s`", path);
  ret = read_fd (fd, out, err);
  if (ret < 0)
    return rt_wrap (err, "`%s`", path);
  return ret;
}

int
write_file_at (int dirfd, const char *path, const void *data, size_t len, mode_t mode, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  ssize_t n;

  fd = openat (dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, mode);
  if (fd < 0)
    return rt_fail (err, errno, "open `%s`", path);
  n = write_all (fd, data, len);
  if (n < 0)
    return rt_fail (err, (int) -n, "write `%s`", path);
  return 0;
}

int
write_file_atomic (int dirfd, const char *path, const void *data, size_t len, mode_t mode, rt_error *err)
{
  _cleanup_free_ char *tmp = NULL;
  const char *slash = strrchr (path, '/');
  _cleanup_close_ int fd = -1;
  ssize_t n;

  /* The temporary name lives in the same directory so rename() is atomic;
     the pid keeps concurrent writers from clobbering each other's temp.  */
  if (slash)
    xasprintf (&tmp, "%.*s/.%s.%d.tmp", (int) (slash - path), path, slash + 1, (int) getpid ());
  else
    xasprintf (&tmp, ".%s.%d.tmp", path, (int) getpid ());

  fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, mode);
  if (fd < 0)
    return rt_fail (err, errno, "create `%s`", tmp);
  n = write_all (fd, data, len);
  if (n < 0)
    {
      unlinkat (dirfd, tmp, 0);
      return rt_fail (err, (int) -n, "write `%s`", tmp);
    }
  if (fchmod (fd, mode) < 0)
    {
      int e = errno;
      unlinkat (dirfd, tmp, 0);
      return rt_fail (err, e, "chmod `%s`", tmp);
    }
  if (renameat (dirfd, tmp, dirfd, path) < 0)
    {
      int e = errno;
      unlinkat (dirfd, tmp, 0);
      return rt_fail (err, e, "rename `%s` to `%s`", tmp, path);
    }
  return 0;
}

int
parse_u64 (const char *s, uint64_t *out)
{
  char *end;
  unsigned long long v;

  if (s == NULL || *s == '\0' || *s == '-' || *s == '+')
    return -EINVAL;
  errno = 0;
  v = strtoull (s, &end, 10);
  if (errno)
    return -errno;
  if (*end != '\0')
    return -EINVAL;
  *out = v;
  return 0;
}

int
parse_i64 (const char *s, int64_t *out)
{
  char *end;
  long long v;

  if (s == NULL || *s == '\0' || *s == '+')
    return -EINVAL;
  errno = 0;
  v = strtoll (s, &end, 10);
  if (errno)
    return -errno;
  if (*end != '\0')
    return -EINVAL;
  *out = v;
  return 0;
}

char *
path_clean (const char *path)
{
  size_t len = strlen (path);
  char *out = xmalloc (len + 2);
  bool rooted = path[0] == '/';
  size_t o = 0;
  const char *p = path;

  if (rooted)
    out[o++] = '/';
  while (*p)
    {
      const char *seg;
      size_t n;

      while (*p == '/')
        p++;
      if (*p == '\0')
        break;
      seg = p;
      while (*p && *p != '/')
        p++;
      n = p - seg;
      if (n == 1 && seg[0] == '.')
        continue;
      if (n == 2 && seg[0] == '.' && seg[1] == '.')
        {
          size_t base = rooted ? 1 : 0;
          /* Pop one component unless there is nothing to pop.  A relative
             path keeps leading "..", a rooted one drops them.  */
          if (o > base && !(o - base >= 2 && out[o - 1] == '.' && out[o - 2] == '.'
                            && (o - base == 2 || out[o - 3] == '/')))
            {
              while (o > base && out[o - 1] != '/')
                o--;
              if (o > base)
                o--;
              continue;
            }
          if (rooted)
            continue;
        }
      if (o > (rooted ? 1 : 0))
        out[o++] = '/';
      memcpy (out + o, seg, n);
      o += n;
    }
  if (o == 0)
    out[o++] = '.';
  out[o] = '\0';
  return out;
}

char *
path_make_absolute (const char *path)
{
  _cleanup_free_ char *joined = NULL;
  char cwd[PATH_MAX];

  if (path[0] == '/')
    return path_clean (path);
  if (getcwd (cwd, sizeof cwd) == NULL)
    return NULL;
  xasprintf (&joined, "%s/%s", cwd, path);
  return path_clean (joined);
}
