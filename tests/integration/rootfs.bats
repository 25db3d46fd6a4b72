#!/usr/bin/env bats
# The container's filesystem: the default spec's mounts, bind mounts and
# their options, propagation, a read-only root, --no-pivot, hostname,
# domainname and sysctls.

load helpers

MI='cat /proc/self/mountinfo'

# `expect_opts MOUNTPOINT OPT...`: the mount's per-mount options hold each OPT.
expect_opts ()
{
  local mp=$1 o opts
  shift
  opts=$(mnt_opts "$mp")
  [[ -n $opts ]] || { fail "no mount at $mp in: $output"; return 1; }
  for o in "$@"; do
    has_opt "$opts" "$o" || fail "$mp is mounted with '$opts', without $o"
  done
}

# `expect_fstype MOUNTPOINT TYPE`
expect_fstype () { assert_eq "$(mnt_fstype "$1")" "$2" "filesystem at $1"; }

# A host directory the container may write, whatever ids it runs with.
shared_dir ()
{
  mkdir -p "$TEST_DIR/${1:-shared}"
  chmod 0777 "$TEST_DIR/${1:-shared}"
}

@test "rootfs: the default spec's mounts" {
  set_sh "$MI"
  runc run "$CT"
  assert_success
  expect_fstype /proc proc
  expect_fstype /dev tmpfs
  expect_opts /dev nosuid
  has_opt "$(mnt_superopts /dev)" mode=755 || fail "/dev superblock: $(mnt_superopts /dev)"
  expect_fstype /dev/pts devpts
  expect_opts /dev/pts nosuid noexec
  has_opt "$(mnt_superopts /dev/pts)" ptmxmode=666 || fail "/dev/pts: $(mnt_superopts /dev/pts)"
  has_opt "$(mnt_superopts /dev/pts)" mode=620 || fail "/dev/pts: $(mnt_superopts /dev/pts)"
  expect_fstype /dev/shm tmpfs
  expect_opts /dev/shm nosuid nodev noexec
  expect_fstype /dev/mqueue mqueue
  expect_opts /dev/mqueue nosuid nodev noexec
  expect_fstype /sys sysfs
  expect_opts /sys ro nosuid nodev noexec
}

@test "rootfs: /sys/fs/cgroup is mounted read-only" {
  set_sh "$MI"
  runc run "$CT"
  assert_success
  local lines_cg bad
  lines_cg=$(awk '$5 == "/sys/fs/cgroup" || index($5, "/sys/fs/cgroup/") == 1' <<<"$output")
  [[ -n $lines_cg ]] || fail "nothing mounted at /sys/fs/cgroup"
  # Every cgroup filesystem there is read-only (a tmpfs holding v1 mounts may be rw).
  bad=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { t = $(i + 1); break } }
             t ~ /^cgroup2?$/ && ("," $6 ",") !~ /,ro,/' <<<"$lines_cg")
  [[ -z $bad ]] || fail "writable cgroup mounts: $bad"
}

@test "rootfs: the root is the bundle's rootfs, read-only as configured" {
  set_sh "$MI; cat /etc/fixture-release; touch /newfile"
  runc run "$CT"
  assert_failure
  assert_output_contains rootfs-fixture "Read-only file system"
  expect_opts / ro
  [[ ! -e $ROOTFS/newfile ]] || fail "file created on a read-only root"
}

@test "rootfs: a writable root writes through to the bundle" {
  cfg '.root.readonly = false'
  set_sh "$MI; echo written >/newfile"
  runc run "$CT"
  assert_success
  expect_opts / rw
  assert_eq "$(cat "$ROOTFS/newfile")" written
}

@test "rootfs: root.path may be absolute" {
  mv "$ROOTFS" "$TEST_DIR/elsewhere"
  cfg '.root.path = $p' --arg p "$TEST_DIR/elsewhere"
  set_sh 'cat /etc/fixture-release'
  runc run "$CT"
  assert_success
  assert_output_contains rootfs-fixture
}

@test "bind: a host directory, read-write, written through to the host" {
  shared_dir
  echo from-host >"$TEST_DIR/shared/in"
  add_bind "$TEST_DIR/shared" /shared
  set_sh "$MI; cat /shared/in; echo from-container >/shared/out"
  runc run "$CT"
  assert_success
  assert_output_contains from-host
  expect_opts /shared rw
  assert_eq "$(cat "$TEST_DIR/shared/out")" from-container
}

@test "bind: ro makes it read-only" {
  shared_dir
  add_bind "$TEST_DIR/shared" /shared ro
  set_sh "$MI; echo x >/shared/out"
  runc run "$CT"
  assert_failure
  assert_output_contains "Read-only file system"
  expect_opts /shared ro
  [[ ! -e $TEST_DIR/shared/out ]] || fail "written through a ro bind"
}

@test "bind: nosuid, nodev, noexec are applied" {
  # busybox picks the applet from its name: copies named "echo".
  shared_dir
  cp "$ROOTFS/bin/busybox" "$TEST_DIR/shared/echo"
  add_bind "$TEST_DIR/shared" /shared nosuid nodev noexec
  shared_dir exec
  cp "$ROOTFS/bin/busybox" "$TEST_DIR/exec/echo"
  add_bind "$TEST_DIR/exec" /exec
  set_sh "$MI; /exec/echo exec-ok; /shared/echo noexec-ran"
  runc run "$CT"
  assert_output_contains exec-ok "Permission denied"
  refute_output_contains noexec-ran
  expect_opts /shared nosuid nodev noexec
}

@test "bind: a single file" {
  echo "file-content-$CT" >"$TEST_DIR/single"
  chmod 0644 "$TEST_DIR/single"
  add_bind "$TEST_DIR/single" /etc/single-file ro
  set_sh 'cat /etc/single-file'
  runc run "$CT"
  assert_success
  assert_eq "$output" "file-content-$CT"
}

@test "bind: a missing destination is created inside the rootfs" {
  shared_dir
  echo x >"$TEST_DIR/file"
  chmod 0644 "$TEST_DIR/file"
  add_bind "$TEST_DIR/shared" /new/dir/deep
  add_bind "$TEST_DIR/file" /new/file
  set_sh 'test -d /new/dir/deep && test -f /new/file && echo made'
  runc run "$CT"
  assert_success
  assert_output_contains made
  [[ -d $ROOTFS/new/dir/deep && -f $ROOTFS/new/file ]] || fail "destinations not in the rootfs"
}

@test "bind: rbind brings the submounts, bind does not" {
  requires root
  mkdir -p "$TEST_DIR/tree/sub"
  mount -t tmpfs -o size=1m rt-sub "$TEST_DIR/tree/sub"
  track_mount "$TEST_DIR/tree/sub"
  echo in-submount >"$TEST_DIR/tree/sub/file"
  add_bind "$TEST_DIR/tree" /rtree rbind
  add_bind "$TEST_DIR/tree" /ptree
  set_sh 'cat /rtree/sub/file; cat /ptree/sub/file; echo end'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'in-submount\ncat: can\'t open \'/ptree/sub/file\': No such file or directory\nend'
}

@test "bind: a missing source fails cleanly, naming it" {
  add_bind "$TEST_DIR/no-such-source" /x
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains "$TEST_DIR/no-such-source"
  assert_nothing_left
}

@test "mount: tmpfs with size and mode" {
  add_mount /scratch tmpfs tmpfs size=1m mode=700 nosuid
  set_sh "$MI; stat -c %a /scratch"
  runc run "$CT"
  assert_success
  expect_fstype /scratch tmpfs
  expect_opts /scratch nosuid
  has_opt "$(mnt_superopts /scratch)" size=1024k || fail "superblock: $(mnt_superopts /scratch)"
  assert_eq "${lines[-1]}" 700
}

@test "mount: an unknown filesystem type fails cleanly" {
  add_mount /x rt-no-such-fs none
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_nothing_left
}

# ---- propagation ----------------------------------------------------------

# A host directory that is a shared mount, bound into the container at
# /prop with the given options.
shared_source ()
{
  shared_dir src
  mount --bind "$TEST_DIR/src" "$TEST_DIR/src"
  track_mount "$TEST_DIR/src"
  mount --make-shared "$TEST_DIR/src"
  add_bind "$TEST_DIR/src" /prop "$@"
}

@test "propagation: rprivate, rslave, rshared on a bind mount" {
  requires root
  shared_source rprivate
  set_sh "$MI"
  runc run "$CT"
  assert_success
  [[ $(mnt_propagation /prop) != *shared:* && $(mnt_propagation /prop) != *master:* ]] \
    || fail "rprivate mount has '$(mnt_propagation /prop)'"

  cfg '.mounts |= map(if .destination == "/prop" then .options = ["rbind", "rslave"] else . end)'
  runc run "$CT-b"
  assert_success
  [[ $(mnt_propagation /prop) == *master:* ]] || fail "rslave mount has '$(mnt_propagation /prop)'"

  cfg '.mounts |= map(if .destination == "/prop" then .options = ["rbind", "rshared"] else . end)'
  runc run "$CT-c"
  assert_success
  [[ $(mnt_propagation /prop) == *shared:* ]] || fail "rshared mount has '$(mnt_propagation /prop)'"
}

@test "propagation: a host mount reaches an rslave bind mount" {
  requires root
  shared_source rslave
  set_sh 'echo ready; while ! test -e /prop/late/file; do sleep 0.1; done; cat /prop/late/file'
  run_detached
  wait_for_output "$CT" ready
  mkdir -p "$TEST_DIR/src/late"
  mount -t tmpfs -o size=1m rt-late "$TEST_DIR/src/late"
  track_mount "$TEST_DIR/src/late"
  echo propagated >"$TEST_DIR/src/late/file"
  wait_for_output "$CT" propagated
}

@test "rootfsPropagation: private, shared, unbindable (runc >= 1.2)" {
  requires root
  set_sh "$MI"
  cfg '.linux.rootfsPropagation = "private"'
  runc run "$CT"
  assert_success
  [[ -z $(mnt_propagation /) ]] || fail "private root has '$(mnt_propagation /)'"

  cfg '.linux.rootfsPropagation = "shared"'
  runc run "$CT-b"
  assert_success
  [[ $(mnt_propagation /) == *shared:* ]] || fail "shared root has '$(mnt_propagation /)'"

  cfg '.linux.rootfsPropagation = "unbindable"'
  runc run "$CT-c"
  assert_success
  [[ $(mnt_propagation /) == *unbindable* ]] || fail "unbindable root has '$(mnt_propagation /)'"
}

@test "rootfsPropagation: an invalid value is refused" {
  cfg '.linux.rootfsPropagation = "sideways"'
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_nothing_left
}

# ---- --no-pivot -----------------------------------------------------------

@test "--no-pivot: the rootfs and its mounts are set up the same" {
  shared_dir
  add_bind "$TEST_DIR/shared" /shared
  set_sh "$MI; cat /etc/fixture-release; echo through >/shared/f"
  runc run --no-pivot "$CT"
  assert_success
  assert_output_contains rootfs-fixture
  expect_fstype /proc proc
  expect_opts / ro
  assert_eq "$(cat "$TEST_DIR/shared/f")" through
}

# ---- hostname, domainname, sysctl -----------------------------------------

@test "uts: hostname" {
  cfg '.hostname = "rt-hostname"'
  set_cmd hostname
  runc run "$CT"
  assert_success
  assert_eq "$output" rt-hostname
}

@test "uts: domainname (runc >= 1.2)" {
  cfg '.domainname = "rt.example"'
  set_sh 'cat /proc/sys/kernel/domainname'
  runc run "$CT"
  assert_success
  assert_eq "$output" rt.example
}

@test "sysctl: namespaced keys are set inside only" {
  requires root
  ns_add network
  cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4321", "net.ipv4.tcp_syncookies": "0"}'
  set_sh 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax /proc/sys/net/ipv4/tcp_syncookies'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'1\n4321\n0'
  [[ $(cat /proc/sys/kernel/msgmax) != 4321 ]] || fail "the host's msgmax changed"
}

@test "sysctl: a key outside the container's namespaces is refused" {
  cfg '.linux.sysctl = {"vm.swappiness": "10"}'
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains vm.swappiness
  assert_nothing_left
}

@test "sysctl: a net key without a network namespace is refused" {
  ns_remove network
  cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains net.ipv4.ip_forward
  assert_nothing_left
}
