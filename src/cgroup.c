/* Driver-independent cgroup code: layout detection, choosing a driver,
 * (de)serializing a manager for state.json, and the call wrappers.  */
#include "config.h"

#include <errno.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/statfs.h>

#include "cgroup.h"
#include "cgroup_priv.h"
#include "json.h"
#include "util.h"

enum cg_layout
cg_layout_detect (void)
{
  static int cached = -1;
  struct statfs st;

  if (cached >= 0)
    return (enum cg_layout) cached;
  if (statfs ("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC)
    cached = CG_LAYOUT_V2;
  else if (statfs ("/sys/fs/cgroup/unified", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC)
    cached = CG_LAYOUT_HYBRID;
  else
    cached = CG_LAYOUT_V1;
  return (enum cg_layout) cached;
}

int
cg_manager_new (const cg_config *cfg, cg_manager **out, rt_error *err)
{
  cg_manager *m;
  int ret;

  m = xzalloc (sizeof *m);
  m->layout = cg_layout_detect ();
  m->rootless = cfg->rootless;
  m->v2_fd = -1;
  ret = cfg->systemd ? cg_sd_plan (m, cfg, err) : cg_fs_plan (m, cfg, err);
  if (ret < 0)
    {
      cg_manager_free (m);
      return ret;
    }
  *out = m;
  return 0;
}

char *
cg_manager_serialize (const cg_manager *m)
{
  if (m == NULL || m->disabled)
    return NULL;
  return m->drv == &cg_fs_driver ? cg_fs_serialize (m) : cg_sd_serialize (m);
}

int
cg_manager_load (const char *serialized, bool rootless, cg_manager **out, rt_error *err)
{
  cg_manager *m = xzalloc (sizeof *m);
  int ret;

  m->layout = cg_layout_detect ();
  m->rootless = rootless;
  m->v2_fd = -1;
  if (serialized == NULL)
    m->disabled = true;
  else
    {
      ret = cg_fs_load (m, serialized, err);
      if (ret < 0)
        {
          cg_manager_free (m);
          return ret;
        }
    }
  *out = m;
  return 0;
}

void
cg_manager_free (cg_manager *m)
{
  if (m == NULL)
    return;
  if (m->drv && m->drv->free_priv)
    m->drv->free_priv (m);
  if (m->v2_fd >= 0)
    close (m->v2_fd);
  free (m->rel_path);
  free (m);
}

/* A disabled manager (rootless without cgroup access) accepts every
 * operation that only observes or cleans up, so callers need no special
 * case; operations that would need a cgroup say why they cannot work.  */
int
cg_create (cg_manager *m, rt_error *err)
{
  return m->disabled ? 0 : m->drv->create (m, err);
}

int
cg_enter (cg_manager *m, pid_t pid, rt_error *err)
{
  return m->disabled ? 0 : m->drv->enter (m, pid, err);
}

int
cg_enter_exec (cg_manager *m, pid_t pid, pid_t init, char *const *specs, size_t n_specs, rt_error *err)
{
  if (m->disabled)
    return n_specs ? rt_failx (err, EPERM, "--cgroup: the container has no cgroup of its own") : 0;
  return m->drv->enter_exec (m, pid, init, specs, n_specs, err);
}

int
cg_apply (cg_manager *m, const spec_resources *r, bool update, rt_error *err)
{
  if (m->disabled)
    return update ? rt_failx (err, EPERM, "the container has no cgroup (no cgroup access when it was created)") : 0;
  return m->drv->apply (m, r, update, err);
}

int
cg_destroy (cg_manager *m, rt_error *err)
{
  return m->disabled ? 0 : m->drv->destroy (m, err);
}

int
cg_pids (cg_manager *m, pid_t **out, size_t *n, rt_error *err)
{
  if (m->disabled)
    {
      *out = NULL;
      *n = 0;
      return rt_failx (err, ENOTSUP, "the container has no cgroup, so its processes cannot be listed");
    }
  return m->drv->pids (m, out, n, err);
}

int
cg_kill_all (cg_manager *m, int sig, rt_error *err)
{
  if (m->disabled)
    return rt_failx (err, ENOTSUP, "the container has no cgroup, so not all of its processes can be signalled");
  return m->drv->kill_all (m, sig, err);
}

int
cg_freeze (cg_manager *m, bool frozen, rt_error *err)
{
  if (m->disabled)
    return rt_failx (err, ENOTSUP, "the container has no cgroup, so it cannot be frozen");
  return m->drv->freeze (m, frozen, err);
}

int
cg_is_frozen (cg_manager *m, bool *out, rt_error *err)
{
  if (m->disabled)
    {
      *out = false;
      return 0;
    }
  return m->drv->is_frozen (m, out, err);
}

int
cg_stats_get (cg_manager *m, cg_stats *out, rt_error *err)
{
  memset (out, 0, sizeof *out);
  if (m->disabled)
    return rt_failx (err, ENOTSUP, "the container has no cgroup, so it has no statistics");
  return m->drv->stats (m, out, err);
}

int
cg_oom_watch_open (cg_manager *m, cg_oom_watch **out, rt_error *err)
{
  *out = NULL;
  if (m->disabled)
    return rt_failx (err, ENOTSUP, "the container has no cgroup, so OOM kills cannot be watched");
  return m->drv->oom_watch (m, out, err);
}
