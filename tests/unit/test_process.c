#include "config.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "process.h"
#include "syscall_filter.h"
#include "tap.h"
#include "child.h"
#include "util.h"

#define STRS(...) ((char *[]) { __VA_ARGS__ })
#define NSTRS(...) (sizeof (STRS (__VA_ARGS__)) / sizeof (char *))

static char tree[] = "/tmp/test_process.XXXXXX";
static char empty_tree[] = "/tmp/test_process_empty.XXXXXX";

/* ---- rlimits --------------------------------------------------------------------- */

static void
test_rlimit_names (void)
{
  static const struct
  {
    const char *name;
    int value;
  } all[] = {
    { "RLIMIT_AS", RLIMIT_AS },       { "RLIMIT_CORE", RLIMIT_CORE },       { "RLIMIT_CPU", RLIMIT_CPU },
    { "RLIMIT_DATA", RLIMIT_DATA },   { "RLIMIT_FSIZE", RLIMIT_FSIZE },     { "RLIMIT_LOCKS", RLIMIT_LOCKS },
    { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
    { "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },     { "RLIMIT_RSS", RLIMIT_RSS },
    { "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },   { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
    { "RLIMIT_STACK", RLIMIT_STACK },
  };
  bool all_ok = true;

  for (size_t i = 0; i < ARRAY_SIZE (all); i++)
    if (rlimit_from_name (all[i].name) != all[i].value)
      all_ok = false;
  ok (all_ok, "all 16 rlimit names map to the kernel's numbers");
  is_int (rlimit_from_name ("RLIMIT_FOO"), -EINVAL, "unknown rlimit");
  is_int (rlimit_from_name ("rlimit_nofile"), -EINVAL, "rlimit names are case-sensitive");
}

static void
test_validate (void)
{
  spec_rlimit bad_type[] = { { .type = "RLIMIT_NOFILE", .hard = 10, .soft = 10 }, { .type = "RLIMIT_FOO" } };
  spec_rlimit soft_gt_hard[] = { { .type = "RLIMIT_CORE", .hard = 5, .soft = 10 } };
  spec_process p = { .args = STRS ("sh"), .n_args = 1, .env = STRS ("A=1", "B="), .n_env = 2 };
  rt_error err = { 0 };

  is_int (proc_validate (&p, &err), 0, "a valid process");
  p.n_args = 0;
  ok (proc_validate (&p, &err) < 0, "empty args refused");
  is_str (err.msg, "process.args: args must not be empty", "empty args message");
  p.n_args = 1;
  p.env = STRS ("A=1", "NOEQUALS");
  ok (proc_validate (&p, &err) < 0, "env entry without '=' refused");
  is_str (err.msg, "process.env[1]: invalid environment variable: missing '='", "missing '=' message (runc's)");
  p.env = STRS ("=x", "A=1");
  ok (proc_validate (&p, &err) < 0, "env entry with an empty name refused");
  is_str (err.msg, "process.env[0]: invalid environment variable: name cannot be empty", "empty name message");
  p.env = NULL;
  p.n_env = 0;
  p.rlimits = bad_type;
  p.n_rlimits = 2;
  ok (proc_validate (&p, &err) < 0, "unknown rlimit type refused");
  is_str (err.msg, "process.rlimits[1].type: wrong rlimit value: \"RLIMIT_FOO\"", "unknown rlimit message");
  p.rlimits = soft_gt_hard;
  p.n_rlimits = 1;
  ok (proc_set_rlimits (&p, &err) < 0, "soft > hard refused before any prlimit");
  is_str (err.msg, "process.rlimits[0]: RLIMIT_CORE soft limit 10 is greater than the hard limit 5",
          "soft > hard names the entry");
}

static int
child_rlimits (void *data, int out)
{
  /* Only lowering: raising a hard limit needs CAP_SYS_RESOURCE, which a
     sandbox may lack.  FSIZE is unlimited on any sane host.  */
  spec_rlimit limits[] = {
    { .type = "RLIMIT_NOFILE", .hard = 400, .soft = 100 },
    { .type = "RLIMIT_CORE", .hard = 0, .soft = 0 },
    { .type = "RLIMIT_NICE", .hard = 0, .soft = 0 },
    { .type = "RLIMIT_NOFILE", .hard = 300, .soft = 150 },
    { .type = "RLIMIT_FSIZE", .hard = UINT64_MAX, .soft = UINT64_MAX },
  };
  spec_process p = { .rlimits = limits, .n_rlimits = ARRAY_SIZE (limits) };
  static const int res[] = { RLIMIT_NOFILE, RLIMIT_CORE, RLIMIT_NICE, RLIMIT_FSIZE };
  rt_error err = { 0 };

  (void) data;
  if (proc_set_rlimits (&p, &err) < 0)
    {
      child_say (out, "error: %s", err.msg);
      return 1;
    }
  for (size_t i = 0; i < ARRAY_SIZE (res); i++)
    {
      struct rlimit rl;
      getrlimit (res[i], &rl);
      child_say (out, "%d=%lld/%lld ", res[i], rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long) rl.rlim_cur,
                 rl.rlim_max == RLIM_INFINITY ? -1LL : (long long) rl.rlim_max);
    }
  /* Raising a hard limit needs CAP_SYS_RESOURCE, which a switch to a
     non-root uid drops: the error names the entry.  */
  limits[0].hard = limits[0].soft = 400;
  p.n_rlimits = 1;
  if (setresuid (1000, 1000, 1000) < 0)
    return 2;
  if (proc_set_rlimits (&p, &err) == 0)
    return 3;
  child_say (out, "\nerror: %s", err.msg);
  return 0;
}

static void
test_rlimits_apply (void)
{
  char want[128], *text = run_child_ok (child_rlimits, NULL, "rlimits applied in a child");
  snprintf (want, sizeof want, "%d=150/300 ", RLIMIT_NOFILE);
  like (text, want, "RLIMIT_NOFILE: a later entry of the same type wins");
  snprintf (want, sizeof want, "%d=0/0 ", RLIMIT_CORE);
  like (text, want, "RLIMIT_CORE 0/0");
  snprintf (want, sizeof want, "%d=0/0 ", RLIMIT_NICE);
  like (text, want, "RLIMIT_NICE 0/0");
  snprintf (want, sizeof want, "%d=-1/-1 ", RLIMIT_FSIZE);
  like (text, want, "UINT64_MAX is RLIM_INFINITY");
  like (text, "error: process.rlimits[0]: set RLIMIT_NOFILE to 400/400: Operation not permitted",
        "a refused prlimit names the entry and the errno");
  free (text);
}

/* ---- a small root to chroot into --------------------------------------------------- */

static int
put_file (const char *rel, const char *content, mode_t mode)
{
  char path[256];
  rt_error err = { 0 };

  snprintf (path, sizeof path, "%s/%s", tree, rel);
  if (write_file_at (AT_FDCWD, path, content, strlen (content), mode, &err) < 0)
    return -1;
  return chmod (path, mode);
}

static bool
make_tree (void)
{
  static const char *const dirs[] = { "bin", "usr", "usr/bin", "sbin", "sbin/adir", "rel", "etc", "proc" };
  char path[256], cmd[512];

  if (mkdtemp (tree) == NULL || mkdtemp (empty_tree) == NULL)
    return false;
  for (size_t i = 0; i < ARRAY_SIZE (dirs); i++)
    {
      snprintf (path, sizeof path, "%s/%s", tree, dirs[i]);
      if (mkdir (path, 0755) < 0)
        return false;
    }
  snprintf (cmd, sizeof cmd, "cp /bin/busybox %s/bin/busybox && ln -s busybox %s/bin/sh", tree, tree);
  if (system (cmd) != 0)
    return false;
  return put_file ("usr/bin/tool", "#!/bin/sh\necho tool\n", 0755) == 0
         && put_file ("usr/bin/noexec", "data\n", 0644) == 0 && put_file ("rel/relbin", "#!/bin/sh\n", 0755) == 0
         && put_file ("etc/passwd",
                      "root:x:0:0:root:/root:/bin/sh\n"
                      "# a comment line\n"
                      "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                      "user:x:1000:1000:A User,,,:/home/user:/bin/sh\n"
                      "broken\n"
                      "nohome:x:1001:1001:::/bin/sh\n",
                      0644)
                == 0;
}

static void
remove_tree (void)
{
  char cmd[512];
  snprintf (cmd, sizeof cmd, "rm -rf %s %s", tree, empty_tree);
  if (system (cmd) != 0)
    printf ("# could not remove %s\n", tree);
}

static int
enter_root (const char *root)
{
  if (chroot (root) < 0 || chdir ("/") < 0)
    return -1;
  return 0;
}

/* ---- PATH lookup -------------------------------------------------------------------- */

static const struct
{
  const char *name;
  char **env;
  size_t n_env;
  const char *want; /* "=path" or the error message */
} lookups[] = {
  { "sh", STRS ("PATH=/usr/bin:/bin"), 1, "=/bin/sh" },
  { "tool", STRS ("PATH=/usr/bin:/bin"), 1, "=/usr/bin/tool" },
  { "busybox", STRS ("TERM=xterm", "PATH=/nope:/bin/"), 2, "=/bin/busybox" },
  { "sh", STRS ("PATH=/nope", "PATH=/bin"), 2, "=/bin/sh" },
  { "sh", STRS ("TERM=xterm"), 1, "exec: \"sh\": executable file not found in $PATH" },
  { "sh", NULL, 0, "exec: \"sh\": executable file not found in $PATH" },
  { "noexec", STRS ("PATH=/usr/bin"), 1, "exec: \"noexec\": executable file not found in $PATH" },
  { "adir", STRS ("PATH=/sbin"), 1, "exec: \"adir\": executable file not found in $PATH" },
  { "relbin", STRS ("PATH=/bin:rel"), 1, "exec: \"relbin\": cannot run executable found relative to current directory" },
  { "/bin/nope", STRS ("PATH=/bin"), 1, "exec: \"/bin/nope\": stat /bin/nope: no such file or directory" },
  { "/usr/bin/noexec", STRS ("PATH=/bin"), 1, "exec: \"/usr/bin/noexec\": permission denied" },
  { "/bin", STRS ("PATH=/bin"), 1, "exec: \"/bin\": is a directory" },
  { "/bin/sh", NULL, 0, "=/bin/sh" },
  { "bin/busybox", NULL, 0, "=bin/busybox" },
  { "./usr/bin/tool", NULL, 0, "=./usr/bin/tool" },
  { "usr/bin/nope", NULL, 0, "exec: \"usr/bin/nope\": stat usr/bin/nope: no such file or directory" },
};

static int
child_lookup (void *data, int out)
{
  (void) data;
  if (enter_root (tree) < 0)
    return 1;
  for (size_t i = 0; i < ARRAY_SIZE (lookups); i++)
    {
      spec_process p = { .args = STRS ((char *) lookups[i].name), .n_args = 1, .env = lookups[i].env,
                         .n_env = lookups[i].n_env };
      rt_error err = { 0 };
      char *found = NULL;

      if (proc_find_executable (&p, &found, &err) == 0)
        child_say (out, "=%s\n", found);
      else
        child_say (out, "%s\n", err.msg);
      free (found);
    }
  return 0;
}

static void
test_lookup (void)
{
  char *text = run_child_ok (child_lookup, NULL, "PATH lookups ran in a chroot"), *line, *save = NULL;
  size_t i = 0;

  for (line = strtok_r (text, "\n", &save); line && i < ARRAY_SIZE (lookups); line = strtok_r (NULL, "\n", &save), i++)
    is_str (line, lookups[i].want, "lookup of \"%s\" with %s", lookups[i].name,
            lookups[i].n_env ? lookups[i].env[lookups[i].n_env - 1] : "no env");
  is_int (i, ARRAY_SIZE (lookups), "one answer per lookup");
  free (text);
}

/* ---- environment -------------------------------------------------------------------- */

static const struct
{
  char **env;
  size_t n_env;
  uint32_t uid;
  char **extra;
  size_t n_extra;
  const char *want; /* entries joined with ';' */
} envs[] = {
  { STRS ("PATH=/bin", "A=1", "A=2", "HOME="), 4, 1000, STRS ("LISTEN_FDS=1", "A=3"), 2,
    "PATH=/bin;LISTEN_FDS=1;A=3;HOME=/home/user;" },
  { STRS ("HOME=/custom", "X=1"), 2, 1000, NULL, 0, "HOME=/custom;X=1;" },
  { STRS ("X=1"), 1, 0, NULL, 0, "X=1;HOME=/root;" },
  { STRS ("X=1"), 1, 4242, NULL, 0, "X=1;HOME=/;" },
  { STRS ("X=1"), 1, 1001, NULL, 0, "X=1;HOME=;" },
  { STRS ("X=1", "bad", "=foo", "Y=a=b"), 4, 1, NULL, 0, "X=1;Y=a=b;HOME=/usr/sbin;" },
  { NULL, 0, 1000, NULL, 0, "" },
  { NULL, 0, 1000, STRS ("LISTEN_FDS=2"), 1, "LISTEN_FDS=2;HOME=/home/user;" },
};

static int
child_env (void *data, int out)
{
  const char *root = data;

  if (enter_root (root) < 0)
    return 1;
  for (size_t i = 0; i < ARRAY_SIZE (envs); i++)
    {
      spec_process p = { .env = envs[i].env, .n_env = envs[i].n_env, .user = { .uid = envs[i].uid } };
      char **env = proc_build_env (&p, envs[i].extra, envs[i].n_extra);

      for (char **e = env; *e; e++)
        child_say (out, "%s;", *e);
      child_say (out, "\n");
      strv_free (env);
    }
  return 0;
}

static void
test_env (void)
{
  char *text = run_child_ok (child_env, tree, "environments built in a chroot with /etc/passwd"), *line, *save = NULL;
  size_t i = 0;

  for (line = text; line && i < ARRAY_SIZE (envs); i++)
    {
      char *nl = strchr (line, '\n');
      if (nl)
        *nl = '\0';
      is_str (line, envs[i].want, "env case %zu (uid %u)", i, envs[i].uid);
      line = nl ? nl + 1 : NULL;
    }
  free (text);

  text = run_child_ok (child_env, empty_tree, "environments built in a root without /etc/passwd");
  line = strtok_r (text, "\n", &save);
  is_str (line, "PATH=/bin;LISTEN_FDS=1;A=3;HOME=/;", "no passwd: HOME=/");
  free (text);
}

/* ---- identity ---------------------------------------------------------------------- */

static void
say_status (int out, const char *const *keys)
{
  _cleanup_free_ char *status = NULL;
  rt_error err = { 0 };
  char *line, *save = NULL;

  if (read_file_at (AT_FDCWD, "/proc/self/status", &status, &err) < 0)
    return;
  for (line = strtok_r (status, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    for (const char *const *k = keys; *k; k++)
      if (strncmp (line, *k, strlen (*k)) == 0)
        child_say (out, "%s|", line);
}

static const char *const id_keys[] = { "Uid:", "Gid:", "Groups:", "CapPrm:", "CapEff:", NULL };

static int
child_identity (void *data, int out)
{
  uint32_t gids[] = { 1001, 1002 };
  spec_process p = { .user = { .uid = 1000, .gid = 1000, .additional_gids = gids, .n_additional_gids = 2 } };
  gid_t inherited[] = { 5, 6 };
  rt_error err = { 0 };
  struct stat st;
  int pipefd[2];

  if (data)
    p.user.n_additional_gids = 0;
  /* Groups the runtime itself might have, and a stdout owned by root.  */
  if (setgroups (2, inherited) < 0 || pipe (pipefd) < 0 || dup2 (pipefd[1], 1) < 0)
    return 2;
  if (proc_set_identity (&p, true, &err) < 0)
    {
      child_say (out, "error: %s\n", err.msg);
      return 1;
    }
  say_status (out, id_keys);
  fstat (1, &st);
  child_say (out, "stdout-uid=%u|", (unsigned) st.st_uid);
  fstat (0, &st);
  child_say (out, "devnull-uid=%u|", (unsigned) st.st_uid);
  child_say (out, "keepcaps=%d|", prctl (PR_GET_KEEPCAPS, 0, 0, 0, 0));
  return 0;
}

static void
test_identity (void)
{
  char *text = run_child_ok (child_identity, NULL, "identity switch to 1000:1000 with additional gids");

  like (text, "Uid:\t1000\t1000\t1000\t1000|", "all uids are 1000");
  like (text, "Gid:\t1000\t1000\t1000\t1000|", "all gids are 1000");
  like (text, "Groups:\t1001 1002 |", "supplementary groups are exactly additionalGids");
  ok (strstr (text, "CapPrm:\t0000000000000000") == NULL, "the permitted set survived the switch");
  like (text, "CapEff:\t0000000000000000|", "the effective set is empty until caps_apply");
  like (text, "stdout-uid=1000|", "stdout handed to the container user");
  like (text, "devnull-uid=0|", "/dev/null left alone");
  like (text, "keepcaps=0|", "PR_SET_KEEPCAPS cleared again");
  free (text);

  text = run_child_ok (child_identity, "no gids", "identity switch without additional gids");
  like (text, "Groups:\t |", "the runtime's supplementary groups are dropped (setgroups with an empty list)");
  free (text);
}

/* A child in a new user namespace whose maps the parent writes: root inside
   maps to 1000 outside, and setgroups is denied.  */
static int
child_userns (int out, int ready, int go)
{
  static const struct
  {
    uint32_t uid, gid;
    size_t n_gids;
    bool allowed;
  } cases[] = {
    { 0, 0, 0, false }, { 0, 0, 1, false }, { 0, 0, 1, true }, { 0, 5, 0, false }, { 5, 0, 0, false },
  };
  uint32_t gids[] = { 0 };
  char c = 'r';

  if (unshare (CLONE_NEWUSER) < 0 || write (ready, &c, 1) != 1 || read (go, &c, 1) != 1)
    return 2;
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      spec_process p = { .user = { .uid = cases[i].uid, .gid = cases[i].gid, .additional_gids = gids,
                                   .n_additional_gids = cases[i].n_gids } };
      rt_error err = { 0 };
      int r = proc_set_identity (&p, cases[i].allowed, &err);
      child_say (out, "%d %s\n", r, r < 0 ? err.msg : "ok");
    }
  return 0;
}

static void
test_identity_userns (void)
{
  int rep[2], rdy[2], go[2], status = 0;
  char buf[4096] = "", path[64], c;
  rt_error err = { 0 };
  ssize_t n, len = 0;
  pid_t pid;

  if (pipe2 (rep, O_CLOEXEC) < 0 || pipe2 (rdy, O_CLOEXEC) < 0 || pipe2 (go, O_CLOEXEC) < 0)
    abort ();
  fflush (NULL);
  pid = fork ();
  if (pid == 0)
    {
      int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      dup2 (null, 0);
      dup2 (null, 1);
      dup2 (null, 2);
      _exit (child_userns (rep[1], rdy[1], go[0]));
    }
  close (rep[1]);
  close (rdy[1]);
  close (go[0]);
  ok (read (rdy[0], &c, 1) == 1, "the child entered a new user namespace");
  snprintf (path, sizeof path, "/proc/%d/setgroups", (int) pid);
  ok (write_file_at (AT_FDCWD, path, "deny", 4, 0, &err) == 0, "setgroups denied");
  snprintf (path, sizeof path, "/proc/%d/uid_map", (int) pid);
  ok (write_file_at (AT_FDCWD, path, "0 1000 1\n", 9, 0, &err) == 0, "uid_map: a single mapping");
  snprintf (path, sizeof path, "/proc/%d/gid_map", (int) pid);
  ok (write_file_at (AT_FDCWD, path, "0 1000 1\n", 9, 0, &err) == 0, "gid_map: a single mapping");
  if (write (go[1], "g", 1) != 1)
    abort ();
  while ((n = read (rep[0], buf + len, sizeof buf - 1 - (size_t) len)) > 0)
    len += n;
  buf[len] = '\0';
  waitpid (pid, &status, 0);
  ok (CHILD_EXITED_OK (status), "the user namespace child finished");
  like (buf, "0 ok\n", "setgroups denied and no additionalGids: fine");
  like (buf, "-1 process.user.additionalGids: cannot set additional groups: setgroups(2) is denied in this user namespace",
        "setgroups denied and additionalGids: a clear error");
  like (buf, "-1 setgroups to process.user.additionalGids: Operation not permitted",
        "calling setgroups anyway fails in the kernel");
  like (buf, "-22 cannot setgid to unmapped gid 5 in user namespace", "unmapped gid: runc's message");
  like (buf, "-22 cannot setuid to unmapped uid 5 in user namespace", "unmapped uid: runc's message");
  close (rep[0]);
  close (rdy[0]);
  close (go[1]);
}

/* ---- umask, oom_score_adj, no_new_privs --------------------------------------------- */

static int
child_misc (void *data, int out)
{
  spec_process p = { 0 };
  rt_error err = { 0 };
  _cleanup_free_ char *oom = NULL;

  (void) data;
  proc_set_umask (&p);
  child_say (out, "umask-default=%04o|", (unsigned) umask (0));
  p.user.has_umask = true;
  p.user.umask = 077;
  proc_set_umask (&p);
  child_say (out, "umask=%04o|", (unsigned) umask (0));
  if (proc_set_oom_score_adj (getpid (), 500, &err) < 0 || read_file_at (AT_FDCWD, "/proc/self/oom_score_adj", &oom, &err) < 0)
    child_say (out, "oom error: %s|", err.msg);
  else
    child_say (out, "oom=%s|", oom);
  if (proc_set_oom_score_adj (getpid (), 5000, &err) < 0)
    child_say (out, "oom-invalid: %s|", err.msg);
  child_say (out, "nnp-before=%d|", prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  if (proc_set_no_new_privs (&err) < 0)
    return 1;
  child_say (out, "nnp=%d|", prctl (PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  return 0;
}

static void
test_misc (void)
{
  char *text = run_child_ok (child_misc, NULL, "umask/oom/no_new_privs child");

  like (text, "umask-default=0022|", "default umask is runc's 0022");
  like (text, "umask=0077|", "process.user.umask is applied");
  like (text, "oom=500\n|", "oom_score_adj written");
  like (text, "oom-invalid: set oom_score_adj to 5000: write `/proc/", "an out-of-range value names the file");
  like (text, "nnp-before=0|nnp=1|", "no_new_privs set");
  free (text);
}

/* ---- cloexec -------------------------------------------------------------------------- */

static int
child_cloexec (void *data, int out)
{
  rt_error err = { 0 };

  /* Out of the way of the fds the test places.  */
  out = fcntl (out, F_DUPFD_CLOEXEC, 200);
  if (out < 0)
    return 5;
  if (data)
    {
      /* Make close_range fail like an old kernel to exercise the
         /proc/self/fd walk.  */
      spec_seccomp_syscall rule = { .names = STRS ("close_range"), .n_names = 1, .action = "SCMP_ACT_ERRNO",
                                    .has_errno_ret = true, .errno_ret = ENOSYS };
      spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW", .syscalls = &rule, .n_syscalls = 1 };
      sfilter *f = NULL;
      if (sfilter_build (&s, &f, &err) < 0 || sfilter_load (f, NULL, &err) < 0)
        return 2;
      long r = syscall (436, 100U, ~0U, 4U);
      child_say (out, "close_range=%ld/%d|", r, errno);
    }
  if (dup2 (0, 10) < 0 || dup2 (0, 11) < 0 || dup2 (0, 12) < 0 || dup2 (0, 40) < 0 || dup2 (0, 5) < 0)
    return 3;
  if (proc_cloexec_from (10, &err) < 0)
    {
      child_say (out, "error: %s|", err.msg);
      return 1;
    }
  for (int fd = 0; fd <= 40; fd++)
    {
      int fl = fcntl (fd, F_GETFD);
      if (fl >= 0)
        child_say (out, "%d:%d ", fd, (fl & FD_CLOEXEC) ? 1 : 0);
    }
  return 0;
}

static void
test_cloexec (void)
{
  static const char *const modes[] = { NULL, "fallback" };

  for (size_t i = 0; i < ARRAY_SIZE (modes); i++)
    {
      const char *what = modes[i] ? "/proc/self/fd fallback" : "close_range";
      char *text = run_child_ok (child_cloexec, (void *) modes[i], what);

      like (text, "0:0 1:0 2:0 ", "%s: stdio untouched", what);
      like (text, "5:0 ", "%s: fd 5 (<= last kept) untouched", what);
      like (text, "10:0 11:1 12:1 ", "%s: fds above 10 marked close-on-exec, 10 kept", what);
      like (text, "40:1 ", "%s: fd 40 marked", what);
      if (modes[i])
        like (text, "close_range=-1/38|", "the fallback really ran without close_range");
      free (text);
    }
}

/* ---- sysctl --------------------------------------------------------------------------- */

static pid_t netns_holder;

static void
test_sysctl_validate (void)
{
  static const struct
  {
    const char *key;
    unsigned ns; /* bits of enum spec_ns_type */
    const char *netns_path;
    const char *want; /* NULL: accepted */
  } cases[] = {
    { "kernel.msgmax", 1u << SPEC_NS_IPC, NULL, NULL },
    { "kernel.msgmax", 0, NULL, "sysctl \"kernel.msgmax\" is not allowed in the hosts ipc namespace" },
    { "kernel.shm_rmid_forced", 1u << SPEC_NS_IPC, NULL, NULL },
    { "fs.mqueue.queues_max", 1u << SPEC_NS_IPC, NULL, NULL },
    { "fs.mqueue.queues_max", 1u << SPEC_NS_NETWORK, NULL, "sysctl \"fs.mqueue.queues_max\" is not allowed in the hosts ipc namespace" },
    { "kernel/shmmax", 0, NULL, "sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace" },
    { "kernel/sem", 1u << SPEC_NS_IPC, NULL, NULL },
    { "net.ipv4.ip_forward", 1u << SPEC_NS_NETWORK, NULL, NULL },
    { "net/ipv4/conf/eth0.100/rp_filter", 1u << SPEC_NS_NETWORK, NULL, NULL },
    { "net.ipv4.ip_forward", 0, NULL, "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace" },
    { "net.ipv4.ip_forward", 1u << SPEC_NS_NETWORK, "/proc/self/ns/net", "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace" },
    { "net.ipv4.ip_forward", 1u << SPEC_NS_NETWORK, "holder", NULL },
    { "net.ipv4.ip_forward", 1u << SPEC_NS_NETWORK, "/nonexistent/ns", "invalid netns path: stat /nonexistent/ns: No such file or directory" },
    { "kernel.domainname", 1u << SPEC_NS_UTS, NULL, NULL },
    { "kernel.domainname", 1u << SPEC_NS_IPC, NULL, "sysctl \"kernel.domainname\" is not in a separate kernel namespace" },
    { "kernel.hostname", 1u << SPEC_NS_UTS, NULL, "sysctl \"kernel.hostname\" is not allowed as it conflicts with the OCI \"hostname\" field" },
    { "vm.swappiness", 0xff, NULL, "sysctl \"vm.swappiness\" is not in a separate kernel namespace" },
    { "kernel.msgmaxx", 0xff, NULL, "sysctl \"kernel.msgmaxx\" is not in a separate kernel namespace" },
    { "net..ipv4", 0xff, NULL, "sysctl \"net..ipv4\" is not a valid sysctl name" },
    { "net/../../etc/x", 0xff, NULL, "sysctl \"net/../../etc/x\" is not a valid sysctl name" },
    { "", 0xff, NULL, "sysctl \"\" is not a valid sysctl name" },
  };
  char holder_path[64];

  snprintf (holder_path, sizeof holder_path, "/proc/%d/ns/net", (int) netns_holder);
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      spec_namespace ns[SPEC_NS__COUNT];
      spec_kv kv = { .key = (char *) cases[i].key, .value = "1" };
      spec_linux lx = { .sysctl = &kv, .n_sysctl = 1, .namespaces = ns };
      spec s = { .linux_ = &lx };
      rt_error err = { 0 };
      int r;

      for (int t = 0; t < SPEC_NS__COUNT; t++)
        if (cases[i].ns & (1u << t))
          {
            const char *path = cases[i].netns_path;
            if (t == SPEC_NS_NETWORK && path && strcmp (path, "holder") == 0)
              path = holder_path;
            ns[lx.n_namespaces++] = (spec_namespace) { .type = t, .path = t == SPEC_NS_NETWORK ? (char *) path : NULL };
          }
      r = sysctl_validate (&s, &err);
      if (cases[i].want == NULL)
        {
          is_int (r, 0, "sysctl %s accepted with namespaces %#x%s%s", cases[i].key, cases[i].ns,
                  cases[i].netns_path ? " netns " : "", cases[i].netns_path ? cases[i].netns_path : "");
          if (r < 0)
            printf ("# %s\n", err.msg);
        }
      else
        is_str (r < 0 ? err.msg : "(accepted)", cases[i].want, "sysctl \"%s\" with namespaces %#x refused", cases[i].key,
                cases[i].ns);
    }
  {
    spec s = { 0 };
    rt_error err = { 0 };
    is_int (sysctl_validate (&s, &err), 0, "no linux section: nothing to check");
  }
}

static int
child_sysctl_apply (void *data, int out)
{
  spec_kv good[] = { { "kernel.msgmax", "12345" }, { "net/ipv4/conf/lo/forwarding", "1" }, { "net.ipv4.ip_forward", "1" } };
  spec_kv missing[] = { { "net.ipv4.nope", "1" } };
  spec_kv bad[] = { { "net/../../etc/x", "1" } };
  _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
  rt_error err = { 0 };

  (void) data;
  /* Private namespaces: nothing written here reaches the host.  */
  if (unshare (CLONE_NEWIPC | CLONE_NEWNET) < 0)
    return 2;
  if (sysctl_apply (good, ARRAY_SIZE (good), &err) < 0)
    {
      child_say (out, "error: %s|", err.msg);
      return 1;
    }
  read_file_at (AT_FDCWD, "/proc/sys/kernel/msgmax", &a, &err);
  read_file_at (AT_FDCWD, "/proc/sys/net/ipv4/conf/lo/forwarding", &b, &err);
  read_file_at (AT_FDCWD, "/proc/sys/net/ipv4/ip_forward", &c, &err);
  child_say (out, "msgmax=%s|lo=%s|fwd=%s|", a, b, c);
  if (sysctl_apply (missing, 1, &err) == 0)
    return 3;
  child_say (out, "missing: %s|", err.msg);
  if (sysctl_apply (bad, 1, &err) == 0)
    return 4;
  child_say (out, "bad: %s|", err.msg);
  return 0;
}

static void
test_sysctl_apply (void)
{
  char *text = run_child_ok (child_sysctl_apply, NULL, "sysctls written in private ipc and network namespaces");
  like (text, "msgmax=12345\n|", "kernel.msgmax written");
  like (text, "lo=1\n|", "the '/' form maps to the same file");
  like (text, "fwd=1\n|", "net.ipv4.ip_forward written");
  like (text, "missing: set sysctl \"net.ipv4.nope\": open `/proc/sys/net/ipv4/nope`: No such file or directory|",
        "a missing key names the file");
  like (text, "bad: sysctl \"net/../../etc/x\" is not a valid sysctl name|", "no escape from /proc/sys");
  free (text);
}

static pid_t
start_netns_holder (int *release)
{
  int rdy[2], go[2];
  char c;
  pid_t pid;

  if (pipe2 (rdy, O_CLOEXEC) < 0 || pipe2 (go, O_CLOEXEC) < 0)
    abort ();
  fflush (NULL);
  pid = fork ();
  if (pid == 0)
    {
      close (go[1]);
      if (unshare (CLONE_NEWNET) < 0 || write (rdy[1], "r", 1) != 1)
        _exit (1);
      if (read (go[0], &c, 1) < 0)
        _exit (1);
      _exit (0);
    }
  close (rdy[1]);
  close (go[0]);
  if (read (rdy[0], &c, 1) != 1)
    abort ();
  close (rdy[0]);
  *release = go[1];
  return pid;
}

int
main (void)
{
  int release;

  if (geteuid () != 0)
    {
      puts ("1..0 # SKIP needs root");
      return 0;
    }
  test_rlimit_names ();
  test_validate ();
  test_rlimits_apply ();

  if (access ("/bin/busybox", X_OK) == 0 && make_tree ())
    {
      test_lookup ();
      test_env ();
    }
  else
    ok (1, "# SKIP /bin/busybox missing (apt-get install busybox-static) or no temp tree");
  remove_tree ();

  test_identity ();
  test_identity_userns ();
  test_misc ();
  test_cloexec ();

  netns_holder = start_netns_holder (&release);
  test_sysctl_validate ();
  close (release);
  waitpid (netns_holder, NULL, 0);
  test_sysctl_apply ();
  return tap_done ();
}
