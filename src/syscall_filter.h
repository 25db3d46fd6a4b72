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

/* Validate and compile, in the runtime before the fork.  Errors name the
 * config path, e.g.
 * "linux.seccomp.syscalls[2].action: unknown action \"SCMP_ACT_FOO\"".
 * Like runc: unknown syscall names are skipped (they may not exist on this
 * architecture), a rule repeating the default action is skipped, several
 * conditions on one argument index become separate rules (an OR), errnoRet
 * and defaultErrnoRet default to EPERM for ERRNO and TRACE, absent `flags`
 * mean SECCOMP_FILTER_FLAG_SPEC_ALLOW when the kernel has it (an explicit
 * empty list -- flags != NULL, n_flags == 0 -- means none), and an -ENOSYS
 * stub is put in front for the listed architectures (not when the default
 * is ALLOW, LOG or TRACE).  Refused: SCMP_ACT_NOTIFY as default or on
 * write, notify without listenerPath, flags the kernel lacks.
 * *out is NULL (and 0 returned) when the config asks for no filter: no
 * linux.seccomp, or neither defaultAction nor syscalls.  */
int sfilter_build (const spec_seccomp *s, sfilter **out, rt_error *err);
/* Install in the calling thread with seccomp(2) and nothing else (no
 * allocation, no libseccomp): safe in the forked init.  Needs
 * no_new_privs or CAP_SYS_ADMIN.  A NULL filter is a no-op.  When the
 * filter uses SCMP_ACT_NOTIFY, *listener_fd receives the notification fd
 * (O_CLOEXEC; else -1).  */
int sfilter_load (const sfilter *f, int *listener_fd, rt_error *err);
bool sfilter_uses_notify (const sfilter *f);
void sfilter_free (sfilter *f);

/* Names for `features`: NULL-terminated lists.  */
extern const char *const sfilter_actions[];
extern const char *const sfilter_operators[];
extern const char *const sfilter_archs[];
extern const char *const sfilter_known_flags[];
/* The subset of sfilter_known_flags this kernel accepts, probed once with
 * seccomp(2) and an invalid program (EFAULT: known, EINVAL: unknown).
 * Returns a NULL-terminated static array.  */
const char *const *sfilter_supported_flags (void);
/* libseccomp's runtime version "2.5.4".  */
const char *sfilter_libseccomp_version (void);

#endif
