/* Capabilities: the name table, the plan computed from the spec and the two
 * apply steps the container init runs around its identity switch.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"
#include "util.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

/* Indexed by capability number: the kernel's numbering is ABI.  */
const char *const caps_all_names[] = {
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
  NULL,
};

#define CAPS_KNOWN ((int) ARRAY_SIZE (caps_all_names) - 1)

int
caps_from_name (const char *name)
{
  if (name == NULL)
    return -EINVAL;
  for (int i = 0; i < CAPS_KNOWN; i++)
    if (strcmp (caps_all_names[i], name) == 0)
      return i;
  return -EINVAL;
}

const char *
caps_name (int cap)
{
  if (cap < 0 || cap >= CAPS_KNOWN)
    return NULL;
  return caps_all_names[cap];
}

int
caps_last_cap (void)
{
  static int cached = -1;
  char buf[32] = { 0 };
  int fd, n = -1;

  if (cached >= 0)
    return cached;

  fd = open ("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      ssize_t r = read (fd, buf, sizeof buf - 1);
      close (fd);
      if (r > 0 && sscanf (buf, "%d", &n) == 1 && n >= 0 && n < 64)
        return cached = n;
    }

  /* No /proc (e.g. a container without it mounted yet): the bounding set
     answers EINVAL past the last capability the kernel knows.  */
  for (n = 0; n < 64; n++)
    if (prctl (PR_CAPBSET_READ, (unsigned long) n, 0, 0, 0) < 0 && errno == EINVAL)
      break;
  return cached = n > 0 ? n - 1 : CAPS_KNOWN - 1;
}

/* The names ignored while planning, kept sorted and unique so the warning
   reads the same as runc's ("[CAP_A CAP_B]").  */
typedef struct name_set
{
  const char *v[64];
  size_t n;
  bool truncated;
} name_set;

static void
name_set_add (name_set *s, const char *name)
{
  size_t i = 0;

  while (i < s->n && strcmp (s->v[i], name) < 0)
    i++;
  if (i < s->n && strcmp (s->v[i], name) == 0)
    return;
  if (s->n == ARRAY_SIZE (s->v))
    {
      s->truncated = true;
      return;
    }
  memmove (&s->v[i + 1], &s->v[i], (s->n - i) * sizeof s->v[0]);
  s->v[i] = name;
  s->n++;
}

static void
name_set_report (const name_set *s, const char *what, bool warning)
{
  char list[RT_ERROR_MSG_MAX];
  size_t len = 0;

  if (s->n == 0)
    return;
  list[0] = '\0';
  for (size_t i = 0; i < s->n && len < sizeof list; i++)
    {
      int r = snprintf (list + len, sizeof list - len, "%s%s", i ? " " : "", s->v[i]);
      if (r < 0)
        break;
      len += (size_t) r;
    }
  if (warning)
    rt_warn ("%s: [%s%s]", what, list, s->truncated ? " ..." : "");
  else
    rt_debug ("%s: [%s%s]", what, list, s->truncated ? " ..." : "");
}

static uint64_t
caps_mask (char *const *names, size_t n, int last, name_set *unknown)
{
  uint64_t mask = 0;

  for (size_t i = 0; i < n; i++)
    {
      int cap = caps_from_name (names[i]);
      if (cap < 0 || cap > last)
        {
          name_set_add (unknown, names[i] ? names[i] : "");
          continue;
        }
      mask |= UINT64_C (1) << cap;
    }
  return mask;
}

/* The ambient names dropped because `allowed` lacks them.  */
static void
caps_collect_missing (char *const *names, size_t n, uint64_t ambient, uint64_t allowed, name_set *out)
{
  for (size_t i = 0; i < n; i++)
    {
      int cap = caps_from_name (names[i]);
      if (cap >= 0 && cap < 64 && (ambient & (UINT64_C (1) << cap)) && !(allowed & (UINT64_C (1) << cap)))
        name_set_add (out, names[i]);
    }
}

int
caps_plan_from_spec (const spec_capabilities *c, caps_plan *out, rt_error *err)
{
  name_set unknown = { 0 }, no_inh = { 0 }, no_perm = { 0 };
  int last = caps_last_cap ();

  memset (out, 0, sizeof *out);
  if (c == NULL)
    return 0;

  out->bounding = caps_mask (c->bounding, c->n_bounding, last, &unknown);
  out->effective = caps_mask (c->effective, c->n_effective, last, &unknown);
  out->inheritable = caps_mask (c->inheritable, c->n_inheritable, last, &unknown);
  out->permitted = caps_mask (c->permitted, c->n_permitted, last, &unknown);
  out->ambient = caps_mask (c->ambient, c->n_ambient, last, &unknown);

  /* The kernel refuses PR_CAP_AMBIENT_RAISE for a capability that is not
     both permitted and inheritable.  runc drops such names with a warning
     rather than failing, and configs in the wild rely on that.  */
  caps_collect_missing (c->ambient, c->n_ambient, out->ambient, out->inheritable, &no_inh);
  out->ambient &= out->inheritable;
  caps_collect_missing (c->ambient, c->n_ambient, out->ambient, out->permitted, &no_perm);
  out->ambient &= out->permitted;

  /* Every config written by runc up to 1.1's `spec` lists ambient
     capabilities without inheritable ones, and the kernel's rule makes
     their meaning unambiguous, so this one is a debug note, not a warning
     on every container such a config starts (runc >= 1.2 warns).  */
  name_set_report (&no_inh,
                   "unable to set Ambient capabilities which are not set in Inheritable; "
                   "ignoring following Ambient capabilities",
                   false);
  name_set_report (&no_perm,
                   "unable to set Ambient capabilities which are not set in Permitted; "
                   "ignoring following Ambient capabilities",
                   true);
  name_set_report (&unknown, "ignoring unknown or unavailable capabilities", true);
  (void) err;
  return 0;
}

static const char *
caps_label (int cap, char *buf, size_t len)
{
  const char *name = caps_name (cap);
  if (name)
    return name;
  snprintf (buf, len, "capability %d", cap);
  return buf;
}

int
caps_apply_bounding (const caps_plan *p, rt_error *err)
{
  int last = caps_last_cap ();
  char buf[32];

  for (int cap = 0; cap <= last; cap++)
    {
      int r;

      if (p->bounding & (UINT64_C (1) << cap))
        continue;
      r = prctl (PR_CAPBSET_READ, (unsigned long) cap, 0, 0, 0);
      if (r < 0)
        return rt_fail (err, errno, "read the bounding set entry of %s", caps_label (cap, buf, sizeof buf));
      if (r == 0)
        continue;
      if (prctl (PR_CAPBSET_DROP, (unsigned long) cap, 0, 0, 0) < 0)
        return rt_fail (err, errno, "drop %s from the bounding set", caps_label (cap, buf, sizeof buf));
    }
  return 0;
}

static int
caps_fill (cap_t caps, cap_flag_t flag, uint64_t mask, int last)
{
  cap_value_t list[64];
  int n = 0;

  for (int cap = 0; cap <= last && cap < 64; cap++)
    if (mask & (UINT64_C (1) << cap))
      list[n++] = cap;
  if (n == 0)
    return 0;
  return cap_set_flag (caps, flag, n, list, CAP_SET);
}

int
caps_apply (const caps_plan *p, rt_error *err)
{
  int last = caps_last_cap ();
  char buf[32];
  cap_t caps;
  int r;

  caps = cap_init ();
  if (caps == NULL)
    return rt_fail (err, errno, "allocate a capability set");
  if (caps_fill (caps, CAP_EFFECTIVE, p->effective, last) < 0
      || caps_fill (caps, CAP_PERMITTED, p->permitted, last) < 0
      || caps_fill (caps, CAP_INHERITABLE, p->inheritable, last) < 0)
    {
      r = errno;
      cap_free (caps);
      return rt_fail (err, r, "build the capability set");
    }
  r = cap_set_proc (caps);
  if (r < 0)
    {
      r = errno;
      cap_free (caps);
      return rt_fail (err, r, "set the effective, permitted and inheritable capabilities (capset)");
    }
  cap_free (caps);

  /* Start from an empty ambient set: the runtime's own must not leak into
     the container.  Kernels before 4.3 have no ambient set at all.  */
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    {
      if (errno == EINVAL && p->ambient == 0)
        return 0;
      return rt_fail (err, errno, "clear the ambient capabilities");
    }
  for (int cap = 0; cap <= last; cap++)
    {
      if (!(p->ambient & (UINT64_C (1) << cap)))
        continue;
      if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long) cap, 0, 0) < 0)
        return rt_fail (err, errno, "raise ambient %s", caps_label (cap, buf, sizeof buf));
    }
  return 0;
}
