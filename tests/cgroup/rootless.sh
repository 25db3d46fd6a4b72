#!/bin/bash
# Rootless in a delegated cgroup v2 subtree, as systemd's Delegate= makes
# one: the test (root) creates /rtdeleg-PID/user chowned to `nobody` with
# only hugetlb enabled for it, puts an unprivileged process in a leaf
# below, and drives the manager as that user.  requires: root (for the
# setup), cgroup2, setpriv.  Runs in a private pure-v2 mount namespace.
. "$(dirname "$0")/lib.sh"
require_root
require_driver
command -v setpriv > /dev/null || skip_all "requires setpriv(1)"
in_pure_v2

NOBODY=65534
W=$(mktemp -d)
chmod 0777 "$W"
TOP=/sys/fs/cgroup/rtdeleg-$$
cleanup () {
  echo $$ > /sys/fs/cgroup/cgroup.procs 2>/dev/null
  for st in "$W"/st*; do [ -f "$st" ] && "$D" mgr-destroy "$st" >/dev/null 2>&1; done
  [ -d "$TOP" ] && find "$TOP" -depth -type d -exec rmdir {} \; 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

# The delegation, as systemd does it: the directory and the files listed
# in /sys/kernel/cgroup/delegate belong to the user.
delegate () {
  mkdir -p "$1"
  chown "$NOBODY" "$1"
  for f in $(cat /sys/kernel/cgroup/delegate 2>/dev/null || echo cgroup.procs cgroup.subtree_control cgroup.threads); do
    [ -e "$1/$f" ] && chown "$NOBODY" "$1/$f"
  done
}
mkdir -p "$TOP"
grep -qw hugetlb /sys/fs/cgroup/cgroup.subtree_control || echo +hugetlb > /sys/fs/cgroup/cgroup.subtree_control
echo +hugetlb > "$TOP/cgroup.subtree_control"
delegate "$TOP/user"
delegate "$TOP/user/session"

# Run the driver as nobody, from inside the delegated leaf.
as_user () {
  sh -c "echo \$\$ > $TOP/user/session/cgroup.procs && exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \"\$@\"" \
    sh "$D" "$@"
}

cat > "$W/res.json" <<'EOF'
{"devices": [{"allow": false, "access": "rwm"}],
 "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
 "memory": {"limit": 67108864},
 "pids": {"limit": 100}}
EOF
chmod 0644 "$W/res.json"
out=$(as_user mgr-create "$W/st1" ctr --rootless --resources "$W/res.json" 2>"$W/err")
echo "# $(cat "$W/err")"
ok $? "rootless create in the delegated subtree ($(head -c 300 "$W/err"))"
C=$TOP/user/ctr
like "$out" "\"unified\":\"$C\"" "placed beside our own cgroup, under the delegated parent"
is "$(stat -c %u "$C")" "$NOBODY" "the cgroup belongs to the user"
is "$(cgval "$C/hugetlb.2MB.max")" 4194304 "the delegated controller's limit is applied"
is "$(grep -c '^warning:' "$W/err")" 1 "exactly one warning"
like "$(cat "$W/err")" "memory.limit (memory), pids.limit (pids)" "it names each dropped limit and its controller"
like "$(cat "$W/err")" "Delegate=memory pids" "it says how to delegate them"
is "$("$D" mgr-bpf-count "$W/st1")" 0 "no device filter for a rootless container (as runc)"

# The user can freeze, list and kill inside its own cgroup.
sleep 1000 & P=$!
echo "$P" > "$TOP/user/session/cgroup.procs"
chown "$NOBODY" /proc/$P 2>/dev/null
as_user mgr-enter "$W/st1" "$P" 2>"$W/err" || echo "$P" > "$C/cgroup.procs"
grep -qx "$P" "$C/cgroup.procs"; ok $? "a process in the container cgroup"
as_user mgr-freeze "$W/st1" 1; ok $? "the user freezes it"
is "$(as_user mgr-frozen "$W/st1")" frozen "frozen"
as_user mgr-freeze "$W/st1" 0; ok $? "and thaws it"
is "$(as_user mgr-pids "$W/st1")" "$P" "lists it"
as_user mgr-kill "$W/st1" 9; ok $? "kills everything (cgroup.kill)"
wait "$P" 2>/dev/null
as_user mgr-destroy "$W/st1"; ok $? "removes its cgroup"
[ ! -d "$C" ]; ok $? "gone"
rm -f "$W/st1"

# No delegation at all: a leaf owned by root, under a root-owned parent.
mkdir -p "$TOP/locked/leaf"
out=$(sh -c "echo \$\$ > $TOP/locked/leaf/cgroup.procs && exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \"\$@\"" \
        sh "$D" mgr-create "$W/st2" ctr2 --rootless 2>&1)
like "$out" "disabled:" "without permission the manager is disabled (the container may run without a cgroup)"
like "$out" "Permission denied" "... and says why"
[ ! -d "$TOP/locked/ctr2" ]; ok $? "nothing was created"

# A whole rootless container without cgroup access: no limits asked, so it
# runs without a cgroup (runc's rule), and ps still finds its processes.
if command -v busybox > /dev/null && file -L "$(command -v busybox)" | grep -q "statically linked"; then
  mkdir -p "$W/b/rootfs/bin" "$W/b/rootfs/proc"
  cp "$(command -v busybox)" "$W/b/rootfs/bin/busybox"
  ln -s busybox "$W/b/rootfs/bin/sh"
  ln -s busybox "$W/b/rootfs/bin/sleep"
  cfg () { # cfg RESOURCES
    cat <<EOF
{"ociVersion": "1.2.0", "process": {"terminal": false, "user": {"uid": 0, "gid": 0},
 "args": ["sh", "-c", "sleep 1000 & sleep 1000"], "cwd": "/", "env": ["PATH=/bin"]},
 "root": {"path": "rootfs"}, "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
 "linux": {"namespaces": [{"type": "user"}, {"type": "pid"}, {"type": "mount"}],
           "uidMappings": [{"containerID": 0, "hostID": $NOBODY, "size": 1}],
           "gidMappings": [{"containerID": 0, "hostID": $NOBODY, "size": 1}], "resources": $1}}
EOF
  }
  cfg '{}' > "$W/b/config.json"
  mkdir -p "$W/b/rootfs/dev"
  chown -R "$NOBODY:$NOBODY" "$W/b/rootfs"
  chmod -R a+rX "$W/b"
  as_locked () {
    sh -c "echo \$\$ > $TOP/locked/leaf/cgroup.procs && exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "\$@"" \
      sh "$D" --rootless auto "$@"
  }
  as_locked ctr-create "$W/state" r1 "$W/b" < /dev/null > "$W/create.out" 2>&1
  ok $? "rootless container without cgroup access and without limits is created ($(cat "$W/create.out"))"
  as_locked ctr-start "$W/state" r1 > /dev/null 2>&1; ok $? "and started"
  sleep 0.3
  pids=$(as_locked ctr-pids "$W/state" r1 | wc -l)
  is "$pids" 2 "ps without a cgroup: the init and its child"
  as_locked ctr-pause "$W/state" r1 2>"$W/err"; ok $((! $?)) "pause is impossible without a cgroup"
  like "$(cat "$W/err")" "has no cgroup" "... saying why"
  as_locked ctr-delete "$W/state" r1 --force; ok $? "delete --force"
  cfg '{"pids": {"limit": 10}}' > "$W/b/config.json"
  as_locked ctr-create "$W/state" r2 "$W/b" < /dev/null > "$W/create.out" 2>&1
  ok $((! $?)) "with a limit it fails"
  like "$(cat "$W/create.out")" "rootless needs no limits" "... with runc's reason"
fi

# The same without --rootless is a plain error.
out=$(sh -c "echo \$\$ > $TOP/locked/leaf/cgroup.procs && exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \"\$@\"" \
        sh "$D" mgr-create "$W/st3" ctr3 2>&1)
ok $((! $?)) "not rootless: a permission error fails"
like "$out" "create cgroup" "... naming what could not be created"
done_testing
