/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "signals.h"

int
sig_parse (const char *s, int *out, rt_error *err)
{
  (void) s;
  (void) out;
  (void) err;
  return rt_failx (err, ENOSYS, "sig_parse: not implemented yet");
}

const char *
sig_name (int sig)
{
  (void) sig;
  return NULL;
}
