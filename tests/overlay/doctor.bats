#!/usr/bin/env bats
# runc doctor: its text and JSON reports, its exit status, and requirements
# broken on purpose.  Runs as root and as an unprivileged user (run.sh).

load helpers

CHECKS="userns subuid subgid newuidmap newgidmap state-root cgroup systemd-bus tun fuse overlay ports ping criu"
REQUIRED="userns subuid subgid newuidmap newgidmap state-root"
NOSUB_USER=rt-doctor-nosub

setup ()
{
  T=$(mktemp -d "$OVL_TMP/d.XXXXXX")
  chmod 0755 "$T"
  ROOT=$T/state
  mkdir -p "$T/tmp"
  export TMPDIR=$T/tmp
}

teardown ()
{
  if is_root && id -u "$NOSUB_USER" >/dev/null 2>&1; then
    userdel "$NOSUB_USER" >/dev/null 2>&1 || true
  fi
  rm -rf "$T"
}

doctor () { "$RUNC_BINARY" --root "$ROOT" doctor "$@" 3>&-; }

# The status a text report gives check $1.
text_status () { awk -v n="$1" '$2 == n { print $1 }' <<<"$output"; }

@test "doctor: one line per check, ok/warn/fail, a summary, exit 0 when every requirement holds" {
  run doctor
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 15 ]
  for c in $CHECKS; do
    [ "$(awk -v n="$c" '$2 == n' <<<"$output" | wc -l)" -eq 1 ] || fail "no single line for $c"
    [[ $(text_status "$c") =~ ^(ok|warn)$ ]] || fail "$c: $(text_status "$c")"
  done
  for c in $REQUIRED; do
    [ "$(text_status "$c")" = ok ] || fail "required $c is not ok"
  done
  # A line that is not ok carries its remedy.
  while read -r line; do
    [[ $line == *"; remedy: "* ]] || fail "no remedy: $line"
  done < <(grep '^warn' <<<"$output")
  [[ ${lines[14]} == *", 0 fail: every required check passed" ]]
  # Nothing left behind: the overlay probe cleaned up, the state root was
  # not made.
  [ -z "$(ls -A "$T/tmp")" ]
  [ ! -e "$ROOT" ]
  [[ $(grep -E '^ok +state-root' <<<"$output") == *"$ROOT (made by the first create: $T is writable)"* ]]
}

@test "doctor --format json: the same checks as data" {
  run doctor
  text=$output
  run doctor --format json
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  [ "$(jq length <<<"$output")" -eq 14 ]
  [ "$(jq -r '[.[].name] | join(" ")' <<<"$output")" = "$CHECKS" ]
  # Every object has exactly the documented members.
  [ "$(jq -c '[.[] | keys] | unique' <<<"$output")" = '[["detail","name","remedy","required","status"]]' ]
  [ "$(jq -r '[.[] | select(.required) | .name] | join(" ")' <<<"$output")" = "$REQUIRED" ]
  # A remedy exactly when something is not ok.
  [ "$(jq '[.[] | select((.status == "ok") != (.remedy == null))] | length' <<<"$output")" -eq 0 ]
  # Advisory checks warn, never fail.
  [ "$(jq '[.[] | select(.required | not) | select(.status == "fail")] | length' <<<"$output")" -eq 0 ]
  # The same verdicts as the text report (a probe may differ by nothing).
  output=$text
  while read -r name st; do
    [ "$(text_status "$name")" = "$st" ] || fail "$name: text says $(text_status "$name"), json $st"
  done < <(jq -r '.[] | "\(.name) \(.status)"' <<<"$(doctor -f json)")
}

@test "doctor: the probes agree with the same operations done by hand" {
  run doctor -f json
  [ "$status" -eq 0 ]
  json=$output
  st () { jq -r --arg n "$1" '.[] | select(.name == $n) | .status' <<<"$json"; }
  # A user namespace, as util-linux makes it.
  if unshare -U -r true 2>/dev/null; then [ "$(st userns)" = ok ]; else [ "$(st userns)" = fail ]; fi
  # overlayfs with userxattr in one.
  mkdir -p "$T/o/l" "$T/o/u" "$T/o/w" "$T/o/m"
  if unshare -U -r -m sh -c "mount -t overlay overlay -o lowerdir=$T/o/l,upperdir=$T/o/u,workdir=$T/o/w,userxattr $T/o/m" 2>/dev/null; then
    [ "$(st overlay)" = ok ]
  else
    [ "$(st overlay)" = warn ]
  fi
  # The devices.
  if (exec 5<>/dev/net/tun) 2>/dev/null; then [ "$(st tun)" = ok ]; else [ "$(st tun)" = warn ]; fi
  if (exec 5<>/dev/fuse) 2>/dev/null && command -v fuse-overlayfs >/dev/null; then
    [ "$(st fuse)" = ok ]
  else
    [ "$(st fuse)" = warn ]
  fi
}

@test "doctor: a state root owned by someone else is a failed requirement: exit 1, text and JSON say so" {
  if is_root; then
    mkdir "$T/foreign"
    chown 65534:65534 "$T/foreign"
    ROOT=$T/foreign
    owner=65534
  else
    ROOT=/usr
    owner=0
  fi
  run doctor
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $(grep '^fail  state-root' <<<"$output") == *"$ROOT belongs to uid $owner, not to you (uid $(id -u)); remedy: pass --root with a directory you own"* ]]
  [[ ${lines[-1]} == *", 1 fail: required checks failed: state-root" ]]
  run doctor -f json
  [ "$status" -eq 1 ]
  [ "$(jq -r '.[] | select(.name == "state-root") | "\(.status) \(.required)"' <<<"$output")" = "fail true" ]
  [[ $(jq -r '.[] | select(.name == "state-root") | .remedy' <<<"$output") == "pass --root with a directory you own"* ]]
}

@test "doctor: a user without subordinate ID ranges fails subuid and subgid (exit 1)" {
  is_root || skip "needs root to make a user without ranges"
  command -v useradd >/dev/null || skip "useradd is not installed"
  # A system user: useradd gives it no /etc/subuid range.
  useradd --system --no-create-home --shell /usr/sbin/nologin "$NOSUB_USER"
  ! grep -q "^$NOSUB_USER:" /etc/subuid /etc/subgid
  uid=$(id -u "$NOSUB_USER")
  gid=$(id -g "$NOSUB_USER")
  install -d -o "$uid" -g "$gid" -m 0700 "$T/nsroot"
  chown "$uid" "$T/tmp"
  as_user () {
    setpriv --reuid="$uid" --regid="$gid" --clear-groups env -i PATH=/usr/local/bin:/usr/bin:/bin TMPDIR="$T/tmp" \
      "$RUNC_BINARY" --root "$T/nsroot" doctor "$@" 3>&-
  }
  run as_user
  echo "$output"
  [ "$status" -eq 1 ]
  [[ $(grep '^fail  subuid' <<<"$output") == *"no range for $NOSUB_USER (uid $uid) in /etc/subuid"*"; remedy: give $NOSUB_USER a range of its own: usermod --add-subuids "*" $NOSUB_USER" ]]
  [[ $(grep '^fail  subgid' <<<"$output") == *"no range for $NOSUB_USER (gid $gid) in /etc/subgid"*"usermod --add-subgids "* ]]
  [[ ${lines[-1]} == *"required checks failed: subuid, subgid" ]]
  # The rest of what this user needs is there.
  [ "$(text_status userns)" = ok ]
  [ "$(text_status state-root)" = ok ]
  # The suggested range is free: after every range in the file.
  range=$(grep '^fail  subuid' <<<"$output" | sed 's/.*--add-subuids \([0-9]*\)-\([0-9]*\).*/\1 \2/')
  read -r start end <<<"$range"
  [ $((end - start + 1)) -eq 65536 ]
  while IFS=: read -r _ s c; do
    [ $((s + c)) -le "$start" ] || fail "suggested range $start-$end overlaps $s+$c"
  done </etc/subuid
  run as_user --format json
  [ "$status" -eq 1 ]
  [ "$(jq -r '[.[] | select(.status == "fail") | .name] | join(" ")' <<<"$output")" = "subuid subgid" ]
}

@test "doctor: criu that fails or is missing is a warning with its words, not a failure" {
  printf '#!/bin/sh\necho "Warn  (criu/x.c:1): something minor"\necho "Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds" >&2\nexit 1\n' >"$T/fakecriu"
  chmod 0755 "$T/fakecriu"
  run "$RUNC_BINARY" --root "$ROOT" --criu "$T/fakecriu" doctor
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $(grep '^warn  criu' <<<"$output") == *"\`$T/fakecriu check\` failed (exit status 1): Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds; remedy: "* ]]
  run "$RUNC_BINARY" --root "$ROOT" --criu "$T/no-such-criu" doctor
  [ "$status" -eq 0 ]
  [[ $(grep '^warn  criu' <<<"$output") == *"$T/no-such-criu not found"* ]]
  # The real one, whatever it says here.
  run doctor
  [ "$status" -eq 0 ]
  [[ $(text_status criu) =~ ^(ok|warn)$ ]]
}

@test "doctor: a bad --format is refused" {
  run doctor --format yaml
  [ "$status" -eq 1 ]
  [[ $output == *"invalid format option yaml"* ]]
}
