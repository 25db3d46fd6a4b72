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

/* The kernel's numbering: a mode's value is its index.  */
const char *const mpol_mode_names[] = {
  "MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL", "MPOL_PREFERRED_MANY",
  "MPOL_WEIGHTED_INTERLEAVE", NULL,
};

const char *const mpol_flag_names[] = {
  "MPOL_F_STATIC_NODES",
  "MPOL_F_RELATIVE_NODES",
  "MPOL_F_NUMA_BALANCING",
  NULL,
};
static const int mpol_flag_values[] = { 1 << 15, 1 << 14, 1 << 13 };

int
mpol_plan (const spec_memory_policy *mp, int *mode, bitlist *nodes, rt_error *err)
{
  size_t i;

  *mode = -1;
  for (i = 0; mp->mode && mpol_mode_names[i]; i++)
    if (strcmp (mp->mode, mpol_mode_names[i]) == 0)
      *mode = (int) i;
  if (*mode < 0)
    return rt_failx (err, EINVAL, "linux.memoryPolicy.mode: invalid memory policy mode \"%s\"",
                     mp->mode ? mp->mode : "");
  for (i = 0; i < mp->n_flags; i++)
    {
      size_t j;
      for (j = 0; j < ARRAY_SIZE (mpol_flag_values); j++)
        if (mp->flags[i] && strcmp (mp->flags[i], mpol_flag_names[j]) == 0)
          break;
      if (j == ARRAY_SIZE (mpol_flag_values))
        return rt_failx (err, EINVAL, "linux.memoryPolicy.flags[%zu]: invalid memory policy flag \"%s\"", i,
                         mp->flags[i] ? mp->flags[i] : "");
      *mode |= mpol_flag_values[j];
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
