/* Capabilities: name tables, planning from the spec (pure) and applying
 * through libcap.  */
#ifndef RT_CAPS_H
#define RT_CAPS_H

#include <stdint.h>

#include "error.h"
#include "spec.h"

typedef struct caps_plan
{
  uint64_t bounding;
  uint64_t effective;
  uint64_t inheritable;
  uint64_t permitted;
  uint64_t ambient;
} caps_plan;

/* "CAP_SYS_ADMIN" -> 21; -EINVAL for an unknown name.  */
int caps_from_name (const char *name);
const char *caps_name (int cap);
/* Highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
int caps_last_cap (void);
/* Every capability name this build knows, for `features`.  NULL-terminated.  */
extern const char *const caps_all_names[];

/* Translate the spec's five lists into bit sets.  Capabilities unknown to
 * this build or above the kernel's cap_last_cap are dropped with one
 * warning (rt_warn), worded as runc's: "ignoring unknown or unavailable
 * capabilities: [CAP_A CAP_B]".  Ambient entries not also inheritable and
 * permitted (which the kernel would refuse) are dropped with runc's
 * "unable to set Ambient capabilities ..." warning.  A NULL spec gives the
 * empty plan (everything dropped, as runc does).  Pure apart from reading
 * cap_last_cap: run it in the runtime, before the fork.  */
int caps_plan_from_spec (const spec_capabilities *c, caps_plan *out, rt_error *err);

/* Drop everything not in plan->bounding from the bounding set.  Needs
 * CAP_SETPCAP, so it runs before the identity change.  */
int caps_apply_bounding (const caps_plan *p, rt_error *err);
/* Set effective, permitted and inheritable (cap_set_proc), then clear and
 * raise the ambient set.  Runs after proc_set_identity, which holds
 * PR_SET_KEEPCAPS across setresuid so that permitted survives.  */
int caps_apply (const caps_plan *p, rt_error *err);

#endif
