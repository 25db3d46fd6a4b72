/* The pure logic of `update` (cgroup_update.c).  */
#ifndef RT_CGROUP_UPDATE_H
#define RT_CGROUP_UPDATE_H

#include "spec.h"

struct json_writer;

/* Drop what `update` does not change (devices, hugepages, network,
 * rdma), as runc ignores them.  */
void cg_update_restrict (spec_resources *u);
/* Complete the update `u` with the partners it must be written with,
 * from the container's current resources `old`: the other of quota and
 * period, the memory limit with a swap and the swap with a limit.  */
void cg_update_pair (spec_resources *u, const spec_resources *old);
/* Merge the update into the stored resources (per-device entries and
 * unified keys are replaced or added).  */
void cg_update_merge (spec_resources *dst, const spec_resources *u);

void cg_resources_write_json (struct json_writer *w, const spec_resources *r);
/* config.json text with linux.resources replaced by `r`, everything else
 * as it was.  */
char *cg_config_replace_resources (const char *config, size_t len, const spec_resources *r, rt_error *err);

#endif
