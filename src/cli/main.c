/* Entry point: global options, logging, command dispatch, argument checks
 * and the state root, in the order runc's CLI does them, with its
 * messages and exit codes (usage errors 1, unknown command 3).  */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "state.h"
#include "util.h"

const cli_flag global_flags[G_N_FLAGS] = {
  [G_DEBUG] = { "debug", NULL, CLI_BOOL, "enable debug logging", NULL, false },
  [G_LOG] = { "log", NULL, CLI_STRING,
              "append log messages to this file instead of writing them to stderr", NULL, false },
  [G_LOG_FORMAT] = { "log-format", NULL, CLI_STRING, "format of log messages: 'text' or 'json'",
                     "text", false },
  [G_ROOT] = { "root", NULL, CLI_STRING,
               "directory holding the containers' state, best on a tmpfs (default: /run/runc "
               "as root, $XDG_RUNTIME_DIR/runc otherwise)",
               NULL, false },
  [G_CRIU] = { "criu", NULL, CLI_STRING, "criu binary used by checkpoint and restore", "criu",
               false },
  [G_SYSTEMD_CGROUP] = { "systemd-cgroup", NULL, CLI_BOOL,
                         "manage cgroups through systemd; linux.cgroupsPath is then "
                         "\"slice:prefix:name\", e.g. \"system.slice:runc:434234\"",
                         NULL, false },
  [G_ROOTLESS] = { "rootless", NULL, CLI_STRING,
                   "tolerate missing cgroup permissions: 'true', 'false' or 'auto'", "auto",
                   false },
  [G_VERSION] = { "version", "v", CLI_BOOL, "print the version", NULL, false },
};

const cli_command *const cli_commands[] = {
  &cmd_checkpoint, &cmd_create, &cmd_delete, &cmd_events, &cmd_exec,  &cmd_kill,
  &cmd_list,       &cmd_pause,  &cmd_ps,     &cmd_restore, &cmd_resume, &cmd_run,
  &cmd_spec,       &cmd_start,  &cmd_state,  &cmd_update, &cmd_features, &cmd_doctor, &cmd_help,
  NULL,
};

const cli_command *
cli_command_find (const char *name)
{
  for (size_t i = 0; cli_commands[i]; i++)
    if (strcmp (cli_commands[i]->name, name) == 0
        || (cli_commands[i]->alias && strcmp (cli_commands[i]->alias, name) == 0))
      return cli_commands[i];
  return NULL;
}

/* Usage errors print "Incorrect Usage" and the help on stdout, then the
 * error goes through the log like any other.  */
static int
usage_error (const cli_command *c, const char *sep, const char *msg, bool show_msg)
{
  if (show_msg)
    printf ("Incorrect Usage%s %s\n\n", sep, msg);
  else
    printf ("Incorrect Usage.\n\n");
  fflush (stdout);
  if (c)
    cli_print_command_help (c);
  else
    cli_print_app_help ();
  return cli_fatal (1, "%s", msg);
}

static int
check_args (const cli_global *g, const cli_command *c, size_t n)
{
  _cleanup_free_ char *msg = NULL;

  if (c->min_args == c->max_args && n != (size_t) c->min_args)
    xasprintf (&msg, "%s: \"%s\" requires exactly %d argument(s)", g->argv0, c->name, c->min_args);
  else if (n < (size_t) c->min_args)
    xasprintf (&msg, "%s: \"%s\" requires a minimum of %d argument(s)", g->argv0, c->name,
               c->min_args);
  else if (c->max_args >= 0 && n > (size_t) c->max_args)
    xasprintf (&msg, "%s: \"%s\" requires a maximum of %d argument(s)", g->argv0, c->name,
               c->max_args);
  if (msg == NULL)
    return 0;
  return usage_error (c, ".", msg, false);
}

static int
parse_rootless (const char *s, enum rt_rootless *out)
{
  bool b;

  if (s == NULL || *s == '\0' || strcasecmp (s, "auto") == 0)
    {
      *out = RT_ROOTLESS_AUTO;
      return 0;
    }
  if (go_parse_bool (s, &b) < 0)
    return -EINVAL;
  *out = b ? RT_ROOTLESS_TRUE : RT_ROOTLESS_FALSE;
  return 0;
}

/* From the parsed global options to the library's context.  Returns 0 or
 * the exit code of the reported failure.  */
static int
setup_context (cli_global *g, const cli_parsed *gp, const cli_command *c)
{
  int fail = c->fail_code ? c->fail_code : 1;
  const char *root_opt;
  rt_error err = { 0 };

  g->ctx.debug = gp->v[G_DEBUG].b;
  g->ctx.systemd_cgroup = gp->v[G_SYSTEMD_CGROUP].b;
  g->ctx.criu = gp->v[G_CRIU].s;
  g->root_opt = gp->v[G_ROOT].set ? gp->v[G_ROOT].s : NULL;
  /* help, spec and features work whatever the state-related options say.  */
  if (!c->needs_state)
    return 0;
  if (parse_rootless (gp->v[G_ROOTLESS].s, &g->ctx.rootless_opt) < 0)
    {
      _cleanup_free_ char *q = go_quote (gp->v[G_ROOTLESS].s);
      return cli_fatal (fail, "invalid --rootless value %s: use true, false or auto", q);
    }
  /* runc makes --root absolute, so an empty value names the current
     directory (and is refused like "/" when that is the cwd).  */
  root_opt = gp->v[G_ROOT].set ? (*gp->v[G_ROOT].s ? gp->v[G_ROOT].s : ".") : NULL;
  if (state_root_resolve (root_opt, &g->root, &err) < 0)
    return cli_fatal (fail, "%s", err.msg);
  g->ctx.root = g->root;
  g->ctx.root_is_default = !gp->v[G_ROOT].set;
  return 0;
}

static int
run_command (cli_global *g, const cli_parsed *gp)
{
  cli_parsed cp;
  const cli_command *c;
  char *msg = NULL;
  int ret;

  c = cli_command_find (gp->args[0]);
  if (c == NULL)
    return cli_fatal (3, "No help topic for '%s'", gp->args[0]);

  if (cli_parse (c->flags, c->n_flags, (int) gp->n_args - 1, gp->args + 1, c->stop_at_arg, &cp,
                 &msg)
      < 0)
    {
      ret = usage_error (c, ":", msg, true);
      free (msg);
      return ret;
    }
  if (cp.help)
    {
      cli_print_command_help (c);
      ret = 0;
    }
  else if ((ret = check_args (g, c, cp.n_args)) == 0)
    {
      ret = setup_context (g, gp, c);
      if (ret == 0)
        ret = c->run (g, &cp);
    }
  cli_parsed_free (&cp);
  return ret;
}

int
main (int argc, char **argv)
{
  cli_global g = { .argv0 = argv[0] };
  const char *format;
  rt_error err = { 0 };
  cli_parsed gp;
  char *msg = NULL;
  int ret;

  /* Kept so the library can re-execute us from a sealed copy when a
     container could otherwise write our binary (CVE-2019-5736).  */
  g.ctx.argv = argv;

  /* Global options end at the command name.  */
  if (cli_parse (global_flags, G_N_FLAGS, argc - 1, argv + 1, true, &gp, &msg) < 0)
    {
      ret = usage_error (NULL, ".", msg, true);
      free (msg);
      return ret;
    }

  if (gp.help)
    {
      cli_print_app_help ();
      ret = 0;
      goto out;
    }
  if (gp.v[G_VERSION].b)
    {
      cli_print_version ();
      ret = 0;
      goto out;
    }

  format = cli_str (&gp, G_LOG_FORMAT);
  if (cli_log_open (cli_str (&gp, G_LOG), format ? format : "text", gp.v[G_DEBUG].b, &err) < 0)
    {
      ret = cli_fatal (1, "%s", err.msg);
      goto out;
    }

  if (gp.n_args == 0)
    {
      cli_print_app_help ();
      ret = 0;
    }
  else
    ret = run_command (&g, &gp);

out:
  cli_log_close ();
  cli_parsed_free (&gp);
  free (g.root);
  fflush (stdout);
  return ret;
}
