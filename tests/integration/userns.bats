#!/usr/bin/env bats
# User namespaces: a single mapping of the caller's own id, several ranges
# (written directly by root, through newuidmap/newgidmap by a user), and
# joining one by path.

load helpers

# The maps as the kernel shows them, squeezed: "inside outside count" lines.
MAPS_SH='echo uid:; cat /proc/self/uid_map; echo gid:; cat /proc/self/gid_map'
squeeze () { tr -s ' \t' ' ' | sed 's/^ //; s/ $//'; }

@test "userns: rootless default: the caller's own id mapped to root" {
  requires rootless
  set_sh "$MAPS_SH; id -u; id -g"
  runc run "$CT"
  assert_success
  assert_eq "$(squeeze <<<"$output")" "$(printf 'uid:\n0 %s 1\ngid:\n0 %s 1\n0\n0' "$(id -u)" "$(id -g)")"
}

@test "userns: a file written by container root belongs to the mapped host id" {
  mkdir -p "$TEST_DIR/shared" "$ROOTFS/shared"
  local hostid
  if is_root; then
    hostid=100000
    set_maps '[{"containerID": 0, "hostID": 100000, "size": 65536}]' '[{"containerID": 0, "hostID": 100000, "size": 65536}]'
    chown 100000:100000 "$TEST_DIR/shared"
  else
    hostid=$(id -u)
  fi
  add_bind "$TEST_DIR/shared" /shared
  set_sh 'echo from-container >/shared/file; stat -c "%u:%g" /shared/file'
  runc run "$CT"
  assert_success
  assert_eq "$output" "0:0" "owner inside"
  assert_eq "$(stat -c %u "$TEST_DIR/shared/file")" "$hostid" "owner on the host"
  assert_eq "$(cat "$TEST_DIR/shared/file")" from-container
}

@test "userns: root writes a full-range mapping" {
  requires root
  set_maps '[{"containerID": 0, "hostID": 100000, "size": 65536}]' '[{"containerID": 0, "hostID": 200000, "size": 65536}]'
  set_sh "$MAPS_SH"
  runc run "$CT"
  assert_success
  assert_eq "$(squeeze <<<"$output")" $'uid:\n0 100000 65536\ngid:\n0 200000 65536'
}

@test "userns: root writes several ranges" {
  requires root
  set_maps '[{"containerID": 0, "hostID": 100000, "size": 1000}, {"containerID": 1000, "hostID": 300000, "size": 1000}]' \
    '[{"containerID": 0, "hostID": 100000, "size": 1000}, {"containerID": 1000, "hostID": 400000, "size": 1000}]'
  cfg '.process.user = {"uid": 1000, "gid": 1000}'
  set_sh "$MAPS_SH; id -u; id -g"
  runc run "$CT"
  assert_success
  assert_eq "$(squeeze <<<"$output")" $'uid:\n0 100000 1000\n1000 300000 1000\ngid:\n0 100000 1000\n1000 400000 1000\n1000\n1000'
}

@test "userns: container ids outside the mapping show as the overflow id" {
  requires root
  set_maps '[{"containerID": 0, "hostID": 100000, "size": 65536}]' '[{"containerID": 0, "hostID": 100000, "size": 65536}]'
  # The rootfs belongs to host root, which is not mapped.
  set_sh 'stat -c %u /bin/busybox'
  runc run "$CT"
  assert_success
  assert_eq "$output" "$(cat /proc/sys/kernel/overflowuid)"
}

@test "userns: a user maps several ranges through newuidmap/newgidmap" {
  requires rootless newuidmap
  set_subid_maps
  cfg '.process.user = {"uid": 1000, "gid": 1000}'
  set_sh "$MAPS_SH; id -u; id -g"
  runc run "$CT"
  assert_success
  assert_eq "$(squeeze <<<"$output")" "$(printf 'uid:\n0 %s 1\n1 %s 65536\ngid:\n0 %s 1\n1 %s 65536\n1000\n1000' "$(id -u)" "$US" "$(id -g)" "$GS")"
}

@test "userns: with newgidmap a user's container gets additional groups (runc >= 1.2)" {
  requires rootless newuidmap
  set_subid_maps
  cfg '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [100, 29]}'
  set_sh 'id -G'
  runc run "$CT"
  assert_success
  assert_eq "$output" "1000 29 100"
}

@test "userns: a range the user does not own is refused, naming the range" {
  requires rootless newuidmap
  local us uc bad
  read -r us uc < <(subid_range subuid)
  bad=$((us + uc + 1000))
  set_maps "[{\"containerID\": 0, \"hostID\": $(id -u), \"size\": 1}, {\"containerID\": 1, \"hostID\": $bad, \"size\": 10}]" \
    "[{\"containerID\": 0, \"hostID\": $(id -g), \"size\": 1}]"
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains "$bad"
  assert_nothing_left
}

@test "userns: a user cannot map an id that is not its own without subordinate ids" {
  requires rootless
  set_maps '[{"containerID": 0, "hostID": 0, "size": 1}]' "[{\"containerID\": 0, \"hostID\": $(id -g), \"size\": 1}]"
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_nothing_left
}

@test "userns: join a user namespace by path (runc >= 1.2)" {
  requires userns
  hold_ns --user --map-root-user
  ns_join user "/proc/$HOLDER/ns/user"
  cfg 'del(.linux.uidMappings) | del(.linux.gidMappings)'
  set_sh "readlink /proc/self/ns/user; $MAPS_SH"
  runc run "$CT"
  assert_success
  assert_eq "${lines[0]}" "$(readlink "/proc/$HOLDER/ns/user")" "joined user namespace"
  assert_eq "$(tail -n +2 <<<"$output" | squeeze)" "$(printf 'uid:\n0 %s 1\ngid:\n0 %s 1' "$(id -u)" "$(id -g)")"
}
