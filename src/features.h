/* The OCI "features" document (`runc features`): what this build
 * recognises, assembled from the name lists of the modules that implement
 * each part and from one table of what is implemented at all.  */
#ifndef RT_FEATURES_H
#define RT_FEATURES_H

#include <stdbool.h>

/* One switch per optional feature.  When a feature lands, flip its switch
 * in features.c; everything that reports it (features, annotations) reads
 * this table.  */
typedef struct features_impl
{
  bool hooks;
  bool apparmor;
  bool selinux;
  bool intel_rdt;
  bool intel_rdt_schemata;   /* linux.intelRdt.schemata */
  bool intel_rdt_monitoring; /* linux.intelRdt.enableMonitoring */
  bool memory_policy;
  bool net_devices;
  bool idmap_mounts;
  bool seccomp_notify; /* SCMP_ACT_NOTIFY and listenerPath */
  bool cgroup_v1;
  bool cgroup_v2;
  bool cgroup_systemd;
  bool cgroup_systemd_user;
  bool cgroup_rdma;
  bool checkpoint; /* checkpoint/restore through CRIU */
} features_impl;

extern const features_impl features_implemented;

/* The document, indented with 4 spaces like runc's, without a trailing
 * newline.  malloc'd; cannot fail.  */
char *features_json (void);

#endif
