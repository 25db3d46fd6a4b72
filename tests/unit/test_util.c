#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "tap.h"
#include "util.h"

static void
test_path_clean (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { "/", "/" },          { "", "." },         { "a/b", "a/b" },       { "/a/../b", "/b" },
    { "/../..", "/" },     { "a/../..", ".." }, { "../a/..", ".." },    { "//a//b/", "/a/b" },
    { "./a/./b/.", "a/b" }, { "/a/b/../../c", "/c" }, { "a/..", "." },   { "../../x", "../../x" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      char *got = path_clean (cases[i].in);
      is_str (got, cases[i].out, "path_clean(\"%s\")", cases[i].in);
      free (got);
    }
}

static void
test_parse_numbers (void)
{
  uint64_t u;
  int64_t s;
  ok (parse_u64 ("18446744073709551615", &u) == 0 && u == UINT64_MAX, "parse_u64 max");
  ok (parse_u64 ("18446744073709551616", &u) == -ERANGE, "parse_u64 overflow");
  ok (parse_u64 ("-1", &u) == -EINVAL, "parse_u64 rejects negative");
  ok (parse_u64 ("12x", &u) == -EINVAL, "parse_u64 rejects trailing garbage");
  ok (parse_u64 ("", &u) == -EINVAL, "parse_u64 rejects empty");
  ok (parse_i64 ("-5", &s) == 0 && s == -5, "parse_i64 negative");
}

static void
test_atomic_write (void)
{
  char dir[] = "/tmp/test_util.XXXXXX";
  rt_error err = { 0 };
  _cleanup_free_ char *back = NULL;
  int dfd;

  ok (mkdtemp (dir) != NULL, "mkdtemp");
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ok (write_file_atomic (dfd, "f.json", "hello", 5, 0600, &err) == 0, "write_file_atomic");
  ok (read_file_at (dfd, "f.json", &back, &err) == 5, "read back");
  is_str (back, "hello", "content");
  ok (write_file_atomic (dfd, "nodir/f.json", "x", 1, 0600, &err) < 0, "error for a missing directory");
  like (err.msg, "nodir", "error names the path");
  unlinkat (dfd, "f.json", 0);
  close (dfd);
  rmdir (dir);
}

static void
test_error_wrap (void)
{
  rt_error err = { 0 };
  int r = rt_fail (&err, ENOENT, "open `%s`", "/x");
  is_int (r, -ENOENT, "rt_fail returns -code");
  is_str (err.msg, "open `/x`: No such file or directory", "rt_fail appends strerror");
  rt_wrap (&err, "mount %d", 3);
  is_str (err.msg, "mount 3: open `/x`: No such file or directory", "rt_wrap prefixes");
  r = rt_failx (&err, 0, "bad");
  is_int (r, -EINVAL, "code 0 maps to -EINVAL");
}

int
main (void)
{
  test_path_clean ();
  test_parse_numbers ();
  test_atomic_write ();
  test_error_wrap ();
  return tap_done ();
}
