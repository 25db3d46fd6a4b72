/* The library side of the commands that work through the container's
 * cgroup: ps, pause, resume, update and events.  State checks and
 * messages follow runc's (a paused container cannot be paused again:
 * "container not running"; resuming a running one: "container not
 * paused").  */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "cgroup_update.h"
#include "container_priv.h"
#include "json.h"
#include "util.h"

/* ---- ps ------------------------------------------------------------------ */

static void
add_pid (pid_t **v, size_t *n, pid_t pid)
{
  for (size_t i = 0; i < *n; i++)
    if ((*v)[i] == pid)
      return;
  *v = xrealloc (*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = pid;
}

/* Without a cgroup (rootless, no delegation) the container is still the
 * init and everything it started: walk /proc/PID/task/TID/children.  */
static void
add_descendants (pid_t pid, pid_t **v, size_t *n, int depth)
{
  _cleanup_free_ char *dir = NULL;
  DIR *d;
  struct dirent *de;

  add_pid (v, n, pid);
  if (depth > 64)
    return;
  xasprintf (&dir, "/proc/%d/task", (int) pid);
  d = opendir (dir);
  if (d == NULL)
    return;
  while ((de = readdir (d)) != NULL)
    {
      _cleanup_free_ char *path = NULL, *text = NULL;
      rt_error ignored = { 0 };
      char *save = NULL;

      if (de->d_name[0] == '.')
        continue;
      xasprintf (&path, "%s/%s/children", dir, de->d_name);
      if (read_file_at (AT_FDCWD, path, &text, &ignored) < 0)
        continue;
      for (char *t = strtok_r (text, " \n", &save); t; t = strtok_r (NULL, " \n", &save))
        add_descendants ((pid_t) atoi (t), v, n, depth + 1);
    }
  closedir (d);
}

int
rt_container_pids (const rt_context *ctx, const char *id, pid_t **pids, size_t *n, rt_error *err)
{
  ctr_handle o;
  int ret;

  *pids = NULL;
  *n = 0;
  ret = ctr_open (ctx, id, false, &o, err);
  if (ret == 0)
    {
      if (o.cg->disabled)
        {
          if (o.status != RT_STATUS_STOPPED)
            add_descendants (o.st.pid, pids, n, 0);
        }
      else
        {
          ret = cg_pids (o.cg, pids, n, err);
          /* A stopped container whose cgroup is gone has no processes.  */
          if (ret == -ENOENT && o.status == RT_STATUS_STOPPED)
            {
              rt_error_clear (err);
              ret = 0;
            }
        }
    }
  ctr_close (&o);
  return ret;
}

/* ---- pause / resume ---------------------------------------------------- */

int
rt_container_pause (const rt_context *ctx, const char *id, rt_error *err)
{
  ctr_handle o;
  int ret = ctr_open (ctx, id, true, &o, err);

  if (ret == 0)
    {
      if (o.status != RT_STATUS_RUNNING && o.status != RT_STATUS_CREATED)
        ret = rt_failx (err, EINVAL, "container not running");
      else
        ret = cg_freeze (o.cg, true, err);
    }
  ctr_close (&o);
  return ret;
}

int
rt_container_resume (const rt_context *ctx, const char *id, rt_error *err)
{
  ctr_handle o;
  int ret = ctr_open (ctx, id, true, &o, err);

  if (ret == 0)
    {
      if (o.status != RT_STATUS_PAUSED)
        ret = rt_failx (err, EINVAL, "container not paused");
      else
        ret = cg_freeze (o.cg, false, err);
    }
  ctr_close (&o);
  return ret;
}

/* ---- update ---------------------------------------------------------------- */

static int
read_resources_file (const char *path, spec_resources **out, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  ssize_t len;

  if (strcmp (path, "-") == 0)
    len = read_fd (STDIN_FILENO, &text, err);
  else
    len = read_file_at (AT_FDCWD, path, &text, err);
  if (len < 0)
    return rt_wrap (err, "update --resources");
  *out = spec_resources_load_text (text, (size_t) len, strcmp (path, "-") == 0 ? "stdin" : path, err);
  return *out ? 0 : rt_error_ret (err);
}

int
rt_update_resources (const rt_update_opts *o, spec_resources **out, rt_error *err)
{
  spec_resources *r = NULL;
  spec_memory *m;
  spec_cpu *c;

  *out = NULL;
  if (o->resources_path)
    {
      if (read_resources_file (o->resources_path, &r, err) < 0)
        return rt_error_ret (err);
      cg_update_restrict (r);
      *out = r;
      return 0;
    }
  r = xzalloc (sizeof *r);
  m = r->memory = xzalloc (sizeof *r->memory);
  c = r->cpu = xzalloc (sizeof *r->cpu);
  {
    /* Each numeric flag: its kind of value, and where it goes.  */
    enum kind
    {
      UNSIGNED,
      SIGNED,
      SIZE
    };
    const struct
    {
      const char *flag, *val;
      enum kind kind;
      void *dst;
      bool *has;
    } t[] = {
      { "cpu-period", o->cpu_period, UNSIGNED, &c->period, &c->has_period },
      { "cpu-rt-period", o->cpu_rt_period, UNSIGNED, &c->realtime_period, &c->has_realtime_period },
      { "cpu-share", o->cpu_share, UNSIGNED, &c->shares, &c->has_shares },
      { "cpu-burst", o->cpu_burst, UNSIGNED, &c->burst, &c->has_burst },
      { "cpu-quota", o->cpu_quota, SIGNED, &c->quota, &c->has_quota },
      { "cpu-rt-runtime", o->cpu_rt_runtime, SIGNED, &c->realtime_runtime, &c->has_realtime_runtime },
      { "cpu-idle", o->cpu_idle, SIGNED, &c->idle, &c->has_idle },
      { "memory", o->memory, SIZE, &m->limit, &m->has_limit },
      { "memory-swap", o->memory_swap, SIZE, &m->swap, &m->has_swap },
      { "memory-reservation", o->memory_reservation, SIZE, &m->reservation, &m->has_reservation },
    };

    for (size_t i = 0; i < ARRAY_SIZE (t); i++)
      {
        int r2;
        if (t[i].val == NULL || t[i].val[0] == '\0')
          continue;
        if (t[i].kind == UNSIGNED)
          r2 = cg_parse_flag_u64 (t[i].flag, t[i].val, t[i].dst, err);
        else if (t[i].kind == SIGNED)
          r2 = cg_parse_flag_i64 (t[i].flag, t[i].val, t[i].dst, err);
        else
          r2 = cg_parse_flag_size (t[i].flag, t[i].val, t[i].dst, err);
        if (r2 < 0)
          goto fail;
        *t[i].has = true;
      }
  }
  if (o->cpuset_cpus && o->cpuset_cpus[0])
    c->cpus = xstrdup (o->cpuset_cpus);
  if (o->cpuset_mems && o->cpuset_mems[0])
    c->mems = xstrdup (o->cpuset_mems);
  if ((o->kernel_memory && o->kernel_memory[0]) || (o->kernel_memory_tcp && o->kernel_memory_tcp[0]))
    rt_warn ("Kernel memory settings are ignored and will be removed");
  /* runc treats --blkio-weight 0 as "not given".  */
  if (o->has_blkio_weight && o->blkio_weight != 0)
    {
      r->block_io = xzalloc (sizeof *r->block_io);
      r->block_io->has_weight = true;
      r->block_io->weight = (uint16_t) o->blkio_weight;
    }
  if (o->has_pids_limit)
    {
      r->has_pids = true;
      r->pids_limit = o->pids_limit;
    }
  *out = r;
  return 0;
fail:
  spec_resources_free (r);
  return rt_error_ret (err);
}

/* Intel RDT is not managed by this runtime; runc's checks come first so
 * the common case (no resctrl on the host) reads the same.  */
static int
check_rdt (const rt_update_opts *o, rt_error *err)
{
  struct stat st;

  if (o->l3_cache_schema && o->l3_cache_schema[0] && stat ("/sys/fs/resctrl/info/L3", &st) < 0)
    return rt_failx (err, ENOTSUP, "Intel RDT/CAT: l3 cache schema is not enabled");
  if (o->mem_bw_schema && o->mem_bw_schema[0] && stat ("/sys/fs/resctrl/info/MB", &st) < 0)
    return rt_failx (err, ENOTSUP, "Intel RDT/MBA: memory bandwidth schema is not enabled");
  if ((o->l3_cache_schema && o->l3_cache_schema[0]) || (o->mem_bw_schema && o->mem_bw_schema[0]))
    return rt_failx (err, ENOTSUP, "Intel RDT: updating the schemata is not supported by this runtime");
  return 0;
}

/* The container's current linux.resources, from its stored config.json.  */
static spec_resources *
stored_resources (const char *config, size_t len, rt_error *err)
{
  spec *s = spec_load_text (config, len, "stored config.json", err);
  spec_resources *r;

  if (s == NULL)
    return NULL;
  if (s->linux_ && s->linux_->resources)
    {
      r = s->linux_->resources;
      s->linux_->resources = NULL;
    }
  else
    r = xzalloc (sizeof *r);
  spec_free (s);
  return r;
}

int
rt_container_update (const rt_context *ctx, const char *id, const rt_update_opts *opts, rt_error *err)
{
  ctr_handle o;
  spec_resources *u = NULL, *cur = NULL;
  _cleanup_free_ char *config = NULL, *updated = NULL;
  ssize_t len;
  int ret;

  /* runc names a missing container before judging the options.  */
  ret = ctr_open (ctx, id, true, &o, err);
  if (ret < 0)
    return ret;
  ret = check_rdt (opts, err);
  if (ret < 0)
    goto out;
  ret = rt_update_resources (opts, &u, err);
  if (ret < 0)
    goto out;
  if (o.status == RT_STATUS_STOPPED)
    {
      ret = rt_failx (err, EINVAL, "container not running");
      goto out;
    }
  len = read_file_at (o.dir_fd, STATE_CONFIG_FILE, &config, err);
  if (len < 0)
    {
      ret = rt_wrap (err, "read the container's stored config.json");
      goto out;
    }
  cur = stored_resources (config, (size_t) len, err);
  if (cur == NULL)
    {
      ret = rt_error_ret (err);
      goto out;
    }
  cg_update_pair (u, cur);
  cg_update_merge (cur, u);
  ret = cg_apply (o.cg, u, true, err);
  if (ret < 0)
    goto out;
  /* Recorded only once applied, so the stored config never claims a
     limit the cgroup does not have.  */
  updated = cg_config_replace_resources (config, (size_t) len, cur, err);
  if (updated == NULL)
    {
      ret = rt_error_ret (err);
      goto out;
    }
  ret = write_file_atomic (o.dir_fd, STATE_CONFIG_FILE, updated, strlen (updated), 0600, err);
  if (ret < 0)
    rt_wrap (err, "record the update in the stored config.json");
out:
  spec_resources_free (u);
  spec_resources_free (cur);
  ctr_close (&o);
  return ret;
}

/* ---- events ------------------------------------------------------------------ */

static bool
own_netns (pid_t pid)
{
  char a[64], b[64], p[64];
  ssize_t la, lb;

  snprintf (p, sizeof p, "/proc/%d/ns/net", (int) pid);
  la = readlink (p, a, sizeof a - 1);
  lb = readlink ("/proc/self/ns/net", b, sizeof b - 1);
  return la > 0 && lb > 0 && (la != lb || memcmp (a, b, (size_t) la) != 0);
}

/* /proc/PID/net/dev shows the interfaces of the network namespace PID is
 * in, so no setns is needed to read the container's.  */
static void
read_netifs (pid_t pid, cg_stats *s)
{
  _cleanup_free_ char *path = NULL, *text = NULL;
  rt_error ignored = { 0 };
  char *save = NULL;
  int line = 0;

  if (pid <= 0 || !own_netns (pid))
    return;
  xasprintf (&path, "/proc/%d/net/dev", (int) pid);
  if (read_file_at (AT_FDCWD, path, &text, &ignored) < 0)
    return;
  for (char *l = strtok_r (text, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    {
      char *colon = strchr (l, ':');
      cg_netif_stat n = { 0 };
      uint64_t skip;

      if (++line <= 2 || colon == NULL)
        continue;
      *colon = '\0';
      while (*l == ' ')
        l++;
      if (strcmp (l, "lo") == 0)
        continue;
      if (sscanf (colon + 1,
                  "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
                  " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
                  &n.rx_bytes, &n.rx_packets, &n.rx_errors, &n.rx_dropped, &skip, &skip, &skip, &skip, &n.tx_bytes,
                  &n.tx_packets, &n.tx_errors, &n.tx_dropped)
          != 12)
        continue;
      n.name = xstrdup (l);
      s->netifs = xrealloc (s->netifs, (s->n_netifs + 1) * sizeof *s->netifs);
      s->netifs[s->n_netifs++] = n;
    }
}

static int
stats_of (ctr_handle *o, cg_stats *out, rt_error *err)
{
  if (cg_stats_get (o->cg, out, err) < 0)
    return rt_error_ret (err);
  read_netifs (o->st.pid, out);
  return 0;
}

int
rt_container_stats (const rt_context *ctx, const char *id, cg_stats *out, rt_error *err)
{
  ctr_handle o;
  int ret = ctr_open (ctx, id, false, &o, err);

  memset (out, 0, sizeof *out);
  if (ret == 0)
    {
      if (o.status == RT_STATUS_STOPPED)
        ret = rt_failx (err, ESRCH, "container with id %s is not running", id);
      else
        ret = stats_of (&o, out, err);
    }
  ctr_close (&o);
  return ret;
}

char *
rt_event_json (const char *type, const char *id, const cg_stats *stats)
{
  json_writer *w = json_writer_new (0);

  json_w_object_begin (w);
  json_w_kv_string (w, "type", type);
  json_w_kv_string (w, "id", id);
  if (stats)
    {
      json_w_key (w, "data");
      cg_stats_write_json (w, stats);
    }
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}

static int
emit (rt_event_cb cb, void *data, const char *type, const char *id, const cg_stats *s)
{
  _cleanup_free_ char *line = rt_event_json (type, id, s);
  return cb (line, data);
}

static uint64_t
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

int
rt_container_events (const rt_context *ctx, const char *id, uint64_t interval_ms, bool stats_only, rt_event_cb cb,
                     void *data, rt_error *err)
{
  ctr_handle o;
  cg_oom_watch *w = NULL;
  uint64_t next;
  int ret;

  if (interval_ms == 0 && !stats_only)
    return rt_failx (err, EINVAL, "duration interval must be greater than 0");
  ret = ctr_open (ctx, id, false, &o, err);
  if (ret < 0)
    goto out;
  if (o.status == RT_STATUS_STOPPED)
    {
      ret = rt_failx (err, ESRCH, "container with id %s is not running", id);
      goto out;
    }
  /* The stream may run for days: it must not keep the container's lock,
     or `delete` would wait for it.  */
  close (TAKE_FD (o.dir_fd));
  if (stats_only)
    {
      cg_stats s;
      ret = stats_of (&o, &s, err);
      if (ret == 0)
        ret = emit (cb, data, "stats", id, &s);
      cg_stats_free (&s);
      goto out;
    }
  {
    rt_error e2 = { 0 };
    if (cg_oom_watch_open (o.cg, &w, &e2) < 0)
      rt_debug ("events: no OOM notifications: %s", e2.msg);
  }
  next = now_ms () + interval_ms;
  for (;;)
    {
      struct pollfd p = { .fd = w ? cg_oom_watch_fd (w) : -1, .events = POLLIN };
      uint64_t t = now_ms ();
      int timeout = t >= next ? 0 : (int) (next - t);
      int n = poll (&p, 1, timeout);

      if (n < 0 && errno != EINTR)
        {
          ret = rt_fail (err, errno, "events: poll");
          break;
        }
      if (n > 0 && (p.revents & POLLIN))
        {
          uint64_t kills;
          bool gone;
          if (cg_oom_watch_read (w, &kills, &gone, err) < 0)
            {
              ret = rt_error_ret (err);
              break;
            }
          if (kills && (ret = emit (cb, data, "oom", id, NULL)) < 0)
            break;
          if (gone)
            {
              ret = 0;
              break;
            }
        }
      if (now_ms () >= next)
        {
          cg_stats s;
          rt_error e2 = { 0 };
          next += interval_ms;
          if (stats_of (&o, &s, &e2) < 0)
            {
              /* runc logs and carries on; the container's end is seen by
                 the OOM watch, or here when the cgroup has vanished.  */
              if (e2.code == ENOENT || !proc_alive (o.st.pid, o.st.pid_start_time))
                {
                  cg_stats_free (&s);
                  ret = 0;
                  break;
                }
              rt_warn ("events: %s", e2.msg);
            }
          else if ((ret = emit (cb, data, "stats", id, &s)) < 0)
            {
              cg_stats_free (&s);
              break;
            }
          cg_stats_free (&s);
        }
    }
out:
  cg_oom_watch_free (w);
  ctr_close (&o);
  return ret;
}
