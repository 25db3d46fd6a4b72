/* Parsing of OCI mount options (pure, unit-tested).  */
#ifndef RT_MOUNTOPT_H
#define RT_MOUNTOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct mount_opts
{
  unsigned long flags;       /* MS_* to set with mount(2); MS_BIND|MS_REC mirror bind/recursive_bind */
  unsigned long clear;       /* MS_* explicitly turned off ("rw", "suid", "dev", ...) */
  unsigned long propagation; /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE, | MS_REC for the r* forms; 0 = none */
  uint64_t attr_set;         /* MOUNT_ATTR_* for the recursive "r" forms (rro, rnosuid, ...) */
  uint64_t attr_clr;
  bool bind;                 /* "bind" or "rbind" */
  bool recursive_bind;       /* "rbind" */
  bool idmap;                /* "idmap" */
  bool ridmap;               /* "ridmap" */
  bool tmpcopyup;
  char *data;                /* everything else, comma-joined, for the filesystem; NULL if none */
} mount_opts;

/* `what` names the mount for error messages (e.g. "mounts[3]").  Unknown
 * options are passed to the filesystem as data, as runc does; empty
 * options are dropped and "defaults" is a no-op (runc passes it on as
 * data, which tmpfs and most filesystems reject).  A set/clear pair of the
 * same flag: the last one wins.  out->data must be released with
 * mountopt_free.  */
int mountopt_parse (char *const *opts, size_t n, const char *what, mount_opts *out, rt_error *err);
void mountopt_free (mount_opts *o);

/* The sorted list of option names we recognise, for `features`.  */
extern const char *const mountopt_known[];

#endif
