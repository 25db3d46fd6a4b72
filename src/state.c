/* The state store: where the root is, the per-container directories and
   their locks, state.json, and the process-identity checks that decide
   whether a recorded PID is still our container.  */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "state.h"
#include "util.h"

#define DEFAULT_ROOT "/run/runc"
#define NO_ROOT_HINT "pass --root DIR"

/* ---- the state root ----------------------------------------------------- */

/* "0 0 4294967295" is the identity map of the initial user namespace; any
   other content means we run inside a user namespace someone created.  */
static bool
uid_map_is_initial (const char *text)
{
  unsigned long long a, b, c;
  int used = 0;

  if (sscanf (text, " %llu %llu %llu %n", &a, &b, &c, &used) != 3)
    return false;
  return a == 0 && b == 0 && c == 4294967295ULL && text[used] == '\0';
}

void
state_root_env_current (state_root_env *env)
{
  _cleanup_free_ char *map = NULL;
  rt_error err = { 0 };

  env->euid = geteuid ();
  /* Without a readable /proc there is no user namespace to tell apart;
     assume the initial one, which is what runc would conclude too.  */
  env->initial_userns = read_file_at (AT_FDCWD, "/proc/self/uid_map", &map, &err) < 0 || uid_map_is_initial (map);
  env->xdg_runtime_dir = getenv ("XDG_RUNTIME_DIR");
  env->user = getenv ("USER");
  env->run_user = "/run/user";
}

/* runc's shouldHonorXDGRuntimeDir: root in the initial namespace never
   uses it; root inside a user namespace uses it unless $USER says it is
   the real root (sudo inside a rootless shell keeps XDG_RUNTIME_DIR).  */
static bool
honour_xdg (const state_root_env *env)
{
  if (env->euid != 0)
    return true;
  if (env->initial_userns)
    return false;
  return env->user == NULL || strcmp (env->user, "root") != 0;
}

static int
root_from_run_user (const state_root_env *env, char **out, rt_error *err)
{
  _cleanup_free_ char *dir = NULL;
  struct stat st;

  xasprintf (&dir, "%s/%u", env->run_user, (unsigned) env->euid);
  if (stat (dir, &st) < 0)
    {
      if (errno == ENOENT)
        return rt_failx (err, ENOENT,
                         "cannot choose a state directory: XDG_RUNTIME_DIR is not set and %s does not exist; "
                         NO_ROOT_HINT, dir);
      return rt_failx (err, errno, "cannot choose a state directory: XDG_RUNTIME_DIR is not set and %s: %s; " NO_ROOT_HINT,
                       dir, strerror (errno));
    }
  if (!S_ISDIR (st.st_mode))
    return rt_failx (err, ENOTDIR,
                     "cannot choose a state directory: XDG_RUNTIME_DIR is not set and %s is not a directory; "
                     NO_ROOT_HINT, dir);
  if (st.st_uid != env->euid)
    return rt_failx (err, EPERM,
                     "cannot choose a state directory: XDG_RUNTIME_DIR is not set and %s belongs to uid %u, not %u; "
                     NO_ROOT_HINT, dir, (unsigned) st.st_uid, (unsigned) env->euid);
  xasprintf (out, "%s/runc", dir);
  return 0;
}

int
state_root_resolve_env (const char *opt_root, const state_root_env *env, char **out, rt_error *err)
{
  const char *xdg = env->xdg_runtime_dir;

  if (opt_root != NULL)
    {
      char *abs;

      if (*opt_root == '\0')
        return rt_failx (err, EINVAL, "Option --root argument should not be empty");
      abs = path_make_absolute (opt_root);
      if (abs == NULL)
        return rt_fail (err, errno, "make --root `%s` absolute: getcwd", opt_root);
      if (strcmp (abs, "/") == 0)
        {
          free (abs);
          return rt_failx (err, EINVAL, "Option --root argument should not be set to /");
        }
      *out = abs;
      return 0;
    }

  if (honour_xdg (env) && xdg != NULL && *xdg != '\0')
    {
      _cleanup_free_ char *clean = NULL;

      /* The XDG base directory spec calls a relative value invalid; a
         state root that moves with the working directory would lose
         containers, so say so instead of guessing.  */
      if (xdg[0] != '/')
        return rt_failx (err, EINVAL,
                         "cannot choose a state directory: XDG_RUNTIME_DIR `%s` is not an absolute path; " NO_ROOT_HINT,
                         xdg);
      clean = path_clean (xdg);
      xasprintf (out, "%s/runc", strcmp (clean, "/") == 0 ? "" : clean);
      return 0;
    }

  /* Root (in any namespace) falls back to runc's default, as runc does.  */
  if (env->euid == 0)
    {
      *out = xstrdup (DEFAULT_ROOT);
      return 0;
    }
  return root_from_run_user (env, out, err);
}

int
state_root_resolve (const char *opt_root, char **out, rt_error *err)
{
  state_root_env env;

  state_root_env_current (&env);
  return state_root_resolve_env (opt_root, &env, out, err);
}

static bool
path_is_under (const char *path, const char *dir)
{
  _cleanup_free_ char *clean = NULL;
  size_t n;

  if (dir == NULL || dir[0] != '/')
    return false;
  clean = path_clean (dir);
  n = strlen (clean);
  if (n == 1)
    return path[0] == '/' && path[1] != '\0';
  return strncmp (path, clean, n) == 0 && path[n] == '/';
}

static bool
root_in_runtime_dir (const char *root)
{
  _cleanup_free_ char *run_user = NULL;

  xasprintf (&run_user, "/run/user/%u", (unsigned) geteuid ());
  return path_is_under (root, getenv ("XDG_RUNTIME_DIR")) || path_is_under (root, run_user);
}

/* A directory we keep state in must be ours: another user's directory
   would let that user plant or read container state.  */
static int
check_owner (int fd, const char *what, const char *name, rt_error *err)
{
  struct stat st;

  if (fstat (fd, &st) < 0)
    return rt_fail (err, errno, "stat %s `%s`", what, name);
  if (st.st_uid != geteuid ())
    return rt_failx (err, EPERM, "%s `%s` belongs to uid %u, not to the current user (uid %u): refusing to use it",
                     what, name, (unsigned) st.st_uid, (unsigned) geteuid ());
  return 0;
}

/* mkdir -p, one component at a time from "/", so only the directories we
   create get our mode.  */
static int
mkdir_parents (const char *path, mode_t mode, rt_error *err)
{
  _cleanup_free_ char *copy = xstrdup (path);
  _cleanup_close_ int dirfd = -1;
  char *comp, *save = NULL;

  dirfd = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    return rt_fail (err, errno, "open `/`");
  for (comp = strtok_r (copy, "/", &save); comp != NULL; comp = strtok_r (NULL, "/", &save))
    {
      int next;

      if (mkdirat (dirfd, comp, mode) < 0 && errno != EEXIST)
        return rt_fail (err, errno, "mkdir `%s` (creating `%s`)", comp, path);
      next = openat (dirfd, comp, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (next < 0)
        return rt_fail (err, errno, "open `%s` (creating `%s`)", comp, path);
      close (dirfd);
      dirfd = next;
    }
  return 0;
}

int
state_root_open (const char *root, bool create, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  bool runtime_dir;
  struct stat st;
  int ret;

  if (root == NULL || root[0] != '/')
    return rt_failx (err, EINVAL, "state root `%s` is not an absolute path", root ? root : "");
  runtime_dir = create && root_in_runtime_dir (root);

  if (create)
    {
      ret = mkdir_parents (root, 0700, err);
      if (ret < 0)
        {
          if (runtime_dir && (ret == -EACCES || ret == -EPERM || ret == -EROFS))
            rt_wrap (err, "the path in $XDG_RUNTIME_DIR must be writable by the user");
          return rt_wrap (err, "create state root `%s`", root);
        }
    }

  /* Opened for reading first: an O_PATH fd cannot be fchmod()ed.  */
  fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "open state root `%s`", root);
  ret = check_owner (fd, "state root", root, err);
  if (ret < 0)
    return ret;

  if (runtime_dir)
    {
      if (fstat (fd, &st) < 0)
        return rt_fail (err, errno, "stat state root `%s`", root);
      if ((st.st_mode & 07777) != (S_ISVTX | 0700) && fchmod (fd, S_ISVTX | 0700) < 0)
        return rt_fail (err, errno, "chmod state root `%s` to 01700 (you should check permission of the path in "
                        "$XDG_RUNTIME_DIR)", root);
    }

  ret = openat (fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (ret < 0)
    return rt_fail (err, errno, "open state root `%s`", root);
  return ret;
}

/* ---- container IDs and directories --------------------------------------- */

static bool
id_char_ok (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '+'
         || c == '-' || c == '.';
}

static bool
id_is_valid (const char *id)
{
  size_t i;

  if (id == NULL || id[0] == '\0' || strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return false;
  for (i = 0; id[i] != '\0'; i++)
    if (i >= STATE_ID_MAX || !id_char_ok (id[i]))
      return false;
  return true;
}

int
state_validate_id (const char *id, rt_error *err)
{
  char shown[80];
  size_t i, o = 0;

  if (id == NULL || id[0] == '\0')
    return rt_failx (err, EINVAL, "container id cannot be empty");
  if (id_is_valid (id))
    return 0;

  /* The ID came from the command line: keep control characters and
     megabyte-long arguments out of the log line.  */
  for (i = 0; id[i] != '\0' && o + 5 < sizeof shown - 4; i++)
    {
      unsigned char c = (unsigned char) id[i];
      if (c < 0x20 || c >= 0x7f)
        o += snprintf (shown + o, sizeof shown - o, "\\x%02x", c);
      else
        shown[o++] = (char) c;
    }
  shown[o] = '\0';
  if (id[i] != '\0')
    strcat (shown, "...");
  return rt_failx (err, EINVAL, "invalid container ID format: %s%s", shown,
                   strlen (id) > STATE_ID_MAX ? " (longer than 255 characters)" : "");
}

static int
not_exist (rt_error *err)
{
  return rt_failx (err, ENOENT, "container does not exist");
}

static int
lock_fd (int fd, bool exclusive, const char *id, rt_error *err)
{
  while (flock (fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
    if (errno != EINTR)
      return rt_fail (err, errno, "lock container directory `%s`", id);
  return 0;
}

int
state_dir_create (int root_fd, const char *id, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  int ret;

  ret = state_validate_id (id, err);
  if (ret < 0)
    return ret;
  if (mkdirat (root_fd, id, 0700) < 0)
    {
      if (errno == EEXIST)
        return rt_failx (err, EEXIST, "container with id exists: %s", id);
      return rt_fail (err, errno, "create container directory `%s`", id);
    }
  fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    ret = rt_fail (err, errno, "open container directory `%s`", id);
  else
    ret = lock_fd (fd, true, id, err);
  if (ret < 0)
    {
      unlinkat (root_fd, id, AT_REMOVEDIR);
      return ret;
    }
  return TAKE_FD (fd);
}

static bool
same_inode (const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int
state_dir_open (int root_fd, const char *id, bool exclusive, rt_error *err)
{
  int attempt, ret;

  ret = state_validate_id (id, err);
  if (ret < 0)
    return ret;

  /* A handful of rounds is plenty: each retry needs another process to
     delete and re-create the container while we wait for its lock.  */
  for (attempt = 0; attempt < 8; attempt++)
    {
      _cleanup_close_ int fd = -1;
      struct stat mine, now;

      fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        {
          if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
            return not_exist (err);
          return rt_fail (err, errno, "open container directory `%s`", id);
        }
      ret = check_owner (fd, "container directory", id, err);
      if (ret < 0)
        return ret;
      ret = lock_fd (fd, exclusive, id, err);
      if (ret < 0)
        return ret;

      /* Whoever held the lock may have deleted the container.  */
      if (fstatat (fd, STATE_FILE, &now, AT_SYMLINK_NOFOLLOW) == 0)
        return TAKE_FD (fd);
      if (errno != ENOENT)
        return rt_fail (err, errno, "stat `%s/%s`", id, STATE_FILE);
      if (fstat (fd, &mine) < 0)
        return rt_fail (err, errno, "stat container directory `%s`", id);
      if (fstatat (root_fd, id, &now, AT_SYMLINK_NOFOLLOW) < 0 || same_inode (&mine, &now))
        return not_exist (err);
      /* ... and a new one with the same name may exist already.  */
    }
  return not_exist (err);
}

/* Empty the directory `fd` (not following symlinks).  The container
   directory normally holds only files; subdirectories are handled so a
   stray one cannot make delete fail forever.  */
static int
remove_contents (int fd, const char *what, int depth, rt_error *err)
{
  DIR *d;
  struct dirent *de;
  int dfd, ret = 0;

  if (depth > 16)
    return rt_failx (err, ELOOP, "remove `%s`: directories nested too deeply", what);
  dfd = openat (fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return rt_fail (err, errno, "open `%s`", what);
  d = fdopendir (dfd);
  if (d == NULL)
    {
      ret = rt_fail (err, errno, "read `%s`", what);
      close (dfd);
      return ret;
    }
  while (ret == 0 && (errno = 0, de = readdir (d)) != NULL)
    {
      _cleanup_close_ int sub = -1;

      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (unlinkat (fd, de->d_name, 0) == 0 || errno == ENOENT)
        continue;
      if (errno != EISDIR && errno != EPERM)
        {
          ret = rt_fail (err, errno, "remove `%s/%s`", what, de->d_name);
          break;
        }
      sub = openat (fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0)
        {
          ret = rt_fail (err, errno, "open `%s/%s`", what, de->d_name);
          break;
        }
      ret = remove_contents (sub, de->d_name, depth + 1, err);
      if (ret == 0 && unlinkat (fd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
        ret = rt_fail (err, errno, "remove `%s/%s`", what, de->d_name);
    }
  if (ret == 0 && errno != 0)
    ret = rt_fail (err, errno, "read `%s`", what);
  closedir (d);
  return ret;
}

int
state_dir_remove (int root_fd, const char *id, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  int ret, pass;

  ret = state_validate_id (id, err);
  if (ret < 0)
    return ret;
  fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT)
        return 0;
      return rt_fail (err, errno, "open container directory `%s`", id);
    }
  if (unlinkat (fd, STATE_FILE, 0) < 0 && errno != ENOENT)
    return rt_fail (err, errno, "remove `%s/%s`", id, STATE_FILE);

  /* Some filesystems skip entries when the directory changes under
     readdir; go over it again rather than fail with ENOTEMPTY.  */
  for (pass = 0; pass < 3; pass++)
    {
      ret = remove_contents (fd, id, 0, err);
      if (ret < 0)
        return rt_wrap (err, "remove container directory `%s`", id);
      if (unlinkat (root_fd, id, AT_REMOVEDIR) == 0 || errno == ENOENT)
        return 0;
      if (errno != ENOTEMPTY)
        break;
    }
  return rt_fail (err, errno, "remove container directory `%s`", id);
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
state_list_ids (int root_fd, char ***ids, size_t *n, rt_error *err)
{
  char **v = NULL;
  size_t len = 0, cap = 0;
  struct dirent *de;
  DIR *d;
  int dfd, ret = 0;

  dfd = openat (root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return rt_fail (err, errno, "open state root");
  d = fdopendir (dfd);
  if (d == NULL)
    {
      ret = rt_fail (err, errno, "read state root");
      close (dfd);
      return ret;
    }
  while ((errno = 0, de = readdir (d)) != NULL)
    {
      unsigned char type = de->d_type;

      if (!id_is_valid (de->d_name))
        continue;
      if (type == DT_UNKNOWN)
        {
          struct stat st;
          if (fstatat (dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
          type = S_ISDIR (st.st_mode) ? DT_DIR : DT_REG;
        }
      if (type != DT_DIR)
        continue;
      if (len + 1 >= cap)
        {
          cap = cap ? cap * 2 : 16;
          v = xrealloc (v, cap * sizeof *v);
        }
      v[len++] = xstrdup (de->d_name);
    }
  if (errno != 0)
    {
      ret = rt_fail (err, errno, "read state root");
      closedir (d);
      strv_free_n (v, len);
      return ret;
    }
  closedir (d);
  if (len > 0)
    qsort (v, len, sizeof *v, cmp_str);
  else
    v = xzalloc (sizeof *v);
  v[len] = NULL;
  *ids = v;
  *n = len;
  return 0;
}

/* ---- state.json ----------------------------------------------------------- */

void
rt_state_free (rt_state *st)
{
  size_t i;

  if (st == NULL)
    return;
  free (st->id);
  free (st->bundle);
  free (st->rootfs);
  free (st->created);
  free (st->oci_version);
  for (i = 0; i < st->n_annotations; i++)
    {
      free (st->annotations[i].key);
      free (st->annotations[i].value);
    }
  free (st->annotations);
  free (st->cgroup);
  free (st->helpers);
  free (st->helper_start_times);
  memset (st, 0, sizeof *st);
}

enum field_kind
{
  FIELD_STRING, /* char *, null allowed */
  FIELD_BOOL,
  FIELD_PID,
  FIELD_U64,
};

/* The scalar members of rt_state and their keys, so that writing and
   reading cannot drift apart.  */
static const struct state_field
{
  const char *key;
  enum field_kind kind;
  size_t offset;
  bool required;
} state_fields[] = {
  { "id", FIELD_STRING, offsetof (rt_state, id), true },
  { "pid", FIELD_PID, offsetof (rt_state, pid), true },
  { "pidStartTime", FIELD_U64, offsetof (rt_state, pid_start_time), false },
  { "bundle", FIELD_STRING, offsetof (rt_state, bundle), false },
  { "rootfs", FIELD_STRING, offsetof (rt_state, rootfs), false },
  { "created", FIELD_STRING, offsetof (rt_state, created), false },
  { "ociVersion", FIELD_STRING, offsetof (rt_state, oci_version), false },
  { "rootless", FIELD_BOOL, offsetof (rt_state, rootless), false },
  { "systemdCgroup", FIELD_BOOL, offsetof (rt_state, systemd_cgroup), false },
  { "cgroup", FIELD_STRING, offsetof (rt_state, cgroup), false },
  { "hasPidns", FIELD_BOOL, offsetof (rt_state, has_pidns), false },
  { "userns", FIELD_BOOL, offsetof (rt_state, userns), false },
  { "noPivot", FIELD_BOOL, offsetof (rt_state, no_pivot), false },
  { "keepOnExit", FIELD_BOOL, offsetof (rt_state, keep_on_exit), false },
};

int
state_write (int dir_fd, const rt_state *st, rt_error *err)
{
  json_writer *w = json_writer_new (0);
  _cleanup_free_ char *text = NULL;
  const char *base = (const char *) st;
  size_t i, len;

  json_w_object_begin (w);
  json_w_kv_int (w, "version", STATE_VERSION);
  for (i = 0; i < ARRAY_SIZE (state_fields); i++)
    {
      const struct state_field *f = &state_fields[i];
      const void *p = base + f->offset;

      switch (f->kind)
        {
        case FIELD_STRING:
          json_w_kv_string (w, f->key, *(char *const *) p);
          break;
        case FIELD_BOOL:
          json_w_kv_bool (w, f->key, *(const bool *) p);
          break;
        case FIELD_PID:
          json_w_kv_int (w, f->key, *(const pid_t *) p);
          break;
        case FIELD_U64:
          json_w_kv_uint (w, f->key, *(const uint64_t *) p);
          break;
        }
    }
  json_w_key (w, "annotations");
  json_w_object_begin (w);
  for (i = 0; i < st->n_annotations; i++)
    json_w_kv_string (w, st->annotations[i].key, st->annotations[i].value);
  json_w_object_end (w);
  json_w_key (w, "helpers");
  json_w_array_begin (w);
  for (i = 0; i < st->n_helpers; i++)
    {
      json_w_object_begin (w);
      json_w_kv_int (w, "pid", st->helpers[i]);
      json_w_kv_uint (w, "startTime", st->helper_start_times ? st->helper_start_times[i] : 0);
      json_w_object_end (w);
    }
  json_w_array_end (w);
  json_w_object_end (w);
  text = json_writer_finish (w, &len);

  if (write_file_atomic (dir_fd, STATE_FILE, text, len, 0600, err) < 0)
    return rt_wrap (err, "write container state");
  return 0;
}

/* The container's name for messages: the directory's own name, because
   a corrupt file cannot be trusted to tell us.  */
static void
dir_fd_name (int fd, char *buf, size_t size)
{
  char link[64], target[PATH_MAX];
  const char *slash, *base;
  size_t len;
  ssize_t n;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, target, sizeof target - 1);
  if (n <= 0)
    {
      snprintf (buf, size, "?");
      return;
    }
  target[n] = '\0';
  slash = strrchr (target, '/');
  base = slash && slash[1] ? slash + 1 : target;
  len = strnlen (base, size - 1);
  memcpy (buf, base, len);
  buf[len] = '\0';
}

/* Describe why a member cannot be used; NULL when it is fine.  */
static const char *
decode_field (const struct state_field *f, const json_node *v, char *base)
{
  void *p = base + f->offset;
  int64_t i;

  switch (f->kind)
    {
    case FIELD_STRING:
      if (json_type (v) == JSON_NULL)
        return NULL;
      if (json_type (v) != JSON_STRING)
        return "a string";
      *(char **) p = xstrdup (json_string (v));
      return NULL;
    case FIELD_BOOL:
      if (json_type (v) != JSON_BOOL)
        return "a boolean";
      *(bool *) p = json_bool (v);
      return NULL;
    case FIELD_PID:
      if (json_get_i64 (v, &i) < 0 || i < 0 || i > INT32_MAX)
        return "a process ID";
      *(pid_t *) p = (pid_t) i;
      return NULL;
    case FIELD_U64:
      if (json_get_u64 (v, (uint64_t *) p) < 0)
        return "an unsigned integer";
      return NULL;
    }
  return "known";
}

static int
corrupt (rt_error *err, const char *name, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));

static int
corrupt (rt_error *err, const char *name, const char *fmt, ...)
{
  char detail[RT_ERROR_MSG_MAX];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (detail, sizeof detail, fmt, ap);
  va_end (ap);
  return rt_failx (err, EINVAL, "%s of container %s is corrupt: %s", STATE_FILE, name, detail);
}

static int
decode_state (const json_node *root, rt_state *st, const char *name, rt_error *err)
{
  const json_node *v, *ann, *helpers;
  uint64_t version;
  size_t i;

  if (json_type (root) != JSON_OBJECT)
    return corrupt (err, name, "the document is %s, not an object", json_type_name (json_type (root)));
  v = json_get (root, "version");
  if (v == NULL)
    return corrupt (err, name, "no \"version\" key");
  if (json_get_u64 (v, &version) < 0 || version == 0)
    return corrupt (err, name, "\"version\" is not a positive integer");
  if (version > STATE_VERSION)
    return rt_failx (err, EPROTO,
                     "%s of container %s has version %" PRIu64 ", written by a newer runtime (this one reads version %d)",
                     STATE_FILE, name, version, STATE_VERSION);

  for (i = 0; i < ARRAY_SIZE (state_fields); i++)
    {
      const struct state_field *f = &state_fields[i];
      const char *want;

      v = json_get (root, f->key);
      if (v == NULL)
        {
          if (f->required)
            return corrupt (err, name, "no \"%s\" key", f->key);
          continue;
        }
      want = decode_field (f, v, (char *) st);
      if (want != NULL)
        return corrupt (err, name, "\"%s\" is %s, expected %s", f->key, json_type_name (json_type (v)), want);
    }
  if (st->id == NULL || strcmp (st->id, name) != 0)
    return corrupt (err, name, "it names container \"%s\"", st->id ? st->id : "null");

  ann = json_get (root, "annotations");
  if (ann != NULL && json_type (ann) != JSON_NULL)
    {
      if (json_type (ann) != JSON_OBJECT)
        return corrupt (err, name, "\"annotations\" is %s, expected an object", json_type_name (json_type (ann)));
      st->annotations = xzalloc ((json_len (ann) + 1) * sizeof *st->annotations);
      for (i = 0; i < json_len (ann); i++)
        {
          const json_node *val = json_value_at (ann, i);
          if (json_type (val) != JSON_STRING)
            return corrupt (err, name, "annotation \"%s\" is %s, expected a string", json_key_at (ann, i),
                            json_type_name (json_type (val)));
          st->annotations[i].key = xstrdup (json_key_at (ann, i));
          st->annotations[i].value = xstrdup (json_string (val));
          st->n_annotations = i + 1;
        }
    }

  helpers = json_get (root, "helpers");
  if (helpers != NULL && json_type (helpers) != JSON_NULL)
    {
      size_t n = json_len (helpers);

      if (json_type (helpers) != JSON_ARRAY)
        return corrupt (err, name, "\"helpers\" is %s, expected an array", json_type_name (json_type (helpers)));
      st->helpers = xzalloc ((n + 1) * sizeof *st->helpers);
      st->helper_start_times = xzalloc ((n + 1) * sizeof *st->helper_start_times);
      for (i = 0; i < n; i++)
        {
          const json_node *h = json_at (helpers, i), *pid, *start;
          int64_t p;

          pid = json_type (h) == JSON_OBJECT ? json_get (h, "pid") : NULL;
          start = json_type (h) == JSON_OBJECT ? json_get (h, "startTime") : NULL;
          if (pid == NULL || json_get_i64 (pid, &p) < 0 || p <= 0 || p > INT32_MAX)
            return corrupt (err, name, "helpers[%zu] has no valid \"pid\"", i);
          if (start != NULL && json_get_u64 (start, &st->helper_start_times[i]) < 0)
            return corrupt (err, name, "helpers[%zu] has an invalid \"startTime\"", i);
          st->helpers[i] = (pid_t) p;
          st->n_helpers = i + 1;
        }
    }
  return 0;
}

int
state_read (int dir_fd, rt_state *st, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  char name[NAME_MAX + 1];
  json_node *root;
  ssize_t len;
  int ret;

  memset (st, 0, sizeof *st);
  len = read_file_at (dir_fd, STATE_FILE, &text, err);
  if (len < 0)
    {
      if (len == -ENOENT)
        return not_exist (err);
      return rt_wrap (err, "read container state");
    }
  dir_fd_name (dir_fd, name, sizeof name);
  root = json_parse (text, len, STATE_FILE, err);
  if (root == NULL)
    {
      char detail[RT_ERROR_MSG_MAX];
      memcpy (detail, err->msg, sizeof detail);
      return corrupt (err, name, "%s", detail);
    }
  ret = decode_state (root, st, name, err);
  json_free (root);
  if (ret < 0)
    rt_state_free (st);
  return ret;
}

/* ---- process identity ------------------------------------------------------ */

/* /proc/PID/stat: "pid (comm) S ppid ... starttime ...".  comm may hold
   spaces and ')' itself, so fields are counted from the LAST ')'.  */
static int
proc_stat_read (pid_t pid, char *state, uint64_t *start_time)
{
  _cleanup_free_ char *text = NULL;
  char path[64], *p, *end;
  rt_error err = { 0 };
  int field;
  ssize_t n;

  if (pid <= 0)
    return -ESRCH;
  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  n = read_file_at (AT_FDCWD, path, &text, &err);
  if (n < 0)
    return n == -ENOENT ? -ESRCH : (int) n;
  p = strrchr (text, ')');
  if (p == NULL || p[1] != ' ')
    return -EINVAL;
  p += 2;
  *state = *p;
  /* p is at field 3; step to field 22.  */
  for (field = 3; field < 22; field++)
    {
      p = strchr (p, ' ');
      if (p == NULL)
        return -EINVAL;
      p++;
    }
  errno = 0;
  *start_time = strtoull (p, &end, 10);
  if (errno != 0 || end == p || (*end != ' ' && *end != '\n' && *end != '\0'))
    return -EINVAL;
  return 0;
}

int
proc_start_time (pid_t pid, uint64_t *out)
{
  char state;

  return proc_stat_read (pid, &state, out);
}

bool
proc_alive (pid_t pid, uint64_t start_time)
{
  uint64_t now;
  char state;

  if (proc_stat_read (pid, &state, &now) < 0)
    return false;
  /* A zombie has exited; only its parent's wait() is missing, and on a
     host whose PID 1 does not reap that may never come.  */
  if (state == 'Z' || state == 'X' || state == 'x')
    return false;
  return now == start_time;
}

/* ---- time ------------------------------------------------------------------ */

char *
rfc3339_format (const struct timespec *ts)
{
  char frac[16] = "";
  struct tm tm;
  time_t sec = ts->tv_sec;
  char *out;

  gmtime_r (&sec, &tm);
  if (ts->tv_nsec > 0)
    {
      int len;

      len = snprintf (frac, sizeof frac, ".%09ld", (long) ts->tv_nsec);
      while (len > 1 && frac[len - 1] == '0')
        frac[--len] = '\0';
    }
  xasprintf (&out, "%04d-%02d-%02dT%02d:%02d:%02d%sZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, frac);
  return out;
}

char *
rfc3339_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return rfc3339_format (&ts);
}
