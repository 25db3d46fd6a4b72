/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "state.h"

int
state_root_resolve (const char *opt_root, char **out, rt_error *err)
{
  (void) opt_root;
  (void) out;
  (void) err;
  return rt_failx (err, ENOSYS, "state_root_resolve: not implemented yet");
}

int
state_root_open (const char *root, bool create, rt_error *err)
{
  (void) root;
  (void) create;
  (void) err;
  return rt_failx (err, ENOSYS, "state_root_open: not implemented yet");
}

int
state_validate_id (const char *id, rt_error *err)
{
  (void) id;
  (void) err;
  return rt_failx (err, ENOSYS, "state_validate_id: not implemented yet");
}

int
state_dir_create (int root_fd, const char *id, rt_error *err)
{
  (void) root_fd;
  (void) id;
  (void) err;
  return rt_failx (err, ENOSYS, "state_dir_create: not implemented yet");
}

int
state_dir_open (int root_fd, const char *id, bool exclusive, rt_error *err)
{
  (void) root_fd;
  (void) id;
  (void) exclusive;
  (void) err;
  return rt_failx (err, ENOSYS, "state_dir_open: not implemented yet");
}

int
state_dir_remove (int root_fd, const char *id, rt_error *err)
{
  (void) root_fd;
  (void) id;
  (void) err;
  return rt_failx (err, ENOSYS, "state_dir_remove: not implemented yet");
}

int
state_list_ids (int root_fd, char ***ids, size_t *n, rt_error *err)
{
  (void) root_fd;
  (void) ids;
  (void) n;
  (void) err;
  return rt_failx (err, ENOSYS, "state_list_ids: not implemented yet");
}

void
rt_state_free (rt_state *st)
{
  (void) st;
}

int
state_write (int dir_fd, const rt_state *st, rt_error *err)
{
  (void) dir_fd;
  (void) st;
  (void) err;
  return rt_failx (err, ENOSYS, "state_write: not implemented yet");
}

int
state_read (int dir_fd, rt_state *st, rt_error *err)
{
  (void) dir_fd;
  (void) st;
  (void) err;
  return rt_failx (err, ENOSYS, "state_read: not implemented yet");
}

int
proc_start_time (pid_t pid, uint64_t *out)
{
  (void) pid;
  (void) out;
  return -ENOSYS;
}

bool
proc_alive (pid_t pid, uint64_t start_time)
{
  (void) pid;
  (void) start_time;
  return false;
}

char *
rfc3339_now (void)
{

  return NULL;
}
