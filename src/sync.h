/* The sync socket between the runtime and the container init while it is
 * being set up: a SOCK_SEQPACKET pair, one fixed-size message per packet,
 * so a message can never be split or merged and the child can report a
 * full rt_error before it _exit()s.  File descriptors (the pty master)
 * travel as SCM_RIGHTS on the same socket.  */
#ifndef RT_SYNC_H
#define RT_SYNC_H

#include <stdint.h>
#include <sys/types.h>

#include "error.h"

enum sync_type
{
  SYNC_GO = 1,     /* parent -> child: maps written, cgroup joined; carry on */
  SYNC_USERNS,     /* child -> parent: user namespace unshared, write its maps */
  SYNC_PID,        /* child -> parent: the real init's PID (after a double fork) */
  SYNC_READY,      /* child -> parent: set up, waiting for start */
  SYNC_START,      /* parent -> child (run): exec now */
  SYNC_ERROR,      /* child -> parent: setup failed, err attached; the child exits */
  SYNC_PTY,        /* child -> parent: pty master attached as SCM_RIGHTS */
  SYNC_HOOKS,      /* child -> parent: run the hooks of phase `value` in the runtime namespace */
  SYNC_HOOKS_DONE, /* parent -> child */
  SYNC_IDMAP,      /* parent -> child: idmapped tree for mounts[value], as SCM_RIGHTS */
  SYNC_OVERLAY,    /* child -> parent: serve mounts[value] with fuse-overlayfs on the attached mount point */
  SYNC_OVERLAY_NS, /* child -> parent, right after SYNC_OVERLAY: the child's mount namespace attached */
  SYNC_OVERLAY_DONE, /* parent -> child: fuse-overlayfs started (or SYNC_ERROR) */
  SYNC_SECCOMP,    /* child -> parent: seccomp notification fd attached, for the agent (container_ext.h) */
  SYNC_NETNS,      /* child -> parent: network namespace made (attached), move linux.netDevices in, note it
                      for runc-slirp; answered by GO */
};

typedef struct sync_msg
{
  uint32_t type;
  int32_t value;
  rt_error err; /* SYNC_ERROR only */
} sync_msg;

/* Both ends CLOEXEC.  */
int sync_pair (int fds[2], rt_error *err);
int sync_send (int fd, uint32_t type, int32_t value, rt_error *err);
int sync_send_fd (int fd, uint32_t type, int32_t value, int passed_fd, rt_error *err);
int sync_send_error (int fd, const rt_error *e);
/* Receive one message.  Returns 0 on a message, -EPIPE on EOF (peer closed,
 * e.g. after a successful execve), -errno otherwise.  A received fd (if
 * any) goes to *passed_fd (else -1; may be NULL when none is expected).  */
int sync_recv (int fd, sync_msg *m, int *passed_fd, rt_error *err);
/* Receive and require a given type; a SYNC_ERROR from the peer is copied
 * into err.  */
int sync_expect (int fd, uint32_t type, sync_msg *m, rt_error *err);

#endif
