#include "config.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "idmap.h"
#include "tap.h"
#include "util.h"

#define NOBODY 65534

static char tmpdir[] = "/tmp/test_idmap.XXXXXX";

static void
skip (const char *why)
{
  printf ("ok %d # SKIP %s\n", ++tap_n, why);
}

/* ---- pure parts ------------------------------------------------------------- */

static void
test_subid_parse (void)
{
  const char *text = "# comment\n"
                     "\n"
                     "alice:100000:65536\n"
                     "bob:200000:65536\n"
                     "1000:300000:10\n"
                     "alice:400000:0\n"         /* count 0 */
                     "alice:x:5\n"              /* not a number */
                     "alice:5\n"                /* too few fields */
                     "alice:1:2:3\n"            /* too many fields */
                     "alice:4294967290:100\n"   /* past 2^32 */
                     "alice:-1:5\n"             /* negative */
                     "alice: 7:5\n"             /* space */
                     "alicex:500000:5\n"        /* another name */
                     "alice:600000:1";          /* no final newline */
  rt_error err = { 0 };
  subid_range *r = NULL;
  size_t n = 99;

  ok (subid_parse (text, "alice", 1000, &r, &n, &err) == 0, "subid_parse");
  is_int (n, 3, "alice + uid 1000 entries");
  if (n == 3)
    {
      ok (r[0].start == 100000 && r[0].count == 65536, "first alice entry");
      ok (r[1].start == 300000 && r[1].count == 10, "numeric entry for uid 1000");
      ok (r[2].start == 600000 && r[2].count == 1, "last line without newline");
    }
  free (r);

  ok (subid_parse (text, NULL, 1000, &r, &n, &err) == 0 && n == 1 && r[0].start == 300000,
      "without a name only the numeric entry matches");
  free (r);
  ok (subid_parse (text, "carol", 1001, &r, &n, &err) == 0 && n == 0 && r != NULL, "no entries: empty, not NULL");
  free (r);
  ok (subid_parse ("", "alice", 1, &r, &n, &err) == 0 && n == 0, "empty text");
  free (r);
  ok (subid_parse ("alice:4294967295:1\nalice:4294967294:1\nalice:4294967200:96\n", "alice", 1, &r, &n, &err) == 0
          && n == 1 && r[0].start == 4294967294U,
      "a range may end at ID 4294967294 but not reach 4294967295");
  free (r);
}

static const spec_idmap own_uid[] = { { 0, 1000, 1 } };
static const spec_idmap two[] = { { 0, 1000, 1 }, { 1, 100000, 65536 } };

static void
test_plan (void)
{
  rt_error err = { 0 };
  enum idmap_method m = -1;

  ok (idmap_plan (two, 2, false, true, 0, &m, &err) == 0 && m == IDMAP_DIRECT, "privileged: direct");
  ok (idmap_plan (two, 2, true, true, 0, &m, &err) == 0 && m == IDMAP_DIRECT, "privileged gid: direct, setgroups kept");
  ok (idmap_plan (own_uid, 1, false, false, 1000, &m, &err) == 0 && m == IDMAP_DIRECT, "own uid alone: direct");
  ok (idmap_plan (own_uid, 1, true, false, 1000, &m, &err) == 0 && m == IDMAP_DIRECT_DENY, "own gid alone: deny first");
  ok (idmap_plan (own_uid, 1, false, false, 1001, &m, &err) == 0 && m == IDMAP_HELPER, "someone else's uid: helper");
  {
    static const spec_idmap wide[] = { { 0, 1000, 2 } };
    ok (idmap_plan (wide, 1, false, false, 1000, &m, &err) == 0 && m == IDMAP_HELPER, "own uid in a range of 2: helper");
  }
  ok (idmap_plan (two, 2, false, false, 1000, &m, &err) == 0 && m == IDMAP_HELPER, "two ranges: helper");

  /* what the kernel would refuse */
  static const struct
  {
    spec_idmap maps[2];
    size_t n;
    bool is_gid;
    const char *msg;
  } bad[] = {
    { { { 0 } }, 0, false, "linux.uidMappings is empty: a user namespace needs at least one mapping" },
    { { { 0 } }, 0, true, "linux.gidMappings is empty: a user namespace needs at least one mapping" },
    { { { 0, 1000, 0 } }, 1, false, "linux.uidMappings[0] (containerID 0, hostID 1000) has size 0" },
    { { { 0, 1000, 1 }, { 4294967000U, 5, 296 } }, 2, true,
      "linux.gidMappings[1] (containerID 4294967000, hostID 5, size 296) reaches past ID 4294967294" },
    { { { 0, 4294967295U, 1 } }, 1, false, "reaches past ID 4294967294" },
    { { { 0, 1000, 10 }, { 9, 5000, 1 } }, 2, false, "linux.uidMappings[0] and linux.uidMappings[1] overlap in container IDs" },
    { { { 0, 1000, 10 }, { 10, 1009, 1 } }, 2, false, "linux.uidMappings[0] and linux.uidMappings[1] overlap in host IDs" },
  };
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      is_int (idmap_plan (bad[i].maps, bad[i].n, bad[i].is_gid, true, 0, &m, &err), -EINVAL, "invalid map #%zu", i);
      like (err.msg, bad[i].msg, "invalid map #%zu message", i);
    }
  {
    static const spec_idmap edge[] = { { 0, 1000, 10 }, { 10, 1010, 1 }, { 4294967294U, 4294967294U, 1 },
                                       { 4294967000U, 2000, 294 } };
    ok (idmap_plan (edge, 4, false, true, 0, &m, &err) == 0, "adjacent ranges and the last mappable ID are fine");
  }
}

static void
test_check_subids (void)
{
  static const subid_range alice[] = { { 200000, 65536 } };
  static const subid_range split[] = { { 100000, 30000 }, { 130000, 35536 } };
  static const spec_idmap far[] = { { 0, 1000, 1 }, { 1, 100000, 65536 } };
  rt_error err = { 0 };

  ok (idmap_check_subids (far, 2, false, 1000, "alice", split, 2, &err) == 0, "covered by two adjacent entries");
  is_int (idmap_check_subids (far, 2, false, 1000, "alice", alice, 1, &err), -EPERM, "not covered");
  is_str (err.msg,
          "linux.uidMappings[1] (containerID 1, hostID 100000, size 65536) is not covered by /etc/subuid entries for "
          "user alice (alice has 200000-265535)",
          "the message names field, range, file, user and what the user has");
  is_int (idmap_check_subids (far, 2, true, 1000, "alice", NULL, 0, &err), -EPERM, "no entries at all");
  is_str (err.msg,
          "linux.gidMappings[1] (containerID 1, hostID 100000, size 65536) cannot be mapped: user alice has no entry "
          "in /etc/subgid",
          "no-entry message");
  is_int (idmap_check_subids (far, 2, false, 1000, NULL, NULL, 0, &err), -EPERM, "no user name");
  like (err.msg, "user uid 1000 has no entry in /etc/subuid", "the uid stands in for a missing name");
  {
    static const spec_idmap own_wide[] = { { 0, 1000, 2 } };
    static const subid_range has1001[] = { { 1001, 10 } };
    is_int (idmap_check_subids (own_wide, 1, false, 1000, "alice", has1001, 1, &err), -EPERM,
            "own uid in a larger range, as newuidmap sees it");
    like (err.msg, "your own ID can only be mapped in a range of size 1", "with a hint: %s", err.msg);
  }
  {
    static const spec_idmap partly[] = { { 0, 150000, 20000 } };
    is_int (idmap_check_subids (partly, 1, false, 1000, "alice", split, 1, &err), -EPERM, "half-covered range");
    like (err.msg, "linux.uidMappings[0] (containerID 0, hostID 150000, size 20000)", "names the first bad range");
  }
}

static void
test_format_and_lookup (void)
{
  static const spec_idmap big[] = { { 0, 4294967000U, 294 }, { 4294967000U, 0, 294 } };
  char *s;
  uint32_t out = 0;

  s = idmap_format (two, 2);
  is_str (s, "0 1000 1\n1 100000 65536\n", "idmap_format");
  free (s);
  s = idmap_format (big, 2);
  is_str (s, "0 4294967000 294\n4294967000 0 294\n", "idmap_format of large values");
  free (s);
  s = idmap_format (NULL, 0);
  is_str (s, "", "idmap_format of nothing");
  free (s);

  ok (idmap_host_to_container (two, 2, 1000, &out) && out == 0, "host 1000 -> 0");
  ok (idmap_host_to_container (two, 2, 100000, &out) && out == 1, "host 100000 -> 1");
  ok (idmap_host_to_container (two, 2, 165535, &out) && out == 65536, "last host ID of a range");
  ok (!idmap_host_to_container (two, 2, 165536, &out), "one past the range is unmapped");
  ok (!idmap_host_to_container (two, 2, 999, &out), "host 999 unmapped");
  ok (idmap_container_to_host (two, 2, 0, &out) && out == 1000, "container 0 -> 1000");
  ok (idmap_container_to_host (two, 2, 65536, &out) && out == 165535, "container 65536 -> 165535");
  ok (!idmap_container_to_host (two, 2, 65537, &out), "container 65537 unmapped");
  ok (idmap_host_to_container (big, 2, 4294967293U, &out) && out == 293, "no overflow near 2^32 (host)");
  ok (idmap_container_to_host (big, 2, 4294967293U, &out) && out == 293, "no overflow near 2^32 (container)");
  ok (!idmap_container_to_host (big, 2, 4294967294U, &out), "past the end near 2^32");
  ok (!idmap_host_to_container (NULL, 0, 0, &out), "empty map maps nothing");
}

/* ---- finding the helper ------------------------------------------------------ */

static char *
make_exec (const char *dir, const char *name, const char *body, mode_t mode)
{
  rt_error err = { 0 };
  char *path;

  xasprintf (&path, "%s/%s", dir, name);
  if (write_file_at (AT_FDCWD, path, body, strlen (body), 0700, &err) < 0 || chmod (path, mode) < 0)
    printf ("# could not create %s\n", path);
  return path;
}

/* A file capability (CAP_SETUID permitted, effective) as setcap would set it.  */
static int
set_file_cap (const char *path)
{
  struct vfs_cap_data cap = { 0 };

  cap.magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE;
  cap.data[0].permitted = 1U << CAP_SETUID;
  return setxattr (path, "security.capability", &cap, XATTR_CAPS_SZ_2, 0);
}

static void
test_find_helper (void)
{
  _cleanup_free_ char *bin = NULL, *plain = NULL, *suid = NULL, *capped = NULL, *noexec = NULL, *want = NULL;
  _cleanup_free_ char *path_env = NULL;
  rt_error err = { 0 };
  char *found = NULL;

  xasprintf (&bin, "%s/bin", tmpdir);
  mkdir (bin, 0755);
  plain = make_exec (bin, "plainmap", "#!/bin/sh\n", 0755);
  noexec = make_exec (bin, "noexecmap", "#!/bin/sh\n", 0644);
  xasprintf (&path_env, "relative:%s:/nonexistent", bin);

  is_int (idmap_find_helper ("newuidmap", "/nonexistent:relative", &found, &err), -ENOENT, "missing helper");
  is_str (err.msg, "newuidmap not found in PATH: install the uidmap package", "missing-helper message");
  is_int (idmap_find_helper ("noexecmap", path_env, &found, &err), -ENOENT, "a non-executable file does not count");
  is_int (idmap_find_helper ("plainmap", path_env, &found, &err), -EPERM, "a plain executable cannot gain privilege");
  xasprintf (&want, "plainmap at %s/plainmap is neither setuid root nor has file capabilities", bin);
  is_str (err.msg, want, "no-privilege message");

  if (geteuid () != 0)
    {
      skip ("setuid-root and file-capability helpers need root to make");
      return;
    }
  suid = make_exec (bin, "suidmap", "#!/bin/sh\n", 04755);
  ok (idmap_find_helper ("suidmap", path_env, &found, &err) == 0 && found && strcmp (found, suid) == 0,
      "a setuid-root helper is found: %s", found ? found : err.msg);
  free (found);
  found = NULL;
  capped = make_exec (bin, "capmap", "#!/bin/sh\n", 0755);
  if (set_file_cap (capped) < 0)
    skip ("cannot set security.capability here");
  else
    {
      ok (idmap_find_helper ("capmap", path_env, &found, &err) == 0 && found && strcmp (found, capped) == 0,
          "a helper with file capabilities is found");
      free (found);
      found = NULL;
    }
  ok (chown (suid, 65534, 65534) == 0 && chmod (suid, 04755) == 0, "make the setuid helper owned by nobody");
  is_int (idmap_find_helper ("suidmap", path_env, &found, &err), -EPERM, "setuid to someone else is not setuid root");
}

/* ---- applying, in child processes --------------------------------------------- */

/* What a scenario child did, for the parent to check.  */
struct outcome
{
  int ret;
  char msg[RT_ERROR_MSG_MAX];
  char uid_map[256], gid_map[256], setgroups[16];
};

struct scenario
{
  const char *name;
  const char *subuid, *subgid; /* non-NULL: /etc/sub[ug]id with this content (overlay in a private mount ns) */
  bool target_before_drop;     /* the target stays root-owned */
  bool drop;                   /* become nobody before applying */
  bool no_new_privs;
  const char *path;            /* $PATH for the apply */
  int leak_fd;                 /* > 0: leave this fd open without CLOEXEC */
  const spec_idmap *uid, *gid;
  size_t n_uid, n_gid;
};

/* "0 100000 65536;" per line, whitespace normalised.  */
static void
read_map (pid_t pid, const char *file, char *out, size_t size)
{
  _cleanup_free_ char *text = NULL;
  rt_error err = { 0 };
  char path[64], *line, *save = NULL;
  size_t o = 0;

  out[0] = '\0';
  snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, file);
  if (read_file_at (AT_FDCWD, path, &text, &err) < 0)
    return;
  for (line = strtok_r (text, "\n", &save); line && o < size; line = strtok_r (NULL, "\n", &save))
    {
      unsigned a, b, c;
      if (sscanf (line, "%u %u %u", &a, &b, &c) == 3)
        o += snprintf (out + o, size - o, "%u %u %u;", a, b, c);
      else
        o += snprintf (out + o, size - o, "%s", line);
    }
}

/* A process that sits in a new user namespace until `release` closes.  */
static pid_t
spawn_target (int *release)
{
  int ready[2], hold[2];
  char c;
  pid_t pid;

  if (pipe2 (ready, O_CLOEXEC) < 0 || pipe2 (hold, O_CLOEXEC) < 0)
    return -1;
  pid = fork ();
  if (pid == 0)
    {
      close (hold[1]);
      c = unshare (CLONE_NEWUSER) == 0 ? 'y' : 'n';
      if (write (ready[1], &c, 1) != 1)
        _exit (1);
      if (read (hold[0], &c, 1) < 0)
        _exit (1);
      _exit (0);
    }
  close (ready[1]);
  close (hold[0]);
  if (read (ready[0], &c, 1) != 1 || c != 'y')
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      pid = -1;
    }
  close (ready[0]);
  *release = hold[1];
  return pid;
}

static void
finish_target (pid_t pid, int release)
{
  close (release);
  waitpid (pid, NULL, 0);
}

/* Give the child a view of /etc with our own subuid/subgid files: a
   read-only overlay with an extra layer, in a private mount namespace, so
   the host's /etc is never touched.  */
static int
fake_etc (const struct scenario *sc, char *why, size_t size)
{
  rt_error err = { 0 };
  char layer[256], file[300], opts[600];

  snprintf (layer, sizeof layer, "%s/etc-%d", tmpdir, (int) getpid ());
  if (unshare (CLONE_NEWNS) < 0 || mount ("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return snprintf (why, size, "private mount namespace: %s", strerror (errno)), -1;
  if (mkdir (layer, 0755) < 0)
    return snprintf (why, size, "mkdir %s: %s", layer, strerror (errno)), -1;
  snprintf (file, sizeof file, "%s/subuid", layer);
  write_file_at (AT_FDCWD, file, sc->subuid, strlen (sc->subuid), 0644, &err);
  snprintf (file, sizeof file, "%s/subgid", layer);
  write_file_at (AT_FDCWD, file, sc->subgid, strlen (sc->subgid), 0644, &err);
  snprintf (opts, sizeof opts, "lowerdir=%s:/etc", layer);
  if (mount ("overlay", "/etc", "overlay", MS_RDONLY, opts) < 0)
    return snprintf (why, size, "overlay on /etc: %s", strerror (errno)), -1;
  return 0;
}

static int
become_nobody (void)
{
  if (setgroups (0, NULL) < 0 || setresgid (NOBODY, NOBODY, NOBODY) < 0 || setresuid (NOBODY, NOBODY, NOBODY) < 0)
    return -1;
  /* Changing credentials made us non-dumpable, and a child inheriting
     that gets a root-owned /proc/PID: newuidmap would refuse it.  */
  return prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);
}

static void
scenario_child (const struct scenario *sc, struct outcome *o)
{
  rt_error err = { 0 };
  pid_t target = -1;
  int release = -1;

  o->ret = -ENOTRECOVERABLE;
  if (sc->subuid && fake_etc (sc, o->msg, sizeof o->msg) < 0)
    return;
  if (sc->target_before_drop)
    target = spawn_target (&release);
  if (sc->drop && become_nobody () < 0)
    {
      snprintf (o->msg, sizeof o->msg, "cannot become nobody: %s", strerror (errno));
      return;
    }
  if (!sc->target_before_drop)
    target = spawn_target (&release);
  if (target < 0)
    {
      snprintf (o->msg, sizeof o->msg, "cannot make a user namespace");
      return;
    }
  if (sc->no_new_privs)
    prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (sc->leak_fd > 0)
    dup2 (0, sc->leak_fd);
  if (sc->path)
    setenv ("PATH", sc->path, 1);

  o->ret = idmap_apply (target, sc->uid, sc->n_uid, sc->gid, sc->n_gid, &err);
  memcpy (o->msg, err.msg, sizeof o->msg);
  read_map (target, "uid_map", o->uid_map, sizeof o->uid_map);
  read_map (target, "gid_map", o->gid_map, sizeof o->gid_map);
  read_map (target, "setgroups", o->setgroups, sizeof o->setgroups);
  finish_target (target, release);
}

/* Run a scenario in a forked child; the outcome comes back through shared
   memory-free means: a pipe.  */
static struct outcome
run_scenario (const struct scenario *sc)
{
  struct outcome o = { .ret = -ENOTRECOVERABLE };
  int p[2];
  pid_t pid;

  if (pipe2 (p, O_CLOEXEC) < 0)
    return o;
  pid = fork ();
  if (pid == 0)
    {
      close (p[0]);
      scenario_child (sc, &o);
      if (write (p[1], &o, sizeof o) != sizeof o)
        _exit (1);
      _exit (0);
    }
  close (p[1]);
  if (read (p[0], &o, sizeof o) != sizeof o)
    snprintf (o.msg, sizeof o.msg, "scenario child died");
  close (p[0]);
  waitpid (pid, NULL, 0);
  printf ("# %s: ret %d, %s | uid_map %s | gid_map %s | setgroups %s\n", sc->name, o.ret, o.msg, o.uid_map, o.gid_map,
          o.setgroups);
  return o;
}

static const spec_idmap wide_uid[] = { { 0, 100000, 65536 } };
static const spec_idmap nobody_only[] = { { 0, NOBODY, 1 } };
static const spec_idmap nobody_plus[] = { { 0, NOBODY, 1 }, { 1, 100000, 65536 } };

static bool
helper_usable (void)
{
  rt_error err = { 0 };
  _cleanup_free_ char *u = NULL, *g = NULL;
  return idmap_find_helper ("newuidmap", NULL, &u, &err) == 0 && idmap_find_helper ("newgidmap", NULL, &g, &err) == 0;
}

static void
test_apply (void)
{
  struct outcome o;

  if (geteuid () != 0)
    {
      skip ("idmap_apply scenarios need root (to play both root and nobody)");
      return;
    }

  {
    struct scenario sc = { .name = "privileged", .uid = wide_uid, .n_uid = 1, .gid = wide_uid, .n_gid = 1 };
    o = run_scenario (&sc);
    if (o.ret == -ENOTRECOVERABLE)
      {
        skip (o.msg);
        return;
      }
    is_int (o.ret, 0, "root writes a 65536-wide map directly");
    is_str (o.uid_map, "0 100000 65536;", "uid_map written");
    is_str (o.gid_map, "0 100000 65536;", "gid_map written");
    is_str (o.setgroups, "allow", "setgroups left alone for root");
  }
  {
    struct scenario sc = { .name = "own ids", .drop = true, .uid = nobody_only, .n_uid = 1, .gid = nobody_only,
                           .n_gid = 1 };
    o = run_scenario (&sc);
    is_int (o.ret, 0, "nobody maps its own uid and gid directly");
    is_str (o.uid_map, "0 65534 1;", "own uid_map");
    is_str (o.gid_map, "0 65534 1;", "own gid_map");
    is_str (o.setgroups, "deny", "setgroups denied before the gid map");
  }
  {
    struct scenario sc = { .name = "no helper", .drop = true, .path = "/nonexistent", .uid = nobody_plus, .n_uid = 2,
                           .gid = nobody_plus, .n_gid = 2 };
    o = run_scenario (&sc);
    is_int (o.ret, -ENOENT, "no newuidmap in PATH");
    like (o.msg, "newuidmap not found in PATH: install the uidmap package", "missing-helper message");
    like (o.msg, "set up uid mappings of process ", "wrapped with what was being done");
  }
  {
    struct scenario sc = { .name = "empty gid map", .uid = wide_uid, .n_uid = 1, .gid = NULL, .n_gid = 0 };
    o = run_scenario (&sc);
    is_int (o.ret, -EINVAL, "an empty gid map is refused");
    like (o.msg, "set up gid mappings of process", "after the uid map went in");
    like (o.msg, "linux.gidMappings is empty", "naming the field");
  }

  if (!helper_usable ())
    {
      skip ("newuidmap/newgidmap missing or not privileged: apt-get install uidmap");
      return;
    }
  {
    struct scenario sc = { .name = "no subuid entry", .subuid = "", .subgid = "", .drop = true, .uid = nobody_plus,
                           .n_uid = 2, .gid = nobody_plus, .n_gid = 2 };
    o = run_scenario (&sc);
    if (o.ret == -ENOTRECOVERABLE)
      {
        skip (o.msg);
        return;
      }
    is_int (o.ret, -EPERM, "a range without /etc/subuid entry is refused before running the helper");
    like (o.msg, "linux.uidMappings[1] (containerID 1, hostID 100000, size 65536) cannot be mapped: user nobody has "
                 "no entry in /etc/subuid",
          "no-entry message");
    is_str (o.uid_map, "", "nothing was written");
  }
  {
    struct scenario sc = { .name = "subuid elsewhere", .subuid = "nobody:200000:65536\n", .subgid = "", .drop = true,
                           .uid = nobody_plus, .n_uid = 2, .gid = nobody_plus, .n_gid = 2 };
    o = run_scenario (&sc);
    is_int (o.ret, -EPERM, "a range outside the user's subuids is refused");
    like (o.msg, "is not covered by /etc/subuid entries for user nobody (nobody has 200000-265535)", "coverage message");
  }
  {
    struct scenario sc = { .name = "newuidmap", .subuid = "nobody:100000:65536\n", .subgid = "nobody:100000:65536\n",
                           .drop = true, .uid = nobody_plus, .n_uid = 2, .gid = nobody_plus, .n_gid = 2 };
    o = run_scenario (&sc);
    is_int (o.ret, 0, "nobody maps 65537 IDs through newuidmap/newgidmap");
    is_str (o.uid_map, "0 65534 1;1 100000 65536;", "uid_map written by newuidmap");
    is_str (o.gid_map, "0 65534 1;1 100000 65536;", "gid_map written by newgidmap");
  }
  {
    struct scenario sc = { .name = "helper refuses", .subuid = "nobody:100000:65536\n",
                           .subgid = "nobody:100000:65536\n", .target_before_drop = true, .drop = true,
                           .uid = nobody_plus, .n_uid = 2, .gid = nobody_plus, .n_gid = 2 };
    o = run_scenario (&sc);
    is_int (o.ret, -EPERM, "newuidmap refuses a target owned by root");
    like (o.msg, "failed with exit status 1: newuidmap:", "the helper's own words are in the error");
  }
  {
    struct scenario sc = { .name = "no_new_privs", .subuid = "nobody:100000:65536\n", .subgid = "nobody:100000:65536\n",
                           .drop = true, .no_new_privs = true, .uid = nobody_plus, .n_uid = 2, .gid = nobody_plus,
                           .n_gid = 2 };
    o = run_scenario (&sc);
    is_int (o.ret, -EPERM, "no_new_privs makes the setuid helper useless");
    like (o.msg, "newuidmap cannot gain privilege: no_new_privs is set on this process", "and says so");
  }

  /* A stand-in helper that reports its arguments and whether our leaked
     fd reached it; a file capability makes it pass the privilege check.  */
  {
    _cleanup_free_ char *bin = NULL, *fake = NULL, *path = NULL;
    xasprintf (&bin, "%s/fakebin", tmpdir);
    mkdir (bin, 0755);
    fake = make_exec (bin, "newuidmap",
                      "#!/bin/sh\n"
                      "echo \"args: $*\"\n"
                      "if [ -e /proc/$$/fd/42 ]; then echo 'fd 42 leaked'; else echo 'fd 42 closed'; fi\n"
                      "echo 'to stderr' >&2\n"
                      "exit 3\n",
                      0755);
    if (set_file_cap (fake) < 0)
      {
        skip ("cannot set security.capability on the stand-in helper");
        return;
      }
    xasprintf (&path, "%s:/usr/bin:/bin", bin);
    struct scenario sc = { .name = "stand-in", .subuid = "nobody:100000:65536\n", .subgid = "nobody:100000:65536\n",
                           .drop = true, .path = path, .leak_fd = 42, .uid = nobody_plus, .n_uid = 2,
                           .gid = nobody_plus, .n_gid = 2 };
    o = run_scenario (&sc);
    is_int (o.ret, -EPERM, "a failing helper fails idmap_apply");
    like (o.msg, "failed with exit status 3", "exit status reported");
    like (o.msg, " 0 65534 1 1 100000 65536 ", "argv is PID then c h s per range");
    like (o.msg, "fd 42 closed", "our fds do not reach the helper");
    like (o.msg, "to stderr", "stderr is captured");
  }
}

int
main (void)
{
  char *rm;

  if (mkdtemp (tmpdir) == NULL || chmod (tmpdir, 0755) < 0)
    {
      perror ("mkdtemp");
      return 1;
    }
  test_subid_parse ();
  test_plan ();
  test_check_subids ();
  test_format_and_lookup ();
  test_find_helper ();
  test_apply ();

  xasprintf (&rm, "rm -rf '%s'", tmpdir);
  ok (system (rm) == 0, "remove the scratch directory");
  free (rm);
  return tap_done ();
}
