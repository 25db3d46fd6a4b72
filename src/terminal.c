#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "fdpass.h"
#include "pathres.h"
#include "terminal.h"
#include "util.h"

_Static_assert (sizeof (struct termios) <= sizeof (((term_saved *) 0)->termios), "termios fits");

int
term_connect_socket (const char *path, rt_error *err)
{
  return fdpass_connect (path, "console socket", err);
}

int
term_send_master (int sock, int master, rt_error *err)
{
  /* The payload names the file, like runc; receivers only use the fd.  */
  static const char name[] = "/dev/ptmx";

  if (fdpass_send (sock, name, sizeof name - 1, master, "the console socket", err) < 0)
    return rt_wrap (err, "send the pty master");
  return 0;
}

static int
bind_console (int slave, rt_error *err)
{
  _cleanup_close_ int root = -1, target = -1;
  char src[64], dst[64];

  root = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return rt_fail (err, errno, "open /");
  /* /dev/console is the runtime's: an image's symlink there would take
     the pty onto whatever file it names (CVE-2025-52565 redirected this
     bind).  The link goes, a file is made in its place.  */
  {
    _cleanup_close_ int dev = pr_mkdir_in_root (root, "/dev", 0755, err);
    struct stat st;

    if (dev < 0)
      return rt_wrap (err, "/dev/console");
    if (fstatat (dev, "console", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK (st.st_mode)
        && unlinkat (dev, "console", 0) < 0)
      return rt_fail (err, errno, "/dev/console: replace the image's symlink");
  }
  target = pr_mkmount_target (root, "/dev/console", true, err);
  if (target < 0)
    return rt_wrap (err, "/dev/console");
  pr_fd_proc_path (slave, src, sizeof src);
  pr_fd_proc_path (target, dst, sizeof dst);
  if (mount (src, dst, NULL, MS_BIND, NULL) < 0)
    return rt_fail (err, errno, "bind the pty onto /dev/console");
  return 0;
}

int
term_setup_child (const spec_process *proc, bool console, rt_error *err)
{
  _cleanup_close_ int master = -1, slave = -1;
  int unlock = 0;

  master = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0)
    return rt_fail (err, errno, "open /dev/ptmx in the container (is devpts mounted?)");
  if (ioctl (master, TIOCSPTLCK, &unlock) < 0)
    return rt_fail (err, errno, "unlock the pty");
  /* TIOCGPTPEER opens the slave through the master, not through a path
     the container could have replaced.  */
  slave = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    return rt_fail (err, errno, "open the pty slave");
  if (proc->has_console_size)
    {
      struct winsize ws = { .ws_row = (unsigned short) proc->console_height,
                            .ws_col = (unsigned short) proc->console_width };
      if (ioctl (slave, TIOCSWINSZ, &ws) < 0)
        return rt_fail (err, errno, "set the console size");
    }
  if (fchown (slave, proc->user.uid, (gid_t) -1) < 0 && errno != EINVAL)
    return rt_fail (err, errno, "give the pty to uid %u", proc->user.uid);
  if (console && bind_console (slave, err) < 0)
    return rt_error_ret (err);
  for (int i = 0; i < 3; i++)
    if (dup2 (slave, i) < 0)
      return rt_fail (err, errno, "dup the pty onto fd %d", i);
  if (ioctl (0, TIOCSCTTY, 0) < 0)
    return rt_fail (err, errno, "make the pty the controlling terminal");
  return TAKE_FD (master);
}

void
term_copy_size (int from_fd, int master)
{
  struct winsize ws;
  if (ioctl (from_fd, TIOCGWINSZ, &ws) == 0)
    ioctl (master, TIOCSWINSZ, &ws);
}

int
term_raw_begin (int master, term_saved *saved, rt_error *err)
{
  struct termios t;

  saved->fd = -1;
  if (!isatty (0))
    return 0;
  if (tcgetattr (0, &t) < 0)
    return rt_fail (err, errno, "tcgetattr");
  memcpy (saved->termios, &t, sizeof t);
  saved->fd = 0;
  cfmakeraw (&t);
  if (tcsetattr (0, TCSANOW, &t) < 0)
    return rt_fail (err, errno, "tcsetattr");
  term_copy_size (0, master);
  return 0;
}

void
term_raw_end (term_saved *saved)
{
  struct termios t;
  if (saved->fd < 0)
    return;
  memcpy (&t, saved->termios, sizeof t);
  tcsetattr (saved->fd, TCSANOW, &t);
  saved->fd = -1;
}
