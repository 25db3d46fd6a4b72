/* Linux security modules for the container process: an AppArmor profile
 * (process.apparmorProfile, exec --apparmor), an SELinux process label
 * (process.selinuxLabel, exec --process-label) and an SELinux label for
 * the container's mounts (linux.mountLabel).
 *
 * A field is applied only where the host runs that LSM.  Asking for one
 * the host does not have is an error, found before anything is created:
 * running the container unconfined instead would silently drop the
 * protection its config asked for.  (runc fails too, but only from inside
 * the half-built container, with "write /proc/self/attr/exec: invalid
 * argument" or a failed tmpfs mount.)  */
#ifndef RT_LSM_H
#define RT_LSM_H

#include <stdbool.h>

#include "error.h"
#include "spec.h"

/* What the host has, as runc tests it: AppArmor when
 * /sys/kernel/security/apparmor exists and
 * /sys/module/apparmor/parameters/enabled says "Y"; SELinux when
 * selinuxfs is mounted on /sys/fs/selinux (or /selinux).  */
typedef struct lsm_host
{
  bool apparmor;
  bool selinux;
} lsm_host;

void lsm_host_detect (lsm_host *h);

/* The LSM fields of one process, with the names to use in messages
 * ("process.apparmorProfile" for a config, "--apparmor" for exec).  NULL
 * or "" means "not asked for".  */
typedef struct lsm_request
{
  const char *apparmor_profile;
  const char *apparmor_field;
  const char *selinux_label;
  const char *selinux_field;
  const char *mount_label; /* create only */
} lsm_request;

/* Refuse what the host cannot do, e.g.
 *   process.apparmorProfile: apparmor profile "foo" requested but AppArmor
 *   is not enabled on this host  */
int lsm_check (const lsm_host *h, const lsm_request *r, rt_error *err);

/* linux.mountLabel on an SELinux host: add context="<label>" to every
 * mount that takes one (not bind mounts, proc, sysfs, mqueue or cgroup
 * filesystems, which runc leaves unlabelled too).  */
void lsm_label_mounts (spec *s, const char *mount_label);

/* In the process, after the pivot (it writes the container's
 * /proc/thread-self/attr): the AppArmor profile and SELinux label to
 * switch to at the next execve.  */
int lsm_apply_exec (const char *apparmor_profile, const char *selinux_label, rt_error *err);

#endif
