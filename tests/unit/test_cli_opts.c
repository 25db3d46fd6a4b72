/* The CLI flag parser against Go flag / urfave/cli behaviour (checked
 * against runc 1.1.5): flag forms, bool forms, stopping at the first
 * positional, repeatable flags, and the exact error messages.  */
#include "config.h"

#include "cli/cli.h"
#include "tap.h"
#include "util.h"

enum
{
  T_BUNDLE,
  T_FORCE,
  T_NUM,
  T_ENV,
  T_GIDS,
  T_INTERVAL,
  T_WEIGHT,
  T_FORMAT,
  T_N
};

static const cli_flag tflags[T_N] = {
  [T_BUNDLE] = { "bundle", "b", CLI_STRING, "", NULL, false },
  [T_FORCE] = { "force", "f", CLI_BOOL, "", NULL, false },
  [T_NUM] = { "preserve-fds", NULL, CLI_INT, "", "0", false },
  [T_ENV] = { "env", "e", CLI_STRING_SLICE, "", NULL, false },
  [T_GIDS] = { "additional-gids", "g", CLI_INT64_SLICE, "", NULL, false },
  [T_INTERVAL] = { "interval", NULL, CLI_DURATION, "", "5s", false },
  [T_WEIGHT] = { "blkio-weight", NULL, CLI_UINT, "", "0", false },
  [T_FORMAT] = { "format", NULL, CLI_STRING, "", "table", false },
};

/* Parse a NULL-terminated argument list; on error the message is kept in
   *msg (caller frees).  */
static int
parse (cli_parsed *p, bool stop, char **msg, ...)
{
  char *argv[32];
  int argc = 0;
  va_list ap;
  const char *a;
  char *m = NULL;
  int r;

  va_start (ap, msg);
  while ((a = va_arg (ap, const char *)) != NULL && argc < 31)
    argv[argc++] = (char *) a;
  va_end (ap);
  argv[argc] = NULL;
  r = cli_parse (tflags, T_N, argc, argv, stop, p, &m);
  if (msg)
    *msg = m;
  else
    free (m);
  return r;
}

static void
test_string_forms (void)
{
  static const char *const forms[][3] = {
    { "--bundle", "dir", NULL }, { "--bundle=dir", NULL, NULL }, { "-bundle", "dir", NULL },
    { "-bundle=dir", NULL, NULL }, { "-b", "dir", NULL },         { "--b", "dir", NULL },
    { "-b=dir", NULL, NULL },
  };
  for (size_t i = 0; i < ARRAY_SIZE (forms); i++)
    {
      cli_parsed p;
      int r = parse (&p, false, NULL, forms[i][0], forms[i][1], NULL);
      ok (r == 0 && p.v[T_BUNDLE].set && p.v[T_BUNDLE].s && strcmp (p.v[T_BUNDLE].s, "dir") == 0,
          "string flag form %s%s%s", forms[i][0], forms[i][1] ? " " : "",
          forms[i][1] ? forms[i][1] : "");
      is_int (p.n_args, 0, "no positionals left for %s", forms[i][0]);
      cli_parsed_free (&p);
    }

  {
    cli_parsed p;
    /* Go takes the next argument as the value whatever it looks like.  */
    ok (parse (&p, false, NULL, "--bundle", "--force", NULL) == 0, "value that looks like a flag");
    is_str (p.v[T_BUNDLE].s, "--force", "--bundle --force sets bundle to \"--force\"");
    ok (!p.v[T_FORCE].set, "and does not set --force");
    cli_parsed_free (&p);

    ok (parse (&p, false, NULL, "--bundle=", NULL) == 0 && p.v[T_BUNDLE].set, "--bundle= is set");
    is_str (p.v[T_BUNDLE].s, "", "to the empty string");
    ok (cli_str (&p, T_BUNDLE) == NULL, "cli_str treats empty as unset");
    cli_parsed_free (&p);

    ok (parse (&p, false, NULL, "--bundle=a=b", NULL) == 0, "value containing '='");
    is_str (p.v[T_BUNDLE].s, "a=b", "splits at the first '='");
    cli_parsed_free (&p);

    ok (parse (&p, false, NULL, "--bundle", "a", "--bundle", "b", NULL) == 0, "repeated string");
    is_str (p.v[T_BUNDLE].s, "b", "last one wins");
    cli_parsed_free (&p);
  }
}

static void
test_defaults (void)
{
  cli_parsed p;

  ok (parse (&p, false, NULL, NULL) == 0, "empty command line");
  is_str (p.v[T_FORMAT].s, "table", "string default");
  ok (!p.v[T_FORMAT].set, "default is not 'set'");
  is_int (p.v[T_INTERVAL].i, 5000000000LL, "duration default 5s");
  is_int (p.v[T_NUM].i, 0, "int default");
  ok (p.v[T_BUNDLE].s == NULL, "no default gives NULL");
  cli_parsed_free (&p);
}

static void
test_bool_forms (void)
{
  static const struct
  {
    const char *arg;
    bool want;
  } cases[] = {
    { "--force", true },    { "-force", true },      { "-f", true },         { "--f", true },
    { "--force=true", true }, { "--force=false", false }, { "--force=1", true }, { "--force=0", false },
    { "-f=t", true },       { "-f=F", false },       { "--force=TRUE", true }, { "--force=False", false },
  };
  char *msg;
  cli_parsed p;

  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      ok (parse (&p, false, NULL, cases[i].arg, NULL) == 0 && p.v[T_FORCE].set
              && p.v[T_FORCE].b == cases[i].want,
          "bool %s gives %s", cases[i].arg, cases[i].want ? "true" : "false");
      cli_parsed_free (&p);
    }

  ok (parse (&p, false, NULL, "--force", "false", NULL) == 0, "bool never takes the next argument");
  ok (p.v[T_FORCE].b, "--force false: force is true");
  ok (p.n_args == 1 && strcmp (p.args[0], "false") == 0, "and \"false\" is a positional");
  cli_parsed_free (&p);

  ok (parse (&p, false, &msg, "--force=yes", NULL) < 0, "--force=yes rejected");
  is_str (msg, "invalid boolean value \"yes\" for -force: parse error", "Go's bool message");
  free (msg);
  ok (parse (&p, false, &msg, "-f=", NULL) < 0, "-f= rejected");
  is_str (msg, "invalid boolean value \"\" for -f: parse error", "names the flag as written");
  free (msg);
}

static void
test_positionals (void)
{
  cli_parsed p;

  /* Interspersed (create, delete, list...): flags after the ID count.  */
  ok (parse (&p, false, NULL, "id", "--force", "--bundle", "x", NULL) == 0, "interspersed");
  ok (p.v[T_FORCE].b && p.v[T_BUNDLE].s && strcmp (p.v[T_BUNDLE].s, "x") == 0,
      "flags after the positional are parsed");
  ok (p.n_args == 1 && strcmp (p.args[0], "id") == 0, "one positional");
  cli_parsed_free (&p);

  /* exec/kill/ps and the global options: everything after the first
     positional is passed through untouched.  */
  ok (parse (&p, true, NULL, "-f", "id", "--bundle", "x", "-9", NULL) == 0, "stop at first arg");
  ok (p.v[T_FORCE].b, "flag before the ID parsed");
  ok (!p.v[T_BUNDLE].set, "flag after the ID not parsed");
  is_int (p.n_args, 4, "ID and the rest are positionals");
  is_str (p.args[1], "--bundle", "passed through verbatim");
  is_str (p.args[3], "-9", "a negative-looking argument too");
  cli_parsed_free (&p);

  ok (parse (&p, true, NULL, "id", "--nope", NULL) == 0, "unknown flag after ID is an argument");
  cli_parsed_free (&p);

  ok (parse (&p, false, NULL, "--", "--force", "-b", NULL) == 0, "-- ends the flags");
  ok (!p.v[T_FORCE].set && p.n_args == 2, "everything after -- is positional");
  cli_parsed_free (&p);

  ok (parse (&p, true, NULL, "--", "--force", NULL) == 0 && p.n_args == 1
          && strcmp (p.args[0], "--force") == 0,
      "-- before the first positional in stop mode is consumed");
  cli_parsed_free (&p);

  ok (parse (&p, false, NULL, "-", "--force", NULL) == 0 && p.n_args == 1
          && strcmp (p.args[0], "-") == 0 && p.v[T_FORCE].b,
      "\"-\" alone is a positional");
  cli_parsed_free (&p);
}

static void
test_repeatable (void)
{
  cli_parsed p;
  char *msg;

  ok (parse (&p, false, NULL, "-e", "A=1,B=2", "--env=C=3", "-env", "", NULL) == 0, "repeated -e");
  is_int (p.v[T_ENV].n, 3, "three elements");
  is_str (p.v[T_ENV].strv[0], "A=1,B=2", "not split on commas");
  is_str (p.v[T_ENV].strv[1], "C=3", "second from --env=");
  is_str (p.v[T_ENV].strv[2], "", "empty element kept");
  cli_parsed_free (&p);

  ok (parse (&p, false, NULL, "-g", "10", "-g", "0x10", "--additional-gids=-1", NULL) == 0,
      "int64 slice");
  ok (p.v[T_GIDS].n == 3 && p.v[T_GIDS].intv[0] == 10 && p.v[T_GIDS].intv[1] == 16
          && p.v[T_GIDS].intv[2] == -1,
      "int64 slice values 10, 16, -1");
  cli_parsed_free (&p);

  ok (parse (&p, false, &msg, "-g", "abc", NULL) < 0, "bad int64 slice element");
  is_str (msg, "invalid value \"abc\" for flag -g: strconv.ParseInt: parsing \"abc\": invalid syntax",
          "urfave slice message");
  free (msg);
}

static void
test_errors (void)
{
  static const struct
  {
    const char *a1, *a2, *want;
  } cases[] = {
    { "--nope", NULL, "flag provided but not defined: -nope" },
    { "-nope=1", NULL, "flag provided but not defined: -nope" },
    { "-bf", NULL, "flag provided but not defined: -bf" },
    { "--bundle", NULL, "flag needs an argument: -bundle" },
    { "-b", NULL, "flag needs an argument: -b" },
    { "---x", NULL, "bad flag syntax: ---x" },
    { "-=x", NULL, "bad flag syntax: -=x" },
    { "--=x", NULL, "bad flag syntax: --=x" },
    { "--preserve-fds", "x", "invalid value \"x\" for flag -preserve-fds: parse error" },
    { "--preserve-fds", "99999999999999999999",
      "invalid value \"99999999999999999999\" for flag -preserve-fds: value out of range" },
    { "--blkio-weight", "-1", "invalid value \"-1\" for flag -blkio-weight: parse error" },
    { "--interval", "5", "invalid value \"5\" for flag -interval: parse error" },
    { "--interval=", NULL, "invalid value \"\" for flag -interval: parse error" },
  };
  cli_parsed p;
  char *msg;

  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      ok (parse (&p, false, &msg, cases[i].a1, cases[i].a2, NULL) < 0, "%s %s rejected",
          cases[i].a1, cases[i].a2 ? cases[i].a2 : "");
      is_str (msg, cases[i].want, "message for %s", cases[i].a1);
      free (msg);
    }
  ok (parse (&p, false, &msg, "id", "--nope", NULL) < 0, "unknown flag after a positional");
  is_str (msg, "flag provided but not defined: -nope", "is reported too");
  free (msg);
}

static void
test_help (void)
{
  static const char *const forms[] = { "-h", "--help", "-help", "--h", "--help=true" };
  cli_parsed p;
  char *msg;

  for (size_t i = 0; i < ARRAY_SIZE (forms); i++)
    {
      ok (parse (&p, false, NULL, forms[i], NULL) == 0 && p.help, "%s asks for help", forms[i]);
      cli_parsed_free (&p);
    }
  ok (parse (&p, false, NULL, "--help=false", NULL) == 0 && !p.help, "--help=false does not");
  cli_parsed_free (&p);
  ok (parse (&p, false, &msg, "--help=x", NULL) < 0, "--help=x rejected");
  is_str (msg, "invalid boolean value \"x\" for -help: parse error", "help is a bool flag");
  free (msg);
}

static void
test_numbers (void)
{
  static const struct
  {
    const char *s;
    int ret;
    int64_t want;
  } ints[] = {
    { "0", 0, 0 },          { "42", 0, 42 },        { "-42", 0, -42 },     { "+7", 0, 7 },
    { "0x10", 0, 16 },      { "0X1f", 0, 31 },      { "010", 0, 8 },       { "0o17", 0, 15 },
    { "0b101", 0, 5 },      { "1_000", 0, 1000 },   { "0x_1f", 0, 31 },    { "-0x10", 0, -16 },
    { "9223372036854775807", 0, INT64_MAX },       { "-9223372036854775808", 0, INT64_MIN },
    { "9223372036854775808", -ERANGE, 0 },         { "", -EINVAL, 0 },    { "-", -EINVAL, 0 },
    { "08", -EINVAL, 0 },   { "0x", -EINVAL, 0 },   { "1_", -EINVAL, 0 },  { "_1", -EINVAL, 0 },
    { "1__0", -EINVAL, 0 }, { "1.5", -EINVAL, 0 },  { " 1", -EINVAL, 0 },  { "12a", -EINVAL, 0 },
  };
  static const struct
  {
    const char *s;
    int ret;
    int64_t want;
  } durs[] = {
    { "5s", 0, 5000000000LL },     { "0", 0, 0 },              { "-0", 0, 0 },
    { "1m30s", 0, 90000000000LL }, { "1.5h", 0, 5400000000000LL }, { "300ms", 0, 300000000LL },
    { "2us", 0, 2000 },            { "2\xc2\xb5s", 0, 2000 },  { "7ns", 0, 7 },
    { ".5s", 0, 500000000LL },     { "-1s", 0, -1000000000LL }, { "1h1m1s1ms1us1ns", 0, 3661001001001LL },
    { "5", -EINVAL, 0 },           { "", -EINVAL, 0 },         { "s", -EINVAL, 0 },
    { "1x", -EINVAL, 0 },          { ".s", -EINVAL, 0 },       { "3000000h", -ERANGE, 0 },
  };
  uint64_t u;
  bool b;

  for (size_t i = 0; i < ARRAY_SIZE (ints); i++)
    {
      int64_t v = 0;
      int r = go_parse_int (ints[i].s, &v);
      ok (r == ints[i].ret && (r < 0 || v == ints[i].want), "ParseInt(\"%s\", 0, 64)", ints[i].s);
    }
  ok (go_parse_uint ("18446744073709551615", &u) == 0 && u == UINT64_MAX, "ParseUint max");
  ok (go_parse_uint ("18446744073709551616", &u) == -ERANGE, "ParseUint overflow");
  ok (go_parse_uint ("+1", &u) == -EINVAL, "ParseUint takes no sign");
  for (size_t i = 0; i < ARRAY_SIZE (durs); i++)
    {
      int64_t v = 0;
      int r = go_parse_duration (durs[i].s, &v);
      ok (r == durs[i].ret && (r < 0 || v == durs[i].want), "ParseDuration(\"%s\")", durs[i].s);
    }
  ok (go_parse_bool ("T", &b) == 0 && b, "ParseBool T");
  ok (go_parse_bool ("yes", &b) == -EINVAL, "ParseBool yes is invalid");
  ok (go_parse_bool ("tRUE", &b) == -EINVAL, "ParseBool is case-sensitive beyond its spellings");
}

static void
test_quote (void)
{
  static const struct
  {
    const char *in, *want;
  } cases[] = {
    { "plain", "\"plain\"" },
    { "a \"b\" \\c", "\"a \\\"b\\\" \\\\c\"" },
    { "l1\nl2\tx\r", "\"l1\\nl2\\tx\\r\"" },
    { "\x01\x7f", "\"\\x01\\x7f\"" },
    { "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
    { "\xff", "\"\\xff\"" },
    { "nb\xc2\xa0sp", "\"nb\\u00a0sp\"" },
    { "", "\"\"" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      _cleanup_free_ char *q = go_quote (cases[i].in);
      is_str (q, cases[i].want, "Go %%q of case %zu", i);
    }
}

int
main (void)
{
  test_string_forms ();
  test_defaults ();
  test_bool_forms ();
  test_positionals ();
  test_repeatable ();
  test_errors ();
  test_help ();
  test_numbers ();
  test_quote ();
  return tap_done ();
}
