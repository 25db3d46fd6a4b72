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

static fs_priv *
priv (const cg_manager *m)
{
  return m->priv;
}

void
cg_fs_free_dirs (fs_priv *p)
{
  for (size_t i = 0; i < p->n; i++)
    {
      free (p->dirs[i].name);
      free (p->dirs[i].path);
      free (p->dirs[i].mount);
    }
  free (p->dirs);
  p->dirs = NULL;
  p->n = 0;
  p->unified = -1;
}

static void
fs_free_priv (cg_manager *m)
{
  fs_priv *p = priv (m);
  if (p == NULL)
    return;
  cg_fs_free_dirs (p);
  free (p);
  m->priv = NULL;
}

static void
add_dir (fs_priv *p, const char *name, char *path, const char *mount)
{
  cg_dir *d;

  p->dirs = xrealloc (p->dirs, (p->n + 1) * sizeof *p->dirs);
  d = &p->dirs[p->n];
  memset (d, 0, sizeof *d);
  d->name = xstrdup (name);
  d->path = path;
  d->mount = mount ? xstrdup (mount) : NULL;
  d->v2 = strcmp (name, "unified") == 0;
  if (d->v2)
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

  if (m->drv == NULL)
    m->drv = &cg_fs_driver;
  if (m->priv == NULL)
    {
      p = xzalloc (sizeof *p);
      p->unified = -1;
      m->priv = p;
    }
  p = priv (m);

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
      add_dir (p, name, join3 (mnt->point, base, rel), mnt->point);
    }
  mounts_free (mounts, n_mounts);
  if (p->n == 0)
    return rt_failx (err, ENOENT, "no cgroup hierarchy is mounted");
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
      if (cg_read (dir, files[i], &mine, err) < 0)
        return rt_error_ret (err);
      if (mine[0] != '\0' && mine[0] != '\n')
        continue;
      if (cg_read (parent, files[i], &theirs, err) < 0)
        return rt_error_ret (err);
      if (theirs[0] == '\0' || theirs[0] == '\n')
        {
          if (cpuset_fill (parent, err) < 0)
            return rt_error_ret (err);
          free (theirs);
          theirs = NULL;
          if (cg_read (parent, files[i], &theirs, err) < 0)
            return rt_error_ret (err);
        }
      if (cg_write (dir, files[i], theirs, err) < 0)
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

/* On v2 a controller only exists in a cgroup when every ancestor enabled
 * it for its children.  Enable at each level what that level has, as runc
 * does; levels we may not write (above a delegation boundary) or that
 * hold processes refuse, and the limits that then cannot be set are
 * reported when they are applied, not here.  */
static void
enable_controllers (const cg_dir *d)
{
  size_t mlen;
  _cleanup_free_ char *cur = NULL;

  if (d->mount == NULL || !str_has_prefix (d->path, d->mount))
    return;
  mlen = strlen (d->mount);
  cur = xstrdup (d->path);
  for (char *s = cur + mlen;; s++)
    {
      if (*s == '/' || *s == '\0')
        {
          char saved = *s;
          _cleanup_free_ char *avail = NULL;
          rt_error ignored = { 0 };
          char *save = NULL;

          if (saved == '\0')
            break; /* the container's own cgroup stays a leaf */
          *s = '\0';
          if (cg_read (cur[0] ? cur : "/", "cgroup.controllers", &avail, &ignored) == 0)
            for (char *c = strtok_r (avail, " \n", &save); c; c = strtok_r (NULL, " \n", &save))
              if (!cg_list_has (cur, "cgroup.subtree_control", c))
                cg_writef (cur, "cgroup.subtree_control", &ignored, "+%s", c);
          *s = saved;
        }
    }
}

static bool
is_permission_error (int e)
{
  return e == EACCES || e == EPERM || e == EROFS;
}

int
cg_fs_create (cg_manager *m, rt_error *err)
{
  fs_priv *p = priv (m);

  for (size_t i = 0; i < p->n; i++)
    {
      cg_dir *d = &p->dirs[i];
      int ret = mkdir_p (d->path, &d->created, err);
      if (ret < 0)
        {
          rt_error e2 = { 0 };
          cg_fs_destroy (m, &e2);
          /* runc's rootless rule: without cgroup access a container may
             still run, but only when it asked for nothing that needs a
             cgroup.  The caller decides, seeing `disabled`.  */
          if (m->rootless && is_permission_error (-ret))
            m->disabled = true;
          return ret;
        }
      if (d->v2)
        enable_controllers (d);
      else if (strcmp (d->name, "cpuset") == 0 && cpuset_fill (d->path, err) < 0)
        {
          rt_error e2 = { 0 };
          cg_fs_destroy (m, &e2);
          return rt_error_ret (err);
        }
    }
  if (p->unified >= 0)
    {
      m->v2_fd = open (p->dirs[p->unified].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (m->v2_fd < 0)
        {
          int e = errno;
          rt_error e2 = { 0 };
          cg_fs_destroy (m, &e2);
          return rt_fail (err, e, "open cgroup `%s`", p->dirs[p->unified].path);
        }
    }
  return 0;
}

static int
write_pid (const char *dir, const char *pid, rt_error *err)
{
  struct timespec ts = { 0, 30000000 };
  int ret = 0;

  /* EINVAL can mean the task is still being created (TASK_NEW).  */
  for (int i = 0; i < 5; i++)
    {
      ret = cg_write (dir, "cgroup.procs", pid, err);
      if (ret != -EINVAL)
        break;
      nanosleep (&ts, NULL);
    }
  return ret;
}

int
cg_fs_enter (cg_manager *m, pid_t pid, rt_error *err)
{
  fs_priv *p = priv (m);
  char buf[32];

  snprintf (buf, sizeof buf, "%d", (int) pid);
  for (size_t i = 0; i < p->n; i++)
    {
      if (p->dirs[i].v2 && m->placed_v2)
        continue;
      if (write_pid (p->dirs[i].path, buf, err) < 0)
        return rt_wrap (err, "join cgroup %s", p->dirs[i].name);
    }
  return 0;
}

/* A --cgroup path cleaned relative to the container's cgroup ("" for the
 * cgroup itself), or NULL when ".." would climb above it.  */
static char *
sub_path (const char *s)
{
  int depth = 0;

  for (const char *c = s; *c;)
    {
      size_t len = strcspn (c, "/");
      if (len == 2 && c[0] == '.' && c[1] == '.')
        {
          if (--depth < 0)
            return NULL;
        }
      else if (len > 0 && !(len == 1 && c[0] == '.'))
        depth++;
      c += len + (c[len] == '/');
    }
  return clean_relative (s);
}

/* Index in p->dirs of the v1 hierarchy holding `ctrl` ("memory",
 * "name=systemd"), or -1.  */
static int
v1_dir_of (const fs_priv *p, const char *ctrl)
{
  const char *want = str_has_prefix (ctrl, "name=") ? ctrl + 5 : ctrl;
  size_t wl = strlen (want);

  for (size_t i = 0; i < p->n; i++)
    {
      const char *n = p->dirs[i].name;
      if (p->dirs[i].v2)
        continue;
      for (const char *s = n; (s = strstr (s, want)) != NULL; s += wl)
        if ((s == n || s[-1] == ',') && (s[wl] == ',' || s[wl] == '\0'))
          return (int) i;
    }
  return -1;
}

/* Fill subs[i] (a path relative to dirs[i]) from the --cgroup specs.  */
static int
plan_subs (const fs_priv *p, char *const *specs, size_t n_specs, char **subs, rt_error *err)
{
  for (size_t k = 0; k < n_specs; k++)
    {
      const char *arg = specs[k], *colon = strchr (arg, ':');
      _cleanup_free_ char *ctrls = NULL, *path = NULL;
      char *save = NULL;

      if (colon && strchr (colon + 1, ':'))
        return rt_failx (err, EINVAL, "invalid --cgroup argument: %s", arg);
      path = sub_path (colon ? colon + 1 : arg);
      if (path == NULL)
        return rt_failx (err, EINVAL, "invalid --cgroup argument: %s is not a sub cgroup path", colon ? colon + 1 : arg);
      if (colon == NULL)
        {
          if (n_specs != 1)
            return rt_failx (err, EINVAL, "invalid --cgroup argument: %s (missing <controller>: prefix)", arg);
          for (size_t i = 0; i < p->n; i++)
            subs[i] = xstrdup (path);
          return 0;
        }
      ctrls = xstrndup (arg, colon - arg);
      if (ctrls[0] == '\0' || ctrls[strlen (ctrls) - 1] == ',' || strstr (ctrls, ",,"))
        return rt_failx (err, EINVAL, "invalid --cgroup argument: %s (empty <controller> prefix)", arg);
      for (char *c = strtok_r (ctrls, ",", &save); c; c = strtok_r (NULL, ",", &save))
        {
          int i = v1_dir_of (p, c);
          if (i < 0)
            return rt_failx (err, EINVAL, "invalid --cgroup argument: %s (no cgroup v1 hierarchy has controller %s)",
                             arg, c);
          if (subs[i])
            return rt_failx (err, EINVAL, "invalid --cgroup argument(s): controller %s specified multiple times", c);
          subs[i] = xstrdup (path);
        }
    }
  return 0;
}

/* The directory of `pid`'s unified cgroup, if it is below `container`
 * (the process may have moved itself within the container's cgroup).  */
static char *
unified_dir_below (pid_t pid, const char *container)
{
  _cleanup_free_ char *text = NULL, *rel = NULL;
  cg_mount *mounts = NULL;
  size_t n = 0, clen = strlen (container);
  char path[64], *line, *save = NULL, *dir = NULL;
  rt_error ignored;

  snprintf (path, sizeof path, "/proc/%d/cgroup", (int) pid);
  if (read_file_at (AT_FDCWD, path, &text, &ignored) < 0)
    return NULL;
  for (line = strtok_r (text, "\n", &save); line && rel == NULL; line = strtok_r (NULL, "\n", &save))
    if (str_has_prefix (line, "0::/"))
      rel = xstrdup (line + 3);
  if (rel == NULL || read_cgroup_mounts (&mounts, &n, &ignored) < 0)
    return NULL;
  for (size_t i = 0; i < n && dir == NULL; i++)
    {
      size_t rl = strcmp (mounts[i].root, "/") == 0 ? 0 : strlen (mounts[i].root);
      if (mounts[i].v2 && strncmp (rel, mounts[i].root, rl) == 0 && (rel[rl] == '/' || rel[rl] == '\0'))
        dir = join3 (mounts[i].point, rel + rl, NULL);
    }
  mounts_free (mounts, n);
  if (dir && !(strncmp (dir, container, clen) == 0 && dir[clen] == '/'))
    {
      free (dir);
      dir = NULL;
    }
  return dir;
}

int
cg_fs_enter_exec (cg_manager *m, pid_t pid, pid_t init, char *const *specs, size_t n_specs, rt_error *err)
{
  fs_priv *p = priv (m);
  char **subs = xzalloc ((p->n + 1) * sizeof *subs);
  char buf[32];
  int ret;

  snprintf (buf, sizeof buf, "%d", (int) pid);
  ret = plan_subs (p, specs, n_specs, subs, err);
  /* The container's own cgroups first: when two names share a hierarchy
     (cpu and cpuacct), the sub-cgroup must be the last write.  */
  for (int pass = 0; pass < 2 && ret == 0; pass++)
    for (size_t i = 0; i < p->n && ret == 0; i++)
      {
        _cleanup_free_ char *dir = NULL, *beside = NULL;
        if ((subs[i] != NULL) != (pass == 1))
          continue;
        xasprintf (&dir, "%s/%s", p->dirs[i].path, subs[i] ? subs[i] : "");
        ret = write_pid (dir, buf, err);
        /* runc's fallback, only when no sub-cgroup was asked for.  */
        if (ret == -EBUSY && p->dirs[i].v2 && n_specs == 0
            && (beside = unified_dir_below (init, p->dirs[i].path)) != NULL)
          ret = write_pid (beside, buf, err);
        if (ret < 0)
          ret = rt_wrap (err, "%sjoin cgroup %s", n_specs ? "--cgroup: " : "", p->dirs[i].name);
      }
  strv_free_n (subs, p->n);
  return ret;
}

const char *
cg_fs_controller_dir (cg_manager *m, const char *controller, bool *v2)
{
  fs_priv *p = priv (m);
  int v1 = v1_dir_of (p, controller);

  *v2 = false;
  if (v1 >= 0)
    return p->dirs[v1].path;
  if (p->unified < 0)
    return NULL;
  if (m->layout == CG_LAYOUT_V2 && (strcmp (controller, "devices") == 0 || strcmp (controller, "freezer") == 0))
    {
      *v2 = true;
      return p->dirs[p->unified].path;
    }
  if (cg_list_has (p->dirs[p->unified].path, "cgroup.controllers", controller))
    {
      *v2 = true;
      return p->dirs[p->unified].path;
    }
  return NULL;
}

static int
read_pids_dir (const char *dir, pid_t **out, size_t *n, bool recursive, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  char *save = NULL;
  DIR *d;
  struct dirent *de;

  if (cg_read (dir, "cgroup.procs", &text, err) < 0)
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
 * container": the unified one on v2, else pids, else any.  */
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

static int fs_freeze (cg_manager *m, bool frozen, rt_error *err);
static int fs_is_frozen (cg_manager *m, bool *out, rt_error *err);

static int
fs_kill_all (cg_manager *m, int sig, rt_error *err)
{
  fs_priv *p = priv (m);
  _cleanup_free_ pid_t *pids = NULL;
  bool was_frozen = false, froze = false;
  rt_error ignored = { 0 };
  size_t n = 0;
  int ret;

  /* cgroup.kill kills everything atomically, forks included.  On a
     hybrid host it only reaches what is in the unified hierarchy, and a
     process moved in a v1 hierarchy alone would escape: carry on with the
     v1 view there.  */
  if (sig == SIGKILL && p->unified >= 0 && cg_write (p->dirs[p->unified].path, "cgroup.kill", "1", &ignored) == 0
      && m->layout == CG_LAYOUT_V2)
    return 0;
  /* Otherwise freeze, so nothing forks between listing and signalling,
     signal every process, and put the freezer back as it was.  A SIGKILL
     only takes effect once thawed, so then the cgroup stays thawed.  */
  if (fs_is_frozen (m, &was_frozen, &ignored) < 0)
    was_frozen = false;
  if (!was_frozen)
    froze = fs_freeze (m, true, &ignored) == 0;
  ret = fs_pids (m, &pids, &n, err);
  if (ret == 0)
    for (size_t i = 0; i < n; i++)
      if (kill (pids[i], sig) < 0 && errno != ESRCH && ret == 0)
        ret = rt_fail (err, errno, "kill %d", (int) pids[i]);
  if (froze || (was_frozen && sig == SIGKILL))
    fs_freeze (m, false, &ignored);
  return ret;
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
      for (int attempt = 0; attempt < 3; attempt++)
        {
          if (cg_write (fz->path, "freezer.state", frozen ? "FROZEN" : "THAWED", err) < 0)
            return rt_error_ret (err);
          if (!frozen)
            return 0;
          /* FREEZING is transitional; a task stuck in an uninterruptible
             sleep can keep it there, and thawing then freezing again is
             what gets it unstuck.  */
          for (int i = 0; i < 1000; i++)
            {
              _cleanup_free_ char *st = NULL;
              if (cg_read (fz->path, "freezer.state", &st, err) < 0)
                return rt_error_ret (err);
              if (str_has_prefix (st, "FROZEN"))
                return 0;
              nanosleep (&ts, NULL);
            }
          cg_write (fz->path, "freezer.state", "THAWED", err);
        }
      return rt_failx (err, ETIMEDOUT, "cgroup `%s` did not freeze in time", fz->path);
    }
  if (uni)
    {
      if (cg_write (uni->path, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
        return rt_error_ret (err);
      for (int i = 0; i < 5000; i++)
        {
          bool now;
          _cleanup_free_ char *ev = NULL;
          if (cg_read (uni->path, "cgroup.events", &ev, err) < 0)
            return rt_error_ret (err);
          now = strstr (ev, "frozen 1") != NULL;
          if (now == frozen)
            return 0;
          nanosleep (&ts, NULL);
        }
      return rt_failx (err, ETIMEDOUT, "cgroup `%s` did not %s in time", uni->path, frozen ? "freeze" : "thaw");
    }
  return rt_failx (err, ENOTSUP, "no freezer is available for this container");
}

static int
fs_is_frozen (cg_manager *m, bool *out, rt_error *err)
{
  const cg_dir *fz = find_dir (m, "freezer");
  const cg_dir *uni = find_dir (m, "unified");
  _cleanup_free_ char *st = NULL;
  rt_error ignored = { 0 };

  *out = false;
  if (fz)
    {
      if (cg_read (fz->path, "freezer.state", &st, &ignored) < 0)
        return 0; /* gone with the container */
      *out = !str_has_prefix (st, "THAWED");
      return 0;
    }
  if (uni && cg_read (uni->path, "cgroup.freeze", &st, &ignored) == 0)
    *out = st[0] == '1';
  return 0;
}

/* rmdir a cgroup and the sub-cgroups the container may have made in it
 * (with a cgroup namespace and a writable cgroupfs it can).  */
static int
remove_tree (const char *path, rt_error *err)
{
  struct timespec ts = { 0, 1000000 };
  DIR *d;
  struct dirent *de;

  if (rmdir (path) == 0 || errno == ENOENT)
    return 0;
  d = opendir (path);
  if (d == NULL)
    return errno == ENOENT ? 0 : rt_fail (err, errno, "remove cgroup `%s`", path);
  while ((de = readdir (d)) != NULL)
    {
      _cleanup_free_ char *sub = NULL;
      if (de->d_type != DT_DIR || strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      xasprintf (&sub, "%s/%s", path, de->d_name);
      if (remove_tree (sub, err) < 0)
        {
          closedir (d);
          return rt_error_ret (err);
        }
    }
  closedir (d);
  /* Processes that were just killed leave the cgroup asynchronously.  */
  for (int i = 0; i < 12; i++)
    {
      if (rmdir (path) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY)
        return rt_fail (err, errno, "remove cgroup `%s`", path);
      nanosleep (&ts, NULL);
      if (ts.tv_nsec < 500000000)
        ts.tv_nsec *= 2;
    }
  return rt_fail (err, EBUSY, "remove cgroup `%s`", path);
}

int
cg_fs_destroy (cg_manager *m, rt_error *err)
{
  fs_priv *p = priv (m);
  int ret = 0;

  for (size_t i = 0; i < p->n; i++)
    {
      rt_error e2 = { 0 };
      if (remove_tree (p->dirs[i].path, &e2) < 0 && ret == 0)
        {
          *err = e2;
          ret = rt_error_ret (err);
        }
    }
  return ret;
}

void
cg_fs_dirs_write (json_writer *w, const fs_priv *p)
{
  json_w_key (w, "paths");
  json_w_object_begin (w);
  for (size_t i = 0; i < p->n; i++)
    json_w_kv_string (w, p->dirs[i].name, p->dirs[i].path);
  json_w_object_end (w);
}

void
cg_fs_dirs_load (fs_priv *p, const json_node *paths)
{
  for (size_t i = 0; paths && i < json_len (paths); i++)
    if (json_string (json_value_at (paths, i)))
      add_dir (p, json_key_at (paths, i), xstrdup (json_string (json_value_at (paths, i))), NULL);
}

char *
cg_fs_serialize (const cg_manager *m)
{
  json_writer *w = json_writer_new (0);

  json_w_object_begin (w);
  json_w_kv_string (w, "driver", "cgroupfs");
  json_w_kv_string (w, "rel", m->rel_path);
  cg_fs_dirs_write (w, priv (m));
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}

int
cg_fs_load (cg_manager *m, const char *s, rt_error *err)
{
  json_node *root = json_parse (s, strlen (s), "state.json cgroup", err);
  const json_node *rel, *drv;
  fs_priv *p;
  int ret = 0;

  if (root == NULL)
    return rt_error_ret (err);
  drv = json_get (root, "driver");
  if (drv && json_string (drv) && strcmp (json_string (drv), "systemd") == 0)
    {
      ret = cg_sd_load (m, root, err);
      json_free (root);
      return ret;
    }
  m->drv = &cg_fs_driver;
  p = xzalloc (sizeof *p);
  p->unified = -1;
  m->priv = p;
  rel = json_get (root, "rel");
  m->rel_path = xstrdup (rel && json_string (rel) ? json_string (rel) : "");
  cg_fs_dirs_load (p, json_get (root, "paths"));
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

static int
fs_apply (cg_manager *m, const spec_resources *r, bool update, rt_error *err)
{
  return cg_fs_apply (m, r, update, err);
}

const cg_driver cg_fs_driver = {
  .name = "cgroupfs",
  .create = cg_fs_create,
  .enter = cg_fs_enter,
  .enter_exec = cg_fs_enter_exec,
  .apply = fs_apply,
  .destroy = cg_fs_destroy,
  .pids = fs_pids,
  .kill_all = fs_kill_all,
  .freeze = fs_freeze,
  .is_frozen = fs_is_frozen,
  .stats = cg_fs_stats,
  .oom_watch = cg_fs_oom_watch,
  .free_priv = fs_free_priv,
};
