#!/usr/bin/env bats
# /dev: the default devices, the standard symlinks, devpts and ptmx, and
# devices from the config.

load helpers

# "name type major:minor mode" for each default device.
DEFAULT_DEVICES=$'/dev/null c 1:3 666\n/dev/zero c 1:5 666\n/dev/full c 1:7 666\n/dev/random c 1:8 666\n/dev/urandom c 1:9 666\n/dev/tty c 5:0 666'

# busybox stat prints major/minor in hex.
STAT_DEV='for d in /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty; do
  stat -c "%n %F %t:%T %a" $d; done'

@test "dev: the default devices, with the right numbers and modes" {
  set_sh "$STAT_DEV"
  runc run "$CT"
  assert_success
  local got
  got=$(while read -r n t1 t2 t3 mm mode; do
    printf '%s %s %d:%d %s\n' "$n" c "$((16#${mm%%:*}))" "$((16#${mm##*:}))" "$mode"
    [[ "$t1 $t2 $t3" == "character special file" ]] || echo "BAD TYPE $n: $t1 $t2 $t3"
  done <<<"$output")
  assert_eq "$got" "$DEFAULT_DEVICES"
}

@test "dev: the devices work" {
  set_sh 'echo discard >/dev/null && echo null-ok
    test "$(head -c 4 /dev/zero | od -An -tx1 | tr -d " ")" = 00000000 && echo zero-ok
    head -c 16 /dev/urandom | wc -c
    echo x >/dev/full || echo full-refused'
  runc run "$CT"
  assert_success
  assert_output_contains null-ok zero-ok 16 full-refused "No space left on device"
}

@test "dev: the standard symlinks" {
  set_sh 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'fd -> /proc/self/fd\nstdin -> /proc/self/fd/0\nstdout -> /proc/self/fd/1\nstderr -> /proc/self/fd/2\nptmx -> pts/ptmx'
}

@test "dev: nothing else from the host's /dev" {
  set_sh 'ls -A /dev'
  runc run "$CT"
  assert_success
  local extra
  extra=$(grep -vxE 'null|zero|full|random|urandom|tty|fd|stdin|stdout|stderr|ptmx|pts|shm|mqueue|core|console' <<<"$output" || true)
  [[ -z $extra ]] || fail "unexpected entries in /dev: $extra"
}

@test "dev: /dev/pts/ptmx opens and allocates a pty of the container's own devpts" {
  set_sh 'stat -c "%t:%T" /dev/pts/ptmx; ls /dev/pts | wc -l; exec 3<>/dev/ptmx && ls /dev/pts'
  runc run "$CT"
  assert_success
  assert_eq "${lines[0]}" "5:2"
  assert_eq "${lines[1]}" 1 "entries in a new devpts (ptmx only)"
  assert_eq "$(tail -n +3 <<<"$output" | sort | tr '\n' ' ')" "0 ptmx " "a new pty"
}

@test "dev: /dev is a tmpfs of mode 755, /dev/shm is writable" {
  set_sh 'stat -c %a /dev; echo shm >/dev/shm/f && cat /dev/shm/f'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'755\nshm'
}

@test "dev: a device from linux.devices" {
  [[ -c /dev/fuse ]] || skip "no /dev/fuse on the host"
  cfg '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0}]'
  if is_root; then
    cfg '.linux.resources.devices += [{"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rwm"}]'
  fi
  set_sh 'stat -c "%F %t:%T %a" /dev/fuse'
  runc run "$CT"
  assert_success
  assert_eq "$output" "character special file a:e5 666"
}

@test "dev: a device in a subdirectory, with its owner" {
  requires root
  cfg '.linux.devices = [{"path": "/dev/rt/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 1000, "gid": 1001}]'
  set_sh 'stat -c "%t:%T %a %u:%g" /dev/rt/mynull'
  runc run "$CT"
  assert_success
  assert_eq "$output" '1:3 660 1000:1001'
}
