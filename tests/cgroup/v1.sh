#!/bin/bash
# The cgroupfs driver on a v1-only layout: in a private mount namespace,
# /sys/fs/cgroup is rebuilt with the host's v1 hierarchies and no cgroup2
# mount, plus a net_cls,net_prio hierarchy (which the host leaves
# unmounted) for the network limits.  requires: root, v1 hierarchies.
. "$(dirname "$0")/lib.sh"
require_root
require_driver

if [ "${CGROUP_VIEW:-}" != v1 ]; then
  [ -d /sys/fs/cgroup/memory ] && [ "$(stat -f -c %T /sys/fs/cgroup/memory)" = cgroupfs ] \
    || skip_all "requires v1 cgroup hierarchies on the host"
  command -v unshare > /dev/null || skip_all "requires unshare(1)"
  ctrls=$(awk '$1 ~ /^(cpu|cpuacct|cpuset|memory|devices|freezer|blkio|pids)$/ && $2 != 0 { print $1 }' /proc/cgroups)
  exec unshare -m env CGROUP_VIEW=v1 CTRLS="$ctrls" bash -c '
    mount --make-rprivate / && umount -R /sys/fs/cgroup && mount -t tmpfs -o mode=755 none /sys/fs/cgroup || exit 1
    for c in $CTRLS; do mkdir /sys/fs/cgroup/$c && mount -t cgroup -o $c none /sys/fs/cgroup/$c || exit 1; done
    mkdir /sys/fs/cgroup/net_cls,net_prio && mount -t cgroup -o net_cls,net_prio none /sys/fs/cgroup/net_cls,net_prio \
      || rmdir /sys/fs/cgroup/net_cls,net_prio
    exec bash "$0"' "$0"
fi

W=$(mktemp -d)
TOP=/rtcgtest-$$
PIDS=()
cleanup () {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  for st in "$W"/st*; do [ -f "$st" ] && "$D" mgr-destroy "$st" >/dev/null 2>&1; done
  for h in /sys/fs/cgroup/*/; do [ -d "$h$TOP" ] && find "$h$TOP" -depth -type d -exec rmdir {} \; 2>/dev/null; done
  rm -rf "$W"
}
trap cleanup EXIT
dir_of () { "$D" mgr-path "$1" "$2" | cut -d' ' -f2; }

[ ! -e /sys/fs/cgroup/unified ] && [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ]; ok $? "a v1-only view"

echo '{"memory": {"limit": 33554432}, "pids": {"limit": 7}, "cpu": {"shares": 256}}' > "$W/res.json"
out=$("$D" mgr-create "$W/st1" t1 --path "$TOP/t1" --resources "$W/res.json" 2>"$W/err")
ok $? "create ($(cat "$W/err"))"
case "$out" in *unified*) ok 1 "no unified hierarchy is used" ;; *) ok 0 "no unified hierarchy is used" ;; esac
is "$(cgval "$(dir_of "$W/st1" memory)/memory.limit_in_bytes")" 33554432 "memory.limit_in_bytes"
is "$(cgval "$(dir_of "$W/st1" pids)/pids.max")" 7 "pids.max"
is "$(cgval "$(dir_of "$W/st1" cpu)/cpu.shares")" 256 "cpu.shares"

if [ -d "/sys/fs/cgroup/net_cls,net_prio" ]; then
  echo '{"network": {"classID": 1048577, "priorities": [{"name": "lo", "priority": 5}]}}' > "$W/net.json"
  "$D" mgr-create "$W/st2" t2 --path "$TOP/t2" --resources "$W/net.json" > /dev/null 2>"$W/err"
  ok $? "network limits ($(cat "$W/err"))"
  n=$(dir_of "$W/st2" net_cls)
  is "$(cgval "$n/net_cls.classid")" 1048577 "net_cls.classid"
  grep -qx "lo 5" "$n/net_prio.ifpriomap"; ok $? "net_prio.ifpriomap has lo 5"
  "$D" mgr-destroy "$W/st2"; ok $? "destroy"
  rm -f "$W/st2"
fi

echo '{"unified": {"memory.high": "1000000"}}' > "$W/uni.json"
"$D" mgr-update "$W/st1" "$W/uni.json" 2>"$W/err"; ok $((! $?)) "unified refused without cgroup v2"
like "$(cat "$W/err")" "cgroup v2 not enabled on this host, can't use cgroup v2 unified resources" "runc's message"
echo '{"hugepageLimits": [{"pageSize": "2MB", "limit": 1048576}]}' > "$W/huge.json"
if [ "$("$D" mgr-path "$W/st1" hugetlb)" = none ]; then
  "$D" mgr-create "$W/st3" t3 --path "$TOP/t3" --resources "$W/huge.json" > /dev/null 2>"$W/err"
  ok $((! $?)) "hugetlb without its hierarchy fails"
  like "$(cat "$W/err")" "the hugetlb controller is not available" "... saying so"
fi

sleep 1000 & P=$!; PIDS+=("$P")
"$D" mgr-enter "$W/st1" "$P"; ok $? "join"
"$D" mgr-freeze "$W/st1" 1; ok $? "freeze (freezer.state)"
is "$(cgval "$(dir_of "$W/st1" freezer)/freezer.state")" FROZEN "FROZEN"
"$D" mgr-freeze "$W/st1" 0; ok $? "thaw"
"$D" mgr-kill "$W/st1" 9; ok $? "kill all"
wait "$P" 2>/dev/null; is "$?" 137 "killed by SIGKILL"
"$D" mgr-destroy "$W/st1"; ok $? "destroy"
rm -f "$W/st1"
done_testing
