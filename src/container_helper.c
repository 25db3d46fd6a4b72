/* What the processes the runtime starts for a container, outside it,
 * have in common (fuse-overlayfs in container_overlay.c, runc-slirp in
 * container_net.c): finding the program, handing it exactly the fds it
 * needs, recording it for delete, and killing it when create fails.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container_priv.h"
#include "process.h"
#include "state.h"
#include "util.h"

/* Where fds wait while the final numbers are being filled: above any
   number a helper is given.  */
#define FD_PARK 10

void
ctr_helper_add (ctr_plan *p, pid_t pid)
{
  uint64_t start = 0;

  /* Readable even if it already died: a zombie keeps its /proc entry.  */
  proc_start_time (pid, &start);
  p->helpers = xrealloc (p->helpers, (p->n_helpers + 1) * sizeof *p->helpers);
  p->helper_start_times = xrealloc (p->helper_start_times, (p->n_helpers + 1) * sizeof *p->helper_start_times);
  p->helpers[p->n_helpers] = pid;
  p->helper_start_times[p->n_helpers] = start;
  p->n_helpers++;
}

void
ctr_helpers_kill (ctr_plan *p)
{
  for (size_t i = 0; i < p->n_helpers; i++)
    {
      kill (p->helpers[i], SIGKILL);
      while (waitpid (p->helpers[i], NULL, 0) < 0 && errno == EINTR)
        ;
    }
}

int
ctr_helper_fds (const int *fds, int n, rt_error *err)
{
  int parked[FD_PARK];

  if (n > FD_PARK)
    return rt_failx (err, EINVAL, "too many fds for a helper (%d)", n);
  /* Copies first: an fd may already sit at a number another one goes to.  */
  for (int i = 0; i < n; i++)
    {
      parked[i] = fcntl (fds[i], F_DUPFD_CLOEXEC, FD_PARK);
      if (parked[i] < 0)
        return rt_fail (err, errno, "dup");
    }
  for (int i = 0; i < n; i++)
    if (dup2 (parked[i], i) < 0)
      return rt_fail (err, errno, "dup2");
  return proc_cloexec_from (n - 1, err);
}

static int
open_program (const char *dir, const char *name)
{
  _cleanup_free_ char *cand = NULL;
  struct stat st;
  int fd;

  xasprintf (&cand, "%s/%s", dir, name);
  fd = open (cand, O_PATH | O_CLOEXEC);
  if (fd < 0)
    return -1;
  if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 0111))
    return fd;
  close (fd);
  return -1;
}

int
ctr_helper_find (const char *name, const char *first_dir, const char *install_hint, char **path, rt_error *err)
{
  _cleanup_free_ char *dirs = xstrdup (getenv ("PATH") ? getenv ("PATH") : "/usr/local/bin:/usr/bin:/bin");
  char *rest = dirs, *dir;
  int fd;

  if (first_dir && (fd = open_program (first_dir, name)) >= 0)
    {
      if (path)
        xasprintf (path, "%s/%s", first_dir, name);
      return fd;
    }
  while ((dir = strsep (&rest, ":")) != NULL)
    {
      /* A relative entry would depend on the bundle being the current
         directory: not a place to pick programs from.  */
      if (dir[0] != '/')
        continue;
      fd = open_program (dir, name);
      if (fd < 0)
        continue;
      if (path)
        xasprintf (path, "%s/%s", dir, name);
      return fd;
    }
  if (first_dir)
    return rt_failx (err, ENOENT, "%s not found beside the runtime (in %s) nor in PATH (%s)", name, first_dir,
                     install_hint);
  return rt_failx (err, ENOENT, "%s not found in PATH (%s)", name, install_hint);
}

char *
ctr_helper_last_words (int dir_fd, const char *log_name)
{
  _cleanup_free_ char *text = NULL;
  rt_error ignored = { 0 };
  char *end, *start;

  if (read_file_at (dir_fd, log_name, &text, &ignored) < 0)
    return NULL;
  end = text + strlen (text);
  while (end > text && (end[-1] == '\n' || end[-1] == ' '))
    *--end = '\0';
  start = strrchr (text, '\n');
  start = start ? start + 1 : text;
  return *start ? xstrdup (start) : NULL;
}
