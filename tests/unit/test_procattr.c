#include "config.h"

#include <sched.h>
#include <sys/personality.h>
#include <sys/syscall.h>

#include "features.h"
#include "json.h"
#include "procattr.h"
#include "tap.h"
#include "child.h"
#include "util.h"

/* ---- CPU and node lists ------------------------------------------------------------ */

static void
test_bitlist (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } good[] = {
    { "", "" },          { "0", "0" },         { "0-3,7", "0-3,7" }, { "7,0-3", "0-3,7" },
    { "1,2,3", "1-3" },  { "5-5", "5" },       { "63,64", "63-64" }, { "0-2,2-4", "0-4" },
    { "8191", "8191" },
  };
  static const struct
  {
    const char *in;
    const char *msg;
  } bad[] = {
    { "x", "invalid list \"x\": \"x\" is not a number" },
    { "0-x", "invalid list \"0-x\": \"x\" is not a number" },
    { "3-1", "invalid list \"3-1\": range 3-1 is reversed" },
    { "1,", "invalid list \"1,\": trailing comma" },
    { "8192", "invalid list \"8192\": 8192 is out of range (the maximum is 8191)" },
    { "0-9876543210", "9876543210 is out of range" },
    { "1 ,2", "\"1 \" is not a number" },
    { "-1", "\"\" is not a number" },
  };

  for (size_t i = 0; i < ARRAY_SIZE (good); i++)
    {
      bitlist b = { 0 };
      rt_error err = { 0 };
      int r = bitlist_parse (good[i].in, BITLIST_MAX_CPUS, &b, &err);
      char *s;
      is_int (r, 0, "parse \"%s\"", good[i].in);
      s = bitlist_format (&b);
      is_str (s, good[i].out, "\"%s\" formats as \"%s\"", good[i].in, good[i].out);
      free (s);
      bitlist_free (&b);
    }
  for (size_t i = 0; i < ARRAY_SIZE (bad); i++)
    {
      bitlist b = { 0 };
      rt_error err = { 0 };
      int r = bitlist_parse (bad[i].in, BITLIST_MAX_CPUS, &b, &err);
      ok (r < 0 && b.words == NULL, "\"%s\" is refused", bad[i].in);
      like (err.msg, bad[i].msg, "\"%s\": message", bad[i].in);
    }
  {
    bitlist b = { 0 };
    rt_error err = { 0 };
    bitlist_parse ("0,65", BITLIST_MAX_CPUS, &b, &err);
    ok (bitlist_test (&b, 0) && bitlist_test (&b, 65) && !bitlist_test (&b, 1) && !bitlist_test (&b, 64)
            && !bitlist_test (&b, 100000),
        "bitlist_test sees exactly the listed bits");
    is_int (b.n_words, 2, "two words for bit 65");
    bitlist_free (&b);
  }
}

/* ---- planning ---------------------------------------------------------------------- */

typedef struct fixture
{
  spec_process p;
  spec_linux l;
  spec_scheduler sched;
  spec_io_priority io;
  spec_cpu_affinity aff;
  spec_personality pers;
  spec_memory_policy mp;
} fixture;

static void
fixture_reset (fixture *f)
{
  memset (f, 0, sizeof *f);
}

static int
plan (fixture *f, bool exec, procattr_plan *pl, rt_error *err)
{
  return procattr_plan_init (pl, &f->p, &f->l, exec, err);
}

static void
expect_error (fixture *f, bool exec, const char *msg, const char *what)
{
  procattr_plan pl;
  rt_error err = { 0 };
  int r = plan (f, exec, &pl, &err);

  ok (r < 0, "%s: refused", what);
  is_str (err.msg, msg, "%s: message", what);
}

static void
test_plan_errors (void)
{
  fixture f;
  char *one_flag[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_BOGUS" };
  char *mp_flags[] = { "MPOL_F_RELATIVE_NODES", "badflag" };
  char *pers_flags[] = { "ADDR_NO_RANDOMIZE" };

  fixture_reset (&f);
  f.sched.policy = "SCHED_WHATEVER";
  f.p.scheduler = &f.sched;
  expect_error (&f, false, "process.scheduler.policy: invalid scheduler policy \"SCHED_WHATEVER\"", "unknown policy");
  f.sched.policy = "";
  expect_error (&f, false, "process.scheduler.policy: scheduler policy is required", "empty policy");
  f.sched.policy = "SCHED_OTHER";
  f.sched.nice = 20;
  expect_error (&f, false, "process.scheduler.nice: invalid scheduler.nice: 20 (-20 to 19)", "nice too high");
  f.sched.nice = -21;
  expect_error (&f, false, "process.scheduler.nice: invalid scheduler.nice: -21 (-20 to 19)", "nice too low");
  f.sched.nice = 0;
  f.sched.priority = 5;
  expect_error (&f, false,
                "process.scheduler.priority: scheduler.priority can only be specified for SchedFIFO or SchedRR policy",
                "priority with SCHED_OTHER");
  f.sched.priority = 0;
  f.sched.runtime = 1;
  expect_error (&f, false,
                "process.scheduler: scheduler runtime/deadline/period can only be specified for SchedDeadline "
                "policy",
                "runtime with SCHED_OTHER");
  f.sched.runtime = 0;
  f.sched.flags = one_flag;
  f.sched.n_flags = 2;
  expect_error (&f, false, "process.scheduler.flags[1]: invalid scheduler flag \"SCHED_FLAG_BOGUS\"", "bad flag");

  fixture_reset (&f);
  f.io.class_ = "IOPRIO_CLASS_NONE";
  f.p.io_priority = &f.io;
  expect_error (&f, false, "process.ioPriority.class: invalid io priority class \"IOPRIO_CLASS_NONE\"",
                "unknown io class");
  f.io.class_ = "IOPRIO_CLASS_BE";
  f.io.priority = 8;
  expect_error (&f, false, "process.ioPriority.priority: 8 is out of range (0 to 7)", "io priority 8");

  fixture_reset (&f);
  f.pers.domain = "LINUX64";
  f.l.personality = &f.pers;
  expect_error (&f, false, "linux.personality.domain: invalid personality domain \"LINUX64\" (LINUX or LINUX32)",
                "unknown domain");
  f.pers.domain = "LINUX";
  f.pers.flags = pers_flags;
  f.pers.n_flags = 1;
  expect_error (&f, false, "linux.personality.flags[0]: invalid personality flag \"ADDR_NO_RANDOMIZE\" (none is supported)",
                "personality flag");

  fixture_reset (&f);
  f.mp.mode = "INTERLEAVE";
  f.l.memory_policy = &f.mp;
  expect_error (&f, false, "linux.memoryPolicy.mode: invalid memory policy mode \"INTERLEAVE\"", "mode without MPOL_");
  f.mp.mode = "MPOL_PREFERRED";
  f.mp.flags = mp_flags;
  f.mp.n_flags = 2;
  expect_error (&f, false, "linux.memoryPolicy.flags[1]: invalid memory policy flag \"badflag\"", "bad mpol flag");
  f.mp.n_flags = 0;
  f.mp.nodes = "0-9876543210";
  expect_error (&f, false,
                "linux.memoryPolicy.nodes: invalid memory policy node set: invalid list \"0-9876543210\": 9876543210 "
                "is out of range (the maximum is 1023)",
                "node out of range");

  fixture_reset (&f);
  f.aff.initial = "0-";
  f.p.exec_cpu_affinity = &f.aff;
  expect_error (&f, true, "process.execCPUAffinity.initial: invalid list \"0-\": \"\" is not a number",
                "bad initial list");
  f.aff.initial = "0";
  f.aff.final = "a";
  expect_error (&f, true, "process.execCPUAffinity.final: invalid list \"a\": \"a\" is not a number",
                "bad final list");
}

static void
test_plan_values (void)
{
  fixture f;
  procattr_plan pl;
  rt_error err = { 0 };
  char *flags[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM" };
  char *mp_flags[] = { "MPOL_F_STATIC_NODES" };
  spec_resources res = { 0 };
  spec_cpu cpu = { 0 };

  fixture_reset (&f);
  f.sched.policy = "SCHED_DEADLINE";
  f.sched.flags = flags;
  f.sched.n_flags = 2;
  f.sched.runtime = 42000;
  f.sched.deadline = 100000;
  f.sched.period = 1000000;
  f.p.scheduler = &f.sched;
  f.io.class_ = "IOPRIO_CLASS_IDLE";
  f.io.priority = 3;
  f.p.io_priority = &f.io;
  f.pers.domain = "LINUX32";
  f.l.personality = &f.pers;
  f.mp.mode = "MPOL_BIND";
  f.mp.nodes = "0,2";
  f.mp.flags = mp_flags;
  f.mp.n_flags = 1;
  f.l.memory_policy = &f.mp;
  f.aff.initial = "1";
  f.aff.final = "0-1";
  f.p.exec_cpu_affinity = &f.aff;
  cpu.cpus = "0";
  res.cpu = &cpu;
  f.l.resources = &res;

  is_int (plan (&f, false, &pl, &err), 0, "a full plan for the init");
  is_int (pl.sched.policy, 6, "SCHED_DEADLINE is policy 6");
  is_int (pl.sched.flags, 0x03, "RESET_ON_FORK|RECLAIM");
  ok (pl.sched.runtime == 42000 && pl.sched.deadline == 100000 && pl.sched.period == 1000000,
      "deadline parameters carried");
  is_int (pl.ioprio, (3 << 13) | 3, "IDLE class 3, priority 3");
  ok (pl.ioprio_pgrp, "the init sets the I/O priority of its process group");
  is_int (pl.personality, PER_LINUX32, "LINUX32");
  is_int (pl.mpol_mode, 2 | (1 << 15), "MPOL_BIND|MPOL_F_STATIC_NODES");
  ok (bitlist_test (&pl.mpol_nodes, 0) && bitlist_test (&pl.mpol_nodes, 2) && !bitlist_test (&pl.mpol_nodes, 1),
      "nodes 0 and 2");
  ok (pl.cpus_initial.n_words == 0 && pl.cpus_final.n_words == 0, "execCPUAffinity does not apply to the init");
  ok (pl.reset_affinity, "the init's affinity is reset");
  ok (pl.cpuset_limited, "a cpuset is noted for the scheduler's error");
  procattr_plan_free (&pl);

  is_int (plan (&f, true, &pl, &err), 0, "a full plan for exec");
  ok (!pl.ioprio_pgrp, "exec sets only its own I/O priority");
  ok (bitlist_test (&pl.cpus_initial, 1) && !bitlist_test (&pl.cpus_initial, 0), "initial 1");
  ok (bitlist_test (&pl.cpus_final, 0) && bitlist_test (&pl.cpus_final, 1), "final 0-1");
  procattr_plan_free (&pl);

  fixture_reset (&f);
  is_int (plan (&f, true, &pl, &err), 0, "an empty plan");
  ok (!pl.has_sched && !pl.has_ioprio && !pl.has_personality && !pl.has_mempolicy && pl.cpus_final.n_words == 0,
      "nothing to apply but the affinity reset");
  procattr_plan_free (&pl);
}

/* ---- applying, in a child ---------------------------------------------------------- */

struct kernel_sched_attr_probe
{
  uint32_t size, policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;
  uint32_t util_min, util_max;
};

static int
child_apply (void *arg, int out)
{
  fixture *f = arg;
  procattr_plan pl;
  rt_error err = { 0 };
  struct kernel_sched_attr_probe a;
  unsigned long nodes[4] = { 0 };
  int mode = -1;
  cpu_set_t cpus;

  /* Pin to one CPU first: the plan must undo it.  */
  CPU_ZERO (&cpus);
  CPU_SET (0, &cpus);
  sched_setaffinity (0, sizeof cpus, &cpus);
  if (plan (f, true, &pl, &err) < 0 || procattr_apply (&pl, &err) < 0)
    {
      child_say (out, "error: %s", err.msg);
      return 1;
    }
  memset (&a, 0, sizeof a);
  syscall (SYS_sched_getattr, 0, &a, sizeof a, 0);
  syscall (SYS_get_mempolicy, &mode, nodes, sizeof nodes * 8, NULL, 0);
  sched_getaffinity (0, sizeof cpus, &cpus);
  child_say (out, "personality=%#x policy=%u nice=%d ioprio=%#lx mode=%d nodes=%#lx cpus=%d",
             (unsigned) personality (0xffffffff), a.policy, a.nice,
             (long) syscall (SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, 0), mode, nodes[0], CPU_COUNT (&cpus));
  return 0;
}

static void
test_apply (void)
{
  fixture f;
  char *text;
  char want[256];
  long ncpu = sysconf (_SC_NPROCESSORS_ONLN);

  /* Only what an unprivileged process may do to itself, so the test also
     runs as a normal user.  */
  fixture_reset (&f);
  f.pers.domain = "LINUX32";
  f.l.personality = &f.pers;
  f.sched.policy = "SCHED_BATCH";
  f.sched.nice = 7;
  f.p.scheduler = &f.sched;
  f.io.class_ = "IOPRIO_CLASS_BE";
  f.io.priority = 6;
  f.p.io_priority = &f.io;
  f.mp.mode = "MPOL_INTERLEAVE";
  f.mp.nodes = "0";
  f.l.memory_policy = &f.mp;
  text = run_child_ok (child_apply, &f, "apply a plan to a process");
  snprintf (want, sizeof want, "personality=%#x policy=3 nice=7 ioprio=%#x mode=3 nodes=0x1 cpus=%ld", PER_LINUX32,
            (2 << 13) | 6, ncpu);
  is_str (text, want, "personality, scheduler, I/O priority, memory policy and the affinity reset took effect");
  free (text);

  fixture_reset (&f);
  f.aff.final = "0";
  f.p.exec_cpu_affinity = &f.aff;
  f.mp.mode = "MPOL_DEFAULT";
  f.mp.nodes = "0";
  f.l.memory_policy = &f.mp;
  text = NULL;
  run_child (child_apply, &f, &text);
  like (text, "error: linux.memoryPolicy: set_mempolicy (mode 0, nodes \"0\"): Invalid argument",
        "the kernel's refusal of MPOL_DEFAULT with nodes names the field and the call");
  free (text);

  fixture_reset (&f);
  f.aff.final = "0";
  f.p.exec_cpu_affinity = &f.aff;
  text = run_child_ok (child_apply, &f, "apply a final affinity");
  like (text, "cpus=1", "final affinity 0: one CPU");
  free (text);
}

static void
test_features (void)
{
  char *doc = features_json ();
  rt_error err = { 0 };
  json_node *root = json_parse (doc, strlen (doc), "features", &err);
  const json_node *mp = json_get (json_get (json_get (root, "linux"), "memoryPolicy"), "modes");
  const json_node *fl = json_get (json_get (json_get (root, "linux"), "memoryPolicy"), "flags");
  size_t n = 0, k = 0;

  while (mpol_mode_names[n])
    n++;
  while (mpol_flag_names[k])
    k++;
  ok (mp && json_len (mp) == n && n == 7, "features lists the 7 memory policy modes");
  ok (fl && json_len (fl) == k && k == 3, "features lists the 3 memory policy flags");
  for (size_t i = 0; mp && i < json_len (mp); i++)
    is_str (json_string (json_at (mp, i)), mpol_mode_names[i], "mode %zu is the one accepted", i);
  json_free (root);
  free (doc);
}

int
main (void)
{
  test_bitlist ();
  test_plan_errors ();
  test_plan_values ();
  test_apply ();
  test_features ();
  return tap_done ();
}
