/* runc-slirp started by the runtime for a container (see container_net.h).
 *
 * The helper is given the container's network namespace by path.  The
 * init is no longer dumpable when it reports the namespace, so a rootless
 * helper may not open its /proc/PID/ns/net; the runtime holds the fd the
 * init sent and names it as /proc/RUNTIME/fd/N, which the helper (same
 * user, the runtime being dumpable) can open while the runtime waits for
 * it.  That way the helper inherits no namespace fd it would keep for its
 * whole life.  A runtime that is not dumpable (an execute-only binary)
 * cannot be reached that way, and passes the fd itself instead.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cloned_binary.h"
#include "container_priv.h"
#include "sync.h"
#include "util.h"

/* The helper's fds: 0-2 stdio, then these.  */
#define HELPER_READY_FD 3
#define HELPER_EXIT_FD 4
#define HELPER_NETNS_FD 5
#define HELPER_PARK 10
/* Starting takes milliseconds; this only bounds a helper that hangs.  */
#define READY_TIMEOUT_MS 30000
#define WARNING_PREFIX NET_HELPER ": warning: "

extern char **environ;

void
ctr_net_init (ctr_net *n)
{
  memset (n, 0, sizeof *n);
  n->exe = n->netns = n->ready = -1;
}

void
ctr_net_free (ctr_net *n)
{
  cleanup_closep (&n->exe);
  cleanup_closep (&n->netns);
  cleanup_closep (&n->ready);
  free (n->path);
  net_config_free (&n->cfg);
  ctr_net_init (n);
}

bool
ctr_net_wanted (const ctr_net *n)
{
  return n->cfg.mode == NET_MODE_SLIRP;
}

int
ctr_net_check (ctr_net *n, const spec *s, rt_error *err)
{
  _cleanup_free_ char *self = NULL;
  char *slash;

  if (net_config_parse (s, &n->cfg, err) < 0)
    return rt_error_ret (err);
  if (!ctr_net_wanted (n))
    return 0;
  /* A runtime installed with its helper finds that one, whatever PATH
     says; the sealed copy knows where it was copied from.  */
  self = binary_self_path ();
  slash = self ? strrchr (self, '/') : NULL;
  if (slash)
    *(slash == self ? slash + 1 : slash) = '\0';
  n->exe = ctr_helper_find (NET_HELPER, slash ? self : NULL,
                            "install " NET_HELPER ", which this runtime builds when libslirp is available, beside "
                            "the runtime or in PATH",
                            &n->path, err);
  if (n->exe < 0)
    return rt_wrap (err, "annotation " NET_ANNOTATION "=slirp");
  return 0;
}

/* The path under which the helper can open our fd `fd`: through our own
 * /proc entry when it may (see the top of the file), else through its
 * own copy at HELPER_NETNS_FD (*inherit set).  */
static char *
netns_path (int fd, bool *inherit)
{
  char self[32], *path;
  ssize_t n;

  /* Our PID as /proc names it, whatever PID namespace /proc belongs to.  */
  n = readlink ("/proc/self", self, sizeof self - 1);
  *inherit = n <= 0 || prctl (PR_GET_DUMPABLE) != 1;
  if (*inherit)
    {
      xasprintf (&path, "/proc/self/fd/%d", HELPER_NETNS_FD);
      return path;
    }
  self[n] = '\0';
  xasprintf (&path, "/proc/%s/fd/%d", self, fd);
  return path;
}

struct helper_job
{
  int exe;
  const char *path;
  char **argv;
  int dir_fd;
  int fds[6]; /* for 0 .. 5 */
  int n_fds;
  int report; /* sync socket: an error, or EOF at exec */
};

__attribute__ ((noreturn)) static void
helper_main (const struct helper_job *j)
{
  rt_error err = { 0 };
  int exe, report;
  sigset_t none;

  /* Above the numbers the helper's fds take, which they may hold now.  */
  exe = fcntl (j->exe, F_DUPFD_CLOEXEC, HELPER_PARK);
  report = fcntl (j->report, F_DUPFD_CLOEXEC, HELPER_PARK);
  if (exe < 0 || report < 0)
    _exit (127);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  /* Its own session: a ^C or hangup meant for `runc run` must not take
     the container's network with it.  */
  if (setsid () < 0)
    rt_fail (&err, errno, "setsid");
  /* Where a relative API socket path is, and nowhere in the bundle.  */
  else if (fchdir (j->dir_fd) < 0)
    rt_fail (&err, errno, "chdir to the container's state directory");
  else if (ctr_helper_fds (j->fds, j->n_fds, &err) == 0)
    {
      execveat (exe, "", j->argv, environ, AT_EMPTY_PATH);
      rt_fail (&err, errno, "exec %s", j->path);
    }
  sync_send_error (report, &err);
  _exit (127);
}

/* The API socket in the state directory; relative to it (the helper's
 * working directory) when the absolute path does not fit a socket
 * address.  */
static char *
api_socket_path (const char *state_dir)
{
  struct sockaddr_un sa;
  char *path;

  xasprintf (&path, "%s/" NET_API_SOCKET, state_dir);
  if (strlen (path) < sizeof sa.sun_path)
    return path;
  free (path);
  return xstrdup (NET_API_SOCKET);
}

int
ctr_net_start (ctr_plan *p, int dir_fd, const char *state_dir, int init_pidfd, rt_error *err)
{
  ctr_net *n = &p->net;
  _cleanup_close_ int log = -1, null = -1, report = -1, ready_w = -1;
  _cleanup_free_ char *sock = NULL, *netns = NULL;
  struct helper_job j;
  int pipefd[2], pair[2], ret;
  bool inherit;
  sync_msg m;
  pid_t pid;

  if (!ctr_net_wanted (n))
    return 0;
  if (n->netns < 0)
    return rt_failx (err, EPROTO, "annotation " NET_ANNOTATION "=slirp: the container init did not report its "
                                  "network namespace");
  if (init_pidfd < 0)
    return rt_failx (err, ENOSYS, "annotation " NET_ANNOTATION "=slirp: no pidfd for the container init (Linux "
                                  "5.3 or later is needed)");
  log = openat (dir_fd, NET_LOG, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (log < 0)
    return rt_fail (err, errno, "create %s in the container's state directory", NET_LOG);
  null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0)
    return rt_fail (err, errno, "open /dev/null");
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return rt_fail (err, errno, "pipe for the ready report of %s", NET_HELPER);
  n->ready = pipefd[0];
  ready_w = pipefd[1];
  if (sync_pair (pair, err) < 0)
    return rt_error_ret (err);
  report = pair[0];

  sock = api_socket_path (state_dir);
  netns = netns_path (n->netns, &inherit);
  {
    net_helper_args a = {
      .ready_fd = HELPER_READY_FD, .exit_fd = HELPER_EXIT_FD, .api_socket = sock, .netns = netns,
    };
    j = (struct helper_job){
      .exe = n->exe,
      .path = n->path,
      .argv = net_helper_argv (&n->cfg, &a),
      .dir_fd = dir_fd,
      .fds = { null, log, log, ready_w, init_pidfd, n->netns },
      .n_fds = inherit ? 6 : 5,
      .report = pair[1],
    };
  }
  rt_debug ("starting %s for the container's network namespace (%s)", n->path, netns);
  pid = fork ();
  if (pid == 0)
    helper_main (&j);
  ret = pid < 0 ? rt_fail (err, errno, "fork %s", NET_HELPER) : 0;
  close (pair[1]);
  strv_free (j.argv);
  if (ret < 0)
    return ret;
  n->pid = pid;
  ctr_helper_add (p, pid);
  close (TAKE_FD (n->exe));

  /* The socket is close-on-exec in the helper: EOF means it runs.  */
  ret = sync_recv (report, &m, NULL, err);
  if (ret == -EPIPE)
    return 0;
  if (ret == 0 && m.type == SYNC_ERROR)
    {
      *err = m.err;
      ret = rt_error_ret (err);
    }
  else if (ret == 0)
    ret = rt_failx (err, EPROTO, "unexpected message %u", m.type);
  return rt_wrap (err, "annotation " NET_ANNOTATION "=slirp: start %s", n->path);
}

/* Lines the helper printed as warnings, passed on as ours.  */
static void
relay_warnings (int dir_fd)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *rest, *line;

  if (read_file_at (dir_fd, NET_LOG, &text, &ignored) < 0)
    return;
  rest = text;
  while ((line = strsep (&rest, "\n")) != NULL)
    if (str_has_prefix (line, WARNING_PREFIX))
      rt_warn (NET_HELPER ": %s", line + strlen (WARNING_PREFIX));
}

int
ctr_net_ready (ctr_plan *p, int dir_fd, rt_error *err)
{
  ctr_net *n = &p->net;
  struct pollfd pf = { .fd = n->ready, .events = POLLIN };
  _cleanup_free_ char *why = NULL;
  siginfo_t si;
  char c = 0;
  ssize_t got;
  int r;

  if (n->pid <= 0)
    return 0;
  do
    r = poll (&pf, 1, READY_TIMEOUT_MS);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return rt_fail (err, errno, "wait for %s", NET_HELPER);
  if (r == 0)
    return rt_failx (err, ETIMEDOUT, "annotation " NET_ANNOTATION "=slirp: %s did not report the network up "
                                     "within %d s", n->path, READY_TIMEOUT_MS / 1000);
  do
    got = read (n->ready, &c, 1);
  while (got < 0 && errno == EINTR);
  close (TAKE_FD (n->ready));
  /* The helper found the namespace, or never will: let it go.  */
  close (TAKE_FD (n->netns));
  if (got == 1 && c == '1')
    {
      relay_warnings (dir_fd);
      return 0;
    }
  /* It closed the pipe on its way out: once it is gone (not reaped, the
     rollback does that) its log is complete.  */
  memset (&si, 0, sizeof si);
  while (waitid (P_PID, (id_t) n->pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
    ;
  why = ctr_helper_last_words (dir_fd, NET_LOG);
  if (why && str_has_prefix (why, NET_HELPER ": "))
    memmove (why, why + strlen (NET_HELPER ": "), strlen (why) - strlen (NET_HELPER ": ") + 1);
  if (why)
    return rt_failx (err, EIO, "annotation " NET_ANNOTATION "=slirp: %s failed: %s", n->path, why);
  return rt_failx (err, EIO, "annotation " NET_ANNOTATION "=slirp: %s exited (status %d) without saying why",
                   n->path, si.si_status);
}
