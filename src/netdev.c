/* linux.netDevices over rtnetlink (see netdev.h).  */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netdev.h"
#include "util.h"

bool
netdev_name_valid (const char *name)
{
  size_t n = name ? strlen (name) : 0;

  if (n == 0 || n >= IFNAMSIZ || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (name[i] == '/' || name[i] == ':' || name[i] == ' ' || (name[i] >= '\t' && name[i] <= '\r'))
      return false;
  return true;
}

int
netdev_validate (const spec *s, bool host_root, rt_error *err)
{
  const spec_linux *l = s->linux_;
  const spec_namespace *net;

  if (l == NULL || l->n_net_devices == 0)
    return 0;
  net = spec_find_namespace (s, SPEC_NS_NETWORK);
  if (net == NULL)
    return rt_failx (err, EINVAL, "linux.netDevices: unable to move network devices without a NET namespace");
  if (!host_root)
    return rt_failx (err, EPERM,
                     "linux.netDevices: network devices are not supported for rootless containers (moving an "
                     "interface needs CAP_NET_ADMIN in the host's network namespace)");
  for (size_t i = 0; i < l->n_net_devices; i++)
    {
      const spec_net_device *d = &l->net_devices[i];
      if (!netdev_name_valid (d->host_name))
        return rt_failx (err, EINVAL, "linux.netDevices[\"%s\"]: invalid network device name", d->host_name);
      if (d->name && d->name[0] && !netdev_name_valid (d->name))
        return rt_failx (err, EINVAL, "linux.netDevices[\"%s\"].name: invalid network device name \"%s\"",
                         d->host_name, d->name);
    }
  return 0;
}

/* ---- a minimal rtnetlink client -------------------------------------------------------- */

typedef struct nl_req
{
  union
  {
    struct nlmsghdr h;
    char buf[512];
  } u;
} nl_req;

static void
nl_init (nl_req *r, uint16_t type, uint16_t flags, const void *body, size_t len)
{
  memset (r, 0, sizeof *r);
  r->u.h.nlmsg_len = NLMSG_LENGTH (len);
  r->u.h.nlmsg_type = type;
  r->u.h.nlmsg_flags = NLM_F_REQUEST | flags;
  memcpy (NLMSG_DATA (&r->u.h), body, len);
}

static void
nl_attr (nl_req *r, uint16_t type, const void *data, size_t len)
{
  struct rtattr *a = (struct rtattr *) ((char *) &r->u.h + NLMSG_ALIGN (r->u.h.nlmsg_len));

  a->rta_type = type;
  a->rta_len = RTA_LENGTH (len);
  memcpy (RTA_DATA (a), data, len);
  r->u.h.nlmsg_len = NLMSG_ALIGN (r->u.h.nlmsg_len) + RTA_ALIGN (a->rta_len);
}

static int
nl_open (rt_error *err)
{
  int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0)
    return rt_fail (err, errno, "rtnetlink socket");
  return fd;
}

/* Read the answers to request `seq` until the kernel ends them: an
   NLMSG_ERROR (an acknowledgement when its error is 0) or the NLMSG_DONE
   of a dump.  Other messages go to `each`.  Returns 0 or -errno.  */
static int
nl_answers (int fd, uint32_t seq, void (*each) (struct nlmsghdr *h, void *data), void *data)
{
  union
  {
    struct nlmsghdr h;
    char buf[16384];
  } ans;

  for (;;)
    {
      ssize_t n = recv (fd, ans.buf, sizeof ans.buf, 0);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -errno;
        }
      for (struct nlmsghdr *h = &ans.h; NLMSG_OK (h, (size_t) n); h = NLMSG_NEXT (h, n))
        {
          if (h->nlmsg_seq != seq)
            continue;
          if (h->nlmsg_type == NLMSG_ERROR)
            return ((struct nlmsgerr *) NLMSG_DATA (h))->error;
          if (h->nlmsg_type == NLMSG_DONE)
            return 0;
          if (each)
            each (h, data);
        }
    }
}

static int
nl_send (int fd, nl_req *r)
{
  static uint32_t seq;

  r->u.h.nlmsg_seq = ++seq;
  if (send (fd, &r->u.h, r->u.h.nlmsg_len, 0) < 0)
    return -errno;
  return 0;
}

/* Send a request and wait for its acknowledgement.  Returns 0 or the
   kernel's -errno (err is left to the caller, who knows what was asked).  */
static int
nl_talk (int fd, nl_req *r)
{
  int ret;

  r->u.h.nlmsg_flags |= NLM_F_ACK;
  if ((ret = nl_send (fd, r)) < 0)
    return ret;
  return nl_answers (fd, r->u.h.nlmsg_seq, NULL, NULL);
}

static int
link_set_up (int fd, int index, bool up)
{
  struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index, .ifi_change = IFF_UP,
                           .ifi_flags = up ? IFF_UP : 0 };
  nl_req r;

  nl_init (&r, RTM_NEWLINK, 0, &ifi, sizeof ifi);
  return nl_talk (fd, &r);
}

typedef struct saved_addr
{
  unsigned char family;
  unsigned char prefixlen;
  unsigned char addr[16];
} saved_addr;

typedef struct addr_list
{
  int index;
  saved_addr *v;
  size_t n;
} addr_list;

/* The permanent addresses of global scope: those a user configured, which
   mean the same anywhere (runc's choice, from RFC 3549 2.3.3.2).  */
static void
keep_address (struct nlmsghdr *h, void *data)
{
  addr_list *l = data;
  struct ifaddrmsg *m = NLMSG_DATA (h);
  uint32_t flags = m->ifa_flags;
  const void *addr = NULL;
  int len = (int) IFA_PAYLOAD (h);

  if (h->nlmsg_type != RTM_NEWADDR || (int) m->ifa_index != l->index || m->ifa_scope != RT_SCOPE_UNIVERSE
      || (m->ifa_family != AF_INET && m->ifa_family != AF_INET6))
    return;
  for (struct rtattr *a = IFA_RTA (m); RTA_OK (a, len); a = RTA_NEXT (a, len))
    {
      if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD (a) >= sizeof (uint32_t))
        memcpy (&flags, RTA_DATA (a), sizeof flags);
      /* IFA_LOCAL is the address itself on IPv4 (IFA_ADDRESS may be the
         peer); IPv6 only has IFA_ADDRESS.  */
      if (a->rta_type == IFA_LOCAL || (a->rta_type == IFA_ADDRESS && addr == NULL))
        addr = RTA_DATA (a);
    }
  if (!(flags & IFA_F_PERMANENT) || addr == NULL)
    return;
  l->v = xrealloc (l->v, (l->n + 1) * sizeof *l->v);
  l->v[l->n].family = m->ifa_family;
  l->v[l->n].prefixlen = m->ifa_prefixlen;
  memcpy (l->v[l->n].addr, addr, m->ifa_family == AF_INET ? 4 : 16);
  l->n++;
}

static int
list_addresses (int fd, addr_list *l)
{
  struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };
  nl_req r;
  int ret;

  nl_init (&r, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof ifa);
  if ((ret = nl_send (fd, &r)) < 0)
    return ret;
  return nl_answers (fd, r.u.h.nlmsg_seq, keep_address, l);
}

static int
add_address (int fd, int index, const saved_addr *a)
{
  struct ifaddrmsg ifa = { .ifa_family = a->family, .ifa_prefixlen = a->prefixlen, .ifa_index = (uint32_t) index };
  size_t len = a->family == AF_INET ? 4 : 16;
  nl_req r;

  nl_init (&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof ifa);
  nl_attr (&r, IFA_LOCAL, a->addr, len);
  nl_attr (&r, IFA_ADDRESS, a->addr, len);
  if (a->family == AF_INET && a->prefixlen < 31)
    {
      uint32_t ip, mask, bcast;
      memcpy (&ip, a->addr, 4);
      mask = a->prefixlen ? htonl (~0U << (32 - a->prefixlen)) : 0;
      bcast = ip | ~mask;
      nl_attr (&r, IFA_BROADCAST, &bcast, 4);
    }
  return nl_talk (fd, &r);
}

static const char *
addr_text (const saved_addr *a, char *buf, size_t size)
{
  char ip[INET6_ADDRSTRLEN];
  inet_ntop (a->family, a->addr, ip, sizeof ip);
  snprintf (buf, size, "%s/%u", ip, a->prefixlen);
  return buf;
}

/* Inside the target namespace: addresses back, then up.  */
static int
finish_inside (const spec_net_device *d, const char *name, const saved_addr *addrs, size_t n, rt_error *err)
{
  _cleanup_close_ int fd = nl_open (err);
  unsigned int index;
  int r;

  if (fd < 0)
    return fd;
  index = if_nametoindex (name);
  if (index == 0)
    return rt_fail (err, errno, "linux.netDevices[\"%s\"]: find `%s` in the container's network namespace",
                    d->host_name, name);
  for (size_t i = 0; i < n; i++)
    if ((r = add_address (fd, (int) index, &addrs[i])) < 0 && r != -EEXIST)
      {
        char buf[64];
        return rt_fail (err, -r, "linux.netDevices[\"%s\"]: add address %s to `%s`", d->host_name,
                        addr_text (&addrs[i], buf, sizeof buf), name);
      }
  if ((r = link_set_up (fd, (int) index, true)) < 0)
    return rt_fail (err, -r, "linux.netDevices[\"%s\"]: set `%s` up", d->host_name, name);
  return 0;
}

static int
move_one (int fd, const spec_net_device *d, int netns_fd, int host_ns, rt_error *err)
{
  const char *name = d->name && d->name[0] ? d->name : d->host_name;
  addr_list addrs = { 0 };
  struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
  uint32_t nsfd = (uint32_t) netns_fd;
  unsigned int index;
  nl_req r;
  int ret;

  index = if_nametoindex (d->host_name);
  if (index == 0)
    return rt_fail (err, errno, "linux.netDevices[\"%s\"]: no such interface in the runtime's network namespace",
                    d->host_name);
  /* Down first, so the host stops using it before it changes hands.  */
  if ((ret = link_set_up (fd, (int) index, false)) < 0)
    return rt_fail (err, -ret, "linux.netDevices[\"%s\"]: set it down", d->host_name);
  addrs.index = (int) index;
  ret = list_addresses (fd, &addrs);
  if (ret < 0)
    {
      free (addrs.v);
      return rt_fail (err, -ret, "linux.netDevices[\"%s\"]: list its addresses", d->host_name);
    }

  /* Move and rename in one request, so a name taken on either side cannot
     leave the interface half done.  */
  ifi.ifi_index = (int) index;
  nl_init (&r, RTM_NEWLINK, 0, &ifi, sizeof ifi);
  nl_attr (&r, IFLA_IFNAME, name, strlen (name) + 1);
  nl_attr (&r, IFLA_NET_NS_FD, &nsfd, sizeof nsfd);
  ret = nl_talk (fd, &r);
  if (ret < 0)
    rt_fail (err, -ret, "linux.netDevices[\"%s\"]: move it into the container's network namespace%s%s",
             d->host_name, strcmp (name, d->host_name) ? " as " : "", strcmp (name, d->host_name) ? name : "");
  else if (setns (netns_fd, CLONE_NEWNET) < 0)
    ret = rt_fail (err, errno, "linux.netDevices: enter the container's network namespace");
  else
    {
      ret = finish_inside (d, name, addrs.v, addrs.n, err);
      if (setns (host_ns, CLONE_NEWNET) < 0)
        ret = rt_fail (err, errno, "linux.netDevices: return to the runtime's network namespace");
    }
  free (addrs.v);
  return ret;
}

int
netdev_move_all (const spec_linux *l, int netns_fd, rt_error *err)
{
  _cleanup_close_ int fd = -1, host_ns = -1;

  if (l->n_net_devices == 0)
    return 0;
  host_ns = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host_ns < 0)
    return rt_fail (err, errno, "linux.netDevices: open /proc/self/ns/net");
  fd = nl_open (err);
  if (fd < 0)
    return fd;
  for (size_t i = 0; i < l->n_net_devices; i++)
    if (move_one (fd, &l->net_devices[i], netns_fd, host_ns, err) < 0)
      return rt_error_ret (err);
  return 0;
}
