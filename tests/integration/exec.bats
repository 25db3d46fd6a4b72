#!/usr/bin/env bats
# `exec`: its flags, what the new process shares with the init (namespaces,
# cgroup, capabilities, seccomp, rlimits, no_new_privs), its exit status,
# the containers it refuses, and stdio for a non-root user.  The terminal
# flags (-t, --console-socket) are in terminal.bats; --pidfd-socket is in
# tests/procx/handoff.bats.

load helpers

# A running container whose init only waits.
start_ct ()
{
  set_sh 'echo ready; sleep 1000'
  run_detached
  wait_for_output "$CT" ready
}

# `exec_d ARG...`: `runc exec -d --pid-file` ARG...; sets EXEC_PID to the
# host pid of the new process.
exec_d ()
{
  runc exec -d --pid-file "$TEST_DIR/exec.pid" "$@"
  assert_success
  EXEC_PID=$(cat "$TEST_DIR/exec.pid")
  [[ $EXEC_PID -gt 0 ]] || fail "no pid in the exec pid file"
  track_pid "$EXEC_PID"
}

# "name link" for each namespace of a host pid, as readlink shows it.
ns_links ()
{
  local n
  for n in $NS_TYPES; do
    echo "$n $(readlink "/proc/$1/ns/$n")"
  done
}

# `status_line FIELD`: the tab-squeezed line of /proc/PID/status in $output.
status_line () { grep "^$1:" <<<"$output" | tr -s '\t ' ' ' | sed 's/ $//'; }

# The host's device nodes that a container's stdio or /dev can reach, with
# their owner and mode.
host_dev_stat () { stat -c '%n %u:%g %a' /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty; }

# ---------------------------------------------------------------------------
# Exit status and output.

@test "exec: runs in the container, with the process's output and exit status" {
  cfg '.hostname = "exec-test-host"'
  start_ct
  runc --separate-stderr exec "$CT" sh -c 'echo out-line; echo err-line >&2; hostname'
  assert_success
  assert_eq "$output" $'out-line\nexec-test-host'
  assert_eq "$stderr" err-line
  runc exec "$CT" sh -c 'exit 7'
  assert_status 7
  runc exec "$CT" sh -c 'exit 255'
  assert_status 255
  # Killed by a signal: 128 + N.
  runc exec "$CT" sh -c 'kill -TERM $$; sleep 5'
  assert_status 143
  assert_eq "$(ct_status "$CT")" running
}

@test "exec: stdin reaches the process" {
  start_ct
  echo "from-stdin-$CT" >"$TEST_DIR/in"
  RT_STDIN="$TEST_DIR/in" runc exec "$CT" cat
  assert_success
  assert_eq "$output" "from-stdin-$CT"
}

@test "exec: a command that does not exist is a runtime error, 255" {
  start_ct
  runc exec "$CT" no-such-command-here
  assert_status 255
  # runc's words (a text log escapes the quotes).
  assert_output_contains 'exec failed: unable to start container process: exec: \"no-such-command-here\": executable file not found in $PATH'
  runc exec "$CT" /no/such/path
  assert_status 255
  assert_output_contains '/no/such/path' 'no such file or directory'
  runc exec "$CT" /etc/passwd
  assert_status 255
  assert_output_contains '/etc/passwd' 'permission denied'
  # Detached too: the error comes before the detach.
  runc exec -d "$CT" no-such-command-here
  assert_status 255
  assert_output_contains 'executable file not found in $PATH'
  assert_eq "$(ct_status "$CT")" running
}

@test "exec -d: returns 0 once the process runs, whatever its status" {
  start_ct
  runc exec -d "$CT" sh -c 'sleep 0.2; exit 7'
  assert_success
  assert_eq "$output" ""
}

@test "exec -d --pid-file: the host pid of the new process, in the container" {
  start_ct
  exec_d "$CT" sleep 1001
  assert_eq "$(tr '\0' ' ' <"/proc/$EXEC_PID/cmdline")" "sleep 1001 " "command of the pid in the pid file"
  assert_eq "$(readlink "/proc/$EXEC_PID/ns/pid")" "$(readlink "/proc/$(ct_pid "$CT")/ns/pid")" "pid namespace"
  # A relative --pid-file is relative to the caller's working directory.
  runc exec -d --pid-file rel.pid "$CT" sleep 1002
  assert_success
  [[ -s $BUNDLE/rel.pid ]] || fail "relative pid file not written in the working directory"
  track_pid "$(cat "$BUNDLE/rel.pid")"
  assert_eq "$(tr '\0' ' ' <"/proc/$(cat "$BUNDLE/rel.pid")/cmdline")" "sleep 1002 "
}

@test "exec: signals sent to the runtime are forwarded to the process" {
  start_ct
  runc_bg exec "$CT" sh -c 'trap "echo got-USR1" USR1; trap "echo got-TERM; exit 9" TERM
    echo exec-ready; while :; do sleep 0.1; done'
  wait_for_output "$CT" exec-ready
  kill -USR1 "$RUNC_BG_PID"
  wait_for_output "$CT" got-USR1
  kill -TERM "$RUNC_BG_PID"
  wait_for_output "$CT" got-TERM
  wait_bg "$RUNC_BG_PID"
  assert_eq "$status" 9 "exit status of exec after the TERM trap"
  assert_eq "$(ct_status "$CT")" running
}

# ---------------------------------------------------------------------------
# Which containers exec refuses.

@test "exec: a missing container is refused with 255" {
  runc exec "$CT" true
  assert_status 255
  assert_output_contains "exec failed: container does not exist"
}

@test "exec: a stopped container is refused with 255" {
  set_sh 'exit 0'
  run_detached
  wait_status "$CT" stopped
  runc exec "$CT" echo should-not-run
  assert_status 255
  assert_output_contains "cannot exec in a stopped container"
  refute_output_contains should-not-run
}

@test "exec: a created container runs the process (as runc does) and can still start" {
  set_sh 'echo init-started; sleep 1000'
  create_ct
  runc exec "$CT" sh -c 'echo exec-ran; echo pid=$$'
  if ! is_root && [[ $RT_FLAVOR == ours ]]; then
    # Until start our init is not dumpable (runc's is): a user cannot
    # reach its namespaces.  A clear refusal, never a process outside.
    assert_status 255
    assert_output_contains "an unprivileged user cannot exec in a created container before it is started"
    refute_output_contains exec-ran
  else
    assert_success
    assert_output_contains exec-ran
    # The init is pid 1 and still waits: the exec'd process is another one.
    refute_output_contains "pid=1"
  fi
  assert_eq "$(ct_status "$CT")" created
  runc start "$CT"
  assert_success
  wait_for_output "$CT" init-started
  assert_eq "$(ct_status "$CT")" running
}

@test "exec: a paused container needs --ignore-paused, and the process runs once resumed" {
  requires cgroups_writable
  start_ct
  runc pause "$CT"
  assert_success
  runc exec "$CT" echo should-not-run
  assert_status 255
  assert_output_contains "cannot exec in a paused container (use --ignore-paused to override)"
  refute_output_contains should-not-run

  runc_bg exec --ignore-paused "$CT" echo ran-after-resume
  sleep 1
  kill -0 "$RUNC_BG_PID" 2>/dev/null || fail "exec into a frozen container returned before resume: $(cat "$(ct_out)")"
  ! grep -q ran-after-resume "$(ct_out)" || fail "the process ran while the container was paused"
  runc resume "$CT"
  assert_success
  wait_bg "$RUNC_BG_PID"
  assert_eq "$status" 0 "exit status of exec --ignore-paused"
  wait_for_output "$CT" ran-after-resume
  assert_eq "$(ct_status "$CT")" running
}

# ---------------------------------------------------------------------------
# Flags.

@test "exec: options stop at the container ID" {
  start_ct
  runc exec "$CT" ls -l /etc/passwd
  assert_success
  assert_output_matches '^-rw-r--r-- .* /etc/passwd$'
  runc exec "$CT" sh -c 'for a in "$@"; do echo "[$a]"; done' zero --cwd /tmp -e A=b -t -d
  assert_success
  assert_eq "$output" $'[--cwd]\n[/tmp]\n[-e]\n[A=b]\n[-t]\n[-d]'
}

@test "exec --cwd, and the config's cwd by default" {
  # (a writable root, where a missing cwd could be created)
  cfg '.process.cwd = "/etc" | .root.readonly = false'
  start_ct
  runc exec "$CT" pwd
  assert_success
  assert_eq "$output" /etc
  runc exec --cwd /usr/bin "$CT" pwd
  assert_success
  assert_eq "$output" /usr/bin
  # Unlike the init's, a missing cwd is an error, and is not created.
  runc exec --cwd /no/such/dir "$CT" pwd
  assert_status 255
  assert_output_contains /no/such/dir
  [[ ! -e $ROOTFS/no ]] || fail "exec created the missing cwd in the rootfs"
}

@test "exec -e/--env: appended to the config's env, repeatable, the last one wins" {
  cfg '.process.env += ["FOO=from-config", "KEEP=kept"]'
  start_ct
  runc exec -e FOO=one -e BAR=two -e FOO=three "$CT" sh -c 'echo "$FOO $BAR $KEEP"; env | grep -c "^FOO="'
  assert_success
  assert_eq "$output" $'three two kept\n1'
  # (runc 1.1 refuses -e and --env in one call: each form on its own)
  runc exec --env KEEP=long-form "$CT" sh -c 'echo "$FOO $KEEP"'
  assert_success
  assert_eq "$output" "from-config long-form"
  # The command is looked up in the PATH the process gets.
  runc exec -e PATH=/nowhere "$CT" ls
  assert_status 255
  assert_output_contains 'executable file not found in $PATH'
  runc exec -e NO_EQUALS_SIGN "$CT" true
  assert_status 255
  assert_output_contains "invalid environment variable"
}

@test "exec -u/--user uid[:gid]" {
  map_users
  start_ct
  runc exec -u 1000 "$CT" sh -c 'id -u; id -g; echo "$HOME"'
  assert_success
  assert_eq "$output" $'1000\n0\n/home/user1'
  runc exec --user 1000:1001 "$CT" sh -c 'grep -E "^(Uid|Gid):" /proc/self/status'
  assert_success
  assert_eq "$(tr -s '\t ' ' ' <<<"$output" | sed 's/ $//')" $'Uid: 1000 1000 1000 1000\nGid: 1001 1001 1001 1001'
  runc exec -u user1 "$CT" id
  assert_status 255
  assert_output_contains user1
  runc exec -u 1000:group "$CT" id
  assert_status 255
  assert_output_contains group
}

@test "exec -g/--additional-gids" {
  map_users
  is_root || fixed_in_runc 1.2.0 "no additional groups in a rootless container"
  start_ct
  runc exec -u 1000:1000 -g 29 -g 100 "$CT" sh -c 'grep ^Groups: /proc/self/status'
  assert_success
  assert_eq "$(status_line Groups)" "Groups: 29 100"
  runc exec -u 1000:1000 --additional-gids 5000 "$CT" sh -c 'grep ^Groups: /proc/self/status'
  assert_success
  assert_eq "$(status_line Groups)" "Groups: 5000"
  runc exec -g -5 "$CT" true
  assert_status 255
  assert_output_contains " -5"
}

@test "exec -p/--process: the whole process from a JSON file, other flags ignored" {
  map_users
  start_ct
  cat >"$TEST_DIR/process.json" <<'EOF'
{
  "args": ["sh", "-c", "pwd; echo \"A=$A\"; id -u; id -g; grep ^NoNewPrivs: /proc/self/status"],
  "cwd": "/usr",
  "env": ["PATH=/bin:/usr/bin", "A=from-file"],
  "user": {"uid": 1000, "gid": 1001},
  "noNewPrivileges": true
}
EOF
  runc exec -p "$TEST_DIR/process.json" "$CT"
  assert_success
  assert_eq "$(tr -s '\t' ' ' <<<"$output")" $'/usr\nA=from-file\n1000\n1001\nNoNewPrivs: 1'
  runc exec --process "$TEST_DIR/process.json" --cwd /etc -e A=from-flag -u 0 "$CT"
  assert_success
  assert_eq "$(tr -s '\t' ' ' <<<"$output")" $'/usr\nA=from-file\n1000\n1001\nNoNewPrivs: 1'
  runc exec -p "$TEST_DIR/no-such.json" "$CT"
  assert_status 255
  assert_output_contains "$TEST_DIR/no-such.json"
}

@test "exec --no-new-privs, and the config's noNewPrivileges by default" {
  cfg '.process.noNewPrivileges = false'
  start_ct
  runc exec "$CT" grep ^NoNewPrivs: /proc/self/status
  assert_success
  assert_eq "$(status_line NoNewPrivs)" "NoNewPrivs: 0"
  runc exec --no-new-privs "$CT" grep ^NoNewPrivs: /proc/self/status
  assert_success
  assert_eq "$(status_line NoNewPrivs)" "NoNewPrivs: 1"
}

@test "exec: noNewPrivileges true in the config, and --no-new-privs=false" {
  cfg '.process.noNewPrivileges = true'
  start_ct
  runc exec "$CT" grep ^NoNewPrivs: /proc/self/status
  assert_success
  assert_eq "$(status_line NoNewPrivs)" "NoNewPrivs: 1"
  # Only an explicit flag overrides the config, and it can turn it off.
  runc exec --no-new-privs=false "$CT" grep ^NoNewPrivs: /proc/self/status
  assert_success
  assert_eq "$(status_line NoNewPrivs)" "NoNewPrivs: 0"
}

@test "exec -c/--cap: repeatable, added to the process only" {
  start_ct
  runc exec -c CAP_SYS_ADMIN -c CAP_NET_ADMIN "$CT" sh -c 'grep ^Cap /proc/self/status; grep ^CapEff: /proc/1/status | sed s/^/init/'
  assert_success
  # The default spec's three, plus the two.
  local want
  want=$(printf '%016x' $(((1 << 29) | (1 << 5) | (1 << 10) | (1 << 21) | (1 << 12))))
  assert_eq "$(status_line CapEff)" "CapEff: $want"
  assert_eq "$(status_line CapPrm)" "CapPrm: $want"
  assert_eq "$(status_line CapBnd)" "CapBnd: $want"
  assert_eq "$(status_line CapAmb)" "CapAmb: 0000000000000000"
  assert_eq "$(status_line initCapEff)" "initCapEff: $(printf '%016x' $(((1 << 29) | (1 << 5) | (1 << 10))))"
  runc exec --cap CAP_SYS_CHROOT "$CT" grep ^CapEff: /proc/self/status
  assert_success
  assert_eq "$(status_line CapEff)" "CapEff: $(printf '%016x' $(((1 << 29) | (1 << 5) | (1 << 10) | (1 << 18))))"
  # An unknown name is ignored with a warning, as runc does.
  runc exec -c CAP_BOGUS "$CT" true
  assert_success
  assert_output_contains CAP_BOGUS
}

@test "exec --preserve-fds: passes fds 3..3+N-1, no others" {
  start_ct
  echo "content-three" >"$TEST_DIR/three"
  echo "content-four" >"$TEST_DIR/four"
  RT_KEEP_FDS="3 4 5" runc exec --preserve-fds 2 "$CT" sh -c 'cat <&3; cat <&4' \
    3<"$TEST_DIR/three" 4<"$TEST_DIR/four" 5<"$TEST_DIR/four"
  assert_success
  assert_eq "$output" $'content-three\ncontent-four'
  # The fds of the process, seen from the host (a listing from inside
  # would show the shell's own pipes).
  RT_KEEP_FDS="3 4 5" exec_d --preserve-fds 2 "$CT" sleep 1000 3<"$TEST_DIR/three" 4<"$TEST_DIR/four" 5<"$TEST_DIR/four"
  assert_eq "$(ls "/proc/$EXEC_PID/fd" | sort -n | tr '\n' ' ')" "0 1 2 3 4 " "fds of the exec'd process"
  assert_eq "$(readlink "/proc/$EXEC_PID/fd/4")" "$TEST_DIR/four"
  RT_KEEP_FDS="3 4" exec_d "$CT" sleep 1000 3<"$TEST_DIR/three" 4<"$TEST_DIR/four"
  assert_eq "$(ls "/proc/$EXEC_PID/fd" | sort -n | tr '\n' ' ')" "0 1 2 " "fds without --preserve-fds"
}

# Skip unless the host runs neither AppArmor nor SELinux.
requires_no_lsm ()
{
  if [[ -d /sys/kernel/security/apparmor ]] && grep -q Y /sys/module/apparmor/parameters/enabled 2>/dev/null; then
    skip "this host runs AppArmor"
  fi
  [[ $(stat -f -c %T /sys/fs/selinux 2>/dev/null) != selinuxfs ]] || skip "this host runs SELinux"
}

@test "exec --process-label and --apparmor on a host without those LSMs: refused with 255" {
  requires_no_lsm
  start_ct
  runc exec --apparmor rt-test-profile "$CT" echo should-not-run
  assert_status 255
  grep -qi apparmor <<<"$output" || fail "the error does not name AppArmor: $output"
  refute_output_contains should-not-run
  [[ $RT_FLAVOR != ours ]] \
    || assert_output_contains '--apparmor: apparmor profile \"rt-test-profile\" requested but AppArmor is not enabled on this host'
  runc exec --process-label system_u:system_r:container_t:s0 "$CT" echo should-not-run
  assert_status 255
  grep -qi selinux <<<"$output" || fail "the error does not name SELinux: $output"
  refute_output_contains should-not-run
  [[ $RT_FLAVOR != ours ]] \
    || assert_output_contains '--process-label: SELinux label \"system_u:system_r:container_t:s0\" requested but SELinux is not enabled'
  assert_eq "$(ct_status "$CT")" running
}

# ---------------------------------------------------------------------------
# --cgroup.

# The container's cgroup directories on the host (one per hierarchy).
ct_cgroup_dirs () { find /sys/fs/cgroup -maxdepth 6 -type d -name "$CT" 2>/dev/null; }

# A `sub` cgroup below each of them (a v1 cpuset one gets its parent's
# cpus and mems, or nothing could join it); prints how many.
make_sub_cgroups ()
{
  local d n=0 f
  for d in $(ct_cgroup_dirs); do
    mkdir "$d/sub"
    for f in cpuset.cpus cpuset.mems; do
      [[ -f $d/$f && -f $d/sub/$f ]] && cat "$d/$f" >"$d/sub/$f"
    done
    n=$((n + 1))
  done
  echo "$n"
}

@test "exec --cgroup PATH: a sub-cgroup in every hierarchy" {
  requires cgroups_writable
  start_ct
  local n
  n=$(make_sub_cgroups)
  ((n > 0)) || fail "no cgroup directory named $CT"
  local init
  init=$(ct_pid "$CT")
  # Seen from the host: each of the container's cgroups gets /sub, the
  # hierarchies it is not in (v1 ones in the v2 view) stay as they are.
  exec_d --cgroup sub "$CT" sleep 1000
  assert_eq "$(cat "/proc/$EXEC_PID/cgroup")" "$(sed "s#/$CT\$#/$CT/sub#" "/proc/$init/cgroup")" "cgroups of the exec'd process"
  grep -q "/$CT\$" "/proc/$init/cgroup" || fail "the init is not in its cgroup: $(cat "/proc/$init/cgroup")"
  # "/" is the container's own cgroup.
  exec_d --cgroup / "$CT" sleep 1000
  assert_eq "$(cat "/proc/$EXEC_PID/cgroup")" "$(cat "/proc/$init/cgroup")" "cgroups with --cgroup /"
}

@test "exec --cgroup CONTROLLER:PATH: only that v1 hierarchy (hybrid), refused on v2" {
  requires cgroups_writable
  start_ct
  make_sub_cgroups >/dev/null
  if [[ $CGROUP_LAYOUT == v2 ]]; then
    runc exec --cgroup pids:sub "$CT" true
    assert_status 255
    assert_output_contains pids
    return 0
  fi
  exec_d --cgroup pids:sub "$CT" sleep 1000
  assert_eq "$(grep '/sub$' "/proc/$EXEC_PID/cgroup" | cut -d: -f2)" pids "the hierarchies in sub"
}

@test "exec --cgroup: a missing or escaping sub-cgroup is refused with 255" {
  requires cgroups_writable
  start_ct
  runc exec --cgroup no-such-sub "$CT" echo should-not-run
  assert_status 255
  assert_output_contains no-such-sub
  refute_output_contains should-not-run
  runc exec --cgroup ../../escape "$CT" echo should-not-run
  assert_status 255
  assert_output_contains "is not a sub cgroup path"
  refute_output_contains should-not-run
  runc exec --cgroup a:b:c "$CT" true
  assert_status 255
  assert_output_contains "invalid --cgroup argument: a:b:c"
  assert_eq "$(ct_status "$CT")" running
}

@test "exec: a v2 container cgroup with controllers on for its children: the process joins the init's" {
  requires cgroup_v2 cgroups_writable
  ns_add cgroup
  # The container manages its own cgroup, as systemd inside does.
  cfg '.mounts |= map(if .destination == "/sys/fs/cgroup" then .options -= ["ro"] else . end)'
  set_sh 'mkdir /sys/fs/cgroup/init && echo $$ >/sys/fs/cgroup/init/cgroup.procs
    for c in $(cat /sys/fs/cgroup/cgroup.controllers); do echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control; done
    echo "on:$(cat /sys/fs/cgroup/cgroup.subtree_control)"; echo ready; sleep 1000'
  run_detached
  wait_for_output "$CT" ready
  grep -q '^on:.' "$(ct_out)" || skip "no controller is available to the container's cgroup here"
  # No process may join the container's cgroup itself now (EBUSY): runc
  # puts it in the init's cgroup instead.
  runc exec "$CT" cat /proc/self/cgroup
  assert_success
  assert_output_contains "0::/init"
  # --cgroup / asks for the container's cgroup itself: no fallback.
  runc exec --cgroup / "$CT" true
  assert_status 255
  grep -qi "device or resource busy" <<<"$output" || fail "not refused with EBUSY: $output"
}

@test "exec --cgroup in a container without a cgroup of its own: refused (ours)" {
  ours_only
  requires rootless
  start_ct
  runc exec --cgroup sub "$CT" echo should-not-run
  assert_status 255
  assert_output_contains "--cgroup: the container has no cgroup of its own"
  refute_output_contains should-not-run
}

# ---------------------------------------------------------------------------
# What the process shares with the init.

@test "exec: joins every namespace of the container" {
  requires cgroupns
  ns_add network
  ns_add cgroup
  # In the root modes, a user namespace too (the rootless spec has one).
  is_root && set_maps '[{"containerID": 0, "hostID": 200000, "size": 65536}]' \
    '[{"containerID": 0, "hostID": 200000, "size": 65536}]'
  NS_TYPES="pid net ipc uts mnt cgroup user"
  start_ct
  local init
  init=$(ct_pid "$CT")
  runc exec "$CT" sh -c 'for n in '"$NS_TYPES"'; do echo "$n $(readlink /proc/self/ns/$n) $(readlink /proc/1/ns/$n)"; done'
  assert_success
  local n self init_ns
  while read -r n self init_ns; do
    [[ -n $self && $self == "$init_ns" ]] || fail "$n namespace: exec has '$self', the init '$init_ns'"
  done <<<"$output"
  assert_eq "${#lines[@]}" 7 "namespaces compared"
  # And from the host: the same links as the init, none of them ours.
  exec_d "$CT" sleep 1000
  assert_eq "$(ns_links "$EXEC_PID")" "$(ns_links "$init")" "namespaces of the exec'd process on the host"
  for n in $NS_TYPES; do
    [[ $(readlink "/proc/$EXEC_PID/ns/$n") != "$(readlink "/proc/self/ns/$n")" ]] || fail "$n namespace is the host's"
  done
}

@test "exec: joins the time namespace of the container (runc >= 1.2)" {
  requires timens
  fixed_in_runc 1.2.0 "no time namespaces"
  ns_add time
  cfg '.linux.timeOffsets = {"boottime": {"secs": 31536000, "nanosecs": 0}}'
  start_ct
  runc exec "$CT" sh -c 'readlink /proc/self/ns/time; readlink /proc/1/ns/time; cut -d. -f1 /proc/uptime'
  assert_success
  assert_eq "${lines[0]}" "${lines[1]}" "time namespace of exec and init"
  [[ ${lines[0]} != "$(readlink /proc/self/ns/time)" ]] || fail "exec is in the host's time namespace"
  ((lines[2] >= 31536000)) || fail "uptime inside is ${lines[2]}: the boottime offset does not apply to exec"
}

@test "exec: joins the container's cgroup" {
  start_ct
  runc exec "$CT" sh -c 'cat /proc/self/cgroup; echo --; cat /proc/1/cgroup'
  assert_success
  assert_eq "$(sed '/^--$/,$d' <<<"$output")" "$(sed '1,/^--$/d' <<<"$output")" "cgroups of exec and init, inside"
  exec_d "$CT" sleep 1000
  assert_eq "$(cat "/proc/$EXEC_PID/cgroup")" "$(cat "/proc/$(ct_pid "$CT")/cgroup")" "cgroups on the host"
  if is_root; then
    grep -q "/$CT\$" "/proc/$EXEC_PID/cgroup" || fail "not in the container's cgroup: $(cat "/proc/$EXEC_PID/cgroup")"
  fi
}

@test "exec: the config's capabilities" {
  local s
  for s in bounding effective permitted; do
    cfg '.process.capabilities[$s] = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_CHROOT"]' --arg s "$s"
  done
  cfg '.process.capabilities.inheritable = [] | .process.capabilities.ambient = []'
  start_ct
  runc exec "$CT" sh -c 'grep ^Cap /proc/self/status; echo --; grep ^Cap /proc/1/status'
  assert_success
  assert_eq "$(sed '/^--$/,$d' <<<"$output")" "$(sed '1,/^--$/d' <<<"$output")" "capabilities of exec and init"
  local want
  want=$(printf '%016x' $(((1 << 0) | (1 << 5) | (1 << 13) | (1 << 18))))
  assert_eq "$(status_line CapEff | head -1)" "CapEff: $want"
  assert_eq "$(status_line CapBnd | head -1)" "CapBnd: $want"
}

@test "exec: the config's seccomp filter applies (with and without noNewPrivileges)" {
  add_tmpfs_tmp
  # EDQUOT: a message nothing else would produce here.
  cfg '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122}]}'
  cfg '.process.noNewPrivileges = false'
  start_ct
  local nnp
  for nnp in false true; do
    runc exec --no-new-privs="$nnp" "$CT" sh -c 'mkdir /tmp/d$$ || echo mkdir-refused; touch /tmp/f$$ && echo touched; grep ^Seccomp: /proc/self/status'
    assert_success
    assert_output_contains "Disk quota exceeded" mkdir-refused touched
    assert_eq "$(status_line Seccomp)" "Seccomp: 2"
  done
}

@test "exec: the config's rlimits" {
  fixed_in_runc 1.1.6 "exec got the Go runtime's raised RLIMIT_NOFILE"
  cfg '.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 456, "soft": 123}, {"type": "RLIMIT_CORE", "hard": 0, "soft": 0}]'
  start_ct
  runc exec "$CT" sh -c 'ulimit -n; ulimit -Hn; grep "^Max core file size" /proc/self/limits'
  assert_success
  assert_eq "${lines[0]}" 123
  assert_eq "${lines[1]}" 456
  assert_output_matches '^Max core file size +0 +0 '
}

# ---------------------------------------------------------------------------
# stdio of a process that is not root: usable, and the host's files keep
# their owner and mode (crun 1.8.1 chowns /dev/null to the user).

# `check_user_stdio MODE ARG...`: run `runc ARG...` with stdin from
# /dev/null and then from a pipe (stdout and stderr a pipe too): the
# process reads its stdin and writes both outputs; the host's devices are
# unchanged.
check_user_stdio ()
{
  local before
  before=$(host_dev_stat)
  runc "$@" sh -c 'id -u; cat; echo to-stdout; echo to-stderr >&2'
  assert_success
  # (runc relays through pipes of its own: stdout and stderr may swap)
  assert_eq "$(sort <<<"$output")" $'1000\nto-stderr\nto-stdout'
  assert_eq "$(host_dev_stat)" "$before" "host devices after stdin </dev/null"
  piped () { echo "through-the-pipe" | __runc "$@" sh -c 'id -u; cat; echo to-stdout; echo to-stderr >&2' 2>&1 | cat; }
  run piped "$@"
  assert_success
  assert_eq "$(sort <<<"$output")" $'1000\nthrough-the-pipe\nto-stderr\nto-stdout'
  assert_eq "$(host_dev_stat)" "$before" "host devices after a pipe"
}

@test "exec -u 1000: stdio from /dev/null and from pipes; host devices unchanged" {
  map_users
  start_ct
  check_user_stdio exec -u 1000:1000 "$CT"
  # The container's own /dev/null keeps its owner and mode too.
  runc exec "$CT" stat -c '%u:%g %a' /dev/null
  assert_success
  local inside=$output
  check_user_stdio exec -u 1000 "$CT"
  runc exec "$CT" stat -c '%u:%g %a' /dev/null
  assert_eq "$output" "$inside" "/dev/null inside the container"
}

@test "process.user 1000: stdio from /dev/null and from pipes; host devices unchanged" {
  map_users
  cfg '.process.user = {"uid": 1000, "gid": 1000}'
  local before
  before=$(host_dev_stat)
  set_sh 'id -u; cat; echo to-stdout; echo to-stderr >&2; echo "devnull $(stat -c "%u:%g %a" /dev/null)"'
  runc run "$CT"
  assert_success
  assert_eq "$(grep -v ^devnull <<<"$output" | sort)" $'1000\nto-stderr\nto-stdout'
  # The init's stdio from the host's /dev/null is reopened from the
  # container's: that one must not go to the user either.
  [[ $(grep ^devnull <<<"$output") =~ ^devnull\ [0-9]+:[0-9]+\ 666$ && $(grep ^devnull <<<"$output") != "devnull 1000:"* ]] \
    || fail "/dev/null in the container: $output"
  assert_eq "$(host_dev_stat)" "$before" "host devices after run with stdin </dev/null"
  piped () { echo "through-the-pipe" | __runc run "$CT-b" 2>&1 | cat; }
  run piped
  assert_success
  assert_eq "$(grep -v ^devnull <<<"$output" | sort)" $'1000\nthrough-the-pipe\nto-stderr\nto-stdout'
  assert_eq "$(host_dev_stat)" "$before" "host devices after run with a pipe"
}
