/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "pathres.h"

int
pr_open_in_root (int root_fd, const char *path, int flags, mode_t mode, rt_error *err)
{
  (void) root_fd;
  (void) path;
  (void) flags;
  (void) mode;
  (void) err;
  return rt_failx (err, ENOSYS, "pr_open_in_root: not implemented yet");
}

int
pr_mkdir_in_root (int root_fd, const char *path, mode_t mode, rt_error *err)
{
  (void) root_fd;
  (void) path;
  (void) mode;
  (void) err;
  return rt_failx (err, ENOSYS, "pr_mkdir_in_root: not implemented yet");
}

int
pr_mkmount_target (int root_fd, const char *path, bool is_file, rt_error *err)
{
  (void) root_fd;
  (void) path;
  (void) is_file;
  (void) err;
  return rt_failx (err, ENOSYS, "pr_mkmount_target: not implemented yet");
}

char *
pr_fd_path (int fd, rt_error *err)
{
  (void) fd;
  (void) err;
  rt_failx (err, ENOSYS, "pr_fd_path: not implemented yet");
  return NULL;
}

const char *
pr_fd_proc_path (int fd, char *buf, size_t len)
{
  (void) fd;
  (void) buf;
  (void) len;
  return NULL;
}
