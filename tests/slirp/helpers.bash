# Shared setup for the runc-slirp integration tests (bats).
#
# Every test gets a fresh target: a `sleep` holding a new network namespace
# (rootless: in a new user namespace mapping the caller to root, the way a
# rootless container's init is), and tears down everything it started.
#
# Environment (set by run.sh):
#   RUNC_SLIRP        the helper under test
#   SLIRP_TEST_DNS    a loopback address where a test resolver answers
#                     test.example -> 192.0.2.55 (unset: DNS tests skip)

RUNC_SLIRP=${RUNC_SLIRP:-${TOP_BUILDDIR:-.}/runc-slirp}
# The system interpreter: a version manager's shim on PATH can take a
# second to start, which the timing of these tests does not need.
PYTHON=/usr/bin/python3
[ -x $PYTHON ] || PYTHON=python3

if [ "$(id -u)" = 0 ]; then
	MODE=root
	NSENTER_OPTS=(-n)
else
	MODE=rootless
	NSENTER_OPTS=(-U -n --preserve-credentials)
fi

# Processes to kill at teardown, in order.
CLEANUP_PIDS=()

setup() {
	WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/slirp-test.XXXXXX")
	start_target
}

teardown() {
	local p
	for p in "${CLEANUP_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${CLEANUP_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	CLEANUP_PIDS=()
	rm -rf "$WORK"
}

bg() { # run a command in the background, killed at teardown; sets BG_PID
	"$@" </dev/null 3>&- 4>&- &
	BG_PID=$!
	CLEANUP_PIDS=("$BG_PID" "${CLEANUP_PIDS[@]}")
}

start_target() {
	if [ $MODE = root ]; then
		bg unshare --net --fork sleep infinity
	else
		bg unshare --user --map-root-user --net --fork sleep infinity
	fi
	local parent=$BG_PID i
	TARGET_PID=""
	for i in $(seq 100); do
		TARGET_PID=$(pgrep -P "$parent" || true)
		if [ -n "$TARGET_PID" ] && [ "$(readlink /proc/"$TARGET_PID"/ns/net)" != "$(readlink /proc/self/ns/net)" ]; then
			CLEANUP_PIDS=("$TARGET_PID" "${CLEANUP_PIDS[@]}")
			return 0
		fi
		sleep 0.05
	done
	echo "could not start the target namespace" >&2
	return 1
}

in_ns() { nsenter -t "$TARGET_PID" "${NSENTER_OPTS[@]}" "$@"; }

# Start the helper on the target with extra options; waits for "1" on
# the ready fd.  Sets SLIRP_PID.
start_slirp() {
	: >"$WORK/ready"
	"$RUNC_SLIRP" --ready-fd 5 "$@" "$TARGET_PID" 5>"$WORK/ready" 2>"$WORK/slirp.err" </dev/null 3>&- 4>&- &
	SLIRP_PID=$!
	CLEANUP_PIDS=("$SLIRP_PID" "${CLEANUP_PIDS[@]}")
	local i
	for i in $(seq 200); do
		if [ "$(cat "$WORK/ready")" = 1 ]; then
			return 0
		fi
		if ! kill -0 "$SLIRP_PID" 2>/dev/null; then
			echo "runc-slirp exited before ready: $(cat "$WORK/slirp.err")" >&2
			return 1
		fi
		sleep 0.05
	done
	echo "runc-slirp not ready after 10s: $(cat "$WORK/slirp.err")" >&2
	return 1
}

# Wait up to 5 s for a process (not our child) to be gone.
wait_gone() {
	local i
	for i in $(seq 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

free_port() {
	"$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_listen [in_ns] PORT, wait_udp [in_ns] PORT: wait until something
# listens on TCP PORT, or a UDP socket is bound to PORT.
wait_listen() { wait_bound -t "$@"; }
wait_udp() { wait_bound -u "$@"; }
wait_bound() {
	local proto=$1 port=${!#} i
	shift
	set -- "${@:1:$(($# - 1))}"
	for i in $(seq 200); do
		"$@" ss -Hl${proto#-}n "sport = :$port" | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

# A web root whose index says `$1`.
web_root() {
	mkdir -p "$WORK/www"
	echo "$1" >"$WORK/www/index.html"
	chmod -R a+rX "$WORK"
}

# HTTP GET from inside the namespace; prints the body.
ns_get() { in_ns curl -sS -m 5 "$1"; }
host_get() { curl -sS -m 5 "$1"; }

# One request on the API socket, the way slirp4netns clients send it
# (write, shut down the write side, read the reply).
api() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode())
s.shutdown(socket.SHUT_WR)
out = b""
while True:
    b = s.recv(4096)
    if not b: break
    out += b
print(out.decode())
EOF
}

# A TCP server in the namespace on PORT that answers each connection with
# the peer address it sees, "ADDR PORT".
ns_peer_server() {
	bg nsenter -t "$TARGET_PID" "${NSENTER_OPTS[@]}" "$PYTHON" -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(8)
while True:
    c, peer = s.accept()
    c.sendall(("%s %d\n" % peer).encode())
    c.close()
' "$1"
	wait_listen in_ns "$1"
}

tcp_read() { # HOST PORT: connect, print what the server sends
	"$PYTHON" -c '
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
print(c.makefile().readline().strip())
' "$1" "$2"
}

host_ipv4() { # a non-loopback IPv4 address of the host, if any
	ip -4 -o addr show scope global | awk '{ split($4, a, "/"); print a[1]; exit }'
}
