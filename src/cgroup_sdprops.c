/* systemd unit properties as plain data (see cgroup_sdprops.h), and the
 * GVariant text parser for the org.systemd.property.* annotations.  */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_sdprops.h"
#include "util.h"

void
sd_val_free (sd_val *v)
{
  if (v == NULL)
    return;
  if (v->sig && strchr ("sog", v->sig[0]) && v->sig[1] == '\0')
    free (v->v.s);
  for (size_t i = 0; i < v->n; i++)
    sd_val_free (&v->items[i]);
  free (v->items);
  free (v->sig);
  memset (v, 0, sizeof *v);
}

void
sd_val_copy (sd_val *dst, const sd_val *src)
{
  *dst = *src;
  dst->sig = xstrdup (src->sig);
  if (strchr ("sog", src->sig[0]) && src->sig[1] == '\0')
    dst->v.s = xstrdup (src->v.s);
  dst->items = src->n ? xzalloc (src->n * sizeof *dst->items) : NULL;
  for (size_t i = 0; i < src->n; i++)
    sd_val_copy (&dst->items[i], &src->items[i]);
}

void
sd_props_append_copy (sd_props *dst, const sd_props *src)
{
  for (size_t i = 0; i < src->n; i++)
    {
      dst->v = xrealloc (dst->v, (dst->n + 1) * sizeof *dst->v);
      dst->v[dst->n].name = xstrdup (src->v[i].name);
      sd_val_copy (&dst->v[dst->n].val, &src->v[i].val);
      dst->n++;
    }
}

void
sd_props_free (sd_props *p)
{
  for (size_t i = 0; i < p->n; i++)
    {
      free (p->v[i].name);
      sd_val_free (&p->v[i].val);
    }
  free (p->v);
  p->v = NULL;
  p->n = 0;
}

static sd_val *
add (sd_props *p, const char *name, const char *sig)
{
  sd_prop *x;
  p->v = xrealloc (p->v, (p->n + 1) * sizeof *p->v);
  x = &p->v[p->n++];
  memset (x, 0, sizeof *x);
  x->name = xstrdup (name);
  x->val.sig = xstrdup (sig);
  return &x->val;
}

void
sd_props_add_bool (sd_props *p, const char *name, bool b)
{
  add (p, name, "b")->v.b = b;
}

void
sd_props_add_u64 (sd_props *p, const char *name, uint64_t u)
{
  add (p, name, "t")->v.u = u;
}

void
sd_props_add_str (sd_props *p, const char *name, const char *s)
{
  add (p, name, "s")->v.s = xstrdup (s);
}

static void
add_bytes (sd_props *p, const char *name, const uint8_t *b, size_t n)
{
  sd_val *v = add (p, name, "ay");
  v->items = xzalloc (n * sizeof *v->items);
  v->n = n;
  for (size_t i = 0; i < n; i++)
    {
      v->items[i].sig = xstrdup ("y");
      v->items[i].v.u = b[i];
    }
}

/* ---- GVariant text ------------------------------------------------------ */

typedef struct parser
{
  const char *s;
  rt_error *err;
} parser;

static void
skip_ws (parser *p)
{
  while (isspace ((unsigned char) *p->s))
    p->s++;
}

static const struct
{
  const char *word;
  const char *sig;
} type_words[] = {
  { "boolean", "b" }, { "byte", "y" },   { "int16", "n" },  { "uint16", "q" },     { "int32", "i" },
  { "uint32", "u" },  { "int64", "x" },  { "uint64", "t" }, { "double", "d" },     { "string", "s" },
  { "objectpath", "o" }, { "signature", "g" },
};

/* Length of one complete type at the start of `sig`, 0 if invalid.  */
static size_t
one_type (const char *sig)
{
  if (*sig == '\0')
    return 0;
  if (strchr ("bynqiuxtdsog", *sig))
    return 1;
  if (*sig == 'a')
    {
      size_t l = one_type (sig + 1);
      return l ? l + 1 : 0;
    }
  if (*sig == '(')
    {
      size_t i = 1;
      while (sig[i] && sig[i] != ')')
        {
          size_t l = one_type (sig + i);
          if (l == 0)
            return 0;
          i += l;
        }
      return sig[i] == ')' ? i + 1 : 0;
    }
  return 0;
}

static int parse_value (parser *p, const char *want, sd_val *out);

static int
parse_string (parser *p, sd_val *out, const char *want)
{
  char q = *p->s++;
  size_t cap = 16, n = 0;
  char *buf = xmalloc (cap);

  while (*p->s && *p->s != q)
    {
      char c = *p->s++;
      if (c == '\\' && *p->s)
        {
          c = *p->s++;
          if (c == 'n')
            c = '\n';
          else if (c == 't')
            c = '\t';
        }
      if (n + 2 > cap)
        buf = xrealloc (buf, cap *= 2);
      buf[n++] = c;
    }
  buf[n] = '\0';
  if (*p->s != q)
    {
      free (buf);
      return rt_failx (p->err, EINVAL, "unterminated string");
    }
  p->s++;
  if (want && strcmp (want, "s") != 0 && strcmp (want, "o") != 0 && strcmp (want, "g") != 0)
    {
      free (buf);
      return rt_failx (p->err, EINVAL, "a string where type `%s` was expected", want);
    }
  out->sig = xstrdup (want ? want : "s");
  out->v.s = buf;
  return 0;
}

static int
parse_number (parser *p, sd_val *out, const char *want)
{
  const char *start = p->s;
  bool is_float = false;
  char *end;

  if (*p->s == '-' || *p->s == '+')
    p->s++;
  while (isalnum ((unsigned char) *p->s) || *p->s == '.' || ((*p->s == '-' || *p->s == '+') && (p->s[-1] == 'e' || p->s[-1] == 'E')))
    {
      if (*p->s == '.' || *p->s == 'e' || *p->s == 'E')
        is_float = true;
      p->s++;
    }
  if (want == NULL)
    want = is_float ? "d" : "i";
  out->sig = xstrdup (want);
  errno = 0;
  switch (want[0])
    {
    case 'd':
      out->v.d = strtod (start, &end);
      break;
    case 'y':
    case 'q':
    case 'u':
    case 't':
      if (*start == '-')
        return rt_failx (p->err, EINVAL, "negative value for unsigned type `%s`", want);
      out->v.u = strtoull (start, &end, 0);
      if ((want[0] == 'y' && out->v.u > UINT8_MAX) || (want[0] == 'q' && out->v.u > UINT16_MAX)
          || (want[0] == 'u' && out->v.u > UINT32_MAX))
        errno = ERANGE;
      break;
    case 'n':
    case 'i':
    case 'x':
      out->v.i = strtoll (start, &end, 0);
      if ((want[0] == 'n' && (out->v.i < INT16_MIN || out->v.i > INT16_MAX))
          || (want[0] == 'i' && (out->v.i < INT32_MIN || out->v.i > INT32_MAX)))
        errno = ERANGE;
      break;
    default:
      return rt_failx (p->err, EINVAL, "a number where type `%s` was expected", want);
    }
  if (end != p->s || end == start)
    return rt_failx (p->err, EINVAL, "invalid number `%.*s`", (int) (p->s - start), start);
  if (errno == ERANGE)
    return rt_failx (p->err, ERANGE, "number `%.*s` out of range for type `%s`", (int) (p->s - start), start, want);
  return 0;
}

/* "[a, b]" (want "aX" or NULL) or "(a, b)" (want "(...)" or NULL).  */
static int
parse_container (parser *p, sd_val *out, const char *want)
{
  char close = *p->s == '[' ? ']' : ')';
  bool array = close == ']';
  const char *member = NULL;
  _cleanup_free_ char *elem = NULL;

  if (want && (array ? want[0] != 'a' : want[0] != '('))
    return rt_failx (p->err, EINVAL, "%s where type `%s` was expected", array ? "an array" : "a tuple", want);
  if (want && array)
    elem = xstrdup (want + 1);
  member = want && !array ? want + 1 : NULL;
  p->s++;
  skip_ws (p);
  while (*p->s != close)
    {
      sd_val item = { 0 };
      _cleanup_free_ char *mt = NULL;
      const char *w = elem;

      if (member)
        {
          size_t l = one_type (member);
          if (l == 0)
            return rt_failx (p->err, EINVAL, "too many members for tuple type `%s`", want);
          mt = xstrndup (member, l);
          member += l;
          w = mt;
        }
      if (parse_value (p, w, &item) < 0)
        return rt_error_ret (p->err);
      if (array && elem == NULL)
        elem = xstrdup (item.sig);
      else if (array && strcmp (elem, item.sig) != 0)
        {
          sd_val_free (&item);
          return rt_failx (p->err, EINVAL, "array elements of different types");
        }
      out->items = xrealloc (out->items, (out->n + 1) * sizeof *out->items);
      out->items[out->n++] = item;
      skip_ws (p);
      if (*p->s == ',')
        {
          p->s++;
          skip_ws (p);
        }
      else if (*p->s != close)
        return rt_failx (p->err, EINVAL, "expected `,` or `%c`", close);
    }
  p->s++;
  if (array)
    {
      if (elem == NULL)
        return rt_failx (p->err, EINVAL, "an empty array needs a type, e.g. `@as []`");
      xasprintf (&out->sig, "a%s", elem);
    }
  else
    {
      size_t len = 2;
      char *sig;
      if (member && *member != ')')
        return rt_failx (p->err, EINVAL, "too few members for tuple type `%s`", want);
      for (size_t i = 0; i < out->n; i++)
        len += strlen (out->items[i].sig);
      sig = xmalloc (len + 1);
      strcpy (sig, "(");
      for (size_t i = 0; i < out->n; i++)
        strcat (sig, out->items[i].sig);
      strcat (sig, ")");
      out->sig = sig;
    }
  return 0;
}

static int
parse_value (parser *p, const char *want, sd_val *out)
{
  memset (out, 0, sizeof *out);
  skip_ws (p);
  if (*p->s == '@')
    {
      size_t l = one_type (p->s + 1);
      _cleanup_free_ char *t = NULL;
      if (l == 0)
        return rt_failx (p->err, EINVAL, "invalid type annotation `%s`", p->s);
      t = xstrndup (p->s + 1, l);
      if (want && strcmp (want, t) != 0)
        return rt_failx (p->err, EINVAL, "type `%s` where `%s` was expected", t, want);
      p->s += 1 + l;
      return parse_value (p, t, out);
    }
  for (size_t i = 0; i < ARRAY_SIZE (type_words); i++)
    {
      size_t l = strlen (type_words[i].word);
      if (strncmp (p->s, type_words[i].word, l) == 0 && isspace ((unsigned char) p->s[l]))
        {
          if (want && strcmp (want, type_words[i].sig) != 0)
            return rt_failx (p->err, EINVAL, "type `%s` where `%s` was expected", type_words[i].sig, want);
          p->s += l;
          return parse_value (p, type_words[i].sig, out);
        }
    }
  if (*p->s == '\'' || *p->s == '"')
    return parse_string (p, out, want);
  if (*p->s == '[' || *p->s == '(')
    return parse_container (p, out, want);
  if (strncmp (p->s, "true", 4) == 0 || strncmp (p->s, "false", 5) == 0)
    {
      bool b = p->s[0] == 't';
      if (want && strcmp (want, "b") != 0)
        return rt_failx (p->err, EINVAL, "a boolean where type `%s` was expected", want);
      p->s += b ? 4 : 5;
      out->sig = xstrdup ("b");
      out->v.b = b;
      return 0;
    }
  if (isdigit ((unsigned char) *p->s) || *p->s == '-' || *p->s == '+' || *p->s == '.')
    return parse_number (p, out, want);
  return rt_failx (p->err, EINVAL, "unexpected `%s`", p->s);
}

int
sd_val_parse (const char *text, sd_val *out, rt_error *err)
{
  parser p = { text, err };

  if (parse_value (&p, NULL, out) < 0)
    {
      sd_val_free (out);
      return rt_error_ret (err);
    }
  skip_ws (&p);
  if (*p.s)
    {
      sd_val_free (out);
      return rt_failx (err, EINVAL, "trailing text `%s`", p.s);
    }
  return 0;
}

/* ---- annotations --------------------------------------------------------- */

static int
sec_to_usec (sd_val *v)
{
  uint64_t usec;

  switch (v->sig[0])
    {
    case 'y':
    case 'q':
    case 'u':
    case 't':
      usec = v->v.u * 1000000;
      break;
    case 'n':
    case 'i':
    case 'x':
      usec = (uint64_t) v->v.i * 1000000;
      break;
    case 'd':
      usec = (uint64_t) (v->v.d * 1000000);
      break;
    default:
      return -EINVAL;
    }
  if (v->sig[1] != '\0')
    return -EINVAL;
  free (v->sig);
  v->sig = xstrdup ("t");
  v->v.u = usec;
  return 0;
}

int
sd_props_from_annotations (const spec_kv *ann, size_t n, sd_props *out, rt_error *err)
{
  static const char prefix[] = "org.systemd.property.";

  for (size_t i = 0; i < n; i++)
    {
      const char *name;
      _cleanup_free_ char *pname = NULL;
      size_t len;
      sd_val v;

      if (!str_has_prefix (ann[i].key, prefix))
        continue;
      name = ann[i].key + strlen (prefix);
      len = strlen (name);
      if (len < 3)
        return rt_failx (err, EINVAL, "annotation %s name incorrect: too short", ann[i].key);
      for (size_t k = 0; k < len; k++)
        if (!isalpha ((unsigned char) name[k]) || (unsigned char) name[k] > 127)
          return rt_failx (err, EINVAL, "annotation %s name incorrect: contains non-alphabetic character",
                           ann[i].key);
      if (sd_val_parse (ann[i].value, &v, err) < 0)
        return rt_wrap (err, "annotation %s=%s value parse error", ann[i].key, ann[i].value);
      pname = xstrdup (name);
      /* systemd documents e.g. TimeoutStopSec= in seconds, but its D-Bus
         property is TimeoutStopUSec in microseconds.  */
      if (len > 3 && str_has_suffix (name, "Sec") && islower ((unsigned char) name[len - 4]))
        {
          if (sec_to_usec (&v) < 0)
            {
              sd_val_free (&v);
              return rt_failx (err, EINVAL, "annotation %s=%s value parse error: not a number", ann[i].key,
                               ann[i].value);
            }
          free (pname);
          xasprintf (&pname, "%.*sUSec", (int) (len - 3), name);
        }
      out->v = xrealloc (out->v, (out->n + 1) * sizeof *out->v);
      out->v[out->n].name = TAKE_PTR (pname);
      out->v[out->n].val = v;
      out->n++;
    }
  return 0;
}

/* ---- what runc sends ------------------------------------------------------ */

void
sd_props_base (sd_props *p, const cg_systemd_name *name, pid_t pid, bool v2)
{
  char *desc;
  sd_val *pids;

  xasprintf (&desc, "libcontainer container %s", name->name);
  sd_props_add_str (p, "Description", desc);
  free (desc);
  if (str_has_suffix (name->unit, ".slice"))
    {
      /* A slice is placed by its name; Wants= orders it after its parent.  */
      sd_val *w = add (p, "Wants", "as");
      w->items = xzalloc (sizeof *w->items);
      w->n = 1;
      w->items[0].sig = xstrdup ("s");
      w->items[0].v.s = xstrdup (name->slice);
    }
  else
    {
      sd_props_add_str (p, "Slice", name->slice);
      /* The container may manage its own sub-cgroups.  */
      sd_props_add_bool (p, "Delegate", true);
    }
  if (pid > 0)
    {
      pids = add (p, "PIDs", "au");
      pids->items = xzalloc (sizeof *pids->items);
      pids->n = 1;
      pids->items[0].sig = xstrdup ("u");
      pids->items[0].v.u = (uint64_t) pid;
    }
  sd_props_add_bool (p, "MemoryAccounting", true);
  sd_props_add_bool (p, "CPUAccounting", true);
  sd_props_add_bool (p, v2 ? "IOAccounting" : "BlockIOAccounting", true);
  sd_props_add_bool (p, "TasksAccounting", true);
  sd_props_add_bool (p, "DefaultDependencies", false);
}

static uint64_t
limit_u64 (int64_t v)
{
  return v < 0 ? UINT64_MAX : (uint64_t) v;
}

static int
add_cpuset (sd_props *p, const char *prop, const char *list, rt_error *err)
{
  _cleanup_free_ uint8_t *bits = NULL;
  size_t n;

  if (cg_cpuset_to_bits (list, &bits, &n, err) < 0)
    return rt_wrap (err, "%s", prop);
  add_bytes (p, prop, bits, n);
  return 0;
}

static void
add_quota (sd_props *p, int64_t quota, uint64_t period, int version)
{
  if (period != 0 && version >= 242)
    sd_props_add_u64 (p, "CPUQuotaPeriodUSec", period);
  if (quota != 0 || period != 0)
    sd_props_add_u64 (p, "CPUQuotaPerSecUSec", cg_quota_per_sec_usec (quota, period));
}

/* unified keys systemd has properties for; the rest only go to the
   files.  */
static int
add_unified (sd_props *p, const spec_kv *kv, int version, bool idle_set, rt_error *err)
{
  static const struct
  {
    const char *key, *prop;
  } mem[] = {
    { "memory.high", "MemoryHigh" }, { "memory.low", "MemoryLow" },         { "memory.min", "MemoryMin" },
    { "memory.max", "MemoryMax" },   { "memory.swap.max", "MemorySwapMax" }, { "pids.max", "TasksMax" },
  };
  _cleanup_free_ char *v = xstrdup (kv->value);
  char *s = v, *e;
  uint64_t num;

  while (isspace ((unsigned char) *s))
    s++;
  for (e = s + strlen (s); e > s && isspace ((unsigned char) e[-1]); e--)
    e[-1] = '\0';
  for (size_t i = 0; i < ARRAY_SIZE (mem); i++)
    if (strcmp (kv->key, mem[i].key) == 0)
      {
        if (strcmp (s, "max") == 0)
          num = UINT64_MAX;
        else if (parse_u64 (s, &num) < 0)
          return rt_failx (err, EINVAL, "unified resource \"%s\" value conversion error: `%s`", kv->key, s);
        sd_props_add_u64 (p, mem[i].prop, num);
        return 0;
      }
  if (strcmp (kv->key, "cpu.weight") == 0)
    {
      if (idle_set)
        {
          rt_warn ("unable to apply both cpu.weight and cpu.idle to systemd, ignoring cpu.weight");
          return 0;
        }
      if (parse_u64 (s, &num) < 0)
        return rt_failx (err, EINVAL, "unified resource \"%s\" value conversion error: `%s`", kv->key, s);
      sd_props_add_u64 (p, "CPUWeight", num);
    }
  else if (strcmp (kv->key, "cpu.idle") == 0)
    {
      if (strcmp (s, "1") == 0 && version >= 252)
        sd_props_add_u64 (p, "CPUWeight", 0);
    }
  else if (strcmp (kv->key, "cpu.max") == 0)
    {
      char q[32] = "", per[32] = "";
      int64_t quota = 0;
      uint64_t period = CG_DEFAULT_CPU_PERIOD;
      int k = sscanf (s, "%31s %31s", q, per);
      if (k < 1 || (strcmp (q, "max") != 0 && parse_i64 (q, &quota) < 0) || (k == 2 && parse_u64 (per, &period) < 0))
        return rt_failx (err, EINVAL, "unified resource \"%s\" value invalid: \"%s\"", kv->key, s);
      add_quota (p, quota, period, version);
    }
  else if ((strcmp (kv->key, "cpuset.cpus") == 0 || strcmp (kv->key, "cpuset.mems") == 0) && version >= 244)
    return add_cpuset (p, kv->key[7] == 'c' ? "AllowedCPUs" : "AllowedMemoryNodes", s, err);
  return 0;
}

int
sd_props_resources (sd_props *p, const spec_resources *r, bool v2, int version, rt_error *err)
{
  const spec_memory *m;
  const spec_cpu *c;
  bool idle_set = false;

  if (r == NULL)
    return 0;
  m = r->memory;
  c = r->cpu;
  if (m && m->has_limit && m->limit != 0)
    sd_props_add_u64 (p, v2 ? "MemoryMax" : "MemoryLimit", limit_u64 (m->limit));
  if (v2 && m && m->has_reservation && m->reservation != 0)
    sd_props_add_u64 (p, "MemoryLow", limit_u64 (m->reservation));
  if (v2 && m)
    {
      int64_t swap;
      if (cg_swap_to_v2 (m->has_swap ? m->swap : 0, m->has_limit ? m->limit : 0, &swap, err) < 0)
        return rt_wrap (err, "linux.resources.memory.swap");
      if (swap != 0)
        sd_props_add_u64 (p, "MemorySwapMax", limit_u64 (swap));
    }
  if (c && c->has_idle && c->idle == 1 && v2 && version >= 252)
    {
      /* CPUWeight=0 is systemd's way to say cpu.idle=1.  */
      sd_props_add_u64 (p, "CPUWeight", 0);
      idle_set = true;
    }
  if (c && c->has_shares && c->shares != 0)
    {
      if (idle_set)
        rt_warn ("unable to apply both CPUWeight and CpuIdle to systemd, ignoring CPUWeight");
      else if (v2)
        sd_props_add_u64 (p, "CPUWeight", cg_shares_to_weight (c->shares));
      else
        sd_props_add_u64 (p, "CPUShares", c->shares);
    }
  if (c)
    add_quota (p, c->has_quota ? c->quota : 0, c->has_period ? c->period : 0, version);
  if (r->has_pids)
    sd_props_add_u64 (p, "TasksMax", r->pids_limit == 0 ? 1 : limit_u64 (r->pids_limit));
  if (!v2 && r->block_io && r->block_io->has_weight && r->block_io->weight != 0)
    sd_props_add_u64 (p, "BlockIOWeight", r->block_io->weight);
  if (v2 && c && version >= 244)
    {
      if (c->cpus && c->cpus[0] && add_cpuset (p, "AllowedCPUs", c->cpus, err) < 0)
        return rt_error_ret (err);
      if (c->mems && c->mems[0] && add_cpuset (p, "AllowedMemoryNodes", c->mems, err) < 0)
        return rt_error_ret (err);
    }
  for (size_t i = 0; v2 && i < r->n_unified; i++)
    {
      if (cg_unified_key_check (r->unified[i].key, err) < 0)
        return rt_error_ret (err);
      if (add_unified (p, &r->unified[i], version, idle_set, err) < 0)
        return rt_error_ret (err);
    }
  return 0;
}
