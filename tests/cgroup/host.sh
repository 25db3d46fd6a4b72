#!/bin/bash
# The cgroupfs driver on the host's own layout (on the development machine
# a v1/v2 hybrid: v1 controllers, hugetlb on the unified hierarchy).
# requires: root.  Creates cgroups under /rtcgtest-PID in every hierarchy
# and removes them.
. "$(dirname "$0")/lib.sh"
require_root
require_driver

W=$(mktemp -d)
TOP=/rtcgtest-$$
PIDS=()
cleanup () {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  for st in "$W"/st*; do [ -f "$st" ] && "$D" mgr-destroy "$st" >/dev/null 2>&1; done
  for h in /sys/fs/cgroup/*/; do [ -d "$h$TOP" ] && find "$h$TOP" -depth -type d -exec rmdir {} \; 2>/dev/null; done
  [ -d "/sys/fs/cgroup$TOP" ] && rmdir "/sys/fs/cgroup$TOP" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

# Where a controller lives for a manager: "v1 DIR", "v2 DIR" or "none".
where () { "$D" mgr-path "$1" "$2"; }
dir_of () { where "$1" "$2" | cut -d' ' -f2; }

DEV=$(awk 'NR > 2 && $2 == 0 { print $1 ":" $2; exit }' /proc/partitions)
MAJ=${DEV%:*}
cat > "$W/res.json" <<EOF
{
 "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}],
 "memory": {"limit": 268435456, "reservation": 134217728, "swap": 536870912, "swappiness": 10},
 "cpu": {"shares": 512, "quota": 50000, "period": 100000, "burst": 10000, "cpus": "0", "mems": "0", "idle": 0},
 "pids": {"limit": 42},
 "blockIO": {"throttleReadBpsDevice": [{"major": $MAJ, "minor": 0, "rate": 1048576}],
             "throttleWriteIOPSDevice": [{"major": $MAJ, "minor": 0, "rate": 300}]},
 "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]
}
EOF

out=$("$D" mgr-create "$W/st1" t1 --path "$TOP/t1" --resources "$W/res.json" 2>"$W/err")
ok $? "create a cgroup with every resource ($(cat "$W/err"))"

# Every value read back from the file the controller's hierarchy uses.
check () { # check CONTROLLER V1FILE V1WANT V2FILE V2WANT
  local w d f want
  w=$(where "$W/st1" "$1")
  d=${w#* }
  case "$w" in
    v1*) f=$2 want=$3 ;;
    v2*) f=$4 want=$5 ;;
    *) echo "# $1: not on this host"; return ;;
  esac
  [ -n "$f" ] || return
  is "$(cgval "$d/$f")" "$want" "$1: $f"
}
check memory memory.limit_in_bytes 268435456 memory.max 268435456
check memory memory.soft_limit_in_bytes 134217728 memory.low 134217728
check memory memory.memsw.limit_in_bytes 536870912 memory.swap.max 268435456
check memory memory.swappiness 10 "" ""
check cpu cpu.shares 512 cpu.weight 59
check cpu cpu.cfs_quota_us 50000 cpu.max "50000 100000"
check cpu cpu.cfs_period_us 100000 "" ""
check cpu cpu.cfs_burst_us 10000 cpu.max.burst 10000
check cpu cpu.idle 0 cpu.idle 0
check cpuset cpuset.cpus 0 cpuset.cpus 0
check cpuset cpuset.mems 0 cpuset.mems 0
check pids pids.max 42 pids.max 42
check blkio blkio.throttle.read_bps_device "$MAJ:0 1048576" "" ""
check blkio blkio.throttle.write_iops_device "$MAJ:0 300" "" ""
check hugetlb hugetlb.2MB.limit_in_bytes 4194304 hugetlb.2MB.max 4194304
check hugetlb "" "" hugetlb.2MB.rsvd.max 4194304

# The device rules: on v1 the kernel's own list, and a real open.
case "$(where "$W/st1" devices)" in
  v1*)
    devs=$(cgval "$(dir_of "$W/st1" devices)/devices.list")
    is "$devs" "c 1:11 w c *:* m b *:* m c 1:3 rwm c 1:8 rwm c 1:7 rwm c 5:0 rwm c 1:5 rwm c 1:9 rwm c 136:* rwm c 5:2 rwm c 10:200 rwm" \
      "devices: config rules, then runc's defaults"
    ;;
esac
sh -c 'read x < /dev/null; exec sleep 1000' & P=$!; PIDS+=("$P")
sleep 0.2
"$D" mgr-enter "$W/st1" "$P"
ok $? "a process joins every hierarchy"
for h in memory cpu pids devices; do
  d=$(dir_of "$W/st1" $h)
  grep -qx "$P" "$d/cgroup.procs"; ok $? "... it is in $h"
done
nsenter -t "$P" -a true 2>/dev/null
# Device checks run as a child of the member, in its cgroup.
echo $$ > /dev/null
sh -c "echo \$\$ > $(dir_of "$W/st1" devices)/cgroup.procs; exec cat /dev/kmsg" > /dev/null 2>"$W/kmsg" </dev/null & K=$!
wait $K
like "$(cat "$W/kmsg")" "Operation not permitted" "reading /dev/kmsg is denied (write-only rule)"
sh -c "echo \$\$ > $(dir_of "$W/st1" devices)/cgroup.procs; head -c 4 /dev/zero | wc -c" > "$W/zero" 2>&1
is "$(cat "$W/zero")" 4 "reading /dev/zero is allowed (runc's defaults)"

# Statistics agree with the files.
stats=$("$D" mgr-stats "$W/st1")
ok $? "stats"
get () { python3 -c "import json,sys; d=json.load(sys.stdin)['data']; print($1)" <<<"$stats"; }
is "$(get "d['pids']['current']")" "$(cgval "$(dir_of "$W/st1" pids)/pids.current")" "stats pids.current = pids.current"
is "$(get "d['pids']['limit']")" 42 "stats pids.limit = pids.max"
case "$(where "$W/st1" memory)" in
  v1*)
    md=$(dir_of "$W/st1" memory)
    is "$(get "d['memory']['usage']['limit']")" "$(cgval "$md/memory.limit_in_bytes")" "stats memory limit = file"
    is "$(get "d['memory']['swap']['limit']")" "$(cgval "$md/memory.memsw.limit_in_bytes")" "stats memsw limit = file"
    is "$(get "d['memory']['raw']['hierarchical_memory_limit']")" 268435456 "stats memory.raw from memory.stat"
    ;;
esac
case "$(where "$W/st1" cpuacct)" in
  v1*) "$D" mgr-freeze "$W/st1" 1
       stats=$("$D" mgr-stats "$W/st1")
       is "$(get "d['cpu']['usage'].get('total', 0)")" "$(cgval "$(dir_of "$W/st1" cpuacct)/cpuacct.usage")" "stats cpu total = cpuacct.usage"
       "$D" mgr-freeze "$W/st1" 0 ;;
esac
is "$(get "list(d['hugetlb'].keys())")" "['2MB']" "hugetlb stats keyed by page size"
is "$(get "'intel_rdt' in d and d['network_interfaces'] is None")" True "intel_rdt {} and network_interfaces null, as runc"

# Freeze and thaw a process that counts.
sh -c "echo \$\$ > $(dir_of "$W/st1" freezer)/cgroup.procs; i=0; while :; do i=\$((i+1)); echo \$i > $W/count; sleep 0.05; done" & C=$!; PIDS+=("$C")
sleep 0.3
"$D" mgr-enter "$W/st1" "$C"
"$D" mgr-freeze "$W/st1" 1; ok $? "freeze"
is "$("$D" mgr-frozen "$W/st1")" frozen "reported frozen"
a=$(count "$W/count"); sleep 0.5; b=$(count "$W/count")
is "$b" "$a" "a frozen process makes no progress"
"$D" mgr-freeze "$W/st1" 0; ok $? "thaw"
is "$("$D" mgr-frozen "$W/st1")" thawed "reported thawed"
sleep 0.4; c=$(count "$W/count")
[ "$c" -gt "$b" ]; ok $? "it runs again ($b -> $c)"

# Update: grow memory above the old memsw, then shrink (the write order
# matters on v1); quota alone.
cat > "$W/up.json" <<EOF
{"memory": {"limit": 805306368, "swap": 1073741824}, "cpu": {"quota": 20000, "period": 100000}, "pids": {"limit": -1}}
EOF
"$D" mgr-update "$W/st1" "$W/up.json" 2>"$W/err"; ok $? "update: grow memory past the old memsw ($(cat "$W/err"))"
check memory memory.limit_in_bytes 805306368 memory.max 805306368
check memory memory.memsw.limit_in_bytes 1073741824 memory.swap.max 268435456
check cpu cpu.cfs_quota_us 20000 cpu.max "20000 100000"
check pids pids.max max pids.max max
echo '{"memory": {"limit": 33554432, "swap": 67108864}}' > "$W/down.json"
"$D" mgr-update "$W/st1" "$W/down.json"; ok $? "update: shrink memory below the old limit"
check memory memory.limit_in_bytes 33554432 memory.max 33554432
check memory memory.memsw.limit_in_bytes 67108864 memory.swap.max 33554432
echo '{"memory": {"limit": 4096, "checkBeforeUpdate": true}}' > "$W/check.json"
"$D" mgr-update "$W/st1" "$W/check.json" 2>"$W/err"
ok $((! $?)) "checkBeforeUpdate refuses a limit below the usage"
like "$(cat "$W/err")" "rejecting memory limit 4096 <= usage" "... with runc's message"

# Kill everything: several processes, some forking.
sh -c "echo \$\$ > $(dir_of "$W/st1" pids)/cgroup.procs; sleep 1000 & sleep 1000 & wait" & K=$!; PIDS+=("$K")
sleep 0.3
"$D" mgr-enter "$W/st1" "$K"
n=$("$D" mgr-pids "$W/st1" | wc -l)
[ "$n" -ge 4 ]; ok $? "pids lists every process ($n)"
"$D" mgr-kill "$W/st1" 9; ok $? "kill all with SIGKILL"
for i in $(seq 50); do [ -z "$("$D" mgr-pids "$W/st1")" ] && break; sleep 0.1; done
is "$("$D" mgr-pids "$W/st1")" "" "no process is left"
wait 2>/dev/null

# A signal other than SIGKILL goes through freeze-signal-thaw, and a
# paused cgroup stays paused.
sh -c 'trap "echo got > '"$W"'/term; exit 0" TERM; while :; do sleep 0.1; done' & S=$!; PIDS+=("$S")
sleep 0.2; "$D" mgr-enter "$W/st1" "$S"
"$D" mgr-kill "$W/st1" 15; ok $? "kill all with SIGTERM"
for i in $(seq 30); do [ -f "$W/term" ] && break; sleep 0.1; done
is "$(cat "$W/term" 2>/dev/null)" got "the trap ran"
is "$("$D" mgr-frozen "$W/st1")" thawed "the cgroup is thawed again"

# OOM: a tiny limit, a process that exceeds it, the event.
echo '{"memory": {"limit": 16777216, "swap": 16777216}}' > "$W/oom.json"
"$D" mgr-create "$W/st2" t2 --path "$TOP/t2" --resources "$W/oom.json" > /dev/null; ok $? "create a 16M cgroup"
"$D" mgr-oom "$W/st2" 20 > "$W/oom.out" & O=$!
for i in $(seq 50); do grep -q watching "$W/oom.out" 2>/dev/null && break; sleep 0.1; done
sh -c "echo \$\$ > $(dir_of "$W/st2" memory)/cgroup.procs; exec python3 -c 'a = bytearray(200000000)'" 2>/dev/null
is "$?" 137 "the hog was killed"
wait $O
like "$(cat "$W/oom.out")" "oom 1" "an OOM event is reported"
stats=$("$D" mgr-stats "$W/st2")
case "$(where "$W/st2" memory)" in
  v1*) [ "$(get "d['memory']['usage'].get('failcnt', 0)")" -gt 0 ] || [ "$(cgval "$(dir_of "$W/st2" memory)/memory.oom_control" | grep -o 'oom_kill [0-9]*')" = "oom_kill 1" ]
       ok $? "the kernel counted it" ;;
esac

# Limits whose controller is missing: root fails for what has a v2 form,
# warns for network (no v2 equivalent, runc ignores it).
echo '{"rdma": {"mlx5_0": {"hcaHandles": 3}}}' > "$W/rdma.json"
if [ "$(where "$W/st1" rdma)" = none ]; then
  "$D" mgr-update "$W/st1" "$W/rdma.json" 2>"$W/err"
  "$D" mgr-create "$W/st3" t3 --path "$TOP/t3" --resources "$W/rdma.json" > /dev/null 2>"$W/err"
  ok $((! $?)) "rdma without an rdma controller fails"
  like "$(cat "$W/err")" "the rdma controller is not available" "... saying so"
  for h in /sys/fs/cgroup/*/; do [ -d "$h$TOP/t3" ] && echo "left: $h$TOP/t3"; done > "$W/left"
  is "$(cat "$W/left")" "" "... and leaves no cgroup behind"
fi
echo '{"network": {"classID": 1048577}}' > "$W/net.json"
if [ "$(where "$W/st1" net_cls)" = none ]; then
  "$D" mgr-update "$W/st1" "$W/net.json" 2>"$W/err"
  "$D" mgr-create "$W/st4" t4 --path "$TOP/t4" --resources "$W/net.json" > /dev/null 2>"$W/err"
  ok $? "network without net_cls succeeds"
  like "$(cat "$W/err")" "warning: linux.resources: network.classID ignored" "... with a warning"
  "$D" mgr-destroy "$W/st4"
fi

# unified on a hybrid host: keys of controllers on the unified hierarchy.
if [ "$(where "$W/st1" hugetlb | cut -c1-2)" = v2 ] && [ "$(where "$W/st1" memory | cut -c1-2)" = v1 ]; then
  echo '{"unified": {"hugetlb.2MB.max": "8388608"}}' > "$W/uni.json"
  "$D" mgr-update "$W/st1" "$W/uni.json"; ok $? "unified key of a controller on the unified hierarchy"
  is "$(cgval "$(dir_of "$W/st1" hugetlb)/hugetlb.2MB.max")" 8388608 "... written"
  echo '{"unified": {"memory.high": "8388608"}}' > "$W/uni2.json"
  "$D" mgr-update "$W/st1" "$W/uni2.json" 2>"$W/err"; ok $((! $?)) "unified key of a v1 controller fails"
  like "$(cat "$W/err")" "controller \"memory\" not available" "... with runc's message"
fi

# Realtime: a child may only get RT time its parent has.
if [ "$(where "$W/st1" cpu | cut -c1-2)" = v1 ] && [ -f /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
  cpu=$(dirname "$(dir_of "$W/st1" cpu)")
  echo 20000 > "$cpu/cpu.rt_runtime_us"
  echo '{"cpu": {"realtimeRuntime": 5000, "realtimePeriod": 500000}}' > "$W/rt.json"
  "$D" mgr-update "$W/st1" "$W/rt.json" 2>"$W/err"; ok $? "cpu realtime ($(cat "$W/err"))"
  check cpu cpu.rt_period_us 500000 "" ""
  check cpu cpu.rt_runtime_us 5000 "" ""
fi

# Destroy removes the cgroup from every hierarchy.
for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null
paths=$(for h in memory cpu pids freezer devices; do dir_of "$W/st1" $h; done)
"$D" mgr-destroy "$W/st1"; ok $? "destroy"
left=""; for p in $paths; do [ -d "$p" ] && left="$left $p"; done
is "$left" "" "no directory is left"
"$D" mgr-destroy "$W/st1"; ok $? "destroying twice is fine"
rm -f "$W/st1"
done_testing
