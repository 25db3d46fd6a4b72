#!/usr/bin/env bats
# Terminals: process.terminal with --console-socket (run -d, create, exec
# -t -d), a foreground run or exec -t driven through a pty, /dev/console,
# and the refused combinations.  tty_driver.py plays the person at the
# keyboard: it receives the pty master from the socket, or runs the
# runtime on a pty of its own.

load helpers

TTY_DRIVER="$BATS_TEST_DIRNAME/tty_driver.py"

setup ()
{
  command -v python3 >/dev/null || skip "python3 is not installed (it drives the terminals)"
  rt_setup
}

declare -gA RECV_PID

# `console_recv NAME STEP...`: a receiver listening on $TEST_DIR/NAME.sock
# in the background, which plays the STEPs on the master it gets.  Its
# facts ("payload: ...", "ptn: N") go to NAME.facts, what it read from the
# master to NAME.log.
console_recv ()
{
  local name=$1
  shift
  python3 "$TTY_DRIVER" recv "$TEST_DIR/$name.sock" "$TEST_DIR/$name.log" "$@" \
    >"$TEST_DIR/$name.facts" 2>"$TEST_DIR/$name.err" 3>&- &
  RECV_PID[$name]=$!
  track_pid "${RECV_PID[$name]}"
  wait_until 10 "[[ -S $TEST_DIR/$name.sock ]]" \
    || fail "console receiver $name did not start: $(cat "$TEST_DIR/$name.err")"
}

# `recv_done NAME`: the receiver has played all its steps.
recv_done ()
{
  wait_bg "${RECV_PID[$1]}" 30 || return 1
  [[ $status -eq 0 ]] || fail "console receiver $1 failed ($status): $(cat "$TEST_DIR/$1.err")"
}

# `recv_fact NAME KEY`
recv_fact () { sed -n "s/^$2: //p" "$TEST_DIR/$1.facts"; }

# `recv_line NAME PREFIX`: what follows PREFIX on the line of NAME.log
# that starts with it (carriage returns dropped).
recv_line () { tr -d '\r' <"$TEST_DIR/$1.log" | sed -n "s/^$2//p" | head -1; }

# `pty_run LOG [--size RxC] STEP... -- RUNTIME-ARGS...`: the runtime under
# test as the session leader of a new pty; sets $status and $output (the
# driver's facts: "termios ...", "status: N").
pty_run ()
{
  local log=$1 size=()
  shift
  if [[ $1 == --size ]]; then
    size=(--size "$2")
    shift 2
  fi
  local -a steps=()
  while [[ $1 != -- ]]; do
    steps+=("$1")
    shift
  done
  shift
  run python3 "$TTY_DRIVER" pty "${size[@]}" "$log" "${steps[@]}" -- \
    env RT_TEST_MARK="$CT_MARK" "$RUNC_BINARY" ${RUNC_GLOBAL_OPTS:-} --root "$ROOT" "$@"
  echo "pty_run $* -> status $status" >&2
  printf '  | %s\n' "${lines[@]}" >&2
  echo "  transcript:" >&2
  tr -d '\r' <"$log" | sed 's/^/  > /' >&2
}

# A running container without a terminal whose init only waits.
start_ct ()
{
  set_sh 'echo ready; sleep 1000'
  run_detached
  wait_for_output "$CT" ready
}

# ---------------------------------------------------------------------------
# --console-socket.

@test "terminal: run -d --console-socket: a pty of process.consoleSize, driven through the master" {
  cfg '.process.terminal = true | .process.consoleSize = {"height": 25, "width": 90}'
  set_sh 'echo started; read x; echo "got:$x"; echo "tty:$(tty)"; echo "size:$(stty size)"
    test -t 0 && test -t 1 && test -t 2 && echo all-three-ttys; echo end; sleep 1000'
  console_recv init 'expect:started' 'send:hello-there\r' 'expect:got:hello-there' 'expect:end'
  run_detached "$CT" --console-socket "$TEST_DIR/init.sock"
  recv_done init
  assert_eq "$(recv_fact init payload)" /dev/ptmx "the message that carries the master"
  local ptn
  ptn=$(recv_fact init ptn)
  [[ $ptn =~ ^[0-9]+$ ]] || fail "the fd received is not a pty master: $(cat "$TEST_DIR/init.facts")"
  assert_eq "$(recv_line init tty:)" "/dev/pts/$ptn" "the process's tty is the received master's peer"
  assert_eq "$(recv_line init size:)" "25 90" "size from process.consoleSize"
  grep -q all-three-ttys "$TEST_DIR/init.log" || fail "stdio is not all the pty: $(cat "$TEST_DIR/init.log")"
  # The runtime is gone; the container's output went to the pty, not to
  # the runtime's stdout.
  assert_eq "$(ct_processes)" "$(ct_pid "$CT")" "processes of the container"
  ! grep -q started "$(ct_out)" || fail "container output reached the runtime's stdout"
}

@test "terminal: create --console-socket hands the master over before start; /dev/console is the pty" {
  cfg '.process.terminal = true'
  set_sh 'echo "tty:$(tty)"; echo "console:$(stat -c "%t:%T %a %u" /dev/console)"
    echo "mnt:$(grep " /dev/console " /proc/self/mountinfo)"; echo end; sleep 1000'
  console_recv init 'expect:end'
  create_ct "$CT" --console-socket "$TEST_DIR/init.sock"
  wait_until 10 "grep -q '^ptn:' $TEST_DIR/init.facts" || fail "no master received at create: $(cat "$TEST_DIR/init.err")"
  assert_eq "$(ct_status "$CT")" created
  runc start "$CT"
  assert_success
  recv_done init
  local ptn mnt
  ptn=$(recv_fact init ptn)
  assert_eq "$(recv_line init tty:)" "/dev/pts/$ptn"
  # runc binds the pty slave onto /dev/console: major 136 (0x88), the
  # slave's number, devpts' mode=620, owned by the process user.
  assert_eq "$(recv_line init console:)" "88:$(printf %x "$ptn") 620 0" "/dev/console: major:minor mode owner"
  mnt=$(recv_line init mnt:)
  read -r -a f <<<"$mnt"
  assert_eq "${f[3]}" "/$ptn" "the mount's root in devpts"
  [[ $mnt == *" - devpts "* ]] || fail "/dev/console is not a devpts bind: $mnt"
}

@test "terminal: exec -t -d --console-socket: a pty for the new process; /dev/console untouched" {
  cfg '.process.consoleSize = {"height": 30, "width": 100}'
  start_ct
  console_recv exec 'expect:exec-started' 'send:typed-in\r' 'expect:got:typed-in' 'expect:end'
  runc exec -t -d --console-socket "$TEST_DIR/exec.sock" "$CT" \
    sh -c 'echo exec-started; read x; echo "got:$x"; echo "tty:$(tty)"; echo "size:$(stty size)"; echo end'
  assert_success
  recv_done exec
  assert_eq "$(recv_line exec tty:)" "/dev/pts/$(recv_fact exec ptn)"
  assert_eq "$(recv_line exec size:)" "30 100" "size from the config's consoleSize"
  # Only the init's pty becomes /dev/console: this container has none.
  runc exec "$CT" sh -c 'test -e /dev/console && echo has-console || echo no-console; grep -c " /dev/console " /proc/self/mountinfo; tty; true'
  assert_success
  assert_eq "$output" $'no-console\n0\nnot a tty'
}

@test "terminal: exec -t beside an init with a terminal: /dev/console stays the init's" {
  cfg '.process.terminal = true'
  set_sh 'echo init-ready; sleep 1000'
  # This receiver holds the init's master until teardown.
  console_recv init 'expect:init-ready' 'sleep:120'
  run_detached "$CT" --console-socket "$TEST_DIR/init.sock"
  wait_until 10 "grep -q init-ready $TEST_DIR/init.log" || fail "the init never printed through its pty"
  local init_ptn exec_ptn
  init_ptn=$(recv_fact init ptn)
  console_recv exec 'expect:end'
  runc exec -t -d --console-socket "$TEST_DIR/exec.sock" "$CT" \
    sh -c 'echo "tty:$(tty)"; echo "console:$(stat -c %t:%T /dev/console)"; echo end'
  assert_success
  recv_done exec
  exec_ptn=$(recv_fact exec ptn)
  [[ $exec_ptn != "$init_ptn" ]] || fail "exec -t got the init's pty $init_ptn"
  assert_eq "$(recv_line exec tty:)" "/dev/pts/$exec_ptn"
  assert_eq "$(recv_line exec console:)" "88:$(printf %x "$init_ptn")" "/dev/console after exec -t"
  # One console mount; and without -t exec gets no tty, whatever the
  # config's process.terminal says.
  runc exec "$CT" sh -c 'grep -c " /dev/console " /proc/self/mountinfo; tty; true'
  assert_success
  assert_eq "$output" $'1\nnot a tty'
}

# ---------------------------------------------------------------------------
# The runtime on the caller's terminal.

# The container side of the foreground tests: the size, a line typed in,
# the size again (after a resize), then it waits for ^C.
PTY_SH='echo "size:$(stty size)"; read x; echo "got:$x"; echo "size:$(stty size)"
  trap "echo got-INT; exit 4" INT; echo ready; while :; do sleep 0.1; done'

# `check_pty_session LOG`: the facts pty_run gathered for PTY_SH.
check_pty_session ()
{
  assert_success
  assert_output_contains "termios during: raw" "status: 4" "termios after: restored"
  local t
  t=$(tr -d '\r' <"$1")
  # The container's pty echoes the typed line once; a cooked outer
  # terminal would have echoed it a second time.
  assert_eq "$(grep -o abc123 <<<"$t" | wc -l)" 2 "copies of the typed line (echo + got:) in: $t"
  [[ $t == *"^Cgot-INT"* ]] || fail "^C did not reach the container's pty as a character: $t"
}

@test "terminal: run in the foreground on a pty: raw relay, the window size follows, settings restored" {
  cfg '.process.terminal = true'
  set_sh "$PTY_SH"
  pty_run "$TEST_DIR/pty.log" --size 30x100 'expect:size:30 100' 'termios:during' 'resize:40:120' \
    'send:abc123\r' 'expect:got:abc123' 'expect:size:40 120' 'expect:ready' 'send:\x03' 'expect:got-INT' \
    -- run "$CT"
  check_pty_session "$TEST_DIR/pty.log"
  [[ ! -e $ROOT/$CT ]] || fail "the container is left after run returned"
}

@test "terminal: exec -t in the foreground on a pty: raw relay, the window size follows, settings restored" {
  start_ct
  pty_run "$TEST_DIR/pty.log" --size 33x111 'expect:size:33 111' 'termios:during' 'resize:44:122' \
    'send:abc123\r' 'expect:got:abc123' 'expect:size:44 122' 'expect:ready' 'send:\x03' 'expect:got-INT' \
    -- exec -t "$CT" sh -c "$PTY_SH"
  check_pty_session "$TEST_DIR/pty.log"
  assert_eq "$(ct_status "$CT")" running
}

# ---------------------------------------------------------------------------
# Refused combinations (runc's messages; status 1, 255 for exec).

@test "terminal: terminal:true and detaching without --console-socket is refused" {
  cfg '.process.terminal = true'
  runc run -d "$CT"
  assert_status 1
  assert_output_contains "cannot allocate tty if runc will detach without setting console socket"
  assert_nothing_left
  runc create "$CT"
  assert_status 1
  assert_output_contains "cannot allocate tty if runc will detach without setting console socket"
  assert_nothing_left
}

@test "terminal: --console-socket without terminal:true, or without detaching, is refused" {
  console_recv unused
  runc run -d --console-socket "$TEST_DIR/unused.sock" "$CT"
  assert_status 1
  assert_output_contains "cannot use console socket if runc will not detach or allocate tty"
  assert_nothing_left
  cfg '.process.terminal = true'
  runc run --console-socket "$TEST_DIR/unused.sock" "$CT"
  assert_status 1
  assert_output_contains "cannot use console socket if runc will not detach or allocate tty"
  assert_nothing_left
}

@test "terminal: exec refuses -t -d without --console-socket, and --console-socket without -t or -d" {
  start_ct
  console_recv unused
  runc exec -t -d "$CT" echo should-not-run
  assert_status 255
  assert_output_contains "cannot allocate tty if runc will detach without setting console socket"
  runc exec -d --console-socket "$TEST_DIR/unused.sock" "$CT" echo should-not-run
  assert_status 255
  assert_output_contains "cannot use console socket if runc will not detach or allocate tty"
  runc exec -t --console-socket "$TEST_DIR/unused.sock" "$CT" echo should-not-run
  assert_status 255
  assert_output_contains "cannot use console socket if runc will not detach or allocate tty"
  refute_output_contains should-not-run
  [[ -S $TEST_DIR/unused.sock ]] || fail "the runtime connected to the console socket of a refused exec"
  assert_eq "$(ct_status "$CT")" running
}

@test "terminal: a --console-socket nobody listens on fails before anything is made" {
  cfg '.process.terminal = true'
  runc run -d --console-socket "$TEST_DIR/nobody.sock" "$CT"
  assert_status 1
  assert_output_contains "$TEST_DIR/nobody.sock"
  assert_nothing_left
}
