/* cgroups behind one interface.  The drivers (cgroupfs on v1, v2 or the
 * hybrid layout, and systemd) each provide a cg_driver table; the rest of
 * the runtime only ever calls through cg_manager and never asks which
 * driver or layout is in use.  */
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

typedef struct cg_driver
{
  const char *name;
  /* Make the cgroup (all hierarchies).  */
  int (*create) (cg_manager *m, rt_error *err);
  /* Move a process in.  Not needed for the init when it was cloned with
   * CLONE_INTO_CGROUP and the layout is pure v2.  */
  int (*enter) (cg_manager *m, pid_t pid, rt_error *err);
  /* Apply linux.resources (at create, and again for `update`).  */
  int (*apply) (cg_manager *m, const spec_resources *r, bool update, rt_error *err);
  /* Remove the cgroup; tolerates it being gone already.  */
  int (*destroy) (cg_manager *m, rt_error *err);
  /* Every process in the cgroup (recursively for v2).  */
  int (*pids) (cg_manager *m, pid_t **out, size_t *n, rt_error *err);
  int (*kill_all) (cg_manager *m, int sig, rt_error *err);
  int (*freeze) (cg_manager *m, bool frozen, rt_error *err);
  int (*is_frozen) (cg_manager *m, bool *out, rt_error *err);
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
int cg_apply (cg_manager *m, const spec_resources *r, bool update, rt_error *err);
int cg_destroy (cg_manager *m, rt_error *err);
int cg_pids (cg_manager *m, pid_t **out, size_t *n, rt_error *err);
int cg_kill_all (cg_manager *m, int sig, rt_error *err);
int cg_freeze (cg_manager *m, bool frozen, rt_error *err);
int cg_is_frozen (cg_manager *m, bool *out, rt_error *err);

#endif
