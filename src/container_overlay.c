/* fuse-overlayfs for the overlay mounts the kernel will not make (see
 * rootfs.h): the runtime's side.
 *
 * The daemon is a child of the runtime, not of the container init: it
 * lives in the host's PID namespace and the runtime's cgroup, so the
 * container can neither see it nor signal it, and freezing or killing the
 * container's cgroup leaves it alone.  It joins only the init's user
 * namespace (the kernel wants the FUSE superblock and the /dev/fuse file
 * in the same one) and mount namespace (to mount there), then takes a
 * private copy of the mount namespace: the init's pivot_root moves the
 * root of every process whose root is the old one, and the daemon must
 * not end up resolving paths inside the container's tree.
 *
 * The daemon gets an already made mount ("/dev/fd/3", which libfuse takes
 * as "mounted, serve this fd"), so it needs no privilege and no
 * fusermount; the init then stats the mount, which waits for the daemon to
 * answer, or fails with ENOTCONN when it died.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container_priv.h"
#include "linux_sys.h"
#include "pathres.h"
#include "process.h"
#include "rootfs.h"
#include "sync.h"
#include "util.h"

#define FUSE_OVERLAYFS "fuse-overlayfs"
/* fd numbers in the daemon: libfuse serves the fd named by the mount
   point "/dev/fd/N".  */
#define DAEMON_FUSE_FD 3
/* How long a daemon that dropped its connection may take to exit.  */
#define EXIT_WAIT_MS 2000

extern char **environ;

struct fuse_job
{
  const rootfs_overlay *ov;
  int userns;         /* the container's user namespace, or -1 when it has none of its own */
  int mntns;          /* the init's mount namespace */
  bool setgroups;     /* setgroups() is allowed in that user namespace */
  int fuse;           /* the host's /dev/fuse */
  int exe;            /* O_PATH of fuse-overlayfs */
  int null;           /* /dev/null, for stdin */
  int dir_fd;         /* the container directory, for the log */
  int target;         /* the mount point, in the init's mount namespace */
  int report;         /* sync socket: an error, or EOF at exec */
};

static int
daemon_setup (const struct fuse_job *j, rt_error *err)
{
  _cleanup_close_ int log = -1, fuse = -1;
  char name[64], proc[32];
  sigset_t none;

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  /* Out of the runtime's session: a ^C meant for `runc run` must not
     take the container's filesystem with it.  */
  if (setsid () < 0)
    return rt_fail (err, errno, "setsid");
  /* Before any change of identity, which may lose access to the
     directory.  */
  snprintf (name, sizeof name, FUSE_OVERLAYFS ".%d.log", (int) getpid ());
  log = openat (j->dir_fd, name, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (log < 0)
    return rt_fail (err, errno, "create the log %s", name);
  if (j->userns >= 0 && setns (j->userns, CLONE_NEWUSER) < 0)
    return rt_fail (err, errno, "join the container's user namespace");
  /* Through our own /proc, before the mount namespace changes.  */
  fuse = open (pr_fd_proc_path (j->fuse, proc, sizeof proc), O_RDWR | O_CLOEXEC);
  if (fuse < 0)
    return rt_fail (err, errno, "open /dev/fuse in the container's user namespace");
  if (setns (j->mntns, CLONE_NEWNS) < 0)
    return rt_fail (err, errno, "join the container's mount namespace");
  if (j->userns >= 0)
    {
      /* Root of the container: the owner of what it creates in the upper
         layer, and a user whose capabilities survive the exec.  */
      if (setresgid (0, 0, 0) < 0 || (j->setgroups && setgroups (0, NULL) < 0) || setresuid (0, 0, 0) < 0)
        return rt_fail (err, errno, "become root in the container's user namespace");
    }
  if (rootfs_overlay_fuse_mount (j->ov, fuse, j->target, err) < 0)
    return rt_error_ret (err);
  if (unshare (CLONE_NEWNS) < 0)
    return rt_fail (err, errno, "unshare a private mount namespace");
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return rt_fail (err, errno, "make the private mount namespace rprivate");
  /* stdin /dev/null, stdout and stderr the log, DAEMON_FUSE_FD /dev/fuse,
     nothing else across the exec.  */
  {
    int fds[] = { j->null, log, log, fuse };
    if (ctr_helper_fds (fds, ARRAY_SIZE (fds), err) < 0)
      return rt_error_ret (err);
  }
  /* The originals are close-on-exec, or were among fds 0-3 and replaced:
     closing them now could close what took their place.  */
  log = fuse = -1;
  return 0;
}

__attribute__ ((noreturn)) static void
daemon_main (const struct fuse_job *j)
{
  rt_error err = { 0 };
  char fuse_fd[32];
  char *argv[] = { (char *) FUSE_OVERLAYFS, (char *) "-f", (char *) "-o", j->ov->fuse_opts, fuse_fd, NULL };

  snprintf (fuse_fd, sizeof fuse_fd, "/dev/fd/%d", DAEMON_FUSE_FD);
  if (daemon_setup (j, &err) == 0)
    {
      execveat (j->exe, "", argv, environ, AT_EMPTY_PATH);
      rt_fail (&err, errno, "exec " FUSE_OVERLAYFS);
    }
  sync_send_error (j->report, &err);
  _exit (127);
}

static int
start_daemon (ctr_plan *p, int mntns, int dir_fd, size_t index, int target, rt_error *err)
{
  bool userns = p->new_userns || p->join_fds[SPEC_NS_USER] >= 0;
  _cleanup_close_ int exe = -1, fuse = -1, null = -1, report = -1, user = -1;
  rootfs_overlay ov;
  struct fuse_job j;
  int pair[2], ret;
  sync_msg m;
  pid_t pid;

  if (rootfs_overlay_plan (p->spec, index, p->rootfs, userns, &ov, err) < 0)
    return rt_error_ret (err);
  ret = -EINVAL;
  if (ov.fuse_opts == NULL)
    {
      ret = rt_failx (err, EINVAL, FUSE_OVERLAYFS " needs lowerdir and cannot serve data-only layers (datadir+)");
      goto out;
    }
  exe = ctr_helper_find (FUSE_OVERLAYFS, NULL, "install the fuse-overlayfs package", NULL, err);
  if (exe < 0)
    goto out;
  /* Opened here to tell a missing or forbidden device apart from the
     daemon's own failures; the daemon reopens it in the container's user
     namespace.  */
  fuse = open ("/dev/fuse", O_RDWR | O_CLOEXEC);
  if (fuse < 0)
    {
      ret = rt_fail (err, errno, "open /dev/fuse%s",
                     errno == EACCES ? " (it must be readable and writable by the user running the runtime)"
                     : errno == ENOENT ? " (is the fuse module loaded?)"
                                       : "");
      goto out;
    }
  if (userns)
    {
      user = ioctl (mntns, NS_GET_USERNS);
      if (user < 0)
        {
          ret = rt_fail (err, errno, "the user namespace of the container's mount namespace");
          goto out;
        }
    }
  null = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0)
    {
      ret = rt_fail (err, errno, "open /dev/null");
      goto out;
    }
  if (sync_pair (pair, err) < 0)
    goto out;
  report = pair[0];
  j = (struct fuse_job){
    .ov = &ov,
    .userns = user,
    .mntns = mntns,
    .setgroups = p->setgroups_allowed,
    .fuse = fuse,
    .exe = exe,
    .null = null,
    .dir_fd = dir_fd,
    .target = target,
    .report = pair[1],
  };
  pid = fork ();
  if (pid < 0)
    {
      ret = rt_fail (err, errno, "fork " FUSE_OVERLAYFS);
      close (pair[1]);
      goto out;
    }
  if (pid == 0)
    daemon_main (&j);
  close (pair[1]);
  /* The socket is close-on-exec in the daemon: EOF means it runs.  */
  ret = sync_recv (report, &m, NULL, err);
  if (ret == -EPIPE)
    {
      ctr_helper_add (p, pid);
      ret = 0;
      goto out;
    }
  if (ret == 0 && m.type == SYNC_ERROR)
    {
      *err = m.err;
      ret = rt_wrap (err, "start " FUSE_OVERLAYFS);
    }
  else if (ret == 0)
    ret = rt_failx (err, EPROTO, "start " FUSE_OVERLAYFS ": unexpected message %u", m.type);
  kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
out:
  rootfs_overlay_free (&ov);
  return ret;
}

int
ctr_overlay_serve (ctr_plan *p, int dir_fd, int32_t index, int target, int sync_fd, rt_error *err)
{
  _cleanup_close_ int mntns = -1;
  rt_error why = { 0 };
  sync_msg m;

  if (sync_recv (sync_fd, &m, &mntns, err) < 0)
    return rt_wrap (err, "sync: fuse-overlayfs request");
  if (m.type != SYNC_OVERLAY_NS || mntns < 0 || index < 0 || (size_t) index >= p->spec->n_mounts || target < 0)
    return rt_failx (err, EPROTO, "sync: bad fuse-overlayfs request for mounts[%d]", (int) index);
  if (start_daemon (p, mntns, dir_fd, (size_t) index, target, &why) == 0)
    return sync_send (sync_fd, SYNC_OVERLAY_DONE, index, err);
  /* The init reports it, with the mount it was for.  */
  if (sync_send_error (sync_fd, &why) < 0)
    {
      *err = why;
      return rt_error_ret (err);
    }
  return 0;
}

/* Wait up to `ms` for our child `pid` to exit (without reaping it).  */
static void
exited_within (pid_t pid, int ms)
{
  _cleanup_close_ int pidfd = sys_pidfd_open (pid, 0);
  struct pollfd pf = { .fd = pidfd, .events = POLLIN };

  if (pidfd >= 0)
    poll (&pf, 1, ms);
}

void
ctr_overlay_explain (const ctr_plan *p, int dir_fd, rt_error *err)
{
  for (size_t i = 0; i < p->n_helpers; i++)
    {
      _cleanup_free_ char *why = NULL;
      char name[64];
      rt_error was;

      /* A daemon that died aborts its FUSE connection when it closes
         /dev/fuse, a moment before it is gone: ENOTCONN says it is on its
         way, so let it finish.  */
      if (err->code == ENOTCONN || err->code == ECONNABORTED)
        exited_within (p->helpers[i], EXIT_WAIT_MS);
      if (proc_alive (p->helpers[i], p->helper_start_times[i]))
        continue;
      snprintf (name, sizeof name, FUSE_OVERLAYFS ".%d.log", (int) p->helpers[i]);
      why = ctr_helper_last_words (dir_fd, name);
      if (why == NULL)
        continue;
      was = *err;
      rt_failx (err, was.code, "%s (" FUSE_OVERLAYFS " exited: %s)", was.msg, why);
    }
}
