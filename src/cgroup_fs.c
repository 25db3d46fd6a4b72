/* The cgroupfs driver: the container's cgroup is a directory in every
 * hierarchy the host mounts (one per v1 controller, plus the unified one on
 * v2 and hybrid hosts).  Placement follows runc: an absolute cgroupsPath is
 * taken below each hierarchy's root; a relative one (or the container ID
 * when there is none) goes below the runtime's own cgroup on v1, and below
 * its parent on v2, whose own cgroup usually has processes in it and so
 * cannot enable controllers for children.  */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cgroup_priv.h"
#include "json.h"
#include "util.h"

typedef struct cg_dir
{
  char *name; /* "memory", "cpu,cpuacct", "systemd", "unified" */
  char *path; /* absolute directory of the container's cgroup */
  bool created;
} cg_dir;

typedef struct fs_priv
{
  cg_dir *dirs;
  size_t n;
  int unified; /* index in dirs of the unified hierarchy, -1 if none */
} fs_priv;

static const cg_driver fs_driver;

static fs_priv *
priv (const cg_manager *m)
{
  return m->priv;
}

static void
fs_free_priv (cg_manager *m)
{
  fs_priv *p = priv (m);
  if (p == NULL)
    return;
  for (size_t i = 0; i < p->n; i++)
    {
      free (p->dirs[i].name);
      free (p->dirs[i].path);
    }
  free (p->dirs);
  free (p);
  m->priv = NULL;
}

static void
add_dir (fs_priv *p, const char *name, char *path)
{
  p->dirs = xrealloc (p->dirs, (p->n + 1) * sizeof *p->dirs);
  p->dirs[p->n].name = xstrdup (name);
  p->dirs[p->n].path = path;
  p->dirs[p->n].created = false;
  if (strcmp (name, "unified") == 0)
    p->unified = (int) p->n;
  p->n++;
}

/* One cgroup mount from /proc/self/mountinfo.  */
typedef struct cg_mount
{
  char *point;   /* /sys/fs/cgroup/memory */
  char *root;    /* root of the mount inside the hierarchy, usually "/" */
  char *opts;    /* super options: "rw,memory" or "rw,name=systemd"; "" for cgroup2 */
  bool v2;
} cg_mount;

static void
mounts_free (cg_mount *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (v[i].point);
      free (v[i].root);
      free (v[i].opts);
    }
  free (v);
}

/* Undo the octal escapes mountinfo uses for spaces and the like.  */
static char *
unescape (const char *s)
{
  char *out = xmalloc (strlen (s) + 1), *o = out;
  while (*s)
    {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] && s[3])
        {
          *o++ = (char) (((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
          s += 4;
        }
      else
        *o++ = *s++;
    }
  *o = '\0';
  return out;
}

static int
read_cgroup_mounts (cg_mount **out, size_t *n_out, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  cg_mount *v = NULL;
  size_t n = 0;
  char *save = NULL, *line;

  if (read_file_at (AT_FDCWD, "/proc/self/mountinfo", &text, err) < 0)
    return rt_error_ret (err);
  for (line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *f[6] = { 0 }, *sep, *fstype, *src, *super, *p = line;
      int i;

      for (i = 0; i < 6 && p; i++)
        {
          f[i] = p;
          p = strchr (p, ' ');
          if (p)
            *p++ = '\0';
        }
      if (i < 6 || p == NULL)
        continue;
      sep = strstr (p, "- ");
      if (sep == NULL)
        continue;
      fstype = sep + 2;
      src = strchr (fstype, ' ');
      if (src == NULL)
        continue;
      *src++ = '\0';
      super = strchr (src, ' ');
      if (super == NULL)
        continue;
      *super++ = '\0';
      if (strcmp (fstype, "cgroup") != 0 && strcmp (fstype, "cgroup2") != 0)
        continue;
      v = xrealloc (v, (n + 1) * sizeof *v);
      v[n].root = unescape (f[3]);
      v[n].point = unescape (f[4]);
      v[n].v2 = strcmp (fstype, "cgroup2") == 0;
      v[n].opts = xstrdup (v[n].v2 ? "" : super);
      n++;
    }
  *out = v;
  *n_out = n;
  return 0;
}

/* Does a v1 mount's super options carry the controller list `ctrls`
 * ("cpu,cpuacct" or "name=systemd")?  */
static bool
mount_has_controllers (const cg_mount *mnt, const char *ctrls)
{
  _cleanup_free_ char *want = xstrdup (ctrls);
  char *save = NULL;

  for (char *c = strtok_r (want, ",", &save); c; c = strtok_r (NULL, ",", &save))
    {
      size_t l = strlen (c);
      const char *o = mnt->opts;
      bool found = false;
      while ((o = strstr (o, c)) != NULL)
        {
          if ((o == mnt->opts || o[-1] == ',') && (o[l] == ',' || o[l] == '\0'))
            {
              found = true;
              break;
            }
          o += l;
        }
      if (!found)
        return false;
    }
  return true;
}

/* "../x" must not climb out of the hierarchy: clean it as if rooted, then
 * drop the leading slash again (runc's CleanPath does the same).  */
static char *
clean_relative (const char *p)
{
  _cleanup_free_ char *rooted = NULL;
  char *clean;

  xasprintf (&rooted, "/%s", p);
  clean = path_clean (rooted);
  memmove (clean, clean + 1, strlen (clean));
  return clean;
}

static char *
join3 (const char *a, const char *b, const char *c)
{
  _cleanup_free_ char *s = NULL;
  xasprintf (&s, "%s/%s/%s", a, b ? b : "", c ? c : "");
  return path_clean (s);
}

int
cg_fs_plan (cg_manager *m, const cg_config *cfg, rt_error *err)
{
  _cleanup_free_ char *self = NULL;
  cg_mount *mounts = NULL;
  size_t n_mounts = 0;
  fs_priv *p;
  char *save = NULL, *line;
  bool absolute = cfg->cgroups_path && cfg->cgroups_path[0] == '/';
  _cleanup_free_ char *rel = NULL;

  m->drv = &fs_driver;
  p = xzalloc (sizeof *p);
  p->unified = -1;
  m->priv = p;

  if (cfg->cgroups_path && cfg->cgroups_path[0])
    rel = absolute ? path_clean (cfg->cgroups_path) : clean_relative (cfg->cgroups_path);
  else
    rel = clean_relative (cfg->id);
  m->rel_path = xstrdup (rel);

  if (read_file_at (AT_FDCWD, "/proc/self/cgroup", &self, err) < 0)
    return rt_error_ret (err);
  if (read_cgroup_mounts (&mounts, &n_mounts, err) < 0)
    return rt_error_ret (err);

  for (line = strtok_r (self, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *c1 = strchr (line, ':'), *c2, *ctrls, *own;
      const cg_mount *mnt = NULL;
      const char *name;
      _cleanup_free_ char *base = NULL;

      if (c1 == NULL || (c2 = strchr (c1 + 1, ':')) == NULL)
        continue;
      *c2 = '\0';
      ctrls = c1 + 1;
      own = c2 + 1;

      for (size_t i = 0; i < n_mounts && mnt == NULL; i++)
        if (ctrls[0] == '\0' ? mounts[i].v2 : (!mounts[i].v2 && mount_has_controllers (&mounts[i], ctrls)))
          mnt = &mounts[i];
      if (mnt == NULL)
        continue; /* a hierarchy not mounted here: nothing to place */

      name = ctrls[0] == '\0' ? "unified" : (str_has_prefix (ctrls, "name=") ? ctrls + 5 : ctrls);
      if (absolute)
        base = xstrdup ("");
      else
        {
          /* Our own cgroup, seen from this mount's root.  */
          const char *inner = own;
          if (strcmp (mnt->root, "/") != 0 && str_has_prefix (own, mnt->root))
            inner = own + strlen (mnt->root);
          base = xstrdup (inner);
          if (ctrls[0] == '\0' && m->layout == CG_LAYOUT_V2)
            {
              char *slash = strrchr (base, '/');
              if (slash)
                *slash = '\0';
            }
        }
      add_dir (p, name, join3 (mnt->point, base, rel));
    }
  mounts_free (mounts, n_mounts);
  if (p->n == 0)
    return rt_failx (err, ENOENT, "no cgroup hierarchy is mounted");
  return 0;
}

static int
write_at (const char *dir, const char *file, const char *value, rt_error *err)
{
  _cleanup_free_ char *path = NULL;
  _cleanup_close_ int fd = -1;
  ssize_t n;

  xasprintf (&path, "%s/%s", dir, file);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "open `%s`", path);
  n = write (fd, value, strlen (value));
  if (n < 0)
    return rt_fail (err, errno, "write `%s` to `%s`", value, path);
  return 0;
}

static int
read_at (const char *dir, const char *file, char **out, rt_error *err)
{
  _cleanup_free_ char *path = NULL;
  xasprintf (&path, "%s/%s", dir, file);
  if (read_file_at (AT_FDCWD, path, out, err) < 0)
    return rt_error_ret (err);
  return 0;
}

/* A new v1 cpuset cgroup starts with empty cpus and mems, and no task can
 * join it until they are filled: inherit them from the parent, top-down.  */
static int
cpuset_fill (const char *dir, rt_error *err)
{
  static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
  _cleanup_free_ char *parent = xstrdup (dir);
  char *slash = strrchr (parent, '/');

  if (slash == NULL || slash == parent)
    return 0;
  *slash = '\0';
  for (size_t i = 0; i < ARRAY_SIZE (files); i++)
    {
      _cleanup_free_ char *mine = NULL, *theirs = NULL;
      if (read_at (dir, files[i], &mine, err) < 0)
        return rt_error_ret (err);
      if (mine[0] != '\0' && mine[0] != '\n')
        continue;
      if (read_at (parent, files[i], &theirs, err) < 0)
        return rt_error_ret (err);
      if (theirs[0] == '\0' || theirs[0] == '\n')
        {
          if (cpuset_fill (parent, err) < 0)
            return rt_error_ret (err);
          free (theirs);
          theirs = NULL;
          if (read_at (parent, files[i], &theirs, err) < 0)
            return rt_error_ret (err);
        }
      if (write_at (dir, files[i], theirs, err) < 0)
        return rt_error_ret (err);
    }
  return 0;
}

static int
mkdir_p (const char *path, bool *created, rt_error *err)
{
  _cleanup_free_ char *tmp = xstrdup (path);

  *created = false;
  for (char *s = tmp + 1;; s++)
    {
      if (*s == '/' || *s == '\0')
        {
          char saved = *s;
          *s = '\0';
          if (mkdir (tmp, 0755) == 0)
            *created = saved == '\0';
          else if (errno != EEXIST)
            return rt_fail (err, errno, "create cgroup `%s`", tmp);
          *s = saved;
          if (saved == '\0')
            break;
        }
    }
  return 0;
}

static bool
is_permission_error (int e)
{
  return e == EACCES || e == EPERM || e == EROFS;
}

static int
fs_destroy (cg_manager *m, rt_error *err);

static int
fs_create (cg_manager *m, rt_error *err)
{
  fs_priv *p = priv (m);

  for (size_t i = 0; i < p->n; i++)
    {
      int ret = mkdir_p (p->dirs[i].path, &p->dirs[i].created, err);
      if (ret < 0)
        {
          if (m->rootless && is_permission_error (-ret))
            {
              /* runc's rootless rule: without cgroup access a container
                 may still run, but only when it asked for nothing that
                 needs a cgroup.  The caller decides with cg_fs_can_skip.  */
              fs_destroy (m, err);
              m->disabled = true;
              return ret;
            }
          fs_destroy (m, err);
          return ret;
        }
      if (strcmp (p->dirs[i].name, "cpuset") == 0 && cpuset_fill (p->dirs[i].path, err) < 0)
        {
          fs_destroy (m, err);
          return rt_error_ret (err);
        }
    }
  if (p->unified >= 0)
    {
      m->v2_fd = open (p->dirs[p->unified].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (m->v2_fd < 0)
        {
          int e = errno;
          fs_destroy (m, err);
          return rt_fail (err, e, "open cgroup `%s`", p->dirs[p->unified].path);
        }
    }
  return 0;
}

static int
fs_enter (cg_manager *m, pid_t pid, rt_error *err)
{
  fs_priv *p = priv (m);
  char buf[32];

  snprintf (buf, sizeof buf, "%d", (int) pid);
  for (size_t i = 0; i < p->n; i++)
    {
      if ((int) i == p->unified && m->placed_v2)
        continue;
      if (write_at (p->dirs[i].path, "cgroup.procs", buf, err) < 0)
        return rt_wrap (err, "join cgroup %s", p->dirs[i].name);
    }
  return 0;
}

static const char *const default_allowed_devices[] = {
  /* What every runc container may use whatever its config says: the
     standard nodes, the pty multiplexer and slaves.  */
  "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
  "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm",
};

static int
device_rule (const spec_device_cgroup *d, char *buf, size_t len)
{
  char maj[24], min[24];
  const char *type = d->type && d->type[0] ? d->type : "a";

  if (d->has_major && d->major >= 0)
    snprintf (maj, sizeof maj, "%lld", (long long) d->major);
  else
    strcpy (maj, "*");
  if (d->has_minor && d->minor >= 0)
    snprintf (min, sizeof min, "%lld", (long long) d->minor);
  else
    strcpy (min, "*");
  if (strcmp (type, "a") == 0)
    return snprintf (buf, len, "a");
  return snprintf (buf, len, "%s %s:%s %s", type, maj, min, d->access && d->access[0] ? d->access : "rwm");
}

/* runc's order: the config's rules first, then the devices every
 * container may use appended after them, so a config's blanket deny (the
 * default spec has one) cannot take /dev/null away.  */
static int
apply_devices_v1 (const cg_dir *dir, const spec_resources *r, rt_error *err)
{
  char rule[96];

  if (write_at (dir->path, "devices.deny", "a", err) < 0)
    return rt_error_ret (err);
  for (size_t i = 0; r && i < r->n_devices; i++)
    {
      device_rule (&r->devices[i], rule, sizeof rule);
      if (write_at (dir->path, r->devices[i].allow ? "devices.allow" : "devices.deny", rule, err) < 0)
        return rt_wrap (err, "linux.resources.devices[%zu]", i);
    }
  for (size_t i = 0; i < ARRAY_SIZE (default_allowed_devices); i++)
    if (write_at (dir->path, "devices.allow", default_allowed_devices[i], err) < 0)
      return rt_error_ret (err);
  return 0;
}

static int
fs_apply (cg_manager *m, const spec_resources *r, bool update, rt_error *err)
{
  fs_priv *p = priv (m);

  if (r && (r->memory || r->cpu || r->has_pids || r->block_io || r->n_hugepage_limits || r->has_network
            || r->n_rdma || r->n_unified))
    return rt_failx (err, ENOTSUP,
                     "linux.resources: only device rules are implemented so far; memory, cpu, pids, blockIO, "
                     "hugepageLimits, network, rdma and unified limits are not implemented yet");
  if (update)
    return 0;
  for (size_t i = 0; i < p->n; i++)
    if (strcmp (p->dirs[i].name, "devices") == 0)
      {
        int ret = apply_devices_v1 (&p->dirs[i], r, err);
        if (ret < 0)
          return m->rootless ? 0 : ret;
      }
  return 0;
}

static int
read_pids_dir (const char *dir, pid_t **out, size_t *n, bool recursive, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  char *save = NULL;
  DIR *d;
  struct dirent *de;

  if (read_at (dir, "cgroup.procs", &text, err) < 0)
    return rt_error_ret (err);
  for (char *l = strtok_r (text, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    {
      *out = xrealloc (*out, (*n + 1) * sizeof **out);
      (*out)[(*n)++] = (pid_t) atoi (l);
    }
  if (!recursive)
    return 0;
  d = opendir (dir);
  if (d == NULL)
    return 0;
  while ((de = readdir (d)) != NULL)
    {
      _cleanup_free_ char *sub = NULL;
      if (de->d_type != DT_DIR || de->d_name[0] == '.')
        continue;
      xasprintf (&sub, "%s/%s", dir, de->d_name);
      if (read_pids_dir (sub, out, n, true, err) < 0)
        {
          closedir (d);
          return rt_error_ret (err);
        }
    }
  closedir (d);
  return 0;
}

/* The hierarchy that best answers "which processes are in the
 * container": the unified one, else pids, else any.  */
static const cg_dir *
procs_dir (const cg_manager *m)
{
  fs_priv *p = priv (m);
  if (p->unified >= 0 && m->layout == CG_LAYOUT_V2)
    return &p->dirs[p->unified];
  for (size_t i = 0; i < p->n; i++)
    if (strcmp (p->dirs[i].name, "pids") == 0)
      return &p->dirs[i];
  return p->unified >= 0 ? &p->dirs[p->unified] : &p->dirs[0];
}

static int
fs_pids (cg_manager *m, pid_t **out, size_t *n, rt_error *err)
{
  *out = NULL;
  *n = 0;
  return read_pids_dir (procs_dir (m)->path, out, n, true, err);
}

static int
fs_kill_all (cg_manager *m, int sig, rt_error *err)
{
  fs_priv *p = priv (m);

  /* cgroup.kill kills everything atomically, forks included.  */
  if (sig == SIGKILL && p->unified >= 0 && write_at (p->dirs[p->unified].path, "cgroup.kill", "1", err) == 0)
    return 0;
  /* Otherwise signal in rounds so processes forked meanwhile are caught.  */
  for (int round = 0; round < 5; round++)
    {
      _cleanup_free_ pid_t *pids = NULL;
      size_t n = 0;
      if (fs_pids (m, &pids, &n, err) < 0)
        return rt_error_ret (err);
      if (n == 0)
        return 0;
      for (size_t i = 0; i < n; i++)
        kill (pids[i], sig);
      if (sig != SIGKILL)
        return 0;
    }
  return 0;
}

static const cg_dir *
find_dir (const cg_manager *m, const char *name)
{
  fs_priv *p = priv (m);
  for (size_t i = 0; i < p->n; i++)
    if (strcmp (p->dirs[i].name, name) == 0)
      return &p->dirs[i];
  return NULL;
}

static int
fs_freeze (cg_manager *m, bool frozen, rt_error *err)
{
  const cg_dir *fz = find_dir (m, "freezer");
  const cg_dir *uni = find_dir (m, "unified");
  struct timespec ts = { 0, 1000000 };

  if (fz)
    {
      if (write_at (fz->path, "freezer.state", frozen ? "FROZEN" : "THAWED", err) < 0)
        return rt_error_ret (err);
      /* FREEZING is transitional: wait until the kernel says FROZEN.  */
      for (int i = 0; frozen && i < 5000; i++)
        {
          _cleanup_free_ char *st = NULL;
          if (read_at (fz->path, "freezer.state", &st, err) < 0)
            return rt_error_ret (err);
          if (str_has_prefix (st, "FROZEN"))
            return 0;
          nanosleep (&ts, NULL);
        }
      return frozen ? rt_failx (err, ETIMEDOUT, "cgroup did not freeze in time") : 0;
    }
  if (uni)
    {
      if (write_at (uni->path, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
        return rt_error_ret (err);
      for (int i = 0; i < 5000; i++)
        {
          bool now;
          _cleanup_free_ char *ev = NULL;
          if (read_at (uni->path, "cgroup.events", &ev, err) < 0)
            return rt_error_ret (err);
          now = strstr (ev, "frozen 1") != NULL;
          if (now == frozen)
            return 0;
          nanosleep (&ts, NULL);
        }
      return rt_failx (err, ETIMEDOUT, "cgroup did not %s in time", frozen ? "freeze" : "thaw");
    }
  return rt_failx (err, ENOTSUP, "no freezer is available for this container");
}

static int
fs_is_frozen (cg_manager *m, bool *out, rt_error *err)
{
  const cg_dir *fz = find_dir (m, "freezer");
  const cg_dir *uni = find_dir (m, "unified");
  _cleanup_free_ char *st = NULL;

  *out = false;
  if (fz)
    {
      if (read_at (fz->path, "freezer.state", &st, err) < 0)
        return errno == ENOENT ? 0 : rt_error_ret (err);
      *out = !str_has_prefix (st, "THAWED");
      return 0;
    }
  if (uni)
    {
      if (read_at (uni->path, "cgroup.freeze", &st, err) < 0)
        return 0;
      *out = st[0] == '1';
    }
  return 0;
}

static int
rmdir_retry (const char *path, rt_error *err)
{
  struct timespec ts = { 0, 2000000 };

  /* Processes that were just killed leave the cgroup asynchronously.  */
  for (int i = 0; i < 500; i++)
    {
      if (rmdir (path) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY)
        return rt_fail (err, errno, "remove cgroup `%s`", path);
      nanosleep (&ts, NULL);
    }
  return rt_fail (err, EBUSY, "remove cgroup `%s`", path);
}

static int
fs_destroy (cg_manager *m, rt_error *err)
{
  fs_priv *p = priv (m);
  int ret = 0;

  for (size_t i = 0; i < p->n; i++)
    {
      rt_error e2 = { 0 };
      if (rmdir_retry (p->dirs[i].path, &e2) < 0 && ret == 0)
        {
          *err = e2;
          ret = rt_error_ret (err);
        }
    }
  return ret;
}

char *
cg_fs_serialize (const cg_manager *m)
{
  fs_priv *p = priv (m);
  json_writer *w = json_writer_new (0);

  json_w_object_begin (w);
  json_w_kv_string (w, "driver", "cgroupfs");
  json_w_kv_string (w, "rel", m->rel_path);
  json_w_key (w, "paths");
  json_w_object_begin (w);
  for (size_t i = 0; i < p->n; i++)
    json_w_kv_string (w, p->dirs[i].name, p->dirs[i].path);
  json_w_object_end (w);
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}

int
cg_fs_load (cg_manager *m, const char *s, rt_error *err)
{
  json_node *root = json_parse (s, strlen (s), "state.json cgroup", err);
  const json_node *paths, *rel;
  fs_priv *p;

  if (root == NULL)
    return rt_error_ret (err);
  m->drv = &fs_driver;
  p = xzalloc (sizeof *p);
  p->unified = -1;
  m->priv = p;
  rel = json_get (root, "rel");
  m->rel_path = xstrdup (rel && json_string (rel) ? json_string (rel) : "");
  paths = json_get (root, "paths");
  for (size_t i = 0; paths && i < json_len (paths); i++)
    if (json_string (json_value_at (paths, i)))
      add_dir (p, json_key_at (paths, i), xstrdup (json_string (json_value_at (paths, i))));
  json_free (root);
  return 0;
}

const char *
cg_fs_unified_path (const cg_manager *m)
{
  fs_priv *p = priv (m);
  if (m->disabled || p == NULL || p->unified < 0)
    return NULL;
  return p->dirs[p->unified].path;
}

static const cg_driver fs_driver = {
  .name = "cgroupfs",
  .create = fs_create,
  .enter = fs_enter,
  .apply = fs_apply,
  .destroy = fs_destroy,
  .pids = fs_pids,
  .kill_all = fs_kill_all,
  .freeze = fs_freeze,
  .is_frozen = fs_is_frozen,
  .free_priv = fs_free_priv,
};
