/* runc-slirp API requests against a real libslirp instance: forwards are
 * checked by connecting to the host port they open.  */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "../unit/tap.h"
#include "json.h"
#include "slirp_helper.h"
#include "util.h"

static int
free_port (void)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof sa;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  bind (fd, (struct sockaddr *) &sa, sizeof sa);
  getsockname (fd, (struct sockaddr *) &sa, &len);
  close (fd);
  return ntohs (sa.sin_port);
}

static int
try_connect (int port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port),
                            .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int ret = connect (fd, (struct sockaddr *) &sa, sizeof sa) == 0 ? 0 : -errno;

  close (fd);
  return ret;
}

static char *
call (struct sh_fwd_table *fwd, const char *fmt, ...)
{
  char *req, *reply;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&req, fmt, ap) < 0)
    abort ();
  va_end (ap);
  reply = api_dispatch (fwd, req, strlen (req));
  free (req);
  return reply;
}

static void
test_forwards (struct sh_fwd_table *fwd)
{
  int p1 = free_port (), p2;
  char want[512], *r;

  r = call (fwd,
            "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\","
            "\"host_port\":%d,\"guest_addr\":\"10.0.2.100\",\"guest_port\":80}}",
            p1);
  is_str (r, "{\"return\":{\"id\":1}}", "add_hostfwd returns id 1");
  free (r);
  is_int (try_connect (p1), 0, "the host port now accepts connections");

  p2 = free_port ();
  r = call (fwd, "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"udp\",\"host_addr\":\"127.0.0.1\","
                 "\"host_port\":%d,\"guest_port\":53}}",
            p2);
  is_str (r, "{\"return\":{\"id\":2}}", "udp forward, guest_addr defaulted");
  free (r);

  r = call (fwd, "{\"execute\": \"list_hostfwd\"}");
  snprintf (want, sizeof want,
            "{\"return\":{\"entries\":[{\"id\":1,\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\",\"host_port\":%d,"
            "\"guest_addr\":\"10.0.2.100\",\"guest_port\":80},{\"id\":2,\"proto\":\"udp\",\"host_addr\":"
            "\"127.0.0.1\",\"host_port\":%d,\"guest_addr\":\"10.0.2.100\",\"guest_port\":53}]}}",
            p1, p2);
  is_str (r, want, "list_hostfwd lists both, slirp4netns's field names");
  free (r);

  r = call (fwd, "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\","
                 "\"host_port\":%d,\"guest_port\":81}}",
            p1);
  like (r, "\"error\":{\"desc\":\"add_hostfwd: add tcp forward 127.0.0.1:", "same port twice is an error");
  like (r, "Address already in use", "with the errno text");
  free (r);

  r = call (fwd, "{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":1}}");
  is_str (r, "{\"return\":{}}", "remove_hostfwd");
  free (r);
  is_int (try_connect (p1), -ECONNREFUSED, "the host port is closed again");
  r = call (fwd, "{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":1}}");
  like (r, "no forward with id 1", "removing twice is an error");
  free (r);
  r = call (fwd, "{\"execute\":\"list_hostfwd\"}");
  like (r, "\"entries\":[{\"id\":2,", "only the udp forward is left");
  free (r);

  r = call (fwd, "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\","
                 "\"host_port\":%d,\"guest_port\":80}}",
            p1);
  is_str (r, "{\"return\":{\"id\":3}}", "ids are never reused");
  free (r);
  is_int (try_connect (p1), 0, "re-added port accepts again");
}

static void
test_errors (struct sh_fwd_table *fwd)
{
  static const struct
  {
    const char *req, *desc;
  } cases[] = {
    { "{\"execute\":", "invalid JSON" },
    { "[1]", "string \\\"execute\\\"" },
    { "{\"execute\":\"quit\"}", "unknown execute `quit`" },
    { "{\"execute\":\"add_hostfwd\"}", "arguments must be an object" },
    { "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"sctp\",\"host_port\":1,\"guest_port\":1}}",
      "proto must be" },
    { "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"guest_port\":1}}", "host_port is required" },
    { "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_port\":70000,\"guest_port\":1}}",
      "host_port must be an integer in 1-65535" },
    { "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_port\":\"80\",\"guest_port\":1}}",
      "host_port must be" },
    { "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_addr\":\"localhost\","
      "\"host_port\":1,\"guest_port\":1}}",
      "not an IP address" },
    { "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_port\":1,\"guest_port\":1,"
      "\"guest_addr\":\"192.168.1.1\"}}",
      "guest_addr must be in 10.0.2.0/24" },
    { "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":1,\"host_port\":1,\"guest_port\":1}}",
      "proto must be a string" },
    { "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\",\"host_addr\":\"::1\",\"host_port\":1,"
      "\"guest_port\":1,\"guest_addr\":\"10.0.2.100\"}}",
      "same address family" },
    { "{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":-1}}", "id must be a forward id" },
    { "{\"execute\":\"remove_hostfwd\"}", "id must be a forward id" },
  };

  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      char *r = api_dispatch (fwd, cases[i].req, strlen (cases[i].req));
      ok (str_has_prefix (r, "{\"error\":{\"desc\":\""), "error reply for %s", cases[i].req);
      like (r, cases[i].desc, "  says %s", cases[i].desc);
      free (r);
    }
}

static void
test_socket (void)
{
  char dir[] = "/tmp/slirp-api-XXXXXX", path[64];
  struct stat st;
  rt_error err = { 0 };
  int fd, fd2;

  if (mkdtemp (dir) == NULL)
    abort ();
  snprintf (path, sizeof path, "%s/api.sock", dir);
  fd = api_listen (path, &err);
  ok (fd >= 0, "api_listen");
  ok (stat (path, &st) == 0 && (st.st_mode & 0777) == 0600, "socket is 0600: only its owner may add forwards");
  fd2 = api_listen (path, &err);
  ok (fd2 < 0, "a socket still served is not taken over");
  like (err.msg, "in use by another process", "  and says so");
  close (fd);
  rt_error_clear (&err);
  fd = api_listen (path, &err);
  ok (fd >= 0, "a stale socket file is replaced");
  close (fd);
  unlink (path);
  fd = open (path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  close (fd);
  ok (api_listen (path, &err) < 0 && strstr (err.msg, "is not a socket"), "a regular file is never removed");
  unlink (path);
  rmdir (dir);
}

int
main (void)
{
  struct sh_options o = { .mtu = 1500 };
  struct sh_fwd_table fwd;
  struct sh_loop *l;
  rt_error err = { 0 };

  l = loop_new (&o, -1, &err);
  ok (l != NULL, "libslirp instance");
  if (l == NULL)
    return tap_done ();
  fwd_table_init (&fwd, loop_slirp (l));
  test_forwards (&fwd);
  test_errors (&fwd);
  test_socket ();
  fwd_table_free (&fwd);
  loop_free (l);
  return tap_done ();
}
