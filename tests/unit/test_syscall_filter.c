#include "config.h"

#include <linux/capability.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "process.h"
#include "syscall_filter.h"
#include "tap.h"
#include "child.h"
#include "util.h"

#define STRS(...) ((char *[]) { __VA_ARGS__ })
#define NSTRS(...) (sizeof (STRS (__VA_ARGS__)) / sizeof (char *))
/* One syscalls[] entry: names, action.  */
#define RULE(act, ...) { .names = STRS (__VA_ARGS__), .n_names = NSTRS (__VA_ARGS__), .action = (act) }
#define RULES(...) ((spec_seccomp_syscall[]) { __VA_ARGS__ })
#define NRULES(...) (sizeof (RULES (__VA_ARGS__)) / sizeof (spec_seccomp_syscall))

static bool
strv_has (const char *const *v, const char *s)
{
  for (; v && *v; v++)
    if (strcmp (*v, s) == 0)
      return true;
  return false;
}

/* Build `s`, expecting failure with `msg` in the error.  */
static void
build_fails (const spec_seccomp *s, const char *msg)
{
  rt_error err = { 0 };
  sfilter *f = NULL;
  int r = sfilter_build (s, &f, &err);

  ok (r < 0 && f == NULL, "build fails: %s", msg);
  like (err.msg, msg, "error message");
  sfilter_free (f);
}

static void
test_build_errors (void)
{
  spec_seccomp_arg bad_op[] = { { .index = 0, .op = "SCMP_CMP_EQ" }, { .index = 1, .op = "SCMP_CMP_FOO" } };
  spec_seccomp_arg bad_index[] = { { .index = 6, .op = "SCMP_CMP_EQ" } };
  spec_seccomp s;

  s = (spec_seccomp) { .default_action = "SCMP_ACT_FOO" };
  build_fails (&s, "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\"");

  s = (spec_seccomp) { .default_action = "SCMP_ACT_ALLOW",
                       .syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "mkdir"), RULE ("SCMP_ACT_LOG", "rmdir"),
                                          RULE ("SCMP_ACT_FOO", "chdir")),
                       .n_syscalls = 3 };
  build_fails (&s, "linux.seccomp.syscalls[2].action: unknown action \"SCMP_ACT_FOO\"");

  s.syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "mkdir"));
  s.syscalls[0].args = bad_op;
  s.syscalls[0].n_args = 2;
  s.n_syscalls = 1;
  build_fails (&s, "linux.seccomp.syscalls[0].args[1].op: unknown operator \"SCMP_CMP_FOO\"");
  s.syscalls[0].args = bad_index;
  s.syscalls[0].n_args = 1;
  build_fails (&s, "linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0-5)");

  s = (spec_seccomp) { .default_action = "SCMP_ACT_ALLOW",
                       .architectures = STRS ("SCMP_ARCH_X86_64", "SCMP_ARCH_FOO"),
                       .n_architectures = 2 };
  build_fails (&s, "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_FOO\"");

  s = (spec_seccomp) { .default_action = "SCMP_ACT_ALLOW",
                       .flags = STRS ("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_FOO"),
                       .n_flags = 2 };
  build_fails (&s, "linux.seccomp.flags[1]: seccomp flag \"SECCOMP_FILTER_FLAG_FOO\" is not known");

  s = (spec_seccomp) { .default_action = "SCMP_ACT_NOTIFY", .listener_path = "/run/agent.sock" };
  build_fails (&s, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action");

  s = (spec_seccomp) { .default_action = "SCMP_ACT_ALLOW",
                       .listener_path = "/run/agent.sock",
                       .syscalls = RULES (RULE ("SCMP_ACT_NOTIFY", "read", "write")),
                       .n_syscalls = 1 };
  build_fails (&s, "linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for the write syscall");

  s.syscalls = RULES (RULE ("SCMP_ACT_NOTIFY", "mkdir"));
  s.listener_path = NULL;
  build_fails (&s, "seccomp listenerPath is not set");

  s = (spec_seccomp) { .default_action = "SCMP_ACT_ALLOW",
                       .syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "mkdir", "")),
                       .n_syscalls = 1 };
  build_fails (&s, "linux.seccomp.syscalls[0].names[1]: empty syscall name");
}

static void
test_build_ok (void)
{
  rt_error err = { 0 };
  sfilter *f = (sfilter *) &err;
  spec_seccomp s = { 0 };
  int fd = 7;

  is_int (sfilter_build (NULL, &f, &err), 0, "no linux.seccomp: success");
  ok (f == NULL, "and no filter");
  f = (sfilter *) &err;
  is_int (sfilter_build (&s, &f, &err), 0, "no defaultAction and no syscalls: success");
  ok (f == NULL, "and no filter, like runc");
  is_int (sfilter_load (NULL, &fd, &err), 0, "loading no filter succeeds");
  is_int (fd, -1, "with no listener");
  ok (!sfilter_uses_notify (NULL), "no filter uses no notify");

  /* A rule repeating the default action would make libseccomp fail.  */
  s = (spec_seccomp) { .default_action = "SCMP_ACT_ERRNO",
                       .syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "mkdir"), RULE ("SCMP_ACT_ALLOW", "write")),
                       .n_syscalls = 2 };
  is_int (sfilter_build (&s, &f, &err), 0, "a rule with the default action is skipped");
  sfilter_free (f);

  s = (spec_seccomp) { .default_action = "SCMP_ACT_ALLOW",
                       .syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "no_such_syscall", "mkdir")),
                       .n_syscalls = 1 };
  is_int (sfilter_build (&s, &f, &err), 0, "unknown syscall names are skipped");
  ok (f && !sfilter_uses_notify (f), "built, without notify");
  sfilter_free (f);
}

static void
test_lists (void)
{
  const char *const *sup = sfilter_supported_flags ();
  char want[32];
  size_t n = 0;

  while (sfilter_actions[n])
    n++;
  is_int (n, 9, "nine actions");
  ok (strv_has (sfilter_actions, "SCMP_ACT_KILL_PROCESS") && strv_has (sfilter_actions, "SCMP_ACT_NOTIFY")
          && strv_has (sfilter_actions, "SCMP_ACT_KILL"),
      "actions include KILL, KILL_PROCESS and NOTIFY");
  for (n = 0; sfilter_operators[n]; n++)
    ;
  is_int (n, 7, "seven operators");
  ok (strv_has (sfilter_operators, "SCMP_CMP_MASKED_EQ"), "MASKED_EQ is an operator");
  ok (strv_has (sfilter_archs, "SCMP_ARCH_X86_64") && strv_has (sfilter_archs, "SCMP_ARCH_X32")
          && strv_has (sfilter_archs, "SCMP_ARCH_RISCV64") && strv_has (sfilter_archs, "SCMP_ARCH_S390X")
          && strv_has (sfilter_archs, "SCMP_ARCH_MIPSEL64N32") && strv_has (sfilter_archs, "SCMP_ARCH_PARISC64"),
      "architectures of runc and libseccomp 2.5");
  for (n = 1; sfilter_archs[n]; n++)
    if (strcmp (sfilter_archs[n - 1], sfilter_archs[n]) >= 0)
      break;
  ok (sfilter_archs[n] == NULL, "architectures are sorted, like runc's features");
  is_str (sfilter_known_flags[0], "SECCOMP_FILTER_FLAG_TSYNC", "known flag 0");
  is_str (sfilter_known_flags[1], "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "known flag 1");
  is_str (sfilter_known_flags[2], "SECCOMP_FILTER_FLAG_LOG", "known flag 2");
  is_str (sfilter_known_flags[3], "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "known flag 3");
  ok (sfilter_known_flags[4] == NULL, "four known flags");
  /* All four exist since Linux 5.19.  */
  ok (strv_has (sup, "SECCOMP_FILTER_FLAG_TSYNC") && strv_has (sup, "SECCOMP_FILTER_FLAG_LOG")
          && strv_has (sup, "SECCOMP_FILTER_FLAG_SPEC_ALLOW")
          && strv_has (sup, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
      "this kernel supports every known flag");
  ok (sfilter_supported_flags () == sup, "the probe runs once");
  snprintf (want, sizeof want, "%d.%d.%d", SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
  is_str (sfilter_libseccomp_version (), want, "libseccomp version");
}

/* ---- filters loaded in children ------------------------------------------------- */

typedef int (*probe_fn) (int out, int listener);

/* Under AddressSanitizer the child's runtime makes calls of its own on the
 * way out (sigaltstack, gettid, mmap), which a filter allowing only write
 * and exit denies: its exit status then says nothing about our filter.  */
#if defined(__SANITIZE_ADDRESS__)
#define EXIT_STATUS_MEANINGFUL false
#else
#define EXIT_STATUS_MEANINGFUL true
#endif

static void
ok_child_exit (int st, const char *what)
{
  if (EXIT_STATUS_MEANINGFUL)
    ok (CHILD_EXITED_OK (st), "%s", what);
  else
    ok (1, "# SKIP %s: the sanitizer runtime needs calls the filter denies", what);
}

struct load_args
{
  const spec_seccomp *spec;
  probe_fn probe;
};

static int
child_load (void *data, int out)
{
  struct load_args *a = data;
  rt_error err = { 0 };
  sfilter *f = NULL;
  int listener = -1;

  if (sfilter_build (a->spec, &f, &err) < 0 || sfilter_load (f, &listener, &err) < 0)
    {
      child_say (out, "error: %s\n", err.msg);
      return 100;
    }
  return a->probe (out, listener);
}

/* Load `s` in a child, run `probe` there; returns the wait status.  */
static int
run_filtered (const spec_seccomp *s, probe_fn probe, char **text)
{
  struct load_args a = { s, probe };
  return run_child (child_load, &a, text);
}

/* "ret/errno" of a raw system call, so that libc wrappers cannot pick
   another call behind our back.  */
#define SAY_CALL(out, tag, call)                                                                   \
  do                                                                                               \
    {                                                                                              \
      long _r = (call);                                                                            \
      child_say (out, "%s=%ld/%d ", tag, _r, _r < 0 ? errno : 0);                                  \
    }                                                                                              \
  while (0)

static int
probe_mkdir (int out, int listener)
{
  (void) listener;
  SAY_CALL (out, "mkdir", syscall (SYS_mkdir, "/nonexistent-dir/x", 0700));
  SAY_CALL (out, "rmdir", syscall (SYS_rmdir, "/nonexistent-dir/x"));
  return 0;
}

static int
probe_getppid (int out, int listener)
{
  (void) listener;
  SAY_CALL (out, "getppid", syscall (SYS_getppid));
  return 0;
}

static void
test_errno (void)
{
  spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
                     .syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "no_such_call", "mkdir")),
                     .n_syscalls = 1 };
  char *text = NULL;
  int st;

  s.syscalls[0].has_errno_ret = true;
  s.syscalls[0].errno_ret = EXDEV;
  st = run_filtered (&s, probe_mkdir, &text);
  ok (CHILD_EXITED_OK (st), "ERRNO filter loaded");
  like (text, "mkdir=-1/18 ", "mkdir fails with the rule's errnoRet (EXDEV)");
  like (text, "rmdir=-1/2 ", "rmdir is untouched (ENOENT from the kernel)");
  free (text);

  s.syscalls[0].has_errno_ret = false;
  st = run_filtered (&s, probe_mkdir, &text);
  like (text, "mkdir=-1/1 ", "ERRNO without errnoRet is EPERM");
  free (text);
}

static void
test_default_errno (void)
{
  spec_seccomp s = { .default_action = "SCMP_ACT_ERRNO",
                     .has_default_errno_ret = true,
                     .default_errno_ret = ENOTSUP,
                     .syscalls = RULES (RULE ("SCMP_ACT_ALLOW", "write", "exit_group", "exit")),
                     .n_syscalls = 1 };
  char *text = NULL;
  int st = run_filtered (&s, probe_getppid, &text);

  ok_child_exit (st, "default ERRNO filter with only write and exit allowed");
  like (text, "getppid=-1/95 ", "any other call fails with defaultErrnoRet (EOPNOTSUPP)");
  free (text);

  s.has_default_errno_ret = false;
  run_filtered (&s, probe_getppid, &text);
  like (text, "getppid=-1/1 ", "default ERRNO without defaultErrnoRet is EPERM");
  free (text);
}

static int
probe_enosys (int out, int listener)
{
  (void) listener;
  SAY_CALL (out, "mkdir", syscall (SYS_mkdir, "/nonexistent-dir/x", 0700));
  SAY_CALL (out, "pidfd_open", syscall (434, getpid (), 0));
  SAY_CALL (out, "getppid", syscall (SYS_getppid) > 0);
  return 0;
}

static void
test_enosys_stub (void)
{
  spec_seccomp s = { .default_action = "SCMP_ACT_ERRNO",
                     .architectures = STRS ("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                     .n_architectures = 3,
                     .syscalls = RULES (RULE ("SCMP_ACT_ALLOW", "write", "exit_group", "getppid", "getpid")),
                     .n_syscalls = 1 };
  char *text = NULL;
  int st;

#if !defined(__x86_64__)
  ok (1, "# SKIP the syscall numbers below are x86_64's");
  return;
#endif
  st = run_filtered (&s, probe_enosys, &text);
  ok_child_exit (st, "filter with the -ENOSYS stub loaded");
  like (text, "mkdir=-1/1 ", "a call older than the profile's newest gets the default action (EPERM)");
  like (text, "pidfd_open=-1/38 ", "a call newer than any in the profile gets ENOSYS");
  like (text, "getppid=1/0 ", "allowed calls still work");
  free (text);

  /* Like runc: no stub for architectures the profile does not list.  */
  s.n_architectures = 0;
  run_filtered (&s, probe_enosys, &text);
  like (text, "pidfd_open=-1/1 ", "without architectures there is no stub (default action)");
  free (text);

  /* Nor when unknown calls are allowed anyway.  */
  s.n_architectures = 3;
  s.default_action = "SCMP_ACT_LOG";
  s.syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "mkdir"));
  run_filtered (&s, probe_enosys, &text);
  like (text, "pidfd_open=", "default LOG: the call goes through");
  ok (strstr (text, "pidfd_open=-1/38") == NULL, "default LOG: no stub");
  free (text);
}

static int
probe_large (int out, int listener)
{
  (void) listener;
  SAY_CALL (out, "getppid", syscall (SYS_getppid) > 0);
  SAY_CALL (out, "nr1000", syscall (1000));
  return 0;
}

/* A docker-sized profile: every call libseccomp knows on x86_64, allowed,
   which also takes the binary-tree optimization path (> 32 names).  */
static void
test_large_profile (void)
{
  char *names[1024];
  size_t n = 0;
  spec_seccomp_syscall rule = { .action = "SCMP_ACT_ALLOW" };
  spec_seccomp s = { .default_action = "SCMP_ACT_ERRNO",
                     .architectures = STRS ("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                     .n_architectures = 3,
                     .syscalls = &rule,
                     .n_syscalls = 1 };
  char *text = NULL;
  int st;

  for (int nr = 0; nr < 1000 && n < ARRAY_SIZE (names); nr++)
    {
      char *name = seccomp_syscall_resolve_num_arch (SCMP_ARCH_NATIVE, nr);
      if (name)
        names[n++] = name;
    }
  rule.names = names;
  rule.n_names = n;
  ok (n > 300, "libseccomp knows %zu calls here", n);
  st = run_filtered (&s, probe_large, &text);
  ok (CHILD_EXITED_OK (st), "a profile allowing %zu calls loads", n);
  like (text, "getppid=1/0 ", "allowed calls work");
  like (text, "nr1000=-1/38 ", "a number past every known call gets ENOSYS, not the default EPERM");
  free (text);
  for (size_t i = 0; i < n; i++)
    free (names[i]);
}

static void
test_kill (void)
{
  static const char *const actions[] = { "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL",
                                         "SCMP_ACT_TRAP" };

  for (size_t i = 0; i < ARRAY_SIZE (actions); i++)
    {
      spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
                         .syscalls = RULES (RULE ((char *) actions[i], "getppid")),
                         .n_syscalls = 1 };
      char *text = NULL;
      int st = run_filtered (&s, probe_getppid, &text);

      ok (WIFSIGNALED (st) && WTERMSIG (st) == SIGSYS, "%s: the child dies of SIGSYS (status %#x)", actions[i], st);
      ok (strstr (text, "getppid=") == NULL, "%s: the call never returned", actions[i]);
      free (text);
    }
}

/* ---- argument comparisons ------------------------------------------------------- */

static long probe_values[2];

static int
probe_umask (int out, int listener)
{
  (void) listener;
  SAY_CALL (out, "a", syscall (SYS_umask, probe_values[0]));
  SAY_CALL (out, "b", syscall (SYS_umask, probe_values[1]));
  return 0;
}

static void
test_operators (void)
{
  static const struct
  {
    const char *op;
    uint64_t value, value_two;
    long blocked, passes;
  } cases[] = {
    { "SCMP_CMP_EQ", 022, 0, 022, 077 },  { "SCMP_CMP_NE", 022, 0, 077, 022 },
    { "SCMP_CMP_LT", 010, 0, 007, 010 },  { "SCMP_CMP_LE", 010, 0, 010, 011 },
    { "SCMP_CMP_GT", 010, 0, 011, 010 },  { "SCMP_CMP_GE", 010, 0, 010, 007 },
    { "SCMP_CMP_MASKED_EQ", 0700, 0700, 0777, 0077 },
  };

  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      spec_seccomp_arg arg = { .index = 0, .op = (char *) cases[i].op, .value = cases[i].value,
                               .value_two = cases[i].value_two };
      spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
                         .syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "umask")),
                         .n_syscalls = 1 };
      char *text = NULL;

      s.syscalls[0].args = &arg;
      s.syscalls[0].n_args = 1;
      s.syscalls[0].has_errno_ret = true;
      s.syscalls[0].errno_ret = EXDEV;
      probe_values[0] = cases[i].blocked;
      probe_values[1] = cases[i].passes;
      run_filtered (&s, probe_umask, &text);
      like (text, "a=-1/18 ", "%s %#llo: umask(%#lo) is denied", cases[i].op, (unsigned long long) cases[i].value,
            cases[i].blocked);
      ok (strstr (text, "b=-1") == NULL && strstr (text, "b="), "%s: umask(%#lo) is allowed (%s)", cases[i].op,
          cases[i].passes, text);
      free (text);
    }
}

static int
probe_same_index (int out, int listener)
{
  (void) listener;
  SAY_CALL (out, "one", syscall (SYS_umask, 1));
  SAY_CALL (out, "two", syscall (SYS_umask, 2));
  SAY_CALL (out, "three", syscall (SYS_umask, 3));
  return 0;
}

static int
probe_two_args (int out, int listener)
{
  (void) listener;
  SAY_CALL (out, "both", syscall (SYS_getpriority, PRIO_USER, 4242));
  SAY_CALL (out, "first", syscall (SYS_getpriority, PRIO_USER, 0));
  SAY_CALL (out, "second", syscall (SYS_getpriority, PRIO_PROCESS, 4242));
  return 0;
}

static void
test_arg_combinations (void)
{
  spec_seccomp_arg same[] = { { .index = 0, .op = "SCMP_CMP_EQ", .value = 1 },
                              { .index = 0, .op = "SCMP_CMP_EQ", .value = 2 } };
  spec_seccomp_arg two[] = { { .index = 0, .op = "SCMP_CMP_EQ", .value = PRIO_USER },
                             { .index = 1, .op = "SCMP_CMP_EQ", .value = 4242 } };
  spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
                     .syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "umask")),
                     .n_syscalls = 1 };
  char *text = NULL;
  int st;

  s.syscalls[0].args = same;
  s.syscalls[0].n_args = 2;
  s.syscalls[0].has_errno_ret = true;
  s.syscalls[0].errno_ret = EXDEV;
  st = run_filtered (&s, probe_same_index, &text);
  ok (CHILD_EXITED_OK (st), "two conditions on one argument: loaded");
  like (text, "one=-1/18 two=-1/18 three=", "two conditions on the same argument act as OR (runc)");
  ok (strstr (text, "three=-1") == NULL, "a value matching neither passes");
  free (text);

  s.syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "getpriority"));
  s.syscalls[0].args = two;
  s.syscalls[0].n_args = 2;
  s.syscalls[0].has_errno_ret = true;
  s.syscalls[0].errno_ret = EXDEV;
  run_filtered (&s, probe_two_args, &text);
  like (text, "both=-1/18 ", "conditions on different arguments: both match, denied");
  ok (strstr (text, "first=-1/18") == NULL && strstr (text, "second=-1/18") == NULL,
      "conditions on different arguments act as AND (%s)", text);
  free (text);
}

/* ---- flags ------------------------------------------------------------------------ */

static int
probe_status (int out, int listener)
{
  _cleanup_free_ char *status = NULL;
  rt_error err = { 0 };

  (void) listener;
  SAY_CALL (out, "getppid", syscall (SYS_getppid) > 0);
  if (read_file_at (AT_FDCWD, "/proc/self/status", &status, &err) > 0)
    child_say (out, "%s", status);
  return 0;
}

static void
test_flags (void)
{
  spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
                     .flags = STRS ("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC",
                                    "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
                     .n_flags = 4,
                     .syscalls = RULES (RULE ("SCMP_ACT_LOG", "getppid")),
                     .n_syscalls = 1 };
  char *text = NULL;
  int st = run_filtered (&s, probe_status, &text);

  ok (CHILD_EXITED_OK (st), "LOG, TSYNC, SPEC_ALLOW and WAIT_KILLABLE_RECV (without a listener) are accepted");
  like (text, "getppid=1/0 ", "an SCMP_ACT_LOG call goes through");
  like (text, "Seccomp:\t2\n", "the process is in seccomp filter mode");
  like (text, "Seccomp_filters:\t1\n", "with one filter");
  if (!CHILD_EXITED_OK (st))
    printf ("# %s\n", text);
  free (text);
}

/* Without no_new_privs the kernel wants CAP_SYS_ADMIN.  */
static int
child_needs_nnp (void *data, int out)
{
  spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
                     .syscalls = RULES (RULE ("SCMP_ACT_ERRNO", "mkdir")),
                     .n_syscalls = 1 };
  rt_error err = { 0 };
  sfilter *f = NULL;

  (void) data;
  if (sfilter_build (&s, &f, &err) < 0)
    return 2;
  if (child_drop_effective (CAP_SYS_ADMIN) < 0)
    return 4;
  if (sfilter_load (f, NULL, &err) == 0)
    return 5;
  child_say (out, "first: %s\n", err.msg);
  if (proc_set_no_new_privs (&err) < 0 || sfilter_load (f, NULL, &err) < 0)
    {
      child_say (out, "second: %s\n", err.msg);
      return 6;
    }
  SAY_CALL (out, "mkdir", syscall (SYS_mkdir, "/nonexistent-dir/x", 0700));
  return 0;
}

static void
test_needs_nnp (void)
{
  char *text = run_child_ok (child_needs_nnp, NULL,
                             "without CAP_SYS_ADMIN: refused, then loaded after no_new_privs");
  like (text, "first: load the seccomp filter (it needs no_new_privs or CAP_SYS_ADMIN): Permission denied",
        "the refusal says what is missing");
  like (text, "mkdir=-1/1 ", "the filter is in force after no_new_privs");
  free (text);
}

/* ---- notify --------------------------------------------------------------------- */

static int sock_pair[2];

static int
probe_notify (int out, int listener)
{
  char c = 'L';
  char ctrl[CMSG_SPACE (sizeof (int))] = { 0 };
  struct iovec iov = { &c, 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl };
  struct cmsghdr *cm = CMSG_FIRSTHDR (&msg);

  if (listener < 0)
    return 10;
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cm), &listener, sizeof (int));
  if (sendmsg (sock_pair[1], &msg, 0) != 1)
    return 11;
  close (listener);
  /* Blocks until the parent answers through the listener.  */
  SAY_CALL (out, "mkdir", syscall (SYS_mkdir, "/nonexistent-dir/x", 0700));
  return 0;
}

static int
receive_fd (int sock)
{
  char c, ctrl[CMSG_SPACE (sizeof (int))];
  struct iovec iov = { &c, 1 };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl };
  struct cmsghdr *cm;
  int fd = -1;

  if (recvmsg (sock, &msg, MSG_CMSG_CLOEXEC) != 1)
    return -1;
  cm = CMSG_FIRSTHDR (&msg);
  if (cm && cm->cmsg_type == SCM_RIGHTS)
    memcpy (&fd, CMSG_DATA (cm), sizeof fd);
  return fd;
}

struct notify_run
{
  const spec_seccomp *spec;
  int status;
  char *text;
};

static void *
notify_child_thread (void *data)
{
  struct notify_run *r = data;
  r->status = run_filtered (r->spec, probe_notify, &r->text);
  return NULL;
}

static void
check_notify (const spec_seccomp *s, const char *what)
{
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;
  struct notify_run run = { s, -1, NULL };
  pthread_t th;
  int listener, rc;

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock_pair) < 0)
    abort ();
  /* run_child waits for the child, which waits for our answer.  */
  pthread_create (&th, NULL, notify_child_thread, &run);
  listener = receive_fd (sock_pair[0]);
  ok (listener >= 0, "%s: the child handed over its listener fd", what);
  memset (&req, 0, sizeof req);
  rc = ioctl (listener, SECCOMP_IOCTL_NOTIF_RECV, &req);
  is_int (rc, 0, "%s: a notification was received", what);
  is_int (req.data.nr, SYS_mkdir, "%s: for mkdir", what);
  ok (req.pid > 0, "%s: from the child's pid", what);
  memset (&resp, 0, sizeof resp);
  resp.id = req.id;
  resp.val = 42;
  is_int (ioctl (listener, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0, "%s: answered", what);
  pthread_join (th, NULL);
  ok (CHILD_EXITED_OK (run.status), "%s: the child finished", what);
  like (run.text, "mkdir=42/0 ", "%s: the call returned the agent's value", what);
  free (run.text);
  close (listener);
  close (sock_pair[0]);
  close (sock_pair[1]);
}

static void
test_notify (void)
{
  spec_seccomp s = { .default_action = "SCMP_ACT_ALLOW",
                     .listener_path = "/run/agent.sock",
                     .syscalls = RULES (RULE ("SCMP_ACT_NOTIFY", "mkdir")),
                     .n_syscalls = 1 };
  rt_error err = { 0 };
  sfilter *f = NULL;

  is_int (sfilter_build (&s, &f, &err), 0, "a notify filter builds");
  ok (sfilter_uses_notify (f), "and says it uses notify");
  sfilter_free (f);
  check_notify (&s, "NOTIFY");

  /* TSYNC with a listener needs TSYNC_ESRCH, added behind the scenes.  */
  s.flags = STRS ("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
  s.n_flags = 2;
  check_notify (&s, "NOTIFY with TSYNC and WAIT_KILLABLE_RECV");
}

int
main (void)
{
  if (geteuid () != 0)
    {
      puts ("1..0 # SKIP needs root (CAP_SYS_ADMIN to load filters without no_new_privs)");
      return 0;
    }
  test_build_errors ();
  test_build_ok ();
  test_lists ();
  test_errno ();
  test_default_errno ();
  test_enosys_stub ();
  test_large_profile ();
  test_kill ();
  test_operators ();
  test_arg_combinations ();
  test_flags ();
  test_needs_nnp ();
  test_notify ();
  return tap_done ();
}
