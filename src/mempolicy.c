/* linux.memoryPolicy: the NUMA memory policy of the container process,
 * set with set_mempolicy(2) before execve (see procattr.h).  */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procattr.h"
#include "util.h"

static const struct
{
  const char *name;
  int value;
} mpol_modes[] = {
  { "MPOL_DEFAULT", 0 },        { "MPOL_PREFERRED", 1 },      { "MPOL_BIND", 2 },
  { "MPOL_INTERLEAVE", 3 },     { "MPOL_LOCAL", 4 },          { "MPOL_PREFERRED_MANY", 5 },
  { "MPOL_WEIGHTED_INTERLEAVE", 6 },
},
  mpol_flags[] = {
    { "MPOL_F_STATIC_NODES", 1 << 15 },
    { "MPOL_F_RELATIVE_NODES", 1 << 14 },
    { "MPOL_F_NUMA_BALANCING", 1 << 13 },
  };

int
mpol_plan (const spec_memory_policy *mp, int *mode, bitlist *nodes, rt_error *err)
{
  size_t i;

  *mode = -1;
  for (i = 0; mp->mode && i < ARRAY_SIZE (mpol_modes); i++)
    if (strcmp (mp->mode, mpol_modes[i].name) == 0)
      *mode = mpol_modes[i].value;
  if (*mode < 0)
    return rt_failx (err, EINVAL, "linux.memoryPolicy.mode: invalid memory policy mode \"%s\"",
                     mp->mode ? mp->mode : "");
  for (i = 0; i < mp->n_flags; i++)
    {
      size_t j;
      for (j = 0; j < ARRAY_SIZE (mpol_flags); j++)
        if (mp->flags[i] && strcmp (mp->flags[i], mpol_flags[j].name) == 0)
          break;
      if (j == ARRAY_SIZE (mpol_flags))
        return rt_failx (err, EINVAL, "linux.memoryPolicy.flags[%zu]: invalid memory policy flag \"%s\"", i,
                         mp->flags[i] ? mp->flags[i] : "");
      *mode |= mpol_flags[j].value;
    }
  /* Whether a mode takes nodes, and which flags go together, is the
     kernel's to judge: set_mempolicy reports EINVAL, named in the error.  */
  if (mp->nodes && bitlist_parse (mp->nodes, BITLIST_MAX_NODES, nodes, err) < 0)
    return rt_wrap (err, "linux.memoryPolicy.nodes: invalid memory policy node set");
  return 0;
}

int
mpol_apply (int mode, const bitlist *nodes, rt_error *err)
{
  /* maxnode counts one more than the bits the kernel reads.  */
  unsigned long maxnode = nodes->n_words ? nodes->n_words * sizeof (unsigned long) * CHAR_BIT + 1 : 0;

  if (syscall (SYS_set_mempolicy, mode, nodes->n_words ? nodes->words : NULL, maxnode) < 0)
    {
      _cleanup_free_ char *list = bitlist_format (nodes);
      return rt_fail (err, errno, "linux.memoryPolicy: set_mempolicy (mode %#x, nodes \"%s\")", (unsigned) mode,
                      list);
    }
  return 0;
}
