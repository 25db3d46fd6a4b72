/* OCI hooks: each one is a program run with the container's state JSON on
 * stdin, its own args and env (nothing inherited), and an optional
 * timeout.  Where they run is the caller's business: prestart,
 * createRuntime, poststart and poststop in the runtime, createContainer
 * and startContainer in the container init.  */
#ifndef RT_HOOKS_H
#define RT_HOOKS_H

#include <sys/types.h>

#include "error.h"
#include "spec.h"

enum hook_kind
{
  HOOK_PRESTART,
  HOOK_CREATE_RUNTIME,
  HOOK_CREATE_CONTAINER,
  HOOK_START_CONTAINER,
  HOOK_POSTSTART,
  HOOK_POSTSTOP,
};

const char *hook_kind_name (enum hook_kind k);
/* The hooks of one kind from the config (NULL/0 when none).  */
const spec_hook *hooks_of (const spec *s, enum hook_kind k, size_t *n);

/* The OCI state document passed on stdin.  */
char *hooks_state_json (const char *oci_version, const char *id, const char *status, pid_t pid,
                        const char *bundle, const spec_kv *annotations, size_t n_annotations);

/* Run every hook of a kind in order; stops at the first failure, which
 * names the hook, its path and what went wrong (exit status or signal,
 * timeout) plus the first part of its stderr.  */
int hooks_run (const spec *s, enum hook_kind k, const char *state_json, rt_error *err);

#endif
