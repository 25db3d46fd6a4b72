#!/usr/bin/env bats
# containerd (as root) with its runc shim (io.containerd.runc.v2) driving
# the runtime: `ctr run --runc-binary`.  The test starts its own containerd
# with a private root, state directory, sockets and opt directory, in its
# own namespace.  The shim calls
#   runc --root /run/containerd/runc/NS --log BUNDLE/log.json --log-format json
#        create --bundle BUNDLE --pid-file BUNDLE/init.pid ID
# then start, exec -d --process, kill, delete, delete --force; on failure it
# shows the last "error" line of log.json.

load helpers

IMAGE=docker.io/library/clients-busybox:latest

setup_file ()
{
  local c probe
  for c in containerd ctr containerd-shim-runc-v2; do
    command -v $c > /dev/null || { file_skip "$c is not installed (package containerd)"; return 0; }
  done
  have_basics || return 0
  probe=$(mktemp -d)
  if runtime_lacks_resources "$probe"; then
    rm -rf "$probe"
    file_skip "the runtime applies no cgroup limits yet, and containerd always asks for cpu shares"
    return 0
  fi
  rm -rf "$probe"
  export CD NS
  CD=$(clients_tmpdir)
  NS=clients-$$
  snapshot_global_paths "$CD.global-paths"
  snapshot_cgroups "$CD.cgroups" "$NS"
  cat > "$CD/config.toml" <<EOF
version = 2
root = "$CD/root"
state = "$CD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CD/containerd.sock"
[ttrpc]
  address = "$CD/containerd.sock.ttrpc"
[debug]
  level = "debug"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CD/opt"
EOF
  # Away from bats' file descriptors, or bats would wait for it.
  containerd --config "$CD/config.toml" > "$CD/containerd.log" 2>&1 < /dev/null 3>&- &
  echo $! > "$CD/containerd.pid"
  wait_until 20 ctr --address "$CD/containerd.sock" version > /dev/null 2>&1
  make_busybox_tar "$CD/busybox.tar"
  make_oci_archive "$CD/busybox.tar" "$CD/busybox-oci.tar" "$IMAGE"
  ctr_ image import "$CD/busybox-oci.tar" > /dev/null
}

teardown_file ()
{
  [[ -n ${CD:-} ]] || return 0
  local id
  if [[ -S $CD/containerd.sock ]]; then
    for id in $(ctr_ task ls -q 2>/dev/null); do
      ctr_ task kill -a -s KILL "$id" > /dev/null 2>&1
      ctr_ task delete --force "$id" > /dev/null 2>&1
    done
    for id in $(ctr_ container ls -q 2>/dev/null); do
      ctr_ container rm "$id" > /dev/null 2>&1
    done
    ctr_ image rm "$IMAGE" > /dev/null 2>&1
  fi
  if [[ -s $CD/containerd.pid ]]; then
    kill "$(cat "$CD/containerd.pid")" 2>/dev/null
    wait_until 10 eval '! kill -0 $(cat "$CD/containerd.pid") 2>/dev/null'
  fi
  # A shim outlives a dead containerd; ours are the ones on our socket.
  pkill -9 -f "containerd-shim-runc-v2 .*-address $CD/containerd.sock" 2>/dev/null || true
  remove_tree "$CD"
  remove_new_global_paths "$CD.global-paths"
  remove_new_cgroups "$CD.cgroups"
  rm -f "$CD.global-paths" "$CD.cgroups"
}

ctr_ ()
{
  ctr --address "$CD/containerd.sock" --namespace "$NS" "$@"
}

setup ()
{
  skip_if_file_skipped
  ID=c$BATS_TEST_NUMBER-$$
  MARK=clients-marker-$$-$BATS_TEST_NUMBER
}

teardown ()
{
  [[ -n ${CD:-} ]] || return 0
  ctr_ task kill -a -s KILL "$ID" > /dev/null 2>&1 || true
  ctr_ task delete --force "$ID" > /dev/null 2>&1 || true
  ctr_ container rm "$ID" > /dev/null 2>&1 || true
}

task_status ()
{
  ctr_ task ls | awk -v id="$1" '$1 == id { print $3 }'
}

# Nothing of task ID remains: our state under the shim's --root, the
# cgroup, the shim, the container's processes, the rootfs mount.
assert_task_gone ()
{
  local id=$1
  [[ ! -e /run/containerd/runc/$NS/$id ]] || { echo "runtime state left for $id" >&2; return 1; }
  assert_no_cgroup "$id"
  assert_no_process "containerd-shim-runc-v2 .*-id $id "
  assert_no_process "$MARK"
  assert_no_mount_under "$CD/state/io.containerd.runtime.v2.task/$NS/$id"
}

@test "containerd: the shim calls the runtime with --log BUNDLE/log.json --log-format json" {
  # A wrapper that records the calls and hands them on unchanged.
  cat > "$CD/wrapper" <<EOF
#!/bin/sh
echo "\$*" >> '$CD/calls'
exec '$RUNC' "\$@"
EOF
  chmod +x "$CD/wrapper"
  rm -f "$CD/calls"
  run -0 ctr_ run --rm --runc-binary "$CD/wrapper" "$IMAGE" "$ID" true
  cat "$CD/calls"
  grep -q "^--root /run/containerd/runc/$NS --log .*/$ID/log.json --log-format json create --bundle .*/$ID --pid-file .*/$ID/init.pid $ID\$" "$CD/calls"
  grep -q -- "--log-format json start $ID\$" "$CD/calls"
  grep -q -- "--log-format json delete $ID\$" "$CD/calls"
  assert_task_gone "$ID"
}

@test "containerd: run --rm: output and exit status" {
  run -3 ctr_ run --rm --runc-binary "$RUNC" "$IMAGE" "$ID" sh -c 'echo out-$((6*7)); exit 3' "$MARK"
  [[ $output == out-42 ]]
  assert_task_gone "$ID"
}

@test "containerd: run -t through the shim's console socket" {
  run -5 script -qec "ctr --address $CD/containerd.sock --namespace $NS run --rm -t --runc-binary $RUNC $IMAGE $ID sh -c 'tty; exit 5'" /dev/null
  [[ $output == *'/dev/pts/0'* ]]
  assert_task_gone "$ID"
}

@test "containerd: run -d, exec (with and without -t), kill, delete" {
  local pid
  run -0 ctr_ run -d --runc-binary "$RUNC" "$IMAGE" "$ID" \
    sh -c 'trap "exit 9" TERM; echo ready > /tmp/ready; while :; do sleep 0.1; done' "$MARK"
  [[ $(task_status "$ID") == RUNNING ]]
  pid=$(ctr_ task ls | awk -v id="$ID" '$1 == id { print $2 }')
  grep -q "$MARK" "/proc/$pid/cmdline"
  # The runtime's view of what the shim made.
  run -0 "$RUNC" --root "/run/containerd/runc/$NS" state "$ID"
  [[ $(jq -r .status <<< "$output") == running && $(jq -r .pid <<< "$output") == "$pid" ]]
  [[ $(jq -r .bundle <<< "$output") == "$CD/state/io.containerd.runtime.v2.task/$NS/$ID" ]]

  wait_until 10 ctr_ task exec --exec-id e0 "$ID" test -e /tmp/ready
  run -6 ctr_ task exec --exec-id e1 "$ID" sh -c 'echo in-exec; exit 6'
  [[ $output == in-exec ]]
  run -0 ctr_ task exec --exec-id e2 --user 1000:1000 --cwd /tmp "$ID" sh -c 'echo $(id -u) $(pwd)'
  [[ $output == '1000 /tmp' ]]
  run -0 script -qec "ctr --address $CD/containerd.sock --namespace $NS task exec -t --exec-id e3 $ID tty" /dev/null
  [[ $output == *'/dev/pts/'* ]]

  run -0 ctr_ task kill "$ID"
  wait_until 10 test "$(task_status "$ID")" = STOPPED
  run -0 ctr_ task delete "$ID"
  [[ $output == *'exit code 9'* ]]
  run -0 ctr_ container rm "$ID"
  assert_task_gone "$ID"
}

@test "containerd: kill --all with SIGKILL" {
  run -0 ctr_ run -d --runc-binary "$RUNC" "$IMAGE" "$ID" sh -c 'sleep 1000 & sleep 1000' "$MARK"
  run -0 ctr_ task kill --all --signal KILL "$ID"
  wait_until 10 test "$(task_status "$ID")" = STOPPED
  run -0 ctr_ task delete "$ID"
  run -0 ctr_ container rm "$ID"
  assert_task_gone "$ID"
}

@test "containerd: a failing create shows the runtime's error from log.json" {
  run -1 ctr_ run --rm --runc-binary "$RUNC" "$IMAGE" "$ID" /nonexistent
  # containerd reads the last "error" line of log.json: our message, whole.
  [[ $output == *'OCI runtime create failed: runc create failed: '*'exec: "/nonexistent": stat /nonexistent: no such file or directory'* ]]
  [[ $output != *'unable to retrieve OCI runtime error'* ]]
  run -1 ctr_ run --rm --runc-binary "$RUNC" --cwd /etc/passwd "$IMAGE" "$ID" true
  [[ $output == *'OCI runtime create failed: runc create failed: '*'/etc/passwd'*'Not a directory'* ]]
  # (containerd may still log "failed to remove runc container ... exit
  # status 255" for the dead shim's cleanup: its reaper takes the exit
  # status from go-runc; runc 1.1.5 gets the same.)
  assert_task_gone "$ID"
}

@test "containerd: a failing exec shows the runtime's error" {
  run -0 ctr_ run -d --runc-binary "$RUNC" "$IMAGE" "$ID" sh -c 'sleep 1000' "$MARK"
  run -1 ctr_ task exec --exec-id e1 "$ID" /nonexistent
  [[ $output == *'OCI runtime exec failed: exec failed: '*'no such file or directory'* ]]
  [[ $(task_status "$ID") == RUNNING ]]
  run -0 ctr_ task kill -s KILL "$ID"
  wait_until 10 test "$(task_status "$ID")" = STOPPED
  run -0 ctr_ task delete "$ID"
  run -0 ctr_ container rm "$ID"
  assert_task_gone "$ID"
}

@test "containerd: pause and resume" {
  if "$RUNC" pause clients-no-such-container 2>&1 | grep -q 'not implemented'; then
    skip "the runtime's pause/resume is not implemented yet"
  fi
  run -0 ctr_ run -d --runc-binary "$RUNC" "$IMAGE" "$ID" sh -c 'sleep 1000' "$MARK"
  run -0 ctr_ task pause "$ID"
  [[ $(task_status "$ID") == PAUSED ]]
  run -0 "$RUNC" --root "/run/containerd/runc/$NS" state "$ID"
  [[ $(jq -r .status <<< "$output") == paused ]]
  run -0 ctr_ task resume "$ID"
  [[ $(task_status "$ID") == RUNNING ]]
  run -0 ctr_ task kill -s KILL "$ID"
  wait_until 10 test "$(task_status "$ID")" = STOPPED
  run -0 ctr_ task delete "$ID"
  run -0 ctr_ container rm "$ID"
  assert_task_gone "$ID"
}

@test "containerd: task ps lists the container's processes" {
  if "$RUNC" ps clients-no-such-container 2>&1 | grep -q 'not implemented'; then
    skip "the runtime's ps is not implemented yet"
  fi
  local pid
  run -0 ctr_ run -d --runc-binary "$RUNC" "$IMAGE" "$ID" sh -c 'sleep 1000' "$MARK"
  pid=$(ctr_ task ls | awk -v id="$ID" '$1 == id { print $2 }')
  run -0 ctr_ task ps "$ID"
  [[ $output == *"$pid"* ]]
  run -0 ctr_ task kill -s KILL "$ID"
  wait_until 10 test "$(task_status "$ID")" = STOPPED
  run -0 ctr_ task delete "$ID"
  run -0 ctr_ container rm "$ID"
  assert_task_gone "$ID"
}
