/* Command line of runc-slirp.  Pure: no side effect besides checking that
 * fd numbers are open, so every rule is covered by the unit test.  */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "slirp_helper.h"
#include "util.h"

const char sh_usage_text[]
    = "Usage: runc-slirp [OPTION]... PID\n"
      "       runc-slirp [OPTION]... --netns PATH [--userns PATH]\n"
      "\n"
      "User-mode networking (libslirp) for the network namespace of PID or PATH.\n"
      "Creates TAP (default tap0) in it with 10.0.2.100/24, gateway 10.0.2.2 and\n"
      "DNS 10.0.2.3, then forwards its traffic through host sockets.\n"
      "\n"
      "  -m, --mtu N                 MTU of the tap device (default 65520)\n"
      "  -p, --publish [IP:]HPORT:CPORT[/tcp|/udp]\n"
      "                              forward host port HPORT to container port CPORT\n"
      "                              (repeatable; IP defaults to 0.0.0.0, [::] form for IPv6)\n"
      "      --allow-host-loopback   let the container reach the host's 127.0.0.1 at 10.0.2.2\n"
      "  -a, --api-socket PATH       serve the slirp4netns-compatible JSON API at PATH\n"
      "  -r, --ready-fd N            write \"1\" to fd N and close it once ready\n"
      "  -e, --exit-fd N             exit when fd N becomes readable or is closed\n"
      "      --pid-watch             exit when PID exits\n"
      "      --netns PATH            target network namespace by path\n"
      "      --userns PATH           user namespace to enter to configure it\n"
      "      --tap NAME              name of the tap device (default tap0)\n"
      "  -6, --enable-ipv6           also configure fd00::100/64 via fd00::2, DNS fd00::3\n"
      "      --resolv-conf PATH      take the upstream nameservers from PATH\n"
      "                              (default /etc/resolv.conf)\n"
      "      --no-tcp-rmem-fix       keep the namespace's net.ipv4.tcp_rmem unchanged\n"
      "      --disable-sandbox       no mount namespace, capabilities or seccomp (debugging)\n"
      "  -h, --help                  show this help\n"
      "  -v, --version               show the version\n";

enum
{
  OPT_ALLOW_LOOPBACK = 0x100,
  OPT_PID_WATCH,
  OPT_NETNS,
  OPT_USERNS,
  OPT_TAP,
  OPT_RESOLV,
  OPT_NO_RMEM,
  OPT_NO_SANDBOX,
};

static const struct option long_opts[] = {
  { "mtu", required_argument, NULL, 'm' },
  { "publish", required_argument, NULL, 'p' },
  { "allow-host-loopback", no_argument, NULL, OPT_ALLOW_LOOPBACK },
  { "api-socket", required_argument, NULL, 'a' },
  { "ready-fd", required_argument, NULL, 'r' },
  { "exit-fd", required_argument, NULL, 'e' },
  { "pid-watch", no_argument, NULL, OPT_PID_WATCH },
  { "netns", required_argument, NULL, OPT_NETNS },
  { "userns", required_argument, NULL, OPT_USERNS },
  { "tap", required_argument, NULL, OPT_TAP },
  { "enable-ipv6", no_argument, NULL, '6' },
  { "resolv-conf", required_argument, NULL, OPT_RESOLV },
  { "no-tcp-rmem-fix", no_argument, NULL, OPT_NO_RMEM },
  { "disable-sandbox", no_argument, NULL, OPT_NO_SANDBOX },
  { "help", no_argument, NULL, 'h' },
  { "version", no_argument, NULL, 'v' },
  { NULL, 0, NULL, 0 },
};

static int
parse_port (const char *s, size_t len, const char *spec, uint16_t *out, rt_error *err)
{
  char buf[8];
  uint64_t v;

  if (len == 0 || len >= sizeof buf)
    return rt_failx (err, EINVAL, "publish `%s`: invalid port `%.*s`", spec, (int) len, s);
  memcpy (buf, s, len);
  buf[len] = '\0';
  if (parse_u64 (buf, &v) < 0 || v == 0 || v > 65535)
    return rt_failx (err, EINVAL, "publish `%s`: port `%s` is not in 1-65535", spec, buf);
  *out = (uint16_t) v;
  return 0;
}

int
sh_parse_publish (const char *spec, struct sh_publish *out, rt_error *err)
{
  char ip[INET6_ADDRSTRLEN];
  const char *rest = spec, *slash, *colon, *end;
  uint16_t hport, cport;
  int ret;

  memset (out, 0, sizeof *out);
  out->proto = IPPROTO_TCP;
  end = spec + strlen (spec);
  slash = strchr (spec, '/');
  if (slash)
    {
      if (strcmp (slash, "/tcp") == 0)
        out->proto = IPPROTO_TCP;
      else if (strcmp (slash, "/udp") == 0)
        out->proto = IPPROTO_UDP;
      else
        return rt_failx (err, EINVAL, "publish `%s`: protocol must be tcp or udp", spec);
      end = slash;
    }

  ip[0] = '\0';
  if (*rest == '[')
    {
      const char *close = memchr (rest, ']', end - rest);
      if (close == NULL || close[1] != ':' || (size_t) (close - rest - 1) >= sizeof ip)
        return rt_failx (err, EINVAL, "publish `%s`: expected [IPV6]:HOSTPORT:CONTAINERPORT", spec);
      memcpy (ip, rest + 1, close - rest - 1);
      ip[close - rest - 1] = '\0';
      rest = close + 2;
    }
  else
    {
      const char *first = memchr (rest, ':', end - rest);
      const char *second = first ? memchr (first + 1, ':', end - first - 1) : NULL;
      if (second && memchr (second + 1, ':', end - second - 1))
        return rt_failx (err, EINVAL, "publish `%s`: an IPv6 host address must be written in brackets", spec);
      if (second)
        {
          if ((size_t) (first - rest) >= sizeof ip)
            return rt_failx (err, EINVAL, "publish `%s`: invalid host address", spec);
          memcpy (ip, rest, first - rest);
          ip[first - rest] = '\0';
          rest = first + 1;
        }
    }

  colon = memchr (rest, ':', end - rest);
  if (colon == NULL)
    return rt_failx (err, EINVAL, "publish `%s`: expected [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]", spec);
  ret = parse_port (rest, colon - rest, spec, &hport, err);
  if (ret < 0)
    return ret;
  ret = parse_port (colon + 1, end - colon - 1, spec, &cport, err);
  if (ret < 0)
    return ret;
  out->guest_port = cport;

  if (ip[0] == '\0' || strchr (ip, ':') == NULL)
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &out->host;
      sin->sin_family = AF_INET;
      sin->sin_port = htons (hport);
      if (ip[0] != '\0' && inet_pton (AF_INET, ip, &sin->sin_addr) != 1)
        return rt_failx (err, EINVAL, "publish `%s`: `%s` is not an IPv4 address", spec, ip);
      out->host_len = sizeof *sin;
    }
  else
    {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &out->host;
      sin6->sin6_family = AF_INET6;
      sin6->sin6_port = htons (hport);
      if (inet_pton (AF_INET6, ip, &sin6->sin6_addr) != 1)
        return rt_failx (err, EINVAL, "publish `%s`: `%s` is not an IPv6 address", spec, ip);
      out->host_len = sizeof *sin6;
    }
  return 0;
}

int
sh_parse_fd (const char *opt, const char *s, int *out, rt_error *err)
{
  uint64_t v;

  if (parse_u64 (s, &v) < 0 || v > INT_MAX)
    return rt_failx (err, EINVAL, "%s: `%s` is not a file descriptor number", opt, s);
  if (fcntl ((int) v, F_GETFD) < 0)
    return rt_fail (err, errno, "%s: fd %d", opt, (int) v);
  *out = (int) v;
  return 0;
}

static int
parse_mtu (const char *s, unsigned *out, rt_error *err)
{
  uint64_t v;

  if (parse_u64 (s, &v) < 0 || v < SH_MTU_MIN || v > SH_MTU_MAX)
    return rt_failx (err, EINVAL, "--mtu: `%s` is not in %d-%d", s, SH_MTU_MIN, SH_MTU_MAX);
  *out = (unsigned) v;
  return 0;
}

static int
parse_pid (const char *s, pid_t *out, rt_error *err)
{
  uint64_t v;

  if (parse_u64 (s, &v) < 0 || v == 0 || v > INT_MAX)
    return rt_failx (err, EINVAL, "`%s` is not a process id", s);
  *out = (pid_t) v;
  return 0;
}

static int
check_combination (const struct sh_options *o, rt_error *err)
{
  if (o->pid == 0 && o->netns_path == NULL)
    return rt_failx (err, EINVAL, "missing PID or --netns PATH (see --help)");
  if (o->pid != 0 && o->netns_path != NULL)
    return rt_failx (err, EINVAL, "give either PID or --netns PATH, not both");
  if (o->userns_path && o->netns_path == NULL)
    return rt_failx (err, EINVAL, "--userns needs --netns (with PID the user namespace is the target's)");
  if (o->pid_watch && o->pid == 0)
    return rt_failx (err, EINVAL, "--pid-watch needs a PID target");
  /* Without the sandbox libslirp reads the host's /etc/resolv.conf
     itself (the path is compiled into it); another file can only be
     shown to it as /etc/resolv.conf of a private mount namespace.  */
  if (o->resolv_conf && o->disable_sandbox)
    return rt_failx (err, EINVAL, "--resolv-conf cannot be used with --disable-sandbox: libslirp only reads "
                                  "/etc/resolv.conf, and only the sandbox can show it another file there");
  for (size_t i = 0; i < o->n_publish; i++)
    if (o->publish[i].host.ss_family == AF_INET6 && !o->ipv6)
      return rt_failx (err, EINVAL, "--publish on an IPv6 address forwards to the container's IPv6 address "
                                    "%s: it needs -6", SH_GUEST6);
  if (strlen (o->tap_name) >= 16 || o->tap_name[0] == '\0' || strchr (o->tap_name, '/'))
    return rt_failx (err, EINVAL, "--tap: `%s` is not a valid interface name", o->tap_name);
  return 0;
}

int
sh_parse_options (int argc, char **argv, struct sh_options *o, rt_error *err)
{
  int c, ret = 0;

  memset (o, 0, sizeof *o);
  o->action = SH_RUN;
  o->tap_name = SH_TAP_DEFAULT;
  o->mtu = SH_MTU_DEFAULT;
  o->tcp_rmem_fix = true;
  o->ready_fd = -1;
  o->exit_fd = -1;

  optind = 0; /* glibc: full re-initialisation, so the parser can run twice */
  opterr = 0;
  while ((c = getopt_long (argc, argv, ":m:p:a:r:e:6hv", long_opts, NULL)) != -1)
    {
      switch (c)
        {
        case 'm':
          ret = parse_mtu (optarg, &o->mtu, err);
          break;
        case 'p':
          o->publish = xrealloc (o->publish, (o->n_publish + 1) * sizeof *o->publish);
          ret = sh_parse_publish (optarg, &o->publish[o->n_publish], err);
          if (ret >= 0)
            o->n_publish++;
          break;
        case OPT_ALLOW_LOOPBACK:
          o->allow_host_loopback = true;
          break;
        case 'a':
          o->api_socket = optarg;
          break;
        case 'r':
          ret = sh_parse_fd ("--ready-fd", optarg, &o->ready_fd, err);
          break;
        case 'e':
          ret = sh_parse_fd ("--exit-fd", optarg, &o->exit_fd, err);
          break;
        case OPT_PID_WATCH:
          o->pid_watch = true;
          break;
        case OPT_NETNS:
          o->netns_path = optarg;
          break;
        case OPT_USERNS:
          o->userns_path = optarg;
          break;
        case OPT_TAP:
          o->tap_name = optarg;
          break;
        case '6':
          o->ipv6 = true;
          break;
        case OPT_RESOLV:
          o->resolv_conf = optarg;
          break;
        case OPT_NO_RMEM:
          o->tcp_rmem_fix = false;
          break;
        case OPT_NO_SANDBOX:
          o->disable_sandbox = true;
          break;
        case 'h':
          o->action = SH_HELP;
          return 0;
        case 'v':
          o->action = SH_VERSION;
          return 0;
        case ':':
          return rt_failx (err, EINVAL, "option `%s` needs an argument", argv[optind - 1]);
        default:
          return rt_failx (err, EINVAL, "unknown option `%s` (see --help)", argv[optind - 1]);
        }
      if (ret < 0)
        return ret;
    }

  if (optind < argc)
    {
      if (optind + 1 < argc)
        return rt_failx (err, EINVAL, "unexpected argument `%s`", argv[optind + 1]);
      ret = parse_pid (argv[optind], &o->pid, err);
      if (ret < 0)
        return ret;
    }
  return check_combination (o, err);
}

void
sh_options_free (struct sh_options *o)
{
  free (o->publish);
  o->publish = NULL;
  o->n_publish = 0;
}
