#!/bin/bash
# User-mode networking benchmark: runc-slirp, slirp4netns and pasta side
# by side, in one run, on the same machine and MTU.
#
# For each backend a fresh network namespace (rootless: with its own user
# namespace) gets networking, then:
#   host->ctr   iperf3 TCP from the host to a server in the namespace,
#               through a port published on 127.0.0.1
#   ctr->host   iperf3 TCP from the namespace to a server on the host's
#               127.0.0.1, through the gateway (host loopback allowed)
#   RR          1-byte TCP request/response round trips (bench/net/rr.c),
#               both ways, mean and 99th percentile in microseconds
#
# Usage: bench/net.sh [-t SECONDS] [-n ROUNDTRIPS] [-m MTU] [-r ROUNDS] [-b BACKENDS]
#   BACKENDS: comma-separated, default
#   runc-slirp,slirp4netns,pasta,runc-slirp-no-rmem-fix
#   ROUNDS: the backends are measured in turn ROUNDS times (default 3) and
#   the median of each figure is shown, so that a burst of load from
#   elsewhere on the machine does not decide the comparison.
# Needs iperf3, slirp4netns, pasta (Debian: iperf3 slirp4netns passt),
# a C compiler and python3; a missing backend is reported and skipped.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
RUNC_SLIRP=${RUNC_SLIRP:-$here/../runc-slirp}
secs=10
count=20000
mtu=65520
rounds=3
backends=runc-slirp,slirp4netns,pasta,runc-slirp-no-rmem-fix
while getopts "t:n:m:r:b:h" opt; do
	case $opt in
	t) secs=$OPTARG ;;
	n) count=$OPTARG ;;
	m) mtu=$OPTARG ;;
	r) rounds=$OPTARG ;;
	b) backends=$OPTARG ;;
	*) sed -n '2,/^set -e/p' "$0" | sed 's/^# \{0,1\}//;/^set -e/d'; exit 2 ;;
	esac
done

for tool in iperf3 cc python3 unshare nsenter; do
	command -v $tool >/dev/null || { echo "net.sh: $tool is required" >&2; exit 1; }
done

# As root, run above the rest of the machine (every backend alike), so
# that other load disturbs the comparison less.
[ "$(id -u)" = 0 ] && renice -n -15 $$ >/dev/null

work=$(mktemp -d /tmp/netbench.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	umount -l "$work/netns" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
[ -n "${NETBENCH_KEEP:-}" ] && trap - EXIT
cc -O2 -o "$work/rr" "$here/net/rr.c"

# Ports on the host: published ones, and the servers for ctr->host.
PUB_IPERF=25201 PUB_RR=25202 HOST_IPERF=25301 HOST_RR=25302

if [ "$(id -u)" = 0 ]; then
	unshare_ns() { unshare --net --fork sleep infinity </dev/null >/dev/null 2>&1 & }
	nsenter_opts=(-n)
else
	unshare_ns() { unshare --user --map-root-user --net --fork sleep infinity </dev/null >/dev/null 2>&1 & }
	nsenter_opts=(-U -n --preserve-credentials)
fi

# A new namespace; sets ns_pid to the process holding it.  (Globals, not
# command substitution: $(...) would wait for the background processes.)
new_ns() {
	unshare_ns
	local parent=$!
	pids+=("$parent")
	ns_pid=""
	for _ in $(seq 100); do
		ns_pid=$(pgrep -P "$parent" || true)
		if [ -n "$ns_pid" ] && [ "$(readlink /proc/"$ns_pid"/ns/net)" != "$(readlink /proc/self/ns/net)" ]; then
			pids+=("$ns_pid")
			# An array rather than a function, so that `"${in_ns[@]}" cmd &`
			# leaves $! the very process to kill.
			in_ns=(nsenter -t "$ns_pid" "${nsenter_opts[@]}")
			return 0
		fi
		sleep 0.05
	done
	return 1
}

wait_file() { for _ in $(seq 200); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }
wait_port() { for _ in $(seq 200); do ss -Htln "sport = :$1" | grep -q . && return 0; sleep 0.05; done; return 1; }

api_add() { # SOCKET HOSTPORT GUESTPORT
	python3 - "$@" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(json.dumps({"execute": "add_hostfwd", "arguments": {"proto": "tcp", "host_addr": "127.0.0.1",
    "host_port": int(sys.argv[2]), "guest_addr": "10.0.2.100", "guest_port": int(sys.argv[3])}}).encode())
s.shutdown(socket.SHUT_WR)
r = json.loads(s.recv(4096))
if "error" in r: sys.exit("add_hostfwd: " + r["error"]["desc"])
EOF
}

# Start BACKEND for namespace PID; sets gw to the address the namespace
# reaches the host's loopback at.
start_backend() {
	local b=$1 pid=$2
	case $b in
	runc-slirp | runc-slirp-no-rmem-fix)
		[ -x "$RUNC_SLIRP" ] || return 1
		local extra=()
		[ "$b" = runc-slirp-no-rmem-fix ] && extra=(--no-tcp-rmem-fix)
		"$RUNC_SLIRP" --mtu "$mtu" --allow-host-loopback "${extra[@]}" \
			-p 127.0.0.1:$PUB_IPERF:5201 -p 127.0.0.1:$PUB_RR:7000 \
			--ready-fd 3 "$pid" 3>"$work/ready" 2>"$work/$b.log" &
		backend_pid=$!
		pids+=($!)
		wait_file "$work/ready" || return 1
		gw=10.0.2.2
		;;
	slirp4netns)
		command -v slirp4netns >/dev/null || return 1
		slirp4netns --configure --mtu "$mtu" --api-socket "$work/s4.sock" --ready-fd 3 \
			"$pid" tap0 3>"$work/ready" >"$work/$b.log" 2>&1 &
		backend_pid=$!
		pids+=($!)
		wait_file "$work/ready" || return 1
		api_add "$work/s4.sock" $PUB_IPERF 5201 && api_add "$work/s4.sock" $PUB_RR 7000 || return 1
		gw=10.0.2.2
		;;
	pasta)
		command -v pasta >/dev/null || return 1
		# Only the two published ports, no automatic forwarding either
		# way; the gateway address maps to the host's loopback.
		local target=("$pid")
		if [ "$(id -u)" = 0 ]; then
			# pasta isolates itself before joining; as root it can then
			# only join a namespace bound to a file, and must be told to
			# keep uid 0 rather than switch to nobody.
			touch "$work/netns"
			mount --bind "/proc/$pid/ns/net" "$work/netns"
			target=(--runas 0:0 --netns "$work/netns")
		fi
		pasta --config-net --foreground --quiet -m "$mtu" -t $PUB_IPERF:5201,$PUB_RR:7000 \
			-u none -T none -U none "${target[@]}" >"$work/$b.log" 2>&1 &
		backend_pid=$!
		pids+=($!)
		wait_port $PUB_IPERF || return 1
		gw=$("${in_ns[@]}" ip -4 route show default | awk '{print $3; exit}')
		;;
	*) echo "net.sh: unknown backend $b" >&2; return 1 ;;
	esac
}

# CPU time (clock ticks) the backend process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$backend_pid/stat"; }

iperf_mbits() { awk '/receiver/ { v = $(NF-2); u = $(NF-1) } END { if (u == "Gbits/sec") v *= 1000; if (u == "Kbits/sec") v /= 1000; print v + 0 }'; }

run_backend() {
	local b=$1 pid h2c c2h rr1 rr2 t0 t1 cpu
	rm -f "$work/ready"
	gw=""
	new_ns || { echo "net.sh: cannot create a network namespace" >&2; exit 1; }
	pid=$ns_pid
	if ! start_backend "$b" "$pid" || [ -z "$gw" ]; then
		echo "net.sh: $b unavailable or failed to start; skipped" >&2
		return 0
	fi
	"${in_ns[@]}" iperf3 -s -p 5201 >/dev/null 2>&1 &
	pids+=($!)
	"${in_ns[@]}" "$work/rr" server 7000 &
	pids+=($!)
	iperf3 -s -B 127.0.0.1 -p $HOST_IPERF >/dev/null 2>&1 &
	pids+=($!)
	"$work/rr" server $HOST_RR &
	pids+=($!)
	sleep 0.5

	t0=$(cpu_ticks)
	h2c=$(iperf3 -c 127.0.0.1 -p $PUB_IPERF -t "$secs" -f m 2>&1 | iperf_mbits)
	t1=$(cpu_ticks)
	# Backend CPU seconds per GB moved host->ctr: efficiency, which the
	# machine's load disturbs less than throughput.
	cpu=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v mb="$h2c" -v s="$secs" \
		'BEGIN { gb = mb * s / 8000; print (gb > 0 ? d / hz / gb : "-") }')
	c2h=$("${in_ns[@]}" iperf3 -c "$gw" -p $HOST_IPERF -t "$secs" -f m 2>&1 | iperf_mbits)
	rr1=$("$work/rr" client 127.0.0.1 $PUB_RR "$count" 1 || echo "- - -")
	rr2=$("${in_ns[@]}" "$work/rr" client "$gw" $HOST_RR "$count" 1 || echo "- - -")
	echo "$b $h2c $c2h $rr1 $rr2 $cpu" >>"$work/results"

	# Stop this backend's processes before the next one takes the ports.
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	pids=()
	umount -l "$work/netns" 2>/dev/null || true
}

echo "net.sh: MTU $mtu, iperf3 ${secs}s per direction, $count round trips, $rounds rounds," \
	"$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r)" >&2
: >"$work/results"
IFS=, read -ra list <<<"$backends"
for r in $(seq "$rounds"); do
	for b in "${list[@]}"; do
		echo "net.sh: round $r: $b" >&2
		run_backend "$b"
	done
done

python3 - "$work/results" <<'EOF'
import statistics, sys
def num(x):
    try: return float(x)
    except ValueError: return None
runs = {}
for l in open(sys.argv[1]):
    f = l.split()
    if f: runs.setdefault(f[0], []).append(f[1:])
def median(vals):
    vals = [v for v in map(num, vals) if v is not None]
    return "%g" % statistics.median(vals) if vals else "-"
rows = [[b] + [median(col) for col in zip(*rs)] for b, rs in runs.items()]
print("%-24s %10s %10s %20s %20s %10s" % ("backend", "host->ctr", "ctr->host", "RR host->ctr", "RR ctr->host",
                                          "CPU"))
print("%-24s %10s %10s %20s %20s %10s" % ("", "Gbit/s", "Gbit/s", "mean/p50/p99 us", "mean/p50/p99 us", "s/GB"))
for r in rows:
    print("%-24s %10.2f %10.2f %20s %20s %10s" % (r[0], (num(r[1]) or 0) / 1000, (num(r[2]) or 0) / 1000,
          "%s/%s/%s" % (r[3], r[4], r[5]), "%s/%s/%s" % (r[6], r[7], r[8]), r[9][:5]))
base = {r[0]: r for r in rows}
if "runc-slirp" in base:
    me = base["runc-slirp"]
    for other in ("slirp4netns", "pasta"):
        if other not in base: continue
        o = base[other]
        def ratio(i, inverse=False):
            a, b = num(me[i]), num(o[i])
            if not a or not b: return "  n/a"
            return "%5.2f" % ((b / a) if inverse else (a / b))
        print("runc-slirp vs %-11s throughput x%s (host->ctr) x%s (ctr->host); "
              "latency speed-up x%s (host->ctr) x%s (ctr->host)"
              % (other + ":", ratio(1), ratio(2), ratio(3, True), ratio(6, True)))
EOF
