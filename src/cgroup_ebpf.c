/* The cgroup v2 device filter: a BPF_PROG_TYPE_CGROUP_DEVICE program
 * compiled here from the rule list, loaded with bpf(2) and attached to
 * the container's cgroup.
 *
 * Semantics are v1's, per access bit: for each of mknod, read and write
 * that the access asks for, the LAST rule matching the device and naming
 * that bit decides; when no rule matches, the bit is denied.  An access
 * is allowed only when every bit it asks for is.  (Evaluating whole
 * access masks instead would let "allow rw" followed by "deny w" still
 * allow a read-write open, which v1 refuses.)
 *
 * Program shape, with r1 = struct bpf_cgroup_dev_ctx *:
 *
 *     r2 = ctx->access_type & 0xffff       device type
 *     r3 = ctx->access_type >> 16          requested access bits
 *     r4 = ctx->major;  r5 = ctx->minor
 *   (comparisons are 32-bit jumps: a 64-bit one would sign-extend a
 *   major above 2^31 in the immediate and never match)
 *   for each bit B in MKNOD, READ, WRITE:
 *     r0 = r3 & B; if r0 == 0 goto next_bit
 *     for each rule naming B, last first:
 *       if r2 != type goto next_rule      (omitted for type 'a')
 *       if r4 != major goto next_rule     (omitted for a wildcard)
 *       if r5 != minor goto next_rule     (omitted for a wildcard)
 *       allow: goto next_bit   deny: r0 = 0; exit
 *     r0 = 0; exit                         nothing matched
 *   next_bit:
 *     r0 = 1; exit
 *
 * A rule without any check matches everything, so the rules before it
 * (and the final deny) are never reached and are not emitted: the
 * verifier refuses unreachable instructions.  */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "util.h"

typedef struct prog
{
  struct bpf_insn *v;
  size_t n, cap;
} prog;

static size_t
emit (prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
  if (p->n == p->cap)
    {
      p->cap = p->cap ? p->cap * 2 : 64;
      p->v = xrealloc (p->v, p->cap * sizeof *p->v);
    }
  memset (&p->v[p->n], 0, sizeof p->v[p->n]);
  p->v[p->n].code = code;
  p->v[p->n].dst_reg = dst;
  p->v[p->n].src_reg = src;
  p->v[p->n].off = off;
  p->v[p->n].imm = imm;
  return p->n++;
}

/* Patch a forward jump at `at` to land on the next instruction emitted.  */
static void
land_here (prog *p, size_t at)
{
  p->v[at].off = (int16_t) (p->n - at - 1);
}

#define LDX_W(dst, src, off) emit (&p, BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define MOV32_REG(dst, src) emit (&p, BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV32_IMM(dst, imm) emit (&p, BPF_ALU | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define AND32_IMM(dst, imm) emit (&p, BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH32_IMM(dst, imm) emit (&p, BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define JNE_IMM(dst, imm, off) emit (&p, BPF_JMP32 | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JEQ_IMM(dst, imm, off) emit (&p, BPF_JMP32 | BPF_JEQ | BPF_K, dst, 0, off, imm)
#define JA(off) emit (&p, BPF_JMP | BPF_JA, 0, 0, off, 0)
#define EXIT() emit (&p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

int
cg_bpf_devices_build (const cg_dev_rule *rules, size_t n, struct bpf_insn **out, size_t *n_out, rt_error *err)
{
  static const unsigned bits[] = { CG_DEV_MKNOD, CG_DEV_READ, CG_DEV_WRITE };
  prog p = { 0 };

  for (size_t i = 0; i < n; i++)
    {
      if (rules[i].type != 'a' && rules[i].type != 'b' && rules[i].type != 'c')
        return rt_failx (err, EINVAL, "device rule %zu: invalid type `%c`", i, rules[i].type);
      if (rules[i].major > UINT32_MAX || rules[i].minor > UINT32_MAX)
        return rt_failx (err, ERANGE, "device rule %zu: major or minor out of range", i);
    }

  LDX_W (BPF_REG_2, BPF_REG_1, offsetof (struct bpf_cgroup_dev_ctx, access_type));
  MOV32_REG (BPF_REG_3, BPF_REG_2);
  AND32_IMM (BPF_REG_2, 0xffff);
  RSH32_IMM (BPF_REG_3, 16);
  LDX_W (BPF_REG_4, BPF_REG_1, offsetof (struct bpf_cgroup_dev_ctx, major));
  LDX_W (BPF_REG_5, BPF_REG_1, offsetof (struct bpf_cgroup_dev_ctx, minor));

  for (size_t b = 0; b < ARRAY_SIZE (bits); b++)
    {
      _cleanup_free_ size_t *to_next_bit = xmalloc ((n + 1) * sizeof *to_next_bit);
      size_t n_next = 0, skip;
      bool unconditional = false;

      MOV32_REG (BPF_REG_0, BPF_REG_3);
      AND32_IMM (BPF_REG_0, (int32_t) bits[b]);
      to_next_bit[n_next++] = JEQ_IMM (BPF_REG_0, 0, 0);
      for (size_t k = n; k-- > 0 && !unconditional;)
        {
          const cg_dev_rule *r = &rules[k];
          int checks = (r->type != 'a') + (r->major >= 0) + (r->minor >= 0);
          int left;

          if (!(r->access & bits[b]))
            continue;
          unconditional = checks == 0;
          /* Each check jumps over the rest of this rule's block: the
             remaining checks plus the action (1 insn allow, 2 deny).  */
          left = checks - 1 + (r->allow ? 1 : 2);
          if (r->type != 'a')
            JNE_IMM (BPF_REG_2, r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, left--);
          if (r->major >= 0)
            JNE_IMM (BPF_REG_4, (int32_t) (uint32_t) r->major, left--);
          if (r->minor >= 0)
            JNE_IMM (BPF_REG_5, (int32_t) (uint32_t) r->minor, left--);
          if (r->allow)
            to_next_bit[n_next++] = JA (0);
          else
            {
              MOV32_IMM (BPF_REG_0, 0);
              EXIT ();
            }
        }
      if (!unconditional)
        {
          MOV32_IMM (BPF_REG_0, 0);
          EXIT ();
        }
      for (skip = 0; skip < n_next; skip++)
        land_here (&p, to_next_bit[skip]);
    }
  MOV32_IMM (BPF_REG_0, 1);
  EXIT ();
  *out = p.v;
  *n_out = p.n;
  return 0;
}

/* ---- loading and attaching --------------------------------------------- */

static int
sys_bpf (int cmd, union bpf_attr *attr)
{
  return (int) syscall (__NR_bpf, cmd, attr, sizeof *attr);
}

/* The fd of the program of ours already attached to the cgroup, or -1.  */
static int
find_ours (int cgroup_fd)
{
  uint32_t ids[64];
  union bpf_attr q;

  memset (&q, 0, sizeof q);
  q.query.target_fd = (uint32_t) cgroup_fd;
  q.query.attach_type = BPF_CGROUP_DEVICE;
  q.query.prog_ids = (uint64_t) (uintptr_t) ids;
  q.query.prog_cnt = ARRAY_SIZE (ids);
  if (sys_bpf (BPF_PROG_QUERY, &q) < 0)
    return -1;
  for (uint32_t i = 0; i < q.query.prog_cnt && i < ARRAY_SIZE (ids); i++)
    {
      union bpf_attr g, inf;
      struct bpf_prog_info info;
      int fd;

      memset (&g, 0, sizeof g);
      g.prog_id = ids[i];
      fd = sys_bpf (BPF_PROG_GET_FD_BY_ID, &g);
      if (fd < 0)
        continue;
      memset (&info, 0, sizeof info);
      memset (&inf, 0, sizeof inf);
      inf.info.bpf_fd = (uint32_t) fd;
      inf.info.info_len = sizeof info;
      inf.info.info = (uint64_t) (uintptr_t) &info;
      if (sys_bpf (BPF_OBJ_GET_INFO_BY_FD, &inf) == 0 && strcmp (info.name, CG_BPF_PROG_NAME) == 0)
        return fd;
      close (fd);
    }
  return -1;
}

int
cg_bpf_devices_apply (int cgroup_fd, const struct bpf_insn *insns, size_t n, rt_error *err)
{
  static char log[16384];
  _cleanup_close_ int prog_fd = -1, old_fd = -1;
  union bpf_attr a;

  memset (&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  a.insns = (uint64_t) (uintptr_t) insns;
  a.insn_cnt = (uint32_t) n;
  a.license = (uint64_t) (uintptr_t) "Apache-2.0";
  strncpy (a.prog_name, CG_BPF_PROG_NAME, sizeof a.prog_name - 1);
  prog_fd = sys_bpf (BPF_PROG_LOAD, &a);
  /* Since Linux 5.11 BPF memory is charged to the memory cgroup and
     RLIMIT_MEMLOCK plays no part, so it is only raised when an older
     kernel refuses the load for lack of it.  Raising it unconditionally
     needs CAP_SYS_RESOURCE, which a runtime may well lack (crun 1.8 does
     that first and fails right there with "setrlimit (RLIM_MEMLOCK):
     Operation not permitted").  */
  if (prog_fd < 0 && errno == EPERM)
    {
      struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
      if (setrlimit (RLIMIT_MEMLOCK, &unlimited) == 0)
        prog_fd = sys_bpf (BPF_PROG_LOAD, &a);
      else
        errno = EPERM;
    }
  if (prog_fd < 0 && errno == EINVAL)
    {
      /* Load again with the verifier's log, to say why.  */
      int e = errno;
      log[0] = '\0';
      a.log_buf = (uint64_t) (uintptr_t) log;
      a.log_size = sizeof log;
      a.log_level = 1;
      prog_fd = sys_bpf (BPF_PROG_LOAD, &a);
      if (prog_fd < 0)
        return rt_fail (err, e, "load the device filter (%zu instructions): verifier: %.400s", n, log);
    }
  if (prog_fd < 0)
    return rt_fail (err, errno, "load the device filter (bpf BPF_PROG_LOAD)");

  old_fd = find_ours (cgroup_fd);
  memset (&a, 0, sizeof a);
  a.target_fd = (uint32_t) cgroup_fd;
  a.attach_bpf_fd = (uint32_t) prog_fd;
  a.attach_type = BPF_CGROUP_DEVICE;
  /* ALLOW_MULTI keeps programs others attached (systemd's); REPLACE swaps
     ours atomically, so there is no moment without a filter.  */
  a.attach_flags = BPF_F_ALLOW_MULTI;
  if (old_fd >= 0)
    {
      a.attach_flags |= BPF_F_REPLACE;
      a.replace_bpf_fd = (uint32_t) old_fd;
    }
  if (sys_bpf (BPF_PROG_ATTACH, &a) < 0)
    return rt_fail (err, errno, "attach the device filter to the cgroup (bpf BPF_PROG_ATTACH)");
  return 0;
}
