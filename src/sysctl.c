/* linux.sysctl: which keys a container may set (runc's namespace rules) and
 * writing them under /proc/sys.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef HAVE_LINUX_OPENAT2_H
#include <linux/openat2.h>
#endif

#include "process.h"
#include "util.h"

#ifndef RESOLVE_BENEATH
struct open_how
{
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#endif
#ifndef __NR_openat2
#define __NR_openat2 437
#endif

/* sysctl.d(5): when the first separator is '/', the roles of '/' and '.'
   are swapped ("net/ipv4/conf/eth0.100/rp_filter" is
   "net.ipv4.conf.eth0/100.rp_filter").  Returns the dotted form.  */
static char *
sysctl_dotted (const char *key)
{
  char *out = xstrdup (key);
  size_t first = strcspn (out, "./");

  if (out[first] != '/')
    return out;
  for (char *c = out; *c; c++)
    if (*c == '/')
      *c = '.';
    else if (*c == '.')
      *c = '/';
  return out;
}

/* Dotted form to a path below /proc/sys: the same swap.  */
static char *
sysctl_relpath (const char *dotted)
{
  char *out = xstrdup (dotted);

  for (char *c = out; *c; c++)
    if (*c == '.')
      *c = '/';
    else if (*c == '/')
      *c = '.';
  return out;
}

/* Each dotted component becomes one path component with '/' turned into
   '.', so "/" and "//" would become "." and "..".  */
static bool
sysctl_key_sane (const char *dotted)
{
  const char *c = dotted;

  for (;;)
    {
      size_t len = strcspn (c, ".");
      if (len == 0 || (len <= 2 && strspn (c, "/") >= len))
        return false;
      if (c[len] == '\0')
        return true;
      c += len + 1;
    }
}

static const spec_namespace *
find_namespace (const spec *s, enum spec_ns_type t)
{
  for (size_t i = 0; s->linux_ && i < s->linux_->n_namespaces; i++)
    if (s->linux_->namespaces[i].type == t)
      return &s->linux_->namespaces[i];
  return NULL;
}

/* "Host" means the runtime's current network namespace, as in runc.  */
static int
netns_is_host (const char *path, bool *out, rt_error *err)
{
  struct stat self, other;

  if (stat ("/proc/self/ns/net", &self) < 0)
    return rt_fail (err, errno, "invalid netns path: stat /proc/self/ns/net");
  if (stat (path, &other) < 0)
    return rt_fail (err, errno, "invalid netns path: stat %s", path);
  *out = self.st_dev == other.st_dev && self.st_ino == other.st_ino;
  return 0;
}

static bool
is_ipc_sysctl (const char *key)
{
  static const char *const ipc_keys[] = {
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
  };

  for (size_t i = 0; i < ARRAY_SIZE (ipc_keys); i++)
    if (strcmp (key, ipc_keys[i]) == 0)
      return true;
  return str_has_prefix (key, "fs.mqueue.");
}

static int
sysctl_check_one (const spec *s, const char *raw, int *hostnet, rt_error *err)
{
  _cleanup_free_ char *key = sysctl_dotted (raw);
  const spec_namespace *ns;

  if (!sysctl_key_sane (key))
    return rt_failx (err, EINVAL, "sysctl \"%s\" is not a valid sysctl name", raw);

  if (is_ipc_sysctl (key))
    {
      if (find_namespace (s, SPEC_NS_IPC))
        return 0;
      return rt_failx (err, EPERM, "sysctl \"%s\" is not allowed in the hosts ipc namespace", key);
    }

  if (str_has_prefix (key, "net."))
    {
      if (*hostnet < 0)
        {
          bool host = true;
          ns = find_namespace (s, SPEC_NS_NETWORK);
          if (ns && ns->path == NULL)
            host = false;
          else if (ns)
            {
              int r = netns_is_host (ns->path, &host, err);
              if (r < 0)
                return r;
            }
          *hostnet = host;
        }
      if (*hostnet)
        return rt_failx (err, EPERM, "sysctl \"%s\" not allowed in host network namespace", key);
      return 0;
    }

  if (find_namespace (s, SPEC_NS_UTS))
    {
      if (strcmp (key, "kernel.domainname") == 0)
        return 0;
      if (strcmp (key, "kernel.hostname") == 0)
        return rt_failx (err, EPERM, "sysctl \"%s\" is not allowed as it conflicts with the OCI \"hostname\" field",
                         key);
    }
  return rt_failx (err, EPERM, "sysctl \"%s\" is not in a separate kernel namespace", key);
}

int
sysctl_validate (const spec *s, rt_error *err)
{
  int hostnet = -1;

  if (s->linux_ == NULL)
    return 0;
  for (size_t i = 0; i < s->linux_->n_sysctl; i++)
    {
      const char *key = s->linux_->sysctl[i].key;
      int r = sysctl_check_one (s, key ? key : "", &hostnet, err);
      if (r < 0)
        return r;
    }
  return 0;
}

/* Strictly beneath /proc/sys, no symlinks, no other mount.  openat2 where
   the kernel has it; otherwise the key was checked for ".." and O_NOFOLLOW
   covers the last component.  */
static int
open_beneath (int dirfd, const char *rel)
{
  struct open_how how = {
    .flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
  };
  int fd = (int) syscall (__NR_openat2, dirfd, rel, &how, sizeof how);

  if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
    return fd;
  return openat (dirfd, rel, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
}

int
sysctl_apply (const spec_kv *kv, size_t n, rt_error *err)
{
  _cleanup_close_ int dirfd = -1;
  struct statfs sfs;

  if (n == 0)
    return 0;
  dirfd = open ("/proc/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (dirfd < 0)
    return rt_fail (err, errno, "open `/proc/sys`");
  /* A rootfs could put anything at /proc before procfs is mounted on it.  */
  if (fstatfs (dirfd, &sfs) < 0)
    return rt_fail (err, errno, "statfs `/proc/sys`");
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return rt_failx (err, EXDEV, "write sysctls: `/proc/sys` is not on procfs");

  for (size_t i = 0; i < n; i++)
    {
      _cleanup_free_ char *key = sysctl_dotted (kv[i].key ? kv[i].key : "");
      _cleanup_free_ char *rel = NULL;
      _cleanup_close_ int fd = -1;
      const char *value = kv[i].value ? kv[i].value : "";

      if (!sysctl_key_sane (key))
        return rt_failx (err, EINVAL, "sysctl \"%s\" is not a valid sysctl name", kv[i].key ? kv[i].key : "");
      rel = sysctl_relpath (key);
      fd = open_beneath (dirfd, rel);
      if (fd < 0)
        return rt_fail (err, errno, "set sysctl \"%s\": open `/proc/sys/%s`", key, rel);
      if (write_all (fd, value, strlen (value)) < 0)
        return rt_fail (err, errno, "set sysctl \"%s\" to \"%s\": write `/proc/sys/%s`", key, value, rel);
    }
  return 0;
}
