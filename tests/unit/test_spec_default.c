/* `runc spec` and `runc features` documents: parsed back and checked field
 * by field, including the rootless transformation and what features must
 * state as unsupported.  */
#include "config.h"

#include "features.h"
#include "json.h"
#include "spec_default.h"
#include "tap.h"
#include "util.h"

static json_node *
parse_doc (const char *text, const char *name)
{
  rt_error err = { 0 };
  json_node *n = json_parse (text, strlen (text), name, &err);
  ok (n != NULL, "%s parses (%s)", name, err.msg);
  return n;
}

static const json_node *
path (const json_node *n, const char *a, const char *b, const char *c)
{
  if (n && a)
    n = json_get (n, a);
  if (n && b)
    n = json_get (n, b);
  if (n && c)
    n = json_get (n, c);
  return n;
}

static const char *
str_at (const json_node *arr, size_t i)
{
  return arr && i < json_len (arr) ? json_string (json_at (arr, i)) : NULL;
}

static const json_node *
mount_at (const json_node *doc, const char *dest)
{
  const json_node *m = json_get (doc, "mounts");
  for (size_t i = 0; m && i < json_len (m); i++)
    if (strcmp (json_string (json_get (json_at (m, i), "destination")), dest) == 0)
      return json_at (m, i);
  return NULL;
}

static bool
array_has (const json_node *arr, const char *s)
{
  for (size_t i = 0; arr && i < json_len (arr); i++)
    if (json_type (json_at (arr, i)) == JSON_STRING && strcmp (json_string (json_at (arr, i)), s) == 0)
      return true;
  return false;
}

static void
test_default (void)
{
  spec_default_opts o = { .rootless = false, .cgroup_ns = false };
  _cleanup_free_ char *text = spec_default_json (&o);
  json_node *doc = parse_doc (text, "default spec");
  const json_node *ns, *caps;
  uint64_t u;

  ok (strncmp (text, "{\n\t\"ociVersion\": \"1.3.0\",\n\t\"process\": {\n\t\t\"terminal\": true,", 56) == 0,
      "tab indentation, field order as runc");
  ok (text[strlen (text) - 1] == '}', "no trailing newline");
  is_str (json_key_at (doc, 0), "ociVersion", "first key");
  is_str (json_key_at (doc, 1), "process", "then process");
  is_str (json_key_at (doc, 2), "root", "then root");
  is_str (json_key_at (doc, 3), "hostname", "then hostname");
  is_str (json_key_at (doc, 4), "mounts", "then mounts");
  is_str (json_key_at (doc, 5), "linux", "then linux");
  is_str (str_at (path (doc, "process", "args", NULL), 0), "sh", "args [sh]");
  caps = path (doc, "process", "capabilities", NULL);
  is_int (json_len (caps), 3, "bounding, effective, permitted only (no ambient)");
  is_str (str_at (json_get (caps, "bounding"), 2), "CAP_NET_BIND_SERVICE", "default caps");
  ok (json_get_u64 (json_get (json_at (path (doc, "process", "rlimits", NULL), 0), "hard"), &u) == 0
          && u == 1024,
      "RLIMIT_NOFILE 1024");
  ok (json_bool (path (doc, "root", "readonly", NULL)), "readonly rootfs");
  is_int (json_len (json_get (doc, "mounts")), 7, "seven mounts");
  ok (json_get (mount_at (doc, "/proc"), "options") == NULL, "/proc has no options key");
  ok (array_has (json_get (mount_at (doc, "/dev/pts"), "options"), "gid=5"), "devpts gid=5");
  is_str (json_string (json_get (mount_at (doc, "/sys"), "type")), "sysfs", "/sys is sysfs");
  ns = path (doc, "linux", "namespaces", NULL);
  is_int (json_len (ns), 5, "five namespaces without cgroup v2");
  is_str (json_string (json_get (json_at (ns, 1), "type")), "network", "network namespace");
  ok (path (doc, "linux", "resources", "devices") != NULL, "device rules");
  ok (path (doc, "linux", "uidMappings", NULL) == NULL, "no uid mappings");
  is_int (json_len (path (doc, "linux", "maskedPaths", NULL)), 10, "masked paths");
  is_str (str_at (path (doc, "linux", "readonlyPaths", NULL), 4), "/proc/sysrq-trigger",
          "read-only paths");
  json_free (doc);
}

static void
test_cgroup_ns (void)
{
  spec_default_opts o = { .cgroup_ns = true };
  _cleanup_free_ char *text = spec_default_json (&o);
  json_node *doc = parse_doc (text, "cgroup v2 spec");
  const json_node *ns = path (doc, "linux", "namespaces", NULL);

  is_int (json_len (ns), 6, "cgroup namespace added");
  is_str (json_string (json_get (json_at (ns, 5), "type")), "cgroup", "as the last one");
  json_free (doc);
}

static void
test_rootless (void)
{
  spec_default_opts o = { .rootless = true, .host_uid = 1000, .host_gid = 1001, .cgroup_ns = true };
  _cleanup_free_ char *text = spec_default_json (&o);
  json_node *doc = parse_doc (text, "rootless spec");
  const json_node *ns = path (doc, "linux", "namespaces", NULL), *sys, *um;
  uint64_t u;

  is_int (json_len (ns), 6, "pid ipc uts mount cgroup user");
  for (size_t i = 0; i < json_len (ns); i++)
    ok (strcmp (json_string (json_get (json_at (ns, i), "type")), "network") != 0,
        "no network namespace (%zu)", i);
  is_str (json_string (json_get (json_at (ns, 5), "type")), "user", "user namespace last");
  um = json_at (path (doc, "linux", "uidMappings", NULL), 0);
  ok (json_get_u64 (json_get (um, "hostID"), &u) == 0 && u == 1000, "uid 0 -> host 1000");
  ok (json_get_u64 (json_get (um, "size"), &u) == 0 && u == 1, "single-ID mapping");
  ok (json_get_u64 (json_get (json_at (path (doc, "linux", "gidMappings", NULL), 0), "hostID"), &u) == 0
          && u == 1001,
      "gid 0 -> host 1001");
  is_str (json_key_at (json_get (doc, "linux"), 0), "uidMappings", "mappings first in linux");
  ok (path (doc, "linux", "resources", NULL) == NULL, "no resources");
  sys = mount_at (doc, "/sys");
  is_str (json_string (json_get (sys, "type")), "none", "/sys bind-mounted");
  is_str (json_string (json_get (sys, "source")), "/sys", "from the host /sys");
  is_str (str_at (json_get (sys, "options"), 0), "rbind", "rbind");
  ok (!array_has (json_get (mount_at (doc, "/dev/pts"), "options"), "gid=5"), "gid=5 removed");
  ok (array_has (json_get (mount_at (doc, "/dev/pts"), "options"), "mode=0620"),
      "other devpts options kept");
  json_free (doc);
}

static void
test_features (void)
{
  _cleanup_free_ char *text = features_json ();
  json_node *doc = parse_doc (text, "features");
  const json_node *lin = json_get (doc, "linux"), *ann = json_get (doc, "annotations");

  ok (strncmp (text, "{\n    \"ociVersionMin\": \"1.0.0\",\n    \"ociVersionMax\": \"1.3.0\",", 60) == 0,
      "4-space indent, versions first");
  ok (text[strlen (text) - 1] == '}', "no trailing newline (the CLI adds it)");
  if (!features_implemented.hooks)
    ok (json_get (doc, "hooks") && json_len (json_get (doc, "hooks")) == 0,
        "hooks stated as an empty list, not omitted");
  else
    ok (array_has (json_get (doc, "hooks"), "createRuntime"), "hooks listed");
  ok (!array_has (json_get (doc, "mountOptions"), "idmap"), "idmap not a generic mount option");
  ok (array_has (json_get (lin, "namespaces"), "user"), "user namespace");
  ok (json_type (path (lin, "apparmor", "enabled", NULL)) == JSON_BOOL
          && json_bool (path (lin, "apparmor", "enabled", NULL)) == features_implemented.apparmor,
      "apparmor.enabled explicit");
  ok (json_type (path (lin, "selinux", "enabled", NULL)) == JSON_BOOL, "selinux.enabled explicit");
  ok (json_type (path (lin, "intelRdt", "schemata", NULL)) == JSON_BOOL, "intelRdt.schemata explicit");
  ok (json_type (path (lin, "intelRdt", "monitoring", NULL)) == JSON_BOOL,
      "intelRdt.monitoring explicit");
  ok (json_type (path (lin, "mountExtensions", "idmap", "enabled")) == JSON_BOOL,
      "mountExtensions.idmap.enabled explicit");
  ok (json_type (path (lin, "netDevices", "enabled", NULL)) == JSON_BOOL, "netDevices explicit");
  ok (json_type (path (lin, "memoryPolicy", "modes", NULL)) == JSON_ARRAY,
      "memoryPolicy.modes explicit");
  if (!features_implemented.memory_policy)
    is_int (json_len (path (lin, "memoryPolicy", "modes", NULL)), 0, "no memory policy modes");
  ok (json_bool (path (lin, "seccomp", "enabled", NULL)), "seccomp enabled");
  if (!features_implemented.seccomp_notify)
    ok (!array_has (path (lin, "seccomp", "actions", NULL), "SCMP_ACT_NOTIFY"),
        "SCMP_ACT_NOTIFY not claimed");
  ok (json_get (path (lin, "cgroup", NULL, NULL), "v2") != NULL, "cgroup.v2 present");
  is_str (json_string (json_get (ann, "org.opencontainers.runc.version")), PACKAGE_VERSION,
          "version annotation");
  is_str (json_string (json_get (ann, "org.opencontainers.runc.commit")), GIT_COMMIT,
          "commit annotation");
  is_str (json_string (json_get (ann, "org.opencontainers.runc.checkpoint.enabled")),
          features_implemented.checkpoint ? "true" : "false", "checkpoint annotation");
  for (size_t i = 1; i < json_len (ann); i++)
    ok (strcmp (json_key_at (ann, i - 1), json_key_at (ann, i)) < 0, "annotations sorted (%zu)", i);
  ok (array_has (json_get (doc, "potentiallyUnsafeConfigAnnotations"), "org.systemd.property."),
      "unsafe annotation prefix");
  json_free (doc);
}

int
main (void)
{
  test_default ();
  test_cgroup_ns ();
  test_rootless ();
  test_features ();
  return tap_done ();
}
