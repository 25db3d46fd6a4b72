/* pathres: a hostile tree must never let a resolution or a creation leave
 * the root, with openat2 and with the userspace fallback.  */
#include "config.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pathres.h"
#include "tap.h"
#include "util.h"

static char base[64];   /* the temporary directory */
static char rootp[128]; /* base/root: the container root */
static char outp[128];  /* base/outside: host files the root must not reach */
static int root_fd;
static const char *mode_name;

static void
put_at (const char *dir, const char *rel, const char *content)
{
  char path[512];
  FILE *f;

  snprintf (path, sizeof path, "%s/%s", dir, rel);
  f = fopen (path, "w");
  if (f == NULL)
    abort ();
  fputs (content, f);
  fclose (f);
}

static void
put (const char *rel, const char *content)
{
  put_at (rootp, rel, content);
}

static void
link_in (const char *target, const char *rel)
{
  char path[512];

  snprintf (path, sizeof path, "%s/%s", rootp, rel);
  if (symlink (target, path) < 0)
    abort ();
}

static void
mkdir_in (const char *rel)
{
  char path[512];

  snprintf (path, sizeof path, "%s/%s", rootp, rel);
  if (mkdir (path, 0755) < 0)
    abort ();
}

static bool
exists_at (const char *dir, const char *rel)
{
  char path[512];
  struct stat st;

  snprintf (path, sizeof path, "%s/%s", dir, rel);
  return lstat (path, &st) == 0;
}

static int
count_fds (void)
{
  DIR *d = opendir ("/proc/self/fd");
  int n = 0;

  while (readdir (d))
    n++;
  closedir (d);
  return n;
}

/* Contents of an fd, for checking which file a resolution reached.  */
static const char *
read_all_fd (int fd)
{
  static char buf[256];
  ssize_t n = pread (fd, buf, sizeof buf - 1, 0);

  buf[n > 0 ? n : 0] = '\0';
  return buf;
}

static void
build_tree (void)
{
  char target[512];

  strcpy (base, "/tmp/test_pathres.XXXXXX");
  if (mkdtemp (base) == NULL)
    abort ();
  snprintf (rootp, sizeof rootp, "%s/root", base);
  snprintf (outp, sizeof outp, "%s/outside", base);
  mkdir (rootp, 0755);
  mkdir (outp, 0755);
  put_at (outp, "secret", "host secret");
  mkdir_in ("etc");
  put ("etc/passwd", "inside passwd");
  mkdir_in ("sub");
  mkdir_in ("sub/deeper");
  put ("file", "a regular file");

  link_in ("/etc", "abs");                       /* absolute, to a name the host has too */
  link_in ("../../..", "up");                    /* climbs past the root */
  link_in ("sub/../../../../etc", "rel");        /* climbs, then comes back down */
  link_in ("loop2", "loop1");                    /* a loop */
  link_in ("loop1", "loop2");
  link_in ("/proc/self/root", "pself");          /* a magic link, by name */
  link_in ("/does/not/exist", "dangle");         /* dangling */
  snprintf (target, sizeof target, "%s", outp);  /* the host path of a host directory */
  link_in (target, "hostdir");
  snprintf (target, sizeof target, "%s/created", outp);
  link_in (target, "dangle_out");                /* dangling, towards the host */
  link_in ("../abs", "sub/parentlink");          /* symlinked parent, relative */
  link_in ("/sub/deeper", "deeplink");
  /* A chain of symlinks: c0 -> c1 -> ... -> c45 -> file.  */
  for (int i = 0; i < 46; i++)
    {
      char name[16], next[16];
      snprintf (name, sizeof name, "c%d", i);
      snprintf (next, sizeof next, i == 45 ? "file" : "c%d", i + 1);
      link_in (next, name);
    }
  root_fd = open (rootp, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static int
open_in (const char *path, int flags, rt_error *err)
{
  return pr_open_in_root (root_fd, path, flags, 0644, err);
}

/* Opens that must reach a given file inside the root.  */
static void
expect_content (const char *path, const char *want)
{
  rt_error err = { 0 };
  int fd = open_in (path, O_RDONLY, &err);

  ok (fd >= 0, "%s: open `%s`%s%s", mode_name, path, fd < 0 ? ": " : "", fd < 0 ? err.msg : "");
  if (fd >= 0)
    {
      is_str (read_all_fd (fd), want, "%s: `%s` is the file inside the root", mode_name, path);
      close (fd);
    }
}

static void
expect_errno (const char *path, int flags, int want)
{
  rt_error err = { 0 };
  int fd = open_in (path, flags, &err);

  is_int (fd, -want, "%s: `%s` fails with %s", mode_name, path, strerror (want));
  if (fd >= 0)
    close (fd);
}

static void
test_resolution (void)
{
  rt_error err = { 0 };
  struct stat a, b;
  int fd;

  expect_content ("/etc/passwd", "inside passwd");
  expect_content ("abs/passwd", "inside passwd");
  expect_content ("/abs/../abs/passwd", "inside passwd");
  expect_content ("up/etc/passwd", "inside passwd");
  expect_content ("../../../../etc/passwd", "inside passwd");
  expect_content ("rel/passwd", "inside passwd");
  expect_content ("sub/parentlink/passwd", "inside passwd");
  expect_content ("deeplink/../../file", "a regular file");
  expect_content ("c10", "a regular file");
  /* The host's secret is never reached, whatever the route.  */
  expect_errno ("up/outside/secret", O_RDONLY, ENOENT);
  expect_errno ("../outside/secret", O_RDONLY, ENOENT);
  expect_errno ("hostdir/secret", O_RDONLY, ENOENT);
  expect_errno ("pself/etc/passwd", O_RDONLY, ENOENT);
  expect_errno ("loop1", O_RDONLY, ELOOP);
  expect_errno ("loop1/x", O_RDONLY, ELOOP);
  expect_errno ("c0", O_RDONLY, ELOOP);
  expect_errno ("dangle", O_RDONLY, ENOENT);
  expect_errno ("file/x", O_RDONLY, ENOTDIR);
  expect_errno ("file/", O_RDONLY, ENOTDIR);
  expect_errno ("abs", O_RDONLY | O_NOFOLLOW, ELOOP);

  fd = open_in ("abs", O_PATH | O_NOFOLLOW, &err);
  ok (fd >= 0 && fstat (fd, &a) == 0 && S_ISLNK (a.st_mode), "%s: O_PATH|O_NOFOLLOW gives the symlink itself",
      mode_name);
  if (fd >= 0)
    close (fd);
  fd = open_in ("abs/", O_PATH | O_NOFOLLOW, &err);
  ok (fd >= 0 && fstat (fd, &a) == 0 && S_ISDIR (a.st_mode), "%s: a trailing slash follows the symlink",
      mode_name);
  if (fd >= 0)
    close (fd);

  /* "/", "" and ".." at the root are the root.  */
  fstat (root_fd, &b);
  for (int i = 0; i < 3; i++)
    {
      const char *p = (const char *[]){ "/", "", "../.." }[i];
      fd = open_in (p, O_PATH | O_DIRECTORY, &err);
      ok (fd >= 0 && fstat (fd, &a) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev,
          "%s: `%s` is the root", mode_name, p);
      if (fd >= 0)
        close (fd);
    }

  fd = open_in ("abs/passwd", O_PATH, &err);
  {
    _cleanup_free_ char *p = fd >= 0 ? pr_fd_path (fd, &err) : NULL;
    char want[512];
    snprintf (want, sizeof want, "%s/etc/passwd", rootp);
    is_str (p, want, "%s: pr_fd_path names the file inside the root", mode_name);
  }
  if (fd >= 0)
    close (fd);
}

/* Magic links: with the root at /proc/self (or /proc), every magic link is
   refused while ordinary procfs symlinks and files still work.  */
static void
test_magic_links (void)
{
  _cleanup_close_ int self = open ("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC);
  _cleanup_close_ int proc = open ("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  _cleanup_close_ int held = open (outp, O_PATH | O_DIRECTORY | O_CLOEXEC);
  rt_error err = { 0 };
  char fdpath[64];
  struct stat st;
  int fd;

  fd = pr_open_in_root (self, "root/etc/passwd", O_RDONLY, 0, &err);
  is_int (fd, -ELOOP, "%s: /proc/self/root is refused", mode_name);
  fd = pr_open_in_root (self, "cwd", O_PATH, 0, &err);
  is_int (fd, -ELOOP, "%s: /proc/self/cwd is refused", mode_name);
  snprintf (fdpath, sizeof fdpath, "fd/%d/secret", held);
  fd = pr_open_in_root (self, fdpath, O_RDONLY, 0, &err);
  is_int (fd, -ELOOP, "%s: a held fd on a host directory is not a way out", mode_name);
  fd = pr_open_in_root (proc, "self/root/etc", O_PATH, 0, &err);
  is_int (fd, -ELOOP, "%s: /proc/self/root through /proc", mode_name);
  fd = pr_open_in_root (proc, "self/status", O_RDONLY, 0, &err);
  ok (fd >= 0, "%s: ordinary procfs symlink (self) and file work", mode_name);
  if (fd >= 0)
    close (fd);
  fd = pr_open_in_root (self, "exe", O_PATH | O_NOFOLLOW, 0, &err);
  ok (fd >= 0 && fstat (fd, &st) == 0 && S_ISLNK (st.st_mode), "%s: a magic link itself can be opened O_NOFOLLOW",
      mode_name);
  if (fd >= 0)
    close (fd);
}

static void
test_creation (void)
{
  char name[64], path[128];
  rt_error err = { 0 };
  struct stat st;
  int fd;

  /* mkdir -p through an in-root symlink lands inside.  */
  snprintf (name, sizeof name, "newdir_%s", mode_name);
  snprintf (path, sizeof path, "abs/%s/x/y", name);
  fd = pr_mkdir_in_root (root_fd, path, 0755, &err);
  ok (fd >= 0, "%s: mkdir -p `%s`", mode_name, path);
  if (fd >= 0)
    close (fd);
  snprintf (path, sizeof path, "etc/%s/x/y", name);
  ok (exists_at (rootp, path), "%s: created below the root's /etc", mode_name);
  ok (!exists_at ("/etc", name), "%s: nothing created in the host's /etc", mode_name);

  /* A dangling symlink is never created through.  */
  fd = pr_mkdir_in_root (root_fd, "dangle_out/sub", 0755, &err);
  ok (fd < 0, "%s: mkdir through a dangling symlink fails", mode_name);
  like (err.msg, "dangling symlink", "%s: ... and says why", mode_name);
  fd = pr_mkdir_in_root (root_fd, "hostdir/made", 0755, &err);
  ok (fd < 0 && !exists_at (outp, "made"), "%s: mkdir through a symlink to a host directory stays out of it",
      mode_name);
  fd = pr_mkmount_target (root_fd, "dangle_out", true, &err);
  ok (fd < 0 && !exists_at (outp, "created"), "%s: a file target is not created through a dangling symlink",
      mode_name);
  fd = open_in ("dangle_out", O_CREAT | O_WRONLY, &err);
  ok (fd < 0 && !exists_at (outp, "created"), "%s: O_CREAT does not write through a dangling symlink", mode_name);
  fd = open_in ("dangle", O_CREAT | O_WRONLY, &err);
  ok (fd < 0 && !exists_at (rootp, "does"), "%s: ... not even to a place inside the root", mode_name);

  /* ".." among the directories being created, and above the root.  */
  snprintf (path, sizeof path, "m_%s/a/../b", mode_name);
  fd = pr_mkdir_in_root (root_fd, path, 0755, &err);
  snprintf (path, sizeof path, "m_%s/b", mode_name);
  ok (fd >= 0 && exists_at (rootp, path), "%s: mkdir -p with .. inside the new part", mode_name);
  if (fd >= 0)
    close (fd);
  snprintf (path, sizeof path, "up/../../top_%s/z/../../../top2_%s", mode_name, mode_name);
  fd = pr_mkdir_in_root (root_fd, path, 0755, &err);
  snprintf (path, sizeof path, "top2_%s", mode_name);
  ok (fd >= 0 && exists_at (rootp, path), "%s: .. past the new part and the root stays in the root: %s", mode_name,
      fd < 0 ? err.msg : "ok");
  if (fd >= 0)
    close (fd);
  fd = pr_mkdir_in_root (root_fd, "file/x", 0755, &err);
  is_int (fd, -ENOTDIR, "%s: mkdir below a file fails with ENOTDIR", mode_name);

  /* File mount targets.  */
  snprintf (path, sizeof path, "abs/target_%s", mode_name);
  fd = pr_mkmount_target (root_fd, path, true, &err);
  ok (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_size == 0,
      "%s: file target created as an empty regular file", mode_name);
  if (fd >= 0)
    close (fd);
  snprintf (path, sizeof path, "etc/target_%s", mode_name);
  ok (exists_at (rootp, path), "%s: ... inside the root", mode_name);
  snprintf (path, sizeof path, "newparent_%s/deep/file", mode_name);
  fd = pr_mkmount_target (root_fd, path, true, &err);
  ok (fd >= 0 && exists_at (rootp, path), "%s: file target with missing parents", mode_name);
  if (fd >= 0)
    close (fd);
  fd = pr_mkmount_target (root_fd, "file", true, &err);
  ok (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode), "%s: an existing file target is returned as is",
      mode_name);
  if (fd >= 0)
    close (fd);
  fd = pr_mkmount_target (root_fd, "file", false, &err);
  is_int (fd, -ENOTDIR, "%s: a file where a directory target is needed", mode_name);
  fd = pr_mkmount_target (root_fd, "sub", true, &err);
  is_int (fd, -EISDIR, "%s: a directory where a file target is needed", mode_name);

  /* O_CREAT: existing files through symlinks are opened, new ones made.  */
  fd = open_in ("abs/passwd", O_CREAT | O_RDONLY, &err);
  ok (fd >= 0 && strcmp (read_all_fd (fd), "inside passwd") == 0, "%s: O_CREAT opens an existing file", mode_name);
  if (fd >= 0)
    close (fd);
  snprintf (path, sizeof path, "abs/new_%s", mode_name);
  fd = open_in (path, O_CREAT | O_WRONLY, &err);
  snprintf (path, sizeof path, "etc/new_%s", mode_name);
  ok (fd >= 0 && exists_at (rootp, path), "%s: O_CREAT creates in the resolved parent", mode_name);
  if (fd >= 0)
    close (fd);
  fd = open_in ("abs/passwd", O_CREAT | O_EXCL | O_WRONLY, &err);
  is_int (fd, -EEXIST, "%s: O_EXCL on an existing file", mode_name);
  fd = open_in ("..", O_CREAT | O_WRONLY, &err);
  ok (fd < 0, "%s: O_CREAT needs a file name", mode_name);
}

/* A directory being walked is renamed out of the root and back, again
   and again: ".." must never be answered from where it went (the kernel
   returns EAGAIN for RESOLVE_IN_ROOT; the fallback keeps its own stack).  */
static volatile int racing;

static void *
renamer (void *arg)
{
  char in[256], out[256];

  (void) arg;
  snprintf (in, sizeof in, "%s/race/b", rootp);
  snprintf (out, sizeof out, "%s/b", outp);
  while (racing)
    {
      if (rename (in, out) == 0)
        rename (out, in);
    }
  return NULL;
}

static void
test_rename_race (void)
{
  int escaped = 0, inside = 0;
  pthread_t th;

  put_at (base, "escaped", "ESCAPED");
  mkdir_in ("race");
  mkdir_in ("race/b");
  mkdir_in ("race/b/c");
  put ("escaped", "inside");
  racing = 1;
  pthread_create (&th, NULL, renamer, NULL);
  for (int m = 0; m < 2; m++)
    {
      pr_set_force_fallback (m == 1);
      for (int i = 0; i < 20000; i++)
        {
          rt_error err = { 0 };
          int fd = open_in ("race/b/c/../../../escaped", O_RDONLY, &err);
          if (fd < 0)
            continue;
          if (strcmp (read_all_fd (fd), "inside") == 0)
            inside++;
          else
            escaped++;
          close (fd);
        }
    }
  racing = 0;
  pthread_join (th, NULL);
  is_int (escaped, 0, "a directory renamed out of the root mid-walk never leads out (%d inside)", inside);
  ok (inside > 0, "resolutions still succeed while racing");
}

int
main (void)
{
  int before;

  build_tree ();
  before = count_fds ();
  for (int m = 0; m < 2; m++)
    {
      pr_set_force_fallback (m == 1);
      mode_name = m == 1 ? "fallback" : "openat2";
      ok (pr_using_fallback () == (m == 1), "%s: the mode is in force", mode_name);
      test_resolution ();
      test_magic_links ();
      test_creation ();
    }
  test_rename_race ();
  is_int (count_fds (), before, "no fd leaked");
  {
    char cmd[256];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", base);
    if (system (cmd) != 0)
      puts ("# cleanup failed");
  }
  return tap_done ();
}
