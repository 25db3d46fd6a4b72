/* The configuration `runc spec` writes: runc's example config.json for
 * runtime-spec 1.3.0, and its rootless variant.  Pure text generation; the
 * CLI decides where it goes.  */
#ifndef RT_SPEC_DEFAULT_H
#define RT_SPEC_DEFAULT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct spec_default_opts
{
  bool rootless;     /* user namespace mapping host_uid/host_gid to 0, host network,
                        /sys bind-mounted, no uid=/gid= mount options, no resources */
  uint32_t host_uid; /* only used with rootless */
  uint32_t host_gid;
  bool cgroup_ns; /* add a cgroup namespace (runc does on pure cgroup v2 hosts) */
} spec_default_opts;

/* The options for this host and caller: effective IDs and the cgroup
 * layout.  */
void spec_default_opts_host (spec_default_opts *o, bool rootless);

/* Is /sys/fs/cgroup itself a cgroup2 mount (no v1 hierarchies)?  */
bool spec_host_cgroup2_unified (void);

/* The document as runc writes it: Go's json.MarshalIndent with a tab,
 * fields in Go struct order, no trailing newline.  malloc'd; cannot fail.  */
char *spec_default_json (const spec_default_opts *o);

#endif
