/* Scheduling attributes of the container process: personality, scheduler,
 * I/O priority and CPU affinity (see procattr.h).  The memory policy,
 * planned from the same call, lives in mempolicy.c.  */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procattr.h"
#include "util.h"

#define WORD_BITS (sizeof (unsigned long) * CHAR_BIT)

/* ---- CPU and node lists -------------------------------------------------------------- */

static void
bitlist_set (bitlist *b, unsigned int bit)
{
  size_t w = bit / WORD_BITS;

  if (w >= b->n_words)
    {
      b->words = xrealloc (b->words, (w + 1) * sizeof *b->words);
      memset (b->words + b->n_words, 0, (w + 1 - b->n_words) * sizeof *b->words);
      b->n_words = w + 1;
    }
  b->words[w] |= 1UL << (bit % WORD_BITS);
}

bool
bitlist_test (const bitlist *b, unsigned int bit)
{
  size_t w = bit / WORD_BITS;
  return w < b->n_words && (b->words[w] & (1UL << (bit % WORD_BITS)));
}

void
bitlist_free (bitlist *b)
{
  free (b->words);
  b->words = NULL;
  b->n_words = 0;
}

/* One decimal number of a list, up to the next ',' or '-'.  */
static int
list_number (const char *list, const char **p, unsigned int max, unsigned long *out, rt_error *err)
{
  const char *start = *p;
  unsigned long v = 0;

  if (**p < '0' || **p > '9')
    {
      size_t n = strcspn (start, ",-");
      return rt_failx (err, EINVAL, "invalid list \"%s\": \"%.*s\" is not a number", list, (int) n, start);
    }
  while (**p >= '0' && **p <= '9')
    {
      /* Saturate: anything past `max` is refused below anyway.  */
      if (v <= max)
        v = v * 10 + (unsigned long) (**p - '0');
      (*p)++;
    }
  if (**p != '\0' && **p != ',' && **p != '-')
    {
      size_t n = strcspn (start, ",-");
      return rt_failx (err, EINVAL, "invalid list \"%s\": \"%.*s\" is not a number", list, (int) n, start);
    }
  if (v >= max)
    return rt_failx (err, ERANGE, "invalid list \"%s\": %.*s is out of range (the maximum is %u)", list,
                     (int) (*p - start), start, max - 1);
  *out = v;
  return 0;
}

int
bitlist_parse (const char *list, unsigned int max, bitlist *out, rt_error *err)
{
  const char *p = list;
  bitlist b = { NULL, 0 };

  while (*p)
    {
      unsigned long lo, hi;

      if (list_number (list, &p, max, &lo, err) < 0)
        goto fail;
      hi = lo;
      if (*p == '-')
        {
          p++;
          if (list_number (list, &p, max, &hi, err) < 0)
            goto fail;
          if (hi < lo)
            {
              rt_failx (err, EINVAL, "invalid list \"%s\": range %lu-%lu is reversed", list, lo, hi);
              goto fail;
            }
        }
      for (unsigned long i = lo; i <= hi; i++)
        bitlist_set (&b, (unsigned int) i);
      if (*p == ',')
        {
          p++;
          if (*p == '\0')
            {
              rt_failx (err, EINVAL, "invalid list \"%s\": trailing comma", list);
              goto fail;
            }
        }
    }
  *out = b;
  return 0;

fail:
  bitlist_free (&b);
  return rt_error_ret (err);
}

char *
bitlist_format (const bitlist *b)
{
  size_t max = b->n_words * WORD_BITS, len = 0;
  char *out = xzalloc (1);

  for (size_t i = 0; i < max; i++)
    {
      size_t j = i;
      char item[48];
      int n;

      if (!bitlist_test (b, (unsigned int) i))
        continue;
      while (j + 1 < max && bitlist_test (b, (unsigned int) (j + 1)))
        j++;
      if (j == i)
        n = snprintf (item, sizeof item, "%s%zu", len ? "," : "", i);
      else
        n = snprintf (item, sizeof item, "%s%zu-%zu", len ? "," : "", i, j);
      out = xrealloc (out, len + (size_t) n + 1);
      memcpy (out + len, item, (size_t) n + 1);
      len += (size_t) n;
      i = j;
    }
  return out;
}

/* ---- planning -------------------------------------------------------------------------- */

typedef struct name_value
{
  const char *name;
  unsigned long value;
} name_value;

static bool
lookup (const name_value *table, size_t n, const char *name, unsigned long *value)
{
  for (size_t i = 0; name && i < n; i++)
    if (strcmp (table[i].name, name) == 0)
      {
        *value = table[i].value;
        return true;
      }
  return false;
}

static const name_value sched_policies[] = {
  { "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 },       { "SCHED_BATCH", 3 },
  { "SCHED_ISO", 4 },   { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 },
};

static const name_value sched_flags[] = {
  { "SCHED_FLAG_RESET_ON_FORK", 0x01 },  { "SCHED_FLAG_RECLAIM", 0x02 },
  { "SCHED_FLAG_DL_OVERRUN", 0x04 },     { "SCHED_FLAG_KEEP_POLICY", 0x08 },
  { "SCHED_FLAG_KEEP_PARAMS", 0x10 },    { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
  { "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

static const name_value ioprio_classes[] = {
  { "IOPRIO_CLASS_RT", 1 },
  { "IOPRIO_CLASS_BE", 2 },
  { "IOPRIO_CLASS_IDLE", 3 },
};

static const name_value personality_domains[] = {
  { "LINUX", PER_LINUX },
  { "LINUX32", PER_LINUX32 },
};

static int
plan_personality (procattr_plan *pl, const spec_personality *ps, rt_error *err)
{
  if (!lookup (personality_domains, ARRAY_SIZE (personality_domains), ps->domain, &pl->personality))
    return rt_failx (err, EINVAL, "linux.personality.domain: invalid personality domain \"%s\" (LINUX or LINUX32)",
                     ps->domain ? ps->domain : "");
  /* The spec defines no flag yet: accepting one would silently drop it.  */
  if (ps->n_flags)
    return rt_failx (err, EINVAL, "linux.personality.flags[0]: invalid personality flag \"%s\" (none is supported)",
                     ps->flags[0]);
  pl->has_personality = true;
  return 0;
}

static int
plan_sched (procattr_plan *pl, const spec_scheduler *s, rt_error *err)
{
  unsigned long v;

  if (s->policy == NULL || s->policy[0] == '\0')
    return rt_failx (err, EINVAL, "process.scheduler.policy: scheduler policy is required");
  if (!lookup (sched_policies, ARRAY_SIZE (sched_policies), s->policy, &v))
    return rt_failx (err, EINVAL, "process.scheduler.policy: invalid scheduler policy \"%s\"", s->policy);
  pl->sched.policy = (uint32_t) v;
  if (s->nice < -20 || s->nice > 19)
    return rt_failx (err, EINVAL, "process.scheduler.nice: invalid scheduler.nice: %d (-20 to 19)", (int) s->nice);
  if (s->priority != 0 && v != 1 && v != 2)
    return rt_failx (err, EINVAL,
                     "process.scheduler.priority: scheduler.priority can only be specified for SchedFIFO or SchedRR "
                     "policy");
  if (v != 6 && (s->runtime || s->deadline || s->period))
    return rt_failx (err, EINVAL,
                     "process.scheduler: scheduler runtime/deadline/period can only be specified for SchedDeadline "
                     "policy");
  for (size_t i = 0; i < s->n_flags; i++)
    {
      unsigned long f;
      if (!lookup (sched_flags, ARRAY_SIZE (sched_flags), s->flags[i], &f))
        return rt_failx (err, EINVAL, "process.scheduler.flags[%zu]: invalid scheduler flag \"%s\"", i,
                         s->flags[i] ? s->flags[i] : "");
      pl->sched.flags |= f;
    }
  pl->sched.nice = s->nice;
  pl->sched.priority = (uint32_t) s->priority;
  pl->sched.runtime = s->runtime;
  pl->sched.deadline = s->deadline;
  pl->sched.period = s->period;
  pl->has_sched = true;
  return 0;
}

static int
plan_ioprio (procattr_plan *pl, const spec_io_priority *io, rt_error *err)
{
  unsigned long cls;

  if (!lookup (ioprio_classes, ARRAY_SIZE (ioprio_classes), io->class_, &cls))
    return rt_failx (err, EINVAL, "process.ioPriority.class: invalid io priority class \"%s\"",
                     io->class_ ? io->class_ : "");
  if (io->priority < 0 || io->priority > 7)
    return rt_failx (err, EINVAL, "process.ioPriority.priority: %d is out of range (0 to 7)", (int) io->priority);
  pl->ioprio = (int) (cls << 13) | (int) io->priority;
  pl->has_ioprio = true;
  return 0;
}

static int
plan_cpus (const char *list, const char *field, bitlist *out, rt_error *err)
{
  if (list == NULL || list[0] == '\0')
    return 0;
  if (bitlist_parse (list, BITLIST_MAX_CPUS, out, err) < 0)
    return rt_wrap (err, "process.execCPUAffinity.%s", field);
  return 0;
}

int
procattr_plan_init (procattr_plan *pl, const spec_process *p, const spec_linux *l, bool exec, rt_error *err)
{
  memset (pl, 0, sizeof *pl);
  pl->reset_affinity = true;
  if (l && l->personality && plan_personality (pl, l->personality, err) < 0)
    goto fail;
  if (p->scheduler && plan_sched (pl, p->scheduler, err) < 0)
    goto fail;
  if (p->io_priority && plan_ioprio (pl, p->io_priority, err) < 0)
    goto fail;
  pl->ioprio_pgrp = !exec;
  if (exec && p->exec_cpu_affinity)
    {
      if (plan_cpus (p->exec_cpu_affinity->initial, "initial", &pl->cpus_initial, err) < 0
          || plan_cpus (p->exec_cpu_affinity->final, "final", &pl->cpus_final, err) < 0)
        goto fail;
    }
  if (l && l->memory_policy)
    {
      if (mpol_plan (l->memory_policy, &pl->mpol_mode, &pl->mpol_nodes, err) < 0)
        goto fail;
      pl->has_mempolicy = true;
    }
  pl->cpuset_limited = l && l->resources && l->resources->cpu && l->resources->cpu->cpus
                       && l->resources->cpu->cpus[0];
  return 0;

fail:
  procattr_plan_free (pl);
  return rt_error_ret (err);
}

void
procattr_plan_free (procattr_plan *pl)
{
  bitlist_free (&pl->cpus_initial);
  bitlist_free (&pl->cpus_final);
  bitlist_free (&pl->mpol_nodes);
}

/* ---- applying -------------------------------------------------------------------------- */

/* The kernel's struct sched_attr (SCHED_ATTR_SIZE_VER1), declared here
   because <linux/sched/types.h> clashes with glibc's <sched.h>.  */
struct kernel_sched_attr
{
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2

static int
set_affinity (const bitlist *b, const char *what, rt_error *err)
{
  static unsigned long all[BITLIST_MAX_CPUS / WORD_BITS];

  if (b->n_words == 0)
    {
      /* Every CPU: the kernel narrows it to what the cpuset allows.  */
      memset (all, 0xff, sizeof all);
      if (sched_setaffinity (0, sizeof all, (cpu_set_t *) all) < 0)
        return rt_fail (err, errno, "reset the CPU affinity");
      return 0;
    }
  if (sched_setaffinity (0, b->n_words * sizeof *b->words, (cpu_set_t *) b->words) < 0)
    return rt_fail (err, errno, "process.execCPUAffinity.%s: sched_setaffinity", what);
  return 0;
}

int
procattr_apply (const procattr_plan *pl, rt_error *err)
{
  if (pl->has_personality && personality (pl->personality) < 0)
    return rt_fail (err, errno, "linux.personality: personality(%#lx)", pl->personality);
  if (pl->has_mempolicy && mpol_apply (pl->mpol_mode, &pl->mpol_nodes, err) < 0)
    return rt_error_ret (err);
  if (pl->has_ioprio
      && syscall (SYS_ioprio_set, pl->ioprio_pgrp ? IOPRIO_WHO_PGRP : IOPRIO_WHO_PROCESS, 0, pl->ioprio) < 0)
    return rt_fail (err, errno, "process.ioPriority: ioprio_set(class %d, priority %d)", pl->ioprio >> 13,
                    pl->ioprio & 7);
  if ((pl->reset_affinity || pl->cpus_final.n_words) && set_affinity (&pl->cpus_final, "final", err) < 0)
    return rt_error_ret (err);
  if (pl->has_sched)
    {
      struct kernel_sched_attr a;

      memset (&a, 0, sizeof a);
      a.size = sizeof a;
      a.sched_policy = pl->sched.policy;
      a.sched_flags = pl->sched.flags;
      a.sched_nice = pl->sched.nice;
      a.sched_priority = pl->sched.priority;
      a.sched_runtime = pl->sched.runtime;
      a.sched_deadline = pl->sched.deadline;
      a.sched_period = pl->sched.period;
      if (syscall (SYS_sched_setattr, 0, &a, 0) < 0)
        {
          /* SCHED_DEADLINE needs every CPU of the root domain; runc's
             wording for the usual cause.  */
          if (errno == EPERM && pl->cpuset_limited)
            return rt_failx (err, EPERM, "process.scheduler: process scheduler can't be used together with "
                                         "AllowedCPUs (linux.resources.cpu.cpus)");
          return rt_fail (err, errno, "process.scheduler: sched_setattr (policy %u)", pl->sched.policy);
        }
    }
  return 0;
}

int
procattr_pin_initial (const procattr_plan *pl, bitlist *saved, rt_error *err)
{
  bitlist old = { NULL, 0 };

  saved->words = NULL;
  saved->n_words = 0;
  if (pl->cpus_initial.n_words == 0)
    return 0;
  old.n_words = BITLIST_MAX_CPUS / WORD_BITS;
  old.words = xzalloc (old.n_words * sizeof *old.words);
  if (sched_getaffinity (0, old.n_words * sizeof *old.words, (cpu_set_t *) old.words) < 0)
    {
      bitlist_free (&old);
      return rt_fail (err, errno, "sched_getaffinity");
    }
  if (set_affinity (&pl->cpus_initial, "initial", err) < 0)
    {
      bitlist_free (&old);
      return rt_error_ret (err);
    }
  *saved = old;
  return 0;
}

int
procattr_restore_affinity (const bitlist *saved, rt_error *err)
{
  if (saved->n_words && sched_setaffinity (0, saved->n_words * sizeof *saved->words, (cpu_set_t *) saved->words) < 0)
    return rt_fail (err, errno, "restore the runtime's CPU affinity");
  return 0;
}
