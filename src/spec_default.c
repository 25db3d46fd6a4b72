/* runc's example configuration (`runc spec`), field for field, so that
 * tools and tutorials that patch it with sed or jq keep working.  */
#include "config.h"

#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "json.h"
#include "spec_default.h"
#include "util.h"

static const char *const default_caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" };

typedef struct default_mount
{
  const char *destination;
  const char *type;
  const char *source;
  const char *options[8]; /* NULL-terminated */
} default_mount;

static const default_mount default_mounts[] = {
  { "/proc", "proc", "proc", { NULL } },
  { "/dev", "tmpfs", "tmpfs", { "nosuid", "strictatime", "mode=755", "size=65536k", NULL } },
  { "/dev/pts",
    "devpts",
    "devpts",
    { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL } },
  { "/dev/shm", "tmpfs", "shm", { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL } },
  { "/dev/mqueue", "mqueue", "mqueue", { "nosuid", "noexec", "nodev", NULL } },
  { "/sys", "sysfs", "sysfs", { "nosuid", "noexec", "nodev", "ro", NULL } },
  { "/sys/fs/cgroup", "cgroup", "cgroup", { "nosuid", "noexec", "nodev", "relatime", "ro", NULL } },
};

/* Without a network namespace of its own a rootless container cannot
   mount a fresh sysfs, so it gets the host's, read-only.  */
static const default_mount rootless_sys
    = { "/sys", "none", "/sys", { "rbind", "nosuid", "noexec", "nodev", "ro", NULL } };

static const char *const masked_paths[] = {
  "/proc/acpi",      "/proc/asound",     "/proc/kcore",       "/proc/keys",
  "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
  "/sys/firmware",   "/proc/scsi",
};

static const char *const readonly_paths[] = {
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

bool
spec_host_cgroup2_unified (void)
{
  struct statfs st;

  if (statfs ("/sys/fs/cgroup", &st) < 0)
    return false;
  return st.f_type == CGROUP2_SUPER_MAGIC;
}

void
spec_default_opts_host (spec_default_opts *o, bool rootless)
{
  memset (o, 0, sizeof *o);
  o->rootless = rootless;
  o->host_uid = (uint32_t) geteuid ();
  o->host_gid = (uint32_t) getegid ();
  o->cgroup_ns = spec_host_cgroup2_unified ();
}

static void
string_array (json_writer *w, const char *key, const char *const *v, size_t n)
{
  json_w_key (w, key);
  json_w_array_begin (w);
  for (size_t i = 0; i < n; i++)
    json_w_string (w, v[i]);
  json_w_array_end (w);
}

static void
write_process (json_writer *w)
{
  static const char *const args[] = { "sh" };
  static const char *const env[]
      = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm" };

  json_w_key (w, "process");
  json_w_object_begin (w);
  json_w_kv_bool (w, "terminal", true);
  json_w_key (w, "user");
  json_w_object_begin (w);
  json_w_kv_uint (w, "uid", 0);
  json_w_kv_uint (w, "gid", 0);
  json_w_object_end (w);
  string_array (w, "args", args, ARRAY_SIZE (args));
  string_array (w, "env", env, ARRAY_SIZE (env));
  json_w_kv_string (w, "cwd", "/");
  /* runc stopped listing ambient (and inheritable) capabilities: ambient
     ones cannot be raised without the matching inheritable ones.  */
  json_w_key (w, "capabilities");
  json_w_object_begin (w);
  string_array (w, "bounding", default_caps, ARRAY_SIZE (default_caps));
  string_array (w, "effective", default_caps, ARRAY_SIZE (default_caps));
  string_array (w, "permitted", default_caps, ARRAY_SIZE (default_caps));
  json_w_object_end (w);
  json_w_key (w, "rlimits");
  json_w_array_begin (w);
  json_w_object_begin (w);
  json_w_kv_string (w, "type", "RLIMIT_NOFILE");
  json_w_kv_uint (w, "hard", 1024);
  json_w_kv_uint (w, "soft", 1024);
  json_w_object_end (w);
  json_w_array_end (w);
  json_w_kv_bool (w, "noNewPrivileges", true);
  json_w_object_end (w);
}

/* IDs in mount options would name unmapped IDs in a rootless container's
   single-ID user namespace.  */
static bool
keep_option (const char *opt, bool rootless)
{
  return !rootless || !(str_has_prefix (opt, "uid=") || str_has_prefix (opt, "gid="));
}

static void
write_mount (json_writer *w, const default_mount *m, bool rootless)
{
  const char *opts[ARRAY_SIZE (m->options)];
  size_t n = 0;

  for (size_t i = 0; m->options[i]; i++)
    if (keep_option (m->options[i], rootless))
      opts[n++] = m->options[i];

  json_w_object_begin (w);
  json_w_kv_string (w, "destination", m->destination);
  json_w_kv_string (w, "type", m->type);
  json_w_kv_string (w, "source", m->source);
  if (n > 0)
    string_array (w, "options", opts, n);
  json_w_object_end (w);
}

static void
write_idmap (json_writer *w, const char *key, uint32_t host_id)
{
  json_w_key (w, key);
  json_w_array_begin (w);
  json_w_object_begin (w);
  json_w_kv_uint (w, "containerID", 0);
  json_w_kv_uint (w, "hostID", host_id);
  json_w_kv_uint (w, "size", 1);
  json_w_object_end (w);
  json_w_array_end (w);
}

static void
write_linux (json_writer *w, const spec_default_opts *o)
{
  const char *ns[8];
  size_t n_ns = 0;

  json_w_key (w, "linux");
  json_w_object_begin (w);
  if (o->rootless)
    {
      write_idmap (w, "uidMappings", o->host_uid);
      write_idmap (w, "gidMappings", o->host_gid);
    }
  else
    {
      /* Rootless containers get no device cgroup rules: they could not
         be applied without a delegated cgroup anyway.  */
      json_w_key (w, "resources");
      json_w_object_begin (w);
      json_w_key (w, "devices");
      json_w_array_begin (w);
      json_w_object_begin (w);
      json_w_kv_bool (w, "allow", false);
      json_w_kv_string (w, "access", "rwm");
      json_w_object_end (w);
      json_w_array_end (w);
      json_w_object_end (w);
    }

  ns[n_ns++] = "pid";
  if (!o->rootless)
    ns[n_ns++] = "network";
  ns[n_ns++] = "ipc";
  ns[n_ns++] = "uts";
  ns[n_ns++] = "mount";
  if (o->cgroup_ns)
    ns[n_ns++] = "cgroup";
  if (o->rootless)
    ns[n_ns++] = "user";
  json_w_key (w, "namespaces");
  json_w_array_begin (w);
  for (size_t i = 0; i < n_ns; i++)
    {
      json_w_object_begin (w);
      json_w_kv_string (w, "type", ns[i]);
      json_w_object_end (w);
    }
  json_w_array_end (w);

  string_array (w, "maskedPaths", masked_paths, ARRAY_SIZE (masked_paths));
  string_array (w, "readonlyPaths", readonly_paths, ARRAY_SIZE (readonly_paths));
  json_w_object_end (w);
}

/* The writer indents with spaces; runc's file uses one tab per level.
   Strings never contain a raw newline (the writer escapes it), so every
   run of spaces at the start of a line is indentation.  */
static char *
spaces_to_tabs (const char *in)
{
  char *out = xmalloc (strlen (in) + 1), *o = out;
  bool line_start = true;

  for (const char *p = in; *p; p++)
    {
      if (line_start && *p == ' ')
        {
          *o++ = '\t';
          continue;
        }
      line_start = *p == '\n';
      *o++ = *p;
    }
  *o = '\0';
  return out;
}

char *
spec_default_json (const spec_default_opts *o)
{
  json_writer *w = json_writer_new (1);
  _cleanup_free_ char *text = NULL;

  json_w_object_begin (w);
  json_w_kv_string (w, "ociVersion", OCI_SPEC_VERSION);
  write_process (w);
  json_w_key (w, "root");
  json_w_object_begin (w);
  json_w_kv_string (w, "path", "rootfs");
  json_w_kv_bool (w, "readonly", true);
  json_w_object_end (w);
  json_w_kv_string (w, "hostname", "runc");
  json_w_key (w, "mounts");
  json_w_array_begin (w);
  for (size_t i = 0; i < ARRAY_SIZE (default_mounts); i++)
    {
      const default_mount *m = &default_mounts[i];
      if (o->rootless && strcmp (m->destination, "/sys") == 0)
        m = &rootless_sys;
      write_mount (w, m, o->rootless);
    }
  json_w_array_end (w);
  write_linux (w, o);
  json_w_object_end (w);

  text = json_writer_finish (w, NULL);
  return spaces_to_tabs (text);
}
