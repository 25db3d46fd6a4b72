/* The config loader, part two: the tables of the `linux` object
 * (config-linux.md) and of `linux.resources`, which `update -r` also
 * loads on its own.  The walker is in spec_load.c.  */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "spec_load_priv.h"
#include "util.h"

/* runc's Go structs mark these strings `omitempty`, so runc cannot tell ""
   from an absent member; neither do we, where "" would fail a check.  */
static void
empty_is_absent (char **s)
{
  if (*s && **s == '\0')
    {
      free (*s);
      *s = NULL;
    }
}

/* One character out of `set`.  */
static bool
is_one_of (const char *s, const char *set)
{
  return s[0] != '\0' && s[1] == '\0' && strchr (set, s[0]) != NULL;
}

/* ---- linux.resources ------------------------------------------------------------ */

static int
check_device_cgroup (sl_ctx *c, const json_node *obj, void *dst)
{
  spec_device_cgroup *d = dst;

  empty_is_absent (&d->type);
  empty_is_absent (&d->access);
  if (d->type && !is_one_of (d->type, "acb"))
    return sl_fail_at (c, "type", "unknown device type \"%.64s\" (expected a, c or b)", d->type);
  if (d->access && d->access[strspn (d->access, "rwm")] != '\0')
    return sl_fail_at (c, "access", "\"%.64s\" is not a combination of r, w and m", d->access);
  return 0;
}

static const sl_field device_cgroup_fields[] = {
  SL_REQ (spec_device_cgroup, "allow", SL_BOOL, allow),
  SL_FIELD (spec_device_cgroup, "type", SL_STR, type),
  SL_OPT (spec_device_cgroup, "major", SL_I64, major),
  SL_OPT (spec_device_cgroup, "minor", SL_I64, minor),
  SL_FIELD (spec_device_cgroup, "access", SL_STR, access),
};
static const sl_type device_cgroup_type = SL_TYPE (spec_device_cgroup, device_cgroup_fields, check_device_cgroup);

static const sl_field memory_fields[] = {
  SL_OPT (spec_memory, "limit", SL_I64, limit),
  SL_OPT (spec_memory, "reservation", SL_I64, reservation),
  SL_OPT (spec_memory, "swap", SL_I64, swap),
  SL_OPT (spec_memory, "kernel", SL_I64, kernel),
  SL_OPT (spec_memory, "kernelTCP", SL_I64, kernel_tcp),
  SL_OPT (spec_memory, "swappiness", SL_U64, swappiness),
  SL_OPT (spec_memory, "disableOOMKiller", SL_BOOL, disable_oom_killer),
  SL_OPT (spec_memory, "useHierarchy", SL_BOOL, use_hierarchy),
  SL_OPT (spec_memory, "checkBeforeUpdate", SL_BOOL, check_before_update),
};
static const sl_type memory_type = SL_TYPE (spec_memory, memory_fields, NULL);

static const sl_field cpu_fields[] = {
  SL_OPT (spec_cpu, "shares", SL_U64, shares),
  SL_OPT (spec_cpu, "quota", SL_I64, quota),
  SL_OPT (spec_cpu, "burst", SL_U64, burst),
  SL_OPT (spec_cpu, "period", SL_U64, period),
  SL_OPT (spec_cpu, "realtimeRuntime", SL_I64, realtime_runtime),
  SL_OPT (spec_cpu, "realtimePeriod", SL_U64, realtime_period),
  SL_FIELD (spec_cpu, "cpus", SL_STR, cpus),
  SL_FIELD (spec_cpu, "mems", SL_STR, mems),
  SL_OPT (spec_cpu, "idle", SL_I64, idle),
};
static const sl_type cpu_type = SL_TYPE (spec_cpu, cpu_fields, NULL);

/* Since runtime-spec 1.3 pids.limit is OPTIONAL (it was REQUIRED before):
   an empty pids object sets nothing, so has_pids follows the limit.  */
static const sl_field pids_fields[] = {
  { "limit", SL_I64, false, offsetof (spec_resources, pids_limit), offsetof (spec_resources, has_pids), NULL },
};
static const sl_type pids_type = SL_TYPE (spec_resources, pids_fields, NULL);

static int
check_weight_device (sl_ctx *c, const json_node *obj, void *dst)
{
  const spec_weight_device *w = dst;

  if (!w->has_weight && !w->has_leaf_weight)
    return sl_fail (c, "at least one of weight and leafWeight is required");
  return 0;
}

static const sl_field weight_device_fields[] = {
  SL_REQ (spec_weight_device, "major", SL_I64, major),
  SL_REQ (spec_weight_device, "minor", SL_I64, minor),
  SL_OPT (spec_weight_device, "weight", SL_U16, weight),
  SL_OPT (spec_weight_device, "leafWeight", SL_U16, leaf_weight),
};
static const sl_type weight_device_type = SL_TYPE (spec_weight_device, weight_device_fields, check_weight_device);

static const sl_field throttle_device_fields[] = {
  SL_REQ (spec_throttle_device, "major", SL_I64, major),
  SL_REQ (spec_throttle_device, "minor", SL_I64, minor),
  SL_REQ (spec_throttle_device, "rate", SL_U64, rate),
};
static const sl_type throttle_device_type = SL_TYPE (spec_throttle_device, throttle_device_fields, NULL);

static const sl_field blkio_fields[] = {
  SL_OPT (spec_blkio, "weight", SL_U16, weight),
  SL_OPT (spec_blkio, "leafWeight", SL_U16, leaf_weight),
  SL_OBJS (spec_blkio, "weightDevice", weight_device, &weight_device_type),
  SL_OBJS (spec_blkio, "throttleReadBpsDevice", throttle_read_bps, &throttle_device_type),
  SL_OBJS (spec_blkio, "throttleWriteBpsDevice", throttle_write_bps, &throttle_device_type),
  SL_OBJS (spec_blkio, "throttleReadIOPSDevice", throttle_read_iops, &throttle_device_type),
  SL_OBJS (spec_blkio, "throttleWriteIOPSDevice", throttle_write_iops, &throttle_device_type),
};
static const sl_type blkio_type = SL_TYPE (spec_blkio, blkio_fields, NULL);

static const sl_field hugepage_fields[] = {
  SL_REQ (spec_hugepage_limit, "pageSize", SL_STR, page_size),
  SL_REQ (spec_hugepage_limit, "limit", SL_U64, limit),
};
static const sl_type hugepage_type = SL_TYPE (spec_hugepage_limit, hugepage_fields, NULL);

static const sl_field net_priority_fields[] = {
  SL_REQ (spec_net_priority, "name", SL_STR, name),
  SL_REQ (spec_net_priority, "priority", SL_U32, priority),
};
static const sl_type net_priority_type = SL_TYPE (spec_net_priority, net_priority_fields, NULL);

static const sl_field network_fields[] = {
  SL_OPT (spec_resources, "classID", SL_U32, net_class_id),
  SL_OBJS (spec_resources, "priorities", net_priorities, &net_priority_type),
};
static const sl_type network_type = SL_TYPE (spec_resources, network_fields, NULL);

static int
check_rdma (sl_ctx *c, const json_node *obj, void *dst)
{
  const spec_rdma *r = dst;

  if (!r->has_hca_handles && !r->has_hca_objects)
    return sl_fail (c, "at least one of hcaHandles and hcaObjects is required");
  return 0;
}

static const sl_field rdma_fields[] = {
  SL_OPT (spec_rdma, "hcaHandles", SL_U32, hca_handles),
  SL_OPT (spec_rdma, "hcaObjects", SL_U32, hca_objects),
};
static const sl_type rdma_type = SL_TYPE (spec_rdma, rdma_fields, check_rdma);

static const sl_field resources_fields[] = {
  SL_OBJS (spec_resources, "devices", devices, &device_cgroup_type),
  SL_NEW (spec_resources, "memory", memory, &memory_type),
  SL_NEW (spec_resources, "cpu", cpu, &cpu_type),
  SL_FLAT ("pids", SL_NONE, &pids_type),
  SL_NEW (spec_resources, "blockIO", block_io, &blkio_type),
  SL_OBJS (spec_resources, "hugepageLimits", hugepage_limits, &hugepage_type),
  SL_FLAT ("network", offsetof (spec_resources, has_network), &network_type),
  SL_MAP (spec_resources, "rdma", rdma, &rdma_type),
  SL_ARR (spec_resources, "unified", SL_STRMAP, unified),
};
const sl_type sl_resources_type = SL_TYPE (spec_resources, resources_fields, NULL);

/* ---- the rest of linux ----------------------------------------------------------- */

static int
check_namespace (sl_ctx *c, const json_node *obj, void *dst)
{
  spec_namespace *ns = dst;
  _cleanup_free_ char *type = NULL;
  int t;

  if (sl_get_string (c, obj, "type", true, &type) < 0)
    return -EINVAL;
  t = spec_ns_type_from_name (type);
  if (t < 0)
    return sl_fail_at (c, "type", "unknown namespace type \"%.64s\"", type);
  ns->type = (enum spec_ns_type) t;
  return 0;
}

static const sl_field namespace_fields[] = {
  SL_FIELD (spec_namespace, "path", SL_STR, path),
};
static const sl_type namespace_type = SL_TYPE (spec_namespace, namespace_fields, check_namespace);

static const sl_field device_numbers[] = {
  SL_REQ (spec_device, "major", SL_I64, major),
  SL_REQ (spec_device, "minor", SL_I64, minor),
};
static const sl_field fifo_numbers[] = {
  SL_FIELD (spec_device, "major", SL_I64, major),
  SL_FIELD (spec_device, "minor", SL_I64, minor),
};

static int
check_device (sl_ctx *c, const json_node *obj, void *dst)
{
  spec_device *d = dst;

  if (!is_one_of (d->type, "cbup"))
    return sl_fail_at (c, "type", "unknown device type \"%.64s\" (expected c, b, u or p)", d->type);
  /* A fifo has no device numbers; every other type needs both.  */
  return sl_get_fields (c, obj, d, d->type[0] == 'p' ? fifo_numbers : device_numbers, ARRAY_SIZE (device_numbers));
}

static const sl_field device_fields[] = {
  SL_REQ (spec_device, "path", SL_STR, path),
  SL_REQ (spec_device, "type", SL_STR, type),
  SL_OPT (spec_device, "fileMode", SL_U32, file_mode),
  SL_OPT (spec_device, "uid", SL_U32, uid),
  SL_OPT (spec_device, "gid", SL_U32, gid),
};
static const sl_type device_type = SL_TYPE (spec_device, device_fields, check_device);

static const sl_field seccomp_arg_fields[] = {
  SL_REQ (spec_seccomp_arg, "index", SL_U32, index),
  SL_REQ (spec_seccomp_arg, "value", SL_U64, value),
  SL_FIELD (spec_seccomp_arg, "valueTwo", SL_U64, value_two),
  SL_REQ (spec_seccomp_arg, "op", SL_STR, op),
};
static const sl_type seccomp_arg_type = SL_TYPE (spec_seccomp_arg, seccomp_arg_fields, NULL);

static int
check_syscall (sl_ctx *c, const json_node *obj, void *dst)
{
  const spec_seccomp_syscall *s = dst;

  if (s->n_names == 0)
    return sl_fail_at (c, "names", "at least one entry is required");
  return 0;
}

static const sl_field syscall_fields[] = {
  SL_REQ_ARR (spec_seccomp_syscall, "names", SL_STRV, names),
  SL_REQ (spec_seccomp_syscall, "action", SL_STR, action),
  SL_OPT (spec_seccomp_syscall, "errnoRet", SL_U32, errno_ret),
  SL_OBJS (spec_seccomp_syscall, "args", args, &seccomp_arg_type),
};
static const sl_type syscall_type = SL_TYPE (spec_seccomp_syscall, syscall_fields, check_syscall);

static const sl_field seccomp_fields[] = {
  SL_REQ (spec_seccomp, "defaultAction", SL_STR, default_action),
  SL_OPT (spec_seccomp, "defaultErrnoRet", SL_U32, default_errno_ret),
  SL_ARR (spec_seccomp, "architectures", SL_STRV, architectures),
  SL_ARR (spec_seccomp, "flags", SL_STRV, flags),
  SL_FIELD (spec_seccomp, "listenerPath", SL_STR, listener_path),
  SL_FIELD (spec_seccomp, "listenerMetadata", SL_STR, listener_metadata),
  SL_OBJS (spec_seccomp, "syscalls", syscalls, &syscall_type),
};
static const sl_type seccomp_type = SL_TYPE (spec_seccomp, seccomp_fields, NULL);

/* enableCMT and enableMBM (1.1 to 1.2) became enableMonitoring in 1.3;
   the old names are still read so older configs keep their meaning.  */
static const sl_field intel_rdt_fields[] = {
  SL_FIELD (spec_intel_rdt, "closID", SL_STR, clos_id),
  SL_ARR (spec_intel_rdt, "schemata", SL_STRV, schemata),
  SL_FIELD (spec_intel_rdt, "l3CacheSchema", SL_STR, l3_cache_schema),
  SL_FIELD (spec_intel_rdt, "memBwSchema", SL_STR, mem_bw_schema),
  SL_FIELD (spec_intel_rdt, "enableMonitoring", SL_BOOL, enable_monitoring),
  SL_FIELD (spec_intel_rdt, "enableCMT", SL_BOOL, enable_cmt),
  SL_FIELD (spec_intel_rdt, "enableMBM", SL_BOOL, enable_mbm),
};
static const sl_type intel_rdt_type = SL_TYPE (spec_intel_rdt, intel_rdt_fields, NULL);

static const sl_field personality_fields[] = {
  SL_REQ (spec_personality, "domain", SL_STR, domain),
  SL_ARR (spec_personality, "flags", SL_STRV, flags),
};
static const sl_type personality_type = SL_TYPE (spec_personality, personality_fields, NULL);

static int
check_time_offset (sl_ctx *c, const json_node *obj, void *dst)
{
  const spec_time_offset *t = dst;

  /* The only clocks a time namespace can offset.  */
  if (strcmp (t->clock, "monotonic") != 0 && strcmp (t->clock, "boottime") != 0)
    return sl_fail (c, "unknown clock (expected monotonic or boottime)");
  if (t->nanosecs >= 1000000000)
    return sl_fail_at (c, "nanosecs", "%" PRIu32 " is out of range (0..999999999)", t->nanosecs);
  return 0;
}

static const sl_field time_offset_fields[] = {
  SL_FIELD (spec_time_offset, "secs", SL_I64, secs),
  SL_FIELD (spec_time_offset, "nanosecs", SL_U32, nanosecs),
};
static const sl_type time_offset_type = SL_TYPE (spec_time_offset, time_offset_fields, check_time_offset);

static const sl_field net_device_fields[] = {
  SL_FIELD (spec_net_device, "name", SL_STR, name),
};
static const sl_type net_device_type = SL_TYPE (spec_net_device, net_device_fields, NULL);

static const sl_field memory_policy_fields[] = {
  SL_REQ (spec_memory_policy, "mode", SL_STR, mode),
  SL_FIELD (spec_memory_policy, "nodes", SL_STR, nodes),
  SL_ARR (spec_memory_policy, "flags", SL_STRV, flags),
};
static const sl_type memory_policy_type = SL_TYPE (spec_memory_policy, memory_policy_fields, NULL);

static int
check_linux (sl_ctx *c, const json_node *obj, void *dst)
{
  static const char *const propagations[] = {
    "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable",
  };
  spec_linux *l = dst;
  unsigned seen = 0;

  for (size_t i = 0; i < l->n_namespaces; i++)
    {
      unsigned bit = 1u << l->namespaces[i].type;

      if (seen & bit)
        {
          size_t mark = sl_push_key (c, "namespaces");
          sl_push_index (c, i);
          sl_fail_at (c, "type", "namespace type \"%s\" is listed twice", spec_ns_type_name (l->namespaces[i].type));
          sl_pop (c, mark);
          return -EINVAL;
        }
      seen |= bit;
    }

  empty_is_absent (&l->rootfs_propagation);
  if (l->rootfs_propagation)
    {
      for (size_t i = 0; i < ARRAY_SIZE (propagations); i++)
        if (strcmp (l->rootfs_propagation, propagations[i]) == 0)
          return 0;
      return sl_fail_at (c, "rootfsPropagation",
                         "unknown propagation \"%.64s\" (expected shared, slave, private or unbindable, "
                         "optionally prefixed with r)",
                         l->rootfs_propagation);
    }
  return 0;
}

static const sl_field linux_fields[] = {
  SL_OBJS (spec_linux, "uidMappings", uid_mappings, &sl_idmap_type),
  SL_OBJS (spec_linux, "gidMappings", gid_mappings, &sl_idmap_type),
  SL_ARR (spec_linux, "sysctl", SL_STRMAP, sysctl),
  SL_NEW (spec_linux, "resources", resources, &sl_resources_type),
  SL_FIELD (spec_linux, "cgroupsPath", SL_STR, cgroups_path),
  SL_OBJS (spec_linux, "namespaces", namespaces, &namespace_type),
  SL_OBJS (spec_linux, "devices", devices, &device_type),
  SL_MAP (spec_linux, "netDevices", net_devices, &net_device_type),
  SL_NEW (spec_linux, "seccomp", seccomp, &seccomp_type),
  SL_FIELD (spec_linux, "rootfsPropagation", SL_STR, rootfs_propagation),
  SL_ARR (spec_linux, "maskedPaths", SL_STRV, masked_paths),
  SL_ARR (spec_linux, "readonlyPaths", SL_STRV, readonly_paths),
  SL_FIELD (spec_linux, "mountLabel", SL_STR, mount_label),
  SL_NEW (spec_linux, "intelRdt", intel_rdt, &intel_rdt_type),
  SL_NEW (spec_linux, "personality", personality, &personality_type),
  SL_MAP (spec_linux, "timeOffsets", time_offsets, &time_offset_type),
  SL_NEW (spec_linux, "memoryPolicy", memory_policy, &memory_policy_type),
};
const sl_type sl_linux_type = SL_TYPE (spec_linux, linux_fields, check_linux);
