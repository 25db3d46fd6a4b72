#include "config.h"

#include <stdio.h>
#include <string.h>

#include "error.h"

static int
vfail (rt_error *err, int code, int with_errno, const char *fmt, va_list ap)
{
  int n;

  err->code = code;
  n = vsnprintf (err->msg, sizeof err->msg, fmt, ap);
  if (n < 0)
    {
      err->msg[0] = '\0';
      n = 0;
    }
  if (with_errno && code > 0 && (size_t) n < sizeof err->msg)
    snprintf (err->msg + n, sizeof err->msg - n, ": %s", strerror (code));
  return code > 0 ? -code : -EINVAL;
}

int
rt_fail (rt_error *err, int code, const char *fmt, ...)
{
  va_list ap;
  int ret;

  va_start (ap, fmt);
  ret = vfail (err, code, 1, fmt, ap);
  va_end (ap);
  return ret;
}

int
rt_failx (rt_error *err, int code, const char *fmt, ...)
{
  va_list ap;
  int ret;

  va_start (ap, fmt);
  ret = vfail (err, code, 0, fmt, ap);
  va_end (ap);
  return ret;
}

int
rt_wrap (rt_error *err, const char *fmt, ...)
{
  char out[RT_ERROR_MSG_MAX];
  size_t n, old_len;
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = vsnprintf (out, sizeof out, fmt, ap);
  va_end (ap);
  n = r < 0 ? 0 : ((size_t) r >= sizeof out ? sizeof out - 1 : (size_t) r);
  /* Truncate from the end: the innermost detail (usually strerror) is
     what gets lost first, never the context being added.  */
  old_len = strnlen (err->msg, sizeof err->msg);
  if (n + 2 < sizeof out)
    {
      size_t room = sizeof out - n - 3;
      out[n++] = ':';
      out[n++] = ' ';
      if (old_len > room)
        old_len = room;
      memcpy (out + n, err->msg, old_len);
      n += old_len;
    }
  out[n] = '\0';
  memcpy (err->msg, out, n + 1);
  return rt_error_ret (err);
}

void
rt_error_clear (rt_error *err)
{
  err->code = 0;
  err->msg[0] = '\0';
}

static rt_warn_fn warn_fn;
static void *warn_data;
static rt_warn_fn debug_fn;
static void *debug_data;

void
rt_set_warn_handler (rt_warn_fn fn, void *data)
{
  warn_fn = fn;
  warn_data = data;
}

void
rt_set_debug_handler (rt_warn_fn fn, void *data)
{
  debug_fn = fn;
  debug_data = data;
}

void
rt_warn (const char *fmt, ...)
{
  char buf[RT_ERROR_MSG_MAX];
  va_list ap;

  if (warn_fn == NULL)
    return;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  warn_fn (buf, warn_data);
}

void
rt_debug (const char *fmt, ...)
{
  char buf[RT_ERROR_MSG_MAX];
  va_list ap;

  if (debug_fn == NULL)
    return;
  va_start (ap, fmt);
  vsnprintf (buf, sizeof buf, fmt, ap);
  va_end (ap);
  debug_fn (buf, debug_data);
}
