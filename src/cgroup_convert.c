/* Pure conversions between what the OCI spec says (written for cgroup v1)
 * and what each cgroup interface or systemd wants, plus the parsers of the
 * value syntaxes users type (sizes with units, CPU lists, slice names).
 * Nothing here touches the filesystem, so all of it is unit tested.  */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>
#include <stddef.h>

#include "cgroup_priv.h"
#include "util.h"

/* runc >= 1.3 maps shares to weight with a quadratic in log2(shares)
   that keeps the three fixed points of both ranges: 2 -> 1, 1024 -> 100
   (both defaults) and 262144 -> 10000.  The older linear formula sent the
   default 1024 shares to weight 39, starving containers next to
   processes left at the default weight.  */
/* libm is loaded only when a share value is actually converted: linking
   it would cost every invocation of the runtime a shared-library load for
   two functions used by one formula (glibc's static libm cannot be mixed
   with a shared libc).  */
static int
load_libm (double (**log2_fn) (double), double (**pow_fn) (double, double))
{
  static double (*l2) (double);
  static double (*pw) (double, double);

  if (l2 == NULL)
    {
      void *h = dlopen ("libm.so.6", RTLD_NOW | RTLD_LOCAL);
      if (h == NULL)
        return -1;
      *(void **) &l2 = dlsym (h, "log2");
      *(void **) &pw = dlsym (h, "pow");
      if (l2 == NULL || pw == NULL)
        {
          l2 = NULL;
          return -1;
        }
    }
  *log2_fn = l2;
  *pow_fn = pw;
  return 0;
}

uint64_t
cg_shares_to_weight (uint64_t shares)
{
  double l, exponent, w;
  double (*log2_fn) (double);
  double (*pow_fn) (double, double);

  if (shares == 0)
    return 0;
  if (shares <= 2)
    return 1;
  if (shares >= 262144)
    return 10000;
  if (load_libm (&log2_fn, &pow_fn) < 0)
    return 1 + ((shares - 2) * 9999) / 262142; /* the older linear mapping */
  l = log2_fn ((double) shares);
  exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  w = pow_fn (10, exponent);
  /* ceil() without libm: w is in [1, 10000].  */
  return (uint64_t) w + ((double) (uint64_t) w < w ? 1 : 0);
}

uint64_t
cg_blkio_to_io_weight (uint16_t weight)
{
  if (weight == 0)
    return 0;
  return 1 + ((uint64_t) weight - 10) * 9999 / 990;
}

/* The spec's swap is memory+swap (v1's memsw); v2's memory.swap.max is the
   swap alone.  0 means "not set", -1 "unlimited".  */
int
cg_swap_to_v2 (int64_t swap, int64_t memory, int64_t *out, rt_error *err)
{
  *out = 0;
  if (memory == -1 && swap == 0)
    {
      /* Unlimited memory with swap unset: v1 would leave memsw unlimited
         too, so ask for both.  */
      *out = -1;
      return 0;
    }
  if (swap == -1 || swap == 0 || memory == -1)
    {
      *out = swap;
      return 0;
    }
  if (memory == 0)
    return rt_failx (err, EINVAL, "unable to set swap limit without memory limit");
  if (memory < 0)
    return rt_failx (err, EINVAL, "invalid memory value: %" PRId64, memory);
  if (swap < memory)
    return rt_failx (err, EINVAL, "memory+swap limit should be >= memory limit");
  *out = swap - memory;
  return 0;
}

const char *
cg_num_to_str (int64_t v, char *buf, size_t len)
{
  if (v == 0)
    buf[0] = '\0';
  else if (v < 0)
    snprintf (buf, len, "max");
  else
    snprintf (buf, len, "%" PRId64, v);
  return buf;
}

void
cg_cpu_max (int64_t quota, uint64_t period, char *buf, size_t len)
{
  int n;

  if (quota > 0)
    n = snprintf (buf, len, "%" PRId64, quota);
  else
    n = snprintf (buf, len, "max");
  if (period != 0 && n > 0 && (size_t) n < len)
    snprintf (buf + n, len - n, " %" PRIu64, period);
}

/* systemd keeps CPU quota as a whole percentage of one CPU, so a quota
   that is not a multiple of 1% is rounded up: the kernel limit systemd
   then writes is never below what the container asked for.  */
uint64_t
cg_quota_per_sec_usec (int64_t quota, uint64_t period)
{
  uint64_t v;

  if (quota <= 0)
    return UINT64_MAX;
  if (period == 0)
    period = CG_DEFAULT_CPU_PERIOD;
  v = (uint64_t) quota * 1000000 / period;
  if (v % 10000 != 0)
    v = (v / 10000 + 1) * 10000;
  return v;
}

/* A decimal float as Go's strconv.ParseFloat accepts it (the forms users
   type; hex floats, Inf and NaN are not sizes).  */
static bool
looks_like_float (const char *s)
{
  bool digits = false;

  if (*s == '+' || *s == '-')
    s++;
  while (isdigit ((unsigned char) *s))
    s++, digits = true;
  if (*s == '.')
    {
      s++;
      while (isdigit ((unsigned char) *s))
        s++, digits = true;
    }
  if (!digits)
    return false;
  if (*s == 'e' || *s == 'E')
    {
      s++;
      if (*s == '+' || *s == '-')
        s++;
      if (!isdigit ((unsigned char) *s))
        return false;
      while (isdigit ((unsigned char) *s))
        s++;
    }
  return *s == '\0';
}

/* Sizes as runc's update accepts them (go-units RAMInBytes): a number,
   optionally a space, and a binary suffix k, m, g, t or p (any case),
   optionally followed by "b" or "ib": "512m", "1.5 GiB", "100kb", "10b".  */
int
cg_parse_ram_bytes (const char *s, int64_t *out, rt_error *err)
{
  static const char units[] = "kmgtp";
  const char *sep = NULL, *unit;
  _cleanup_free_ char *num = NULL;
  char sfx[8];
  size_t sfx_len;
  double size;

  for (const char *p = s; *p; p++)
    if (isdigit ((unsigned char) *p) || *p == '.' || *p == ' ')
      sep = p;
  if (sep == NULL)
    return rt_failx (err, EINVAL, "invalid size: '%s'", s);
  num = xstrndup (s, *sep == ' ' ? (size_t) (sep - s) : (size_t) (sep - s + 1));
  if (!looks_like_float (num))
    return rt_failx (err, EINVAL, "strconv.ParseFloat: parsing \"%s\": invalid syntax", num);
  size = strtod (num, NULL);
  if (size < 0)
    return rt_failx (err, EINVAL, "invalid size: '%s'", s);
  sfx_len = strlen (sep + 1);
  if (sfx_len == 0)
    goto done;
  if (sfx_len > 3)
    return rt_failx (err, EINVAL, "invalid suffix: '%s'", sep + 1);
  for (size_t i = 0; i <= sfx_len; i++)
    sfx[i] = (char) tolower ((unsigned char) sep[1 + i]);
  if (sfx[0] == 'b')
    {
      if (sfx_len > 1)
        return rt_failx (err, EINVAL, "invalid suffix: '%s'", sfx);
      goto done;
    }
  unit = strchr (units, sfx[0]);
  if (unit == NULL || (sfx_len == 2 && sfx[1] != 'b') || (sfx_len == 3 && strcmp (sfx + 1, "ib") != 0))
    return rt_failx (err, EINVAL, "invalid suffix: '%s'", sfx);
  for (ptrdiff_t k = 0; k <= unit - units; k++)
    size *= 1024;
done:
  if (size >= 9223372036854775808.0)
    return rt_failx (err, ERANGE, "invalid size: '%s' (too large)", s);
  *out = (int64_t) size;
  return 0;
}

/* Go's strconv messages, because runc's `update` reports bad flags with
   them ("invalid value for cpu-period: strconv.ParseUint: ...").  */
int
cg_parse_flag_u64 (const char *flag, const char *s, uint64_t *out, rt_error *err)
{
  int ret = s[0] == '-' || s[0] == '+' ? -EINVAL : parse_u64 (s, out);
  if (ret == -ERANGE)
    return rt_failx (err, ERANGE, "invalid value for %s: strconv.ParseUint: parsing \"%s\": value out of range", flag,
                     s);
  if (ret < 0)
    return rt_failx (err, EINVAL, "invalid value for %s: strconv.ParseUint: parsing \"%s\": invalid syntax", flag, s);
  return 0;
}

int
cg_parse_flag_i64 (const char *flag, const char *s, int64_t *out, rt_error *err)
{
  int ret = parse_i64 (s, out);
  if (ret == -ERANGE)
    return rt_failx (err, ERANGE, "invalid value for %s: strconv.ParseInt: parsing \"%s\": value out of range", flag,
                     s);
  if (ret < 0)
    return rt_failx (err, EINVAL, "invalid value for %s: strconv.ParseInt: parsing \"%s\": invalid syntax", flag, s);
  return 0;
}

/* A size flag of `update`: "-1" is unlimited, anything else a size.  */
int
cg_parse_flag_size (const char *flag, const char *s, int64_t *out, rt_error *err)
{
  if (strcmp (s, "-1") == 0)
    {
      *out = -1;
      return 0;
    }
  if (cg_parse_ram_bytes (s, out, err) < 0)
    return rt_wrap (err, "invalid value for %s", flag);
  return 0;
}

/* "0-3,8" -> the little-endian bitmask systemd wants for AllowedCPUs and
   AllowedMemoryNodes (byte 0 holds CPUs 0-7, bit n of it CPU n).  */
int
cg_cpuset_to_bits (const char *list, uint8_t **bits, size_t *n, rt_error *err)
{
  _cleanup_free_ char *copy = xstrdup (list);
  uint8_t *v = NULL;
  size_t len = 0;
  char *save = NULL;

  *bits = NULL;
  *n = 0;
  for (char *tok = strtok_r (copy, ",", &save); tok; tok = strtok_r (NULL, ",", &save))
    {
      char *dash, *t = tok;
      uint64_t lo, hi;

      while (*t == ' ' || *t == '\t' || *t == '\n')
        t++;
      for (char *e = t + strlen (t); e > t && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'); e--)
        e[-1] = '\0';
      if (*t == '\0')
        continue;
      dash = strchr (t, '-');
      if (dash)
        *dash = '\0';
      if (parse_u64 (t, &lo) < 0 || (dash && parse_u64 (dash + 1, &hi) < 0))
        {
          free (v);
          return rt_failx (err, EINVAL, "invalid CPU or node list `%s`", list);
        }
      if (!dash)
        hi = lo;
      if (hi < lo || hi >= 8192)
        {
          free (v);
          return rt_failx (err, EINVAL, "invalid CPU or node list `%s`: bad range", list);
        }
      if (hi / 8 + 1 > len)
        {
          v = xrealloc (v, hi / 8 + 1);
          memset (v + len, 0, hi / 8 + 1 - len);
          len = hi / 8 + 1;
        }
      for (uint64_t b = lo; b <= hi; b++)
        v[b / 8] |= (uint8_t) (1u << (b % 8));
    }
  if (len == 0)
    return rt_failx (err, EINVAL, "invalid CPU or node list `%s`: empty", list);
  *bits = v;
  *n = len;
  return 0;
}

/* systemd encodes the slice tree in the name: "a-b-c.slice" lives at
   /a.slice/a-b.slice/a-b-c.slice; "-.slice" is the root.  */
int
cg_expand_slice (const char *slice, char **out, rt_error *err)
{
  size_t len = strlen (slice);
  _cleanup_free_ char *name = NULL;
  char *path = xstrdup (""), *prefix = xstrdup ("");
  char *save = NULL;

  *out = NULL;
  if (len <= strlen (".slice") || !str_has_suffix (slice, ".slice") || strchr (slice, '/'))
    goto bad;
  name = xstrndup (slice, len - strlen (".slice"));
  if (strcmp (name, "-") == 0)
    {
      free (path);
      free (prefix);
      *out = xstrdup ("/");
      return 0;
    }
  if (name[0] == '-' || name[strlen (name) - 1] == '-' || strstr (name, "--"))
    goto bad;
  for (char *c = strtok_r (name, "-", &save); c; c = strtok_r (NULL, "-", &save))
    {
      char *np, *npre;
      xasprintf (&np, "%s/%s%s.slice", path, prefix, c);
      xasprintf (&npre, "%s%s-", prefix, c);
      free (path);
      free (prefix);
      path = np;
      prefix = npre;
    }
  free (prefix);
  *out = path;
  return 0;
bad:
  free (path);
  free (prefix);
  return rt_failx (err, EINVAL, "invalid slice name: %s", slice);
}

int
cg_systemd_name_parse (const char *cgroups_path, const char *id, bool rootless, cg_systemd_name *out, rt_error *err)
{
  memset (out, 0, sizeof *out);
  if (cgroups_path == NULL || cgroups_path[0] == '\0')
    {
      out->slice = xstrdup (rootless ? "user.slice" : "system.slice");
      out->prefix = xstrdup ("runc");
      out->name = xstrdup (id);
    }
  else
    {
      const char *c1 = strchr (cgroups_path, ':'), *c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (c2 == NULL || strchr (c2 + 1, ':'))
        return rt_failx (err, EINVAL,
                         "expected cgroupsPath to be of format \"slice:prefix:name\" for systemd cgroups, got \"%s\" "
                         "instead",
                         cgroups_path);
      out->slice = c1 == cgroups_path ? xstrdup (rootless ? "user.slice" : "system.slice")
                                      : xstrndup (cgroups_path, c1 - cgroups_path);
      out->prefix = xstrndup (c1 + 1, c2 - c1 - 1);
      out->name = xstrdup (c2 + 1);
    }
  if (out->name[0] == '\0' || strchr (out->name, '/'))
    {
      cg_systemd_name_free (out);
      return rt_failx (err, EINVAL, "systemd cgroupsPath `%s`: invalid unit name", cgroups_path);
    }
  /* A name that already is a slice is used as is (runc lets Kubernetes
     create its pod slices that way); anything else becomes a scope.  */
  if (str_has_suffix (out->name, ".slice"))
    out->unit = xstrdup (out->name);
  else
    xasprintf (&out->unit, "%s-%s.scope", out->prefix, out->name);
  if (cg_expand_slice (out->slice, &out->slice_path, err) < 0)
    {
      cg_systemd_name_free (out);
      return rt_error_ret (err);
    }
  return 0;
}

void
cg_systemd_name_free (cg_systemd_name *n)
{
  free (n->slice);
  free (n->prefix);
  free (n->name);
  free (n->unit);
  free (n->slice_path);
  memset (n, 0, sizeof *n);
}

/* Only plain "controller.file" names: a slash could walk out of the
   cgroup, and of the core files only the limits a container may set on
   itself are allowed; writing cgroup.procs, cgroup.subtree_control,
   cgroup.freeze or cgroup.kill through `unified` would bypass the
   runtime's own bookkeeping.  */
int
cg_unified_key_check (const char *key, rt_error *err)
{
  static const char *const core_allowed[] = {
    "cgroup.max.depth",
    "cgroup.max.descendants",
    "cgroup.pressure",
  };
  const char *dot = strchr (key, '.');

  if (strchr (key, '/'))
    return rt_failx (err, EINVAL, "unified resource \"%s\" must be a file name (no slashes)", key);
  if (dot == NULL || dot == key || dot[1] == '\0' || strcmp (key, ".") == 0 || strcmp (key, "..") == 0)
    return rt_failx (err, EINVAL, "unified resource \"%s\" must be in the form CONTROLLER.PARAMETER", key);
  if (str_has_prefix (key, "cgroup."))
    {
      for (size_t i = 0; i < ARRAY_SIZE (core_allowed); i++)
        if (strcmp (key, core_allowed[i]) == 0)
          return 0;
      return rt_failx (err, EPERM, "unified resource \"%s\" can't be set: it is a core file the runtime manages", key);
    }
  return 0;
}

/* /sys/kernel/mm/hugepages/hugepages-2048kB -> "2MB", as the hugetlb
   controller names its files.  */
char *
cg_hugepage_size_name (uint64_t kb)
{
  char *s;
  if (kb >= (1u << 20))
    xasprintf (&s, "%" PRIu64 "GB", kb >> 20);
  else if (kb >= (1u << 10))
    xasprintf (&s, "%" PRIu64 "MB", kb >> 10);
  else
    xasprintf (&s, "%" PRIu64 "KB", kb);
  return s;
}

/* ---- device rules ------------------------------------------------------ */

/* What every runc container may use whatever its config says, appended
   after the config's rules so they always win: mknod of anything, the
   standard nodes, the pty slaves, /dev/ptmx and /dev/net/tun.  */
static const cg_dev_rule default_allowed_devices[] = {
  { 'c', -1, -1, CG_DEV_MKNOD, true },
  { 'b', -1, -1, CG_DEV_MKNOD, true },
  { 'c', 1, 3, CG_DEV_ALL, true },    /* null */
  { 'c', 1, 8, CG_DEV_ALL, true },    /* random */
  { 'c', 1, 7, CG_DEV_ALL, true },    /* full */
  { 'c', 5, 0, CG_DEV_ALL, true },    /* tty */
  { 'c', 1, 5, CG_DEV_ALL, true },    /* zero */
  { 'c', 1, 9, CG_DEV_ALL, true },    /* urandom */
  { 'c', 136, -1, CG_DEV_ALL, true }, /* pts */
  { 'c', 5, 2, CG_DEV_ALL, true },    /* ptmx */
  { 'c', 10, 200, CG_DEV_ALL, true }, /* net/tun */
};

int
cg_dev_access_parse (const char *s, unsigned *out)
{
  unsigned a = 0;
  if (s == NULL || s[0] == '\0')
    {
      *out = CG_DEV_ALL;
      return 0;
    }
  for (; *s; s++)
    switch (*s)
      {
      case 'r':
        a |= CG_DEV_READ;
        break;
      case 'w':
        a |= CG_DEV_WRITE;
        break;
      case 'm':
        a |= CG_DEV_MKNOD;
        break;
      default:
        return -EINVAL;
      }
  *out = a;
  return 0;
}

int
cg_dev_rules_build (const spec_resources *r, cg_dev_rule **out, size_t *n_out, rt_error *err)
{
  size_t n_user = r ? r->n_devices : 0, n = 0;
  cg_dev_rule *v = xzalloc ((n_user + ARRAY_SIZE (default_allowed_devices)) * sizeof *v);

  for (size_t i = 0; i < n_user; i++)
    {
      const spec_device_cgroup *d = &r->devices[i];
      const char *type = d->type && d->type[0] ? d->type : "a";
      cg_dev_rule *x = &v[n++];

      if (strcmp (type, "a") != 0 && strcmp (type, "b") != 0 && strcmp (type, "c") != 0)
        {
          free (v);
          return rt_failx (err, EINVAL, "linux.resources.devices[%zu].type: invalid cgroup device type \"%s\"", i,
                           type);
        }
      x->type = type[0];
      x->major = d->has_major && d->major >= 0 ? d->major : -1;
      x->minor = d->has_minor && d->minor >= 0 ? d->minor : -1;
      x->allow = d->allow;
      if (cg_dev_access_parse (d->access, &x->access) < 0)
        {
          free (v);
          return rt_failx (err, EINVAL, "linux.resources.devices[%zu].access: invalid \"%s\" (letters r, w, m)", i,
                           d->access);
        }
    }
  memcpy (v + n, default_allowed_devices, sizeof default_allowed_devices);
  n += ARRAY_SIZE (default_allowed_devices);
  *out = v;
  *n_out = n;
  return 0;
}

void
cg_dev_rule_v1_string (const cg_dev_rule *r, char *buf, size_t len)
{
  char maj[24], min[24], acc[4];
  size_t k = 0;

  if (r->major < 0)
    strcpy (maj, "*");
  else
    snprintf (maj, sizeof maj, "%" PRId64, r->major);
  if (r->minor < 0)
    strcpy (min, "*");
  else
    snprintf (min, sizeof min, "%" PRId64, r->minor);
  if (r->access & CG_DEV_READ)
    acc[k++] = 'r';
  if (r->access & CG_DEV_WRITE)
    acc[k++] = 'w';
  if (r->access & CG_DEV_MKNOD)
    acc[k++] = 'm';
  acc[k] = '\0';
  snprintf (buf, len, "%c %s:%s %s", r->type, maj, min, acc);
}
