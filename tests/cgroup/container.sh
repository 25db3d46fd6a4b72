#!/bin/bash
# The container commands that work through the cgroup (container.h:
# ps, pause, resume, update, events, kill --all, delete --force) on real
# containers created by the engine, on the host's layout.  requires:
# root, a static busybox for the rootfs.
. "$(dirname "$0")/lib.sh"
require_root
require_driver
BUSYBOX=$(command -v busybox) || skip_all "requires busybox for the test rootfs"
file -L "$BUSYBOX" 2>/dev/null | grep -q "statically linked" || skip_all "requires a static busybox"

W=$(mktemp -d)
ROOT=$W/state
cleanup () {
  for id in c1 c2 c3 c4 c5; do "$D" ctr-delete "$ROOT" $id --force > /dev/null 2>&1; done
  rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$W/b/rootfs/bin" "$W/b/rootfs/proc" "$W/b/rootfs/dev" "$W/b/rootfs/sys"
cp "$BUSYBOX" "$W/b/rootfs/bin/busybox"
for c in sh sleep cat dd true; do ln -s busybox "$W/b/rootfs/bin/$c"; done
# bundle BUNDLE-DIR RESOURCES-JSON ARGS-JSON
bundle () {
  mkdir -p "$1"
  [ -e "$1/rootfs" ] || ln -s "$W/b/rootfs" "$1/rootfs"
  python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
d, res, args = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
c = {
  "ociVersion": "1.2.0",
  "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "args": args, "cwd": "/",
              "env": ["PATH=/bin"]},
  "root": {"path": "rootfs"},
  "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"}],
  "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}],
            "resources": res},
}
json.dump(c, open(d + "/config.json", "w"))
EOF
}
state () { "$D" ctr-state "$ROOT" "$1" | cut -d' ' -f1; }
init_pid () { "$D" ctr-state "$ROOT" "$1" | cut -d' ' -f2; }
# A controller's directory for container ID, from its recorded state.
cgdir () { python3 -c "import json,sys; print(json.loads(json.load(open('$ROOT/$1/state.json'))['cgroup'])['paths'].get('$2', ''))"; }

bundle "$W/c1" '{"memory": {"limit": 67108864}, "pids": {"limit": 100}, "cpu": {"shares": 512}}' '["sleep", "1000"]'
"$D" ctr-create "$ROOT" c1 "$W/c1" 2>"$W/err"; ok $? "create ($(cat "$W/err"))"
is "$(state c1)" created "created"
P=$(init_pid c1)
is "$("$D" ctr-pids "$ROOT" c1)" "$P" "ps: the init"
"$D" ctr-pause "$ROOT" c1; ok $? "a created container can be paused"
is "$(state c1)" paused "state: paused"
"$D" ctr-resume "$ROOT" c1; ok $? "resume"
is "$(state c1)" created "created again"
"$D" ctr-start "$ROOT" c1; ok $? "start"
is "$(state c1)" running "running"

"$D" ctr-pause "$ROOT" c1; ok $? "pause"
is "$(state c1)" paused "paused"
"$D" ctr-pause "$ROOT" c1 2>"$W/err"; ok $((! $?)) "pausing twice fails"
is "$(cat "$W/err")" "error: container not running" "... as runc: container not running"
"$D" ctr-resume "$ROOT" c1; ok $? "resume"
is "$(state c1)" running "running"
"$D" ctr-resume "$ROOT" c1 2>"$W/err"; ok $((! $?)) "resuming a running container fails"
is "$(cat "$W/err")" "error: container not paused" "... as runc: container not paused"

# update with runc's flags; the stored config follows.
"$D" ctr-update "$ROOT" c1 --memory 128m --memory-swap 256M --cpu-quota 25000 --cpu-period 100000 --pids-limit 50 \
  --cpu-share 2048 2>"$W/err"
ok $? "update ($(cat "$W/err"))"
case "$("$D" mgr-path /dev/null memory 2>/dev/null)" in *) ;; esac
md=$(cgdir c1 memory) ; [ -n "$md" ] || md=$(cgdir c1 unified)
if [ -f "$md/memory.limit_in_bytes" ]; then
  is "$(cgval "$md/memory.limit_in_bytes")" 134217728 "memory.limit_in_bytes = 128m"
  is "$(cgval "$md/memory.memsw.limit_in_bytes")" 268435456 "memory.memsw.limit_in_bytes = 256M"
fi
cd_=$(cgdir c1 cpu)
if [ -f "$cd_/cpu.cfs_quota_us" ]; then
  is "$(cgval "$cd_/cpu.cfs_quota_us")" 25000 "cpu.cfs_quota_us"
  is "$(cgval "$cd_/cpu.shares")" 2048 "cpu.shares"
fi
pd=$(cgdir c1 pids); [ -f "$pd/pids.max" ] && is "$(cgval "$pd/pids.max")" 50 "pids.max"
stored=$(python3 -c "import json; r=json.load(open('$ROOT/c1/config.json'))['linux']['resources']; print(r['memory']['limit'], r['memory']['swap'], r['cpu']['quota'], r['cpu']['shares'], r['pids']['limit'])")
is "$stored" "134217728 268435456 25000 2048 50" "the stored config.json has the new values"
"$D" ctr-update "$ROOT" c1 --cpu-quota 30000 2>/dev/null; ok $? "quota alone (period kept)"
stored=$(python3 -c "import json; r=json.load(open('$ROOT/c1/config.json'))['linux']['resources']['cpu']; print(r['quota'], r['period'])")
is "$stored" "30000 100000" "stored: new quota, old period"
"$D" ctr-update "$ROOT" c1 --memory 12x 2>"$W/err"; ok $((! $?)) "a bad size is refused"
is "$(cat "$W/err")" "error: invalid value for memory: invalid suffix: 'x'" "... with runc's message"
echo '{"pids": {"limit": 77}, "memory": {"limit": 104857600}}' > "$W/r.json"
"$D" ctr-update "$ROOT" c1 -r "$W/r.json"; ok $? "update -r FILE"
[ -f "$pd/pids.max" ] && is "$(cgval "$pd/pids.max")" 77 "pids.max from the file"
"$D" ctr-update "$ROOT" c1 --l3-cache-schema "L3:0=f" 2>"$W/err"; ok $((! $?)) "l3 cache schema without RDT"
like "$(cat "$W/err")" "Intel RDT/CAT: l3 cache schema is not enabled" "runc's message"

# events --stats agrees with the files.
ev=$("$D" ctr-events "$ROOT" c1 --stats)
ok $? "events --stats"
get () { python3 -c "import json,sys; e=json.loads(sys.stdin.read()); print($1)" <<<"$ev"; }
is "$(get "e['type'], e['id']")" "stats c1" "a stats event for c1"
[ -f "$pd/pids.current" ] && is "$(get "e['data']['pids']['current']")" "$(cgval "$pd/pids.current")" "pids.current"
[ -f "$md/memory.limit_in_bytes" ] && is "$(get "e['data']['memory']['usage']['limit']")" 104857600 "memory limit"
n=$("$D" ctr-events "$ROOT" c1 --interval 200 --count 3 | grep -c '"type":"stats"')
is "$n" 3 "a stream of stats events"

# OOM events from a process that exceeds a tiny limit.
bundle "$W/c2" '{"memory": {"limit": 16777216, "swap": 16777216}}' \
  '["sh", "-c", "sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 1000"]'
"$D" ctr-create "$ROOT" c2 "$W/c2" && "$D" ctr-start "$ROOT" c2; ok $? "start a container that will hit its limit"
timeout 20 "$D" ctr-events "$ROOT" c2 --interval 10000 --count 1 > "$W/ev" 2>&1
like "$(cat "$W/ev")" '{"type":"oom","id":"c2"}' "an oom event"

# kill --all reaches every process.
bundle "$W/c3" '{}' '["sh", "-c", "sleep 1000 & sleep 1000 & wait"]'
"$D" ctr-create "$ROOT" c3 "$W/c3" && "$D" ctr-start "$ROOT" c3; ok $? "start a container with children"
sleep 0.3
n=$("$D" ctr-pids "$ROOT" c3 | wc -l)
is "$n" 3 "ps: init and two children"
"$D" ctr-kill "$ROOT" c3 9 --all; ok $? "kill --all"
for i in $(seq 50); do [ "$(state c3)" = stopped ] && break; sleep 0.1; done
is "$(state c3)" stopped "stopped"
is "$("$D" ctr-pids "$ROOT" c3)" "" "ps: nothing left"
"$D" ctr-update "$ROOT" c3 --pids-limit 5 2>"$W/err"; ok $((! $?)) "update of a stopped container fails"
is "$(cat "$W/err")" "error: container not running" "... container not running"
"$D" ctr-events "$ROOT" c3 --stats 2>"$W/err"; ok $((! $?)) "events of a stopped container fails"
is "$(cat "$W/err")" "error: container with id c3 is not running" "... as runc"

# events reads the interfaces of the container's network namespace.
if command -v ip > /dev/null && unshare -n ip link add v0 type veth peer name v1 2>/dev/null; then
  python3 - "$W/c1/config.json" "$W/c5" <<'EOF'
import json, os, sys
c = json.load(open(sys.argv[1]))
c["linux"]["namespaces"].append({"type": "network"})
os.makedirs(sys.argv[2], exist_ok=True)
json.dump(c, open(sys.argv[2] + "/config.json", "w"))
EOF
  ln -s "$W/b/rootfs" "$W/c5/rootfs"
  "$D" ctr-create "$ROOT" c5 "$W/c5" && "$D" ctr-start "$ROOT" c5; ok $? "a container with its own network namespace"
  nsenter -t "$(init_pid c5)" -n ip link add rtv0 type veth peer name rtv1
  ev=$("$D" ctr-events "$ROOT" c5 --stats)
  is "$(get "sorted(i['Name'] for i in e['data']['network_interfaces'])")" "['rtv0', 'rtv1']" \
    "network_interfaces: the container's interfaces but lo"
  "$D" ctr-delete "$ROOT" c5 --force
fi

# delete --force removes the cgroup.
paths=$(python3 -c "import json; print(' '.join(json.loads(json.load(open('$ROOT/c1/state.json'))['cgroup'])['paths'].values()))")
"$D" ctr-delete "$ROOT" c1 --force; ok $? "delete --force a running container"
left=""; for p in $paths; do [ -d "$p" ] && left="$left $p"; done
is "$left" "" "its cgroup is gone from every hierarchy"

# A create that fails once the cgroup exists leaves nothing behind.
bundle "$W/c4" '{"hugepageLimits": [{"pageSize": "3MB", "limit": 1}]}' '["true"]'
"$D" ctr-create "$ROOT" c4 "$W/c4" 2>"$W/err"; ok $((! $?)) "create with an invalid hugepage size fails"
like "$(cat "$W/err")" "invalid hugepage size" "... saying why"
left=$(ls -d /sys/fs/cgroup/*/c4 /sys/fs/cgroup/memory/*/*/c4 2>/dev/null)
is "$left" "" "no cgroup is left behind"
[ ! -d "$ROOT/c4" ]; ok $? "no state directory either"
done_testing
