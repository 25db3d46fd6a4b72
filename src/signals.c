/* Signal names <-> numbers, as `runc kill` accepts them.  */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "signals.h"
#include "util.h"

/* The real-time range as glibc exposes it to programs (the kernel's 32 and
   33 are taken by the C library's threading).  Fixed numbers rather than
   SIGRTMIN/SIGRTMAX, which are functions of the libc we were built with:
   the container's libc is what the user means, and Docker and kill(1)
   on glibc systems agree on 34..64.  */
#define RT_MIN 34
#define RT_MAX 64
/* Numbers the kernel accepts below RT_MIN that are still real-time.  */
#define KERNEL_RT_MIN 32

/* The names golang.org/x/sys/unix.SignalNum knows (what runc accepts),
   canonical first, then the traditional aliases older runc versions
   accepted through their own table; sig_name never returns an alias
   because the canonical entry comes first.  */
static const struct
{
  const char *name;
  int num;
} sig_table[] = {
  { "SIGHUP", SIGHUP },     { "SIGINT", SIGINT },       { "SIGQUIT", SIGQUIT },   { "SIGILL", SIGILL },
  { "SIGTRAP", SIGTRAP },   { "SIGABRT", SIGABRT },     { "SIGBUS", SIGBUS },     { "SIGFPE", SIGFPE },
  { "SIGKILL", SIGKILL },   { "SIGUSR1", SIGUSR1 },     { "SIGSEGV", SIGSEGV },   { "SIGUSR2", SIGUSR2 },
  { "SIGPIPE", SIGPIPE },   { "SIGALRM", SIGALRM },     { "SIGTERM", SIGTERM },   { "SIGSTKFLT", SIGSTKFLT },
  { "SIGCHLD", SIGCHLD },   { "SIGCONT", SIGCONT },     { "SIGSTOP", SIGSTOP },   { "SIGTSTP", SIGTSTP },
  { "SIGTTIN", SIGTTIN },   { "SIGTTOU", SIGTTOU },     { "SIGURG", SIGURG },     { "SIGXCPU", SIGXCPU },
  { "SIGXFSZ", SIGXFSZ },   { "SIGVTALRM", SIGVTALRM }, { "SIGPROF", SIGPROF },   { "SIGWINCH", SIGWINCH },
  { "SIGIO", SIGIO },       { "SIGPWR", SIGPWR },       { "SIGSYS", SIGSYS },
  { "SIGIOT", SIGIOT },     { "SIGPOLL", SIGPOLL },     { "SIGCLD", SIGCHLD },
};

/* Canonical spellings of KERNEL_RT_MIN..RT_MAX, constant so that the
   returned pointers stay valid and no lazy initialisation can race.  */
static const char *const rt_names[] = {
  "SIGRTMIN-2",  "SIGRTMIN-1",  "SIGRTMIN",    "SIGRTMIN+1",  "SIGRTMIN+2",  "SIGRTMIN+3",  "SIGRTMIN+4",
  "SIGRTMIN+5",  "SIGRTMIN+6",  "SIGRTMIN+7",  "SIGRTMIN+8",  "SIGRTMIN+9",  "SIGRTMIN+10", "SIGRTMIN+11",
  "SIGRTMIN+12", "SIGRTMIN+13", "SIGRTMIN+14", "SIGRTMIN+15", "SIGRTMIN+16", "SIGRTMIN+17", "SIGRTMIN+18",
  "SIGRTMIN+19", "SIGRTMIN+20", "SIGRTMIN+21", "SIGRTMIN+22", "SIGRTMIN+23", "SIGRTMIN+24", "SIGRTMIN+25",
  "SIGRTMIN+26", "SIGRTMIN+27", "SIGRTMIN+28", "SIGRTMIN+29", "SIGRTMAX",
};
_Static_assert (ARRAY_SIZE (rt_names) == RT_MAX - KERNEL_RT_MIN + 1, "one name per real-time signal");

static bool
parse_small_uint (const char *s, int *out)
{
  uint64_t v;

  /* Go's strconv.Atoi accepts a sign; signal numbers never need one.  */
  if (parse_u64 (s, &v) < 0 || v > INT32_MAX)
    return false;
  *out = (int) v;
  return true;
}

/* "SIGRTMIN", "SIGRTMIN+N", "SIGRTMIN-N", "SIGRTMAX", "SIGRTMAX-N",
   "SIGRTMAX+0" (upper-cased, with the SIG prefix).  */
static bool
parse_rt (const char *s, int *out)
{
  int base, off = 0, sign = 0, sig;

  if (strncmp (s, "SIGRTMIN", 8) == 0)
    base = RT_MIN;
  else if (strncmp (s, "SIGRTMAX", 8) == 0)
    base = RT_MAX;
  else
    return false;
  s += 8;
  if (*s == '+' || *s == '-')
    {
      sign = *s == '+' ? 1 : -1;
      if (!parse_small_uint (s + 1, &off) || off > RT_MAX)
        return false;
    }
  else if (*s != '\0')
    return false;
  sig = base + sign * off;
  if (sig < KERNEL_RT_MIN || sig > RT_MAX)
    return false;
  *out = sig;
  return true;
}

int
sig_parse (const char *s, int *out, rt_error *err)
{
  char up[40];
  size_t len, i, o = 0;
  int num;

  if (s == NULL || *s == '\0')
    return rt_failx (err, EINVAL, "unknown signal \"\"");

  if (s[0] >= '0' && s[0] <= '9')
    {
      if (!parse_small_uint (s, &num) || num < 1 || num > RT_MAX)
        return rt_failx (err, EINVAL, "unknown signal \"%s\": signal numbers go from 1 to %d", s, RT_MAX);
      *out = num;
      return 0;
    }

  len = strlen (s);
  if (len > 20)
    return rt_failx (err, EINVAL, "unknown signal \"%.40s%s\"", s, len > 40 ? "..." : "");
  if (strncasecmp (s, "SIG", 3) != 0)
    {
      memcpy (up, "SIG", 3);
      o = 3;
    }
  for (i = 0; i <= len; i++)
    up[o + i] = (s[i] >= 'a' && s[i] <= 'z') ? (char) (s[i] - 'a' + 'A') : s[i];

  for (i = 0; i < ARRAY_SIZE (sig_table); i++)
    if (strcmp (up, sig_table[i].name) == 0)
      {
        *out = sig_table[i].num;
        return 0;
      }
  if (parse_rt (up, out))
    return 0;
  return rt_failx (err, EINVAL, "unknown signal \"%s\"", s);
}

const char *
sig_name (int sig)
{
  size_t i;

  for (i = 0; i < ARRAY_SIZE (sig_table); i++)
    if (sig_table[i].num == sig)
      return sig_table[i].name;
  if (sig >= KERNEL_RT_MIN && sig <= RT_MAX)
    return rt_names[sig - KERNEL_RT_MIN];
  return NULL;
}
