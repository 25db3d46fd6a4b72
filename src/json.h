/* JSON reading (json.c, the only file that includes yajl) and writing
 * (json_write.c, no library).  Everything else sees these types only.  */
#ifndef RT_JSON_H
#define RT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* ---- reading ------------------------------------------------------------ */

typedef struct json_node json_node; /* opaque */

enum json_type
{
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
};

/* Parse a complete document.  On a syntax error the message names `name`
 * and the position: "config.json: invalid JSON at line 3, column 7: ...".
 * The returned tree owns all its memory; free it with json_free().  */
json_node *json_parse (const char *text, size_t len, const char *name, rt_error *err);
void json_free (json_node *root);

enum json_type json_type (const json_node *n);
const char *json_type_name (enum json_type t); /* "a string", "an object", ... for messages */

/* Valid only for the matching type.  */
const char *json_string (const json_node *n);
bool json_bool (const json_node *n);
const char *json_number_text (const json_node *n); /* the number exactly as written */

/* Number conversions; -EINVAL when not an integer, -ERANGE when it does not
 * fit.  A JSON number like 1.0 or 1e3 is not an integer here.  */
int json_get_u64 (const json_node *n, uint64_t *out);
int json_get_i64 (const json_node *n, int64_t *out);
int json_get_double (const json_node *n, double *out);

/* Arrays and objects.  */
size_t json_len (const json_node *n);
const json_node *json_at (const json_node *n, size_t i);    /* array element */
const char *json_key_at (const json_node *n, size_t i);     /* object member name */
const json_node *json_value_at (const json_node *n, size_t i); /* object member value */
/* Object lookup; with duplicate keys the last one wins (as Go does).
 * NULL when absent.  */
const json_node *json_get (const json_node *n, const char *key);

/* ---- writing ------------------------------------------------------------ */

/* Output matches Go's encoding/json, because containerd, podman and tests
 * compare our output with runc's: with indent > 0 it is MarshalIndent-style
 * ("key": value, empty containers as [] and {}), and <, >, & are escaped as
 * \u003c, \u003e, \u0026.  */
typedef struct json_writer json_writer;

json_writer *json_writer_new (int indent /* 0 = compact */);
void json_writer_free (json_writer *w);

void json_w_object_begin (json_writer *w);
void json_w_object_end (json_writer *w);
void json_w_array_begin (json_writer *w);
void json_w_array_end (json_writer *w);
void json_w_key (json_writer *w, const char *key);
void json_w_string (json_writer *w, const char *s); /* NULL writes null */
void json_w_int (json_writer *w, int64_t v);
void json_w_uint (json_writer *w, uint64_t v);
void json_w_double (json_writer *w, double v);
void json_w_bool (json_writer *w, bool v);
void json_w_null (json_writer *w);
/* Re-emit a parsed node (used to round-trip unknown parts of a document).  */
void json_w_node (json_writer *w, const json_node *n);

/* Shorthands for "key": value.  */
void json_w_kv_string (json_writer *w, const char *key, const char *s);
void json_w_kv_int (json_writer *w, const char *key, int64_t v);
void json_w_kv_uint (json_writer *w, const char *key, uint64_t v);
void json_w_kv_bool (json_writer *w, const char *key, bool v);

/* Returns the text (malloc'd, NUL-terminated, no trailing newline) and frees
 * the writer.  */
char *json_writer_finish (json_writer *w, size_t *len);

#endif
