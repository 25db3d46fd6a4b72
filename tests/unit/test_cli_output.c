/* What the CLI writes: logrus-compatible log lines (text and JSON), the log
 * file handling (--log), and Go tabwriter alignment for list and help.  */
#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tap.h"
#include "util.h"

static void
test_text_lines (void)
{
  static const struct
  {
    enum cli_log_level lvl;
    const char *msg, *want;
  } cases[] = {
    { CLI_LOG_ERROR, "container does not exist",
      "time=\"T:0Z\" level=error msg=\"container does not exist\"\n" },
    /* logrus leaves "safe" values unquoted.  */
    { CLI_LOG_WARNING, "plain-word_1.2/x@y^z+w", "time=\"T:0Z\" level=warning msg=plain-word_1.2/x@y^z+w\n" },
    { CLI_LOG_DEBUG, "", "time=\"T:0Z\" level=debug msg=\n" },
    { CLI_LOG_INFO, "say \"hi\"\n\tnow", "time=\"T:0Z\" level=info msg=\"say \\\"hi\\\"\\n\\tnow\"\n" },
    { CLI_LOG_ERROR, "/runc: \"start\" requires exactly 1 argument(s)",
      "time=\"T:0Z\" level=error msg=\"/runc: \\\"start\\\" requires exactly 1 argument(s)\"\n" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      _cleanup_free_ char *line = cli_log_format_line (false, cases[i].lvl, "T:0Z", cases[i].msg);
      is_str (line, cases[i].want, "text line %zu", i);
    }
}

static void
test_json_lines (void)
{
  _cleanup_free_ char *a = NULL, *b = NULL;

  a = cli_log_format_line (true, CLI_LOG_ERROR, "2026-11-23T13:38:00Z", "runc run failed: x");
  is_str (a, "{\"level\":\"error\",\"msg\":\"runc run failed: x\",\"time\":\"2026-11-23T13:38:00Z\"}\n",
          "JSON keys level, msg, time; one line");
  b = cli_log_format_line (true, CLI_LOG_WARNING, "t", "a<b> & \"c\"\n");
  is_str (b, "{\"level\":\"warning\",\"msg\":\"a\\u003cb\\u003e \\u0026 \\\"c\\\"\\n\",\"time\":\"t\"}\n",
          "HTML characters escaped like Go");
}

static void
test_time_format (void)
{
  char buf[64];

  cli_log_time_now (buf, sizeof buf);
  /* 2026-11-23T13:38:00Z or 2026-11-23T14:38:00+01:00 */
  ok (strlen (buf) == 20 || strlen (buf) == 25, "RFC 3339 length (%s)", buf);
  ok (buf[4] == '-' && buf[7] == '-' && buf[10] == 'T' && buf[13] == ':' && buf[16] == ':',
      "RFC 3339 layout");
  ok (buf[19] == 'Z' || buf[19] == '+' || buf[19] == '-', "zone suffix");
}

static char *
slurp (const char *path)
{
  char *s = NULL;
  rt_error err = { 0 };
  if (read_file_at (AT_FDCWD, path, &s, &err) < 0)
    return xstrdup ("");
  return s;
}

/* The log file: created 0644, appended to, close-on-exec; warnings and
   the final error go there, the error also plainly to stderr.  */
static void
test_log_file (void)
{
  char dir[] = "/tmp/test_cli_log.XXXXXX";
  _cleanup_free_ char *path = NULL, *errpath = NULL, *log = NULL, *errout = NULL;
  rt_error err = { 0 };
  struct stat st;
  mode_t old_umask;
  int saved_stderr, efd, found_cloexec = -1;

  ok (mkdtemp (dir) != NULL, "temp dir");
  xasprintf (&path, "%s/runc.log", dir);
  xasprintf (&errpath, "%s/stderr", dir);

  ok (cli_log_open (NULL, "xml", false, &err) < 0, "unknown log format refused");
  is_str (err.msg, "invalid log-format: xml", "runc's message");

  /* Something in the file already: it must be appended to.  */
  ok (write_file_at (AT_FDCWD, path, "old\n", 4, 0600, &err) == 0, "pre-existing log");
  unlink (path);
  old_umask = umask (0);
  ok (cli_log_open (path, "json", false, &err) == 0, "open log (json)");
  umask (old_umask);
  ok (stat (path, &st) == 0 && (st.st_mode & 07777) == 0644, "log created with mode 0644");
  for (int fd = 3; fd < 64; fd++)
    {
      char link[64], target[4096];
      ssize_t n;
      snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
      n = readlink (link, target, sizeof target - 1);
      if (n > 0 && (target[n] = '\0', strcmp (target, path) == 0))
        found_cloexec = (fcntl (fd, F_GETFD) & FD_CLOEXEC) != 0;
    }
  is_int (found_cloexec, 1, "log fd is close-on-exec");

  saved_stderr = dup (STDERR_FILENO);
  efd = open (errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  dup2 (efd, STDERR_FILENO);
  rt_warn ("dropped %s", "cpu limit");
  rt_debug ("not shown without --debug");
  is_int (cli_fatal (7, "runc run failed: %s", "boom"), 7, "cli_fatal returns the code");
  fflush (stderr);
  dup2 (saved_stderr, STDERR_FILENO);
  close (saved_stderr);
  close (efd);
  cli_log_close ();

  log = slurp (path);
  errout = slurp (errpath);
  like (log, "{\"level\":\"warning\",\"msg\":\"dropped cpu limit\",\"time\":\"", "warning logged");
  like (log, "{\"level\":\"error\",\"msg\":\"runc run failed: boom\",\"time\":\"", "error logged");
  ok (strstr (log, "not shown") == NULL, "debug suppressed without --debug");
  is_str (errout, "runc run failed: boom\n", "stderr gets only the plain final error");

  /* Reopen in text mode with --debug: appended, debug lines appear.  */
  ok (cli_log_open (path, "text", true, &err) == 0, "reopen (text, debug)");
  rt_debug ("step %d", 2);
  cli_log_close ();
  free (log);
  log = slurp (path);
  like (log, "level=debug msg=\"step 2\"\n", "debug line with --debug");
  ok (strncmp (log, "{\"level\":\"warning\"", 18) == 0, "earlier lines kept (append)");

  ok (cli_log_open ("/nonexistent-dir/x.log", "text", false, &err) < 0, "unopenable log fails");
  like (err.msg, "/nonexistent-dir/x.log", "error names the path");
  cli_log_close ();

  unlink (path);
  unlink (errpath);
  rmdir (dir);
}

static void
test_tabwriter (void)
{
  /* `runc list` output of runc 1.1.5, byte for byte.  */
  {
    _cleanup_free_ char *out = tabwriter_format (
        "ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n"
        "c1\t19813\tcreated\t/tmp/bb\t2026-11-23T13:52:52.986938418Z\troot\n",
        12, 3);
    is_str (out,
            "ID          PID         STATUS      BUNDLE      CREATED                          OWNER\n"
            "c1          19813       created     /tmp/bb     2026-11-23T13:52:52.986938418Z   root\n",
            "list table like runc");
  }
  {
    _cleanup_free_ char *out = tabwriter_format ("ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n", 12, 3);
    is_str (out, "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n",
            "empty list header");
  }
  {
    /* A line without tabs ends the column block; the last cell of a line
       is never padded; widths count code points.  */
    _cleanup_free_ char *out = tabwriter_format ("   --a\tx\n   --long-name\ty\nplain line\n   --b\t\xc3\xa9\xc3\xa9\n   --ccc\tz",
                                                 1, 2);
    is_str (out,
            "   --a          x\n"
            "   --long-name  y\n"
            "plain line\n"
            "   --b    \xc3\xa9\xc3\xa9\n"
            "   --ccc  z",
            "help-style blocks");
  }
  {
    _cleanup_free_ char *out = tabwriter_format ("\xc3\xa9\tx\nab\ty\n", 1, 1);
    is_str (out, "\xc3\xa9  x\nab y\n", "multi-byte cell width counts runes");
  }
}

/* state and list as runc 1.1.5 printed them for a created container.  */
static void
test_state_and_list (void)
{
  spec_kv ann[] = { { "zeta", "1" }, { "alpha", "<2>" } };
  rt_container_info infos[2] = {
    { .oci_version = "1.0.2-dev", .id = "c1", .pid = 19813, .status = RT_STATUS_CREATED,
      .bundle = "/tmp/bb", .rootfs = "/tmp/bb/rootfs", .created = "2026-11-23T13:52:52.986938418Z",
      .owner = 0 },
    { .oci_version = "1.3.0", .id = "second-one", .pid = 0, .status = RT_STATUS_STOPPED,
      .bundle = "/b", .rootfs = "/b/rootfs", .created = "2026-11-23T13:52:53Z",
      .annotations = ann, .n_annotations = 2, .owner = 4242424 },
  };
  const char *created = rt_status_name (RT_STATUS_CREATED), *stopped = rt_status_name (RT_STATUS_STOPPED);
  _cleanup_free_ char *st_created = created ? NULL : xstrdup ("null");
  _cleanup_free_ char *want = NULL, *got = NULL, *table = NULL, *ids = NULL, *none = NULL;
  size_t len;

  /* The library's status names may still be missing (placeholder).  */
  if (created)
    xasprintf (&st_created, "\"%s\"", created);

  got = cli_state_format (&infos[0], &len);
  xasprintf (&want,
             "{\n  \"ociVersion\": \"1.0.2-dev\",\n  \"id\": \"c1\",\n  \"pid\": 19813,\n"
             "  \"status\": %s,\n  \"bundle\": \"/tmp/bb\",\n  \"rootfs\": \"/tmp/bb/rootfs\",\n"
             "  \"created\": \"2026-11-23T13:52:52.986938418Z\",\n  \"owner\": \"\"\n}",
             st_created);
  is_str (got, want, "state JSON: runc's fields, order, indent, no newline");
  is_int (len, strlen (want), "state length");
  free (got);
  free (want);

  got = cli_state_format (&infos[1], &len);
  like (got, "\"annotations\": {\n    \"alpha\": \"\\u003c2\\u003e\",\n    \"zeta\": \"1\"\n  },\n  \"owner\"",
        "annotations sorted, escaped like Go, before owner");
  free (got);

  got = cli_list_format (infos, 1, "json", false);
  xasprintf (&want,
             "[{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":19813,\"status\":%s,"
             "\"bundle\":\"/tmp/bb\",\"rootfs\":\"/tmp/bb/rootfs\","
             "\"created\":\"2026-11-23T13:52:52.986938418Z\",\"owner\":\"root\"}]\n",
             st_created);
  is_str (got, want, "list JSON: compact array, owner name, newline");

  none = cli_list_format (infos, 0, "json", false);
  is_str (none, "null\n", "empty list JSON is null");

  table = cli_list_format (infos, 2, "table", false);
  like (table, "ID           PID         STATUS      BUNDLE      CREATED                          OWNER\n",
        "table header widened by the longest ID");
  like (table, "\nsecond-one   0           ", "stopped container has PID 0");
  like (table, "   #4242424\n", "owner without a name is #UID");
  if (created && stopped)
    like (table, "c1           19813       created     /tmp/bb     2026-11-23T13:52:52.986938418Z   root\n",
          "table row");

  ids = cli_list_format (infos, 2, "xml", true);
  is_str (ids, "c1\nsecond-one\n", "quiet wins over the format");
  ok (cli_list_format (infos, 2, "xml", false) == NULL, "unknown format refused");
}

int
main (void)
{
  test_text_lines ();
  test_json_lines ();
  test_time_format ();
  test_log_file ();
  test_tabwriter ();
  test_state_and_list ();
  return tap_done ();
}
