/* The three rtnetlink requests the namespace child needs: link up with an
 * MTU, an address, a default route.  No `ip` binary: the container image
 * may not have one and the host's must not run inside its namespaces.  */
#include "config.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "slirp_helper.h"
#include "util.h"

struct nl_req
{
  struct nlmsghdr hdr;
  char body[256];
};

int
nl_open (rt_error *err)
{
  struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
  int fd;

  fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0)
    return rt_fail (err, errno, "open rtnetlink socket");
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    {
      rt_fail (err, errno, "bind rtnetlink socket");
      close (fd);
      return rt_error_ret (err);
    }
  return fd;
}

static void
req_init (struct nl_req *r, uint16_t type, uint16_t flags, const void *fixed, size_t len)
{
  memset (r, 0, sizeof *r);
  r->hdr.nlmsg_type = type;
  r->hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  r->hdr.nlmsg_len = NLMSG_LENGTH (len);
  memcpy (NLMSG_DATA (&r->hdr), fixed, len);
}

static void
req_attr (struct nl_req *r, uint16_t type, const void *data, size_t len)
{
  struct rtattr *rta = (struct rtattr *) ((char *) &r->hdr + NLMSG_ALIGN (r->hdr.nlmsg_len));

  /* The requests are fixed and small: overflowing the buffer is a bug.  */
  if (NLMSG_ALIGN (r->hdr.nlmsg_len) + RTA_SPACE (len) > sizeof *r)
    abort ();
  rta->rta_type = type;
  rta->rta_len = RTA_LENGTH (len);
  memcpy (RTA_DATA (rta), data, len);
  r->hdr.nlmsg_len = NLMSG_ALIGN (r->hdr.nlmsg_len) + RTA_SPACE (len);
}

/* Send one request and wait for its acknowledgement; returns -errno as
 * the kernel reported it.  */
static int
req_do (int nl, struct nl_req *r)
{
  static uint32_t seq;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  char buf[4096];
  ssize_t n;

  r->hdr.nlmsg_seq = ++seq;
  if (sendto (nl, r, r->hdr.nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
    return -errno;
  for (;;)
    {
      struct nlmsghdr *h;

      n = recv (nl, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -errno;
      for (h = (struct nlmsghdr *) buf; NLMSG_OK (h, (size_t) n); h = NLMSG_NEXT (h, n))
        {
          if (h->nlmsg_seq != r->hdr.nlmsg_seq)
            continue;
          if (h->nlmsg_type == NLMSG_ERROR)
            {
              const struct nlmsgerr *e = NLMSG_DATA (h);
              return e->error; /* 0 is the acknowledgement */
            }
        }
    }
}

int
nl_link_up (int nl, int ifindex, unsigned mtu, rt_error *err)
{
  struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
  struct nl_req r;
  uint32_t m = mtu;
  int ret;

  req_init (&r, RTM_NEWLINK, 0, &ifi, sizeof ifi);
  if (mtu)
    req_attr (&r, IFLA_MTU, &m, sizeof m);
  ret = req_do (nl, &r);
  if (ret < 0)
    return rt_fail (err, -ret, "set link %d up%s", ifindex, mtu ? " with its MTU" : "");
  return 0;
}

int
nl_addr_add (int nl, int ifindex, int family, const void *addr, unsigned prefixlen, rt_error *err)
{
  struct ifaddrmsg ifa = { .ifa_family = family, .ifa_prefixlen = prefixlen, .ifa_index = ifindex };
  size_t alen = family == AF_INET ? 4 : 16;
  char text[INET6_ADDRSTRLEN];
  struct nl_req r;
  int ret;

  req_init (&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof ifa);
  req_attr (&r, IFA_LOCAL, addr, alen);
  req_attr (&r, IFA_ADDRESS, addr, alen);
  if (family == AF_INET)
    {
      struct in_addr bcast = *(const struct in_addr *) addr;
      bcast.s_addr |= htonl (prefixlen >= 32 ? 0 : 0xffffffffu >> prefixlen);
      req_attr (&r, IFA_BROADCAST, &bcast, sizeof bcast);
    }
  else
    {
      /* The address is static and the link private: duplicate address
         detection would only keep it "tentative" for a second or two, and
         the container may start talking before that.  */
      uint32_t flags = IFA_F_NODAD;
      req_attr (&r, IFA_FLAGS, &flags, sizeof flags);
    }
  ret = req_do (nl, &r);
  if (ret < 0)
    return rt_fail (err, -ret, "add address %s/%u", inet_ntop (family, addr, text, sizeof text), prefixlen);
  return 0;
}

int
nl_route_default (int nl, int ifindex, int family, const void *gateway, rt_error *err)
{
  struct rtmsg rtm = {
    .rtm_family = family,
    .rtm_table = RT_TABLE_MAIN,
    .rtm_protocol = RTPROT_BOOT,
    .rtm_scope = RT_SCOPE_UNIVERSE,
    .rtm_type = RTN_UNICAST,
  };
  uint32_t oif = ifindex;
  char text[INET6_ADDRSTRLEN];
  struct nl_req r;
  int ret;

  req_init (&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rtm, sizeof rtm);
  req_attr (&r, RTA_GATEWAY, gateway, family == AF_INET ? 4 : 16);
  req_attr (&r, RTA_OIF, &oif, sizeof oif);
  ret = req_do (nl, &r);
  if (ret < 0)
    return rt_fail (err, -ret, "add default route via %s", inet_ntop (family, gateway, text, sizeof text));
  return 0;
}
