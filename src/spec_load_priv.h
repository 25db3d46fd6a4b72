/* Internal to the config loader (spec_load.c, spec_load_linux.c).
 *
 * The loader is table-driven: each JSON object of the spec is described
 * by an sl_type, a table of its members (JSON key, kind, where it goes in
 * the C struct) plus an optional check function for what a table cannot
 * say (enums, cross-field rules).  One generic walker parses any object
 * from its table and one generic walker frees it, so the two can never
 * disagree about who owns what.
 *
 * Every error names the JSON path of the offending value ("config.json:
 * mounts[2].destination: required field is missing"); the context carries
 * that path while the walker descends.  */
#ifndef RT_SPEC_LOAD_PRIV_H
#define RT_SPEC_LOAD_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "spec.h"

#define SL_PATH_MAX 512

typedef struct sl_ctx
{
  const char *doc; /* document name, the prefix of every message */
  rt_error *err;
  size_t len;
  char path[SL_PATH_MAX];
} sl_ctx;

/* The path grows by ".key", "[i]" or "[\"key\"]"; each push returns the
 * mark to give back to sl_pop.  */
size_t sl_push_key (sl_ctx *c, const char *key);
size_t sl_push_index (sl_ctx *c, size_t i);
size_t sl_push_mapkey (sl_ctx *c, const char *key);
void sl_pop (sl_ctx *c, size_t mark);

/* "<doc>: <path>: <message>", EINVAL.  */
int sl_fail (sl_ctx *c, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* The same, for the member `key` of the object at the current path.  */
int sl_fail_at (sl_ctx *c, const char *key, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));

enum sl_kind
{
  SL_STR,
  SL_BOOL,
  SL_U16,
  SL_U32,
  SL_U64,
  SL_I32,
  SL_I64,
  SL_STRV,   /* char ** with an n_ count; NULL-terminated as well */
  SL_U32V,   /* uint32_t * with an n_ count */
  SL_STRMAP, /* spec_kv * with an n_ count, from an object of strings */
  SL_OBJ,    /* pointer to a heap struct of `type` */
  SL_OBJS,   /* array of `type` with an n_ count */
  SL_INLINE, /* struct of `type` at `off`, optional has_ flag in `aux` */
  SL_MAP,    /* array of `type` with an n_ count, from an object of objects;
                the struct's first member is the `char *` entry key */
};

struct sl_type;

typedef struct sl_field
{
  const char *key;
  enum sl_kind kind;
  bool required;
  size_t off;                 /* the value, the pointer or the array */
  size_t aux;                 /* has_ flag of an optional scalar, n_ count of an array, or SL_NONE */
  const struct sl_type *type; /* SL_OBJ, SL_OBJS, SL_INLINE, SL_MAP */
} sl_field;

typedef struct sl_type
{
  size_t size;
  const sl_field *fields;
  size_t n_fields;
  /* Run after the fields, at the object's path: enums, cross-field rules,
   * members the table cannot express.  It must not allocate anything the
   * fields do not free.  */
  int (*check) (sl_ctx *c, const json_node *obj, void *dst);
} sl_type;

#define SL_NONE ((size_t) -1)

/* A scalar or array without a presence flag, optional or required.  */
#define SL_FIELD(T, k, kind, m) { k, kind, false, offsetof (T, m), SL_NONE, NULL }
#define SL_REQ(T, k, kind, m) { k, kind, true, offsetof (T, m), SL_NONE, NULL }
/* An optional scalar with a has_<m> flag.  */
#define SL_OPT(T, k, kind, m) { k, kind, false, offsetof (T, m), offsetof (T, has_##m), NULL }
/* An array (SL_STRV, SL_U32V, SL_STRMAP) with an n_<m> count.  */
#define SL_ARR(T, k, kind, m) { k, kind, false, offsetof (T, m), offsetof (T, n_##m), NULL }
#define SL_REQ_ARR(T, k, kind, m) { k, kind, true, offsetof (T, m), offsetof (T, n_##m), NULL }
/* A heap object, an array of objects, a map of objects.  */
#define SL_NEW(T, k, m, ty) { k, SL_OBJ, false, offsetof (T, m), SL_NONE, ty }
#define SL_REQ_NEW(T, k, m, ty) { k, SL_OBJ, true, offsetof (T, m), SL_NONE, ty }
#define SL_OBJS(T, k, m, ty) { k, SL_OBJS, false, offsetof (T, m), offsetof (T, n_##m), ty }
#define SL_MAP(T, k, m, ty) { k, SL_MAP, false, offsetof (T, m), offsetof (T, n_##m), ty }
/* An object embedded in the parent struct, optional or required.  */
#define SL_EMBED(T, k, m, ty) { k, SL_INLINE, false, offsetof (T, m), SL_NONE, ty }
#define SL_REQ_EMBED(T, k, m, ty) { k, SL_INLINE, true, offsetof (T, m), SL_NONE, ty }
/* An object whose members live in the parent struct itself (their table
 * uses the parent's offsets), with an optional presence flag.  */
#define SL_FLAT(k, flag_off, ty) { k, SL_INLINE, false, 0, flag_off, ty }
#define SL_TYPE(T, table, chk) { sizeof (T), table, sizeof (table) / sizeof ((table)[0]), chk }

/* Parse the members listed in a table from `obj` into `base`.  */
int sl_get_fields (sl_ctx *c, const json_node *obj, void *base, const sl_field *fields, size_t n);
/* Parse a whole object of a type (fields, then check).  */
int sl_parse (sl_ctx *c, const json_node *obj, void *dst, const sl_type *t);
/* Free what a struct of a type owns (not the struct itself).  */
void sl_clear (void *base, const sl_type *t);

/* A single string member, for check functions.  Returns 1 when stored,
 * 0 when absent and not required, < 0 on error.  */
int sl_get_string (sl_ctx *c, const json_node *obj, const char *key, bool required, char **out);

extern const sl_type sl_idmap_type;
extern const sl_type sl_linux_type;
extern const sl_type sl_resources_type;

#endif
