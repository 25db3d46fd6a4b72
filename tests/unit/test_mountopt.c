/* mountopt_parse: table-driven results, data joining, the features list.  */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <sys/mount.h>

#include "mountopt.h"
#include "tap.h"
#include "util.h"

struct parse_case
{
  const char *opts[6];
  unsigned long flags, clear, propagation;
  uint64_t attr_set, attr_clr;
  bool bind, rbind, idmap, ridmap, copyup;
  const char *data;
};

static const struct parse_case cases[] = {
  { { "ro" }, MS_RDONLY, 0, 0, 0, 0, false, false, false, false, false, NULL },
  { { "rw" }, 0, MS_RDONLY, 0, 0, 0, false, false, false, false, false, NULL },
  { { "ro", "rw" }, 0, MS_RDONLY, 0, 0, 0, false, false, false, false, false, NULL },
  { { "rw", "ro" }, MS_RDONLY, 0, 0, 0, 0, false, false, false, false, false, NULL },
  { { "nosuid", "nodev", "noexec", "relatime" }, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME, 0, 0, 0, 0,
    false, false, false, false, false, NULL },
  { { "suid", "dev", "exec", "atime" }, 0, MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME, 0, 0, 0, false, false,
    false, false, false, NULL },
  { { "sync", "dirsync", "mand", "iversion", "lazytime", "silent" },
    MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_I_VERSION | MS_LAZYTIME | MS_SILENT, 0, 0, 0, 0, false, false,
    false, false, false, NULL },
  { { "async", "nomand", "noiversion", "nolazytime", "loud" }, 0,
    MS_SYNCHRONOUS | MS_MANDLOCK | MS_I_VERSION | MS_LAZYTIME | MS_SILENT, 0, 0, 0, false, false, false, false, false,
    NULL },
  { { "noatime", "nodiratime", "strictatime", "nosymfollow" },
    MS_NOATIME | MS_NODIRATIME | MS_STRICTATIME | MS_NOSYMFOLLOW, 0, 0, 0, 0, false, false, false, false, false,
    NULL },
  { { "diratime", "norelatime", "nostrictatime", "symfollow" }, 0,
    MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW, 0, 0, 0, false, false, false, false, false, NULL },
  { { "remount" }, MS_REMOUNT, 0, 0, 0, 0, false, false, false, false, false, NULL },
  { { "bind" }, MS_BIND, 0, 0, 0, 0, true, false, false, false, false, NULL },
  { { "rbind" }, MS_BIND | MS_REC, 0, 0, 0, 0, true, true, false, false, false, NULL },
  { { "private" }, 0, 0, MS_PRIVATE, 0, 0, false, false, false, false, false, NULL },
  { { "rprivate" }, 0, 0, MS_PRIVATE | MS_REC, 0, 0, false, false, false, false, false, NULL },
  { { "shared" }, 0, 0, MS_SHARED, 0, 0, false, false, false, false, false, NULL },
  { { "rshared" }, 0, 0, MS_SHARED | MS_REC, 0, 0, false, false, false, false, false, NULL },
  { { "slave" }, 0, 0, MS_SLAVE, 0, 0, false, false, false, false, false, NULL },
  { { "rslave" }, 0, 0, MS_SLAVE | MS_REC, 0, 0, false, false, false, false, false, NULL },
  { { "unbindable" }, 0, 0, MS_UNBINDABLE, 0, 0, false, false, false, false, false, NULL },
  { { "runbindable" }, 0, 0, MS_UNBINDABLE | MS_REC, 0, 0, false, false, false, false, false, NULL },
  { { "rshared", "rslave" }, 0, 0, MS_SLAVE | MS_REC, 0, 0, false, false, false, false, false, NULL },
  { { "rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnosymfollow" }, 0, 0, 0,
    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME
        | MOUNT_ATTR_NOSYMFOLLOW,
    0, false, false, false, false, false, NULL },
  { { "rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow" }, 0, 0, 0, 0,
    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME
        | MOUNT_ATTR_NOSYMFOLLOW,
    false, false, false, false, false, NULL },
  { { "rro", "rrw" }, 0, 0, 0, 0, MOUNT_ATTR_RDONLY, false, false, false, false, false, NULL },
  { { "rrw", "rro" }, 0, 0, 0, MOUNT_ATTR_RDONLY, 0, false, false, false, false, false, NULL },
  /* The atime modes are one field: setting one needs all of __ATIME in
     attr_clr, and a later one replaces an earlier one.  */
  { { "rnoatime" }, 0, 0, 0, MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME, false, false, false, false, false, NULL },
  { { "rstrictatime" }, 0, 0, 0, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME, false, false, false, false, false,
    NULL },
  { { "rnoatime", "rstrictatime" }, 0, 0, 0, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME, false, false, false, false,
    false, NULL },
  { { "rnoatime", "rrelatime" }, 0, 0, 0, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME, false, false, false, false, false,
    NULL },
  { { "rnoatime", "ratime" }, 0, 0, 0, 0, MOUNT_ATTR__ATIME, false, false, false, false, false, NULL },
  { { "rnorelatime" }, 0, 0, 0, 0, 0, false, false, false, false, false, NULL },
  { { "idmap" }, 0, 0, 0, 0, 0, false, false, true, false, false, NULL },
  { { "ridmap" }, 0, 0, 0, 0, 0, false, false, false, true, false, NULL },
  { { "tmpcopyup" }, 0, 0, 0, 0, 0, false, false, false, false, true, NULL },
  { { "defaults" }, 0, 0, 0, 0, 0, false, false, false, false, false, NULL },
  { { "" }, 0, 0, 0, 0, 0, false, false, false, false, false, NULL },
  /* Unknown options are data, in order, comma-joined.  */
  { { "mode=755" }, 0, 0, 0, 0, 0, false, false, false, false, false, "mode=755" },
  { { "nosuid", "mode=1777", "size=65536k", "noexec" }, MS_NOSUID | MS_NOEXEC, 0, 0, 0, 0, false, false, false,
    false, false, "mode=1777,size=65536k" },
  { { "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" }, 0, 0, 0, 0, 0, false, false, false, false, false,
    "newinstance,ptmxmode=0666,mode=0620,gid=5" },
  { { "lowerdir=/a:/b", "upperdir=/u", "workdir=/w" }, 0, 0, 0, 0, 0, false, false, false, false, false,
    "lowerdir=/a:/b,upperdir=/u,workdir=/w" },
  { { "acl", "RO", "context=\"a,b\"" }, 0, 0, 0, 0, 0, false, false, false, false, false, "acl,RO,context=\"a,b\"" },
};

static size_t
count (const char *const *v)
{
  size_t n = 0;
  while (n < 6 && v[n])
    n++;
  return n;
}

static void
test_cases (void)
{
  for (size_t i = 0; i < ARRAY_SIZE (cases); i++)
    {
      const struct parse_case *c = &cases[i];
      char *opts[6];
      size_t n = count (c->opts);
      char label[128] = "";
      rt_error err = { 0 };
      mount_opts o;

      for (size_t j = 0; j < n; j++)
        {
          opts[j] = (char *) c->opts[j];
          strncat (label, c->opts[j], sizeof label - strlen (label) - 2);
          strcat (label, " ");
        }
      is_int (mountopt_parse (opts, n, "mounts[0]", &o, &err), 0, "[%s] parses", label);
      is_int (o.flags, c->flags, "[%s] flags", label);
      is_int (o.clear, c->clear, "[%s] cleared flags", label);
      is_int (o.propagation, c->propagation, "[%s] propagation", label);
      is_int (o.attr_set, c->attr_set, "[%s] attr_set", label);
      is_int (o.attr_clr, c->attr_clr, "[%s] attr_clr", label);
      ok (o.bind == c->bind && o.recursive_bind == c->rbind, "[%s] bind/rbind", label);
      ok (o.idmap == c->idmap && o.ridmap == c->ridmap && o.tmpcopyup == c->copyup, "[%s] extensions", label);
      is_str (o.data, c->data, "[%s] data", label);
      mountopt_free (&o);
    }
}

static void
test_errors (void)
{
  char *opts[] = { (char *) "ro", NULL };
  rt_error err = { 0 };
  mount_opts o;

  ok (mountopt_parse (opts, 2, "mounts[7]", &o, &err) < 0, "a NULL option is an error");
  like (err.msg, "mounts[7]: options[1]", "the error names the mount and the option");
  ok (mountopt_parse (NULL, 0, "mounts[0]", &o, &err) == 0 && o.data == NULL && o.flags == 0,
      "no options: nothing set");
  mountopt_free (&o);
}

/* Every name `features` announces is an option, never data; the list is
   sorted and matches runc's (idmap and ridmap are accepted, not listed).  */
static void
test_known (void)
{
  static const char *const runc_list
      = "async atime bind defaults dev diratime dirsync exec iversion lazytime loud mand noatime nodev nodiratime "
        "noexec noiversion nolazytime nomand norelatime nostrictatime nosuid nosymfollow private ratime rbind rdev "
        "rdiratime relatime remount rexec rnoatime rnodev rnodiratime rnoexec rnorelatime rnostrictatime rnosuid "
        "rnosymfollow ro rprivate rrelatime rro rrw rshared rslave rstrictatime rsuid rsymfollow runbindable rw "
        "shared silent slave strictatime suid symfollow sync tmpcopyup unbindable";
  char joined[2048] = "";
  bool sorted = true, all_options = true;
  size_t n = 0;

  for (const char *const *k = mountopt_known; *k; k++, n++)
    {
      char *opt[1] = { (char *) *k };
      rt_error err = { 0 };
      mount_opts o;

      if (n > 0 && strcmp (k[-1], k[0]) >= 0)
        sorted = false;
      if (mountopt_parse (opt, 1, "x", &o, &err) < 0 || o.data != NULL)
        all_options = false;
      mountopt_free (&o);
      if (n)
        strcat (joined, " ");
      strcat (joined, *k);
    }
  ok (sorted, "mountopt_known is sorted");
  ok (all_options, "every known option is parsed as an option");
  is_str (joined, runc_list, "mountopt_known matches runc's features list");
}

int
main (void)
{
  test_cases ();
  test_errors ();
  test_known ();
  return tap_done ();
}
