/* Terminals: the pty is made inside the container (so it belongs to the
 * container's devpts instance), and its master goes either to a
 * --console-socket or to the runtime, which relays it to its own stdio.  */
#ifndef RT_TERMINAL_H
#define RT_TERMINAL_H

#include "error.h"
#include "spec.h"

/* Connect to the AF_UNIX --console-socket.  */
int term_connect_socket (const char *path, rt_error *err);
/* Send the pty master over it (SCM_RIGHTS, as runc does).  */
int term_send_master (int sock, int master, rt_error *err);
/* In the container (init or exec), after the root is pivoted: open a pty
 * from /dev/ptmx, size it from process.consoleSize, give the slave to the
 * process user, make it the controlling terminal and stdio.  Only the
 * init's pty is bound onto /dev/console (`console`), as runc does: an
 * exec'd process must not take the console from the init.  Returns the
 * master fd.  */
int term_setup_child (const spec_process *proc, bool console, rt_error *err);

/* The runtime's side of a foreground terminal.  */
typedef struct term_saved
{
  int fd; /* -1 when stdin is not a terminal */
  char termios[64];
} term_saved;

/* Put our stdin in raw mode (if it is a tty) and copy its size to master.  */
int term_raw_begin (int master, term_saved *saved, rt_error *err);
void term_raw_end (term_saved *saved);
void term_copy_size (int from_fd, int master);

#endif
