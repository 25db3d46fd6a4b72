/* Placeholder: replaced by the real implementation.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "spec.h"

spec *
spec_load_text (const char *text, size_t len, const char *name, rt_error *err)
{
  (void) text;
  (void) len;
  (void) name;
  (void) err;
  rt_failx (err, ENOSYS, "spec_load_text: not implemented yet");
  return NULL;
}

spec *
spec_load_file (const char *path, rt_error *err)
{
  (void) path;
  (void) err;
  rt_failx (err, ENOSYS, "spec_load_file: not implemented yet");
  return NULL;
}

spec_process *
spec_process_load_text (const char *text, size_t len, const char *name, rt_error *err)
{
  (void) text;
  (void) len;
  (void) name;
  (void) err;
  rt_failx (err, ENOSYS, "spec_process_load_text: not implemented yet");
  return NULL;
}

spec_resources *
spec_resources_load_text (const char *text, size_t len, const char *name, rt_error *err)
{
  (void) text;
  (void) len;
  (void) name;
  (void) err;
  rt_failx (err, ENOSYS, "spec_resources_load_text: not implemented yet");
  return NULL;
}

void
spec_free (spec *s)
{
  (void) s;
}

void
spec_process_free (spec_process *p)
{
  (void) p;
}

void
spec_resources_free (spec_resources *r)
{
  (void) r;
}

const char *
spec_ns_type_name (enum spec_ns_type t)
{
  (void) t;
  return NULL;
}

int
spec_ns_type_from_name (const char *name)
{
  (void) name;
  return -ENOSYS;
}

const spec_namespace *
spec_find_namespace (const spec *s, enum spec_ns_type t)
{
  (void) s;
  (void) t;
  return NULL;
}

const char *
spec_annotation (const spec *s, const char *key)
{
  (void) s;
  (void) key;
  return NULL;
}
