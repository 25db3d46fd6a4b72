#!/usr/bin/env bats
# runc-slirp: the sandbox is really in place once it says ready, and it
# still works from inside it.

load helpers

status_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

@test "after ready: seccomp filter, no capabilities, no_new_privs" {
	start_slirp
	[ "$(status_field "$SLIRP_PID" Seccomp)" = 2 ]
	[ "$(status_field "$SLIRP_PID" CapEff)" = 0000000000000000 ]
	[ "$(status_field "$SLIRP_PID" CapPrm)" = 0000000000000000 ]
	[ "$(status_field "$SLIRP_PID" CapBnd)" = 0000000000000000 ]
	[ "$(status_field "$SLIRP_PID" NoNewPrivs)" = 1 ]
}

@test "after ready: its own mount namespace whose root holds only etc/resolv.conf" {
	start_slirp
	[ "$(readlink /proc/"$SLIRP_PID"/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ]
	run ls -A "/proc/$SLIRP_PID/root/"
	[ "$output" = etc ]
	run ls -A "/proc/$SLIRP_PID/root/etc/"
	[ "$output" = resolv.conf ]
	run awk '$5 == "/" { print $6 }' "/proc/$SLIRP_PID/mountinfo"
	[[ "$output" == ro,* ]]
}

@test "rootless: the sandbox's user namespace maps only our own uid" {
	[ $MODE = rootless ] || skip "root needs no user namespace for its mount namespace"
	start_slirp
	[ "$(readlink /proc/"$SLIRP_PID"/ns/user)" != "$(readlink /proc/self/ns/user)" ]
	run cat "/proc/$SLIRP_PID/uid_map"
	[ "$(echo $output)" = "$(id -u) $(id -u) 1" ]
}

@test "the helper never enters the target's namespaces itself" {
	start_slirp
	[ "$(readlink /proc/"$SLIRP_PID"/ns/net)" = "$(readlink /proc/self/ns/net)" ]
	[ "$(readlink /proc/"$SLIRP_PID"/ns/net)" != "$(readlink /proc/"$TARGET_PID"/ns/net)" ]
}

@test "no file descriptor leaks into the sandbox besides the tap and libslirp's sockets" {
	start_slirp --api-socket "$WORK/api.sock"
	for fd in /proc/"$SLIRP_PID"/fd/*; do
		case "${fd##*/}" in 0 | 1 | 2) continue ;; esac
		t=$(readlink "$fd")
		case "$t" in
		/dev/net/tun | socket:* | anon_inode:\[pidfd\] | /dev/null | pipe:* | "$WORK"/*) ;;
		*) echo "unexpected fd $fd -> $t"; false ;;
		esac
	done
	# No namespace handles: they would let a compromised helper back in.
	[ -z "$(ls -l /proc/"$SLIRP_PID"/fd/ | grep 'net:\|user:\|mnt:')" ]
}

@test "sandboxed, new outbound connections and API forwards still work" {
	web_root "host loopback"
	port=$(free_port)
	bg busybox httpd -f -p 127.0.0.1:$port -h "$WORK/www"
	wait_listen "$port"
	start_slirp --allow-host-loopback --api-socket "$WORK/api.sock"
	[ "$(status_field "$SLIRP_PID" Seccomp)" = 2 ]
	run ns_get "http://10.0.2.2:$port/"
	[ "$output" = "host loopback" ]
	hport=$(free_port)
	bg nsenter -t "$TARGET_PID" "${NSENTER_OPTS[@]}" busybox httpd -f -p 0.0.0.0:80 -h "$WORK/www"
	wait_listen in_ns 80
	api "$WORK/api.sock" "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"tcp\", \"host_addr\": \"127.0.0.1\", \"host_port\": $hport, \"guest_port\": 80}}"
	run host_get "http://127.0.0.1:$hport/"
	[ "$output" = "host loopback" ]
}

@test "--disable-sandbox leaves the helper unconfined (so the checks above can fail)" {
	start_slirp --disable-sandbox
	[ "$(status_field "$SLIRP_PID" Seccomp)" = 0 ]
	[ "$(readlink /proc/"$SLIRP_PID"/ns/mnt)" = "$(readlink /proc/self/ns/mnt)" ]
}
