/* seccomp filters from linux.seccomp, built with libseccomp (named
 * syscall_filter.h so it never shadows libseccomp's <seccomp.h>).
 *
 * The filter is compiled to BPF in the runtime before any fork, and the
 * child only issues the seccomp(2) system call, so every filter flag can be
 * passed whatever the libseccomp version.  */
#ifndef RT_SYSCALL_FILTER_H
#define RT_SYSCALL_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "spec.h"

typedef struct sfilter sfilter;

/* Validate and compile.  Errors name the config path, e.g.
 * "linux.seccomp.syscalls[2].action: unknown action \"SCMP_ACT_FOO\"".
 * Unknown syscall names are skipped (they may not exist on this
 * architecture), as runc does.  */
int sfilter_build (const spec_seccomp *s, sfilter **out, rt_error *err);
/* Install in the calling thread.  When the filter uses SCMP_ACT_NOTIFY,
 * *listener_fd receives the notification fd (else -1).  */
int sfilter_load (const sfilter *f, int *listener_fd, rt_error *err);
bool sfilter_uses_notify (const sfilter *f);
void sfilter_free (sfilter *f);

/* Names for `features`: NULL-terminated lists.  */
extern const char *const sfilter_actions[];
extern const char *const sfilter_operators[];
extern const char *const sfilter_archs[];
extern const char *const sfilter_known_flags[];
/* The subset of sfilter_known_flags this kernel accepts (probed).  Returns
 * a NULL-terminated static array.  */
const char *const *sfilter_supported_flags (void);
/* libseccomp's runtime version "2.5.4".  */
const char *sfilter_libseccomp_version (void);

#endif
