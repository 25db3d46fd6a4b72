/* runc state <container-id>: the container's state as JSON (2-space
 * indent, no trailing newline, as runc prints it).  */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "util.h"

static int
cmp_kv_key (const void *a, const void *b)
{
  const spec_kv *x = *(const spec_kv *const *) a, *y = *(const spec_kv *const *) b;
  return strcmp (x->key, y->key);
}

void
cli_info_json (json_writer *w, const rt_container_info *info, const char *owner)
{
  json_w_object_begin (w);
  json_w_kv_string (w, "ociVersion", info->oci_version ? info->oci_version : "");
  json_w_kv_string (w, "id", info->id ? info->id : "");
  json_w_kv_int (w, "pid", info->pid);
  json_w_kv_string (w, "status", rt_status_name (info->status));
  json_w_kv_string (w, "bundle", info->bundle ? info->bundle : "");
  json_w_kv_string (w, "rootfs", info->rootfs ? info->rootfs : "");
  json_w_kv_string (w, "created", info->created ? info->created : "");
  if (info->n_annotations > 0)
    {
      /* Go writes a map with its keys sorted.  */
      _cleanup_free_ const spec_kv **sorted = xmalloc (info->n_annotations * sizeof *sorted);

      for (size_t i = 0; i < info->n_annotations; i++)
        sorted[i] = &info->annotations[i];
      qsort (sorted, info->n_annotations, sizeof *sorted, cmp_kv_key);
      json_w_key (w, "annotations");
      json_w_object_begin (w);
      for (size_t i = 0; i < info->n_annotations; i++)
        json_w_kv_string (w, sorted[i]->key, sorted[i]->value);
      json_w_object_end (w);
    }
  json_w_kv_string (w, "owner", owner ? owner : "");
  json_w_object_end (w);
}

char *
cli_state_format (const rt_container_info *info, size_t *len)
{
  json_writer *w = json_writer_new (2);

  cli_info_json (w, info, NULL);
  return json_writer_finish (w, len);
}

static int
state_run (cli_global *g, const cli_parsed *p)
{
  rt_container_info info = { 0 };
  _cleanup_free_ char *text = NULL;
  rt_error err = { 0 };
  size_t len;

  if (rt_container_info_get (&g->ctx, p->args[0], &info, &err) < 0)
    return cli_fatal (1, "%s", err.msg);
  text = cli_state_format (&info, &len);
  rt_container_info_free (&info);
  return cli_output (text, len, "state");
}

const cli_command cmd_state = {
  .name = "state",
  .usage = "print the state of a container as JSON",
  .args_usage = "<container-id>\n"
                "\n"
                "<container-id> names the container.",
  .description = "Print the container's state as JSON: the OCI state (ociVersion, id, status,\n"
                 "pid, bundle, annotations) plus rootfs, created and owner.",
  .min_args = 1,
  .max_args = 1,
  .needs_state = true,
  .run = state_run,
};
