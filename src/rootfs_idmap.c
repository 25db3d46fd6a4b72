/* Idmapped bind mounts, the runtime's half (see rootfs.h): detached trees
 * idmapped with the container's user namespace, or with a user namespace
 * made for the mount's own uidMappings/gidMappings.  */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"
#include "rootfs_priv.h"
#include "util.h"

bool
rootfs_mount_idmapped (const spec_mount *m, const mount_opts *o)
{
  return o->idmap || o->ridmap || m->n_uid_mappings || m->n_gid_mappings;
}

/* A user namespace with the mount's own maps.  It lives as long as a
 * child holds it: the child is created in it by clone(CLONE_NEWUSER),
 * waits for the maps and the fd, and exits.  */
static int
userns_for_maps (const spec_mount *m, rt_error *err)
{
  _cleanup_close_ int hold_r = -1, hold_w = -1;
  int fds[2], status, ret;
  char path[64];
  pid_t pid;

  if (m->n_uid_mappings == 0 || m->n_gid_mappings == 0)
    return rt_failx (err, EINVAL, "uidMappings and gidMappings must both be given");
  if (pipe2 (fds, O_CLOEXEC) < 0)
    return rt_fail (err, errno, "pipe");
  hold_r = fds[0];
  hold_w = fds[1];
  /* Raw clone: the child only calls read and _exit.  */
  pid = (pid_t) syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0)
    return rt_fail (err, errno, "clone a user namespace for the mount");
  if (pid == 0)
    {
      char c;
      close (fds[1]);
      while (read (fds[0], &c, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  /* As for the container's maps: a user's own id is written directly
     (setgroups denied first), other ids go through newuidmap.  */
  ret = idmap_apply (pid, m->uid_mappings, m->n_uid_mappings, m->gid_mappings, m->n_gid_mappings, err);
  if (ret < 0)
    rt_wrap (err, "mount ID mapping");
  else
    {
      snprintf (path, sizeof path, "/proc/%d/ns/user", (int) pid);
      ret = open (path, O_RDONLY | O_CLOEXEC);
      if (ret < 0)
        ret = rt_fail (err, errno, "open `%s`", path);
    }
  close (TAKE_FD (hold_w));
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  return ret;
}

static int
idmap_one (const spec_mount *m, const mount_opts *o, int userns_fd, rt_error *err)
{
  _cleanup_close_ int own_ns = -1, tree = -1;
  mnt_attrs top, rec;

  if (!o->bind && (m->type == NULL || strcmp (m->type, "bind") != 0))
    return rt_failx (err, EINVAL, "idmapped mounts must be bind mounts");
  if (m->source == NULL || *m->source == '\0')
    return rt_failx (err, EINVAL, "bind mount without a source");
  if (m->n_uid_mappings || m->n_gid_mappings)
    {
      own_ns = userns_for_maps (m, err);
      if (own_ns < 0)
        return own_ns;
      userns_fd = own_ns;
    }
  else if (userns_fd < 0)
    return rt_failx (err, EINVAL, "idmap without uidMappings/gidMappings needs a user namespace");
  tree = mnt_idmapped_tree (m->source, o->recursive_bind, o->ridmap, userns_fd, err);
  if (tree < 0 && err->code == EPERM)
    /* What a rootless user meets first: say what the kernel wants.  */
    return rt_wrap (err, "idmapping needs CAP_SYS_ADMIN over the filesystem of `%s` (a user can only idmap "
                    "filesystems mounted in a user namespace it owns)", m->source);
  if (tree < 0)
    return tree;
  rootfs_bind_attrs (o, o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT), &top, &rec);
  if (mnt_setattrs (tree, "idmapped mount", top, rec, err) < 0)
    return rt_error_ret (err);
  return TAKE_FD (tree);
}

int
rootfs_idmap_mounts (const spec *s, int userns_fd, int *out, rt_error *err)
{
  for (size_t i = 0; i < s->n_mounts; i++)
    out[i] = -1;
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      const spec_mount *m = &s->mounts[i];
      char what[512];
      mount_opts o;
      int ret;

      snprintf (what, sizeof what, "mounts[%zu] (%s, type %s)", i, m->destination ? m->destination : "(none)",
                m->type ? m->type : "none");
      ret = mountopt_parse (m->options, m->n_options, what, &o, err);
      if (ret == 0 && rootfs_mount_idmapped (m, &o))
        {
          ret = idmap_one (m, &o, userns_fd, err);
          if (ret < 0)
            rt_wrap (err, "%s", what);
          else
            out[i] = ret;
        }
      mountopt_free (&o);
      if (ret < 0)
        {
          for (size_t j = 0; j < i; j++)
            if (out[j] >= 0)
              close (out[j]);
          return ret;
        }
    }
  return 0;
}
