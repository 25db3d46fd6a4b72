/* `runc doctor`: is this machine ready for rootless containers, for this
 * user, and what is missing?
 *
 * Each check looks for itself, by doing the thing where that is harmless:
 * a user namespace is created and mapped, an overlay is mounted in one, the
 * devices are opened, the D-Bus socket connected to, `criu check` run.
 * Each reports ok, warn or fail, a detail and, unless ok, the remedy.
 *
 * Required checks, which fail: user namespaces, the caller's subordinate
 * uid and gid ranges, newuidmap and newgidmap, the state root.  Without
 * them a rootless container cannot be made (or can map only the caller).
 * The others only warn: cgroup delegation, the systemd user bus, /dev/net/tun,
 * FUSE, native overlay in a user namespace, unprivileged ports and ping,
 * checkpointing.  As root, the subordinate-ID checks are ok (root writes
 * ID maps itself).
 *
 * Nothing here prints; nothing is left behind (the overlay probe's
 * directory is removed, the state root is not created).  */
#ifndef RT_DOCTOR_H
#define RT_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

enum doctor_status
{
  DOCTOR_OK,
  DOCTOR_WARN,
  DOCTOR_FAIL,
};

typedef struct doctor_check
{
  const char *name; /* "userns", "subuid", ... (static) */
  bool required;
  enum doctor_status status;
  char *detail;
  char *remedy; /* NULL when there is nothing to do */
} doctor_check;

typedef struct doctor_report
{
  doctor_check *checks;
  size_t n;
} doctor_report;

typedef struct doctor_opts
{
  const char *root_opt; /* --root, NULL for the default state root */
  const char *criu;     /* --criu, NULL for "criu" in PATH */
} doctor_opts;

/* Run every check, in a fixed order.  */
void doctor_run (const doctor_opts *o, doctor_report *out);
void doctor_report_free (doctor_report *r);
/* Did a required check fail?  */
bool doctor_report_failed (const doctor_report *r);
const char *doctor_status_name (enum doctor_status s);

#endif
