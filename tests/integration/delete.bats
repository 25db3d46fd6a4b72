#!/usr/bin/env bats
# `delete` and `delete --force`.

load helpers

@test "delete: a stopped container: state, cgroup and processes go" {
  set_sh 'true'
  run_detached
  wait_status "$CT" stopped
  runc delete "$CT"
  assert_success
  [[ ! -e $ROOT/$CT ]] || fail "state directory left"
  [[ -z $(find /sys/fs/cgroup -maxdepth 6 -type d -name "*$CT*" 2>/dev/null) ]] || fail "cgroup left"
  runc state "$CT"
  assert_status 1
}

@test "delete: a created container is killed and removed" {
  set_sh 'sleep 1000'
  create_ct
  local pid
  pid=$(ct_pid "$CT")
  runc delete "$CT"
  assert_success
  [[ ! -e $ROOT/$CT ]] || fail "state directory left"
  wait_until 5 '! kill -0 $pid 2>/dev/null' || fail "init $pid still alive"
}

@test "delete: refuses a running container without --force" {
  set_sh 'sleep 1000'
  run_detached
  runc delete "$CT"
  assert_status 1
  assert_output_contains "cannot delete container $CT that is not stopped: running"
  assert_eq "$(ct_status "$CT")" running
}

@test "delete --force: kills and removes a running container" {
  set_sh 'trap "" TERM; sleep 1000 & wait; sleep 1000'
  run_detached
  local pid
  pid=$(ct_pid "$CT")
  runc delete --force "$CT"
  assert_success
  [[ ! -e $ROOT/$CT ]] || fail "state directory left"
  ! kill -0 "$pid" 2>/dev/null || fail "init $pid still alive"
  [[ -z $(ct_processes) ]] || fail "processes left: $(ct_processes)"
}

@test "delete -f: kills every process of a container without a pid namespace" {
  requires root
  ns_remove pid
  set_sh '(sleep 1000 &); sleep 1000 & echo ready; wait'
  run_detached
  wait_for_output "$CT" ready
  runc delete -f "$CT"
  assert_success
  wait_until 5 '[[ -z $(ct_processes) ]]' || fail "processes left: $(ct_processes)"
}

@test "delete: an unknown container is an error, but not with --force" {
  runc delete "$CT"
  assert_status 1
  assert_output_contains "does not exist"
  runc delete -f "$CT"
  assert_success
}

@test "delete: a state directory without state.json is removed" {
  mkdir -p "$ROOT/$CT"
  runc delete "$CT"
  [[ ! -e $ROOT/$CT ]] || fail "directory left"
}

@test "delete: removes the container's cgroup" {
  requires cgroups_writable
  set_sh 'sleep 1000'
  cfg '.linux.cgroupsPath = $p' --arg p "/rt-tests/$CT"
  run_detached
  [[ -n $(find /sys/fs/cgroup -maxdepth 6 -type d -name "$CT" 2>/dev/null) ]] || fail "no cgroup named $CT was made"
  runc delete -f "$CT"
  assert_success
  [[ -z $(find /sys/fs/cgroup -maxdepth 6 -type d -name "$CT" 2>/dev/null) ]] || fail "cgroup left: $(find /sys/fs/cgroup -maxdepth 6 -type d -name "$CT")"
  find /sys/fs/cgroup -maxdepth 3 -type d -name rt-tests -exec rmdir {} + 2>/dev/null || true
}
