/* linux.netDevices: host network interfaces moved into the container's
 * network namespace, as runc does it: the interface is set down, moved
 * (and renamed to `name` when given) with one RTM_NEWLINK carrying
 * IFLA_NET_NS_FD and IFLA_IFNAME, its permanent addresses of global scope
 * are added again inside (the kernel drops addresses on a move; MTU and
 * MAC address travel with the device), and it is set up.
 *
 * Nothing is moved back on delete: per the spec the owner of the network
 * namespace controls the interface from then on.  When the namespace goes
 * away with the container, the kernel returns physical interfaces to the
 * initial namespace and destroys virtual ones (dummy, veth, ...).  */
#ifndef RT_NETDEV_H
#define RT_NETDEV_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* The kernel's rule for an interface name: 1 to 15 bytes, not "." or
 * "..", without '/', ':' or white space.  */
bool netdev_name_valid (const char *name);

/* Before anything is created: the container has a network namespace of
 * its own (runc: "unable to move network devices without a NET
 * namespace"), the runtime is real root (moving an interface needs
 * CAP_NET_ADMIN in the host's namespace), and every name is valid.  */
int netdev_validate (const spec *s, bool host_root, rt_error *err);

/* Move every device of l->net_devices into the network namespace open at
 * `netns_fd`.  Runs in the runtime, in the host's network namespace; it
 * enters the target one only on the way and always returns from it.  */
int netdev_move_all (const spec_linux *l, int netns_fd, rt_error *err);

#endif
