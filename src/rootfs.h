/* Building the container's filesystem view.  Runs in the container init
 * (a child of the runtime), inside its new mount namespace, with the
 * user namespace (if any) already mapped.
 *
 * The order is fixed by the runtime-spec and runc:
 *   rootfs_prepare   propagation, rootfs bind, config mounts, /dev;
 *   (createContainer hooks run here, issue 3)
 *   rootfs_pivot     pivot_root (or MS_MOVE + chroot with --no-pivot);
 *   rootfs_finalize  masked and read-only paths, read-only root.  */
#ifndef RT_ROOTFS_H
#define RT_ROOTFS_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

typedef struct rootfs_config
{
  const spec *spec;
  const char *rootfs;     /* absolute host path of the rootfs, symlinks resolved */
  bool userns;            /* new user namespace: devices are bind-mounted from the host */
  bool rootless;          /* euid != 0 on the host */
  bool new_netns;         /* private network namespace: sysfs can be mounted fresh */
  bool new_cgroupns;      /* private cgroup namespace: cgroupfs can be mounted fresh */
  bool new_pidns;
  bool no_pivot;
  /* The container's cgroup, relative to each hierarchy's root (e.g.
   * "/runc/ID"), for the "cgroup" mount when there is no cgroup namespace;
   * NULL when the container has no cgroup of its own.  */
  const char *cgroup_rel_path;
  /* The pty slave for /dev/console, or -1 (issue 3).  */
  int console_fd;
} rootfs_config;

int rootfs_prepare (const rootfs_config *c, rt_error *err);
int rootfs_pivot (const rootfs_config *c, rt_error *err);
int rootfs_finalize (const rootfs_config *c, rt_error *err);

/* The default device nodes every container gets (null, zero, full, random,
 * urandom, tty), for `features` and tests.  */
extern const char *const rootfs_default_devices[];

#endif
