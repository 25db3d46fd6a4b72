/* libFuzzer target for the config loader (`make fuzz`, see Makefile.am).
 *
 * Every input goes through the three entry points a user can reach with a
 * file: config.json, `exec --process` and `update -r`.  Whatever the
 * bytes, each must either load or fail with a message naming the
 * document, and free everything (ASan reports leaks).  */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "spec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A failure must say what went wrong, prefixed by the document name.  */
static void
check_error (const void *loaded, const rt_error *err, const char *name)
{
  if (loaded == NULL && strncmp (err->msg, name, strlen (name)) != 0)
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  rt_error err = { 0 };
  spec_resources *r;
  spec_process *p;
  spec *s;

  s = spec_load_text (text, size, "config.json", &err);
  check_error (s, &err, "config.json: ");
  if (s)
    {
      /* Walk what the helpers walk, so a bad count or pointer shows.  */
      for (int t = 0; t < SPEC_NS__COUNT; t++)
        {
          const spec_namespace *ns = spec_find_namespace (s, t);
          if (ns && ns->path)
            (void) strlen (ns->path);
        }
      (void) spec_annotation (s, "org.opencontainers.image.os");
    }
  spec_free (s);

  p = spec_process_load_text (text, size, "process.json", &err);
  check_error (p, &err, "process.json: ");
  spec_process_free (p);

  r = spec_resources_load_text (text, size, "resources.json", &err);
  check_error (r, &err, "resources.json: ");
  spec_resources_free (r);
  return 0;
}
