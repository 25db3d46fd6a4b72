#!/usr/bin/env bats
# linux.seccomp.listenerPath: the runtime hands the notification fd of
# every container process to a seccomp agent (tests/procx/seccomp_agent.c),
# which then decides the intercepted mkdir calls.

load helpers

setup_file() {
	setup_file_procx
}

teardown_file() {
	teardown_file_procx
}

setup() {
	setup_procx
	AGENT_PID=
}

teardown() {
	teardown_procx_agent
	teardown_procx
}

teardown_procx_agent() {
	if [ -n "$AGENT_PID" ]; then
		kill "$AGENT_PID" 2>/dev/null || true
		wait "$AGENT_PID" 2>/dev/null || true
	fi
}

# start_agent DIR: an agent listening on DIR/agent.sock, logging to
# DIR/agent.log.
start_agent() {
	local dir=$1
	"$AGENT" "$dir/agent.sock" "$dir/agent.log" &
	AGENT_PID=$!
	for i in $(seq 50); do
		grep -q listening "$dir/agent.log" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

notify_mkdir() {
	update_config '.linux.seccomp = {
		"defaultAction": "SCMP_ACT_ALLOW",
		"listenerPath": "'"$1"'/agent.sock",
		"listenerMetadata": "procx-meta",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}
		| .root.readonly = false'
}

@test "the agent gets the init's state and fd, and decides its mkdir calls" {
	start_agent "$TESTDIR"
	notify_mkdir "$TESTDIR"
	update_config '.process.args = ["sh", "-c",
		"mkdir /tmp/fake-dir && echo fake:ok; [ -d /tmp/fake-dir ] || echo fake:absent; mkdir /tmp/deny-dir 2>&1; mkdir /tmp/real-dir && [ -d /tmp/real-dir ] && echo real:made"]'
	runc run ctsn
	[ "$status" -eq 0 ]
	[[ "$output" == *"fake:ok"* ]]
	[[ "$output" == *"fake:absent"* ]]
	[[ "$output" == *"Host is down"* ]]
	[[ "$output" == *"real:made"* ]]
	rmdir "$ROOTFS/tmp/real-dir"

	state=$(grep '^state ' "$TESTDIR/agent.log" | head -1 | sed 's/^state //; s/ fd=.*//')
	[ "$(grep -c '^state ' "$TESTDIR/agent.log")" -eq 1 ]
	grep -q '^state .* fd=yes$' "$TESTDIR/agent.log"
	[ "$(jq -r .ociVersion <<<"$state")" = "1.3.0" ]
	[ "$(jq -c .fds <<<"$state")" = '["seccompFd"]' ]
	[ "$(jq -r .metadata <<<"$state")" = "procx-meta" ]
	[ "$(jq -r .state.status <<<"$state")" = "creating" ]
	[ "$(jq -r .state.id <<<"$state")" = "ctsn" ]
	[ "$(jq -r .state.bundle <<<"$state")" = "$BUNDLE" ]
	[ "$(jq -r .pid <<<"$state")" = "$(jq -r .state.pid <<<"$state")" ]
	grep -q '^mkdir /tmp/fake-dir fake$' "$TESTDIR/agent.log"
	grep -q '^mkdir /tmp/deny-dir deny$' "$TESTDIR/agent.log"
}

@test "exec'd processes get their own connection, as running, with their own pid" {
	start_agent "$TESTDIR"
	notify_mkdir "$TESTDIR"
	update_config '.process.args = ["sleep", "100"]'
	runc_d run -d ctsn
	[ "$status" -eq 0 ]
	init=$("$RUNC" --root "$ROOT" state ctsn | jq .pid)
	runc exec --pid-file "$TESTDIR/exec.pid" ctsn sh -c 'mkdir /tmp/deny-x 2>&1; true'
	[ "$status" -eq 0 ]
	[[ "$output" == *"Host is down"* ]]
	state=$(grep '^state ' "$TESTDIR/agent.log" | sed -n 2p | sed 's/^state //; s/ fd=.*//')
	[ "$(jq -r .state.status <<<"$state")" = "running" ]
	[ "$(jq -r .state.pid <<<"$state")" = "$init" ]
	[ "$(jq -r .pid <<<"$state")" = "$(cat "$TESTDIR/exec.pid")" ]
}

@test "with noNewPrivileges the filter still reaches the agent" {
	start_agent "$TESTDIR"
	notify_mkdir "$TESTDIR"
	update_config '.process.noNewPrivileges = true
		| .process.args = ["sh", "-c", "mkdir /tmp/fake-nnp && echo made; [ -d /tmp/fake-nnp ] || echo absent"]'
	runc run ctsn
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'made\nabsent')" ]
	grep -q '^mkdir /tmp/fake-nnp fake$' "$TESTDIR/agent.log"
}

@test "create and start: the agent gets the fd during create" {
	start_agent "$TESTDIR"
	notify_mkdir "$TESTDIR"
	update_config '.process.args = ["sh", "-c", "mkdir /tmp/fake-cs; [ -d /tmp/fake-cs ] || echo absent > /tmp/cs.out"]'
	runc_d create ctsn
	[ "$status" -eq 0 ]
	grep -q '^state .*"status":"creating"' "$TESTDIR/agent.log"
	runc start ctsn
	[ "$status" -eq 0 ]
	for i in $(seq 50); do [ -e "$ROOTFS/tmp/cs.out" ] && break; sleep 0.1; done
	[ "$(cat "$ROOTFS/tmp/cs.out")" = absent ]
	rm -f "$ROOTFS/tmp/cs.out"
}

@test "no agent listening: the container is not created" {
	notify_mkdir "$TESTDIR"
	runc run ctsn
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.seccomp.listenerPath: connect to the seccomp agent (linux.seccomp.listenerPath) \`$TESTDIR/agent.sock\`: Connection refused"* || "$output" == *"No such file or directory"* ]]
	assert_nothing_left "$ROOT"
}

@test "SCMP_ACT_NOTIFY without listenerPath is refused" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
	runc run ctsn
	[ "$status" -ne 0 ]
	[[ "$output" == *"listenerPath"* ]]
	assert_nothing_left "$ROOT"
}

@test "rootless: the agent decides too" {
	setup_rootless
	start_agent "$TESTDIR"
	chmod 777 "$TESTDIR/agent.sock"
	update_rl_config '.linux.seccomp = {
		"defaultAction": "SCMP_ACT_ALLOW",
		"listenerPath": "'"$TESTDIR"'/agent.sock",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}
		| .process.args = ["sh", "-c", "mkdir /tmp/deny-rl 2>&1; true"]'
	runc_rl run ctsn
	[ "$status" -eq 0 ]
	[[ "$output" == *"Host is down"* ]]
	grep -q '^mkdir /tmp/deny-rl deny$' "$TESTDIR/agent.log"
}
