/* `runc doctor` (see doctor.h): the checks.  Each one fills a
 * doctor_check; the probes that need a user namespace run in a forked
 * child, so this process keeps its namespaces and identity.  */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "doctor.h"
#include "idmap.h"
#include "linux_sys.h"
#include "state.h"
#include "util.h"

/* Below this, images with files owned by "nobody" (65534) cannot be
   unpacked: the usual size of a range.  */
#define SUBID_WANTED 65536
#define CRIU_TIMEOUT_MS 30000
#define CRIU_OUTPUT_MAX 65536

/* Who is asking.  */
struct who
{
  uid_t uid;
  gid_t gid;
  char *user; /* name, or "uid N" */
  bool root;  /* real root: euid 0 in the initial user namespace */
};

const char *
doctor_status_name (enum doctor_status s)
{
  switch (s)
    {
    case DOCTOR_OK:
      return "ok";
    case DOCTOR_WARN:
      return "warn";
    case DOCTOR_FAIL:
      return "fail";
    }
  return "?";
}

static char * __attribute__ ((format (printf, 1, 2)))
strf (const char *fmt, ...)
{
  va_list ap;
  char *s;

  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) < 0)
    abort ();
  va_end (ap);
  return s;
}

/* Record the outcome.  `remedy` is taken over (may be NULL); a failure of
 * an advisory check is only a warning.  */
static void __attribute__ ((format (printf, 4, 5)))
verdict (doctor_check *c, enum doctor_status s, char *remedy, const char *fmt, ...)
{
  va_list ap;

  if (s == DOCTOR_FAIL && !c->required)
    s = DOCTOR_WARN;
  c->status = s;
  free (c->detail);
  free (c->remedy);
  va_start (ap, fmt);
  if (vasprintf (&c->detail, fmt, ap) < 0)
    abort ();
  va_end (ap);
  if (s == DOCTOR_OK)
    {
      free (remedy);
      remedy = NULL;
    }
  c->remedy = remedy;
}

/* A whole small file, trailing newlines and spaces cut; NULL when it
 * cannot be read.  */
static char *
read_trimmed (const char *path)
{
  rt_error ignored = { 0 };
  char *text = NULL, *p;

  if (read_file_at (AT_FDCWD, path, &text, &ignored) < 0)
    return NULL;
  p = text + strlen (text);
  while (p > text && (p[-1] == '\n' || p[-1] == ' '))
    *--p = '\0';
  return text;
}

/* A sysctl ("user.max_user_namespaces") as text; NULL when the kernel
 * has no such knob.  */
static char *
sysctl_read (const char *name)
{
  _cleanup_free_ char *path = NULL;

  xasprintf (&path, "/proc/sys/%s", name);
  for (char *p = path + strlen ("/proc/sys/"); *p; p++)
    if (*p == '.')
      *p = '/';
  return read_trimmed (path);
}

static long
sysctl_long (const char *name, long absent)
{
  _cleanup_free_ char *v = sysctl_read (name);
  return v ? strtol (v, NULL, 10) : absent;
}

/* ---- probes in a child --------------------------------------------------------- */

/* Run fn in a forked child and bring back its error.  */
static int
in_child (int (*fn) (void *data, rt_error *err), void *data, rt_error *err)
{
  int pipefd[2], status;
  rt_error got = { 0 };
  ssize_t n;
  pid_t pid;

  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return rt_fail (err, errno, "pipe");
  pid = fork ();
  if (pid < 0)
    {
      close (pipefd[0]);
      close (pipefd[1]);
      return rt_fail (err, errno, "fork");
    }
  if (pid == 0)
    {
      rt_error e = { 0 };

      close (pipefd[0]);
      if (fn (data, &e) < 0)
        write_all (pipefd[1], &e, sizeof e);
      _exit (e.code ? 1 : 0);
    }
  close (pipefd[1]);
  n = read_all (pipefd[0], &got, sizeof got);
  close (pipefd[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (n == (ssize_t) sizeof got && got.code)
    {
      got.msg[sizeof got.msg - 1] = '\0';
      *err = got;
      return rt_error_ret (err);
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return rt_failx (err, ECHILD, "the probe died (status %#x)", status);
  return 0;
}

struct ns_probe
{
  const struct who *w;
  const char *dir; /* overlay probe: the scratch directory */
};

/* A new user namespace (and mount namespace), with our own IDs mapped to
 * root: what an unprivileged user may do without newuidmap.  */
static int
enter_userns (const struct who *w, bool mountns, rt_error *err)
{
  char map[64];
  int n;

  if (unshare (CLONE_NEWUSER | (mountns ? CLONE_NEWNS : 0)) < 0)
    return rt_fail (err, errno, "unshare(CLONE_NEWUSER)");
  if (write_file_at (AT_FDCWD, "/proc/self/setgroups", "deny", 4, 0, err) < 0)
    return rt_wrap (err, "write /proc/self/setgroups");
  n = snprintf (map, sizeof map, "0 %u 1\n", (unsigned) w->uid);
  if (write_file_at (AT_FDCWD, "/proc/self/uid_map", map, n, 0, err) < 0)
    return rt_wrap (err, "write /proc/self/uid_map");
  n = snprintf (map, sizeof map, "0 %u 1\n", (unsigned) w->gid);
  if (write_file_at (AT_FDCWD, "/proc/self/gid_map", map, n, 0, err) < 0)
    return rt_wrap (err, "write /proc/self/gid_map");
  return 0;
}

static int
probe_userns (void *data, rt_error *err)
{
  const struct ns_probe *p = data;
  return enter_userns (p->w, false, err);
}

/* What a rootless container's overlay mount does: overlayfs with user.*
 * xattrs, a write (copy-up) and a removal (whiteout).  */
static int
probe_overlay (void *data, rt_error *err)
{
  const struct ns_probe *p = data;
  _cleanup_free_ char *opts = NULL, *merged = NULL, *file = NULL, *gone = NULL;

  if (enter_userns (p->w, true, err) < 0)
    return rt_error_ret (err);
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return rt_fail (err, errno, "make / private");
  xasprintf (&opts, "lowerdir=%s/lower,upperdir=%s/upper,workdir=%s/work,userxattr", p->dir, p->dir, p->dir);
  xasprintf (&merged, "%s/merged", p->dir);
  if (mount ("overlay", merged, "overlay", 0, opts) < 0)
    return rt_fail (err, errno, "mount overlay (%s)", opts);
  xasprintf (&file, "%s/new", merged);
  if (write_file_at (AT_FDCWD, file, "x", 1, 0644, err) < 0)
    return rt_wrap (err, "write in the overlay");
  xasprintf (&gone, "%s/old", merged);
  if (unlink (gone) < 0)
    return rt_fail (err, errno, "remove a lower file in the overlay");
  return 0;
}

/* ---- user namespaces -------------------------------------------------------------- */

static void
check_userns (doctor_check *c, const struct who *w)
{
  struct ns_probe p = { .w = w };
  long max = sysctl_long ("user.max_user_namespaces", -1);
  long clone = sysctl_long ("kernel.unprivileged_userns_clone", -1);
  long apparmor = sysctl_long ("kernel.apparmor_restrict_unprivileged_userns", -1);
  rt_error err = { 0 };
  char *remedy;

  if (in_child (probe_userns, &p, &err) == 0)
    {
      verdict (c, DOCTOR_OK, NULL, "created a user namespace and mapped uid %u and gid %u to root in it "
                                   "(user.max_user_namespaces=%ld)",
               (unsigned) w->uid, (unsigned) w->gid, max);
      return;
    }
  if (max == 0)
    remedy = xstrdup ("sysctl -w user.max_user_namespaces=28633 (and set it in /etc/sysctl.d/ to keep it)");
  else if (clone == 0 && !w->root)
    remedy = xstrdup ("sysctl -w kernel.unprivileged_userns_clone=1 (and set it in /etc/sysctl.d/ to keep it)");
  else if (apparmor == 1 && !w->root)
    remedy = xstrdup ("AppArmor restricts unprivileged user namespaces: allow the runtime with a profile "
                      "in /etc/apparmor.d/ (`profile runc /path/to/runc flags=(unconfined) { userns, }`), "
                      "or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0");
  else
    remedy = xstrdup ("enable user namespaces in the kernel (CONFIG_USER_NS) and in any seccomp or LSM "
                      "policy confining this session (a container runtime, a sandbox)");
  verdict (c, DOCTOR_FAIL, remedy, "cannot create a user namespace: %s (user.max_user_namespaces=%ld%s%s)",
           err.msg, max,
           clone == 0 ? ", kernel.unprivileged_userns_clone=0" : clone > 0 ? ", kernel.unprivileged_userns_clone=1" : "",
           apparmor == 1 ? ", kernel.apparmor_restrict_unprivileged_userns=1" : "");
}

/* ---- subordinate IDs --------------------------------------------------------------- */

/* The first ID after every range of the file: where a new range could go.  */
static uint64_t
subid_free_start (const char *text)
{
  uint64_t end = 100000;
  const char *line = text;

  while (line && *line)
    {
      unsigned long long start, count;
      const char *colon = strchr (line, ':');

      if (colon && sscanf (colon + 1, "%llu:%llu", &start, &count) == 2 && start + count > end)
        end = start + count;
      line = strchr (line, '\n');
      if (line)
        line++;
    }
  return end;
}

static void
check_subids (doctor_check *c, const struct who *w, bool gid)
{
  const char *file = gid ? "/etc/subgid" : "/etc/subuid";
  _cleanup_free_ char *text = NULL, *list = NULL;
  _cleanup_free_ subid_range *ranges = NULL;
  rt_error err = { 0 };
  uint64_t total = 0, free_start;
  size_t n = 0, used = 0, size = 0;
  FILE *f;

  if (read_file_at (AT_FDCWD, file, &text, &err) < 0)
    {
      if (w->root)
        verdict (c, DOCTOR_OK, NULL, "not needed as root (no %s)", file);
      else
        verdict (c, DOCTOR_FAIL,
                 strf ("create %s with a range for %s: usermod --add-sub%cids 100000-165535 %s", file, w->user,
                       gid ? 'g' : 'u', w->user),
                 "%s", err.msg);
      return;
    }
  if (subid_parse (text, w->user, gid ? w->gid : w->uid, &ranges, &n, &err) < 0)
    {
      verdict (c, DOCTOR_FAIL, strf ("fix the syntax of %s (NAME:START:COUNT per line)", file), "%s", err.msg);
      return;
    }
  f = open_memstream (&list, &size);
  if (f == NULL)
    abort ();
  for (size_t i = 0; i < n; i++)
    {
      fprintf (f, "%s%u-%llu", used++ ? ", " : "", ranges[i].start,
               (unsigned long long) ranges[i].start + ranges[i].count - 1);
      total += ranges[i].count;
    }
  fclose (f);
  free_start = subid_free_start (text);
  if (w->root)
    verdict (c, DOCTOR_OK, NULL, "not needed as root (%s has %s%s)", file, n ? list : "no range",
             n ? " for root" : "");
  else if (n == 0)
    verdict (c, DOCTOR_FAIL,
             strf ("give %s a range of its own: usermod --add-sub%cids %llu-%llu %s", w->user, gid ? 'g' : 'u',
                   (unsigned long long) free_start, (unsigned long long) free_start + SUBID_WANTED - 1, w->user),
             "no range for %s (%cid %u) in %s: containers can map only %s own %cid", w->user, gid ? 'g' : 'u',
             (unsigned) (gid ? w->gid : w->uid), file, w->user, gid ? 'g' : 'u');
  else if (total < SUBID_WANTED)
    verdict (c, DOCTOR_WARN,
             strf ("give %s %d IDs: usermod --add-sub%cids %llu-%llu %s", w->user, SUBID_WANTED, gid ? 'g' : 'u',
                   (unsigned long long) free_start, (unsigned long long) free_start + SUBID_WANTED - 1, w->user),
             "%s has %llu subordinate %cids (%s): fewer than %d, so images with higher IDs fail to map", w->user,
             (unsigned long long) total, gid ? 'g' : 'u', list, SUBID_WANTED);
  else
    verdict (c, DOCTOR_OK, NULL, "%s has %llu subordinate %cids in %s (%s)", w->user, (unsigned long long) total,
             gid ? 'g' : 'u', file, list);
}

static void
check_idmap_helper (doctor_check *c, const struct who *w, const char *name)
{
  _cleanup_free_ char *path = NULL;
  rt_error err = { 0 };
  struct stat st;

  if (idmap_find_helper (name, getenv ("PATH"), &path, &err) < 0)
    {
      if (w->root)
        verdict (c, DOCTOR_OK, NULL, "not needed as root (%s)", err.msg);
      else
        verdict (c, DOCTOR_FAIL,
                 err.code == ENOENT ? xstrdup ("apt-get install uidmap (or your distribution's shadow-utils)")
                                    : strf ("reinstall it setuid root (chmod u+s) or with file capabilities "
                                            "(setcap cap_set%cid+ep)",
                                            name[3] == 'g' ? 'g' : 'u'),
                 "%s", err.msg);
      return;
    }
  verdict (c, DOCTOR_OK, NULL, "%s (%s)", path,
           stat (path, &st) == 0 && (st.st_mode & S_ISUID) ? "setuid root" : "file capabilities");
}

/* ---- the state root ------------------------------------------------------------------ */

static void
check_state_root (doctor_check *c, const struct who *w, const char *root_opt)
{
  _cleanup_free_ char *root = NULL, *dir = NULL;
  rt_error err = { 0 };
  struct stat st;

  if (state_root_resolve (root_opt, &root, &err) < 0)
    {
      verdict (c, DOCTOR_FAIL,
               strf ("export XDG_RUNTIME_DIR=/run/user/%u (a login through systemd-logind sets it; "
                     "`loginctl enable-linger %s` keeps it), or pass --root DIR",
                     (unsigned) w->uid, w->user),
               "%s", err.msg);
      return;
    }
  if (stat (root, &st) == 0)
    {
      if (!S_ISDIR (st.st_mode))
        verdict (c, DOCTOR_FAIL, xstrdup ("pass --root with a directory"), "%s is not a directory", root);
      else if (st.st_uid != w->uid)
        verdict (c, DOCTOR_FAIL, xstrdup ("pass --root with a directory you own (best on a tmpfs, mode 0700)"),
                 "%s belongs to uid %u, not to you (uid %u)", root, (unsigned) st.st_uid, (unsigned) w->uid);
      else if (access (root, W_OK | X_OK) < 0)
        verdict (c, DOCTOR_FAIL, strf ("chmod u+rwx %s", root), "%s is not writable: %s", root, strerror (errno));
      else
        verdict (c, DOCTOR_OK, NULL, "%s (yours, writable)", root);
      return;
    }
  /* Not made yet: the first create makes it, if its parent lets us.  */
  dir = xstrdup (root);
  for (;;)
    {
      char *slash = strrchr (dir, '/');
      if (slash == NULL)
        break;
      *(slash == dir ? slash + 1 : slash) = '\0';
      if (stat (dir, &st) == 0)
        break;
    }
  if (access (dir, W_OK | X_OK) < 0)
    verdict (c, DOCTOR_FAIL, xstrdup ("pass --root with a directory you own (best on a tmpfs, mode 0700)"),
             "%s does not exist and %s is not writable: %s", root, dir, strerror (errno));
  else
    verdict (c, DOCTOR_OK, NULL, "%s (made by the first create: %s is writable)", root, dir);
}

/* ---- cgroups ---------------------------------------------------------------------------- */

/* The caller's cgroup v2 path, from the "0::" line of /proc/self/cgroup.  */
static char *
own_cgroup2 (void)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *line, *save = NULL;

  if (read_file_at (AT_FDCWD, "/proc/self/cgroup", &text, &ignored) < 0)
    return NULL;
  for (line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    if (str_has_prefix (line, "0::"))
      return xstrdup (line + 3);
  return NULL;
}

static char *
read_in (const char *dir, const char *name)
{
  _cleanup_free_ char *path = NULL;

  xasprintf (&path, "%s/%s", dir, name);
  return read_trimmed (path);
}

/* Is `word` in the space-separated `list`?  */
static bool
has_word (const char *list, const char *word)
{
  size_t n = strlen (word);
  const char *p = list;

  while (p && (p = strstr (p, word)) != NULL)
    {
      if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
        return true;
      p += n;
    }
  return false;
}

static void
check_cgroup (doctor_check *c, const struct who *w)
{
  static const char *const wanted[] = { "cpu", "cpuset", "io", "memory", "pids" };
  static const char delegate[] = "delegate the controllers to users: /etc/systemd/system/user@.service.d/"
                                 "delegate.conf with [Service] Delegate=cpu cpuset io memory pids, then "
                                 "systemctl daemon-reload and log in again";
  enum cg_layout layout = cg_layout_detect ();
  const char *mnt = layout == CG_LAYOUT_V2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
  _cleanup_free_ char *own = NULL, *dir = NULL, *ctrl = NULL, *subtree = NULL, *missing = NULL;
  const char *name = layout == CG_LAYOUT_V2 ? "v2" : layout == CG_LAYOUT_HYBRID ? "hybrid (v1 + v2)" : "v1";
  size_t len = 0;
  bool writable;
  FILE *f;

  if (w->root)
    {
      verdict (c, DOCTOR_OK, NULL, "cgroup %s; root manages every cgroup", name);
      return;
    }
  if (layout == CG_LAYOUT_V1)
    {
      verdict (c, DOCTOR_WARN,
               xstrdup ("boot with systemd.unified_cgroup_hierarchy=1 (cgroup v2), then delegate controllers"),
               "cgroup v1 only: no cgroup can be delegated to you, so containers run without limits");
      return;
    }
  own = own_cgroup2 ();
  if (own == NULL)
    {
      verdict (c, DOCTOR_WARN, xstrdup (delegate), "cgroup %s: your cgroup v2 is unknown (/proc/self/cgroup)", name);
      return;
    }
  xasprintf (&dir, "%s%s", mnt, strcmp (own, "/") == 0 ? "" : own);
  ctrl = read_in (dir, "cgroup.controllers");
  subtree = read_in (dir, "cgroup.subtree_control");
  writable = access (dir, W_OK | X_OK) == 0;
  f = open_memstream (&missing, &len);
  if (f == NULL)
    abort ();
  for (size_t i = 0; i < ARRAY_SIZE (wanted); i++)
    if (!has_word (ctrl ? ctrl : "", wanted[i]))
      fprintf (f, "%s%s", ftell (f) ? " " : "", wanted[i]);
  fclose (f);
  if (!writable)
    verdict (c, DOCTOR_WARN, xstrdup (delegate),
             "cgroup %s: your cgroup %s is not delegated to you (not writable); controllers there: %s; "
             "containers run without limits",
             name, dir, ctrl && *ctrl ? ctrl : "none");
  else if (*missing)
    verdict (c, DOCTOR_WARN, xstrdup (delegate),
             "cgroup %s: %s is yours, with controllers `%s` (enabled for children: `%s`); missing: %s, whose "
             "limits are dropped",
             name, dir, ctrl ? ctrl : "", subtree ? subtree : "", missing);
  else
    verdict (c, DOCTOR_OK, NULL, "cgroup %s: %s is yours, with controllers `%s` (enabled for children: `%s`)", name,
             dir, ctrl, subtree ? subtree : "");
}

/* ---- systemd's user bus ---------------------------------------------------------------------- */

static int
connect_unix (const char *path, bool abstract)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  _cleanup_close_ int fd = -1;
  socklen_t len;
  size_t n = strlen (path);

  if (n >= sizeof sa.sun_path - 1)
    return -ENAMETOOLONG;
  memcpy (sa.sun_path + (abstract ? 1 : 0), path, n);
  len = (socklen_t) (offsetof (struct sockaddr_un, sun_path) + n + (abstract ? 1 : 0));
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -errno;
  if (connect (fd, (struct sockaddr *) &sa, len) < 0)
    return -errno;
  return 0;
}

static void
check_bus (doctor_check *c, const struct who *w)
{
  const char *addr = getenv ("DBUS_SESSION_BUS_ADDRESS"), *xdg = getenv ("XDG_RUNTIME_DIR");
  char *cand[3] = { NULL, NULL, NULL };
  bool abstract[3] = { false, false, false };
  _cleanup_free_ char *tried = NULL;
  size_t n = 0, len = 0;
  FILE *f;

  if (w->root)
    cand[n++] = xstrdup ("/run/dbus/system_bus_socket");
  else
    {
      /* Only the unix transports, the ones systemd offers.  */
      if (addr && (str_has_prefix (addr, "unix:path=") || str_has_prefix (addr, "unix:abstract=")))
        {
          abstract[n] = str_has_prefix (addr, "unix:abstract=");
          cand[n] = xstrdup (strchr (addr, '=') + 1);
          cand[n][strcspn (cand[n], ",")] = '\0';
          n++;
        }
      if (xdg && *xdg)
        cand[n++] = strf ("%s/bus", xdg);
      cand[n] = strf ("/run/user/%u/bus", (unsigned) w->uid);
      if (n > 0 && strcmp (cand[n - 1], cand[n]) == 0)
        free (cand[n]);
      else
        n++;
    }
  f = open_memstream (&tried, &len);
  if (f == NULL)
    abort ();
  for (size_t i = 0; i < n; i++)
    {
      int ret = connect_unix (cand[i], abstract[i]);
      if (ret == 0)
        {
          fclose (f);
          verdict (c, DOCTOR_OK, NULL, "connected to the %s bus at %s%s (--systemd-cgroup can work)",
                   w->root ? "system" : "user", abstract[i] ? "@" : "", cand[i]);
          goto out;
        }
      fprintf (f, "%s%s%s (%s)", i ? ", " : "", abstract[i] ? "@" : "", cand[i], strerror (-ret));
    }
  fclose (f);
  verdict (c, DOCTOR_WARN,
           w->root ? xstrdup ("start dbus (apt-get install dbus), or use the cgroupfs driver (no --systemd-cgroup)")
                   : strf ("install dbus-user-session and log in through systemd-logind (or `loginctl "
                           "enable-linger %s`); without a user bus, use the cgroupfs driver (no --systemd-cgroup)",
                           w->user),
           "no %s D-Bus: tried %s", w->root ? "system" : "user", tried);
out:
  for (size_t i = 0; i < n; i++)
    free (cand[i]);
}

/* ---- devices --------------------------------------------------------------------------------- */

static char *
device_remedy (const char *dev, const char *module, int code)
{
  if (code == ENOENT || code == ENODEV || code == ENXIO)
    return strf ("modprobe %s (in a VM or container: pass %s through)", module, dev);
  if (code == EACCES || code == EPERM)
    return strf ("chmod 0666 %s (a udev rule keeps it: KERNEL==\"%s\", MODE=\"0666\")", dev, strrchr (dev, '/') + 1);
  return strf ("check %s", dev);
}

static void
check_tun (doctor_check *c)
{
  int fd = open ("/dev/net/tun", O_RDWR | O_CLOEXEC);

  if (fd >= 0)
    {
      close (fd);
      verdict (c, DOCTOR_OK, NULL, "/dev/net/tun opens: user-mode networking (slirp) can work");
      return;
    }
  verdict (c, DOCTOR_WARN, device_remedy ("/dev/net/tun", "tun", errno),
           "open /dev/net/tun: %s: containers can have no network but none or the host's", strerror (errno));
}

/* fuse-overlayfs in $PATH, executable.  */
static char *
find_program (const char *name)
{
  _cleanup_free_ char *dirs = xstrdup (getenv ("PATH") ? getenv ("PATH") : "/usr/local/bin:/usr/bin:/bin");
  char *rest = dirs, *dir;

  while ((dir = strsep (&rest, ":")) != NULL)
    {
      char *cand;

      if (dir[0] != '/')
        continue;
      cand = strf ("%s/%s", dir, name);
      if (access (cand, X_OK) == 0)
        return cand;
      free (cand);
    }
  return NULL;
}

static void
check_fuse (doctor_check *c)
{
  _cleanup_free_ char *prog = find_program ("fuse-overlayfs");
  int fd = open ("/dev/fuse", O_RDWR | O_CLOEXEC), code = errno;

  if (fd >= 0)
    close (fd);
  if (fd < 0)
    verdict (c, DOCTOR_WARN, device_remedy ("/dev/fuse", "fuse", code),
             "open /dev/fuse: %s: no fuse-overlayfs where overlayfs cannot be mounted", strerror (code));
  else if (prog == NULL)
    verdict (c, DOCTOR_WARN, xstrdup ("apt-get install fuse-overlayfs"),
             "/dev/fuse opens but fuse-overlayfs is not in PATH: no fallback where overlayfs cannot be mounted");
  else
    verdict (c, DOCTOR_OK, NULL, "/dev/fuse opens and %s is there (the fallback for overlay mounts)", prog);
}

/* ---- overlay in a user namespace ------------------------------------------------------------------ */

/* rm -r of a tree we made (the overlay work directory is mode 0).  */
static void
remove_tree (int dirfd, const char *name)
{
  int fd = openat (dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  DIR *d;
  struct dirent *de;

  if (fd < 0 && errno == EACCES && fchmodat (dirfd, name, 0700, 0) == 0)
    fd = openat (dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      unlinkat (dirfd, name, 0);
      return;
    }
  d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return;
    }
  while ((de = readdir (d)) != NULL)
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (de->d_type == DT_DIR)
        remove_tree (fd, de->d_name);
      else
        unlinkat (fd, de->d_name, 0);
    }
  closedir (d);
  unlinkat (dirfd, name, AT_REMOVEDIR);
}

/* Overlay's needs depend on the upper layer's filesystem: name it.  */
static const char *
fs_name (const char *path)
{
  static const struct
  {
    long magic;
    const char *name;
  } known[] = {
    { 0xEF53, "ext4" }, { 0x01021994, "tmpfs" }, { 0x9123683E, "btrfs" }, { 0x58465342, "xfs" },
    { 0x794c7630, "overlayfs" }, { 0x65735546, "fuse" },
  };
  struct statfs sfs;

  if (statfs (path, &sfs) == 0)
    for (size_t i = 0; i < ARRAY_SIZE (known); i++)
      if ((long) sfs.f_type == known[i].magic)
        return known[i].name;
  return "another filesystem";
}

static void
check_overlay (doctor_check *c, const struct who *w)
{
  const char *tmp = getenv ("TMPDIR") && *getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp";
  _cleanup_free_ char *dir = strf ("%s/runc-doctor.XXXXXX", tmp);
  static const char *const sub[] = { "lower", "upper", "work", "merged" };
  struct ns_probe p = { .w = w };
  rt_error err = { 0 };
  const char *fstype;
  int ret = 0;

  if (mkdtemp (dir) == NULL)
    {
      verdict (c, DOCTOR_WARN, xstrdup ("set TMPDIR to a writable directory"), "cannot probe: mkdtemp in %s: %s", tmp,
               strerror (errno));
      return;
    }
  p.dir = dir;
  for (size_t i = 0; i < ARRAY_SIZE (sub) && ret == 0; i++)
    {
      _cleanup_free_ char *d = strf ("%s/%s", dir, sub[i]);
      ret = mkdir (d, 0755);
    }
  if (ret == 0)
    {
      _cleanup_free_ char *old = strf ("%s/lower/old", dir);
      ret = write_file_at (AT_FDCWD, old, "x", 1, 0644, &err);
    }
  fstype = fs_name (dir);
  if (ret < 0 && err.code == 0)
    rt_fail (&err, errno, "prepare the probe directories");
  if (ret == 0)
    ret = in_child (probe_overlay, &p, &err);
  {
    _cleanup_close_ int parent = open (tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (parent >= 0)
      remove_tree (parent, strrchr (dir, '/') + 1);
  }
  if (ret == 0)
    verdict (c, DOCTOR_OK, NULL,
             "mounted overlayfs (userxattr) in a user namespace on %s (%s), wrote and removed files in it", tmp,
             fstype);
  else
    verdict (c, DOCTOR_WARN,
             xstrdup ("overlayfs in a user namespace needs Linux 5.11 and a filesystem with user.* xattrs for "
                      "the upper layer; otherwise overlay mounts fall back to fuse-overlayfs (see the fuse check)"),
             "overlayfs in a user namespace on %s (%s): %s", tmp, fstype, err.msg);
}

/* ---- network sysctls --------------------------------------------------------------------------- */

static void
check_ports (doctor_check *c, const struct who *w)
{
  long start = sysctl_long ("net.ipv4.ip_unprivileged_port_start", -1);

  if (start < 0)
    verdict (c, DOCTOR_WARN, NULL, "net.ipv4.ip_unprivileged_port_start is not available: ports below 1024 need "
                                   "privilege");
  else if (w->root || start <= 80)
    verdict (c, DOCTOR_OK, NULL, "net.ipv4.ip_unprivileged_port_start=%ld: %s", start,
             w->root ? "root binds any port" : "you can forward host ports 80 and up into a container");
  else
    verdict (c, DOCTOR_WARN,
             xstrdup ("sysctl -w net.ipv4.ip_unprivileged_port_start=80 (and set it in /etc/sysctl.d/) to "
                      "publish ports 80 and 443"),
             "net.ipv4.ip_unprivileged_port_start=%ld: host ports below %ld cannot be forwarded into a container "
             "(inside its own network namespace any port can be bound)",
             start, start);
}

static void
check_ping (doctor_check *c, const struct who *w)
{
  _cleanup_free_ char *range = sysctl_read ("net.ipv4.ping_group_range");
  gid_t groups[256];
  long lo, hi;
  int n;

  if (range == NULL || sscanf (range, "%ld %ld", &lo, &hi) != 2)
    {
      verdict (c, DOCTOR_WARN, NULL, "net.ipv4.ping_group_range is not available");
      return;
    }
  if (w->root)
    {
      verdict (c, DOCTOR_OK, NULL, "net.ipv4.ping_group_range=%ld %ld; root pings with raw sockets", lo, hi);
      return;
    }
  n = getgroups (ARRAY_SIZE (groups) - 1, groups);
  if (n < 0)
    n = 0;
  groups[n++] = w->gid;
  for (int i = 0; i < n; i++)
    if ((long) groups[i] >= lo && (long) groups[i] <= hi)
      {
        verdict (c, DOCTOR_OK, NULL, "net.ipv4.ping_group_range=%ld %ld allows your gid %u ICMP echo sockets", lo,
                 hi, (unsigned) groups[i]);
        return;
      }
  verdict (c, DOCTOR_WARN,
           xstrdup ("sysctl -w net.ipv4.ping_group_range=\"0 2147483647\" on the host; in a container's own "
                    "network namespace set it with linux.sysctl, for the container's mapped gids"),
           "net.ipv4.ping_group_range=%ld %ld excludes your gids: ping without privilege is refused%s", lo, hi,
           lo > hi ? " (the range is empty)" : "");
}

/* ---- checkpointing ---------------------------------------------------------------------------------- */

/* Run `criu check`, its output (stdout and stderr) into *out.  Returns
 * its exit status, or -errno when it could not be run.  */
static int
run_criu_check (const char *criu, char **out)
{
  int pipefd[2], status = 0, null;
  size_t len = 0, cap = 4096;
  char *buf = xmalloc (cap);
  struct timespec t0, now;
  pid_t pid;

  *out = NULL;
  null = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (pipe2 (pipefd, O_CLOEXEC) < 0 || null < 0)
    {
      free (buf);
      if (null >= 0)
        close (null);
      return -errno;
    }
  pid = fork ();
  if (pid == 0)
    {
      char *argv[] = { (char *) criu, (char *) "check", NULL };
      if (dup2 (null, 0) < 0 || dup2 (pipefd[1], 1) < 0 || dup2 (pipefd[1], 2) < 0)
        _exit (126);
      execvp (criu, argv);
      _exit (errno == ENOENT ? 127 : 126);
    }
  close (null);
  close (pipefd[1]);
  if (pid < 0)
    {
      close (pipefd[0]);
      free (buf);
      return -errno;
    }
  clock_gettime (CLOCK_MONOTONIC, &t0);
  for (;;)
    {
      struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
      long waited;
      ssize_t n;

      clock_gettime (CLOCK_MONOTONIC, &now);
      waited = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
      if (waited >= CRIU_TIMEOUT_MS || poll (&p, 1, (int) (CRIU_TIMEOUT_MS - waited)) == 0)
        {
          kill (pid, SIGKILL);
          break;
        }
      if (len + 1 >= cap && cap < CRIU_OUTPUT_MAX)
        buf = xrealloc (buf, cap *= 2);
      if (len + 1 >= cap)
        {
          char sink[4096];
          n = read (pipefd[0], sink, sizeof sink);
        }
      else
        n = read (pipefd[0], buf + len, cap - len - 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      if (len + 1 < cap)
        len += (size_t) n;
    }
  close (pipefd[0]);
  buf[len] = '\0';
  *out = buf;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFSIGNALED (status))
    return -ETIMEDOUT;
  if (WEXITSTATUS (status) == 127 && len == 0)
    return -ENOENT;
  return WEXITSTATUS (status);
}

/* The line that says most: the first "Error" one, else the last one.  */
static char *
criu_summary (char *out)
{
  char *line, *save = NULL, *last = NULL;

  for (line = strtok_r (out, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      if (str_has_prefix (line, "Error"))
        return xstrdup (line);
      if (*line)
        last = line;
    }
  return xstrdup (last ? last : "no output");
}

static void
check_criu (doctor_check *c, const struct who *w, const char *criu)
{
  _cleanup_free_ char *out = NULL, *summary = NULL;
  int ret;

  criu = criu && *criu ? criu : "criu";
  ret = run_criu_check (criu, &out);
  summary = out ? criu_summary (out) : NULL;
  if (ret == 0)
    verdict (c, DOCTOR_OK, NULL, "`%s check`: %s", criu, summary ? summary : "ok");
  else if (ret == -ENOENT)
    verdict (c, DOCTOR_WARN, xstrdup ("apt-get install criu (checkpoint and restore need it)"),
             "%s not found: checkpoint and restore are unavailable", criu);
  else if (ret == -ETIMEDOUT)
    verdict (c, DOCTOR_WARN, xstrdup ("run `criu check` by hand to see where it stops"),
             "`%s check` did not finish in %d s", criu, CRIU_TIMEOUT_MS / 1000);
  else if (ret < 0)
    verdict (c, DOCTOR_WARN, NULL, "cannot run `%s check`: %s", criu, strerror (-ret));
  else
    verdict (c, DOCTOR_WARN,
             xstrdup (w->root ? "install a criu release that supports this kernel"
                              : "checkpointing a rootless container needs a criu with CAP_CHECKPOINT_RESTORE "
                                "(setcap cap_checkpoint_restore+eip $(command -v criu)) that supports this "
                                "kernel"),
             "`%s check` failed (exit status %d): %s", criu, ret, summary ? summary : "");
}

/* ---- the report ---------------------------------------------------------------------------------- */

static void
who_am_i (struct who *w)
{
  struct passwd pw, *res = NULL;
  char buf[4096];

  w->uid = geteuid ();
  w->gid = getegid ();
  w->root = w->uid == 0 && in_initial_userns ();
  if (getpwuid_r (w->uid, &pw, buf, sizeof buf, &res) == 0 && res != NULL)
    w->user = xstrdup (res->pw_name);
  else
    w->user = strf ("uid %u", (unsigned) w->uid);
}

void
doctor_run (const doctor_opts *o, doctor_report *out)
{
  static const struct
  {
    const char *name;
    bool required;
  } table[] = {
    { "userns", true },     { "subuid", true },  { "subgid", true },      { "newuidmap", true },
    { "newgidmap", true },  { "state-root", true }, { "cgroup", false },  { "systemd-bus", false },
    { "tun", false },       { "fuse", false },   { "overlay", false },    { "ports", false },
    { "ping", false },      { "criu", false },
  };
  struct who w;
  doctor_check *c;

  who_am_i (&w);
  out->n = ARRAY_SIZE (table);
  out->checks = c = xzalloc (out->n * sizeof *c);
  for (size_t i = 0; i < out->n; i++)
    {
      c[i].name = table[i].name;
      c[i].required = table[i].required;
    }
  check_userns (&c[0], &w);
  check_subids (&c[1], &w, false);
  check_subids (&c[2], &w, true);
  check_idmap_helper (&c[3], &w, "newuidmap");
  check_idmap_helper (&c[4], &w, "newgidmap");
  check_state_root (&c[5], &w, o->root_opt);
  check_cgroup (&c[6], &w);
  check_bus (&c[7], &w);
  check_tun (&c[8]);
  check_fuse (&c[9]);
  check_overlay (&c[10], &w);
  check_ports (&c[11], &w);
  check_ping (&c[12], &w);
  check_criu (&c[13], &w, o->criu);
  free (w.user);
}

void
doctor_report_free (doctor_report *r)
{
  for (size_t i = 0; i < r->n; i++)
    {
      free (r->checks[i].detail);
      free (r->checks[i].remedy);
    }
  free (r->checks);
  r->checks = NULL;
  r->n = 0;
}

bool
doctor_report_failed (const doctor_report *r)
{
  for (size_t i = 0; i < r->n; i++)
    if (r->checks[i].required && r->checks[i].status == DOCTOR_FAIL)
      return true;
  return false;
}
