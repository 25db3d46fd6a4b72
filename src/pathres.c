/* Path resolution inside a container root (see pathres.h).
 *
 * The kernel does the work with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS).  The userspace walk used when openat2 is missing
 * keeps its own stack of directory fds so that ".." is answered from the
 * path actually walked, never by asking the kernel for the parent of a
 * directory a concurrent rename may have moved out of the root.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pathres.h"
#include "util.h"

#define MAX_SYMLINKS 40
/* RESOLVE_IN_ROOT fails with EAGAIN when a rename raced with the lookup;
   after this many attempts the race-free userspace walk takes over.  */
#define OPENAT2_RETRIES 64
/* The procfs root directory's inode number (PROC_ROOT_INO).  */
#define PROC_ROOT_INODE 1

static bool force_fallback;
static bool openat2_missing;

void
pr_set_force_fallback (bool on)
{
  force_fallback = on;
}

bool
pr_using_fallback (void)
{
  return force_fallback || openat2_missing;
}

static const char *
skip_slashes (const char *p)
{
  while (*p == '/')
    p++;
  return p;
}

/* ---- the userspace walk ------------------------------------------------ */

struct walk
{
  int root_fd;
  int *dirs; /* dirs[0] is root_fd (not owned), the rest are owned */
  size_t n, cap;
};

static int
walk_top (const struct walk *w)
{
  return w->dirs[w->n - 1];
}

static void
walk_push (struct walk *w, int fd)
{
  if (w->n == w->cap)
    {
      w->cap *= 2;
      w->dirs = xrealloc (w->dirs, w->cap * sizeof *w->dirs);
    }
  w->dirs[w->n++] = fd;
}

static void
walk_pop (struct walk *w)
{
  /* ".." at the root stays at the root, as chroot(2) and RESOLVE_IN_ROOT
     behave.  */
  if (w->n > 1)
    close (w->dirs[--w->n]);
}

static void
walk_reset (struct walk *w)
{
  while (w->n > 1)
    walk_pop (w);
}

/* Replace the current component with the target of the symlink `link_fd`
 * (an O_PATH|O_NOFOLLOW fd) whose parent is the top of the stack: *path
 * becomes target + (dir ? "/" : "") + rest.  `rest` may point into *path.  */
static int
walk_follow (struct walk *w, int link_fd, const char *rest, bool dir, char **path)
{
  char target[PATH_MAX];
  struct statfs sfs;
  struct stat st;
  ssize_t len;
  char *next;

  /* A magic link (/proc/PID/fd/N, /proc/PID/root, ...) has no meaningful
     text: following it would jump to whatever the kernel object is,
     possibly on the host.  procfs only has ordinary symlinks in its root
     directory ("self", "mounts", "net", ...), so anything deeper is
     refused like RESOLVE_NO_MAGICLINKS does.  */
  if (fstatfs (link_fd, &sfs) < 0)
    return -errno;
  if (sfs.f_type == PROC_SUPER_MAGIC)
    {
      if (fstat (walk_top (w), &st) < 0)
        return -errno;
      if (st.st_ino != PROC_ROOT_INODE)
        return -ELOOP;
    }
  len = readlinkat (link_fd, "", target, sizeof target);
  if (len < 0)
    return -errno;
  if (len == 0)
    return -ENOENT;
  if ((size_t) len >= sizeof target)
    return -ENAMETOOLONG;
  target[len] = '\0';
  if (target[0] == '/')
    walk_reset (w);
  xasprintf (&next, "%s%s%s", target, dir ? "/" : "", rest);
  free (*path);
  *path = next;
  return 0;
}

/* Resolve `path` below w->root_fd, opening the final component with
 * `flags` (no O_CREAT).  Returns an fd or -errno.  */
static int
walk_resolve (int root_fd, const char *path, int flags)
{
  struct walk w = { .root_fd = root_fd, .n = 1, .cap = 16 };
  _cleanup_free_ char *buf = xstrdup (path);
  int links = 0, ret;
  const char *p;

  w.dirs = xmalloc (w.cap * sizeof *w.dirs);
  w.dirs[0] = root_fd;
  p = skip_slashes (buf);
  for (;;)
    {
      _cleanup_close_ int fd = -1;
      const char *end, *rest;
      char comp[NAME_MAX + 1];
      size_t len;
      bool last, want_dir;
      struct stat st;

      if (*p == '\0')
        {
          /* The path ended on a directory already on the stack ("", ".",
             "..", or a trailing slash after a symlink).  */
          ret = openat (walk_top (&w), ".", flags | O_CLOEXEC);
          ret = ret < 0 ? -errno : ret;
          break;
        }
      end = strchrnul (p, '/');
      len = end - p;
      if (len > NAME_MAX)
        {
          ret = -ENAMETOOLONG;
          break;
        }
      memcpy (comp, p, len);
      comp[len] = '\0';
      rest = skip_slashes (end);
      last = *rest == '\0';
      want_dir = !last || *end == '/';

      if (strcmp (comp, ".") == 0 || strcmp (comp, "..") == 0)
        {
          if (comp[1] == '.')
            walk_pop (&w);
          p = rest;
          continue;
        }

      fd = openat (walk_top (&w), comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0 || fstat (fd, &st) < 0)
        {
          ret = -errno;
          break;
        }
      if (S_ISLNK (st.st_mode) && (!last || !(flags & O_NOFOLLOW) || want_dir))
        {
          if (++links > MAX_SYMLINKS)
            {
              ret = -ELOOP;
              break;
            }
          ret = walk_follow (&w, fd, rest, want_dir, &buf);
          if (ret < 0)
            break;
          p = skip_slashes (buf);
          continue;
        }
      if (want_dir && !S_ISDIR (st.st_mode))
        {
          ret = -ENOTDIR;
          break;
        }
      if (!last)
        {
          walk_push (&w, TAKE_FD (fd));
          p = rest;
          continue;
        }
      /* The final component.  Reopen it by name relative to its parent
         (never through a symlink) with the caller's flags; an O_PATH
         request without other needs can keep the fd we have.  */
      if ((flags & ~(O_PATH | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY)) == 0 && (flags & O_PATH))
        {
          if ((flags & O_DIRECTORY) && !S_ISDIR (st.st_mode))
            ret = -ENOTDIR;
          else
            ret = TAKE_FD (fd);
          break;
        }
      ret = openat (walk_top (&w), comp, flags | O_NOFOLLOW | O_CLOEXEC);
      ret = ret < 0 ? -errno : ret;
      break;
    }
  walk_reset (&w);
  free (w.dirs);
  return ret;
}

/* ---- resolution -------------------------------------------------------- */

/* Resolve without O_CREAT: an fd or -errno, no error message.  */
static int
resolve (int root_fd, const char *path, int flags)
{
  const char *rel = skip_slashes (path);

  if (*rel == '\0')
    rel = ".";
  flags |= O_CLOEXEC;
  if (!force_fallback && !openat2_missing)
    {
      struct open_how how = {
        .flags = (uint64_t) flags,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
      };

      for (int i = 0; i < OPENAT2_RETRIES; i++)
        {
          int fd = (int) syscall (SYS_openat2, root_fd, rel, &how, sizeof how);
          if (fd >= 0)
            return fd;
          if (errno == ENOSYS)
            {
              openat2_missing = true;
              break;
            }
          if (errno != EAGAIN)
            return -errno;
        }
    }
  return walk_resolve (root_fd, rel, flags);
}

/* Split `path` into its parent (returned malloc'd, "/" for a single
 * component) and its last component, copied to name.  NULL when the path
 * has no last component that could name a new entry ("", "/", ".", "..").  */
static char *
split_last (const char *path, char name[NAME_MAX + 1])
{
  size_t len = strlen (path), start;

  while (len > 0 && path[len - 1] == '/')
    len--;
  start = len;
  while (start > 0 && path[start - 1] != '/')
    start--;
  if (len == start || len - start > NAME_MAX || (len - start == 1 && path[start] == '.')
      || (len - start == 2 && path[start] == '.' && path[start + 1] == '.'))
    return NULL;
  memcpy (name, path + start, len - start);
  name[len - start] = '\0';
  return start == 0 ? xstrdup ("/") : xstrndup (path, start);
}

/* "/c[0]/c[1]/.../c[k-1]" ("" for k == 0).  */
static char *
join_prefix (char *const *comps, size_t k)
{
  size_t len = 1;
  char *out, *p;

  for (size_t i = 0; i < k; i++)
    len += strlen (comps[i]) + 1;
  p = out = xmalloc (len);
  for (size_t i = 0; i < k; i++)
    p = stpcpy (stpcpy (p, "/"), comps[i]);
  *p = '\0';
  return out;
}

/* Something exists where a file or directory must be created, and it
 * does not resolve: a dangling symlink, which is never written through
 * (it could have been made to point anywhere the image likes).  */
static int
fail_dangling (rt_error *err, const char *step, const char *path)
{
  return rt_failx (err, ENOENT, "%s `%s` in rootfs: a dangling symlink is in the way, refusing to create through it",
                   step, path);
}

int
pr_open_in_root (int root_fd, const char *path, int flags, mode_t mode, rt_error *err)
{
  _cleanup_free_ char *parent = NULL;
  char name[NAME_MAX + 1];
  int fd;

  if (path == NULL)
    return rt_failx (err, EINVAL, "open in rootfs: no path");
  if (!(flags & O_CREAT))
    {
      fd = resolve (root_fd, path, flags);
      if (fd < 0)
        return rt_fail (err, -fd, "open `%s` in rootfs", path);
      return fd;
    }

  /* Open what exists, following symlinks inside the root; create only a
     name that does not exist at all, in the resolved parent, with
     O_EXCL|O_NOFOLLOW so that a dangling symlink is never written
     through.  */
  if (!(flags & O_EXCL))
    {
      fd = resolve (root_fd, path, flags & ~O_CREAT);
      if (fd >= 0 || fd != -ENOENT)
        return fd >= 0 ? fd : rt_fail (err, -fd, "open `%s` in rootfs", path);
    }
  parent = split_last (path, name);
  if (parent == NULL)
    return rt_failx (err, EINVAL, "create `%s` in rootfs: not a file name", path);
  {
    _cleanup_close_ int pfd = resolve (root_fd, parent, O_PATH | O_DIRECTORY);
    if (pfd < 0)
      return rt_fail (err, -pfd, "create `%s` in rootfs: open `%s`", path, parent);
    fd = openat (pfd, name, flags | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0)
      return fd;
    if (errno == EEXIST && !(flags & O_EXCL))
      {
        /* Either a concurrent creation (open it) or a dangling symlink.  */
        fd = resolve (root_fd, path, flags & ~O_CREAT);
        if (fd >= 0)
          return fd;
        return fail_dangling (err, "create", path);
      }
    return rt_fail (err, errno, "create `%s` in rootfs", path);
  }
}

/* After mkdirat() said EEXIST or the name was found missing, open the
 * child directory `name` of pfd without following a symlink, explaining a
 * dangling one.  */
static int
open_created_dir (int pfd, const char *name, const char *path, rt_error *err)
{
  struct stat st;
  int fd;

  fd = openat (pfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0)
    return fd;
  if ((errno == ENOTDIR || errno == ELOOP) && fstatat (pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISLNK (st.st_mode))
    return fail_dangling (err, "mkdir", path);
  return rt_fail (err, errno, "mkdir `%s` in rootfs: open `%s`", path, name);
}

int
pr_mkdir_in_root (int root_fd, const char *path, mode_t mode, rt_error *err)
{
  _cleanup_free_ char *copy = NULL;
  char **comps = NULL;
  size_t n = 0, k;
  int *stack = NULL, fd, ret = 0;
  size_t depth = 0;

  if (path == NULL)
    return rt_failx (err, EINVAL, "mkdir in rootfs: no path");
  fd = resolve (root_fd, path, O_PATH | O_DIRECTORY);
  if (fd >= 0 || fd != -ENOENT)
    return fd >= 0 ? fd : rt_fail (err, -fd, "mkdir `%s` in rootfs", path);

  /* Find the longest prefix that exists (searching from the end: usually
     only the last components are missing), then create the rest one
     directory at a time.  Components after the first missing one name
     directories we create ourselves, so ".." among them is lexical.  */
  copy = xstrdup (path);
  for (char *save = NULL, *c = strtok_r (copy, "/", &save); c; c = strtok_r (NULL, "/", &save))
    {
      if (strcmp (c, ".") == 0)
        continue;
      comps = xrealloc (comps, (n + 1) * sizeof *comps);
      comps[n++] = c;
    }
  stack = xmalloc ((n + 1) * sizeof *stack);
  for (k = n; k-- > 0;)
    {
      _cleanup_free_ char *prefix = join_prefix (comps, k);

      fd = resolve (root_fd, prefix, O_PATH | O_DIRECTORY);
      if (fd >= 0)
        break;
      if (fd != -ENOENT)
        {
          ret = rt_fail (err, -fd, "mkdir `%s` in rootfs: open `%s`", path, prefix[0] ? prefix : "/");
          goto out;
        }
    }
  if (fd < 0)
    {
      /* Not even the root exists?  The directory fd must be bad.  */
      ret = rt_fail (err, -fd, "mkdir `%s` in rootfs", path);
      goto out;
    }
  stack[depth++] = fd;
  for (size_t i = k; i < n; i++)
    {
      if (strcmp (comps[i], "..") == 0)
        {
          if (depth > 1)
            {
              close (stack[--depth]);
              continue;
            }
          /* Above the part we walked: let the kernel resolve the prefix.  */
          _cleanup_free_ char *prefix = join_prefix (comps, i + 1);

          fd = resolve (root_fd, prefix, O_PATH | O_DIRECTORY);
          if (fd < 0)
            {
              ret = rt_fail (err, -fd, "mkdir `%s` in rootfs: open `%s`", path, prefix);
              goto out;
            }
          close (stack[0]);
          stack[0] = fd;
          continue;
        }
      if (mkdirat (stack[depth - 1], comps[i], mode) < 0 && errno != EEXIST)
        {
          ret = rt_fail (err, errno, "mkdir `%s` in rootfs: create `%s`", path, comps[i]);
          goto out;
        }
      fd = open_created_dir (stack[depth - 1], comps[i], path, err);
      if (fd < 0)
        {
          ret = fd;
          goto out;
        }
      stack[depth++] = fd;
    }
  ret = stack[--depth];

out:
  while (depth > 0)
    close (stack[--depth]);
  free (stack);
  free (comps);
  return ret;
}

int
pr_mkmount_target (int root_fd, const char *path, bool is_file, rt_error *err)
{
  _cleanup_free_ char *parent = NULL;
  _cleanup_close_ int pfd = -1;
  char name[NAME_MAX + 1];
  int fd;

  if (path == NULL)
    return rt_failx (err, EINVAL, "mount target in rootfs: no path");
  if (!is_file)
    return pr_mkdir_in_root (root_fd, path, 0755, err);

  fd = resolve (root_fd, path, O_PATH);
  if (fd >= 0)
    {
      struct stat st;

      if (fstat (fd, &st) == 0 && !S_ISDIR (st.st_mode))
        return fd;
      close (fd);
      return rt_failx (err, EISDIR, "mount target `%s` in rootfs is a directory, the source is not", path);
    }
  if (fd != -ENOENT)
    return rt_fail (err, -fd, "mount target `%s` in rootfs", path);
  parent = split_last (path, name);
  if (parent == NULL)
    return rt_failx (err, EINVAL, "mount target `%s` in rootfs: not a file name", path);
  pfd = pr_mkdir_in_root (root_fd, parent, 0755, err);
  if (pfd < 0)
    return rt_wrap (err, "mount target `%s`", path);
  /* mknod of a regular file creates it without opening it and, like
     O_EXCL, fails on anything already there, a dangling symlink
     included.  */
  if (mknodat (pfd, name, S_IFREG | 0644, 0) < 0)
    {
      if (errno != EEXIST)
        return rt_fail (err, errno, "mount target `%s` in rootfs: create", path);
      fd = resolve (root_fd, path, O_PATH);
      if (fd >= 0)
        return fd;
      return fail_dangling (err, "mount target", path);
    }
  fd = openat (pfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "mount target `%s` in rootfs: open", path);
  return fd;
}

const char *
pr_fd_proc_path (int fd, char *buf, size_t len)
{
  snprintf (buf, len, "/proc/self/fd/%d", fd);
  return buf;
}

char *
pr_fd_path (int fd, rt_error *err)
{
  char proc[32], buf[PATH_MAX];
  ssize_t n;

  n = readlink (pr_fd_proc_path (fd, proc, sizeof proc), buf, sizeof buf - 1);
  if (n < 0)
    {
      rt_fail (err, errno, "readlink `%s`", proc);
      return NULL;
    }
  buf[n] = '\0';
  return xstrdup (buf);
}
