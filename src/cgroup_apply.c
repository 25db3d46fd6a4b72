/* linux.resources through the cgroup files, one table entry per
 * controller with a v1 and a v2 writer.  Each controller is looked up on
 * its own (cg_fs_controller_dir), so a hybrid host that has, say, memory
 * on a v1 hierarchy and hugetlb on the unified one gets each limit in the
 * form its hierarchy understands.
 *
 * A limit whose controller is missing fails, except for a rootless
 * container: there every such limit is collected and reported in ONE
 * warning naming each dropped limit and how to delegate the controller,
 * and the rest is applied (runc fails on the first missing file).  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_priv.h"
#include "util.h"

/* Append to a ", "-separated list.  */
static void __attribute__ ((format (printf, 2, 3)))
list_add (char **list, const char *fmt, ...)
{
  _cleanup_free_ char *item = NULL;
  char *joined;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&item, fmt, ap) < 0)
    abort ();
  va_end (ap);
  xasprintf (&joined, "%s%s%s", *list ? *list : "", *list ? ", " : "", item);
  free (*list);
  *list = joined;
}

/* ---- memory ------------------------------------------------------------ */

static void
memory_wanted (const spec_resources *r, char **names)
{
  const spec_memory *m = r->memory;
  if (m == NULL)
    return;
  if (m->has_limit && m->limit != 0)
    list_add (names, "memory.limit");
  if (m->has_reservation && m->reservation != 0)
    list_add (names, "memory.reservation");
  if (m->has_swap && m->swap != 0)
    list_add (names, "memory.swap");
  if (m->has_swappiness && m->swappiness != UINT64_MAX)
    list_add (names, "memory.swappiness");
  if (m->has_disable_oom_killer && m->disable_oom_killer)
    list_add (names, "memory.disableOOMKiller");
  if (m->has_use_hierarchy)
    list_add (names, "memory.useHierarchy");
}

/* checkBeforeUpdate: refuse a limit the current usage already exceeds,
   instead of letting the kernel OOM-kill the container on the spot.  */
static int
check_usage (const char *dir, const char *usage_file, const spec_memory *m, rt_error *err)
{
  uint64_t usage;
  rt_error ignored = { 0 };

  if (!m->has_check_before_update || !m->check_before_update)
    return 0;
  if (cg_read_u64 (dir, usage_file, &usage, &ignored) < 0)
    return 0; /* best effort, as runc */
  if (m->has_swap && m->swap > 0 && (uint64_t) m->swap <= usage)
    return rt_failx (err, EBUSY, "rejecting memory+swap limit %" PRId64 " <= usage %" PRIu64, m->swap, usage);
  if (m->has_limit && m->limit > 0 && (uint64_t) m->limit <= usage)
    return rt_failx (err, EBUSY, "rejecting memory limit %" PRId64 " <= usage %" PRIu64, m->limit, usage);
  return 0;
}

static int
v1_set_limit (const char *dir, int64_t limit, rt_error *err)
{
  uint64_t usage = 0, peak = 0;
  rt_error ignored = { 0 };
  int ret;

  if (limit == 0)
    return 0;
  ret = cg_writef (dir, "memory.limit_in_bytes", err, "%" PRId64, limit);
  if (ret == -EBUSY)
    {
      cg_read_u64 (dir, "memory.usage_in_bytes", &usage, &ignored);
      cg_read_u64 (dir, "memory.max_usage_in_bytes", &peak, &ignored);
      return rt_failx (err, EBUSY,
                       "unable to set memory limit to %" PRId64 " (current usage: %" PRIu64 ", peak usage: %" PRIu64
                       ")",
                       limit, usage, peak);
    }
  return ret;
}

static int
v1_set_swap (const char *dir, int64_t swap, rt_error *err)
{
  if (swap == 0)
    return 0;
  return cg_writef (dir, "memory.memsw.limit_in_bytes", err, "%" PRId64, swap);
}

static int
memory_v1 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  const spec_memory *m = r->memory;
  int64_t limit, swap;

  if (m == NULL)
    return 0;
  if (check_usage (dir, "memory.usage_in_bytes", m, err) < 0)
    return rt_error_ret (err);
  limit = m->has_limit ? m->limit : 0;
  swap = m->has_swap ? m->swap : 0;
  /* Unlimited memory with swap unset means unlimited swap too (when the
     kernel accounts swap at all).  */
  if (limit == -1 && swap == 0 && cg_file_exists (dir, "memory.memsw.limit_in_bytes"))
    swap = -1;
  if (limit != 0 && swap != 0)
    {
      uint64_t cur;
      if (cg_read_u64 (dir, "memory.limit_in_bytes", &cur, err) < 0)
        return rt_error_ret (err);
      /* memsw may never be below the memory limit: raise memsw first when
         growing, lower the memory limit first when shrinking.  */
      if (swap == -1 || cur < (uint64_t) swap)
        {
          if (v1_set_swap (dir, swap, err) < 0 || v1_set_limit (dir, limit, err) < 0)
            return rt_error_ret (err);
          goto rest;
        }
    }
  if (v1_set_limit (dir, limit, err) < 0 || v1_set_swap (dir, swap, err) < 0)
    return rt_error_ret (err);
rest:
  if (m->has_reservation && m->reservation != 0
      && cg_writef (dir, "memory.soft_limit_in_bytes", err, "%" PRId64, m->reservation) < 0)
    return rt_error_ret (err);
  if (m->has_disable_oom_killer && m->disable_oom_killer && cg_write (dir, "memory.oom_control", "1", err) < 0)
    return rt_error_ret (err);
  if (m->has_swappiness && m->swappiness != UINT64_MAX)
    {
      if (m->swappiness > 100)
        return rt_failx (err, EINVAL, "invalid memory swappiness value: %" PRIu64 " (valid range is 0-100)",
                         m->swappiness);
      if (cg_writef (dir, "memory.swappiness", err, "%" PRIu64, m->swappiness) < 0)
        return rt_error_ret (err);
    }
  if (m->has_use_hierarchy && cg_write (dir, "memory.use_hierarchy", m->use_hierarchy ? "1" : "0", err) < 0)
    return rt_error_ret (err);
  return 0;
}

static int
memory_v2 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  const spec_memory *m = r->memory;
  int64_t limit, swap, swap2;
  char buf[24];

  if (m == NULL)
    return 0;
  limit = m->has_limit ? m->limit : 0;
  swap = m->has_swap ? m->swap : 0;
  if (m->has_swappiness && m->swappiness != UINT64_MAX)
    rt_warn ("linux.resources.memory.swappiness is ignored: cgroup v2 has no per-cgroup swappiness");
  if (m->has_disable_oom_killer && m->disable_oom_killer)
    rt_warn ("linux.resources.memory.disableOOMKiller is ignored: cgroup v2 cannot disable the OOM killer");
  if (limit == 0 && swap == 0 && !(m->has_reservation && m->reservation != 0))
    return 0;
  if (check_usage (dir, "memory.current", m, err) < 0)
    return rt_error_ret (err);
  if (cg_swap_to_v2 (swap, limit, &swap2, err) < 0)
    return rt_wrap (err, "linux.resources.memory.swap");
  cg_num_to_str (swap2, buf, sizeof buf);
  /* swap == limit: no swap at all, which "0" says and "" would not.  */
  if (buf[0] == '\0' && swap2 == 0 && swap > 0)
    strcpy (buf, "0");
  if (buf[0])
    {
      int ret = cg_write (dir, "memory.swap.max", buf, err);
      /* Without swap accounting there is no file: "unlimited" and "none"
         are then what the kernel does anyway.  */
      if (ret < 0 && !(ret == -ENOENT && (strcmp (buf, "max") == 0 || strcmp (buf, "0") == 0)))
        return ret;
      rt_error_clear (err);
    }
  if (cg_num_to_str (limit, buf, sizeof buf)[0] && cg_write (dir, "memory.max", buf, err) < 0)
    return rt_error_ret (err);
  if (m->has_reservation && cg_num_to_str (m->reservation, buf, sizeof buf)[0]
      && cg_write (dir, "memory.low", buf, err) < 0)
    return rt_error_ret (err);
  return 0;
}

/* ---- cpu --------------------------------------------------------------- */

static void
cpu_wanted (const spec_resources *r, char **names)
{
  const spec_cpu *c = r->cpu;
  if (c == NULL)
    return;
  if (c->has_shares && c->shares != 0)
    list_add (names, "cpu.shares");
  if (c->has_quota && c->quota != 0)
    list_add (names, "cpu.quota");
  if (c->has_period && c->period != 0)
    list_add (names, "cpu.period");
  if (c->has_burst)
    list_add (names, "cpu.burst");
  if (c->has_realtime_runtime && c->realtime_runtime != 0)
    list_add (names, "cpu.realtimeRuntime");
  if (c->has_realtime_period && c->realtime_period != 0)
    list_add (names, "cpu.realtimePeriod");
  if (c->has_idle)
    list_add (names, "cpu.idle");
}

/* Writes the kernel may refuse because the other value of a pair is not
   set yet (old quota over a new, smaller period...): try, and if the
   partner is coming, retry after it.  */
static int
write_or_defer (const char *dir, const char *file, const char *value, bool partner_coming, bool *deferred,
                rt_error *err)
{
  int ret = cg_write (dir, file, value, err);

  *deferred = false;
  if (ret == -EINVAL && partner_coming)
    {
      rt_error_clear (err);
      *deferred = true;
      return 0;
    }
  return ret;
}

static int
cpu_v1 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  const spec_cpu *c = r->cpu;
  char buf[32];
  bool period_later = false, burst_later = false, rt_period_later = false;
  int64_t quota;

  if (c == NULL)
    return 0;
  if (c->has_shares && c->shares != 0)
    {
      uint64_t got;
      if (cg_writef (dir, "cpu.shares", err, "%" PRIu64, c->shares) < 0
          || cg_read_u64 (dir, "cpu.shares", &got, err) < 0)
        return rt_error_ret (err);
      /* The kernel clamps silently; say what it accepted instead.  */
      if (c->shares > got)
        return rt_failx (err, EINVAL, "the maximum allowed cpu-shares is %" PRIu64, got);
      if (c->shares < got)
        return rt_failx (err, EINVAL, "the minimum allowed cpu-shares is %" PRIu64, got);
    }
  quota = c->has_quota ? c->quota : 0;
  if (c->has_period && c->period != 0)
    {
      snprintf (buf, sizeof buf, "%" PRIu64, c->period);
      if (write_or_defer (dir, "cpu.cfs_period_us", buf, quota != 0, &period_later, err) < 0)
        return rt_error_ret (err);
    }
  if (c->has_burst)
    {
      int ret;
      snprintf (buf, sizeof buf, "%" PRIu64, c->burst);
      ret = write_or_defer (dir, "cpu.cfs_burst_us", buf, quota != 0, &burst_later, err);
      if (ret == -ENOENT)
        rt_error_clear (err); /* kernel without burst: runc ignores it too */
      else if (ret < 0)
        return ret;
    }
  if (quota != 0)
    {
      if (cg_writef (dir, "cpu.cfs_quota_us", err, "%" PRId64, quota) < 0)
        return rt_error_ret (err);
      if (period_later && cg_writef (dir, "cpu.cfs_period_us", err, "%" PRIu64, c->period) < 0)
        return rt_error_ret (err);
      if (burst_later && cg_writef (dir, "cpu.cfs_burst_us", err, "%" PRIu64, c->burst) < 0)
        return rt_error_ret (err);
    }
  if (c->has_idle && cg_writef (dir, "cpu.idle", err, "%" PRId64, c->idle) < 0)
    return rt_error_ret (err);
  if (c->has_realtime_period && c->realtime_period != 0)
    {
      bool runtime_coming = c->has_realtime_runtime && c->realtime_runtime != 0;
      snprintf (buf, sizeof buf, "%" PRIu64, c->realtime_period);
      if (write_or_defer (dir, "cpu.rt_period_us", buf, runtime_coming, &rt_period_later, err) < 0)
        return rt_error_ret (err);
    }
  if (c->has_realtime_runtime && c->realtime_runtime != 0)
    {
      if (cg_writef (dir, "cpu.rt_runtime_us", err, "%" PRId64, c->realtime_runtime) < 0)
        return rt_error_ret (err);
      if (rt_period_later && cg_writef (dir, "cpu.rt_period_us", err, "%" PRIu64, c->realtime_period) < 0)
        return rt_error_ret (err);
    }
  return 0;
}

static int
cpu_v2 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  const spec_cpu *c = r->cpu;
  int64_t quota;
  uint64_t period;
  bool burst_later = false;
  char buf[64];

  if (c == NULL)
    return 0;
  if ((c->has_realtime_runtime && c->realtime_runtime != 0) || (c->has_realtime_period && c->realtime_period != 0))
    return rt_failx (err, EINVAL,
                     "linux.resources.cpu.realtimeRuntime/realtimePeriod: the realtime scheduler group settings "
                     "exist only on cgroup v1");
  if (c->has_idle && cg_writef (dir, "cpu.idle", err, "%" PRId64, c->idle) < 0)
    return rt_error_ret (err);
  if (c->has_shares && c->shares != 0 && cg_writef (dir, "cpu.weight", err, "%" PRIu64, cg_shares_to_weight (c->shares)) < 0)
    return rt_error_ret (err);
  quota = c->has_quota ? c->quota : 0;
  period = c->has_period ? c->period : 0;
  if (c->has_burst)
    {
      snprintf (buf, sizeof buf, "%" PRIu64, c->burst);
      if (write_or_defer (dir, "cpu.max.burst", buf, quota != 0, &burst_later, err) < 0)
        return rt_error_ret (err);
    }
  if (quota != 0 || period != 0)
    {
      cg_cpu_max (quota, period, buf, sizeof buf);
      if (cg_write (dir, "cpu.max", buf, err) < 0)
        return rt_error_ret (err);
      if (burst_later && cg_writef (dir, "cpu.max.burst", err, "%" PRIu64, c->burst) < 0)
        return rt_error_ret (err);
    }
  return 0;
}

/* ---- cpuset ------------------------------------------------------------ */

static void
cpuset_wanted (const spec_resources *r, char **names)
{
  if (r->cpu && r->cpu->cpus && r->cpu->cpus[0])
    list_add (names, "cpu.cpus");
  if (r->cpu && r->cpu->mems && r->cpu->mems[0])
    list_add (names, "cpu.mems");
}

static int
cpuset_any (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  if (r->cpu && r->cpu->cpus && r->cpu->cpus[0] && cg_write (dir, "cpuset.cpus", r->cpu->cpus, err) < 0)
    return rt_error_ret (err);
  if (r->cpu && r->cpu->mems && r->cpu->mems[0] && cg_write (dir, "cpuset.mems", r->cpu->mems, err) < 0)
    return rt_error_ret (err);
  return 0;
}

/* ---- pids -------------------------------------------------------------- */

static void
pids_wanted (const spec_resources *r, char **names)
{
  if (r->has_pids)
    list_add (names, "pids.limit");
}

static int
pids_any (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  if (!r->has_pids)
    return 0;
  /* 0 becomes 1 as in runc: systemd cannot express 0, and both drivers
     must agree.  */
  if (r->pids_limit > 0)
    return cg_writef (dir, "pids.max", err, "%" PRId64, r->pids_limit);
  return cg_write (dir, "pids.max", r->pids_limit == 0 ? "1" : "max", err);
}

/* ---- block I/O ----------------------------------------------------------- */

static void
blkio_wanted (const spec_resources *r, char **names)
{
  const spec_blkio *b = r->block_io;
  if (b == NULL)
    return;
  if (b->has_weight && b->weight != 0)
    list_add (names, "blockIO.weight");
  if (b->has_leaf_weight && b->leaf_weight != 0)
    list_add (names, "blockIO.leafWeight");
  if (b->n_weight_device)
    list_add (names, "blockIO.weightDevice");
  if (b->n_throttle_read_bps)
    list_add (names, "blockIO.throttleReadBpsDevice");
  if (b->n_throttle_write_bps)
    list_add (names, "blockIO.throttleWriteBpsDevice");
  if (b->n_throttle_read_iops)
    list_add (names, "blockIO.throttleReadIOPSDevice");
  if (b->n_throttle_write_iops)
    list_add (names, "blockIO.throttleWriteIOPSDevice");
}

static const struct
{
  size_t off_list, off_n;
  const char *v1_file, *v2_key;
} throttles[] = {
  { offsetof (spec_blkio, throttle_read_bps), offsetof (spec_blkio, n_throttle_read_bps),
    "blkio.throttle.read_bps_device", "rbps" },
  { offsetof (spec_blkio, throttle_write_bps), offsetof (spec_blkio, n_throttle_write_bps),
    "blkio.throttle.write_bps_device", "wbps" },
  { offsetof (spec_blkio, throttle_read_iops), offsetof (spec_blkio, n_throttle_read_iops),
    "blkio.throttle.read_iops_device", "riops" },
  { offsetof (spec_blkio, throttle_write_iops), offsetof (spec_blkio, n_throttle_write_iops),
    "blkio.throttle.write_iops_device", "wiops" },
};

static const spec_throttle_device *
throttle_list (const spec_blkio *b, size_t i, size_t *n)
{
  *n = *(const size_t *) ((const char *) b + throttles[i].off_n);
  return *(spec_throttle_device *const *) ((const char *) b + throttles[i].off_list);
}

static int
blkio_v1 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  const spec_blkio *b = r->block_io;
  bool bfq;

  if (b == NULL)
    return 0;
  /* With BFQ as the I/O scheduler the weights have their own files.  */
  bfq = cg_file_exists (dir, "blkio.bfq.weight");
  if (b->has_weight && b->weight != 0
      && cg_writef (dir, bfq ? "blkio.bfq.weight" : "blkio.weight", err, "%u", b->weight) < 0)
    return rt_error_ret (err);
  if (b->has_leaf_weight && b->leaf_weight != 0 && cg_writef (dir, "blkio.leaf_weight", err, "%u", b->leaf_weight) < 0)
    return rt_error_ret (err);
  for (size_t i = 0; i < b->n_weight_device; i++)
    {
      const spec_weight_device *w = &b->weight_device[i];
      if (w->has_weight && w->weight != 0
          && cg_writef (dir, bfq ? "blkio.bfq.weight_device" : "blkio.weight_device", err,
                        "%" PRId64 ":%" PRId64 " %u", w->major, w->minor, w->weight)
                 < 0)
        return rt_error_ret (err);
      if (w->has_leaf_weight && w->leaf_weight != 0
          && cg_writef (dir, "blkio.leaf_weight_device", err, "%" PRId64 ":%" PRId64 " %u", w->major, w->minor,
                        w->leaf_weight)
                 < 0)
        return rt_error_ret (err);
    }
  for (size_t t = 0; t < ARRAY_SIZE (throttles); t++)
    {
      size_t n;
      const spec_throttle_device *d = throttle_list (b, t, &n);
      for (size_t i = 0; i < n; i++)
        if (cg_writef (dir, throttles[t].v1_file, err, "%" PRId64 ":%" PRId64 " %" PRIu64, d[i].major, d[i].minor,
                       d[i].rate)
            < 0)
          return rt_error_ret (err);
    }
  return 0;
}

static int
io_v2 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  const spec_blkio *b = r->block_io;
  bool bfq;

  if (b == NULL)
    return 0;
  /* BFQ takes the blkio weight range as is; io.weight needs converting.  */
  bfq = cg_file_exists (dir, "io.bfq.weight");
  if (b->has_weight && b->weight != 0)
    {
      int ret = bfq ? cg_writef (dir, "io.bfq.weight", err, "%u", b->weight)
                    : cg_writef (dir, "io.weight", err, "default %" PRIu64, cg_blkio_to_io_weight (b->weight));
      if (ret < 0)
        return ret;
    }
  if (b->has_leaf_weight && b->leaf_weight != 0)
    rt_warn ("linux.resources.blockIO.leafWeight is ignored: cgroup v2 has no leaf weights");
  for (size_t i = 0; i < b->n_weight_device; i++)
    {
      const spec_weight_device *w = &b->weight_device[i];
      if (!w->has_weight || w->weight == 0)
        continue;
      if (bfq ? cg_writef (dir, "io.bfq.weight", err, "%" PRId64 ":%" PRId64 " %u", w->major, w->minor, w->weight) < 0
              : cg_writef (dir, "io.weight", err, "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor,
                           cg_blkio_to_io_weight (w->weight))
                    < 0)
        return rt_error_ret (err);
    }
  for (size_t t = 0; t < ARRAY_SIZE (throttles); t++)
    {
      size_t n;
      const spec_throttle_device *d = throttle_list (b, t, &n);
      for (size_t i = 0; i < n; i++)
        {
          /* 0 removes a v1 throttle; on v2 that is "max".  */
          int ret = d[i].rate ? cg_writef (dir, "io.max", err, "%" PRId64 ":%" PRId64 " %s=%" PRIu64, d[i].major,
                                           d[i].minor, throttles[t].v2_key, d[i].rate)
                              : cg_writef (dir, "io.max", err, "%" PRId64 ":%" PRId64 " %s=max", d[i].major,
                                           d[i].minor, throttles[t].v2_key);
          if (ret < 0)
            return ret;
        }
    }
  return 0;
}

/* ---- hugetlb ----------------------------------------------------------- */

static void
hugetlb_wanted (const spec_resources *r, char **names)
{
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    list_add (names, "hugepageLimits[%s]", r->hugepage_limits[i].page_size);
}

static int
hugetlb_write (const char *dir, const spec_resources *r, const char *limit_sfx, const char *rsvd_sfx, rt_error *err)
{
  for (size_t i = 0; i < r->n_hugepage_limits; i++)
    {
      const spec_hugepage_limit *h = &r->hugepage_limits[i];
      _cleanup_free_ char *f = NULL, *rf = NULL;
      int ret;

      if (strchr (h->page_size, '/'))
        return rt_failx (err, EINVAL, "linux.resources.hugepageLimits[%zu]: invalid page size `%s`", i, h->page_size);
      xasprintf (&f, "hugetlb.%s.%s", h->page_size, limit_sfx);
      xasprintf (&rf, "hugetlb.%s.%s", h->page_size, rsvd_sfx);
      ret = cg_writef (dir, f, err, "%" PRIu64, h->limit);
      if (ret == -ENOENT)
        return rt_failx (err, EINVAL, "linux.resources.hugepageLimits[%zu]: invalid hugepage size `%s`", i,
                         h->page_size);
      if (ret < 0)
        return ret;
      /* Reservations (since Linux 5.7) get the same limit, so a mapping
         cannot reserve more than it may fault in.  */
      ret = cg_writef (dir, rf, err, "%" PRIu64, h->limit);
      if (ret < 0 && ret != -ENOENT)
        return ret;
      rt_error_clear (err);
    }
  return 0;
}

static int
hugetlb_v1 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  return hugetlb_write (dir, r, "limit_in_bytes", "rsvd.limit_in_bytes", err);
}

static int
hugetlb_v2 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  return hugetlb_write (dir, r, "max", "rsvd.max", err);
}

/* ---- network (v1 only) --------------------------------------------------- */

static void
net_cls_wanted (const spec_resources *r, char **names)
{
  if (r->has_net_class_id)
    list_add (names, "network.classID");
}

static int
net_cls_v1 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  if (!r->has_net_class_id)
    return 0;
  return cg_writef (dir, "net_cls.classid", err, "%u", r->net_class_id);
}

static void
net_prio_wanted (const spec_resources *r, char **names)
{
  if (r->n_net_priorities)
    list_add (names, "network.priorities");
}

static int
net_prio_v1 (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  for (size_t i = 0; i < r->n_net_priorities; i++)
    if (cg_writef (dir, "net_prio.ifpriomap", err, "%s %u", r->net_priorities[i].name, r->net_priorities[i].priority)
        < 0)
      return rt_error_ret (err);
  return 0;
}

/* ---- rdma -------------------------------------------------------------- */

static void
rdma_wanted (const spec_resources *r, char **names)
{
  for (size_t i = 0; i < r->n_rdma; i++)
    list_add (names, "rdma[%s]", r->rdma[i].device);
}

static int
rdma_any (const char *dir, const spec_resources *r, bool update, rt_error *err)
{
  for (size_t i = 0; i < r->n_rdma; i++)
    {
      const spec_rdma *d = &r->rdma[i];
      char line[256];
      int n = snprintf (line, sizeof line, "%s", d->device);
      if (d->has_hca_handles)
        n += snprintf (line + n, sizeof line - n, " hca_handle=%u", d->hca_handles);
      if (d->has_hca_objects)
        snprintf (line + n, sizeof line - n, " hca_object=%u", d->hca_objects);
      if (cg_write (dir, "rdma.max", line, err) < 0)
        return rt_error_ret (err);
    }
  return 0;
}

/* ---- the table ----------------------------------------------------------- */

typedef int (*set_fn) (const char *dir, const spec_resources *r, bool update, rt_error *err);

static const struct ctl
{
  const char *v1_name, *v2_name; /* NULL: not on that version */
  void (*wanted) (const spec_resources *r, char **names);
  set_fn set_v1, set_v2;
  bool v1_only_ignorable; /* no v2 equivalent exists: warn, never fail */
  bool on_update;         /* `update` changes it (runc skips the others) */
} ctls[] = {
  { "cpuset", "cpuset", cpuset_wanted, cpuset_any, cpuset_any, false, true },
  { "memory", "memory", memory_wanted, memory_v1, memory_v2, false, true },
  { "cpu", "cpu", cpu_wanted, cpu_v1, cpu_v2, false, true },
  { "pids", "pids", pids_wanted, pids_any, pids_any, false, true },
  { "blkio", "io", blkio_wanted, blkio_v1, io_v2, false, true },
  { "hugetlb", "hugetlb", hugetlb_wanted, hugetlb_v1, hugetlb_v2, false, false },
  { "net_cls", NULL, net_cls_wanted, net_cls_v1, NULL, true, false },
  { "net_prio", NULL, net_prio_wanted, net_prio_v1, NULL, true, false },
  { "rdma", "rdma", rdma_wanted, rdma_any, rdma_any, false, false },
};

typedef struct apply_ctx
{
  cg_manager *m;
  char *dropped;       /* "memory.limit (memory), ..." */
  char *dropped_ctrls; /* "memory pids" */
  const char *where;   /* the cgroup, for the messages */
} apply_ctx;

static void
drop (apply_ctx *c, const char *names, const char *ctrl)
{
  list_add (&c->dropped, "%s (%s)", names, ctrl);
  if (c->dropped_ctrls == NULL || !strstr (c->dropped_ctrls, ctrl))
    {
      char *s;
      xasprintf (&s, "%s%s%s", c->dropped_ctrls ? c->dropped_ctrls : "", c->dropped_ctrls ? " " : "", ctrl);
      free (c->dropped_ctrls);
      c->dropped_ctrls = s;
    }
}

static int
apply_ctl (apply_ctx *c, const struct ctl *t, const spec_resources *r, bool update, rt_error *err)
{
  _cleanup_free_ char *names = NULL;
  const char *dir = NULL, *ctrl = t->v1_name;
  bool v2 = false;

  t->wanted (r, &names);
  if (names == NULL)
    return 0;
  if (t->v1_name)
    dir = cg_fs_controller_dir (c->m, t->v1_name, &v2);
  if (dir == NULL && t->v2_name)
    {
      dir = cg_fs_controller_dir (c->m, t->v2_name, &v2);
      ctrl = t->v2_name;
    }
  if (dir && v2 && t->set_v2 == NULL)
    dir = NULL;
  if (dir == NULL)
    {
      if (t->v1_only_ignorable)
        {
          rt_warn ("linux.resources: %s ignored: the %s controller exists only on cgroup v1 and no such hierarchy is "
                   "mounted",
                   names, t->v1_name);
          return 0;
        }
      if (c->m->rootless)
        {
          drop (c, names, ctrl);
          return 0;
        }
      return rt_failx (err, ENOTSUP, "linux.resources: cannot set %s: the %s controller is not available in cgroup %s",
                       names, ctrl, c->where);
    }
  if ((v2 ? t->set_v2 : t->set_v1) (dir, r, update, err) < 0)
    return rt_wrap (err, "linux.resources: set %s", names);
  return 0;
}

static int
apply_unified (apply_ctx *c, const spec_resources *r, rt_error *err)
{
  const char *dir = cg_fs_unified_path (c->m);

  if (r->n_unified == 0)
    return 0;
  if (dir == NULL)
    return rt_failx (err, ENOTSUP, "cgroup v2 not enabled on this host, can't use cgroup v2 unified resources");
  for (size_t i = 0; i < r->n_unified; i++)
    {
      const spec_kv *kv = &r->unified[i];
      _cleanup_free_ char *ctrl = NULL, *value = xstrdup (kv->value);
      char *save = NULL;

      if (cg_unified_key_check (kv->key, err) < 0)
        return rt_error_ret (err);
      ctrl = xstrndup (kv->key, strchr (kv->key, '.') - kv->key);
      if (strcmp (ctrl, "cgroup") != 0 && !cg_list_has (dir, "cgroup.controllers", ctrl))
        {
          if (c->m->rootless)
            {
              _cleanup_free_ char *name = NULL;
              xasprintf (&name, "unified[%s]", kv->key);
              drop (c, name, ctrl);
              continue;
            }
          return rt_failx (err, ENOTSUP, "unified resource \"%s\" can't be set: controller \"%s\" not available",
                           kv->key, ctrl);
        }
      /* Multi-line values (io.max for several devices) are one write per
         line, as the kernel parses one line per write.  */
      for (char *l = strtok_r (value, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
        if (cg_write (dir, kv->key, l, err) < 0)
          return rt_wrap (err, "unable to set unified resource \"%s\"", kv->key);
    }
  return 0;
}

static int
apply_devices (apply_ctx *c, const spec_resources *r, rt_error *err)
{
  _cleanup_free_ cg_dev_rule *rules = NULL;
  _cleanup_free_ struct bpf_insn *insns = NULL;
  _cleanup_close_ int fd = -1;
  size_t n = 0, n_insns = 0;
  const char *dir;
  bool v2;
  char line[96];

  /* Device rules need privileges a rootless runtime never has (writing
     devices.allow, or CAP_BPF): runc skips them too.  */
  if (c->m->rootless)
    {
      rt_debug ("rootless: device cgroup rules are not applied");
      return 0;
    }
  if (cg_dev_rules_build (r, &rules, &n, err) < 0)
    return rt_error_ret (err);
  dir = cg_fs_controller_dir (c->m, "devices", &v2);
  if (dir == NULL)
    return rt_failx (err, ENOTSUP, "linux.resources.devices: no devices controller for cgroup %s", c->where);
  if (!v2)
    {
      /* A new cgroup: start from "deny everything", then replay the list
         in order, which is how v1 itself evaluates it.  */
      if (cg_write (dir, "devices.deny", "a", err) < 0)
        return rt_wrap (err, "linux.resources.devices");
      for (size_t i = 0; i < n; i++)
        {
          cg_dev_rule_v1_string (&rules[i], line, sizeof line);
          if (cg_write (dir, rules[i].allow ? "devices.allow" : "devices.deny", line, err) < 0)
            return rt_wrap (err, "linux.resources.devices");
        }
      return 0;
    }
  if (cg_bpf_devices_build (rules, n, &insns, &n_insns, err) < 0)
    return rt_wrap (err, "linux.resources.devices");
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "linux.resources.devices: open cgroup `%s`", dir);
  if (cg_bpf_devices_apply (fd, insns, n_insns, err) < 0)
    return rt_wrap (err, "linux.resources.devices");
  return 0;
}

int
cg_fs_apply (cg_manager *m, const spec_resources *r, bool update, rt_error *err)
{
  fs_priv *p = m->priv;
  apply_ctx c = { .m = m, .where = m->rel_path };
  int ret = 0;

  if (p->unified >= 0)
    c.where = p->dirs[p->unified].path;
  if (r && r->memory && (r->memory->has_kernel || r->memory->has_kernel_tcp))
    rt_warn ("Kernel memory settings are ignored and will be removed");
  if (!update)
    ret = apply_devices (&c, r, err);
  for (size_t i = 0; r && ret == 0 && i < ARRAY_SIZE (ctls); i++)
    if (!update || ctls[i].on_update)
      ret = apply_ctl (&c, &ctls[i], r, update, err);
  if (r && ret == 0)
    ret = apply_unified (&c, r, err);
  if (ret == 0 && c.dropped)
    rt_warn ("rootless: these limits are not applied because their cgroup controllers are not delegated to this user: "
             "%s.  To have them, an administrator must delegate the controllers (%s): with systemd, a drop-in "
             "/etc/systemd/system/user@.service.d/delegate.conf containing \"[Service]\" and \"Delegate=%s\", then "
             "`systemctl daemon-reload` and a new login; without systemd, by enabling them in the "
             "cgroup.subtree_control files above %s and chowning the user's subtree to the user",
             c.dropped, c.dropped_ctrls, c.dropped_ctrls, c.where);
  free (c.dropped);
  free (c.dropped_ctrls);
  return ret;
}
