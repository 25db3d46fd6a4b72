#!/bin/bash
# The systemd driver against a real systemd: a Debian rootfs with systemd,
# dbus and dbus-user-session (made with
#   debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,dbus-user-session,libpam-systemd bookworm DIR
# and named by $RT_SYSTEMD_ROOTFS, default /var/tmp/rt-sd/root) boots
# systemd as PID 1 in new PID, mount and cgroup namespaces, with a private
# cgroup2 mount rooted in a cgroup made for it; the driver runs inside
# and asks systemd for scopes over the system bus (root) and over a
# user's own bus (rootless).  requires: root, cgroup2, that rootfs.
. "$(dirname "$0")/lib.sh"
require_root
require_driver
R=${RT_SYSTEMD_ROOTFS:-/var/tmp/rt-sd/root}
# Built once per machine (a few minutes), then kept.
[ -x "$R/lib/systemd/systemd" ] || why=$("$(dirname "$0")/make-systemd-rootfs.sh" "$R" 2>&1) ||
  skip_all "no systemd rootfs at $R and it cannot be built here: $why"
U2=/sys/fs/cgroup/unified
[ "$(stat -f -c %T $U2 2>/dev/null)" = cgroup2fs ] || U2=/sys/fs/cgroup
[ "$(stat -f -c %T $U2)" = cgroup2fs ] || skip_all "no cgroup2 mount"

W=$(mktemp -d)
CG=$U2/rt-systemd-$$
SD=""
cleanup () {
  [ -n "$SD" ] && kill -9 "$SD" 2>/dev/null
  sleep 0.5
  [ -d "$CG" ] && { echo 1 > "$CG/cgroup.kill" 2>/dev/null; sleep 0.5; find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null; }
  umount -R "$R/opt/rt" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

# What the driver needs inside: itself and the libraries the rootfs lacks.
mkdir -p "$R/opt/rt" "$W/rt"
chmod 1777 "$W/rt"
cp "$D" "$W/rt/driver"
for lib in $(ldd "$D" | awk '/=> \// { print $3 }'); do
  [ -e "$R$lib" ] || cp "$lib" "$W/rt/"
done
cp "$(command -v busybox)" "$W/rt/busybox" 2>/dev/null
mount --bind "$W/rt" "$R/opt/rt"
chroot "$R" id rtuser > /dev/null 2>&1 || chroot "$R" useradd -m -u 1000 rtuser

mkdir "$CG"
# systemd gets its own cgroup namespace rooted at $CG, so everything it
# creates stays below it.
(
  echo $BASHPID > "$CG/cgroup.procs"
  exec unshare --pid --mount --cgroup --fork --kill-child env -i container=rt-test bash -c '
    R=$1
    mount --make-rprivate /
    mount --rbind "$R" "$R"
    mount -t proc proc "$R/proc"
    mount -t sysfs sysfs "$R/sys"
    mount -t cgroup2 cgroup2 "$R/sys/fs/cgroup"
    mount -t tmpfs tmpfs "$R/run"
    mount -t tmpfs tmpfs "$R/tmp"
    mount --rbind /dev "$R/dev"
    exec chroot "$R" /lib/systemd/systemd --unit=multi-user.target --log-target=kmsg' sh "$R"
) > "$W/boot.log" 2>&1 &
# The PID of systemd as the host sees it: the child of unshare.
U=$!
for i in $(seq 100); do
  SD=$(pgrep -P "$U" | head -1)
  [ -n "$SD" ] && [ "$(cat /proc/$SD/comm 2>/dev/null)" = systemd ] && break
  SD=""
  sleep 0.1
done
[ -n "$SD" ] || { cat "$W/boot.log"; skip_all "systemd did not start in the namespace"; }
# The namespace's root cgroup must be empty to hand controllers down:
# move unshare itself out, and give hugetlb (all the host's v2 has) to
# systemd's tree.
echo "$U" > "$U2/cgroup.procs"
echo +hugetlb > "$CG/cgroup.subtree_control" 2>/dev/null
inside () { nsenter -t "$SD" -a -r -w env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin:/opt/rt LD_LIBRARY_PATH=/opt/rt "$@"; }
for i in $(seq 150); do
  st=$(inside systemctl is-system-running 2>/dev/null)
  case "$st" in running|degraded) break ;; esac
  sleep 0.2
done
case "$st" in
  running|degraded) ok 0 "systemd is up ($st)" ;;
  *) ok 1 "systemd is up ($st)"; inside systemctl --failed --no-pager | head -20 | sed 's/^/# /'; done_testing; exit ;;
esac

# Root, over the system bus.  The nested cgroup2 only has the
# controllers the host left to v2 (hugetlb here), so the scope is made
# with a hugetlb limit, and the other resources go through an update:
# systemd takes the properties (checking runc's mapping and its D-Bus
# types for real), and the cgroupfs part then reports what the cgroup
# lacks.
cat > "$W/rt/res.json" <<'EOF2'
{"hugepageLimits": [{"pageSize": "2MB", "limit": 2097152}]}
EOF2
cat > "$W/rt/up.json" <<'EOF2'
{"memory": {"limit": 268435456}, "pids": {"limit": 99}, "cpu": {"shares": 2048, "quota": 50000, "period": 100000}}
EOF2
inside sh -c 'sleep 1000 & echo $! > /opt/rt/pid'
P=$(cat "$W/rt/pid")
out=$(inside driver --systemd-cgroup mgr-create /opt/rt/st1 ctr1 --systemd --pid "$P" --resources /opt/rt/res.json \
      --annotation org.systemd.property.CollectMode="'inactive-or-failed'" --annotation org.systemd.property.TimeoutStopSec="uint64 7" 2>&1)
ok $? "root: a scope through systemd ($out)"
is "$(inside systemctl is-active runc-ctr1.scope)" active "runc-ctr1.scope is active"
is "$(inside systemctl show -p Slice --value runc-ctr1.scope)" system.slice "in system.slice"
is "$(inside systemctl show -p Delegate --value runc-ctr1.scope)" yes "Delegate=yes"
is "$(inside systemctl show -p CollectMode --value runc-ctr1.scope)" inactive-or-failed "annotation CollectMode"
is "$(inside systemctl show -p TimeoutStopUSec --value runc-ctr1.scope)" 7s "annotation TimeoutStopSec -> TimeoutStopUSec"
inside grep -q "^0::/system.slice/runc-ctr1.scope$" "/proc/$P/cgroup"
ok $? "the process is in the scope"
if [ -f "$CG/system.slice/runc-ctr1.scope/hugetlb.2MB.max" ]; then
  is "$(cgval "$CG/system.slice/runc-ctr1.scope/hugetlb.2MB.max")" 2097152 "the cgroupfs part set hugetlb inside the scope"
fi
out=$(inside driver mgr-update /opt/rt/st1 /opt/rt/up.json 2>&1)
like "$out" "memory controller is not available" "update: the cgroupfs part names the missing controller"
is "$(inside systemctl show -p MemoryMax --value runc-ctr1.scope)" 268435456 "systemd took MemoryMax"
is "$(inside systemctl show -p TasksMax --value runc-ctr1.scope)" 99 "TasksMax"
is "$(inside systemctl show -p CPUWeight --value runc-ctr1.scope)" 174 "CPUWeight from 2048 shares"
is "$(inside systemctl show -p CPUQuotaPerSecUSec --value runc-ctr1.scope)" 500ms "CPUQuotaPerSecUSec"
is "$(inside systemctl show -p CPUQuotaPeriodUSec --value runc-ctr1.scope)" 100ms "CPUQuotaPeriodUSec"
inside driver mgr-destroy /opt/rt/st1; ok $? "destroy stops the unit"
inside systemctl is-active runc-ctr1.scope > /dev/null; ok $((! $?)) "the unit is gone"
[ ! -d "$CG/system.slice/runc-ctr1.scope" ]; ok $? "and its cgroup"

# A whole container with --systemd-cgroup: the init is put in the scope
# when it is entered (a scope cannot start empty), pause works through
# the scope's cgroup, delete stops the unit.
mkdir -p "$W/rt/bundle/rootfs/bin" "$W/rt/bundle/rootfs/proc"
cp "$(command -v busybox)" "$W/rt/bundle/rootfs/bin/busybox"
ln -s busybox "$W/rt/bundle/rootfs/bin/sleep"
cat > "$W/rt/bundle/config.json" <<'EOF2'
{"ociVersion": "1.2.0", "process": {"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["sleep", "1000"],
 "cwd": "/", "env": ["PATH=/bin"]}, "root": {"path": "rootfs"},
 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}], "cgroupsPath": "system.slice:rt:c1",
           "resources": {"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}}}
EOF2
# (the init keeps the stdio it was given: not a pipe we wait on)
inside sh -c 'driver --systemd-cgroup ctr-create /opt/rt/state c1 /opt/rt/bundle > /opt/rt/create.out 2>&1'
ok $? "create a container with --systemd-cgroup ($(cat "$W/rt/create.out"))"
inside sh -c 'driver ctr-start /opt/rt/state c1 > /dev/null 2>&1'; ok $? "start it"
CP=$(inside driver ctr-state /opt/rt/state c1 | cut -d' ' -f2)
is "$(inside systemctl is-active rt-c1.scope)" active "its unit rt-c1.scope is active"
inside grep -q "^0::/system.slice/rt-c1.scope$" "/proc/$CP/cgroup"; ok $? "the init is in the scope"
[ -f "$CG/system.slice/rt-c1.scope/hugetlb.2MB.max" ] && is "$(cgval "$CG/system.slice/rt-c1.scope/hugetlb.2MB.max")" 4194304 "its limit is set"
inside driver ctr-pause /opt/rt/state c1; ok $? "pause"
is "$(inside driver ctr-state /opt/rt/state c1 | cut -d' ' -f1)" paused "paused"
inside driver ctr-resume /opt/rt/state c1; ok $? "resume"
inside driver ctr-delete /opt/rt/state c1 --force; ok $? "delete --force"
inside systemctl is-active rt-c1.scope > /dev/null; ok $((! $?)) "the unit is gone"

# Rootless, over the user's own bus.
inside systemctl start user@1000.service; ok $? "start the user manager of rtuser"
for i in $(seq 50); do inside test -S /run/user/1000/bus && break; sleep 0.2; done
inside test -S /run/user/1000/bus; ok $? "the user bus exists"
inside setpriv --reuid=1000 --regid=1000 --clear-groups sh -c 'sleep 1000 & echo $! > /opt/rt/upid'
UP=$(cat "$W/rt/upid")
echo '{"pids": {"limit": 33}}' > "$W/rt/ures.json"
chmod 0644 "$W/rt/ures.json"
out=$(inside setpriv --reuid=1000 --regid=1000 --clear-groups env XDG_RUNTIME_DIR=/run/user/1000 \
      driver --rootless true --systemd-cgroup mgr-create /opt/rt/ust ctr2 --systemd --rootless --pid "$UP" \
      --resources /opt/rt/ures.json 2>&1)
ok $? "rootless: a scope through the user's systemd ($out)"
like "$out" "/user.slice/user-1000.slice/user@1000.service/user.slice/runc-ctr2.scope" \
  "placed in the user manager's user.slice"
inside grep -q "user@1000.service/user.slice/runc-ctr2.scope" "/proc/$UP/cgroup"; ok $? "the process is there"
inside setpriv --reuid=1000 --regid=1000 --clear-groups env XDG_RUNTIME_DIR=/run/user/1000 \
  driver mgr-destroy /opt/rt/ust; ok $? "the user removes it"
inside kill "$P" "$UP" 2>/dev/null
done_testing
