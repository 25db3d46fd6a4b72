/* Locking the helper down before it says "ready".
 *
 * libslirp parses every frame the container sends, so a bug in it is a
 * bug an attacker inside the container can reach.  Once the tap fd, the
 * published ports and the API socket exist, the helper needs no file
 * system and no privilege: it gets a mount namespace whose root is an
 * empty read-only tmpfs holding only /etc/resolv.conf (libslirp reads its
 * upstream nameserver from that fixed path), no capabilities in any set,
 * no_new_privs, and the seccomp allow-list of seccomp.c.
 *
 * Rootless, a mount namespace needs CAP_SYS_ADMIN, which only a new user
 * namespace gives.  It maps our own uid and gid to themselves, so every
 * socket libslirp opens later (outbound connections, forwards added
 * through the API) is the same host user's as before, still in the host
 * network namespace, which we never leave.  */
#include "config.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "slirp_helper.h"
#include "util.h"

/* Any directory every system has: it is only borrowed, inside our own
 * mount namespace, as the mount point of the new root.  */
#define STAGING "/tmp"

/* uid and gid as seen before unshare(): afterwards, until the maps are
 * written, both read as the overflow id.  */
static int
map_self (uid_t uid, gid_t gid, rt_error *err)
{
  char buf[64];
  int len, ret;

  /* An unprivileged writer of gid_map must give up setgroups first.  */
  ret = write_file_at (AT_FDCWD, "/proc/self/setgroups", "deny", 4, 0, err);
  if (ret < 0)
    return ret;
  len = snprintf (buf, sizeof buf, "%u %u 1\n", (unsigned) uid, (unsigned) uid);
  ret = write_file_at (AT_FDCWD, "/proc/self/uid_map", buf, len, 0, err);
  if (ret < 0)
    return ret;
  len = snprintf (buf, sizeof buf, "%u %u 1\n", (unsigned) gid, (unsigned) gid);
  return write_file_at (AT_FDCWD, "/proc/self/gid_map", buf, len, 0, err);
}

static int
new_namespaces (rt_error *err)
{
  uid_t uid = geteuid ();
  gid_t gid = getegid ();
  int ret;

  if (uid == 0)
    {
      if (unshare (CLONE_NEWNS) < 0)
        return rt_fail (err, errno, "create a mount namespace");
      return 0;
    }
  if (unshare (CLONE_NEWUSER | CLONE_NEWNS) < 0)
    return rt_fail (err, errno, "create user and mount namespaces");
  ret = map_self (uid, gid, err);
  if (ret < 0)
    return rt_wrap (err, "map our uid in the sandbox user namespace");
  return 0;
}

static int
empty_root (const char *resolv_text, rt_error *err)
{
  const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  int ret;

  /* Nothing we do below may propagate back to the host.  */
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return rt_fail (err, errno, "make the mounts private");
  if (mount ("tmpfs", STAGING, "tmpfs", flags, "size=16k,nr_inodes=8,mode=0755") < 0)
    return rt_fail (err, errno, "mount a tmpfs on %s", STAGING);
  if (mkdir (STAGING "/etc", 0755) < 0)
    return rt_fail (err, errno, "create /etc in the new root");
  ret = write_file_at (AT_FDCWD, STAGING "/etc/resolv.conf", resolv_text, strlen (resolv_text), 0644, err);
  if (ret < 0)
    return ret;

  /* pivot_root(".", ".") stacks the old root under the new one, where a
     lazy unmount of "." takes it away: no directory of the host stays
     reachable, not even through "..".  */
  if (chdir (STAGING) < 0)
    return rt_fail (err, errno, "chdir to the new root");
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return rt_fail (err, errno, "pivot_root to the new root");
  if (umount2 (".", MNT_DETACH) < 0)
    return rt_fail (err, errno, "detach the old root");
  if (chdir ("/") < 0)
    return rt_fail (err, errno, "chdir to /");
  if (mount (NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, NULL) < 0)
    return rt_fail (err, errno, "make the new root read-only");
  return 0;
}

static int
drop_capabilities (rt_error *err)
{
  struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

  /* The bounding set first (that needs CAP_SETPCAP, still held), so no
     later execve could give anything back; PR_CAPBSET_READ fails past
     the last capability this kernel knows.  */
  for (int cap = 0; prctl (PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
    if (prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
      return rt_fail (err, errno, "drop capability %d from the bounding set", cap);
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    return rt_fail (err, errno, "clear the ambient capabilities");
  if (syscall (SYS_capset, &hdr, data) < 0)
    return rt_fail (err, errno, "clear the capability sets");
  return 0;
}

int
sandbox_enter (const char *resolv_text, rt_error *err)
{
  int ret;

  ret = new_namespaces (err);
  if (ret >= 0)
    ret = empty_root (resolv_text, err);
  if (ret >= 0)
    ret = drop_capabilities (err);
  if (ret >= 0 && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    ret = rt_fail (err, errno, "set no_new_privs");
  if (ret >= 0)
    ret = seccomp_install (err);
  if (ret < 0)
    return rt_wrap (err, "sandbox (run with --disable-sandbox only to debug)");
  return 0;
}
