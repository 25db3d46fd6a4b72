/* Container lifecycle: the library API the CLI verbs call.  Every function
 * returns >= 0 on success and -errno with `err` filled on failure; none of
 * them prints.  */
#ifndef RT_CONTAINER_H
#define RT_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

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
  const char *notify_socket;  /* the runtime's $NOTIFY_SOCKET, NULL = none (notify_socket.h) */
  int listen_fds;             /* socket activation: fds 3.. for the init (listen_fds.h) */
  const char *listen_fdnames; /* the runtime's $LISTEN_FDNAMES, NULL = none */
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
/* start with the runtime's $NOTIFY_SOCKET (NULL = plain start): bind the
 * container's notify socket first, then relay its READY=1 with
 * MAINPID=<init> before returning (notify_socket.h).  */
int rt_container_start_notify (const rt_context *ctx, const char *id, const char *notify_socket, rt_error *err);
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

#endif
