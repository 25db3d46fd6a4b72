/* The runc.network annotations (netannot.c): what is accepted, what the
 * helper is told, and the errors, which must name the annotation.  */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "netannot.h"
#include "tap.h"
#include "util.h"

static spec_kv anns[8];
static spec_namespace nss[2];
static spec_linux lin;
static spec s;

/* A spec with these annotations (key, value, ..., NULL) and a new
 * network namespace; `netns_path` joins one instead, "-" leaves it out.  */
static const spec *
make_spec (const char *netns_path, ...)
{
  va_list ap;
  const char *k;

  memset (&s, 0, sizeof s);
  memset (&lin, 0, sizeof lin);
  memset (nss, 0, sizeof nss);
  memset (anns, 0, sizeof anns);
  nss[0].type = SPEC_NS_MOUNT;
  lin.namespaces = nss;
  lin.n_namespaces = 1;
  if (netns_path == NULL || strcmp (netns_path, "-") != 0)
    {
      nss[1].type = SPEC_NS_NETWORK;
      nss[1].path = (char *) netns_path;
      lin.n_namespaces = 2;
    }
  s.linux_ = &lin;
  s.annotations = anns;
  va_start (ap, netns_path);
  while ((k = va_arg (ap, const char *)) != NULL)
    {
      anns[s.n_annotations].key = (char *) k;
      anns[s.n_annotations].value = va_arg (ap, char *);
      s.n_annotations++;
    }
  va_end (ap);
  return &s;
}

/* Parse `ports` (with runc.network=slirp); the ports formatted back,
 * space-separated, or "ERR: message".  */
static char *
ports_of (const char *ports)
{
  net_config c;
  rt_error err = { 0 };
  char *out = xstrdup ("");

  if (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.ports", ports, NULL), &c, &err) < 0)
    {
      free (out);
      xasprintf (&out, "ERR: %s", err.msg);
      return out;
    }
  for (size_t i = 0; i < c.n_ports; i++)
    {
      _cleanup_free_ char *one = net_port_format (&c.ports[i]);
      char *joined;
      xasprintf (&joined, "%s%s%s", out, i ? " " : "", one);
      free (out);
      out = joined;
    }
  net_config_free (&c);
  return out;
}

struct port_case
{
  const char *in;
  const char *out; /* formatted back, or a part of the error */
};

static const struct port_case port_cases[] = {
  { "8080:80", "8080:80/tcp" },
  { "8080:80/tcp", "8080:80/tcp" },
  { "5353:53/udp", "5353:53/udp" },
  { "127.0.0.1:8080:80", "127.0.0.1:8080:80/tcp" },
  /* Every address is written as no address.  */
  { "0.0.0.0:8080:80", "8080:80/tcp" },
  { " 80:80 ,\t443:443/tcp ", "80:80/tcp 443:443/tcp" },
  { "", "" },
  { "  ", "" },
  { "1:65535", "1:65535/tcp" },
  /* One host port, both protocols; or one port on two addresses.  */
  { "53:53/tcp,53:53/udp", "53:53/tcp 53:53/udp" },
  { "127.0.0.1:80:80,127.0.0.2:80:81", "127.0.0.1:80:80/tcp 127.0.0.2:80:81/tcp" },

  { "80", "ERR: annotation runc.network.ports: `80`: expected [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]" },
  { "http:80", "ERR: annotation runc.network.ports: `http:80`: host port `http` is not a number in 1-65535" },
  { "80:0", "ERR: annotation runc.network.ports: `80:0`: container port `0` is not a number in 1-65535" },
  { "65536:80", "ERR: annotation runc.network.ports: `65536:80`: host port `65536` is not a number in 1-65535" },
  { "80:", "ERR: annotation runc.network.ports: `80:`: container port `` is not a number in 1-65535" },
  { "-1:80", "ERR: annotation runc.network.ports: `-1:80`: host port `-1`" },
  { "80:80/sctp", "ERR: annotation runc.network.ports: `80:80/sctp`: the protocol must be tcp or udp" },
  { "80:80/", "ERR: annotation runc.network.ports: `80:80/`: the protocol must be tcp or udp" },
  { "[::1]:80:80", "ERR: annotation runc.network.ports: `[::1]:80:80`: IPv6 host addresses are not supported" },
  { "1.2.3:80:80", "ERR: annotation runc.network.ports: `1.2.3:80:80`: `1.2.3` is not an IPv4 address" },
  { "localhost:80:80", "ERR: annotation runc.network.ports: `localhost:80:80`: `localhost` is not an IPv4" },
  { ":80:80", "ERR: annotation runc.network.ports: `:80:80`: `` is not an IPv4 address" },
  { "1:2:3:4", "ERR: annotation runc.network.ports: `1:2:3:4`: expected" },
  { "80:80,,81:81", "ERR: annotation runc.network.ports: `80:80,,81:81`: empty entry" },
  { "80:80,", "ERR: annotation runc.network.ports: `80:80,`: empty entry" },
  { "8080:80,8080:81", "ERR: annotation runc.network.ports: `8080:80/tcp` and `8080:81` both listen on host port "
                       "8080/tcp" },
  { "127.0.0.1:8080:80,8080:81", "ERR: annotation runc.network.ports: `127.0.0.1:8080:80/tcp` and `8080:81` both "
                                 "listen on host port 8080/tcp" },
  { "5353:53/udp,127.0.0.1:5353:54/udp", "both listen on host port 5353/udp" },
};

static void
test_ports (void)
{
  for (size_t i = 0; i < ARRAY_SIZE (port_cases); i++)
    {
      const struct port_case *c = &port_cases[i];
      _cleanup_free_ char *got = ports_of (c->in);

      if (str_has_prefix (c->out, "ERR: ") || strstr (c->out, "both listen"))
        like (got, c->out, "ports `%s` refused", c->in);
      else
        is_str (got, c->out, "ports `%s`", c->in);
    }
}

static void
test_modes (void)
{
  net_config c;
  rt_error err = { 0 };

  is_int (net_config_parse (make_spec (NULL, NULL), &c, &err), 0, "no annotation");
  is_int (c.mode, NET_MODE_NONE, "... no network from the runtime");

  is_int (net_config_parse (make_spec ("-", "runc.network", "", NULL), &c, &err), 0, "runc.network empty");
  is_int (c.mode, NET_MODE_NONE, "... means none, even without a network namespace");

  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", NULL), &c, &err), 0, "runc.network=slirp");
  is_int (c.mode, NET_MODE_SLIRP, "... is slirp");
  ok (!c.host_loopback && c.mtu == 0 && c.n_ports == 0, "... with the defaults: no loopback, helper's MTU, no ports");
  net_config_free (&c);

  is_int (net_config_parse (make_spec (NULL, "runc.network", "pasta", NULL), &c, &err), -EINVAL,
          "runc.network=pasta");
  is_str (err.msg, "annotation runc.network: `pasta` is not a network this runtime provides (supported: slirp)",
          "... is refused, naming the annotation");
  ok (c.mode == NET_MODE_NONE && c.ports == NULL, "... and leaves nothing behind");

  is_int (net_config_parse (make_spec ("-", "runc.network", "slirp", NULL), &c, &err), -EINVAL,
          "slirp without a network namespace");
  like (err.msg, "runc.network=slirp needs a new network namespace", "... is refused");

  is_int (net_config_parse (make_spec ("/run/netns/x", "runc.network", "slirp", NULL), &c, &err), -EINVAL,
          "slirp with a network namespace joined by path");
  like (err.msg, "not one joined by path (`/run/netns/x`)", "... is refused, naming the path");

  is_int (net_config_parse (make_spec (NULL, "runc.network.ports", "80:80", NULL), &c, &err), -EINVAL,
          "ports without runc.network");
  is_str (err.msg, "annotation runc.network.ports needs runc.network=slirp", "... is refused, not ignored");

  is_int (net_config_parse (make_spec (NULL, "runc.network", "", "runc.network.mtu", "1500", NULL), &c, &err), -EINVAL,
          "an MTU with runc.network empty");
  is_str (err.msg, "annotation runc.network.mtu needs runc.network=slirp", "... is refused too");

  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.port", "80:80", NULL), &c, &err),
          -EINVAL, "a misspelt key");
  like (err.msg, "annotation runc.network.port is unknown (known: runc.network.ports,", "... is refused, naming it");

  is_int (net_config_parse (make_spec (NULL, "runc.networkx", "1", "org.example", "y", NULL), &c, &err), 0,
          "other annotations are not ours");
  is_int (c.mode, NET_MODE_NONE, "... and change nothing");
}

static void
test_values (void)
{
  net_config c;
  rt_error err = { 0 };

  is_int (net_config_parse (make_spec (NULL, "runc.network.host-loopback", "true", "runc.network", "slirp",
                                       "runc.network.mtu", "1500", NULL),
                            &c, &err),
          0, "host-loopback=true and mtu=1500, in any order");
  ok (c.host_loopback && c.mtu == 1500, "... are taken");
  net_config_free (&c);

  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.host-loopback", "false", NULL),
                            &c, &err),
          0, "host-loopback=false");
  ok (!c.host_loopback, "... is off");
  net_config_free (&c);

  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.host-loopback", "yes", NULL),
                            &c, &err),
          -EINVAL, "host-loopback=yes");
  is_str (err.msg, "annotation runc.network.host-loopback: `yes` is not true or false", "... is refused");

  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.mtu", "576", NULL), &c, &err), 0,
          "mtu=576, the smallest");
  net_config_free (&c);
  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.mtu", "65521", NULL), &c, &err),
          0, "mtu=65521, the largest");
  net_config_free (&c);
  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.mtu", "575", NULL), &c, &err),
          -EINVAL, "mtu=575");
  is_str (err.msg, "annotation runc.network.mtu: `575` is not a number in 576-65521", "... is refused");
  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.mtu", "65522", NULL), &c, &err),
          -EINVAL, "mtu=65522 is refused");
  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.mtu", "1500 ", NULL), &c, &err),
          -EINVAL, "mtu with trailing garbage is refused");
  is_int (net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.mtu", "", NULL), &c, &err),
          -EINVAL, "an empty mtu is refused");
}

static void
test_argv (void)
{
  net_helper_args a = { .ready_fd = 3, .exit_fd = 4, .api_socket = "/run/x/slirp.sock", .netns = "/proc/9/fd/7" };
  net_config c;
  rt_error err = { 0 };
  char **v;

  net_config_parse (make_spec (NULL, "runc.network", "slirp", NULL), &c, &err);
  v = net_helper_argv (&c, &a);
  {
    const char *want[] = { "runc-slirp", "--ready-fd", "3", "--exit-fd", "4", "--api-socket", "/run/x/slirp.sock",
                           "--netns", "/proc/9/fd/7", NULL };
    size_t i;
    for (i = 0; want[i] && v[i] && strcmp (want[i], v[i]) == 0; i++)
      ;
    ok (want[i] == NULL && v[i] == NULL, "defaults: only the fds, the API socket and the namespace (arg %zu)", i);
  }
  strv_free (v);
  net_config_free (&c);

  net_config_parse (make_spec (NULL, "runc.network", "slirp", "runc.network.mtu", "9000", "runc.network.host-loopback",
                               "true", "runc.network.ports", "127.0.0.1:8080:80,53:53/udp", NULL),
                    &c, &err);
  v = net_helper_argv (&c, &a);
  {
    const char *want[] = { "runc-slirp", "--ready-fd", "3", "--exit-fd", "4", "--api-socket", "/run/x/slirp.sock",
                           "--netns", "/proc/9/fd/7", "--mtu", "9000", "--allow-host-loopback", "--publish",
                           "127.0.0.1:8080:80/tcp", "--publish", "53:53/udp", NULL };
    size_t i;
    for (i = 0; want[i] && v[i] && strcmp (want[i], v[i]) == 0; i++)
      ;
    ok (want[i] == NULL && v[i] == NULL, "every option reaches the helper in its syntax (arg %zu: %s)", i,
        v[i] ? v[i] : "(end)");
  }
  strv_free (v);
  net_config_free (&c);
}

int
main (void)
{
  test_modes ();
  test_values ();
  test_ports ();
  test_argv ();
  return tap_done ();
}
