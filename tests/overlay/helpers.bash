# Shared by tests/overlay/*.bats: a bundle per test under $OVL_TMP (made
# by run.sh, or any directory the current user may write), a --root of its
# own, and config edits with jq.

bats_require_minimum_version 1.5.0

: "${RUNC_BINARY:=$BATS_TEST_DIRNAME/../../runc}"
: "${OVL_TMP:=${BATS_RUN_TMPDIR:-/tmp}}"

is_root () { [[ $EUID -eq 0 ]]; }

# A fresh bundle ($BUNDLE, config from our `spec`, rootless when not
# root), layer directories $T/lower, $T/upper, $T/work, a state root.
setup_bundle ()
{
  [[ -d ${OVL_ROOTFS:-} ]] || skip "no rootfs fixture (run through tests/overlay/run.sh)"
  T=$(mktemp -d "$OVL_TMP/t.XXXXXX")
  chmod 0755 "$T"
  BUNDLE=$T/bundle
  ROOT=$T/state
  CT=ovl$BATS_TEST_NUMBER
  mkdir -p "$BUNDLE" "$T/lower" "$T/upper" "$T/work"
  cp -a "$OVL_ROOTFS" "$BUNDLE/rootfs"
  # `mnttype DIR` in the container: "type=" and the filesystem type of the
  # mount at DIR, from its own /proc/self/mountinfo.
  cat >"$BUNDLE/rootfs/bin/mnttype" <<'EOF'
#!/bin/sh
awk -v m="$1" '$5 == m { for (i = 7; i <= NF; i++) if ($i == "-") { print "type=" $(i + 1); exit } }' /proc/self/mountinfo
EOF
  chmod 0755 "$BUNDLE/rootfs/bin/mnttype"
  local -a opt=()
  is_root || opt=(--rootless)
  (cd "$BUNDLE" && "$RUNC_BINARY" spec "${opt[@]}") || return 1
  cfg '.process.terminal = false'
}

teardown_bundle ()
{
  [[ -n ${T:-} ]] || return 0
  rt delete -f "$CT" >/dev/null 2>&1 || true
  local pid
  for pid in $(daemons); do
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$T" 2>/dev/null || true
}

# The runtime with this test's state root.  fd 3 is bats' TAP stream: a
# container must not hold it open.
rt () { "$RUNC_BINARY" --root "$ROOT" "$@" 3>&-; }

# `rt create`/`rt start` of a long-running container: output to a file,
# not to the pipe `run` reads, which a detached container would keep open.
rt_detached () { rt "$@" >>"$T/detached.out" 2>&1 </dev/null; }

cfg ()
{
  local f=$BUNDLE/config.json
  jq "$@" "$f" >"$f.new" && mv "$f.new" "$f"
}

json_list () { printf '%s\n' "$@" | jq -R . | jq -sc .; }

set_args () { cfg --argjson a "$(json_list "$@")" '.process.args = $a'; }

# add_overlay DEST OPTION...
add_overlay ()
{
  local dest=$1
  shift
  cfg --arg d "$dest" --argjson o "$(json_list "$@")" \
    '.mounts += [{destination: $d, type: "overlay", source: "overlay", options: $o}]'
}

annotate_overlay () { cfg --arg v "$1" '.annotations["runc.overlay"] = $v'; }

# The layers of a standard test overlay, in $T.
std_layers () { echo "lowerdir=$T/lower" "upperdir=$T/upper" "workdir=$T/work"; }

# A lower layer with two files, an upper one with one.
fill_layers ()
{
  echo from-lower >"$T/lower/lower.txt"
  echo doomed >"$T/lower/gone.txt"
  echo from-upper >"$T/upper/upper.txt"
}

# Container command that shows the merged view of /mnt, writes to it and
# prints the type of the mount (see mnttype in setup_bundle).
merged_view_args ()
{
  set_args sh -c 'cat /mnt/lower.txt /mnt/upper.txt && echo written >/mnt/new.txt && rm /mnt/gone.txt && mnttype /mnt'
}

# Checks after merged_view_args ran with `run`: $output and the layers.
check_merged_view ()
{
  local type=$1
  [[ $output == *from-lower*from-upper* ]] || fail "merged view missing: $output"
  [[ $output == *"type=$type"* ]] || fail "expected a mount of type $type: $output"
  [[ $(cat "$T/upper/new.txt") == written ]] || fail "the write did not land in upperdir"
  [[ ! -e $T/lower/new.txt ]] || fail "the write reached lowerdir"
  [[ -e $T/lower/gone.txt ]] || fail "the removal reached lowerdir"
  ls -a "$T/upper" | grep -q gone || fail "no whiteout for gone.txt in upperdir: $(ls -la "$T/upper")"
}

# PIDs of fuse-overlayfs daemons serving this test's layers (their command
# line names $T), zombies left out.
daemons ()
{
  local p
  for p in $(pgrep -f -- "fuse-overlayfs.*$T/" 2>/dev/null); do
    [[ $(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null) == Z ]] || echo "$p"
  done
}

# Alive and not a zombie.
alive () { [[ -d /proc/$1 && $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

# Nothing of the container remains: no daemon, no state, no mount.
check_nothing_left ()
{
  local d
  d=$(daemons)
  [[ -z $d ]] || fail "fuse-overlayfs still running: $d"
  [[ ! -e $ROOT/$CT ]] || fail "the container's state directory remains: $(ls -la "$ROOT/$CT")"
  ! grep -q -- "$T/" /proc/self/mountinfo || fail "a mount remains: $(grep -- "$T/" /proc/self/mountinfo)"
  [[ -z $(rt list -q 2>/dev/null) ]] || fail "runc list still shows: $(rt list -q)"
}

fail ()
{
  echo "FAIL: $*" >&2
  return 1
}
