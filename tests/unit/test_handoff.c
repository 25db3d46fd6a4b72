/* What the runtime hands to other programs: fds over AF_UNIX sockets
 * (--pidfd-socket, the seccomp agent), the NOTIFY_SOCKET relay and
 * LISTEN_FDS.  */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"
#include "linux_sys.h"
#include "listen_fds.h"
#include "notify_socket.h"
#include "seccomp_notify.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/test_handoff.XXXXXX";

/* One message with at most one fd.  */
static ssize_t
recv_with_fd (int sock, char *buf, size_t size, int *fd)
{
  struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
  union
  {
    char b[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } u;
  struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof u.b };
  struct cmsghdr *c;
  ssize_t n = recvmsg (sock, &mh, MSG_CMSG_CLOEXEC);

  *fd = -1;
  if (n < 0)
    return n;
  buf[n] = '\0';
  c = CMSG_FIRSTHDR (&mh);
  if (c && c->cmsg_type == SCM_RIGHTS)
    memcpy (fd, CMSG_DATA (c), sizeof (int));
  return n;
}

static int
listen_at (const char *path)
{
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  strcpy (a.sun_path, path);
  if (bind (fd, (struct sockaddr *) &a, sizeof a) < 0 || listen (fd, 4) < 0)
    abort ();
  return fd;
}

static void
test_pidfd_socket (void)
{
  _cleanup_free_ char *path = NULL;
  _cleanup_close_ int srv = -1, cli = -1, conn = -1, pidfd = -1, got = -1;
  rt_error err = { 0 };
  char buf[64];
  pid_t child;
  int st;

  xasprintf (&path, "%s/pidfd.sock", dir);
  ok (fdpass_connect (path, "pidfd socket", &err) < 0, "connecting to nothing fails");
  like (err.msg, "connect to pidfd socket `", "the error names the socket");
  srv = listen_at (path);
  cli = fdpass_connect (path, "pidfd socket", &err);
  ok (cli >= 0, "connect to a listening socket");
  ok (cli >= 0 && (fcntl (cli, F_GETFD) & FD_CLOEXEC), "the socket is close-on-exec");
  conn = accept4 (srv, NULL, NULL, SOCK_CLOEXEC);

  child = fork ();
  if (child == 0)
    {
      pause ();
      _exit (0);
    }
  pidfd = sys_pidfd_open (child, 0);
  is_int (pidfd_socket_send (cli, pidfd, "standard", &err), 0, "send a pidfd");
  ok (recv_with_fd (conn, buf, sizeof buf, &got) == 8, "one message arrives");
  is_str (buf, "standard", "its payload says which kind of process, as runc");
  ok (got >= 0, "with an fd");
  is_int (sys_pidfd_send_signal (got, SIGKILL, NULL, 0), 0, "the received fd is a pidfd of the process");
  waitpid (child, &st, 0);
  ok (WIFSIGNALED (st) && WTERMSIG (st) == SIGKILL, "which was killed through it");
  unlink (path);
}

static void
test_seccomp_state (void)
{
  spec_kv ann[] = { { "a", "1" }, { "b<", "x&y" } };
  seccomp_proc_state s = {
    .pid = 42,
    .metadata = "MKNOD=/dev/null",
    .id = "c1",
    .status = "creating",
    .init_pid = 42,
    .bundle = "/b",
    .annotations = ann,
    .n_annotations = 2,
  };
  char *doc = seccomp_state_json (&s);

  is_str (doc,
          "{\"ociVersion\":\"" OCI_SPEC_VERSION "\",\"fds\":[\"seccompFd\"],\"pid\":42,\"metadata\":\"MKNOD=/dev/null\","
          "\"state\":{\"ociVersion\":\"" OCI_SPEC_VERSION "\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42,"
          "\"bundle\":\"/b\",\"annotations\":{\"a\":\"1\",\"b\\u003c\":\"x\\u0026y\"}}}",
          "the container process state, as runc writes it");
  free (doc);

  s.metadata = "";
  s.n_annotations = 0;
  s.status = "running";
  s.pid = 77;
  doc = seccomp_state_json (&s);
  is_str (doc,
          "{\"ociVersion\":\"" OCI_SPEC_VERSION "\",\"fds\":[\"seccompFd\"],\"pid\":77,"
          "\"state\":{\"ociVersion\":\"" OCI_SPEC_VERSION "\",\"id\":\"c1\",\"status\":\"running\",\"pid\":42,"
          "\"bundle\":\"/b\"}}",
          "empty metadata and annotations are left out; an exec'd process has its own pid");
  free (doc);
}

static void
test_seccomp_send (void)
{
  _cleanup_free_ char *path = NULL;
  _cleanup_close_ int srv = -1, conn = -1, got = -1;
  int p[2];
  seccomp_proc_state s = { .pid = 1, .id = "c", .status = "creating", .init_pid = 1, .bundle = "/" };
  rt_error err = { 0 };
  char buf[1024];
  ssize_t n;

  xasprintf (&path, "%s/agent.sock", dir);
  if (pipe2 (p, O_CLOEXEC) < 0)
    abort ();
  ok (seccomp_notify_send (path, &s, p[0], &err) < 0, "no agent listening: an error");
  like (err.msg, "connect to the seccomp agent (linux.seccomp.listenerPath) `", "which says what it tried");
  srv = listen_at (path);
  is_int (seccomp_notify_send (path, &s, p[0], &err), 0, "send to a listening agent");
  conn = accept4 (srv, NULL, NULL, SOCK_CLOEXEC);
  n = recv_with_fd (conn, buf, sizeof buf, &got);
  ok (n > 0 && strstr (buf, "\"fds\":[\"seccompFd\"]") != NULL, "the agent gets the state");
  ok (got >= 0 && write (p[1], "z", 1) == 1 && read (got, buf, 1) == 1 && buf[0] == 'z',
      "and the fd, which is the one sent");
  is_int (read (conn, buf, sizeof buf), 0, "then the connection is closed: one state per connection");
  close (p[0]);
  close (p[1]);
  unlink (path);
}

static void
test_listen_fds (void)
{
  rt_error err = { 0 };
  char *env[3] = { NULL, NULL, NULL };
  size_t n;

  is_int (listen_fds_count ("123", "2", 123), 2, "LISTEN_PID matching: 2 fds");
  is_int (listen_fds_count ("124", "2", 123), 0, "meant for another process: none");
  is_int (listen_fds_count (NULL, "2", 123), 0, "no LISTEN_PID: none");
  is_int (listen_fds_count ("123", NULL, 123), 0, "no LISTEN_FDS: none");
  is_int (listen_fds_count ("123", "x", 123), 0, "malformed: none");
  is_int (listen_fds_count ("123", "99999", 123), 0, "absurd: none");

  n = listen_fds_env (2, "a:b", env);
  is_int (n, 3, "three variables with names");
  is_str (env[0], "LISTEN_FDS=2", "LISTEN_FDS");
  is_str (env[1], "LISTEN_PID=1", "LISTEN_PID is the init's own");
  is_str (env[2], "LISTEN_FDNAMES=a:b", "LISTEN_FDNAMES passed on");
  for (size_t i = 0; i < n; i++)
    free (env[i]);
  is_int (listen_fds_env (1, NULL, env), 2, "two without names");
  free (env[0]);
  free (env[1]);
  is_int (listen_fds_env (0, "a", env), 0, "none without fds");

  is_int (listen_fds_check (0, &err), 0, "no fds to check");
  {
    /* fds 3.. are whatever the test harness left; find a free one.  */
    int first_free = 3;
    while (fcntl (first_free, F_GETFD) >= 0)
      first_free++;
    ok (listen_fds_check (first_free - 2, &err) < 0, "a closed fd in the range is refused");
    like (err.msg, "is not open", "the message names it");
  }
}

static void
test_notify (void)
{
  _cleanup_free_ char *host = NULL;
  _cleanup_close_ int dfd = -1, sock = -1, hostfd = -1;
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  rt_error err = { 0 };
  spec s;
  size_t len;
  const char *line;
  char buf[256];
  struct stat st;
  pid_t child;
  int pidfd, status;

  line = notify_ready_line ("STATUS=x\nREADY=1\nX=y", 19, &len);
  ok (line && len == 7 && strncmp (line, "READY=1", 7) == 0, "READY= found after other lines");
  ok (notify_ready_line ("STATUS=READY=1", 14, &len) == NULL, "READY= only at the start of a line");

  memset (&s, 0, sizeof s);
  dfd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  is_int (notify_socket_setup (&s, dfd, dir, &err), 0, "setup");
  ok (s.n_mounts == 1 && strcmp (s.mounts[0].destination, "/run/notify") == 0, "a mount on /run/notify");
  ok (s.n_mounts == 1 && str_has_suffix (s.mounts[0].source, "/notify") && s.mounts[0].n_options == 5
          && strcmp (s.mounts[0].options[4], "ro") == 0,
      "binding the state's notify directory read-only");
  ok (stat (s.mounts[0].source, &st) == 0 && (st.st_mode & 0777) == 0755, "the directory exists, mode 0755");
  for (size_t i = 0; i < s.n_mounts; i++)
    {
      free (s.mounts[i].destination);
      free (s.mounts[i].type);
      free (s.mounts[i].source);
      strv_free_n (s.mounts[i].options, s.mounts[i].n_options);
    }
  free (s.mounts);

  sock = notify_socket_bind (dir, &err);
  ok (sock >= 0, "bind notify.sock");
  {
    _cleanup_free_ char *p = NULL;
    xasprintf (&p, "%s/notify/notify.sock", dir);
    ok (stat (p, &st) == 0 && S_ISSOCK (st.st_mode) && (st.st_mode & 0777) == 0777,
        "a socket any container user can write to");
  }

  xasprintf (&host, "%s/host.sock", dir);
  hostfd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  strcpy (a.sun_path, host);
  if (bind (hostfd, (struct sockaddr *) &a, sizeof a) < 0)
    abort ();

  /* A container that says it is ready, after something else.  */
  child = fork ();
  if (child == 0)
    {
      struct sockaddr_un c = { .sun_family = AF_UNIX };
      int fd = socket (AF_UNIX, SOCK_DGRAM, 0);
      snprintf (c.sun_path, sizeof c.sun_path, "%s/notify/notify.sock", dir);
      sendto (fd, "STATUS=starting", 15, 0, (struct sockaddr *) &c, sizeof c);
      sendto (fd, "STATUS=up\nREADY=1", 17, 0, (struct sockaddr *) &c, sizeof c);
      pause ();
      _exit (0);
    }
  pidfd = sys_pidfd_open (child, 0);
  is_int (notify_socket_forward (sock, host, pidfd, 4321, &err), 0, "forward");
  {
    ssize_t n = recv (hostfd, buf, sizeof buf - 1, MSG_DONTWAIT);
    buf[n > 0 ? n : 0] = '\0';
  }
  is_str (buf, "READY=1\nMAINPID=4321\n", "the host gets READY=1 and the main PID in one datagram");
  kill (child, SIGKILL);
  waitpid (child, &status, 0);

  /* A container that exits without a word.  */
  child = fork ();
  if (child == 0)
    _exit (0);
  close (pidfd);
  pidfd = sys_pidfd_open (child, 0);
  waitpid (child, &status, 0);
  is_int (notify_socket_forward (sock, host, pidfd, 1, &err), 0, "an exited container ends the wait");
  ok (recv (hostfd, buf, sizeof buf, MSG_DONTWAIT) < 0, "and nothing is sent");
  close (pidfd);

  {
    _cleanup_free_ char *p = NULL, *d = NULL;
    xasprintf (&p, "%s/notify/notify.sock", dir);
    xasprintf (&d, "%s/notify", dir);
    unlink (p);
    rmdir (d);
    unlink (host);
  }
  ok (notify_socket_bind (dir, &err) == -ENOENT, "no notify directory: -ENOENT, for start to skip");
}

int
main (void)
{
  if (mkdtemp (dir) == NULL)
    abort ();
  test_pidfd_socket ();
  test_seccomp_state ();
  test_seccomp_send ();
  test_listen_fds ();
  test_notify ();
  ok (rmdir (dir) == 0, "everything cleaned up");
  return tap_done ();
}
