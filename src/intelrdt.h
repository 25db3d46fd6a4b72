/* linux.intelRdt: cache and memory-bandwidth allocation (CAT, MBA) and
 * monitoring through the resctrl filesystem.
 *
 * The container gets a CLOS group, <resctrl>/<closID> (or <resctrl>/<id>
 * when closID is absent, as runc names it), whose `schemata` file receives
 * l3CacheSchema, memBwSchema and schemata as the spec orders them; its
 * processes are listed in the group's `tasks` -- or, with
 * enableMonitoring (enableCMT/enableMBM before 1.3), in a monitoring group
 * <group>/mon_groups/<id>, which also places them in the CLOS group.
 *
 * A closID group that exists already is shared with others: it is never
 * written, its schemata must match what the config asks for, and it is not
 * removed on delete.  A group named after the container is.
 *
 * Every function takes the resctrl mount point, so the tests can use a
 * directory that imitates one.  */
#ifndef RT_INTELRDT_H
#define RT_INTELRDT_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

#define RDT_ROOT_DEFAULT "/sys/fs/resctrl"

/* The lines to write to `schemata`, in two writes: *legacy from
 * l3CacheSchema and memBwSchema (the MB: lines of l3CacheSchema replaced
 * by memBwSchema when that is set), then *extra from `schemata`, written
 * last.  Each is newline-terminated, or NULL when there is nothing.  */
void rdt_build_schemata (const spec_intel_rdt *r, char **legacy, char **extra);

/* Whether `schemata_file` (the text of a group's schemata file) already
 * says what `wanted` asks for: every domain of every resource named in
 * `wanted` has the same value, compared as numbers (the kernel prints
 * masks with leading zeros).  On a mismatch, err names the line.  */
int rdt_schemata_match (const char *schemata_file, const char *wanted, rt_error *err);

/* Before anything is created: closID is a plain name, and resctrl is
 * mounted at `root`, e.g.
 *   linux.intelRdt: Intel RDT is not available: resctrl is not mounted on
 *   /sys/fs/resctrl  */
int rdt_check (const char *root, const spec_intel_rdt *r, rt_error *err);

/* Create (or check) the group, write its schemata, and add `pid`.  */
int rdt_apply (const char *root, const char *id, const spec_intel_rdt *r, pid_t pid, rt_error *err);
/* Add a process of an existing container (exec); nothing when the group
 * does not exist.  */
int rdt_join (const char *root, const char *id, const spec_intel_rdt *r, pid_t pid, rt_error *err);
/* Remove the monitoring group, and the CLOS group when it is named after
 * the container.  Groups already gone are not an error.  */
int rdt_remove (const char *root, const char *id, const spec_intel_rdt *r, rt_error *err);

#endif
