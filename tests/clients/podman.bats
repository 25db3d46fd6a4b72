#!/usr/bin/env bats
# podman (with conmon) driving the runtime through --runtime, as root and
# as the unprivileged user, on an image imported from a busybox rootfs.
# Storage, runroot, tmp dir and the rootless user's HOME and
# XDG_RUNTIME_DIR all live in one temporary directory; no systemd: cgroupfs
# and the file events logger.

load helpers

setup_file ()
{
  command -v podman >/dev/null || { file_skip "podman is not installed (package podman)"; return 0; }
  command -v conmon >/dev/null || { file_skip "conmon is not installed (package conmon)"; return 0; }
  have_basics || return 0
  export PD
  PD=$(clients_tmpdir)
  chmod 755 "$PD"
  snapshot_global_paths "$PD.global-paths"
  snapshot_cgroups "$PD.cgroups" libpod_parent
  make_busybox_tar "$PD/busybox.tar"
  chmod 644 "$PD/busybox.tar"

  setup_root_podman
  if id -u "$ROOTLESS_USER" >/dev/null 2>&1 && grep -q "^$ROOTLESS_USER:" /etc/subuid \
     && command -v newuidmap >/dev/null; then
    setup_rootless_podman
  fi
}

teardown_file ()
{
  [[ -n ${PD:-} ]] || return 0
  pm_cmd root
  reset_podman
  if [[ -e $PD/rl/ready ]]; then
    pm_cmd rootless
    reset_podman
    # The rootless user's long-lived namespace holder.
    if [[ -s $PD/rl/xdg/libpod/tmp/pause.pid ]]; then
      kill -9 "$(cat "$PD/rl/xdg/libpod/tmp/pause.pid")" 2>/dev/null || true
    fi
  fi
  remove_tree "$PD"
  remove_new_global_paths "$PD.global-paths"
  remove_new_cgroups "$PD.cgroups"
  rm -f "$PD.global-paths" "$PD.cgroups"
}

# ---- the two podman setups ---------------------------------------------------

# PM: the podman command for MODE (root or rootless), as words, so that it
# can also be given to script(1) as one string.
pm_cmd ()
{
  case $1 in
    root)
      PM=(env CONTAINERS_CONF="$PD/root/containers.conf" CONTAINERS_STORAGE_CONF="$PD/root/storage.conf"
          podman --runtime "$RUNC")
      ;;
    rootless)
      rootless_cmd "$PD/rl"
      PM=("${ROOTLESS_CMD[@]}" CONTAINERS_CONF="$PD/rl/containers.conf" podman --runtime "$RUNC")
      ;;
  esac
}

write_containers_conf ()
{
  local file=$1 tmp=$2 extra=$3
  printf '[containers]\n%s\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\ntmp_dir = "%s"\n' \
    "$extra" "$tmp" > "$file"
}

setup_root_podman ()
{
  # Without netns = none the host's bridge network (netavark, firewall
  # rules) would be set up; the network tests ask for what they need.
  local extra='netns = "none"'
  mkdir -p "$PD/root"
  if runtime_lacks_resources "$PD"; then
    extra+=$'\npids_limit = 0'
  fi
  printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' \
    "$PD/root/graph" "$PD/root/run" > "$PD/root/storage.conf"
  write_containers_conf "$PD/root/containers.conf" "$PD/root/tmp" "$extra"
  pm_cmd root
  "${PM[@]}" import "$PD/busybox.tar" localhost/bb > /dev/null
  # podman gives a root container RLIMIT_NOFILE and RLIMIT_NPROC of
  # 1048576; raising a hard limit needs CAP_SYS_RESOURCE, which this
  # machine's bounding set may lack, and then no runtime can start
  # anything.  Ask for what podman hands down instead: its own hard
  # RLIMIT_NOFILE (raised as far as it may) and RLIMIT_NPROC (which it
  # sets to 32768 for itself and conmon).
  if ! has_bounding_cap 24; then
    local nofile nproc
    nofile=$(ulimit -Hn)
    nproc=$(ulimit -Hu)
    [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
    extra+=$'\n'"default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]"
  fi
  write_containers_conf "$PD/root/containers.conf" "$PD/root/tmp" "$extra"
}

setup_rootless_podman ()
{
  mkdir -p "$PD/rl"
  make_rootless_home "$PD/rl"
  write_containers_conf "$PD/rl/containers.conf" "$PD/rl/xdg/podman-tmp" ""
  # The kernel lets an unprivileged user mount overlayfs in its user
  # namespace (5.11 and later): no fuse-overlayfs needed.
  printf '[storage]\ndriver = "overlay"\n' > "$PD/rl/home/.config/containers/storage.conf"
  chown -R "$ROOTLESS_USER:" "$PD/rl/home"
  pm_cmd rootless
  "${PM[@]}" import "$PD/busybox.tar" localhost/bb > /dev/null
  touch "$PD/rl/ready"
}

has_bounding_cap ()
{
  local bnd
  bnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
  (( (16#$bnd >> $1) & 1 ))
}

reset_podman ()
{
  "${PM[@]}" rm --all --force --time 0 > /dev/null 2>&1 || true
  "${PM[@]}" system reset --force > /dev/null 2>&1 || true
}

# Each test runs once per mode: MODE, PM (the podman to call), STATE
# (where the runtime keeps its state: podman passes no --root) and RT (the
# runtime as podman sees it: in the rootless user's namespace).
use_root ()
{
  MODE=root STATE=/run/runc
  pm_cmd root
  RT=("$RUNC")
}

use_rootless ()
{
  [[ -e $PD/rl/ready ]] || skip "needs the unprivileged user $ROOTLESS_USER with subordinate IDs and newuidmap"
  MODE=rootless STATE=$PD/rl/xdg/runc
  pm_cmd rootless
  RT=("${PM[@]}" unshare "$RUNC")
}

setup ()
{
  skip_if_file_skipped
  MARK=clients-marker-$$-$BATS_TEST_NUMBER
}

# Nothing of container CID remains: runtime state, cgroups, conmon,
# processes carrying this test's marker, mounts of its rootfs.
assert_container_gone ()
{
  local cid=$1
  [[ ! -e $STATE/$cid ]] || { echo "runtime state left: $STATE/$cid" >&2; return 1; }
  assert_no_cgroup "$cid"
  assert_no_process "conmon.*$cid"
  assert_no_process "$MARK"
  ! grep -q "$cid" /proc/self/mountinfo || { echo "mounts left for $cid" >&2; return 1; }
}

logs_have ()
{
  "${PM[@]}" logs "$1" 2>/dev/null | grep -qx "$2"
}

# ---- the checks, each run in both modes ------------------------------------

check_run_exit_codes ()
{
  run -0 "${PM[@]}" run --rm localhost/bb sh -c 'echo out-$((6*7))' "$MARK"
  [[ $output == out-42 ]]
  run -3 "${PM[@]}" run --rm localhost/bb sh -c 'exit 3' "$MARK"
  # podman maps the runtime's messages to its own exit codes.
  run -127 "${PM[@]}" run --rm localhost/bb /nonexistent
  [[ $output == *'no such file or directory'* ]]
  run -126 "${PM[@]}" run --rm localhost/bb /etc/passwd
  [[ $output == *'permission denied'* ]]
  run -0 "${PM[@]}" ps -a -q
  [[ -z $output ]]
}

check_run_terminal ()
{
  run -0 "${PM[@]}" run --rm -i localhost/bb sh -c 'read x; echo got:$x' <<< "from-stdin"
  [[ $output == got:from-stdin ]]
  # -t: conmon makes the runtime hand it the pty through --console-socket.
  run -4 script -qec "${PM[*]} run --rm -t localhost/bb sh -c 'tty; exit 4'" /dev/null
  [[ $output == *'/dev/pts/0'* ]]
  # -it: what is typed reaches the shell and its answers come back.
  run -5 bash -c "(sleep 1; printf 'echo in-tty-\$((6*7))\n'; sleep 1; printf 'exit 5\n') \
      | script -qec '${PM[*]} run --rm -it localhost/bb sh' /dev/null"
  [[ $output == *in-tty-42* ]]
}

check_lifecycle ()
{
  local cid pid
  cid=$("${PM[@]}" run -d localhost/bb sh -c 'trap "exit 7" TERM; echo started; while :; do sleep 0.1; done' "$MARK")
  [[ -d $STATE/$cid ]]
  run -0 "${PM[@]}" ps --format '{{.ID}} {{.Status}}'
  [[ $output == "${cid:0:12} Up"* ]]
  run -0 "${PM[@]}" inspect "$cid" --format '{{.State.Status}} {{.State.Running}} {{.State.Pid}} {{.OCIRuntime}}'
  pid=$(cut -d' ' -f3 <<< "$output")
  [[ $output == "running true $pid $RUNC" ]]
  grep -q "$MARK" "/proc/$pid/cmdline"
  wait_until 10 logs_have "$cid" started
  # The runtime's own view agrees.
  run -0 "${RT[@]}" --root "$STATE" state "$cid"
  [[ $(jq -r .status <<< "$output") == running && $(jq -r .pid <<< "$output") == "$pid" ]]

  run -5 "${PM[@]}" exec "$cid" sh -c 'echo in-exec; exit 5'
  [[ $output == in-exec ]]
  run -0 "${PM[@]}" exec -i "$cid" sh -c 'read x; echo exec-got:$x' <<< "typed"
  [[ $output == exec-got:typed ]]
  run -0 script -qec "${PM[*]} exec -t $cid tty" /dev/null
  [[ $output == *'/dev/pts/'* ]]
  run -0 "${PM[@]}" exec --user 1000:1000 --workdir /tmp --env FOO=bar "$cid" sh -c 'echo $(id -u) $(pwd) $FOO'
  [[ $output == '1000 /tmp bar' ]]

  run -0 "${PM[@]}" stop --time 10 "$cid"
  run -0 "${PM[@]}" inspect "$cid" --format '{{.State.Status}} {{.State.ExitCode}}'
  [[ $output == 'exited 7' ]]
  [[ ! -e /proc/$pid ]] || ! grep -q "$MARK" "/proc/$pid/cmdline"

  # Restart makes the container again from the same bundle.
  run -0 "${PM[@]}" start "$cid"
  run -0 "${PM[@]}" inspect "$cid" --format '{{.State.Running}}'
  [[ $output == true ]]
  run -0 "${PM[@]}" kill "$cid"
  run -0 "${PM[@]}" wait "$cid"
  [[ $output == 137 ]]
  run -0 "${PM[@]}" rm "$cid"
  assert_container_gone "$cid"
}

check_user ()
{
  # The init waits for `start` as uid 1000: exec.fifo must be writable.
  run -0 "${PM[@]}" run --rm --user 1000:1000 localhost/bb sh -c 'echo $(id -u) $(id -g) $(id -G)'
  [[ $output == '1000 1000 1000' ]]
}

check_init ()
{
  run -0 "${PM[@]}" run --rm --init localhost/bb ps -o pid,comm
  [[ ${lines[1]} == *'1 '*init* ]]
}

check_sysctl ()
{
  # Written before /proc/sys, in podman's readonlyPaths, turns read-only.
  run -0 "${PM[@]}" run --rm --network slirp4netns --sysctl net.ipv4.ip_forward=1 localhost/bb \
    sh -c 'cat /proc/sys/net/ipv4/ip_forward; grep -c " /proc/sys .* ro," /proc/mounts'
  [[ ${lines[0]} == 1 && ${lines[1]} == 1 ]]
}

check_join_namespaces ()
{
  # --pid/--network container:X make config.json join X's namespaces by path.
  local cid
  cid=$("${PM[@]}" run -d --network slirp4netns localhost/bb sh -c 'sleep 1000' "$MARK")
  run -0 "${PM[@]}" run --rm --pid "container:$cid" --network "container:$cid" localhost/bb \
    sh -c 'ps -o pid,args | grep -c "[s]leep 1000"; ls /sys/class/net | grep -c tap0'
  [[ $output == $'1\n1' ]]
  run -0 "${PM[@]}" rm --force --time 0 "$cid"
  assert_container_gone "$cid"
}

check_network_none ()
{
  run -0 "${PM[@]}" run --rm --network none localhost/bb sh -c 'ls /sys/class/net'
  [[ $output == lo ]]
}

check_network_slirp ()
{
  command -v slirp4netns >/dev/null || skip "slirp4netns is not installed (package slirp4netns)"
  local cid port=$((20000 + RANDOM % 20000))
  run -0 "${PM[@]}" run --rm --network slirp4netns localhost/bb sh -c 'ip -o -4 addr show tap0; ip route'
  [[ $output == *'10.0.2.100/24'* && $output == *'default via 10.0.2.2'* ]]
  # A port published from the container reaches it.
  cid=$("${PM[@]}" run -d --network slirp4netns -p "127.0.0.1:$port:8080" localhost/bb \
          sh -c 'mkdir /www; echo served-$((6*7)) > /www/index.html; exec httpd -f -p 8080 -h /www' "$MARK")
  run curl -s --retry 20 --retry-delay 1 --retry-connrefused "http://127.0.0.1:$port/"
  [[ $output == served-42 ]]
  run -0 "${PM[@]}" rm --force --time 0 "$cid"
  assert_container_gone "$cid"
}

check_pause ()
{
  if "$RUNC" pause clients-no-such-container 2>&1 | grep -q 'not implemented'; then
    skip "the runtime's pause/resume is not implemented yet"
  fi
  local cid
  cid=$("${PM[@]}" run -d localhost/bb sh -c 'while :; do date +%s%N > /tmp/tick; sleep 0.1; done' "$MARK")
  run "${PM[@]}" pause "$cid"
  if ((status != 0)) && [[ $output == *"not supported"* || $output == *"cgroup V1"* ]]; then
    # podman itself refuses before calling any runtime: a rootless
    # container has no cgroup of its own on a v1 or hybrid host.
    "${PM[@]}" rm --force --time 0 "$cid" > /dev/null
    skip "podman refuses: ${output##*Error: }"
  fi
  ((status == 0)) || { echo "podman pause: $output" >&2; return 1; }
  run -0 "${PM[@]}" inspect "$cid" --format '{{.State.Status}}'
  [[ $output == paused ]]
  run -0 "${RT[@]}" --root "$STATE" state "$cid"
  [[ $(jq -r .status <<< "$output") == paused ]]
  run -0 "${PM[@]}" unpause "$cid"
  run -0 "${PM[@]}" inspect "$cid" --format '{{.State.Status}}'
  [[ $output == running ]]
  run -0 "${PM[@]}" exec "$cid" cat /tmp/tick
  run -0 "${PM[@]}" rm --force --time 0 "$cid"
  assert_container_gone "$cid"
}

check_pids_limit ()
{
  runtime_lacks_resources "$PD" && skip "the runtime applies no pids limit yet (cgroup controllers not implemented)"
  local cid pid
  cid=$("${PM[@]}" run -d --pids-limit 64 localhost/bb sh -c 'sleep 100' "$MARK")
  pid=$("${PM[@]}" inspect "$cid" --format '{{.State.Pid}}')
  local cg
  cg=$(awk -F: '$2 == "pids" { print $3 }' "/proc/$pid/cgroup")
  [[ $(cat "/sys/fs/cgroup/pids$cg/pids.max") == 64 ]]
  run -0 "${PM[@]}" rm --force --time 0 "$cid"
  assert_container_gone "$cid"
}

# ---- the tests ---------------------------------------------------------------

@test "podman root: run: exit codes, output, errors mapped to 126/127" {
  use_root
  check_run_exit_codes
}

@test "podman rootless: run: exit codes, output, errors mapped to 126/127" {
  use_rootless
  check_run_exit_codes
}

@test "podman root: run -i, -t (conmon's console socket), -it" {
  use_root
  check_run_terminal
}

@test "podman rootless: run -i, -t (conmon's console socket), -it" {
  use_rootless
  check_run_terminal
}

@test "podman root: run -d, ps, inspect, logs, exec (-i, -t, --user), stop, start, kill, wait, rm" {
  use_root
  check_lifecycle
}

@test "podman rootless: run -d, ps, inspect, logs, exec (-i, -t, --user), stop, start, kill, wait, rm" {
  use_rootless
  check_lifecycle
}

@test "podman root: --user 1000:1000" {
  use_root
  check_user
}

@test "podman rootless: --user 1000:1000" {
  use_rootless
  check_user
}

@test "podman root: --init" {
  use_root
  check_init
}

@test "podman rootless: --init" {
  use_rootless
  check_init
}

@test "podman rootless: --userns keep-id" {
  use_rootless
  run -0 "${PM[@]}" run --rm --userns keep-id localhost/bb sh -c 'id -u; cat /proc/self/uid_map'
  [[ ${lines[0]} == "$(id -u "$ROOTLESS_USER")" ]]
  [[ ${#lines[@]} -ge 3 ]]
}

@test "podman root: --sysctl" {
  use_root
  check_sysctl
}

@test "podman rootless: --sysctl" {
  use_rootless
  check_sysctl
}

@test "podman root: --pid and --network container:X (namespaces joined by path)" {
  use_root
  check_join_namespaces
}

@test "podman rootless: --pid and --network container:X (namespaces joined by path)" {
  use_rootless
  check_join_namespaces
}

@test "podman root: --network none" {
  use_root
  check_network_none
}

@test "podman rootless: --network none" {
  use_rootless
  check_network_none
}

@test "podman root: --network slirp4netns, published port" {
  use_root
  check_network_slirp
}

@test "podman rootless: --network slirp4netns, published port" {
  use_rootless
  check_network_slirp
}

@test "podman root: pause, unpause" {
  use_root
  check_pause
}

@test "podman rootless: pause, unpause" {
  use_rootless
  check_pause
}

@test "podman root: --pids-limit reaches the cgroup" {
  use_root
  check_pids_limit
}

@test "podman root: system reset leaves no container, mount or process behind" {
  use_root
  local cid
  cid=$("${PM[@]}" run -d localhost/bb sh -c 'sleep 1000' "$MARK")
  reset_podman
  assert_container_gone "$cid"
  assert_no_mount_under "$PD/root"
  # reset removes the image too: import it again for any later test.
  "${PM[@]}" import "$PD/busybox.tar" localhost/bb > /dev/null
}

@test "podman rootless: system reset leaves no container, mount or process behind" {
  use_rootless
  local cid
  cid=$("${PM[@]}" run -d localhost/bb sh -c 'sleep 1000' "$MARK")
  reset_podman
  assert_container_gone "$cid"
  assert_no_mount_under "$PD/rl/home"
  "${PM[@]}" import "$PD/busybox.tar" localhost/bb > /dev/null
}
