#!/usr/bin/env bats
# Hostile input must not reach the host: ids that traverse, symlinks in the
# rootfs that point out of it, a cwd that would escape (CVE-2024-21626).

load helpers

# A host directory a hostile rootfs points at; nothing may appear in it.
victim ()
{
  mkdir -p "$TEST_DIR/victim"
  echo keep >"$TEST_DIR/victim/marker"
}

victim_untouched ()
{
  run ls -A "$TEST_DIR/victim"
  assert_eq "$output" marker "contents of the host directory"
  assert_eq "$(cat "$TEST_DIR/victim/marker")" keep
  [[ -z $(awk -v d="$TEST_DIR/victim" 'index($5, d) == 1' /proc/self/mountinfo) ]] || fail "something is mounted on the host directory"
}

@test "security: ids with path traversal touch nothing outside the root" {
  mkdir -p "$ROOT"
  local id
  for id in ../victim ../../victim ../bundle ..; do
    victim
    runc create "$id"
    assert_status 1
    runc delete -f "$id"
    runc kill "$id" KILL
    assert_status 1
    runc state "$id"
    assert_status 1
  done
  victim_untouched
  [[ -f $BUNDLE/config.json ]] || fail "the bundle was deleted through ../bundle"
}

@test "security: a mount destination through an absolute symlink stays inside" {
  victim
  ln -s "$TEST_DIR/victim" "$ROOTFS/evil"
  add_mount /evil/sub tmpfs tmpfs
  set_sh 'echo ran'
  runc run "$CT"
  victim_untouched
  [[ ! -e $TEST_DIR/victim/sub ]] || fail "created on the host"
}

@test "security: a mount destination through a ../ symlink stays inside" {
  victim
  mkdir -p "$ROOTFS/a/b"
  ln -s "../../../../../../../../../../$TEST_DIR/victim" "$ROOTFS/a/b/evil"
  add_mount /a/b/evil/sub tmpfs tmpfs
  set_sh 'echo ran'
  runc run "$CT"
  victim_untouched
}

@test "security: a bind-mounted file destination through a symlink stays inside" {
  victim
  echo content >"$TEST_DIR/srcfile"
  ln -s "$TEST_DIR/victim/newfile" "$ROOTFS/evilfile"
  add_bind "$TEST_DIR/srcfile" /evilfile
  set_sh 'cat /evilfile'
  runc run "$CT"
  victim_untouched
}

@test "security: a destination with .. components stays inside" {
  victim
  add_mount "/../../../../../../../../$TEST_DIR/victim/dotdot" tmpfs tmpfs
  set_sh 'echo ran'
  runc run "$CT"
  victim_untouched
}

@test "security: /dev as a symlink out of the rootfs" {
  victim
  rmdir "$ROOTFS/dev"
  ln -s "$TEST_DIR/victim" "$ROOTFS/dev"
  set_sh 'ls /dev'
  runc run "$CT"
  victim_untouched
}

@test "security: /proc as a symlink out of the rootfs" {
  victim
  rmdir "$ROOTFS/proc"
  ln -s "$TEST_DIR/victim" "$ROOTFS/proc"
  set_sh 'ls /proc | head -3'
  runc run "$CT"
  victim_untouched
}

@test "security: a masked path through a symlink does not mask the host" {
  victim
  ln -s "$TEST_DIR/victim/marker" "$ROOTFS/etc/masked-link"
  cfg '.linux.maskedPaths += ["/etc/masked-link"]'
  set_sh 'echo ran'
  runc run "$CT"
  victim_untouched
}

@test "security: a cwd through a symlink out of the rootfs stays inside" {
  victim
  ln -s "$TEST_DIR/victim" "$ROOTFS/evilcwd"
  cfg '.process.cwd = "/evilcwd"'
  set_sh 'ls -A; pwd'
  runc run "$CT"
  refute_output_contains marker
  victim_untouched
}

@test "security: a cwd of /proc/self/fd/N does not leak a host directory (CVE-2024-21626)" {
  local n
  for n in 3 4 5 6 7 8; do
    cfg '.process.cwd = $c' --arg c "/proc/self/fd/$n"
    set_sh 'ls -A; ls -A ..; cat /proc/self/mountinfo >/dev/null; readlink /proc/self/cwd'
    runc run "$CT-$n"
    # Either refused, or inside the container: never the bundle or the host.
    refute_output_contains config.json rt-test "(unreachable)"
  done
}

@test "security: a process cannot see host processes" {
  set_sh 'for p in /proc/[0-9]*; do cat $p/cmdline 2>/dev/null | tr "\0" " "; echo; done'
  runc run "$CT"
  assert_success
  refute_output_contains bats tini
}

@test "security: /sys and the cgroup tree are read-only for container root" {
  set_sh 'echo 1 >/sys/kernel/mm/ksm/run 2>&1 || true; mkdir /sys/fs/cgroup/rt-evil 2>&1; mkdir /sys/fs/cgroup/pids/rt-evil 2>&1; true'
  runc run "$CT"
  assert_success
  [[ -z $(find /sys/fs/cgroup -maxdepth 3 -name rt-evil 2>/dev/null) ]] || fail "container created a cgroup on the host"
}

# ---------------------------------------------------------------------------
# CVE-2019-5736: a process of the container must not be able to write the
# runtime binary through /proc/PID/exe.  The attack, as published: the
# command the runtime execs is a script whose interpreter is
# /proc/self/exe, so the runtime's own execve runs the runtime binary again,
# inside the container.  Here that copy blocks (its --log is a fifo nobody
# reads yet) while the attacker, another process of the container, takes a
# read-only handle on its /proc/PID/exe, tries to open it for writing, then
# lets it finish and keeps trying to reopen the handle for writing once
# nothing executes the file any more.

# `cve_bundle DIR`: the libraries of the runtime binary bound read-only (it
# must be able to run in there), the trap script, the attacker, and
# /shared (a host directory with the fifo and the attacker's report).
cve_bundle ()
{
  local dir=$1 lib d
  local -A dirs=()
  [[ -d $dir/rootfs ]] || make_bundle "$dir"
  for lib in $(ldd "$RUNC_BINARY" 2>/dev/null | grep -o '/[^ ]*'); do
    dirs[$(dirname "$lib")]=1
  done
  for d in "${!dirs[@]}"; do
    CFG_BUNDLE=$dir add_bind "$(readlink -f "$d")" "$d" ro
  done
  CFG_BUNDLE=$dir add_bind "$TEST_DIR/shared" /shared
  printf '#!/proc/self/exe --log=/shared/log.fifo\n' >"$dir/rootfs/bin/trap-runtime"
  chmod 0755 "$dir/rootfs/bin/trap-runtime"
  cat >"$dir/rootfs/bin/attack" <<'SH'
#!/bin/sh
out=/shared/report
pid=
i=0
# The runtime binary running in here: its command line names the fifo.
while [ -z "$pid" ] && [ $i -lt 300 ]; do
  for p in /proc/[0-9]*; do
    case "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" in
      *log.fifo*) pid=${p#/proc/} ;;
    esac
  done
  i=$((i + 1))
  sleep 0.05
done
if [ -z "$pid" ]; then
  echo not-found >>$out
  echo done >>$out
  exit 0
fi
echo "found $pid exe=$(readlink /proc/$pid/exe 2>&1)" >>$out
# While it runs.
if (exec 4<>/proc/$pid/exe) 2>>$out; then echo "open-rw-running: ok" >>$out; fi
if (printf PWNED >/proc/$pid/exe) 2>>$out; then echo "write-running: ok" >>$out; fi
# A handle kept across its exit.
if (exec 3</proc/$pid/exe) 2>>$out; then
  exec 3</proc/$pid/exe
  echo "open-ro: ok" >>$out
else
  echo "open-ro: refused" >>$out
fi
cat /shared/log.fifo >/dev/null &
n=0
while [ $n -lt 100 ] && [ -e /proc/self/fd/3 ]; do
  if (exec 4<>/proc/self/fd/3 && printf PWNED >&4) 2>/dev/null; then
    echo "write-after-exit: ok" >>$out
    break
  fi
  n=$((n + 1))
  sleep 0.1
done
echo done >>$out
SH
  chmod 0755 "$dir/rootfs/bin/attack"
}

# A private copy of the runtime under test (one that fails this test
# overwrites the copy, not the build), owned by whoever runs the suite.
cve_setup ()
{
  mkdir -p "$TEST_DIR/bin"
  cp "$RUNC_BINARY" "$TEST_DIR/bin/runc"
  chmod 0755 "$TEST_DIR/bin/runc"
  CVE_ORIG_BINARY=$RUNC_BINARY
  RUNC_BINARY="$TEST_DIR/bin/runc"
  CVE_SUM=$(sha256sum <"$RUNC_BINARY")
  mkdir -m 0777 "$TEST_DIR/shared"
  mkfifo -m 0666 "$TEST_DIR/shared/log.fifo"
  touch "$TEST_DIR/shared/report"
  chmod 0666 "$TEST_DIR/shared/report"
}

# The attacker got at the runtime binary, and got nothing written.
cve_check ()
{
  local report sum copy=$RUNC_BINARY
  wait_until 30 'grep -qx done "$TEST_DIR/shared/report"' || echo "(the attacker did not finish)" >>"$TEST_DIR/shared/report"
  report=$(cat "$TEST_DIR/shared/report")
  echo "attacker's report: $report" >&2
  sum=$(sha256sum <"$copy")
  # teardown's delete must not depend on the copy having survived.
  RUNC_BINARY=$CVE_ORIG_BINARY
  [[ $report == *found* ]] || fail "the runtime binary never ran in the container: $report"
  [[ $report == *done* ]] || fail "the attacker did not finish: $report"
  [[ $report != *"open-rw-running: ok"* && $report != *"write-running: ok"* && $report != *"write-after-exit: ok"* ]] \
    || fail "the attacker opened the runtime binary for writing: $report"
  assert_eq "$sum" "$CVE_SUM" "checksum of the runtime binary"
  ! grep -q PWNED "$copy" || fail "PWNED is in the runtime binary"
}

@test "security: CVE-2019-5736: exec'ing a #!/proc/self/exe script cannot overwrite the runtime" {
  cve_setup
  cve_bundle "$BUNDLE"
  set_sh '/bin/attack; sleep 1000'
  run_detached
  runc exec "$CT" /bin/trap-runtime
  cve_check
}

@test "security: CVE-2019-5736: run with a #!/proc/self/exe init cannot overwrite the runtime" {
  cve_setup
  # The attacker is the init of a first container; the second one, whose
  # init is the trap, joins its PID namespace, so that the attacker
  # outlives the trapped runtime (a PID namespace dies with its init).
  cve_bundle "$BUNDLE"
  set_sh '/bin/attack; sleep 1000'
  run_detached
  local init
  init=$(ct_pid "$CT")
  cve_bundle "$TEST_DIR/b2"
  CFG_BUNDLE="$TEST_DIR/b2" ns_join pid "/proc/$init/ns/pid"
  if ! is_root; then
    fixed_in_runc 1.2.0 "joining a user namespace by path"
    CFG_BUNDLE="$TEST_DIR/b2" ns_join user "/proc/$init/ns/user"
    CFG_BUNDLE="$TEST_DIR/b2" cfg 'del(.linux.uidMappings) | del(.linux.gidMappings)'
  fi
  CFG_BUNDLE="$TEST_DIR/b2" cfg '.process.args = ["/bin/trap-runtime"]'
  RT_OUT=$(ct_out "$CT-b") runc run -d -b "$TEST_DIR/b2" "$CT-b"
  cve_check
}
