/* Socket activation (sd_listen_fds(3)) through the runtime, as runc does
 * it for create and run: when the runtime was started with LISTEN_FDS=N
 * and LISTEN_PID equal to its own PID, the fds 3 .. 3+N-1 are passed on
 * to the container's init at the same numbers, ahead of --preserve-fds,
 * and the init gets LISTEN_FDS=N and LISTEN_PID=1 -- plus LISTEN_FDNAMES
 * when the runtime got one (runc drops it; passing it on lets
 * sd_listen_fds_with_names() work in the container).  */
#ifndef RT_LISTEN_FDS_H
#define RT_LISTEN_FDS_H

#include <sys/types.h>

#include "error.h"

/* N from the runtime's LISTEN_PID and LISTEN_FDS values (either may be
 * NULL), or 0 when they are absent, malformed or meant for another
 * process.  */
int listen_fds_count (const char *listen_pid, const char *listen_fds, pid_t self);

/* The fds must really be open in the runtime: a wrong count would
 * otherwise hand the container whatever the runtime opens there.  */
int listen_fds_check (int n, rt_error *err);

/* "LISTEN_FDS=N", "LISTEN_PID=1" and, when names is non-NULL,
 * "LISTEN_FDNAMES=names" into env[], which has room for 3.  Returns how
 * many were written (malloc'd strings).  */
size_t listen_fds_env (int n, const char *names, char **env);

#endif
