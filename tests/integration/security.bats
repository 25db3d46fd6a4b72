#!/usr/bin/env bats
# Hostile input must not reach the host: ids that traverse, symlinks in the
# rootfs that point out of it, a cwd that would escape (CVE-2024-21626).

load helpers

# A host directory a hostile rootfs points at; nothing may appear in it.
victim ()
{
  mkdir -p "$TEST_DIR/victim"
  echo keep >"$TEST_DIR/victim/marker"
}

victim_untouched ()
{
  run ls -A "$TEST_DIR/victim"
  assert_eq "$output" marker "contents of the host directory"
  assert_eq "$(cat "$TEST_DIR/victim/marker")" keep
  [[ -z $(awk -v d="$TEST_DIR/victim" 'index($5, d) == 1' /proc/self/mountinfo) ]] || fail "something is mounted on the host directory"
}

@test "security: ids with path traversal touch nothing outside the root" {
  mkdir -p "$ROOT"
  local id
  for id in ../victim ../../victim ../bundle ..; do
    victim
    runc create "$id"
    assert_status 1
    runc delete -f "$id"
    runc kill "$id" KILL
    assert_status 1
    runc state "$id"
    assert_status 1
  done
  victim_untouched
  [[ -f $BUNDLE/config.json ]] || fail "the bundle was deleted through ../bundle"
}

@test "security: a mount destination through an absolute symlink stays inside" {
  victim
  ln -s "$TEST_DIR/victim" "$ROOTFS/evil"
  add_mount /evil/sub tmpfs tmpfs
  set_sh 'echo ran'
  runc run "$CT"
  victim_untouched
  [[ ! -e $TEST_DIR/victim/sub ]] || fail "created on the host"
}

@test "security: a mount destination through a ../ symlink stays inside" {
  victim
  mkdir -p "$ROOTFS/a/b"
  ln -s "../../../../../../../../../../$TEST_DIR/victim" "$ROOTFS/a/b/evil"
  add_mount /a/b/evil/sub tmpfs tmpfs
  set_sh 'echo ran'
  runc run "$CT"
  victim_untouched
}

@test "security: a bind-mounted file destination through a symlink stays inside" {
  victim
  echo content >"$TEST_DIR/srcfile"
  ln -s "$TEST_DIR/victim/newfile" "$ROOTFS/evilfile"
  add_bind "$TEST_DIR/srcfile" /evilfile
  set_sh 'cat /evilfile'
  runc run "$CT"
  victim_untouched
}

@test "security: a destination with .. components stays inside" {
  victim
  add_mount "/../../../../../../../../$TEST_DIR/victim/dotdot" tmpfs tmpfs
  set_sh 'echo ran'
  runc run "$CT"
  victim_untouched
}

@test "security: /dev as a symlink out of the rootfs" {
  victim
  rmdir "$ROOTFS/dev"
  ln -s "$TEST_DIR/victim" "$ROOTFS/dev"
  set_sh 'ls /dev'
  runc run "$CT"
  victim_untouched
}

@test "security: /proc as a symlink out of the rootfs" {
  victim
  rmdir "$ROOTFS/proc"
  ln -s "$TEST_DIR/victim" "$ROOTFS/proc"
  set_sh 'ls /proc | head -3'
  runc run "$CT"
  victim_untouched
}

@test "security: a masked path through a symlink does not mask the host" {
  victim
  ln -s "$TEST_DIR/victim/marker" "$ROOTFS/etc/masked-link"
  cfg '.linux.maskedPaths += ["/etc/masked-link"]'
  set_sh 'echo ran'
  runc run "$CT"
  victim_untouched
}

@test "security: a cwd through a symlink out of the rootfs stays inside" {
  victim
  ln -s "$TEST_DIR/victim" "$ROOTFS/evilcwd"
  cfg '.process.cwd = "/evilcwd"'
  set_sh 'ls -A; pwd'
  runc run "$CT"
  refute_output_contains marker
  victim_untouched
}

@test "security: a cwd of /proc/self/fd/N does not leak a host directory (CVE-2024-21626)" {
  local n
  for n in 3 4 5 6 7 8; do
    cfg '.process.cwd = $c' --arg c "/proc/self/fd/$n"
    set_sh 'ls -A; ls -A ..; cat /proc/self/mountinfo >/dev/null; readlink /proc/self/cwd'
    runc run "$CT-$n"
    # Either refused, or inside the container: never the bundle or the host.
    refute_output_contains config.json rt-test "(unreachable)"
  done
}

@test "security: a process cannot see host processes" {
  set_sh 'for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr "\0" " "; echo; done'
  runc run "$CT"
  assert_success
  refute_output_contains bats tini
}

@test "security: /sys and the cgroup tree are read-only for container root" {
  set_sh 'echo 1 >/sys/kernel/mm/ksm/run 2>&1 || true; mkdir /sys/fs/cgroup/rt-evil 2>&1; mkdir /sys/fs/cgroup/pids/rt-evil 2>&1; true'
  runc run "$CT"
  assert_success
  [[ -z $(find /sys/fs/cgroup -maxdepth 3 -name rt-evil 2>/dev/null) ]] || fail "container created a cgroup on the host"
}
