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
 * always added.  With O_CREAT an existing file is opened (following
 * symlinks inside the root) and otherwise the final component is created
 * in its resolved parent with O_EXCL|O_NOFOLLOW: never through a dangling
 * symlink, which is an error.  */
int pr_open_in_root (int root_fd, const char *path, int flags, mode_t mode, rt_error *err);

/* mkdir -p inside the root; returns an O_PATH|O_DIRECTORY fd of the last
 * directory.  Intermediate symlinks are followed only inside the root; a
 * dangling symlink where a directory must be created is an error.  mode is
 * subject to the umask.  */
int pr_mkdir_in_root (int root_fd, const char *path, mode_t mode, rt_error *err);

/* Make sure a mount target exists inside the root: a directory, or (when
 * `is_file`) an empty regular file, creating parents as needed.  Returns an
 * O_PATH fd of the target.  An existing target of the other kind (a
 * directory for a file, or the reverse) is an error, EISDIR or ENOTDIR.  */
int pr_mkmount_target (int root_fd, const char *path, bool is_file, rt_error *err);

/* The path of an O_PATH fd as the kernel sees it (readlink of
 * /proc/self/fd/N), for mount(2) calls that still need a string and for
 * messages.  Returns a malloc'd string or NULL with err set.  */
char *pr_fd_path (int fd, rt_error *err);

/* "/proc/self/fd/N" for using an fd as a path argument.  buf >= 32.  */
const char *pr_fd_proc_path (int fd, char *buf, size_t len);

/* For tests: use the userspace walk even where openat2 works, so that
 * both implementations are exercised.  */
void pr_set_force_fallback (bool on);
/* Is resolution going through the userspace walk (forced, or openat2
 * returned ENOSYS)?  */
bool pr_using_fallback (void);

#endif
