/* Container lifecycle: the library API the CLI verbs call.  Every function
 * returns >= 0 on success and -errno with `err` filled on failure; none of
 * them prints.  */
#ifndef RT_CONTAINER_H
#define RT_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "error.h"
#include "spec.h"

enum rt_rootless
{
  RT_ROOTLESS_AUTO,
  RT_ROOTLESS_TRUE,
  RT_ROOTLESS_FALSE,
};

/* The global options, resolved once by the CLI.  */
typedef struct rt_context
{
  const char *root; /* absolute state root */
  bool root_is_default;
  bool debug;
  bool systemd_cgroup;
  enum rt_rootless rootless_opt;
  const char *criu; /* --criu path, default "criu" */
  /* The process's own argv, used to re-execute from a sealed copy of the
   * binary when a container could otherwise overwrite it (see
   * cloned_binary.h).  NULL disables that (unit tests only).  */
  char *const *argv;
} rt_context;

/* Is the cgroup manager rootless (errors from missing cgroup permissions
 * degraded as runc does)?  Follows runc's --rootless auto rules.  */
bool rt_context_rootless (const rt_context *ctx);

enum rt_status
{
  RT_STATUS_CREATING,
  RT_STATUS_CREATED,
  RT_STATUS_RUNNING,
  RT_STATUS_PAUSED,
  RT_STATUS_STOPPED,
};
const char *rt_status_name (enum rt_status s);

typedef struct rt_create_opts
{
  const char *id;
  const char *bundle;         /* NULL = current directory */
  const char *pid_file;       /* NULL = none */
  const char *console_socket; /* NULL = none */
  const char *pidfd_socket;   /* NULL = none */
  bool no_pivot;
  bool no_new_keyring;
  int preserve_fds;
  /* run only */
  bool detach;
  bool keep;
  bool no_subreaper;
} rt_create_opts;

/* create: the init is left blocked on exec.fifo and the runtime exits.  */
int rt_container_create (const rt_context *ctx, const rt_create_opts *o, rt_error *err);

/* run: create + start.  In the foreground the runtime stays as the init's
 * parent, forwards signals, relays the terminal, reaps, destroys the
 * container (unless keep) and stores the exit status in *status as a shell
 * would report it (128+N for a signal).  With detach, *status is 0.  */
int rt_container_run (const rt_context *ctx, const rt_create_opts *o, int *status, rt_error *err);

/* exec: a new process in a running (or created) container.  */
typedef struct rt_exec_opts
{
  const char *id;
  const char *process_file; /* -p: an OCI process JSON; the flags below are then ignored */
  char *const *args;        /* the command (when no process_file) */
  size_t n_args;
  const char *cwd;
  char *const *env; /* appended to the config's env */
  size_t n_env;
  bool tty;
  const char *user; /* "uid[:gid]", numeric */
  const uint32_t *additional_gids;
  size_t n_additional_gids;
  bool detach;
  const char *pid_file;
  const char *console_socket;
  const char *pidfd_socket;
  const char *process_label;
  const char *apparmor;
  int no_new_privs; /* -1: as configured, else 0/1 */
  char *const *caps; /* added to bounding, effective, permitted (and ambient when inheritable is set) */
  size_t n_caps;
  int preserve_fds;
  char *const *cgroups; /* --cgroup: "path" or "ctrl[,ctrl]:path" */
  size_t n_cgroups;
  bool ignore_paused;
} rt_exec_opts;

/* Foreground: *status is the process's exit status (128+N for a signal).
 * Detached: 0 once the process runs.  */
int rt_container_exec (const rt_context *ctx, const rt_exec_opts *o, int *status, rt_error *err);

int rt_container_start (const rt_context *ctx, const char *id, rt_error *err);
int rt_container_kill (const rt_context *ctx, const char *id, int sig, bool all, rt_error *err);
int rt_container_delete (const rt_context *ctx, const char *id, bool force, rt_error *err);

/* A snapshot of one container, for `state` and `list`.  */
typedef struct rt_container_info
{
  char *oci_version;
  char *id;
  pid_t pid; /* 0 when stopped */
  enum rt_status status;
  char *bundle;
  char *rootfs;
  char *created;
  spec_kv *annotations;
  size_t n_annotations;
  uid_t owner; /* owner of <root>/<id> */
} rt_container_info;

void rt_container_info_free (rt_container_info *info);
int rt_container_info_get (const rt_context *ctx, const char *id, rt_container_info *out, rt_error *err);
/* All containers in the root; entries that cannot be read are skipped with
 * a warning.  A missing default root is an empty list; a missing explicit
 * --root is an error.  */
int rt_container_list (const rt_context *ctx, rt_container_info **out, size_t *n, rt_error *err);

/* ---- the commands that work through the cgroup (container_cgroup.c) ---- */

/* ps: the host PIDs of every process of the container, from its cgroup
 * (for a container without a cgroup: the init and its descendants).  The
 * CLI runs the host's ps and keeps the lines of these PIDs (json: prints
 * them).  A stopped container has none.  */
int rt_container_pids (const rt_context *ctx, const char *id, pid_t **pids, size_t *n, rt_error *err);

/* pause / resume: freeze or thaw the cgroup and wait until the kernel
 * reports it done; `state` then says "paused".  Errors as runc's:
 * "container not running" (pause of a stopped or paused container),
 * "container not paused" (resume of anything else).  EPERM means no
 * access to the cgroup (runc adds a hint about it).  */
int rt_container_pause (const rt_context *ctx, const char *id, rt_error *err);
int rt_container_resume (const rt_context *ctx, const char *id, rt_error *err);

/* update: every option is NULL (or has_* false) when not given; values
 * are the flag's text, parsed here with runc's rules and messages (sizes
 * with go-units suffixes, -1 = unlimited).  With resources_path (a JSON
 * file of linux.resources, "-" for stdin) the other options are
 * ignored.  */
typedef struct rt_update_opts
{
  const char *resources_path;
  const char *cpu_period, *cpu_quota, *cpu_burst, *cpu_share;
  const char *cpu_rt_period, *cpu_rt_runtime;
  const char *cpuset_cpus, *cpuset_mems, *cpu_idle;
  const char *memory, *memory_reservation, *memory_swap;
  const char *kernel_memory, *kernel_memory_tcp; /* obsolete: warned about, ignored */
  bool has_blkio_weight;
  int blkio_weight;
  bool has_pids_limit;
  int64_t pids_limit;
  const char *l3_cache_schema, *mem_bw_schema;
} rt_update_opts;

/* The resources an update changes (only what was given).  */
int rt_update_resources (const rt_update_opts *o, spec_resources **out, rt_error *err);
/* Apply the update to a created, running or paused container ("container
 * not running" otherwise) and record it in the stored config.json.  */
int rt_container_update (const rt_context *ctx, const char *id, const rt_update_opts *o, rt_error *err);

/* events --stats: one snapshot ("container with id ID is not running"
 * when stopped).  Free with cg_stats_free.  */
int rt_container_stats (const rt_context *ctx, const char *id, cg_stats *out, rt_error *err);
/* One line of `events` output, as runc encodes it (compact, no newline):
 * {"type":"stats","id":ID,"data":{...}} or, with stats NULL,
 * {"type":"oom","id":ID}.  */
char *rt_event_json (const char *type, const char *id, const cg_stats *stats);
/* Called with each event line; a negative return stops the stream and is
 * returned.  */
typedef int (*rt_event_cb) (const char *json_line, void *data);
/* events: a stats event every interval_ms and an oom event on each OOM
 * kill, until the container's cgroup is gone.  With stats_only, one stats
 * event and return.  The container's lock is not held while streaming.  */
int rt_container_events (const rt_context *ctx, const char *id, uint64_t interval_ms, bool stats_only,
                         rt_event_cb cb, void *data, rt_error *err);

#endif
