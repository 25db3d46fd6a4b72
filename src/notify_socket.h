/* The NOTIFY_SOCKET proxy (sd_notify(3) through the runtime), as runc
 * does it.  When the runtime runs with NOTIFY_SOCKET set (a systemd
 * service of Type=notify):
 *
 *  - create and run make <state root>/<id>/notify/, bind-mount it
 *    read-only on /run/notify in the container and set
 *    NOTIFY_SOCKET=/run/notify/notify.sock for the init;
 *  - run (before the process starts) or start (before it lets the init
 *    go) binds a datagram socket there, notify.sock, mode 0777 so any
 *    container user can write to it;
 *  - then they wait for the container to send READY=..., and pass that on
 *    to the runtime's own NOTIFY_SOCKET together with MAINPID: the
 *    container's init for start and run -d, the runtime itself for run in
 *    the foreground (it stays the service's main process).  A container
 *    whose init exits first just ends the wait.
 *
 * The host socket may be abstract ("@name"), as sd_notify allows.  */
#ifndef RT_NOTIFY_SOCKET_H
#define RT_NOTIFY_SOCKET_H

#include <sys/types.h>

#include "error.h"
#include "spec.h"

#define NOTIFY_DIR "notify"
#define NOTIFY_SOCK "notify.sock"
#define NOTIFY_CONTAINER_DIR "/run/notify"
#define NOTIFY_CONTAINER_PATH NOTIFY_CONTAINER_DIR "/" NOTIFY_SOCK

/* create/run: make the directory in the container's state directory
 * (`state_dir` is its path, `dir_fd` an fd on it) and add its mount to
 * the spec.  The init's environment entry is NOTIFY_CONTAINER_PATH.  */
int notify_socket_setup (spec *s, int dir_fd, const char *state_dir, rt_error *err);

/* Bind <state_dir>/notify/notify.sock.  Returns the socket, or -ENOENT
 * (err filled) when the container was created without a notify
 * directory.  */
int notify_socket_bind (const char *state_dir, rt_error *err);

/* Wait on `sock` for a datagram with a READY= line while the process of
 * `watch_pidfd` lives, then send that line and MAINPID=<mainpid> to
 * `host_path` in one datagram.  Returns 0 once forwarded or when the
 * process exited without being ready.  */
int notify_socket_forward (int sock, const char *host_path, int watch_pidfd, pid_t mainpid, rt_error *err);

/* The READY= line of a datagram, or NULL; *len is its length.  */
const char *notify_ready_line (const char *msg, size_t n, size_t *len);

#endif
