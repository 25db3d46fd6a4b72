/* The runc.network annotations: what network the runtime gives a
 * container by itself, parsed and checked before anything is created.
 * Pure (no system call), so every rule is covered by the unit test; the
 * runtime side that starts the helper is container_net.c.
 *
 *   runc.network=slirp             user-mode networking by runc-slirp(1);
 *                                  needs a new network namespace
 *   runc.network.ports=LIST        [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp],...
 *   runc.network.host-loopback=B   true|false (default false): the host's
 *                                  127.0.0.1 reachable at 10.0.2.2
 *   runc.network.mtu=N             576-65521 (default: the helper's, 65520)
 *
 * An empty runc.network means none.  The other keys, and any unknown
 * runc.network.* key, are refused without runc.network=slirp: a forward
 * that silently does nothing is worse than an error.  */
#ifndef RT_NETANNOT_H
#define RT_NETANNOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "spec.h"

#define NET_ANNOTATION "runc.network"
#define NET_ANNOTATION_PORTS "runc.network.ports"
#define NET_ANNOTATION_LOOPBACK "runc.network.host-loopback"
#define NET_ANNOTATION_MTU "runc.network.mtu"

/* runc-slirp's limits (helpers/slirp/slirp_helper.h): libslirp refuses
 * more than 65521, and below 576 nothing works.  */
#define NET_MTU_MIN 576
#define NET_MTU_MAX 65521

enum net_mode
{
  NET_MODE_NONE,
  NET_MODE_SLIRP,
};

typedef struct net_port
{
  char host_ip[16]; /* dotted IPv4, "" = every address */
  uint16_t host_port;
  uint16_t container_port;
  bool udp;
} net_port;

typedef struct net_config
{
  enum net_mode mode;
  bool host_loopback;
  unsigned mtu; /* 0 = the helper's default */
  net_port *ports;
  size_t n_ports;
} net_config;

/* Read the annotations of `s` into `out` (mode NONE when there are
 * none).  Errors name the annotation and the value: "annotation
 * runc.network.ports: `80`: expected [HOSTIP:]HOSTPORT:CONTAINERPORT".  */
int net_config_parse (const spec *s, net_config *out, rt_error *err);
void net_config_free (net_config *c);

/* One port in the helper's --publish syntax: "[IP:]H:C/proto".  */
char *net_port_format (const net_port *p);

/* The helper's command line for `c`: argv[0] "runc-slirp", the fixed
 * fds and paths the runtime gives it, then the options from the
 * annotations.  NULL-terminated, free with strv_free.  */
typedef struct net_helper_args
{
  int ready_fd;
  int exit_fd;
  const char *api_socket;
  const char *netns;
} net_helper_args;
char **net_helper_argv (const net_config *c, const net_helper_args *a);

#endif
