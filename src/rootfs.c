/* Building the container's filesystem view (see rootfs.h).
 *
 * Every destination is resolved inside the rootfs by pathres and every
 * mount is made on the resulting fd (rootfs_mount.c), so neither an image
 * symlink nor a mount made by an earlier entry can redirect a mount to
 * the host.  */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mountopt.h"
#include "pathres.h"
#include "rootfs.h"
#include "rootfs_priv.h"
#include "util.h"

/* A tree copied by tmpcopyup deeper than this is refused: each level
   holds a directory fd.  */
#define COPYUP_MAX_DEPTH 128
#define PROC_ROOT_INODE 1

bool
rootfs_has_mountns (const spec *s)
{
  if (s->linux_ == NULL)
    return false;
  for (size_t i = 0; i < s->linux_->n_namespaces; i++)
    if (s->linux_->namespaces[i].type == SPEC_NS_MOUNT)
      return true;
  return false;
}

bool
rootfs_dest_is (const char *dest, const char *path)
{
  _cleanup_free_ char *clean = NULL;

  if (dest == NULL)
    return false;
  clean = path_clean (dest);
  return strcmp (clean, path) == 0;
}

/* Parse rootfsPropagation with the mount option table: it takes the same
 * eight names.  */
static int
parse_propagation (const char *name, unsigned long *out, rt_error *err)
{
  char *opt[1] = { (char *) name };
  mount_opts o;
  int ret;

  ret = mountopt_parse (opt, 1, "linux.rootfsPropagation", &o, err);
  if (ret < 0)
    return ret;
  *out = o.propagation;
  ret = o.propagation != 0 && o.data == NULL;
  mountopt_free (&o);
  if (!ret)
    return rt_failx (err, EINVAL, "linux.rootfsPropagation: `%s` is not a propagation type", name);
  return 0;
}

/* ---- /proc/self/mountinfo -------------------------------------------------- */

/* Undo the octal escapes (\040 for a space) of a mountinfo field.  */
static void
unescape (char *s)
{
  char *w = s;

  for (; *s; s++)
    {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0'
          && s[3] <= '7')
        {
          *w++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
          s += 3;
        }
      else
        *w++ = *s;
    }
  *w = '\0';
}

int
rootfs_mountinfo_foreach (int (*fn) (const mountinfo_entry *e, void *data), void *data, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  char *line, *save = NULL;

  if (read_file_at (AT_FDCWD, "/proc/self/mountinfo", &text, err) < 0)
    return rt_error_ret (err);
  for (line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *f[6], *sep, *tail, *tsave = NULL;
      mountinfo_entry e;
      int ret;

      /* id parent major:minor root mountpoint options [optional...] - fstype source superopts */
      sep = strstr (line, " - ");
      if (sep == NULL)
        continue;
      *sep = '\0';
      tail = sep + 3;
      for (int i = 0; i < 6; i++)
        f[i] = strtok_r (i ? NULL : line, " ", &tsave);
      if (f[5] == NULL)
        continue;
      e.id = atoi (f[0]);
      e.root = f[3];
      e.mountpoint = f[4];
      e.optional = tsave ? tsave : "";
      e.fstype = strtok_r (tail, " ", &tsave);
      e.source = strtok_r (NULL, " ", &tsave);
      e.super_opts = strtok_r (NULL, " ", &tsave);
      if (e.fstype == NULL || e.source == NULL || e.super_opts == NULL)
        continue;
      unescape (e.root);
      unescape (e.mountpoint);
      ret = fn (&e, data);
      if (ret != 0)
        return ret > 0 ? 0 : ret;
    }
  return 0;
}

struct shared_query
{
  int id;
  bool shared;
  char *mountpoint;
};

static int
shared_cb (const mountinfo_entry *e, void *data)
{
  struct shared_query *q = data;

  if (e->id != q->id)
    return 0;
  q->shared = strstr (e->optional, "shared:") != NULL;
  q->mountpoint = xstrdup (e->mountpoint);
  return 1;
}

/* pivot_root(2) refuses a new root whose parent mount is shared, and a
 * bind of the rootfs under a shared mount would propagate to the host:
 * make the mount holding the rootfs private when it is shared (only
 * possible when rootfsPropagation asked for sharing somewhere).  */
static int
rootfs_parent_private (const rootfs_config *c, rt_error *err)
{
  struct shared_query q = { 0, false, NULL };
  struct statx stx;
  int ret = 0;

  if (statx (AT_FDCWD, c->rootfs, 0, STATX_MNT_ID, &stx) < 0)
    return rt_fail (err, errno, "statx rootfs `%s`", c->rootfs);
  q.id = (int) stx.stx_mnt_id;
  if (rootfs_mountinfo_foreach (shared_cb, &q, err) < 0)
    return rt_error_ret (err);
  /* Propagation changes need the mount's root: use its mount point (a
     host path, outside the image).  */
  if (q.shared && mount (NULL, q.mountpoint, NULL, MS_PRIVATE, NULL) < 0)
    ret = rt_fail (err, errno, "make `%s`, the mount holding the rootfs, private", q.mountpoint);
  free (q.mountpoint);
  return ret;
}

/* ---- checks on destinations ------------------------------------------------ */

/* The lxcfs-style files that may be bind-mounted inside /proc (runc's
   list); anything else on procfs is refused.  */
static const char *const proc_allowed[] = {
  "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat",     "/proc/swaps",
  "/proc/uptime",  "/proc/loadavg",   "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

struct prep
{
  const rootfs_config *c;
  int root_fd;
  /* The container's /proc directory before anything is mounted on it.  */
  bool proc_known;
  dev_t proc_dev;
  ino_t proc_ino;
};

/* Is `source` (a bind source on the host) procfs?  */
static bool
source_is_proc (const char *source)
{
  struct statfs sfs;
  return source && statfs (source, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

/* Mounting over (part of) procfs lets the container fake what the
 * runtime and LSMs read there (CVE-2019-16884, CVE-2019-19921): only proc
 * (or a bind of a procfs) may go on /proc, and only allowlisted files
 * below it.  `bind_source` is the host path of a bind, or NULL.  */
static int
check_proc_target (const struct prep *p, int target_fd, const char *dest, const char *type,
                   const char *bind_source, rt_error *err)
{
  _cleanup_free_ char *clean = path_clean (dest);
  struct statfs sfs;
  struct stat st;
  bool is_proc_type = type && strcmp (type, "proc") == 0;

  if (fstatfs (target_fd, &sfs) < 0 || fstat (target_fd, &st) < 0)
    return rt_fail (err, errno, "stat mount target");
  if (sfs.f_type == PROC_SUPER_MAGIC)
    {
      if (st.st_ino == PROC_ROOT_INODE && (is_proc_type || source_is_proc (bind_source)))
        return 0;
      for (size_t i = 0; i < ARRAY_SIZE (proc_allowed); i++)
        if (strcmp (clean, proc_allowed[i]) == 0)
          return 0;
      return rt_failx (err, EPERM, "`%s` cannot be mounted because it is inside /proc", dest);
    }
  if (!is_proc_type
      && (strcmp (clean, "/proc") == 0 || (p->proc_known && st.st_dev == p->proc_dev && st.st_ino == p->proc_ino))
      && !source_is_proc (bind_source))
    return rt_failx (err, EPERM, "`%s` cannot be mounted because it is not of type proc", dest);
  return 0;
}

/* ---- tmpcopyup ---------------------------------------------------------------- */

static int copy_tree (int src, int dst, int depth, rt_error *err);

/* Owner first, then mode: chown(2) clears the set-id bits.  An owner the
 * user namespace does not map (EINVAL) stays the mounter's.  */
static int
copy_owner_mode (int fd, const char *name, const struct stat *st, rt_error *err)
{
  if (fchown (fd, st->st_uid, st->st_gid) < 0 && errno != EINVAL)
    return rt_fail (err, errno, "chown `%s`", name);
  if (fchmod (fd, st->st_mode & 07777) < 0)
    return rt_fail (err, errno, "chmod `%s`", name);
  return 0;
}

static int
copy_file (int src, int dst, const char *name, const struct stat *st, rt_error *err)
{
  _cleanup_close_ int in = -1, out = -1;

  in = openat (src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0)
    return rt_fail (err, errno, "open `%s`", name);
  out = openat (dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0)
    return rt_fail (err, errno, "create `%s`", name);
  for (off_t left = st->st_size; left > 0;)
    {
      ssize_t n = copy_file_range (in, NULL, out, NULL, (size_t) left, 0);
      if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL))
        n = sendfile (out, in, NULL, (size_t) left);
      if (n < 0)
        return rt_fail (err, errno, "copy `%s`", name);
      if (n == 0)
        break;
      left -= n;
    }
  return copy_owner_mode (out, name, st, err);
}

static int
copy_entry (int src, int dst, const char *name, const struct stat *st, int depth, rt_error *err)
{
  _cleanup_close_ int in = -1, out = -1;
  char target[PATH_MAX];
  ssize_t n;

  switch (st->st_mode & S_IFMT)
    {
    case S_IFREG:
      return copy_file (src, dst, name, st, err);
    case S_IFDIR:
      if (mkdirat (dst, name, 0700) < 0)
        return rt_fail (err, errno, "mkdir `%s`", name);
      in = openat (src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      out = openat (dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (in < 0 || out < 0)
        return rt_fail (err, errno, "open directory `%s`", name);
      if (copy_tree (in, out, depth + 1, err) < 0)
        return rt_wrap (err, "%s", name);
      return copy_owner_mode (out, name, st, err);
    case S_IFLNK:
      n = readlinkat (src, name, target, sizeof target - 1);
      if (n < 0)
        return rt_fail (err, errno, "readlink `%s`", name);
      target[n] = '\0';
      if (symlinkat (target, dst, name) < 0)
        return rt_fail (err, errno, "symlink `%s`", name);
      if (fchownat (dst, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EINVAL)
        return rt_fail (err, errno, "chown `%s`", name);
      return 0;
    default:
      if (mknodat (dst, name, st->st_mode & (S_IFMT | 0600), st->st_rdev) < 0)
        {
          /* Device nodes cannot be made in a user namespace: leave them
             out rather than fail the container.  */
          if (errno != EPERM)
            return rt_fail (err, errno, "mknod `%s`", name);
          rt_warn ("tmpcopyup: cannot copy device node `%s`: %s", name, strerror (errno));
          return 0;
        }
      /* Just made in our own new tmpfs: the name cannot lead elsewhere.  */
      if (fchownat (dst, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EINVAL)
        return rt_fail (err, errno, "chown `%s`", name);
      if (fchmodat (dst, name, st->st_mode & 07777, 0) < 0)
        return rt_fail (err, errno, "chmod `%s`", name);
      return 0;
    }
}

/* Copy the contents of directory `src` into `dst` without following any
 * symlink of the (untrusted) image.  */
static int
copy_tree (int src, int dst, int depth, rt_error *err)
{
  DIR *dir;
  struct dirent *de;
  int ret = 0, fd;

  if (depth > COPYUP_MAX_DEPTH)
    return rt_failx (err, ELOOP, "tmpcopyup: directory tree deeper than %d levels", COPYUP_MAX_DEPTH);
  fd = fcntl (src, F_DUPFD_CLOEXEC, 3);
  if (fd < 0)
    return rt_fail (err, errno, "tmpcopyup: dup");
  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      return rt_fail (err, errno, "tmpcopyup: opendir");
    }
  while ((errno = 0, de = readdir (dir)) != NULL)
    {
      struct stat st;

      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (fstatat (dirfd (dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        {
          ret = rt_fail (err, errno, "tmpcopyup: stat `%s`", de->d_name);
          break;
        }
      ret = copy_entry (dirfd (dir), dst, de->d_name, &st, depth, err);
      if (ret < 0)
        break;
    }
  if (ret == 0 && errno != 0)
    ret = rt_fail (err, errno, "tmpcopyup: readdir");
  closedir (dir);
  return ret;
}

/* ---- one config mount --------------------------------------------------------- */

/* Flags of a mount whose read-only part ("ro" or "rro") waits for
 * rootfs_finalize: tmpfs and /dev get files and mount points created in
 * them first (runc does the same).  */
static bool
ro_deferred (const spec_mount *m, const mount_opts *o)
{
  if (!(o->flags & MS_RDONLY) && !(o->attr_set & MOUNT_ATTR_RDONLY))
    return false;
  return (!o->bind && m->type && strcmp (m->type, "tmpfs") == 0) || rootfs_dest_is (m->destination, "/dev");
}

static int
open_dir_target (const struct prep *p, const char *dest, bool *created, rt_error *err)
{
  int fd = pr_open_in_root (p->root_fd, dest, O_PATH | O_DIRECTORY, 0, err);

  *created = false;
  if (fd >= 0 || err->code != ENOENT)
    return fd;
  *created = true;
  return pr_mkdir_in_root (p->root_fd, dest, 0755, err);
}

static int
mount_tmpfs (const struct prep *p, const spec_mount *m, const mount_opts *o, mnt_target *t, unsigned long flags,
             rt_error *err)
{
  _cleanup_free_ char *data = NULL;
  _cleanup_close_ int src = -1, dst = -1;
  bool created;
  struct stat st;
  int fd;

  t->fd = open_dir_target (p, m->destination, &created, err);
  if (t->fd < 0)
    return t->fd;
  /* The tmpfs root keeps the mode of the directory it covers.  */
  if (!created)
    {
      if (fstat (t->fd, &st) < 0)
        return rt_fail (err, errno, "stat");
      xasprintf (&data, "mode=%04o%s%s", st.st_mode & 07777, o->data ? "," : "", o->data ? o->data : "");
      if (o->tmpcopyup)
        {
          /* Opened before the mount: it keeps seeing what is underneath.  */
          src = openat (t->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (src < 0)
            return rt_fail (err, errno, "tmpcopyup: open");
        }
    }
  else if (o->data)
    data = xstrdup (o->data);
  if (check_proc_target (p, t->fd, m->destination, "tmpfs", NULL, err) < 0)
    return rt_error_ret (err);
  fd = mnt_fs (t, "tmpfs", m->source ? m->source : "tmpfs", data, flags, err);
  if (fd < 0 || src < 0)
    return fd;
  dst = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dst < 0 || copy_tree (src, dst, 0, err) < 0)
    {
      if (dst < 0)
        rt_fail (err, errno, "tmpcopyup: open tmpfs");
      close (fd);
      return rt_wrap (err, "tmpcopyup");
    }
  return fd;
}

/* proc and sysfs go on an ordinary directory, never through a trailing
 * symlink (runc's rule, from CVE-2019-19921).  */
static int
mount_kernfs (const struct prep *p, const spec_mount *m, const mount_opts *o, mnt_target *t, unsigned long flags,
              rt_error *err)
{
  const rootfs_config *c = p->c;
  bool is_proc = strcmp (m->type, "proc") == 0;
  int fd;

  t->fd = pr_open_in_root (p->root_fd, m->destination, O_PATH | O_DIRECTORY | O_NOFOLLOW, 0, err);
  if (t->fd < 0 && err->code == ENOENT)
    t->fd = pr_mkdir_in_root (p->root_fd, m->destination, 0755, err);
  else if (t->fd < 0 && (err->code == ENOTDIR || err->code == ELOOP))
    return rt_failx (err, ENOTDIR, "filesystem %s must be mounted on an ordinary directory", m->type);
  if (t->fd < 0)
    return t->fd;
  if (check_proc_target (p, t->fd, m->destination, m->type, NULL, err) < 0)
    return rt_error_ret (err);
  fd = mnt_fs (t, m->type, m->source, o->data, flags, err);
  if (fd >= 0 || err->code != EPERM || !c->userns)
    return fd;
  if (is_proc)
    return rt_wrap (err, "%s",
                    c->new_pidns ? "procfs can only be mounted in a user namespace when no part of the host /proc "
                                   "is hidden by another mount"
                                 : "procfs can only be mounted in a user namespace that has its own PID namespace");
  /* sysfs belongs to the network namespace: without one of its own, a
     user namespace cannot mount it.  Show the host's, read-only (as crun
     does; runc fails here).  */
  rt_debug ("mount sysfs: %s; binding the host /sys read-only instead", err->msg);
  return mnt_bind (t, AT_FDCWD, "/sys", true, (mnt_attrs){ 0, 0 },
                   mnt_attrs_from_ms (MS_RDONLY | (flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC)), 0), err);
}

void
rootfs_bind_attrs (const mount_opts *o, unsigned long flags, mnt_attrs *top, mnt_attrs *rec)
{
  *top = mnt_attrs_from_ms (flags, o->clear);
  *rec = (mnt_attrs){ o->attr_set, o->attr_clr };
  /* An rbind gets the restrictions it asks for (ro, nosuid, nodev,
     noexec, ...) on every mount of the tree, not only the top one as in
     runc, where a read-only rbind leaves the submounts writable.  Clearing
     flags and the access-time mode stay on the top mount: they would
     loosen submounts the source made stricter on purpose.  */
  if (o->recursive_bind && mnt_recursive_attrs ())
    {
      uint64_t restrict_ = top->set & ~(uint64_t) MOUNT_ATTR__ATIME;
      rec->set |= restrict_ & ~rec->clr;
      top->set &= ~restrict_;
    }
}

/* An idmapped bind: the runtime made the tree (rootfs_idmap_mounts), with
 * its attributes; it only has to be attached here.  */
static int
mount_idmapped (const struct prep *p, size_t i, const spec_mount *m, mnt_target *t, rt_error *err)
{
  int tree = p->c->idmap_fds ? p->c->idmap_fds[i] : -1;
  struct stat st;

  if (tree < 0)
    return rt_failx (err, ENOTSUP, "idmapped mount: the runtime did not prepare it (rootfs_idmap_mounts)");
  if (fstat (tree, &st) < 0)
    return rt_fail (err, errno, "idmapped mount: stat");
  t->fd = pr_mkmount_target (p->root_fd, m->destination, !S_ISDIR (st.st_mode), err);
  if (t->fd < 0)
    return t->fd;
  if (check_proc_target (p, t->fd, m->destination, NULL, m->source, err) < 0)
    return rt_error_ret (err);
  return mnt_attach (t, tree, err);
}

static int
mount_bind (const struct prep *p, const spec_mount *m, const mount_opts *o, mnt_target *t, unsigned long flags,
            rt_error *err)
{
  struct stat st;
  mnt_attrs top, rec;

  if (m->source == NULL || *m->source == '\0')
    return rt_failx (err, EINVAL, "bind mount without a source");
  /* The source is a host path (relative ones are relative to the bundle,
     the current directory).  */
  if (stat (m->source, &st) < 0)
    return rt_fail (err, errno, "source `%s`", m->source);
  t->fd = pr_mkmount_target (p->root_fd, m->destination, !S_ISDIR (st.st_mode), err);
  if (t->fd < 0)
    return t->fd;
  if (check_proc_target (p, t->fd, m->destination, NULL, m->source, err) < 0)
    return rt_error_ret (err);
  rootfs_bind_attrs (o, flags, &top, &rec);
  return mnt_bind (t, AT_FDCWD, m->source, o->recursive_bind, top, rec, err);
}

/* `data` without its "gid=..." parameter.  */
static char *
data_without_gid (const char *data)
{
  char *out = xmalloc (strlen (data) + 1), *o = out;

  for (const char *p = data; *p;)
    {
      size_t n = strcspn (p, ",");
      if (strncmp (p, "gid=", 4) != 0)
        {
          if (o != out)
            *o++ = ',';
          memcpy (o, p, n);
          o += n;
        }
      p += n + (p[n] == ',');
    }
  *o = '\0';
  return out;
}

static int
mount_other (const struct prep *p, const spec_mount *m, const mount_opts *o, mnt_target *t, unsigned long flags,
             rt_error *err)
{
  _cleanup_free_ char *fallback = NULL;
  int fd;

  t->fd = pr_mkdir_in_root (p->root_fd, m->destination, 0755, err);
  if (t->fd < 0)
    return t->fd;
  if (check_proc_target (p, t->fd, m->destination, m->type, NULL, err) < 0)
    return rt_error_ret (err);
  fd = mnt_fs (t, m->type, m->source, o->data, flags, err);
  /* The default config asks devpts for gid=5 ("tty"), which a user
     namespace that does not map it (a joined one, or a single-ID rootless
     map) cannot express: runc then mounts without it, and so do we.  */
  if (fd == -EINVAL && m->type && strcmp (m->type, "devpts") == 0 && o->data && strstr (o->data, "gid="))
    {
      fallback = data_without_gid (o->data);
      fd = mnt_fs (t, m->type, m->source, fallback, flags, err);
    }
  return fd;
}

static int
mount_overlay (const struct prep *p, size_t i, const spec_mount *m, mnt_target *t, rt_error *err)
{
  t->fd = pr_mkdir_in_root (p->root_fd, m->destination, 0755, err);
  if (t->fd < 0)
    return t->fd;
  if (check_proc_target (p, t->fd, m->destination, m->type, NULL, err) < 0)
    return rt_error_ret (err);
  return rootfs_mount_overlay (p->c, i, t, err);
}

static int
mount_one (struct prep *p, size_t i, rt_error *err)
{
  const spec_mount *m = &p->c->spec->mounts[i];
  mnt_target t = { .root_fd = p->root_fd, .path = m->destination, .fd = -1 };
  char what[512];
  mount_opts o;
  unsigned long flags;
  bool is_bind;
  int fd, ret;

  snprintf (what, sizeof what, "mounts[%zu] (%s, type %s)", i, m->destination ? m->destination : "(none)",
            m->type ? m->type : "none");
  if (m->destination == NULL || *m->destination == '\0')
    return rt_failx (err, EINVAL, "%s: no destination", what);
  if (mountopt_parse (m->options, m->n_options, what, &o, err) < 0)
    return rt_error_ret (err);
  is_bind = o.bind || (m->type && strcmp (m->type, "bind") == 0);
  if (!is_bind && (m->type == NULL || *m->type == '\0'))
    {
      mountopt_free (&o);
      return rt_failx (err, EINVAL, "%s: no filesystem type", what);
    }
  flags = o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  if (ro_deferred (m, &o))
    flags &= ~MS_RDONLY;

  if (rootfs_mount_idmapped (m, &o))
    fd = mount_idmapped (p, i, m, &t, err);
  else if (is_bind)
    fd = mount_bind (p, m, &o, &t, flags, err);
  else if (strcmp (m->type, "cgroup") == 0)
    fd = rootfs_mount_cgroup (p->c, p->root_fd, m, &o, err);
  else if (strcmp (m->type, "tmpfs") == 0)
    fd = mount_tmpfs (p, m, &o, &t, flags, err);
  else if (strcmp (m->type, "proc") == 0 || strcmp (m->type, "sysfs") == 0)
    fd = mount_kernfs (p, m, &o, &t, flags, err);
  else if (strcmp (m->type, "overlay") == 0)
    fd = mount_overlay (p, i, m, &t, err);
  else
    fd = mount_other (p, m, &o, &t, flags, err);
  if (t.fd >= 0)
    close (t.fd);
  ret = fd;
  /* Binds apply the r* attributes as they attach (rootfs_bind_attrs); a
     new filesystem gets them once mounted, or "rro" on a tmpfs would be
     silently writable.  */
  if (fd >= 0 && !is_bind && !rootfs_mount_idmapped (m, &o))
    {
      mnt_attrs rec = { o.attr_set, o.attr_clr };
      if (ro_deferred (m, &o))
        rec.set &= ~(uint64_t) MOUNT_ATTR_RDONLY;
      if (rec.set || rec.clr)
        ret = mnt_setattr (fd, "mount", true, rec, err);
    }
  if (ret >= 0 && o.propagation)
    ret = mnt_propagation (fd, "mount", o.propagation, err);
  if (fd >= 0)
    close (fd);
  mountopt_free (&o);
  if (ret < 0)
    return rt_wrap (err, "%s", what);
  return 0;
}

/* ---- prepare ------------------------------------------------------------------- */

static bool
config_needs_mountns (const spec *s, const rootfs_config *c)
{
  return s->n_mounts > 0 || (s->linux_ && (s->linux_->n_masked_paths || s->linux_->n_readonly_paths))
         || (s->root && s->root->readonly) || c->no_pivot;
}

static bool
setup_dev_needed (const spec *s)
{
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      const spec_mount *m = &s->mounts[i];
      bool bind = m->type && strcmp (m->type, "bind") == 0;

      for (size_t j = 0; !bind && j < m->n_options; j++)
        bind = strcmp (m->options[j], "bind") == 0 || strcmp (m->options[j], "rbind") == 0;
      if (bind && rootfs_dest_is (m->destination, "/dev"))
        return false;
    }
  return true;
}

int
rootfs_prepare (const rootfs_config *c, rt_error *err)
{
  const spec *s = c->spec;
  unsigned long prop = MS_SLAVE | MS_REC;
  const char *rprop = s->linux_ ? s->linux_->rootfs_propagation : NULL;
  mnt_target t = { .root_fd = AT_FDCWD, .path = c->rootfs, .fd = -1 };
  struct prep p = { .c = c, .root_fd = -1 };
  int ret = 0;

  if (!rootfs_has_mountns (s))
    {
      if (config_needs_mountns (s, c))
        return rt_failx (err, EINVAL,
                         "mounts, maskedPaths, readonlyPaths, a read-only root and --no-pivot need a private "
                         "mount namespace (add {\"type\": \"mount\"} to linux.namespaces)");
      return 0;
    }
  if (rprop && *rprop)
    {
      if (parse_propagation (rprop, &prop, err) < 0)
        return rt_error_ret (err);
      if (c->no_pivot && (prop & MS_PRIVATE))
        return rt_failx (err, EINVAL, "rootfsPropagation of [r]private is not safe without pivot_root");
    }
  /* An unbindable tree cannot be bind-mounted, not even the rootfs onto
     itself: keep the default slave propagation for the setup and let
     rootfs_pivot apply unbindable to the new root.  */
  if (prop & MS_UNBINDABLE)
    prop = MS_SLAVE | MS_REC;
  /* Nothing done from here on may propagate back to the host.  */
  if (mount (NULL, "/", NULL, prop, NULL) < 0)
    return rt_fail (err, errno, "prepare rootfs: set propagation of /");
  if (rprop && *rprop && rootfs_parent_private (c, err) < 0)
    return rt_wrap (err, "prepare rootfs");

  /* A bind of the rootfs onto itself makes it a mount of its own, which
     pivot_root needs; its fd is the root every path is resolved in.  */
  t.fd = open (c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (t.fd < 0)
    return rt_fail (err, errno, "prepare rootfs: open `%s`", c->rootfs);
  p.root_fd = mnt_bind (&t, AT_FDCWD, c->rootfs, true, (mnt_attrs){ 0, 0 }, (mnt_attrs){ 0, 0 }, err);
  close (t.fd);
  if (p.root_fd < 0)
    return rt_wrap (err, "prepare rootfs: bind `%s` onto itself", c->rootfs);

  {
    _cleanup_close_ int proc = pr_open_in_root (p.root_fd, "/proc", O_PATH, 0, err);
    struct stat st;

    if (proc >= 0 && fstat (proc, &st) == 0)
      {
        p.proc_known = true;
        p.proc_dev = st.st_dev;
        p.proc_ino = st.st_ino;
      }
    rt_error_clear (err);
  }
  for (size_t i = 0; i < s->n_mounts && ret == 0; i++)
    ret = mount_one (&p, i, err);
  if (ret == 0 && setup_dev_needed (s))
    ret = rootfs_setup_dev (c, p.root_fd, err);
  close (p.root_fd);
  return ret < 0 ? ret : 0;
}

/* ---- pivot ------------------------------------------------------------------------ */

struct kernfs_list
{
  const char *rootfs;
  char **paths;
  size_t n;
};

static int
kernfs_cb (const mountinfo_entry *e, void *data)
{
  struct kernfs_list *l = data;
  size_t rl = strlen (l->rootfs);

  if (strcmp (e->root, "/") != 0 || (strcmp (e->fstype, "proc") != 0 && strcmp (e->fstype, "sysfs") != 0))
    return 0;
  if (strncmp (e->mountpoint, l->rootfs, rl) == 0 && (e->mountpoint[rl] == '/' || e->mountpoint[rl] == '\0'))
    return 0;
  l->paths = xrealloc (l->paths, (l->n + 1) * sizeof *l->paths);
  l->paths[l->n++] = xstrdup (e->mountpoint);
  return 0;
}

/* --no-pivot: the host's root stays reachable (through chroot escapes),
 * and with it full procfs and sysfs mounts that would let the container
 * mount fresh ones: hide those first (runc's msMoveRoot), then move the
 * rootfs over / and chroot into it.  */
static int
ms_move_root (const rootfs_config *c, rt_error *err)
{
  struct kernfs_list l = { .rootfs = c->rootfs };
  int ret = 0;

  if (chdir (c->rootfs) < 0)
    return rt_fail (err, errno, "chdir `%s`", c->rootfs);
  if (rootfs_mountinfo_foreach (kernfs_cb, &l, err) < 0)
    return rt_error_ret (err);
  for (size_t i = 0; i < l.n && ret == 0; i++)
    {
      if (mount (NULL, l.paths[i], NULL, MS_SLAVE | MS_REC, NULL) < 0)
        {
          if (errno != ENOENT)
            ret = rt_fail (err, errno, "make `%s` rslave", l.paths[i]);
          continue;
        }
      if (umount2 (l.paths[i], MNT_DETACH) < 0)
        {
          if (errno != EINVAL && errno != EPERM)
            ret = rt_fail (err, errno, "unmount `%s`", l.paths[i]);
          else if (mount ("tmpfs", l.paths[i], "tmpfs", 0, NULL) < 0)
            ret = rt_fail (err, errno, "cover `%s` with tmpfs", l.paths[i]);
        }
    }
  strv_free_n (l.paths, l.n);
  if (ret < 0)
    return ret;
  if (mount (c->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
    return rt_fail (err, errno, "move rootfs `%s` onto /", c->rootfs);
  if (chroot (".") < 0 || chdir ("/") < 0)
    return rt_fail (err, errno, "chroot into `%s`", c->rootfs);
  return 0;
}

static int
pivot (const rootfs_config *c, rt_error *err)
{
  _cleanup_close_ int oldroot = -1, newroot = -1;

  oldroot = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  newroot = open (c->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (oldroot < 0 || newroot < 0)
    return rt_fail (err, errno, "open %s", oldroot < 0 ? "/" : c->rootfs);
  if (fchdir (newroot) < 0)
    return rt_fail (err, errno, "chdir `%s`", c->rootfs);
  /* pivot_root(".", ".") stacks the old root on top of the new one, so no
     directory has to exist in the image for it.  */
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return rt_fail (err, errno, "pivot_root");
  if (fchdir (oldroot) < 0)
    return rt_fail (err, errno, "chdir to the old root");
  /* rslave, not rprivate: the unmount must not reach the host, but the
     host must still be able to unmount what we hold references to.  */
  if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return rt_fail (err, errno, "make the old root rslave");
  if (umount2 (".", MNT_DETACH) < 0)
    return rt_fail (err, errno, "detach the old root");
  if (chdir ("/") < 0)
    return rt_fail (err, errno, "chdir /");
  return 0;
}

/* stdio left on the host's /dev/null is moved to the container's, so no
 * fd of the init refers to a host mount (runc's reOpenDevNull).  */
static int
reopen_dev_null (rt_error *err)
{
  _cleanup_close_ int null = -1;
  struct stat st;

  for (int fd = 0; fd < 3; fd++)
    {
      if (fstat (fd, &st) < 0 || !S_ISCHR (st.st_mode) || st.st_rdev != makedev (1, 3))
        continue;
      if (null < 0)
        {
          _cleanup_close_ int root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC), path = -1;
          char proc[32];

          if (root < 0)
            return rt_fail (err, errno, "open /");
          path = rootfs_open_dev_null (root, err);
          if (path < 0)
            return rt_error_ret (err);
          null = open (pr_fd_proc_path (path, proc, sizeof proc), O_RDWR | O_CLOEXEC);
          if (null < 0)
            return rt_fail (err, errno, "open /dev/null");
        }
      if (dup3 (null, fd, 0) < 0)
        return rt_fail (err, errno, "dup3 /dev/null onto fd %d", fd);
    }
  return 0;
}

int
rootfs_pivot (const rootfs_config *c, rt_error *err)
{
  const spec *s = c->spec;
  const char *rprop = s->linux_ ? s->linux_->rootfs_propagation : NULL;
  unsigned long prop;

  if (!rootfs_has_mountns (s))
    {
      if (chroot (c->rootfs) < 0 || chdir ("/") < 0)
        return rt_fail (err, errno, "chroot into `%s`", c->rootfs);
      return 0;
    }
  if ((c->no_pivot ? ms_move_root (c, err) : pivot (c, err)) < 0)
    return rt_wrap (err, "jail into rootfs");
  if (rprop && *rprop)
    {
      if (parse_propagation (rprop, &prop, err) < 0)
        return rt_error_ret (err);
      if (mount (NULL, "/", NULL, prop, NULL) < 0)
        return rt_fail (err, errno, "set rootfsPropagation of the new root");
    }
  if (setup_dev_needed (s) && reopen_dev_null (err) < 0)
    return rt_wrap (err, "jail into rootfs");
  return 0;
}

/* ---- finalize ---------------------------------------------------------------------- */

/* readonlyPaths (mask false) and maskedPaths (mask true).  The path is
 * resolved inside the root first, so that a symlink cannot point the mount
 * anywhere else; a path that does not exist is skipped, as runc does.  */
static int
restrict_path (int root_fd, const char *path, bool mask, int *null_fd, rt_error *err)
{
  mnt_target t = { .root_fd = root_fd, .path = path };
  struct stat st;
  int fd;

  t.fd = pr_open_in_root (root_fd, path, O_PATH, 0, err);
  if (t.fd < 0)
    return err->code == ENOENT ? 0 : t.fd;
  if (!mask)
    /* Read-only all the way down where the kernel can do that; otherwise
       the top mount only, as runc does.  */
    fd = mnt_bind (&t, t.fd, "", true, (mnt_attrs){ MOUNT_ATTR_RDONLY, 0 },
                   (mnt_attrs){ mnt_recursive_attrs () ? MOUNT_ATTR_RDONLY : 0, 0 }, err);
  else if (fstat (t.fd, &st) < 0)
    fd = rt_fail (err, errno, "stat");
  else if (S_ISDIR (st.st_mode))
    fd = mnt_fs (&t, "tmpfs", "tmpfs", NULL, MS_RDONLY, err);
  else
    {
      /* The container's /dev/null, checked to be the null device and
         bound by fd: a /dev/null replaced by a symlink or another file
         cannot turn the mask into a window on something else
         (CVE-2025-31133).  */
      if (*null_fd < 0)
        *null_fd = rootfs_open_dev_null (root_fd, err);
      fd = *null_fd < 0 ? *null_fd : mnt_bind (&t, *null_fd, "", false, (mnt_attrs){ 0, 0 }, (mnt_attrs){ 0, 0 }, err);
    }
  close (t.fd);
  if (fd < 0)
    return fd;
  close (fd);
  return 0;
}

static int
finalize_ro_mounts (const spec *s, int root_fd, rt_error *err)
{
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      const spec_mount *m = &s->mounts[i];
      mount_opts o;
      bool deferred, recursive;
      int fd, ret;

      if (mountopt_parse (m->options, m->n_options, "mount", &o, err) < 0)
        return rt_error_ret (err);
      deferred = ro_deferred (m, &o);
      recursive = (o.attr_set & MOUNT_ATTR_RDONLY) != 0;
      mountopt_free (&o);
      if (!deferred)
        continue;
      fd = pr_open_in_root (root_fd, m->destination, O_PATH | O_DIRECTORY, 0, err);
      if (fd < 0)
        return rt_wrap (err, "mounts[%zu] (%s): make read-only", i, m->destination);
      ret = mnt_setattr (fd, "make read-only", recursive, (mnt_attrs){ MOUNT_ATTR_RDONLY, 0 }, err);
      close (fd);
      if (ret < 0)
        return rt_wrap (err, "mounts[%zu] (%s)", i, m->destination);
    }
  return 0;
}

int
rootfs_finalize (const rootfs_config *c, rt_error *err)
{
  const spec *s = c->spec;
  const spec_linux *l = s->linux_;
  _cleanup_close_ int root_fd = -1, null_fd = -1;

  if (!rootfs_has_mountns (s))
    return 0;
  root_fd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return rt_fail (err, errno, "open /");
  if (rootfs_setup_console (c, root_fd, err) < 0)
    return rt_error_ret (err);
  for (size_t i = 0; l && i < l->n_readonly_paths; i++)
    if (restrict_path (root_fd, l->readonly_paths[i], false, &null_fd, err) < 0)
      return rt_wrap (err, "readonlyPaths[%zu] (%s)", i, l->readonly_paths[i]);
  for (size_t i = 0; l && i < l->n_masked_paths; i++)
    if (restrict_path (root_fd, l->masked_paths[i], true, &null_fd, err) < 0)
      return rt_wrap (err, "maskedPaths[%zu] (%s)", i, l->masked_paths[i]);
  if (finalize_ro_mounts (s, root_fd, err) < 0)
    return rt_error_ret (err);
  if (s->root && s->root->readonly
      && mnt_setattr (root_fd, "make / read-only", false, (mnt_attrs){ MOUNT_ATTR_RDONLY, 0 }, err) < 0)
    return rt_wrap (err, "root.readonly");
  return 0;
}
