/* The OCI runtime-spec 1.3 configuration (Linux part), as the project's own
 * typed structs.  config.json is parsed exactly once, by spec_load(), into
 * these; nothing outside src/json.c knows what JSON library is used.
 *
 * Conventions:
 *  - strings are malloc'd `char *`; NULL means "absent";
 *  - arrays are a pointer plus an `n_` count;
 *  - an optional scalar has a `has_` flag next to it;
 *  - string maps are arrays of spec_kv, in document order.  */
#ifndef RT_SPEC_H
#define RT_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct spec_kv
{
  char *key;
  char *value;
} spec_kv;

typedef struct spec_idmap
{
  uint32_t container_id;
  uint32_t host_id;
  uint32_t size;
} spec_idmap;

/* ---- process ---------------------------------------------------------- */

typedef struct spec_user
{
  uint32_t uid;
  uint32_t gid;
  bool has_umask;
  uint32_t umask;
  uint32_t *additional_gids;
  size_t n_additional_gids;
  char *username; /* windows-only in the spec; kept for completeness */
} spec_user;

typedef struct spec_capabilities
{
  char **bounding;
  size_t n_bounding;
  char **effective;
  size_t n_effective;
  char **inheritable;
  size_t n_inheritable;
  char **permitted;
  size_t n_permitted;
  char **ambient;
  size_t n_ambient;
} spec_capabilities;

typedef struct spec_rlimit
{
  char *type; /* "RLIMIT_NOFILE" ... */
  uint64_t hard;
  uint64_t soft;
} spec_rlimit;

typedef struct spec_scheduler
{
  char *policy; /* SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE, SCHED_DEADLINE */
  int32_t nice;
  int32_t priority;
  char **flags; /* SCHED_FLAG_* */
  size_t n_flags;
  uint64_t runtime;
  uint64_t deadline;
  uint64_t period;
} spec_scheduler;

typedef struct spec_io_priority
{
  char *class_; /* IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE */
  int32_t priority;
} spec_io_priority;

typedef struct spec_cpu_affinity
{
  char *initial; /* cpu list, e.g. "0-3,7" */
  char *final;
} spec_cpu_affinity;

typedef struct spec_process
{
  bool terminal;
  bool has_console_size;
  uint32_t console_height;
  uint32_t console_width;
  spec_user user;
  char **args;
  size_t n_args;
  char *command_line; /* windows-only */
  char **env;
  size_t n_env;
  char *cwd;
  spec_capabilities *capabilities; /* NULL when absent */
  spec_rlimit *rlimits;
  size_t n_rlimits;
  bool no_new_privileges;
  char *apparmor_profile;
  bool has_oom_score_adj;
  int32_t oom_score_adj;
  spec_scheduler *scheduler;
  char *selinux_label;
  spec_io_priority *io_priority;
  spec_cpu_affinity *exec_cpu_affinity;
} spec_process;

/* ---- root, mounts, hooks ------------------------------------------------ */

typedef struct spec_root
{
  char *path;
  bool readonly;
} spec_root;

typedef struct spec_mount
{
  char *destination;
  char *type;
  char *source;
  char **options;
  size_t n_options;
  spec_idmap *uid_mappings;
  size_t n_uid_mappings;
  spec_idmap *gid_mappings;
  size_t n_gid_mappings;
} spec_mount;

typedef struct spec_hook
{
  char *path;
  char **args;
  size_t n_args;
  char **env;
  size_t n_env;
  bool has_timeout;
  int32_t timeout; /* seconds; must be > 0 when present */
} spec_hook;

typedef struct spec_hooks
{
  spec_hook *prestart;
  size_t n_prestart;
  spec_hook *create_runtime;
  size_t n_create_runtime;
  spec_hook *create_container;
  size_t n_create_container;
  spec_hook *start_container;
  size_t n_start_container;
  spec_hook *poststart;
  size_t n_poststart;
  spec_hook *poststop;
  size_t n_poststop;
} spec_hooks;

/* ---- linux.resources ---------------------------------------------------- */

typedef struct spec_device_cgroup
{
  bool allow;
  char *type; /* "a", "c", "b"; NULL = all */
  bool has_major;
  int64_t major;
  bool has_minor;
  int64_t minor;
  char *access; /* "rwm" subset; NULL = all */
} spec_device_cgroup;

typedef struct spec_memory
{
  bool has_limit;
  int64_t limit;
  bool has_reservation;
  int64_t reservation;
  bool has_swap;
  int64_t swap;
  bool has_kernel;
  int64_t kernel;
  bool has_kernel_tcp;
  int64_t kernel_tcp;
  bool has_swappiness;
  uint64_t swappiness;
  bool has_disable_oom_killer;
  bool disable_oom_killer;
  bool has_use_hierarchy;
  bool use_hierarchy;
  bool has_check_before_update;
  bool check_before_update;
} spec_memory;

typedef struct spec_cpu
{
  bool has_shares;
  uint64_t shares;
  bool has_quota;
  int64_t quota;
  bool has_burst;
  uint64_t burst;
  bool has_period;
  uint64_t period;
  bool has_realtime_runtime;
  int64_t realtime_runtime;
  bool has_realtime_period;
  uint64_t realtime_period;
  char *cpus;
  char *mems;
  bool has_idle;
  int64_t idle;
} spec_cpu;

typedef struct spec_weight_device
{
  int64_t major;
  int64_t minor;
  bool has_weight;
  uint16_t weight;
  bool has_leaf_weight;
  uint16_t leaf_weight;
} spec_weight_device;

typedef struct spec_throttle_device
{
  int64_t major;
  int64_t minor;
  uint64_t rate;
} spec_throttle_device;

typedef struct spec_blkio
{
  bool has_weight;
  uint16_t weight;
  bool has_leaf_weight;
  uint16_t leaf_weight;
  spec_weight_device *weight_device;
  size_t n_weight_device;
  spec_throttle_device *throttle_read_bps;
  size_t n_throttle_read_bps;
  spec_throttle_device *throttle_write_bps;
  size_t n_throttle_write_bps;
  spec_throttle_device *throttle_read_iops;
  size_t n_throttle_read_iops;
  spec_throttle_device *throttle_write_iops;
  size_t n_throttle_write_iops;
} spec_blkio;

typedef struct spec_hugepage_limit
{
  char *page_size; /* "2MB", "1GB", ... */
  uint64_t limit;
} spec_hugepage_limit;

typedef struct spec_net_priority
{
  char *name;
  uint32_t priority;
} spec_net_priority;

typedef struct spec_rdma
{
  char *device; /* map key */
  bool has_hca_handles;
  uint32_t hca_handles;
  bool has_hca_objects;
  uint32_t hca_objects;
} spec_rdma;

typedef struct spec_resources
{
  spec_device_cgroup *devices;
  size_t n_devices;
  spec_memory *memory;
  spec_cpu *cpu;
  bool has_pids;
  int64_t pids_limit; /* <= 0 means unlimited, as runc */
  spec_blkio *block_io;
  spec_hugepage_limit *hugepage_limits;
  size_t n_hugepage_limits;
  bool has_network;
  bool has_net_class_id;
  uint32_t net_class_id;
  spec_net_priority *net_priorities;
  size_t n_net_priorities;
  spec_rdma *rdma;
  size_t n_rdma;
  spec_kv *unified;
  size_t n_unified;
} spec_resources;

/* ---- the rest of linux -------------------------------------------------- */

enum spec_ns_type
{
  SPEC_NS_PID,
  SPEC_NS_NETWORK,
  SPEC_NS_MOUNT,
  SPEC_NS_IPC,
  SPEC_NS_UTS,
  SPEC_NS_USER,
  SPEC_NS_CGROUP,
  SPEC_NS_TIME,
  SPEC_NS__COUNT
};

typedef struct spec_namespace
{
  enum spec_ns_type type;
  char *path; /* NULL = create a new one */
} spec_namespace;

typedef struct spec_device
{
  char *path;
  char *type; /* "c", "b", "u", "p" */
  int64_t major;
  int64_t minor;
  bool has_file_mode;
  uint32_t file_mode;
  bool has_uid;
  uint32_t uid;
  bool has_gid;
  uint32_t gid;
} spec_device;

typedef struct spec_seccomp_arg
{
  uint32_t index;
  uint64_t value;
  uint64_t value_two;
  char *op; /* SCMP_CMP_* */
} spec_seccomp_arg;

typedef struct spec_seccomp_syscall
{
  char **names;
  size_t n_names;
  char *action; /* SCMP_ACT_* */
  bool has_errno_ret;
  uint32_t errno_ret;
  spec_seccomp_arg *args;
  size_t n_args;
} spec_seccomp_syscall;

typedef struct spec_seccomp
{
  char *default_action;
  bool has_default_errno_ret;
  uint32_t default_errno_ret;
  char **architectures; /* SCMP_ARCH_* */
  size_t n_architectures;
  char **flags; /* SECCOMP_FILTER_FLAG_* */
  size_t n_flags;
  char *listener_path;
  char *listener_metadata;
  spec_seccomp_syscall *syscalls;
  size_t n_syscalls;
} spec_seccomp;

typedef struct spec_intel_rdt
{
  char *clos_id;
  char **schemata;
  size_t n_schemata;
  char *l3_cache_schema;
  char *mem_bw_schema;
  bool enable_monitoring;
  bool enable_cmt; /* pre-1.3 names, still accepted */
  bool enable_mbm;
} spec_intel_rdt;

typedef struct spec_personality
{
  char *domain; /* "LINUX", "LINUX32" */
  char **flags;
  size_t n_flags;
} spec_personality;

typedef struct spec_time_offset
{
  char *clock; /* map key: "monotonic", "boottime" */
  int64_t secs;
  uint32_t nanosecs;
} spec_time_offset;

typedef struct spec_net_device
{
  char *host_name; /* map key: interface name on the host */
  char *name;      /* name inside the container; NULL = keep host_name */
} spec_net_device;

typedef struct spec_memory_policy
{
  char *mode; /* MPOL_* */
  char *nodes;
  char **flags; /* MPOL_F_* */
  size_t n_flags;
} spec_memory_policy;

typedef struct spec_linux
{
  spec_idmap *uid_mappings;
  size_t n_uid_mappings;
  spec_idmap *gid_mappings;
  size_t n_gid_mappings;
  spec_kv *sysctl;
  size_t n_sysctl;
  spec_resources *resources;
  char *cgroups_path;
  spec_namespace *namespaces;
  size_t n_namespaces;
  spec_device *devices;
  size_t n_devices;
  spec_seccomp *seccomp;
  char *rootfs_propagation;
  char **masked_paths;
  size_t n_masked_paths;
  char **readonly_paths;
  size_t n_readonly_paths;
  char *mount_label;
  spec_intel_rdt *intel_rdt;
  spec_personality *personality;
  spec_time_offset *time_offsets;
  size_t n_time_offsets;
  spec_net_device *net_devices;
  size_t n_net_devices;
  spec_memory_policy *memory_policy;
} spec_linux;

typedef struct spec
{
  char *oci_version;
  spec_process *process; /* NULL when absent: the spec allows it; `create`/`run` must require it */
  spec_root *root;
  char *hostname;
  char *domainname;
  spec_mount *mounts;
  size_t n_mounts;
  spec_hooks *hooks;
  spec_kv *annotations;
  size_t n_annotations;
  spec_linux *linux_; /* NULL when absent */
} spec;

/* Parse config.json text.  `name` is used as the prefix of error messages
 * ("config.json: process.user.uid: expected an unsigned integer").
 * Returns NULL with err filled on any syntax, type or required-field error.
 * Unknown fields are ignored.  */
spec *spec_load_text (const char *text, size_t len, const char *name, rt_error *err);
/* Read and parse a file.  */
spec *spec_load_file (const char *path, rt_error *err);

/* Parse a standalone `process` object (exec --process FILE).  */
spec_process *spec_process_load_text (const char *text, size_t len, const char *name, rt_error *err);
/* Parse a standalone `linux.resources` object (update -r FILE).  */
spec_resources *spec_resources_load_text (const char *text, size_t len, const char *name, rt_error *err);

void spec_free (spec *s);
void spec_process_free (spec_process *p);
void spec_resources_free (spec_resources *r);

/* Helpers over the parsed structure.  */
const char *spec_ns_type_name (enum spec_ns_type t);
int spec_ns_type_from_name (const char *name); /* -1 if unknown */
/* The namespace entry of a type, or NULL when the config does not list it.  */
const spec_namespace *spec_find_namespace (const spec *s, enum spec_ns_type t);
const char *spec_annotation (const spec *s, const char *key);

#endif
