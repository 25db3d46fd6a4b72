/* `run` in the foreground: the runtime stays as the init's parent (and
 * subreaper), forwards every signal it gets to the init, relays the pty,
 * reaps, and destroys the container when the init exits.  One poll loop
 * over a signalfd, stdin and the pty master; no threads.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container_priv.h"
#include "linux_sys.h"
#include "terminal.h"
#include "util.h"

/* Copy what is available from one fd to another.  Returns 0 when the
 * source is exhausted for now, -1 when it is closed for good.  */
static int
pump (int from, int to)
{
  char buf[16384];
  ssize_t n = read (from, buf, sizeof buf);

  if (n < 0)
    return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
  if (n == 0)
    return -1;
  if (write_all (to, buf, n) < 0)
    return -1;
  return 0;
}

static int
exit_code (int wstatus)
{
  if (WIFEXITED (wstatus))
    return WEXITSTATUS (wstatus);
  if (WIFSIGNALED (wstatus))
    return 128 + WTERMSIG (wstatus);
  return 255;
}

int
ctr_wait_foreground (pid_t init, int pidfd, int pty_master, const sigset_t *oldmask, int *status, rt_error *err)
{
  _cleanup_close_ int sfd = -1;
  term_saved saved = { .fd = -1 };
  sigset_t all;
  bool exited = false, stdin_open = pty_master >= 0, master_open = pty_master >= 0;
  int wstatus = 0, ret = 0;

  sigfillset (&all);
  sfd = signalfd (-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0)
    {
      ret = rt_fail (err, errno, "signalfd");
      goto done;
    }
  if (pty_master >= 0)
    {
      int fl = fcntl (pty_master, F_GETFL);
      fcntl (pty_master, F_SETFL, fl | O_NONBLOCK);
      if (term_raw_begin (pty_master, &saved, err) < 0)
        {
          ret = rt_error_ret (err);
          goto done;
        }
    }

  while (!exited)
    {
      struct pollfd pfd[4];
      int n = 0, i_sig, i_in = -1, i_master = -1, i_pid = -1;

      pfd[n] = (struct pollfd){ .fd = sfd, .events = POLLIN };
      i_sig = n++;
      if (stdin_open)
        {
          pfd[n] = (struct pollfd){ .fd = 0, .events = POLLIN };
          i_in = n++;
        }
      if (master_open)
        {
          pfd[n] = (struct pollfd){ .fd = pty_master, .events = POLLIN };
          i_master = n++;
        }
      if (pidfd >= 0)
        {
          /* Covers --no-subreaper, where the init may not be our child.  */
          pfd[n] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
          i_pid = n++;
        }
      if (poll (pfd, n, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          ret = rt_fail (err, errno, "poll");
          break;
        }
      if (pfd[i_sig].revents & POLLIN)
        {
          struct signalfd_siginfo si;
          while (read (sfd, &si, sizeof si) == sizeof si)
            {
              if (si.ssi_signo == SIGCHLD)
                {
                  pid_t p;
                  int st;
                  while ((p = waitpid (-1, &st, WNOHANG)) > 0)
                    if (p == init)
                      {
                        wstatus = st;
                        exited = true;
                      }
                }
              else if (si.ssi_signo == SIGWINCH)
                {
                  if (pty_master >= 0)
                    term_copy_size (0, pty_master);
                }
              else if (si.ssi_signo != SIGURG && si.ssi_signo != SIGPIPE)
                {
                  if (pidfd >= 0)
                    sys_pidfd_send_signal (pidfd, (int) si.ssi_signo, NULL, 0);
                  else
                    kill (init, (int) si.ssi_signo);
                }
            }
        }
      if (i_in >= 0 && (pfd[i_in].revents & (POLLIN | POLLHUP)))
        if (pump (0, pty_master) < 0)
          stdin_open = false;
      if (i_master >= 0 && (pfd[i_master].revents & (POLLIN | POLLHUP | POLLERR)))
        if (pump (pty_master, 1) < 0)
          master_open = false;
      if (i_pid >= 0 && (pfd[i_pid].revents & POLLIN) && !exited)
        {
          siginfo_t si;
          memset (&si, 0, sizeof si);
          if (waitid (P_PIDFD, (id_t) pidfd, &si, WEXITED | WNOHANG) == 0 && si.si_pid != 0)
            {
              wstatus = si.si_code == CLD_EXITED ? W_EXITCODE (si.si_status, 0) : si.si_status;
              exited = true;
            }
          else if (errno == ECHILD)
            {
              /* Not our child: its status is not ours to collect.  */
              exited = true;
              wstatus = 0;
            }
        }
    }

  /* Whatever the container printed last is still in the pty.  */
  while (master_open && pump (pty_master, 1) == 0)
    {
      struct pollfd p = { .fd = pty_master, .events = POLLIN };
      if (poll (&p, 1, 0) <= 0)
        break;
    }
  term_raw_end (&saved);
  *status = exit_code (wstatus);

done:
  sigprocmask (SIG_SETMASK, oldmask, NULL);
  return ret;
}

int
ctr_run_foreground (const rt_context *ctx, const char *id, cg_manager *cg, pid_t init, int pidfd, int pty_master,
                    const sigset_t *oldmask, int *status, rt_error *err)
{
  _cleanup_close_ int root_fd = -1, dir_fd = -1;
  int ret = ctr_wait_foreground (init, pidfd, pty_master, oldmask, status, err);

  /* --keep leaves the stopped container for a later delete.  */
  {
    rt_state st;
    rt_error e2 = { 0 };

    memset (&st, 0, sizeof st);
    root_fd = state_root_open (ctx->root, false, &e2);
    if (root_fd >= 0)
      dir_fd = state_dir_open (root_fd, id, true, &e2);
    if (dir_fd >= 0 && state_read (dir_fd, &st, &e2) == 0 && !st.keep_on_exit
        && ctr_destroy (root_fd, id, &st, cg, &e2) < 0 && ret == 0)
      {
        *err = e2;
        ret = rt_error_ret (err);
      }
    rt_state_free (&st);
  }
  return ret;
}
