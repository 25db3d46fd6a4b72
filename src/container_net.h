/* The network the runtime gives a container by itself: with the
 * annotation runc.network=slirp (netannot.h) and a new network namespace,
 * create and run start runc-slirp(1) for that namespace and wait until it
 * reports the network up, before the container's process can start.
 *
 * The helper runs on the host side as the caller (a child of the
 * runtime in its own session, outside the container's namespaces and
 * cgroup), survives the runtime, and exits by itself when the init does
 * (its --exit-fd is a pidfd of the init).  It is recorded among the
 * container's helpers (state.h), so delete, and a create that fails,
 * kill it; its API socket (slirp.sock) and log (slirp.log) live in the
 * container's state directory and go with it.
 *
 * Order in create_common: check (before anything exists) -> netns (the
 * init reports its network namespace, SYNC_NETNS through container_ext)
 * -> start (the init's final PID is known) -> ready (after the init is
 * ready, so both set up at the same time).  */
#ifndef RT_CONTAINER_NET_H
#define RT_CONTAINER_NET_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "netannot.h"
#include "spec.h"

#define NET_HELPER "runc-slirp"
#define NET_API_SOCKET "slirp.sock"
#define NET_LOG "slirp.log"

struct ctr_plan;

typedef struct ctr_net
{
  net_config cfg;
  int exe;      /* O_PATH of the helper, -1 */
  char *path;   /* where it was found, for messages */
  int netns;    /* the container's network namespace, -1 until the init reports it */
  int ready;    /* read end of the helper's ready pipe while it starts, -1 */
  pid_t pid;    /* the helper once started, 0 before */
} ctr_net;

void ctr_net_init (ctr_net *n);
void ctr_net_free (ctr_net *n);

/* Parse the annotations and find the helper: beside the runtime's own
 * executable first (binary_self_path), then in PATH.  Nothing is made.  */
int ctr_net_check (ctr_net *n, const spec *s, rt_error *err);
/* Does the container get a network from the runtime?  */
bool ctr_net_wanted (const ctr_net *n);

/* Start the helper for n->netns (taken over), with `init_pidfd` as its
 * exit signal; `dir_fd` is the container's state directory at
 * `state_dir`.  The helper is recorded in p->helpers at once.  */
int ctr_net_start (struct ctr_plan *p, int dir_fd, const char *state_dir, int init_pidfd, rt_error *err);
/* Wait until the helper says the network is up; on failure the error
 * carries its last words from slirp.log.  Its warnings so far are passed
 * on with rt_warn.  */
int ctr_net_ready (struct ctr_plan *p, int dir_fd, rt_error *err);

#endif
