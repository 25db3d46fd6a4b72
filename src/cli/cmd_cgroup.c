/* The verbs that act on a container's cgroup: ps, pause, resume, update,
 * events.  Their flag tables live in cmd_later.c with the other tables.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "container.h"
#include "json.h"
#include "util.h"

int ps_run (cli_global *g, const cli_parsed *p);
int pause_run (cli_global *g, const cli_parsed *p);
int resume_run (cli_global *g, const cli_parsed *p);
int update_run (cli_global *g, const cli_parsed *p);
int events_run (cli_global *g, const cli_parsed *p);

static bool
pid_in (pid_t pid, const pid_t *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (v[i] == pid)
      return true;
  return false;
}

/* Run the host's ps with the given arguments and keep the header and the
 * lines whose PID column is one of the container's, as runc does.  */
static int
ps_table (char **args, size_t n_args, const pid_t *pids, size_t n_pids)
{
  _cleanup_free_ char **argv = xzalloc ((n_args + 2 + (n_args == 0)) * sizeof *argv);
  _cleanup_free_ char *out = NULL;
  size_t len = 0, cap = 0;
  int fds[2], status, pid_col = -1;
  char *line, *save = NULL;
  rt_error err = { 0 };
  pid_t child;

  argv[0] = (char *) "ps";
  if (n_args == 0)
    argv[1] = (char *) "-ef";
  for (size_t i = 0; i < n_args; i++)
    argv[1 + i] = args[i];
  if (pipe2 (fds, O_CLOEXEC) < 0)
    return cli_fatal (1, "ps: pipe: %s", strerror (errno));
  child = fork ();
  if (child < 0)
    return cli_fatal (1, "ps: fork: %s", strerror (errno));
  if (child == 0)
    {
      dup2 (fds[1], 1);
      execvp ("ps", argv);
      dprintf (2, "exec ps: %s\n", strerror (errno));
      _exit (127);
    }
  close (fds[1]);
  if (read_fd (fds[0], &out, &err) >= 0)
    len = strlen (out);
  close (fds[0]);
  (void) cap;
  while (waitpid (child, &status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return cli_fatal (1, "ps: %s", out && len ? out : "exited with an error");
  for (line = strtok_r (out, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      if (pid_col < 0)
        {
          /* The header says which column holds the PID.  */
          char *hdr = xstrdup (line), *s2 = NULL;
          int col = 0;
          for (char *f = strtok_r (hdr, " \t", &s2); f; f = strtok_r (NULL, " \t", &s2), col++)
            if (strcmp (f, "PID") == 0)
              {
                pid_col = col;
                break;
              }
          free (hdr);
          if (pid_col < 0)
            return cli_fatal (1, "couldn't find PID field in ps output");
          puts (line);
          continue;
        }
      {
        char *copy = xstrdup (line), *s2 = NULL, *f;
        int col = 0;
        for (f = strtok_r (copy, " \t", &s2); f && col < pid_col; f = strtok_r (NULL, " \t", &s2))
          col++;
        if (f && pid_in ((pid_t) atoi (f), pids, n_pids))
          puts (line);
        free (copy);
      }
    }
  return 0;
}

int
ps_run (cli_global *g, const cli_parsed *p)
{
  const char *format = p->v[PS_FORMAT].s ? p->v[PS_FORMAT].s : "table";
  _cleanup_free_ pid_t *pids = NULL;
  rt_error err = { 0 };
  size_t n = 0;

  if (strcmp (format, "table") != 0 && strcmp (format, "json") != 0)
    return cli_fatal (1, "invalid format option");
  if (rt_container_pids (&g->ctx, p->args[0], &pids, &n, &err) < 0)
    return cli_fatal (1, "%s", err.msg);
  if (strcmp (format, "json") == 0)
    {
      json_writer *w = json_writer_new (0);
      char *s;
      json_w_array_begin (w);
      for (size_t i = 0; i < n; i++)
        json_w_int (w, pids[i]);
      json_w_array_end (w);
      s = json_writer_finish (w, NULL);
      puts (s);
      free (s);
      return 0;
    }
  return ps_table (p->args + 1, p->n_args - 1, pids, n);
}

static int
freeze_verb (cli_global *g, const cli_parsed *p, bool pause)
{
  rt_error err = { 0 };
  int ret = pause ? rt_container_pause (&g->ctx, p->args[0], &err) : rt_container_resume (&g->ctx, p->args[0], &err);

  if (ret == -EPERM)
    return cli_fatal (1, "%s (runc %s failure might be caused by lack of full access to cgroups)", err.msg,
                      pause ? "pause" : "resume");
  if (ret < 0)
    return cli_fatal (1, "%s", err.msg);
  return 0;
}

int
pause_run (cli_global *g, const cli_parsed *p)
{
  return freeze_verb (g, p, true);
}

int
resume_run (cli_global *g, const cli_parsed *p)
{
  return freeze_verb (g, p, false);
}

int
update_run (cli_global *g, const cli_parsed *p)
{
  rt_update_opts o = { 0 };
  rt_error err = { 0 };
  const cli_value *v = p->v;

  o.resources_path = v[UPDATE_RESOURCES].set ? v[UPDATE_RESOURCES].s : NULL;
#define STR(field, flag) o.field = v[flag].set ? v[flag].s : NULL
  STR (cpu_period, UPDATE_CPU_PERIOD);
  STR (cpu_quota, UPDATE_CPU_QUOTA);
  STR (cpu_burst, UPDATE_CPU_BURST);
  STR (cpu_share, UPDATE_CPU_SHARE);
  STR (cpu_rt_period, UPDATE_CPU_RT_PERIOD);
  STR (cpu_rt_runtime, UPDATE_CPU_RT_RUNTIME);
  STR (cpuset_cpus, UPDATE_CPUSET_CPUS);
  STR (cpuset_mems, UPDATE_CPUSET_MEMS);
  STR (cpu_idle, UPDATE_CPU_IDLE);
  STR (memory, UPDATE_MEMORY);
  STR (memory_reservation, UPDATE_MEMORY_RESERVATION);
  STR (memory_swap, UPDATE_MEMORY_SWAP);
  STR (kernel_memory, UPDATE_KERNEL_MEMORY);
  STR (kernel_memory_tcp, UPDATE_KERNEL_MEMORY_TCP);
  STR (l3_cache_schema, UPDATE_L3_CACHE_SCHEMA);
  STR (mem_bw_schema, UPDATE_MEM_BW_SCHEMA);
#undef STR
  o.has_blkio_weight = v[UPDATE_BLKIO_WEIGHT].set;
  o.blkio_weight = (int) v[UPDATE_BLKIO_WEIGHT].i;
  o.has_pids_limit = v[UPDATE_PIDS_LIMIT].set;
  o.pids_limit = v[UPDATE_PIDS_LIMIT].i;
  if (rt_container_update (&g->ctx, p->args[0], &o, &err) < 0)
    return cli_fatal (1, "%s", err.msg);
  return 0;
}

static int
print_event (const char *line, void *data)
{
  (void) data;
  if (puts (line) == EOF || fflush (stdout) == EOF)
    return -EPIPE;
  return 0;
}

int
events_run (cli_global *g, const cli_parsed *p)
{
  rt_error err = { 0 };
  int64_t interval_ns = p->v[EVENTS_INTERVAL].set ? p->v[EVENTS_INTERVAL].i : 5000000000LL;

  if (interval_ns <= 0)
    return cli_fatal (1, "duration interval must be greater than 0");
  if (rt_container_events (&g->ctx, p->args[0], (uint64_t) interval_ns / 1000000, p->v[EVENTS_STATS].b, print_event,
                           NULL, &err)
      < 0)
    return cli_fatal (1, "%s", err.msg);
  return 0;
}
