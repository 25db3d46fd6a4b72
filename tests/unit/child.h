/* Running a piece of a test in a forked child: the process-level changes
 * under test (capabilities, seccomp filters, uid switches) must not touch
 * the test program itself.  */
#ifndef TESTS_CHILD_H
#define TESTS_CHILD_H

#include <fcntl.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* `out` is a pipe to the parent for the child's report.  The return value
   becomes the exit status.  */
typedef int (*child_fn) (void *arg, int out);

/* Report a line to the parent (snprintf + one write: no stdio buffers in
   the child, and nothing that a seccomp filter under test would block
   besides write).  */
static void __attribute__ ((format (printf, 2, 3)))
child_say (int out, const char *fmt, ...)
{
  char buf[2048];
  va_list ap;
  int n;

  va_start (ap, fmt);
  n = vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  if (n < 0)
    return;
  if ((size_t) n >= sizeof buf)
    n = sizeof buf - 1;
  if (write (out, buf, (size_t) n) < 0)
    return;
}

/* Take one capability out of the effective set (capset), so that a child
   can meet the "missing privilege" path of the code under test.  */
static int __attribute__ ((unused))
child_drop_effective (int cap)
{
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[2] = { { 0 } };

  if (syscall (SYS_capget, &h, d) < 0)
    return -1;
  d[cap / 32].effective &= ~(1U << (cap % 32));
  return (int) syscall (SYS_capset, &h, d);
}

/* Fork, run fn with stdio on /dev/null (so that nothing the child does
   changes the owner or the content of the test log), collect what it
   reported into *text (malloc'd, may be NULL) and return the wait status.  */
static int
run_child (child_fn fn, void *arg, char **text)
{
  int p[2], status = 0;
  size_t len = 0, cap = 4096;
  char *buf;
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) < 0)
    abort ();
  fflush (NULL);
  pid = fork ();
  if (pid < 0)
    abort ();
  if (pid == 0)
    {
      int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      close (p[0]);
      if (null >= 0)
        {
          dup2 (null, 0);
          dup2 (null, 1);
          dup2 (null, 2);
        }
      _exit (fn (arg, p[1]) & 0xff);
    }
  close (p[1]);
  buf = malloc (cap);
  for (;;)
    {
      ssize_t r;
      if (len + 1 == cap)
        buf = realloc (buf, cap *= 2);
      r = read (p[0], buf + len, cap - len - 1);
      if (r <= 0)
        break;
      len += (size_t) r;
    }
  buf[len] = '\0';
  close (p[0]);
  waitpid (pid, &status, 0);
  if (text)
    *text = buf;
  else
    free (buf);
  return status;
}

/* Evaluates st twice: pass a variable.  */
#define CHILD_EXITED_OK(st) (WIFEXITED (st) && WEXITSTATUS (st) == 0)

#ifdef TESTS_TAP_H
/* run_child, with a check that the child exited cleanly.  Returns the
   report (free it).  */
static char *
run_child_ok (child_fn fn, void *arg, const char *what)
{
  char *text = NULL;
  int st = run_child (fn, arg, &text);

  ok (CHILD_EXITED_OK (st), "%s", what);
  if (!CHILD_EXITED_OK (st))
    printf ("#   status %#x, report: %s\n", st, text);
  return text;
}
#endif

#endif
