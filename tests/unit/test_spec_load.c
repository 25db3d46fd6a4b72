/* The config loader: every field of a full config, the configs runc
 * generates, and the error for each kind of mistake.  */
#include "config.h"

#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"
#include "tap.h"
#include "util.h"

static const char *srcdir;

static char *
data_path (const char *name)
{
  char *p;
  xasprintf (&p, "%s/tests/unit/data/%s", srcdir, name);
  return p;
}

/* Test documents are written with ' for " so they stay readable here.  */
static char *
dq (const char *s)
{
  char *r = xstrdup (s);
  for (char *p = r; *p; p++)
    if (*p == '\'')
      *p = '"';
  return r;
}

static spec *
load (const char *doc, rt_error *err)
{
  _cleanup_free_ char *text = dq (doc);
  rt_error_clear (err);
  return spec_load_text (text, strlen (text), "config.json", err);
}

/* A minimal valid config with `extra` members added.  */
static char *
with (const char *extra)
{
  char *doc;
  xasprintf (&doc, "{'ociVersion': '1.3.0', 'root': {'path': 'rootfs'}%s%s}", *extra ? ", " : "", extra);
  return doc;
}

static spec *
good (const char *extra)
{
  _cleanup_free_ char *doc = with (extra);
  rt_error err = { 0 };
  spec *s = load (doc, &err);

  ok (s != NULL, "accepted: %s", extra);
  if (s == NULL)
    printf ("#   error: %s\n", err.msg);
  return s;
}

/* The document must be rejected with exactly this message.  */
static void
bad_doc (const char *doc, const char *msg)
{
  _cleanup_free_ char *want = dq (msg);
  rt_error err = { 0 };
  spec *s = load (doc, &err);

  ok (s == NULL, "rejected: %s", doc);
  is_str (err.msg, want, "message: %s", msg);
  spec_free (s);
}

static void
bad (const char *extra, const char *msg)
{
  _cleanup_free_ char *doc = with (extra);
  bad_doc (doc, msg);
}

#define PROC(x) "'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0}" x "}"
#define RES(x) "'linux': {'resources': {" x "}}"

/* ---- every field ------------------------------------------------------------- */

static void
test_full_process (const spec_process *p)
{
  ok (p->terminal, "terminal");
  ok (p->has_console_size && p->console_height == 25 && p->console_width == 80, "consoleSize 25x80");
  is_int (p->user.uid, 1000, "user.uid");
  is_int (p->user.gid, 1001, "user.gid");
  ok (p->user.has_umask && p->user.umask == 18, "user.umask");
  is_int (p->user.n_additional_gids, 3, "additionalGids count");
  ok (p->user.additional_gids[0] == 5 && p->user.additional_gids[1] == 6
          && p->user.additional_gids[2] == UINT32_MAX,
      "additionalGids values, up to UINT32_MAX");
  is_str (p->user.username, "alice", "user.username");
  is_int (p->n_args, 3, "args count");
  is_str (p->args[2], "echo hi", "args[2]");
  ok (p->args[3] == NULL, "args is NULL-terminated");
  is_str (p->command_line, "sh -c 'echo hi'", "commandLine");
  is_int (p->n_env, 2, "env count");
  is_str (p->env[1], "TERM=xterm", "env[1]");
  ok (p->env[2] == NULL, "env is NULL-terminated");
  is_str (p->cwd, "/home/alice", "cwd");
  ok (p->capabilities != NULL, "capabilities");
  is_int (p->capabilities->n_bounding, 3, "bounding count");
  is_str (p->capabilities->bounding[2], "CAP_NET_BIND_SERVICE", "bounding[2]");
  ok (p->capabilities->n_effective == 1 && strcmp (p->capabilities->effective[0], "CAP_KILL") == 0, "effective");
  ok (p->capabilities->n_inheritable == 1 && strcmp (p->capabilities->inheritable[0], "CAP_CHOWN") == 0,
      "inheritable");
  is_int (p->capabilities->n_permitted, 2, "permitted count");
  ok (p->capabilities->n_ambient == 1 && strcmp (p->capabilities->ambient[0], "CAP_NET_BIND_SERVICE") == 0,
      "ambient");
  is_int (p->n_rlimits, 2, "rlimits count");
  is_str (p->rlimits[0].type, "RLIMIT_NOFILE", "rlimits[0].type");
  ok (p->rlimits[0].hard == 1024 && p->rlimits[0].soft == 512, "rlimits[0] hard/soft");
  ok (p->rlimits[1].hard == UINT64_MAX && p->rlimits[1].soft == 0, "rlimits[1] hard is UINT64_MAX");
  ok (p->no_new_privileges, "noNewPrivileges");
  is_str (p->apparmor_profile, "acme_secure_profile", "apparmorProfile");
  ok (p->has_oom_score_adj && p->oom_score_adj == -500, "oomScoreAdj -500");
  ok (p->scheduler != NULL, "scheduler");
  is_str (p->scheduler->policy, "SCHED_DEADLINE", "scheduler.policy");
  ok (p->scheduler->nice == -5 && p->scheduler->priority == 3, "scheduler nice/priority");
  ok (p->scheduler->n_flags == 2 && strcmp (p->scheduler->flags[1], "SCHED_FLAG_RECLAIM") == 0, "scheduler.flags");
  ok (p->scheduler->runtime == 100000 && p->scheduler->deadline == 200000 && p->scheduler->period == 300000,
      "scheduler runtime/deadline/period");
  is_str (p->selinux_label, "system_u:system_r:svirt_lxc_net_t:s0:c124,c675", "selinuxLabel");
  ok (p->io_priority && strcmp (p->io_priority->class_, "IOPRIO_CLASS_BE") == 0 && p->io_priority->priority == 4,
      "ioPriority");
  ok (p->exec_cpu_affinity != NULL, "execCPUAffinity");
  is_str (p->exec_cpu_affinity->initial, "7", "execCPUAffinity.initial");
  is_str (p->exec_cpu_affinity->final, "0-3,7", "execCPUAffinity.final");
}

static void
test_full_top (const spec *s)
{
  is_str (s->oci_version, "1.3.0", "ociVersion");
  ok (s->root && strcmp (s->root->path, "rootfs") == 0 && s->root->readonly, "root");
  is_str (s->hostname, "slartibartfast", "hostname");
  is_str (s->domainname, "example.test", "domainname");

  is_int (s->n_mounts, 2, "mounts count");
  is_str (s->mounts[0].destination, "/proc", "mounts[0].destination");
  is_str (s->mounts[0].type, "proc", "mounts[0].type");
  is_str (s->mounts[0].source, "proc", "mounts[0].source");
  ok (s->mounts[0].options == NULL && s->mounts[0].n_options == 0, "mounts[0] has no options");
  ok (s->mounts[0].uid_mappings == NULL && s->mounts[0].n_uid_mappings == 0, "mounts[0] has no idmap");
  ok (s->mounts[1].n_options == 3 && strcmp (s->mounts[1].options[2], "idmap") == 0, "mounts[1].options");
  ok (s->mounts[1].n_uid_mappings == 1 && s->mounts[1].uid_mappings[0].container_id == 0
          && s->mounts[1].uid_mappings[0].host_id == 100000 && s->mounts[1].uid_mappings[0].size == 65536,
      "mounts[1].uidMappings");
  ok (s->mounts[1].n_gid_mappings == 2 && s->mounts[1].gid_mappings[1].container_id == 1000
          && s->mounts[1].gid_mappings[1].host_id == 300000 && s->mounts[1].gid_mappings[1].size == 1,
      "mounts[1].gidMappings");

  ok (s->hooks != NULL, "hooks");
  ok (s->hooks->n_prestart == 1 && strcmp (s->hooks->prestart[0].path, "/usr/bin/fix-mounts") == 0, "prestart");
  ok (s->hooks->prestart[0].n_args == 2 && strcmp (s->hooks->prestart[0].args[1], "arg1") == 0, "prestart args");
  ok (s->hooks->prestart[0].n_env == 1 && !s->hooks->prestart[0].has_timeout, "prestart env, no timeout");
  ok (s->hooks->n_create_runtime == 1 && s->hooks->create_runtime[0].has_timeout
          && s->hooks->create_runtime[0].timeout == 10,
      "createRuntime timeout");
  ok (s->hooks->n_create_container == 2 && strcmp (s->hooks->create_container[1].path, "/usr/bin/mount-hook2") == 0,
      "createContainer");
  ok (s->hooks->n_start_container == 1, "startContainer");
  ok (s->hooks->n_poststart == 1 && s->hooks->poststart[0].timeout == 5, "poststart");
  ok (s->hooks->n_poststop == 1 && s->hooks->poststop[0].timeout == INT32_MAX && s->hooks->poststop[0].n_env == 2,
      "poststop");

  is_int (s->n_annotations, 2, "annotations count");
  is_str (s->annotations[0].key, "com.example.key1", "annotations in document order");
  is_str (spec_annotation (s, "com.example.key2"), "value2", "spec_annotation finds a key");
  ok (spec_annotation (s, "com.example.nope") == NULL, "spec_annotation: missing key");
}

static void
test_full_resources (const spec_resources *r)
{
  is_int (r->n_devices, 3, "resources.devices count");
  ok (!r->devices[0].allow && r->devices[0].type == NULL && !r->devices[0].has_major
          && strcmp (r->devices[0].access, "rwm") == 0,
      "devices[0]: deny all");
  ok (r->devices[1].allow && strcmp (r->devices[1].type, "c") == 0 && r->devices[1].has_major
          && r->devices[1].major == 10 && r->devices[1].minor == 229,
      "devices[1]");
  ok (r->devices[2].has_minor && r->devices[2].minor == -1, "devices[2].minor -1");

  ok (r->memory != NULL, "memory");
  ok (r->memory->has_limit && r->memory->limit == 536870912, "memory.limit");
  ok (r->memory->has_reservation && r->memory->reservation == 268435456, "memory.reservation");
  ok (r->memory->has_swap && r->memory->swap == -1, "memory.swap -1");
  ok (r->memory->has_kernel && r->memory->kernel == 1048576, "memory.kernel");
  ok (r->memory->has_kernel_tcp && r->memory->kernel_tcp == 2097152, "memory.kernelTCP");
  ok (r->memory->has_swappiness && r->memory->swappiness == 60, "memory.swappiness");
  ok (r->memory->has_disable_oom_killer && r->memory->disable_oom_killer, "memory.disableOOMKiller");
  ok (r->memory->has_use_hierarchy && !r->memory->use_hierarchy, "memory.useHierarchy false but present");
  ok (r->memory->has_check_before_update && r->memory->check_before_update, "memory.checkBeforeUpdate");

  ok (r->cpu != NULL, "cpu");
  ok (r->cpu->has_shares && r->cpu->shares == 1024, "cpu.shares");
  ok (r->cpu->has_quota && r->cpu->quota == 1000000, "cpu.quota");
  ok (r->cpu->has_burst && r->cpu->burst == 500000, "cpu.burst");
  ok (r->cpu->has_period && r->cpu->period == 500000, "cpu.period");
  ok (r->cpu->has_realtime_runtime && r->cpu->realtime_runtime == 950000, "cpu.realtimeRuntime");
  ok (r->cpu->has_realtime_period && r->cpu->realtime_period == 1000000, "cpu.realtimePeriod");
  is_str (r->cpu->cpus, "2-3", "cpu.cpus");
  is_str (r->cpu->mems, "0-7", "cpu.mems");
  ok (r->cpu->has_idle && r->cpu->idle == 1, "cpu.idle");

  ok (r->has_pids && r->pids_limit == 32771, "pids.limit");

  ok (r->block_io != NULL, "blockIO");
  ok (r->block_io->has_weight && r->block_io->weight == 10, "blockIO.weight");
  ok (r->block_io->has_leaf_weight && r->block_io->leaf_weight == 20, "blockIO.leafWeight");
  is_int (r->block_io->n_weight_device, 2, "weightDevice count");
  ok (r->block_io->weight_device[0].major == 8 && r->block_io->weight_device[0].weight == 500
          && r->block_io->weight_device[0].has_leaf_weight && r->block_io->weight_device[0].leaf_weight == 300,
      "weightDevice[0]");
  ok (r->block_io->weight_device[1].minor == 16 && r->block_io->weight_device[1].weight == 65535
          && !r->block_io->weight_device[1].has_leaf_weight,
      "weightDevice[1], uint16 max");
  ok (r->block_io->n_throttle_read_bps == 1 && r->block_io->throttle_read_bps[0].rate == 600, "throttleReadBpsDevice");
  ok (r->block_io->n_throttle_write_bps == 1 && r->block_io->throttle_write_bps[0].minor == 1
          && r->block_io->throttle_write_bps[0].rate == 700,
      "throttleWriteBpsDevice");
  ok (r->block_io->n_throttle_read_iops == 1 && r->block_io->throttle_read_iops[0].rate == 800,
      "throttleReadIOPSDevice");
  ok (r->block_io->n_throttle_write_iops == 1 && r->block_io->throttle_write_iops[0].rate == 300,
      "throttleWriteIOPSDevice");

  is_int (r->n_hugepage_limits, 2, "hugepageLimits count");
  ok (strcmp (r->hugepage_limits[1].page_size, "64KB") == 0 && r->hugepage_limits[1].limit == 1000000,
      "hugepageLimits[1]");

  ok (r->has_network && r->has_net_class_id && r->net_class_id == 1048577, "network.classID");
  ok (r->n_net_priorities == 2 && strcmp (r->net_priorities[1].name, "eth1") == 0
          && r->net_priorities[1].priority == 1000,
      "network.priorities");

  is_int (r->n_rdma, 2, "rdma count");
  ok (strcmp (r->rdma[0].device, "mlx5_1") == 0 && r->rdma[0].has_hca_handles && r->rdma[0].hca_handles == 3
          && r->rdma[0].hca_objects == 10000,
      "rdma mlx5_1");
  ok (strcmp (r->rdma[1].device, "mlx4_0") == 0 && !r->rdma[1].has_hca_handles && r->rdma[1].has_hca_objects,
      "rdma mlx4_0");

  is_int (r->n_unified, 2, "unified count");
  is_str (r->unified[0].key, "io.max", "unified key");
  is_str (r->unified[0].value, "259:0 rbps=2097152 wiops=120\n253:0 rbps=2097152 wiops=120", "unified value");
}

static void
test_full_linux (const spec *s)
{
  const spec_linux *l = s->linux_;

  ok (l != NULL, "linux");
  ok (l->n_uid_mappings == 1 && l->uid_mappings[0].host_id == 1000 && l->uid_mappings[0].size == 32000,
      "linux.uidMappings");
  ok (l->n_gid_mappings == 1 && l->gid_mappings[0].host_id == 2000 && l->gid_mappings[0].size == 16000,
      "linux.gidMappings");
  ok (l->n_sysctl == 2 && strcmp (l->sysctl[0].key, "net.ipv4.ip_forward") == 0 && strcmp (l->sysctl[0].value, "1") == 0,
      "sysctl");
  ok (l->resources != NULL, "resources");
  test_full_resources (l->resources);
  is_str (l->cgroups_path, "/myRuntime/myContainer", "cgroupsPath");

  is_int (l->n_namespaces, 8, "namespaces count");
  for (int t = 0; t < SPEC_NS__COUNT; t++)
    ok (spec_find_namespace (s, t) != NULL, "namespace %s listed", spec_ns_type_name (t));
  is_str (spec_find_namespace (s, SPEC_NS_NETWORK)->path, "/var/run/netns/neta", "network namespace path");
  ok (spec_find_namespace (s, SPEC_NS_MOUNT)->path == NULL, "mount namespace has no path");

  is_int (l->n_devices, 3, "devices count");
  ok (strcmp (l->devices[0].path, "/dev/fuse") == 0 && strcmp (l->devices[0].type, "c") == 0
          && l->devices[0].major == 10 && l->devices[0].minor == 229,
      "devices[0]");
  ok (l->devices[0].has_file_mode && l->devices[0].file_mode == 438, "devices[0].fileMode");
  ok (l->devices[0].has_uid && l->devices[0].uid == 0 && l->devices[0].has_gid && l->devices[0].gid == 5,
      "devices[0] uid/gid");
  ok (!l->devices[1].has_file_mode && !l->devices[1].has_uid, "devices[1] without mode/uid");
  ok (strcmp (l->devices[2].type, "p") == 0 && l->devices[2].major == 0, "fifo without numbers");

  is_int (l->n_net_devices, 2, "netDevices count");
  ok (strcmp (l->net_devices[0].host_name, "eth0") == 0 && strcmp (l->net_devices[0].name, "container_eth0") == 0,
      "netDevices eth0");
  ok (strcmp (l->net_devices[1].host_name, "ens4") == 0 && l->net_devices[1].name == NULL, "netDevices ens4 keeps name");

  ok (l->seccomp != NULL, "seccomp");
  is_str (l->seccomp->default_action, "SCMP_ACT_ERRNO", "seccomp.defaultAction");
  ok (l->seccomp->has_default_errno_ret && l->seccomp->default_errno_ret == 38, "seccomp.defaultErrnoRet");
  ok (l->seccomp->n_architectures == 3 && strcmp (l->seccomp->architectures[2], "SCMP_ARCH_X32") == 0,
      "seccomp.architectures");
  ok (l->seccomp->n_flags == 2 && strcmp (l->seccomp->flags[1], "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0,
      "seccomp.flags");
  is_str (l->seccomp->listener_path, "/run/seccomp-agent.socket", "seccomp.listenerPath");
  is_str (l->seccomp->listener_metadata, "MKNOD=/dev/null", "seccomp.listenerMetadata");
  is_int (l->seccomp->n_syscalls, 2, "syscalls count");
  ok (l->seccomp->syscalls[0].n_names == 2 && strcmp (l->seccomp->syscalls[0].names[1], "chmod") == 0
          && !l->seccomp->syscalls[0].has_errno_ret && l->seccomp->syscalls[0].n_args == 0,
      "syscalls[0]");
  {
    const spec_seccomp_syscall *sc = &l->seccomp->syscalls[1];
    ok (sc->has_errno_ret && sc->errno_ret == 1 && strcmp (sc->action, "SCMP_ACT_ERRNO") == 0, "syscalls[1]");
    is_int (sc->n_args, 2, "syscalls[1] args count");
    ok (sc->args[0].index == 0 && sc->args[0].value == 8 && sc->args[0].value_two == 0
            && strcmp (sc->args[0].op, "SCMP_CMP_EQ") == 0,
        "args[0]");
    ok (sc->args[1].index == 5 && sc->args[1].value == UINT64_MAX && sc->args[1].value_two == 4294967296ULL
            && strcmp (sc->args[1].op, "SCMP_CMP_MASKED_EQ") == 0,
        "args[1]");
  }

  is_str (l->rootfs_propagation, "rslave", "rootfsPropagation");
  ok (l->n_masked_paths == 2 && strcmp (l->masked_paths[1], "/proc/keys") == 0, "maskedPaths");
  ok (l->n_readonly_paths == 1 && strcmp (l->readonly_paths[0], "/proc/sys") == 0, "readonlyPaths");
  is_str (l->mount_label, "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811", "mountLabel");

  ok (l->intel_rdt != NULL, "intelRdt");
  is_str (l->intel_rdt->clos_id, "guaranteed_group", "intelRdt.closID");
  ok (l->intel_rdt->n_schemata == 3 && strcmp (l->intel_rdt->schemata[2], "MB:0=20;1=70") == 0, "intelRdt.schemata");
  is_str (l->intel_rdt->l3_cache_schema, "L3:0=ffff0;1=3ff", "intelRdt.l3CacheSchema");
  is_str (l->intel_rdt->mem_bw_schema, "MB:0=20;1=70", "intelRdt.memBwSchema");
  ok (l->intel_rdt->enable_monitoring && l->intel_rdt->enable_cmt && !l->intel_rdt->enable_mbm,
      "intelRdt monitoring flags");

  ok (l->personality && strcmp (l->personality->domain, "LINUX32") == 0 && l->personality->n_flags == 1,
      "personality");

  is_int (l->n_time_offsets, 2, "timeOffsets count");
  ok (strcmp (l->time_offsets[0].clock, "monotonic") == 0 && l->time_offsets[0].secs == -86400
          && l->time_offsets[0].nanosecs == 999999999,
      "timeOffsets monotonic");
  ok (strcmp (l->time_offsets[1].clock, "boottime") == 0 && l->time_offsets[1].secs == INT64_MAX
          && l->time_offsets[1].nanosecs == 0,
      "timeOffsets boottime");

  ok (l->memory_policy != NULL, "memoryPolicy");
  is_str (l->memory_policy->mode, "MPOL_INTERLEAVE", "memoryPolicy.mode");
  is_str (l->memory_policy->nodes, "2-3", "memoryPolicy.nodes");
  ok (l->memory_policy->n_flags == 1 && strcmp (l->memory_policy->flags[0], "MPOL_F_STATIC_NODES") == 0,
      "memoryPolicy.flags");
}

static void
test_full (void)
{
  _cleanup_free_ char *path = data_path ("config-full.json");
  rt_error err = { 0 };
  spec *s = spec_load_file (path, &err);

  ok (s != NULL, "full config loads (unknown members ignored)");
  if (s == NULL)
    {
      printf ("#   error: %s\n", err.msg);
      return;
    }
  test_full_top (s);
  ok (s->process != NULL, "process");
  test_full_process (s->process);
  test_full_linux (s);
  spec_free (s);
}

/* ---- what runc spec generates ------------------------------------------------- */

static void
check_runc_default (const spec *s, bool rootless, const char *what)
{
  const spec_linux *l = s->linux_;

  ok (s->process && s->process->terminal && strcmp (s->process->args[0], "sh") == 0, "%s: process", what);
  ok (s->process->user.uid == 0 && s->process->user.gid == 0 && !s->process->user.has_umask, "%s: user", what);
  ok (s->process->capabilities && s->process->capabilities->n_bounding == 3
          && s->process->capabilities->inheritable == NULL,
      "%s: capabilities", what);
  ok (s->process->n_rlimits == 1 && s->process->rlimits[0].hard == 1024, "%s: rlimits", what);
  ok (s->process->no_new_privileges && !s->process->has_oom_score_adj, "%s: noNewPrivileges", what);
  ok (s->root && s->root->readonly && strcmp (s->root->path, "rootfs") == 0, "%s: root", what);
  is_str (s->hostname, "runc", "%s: hostname", what);
  is_int (s->n_mounts, 7, "%s: mounts", what);
  is_str (s->mounts[6].destination, "/sys/fs/cgroup", "%s: last mount", what);
  ok (l && l->n_masked_paths > 0 && l->n_readonly_paths > 0, "%s: masked/readonly paths", what);
  ok (spec_find_namespace (s, SPEC_NS_PID) && spec_find_namespace (s, SPEC_NS_MOUNT), "%s: pid and mount ns", what);
  ok ((spec_find_namespace (s, SPEC_NS_USER) != NULL) == rootless, "%s: user ns iff rootless", what);
  ok ((spec_find_namespace (s, SPEC_NS_NETWORK) != NULL) == !rootless, "%s: network ns iff not rootless", what);
  if (rootless)
    ok (l->n_uid_mappings == 1 && l->n_gid_mappings == 1 && l->uid_mappings[0].size == 1 && l->resources == NULL,
        "%s: one-id mappings, no resources", what);
  else
    ok (l->resources && l->resources->n_devices == 1 && !l->resources->devices[0].allow, "%s: deny-all devices",
        what);
}

static void
load_runc_spec (const char *path, bool rootless, const char *what)
{
  rt_error err = { 0 };
  spec *s = spec_load_file (path, &err);

  ok (s != NULL, "%s loads", what);
  if (s == NULL)
    printf ("#   error: %s\n", err.msg);
  else
    check_runc_default (s, rootless, what);
  spec_free (s);
}

static void
test_runc_spec (void)
{
  _cleanup_free_ char *fixture = data_path ("runc-spec.json");
  _cleanup_free_ char *fixture_rl = data_path ("runc-spec-rootless.json");
  char dir[] = "/tmp/test_spec_load.XXXXXX";

  load_runc_spec (fixture, false, "runc spec fixture");
  load_runc_spec (fixture_rl, true, "runc spec --rootless fixture");

  /* Also what the installed runc writes today, when there is one.  */
  if (access ("/usr/sbin/runc", X_OK) != 0 || mkdtemp (dir) == NULL)
    {
      printf ("# /usr/sbin/runc not available: only the fixtures were loaded\n");
      return;
    }
  for (int rootless = 0; rootless < 2; rootless++)
    {
      _cleanup_free_ char *cmd = NULL, *cfg = NULL;

      xasprintf (&cfg, "%s/config.json", dir);
      unlink (cfg);
      xasprintf (&cmd, "/usr/sbin/runc spec --bundle %s%s", dir, rootless ? " --rootless" : "");
      ok (system (cmd) == 0, "%s", cmd);
      load_runc_spec (cfg, rootless, rootless ? "generated runc spec --rootless" : "generated runc spec");
      unlink (cfg);
    }
  rmdir (dir);
}

/* ---- documents, files, general rules ------------------------------------------ */

static void
test_documents (void)
{
  rt_error err = { 0 };
  spec *s;
  char dir[] = "/tmp/test_spec_load.XXXXXX";

  bad_doc ("[]", "config.json: expected an object, got an array");
  bad_doc ("{'root': {'path': 'r'}}", "config.json: ociVersion: required field is missing");
  bad_doc ("{'ociVersion': 1, 'root': {'path': 'r'}}", "config.json: ociVersion: expected a string, got a number");
  bad_doc ("{'ociVersion': '1.3.0'}", "config.json: root: required field is missing");

  s = load ("{\n  'ociVersion': '1.3.0',\n  'root': tru\n}", &err);
  ok (s == NULL, "malformed JSON rejected");
  like (err.msg, "config.json: invalid JSON at line 3, column", "malformed JSON: line and column");
  s = load ("", &err);
  ok (s == NULL, "empty text rejected");
  like (err.msg, "config.json: invalid JSON", "empty text message");

  s = spec_load_file ("/nonexistent-dir/config.json", &err);
  ok (s == NULL, "missing file rejected");
  is_str (err.msg, "open `/nonexistent-dir/config.json`: No such file or directory", "missing file message");

  if (mkdtemp (dir) == NULL)
    return;
  {
    _cleanup_free_ char *empty = NULL, *named = NULL;
    _cleanup_free_ char *bad_text = dq ("{'ociVersion': '1.3.0', 'root': {'path': 'r'}, 'hostname': 7}");

    xasprintf (&empty, "%s/config.json", dir);
    xasprintf (&named, "%s/my-bundle.json", dir);
    write_file_at (AT_FDCWD, empty, "", 0, 0600, &err);
    write_file_at (AT_FDCWD, named, bad_text, strlen (bad_text), 0600, &err);
    s = spec_load_file (empty, &err);
    ok (s == NULL, "empty file rejected");
    like (err.msg, "config.json: invalid JSON at line 1, column 1", "empty file message");
    s = spec_load_file (named, &err);
    ok (s == NULL, "bad file rejected");
    is_str (err.msg, "my-bundle.json: hostname: expected a string, got a number",
            "errors are prefixed with the file's basename");
    unlink (empty);
    unlink (named);
    rmdir (dir);
  }
}

static void
test_general_rules (void)
{
  spec *s;

  /* null is absent: fine for optional members, "missing" for required.  */
  s = good ("'process': null, 'hostname': null, 'hooks': null, 'linux': {'resources': null, 'namespaces': null}");
  ok (s && s->process == NULL && s->hostname == NULL && s->hooks == NULL, "null members are absent");
  ok (s && s->linux_ && s->linux_->resources == NULL && s->linux_->n_namespaces == 0, "nested nulls are absent");
  spec_free (s);
  bad_doc ("{'ociVersion': '1.3.0', 'root': {'path': null}}", "config.json: root.path: required field is missing");
  bad ("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': null, 'gid': 0}}",
       "config.json: process.user.uid: required field is missing");

  /* Unknown members are ignored at every level.  */
  s = good ("'x': {'y': [1]}, 'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0, 'z': 1}, "
            "'w': 'v'}, 'linux': {'resources': {'memory': {'q': 1}}, 'future': true}");
  ok (s && s->process && s->linux_ && s->linux_->resources->memory, "unknown members ignored");
  ok (s && !s->linux_->resources->memory->has_limit, "an empty memory object sets nothing");
  spec_free (s);

  /* Duplicate keys: the last one wins, once.  */
  s = good ("'hostname': 'a', 'hostname': 'b', 'annotations': {'k': '1', 'j': '2', 'k': '3'}");
  ok (s && strcmp (s->hostname, "b") == 0, "duplicate member: last wins");
  ok (s && s->n_annotations == 2, "duplicate map key kept once");
  ok (s && strcmp (spec_annotation (s, "k"), "3") == 0, "duplicate map key: last value wins");
  spec_free (s);

  s = good ("'linux': {'rootfsPropagation': '', 'resources': {'devices': [{'allow': true, 'type': '', 'access': ''}]}}");
  ok (s && s->linux_->rootfs_propagation == NULL, "empty rootfsPropagation is absent, as for runc");
  ok (s && s->linux_->resources->devices[0].type == NULL && s->linux_->resources->devices[0].access == NULL,
      "empty device rule type/access are absent");
  spec_free (s);

  /* Map keys are quoted and escaped in paths.  */
  bad ("'linux': {'sysctl': {'a\\'b\\\\c\\n': 1}}",
       "config.json: linux.sysctl[\"a\\\"b\\\\c\\x0a\"]: expected a string, got a number");

  spec_free (NULL);
  spec_process_free (NULL);
  spec_resources_free (NULL);
  ok (1, "the free functions accept NULL");
}

/* ---- error messages, part by part ---------------------------------------------------- */

static void
test_top_errors (void)
{
  bad ("'root': 'rootfs'", "config.json: root: expected an object, got a string");
  bad ("'root': {'path': 'r', 'readonly': 'yes'}", "config.json: root.readonly: expected a boolean, got a string");
  bad ("'hostname': 5", "config.json: hostname: expected a string, got a number");
  bad ("'domainname': []", "config.json: domainname: expected a string, got an array");
  bad ("'mounts': {}", "config.json: mounts: expected an array, got an object");
  bad ("'mounts': [{'destination': '/a'}, {'destination': '/b'}, {'type': 'tmpfs'}]",
       "config.json: mounts[2].destination: required field is missing");
  bad ("'mounts': ['/proc']", "config.json: mounts[0]: expected an object, got a string");
  bad ("'mounts': [{'destination': '/a', 'options': ['ro', 1]}]",
       "config.json: mounts[0].options[1]: expected a string, got a number");
  bad ("'mounts': [{'destination': '/a', 'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]}]",
       "config.json: mounts[0].gidMappings: required when uidMappings is set");
  bad ("'mounts': [{'destination': '/a', 'gidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]}]",
       "config.json: mounts[0].uidMappings: required when gidMappings is set");
  bad ("'mounts': [{'destination': '/a', 'uidMappings': [{'containerID': 0, 'hostID': 1}], 'gidMappings': []}]",
       "config.json: mounts[0].uidMappings[0].size: required field is missing");
  bad ("'hooks': []", "config.json: hooks: expected an object, got an array");
  bad ("'hooks': {'prestart': [{'args': ['x']}]}", "config.json: hooks.prestart[0].path: required field is missing");
  bad ("'hooks': {'createRuntime': [{'path': 'hook'}]}",
       "config.json: hooks.createRuntime[0].path: must be an absolute path, got 'hook'");
  bad ("'hooks': {'poststop': [{'path': '/a'}, {'path': '/b', 'timeout': 0}]}",
       "config.json: hooks.poststop[1].timeout: must be greater than zero, got 0");
  bad ("'hooks': {'poststart': [{'path': '/a', 'timeout': -3}]}",
       "config.json: hooks.poststart[0].timeout: must be greater than zero, got -3");
  bad ("'hooks': {'startContainer': [{'path': '/a', 'timeout': 1.5}]}",
       "config.json: hooks.startContainer[0].timeout: expected an integer, got 1.5");
  bad ("'hooks': {'createContainer': [{'path': '/a', 'timeout': 2147483648}]}",
       "config.json: hooks.createContainer[0].timeout: 2147483648 is out of range (-2147483648..2147483647)");
  bad ("'hooks': {'poststop': [{'path': '/a', 'env': 'A=1'}]}",
       "config.json: hooks.poststop[0].env: expected an array, got a string");
  bad ("'annotations': []", "config.json: annotations: expected an object, got an array");
  bad ("'annotations': {'a': 1}", "config.json: annotations[\"a\"]: expected a string, got a number");
}

static void
test_process_errors (void)
{
  spec *s;

  bad ("'process': 'sh'", "config.json: process: expected an object, got a string");
  bad ("'process': {'args': ['sh'], 'user': {'uid': 0, 'gid': 0}}", "config.json: process.cwd: required field is missing");
  bad ("'process': {'cwd': '/', 'user': {'uid': 0, 'gid': 0}}", "config.json: process.args: required field is missing");
  bad ("'process': {'cwd': '/', 'args': [], 'user': {'uid': 0, 'gid': 0}}",
       "config.json: process.args: at least one entry is required");
  bad ("'process': {'cwd': 'tmp', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0}}",
       "config.json: process.cwd: must be an absolute path, got 'tmp'");
  bad ("'process': {'cwd': '/', 'args': ['sh']}", "config.json: process.user: required field is missing");
  bad ("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': '0', 'gid': 0}}",
       "config.json: process.user.uid: expected an unsigned integer, got a string");
  bad ("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 4294967296, 'gid': 0}}",
       "config.json: process.user.uid: 4294967296 is out of range (0..4294967295)");
  bad ("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': -1, 'gid': 0}}",
       "config.json: process.user.uid: -1 is out of range (0..4294967295)");
  bad ("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 1e3, 'gid': 0}}",
       "config.json: process.user.uid: expected an unsigned integer, got 1e3");
  bad ("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 1.0, 'gid': 0}}",
       "config.json: process.user.uid: expected an unsigned integer, got 1.0");
  bad ("'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0}}",
       "config.json: process.user.gid: required field is missing");
  bad (PROC (", 'user': {'uid': 0, 'gid': 0, 'umask': true}"),
       "config.json: process.user.umask: expected an unsigned integer, got a boolean");
  bad (PROC (", 'user': {'uid': 0, 'gid': 0, 'additionalGids': [1, 'x']}"),
       "config.json: process.user.additionalGids[1]: expected an unsigned integer, got a string");
  bad (PROC (", 'user': {'uid': 0, 'gid': 0, 'additionalGids': [4294967296]}"),
       "config.json: process.user.additionalGids[0]: 4294967296 is out of range (0..4294967295)");
  bad (PROC (", 'terminal': 'true'"), "config.json: process.terminal: expected a boolean, got a string");
  bad (PROC (", 'consoleSize': {'height': 25}"), "config.json: process.consoleSize.width: required field is missing");
  bad (PROC (", 'consoleSize': {'height': -1, 'width': 80}"),
       "config.json: process.consoleSize.height: -1 is out of range (0..4294967295)");
  bad (PROC (", 'env': 'PATH=/bin'"), "config.json: process.env: expected an array, got a string");
  bad (PROC (", 'env': [null]"), "config.json: process.env[0]: expected a string, got null");
  bad (PROC (", 'capabilities': {'bounding': [1]}"),
       "config.json: process.capabilities.bounding[0]: expected a string, got a number");
  bad (PROC (", 'capabilities': {'ambient': {}}"),
       "config.json: process.capabilities.ambient: expected an array, got an object");
  bad (PROC (", 'rlimits': [{'hard': 1, 'soft': 1}]"), "config.json: process.rlimits[0].type: required field is missing");
  bad (PROC (", 'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': 1}]"),
       "config.json: process.rlimits[0].soft: required field is missing");
  bad (PROC (", 'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1}]"),
       "config.json: process.rlimits[0].hard: required field is missing");
  bad (PROC (", 'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': -1, 'soft': 1}]"),
       "config.json: process.rlimits[0].hard: -1 is out of range (0..18446744073709551615)");
  bad (PROC (", 'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': 18446744073709551616, 'soft': 1}]"),
       "config.json: process.rlimits[0].hard: 18446744073709551616 is out of range (0..18446744073709551615)");
  bad (PROC (", 'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': 1, 'soft': 1}, {'type': 'RLIMIT_CORE', 'hard': 1, "
             "'soft': 1}, {'type': 'RLIMIT_NOFILE', 'hard': 2, 'soft': 2}]"),
       "config.json: process.rlimits[2].type: rlimit 'RLIMIT_NOFILE' is listed twice");
  bad (PROC (", 'noNewPrivileges': 1"), "config.json: process.noNewPrivileges: expected a boolean, got a number");
  bad (PROC (", 'oomScoreAdj': 'x'"), "config.json: process.oomScoreAdj: expected an integer, got a string");
  bad (PROC (", 'oomScoreAdj': -2147483649"),
       "config.json: process.oomScoreAdj: -2147483649 is out of range (-2147483648..2147483647)");
  bad (PROC (", 'scheduler': {'nice': 1}"), "config.json: process.scheduler.policy: required field is missing");
  bad (PROC (", 'scheduler': {'policy': 'SCHED_OTHER', 'nice': 1.5}"),
       "config.json: process.scheduler.nice: expected an integer, got 1.5");
  bad (PROC (", 'scheduler': {'policy': 'SCHED_OTHER', 'runtime': -1}"),
       "config.json: process.scheduler.runtime: -1 is out of range (0..18446744073709551615)");
  bad (PROC (", 'ioPriority': {'priority': 1}"), "config.json: process.ioPriority.class: required field is missing");
  bad (PROC (", 'execCPUAffinity': {'initial': 7}"),
       "config.json: process.execCPUAffinity.initial: expected a string, got a number");
  bad (PROC (", 'apparmorProfile': false"), "config.json: process.apparmorProfile: expected a string, got a boolean");

  s = good (PROC (", 'ioPriority': {'class': 'IOPRIO_CLASS_IDLE'}"));
  ok (s && s->process->io_priority && s->process->io_priority->priority == 0, "ioPriority.priority defaults to 0");
  spec_free (s);
  s = good (PROC (", 'oomScoreAdj': 0, 'user': {'uid': 0, 'gid': 0, 'umask': 0}"));
  ok (s && s->process->has_oom_score_adj && s->process->user.has_umask, "zero values are present values");
  ok (s && s->process->scheduler == NULL && s->process->capabilities == NULL, "absent objects are NULL");
  spec_free (s);
}

static void
test_linux_errors (void)
{
  spec *s;

  bad ("'linux': []", "config.json: linux: expected an object, got an array");
  bad ("'linux': {'namespaces': [{'type': 'pid'}, {'type': 'net'}]}",
       "config.json: linux.namespaces[1].type: unknown namespace type 'net'");
  bad ("'linux': {'namespaces': [{'type': 'pid'}, {'type': 'ipc'}, {'type': 'uts'}, {'type': 'foo'}]}",
       "config.json: linux.namespaces[3].type: unknown namespace type 'foo'");
  bad ("'linux': {'namespaces': [{'path': '/proc/1/ns/pid'}]}",
       "config.json: linux.namespaces[0].type: required field is missing");
  bad ("'linux': {'namespaces': [{'type': 'pid'}, {'type': 'mount'}, {'type': 'pid', 'path': '/x'}]}",
       "config.json: linux.namespaces[2].type: namespace type 'pid' is listed twice");
  bad ("'linux': {'namespaces': [{'type': 'user', 'path': 1}]}",
       "config.json: linux.namespaces[0].path: expected a string, got a number");
  bad ("'linux': {'uidMappings': [{'containerID': 0, 'size': 1}]}",
       "config.json: linux.uidMappings[0].hostID: required field is missing");
  bad ("'linux': {'gidMappings': [{'hostID': 0, 'size': 1}]}",
       "config.json: linux.gidMappings[0].containerID: required field is missing");
  bad ("'linux': {'uidMappings': [{'containerID': 0, 'hostID': 0, 'size': 4294967296}]}",
       "config.json: linux.uidMappings[0].size: 4294967296 is out of range (0..4294967295)");
  bad ("'linux': {'sysctl': {'net.ipv4.ip_forward': 1}}",
       "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got a number");
  bad ("'linux': {'sysctl': ['a=b']}", "config.json: linux.sysctl: expected an object, got an array");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'type': 'x', 'major': 1, 'minor': 1}]}",
       "config.json: linux.devices[0].type: unknown device type 'x' (expected c, b, u or p)");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'type': 'cb', 'major': 1, 'minor': 1}]}",
       "config.json: linux.devices[0].type: unknown device type 'cb' (expected c, b, u or p)");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'type': '', 'major': 1, 'minor': 1}]}",
       "config.json: linux.devices[0].type: unknown device type '' (expected c, b, u or p)");
  bad ("'linux': {'devices': [{'type': 'c', 'major': 1, 'minor': 1}]}",
       "config.json: linux.devices[0].path: required field is missing");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'major': 1, 'minor': 1}]}",
       "config.json: linux.devices[0].type: required field is missing");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'type': 'c', 'minor': 1}]}",
       "config.json: linux.devices[0].major: required field is missing");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'type': 'u', 'major': 1}]}",
       "config.json: linux.devices[0].minor: required field is missing");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'type': 'b', 'major': '8', 'minor': 0}]}",
       "config.json: linux.devices[0].major: expected an integer, got a string");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'type': 'p', 'fileMode': -1}]}",
       "config.json: linux.devices[0].fileMode: -1 is out of range (0..4294967295)");
  bad ("'linux': {'devices': [{'path': '/dev/x', 'type': 'p', 'uid': 'root'}]}",
       "config.json: linux.devices[0].uid: expected an unsigned integer, got a string");
  bad ("'linux': {'seccomp': {'syscalls': []}}", "config.json: linux.seccomp.defaultAction: required field is missing");
  bad ("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'defaultErrnoRet': 'x'}}",
       "config.json: linux.seccomp.defaultErrnoRet: expected an unsigned integer, got a string");
  bad ("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'action': 'SCMP_ACT_ERRNO'}]}}",
       "config.json: linux.seccomp.syscalls[0].names: required field is missing");
  bad ("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': [], 'action': 'X'}]}}",
       "config.json: linux.seccomp.syscalls[0].names: at least one entry is required");
  bad ("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW', 'syscalls': [{'names': ['read']}]}}",
       "config.json: linux.seccomp.syscalls[0].action: required field is missing");
  bad ("'linux': {'seccomp': {'defaultAction': 'A', 'syscalls': [{'names': ['read'], 'action': 'B', 'errnoRet': -1}]}}",
       "config.json: linux.seccomp.syscalls[0].errnoRet: -1 is out of range (0..4294967295)");
  bad ("'linux': {'seccomp': {'defaultAction': 'A', 'syscalls': [{'names': ['read'], 'action': 'B', 'args': [{'value': "
       "1, 'op': 'SCMP_CMP_EQ'}]}]}}",
       "config.json: linux.seccomp.syscalls[0].args[0].index: required field is missing");
  bad ("'linux': {'seccomp': {'defaultAction': 'A', 'syscalls': [{'names': ['read'], 'action': 'B', 'args': [{'index': "
       "0, 'op': 'SCMP_CMP_EQ'}]}]}}",
       "config.json: linux.seccomp.syscalls[0].args[0].value: required field is missing");
  bad ("'linux': {'seccomp': {'defaultAction': 'A', 'syscalls': [{'names': ['read'], 'action': 'B', 'args': [{'index': "
       "0, 'value': 1}]}]}}",
       "config.json: linux.seccomp.syscalls[0].args[0].op: required field is missing");
  bad ("'linux': {'rootfsPropagation': 'bogus'}",
       "config.json: linux.rootfsPropagation: unknown propagation 'bogus' (expected shared, slave, private or "
       "unbindable, optionally prefixed with r)");
  bad ("'linux': {'maskedPaths': ['/proc/kcore', 1]}", "config.json: linux.maskedPaths[1]: expected a string, got a number");
  bad ("'linux': {'readonlyPaths': '/proc/sys'}", "config.json: linux.readonlyPaths: expected an array, got a string");
  bad ("'linux': {'cgroupsPath': 1}", "config.json: linux.cgroupsPath: expected a string, got a number");
  bad ("'linux': {'timeOffsets': {'realtime': {'secs': 1}}}",
       "config.json: linux.timeOffsets[\"realtime\"]: unknown clock (expected monotonic or boottime)");
  bad ("'linux': {'timeOffsets': {'monotonic': {'nanosecs': 1000000000}}}",
       "config.json: linux.timeOffsets[\"monotonic\"].nanosecs: 1000000000 is out of range (0..999999999)");
  bad ("'linux': {'timeOffsets': {'boottime': {'nanosecs': 4294967296}}}",
       "config.json: linux.timeOffsets[\"boottime\"].nanosecs: 4294967296 is out of range (0..4294967295)");
  bad ("'linux': {'timeOffsets': {'boottime': {'secs': '1'}}}",
       "config.json: linux.timeOffsets[\"boottime\"].secs: expected an integer, got a string");
  bad ("'linux': {'timeOffsets': {'boottime': 1}}",
       "config.json: linux.timeOffsets[\"boottime\"]: expected an object, got a number");
  bad ("'linux': {'netDevices': {'eth0': 'eth1'}}",
       "config.json: linux.netDevices[\"eth0\"]: expected an object, got a string");
  bad ("'linux': {'netDevices': {'eth0': {'name': 23}}}",
       "config.json: linux.netDevices[\"eth0\"].name: expected a string, got a number");
  bad ("'linux': {'memoryPolicy': {'nodes': '0'}}", "config.json: linux.memoryPolicy.mode: required field is missing");
  bad ("'linux': {'memoryPolicy': {'mode': 'MPOL_BIND', 'flags': 'MPOL_F_STATIC_NODES'}}",
       "config.json: linux.memoryPolicy.flags: expected an array, got a string");
  bad ("'linux': {'intelRdt': {'schemata': 'L3:0=f'}}",
       "config.json: linux.intelRdt.schemata: expected an array, got a string");
  bad ("'linux': {'intelRdt': {'enableMonitoring': 'yes'}}",
       "config.json: linux.intelRdt.enableMonitoring: expected a boolean, got a string");
  bad ("'linux': {'personality': {'flags': []}}", "config.json: linux.personality.domain: required field is missing");

  s = good ("'linux': {'rootfsPropagation': 'runbindable', 'timeOffsets': {'boottime': {}}}");
  ok (s && strcmp (s->linux_->rootfs_propagation, "runbindable") == 0, "r-prefixed propagation accepted");
  ok (s && s->linux_->n_time_offsets == 1 && s->linux_->time_offsets[0].secs == 0, "empty time offset is zero");
  ok (s && spec_find_namespace (s, SPEC_NS_PID) == NULL, "spec_find_namespace: not listed");
  spec_free (s);
}

static void
test_resources_errors (void)
{
  spec *s;

  bad (RES ("'devices': [{'access': 'rwm'}]"), "config.json: linux.resources.devices[0].allow: required field is missing");
  bad (RES ("'devices': [{'allow': true, 'type': 'u'}]"),
       "config.json: linux.resources.devices[0].type: unknown device type 'u' (expected a, c or b)");
  bad (RES ("'devices': [{'allow': true, 'access': 'rwx'}]"),
       "config.json: linux.resources.devices[0].access: 'rwx' is not a combination of r, w and m");
  bad (RES ("'devices': [{'allow': 'yes'}]"),
       "config.json: linux.resources.devices[0].allow: expected a boolean, got a string");
  bad (RES ("'memory': {'limit': '1G'}"), "config.json: linux.resources.memory.limit: expected an integer, got a string");
  bad (RES ("'memory': {'limit': 9223372036854775808}"),
       "config.json: linux.resources.memory.limit: 9223372036854775808 is out of range "
       "(-9223372036854775808..9223372036854775807)");
  bad (RES ("'memory': {'swappiness': -1}"),
       "config.json: linux.resources.memory.swappiness: -1 is out of range (0..18446744073709551615)");
  bad (RES ("'memory': {'disableOOMKiller': 0}"),
       "config.json: linux.resources.memory.disableOOMKiller: expected a boolean, got a number");
  bad (RES ("'cpu': {'shares': -2}"), "config.json: linux.resources.cpu.shares: -2 is out of range (0..18446744073709551615)");
  bad (RES ("'cpu': {'quota': 1.5}"), "config.json: linux.resources.cpu.quota: expected an integer, got 1.5");
  bad (RES ("'cpu': {'cpus': 3}"), "config.json: linux.resources.cpu.cpus: expected a string, got a number");
  bad (RES ("'pids': {'limit': 'max'}"), "config.json: linux.resources.pids.limit: expected an integer, got a string");
  bad (RES ("'pids': 5"), "config.json: linux.resources.pids: expected an object, got a number");
  bad (RES ("'blockIO': {'weight': 65536}"),
       "config.json: linux.resources.blockIO.weight: 65536 is out of range (0..65535)");
  bad (RES ("'blockIO': {'leafWeight': -1}"),
       "config.json: linux.resources.blockIO.leafWeight: -1 is out of range (0..65535)");
  bad (RES ("'blockIO': {'weightDevice': [{'major': 8, 'minor': 0}]}"),
       "config.json: linux.resources.blockIO.weightDevice[0]: at least one of weight and leafWeight is required");
  bad (RES ("'blockIO': {'weightDevice': [{'minor': 0, 'weight': 1}]}"),
       "config.json: linux.resources.blockIO.weightDevice[0].major: required field is missing");
  bad (RES ("'blockIO': {'weightDevice': [{'major': 8, 'minor': 0, 'weight': 70000}]}"),
       "config.json: linux.resources.blockIO.weightDevice[0].weight: 70000 is out of range (0..65535)");
  bad (RES ("'blockIO': {'throttleReadBpsDevice': [{'major': 8, 'minor': 0}]}"),
       "config.json: linux.resources.blockIO.throttleReadBpsDevice[0].rate: required field is missing");
  bad (RES ("'blockIO': {'throttleWriteIOPSDevice': [{'major': 8, 'rate': 1}]}"),
       "config.json: linux.resources.blockIO.throttleWriteIOPSDevice[0].minor: required field is missing");
  bad (RES ("'hugepageLimits': [{'limit': 1}]"),
       "config.json: linux.resources.hugepageLimits[0].pageSize: required field is missing");
  bad (RES ("'hugepageLimits': [{'pageSize': '2MB'}]"),
       "config.json: linux.resources.hugepageLimits[0].limit: required field is missing");
  bad (RES ("'network': {'classID': 4294967296}"),
       "config.json: linux.resources.network.classID: 4294967296 is out of range (0..4294967295)");
  bad (RES ("'network': {'priorities': [{'priority': 1}]}"),
       "config.json: linux.resources.network.priorities[0].name: required field is missing");
  bad (RES ("'network': {'priorities': [{'name': 'eth0'}]}"),
       "config.json: linux.resources.network.priorities[0].priority: required field is missing");
  bad (RES ("'rdma': {'mlx5_1': {}}"),
       "config.json: linux.resources.rdma[\"mlx5_1\"]: at least one of hcaHandles and hcaObjects is required");
  bad (RES ("'rdma': {'mlx5_1': {'hcaHandles': 'not a uint32'}}"),
       "config.json: linux.resources.rdma[\"mlx5_1\"].hcaHandles: expected an unsigned integer, got a string");
  bad (RES ("'unified': {'memory.max': 1}"),
       "config.json: linux.resources.unified[\"memory.max\"]: expected a string, got a number");

  /* pids.limit is OPTIONAL since runtime-spec 1.3, and 0 is a real limit.  */
  s = good (RES ("'pids': {}"));
  ok (s && !s->linux_->resources->has_pids, "pids without limit sets nothing");
  spec_free (s);
  s = good (RES ("'pids': {'limit': 0}, 'network': {}"));
  ok (s && s->linux_->resources->has_pids && s->linux_->resources->pids_limit == 0, "pids.limit 0 kept");
  ok (s && s->linux_->resources->has_network && !s->linux_->resources->has_net_class_id, "empty network object");
  spec_free (s);
}

/* ---- the standalone loaders ----------------------------------------------------------- */

static void
test_standalone (void)
{
  _cleanup_free_ char *proc = dq ("{'cwd': '/w', 'args': ['ls', '-l'], 'env': ['A=1'], 'terminal': true, "
                                  "'user': {'uid': 5, 'gid': 6, 'additionalGids': [7]}, "
                                  "'capabilities': {'bounding': ['CAP_KILL']}, 'x-extra': 1}");
  _cleanup_free_ char *proc_bad = dq ("{'cwd': '/', 'args': ['sh'], 'user': {'uid': 'root', 'gid': 0}}");
  _cleanup_free_ char *proc_noargs = dq ("{'cwd': '/', 'user': {'uid': 0, 'gid': 0}}");
  _cleanup_free_ char *res = dq ("{'memory': {'limit': 1048576, 'swap': -1}, 'pids': {'limit': -1}, "
                                 "'cpu': {'cpus': '0-1'}, 'unified': {'pids.max': '10'}}");
  _cleanup_free_ char *res_bad = dq ("{'memory': {'limit': '1M'}}");
  rt_error err = { 0 };
  spec_process *p;
  spec_resources *r;

  p = spec_process_load_text (proc, strlen (proc), "process.json", &err);
  ok (p != NULL, "standalone process loads");
  if (p)
    {
      ok (p->n_args == 2 && strcmp (p->args[1], "-l") == 0 && strcmp (p->cwd, "/w") == 0, "process args/cwd");
      ok (p->user.uid == 5 && p->user.gid == 6 && p->user.n_additional_gids == 1, "process user");
      ok (p->terminal && p->capabilities && p->capabilities->n_bounding == 1, "process terminal/capabilities");
    }
  spec_process_free (p);
  p = spec_process_load_text (proc_bad, strlen (proc_bad), "process.json", &err);
  ok (p == NULL, "standalone process with a bad uid rejected");
  is_str (err.msg, "process.json: user.uid: expected an unsigned integer, got a string",
          "standalone process: path starts at its own members");
  p = spec_process_load_text (proc_noargs, strlen (proc_noargs), "process.json", &err);
  ok (p == NULL, "standalone process without args rejected");
  is_str (err.msg, "process.json: args: required field is missing", "standalone process: missing args");
  p = spec_process_load_text ("[1]", 3, "process.json", &err);
  ok (p == NULL, "standalone process must be an object");
  is_str (err.msg, "process.json: expected an object, got an array", "standalone process: top-level type");

  r = spec_resources_load_text (res, strlen (res), "resources.json", &err);
  ok (r != NULL, "standalone resources load");
  if (r)
    {
      ok (r->memory && r->memory->has_limit && r->memory->limit == 1048576 && r->memory->swap == -1,
          "resources memory");
      ok (r->has_pids && r->pids_limit == -1, "resources pids -1");
      ok (r->cpu && strcmp (r->cpu->cpus, "0-1") == 0, "resources cpu");
      ok (r->n_unified == 1 && strcmp (r->unified[0].value, "10") == 0, "resources unified");
    }
  spec_resources_free (r);
  r = spec_resources_load_text (res_bad, strlen (res_bad), "resources.json", &err);
  ok (r == NULL, "standalone resources with a bad limit rejected");
  is_str (err.msg, "resources.json: memory.limit: expected an integer, got a string",
          "standalone resources: path starts at its own members");
  r = spec_resources_load_text ("{", 1, "resources.json", &err);
  ok (r == NULL, "standalone resources: malformed JSON rejected");
  like (err.msg, "resources.json: invalid JSON", "standalone resources: syntax error message");
}

/* The fuzzer starts from its corpus; every seed must be a valid document
   for the loader it is meant for, or the fuzzer explores error paths only.  */
static void
test_fuzz_corpus (void)
{
  static const char *const seeds[] = {
    "config-full.json", "runc-spec.json", "runc-spec-rootless.json", "crun-spec.json", "crun-spec-rootless.json",
    "process.json",     "resources.json",
  };

  for (size_t i = 0; i < ARRAY_SIZE (seeds); i++)
    {
      _cleanup_free_ char *path = NULL, *text = NULL;
      rt_error err = { 0 };
      ssize_t len;
      bool loaded;

      xasprintf (&path, "%s/tests/fuzz/corpus/%s", srcdir, seeds[i]);
      len = read_file_at (AT_FDCWD, path, &text, &err);
      if (len < 0)
        {
          ok (0, "read fuzz seed %s: %s", seeds[i], err.msg);
          continue;
        }
      if (strcmp (seeds[i], "process.json") == 0)
        {
          spec_process *p = spec_process_load_text (text, len, seeds[i], &err);
          loaded = p != NULL;
          spec_process_free (p);
        }
      else if (strcmp (seeds[i], "resources.json") == 0)
        {
          spec_resources *r = spec_resources_load_text (text, len, seeds[i], &err);
          loaded = r != NULL;
          spec_resources_free (r);
        }
      else
        {
          spec *s = spec_load_text (text, len, seeds[i], &err);
          loaded = s != NULL;
          spec_free (s);
        }
      ok (loaded, "fuzz seed %s loads", seeds[i]);
      if (!loaded)
        printf ("#   error: %s\n", err.msg);
    }
}

static void
test_ns_names (void)
{
  for (int t = 0; t < SPEC_NS__COUNT; t++)
    is_int (spec_ns_type_from_name (spec_ns_type_name (t)), t, "namespace name round-trips: %s",
            spec_ns_type_name (t));
  is_str (spec_ns_type_name (SPEC_NS_NETWORK), "network", "network namespace name");
  is_int (spec_ns_type_from_name ("net"), -1, "unknown namespace name");
  ok (spec_ns_type_name (SPEC_NS__COUNT) == NULL, "out-of-range namespace type has no name");
  ok (spec_find_namespace (NULL, SPEC_NS_PID) == NULL, "spec_find_namespace (NULL)");
}

int
main (void)
{
  srcdir = getenv ("TOP_SRCDIR");
  if (srcdir == NULL)
    srcdir = ".";

  test_full ();
  test_runc_spec ();
  test_documents ();
  test_general_rules ();
  test_top_errors ();
  test_process_errors ();
  test_linux_errors ();
  test_resources_errors ();
  test_standalone ();
  test_fuzz_corpus ();
  test_ns_names ();
  return tap_done ();
}
