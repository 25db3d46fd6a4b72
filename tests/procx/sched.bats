#!/usr/bin/env bats
# linux.personality, process.scheduler, process.ioPriority,
# process.execCPUAffinity and linux.memoryPolicy, checked from inside.

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

ncpus() {
	grep -c ^processor /proc/cpuinfo
}

@test "personality LINUX32: the init and an exec'd process see i686" {
	update_config '.linux.personality = {"domain": "LINUX32", "flags": []}
		| .process.args = ["sh", "-c", "uname -m; cat /proc/self/personality"]'
	runc run ct
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "i686" ]
	[ "${lines[1]}" = "00000008" ]

	update_config '.process.args = ["sleep", "100"]'
	runc_d run -d ct2
	[ "$status" -eq 0 ]
	runc exec ct2 uname -m
	[ "$status" -eq 0 ]
	[ "$output" = "i686" ]
}

@test "personality LINUX, even with the personality syscall denied by seccomp" {
	update_config '.linux.personality = {"domain": "LINUX"}
		| .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
			"syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO"}]}
		| .process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	runc exec ct uname -m
	[ "$status" -eq 0 ]
	[ "$output" = "x86_64" ]
}

@test "personality: an unknown domain is refused before anything is made" {
	update_config '.linux.personality = {"domain": "LINUX64"}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.personality.domain: invalid personality domain "LINUX64"'* ]]
	assert_nothing_left "$ROOT"
}

@test "scheduler: SCHED_BATCH with nice 19 for the init and its exec'd processes" {
	update_config '.process.scheduler = {"policy": "SCHED_BATCH", "priority": 0, "nice": 19}
		| .process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	# /proc/PID/sched: policy 3 is SCHED_BATCH, prio 139 is 120 + nice 19.
	runc exec ct sh -c 'grep -E "^(policy|prio) " /proc/1/sched | tr -s " "'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "policy : 3" ]]
	[[ "${lines[1]}" == "prio : 139" ]]
	runc exec ct sh -c 'grep -E "^policy " /proc/self/sched | tr -s " "'
	[[ "$output" == "policy : 3" ]]
}

@test "scheduler: SCHED_DEADLINE with a flag, from exec -p" {
	update_config '.process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	cat >"$TESTDIR/proc.json" <<-EOF
		{"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["/bin/sleep", "100"], "cwd": "/",
		 "scheduler": {"policy": "SCHED_DEADLINE", "flags": ["SCHED_FLAG_RESET_ON_FORK"],
		               "nice": 19, "priority": 0, "runtime": 42000, "deadline": 100000, "period": 1000000}}
	EOF
	runc_d exec -d --pid-file "$TESTDIR/pid" --process "$TESTDIR/proc.json" ct
	[ "$status" -eq 0 ]
	run chrt -p "$(cat "$TESTDIR/pid")"
	[[ "${lines[0]}" == *"scheduling policy: SCHED_DEADLINE|SCHED_RESET_ON_FORK" ]]
	[[ "${lines[2]}" == *"runtime/deadline/period parameters: 42000/100000/1000000" ]]
}

@test "scheduler: SCHED_DEADLINE and a cpuset give runc's error" {
	[ "$(ncpus)" -ge 2 ] || skip "needs 2 CPUs"
	update_config '.linux.resources.cpu.cpus = "0"
		| .process.scheduler = {"policy": "SCHED_DEADLINE", "nice": 19, "runtime": 42000, "deadline": 1000000, "period": 1000000}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" != *"not implemented yet"* ]] || skip "linux.resources.cpu is not implemented yet"
	[[ "$output" == *"process scheduler can't be used together with AllowedCPUs"* ]]
	assert_nothing_left "$ROOT"
}

@test "scheduler: invalid settings are refused with the field named" {
	update_config '.process.scheduler = {"policy": "SCHED_OTHER", "priority": 10}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.scheduler.priority: scheduler.priority can only be specified for SchedFIFO or SchedRR policy"* ]]
	update_config '.process.scheduler = {"policy": "SCHED_OTHER", "nice": 30}'
	runc run ct
	[[ "$output" == *"process.scheduler.nice: invalid scheduler.nice: 30"* ]]
	assert_nothing_left "$ROOT"
}

@test "ioPriority: the init, an exec'd process, and one with its own from exec -p" {
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 4}
		| .process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	runc exec ct ionice -p 1
	[ "$output" = "best-effort: prio 4" ]
	runc exec ct ionice
	[ "$output" = "best-effort: prio 4" ]
	echo '{"terminal": false, "user": {"uid": 0, "gid": 0}, "ioPriority": {"class": "IOPRIO_CLASS_IDLE"}, "args": ["/bin/ionice"], "cwd": "/"}' >"$TESTDIR/p.json"
	runc exec --process "$TESTDIR/p.json" ct
	[ "$status" -eq 0 ]
	[ "$output" = "idle" ]
	# The init leads its own process group, which is what ioprio applies to.
	runc exec ct ionice -p 1
	[ "$output" = "best-effort: prio 4" ]
}

@test "ioPriority: an unknown class is refused" {
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_NONE", "priority": 1}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'process.ioPriority.class: invalid io priority class "IOPRIO_CLASS_NONE"'* ]]
}

@test "execCPUAffinity: initial then final for exec, from process.json" {
	[ "$(ncpus)" -ge 2 ] || skip "needs 2 CPUs"
	update_config '.process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	for cpus in 1 0-1 0,1 0; do
		exp=${cpus//,/-}
		echo '{"terminal": false, "user": {"uid": 0, "gid": 0}, "execCPUAffinity": {"initial": "'"$cpus"'", "final": "'"$cpus"'"},
		       "args": ["/bin/grep", "-F", "Cpus_allowed_list:", "/proc/self/status"], "cwd": "/"}' >"$TESTDIR/p.json"
		run "$RUNC" --root "$ROOT" --debug exec --process "$TESTDIR/p.json" ct
		[ "$status" -eq 0 ]
		[[ "$output" == *"exec: initial CPU affinity $exp"* ]]
		[[ "$output" == *"Cpus_allowed_list:	$exp"* ]]
	done
}

@test "execCPUAffinity from config.json: initial, then final; not for the init" {
	[ "$(ncpus)" -ge 2 ] || skip "needs 2 CPUs"
	update_config '.process.execCPUAffinity = {"initial": "0", "final": "1"} | .process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	run "$RUNC" --root "$ROOT" --debug exec ct grep Cpus_allowed_list: /proc/self/status
	[ "$status" -eq 0 ]
	[[ "$output" == *"exec: initial CPU affinity 0"* ]]
	[[ "$output" == *"Cpus_allowed_list:	1"* ]]
	runc exec ct grep Cpus_allowed_list: /proc/1/status
	[[ "$output" == "Cpus_allowed_list:	0-$(($(ncpus) - 1))" ]]
}

@test "CPU affinity: the runtime's own (taskset) is not inherited by run or exec" {
	[ "$(ncpus)" -ge 2 ] || skip "needs 2 CPUs"
	all="0-$(($(ncpus) - 1))"
	update_config '.process.args = ["grep", "-F", "Cpus_allowed_list:", "/proc/self/status"]'
	run taskset -c 0 "$RUNC" --root "$ROOT" run ct
	[ "$status" -eq 0 ]
	[ "$output" = "Cpus_allowed_list:	$all" ]
	update_config '.process.args = ["sleep", "100"]'
	taskset -c 0 "$RUNC" --root "$ROOT" run -d ct2 </dev/null >/dev/null 2>&1
	run taskset -c 0 "$RUNC" --root "$ROOT" exec ct2 grep -F Cpus_allowed_list: /proc/self/status
	[ "$output" = "Cpus_allowed_list:	$all" ]
}

@test "execCPUAffinity: a malformed list is refused" {
	update_config '.process.args = ["sleep", "100"]'
	runc_d run -d ct
	echo '{"terminal": false, "user": {"uid": 0, "gid": 0}, "execCPUAffinity": {"initial": "0-x"}, "args": ["true"], "cwd": "/"}' >"$TESTDIR/p.json"
	runc exec --process "$TESTDIR/p.json" ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'process.execCPUAffinity.initial: invalid list "0-x": "x" is not a number'* ]]
}


@test "memoryPolicy: interleave, bind with static nodes, preferred with relative nodes for exec" {
	update_config '.process.args = ["numa_policy"]
		| .linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE", "nodes": "0"}'
	runc run ct
	[ "$status" -eq 0 ]
	[ "$output" = "interleave:0" ]

	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}'
	runc run ct
	[ "$status" -eq 0 ]
	[[ "$output" == "bind"*"static"*"0" ]]

	update_config '.linux.memoryPolicy = {"mode": "MPOL_PREFERRED", "nodes": "0", "flags": ["MPOL_F_RELATIVE_NODES"]}
		| .process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	runc exec ct numa_policy
	[[ "$output" == "prefer"*"relative"*"0" ]]
	runc exec ct px_helper mempolicy
	[[ "$output" == "mode=1 flags=0x4000 nodes=0x1" ]]
}

@test "memoryPolicy: errors name the field" {
	update_config '.linux.memoryPolicy = {"mode": "INTERLEAVE", "nodes": "0"}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.memoryPolicy.mode: invalid memory policy mode "INTERLEAVE"'* ]]
	update_config '.linux.memoryPolicy = {"mode": "MPOL_PREFERRED", "nodes": "0", "flags": ["MPOL_F_RELATIVE_NODES", "badflag"]}'
	runc run ct
	[[ "$output" == *'linux.memoryPolicy.flags[1]: invalid memory policy flag "badflag"'* ]]
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0-9876543210", "flags": []}'
	runc run ct
	[[ "$output" == *"linux.memoryPolicy.nodes: invalid memory policy node set"* ]]
	update_config '.linux.memoryPolicy = {"mode": "MPOL_DEFAULT", "nodes": "0-7",
		"flags": ["MPOL_F_NUMA_BALANCING", "MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.memoryPolicy: set_mempolicy"*"Invalid argument"* ]]
	assert_nothing_left "$ROOT"
}

@test "rootless: personality, SCHED_BATCH, best-effort I/O priority and a memory policy" {
	setup_rootless
	update_rl_config '.linux.personality = {"domain": "LINUX32"}
		| .process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}
		| .process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 7}
		| .linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE", "nodes": "0"}
		| .process.args = ["sh", "-c", "uname -m; ionice; grep -E \"^policy \" /proc/self/sched | tr -s \" \"; numa_policy"]'
	runc_rl run ct
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "i686" ]
	[ "${lines[1]}" = "best-effort: prio 7" ]
	[ "${lines[2]}" = "policy : 3" ]
	[ "${lines[3]}" = "interleave:0" ]
}

@test "rootless: a real-time I/O class needs privileges the user lacks" {
	setup_rootless
	update_rl_config '.process.ioPriority = {"class": "IOPRIO_CLASS_RT", "priority": 0}'
	runc_rl run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"process.ioPriority: ioprio_set(class 1, priority 0): Operation not permitted"* ]]
	assert_nothing_left "$RL_ROOT"
}
