#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "json.h"
#include "linux_sys.h"
#include "util.h"

/* Enough of a failing hook's output to explain it, not enough to flood
 * the log.  */
#define OUTPUT_MAX 2048

const char *
hook_kind_name (enum hook_kind k)
{
  static const char *const names[] = {
    [HOOK_PRESTART] = "prestart",           [HOOK_CREATE_RUNTIME] = "createRuntime",
    [HOOK_CREATE_CONTAINER] = "createContainer", [HOOK_START_CONTAINER] = "startContainer",
    [HOOK_POSTSTART] = "poststart",         [HOOK_POSTSTOP] = "poststop",
  };
  return names[k];
}

const spec_hook *
hooks_of (const spec *s, enum hook_kind k, size_t *n)
{
  const spec_hooks *h = s ? s->hooks : NULL;

  *n = 0;
  if (h == NULL)
    return NULL;
  switch (k)
    {
    case HOOK_PRESTART:
      *n = h->n_prestart;
      return h->prestart;
    case HOOK_CREATE_RUNTIME:
      *n = h->n_create_runtime;
      return h->create_runtime;
    case HOOK_CREATE_CONTAINER:
      *n = h->n_create_container;
      return h->create_container;
    case HOOK_START_CONTAINER:
      *n = h->n_start_container;
      return h->start_container;
    case HOOK_POSTSTART:
      *n = h->n_poststart;
      return h->poststart;
    case HOOK_POSTSTOP:
      *n = h->n_poststop;
      return h->poststop;
    }
  return NULL;
}

char *
hooks_state_json (const char *oci_version, const char *id, const char *status, pid_t pid, const char *bundle,
                  const spec_kv *annotations, size_t n_annotations)
{
  json_writer *w = json_writer_new (0);

  json_w_object_begin (w);
  json_w_kv_string (w, "ociVersion", oci_version ? oci_version : OCI_SPEC_VERSION);
  json_w_kv_string (w, "id", id);
  json_w_kv_string (w, "status", status);
  if (pid > 0)
    json_w_kv_int (w, "pid", pid);
  json_w_kv_string (w, "bundle", bundle);
  if (n_annotations)
    {
      json_w_key (w, "annotations");
      json_w_object_begin (w);
      for (size_t i = 0; i < n_annotations; i++)
        json_w_kv_string (w, annotations[i].key, annotations[i].value);
      json_w_object_end (w);
    }
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}

static long
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The hook's process: stdin from the state pipe, stdout and stderr to the
 * capture pipe, nothing else inherited, default signal handling.  */
static void __attribute__ ((noreturn))
hook_child (const spec_hook *h, int in, int out)
{
  char *default_argv[] = { h->path, NULL };
  char *empty_env[] = { NULL };
  sigset_t none;

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  /* The parent ignores SIGPIPE while it feeds us; an ignored signal would
     stay ignored across execve.  */
  signal (SIGPIPE, SIG_DFL);
  /* Its own process group, so that a timeout kills what it started too
     (also set by the parent: whichever runs first).  */
  setpgid (0, 0);
  if (dup2 (in, 0) < 0 || dup2 (out, 1) < 0 || dup2 (out, 2) < 0)
    _exit (126);
  sys_close_range (3, ~0U, 0);
  execve (h->path, h->n_args ? h->args : default_argv, h->n_env ? h->env : empty_env);
  dprintf (2, "exec %s: %s", h->path, strerror (errno));
  _exit (127);
}

static int
run_one (const spec_hook *h, const char *kind, size_t idx, const char *state, rt_error *err)
{
  int in[2] = { -1, -1 }, out[2] = { -1, -1 };
  _cleanup_close_ int pidfd = -1;
  char output[OUTPUT_MAX + 1];
  size_t out_len = 0, state_len = strlen (state), written = 0;
  long deadline = h->has_timeout ? now_ms () + h->timeout * 1000L : -1;
  bool timed_out = false, out_open = true;
  int wstatus = 0, ret = 0;
  struct sigaction ignore = { .sa_handler = SIG_IGN }, saved_pipe;
  pid_t pid;

  /* A hook that exits (or fails to exec) before reading its stdin must
     cost us an EPIPE, not our life: SIGPIPE would kill the runtime midway
     through create and leave its cgroups and state behind.  */
  sigaction (SIGPIPE, &ignore, &saved_pipe);
  if (pipe2 (in, O_CLOEXEC) < 0 || pipe2 (out, O_CLOEXEC) < 0)
    {
      ret = rt_fail (err, errno, "%s hook #%zu: pipe", kind, idx);
      goto out;
    }
  pid = fork ();
  if (pid < 0)
    {
      ret = rt_fail (err, errno, "%s hook #%zu: fork", kind, idx);
      goto out;
    }
  if (pid == 0)
    hook_child (h, in[0], out[1]);
  setpgid (pid, pid);
  close (in[0]);
  close (out[1]);
  in[0] = out[1] = -1;
  fcntl (in[1], F_SETFL, O_NONBLOCK);
  pidfd = sys_pidfd_open (pid, 0);

  /* Feed the state, collect the output, and watch the clock, all at once:
     a hook that never reads stdin or floods its output must not hang us.  */
  for (;;)
    {
      struct pollfd p[3];
      int n = 0, i_in = -1, i_out = -1, i_pid = -1, timeout = -1;

      if (in[1] >= 0)
        {
          p[n] = (struct pollfd){ .fd = in[1], .events = POLLOUT };
          i_in = n++;
        }
      if (out_open)
        {
          p[n] = (struct pollfd){ .fd = out[0], .events = POLLIN };
          i_out = n++;
        }
      if (pidfd >= 0)
        {
          p[n] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
          i_pid = n++;
        }
      if (deadline >= 0)
        {
          long left = deadline - now_ms ();
          timeout = left > 0 ? (int) left : 0;
        }
      if (poll (p, n, timeout) < 0 && errno != EINTR)
        break;
      if (deadline >= 0 && now_ms () >= deadline)
        {
          /* The whole group: a shell script's `sleep` would otherwise live
             on, holding the output pipe and whatever the hook held.  */
          timed_out = true;
          if (kill (-pid, SIGKILL) < 0)
            kill (pid, SIGKILL);
          break;
        }
      if (i_in >= 0 && (p[i_in].revents & (POLLOUT | POLLERR | POLLHUP)))
        {
          ssize_t w = write (in[1], state + written, state_len - written);
          if (w > 0)
            written += w;
          if (w < 0 && errno != EAGAIN)
            written = state_len; /* the hook closed stdin: fine */
          if (written >= state_len)
            {
              close (in[1]);
              in[1] = -1;
            }
        }
      if (i_out >= 0 && (p[i_out].revents & (POLLIN | POLLHUP | POLLERR)))
        {
          char buf[1024];
          ssize_t r = read (out[0], buf, sizeof buf);
          if (r <= 0)
            out_open = false;
          else if (out_len < OUTPUT_MAX)
            {
              size_t k = (size_t) r < OUTPUT_MAX - out_len ? (size_t) r : OUTPUT_MAX - out_len;
              memcpy (output + out_len, buf, k);
              out_len += k;
            }
        }
      if (i_pid >= 0 && (p[i_pid].revents & POLLIN))
        {
          /* Exited: take what output is already there, but do not wait
             for a background child that inherited the pipe.  */
          char buf[1024];
          ssize_t r;
          fcntl (out[0], F_SETFL, O_NONBLOCK);
          while (out_open && (r = read (out[0], buf, sizeof buf)) > 0 && out_len < OUTPUT_MAX)
            {
              size_t k = (size_t) r < OUTPUT_MAX - out_len ? (size_t) r : OUTPUT_MAX - out_len;
              memcpy (output + out_len, buf, k);
              out_len += k;
            }
          break;
        }
      if (pidfd < 0 && !out_open)
        break;
    }
  while (waitpid (pid, &wstatus, 0) < 0 && errno == EINTR)
    ;
  output[out_len] = '\0';
  while (out_len > 0 && (output[out_len - 1] == '\n' || output[out_len - 1] == ' '))
    output[--out_len] = '\0';

  if (timed_out)
    ret = rt_failx (err, ETIMEDOUT, "%s hook #%zu (%s): timed out after %d s", kind, idx, h->path, h->timeout);
  else if (WIFSIGNALED (wstatus))
    ret = rt_failx (err, EIO, "%s hook #%zu (%s): killed by signal %d%s%s", kind, idx, h->path, WTERMSIG (wstatus),
                    out_len ? ": " : "", output);
  else if (WEXITSTATUS (wstatus) != 0)
    ret = rt_failx (err, EIO, "%s hook #%zu (%s): exit status %d%s%s", kind, idx, h->path, WEXITSTATUS (wstatus),
                    out_len ? ": " : "", output);
out:
  for (int i = 0; i < 2; i++)
    {
      if (in[i] >= 0)
        close (in[i]);
      if (out[i] >= 0)
        close (out[i]);
    }
  sigaction (SIGPIPE, &saved_pipe, NULL);
  return ret;
}

int
hooks_run (const spec *s, enum hook_kind k, const char *state_json, rt_error *err)
{
  size_t n;
  const spec_hook *h = hooks_of (s, k, &n);

  for (size_t i = 0; i < n; i++)
    if (run_one (&h[i], hook_kind_name (k), i, state_json, err) < 0)
      return rt_error_ret (err);
  return 0;
}
