/* runc-slirp command line: option rules and the --publish grammar.  */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>

#include "../unit/tap.h"
#include "slirp_helper.h"
#include "util.h"

static int
parse (struct sh_options *o, rt_error *err, ...)
{
  char *argv[32];
  int argc = 0;
  va_list ap;

  argv[argc++] = (char *) "runc-slirp";
  va_start (ap, err);
  for (char *a; (a = va_arg (ap, char *)) != NULL;)
    argv[argc++] = a;
  va_end (ap);
  argv[argc] = NULL;
  rt_error_clear (err);
  return sh_parse_options (argc, argv, o, err);
}

static void
test_publish (void)
{
  struct sh_publish p;
  rt_error err = { 0 };
  char buf[INET6_ADDRSTRLEN];
  const struct sockaddr_in *sin = (const struct sockaddr_in *) &p.host;
  const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) &p.host;

  ok (sh_parse_publish ("8080:80", &p, &err) == 0, "HOSTPORT:CONTAINERPORT");
  is_int (p.proto, IPPROTO_TCP, "tcp by default");
  is_int (p.host.ss_family, AF_INET, "IPv4 listener by default");
  is_int (sin->sin_addr.s_addr, htonl (INADDR_ANY), "on 0.0.0.0");
  is_int (ntohs (sin->sin_port), 8080, "host port");
  is_int (p.guest_port, 80, "container port");

  ok (sh_parse_publish ("127.0.0.1:5353:53/udp", &p, &err) == 0, "IP:HPORT:CPORT/udp");
  is_int (p.proto, IPPROTO_UDP, "udp");
  is_str (inet_ntop (AF_INET, &sin->sin_addr, buf, sizeof buf), "127.0.0.1", "host address kept");
  is_int (p.guest_port, 53, "udp container port");

  ok (sh_parse_publish ("[::1]:8443:443/tcp", &p, &err) == 0, "[IPv6]:HPORT:CPORT");
  is_int (p.host.ss_family, AF_INET6, "IPv6 listener");
  is_str (inet_ntop (AF_INET6, &sin6->sin6_addr, buf, sizeof buf), "::1", "IPv6 host address");
  is_int (ntohs (sin6->sin6_port), 8443, "IPv6 host port");

  ok (sh_parse_publish ("80", &p, &err) < 0, "a single port is refused");
  like (err.msg, "expected [HOSTIP:]HOSTPORT:CONTAINERPORT", "with the grammar in the message");
  ok (sh_parse_publish ("0:80", &p, &err) < 0, "port 0 refused");
  ok (sh_parse_publish ("8080:65536", &p, &err) < 0, "port 65536 refused");
  like (err.msg, "65536", "message names the port");
  ok (sh_parse_publish ("8080:80/sctp", &p, &err) < 0, "sctp refused");
  like (err.msg, "tcp or udp", "message says which protocols");
  ok (sh_parse_publish ("::1:8080:80", &p, &err) < 0, "IPv6 without brackets refused");
  like (err.msg, "brackets", "message says to use brackets");
  ok (sh_parse_publish ("300.1.1.1:8080:80", &p, &err) < 0, "bad IPv4 refused");
  ok (sh_parse_publish ("[::1:8080:80", &p, &err) < 0, "unclosed bracket refused");
  ok (sh_parse_publish ("a:b", &p, &err) < 0, "non-numeric ports refused");
  ok (sh_parse_publish ("8080:80x", &p, &err) < 0, "trailing garbage refused");
}

static void
test_options (void)
{
  struct sh_options o;
  rt_error err = { 0 };
  int fds[2];

  ok (parse (&o, &err, "1234", NULL) == 0, "PID alone");
  is_int (o.pid, 1234, "pid parsed");
  is_int (o.mtu, SH_MTU_DEFAULT, "MTU 65520 by default");
  is_str (o.tap_name, "tap0", "tap0 by default");
  ok (!o.allow_host_loopback, "host loopback off by default");
  ok (!o.disable_sandbox, "sandbox on by default");
  ok (o.tcp_rmem_fix, "tcp_rmem fix on by default");
  is_int (o.ready_fd, -1, "no ready fd by default");
  sh_options_free (&o);

  ok (parse (&o, &err, "--mtu", "1500", "-p", "8080:80", "--publish", "53:53/udp", "--allow-host-loopback",
             "--api-socket", "/tmp/x.sock", "--pid-watch", "-6", "--tap", "eth0", "42", NULL)
          == 0,
      "every option together");
  is_int (o.mtu, 1500, "--mtu");
  is_int (o.n_publish, 2, "--publish is repeatable");
  is_int (o.publish[1].proto, IPPROTO_UDP, "second forward is udp");
  ok (o.allow_host_loopback && o.pid_watch && o.ipv6, "flags set");
  is_str (o.api_socket, "/tmp/x.sock", "--api-socket");
  is_str (o.tap_name, "eth0", "--tap");
  sh_options_free (&o);

  ok (parse (&o, &err, "-p", "[::]:80:80", "1", NULL) < 0, "an IPv6 --publish needs -6");
  like (err.msg, "needs -6", "message says so");
  sh_options_free (&o);
  ok (parse (&o, &err, "-6", "-p", "[::]:80:80", "1", NULL) == 0, "an IPv6 --publish with -6");
  sh_options_free (&o);

  ok (parse (&o, &err, "--mtu", "65522", "1", NULL) < 0, "MTU above libslirp's maximum refused");
  like (err.msg, "--mtu", "message names --mtu");
  sh_options_free (&o);
  ok (parse (&o, &err, "--mtu", "100", "1", NULL) < 0, "tiny MTU refused");
  sh_options_free (&o);
  ok (parse (&o, &err, NULL) < 0, "a target is required");
  like (err.msg, "missing PID or --netns", "message says what is missing");
  sh_options_free (&o);
  ok (parse (&o, &err, "--netns", "/x", "12", NULL) < 0, "PID and --netns conflict");
  sh_options_free (&o);
  ok (parse (&o, &err, "--netns", "/run/netns/x", "--userns", "/proc/1/ns/user", NULL) == 0, "--netns with --userns");
  sh_options_free (&o);
  ok (parse (&o, &err, "--userns", "/u", "12", NULL) < 0, "--userns needs --netns");
  sh_options_free (&o);
  ok (parse (&o, &err, "--pid-watch", "--netns", "/x", NULL) < 0, "--pid-watch needs a PID");
  sh_options_free (&o);
  ok (parse (&o, &err, "--resolv-conf", "/r", "--disable-sandbox", "1", NULL) < 0,
      "--resolv-conf needs the sandbox");
  like (err.msg, "/etc/resolv.conf", "message explains why");
  sh_options_free (&o);
  ok (parse (&o, &err, "abc", NULL) < 0, "a non-numeric PID is refused");
  sh_options_free (&o);
  ok (parse (&o, &err, "1", "2", NULL) < 0, "a second positional argument is refused");
  sh_options_free (&o);
  ok (parse (&o, &err, "--bogus", "1", NULL) < 0, "unknown option refused");
  like (err.msg, "--bogus", "message names it");
  sh_options_free (&o);
  ok (parse (&o, &err, "1", "--mtu", NULL) < 0, "missing option argument refused");
  like (err.msg, "needs an argument", "message says so");
  sh_options_free (&o);
  ok (parse (&o, &err, "--tap", "0123456789abcdef", "1", NULL) < 0, "16-character interface name refused");
  sh_options_free (&o);
  ok (parse (&o, &err, "-p", "1:2:3:4", "1", NULL) < 0, "bad --publish stops parsing");
  sh_options_free (&o);

  if (pipe2 (fds, O_CLOEXEC) == 0)
    {
      char num[16];
      snprintf (num, sizeof num, "%d", fds[1]);
      ok (parse (&o, &err, "--ready-fd", num, "1", NULL) == 0 && o.ready_fd == fds[1], "--ready-fd on an open fd");
      sh_options_free (&o);
      close (fds[1]);
      ok (parse (&o, &err, "--ready-fd", num, "1", NULL) < 0, "--ready-fd on a closed fd refused");
      like (err.msg, "Bad file descriptor", "with the errno text");
      sh_options_free (&o);
      close (fds[0]);
    }
  ok (parse (&o, &err, "--exit-fd", "-1", "1", NULL) < 0, "negative fd refused");
  sh_options_free (&o);

  ok (parse (&o, &err, "--help", NULL) == 0 && o.action == SH_HELP, "--help needs no target");
  sh_options_free (&o);
  ok (parse (&o, &err, "-v", NULL) == 0 && o.action == SH_VERSION, "-v is --version");
  sh_options_free (&o);
}

int
main (void)
{
  test_publish ();
  test_options ();
  return tap_done ();
}
