#!/usr/bin/env bats
# File descriptors: only stdio and --preserve-fds reach the container.

load helpers

# The fds of the container's pid 1 (the shell), listed by a child.  Not in
# a pipeline: the shell would hold the pipe's fds while ls looks.
FDS_SH='ls /proc/1/fd; echo end'

# The fd list printed by FDS_SH, from $output: "0 1 2 ".
fd_list () { sed '/^end$/,$d' <<<"$output" | sort -n | tr '\n' ' '; }

@test "fds: only stdio reaches the container" {
  set_sh "$FDS_SH"
  runc run "$CT"
  assert_success
  assert_eq "$(fd_list)" "0 1 2 "
}

@test "fds: fds the runtime inherits do not reach the container" {
  set_sh "$FDS_SH"
  RT_KEEP_FDS="5 7 9" runc run "$CT" 5<"$BUNDLE/config.json" 7>"$TEST_DIR/seven" 9<"$ROOTFS/etc/passwd"
  assert_success
  assert_eq "$(fd_list)" "0 1 2 "
}

@test "fds: a detached container gets no extra fd either" {
  set_sh "$FDS_SH; sleep 1000"
  RT_KEEP_FDS=6 run_detached 6<"$BUNDLE/config.json"
  wait_for_output "$CT" '^end$'
  output=$(cat "$(ct_out)")
  assert_eq "$(fd_list)" "0 1 2 "
}

@test "--preserve-fds: passes fds 3..3+N-1, no others" {
  echo "content-three" >"$TEST_DIR/three"
  echo "content-four" >"$TEST_DIR/four"
  set_sh "$FDS_SH; cat <&3; cat <&4"
  RT_KEEP_FDS="3 4 5" runc run --preserve-fds 2 "$CT" 3<"$TEST_DIR/three" 4<"$TEST_DIR/four" 5<"$TEST_DIR/four"
  assert_success
  assert_eq "$(fd_list)" "0 1 2 3 4 "
  assert_eq "$(sed '1,/^end$/d' <<<"$output")" $'content-three\ncontent-four'
}

@test "--preserve-fds: works with create/start" {
  echo "via-create" >"$TEST_DIR/three"
  set_sh 'cat <&3'
  RT_KEEP_FDS=3 create_ct "$CT" --preserve-fds 1 3<"$TEST_DIR/three"
  runc start "$CT"
  assert_success
  wait_for_output "$CT" via-create
}

@test "fds: LISTEN_FDS passes socket-activation fds (LISTEN_PID=1 inside)" {
  echo "activated" >"$TEST_DIR/three"
  set_sh 'echo "fds=$LISTEN_FDS pid=$LISTEN_PID"; cat <&3'
  run bash -c 'exec 3<"$1"; export LISTEN_FDS=1 LISTEN_PID=$$ RT_TEST_MARK="$2"
    exec "$3" --root "$4" run "$5" </dev/null 2>&1' _ "$TEST_DIR/three" "$CT_MARK" "$RUNC_BINARY" "$ROOT" "$CT"
  assert_success
  assert_eq "$output" $'fds=1 pid=1\nactivated'
}
