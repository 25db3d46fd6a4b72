/* The "cgroup" mount type.
 *
 * With a cgroup namespace of its own the container gets fresh cgroup
 * filesystems (rooted at its cgroup by the kernel).  Without one it gets
 * bind mounts of its own cgroup directories, or of the whole host tree
 * read-only when it has no cgroup of its own.  On cgroup v1 and hybrid
 * hosts /sys/fs/cgroup is a tmpfs with one mount per hierarchy, and the
 * container gets the same shape.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "pathres.h"
#include "rootfs_priv.h"
#include "util.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

enum cg_layout
{
  CG_V2,     /* cgroup2 at /sys/fs/cgroup */
  CG_V1,     /* tmpfs with v1 hierarchies */
  CG_HYBRID, /* v1 plus cgroup2 at /sys/fs/cgroup/unified */
};

typedef struct cg_hier
{
  char *mountpoint;
  char *name; /* the directory name under /sys/fs/cgroup */
  char *root; /* the hierarchy's root in the host mount, usually "/" */
  char *opts; /* superblock options without rw/ro and release_agent */
  bool v2;
} cg_hier;

typedef struct cg_list
{
  cg_hier *h;
  size_t n;
} cg_list;

static int
detect_layout (enum cg_layout *out, rt_error *err)
{
  struct statfs sfs;

  if (statfs (CGROUP_ROOT, &sfs) < 0)
    return rt_fail (err, errno, "statfs `%s`", CGROUP_ROOT);
  if (sfs.f_type == CGROUP2_SUPER_MAGIC)
    *out = CG_V2;
  else if (sfs.f_type == TMPFS_MAGIC)
    *out = statfs (CGROUP_ROOT "/unified", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC ? CG_HYBRID : CG_V1;
  else
    return rt_failx (err, ENOTSUP, "`%s` is neither cgroup2 nor a tmpfs of v1 hierarchies (filesystem magic 0x%lx)",
                     CGROUP_ROOT, (unsigned long) sfs.f_type);
  return 0;
}

static char *
filter_opts (const char *opts)
{
  _cleanup_free_ char *copy = xstrdup (opts);
  char *out = xzalloc (strlen (opts) + 1), *save = NULL;

  /* rw/ro are per mount; a release agent may only be set from the
     initial namespaces and never by a container.  */
  for (char *o = strtok_r (copy, ",", &save); o; o = strtok_r (NULL, ",", &save))
    {
      if (strcmp (o, "rw") == 0 || strcmp (o, "ro") == 0 || str_has_prefix (o, "release_agent="))
        continue;
      if (*out)
        strcat (out, ",");
      strcat (out, o);
    }
  return out;
}

static int
hier_cb (const mountinfo_entry *e, void *data)
{
  cg_list *l = data;
  const char *name;
  cg_hier *h;

  if (strcmp (e->fstype, "cgroup") != 0 && strcmp (e->fstype, "cgroup2") != 0)
    return 0;
  if (!str_has_prefix (e->mountpoint, CGROUP_ROOT "/"))
    return 0;
  name = e->mountpoint + strlen (CGROUP_ROOT "/");
  if (*name == '\0' || strchr (name, '/'))
    return 0;
  l->h = xrealloc (l->h, (l->n + 1) * sizeof *l->h);
  h = &l->h[l->n++];
  h->mountpoint = xstrdup (e->mountpoint);
  h->name = xstrdup (name);
  h->root = xstrdup (e->root);
  h->opts = filter_opts (e->super_opts);
  h->v2 = strcmp (e->fstype, "cgroup2") == 0;
  return 0;
}

static void
cg_list_free (cg_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    {
      free (l->h[i].mountpoint);
      free (l->h[i].name);
      free (l->h[i].root);
      free (l->h[i].opts);
    }
  free (l->h);
}

static bool
opts_contain (const char *opts, const char *item, size_t len)
{
  for (const char *p = opts; *p;)
    {
      size_t n = strcspn (p, ",");
      if (n == len && strncmp (p, item, len) == 0)
        return true;
      p += n + (p[n] == ',');
    }
  return false;
}

/* This process's cgroup in hierarchy h, from /proc/self/cgroup ("0::/x"
 * for cgroup2, "4:cpu,cpuacct:/x" for v1).  NULL when not found.  */
static char *
own_cgroup (const cg_hier *h)
{
  _cleanup_free_ char *text = NULL;
  char *line, *save = NULL;
  rt_error ignored = { 0 };

  if (read_file_at (AT_FDCWD, "/proc/self/cgroup", &text, &ignored) < 0)
    return NULL;
  for (line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *ctrl = strchr (line, ':'), *path;
      size_t first;

      if (ctrl == NULL || (path = strchr (++ctrl, ':')) == NULL)
        continue;
      *path++ = '\0';
      if (h->v2 ? *ctrl == '\0' : (first = strcspn (ctrl, ",")) > 0 && opts_contain (h->opts, ctrl, first))
        return xstrdup (path);
    }
  return NULL;
}

/* The host directory to bind for hierarchy `mountpoint` (rooted at `root`)
 * and the cgroup `rel`.  */
static char *
cgroup_dir (const char *mountpoint, const char *root, const char *rel)
{
  size_t rl = strlen (root);
  char *out;

  if (strcmp (root, "/") != 0 && strncmp (rel, root, rl) == 0 && (rel[rl] == '/' || rel[rl] == '\0'))
    rel += rl;
  xasprintf (&out, "%s%s%s", mountpoint, *rel == '/' ? "" : "/", rel);
  return out;
}

/* Bind the container's cgroup of hierarchy h (rel below its root), or
 * this process's own cgroup when the container has no directory there
 * (a hierarchy the cgroup manager does not use, such as name=systemd).  */
static int
bind_own (const mnt_target *t, const cg_hier *h, const char *rel, mnt_attrs top, rt_error *err)
{
  _cleanup_free_ char *src = cgroup_dir (h->mountpoint, h->root, rel);
  _cleanup_free_ char *own = NULL;
  int fd;

  fd = mnt_bind (t, AT_FDCWD, src, true, top, (mnt_attrs){ 0, 0 }, err);
  if (fd >= 0 || err->code != ENOENT || (own = own_cgroup (h)) == NULL)
    return fd < 0 ? rt_wrap (err, "`%s`", src) : fd;
  free (src);
  src = cgroup_dir (h->mountpoint, h->root, own);
  fd = mnt_bind (t, AT_FDCWD, src, true, top, (mnt_attrs){ 0, 0 }, err);
  return fd < 0 ? rt_wrap (err, "`%s`", src) : fd;
}

/* v1 and hybrid: a tmpfs with one mount per host hierarchy.  */
static int
mount_hierarchies (const rootfs_config *c, const mnt_target *t, const mount_opts *o, unsigned long flags,
                   rt_error *err)
{
  mnt_attrs top = mnt_attrs_from_ms (flags, o->clear);
  _cleanup_close_ int tfd = -1;
  cg_list l = { NULL, 0 };
  int ret = 0;

  tfd = mnt_fs (t, "tmpfs", "tmpfs", "mode=755", MS_NOSUID | MS_NODEV | MS_NOEXEC, err);
  if (tfd < 0)
    return rt_wrap (err, "tmpfs");
  if (rootfs_mountinfo_foreach (hier_cb, &l, err) < 0)
    return rt_error_ret (err);
  for (size_t i = 0; i < l.n && ret == 0; i++)
    {
      const cg_hier *h = &l.h[i];
      _cleanup_free_ char *path = NULL;
      mnt_target sub = { .root_fd = t->root_fd };
      int fd;

      xasprintf (&path, "%s/%s", t->path, h->name);
      sub.path = path;
      /* The tmpfs was made just now: names in it need no resolution.  */
      if (mkdirat (tfd, h->name, 0755) < 0 && errno != EEXIST)
        {
          ret = rt_fail (err, errno, "mkdir `%s`", h->name);
          break;
        }
      sub.fd = openat (tfd, h->name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub.fd < 0)
        {
          ret = rt_fail (err, errno, "open `%s`", h->name);
          break;
        }
      if (c->new_cgroupns)
        fd = mnt_fs (&sub, h->v2 ? "cgroup2" : "cgroup", h->v2 ? "cgroup2" : "cgroup", h->v2 ? NULL : h->opts,
                     flags, err);
      else
        fd = bind_own (&sub, h, c->cgroup_rel_path, top, err);
      close (sub.fd);
      if (fd < 0)
        {
          ret = rt_wrap (err, "%s", h->name);
          break;
        }
      close (fd);
      /* Co-mounted controllers ("cpu,cpuacct") are reachable under each
         name, as on the host.  */
      if (strchr (h->name, ','))
        {
          _cleanup_free_ char *names = xstrdup (h->name);
          char *save = NULL;

          for (char *n = strtok_r (names, ",", &save); n; n = strtok_r (NULL, ",", &save))
            if (symlinkat (h->name, tfd, n) < 0 && errno != EEXIST)
              {
                ret = rt_fail (err, errno, "symlink `%s` -> `%s`", n, h->name);
                break;
              }
        }
    }
  cg_list_free (&l);
  if (ret < 0)
    return ret;
  if ((flags & MS_RDONLY) && mnt_setattr (tfd, "make the cgroup tmpfs read-only", false,
                                          (mnt_attrs){ MOUNT_ATTR_RDONLY, 0 }, err)
                                 < 0)
    return rt_error_ret (err);
  return TAKE_FD (tfd);
}

int
rootfs_mount_cgroup (const rootfs_config *c, int root_fd, const spec_mount *m, const mount_opts *o, rt_error *err)
{
  unsigned long flags = o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
  mnt_target t = { .root_fd = root_fd, .path = m->destination };
  enum cg_layout layout = CG_V2;
  int fd;

  if (detect_layout (&layout, err) < 0)
    return rt_error_ret (err);
  t.fd = pr_mkdir_in_root (root_fd, m->destination, 0755, err);
  if (t.fd < 0)
    return t.fd;
  if (layout != CG_V2)
    {
      /* Without a cgroup of its own the container sees each host
         hierarchy from its root, read-only.  */
      rootfs_config copy = *c;
      if (!c->new_cgroupns && !c->cgroup_rel_path)
        {
          copy.cgroup_rel_path = "/";
          flags |= MS_RDONLY;
        }
      fd = mount_hierarchies (&copy, &t, o, flags, err);
    }
  else if (c->new_cgroupns)
    {
      fd = mnt_fs (&t, "cgroup2", m->source ? m->source : "cgroup2", o->data, flags, err);
      if (fd < 0)
        rt_wrap (err, "mount cgroup2");
    }
  else if (c->cgroup_rel_path)
    {
      cg_hier h = { .mountpoint = (char *) CGROUP_ROOT, .root = (char *) "/", .opts = (char *) "", .v2 = true };
      fd = bind_own (&t, &h, c->cgroup_rel_path, mnt_attrs_from_ms (flags, o->clear), err);
    }
  else
    fd = mnt_bind (&t, AT_FDCWD, CGROUP_ROOT, true,
                   mnt_attrs_from_ms (flags | MS_RDONLY, o->clear & ~(unsigned long) MS_RDONLY), (mnt_attrs){ 0, 0 },
                   err);
  close (t.fd);
  return fd;
}
