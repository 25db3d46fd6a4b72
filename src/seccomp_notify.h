/* The seccomp agent of linux.seccomp.listenerPath: when the filter uses
 * SCMP_ACT_NOTIFY, the runtime connects to that AF_UNIX socket, once per
 * container process (the init, and each exec), and sends the container
 * process state as JSON with the filter's notification fd attached
 * (SCM_RIGHTS), then closes the connection (runtime-spec config-linux.md,
 * "The Container Process State").
 *
 * The init cannot reach a host path once it has pivoted, so it hands the
 * fd to the runtime over the sync socket (SYNC_SECCOMP) and the runtime
 * makes the connection.  */
#ifndef RT_SECCOMP_NOTIFY_H
#define RT_SECCOMP_NOTIFY_H

#include <sys/types.h>

#include "error.h"
#include "spec.h"

typedef struct seccomp_proc_state
{
  pid_t pid;            /* the process whose filter it is, as the runtime sees it */
  const char *metadata; /* linux.seccomp.listenerMetadata, NULL = none */
  /* the container's state */
  const char *id;
  const char *status; /* "creating" for the init, "running" for exec */
  pid_t init_pid;
  const char *bundle;
  const spec_kv *annotations;
  size_t n_annotations;
} seccomp_proc_state;

/* The JSON document, as runc writes it (compact, Go field order, empty
 * optional fields left out):
 *   {"ociVersion":"1.3.0","fds":["seccompFd"],"pid":42,"metadata":"...",
 *    "state":{"ociVersion":"1.3.0","id":"c1","status":"creating","pid":42,
 *             "bundle":"/b","annotations":{"k":"v"}}}  */
char *seccomp_state_json (const seccomp_proc_state *s);

/* Connect to listener_path and send the document with `listener_fd`.
 * A failure is an error for the container, as the spec requires. */
int seccomp_notify_send (const char *listener_path, const seccomp_proc_state *s, int listener_fd, rt_error *err);

#endif
