/* Reading and writing cgroup control files.  Every value goes out in a
 * single write(2): the kernel parses each write on its own, so a short or
 * split write would set something else than asked.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup_priv.h"
#include "util.h"

int
cg_write (const char *dir, const char *file, const char *value, rt_error *err)
{
  _cleanup_free_ char *path = NULL;
  _cleanup_close_ int fd = -1;
  size_t len = strlen (value);
  ssize_t n;

  xasprintf (&path, "%s/%s", dir, file);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "open `%s`", path);
  do
    n = write (fd, value, len);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return rt_fail (err, errno, "write `%s` to `%s`", value, path);
  if ((size_t) n != len)
    return rt_failx (err, EIO, "write `%s` to `%s`: short write", value, path);
  return 0;
}

int
cg_writef (const char *dir, const char *file, rt_error *err, const char *fmt, ...)
{
  _cleanup_free_ char *value = NULL;
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&value, fmt, ap);
  va_end (ap);
  if (r < 0)
    abort ();
  return cg_write (dir, file, value, err);
}

int
cg_read (const char *dir, const char *file, char **out, rt_error *err)
{
  _cleanup_free_ char *path = NULL;
  xasprintf (&path, "%s/%s", dir, file);
  if (read_file_at (AT_FDCWD, path, out, err) < 0)
    return rt_error_ret (err);
  return 0;
}

static int
parse_value (const char *text, const char *what, uint64_t *out, rt_error *err)
{
  _cleanup_free_ char *v = xstrdup (text);
  size_t len = strlen (v);

  while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == ' '))
    v[--len] = '\0';
  if (strcmp (v, "max") == 0)
    {
      *out = UINT64_MAX;
      return 0;
    }
  /* Some v1 files report -1 for "no limit".  */
  if (strcmp (v, "-1") == 0)
    {
      *out = UINT64_MAX;
      return 0;
    }
  if (parse_u64 (v, out) < 0)
    return rt_failx (err, EINVAL, "parse `%s`: not a number: `%s`", what, v);
  return 0;
}

int
cg_read_u64 (const char *dir, const char *file, uint64_t *out, rt_error *err)
{
  _cleanup_free_ char *text = NULL, *what = NULL;

  *out = 0;
  if (cg_read (dir, file, &text, err) < 0)
    return rt_error_ret (err);
  xasprintf (&what, "%s/%s", dir, file);
  return parse_value (text, what, out, err);
}

int
cg_read_key_u64 (const char *dir, const char *file, const char *key, uint64_t *out, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  size_t klen = strlen (key);
  char *save = NULL;

  *out = 0;
  if (cg_read (dir, file, &text, err) < 0)
    return rt_error_ret (err);
  for (char *l = strtok_r (text, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    if (strncmp (l, key, klen) == 0 && l[klen] == ' ')
      return parse_value (l + klen + 1, key, out, err);
  return rt_failx (err, ENOENT, "%s/%s: no key `%s`", dir, file, key);
}

bool
cg_file_exists (const char *dir, const char *file)
{
  _cleanup_free_ char *path = NULL;
  struct stat st;

  xasprintf (&path, "%s/%s", dir, file);
  return stat (path, &st) == 0;
}

bool
cg_list_has (const char *dir, const char *file, const char *word)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *save = NULL;

  if (cg_read (dir, file, &text, &ignored) < 0)
    return false;
  for (char *w = strtok_r (text, " \n", &save); w; w = strtok_r (NULL, " \n", &save))
    if (strcmp (w, word) == 0)
      return true;
  return false;
}
