/* User-namespace ID maps: validation and planning (pure), then writing
   them directly or through newuidmap/newgidmap.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "idmap.h"
#include "util.h"

extern char **environ;

/* The kernel refuses a range whose end wraps, so the last ID it can map
   is 2^32 - 2.  */
#define ID_LIMIT 4294967295ULL

/* Output of newuidmap worth quoting in an error.  */
#define HELPER_OUTPUT_MAX 2048

static const char *
map_field (bool is_gid)
{
  return is_gid ? "linux.gidMappings" : "linux.uidMappings";
}

static const char *
subid_file (bool is_gid)
{
  return is_gid ? "/etc/subgid" : "/etc/subuid";
}

/* ---- /etc/subuid ---------------------------------------------------------- */

int
subid_parse (const char *text, const char *name, uint32_t id, subid_range **out, size_t *n, rt_error *err)
{
  subid_range *v = xmalloc (sizeof *v);
  size_t len = 0, cap = 1;
  const char *line = text ? text : "";
  char idstr[16];

  snprintf (idstr, sizeof idstr, "%u", id);
  while (*line != '\0')
    {
      const char *eol = strchrnul (line, '\n');
      _cleanup_free_ char *copy = xstrndup (line, eol - line);
      char *owner, *start_s, *count_s, *rest = copy;
      uint64_t start, count;

      line = *eol ? eol + 1 : eol;
      owner = strsep (&rest, ":");
      start_s = strsep (&rest, ":");
      count_s = strsep (&rest, ":");
      if (owner[0] == '#' || start_s == NULL || count_s == NULL || rest != NULL)
        continue;
      if (!((name != NULL && strcmp (owner, name) == 0) || strcmp (owner, idstr) == 0))
        continue;
      /* parse_u64 would let strtoull skip leading blanks.  */
      if (!(start_s[0] >= '0' && start_s[0] <= '9') || !(count_s[0] >= '0' && count_s[0] <= '9')
          || parse_u64 (start_s, &start) < 0 || parse_u64 (count_s, &count) < 0 || count == 0 || start > ID_LIMIT
          || count > ID_LIMIT || start + count > ID_LIMIT)
        continue;
      if (len == cap)
        {
          cap *= 2;
          v = xrealloc (v, cap * sizeof *v);
        }
      v[len].start = (uint32_t) start;
      v[len].count = (uint32_t) count;
      len++;
    }
  *out = v;
  *n = len;
  return 0;
}

/* ---- planning --------------------------------------------------------------- */

static bool
ranges_overlap (uint32_t a, uint32_t a_size, uint32_t b, uint32_t b_size)
{
  return (uint64_t) a < (uint64_t) b + b_size && (uint64_t) b < (uint64_t) a + a_size;
}

/* What the kernel would refuse with a bare EINVAL, named precisely.  */
static int
idmap_validate (const spec_idmap *maps, size_t n, bool is_gid, rt_error *err)
{
  const char *field = map_field (is_gid);
  size_t i, j;

  if (n == 0)
    return rt_failx (err, EINVAL, "%s is empty: a user namespace needs at least one mapping", field);
  for (i = 0; i < n; i++)
    {
      const spec_idmap *m = &maps[i];

      if (m->size == 0)
        return rt_failx (err, EINVAL, "%s[%zu] (containerID %u, hostID %u) has size 0", field, i, m->container_id,
                         m->host_id);
      if ((uint64_t) m->container_id + m->size >= ID_LIMIT + 1 || (uint64_t) m->host_id + m->size >= ID_LIMIT + 1)
        return rt_failx (err, EINVAL,
                         "%s[%zu] (containerID %u, hostID %u, size %u) reaches past ID 4294967294, the last one "
                         "the kernel maps", field, i, m->container_id, m->host_id, m->size);
      for (j = 0; j < i; j++)
        {
          if (ranges_overlap (m->container_id, m->size, maps[j].container_id, maps[j].size))
            return rt_failx (err, EINVAL, "%s[%zu] and %s[%zu] overlap in container IDs", field, j, field, i);
          if (ranges_overlap (m->host_id, m->size, maps[j].host_id, maps[j].size))
            return rt_failx (err, EINVAL, "%s[%zu] and %s[%zu] overlap in host IDs", field, j, field, i);
        }
    }
  return 0;
}

int
idmap_plan (const spec_idmap *maps, size_t n, bool is_gid, bool privileged, uint32_t self, enum idmap_method *out,
            rt_error *err)
{
  int ret;

  ret = idmap_validate (maps, n, is_gid, err);
  if (ret < 0)
    return ret;
  if (privileged)
    *out = IDMAP_DIRECT;
  /* The one mapping the kernel lets anybody write: their own ID, once.
     For groups only after setgroups is denied, or the mapping would let
     the process drop supplementary groups that deny it access.  */
  else if (n == 1 && maps[0].size == 1 && maps[0].host_id == self)
    *out = is_gid ? IDMAP_DIRECT_DENY : IDMAP_DIRECT;
  else
    *out = IDMAP_HELPER;
  return 0;
}

/* Is [start, start+size) inside the union of `ranges`?  newuidmap accepts
   a range spread over adjacent entries, so walk entry by entry.  */
static bool
subids_cover (uint32_t start, uint32_t size, const subid_range *ranges, size_t n)
{
  uint64_t cur = start, end = (uint64_t) start + size;

  while (cur < end)
    {
      uint64_t next = cur;
      size_t i;

      for (i = 0; i < n; i++)
        if (ranges[i].start <= cur && cur < (uint64_t) ranges[i].start + ranges[i].count)
          next = (uint64_t) ranges[i].start + ranges[i].count;
      if (next == cur)
        return false;
      cur = next;
    }
  return true;
}

int
idmap_check_subids (const spec_idmap *maps, size_t n, bool is_gid, uint32_t self, const char *user,
                    const subid_range *ranges, size_t n_ranges, rt_error *err)
{
  const char *field = map_field (is_gid), *file = subid_file (is_gid);
  char who[64], have[512] = "";
  size_t i, r, o = 0;

  for (i = 0; i < n; i++)
    if (!(maps[i].size == 1 && maps[i].host_id == self) && !subids_cover (maps[i].host_id, maps[i].size, ranges, n_ranges))
      break;
  if (i == n)
    return 0;

  if (user != NULL)
    snprintf (who, sizeof who, "%s", user);
  else
    snprintf (who, sizeof who, "uid %u", self);
  if (n_ranges == 0)
    return rt_failx (err, EPERM, "%s[%zu] (containerID %u, hostID %u, size %u) cannot be mapped: user %s has no entry in %s",
                     field, i, maps[i].container_id, maps[i].host_id, maps[i].size, who, file);

  for (r = 0; r < n_ranges && o < sizeof have - 40; r++)
    o += snprintf (have + o, sizeof have - o, "%s%u-%llu", r ? ", " : "", ranges[r].start,
                   (unsigned long long) ranges[r].start + ranges[r].count - 1);
  if (r < n_ranges)
    snprintf (have + o, sizeof have - o, ", ...");
  return rt_failx (err, EPERM,
                   "%s[%zu] (containerID %u, hostID %u, size %u) is not covered by %s entries for user %s (%s has %s)%s",
                   field, i, maps[i].container_id, maps[i].host_id, maps[i].size, file, who, who, have,
                   maps[i].host_id <= self && self - maps[i].host_id < maps[i].size
                       ? "; your own ID can only be mapped in a range of size 1"
                       : "");
}

char *
idmap_format (const spec_idmap *maps, size_t n)
{
  /* "4294967295 4294967295 4294967295\n" is 33 bytes.  */
  char *out = xmalloc (n * 34 + 1);
  size_t i, o = 0;

  for (i = 0; i < n; i++)
    o += sprintf (out + o, "%u %u %u\n", maps[i].container_id, maps[i].host_id, maps[i].size);
  out[o] = '\0';
  return out;
}

bool
idmap_host_to_container (const spec_idmap *maps, size_t n, uint32_t host_id, uint32_t *out)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (host_id >= maps[i].host_id && (uint64_t) host_id - maps[i].host_id < maps[i].size)
      {
        *out = maps[i].container_id + (host_id - maps[i].host_id);
        return true;
      }
  return false;
}

bool
idmap_container_to_host (const spec_idmap *maps, size_t n, uint32_t container_id, uint32_t *out)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (container_id >= maps[i].container_id && (uint64_t) container_id - maps[i].container_id < maps[i].size)
      {
        *out = maps[i].host_id + (container_id - maps[i].container_id);
        return true;
      }
  return false;
}

/* ---- writing the maps directly -------------------------------------------- */

/* "0 1000 1, 1 100000 65536" for messages.  */
static void
describe_map (const char *text, char *buf, size_t size)
{
  size_t o = 0;

  for (; *text && o + 3 < size; text++)
    {
      if (*text != '\n')
        buf[o++] = *text;
      else if (text[1] != '\0')
        {
          buf[o++] = ',';
          buf[o++] = ' ';
        }
    }
  buf[o] = '\0';
}

bool
idmap_setgroups_denied (pid_t pid)
{
  _cleanup_free_ char *text = NULL;
  char path[64];
  rt_error ignored;

  if (pid > 0)
    snprintf (path, sizeof path, "/proc/%d/setgroups", (int) pid);
  else
    snprintf (path, sizeof path, "/proc/self/setgroups");
  if (read_file_at (AT_FDCWD, path, &text, &ignored) < 0)
    return false;
  return strncmp (text, "deny", 4) == 0;
}

static int
write_proc_file (pid_t pid, const char *file, const char *text, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  char path[64], shown[256];
  size_t len = strlen (text);
  ssize_t n;

  snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, file);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "open `%s`", path);
  /* The kernel takes a map in exactly one write(): no write_all().  */
  n = write (fd, text, len);
  if (n < 0)
    {
      int e = errno;
      describe_map (text, shown, sizeof shown);
      if (e == EINVAL && len >= 4096)
        return rt_failx (err, e, "write `%s` (%zu bytes): the kernel accepts at most 4095 bytes in one map: %s", path,
                         len, strerror (e));
      return rt_fail (err, e, "write `%s` (\"%s\")", path, shown);
    }
  if ((size_t) n != len)
    return rt_failx (err, EIO, "write `%s`: short write (%zd of %zu bytes)", path, n, len);
  return 0;
}

static bool
have_effective_cap (int cap)
{
  struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

  memset (data, 0, sizeof data);
  if (syscall (SYS_capget, &hdr, data) < 0)
    return false;
  return (data[cap / 32].effective & (1U << (cap % 32))) != 0;
}

/* ---- the setuid helpers ----------------------------------------------------- */

static int
helper_can_gain_privilege (const char *path, const struct stat *st, const char *name, rt_error *err)
{
  struct statvfs vfs;
  bool setuid_root = (st->st_mode & S_ISUID) && st->st_uid == 0;

  if (!setuid_root && getxattr (path, "security.capability", NULL, 0) <= 0)
    return rt_failx (err, EPERM, "%s at %s is neither setuid root nor has file capabilities", name, path);
  /* Both setuid and file capabilities are ignored on a nosuid mount.  */
  if (statvfs (path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))
    return rt_failx (err, EPERM, "%s at %s is on a filesystem mounted nosuid, so it cannot gain privilege", name, path);
  return 0;
}

int
idmap_find_helper (const char *name, const char *path_env, char **out, rt_error *err)
{
  _cleanup_free_ char *dirs = xstrdup (path_env ? path_env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  char *rest = dirs, *dir;

  while ((dir = strsep (&rest, ":")) != NULL)
    {
      _cleanup_free_ char *cand = NULL;
      struct stat st;
      int ret;

      /* An empty PATH element means the current directory; a setuid
         helper picked from there would be an odd thing to trust.  */
      if (dir[0] != '/')
        continue;
      xasprintf (&cand, "%s/%s", dir, name);
      if (stat (cand, &st) < 0 || !S_ISREG (st.st_mode) || (st.st_mode & 0111) == 0)
        continue;
      ret = helper_can_gain_privilege (cand, &st, name, err);
      if (ret < 0)
        return ret;
      *out = TAKE_PTR (cand);
      return 0;
    }
  return rt_failx (err, ENOENT, "%s not found in PATH: install the uidmap package", name);
}

/* Everything that can be known before running the helper, so its failure
   is explained in our words rather than guessed from its exit status.  */
static int
helper_precheck (const char *name, const spec_idmap *maps, size_t n, bool is_gid, char **path, rt_error *err)
{
  _cleanup_free_ char *text = NULL, *pwbuf = NULL;
  _cleanup_free_ subid_range *ranges = NULL;
  struct passwd pw, *pwp = NULL;
  uid_t uid = getuid ();
  uint32_t self = is_gid ? (uint32_t) getgid () : (uint32_t) uid;
  size_t n_ranges = 0;
  long bufsize;
  ssize_t len;
  int ret;

  ret = idmap_find_helper (name, getenv ("PATH"), path, err);
  if (ret < 0)
    return ret;
  if (prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
    return rt_failx (err, EPERM, "%s cannot gain privilege: no_new_privs is set on this process", name);

  /* newuidmap finds its entries under the name of the real uid.  */
  bufsize = sysconf (_SC_GETPW_R_SIZE_MAX);
  if (bufsize < 4096)
    bufsize = 4096;
  pwbuf = xmalloc (bufsize);
  if (getpwuid_r (uid, &pw, pwbuf, bufsize, &pwp) != 0)
    pwp = NULL;
  if (pwp == NULL)
    return rt_failx (err, EPERM, "uid %u has no entry in the user database, so %s cannot look up its %s ranges",
                     (unsigned) uid, name, subid_file (is_gid));

  len = read_file_at (AT_FDCWD, subid_file (is_gid), &text, err);
  if (len < 0 && len != -ENOENT)
    return rt_wrap (err, "%s", name);
  subid_parse (len < 0 ? "" : text, pw.pw_name, (uint32_t) uid, &ranges, &n_ranges, err);
  return idmap_check_subids (maps, n, is_gid, self, pw.pw_name, ranges, n_ranges, err);
}

/* Run `path pid c h s [c h s ...]` without a shell, with its output
   captured for the error message and none of our fds.  */
static int
run_helper (const char *path, const char *name, pid_t pid, const spec_idmap *maps, size_t n, rt_error *err)
{
  char **argv = xzalloc ((3 * n + 3) * sizeof *argv);
  char output[HELPER_OUTPUT_MAX];
  int pipefd[2] = { -1, -1 }, devnull, status, ret = 0;
  size_t i, o = 0, len;
  pid_t child;

  argv[0] = xstrdup (path);
  xasprintf (&argv[1], "%d", (int) pid);
  for (i = 0; i < n; i++)
    {
      xasprintf (&argv[2 + 3 * i], "%u", maps[i].container_id);
      xasprintf (&argv[3 + 3 * i], "%u", maps[i].host_id);
      xasprintf (&argv[4 + 3 * i], "%u", maps[i].size);
    }

  devnull = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (devnull < 0)
    {
      ret = rt_fail (err, errno, "open `/dev/null`");
      goto out;
    }
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    {
      ret = rt_fail (err, errno, "run %s: pipe", name);
      goto out;
    }
  child = fork ();
  if (child < 0)
    {
      ret = rt_fail (err, errno, "run %s: fork", name);
      goto out;
    }
  if (child == 0)
    {
      static const char msg[] = "execve failed\n";

      /* Only async-signal-safe calls from here.  dup2 clears CLOEXEC on
         the three targets; everything else must close on exec, and
         close_range makes sure of it even for an fd a library leaked.  */
      if (dup2 (devnull, 0) < 0 || dup2 (pipefd[1], 1) < 0 || dup2 (pipefd[1], 2) < 0)
        _exit (127);
#ifdef SYS_close_range
      syscall (SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
#endif
      execve (path, argv, environ);
      if (write (2, msg, sizeof msg - 1) < 0)
        _exit (127);
      _exit (127);
    }

  close (pipefd[1]);
  pipefd[1] = -1;
  for (;;)
    {
      char sink[512];
      ssize_t r;

      /* Keep draining past our buffer so the helper never blocks.  */
      if (o < sizeof output - 1)
        r = read (pipefd[0], output + o, sizeof output - 1 - o);
      else
        r = read (pipefd[0], sink, sizeof sink);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      if (o < sizeof output - 1)
        o += r;
    }
  output[o] = '\0';
  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      {
        ret = rt_fail (err, errno, "run %s: waitpid", name);
        goto out;
      }

  len = strlen (output);
  while (len > 0 && (output[len - 1] == '\n' || output[len - 1] == ' '))
    output[--len] = '\0';
  for (i = 0; i < len; i++)
    if (output[i] == '\n')
      output[i] = ' ';
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    ret = 0;
  else if (WIFEXITED (status))
    ret = rt_failx (err, EPERM, "%s %d (%zu range%s) failed with exit status %d: %s", path, (int) pid, n,
                    n == 1 ? "" : "s", WEXITSTATUS (status), len ? output : "(no output)");
  else
    ret = rt_failx (err, EPERM, "%s %d was killed by signal %d%s%s", path, (int) pid,
                    WIFSIGNALED (status) ? WTERMSIG (status) : 0, len ? ": " : "", output);

out:
  if (devnull >= 0)
    close (devnull);
  if (pipefd[0] >= 0)
    close (pipefd[0]);
  if (pipefd[1] >= 0)
    close (pipefd[1]);
  strv_free (argv);
  return ret;
}

static int
apply_one (pid_t pid, const spec_idmap *maps, size_t n, bool is_gid, rt_error *err)
{
  const char *helper = is_gid ? "newgidmap" : "newuidmap";
  const char *file = is_gid ? "gid_map" : "uid_map";
  _cleanup_free_ char *path = NULL, *text = NULL;
  enum idmap_method method;
  uint32_t self = is_gid ? (uint32_t) getegid () : (uint32_t) geteuid ();
  int ret;

  ret = idmap_plan (maps, n, is_gid, have_effective_cap (is_gid ? CAP_SETGID : CAP_SETUID), self, &method, err);
  if (ret < 0)
    return ret;

  switch (method)
    {
    case IDMAP_DIRECT_DENY:
      ret = write_proc_file (pid, "setgroups", "deny", err);
      /* Kernels before 3.19 have no setgroups file and no such rule.  */
      if (ret == -ENOENT)
        ret = 0;
      if (ret < 0)
        return ret;
      /* fallthrough */
    case IDMAP_DIRECT:
      text = idmap_format (maps, n);
      return write_proc_file (pid, file, text, err);
    case IDMAP_HELPER:
      ret = helper_precheck (helper, maps, n, is_gid, &path, err);
      if (ret < 0)
        return ret;
      return run_helper (path, helper, pid, maps, n, err);
    }
  return rt_failx (err, EINVAL, "unknown id-map method %d", (int) method);
}

int
idmap_apply (pid_t pid, const spec_idmap *uid_maps, size_t n_uid, const spec_idmap *gid_maps, size_t n_gid,
             rt_error *err)
{
  int ret;

  ret = apply_one (pid, uid_maps, n_uid, false, err);
  if (ret < 0)
    return rt_wrap (err, "set up uid mappings of process %d", (int) pid);
  ret = apply_one (pid, gid_maps, n_gid, true, err);
  if (ret < 0)
    return rt_wrap (err, "set up gid mappings of process %d", (int) pid);
  return 0;
}
