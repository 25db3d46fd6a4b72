/* /dev: device nodes, the standard symlinks, /dev/ptmx and the console.
 *
 * Nodes are made with mknod where that is allowed (real root, no user
 * namespace); a user namespace may not create devices, so there the
 * host's node is bind-mounted onto an empty file instead, as runc does.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "pathres.h"
#include "rootfs_priv.h"
#include "util.h"

static const struct
{
  const char *path;
  unsigned int major, minor;
} default_devices[] = {
  { "/dev/null", 1, 3 },    { "/dev/zero", 1, 5 },    { "/dev/full", 1, 7 },
  { "/dev/random", 1, 8 },  { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};

const char *const rootfs_default_devices[] = {
  "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", NULL,
};

static const struct
{
  const char *name, *target;
} dev_links[] = {
  { "fd", "/proc/self/fd" },
  { "stdin", "/proc/self/fd/0" },
  { "stdout", "/proc/self/fd/1" },
  { "stderr", "/proc/self/fd/2" },
};

typedef struct dev_node
{
  const char *path;
  mode_t type; /* S_IFCHR, S_IFBLK, S_IFIFO */
  dev_t rdev;
  mode_t mode;
  uid_t uid;
  gid_t gid;
} dev_node;

static int
device_type (const char *t, mode_t *out)
{
  if (t && (strcmp (t, "c") == 0 || strcmp (t, "u") == 0))
    *out = S_IFCHR;
  else if (t && strcmp (t, "b") == 0)
    *out = S_IFBLK;
  else if (t && strcmp (t, "p") == 0)
    *out = S_IFIFO;
  else
    return -EINVAL;
  return 0;
}

/* Bind the host's node at the same path onto an empty file, after checking
 * that it is the device the config asks for.  */
static int
bind_device (int root_fd, const dev_node *d, rt_error *err)
{
  mnt_target t = { .root_fd = root_fd, .path = d->path };
  struct stat st;
  int fd;

  if (stat (d->path, &st) < 0)
    return rt_fail (err, errno, "host device `%s`", d->path);
  if ((st.st_mode & S_IFMT) != d->type || st.st_rdev != d->rdev)
    return rt_failx (err, ENODEV, "host `%s` is not the device %u:%u the config asks for", d->path,
                     major (d->rdev), minor (d->rdev));
  t.fd = pr_mkmount_target (root_fd, d->path, true, err);
  if (t.fd < 0)
    return t.fd;
  fd = mnt_bind (&t, AT_FDCWD, d->path, false, (mnt_attrs){ 0, 0 }, (mnt_attrs){ 0, 0 }, err);
  close (t.fd);
  if (fd < 0)
    return rt_wrap (err, "bind host `%s`", d->path);
  close (fd);
  return 0;
}

/* What the image has where a device goes: 1 if it already is that very
 * device, else 0 once anything that is not a directory (a symlink, a
 * regular file from an export without device nodes) has been removed.
 * Following such an entry would put the device somewhere else, and leave
 * the container a /dev/null that is not the null device.  */
static int
clear_device_path (int pfd, const char *name, const dev_node *d, rt_error *err)
{
  struct stat st;

  if (fstatat (pfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return errno == ENOENT ? 0 : rt_fail (err, errno, "stat `%s`", d->path);
  if ((st.st_mode & S_IFMT) == d->type && (d->type == S_IFIFO || st.st_rdev == d->rdev))
    return 1;
  if (S_ISDIR (st.st_mode))
    return rt_failx (err, EISDIR, "`%s` is a directory in the rootfs, not a device", d->path);
  if (unlinkat (pfd, name, 0) < 0)
    return rt_fail (err, errno, "replace `%s` in the rootfs", d->path);
  return 0;
}

static int
create_device (int root_fd, const dev_node *d, bool bind, rt_error *err)
{
  _cleanup_free_ char *parent = NULL;
  _cleanup_close_ int pfd = -1;
  const char *name = strrchr (d->path, '/');
  int ret;

  if (name == NULL || name[1] == '\0')
    return rt_failx (err, EINVAL, "`%s` is not a device path", d->path);
  parent = xstrndup (d->path, name - d->path);
  name++;
  pfd = pr_mkdir_in_root (root_fd, *parent ? parent : "/", 0755, err);
  if (pfd < 0)
    return pfd;
  ret = clear_device_path (pfd, name, d, err);
  if (ret < 0)
    return ret;
  /* A fifo needs no privilege, so it is made even in a user namespace.  */
  if (bind && d->type != S_IFIFO)
    return bind_device (root_fd, d, err);
  if (ret > 0)
    return 0;
  /* mknodat does not follow a symlink in the last component; the umask
     is 0 while devices are made, so the mode is exact.  */
  if (mknodat (pfd, name, d->type | (d->mode & 07777), d->rdev) < 0)
    {
      if (errno == EPERM && d->type != S_IFIFO)
        return bind_device (root_fd, d, err);
      return rt_fail (err, errno, "mknod `%s`", d->path);
    }
  if ((d->uid || d->gid) && fchownat (pfd, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
    return rt_fail (err, errno, "chown `%s`", d->path);
  return 0;
}

static bool
overridden (const spec_linux *l, const char *path)
{
  for (size_t i = 0; l && i < l->n_devices; i++)
    if (l->devices[i].path && rootfs_dest_is (l->devices[i].path, path))
      return true;
  return false;
}

static int
create_devices (const rootfs_config *c, int root_fd, rt_error *err)
{
  const spec_linux *l = c->spec->linux_;

  for (size_t i = 0; i < ARRAY_SIZE (default_devices); i++)
    {
      dev_node d = { default_devices[i].path, S_IFCHR,
                     makedev (default_devices[i].major, default_devices[i].minor), 0666, 0, 0 };

      if (!overridden (l, d.path) && create_device (root_fd, &d, c->userns, err) < 0)
        return rt_wrap (err, "default device `%s`", d.path);
    }
  for (size_t i = 0; l && i < l->n_devices; i++)
    {
      const spec_device *sd = &l->devices[i];
      dev_node d = {
        .path = sd->path,
        .rdev = makedev ((unsigned int) sd->major, (unsigned int) sd->minor),
        .mode = sd->has_file_mode ? sd->file_mode : 0666,
        .uid = sd->has_uid ? sd->uid : 0,
        .gid = sd->has_gid ? sd->gid : 0,
      };

      if (sd->path == NULL || *sd->path == '\0')
        return rt_failx (err, EINVAL, "linux.devices[%zu]: no path", i);
      if (device_type (sd->type, &d.type) < 0)
        return rt_failx (err, EINVAL, "linux.devices[%zu] (%s): invalid type `%s`", i, sd->path,
                         sd->type ? sd->type : "");
      /* /dev/ptmx is the devpts one, below.  */
      if (rootfs_dest_is (sd->path, "/dev/ptmx"))
        continue;
      if (create_device (root_fd, &d, c->userns, err) < 0)
        return rt_wrap (err, "linux.devices[%zu] (%s)", i, sd->path);
    }
  return 0;
}

int
rootfs_setup_dev (const rootfs_config *c, int root_fd, rt_error *err)
{
  _cleanup_close_ int dev = -1;
  mode_t old = umask (0);
  int ret;

  ret = create_devices (c, root_fd, err);
  umask (old);
  if (ret < 0)
    return ret;
  dev = pr_mkdir_in_root (root_fd, "/dev", 0755, err);
  if (dev < 0)
    return rt_wrap (err, "/dev");
  /* Every devpts instance has its own ptmx: /dev/ptmx must lead to the
     container's.  */
  if (unlinkat (dev, "ptmx", 0) < 0 && errno != ENOENT
      && (errno != EISDIR || unlinkat (dev, "ptmx", AT_REMOVEDIR) < 0))
    return rt_fail (err, errno, "remove /dev/ptmx");
  if (symlinkat ("pts/ptmx", dev, "ptmx") < 0)
    return rt_fail (err, errno, "symlink /dev/ptmx");
  for (size_t i = 0; i < ARRAY_SIZE (dev_links); i++)
    if (symlinkat (dev_links[i].target, dev, dev_links[i].name) < 0 && errno != EEXIST)
      return rt_fail (err, errno, "symlink /dev/%s", dev_links[i].name);
  /* kcore is optional in the kernel; the link is made only if the host
     has it (this is still the host's /proc).  */
  if (access ("/proc/kcore", F_OK) == 0 && symlinkat ("/proc/kcore", dev, "core") < 0 && errno != EEXIST)
    return rt_fail (err, errno, "symlink /dev/core");
  return 0;
}

int
rootfs_open_dev_null (int root_fd, rt_error *err)
{
  struct stat st;
  int fd;

  fd = pr_open_in_root (root_fd, "/dev/null", O_PATH | O_NOFOLLOW, 0, err);
  if (fd < 0)
    return rt_wrap (err, "/dev/null");
  if (fstat (fd, &st) < 0)
    {
      int ret = rt_fail (err, errno, "stat /dev/null");
      close (fd);
      return ret;
    }
  if (!S_ISCHR (st.st_mode) || st.st_rdev != makedev (1, 3))
    {
      close (fd);
      return rt_failx (err, EPERM, "/dev/null in the container is not the null device (c 1:3): refusing to use it");
    }
  return fd;
}

int
rootfs_setup_console (const rootfs_config *c, int root_fd, rt_error *err)
{
  mnt_target t = { .root_fd = root_fd, .path = "/dev/console" };
  struct stat st;
  int fd;

  if (c->console_fd < 0)
    return 0;
  t.fd = pr_mkmount_target (root_fd, "/dev/console", true, err);
  if (t.fd < 0)
    return rt_wrap (err, "console");
  /* Whatever the image left there must be something a pty can cover.  */
  if (fstat (t.fd, &st) < 0)
    fd = rt_fail (err, errno, "console: stat /dev/console");
  else if (!S_ISREG (st.st_mode) && !S_ISCHR (st.st_mode))
    fd = rt_failx (err, EINVAL, "console: /dev/console is not a file or a device");
  else
      {
      fd = mnt_bind (&t, c->console_fd, "", false, (mnt_attrs){ 0, 0 }, (mnt_attrs){ 0, 0 }, err);
      if (fd < 0)
        rt_wrap (err, "console: bind the pty onto /dev/console");
    }
  close (t.fd);
  if (fd < 0)
    return fd;
  close (fd);
  return 0;
}
