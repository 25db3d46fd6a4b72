/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "syscall_filter.h"

const char *const sfilter_actions[] = { NULL };
const char *const sfilter_operators[] = { NULL };
const char *const sfilter_archs[] = { NULL };
const char *const sfilter_known_flags[] = { NULL };
int
sfilter_build (const spec_seccomp *s, sfilter **out, rt_error *err)
{
  (void) s;
  (void) out;
  (void) err;
  return rt_failx (err, ENOSYS, "sfilter_build: not implemented yet");
}

int
sfilter_load (const sfilter *f, int *listener_fd, rt_error *err)
{
  (void) f;
  (void) listener_fd;
  (void) err;
  return rt_failx (err, ENOSYS, "sfilter_load: not implemented yet");
}

bool
sfilter_uses_notify (const sfilter *f)
{
  (void) f;
  return false;
}

void
sfilter_free (sfilter *f)
{
  (void) f;
}

const char *const *
sfilter_supported_flags (void)
{

  return NULL;
}

const char *
sfilter_libseccomp_version (void)
{

  return NULL;
}
