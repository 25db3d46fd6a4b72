#!/usr/bin/env bats
# runc-slirp: the slirp4netns-compatible API socket, checked with real
# connections through the forwards it creates.

load helpers

setup() {
	WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/slirp-test.XXXXXX")
	start_target
	web_root "served in the namespace"
	start_slirp --api-socket "$WORK/api.sock"
	bg nsenter -t "$TARGET_PID" "${NSENTER_OPTS[@]}" busybox httpd -f -p 0.0.0.0:80 -h "$WORK/www"
	wait_listen in_ns 80
}

served() { # HOSTPORT: is the namespace's web server reachable through it?
	run host_get "http://127.0.0.1:$1/"
	[ "$status" -eq 0 ] && [ "$output" = "served in the namespace" ]
}

add_fwd() { # HOSTPORT -> prints the reply
	api "$WORK/api.sock" "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"tcp\", \"host_addr\": \"127.0.0.1\", \"host_port\": $1, \"guest_addr\": \"10.0.2.100\", \"guest_port\": 80}}"
}

@test "the API socket is private to its owner" {
	[ "$(stat -c %a "$WORK/api.sock")" = 600 ]
	[ "$(stat -c %u "$WORK/api.sock")" = "$(id -u)" ]
}

@test "add_hostfwd opens a working forward and returns its id" {
	port=$(free_port)
	run served "$port"
	[ "$status" -ne 0 ]
	run add_fwd "$port"
	[ "$output" = '{"return":{"id":1}}' ]
	served "$port"
}

@test "list_hostfwd lists forwards with slirp4netns's fields" {
	p1=$(free_port)
	add_fwd "$p1"
	p2=$(free_port)
	api "$WORK/api.sock" "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"udp\", \"host_port\": $p2, \"guest_port\": 53}}"
	run api "$WORK/api.sock" '{"execute": "list_hostfwd"}'
	[ "$output" = "{\"return\":{\"entries\":[{\"id\":1,\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\",\"host_port\":$p1,\"guest_addr\":\"10.0.2.100\",\"guest_port\":80},{\"id\":2,\"proto\":\"udp\",\"host_addr\":\"0.0.0.0\",\"host_port\":$p2,\"guest_addr\":\"10.0.2.100\",\"guest_port\":53}]}}" ]
}

@test "remove_hostfwd closes the forward; the id is then unknown" {
	port=$(free_port)
	add_fwd "$port"
	served "$port"
	run api "$WORK/api.sock" '{"execute": "remove_hostfwd", "arguments": {"id": 1}}'
	[ "$output" = '{"return":{}}' ]
	run served "$port"
	[ "$status" -ne 0 ]
	run api "$WORK/api.sock" '{"execute": "remove_hostfwd", "arguments": {"id": 1}}'
	[[ "$output" == '{"error":{"desc":"remove_hostfwd: no forward with id 1"}}' ]]
	run api "$WORK/api.sock" '{"execute": "list_hostfwd"}'
	[ "$output" = '{"return":{"entries":[]}}' ]
}

@test "a port already in use is refused with errno text, and the helper keeps serving" {
	port=$(free_port)
	add_fwd "$port"
	run add_fwd "$port"
	[[ "$output" == '{"error":{"desc":"add_hostfwd: add tcp forward 127.0.0.1:'"$port"' to 10.0.2.100:80: Address already in use"}}' ]]
	served "$port"
}

@test "bad requests get an error reply" {
	run api "$WORK/api.sock" 'not json'
	[[ "$output" == '{"error":{"desc":"request: invalid JSON'* ]]
	run api "$WORK/api.sock" '{"execute": "shutdown"}'
	[[ "$output" == *'unknown execute `shutdown`'* ]]
	run api "$WORK/api.sock" '{"execute": "add_hostfwd", "arguments": {"proto": "tcp", "host_port": 1, "guest_port": 80, "guest_addr": "8.8.8.8"}}'
	[[ "$output" == *"guest_addr must be in 10.0.2.0/24"* ]]
}

@test "a client that keeps its write side open still gets its reply" {
	run "$PYTHON" - "$WORK/api.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(3)
s.connect(sys.argv[1])
s.sendall(b'{"execute": "list_hostfwd"}')
print(s.recv(4096).decode())
PY
	[ "$status" -eq 0 ]
	[ "$output" = '{"return":{"entries":[]}}' ]
}

@test "a silent client does not block others" {
	"$PYTHON" - "$WORK/api.sock" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"execute": ')
time.sleep(8)
PY
	silent=$!
	CLEANUP_PIDS=("$silent" "${CLEANUP_PIDS[@]}")
	sleep 1
	run timeout 4 "$PYTHON" - "$WORK/api.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"execute": "list_hostfwd"}')
s.shutdown(socket.SHUT_WR)
print(s.recv(4096).decode())
PY
	[ "$status" -eq 0 ]
	[ "$output" = '{"return":{"entries":[]}}' ]
}
