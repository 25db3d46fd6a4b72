#!/usr/bin/env bats
# create / start / run: exit statuses, signals, the waiting init, the flags
# of create and run, and concurrent commands on one container.

load helpers

@test "run: returns the container's exit status" {
  set_sh 'echo out-line; echo err-line >&2; exit 0'
  runc run "$CT"
  assert_success
  assert_output_contains out-line err-line
  set_sh 'exit 42'
  runc run "$CT-b"
  assert_status 42
  set_sh 'exit 255'
  runc run "$CT-c"
  assert_status 255
}

@test "run: the container is gone when run returns" {
  set_sh 'exit 3'
  runc run "$CT"
  assert_status 3
  [[ ! -e $ROOT/$CT ]] || fail "state directory left after run"
  runc state "$CT"
  assert_status 1
  [[ -z $(ct_processes) ]] || fail "processes left: $(ct_processes)"
}

@test "run: a container killed by signal N gives 128+N" {
  # Without a pid namespace the shell is no pid 1 and can kill itself (in a
  # user namespace, proc cannot be mounted without a pid namespace of its own).
  requires root
  ns_remove pid
  set_sh 'kill -KILL $$'
  runc run "$CT"
  assert_status 137
  set_sh 'kill -TERM $$; sleep 5'
  runc run "$CT-b"
  assert_status 143
}

@test "run: a pid-1 container killed from outside gives 137" {
  set_sh 'echo ready; sleep 1000'
  runc_bg run "$CT"
  wait_for_output "$CT" ready
  runc kill "$CT" KILL
  assert_success
  wait_bg "$RUNC_BG_PID"
  assert_eq "$status" 137 "exit status of run"
}

@test "run: forwards signals to the container process" {
  set_sh 'trap "echo got-HUP" HUP; trap "echo got-USR1" USR1; trap "echo got-USR2" USR2; trap "echo got-TERM; exit 7" TERM
    echo ready; sleep 1000 & while :; do wait; done'
  runc_bg run "$CT"
  wait_for_output "$CT" ready
  local s
  for s in HUP USR1 USR2; do
    kill -"$s" "$RUNC_BG_PID"
    wait_for_output "$CT" "got-$s"
  done
  kill -TERM "$RUNC_BG_PID"
  wait_for_output "$CT" got-TERM
  wait_bg "$RUNC_BG_PID"
  assert_eq "$status" 7 "exit status of run after the TERM trap"
}

@test "run: stdin reaches the container" {
  set_cmd cat
  echo "from-stdin-$CT" >"$TEST_DIR/in"
  RT_STDIN="$TEST_DIR/in" runc run "$CT"
  assert_success
  assert_output_contains "from-stdin-$CT"
}

@test "create: the init waits for start, with no runtime process left" {
  mkdir -m 0777 "$TEST_DIR/shared"
  add_bind "$TEST_DIR/shared" /shared
  set_sh 'echo started >/shared/flag; echo started; sleep 1000'
  create_ct
  assert_eq "$(ct_status "$CT")" created
  local pid
  pid=$(ct_pid "$CT")
  [[ $pid -gt 0 ]] || fail "no init pid"
  kill -0 "$pid" || fail "init $pid is not alive"
  # Only the init remains: the runtime that created it has exited.
  assert_eq "$(ct_processes)" "$pid" "processes of the container after create"
  sleep 0.5
  [[ ! -e $TEST_DIR/shared/flag ]] || fail "the process ran before start"
  assert_eq "$(ct_status "$CT")" created

  runc start "$CT"
  assert_success
  wait_for_output "$CT" started
  [[ -e $TEST_DIR/shared/flag ]] || fail "the process did not run after start"
  assert_eq "$(ct_status "$CT")" running
  assert_eq "$(ct_pid "$CT")" "$pid" "init pid after start"
}

@test "start: the status goes created -> running -> stopped" {
  set_sh 'sleep 1'
  create_ct
  assert_eq "$(ct_status "$CT")" created
  runc start "$CT"
  assert_success
  assert_eq "$(ct_status "$CT")" running
  wait_status "$CT" stopped
  assert_eq "$(ct_pid "$CT")" 0 "pid of a stopped container"
}

@test "start: refuses a running or a stopped container" {
  set_sh 'sleep 1000'
  create_ct
  runc start "$CT"
  assert_success
  runc start "$CT"
  assert_status 1
  assert_output_contains "cannot start an already running container"
  runc kill "$CT" KILL
  wait_status "$CT" stopped
  runc start "$CT"
  assert_status 1
  assert_output_contains "cannot start a container that has stopped"
}

@test "start: an unknown container is an error" {
  runc start "$CT"
  assert_status 1
  assert_output_contains "does not exist"
}

@test "run -d: returns while the container runs, and leaves only the init" {
  set_sh 'echo detached-out; sleep 1000'
  run_detached
  assert_eq "$(ct_status "$CT")" running
  wait_for_output "$CT" detached-out
  assert_eq "$(ct_processes)" "$(ct_pid "$CT")" "processes of a detached container"
}

@test "run -d: the container's exit makes it stopped" {
  set_sh 'exit 5'
  run_detached
  wait_status "$CT" stopped
  runc delete "$CT"
  assert_success
}

@test "--pid-file: holds the init pid" {
  set_sh 'sleep 1000'
  create_ct "$CT" --pid-file "$TEST_DIR/ct.pid"
  run cat "$TEST_DIR/ct.pid"
  assert_output_matches '^[0-9]+$'
  assert_eq "$output" "$(ct_pid "$CT")" "pid file vs state"
  run_detached "$CT-b" --pid-file "$TEST_DIR/run.pid"
  assert_eq "$(cat "$TEST_DIR/run.pid")" "$(ct_pid "$CT-b")" "pid file of run -d vs state"
}

@test "--pid-file: is written atomically (a new file renamed into place)" {
  # The old pid file is a hard link: writing in place would change both names.
  echo old >"$TEST_DIR/other-name"
  ln "$TEST_DIR/other-name" "$TEST_DIR/ct.pid"
  set_sh 'sleep 1000'
  create_ct "$CT" --pid-file "$TEST_DIR/ct.pid"
  assert_eq "$(cat "$TEST_DIR/other-name")" old "the old inode"
  assert_eq "$(cat "$TEST_DIR/ct.pid")" "$(ct_pid "$CT")"
  # No temporary file is left next to it.
  run ls -A "$TEST_DIR"
  assert_eq "$(grep -c pid <<<"$output")" 1 "files named *pid* in $TEST_DIR: $output"
}

@test "--pid-file: a relative path is relative to the caller's directory" {
  set_sh 'sleep 1000'
  mkdir "$TEST_DIR/cwd"
  cd "$TEST_DIR/cwd"
  create_ct "$CT" -b "$BUNDLE" --pid-file rel.pid
  [[ -f $TEST_DIR/cwd/rel.pid ]] || fail "rel.pid not in the caller's directory"
  [[ ! -e $BUNDLE/rel.pid ]] || fail "rel.pid written in the bundle"
}

@test "--bundle/-b: takes the bundle from the given directory" {
  set_sh 'cat /etc/fixture-release'
  cd /
  runc run --bundle "$BUNDLE" "$CT"
  assert_success
  assert_output_contains rootfs-fixture
  runc run -b "$BUNDLE" "$CT-b"
  assert_success
  assert_output_contains rootfs-fixture
}

@test "--bundle: a relative bundle path is recorded as absolute" {
  set_sh 'sleep 1000'
  cd "$TEST_DIR"
  create_ct "$CT" -b bundle
  runc state "$CT"
  assert_eq "$(jq -r .bundle <<<"$output")" "$BUNDLE"
  assert_eq "$(jq -r .rootfs <<<"$output")" "$BUNDLE/rootfs"
}

@test "--no-pivot: the container still runs in its rootfs" {
  set_sh 'cat /etc/fixture-release; ls /'
  runc run --no-pivot "$CT"
  assert_success
  assert_output_contains rootfs-fixture
  refute_output_contains bundle
}

@test "--no-new-keyring: no session keyring of its own" {
  # /proc/keys is masked by default: unmask it to read the keyrings.
  cfg '.linux.maskedPaths -= ["/proc/keys"]'
  set_sh 'cat /proc/keys'
  runc run "$CT"
  assert_success
  assert_output_contains "_ses.$CT"
  runc run --no-new-keyring "$CT-b"
  assert_success
  refute_output_contains "_ses.$CT-b"
}

@test "--keep: the stopped container stays until delete" {
  set_sh 'exit 4'
  runc run --keep "$CT"
  assert_status 4
  [[ -d $ROOT/$CT ]] || fail "state directory removed despite --keep"
  assert_eq "$(ct_status "$CT")" stopped
  runc delete "$CT"
  assert_success
  [[ ! -e $ROOT/$CT ]] || fail "state directory left after delete"
}

# An orphan inside a container without a pid namespace goes to the nearest
# subreaper: `run` itself by default, the outer one with --no-subreaper.
@test "--no-subreaper: run does not adopt the container's orphans" {
  [[ -n $RT_SUBREAPER ]] || skip "not running under the mode scripts' subreaper"
  # No pid namespace: root only, see above.
  requires root
  ns_remove pid
  set_sh '(sleep 1000 & echo orphan=$!); sleep 1000'

  runc_bg run "$CT"
  wait_for_output "$CT" 'orphan=[0-9]+'
  local orphan
  orphan=$(sed -n 's/^orphan=//p' "$(ct_out)")
  wait_until 5 '[[ $(ppid_of "$orphan") == "$RUNC_BG_PID" ]]' || fail "orphan's parent $(ppid_of "$orphan"), run is $RUNC_BG_PID"
  kill -9 "$orphan"
  runc kill "$CT" KILL
  wait_bg "$RUNC_BG_PID"

  runc_bg run --no-subreaper "$CT-b"
  wait_until 10 '[[ $(grep -c orphan= "$(ct_out)") -eq 2 ]]' || fail "second orphan line missing: $(cat "$(ct_out)")"
  orphan=$(sed -n 's/^orphan=//p' "$(ct_out)" | tail -1)
  wait_until 5 '[[ $(ppid_of "$orphan") == "$RT_SUBREAPER" ]]' || fail "orphan's parent $(ppid_of "$orphan"), expected the outer subreaper $RT_SUBREAPER"
  kill -9 "$orphan"
  runc kill "$CT-b" KILL
  wait_bg "$RUNC_BG_PID"
}

# ---- concurrency ------------------------------------------------------------

# `parallel_wins N ARGS...`: N runtimes with ARGS at once; prints how many
# succeeded.
parallel_wins ()
{
  local n=$1 i wins=0
  shift
  local -a pids=()
  for ((i = 0; i < n; i++)); do
    __runc "$@" >"$TEST_DIR/par$i.out" 2>&1 </dev/null &
    pids+=($!)
  done
  for i in "${pids[@]}"; do
    wait "$i" && wins=$((wins + 1))
  done
  echo "$wins"
}

@test "concurrency: parallel creates of one id: exactly one wins" {
  set_sh 'sleep 1000'
  assert_eq "$(parallel_wins 5 create "$CT")" 1 "successful creates"
  assert_eq "$(ct_status "$CT")" created
  assert_eq "$(ct_processes)" "$(ct_pid "$CT")" "exactly one init"
}

@test "concurrency: parallel starts: exactly one wins" {
  set_sh 'sleep 1000'
  create_ct
  assert_eq "$(parallel_wins 4 start "$CT")" 1 "successful starts"
  assert_eq "$(ct_status "$CT")" running
}

@test "concurrency: state, list, kill and delete -f racing on one container" {
  set_sh 'trap "" USR1; echo ready; sleep 1000 & while :; do wait; done'
  run_detached
  wait_for_output "$CT" ready
  local i pids=()
  for i in $(seq 1 6); do
    __runc state "$CT" >"$TEST_DIR/r-state$i.out" 2>&1 </dev/null &
    pids+=($!)
    __runc list >"$TEST_DIR/r-list$i.out" 2>&1 </dev/null &
    pids+=($!)
    __runc kill "$CT" USR1 >"$TEST_DIR/r-kill$i.out" 2>&1 </dev/null &
    pids+=($!)
  done
  __runc delete -f "$CT" >"$TEST_DIR/r-delete1.out" 2>&1 </dev/null &
  local del1=$!
  __runc delete -f "$CT" >"$TEST_DIR/r-delete2.out" 2>&1 </dev/null &
  local del2=$!
  for i in "${pids[@]}"; do
    wait "$i" || true
  done
  wait "$del1" || fail "delete -f #1 failed: $(cat "$TEST_DIR/r-delete1.out")"
  wait "$del2" || fail "delete -f #2 failed: $(cat "$TEST_DIR/r-delete2.out")"
  # No command crashed, and the container is gone with everything it had.
  ! grep -lE 'panic|Segmentation|core dumped|SIGSEGV' "$TEST_DIR"/r-*.out || fail "a command crashed"
  [[ ! -e $ROOT/$CT ]] || fail "state directory left"
  wait_until 3 '[[ -z $(ct_processes) ]]' || fail "processes left: $(ct_processes)"
  runc state "$CT"
  assert_status 1
}
