/* Overlay mounts: the options for the kernel and for fuse-overlayfs, and
 * the runc.overlay annotation (the pure parts of rootfs_overlay.c).  */
#include "config.h"

#include <string.h>
#include <sys/mount.h>

#include "rootfs.h"
#include "tap.h"
#include "util.h"

struct opt_case
{
  const char *data;
  bool userxattr;
  const char *kernel;
  const char *fuse;
};

static const struct opt_case cases[] = {
  /* Absolute layers are kept as they are.  */
  { "lowerdir=/l,upperdir=/u,workdir=/w", false, "lowerdir=/l,upperdir=/u,workdir=/w",
    "lowerdir=/l,upperdir=/u,workdir=/w" },
  /* In a user namespace: user.* xattrs.  */
  { "lowerdir=/l,upperdir=/u,workdir=/w", true, "lowerdir=/l,upperdir=/u,workdir=/w,userxattr",
    "lowerdir=/l,upperdir=/u,workdir=/w" },
  /* ... but not twice.  */
  { "userxattr,lowerdir=/l", true, "userxattr,lowerdir=/l", "lowerdir=/l" },
  /* Relative layers are relative to the rootfs, each one of a list.  */
  { "lowerdir=a:/b:c/d,upperdir=u,workdir=../w", false, "lowerdir=/R/a:/b:/R/c/d,upperdir=/R/u,workdir=/R/../w",
    "lowerdir=/R/a:/b:/R/c/d,upperdir=/R/u,workdir=/R/../w" },
  /* An escaped colon is part of a name, not a separator.  */
  { "lowerdir=/a\\:b:c", false, "lowerdir=/a\\:b:/R/c", "lowerdir=/a\\:b:/R/c" },
  /* Other options reach the kernel only.  */
  { "index=off,lowerdir=/l,volatile", false, "index=off,lowerdir=/l,volatile", "lowerdir=/l" },
  /* Layers added one at a time (Linux 6.8) are one list for the daemon.  */
  { "lowerdir+=/a,lowerdir+=b", false, "lowerdir+=/a,lowerdir+=/R/b", "lowerdir=/a:/R/b" },
  /* Data-only layers: the kernel only.  */
  { "lowerdir+=/a,datadir+=d", false, "lowerdir+=/a,datadir+=/R/d", NULL },
  /* Without layers there is nothing the daemon could serve.  */
  { "upperdir=/u", false, "upperdir=/u", NULL },
  { NULL, true, "userxattr", NULL },
  { "", false, NULL, NULL },
  /* A comma ends a layer list: `b` is an option of its own.  */
  { "lowerdir=/a,b", false, "lowerdir=/a,b", "lowerdir=/a" },
};

static spec_kv ann;

static int
mode_of (const char *value, enum rootfs_overlay_mode *m, rt_error *err)
{
  spec s;

  memset (&s, 0, sizeof s);
  if (value)
    {
      ann.key = (char *) ROOTFS_OVERLAY_ANNOTATION;
      ann.value = (char *) value;
      s.annotations = &ann;
      s.n_annotations = 1;
    }
  return rootfs_overlay_mode_of (&s, m, err);
}

int
main (void)
{
  enum rootfs_overlay_mode m;
  rt_error err = { 0 };
  char *k = NULL, *f = NULL;

  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      const struct opt_case *c = &cases[i];
      int ret = rootfs_overlay_options (c->data, "/R", c->userxattr, &k, &f, &err);

      is_int (ret, 0, "options `%s`%s: accepted", c->data ? c->data : "(none)", c->userxattr ? " (userns)" : "");
      is_str (k, c->kernel, "options `%s`: kernel data", c->data ? c->data : "(none)");
      is_str (f, c->fuse, "options `%s`: fuse-overlayfs options", c->data ? c->data : "(none)");
      free (k);
      free (f);
      k = f = NULL;
    }

  is_int (rootfs_overlay_options ("lowerdir=x", "/with,comma", false, &k, &f, &err), -EINVAL,
          "a layer path with a comma cannot be given to fuse-overlayfs");
  like (err.msg, "comma", "... and the error says why");
  ok (k == NULL && f == NULL, "... and nothing is returned");

  is_int (mode_of (NULL, &m, &err), 0, "no annotation");
  is_int (m, ROOTFS_OVERLAY_AUTO, "... means auto");
  is_int (mode_of ("native", &m, &err), 0, "runc.overlay=native");
  is_int (m, ROOTFS_OVERLAY_NATIVE, "... forbids the fallback");
  is_int (mode_of ("fuse", &m, &err), 0, "runc.overlay=fuse");
  is_int (m, ROOTFS_OVERLAY_FUSE, "... forces fuse-overlayfs");
  is_int (mode_of ("auto", &m, &err), 0, "runc.overlay=auto");
  is_int (m, ROOTFS_OVERLAY_AUTO, "... is the default");
  is_int (mode_of ("fuse-overlayfs", &m, &err), -EINVAL, "another value is refused");
  like (err.msg, "runc.overlay: `fuse-overlayfs` is not one of native, fuse or auto", "... naming the annotation");
  return tap_done ();
}
