#!/usr/bin/env bats
# maskedPaths and readonlyPaths.

load helpers

@test "masked: the default masked files read empty" {
  set_sh 'for f in /proc/keys /proc/timer_list /proc/sched_debug /proc/kcore /proc/latency_stats /proc/timer_stats; do
    test -e $f && echo "$f $(cat $f | wc -c)"; done; true'
  runc run "$CT"
  assert_success
  [[ -n $output ]] || fail "none of the masked files exists"
  local bad
  bad=$(awk '$2 != 0' <<<"$output")
  [[ -z $bad ]] || fail "masked files with content: $bad"
  assert_output_contains "/proc/keys 0"
}

@test "masked: the default masked directories are empty and read-only" {
  set_sh 'for d in /sys/firmware /proc/acpi /proc/scsi; do
    test -d $d && echo "$d $(ls -A $d | wc -l)"; done
    touch /sys/firmware/x 2>&1; true'
  runc run "$CT"
  assert_success
  assert_output_contains "/sys/firmware 0" "Read-only file system"
  local bad
  bad=$(awk '/^\// && $2 != 0' <<<"$output")
  [[ -z $bad ]] || fail "masked directories with content: $bad"
}

@test "masked: a file and a directory of the rootfs" {
  echo "s3cret-$CT" >"$ROOTFS/etc/secret"
  mkdir -p "$ROOTFS/opt/secretdir"
  echo hidden >"$ROOTFS/opt/secretdir/file"
  cfg '.linux.maskedPaths += ["/etc/secret", "/opt/secretdir"]'
  set_sh 'echo "[$(cat /etc/secret)]"; ls -A /opt/secretdir | wc -l'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'[]\n0'
  # Only masked inside.
  assert_eq "$(cat "$ROOTFS/etc/secret")" "s3cret-$CT"
}

@test "masked: a masked path that does not exist is ignored" {
  cfg '.linux.maskedPaths += ["/no/such/path"]'
  set_sh 'echo ran'
  runc run "$CT"
  assert_success
  assert_output_contains ran
}

@test "masked: a masked path cannot be unmounted by the container" {
  set_sh 'umount /proc/keys 2>&1; cat /proc/keys | wc -c'
  runc run "$CT"
  assert_eq "${lines[-1]}" 0
}

@test "readonly: /proc/sys and /proc/sysrq-trigger" {
  ns_add network
  set_sh 'echo 1 >/proc/sys/net/ipv4/ip_forward; test -e /proc/sysrq-trigger && echo h >/proc/sysrq-trigger
    grep -E " /proc/(sys|sysrq-trigger) " /proc/self/mountinfo'
  runc run "$CT"
  assert_output_contains "can't create /proc/sys/net/ipv4/ip_forward: Read-only file system"
  if [[ -e /proc/sysrq-trigger ]]; then
    assert_output_contains "can't create /proc/sysrq-trigger: Read-only file system"
  fi
  local l
  while read -r l; do
    [[ $(awk '{ print $6 }' <<<"$l") == ro,* ]] || fail "not read-only: $l"
  done < <(grep -E ' /proc/(sys|sysrq-trigger) ' <<<"$output")
}

@test "readonly: a directory of a writable rootfs" {
  cfg '.root.readonly = false | .linux.readonlyPaths += ["/data"]'
  mkdir -p "$ROOTFS/data" "$ROOTFS/other"
  set_sh 'touch /data/f; touch /other/f && echo other-ok'
  runc run "$CT"
  assert_output_contains "Read-only file system" other-ok
  [[ ! -e $ROOTFS/data/f ]] || fail "written under a readonly path"
  [[ -e $ROOTFS/other/f ]] || fail "the rest of the root is not writable"
}

@test "readonly: a readonly path that does not exist is ignored" {
  cfg '.linux.readonlyPaths += ["/no/such/path"]'
  set_sh 'echo ran'
  runc run "$CT"
  assert_success
  assert_output_contains ran
}
