/* `update` (flags to resources, merge into the stored config, partner
 * values, the rewritten config.json), the events JSON against runc's
 * encoding, and the v2 OOM watch on a fake cgroup directory.  */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_priv.h"
#include "cgroup_update.h"
#include "container.h"
#include "json.h"
#include "tap.h"
#include "util.h"

static void
test_flags (void)
{
  rt_update_opts o = { .memory = "512m", .memory_swap = "-1", .cpu_quota = "-1", .cpu_period = "100000",
                       .cpu_share = "512", .cpuset_cpus = "0-1", .cpu_idle = "1", .has_blkio_weight = true,
                       .blkio_weight = 300, .has_pids_limit = true, .pids_limit = 64 };
  spec_resources *r = NULL;
  rt_error err = { 0 };

  ok (rt_update_resources (&o, &r, &err) == 0, "flags parsed");
  ok (r->memory->has_limit && r->memory->limit == 536870912, "--memory 512m");
  ok (r->memory->has_swap && r->memory->swap == -1, "--memory-swap -1");
  ok (!r->memory->has_reservation, "--memory-reservation not given");
  ok (r->cpu->has_quota && r->cpu->quota == -1 && r->cpu->has_period && r->cpu->period == 100000, "quota, period");
  ok (r->cpu->has_shares && r->cpu->shares == 512, "--cpu-share");
  ok (!r->cpu->has_burst && !r->cpu->has_realtime_period, "the others not given");
  is_str (r->cpu->cpus, "0-1", "--cpuset-cpus");
  ok (r->cpu->has_idle && r->cpu->idle == 1, "--cpu-idle");
  ok (r->block_io && r->block_io->weight == 300, "--blkio-weight");
  ok (r->has_pids && r->pids_limit == 64, "--pids-limit");
  spec_resources_free (r);

  o = (rt_update_opts){ .cpu_period = "abc" };
  ok (rt_update_resources (&o, &r, &err) < 0, "bad --cpu-period");
  is_str (err.msg, "invalid value for cpu-period: strconv.ParseUint: parsing \"abc\": invalid syntax", "Go's words");
  o = (rt_update_opts){ .memory_reservation = "1.5x" };
  ok (rt_update_resources (&o, &r, &err) < 0, "bad --memory-reservation");
  is_str (err.msg, "invalid value for memory-reservation: invalid suffix: 'x'", "go-units' words");
  o = (rt_update_opts){ .has_blkio_weight = true, .blkio_weight = 0 };
  ok (rt_update_resources (&o, &r, &err) == 0 && r->block_io == NULL, "--blkio-weight 0 means not given");
  spec_resources_free (r);
}

static const char stored_config[] = "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"hostname\":\"h\",\"linux\":{\"cgroupsPath\":\"/a\","
                                    "\"resources\":{\"memory\":{\"limit\":100,\"swap\":200},\"cpu\":{\"quota\":1,"
                                    "\"period\":2,\"cpus\":\"0\"},\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":8,"
                                    "\"minor\":0,\"rate\":5}]},\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},"
                                    "\"namespaces\":[{\"type\":\"pid\"}]},\"annotations\":{\"a\":\"b\"}}";

static void
test_merge (void)
{
  rt_error err = { 0 };
  spec *s = spec_load_text (stored_config, strlen (stored_config), "c", &err);
  spec_resources *cur;
  spec_memory m = { .has_limit = true, .limit = 300 };
  spec_cpu c = { .has_quota = true, .quota = 7 };
  spec_throttle_device t[2] = { { 8, 0, 9 }, { 8, 16, 3 } };
  spec_blkio b = { .throttle_read_bps = t, .n_throttle_read_bps = 2 };
  spec_kv kv = { (char *) "memory.high", (char *) "50" };
  spec_resources u = { .memory = &m, .cpu = &c, .block_io = &b, .unified = &kv, .n_unified = 1 };
  _cleanup_free_ char *text = NULL;

  ok (s != NULL, "the stored config loads (%s)", err.msg);
  if (s == NULL)
    return;
  cur = s->linux_->resources;
  cg_update_pair (&u, cur);
  ok (m.has_swap && m.swap == 200, "a new limit is written with the current swap");
  ok (c.has_period && c.period == 2, "a new quota is written with the current period");
  cg_update_merge (cur, &u);
  ok (cur->memory->limit == 300 && cur->memory->swap == 200, "merged memory");
  ok (cur->cpu->quota == 7 && cur->cpu->period == 2, "merged cpu");
  is_str (cur->cpu->cpus, "0", "untouched fields kept");
  ok (cur->block_io->n_throttle_read_bps == 2 && cur->block_io->throttle_read_bps[0].rate == 9
          && cur->block_io->throttle_read_bps[1].minor == 16,
      "per-device throttle replaced and added");
  ok (cur->n_unified == 1 && strcmp (cur->unified[0].value, "50") == 0, "unified key added");
  ok (cur->n_devices == 1, "device rules untouched");

  text = cg_config_replace_resources (stored_config, strlen (stored_config), cur, &err);
  ok (text != NULL, "config rewritten");
  like (text, "\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"r\"},\"hostname\":\"h\",\"linux\":{\"cgroupsPath\":\"/a\",\"resources\":{",
        "everything before resources in place");
  like (text, "\"memory\":{\"limit\":300,\"swap\":200}", "new memory");
  like (text, "\"cpu\":{\"quota\":7,\"period\":2,\"cpus\":\"0\"}", "new cpu");
  like (text, "\"unified\":{\"memory.high\":\"50\"}", "unified");
  like (text, "},\"namespaces\":[{\"type\":\"pid\"}]},\"annotations\":{\"a\":\"b\"}}", "everything after in place");
  {
    spec *back = spec_load_text (text, strlen (text), "back", &err);
    ok (back && back->linux_->resources->memory->limit == 300 && back->linux_->resources->n_devices == 1,
        "the result loads back");
    spec_free (back);
  }
  spec_free (s);

  {
    spec_memory unl = { .has_limit = true, .limit = -1 };
    spec_memory old = { .has_limit = true, .limit = 1, .has_swap = true, .swap = 2 };
    spec_resources o2 = { .memory = &old }, u2 = { .memory = &unl };
    cg_update_pair (&u2, &o2);
    ok (!unl.has_swap, "--memory -1 alone leaves swap unset (runc: both unlimited)");
    cg_update_merge (&o2, &u2);
    ok (o2.memory->limit == -1 && !o2.memory->has_swap, "stored: unlimited, no swap");
  }
}

static void
test_event_json (void)
{
  cg_stats s;
  uint64_t percpu[2] = { 5, 6 };
  cg_kv_u64 raw[2] = { { (char *) "cache", 9 }, { (char *) "rss", 10 } };
  cg_hugetlb_stat h = { (char *) "2MB", 0, 0, 3 };
  cg_blkio_entry e = { 8, 0, "Read", 42 };
  cg_netif_stat n = { (char *) "eth0", 1, 2, 3, 4, 5, 6, 7, 8 };
  _cleanup_free_ char *j = NULL, *oom = NULL;

  memset (&s, 0, sizeof s);
  s.cpu.total = 11;
  s.cpu.percpu = percpu;
  s.cpu.n_percpu = 2;
  s.cpu.kernel = 0;
  s.cpu.user = 3;
  s.cpu.has_psi = true;
  s.cpu.psi.some.avg10 = 0.12;
  s.cpu.psi.some.total = 77;
  s.memory.cache = 9;
  s.memory.usage.limit = 100;
  s.memory.usage.usage = 50;
  s.memory.raw = raw;
  s.memory.n_raw = 2;
  s.pids.current = 2;
  s.blkio.lists[CG_BLKIO_SERVICE_BYTES] = &e;
  s.blkio.n[CG_BLKIO_SERVICE_BYTES] = 1;
  s.hugetlb = &h;
  s.n_hugetlb = 1;
  s.cpuset.sched_relax_domain_level = -1;
  j = rt_event_json ("stats", "c1", &s);
  is_str (j,
          "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{"
          "\"cpu\":{\"usage\":{\"total\":11,\"percpu\":[5,6],\"kernel\":0,\"user\":3},\"throttling\":{},"
          "\"psi\":{\"some\":{\"avg10\":0.12,\"avg60\":0,\"avg300\":0,\"total\":77},"
          "\"full\":{\"avg10\":0,\"avg60\":0,\"avg300\":0,\"total\":0}}},"
          "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,\"memory_migrate\":0,"
          "\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,\"sched_load_balance\":0,"
          "\"sched_relax_domain_level\":-1},"
          "\"memory\":{\"cache\":9,\"usage\":{\"limit\":100,\"usage\":50,\"failcnt\":0},"
          "\"swap\":{\"limit\":0,\"failcnt\":0},\"kernel\":{\"limit\":0,\"failcnt\":0},"
          "\"kernelTCP\":{\"limit\":0,\"failcnt\":0},\"raw\":{\"cache\":9,\"rss\":10}},"
          "\"pids\":{\"current\":2},"
          "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":42}]},"
          "\"hugetlb\":{\"2MB\":{\"failcnt\":3}},\"intel_rdt\":{},\"network_interfaces\":null}}",
          "stats event: runc's field names and omitempty rules");
  s.netifs = &n;
  s.n_netifs = 1;
  free (j);
  j = rt_event_json ("stats", "c1", &s);
  like (j,
        "\"network_interfaces\":[{\"Name\":\"eth0\",\"RxBytes\":1,\"RxPackets\":2,\"RxErrors\":3,\"RxDropped\":4,"
        "\"TxBytes\":5,\"TxPackets\":6,\"TxErrors\":7,\"TxDropped\":8}]}}",
        "network interfaces as runc names them");
  oom = rt_event_json ("oom", "c1", NULL);
  is_str (oom, "{\"type\":\"oom\",\"id\":\"c1\"}", "oom event has no data");
}

static void
test_oom_watch_v2 (void)
{
  char dir[] = "/tmp/rt-oom-XXXXXX";
  fs_priv p = { 0 };
  cg_dir d = { .name = (char *) "unified", .v2 = true };
  cg_manager m = { .drv = &cg_fs_driver, .layout = CG_LAYOUT_V2, .v2_fd = -1 };
  cg_oom_watch *w = NULL;
  rt_error err = { 0 };
  _cleanup_free_ char *ev = NULL, *cev = NULL, *ctl = NULL;
  uint64_t kills;
  bool gone;
  struct pollfd pf;

  mkdtemp (dir);
  d.path = dir;
  p.dirs = &d;
  p.n = 1;
  p.unified = 0;
  m.priv = &p;
  xasprintf (&ev, "%s/memory.events", dir);
  xasprintf (&cev, "%s/cgroup.events", dir);
  xasprintf (&ctl, "%s/cgroup.controllers", dir);
  write_file_at (AT_FDCWD, ctl, "memory\n", 7, 0644, &err);
  write_file_at (AT_FDCWD, ev, "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n", 35, 0644, &err);
  write_file_at (AT_FDCWD, cev, "populated 1\nfrozen 0\n", 21, 0644, &err);

  ok (cg_oom_watch_open (&m, &w, &err) == 0, "watch memory.events (%s)", err.msg);
  pf = (struct pollfd){ .fd = cg_oom_watch_fd (w), .events = POLLIN };
  ok (poll (&pf, 1, 0) == 0, "nothing yet");
  write_file_at (AT_FDCWD, ev, "low 0\nhigh 3\nmax 2\noom 0\noom_kill 0\n", 35, 0644, &err);
  ok (poll (&pf, 1, 1000) == 1, "woken by a memory.events change");
  ok (cg_oom_watch_read (w, &kills, &gone, &err) == 0 && kills == 0 && !gone, "but no OOM kill: no event");
  write_file_at (AT_FDCWD, ev, "low 0\nhigh 3\nmax 2\noom 1\noom_kill 2\n", 35, 0644, &err);
  ok (poll (&pf, 1, 1000) == 1, "woken again");
  ok (cg_oom_watch_read (w, &kills, &gone, &err) == 0 && kills == 2 && !gone, "two OOM kills");
  write_file_at (AT_FDCWD, cev, "populated 0\nfrozen 0\n", 21, 0644, &err);
  ok (poll (&pf, 1, 1000) == 1, "woken by cgroup.events");
  ok (cg_oom_watch_read (w, &kills, &gone, &err) == 0 && kills == 0 && gone, "the container is gone");
  cg_oom_watch_free (w);
  unlink (ev);
  unlink (cev);
  unlink (ctl);
  rmdir (dir);
}

int
main (void)
{
  test_flags ();
  test_merge ();
  test_event_json ();
  test_oom_watch_v2 ();
  return tap_done ();
}
