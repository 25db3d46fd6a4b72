/* Handing a file descriptor to another program over an AF_UNIX stream
 * socket (SCM_RIGHTS): the seccomp agent at linux.seccomp.listenerPath,
 * and the receiver of --pidfd-socket.  */
#ifndef RT_FDPASS_H
#define RT_FDPASS_H

#include <stddef.h>

#include "error.h"

/* Connect to the socket at `path` (SOCK_STREAM, close-on-exec).  `what`
 * names it in errors: "connect to <what> `path`: ECONNREFUSED".  */
int fdpass_connect (const char *path, const char *what, rt_error *err);

/* One sendmsg: `payload` as the data, `fd` as the only SCM_RIGHTS entry.  */
int fdpass_send (int sock, const void *payload, size_t len, int fd, const char *what, rt_error *err);

/* --pidfd-socket, as runc: a pidfd of the container process with the
 * payload "standard" (the init) or "setns" (an exec'd process).  */
int pidfd_socket_send (int sock, int pidfd, const char *kind, rt_error *err);

#endif
