/* User-namespace ID mappings: planning (pure) and applying.
 *
 * A mapping is written directly to /proc/PID/{uid,gid}_map when the caller
 * may do so by itself: as real root, or as an ordinary user mapping only its
 * own ID (one range of size 1), in which case "deny" must first be written
 * to /proc/PID/setgroups.  Anything else goes through the setuid helpers
 * newuidmap/newgidmap, whose failures are explained per range using the
 * caller's /etc/subuid and /etc/subgid entries.  */
#ifndef RT_IDMAP_H
#define RT_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

enum idmap_method
{
  IDMAP_DIRECT,        /* write the map file ourselves */
  IDMAP_DIRECT_DENY,   /* write "deny" to setgroups first (gid map of an unprivileged user) */
  IDMAP_HELPER,        /* exec newuidmap / newgidmap */
};

/* A subordinate-ID range from /etc/subuid or /etc/subgid.  */
typedef struct subid_range
{
  uint32_t start;
  uint32_t count;
} subid_range;

/* Parse /etc/subuid-format text ("name:start:count" lines), keeping the
 * entries that belong to `name` (may be NULL) or to the decimal `id`.
 * Comments, blank and malformed lines (wrong field count, non-numbers,
 * count 0, ranges reaching ID 4294967295, which no map can hold) are skipped, as newuidmap skips them.
 * `*out` is malloc'd (possibly empty, never NULL).  */
int subid_parse (const char *text, const char *name, uint32_t id, subid_range **out, size_t *n, rt_error *err);

/* Decide how the uid (is_gid=false) or gid map must be written.
 * privileged: the caller has CAP_SETUID (CAP_SETGID for a gid map) in its
 * own user namespace, the parent of the one being mapped (real root, or
 * root of a rootless session).  self: the caller's euid (or egid).
 * Also validates what the kernel would reject with a bare EINVAL: an empty
 * list, a size of 0, a range past 4294967294, overlapping ranges.  */
int idmap_plan (const spec_idmap *maps, size_t n, bool is_gid, bool privileged, uint32_t self,
                enum idmap_method *out, rt_error *err);

/* Check every range the way newuidmap/newgidmap do: a range is allowed
 * when the union of the subordinate ranges covers it, or when it is the
 * caller's own ID alone (size 1).  On failure name the first range that is
 * not covered (EPERM), e.g. "linux.uidMappings[1] (containerID 1, hostID
 * 100000, size 65536) is not covered by /etc/subuid entries for user alice
 * (alice has 200000-265535)" or "... user alice has no entry in
 * /etc/subuid".  `user` may be NULL (no passwd entry): "uid N" is shown.  */
int idmap_check_subids (const spec_idmap *maps, size_t n, bool is_gid, uint32_t self, const char *user,
                        const subid_range *ranges, size_t n_ranges, rt_error *err);

/* Format "containerID hostID size\n..." as the kernel wants it.  */
char *idmap_format (const spec_idmap *maps, size_t n);

/* Write the maps of process `pid` using the planned method.  For the
 * helper method the binary is looked up in PATH and its failure is
 * explained (missing binary, no setuid bit or file capability, range not
 * in /etc/sub[ug]id).  */
int idmap_apply (pid_t pid, const spec_idmap *uid_maps, size_t n_uid, const spec_idmap *gid_maps,
                 size_t n_gid, rt_error *err);

/* Find `name` ("newuidmap") in `path_env` (a $PATH value; NULL means the
 * usual system directories) and check that running it can gain privilege:
 * setuid root or a security.capability xattr, not on a nosuid mount.
 * ENOENT "newuidmap not found in PATH: install the uidmap package", or
 * EPERM "newuidmap at /usr/bin/newuidmap is neither setuid root nor has
 * file capabilities".  */
int idmap_find_helper (const char *name, const char *path_env, char **out, rt_error *err);

/* Has setgroups(2) been denied in the user namespace of `pid` (0: our
 * own), i.e. does /proc/PID/setgroups say "deny"?  False when the file
 * cannot be read (kernels before 3.19 have no such rule).  */
bool idmap_setgroups_denied (pid_t pid);

/* Is `id` (a host ID) mapped by `maps`, and to what container ID?  */
bool idmap_host_to_container (const spec_idmap *maps, size_t n, uint32_t host_id, uint32_t *out);
bool idmap_container_to_host (const spec_idmap *maps, size_t n, uint32_t container_id, uint32_t *out);

#endif
