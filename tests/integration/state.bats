#!/usr/bin/env bats
# `state`: the JSON document, stale entries, and where state lives.

load helpers

RFC3339NANO='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

@test "state: a created container" {
  set_sh 'sleep 1000'
  create_ct
  runc state "$CT"
  assert_success
  local j=$output
  assert_eq "$(jq -r .id <<<"$j")" "$CT"
  assert_eq "$(jq -r .status <<<"$j")" created
  assert_eq "$(jq -r .bundle <<<"$j")" "$BUNDLE"
  assert_eq "$(jq -r .rootfs <<<"$j")" "$ROOTFS"
  assert_eq "$(jq -r .ociVersion <<<"$j")" "$(cfg_get .ociVersion)"
  assert_eq "$(jq -r 'has("owner")' <<<"$j")" true "an owner field"
  assert_eq "$(jq -r .owner <<<"$j")" "" "owner is only filled by list"
  local pid
  pid=$(jq -r .pid <<<"$j")
  [[ $pid -gt 1 ]] || fail "pid $pid"
  kill -0 "$pid" || fail "pid $pid is not alive"
  jq -r .created <<<"$j" | grep -qE "$RFC3339NANO" || fail "created: $(jq -r .created <<<"$j")"
}

@test "state: the created time is now, in RFC 3339 with nanoseconds" {
  set_sh 'sleep 1000'
  local before after t
  before=$(date +%s)
  create_ct
  after=$(date +%s)
  runc state "$CT"
  t=$(date -d "$(jq -r .created <<<"$output")" +%s) || fail "unparsable created time"
  ((t >= before - 1 && t <= after + 1)) || fail "created $t not within [$before, $after]"
}

@test "state: running, then stopped with pid 0" {
  set_sh 'sleep 2'
  run_detached
  runc state "$CT"
  assert_eq "$(jq -r .status <<<"$output")" running
  wait_status "$CT" stopped
  runc state "$CT"
  assert_success
  assert_eq "$(jq -r .pid <<<"$output")" 0
  assert_eq "$(jq -r .id <<<"$output")" "$CT"
}

@test "state: annotations from config.json are shown" {
  cfg '.annotations = {"org.example.key": "value-1", "other": "2"}'
  set_sh 'sleep 1000'
  create_ct
  runc state "$CT"
  assert_eq "$(jq -c .annotations <<<"$output")" '{"org.example.key":"value-1","other":"2"}'
}

@test "state: is valid JSON with the OCI fields and nothing else printed" {
  set_sh 'sleep 1000'
  create_ct
  runc --separate-stderr state "$CT"
  assert_success
  run jq -e 'has("ociVersion") and has("id") and has("status") and has("pid") and has("bundle")' <<<"$output"
  assert_success
}

@test "state: an unknown container is an error" {
  runc state "$CT"
  assert_status 1
  assert_output_contains "does not exist"
}

@test "state: an init killed behind the runtime's back reads as stopped" {
  set_sh 'sleep 1000'
  run_detached
  local pid
  pid=$(ct_pid "$CT")
  kill -9 "$pid"
  wait_status "$CT" stopped
  runc delete "$CT"
  assert_success
}

@test "state: a zombie init reads as stopped" {
  local nr
  case $(uname -m) in
    x86_64) nr=157 ;;
    aarch64) nr=167 ;;
    *) skip "prctl syscall number unknown for $(uname -m)" ;;
  esac
  set_sh 'sleep 1000'
  # A parent that adopts the init (as subreaper) and never reaps it.
  RT_TEST_MARK=$CT_MARK perl -e '
    syscall('"$nr"', 36, 1) == 0 or die "prctl(PR_SET_CHILD_SUBREAPER): $!\n";
    system(@ARGV) == 0 or die "create failed\n";
    print STDERR "created\n";
    sleep 1000;' "$RUNC_BINARY" --root "$ROOT" create "$CT" \
    >"$(ct_out)" 2>&1 </dev/null 3>&- &
  local holder=$!
  disown "$holder"
  track_pid "$holder"
  wait_for_output "$CT" created
  local pid
  pid=$(ct_pid "$CT")
  [[ $(ppid_of "$pid") == "$holder" ]] || fail "init $pid not adopted by $holder"
  kill -9 "$pid"
  wait_until 5 '[[ $(awk "/^State:/ { print \$2 }" /proc/$pid/status) == Z ]]' || fail "init did not become a zombie"
  assert_eq "$(ct_status "$CT")" stopped "status of a container whose init is a zombie"
  runc delete "$CT"
  assert_success
  kill -9 "$holder"
}

@test "state: a container whose state.json is missing is unknown" {
  set_sh 'sleep 1000'
  create_ct
  mkdir -p "$ROOT/$CT-b"
  runc state "$CT-b"
  assert_status 1
  assert_output_contains "does not exist"
}

# ---- where state lives ------------------------------------------------------

@test "root dir: root uses /run/runc by default" {
  requires root
  set_sh 'sleep 1000'
  track_root /run/runc
  RT_NO_ROOT=1 RT_OUT=$(ct_out) runc create "$CT"
  assert_success
  [[ -d /run/runc/$CT ]] || fail "no /run/runc/$CT"
  RT_NO_ROOT=1 runc delete -f "$CT"
  assert_success
  [[ ! -e /run/runc/$CT ]] || fail "/run/runc/$CT left after delete"
}

@test "root dir: root ignores XDG_RUNTIME_DIR" {
  requires root
  set_sh 'sleep 1000'
  track_root /run/runc
  track_root "$TEST_DIR/xdg/runc"
  mkdir -m 0700 "$TEST_DIR/xdg"
  XDG_RUNTIME_DIR=$TEST_DIR/xdg RT_NO_ROOT=1 RT_OUT=$(ct_out) runc create "$CT"
  assert_success
  [[ -d /run/runc/$CT ]] || fail "no /run/runc/$CT"
  [[ ! -e $TEST_DIR/xdg/runc/$CT ]] || fail "root used XDG_RUNTIME_DIR"
}

@test "root dir: a user's default is \$XDG_RUNTIME_DIR/runc" {
  requires rootless
  set_sh 'sleep 1000'
  mkdir -m 0700 "$TEST_DIR/xdg"
  track_root "$TEST_DIR/xdg/runc"
  XDG_RUNTIME_DIR=$TEST_DIR/xdg RT_NO_ROOT=1 RT_OUT=$(ct_out) runc create "$CT"
  assert_success
  [[ -d $TEST_DIR/xdg/runc/$CT ]] || fail "no $TEST_DIR/xdg/runc/$CT"
  XDG_RUNTIME_DIR=$TEST_DIR/xdg RT_NO_ROOT=1 runc list -q
  assert_output_contains "$CT"
  # Private to the user.
  run stat -c %a "$TEST_DIR/xdg/runc"
  [[ $output == 700 || $output == 1700 ]] || fail "mode of the state root: $output"
}

@test "root dir: without XDG_RUNTIME_DIR a user falls back to /run/user/UID/runc" {
  requires rootless
  ours_only
  local uid
  uid=$(id -u)
  [[ -d /run/user/$uid && -O /run/user/$uid ]] || skip "/run/user/$uid is not ours"
  set_sh 'sleep 1000'
  track_root "/run/user/$uid/runc"
  (
    unset XDG_RUNTIME_DIR
    RT_NO_ROOT=1 RT_OUT=$(ct_out) __runc_captured create "$CT" >/dev/null
  ) || fail "create without XDG_RUNTIME_DIR failed: $(cat "$(ct_out)")"
  [[ -d /run/user/$uid/runc/$CT ]] || fail "no /run/user/$uid/runc/$CT"
}

@test "root dir: a user with no runtime directory gets an error naming --root" {
  requires root
  ours_only
  local uid=4242
  [[ ! -e /run/user/$uid ]] || skip "/run/user/$uid exists"
  setpriv --reuid="$uid" --regid="$uid" --clear-groups test -x "$RUNC_BINARY" \
    || skip "uid $uid cannot execute $RUNC_BINARY"
  run env -u XDG_RUNTIME_DIR setpriv --reuid="$uid" --regid="$uid" --clear-groups "$RUNC_BINARY" state "$CT"
  assert_status 1
  assert_output_contains "--root"
}
