/* The runc.network annotations (see netannot.h).  */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netannot.h"
#include "util.h"

#define PORTS_SYNTAX "[HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]"

static int
bad_port (const char *entry, const char *what, const char *text, size_t len, rt_error *err)
{
  return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_PORTS ": `%s`: %s `%.*s` is not a number in 1-65535",
                   entry, what, (int) len, text);
}

static int
parse_port (const char *entry, const char *what, const char *text, size_t len, uint16_t *out, rt_error *err)
{
  char buf[8];
  uint64_t v;

  if (len == 0 || len >= sizeof buf)
    return bad_port (entry, what, text, len, err);
  memcpy (buf, text, len);
  buf[len] = '\0';
  if (parse_u64 (buf, &v) < 0 || v == 0 || v > 65535)
    return bad_port (entry, what, text, len, err);
  *out = (uint16_t) v;
  return 0;
}

/* One entry, without surrounding blanks.  */
static int
parse_entry (const char *entry, net_port *p, rt_error *err)
{
  const char *end = entry + strlen (entry), *slash, *c1, *c2, *ports;

  memset (p, 0, sizeof *p);
  slash = strchr (entry, '/');
  if (slash)
    {
      if (strcmp (slash, "/udp") == 0)
        p->udp = true;
      else if (strcmp (slash, "/tcp") != 0)
        return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_PORTS ": `%s`: the protocol must be tcp or udp",
                         entry);
      end = slash;
    }
  /* The container network is IPv4 only (the helper runs without -6), and
     an IPv6 listener could only forward to an IPv6 guest address.  */
  if (entry[0] == '[')
    return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_PORTS ": `%s`: IPv6 host addresses are not supported",
                     entry);
  c1 = memchr (entry, ':', end - entry);
  c2 = c1 ? memchr (c1 + 1, ':', end - c1 - 1) : NULL;
  if (c1 == NULL || (c2 && memchr (c2 + 1, ':', end - c2 - 1)))
    return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_PORTS ": `%s`: expected " PORTS_SYNTAX, entry);
  ports = entry;
  if (c2)
    {
      size_t len = c1 - entry;
      struct in_addr a;

      if (len == 0 || len >= sizeof p->host_ip)
        return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_PORTS ": `%s`: `%.*s` is not an IPv4 address",
                         entry, (int) len, entry);
      memcpy (p->host_ip, entry, len);
      p->host_ip[len] = '\0';
      if (inet_pton (AF_INET, p->host_ip, &a) != 1)
        return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_PORTS ": `%s`: `%s` is not an IPv4 address", entry,
                         p->host_ip);
      /* One spelling per address, so duplicates compare as strings.  */
      inet_ntop (AF_INET, &a, p->host_ip, sizeof p->host_ip);
      if (strcmp (p->host_ip, "0.0.0.0") == 0)
        p->host_ip[0] = '\0';
      ports = c1 + 1;
      c1 = c2;
    }
  if (parse_port (entry, "host port", ports, c1 - ports, &p->host_port, err) < 0)
    return rt_error_ret (err);
  return parse_port (entry, "container port", c1 + 1, end - c1 - 1, &p->container_port, err);
}

/* Two forwards of one host port and protocol cannot both listen when
 * their addresses overlap (either one is every address).  */
static bool
ports_clash (const net_port *a, const net_port *b)
{
  return a->udp == b->udp && a->host_port == b->host_port
         && (a->host_ip[0] == '\0' || b->host_ip[0] == '\0' || strcmp (a->host_ip, b->host_ip) == 0);
}

static int
parse_ports (const char *value, net_config *c, rt_error *err)
{
  _cleanup_free_ char *copy = xstrdup (value);
  char *rest = copy, *item;
  bool blank = strspn (value, " \t") == strlen (value);

  if (blank)
    return 0;
  while ((item = strsep (&rest, ",")) != NULL)
    {
      char *end;
      net_port p;

      item += strspn (item, " \t");
      end = item + strlen (item);
      while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
      if (*item == '\0')
        return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_PORTS ": `%s`: empty entry (entries are "
                                      "separated by single commas)", value);
      if (parse_entry (item, &p, err) < 0)
        return rt_error_ret (err);
      for (size_t i = 0; i < c->n_ports; i++)
        if (ports_clash (&c->ports[i], &p))
          {
            _cleanup_free_ char *prev = net_port_format (&c->ports[i]);
            return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_PORTS ": `%s` and `%s` both listen on host "
                             "port %u/%s", prev, item, p.host_port, p.udp ? "udp" : "tcp");
          }
      c->ports = xrealloc (c->ports, (c->n_ports + 1) * sizeof *c->ports);
      c->ports[c->n_ports++] = p;
    }
  return 0;
}

static int
parse_bool (const char *key, const char *value, bool *out, rt_error *err)
{
  if (strcmp (value, "true") == 0)
    *out = true;
  else if (strcmp (value, "false") == 0)
    *out = false;
  else
    return rt_failx (err, EINVAL, "annotation %s: `%s` is not true or false", key, value);
  return 0;
}

static int
parse_mtu (const char *value, unsigned *out, rt_error *err)
{
  uint64_t v;

  if (parse_u64 (value, &v) < 0 || v < NET_MTU_MIN || v > NET_MTU_MAX)
    return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION_MTU ": `%s` is not a number in %d-%d", value,
                     NET_MTU_MIN, NET_MTU_MAX);
  *out = (unsigned) v;
  return 0;
}

static int
parse_mode (const char *value, enum net_mode *out, rt_error *err)
{
  if (strcmp (value, "slirp") == 0)
    *out = NET_MODE_SLIRP;
  else if (value[0] == '\0')
    *out = NET_MODE_NONE;
  else
    return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION ": `%s` is not a network this runtime provides "
                                  "(supported: slirp)", value);
  return 0;
}

/* The helper configures a namespace the container owns; the host's, or
 * one joined by path, belongs to someone else.  */
static int
check_netns (const spec *s, rt_error *err)
{
  const spec_namespace *ns = spec_find_namespace (s, SPEC_NS_NETWORK);

  if (ns == NULL)
    return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION "=slirp needs a new network namespace: add "
                                  "{\"type\": \"network\"} to linux.namespaces");
  if (ns->path && ns->path[0])
    return rt_failx (err, EINVAL, "annotation " NET_ANNOTATION "=slirp needs a new network namespace, not one "
                                  "joined by path (`%s`)", ns->path);
  return 0;
}

int
net_config_parse (const spec *s, net_config *out, rt_error *err)
{
  const char *needs_mode = NULL;
  int ret = 0;

  memset (out, 0, sizeof *out);
  for (size_t i = 0; i < s->n_annotations && ret == 0; i++)
    {
      const char *k = s->annotations[i].key, *v = s->annotations[i].value ? s->annotations[i].value : "";

      if (strcmp (k, NET_ANNOTATION) == 0)
        {
          ret = parse_mode (v, &out->mode, err);
          continue;
        }
      if (!str_has_prefix (k, NET_ANNOTATION "."))
        continue;
      needs_mode = needs_mode ? needs_mode : k;
      if (strcmp (k, NET_ANNOTATION_PORTS) == 0)
        ret = parse_ports (v, out, err);
      else if (strcmp (k, NET_ANNOTATION_LOOPBACK) == 0)
        ret = parse_bool (k, v, &out->host_loopback, err);
      else if (strcmp (k, NET_ANNOTATION_MTU) == 0)
        ret = parse_mtu (v, &out->mtu, err);
      else
        ret = rt_failx (err, EINVAL, "annotation %s is unknown (known: " NET_ANNOTATION_PORTS ", "
                        NET_ANNOTATION_LOOPBACK ", " NET_ANNOTATION_MTU ")", k);
    }
  if (ret == 0 && needs_mode && out->mode != NET_MODE_SLIRP)
    ret = rt_failx (err, EINVAL, "annotation %s needs " NET_ANNOTATION "=slirp", needs_mode);
  if (ret == 0 && out->mode == NET_MODE_SLIRP)
    ret = check_netns (s, err);
  if (ret < 0)
    net_config_free (out);
  return ret;
}

void
net_config_free (net_config *c)
{
  free (c->ports);
  memset (c, 0, sizeof *c);
}

char *
net_port_format (const net_port *p)
{
  char *out;

  xasprintf (&out, "%s%s%u:%u/%s", p->host_ip, p->host_ip[0] ? ":" : "", p->host_port, p->container_port,
             p->udp ? "udp" : "tcp");
  return out;
}

char **
net_helper_argv (const net_config *c, const net_helper_args *a)
{
  char **v = xzalloc ((16 + 2 * c->n_ports) * sizeof *v);
  size_t n = 0;

  v[n++] = xstrdup ("runc-slirp");
  v[n++] = xstrdup ("--ready-fd");
  xasprintf (&v[n++], "%d", a->ready_fd);
  v[n++] = xstrdup ("--exit-fd");
  xasprintf (&v[n++], "%d", a->exit_fd);
  v[n++] = xstrdup ("--api-socket");
  v[n++] = xstrdup (a->api_socket);
  v[n++] = xstrdup ("--netns");
  v[n++] = xstrdup (a->netns);
  if (c->mtu)
    {
      v[n++] = xstrdup ("--mtu");
      xasprintf (&v[n++], "%u", c->mtu);
    }
  if (c->host_loopback)
    v[n++] = xstrdup ("--allow-host-loopback");
  for (size_t i = 0; i < c->n_ports; i++)
    {
      v[n++] = xstrdup ("--publish");
      v[n++] = net_port_format (&c->ports[i]);
    }
  v[n] = NULL;
  return v;
}
