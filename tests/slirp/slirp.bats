#!/usr/bin/env bats
# runc-slirp: the network it gives a namespace, and how it ends.

load helpers

@test "configures lo, tap0 10.0.2.100/24, default route via 10.0.2.2, MTU 65520" {
	start_slirp
	run in_ns ip -o -4 addr show dev tap0
	[[ "$output" == *"inet 10.0.2.100/24 brd 10.0.2.255"* ]]
	run in_ns ip -o link show dev tap0
	[[ "$output" == *"mtu 65520"* ]]
	[[ "$output" == *"state UP"* || "$output" == *",UP,"* ]]
	run in_ns ip -4 route show default
	[ "$output" = "default via 10.0.2.2 dev tap0 " ] || [ "$output" = "default via 10.0.2.2 dev tap0" ]
	run in_ns ip -o link show dev lo
	[[ "$output" == *",UP"* ]]
}

@test "--mtu and --tap are applied" {
	start_slirp --mtu 1500 --tap eth0
	run in_ns ip -o link show dev eth0
	[[ "$output" == *"mtu 1500"* ]]
	run in_ns ip -o link show dev tap0
	[ "$status" -ne 0 ]
}

@test "the gateway answers and TCP leaves through the host" {
	start_slirp --allow-host-loopback
	run in_ns busybox ping -c 1 -W 3 10.0.2.2
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 packets received"* ]]
}

@test "the host's 127.0.0.1 is not reachable at 10.0.2.2 by default" {
	web_root "host loopback"
	port=$(free_port)
	bg busybox httpd -f -p 127.0.0.1:$port -h "$WORK/www"
	wait_listen "$port"
	start_slirp
	run ns_get "http://10.0.2.2:$port/"
	[ "$status" -ne 0 ]
	[[ "$output" != *"host loopback"* ]]
}

@test "--allow-host-loopback makes the host's 127.0.0.1 reachable at 10.0.2.2" {
	web_root "host loopback"
	port=$(free_port)
	bg busybox httpd -f -p 127.0.0.1:$port -h "$WORK/www"
	wait_listen "$port"
	start_slirp --allow-host-loopback
	run ns_get "http://10.0.2.2:$port/"
	[ "$status" -eq 0 ]
	[ "$output" = "host loopback" ]
}

@test "DNS at 10.0.2.3 answers through a resolver on the host loopback, host loopback disabled" {
	[ -n "${SLIRP_TEST_DNS:-}" ] || skip "no test resolver (needs root to bind port 53)"
	echo "nameserver $SLIRP_TEST_DNS" >"$WORK/resolv.conf"
	chmod a+r "$WORK/resolv.conf"
	start_slirp --resolv-conf "$WORK/resolv.conf"
	run in_ns busybox nslookup -type=a test.example 10.0.2.3
	[ "$status" -eq 0 ]
	[[ "$output" == *"Address: 192.0.2.55"* ]]
}

@test "10.0.2.3 serves DNS only: other ports do not reach the resolver's loopback host" {
	[ -n "${SLIRP_TEST_DNS:-}" ] || skip "no test resolver (needs root to bind port 53)"
	web_root "resolver host"
	port=$(free_port)
	bg busybox httpd -f -p "$SLIRP_TEST_DNS:$port" -h "$WORK/www"
	wait_listen "$port"
	echo "nameserver $SLIRP_TEST_DNS" >"$WORK/resolv.conf"
	chmod a+r "$WORK/resolv.conf"
	start_slirp --resolv-conf "$WORK/resolv.conf" --allow-host-loopback
	run ns_get "http://10.0.2.3:$port/"
	[ "$status" -ne 0 ]
	[[ "$output" != *"resolver host"* ]]
	# The same server is reachable the sanctioned way, so the refusal above
	# is the DNS address's doing.
	run host_get "http://$SLIRP_TEST_DNS:$port/"
	[ "$output" = "resolver host" ]
}

@test "a --resolv-conf that cannot be read is an error with errno text" {
	run "$RUNC_SLIRP" --resolv-conf "$WORK/missing" "$TARGET_PID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"$WORK/missing"*"No such file or directory"* ]]
}

@test "--publish forwards a host port to the container (tcp)" {
	web_root "from the container"
	port=$(free_port)
	start_slirp -p 127.0.0.1:$port:8080
	bg nsenter -t "$TARGET_PID" "${NSENTER_OPTS[@]}" busybox httpd -f -p 0.0.0.0:8080 -h "$WORK/www"
	wait_listen in_ns 8080
	run host_get "http://127.0.0.1:$port/"
	[ "$status" -eq 0 ]
	[ "$output" = "from the container" ]
}

udp_echo_in_ns() { # PORT: an echo server in the namespace
	bg nsenter -t "$TARGET_PID" "${NSENTER_OPTS[@]}" "$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
while True:
    d, peer = s.recvfrom(2048)
    s.sendto(b"echo:" + d, peer)
' "$1"
	wait_udp in_ns "$1"
}

udp_ask() { # HOST PORT: UDP may lose a datagram, so ask up to 3 times
	"$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for attempt in range(3):
    s.sendto(b"ping", (sys.argv[1], int(sys.argv[2])))
    try:
        print(s.recvfrom(2048)[0].decode())
        sys.exit(0)
    except socket.timeout:
        pass
sys.exit("no reply")
' "$1" "$2"
}

@test "--publish forwards udp" {
	hostip=$(host_ipv4)
	[ -n "$hostip" ] || skip "the host has no non-loopback IPv4 address to send from"
	port=$(free_port)
	start_slirp -p 0.0.0.0:$port:5353/udp
	udp_echo_in_ns 5353
	run udp_ask "$hostip" "$port"
	[ "$status" -eq 0 ]
	[ "$output" = "echo:ping" ]
}

# libslirp sends the replies of a UDP forward to a loopback client to
# 10.0.2.2, and refuses that address when host loopback is disabled.
@test "--publish udp from the host's loopback answers with --allow-host-loopback" {
	port=$(free_port)
	start_slirp --allow-host-loopback -p 127.0.0.1:$port:5353/udp
	udp_echo_in_ns 5353
	run udp_ask 127.0.0.1 "$port"
	[ "$status" -eq 0 ]
	[ "$output" = "echo:ping" ]
}

@test "--publish keeps the client's source address (loopback clients appear as 10.0.2.2)" {
	hostip=$(host_ipv4)
	[ -n "$hostip" ] || skip "the host has no non-loopback IPv4 address to connect from"
	port=$(free_port)
	start_slirp -p 0.0.0.0:$port:9000
	ns_peer_server 9000
	run tcp_read "$hostip" "$port"
	[ "$status" -eq 0 ]
	[ "${output%% *}" = "$hostip" ]
	run tcp_read 127.0.0.1 "$port"
	[ "${output%% *}" = "10.0.2.2" ]
}

@test "--pid-watch: the helper exits when the target process exits" {
	start_slirp --pid-watch
	kill "$TARGET_PID"
	wait_gone "$SLIRP_PID"
	wait "$SLIRP_PID" && rc=0 || rc=$?
	[ "$rc" -eq 0 ]
}

@test "--pid-watch with --netns is a usage error" {
	run "$RUNC_SLIRP" --pid-watch --netns "/proc/$TARGET_PID/ns/net"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--pid-watch needs a PID"* ]]
}

@test "--exit-fd: the helper exits when the fd is closed" {
	mkfifo "$WORK/exit"
	: >"$WORK/ready"
	"$RUNC_SLIRP" --ready-fd 5 --exit-fd 6 "$TARGET_PID" 5>"$WORK/ready" 6<"$WORK/exit" 3>&- &
	pid=$!
	CLEANUP_PIDS=("$pid" "${CLEANUP_PIDS[@]}")
	exec 7>"$WORK/exit"
	for i in $(seq 100); do [ "$(cat "$WORK/ready")" = 1 ] && break; sleep 0.05; done
	[ "$(cat "$WORK/ready")" = 1 ]
	kill -0 "$pid"
	exec 7>&-
	wait_gone "$pid"
	wait "$pid"
}

@test "-6 adds fd00::100/64 and a default route via fd00::2" {
	start_slirp -6
	run in_ns ip -o -6 addr show dev tap0
	[[ "$output" == *"inet6 fd00::100/64"* ]]
	run in_ns ip -6 route show default
	[[ "$output" == *"default via fd00::2 dev tap0"* ]]
	run in_ns busybox ping -6 -c 1 -W 3 fd00::2
	[ "$status" -eq 0 ]
}

@test "-6 --publish [::1]:PORT forwards to the container's fd00::100" {
	web_root "over IPv6"
	port=$(free_port)
	start_slirp -6 -p "[::1]:$port:8080"
	bg nsenter -t "$TARGET_PID" "${NSENTER_OPTS[@]}" busybox httpd -f -p "[::]:8080" -h "$WORK/www"
	wait_listen in_ns 8080
	run host_get "http://[::1]:$port/"
	[ "$status" -eq 0 ]
	[ "$output" = "over IPv6" ]
}

@test "the namespace's tcp_rmem default is lowered to 87380, unless --no-tcp-rmem-fix" {
	before=$(in_ns cat /proc/sys/net/ipv4/tcp_rmem | awk '{print $2}')
	[ "$before" = 131072 ] || skip "this kernel's default tcp_rmem is $before, not 131072"
	start_slirp
	run in_ns cat /proc/sys/net/ipv4/tcp_rmem
	[ "$(echo "$output" | awk '{print $2}')" = 87380 ]

	kill "$SLIRP_PID"
	start_target
	start_slirp --no-tcp-rmem-fix
	run in_ns cat /proc/sys/net/ipv4/tcp_rmem
	[ "$(echo "$output" | awk '{print $2}')" = 131072 ]
}

@test "errors carry errno text: a PID that does not exist" {
	run "$RUNC_SLIRP" 2147483646
	[ "$status" -eq 1 ]
	[[ "$output" == *"open process 2147483646: No such process"* ]]
}

@test "errors carry errno text: a second helper on the same namespace" {
	start_slirp
	run "$RUNC_SLIRP" "$TARGET_PID"
	[ "$status" -eq 1 ]
	[[ "$output" == *"create tap device \`tap0\`: Device or resource busy"* ]]
}

@test "errors carry errno text: --netns on something that is not a network namespace" {
	run "$RUNC_SLIRP" --netns /proc/self/ns/user
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not a network namespace"* ]]
	run "$RUNC_SLIRP" --netns "$WORK/nothing"
	[ "$status" -eq 1 ]
	[[ "$output" == *"No such file or directory"* ]]
}

@test "--netns PATH works like PID" {
	start_target
	: >"$WORK/ready"
	"$RUNC_SLIRP" --ready-fd 5 --netns "/proc/$TARGET_PID/ns/net" 5>"$WORK/ready" 2>"$WORK/err" 3>&- &
	CLEANUP_PIDS=("$!" "${CLEANUP_PIDS[@]}")
	for i in $(seq 100); do [ "$(cat "$WORK/ready")" = 1 ] && break; sleep 0.05; done
	[ "$(cat "$WORK/ready")" = 1 ]
	run in_ns ip -o -4 addr show dev tap0
	[[ "$output" == *"10.0.2.100/24"* ]]
}

@test "--netns with an explicit --userns" {
	: >"$WORK/ready"
	"$RUNC_SLIRP" --ready-fd 5 --netns "/proc/$TARGET_PID/ns/net" --userns "/proc/$TARGET_PID/ns/user" \
		5>"$WORK/ready" 2>"$WORK/err" 3>&- 4>&- &
	CLEANUP_PIDS=("$!" "${CLEANUP_PIDS[@]}")
	for i in $(seq 100); do [ "$(cat "$WORK/ready")" = 1 ] && break; sleep 0.05; done
	# Root mode: the target shares our own user namespace, which is then
	# simply not entered.
	[ "$(cat "$WORK/ready")" = 1 ]
	run in_ns ip -o -4 addr show dev tap0
	[[ "$output" == *"10.0.2.100/24"* ]]
}

@test "root: a target in its own user namespace is configured without entering it" {
	[ $MODE = root ] || skip "root only"
	kill "$TARGET_PID"
	bg unshare --user --map-root-user --net --fork sleep infinity
	parent=$BG_PID
	for i in $(seq 100); do TARGET_PID=$(pgrep -P "$parent") && break; sleep 0.05; done
	sleep 0.2
	CLEANUP_PIDS=("$TARGET_PID" "${CLEANUP_PIDS[@]}")
	start_slirp
	run nsenter -t "$TARGET_PID" -U -n ip -o -4 addr show dev tap0
	[[ "$output" == *"10.0.2.100/24"* ]]
}
