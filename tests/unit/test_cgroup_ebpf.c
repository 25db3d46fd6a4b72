/* The device-filter compiler: exact instructions for a small rule list,
 * a reference evaluation of v1 semantics against a tiny interpreter of
 * the generated programs, and (as root) the kernel verifier accepting
 * them.  */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "tap.h"
#include "util.h"

/* ---- an interpreter for the instructions the compiler uses ---------- */

static int
run (const struct bpf_insn *p, size_t n, uint32_t type, uint32_t access, uint32_t major, uint32_t minor, int *ret)
{
  uint64_t r[11] = { 0 };
  struct bpf_cgroup_dev_ctx ctx = { .access_type = (access << 16) | type, .major = major, .minor = minor };
  size_t pc = 0;
  int steps = 0;

  while (pc < n && steps++ < 100000)
    {
      const struct bpf_insn *i = &p[pc];
      uint8_t cls = BPF_CLASS (i->code);

      if (cls == BPF_LDX && BPF_MODE (i->code) == BPF_MEM && BPF_SIZE (i->code) == BPF_W)
        {
          if (i->src_reg != BPF_REG_1 || i->off < 0 || (size_t) i->off + 4 > sizeof ctx)
            return -1;
          uint32_t v;
          memcpy (&v, (char *) &ctx + i->off, 4);
          r[i->dst_reg] = v;
        }
      else if (cls == BPF_ALU)
        {
          uint32_t src = BPF_SRC (i->code) == BPF_X ? (uint32_t) r[i->src_reg] : (uint32_t) i->imm;
          uint32_t d = (uint32_t) r[i->dst_reg];
          switch (BPF_OP (i->code))
            {
            case BPF_MOV:
              d = src;
              break;
            case BPF_AND:
              d &= src;
              break;
            case BPF_RSH:
              d >>= src;
              break;
            default:
              return -1;
            }
          r[i->dst_reg] = d;
        }
      else if (cls == BPF_JMP || cls == BPF_JMP32)
        {
          bool take;
          uint64_t a = cls == BPF_JMP32 ? (uint32_t) r[i->dst_reg] : r[i->dst_reg];
          uint64_t b = cls == BPF_JMP32 ? (uint32_t) i->imm : (uint64_t) (int64_t) i->imm;
          switch (BPF_OP (i->code))
            {
            case BPF_EXIT:
              *ret = (int) r[0];
              return 0;
            case BPF_JA:
              take = true;
              break;
            case BPF_JEQ:
              take = a == b;
              break;
            case BPF_JNE:
              take = a != b;
              break;
            default:
              return -1;
            }
          if (take)
            pc += i->off;
        }
      else
        return -1;
      pc++;
    }
  return -1;
}

/* v1 semantics, written the obvious way: per access bit, the last rule
   that matches the device and names the bit decides; default deny.  */
static int
reference (const cg_dev_rule *rules, size_t n, char type, unsigned access, uint32_t major, uint32_t minor)
{
  for (unsigned bit = 1; bit <= 4; bit <<= 1)
    {
      bool allowed = false;
      if (!(access & bit))
        continue;
      for (size_t k = n; k-- > 0;)
        {
          const cg_dev_rule *r = &rules[k];
          if (!(r->access & bit))
            continue;
          if (r->type != 'a' && r->type != type)
            continue;
          if (r->major >= 0 && (uint32_t) r->major != major)
            continue;
          if (r->minor >= 0 && (uint32_t) r->minor != minor)
            continue;
          allowed = r->allow;
          break;
        }
      if (!allowed)
        return 0;
    }
  return 1;
}

static bool
matches_reference (const cg_dev_rule *rules, size_t n, const char *what)
{
  struct bpf_insn *p = NULL;
  size_t np = 0;
  rt_error err = { 0 };
  static const uint32_t majors[] = { 0, 1, 4, 5, 10, 136, 254, 0x80000001u };
  static const uint32_t minors[] = { 0, 1, 3, 5, 7, 200, 0xffffffffu };
  bool good = true;

  if (cg_bpf_devices_build (rules, n, &p, &np, &err) < 0)
    {
      printf ("# build failed: %s\n", err.msg);
      return false;
    }
  for (int t = 0; t < 2 && good; t++)
    for (unsigned acc = 1; acc < 8 && good; acc++)
      for (size_t a = 0; a < ARRAY_SIZE (majors) && good; a++)
        for (size_t b = 0; b < ARRAY_SIZE (minors) && good; b++)
          {
            char type = t ? 'b' : 'c';
            int got = -1;
            int want = reference (rules, n, type, acc, majors[a], minors[b]);
            if (run (p, np, t ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, acc, majors[a], minors[b], &got) < 0
                || got != want)
              {
                printf ("# %s: %c %u:%u access %u: program says %d, v1 says %d\n", what, type, majors[a], minors[b],
                        acc, got, want);
                good = false;
              }
          }
  free (p);
  return good;
}

static void
test_exact_program (void)
{
  const cg_dev_rule rules[] = {
    { 'a', -1, -1, CG_DEV_ALL, false },
    { 'c', 1, 3, CG_DEV_READ | CG_DEV_WRITE, true },
  };
#define I(c, d, s, o, i) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) }
  const struct bpf_insn want[] = {
    I (BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0),
    I (BPF_ALU | BPF_MOV | BPF_X, 3, 2, 0, 0),
    I (BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff),
    I (BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16),
    I (BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0),
    I (BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0),
    /* mknod: only the deny-all names it, and it matches everything */
    I (BPF_ALU | BPF_MOV | BPF_X, 0, 3, 0, 0),
    I (BPF_ALU | BPF_AND | BPF_K, 0, 0, 0, 1),
    I (BPF_JMP32 | BPF_JEQ | BPF_K, 0, 0, 2, 0),
    I (BPF_ALU | BPF_MOV | BPF_K, 0, 0, 0, 0),
    I (BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
    /* read: allow c 1:3, else the deny-all */
    I (BPF_ALU | BPF_MOV | BPF_X, 0, 3, 0, 0),
    I (BPF_ALU | BPF_AND | BPF_K, 0, 0, 0, 2),
    I (BPF_JMP32 | BPF_JEQ | BPF_K, 0, 0, 6, 0),
    I (BPF_JMP32 | BPF_JNE | BPF_K, 2, 0, 3, BPF_DEVCG_DEV_CHAR),
    I (BPF_JMP32 | BPF_JNE | BPF_K, 4, 0, 2, 1),
    I (BPF_JMP32 | BPF_JNE | BPF_K, 5, 0, 1, 3),
    I (BPF_JMP | BPF_JA, 0, 0, 2, 0),
    I (BPF_ALU | BPF_MOV | BPF_K, 0, 0, 0, 0),
    I (BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
    /* write: the same */
    I (BPF_ALU | BPF_MOV | BPF_X, 0, 3, 0, 0),
    I (BPF_ALU | BPF_AND | BPF_K, 0, 0, 0, 4),
    I (BPF_JMP32 | BPF_JEQ | BPF_K, 0, 0, 6, 0),
    I (BPF_JMP32 | BPF_JNE | BPF_K, 2, 0, 3, BPF_DEVCG_DEV_CHAR),
    I (BPF_JMP32 | BPF_JNE | BPF_K, 4, 0, 2, 1),
    I (BPF_JMP32 | BPF_JNE | BPF_K, 5, 0, 1, 3),
    I (BPF_JMP | BPF_JA, 0, 0, 2, 0),
    I (BPF_ALU | BPF_MOV | BPF_K, 0, 0, 0, 0),
    I (BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
    /* every requested bit allowed */
    I (BPF_ALU | BPF_MOV | BPF_K, 0, 0, 0, 1),
    I (BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
  };
#undef I
  struct bpf_insn *p = NULL;
  size_t n = 0;
  rt_error err = { 0 };

  ok (cg_bpf_devices_build (rules, ARRAY_SIZE (rules), &p, &n, &err) == 0, "program built");
  is_int (n, ARRAY_SIZE (want), "instruction count");
  for (size_t i = 0; i < n && i < ARRAY_SIZE (want); i++)
    {
      const struct bpf_insn *g = &p[i], *w = &want[i];
      ok (g->code == w->code && g->dst_reg == w->dst_reg && g->src_reg == w->src_reg && g->off == w->off
              && g->imm == w->imm,
          "insn %zu: code %#x dst r%u src r%u off %d imm %d", i, w->code, w->dst_reg, w->src_reg, w->off, w->imm);
      if (!(g->code == w->code && g->dst_reg == w->dst_reg && g->src_reg == w->src_reg && g->off == w->off
            && g->imm == w->imm))
        printf ("#   got code %#x dst r%u src r%u off %d imm %d\n", g->code, g->dst_reg, g->src_reg, g->off, g->imm);
    }
  free (p);
}

static const cg_dev_rule set_allow_all_then_deny[] = {
  { 'a', -1, -1, CG_DEV_ALL, true },
  { 'c', 1, 3, CG_DEV_WRITE, false },
  { 'b', 8, -1, CG_DEV_ALL, false },
};
static const cg_dev_rule set_partial[] = {
  { 'a', -1, -1, CG_DEV_ALL, false },
  { 'c', 5, -1, CG_DEV_READ | CG_DEV_WRITE, true },
  { 'c', 5, 1, CG_DEV_WRITE, false },
  { 'c', -1, 200, CG_DEV_MKNOD, true },
};
static const cg_dev_rule set_empty[] = { { 'c', 9, 9, 0, true } };

static void
test_semantics (void)
{
  spec_resources none = { 0 };
  spec_device_cgroup deny_all = { .allow = false, .access = (char *) "rwm" };
  spec_device_cgroup deny_null = { .allow = false, .type = (char *) "c", .has_major = true, .major = 1,
                                   .has_minor = true, .minor = 3, .access = (char *) "rwm" };
  spec_device_cgroup list[2] = { deny_all, deny_null };
  spec_resources r = { .devices = list, .n_devices = 2 };
  cg_dev_rule *rules = NULL;
  size_t n = 0;
  rt_error err = { 0 };

  ok (matches_reference (set_allow_all_then_deny, ARRAY_SIZE (set_allow_all_then_deny), "allow-all then denies"),
      "allow all, then deny c 1:3 w and b 8:*: program = v1 semantics");
  ok (matches_reference (set_partial, ARRAY_SIZE (set_partial), "partial"),
      "per-bit: allow c 5:* rw, deny c 5:1 w, mknod c *:200");
  ok (matches_reference (set_empty, 0, "no rules"), "no rules: everything denied");
  ok (matches_reference (set_empty, 1, "rule without access bits"), "a rule naming no access changes nothing");

  ok (cg_dev_rules_build (&none, &rules, &n, &err) == 0, "runc's defaults alone");
  ok (matches_reference (rules, n, "defaults"), "defaults: program = v1 semantics");
  {
    struct bpf_insn *p = NULL;
    size_t np = 0;
    int got = -1;
    cg_bpf_devices_build (rules, n, &p, &np, &err);
    ok (run (p, np, BPF_DEVCG_DEV_CHAR, CG_DEV_READ | CG_DEV_WRITE, 1, 3, &got) == 0 && got == 1, "/dev/null rw allowed");
    ok (run (p, np, BPF_DEVCG_DEV_CHAR, CG_DEV_READ, 1, 1, &got) == 0 && got == 0, "/dev/mem denied");
    ok (run (p, np, BPF_DEVCG_DEV_BLOCK, CG_DEV_MKNOD, 8, 0, &got) == 0 && got == 1, "mknod of a disk allowed");
    ok (run (p, np, BPF_DEVCG_DEV_BLOCK, CG_DEV_READ, 8, 0, &got) == 0 && got == 0, "reading a disk denied");
    ok (run (p, np, BPF_DEVCG_DEV_CHAR, CG_DEV_WRITE, 136, 7, &got) == 0 && got == 1, "a pty slave allowed");
    free (p);
  }
  free (rules);
  /* The defaults come after the config, so a config cannot take
     /dev/null away (runc's behaviour).  */
  ok (cg_dev_rules_build (&r, &rules, &n, &err) == 0, "deny-all + deny /dev/null + defaults");
  ok (matches_reference (rules, n, "config + defaults"), "config + defaults: program = v1 semantics");
  {
    struct bpf_insn *p = NULL;
    size_t np = 0;
    int got = -1;
    cg_bpf_devices_build (rules, n, &p, &np, &err);
    ok (run (p, np, BPF_DEVCG_DEV_CHAR, CG_DEV_READ, 1, 3, &got) == 0 && got == 1, "/dev/null still allowed");
    free (p);
  }
  free (rules);
}

static void
test_kernel_verifier (void)
{
  const cg_dev_rule *sets[] = { set_allow_all_then_deny, set_partial };
  size_t lens[] = { ARRAY_SIZE (set_allow_all_then_deny), ARRAY_SIZE (set_partial) };
  spec_resources none = { 0 };
  cg_dev_rule *defaults = NULL;
  size_t n_def = 0;
  rt_error err = { 0 };

  if (geteuid () != 0)
    {
      printf ("# skipping the verifier checks: not root\n");
      return;
    }
  cg_dev_rules_build (&none, &defaults, &n_def, &err);
  for (size_t s = 0; s < 3; s++)
    {
      const cg_dev_rule *rules = s < 2 ? sets[s] : defaults;
      size_t n = s < 2 ? lens[s] : n_def;
      struct bpf_insn *p = NULL;
      size_t np = 0;
      union bpf_attr a;
      static char log[65536];
      int fd;

      cg_bpf_devices_build (rules, n, &p, &np, &err);
      memset (&a, 0, sizeof a);
      a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
      a.insns = (uint64_t) (uintptr_t) p;
      a.insn_cnt = (uint32_t) np;
      a.license = (uint64_t) (uintptr_t) "Apache-2.0";
      a.log_buf = (uint64_t) (uintptr_t) log;
      a.log_size = sizeof log;
      a.log_level = 1;
      log[0] = '\0';
      fd = (int) syscall (__NR_bpf, BPF_PROG_LOAD, &a, sizeof a);
      ok (fd >= 0, "kernel verifier accepts rule set %zu (%zu insns)", s, np);
      if (fd < 0)
        printf ("# bpf: %s\n# %.2000s\n", strerror (errno), log);
      else
        close (fd);
      free (p);
    }
  free (defaults);
}

int
main (void)
{
  test_exact_program ();
  test_semantics ();
  test_kernel_verifier ();
  return tap_done ();
}
