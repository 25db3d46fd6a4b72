/* runc doctor: is this machine ready for rootless containers?  The checks
 * are the library's (doctor.h); this prints them, one line each, or as
 * JSON, and exits 1 when a required one failed.  */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "doctor.h"
#include "json.h"
#include "util.h"

enum
{
  DOCTOR_FORMAT,
  DOCTOR_N_FLAGS
};

static const cli_flag doctor_flags[DOCTOR_N_FLAGS] = {
  [DOCTOR_FORMAT] = { "format", "f", CLI_STRING, "output format: text or json", "text", false },
};

/* "ok    userns       created ...; remedy: ..." per check, then a
 * summary line.  */
static char *
format_text (const doctor_report *r)
{
  size_t counts[3] = { 0, 0, 0 }, len = 0;
  char *out = NULL;
  bool failed = false;
  FILE *f = open_memstream (&out, &len);

  if (f == NULL)
    abort ();
  for (size_t i = 0; i < r->n; i++)
    {
      const doctor_check *c = &r->checks[i];

      counts[c->status]++;
      fprintf (f, "%-4s  %-11s  %s", doctor_status_name (c->status), c->name, c->detail ? c->detail : "");
      if (c->remedy)
        fprintf (f, "; remedy: %s", c->remedy);
      fputc ('\n', f);
    }
  fprintf (f, "%zu ok, %zu warn, %zu fail: ", counts[DOCTOR_OK], counts[DOCTOR_WARN], counts[DOCTOR_FAIL]);
  for (size_t i = 0; i < r->n; i++)
    if (r->checks[i].required && r->checks[i].status == DOCTOR_FAIL)
      {
        fprintf (f, "%s%s", failed ? ", " : "required checks failed: ", r->checks[i].name);
        failed = true;
      }
  fputs (failed ? "\n" : "every required check passed\n", f);
  fclose (f);
  return out;
}

static char *
format_json (const doctor_report *r)
{
  _cleanup_free_ char *doc = NULL;
  json_writer *w = json_writer_new (0);
  char *text;

  json_w_array_begin (w);
  for (size_t i = 0; i < r->n; i++)
    {
      const doctor_check *c = &r->checks[i];

      json_w_object_begin (w);
      json_w_kv_string (w, "name", c->name);
      json_w_kv_string (w, "status", doctor_status_name (c->status));
      json_w_kv_bool (w, "required", c->required);
      json_w_kv_string (w, "detail", c->detail ? c->detail : "");
      json_w_kv_string (w, "remedy", c->remedy);
      json_w_object_end (w);
    }
  json_w_array_end (w);
  doc = json_writer_finish (w, NULL);
  xasprintf (&text, "%s\n", doc);
  return text;
}

static int
doctor_run_cmd (cli_global *g, const cli_parsed *p)
{
  const char *format = p->v[DOCTOR_FORMAT].s ? p->v[DOCTOR_FORMAT].s : "text";
  doctor_opts o = { .root_opt = g->root_opt, .criu = g->ctx.criu };
  _cleanup_free_ char *out = NULL;
  doctor_report r;
  int ret;

  if (strcmp (format, "text") != 0 && strcmp (format, "json") != 0)
    return cli_fatal (1, "invalid format option %s: use text or json", format);
  doctor_run (&o, &r);
  out = strcmp (format, "json") == 0 ? format_json (&r) : format_text (&r);
  ret = cli_output (out, strlen (out), "doctor");
  if (ret == 0 && doctor_report_failed (&r))
    ret = 1;
  doctor_report_free (&r);
  return ret;
}

const cli_command cmd_doctor = {
  .name = "doctor",
  .usage = "check that this machine and user are ready for rootless containers",
  .args_usage = "\n"
                "\n"
                "Every check is made for real where that is harmless (a user namespace is\n"
                "created, an overlay mounted in one, devices opened, the D-Bus socket connected\n"
                "to), as the user running the command, for the state root given by --root.",
  .description = "Print one line per check: ok, warn or fail, what was found and, unless ok,\n"
                 "the remedy.  Required checks (user namespaces, subordinate uid and gid ranges,\n"
                 "newuidmap and newgidmap, the state root) fail and make the exit status 1;\n"
                 "the others (cgroup delegation, the systemd user bus, /dev/net/tun, FUSE,\n"
                 "overlay in a user namespace, unprivileged ports and ping, criu) only warn.",
  .flags = doctor_flags,
  .n_flags = DOCTOR_N_FLAGS,
  .min_args = 0,
  .max_args = 0,
  .run = doctor_run_cmd,
};
