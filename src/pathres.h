/* Path resolution inside a container root.
 *
 * Every path that comes from config.json or from the image is resolved
 * relative to an fd of the rootfs with openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS), so absolute symlinks, ".." and loops in the
 * image can never reach the host.  Where openat2 is missing (ENOSYS) a
 * userspace walk with the same semantics is used: one O_PATH|O_NOFOLLOW
 * component at a time, symlinks re-resolved against the root, at most 40.  */
#ifndef RT_PATHRES_H
#define RT_PATHRES_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* Open `path` inside the root.  flags are open(2) flags; O_CLOEXEC is
 * always added.  With O_CREAT the final component is created inside the
 * root (never through a symlink).  */
int pr_open_in_root (int root_fd, const char *path, int flags, mode_t mode, rt_error *err);

/* mkdir -p inside the root; returns an O_PATH|O_DIRECTORY fd of the last
 * directory.  Intermediate symlinks are followed only inside the root.  */
int pr_mkdir_in_root (int root_fd, const char *path, mode_t mode, rt_error *err);

/* Make sure a mount target exists inside the root: a directory, or (when
 * `is_file`) an empty regular file, creating parents as needed.  Returns an
 * O_PATH fd of the target.  */
int pr_mkmount_target (int root_fd, const char *path, bool is_file, rt_error *err);

/* The path of an O_PATH fd as the kernel sees it (readlink of
 * /proc/self/fd/N), for mount(2) calls that still need a string and for
 * messages.  Returns a malloc'd string or NULL with err set.  */
char *pr_fd_path (int fd, rt_error *err);

/* "/proc/self/fd/N" for using an fd as a path argument.  buf >= 32.  */
const char *pr_fd_proc_path (int fd, char *buf, size_t len);

#endif
