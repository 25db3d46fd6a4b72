/* runc-slirp: the order of the steps, and the only code that prints.
 *
 * Exit status: 0 when told to stop (exit fd, --pid-watch, the namespace
 * went away), 1 on an error, 2 on a usage error.  Every error is one line
 * on stderr naming what failed, with the errno text.  */
#include "config.h"

#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "slirp_helper.h"
#include "util.h"

static void
print_warning (const char *msg, void *data)
{
  fprintf (stderr, "runc-slirp: warning: %s\n", msg);
}

/* The upstream nameservers as the sandbox's /etc/resolv.conf will list
 * them.  A missing default file is a machine without DNS, not an error;
 * a file named on the command line must exist.  */
static char *
upstream_resolvers (const struct sh_options *o, rt_error *err)
{
  const char *path = o->resolv_conf ? o->resolv_conf : SH_RESOLV_DEFAULT;
  _cleanup_free_ char *raw = NULL;
  unsigned count;
  char *text;

  if (read_file_at (AT_FDCWD, path, &raw, err) < 0)
    {
      if (o->resolv_conf || err->code != ENOENT)
        {
          rt_wrap (err, "read the upstream resolvers");
          return NULL;
        }
      rt_error_clear (err);
    }
  text = dns_nameservers (raw ? raw : "", &count);
  if (count == 0)
    rt_warn ("no usable nameserver in %s: DNS at %s will not answer", path, SH_DNS4);
  return text;
}

static int
signal_ready (int fd, rt_error *err)
{
  ssize_t n = write_all (fd, "1", 1);

  close (fd);
  if (n < 0)
    return rt_fail (err, (int) -n, "write to the ready fd %d", fd);
  return 0;
}

static int
run (const struct sh_options *o, rt_error *err)
{
  _cleanup_free_ char *resolv = NULL;
  struct sh_target target;
  struct sh_loop *loop = NULL;
  struct sh_fwd_table fwd;
  struct sh_api api;
  bool have_api = false;
  int tap, ret;

  if (!o->disable_sandbox)
    {
      resolv = upstream_resolvers (o, err);
      if (resolv == NULL)
        return rt_error_ret (err);
    }

  ret = target_open (o, &target, err);
  if (ret < 0)
    return ret;
  tap = target_setup_tap (&target, o, err);
  /* Past this point the helper has no use for the target's namespaces:
     keep no handle that would let it back in.  */
  cleanup_closep (&target.netns_fd);
  cleanup_closep (&target.userns_fd);
  target.netns_fd = target.userns_fd = -1;
  if (!o->pid_watch)
    {
      cleanup_closep (&target.pidfd);
      target.pidfd = -1;
    }
  if (tap < 0)
    goto out;

  loop = loop_new (o, tap, err);
  if (loop == NULL)
    {
      close (tap);
      goto out;
    }
  fwd_table_init (&fwd, loop_slirp (loop));
  for (size_t i = 0; i < o->n_publish; i++)
    if (fwd_add_publish (&fwd, &o->publish[i], err) < 0)
      goto out;
  if (o->api_socket)
    {
      int fd = api_listen (o->api_socket, err);
      if (fd < 0)
        goto out;
      api_init (&api, fd, &fwd);
      have_api = true;
    }
  loop_watch (loop, o->exit_fd, target.pidfd, have_api ? &api : NULL);

  if (!o->disable_sandbox && sandbox_enter (resolv, err) < 0)
    goto out;
  if (o->ready_fd >= 0 && signal_ready (o->ready_fd, err) < 0)
    goto out;

  ret = loop_run (loop, err);
  if (ret >= 0)
    rt_error_clear (err);

out:
  /* In the sandbox the socket's directory is out of sight; the runtime
     removes it with the container's state directory.  */
  if (have_api && o->disable_sandbox)
    unlink (o->api_socket);
  if (have_api)
    api_close (&api);
  if (loop)
    {
      fwd_table_free (&fwd);
      loop_free (loop);
      close (tap);
    }
  target_close (&target);
  return err->code ? rt_error_ret (err) : 0;
}

static void
print_version (void)
{
  const struct scmp_version *sv = seccomp_version ();

  printf ("runc-slirp version %s\ncommit: %s\nlibslirp: %s\nlibseccomp: %u.%u.%u\n", PACKAGE_VERSION, GIT_COMMIT,
          slirp_version_string (), sv->major, sv->minor, sv->micro);
}

int
main (int argc, char **argv)
{
  struct sh_options o;
  rt_error err = { 0 };
  int ret;

  rt_set_warn_handler (print_warning, NULL);
  if (sh_parse_options (argc, argv, &o, &err) < 0)
    {
      fprintf (stderr, "runc-slirp: %s\n", err.msg);
      sh_options_free (&o);
      return 2;
    }
  if (o.action == SH_HELP)
    fputs (sh_usage_text, stdout);
  else if (o.action == SH_VERSION)
    print_version ();
  if (o.action != SH_RUN)
    {
      sh_options_free (&o);
      return 0;
    }

  /* A peer that disappears must cost its connection, not the helper.  */
  signal (SIGPIPE, SIG_IGN);
  ret = run (&o, &err);
  sh_options_free (&o);
  if (ret < 0)
    {
      fprintf (stderr, "runc-slirp: %s\n", err.msg);
      return 1;
    }
  return 0;
}
