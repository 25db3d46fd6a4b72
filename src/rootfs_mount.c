/* Mounting by fd: the new mount API with a mount(2) fallback (see
 * rootfs_priv.h).  All system calls are raw: glibc's wrappers are recent
 * and <sys/mount.h> conflicts with <linux/mount.h>.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pathres.h"
#include "rootfs_priv.h"
#include "util.h"

/* Per-mount flags that mount_setattr(2) can change.  */
#define MS_PER_MOUNT                                                                               \
  (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME         \
   | MS_STRICTATIME | MS_NOSYMFOLLOW)

#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000 /* <linux/statfs.h>, not in glibc 2.36 */
#endif

static bool force_legacy;
static bool new_api_missing;  /* fsopen/open_tree/move_mount: Linux 5.2 */
static bool setattr_missing;  /* mount_setattr: Linux 5.12 */

void
rootfs_set_force_legacy_mount (bool on)
{
  force_legacy = on;
}

bool
rootfs_legacy_mount (void)
{
  return force_legacy || new_api_missing;
}

bool
mnt_recursive_attrs (void)
{
  static int known; /* 0 unknown, 1 yes, -1 no */

  if (force_legacy || setattr_missing)
    return false;
  if (known == 0)
    {
      /* Invalid arguments: only tells whether the system call exists.  */
      known = syscall (SYS_mount_setattr, -1, NULL, 0, NULL, 0) < 0 && errno == ENOSYS ? -1 : 1;
      setattr_missing = known < 0;
    }
  return known > 0;
}

static int
sys_fsopen (const char *fs, unsigned int flags)
{
  return (int) syscall (SYS_fsopen, fs, flags);
}

static int
sys_fsconfig (int fd, unsigned int cmd, const char *key, const void *value, int aux)
{
  return (int) syscall (SYS_fsconfig, fd, cmd, key, value, aux);
}

static int
sys_fsmount (int fd, unsigned int flags, unsigned int attr)
{
  return (int) syscall (SYS_fsmount, fd, flags, attr);
}

static int
sys_move_mount (int from_dfd, const char *from, int to_dfd, const char *to, unsigned int flags)
{
  return (int) syscall (SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}

static int
sys_open_tree (int dfd, const char *path, unsigned int flags)
{
  return (int) syscall (SYS_open_tree, dfd, path, flags);
}

static int
sys_mount_setattr (int dfd, const char *path, unsigned int flags, struct mount_attr *attr)
{
  return (int) syscall (SYS_mount_setattr, dfd, path, flags, attr, sizeof *attr);
}

/* ---- flag conversions ---------------------------------------------------- */

mnt_attrs
mnt_attrs_from_ms (unsigned long ms_set, unsigned long ms_clr)
{
  static const struct
  {
    unsigned long ms;
    uint64_t attr;
  } simple[] = {
    { MS_RDONLY, MOUNT_ATTR_RDONLY },         { MS_NOSUID, MOUNT_ATTR_NOSUID },
    { MS_NODEV, MOUNT_ATTR_NODEV },           { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
    { MS_NODIRATIME, MOUNT_ATTR_NODIRATIME }, { MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW },
  };
  mnt_attrs a = { 0, 0 };

  for (size_t i = 0; i < ARRAY_SIZE (simple); i++)
    {
      if (ms_set & simple[i].ms)
        a.set |= simple[i].attr;
      else if (ms_clr & simple[i].ms)
        a.clr |= simple[i].attr;
    }
  /* Access time is one mode, with mount(2)'s precedence: strictatime over
     noatime over relatime.  Clearing the mode (atime, nostrictatime)
     means the kernel default, relatime.  */
  if (ms_set & MS_STRICTATIME)
    a.set |= MOUNT_ATTR_STRICTATIME;
  else if (ms_set & MS_NOATIME)
    a.set |= MOUNT_ATTR_NOATIME;
  if (ms_set & (MS_STRICTATIME | MS_NOATIME | MS_RELATIME) || ms_clr & (MS_STRICTATIME | MS_NOATIME))
    a.clr |= MOUNT_ATTR__ATIME;
  return a;
}

/* The MS_* flags a mount currently has, from statvfs.  MS_RELATIME is
   reported; strictatime has no ST_ flag and is what remains.  */
static unsigned long
ms_from_statvfs (unsigned long f)
{
  static const struct
  {
    unsigned long st, ms;
  } map[] = {
    { ST_RDONLY, MS_RDONLY },     { ST_NOSUID, MS_NOSUID },         { ST_NODEV, MS_NODEV },
    { ST_NOEXEC, MS_NOEXEC },     { ST_NOATIME, MS_NOATIME },       { ST_NODIRATIME, MS_NODIRATIME },
    { ST_RELATIME, MS_RELATIME }, { ST_NOSYMFOLLOW, MS_NOSYMFOLLOW },
  };
  unsigned long ms = 0;

  for (size_t i = 0; i < ARRAY_SIZE (map); i++)
    if (f & map[i].st)
      ms |= map[i].ms;
  if (!(ms & (MS_NOATIME | MS_RELATIME)))
    ms |= MS_STRICTATIME;
  return ms;
}

/* mount_setattr attributes applied to current MS_* flags.  */
static unsigned long
ms_apply_attrs (unsigned long cur, mnt_attrs a)
{
  static const struct
  {
    uint64_t attr;
    unsigned long ms;
  } map[] = {
    { MOUNT_ATTR_RDONLY, MS_RDONLY },         { MOUNT_ATTR_NOSUID, MS_NOSUID },
    { MOUNT_ATTR_NODEV, MS_NODEV },           { MOUNT_ATTR_NOEXEC, MS_NOEXEC },
    { MOUNT_ATTR_NODIRATIME, MS_NODIRATIME }, { MOUNT_ATTR_NOSYMFOLLOW, MS_NOSYMFOLLOW },
  };

  for (size_t i = 0; i < ARRAY_SIZE (map); i++)
    {
      if (a.clr & map[i].attr)
        cur &= ~map[i].ms;
      if (a.set & map[i].attr)
        cur |= map[i].ms;
    }
  if ((a.clr & MOUNT_ATTR__ATIME) == MOUNT_ATTR__ATIME)
    {
      cur &= ~(MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
      switch (a.set & MOUNT_ATTR__ATIME)
        {
        case MOUNT_ATTR_NOATIME:
          cur |= MS_NOATIME;
          break;
        case MOUNT_ATTR_STRICTATIME:
          cur |= MS_STRICTATIME;
          break;
        default:
          cur |= MS_RELATIME;
          break;
        }
    }
  return cur;
}

/* ---- helpers --------------------------------------------------------------- */

/* After a mount(2) on t, the fd of the new top mount (t->fd still refers
 * to what is underneath).  */
static int
reopen_target (const mnt_target *t, rt_error *err)
{
  int fd;

  /* AT_FDCWD: a host path (the rootfs itself), trusted.  */
  if (t->root_fd == AT_FDCWD)
    fd = open (t->path, O_PATH | O_CLOEXEC);
  else
    fd = pr_open_in_root (t->root_fd, t->path, O_PATH, 0, err);
  if (fd < 0)
    return t->root_fd == AT_FDCWD ? rt_fail (err, errno, "reopen `%s` after mount", t->path)
                                  : rt_wrap (err, "reopen after mount");
  return fd;
}

/* The error messages the filesystem left in its context ("e overlayfs:
 * missing 'lowerdir'"), joined, for the error we are about to report.  */
static void
fs_log (int fsfd, char *out, size_t len)
{
  size_t used = 0;

  out[0] = '\0';
  for (;;)
    {
      char msg[512];
      ssize_t n = read (fsfd, msg, sizeof msg - 1);
      const char *text = msg;
      int w;

      if (n <= 0)
        break;
      msg[n] = '\0';
      while (n > 0 && msg[n - 1] == '\n')
        msg[--n] = '\0';
      if (n > 2 && msg[1] == ' ')
        text += 2;
      w = snprintf (out + used, len - used, "%s%s", used ? "; " : "", text);
      if (w < 0 || (size_t) w >= len - used)
        break;
      used += w;
    }
}

static int
fs_fail (rt_error *err, int fsfd, int code, const char *type, const char *step, const char *arg)
{
  char log[512];

  fs_log (fsfd, log, sizeof log);
  return rt_fail (err, code, "mount %s: %s%s%s%s%s%s", type, step, arg ? " `" : "", arg ? arg : "",
                  arg ? "`" : "", log[0] ? ": " : "", log);
}

/* Pass `data` ("a=b,c,...") to the filesystem one parameter at a time.
 * Commas inside double quotes (SELinux contexts) do not split.  */
static int
fs_config_data (int fsfd, const char *type, const char *data, rt_error *err)
{
  _cleanup_free_ char *copy = xstrdup (data);
  char *p = copy;

  while (*p)
    {
      char *start = p, *eq;
      bool quoted = false;

      for (; *p && (quoted || *p != ','); p++)
        if (*p == '"')
          quoted = !quoted;
      if (*p)
        *p++ = '\0';
      if (*start == '\0')
        continue;
      eq = strchr (start, '=');
      if (eq)
        *eq = '\0';
      if (sys_fsconfig (fsfd, eq ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, start, eq ? eq + 1 : NULL, 0) < 0)
        {
          if (eq)
            *eq = '=';
          return fs_fail (err, fsfd, errno, type, "option", start);
        }
    }
  return 0;
}

/* ---- operations ------------------------------------------------------------ */

static int
mnt_fs_legacy (const mnt_target *t, const char *type, const char *source, const char *data, unsigned long ms_flags,
               rt_error *err)
{
  char proc[32];

  if (mount (source ? source : type, pr_fd_proc_path (t->fd, proc, sizeof proc), type, ms_flags, data) < 0)
    return rt_fail (err, errno, "mount %s", type);
  return reopen_target (t, err);
}

int
mnt_fs (const mnt_target *t, const char *type, const char *source, const char *data, unsigned long ms_flags,
        rt_error *err)
{
  static const struct
  {
    unsigned long ms;
    const char *name;
  } sb_flags[] = {
    { MS_RDONLY, "ro" },    { MS_SYNCHRONOUS, "sync" }, { MS_DIRSYNC, "dirsync" },
    { MS_LAZYTIME, "lazytime" }, { MS_MANDLOCK, "mand" }, { MS_I_VERSION, "iversion" },
  };
  _cleanup_close_ int fsfd = -1;
  mnt_attrs a;
  int mfd;

  if (force_legacy || new_api_missing)
    return mnt_fs_legacy (t, type, source, data, ms_flags, err);
  fsfd = sys_fsopen (type, FSOPEN_CLOEXEC);
  if (fsfd < 0)
    {
      if (errno != ENOSYS)
        return rt_fail (err, errno, "mount %s: fsopen", type);
      new_api_missing = true;
      return mnt_fs_legacy (t, type, source, data, ms_flags, err);
    }
  if (source && sys_fsconfig (fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
    return fs_fail (err, fsfd, errno, type, "source", source);
  for (size_t i = 0; i < ARRAY_SIZE (sb_flags); i++)
    if ((ms_flags & sb_flags[i].ms) && sys_fsconfig (fsfd, FSCONFIG_SET_FLAG, sb_flags[i].name, NULL, 0) < 0)
      return fs_fail (err, fsfd, errno, type, "option", sb_flags[i].name);
  if (data && fs_config_data (fsfd, type, data, err) < 0)
    return rt_error_ret (err);
  if (sys_fsconfig (fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return fs_fail (err, fsfd, errno, type, "create", NULL);
  a = mnt_attrs_from_ms (ms_flags, 0);
  mfd = sys_fsmount (fsfd, FSMOUNT_CLOEXEC, (unsigned int) a.set);
  if (mfd < 0)
    return fs_fail (err, fsfd, errno, type, "fsmount", NULL);
  if (sys_move_mount (mfd, "", t->fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    {
      int saved = errno;
      close (mfd);
      return rt_fail (err, saved, "mount %s: move_mount", type);
    }
  return mfd;
}

static int
mnt_bind_legacy (const mnt_target *t, int src_dirfd, const char *src_path, bool recursive, mnt_attrs top,
                 mnt_attrs rec, rt_error *err)
{
  _cleanup_free_ char *src = NULL;
  _cleanup_close_ int fd = -1;
  char proc[32], tproc[32];

  if (*src_path == '\0')
    src = xstrdup (pr_fd_proc_path (src_dirfd, proc, sizeof proc));
  else if (src_dirfd == AT_FDCWD || *src_path == '/')
    src = xstrdup (src_path);
  else
    xasprintf (&src, "%s/%s", pr_fd_proc_path (src_dirfd, proc, sizeof proc), src_path);
  if (mount (src, pr_fd_proc_path (t->fd, tproc, sizeof tproc), NULL, MS_BIND | (recursive ? MS_REC : 0), NULL)
      < 0)
    return rt_fail (err, errno, "bind mount");
  fd = reopen_target (t, err);
  if (fd < 0)
    return fd;
  if (mnt_setattrs (fd, "bind mount", top, rec, err) < 0)
    return rt_error_ret (err);
  return TAKE_FD (fd);
}

int
mnt_bind (const mnt_target *t, int src_dirfd, const char *src_path, bool recursive, mnt_attrs top, mnt_attrs rec,
          rt_error *err)
{
  unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
  _cleanup_close_ int tree = -1;

  if (force_legacy || new_api_missing)
    return mnt_bind_legacy (t, src_dirfd, src_path, recursive, top, rec, err);
  if (recursive)
    flags |= AT_RECURSIVE;
  if (*src_path == '\0')
    flags |= AT_EMPTY_PATH;
  tree = sys_open_tree (src_dirfd, src_path, flags);
  if (tree < 0)
    {
      if (errno != ENOSYS)
        return rt_fail (err, errno, "bind mount: open_tree");
      new_api_missing = true;
      return mnt_bind_legacy (t, src_dirfd, src_path, recursive, top, rec, err);
    }
  /* Attributes go on the detached copy: it is never visible with more
     rights than asked for.  */
  if (mnt_setattrs (tree, "bind mount", top, rec, err) < 0)
    return rt_error_ret (err);
  if (sys_move_mount (tree, "", t->fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return rt_fail (err, errno, "bind mount: move_mount");
  return TAKE_FD (tree);
}

int
mnt_idmapped_tree (const char *source, bool recursive, bool recursive_map, int userns_fd, rt_error *err)
{
  struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t) userns_fd };
  _cleanup_close_ int tree = -1;

  tree = sys_open_tree (AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
  if (tree < 0)
    return rt_fail (err, errno, "open_tree `%s`", source);
  if (sys_mount_setattr (tree, "", AT_EMPTY_PATH | (recursive_map ? AT_RECURSIVE : 0), &attr) < 0)
    return rt_fail (err, errno, "idmap `%s`", source);
  return TAKE_FD (tree);
}

int
mnt_attach (const mnt_target *t, int tree, rt_error *err)
{
  int fd;

  if (sys_move_mount (tree, "", t->fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return rt_fail (err, errno, "attach: move_mount");
  fd = fcntl (tree, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    return rt_fail (err, errno, "attach: dup");
  return fd;
}

int
mnt_setattr (int fd, const char *what, bool recursive, mnt_attrs a, rt_error *err)
{
  struct statvfs sv;
  unsigned long ms;
  char proc[32];

  if (!force_legacy && !setattr_missing)
    {
      struct mount_attr attr = { .attr_set = a.set, .attr_clr = a.clr };
      if (sys_mount_setattr (fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr) == 0)
        return 0;
      if (errno != ENOSYS)
        return rt_fail (err, errno, "%s: mount_setattr", what);
      setattr_missing = true;
    }
  if (recursive)
    return rt_failx (err, ENOSYS, "%s: recursive mount attributes need mount_setattr(2) (Linux 5.12)", what);
  /* A bind remount sets exactly the flags given: start from the current
     ones so that only the attributes asked for change (and flags locked
     by a user namespace are kept).  */
  if (fstatvfs (fd, &sv) < 0)
    return rt_fail (err, errno, "%s: statvfs", what);
  ms = ms_apply_attrs (ms_from_statvfs (sv.f_flag), a);
  if (mount (NULL, pr_fd_proc_path (fd, proc, sizeof proc), NULL, MS_REMOUNT | MS_BIND | (ms & MS_PER_MOUNT), NULL)
      < 0)
    return rt_fail (err, errno, "%s: remount", what);
  return 0;
}

int
mnt_setattrs (int fd, const char *what, mnt_attrs top, mnt_attrs rec, rt_error *err)
{
  if ((top.set || top.clr) && mnt_setattr (fd, what, false, top, err) < 0)
    return rt_error_ret (err);
  if ((rec.set || rec.clr) && mnt_setattr (fd, what, true, rec, err) < 0)
    return rt_error_ret (err);
  return 0;
}

int
mnt_propagation (int fd, const char *what, unsigned long propagation, rt_error *err)
{
  char proc[32];

  if (!force_legacy && !setattr_missing)
    {
      struct mount_attr attr = { .propagation = propagation & ~MS_REC };
      if (sys_mount_setattr (fd, "", AT_EMPTY_PATH | (propagation & MS_REC ? AT_RECURSIVE : 0), &attr) == 0)
        return 0;
      if (errno != ENOSYS)
        return rt_fail (err, errno, "%s: set propagation", what);
      setattr_missing = true;
    }
  if (mount (NULL, pr_fd_proc_path (fd, proc, sizeof proc), NULL, propagation, NULL) < 0)
    return rt_fail (err, errno, "%s: set propagation", what);
  return 0;
}
