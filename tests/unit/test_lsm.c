#include "config.h"

#include <fcntl.h>

#include "lsm.h"
#include "tap.h"
#include "util.h"

static void
test_check (void)
{
  lsm_host none = { false, false }, aa = { true, false }, se = { false, true };
  lsm_request cfg = {
    .apparmor_profile = "foo",
    .apparmor_field = "process.apparmorProfile",
    .selinux_field = "process.selinuxLabel",
  };
  lsm_request empty = { .apparmor_profile = "", .apparmor_field = "x", .selinux_label = "", .selinux_field = "y",
                        .mount_label = "" };
  rt_error err = { 0 };

  is_int (lsm_check (&none, &empty, &err), 0, "empty strings ask for nothing");
  ok (lsm_check (&none, &cfg, &err) < 0, "a profile without AppArmor is refused");
  is_str (err.msg,
          "process.apparmorProfile: apparmor profile \"foo\" requested but AppArmor is not enabled on this host",
          "AppArmor message names the field and the profile");
  is_int (lsm_check (&aa, &cfg, &err), 0, "a profile with AppArmor is fine");
  ok (lsm_check (&se, &cfg, &err) < 0, "SELinux alone does not do AppArmor");

  cfg.apparmor_profile = NULL;
  cfg.selinux_label = "system_u:system_r:container_t:s0";
  cfg.selinux_field = "--process-label";
  ok (lsm_check (&aa, &cfg, &err) < 0, "a label without SELinux is refused");
  is_str (err.msg,
          "--process-label: SELinux label \"system_u:system_r:container_t:s0\" requested but SELinux is not enabled "
          "on this host",
          "SELinux message names the flag given to exec");
  is_int (lsm_check (&se, &cfg, &err), 0, "a label with SELinux is fine");

  cfg.selinux_label = NULL;
  cfg.mount_label = "system_u:object_r:container_file_t:s0";
  ok (lsm_check (&none, &cfg, &err) < 0, "a mount label without SELinux is refused");
  like (err.msg, "linux.mountLabel: SELinux mount label \"system_u:object_r:container_file_t:s0\" requested",
        "mount label message");
  is_int (lsm_check (&se, &cfg, &err), 0, "a mount label with SELinux is fine");
}

static void
test_label_mounts (void)
{
  char *bind_opts[] = { "rbind", "ro" };
  char *tmpfs_opts[] = { "nosuid", "mode=755" };
  spec_mount m[4];
  spec s;

  memset (&s, 0, sizeof s);
  memset (m, 0, sizeof m);
  m[0].destination = "/proc";
  m[0].type = "proc";
  m[1].destination = "/dev";
  m[1].type = "tmpfs";
  m[1].options = xmalloc (3 * sizeof (char *));
  m[1].options[0] = xstrdup (tmpfs_opts[0]);
  m[1].options[1] = xstrdup (tmpfs_opts[1]);
  m[1].options[2] = NULL;
  m[1].n_options = 2;
  m[2].destination = "/data";
  m[2].type = "none";
  m[2].options = bind_opts;
  m[2].n_options = 2;
  m[3].destination = "/dev/mqueue";
  m[3].type = "mqueue";
  s.mounts = m;
  s.n_mounts = 4;

  lsm_label_mounts (&s, NULL);
  is_int (m[1].n_options, 2, "no label: nothing added");
  lsm_label_mounts (&s, "system_u:object_r:container_file_t:s0");
  is_int (m[0].n_options, 0, "proc is not labelled");
  is_int (m[1].n_options, 3, "tmpfs gets one more option");
  is_str (m[1].options[2], "context=\"system_u:object_r:container_file_t:s0\"", "the context option, quoted");
  ok (m[1].options[3] == NULL, "the option list stays NULL-terminated");
  is_int (m[2].n_options, 2, "a bind mount is not labelled");
  is_int (m[3].n_options, 0, "mqueue is not labelled");
  strv_free_n (m[1].options, m[1].n_options);
}

static void
test_host (void)
{
  lsm_host h;
  lsm_host_detect (&h);
  /* This only checks that detection agrees with what the kernel lists.  */
  {
    _cleanup_free_ char *lsms = NULL;
    rt_error err = { 0 };
    bool listed_aa = false, listed_se = false;
    if (read_file_at (AT_FDCWD, "/sys/kernel/security/lsm", &lsms, &err) >= 0)
      {
        listed_aa = strstr (lsms, "apparmor") != NULL;
        listed_se = strstr (lsms, "selinux") != NULL;
      }
    ok (!h.apparmor || listed_aa, "AppArmor is only detected where the kernel runs it");
    ok (!h.selinux || listed_se, "SELinux is only detected where the kernel runs it");
  }
}

int
main (void)
{
  test_check ();
  test_label_mounts ();
  test_host ();
  return tap_done ();
}
