#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intelrdt.h"
#include "tap.h"
#include "util.h"

static void
build (const char *l3, const char *mb, char **schemata, size_t n, const char *want_legacy, const char *want_extra,
       const char *what)
{
  spec_intel_rdt r = { 0 };
  char *legacy, *extra;

  r.l3_cache_schema = (char *) l3;
  r.mem_bw_schema = (char *) mb;
  r.schemata = schemata;
  r.n_schemata = n;
  rdt_build_schemata (&r, &legacy, &extra);
  is_str (legacy, want_legacy, "%s: l3CacheSchema/memBwSchema part", what);
  is_str (extra, want_extra, "%s: schemata part", what);
  free (legacy);
  free (extra);
}

static void
test_build (void)
{
  char *sch[] = { "L3:0=7f0;1=1f\nL2:0=f;1=f;2=f;3=f\nMB:0=20;1=70" };
  char *two[] = { "L3:0=ff", "  MB:0=50\n" };

  build (NULL, NULL, NULL, 0, NULL, NULL, "nothing");
  build ("L3:0=ffff0;1=3ff", NULL, NULL, 0, "L3:0=ffff0;1=3ff\n", NULL, "l3 only");
  build (NULL, "MB:0=20;1=70", NULL, 0, "MB:0=20;1=70\n", NULL, "memBw only");
  build ("L3:0=ffff0;1=3ff", "MB:0=20;1=70", NULL, 0, "L3:0=ffff0;1=3ff\nMB:0=20;1=70\n", NULL, "both");
  build ("L3:0=ff\nMB:0=10\nL2:0=f", "MB:0=30", NULL, 0, "L3:0=ff\nL2:0=f\nMB:0=30\n", NULL,
         "MB: lines of l3CacheSchema give way to memBwSchema");
  build ("L3:0=ff\nMB:0=10", NULL, NULL, 0, "L3:0=ff\nMB:0=10\n", NULL, "MB: in l3CacheSchema kept without memBwSchema");
  build ("L3:0=ff", NULL, sch, 1, "L3:0=ff\n", "L3:0=7f0;1=1f\nL2:0=f;1=f;2=f;3=f\nMB:0=20;1=70\n",
         "schemata written after, as its own part");
  build (NULL, NULL, two, 2, NULL, "L3:0=ff\nMB:0=50\n", "several schemata entries, trimmed");
}

static void
test_match (void)
{
  const char *file = "    MB:0=100;1= 70\n    L3:0=007f0;1=fffff\n";
  rt_error err = { 0 };

  is_int (rdt_schemata_match (file, "L3:0=7f0\n", &err), 0, "leading zeros do not matter");
  is_int (rdt_schemata_match (file, "L3:1=fffff;0=7F0\nMB:1=70\n", &err), 0, "domain order and case do not matter");
  is_int (rdt_schemata_match (file, "", &err), 0, "nothing asked, nothing to differ");
  ok (rdt_schemata_match (file, "L3:0=ff\n", &err) < 0, "another mask is a mismatch");
  like (err.msg, "schemata line \"L3:0=ff\" does not match the group's: L3=007f0", "the mismatch is shown");
  ok (rdt_schemata_match (file, "MB:0=10\n", &err) < 0, "another bandwidth is a mismatch");
  ok (rdt_schemata_match (file, "L2:0=f\n", &err) < 0, "a resource the group lacks is a mismatch");
  like (err.msg, "has no domain 0", "the missing domain is named");
  ok (rdt_schemata_match (file, "L3:2=f\n", &err) < 0, "a domain the group lacks is a mismatch");
}

static char root[] = "/tmp/test_intelrdt.XXXXXX";

static char *
slurp (const char *fmt, const char *a, const char *b)
{
  _cleanup_free_ char *path = NULL;
  char *text = NULL;
  rt_error err = { 0 };

  xasprintf (&path, fmt, a, b);
  if (read_file_at (AT_FDCWD, path, &text, &err) < 0)
    return NULL;
  return text;
}

static bool
exists (const char *fmt, const char *a, const char *b)
{
  _cleanup_free_ char *path = NULL;
  struct stat st;
  xasprintf (&path, fmt, a, b);
  return stat (path, &st) == 0;
}

static void
clear_files (const char *dir)
{
  _cleanup_free_ char *a = NULL, *b = NULL;
  xasprintf (&a, "%s/schemata", dir);
  xasprintf (&b, "%s/tasks", dir);
  unlink (a);
  unlink (b);
}


/* resctrl itself cannot be mounted for a test: a directory plays it, with
   the files the kernel would have made written by hand.  */
static void
test_fs (void)
{
  spec_intel_rdt r = { 0 };
  rt_error err = { 0 };
  char *text;
  _cleanup_free_ char *group = NULL, *mon = NULL, *shared = NULL;

  if (mkdtemp (root) == NULL)
    abort ();
  xasprintf (&group, "%s/ctr1", root);

  r.l3_cache_schema = "L3:0=ff";
  is_int (rdt_apply (root, "ctr1", &r, 4242, &err), 0, "a new group named after the container");
  text = slurp ("%s/%s/schemata", root, "ctr1");
  is_str (text, "L3:0=ff\n", "its schemata is written");
  free (text);
  text = slurp ("%s/%s/tasks", root, "ctr1");
  is_str (text, "4242", "the init is in its tasks");
  free (text);
  clear_files (group);
  is_int (rdt_remove (root, "ctr1", &r, &err), 0, "remove it");
  ok (!exists ("%s/%s", root, "ctr1"), "the group is gone");

  r.l3_cache_schema = NULL;
  r.clos_id = "shared";
  ok (rdt_apply (root, "ctr1", &r, 4242, &err) < 0, "a closID without schemata must exist already");
  like (err.msg, "linux.intelRdt.closID: resctrl group `", "the error names the closID field");
  ok (!exists ("%s/%s", root, "shared"), "and nothing was left behind");

  xasprintf (&shared, "%s/shared", root);
  mkdir (shared, 0755);
  is_int (rdt_apply (root, "ctr1", &r, 4242, &err), 0, "a pre-made closID group is joined");
  text = slurp ("%s/%s/tasks", root, "shared");
  is_str (text, "4242", "the init is in its tasks");
  free (text);
  ok (!exists ("%s/%s/schemata", root, "shared"), "no schemata written without schemata fields");

  /* A pre-made group with a schemata that matches, then one that does not.  */
  {
    _cleanup_free_ char *p = NULL;
    rt_error e2 = { 0 };
    xasprintf (&p, "%s/schemata", shared);
    write_file_at (AT_FDCWD, p, "L3:0=000ff;1=fffff\nMB:0=100;1=100\n", 33, 0644, &e2);
  }
  r.l3_cache_schema = "L3:0=ff";
  is_int (rdt_apply (root, "ctr2", &r, 4243, &err), 0, "a matching closID group is accepted");
  text = slurp ("%s/%s/schemata", root, "shared");
  like (text, "L3:0=000ff;1=fffff", "and its schemata is left as it was");
  free (text);
  r.l3_cache_schema = "L3:0=f0";
  ok (rdt_apply (root, "ctr3", &r, 4244, &err) < 0, "a closID group with other settings is refused");
  like (err.msg, "closID group `", "the error names the group");
  is_int (rdt_remove (root, "ctr3", &r, &err), 0, "removing a container of a closID group");
  ok (exists ("%s/%s", root, "shared"), "leaves the shared group alone");

  /* Monitoring asked for, where resctrl has none.  */
  memset (&r, 0, sizeof r);
  r.enable_mbm = true;
  ok (rdt_apply (root, "ctr4", &r, 4245, &err) < 0, "monitoring without mon_groups is refused");
  like (err.msg, "linux.intelRdt.enableMonitoring: resctrl has no monitoring", "the message says why");
  is_int (rdt_remove (root, "ctr4", &r, &err), 0, "the rollback removes the new group");
  ok (!exists ("%s/%s", root, "ctr4"), "nothing left behind");

  /* A group named after the container, with monitoring.  */
  memset (&r, 0, sizeof r);
  r.l3_cache_schema = "L3:0=ff";
  r.mem_bw_schema = "MB:0=50";
  r.enable_monitoring = true;
  /* The kernel's mkdir would make mon_groups/ too: premade here.  */
  mkdir (group, 0755);
  {
    _cleanup_free_ char *mg = NULL;
    xasprintf (&mg, "%s/mon_groups", group);
    mkdir (mg, 0755);
  }
  is_int (rdt_apply (root, "ctr1", &r, 5000, &err), 0, "a new group with monitoring");
  text = slurp ("%s/%s/schemata", root, "ctr1");
  is_str (text, "L3:0=ff\nMB:0=50\n", "schemata written to the container's group");
  free (text);
  text = slurp ("%s/%s/mon_groups/ctr1/tasks", root, "ctr1");
  is_str (text, "5000", "the init is in the monitoring group");
  free (text);
  xasprintf (&mon, "%s/mon_groups/ctr1", group);
  is_int (rdt_join (root, "ctr1", &r, 5001, &err), 0, "an exec'd process joins");
  text = slurp ("%s/%s/mon_groups/ctr1/tasks", root, "ctr1");
  is_str (text, "5001", "the exec'd process is in the monitoring group");
  free (text);
  is_int (rdt_join (root, "other", &r, 5002, &err), 0, "joining a container without a group is a no-op");

  clear_files (mon);
  clear_files (group);
  /* The fake group keeps its mon_groups/ (the kernel's would go with the
     group): the first removal stops there.  */
  ok (rdt_remove (root, "ctr1", &r, &err) < 0, "remove the container's groups");
  ok (!exists ("%s/%s/mon_groups/ctr1", root, "ctr1"), "the monitoring group is gone");
  {
    _cleanup_free_ char *mg = NULL;
    xasprintf (&mg, "%s/mon_groups", group);
    rmdir (mg);
  }
  is_int (rdt_remove (root, "ctr1", &r, &err), 0, "then the group goes; a gone monitoring group is no error");
  ok (!exists ("%s/%s", root, "ctr1"), "the container's group is gone");
  is_int (rdt_remove (root, "ctr1", &r, &err), 0, "removing again is not an error");

  {
    clear_files (shared);
    {
      _cleanup_free_ char *p = NULL;
      xasprintf (&p, "%s/schemata", shared);
      unlink (p);
    }
    rmdir (shared);
  }
  ok (rmdir (root) == 0, "the fake resctrl tree is empty again");
}

static void
test_check (void)
{
  spec_intel_rdt r = { 0 };
  rt_error err = { 0 };
  static const char *const bad[] = { ".", "..", "a/b" };

  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      r.clos_id = (char *) bad[i];
      ok (rdt_check (RDT_ROOT_DEFAULT, &r, &err) < 0, "closID \"%s\" is refused", bad[i]);
      like (err.msg, "linux.intelRdt.closID: invalid intelRdt.ClosID", "closID message");
    }
  r.clos_id = NULL;
  ok (rdt_check ("/tmp", &r, &err) < 0, "a directory that is not resctrl is refused");
  is_str (err.msg, "linux.intelRdt: Intel RDT is not available: resctrl is not mounted on /tmp",
          "the error says resctrl is missing");
}

int
main (void)
{
  test_build ();
  test_match ();
  test_fs ();
  test_check ();
  return tap_done ();
}
