/* `runc features`.  The runtime-spec reads an absent field as "unknown",
 * so a feature this build lacks is stated explicitly: false, or an empty
 * list.  A list that another module has not filled in yet is omitted
 * rather than reported as empty, because an empty list would claim that
 * nothing is supported.  */
#include "config.h"

#include <string.h>

#include "caps.h"
#include "features.h"
#include "json.h"
#include "mountopt.h"
#include "procattr.h"
#include "syscall_filter.h"
#include "util.h"

const features_impl features_implemented = {
  .hooks = true,
  /* "enabled" is what the runtime implements, whatever the host has
     (features-linux.md): the LSMs are applied where the host runs them
     and refused with an error where it does not (lsm.h), Intel RDT where
     resctrl is mounted (intelrdt.h).  */
  .apparmor = true,
  .selinux = true,
  .intel_rdt = true,
  .intel_rdt_schemata = true,
  .intel_rdt_monitoring = true,
  .memory_policy = true,
  .net_devices = true,
  .idmap_mounts = true,
  .seccomp_notify = true,
  .cgroup_v1 = true,
  .cgroup_v2 = true,
#ifdef HAVE_SYSTEMD
  .cgroup_systemd = true,
  .cgroup_systemd_user = true,
#endif
  .cgroup_rdma = true,
  .checkpoint = false,
};

static const char *const hook_names[] = {
  "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL,
};

static const char *const namespace_names[] = {
  "cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts", NULL,
};

static const char *const unsafe_annotations[] = {
  "bundle",
  "org.systemd.property.", /* a prefix: ends with "." */
  "org.criu.config",
  "runc.overlay", /* ROOTFS_OVERLAY_ANNOTATION: native overlayfs or fuse-overlayfs */
  "runc.network", /* NET_ANNOTATION (netannot.h): runc-slirp started by the runtime */
  "runc.network.", /* its ports, host-loopback and mtu */
  NULL,
};

static const char *const no_names[] = { NULL };

/* Write `key: [list]` where `skip` names entries to leave out.  An empty
   list from a module that is still a placeholder is omitted.  */
static void
names_kv (json_writer *w, const char *key, const char *const *list, const char *skip1,
          const char *skip2, bool allow_empty)
{
  if (list == NULL || (list[0] == NULL && !allow_empty))
    return;
  json_w_key (w, key);
  json_w_array_begin (w);
  for (size_t i = 0; list[i]; i++)
    if (!(skip1 && strcmp (list[i], skip1) == 0) && !(skip2 && strcmp (list[i], skip2) == 0))
      json_w_string (w, list[i]);
  json_w_array_end (w);
}

static void
enabled_object (json_writer *w, const char *key, bool enabled)
{
  json_w_key (w, key);
  json_w_object_begin (w);
  json_w_kv_bool (w, "enabled", enabled);
  json_w_object_end (w);
}

static void
write_seccomp (json_writer *w, const features_impl *f)
{
  json_w_key (w, "seccomp");
  json_w_object_begin (w);
  json_w_kv_bool (w, "enabled", true);
  names_kv (w, "actions", sfilter_actions, f->seccomp_notify ? NULL : "SCMP_ACT_NOTIFY", NULL,
            false);
  names_kv (w, "operators", sfilter_operators, NULL, NULL, false);
  names_kv (w, "archs", sfilter_archs, NULL, NULL, false);
  names_kv (w, "knownFlags", sfilter_known_flags, NULL, NULL, false);
  names_kv (w, "supportedFlags", sfilter_supported_flags (), NULL, NULL, false);
  json_w_object_end (w);
}

static void
write_linux (json_writer *w, const features_impl *f)
{
  json_w_key (w, "linux");
  json_w_object_begin (w);
  names_kv (w, "namespaces", namespace_names, NULL, NULL, false);
  names_kv (w, "capabilities", caps_all_names, NULL, NULL, false);

  json_w_key (w, "cgroup");
  json_w_object_begin (w);
  json_w_kv_bool (w, "v1", f->cgroup_v1);
  json_w_kv_bool (w, "v2", f->cgroup_v2);
  json_w_kv_bool (w, "systemd", f->cgroup_systemd);
  json_w_kv_bool (w, "systemdUser", f->cgroup_systemd_user);
  json_w_kv_bool (w, "rdma", f->cgroup_rdma);
  json_w_object_end (w);

  write_seccomp (w, f);
  enabled_object (w, "apparmor", f->apparmor);
  enabled_object (w, "selinux", f->selinux);

  json_w_key (w, "intelRdt");
  json_w_object_begin (w);
  json_w_kv_bool (w, "enabled", f->intel_rdt);
  json_w_kv_bool (w, "schemata", f->intel_rdt_schemata);
  json_w_kv_bool (w, "monitoring", f->intel_rdt_monitoring);
  json_w_object_end (w);

  json_w_key (w, "memoryPolicy");
  json_w_object_begin (w);
  names_kv (w, "modes", f->memory_policy ? mpol_mode_names : no_names, NULL, NULL, true);
  names_kv (w, "flags", f->memory_policy ? mpol_flag_names : no_names, NULL, NULL, true);
  json_w_object_end (w);

  json_w_key (w, "mountExtensions");
  json_w_object_begin (w);
  enabled_object (w, "idmap", f->idmap_mounts);
  json_w_object_end (w);

  enabled_object (w, "netDevices", f->net_devices);
  json_w_object_end (w);
}

char *
features_json (void)
{
  const features_impl *f = &features_implemented;
  const char *seccomp_version = sfilter_libseccomp_version ();
  json_writer *w = json_writer_new (4);

  json_w_object_begin (w);
  json_w_kv_string (w, "ociVersionMin", "1.0.0");
  json_w_kv_string (w, "ociVersionMax", OCI_SPEC_VERSION);
  names_kv (w, "hooks", f->hooks ? hook_names : no_names, NULL, NULL, true);
  /* idmap and ridmap are reported under linux.mountExtensions, as runc
     does, not as generic options.  */
  names_kv (w, "mountOptions", mountopt_known, "idmap", "ridmap", false);
  write_linux (w, f);

  /* Keys sorted, as Go writes a map.  */
  json_w_key (w, "annotations");
  json_w_object_begin (w);
  if (seccomp_version)
    json_w_kv_string (w, "io.github.seccomp.libseccomp.version", seccomp_version);
  json_w_kv_string (w, "org.opencontainers.runc.checkpoint.enabled", f->checkpoint ? "true" : "false");
  json_w_kv_string (w, "org.opencontainers.runc.commit", GIT_COMMIT);
  json_w_kv_string (w, "org.opencontainers.runc.version", PACKAGE_VERSION);
  json_w_object_end (w);

  names_kv (w, "potentiallyUnsafeConfigAnnotations", unsafe_annotations, NULL, NULL, false);
  json_w_object_end (w);
  return json_writer_finish (w, NULL);
}
