/* runc-slirp DNS: the upstream list written into the sandbox, and the
 * filter that keeps 10.0.2.3 to DNS.  */
#include "config.h"

#include <arpa/inet.h>

#include "../unit/tap.h"
#include "slirp_helper.h"
#include "util.h"

static void
test_nameservers (void)
{
  unsigned n;
  char *t;

  t = dns_nameservers ("# generated\nsearch example.org\nnameserver 127.0.0.53\noptions edns0\n", &n);
  is_str (t, "nameserver 127.0.0.53\n", "loopback resolver kept (libslirp reaches it from the host)");
  is_int (n, 1, "one nameserver");
  free (t);

  t = dns_nameservers ("nameserver\t192.0.2.1  # comment\n  nameserver fe80::1%eth0\nnameserver 2001:db8::1", &n);
  is_str (t, "nameserver 192.0.2.1\nnameserver fe80::1%eth0\nnameserver 2001:db8::1\n",
          "tabs, indentation, IPv6 with scope, last line without newline");
  is_int (n, 3, "three nameservers");
  free (t);

  t = dns_nameservers ("nameserver 1.1.1.1\nnameserver 1.0.0.1\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n", &n);
  is_int (n, 3, "at most three, as the resolver uses");
  free (t);

  t = dns_nameservers ("nameserver dns.example\nnameserver 10.0.0.1%eth0\nnameservers 1.2.3.4\n"
                       "nameserver fe80::1%$(reboot)\nnameserver\n",
                       &n);
  is_str (t, "", "host names, scoped IPv4, lookalike keywords and odd scopes are dropped");
  is_int (n, 0, "none usable");
  free (t);

  t = dns_nameservers ("", &n);
  is_str (t, "", "empty file");
  free (t);
}

/* An Ethernet frame carrying IPv4 or IPv6 to `dst` with the first four
 * bytes of the transport header set to the ports.  */
static size_t
frame4 (uint8_t *f, const char *dst, uint8_t proto, uint16_t dport, uint16_t frag)
{
  memset (f, 0, 128);
  f[12] = 0x08;
  f[13] = 0x00;
  f[14] = 0x45;
  f[14 + 6] = frag >> 8;
  f[14 + 7] = frag & 0xff;
  f[14 + 9] = proto;
  inet_pton (AF_INET, "10.0.2.100", f + 14 + 12);
  inet_pton (AF_INET, dst, f + 14 + 16);
  f[34 + 2] = dport >> 8;
  f[34 + 3] = dport & 0xff;
  return 14 + 20 + 8;
}

static size_t
frame6 (uint8_t *f, const char *dst, uint8_t next, uint16_t dport)
{
  memset (f, 0, 128);
  f[12] = 0x86;
  f[13] = 0xdd;
  f[14] = 0x60;
  f[14 + 6] = next;
  inet_pton (AF_INET6, dst, f + 14 + 24);
  f[54 + 2] = dport >> 8;
  f[54 + 3] = dport & 0xff;
  return 14 + 40 + 8;
}

static void
test_filter (void)
{
  struct sh_dns_filter f = { .ipv6 = true };
  uint8_t fr[128];
  size_t n;

  inet_pton (AF_INET, SH_DNS4, &f.ns4);
  inet_pton (AF_INET6, SH_DNS6, &f.ns6);

  n = frame4 (fr, SH_DNS4, IPPROTO_UDP, 53, 0);
  ok (dns_frame_allowed (&f, fr, n), "UDP 10.0.2.3:53 passes");
  n = frame4 (fr, SH_DNS4, IPPROTO_TCP, 53, 0);
  ok (dns_frame_allowed (&f, fr, n), "TCP 10.0.2.3:53 passes");
  n = frame4 (fr, SH_DNS4, IPPROTO_ICMP, 0, 0);
  ok (dns_frame_allowed (&f, fr, n), "ping 10.0.2.3 passes");
  n = frame4 (fr, SH_DNS4, IPPROTO_TCP, 8080, 0);
  ok (!dns_frame_allowed (&f, fr, n), "TCP 10.0.2.3:8080 dropped");
  n = frame4 (fr, SH_DNS4, IPPROTO_UDP, 5353, 0);
  ok (!dns_frame_allowed (&f, fr, n), "UDP 10.0.2.3:5353 dropped");
  n = frame4 (fr, SH_DNS4, IPPROTO_UDP, 53 + 256, 0);
  ok (!dns_frame_allowed (&f, fr, n), "port 309 (low byte 53) dropped");
  n = frame4 (fr, SH_DNS4, IPPROTO_SCTP, 53, 0);
  ok (!dns_frame_allowed (&f, fr, n), "other protocols to 10.0.2.3 dropped");
  n = frame4 (fr, SH_DNS4, IPPROTO_UDP, 53, 0x2000);
  ok (!dns_frame_allowed (&f, fr, n), "first fragment (MF) to 10.0.2.3 dropped");
  n = frame4 (fr, SH_DNS4, IPPROTO_UDP, 53, 0x0001);
  ok (!dns_frame_allowed (&f, fr, n), "later fragment to 10.0.2.3 dropped");
  n = frame4 (fr, SH_DNS4, IPPROTO_TCP, 53, 0);
  ok (!dns_frame_allowed (&f, fr, 14 + 20 + 3), "TCP header cut before the port: dropped");
  fr[14] = 0x4f; /* 60-byte header: ports beyond the frame */
  ok (!dns_frame_allowed (&f, fr, n), "IP options pushing the ports past the frame: dropped");
  fr[14] = 0x44; /* header length below 20 */
  ok (!dns_frame_allowed (&f, fr, n), "bogus header length: dropped");

  n = frame4 (fr, SH_GW4, IPPROTO_TCP, 8080, 0);
  ok (dns_frame_allowed (&f, fr, n), "other destinations are libslirp's business (10.0.2.2:8080)");
  n = frame4 (fr, "192.0.2.1", IPPROTO_UDP, 9999, 0x2000);
  ok (dns_frame_allowed (&f, fr, n), "fragments elsewhere pass");
  ok (dns_frame_allowed (&f, fr, 10), "runts are left to libslirp");

  n = frame6 (fr, SH_DNS6, IPPROTO_UDP, 53);
  ok (dns_frame_allowed (&f, fr, n), "UDP [fd00::3]:53 passes");
  n = frame6 (fr, SH_DNS6, IPPROTO_ICMPV6, 0);
  ok (dns_frame_allowed (&f, fr, n), "ICMPv6 to fd00::3 passes");
  n = frame6 (fr, SH_DNS6, IPPROTO_TCP, 22);
  ok (!dns_frame_allowed (&f, fr, n), "TCP [fd00::3]:22 dropped");
  n = frame6 (fr, SH_DNS6, 44 /* fragment header */, 53);
  ok (!dns_frame_allowed (&f, fr, n), "IPv6 extension headers to fd00::3 dropped");
  n = frame6 (fr, "fd00::2", IPPROTO_TCP, 22);
  ok (dns_frame_allowed (&f, fr, n), "other IPv6 destinations pass");
}

int
main (void)
{
  test_nameservers ();
  test_filter ();
  return tap_done ();
}
