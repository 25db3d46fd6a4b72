/* Small helpers shared by the verbs.  */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"

int
cli_write_stdout (const char *s, size_t len)
{
  if (fwrite (s, 1, len, stdout) != len || fflush (stdout) != 0)
    return -errno;
  return 0;
}

int
cli_output (const char *s, size_t len, const char *what)
{
  int r = cli_write_stdout (s, len);

  if (r < 0)
    return cli_fatal (1, "write %s to stdout: %s", what, strerror (-r));
  return 0;
}

char *
cli_abs_path (const char *path)
{
  return path ? path_make_absolute (path) : NULL;
}

int
cli_not_implemented (const char *verb, int code)
{
  return cli_fatal (code, "runc %s: not implemented yet", verb);
}
