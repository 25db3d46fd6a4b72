/* Overlay mounts of the config (see rootfs.h): the kernel's overlayfs
 * where it can be mounted (in a user namespace since Linux 5.11, with
 * user.* xattrs), else fuse-overlayfs, which the runtime starts outside the
 * container and the init only waits for.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "pathres.h"
#include "rootfs.h"
#include "rootfs_priv.h"
#include "util.h"

#ifndef FUSE_SUPER_MAGIC
#define FUSE_SUPER_MAGIC 0x65735546
#endif

int
rootfs_overlay_mode_of (const spec *s, enum rootfs_overlay_mode *out, rt_error *err)
{
  *out = ROOTFS_OVERLAY_AUTO;
  for (size_t i = 0; i < s->n_annotations; i++)
    {
      const char *v = s->annotations[i].value;

      if (strcmp (s->annotations[i].key, ROOTFS_OVERLAY_ANNOTATION) != 0)
        continue;
      if (strcmp (v, "native") == 0)
        *out = ROOTFS_OVERLAY_NATIVE;
      else if (strcmp (v, "fuse") == 0)
        *out = ROOTFS_OVERLAY_FUSE;
      else if (strcmp (v, "auto") == 0 || *v == '\0')
        *out = ROOTFS_OVERLAY_AUTO;
      else
        return rt_failx (err, EINVAL, "annotation %s: `%s` is not one of native, fuse or auto",
                         ROOTFS_OVERLAY_ANNOTATION, v);
    }
  return 0;
}

/* ---- the options ------------------------------------------------------------ */

/* Append `layers` (one path, or several separated by unescaped ':') to
 * `f`, each relative one made absolute under `rootfs`: runc's init mounts
 * with the rootfs as its current directory, so that is what a relative
 * layer means there.  */
static void
put_layers (FILE *f, const char *layers, const char *rootfs)
{
  const char *p = layers;
  bool start = true;

  for (; *p; p++)
    {
      if (start && *p != '/' && *p != ':')
        fprintf (f, "%s/", rootfs);
      start = false;
      if (*p == '\\' && p[1])
        {
          fputc (*p++, f);
          fputc (*p, f);
          continue;
        }
      fputc (*p, f);
      start = *p == ':';
    }
}

/* The option names whose values are layer paths.  */
static const char *
layer_key (const char *opt, size_t *keylen)
{
  static const char *const keys[] = { "lowerdir=", "lowerdir+=", "datadir+=", "upperdir=", "workdir=" };

  for (size_t i = 0; i < ARRAY_SIZE (keys); i++)
    if (str_has_prefix (opt, keys[i]))
      {
        *keylen = strlen (keys[i]);
        return keys[i];
      }
  return NULL;
}

/* `layers` with every relative path made absolute (put_layers).  */
static char *
layers_abs (const char *layers, const char *rootfs)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);

  if (f == NULL)
    abort ();
  put_layers (f, layers, rootfs);
  fclose (f);
  return buf;
}

/* The text of a memstream, or NULL when nothing was written.  */
static char *
memstream_text (FILE *f, char **buf)
{
  /* fclose sets *buf.  */
  fclose (f);
  if (**buf == '\0')
    {
      free (*buf);
      *buf = NULL;
    }
  return *buf;
}

int
rootfs_overlay_options (const char *data, const char *rootfs, bool userxattr, char **kernel, char **fuse,
                        rt_error *err)
{
  _cleanup_free_ char *copy = xstrdup (data ? data : ""), *upper = NULL, *work = NULL, *lower = NULL;
  char *kbuf = NULL, *lbuf = NULL, *rest = copy, *opt;
  size_t klen = 0, llen = 0;
  FILE *k = open_memstream (&kbuf, &klen), *l = open_memstream (&lbuf, &llen);
  bool have_userxattr = false, data_layers = false;

  if (k == NULL || l == NULL)
    abort ();
  while ((opt = strsep (&rest, ",")) != NULL)
    {
      _cleanup_free_ char *abs = NULL;
      size_t keylen;
      const char *key;

      if (*opt == '\0')
        continue;
      if (ftell (k) > 0)
        fputc (',', k);
      key = layer_key (opt, &keylen);
      if (key == NULL)
        {
          have_userxattr |= strcmp (opt, "userxattr") == 0;
          fputs (opt, k);
          continue;
        }
      abs = layers_abs (opt + keylen, rootfs);
      fprintf (k, "%s%s", key, abs);
      switch (key[0])
        {
        case 'l': /* lowerdir=, lowerdir+=: one list for fuse-overlayfs */
          fprintf (l, "%s%s", ftell (l) > 0 ? ":" : "", abs);
          break;
        case 'd':
          data_layers = true;
          break;
        case 'u':
          free (upper);
          upper = TAKE_PTR (abs);
          break;
        default:
          free (work);
          work = TAKE_PTR (abs);
          break;
        }
    }
  if (userxattr && !have_userxattr)
    fputs (ftell (k) > 0 ? ",userxattr" : "userxattr", k);
  *kernel = memstream_text (k, &kbuf);
  lower = memstream_text (l, &lbuf);
  *fuse = NULL;
  if (lower == NULL || data_layers)
    return 0;
  /* fuse-overlayfs takes options separated by commas, with no way to
     escape one inside a path.  */
  if (strchr (lower, ',') || (upper && strchr (upper, ',')) || (work && strchr (work, ',')))
    {
      free (*kernel);
      *kernel = NULL;
      return rt_failx (err, EINVAL, "overlay: a layer path contains a comma");
    }
  xasprintf (fuse, "lowerdir=%s%s%s%s%s", lower, upper ? ",upperdir=" : "", upper ? upper : "",
             work ? ",workdir=" : "", work ? work : "");
  return 0;
}

void
rootfs_overlay_free (rootfs_overlay *o)
{
  free (o->data);
  free (o->fuse_opts);
  memset (o, 0, sizeof *o);
}

int
rootfs_overlay_plan (const spec *s, size_t index, const char *rootfs, bool userns, rootfs_overlay *out,
                     rt_error *err)
{
  const spec_mount *m = &s->mounts[index];
  mount_opts o;
  int ret;

  memset (out, 0, sizeof *out);
  if (rootfs_overlay_mode_of (s, &out->mode, err) < 0)
    return rt_error_ret (err);
  if (mountopt_parse (m->options, m->n_options, "overlay", &o, err) < 0)
    return rt_error_ret (err);
  out->flags = o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  /* In a user namespace the trusted.* xattrs overlayfs keeps its
     whiteouts and opaque directories in cannot be written: use user.*.  */
  ret = rootfs_overlay_options (o.data, rootfs, userns, &out->data, &out->fuse_opts, err);
  mountopt_free (&o);
  return ret;
}

/* ---- mounting ---------------------------------------------------------------- */

int
rootfs_overlay_fuse_mount (const rootfs_overlay *o, int fuse_fd, int target, rt_error *err)
{
  _cleanup_free_ char *data = NULL;
  char proc[32];
  mnt_target t = { .root_fd = AT_FDCWD, .fd = target };
  int fd;

  /* allow_other: the mount serves every user of the container, not only
     its root.  IDs are those of the user namespace we are in.  */
  xasprintf (&data, "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other,default_permissions,"
                    "subtype=fuse-overlayfs",
             fuse_fd);
  t.path = pr_fd_proc_path (target, proc, sizeof proc);
  fd = mnt_fs (&t, "fuse", "fuse-overlayfs", data, o->flags, err);
  if (fd < 0)
    return fd;
  close (fd);
  return 0;
}

/* After the runtime reports fuse-overlayfs started: the new mount, and
 * proof that the daemon answers (a stat goes to it; a daemon that died
 * aborted the connection and gives ENOTCONN).  This also orders the
 * daemon's start before pivot_root, which would otherwise move its root.  */
static int
fuse_attached (const mnt_target *t, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  struct statfs sfs;
  struct stat st;

  fd = pr_open_in_root (t->root_fd, t->path, O_PATH, 0, err);
  if (fd < 0)
    return rt_wrap (err, "fuse-overlayfs: reopen the mount point");
  if (fstat (fd, &st) < 0)
    return rt_fail (err, errno, "fuse-overlayfs does not answer on the mount");
  if (fstatfs (fd, &sfs) < 0)
    return rt_fail (err, errno, "fuse-overlayfs: statfs the mount");
  if (sfs.f_type != FUSE_SUPER_MAGIC)
    return rt_failx (err, EIO, "fuse-overlayfs: the mount point holds no FUSE mount");
  return TAKE_FD (fd);
}

/* Errors the fallback would meet again: the native one says it best.  */
static bool
fallback_may_help (int code)
{
  return code != ENOENT && code != ENOTDIR && code != ELOOP && code != ENAMETOOLONG;
}

int
rootfs_mount_overlay (const rootfs_config *c, size_t index, const mnt_target *t, rt_error *err)
{
  const spec_mount *m = &c->spec->mounts[index];
  rootfs_overlay o;
  rt_error native = { 0 };
  int fd = -1;

  if (rootfs_overlay_plan (c->spec, index, c->rootfs, c->userns, &o, err) < 0)
    return rt_error_ret (err);
  if (o.mode != ROOTFS_OVERLAY_FUSE)
    {
      fd = mnt_fs (t, "overlay", m->source && *m->source ? m->source : "overlay", o.data, o.flags, err);
      if (fd >= 0 || o.mode == ROOTFS_OVERLAY_NATIVE || !fallback_may_help (err->code))
        goto out;
      if (c->fuse_overlay == NULL)
        goto out;
      native = *err;
      rt_debug ("native overlay failed (%s): falling back to fuse-overlayfs", native.msg);
    }
  if (c->fuse_overlay == NULL)
    {
      fd = rt_failx (err, ENOTSUP, "fuse-overlayfs was asked for (annotation %s) but cannot be started here",
                     ROOTFS_OVERLAY_ANNOTATION);
      goto out;
    }
  if (o.fuse_opts == NULL)
    {
      fd = rt_failx (err, EINVAL, "fuse-overlayfs needs lowerdir and cannot serve data-only layers (datadir+)");
      goto out;
    }
  fd = c->fuse_overlay (c->fuse_overlay_data, index, t->fd, err);
  if (fd >= 0)
    fd = fuse_attached (t, err);
out:
  if (fd < 0 && native.code)
    {
      rt_error fuse = *err;
      rt_failx (err, fuse.code, "native overlay: %s; fuse-overlayfs fallback: %s", native.msg, fuse.msg);
    }
  rootfs_overlay_free (&o);
  return fd;
}
