#include "config.h"

#include <signal.h>

#include "signals.h"
#include "tap.h"
#include "util.h"

static void
test_accepted (void)
{
  static const struct
  {
    const char *in;
    int want;
  } cases[] = {
    { "9", SIGKILL },         { "15", SIGTERM },         { "64", 64 },           { "1", SIGHUP },
    { "KILL", SIGKILL },      { "kill", SIGKILL },       { "SIGKILL", SIGKILL }, { "sigkill", SIGKILL },
    { "SiGtErM", SIGTERM },   { "TERM", SIGTERM },       { "HUP", SIGHUP },      { "USR1", SIGUSR1 },
    { "usr2", SIGUSR2 },      { "WINCH", SIGWINCH },     { "STKFLT", SIGSTKFLT }, { "PWR", SIGPWR },
    { "SYS", SIGSYS },        { "IO", SIGIO },           { "IOT", SIGABRT },     { "POLL", SIGIO },
    { "CLD", SIGCHLD },       { "CHLD", SIGCHLD },       { "CONT", SIGCONT },    { "stop", SIGSTOP },
    { "RTMIN", 34 },          { "SIGRTMIN", 34 },        { "sigrtmin+3", 37 },   { "RTMIN+30", 64 },
    { "RTMAX", 64 },          { "SIGRTMAX-1", 63 },      { "RTMAX-30", 34 },     { "SIGRTMIN-2", 32 },
    { "SIGRTMAX+0", 64 },     { "09", 9 },
  };
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      rt_error err = { 0 };
      int sig = -1;
      int ret = sig_parse (cases[i].in, &sig, &err);
      ok (ret == 0 && sig == cases[i].want, "sig_parse(\"%s\") = %d (got %d, ret %d)", cases[i].in, cases[i].want, sig,
          ret);
    }
}

static void
test_rejected (void)
{
  static const char *const bad[] = {
    "FOO", "SIG", "", "0", "65", "-1", "+9", "9x", " 9", "KILL ", "SIGSIGKILL", "RTMIN+31", "RTMAX+1",
    "RTMIN-3", "RTMIN+", "RTMIN+x", "RTMID", "99999999999999999999", "SIGRTMAX-33", "IOTX",
    "averyveryveryverylongsignalnamethatgoesonandon",
  };
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      rt_error err = { 0 };
      int sig = -12345;
      int ret = sig_parse (bad[i], &sig, &err);
      ok (ret == -EINVAL && sig == -12345, "sig_parse(\"%s\") is refused", bad[i]);
      like (err.msg, "unknown signal \"", "message for \"%s\": %s", bad[i], err.msg);
    }

  rt_error err = { 0 };
  int sig;
  sig_parse ("FOO", &sig, &err);
  is_str (err.msg, "unknown signal \"FOO\"", "runc's wording, with the input as given");
  sig_parse ("100", &sig, &err);
  like (err.msg, "from 1 to 64", "an out-of-range number says the range");
  ok (sig_parse (NULL, &sig, &err) == -EINVAL, "NULL is refused");
}

static void
test_names (void)
{
  is_str (sig_name (SIGKILL), "SIGKILL", "sig_name(9)");
  is_str (sig_name (SIGTERM), "SIGTERM", "sig_name(15)");
  is_str (sig_name (SIGABRT), "SIGABRT", "canonical name, not the IOT alias");
  is_str (sig_name (SIGIO), "SIGIO", "canonical name, not the POLL alias");
  is_str (sig_name (SIGCHLD), "SIGCHLD", "canonical name, not the CLD alias");
  is_str (sig_name (34), "SIGRTMIN", "sig_name(34)");
  is_str (sig_name (37), "SIGRTMIN+3", "sig_name(37)");
  is_str (sig_name (64), "SIGRTMAX", "sig_name(64)");
  is_str (sig_name (32), "SIGRTMIN-2", "sig_name(32)");
  ok (sig_name (0) == NULL, "no name for 0");
  ok (sig_name (65) == NULL, "no name for 65");
  ok (sig_name (-1) == NULL, "no name for -1");

  /* Every number round-trips through its name.  */
  int bad = 0;
  for (int s = 1; s <= 64; s++)
    {
      rt_error err = { 0 };
      const char *name = sig_name (s);
      int back = -1;
      if (name == NULL || sig_parse (name, &back, &err) < 0 || back != s)
        {
          printf ("# round trip failed for %d (%s -> %d)\n", s, name ? name : "(null)", back);
          bad++;
        }
    }
  is_int (bad, 0, "sig_parse(sig_name(n)) == n for 1..64");
}

int
main (void)
{
  test_accepted ();
  test_rejected ();
  test_names ();
  return tap_done ();
}
