/* linux.resources written through the v2 file names, into a fake cgroup
 * directory (the development machine's kernel keeps memory, cpu, io,
 * pids and cpuset on v1, so their v2 files only exist here), and the
 * rootless rule: one warning naming each limit whose controller is not
 * delegated, while root fails.  */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/rt-cgapply-XXXXXX";
static char warned[4096];
static int n_warn;

static void
sink (const char *msg, void *data)
{
  n_warn++;
  snprintf (warned, sizeof warned, "%s", msg);
}

static void
touch (const char *name, const char *content)
{
  _cleanup_free_ char *p = NULL;
  rt_error err = { 0 };
  xasprintf (&p, "%s/%s", dir, name);
  write_file_at (AT_FDCWD, p, content, strlen (content), 0644, &err);
}

static char *
val (const char *name)
{
  static char buf[256];
  _cleanup_free_ char *p = NULL, *t = NULL;
  rt_error err = { 0 };
  xasprintf (&p, "%s/%s", dir, name);
  if (read_file_at (AT_FDCWD, p, &t, &err) < 0)
    return NULL;
  snprintf (buf, sizeof buf, "%s", t);
  return buf;
}

static void
fresh (const char *controllers)
{
  static const char *const files[] = {
    "memory.max", "memory.low", "memory.swap.max", "memory.current", "cpu.weight", "cpu.max", "cpu.max.burst",
    "cpu.idle", "cpuset.cpus", "cpuset.mems", "pids.max", "io.weight", "io.max", "hugetlb.2MB.max",
    "hugetlb.2MB.rsvd.max", "rdma.max", "memory.high",
  };
  for (size_t i = 0; i < ARRAY_SIZE (files); i++)
    touch (files[i], "");
  touch ("cgroup.controllers", controllers);
  touch ("memory.current", "1000000\n");
  n_warn = 0;
  warned[0] = '\0';
}

int
main (void)
{
  fs_priv p = { 0 };
  cg_dir d = { .name = (char *) "unified", .v2 = true };
  cg_manager m = { .drv = &cg_fs_driver, .layout = CG_LAYOUT_V2, .rel_path = (char *) "/x", .v2_fd = -1 };
  spec_memory mem = { .has_limit = true, .limit = 1 << 30, .has_reservation = true, .reservation = 1 << 29,
                      .has_swap = true, .swap = 3LL << 30 };
  spec_cpu cpu = { .has_shares = true, .shares = 2048, .has_quota = true, .quota = 25000, .has_period = true,
                   .period = 50000, .has_burst = true, .burst = 1000, .has_idle = true, .idle = 1,
                   .cpus = (char *) "0-1", .mems = (char *) "0" };
  spec_throttle_device rbps = { .major = 8, .minor = 0, .rate = 1048576 };
  spec_throttle_device wiops = { .major = 8, .minor = 16, .rate = 0 };
  spec_blkio blk = { .has_weight = true, .weight = 500, .throttle_read_bps = &rbps, .n_throttle_read_bps = 1,
                     .throttle_write_iops = &wiops, .n_throttle_write_iops = 1 };
  spec_hugepage_limit huge = { .page_size = (char *) "2MB", .limit = 4194304 };
  spec_rdma rdma = { .device = (char *) "mlx5_1", .has_hca_handles = true, .hca_handles = 3 };
  spec_kv uni = { (char *) "memory.high", (char *) "900000000" };
  spec_resources r = { .memory = &mem, .cpu = &cpu, .has_pids = true, .pids_limit = -1, .block_io = &blk,
                       .hugepage_limits = &huge, .n_hugepage_limits = 1, .rdma = &rdma, .n_rdma = 1,
                       .unified = &uni, .n_unified = 1 };
  rt_error err = { 0 };

  if (mkdtemp (dir) == NULL)
    return 1;
  d.path = dir;
  p.dirs = &d;
  p.n = 1;
  p.unified = 0;
  m.priv = &p;
  rt_set_warn_handler (sink, NULL);

  /* Every controller delegated; rootless only so the device filter (which
     needs a real cgroup) is skipped.  */
  m.rootless = true;
  fresh ("cpuset cpu io memory hugetlb pids rdma\n");
  ok (cg_apply (&m, &r, false, &err) == 0, "apply everything through v2 files (%s)", err.msg);
  is_str (val ("memory.max"), "1073741824", "memory.max");
  is_str (val ("memory.low"), "536870912", "memory.low = reservation");
  is_str (val ("memory.swap.max"), "2147483648", "memory.swap.max = swap - limit");
  is_str (val ("cpu.weight"), "174", "cpu.weight from 2048 shares");
  is_str (val ("cpu.max"), "25000 50000", "cpu.max");
  is_str (val ("cpu.max.burst"), "1000", "cpu.max.burst");
  is_str (val ("cpu.idle"), "1", "cpu.idle");
  is_str (val ("cpuset.cpus"), "0-1", "cpuset.cpus");
  is_str (val ("cpuset.mems"), "0", "cpuset.mems");
  is_str (val ("pids.max"), "max", "pids -1 -> max");
  is_str (val ("io.weight"), "default 4950", "io.weight converted from blkio 500");
  /* A regular file keeps the tail of a longer earlier write: compare the
     start, which is what the last write put there.  */
  ok (strncmp (val ("io.max"), "8:16 wiops=max", 14) == 0, "io.max: a rate of 0 is max (%s)", val ("io.max"));
  is_str (val ("hugetlb.2MB.max"), "4194304", "hugetlb.2MB.max");
  is_str (val ("hugetlb.2MB.rsvd.max"), "4194304", "hugetlb.2MB.rsvd.max gets the same limit");
  is_str (val ("rdma.max"), "mlx5_1 hca_handle=3", "rdma.max");
  is_str (val ("memory.high"), "900000000", "unified memory.high");
  is_int (n_warn, 0, "no warning");

  /* io.bfq.weight takes the blkio range as is.  */
  touch ("io.bfq.weight", "");
  ok (cg_apply (&m, &r, true, &err) == 0, "update with BFQ");
  is_str (val ("io.bfq.weight"), "500", "io.bfq.weight = blkio weight");
  {
    _cleanup_free_ char *bfq = NULL;
    xasprintf (&bfq, "%s/io.bfq.weight", dir);
    unlink (bfq);
  }

  /* Memory swap only: swap alone is refused without a limit.  */
  {
    spec_memory only_swap = { .has_swap = true, .swap = 1000 };
    spec_resources r2 = { .memory = &only_swap };
    ok (cg_apply (&m, &r2, true, &err) < 0, "swap without a memory limit refused");
    like (err.msg, "unable to set swap limit without memory limit", "runc's message");
  }
  /* checkBeforeUpdate against memory.current.  */
  {
    spec_memory low = { .has_limit = true, .limit = 4096, .has_check_before_update = true,
                        .check_before_update = true };
    spec_resources r2 = { .memory = &low };
    ok (cg_apply (&m, &r2, true, &err) < 0, "a limit below memory.current is refused with checkBeforeUpdate");
    like (err.msg, "rejecting memory limit 4096 <= usage 1000000", "runc's message");
  }
  /* Realtime is v1 only.  */
  {
    spec_cpu rt = { .has_realtime_runtime = true, .realtime_runtime = 1000 };
    spec_resources r2 = { .cpu = &rt };
    ok (cg_apply (&m, &r2, true, &err) < 0, "realtime on v2 refused");
  }

  /* Rootless, memory and pids not delegated: the rest applies, one
     warning names both.  */
  fresh ("cpuset cpu io hugetlb rdma\n");
  ok (cg_apply (&m, &r, false, &err) == 0, "rootless with undelegated controllers succeeds");
  is_int (n_warn, 1, "exactly one warning");
  like (warned, "memory.limit, memory.reservation, memory.swap (memory), pids.limit (pids)",
        "it names each dropped limit with its controller");
  like (warned, "unified[memory.high] (memory)", "... the unified key too");
  like (warned, "Delegate=memory pids", "it shows the systemd drop-in line");
  is_str (val ("memory.max"), "", "memory.max untouched");
  is_str (val ("cpu.max"), "25000 50000", "cpu applied");

  /* Root: the same is an error naming what cannot be set.  */
  m.rootless = false;
  fresh ("cpuset cpu io hugetlb rdma\n");
  {
    /* (as an update: the device filter needs a real cgroup)  */
    spec_resources r3 = { .memory = &mem };
    ok (cg_apply (&m, &r3, true, &err) < 0, "root: a limit without its controller fails");
    like (err.msg, "cannot set memory.limit, memory.reservation, memory.swap: the memory controller is not available",
          "... naming the limits and the controller");
    is_int (n_warn, 0, "no warning for root");
  }
  {
    const char *files[] = { "memory.max", "memory.low", "memory.swap.max", "memory.current", "cpu.weight", "cpu.max",
                            "cpu.max.burst", "cpu.idle", "cpuset.cpus", "cpuset.mems", "pids.max", "io.weight",
                            "io.max", "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max", "rdma.max", "memory.high",
                            "cgroup.controllers" };
    for (size_t i = 0; i < ARRAY_SIZE (files); i++)
      {
        _cleanup_free_ char *f = NULL;
        xasprintf (&f, "%s/%s", dir, files[i]);
        unlink (f);
      }
  }
  rmdir (dir);
  return tap_done ();
}
