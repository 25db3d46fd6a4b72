#include "config.h"

#include "json.h"
#include "tap.h"
#include "util.h"

static void
test_parse (void)
{
  const char *doc = "{\"a\": [1, -2, 3.5, true, null, \"x\"], \"a\": {\"k\": \"v\"}, \"big\": 18446744073709551615}";
  rt_error err = { 0 };
  json_node *n = json_parse (doc, strlen (doc), "t.json", &err);
  uint64_t u;
  int64_t i;

  ok (n != NULL, "parse ok");
  ok (json_type (json_get (n, "a")) == JSON_OBJECT, "last duplicate key wins");
  ok (json_get_u64 (json_get (n, "big"), &u) == 0 && u == UINT64_MAX, "uint64 max");
  ok (json_get_i64 (json_get (n, "big"), &i) == -ERANGE, "uint64 max does not fit int64");
  ok (json_key_at (n, 0) && strcmp (json_key_at (n, 0), "a") == 0, "keys in document order");
  {
    const json_node *arr = json_value_at (n, 0);
    is_int (json_len (arr), 6, "array length");
    ok (json_get_i64 (json_at (arr, 1), &i) == 0 && i == -2, "negative int");
    ok (json_get_u64 (json_at (arr, 1), &u) == -ERANGE, "negative is out of range for u64");
    ok (json_get_u64 (json_at (arr, 2), &u) == -EINVAL, "3.5 is not an integer");
    ok (json_bool (json_at (arr, 3)), "true");
    ok (json_type (json_at (arr, 4)) == JSON_NULL, "null");
    is_str (json_string (json_at (arr, 5)), "x", "string");
  }
  json_free (n);
}

static void
test_errors (void)
{
  rt_error err = { 0 };
  const char *bad = "{\n  \"a\": 1,\n  \"b\": tru\n}";
  ok (json_parse (bad, strlen (bad), "config.json", &err) == NULL, "syntax error fails");
  like (err.msg, "config.json: invalid JSON at line 3", "error names the file and line");
  ok (json_parse ("", 0, "e.json", &err) == NULL, "empty document fails");
  like (err.msg, "e.json: invalid JSON", "empty document message");
  ok (json_parse ("{\"a\":1", 6, "t.json", &err) == NULL, "truncated document fails");
  ok (json_parse ("{\"a\":\"x\\u0000y\"}", 18, "n.json", &err) == NULL, "NUL inside a string is refused");
  like (err.msg, "u0000", "NUL message");
  ok (json_parse ("{\"a\\u0000\":1}", 14, "n.json", &err) == NULL, "NUL inside a key is refused");
  {
    char deep[2000];
    memset (deep, '[', 1000);
    memset (deep + 1000, ']', 1000);
    ok (json_parse (deep, sizeof deep, "d.json", &err) == NULL, "absurd nesting refused");
    like (err.msg, "nesting deeper", "nesting message");
  }
}

static void
test_write (void)
{
  json_writer *w = json_writer_new (2);
  char *out;

  json_w_object_begin (w);
  json_w_kv_string (w, "ociVersion", "1.3.0");
  json_w_kv_int (w, "pid", 42);
  json_w_key (w, "empty");
  json_w_array_begin (w);
  json_w_array_end (w);
  json_w_key (w, "emptyobj");
  json_w_object_begin (w);
  json_w_object_end (w);
  json_w_key (w, "list");
  json_w_array_begin (w);
  json_w_string (w, "a<b&c>\n\x01");
  json_w_bool (w, false);
  json_w_array_end (w);
  json_w_object_end (w);
  out = json_writer_finish (w, NULL);
  is_str (out,
          "{\n  \"ociVersion\": \"1.3.0\",\n  \"pid\": 42,\n  \"empty\": [],\n  \"emptyobj\": {},\n  \"list\": [\n"
          "    \"a\\u003cb\\u0026c\\u003e\\n\\u0001\",\n    false\n  ]\n}",
          "indented output matches Go's MarshalIndent");
  free (out);

  w = json_writer_new (0);
  json_w_array_begin (w);
  json_w_object_begin (w);
  json_w_kv_uint (w, "a", 1);
  json_w_kv_bool (w, "b", true);
  json_w_object_end (w);
  json_w_null (w);
  json_w_array_end (w);
  out = json_writer_finish (w, NULL);
  is_str (out, "[{\"a\":1,\"b\":true},null]", "compact output");
  free (out);
}

static void
test_roundtrip (void)
{
  const char *doc = "{\"x\":[1,2.5e3,\"s\",{\"y\":null}],\"z\":false}";
  rt_error err = { 0 };
  json_node *n = json_parse (doc, strlen (doc), "t", &err);
  json_writer *w = json_writer_new (0);
  char *out;

  json_w_node (w, n);
  out = json_writer_finish (w, NULL);
  is_str (out, doc, "json_w_node round-trips");
  free (out);
  json_free (n);
}

int
main (void)
{
  test_parse ();
  test_errors ();
  test_write ();
  test_roundtrip ();
  return tap_done ();
}
