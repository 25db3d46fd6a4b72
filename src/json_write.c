/* JSON output that matches Go's encoding/json byte for byte in the cases
 * runc's users compare (state, list, features, spec, events).  */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "util.h"

#define MAX_NEST 128

struct json_writer
{
  char *buf;
  size_t len, cap;
  int indent;
  int depth;
  /* Per nesting level: how many members have been written so far.  */
  size_t count[MAX_NEST];
  bool after_key;
};

json_writer *
json_writer_new (int indent)
{
  json_writer *w = xzalloc (sizeof *w);
  w->indent = indent;
  w->cap = 256;
  w->buf = xmalloc (w->cap);
  return w;
}

void
json_writer_free (json_writer *w)
{
  if (w == NULL)
    return;
  free (w->buf);
  free (w);
}

static void
put (json_writer *w, const char *s, size_t n)
{
  if (w->len + n + 1 > w->cap)
    {
      while (w->len + n + 1 > w->cap)
        w->cap *= 2;
      w->buf = xrealloc (w->buf, w->cap);
    }
  memcpy (w->buf + w->len, s, n);
  w->len += n;
}

static void
puts_ (json_writer *w, const char *s)
{
  put (w, s, strlen (s));
}

static void
newline_indent (json_writer *w, int depth)
{
  if (w->indent <= 0)
    return;
  put (w, "\n", 1);
  for (int i = 0; i < depth * w->indent; i++)
    put (w, " ", 1);
}

/* Separator and indentation before a value or key at the current level.  */
static void
before_item (json_writer *w)
{
  if (w->after_key)
    {
      w->after_key = false;
      return;
    }
  if (w->depth == 0)
    return;
  if (w->count[w->depth]++ > 0)
    put (w, ",", 1);
  newline_indent (w, w->depth);
}

static void
open_ (json_writer *w, char c)
{
  before_item (w);
  put (w, &c, 1);
  if (w->depth + 1 < MAX_NEST)
    w->depth++;
  w->count[w->depth] = 0;
}

static void
close_ (json_writer *w, char c)
{
  bool empty = w->count[w->depth] == 0;
  if (w->depth > 0)
    w->depth--;
  if (!empty)
    newline_indent (w, w->depth);
  put (w, &c, 1);
}

void
json_w_object_begin (json_writer *w)
{
  open_ (w, '{');
}

void
json_w_object_end (json_writer *w)
{
  close_ (w, '}');
}

void
json_w_array_begin (json_writer *w)
{
  open_ (w, '[');
}

void
json_w_array_end (json_writer *w)
{
  close_ (w, ']');
}

static void
put_quoted (json_writer *w, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *) s;

  put (w, "\"", 1);
  for (; *p; p++)
    {
      unsigned char c = *p;
      char esc[7];

      switch (c)
        {
        case '"':
          puts_ (w, "\\\"");
          continue;
        case '\\':
          puts_ (w, "\\\\");
          continue;
        case '\n':
          puts_ (w, "\\n");
          continue;
        case '\r':
          puts_ (w, "\\r");
          continue;
        case '\t':
          puts_ (w, "\\t");
          continue;
        default:
          break;
        }
      /* Go escapes control characters and, for HTML safety, <, > and &.  */
      if (c < 0x20 || c == '<' || c == '>' || c == '&')
        {
          esc[0] = '\\';
          esc[1] = 'u';
          esc[2] = '0';
          esc[3] = '0';
          esc[4] = hex[c >> 4];
          esc[5] = hex[c & 0xf];
          put (w, esc, 6);
          continue;
        }
      /* U+2028 and U+2029 (E2 80 A8/A9) are escaped by Go as well.  */
      if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
        {
          puts_ (w, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
          p += 2;
          continue;
        }
      put (w, (const char *) p, 1);
    }
  put (w, "\"", 1);
}

void
json_w_key (json_writer *w, const char *key)
{
  before_item (w);
  put_quoted (w, key);
  if (w->indent > 0)
    put (w, ": ", 2);
  else
    put (w, ":", 1);
  w->after_key = true;
}

void
json_w_string (json_writer *w, const char *s)
{
  if (s == NULL)
    {
      json_w_null (w);
      return;
    }
  before_item (w);
  put_quoted (w, s);
}

void
json_w_int (json_writer *w, int64_t v)
{
  char b[32];
  before_item (w);
  snprintf (b, sizeof b, "%" PRId64, v);
  puts_ (w, b);
}

void
json_w_uint (json_writer *w, uint64_t v)
{
  char b[32];
  before_item (w);
  snprintf (b, sizeof b, "%" PRIu64, v);
  puts_ (w, b);
}

void
json_w_double (json_writer *w, double v)
{
  char b[64];
  before_item (w);
  if (!isfinite (v))
    {
      /* JSON has no representation; Go refuses, we write null.  */
      puts_ (w, "null");
      return;
    }
  if (v == (double) (int64_t) v && fabs (v) < 1e21)
    snprintf (b, sizeof b, "%" PRId64, (int64_t) v);
  else
    {
      /* Go writes the shortest text that reads back as the same double
         ("0.12", not "0.12000000000000000").  */
      for (int prec = 1; prec <= 17; prec++)
        {
          snprintf (b, sizeof b, "%.*g", prec, v);
          if (strtod (b, NULL) == v)
            break;
        }
    }
  puts_ (w, b);
}

void
json_w_bool (json_writer *w, bool v)
{
  before_item (w);
  puts_ (w, v ? "true" : "false");
}

void
json_w_null (json_writer *w)
{
  before_item (w);
  puts_ (w, "null");
}

void
json_w_node (json_writer *w, const json_node *n)
{
  switch (json_type (n))
    {
    case JSON_NULL:
      json_w_null (w);
      break;
    case JSON_BOOL:
      json_w_bool (w, json_bool (n));
      break;
    case JSON_NUMBER:
      before_item (w);
      puts_ (w, json_number_text (n));
      break;
    case JSON_STRING:
      json_w_string (w, json_string (n));
      break;
    case JSON_ARRAY:
      json_w_array_begin (w);
      for (size_t i = 0; i < json_len (n); i++)
        json_w_node (w, json_at (n, i));
      json_w_array_end (w);
      break;
    case JSON_OBJECT:
      json_w_object_begin (w);
      for (size_t i = 0; i < json_len (n); i++)
        {
          json_w_key (w, json_key_at (n, i));
          json_w_node (w, json_value_at (n, i));
        }
      json_w_object_end (w);
      break;
    }
}

void
json_w_kv_string (json_writer *w, const char *key, const char *s)
{
  json_w_key (w, key);
  json_w_string (w, s);
}

void
json_w_kv_int (json_writer *w, const char *key, int64_t v)
{
  json_w_key (w, key);
  json_w_int (w, v);
}

void
json_w_kv_uint (json_writer *w, const char *key, uint64_t v)
{
  json_w_key (w, key);
  json_w_uint (w, v);
}

void
json_w_kv_bool (json_writer *w, const char *key, bool v)
{
  json_w_key (w, key);
  json_w_bool (w, v);
}

char *
json_writer_finish (json_writer *w, size_t *len)
{
  char *out = w->buf;
  out[w->len] = '\0';
  if (len)
    *len = w->len;
  free (w);
  return out;
}
