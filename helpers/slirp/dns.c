/* DNS at 10.0.2.3: which upstream libslirp talks to, and what the
 * container may send to that address.
 *
 * libslirp forwards DNS to the first nameserver of /etc/resolv.conf, and
 * does so before, and regardless of, its host-loopback check: a host
 * whose resolver is 127.0.0.53 (systemd-resolved) or 127.0.0.1 (dnsmasq)
 * keeps working DNS with host-loopback access disabled.  That is wanted,
 * but only for DNS: see dns_frame_allowed() in slirp_helper.h.  */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "slirp_helper.h"
#include "util.h"

/* The resolver library only ever uses three (MAXNS).  */
#define MAX_NAMESERVERS 3

static bool
valid_nameserver (const char *tok, size_t len)
{
  char addr[INET6_ADDRSTRLEN + 1];
  unsigned char bin[sizeof (struct in6_addr)];
  const char *pct = memchr (tok, '%', len);
  size_t alen = pct ? (size_t) (pct - tok) : len;

  if (alen == 0 || alen >= sizeof addr)
    return false;
  memcpy (addr, tok, alen);
  addr[alen] = '\0';
  if (inet_pton (AF_INET, addr, bin) == 1)
    return pct == NULL; /* a scope only means something for IPv6 */
  if (inet_pton (AF_INET6, addr, bin) != 1)
    return false;
  /* The scope is an interface name: keep it to characters one can be made of.  */
  for (size_t i = alen + 1; pct && i < len; i++)
    if (!isalnum ((unsigned char) tok[i]) && strchr ("-_.@", tok[i]) == NULL)
      return false;
  return true;
}

char *
dns_nameservers (const char *text, unsigned *count)
{
  size_t cap = 1, used = 0;
  char *out = xzalloc (cap);
  const char *line = text;

  *count = 0;
  while (line && *line && *count < MAX_NAMESERVERS)
    {
      const char *eol = strchr (line, '\n');
      const char *p = line, *end = eol ? eol : line + strlen (line);
      const char *tok;
      size_t len;

      line = eol ? eol + 1 : NULL;
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if ((size_t) (end - p) < 11 || strncmp (p, "nameserver", 10) != 0 || (p[10] != ' ' && p[10] != '\t'))
        continue;
      p += 10;
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      tok = p;
      while (p < end && !isspace ((unsigned char) *p))
        p++;
      len = p - tok;
      if (!valid_nameserver (tok, len))
        continue;
      cap = used + len + sizeof "nameserver \n";
      out = xrealloc (out, cap);
      used += sprintf (out + used, "nameserver %.*s\n", (int) len, tok);
      (*count)++;
    }
  return out;
}

#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86dd

static bool
port_is_dns (const uint8_t *l4, const uint8_t *frame_end)
{
  if (l4 + 4 > frame_end)
    return false;
  return l4[2] == 0 && l4[3] == 53;
}

static bool
allowed_l4 (uint8_t proto, uint8_t icmp_proto, const uint8_t *l4, const uint8_t *frame_end)
{
  if (proto == icmp_proto)
    return true;
  if (proto == IPPROTO_TCP || proto == IPPROTO_UDP)
    return port_is_dns (l4, frame_end);
  return false;
}

bool
dns_frame_allowed (const struct sh_dns_filter *f, const uint8_t *frame, size_t len)
{
  const uint8_t *end = frame + len;
  uint16_t type;

  if (len < SH_ETH_HLEN)
    return true; /* libslirp drops runts itself */
  type = (uint16_t) (frame[12] << 8 | frame[13]);
  if (type == ETH_P_IPV4)
    {
      const uint8_t *ip = frame + SH_ETH_HLEN;
      size_t ihl;

      if (len < SH_ETH_HLEN + 20 || memcmp (ip + 16, &f->ns4, 4) != 0)
        return true;
      ihl = (size_t) (ip[0] & 0x0f) * 4;
      if ((ip[0] >> 4) != 4 || ihl < 20 || SH_ETH_HLEN + ihl > len)
        return false;
      /* Only a first fragment carries the ports, and a later one could
         overlap it: DNS queries are far too small to need fragments.  */
      if (((ip[6] << 8 | ip[7]) & 0x3fff) != 0)
        return false;
      return allowed_l4 (ip[9], IPPROTO_ICMP, ip + ihl, end);
    }
  if (type == ETH_P_IPV6 && f->ipv6)
    {
      const uint8_t *ip6 = frame + SH_ETH_HLEN;

      if (len < SH_ETH_HLEN + 40 || memcmp (ip6 + 24, &f->ns6, 16) != 0)
        return true;
      /* Extension headers (fragments included) are refused for the same
         reason as IPv4 fragments.  */
      return allowed_l4 (ip6[6], IPPROTO_ICMPV6, ip6 + 40, end);
    }
  return true;
}
