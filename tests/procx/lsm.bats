#!/usr/bin/env bats
# AppArmor and SELinux fields on a host that may have neither: applied
# where the host runs the LSM, refused up front where it does not, with
# nothing left behind (see src/lsm.h for why).

load helpers

setup_file() {
	setup_file_procx
}

teardown_file() {
	teardown_file_procx
}

setup() {
	setup_procx
	APPARMOR=no
	SELINUX=no
	if [ -d /sys/kernel/security/apparmor ] && grep -q Y /sys/module/apparmor/parameters/enabled 2>/dev/null; then
		APPARMOR=yes
	fi
	if [ "$(stat -f -c %T /sys/fs/selinux 2>/dev/null)" = "selinuxfs" ]; then
		SELINUX=yes
	fi
}

teardown() {
	teardown_procx
}

@test "no LSM field: the container runs" {
	update_config '.process.args = ["echo", "plain"]'
	runc run ct
	[ "$status" -eq 0 ]
	[ "$output" = "plain" ]
}

@test "process.apparmorProfile without AppArmor: a clear error, nothing left behind" {
	[ "$APPARMOR" = no ] || skip "this host runs AppArmor"
	update_config '.process.apparmorProfile = "acme"'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'process.apparmorProfile: apparmor profile "acme" requested but AppArmor is not enabled on this host'* ]]
	assert_nothing_left "$ROOT"
	runc create ct
	[ "$status" -ne 0 ]
	assert_nothing_left "$ROOT"
}

@test "process.selinuxLabel and linux.mountLabel without SELinux: clear errors" {
	[ "$SELINUX" = no ] || skip "this host runs SELinux"
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'process.selinuxLabel: SELinux label "system_u:system_r:container_t:s0" requested but SELinux is not enabled on this host'* ]]
	assert_nothing_left "$ROOT"
	update_config 'del(.process.selinuxLabel) | .linux.mountLabel = "system_u:object_r:container_file_t:s0"'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.mountLabel: SELinux mount label "system_u:object_r:container_file_t:s0" requested but SELinux is not enabled on this host'* ]]
	assert_nothing_left "$ROOT"
}

@test "exec --apparmor and --process-label without the LSM: refused, the container unharmed" {
	[ "$APPARMOR" = no ] && [ "$SELINUX" = no ] || skip "this host runs an LSM"
	update_config '.process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	runc exec --apparmor acme ct true
	[ "$status" -ne 0 ]
	[[ "$output" == *'--apparmor: apparmor profile "acme" requested but AppArmor is not enabled on this host'* ]]
	runc exec --process-label system_u:system_r:container_t:s0 ct true
	[ "$status" -ne 0 ]
	[[ "$output" == *'--process-label: SELinux label "system_u:system_r:container_t:s0" requested but SELinux is not enabled on this host'* ]]
	# No process was started for either.
	runc exec ct ps -o comm
	[ "$output" = "$(printf 'COMMAND\nsleep\nps')" ]
	runc state ct
	[[ "$output" == *'"status": "running"'* ]]
}

@test "AppArmor profile on a host with AppArmor: the process runs confined" {
	[ "$APPARMOR" = yes ] || skip "this host has no AppArmor"
	update_config '.process.apparmorProfile = "unconfined" | .process.args = ["cat", "/proc/self/attr/current"]'
	runc run ct
	[ "$status" -eq 0 ]
	[[ "$output" == *unconfined* ]]
}

@test "rootless: the same refusal" {
	[ "$APPARMOR" = no ] || skip "this host runs AppArmor"
	setup_rootless
	update_rl_config '.process.apparmorProfile = "acme"'
	runc_rl run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'requested but AppArmor is not enabled on this host'* ]]
	assert_nothing_left "$RL_ROOT"
}
