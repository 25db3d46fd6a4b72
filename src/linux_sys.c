#include "config.h"

#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux_sys.h"
#include "util.h"

pid_t
sys_clone3 (struct clone_args *args, size_t size)
{
  return (pid_t) syscall (SYS_clone3, args, size);
}

int
sys_pidfd_open (pid_t pid, unsigned int flags)
{
  return (int) syscall (SYS_pidfd_open, pid, flags);
}

int
sys_pidfd_send_signal (int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
  return (int) syscall (SYS_pidfd_send_signal, pidfd, sig, info, flags);
}

int
sys_pivot_root (const char *new_root, const char *put_old)
{
  return (int) syscall (SYS_pivot_root, new_root, put_old);
}

int
sys_close_range (unsigned int first, unsigned int last, unsigned int flags)
{
  return (int) syscall (SYS_close_range, first, last, flags);
}

long
sys_keyctl_join_session (const char *name)
{
  return syscall (SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0);
}

int
in_initial_userns (void)
{
  static int cached = -1;
  char buf[128];
  unsigned long a, b, c;
  _cleanup_close_ int fd = -1;
  ssize_t n;

  if (cached >= 0)
    return cached;
  fd = open ("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return cached = 1;
  n = read (fd, buf, sizeof buf - 1);
  if (n <= 0)
    return cached = 1;
  buf[n] = '\0';
  /* The initial namespace maps the whole 32-bit range onto itself, in a
     single line.  */
  cached = sscanf (buf, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295UL
           && strchr (buf, '\n') == buf + strlen (buf) - 1;
  return cached;
}
