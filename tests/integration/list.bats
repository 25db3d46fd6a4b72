#!/usr/bin/env bats
# `list`: table, --format json, --quiet.

load helpers

# The table with runs of blanks squeezed to one, so columns compare simply.
squeezed () { tr -s ' \t' ' ' <<<"$output" | sed 's/ $//'; }

start_two ()
{
  set_sh 'sleep 1000'
  create_ct "$CT-a"
  run_detached "$CT-b"
}

@test "list: an empty root prints the header only" {
  mkdir -p "$ROOT"
  runc list
  assert_success
  assert_eq "$(squeezed)" "ID PID STATUS BUNDLE CREATED OWNER"
}

@test "list: the table shows every container" {
  start_two
  runc list
  assert_success
  local me
  me=$(id -un)
  assert_eq "$(squeezed | head -1)" "ID PID STATUS BUNDLE CREATED OWNER"
  assert_eq "${#lines[@]}" 3 "lines"
  local a b
  a=$(squeezed | grep "^$CT-a ")
  b=$(squeezed | grep "^$CT-b ")
  [[ $a =~ ^$CT-a\ $(ct_pid "$CT-a")\ created\ $BUNDLE\ [0-9T:.Z+-]+\ $me$ ]] || fail "row a: $a"
  [[ $b =~ ^$CT-b\ $(ct_pid "$CT-b")\ running\ $BUNDLE\ [0-9T:.Z+-]+\ $me$ ]] || fail "row b: $b"
}

@test "list: a stopped container has pid 0" {
  set_sh 'true'
  run_detached
  wait_status "$CT" stopped
  runc list
  assert_success
  squeezed | grep -qE "^$CT 0 stopped " || fail "row: $(squeezed)"
}

@test "list --format json: an array of state objects with the owner" {
  start_two
  runc list --format json
  assert_success
  local j=$output me
  me=$(id -un)
  assert_eq "$(jq -r 'length' <<<"$j")" 2
  assert_eq "$(jq -r 'map(.id) | sort | join(" ")' <<<"$j")" "$CT-a $CT-b"
  assert_eq "$(jq -r --arg id "$CT-a" '.[] | select(.id == $id) | [.status, .bundle, .rootfs, .owner, (.pid | tostring)] | join(" ")' <<<"$j")" \
    "created $BUNDLE $ROOTFS $me $(ct_pid "$CT-a")"
  assert_eq "$(jq -r --arg id "$CT-b" '.[] | select(.id == $id) | .status' <<<"$j")" running
  jq -e 'all(.[]; has("ociVersion") and has("created"))' <<<"$j" >/dev/null || fail "fields missing: $j"
  runc list -f json
  assert_eq "$(jq -r 'length' <<<"$output")" 2
}

@test "list --format json: an empty root gives null" {
  mkdir -p "$ROOT"
  runc list --format json
  assert_success
  assert_eq "$output" null
}

@test "list -q: the ids only, one per line" {
  start_two
  runc list -q
  assert_success
  assert_eq "$(sort <<<"$output")" "$(printf '%s\n' "$CT-a" "$CT-b")"
  runc list --quiet
  assert_eq "$(sort <<<"$output")" "$(printf '%s\n' "$CT-a" "$CT-b")"
}

@test "list: an invalid --format is refused" {
  runc list --format yaml
  assert_status 1
}

@test "list: an unreadable entry is skipped, the others are listed" {
  set_sh 'sleep 1000'
  create_ct
  mkdir -p "$ROOT/$CT-garbage"
  echo '{not json' >"$ROOT/$CT-garbage/state.json"
  runc list -q
  assert_success
  assert_output_contains "$CT"
  grep -qx "$CT" <<<"$output" || fail "the good container is not listed: $output"
  rm -rf "${ROOT:?}/$CT-garbage"
}
