#!/usr/bin/env bats
# Overlay mounts of the config: the kernel's overlayfs, fuse-overlayfs
# (forced with runc.overlay=fuse, or as the fallback), and what a failure
# leaves behind.  Runs as root and as an unprivileged user (run.sh).

load helpers

setup ()
{
  setup_bundle
}

teardown ()
{
  teardown_bundle
}

@test "native overlay: the container sees the merged view, writes land in upperdir, the mount is overlayfs" {
  fill_layers
  add_overlay /mnt $(std_layers)
  merged_view_args
  run rt run -b "$BUNDLE" "$CT"
  echo "$output"
  [ "$status" -eq 0 ]
  check_merged_view overlay
  # Created by the container's root: on the host, the caller (rootless) or
  # root.
  [ "$(stat -c %u "$T/upper/new.txt")" -eq "$(id -u)" ]
  [ -z "$(daemons)" ]
}

@test "runc.overlay=fuse: fuse-overlayfs serves the merged view, writes land in upperdir" {
  command -v fuse-overlayfs >/dev/null || skip "fuse-overlayfs is not installed"
  fill_layers
  add_overlay /mnt $(std_layers)
  annotate_overlay fuse
  merged_view_args
  run rt run -b "$BUNDLE" "$CT"
  echo "$output"
  [ "$status" -eq 0 ]
  check_merged_view fuse.fuse-overlayfs
  [ "$(stat -c %u "$T/upper/new.txt")" -eq "$(id -u)" ]
  # `run` deleted the container when it exited, and its daemon with it.
  [ -z "$(daemons)" ]
  check_nothing_left
}

@test "fuse-overlayfs lives with the container: in its state, out of its sight and reach, gone after delete" {
  command -v fuse-overlayfs >/dev/null || skip "fuse-overlayfs is not installed"
  fill_layers
  add_overlay /mnt $(std_layers)
  annotate_overlay fuse
  set_args sleep 1000
  rt_detached create -b "$BUNDLE" "$CT"
  rt_detached start "$CT"

  pid=$(jq -r '.helpers[0].pid' "$ROOT/$CT/state.json")
  [ "$(jq '.helpers | length' "$ROOT/$CT/state.json")" -eq 1 ]
  [ "$(cat "/proc/$pid/comm")" = fuse-overlayfs ]
  alive "$pid"
  [ "$(daemons)" = "$pid" ]
  # Not in the container's PID namespace: not the container init's
  # descendant, outside its cgroup.
  [ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink "/proc/$(jq -r .pid "$ROOT/$CT/state.json")/ns/pid")" ]

  run rt exec "$CT" sh -c 'mnttype /mnt; cat /mnt/lower.txt; ps -o pid,comm'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *type=fuse.fuse-overlayfs* ]]
  [[ $output == *from-lower* ]]
  [[ $output != *fuse-overlayfs*fuse-overlayfs* ]] # only the mount type names it
  # The container's root cannot signal it: there is no such process there.
  run rt exec "$CT" kill -9 "$pid"
  [ "$status" -ne 0 ]
  alive "$pid"

  run rt delete -f "$CT"
  [ "$status" -eq 0 ]
  ! alive "$pid"
  check_nothing_left
}

@test "auto: when the kernel refuses the mount, fuse-overlayfs serves it" {
  command -v fuse-overlayfs >/dev/null || skip "fuse-overlayfs is not installed"
  fill_layers
  # An option overlayfs rejects (EINVAL) and fuse-overlayfs is not given.
  add_overlay /mnt $(std_layers) nosuchoption
  merged_view_args
  run rt --debug run -b "$BUNDLE" "$CT"
  echo "$output"
  [ "$status" -eq 0 ]
  check_merged_view fuse.fuse-overlayfs
  [[ $output == *"native overlay failed"*nosuchoption* ]]
  check_nothing_left
}

@test "runc.overlay=native: no fallback, the kernel's error is the error" {
  fill_layers
  add_overlay /mnt $(std_layers) nosuchoption
  annotate_overlay native
  set_args true
  run rt run -b "$BUNDLE" "$CT"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ $output == *"mounts["*"] (/mnt, type overlay): mount overlay: option \`nosuchoption\`"*"Invalid argument"* ]]
  [[ $output != *fuse-overlayfs* ]]
  check_nothing_left
}

@test "a missing lowerdir: the native error names it, no fallback is tried, nothing is left" {
  add_overlay /mnt "lowerdir=$T/missing" "upperdir=$T/upper" "workdir=$T/work"
  set_args true
  run rt run -b "$BUNDLE" "$CT"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ $output == *"lowerdir=$T/missing"*"No such file or directory"* ]]
  [[ $output != *fuse-overlayfs* ]]
  check_nothing_left
}

@test "a missing lowerdir with fuse-overlayfs: create fails with its reason, no daemon, mount or state is left" {
  command -v fuse-overlayfs >/dev/null || skip "fuse-overlayfs is not installed"
  add_overlay /mnt "lowerdir=$T/missing" "upperdir=$T/upper" "workdir=$T/work"
  annotate_overlay fuse
  set_args sleep 1000
  run rt create -b "$BUNDLE" "$CT"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ $output == *"(/mnt, type overlay): fuse-overlayfs does not answer on the mount"* ]]
  [[ $output == *"fuse-overlayfs exited: "*"lower"*"No such file or directory"* ]]
  check_nothing_left
}

@test "relative layer paths are relative to the rootfs, as in runc" {
  mkdir -p "$BUNDLE/rootfs/layers/lower" "$BUNDLE/rootfs/layers/upper" "$BUNDLE/rootfs/layers/work"
  echo in-rootfs >"$BUNDLE/rootfs/layers/lower/where.txt"
  echo in-cwd >"$T/lower/where.txt"
  add_overlay /mnt lowerdir=layers/lower upperdir=layers/upper workdir=layers/work
  set_args sh -c 'cat /mnt/where.txt; echo x >/mnt/written.txt'
  cd "$T"
  run rt run -b "$BUNDLE" "$CT"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = in-rootfs ]
  [ -f "$BUNDLE/rootfs/layers/upper/written.txt" ]
}

@test "relative layer paths with fuse-overlayfs" {
  command -v fuse-overlayfs >/dev/null || skip "fuse-overlayfs is not installed"
  mkdir -p "$BUNDLE/rootfs/layers/lower" "$BUNDLE/rootfs/layers/upper" "$BUNDLE/rootfs/layers/work"
  echo in-rootfs >"$BUNDLE/rootfs/layers/lower/where.txt"
  add_overlay /mnt lowerdir=layers/lower upperdir=layers/upper workdir=layers/work
  annotate_overlay fuse
  set_args sh -c 'cat /mnt/where.txt; mnttype /mnt'
  cd "$T"
  run rt run -b "$BUNDLE" "$CT"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *in-rootfs*type=fuse.fuse-overlayfs* ]]
}

@test "root with a user namespace: both kinds, files in upperdir owned by the mapped root" {
  is_root || skip "needs root (the rootless run maps only the caller)"
  command -v fuse-overlayfs >/dev/null || skip "fuse-overlayfs is not installed"
  cfg '.linux.namespaces += [{type: "user"}]
       | .linux.uidMappings = [{containerID: 0, hostID: 200000, size: 65536}]
       | .linux.gidMappings = [{containerID: 0, hostID: 200000, size: 65536}]'
  for mode in native fuse; do
    rm -rf "$T/upper" "$T/work" "$T/lower"
    mkdir -p "$T/lower" "$T/upper" "$T/work"
    fill_layers
    chown -R 200000:200000 "$T/upper" "$T/work"
    cfg 'del(.mounts[] | select(.destination == "/mnt"))'
    add_overlay /mnt $(std_layers)
    annotate_overlay "$mode"
    merged_view_args
    run rt run -b "$BUNDLE" "$CT"
    echo "$mode: $output"
    [ "$status" -eq 0 ]
    if [ "$mode" = fuse ]; then check_merged_view fuse.fuse-overlayfs; else check_merged_view overlay; fi
    [ "$(stat -c %u:%g "$T/upper/new.txt")" = 200000:200000 ]
    check_nothing_left
  done
}
