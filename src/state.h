/* The state store: <root>/<id>/ holds state.json (our runtime state),
 * config.json (a private copy of the bundle's config, so later commands do
 * not depend on the bundle staying unchanged), and exec.fifo while the
 * container is "created".
 *
 * Concurrency: every command that reads-then-acts on a container holds an
 * flock() on the container directory fd for the duration.  */
#ifndef RT_STATE_H
#define RT_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "error.h"
#include "spec.h"

#define STATE_FILE "state.json"
#define STATE_CONFIG_FILE "config.json"
#define STATE_FIFO_FILE "exec.fifo"

/* Resolve the state root.  `opt_root` is the --root value or NULL.
 * Default rules: real root (euid 0 in the initial user namespace) uses
 * /run/runc; otherwise $XDG_RUNTIME_DIR/runc; otherwise /run/user/UID/runc
 * when /run/user/UID exists and belongs to the user; otherwise an error
 * that suggests --root.  The result is absolute; "/" is refused.
 * Does not touch the filesystem beyond the checks above.  */
int state_root_resolve (const char *opt_root, char **out, rt_error *err);

/* What state_root_resolve looks at, gathered in one place so every rule
 * can be exercised by tests without changing the process's identity.  */
typedef struct state_root_env
{
  uid_t euid;
  bool initial_userns;         /* /proc/self/uid_map is "0 0 4294967295" */
  const char *xdg_runtime_dir; /* $XDG_RUNTIME_DIR; NULL or "" = unset */
  const char *user;            /* $USER; NULL = unset */
  const char *run_user;        /* where per-user runtime dirs live: "/run/user" */
} state_root_env;

/* Fill `env` from the current process (pointers into environ).  */
void state_root_env_current (state_root_env *env);
int state_root_resolve_env (const char *opt_root, const state_root_env *env, char **out, rt_error *err);

/* Open (and with `create`, make: mkdir -p, mode 0700) the state root.
 * Refuses a root not owned by the caller's euid.  Returns an O_PATH|
 * O_DIRECTORY fd or -errno; ENOENT is returned as such (without creating)
 * when `create` is false, so `list` can treat a missing default root as
 * empty.  */
int state_root_open (const char *root, bool create, rt_error *err);
/* Inside a per-user runtime directory ($XDG_RUNTIME_DIR, /run/user/UID)
 * state_root_open (create) also forces mode 01700 on the root, as runc
 * does: the sticky bit keeps systemd's periodic clean-up of that directory
 * away from our state.  */

/* runc's rule: non-empty, only [A-Za-z0-9_+.-], and not "." or "..";
 * plus at most STATE_ID_MAX bytes, since the ID names a directory.
 * Failure: EINVAL, "invalid container ID format: ID".  */
#define STATE_ID_MAX 255
int state_validate_id (const char *id, rt_error *err);

/* Create <root>/<id> (mode 0700) exclusively and return a locked
 * (LOCK_EX) O_DIRECTORY fd.  EEXIST gives "container with id exists: ID".  */
int state_dir_create (int root_fd, const char *id, rt_error *err);

/* Open an existing container directory and lock it (exclusive or shared).
 * A missing directory or state.json gives ENOENT with
 * "container does not exist" (runc's wording, used for its exit code).
 * The check is made after the lock is held, so a caller that waited for a
 * concurrent delete sees the container gone; a directory re-created under
 * the same name meanwhile is opened afresh.  */
int state_dir_open (int root_fd, const char *id, bool exclusive, rt_error *err);

/* Remove every file in <root>/<id> and the directory itself; state.json
 * goes first, so lock waiters see the container gone even if the rest
 * fails.  A directory that is already gone is not an error.  */
int state_dir_remove (int root_fd, const char *id, rt_error *err);

/* Names of the entries in the root that look like containers (valid IDs,
 * directories), sorted.  */
int state_list_ids (int root_fd, char ***ids, size_t *n, rt_error *err);

typedef struct rt_state
{
  char *id;
  pid_t pid;               /* init on the host; 0 once known stopped */
  uint64_t pid_start_time; /* /proc/PID/stat field 22, guards against PID reuse */
  char *bundle;            /* absolute */
  char *rootfs;            /* absolute */
  char *created;           /* RFC 3339 with nanoseconds, UTC */
  char *oci_version;       /* from config.json */
  spec_kv *annotations;
  size_t n_annotations;

  bool rootless;       /* resolved --rootless: cgroup errors may be degraded */
  bool systemd_cgroup; /* created with --systemd-cgroup */
  char *cgroup;        /* driver-specific serialized cgroup location, NULL = none */
  bool has_pidns;      /* the container has a private PID namespace */
  bool userns;         /* the container has its own user namespace */
  bool no_pivot;
  bool keep_on_exit;   /* run --keep */

  /* Helper processes that live and die with the container (network
   * helper, fuse-overlayfs...): killed on delete.  */
  pid_t *helpers;
  uint64_t *helper_start_times;
  size_t n_helpers;
} rt_state;

void rt_state_free (rt_state *st);

/* state.json in the container directory, written atomically (mode 0600).
 * The file carries "version": STATE_VERSION; state_read ignores unknown
 * keys, refuses a newer version, and reports anything else it cannot use
 * as "state.json of container ID is corrupt: ...".  A missing file is
 * ENOENT "container does not exist".  On failure `st` is left empty.  */
#define STATE_VERSION 1
int state_write (int dir_fd, const rt_state *st, rt_error *err);
int state_read (int dir_fd, rt_state *st, rt_error *err);

/* Process identity helpers.  start_time reads field 22 of /proc/PID/stat
 * (counted after the last ')', since the command name may contain spaces
 * and parentheses): 0, -ESRCH when the process is gone, -EINVAL when the
 * file cannot be parsed.  alive reports false for a missing PID, a zombie
 * (exited, not reaped: on hosts whose PID 1 does not reap, these linger),
 * or a PID whose start time does not match (reused).  */
int proc_start_time (pid_t pid, uint64_t *out);
bool proc_alive (pid_t pid, uint64_t start_time);

/* Current time as runc prints it: RFC 3339 with nanoseconds, UTC, e.g.
 * "2026-11-23T13:38:00.123456789Z".  */
char *rfc3339_now (void);
/* The formatting behind rfc3339_now, Go's RFC3339Nano: trailing zeros of
 * the fraction are dropped, and the dot too when the fraction is 0.  */
char *rfc3339_format (const struct timespec *ts);

#endif
