/* runc-slirp: user-mode networking for a container's network namespace.
 *
 * The helper runs as the calling user, in the host network namespace.  A
 * short-lived child enters the target's namespaces, creates the tap device
 * there, configures it over rtnetlink and sends the tap fd back; libslirp
 * then turns the Ethernet frames read from it into ordinary host sockets.
 *
 * Files, one concern each:
 *   opts.c     command line (pure, unit-tested)
 *   dns.c      upstream resolver choice and the 10.0.2.3 frame filter
 *   netlink.c  rtnetlink requests for link, address and route
 *   netns.c    opening the target and the namespace child
 *   fwd.c      host-to-container port forwards (libslirp hostxfwd)
 *   api.c      the slirp4netns-compatible JSON API socket
 *   loop.c     the libslirp event loop
 *   sandbox.c  mount namespace on an empty root, capabilities
 *   seccomp.c  the system call allow-list of the event loop
 *   main.c     the order of the steps, and the only printing  */
#ifndef RUNC_SLIRP_HELPER_H
#define RUNC_SLIRP_HELPER_H

#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <libslirp.h>

#include "error.h"

/* The virtual network, the same as slirp4netns's defaults so that
 * existing tooling and documentation keep working.  */
#define SH_NET4 "10.0.2.0"
#define SH_NET4_PREFIX 24
#define SH_GW4 "10.0.2.2"
#define SH_DNS4 "10.0.2.3"
#define SH_GUEST4 "10.0.2.100"
#define SH_NET6 "fd00::"
#define SH_NET6_PREFIX 64
#define SH_GW6 "fd00::2"
#define SH_DNS6 "fd00::3"
#define SH_GUEST6 "fd00::100"

#define SH_TAP_DEFAULT "tap0"
#define SH_MTU_DEFAULT 65520
/* libslirp refuses anything above IF_MTU_MAX (65521); below 1280 IPv6
 * cannot work, and smaller values only make sense for debugging.  */
#define SH_MTU_MIN 576
#define SH_MTU_MAX 65521
#define SH_ETH_HLEN 14

#define SH_RESOLV_DEFAULT "/etc/resolv.conf"

/* ---- opts.c -------------------------------------------------------------- */

struct sh_publish
{
  int proto; /* IPPROTO_TCP or IPPROTO_UDP */
  struct sockaddr_storage host; /* address and port to listen on */
  socklen_t host_len;
  uint16_t guest_port;
};

enum sh_action
{
  SH_RUN,
  SH_HELP,
  SH_VERSION,
};

struct sh_options
{
  enum sh_action action;
  pid_t pid; /* 0 with --netns */
  const char *netns_path;
  const char *userns_path;
  const char *tap_name;
  unsigned mtu;
  bool ipv6;
  bool allow_host_loopback;
  bool pid_watch;
  bool disable_sandbox;
  bool tcp_rmem_fix;
  const char *api_socket;
  const char *resolv_conf; /* NULL: /etc/resolv.conf, read live by libslirp without sandbox */
  int ready_fd; /* -1: none */
  int exit_fd;
  struct sh_publish *publish;
  size_t n_publish;
};

int sh_parse_options (int argc, char **argv, struct sh_options *o, rt_error *err);
void sh_options_free (struct sh_options *o);
/* "[HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]"; an IPv6 HOSTIP goes in
 * brackets.  */
int sh_parse_publish (const char *spec, struct sh_publish *out, rt_error *err);
/* A fd number given on the command line: it must be open.  */
int sh_parse_fd (const char *opt, const char *s, int *out, rt_error *err);
extern const char sh_usage_text[];

/* ---- dns.c --------------------------------------------------------------- */

/* The "nameserver" lines of a resolv.conf text, each address validated
 * (an optional "%iface" scope suffix kept), at most 3 as the resolver
 * uses.  Returns a malloc'd "nameserver ...\n" text, "" when none.  */
char *dns_nameservers (const char *resolv_text, unsigned *count);

struct sh_dns_filter
{
  struct in_addr ns4;
  struct in6_addr ns6;
  bool ipv6;
};

/* libslirp translates the virtual DNS address to the host's nameserver.
 * Releases before 4.7 did so for every TCP/UDP port (the slirp4netns
 * manual warns about it), so with a 127.0.0.x resolver 10.0.2.3:PORT
 * reached any service on the host loopback even with host-loopback
 * access disabled; 4.7.0 limits it to port 53 (checked by the tests).
 * The event loop applies the same rule itself, whatever the library
 * version: frames to the DNS address are dropped unless they are UDP or
 * TCP to port 53, or ICMP.  */
bool dns_frame_allowed (const struct sh_dns_filter *f, const uint8_t *frame, size_t len);

/* ---- netlink.c ----------------------------------------------------------- */

int nl_open (rt_error *err);
int nl_link_up (int nl, int ifindex, unsigned mtu, rt_error *err);
int nl_addr_add (int nl, int ifindex, int family, const void *addr, unsigned prefixlen, rt_error *err);
int nl_route_default (int nl, int ifindex, int family, const void *gateway, rt_error *err);

/* ---- netns.c ------------------------------------------------------------- */

struct sh_target
{
  int netns_fd;
  int userns_fd; /* -1: stay in our user namespace */
  int pidfd;     /* -1 with --netns */
};

int target_open (const struct sh_options *o, struct sh_target *t, rt_error *err);
void target_close (struct sh_target *t);
/* Create and configure the tap device inside the target; returns its fd
 * (non-blocking, close-on-exec).  */
int target_setup_tap (const struct sh_target *t, const struct sh_options *o, rt_error *err);

/* ---- fwd.c --------------------------------------------------------------- */

struct sh_fwd
{
  unsigned id;
  int proto;
  struct sockaddr_storage host;
  socklen_t host_len;
  struct sockaddr_storage guest;
  socklen_t guest_len;
};

struct sh_fwd_table
{
  Slirp *slirp;
  struct sh_fwd *v;
  size_t n, cap;
  unsigned next_id;
};

void fwd_table_init (struct sh_fwd_table *t, Slirp *slirp);
void fwd_table_free (struct sh_fwd_table *t);
/* Returns the new id (> 0).  */
int fwd_add (struct sh_fwd_table *t, const struct sh_fwd *req, rt_error *err);
int fwd_remove (struct sh_fwd_table *t, unsigned id, rt_error *err);
int fwd_add_publish (struct sh_fwd_table *t, const struct sh_publish *p, rt_error *err);
/* Address text without port, for listings and messages.  */
void fwd_addr_text (const struct sockaddr_storage *ss, char *buf, size_t len);
uint16_t fwd_port (const struct sockaddr_storage *ss);

/* ---- api.c --------------------------------------------------------------- */

#define SH_API_MAX_CONNS 16
#define SH_API_MAX_REQUEST 4096
#define SH_API_TIMEOUT_MS 5000

struct sh_api_conn
{
  int fd; /* -1: free slot */
  size_t len;
  int64_t deadline_ms;
  char buf[SH_API_MAX_REQUEST + 1];
};

struct sh_api
{
  int listen_fd;
  struct sh_fwd_table *fwd;
  struct sh_api_conn conns[SH_API_MAX_CONNS];
};

int api_listen (const char *path, rt_error *err);
void api_init (struct sh_api *api, int listen_fd, struct sh_fwd_table *fwd);
void api_close (struct sh_api *api);
/* One request document in, one reply document out (malloc'd).  */
char *api_dispatch (struct sh_fwd_table *fwd, const char *req, size_t len);
/* Event-loop glue: add the fds to watch, then handle what poll() said.  */
size_t api_poll_fill (struct sh_api *api, struct pollfd *pfd, int64_t now_ms, int64_t *deadline_ms);
void api_poll_handle (struct sh_api *api, const struct pollfd *pfd, size_t n, int64_t now_ms);

/* ---- loop.c -------------------------------------------------------------- */

struct sh_loop;

struct sh_loop *loop_new (const struct sh_options *o, int tap_fd, rt_error *err);
Slirp *loop_slirp (struct sh_loop *l);
void loop_watch (struct sh_loop *l, int exit_fd, int pidfd, struct sh_api *api);
/* Returns 0 when the exit fd or the watched process said so.  */
int loop_run (struct sh_loop *l, rt_error *err);
void loop_free (struct sh_loop *l);
int64_t sh_now_ms (void);

/* ---- sandbox.c / seccomp.c ----------------------------------------------- */

/* Private mount namespace on an empty read-only root holding only
 * /etc/resolv.conf (`resolv_text`), no capabilities, no_new_privs and the
 * seccomp filter.  Fails as a whole: never a partial sandbox.  */
int sandbox_enter (const char *resolv_text, rt_error *err);
int seccomp_install (rt_error *err);

#endif
