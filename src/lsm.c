/* AppArmor and SELinux for the container process (see lsm.h).  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lsm.h"
#include "util.h"

#define SELINUX_MAGIC 0xf97cff8cU

static bool
is_selinuxfs (const char *path)
{
  struct statfs sf;
  return statfs (path, &sf) == 0 && (unsigned int) sf.f_type == SELINUX_MAGIC;
}

void
lsm_host_detect (lsm_host *h)
{
  char c = 0;
  struct stat st;
  _cleanup_close_ int fd = -1;

  h->apparmor = false;
  if (stat ("/sys/kernel/security/apparmor", &st) == 0)
    {
      fd = open ("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
      h->apparmor = fd >= 0 && read (fd, &c, 1) == 1 && c == 'Y';
    }
  h->selinux = is_selinuxfs ("/sys/fs/selinux") || is_selinuxfs ("/selinux");
}

static bool
set (const char *s)
{
  return s && s[0];
}

int
lsm_check (const lsm_host *h, const lsm_request *r, rt_error *err)
{
  if (set (r->apparmor_profile) && !h->apparmor)
    return rt_failx (err, EINVAL, "%s: apparmor profile \"%s\" requested but AppArmor is not enabled on this host",
                     r->apparmor_field, r->apparmor_profile);
  if (set (r->selinux_label) && !h->selinux)
    return rt_failx (err, EINVAL, "%s: SELinux label \"%s\" requested but SELinux is not enabled on this host",
                     r->selinux_field, r->selinux_label);
  if (set (r->mount_label) && !h->selinux)
    return rt_failx (err, EINVAL,
                     "linux.mountLabel: SELinux mount label \"%s\" requested but SELinux is not enabled on this host",
                     r->mount_label);
  return 0;
}

static bool
takes_label (const spec_mount *m)
{
  static const char *const unlabelled[] = { "proc", "sysfs", "mqueue", "cgroup", "cgroup2", "bind" };

  for (size_t i = 0; i < m->n_options; i++)
    if (m->options[i] && (strcmp (m->options[i], "bind") == 0 || strcmp (m->options[i], "rbind") == 0))
      return false;
  for (size_t i = 0; m->type && i < ARRAY_SIZE (unlabelled); i++)
    if (strcmp (m->type, unlabelled[i]) == 0)
      return false;
  return true;
}

void
lsm_label_mounts (spec *s, const char *mount_label)
{
  if (!set (mount_label))
    return;
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      spec_mount *m = &s->mounts[i];
      if (!takes_label (m))
        continue;
      m->options = xrealloc (m->options, (m->n_options + 2) * sizeof *m->options);
      xasprintf (&m->options[m->n_options++], "context=\"%s\"", mount_label);
      m->options[m->n_options] = NULL;
    }
}

static int
write_attr (const char *path, const char *value, const char *what, rt_error *err)
{
  _cleanup_close_ int fd = open (path, O_WRONLY | O_CLOEXEC);

  if (fd < 0)
    return rt_fail (err, errno, "%s: open `%s`", what, path);
  if (write_all (fd, value, strlen (value)) < 0)
    return rt_fail (err, errno, "%s: write `%s`", what, path);
  return 0;
}

int
lsm_apply_exec (const char *apparmor_profile, const char *selinux_label, rt_error *err)
{
  if (set (apparmor_profile))
    {
      _cleanup_free_ char *cmd = NULL;
      /* The AppArmor-specific file is there when several LSMs are
         stacked; the generic one is the older interface.  */
      const char *path = access ("/proc/thread-self/attr/apparmor/exec", F_OK) == 0
                             ? "/proc/thread-self/attr/apparmor/exec"
                             : "/proc/thread-self/attr/exec";
      xasprintf (&cmd, "exec %s", apparmor_profile);
      if (write_attr (path, cmd, "apply apparmor profile", err) < 0)
        return rt_error_ret (err);
    }
  if (set (selinux_label) && write_attr ("/proc/thread-self/attr/exec", selinux_label, "set SELinux label", err) < 0)
    return rt_error_ret (err);
  return 0;
}
