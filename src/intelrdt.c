/* Intel RDT through resctrl (see intelrdt.h).  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "intelrdt.h"
#include "util.h"

#define RDTGROUP_SUPER_MAGIC 0x7655821

/* ---- the schemata text ------------------------------------------------------------------ */

static void
append (char **buf, size_t *len, const char *s, size_t n)
{
  *buf = xrealloc (*buf, *len + n + 2);
  memcpy (*buf + *len, s, n);
  *len += n;
  (*buf)[(*len)++] = '\n';
  (*buf)[*len] = '\0';
}

/* Append every non-empty line of `text`, skipping MB: lines if asked.  */
static void
append_lines (char **buf, size_t *len, const char *text, bool skip_mb)
{
  const char *p = text;

  while (p && *p)
    {
      size_t n = strcspn (p, "\n");
      const char *line = p;
      size_t start = 0;

      while (start < n && (line[start] == ' ' || line[start] == '\t'))
        start++;
      if (n > start && !(skip_mb && strncmp (line + start, "MB:", 3) == 0))
        append (buf, len, line + start, n - start);
      p += n;
      if (*p == '\n')
        p++;
    }
}

void
rdt_build_schemata (const spec_intel_rdt *r, char **legacy, char **extra)
{
  size_t len = 0;
  bool has_mb = r->mem_bw_schema && r->mem_bw_schema[0];

  *legacy = *extra = NULL;
  append_lines (legacy, &len, r->l3_cache_schema, has_mb);
  append_lines (legacy, &len, r->mem_bw_schema, false);
  len = 0;
  for (size_t i = 0; i < r->n_schemata; i++)
    append_lines (extra, &len, r->schemata[i], false);
}

/* ---- comparing with an existing group ---------------------------------------------------- */

/* The value of `domain` on the schemata line of `resource` in `file`
   ("L3:0=7ff;1=7ff"), or NULL.  Points into `file`; *n is its length.  */
static const char *
find_value (const char *file, const char *resource, size_t rlen, const char *domain, size_t dlen, size_t *n)
{
  const char *p = file;

  while (*p)
    {
      size_t ln = strcspn (p, "\n");
      const char *line = p, *end = p + ln;

      while (line < end && (*line == ' ' || *line == '\t'))
        line++;
      if ((size_t) (end - line) > rlen && strncmp (line, resource, rlen) == 0 && line[rlen] == ':')
        {
          const char *q = line + rlen + 1;
          while (q < end)
            {
              size_t item = strcspn (q, ";\n");
              const char *eq = memchr (q, '=', item);
              const char *d = q;
              size_t dl;

              if (item > (size_t) (end - q))
                item = (size_t) (end - q);
              while (d < q + item && *d == ' ')
                d++;
              dl = eq ? (size_t) (eq - d) : 0;
              while (dl && d[dl - 1] == ' ')
                dl--;
              if (eq && dl == dlen && strncmp (d, domain, dlen) == 0)
                {
                  *n = (size_t) (q + item - eq - 1);
                  return eq + 1;
                }
              q += item + 1;
            }
        }
      p += ln;
      if (*p == '\n')
        p++;
    }
  return NULL;
}

static bool
same_value (const char *a, size_t an, const char *b, size_t bn, int base)
{
  char x[64], y[64];
  char *ex, *ey;
  unsigned long long vx, vy;

  while (an && *a == ' ')
    a++, an--;
  while (bn && *b == ' ')
    b++, bn--;
  while (an && a[an - 1] == ' ')
    an--;
  while (bn && b[bn - 1] == ' ')
    bn--;
  if (an == 0 || bn == 0 || an >= sizeof x || bn >= sizeof y)
    return an == bn && strncmp (a, b, an) == 0;
  memcpy (x, a, an);
  x[an] = '\0';
  memcpy (y, b, bn);
  y[bn] = '\0';
  errno = 0;
  vx = strtoull (x, &ex, base);
  vy = strtoull (y, &ey, base);
  if (*ex || *ey || errno)
    return strcmp (x, y) == 0;
  return vx == vy;
}

int
rdt_schemata_match (const char *schemata_file, const char *wanted, rt_error *err)
{
  const char *p = wanted;

  while (p && *p)
    {
      size_t ln = strcspn (p, "\n");
      const char *line = p, *end = p + ln;
      const char *colon;

      while (line < end && (*line == ' ' || *line == '\t'))
        line++;
      colon = memchr (line, ':', (size_t) (end - line));
      if (colon)
        {
          size_t rlen = (size_t) (colon - line);
          /* Cache masks are hexadecimal; MB: values are percentages or
             MBps, decimal.  */
          int base = (rlen == 2 && strncmp (line, "MB", 2) == 0) ? 10 : 16;
          const char *q = colon + 1;

          while (q < end)
            {
              size_t item = strcspn (q, ";\n");
              const char *eq;
              const char *have;
              size_t hn = 0, dl;
              const char *d = q;

              if (item > (size_t) (end - q))
                item = (size_t) (end - q);
              eq = memchr (q, '=', item);
              while (d < q + item && *d == ' ')
                d++;
              if (eq)
                {
                  dl = (size_t) (eq - d);
                  while (dl && d[dl - 1] == ' ')
                    dl--;
                  have = find_value (schemata_file, line, rlen, d, dl, &hn);
                  if (have == NULL || !same_value (have, hn, eq + 1, (size_t) (q + item - eq - 1), base))
                    return rt_failx (err, EEXIST, "schemata line \"%.*s\" does not match the group's: %.*s%s%.*s",
                                     (int) (end - line), line, (int) rlen, line, have ? "=" : " has no domain ",
                                     have ? (int) hn : (int) dl, have ? have : d);
                }
              q += item + 1;
            }
        }
      p += ln;
      if (*p == '\n')
        p++;
    }
  return 0;
}

/* ---- the filesystem side ----------------------------------------------------------------- */

static const char *
clos_name (const char *id, const spec_intel_rdt *r)
{
  return r->clos_id && r->clos_id[0] ? r->clos_id : id;
}

static bool
monitoring (const spec_intel_rdt *r)
{
  return r->enable_monitoring || r->enable_cmt || r->enable_mbm;
}

int
rdt_check (const char *root, const spec_intel_rdt *r, rt_error *err)
{
  struct statfs sf;

  if (r->clos_id && (strcmp (r->clos_id, ".") == 0 || strcmp (r->clos_id, "..") == 0 || strchr (r->clos_id, '/')))
    return rt_failx (err, EINVAL, "linux.intelRdt.closID: invalid intelRdt.ClosID \"%s\"", r->clos_id);
  if (statfs (root, &sf) < 0 || sf.f_type != RDTGROUP_SUPER_MAGIC)
    return rt_failx (err, ENODEV, "linux.intelRdt: Intel RDT is not available: resctrl is not mounted on %s", root);
  return 0;
}

/* The kernel explains a refused schemata write in info/last_cmd_status.  */
static int
write_group_file (const char *root, const char *dir, const char *file, const char *text, rt_error *err)
{
  _cleanup_free_ char *path = NULL;
  _cleanup_close_ int fd = -1;

  xasprintf (&path, "%s/%s", dir, file);
  /* O_CREAT is a no-op on resctrl, whose groups come with their files.  */
  fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return rt_fail (err, errno, "linux.intelRdt: open `%s`", path);
  if (write (fd, text, strlen (text)) < 0)
    {
      int e = errno;
      _cleanup_free_ char *status_path = NULL, *status = NULL;
      rt_error ignored = { 0 };

      xasprintf (&status_path, "%s/info/last_cmd_status", root);
      if (read_file_at (AT_FDCWD, status_path, &status, &ignored) > 0)
        {
          status[strcspn (status, "\n")] = '\0';
          return rt_failx (err, e, "linux.intelRdt: write `%s`: %s (%s)", path, strerror (e), status);
        }
      return rt_fail (err, e, "linux.intelRdt: write `%s`", path);
    }
  return 0;
}

static int
add_task (const char *root, const char *dir, pid_t pid, rt_error *err)
{
  char buf[32];
  snprintf (buf, sizeof buf, "%d", (int) pid);
  return write_group_file (root, dir, "tasks", buf, err);
}

static int
write_or_match (const char *root, const char *group, bool existing, const char *text, rt_error *err)
{
  _cleanup_free_ char *path = NULL, *current = NULL;

  if (text == NULL)
    return 0;
  if (!existing)
    return write_group_file (root, group, "schemata", text, err);
  xasprintf (&path, "%s/schemata", group);
  if (read_file_at (AT_FDCWD, path, &current, err) < 0)
    return rt_wrap (err, "linux.intelRdt");
  if (rdt_schemata_match (current, text, err) < 0)
    return rt_wrap (err, "linux.intelRdt: closID group `%s` exists with other settings", group);
  return 0;
}

/* The group a process of the container goes into.  */
static char *
task_dir (const char *root, const char *id, const spec_intel_rdt *r)
{
  char *dir = NULL;

  if (monitoring (r))
    xasprintf (&dir, "%s/%s/mon_groups/%s", root, clos_name (id, r), id);
  else
    xasprintf (&dir, "%s/%s", root, clos_name (id, r));
  return dir;
}

int
rdt_apply (const char *root, const char *id, const spec_intel_rdt *r, pid_t pid, rt_error *err)
{
  _cleanup_free_ char *group = NULL, *legacy = NULL, *extra = NULL, *tasks = NULL;
  bool existing = false;
  struct stat st;

  rdt_build_schemata (r, &legacy, &extra);
  xasprintf (&group, "%s/%s", root, clos_name (id, r));
  if (mkdir (group, 0755) < 0)
    {
      if (errno != EEXIST)
        return rt_fail (err, errno, "linux.intelRdt: create resctrl group `%s`", group);
      /* Only a group the config names is someone else's to keep.  */
      existing = r->clos_id && r->clos_id[0];
    }
  else if (r->clos_id && r->clos_id[0] && legacy == NULL && extra == NULL)
    {
      /* Without schemata, a closID must name a group set up beforehand.  */
      rmdir (group);
      return rt_failx (err, ENOENT,
                       "linux.intelRdt.closID: resctrl group `%s` does not exist (it must be created beforehand "
                       "when no schemata is given)",
                       group);
    }
  if (write_or_match (root, group, existing, legacy, err) < 0 || write_or_match (root, group, existing, extra, err) < 0)
    return rt_error_ret (err);

  tasks = task_dir (root, id, r);
  if (monitoring (r) && mkdir (tasks, 0755) < 0 && errno != EEXIST)
    {
      if (errno == ENOENT && stat (group, &st) == 0)
        return rt_failx (err, ENOTSUP, "linux.intelRdt.enableMonitoring: resctrl has no monitoring (no `%s/mon_groups`)",
                         group);
      return rt_fail (err, errno, "linux.intelRdt: create monitoring group `%s`", tasks);
    }
  return add_task (root, tasks, pid, err);
}

int
rdt_join (const char *root, const char *id, const spec_intel_rdt *r, pid_t pid, rt_error *err)
{
  _cleanup_free_ char *tasks = task_dir (root, id, r);
  struct stat st;

  if (stat (tasks, &st) < 0)
    return 0;
  return add_task (root, tasks, pid, err);
}

int
rdt_remove (const char *root, const char *id, const spec_intel_rdt *r, rt_error *err)
{
  _cleanup_free_ char *mon = NULL, *group = NULL;

  if (monitoring (r))
    {
      xasprintf (&mon, "%s/%s/mon_groups/%s", root, clos_name (id, r), id);
      if (rmdir (mon) < 0 && errno != ENOENT)
        return rt_fail (err, errno, "remove resctrl monitoring group `%s`", mon);
    }
  if (r->clos_id && r->clos_id[0])
    return 0;
  xasprintf (&group, "%s/%s", root, id);
  if (rmdir (group) < 0 && errno != ENOENT)
    return rt_fail (err, errno, "remove resctrl group `%s`", group);
  return 0;
}
