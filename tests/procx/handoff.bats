#!/usr/bin/env bats
# What a service manager hands to the runtime, passed on to the container:
# NOTIFY_SOCKET, LISTEN_FDS; and --pidfd-socket.

load helpers

setup_file() {
	setup_file_procx
}

teardown_file() {
	teardown_file_procx
}

setup() {
	setup_procx
	BG=
}

teardown() {
	if [ -n "$BG" ]; then
		kill "$BG" 2>/dev/null || true
		wait "$BG" 2>/dev/null || true
	fi
	teardown_procx
}

# A host socket standing for systemd's: the first datagram lands in
# $TESTDIR/host.out.
host_notify_socket() {
	"$HELPER" notify-recv "$TESTDIR/host.sock" "$TESTDIR/host.out" &
	BG=$!
	wait_for_file "$TESTDIR/host.out"
}

wait_for_content() {
	for i in $(seq 100); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

@test "NOTIFY_SOCKET with run -d: READY=1 reaches the host with the init's PID" {
	host_notify_socket
	update_config '.process.args = ["sh", "-c", "echo $NOTIFY_SOCKET > /tmp/ns.out; px_helper notify STATUS=starting; sleep 0.2; px_helper notify READY=1; sleep 100"]
		| .root.readonly = false'
	NOTIFY_SOCKET=$TESTDIR/host.sock runc_d run -d ctn
	[ "$status" -eq 0 ]
	# run -d returned only once the container was ready.
	[ -s "$TESTDIR/host.out" ]
	init=$("$RUNC" --root "$ROOT" state ctn | jq .pid)
	[ "$(cat "$TESTDIR/host.out")" = "$(printf 'READY=1\nMAINPID=%s' "$init")" ]
	[ "$(cat "$ROOTFS/tmp/ns.out")" = "/run/notify/notify.sock" ]
	rm -f "$ROOTFS/tmp/ns.out"
	# The socket lives in the container's state directory, bound read-only.
	[ -S "$ROOT/ctn/notify/notify.sock" ]
	runc exec ctn sh -c 'grep " /run/notify " /proc/self/mountinfo'
	[[ "$output" == *" ro,"* ]]
	# exec'd processes do not get the variable (runc reads the bundle's env).
	runc exec ctn sh -c 'echo "[$NOTIFY_SOCKET]"'
	[ "$output" = "[]" ]
}

@test "NOTIFY_SOCKET with create and start: start waits for READY=1" {
	host_notify_socket
	update_config '.process.args = ["sh", "-c", "sleep 0.5; px_helper notify READY=1; sleep 100"]'
	NOTIFY_SOCKET=$TESTDIR/host.sock runc_d create ctn
	[ "$status" -eq 0 ]
	[ ! -s "$TESTDIR/host.out" ]
	NOTIFY_SOCKET=$TESTDIR/host.sock runc_d start ctn
	[ "$status" -eq 0 ]
	init=$("$RUNC" --root "$ROOT" state ctn | jq .pid)
	[ "$(cat "$TESTDIR/host.out")" = "$(printf 'READY=1\nMAINPID=%s' "$init")" ]
}

@test "NOTIFY_SOCKET with run in the foreground: MAINPID is the runtime's" {
	host_notify_socket
	update_config '.process.args = ["sh", "-c", "px_helper notify READY=1; sleep 0.5; echo done"]'
	NOTIFY_SOCKET=$TESTDIR/host.sock "$RUNC" --root "$ROOT" run ctn >"$TESTDIR/run.out" 2>&1 &
	runner=$!
	wait "$runner"
	[ "$(cat "$TESTDIR/run.out")" = done ]
	[ "$(cat "$TESTDIR/host.out")" = "$(printf 'READY=1\nMAINPID=%s' "$runner")" ]
}

@test "NOTIFY_SOCKET: a container that exits without READY=1 ends the wait" {
	host_notify_socket
	update_config '.process.args = ["true"]'
	NOTIFY_SOCKET=$TESTDIR/host.sock runc_d run -d ctn
	[ "$status" -eq 0 ]
	[ ! -s "$TESTDIR/host.out" ]
}

@test "NOTIFY_SOCKET rootless" {
	setup_rootless
	host_notify_socket
	chmod 777 "$TESTDIR/host.sock"
	update_rl_config '.process.args = ["sh", "-c", "px_helper notify READY=1; sleep 100"]'
	status=0
	as_rootless env NOTIFY_SOCKET="$TESTDIR/host.sock" "$RUNC" --root "$RL_ROOT" run -d ctn </dev/null >/dev/null 2>&1 || status=$?
	[ "$status" -eq 0 ]
	[[ "$(cat "$TESTDIR/host.out")" == "READY=1"$'\n'"MAINPID="* ]]
}

@test "LISTEN_FDS: the fds come first, at 3.., then --preserve-fds; the container gets LISTEN_PID=1" {
	update_config '.process.args = ["px_helper", "fds"]'
	echo one >"$TESTDIR/one"
	echo two >"$TESTDIR/two"
	echo three >"$TESTDIR/three"
	# LISTEN_PID must name the runtime itself: the shell execs into it.
	run sh -c 'export LISTEN_PID=$$ LISTEN_FDS=2 LISTEN_FDNAMES=a:b; exec "$1" --root "$2" run --preserve-fds 1 ctl' \
		sh "$RUNC" "$ROOT" 3<"$TESTDIR/one" 4<"$TESTDIR/two" 5<"$TESTDIR/three" 6</dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"LISTEN_FDS=2"* ]]
	[[ "$output" == *"LISTEN_PID=1"* ]]
	[[ "$output" == *"LISTEN_FDNAMES=a:b"* ]]
	[[ "$output" == *"fd 3 $TESTDIR/one"* ]]
	[[ "$output" == *"fd 4 $TESTDIR/two"* ]]
	[[ "$output" == *"fd 5 $TESTDIR/three"* ]]
	[[ "$output" != *"fd 6 "* ]]
}

@test "LISTEN_FDS for another process is ignored" {
	update_config '.process.args = ["px_helper", "fds"]'
	run sh -c 'LISTEN_PID=1 LISTEN_FDS=1 exec "$1" --root "$2" run ctl' sh "$RUNC" "$ROOT" 3</dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"LISTEN_FDS=(unset)"* ]]
	[[ "$output" != *"fd 3 "* ]]
}

@test "LISTEN_FDS naming a closed fd is refused" {
	run sh -c 'export LISTEN_PID=$$ LISTEN_FDS=3; exec "$1" --root "$2" run ctl' sh "$RUNC" "$ROOT" 3</dev/null 4</dev/null 5<&-
	[ "$status" -ne 0 ]
	[[ "$output" == *"LISTEN_FDS=3: fd 5 is not open"* ]]
	assert_nothing_left "$ROOT"
}

# pidfd-recv takes the pidfd and writes the payload; once told to (the
# runtime has returned), it kills through the pidfd.
pidfd_receiver() {
	"$HELPER" pidfd-recv "$TESTDIR/pidfd.sock" "$TESTDIR/pidfd.out" &
	BG=$!
	wait_for_file "$TESTDIR/pidfd.out"
}

wait_stopped() {
	for i in $(seq 50); do
		[ "$("$RUNC" --root "$ROOT" state "$1" | jq -r .status)" = stopped ] && return 0
		sleep 0.1
	done
	return 1
}

@test "--pidfd-socket with create: a pidfd of the init, payload \"standard\"" {
	pidfd_receiver
	update_config '.process.args = ["sleep", "100"]'
	runc_d create --pidfd-socket "$TESTDIR/pidfd.sock" ctp
	[ "$status" -eq 0 ]
	wait_for_content "$TESTDIR/pidfd.out"
	touch "$TESTDIR/pidfd.out.go"
	wait "$BG"
	BG=
	[ "$(cat "$TESTDIR/pidfd.out")" = "standard killed" ]
	wait_stopped ctp
}

@test "--pidfd-socket with run -d" {
	pidfd_receiver
	update_config '.process.args = ["sleep", "100"]'
	runc_d run -d --pidfd-socket "$TESTDIR/pidfd.sock" ctp
	[ "$status" -eq 0 ]
	touch "$TESTDIR/pidfd.out.go"
	wait "$BG"
	BG=
	[ "$(cat "$TESTDIR/pidfd.out")" = "standard killed" ]
	wait_stopped ctp
}

@test "--pidfd-socket with exec: a pidfd of the exec'd process, payload \"setns\"" {
	update_config '.process.args = ["sleep", "100"]'
	runc_d run -d ctp
	[ "$status" -eq 0 ]
	pidfd_receiver
	runc_d exec -d --pid-file "$TESTDIR/exec.pid" --pidfd-socket "$TESTDIR/pidfd.sock" ctp sleep 77
	[ "$status" -eq 0 ]
	touch "$TESTDIR/pidfd.out.go"
	wait "$BG"
	BG=
	[ "$(cat "$TESTDIR/pidfd.out")" = "setns killed" ]
	pid=$(cat "$TESTDIR/exec.pid")
	for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$pid" 2>/dev/null
	[ "$("$RUNC" --root "$ROOT" state ctp | jq -r .status)" = running ]
}

@test "--pidfd-socket nobody listens on: refused before anything is made" {
	runc run --pidfd-socket "$TESTDIR/nobody.sock" ctp
	[ "$status" -ne 0 ]
	[[ "$output" == *"connect to pidfd socket \`$TESTDIR/nobody.sock\`"* ]]
	assert_nothing_left "$ROOT"
}

@test "--pidfd-socket rootless" {
	setup_rootless
	pidfd_receiver
	chmod 777 "$TESTDIR/pidfd.sock"
	update_rl_config '.process.args = ["sleep", "100"]'
	status=0
	as_rootless "$RUNC" --root "$RL_ROOT" run -d --pidfd-socket "$TESTDIR/pidfd.sock" ctp </dev/null >/dev/null 2>&1 || status=$?
	[ "$status" -eq 0 ]
	touch "$TESTDIR/pidfd.out.go"
	wait "$BG"
	BG=
	[ "$(cat "$TESTDIR/pidfd.out")" = "standard killed" ]
}
