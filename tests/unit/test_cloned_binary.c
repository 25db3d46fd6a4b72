#include "config.h"

#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cloned_binary.h"
#include "tap.h"
#include "util.h"

/* binary_self_path as the sealed copy of this program sees it: the
 * child re-executes us from a memfd with --sealed, and that prints.  */
static char *
self_path_when_sealed (const char *argv0)
{
  char *const child_argv[] = { (char *) argv0, (char *) "--sealed", NULL };
  char buf[PATH_MAX + 16];
  int pipefd[2];
  ssize_t n;
  pid_t pid;

  if (pipe (pipefd) < 0)
    return NULL;
  pid = fork ();
  if (pid == 0)
    {
      rt_error err = { 0 };
      dup2 (pipefd[1], 1);
      /* What a caller puts there must not survive the copy.  */
      setenv (BINARY_ORIGIN_ENV, "/from/the/caller", 1);
      binary_reexec_sealed (child_argv, &err);
      _exit (127);
    }
  close (pipefd[1]);
  n = read_all (pipefd[0], buf, sizeof buf - 1);
  close (pipefd[0]);
  waitpid (pid, NULL, 0);
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  return xstrdup (buf);
}

int
main (int argc, char **argv)
{
  binary_facts root_owned = { .uid = 0, .gid = 0, .mode = S_IFREG | 0755 };
  binary_facts user_owned = { .uid = 1000, .gid = 1000, .mode = S_IFREG | 0755 };
  binary_facts group_w = { .uid = 0, .gid = 1000, .mode = S_IFREG | 0775 };
  binary_facts world_w = { .uid = 0, .gid = 0, .mode = S_IFREG | 0757 };
  binary_facts ro = { .uid = 0, .gid = 0, .mode = S_IFREG | 0777, .read_only_mount = true };
  spec_idmap self_uid[] = { { 0, 1000, 1 } };
  spec_idmap self_gid[] = { { 0, 1000, 1 } };
  spec_idmap sub[] = { { 0, 100000, 65536 } };
  spec_idmap root_map[] = { { 0, 0, 65536 } };

  if (argc > 1 && strcmp (argv[1], "--sealed") == 0)
    {
      _cleanup_free_ char *self = binary_self_path ();
      /* Only the path: the parent checks it.  */
      printf ("%s|%d", self ? self : "(null)", binary_is_sealed_copy ());
      return 0;
    }

  ok (binary_exposure (&root_owned, false, false, NULL, 0, NULL, 0), "no user namespace: root container can write");
  ok (!binary_exposure (&root_owned, true, false, self_uid, 1, self_gid, 1),
      "rootless mapping of uid 1000 cannot write a root-owned binary");
  ok (binary_exposure (&user_owned, true, false, self_uid, 1, self_gid, 1),
      "rootless mapping of the binary's owner can write it");
  ok (!binary_exposure (&user_owned, true, false, sub, 1, sub, 1), "subordinate range does not include the owner");
  ok (binary_exposure (&root_owned, true, false, root_map, 1, root_map, 1), "mapping host root exposes a root binary");
  ok (binary_exposure (&group_w, true, false, sub, 1, self_gid, 1), "group-writable binary with its group mapped");
  ok (!binary_exposure (&group_w, true, false, sub, 1, sub, 1), "group-writable binary with its group unmapped");
  ok (binary_exposure (&world_w, true, false, sub, 1, sub, 1), "world-writable binary is always exposed");
  ok (binary_exposure (&root_owned, true, true, NULL, 0, NULL, 0), "joined user namespace: assume exposed");
  ok (!binary_exposure (&ro, false, false, NULL, 0, NULL, 0), "binary on a read-only mount is not exposed");

  {
    _cleanup_free_ char *real = realpath ("/proc/self/exe", NULL);
    _cleanup_free_ char *self = binary_self_path ();
    _cleanup_free_ char *sealed = NULL, *want = NULL;

    is_str (self, real, "binary_self_path: the executable itself");
    setenv (BINARY_ORIGIN_ENV, "/elsewhere/runc", 1);
    free (self);
    self = binary_self_path ();
    is_str (self, real, "... whatever the environment says, outside a sealed copy");
    unsetenv (BINARY_ORIGIN_ENV);
    sealed = self_path_when_sealed (real);
    xasprintf (&want, "%s|1", real);
    is_str (sealed, want, "in the sealed copy: the file it was copied from");
  }
  return tap_done ();
}
