/* A test driver for the cgroup layer: thin commands over the cgroup
 * manager (mgr-*) and over the container functions of container.h
 * (ctr-*), so the integration scripts in tests/cgroup can exercise
 * everything before the CLI verbs exist.  Prints results on stdout,
 * warnings as "warning: ..." on stderr, errors as "error: ..." with exit
 * status 1.
 *
 *   mgr-create STATE ID [--path P] [--systemd] [--rootless] [--resources FILE] [--pid PID]
 *              [--annotation KEY=VALUE]...
 *   mgr-enter STATE PID | mgr-update STATE FILE | mgr-apply STATE FILE | mgr-destroy STATE
 *   mgr-freeze STATE 0|1 | mgr-frozen STATE | mgr-pids STATE | mgr-kill STATE SIG
 *   mgr-stats STATE | mgr-oom STATE SECONDS | mgr-path STATE CONTROLLER | mgr-bpf-count STATE
 *   ctr-create ROOT ID BUNDLE | ctr-start ROOT ID | ctr-state ROOT ID
 *   ctr-kill ROOT ID SIG [--all] | ctr-delete ROOT ID [--force]
 *   ctr-pids ROOT ID | ctr-pause ROOT ID | ctr-resume ROOT ID
 *   ctr-update ROOT ID [--FLAG VALUE]... | ctr-events ROOT ID [--stats] [--interval MS] [--count N]
 *
 * Global options before the command: --systemd-cgroup, --rootless
 * true|false.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "container.h"
#include "util.h"

static rt_context ctx;

static void
warn_sink (const char *msg, void *data)
{
  fprintf (stderr, "warning: %s\n", msg);
}

static int
fail (const rt_error *err)
{
  fprintf (stderr, "error: %s\n", err->msg);
  return 1;
}

static const char *
opt (int argc, char **argv, const char *name)
{
  for (int i = 0; i < argc - 1; i++)
    if (strcmp (argv[i], name) == 0)
      return argv[i + 1];
  return NULL;
}

static bool
flag (int argc, char **argv, const char *name)
{
  for (int i = 0; i < argc; i++)
    if (strcmp (argv[i], name) == 0)
      return true;
  return false;
}

static int
load_mgr (const char *state, cg_manager **m, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  bool rootless;

  if (read_file_at (AT_FDCWD, state, &text, err) < 0)
    return rt_error_ret (err);
  rootless = text[0] == 'R';
  return cg_manager_load (text + 2, rootless, m, err);
}

static int
save_mgr (const char *state, cg_manager *m, rt_error *err)
{
  _cleanup_free_ char *s = cg_manager_serialize (m), *all = NULL;
  xasprintf (&all, "%c %s", m->rootless ? 'R' : 'r', s ? s : "null");
  return write_file_at (AT_FDCWD, state, all, strlen (all), 0644, err);
}

static spec_resources *
load_resources (const char *file, rt_error *err)
{
  _cleanup_free_ char *text = NULL;
  ssize_t n = read_file_at (AT_FDCWD, file, &text, err);
  if (n < 0)
    return NULL;
  return spec_resources_load_text (text, (size_t) n, file, err);
}

static int
print_event (const char *line, void *data)
{
  int *left = data;
  printf ("%s\n", line);
  fflush (stdout);
  if (*left > 0 && --*left == 0)
    return -ECANCELED;
  return 0;
}

static int
mgr_cmd (const char *cmd, int argc, char **argv)
{
  rt_error err = { 0 };
  cg_manager *m = NULL;
  int ret = 0;

  if (strcmp (cmd, "mgr-create") == 0)
    {
      const char *res = opt (argc, argv, "--resources"), *pid = opt (argc, argv, "--pid");
      spec_resources *r = NULL;
      spec_kv ann[8];
      size_t n_ann = 0;
      cg_config cfg = { .id = argv[1],
                        .cgroups_path = opt (argc, argv, "--path"),
                        .systemd = flag (argc, argv, "--systemd"),
                        .rootless = flag (argc, argv, "--rootless") };
      if (res && (r = load_resources (res, &err)) == NULL)
        return fail (&err);
      cfg.resources = r;
      /* --annotation KEY=VALUE, for org.systemd.property.* */
      for (int k = 0; k < argc - 1 && n_ann < ARRAY_SIZE (ann); k++)
        if (strcmp (argv[k], "--annotation") == 0 && strchr (argv[k + 1], '='))
          {
            ann[n_ann].key = xstrndup (argv[k + 1], strchr (argv[k + 1], '=') - argv[k + 1]);
            ann[n_ann].value = strchr (argv[k + 1], '=') + 1;
            n_ann++;
          }
      cfg.annotations = ann;
      cfg.n_annotations = n_ann;
      ret = cg_manager_new (&cfg, &m, &err);
      if (ret == 0)
        {
          ret = cg_create (m, &err);
          if (ret < 0 && m->disabled)
            {
              printf ("disabled: %s\n", err.msg);
              ret = 0;
            }
          else if (ret == 0)
            ret = cg_apply (m, r, false, &err);
          if (ret == 0 && pid)
            ret = cg_enter (m, atoi (pid), &err);
          if (ret == 0)
            ret = save_mgr (argv[0], m, &err);
          else if (!m->disabled)
            {
              rt_error e2 = { 0 };
              cg_destroy (m, &e2);
            }
        }
      spec_resources_free (r);
      if (ret == 0)
        {
          _cleanup_free_ char *s = cg_manager_serialize (m);
          printf ("%s\n", s ? s : "null");
        }
      cg_manager_free (m);
      return ret < 0 ? fail (&err) : 0;
    }

  if (load_mgr (argv[0], &m, &err) < 0)
    return fail (&err);
  if (strcmp (cmd, "mgr-enter") == 0)
    ret = cg_enter (m, atoi (argv[1]), &err);
  else if (strcmp (cmd, "mgr-update") == 0 || strcmp (cmd, "mgr-apply") == 0)
    {
      spec_resources *r = load_resources (argv[1], &err);
      ret = r ? cg_apply (m, r, strcmp (cmd, "mgr-update") == 0, &err) : rt_error_ret (&err);
      spec_resources_free (r);
    }
  else if (strcmp (cmd, "mgr-destroy") == 0)
    ret = cg_destroy (m, &err);
  else if (strcmp (cmd, "mgr-freeze") == 0)
    ret = cg_freeze (m, atoi (argv[1]) != 0, &err);
  else if (strcmp (cmd, "mgr-frozen") == 0)
    {
      bool f;
      ret = cg_is_frozen (m, &f, &err);
      if (ret == 0)
        printf ("%s\n", f ? "frozen" : "thawed");
    }
  else if (strcmp (cmd, "mgr-pids") == 0)
    {
      pid_t *p = NULL;
      size_t n = 0;
      ret = cg_pids (m, &p, &n, &err);
      for (size_t i = 0; ret == 0 && i < n; i++)
        printf ("%d\n", (int) p[i]);
      free (p);
    }
  else if (strcmp (cmd, "mgr-kill") == 0)
    ret = cg_kill_all (m, atoi (argv[1]), &err);
  else if (strcmp (cmd, "mgr-stats") == 0)
    {
      cg_stats s;
      ret = cg_stats_get (m, &s, &err);
      if (ret == 0)
        {
          _cleanup_free_ char *j = rt_event_json ("stats", "x", &s);
          printf ("%s\n", j);
        }
      cg_stats_free (&s);
    }
  else if (strcmp (cmd, "mgr-oom") == 0)
    {
      cg_oom_watch *w = NULL;
      ret = cg_oom_watch_open (m, &w, &err);
      /* Tell the script the watch is armed.  */
      printf ("watching\n");
      fflush (stdout);
      for (int waited = 0; ret == 0 && waited < atoi (argv[1]) * 10; waited++)
        {
          uint64_t kills = 0;
          bool gone = false;
          fd_set fds;
          struct timeval tv = { 0, 100000 };
          FD_ZERO (&fds);
          FD_SET (cg_oom_watch_fd (w), &fds);
          if (select (cg_oom_watch_fd (w) + 1, &fds, NULL, NULL, &tv) <= 0)
            continue;
          ret = cg_oom_watch_read (w, &kills, &gone, &err);
          if (ret == 0 && kills)
            {
              printf ("oom %llu\n", (unsigned long long) kills);
              break;
            }
          if (ret == 0 && gone)
            {
              printf ("gone\n");
              break;
            }
        }
      cg_oom_watch_free (w);
    }
  else if (strcmp (cmd, "mgr-bpf-count") == 0)
    {
      /* How many device programs are attached to the unified cgroup.  */
      const char *dir = cg_fs_unified_path (m);
      _cleanup_close_ int fd = dir ? open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
      union bpf_attr q;
      uint32_t ids[16];
      memset (&q, 0, sizeof q);
      q.query.target_fd = (uint32_t) fd;
      q.query.attach_type = BPF_CGROUP_DEVICE;
      q.query.prog_ids = (uint64_t) (uintptr_t) ids;
      q.query.prog_cnt = 16;
      if (fd < 0 || syscall (__NR_bpf, BPF_PROG_QUERY, &q, sizeof q) < 0)
        ret = rt_fail (&err, errno, "BPF_PROG_QUERY");
      else
        printf ("%u\n", q.query.prog_cnt);
    }
  else if (strcmp (cmd, "mgr-path") == 0)
    {
      bool v2;
      const char *d = cg_fs_controller_dir (m, argv[1], &v2);
      if (d)
        printf ("%s %s\n", v2 ? "v2" : "v1", d);
      else
        printf ("none\n");
    }
  else
    {
      fprintf (stderr, "unknown command %s\n", cmd);
      ret = -EINVAL;
      snprintf (err.msg, sizeof err.msg, "usage");
    }
  cg_manager_free (m);
  return ret < 0 ? fail (&err) : 0;
}

static int
ctr_cmd (const char *cmd, int argc, char **argv)
{
  rt_error err = { 0 };
  const char *id = argv[1];
  int ret = 0;

  ctx.root = argv[0];
  if (strcmp (cmd, "ctr-create") == 0)
    {
      rt_create_opts o = { .id = id, .bundle = argv[2] };
      ret = rt_container_create (&ctx, &o, &err);
    }
  else if (strcmp (cmd, "ctr-start") == 0)
    ret = rt_container_start (&ctx, id, &err);
  else if (strcmp (cmd, "ctr-state") == 0)
    {
      rt_container_info info;
      memset (&info, 0, sizeof info);
      ret = rt_container_info_get (&ctx, id, &info, &err);
      if (ret == 0)
        printf ("%s %d\n", rt_status_name (info.status), (int) info.pid);
      rt_container_info_free (&info);
    }
  else if (strcmp (cmd, "ctr-kill") == 0)
    ret = rt_container_kill (&ctx, id, atoi (argv[2]), flag (argc, argv, "--all"), &err);
  else if (strcmp (cmd, "ctr-delete") == 0)
    ret = rt_container_delete (&ctx, id, flag (argc, argv, "--force"), &err);
  else if (strcmp (cmd, "ctr-pids") == 0)
    {
      pid_t *p = NULL;
      size_t n = 0;
      ret = rt_container_pids (&ctx, id, &p, &n, &err);
      for (size_t i = 0; ret == 0 && i < n; i++)
        printf ("%d\n", (int) p[i]);
      free (p);
    }
  else if (strcmp (cmd, "ctr-pause") == 0)
    ret = rt_container_pause (&ctx, id, &err);
  else if (strcmp (cmd, "ctr-resume") == 0)
    ret = rt_container_resume (&ctx, id, &err);
  else if (strcmp (cmd, "ctr-update") == 0)
    {
      rt_update_opts o = {
        .resources_path = opt (argc, argv, "-r"),
        .cpu_period = opt (argc, argv, "--cpu-period"),
        .cpu_quota = opt (argc, argv, "--cpu-quota"),
        .cpu_burst = opt (argc, argv, "--cpu-burst"),
        .cpu_share = opt (argc, argv, "--cpu-share"),
        .cpu_rt_period = opt (argc, argv, "--cpu-rt-period"),
        .cpu_rt_runtime = opt (argc, argv, "--cpu-rt-runtime"),
        .cpuset_cpus = opt (argc, argv, "--cpuset-cpus"),
        .cpuset_mems = opt (argc, argv, "--cpuset-mems"),
        .cpu_idle = opt (argc, argv, "--cpu-idle"),
        .memory = opt (argc, argv, "--memory"),
        .memory_reservation = opt (argc, argv, "--memory-reservation"),
        .memory_swap = opt (argc, argv, "--memory-swap"),
        .kernel_memory = opt (argc, argv, "--kernel-memory"),
        .l3_cache_schema = opt (argc, argv, "--l3-cache-schema"),
        .mem_bw_schema = opt (argc, argv, "--mem-bw-schema"),
      };
      if (opt (argc, argv, "--blkio-weight"))
        o.has_blkio_weight = true, o.blkio_weight = atoi (opt (argc, argv, "--blkio-weight"));
      if (opt (argc, argv, "--pids-limit"))
        o.has_pids_limit = true, o.pids_limit = atoll (opt (argc, argv, "--pids-limit"));
      ret = rt_container_update (&ctx, id, &o, &err);
    }
  else if (strcmp (cmd, "ctr-events") == 0)
    {
      const char *iv = opt (argc, argv, "--interval"), *count = opt (argc, argv, "--count");
      int left = count ? atoi (count) : 0;
      ret = rt_container_events (&ctx, id, iv ? strtoull (iv, NULL, 10) : 5000, flag (argc, argv, "--stats"),
                                 print_event, &left, &err);
      if (ret == -ECANCELED)
        ret = 0;
    }
  else
    {
      fprintf (stderr, "unknown command %s\n", cmd);
      return 2;
    }
  return ret < 0 ? fail (&err) : 0;
}

int
main (int argc, char **argv)
{
  int i = 1;

  rt_set_warn_handler (warn_sink, NULL);
  ctx.rootless_opt = RT_ROOTLESS_AUTO;
  for (; i < argc && str_has_prefix (argv[i], "--"); i++)
    {
      if (strcmp (argv[i], "--systemd-cgroup") == 0)
        ctx.systemd_cgroup = true;
      else if (strcmp (argv[i], "--rootless") == 0 && i + 1 < argc)
        {
          i++;
          ctx.rootless_opt = strcmp (argv[i], "true") == 0    ? RT_ROOTLESS_TRUE
                             : strcmp (argv[i], "false") == 0 ? RT_ROOTLESS_FALSE
                                                              : RT_ROOTLESS_AUTO;
        }
    }
  if (i + 1 >= argc)
    {
      fprintf (stderr, "usage: driver [--systemd-cgroup] [--rootless X] COMMAND ARGS...\n");
      return 2;
    }
  if (str_has_prefix (argv[i], "mgr-"))
    return mgr_cmd (argv[i], argc - i - 1, argv + i + 1);
  return ctr_cmd (argv[i], argc - i - 1, argv + i + 1);
}
