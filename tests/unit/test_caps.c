#include "config.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "caps.h"
#include "process.h"
#include "tap.h"
#include "child.h"
#include "util.h"

#define BIT(c) (UINT64_C (1) << (c))

static char warnings[4096];

static void
collect_warning (const char *msg, void *data)
{
  (void) data;
  strncat (warnings, msg, sizeof warnings - strlen (warnings) - 2);
  strcat (warnings, "\n");
}

static void
test_names (void)
{
  size_t n = 0;
  bool round_trip = true;

  while (caps_all_names[n])
    n++;
  is_int (n, 41, "caps_all_names lists the 41 capabilities up to CAP_CHECKPOINT_RESTORE");
  for (int i = 0; i < 41; i++)
    if (caps_from_name (caps_name (i)) != i)
      round_trip = false;
  ok (round_trip, "caps_from_name (caps_name (i)) == i for every capability");
  is_int (caps_from_name ("CAP_SYS_ADMIN"), CAP_SYS_ADMIN, "CAP_SYS_ADMIN is the kernel's number");
  is_int (caps_from_name ("CAP_CHECKPOINT_RESTORE"), 40, "CAP_CHECKPOINT_RESTORE is 40");
  is_str (caps_name (CAP_NET_BIND_SERVICE), "CAP_NET_BIND_SERVICE", "caps_name");
  ok (caps_name (41) == NULL && caps_name (-1) == NULL, "no name outside the table");
  is_int (caps_from_name ("CAP_FOO"), -EINVAL, "unknown name");
  is_int (caps_from_name ("cap_chown"), -EINVAL, "names are case-sensitive, like runc's map");
  is_int (caps_from_name (NULL), -EINVAL, "NULL name");
}

static void
test_last_cap (void)
{
  _cleanup_free_ char *text = NULL;
  rt_error err = { 0 };

  ok (read_file_at (AT_FDCWD, "/proc/sys/kernel/cap_last_cap", &text, &err) > 0, "read cap_last_cap");
  is_int (caps_last_cap (), atoi (text), "caps_last_cap matches the kernel");
}

static char *names_a[] = { "CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE", "CAP_FOO" };
static char *names_e[] = { "CAP_CHOWN", "CAP_KILL" };
static char *names_p[] = { "CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE" };
static char *names_i[] = { "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_BAR", "CAP_FOO" };
static char *names_amb[] = { "CAP_NET_BIND_SERVICE" };

static const spec_capabilities spec_a = {
  .bounding = names_a,
  .n_bounding = 5,
  .effective = names_e,
  .n_effective = 2,
  .inheritable = names_i,
  .n_inheritable = 4,
  .permitted = names_p,
  .n_permitted = 3,
  .ambient = names_amb,
  .n_ambient = 1,
};

static void
test_plan (void)
{
  static char *amb_extra[] = { "CAP_NET_BIND_SERVICE", "CAP_SYS_TIME", "CAP_CHOWN", "CAP_NOPE" };
  spec_capabilities c = spec_a;
  rt_error err = { 0 };
  caps_plan plan;

  warnings[0] = '\0';
  rt_set_warn_handler (collect_warning, NULL);
  rt_set_debug_handler (collect_warning, NULL);
  is_int (caps_plan_from_spec (&spec_a, &plan, &err), 0, "plan from a spec with all five sets");
  ok (plan.bounding == (BIT (CAP_CHOWN) | BIT (CAP_KILL) | BIT (CAP_NET_BIND_SERVICE) | BIT (CAP_AUDIT_WRITE)),
      "bounding set");
  ok (plan.effective == (BIT (CAP_CHOWN) | BIT (CAP_KILL)), "effective set");
  ok (plan.permitted == (BIT (CAP_CHOWN) | BIT (CAP_KILL) | BIT (CAP_NET_BIND_SERVICE)), "permitted set");
  ok (plan.inheritable == (BIT (CAP_KILL) | BIT (CAP_NET_BIND_SERVICE)), "inheritable set, unknown names dropped");
  ok (plan.ambient == BIT (CAP_NET_BIND_SERVICE), "ambient set");
  is_str (warnings, "ignoring unknown or unavailable capabilities: [CAP_BAR CAP_FOO]\n",
          "one warning naming the unknown capabilities sorted and once each, in runc's words");

  /* Ambient entries the kernel would refuse are dropped with a note (debug
     for the inheritable rule, warning for the permitted one).  */
  c.ambient = amb_extra;
  c.n_ambient = 4;
  warnings[0] = '\0';
  caps_plan_from_spec (&c, &plan, &err);
  ok (plan.ambient == BIT (CAP_NET_BIND_SERVICE), "ambient keeps only what is both inheritable and permitted");
  like (warnings,
        "unable to set Ambient capabilities which are not set in Inheritable; ignoring following Ambient "
        "capabilities: [CAP_CHOWN CAP_SYS_TIME]",
        "ambient outside inheritable: runc's message, at debug level");
  like (warnings, "ignoring unknown or unavailable capabilities: [CAP_BAR CAP_FOO CAP_NOPE]",
        "unknown names of every set gathered in one warning");

  c.ambient = names_i;
  c.n_ambient = 2;
  c.permitted = names_e;
  c.n_permitted = 2;
  warnings[0] = '\0';
  caps_plan_from_spec (&c, &plan, &err);
  ok (plan.ambient == BIT (CAP_KILL), "ambient outside permitted dropped");
  like (warnings, "not set in Permitted; ignoring following Ambient capabilities: [CAP_NET_BIND_SERVICE]",
        "ambient outside permitted: warning");

  warnings[0] = '\0';
  plan.bounding = 1;
  is_int (caps_plan_from_spec (NULL, &plan, &err), 0, "NULL capabilities");
  ok (plan.bounding == 0 && plan.effective == 0 && plan.permitted == 0 && plan.inheritable == 0 && plan.ambient == 0,
      "NULL capabilities give the empty plan");
  is_str (warnings, "", "and no warning");
  rt_set_warn_handler (NULL, NULL);
  rt_set_debug_handler (NULL, NULL);
}

/* The five Cap* lines of /proc/self/status as "CapInh=...;CapPrm=...;...".  */
static void
say_caps (int out, const char *tag)
{
  _cleanup_free_ char *status = NULL;
  rt_error err = { 0 };
  char *line, *save = NULL, uid[128] = "";

  if (read_file_at (AT_FDCWD, "/proc/self/status", &status, &err) < 0)
    return;
  child_say (out, "%s:", tag);
  for (line = strtok_r (status, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *tab;
      while ((tab = strchr (line, '\t')))
        *tab = ' ';
      if (strncmp (line, "Cap", 3) == 0)
        child_say (out, " %s;", line);
      else if (strncmp (line, "Uid:", 4) == 0)
        snprintf (uid, sizeof uid, "%s", line);
    }
  child_say (out, " (%s)\n", uid);
}

struct apply_args
{
  const caps_plan *plan;
  uint32_t uid;
  bool exec_after;
};

static int
child_apply (void *data, int out)
{
  struct apply_args *a = data;
  spec_process proc = { .user = { .uid = a->uid, .gid = a->uid } };
  rt_error err = { 0 };

  if (caps_apply_bounding (a->plan, &err) < 0 || proc_set_identity (&proc, true, &err) < 0
      || caps_apply (a->plan, &err) < 0)
    {
      child_say (out, "error: %s\n", err.msg);
      return 1;
    }
  say_caps (out, "after");
  if (!a->exec_after)
    return 0;
  /* Across execve a non-root process keeps only its ambient set as
     permitted and effective: proof that the ambient set is real.  */
  dup2 (out, 1);
  execl ("/bin/busybox", "busybox", "sh", "-c",
         "printf 'exec:'; grep -E '^Cap(Prm|Eff|Amb)' /proc/self/status | tr '\\t\\n' ' ;'", (char *) NULL);
  return 127;
}

/* Apply `plan` in a child switching to `uid`; the child's report goes back
   in *text for further checks.  */
static void
check_apply (const caps_plan *plan, uint32_t uid, bool exec_after, const char *want, const char *what, char **text)
{
  struct apply_args args = { .plan = plan, .uid = uid, .exec_after = exec_after };

  *text = run_child_ok (child_apply, &args, what);
  like (*text, want, "%s: CapInh/CapPrm/CapEff/CapBnd/CapAmb exactly as planned", what);
}

static void
test_apply (void)
{
  caps_plan plan;
  rt_error err = { 0 };
  char *text = NULL;

  rt_set_warn_handler (collect_warning, NULL);
  rt_set_debug_handler (collect_warning, NULL);
  caps_plan_from_spec (&spec_a, &plan, &err);
  rt_set_warn_handler (NULL, NULL);
  rt_set_debug_handler (NULL, NULL);

  check_apply (&plan, 1000, true,
               "after: CapInh: 0000000000000420; CapPrm: 0000000000000421; CapEff: 0000000000000021; "
               "CapBnd: 0000000020000421; CapAmb: 0000000000000400;",
               "uid 1000", &text);
  like (text, "(Uid: 1000 1000 1000 1000)", "real, effective, saved and fs uid are 1000");
  like (text, "exec:CapPrm: 0000000000000400;CapEff: 0000000000000400;CapAmb: 0000000000000400;",
        "after execve as uid 1000 the ambient capability is permitted and effective");
  free (text);

  check_apply (&plan, 0, false,
               "after: CapInh: 0000000000000420; CapPrm: 0000000000000421; CapEff: 0000000000000021; "
               "CapBnd: 0000000020000421; CapAmb: 0000000000000400;",
               "staying root", &text);
  free (text);

  caps_plan_from_spec (NULL, &plan, &err);
  check_apply (&plan, 1000, false,
               "after: CapInh: 0000000000000000; CapPrm: 0000000000000000; CapEff: 0000000000000000; "
               "CapBnd: 0000000000000000; CapAmb: 0000000000000000;",
               "the empty plan (bounding set included)", &text);
  free (text);
}

static int
child_bounding_without_setpcap (void *data, int out)
{
  caps_plan plan = { .bounding = BIT (CAP_CHOWN) };
  rt_error err = { 0 };

  (void) data;
  /* Without CAP_SETPCAP in the effective set, the drop fails and the
     error names the capability.  */
  if (child_drop_effective (CAP_SETPCAP) < 0)
    return 4;
  if (caps_apply_bounding (&plan, &err) == 0)
    return 5;
  child_say (out, "%s", err.msg);
  return 0;
}

static void
test_bounding_error (void)
{
  char *text = run_child_ok (child_bounding_without_setpcap, NULL,
                             "dropping from the bounding set fails without CAP_SETPCAP");
  like (text, "drop CAP_DAC_OVERRIDE from the bounding set: Operation not permitted",
        "the error names the capability and the errno");
  free (text);
}

int
main (void)
{
  if (geteuid () != 0)
    {
      puts ("1..0 # SKIP needs root");
      return 0;
    }
  test_names ();
  test_last_cap ();
  test_plan ();
  test_apply ();
  test_bounding_error ();
  return tap_done ();
}
