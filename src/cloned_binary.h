/* CVE-2019-5736: a process in the container must never be able to open
 * the runtime's executable for writing through /proc/PID/exe (for example
 * by making the container's /bin/sh a `#!/proc/self/exe` script and waiting
 * for an exec).  The runtime protects itself by running from a sealed
 * memfd copy of itself, which the container can at most read.
 *
 * The copy costs a re-exec, so it is made only when the container could
 * otherwise write the binary: the kernel's permission check for that open
 * uses the container's credentials against the file's owner, group and
 * mode, so a user namespace that maps none of the IDs that may write the
 * file (the common rootless case with a root-owned binary) is already
 * safe.  binary_exposure() is that decision, as a pure function.  */
#ifndef RT_CLONED_BINARY_H
#define RT_CLONED_BINARY_H

#include <stdbool.h>
#include <sys/stat.h>

#include "error.h"
#include "spec.h"

typedef struct binary_facts
{
  uid_t uid;
  gid_t gid;
  mode_t mode;
  bool read_only_mount; /* the file's mount is read-only */
} binary_facts;

/* Could a process of a container with these mappings write the file?
 * userns: the container has its own user namespace with the given maps;
 * joined_userns: it joins one whose maps we cannot see (assume exposed).  */
bool binary_exposure (const binary_facts *f, bool userns, bool joined_userns, const spec_idmap *uid_maps,
                      size_t n_uid, const spec_idmap *gid_maps, size_t n_gid);

/* Facts about /proc/self/exe.  */
int binary_facts_self (binary_facts *out, rt_error *err);

/* Is this process already running from a sealed memfd?  */
bool binary_is_sealed_copy (void);

/* Copy /proc/self/exe into a sealed memfd and execute it with argv and the
 * current environment, plus BINARY_ORIGIN_ENV naming the file copied.
 * Only returns on failure.  */
int binary_reexec_sealed (char *const *argv, rt_error *err);

/* The runtime's executable on disk, for finding the programs installed
 * beside it: the target of /proc/self/exe, or in the sealed copy (whose
 * /proc/self/exe is the memfd) the file it was copied from.  NULL when
 * unknown.  */
#define BINARY_ORIGIN_ENV "_RUNC_ORIGINAL_EXE"
char *binary_self_path (void);

#endif
