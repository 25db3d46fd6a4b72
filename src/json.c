/* JSON parsing.  This is the only file in the project that includes yajl:
 * it drives yajl's event parser and builds our own small tree, so that the
 * rest of the code never sees a yajl type and error messages can give a
 * line and column.  */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "json.h"
#include "util.h"

struct json_node
{
  enum json_type type;
  union
  {
    bool b;
    char *s; /* string, or the literal text of a number */
    struct
    {
      struct json_node **items;
      char **keys; /* objects only */
      size_t len, cap;
    } c;
  } u;
};

/* Parser state: a stack of open containers plus the pending object key.  */
struct builder
{
  json_node *root;
  json_node **stack;
  size_t depth, cap;
  char *pending_key;
  const char *cancel_reason; /* why a callback stopped the parser */
};

/* Deeply nested input would otherwise exhaust memory with a tiny file; no
 * real config comes close.  */
#define MAX_DEPTH 256

static json_node *
node_new (enum json_type t)
{
  json_node *n = xzalloc (sizeof *n);
  n->type = t;
  return n;
}

void
json_free (json_node *n)
{
  if (n == NULL)
    return;
  switch (n->type)
    {
    case JSON_STRING:
    case JSON_NUMBER:
      free (n->u.s);
      break;
    case JSON_ARRAY:
    case JSON_OBJECT:
      for (size_t i = 0; i < n->u.c.len; i++)
        {
          json_free (n->u.c.items[i]);
          if (n->u.c.keys)
            free (n->u.c.keys[i]);
        }
      free (n->u.c.items);
      free (n->u.c.keys);
      break;
    default:
      break;
    }
  free (n);
}

static int
attach (struct builder *b, json_node *n)
{
  json_node *parent;

  if (b->depth == 0)
    {
      if (b->root != NULL)
        {
          json_free (n);
          return 0;
        }
      b->root = n;
      return 1;
    }
  parent = b->stack[b->depth - 1];
  if (parent->u.c.len == parent->u.c.cap)
    {
      parent->u.c.cap = parent->u.c.cap ? parent->u.c.cap * 2 : 4;
      parent->u.c.items = xrealloc (parent->u.c.items, parent->u.c.cap * sizeof (json_node *));
      if (parent->type == JSON_OBJECT)
        parent->u.c.keys = xrealloc (parent->u.c.keys, parent->u.c.cap * sizeof (char *));
    }
  if (parent->type == JSON_OBJECT)
    parent->u.c.keys[parent->u.c.len] = TAKE_PTR (b->pending_key);
  parent->u.c.items[parent->u.c.len++] = n;
  return 1;
}

static int
push (struct builder *b, json_node *n)
{
  if (b->depth >= MAX_DEPTH)
    {
      b->cancel_reason = "nesting deeper than 256 levels";
      json_free (n);
      return 0;
    }
  if (!attach (b, n))
    return 0;
  if (b->depth == b->cap)
    {
      b->cap = b->cap ? b->cap * 2 : 8;
      b->stack = xrealloc (b->stack, b->cap * sizeof (json_node *));
    }
  b->stack[b->depth++] = n;
  return 1;
}

static int
cb_null (void *ctx)
{
  return attach (ctx, node_new (JSON_NULL));
}

static int
cb_bool (void *ctx, int v)
{
  json_node *n = node_new (JSON_BOOL);
  n->u.b = v != 0;
  return attach (ctx, n);
}

static int
cb_number (void *ctx, const char *s, size_t len)
{
  json_node *n = node_new (JSON_NUMBER);
  n->u.s = xstrndup (s, len);
  return attach (ctx, n);
}

/* C strings end at the first NUL: a "\u0000" inside a value would make a
 * path mean something else here than to the tools that wrote it.  */
static int
has_nul (struct builder *b, const unsigned char *s, size_t len)
{
  if (memchr (s, '\0', len) == NULL)
    return 0;
  b->cancel_reason = "strings must not contain \\u0000";
  return 1;
}

static int
cb_string (void *ctx, const unsigned char *s, size_t len)
{
  json_node *n;

  if (has_nul (ctx, s, len))
    return 0;
  n = node_new (JSON_STRING);
  n->u.s = xstrndup ((const char *) s, len);
  return attach (ctx, n);
}

static int
cb_start_map (void *ctx)
{
  return push (ctx, node_new (JSON_OBJECT));
}

static int
cb_map_key (void *ctx, const unsigned char *s, size_t len)
{
  struct builder *b = ctx;
  if (has_nul (b, s, len))
    return 0;
  free (b->pending_key);
  b->pending_key = xstrndup ((const char *) s, len);
  return 1;
}

static int
cb_end (void *ctx)
{
  struct builder *b = ctx;
  if (b->depth > 0)
    b->depth--;
  return 1;
}

static const yajl_callbacks callbacks = {
  .yajl_null = cb_null,
  .yajl_boolean = cb_bool,
  .yajl_number = cb_number,
  .yajl_string = cb_string,
  .yajl_start_map = cb_start_map,
  .yajl_map_key = cb_map_key,
  .yajl_end_map = cb_end,
  .yajl_start_array = NULL, /* set below: same as map but an array */
  .yajl_end_array = cb_end,
};

static int
cb_start_array (void *ctx)
{
  return push (ctx, node_new (JSON_ARRAY));
}

static void
position (const char *text, size_t offset, size_t *line, size_t *col)
{
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < offset; i++)
    {
      if (text[i] == '\n')
        {
          (*line)++;
          *col = 1;
        }
      else
        (*col)++;
    }
}

/* yajl's own message is multi-line with a caret drawing; keep only its
 * first line, which is the description.  */
static void
first_line (char *s)
{
  char *nl = strchr (s, '\n');
  if (nl)
    *nl = '\0';
}

json_node *
json_parse (const char *text, size_t len, const char *name, rt_error *err)
{
  struct builder b = { 0 };
  yajl_callbacks cbs = callbacks;
  yajl_handle h;
  yajl_status st;

  cbs.yajl_start_array = cb_start_array;
  h = yajl_alloc (&cbs, NULL, &b);
  if (h == NULL)
    abort ();

  st = yajl_parse (h, (const unsigned char *) text, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse (h);
  if (st != yajl_status_ok || b.root == NULL)
    {
      size_t offset = yajl_get_bytes_consumed (h), line, col;
      unsigned char *msg;

      if (offset > len)
        offset = len;
      position (text, offset, &line, &col);
      if (st == yajl_status_client_canceled)
        rt_failx (err, EINVAL, "%s: invalid JSON at line %zu, column %zu: %s", name, line, col,
                  b.cancel_reason ? b.cancel_reason : "rejected");
      else if (b.root == NULL && st == yajl_status_ok)
        rt_failx (err, EINVAL, "%s: invalid JSON: the document is empty", name);
      else
        {
          msg = yajl_get_error (h, 0, (const unsigned char *) text, len);
          first_line ((char *) msg);
          rt_failx (err, EINVAL, "%s: invalid JSON at line %zu, column %zu: %s", name, line, col, (char *) msg);
          yajl_free_error (h, msg);
        }
      yajl_free (h);
      json_free (b.root);
      free (b.stack);
      free (b.pending_key);
      return NULL;
    }
  yajl_free (h);
  free (b.stack);
  free (b.pending_key);
  return b.root;
}

enum json_type
json_type (const json_node *n)
{
  return n->type;
}

const char *
json_type_name (enum json_type t)
{
  switch (t)
    {
    case JSON_NULL:
      return "null";
    case JSON_BOOL:
      return "a boolean";
    case JSON_NUMBER:
      return "a number";
    case JSON_STRING:
      return "a string";
    case JSON_ARRAY:
      return "an array";
    case JSON_OBJECT:
      return "an object";
    }
  return "?";
}

const char *
json_string (const json_node *n)
{
  return n->type == JSON_STRING ? n->u.s : NULL;
}

bool
json_bool (const json_node *n)
{
  return n->type == JSON_BOOL && n->u.b;
}

const char *
json_number_text (const json_node *n)
{
  return n->type == JSON_NUMBER ? n->u.s : NULL;
}

static bool
is_integer_text (const char *s)
{
  return strpbrk (s, ".eE") == NULL;
}

int
json_get_u64 (const json_node *n, uint64_t *out)
{
  if (n->type != JSON_NUMBER || !is_integer_text (n->u.s))
    return -EINVAL;
  if (n->u.s[0] == '-')
    return strcmp (n->u.s, "-0") == 0 ? (*out = 0, 0) : -ERANGE;
  return parse_u64 (n->u.s, out);
}

int
json_get_i64 (const json_node *n, int64_t *out)
{
  if (n->type != JSON_NUMBER || !is_integer_text (n->u.s))
    return -EINVAL;
  return parse_i64 (n->u.s, out);
}

int
json_get_double (const json_node *n, double *out)
{
  char *end;
  double v;

  if (n->type != JSON_NUMBER)
    return -EINVAL;
  errno = 0;
  v = strtod (n->u.s, &end);
  if (*end != '\0')
    return -EINVAL;
  if (errno == ERANGE && isinf (v))
    return -ERANGE;
  *out = v;
  return 0;
}

size_t
json_len (const json_node *n)
{
  return (n->type == JSON_ARRAY || n->type == JSON_OBJECT) ? n->u.c.len : 0;
}

const json_node *
json_at (const json_node *n, size_t i)
{
  if (n->type != JSON_ARRAY || i >= n->u.c.len)
    return NULL;
  return n->u.c.items[i];
}

const char *
json_key_at (const json_node *n, size_t i)
{
  if (n->type != JSON_OBJECT || i >= n->u.c.len)
    return NULL;
  return n->u.c.keys[i];
}

const json_node *
json_value_at (const json_node *n, size_t i)
{
  if (n->type != JSON_OBJECT || i >= n->u.c.len)
    return NULL;
  return n->u.c.items[i];
}

const json_node *
json_get (const json_node *n, const char *key)
{
  if (n->type != JSON_OBJECT)
    return NULL;
  /* Backwards, so the last duplicate wins as with Go's decoder.  */
  for (size_t i = n->u.c.len; i > 0; i--)
    if (strcmp (n->u.c.keys[i - 1], key) == 0)
      return n->u.c.items[i - 1];
  return NULL;
}
