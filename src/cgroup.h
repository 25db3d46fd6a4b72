/* cgroups behind one interface.  The drivers (cgroupfs on v1, v2 or the
 * hybrid layout, and systemd) each provide a cg_driver table; the rest of
 * the runtime only ever calls through cg_manager and never asks which
 * driver or layout is in use.
 *
 * Placement (cgroupfs): an absolute cgroupsPath is below each hierarchy's
 * root; a relative one, or the container ID, below our own cgroup on v1
 * and below its parent on v2 (our own v2 cgroup holds us, and a cgroup
 * with processes cannot give controllers to children; moving ourselves to
 * a leaf would not help, the caller's other processes stay there).
 * systemd: "slice:prefix:name" -> unit "prefix-name.scope" in that slice,
 * by default runc-ID.scope in system.slice (user.slice for rootless,
 * inside the user manager's own cgroup).
 *
 * What fails and what warns:
 *  - a limit whose controller is missing (v1 hierarchy not mounted, or on
 *    v2 not enabled in the container's cgroup): root fails, naming the
 *    limits and the controller; rootless applies everything else and
 *    gives ONE warning naming each dropped limit and how to delegate;
 *  - network classID/priorities with no net_cls/net_prio hierarchy (they
 *    have no v2 form): a warning, for root too (runc ignores them);
 *  - memory.swappiness, disableOOMKiller, blockIO leafWeight on v2 (no
 *    such knob) and kernel/kernelTCP anywhere: a warning, ignored;
 *  - realtime on v2, unified on v1, an invalid unified key or hugepage
 *    size, any refused write: an error;
 *  - device rules when rootless: skipped silently (runc does the same);
 *  - rootless without permission to create the cgroup: the manager is
 *    `disabled`; the caller runs the container without a cgroup when the
 *    config asks for no limit and no cgroupsPath, else fails (runc's
 *    rule).  */
#ifndef RT_CGROUP_H
#define RT_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

enum cg_layout
{
  CG_LAYOUT_V1,     /* only v1 hierarchies */
  CG_LAYOUT_HYBRID, /* v1 controllers plus a cgroup2 mount (e.g. /sys/fs/cgroup/unified) */
  CG_LAYOUT_V2,     /* cgroup2 at /sys/fs/cgroup */
};

/* Detect the host layout (cached after the first call).  */
enum cg_layout cg_layout_detect (void);

typedef struct cg_manager cg_manager;
typedef struct cg_stats cg_stats;
typedef struct cg_oom_watch cg_oom_watch;

typedef struct cg_driver
{
  const char *name;
  /* Make the cgroup (all hierarchies).  */
  int (*create) (cg_manager *m, rt_error *err);
  /* Move a process in.  Not needed for the init when it was cloned with
   * CLONE_INTO_CGROUP and the layout is pure v2.  */
  int (*enter) (cg_manager *m, pid_t pid, rt_error *err);
  /* Move an exec'd process in: see cg_enter_exec.  */
  int (*enter_exec) (cg_manager *m, pid_t pid, pid_t init, char *const *specs, size_t n_specs, rt_error *err);
  /* Apply linux.resources (at create, and again for `update`).  */
  int (*apply) (cg_manager *m, const spec_resources *r, bool update, rt_error *err);
  /* Remove the cgroup; tolerates it being gone already.  */
  int (*destroy) (cg_manager *m, rt_error *err);
  /* Every process in the cgroup (recursively for v2).  */
  int (*pids) (cg_manager *m, pid_t **out, size_t *n, rt_error *err);
  int (*kill_all) (cg_manager *m, int sig, rt_error *err);
  int (*freeze) (cg_manager *m, bool frozen, rt_error *err);
  int (*is_frozen) (cg_manager *m, bool *out, rt_error *err);
  int (*stats) (cg_manager *m, cg_stats *out, rt_error *err);
  int (*oom_watch) (cg_manager *m, cg_oom_watch **out, rt_error *err);
  void (*free_priv) (cg_manager *m);
} cg_driver;

struct cg_manager
{
  const cg_driver *drv;
  enum cg_layout layout;
  char *rel_path; /* path below each hierarchy's root, e.g. "/runc/ID" */
  bool rootless;  /* degrade permission errors as runc's rootless manager */
  bool disabled;  /* rootless without permission: the container runs without a cgroup */
  int v2_fd;      /* O_DIRECTORY fd of the unified cgroup (for CLONE_INTO_CGROUP), or -1 */
  bool placed_v2; /* set by the caller when clone3(CLONE_INTO_CGROUP) placed the init there */
  void *priv;
};

typedef struct cg_config
{
  const char *id;
  const char *cgroups_path; /* linux.cgroupsPath or NULL */
  bool systemd;             /* --systemd-cgroup */
  bool rootless;            /* rt_context_rootless() */
  const spec_resources *resources;
  /* org.systemd.property.* annotations, for the systemd driver.  */
  const spec_kv *annotations;
  size_t n_annotations;
} cg_config;

/* Plan the manager for a new container (does not touch the filesystem).  */
int cg_manager_new (const cg_config *cfg, cg_manager **out, rt_error *err);
/* Rebuild a manager from what cg_manager_serialize() stored in state.json.  */
int cg_manager_load (const char *serialized, bool rootless, cg_manager **out, rt_error *err);
/* NULL when the container has no cgroup.  */
char *cg_manager_serialize (const cg_manager *m);
void cg_manager_free (cg_manager *m);

/* Convenience wrappers over the driver table.  */
int cg_create (cg_manager *m, rt_error *err);
int cg_enter (cg_manager *m, pid_t pid, rt_error *err);
/* Move a process exec'd into the container whose init is `init`, by
 * runc's rules.  With no --cgroup spec: the container's cgroup, or, when
 * its unified one has no room for processes (EBUSY: the container turned
 * domain controllers on for its children, as systemd inside does), the
 * init's own cgroup below it.  With specs (exec --cgroup): one "path" for
 * every hierarchy, or any number of "ctrl[,ctrl]:path" for the v1
 * hierarchies of those controllers (the others keep the container's
 * cgroup); a path is relative to the container's cgroup, may not climb
 * above it, and must exist.  */
int cg_enter_exec (cg_manager *m, pid_t pid, pid_t init, char *const *specs, size_t n_specs, rt_error *err);
int cg_apply (cg_manager *m, const spec_resources *r, bool update, rt_error *err);
int cg_destroy (cg_manager *m, rt_error *err);
int cg_pids (cg_manager *m, pid_t **out, size_t *n, rt_error *err);
int cg_kill_all (cg_manager *m, int sig, rt_error *err);
int cg_freeze (cg_manager *m, bool frozen, rt_error *err);
int cg_is_frozen (cg_manager *m, bool *out, rt_error *err);

/* ---- statistics, in the shape of runc's `events` data ---------------- */

typedef struct cg_psi_data
{
  double avg10, avg60, avg300;
  uint64_t total;
} cg_psi_data;

typedef struct cg_psi
{
  cg_psi_data some, full;
} cg_psi;

typedef struct cg_mem_entry
{
  uint64_t limit, usage, max, failcnt;
} cg_mem_entry;

typedef struct cg_blkio_entry
{
  uint64_t major, minor;
  char op[16];
  uint64_t value;
} cg_blkio_entry;

enum cg_blkio_list
{
  CG_BLKIO_SERVICE_BYTES,
  CG_BLKIO_SERVICED,
  CG_BLKIO_QUEUED,
  CG_BLKIO_SERVICE_TIME,
  CG_BLKIO_WAIT_TIME,
  CG_BLKIO_MERGED,
  CG_BLKIO_TIME,
  CG_BLKIO_SECTORS,
  CG_BLKIO__COUNT
};

typedef struct cg_hugetlb_stat
{
  char *pagesize; /* "2MB" */
  uint64_t usage, max, failcnt;
} cg_hugetlb_stat;

typedef struct cg_kv_u64
{
  char *key;
  uint64_t value;
} cg_kv_u64;

typedef struct cg_netif_stat
{
  char *name;
  uint64_t rx_bytes, rx_packets, rx_errors, rx_dropped;
  uint64_t tx_bytes, tx_packets, tx_errors, tx_dropped;
} cg_netif_stat;

/* Zero means "not reported", as in runc's JSON (omitempty).  */
struct cg_stats
{
  struct
  {
    uint64_t total, kernel, user; /* nanoseconds */
    uint64_t *percpu, *percpu_kernel, *percpu_user;
    size_t n_percpu, n_percpu_kernel, n_percpu_user;
    uint64_t periods, throttled_periods, throttled_time;
    bool has_psi;
    cg_psi psi;
  } cpu;
  struct
  {
    uint16_t *cpus, *mems;
    size_t n_cpus, n_mems;
    uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate, memory_spread_page, memory_spread_slab,
        memory_pressure, sched_load_balance;
    int64_t sched_relax_domain_level;
  } cpuset;
  struct
  {
    uint64_t cache;
    cg_mem_entry usage, swap, kernel, kernel_tcp;
    cg_kv_u64 *raw; /* memory.stat, sorted by key */
    size_t n_raw;
    bool has_psi;
    cg_psi psi;
  } memory;
  struct
  {
    uint64_t current, limit; /* limit 0 = unlimited */
  } pids;
  struct
  {
    cg_blkio_entry *lists[CG_BLKIO__COUNT];
    size_t n[CG_BLKIO__COUNT];
    bool has_psi;
    cg_psi psi;
  } blkio;
  cg_hugetlb_stat *hugetlb; /* sorted by page size name */
  size_t n_hugetlb;
  /* Not a cgroup statistic: filled by the caller from the container's
   * network namespace.  */
  cg_netif_stat *netifs;
  size_t n_netifs;
};

int cg_stats_get (cg_manager *m, cg_stats *out, rt_error *err);
void cg_stats_free (cg_stats *s);
struct json_writer;
/* The "data" object of runc's stats event (types/events.go), field for
 * field with Go's omitempty rules.  */
void cg_stats_write_json (struct json_writer *w, const cg_stats *s);

/* ---- OOM notifications ---------------------------------------------- */

/* A pollable watch on the container's OOM kills: v1 memory.oom_control
 * through an eventfd, v2 memory.events through inotify.  */
int cg_oom_watch_open (cg_manager *m, cg_oom_watch **out, rt_error *err);
int cg_oom_watch_fd (const cg_oom_watch *w);
/* After poll() said the fd is readable: *oom_kills is the number of new
 * OOM kills (0 when the wake-up was something else), *gone true once the
 * cgroup has been removed or emptied (the watch is over).  */
int cg_oom_watch_read (cg_oom_watch *w, uint64_t *oom_kills, bool *gone, rt_error *err);
void cg_oom_watch_free (cg_oom_watch *w);

#endif
