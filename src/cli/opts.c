/* Flag parsing with the rules and the error wording of Go's flag package as
 * urfave/cli drives it for runc, plus the strconv/time parsers it relies
 * on.  Pure: no printing, no global state, unit-tested.  */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"

/* ---- Go value syntax ----------------------------------------------------- */

int
go_parse_bool (const char *s, bool *out)
{
  static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

  for (size_t i = 0; i < ARRAY_SIZE (yes); i++)
    if (strcmp (s, yes[i]) == 0)
      {
        *out = true;
        return 0;
      }
  for (size_t i = 0; i < ARRAY_SIZE (no); i++)
    if (strcmp (s, no[i]) == 0)
      {
        *out = false;
        return 0;
      }
  return -EINVAL;
}

static int
digit_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return 99;
}

/* strconv.ParseUint (s, 0, 64): the base comes from the prefix, and '_'
 * may separate digits (only because the base is implied).  */
static int
parse_base0_magnitude (const char *s, uint64_t *out)
{
  unsigned base = 10;
  bool prefixed = false, prev_digit = false, any = false;
  uint64_t v = 0;

  if (s[0] == '\0')
    return -EINVAL;
  if (s[0] == '0' && s[1] != '\0')
    {
      switch (s[1])
        {
        case 'x':
        case 'X':
          base = 16, s += 2, prefixed = true;
          break;
        case 'b':
        case 'B':
          base = 2, s += 2, prefixed = true;
          break;
        case 'o':
        case 'O':
          base = 8, s += 2, prefixed = true;
          break;
        default:
          /* "0755": octal, and the leading 0 counts as a digit.  */
          base = 8, s += 1, prev_digit = true, any = true;
          break;
        }
    }
  /* After an explicit prefix an underscore may follow directly ("0x_1f").  */
  if (prefixed)
    prev_digit = true;

  for (; *s; s++)
    {
      int d;

      if (*s == '_')
        {
          if (!prev_digit)
            return -EINVAL;
          prev_digit = false;
          continue;
        }
      d = digit_value (*s);
      if (d >= (int) base)
        return -EINVAL;
      /* Go reports the overflow at once, whatever follows.  */
      if (v > (UINT64_MAX - (uint64_t) d) / base)
        return -ERANGE;
      v = v * base + (uint64_t) d;
      prev_digit = true;
      any = true;
    }
  if (!any || !prev_digit)
    return -EINVAL;
  *out = v;
  return 0;
}

int
go_parse_uint (const char *s, uint64_t *out)
{
  return parse_base0_magnitude (s, out);
}

int
go_parse_int (const char *s, int64_t *out)
{
  bool neg = false;
  uint64_t mag;
  int r;

  if (*s == '+' || *s == '-')
    neg = *s++ == '-';
  r = parse_base0_magnitude (s, &mag);
  if (r < 0)
    return r;
  if (neg)
    {
      if (mag > (uint64_t) INT64_MAX + 1)
        return -ERANGE;
      *out = mag == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) mag;
    }
  else
    {
      if (mag > (uint64_t) INT64_MAX)
        return -ERANGE;
      *out = (int64_t) mag;
    }
  return 0;
}

static uint64_t
duration_unit (const char **p)
{
  static const struct
  {
    const char *name;
    uint64_t ns;
  } units[] = {
    /* Longest names first so "ms" is not read as "m".  */
    { "ns", 1 },
    { "us", 1000 },
    { "\xc2\xb5s", 1000 }, /* U+00B5 micro sign */
    { "\xce\xbcs", 1000 }, /* U+03BC Greek mu */
    { "ms", 1000000 },
    { "s", 1000000000ULL },
    { "m", 60ULL * 1000000000ULL },
    { "h", 3600ULL * 1000000000ULL },
  };
  const char *s = *p;
  size_t len = 0;

  /* A unit is everything up to the next digit or '.'.  */
  while (s[len] && s[len] != '.' && !(s[len] >= '0' && s[len] <= '9'))
    len++;
  for (size_t i = 0; i < ARRAY_SIZE (units); i++)
    if (strlen (units[i].name) == len && memcmp (units[i].name, s, len) == 0)
      {
        *p = s + len;
        return units[i].ns;
      }
  return 0;
}

int
go_parse_duration (const char *s, int64_t *ns)
{
  const uint64_t limit_pos = (uint64_t) INT64_MAX, limit_neg = (uint64_t) INT64_MAX + 1;
  bool neg = false;
  uint64_t total = 0;

  if (*s == '+' || *s == '-')
    neg = *s++ == '-';
  if (strcmp (s, "0") == 0)
    {
      *ns = 0;
      return 0;
    }
  if (*s == '\0')
    return -EINVAL;

  while (*s)
    {
      uint64_t whole = 0, frac = 0, scale = 1, unit, part;
      bool digits = false;

      while (*s >= '0' && *s <= '9')
        {
          if (whole > (UINT64_MAX - 9) / 10)
            return -ERANGE;
          whole = whole * 10 + (uint64_t) (*s++ - '0');
          digits = true;
        }
      if (*s == '.')
        {
          s++;
          while (*s >= '0' && *s <= '9')
            {
              /* Digits beyond nanosecond precision of an hour are noise.  */
              if (scale < 1000000000000000000ULL)
                {
                  frac = frac * 10 + (uint64_t) (*s - '0');
                  scale *= 10;
                }
              s++;
              digits = true;
            }
        }
      if (!digits)
        return -EINVAL;
      unit = duration_unit (&s);
      if (unit == 0)
        return -EINVAL;
      if (whole > limit_neg / unit)
        return -ERANGE;
      part = whole * unit;
      /* frac/scale < 1 and unit <= 3.6e12, so this cannot overflow.  */
      part += (uint64_t) ((long double) frac * (long double) unit / (long double) scale);
      if (part > limit_neg - total)
        return -ERANGE;
      total += part;
    }
  if (total > (neg ? limit_neg : limit_pos))
    return -ERANGE;
  *ns = neg ? (total == limit_neg ? INT64_MIN : -(int64_t) total) : (int64_t) total;
  return 0;
}

/* Length of the valid UTF-8 sequence at p, 0 if invalid; *cp gets the
 * code point.  */
static size_t
utf8_decode (const unsigned char *p, uint32_t *cp)
{
  size_t n;
  uint32_t c;

  if (p[0] < 0x80)
    {
      *cp = p[0];
      return 1;
    }
  if ((p[0] & 0xe0) == 0xc0)
    n = 2, c = p[0] & 0x1f;
  else if ((p[0] & 0xf0) == 0xe0)
    n = 3, c = p[0] & 0x0f;
  else if ((p[0] & 0xf8) == 0xf0)
    n = 4, c = p[0] & 0x07;
  else
    return 0;
  for (size_t i = 1; i < n; i++)
    {
      if ((p[i] & 0xc0) != 0x80)
        return 0;
      c = (c << 6) | (p[i] & 0x3f);
    }
  /* Overlong forms, surrogates and out-of-range values are invalid.  */
  if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff
      || (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return n;
}

/* Go's unicode.IsPrint for the code points runc messages can contain:
 * controls, the C1 block and a few invisible ones are not printable.  */
static bool
go_is_print (uint32_t c)
{
  if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad)
    return false;
  /* Spaces other than U+0020 and format characters.  */
  if (c == 0x1680 || c == 0x180e || (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f)
      || (c >= 0x205f && c <= 0x206f) || c == 0x3000 || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb))
    return false;
  return true;
}

char *
go_quote (const char *s)
{
  const unsigned char *p = (const unsigned char *) s;
  size_t cap = strlen (s) * 4 + 3, n = 0;
  char *out = xmalloc (cap + 8);

  out[n++] = '"';
  while (*p)
    {
      uint32_t cp;
      size_t len = utf8_decode (p, &cp);

      if (n + 12 > cap)
        {
          cap *= 2;
          out = xrealloc (out, cap + 8);
        }
      if (len == 0)
        {
          n += (size_t) sprintf (out + n, "\\x%02x", *p);
          p++;
          continue;
        }
      switch (cp)
        {
        case '\a':
          n += (size_t) sprintf (out + n, "\\a");
          break;
        case '\b':
          n += (size_t) sprintf (out + n, "\\b");
          break;
        case '\f':
          n += (size_t) sprintf (out + n, "\\f");
          break;
        case '\n':
          n += (size_t) sprintf (out + n, "\\n");
          break;
        case '\r':
          n += (size_t) sprintf (out + n, "\\r");
          break;
        case '\t':
          n += (size_t) sprintf (out + n, "\\t");
          break;
        case '\v':
          n += (size_t) sprintf (out + n, "\\v");
          break;
        case '"':
        case '\\':
          out[n++] = '\\';
          out[n++] = (char) cp;
          break;
        default:
          if (go_is_print (cp))
            {
              memcpy (out + n, p, len);
              n += len;
            }
          else if (cp < 0x80)
            n += (size_t) sprintf (out + n, "\\x%02x", cp);
          else if (cp < 0x10000)
            n += (size_t) sprintf (out + n, "\\u%04x", cp);
          else
            n += (size_t) sprintf (out + n, "\\U%08x", cp);
          break;
        }
      p += len;
    }
  out[n++] = '"';
  out[n] = '\0';
  return out;
}

/* ---- the parser ---------------------------------------------------------- */

static int
failf (char **msg, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static int
failf (char **msg, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (msg, fmt, ap) < 0)
    *msg = xstrdup ("out of memory");
  va_end (ap);
  return -EINVAL;
}

static int
invalid_value (char **msg, const char *value, const char *name, const char *why)
{
  _cleanup_free_ char *q = go_quote (value);
  return failf (msg, "invalid value %s for flag -%s: %s", q, name, why);
}

/* Give every flag its default, so handlers never look at defval.  */
static void
set_defaults (const cli_flag *flags, size_t n, cli_value *v)
{
  for (size_t i = 0; i < n; i++)
    {
      const char *d = flags[i].defval;

      if (d == NULL)
        continue;
      switch (flags[i].type)
        {
        case CLI_STRING:
          v[i].s = d;
          break;
        case CLI_BOOL:
          (void) go_parse_bool (d, &v[i].b);
          break;
        case CLI_INT:
          (void) go_parse_int (d, &v[i].i);
          break;
        case CLI_UINT:
          (void) go_parse_uint (d, &v[i].u);
          break;
        case CLI_DURATION:
          (void) go_parse_duration (d, &v[i].i);
          break;
        case CLI_STRING_SLICE:
        case CLI_INT64_SLICE:
          break;
        }
    }
}

static int
set_value (const cli_flag *f, cli_value *v, const char *name, const char *value, char **msg)
{
  int r;

  switch (f->type)
    {
    case CLI_BOOL:
      break; /* handled by the caller: bools take no separate argument */
    case CLI_STRING:
      v->s = value;
      break;
    case CLI_INT:
      r = go_parse_int (value, &v->i);
      if (r < 0)
        return invalid_value (msg, value, name, r == -ERANGE ? "value out of range" : "parse error");
      break;
    case CLI_UINT:
      r = go_parse_uint (value, &v->u);
      if (r < 0)
        return invalid_value (msg, value, name, r == -ERANGE ? "value out of range" : "parse error");
      break;
    case CLI_DURATION:
      if (go_parse_duration (value, &v->i) < 0)
        return invalid_value (msg, value, name, "parse error");
      break;
    case CLI_STRING_SLICE:
      v->strv = xrealloc (v->strv, (v->n + 1) * sizeof *v->strv);
      v->strv[v->n++] = value;
      break;
    case CLI_INT64_SLICE:
      {
        int64_t x;
        _cleanup_free_ char *why = NULL, *q = go_quote (value);

        r = go_parse_int (value, &x);
        if (r < 0)
          {
            /* urfave's slice type reports strconv's own error text.  */
            xasprintf (&why, "strconv.ParseInt: parsing %s: %s", q,
                       r == -ERANGE ? "value out of range" : "invalid syntax");
            return invalid_value (msg, value, name, why);
          }
        v->intv = xrealloc (v->intv, (v->n + 1) * sizeof *v->intv);
        v->intv[v->n++] = x;
      }
      break;
    }
  v->set = true;
  return 0;
}

static const cli_flag *
lookup (const cli_flag *flags, size_t n, const char *name, size_t len, size_t *idx)
{
  for (size_t i = 0; i < n; i++)
    {
      const char *a = flags[i].alias;

      if ((strlen (flags[i].name) == len && memcmp (flags[i].name, name, len) == 0)
          || (a && strlen (a) == len && memcmp (a, name, len) == 0))
        {
          *idx = i;
          return &flags[i];
        }
    }
  return NULL;
}

/* One flag at argv[*i] (which starts with '-' and is not "-" or "--").  */
static int
parse_one (const cli_flag *flags, size_t n_flags, int argc, char **argv, int *i, cli_parsed *out,
           char **msg)
{
  static const cli_flag help_flag = { "help", "h", CLI_BOOL, NULL, NULL, false };
  const char *arg = argv[*i], *name, *eq, *value = NULL;
  _cleanup_free_ char *name_copy = NULL;
  const cli_flag *f;
  size_t idx = 0, len;
  cli_value help_value = { 0 }, *v;

  name = arg + (arg[1] == '-' ? 2 : 1);
  if (name[0] == '\0' || name[0] == '-' || name[0] == '=')
    return failf (msg, "bad flag syntax: %s", arg);
  eq = strchr (name + 1, '=');
  len = eq ? (size_t) (eq - name) : strlen (name);
  if (eq)
    value = eq + 1;
  name_copy = xstrndup (name, len);

  f = lookup (flags, n_flags, name, len, &idx);
  if (f)
    v = &out->v[idx];
  else if (lookup (&help_flag, 1, name, len, &idx))
    f = &help_flag, v = &help_value;
  else
    return failf (msg, "flag provided but not defined: -%s", name_copy);

  if (f->type == CLI_BOOL)
    {
      bool b = true;

      if (value && go_parse_bool (value, &b) < 0)
        {
          _cleanup_free_ char *q = go_quote (value);
          return failf (msg, "invalid boolean value %s for -%s: parse error", q, name_copy);
        }
      v->b = b;
      v->set = true;
    }
  else
    {
      /* The next argument is the value even when it looks like a flag:
         `--root --debug` sets the root to "--debug", as Go does.  */
      if (value == NULL)
        {
          if (*i + 1 >= argc)
            return failf (msg, "flag needs an argument: -%s", name_copy);
          value = argv[++*i];
        }
      if (set_value (f, v, name_copy, value, msg) < 0)
        return -EINVAL;
    }
  if (f == &help_flag)
    out->help = help_value.b;
  return 0;
}

int
cli_parse (const cli_flag *flags, size_t n_flags, int argc, char **argv, bool stop_at_arg,
           cli_parsed *out, char **msg)
{
  memset (out, 0, sizeof *out);
  *msg = NULL;
  out->n_flags = n_flags;
  out->v = xzalloc ((n_flags ? n_flags : 1) * sizeof *out->v);
  out->args = xzalloc (((size_t) argc + 1) * sizeof *out->args);
  set_defaults (flags, n_flags, out->v);

  for (int i = 0; i < argc; i++)
    {
      const char *a = argv[i];

      if (strcmp (a, "--") == 0)
        {
          for (i++; i < argc; i++)
            out->args[out->n_args++] = argv[i];
          break;
        }
      /* "-" alone is an argument (conventionally stdin).  */
      if (a[0] != '-' || a[1] == '\0')
        {
          if (stop_at_arg)
            {
              for (; i < argc; i++)
                out->args[out->n_args++] = argv[i];
              break;
            }
          out->args[out->n_args++] = argv[i];
          continue;
        }
      if (parse_one (flags, n_flags, argc, argv, &i, out, msg) < 0)
        {
          cli_parsed_free (out);
          return -EINVAL;
        }
    }
  return 0;
}

const char *
cli_str (const cli_parsed *p, int flag)
{
  const char *s = p->v[flag].s;
  return s && *s ? s : NULL;
}

void
cli_parsed_free (cli_parsed *p)
{
  if (p->v)
    for (size_t i = 0; i < p->n_flags; i++)
      {
        free (p->v[i].strv);
        free (p->v[i].intv);
      }
  free (p->v);
  free (p->args);
  memset (p, 0, sizeof *p);
}
