/* The container process itself: rlimits, the executable lookup, the
 * environment, the identity switch and the last touches before execve.  */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "process.h"
#include "util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef __NR_close_range
#define __NR_close_range 436
#endif

/* ---- rlimits ---------------------------------------------------------------- */

#define RLIMITS(X)                                                                                 \
  X (AS) X (CORE) X (CPU) X (DATA) X (FSIZE) X (LOCKS) X (MEMLOCK) X (MSGQUEUE) X (NICE) X (NOFILE) \
  X (NPROC) X (RSS) X (RTPRIO) X (RTTIME) X (SIGPENDING) X (STACK)

static const struct
{
  const char *name;
  int resource;
} rlimit_table[] = {
#define RLIMIT_ENTRY(r) { "RLIMIT_" #r, RLIMIT_##r },
  RLIMITS (RLIMIT_ENTRY)
};

int
rlimit_from_name (const char *name)
{
  if (name == NULL)
    return -EINVAL;
  for (size_t i = 0; i < ARRAY_SIZE (rlimit_table); i++)
    if (strcmp (rlimit_table[i].name, name) == 0)
      return rlimit_table[i].resource;
  return -EINVAL;
}

static int
check_rlimits (const spec_process *p, rt_error *err)
{
  for (size_t i = 0; i < p->n_rlimits; i++)
    {
      const spec_rlimit *l = &p->rlimits[i];
      if (rlimit_from_name (l->type) < 0)
        return rt_failx (err, EINVAL, "process.rlimits[%zu].type: wrong rlimit value: \"%s\"", i,
                         l->type ? l->type : "");
      if (l->soft > l->hard)
        return rt_failx (err, EINVAL, "process.rlimits[%zu]: %s soft limit %llu is greater than the hard limit %llu",
                         i, l->type, (unsigned long long) l->soft, (unsigned long long) l->hard);
    }
  return 0;
}

int
proc_set_rlimits (const spec_process *p, rt_error *err)
{
  int r = check_rlimits (p, err);
  if (r < 0)
    return r;
  for (size_t i = 0; i < p->n_rlimits; i++)
    {
      const spec_rlimit *l = &p->rlimits[i];
      struct rlimit rl = { .rlim_cur = (rlim_t) l->soft, .rlim_max = (rlim_t) l->hard };

      if (prlimit (0, (__rlimit_resource_t) rlimit_from_name (l->type), &rl, NULL) < 0)
        return rt_fail (err, errno, "process.rlimits[%zu]: set %s to %llu/%llu", i, l->type,
                        (unsigned long long) l->soft, (unsigned long long) l->hard);
    }
  return 0;
}

/* ---- environment ------------------------------------------------------------- */

static size_t
env_key_len (const char *kv)
{
  const char *eq = strchr (kv, '=');
  return eq ? (size_t) (eq - kv) : strlen (kv);
}

static int
check_env (char *const *env, size_t n, rt_error *err)
{
  for (size_t i = 0; i < n; i++)
    {
      const char *eq = env[i] ? strchr (env[i], '=') : NULL;
      if (eq == NULL)
        return rt_failx (err, EINVAL, "process.env[%zu]: invalid environment variable: missing '='", i);
      if (eq == env[i])
        return rt_failx (err, EINVAL, "process.env[%zu]: invalid environment variable: name cannot be empty", i);
    }
  return 0;
}

int
proc_validate (const spec_process *p, rt_error *err)
{
  int r;

  if (p->n_args == 0 || p->args[0] == NULL)
    return rt_failx (err, EINVAL, "process.args: args must not be empty");
  r = check_env (p->env, p->n_env, err);
  if (r < 0)
    return r;
  return check_rlimits (p, err);
}

/* The value a KEY=VALUE list gives `key`, the last occurrence winning as it
   does in the environment the process ends up with.  */
static const char *
env_lookup (char *const *env, size_t n, const char *key)
{
  size_t klen = strlen (key);

  for (size_t i = n; i-- > 0;)
    if (env[i] && strncmp (env[i], key, klen) == 0 && env[i][klen] == '=')
      return env[i] + klen + 1;
  return NULL;
}

/* The home directory of `uid` in the container's /etc/passwd, or NULL.  */
static char *
passwd_home (uid_t uid)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *line, *save = NULL;

  if (read_file_at (AT_FDCWD, "/etc/passwd", &text, &ignored) < 0)
    return NULL;
  for (line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      /* name:password:uid:gid:gecos:home:shell */
      char *field[7] = { NULL };
      char *cur = line;
      uint64_t id;
      int n = 0;

      while (n < 7)
        {
          field[n++] = cur;
          cur = strchr (cur, ':');
          if (cur == NULL)
            break;
          *cur++ = '\0';
        }
      if (n < 6 || parse_u64 (field[2], &id) < 0 || id != uid)
        continue;
      return xstrdup (field[5]);
    }
  return NULL;
}

char **
proc_build_env (const spec_process *p, char *const *extra, size_t n_extra)
{
  size_t total = p->n_env + n_extra, n = 0;
  const char **all;
  char **out;
  bool has_home = false;

  /* runc execs with an empty environment when process.env is absent.  */
  if (p->env == NULL && n_extra == 0)
    return xzalloc (sizeof (char *));

  all = xmalloc ((total + 1) * sizeof *all);
  for (size_t i = 0; i < p->n_env; i++)
    all[i] = p->env[i];
  for (size_t i = 0; i < n_extra; i++)
    all[p->n_env + i] = extra[i];

  /* Keep the last occurrence of every key, in the place it has there.  An
     empty HOME is dropped so that the passwd entry fills it in.  */
  out = xzalloc ((total + 2) * sizeof *out);
  for (size_t i = 0; i < total; i++)
    {
      const char *kv = all[i];
      size_t klen;
      bool later = false;

      if (kv == NULL || strchr (kv, '=') == NULL || kv[0] == '=')
        continue;
      klen = env_key_len (kv);
      for (size_t j = i + 1; j < total && !later; j++)
        later = all[j] && env_key_len (all[j]) == klen && strncmp (all[j], kv, klen) == 0 && all[j][klen] == '=';
      if (later)
        continue;
      if (klen == 4 && strncmp (kv, "HOME", 4) == 0)
        {
          if (kv[5] == '\0')
            continue;
          has_home = true;
        }
      out[n++] = xstrdup (kv);
    }
  free (all);

  if (!has_home)
    {
      _cleanup_free_ char *home = passwd_home (p->user.uid);
      xasprintf (&out[n++], "HOME=%s", home ? home : "/");
    }
  out[n] = NULL;
  return out;
}

/* ---- executable lookup ----------------------------------------------------------- */

/* Go spells errno strings in lower case ("no such file or directory"), and
   runc's messages are Go's.  */
static const char *
go_strerror (int e, char *buf, size_t len)
{
  snprintf (buf, len, "%s", strerror (e));
  if (buf[0] && isupper ((unsigned char) buf[0]) && !(buf[1] && isupper ((unsigned char) buf[1])))
    buf[0] = (char) tolower ((unsigned char) buf[0]);
  return buf;
}

/* Go's os/exec findExecutable: not a directory, and executable for us.  On
   failure `why` says why, in Go's words.  */
static int
check_executable (const char *path, char *why, size_t len)
{
  char e[128];
  struct stat st;

  if (stat (path, &st) < 0)
    {
      int saved = errno;
      snprintf (why, len, "stat %s: %s", path, go_strerror (saved, e, sizeof e));
      return -saved;
    }
  if (S_ISDIR (st.st_mode))
    {
      snprintf (why, len, "%s", go_strerror (EISDIR, e, sizeof e));
      return -EISDIR;
    }
  if (faccessat (AT_FDCWD, path, X_OK, AT_EACCESS) == 0)
    return 0;
  /* Seccomp profiles may deny faccessat: fall back to the mode bits.  */
  if ((errno == ENOSYS || errno == EPERM) && (st.st_mode & 0111))
    return 0;
  snprintf (why, len, "%s", go_strerror (errno == ENOSYS || errno == EPERM ? EACCES : errno, e, sizeof e));
  return -EACCES;
}

int
proc_find_executable (const spec_process *p, char **out, rt_error *err)
{
  const char *name, *path;
  char why[PATH_MAX + 128];
  int r;

  *out = NULL;
  if (p->n_args == 0 || p->args[0] == NULL)
    return rt_failx (err, EINVAL, "process.args: args must not be empty");
  name = p->args[0];

  if (strchr (name, '/'))
    {
      r = check_executable (name, why, sizeof why);
      if (r < 0)
        return rt_failx (err, -r, "exec: \"%s\": %s", name, why);
      *out = xstrdup (name);
      return 0;
    }

  /* Only process.env's PATH counts: runc clears its own environment, so
     without one in the config a bare name is never found.  */
  path = env_lookup (p->env, p->n_env, "PATH");
  while (path)
    {
      const char *colon = strchr (path, ':');
      size_t dlen = colon ? (size_t) (colon - path) : strlen (path);
      _cleanup_free_ char *joined = NULL, *cand = NULL;

      /* An empty element means the current directory, as in the shell.  */
      xasprintf (&joined, "%.*s/%s", (int) dlen, dlen ? path : ".", name);
      cand = path_clean (joined);
      if (check_executable (cand, why, sizeof why) == 0)
        {
          /* Go refuses a match found through a relative PATH entry.  */
          if (cand[0] != '/')
            return rt_failx (err, EACCES, "exec: \"%s\": cannot run executable found relative to current directory",
                             name);
          *out = TAKE_PTR (cand);
          return 0;
        }
      path = colon ? colon + 1 : NULL;
    }
  return rt_failx (err, ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

/* ---- identity ---------------------------------------------------------------------- */

/* The stdio the runtime passed down (a pty slave, pipes) was opened on the
   host side; give it to the container user so that it can use it, as runc
   does.  Failures that only mean "not ours to change" are ignored.  */
static int
fix_stdio_owner (uid_t uid, rt_error *err)
{
  for (int fd = 0; fd <= 2; fd++)
    {
      struct stat st;

      if (fstat (fd, &st) < 0)
        {
          if (errno == EBADF)
            continue;
          return rt_fail (err, errno, "fstat stdio fd %d", fd);
        }
      if (st.st_uid == uid || (S_ISCHR (st.st_mode) && st.st_rdev == makedev (1, 3)))
        continue;
      if (fchown (fd, uid, st.st_gid) < 0)
        {
          if (errno == EINVAL || errno == EPERM || errno == EROFS)
            continue;
          return rt_fail (err, errno, "chown stdio fd %d to uid %u", fd, (unsigned) uid);
        }
    }
  return 0;
}

int
proc_set_identity (const spec_process *p, bool setgroups_allowed, rt_error *err)
{
  const spec_user *u = &p->user;
  int r;

  r = fix_stdio_owner (u->uid, err);
  if (r < 0)
    return r;

  if (setgroups_allowed)
    {
      /* Also with an empty list: the runtime's own supplementary groups
         must not follow the process into the container.  */
      if (setgroups (u->n_additional_gids, (const gid_t *) u->additional_gids) < 0)
        return rt_fail (err, errno, "setgroups to process.user.additionalGids");
    }
  else if (u->n_additional_gids > 0)
    return rt_failx (err, EPERM,
                     "process.user.additionalGids: cannot set additional groups: setgroups(2) is denied in this "
                     "user namespace (/proc/self/setgroups is \"deny\")");

  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return rt_fail (err, errno, "prctl PR_SET_KEEPCAPS");
  if (setresgid (u->gid, u->gid, u->gid) < 0)
    {
      if (errno == EINVAL)
        return rt_failx (err, EINVAL, "cannot setgid to unmapped gid %u in user namespace", u->gid);
      return rt_fail (err, errno, "setresgid %u", u->gid);
    }
  if (setresuid (u->uid, u->uid, u->uid) < 0)
    {
      if (errno == EINVAL)
        return rt_failx (err, EINVAL, "cannot setuid to unmapped uid %u in user namespace", u->uid);
      return rt_fail (err, errno, "setresuid %u", u->uid);
    }
  /* The permitted set survived the switch; caps_apply sets the rest.  */
  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return rt_fail (err, errno, "prctl PR_SET_KEEPCAPS 0");
  return 0;
}

/* ---- the last touches -------------------------------------------------------------- */

void
proc_set_umask (const spec_process *p)
{
  umask (p->user.has_umask ? (mode_t) (p->user.umask & 07777) : 0022);
}

int
proc_set_oom_score_adj (pid_t pid, int value, rt_error *err)
{
  char path[64], buf[16];
  _cleanup_close_ int fd = -1;
  int len;

  if (pid > 0)
    snprintf (path, sizeof path, "/proc/%d/oom_score_adj", (int) pid);
  else
    snprintf (path, sizeof path, "/proc/self/oom_score_adj");
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "open `%s`", path);
  len = snprintf (buf, sizeof buf, "%d", value);
  if (write_all (fd, buf, (size_t) len) < 0)
    return rt_fail (err, errno, "set oom_score_adj to %d: write `%s`", value, path);
  return 0;
}

int
proc_set_no_new_privs (rt_error *err)
{
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return rt_fail (err, errno, "prctl PR_SET_NO_NEW_PRIVS");
  return 0;
}

/* For kernels before 5.11 (no CLOSE_RANGE_CLOEXEC) or a seccomp profile
   that denies close_range.  */
static int
cloexec_from_proc (int last_kept, rt_error *err)
{
  DIR *d;
  struct dirent *de;
  int dfd;

  d = opendir ("/proc/self/fd");
  if (d == NULL)
    return rt_fail (err, errno, "mark fds close-on-exec: open `/proc/self/fd`");
  dfd = dirfd (d);
  while ((de = readdir (d)) != NULL)
    {
      int fd, flags;

      if (de->d_name[0] < '0' || de->d_name[0] > '9')
        continue;
      fd = atoi (de->d_name);
      if (fd <= last_kept || fd == dfd)
        continue;
      flags = fcntl (fd, F_GETFD);
      if (flags < 0 || (flags & FD_CLOEXEC))
        continue;
      if (fcntl (fd, F_SETFD, flags | FD_CLOEXEC) < 0)
        {
          int e = errno;
          closedir (d);
          return rt_fail (err, e, "mark fd %d close-on-exec", fd);
        }
    }
  closedir (d);
  return 0;
}

int
proc_cloexec_from (int last_kept, rt_error *err)
{
  if (last_kept < -1)
    last_kept = -1;
  if (syscall (__NR_close_range, (unsigned int) (last_kept + 1), ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return 0;
  if (errno != ENOSYS && errno != EINVAL && errno != EPERM)
    return rt_fail (err, errno, "close_range(%d, ~0, CLOSE_RANGE_CLOEXEC)", last_kept + 1);
  return cloexec_from_proc (last_kept, err);
}
