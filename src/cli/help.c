/* Help and version output, laid out as runc's CLI framework lays it out
 * (NAME, USAGE, VERSION, DESCRIPTION, COMMANDS, OPTIONS; columns aligned
 * by a tabwriter with minwidth 1 and padding 2), from the same command and
 * flag tables the parser uses.  */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "syscall_filter.h"
#include "util.h"

#define APP_USAGE                                                                                  \
  "Open Container Initiative runtime\n"                                                            \
  "\n"                                                                                             \
  "runc runs containers described by OCI bundles: a directory with a \"config.json\"\n"            \
  "(the runtime-spec configuration) and the root filesystem it points to.  It is\n"                \
  "a drop-in replacement for the Go implementation of the same name, usable by\n"                  \
  "containerd, podman and conmon unchanged, and it is designed to run without\n"                   \
  "privileges first (rootless containers).\n"                                                      \
  "\n"                                                                                             \
  "The runtime does not stay behind as a daemon: a container is created by one\n"                  \
  "command and managed later by others, through the state kept under --root.\n"                    \
  "\n"                                                                                             \
  "To run a container from a bundle in the current directory:\n"                                   \
  "\n"                                                                                             \
  "    # runc run [ -b bundle ] <container-id>\n"                                                  \
  "\n"                                                                                             \
  "The <container-id> names this instance and must be unique within the state\n"                   \
  "root.  Without \"-b\" the bundle is the current directory."

static void
version_lines (FILE *f)
{
  const char *seccomp = sfilter_libseccomp_version ();

  fprintf (f, "%s\ncommit: %s\nspec: %s", PACKAGE_VERSION, GIT_COMMIT, OCI_SPEC_VERSION);
  if (seccomp)
    fprintf (f, "\nlibseccomp: %s", seccomp);
}

void
cli_print_version (void)
{
  fputs ("runc version ", stdout);
  version_lines (stdout);
  fputc ('\n', stdout);
}

/* "--bundle value, -b value\tusage (default: x)" */
static void
flag_line (FILE *f, const cli_flag *fl)
{
  const char *names[2] = { fl->name, fl->alias };

  for (size_t i = 0; i < 2 && names[i]; i++)
    fprintf (f, "%s%s%s%s", i ? ", " : "", strlen (names[i]) > 1 ? "--" : "-", names[i],
             fl->type == CLI_BOOL ? "" : " value");
  fprintf (f, "\t%s", fl->usage ? fl->usage : "");
  if (fl->defval && *fl->defval && fl->type != CLI_BOOL)
    {
      if (fl->type == CLI_STRING)
        {
          _cleanup_free_ char *q = go_quote (fl->defval);
          fprintf (f, " (default: %s)", q);
        }
      else
        fprintf (f, " (default: %s)", fl->defval);
    }
}

static bool
has_visible_flags (const cli_flag *flags, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!flags[i].hidden)
      return true;
  return false;
}

/* Render through the tabwriter and write to stdout.  */
static void
emit (char *text)
{
  _cleanup_free_ char *out = tabwriter_format (text, 1, 2);

  free (text);
  (void) cli_write_stdout (out, strlen (out));
}

void
cli_print_app_help (void)
{
  static const cli_flag implicit[] = {
    { "help", "h", CLI_BOOL, "show help", NULL, false },
  };
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&text, &len);

  if (f == NULL)
    abort ();
  fprintf (f, "NAME:\n   runc - %s\n\n", APP_USAGE);
  fprintf (f, "USAGE:\n   runc [global options] command [command options] [arguments...]\n\n");
  fprintf (f, "VERSION:\n   ");
  version_lines (f);
  fprintf (f, "\n\nCOMMANDS:");
  for (size_t i = 0; cli_commands[i]; i++)
    {
      const cli_command *c = cli_commands[i];
      fprintf (f, "\n   %s%s%s\t%s", c->name, c->alias ? ", " : "", c->alias ? c->alias : "",
               c->usage);
    }
  fprintf (f, "\n\nGLOBAL OPTIONS:");
  for (size_t i = 0; i < G_N_FLAGS; i++)
    {
      /* runc lists --help before --version.  */
      if (i == G_VERSION)
        {
          fputs ("\n   ", f);
          flag_line (f, &implicit[0]);
        }
      if (global_flags[i].hidden)
        continue;
      fputs ("\n   ", f);
      flag_line (f, &global_flags[i]);
    }
  fputc ('\n', f);
  fclose (f);
  emit (text);
}

void
cli_print_command_help (const cli_command *c)
{
  bool flags = has_visible_flags (c->flags, c->n_flags);
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&text, &len);

  if (f == NULL)
    abort ();
  fprintf (f, "NAME:\n   runc %s - %s\n\n", c->name, c->usage);
  fprintf (f, "USAGE:\n   runc %s%s %s", c->name, flags ? " [command options]" : "",
           c->args_usage ? c->args_usage : "[arguments...]");
  if (c->description)
    fprintf (f, "\n\nDESCRIPTION:\n   %s", c->description);
  if (flags)
    {
      fputs ("\n\nOPTIONS:\n   ", f);
      for (size_t i = 0; i < c->n_flags; i++)
        {
          if (c->flags[i].hidden)
            continue;
          flag_line (f, &c->flags[i]);
          fputs ("\n   ", f);
        }
    }
  fputc ('\n', f);
  fclose (f);
  emit (text);
}

/* `runc help [command]`.  */
static int
help_run (cli_global *g, const cli_parsed *p)
{
  const cli_command *c;

  if (p->n_args == 0)
    {
      cli_print_app_help ();
      return 0;
    }
  c = cli_command_find (p->args[0]);
  if (c == NULL)
    return cli_fatal (3, "No help topic for '%s'", p->args[0]);
  cli_print_command_help (c);
  return 0;
}

const cli_command cmd_help = {
  .name = "help",
  .alias = "h",
  .usage = "show the commands, or the help of one command",
  .args_usage = "[command]",
  .min_args = 0,
  .max_args = -1,
  .run = help_run,
};
