#!/usr/bin/env bats
# linux.netDevices: a host interface moved into the container's network
# namespace.  Each test makes its own veth pair (the kernel here has no
# dummy driver) and network namespace, with unique names, and removes them
# again.

load helpers

setup_file() {
	setup_file_procx
}

teardown_file() {
	teardown_file_procx
}

setup() {
	setup_procx
	# Unique per test, at most 15 bytes.
	local n=$((RANDOM % 100000))
	DEV=pxd$n
	PEER=pxp$n
	ip link add "$DEV" type veth peer name "$PEER"
	NS=
}

teardown() {
	teardown_procx
	ip link del "$DEV" 2>/dev/null || true
	ip link del "$PEER" 2>/dev/null || true
	if [ -n "$NS" ]; then
		ip netns exec "$NS" ip link del "$DEV" 2>/dev/null || true
		ip netns exec "$NS" ip link del ctr0 2>/dev/null || true
		ip netns del "$NS" || true
	fi
}

# A network namespace made beforehand, that the container joins.
use_netns() {
	NS=pxns$((RANDOM % 100000))
	ip netns add "$NS"
	update_config '(.linux.namespaces[] | select(.type == "network")) .path = "/run/netns/'"$NS"'"'
}

on_host() {
	ip link show dev "$1" >/dev/null 2>&1
}

@test "an interface moves in; the host loses it; it dies with the container's namespace" {
	ip link set up dev "$DEV"
	ip addr add 169.254.169.13/32 dev "$DEV"
	update_config '.linux.netDevices = {"'"$DEV"'": {}}
		| .process.args = ["sh", "-c", "ip -o link show; ip -o addr show dev '"$DEV"'"]'
	runc run ct
	[ "$status" -eq 0 ]
	[[ "$output" == *": $DEV@"*": <"*"UP"* ]]
	[[ "$output" == *"inet 169.254.169.13/32"* ]]
	# A virtual device goes away with the namespace that held it (a veth
	# takes its peer along): nothing is moved back, the spec leaves its
	# lifecycle to the namespace owner.
	! on_host "$DEV"
	! on_host "$PEER"
}

@test "renamed, with MTU, MAC and global address kept; a host-scope address is not" {
	ip link set mtu 1789 dev "$DEV"
	ip link set address 00:11:22:33:44:55 dev "$DEV"
	ip addr add 169.254.169.77/32 dev "$DEV"
	ip addr add 127.0.0.33/8 scope host dev "$DEV"
	update_config '.linux.netDevices = {"'"$DEV"'": {"name": "ctr0"}}
		| .process.args = ["ip", "addr", "show", "dev", "ctr0"]'
	runc run ct
	[ "$status" -eq 0 ]
	[[ "$output" == *"ctr0@"*"mtu 1789 "* ]]
	[[ "$output" == *"ether 00:11:22:33:44:55 "* ]]
	[[ "$output" == *"inet 169.254.169.77/32 "* ]]
	[[ "$output" != *"127.0.0.33"* ]]
}

@test "a pre-made network namespace keeps the device after delete" {
	use_netns
	update_config '.linux.netDevices = {"'"$DEV"'": {}} | .process.args = ["sleep", "100"]'
	runc_d run -d ct
	[ "$status" -eq 0 ]
	! on_host "$DEV"
	runc exec ct ip -o link show dev "$DEV"
	[ "$status" -eq 0 ]
	runc delete -f ct
	[ "$status" -eq 0 ]
	# The namespace's owner controls the interface from now on.
	ip netns exec "$NS" ip link show dev "$DEV"
	! on_host "$DEV"
	ip netns exec "$NS" ip link set dev "$DEV" netns 1
	on_host "$DEV"
}

@test "a network namespace the init makes itself (it joins another namespace first)" {
	# Joining a namespace makes the init create the new ones with unshare():
	# the device moves once it says its network namespace exists.
	update_config '.linux.namespaces = ([.linux.namespaces[] | select(.type != "ipc")] + [{"type": "ipc", "path": "/proc/'"$$"'/ns/ipc"}])
		| .linux.netDevices = {"'"$DEV"'": {"name": "ctr0"}}
		| .process.args = ["ip", "-o", "link", "show", "dev", "ctr0"]'
	runc run ct
	[ "$status" -eq 0 ]
	[[ "$output" == *": ctr0@"* ]]
	! on_host "$DEV"
}

@test "without a network namespace: runc's error, the device stays" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "network")]
		| .linux.netDevices = {"'"$DEV"'": {}}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"unable to move network devices without a NET namespace"* ]]
	on_host "$DEV"
	assert_nothing_left "$ROOT"
}

@test "an interface the host does not have: an error, nothing left behind" {
	update_config '.linux.netDevices = {"pxnope0": {}}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.netDevices["pxnope0"]: no such interface in the runtime'* ]]
	assert_nothing_left "$ROOT"
}

@test "an invalid new name is refused before anything happens" {
	update_config '.linux.netDevices = {"'"$DEV"'": {"name": "a/b"}}'
	runc run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *'linux.netDevices["'"$DEV"'"].name: invalid network device name "a/b"'* ]]
	on_host "$DEV"
}

@test "rootless: refused, the device stays" {
	setup_rootless
	update_rl_config '.linux.namespaces += [{"type": "network"}] | .linux.netDevices = {"'"$DEV"'": {}}'
	runc_rl run ct
	[ "$status" -ne 0 ]
	[[ "$output" == *"network devices are not supported for rootless containers"* ]]
	on_host "$DEV"
	assert_nothing_left "$RL_ROOT"
}
