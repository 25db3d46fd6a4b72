/* The system calls the event loop makes once sandboxed, and nothing else.
 *
 * The list was taken from strace of the sandboxed helper under load
 * (iperf3 TCP both ways and UDP, DNS, ping to the gateway, the host and
 * fd00::2, refused and timed-out connections, API adds, lists, removes
 * and bad requests, TCP and UDP forwards): libslirp only needs sockets,
 * poll, reads and writes, memory and, for its DNS upstream, reading
 * /etc/resolv.conf; a few calls are added for paths the load cannot
 * show (clock without vDSO, abort()).  Arguments are pinned where a call
 * could do more: new sockets are IPv4/IPv6 only, files open read-only,
 * mapped memory is never executable, ioctl is FIONREAD only, and the
 * only signal that can be sent is abort()'s own SIGABRT.  Anything else
 * fails with EPERM (the default action) rather than killing the helper,
 * so an unforeseen call in a rare libslirp path costs that one operation
 * and not every container connection.  */
#include "config.h"

#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "slirp_helper.h"
#include "util.h"

static const char *const plain_calls[] = {
  /* the loop; ppoll is how poll() reaches the kernel on some architectures */
  "poll", "ppoll", "read", "write", "close",
  /* libslirp's sockets and the API connections */
  "accept", "accept4", "bind", "connect", "listen", "shutdown", "recvfrom", "recvmsg", "sendto",
  "getsockname", "getpeername", "getsockopt", "setsockopt", "fcntl",
  /* reading /etc/resolv.conf (the open itself is restricted below) */
  "newfstatat", "fstat", "lseek",
  /* the clock, when the vDSO falls back to a real system call */
  "clock_gettime", "gettimeofday",
  /* malloc */
  "brk", "munmap", "mremap", "madvise",
  /* abort() (its tgkill is restricted below), signal returns, exit */
  "getpid", "gettid", "rt_sigprocmask", "rt_sigaction", "rt_sigreturn", "restart_syscall",
  "exit", "exit_group",
};

static int
allow (scmp_filter_ctx ctx, const char *name, unsigned n, const struct scmp_arg_cmp *cmp, rt_error *err)
{
  int nr = seccomp_syscall_resolve_name (name);
  int ret;

  /* A name this architecture does not have (poll on arm64, time on
     some) simply has nothing to allow.  */
  if (nr == __NR_SCMP_ERROR)
    return 0;
  ret = seccomp_rule_add_array (ctx, SCMP_ACT_ALLOW, nr, n, cmp);
  if (ret < 0)
    return rt_fail (err, -ret, "seccomp: allow %s", name);
  return 0;
}

static int
add_rules (scmp_filter_ctx ctx, rt_error *err)
{
  const struct scmp_arg_cmp inet4 = SCMP_A0 (SCMP_CMP_EQ, AF_INET);
  const struct scmp_arg_cmp inet6 = SCMP_A0 (SCMP_CMP_EQ, AF_INET6);
  const struct scmp_arg_cmp fionread = SCMP_A1 (SCMP_CMP_EQ, FIONREAD);
  const struct scmp_arg_cmp rdonly = SCMP_A2 (SCMP_CMP_MASKED_EQ, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND, O_RDONLY);
  const struct scmp_arg_cmp noexec = SCMP_A2 (SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
  const struct scmp_arg_cmp sigabrt = SCMP_A2 (SCMP_CMP_EQ, SIGABRT);
  int ret = 0;

  for (size_t i = 0; i < ARRAY_SIZE (plain_calls) && ret >= 0; i++)
    ret = allow (ctx, plain_calls[i], 0, NULL, err);
  if (ret >= 0)
    ret = allow (ctx, "socket", 1, &inet4, err);
  if (ret >= 0)
    ret = allow (ctx, "socket", 1, &inet6, err);
  if (ret >= 0)
    ret = allow (ctx, "ioctl", 1, &fionread, err);
  if (ret >= 0)
    ret = allow (ctx, "openat", 1, &rdonly, err);
  if (ret >= 0)
    ret = allow (ctx, "mmap", 1, &noexec, err);
  if (ret >= 0)
    ret = allow (ctx, "tgkill", 1, &sigabrt, err);
  return ret;
}

int
seccomp_install (rt_error *err)
{
  scmp_filter_ctx ctx;
  int ret;

  ctx = seccomp_init (SCMP_ACT_ERRNO (EPERM));
  if (ctx == NULL)
    return rt_failx (err, ENOMEM, "seccomp: initialise the filter");
  ret = add_rules (ctx, err);
  if (ret >= 0)
    {
      ret = seccomp_load (ctx);
      if (ret < 0)
        ret = rt_fail (err, -ret, "seccomp: load the filter");
    }
  seccomp_release (ctx);
  return ret;
}
