/* Internal interface between cgroup.c and the drivers.  */
#ifndef RT_CGROUP_PRIV_H
#define RT_CGROUP_PRIV_H

#include "cgroup.h"

/* cgroupfs driver (v1, v2 and hybrid), cgroup_fs.c.  */
int cg_fs_plan (cg_manager *m, const cg_config *cfg, rt_error *err);
int cg_fs_load (cg_manager *m, const char *serialized, rt_error *err);
char *cg_fs_serialize (const cg_manager *m);

/* The container's directory in the unified hierarchy (v2 or hybrid), or
 * NULL.  */
const char *cg_fs_unified_path (const cg_manager *m);

#endif
