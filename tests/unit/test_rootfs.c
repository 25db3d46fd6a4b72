/* rootfs_prepare / rootfs_pivot / rootfs_finalize for real, as root, each
 * scenario in a forked child with its own mount namespace (and, for one,
 * a user namespace).  The child checks what it sees and reports each
 * result over a pipe; the parent turns them into TAP.  Nothing here
 * touches the host's mounts: the child's namespace is private, and "/" is
 * made rslave in it before anything is mounted.  */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "pathres.h"
#include "rootfs.h"
#include "rootfs_priv.h"
#include "tap.h"
#include "util.h"

#define USERNS_BASE 100000

static char base[64];
static bool host_kcore;

/* ---- reporting from the child ------------------------------------------ */

static int report_fd = -1;

static void __attribute__ ((format (printf, 2, 3)))
check (int cond, const char *fmt, ...)
{
  char buf[1100];
  va_list ap;
  int n;

  buf[0] = cond ? '1' : '0';
  buf[1] = ' ';
  va_start (ap, fmt);
  n = vsnprintf (buf + 2, sizeof buf - 3, fmt, ap);
  va_end (ap);
  if (n < 0)
    n = 0;
  if ((size_t) n > sizeof buf - 4)
    n = sizeof buf - 4;
  for (int i = 2; i < n + 2; i++)
    if (buf[i] == '\n')
      buf[i] = ' ';
  buf[n + 2] = '\n';
  if (write (report_fd, buf, n + 3) < 0)
    _exit (120);
}

#define CHECK(cond, ...) check (!!(cond), __VA_ARGS__)

/* ---- building specs in C --------------------------------------------------- */

typedef struct test_spec
{
  spec s;
  spec_root root;
  spec_linux linux_;
  spec_mount mounts[32];
  spec_namespace ns[4];
  spec_device devs[4];
  char *masked[8];
  char *ro[8];
  char rootfs[128];
} test_spec;

static char **
split_opts (const char *opts, size_t *n)
{
  char **v = xzalloc (16 * sizeof *v), *copy = xstrdup (opts ? opts : ""), *save = NULL;

  *n = 0;
  for (char *o = strtok_r (copy, ",", &save); o && *n < 16; o = strtok_r (NULL, ",", &save))
    v[(*n)++] = xstrdup (o);
  free (copy);
  return v;
}

static void
add_mount (test_spec *t, const char *dest, const char *type, const char *src, const char *opts)
{
  spec_mount *m = &t->mounts[t->s.n_mounts++];

  m->destination = (char *) dest;
  m->type = (char *) type;
  m->source = (char *) src;
  m->options = split_opts (opts, &m->n_options);
}

static void
init_spec (test_spec *t, rootfs_config *c, const char *name)
{
  memset (t, 0, sizeof *t);
  memset (c, 0, sizeof *c);
  snprintf (t->rootfs, sizeof t->rootfs, "%s/%s", base, name);
  t->s.root = &t->root;
  t->s.linux_ = &t->linux_;
  t->s.mounts = t->mounts;
  t->linux_.namespaces = t->ns;
  t->linux_.devices = t->devs;
  t->linux_.masked_paths = t->masked;
  t->linux_.readonly_paths = t->ro;
  t->ns[t->linux_.n_namespaces++].type = SPEC_NS_MOUNT;
  c->spec = &t->s;
  c->rootfs = t->rootfs;
  c->console_fd = -1;
}

/* The mounts of `runc spec`.  */
static void
add_default_mounts (test_spec *t, bool userns)
{
  add_mount (t, "/proc", "proc", "proc", NULL);
  add_mount (t, "/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k");
  add_mount (t, "/dev/pts", "devpts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5");
  add_mount (t, "/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=65536k");
  if (!userns)
    add_mount (t, "/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev");
  add_mount (t, "/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro");
  add_mount (t, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro");
}

/* ---- files --------------------------------------------------------------------- */

static void
put_file (const char *dir, const char *rel, const char *content, mode_t mode)
{
  char path[512];
  int fd;

  snprintf (path, sizeof path, "%s/%s", dir, rel);
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0 || write (fd, content, strlen (content)) < 0)
    abort ();
  fchmod (fd, mode);
  close (fd);
}

static void
mk (const char *dir, const char *rel, mode_t mode)
{
  char path[512];

  snprintf (path, sizeof path, "%s/%s", dir, rel);
  if (mkdir (path, mode) < 0 && errno != EEXIST)
    abort ();
  chmod (path, mode);
}

static void
ln (const char *target, const char *dir, const char *rel)
{
  char path[512];

  snprintf (path, sizeof path, "%s/%s", dir, rel);
  if (symlink (target, path) < 0)
    abort ();
}

static void
copy_file (const char *from, const char *to)
{
  char buf[65536];
  int in = open (from, O_RDONLY | O_CLOEXEC), out = open (to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  ssize_t n;

  if (in < 0 || out < 0)
    abort ();
  while ((n = read (in, buf, sizeof buf)) > 0)
    if (write (out, buf, n) != n)
      abort ();
  close (in);
  close (out);
}

static void
chown_tree (const char *path, uid_t uid)
{
  char cmd[600];

  snprintf (cmd, sizeof cmd, "chown -hR %u:%u '%s'", uid, uid, path);
  if (system (cmd) != 0)
    abort ();
}

/* A small image with busybox and a few hostile entries.  */
static void
make_rootfs (const char *r, uid_t owner)
{
  char path[512];

  mk (r, "", 0755);
  for (const char *const *d = (const char *const[]){ "bin", "etc", "proc", "sys", "dev", "tmp", "data", "data/sub",
                                                      "secret", "secretdir", "rodir", "run", "mnt", NULL };
       *d; d++)
    mk (r, *d, 0755);
  snprintf (path, sizeof path, "%s/bin/busybox", r);
  copy_file ("/bin/busybox", path);
  put_file (r, "etc/hostname", "container\n", 0644);
  put_file (r, "etc/passwd", "root:x:0:0:root:/:/bin/sh\n", 0644);
  put_file (r, "data/a.txt", "alpha", 0640);
  put_file (r, "data/sub/b.txt", "beta", 0600);
  put_file (r, "data/owned.txt", "owned", 0644);
  snprintf (path, sizeof path, "%s/data/owned.txt", r);
  if (chown (path, 4321, 8765) < 0)
    abort ();
  snprintf (path, sizeof path, "%s/data/pipe", r);
  if (mkfifo (path, 0620) < 0 || chmod (path, 0620) < 0)
    abort ();
  ln ("a.txt", r, "data/link");
  mk (r, "data/sub", 0710);
  put_file (r, "secret/file.txt", "top secret", 0644);
  put_file (r, "secret/file2.txt", "second secret", 0644);
  put_file (r, "secretdir/x", "hidden", 0644);
  put_file (r, "victim", "victim", 0644);
  ln ("/etc", r, "hostetc");         /* a destination that is an absolute symlink to /etc */
  ln ("../../../..", r, "up");       /* a parent that climbs out */
  ln ("/secret/file2.txt", r, "masklink2");
  if (owner)
    chown_tree (r, owner);
}

/* ---- helpers used in the child -------------------------------------------------- */

static const char *
slurp (const char *path)
{
  static char buf[4096];
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  if (fd < 0)
    return NULL;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  buf[n > 0 ? n : 0] = '\0';
  return buf;
}

/* Can `path` be written (created in, for a directory)?  Returns 0 or
 * errno.  */
static int
write_errno (const char *path)
{
  struct stat st;
  int fd;

  if (stat (path, &st) < 0)
    return errno;
  if (S_ISDIR (st.st_mode))
    {
      char p[512];
      snprintf (p, sizeof p, "%s/.probe", path);
      fd = open (p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd >= 0)
        unlink (p);
    }
  else
    fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  close (fd);
  return 0;
}

/* The mountinfo line of mount point `mp`, last one wins (the top).  */
static bool
find_mount (const char *mp, char *fstype, size_t len, char *opts, size_t olen)
{
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  char line[2048];
  bool found = false;

  if (f == NULL)
    return false;
  while (fgets (line, sizeof line, f))
    {
      char m[512], o[512], fs[64];
      const char *sep = strstr (line, " - ");

      if (sep == NULL || sscanf (line, "%*d %*d %*s %*s %511s %511s", m, o) != 2)
        continue;
      if (strcmp (m, mp) != 0 || sscanf (sep + 3, "%63s", fs) != 1)
        continue;
      found = true;
      snprintf (fstype, len, "%s", fs);
      snprintf (opts, olen, "%s", o);
    }
  fclose (f);
  return found;
}

static bool
mounted_as (const char *mp, const char *type)
{
  char fs[64], opts[512];
  return find_mount (mp, fs, sizeof fs, opts, sizeof opts) && strcmp (fs, type) == 0;
}

static bool
is_device (const char *path, mode_t type, unsigned int maj, unsigned int min)
{
  struct stat st;
  return stat (path, &st) == 0 && (st.st_mode & S_IFMT) == type && st.st_rdev == makedev (maj, min);
}

static bool
link_is (const char *path, const char *target)
{
  char buf[256];
  ssize_t n = readlink (path, buf, sizeof buf - 1);

  if (n < 0)
    return false;
  buf[n] = '\0';
  return strcmp (buf, target) == 0;
}

static bool
readonly_mount (const char *path)
{
  struct statvfs sv;
  return statvfs (path, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

static int
count_fds (void)
{
  int n = 0;
  for (int fd = 0; fd < 1024; fd++)
    if (fcntl (fd, F_GETFD) >= 0)
      n++;
  return n;
}

/* Mount ids present now, to tell which mounts rootfs_prepare added.  */
static int
mount_ids (int *ids, int max)
{
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  char line[2048];
  int n = 0;

  while (f && fgets (line, sizeof line, f) && n < max)
    ids[n++] = atoi (line);
  if (f)
    fclose (f);
  return n;
}

/* Every mount rootfs_prepare made is at or below the rootfs.  */
static void
check_new_mounts_inside (const char *rootfs, const int *before, int n_before)
{
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  char line[2048];
  size_t rl = strlen (rootfs);
  int outside = 0, added = 0;
  char where[512] = "";

  while (f && fgets (line, sizeof line, f))
    {
      int id = atoi (line);
      char mp[512];
      bool old = false;

      for (int i = 0; i < n_before; i++)
        old = old || before[i] == id;
      if (old || sscanf (line, "%*d %*d %*s %*s %511s", mp) != 1)
        continue;
      added++;
      if (strncmp (mp, rootfs, rl) != 0 || (mp[rl] != '/' && mp[rl] != '\0'))
        {
          outside++;
          snprintf (where, sizeof where, "%s", mp);
        }
    }
  if (f)
    fclose (f);
  CHECK (added > 0 && outside == 0, "all %d mounts made by rootfs_prepare are inside the rootfs%s%s", added,
         outside ? "; outside: " : "", where);
}

/* ---- the scenarios ------------------------------------------------------------------- */

enum
{
  SC_USERNS = 1,       /* run in a user namespace mapped to USERNS_BASE */
  SC_LEGACY = 2,       /* mount(2) and the userspace path walk only */
  SC_NO_PIVOT = 4,
  SC_CGROUPNS = 8,     /* private cgroup namespace */
  SC_NOMNTNS = 16,     /* no mount namespace in the config */
  SC_NOPIDNS = 32,     /* with SC_USERNS: no PID namespace of its own */
  SC_IDMAP = 64,       /* with SC_USERNS: the parent makes the idmapped trees */
};

typedef struct scenario
{
  const char *name;
  int flags;
  void (*build) (test_spec *t, rootfs_config *c);
  void (*before) (rootfs_config *c);            /* child, after unshare */
  void (*between) (rootfs_config *c);           /* child, after pivot */
  void (*verify) (const rootfs_config *c, int ret, const rt_error *err); /* child, after finalize */
  const char *prepare_error; /* rootfs_prepare must fail with this in its message */
} scenario;

/* -- full: the runc default mounts plus every kind of mount -- */

static char hostdata[128], hostfile[128], hostrec[128];

static void
build_full (test_spec *t, rootfs_config *c)
{
  bool legacy = false;

  (void) legacy;
  add_default_mounts (t, false);
  add_mount (t, "/data", "tmpfs", "tmpfs", "tmpcopyup,nosuid");
  add_mount (t, "/mnt/bindro", "bind", hostdata, "rbind,ro");
  add_mount (t, "/mnt/hostfile", "none", hostfile, "bind,ro");
  add_mount (t, "/mnt/rec", "bind", hostrec, "rbind,ro");
  add_mount (t, "/mnt/recrw", "bind", hostrec, "rbind,rw,nosuid");
  add_mount (t, "/run", "tmpfs", "tmpfs", "ro,mode=755");
  add_mount (t, "/run/inner", "tmpfs", "tmpfs", "size=1m");
  add_mount (t, "/rodir/inner", "tmpfs", "tmpfs", NULL);
  /* Hostile destinations: an absolute symlink to /etc, a climbing parent,
     and a plain climb.  All must land inside the rootfs.  */
  add_mount (t, "/hostetc", "tmpfs", "tmpfs", "size=1m");
  add_mount (t, "/up/escaped", "tmpfs", "tmpfs", "size=1m");
  add_mount (t, "/../../../../climbed", "tmpfs", "tmpfs", "size=1m");
  t->devs[t->linux_.n_devices++] = (spec_device){ .path = (char *) "/dev/mydev", .type = (char *) "c", .major = 1,
                                                  .minor = 7, .has_file_mode = true, .file_mode = 0640,
                                                  .has_uid = true, .uid = 1234, .has_gid = true, .gid = 5678 };
  t->devs[t->linux_.n_devices++] = (spec_device){ .path = (char *) "/dev/sub/fifo", .type = (char *) "p" };
  t->masked[t->linux_.n_masked_paths++] = (char *) "/proc/kcore";
  t->masked[t->linux_.n_masked_paths++] = (char *) "/proc/keys";
  t->masked[t->linux_.n_masked_paths++] = (char *) "/secret/file.txt";
  t->masked[t->linux_.n_masked_paths++] = (char *) "/secretdir";
  t->masked[t->linux_.n_masked_paths++] = (char *) "/masklink2";
  t->masked[t->linux_.n_masked_paths++] = (char *) "/does/not/exist";
  t->ro[t->linux_.n_readonly_paths++] = (char *) "/proc/sys";
  t->ro[t->linux_.n_readonly_paths++] = (char *) "/proc/sysrq-trigger";
  t->ro[t->linux_.n_readonly_paths++] = (char *) "/rodir";
  t->ro[t->linux_.n_readonly_paths++] = (char *) "/does/not/exist";
  t->root.readonly = true;
  (void) c;
}

static void
build_full_rro (test_spec *t, rootfs_config *c)
{
  build_full (t, c);
  add_mount (t, "/mnt/rrec", "bind", hostrec, "rbind,rro");
}

/* A tmpfs on a sub-directory of the host source: the source has a
   submount, so "rbind,ro" and "rbind,rro" differ.  */
static void
before_full (rootfs_config *c)
{
  char sub[256];

  (void) c;
  snprintf (sub, sizeof sub, "%s/sub", hostrec);
  if (mount ("tmpfs", sub, "tmpfs", 0, "size=1m") < 0)
    CHECK (0, "set up a submount in the host source: %s", strerror (errno));
}

static int console_slave = -1, console_master = -1;

static void
between_console (rootfs_config *c)
{
  int master = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  int unlock = 0;

  CHECK (master >= 0, "open /dev/ptmx in the container: %s", master < 0 ? strerror (errno) : "ok");
  if (master < 0)
    return;
  ioctl (master, TIOCSPTLCK, &unlock);
  console_slave = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  CHECK (console_slave >= 0, "open the pty peer");
  /* The master stays open: closing it would delete the pty.  */
  console_master = master;
  c->console_fd = console_slave;
}

static void
verify_full (const rootfs_config *c, int ret, const rt_error *err)
{
  struct statfs sfs;
  struct stat st;
  const char *s;

  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (mounted_as ("/proc", "proc"), "/proc is procfs");
  CHECK (mounted_as ("/dev", "tmpfs"), "/dev is a tmpfs");
  CHECK (mounted_as ("/dev/pts", "devpts"), "/dev/pts is devpts");
  CHECK (mounted_as ("/dev/shm", "tmpfs"), "/dev/shm is a tmpfs");
  CHECK (mounted_as ("/dev/mqueue", "mqueue"), "/dev/mqueue is mqueue");
  CHECK (mounted_as ("/sys", "sysfs") && readonly_mount ("/sys"), "/sys is sysfs, read-only");
  CHECK (write_errno ("/sys/fs/cgroup") == EROFS, "the cgroup tree is read-only");
  CHECK (stat ("/sys/fs/cgroup/memory/memory.limit_in_bytes", &st) == 0, "the host's memory hierarchy is visible");
  CHECK (access ("/bin/busybox", X_OK) == 0, "the image's /bin/busybox");

  /* Devices and links.  */
  CHECK (is_device ("/dev/null", S_IFCHR, 1, 3), "/dev/null is c 1:3");
  CHECK (is_device ("/dev/zero", S_IFCHR, 1, 5), "/dev/zero is c 1:5");
  CHECK (is_device ("/dev/full", S_IFCHR, 1, 7), "/dev/full is c 1:7");
  CHECK (is_device ("/dev/random", S_IFCHR, 1, 8), "/dev/random is c 1:8");
  CHECK (is_device ("/dev/urandom", S_IFCHR, 1, 9), "/dev/urandom is c 1:9");
  CHECK (is_device ("/dev/tty", S_IFCHR, 5, 0), "/dev/tty is c 5:0");
  CHECK (stat ("/dev/null", &st) == 0 && (st.st_mode & 07777) == 0666, "/dev/null mode 0666");
  CHECK (stat ("/dev/mydev", &st) == 0 && S_ISCHR (st.st_mode) && st.st_rdev == makedev (1, 7)
             && (st.st_mode & 07777) == 0640 && st.st_uid == 1234 && st.st_gid == 5678,
         "linux.devices entry: c 1:7, mode 0640, owner 1234:5678");
  CHECK (stat ("/dev/sub/fifo", &st) == 0 && S_ISFIFO (st.st_mode), "a fifo device, parent created");
  CHECK (link_is ("/dev/fd", "/proc/self/fd"), "/dev/fd -> /proc/self/fd");
  CHECK (link_is ("/dev/stdin", "/proc/self/fd/0"), "/dev/stdin");
  CHECK (link_is ("/dev/stdout", "/proc/self/fd/1"), "/dev/stdout");
  CHECK (link_is ("/dev/stderr", "/proc/self/fd/2"), "/dev/stderr");
  CHECK (link_is ("/dev/ptmx", "pts/ptmx"), "/dev/ptmx -> pts/ptmx");
  CHECK ((lstat ("/dev/core", &st) == 0) == host_kcore, "/dev/core exists only if the host has /proc/kcore");
  if (console_slave >= 0)
    {
      struct stat pty;
      fstat (console_slave, &pty);
      CHECK (stat ("/dev/console", &st) == 0 && S_ISCHR (st.st_mode) && st.st_rdev == pty.st_rdev,
             "/dev/console is the console pty");
      close (console_slave);
      close (console_master);
      console_slave = console_master = -1;
    }

  /* Masks and read-only paths.  */
  s = slurp ("/secret/file.txt");
  CHECK (s && *s == '\0', "masked file reads empty");
  s = slurp ("/secret/file2.txt");
  CHECK (s && *s == '\0', "a masked symlink masks its target inside the root");
  CHECK (access ("/secretdir/x", F_OK) < 0 && write_errno ("/secretdir") == EROFS,
         "masked directory is empty and read-only");
  s = slurp ("/proc/keys");
  CHECK (s == NULL || *s == '\0', "/proc/keys masked");
  CHECK (access ("/proc/sysrq-trigger", F_OK) < 0 || write_errno ("/proc/sysrq-trigger") == EROFS,
         "/proc/sysrq-trigger is read-only (if the kernel has it)");
  CHECK (write_errno ("/proc/sys/kernel/hostname") == EROFS, "/proc/sys is read-only");
  CHECK (write_errno ("/rodir") == EROFS, "readonlyPaths: the path is read-only");
  if (rootfs_legacy_mount ())
    CHECK (write_errno ("/rodir/inner") == 0, "without mount_setattr, readonlyPaths is for the top mount (as runc)");
  else
    CHECK (write_errno ("/rodir/inner") == EROFS, "readonlyPaths is recursive: a mount below it is read-only");

  /* The root and the other read-only mounts.  */
  CHECK (write_errno ("/") == EROFS, "root.readonly: / is read-only");
  CHECK (write_errno ("/tmp") == EROFS, "... and so is an ordinary directory of it");
  CHECK (write_errno ("/dev") == 0, "/dev stays writable");
  CHECK (write_errno ("/run") == EROFS, "a ro tmpfs is read-only after finalize");
  CHECK (mounted_as ("/run/inner", "tmpfs") && write_errno ("/run/inner") == 0,
         "a mount point could still be made in it during prepare");

  /* tmpfs with tmpcopyup.  */
  CHECK (statfs ("/data", &sfs) == 0 && sfs.f_type == TMPFS_MAGIC, "/data is a tmpfs");
  s = slurp ("/data/a.txt");
  CHECK (s && strcmp (s, "alpha") == 0, "tmpcopyup copied a file");
  CHECK (stat ("/data/a.txt", &st) == 0 && (st.st_mode & 07777) == 0640, "... with its mode");
  s = slurp ("/data/sub/b.txt");
  CHECK (s && strcmp (s, "beta") == 0, "tmpcopyup copied a subdirectory");
  CHECK (stat ("/data/sub", &st) == 0 && (st.st_mode & 07777) == 0710, "... with its mode");
  CHECK (link_is ("/data/link", "a.txt"), "tmpcopyup copied a symlink as a symlink");
  CHECK (stat ("/data/owned.txt", &st) == 0 && st.st_uid == 4321 && st.st_gid == 8765, "tmpcopyup kept the owner");
  CHECK (lstat ("/data/pipe", &st) == 0 && S_ISFIFO (st.st_mode) && (st.st_mode & 07777) == 0620,
         "tmpcopyup copied a fifo with its mode");
  CHECK (write_errno ("/data") == 0, "/data is writable");

  /* Bind mounts.  */
  s = slurp ("/mnt/bindro/f.txt");
  CHECK (s && strcmp (s, "hostdata") == 0 && write_errno ("/mnt/bindro") == EROFS, "rbind,ro of a directory");
  s = slurp ("/mnt/hostfile");
  CHECK (s && strcmp (s, "hostfile") == 0 && write_errno ("/mnt/hostfile") == EROFS,
         "bind,ro of a file onto a created file target");
  if (rootfs_legacy_mount ())
    CHECK (write_errno ("/mnt/rec") == EROFS && write_errno ("/mnt/rec/sub") == 0,
           "rbind,ro without mount_setattr: only the top mount is read-only (as runc)");
  else
    CHECK (write_errno ("/mnt/rec") == EROFS && write_errno ("/mnt/rec/sub") == EROFS,
           "rbind,ro: the submount is read-only too");
  CHECK (write_errno ("/mnt/recrw/sub") == 0, "rbind with rw: a writable submount stays writable");
  if (access ("/mnt/rrec", F_OK) == 0)
    CHECK (write_errno ("/mnt/rrec") == EROFS && write_errno ("/mnt/rrec/sub") == EROFS,
           "rbind,rro: the submount is read-only too");

  /* Hostile destinations stayed inside.  */
  CHECK (mounted_as ("/etc", "tmpfs") && access ("/etc/passwd", F_OK) < 0,
         "the mount on /hostetc (-> /etc) covers the image's /etc");
  CHECK (mounted_as ("/escaped", "tmpfs"), "/up/escaped landed on /escaped");
  CHECK (mounted_as ("/climbed", "tmpfs"), "/../../../../climbed landed on /climbed");

  /* The image works: busybox runs in it.  */
  {
    pid_t pid = fork ();
    int status = -1;
    if (pid == 0)
      {
        execl ("/bin/busybox", "busybox", "sh", "-c",
               "test -c /dev/null && test -L /dev/fd && test \"$(cat /mnt/hostfile)\" = hostfile", (char *) NULL);
        _exit (127);
      }
    waitpid (pid, &status, 0);
    CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0, "busybox runs in the container and sees its files");
  }
  (void) c;
}

/* -- attacks -- */

static void
build_minimal (test_spec *t, rootfs_config *c)
{
  add_mount (t, "/proc", "proc", "proc", NULL);
  add_mount (t, "/dev", "tmpfs", "tmpfs", "nosuid,mode=755");
  (void) c;
}

static void
build_devnull_attack (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  t->masked[t->linux_.n_masked_paths++] = (char *) "/secret/file.txt";
}

/* The image (or a hook) swaps /dev/null for a symlink to a file it wants
   to expose at the masked path (CVE-2025-31133).  */
static void
between_devnull_attack (rootfs_config *c)
{
  (void) c;
  CHECK (unlink ("/dev/null") == 0 && symlink ("/victim", "/dev/null") == 0, "replace /dev/null by a symlink");
}

static void
verify_devnull_attack (const rootfs_config *c, int ret, const rt_error *err)
{
  const char *s;

  (void) c;
  CHECK (ret < 0, "rootfs_finalize refuses a /dev/null that is not the null device");
  CHECK (strstr (err->msg, "/dev/null") != NULL, "... naming it: %s", err->msg);
  s = slurp ("/secret/file.txt");
  CHECK (s && strcmp (s, "top secret") == 0, "the masked path was not bound to the symlink's target");
}

static void
between_devnull_file (rootfs_config *c)
{
  (void) c;
  CHECK (unlink ("/dev/null") == 0 && mknod ("/dev/null", S_IFREG | 0666, 0) == 0,
         "replace /dev/null by a regular file");
}

static int held_fd = -1;

static void
build_masklink_attack (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  t->masked[t->linux_.n_masked_paths++] = (char *) "/masklink";
}

/* The masked path is a symlink through a magic link to something the
   init holds open: following it would mask an arbitrary object.  */
static void
between_masklink_attack (rootfs_config *c)
{
  char target[64];

  (void) c;
  held_fd = open ("/victim", O_PATH | O_CLOEXEC);
  snprintf (target, sizeof target, "/proc/self/fd/%d", held_fd);
  CHECK (held_fd >= 0 && symlink (target, "/masklink") == 0, "make /masklink -> %s", target);
}

static void
verify_masklink_attack (const rootfs_config *c, int ret, const rt_error *err)
{
  const char *s;

  (void) c;
  CHECK (ret < 0 && strstr (err->msg, "/masklink"), "a masked path through a magic link is refused: %s", err->msg);
  s = slurp ("/victim");
  CHECK (s && strcmp (s, "victim") == 0, "the magic link's target was not masked");
  close (held_fd);
}

static void
build_proc_attack (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  add_mount (t, "/proc/sys/kernel", "tmpfs", "tmpfs", NULL);
}

static void
build_proc_allowed (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  add_mount (t, "/proc/uptime", "bind", hostfile, "bind,ro");
}

/* A bind of a procfs may go on /proc (runc allows it too).  */
static void
build_proc_bind (test_spec *t, rootfs_config *c)
{
  add_mount (t, "/proc", "bind", "/proc", "rbind");
  add_mount (t, "/dev", "tmpfs", "tmpfs", "nosuid,mode=755");
  (void) c;
}

static void
build_tmpfs_on_proc (test_spec *t, rootfs_config *c)
{
  add_mount (t, "/proc", "tmpfs", "tmpfs", NULL);
  (void) c;
}

static void
build_proc_symlink (test_spec *t, rootfs_config *c)
{
  add_mount (t, "/hostetc", "proc", "proc", NULL);
  (void) c;
}

/* -- cgroup layouts -- */

static void
build_cgroup (test_spec *t, rootfs_config *c)
{
  add_mount (t, "/proc", "proc", "proc", NULL);
  add_mount (t, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro");
  (void) c;
}

static char own_memcg[256];

static void
build_cgroup_own (test_spec *t, rootfs_config *c)
{
  build_cgroup (t, c);
  c->cgroup_rel_path = own_memcg;
}

static void
verify_cgroup_ns (const rootfs_config *c, int ret, const rt_error *err)
{
  struct statfs sfs;
  struct stat st;

  (void) c;
  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (mounted_as ("/sys/fs/cgroup", "tmpfs"), "v1/hybrid: a tmpfs at /sys/fs/cgroup");
  CHECK (mounted_as ("/sys/fs/cgroup/memory", "cgroup"), "a fresh memory hierarchy");
  CHECK (mounted_as ("/sys/fs/cgroup/systemd", "cgroup"), "the named systemd hierarchy");
  CHECK (mounted_as ("/sys/fs/cgroup/unified", "cgroup2")
             && statfs ("/sys/fs/cgroup/unified", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC,
         "hybrid: cgroup2 at unified");
  CHECK (stat ("/sys/fs/cgroup/memory/memory.limit_in_bytes", &st) == 0, "memory files are there");
  CHECK (write_errno ("/sys/fs/cgroup/memory") == EROFS && write_errno ("/sys/fs/cgroup") == EROFS,
         "ro: the hierarchies and the tmpfs are read-only");
}

static void
verify_cgroup_own (const rootfs_config *c, int ret, const rt_error *err)
{
  char pid[32], *procs;
  const char *s;

  (void) c;
  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (mounted_as ("/sys/fs/cgroup", "tmpfs") && mounted_as ("/sys/fs/cgroup/memory", "cgroup"),
         "a tmpfs with binds of each hierarchy");
  snprintf (pid, sizeof pid, "%d", (int) getpid ());
  s = slurp ("/sys/fs/cgroup/memory/cgroup.procs");
  procs = s ? xstrdup (s) : NULL;
  CHECK (procs && strstr (procs, pid), "memory: the container's own cgroup is bound (it lists pid %s)", pid);
  free (procs);
  CHECK (access ("/sys/fs/cgroup/cpu/cgroup.procs", F_OK) == 0,
         "a hierarchy without that cgroup gets the process's own cgroup");
  CHECK (write_errno ("/sys/fs/cgroup/memory") == EROFS, "ro applies to the binds");
}

/* Rebuild /sys/fs/cgroup in the child's private namespace to look like
   other hosts: co-mounted controllers, or a pure cgroup2 host.  */
static void
before_comounted (rootfs_config *c)
{
  int cpu = (int) syscall (SYS_open_tree, AT_FDCWD, "/sys/fs/cgroup/cpu", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  int mem = (int) syscall (SYS_open_tree, AT_FDCWD, "/sys/fs/cgroup/memory", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

  (void) c;
  CHECK (cpu >= 0 && mem >= 0 && umount2 ("/sys/fs/cgroup", MNT_DETACH) == 0
             && mount ("tmpfs", "/sys/fs/cgroup", "tmpfs", 0, "mode=755") == 0
             && mkdir ("/sys/fs/cgroup/cpu,cpuacct", 0755) == 0 && mkdir ("/sys/fs/cgroup/memory", 0755) == 0
             && syscall (SYS_move_mount, cpu, "", AT_FDCWD, "/sys/fs/cgroup/cpu,cpuacct", MOVE_MOUNT_F_EMPTY_PATH)
                    == 0
             && syscall (SYS_move_mount, mem, "", AT_FDCWD, "/sys/fs/cgroup/memory", MOVE_MOUNT_F_EMPTY_PATH) == 0,
         "fake a co-mounted cpu,cpuacct layout in the private namespace");
  close (cpu);
  close (mem);
}

static void
verify_comounted (const rootfs_config *c, int ret, const rt_error *err)
{
  (void) c;
  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (mounted_as ("/sys/fs/cgroup/cpu,cpuacct", "cgroup"), "the co-mounted hierarchy under its host name");
  CHECK (link_is ("/sys/fs/cgroup/cpu", "cpu,cpuacct") && link_is ("/sys/fs/cgroup/cpuacct", "cpu,cpuacct"),
         "symlinks for each co-mounted controller");
  CHECK (mounted_as ("/sys/fs/cgroup/memory", "cgroup"), "the other hierarchy");
}

static void
before_pure_v2 (rootfs_config *c)
{
  (void) c;
  CHECK (mount ("/sys/fs/cgroup/unified", "/sys/fs/cgroup", NULL, MS_BIND, NULL) == 0,
         "fake a pure cgroup2 host in the private namespace");
}

static void
verify_pure_v2 (const rootfs_config *c, int ret, const rt_error *err)
{
  struct statfs sfs;

  (void) c;
  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (statfs ("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC,
         "pure v2: /sys/fs/cgroup is cgroup2, no tmpfs");
  CHECK (access ("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0, "its files are there");
  CHECK (write_errno ("/sys/fs/cgroup") == EROFS, "read-only");
}

/* -- propagation, no mount namespace, user namespace -- */

static void
build_rshared (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  t->linux_.rootfs_propagation = (char *) "rshared";
}

/* Is "/" a shared mount, per mountinfo?  */
static bool
root_is_shared (void)
{
  FILE *f = fopen ("/proc/self/mountinfo", "re");
  char line[2048];
  bool shared = false;

  while (f && fgets (line, sizeof line, f))
    {
      char mp[512];
      if (sscanf (line, "%*d %*d %*s %*s %511s", mp) == 1 && strcmp (mp, "/") == 0)
        shared = strstr (line, "shared:") != NULL;
    }
  if (f)
    fclose (f);
  return shared;
}

static void
verify_rshared (const rootfs_config *c, int ret, const rt_error *err)
{
  (void) c;
  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (root_is_shared (), "rootfsPropagation rshared: the new root is shared");
}

static void
verify_default_slave (const rootfs_config *c, int ret, const rt_error *err)
{
  (void) c;
  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (!root_is_shared (), "default: the new root is not shared");
  CHECK (mounted_as ("/proc", "proc") && is_device ("/dev/null", S_IFCHR, 1, 3), "the container works");
}

static void
build_userns (test_spec *t, rootfs_config *c)
{
  add_default_mounts (t, true);
  add_mount (t, "/mnt/bindro", "bind", hostdata, "rbind,ro");
  t->ns[t->linux_.n_namespaces++].type = SPEC_NS_USER;
  t->ns[t->linux_.n_namespaces++].type = SPEC_NS_PID;
  t->devs[t->linux_.n_devices++] = (spec_device){ .path = (char *) "/dev/fuse", .type = (char *) "c", .major = 10,
                                                  .minor = 229 };
  t->masked[t->linux_.n_masked_paths++] = (char *) "/secret/file.txt";
  t->masked[t->linux_.n_masked_paths++] = (char *) "/secretdir";
  t->ro[t->linux_.n_readonly_paths++] = (char *) "/proc/sys";
  t->root.readonly = true;
  c->userns = true;
  c->new_pidns = true;
}

static void
verify_userns (const rootfs_config *c, int ret, const rt_error *err)
{
  const char *s;
  int fd;

  (void) c;
  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (getuid () == 0 && getpid () == 1, "running as root of the user namespace, pid 1");
  CHECK (mounted_as ("/proc", "proc"), "procfs mounted in the user namespace");
  CHECK (mounted_as ("/sys", "sysfs") && readonly_mount ("/sys"),
         "sysfs without a network namespace: the host's, bound read-only");
  CHECK (access ("/sys/kernel", F_OK) == 0, "... with its contents");
  CHECK (write_errno ("/sys/fs/cgroup") == EROFS, "cgroup tree bound read-only");
  CHECK (is_device ("/dev/null", S_IFCHR, 1, 3) && is_device ("/dev/tty", S_IFCHR, 5, 0)
             && is_device ("/dev/fuse", S_IFCHR, 10, 229),
         "devices bound from the host");
  fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  CHECK (fd >= 0 && write (fd, "x", 1) == 1, "/dev/null is usable");
  if (fd >= 0)
    close (fd);
  CHECK (find_mount ("/dev/null", (char[64]){ 0 }, 64, (char[512]){ 0 }, 512),
         "/dev/null is a bind mount, not a node made by mknod");
  s = slurp ("/secret/file.txt");
  CHECK (s && *s == '\0', "masked file reads empty");
  CHECK (write_errno ("/secretdir") == EROFS, "masked directory read-only");
  CHECK (write_errno ("/") == EROFS, "read-only root");
  s = slurp ("/mnt/bindro/f.txt");
  CHECK (s && strcmp (s, "hostdata") == 0 && write_errno ("/mnt/bindro") == EROFS, "rbind,ro in the user namespace");
}

static void
verify_proc_allowed (const rootfs_config *c, int ret, const rt_error *err)
{
  const char *s;

  (void) c;
  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  s = slurp ("/proc/uptime");
  CHECK (s && strcmp (s, "hostfile") == 0, "an allowlisted /proc file (lxcfs style) can be bound over");
}

static void
build_userns_nopidns (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  t->ns[t->linux_.n_namespaces++].type = SPEC_NS_USER;
  c->userns = true;
}

static void
build_idmap (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  add_mount (t, "/mnt/idmapped", "bind", hostdata, "rbind,idmap");
}

/* Idmapped mounts.  hostdata/f.txt is owned by 0:0 on the host.  */
static spec_idmap idmap_uid = { 0, 2000, 1 }, idmap_gid = { 0, 3000, 1 };
static int idmap_fds[32];

static void
build_idmap_maps (test_spec *t, rootfs_config *c)
{
  spec_mount *m;

  build_minimal (t, c);
  add_mount (t, "/mnt/idmapped", "bind", hostdata, "rbind,ro");
  m = &t->mounts[t->s.n_mounts - 1];
  m->uid_mappings = &idmap_uid;
  m->n_uid_mappings = 1;
  m->gid_mappings = &idmap_gid;
  m->n_gid_mappings = 1;
}

/* Real root without a user namespace: the init itself is privileged
   enough to make the trees.  */
static void
before_idmap_maps (rootfs_config *c)
{
  rt_error err = { 0 };
  int ret = rootfs_idmap_mounts (c->spec, -1, idmap_fds, &err);

  CHECK (ret == 0, "rootfs_idmap_mounts: %s", ret ? err.msg : "ok");
  CHECK (idmap_fds[0] < 0 && idmap_fds[1] < 0 && idmap_fds[2] >= 0, "one tree, for the idmapped mount");
  c->idmap_fds = idmap_fds;
}

static void
verify_idmap_maps (const rootfs_config *c, int ret, const rt_error *err)
{
  struct stat st;

  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  ret = stat ("/mnt/idmapped/f.txt", &st);
  CHECK (ret == 0 && st.st_uid == 2000 && st.st_gid == 3000,
         "the mount's uidMappings/gidMappings map the owner 0:0 to 2000:3000 (got %d:%d)", (int) st.st_uid,
         (int) st.st_gid);
  CHECK (write_errno ("/mnt/idmapped") == EROFS, "the idmapped mount is read-only as asked");
  close (c->idmap_fds[2]);
}

static void
build_userns_idmap (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  add_mount (t, "/mnt/idmapped", "bind", hostdata, "rbind,idmap");
  add_mount (t, "/mnt/plain", "bind", hostdata, "rbind");
  t->ns[t->linux_.n_namespaces++].type = SPEC_NS_USER;
  t->ns[t->linux_.n_namespaces++].type = SPEC_NS_PID;
  c->userns = true;
  c->new_pidns = true;
}

static void
verify_userns_idmap (const rootfs_config *c, int ret, const rt_error *err)
{
  struct stat st;

  CHECK (ret == 0, "rootfs_finalize: %s", ret ? err->msg : "ok");
  CHECK (stat ("/mnt/plain/f.txt", &st) == 0 && st.st_uid == 65534, "without idmap, host root's file is nobody's");
  ret = stat ("/mnt/idmapped/f.txt", &st);
  CHECK (ret == 0 && st.st_uid == 0 && st.st_gid == 0, "with idmap, it belongs to the container's root (got %d:%d)",
         (int) st.st_uid, (int) st.st_gid);
  close (c->idmap_fds[2]);
}

static void
build_bad_device (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  t->devs[t->linux_.n_devices++] = (spec_device){ .path = (char *) "/dev/odd", .type = (char *) "x" };
}

static void
build_nomntns (test_spec *t, rootfs_config *c)
{
  build_minimal (t, c);
  t->linux_.n_namespaces = 0;
}

/* ---- running a scenario ----------------------------------------------------------------- */

static void
child_steps (const scenario *sc, test_spec *t, rootfs_config *c)
{
  rt_error err = { 0 };
  int before[256], n_before, fds, ret;

  if (sc->flags & SC_LEGACY)
    {
      rootfs_set_force_legacy_mount (true);
      pr_set_force_fallback (true);
    }
  if (mount (NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    {
      CHECK (0, "make / rslave in the test namespace: %s", strerror (errno));
      return;
    }
  if (sc->before)
    sc->before (c);
  fds = count_fds ();
  n_before = mount_ids (before, 256);
  ret = rootfs_prepare (c, &err);
  if (sc->flags & SC_NOMNTNS)
    {
      CHECK (ret < 0 && strstr (err.msg, "private mount namespace"),
             "mounts without a mount namespace are refused: %s", err.msg);
      return;
    }
  if (sc->prepare_error)
    {
      CHECK (ret < 0, "rootfs_prepare fails");
      CHECK (strstr (err.msg, sc->prepare_error) != NULL, "the error says `%s`: %s", sc->prepare_error, err.msg);
      return;
    }
  CHECK (ret == 0, "rootfs_prepare: %s", ret ? err.msg : "ok");
  if (ret < 0)
    return;
  check_new_mounts_inside (c->rootfs, before, n_before);
  CHECK (count_fds () == fds, "rootfs_prepare leaves no fd open");
  {
    /* Still before the pivot: the host's /etc is untouched, whatever the
       image's symlinks said.  */
    char fs[64], opts[512], etc[256];
    snprintf (etc, sizeof etc, "%s/etc", c->rootfs);
    CHECK (!find_mount ("/etc", fs, sizeof fs, opts, sizeof opts), "no mount on the host's /etc");
    if (sc->verify == verify_full)
      CHECK (find_mount (etc, fs, sizeof fs, opts, sizeof opts), "the mount on /hostetc is on the rootfs' etc");
  }
  ret = rootfs_pivot (c, &err);
  CHECK (ret == 0, "rootfs_pivot: %s", ret ? err.msg : "ok");
  if (ret < 0)
    return;
  {
    char cwd[64];
    CHECK (getcwd (cwd, sizeof cwd) && strcmp (cwd, "/") == 0 && access ("/bin/busybox", F_OK) == 0,
           "after the pivot, / is the rootfs");
  }
  if (sc->between)
    sc->between (c);
  fds = count_fds ();
  ret = rootfs_finalize (c, &err);
  CHECK (count_fds () == fds, "rootfs_finalize leaves no fd open");
  sc->verify (c, ret, &err);
}

/* Pass the idmapped trees to the child as the runtime would: the index
   array as data, the fds as SCM_RIGHTS.  */
static void
send_trees (int sock, const int *fds, size_t n)
{
  char cbuf[CMSG_SPACE (32 * sizeof (int))];
  struct iovec iov = { (void *) fds, n * sizeof (int) };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  int valid[32], k = 0;

  for (size_t i = 0; i < n; i++)
    if (fds[i] >= 0)
      valid[k++] = fds[i];
  if (k > 0)
    {
      struct cmsghdr *cm;
      msg.msg_control = cbuf;
      msg.msg_controllen = CMSG_SPACE (k * sizeof (int));
      cm = CMSG_FIRSTHDR (&msg);
      cm->cmsg_level = SOL_SOCKET;
      cm->cmsg_type = SCM_RIGHTS;
      cm->cmsg_len = CMSG_LEN (k * sizeof (int));
      memcpy (CMSG_DATA (cm), valid, k * sizeof (int));
    }
  if (sendmsg (sock, &msg, 0) < 0)
    abort ();
}

static void
recv_trees (int sock, int *fds, size_t n)
{
  char cbuf[CMSG_SPACE (32 * sizeof (int))];
  struct iovec iov = { fds, n * sizeof (int) };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
  struct cmsghdr *cm;
  int *got = NULL, k = 0;

  if (recvmsg (sock, &msg, MSG_CMSG_CLOEXEC) < 0)
    _exit (105);
  cm = CMSG_FIRSTHDR (&msg);
  if (cm)
    got = (int *) CMSG_DATA (cm);
  for (size_t i = 0; i < n; i++)
    if (fds[i] >= 0)
      fds[i] = got ? got[k++] : -1;
}

static int
write_map (pid_t pid, const char *which)
{
  char path[64], map[64];
  int fd;

  snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, which);
  snprintf (map, sizeof map, "0 %d 65536\n", USERNS_BASE);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  if (write (fd, map, strlen (map)) < 0)
    {
      close (fd);
      return -1;
    }
  return close (fd);
}

static void
run_scenario (const scenario *sc)
{
  test_spec t;
  rootfs_config c;
  int rep[2], sync_pipe[2], go[2], sock[2];
  char buf[1200];
  FILE *in;
  pid_t pid;
  int status, n = 0;

  init_spec (&t, &c, sc->name);
  sc->build (&t, &c);
  if (sc->flags & SC_NO_PIVOT)
    c.no_pivot = true;
  if (sc->flags & SC_CGROUPNS)
    {
      c.new_cgroupns = true;
      t.ns[t.linux_.n_namespaces++].type = SPEC_NS_CGROUP;
    }
  make_rootfs (t.rootfs, (sc->flags & SC_USERNS) ? USERNS_BASE : 0);
  if (pipe2 (rep, O_CLOEXEC) < 0 || pipe2 (sync_pipe, O_CLOEXEC) < 0 || pipe2 (go, O_CLOEXEC) < 0
      || socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) < 0)
    abort ();
  fflush (stdout);
  pid = fork ();
  if (pid == 0)
    {
      int flags = CLONE_NEWNS | ((sc->flags & SC_CGROUPNS) ? CLONE_NEWCGROUP : 0);

      close (rep[0]);
      report_fd = rep[1];
      alarm (60);
      if (sc->flags & SC_USERNS)
        {
          char c1;
          pid_t inner;

          if (unshare (CLONE_NEWUSER) < 0)
            _exit (101);
          /* The parent writes the maps, as the runtime does.  */
          if (write (sync_pipe[1], "u", 1) != 1 || read (go[0], &c1, 1) != 1)
            _exit (102);
          if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
            _exit (103);
          if (sc->flags & SC_IDMAP)
            {
              recv_trees (sock[1], idmap_fds, t.s.n_mounts);
              c.idmap_fds = idmap_fds;
            }
          if (unshare (CLONE_NEWNS | ((sc->flags & SC_NOPIDNS) ? 0 : CLONE_NEWPID)) < 0)
            _exit (104);
          inner = fork ();
          if (inner == 0)
            {
              child_steps (sc, &t, &c);
              _exit (0);
            }
          waitpid (inner, &status, 0);
          _exit (WIFEXITED (status) ? WEXITSTATUS (status) : 110);
        }
      if (unshare (flags) < 0)
        {
          CHECK (0, "unshare: %s", strerror (errno));
          _exit (1);
        }
      child_steps (sc, &t, &c);
      _exit (0);
    }
  close (rep[1]);
  close (sync_pipe[1]);
  close (go[0]);
  if (sc->flags & SC_USERNS)
    {
      char c1;
      if (read (sync_pipe[0], &c1, 1) == 1)
        {
          ok (write_map (pid, "uid_map") == 0 && write_map (pid, "gid_map") == 0, "%s: write the id maps",
              sc->name);
          if (sc->flags & SC_IDMAP)
            {
              /* The runtime's half, in the initial user namespace.  */
              char ns[64];
              rt_error err = { 0 };
              int nsfd, fds[32], ret;

              snprintf (ns, sizeof ns, "/proc/%d/ns/user", (int) pid);
              nsfd = open (ns, O_RDONLY | O_CLOEXEC);
              ret = rootfs_idmap_mounts (&t.s, nsfd, fds, &err);
              ok (ret == 0, "%s: rootfs_idmap_mounts in the parent: %s", sc->name, ret ? err.msg : "ok");
              send_trees (sock[0], fds, t.s.n_mounts);
              for (size_t i = 0; i < t.s.n_mounts; i++)
                if (fds[i] >= 0)
                  close (fds[i]);
              close (nsfd);
            }
          if (write (go[1], "g", 1) != 1)
            abort ();
        }
    }
  close (go[1]);
  close (sync_pipe[0]);
  close (sock[0]);
  close (sock[1]);
  in = fdopen (rep[0], "r");
  while (fgets (buf, sizeof buf, in))
    {
      buf[strcspn (buf, "\n")] = '\0';
      ok (buf[0] == '1', "%s: %s", sc->name, buf + 2);
      n++;
    }
  fclose (in);
  waitpid (pid, &status, 0);
  ok (WIFEXITED (status) && WEXITSTATUS (status) == 0 && n > 0, "%s: the child finished cleanly (status 0x%x)",
      sc->name, status);
  for (size_t i = 0; i < t.s.n_mounts; i++)
    strv_free_n (t.mounts[i].options, t.mounts[i].n_options);
}

static void
setup_host_sources (void)
{
  char path[256];
  FILE *f;

  strcpy (base, "/tmp/test_rootfs.XXXXXX");
  if (mkdtemp (base) == NULL)
    abort ();
  chmod (base, 0755);
  snprintf (hostdata, sizeof hostdata, "%s/hostdata", base);
  snprintf (hostfile, sizeof hostfile, "%s/hostfile", base);
  snprintf (hostrec, sizeof hostrec, "%s/hostrec", base);
  mk (base, "hostdata", 0755);
  put_file (base, "hostdata/f.txt", "hostdata", 0644);
  put_file (base, "hostfile", "hostfile", 0644);
  mk (base, "hostrec", 0755);
  mk (base, "hostrec/sub", 0755);
  host_kcore = access ("/proc/kcore", F_OK) == 0;
  /* This process's memory cgroup, for the own-cgroup bind.  */
  f = fopen ("/proc/self/cgroup", "re");
  while (f && fgets (path, sizeof path, f))
    if (sscanf (path, "%*d:memory:%255s", own_memcg) == 1)
      break;
  if (f)
    fclose (f);
}

static const scenario scenarios[] = {
  { "full", 0, build_full_rro, before_full, between_console, verify_full },
  { "full-legacy", SC_LEGACY, build_full, before_full, between_console, verify_full },
  { "full-no-pivot", SC_NO_PIVOT, build_full, before_full, NULL, verify_full },
  { "devnull-symlink", 0, build_devnull_attack, NULL, between_devnull_attack, verify_devnull_attack },
  { "devnull-file", 0, build_devnull_attack, NULL, between_devnull_file, verify_devnull_attack },
  { "devnull-symlink-legacy", SC_LEGACY, build_devnull_attack, NULL, between_devnull_attack, verify_devnull_attack },
  { "masklink", 0, build_masklink_attack, NULL, between_masklink_attack, verify_masklink_attack },
  { "masklink-legacy", SC_LEGACY, build_masklink_attack, NULL, between_masklink_attack, verify_masklink_attack },
  { "tmpfs-in-proc", 0, build_proc_attack, NULL, NULL, NULL,
    "mounts[2] (/proc/sys/kernel, type tmpfs): `/proc/sys/kernel` cannot be mounted because it is inside /proc" },
  { "tmpfs-on-proc", 0, build_tmpfs_on_proc, NULL, NULL, NULL, "cannot be mounted because it is not of type proc" },
  { "proc-on-symlink", 0, build_proc_symlink, NULL, NULL, NULL, "must be mounted on an ordinary directory" },
  { "proc-allowlist", 0, build_proc_allowed, NULL, NULL, verify_proc_allowed },
  { "default-slave", 0, build_minimal, NULL, NULL, verify_default_slave },
  { "proc-bind", 0, build_proc_bind, NULL, NULL, verify_default_slave },
  { "cgroupns", SC_CGROUPNS, build_cgroup, NULL, NULL, verify_cgroup_ns },
  { "cgroup-own", 0, build_cgroup_own, NULL, NULL, verify_cgroup_own },
  { "cgroup-comounted", 0, build_cgroup_own, before_comounted, NULL, verify_comounted },
  { "cgroup-v2", 0, build_cgroup, before_pure_v2, NULL, verify_pure_v2 },
  { "rshared", 0, build_rshared, NULL, NULL, verify_rshared },
  { "userns", SC_USERNS, build_userns, NULL, NULL, verify_userns },
  { "no-mountns", SC_NOMNTNS, build_nomntns, NULL, NULL, NULL, NULL },
  { "userns-no-pidns", SC_USERNS | SC_NOPIDNS, build_userns_nopidns, NULL, NULL, NULL,
    "mounts[0] (/proc, type proc): procfs can only be mounted in a user namespace that has its own PID namespace" },
  { "idmap-unprepared", 0, build_idmap, NULL, NULL, NULL, "idmapped mount: the runtime did not prepare it" },
  { "idmap-maps", 0, build_idmap_maps, before_idmap_maps, NULL, verify_idmap_maps },
  { "userns-idmap", SC_USERNS | SC_IDMAP, build_userns_idmap, NULL, NULL, verify_userns_idmap },
  { "bad-device", 0, build_bad_device, NULL, NULL, NULL, "linux.devices[0] (/dev/odd): invalid type `x`" },
};

int
main (void)
{
  char cmd[128];

  if (geteuid () != 0)
    {
      puts ("1..0 # SKIP needs root");
      return 0;
    }
  setup_host_sources ();
  for (size_t i = 0; i < ARRAY_SIZE (scenarios); i++)
    run_scenario (&scenarios[i]);
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", base);
  if (system (cmd) != 0)
    puts ("# cleanup failed");
  return tap_done ();
}
