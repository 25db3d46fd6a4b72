/* Statistics for `events`, read from whichever hierarchy holds each
 * controller (v1 file names or v2 ones), and their JSON form, which
 * follows runc's types/events.go field for field: struct-typed members
 * are always written (Go's omitempty does not apply to structs), scalar
 * omitempty members only when not zero.  */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "json.h"
#include "util.h"

static uint64_t
read_u64_or0 (const char *dir, const char *file)
{
  rt_error ignored = { 0 };
  uint64_t v = 0;
  cg_read_u64 (dir, file, &v, &ignored);
  return v;
}

static uint64_t *
parse_u64_list (const char *text, size_t *n)
{
  _cleanup_free_ char *copy = xstrdup (text);
  uint64_t *v = NULL;
  char *save = NULL;

  *n = 0;
  for (char *t = strtok_r (copy, " \n", &save); t; t = strtok_r (NULL, " \n", &save))
    {
      v = xrealloc (v, (*n + 1) * sizeof *v);
      v[(*n)++] = strtoull (t, NULL, 10);
    }
  return v;
}

/* "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" (and "full ...").  */
static bool
read_psi (const char *dir, const char *file, cg_psi *out)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *save = NULL;

  memset (out, 0, sizeof *out);
  if (cg_read (dir, file, &text, &ignored) < 0)
    return false;
  for (char *l = strtok_r (text, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    {
      cg_psi_data *d = str_has_prefix (l, "some ") ? &out->some : str_has_prefix (l, "full ") ? &out->full : NULL;
      if (d == NULL)
        continue;
      sscanf (l + 5, "avg10=%lf avg60=%lf avg300=%lf total=%" SCNu64, &d->avg10, &d->avg60, &d->avg300, &d->total);
    }
  return true;
}

/* ---- cpu ------------------------------------------------------------- */

static void
cpu_v2 (const char *dir, cg_stats *s)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *save = NULL;

  if (cg_read (dir, "cpu.stat", &text, &ignored) == 0)
    for (char *l = strtok_r (text, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
      {
        char key[64];
        uint64_t v;
        if (sscanf (l, "%63s %" SCNu64, key, &v) != 2)
          continue;
        if (strcmp (key, "usage_usec") == 0)
          s->cpu.total = v * 1000;
        else if (strcmp (key, "user_usec") == 0)
          s->cpu.user = v * 1000;
        else if (strcmp (key, "system_usec") == 0)
          s->cpu.kernel = v * 1000;
        else if (strcmp (key, "nr_periods") == 0)
          s->cpu.periods = v;
        else if (strcmp (key, "nr_throttled") == 0)
          s->cpu.throttled_periods = v;
        else if (strcmp (key, "throttled_usec") == 0)
          s->cpu.throttled_time = v * 1000;
      }
  s->cpu.has_psi = read_psi (dir, "cpu.pressure", &s->cpu.psi);
}

static void
cpuacct_v1 (const char *dir, cg_stats *s)
{
  _cleanup_free_ char *text = NULL, *all = NULL;
  rt_error ignored = { 0 };
  long tck = sysconf (_SC_CLK_TCK);
  char *save = NULL;

  s->cpu.total = read_u64_or0 (dir, "cpuacct.usage");
  if (cg_read (dir, "cpuacct.usage_percpu", &text, &ignored) == 0)
    s->cpu.percpu = parse_u64_list (text, &s->cpu.n_percpu);
  free (text);
  text = NULL;
  /* cpuacct.stat counts in USER_HZ ticks.  */
  if (cg_read (dir, "cpuacct.stat", &text, &ignored) == 0 && tck > 0)
    for (char *l = strtok_r (text, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
      {
        uint64_t v;
        if (sscanf (l, "user %" SCNu64, &v) == 1)
          s->cpu.user = v * 1000000000ull / (uint64_t) tck;
        else if (sscanf (l, "system %" SCNu64, &v) == 1)
          s->cpu.kernel = v * 1000000000ull / (uint64_t) tck;
      }
  /* "cpu user system" then one line per CPU.  */
  if (cg_read (dir, "cpuacct.usage_all", &all, &ignored) == 0)
    {
      save = NULL;
      for (char *l = strtok_r (all, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
        {
          unsigned cpu;
          uint64_t u, k;
          if (sscanf (l, "%u %" SCNu64 " %" SCNu64, &cpu, &u, &k) != 3)
            continue;
          s->cpu.percpu_user = xrealloc (s->cpu.percpu_user, (s->cpu.n_percpu_user + 1) * sizeof (uint64_t));
          s->cpu.percpu_kernel = xrealloc (s->cpu.percpu_kernel, (s->cpu.n_percpu_kernel + 1) * sizeof (uint64_t));
          s->cpu.percpu_user[s->cpu.n_percpu_user++] = u;
          s->cpu.percpu_kernel[s->cpu.n_percpu_kernel++] = k;
        }
    }
}

static void
cpu_v1 (const char *dir, cg_stats *s)
{
  rt_error ignored = { 0 };
  cg_read_key_u64 (dir, "cpu.stat", "nr_periods", &s->cpu.periods, &ignored);
  cg_read_key_u64 (dir, "cpu.stat", "nr_throttled", &s->cpu.throttled_periods, &ignored);
  cg_read_key_u64 (dir, "cpu.stat", "throttled_time", &s->cpu.throttled_time, &ignored);
}

/* ---- cpuset (v1) ------------------------------------------------------- */

static uint16_t *
parse_cpu_list (const char *text, size_t *n)
{
  _cleanup_free_ uint8_t *bits = NULL;
  size_t nb = 0;
  uint16_t *v = NULL;
  rt_error ignored = { 0 };

  *n = 0;
  if (cg_cpuset_to_bits (text, &bits, &nb, &ignored) < 0)
    return NULL;
  for (size_t i = 0; i < nb * 8; i++)
    if (bits[i / 8] & (1u << (i % 8)))
      {
        v = xrealloc (v, (*n + 1) * sizeof *v);
        v[(*n)++] = (uint16_t) i;
      }
  return v;
}

static void
cpuset_v1 (const char *dir, cg_stats *s)
{
  _cleanup_free_ char *cpus = NULL, *mems = NULL, *relax = NULL;
  rt_error ignored = { 0 };

  if (cg_read (dir, "cpuset.cpus", &cpus, &ignored) == 0)
    s->cpuset.cpus = parse_cpu_list (cpus, &s->cpuset.n_cpus);
  if (cg_read (dir, "cpuset.mems", &mems, &ignored) == 0)
    s->cpuset.mems = parse_cpu_list (mems, &s->cpuset.n_mems);
  s->cpuset.cpu_exclusive = read_u64_or0 (dir, "cpuset.cpu_exclusive");
  s->cpuset.mem_hardwall = read_u64_or0 (dir, "cpuset.mem_hardwall");
  s->cpuset.mem_exclusive = read_u64_or0 (dir, "cpuset.mem_exclusive");
  s->cpuset.memory_migrate = read_u64_or0 (dir, "cpuset.memory_migrate");
  s->cpuset.memory_spread_page = read_u64_or0 (dir, "cpuset.memory_spread_page");
  s->cpuset.memory_spread_slab = read_u64_or0 (dir, "cpuset.memory_spread_slab");
  s->cpuset.memory_pressure = read_u64_or0 (dir, "cpuset.memory_pressure");
  s->cpuset.sched_load_balance = read_u64_or0 (dir, "cpuset.sched_load_balance");
  if (cg_read (dir, "cpuset.sched_relax_domain_level", &relax, &ignored) == 0)
    s->cpuset.sched_relax_domain_level = strtoll (relax, NULL, 10);
}

/* ---- memory ------------------------------------------------------------ */

static int
kv_cmp (const void *a, const void *b)
{
  return strcmp (((const cg_kv_u64 *) a)->key, ((const cg_kv_u64 *) b)->key);
}

static void
memory_stat (const char *dir, cg_stats *s)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *save = NULL;

  if (cg_read (dir, "memory.stat", &text, &ignored) < 0)
    return;
  for (char *l = strtok_r (text, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    {
      char *sp = strchr (l, ' ');
      if (sp == NULL)
        continue;
      *sp = '\0';
      s->memory.raw = xrealloc (s->memory.raw, (s->memory.n_raw + 1) * sizeof *s->memory.raw);
      s->memory.raw[s->memory.n_raw].key = xstrdup (l);
      s->memory.raw[s->memory.n_raw].value = strtoull (sp + 1, NULL, 10);
      s->memory.n_raw++;
    }
  /* Go sorts map keys when it encodes them.  */
  qsort (s->memory.raw, s->memory.n_raw, sizeof *s->memory.raw, kv_cmp);
}

static uint64_t
raw_value (const cg_stats *s, const char *key)
{
  for (size_t i = 0; i < s->memory.n_raw; i++)
    if (strcmp (s->memory.raw[i].key, key) == 0)
      return s->memory.raw[i].value;
  return 0;
}

static void
mem_entry_v1 (const char *dir, const char *kind, cg_mem_entry *e)
{
  char f[64];
  const char *pfx = kind ? kind : "";
  const char *dot = kind ? "." : "";

  snprintf (f, sizeof f, "memory.%s%susage_in_bytes", pfx, dot);
  e->usage = read_u64_or0 (dir, f);
  snprintf (f, sizeof f, "memory.%s%smax_usage_in_bytes", pfx, dot);
  e->max = read_u64_or0 (dir, f);
  snprintf (f, sizeof f, "memory.%s%sfailcnt", pfx, dot);
  e->failcnt = read_u64_or0 (dir, f);
  snprintf (f, sizeof f, "memory.%s%slimit_in_bytes", pfx, dot);
  e->limit = read_u64_or0 (dir, f);
}

static void
memory_v1 (const char *dir, cg_stats *s)
{
  memory_stat (dir, s);
  s->memory.cache = raw_value (s, "cache");
  mem_entry_v1 (dir, NULL, &s->memory.usage);
  mem_entry_v1 (dir, "memsw", &s->memory.swap);
  mem_entry_v1 (dir, "kmem", &s->memory.kernel);
  mem_entry_v1 (dir, "kmem.tcp", &s->memory.kernel_tcp);
}

static void
memory_v2 (const char *dir, cg_stats *s)
{
  memory_stat (dir, s);
  s->memory.cache = raw_value (s, "file");
  s->memory.usage.usage = read_u64_or0 (dir, "memory.current");
  s->memory.usage.limit = read_u64_or0 (dir, "memory.max");
  s->memory.usage.max = read_u64_or0 (dir, "memory.peak");
  /* v1 reported swap as memory+swap; runc keeps that meaning on v2.  */
  if (cg_file_exists (dir, "memory.swap.current"))
    {
      s->memory.swap.usage = read_u64_or0 (dir, "memory.swap.current") + s->memory.usage.usage;
      s->memory.swap.limit = read_u64_or0 (dir, "memory.swap.max");
      s->memory.swap.max = read_u64_or0 (dir, "memory.swap.peak");
      if (s->memory.swap.limit != UINT64_MAX)
        s->memory.swap.limit += s->memory.usage.limit;
    }
  s->memory.has_psi = read_psi (dir, "memory.pressure", &s->memory.psi);
}

/* ---- pids -------------------------------------------------------------- */

static void
pids_any (const char *dir, cg_stats *s)
{
  s->pids.current = read_u64_or0 (dir, "pids.current");
  s->pids.limit = read_u64_or0 (dir, "pids.max");
  /* "max" is reported as 0, as runc always did.  */
  if (s->pids.limit == UINT64_MAX)
    s->pids.limit = 0;
}

static void
pids_from_procs (const char *dir, cg_stats *s)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };

  if (cg_read (dir, "cgroup.procs", &text, &ignored) < 0)
    return;
  for (char *c = text; *c; c++)
    if (*c == '\n')
      s->pids.current++;
}

/* ---- block I/O ------------------------------------------------------------ */

static void
blkio_add (cg_stats *s, enum cg_blkio_list l, uint64_t major, uint64_t minor, const char *op, uint64_t value)
{
  cg_blkio_entry *e;

  s->blkio.lists[l] = xrealloc (s->blkio.lists[l], (s->blkio.n[l] + 1) * sizeof *e);
  e = &s->blkio.lists[l][s->blkio.n[l]++];
  e->major = major;
  e->minor = minor;
  snprintf (e->op, sizeof e->op, "%s", op);
  e->value = value;
}

/* "8:0 Read 4096" lines; the "Total N" line has no device and is
   skipped, as runc does.  */
static void
blkio_v1_file (const char *dir, const char *file, enum cg_blkio_list l, cg_stats *s)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *save = NULL;

  if (cg_read (dir, file, &text, &ignored) < 0)
    return;
  for (char *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      uint64_t maj, min, v;
      char op[16];
      if (sscanf (line, "%" SCNu64 ":%" SCNu64 " %15s %" SCNu64, &maj, &min, op, &v) == 4)
        blkio_add (s, l, maj, min, op, v);
      else if (sscanf (line, "%" SCNu64 ":%" SCNu64 " %" SCNu64, &maj, &min, &v) == 3)
        blkio_add (s, l, maj, min, "", v);
    }
}

static void
blkio_v1 (const char *dir, cg_stats *s)
{
  static const struct
  {
    const char *file;
    enum cg_blkio_list l;
  } cfq[] = {
    { "blkio.io_service_bytes_recursive", CG_BLKIO_SERVICE_BYTES },
    { "blkio.io_serviced_recursive", CG_BLKIO_SERVICED },
    { "blkio.io_queued_recursive", CG_BLKIO_QUEUED },
    { "blkio.io_service_time_recursive", CG_BLKIO_SERVICE_TIME },
    { "blkio.io_wait_time_recursive", CG_BLKIO_WAIT_TIME },
    { "blkio.io_merged_recursive", CG_BLKIO_MERGED },
    { "blkio.time_recursive", CG_BLKIO_TIME },
    { "blkio.sectors_recursive", CG_BLKIO_SECTORS },
  };
  const char *prefix;

  /* Whichever accounting the I/O scheduler provides: CFQ's, BFQ's, or
     the throttling layer's that always exists.  */
  if (cg_file_exists (dir, "blkio.io_serviced_recursive"))
    prefix = "blkio.";
  else if (cg_file_exists (dir, "blkio.bfq.io_serviced_recursive"))
    prefix = "blkio.bfq.";
  else
    prefix = "blkio.throttle.";
  for (size_t i = 0; i < ARRAY_SIZE (cfq); i++)
    {
      _cleanup_free_ char *f = NULL;
      xasprintf (&f, "%s%s", prefix, cfq[i].file + strlen ("blkio."));
      blkio_v1_file (dir, f, cfq[i].l, s);
    }
}

static void
io_v2 (const char *dir, cg_stats *s)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *save = NULL;

  if (cg_read (dir, "io.stat", &text, &ignored) == 0)
    for (char *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
      {
        uint64_t maj, min;
        char *save2 = NULL, *tok;
        if (sscanf (line, "%" SCNu64 ":%" SCNu64, &maj, &min) != 2)
          continue;
        strtok_r (line, " ", &save2);
        while ((tok = strtok_r (NULL, " ", &save2)) != NULL)
          {
            static const struct
            {
              const char *key, *op;
              enum cg_blkio_list l;
            } map[] = {
              { "rbytes", "Read", CG_BLKIO_SERVICE_BYTES }, { "wbytes", "Write", CG_BLKIO_SERVICE_BYTES },
              { "dbytes", "Discard", CG_BLKIO_SERVICE_BYTES }, { "rios", "Read", CG_BLKIO_SERVICED },
              { "wios", "Write", CG_BLKIO_SERVICED },         { "dios", "Discard", CG_BLKIO_SERVICED },
            };
            char *eq = strchr (tok, '=');
            if (eq == NULL)
              continue;
            *eq = '\0';
            for (size_t i = 0; i < ARRAY_SIZE (map); i++)
              if (strcmp (tok, map[i].key) == 0)
                blkio_add (s, map[i].l, maj, min, map[i].op, strtoull (eq + 1, NULL, 10));
          }
      }
  s->blkio.has_psi = read_psi (dir, "io.pressure", &s->blkio.psi);
}

/* ---- hugetlb ----------------------------------------------------------- */

static int
hugetlb_cmp (const void *a, const void *b)
{
  return strcmp (((const cg_hugetlb_stat *) a)->pagesize, ((const cg_hugetlb_stat *) b)->pagesize);
}

static void
hugetlb_any (const char *dir, bool v2, cg_stats *s)
{
  DIR *d = opendir ("/sys/kernel/mm/hugepages");
  struct dirent *de;

  if (d == NULL)
    return;
  while ((de = readdir (d)) != NULL)
    {
      unsigned long long kb;
      cg_hugetlb_stat *h;
      char f[96];
      rt_error ignored = { 0 };

      if (sscanf (de->d_name, "hugepages-%llukB", &kb) != 1)
        continue;
      s->hugetlb = xrealloc (s->hugetlb, (s->n_hugetlb + 1) * sizeof *s->hugetlb);
      h = &s->hugetlb[s->n_hugetlb++];
      memset (h, 0, sizeof *h);
      h->pagesize = cg_hugepage_size_name (kb);
      if (v2)
        {
          snprintf (f, sizeof f, "hugetlb.%s.current", h->pagesize);
          h->usage = read_u64_or0 (dir, f);
          snprintf (f, sizeof f, "hugetlb.%s.events", h->pagesize);
          cg_read_key_u64 (dir, f, "max", &h->failcnt, &ignored);
        }
      else
        {
          snprintf (f, sizeof f, "hugetlb.%s.usage_in_bytes", h->pagesize);
          h->usage = read_u64_or0 (dir, f);
          snprintf (f, sizeof f, "hugetlb.%s.max_usage_in_bytes", h->pagesize);
          h->max = read_u64_or0 (dir, f);
          snprintf (f, sizeof f, "hugetlb.%s.failcnt", h->pagesize);
          h->failcnt = read_u64_or0 (dir, f);
        }
    }
  closedir (d);
  qsort (s->hugetlb, s->n_hugetlb, sizeof *s->hugetlb, hugetlb_cmp);
}

int
cg_fs_stats (cg_manager *m, cg_stats *s, rt_error *err)
{
  const char *dir;
  bool v2;

  memset (s, 0, sizeof *s);
  {
    fs_priv *p = m->priv;
    struct stat st;
    if (p->n > 0 && stat (p->dirs[0].path, &st) < 0)
      return rt_fail (err, errno, "cgroup `%s`", p->dirs[0].path);
  }
  /* On v2 cpu.stat exists even without the cpu controller.  */
  if ((dir = cg_fs_controller_dir (m, "cpu", &v2)) && !v2)
    cpu_v1 (dir, s);
  else if ((dir = cg_fs_unified_path (m)) && m->layout == CG_LAYOUT_V2)
    cpu_v2 (dir, s);
  if ((dir = cg_fs_controller_dir (m, "cpuacct", &v2)) && !v2)
    cpuacct_v1 (dir, s);
  if ((dir = cg_fs_controller_dir (m, "cpuset", &v2)) && !v2)
    cpuset_v1 (dir, s);
  if ((dir = cg_fs_controller_dir (m, "memory", &v2)))
    (v2 ? memory_v2 : memory_v1) (dir, s);
  if ((dir = cg_fs_controller_dir (m, "pids", &v2)))
    pids_any (dir, s);
  else if ((dir = cg_fs_unified_path (m)) && m->layout == CG_LAYOUT_V2)
    pids_from_procs (dir, s);
  if ((dir = cg_fs_controller_dir (m, "blkio", &v2)) && !v2)
    blkio_v1 (dir, s);
  else if ((dir = cg_fs_controller_dir (m, "io", &v2)))
    io_v2 (dir, s);
  if ((dir = cg_fs_controller_dir (m, "hugetlb", &v2)))
    hugetlb_any (dir, v2, s);
  return 0;
}

void
cg_stats_free (cg_stats *s)
{
  if (s == NULL)
    return;
  free (s->cpu.percpu);
  free (s->cpu.percpu_kernel);
  free (s->cpu.percpu_user);
  free (s->cpuset.cpus);
  free (s->cpuset.mems);
  for (size_t i = 0; i < s->memory.n_raw; i++)
    free (s->memory.raw[i].key);
  free (s->memory.raw);
  for (int l = 0; l < CG_BLKIO__COUNT; l++)
    free (s->blkio.lists[l]);
  for (size_t i = 0; i < s->n_hugetlb; i++)
    free (s->hugetlb[i].pagesize);
  free (s->hugetlb);
  for (size_t i = 0; i < s->n_netifs; i++)
    free (s->netifs[i].name);
  free (s->netifs);
  memset (s, 0, sizeof *s);
}

/* ---- JSON ---------------------------------------------------------------- */

static void
kv_u64_omit (json_writer *w, const char *key, uint64_t v)
{
  if (v)
    json_w_kv_uint (w, key, v);
}

static void
u64_array_omit (json_writer *w, const char *key, const uint64_t *v, size_t n)
{
  if (n == 0)
    return;
  json_w_key (w, key);
  json_w_array_begin (w);
  for (size_t i = 0; i < n; i++)
    json_w_uint (w, v[i]);
  json_w_array_end (w);
}

static void
u16_array_omit (json_writer *w, const char *key, const uint16_t *v, size_t n)
{
  if (n == 0)
    return;
  json_w_key (w, key);
  json_w_array_begin (w);
  for (size_t i = 0; i < n; i++)
    json_w_uint (w, v[i]);
  json_w_array_end (w);
}

static void
psi_data (json_writer *w, const char *key, const cg_psi_data *d)
{
  json_w_key (w, key);
  json_w_object_begin (w);
  json_w_key (w, "avg10");
  json_w_double (w, d->avg10);
  json_w_key (w, "avg60");
  json_w_double (w, d->avg60);
  json_w_key (w, "avg300");
  json_w_double (w, d->avg300);
  json_w_kv_uint (w, "total", d->total);
  json_w_object_end (w);
}

static void
psi (json_writer *w, bool has, const cg_psi *p)
{
  if (!has)
    return;
  json_w_key (w, "psi");
  json_w_object_begin (w);
  psi_data (w, "some", &p->some);
  psi_data (w, "full", &p->full);
  json_w_object_end (w);
}

static void
mem_entry (json_writer *w, const char *key, const cg_mem_entry *e)
{
  json_w_key (w, key);
  json_w_object_begin (w);
  json_w_kv_uint (w, "limit", e->limit);
  kv_u64_omit (w, "usage", e->usage);
  kv_u64_omit (w, "max", e->max);
  json_w_kv_uint (w, "failcnt", e->failcnt);
  json_w_object_end (w);
}

static void
blkio_list (json_writer *w, const char *key, const cg_blkio_entry *v, size_t n)
{
  if (n == 0)
    return;
  json_w_key (w, key);
  json_w_array_begin (w);
  for (size_t i = 0; i < n; i++)
    {
      json_w_object_begin (w);
      kv_u64_omit (w, "major", v[i].major);
      kv_u64_omit (w, "minor", v[i].minor);
      if (v[i].op[0])
        json_w_kv_string (w, "op", v[i].op);
      kv_u64_omit (w, "value", v[i].value);
      json_w_object_end (w);
    }
  json_w_array_end (w);
}

void
cg_stats_write_json (json_writer *w, const cg_stats *s)
{
  static const char *const blkio_keys[CG_BLKIO__COUNT] = {
    [CG_BLKIO_SERVICE_BYTES] = "ioServiceBytesRecursive", [CG_BLKIO_SERVICED] = "ioServicedRecursive",
    [CG_BLKIO_QUEUED] = "ioQueueRecursive",               [CG_BLKIO_SERVICE_TIME] = "ioServiceTimeRecursive",
    [CG_BLKIO_WAIT_TIME] = "ioWaitTimeRecursive",         [CG_BLKIO_MERGED] = "ioMergedRecursive",
    [CG_BLKIO_TIME] = "ioTimeRecursive",                  [CG_BLKIO_SECTORS] = "sectorsRecursive",
  };

  json_w_object_begin (w);

  json_w_key (w, "cpu");
  json_w_object_begin (w);
  json_w_key (w, "usage");
  json_w_object_begin (w);
  kv_u64_omit (w, "total", s->cpu.total);
  u64_array_omit (w, "percpu", s->cpu.percpu, s->cpu.n_percpu);
  u64_array_omit (w, "percpu_kernel", s->cpu.percpu_kernel, s->cpu.n_percpu_kernel);
  u64_array_omit (w, "percpu_user", s->cpu.percpu_user, s->cpu.n_percpu_user);
  json_w_kv_uint (w, "kernel", s->cpu.kernel);
  json_w_kv_uint (w, "user", s->cpu.user);
  json_w_object_end (w);
  json_w_key (w, "throttling");
  json_w_object_begin (w);
  kv_u64_omit (w, "periods", s->cpu.periods);
  kv_u64_omit (w, "throttledPeriods", s->cpu.throttled_periods);
  kv_u64_omit (w, "throttledTime", s->cpu.throttled_time);
  json_w_object_end (w);
  psi (w, s->cpu.has_psi, &s->cpu.psi);
  json_w_object_end (w);

  json_w_key (w, "cpuset");
  json_w_object_begin (w);
  u16_array_omit (w, "cpus", s->cpuset.cpus, s->cpuset.n_cpus);
  json_w_kv_uint (w, "cpu_exclusive", s->cpuset.cpu_exclusive);
  u16_array_omit (w, "mems", s->cpuset.mems, s->cpuset.n_mems);
  json_w_kv_uint (w, "mem_hardwall", s->cpuset.mem_hardwall);
  json_w_kv_uint (w, "mem_exclusive", s->cpuset.mem_exclusive);
  json_w_kv_uint (w, "memory_migrate", s->cpuset.memory_migrate);
  json_w_kv_uint (w, "memory_spread_page", s->cpuset.memory_spread_page);
  json_w_kv_uint (w, "memory_spread_slab", s->cpuset.memory_spread_slab);
  json_w_kv_uint (w, "memory_pressure", s->cpuset.memory_pressure);
  json_w_kv_uint (w, "sched_load_balance", s->cpuset.sched_load_balance);
  json_w_kv_int (w, "sched_relax_domain_level", s->cpuset.sched_relax_domain_level);
  json_w_object_end (w);

  json_w_key (w, "memory");
  json_w_object_begin (w);
  kv_u64_omit (w, "cache", s->memory.cache);
  mem_entry (w, "usage", &s->memory.usage);
  mem_entry (w, "swap", &s->memory.swap);
  mem_entry (w, "kernel", &s->memory.kernel);
  mem_entry (w, "kernelTCP", &s->memory.kernel_tcp);
  if (s->memory.n_raw)
    {
      json_w_key (w, "raw");
      json_w_object_begin (w);
      for (size_t i = 0; i < s->memory.n_raw; i++)
        json_w_kv_uint (w, s->memory.raw[i].key, s->memory.raw[i].value);
      json_w_object_end (w);
    }
  psi (w, s->memory.has_psi, &s->memory.psi);
  json_w_object_end (w);

  json_w_key (w, "pids");
  json_w_object_begin (w);
  kv_u64_omit (w, "current", s->pids.current);
  kv_u64_omit (w, "limit", s->pids.limit);
  json_w_object_end (w);

  json_w_key (w, "blkio");
  json_w_object_begin (w);
  for (int l = 0; l < CG_BLKIO__COUNT; l++)
    blkio_list (w, blkio_keys[l], s->blkio.lists[l], s->blkio.n[l]);
  psi (w, s->blkio.has_psi, &s->blkio.psi);
  json_w_object_end (w);

  json_w_key (w, "hugetlb");
  json_w_object_begin (w);
  for (size_t i = 0; i < s->n_hugetlb; i++)
    {
      json_w_key (w, s->hugetlb[i].pagesize);
      json_w_object_begin (w);
      kv_u64_omit (w, "usage", s->hugetlb[i].usage);
      kv_u64_omit (w, "max", s->hugetlb[i].max);
      json_w_kv_uint (w, "failcnt", s->hugetlb[i].failcnt);
      json_w_object_end (w);
    }
  json_w_object_end (w);

  json_w_key (w, "intel_rdt");
  json_w_object_begin (w);
  json_w_object_end (w);

  json_w_key (w, "network_interfaces");
  if (s->n_netifs == 0)
    json_w_null (w);
  else
    {
      json_w_array_begin (w);
      for (size_t i = 0; i < s->n_netifs; i++)
        {
          const cg_netif_stat *n = &s->netifs[i];
          json_w_object_begin (w);
          json_w_kv_string (w, "Name", n->name);
          json_w_kv_uint (w, "RxBytes", n->rx_bytes);
          json_w_kv_uint (w, "RxPackets", n->rx_packets);
          json_w_kv_uint (w, "RxErrors", n->rx_errors);
          json_w_kv_uint (w, "RxDropped", n->rx_dropped);
          json_w_kv_uint (w, "TxBytes", n->tx_bytes);
          json_w_kv_uint (w, "TxPackets", n->tx_packets);
          json_w_kv_uint (w, "TxErrors", n->tx_errors);
          json_w_kv_uint (w, "TxDropped", n->tx_dropped);
          json_w_object_end (w);
        }
      json_w_array_end (w);
    }
  json_w_object_end (w);
}
