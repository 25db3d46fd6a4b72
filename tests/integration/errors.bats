#!/usr/bin/env bats
# Bad input: a clear error, exit 1, and a failed create leaves no state
# directory, mount, cgroup or process behind.

load helpers

# `expect_create_error TEXT...`: create fails naming each TEXT, nothing left.
expect_create_error ()
{
  runc create "$CT"
  assert_status 1
  assert_output_contains "$@"
  assert_nothing_left
  [[ ! -e $ROOT/$CT ]] || fail "state directory left"
}

@test "errors: a missing bundle directory" {
  runc run -b "$TEST_DIR/no-such-bundle" "$CT"
  assert_status 1
  assert_output_contains "$TEST_DIR/no-such-bundle"
  assert_nothing_left
}

@test "errors: a bundle without config.json" {
  rm "$BUNDLE/config.json"
  expect_create_error config.json
}

@test "errors: malformed JSON" {
  echo '{"ociVersion": "1.0.2", "process": {' >"$BUNDLE/config.json"
  runc create "$CT"
  assert_status 1
  assert_nothing_left
}

@test "errors: malformed JSON names where (ours)" {
  ours_only
  printf '{\n  "ociVersion": "1.0.2",\n  "process": {"args": ["sh",]}\n}\n' >"$BUNDLE/config.json"
  runc create "$CT"
  assert_status 1
  # A line/column or byte position, and the file.
  assert_output_contains config.json
  assert_output_matches '(line|offset|byte|column|:3)'
  assert_nothing_left
}

@test "errors: a wrongly typed field names its JSON path" {
  cfg '.process.args = "true"'
  runc create "$CT"
  assert_status 1
  assert_output_contains process
  assert_output_contains args
  assert_nothing_left
}

@test "errors: a wrongly typed nested field names its full JSON path (ours)" {
  ours_only
  cfg '.linux.uidMappings = [{"containerID": 0, "hostID": "zero", "size": 1}]'
  ns_add user
  runc create "$CT"
  assert_status 1
  assert_output_matches 'linux\.uidMappings(\[0\])?\.hostID'
  assert_nothing_left
}

@test "errors: empty process.args" {
  cfg '.process.args = []'
  expect_create_error args
}

@test "errors: an id that is empty or not [A-Za-z0-9_+.-]" {
  local id
  for id in "" "../$CT" "a/b" "$CT x" "." ".." "$CT:1" "$CT\$" $'a\nb'; do
    runc create "$id"
    assert_status 1
  done
  assert_nothing_left
  run ls -A "$TEST_DIR"
  refute_output_contains "$CT"
  [[ ! -e $ROOT || -z $(ls -A "$ROOT") ]] || fail "entries under the root: $(ls -A "$ROOT")"
}

@test "errors: the id message says what is wrong" {
  runc create "../x"
  assert_status 1
  assert_output_matches '[Ii]nvalid (container )?[Ii][Dd]'
  runc create ""
  assert_status 1
  assert_output_matches '(empty|[Ii]nvalid)'
}

@test "errors: a duplicate id is refused and the first container is untouched" {
  set_sh 'sleep 1000'
  create_ct
  local pid
  pid=$(ct_pid "$CT")
  runc create "$CT"
  assert_status 1
  assert_output_matches 'exist'
  assert_eq "$(ct_status "$CT")" created
  assert_eq "$(ct_pid "$CT")" "$pid" "the first container's init"
  runc run "$CT"
  assert_status 1
  assert_eq "$(ct_status "$CT")" created
}

@test "errors: a missing rootfs" {
  rm -rf "$ROOTFS"
  expect_create_error rootfs
}

@test "errors: a rootfs that is a file" {
  rm -rf "$ROOTFS"
  echo not-a-dir >"$ROOTFS"
  runc create "$CT"
  assert_status 1
  assert_nothing_left
}

@test "errors: args[0] not found fails after setup and cleans everything" {
  set_cmd no-such-program-anywhere
  expect_create_error no-such-program-anywhere
  runc run "$CT"
  assert_status 1
  assert_output_contains no-such-program-anywhere
  assert_nothing_left
}

@test "errors: args[0] not executable" {
  echo 'data' >"$ROOTFS/bin/not-exec"
  chmod 0644 "$ROOTFS/bin/not-exec"
  set_cmd /bin/not-exec
  runc run "$CT"
  assert_failure
  assert_output_contains not-exec
  assert_nothing_left
}

@test "errors: an unknown namespace type" {
  cfg '.linux.namespaces += [{"type": "bogus"}]'
  expect_create_error bogus
}

@test "errors: a namespace listed twice" {
  cfg '.linux.namespaces += [{"type": "pid"}]'
  expect_create_error pid
}

@test "errors: terminal true without --console-socket" {
  cfg '.process.terminal = true'
  expect_create_error "console"
}

@test "errors: a mount that fails late leaves nothing" {
  add_mount /late rt-no-such-fs none
  add_mount /later tmpfs tmpfs
  runc create "$CT"
  assert_status 1
  assert_nothing_left
}

@test "errors: a --root that cannot be a directory" {
  echo file >"$TEST_DIR/afile"
  RT_NO_ROOT=1 runc --root "$TEST_DIR/afile/sub" create "$CT"
  assert_status 1
  assert_nothing_left
}

@test "errors: usage errors print 'Incorrect Usage' and exit 1" {
  runc create
  assert_status 1
  assert_output_contains "Incorrect Usage"
}
