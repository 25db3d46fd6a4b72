/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "mountopt.h"

const char *const mountopt_known[] = { NULL };
int
mountopt_parse (char *const *opts, size_t n, const char *what, mount_opts *out, rt_error *err)
{
  (void) opts;
  (void) n;
  (void) what;
  (void) out;
  (void) err;
  return rt_failx (err, ENOSYS, "mountopt_parse: not implemented yet");
}

void
mountopt_free (mount_opts *o)
{
  (void) o;
}
