#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "state.h"
#include "tap.h"
#include "util.h"

static char tmpdir[] = "/tmp/test_state.XXXXXX";

static char *
tmp_path (const char *rel)
{
  char *p;
  xasprintf (&p, "%s/%s", tmpdir, rel);
  return p;
}

/* ---- IDs ------------------------------------------------------------------ */

static void
test_validate_id (void)
{
  static const char *const good[] = { "a", "abc", "A-Z_0.9+x", "...", ".a", "a..", "-", "+", "_", "x.y" };
  static const char *const bad[] = { "../x", "a/b", ".", "..", "/", "a b", "a\nb", "a:b", "a,b", "\xc3\xa9", "a*",
                                     "x/..", "~" };
  rt_error err = { 0 };
  char longid[300];

  for (size_t i = 0; i < ARRAY_SIZE (good); i++)
    is_int (state_validate_id (good[i], &err), 0, "valid id \"%s\"", good[i]);
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      /* bad[] holds control characters: name the case by its index.  */
      is_int (state_validate_id (bad[i], &err), -EINVAL, "invalid id #%zu", i);
      like (err.msg, "invalid container ID format: ", "message for invalid id #%zu", i);
    }
  state_validate_id ("a/b", &err);
  is_str (err.msg, "invalid container ID format: a/b", "message names the ID");
  state_validate_id ("a\nb", &err);
  is_str (err.msg, "invalid container ID format: a\\x0ab", "control characters are escaped in the message");
  is_int (state_validate_id ("", &err), -EINVAL, "empty id");
  is_str (err.msg, "container id cannot be empty", "empty id message (runc's)");
  is_int (state_validate_id (NULL, &err), -EINVAL, "NULL id");

  memset (longid, 'a', sizeof longid);
  longid[STATE_ID_MAX] = '\0';
  is_int (state_validate_id (longid, &err), 0, "an ID of %d characters is valid", STATE_ID_MAX);
  longid[STATE_ID_MAX] = 'a';
  longid[STATE_ID_MAX + 1] = '\0';
  is_int (state_validate_id (longid, &err), -EINVAL, "an ID of %d characters is not", STATE_ID_MAX + 1);
  like (err.msg, "longer than 255", "long ID message says why");
  ok (strlen (err.msg) < 200, "long ID is shortened in the message");
}

/* ---- root resolution -------------------------------------------------------- */

static void
test_root_resolve (void)
{
  state_root_env env = { .euid = 0, .initial_userns = true, .xdg_runtime_dir = "/run/user/0", .user = "root",
                         .run_user = "/run/user" };
  rt_error err = { 0 };
  char *out = NULL, cwd[4096], *want;
  _cleanup_free_ char *run_user = tmp_path ("run-user");
  _cleanup_free_ char *own = NULL, *file = NULL;
  bool root = geteuid () == 0;
  /* As root the test plays uid 1000 and chowns; otherwise it plays itself.  */
  uid_t me = root ? 1000 : geteuid ();

  /* --root */
  ok (state_root_resolve_env ("/x/y/../z/", &env, &out, &err) == 0, "--root absolute");
  is_str (out, "/x/z", "--root is cleaned");
  free (out);
  ok (getcwd (cwd, sizeof cwd) != NULL, "getcwd");
  ok (state_root_resolve_env ("rel/dir", &env, &out, &err) == 0, "--root relative");
  xasprintf (&want, "%s/rel/dir", strcmp (cwd, "/") == 0 ? "" : cwd);
  is_str (out, want, "--root made absolute against the cwd");
  free (want);
  free (out);
  out = NULL;
  is_int (state_root_resolve_env ("/", &env, &out, &err), -EINVAL, "--root / refused");
  is_str (err.msg, "Option --root argument should not be set to /", "runc's message for --root /");
  is_int (state_root_resolve_env ("/a/..//.", &env, &out, &err), -EINVAL, "--root that cleans to / refused");
  is_int (state_root_resolve_env ("", &env, &out, &err), -EINVAL, "--root \"\" refused");
  ok (out == NULL, "nothing returned on error");

  /* real root: XDG ignored */
  ok (state_root_resolve_env (NULL, &env, &out, &err) == 0, "root in the initial userns");
  is_str (out, "/run/runc", "root in the initial userns uses /run/runc even with XDG set");
  free (out);

  /* root inside a user namespace: XDG honoured unless USER=root */
  env.initial_userns = false;
  env.xdg_runtime_dir = "/run/user/1000";
  ok (state_root_resolve_env (NULL, &env, &out, &err) == 0, "root in a userns, USER=root");
  is_str (out, "/run/runc", "USER=root in a userns ignores XDG");
  free (out);
  env.user = "alice";
  ok (state_root_resolve_env (NULL, &env, &out, &err) == 0, "root in a userns, USER=alice");
  is_str (out, "/run/user/1000/runc", "USER=alice in a userns honours XDG");
  free (out);
  env.user = NULL;
  ok (state_root_resolve_env (NULL, &env, &out, &err) == 0, "root in a userns, USER unset");
  is_str (out, "/run/user/1000/runc", "USER unset in a userns honours XDG");
  free (out);
  env.xdg_runtime_dir = NULL;
  ok (state_root_resolve_env (NULL, &env, &out, &err) == 0, "root in a userns without XDG");
  is_str (out, "/run/runc", "root in a userns without XDG falls back to /run/runc like runc");
  free (out);

  /* unprivileged */
  env.euid = me;
  env.initial_userns = true;
  env.user = "alice";
  env.xdg_runtime_dir = "/run/user/1000/";
  ok (state_root_resolve_env (NULL, &env, &out, &err) == 0, "user with XDG");
  is_str (out, "/run/user/1000/runc", "user with XDG (trailing slash cleaned)");
  free (out);
  env.xdg_runtime_dir = "run/user/1000";
  is_int (state_root_resolve_env (NULL, &env, &out, &err), -EINVAL, "relative XDG refused");
  like (err.msg, "not an absolute path; pass --root DIR", "relative XDG message: %s", err.msg);

  /* no XDG: /run/user/UID must exist, be a directory, be ours */
  env.xdg_runtime_dir = "";
  env.run_user = run_user;
  ok (mkdir (run_user, 0755) == 0, "mkdir run-user");
  is_int (state_root_resolve_env (NULL, &env, &out, &err), -ENOENT, "no XDG and no /run/user/UID");
  xasprintf (&want, "cannot choose a state directory: XDG_RUNTIME_DIR is not set and %s/%u does not exist; pass --root DIR",
             run_user, (unsigned) me);
  is_str (err.msg, want, "message suggests --root");
  free (want);

  xasprintf (&own, "%s/%u", run_user, (unsigned) me);
  ok (mkdir (own, 0700) == 0, "mkdir run-user/UID");
  if (root)
    {
      is_int (state_root_resolve_env (NULL, &env, &out, &err), -EPERM, "/run/user/UID owned by someone else");
      like (err.msg, "belongs to uid 0, not 1000; pass --root DIR", "wrong-owner message: %s", err.msg);
      ok (chown (own, me, me) == 0, "chown run-user/UID");
    }
  else
    printf ("ok %d # SKIP a directory owned by someone else needs root to make\n", ++tap_n);
  ok (state_root_resolve_env (NULL, &env, &out, &err) == 0, "no XDG, own /run/user/UID");
  xasprintf (&want, "%s/runc", own);
  is_str (out, want, "falls back to /run/user/UID/runc");
  free (want);
  free (out);

  env.euid = me + 1;
  xasprintf (&file, "%s/%u", run_user, (unsigned) me + 1);
  ok (write_file_at (AT_FDCWD, file, "", 0, 0600, &err) == 0, "make run-user/UID a file");
  if (root)
    ok (chown (file, me + 1, me + 1) == 0, "chown it");
  is_int (state_root_resolve_env (NULL, &env, &out, &err), -ENOTDIR, "/run/user/UID not a directory");
  like (err.msg, "is not a directory; pass --root DIR", "not-a-directory message: %s", err.msg);
}

static void
test_root_env_current (void)
{
  state_root_env env;
  rt_error err = { 0 };
  char *out = NULL;
  int pipefd[2], status;
  char buf[8] = "";
  pid_t pid;

  setenv ("XDG_RUNTIME_DIR", "/some/where", 1);
  setenv ("USER", "someone", 1);
  state_root_env_current (&env);
  is_int (env.euid, geteuid (), "current euid");
  is_str (env.xdg_runtime_dir, "/some/where", "current XDG_RUNTIME_DIR");
  is_str (env.user, "someone", "current USER");
  is_str (env.run_user, "/run/user", "current run_user");
  if (geteuid () == 0 && env.initial_userns)
    {
      ok (state_root_resolve (NULL, &out, &err) == 0, "state_root_resolve as real root");
      is_str (out, "/run/runc", "real root ignores XDG_RUNTIME_DIR");
      free (out);
    }
  else
    printf ("ok %d # SKIP not real root in the initial user namespace\n", ++tap_n);

  /* A fresh user namespace has an empty uid_map: not the initial one.  */
  ok (pipe (pipefd) == 0, "pipe");
  pid = fork ();
  if (pid == 0)
    {
      state_root_env e;
      close (pipefd[0]);
      if (unshare (CLONE_NEWUSER) < 0)
        _exit (2);
      state_root_env_current (&e);
      if (write (pipefd[1], e.initial_userns ? "init" : "user", 4) != 4)
        _exit (3);
      _exit (0);
    }
  close (pipefd[1]);
  if (read (pipefd[0], buf, 4) != 4)
    buf[0] = '\0';
  close (pipefd[0]);
  waitpid (pid, &status, 0);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 2)
    printf ("ok %d # SKIP unshare(CLONE_NEWUSER) not permitted\n", ++tap_n);
  else
    is_str (buf, "user", "inside a new user namespace initial_userns is false");
  unsetenv ("XDG_RUNTIME_DIR");
  unsetenv ("USER");
}

/* ---- root open ---------------------------------------------------------------- */

static mode_t
mode_of (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 ? st.st_mode & 07777 : (mode_t) -1;
}

static void
test_root_open (void)
{
  _cleanup_free_ char *deep = tmp_path ("r1/a/b"), *a = tmp_path ("r1/a"), *other = tmp_path ("r2");
  _cleanup_free_ char *xdg = tmp_path ("xdg"), *xroot = tmp_path ("xdg/runc"), *missing = tmp_path ("nope/runc");
  rt_error err = { 0 };
  int fd;

  umask (022);
  fd = state_root_open (deep, true, &err);
  ok (fd >= 0, "state_root_open creates the path: %s", fd < 0 ? err.msg : "");
  ok (fd >= 0 && (fcntl (fd, F_GETFL) & O_PATH), "the fd is O_PATH");
  ok (fd >= 0 && (fcntl (fd, F_GETFD) & FD_CLOEXEC), "the fd is close-on-exec");
  is_int (mode_of (deep), 0700, "created root has mode 0700");
  is_int (mode_of (a), 0700, "created parents have mode 0700");
  if (fd >= 0)
    close (fd);
  fd = state_root_open (deep, false, &err);
  ok (fd >= 0, "existing root opens without create");
  if (fd >= 0)
    close (fd);

  is_int (state_root_open (missing, false, &err), -ENOENT, "missing root without create: ENOENT");
  ok (access (missing, F_OK) < 0, "and nothing was created");
  is_int (state_root_open ("relative", true, &err), -EINVAL, "relative root refused");

  ok (mkdir (other, 0700) == 0 && chown (other, 65534, 65534) == 0, "make a root owned by another user");
  is_int (state_root_open (other, true, &err), -EPERM, "a root owned by someone else is refused");
  like (err.msg, "belongs to uid 65534", "owner message: %s", err.msg);

  /* Under XDG_RUNTIME_DIR the root gets the sticky bit, even if it existed.  */
  setenv ("XDG_RUNTIME_DIR", xdg, 1);
  ok (mkdir (xdg, 0700) == 0, "mkdir xdg");
  fd = state_root_open (xroot, true, &err);
  ok (fd >= 0, "open root under XDG_RUNTIME_DIR");
  is_int (mode_of (xroot), 01700, "XDG root has mode 01700");
  if (fd >= 0)
    close (fd);
  ok (chmod (xroot, 0755) == 0, "loosen the XDG root");
  fd = state_root_open (xroot, true, &err);
  is_int (mode_of (xroot), 01700, "an existing XDG root is reset to 01700");
  if (fd >= 0)
    close (fd);
  is_int (mode_of (deep), 0700, "a root outside XDG_RUNTIME_DIR gets no sticky bit");
  unsetenv ("XDG_RUNTIME_DIR");
}

/* ---- container directories -------------------------------------------------- */

static rt_state
sample_state (const char *id)
{
  rt_state st = { 0 };

  st.id = xstrdup (id);
  st.pid = 4242;
  st.pid_start_time = 123456789012ULL;
  st.bundle = xstrdup ("/b/\"quoted\" & <odd>");
  st.rootfs = xstrdup ("/b/rootfs");
  st.created = xstrdup ("2026-11-23T13:38:00.123456789Z");
  st.oci_version = xstrdup ("1.2.0");
  st.n_annotations = 2;
  st.annotations = xzalloc (2 * sizeof *st.annotations);
  st.annotations[0].key = xstrdup ("org.example/z");
  st.annotations[0].value = xstrdup ("first");
  st.annotations[1].key = xstrdup ("a");
  st.annotations[1].value = xstrdup ("üñí\ncode");
  st.rootless = true;
  st.systemd_cgroup = true;
  st.cgroup = xstrdup ("/sys/fs/cgroup/unified/x");
  st.has_pidns = true;
  st.userns = true;
  st.no_pivot = true;
  st.keep_on_exit = true;
  st.n_helpers = 2;
  st.helpers = xzalloc (2 * sizeof *st.helpers);
  st.helper_start_times = xzalloc (2 * sizeof *st.helper_start_times);
  st.helpers[0] = 77;
  st.helper_start_times[0] = 5;
  st.helpers[1] = 78;
  st.helper_start_times[1] = UINT64_MAX;
  return st;
}

static void
test_state_roundtrip (int dfd, const char *id)
{
  rt_state st = sample_state (id), back;
  rt_error err = { 0 };
  struct stat sb;

  ok (state_write (dfd, &st, &err) == 0, "state_write");
  ok (fstatat (dfd, STATE_FILE, &sb, 0) == 0 && (sb.st_mode & 0777) == 0600, "state.json has mode 0600");
  ok (state_read (dfd, &back, &err) == 0, "state_read: %s", err.msg);
  is_str (back.id, st.id, "id");
  is_int (back.pid, st.pid, "pid");
  ok (back.pid_start_time == st.pid_start_time, "pid_start_time");
  is_str (back.bundle, st.bundle, "bundle with characters JSON escapes");
  is_str (back.rootfs, st.rootfs, "rootfs");
  is_str (back.created, st.created, "created");
  is_str (back.oci_version, st.oci_version, "oci_version");
  is_int (back.n_annotations, 2, "annotation count");
  if (back.n_annotations == 2)
    {
      is_str (back.annotations[0].key, "org.example/z", "annotations keep their order (key 0)");
      is_str (back.annotations[0].value, "first", "annotation value 0");
      is_str (back.annotations[1].key, "a", "annotation key 1");
      is_str (back.annotations[1].value, "üñí\ncode", "annotation value 1 (UTF-8, newline)");
    }
  ok (back.rootless && back.systemd_cgroup && back.has_pidns && back.userns && back.no_pivot && back.keep_on_exit,
      "every bool true survives");
  is_str (back.cgroup, st.cgroup, "cgroup");
  is_int (back.n_helpers, 2, "helper count");
  if (back.n_helpers == 2)
    ok (back.helpers[0] == 77 && back.helpers[1] == 78 && back.helper_start_times[0] == 5
            && back.helper_start_times[1] == UINT64_MAX,
        "helpers and their start times");
  rt_state_free (&back);

  /* the opposite values: false bools, NULL strings, no helpers/annotations */
  rt_state_free (&st);
  st.id = xstrdup (id);
  st.pid = 0;
  ok (state_write (dfd, &st, &err) == 0, "state_write of a minimal state");
  ok (state_read (dfd, &back, &err) == 0, "state_read of a minimal state");
  ok (back.pid == 0 && back.cgroup == NULL && back.bundle == NULL && back.n_annotations == 0 && back.n_helpers == 0
          && !back.rootless && !back.keep_on_exit,
      "NULL strings, false bools and empty lists survive");
  rt_state_free (&back);
  rt_state_free (&st);
  ok (st.id == NULL && st.n_helpers == 0, "rt_state_free leaves an empty struct");
}

static void
expect_corrupt (int dfd, const char *id, const char *text, int code, const char *needle, const char *what)
{
  rt_error err = { 0 };
  rt_state st;
  char *prefix;

  write_file_at (dfd, STATE_FILE, text, strlen (text), 0600, &err);
  is_int (state_read (dfd, &st, &err), -code, "%s is refused", what);
  xasprintf (&prefix, "state.json of container %s ", id);
  like (err.msg, prefix, "%s: message names the container", what);
  like (err.msg, needle, "%s: %s", what, err.msg);
  ok (st.id == NULL && st.annotations == NULL, "%s: nothing half-filled is returned", what);
  free (prefix);
}

static void
test_state_corrupt (int dfd, const char *id)
{
  rt_error err = { 0 };
  rt_state st;
  char *text;

  xasprintf (&text, "{\"version\":1,\"id\":\"%s\",\"pid\":7,\"futureKey\":{\"x\":[1,2]},\"bundle\":\"/b\"}", id);
  write_file_at (dfd, STATE_FILE, text, strlen (text), 0600, &err);
  ok (state_read (dfd, &st, &err) == 0, "unknown keys are ignored");
  ok (st.pid == 7 && st.bundle && strcmp (st.bundle, "/b") == 0, "known keys next to unknown ones are read");
  rt_state_free (&st);
  free (text);

  /* "%s" in a document stands for the container's ID.  */
  static const struct
  {
    const char *doc;
    int code;
    const char *needle, *what;
  } cases[] = {
    { "not json at all", EINVAL, "is corrupt: ", "invalid JSON" },
    { "", EINVAL, "is corrupt: ", "an empty file" },
    { "[1]", EINVAL, "is corrupt: the document is an array", "an array" },
    { "{\"id\":\"%s\",\"pid\":1}", EINVAL, "is corrupt: no \"version\" key", "no version" },
    { "{\"version\":2,\"id\":\"%s\",\"pid\":1}", EPROTO, "has version 2, written by a newer runtime",
      "a newer version" },
    { "{\"version\":1,\"id\":\"%s\",\"pid\":\"12\"}", EINVAL, "is corrupt: \"pid\" is a string, expected a process ID",
      "a string pid" },
    { "{\"version\":1,\"id\":\"%s\"}", EINVAL, "is corrupt: no \"pid\" key", "no pid" },
    { "{\"version\":1,\"id\":\"%s\",\"pid\":1,\"rootless\":1}", EINVAL,
      "\"rootless\" is a number, expected a boolean", "a number for a bool" },
    { "{\"version\":1,\"id\":\"%s\",\"pid\":1,\"annotations\":{\"a\":\"1\",\"b\":2}}", EINVAL,
      "annotation \"b\" is a number", "a non-string annotation" },
    { "{\"version\":1,\"id\":\"%s\",\"pid\":1,\"helpers\":[{\"pid\":0}]}", EINVAL, "helpers[0] has no valid \"pid\"",
      "a bad helper" },
    { "{\"version\":1,\"id\":\"other\",\"pid\":1}", EINVAL, "it names container \"other\"", "a state for another ID" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      xasprintf (&text, cases[i].doc, id);
      expect_corrupt (dfd, id, text, cases[i].code, cases[i].needle, cases[i].what);
      free (text);
    }
}

static void
test_dirs (void)
{
  _cleanup_free_ char *root = tmp_path ("root"), *link = NULL;
  rt_error err = { 0 };
  char **ids = NULL;
  size_t n = 0;
  int rfd, fd, fd2;
  rt_state st;

  rfd = state_root_open (root, true, &err);
  ok (rfd >= 0, "open root");

  fd = state_dir_create (rfd, "c1", &err);
  ok (fd >= 0, "state_dir_create c1");
  ok (fd >= 0 && (fcntl (fd, F_GETFD) & FD_CLOEXEC), "container fd is close-on-exec");
  {
    _cleanup_free_ char *c1 = tmp_path ("root/c1");
    is_int (mode_of (c1), 0700, "container directory has mode 0700");
    /* The creator holds LOCK_EX: another open file description cannot lock.  */
    int probe = open (c1, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ok (probe >= 0 && flock (probe, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK, "created directory is locked");
    if (probe >= 0)
      close (probe);
  }
  is_int (state_dir_create (rfd, "c1", &err), -EEXIST, "creating c1 again");
  is_str (err.msg, "container with id exists: c1", "EEXIST message");
  is_int (state_dir_create (rfd, "../x", &err), -EINVAL, "create refuses a bad ID");
  close (fd);

  is_int (state_dir_open (rfd, "c1", false, &err), -ENOENT, "a directory without state.json does not exist");
  is_str (err.msg, "container does not exist", "runc's message");
  is_int (state_dir_open (rfd, "nosuch", true, &err), -ENOENT, "a missing container");
  is_str (err.msg, "container does not exist", "runc's message for a missing container");
  is_int (state_dir_open (rfd, "a/b", true, &err), -EINVAL, "open refuses a bad ID");

  /* state.json round trip in c1 */
  fd = state_dir_open (rfd, "c1", true, &err);
  ok (fd < 0, "still no state");
  {
    _cleanup_free_ char *c1 = tmp_path ("root/c1");
    int dfd = open (c1, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    is_int (state_read (dfd, &st, &err), -ENOENT, "state_read without state.json");
    is_str (err.msg, "container does not exist", "state_read says the container does not exist");
    test_state_roundtrip (dfd, "c1");
    test_state_corrupt (dfd, "c1");
    /* leave a valid state behind */
    st = sample_state ("c1");
    ok (state_write (dfd, &st, &err) == 0, "rewrite a valid state");
    rt_state_free (&st);
    close (dfd);
  }
  fd = state_dir_open (rfd, "c1", false, &err);
  ok (fd >= 0, "state_dir_open c1 (shared)");
  fd2 = state_dir_open (rfd, "c1", false, &err);
  ok (fd2 >= 0, "a second shared lock is granted at once");
  if (fd2 >= 0)
    close (fd2);
  if (fd >= 0)
    close (fd);

  /* listing */
  close (state_dir_create (rfd, "c2", &err));
  close (state_dir_create (rfd, "A0", &err));
  ok (mkdirat (rfd, "bad:name", 0700) == 0, "a directory with an invalid name");
  ok (write_file_at (rfd, "notadir", "", 0, 0600, &err) == 0, "a plain file");
  link = tmp_path ("root/link");
  ok (symlink ("c1", link) == 0, "a symlink to a container");
  ok (state_list_ids (rfd, &ids, &n, &err) == 0, "state_list_ids");
  is_int (n, 3, "three containers listed");
  if (n == 3)
    {
      is_str (ids[0], "A0", "sorted (0)");
      is_str (ids[1], "c1", "sorted (1)");
      is_str (ids[2], "c2", "sorted (2)");
    }
  ok (ids != NULL && ids[n] == NULL, "the list is NULL-terminated");
  strv_free (ids);
  is_int (state_dir_open (rfd, "link", false, &err), -ENOENT, "a symlink is not a container");

  /* removal, with a stray file and subdirectory inside */
  fd = state_dir_open (rfd, "c1", true, &err);
  ok (fd >= 0, "lock c1 for removal");
  ok (write_file_at (fd, "exec.fifo", "", 0, 0600, &err) == 0 && mkdirat (fd, "sub", 0700) == 0
          && write_file_at (fd, "sub/f", "x", 1, 0600, &err) == 0,
      "extra content in c1");
  ok (state_dir_remove (rfd, "c1", &err) == 0, "state_dir_remove c1: %s", err.msg);
  ok (faccessat (rfd, "c1", F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT, "c1 is gone");
  ok (state_dir_remove (rfd, "c1", &err) == 0, "removing it again is fine");
  if (fd >= 0)
    close (fd);
  ok (state_list_ids (rfd, &ids, &n, &err) == 0 && n == 2, "two left");
  strv_free (ids);

  /* an empty root lists as empty */
  {
    _cleanup_free_ char *empty = tmp_path ("emptyroot");
    int efd = state_root_open (empty, true, &err);
    ok (state_list_ids (efd, &ids, &n, &err) == 0 && n == 0 && ids && ids[0] == NULL, "an empty root lists nothing");
    strv_free (ids);
    close (efd);
  }
  close (rfd);
}

/* ---- locking across processes ------------------------------------------------ */

static int
make_container (int rfd, const char *id)
{
  rt_state st = sample_state (id);
  rt_error err = { 0 };
  int fd = state_dir_create (rfd, id, &err);
  if (fd >= 0 && state_write (fd, &st, &err) < 0)
    {
      close (fd);
      fd = -1;
    }
  rt_state_free (&st);
  return fd;
}

/* A child that calls state_dir_open behind the parent's locked fd and
   reports over a pipe: "ok" or the error message.  */
struct waiter
{
  pid_t pid;
  int rd;
};

static struct waiter
start_waiter (int rfd, const char *id, bool exclusive, int held, const char *what)
{
  struct waiter w = { -1, -1 };
  struct pollfd pfd;
  int p[2];

  if (pipe2 (p, O_CLOEXEC) < 0)
    return w;
  w.pid = fork ();
  if (w.pid == 0)
    {
      rt_error err = { 0 };
      const char *msg;

      /* The inherited copy of the parent's fd shares its lock (one open
         file description): drop it, or the parent could never let go.  */
      close (held);
      msg = state_dir_open (rfd, id, exclusive, &err) >= 0 ? "ok" : err.msg;
      if (write (p[1], msg, strlen (msg)) < 0)
        _exit (1);
      _exit (0);
    }
  close (p[1]);
  w.rd = p[0];
  pfd = (struct pollfd){ .fd = w.rd, .events = POLLIN };
  ok (poll (&pfd, 1, 300) == 0, "%s: the opener waits", what);
  return w;
}

static void
finish_waiter (struct waiter w, const char *want, const char *what)
{
  struct pollfd pfd = { .fd = w.rd, .events = POLLIN };
  char buf[256] = "";
  ssize_t n;

  ok (poll (&pfd, 1, 5000) == 1, "%s: the opener proceeds", what);
  n = read (w.rd, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = '\0';
  close (w.rd);
  waitpid (w.pid, NULL, 0);
  is_str (buf, want, "%s: result", what);
}

static void
test_locking (void)
{
  _cleanup_free_ char *root = tmp_path ("lockroot");
  rt_error err = { 0 };
  struct waiter w;
  int rfd, fd, fd2;

  rfd = state_root_open (root, true, &err);
  fd = make_container (rfd, "L");
  ok (fd >= 0, "container L created and locked");

  w = start_waiter (rfd, "L", false, fd, "reader behind the creator");
  close (fd);
  finish_waiter (w, "ok", "reader behind the creator");

  fd = state_dir_open (rfd, "L", false, &err);
  w = start_waiter (rfd, "L", true, fd, "writer behind a reader");
  close (fd);
  finish_waiter (w, "ok", "writer behind a reader");

  fd = state_dir_open (rfd, "L", true, &err);
  w = start_waiter (rfd, "L", false, fd, "reader behind a delete");
  ok (state_dir_remove (rfd, "L", &err) == 0, "delete while holding the lock");
  close (fd);
  finish_waiter (w, "container does not exist", "reader behind a delete");

  fd = make_container (rfd, "L");
  w = start_waiter (rfd, "L", false, fd, "reader behind delete + re-create");
  ok (state_dir_remove (rfd, "L", &err) == 0, "delete");
  fd2 = make_container (rfd, "L");
  ok (fd2 >= 0, "re-create under the same name");
  close (fd);
  {
    struct pollfd pfd = { .fd = w.rd, .events = POLLIN };
    ok (poll (&pfd, 1, 300) == 0, "the waiter moved on to the new container's lock");
  }
  close (fd2);
  finish_waiter (w, "ok", "reader behind delete + re-create");
  close (rfd);
}

/* ---- processes --------------------------------------------------------------- */

/* Independent of the code under test: a plain field split, valid when comm
   has no spaces.  */
static unsigned long long
naive_start_time (pid_t pid)
{
  char path[64], buf[1024], *tok, *save = NULL;
  unsigned long long v = 0;
  int i = 1;
  FILE *f;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  f = fopen (path, "re");
  if (f == NULL || fgets (buf, sizeof buf, f) == NULL)
    {
      if (f)
        fclose (f);
      return 0;
    }
  fclose (f);
  for (tok = strtok_r (buf, " ", &save); tok; tok = strtok_r (NULL, " ", &save), i++)
    if (i == 22)
      v = strtoull (tok, NULL, 10);
  return v;
}

static char
proc_state_char (pid_t pid)
{
  char path[64], buf[1024];
  ssize_t n;
  int fd;
  char *p;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return '?';
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return '?';
  buf[n] = '\0';
  p = strrchr (buf, ')');
  return p && p[1] ? p[2] : '?';
}

static void
test_processes (void)
{
  uint64_t self = 0, st1 = 0, st2 = 0, zst = 0;
  int p[2], status;
  pid_t child, dead, zombie;
  char c;

  ok (proc_start_time (getpid (), &self) == 0, "proc_start_time(self)");
  ok (self == naive_start_time (getpid ()), "matches a plain parse of field 22 (%llu)", (unsigned long long) self);
  ok (proc_alive (getpid (), self), "self is alive with its start time");
  ok (!proc_alive (getpid (), self + 1), "self with a bogus start time is not (PID reuse)");
  ok (!proc_alive (0, 0) && !proc_alive (-5, 0), "PID 0 and negative PIDs are not alive");

  /* comm with spaces and parentheses */
  ok (pipe2 (p, O_CLOEXEC) == 0, "pipe");
  child = fork ();
  if (child == 0)
    {
      prctl (PR_SET_NAME, "a) b ) (c 1 2", 0, 0, 0);
      if (write (p[1], "x", 1) != 1)
        _exit (1);
      pause ();
      _exit (0);
    }
  ok (proc_start_time (child, &st1) == 0, "start time of the child");
  ok (read (p[0], &c, 1) == 1, "child renamed itself");
  ok (proc_start_time (child, &st2) == 0, "start time with a hostile comm");
  ok (st1 == st2 && st1 != 0, "field 22 found after the last ')' (%llu == %llu)", (unsigned long long) st1,
      (unsigned long long) st2);
  ok (proc_alive (child, st1), "the renamed child is alive");
  kill (child, SIGKILL);
  waitpid (child, &status, 0);
  close (p[0]);
  close (p[1]);

  /* dead and reaped */
  dead = fork ();
  if (dead == 0)
    _exit (0);
  waitpid (dead, &status, 0);
  ok (!proc_alive (dead, st1), "a reaped child is not alive");
  is_int (proc_start_time (dead, &st2), -ESRCH, "proc_start_time of a reaped child: ESRCH");

  /* zombie: exited, not reaped */
  zombie = fork ();
  if (zombie == 0)
    _exit (0);
  for (int i = 0; i < 500 && proc_state_char (zombie) != 'Z'; i++)
    usleep (10000);
  is_int (proc_state_char (zombie), 'Z', "the child is a zombie");
  ok (proc_start_time (zombie, &zst) == 0 && zst != 0, "a zombie still has a start time");
  ok (!proc_alive (zombie, zst), "a zombie is not alive even with the right start time");
  waitpid (zombie, &status, 0);
}

/* ---- time ------------------------------------------------------------------------ */

static void
test_rfc3339 (void)
{
  static const struct
  {
    time_t sec;
    long nsec;
    const char *want;
  } cases[] = {
    { 0, 0, "1970-01-01T00:00:00Z" },
    { 1136214245, 999999999, "2006-01-02T15:04:05.999999999Z" },
    { 1136214245, 500000000, "2006-01-02T15:04:05.5Z" },
    { 1136214245, 120000, "2006-01-02T15:04:05.00012Z" },
    { 1136214245, 1, "2006-01-02T15:04:05.000000001Z" },
    { 1136214245, 100, "2006-01-02T15:04:05.0000001Z" },
    { 1795441080, 123456789, "2026-11-23T13:38:00.123456789Z" },
    { 951782400, 10, "2000-02-29T00:00:00.00000001Z" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      struct timespec ts = { .tv_sec = cases[i].sec, .tv_nsec = cases[i].nsec };
      char *got = rfc3339_format (&ts);
      is_str (got, cases[i].want, "rfc3339_format(%lld.%09ld)", (long long) cases[i].sec, cases[i].nsec);
      free (got);
    }

  char *now = rfc3339_now ();
  if (now == NULL)
    now = xstrdup ("(null)");
  int y, mo, d, h, mi, s, used = 0;
  ok (sscanf (now, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) == 6 && y >= 2024,
      "rfc3339_now looks like a current timestamp: %s", now);
  ok (now[strlen (now) - 1] == 'Z' && (now[used] == '.' || now[used] == 'Z'), "UTC, with the fraction if any");
  free (now);
}

int
main (void)
{
  char *rm;

  if (mkdtemp (tmpdir) == NULL)
    {
      perror ("mkdtemp");
      return 1;
    }
  test_validate_id ();
  test_root_resolve ();
  test_root_env_current ();
  if (geteuid () == 0)
    test_root_open ();
  else
    printf ("ok %d # SKIP state_root_open tests chown and need root\n", ++tap_n);
  test_dirs ();
  test_locking ();
  test_processes ();
  test_rfc3339 ();

  xasprintf (&rm, "rm -rf '%s'", tmpdir);
  ok (system (rm) == 0, "remove the scratch directory");
  free (rm);
  return tap_done ();
}
