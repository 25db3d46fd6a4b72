/* OOM-kill notifications for `events`.  v1 announces them through an
 * eventfd registered in cgroup.event_control against memory.oom_control
 * (the same eventfd also fires when the cgroup is removed); v2 only
 * updates counters in memory.events, so an inotify watch wakes us and the
 * oom_kill counter says whether anything was killed, while cgroup.events
 * "populated 0" says the container is gone.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "util.h"

struct cg_oom_watch
{
  bool v2;
  int fd; /* eventfd (v1) or inotify (v2) */
  char *dir;
  uint64_t kills; /* v2: oom_kill counter seen last */
};

int
cg_fs_oom_watch (cg_manager *m, cg_oom_watch **out, rt_error *err)
{
  cg_oom_watch *w;
  bool v2;
  const char *dir = cg_fs_controller_dir (m, "memory", &v2);

  *out = NULL;
  if (dir == NULL)
    return rt_failx (err, ENOTSUP, "no memory controller for the container: OOM notifications are not available");
  w = xzalloc (sizeof *w);
  w->fd = -1;
  w->v2 = v2;
  w->dir = xstrdup (dir);
  if (v2)
    {
      _cleanup_free_ char *ev = NULL, *cev = NULL;
      rt_error ignored = { 0 };

      w->fd = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
      if (w->fd < 0)
        {
          int e = errno;
          cg_oom_watch_free (w);
          return rt_fail (err, e, "inotify_init1");
        }
      xasprintf (&ev, "%s/memory.events", dir);
      xasprintf (&cev, "%s/cgroup.events", dir);
      if (inotify_add_watch (w->fd, ev, IN_MODIFY) < 0 || inotify_add_watch (w->fd, cev, IN_MODIFY) < 0)
        {
          int e = errno;
          cg_oom_watch_free (w);
          return rt_fail (err, e, "watch `%s`", ev);
        }
      cg_read_key_u64 (dir, "memory.events", "oom_kill", &w->kills, &ignored);
    }
  else
    {
      _cleanup_close_ int ctl = -1;
      _cleanup_free_ char *oc = NULL;
      char line[64];

      xasprintf (&oc, "%s/memory.oom_control", dir);
      ctl = open (oc, O_RDONLY | O_CLOEXEC);
      if (ctl < 0)
        {
          int e = errno;
          cg_oom_watch_free (w);
          return rt_fail (err, e, "open `%s`", oc);
        }
      w->fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
      if (w->fd < 0)
        {
          int e = errno;
          cg_oom_watch_free (w);
          return rt_fail (err, e, "eventfd");
        }
      snprintf (line, sizeof line, "%d %d", w->fd, ctl);
      if (cg_write (dir, "cgroup.event_control", line, err) < 0)
        {
          cg_oom_watch_free (w);
          return rt_error_ret (err);
        }
    }
  *out = w;
  return 0;
}

int
cg_oom_watch_fd (const cg_oom_watch *w)
{
  return w->fd;
}

int
cg_oom_watch_read (cg_oom_watch *w, uint64_t *oom_kills, bool *gone, rt_error *err)
{
  struct stat st;

  *oom_kills = 0;
  *gone = false;
  if (!w->v2)
    {
      uint64_t count;
      ssize_t n = read (w->fd, &count, sizeof count);
      if (n < 0 && errno != EAGAIN)
        return rt_fail (err, errno, "read OOM eventfd");
      if (n < 0)
        return 0;
      /* The eventfd also fires when the cgroup goes away.  */
      if (stat (w->dir, &st) < 0)
        *gone = true;
      else
        *oom_kills = count;
      return 0;
    }
  for (;;)
    {
      char buf[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
      ssize_t n = read (w->fd, buf, sizeof buf);
      if (n < 0 && errno == EAGAIN)
        break;
      if (n < 0)
        return rt_fail (err, errno, "read inotify");
      for (char *p = buf; p < buf + n;)
        {
          struct inotify_event *ev = (struct inotify_event *) p;
          if (ev->mask & IN_IGNORED)
            *gone = true; /* the watched file was removed with the cgroup */
          p += sizeof *ev + ev->len;
        }
    }
  {
    uint64_t kills = 0, populated = 1;
    rt_error ignored = { 0 };
    if (cg_read_key_u64 (w->dir, "memory.events", "oom_kill", &kills, &ignored) < 0)
      *gone = true;
    else if (kills > w->kills)
      {
        *oom_kills = kills - w->kills;
        w->kills = kills;
      }
    if (cg_read_key_u64 (w->dir, "cgroup.events", "populated", &populated, &ignored) < 0 || populated == 0)
      *gone = true;
  }
  return 0;
}

void
cg_oom_watch_free (cg_oom_watch *w)
{
  if (w == NULL)
    return;
  if (w->fd >= 0)
    close (w->fd);
  free (w->dir);
  free (w);
}
