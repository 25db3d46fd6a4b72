/* Scheduling and memory attributes of a container process: execution
 * domain (linux.personality), scheduler (process.scheduler), I/O priority
 * (process.ioPriority), CPU affinity (process.execCPUAffinity) and NUMA
 * memory policy (linux.memoryPolicy).
 *
 * Each is planned in the runtime before any fork -- parsed and validated,
 * with errors naming the config field -- into a procattr_plan, and the
 * process applies the plan to itself with procattr_apply(): a handful of
 * system calls and no allocation, safe between fork and execve.  */
#ifndef RT_PROCATTR_H
#define RT_PROCATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "spec.h"

/* A set of CPUs or NUMA nodes as the kernel takes it: an array of longs,
 * bit N of the set = bit N % LONG_BIT of word N / LONG_BIT.  */
typedef struct bitlist
{
  unsigned long *words; /* NULL when empty */
  size_t n_words;
} bitlist;

#define BITLIST_MAX_CPUS 8192 /* the kernel's largest CONFIG_NR_CPUS */
#define BITLIST_MAX_NODES 1024 /* the kernel's largest MAX_NUMNODES */

/* Parse the kernel's list format ("0-3,7": decimal numbers and ranges,
 * comma-separated) into *out; every number must be below `max`.  An empty
 * string gives an empty set.  Errors are complete sentences about the list
 * itself, for the caller to prefix with the field:
 *   invalid list "0-x": "x" is not a number  */
int bitlist_parse (const char *list, unsigned int max, bitlist *out, rt_error *err);
bool bitlist_test (const bitlist *b, unsigned int bit);
/* Back to the list format, ranges merged ("0-3,7"); "" when empty.  */
char *bitlist_format (const bitlist *b);
void bitlist_free (bitlist *b);

typedef struct procattr_sched
{
  uint32_t policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;
} procattr_sched;

typedef struct procattr_plan
{
  bool has_personality;
  unsigned long personality;

  bool has_sched;
  procattr_sched sched;
  bool cpuset_limited; /* linux.resources.cpu.cpus is set: explains EPERM */

  bool has_ioprio;
  int ioprio;         /* class << 13 | priority */
  bool ioprio_pgrp;   /* to the process group (the init leads its own) */

  bitlist cpus_initial; /* exec only: the runtime before the cgroup move */
  bitlist cpus_final;   /* empty: every CPU the cgroup allows */
  bool reset_affinity;  /* undo the runtime's own affinity (always, as runc) */

  bool has_mempolicy;
  int mpol_mode; /* mode | flags */
  bitlist mpol_nodes;
} procattr_plan;

/* Plan for the container init (`exec` false) or an exec'd process.  The
 * init ignores execCPUAffinity, which the spec does not apply to it, and
 * takes the I/O priority for its whole process group.  Messages follow
 * runc's where it has one, prefixed with the field, e.g.
 *   process.scheduler.priority: scheduler.priority can only be specified
 *   for SchedFIFO or SchedRR policy
 *   linux.memoryPolicy.flags[1]: invalid memory policy flag "badflag"  */
int procattr_plan_init (procattr_plan *pl, const spec_process *p, const spec_linux *l, bool exec, rt_error *err);
void procattr_plan_free (procattr_plan *pl);

/* In the process itself, after it joined the container's cgroup and
 * before it drops privileges or loads its seccomp filter (which might deny
 * these calls): personality, memory policy, I/O priority, CPU affinity,
 * then the scheduler (SCHED_DEADLINE needs the full affinity first).  */
int procattr_apply (const procattr_plan *pl, rt_error *err);

/* The runtime's side of execCPUAffinity.initial: pin the calling process
 * (about to fork the exec'd process) and report the old mask in *saved so
 * the runtime can restore itself after the fork.  No-op (0, *saved empty)
 * without an initial list.  */
int procattr_pin_initial (const procattr_plan *pl, bitlist *saved, rt_error *err);
int procattr_restore_affinity (const bitlist *saved, rt_error *err);

/* Memory policy alone (mempolicy.c), used by procattr_plan_init.  The
 * names it accepts, NULL-terminated, for `features`.  */
extern const char *const mpol_mode_names[];
extern const char *const mpol_flag_names[];
int mpol_plan (const spec_memory_policy *mp, int *mode, bitlist *nodes, rt_error *err);
int mpol_apply (int mode, const bitlist *nodes, rt_error *err);

#endif
