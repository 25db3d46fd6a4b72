#!/usr/bin/env bats
# Namespaces: each type made new, or joined by path, or shared with the host.

load helpers

# The /proc/self/ns name of each config type.
declare -gA NSFILE=([pid]=pid [network]=net [ipc]=ipc [uts]=uts [mount]=mnt [cgroup]=cgroup [time]=time [user]=user)

# `ns_inside TYPE...`: run the container and set NS_IN[type] to the
# namespace link the container process sees.
declare -gA NS_IN
ns_inside ()
{
  local t script=''
  for t in "$@"; do
    script+="echo $t=\$(readlink /proc/self/ns/${NSFILE[$t]}); "
  done
  set_sh "$script"
  runc run "$CT-ns$RANDOM"
  assert_success
  NS_IN=()
  for t in "$@"; do
    NS_IN[$t]=$(sed -n "s/^$t=//p" <<<"$output")
    [[ -n ${NS_IN[$t]} ]] || fail "no $t namespace line in: $output"
  done
}

host_ns () { readlink "/proc/self/ns/${NSFILE[$1]}"; }

@test "namespaces: the config's pid, network, ipc, uts, mount are new" {
  # (runc's rootless spec leaves the network namespace out: add it back)
  ns_add network
  ns_inside pid network ipc uts mount
  local t
  for t in pid network ipc uts mount; do
    [[ ${NS_IN[$t]} != "$(host_ns "$t")" ]] || fail "$t namespace is the host's: ${NS_IN[$t]}"
  done
}

@test "namespaces: a new cgroup namespace" {
  requires cgroupns
  ns_add cgroup
  ns_inside cgroup
  [[ ${NS_IN[cgroup]} != "$(host_ns cgroup)" ]] || fail "cgroup namespace is the host's"
  # The container's own cgroup is its root.
  set_sh 'cat /proc/self/cgroup'
  runc run "$CT"
  assert_success
  grep -E '^0::' <<<"$output" | grep -qx '0::/' || fail "cgroup2 path inside is not /: $output"
}

@test "namespaces: a new time namespace with offsets (runc >= 1.2)" {
  requires timens
  ns_add time
  cfg '.linux.timeOffsets = {"boottime": {"secs": 31536000, "nanosecs": 0}, "monotonic": {"secs": 86400, "nanosecs": 0}}'
  ns_inside time
  [[ ${NS_IN[time]} != "$(host_ns time)" ]] || fail "time namespace is the host's"
  set_sh 'cut -d. -f1 /proc/uptime'
  runc run "$CT"
  assert_success
  local host_up
  host_up=$(cut -d. -f1 /proc/uptime)
  ((output >= 31536000 + host_up - 5)) || fail "uptime inside $output, host $host_up: boottime offset not applied"
}

@test "namespaces: pid 1 inside, and only the container's processes" {
  set_sh 'echo pid=$$; ls -d /proc/[0-9]* | wc -l'
  runc run "$CT"
  assert_success
  assert_output_contains "pid=1"
  local n
  n=$(tail -1 <<<"$output")
  ((n <= 3)) || fail "$n processes visible in the container"
}

@test "namespaces: a new network namespace has lo and none of the host's interfaces" {
  ns_add network
  set_sh 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
  runc run "$CT"
  assert_success
  assert_output_contains lo
  # (a new namespace may hold kernel-made devices such as ifb0: compare
  # with the host's interfaces that carry routes)
  local ifc
  for ifc in $(awk 'NR > 1 { print $1 }' /proc/net/route | sort -u); do
    grep -qx "$ifc" <<<"$output" && fail "host interface $ifc is in the container"
  done
  return 0
}

@test "namespaces: a type not listed is shared with the runtime" {
  requires root
  ns_remove network
  ns_remove ipc
  ns_remove uts
  cfg 'del(.hostname)'
  ns_inside network ipc uts
  local t
  for t in network ipc uts; do
    assert_eq "${NS_IN[$t]}" "$(host_ns "$t")" "$t namespace"
  done
}

@test "namespaces: uts gets the hostname" {
  cfg '.hostname = "rt-host-name"'
  set_sh 'hostname; cat /proc/sys/kernel/hostname'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'rt-host-name\nrt-host-name'
}

# ---- joining by path --------------------------------------------------------

# `check_join TYPE UNSHARE-FLAG`: a holder in a new namespace of TYPE; the
# container joins it by path and must see the same namespace.
check_join ()
{
  local type=$1 flag=$2 holder
  hold_ns "$flag"
  holder=$HOLDER
  ns_join "$type" "/proc/$holder/ns/${NSFILE[$type]}"
  ns_inside "$type"
  assert_eq "${NS_IN[$type]}" "$(readlink "/proc/$holder/ns/${NSFILE[$type]}")" "joined $type namespace"
  [[ ${NS_IN[$type]} != "$(host_ns "$type")" ]] || fail "the holder's $type namespace is the host's"
}

@test "namespaces: join a network namespace by path" {
  requires root
  check_join network --net
}

@test "namespaces: join an ipc namespace by path" {
  requires root
  check_join ipc --ipc
}

@test "namespaces: join a uts namespace by path" {
  requires root
  cfg 'del(.hostname)'
  check_join uts --uts
}

@test "namespaces: join a cgroup namespace by path" {
  requires root cgroupns
  check_join cgroup --cgroup
}

@test "namespaces: join a mount namespace by path" {
  requires root
  # One container only: its pivot_root changes the joined namespace.
  hold_ns --mount
  ns_join mount "/proc/$HOLDER/ns/mnt"
  set_sh 'readlink /proc/self/ns/mnt; cat /etc/fixture-release'
  runc run "$CT"
  assert_success
  # The rootfs is set up inside the joined namespace.
  assert_eq "$output" "$(readlink "/proc/$HOLDER/ns/mnt")"$'\n'rootfs-fixture
}

@test "namespaces: join a pid namespace by path" {
  requires root
  local child
  hold_ns --pid --fork --kill-child --mount-proc
  child=$HOLDER
  ns_join pid "/proc/$child/ns/pid"
  set_sh 'readlink /proc/self/ns/pid; cat /proc/1/cmdline | tr "\0" " "; echo; echo me=$$'
  runc run "$CT"
  assert_success
  assert_output_contains "$(readlink "/proc/$child/ns/pid")" "sleep 1000"
  refute_output_contains "me=1"
}

@test "namespaces: join a time namespace by path (runc >= 1.2)" {
  requires root timens
  local holder
  hold_ns --time
  holder=$HOLDER
  ns_join time "/proc/$holder/ns/time"
  ns_inside time
  assert_eq "${NS_IN[time]}" "$(readlink "/proc/$holder/ns/time")" "joined time namespace"
}

@test "namespaces: a namespace path that does not exist fails cleanly" {
  ns_join network /nonexistent/netns
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains /nonexistent/netns
  assert_nothing_left
}

@test "namespaces: a path to a namespace of another type fails cleanly" {
  requires root
  local holder
  hold_ns --ipc
  holder=$HOLDER
  ns_join network "/proc/$holder/ns/ipc"
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_nothing_left
}
