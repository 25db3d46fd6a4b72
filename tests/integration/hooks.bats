#!/usr/bin/env bats
# OCI hooks: the six kinds, what each gets (state on stdin, its own env and
# args), where it runs (the runtime's or the container's mount namespace),
# when (the lifecycle order), its timeout, and what a failure does.

load helpers

KINDS='prestart createRuntime createContainer startContainer poststart poststop'

setup ()
{
  rt_setup
  # Where hooks and the container write what they saw: bound at /hookout,
  # writable by whatever ids the container and its hooks run with.
  OUT="$TEST_DIR/hookout"
  mkdir -p "$OUT"
  chmod 0777 "$OUT"
  add_bind "$OUT" /hookout
  # busybox copies that exist in one place only: on the host for the hooks
  # that run in the runtime's namespaces (createContainer's path too, as
  # the spec says), in the rootfs for startContainer.
  mkdir -p "$TEST_DIR/hostbin" "$ROOTFS/ctbin"
  cp "$ROOTFS/bin/busybox" "$TEST_DIR/hostbin/hookbox"
  cp "$ROOTFS/bin/busybox" "$ROOTFS/ctbin/ctbox"
  chmod 0755 "$TEST_DIR/hostbin" "$TEST_DIR/hostbin/hookbox" "$ROOTFS/ctbin/ctbox"
}

# The path a hook of KIND runs from, and where it writes: startContainer
# runs inside the container (after pivot_root), every other kind sees the
# host's paths.
hook_bin ()
{
  if [[ $1 == startContainer ]]; then echo /ctbin/ctbox; else echo "$TEST_DIR/hostbin/hookbox"; fi
}
hook_out ()
{
  if [[ $1 == startContainer ]]; then echo /hookout; else echo "$OUT"; fi
}

# The script of a recording hook (busybox sh -c SCRIPT KIND ARG...): its
# stdin, environment and argv (through fds the shell itself opens:
# /proc/$$ would name another process for a hook inside a PID namespace
# whose /proc is not mounted yet), mount namespace, cwd, and a line in the
# order file.
record_script ()
{
  local d=$1
  echo "k=\$0; exec 5</proc/self/environ 6</proc/self/cmdline
cat >$d/\$k.state
tr '\\0' '\\n' <&5 >$d/\$k.env
tr '\\0' '|' <&6 >$d/\$k.argv
readlink /proc/self/ns/mnt >$d/\$k.mntns
pwd >$d/\$k.cwd
echo \$k >>$d/order
${HOOK_EXTRA:-}"
}

# `hook_json KIND [SCRIPT [TIMEOUT]]`: one hook of KIND running SCRIPT
# (default: the recording one) through busybox, argv[0] "sh" (busybox
# only runs its shell when argv[0] says so), its own args and env.
hook_json ()
{
  local k=$1 script=${2:-} t=${3:-}
  [[ -n $script ]] || script=$(record_script "$(hook_out "$k")")
  jq -nc --arg p "$(hook_bin "$k")" --arg s "$script" --arg k "$k" --arg t "$t" \
    '{path: $p, args: ["sh", "-c", $s, $k, "second arg"], env: ["HOOK_KIND=\($k)", "HOOK_SPACE=a b"]}
     + (if $t == "" then {} else {timeout: ($t | tonumber)} end)'
}

# `add_hook KIND [SCRIPT [TIMEOUT]]`
add_hook () { cfg '.hooks[$k] += [$h]' --arg k "$1" --argjson h "$(hook_json "$@")"; }

add_all_hooks ()
{
  local k
  for k in $KINDS; do add_hook "$k"; done
}

# The container process records itself in the order file too.
record_process ()
{
  set_sh "readlink /proc/self/ns/mnt >/hookout/process.mntns; echo process >>/hookout/order; ${1:-}"
}

# `state_field KIND FIELD`: a field of the state KIND's hook got on stdin.
state_field () { jq -r ".$2 // \"\"" "$OUT/$1.state"; }

order () { tr '\n' ' ' <"$OUT/order" 2>/dev/null | sed 's/ $//'; }

@test "hooks: state on stdin and lifecycle order, through create, start and delete" {
  add_all_hooks
  # poststart is checked in its own test: runc 1.1.5 runs it at the end
  # of create, before startContainer, with status "created".
  cfg 'del(.hooks.poststart)'
  record_process 'echo done >/hookout/process.done'
  create_ct
  local pid
  pid=$(ct_pid "$CT")
  [[ $pid -gt 0 ]] || fail "no init pid after create"
  assert_eq "$(order)" "prestart createRuntime createContainer" "hooks run by create"

  runc start "$CT"
  assert_success
  wait_until 10 '[[ -e $OUT/process.done ]]' || fail "the process did not run"
  wait_status "$CT" stopped
  # poststop runs on delete, not when the process ends.
  assert_eq "$(order)" "prestart createRuntime createContainer startContainer process" "after the process ended"
  runc delete "$CT"
  assert_success
  assert_eq "$(order)" "prestart createRuntime createContainer startContainer process poststop" "after delete"

  local k want
  for k in prestart createRuntime createContainer startContainer poststop; do
    case $k in
      startContainer) want=created ;;
      poststop) want=stopped ;;
      *) want=creating ;;
    esac
    assert_eq "$(state_field "$k" status)" "$want" "status seen by $k"
    assert_eq "$(state_field "$k" id)" "$CT" "id seen by $k"
    assert_eq "$(state_field "$k" bundle)" "$BUNDLE" "bundle seen by $k"
    [[ -n $(state_field "$k" ociVersion) ]] || fail "$k got no ociVersion"
  done
  assert_eq "$(state_field prestart pid)" "$pid" "pid seen by prestart"
  assert_eq "$(state_field createRuntime pid)" "$pid" "pid seen by createRuntime"
  # The spec's pid is the one seen by the host; runc 1.1.5 gives the hooks
  # that run in the container their own PID namespace's pid (1).
  if [[ $RT_FLAVOR == ours ]]; then
    assert_eq "$(state_field createContainer pid)" "$pid" "pid seen by createContainer"
    assert_eq "$(state_field startContainer pid)" "$pid" "pid seen by startContainer"
  fi
  # Optional once stopped; if given, it must not be a live process's.
  local ppid
  ppid=$(state_field poststop pid)
  [[ -z $ppid || $ppid == 0 ]] || ! kill -0 "$ppid" 2>/dev/null || fail "poststop got live pid $ppid"
}

@test "hooks: each gets its own env and args only, args[0] as argv[0]" {
  add_all_hooks
  record_process
  runc run "$CT"
  assert_success
  local k
  for k in $KINDS; do
    [[ -f $OUT/$k.env ]] || { fail "the $k hook did not run (order: $(order))"; continue; }
    assert_eq "$(cat "$OUT/$k.env")" $'HOOK_KIND='"$k"$'\nHOOK_SPACE=a b' "environment of $k"
    # The shell's argv: args[0] "sh" itself, not the path.
    assert_eq "$(cat "$OUT/$k.argv")" "sh|-c|$(record_script "$(hook_out "$k")")|$k|second arg|" "argv of $k"
  done
}

@test "hooks: createRuntime, prestart, poststart, poststop run in the runtime's mount namespace; createContainer, startContainer in the container's" {
  add_all_hooks
  record_process
  runc run "$CT"
  assert_success
  local host ct k
  host=$(readlink /proc/self/ns/mnt)
  ct=$(cat "$OUT/process.mntns")
  [[ $ct != "$host" ]] || fail "the container shares the host's mount namespace"
  for k in prestart createRuntime poststart poststop; do
    assert_eq "$(cat "$OUT/$k.mntns")" "$host" "mount namespace of $k"
    assert_eq "$(cat "$OUT/$k.cwd")" "$BUNDLE" "working directory of $k"
  done
  for k in createContainer startContainer; do
    assert_eq "$(cat "$OUT/$k.mntns")" "$ct" "mount namespace of $k"
  done
  # createContainer runs before pivot_root (its path is a host path that
  # does not exist in the rootfs), from the rootfs, as runc does;
  # startContainer runs inside the root (its path exists only there).
  assert_eq "$(cat "$OUT/createContainer.cwd")" "$ROOTFS" "working directory of createContainer"
  [[ ! -e $ROOTFS$TEST_DIR/hostbin/hookbox && ! -e /ctbin/ctbox ]] || fail "hook paths exist on both sides"
}

@test "hooks: poststart runs after startContainer and the process started, seeing it running" {
  # runc 1.1.5 runs poststart at the end of `create`, before the process
  # (status "created"); the runtime-spec orders it after the process starts.
  ours_only
  add_hook startContainer
  HOOK_EXTRA="tr '\\0' ' ' </proc/\$(sed -n 's/.*\"pid\":\\([0-9]*\\).*/\\1/p' $OUT/poststart.state)/cmdline >$OUT/poststart.cmdline" \
    add_hook poststart
  record_process 'echo process-running; exec sleep 1000'
  create_ct
  local pid
  pid=$(ct_pid "$CT")
  [[ ! -e $OUT/poststart.state ]] || fail "poststart ran during create"
  runc start "$CT"
  assert_success
  # start returns after its poststart hooks.
  [[ -e $OUT/poststart.state ]] || fail "poststart has not run when start returns"
  assert_eq "$(state_field poststart status)" running "status seen by poststart"
  assert_eq "$(state_field poststart pid)" "$pid" "pid seen by poststart"
  # By then the init has exec'd the process: its cmdline is no longer ours.
  [[ $(cat "$OUT/poststart.cmdline") == "sh -c "* || $(cat "$OUT/poststart.cmdline") == "sleep 1000 " ]] \
    || fail "poststart saw the init as '$(cat "$OUT/poststart.cmdline")', not the container process"
  # The process's own line may come before or after poststart's.
  wait_until 5 '[[ $(order) == *process* ]]' || fail "the process did not run: $(order)"
  [[ $(order) == "startContainer "* && $(order) == *poststart* ]] || fail "order: $(order)"
  runc delete -f "$CT"
  assert_success
}

@test "hooks: poststop runs when run's process ends and when a running container is force-deleted" {
  add_hook poststop
  record_process
  runc run "$CT"
  assert_success
  assert_eq "$(order)" "process poststop"
  assert_eq "$(state_field poststop status)" stopped

  rm -f "$OUT"/*
  # The hook sees the process gone: poststop comes after the kill.
  cfg 'del(.hooks)'
  HOOK_EXTRA="if kill -0 \$(cat $OUT/pid) 2>/dev/null; then echo alive; else echo gone; fi >$OUT/seen" add_hook poststop
  record_process 'echo ready; exec sleep 1000'
  run_detached "$CT-b"
  wait_for_output "$CT-b" ready
  ct_pid "$CT-b" >"$OUT/pid"
  [[ ! -e $OUT/poststop.state ]] || fail "poststop ran before delete"
  runc delete -f "$CT-b"
  assert_success
  assert_eq "$(cat "$OUT/seen")" gone "the container process when poststop ran"
  assert_eq "$(state_field poststop id)" "$CT-b"
}

# ---- timeouts -------------------------------------------------------------

@test "hooks: a hook that runs past its timeout fails the container in about that time" {
  local k start took
  for k in prestart createRuntime createContainer startContainer; do
    cfg 'del(.hooks)'
    add_hook "$k" 'exec sleep 30' 2
    record_process
    start=$(date +%s%N)
    runc run "$CT-$k"
    took=$((($(date +%s%N) - start) / 1000000))
    assert_failure
    assert_output_matches 'timed? ?out'
    # It names the timeout (ours: "2 s", runc: "2.0s").
    assert_output_matches '2(\.0)? ?s'
    ((took >= 1900 && took < 8000)) || fail "$k: run took ${took} ms with a 2 s timeout"
    [[ ! -e $OUT/order ]] || fail "$k: the process ran after a hook timed out"
    assert_nothing_left
  done
}

@test "hooks: a timed-out hook is killed with everything it started (ours)" {
  # runc 1.1.5 kills the hook's process only and waits for its output to
  # close: a hook's child keeps it (and the container) hanging.
  ours_only
  add_hook createRuntime "sleep 30 & sleep 30" 1
  add_hook poststop "sleep 30 & sleep 30" 1
  record_process
  local start took
  start=$(date +%s%N)
  runc run "$CT"
  took=$((($(date +%s%N) - start) / 1000000))
  assert_failure
  assert_output_contains createRuntime "timed out"
  ((took < 8000)) || fail "run took ${took} ms with 1 s timeouts"
  # Also for a poststop hook, run by the rollback: a warning.
  assert_output_contains poststop
  assert_nothing_left
}

@test "hooks: a hook within its timeout succeeds" {
  add_hook createRuntime 'sleep 0.2; echo ok >'"$OUT"'/done' 5
  set_cmd true
  runc run "$CT"
  assert_success
  assert_eq "$(cat "$OUT/done")" ok
}

# ---- failures -------------------------------------------------------------

@test "hooks: a failing prestart, createRuntime, createContainer or startContainer hook fails run and leaves nothing" {
  local k
  for k in prestart createRuntime createContainer startContainer; do
    cfg 'del(.hooks)'
    add_hook "$k" 'echo hook-says-no >&2; exit 3'
    record_process
    runc run "$CT-$k"
    assert_failure
    assert_output_contains hook-says-no
    [[ ! -e $OUT/order ]] || fail "$k: the container process ran: $(order)"
    assert_nothing_left
  done
}

@test "hooks: a failing hook names its kind, path and exit status (ours)" {
  ours_only
  local k
  for k in prestart createRuntime createContainer startContainer; do
    cfg 'del(.hooks)'
    add_hook "$k" 'echo hook-says-no >&2; exit 3'
    runc run "$CT-$k"
    assert_status 1
    assert_output_contains "$k hook" "$(hook_bin "$k")" "exit status 3" hook-says-no
  done
}

@test "hooks: a failing hook fails create the same way, nothing left" {
  local k
  for k in prestart createRuntime createContainer; do
    cfg 'del(.hooks)'
    add_hook "$k" 'exit 5'
    runc create "$CT-$k"
    assert_failure
    assert_nothing_left
    [[ ! -e $ROOT/$CT-$k ]] || fail "$k: state directory left"
  done
}

@test "hooks: a missing hook binary fails create, naming it" {
  cfg '.hooks.createRuntime = [{path: $p}]' --arg p "$TEST_DIR/no-such-hook"
  runc create "$CT"
  assert_failure
  assert_output_contains "no-such-hook"
  assert_nothing_left
}

@test "hooks: a hook that never reads its stdin does not kill the runtime; hooks get default SIGPIPE" {
  # Exits at once: the runtime's write of the state meets a closed pipe.
  add_hook createRuntime 'grep SigIgn /proc/self/status >'"$OUT"'/sigign; exit 0'
  add_hook prestart 'exit 0'
  set_cmd true
  runc run "$CT"
  assert_success
  local ign
  ign=$(awk '{ print $2 }' "$OUT/sigign")
  # SIGPIPE is signal 13: bit 12 of the mask.
  (((0x$ign & 0x1000) == 0)) || fail "the hook runs with SIGPIPE ignored (SigIgn $ign)"
}

@test "hooks: the first failing hook of a kind stops the ones after it; earlier ones ran" {
  add_hook prestart 'echo first >>'"$OUT"'/order'
  add_hook prestart 'exit 1'
  add_hook prestart 'echo third >>'"$OUT"'/order'
  record_process
  runc run "$CT"
  assert_failure
  assert_eq "$(order)" first
  assert_nothing_left
}

@test "hooks: a failing startContainer hook fails start; the process never runs; delete cleans up" {
  add_hook startContainer 'echo start-hook-no >&2; exit 4'
  add_hook poststop
  record_process
  create_ct
  runc start "$CT"
  # The spec asks for an error; runc 1.1.5 runs the hook after it told
  # `start` all went well, so only the container dies.
  if [[ $RT_FLAVOR == ours ]]; then
    assert_failure
    assert_output_contains start-hook-no
  fi
  sleep 0.3
  [[ ! -e $OUT/order ]] || fail "ran after the failed hook: $(order)"
  wait_status "$CT" stopped
  runc delete "$CT"
  assert_success
  assert_eq "$(order)" poststop
  assert_nothing_left
}

@test "hooks: a failing poststart hook is only a warning; the container runs" {
  # runc 1.1.5 kills the container and fails instead.
  ours_only
  add_hook poststart 'echo poststart-no >&2; exit 2'
  record_process 'echo done >/hookout/process.done'
  runc run "$CT"
  assert_success
  assert_output_contains poststart-no
  assert_output_matches 'level=warning.*poststart'
  assert_eq "$(order)" process

  # create + start: start succeeds, warns.
  rm -f "$OUT/order" "$OUT/process.done"
  create_ct "$CT-b"
  runc start "$CT-b"
  assert_success
  assert_output_contains poststart-no
  wait_until 10 '[[ -e $OUT/process.done ]]' || fail "the process did not run"
  runc delete -f "$CT-b"
}

@test "hooks: a failing poststop hook is a warning; delete succeeds and removes the container" {
  add_hook poststop 'echo poststop-no >&2; exit 2'
  set_cmd true
  runc run "$CT"
  assert_success
  assert_output_contains poststop-no
  assert_nothing_left

  create_ct "$CT-b"
  runc start "$CT-b"
  assert_success
  wait_status "$CT-b" stopped
  runc delete "$CT-b"
  assert_success
  assert_output_contains poststop-no
  [[ ! -e $ROOT/$CT-b ]] || fail "state directory left"
  assert_nothing_left
}

@test "hooks: a failing poststop hook is logged as a warning in the --log file (ours)" {
  ours_only
  add_hook poststop 'echo poststop-no >&2; exit 2'
  set_cmd true
  RUNC_GLOBAL_OPTS="--log $TEST_DIR/log.json --log-format json" runc run "$CT"
  assert_success
  jq -e 'select(.level == "warning" and (.msg | contains("poststop-no")))' "$TEST_DIR/log.json" >/dev/null \
    || fail "no warning in the log: $(cat "$TEST_DIR/log.json")"
}
