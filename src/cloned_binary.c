#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/memfd.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cloned_binary.h"
#include "idmap.h"
#include "util.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static bool
range_hits (const spec_idmap *maps, size_t n, uint32_t host_id)
{
  uint32_t ignored;
  return idmap_host_to_container (maps, n, host_id, &ignored);
}

bool
binary_exposure (const binary_facts *f, bool userns, bool joined_userns, const spec_idmap *uid_maps,
                 size_t n_uid, const spec_idmap *gid_maps, size_t n_gid)
{
  if (f->read_only_mount)
    return false;
  if (f->mode & S_IWOTH)
    return true;
  /* Without a user namespace the container's root is the host's root.  */
  if (!userns || joined_userns)
    return true;
  /* Inside a user namespace, DAC_OVERRIDE and FOWNER only apply to inodes
     whose owner and group are mapped, and plain permission bits to the
     mapped IDs: so the file is writable exactly when a writer is mapped.  */
  if (range_hits (uid_maps, n_uid, f->uid))
    return true;
  if ((f->mode & S_IWGRP) && range_hits (gid_maps, n_gid, f->gid))
    return true;
  return false;
}

int
binary_facts_self (binary_facts *out, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  struct stat st;
  struct statvfs sv;

  fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "open /proc/self/exe");
  if (fstat (fd, &st) < 0)
    return rt_fail (err, errno, "stat /proc/self/exe");
  out->uid = st.st_uid;
  out->gid = st.st_gid;
  out->mode = st.st_mode;
  out->read_only_mount = fstatvfs (fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
  return 0;
}

bool
binary_is_sealed_copy (void)
{
  _cleanup_close_ int fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  int seals;

  if (fd < 0)
    return false;
  seals = fcntl (fd, F_GET_SEALS);
  return seals >= 0 && (seals & SEALS) == SEALS;
}

static char *
exe_link (void)
{
  char buf[PATH_MAX];
  ssize_t n = readlink ("/proc/self/exe", buf, sizeof buf - 1);

  if (n <= 0 || buf[0] != '/')
    return NULL;
  buf[n] = '\0';
  return xstrdup (buf);
}

char *
binary_self_path (void)
{
  const char *origin;

  if (!binary_is_sealed_copy ())
    return exe_link ();
  origin = getenv (BINARY_ORIGIN_ENV);
  return origin && origin[0] == '/' ? xstrdup (origin) : NULL;
}

/* The environment for the sealed copy: ours, with BINARY_ORIGIN_ENV
 * replaced by the path of this binary (the copy cannot learn it from
 * /proc/self/exe any more).  */
static char **
origin_environ (char **origin)
{
  _cleanup_free_ char *path = exe_link ();
  size_t n = 0, len = strlen (BINARY_ORIGIN_ENV);
  char **env;

  while (environ[n])
    n++;
  env = xzalloc ((n + 2) * sizeof *env);
  n = 0;
  for (char **e = environ; *e; e++)
    if (strncmp (*e, BINARY_ORIGIN_ENV, len) != 0 || (*e)[len] != '=')
      env[n++] = *e;
  if (path)
    {
      xasprintf (origin, BINARY_ORIGIN_ENV "=%s", path);
      env[n++] = *origin;
    }
  return env;
}

int
binary_reexec_sealed (char *const *argv, rt_error *err)
{
  _cleanup_close_ int src = -1, mfd = -1;
  _cleanup_free_ char *origin = NULL;
  _cleanup_free_ char **env = NULL;
  struct stat st;
  off_t off = 0;

  src = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (src < 0)
    return rt_fail (err, errno, "open /proc/self/exe");
  if (fstat (src, &st) < 0)
    return rt_fail (err, errno, "stat /proc/self/exe");
  mfd = memfd_create ("runc", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0)
    return rt_fail (err, errno, "memfd_create");
  while (off < st.st_size)
    {
      ssize_t n = sendfile (mfd, src, &off, st.st_size - off);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return rt_fail (err, errno, "copy the runtime binary into a memfd");
        }
      if (n == 0)
        break;
    }
  if (fcntl (mfd, F_ADD_SEALS, SEALS) < 0)
    return rt_fail (err, errno, "seal the runtime's memfd copy");
  env = origin_environ (&origin);
  fexecve (mfd, argv, env);
  return rt_fail (err, errno, "execute the runtime's sealed copy");
}
