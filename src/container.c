/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "container.h"

bool
rt_context_rootless (const rt_context *ctx)
{
  (void) ctx;
  return false;
}

const char *
rt_status_name (enum rt_status s)
{
  (void) s;
  return NULL;
}

int
rt_container_create (const rt_context *ctx, const rt_create_opts *o, rt_error *err)
{
  (void) ctx;
  (void) o;
  (void) err;
  return rt_failx (err, ENOSYS, "rt_container_create: not implemented yet");
}

int
rt_container_run (const rt_context *ctx, const rt_create_opts *o, int *status, rt_error *err)
{
  (void) ctx;
  (void) o;
  (void) status;
  (void) err;
  return rt_failx (err, ENOSYS, "rt_container_run: not implemented yet");
}

int
rt_container_start (const rt_context *ctx, const char *id, rt_error *err)
{
  (void) ctx;
  (void) id;
  (void) err;
  return rt_failx (err, ENOSYS, "rt_container_start: not implemented yet");
}

int
rt_container_kill (const rt_context *ctx, const char *id, int sig, bool all, rt_error *err)
{
  (void) ctx;
  (void) id;
  (void) sig;
  (void) all;
  (void) err;
  return rt_failx (err, ENOSYS, "rt_container_kill: not implemented yet");
}

int
rt_container_delete (const rt_context *ctx, const char *id, bool force, rt_error *err)
{
  (void) ctx;
  (void) id;
  (void) force;
  (void) err;
  return rt_failx (err, ENOSYS, "rt_container_delete: not implemented yet");
}

void
rt_container_info_free (rt_container_info *info)
{
  (void) info;
}

int
rt_container_info_get (const rt_context *ctx, const char *id, rt_container_info *out, rt_error *err)
{
  (void) ctx;
  (void) id;
  (void) out;
  (void) err;
  return rt_failx (err, ENOSYS, "rt_container_info_get: not implemented yet");
}

int
rt_container_list (const rt_context *ctx, rt_container_info **out, size_t *n, rt_error *err)
{
  (void) ctx;
  (void) out;
  (void) n;
  (void) err;
  return rt_failx (err, ENOSYS, "rt_container_list: not implemented yet");
}
