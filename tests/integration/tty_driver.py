#!/usr/bin/env python3
"""Drive a terminal for the integration suite, like a person at a keyboard.

  tty_driver.py recv SOCKET LOG [STEP...]
      Listen on the unix socket SOCKET (it appears only once it accepts),
      take the pty master a runtime sends over it (SCM_RIGHTS), then play
      the STEPs on it.

  tty_driver.py pty [--size ROWSxCOLS] LOG [STEP...] -- COMMAND [ARG...]
      Run COMMAND as the session leader of a new pty (its stdin, stdout,
      stderr and controlling terminal), of that size, and play the STEPs on
      the master side.

Everything read from the master is appended to LOG.  Facts go to stdout,
one "key: value" a line (payload, ptn, termios, status).  Exit status 0
when every step passed, 1 when one did not (said on stderr with the
transcript), 2 on a usage error.

STEPs:
  send:TEXT        write TEXT (Python escapes: \\r, \\n, \\x03 ...)
  expect:REGEX     wait until the output since the last expect matches
  resize:ROWS:COLS set the window size on the master
  termios:NAME     report whether the pty is raw or cooked right now
                   ("termios NAME: raw|cooked"; pty mode only)
  sleep:SECONDS
  eof              wait for the other side to end (pty: COMMAND exits;
                   recv: every holder of the pty slave closes it)
"""

import array
import fcntl
import os
import re
import select
import signal
import socket
import struct
import sys
import termios
import time

TIMEOUT = float(os.environ.get("TTY_DRIVER_TIMEOUT", "20"))
TIOCGPTN = getattr(termios, "TIOCGPTN", 0x80045430)  # _IOR('T', 0x30, unsigned int)


def die(msg, code=1):
    sys.stderr.write("tty_driver: %s\n" % msg)
    sys.exit(code)


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def is_raw(fd):
    lflag = termios.tcgetattr(fd)[3]
    return not (lflag & (termios.ICANON | termios.ECHO | termios.ISIG))


class Session:
    def __init__(self, master, log, slave=-1, child=-1):
        self.master = master
        self.slave = slave  # pty mode keeps the slave, to read its termios
        self.child = child
        self.status = None
        self.log = open(log, "ab", buffering=0)
        self.pending = b""  # output not yet consumed by an expect
        self.ended = False

    def transcript(self):
        with open(self.log.name, "rb") as f:
            return f.read().decode(errors="replace")

    def reap(self):
        if self.child > 0 and self.status is None:
            pid, st = os.waitpid(self.child, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(st)
                if self.status < 0:
                    self.status = 128 - self.status
        return self.status is not None

    def pump(self, wait):
        """Read what the master has, for at most `wait` seconds."""
        if self.ended:
            time.sleep(wait)
            return
        r, _, _ = select.select([self.master], [], [], wait)
        if not r:
            return
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: no slave left
            data = b""
        if not data:
            self.ended = True
            return
        self.log.write(data)
        self.pending += data

    def drain(self):
        # In pty mode the slave we hold keeps the master from ever seeing
        # EOF: once the command is gone, take what is left and stop.
        while True:
            r, _, _ = select.select([self.master], [], [], 0.2)
            if not r:
                break
            self.pump(0)
            if self.ended:
                break
        self.ended = True

    def expect(self, pattern):
        rx = re.compile(pattern.encode())
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            m = rx.search(self.pending)
            if m:
                self.pending = self.pending[m.end():]
                return
            if self.ended:
                break
            self.pump(0.1)
            if self.child > 0 and self.reap():
                self.drain()
        m = rx.search(self.pending)
        if m:
            self.pending = self.pending[m.end():]
            return
        die("expect /%s/ not seen; transcript:\n%s" % (pattern, self.transcript()))

    def eof(self):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.child > 0 and self.reap():
                self.drain()
                return
            if self.ended and self.child <= 0:
                return
            self.pump(0.1)
        die("the other side did not end; transcript:\n%s" % self.transcript())

    def step(self, s):
        kind, _, arg = s.partition(":")
        if kind == "send":
            os.write(self.master, arg.encode().decode("unicode_escape").encode("latin-1"))
        elif kind == "expect":
            self.expect(arg)
        elif kind == "resize":
            rows, _, cols = arg.partition(":")
            set_size(self.master, int(rows), int(cols))
        elif kind == "termios":
            if self.slave < 0:
                die("termios: only in pty mode", 2)
            print("termios %s: %s" % (arg, "raw" if is_raw(self.slave) else "cooked"), flush=True)
        elif kind == "sleep":
            end = time.monotonic() + float(arg)
            while time.monotonic() < end:
                self.pump(max(0, min(0.1, end - time.monotonic())))
        elif kind == "eof":
            self.eof()
        else:
            die("unknown step %r" % s, 2)


def recv_master(path):
    # Bound under a temporary name and renamed once listening, so a
    # runtime that sees the path never gets ECONNREFUSED.
    tmp = path + ".tmp"
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(tmp)
    srv.listen(1)
    os.rename(tmp, path)
    srv.settimeout(TIMEOUT)
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        die("nobody connected to %s" % path)
    conn.settimeout(TIMEOUT)
    fds = array.array("i")
    msg, anc, _, _ = conn.recvmsg(4096, socket.CMSG_SPACE(16 * fds.itemsize))
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    conn.close()
    srv.close()
    os.unlink(path)
    if len(fds) != 1:
        die("expected one fd over %s, got %d" % (path, len(fds)))
    print("payload: %s" % msg.decode(errors="replace"), flush=True)
    ptn = array.array("I", [0])
    try:
        fcntl.ioctl(fds[0], TIOCGPTN, ptn, True)
        print("ptn: %d" % ptn[0], flush=True)
    except OSError:
        print("ptn: none", flush=True)
    return fds[0]


def spawn(cmd, size):
    master, slave = os.openpty()
    if size:
        set_size(slave, *size)
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.closerange(3, 65536)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.execvp(cmd[0], cmd)
        except OSError as e:
            os.write(2, ("exec %s: %s\n" % (cmd[0], e)).encode())
        os._exit(127)
    return master, slave, pid


def main(argv):
    if len(argv) < 3 or argv[1] not in ("recv", "pty"):
        die(__doc__, 2)
    mode = argv[1]
    args = argv[2:]
    if mode == "recv":
        sock, log, steps = args[0], args[1], args[2:]
        s = Session(recv_master(sock), log)
    else:
        size = None
        if args and args[0] == "--size":
            rows, _, cols = args[1].partition("x")
            size = (int(rows), int(cols))
            args = args[2:]
        if "--" not in args:
            die("pty: no -- COMMAND", 2)
        sep = args.index("--")
        log, steps, cmd = args[0], args[1:sep], args[sep + 1:]
        master, slave, pid = spawn(cmd, size)
        before = termios.tcgetattr(slave)
        s = Session(master, log, slave, pid)
    try:
        for st in steps:
            s.step(st)
        if mode == "pty":
            s.eof()
            print("status: %d" % s.status)
            print("termios after: %s" % ("restored" if termios.tcgetattr(slave) == before else "changed"))
    finally:
        if mode == "pty" and s.status is None:
            os.kill(s.child, signal.SIGKILL)
            os.waitpid(s.child, 0)


if __name__ == "__main__":
    main(sys.argv)
