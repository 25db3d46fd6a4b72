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

# ---- mount races (CVE-2021-30465), /dev/null and /proc redirection (the
# ---- 2025 advisories CVE-2025-31133, -52565, -52881), hostile /dev and cwd

# A host file whose content and owner must not change.
host_sum () { sha256sum "$1" | cut -d' ' -f1; }

@test "security: a destination that an earlier mount turns into a symlink stays inside (CVE-2021-30465)" {
  victim
  mkdir -p "$TEST_DIR/vol1/dir" "$TEST_DIR/vol2"
  chmod 0777 "$TEST_DIR/vol1" "$TEST_DIR/vol2"
  echo from-vol2 >"$TEST_DIR/vol2/file"
  # The first mount's content decides where the second one goes: absolute,
  # ../ and / symlinks out of the rootfs.
  ln -s "$TEST_DIR/victim" "$TEST_DIR/vol1/abs"
  ln -s "../../../../../../../../../..$TEST_DIR/victim" "$TEST_DIR/vol1/rel"
  ln -s / "$TEST_DIR/vol1/root"
  add_bind "$TEST_DIR/vol1" /vol1
  add_bind "$TEST_DIR/vol2" /vol1/abs
  add_bind "$TEST_DIR/vol2" /vol1/rel
  add_mount "/vol1/root$TEST_DIR/victim" tmpfs tmpfs size=1m
  set_sh 'cat /vol1/abs/file; echo ran'
  runc run "$CT"
  victim_untouched
  # The volume still holds the same three symlinks.
  assert_eq "$(readlink "$TEST_DIR/vol1/abs")" "$TEST_DIR/victim"
  assert_eq "$(readlink "$TEST_DIR/vol1/root")" /
  [[ ! -e $TEST_DIR/victim/file ]] || fail "vol2 reached the host directory"
}

@test "security: a destination raced between a directory and a symlink out of the rootfs stays inside (CVE-2021-30465)" {
  victim
  mkdir -p "$TEST_DIR/vol1/flip" "$TEST_DIR/vol2"
  chmod 0777 "$TEST_DIR/vol1" "$TEST_DIR/vol2"
  echo from-vol2 >"$TEST_DIR/vol2/file"
  add_bind "$TEST_DIR/vol1" /vol1
  add_bind "$TEST_DIR/vol2" /vol1/flip
  set_sh 'test -e /vol1/flip/file && echo mounted; true'
  # Flips vol1/flip between a directory and a symlink to the host
  # directory for as long as the containers start.
  (
    set +e
    cd "$TEST_DIR/vol1" || exit 1
    while :; do
      rm -rf flip 2>/dev/null
      ln -s "$TEST_DIR/victim" flip 2>/dev/null
      rm -f flip 2>/dev/null
      mkdir flip 2>/dev/null
    done
  ) </dev/null >/dev/null 2>&1 3>&- &
  local racer=$! i mounted=0
  track_pid "$racer"
  for i in $(seq 1 20); do
    runc run "$CT-$i"
    [[ $output == *mounted* ]] && mounted=$((mounted + 1))
  done
  kill "$racer" || fail "the racing process died early"
  wait "$racer" 2>/dev/null || true
  victim_untouched
  [[ ! -e $TEST_DIR/victim/file ]] || fail "vol2 reached the host directory"
  echo "vol2 mounted in $mounted of 20 runs" >&2
}

@test "security: masked paths stay masked through symlinks; a masked symlink out of the rootfs masks nothing on the host" {
  victim
  echo "s3cret-$CT" >"$ROOTFS/etc/secret"
  mkdir -p "$ROOTFS/opt/secretdir"
  echo hidden >"$ROOTFS/opt/secretdir/file"
  ln -s /etc/secret "$ROOTFS/etc/alias-abs"
  ln -s etc/secret "$ROOTFS/alias-rel"
  ln -s ../opt/secretdir "$ROOTFS/etc/dir-alias"
  ln -s "../../../../../../../..$TEST_DIR/victim" "$ROOTFS/etc/host-dir-link"
  cfg '.linux.maskedPaths += ["/etc/secret", "/opt/secretdir", "/etc/host-dir-link"]'
  set_sh 'cat /etc/alias-abs /alias-rel /proc/self/root/etc/secret /proc/1/root/etc/secret; ls -A /etc/dir-alias /proc/1/root/opt/secretdir; echo end'
  runc run "$CT"
  assert_success
  refute_output_contains "s3cret-$CT" file
  assert_eq "${lines[-1]}" end
  victim_untouched
}

# /dev from a host directory the container's owner controls (a volume),
# in place of the runtime's tmpfs: its entries are the attacker's.
dev_volume ()
{
  mkdir -p "$TEST_DIR/devvol"
  chmod 0777 "$TEST_DIR/devvol"
  cfg '.mounts |= map(if .destination == "/dev" then {destination: "/dev", type: "bind", source: $s, options: ["rbind"]} else . end)' \
    --arg s "$TEST_DIR/devvol"
}

@test "security: maskedPaths never use a /dev/null that is a symlink (CVE-2025-31133)" {
  victim
  dev_volume
  cfg '.hostname = "rt-leaked-hostname"'
  echo secret-file >"$ROOTFS/etc/masked-file"
  cfg '.linux.maskedPaths += ["/etc/masked-file"]'
  set_sh 'echo "keys[$(cat /proc/keys)]"; echo "file[$(cat /etc/masked-file)]"; echo x >/proc/keys 2>/dev/null && echo keys-writable; true'
  local target
  # Inside the container: a procfs file the mask would expose (writable);
  # outside: a host file, reached if /dev/null were resolved on the host.
  for target in /proc/sys/kernel/hostname "$TEST_DIR/victim/marker" ../../../../../../../..$TEST_DIR/victim/marker; do
    rm -f "$TEST_DIR/devvol/null"
    ln -s "$target" "$TEST_DIR/devvol/null"
    runc run "$CT"
    # Refused with a clear error, or masked with the real null device.
    if [[ $status -ne 0 ]]; then
      assert_output_contains /dev/null
    else
      assert_output_contains "keys[]" "file[]"
    fi
    refute_output_contains rt-leaked-hostname keep secret-file keys-writable
    victim_untouched
    assert_eq "$(readlink "$TEST_DIR/devvol/null")" "$target" "the volume's /dev/null"
  done
  assert_nothing_left
}

@test "security: maskedPaths with no /dev/null at all" {
  dev_volume
  echo secret-file >"$ROOTFS/etc/masked-file"
  cfg '.linux.maskedPaths += ["/etc/masked-file"]'
  set_sh 'echo "file[$(cat /etc/masked-file)]"'
  runc run "$CT"
  if [[ $status -ne 0 ]]; then
    assert_output_contains /dev/null
    assert_nothing_left
  else
    assert_output_contains "file[]"
  fi
  refute_output_contains secret-file
}

@test "security: hostile /dev entries in a rootfs without a /dev mount: correct devices or a clear error" {
  # No tmpfs on /dev: the runtime makes the devices in the image's own /dev.
  victim
  cfg '.mounts |= map(select(.destination != "/dev"))'
  local passwd
  passwd=$(host_sum /etc/passwd)
  rm -rf "${ROOTFS:?}/dev"
  mkdir "$ROOTFS/dev"
  ln -s /etc/passwd "$ROOTFS/dev/null"
  ln -s "$TEST_DIR/victim/marker" "$ROOTFS/dev/zero"
  ln -s "../../../../../../../..$TEST_DIR/victim/newfile" "$ROOTFS/dev/full"
  set_sh 'for d in null zero full; do stat -L -c "$d %F %t:%T" /dev/$d; done; echo x >/dev/null; head -c 4 /dev/zero | wc -c'
  runc run "$CT"
  # Ours replaces what the image has where a device goes.
  [[ $RT_FLAVOR != ours ]] || assert_success
  if [[ $status -eq 0 ]]; then
    assert_output_contains "null character special file 1:3" "zero character special file 1:5" \
      "full character special file 1:7"
    assert_eq "${lines[-1]}" 4 "bytes read from /dev/zero"
  else
    # Names what it refused.
    assert_output_matches '/dev/(null|zero|full|shm|pts)'
    assert_nothing_left
  fi
  victim_untouched
  [[ ! -e $TEST_DIR/victim/newfile ]] || fail "created on the host"
  assert_eq "$(host_sum /etc/passwd)" "$passwd" "the host's /etc/passwd"
}

@test "security: /dev/pts as a symlink loop or out of the rootfs fails cleanly or stays inside" {
  victim
  cfg '.mounts |= map(select(.destination != "/dev"))'
  set_sh 'ls /dev/pts >/dev/null; echo ran'
  rm -rf "$ROOTFS/dev/pts"
  ln -s pts "$ROOTFS/dev/pts"
  runc run "$CT"
  if [[ $status -ne 0 ]]; then
    assert_output_contains /dev/pts
    assert_nothing_left
  fi
  rm -f "$ROOTFS/dev/pts"
  ln -s "$TEST_DIR/victim" "$ROOTFS/dev/pts"
  runc run "$CT-b"
  [[ $status -eq 0 ]] || assert_output_contains /dev/pts
  victim_untouched
  assert_nothing_left
}

@test "security: a mount destination through a symlink loop is a clear error" {
  ln -s loop2 "$ROOTFS/loop1"
  ln -s loop1 "$ROOTFS/loop2"
  add_mount /loop1/sub tmpfs tmpfs
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains /loop1
  assert_nothing_left
}

@test "security: a cwd through ../ symlinks or .. stays inside; a symlink loop is a clear error" {
  victim
  mkdir -p "$ROOTFS/a/b"
  ln -s "../../../../../../../../..$TEST_DIR/victim" "$ROOTFS/a/b/evil"
  set_sh 'ls -A; pwd'
  cfg '.process.cwd = "/a/b/evil"'
  runc run "$CT"
  refute_output_contains marker
  cfg '.process.cwd = $c' --arg c "/../../../../../../..$TEST_DIR/victim"
  runc run "$CT-b"
  refute_output_contains marker
  victim_untouched

  ln -s loop2 "$ROOTFS/loop1"
  ln -s loop1 "$ROOTFS/loop2"
  cfg '.process.cwd = "/loop1"'
  runc run "$CT-c"
  assert_failure
  assert_output_contains /loop1
  assert_nothing_left
}

@test "security: no mount may reach /proc through a symlink, so /proc writes cannot be redirected (CVE-2025-52881)" {
  # A mount over /proc/sys (or /proc/self/attr) could turn the runtime's
  # sysctl and LSM writes into writes to another file.
  ln -s /proc "$ROOTFS/procsym"
  mkdir -p "$TEST_DIR/fake"
  chmod 0777 "$TEST_DIR/fake"
  ns_add network
  cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
  local dest
  for dest in /procsym/sys /procsym/sys/net/ipv4 /proc/sys/net /procsym/self/attr; do
    cfg '.mounts |= map(select(.source != $s))' --arg s "$TEST_DIR/fake"
    add_bind "$TEST_DIR/fake" "$dest"
    set_sh 'cat /proc/sys/net/ipv4/ip_forward'
    runc run "$CT"
    assert_failure
    assert_output_contains "$dest"
    assert_nothing_left
    [[ -z $(ls -A "$TEST_DIR/fake") ]] || fail "written into the bind source through $dest: $(ls -A "$TEST_DIR/fake")"
  done
}

# `console_receiver SOCKET OUT`: a --console-socket peer that copies what
# the container writes to its terminal into OUT (python3's SCM_RIGHTS).
console_receiver ()
{
  local sock=$1 py=/usr/bin/python3
  [[ -x $py ]] || py=$(command -v python3) || skip "python3 is needed to receive the console"
  "$py" -c '
import array, os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(1)
c, _ = s.accept()
_, anc, _, _ = c.recvmsg(1, socket.CMSG_LEN(4))
fd = array.array("i", anc[0][2][:4])[0]
with open(sys.argv[2], "wb") as out:
    while True:
        try:
            b = os.read(fd, 4096)
        except OSError:
            break
        if not b:
            break
        out.write(b)
        out.flush()
' "$1" "$2" </dev/null >/dev/null 2>&1 3>&- &
  track_pid $!
  wait_until 5 '[[ -S $sock ]]' || fail "the console receiver did not start"
}

@test "security: an image's /dev/console symlink does not redirect the console bind (CVE-2025-52565)" {
  victim
  cfg '.mounts |= map(select(.destination != "/dev")) | .process.terminal = true'
  echo in-image >"$ROOTFS/etc/console-target"
  ln -s /etc/console-target "$ROOTFS/dev/console"
  set_sh 'stat -c "%F" /dev/console; cat /etc/console-target; echo done'
  console_receiver "$TEST_DIR/console.sock" "$TEST_DIR/console.out"
  # A read-only root keeps the link: refused, not followed.
  RT_OUT=$(ct_out) runc run -d --console-socket "$TEST_DIR/console.sock" "$CT"
  assert_failure
  assert_output_contains /dev/console
  assert_nothing_left
  [[ ! -s $TEST_DIR/console.out ]] || fail "the process ran: $(cat "$TEST_DIR/console.out")"

  # A writable one gets a real console in place of the link.
  cfg '.root.readonly = false'
  console_receiver "$TEST_DIR/console2.sock" "$TEST_DIR/console2.out"
  run_detached "$CT-b" --console-socket "$TEST_DIR/console2.sock"
  wait_until 10 'grep -q done "$TEST_DIR/console2.out" 2>/dev/null' \
    || fail "no output on the console: $(cat "$TEST_DIR/console2.out" 2>/dev/null)"
  run cat "$TEST_DIR/console2.out"
  assert_output_contains "character special file" in-image
  assert_eq "$(cat "$ROOTFS/etc/console-target")" in-image "the file the link named"
  victim_untouched
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
