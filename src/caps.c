/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "caps.h"

const char *const caps_all_names[] = { NULL };
int
caps_from_name (const char *name)
{
  (void) name;
  return -ENOSYS;
}

const char *
caps_name (int cap)
{
  (void) cap;
  return NULL;
}

int
caps_last_cap (void)
{

  return -ENOSYS;
}

int
caps_plan_from_spec (const spec_capabilities *c, caps_plan *out, rt_error *err)
{
  (void) c;
  (void) out;
  (void) err;
  return rt_failx (err, ENOSYS, "caps_plan_from_spec: not implemented yet");
}

int
caps_apply_bounding (const caps_plan *p, rt_error *err)
{
  (void) p;
  (void) err;
  return rt_failx (err, ENOSYS, "caps_apply_bounding: not implemented yet");
}

int
caps_apply (const caps_plan *p, rt_error *err)
{
  (void) p;
  (void) err;
  return rt_failx (err, ENOSYS, "caps_apply: not implemented yet");
}
