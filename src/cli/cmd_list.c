/* runc list: every container under the state root, as a table (Go
 * tabwriter: minwidth 12, padding 3), JSON, or bare IDs.  */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "util.h"

enum
{
  LIST_FORMAT,
  LIST_QUIET,
  LIST_N_FLAGS
};

static const cli_flag list_flags[LIST_N_FLAGS] = {
  [LIST_FORMAT] = { "format", "f", CLI_STRING, "output format: table or json", "table", false },
  [LIST_QUIET] = { "quiet", "q", CLI_BOOL, "print only the container IDs", NULL, false },
};

/* The owner's user name, or "#UID" when it has none.  */
static char *
owner_name (uid_t uid)
{
  struct passwd pw, *res = NULL;
  char buf[4096];
  char *out;

  if (getpwuid_r (uid, &pw, buf, sizeof buf, &res) == 0 && res != NULL)
    return xstrdup (res->pw_name);
  xasprintf (&out, "#%u", (unsigned) uid);
  return out;
}

static char *
format_table (const rt_container_info *infos, size_t n)
{
  char *text = NULL, *out;
  size_t len = 0;
  FILE *f = open_memstream (&text, &len);

  if (f == NULL)
    abort ();
  fputs ("ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n", f);
  for (size_t i = 0; i < n; i++)
    {
      _cleanup_free_ char *owner = owner_name (infos[i].owner);
      const char *status = rt_status_name (infos[i].status);

      fprintf (f, "%s\t%d\t%s\t%s\t%s\t%s\n", infos[i].id, (int) infos[i].pid,
               status ? status : "", infos[i].bundle ? infos[i].bundle : "",
               infos[i].created ? infos[i].created : "", owner);
    }
  fclose (f);
  out = tabwriter_format (text, 12, 3);
  free (text);
  return out;
}

static char *
format_json (const rt_container_info *infos, size_t n)
{
  _cleanup_free_ char *doc = NULL;
  json_writer *w;
  char *text;

  /* Go encodes an empty slice of containers as null.  */
  if (n == 0)
    return xstrdup ("null\n");
  w = json_writer_new (0);
  json_w_array_begin (w);
  for (size_t i = 0; i < n; i++)
    {
      _cleanup_free_ char *owner = owner_name (infos[i].owner);
      cli_info_json (w, &infos[i], owner);
    }
  json_w_array_end (w);
  doc = json_writer_finish (w, NULL);
  xasprintf (&text, "%s\n", doc);
  return text;
}

char *
cli_list_format (const rt_container_info *infos, size_t n, const char *format, bool quiet)
{
  if (quiet)
    {
      char *out = NULL;
      size_t len = 0;
      FILE *f = open_memstream (&out, &len);

      if (f == NULL)
        abort ();
      for (size_t i = 0; i < n; i++)
        fprintf (f, "%s\n", infos[i].id);
      fclose (f);
      return out;
    }
  if (strcmp (format, "table") == 0)
    return format_table (infos, n);
  if (strcmp (format, "json") == 0)
    return format_json (infos, n);
  return NULL;
}

static int
list_run (cli_global *g, const cli_parsed *p)
{
  rt_container_info *infos = NULL;
  _cleanup_free_ char *out = NULL;
  rt_error err = { 0 };
  size_t n = 0;
  int ret;

  if (rt_container_list (&g->ctx, &infos, &n, &err) < 0)
    return cli_fatal (1, "%s", err.msg);

  /* As in runc, --quiet wins and the format is only checked without it. */
  out = cli_list_format (infos, n, p->v[LIST_FORMAT].s, p->v[LIST_QUIET].b);
  if (out)
    ret = cli_output (out, strlen (out), "list");
  else
    ret = cli_fatal (1, "invalid format option");
  for (size_t i = 0; i < n; i++)
    rt_container_info_free (&infos[i]);
  free (infos);
  return ret;
}

const cli_command cmd_list = {
  .name = "list",
  .usage = "list the containers under the state root",
  .args_usage = "\n"
                "\n"
                "The state root is the one given by the global option \"--root\"\n"
                "(default: /run/runc as root, $XDG_RUNTIME_DIR/runc otherwise).\n"
                "\n"
                "EXAMPLE 1:\n"
                "List the containers under the default root:\n"
                "       # runc list\n"
                "\n"
                "EXAMPLE 2:\n"
                "List the containers under another root:\n"
                "       # runc --root value list",
  .flags = list_flags,
  .n_flags = LIST_N_FLAGS,
  .min_args = 0,
  .max_args = 0,
  .needs_state = true,
  .run = list_run,
};
