/* The lifecycle commands that act on an existing container: start, kill,
 * delete, state and list.  Each one takes the container directory's lock
 * for its whole duration, derives the status from the kernel (not from a
 * stored field that could be stale) and acts through a pidfd, so a reused
 * PID is never signalled.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container_priv.h"
#include "hooks.h"
#include "linux_sys.h"
#include "util.h"

const char *
rt_status_name (enum rt_status s)
{
  switch (s)
    {
    case RT_STATUS_CREATING:
      return "creating";
    case RT_STATUS_CREATED:
      return "created";
    case RT_STATUS_RUNNING:
      return "running";
    case RT_STATUS_PAUSED:
      return "paused";
    case RT_STATUS_STOPPED:
      return "stopped";
    }
  return "unknown";
}

bool
rt_context_rootless (const rt_context *ctx)
{
  switch (ctx->rootless_opt)
    {
    case RT_ROOTLESS_TRUE:
      return true;
    case RT_ROOTLESS_FALSE:
      return false;
    case RT_ROOTLESS_AUTO:
      break;
    }
  if (geteuid () != 0)
    return true;
  /* Root inside a user namespace cannot be sure of its cgroup access.  */
  return !in_initial_userns ();
}

enum rt_status
ctr_status (int dir_fd, const rt_state *st, cg_manager *cg)
{
  struct stat sb;
  bool frozen = false;
  rt_error ignored;

  if (st->pid <= 0 || !proc_alive (st->pid, st->pid_start_time))
    return RT_STATUS_STOPPED;
  /* Frozen first, as runc: a created container can be paused too.  */
  if (cg && cg_is_frozen (cg, &frozen, &ignored) == 0 && frozen)
    return RT_STATUS_PAUSED;
  if (fstatat (dir_fd, STATE_FIFO_FILE, &sb, AT_SYMLINK_NOFOLLOW) == 0)
    return RT_STATUS_CREATED;
  return RT_STATUS_RUNNING;
}

void
ctr_close (ctr_handle *o)
{
  if (o->dir_fd >= 0)
    close (o->dir_fd);
  if (o->root_fd >= 0)
    close (o->root_fd);
  rt_state_free (&o->st);
  cg_manager_free (o->cg);
}

int
ctr_open (const rt_context *ctx, const char *id, bool exclusive, ctr_handle *o, rt_error *err)
{
  memset (o, 0, sizeof *o);
  o->root_fd = o->dir_fd = -1;
  if (state_validate_id (id, err) < 0)
    return rt_error_ret (err);
  o->root_fd = state_root_open (ctx->root, false, err);
  if (o->root_fd < 0)
    {
      if (o->root_fd == -ENOENT)
        return rt_failx (err, ENOENT, "container does not exist");
      return o->root_fd;
    }
  o->dir_fd = state_dir_open (o->root_fd, id, exclusive, err);
  if (o->dir_fd < 0)
    return o->dir_fd;
  if (state_read (o->dir_fd, &o->st, err) < 0)
    return rt_error_ret (err);
  if (cg_manager_load (o->st.cgroup, o->st.rootless, &o->cg, err) < 0)
    return rt_error_ret (err);
  o->status = ctr_status (o->dir_fd, &o->st, o->cg);
  return 0;
}

int
ctr_open_init (const rt_state *st, rt_error *err)
{
  int fd = sys_pidfd_open (st->pid, 0);
  if (fd < 0)
    return rt_fail (err, errno, "pidfd_open %d", (int) st->pid);
  /* Checked after opening: from here the pidfd pins this exact process.  */
  if (!proc_alive (st->pid, st->pid_start_time))
    {
      close (fd);
      return rt_failx (err, ESRCH, "container not running");
    }
  return fd;
}

/* The config as it was at create (or last update): hooks and everything
 * else come from this copy, not from a bundle that may have changed.  */
static spec *
stored_config (int dir_fd, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  ssize_t len = read_file_at (dir_fd, STATE_CONFIG_FILE, &text, err);
  if (len < 0)
    return NULL;
  return spec_load_text (text, len, "config.json", err);
}

static void
warn_hooks (const spec *s, const rt_state *st, enum hook_kind k, const char *status)
{
  _cleanup_free_ char *state = NULL;
  rt_error err = { 0 };
  size_t n;

  if (hooks_of (s, k, &n) == NULL || n == 0)
    return;
  state = hooks_state_json (s->oci_version, st->id, status, st->pid, st->bundle, st->annotations,
                            st->n_annotations);
  if (hooks_run (s, k, state, &err) < 0)
    rt_warn ("%s", err.msg);
}

int
rt_container_start (const rt_context *ctx, const char *id, rt_error *err)
{
  ctr_handle o;
  _cleanup_close_ int fifo = -1, pidfd = -1;
  int ret;

  ret = ctr_open (ctx, id, true, &o, err);
  if (ret < 0)
    goto out;
  switch (o.status)
    {
    case RT_STATUS_CREATED:
      break;
    case RT_STATUS_STOPPED:
      ret = rt_failx (err, EINVAL, "cannot start a container that has stopped");
      goto out;
    default:
      ret = rt_failx (err, EINVAL, "cannot start an already running container");
      goto out;
    }
  pidfd = ctr_open_init (&o.st, err);
  if (pidfd < 0)
    {
      ret = pidfd;
      goto out;
    }
  /* Opening for reading without blocking, then waiting for either the
     init's byte or its death, means a dead init cannot hang `start`.  */
  fifo = openat (o.dir_fd, STATE_FIFO_FILE, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fifo < 0)
    {
      ret = rt_fail (err, errno, "open exec.fifo");
      goto out;
    }
  for (;;)
    {
      struct pollfd p[2] = { { .fd = fifo, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };
      char c;
      if (poll (p, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          ret = rt_fail (err, errno, "poll exec.fifo");
          goto out;
        }
      if (p[0].revents & POLLIN)
        {
          ssize_t n = read (fifo, &c, 1);
          if (n == 1 && c == '0')
            break;
          if (n == 1)
            {
              /* The init's startContainer hooks failed: it sent why.  */
              char msg[RT_ERROR_MSG_MAX];
              ssize_t len;
              fcntl (fifo, F_SETFL, 0);
              len = read_all (fifo, msg, sizeof msg - 1);
              msg[len > 0 ? len : 0] = '\0';
              unlinkat (o.dir_fd, STATE_FIFO_FILE, 0);
              ret = rt_failx (err, EIO, "%s", msg);
              goto out;
            }
          if (n < 0 && errno == EAGAIN)
            continue;
        }
      if (p[1].revents & POLLIN)
        {
          ret = rt_failx (err, ESRCH, "cannot start a container that has stopped");
          goto out;
        }
      if (p[0].revents & POLLHUP)
        {
          ret = rt_failx (err, EPIPE, "container init closed exec.fifo without starting");
          goto out;
        }
    }
  if (unlinkat (o.dir_fd, STATE_FIFO_FILE, 0) < 0)
    {
      ret = rt_fail (err, errno, "remove exec.fifo");
      goto out;
    }
  ret = 0;
  {
    rt_error e2 = { 0 };
    spec *s = stored_config (o.dir_fd, &e2);
    if (s)
      warn_hooks (s, &o.st, HOOK_POSTSTART, "running");
    spec_free (s);
  }
out:
  ctr_close (&o);
  return ret;
}

int
rt_container_kill (const rt_context *ctx, const char *id, int sig, bool all, rt_error *err)
{
  ctr_handle o;
  _cleanup_close_ int pidfd = -1;
  int ret;

  ret = ctr_open (ctx, id, false, &o, err);
  if (ret < 0)
    goto out;
  if (o.status == RT_STATUS_STOPPED)
    {
      ret = rt_failx (err, ESRCH, "container not running");
      goto out;
    }
  /* Without a private PID namespace the init's death does not take the
     other processes with it, so SIGKILL (and --all) reach the whole
     cgroup, as runc does.  */
  if ((all || (sig == SIGKILL && !o.st.has_pidns)) && !o.cg->disabled)
    {
      ret = cg_kill_all (o.cg, sig, err);
      goto out;
    }
  if (all && o.cg->disabled)
    rt_warn ("failed to kill all processes, possibly due to lack of cgroup (Hint: enable cgroup v2 delegation)");
  pidfd = ctr_open_init (&o.st, err);
  if (pidfd < 0)
    {
      ret = pidfd;
      goto out;
    }
  if (sys_pidfd_send_signal (pidfd, sig, NULL, 0) < 0)
    {
      ret = rt_fail (err, errno, "kill container init %d", (int) o.st.pid);
      goto out;
    }
  ret = 0;
out:
  ctr_close (&o);
  return ret;
}

/* Wait until a pidfd reports the process gone (zombie counts as gone).  */
static bool
wait_dead (int pidfd, int ms)
{
  struct pollfd p = { .fd = pidfd, .events = POLLIN };
  return poll (&p, 1, ms) > 0;
}

int
ctr_destroy (int root_fd, const char *id, const rt_state *st, cg_manager *cg, rt_error *err)
{
  rt_error e2 = { 0 };
  int ret = 0;

  for (size_t i = 0; i < st->n_helpers; i++)
    {
      /* Through a pidfd checked after opening, and waited for: a helper
         such as fuse-overlayfs is gone when delete returns.  */
      _cleanup_close_ int pidfd = sys_pidfd_open (st->helpers[i], 0);
      if (pidfd >= 0 && proc_alive (st->helpers[i], st->helper_start_times[i])
          && sys_pidfd_send_signal (pidfd, SIGKILL, NULL, 0) == 0)
        wait_dead (pidfd, 5000);
      /* `run` is the parent of its helpers: reap them.  */
      if (pidfd >= 0)
        waitpid (st->helpers[i], NULL, WNOHANG);
    }
  if (cg && !cg->disabled)
    {
      if (!st->has_pidns)
        cg_kill_all (cg, SIGKILL, &e2);
      if (cg_destroy (cg, err) < 0)
        ret = rt_error_ret (err);
    }
  {
    _cleanup_close_ int dir_fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    spec *s = dir_fd >= 0 ? stored_config (dir_fd, &e2) : NULL;
    rt_state stopped = *st;
    stopped.pid = 0;
    if (s)
      warn_hooks (s, &stopped, HOOK_POSTSTOP, "stopped");
    spec_free (s);
  }
  if (state_dir_remove (root_fd, id, &e2) < 0 && ret == 0)
    {
      *err = e2;
      ret = rt_error_ret (err);
    }
  return ret;
}

/* A directory without state.json is the debris of a create that crashed
 * before recording anything (runc removes it too).  It is only debris if
 * nobody holds its lock: a create in progress does.  */
static int
remove_debris (int root_fd, const char *id)
{
  _cleanup_close_ int dir = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  rt_error ignored = { 0 };

  if (dir < 0 || flock (dir, LOCK_EX | LOCK_NB) < 0)
    return -1;
  if (faccessat (dir, STATE_FILE, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    return -1;
  return state_dir_remove (root_fd, id, &ignored);
}

int
rt_container_delete (const rt_context *ctx, const char *id, bool force, rt_error *err)
{
  ctr_handle o;
  int ret;

  ret = ctr_open (ctx, id, true, &o, err);
  if (ret < 0)
    {
      /* Nothing to delete is fine with --force, as with runc.  */
      if (ret == -ENOENT && ((o.root_fd >= 0 && remove_debris (o.root_fd, id) == 0) || force))
        {
          rt_error_clear (err);
          ret = 0;
        }
      goto out;
    }
  switch (o.status)
    {
    case RT_STATUS_STOPPED:
      break;
    case RT_STATUS_CREATED:
      force = true;
      break;
    default:
      if (!force)
        {
          ret = rt_failx (err, EBUSY, "cannot delete container %s that is not stopped: %s", id,
                          rt_status_name (o.status));
          goto out;
        }
      break;
    }
  if (o.status != RT_STATUS_STOPPED)
    {
      _cleanup_close_ int pidfd = ctr_open_init (&o.st, err);
      if (o.cg && !o.cg->disabled)
        {
          rt_error e2 = { 0 };
          /* A frozen cgroup would keep SIGKILL pending forever.  */
          cg_kill_all (o.cg, SIGKILL, &e2);
          if (o.status == RT_STATUS_PAUSED)
            cg_freeze (o.cg, false, &e2);
        }
      if (pidfd >= 0)
        {
          sys_pidfd_send_signal (pidfd, SIGKILL, NULL, 0);
          if (!wait_dead (pidfd, 10000))
            {
              ret = rt_failx (err, ETIMEDOUT, "container init %d did not die after SIGKILL", (int) o.st.pid);
              goto out;
            }
        }
      rt_error_clear (err);
    }
  ret = ctr_destroy (o.root_fd, id, &o.st, o.cg, err);
out:
  ctr_close (&o);
  return ret;
}

static void
info_fill (const ctr_handle *o, rt_container_info *out)
{
  struct stat sb;

  memset (out, 0, sizeof *out);
  out->oci_version = xstrdup (o->st.oci_version);
  out->id = xstrdup (o->st.id);
  out->status = o->status;
  out->pid = o->status == RT_STATUS_STOPPED ? 0 : o->st.pid;
  out->bundle = xstrdup (o->st.bundle);
  out->rootfs = xstrdup (o->st.rootfs);
  out->created = xstrdup (o->st.created);
  if (o->st.n_annotations)
    {
      out->annotations = xzalloc (o->st.n_annotations * sizeof *out->annotations);
      for (size_t i = 0; i < o->st.n_annotations; i++)
        {
          out->annotations[i].key = xstrdup (o->st.annotations[i].key);
          out->annotations[i].value = xstrdup (o->st.annotations[i].value);
        }
      out->n_annotations = o->st.n_annotations;
    }
  out->owner = fstat (o->dir_fd, &sb) == 0 ? sb.st_uid : (uid_t) -1;
}

void
rt_container_info_free (rt_container_info *info)
{
  if (info == NULL)
    return;
  free (info->oci_version);
  free (info->id);
  free (info->bundle);
  free (info->rootfs);
  free (info->created);
  for (size_t i = 0; i < info->n_annotations; i++)
    {
      free (info->annotations[i].key);
      free (info->annotations[i].value);
    }
  free (info->annotations);
  memset (info, 0, sizeof *info);
}

int
rt_container_info_get (const rt_context *ctx, const char *id, rt_container_info *out, rt_error *err)
{
  ctr_handle o;
  int ret = ctr_open (ctx, id, false, &o, err);
  if (ret == 0)
    info_fill (&o, out);
  ctr_close (&o);
  return ret;
}

int
rt_container_list (const rt_context *ctx, rt_container_info **out, size_t *n, rt_error *err)
{
  _cleanup_close_ int root_fd = -1;
  char **ids = NULL;
  size_t n_ids = 0;

  *out = NULL;
  *n = 0;
  root_fd = state_root_open (ctx->root, false, err);
  if (root_fd < 0)
    {
      if (root_fd == -ENOENT && ctx->root_is_default)
        {
          rt_error_clear (err);
          return 0;
        }
      return root_fd;
    }
  if (state_list_ids (root_fd, &ids, &n_ids, err) < 0)
    return rt_error_ret (err);
  *out = xzalloc (n_ids * sizeof **out);
  for (size_t i = 0; i < n_ids; i++)
    {
      rt_error e2 = { 0 };
      ctr_handle o;
      if (ctr_open (ctx, ids[i], false, &o, &e2) == 0)
        info_fill (&o, &(*out)[(*n)++]);
      else if (e2.code != ENOENT)
        rt_warn ("skipping container %s: %s", ids[i], e2.msg);
      ctr_close (&o);
    }
  strv_free_n (ids, n_ids);
  return 0;
}
