/* Building the container's filesystem view.  Runs in the container init
 * (a child of the runtime), inside its new mount namespace, with the
 * user namespace (if any) already mapped.
 *
 * The order is fixed by the runtime-spec and runc:
 *   rootfs_prepare   propagation, rootfs bind, config mounts, /dev;
 *   (createContainer hooks run here, issue 3)
 *   rootfs_pivot     pivot_root (or MS_MOVE + chroot with --no-pivot);
 *                    stdio on the host's /dev/null is moved to the
 *                    container's;
 *   rootfs_finalize  /dev/console, read-only and masked paths, the
 *                    deferred read-only tmpfs and /dev, read-only root.
 *
 * Without a mount namespace in the config (linux.namespaces has no
 * "mount" entry) nothing is mounted: rootfs_prepare refuses a config with
 * mounts, masked or read-only paths, a read-only root or --no-pivot, and
 * rootfs_pivot only chroots.
 *
 * Relative bind-mount sources are relative to the current directory, which
 * must be the bundle (as in runc).  Every fd opened here is O_CLOEXEC and
 * closed before returning; none is left behind.
 *
 * Idmapped mounts are made in two steps: the kernel lets only a process
 * privileged over the filesystem's user namespace (the initial one, for
 * disk filesystems) idmap a mount, so the runtime makes the trees
 * (rootfs_idmap_mounts) and the init attaches them (rootfs_config.idmap_fds),
 * as runc does.  */
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
   * NULL when the container has no cgroup of its own.  A hierarchy where
   * that directory does not exist gets the init's own cgroup (from
   * /proc/self/cgroup) instead.  */
  const char *cgroup_rel_path;
  /* The pty slave for /dev/console, or -1 (issue 3).  Used by
   * rootfs_finalize; it must belong to the container's mount namespace (for
   * example opened through the container's /dev/ptmx after rootfs_pivot,
   * as runc does), and its master must stay open.  */
  int console_fd;
  /* Per entry of spec->mounts, the detached tree rootfs_idmap_mounts made
   * for an idmapped mount, or -1; NULL when there are none.  The fds stay
   * the caller's.  */
  const int *idmap_fds;
  /* Serve config mount `index`, an overlay, with fuse-overlayfs mounted
   * on `target` (an O_PATH fd of its mount point in this mount
   * namespace): set by the engine, which asks the runtime to start the
   * daemon outside the container and returns once it has (>= 0), or
   * fails with err.  NULL: overlay mounts are native only.  */
  int (*fuse_overlay) (void *data, size_t index, int target, rt_error *err);
  void *fuse_overlay_data;
} rootfs_config;

int rootfs_prepare (const rootfs_config *c, rt_error *err);

/* Runtime side, in the initial user namespace, before the init runs
 * rootfs_prepare: make the idmapped bind mounts of the config (options
 * idmap/ridmap, or mount uidMappings/gidMappings) as detached trees, with
 * their attributes, for the init to attach.  Mounts without ID maps of
 * their own use the container's user namespace `userns_fd` (an fd of
 * /proc/PID/ns/user of the init, or -1 if it has none).  out has
 * spec->n_mounts entries: a tree fd (O_CLOEXEC, to pass to the init) or -1.
 * On failure every fd already made is closed.  */
int rootfs_idmap_mounts (const spec *s, int userns_fd, int *out, rt_error *err);
int rootfs_pivot (const rootfs_config *c, rt_error *err);
int rootfs_finalize (const rootfs_config *c, rt_error *err);

/* ---- overlay mounts (rootfs_overlay.c) ----------------------------------
 *
 * A config mount of type "overlay" is the kernel's overlayfs, with
 * `userxattr` added in a user namespace (Linux 5.11 allows the mount
 * there).  When that fails for a reason other than a missing or invalid
 * path, fuse-overlayfs serves the same layers instead: the runtime starts
 * it joined to the container's user and mount namespaces only, so the
 * container can neither see nor signal it.  The annotation
 * "runc.overlay" chooses: "native" (no fallback), "fuse" (fuse-overlayfs
 * only) or "auto" (the default).
 *
 * Layer paths (lowerdir, lowerdir+, datadir+, upperdir, workdir) are host
 * paths; a relative one is relative to the rootfs, as in runc, whose init
 * mounts from there.  */
#define ROOTFS_OVERLAY_ANNOTATION "runc.overlay"

enum rootfs_overlay_mode
{
  ROOTFS_OVERLAY_AUTO,
  ROOTFS_OVERLAY_NATIVE,
  ROOTFS_OVERLAY_FUSE,
};

typedef struct rootfs_overlay
{
  enum rootfs_overlay_mode mode;
  unsigned long flags; /* MS_* of the mount */
  char *data;          /* for the kernel: layers absolute, userxattr in a user namespace */
  char *fuse_opts;     /* for fuse-overlayfs -o (lowerdir, upperdir, workdir); NULL if it cannot serve them */
} rootfs_overlay;

int rootfs_overlay_mode_of (const spec *s, enum rootfs_overlay_mode *out, rt_error *err);
/* Everything about mounts[index] (an overlay) the init and the runtime
 * need.  `userns`: the container has its own user namespace.  */
int rootfs_overlay_plan (const spec *s, size_t index, const char *rootfs, bool userns, rootfs_overlay *out,
                         rt_error *err);
void rootfs_overlay_free (rootfs_overlay *o);
/* The pure part of the plan, for tests: the filesystem data of the mount
 * (`data`, comma-separated) for the kernel and for fuse-overlayfs.  */
int rootfs_overlay_options (const char *data, const char *rootfs, bool userxattr, char **kernel, char **fuse,
                            rt_error *err);
/* In the fuse-overlayfs helper, already in the container's user and mount
 * namespaces: mount FUSE on `target` with the /dev/fuse fd `fuse_fd`
 * (opened in that user namespace, as the kernel requires), for the daemon
 * to serve.  */
int rootfs_overlay_fuse_mount (const rootfs_overlay *o, int fuse_fd, int target, rt_error *err);

/* The default device nodes every container gets (null, zero, full, random,
 * urandom, tty), for `features` and tests.  */
extern const char *const rootfs_default_devices[];

#endif
