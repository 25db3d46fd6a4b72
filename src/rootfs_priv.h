/* Internals shared by rootfs.c, rootfs_mount.c, rootfs_dev.c and
 * rootfs_cgroup.c.  Not an interface for other modules.  */
#ifndef RT_ROOTFS_PRIV_H
#define RT_ROOTFS_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "mountopt.h"
#include "rootfs.h"

/* ---- mounting by fd (rootfs_mount.c) ------------------------------------
 *
 * The new mount API (fsopen/fsmount/open_tree/move_mount/mount_setattr)
 * does every mount on an fd resolved inside the rootfs; where the kernel
 * lacks it (ENOSYS) the same operations go through mount(2) with
 * /proc/self/fd/N paths, which reach exactly the same objects.  */

/* Where a mount goes: an fd resolved inside the root, plus the root and
 * the path it came from (to re-resolve after a mount(2) fallback and for
 * messages).  */
typedef struct mnt_target
{
  int root_fd;
  const char *path;
  int fd;
} mnt_target;

/* Mount attribute changes, as mount_setattr(2) takes them.  */
typedef struct mnt_attrs
{
  uint64_t set;
  uint64_t clr;
} mnt_attrs;

/* For tests: behave as on a kernel without the new mount API.  */
void rootfs_set_force_legacy_mount (bool on);
bool rootfs_legacy_mount (void);
/* Can attributes be changed on a whole mount tree (mount_setattr(2),
 * Linux 5.12)?  */
bool mnt_recursive_attrs (void);

/* The mount_setattr form of MS_* flags set (ms_set) and explicitly
 * cleared (ms_clr).  Superblock flags (sync, dirsync, ...) are ignored.  */
mnt_attrs mnt_attrs_from_ms (unsigned long ms_set, unsigned long ms_clr);

/* Mount a new instance of filesystem `type` on t.  ms_flags are the MS_*
 * flags of the mount (per-mount ones become attributes, superblock ones
 * are passed to the filesystem).  Returns an O_PATH fd of the new mount's
 * root.  */
int mnt_fs (const mnt_target *t, const char *type, const char *source, const char *data, unsigned long ms_flags,
            rt_error *err);

/* Bind `src_path` (relative to src_dirfd; "" for src_dirfd itself) onto t,
 * recursively or not.  `top` is applied to the top mount only, `rec` to
 * the whole tree; both before the tree becomes visible where the new API
 * is available.  Returns an O_PATH fd of the new mount.  */
int mnt_bind (const mnt_target *t, int src_dirfd, const char *src_path, bool recursive, mnt_attrs top, mnt_attrs rec,
              rt_error *err);

/* A detached copy of `source` (a host path), recursive or not, idmapped
 * with the user namespace `userns_fd` (its top mount only, or all of it
 * with recursive_map).  */
int mnt_idmapped_tree (const char *source, bool recursive, bool recursive_map, int userns_fd, rt_error *err);

/* Attach the detached tree `tree` (made elsewhere, still owned by the
 * caller) on t.  Returns a new fd of the attached mount.  */
int mnt_attach (const mnt_target *t, int tree, rt_error *err);

/* Change the attributes of the mount whose root `fd` is (its top mount, or
 * the whole tree).  `what` names it for messages.  */
int mnt_setattr (int fd, const char *what, bool recursive, mnt_attrs a, rt_error *err);

/* mnt_setattr of `top` on the top mount, then of `rec` on the whole
 * tree, skipping empty changes.  */
int mnt_setattrs (int fd, const char *what, mnt_attrs top, mnt_attrs rec, rt_error *err);

/* Change the propagation of the mount at `fd` (MS_SHARED, MS_SLAVE,
 * MS_PRIVATE or MS_UNBINDABLE, | MS_REC for the whole tree).  */
int mnt_propagation (int fd, const char *what, unsigned long propagation, rt_error *err);

/* ---- internal steps ------------------------------------------------------ */

/* Is `dest` the same path as `path` after lexical cleaning ("/dev/",
 * "/dev/.")?  */
bool rootfs_dest_is (const char *dest, const char *path);

/* The attributes of a bind mount with these options: `top` for the top
 * mount, `rec` for the whole tree.  flags: o->flags without the
 * bind/remount ones (and ro when it is deferred).  */
void rootfs_bind_attrs (const mount_opts *o, unsigned long flags, mnt_attrs *top, mnt_attrs *rec);

/* Is this an idmapped bind mount (idmap, ridmap, or mount ID maps)?  */
bool rootfs_mount_idmapped (const spec_mount *m, const mount_opts *o);

/* Does the config give the container a private (or joined) mount
 * namespace?  */
bool rootfs_has_mountns (const spec *s);

/* One line of /proc/self/mountinfo, fields unescaped.  */
typedef struct mountinfo_entry
{
  int id;
  char *root;
  char *mountpoint;
  char *optional; /* "shared:1 master:2" ... */
  char *fstype;
  char *source;
  char *super_opts;
} mountinfo_entry;

/* Call fn for each mount of the current process; fn returns 0 to go on,
 * > 0 to stop (the walk then returns 0) or < 0 to fail with that value.  */
int rootfs_mountinfo_foreach (int (*fn) (const mountinfo_entry *e, void *data), void *data, rt_error *err);

/* The "cgroup" mount type (rootfs_cgroup.c).  Returns an fd of the mount
 * made at the destination (for propagation flags).  */
int rootfs_mount_cgroup (const rootfs_config *c, int root_fd, const spec_mount *m, const mount_opts *o,
                         rt_error *err);

/* A config mount of type "overlay" on t (rootfs_overlay.c).  Returns an
 * fd of the new mount.  */
int rootfs_mount_overlay (const rootfs_config *c, size_t index, const mnt_target *t, rt_error *err);

/* Devices, /dev symlinks and ptmx (rootfs_dev.c), before pivot.  */
int rootfs_setup_dev (const rootfs_config *c, int root_fd, rt_error *err);
/* Bind the console pty onto /dev/console, after pivot.  */
int rootfs_setup_console (const rootfs_config *c, int root_fd, rt_error *err);
/* Open /dev/null inside the root and check it is the real 1:3 device.
 * Returns an O_PATH fd.  */
int rootfs_open_dev_null (int root_fd, rt_error *err);

#endif
