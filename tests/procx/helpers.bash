# Shared by the procx bats files.  Each test gets its own directory under
# /tmp with a busybox rootfs (one relative symlink per applet), a bundle
# for root and, on demand, one for the user `rootless`.

RUNC=${RUNC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/runc}
PROCX_BUILD=${PROCX_BUILD:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
HELPER=$PROCX_BUILD/tests/procx/px_helper
AGENT=$PROCX_BUILD/tests/procx/seccomp_agent
RL_UID=1001
RL_USER=rootless

make_rootfs() {
	local rootfs=$1
	mkdir -p "$rootfs"/{bin,proc,sys,dev,tmp,etc,run}
	cp /bin/busybox "$rootfs/bin/busybox"
	local a
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$rootfs/bin/$a"
	done
	cp "$HELPER" "$rootfs/bin/px_helper"
	# The NUMA policy of the process itself, as /proc shows it.
	printf '#!/bin/sh\nhead -n 1 /proc/self/numa_maps | cut -d " " -f 2\n' >"$rootfs/bin/numa_policy"
	chmod 755 "$rootfs/bin/numa_policy"
	echo "root:x:0:0:root:/root:/bin/sh" >"$rootfs/etc/passwd"
	echo "root:x:0:" >"$rootfs/etc/group"
}

# One rootfs per bats file (made in setup_file), shared by its tests.
setup_file_procx() {
	PROCX_FILE_DIR=$(mktemp -d /tmp/procx-bats-file.XXXXXX)
	chmod 755 "$PROCX_FILE_DIR"
	make_rootfs "$PROCX_FILE_DIR/rootfs"
	export PROCX_FILE_DIR
}

teardown_file_procx() {
	[ -n "${PROCX_FILE_DIR:-}" ] && rm -rf "$PROCX_FILE_DIR"
}

setup_procx() {
	TESTDIR=$(mktemp -d /tmp/procx-bats.XXXXXX)
	chmod 755 "$TESTDIR"
	ROOTFS=$PROCX_FILE_DIR/rootfs
	BUNDLE=$TESTDIR/bundle
	ROOT=$TESTDIR/state
	mkdir -p "$BUNDLE"
	"$RUNC" spec --bundle "$BUNDLE"
	update_config '.root.path = "'"$ROOTFS"'" | .process.terminal = false | .process.args = ["true"]'
	cd "$BUNDLE"
}

# The same for the rootless user: its own bundle (mappings to its
# subordinate IDs, from `runc spec --rootless` run as that user) and state.
setup_rootless() {
	RL_BUNDLE=$TESTDIR/rl-bundle
	RL_ROOT=$TESTDIR/rl-state
	mkdir -p "$RL_BUNDLE" "$RL_ROOT"
	chown "$RL_UID:$RL_UID" "$RL_BUNDLE" "$RL_ROOT"
	as_rootless "$RUNC" spec --rootless --bundle "$RL_BUNDLE"
	cd "$RL_BUNDLE"
	update_rl_config '.root.path = "'"$ROOTFS"'" | .process.terminal = false | .process.args = ["true"]'
}

# Run as the rootless user, in its bundle when there is one.
as_rootless() {
	setpriv --reuid="$RL_UID" --regid="$RL_UID" --init-groups \
		env -C "${RL_BUNDLE:-/}" XDG_RUNTIME_DIR=/run/user/$RL_UID HOME=/tmp "$@"
}

update_config() {
	jq "$1" "$BUNDLE/config.json" >"$BUNDLE/config.json.new" && mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

update_rl_config() {
	jq "$1" "$RL_BUNDLE/config.json" >"$RL_BUNDLE/config.json.new" &&
		mv "$RL_BUNDLE/config.json.new" "$RL_BUNDLE/config.json" &&
		chown "$RL_UID:$RL_UID" "$RL_BUNDLE/config.json"
}

# Errors come out as logrus text, msg="...": undo its quoting of quotes
# so the tests can match the messages as written.
unquote_output() {
	output=${output//\\\"/\"}
}

# runc as root, on this test's state and bundle.
runc() {
	run "$RUNC" --root "$ROOT" "$@"
	unquote_output
	echo "runc $* (status $status): $output" >&2
}

# A detached container keeps the runtime's stdio: with bats' `run` it would
# hold the capture pipe open until it exits.  Its output goes to a file;
# the runtime's own messages end up in $output as usual.
runc_d() {
	local log=$TESTDIR/detached.log
	status=0
	"$RUNC" --root "$ROOT" "$@" </dev/null >"$log" 2>&1 || status=$?
	output=$(cat "$log")
	unquote_output
	echo "runc $* (status $status): $output" >&2
}

# runc as the rootless user.
runc_rl() {
	run as_rootless "$RUNC" --root "$RL_ROOT" "$@"
	unquote_output
	echo "runc (rootless) $* (status $status): $output" >&2
}

# The names of the containers left in a state root.
containers_in() {
	"$RUNC" --root "$1" list -q 2>/dev/null
}

teardown_procx() {
	local id
	if [ -d "${ROOT:-}" ]; then
		for id in $(containers_in "$ROOT"); do
			"$RUNC" --root "$ROOT" delete -f "$id" || true
		done
	fi
	if [ -d "${RL_ROOT:-}" ]; then
		for id in $(as_rootless "$RUNC" --root "$RL_ROOT" list -q 2>/dev/null); do
			as_rootless "$RUNC" --root "$RL_ROOT" delete -f "$id" || true
		done
	fi
	[ -n "${TESTDIR:-}" ] && rm -rf "$TESTDIR"
}

# Wait (up to ~5 s) until a file exists, e.g. a helper saying it listens.
wait_for_file() {
	local i
	for i in $(seq 50); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# A state root with nothing in it: no container, no debris.
assert_nothing_left() {
	local left
	left=$(ls -A "$1" 2>/dev/null || true)
	if [ -n "$left" ]; then
		echo "left behind in $1: $left" >&2
		return 1
	fi
}
