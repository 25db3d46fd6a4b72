/* The libslirp event loop: one poll() over the tap device, libslirp's host
 * sockets, the API socket and the exit conditions.
 *
 * Sized for throughput: the pollfd array and the frame buffer are
 * allocated once and reused, and every wakeup drains up to TAP_BATCH
 * frames from the tap before going back to poll(), so a bulk transfer
 * costs one poll() per batch rather than per frame.  Frames are handed to
 * slirp_input() straight from the read buffer (libslirp copies them into
 * its own mbufs; that copy cannot be avoided through its API).  */
#include "config.h"

#include <arpa/inet.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "slirp_helper.h"
#include "util.h"

/* Enough to empty the tap queue (txqueuelen 1000 by default) in a few
 * rounds while still giving host sockets their turn.  */
#define TAP_BATCH 64
/* A full frame: MTU plus Ethernet header, and room for a VLAN tag that
 * libslirp would drop anyway rather than see truncated.  */
#define FRAME_MAX (SH_MTU_MAX + SH_ETH_HLEN + 4)

struct sh_timer
{
  SlirpTimerId id;
  void *cb_opaque;
  int64_t expire_ms; /* -1: not armed */
  struct sh_timer *next;
};

struct sh_loop
{
  Slirp *slirp;
  int tap_fd;
  int exit_fd;
  int pidfd;
  struct sh_api *api;
  struct sh_dns_filter dns;
  struct pollfd *pfd;
  size_t npfd, cap;
  struct sh_timer *timers;
  uint8_t *frame;
};

int64_t
sh_now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- libslirp callbacks -------------------------------------------------- */

static ssize_t
cb_send_packet (const void *buf, size_t len, void *opaque)
{
  struct sh_loop *l = opaque;
  ssize_t n;

  do
    n = write (l->tap_fd, buf, len);
  while (n < 0 && errno == EINTR);
  /* A full queue in the container is congestion, not an I/O error: the
     frame is dropped and TCP retransmits, as on a real link.  */
  if (n < 0 && (errno == EAGAIN || errno == ENOBUFS))
    return (ssize_t) len;
  return n;
}

static void
cb_guest_error (const char *msg, void *opaque)
{
  rt_debug ("libslirp: guest error: %s", msg);
}

static int64_t
cb_clock_get_ns (void *opaque)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *
cb_timer_new_opaque (SlirpTimerId id, void *cb_opaque, void *opaque)
{
  struct sh_loop *l = opaque;
  struct sh_timer *t = xzalloc (sizeof *t);

  t->id = id;
  t->cb_opaque = cb_opaque;
  t->expire_ms = -1;
  t->next = l->timers;
  l->timers = t;
  return t;
}

static void
cb_timer_free (void *timer, void *opaque)
{
  struct sh_loop *l = opaque;

  for (struct sh_timer **p = &l->timers; *p; p = &(*p)->next)
    if (*p == timer)
      {
        *p = (*p)->next;
        free (timer);
        return;
      }
}

static void
cb_timer_mod (void *timer, int64_t expire_ms, void *opaque)
{
  ((struct sh_timer *) timer)->expire_ms = expire_ms;
}

static void
cb_poll_fd_noop (int fd, void *opaque)
{
}

static void
cb_notify (void *opaque)
{
  /* Single-threaded: the next round of slirp_pollfds_fill() picks up
     whatever became writable.  */
}

static const SlirpCb callbacks = {
  .send_packet = cb_send_packet,
  .guest_error = cb_guest_error,
  .clock_get_ns = cb_clock_get_ns,
  .timer_free = cb_timer_free,
  .timer_mod = cb_timer_mod,
  .register_poll_fd = cb_poll_fd_noop,
  .unregister_poll_fd = cb_poll_fd_noop,
  .notify = cb_notify,
  .timer_new_opaque = cb_timer_new_opaque,
};

/* ---- poll glue ----------------------------------------------------------- */

static void
pfd_reserve (struct sh_loop *l, size_t more)
{
  if (l->npfd + more <= l->cap)
    return;
  while (l->npfd + more > l->cap)
    l->cap *= 2;
  l->pfd = xrealloc (l->pfd, l->cap * sizeof *l->pfd);
}

static size_t
pfd_push (struct sh_loop *l, int fd, short events)
{
  pfd_reserve (l, 1);
  l->pfd[l->npfd] = (struct pollfd){ .fd = fd, .events = events };
  return l->npfd++;
}

static int
cb_add_poll (int fd, int events, void *opaque)
{
  short ev = 0;

  if (events & SLIRP_POLL_IN)
    ev |= POLLIN;
  if (events & SLIRP_POLL_OUT)
    ev |= POLLOUT;
  if (events & SLIRP_POLL_PRI)
    ev |= POLLPRI;
  return (int) pfd_push (opaque, fd, ev);
}

static int
cb_get_revents (int idx, void *opaque)
{
  struct sh_loop *l = opaque;
  short rev = l->pfd[idx].revents;
  int ret = 0;

  if (rev & POLLIN)
    ret |= SLIRP_POLL_IN;
  if (rev & POLLOUT)
    ret |= SLIRP_POLL_OUT;
  if (rev & POLLPRI)
    ret |= SLIRP_POLL_PRI;
  if (rev & POLLERR)
    ret |= SLIRP_POLL_ERR;
  if (rev & POLLHUP)
    ret |= SLIRP_POLL_HUP;
  return ret;
}

/* ---- setup --------------------------------------------------------------- */

struct sh_loop *
loop_new (const struct sh_options *o, int tap_fd, rt_error *err)
{
  struct sh_loop *l = xzalloc (sizeof *l);
  SlirpConfig cfg = { .version = 4 };

  l->tap_fd = tap_fd;
  l->exit_fd = -1;
  l->pidfd = -1;
  l->cap = 64;
  l->pfd = xmalloc (l->cap * sizeof *l->pfd);
  l->frame = xmalloc (FRAME_MAX);

  cfg.in_enabled = true;
  inet_pton (AF_INET, SH_NET4, &cfg.vnetwork);
  cfg.vnetmask.s_addr = htonl (0xffffffffu << (32 - SH_NET4_PREFIX));
  inet_pton (AF_INET, SH_GW4, &cfg.vhost);
  inet_pton (AF_INET, SH_DNS4, &cfg.vnameserver);
  /* Unused (DHCP is off) but libslirp derives its DHCP pool from it.  */
  inet_pton (AF_INET, "10.0.2.15", &cfg.vdhcp_start);
  cfg.in6_enabled = o->ipv6;
  inet_pton (AF_INET6, SH_NET6, &cfg.vprefix_addr6);
  cfg.vprefix_len = SH_NET6_PREFIX;
  inet_pton (AF_INET6, SH_GW6, &cfg.vhost6);
  inet_pton (AF_INET6, SH_DNS6, &cfg.vnameserver6);
  cfg.if_mtu = o->mtu;
  cfg.if_mru = o->mtu;
  cfg.disable_host_loopback = !o->allow_host_loopback;
  cfg.enable_emu = false;
  /* The address is configured statically: the DHCP server would only be
     more guest-reachable parser code.  */
  cfg.disable_dhcp = true;

  l->dns.ns4 = cfg.vnameserver;
  l->dns.ns6 = cfg.vnameserver6;
  l->dns.ipv6 = o->ipv6;

  l->slirp = slirp_new (&cfg, &callbacks, l);
  if (l->slirp == NULL)
    {
      rt_failx (err, EINVAL, "libslirp %s refused the configuration", slirp_version_string ());
      loop_free (l);
      return NULL;
    }
  return l;
}

Slirp *
loop_slirp (struct sh_loop *l)
{
  return l->slirp;
}

void
loop_watch (struct sh_loop *l, int exit_fd, int pidfd, struct sh_api *api)
{
  l->exit_fd = exit_fd;
  l->pidfd = pidfd;
  l->api = api;
}

void
loop_free (struct sh_loop *l)
{
  if (l == NULL)
    return;
  if (l->slirp)
    slirp_cleanup (l->slirp);
  while (l->timers)
    {
      struct sh_timer *t = l->timers;
      l->timers = t->next;
      free (t);
    }
  free (l->pfd);
  free (l->frame);
  free (l);
}

/* ---- the loop ------------------------------------------------------------ */

/* Returns 1 when the tap device is gone (its namespace was destroyed),
 * 0 after draining, -errno on a real error.  */
static int
read_tap (struct sh_loop *l, rt_error *err)
{
  for (int i = 0; i < TAP_BATCH; i++)
    {
      ssize_t n = read (l->tap_fd, l->frame, FRAME_MAX);
      if (n < 0)
        {
          if (errno == EAGAIN)
            return 0;
          if (errno == EINTR)
            continue;
          if (errno == EBADFD || errno == EIO)
            return 1;
          return rt_fail (err, errno, "read from the tap device");
        }
      if (dns_frame_allowed (&l->dns, l->frame, (size_t) n))
        slirp_input (l->slirp, l->frame, (int) n);
    }
  return 0;
}

static int64_t
next_timer (struct sh_loop *l)
{
  int64_t next = INT64_MAX;

  for (struct sh_timer *t = l->timers; t; t = t->next)
    if (t->expire_ms >= 0 && t->expire_ms < next)
      next = t->expire_ms;
  return next;
}

static void
run_timers (struct sh_loop *l, int64_t now)
{
  bool again = true;

  /* A handler may free or re-arm timers: restart the walk after each.  */
  while (again)
    {
      again = false;
      for (struct sh_timer *t = l->timers; t; t = t->next)
        if (t->expire_ms >= 0 && t->expire_ms <= now)
          {
            t->expire_ms = -1;
            slirp_handle_timer (l->slirp, t->id, t->cb_opaque);
            again = true;
            break;
          }
    }
}

static int
poll_timeout (uint32_t slirp_ms, int64_t deadline, int64_t now)
{
  int64_t t = slirp_ms == UINT32_MAX ? INT64_MAX : (int64_t) slirp_ms;

  if (deadline != INT64_MAX && deadline - now < t)
    t = deadline > now ? deadline - now : 0;
  if (t == INT64_MAX)
    return -1;
  return t > INT_MAX ? INT_MAX : (int) t;
}

int
loop_run (struct sh_loop *l, rt_error *err)
{
  for (;;)
    {
      size_t i_tap, i_exit = SIZE_MAX, i_pid = SIZE_MAX, i_api = 0, n_api = 0;
      uint32_t slirp_ms = UINT32_MAX;
      int64_t now = sh_now_ms (), deadline = next_timer (l);
      int n, ret;

      l->npfd = 0;
      i_tap = pfd_push (l, l->tap_fd, POLLIN);
      if (l->exit_fd >= 0)
        i_exit = pfd_push (l, l->exit_fd, POLLIN);
      if (l->pidfd >= 0)
        i_pid = pfd_push (l, l->pidfd, POLLIN);
      if (l->api)
        {
          pfd_reserve (l, SH_API_MAX_CONNS + 1);
          i_api = l->npfd;
          n_api = api_poll_fill (l->api, l->pfd + i_api, now, &deadline);
          l->npfd += n_api;
        }
      slirp_pollfds_fill (l->slirp, &slirp_ms, cb_add_poll, l);

      n = poll (l->pfd, l->npfd, poll_timeout (slirp_ms, deadline, now));
      if (n < 0 && errno != EINTR)
        return rt_fail (err, errno, "poll");
      if (n < 0)
        {
          slirp_pollfds_poll (l->slirp, 1, cb_get_revents, l);
          continue;
        }

      /* Frames first: slirp_pollfds_poll() ends by flushing libslirp's
         output queue, and a frame can unblock it (an ARP reply from the
         container releases the packets waiting for it; read afterwards,
         they would wait for the next wakeup, up to half a second).  The
         revents stay valid: sockets slirp_input() opens are not polled
         yet and the ones it closes leave libslirp's lists.  */
      if (l->pfd[i_tap].revents & POLLIN)
        {
          ret = read_tap (l, err);
          if (ret != 0)
            return ret < 0 ? ret : 0;
        }
      else if (l->pfd[i_tap].revents & (POLLERR | POLLHUP | POLLNVAL))
        return 0; /* the namespace and its tap device are gone */
      slirp_pollfds_poll (l->slirp, 0, cb_get_revents, l);
      if (i_exit != SIZE_MAX && l->pfd[i_exit].revents)
        return 0;
      if (i_pid != SIZE_MAX && l->pfd[i_pid].revents)
        return 0;
      now = sh_now_ms ();
      if (n_api)
        api_poll_handle (l->api, l->pfd + i_api, n_api, now);
      run_timers (l, now);
    }
}
