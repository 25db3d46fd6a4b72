/* Logging as runc does it with logrus: one line per message, text
 *   time="2026-11-23T13:38:00Z" level=error msg="runc run failed: ..."
 * or JSON
 *   {"level":"error","msg":"...","time":"..."}
 * to --log or stderr.  containerd reads the --log file after a failed
 * call to show the reason, so the final error must always land there.  */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "util.h"

static struct
{
  int fd; /* 2 unless --log was given */
  bool json;
  bool debug;
  bool tty;     /* the log is a terminal */
  time_t start; /* for the elapsed seconds of the terminal format */
} log_state = { .fd = STDERR_FILENO };

static const char *
level_name (enum cli_log_level lvl)
{
  switch (lvl)
    {
    case CLI_LOG_DEBUG:
      return "debug";
    case CLI_LOG_INFO:
      return "info";
    case CLI_LOG_WARNING:
      return "warning";
    case CLI_LOG_ERROR:
      break;
    }
  return "error";
}

void
cli_log_time_now (char *buf, size_t len)
{
  struct tm tm;
  time_t now = time (NULL);
  size_t n;
  long off;

  localtime_r (&now, &tm);
  n = strftime (buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
  off = tm.tm_gmtoff;
  if (off == 0)
    snprintf (buf + n, len - n, "Z");
  else
    snprintf (buf + n, len - n, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs (off) / 3600,
              (labs (off) % 3600) / 60);
}

/* logrus quotes a value unless every character is one of these.  */
static bool
needs_quoting (const char *s)
{
  for (; *s; s++)
    {
      char c = *s;
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
            || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+'))
        return true;
    }
  return false;
}

static void
append_kv (FILE *f, const char *key, const char *value)
{
  if (needs_quoting (value))
    {
      _cleanup_free_ char *q = go_quote (value);
      fprintf (f, "%s=%s", key, q);
    }
  else
    fprintf (f, "%s=%s", key, value);
}

char *
cli_log_format_line (bool json, enum cli_log_level lvl, const char *time, const char *msg)
{
  char *line;

  if (json)
    {
      json_writer *w = json_writer_new (0);
      _cleanup_free_ char *doc = NULL;

      /* logrus encodes a map, so the keys come out sorted.  */
      json_w_object_begin (w);
      json_w_kv_string (w, "level", level_name (lvl));
      json_w_kv_string (w, "msg", msg);
      json_w_kv_string (w, "time", time);
      json_w_object_end (w);
      doc = json_writer_finish (w, NULL);
      xasprintf (&line, "%s\n", doc);
    }
  else
    {
      size_t len = 0;
      FILE *f = open_memstream (&line, &len);

      if (f == NULL)
        abort ();
      append_kv (f, "time", time);
      fputc (' ', f);
      append_kv (f, "level", level_name (lvl));
      fputc (' ', f);
      append_kv (f, "msg", msg);
      fputc ('\n', f);
      fclose (f);
    }
  return line;
}

static void
detect_tty (void)
{
  log_state.tty = isatty (log_state.fd);
  log_state.start = time (NULL);
}

/* logrus switches its text format to a coloured, padded one for people
   when the output is a terminal.  */
static char *
format_tty_line (enum cli_log_level lvl, const char *msg)
{
  static const int colour[] = { [CLI_LOG_DEBUG] = 37, [CLI_LOG_INFO] = 36, [CLI_LOG_WARNING] = 33,
                                [CLI_LOG_ERROR] = 31 };
  char tag[5];
  char *line;

  for (size_t i = 0; i < 4; i++)
    tag[i] = (char) (level_name (lvl)[i] - 'a' + 'A');
  tag[4] = '\0';
  xasprintf (&line, "\x1b[%dm%s\x1b[0m[%04ld] %-44s\n", colour[lvl], tag,
             (long) (time (NULL) - log_state.start), msg);
  return line;
}

static void
log_msg (enum cli_log_level lvl, const char *msg)
{
  char now[64];
  _cleanup_free_ char *line = NULL;

  if (lvl == CLI_LOG_DEBUG && !log_state.debug)
    return;
  if (log_state.start == 0)
    detect_tty ();
  cli_log_time_now (now, sizeof now);
  if (!log_state.json && log_state.tty)
    line = format_tty_line (lvl, msg);
  else
    line = cli_log_format_line (log_state.json, lvl, now, msg);
  /* One write per line: other runtimes' processes may append to the same
     file at the same time.  Nothing useful can be done if it fails.  */
  (void) write_all (log_state.fd, line, strlen (line));
}

static void
vlog (enum cli_log_level lvl, const char *fmt, va_list ap)
{
  _cleanup_free_ char *msg = NULL;

  if (vasprintf (&msg, fmt, ap) < 0)
    return;
  log_msg (lvl, msg);
}

void
cli_log (enum cli_log_level lvl, const char *fmt, ...)
{
  va_list ap;

  va_start (ap, fmt);
  vlog (lvl, fmt, ap);
  va_end (ap);
}

int
cli_fatal (int code, const char *fmt, ...)
{
  _cleanup_free_ char *msg = NULL;
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&msg, fmt, ap);
  va_end (ap);
  if (r < 0)
    return code;
  log_msg (CLI_LOG_ERROR, msg);
  if (log_state.fd != STDERR_FILENO)
    {
      /* runc's fatal(): the caller on the terminal sees the plain
         message, the log keeps the structured line.  */
      fprintf (stderr, "%s\n", msg);
      fflush (stderr);
    }
  return code;
}

static void
on_library_warning (const char *msg, void *data)
{
  log_msg (CLI_LOG_WARNING, msg);
}

static void
on_library_debug (const char *msg, void *data)
{
  log_msg (CLI_LOG_DEBUG, msg);
}

int
cli_log_open (const char *path, const char *format, bool debug, rt_error *err)
{
  int fd;

  if (strcmp (format, "text") == 0)
    log_state.json = false;
  else if (strcmp (format, "json") == 0)
    log_state.json = true;
  else
    return rt_failx (err, EINVAL, "invalid log-format: %s", format);

  if (path && *path)
    {
      fd = open (path, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0644);
      if (fd < 0)
        return rt_fail (err, errno, "open log file `%s`", path);
      log_state.fd = fd;
    }
  log_state.debug = debug;
  detect_tty ();
  rt_set_warn_handler (on_library_warning, NULL);
  if (debug)
    rt_set_debug_handler (on_library_debug, NULL);
  return 0;
}

void
cli_log_close (void)
{
  rt_set_warn_handler (NULL, NULL);
  rt_set_debug_handler (NULL, NULL);
  if (log_state.fd != STDERR_FILENO)
    close (log_state.fd);
  log_state.fd = STDERR_FILENO;
  log_state.json = false;
  log_state.debug = false;
  log_state.tty = false;
  log_state.start = 0;
}
