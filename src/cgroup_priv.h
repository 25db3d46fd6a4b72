/* Internal interface between cgroup.c, the drivers and their helpers.  */
#ifndef RT_CGROUP_PRIV_H
#define RT_CGROUP_PRIV_H

#include <linux/bpf.h>

#include "cgroup.h"

#define CG_DEFAULT_CPU_PERIOD 100000

/* ---- the cgroupfs driver (cgroup_fs.c) ---------------------------------- */

/* One hierarchy the container has a directory in.  */
typedef struct cg_dir
{
  char *name; /* "memory", "cpu,cpuacct", "systemd", "unified" */
  char *path;  /* absolute directory of the container's cgroup */
  char *mount; /* where the hierarchy is mounted; NULL once reloaded from state */
  bool v2;     /* the unified hierarchy */
  bool created;
} cg_dir;

/* The private part of a cgroupfs manager.  The systemd driver's private
 * struct starts with one, so the cgroupfs functions work on both.  */
typedef struct fs_priv
{
  cg_dir *dirs;
  size_t n;
  int unified; /* index in dirs of the unified hierarchy, -1 if none */
} fs_priv;

int cg_fs_plan (cg_manager *m, const cg_config *cfg, rt_error *err);
int cg_fs_load (cg_manager *m, const char *serialized, rt_error *err);
char *cg_fs_serialize (const cg_manager *m);
/* The driver functions, for the systemd driver to reuse.  */
int cg_fs_create (cg_manager *m, rt_error *err);
int cg_fs_enter (cg_manager *m, pid_t pid, rt_error *err);
int cg_fs_enter_exec (cg_manager *m, pid_t pid, pid_t init, char *const *specs, size_t n_specs, rt_error *err);
int cg_fs_destroy (cg_manager *m, rt_error *err);
void cg_fs_free_dirs (fs_priv *p);
/* Fill an fs_priv from a "paths" JSON object ({"memory": "/sys/...", ...}).  */
struct json_node;
void cg_fs_dirs_load (fs_priv *p, const struct json_node *paths);
void cg_fs_dirs_write (struct json_writer *w, const fs_priv *p);
extern const cg_driver cg_fs_driver;

/* The container's directory in the unified hierarchy (v2 or hybrid), or
 * NULL.  */
const char *cg_fs_unified_path (const cg_manager *m);

/* The directory holding `controller` for the container: a v1 hierarchy
 * mounted with it, else the unified one when the controller is enabled in
 * the container's cgroup there (*v2 set), else NULL.  "devices" and
 * "freezer" exist on every v2 cgroup.  */
const char *cg_fs_controller_dir (cg_manager *m, const char *controller, bool *v2);

/* Apply linux.resources through the files (cgroup_apply.c).  */
int cg_fs_apply (cg_manager *m, const spec_resources *r, bool update, rt_error *err);
int cg_fs_stats (cg_manager *m, cg_stats *out, rt_error *err);
int cg_fs_oom_watch (cg_manager *m, cg_oom_watch **out, rt_error *err);

/* ---- the systemd driver (cgroup_systemd.c) ------------------------------ */

int cg_sd_plan (cg_manager *m, const cg_config *cfg, rt_error *err);
int cg_sd_load (cg_manager *m, const struct json_node *root, rt_error *err);
char *cg_sd_serialize (const cg_manager *m);

/* ---- cgroup file I/O (cgroup_file.c) ------------------------------------ */

/* Write `value` to dir/file in one write(2), as the kernel wants.  */
int cg_write (const char *dir, const char *file, const char *value, rt_error *err);
int cg_writef (const char *dir, const char *file, rt_error *err, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));
int cg_read (const char *dir, const char *file, char **out, rt_error *err);
/* A single number; "max" reads as UINT64_MAX.  */
int cg_read_u64 (const char *dir, const char *file, uint64_t *out, rt_error *err);
/* The value of `key` in a flat-keyed file ("key value" lines).  */
int cg_read_key_u64 (const char *dir, const char *file, const char *key, uint64_t *out, rt_error *err);
bool cg_file_exists (const char *dir, const char *file);
/* Does the space-separated list in dir/file (cgroup.controllers)
 * contain `word`?  */
bool cg_list_has (const char *dir, const char *file, const char *word);

/* ---- pure conversions (cgroup_convert.c) -------------------------------- */

uint64_t cg_shares_to_weight (uint64_t shares);
uint64_t cg_blkio_to_io_weight (uint16_t weight);
int cg_swap_to_v2 (int64_t swap, int64_t memory, int64_t *out, rt_error *err);
/* 0 -> "" (leave alone), negative -> "max", else the number.  */
const char *cg_num_to_str (int64_t v, char *buf, size_t len);
/* cpu.max: "QUOTA PERIOD", "max PERIOD", or without the period.  */
void cg_cpu_max (int64_t quota, uint64_t period, char *buf, size_t len);
uint64_t cg_quota_per_sec_usec (int64_t quota, uint64_t period);
int cg_parse_ram_bytes (const char *s, int64_t *out, rt_error *err);
int cg_parse_flag_u64 (const char *flag, const char *s, uint64_t *out, rt_error *err);
int cg_parse_flag_i64 (const char *flag, const char *s, int64_t *out, rt_error *err);
int cg_parse_flag_size (const char *flag, const char *s, int64_t *out, rt_error *err);
int cg_cpuset_to_bits (const char *list, uint8_t **bits, size_t *n, rt_error *err);
int cg_expand_slice (const char *slice, char **out, rt_error *err);
int cg_unified_key_check (const char *key, rt_error *err);
char *cg_hugepage_size_name (uint64_t kb);

typedef struct cg_systemd_name
{
  char *slice;      /* "system.slice" */
  char *prefix;     /* "runc" */
  char *name;       /* the container ID by default */
  char *unit;       /* "runc-ID.scope" */
  char *slice_path; /* "/system.slice" */
} cg_systemd_name;

/* runc's "slice:prefix:name", with its defaults when cgroupsPath is empty
 * (system.slice, or user.slice when rootless; prefix "runc").  */
int cg_systemd_name_parse (const char *cgroups_path, const char *id, bool rootless, cg_systemd_name *out,
                           rt_error *err);
void cg_systemd_name_free (cg_systemd_name *n);

/* Device rules, normalised.  The access bits are the kernel's
 * BPF_DEVCG_ACC_* values.  */
enum
{
  CG_DEV_MKNOD = BPF_DEVCG_ACC_MKNOD,
  CG_DEV_READ = BPF_DEVCG_ACC_READ,
  CG_DEV_WRITE = BPF_DEVCG_ACC_WRITE,
  CG_DEV_ALL = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE,
};

typedef struct cg_dev_rule
{
  char type;     /* 'a', 'b', 'c' */
  int64_t major; /* -1 = any */
  int64_t minor; /* -1 = any */
  unsigned access;
  bool allow;
} cg_dev_rule;

int cg_dev_access_parse (const char *s, unsigned *out);
/* The config's rules followed by runc's always-allowed devices, which
 * therefore win over any rule of the config (as in runc).  */
int cg_dev_rules_build (const spec_resources *r, cg_dev_rule **out, size_t *n, rt_error *err);
/* "c 1:3 rwm" for devices.allow / devices.deny.  */
void cg_dev_rule_v1_string (const cg_dev_rule *r, char *buf, size_t len);

/* ---- the v2 device filter (cgroup_ebpf.c) ------------------------------ */

/* Compile the rules (last matching rule wins, per access bit; nothing
 * matching means deny) into a BPF_PROG_TYPE_CGROUP_DEVICE program.  */
int cg_bpf_devices_build (const cg_dev_rule *rules, size_t n, struct bpf_insn **out, size_t *n_out, rt_error *err);
/* Load it and attach it to the cgroup directory fd with
 * BPF_F_ALLOW_MULTI, replacing the program a previous call attached.  */
int cg_bpf_devices_apply (int cgroup_fd, const struct bpf_insn *insns, size_t n, rt_error *err);
/* The name our programs carry, to find them again.  */
#define CG_BPF_PROG_NAME "oci_devices"

#endif
