/* OCI mount options: the same table runc uses (flags, propagation, the
 * recursive mount_setattr forms, extensions), anything unknown being
 * filesystem data.  Pure: no system calls.  */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "mountopt.h"
#include "util.h"

enum opt_kind
{
  OPT_NOOP,      /* "defaults" */
  OPT_SET,       /* MS_* flag set */
  OPT_CLEAR,     /* MS_* flag explicitly cleared */
  OPT_PROP,      /* propagation */
  OPT_ATTR_SET,  /* recursive mount_setattr attribute set */
  OPT_ATTR_CLR,  /* ... cleared */
  OPT_BIND,
  OPT_RBIND,
  OPT_IDMAP,
  OPT_RIDMAP,
  OPT_TMPCOPYUP,
};

struct opt_def
{
  const char *name;
  enum opt_kind kind;
  uint64_t value;
};

/* Sorted by name for bsearch.  */
static const struct opt_def opt_table[] = {
  { "async", OPT_CLEAR, MS_SYNCHRONOUS },
  { "atime", OPT_CLEAR, MS_NOATIME },
  { "bind", OPT_BIND, MS_BIND },
  { "defaults", OPT_NOOP, 0 },
  { "dev", OPT_CLEAR, MS_NODEV },
  { "diratime", OPT_CLEAR, MS_NODIRATIME },
  { "dirsync", OPT_SET, MS_DIRSYNC },
  { "exec", OPT_CLEAR, MS_NOEXEC },
  { "idmap", OPT_IDMAP, 0 },
  { "iversion", OPT_SET, MS_I_VERSION },
  { "lazytime", OPT_SET, MS_LAZYTIME },
  { "loud", OPT_CLEAR, MS_SILENT },
  { "mand", OPT_SET, MS_MANDLOCK },
  { "noatime", OPT_SET, MS_NOATIME },
  { "nodev", OPT_SET, MS_NODEV },
  { "nodiratime", OPT_SET, MS_NODIRATIME },
  { "noexec", OPT_SET, MS_NOEXEC },
  { "noiversion", OPT_CLEAR, MS_I_VERSION },
  { "nolazytime", OPT_CLEAR, MS_LAZYTIME },
  { "nomand", OPT_CLEAR, MS_MANDLOCK },
  { "norelatime", OPT_CLEAR, MS_RELATIME },
  { "nostrictatime", OPT_CLEAR, MS_STRICTATIME },
  { "nosuid", OPT_SET, MS_NOSUID },
  { "nosymfollow", OPT_SET, MS_NOSYMFOLLOW },
  { "private", OPT_PROP, MS_PRIVATE },
  { "ratime", OPT_ATTR_CLR, MOUNT_ATTR_NOATIME },
  { "rbind", OPT_RBIND, MS_BIND | MS_REC },
  { "rdev", OPT_ATTR_CLR, MOUNT_ATTR_NODEV },
  { "rdiratime", OPT_ATTR_CLR, MOUNT_ATTR_NODIRATIME },
  { "relatime", OPT_SET, MS_RELATIME },
  { "remount", OPT_SET, MS_REMOUNT },
  { "rexec", OPT_ATTR_CLR, MOUNT_ATTR_NOEXEC },
  { "ridmap", OPT_RIDMAP, 0 },
  { "rnoatime", OPT_ATTR_SET, MOUNT_ATTR_NOATIME },
  { "rnodev", OPT_ATTR_SET, MOUNT_ATTR_NODEV },
  { "rnodiratime", OPT_ATTR_SET, MOUNT_ATTR_NODIRATIME },
  { "rnoexec", OPT_ATTR_SET, MOUNT_ATTR_NOEXEC },
  { "rnorelatime", OPT_ATTR_CLR, MOUNT_ATTR_RELATIME },
  { "rnostrictatime", OPT_ATTR_CLR, MOUNT_ATTR_STRICTATIME },
  { "rnosuid", OPT_ATTR_SET, MOUNT_ATTR_NOSUID },
  { "rnosymfollow", OPT_ATTR_SET, MOUNT_ATTR_NOSYMFOLLOW },
  { "ro", OPT_SET, MS_RDONLY },
  { "rprivate", OPT_PROP, MS_PRIVATE | MS_REC },
  { "rrelatime", OPT_ATTR_SET, MOUNT_ATTR_RELATIME },
  { "rro", OPT_ATTR_SET, MOUNT_ATTR_RDONLY },
  { "rrw", OPT_ATTR_CLR, MOUNT_ATTR_RDONLY },
  { "rshared", OPT_PROP, MS_SHARED | MS_REC },
  { "rslave", OPT_PROP, MS_SLAVE | MS_REC },
  { "rstrictatime", OPT_ATTR_SET, MOUNT_ATTR_STRICTATIME },
  { "rsuid", OPT_ATTR_CLR, MOUNT_ATTR_NOSUID },
  { "rsymfollow", OPT_ATTR_CLR, MOUNT_ATTR_NOSYMFOLLOW },
  { "runbindable", OPT_PROP, MS_UNBINDABLE | MS_REC },
  { "rw", OPT_CLEAR, MS_RDONLY },
  { "shared", OPT_PROP, MS_SHARED },
  { "silent", OPT_SET, MS_SILENT },
  { "slave", OPT_PROP, MS_SLAVE },
  { "strictatime", OPT_SET, MS_STRICTATIME },
  { "suid", OPT_CLEAR, MS_NOSUID },
  { "symfollow", OPT_CLEAR, MS_NOSYMFOLLOW },
  { "sync", OPT_SET, MS_SYNCHRONOUS },
  { "tmpcopyup", OPT_TMPCOPYUP, 0 },
  { "unbindable", OPT_PROP, MS_UNBINDABLE },
};

/* What `features` reports: runc lists everything it knows except the
 * idmap options (those are announced by linux.mountExtensions).  */
const char *const mountopt_known[] = {
  "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "iversion", "lazytime",
  "loud", "mand", "noatime", "nodev", "nodiratime", "noexec", "noiversion", "nolazytime", "nomand",
  "norelatime", "nostrictatime", "nosuid", "nosymfollow", "private", "ratime", "rbind", "rdev",
  "rdiratime", "relatime", "remount", "rexec", "rnoatime", "rnodev", "rnodiratime", "rnoexec",
  "rnorelatime", "rnostrictatime", "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro",
  "rrw", "rshared", "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared",
  "silent", "slave", "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable", NULL,
};

static int
opt_cmp (const void *key, const void *elem)
{
  return strcmp (key, ((const struct opt_def *) elem)->name);
}

static void
apply_attr (mount_opts *o, bool set, uint64_t attr)
{
  /* The access-time attributes are one value in a 3-bit field, not
     independent flags: mount_setattr(2) only changes the field when all of
     MOUNT_ATTR__ATIME is in attr_clr.  Clearing the mode in force (ratime
     after rnoatime, rnostrictatime after rstrictatime) goes back to the
     kernel default, relatime; "rnorelatime" alone has nothing to undo.  */
  bool atime_mode = attr == MOUNT_ATTR_NOATIME || attr == MOUNT_ATTR_STRICTATIME
                    || attr == MOUNT_ATTR_RELATIME;

  if (atime_mode)
    {
      if (set)
        {
          o->attr_set = (o->attr_set & ~(uint64_t) MOUNT_ATTR__ATIME) | attr;
          o->attr_clr |= MOUNT_ATTR__ATIME;
        }
      else if (attr != MOUNT_ATTR_RELATIME)
        {
          o->attr_set &= ~(uint64_t) MOUNT_ATTR__ATIME;
          o->attr_clr |= MOUNT_ATTR__ATIME;
        }
      return;
    }
  if (set)
    {
      o->attr_set |= attr;
      o->attr_clr &= ~attr;
    }
  else
    {
      o->attr_clr |= attr;
      o->attr_set &= ~attr;
    }
}

int
mountopt_parse (char *const *opts, size_t n, const char *what, mount_opts *out, rt_error *err)
{
  size_t data_len = 0;
  char *data = NULL;

  memset (out, 0, sizeof *out);
  for (size_t i = 0; i < n; i++)
    {
      const struct opt_def *d;
      const char *opt = opts[i];

      if (opt == NULL)
        {
          free (data);
          return rt_failx (err, EINVAL, "%s: options[%zu]: missing value", what, i);
        }
      if (*opt == '\0')
        continue;
      d = bsearch (opt, opt_table, ARRAY_SIZE (opt_table), sizeof opt_table[0], opt_cmp);
      if (d == NULL)
        {
          size_t len = strlen (opt);
          data = xrealloc (data, data_len + len + 2);
          if (data_len > 0)
            data[data_len++] = ',';
          memcpy (data + data_len, opt, len + 1);
          data_len += len;
          continue;
        }
      switch (d->kind)
        {
        case OPT_NOOP:
          break;
        case OPT_SET:
          out->flags |= d->value;
          out->clear &= ~d->value;
          break;
        case OPT_CLEAR:
          out->flags &= ~d->value;
          out->clear |= d->value;
          break;
        case OPT_PROP:
          /* mount(2) accepts one propagation type per call; the last one
             named wins.  */
          out->propagation = d->value;
          break;
        case OPT_ATTR_SET:
        case OPT_ATTR_CLR:
          apply_attr (out, d->kind == OPT_ATTR_SET, d->value);
          break;
        case OPT_RBIND:
          out->recursive_bind = true;
          /* fall through */
        case OPT_BIND:
          out->bind = true;
          out->flags |= d->value;
          break;
        case OPT_IDMAP:
          out->idmap = true;
          break;
        case OPT_RIDMAP:
          out->ridmap = true;
          break;
        case OPT_TMPCOPYUP:
          out->tmpcopyup = true;
          break;
        }
    }
  out->data = data;
  return 0;
}

void
mountopt_free (mount_opts *o)
{
  if (o == NULL)
    return;
  free (o->data);
  o->data = NULL;
}
