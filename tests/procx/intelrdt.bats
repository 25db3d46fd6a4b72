#!/usr/bin/env bats
# linux.intelRdt.  Where resctrl is not mounted (as on most test hosts)
# the config is refused up front; the resctrl logic itself is unit-tested
# on an imitation tree (tests/unit/test_intelrdt.c).

load helpers

setup_file() {
	setup_file_procx
}

teardown_file() {
	teardown_file_procx
}

setup() {
	setup_procx
}

teardown() {
	teardown_procx
}

resctrl_mounted() {
	[ "$(stat -f -c %T /sys/fs/resctrl 2>/dev/null)" = "resctrl" ]
}

@test "intelRdt without resctrl: a clear error, nothing left behind" {
	resctrl_mounted && skip "resctrl is mounted here"
	update_config '.linux.intelRdt = {"l3CacheSchema": "L3:0=ff"}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.intelRdt: Intel RDT is not available: resctrl is not mounted on /sys/fs/resctrl"* ]]
	assert_nothing_left "$ROOT"
}

@test "intelRdt: a closID that is a path is refused" {
	update_config '.linux.intelRdt = {"closID": "../x"}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.intelRdt.closID: invalid intelRdt.ClosID "../x"'* ]]
	assert_nothing_left "$ROOT"
}

@test "intelRdt with resctrl: a group named after the container, removed on delete" {
	resctrl_mounted || skip "resctrl is not mounted"
	update_config '.linux.intelRdt = {} | .process.args = ["sleep", "100"]'
	runc_d run -d ctrdt
	[ "$status" -eq 0 ]
	pid=$("$RUNC" --root "$ROOT" state ctrdt | jq .pid)
	grep -qx "$pid" /sys/fs/resctrl/ctrdt/tasks
	runc delete -f ctrdt
	[ ! -e /sys/fs/resctrl/ctrdt ]
}
