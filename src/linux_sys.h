/* Thin wrappers for system calls glibc 2.36 does not wrap (or wraps only
 * recently), so every module uses one definition.  They return what the
 * kernel returns, with errno set on failure.  */
#ifndef RT_LINUX_SYS_H
#define RT_LINUX_SYS_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

struct clone_args;

pid_t sys_clone3 (struct clone_args *args, size_t size);
int sys_pidfd_open (pid_t pid, unsigned int flags);
int sys_pidfd_send_signal (int pidfd, int sig, siginfo_t *info, unsigned int flags);
int sys_pivot_root (const char *new_root, const char *put_old);
int sys_close_range (unsigned int first, unsigned int last, unsigned int flags);
long sys_keyctl_join_session (const char *name);

/* Whether this process runs in the initial user namespace with full
 * mappings (cached): decides "real root" versus "root in a namespace".  */
int in_initial_userns (void);

#endif
