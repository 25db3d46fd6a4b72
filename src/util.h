/* Small helpers shared by every module: cleanup attributes, ownership
 * transfer, checked allocation and whole-file I/O.  */
#ifndef RT_UTIL_H
#define RT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#include "error.h"

#define ARRAY_SIZE(a) (sizeof (a) / sizeof ((a)[0]))

static inline void
cleanup_freep (void *p)
{
  free (*(void **) p);
}

static inline void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

#define _cleanup_free_ __attribute__ ((cleanup (cleanup_freep)))
#define _cleanup_close_ __attribute__ ((cleanup (cleanup_closep)))

/* Hand ownership of a pointer or fd to someone else, leaving the variable
 * in its "nothing to clean up" state.  */
#define TAKE_PTR(p)                                                                                \
  ({                                                                                               \
    __typeof__ (p) _p = (p);                                                                       \
    (p) = NULL;                                                                                    \
    _p;                                                                                            \
  })
#define TAKE_FD(fd)                                                                                \
  ({                                                                                               \
    int _fd = (fd);                                                                                \
    (fd) = -1;                                                                                     \
    _fd;                                                                                           \
  })

/* Allocation failure is not recoverable in a short-lived CLI process, and a
 * half-reported OOM is worse than a clean abort.  */
void *xmalloc (size_t n);
void *xzalloc (size_t n);
void *xrealloc (void *p, size_t n);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
int xasprintf (char **out, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* Free a NULL-terminated or counted array of strings.  */
void strv_free (char **v);
void strv_free_n (char **v, size_t n);

bool str_has_prefix (const char *s, const char *prefix);
bool str_has_suffix (const char *s, const char *suffix);

/* Retry on EINTR and short transfers.  Return bytes transferred or -errno.  */
ssize_t write_all (int fd, const void *buf, size_t len);
ssize_t read_all (int fd, void *buf, size_t len);

/* Read a whole file (at dirfd/path, dirfd may be AT_FDCWD) into a
 * NUL-terminated malloc'd buffer.  Returns length or -errno.  */
ssize_t read_file_at (int dirfd, const char *path, char **out, rt_error *err);
/* Read a whole file from an open fd.  */
ssize_t read_fd (int fd, char **out, rt_error *err);

/* Write `len` bytes to dirfd/path (O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC).  */
int write_file_at (int dirfd, const char *path, const void *data, size_t len, mode_t mode, rt_error *err);

/* Write atomically: a temporary ".name.XXXXXX" file in the same directory,
 * fsync-free (state is volatile by nature), then rename over `path`.  */
int write_file_atomic (int dirfd, const char *path, const void *data, size_t len, mode_t mode, rt_error *err);

/* Parse a decimal integer with full validation (no trailing garbage).  */
int parse_u64 (const char *s, uint64_t *out);
int parse_i64 (const char *s, int64_t *out);

/* Make `path` absolute against the current directory, without touching the
 * filesystem (no symlink resolution), and remove "." and ".." and duplicate
 * slashes lexically.  */
char *path_make_absolute (const char *path);
/* Lexical clean, like Go's filepath.Clean.  */
char *path_clean (const char *path);

#endif
