#!/usr/bin/env bats
# The runtime starting runc-slirp by itself: a container whose config asks
# for runc.network=slirp (with a new network namespace) has its network
# up before its process starts, and its helper goes with the container.
#
# Environment (set by run.sh): RUNC_BINARY, the runtime under test, with
# runc-slirp built beside it; FIXTURE_CACHE/rootfs, the busybox root
# filesystem of the integration suite.

load helpers

RUNC_BINARY=${RUNC_BINARY:-${TOP_BUILDDIR:-$BATS_TEST_DIRNAME/../..}/runc}
FIXTURE_CACHE=${FIXTURE_CACHE:-${TOP_BUILDDIR:-$BATS_TEST_DIRNAME/../..}/tests/fixtures/cache}
REF_RUNC=${REF_RUNC:-/usr/sbin/runc}

setup_file() {
	[ -x "$RUNC_BINARY" ] || skip "the runtime $RUNC_BINARY is not built or not executable by $(id -un)"
	[ -x "$FIXTURE_CACHE/rootfs/bin/busybox" ] || skip "no rootfs fixture in $FIXTURE_CACHE (tests/fixtures/make-rootfs.sh)"
	command -v jq >/dev/null || skip "jq is not installed"
	# One read-only root filesystem for every container of this file.
	cp -R "$FIXTURE_CACHE/rootfs" "$BATS_FILE_TMPDIR/rootfs"
	local spec=$REF_RUNC opt=()
	[ -x "$spec" ] || spec=$RUNC_BINARY
	[ "$(id -u)" = 0 ] || opt=(--rootless)
	(cd "$BATS_FILE_TMPDIR" && "$spec" spec "${opt[@]}")
}

setup() {
	WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/slirp-auto.XXXXXX")
	ROOT=$WORK/root
	mkdir -m 0700 "$ROOT"
}

teardown() {
	local id p
	for id in $(ls "$ROOT" 2>/dev/null); do
		rt delete --force "$id" >/dev/null 2>&1 || true
	done
	for p in "${CLEANUP_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${CLEANUP_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	CLEANUP_PIDS=()
	# A helper of this test's containers left running is a failure.
	local left
	left=$(helpers_of_root)
	rm -rf "$WORK"
	if [ -n "$left" ]; then
		kill $left 2>/dev/null
		echo "runc-slirp left running: $left" >&2
		return 1
	fi
}

# The runtime with this test's --root; bats's own fds stay out of it.
rt() { "$RUNC_BINARY" --root "$ROOT" "$@" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; }
# The same for `run`, through a file: a container created by mistake would
# hold a pipe open, and `run` would wait for it instead of failing.
rt_file() {
	local out=$WORK/rt.$RANDOM rc=0
	rt "$@" </dev/null >"$out" 2>&1 || rc=$?
	cat "$out"
	return $rc
}

# `bundle ID SCRIPT [KEY=VALUE]...`: $WORK/ID whose process is `sh -c
# SCRIPT`, with a new network namespace and these annotations.
bundle() {
	local id=$1 dir=$WORK/$1 script=$2 kv
	shift 2
	mkdir -p "$dir"
	jq --arg r "$BATS_FILE_TMPDIR/rootfs" --arg s "$script" '
		.root.path = $r | .process.terminal = false | .process.args = ["sh", "-c", $s]
		| .linux.namespaces = [.linux.namespaces[] | select(.type != "network")] + [{type: "network"}]' \
		"$BATS_FILE_TMPDIR/config.json" >"$dir/config.json"
	for kv in "$@"; do
		cfg "$id" '.annotations[$k] = $v' --arg k "${kv%%=*}" --arg v "${kv#*=}"
	done
}

# `cfg ID FILTER [jq-args]`: edit $WORK/ID/config.json.
cfg() {
	local f=$WORK/$1/config.json filter=$2
	shift 2
	jq "$filter" "$@" "$f" >"$f.tmp" && mv "$f.tmp" "$f"
}

# `create ID`, `run_d ID`: the container's output goes to $WORK/ID.out.
create() { rt create -b "$WORK/$1" "$1" </dev/null >"$WORK/$1.out" 2>&1; }
start_ct() { create "$1" && rt start "$1"; }

# The helper recorded in the container's state (our state.json, not `state`).
helper_pid() { jq -r '.helpers[0].pid // empty' "$ROOT/$1/state.json"; }

# Live processes (not zombies) whose command line names this test's root:
# the helpers of its containers (their API socket is in it).
helpers_of_root() {
	local p s
	for p in $(pgrep -f -- "--api-socket $ROOT/" 2>/dev/null); do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		s=${s##*) }
		[ "${s%% *}" = Z ] || echo "$p"
	done
}

alive() { # PID: running, not a zombie
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	[ "${s%% *}" != Z ] && [ "${s%% *}" != X ]
}

wait_dead() { # PID [SECONDS]
	local i
	for i in $(seq $((${2:-5} * 20))); do
		alive "$1" || return 0
		sleep 0.05
	done
	return 1
}

# `sleeper ID`: a started container running sleep; HP is its helper, alive.
sleeper() {
	bundle "$1" 'sleep 1000' runc.network=slirp
	start_ct "$1"
	HP=$(helper_pid "$1")
	alive "$HP"
}

# A file served by python3 -m http.server on the host's 127.0.0.1:$PORT.
host_loopback_server() {
	mkdir -p "$WORK/www"
	echo "served on the host loopback" >"$WORK/www/index.html"
	chmod -R a+rX "$WORK/www"
	PORT=$(free_port)
	bg sh -c 'exec "$@" >"$0" 2>&1' "$WORK/http.log" "$PYTHON" -m http.server --bind 127.0.0.1 --directory "$WORK/www" "$PORT"
	wait_listen "$PORT"
}

fetch_retry() { # URL: the host fetches it, retrying while the server starts
	local i
	for i in $(seq 50); do
		curl -sS -m 2 "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	curl -sS -m 2 "$1"
}

@test "run: tap0 is up with 10.0.2.100/24, a default route via 10.0.2.2 and MTU 65520 before the process starts" {
	bundle net 'ip -o -4 addr show dev tap0; ip -o link show dev tap0; ip -4 route show default' runc.network=slirp
	run rt run -b "$WORK/net" net
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"inet 10.0.2.100/24 "* ]]
	[[ "$output" == *"tap0: <"*",UP,"*"> mtu 65520 "* ]]
	[[ "$output" == *"default via 10.0.2.2 dev tap0"* ]]
	# run removed the container, and its helper with it.
	[ ! -e "$ROOT/net" ]
	[ -z "$(helpers_of_root)" ]
}

@test "runc.network.mtu sets the tap device's MTU" {
	bundle mtu 'ip -o link show dev tap0' runc.network=slirp runc.network.mtu=1500
	run rt run -b "$WORK/mtu" mtu
	[ "$status" -eq 0 ]
	[[ "$output" == *"mtu 1500 "* ]]
}

@test "without runc.network the container's namespace has no network from the runtime" {
	bundle plain 'ip -o link show; ip -4 route show default'
	run rt run -b "$WORK/plain" plain
	[ "$status" -eq 0 ]
	[[ "$output" == *"lo:"* ]]
	[[ "$output" != *tap0* ]]
	[[ "$output" != *default* ]]
	[ -z "$(helpers_of_root)" ]
}

@test "run in the foreground: the helper lives while the container runs, and is gone after it exits" {
	bundle fg 'ip -o -4 addr show dev tap0; sleep 2' runc.network=slirp
	rt run -b "$WORK/fg" fg </dev/null >"$WORK/fg.out" 2>&1 &
	local runtime=$! hp="" i
	for i in $(seq 100); do
		hp=$(helper_pid fg 2>/dev/null) && [ -n "$hp" ] && break
		sleep 0.05
	done
	[ -n "$hp" ]
	alive "$hp"
	[ "$(cat /proc/$hp/comm)" = runc-slirp ]
	wait "$runtime"
	grep -q "inet 10.0.2.100/24" "$WORK/fg.out"
	wait_dead "$hp"
	[ ! -e "$ROOT/fg" ]
}

@test "host-loopback=true: the host's 127.0.0.1 is reachable at 10.0.2.2" {
	host_loopback_server
	# (busybox 1.35's wget crashes with -T: the timeout applet instead)
	bundle lb "timeout 10 wget -q -O - http://10.0.2.2:$PORT/index.html" runc.network=slirp runc.network.host-loopback=true
	run rt run -b "$WORK/lb" lb
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "served on the host loopback" ]
}

@test "host-loopback unset or false: the host's 127.0.0.1 is out of reach" {
	host_loopback_server
	local v
	for v in unset false; do
		local ann=()
		[ $v = unset ] || ann=(runc.network.host-loopback=$v)
		bundle "lb-$v" "ip -o -4 addr show dev tap0; timeout 10 wget -q -O - http://10.0.2.2:$PORT/index.html" \
			runc.network=slirp "${ann[@]}"
		run rt run -b "$WORK/lb-$v" "lb-$v"
		echo "$v: $status $output"
		# The network is up: only the host's loopback is refused (libslirp
		# answers with an ICMP unreachable).
		[[ "$output" == *"inet 10.0.2.100/24"* ]]
		[ "$status" -ne 0 ]
		[[ "$output" == *"can't connect to remote host (10.0.2.2)"* ]]
		[[ "$output" != *"served on the host loopback"* ]]
	done
}

@test "runc.network.ports forwards host ports to the container" {
	local p1 p2
	p1=$(free_port)
	p2=$(free_port)
	bundle web 'exec httpd -f -p 80 -h /etc' runc.network=slirp "runc.network.ports=127.0.0.1:$p1:80, $p2:80/tcp"
	start_ct web
	run fetch_retry "http://127.0.0.1:$p1/fixture-release"
	[ "$output" = rootfs-fixture ]
	run fetch_retry "http://127.0.0.1:$p2/fixture-release"
	[ "$output" = rootfs-fixture ]
	# The first forward listens on the loopback only.
	run ss -Htln "sport = :$p1"
	[[ "$output" == *"127.0.0.1:$p1"* ]]
}

@test "DNS at 10.0.2.3 answers as the host's resolver does" {
	local ns name=localhost want got
	ns=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)
	[ -n "$ns" ] || skip "the host has no nameserver in /etc/resolv.conf"
	# What the host's resolver answers, without the lines naming the server.
	want=$(busybox nslookup -type=a "$name" "$ns" 2>&1 | grep -v -e '^Server:' -e '^Address:.*[#:]53$' -e "^Address:[[:space:]]*$ns\$")
	[[ "$want" != *"timed out"* && "$want" != *"no servers could be reached"* ]] ||
		skip "the host's resolver $ns does not answer here"
	bundle dns "nslookup -type=a $name 10.0.2.3" runc.network=slirp
	run rt run -b "$WORK/dns" dns
	echo "$output"
	got=$(echo "$output" | grep -v -e '^Server:' -e '^Address:.*[#:]53$' -e '^Address:[[:space:]]*10.0.2.3$')
	[[ "$output" == *"Server:"*"10.0.2.3"* ]]
	[[ "$got" != *"timed out"* && "$got" != *"no servers could be reached"* ]]
	[ "$got" = "$want" ]
}

@test "root: DNS at 10.0.2.3 resolves through a resolver on the host's loopback" {
	[ "$(id -u)" = 0 ] || skip "a private /etc/resolv.conf for the runtime needs a mount namespace of root's"
	[ -n "${SLIRP_TEST_DNS:-}" ] || skip "no test resolver"
	echo "nameserver $SLIRP_TEST_DNS" >"$WORK/resolv.conf"
	bundle dns 'nslookup -type=a test.example 10.0.2.3' runc.network=slirp
	# The helper reads the runtime's /etc/resolv.conf: give the runtime one
	# that names the test resolver.
	run unshare -m --propagation private sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh \
		"$WORK/resolv.conf" "$RUNC_BINARY" --root "$ROOT" run -b "$WORK/dns" dns 3>&- 4>&- 5>&-
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"192.0.2.55"* ]]
}

@test "create: the helper is recorded, detached, holds no runtime fd, and delete removes it" {
	bundle ct 'sleep 1000' runc.network=slirp
	create ct
	local hp s fd t
	hp=$(helper_pid ct)
	[ -n "$hp" ]
	alive "$hp"
	[ "$(cat /proc/$hp/comm)" = runc-slirp ]
	# Its own session, our user, the host's network namespace.
	s=$(cat /proc/$hp/stat)
	s=${s##*) }
	set -- $s
	[ "$4" = "$hp" ]
	[ "$(stat -c %u /proc/$hp)" = "$(id -u)" ]
	[ "$(readlink /proc/$hp/ns/net)" = "$(readlink /proc/self/ns/net)" ]
	# Its API socket is in the state directory, for its owner only.
	[ -S "$ROOT/ct/slirp.sock" ]
	[ "$(stat -c %a "$ROOT/ct/slirp.sock")" = 600 ]
	# Nothing of the runtime's: no state directory, config, fifo, bundle or
	# namespace handle.
	for fd in /proc/$hp/fd/*; do
		t=$(readlink "$fd")
		case "$t" in
		/dev/null | "$ROOT/ct/slirp.log" | /dev/net/tun | socket:* | anon_inode:\[pidfd\]) ;;
		*) echo "unexpected fd ${fd##*/} -> $t"; false ;;
		esac
	done
	# `state` stays runc's: the helper is not in it.
	run rt state ct
	[ "$(echo "$output" | jq -r 'keys | sort | join(",")')" = "annotations,bundle,created,id,ociVersion,owner,pid,rootfs,status" ]
	[ "$(echo "$output" | jq -r .status)" = created ]
	rt delete ct
	wait_dead "$hp"
	[ ! -e "$ROOT/ct" ]
}

@test "delete --force of a running container kills its helper" {
	sleeper busy
	[ "$(rt state busy | jq -r .status)" = running ]
	rt delete --force busy
	wait_dead "$HP"
	[ ! -e "$ROOT/busy" ]
	[ -z "$(helpers_of_root)" ]
}

@test "the helper exits by itself when the container stops" {
	sleeper stop
	rt kill stop KILL
	wait_dead "$HP"
	# delete of the stopped container still cleans up.
	rt delete stop
	[ ! -e "$ROOT/stop" ]
}

@test "the API socket adds and removes a forward while the container runs" {
	bundle api 'exec httpd -f -p 80 -h /etc' runc.network=slirp
	start_ct api
	local port
	port=$(free_port)
	run curl -sS -m 2 "http://127.0.0.1:$port/fixture-release"
	[ "$status" -ne 0 ]
	run api "$ROOT/api/slirp.sock" "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"tcp\", \"host_addr\": \"127.0.0.1\", \"host_port\": $port, \"guest_port\": 80}}"
	[ "$output" = '{"return":{"id":1}}' ]
	run fetch_retry "http://127.0.0.1:$port/fixture-release"
	[ "$output" = rootfs-fixture ]
	run api "$ROOT/api/slirp.sock" '{"execute": "remove_hostfwd", "arguments": {"id": 1}}'
	[ "$output" = '{"return":{}}' ]
	run curl -sS -m 2 "http://127.0.0.1:$port/fixture-release"
	[ "$status" -ne 0 ]
}

@test "a bad annotation is refused before anything exists, naming the annotation" {
	bundle bad 'true' runc.network=slirp runc.network.ports=8080
	run rt_file create -b "$WORK/bad" bad
	[ "$status" -ne 0 ]
	[[ "$output" == *'annotation runc.network.ports: `8080`: expected [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]'* ]]
	[ ! -e "$ROOT/bad" ]

	bundle bad2 'true' runc.network=slirp runc.network.host-loopback=yes
	run rt run -b "$WORK/bad2" bad2
	[ "$status" -ne 0 ]
	[[ "$output" == *'annotation runc.network.host-loopback: `yes` is not true or false'* ]]

	bundle bad3 'true' runc.network.mtu=1500
	run rt_file create -b "$WORK/bad3" bad3
	[ "$status" -ne 0 ]
	[[ "$output" == *'annotation runc.network.mtu needs runc.network=slirp'* ]]

	bundle nonet 'true' runc.network=slirp
	cfg nonet '.linux.namespaces = [.linux.namespaces[] | select(.type != "network")]'
	run rt_file create -b "$WORK/nonet" nonet
	[ "$status" -ne 0 ]
	[[ "$output" == *'runc.network=slirp needs a new network namespace'* ]]
	[ -z "$(ls -A "$ROOT")" ]
	[ -z "$(helpers_of_root)" ]
}

@test "a create that fails after the helper started leaves no helper and no state" {
	bundle badmount 'true' runc.network=slirp
	cfg badmount '.mounts += [{destination: "/mnt/x", type: "bind", source: $s, options: ["bind"]}]' \
		--arg s "$WORK/does-not-exist"
	run rt_file --debug create -b "$WORK/badmount" badmount
	echo "$output"
	[ "$status" -ne 0 ]
	# The helper did start (it runs while the init mounts), then went.
	[[ "$output" == *"starting "*"runc-slirp for the container's network namespace"* ]]
	[[ "$output" == *"does-not-exist"* ]]
	[ ! -e "$ROOT/badmount" ]
	[ -z "$(helpers_of_root)" ]
}

@test "a helper that fails is reported with its reason, and nothing is left" {
	local port
	port=$(free_port)
	bg "$PYTHON" -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1); time.sleep(60)' "$port"
	wait_listen "$port"
	bundle busyport 'true' runc.network=slirp "runc.network.ports=127.0.0.1:$port:80"
	run rt_file create -b "$WORK/busyport" busyport
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"runc.network=slirp: "*"runc-slirp failed: "*"Address already in use"* ]]
	[ ! -e "$ROOT/busyport" ]
	[ -z "$(helpers_of_root)" ]
}

@test "the helper is found beside the runtime, then in PATH; missing, the error says what to install" {
	mkdir -p "$WORK/bin" "$WORK/path"
	cp "$RUNC_BINARY" "$WORK/bin/runc"
	bundle where 'ip -o -4 addr show dev tap0' runc.network=slirp
	run env PATH=/usr/bin:/bin "$WORK/bin/runc" --root "$ROOT" run -b "$WORK/where" where 3>&- 4>&- 5>&-
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"runc-slirp not found beside the runtime (in $WORK/bin) nor in PATH (install runc-slirp"* ]]
	[ ! -e "$ROOT/where" ]
	ln -s "$RUNC_SLIRP" "$WORK/path/runc-slirp"
	run env PATH="$WORK/path:/usr/bin:/bin" "$WORK/bin/runc" --root "$ROOT" run -b "$WORK/where" where 3>&- 4>&- 5>&-
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"inet 10.0.2.100/24"* ]]
}

@test "a time namespace (the init unshares, then forks the real init): the helper follows the real init" {
	[ -e /proc/self/ns/time ] || skip "the kernel has no time namespaces"
	local port hp
	port=$(free_port)
	bundle slow 'exec httpd -f -p 80 -h /etc' runc.network=slirp "runc.network.ports=127.0.0.1:$port:80"
	cfg slow '.linux.namespaces += [{type: "time"}]'
	start_ct slow
	hp=$(helper_pid slow)
	# Its exit fd is the init's, not the intermediate process's, which
	# exited at once: it is still there, serving.
	sleep 0.5
	alive "$hp"
	run fetch_retry "http://127.0.0.1:$port/fixture-release"
	[ "$output" = rootfs-fixture ]
	rt kill slow KILL
	wait_dead "$hp"
}
