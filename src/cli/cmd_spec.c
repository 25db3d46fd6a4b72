/* runc spec: write the default config.json into the bundle directory.  */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "spec_default.h"
#include "util.h"

enum
{
  SPEC_BUNDLE,
  SPEC_ROOTLESS,
  SPEC_N_FLAGS
};

static const cli_flag spec_flags[SPEC_N_FLAGS] = {
  [SPEC_BUNDLE] = { "bundle", "b", CLI_STRING,
                    "bundle directory to write config.json into (default: the current directory)",
                    NULL, false },
  [SPEC_ROOTLESS] = { "rootless", NULL, CLI_BOOL,
                      "write a configuration for a container run by an unprivileged user", NULL,
                      false },
};

static int
write_config (const char *bundle, const char *text, rt_error *err)
{
  _cleanup_close_ int dirfd = -1, fd = -1;

  if (bundle)
    {
      dirfd = open (bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (dirfd < 0)
        return rt_fail (err, errno, "open bundle directory `%s`", bundle);
    }
  /* O_EXCL: never overwrite, and never follow a symlink planted in place
     of the file.  0666 before the umask, as runc creates it.  */
  fd = openat (bundle ? dirfd : AT_FDCWD, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
               0666);
  if (fd < 0 && errno == EEXIST)
    return rt_failx (err, EEXIST, "File config.json exists. Remove it first");
  if (fd < 0)
    return rt_fail (err, errno, "create `config.json`");
  if (write_all (fd, text, strlen (text)) < 0)
    return rt_fail (err, errno, "write `config.json`");
  return 0;
}

static int
spec_run (cli_global *g, const cli_parsed *p)
{
  _cleanup_free_ char *text = NULL;
  spec_default_opts o;
  rt_error err = { 0 };

  spec_default_opts_host (&o, p->v[SPEC_ROOTLESS].b);
  text = spec_default_json (&o);
  if (write_config (cli_str (p, SPEC_BUNDLE), text, &err) < 0)
    return cli_fatal (1, "%s", err.msg);
  return 0;
}

const cli_command cmd_spec = {
  .name = "spec",
  .usage = "write a default config.json for a bundle",
  .description
  = "Write a starting \"config.json\" for a bundle.  It runs \"sh\" on a terminal,\n"
    "as root inside new pid, network, ipc, uts and mount namespaces (plus a cgroup\n"
    "namespace on cgroup v2 hosts), with a read-only \"rootfs\" directory as the root\n"
    "filesystem and a small set of capabilities.  Edit it to suit the image: most\n"
    "images want \"process.args\" changed, for example:\n"
    "\n"
    "    mkdir -p bundle/rootfs && cd bundle\n"
    "    tar -C rootfs -xf image.tar\n"
    "    runc spec\n"
    "    sed -i 's;\"sh\";\"/hello\";' config.json\n"
    "    runc run container1\n"
    "\n"
    "An existing config.json is never overwritten.\n"
    "\n"
    "With --rootless the configuration suits an unprivileged user: a user namespace\n"
    "maps the caller's IDs to root, the host network is kept, /sys is bind-mounted\n"
    "from the host and no cgroup resources are set.  It is not needed when running\n"
    "as root inside a user namespace made by an unprivileged user.",
  .flags = spec_flags,
  .n_flags = SPEC_N_FLAGS,
  .min_args = 0,
  .max_args = 0,
  .run = spec_run,
};
