/* Error values for library code.
 *
 * A fallible function returns >= 0 on success and -errno on failure, with
 * `err` filled; a function returning a pointer returns NULL and fills `err`.
 * The struct is fixed-size on purpose: no allocation happens on an error
 * path, and a child process can send the whole thing over the sync socket
 * to its parent before _exit()ing.  */
#ifndef RT_ERROR_H
#define RT_ERROR_H

#include <errno.h>
#include <stdarg.h>

#define RT_ERROR_MSG_MAX 1024

typedef struct rt_error
{
  int code;                   /* positive errno; 0 = none */
  char msg[RT_ERROR_MSG_MAX]; /* NUL-terminated, already includes strerror(code) if code != 0 */
} rt_error;

/* Record an error: formats the message and appends ": <strerror(code)>" when
 * code != 0.  Returns -code (or -EINVAL when code is 0) so callers can write
 * `return rt_fail (err, errno, "open `%s`", path);`.  */
int rt_fail (rt_error *err, int code, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));

/* Like rt_fail but without appending strerror: for validation errors where
 * the message is complete by itself.  code is still recorded.  */
int rt_failx (rt_error *err, int code, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));

/* Prefix context to an existing error: "context: previous message".
 * Returns -err->code (or -EINVAL).  */
int rt_wrap (rt_error *err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

/* Reset to "no error".  */
void rt_error_clear (rt_error *err);

/* The negative return value that corresponds to err.  */
static inline int
rt_error_ret (const rt_error *err)
{
  return err->code > 0 ? -err->code : -EINVAL;
}

/* Library code never prints.  Non-fatal conditions (for example a limit
 * dropped under --rootless auto) go to a sink that the CLI installs and
 * that writes them to the log at level "warning".  */
typedef void (*rt_warn_fn) (const char *msg, void *data);
void rt_set_warn_handler (rt_warn_fn fn, void *data);
void rt_warn (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));
/* Debug messages, only delivered when the CLI enabled --debug.  */
void rt_set_debug_handler (rt_warn_fn fn, void *data);
void rt_debug (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

#endif
