/* A tiny TAP producer for the unit tests: each test program is a list of
 * ok()/is_*() checks; the automake TAP driver reads the output.  */
#ifndef TESTS_TAP_H
#define TESTS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n;
static int tap_failed;

static void __attribute__ ((format (printf, 2, 3)))
tap_ok (int cond, const char *fmt, ...)
{
  va_list ap;
  tap_n++;
  if (!cond)
    tap_failed++;
  printf ("%sok %d - ", cond ? "" : "not ", tap_n);
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  putchar ('\n');
  fflush (stdout);
}

#define ok(cond, ...) tap_ok (!!(cond), __VA_ARGS__)

#define is_int(got, want, ...)                                                                     \
  do                                                                                               \
    {                                                                                              \
      long long _g = (long long) (got), _w = (long long) (want);                                   \
      tap_ok (_g == _w, __VA_ARGS__);                                                              \
      if (_g != _w)                                                                                \
        printf ("#   got: %lld\n#   expected: %lld\n", _g, _w);                                    \
    }                                                                                              \
  while (0)

#define is_str(got, want, ...)                                                                     \
  do                                                                                               \
    {                                                                                              \
      const char *_g = (got), *_w = (want);                                                        \
      int _eq = (_g == NULL && _w == NULL) || (_g && _w && strcmp (_g, _w) == 0);                  \
      tap_ok (_eq, __VA_ARGS__);                                                                   \
      if (!_eq)                                                                                    \
        printf ("#   got: \"%s\"\n#   expected: \"%s\"\n", _g ? _g : "(null)", _w ? _w : "(null)"); \
    }                                                                                              \
  while (0)

/* Substring check, for error messages.  */
#define like(got, needle, ...)                                                                     \
  do                                                                                               \
    {                                                                                              \
      const char *_g = (got), *_n = (needle);                                                      \
      int _m = _g && strstr (_g, _n) != NULL;                                                      \
      tap_ok (_m, __VA_ARGS__);                                                                    \
      if (!_m)                                                                                     \
        printf ("#   got: \"%s\"\n#   expected to contain: \"%s\"\n", _g ? _g : "(null)", _n);    \
    }                                                                                              \
  while (0)

static inline int
tap_done (void)
{
  printf ("1..%d\n", tap_n);
  return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
