/* seccomp filters: linux.seccomp validated and compiled with libseccomp in
 * the runtime, exported as classic BPF, and installed by the child with
 * nothing but the seccomp(2) system call.
 *
 * Doing the load ourselves (instead of seccomp_load) means every filter
 * flag works whatever libseccomp knows about, and it lets us prepend the
 * same -ENOSYS stub runc does, so that system calls newer than the profile
 * fail with ENOSYS (which libcs treat as "fall back") rather than with the
 * profile's default errno.  */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syscall_filter.h"
#include "util.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* Linux system calls take at most six arguments.  */
#define SFILTER_MAX_ARGS 6
/* x32 system calls are x86_64 ones with this bit set in the number.  */
#define X32_SYSCALL_BIT 0x40000000U

struct sfilter
{
  struct sock_filter *insns;
  unsigned short n_insns;
  unsigned int flags;
  bool notify;
};

/* ---- name tables ---------------------------------------------------------- */

#define SF_ACTIONS(X)                                                                              \
  X (ALLOW)                                                                                        \
  X (ERRNO)                                                                                        \
  X (KILL)                                                                                         \
  X (KILL_PROCESS)                                                                                 \
  X (KILL_THREAD)                                                                                  \
  X (LOG)                                                                                          \
  X (NOTIFY)                                                                                       \
  X (TRACE)                                                                                        \
  X (TRAP)

enum sf_action
{
#define SF_ACTION_ENUM(a) SF_ACT_##a,
  SF_ACTIONS (SF_ACTION_ENUM)
};

const char *const sfilter_actions[] = {
#define SF_ACTION_NAME(a) "SCMP_ACT_" #a,
  SF_ACTIONS (SF_ACTION_NAME) NULL,
};

#define SF_OPERATORS(X) X (EQ) X (GE) X (GT) X (LE) X (LT) X (MASKED_EQ) X (NE)

const char *const sfilter_operators[] = {
#define SF_OPERATOR_NAME(o) "SCMP_CMP_" #o,
  SF_OPERATORS (SF_OPERATOR_NAME) NULL,
};

static const enum scmp_compare sf_operator_values[] = {
#define SF_OPERATOR_VALUE(o) SCMP_CMP_##o,
  SF_OPERATORS (SF_OPERATOR_VALUE)
};

/* Architectures newer than the libseccomp we build against are listed only
   when its header knows them.  */
#ifdef SCMP_ARCH_LOONGARCH64
#define SF_ARCH_LOONGARCH64(X) X (LOONGARCH64)
#else
#define SF_ARCH_LOONGARCH64(X)
#endif
#ifdef SCMP_ARCH_M68K
#define SF_ARCH_M68K(X) X (M68K)
#else
#define SF_ARCH_M68K(X)
#endif
#ifdef SCMP_ARCH_SH
#define SF_ARCH_SH(X) X (SH) X (SHEB)
#else
#define SF_ARCH_SH(X)
#endif

#define SF_ARCHS(X)                                                                                \
  X (AARCH64)                                                                                      \
  X (ARM)                                                                                          \
  SF_ARCH_LOONGARCH64 (X)                                                                          \
  SF_ARCH_M68K (X)                                                                                 \
  X (MIPS)                                                                                         \
  X (MIPS64)                                                                                       \
  X (MIPS64N32)                                                                                    \
  X (MIPSEL)                                                                                       \
  X (MIPSEL64)                                                                                     \
  X (MIPSEL64N32)                                                                                  \
  X (PARISC)                                                                                       \
  X (PARISC64)                                                                                     \
  X (PPC)                                                                                          \
  X (PPC64)                                                                                        \
  X (PPC64LE)                                                                                      \
  X (RISCV64)                                                                                      \
  X (S390)                                                                                         \
  X (S390X)                                                                                        \
  SF_ARCH_SH (X)                                                                                   \
  X (X32)                                                                                          \
  X (X86)                                                                                          \
  X (X86_64)

const char *const sfilter_archs[] = {
#define SF_ARCH_NAME(a) "SCMP_ARCH_" #a,
  SF_ARCHS (SF_ARCH_NAME) NULL,
};

static const uint32_t sf_arch_tokens[] = {
#define SF_ARCH_TOKEN(a) SCMP_ARCH_##a,
  SF_ARCHS (SF_ARCH_TOKEN)
};

/* runc's order, which `features` reports as is.  */
#define SF_FLAGS(X) X (TSYNC) X (SPEC_ALLOW) X (LOG) X (WAIT_KILLABLE_RECV)

const char *const sfilter_known_flags[] = {
#define SF_FLAG_NAME(f) "SECCOMP_FILTER_FLAG_" #f,
  SF_FLAGS (SF_FLAG_NAME) NULL,
};

static const unsigned int sf_flag_bits[] = {
#define SF_FLAG_BIT(f) SECCOMP_FILTER_FLAG_##f,
  SF_FLAGS (SF_FLAG_BIT)
};

static int
name_index (const char *const *names, const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; names[i]; i++)
    if (strcmp (names[i], name) == 0)
      return i;
  return -1;
}

/* ---- kernel probing ----------------------------------------------------------- */

static long
sys_seccomp (unsigned int op, unsigned int flags, void *args)
{
  return syscall (__NR_seccomp, op, flags, args);
}

/* The kernel validates the flags before it reads the program, so a NULL
   program gives EFAULT for flags it knows and EINVAL for the others,
   without installing anything.  */
static bool
flag_supported (unsigned int bit)
{
  unsigned int flags = bit;

  /* WAIT_KILLABLE_RECV is only valid together with a listener.  */
  if (bit == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
    flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  return sys_seccomp (SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 && errno == EFAULT;
}

const char *const *
sfilter_supported_flags (void)
{
  static const char *supported[ARRAY_SIZE (sf_flag_bits) + 1];
  static bool probed;
  size_t n = 0;

  if (probed)
    return supported;
  for (size_t i = 0; i < ARRAY_SIZE (sf_flag_bits); i++)
    if (flag_supported (sf_flag_bits[i]))
      supported[n++] = sfilter_known_flags[i];
  supported[n] = NULL;
  probed = true;
  return supported;
}

const char *
sfilter_libseccomp_version (void)
{
  static char buf[48];
  const struct scmp_version *v = seccomp_version ();

  if (v == NULL)
    return "unknown";
  snprintf (buf, sizeof buf, "%u.%u.%u", v->major, v->minor, v->micro);
  return buf;
}

/* ---- validation ------------------------------------------------------------- */

/* An action string with its errno, as the 32-bit value libseccomp and the
   kernel use.  Returns -1 for an unknown name.  */
static int
parse_action (const char *name, bool has_errno, uint32_t errno_ret, uint32_t *out, bool *notify)
{
  /* runc truncates errnoRet to 16 bits (SetReturnCode takes an int16).  */
  uint32_t e = has_errno ? errno_ret : EPERM;

  *notify = false;
  switch (name_index (sfilter_actions, name))
    {
    case SF_ACT_ALLOW:
      *out = SCMP_ACT_ALLOW;
      return 0;
    case SF_ACT_ERRNO:
      *out = SCMP_ACT_ERRNO (e);
      return 0;
    case SF_ACT_KILL:
    case SF_ACT_KILL_THREAD:
      *out = SCMP_ACT_KILL_THREAD;
      return 0;
    case SF_ACT_KILL_PROCESS:
      *out = SCMP_ACT_KILL_PROCESS;
      return 0;
    case SF_ACT_LOG:
      *out = SCMP_ACT_LOG;
      return 0;
    case SF_ACT_NOTIFY:
      *out = SCMP_ACT_NOTIFY;
      *notify = true;
      return 0;
    case SF_ACT_TRACE:
      *out = SCMP_ACT_TRACE (e);
      return 0;
    case SF_ACT_TRAP:
      *out = SCMP_ACT_TRAP;
      return 0;
    default:
      return -1;
    }
}

static int
check_args (const spec_seccomp_syscall *sc, size_t i, rt_error *err)
{
  for (size_t j = 0; j < sc->n_args; j++)
    {
      const spec_seccomp_arg *a = &sc->args[j];
      if (name_index (sfilter_operators, a->op) < 0)
        return rt_failx (err, EINVAL, "linux.seccomp.syscalls[%zu].args[%zu].op: unknown operator \"%s\"", i, j,
                         a->op ? a->op : "");
      if (a->index >= SFILTER_MAX_ARGS)
        return rt_failx (err, EINVAL, "linux.seccomp.syscalls[%zu].args[%zu].index: %u is out of range (0-%d)", i,
                         j, a->index, SFILTER_MAX_ARGS - 1);
    }
  return 0;
}

static int
check_syscalls (const spec_seccomp *s, bool *uses_notify, rt_error *err)
{
  *uses_notify = false;
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const spec_seccomp_syscall *sc = &s->syscalls[i];
      uint32_t act;
      bool notify;
      int r;

      if (parse_action (sc->action, sc->has_errno_ret, sc->errno_ret, &act, &notify) < 0)
        return rt_failx (err, EINVAL, "linux.seccomp.syscalls[%zu].action: unknown action \"%s\"", i,
                         sc->action ? sc->action : "");
      r = check_args (sc, i, err);
      if (r < 0)
        return r;
      if (!notify)
        continue;
      *uses_notify = true;
      /* The init reports the listener fd to its parent with write(2): a
         notify rule on write would deadlock it (runc refuses it too).  */
      for (size_t j = 0; j < sc->n_names; j++)
        if (sc->names[j] && strcmp (sc->names[j], "write") == 0)
          return rt_failx (err, EINVAL,
                           "linux.seccomp.syscalls[%zu].names[%zu]: SCMP_ACT_NOTIFY cannot be used for the write "
                           "syscall",
                           i, j);
    }
  if (*uses_notify && (s->listener_path == NULL || s->listener_path[0] == '\0'))
    return rt_failx (err, EINVAL,
                     "linux.seccomp.listenerPath: seccomp listenerPath is not set (needed by SCMP_ACT_NOTIFY)");
  return 0;
}

static int
parse_flags (const spec_seccomp *s, unsigned int *flags, rt_error *err)
{
  *flags = 0;
  /* runc turns on SPEC_ALLOW when the config says nothing about flags
     (an explicit empty list keeps the kernel's mitigation).  */
  if (s->flags == NULL && s->n_flags == 0)
    {
      if (flag_supported (SECCOMP_FILTER_FLAG_SPEC_ALLOW))
        *flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
      return 0;
    }
  for (size_t i = 0; i < s->n_flags; i++)
    {
      int k = name_index (sfilter_known_flags, s->flags[i]);
      if (k < 0)
        return rt_failx (err, EINVAL, "linux.seccomp.flags[%zu]: seccomp flag \"%s\" is not known", i,
                         s->flags[i] ? s->flags[i] : "");
      if (!flag_supported (sf_flag_bits[k]))
        return rt_failx (err, EINVAL, "linux.seccomp.flags[%zu]: seccomp flag %s is not supported by this kernel", i,
                         s->flags[i]);
      *flags |= sf_flag_bits[k];
    }
  return 0;
}

/* ---- the -ENOSYS stub --------------------------------------------------------- */

/* One entry per kernel audit architecture the profile lists: the largest
   syscall number the profile names there.  x86_64 carries two (native and
   x32) told apart by X32_SYSCALL_BIT.  */
typedef struct stub_arch
{
  uint32_t audit;
  bool has_main, has_x32;
  uint32_t max_main, max_x32;
} stub_arch;


/* The stub is assembled with absolute jump targets (or the two labels
   below) and turned into classic BPF's 8-bit relative offsets at the end.  */
enum
{
  TARGET_ENOSYS = -1,
  TARGET_FILTER = -2,
};

typedef struct stub_insn
{
  uint16_t code;
  uint32_t k;
  int jt, jf;
} stub_insn;

typedef struct stub
{
  stub_insn v[256];
  size_t n;
} stub;

/* jt/jf: a label, or an offset relative to the next instruction.  */
static size_t
stub_emit (stub *st, uint16_t code, uint32_t k, int jt, int jf)
{
  size_t at = st->n;

  if (jt >= 0)
    jt += (int) at + 1;
  if (jf >= 0)
    jf += (int) at + 1;
  if (st->n < ARRAY_SIZE (st->v))
    st->v[st->n] = (stub_insn) { code, k, jt, jf };
  st->n++;
  return at;
}

static uint32_t
max_syscall (const spec_seccomp *s, uint32_t token)
{
  uint32_t max = 0;

  for (size_t i = 0; i < s->n_syscalls; i++)
    for (size_t j = 0; j < s->syscalls[i].n_names; j++)
      {
        int nr;
        if (s->syscalls[i].names[j] == NULL)
          continue;
        /* Negative numbers are libseccomp's placeholders for calls this
           architecture does not have.  */
        nr = seccomp_syscall_resolve_name_arch (token, s->syscalls[i].names[j]);
        if (nr >= 0 && (uint32_t) nr > max)
          max = (uint32_t) nr;
      }
  return max;
}

/* Only the architectures the profile lists get a stub, as in runc: for the
   others the filter's bad-architecture action applies anyway.  */
static size_t
collect_stub_archs (const spec_seccomp *s, stub_arch *out, size_t max_out)
{
  size_t n = 0;

  for (size_t i = 0; i < s->n_architectures; i++)
    {
      uint32_t token = sf_arch_tokens[name_index (sfilter_archs, s->architectures[i])];
      bool x32 = token == SCMP_ARCH_X32;
      uint32_t audit = x32 ? SCMP_ARCH_X86_64 : token;
      uint32_t max = max_syscall (s, token);
      size_t k;

      if (max == 0)
        {
          rt_warn ("could not find any syscalls for arch %s", s->architectures[i]);
          continue;
        }
      for (k = 0; k < n && out[k].audit != audit; k++)
        ;
      if (k == n)
        {
          if (n == max_out)
            break;
          out[n++] = (stub_arch) { .audit = audit };
        }
      if (x32)
        out[k].has_x32 = true, out[k].max_x32 = max;
      else
        out[k].has_main = true, out[k].max_main = max;
    }
  return n;
}

static void
stub_arch_block (stub *st, const stub_arch *a)
{
  /* The arch is still loaded when this block does not match.  */
  size_t head = stub_emit (st, BPF_JMP | BPF_JEQ | BPF_K, a->audit, 0, 0);

  stub_emit (st, BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr), 0, 0);
  /* On s390 an unknown "large" syscall number arrives as 0 (setup(2), long
     gone), so 0 means unknown too.  */
  if (a->audit == SCMP_ARCH_S390 || a->audit == SCMP_ARCH_S390X)
    stub_emit (st, BPF_JMP | BPF_JEQ | BPF_K, 0, TARGET_ENOSYS, 0);
  if (a->audit != SCMP_ARCH_X86_64)
    stub_emit (st, BPF_JMP | BPF_JGT | BPF_K, a->max_main, TARGET_ENOSYS, TARGET_FILTER);
  else if (a->has_main && a->has_x32)
    {
      stub_emit (st, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 1, 0);
      stub_emit (st, BPF_JMP | BPF_JGT | BPF_K, a->max_main, TARGET_ENOSYS, TARGET_FILTER);
      stub_emit (st, BPF_JMP | BPF_JGT | BPF_K, a->max_x32, TARGET_ENOSYS, TARGET_FILTER);
    }
  else
    {
      /* Only one of the two ABIs is listed: the other goes to the filter.  */
      stub_emit (st, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, a->has_main ? TARGET_FILTER : 0,
                 a->has_main ? 0 : TARGET_FILTER);
      stub_emit (st, BPF_JMP | BPF_JGT | BPF_K, a->has_main ? a->max_main : a->max_x32, TARGET_ENOSYS,
                 TARGET_FILTER);
    }
  if (head < ARRAY_SIZE (st->v))
    st->v[head].jf = (int) st->n;
}

/* Layout: ld arch; one block per architecture; ja filter; ret ENOSYS;
   then libseccomp's program, which the stub never jumps into except at its
   first instruction.  */
static int
build_stub (const stub_arch *archs, size_t n, struct sock_filter **out, size_t *n_out)
{
  stub st = { .n = 0 };
  size_t enosys_at, filter_at;
  struct sock_filter *insns;

  stub_emit (&st, BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, arch), 0, 0);
  for (size_t i = 0; i < n; i++)
    stub_arch_block (&st, &archs[i]);
  stub_emit (&st, BPF_JMP | BPF_JA, 1, 0, 0);
  enosys_at = stub_emit (&st, BPF_RET | BPF_K, SCMP_ACT_ERRNO (ENOSYS), 0, 0);
  filter_at = st.n;
  if (st.n > ARRAY_SIZE (st.v))
    return -E2BIG;

  insns = xmalloc (st.n * sizeof *insns);
  for (size_t i = 0; i < st.n; i++)
    {
      const stub_insn *in = &st.v[i];
      uint8_t rel[2] = { 0, 0 };

      if (BPF_CLASS (in->code) == BPF_JMP && BPF_OP (in->code) != BPF_JA)
        for (int w = 0; w < 2; w++)
          {
            int t = w == 0 ? in->jt : in->jf;
            long target = t == TARGET_ENOSYS ? (long) enosys_at : t == TARGET_FILTER ? (long) filter_at : t;
            long off = target - (long) i - 1;
            if (off < 0 || off > 255)
              {
                free (insns);
                return -E2BIG;
              }
            rel[w] = (uint8_t) off;
          }
      insns[i] = (struct sock_filter) { in->code, rel[0], rel[1], in->k };
    }
  *out = insns;
  *n_out = st.n;
  return 0;
}

/* runc adds no stub when unknown calls would be allowed anyway (a tracer is
   expected to cope with new calls), nor when the default already is ENOSYS.  */
static bool
wants_stub (uint32_t def)
{
  uint32_t act = def & SECCOMP_RET_ACTION_FULL;

  if (act == SCMP_ACT_ALLOW || act == SCMP_ACT_LOG || act == SECCOMP_RET_TRACE)
    return false;
  return def != SCMP_ACT_ERRNO (ENOSYS);
}

/* ---- compiling ------------------------------------------------------------------ */

static int
add_rules (scmp_filter_ctx ctx, const spec_seccomp_syscall *sc, size_t i, uint32_t def, rt_error *err)
{
  struct scmp_arg_cmp conds[SFILTER_MAX_ARGS * 4];
  unsigned int per_index[SFILTER_MAX_ARGS] = { 0 };
  bool same_index = false;
  size_t n_conds = 0;
  uint32_t act;
  bool notify;

  parse_action (sc->action, sc->has_errno_ret, sc->errno_ret, &act, &notify);
  /* libseccomp rejects a rule that repeats the default action.  */
  if (act == def)
    return 0;
  if (sc->n_args > ARRAY_SIZE (conds))
    return rt_failx (err, EINVAL, "linux.seccomp.syscalls[%zu].args: too many conditions (%zu)", i, sc->n_args);

  for (size_t j = 0; j < sc->n_args; j++)
    {
      const spec_seccomp_arg *a = &sc->args[j];
      enum scmp_compare op = sf_operator_values[name_index (sfilter_operators, a->op)];

      conds[n_conds++] = (struct scmp_arg_cmp) { .arg = a->index,
                                                 .op = op,
                                                 .datum_a = a->value,
                                                 .datum_b = op == SCMP_CMP_MASKED_EQ ? a->value_two : 0 };
      if (++per_index[a->index] > 1)
        same_index = true;
    }

  for (size_t j = 0; j < sc->n_names; j++)
    {
      const char *name = sc->names[j];
      int nr, r = 0;

      if (name == NULL || name[0] == '\0')
        return rt_failx (err, EINVAL, "linux.seccomp.syscalls[%zu].names[%zu]: empty syscall name", i, j);
      nr = seccomp_syscall_resolve_name (name);
      if (nr == __NR_SCMP_ERROR)
        {
          /* Profiles list calls of every architecture and kernel.  */
          rt_debug ("unknown seccomp syscall \"%s\" ignored", name);
          continue;
        }
      /* libseccomp cannot AND two conditions on one argument, so runc falls
         back to one rule per condition (an OR) when an index repeats.  */
      if (same_index)
        for (size_t c = 0; c < n_conds && r == 0; c++)
          r = seccomp_rule_add_array (ctx, act, nr, 1, &conds[c]);
      else
        r = seccomp_rule_add_array (ctx, act, nr, (unsigned int) n_conds, conds);
      if (r < 0)
        return rt_fail (err, -r, "linux.seccomp.syscalls[%zu]: add the rule for syscall %s", i, name);
    }
  return 0;
}

/* libseccomp only writes its program to an fd: use an anonymous file and
   read it back.  */
static int
export_program (scmp_filter_ctx ctx, struct sock_filter **out, size_t *n_out, rt_error *err)
{
  _cleanup_close_ int fd = -1;
  _cleanup_free_ char *data = NULL;
  ssize_t len;
  int r;

  fd = memfd_create ("seccomp-bpf", MFD_CLOEXEC);
  if (fd < 0)
    return rt_fail (err, errno, "export the seccomp filter: memfd_create");
  r = seccomp_export_bpf (ctx, fd);
  if (r < 0)
    return rt_fail (err, -r, "export the seccomp filter as BPF");
  if (lseek (fd, 0, SEEK_SET) < 0)
    return rt_fail (err, errno, "export the seccomp filter: lseek");
  len = read_fd (fd, &data, err);
  if (len < 0)
    return rt_wrap (err, "export the seccomp filter");
  if (len == 0 || (size_t) len % sizeof (struct sock_filter) != 0)
    return rt_failx (err, EINVAL, "export the seccomp filter: libseccomp wrote %zd bytes, not a BPF program", len);
  *n_out = (size_t) len / sizeof (struct sock_filter);
  *out = (struct sock_filter *) TAKE_PTR (data);
  return 0;
}

static int
compile (const spec_seccomp *s, uint32_t def, sfilter *f, rt_error *err)
{
  _cleanup_free_ struct sock_filter *prog = NULL, *head = NULL;
  size_t n_prog = 0, n_head = 0, n_names = 0;
  stub_arch archs[ARRAY_SIZE (sf_arch_tokens)];
  scmp_filter_ctx ctx;
  int r = 0;

  ctx = seccomp_init (def);
  if (ctx == NULL)
    return rt_failx (err, EINVAL, "linux.seccomp.defaultAction: libseccomp refused the action \"%s\"",
                     s->default_action);

  for (size_t i = 0; i < s->n_architectures && r == 0; i++)
    {
      uint32_t token = sf_arch_tokens[name_index (sfilter_archs, s->architectures[i])];
      int a = seccomp_arch_add (ctx, token);
      /* The native architecture is always in a new filter.  */
      if (a < 0 && a != -EEXIST)
        r = rt_fail (err, -a, "linux.seccomp.architectures[%zu]: add %s", i, s->architectures[i]);
    }

  for (size_t i = 0; i < s->n_syscalls; i++)
    n_names += s->syscalls[i].n_names;
  /* A binary tree of syscalls pays off for long profiles; libseccomp up to
     2.5.4 mishandles it for an empty one, hence runc's threshold.  */
  if (r == 0 && n_names > 32)
    {
      int o = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
      if (o < 0)
        rt_debug ("seccomp binary tree optimization not available: %s", strerror (-o));
    }

  for (size_t i = 0; i < s->n_syscalls && r == 0; i++)
    r = add_rules (ctx, &s->syscalls[i], i, def, err);
  if (r == 0)
    r = export_program (ctx, &prog, &n_prog, err);
  seccomp_release (ctx);
  if (r < 0)
    return r;

  if (wants_stub (def))
    {
      size_t n_archs = collect_stub_archs (s, archs, ARRAY_SIZE (archs));
      if (n_archs > 0 && build_stub (archs, n_archs, &head, &n_head) < 0)
        return rt_failx (err, E2BIG, "linux.seccomp: the -ENOSYS stub does not fit in a BPF program");
    }

  if (n_head + n_prog > BPF_MAXINSNS)
    return rt_failx (err, E2BIG, "linux.seccomp: the filter has %zu BPF instructions, more than the kernel's %d",
                     n_head + n_prog, BPF_MAXINSNS);
  f->insns = xmalloc ((n_head + n_prog) * sizeof *f->insns);
  if (n_head)
    memcpy (f->insns, head, n_head * sizeof *head);
  memcpy (f->insns + n_head, prog, n_prog * sizeof *prog);
  f->n_insns = (unsigned short) (n_head + n_prog);
  return 0;
}

int
sfilter_build (const spec_seccomp *s, sfilter **out, rt_error *err)
{
  sfilter *f;
  uint32_t def;
  bool def_notify, uses_notify;
  int r;

  *out = NULL;
  /* runc: no default action and no rules means no filter at all.  */
  if (s == NULL || (s->default_action == NULL && s->n_syscalls == 0))
    return 0;

  if (parse_action (s->default_action, s->has_default_errno_ret, s->default_errno_ret, &def, &def_notify) < 0)
    return rt_failx (err, EINVAL, "linux.seccomp.defaultAction: unknown action \"%s\"",
                     s->default_action ? s->default_action : "");
  /* Every call the init makes after loading would wait for an agent it has
     not handed the listener to yet.  */
  if (def_notify)
    return rt_failx (err, EINVAL, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action");
  for (size_t i = 0; i < s->n_architectures; i++)
    if (name_index (sfilter_archs, s->architectures[i]) < 0)
      return rt_failx (err, EINVAL, "linux.seccomp.architectures[%zu]: unknown architecture \"%s\"", i,
                       s->architectures[i] ? s->architectures[i] : "");
  r = check_syscalls (s, &uses_notify, err);
  if (r < 0)
    return r;

  f = xzalloc (sizeof *f);
  f->notify = uses_notify;
  r = parse_flags (s, &f->flags, err);
  if (r == 0)
    r = compile (s, def, f, err);
  if (r < 0)
    {
      sfilter_free (f);
      return r;
    }
  if (f->notify)
    {
      f->flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
      /* TSYNC and a listener only go together with TSYNC_ESRCH.  */
      if (f->flags & SECCOMP_FILTER_FLAG_TSYNC)
        f->flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
    }
  else
    /* Meaningless without a listener, and the kernel would refuse it.  */
    f->flags &= ~(unsigned int) SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
  *out = f;
  return 0;
}

/* Runs in the container init after the fork: system calls only.  */
int
sfilter_load (const sfilter *f, int *listener_fd, rt_error *err)
{
  struct sock_fprog prog;
  long r;

  if (listener_fd)
    *listener_fd = -1;
  if (f == NULL)
    return 0;
  prog.len = f->n_insns;
  prog.filter = f->insns;
  r = sys_seccomp (SECCOMP_SET_MODE_FILTER, f->flags, &prog);
  if (r < 0)
    {
      int e = errno;
      if (e == EACCES)
        return rt_fail (err, e, "load the seccomp filter (it needs no_new_privs or CAP_SYS_ADMIN)");
      return rt_fail (err, e, "load the seccomp filter (flags %#x)", f->flags);
    }
  if (f->notify)
    {
      if (listener_fd)
        *listener_fd = (int) r;
      else
        close ((int) r);
    }
  return 0;
}

bool
sfilter_uses_notify (const sfilter *f)
{
  return f != NULL && f->notify;
}

void
sfilter_free (sfilter *f)
{
  if (f == NULL)
    return;
  free (f->insns);
  free (f);
}
