# Shared harness for the integration suite.  Every .bats file does
# `load helpers`; the default setup()/teardown() below give each test its own
# bundle, its own --root and a leak check when it ends.
#
# Environment (set by the mode scripts, all optional when bats is run by hand):
#   RUNC_BINARY   runtime under test (default: the build tree's ./runc)
#   REF_RUNC      reference runc used only to generate config.json (/usr/sbin/runc)
#   TOP_SRCDIR, TOP_BUILDDIR
#   RT_FLAVOR     ours|reference|crun (detected from `--version` when unset)
#   RT_TMPDIR     where per-test directories go (/tmp)

bats_require_minimum_version 1.5.0

: "${TOP_SRCDIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
: "${RUNC_BINARY:=$TOP_BUILDDIR/runc}"
: "${REF_RUNC:=/usr/sbin/runc}"
: "${FIXTURE_CACHE:=$TOP_BUILDDIR/tests/fixtures/cache}"
: "${RT_TIMEOUT:=60}"
: "${RT_TMPDIR:=/tmp}"

# ---------------------------------------------------------------------------
# What we are running on and against.

rt_flavor ()
{
  if [[ -n ${RT_FLAVOR:-} ]]; then
    echo "$RT_FLAVOR"
    return
  fi
  local v
  v=$("$RUNC_BINARY" --version 2>/dev/null) || true
  case $v in
    *crun*) echo crun ;;
    *$'\ngo:'* | *$'\ngo '*) echo reference ;;  # a Go-built runc says "go: go1.x"
    *) echo ours ;;
  esac
}
RT_FLAVOR=$(rt_flavor)
export RT_FLAVOR

cgroup_layout ()
{
  if [[ $(stat -fc %T /sys/fs/cgroup 2>/dev/null) == cgroup2fs ]]; then
    echo v2
  elif [[ $(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null) == cgroup2fs ]]; then
    echo hybrid
  else
    echo v1
  fi
}
: "${CGROUP_LAYOUT:=$(cgroup_layout)}"

is_root () { [[ $EUID -eq 0 ]]; }

# The id of the user that owns the container processes on the host.
host_uid () { id -u; }
host_gid () { id -g; }

# `requires WHAT...` skips the test with the reason when the machine or the
# mode does not offer WHAT.
requires ()
{
  local r
  for r in "$@"; do
    case $r in
      root) is_root || skip "needs root (run in a root mode)" ;;
      rootless) ! is_root || skip "needs an unprivileged user (rootless mode)" ;;
      cgroup_v1) [[ $CGROUP_LAYOUT == v1 ]] || skip "needs a cgroup v1 host (this is $CGROUP_LAYOUT)" ;;
      cgroup_v2) [[ $CGROUP_LAYOUT == v2 ]] || skip "needs a pure cgroup v2 view (root-v2 mode; this is $CGROUP_LAYOUT)" ;;
      hybrid) [[ $CGROUP_LAYOUT == hybrid ]] || skip "needs the hybrid cgroup layout (this is $CGROUP_LAYOUT)" ;;
      cgroups_writable)
        is_root || skip "cgroups are not delegated to this user"
        ;;
      systemd) [[ -d /run/systemd/system ]] || skip "needs systemd as init (not running here)" ;;
      timens) [[ -e /proc/self/ns/time ]] || skip "kernel has no time namespaces" ;;
      cgroupns) [[ -e /proc/self/ns/cgroup ]] || skip "kernel has no cgroup namespaces" ;;
      userns) unshare -U true 2>/dev/null || skip "cannot create user namespaces here" ;;
      newuidmap)
        command -v newuidmap >/dev/null && command -v newgidmap >/dev/null \
          || skip "newuidmap/newgidmap not installed (uidmap package)"
        subid_range subuid >/dev/null || skip "no /etc/subuid range for $(id -un)"
        subid_range subgid >/dev/null || skip "no /etc/subgid range for $(id -un)"
        ;;
      tun) [[ -c /dev/net/tun ]] || skip "no /dev/net/tun" ;;
      *) fail "requires: unknown requirement '$r'" ;;
    esac
  done
}

# Tests of behaviour specific to this runtime (better messages than runc,
# defaults runc lacks): skipped when RUNC_BINARY is another runtime.
ours_only ()
{
  [[ $RT_FLAVOR == ours ]] || skip "checks behaviour specific to this runtime (RUNC_BINARY is $RT_FLAVOR)"
}

# First subordinate range of the current user in /etc/sub[ug]id: "start count".
subid_range ()
{
  local file=/etc/$1 user uid
  user=$(id -un)
  uid=$(id -u)
  [[ -r $file ]] || return 1
  awk -F: -v u="$user" -v i="$uid" '($1 == u || $1 == i) && $3 > 0 { print $2, $3; found = 1; exit } END { exit !found }' "$file"
}

fail ()
{
  echo "FAIL: $*" >&2
  return 1
}

# ---------------------------------------------------------------------------
# Running the runtime.

# The raw call: our per-test --root, no inherited fd above 2 (bats keeps its
# TAP stream on fd 3: a runtime leaking it into a container would hang the
# whole run), a marker in the environment that lets teardown find every
# process this test started, and a time limit.
#   RT_KEEP_FDS="3 4" keeps those fds (for --preserve-fds tests).
#   RT_NO_ROOT=1 leaves --root out (for default-root tests).
#   RT_NO_TIMEOUT=1 execs the runtime itself, so that the caller's $! is the
#   runtime's pid (timeout(1) would stand between them, and die of SIGUSR1).
__runc () ( __runc_exec "$@"; )

# The body of __runc: replaces the calling (sub)shell by the runtime.
__runc_exec ()
{
  local fd
  for fd in /proc/self/fd/*; do
    fd=${fd##*/}
    if ((fd > 2)) && [[ " ${RT_KEEP_FDS:-} " != *" $fd "* ]]; then
      eval "exec $fd>&-" 2>/dev/null
    fi
  done
  local -a root_opt=(--root "$ROOT")
  [[ -n ${RT_NO_ROOT:-} ]] && root_opt=()
  export RT_TEST_MARK="$CT_MARK"
  if [[ -n ${RT_NO_TIMEOUT:-} ]]; then
    exec "$RUNC_BINARY" ${RUNC_GLOBAL_OPTS:-} "${root_opt[@]}" "$@"
  fi
  exec timeout -k 5 "$RT_TIMEOUT" "$RUNC_BINARY" ${RUNC_GLOBAL_OPTS:-} "${root_opt[@]}" "$@"
}

# Runs the runtime with stdout/stderr going to a FILE, not to the pipe `run`
# reads: a detached container inherits that fd, and a pipe would make `run`
# wait for the container to exit.  RT_OUT names the file (default: a fresh
# one); container output keeps appending there.  RT_STDIN names its stdin
# (default /dev/null).
__runc_captured ()
{
  local out=${RT_OUT:-} err="$TEST_DIR/.err.$BASHPID.$RANDOM" rc=0
  [[ -n $out ]] || out="$TEST_DIR/.out.$BASHPID.$RANDOM"
  if [[ -n ${RT_SEPARATE_STDERR:-} ]]; then
    __runc "$@" >>"$out" 2>>"$err" <"${RT_STDIN:-/dev/null}" || rc=$?
    printf '%s' "$(<"$out")"
    printf '%s' "$(<"$err")" >&2
  else
    __runc "$@" >>"$out" 2>&1 <"${RT_STDIN:-/dev/null}" || rc=$?
    printf '%s' "$(<"$out")"
  fi
  return $rc
}

# `runc [run-flags] ARGS...`: like bats' `run` on the runtime: sets $status,
# $output and $lines.  Leading bats flags (-N, !, --separate-stderr) go to run.
runc ()
{
  local -a run_flags=()
  while (($#)); do
    case $1 in
      -[0-9]* | '!' | --keep-empty-lines) run_flags+=("$1"); shift ;;
      --separate-stderr) run_flags+=("$1"); export RT_SEPARATE_STDERR=1; shift ;;
      *) break ;;
    esac
  done
  run "${run_flags[@]}" __runc_captured "$@"
  unset RT_SEPARATE_STDERR
  echo "runc $* -> status $status" >&2
  ((${#lines[@]} == 0)) || printf '  | %s\n' "${lines[@]}" >&2
}

# Container output file for containers started detached by the helpers below.
ct_out () { echo "$TEST_DIR/${1:-$CT}.out"; }

# `create_ct [ID] [create-flags...]`: create (not start) a container whose
# stdio goes to $(ct_out ID).  Fails the test if create fails.
create_ct ()
{
  local id=${1:-$CT}
  (($#)) && shift
  RT_OUT=$(ct_out "$id") runc create "$@" "$id"
  [[ $status -eq 0 ]] || fail "create $id failed ($status): $output"
}

# `run_detached [ID] [run-flags...]`: `runc run -d`, output to $(ct_out ID).
run_detached ()
{
  local id=${1:-$CT}
  (($#)) && shift
  RT_OUT=$(ct_out "$id") runc run -d "$@" "$id"
  [[ $status -eq 0 ]] || fail "run -d $id failed ($status): $output"
}

# `runc_bg ARGS...`: the runtime in the background (e.g. a foreground
# `run`), output appended to $(ct_out); sets RUNC_BG_PID.
runc_bg ()
{
  RT_NO_TIMEOUT=1 __runc_exec "$@" >>"$(ct_out)" 2>&1 </dev/null &
  RUNC_BG_PID=$!
  track_pid "$RUNC_BG_PID"
}

# `wait_bg PID [SECONDS]`: wait for a background child; sets $status to its
# exit status (fails the test if it does not exit in time).
wait_bg ()
{
  local pid=$1 secs=${2:-20} i
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && { fail "process $pid still running after ${secs}s"; return 1; }
  status=0
  wait "$pid" || status=$?
}

# ---------------------------------------------------------------------------
# Bundle and config.

# A config.json made by the reference runc's `spec` (so the fixture does not
# depend on our own `spec`), generated once per bats run and per user.
base_config ()
{
  local f="$BATS_RUN_TMPDIR/base-config-$EUID.json" tmpd
  if [[ ! -s $f ]]; then
    tmpd=$(mktemp -d "$BATS_RUN_TMPDIR/spec.XXXXXX")
    local -a opt=()
    is_root || opt=(--rootless)
    (cd "$tmpd" && "$REF_RUNC" spec "${opt[@]}") || fail "$REF_RUNC spec failed"
    jq '.process.terminal = false | .process.args = ["true"]' "$tmpd/config.json" >"$f.tmp" && mv "$f.tmp" "$f"
    rm -rf "$tmpd"
  fi
  cat "$f"
}

# Copy the cached rootfs.  A real copy, not hardlinks: a test that writes to
# a file of its rootfs must never reach the shared cache.
copy_rootfs ()
{
  local dest=$1
  if [[ ! -x $FIXTURE_CACHE/rootfs/bin/busybox ]]; then
    "$TOP_SRCDIR/tests/fixtures/make-rootfs.sh" "$FIXTURE_CACHE" >&2 || fail "cannot build the rootfs fixture"
  fi
  if is_root; then
    cp -a "$FIXTURE_CACHE/rootfs" "$dest"
  else
    cp -R --preserve=mode,timestamps,links "$FIXTURE_CACHE/rootfs" "$dest"
  fi
}

# `make_bundle DIR`: DIR/rootfs + DIR/config.json carrying this test's marker.
make_bundle ()
{
  local dir=$1
  mkdir -p "$dir"
  copy_rootfs "$dir/rootfs"
  base_config >/dev/null
  jq --arg m "RT_TEST_MARK=$CT_MARK" '.process.env += [$m]' "$BATS_RUN_TMPDIR/base-config-$EUID.json" >"$dir/config.json"
}

# `cfg FILTER [jq-args...]`: edit $BUNDLE/config.json (or $CFG_BUNDLE's) in place.
cfg ()
{
  local f="${CFG_BUNDLE:-$BUNDLE}/config.json" filter=$1
  shift
  jq "$filter" "$@" <"$f" >"$f.tmp" || { rm -f "$f.tmp"; fail "jq '$filter' failed"; return 1; }
  mv "$f.tmp" "$f"
}

# `cfg_get FILTER`: read from the config.
cfg_get () { jq -r "$1" "${CFG_BUNDLE:-$BUNDLE}/config.json"; }

# `json_array ARG...`: the arguments as a JSON array of strings (jq's --args
# would take an argument like "-c" for one of its own options).
json_array ()
{
  local -a named=()
  local i=0 v
  for v in "$@"; do
    named+=(--arg "a$i" "$v")
    i=$((i + 1))
  done
  jq -nc "${named[@]}" --argjson n $# '[range(0; $n) as $i | $ARGS.named["a\($i)"]]'
}

# `set_cmd ARG...`: the container's process.args.
set_cmd () { cfg '.process.args = $a' --argjson a "$(json_array "$@")"; }

# `set_sh SCRIPT`: process.args = sh -c SCRIPT.
set_sh () { set_cmd sh -c "$1"; }

# `add_mount DEST TYPE SOURCE [OPTION...]`
add_mount ()
{
  local dest=$1 type=$2 src=$3
  shift 3
  cfg '.mounts += [{destination: $d, type: $t, source: $s, options: $o}]' \
    --arg d "$dest" --arg t "$type" --arg s "$src" --argjson o "$(json_array "$@")"
}

# `add_bind SOURCE DEST [OPTION...]` (adds "bind" unless rbind is given).
add_bind ()
{
  local src=$1 dest=$2
  shift 2
  local -a opts=("$@")
  [[ " ${opts[*]} " == *" rbind "* ]] || opts=(bind "${opts[@]}")
  add_mount "$dest" bind "$src" "${opts[@]}"
}

ns_remove () { cfg '.linux.namespaces |= map(select(.type != $t))' --arg t "$1"; }
ns_add () { ns_remove "$1"; cfg '.linux.namespaces += [{type: $t}]' --arg t "$1"; }
ns_join () { ns_remove "$1"; cfg '.linux.namespaces += [{type: $t, path: $p}]' --arg t "$1" --arg p "$2"; }

# A writable /tmp for tests that need to write (the default root is read-only).
add_tmpfs_tmp () { add_mount /tmp tmpfs tmpfs nosuid nodev mode=1777; }

# `set_maps UIDMAPS GIDMAPS` (JSON arrays), with a new user namespace.
set_maps ()
{
  ns_add user
  cfg '.linux.uidMappings = $u | .linux.gidMappings = $g' --argjson u "$1" --argjson g "$2"
}

# The caller's own ids at 0 and its first subordinate ranges from 1 (needs
# newuidmap/newgidmap); sets US and GS to the ranges' starts.
set_subid_maps ()
{
  read -r US _ < <(subid_range subuid)
  read -r GS _ < <(subid_range subgid)
  set_maps "[{\"containerID\": 0, \"hostID\": $(id -u), \"size\": 1}, {\"containerID\": 1, \"hostID\": $US, \"size\": 65536}]" \
    "[{\"containerID\": 0, \"hostID\": $(id -g), \"size\": 1}, {\"containerID\": 1, \"hostID\": $GS, \"size\": 65536}]"
}

# Container ids other than 0 (user1 = 1000 ...) exist only with more than
# the caller's own id mapped: nothing to do as root (no user namespace by
# default), subordinate ranges through newuidmap for a user.
map_users ()
{
  is_root && return 0
  requires newuidmap
  set_subid_maps
}

# ---------------------------------------------------------------------------
# Waiting and state.

# `wait_until SECONDS 'SHELL CONDITION'`: evaluate the condition (a string,
# so its $(...) run again each time) every 0.1s until it holds.
wait_until ()
{
  local secs=$1 cond=$2 i
  for ((i = 0; i < secs * 10; i++)); do
    eval "$cond" && return 0
    sleep 0.1
  done
  return 1
}

# `retry N DELAY CMD...`: run CMD until it succeeds, at most N times.
retry ()
{
  local n=$1 delay=$2 i
  shift 2
  for ((i = 0; i < n; i++)); do
    "$@" && return 0
    sleep "$delay"
  done
  return 1
}

# `wait_for_output ID PATTERN [SECONDS]`: the container's output file has a
# line matching the grep -E PATTERN.
wait_for_output ()
{
  local id=$1 pat=$2 secs=${3:-10}
  retry $((secs * 10)) 0.1 grep -qE -- "$pat" "$(ct_out "$id")" && return 0
  fail "container $id never printed /$pat/; its output: $(cat "$(ct_out "$id")" 2>/dev/null)"
}

# `ct_status ID`: the status field of `runc state` (empty if state fails).
ct_status ()
{
  __runc state "$1" 2>/dev/null </dev/null | jq -r .status 2>/dev/null
}

ct_pid ()
{
  __runc state "$1" 2>/dev/null </dev/null | jq -r .pid 2>/dev/null
}

# `wait_status ID STATUS [SECONDS]`
wait_status ()
{
  local id=$1 want=$2 secs=${3:-10} i
  for ((i = 0; i < secs * 10; i++)); do
    [[ $(ct_status "$id") == "$want" ]] && return 0
    sleep 0.1
  done
  fail "container $id is '$(ct_status "$id")', expected '$want'"
}

# Host pids of the processes started by this test (runtime, inits, container
# processes): they carry RT_TEST_MARK=$CT_MARK in their environment, except
# an init that a runtime started with a fresh environment (runc's `runc
# init`) before it execs the container process.  Dead or not, unfiltered.
marked_pids ()
{
  grep -lzx "RT_TEST_MARK=$CT_MARK" /proc/[0-9]*/environ 2>/dev/null | sed 's#^/proc/##; s#/environ$##'
}

# The parent of PID, read with builtins only (this is called in loops).
ppid_of ()
{
  local s
  read -r s 2>/dev/null <"/proc/$1/stat" || return 0
  s=${s##*) }
  set -- $s
  echo "$2"
}

# The subreaper the mode scripts run bats under (tini -s), and bats' own
# process just below it: every other child of that subreaper is an orphan
# of a container (a detached init, or what survived it).
find_subreaper ()
{
  local pid=$$ parent s comm
  RT_SUBREAPER='' RT_BATS_MAIN=''
  while [[ $pid -gt 1 ]]; do
    read -r s 2>/dev/null <"/proc/$pid/stat" || return 0
    s=${s##*) }
    set -- $s
    parent=$2
    read -r comm 2>/dev/null <"/proc/$parent/comm" || return 0
    if [[ $comm == tini ]]; then
      RT_SUBREAPER=$parent RT_BATS_MAIN=$pid
      return 0
    fi
    pid=$parent
  done
}

# Every live process this test left: the marked ones, and the orphans under
# the subreaper with all their descendants.  One pass over /proc (a test
# polls this).
ct_processes ()
{
  local marked
  marked=$(marked_pids | tr '\n' ' ')
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v marked="$marked" -v r="${RT_SUBREAPER:-0}" -v b="${RT_BATS_MAIN:-0}" '
    { pid = $1; sub(/^.*\) /, ""); st[pid] = $1; kids[$2] = kids[$2] " " pid }
    END {
      n = split(marked, m, " ")
      for (i = 1; i <= n; i++) want[m[i]] = 1
      tail = 0
      if (r > 0) {
        n = split(kids[r], q, " ")
        for (i = 1; i <= n; i++) if (q[i] != b) list[++tail] = q[i]
      }
      for (head = 1; head <= tail; head++) {
        p = list[head]; want[p] = 1
        n = split(kids[p], c, " ")
        for (i = 1; i <= n; i++) list[++tail] = c[i]
      }
      # A zombie is not a leak; nor is a process that just died.
      for (p in want) if (st[p] ~ /^[RSDTt]$/) print p
    }'
}

# Register something teardown must clean: `track_pid PID`, `track_mount DIR`,
# `track_root DIR` (another --root whose $CT* entries must be deleted).
track_pid () { echo "$1" >>"$TEST_DIR/.pids"; }
track_mount () { echo "$1" >>"$TEST_DIR/.mounts"; }
track_root () { echo "$1" >>"$TEST_DIR/.roots"; }

# `hold_ns UNSHARE-FLAGS...`: a sleeping process in new namespaces, for join
# tests; sets HOLDER to the pid of the process inside them (with --fork, the
# child of unshare).  Not to be called in $(...): the holder must stay a
# child of the test, not become an orphan.  Killed by teardown.
hold_ns ()
{
  unshare "$@" sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
  local pid=$! child
  disown "$pid"
  track_pid "$pid"
  HOLDER=''
  wait_until 5 '[[ $(readlink /proc/$pid/exe) == */sleep ]] || [[ -n $(pgrep -P $pid) ]]' \
    || fail "namespace holder did not start"
  if [[ " $* " == *" --fork "* || " $* " == *" -f "* ]]; then
    wait_until 5 '[[ -n $(pgrep -P $pid) && $(readlink /proc/$(pgrep -P $pid)/exe) == */sleep ]]' \
      || fail "namespace holder's child did not start"
    child=$(pgrep -P "$pid")
    track_pid "$child"
    HOLDER=$child
  else
    HOLDER=$pid
  fi
}

# ---------------------------------------------------------------------------
# Assertions (print what was expected and what came, then fail).

assert_status ()
{
  [[ $status -eq $1 ]] || fail "exit status $status, expected $1; output: $output"
}

assert_success () { assert_status 0; }

assert_failure ()
{
  [[ $status -ne 0 ]] || fail "command succeeded, expected a failure; output: $output"
}

assert_output_contains ()
{
  local s
  for s in "$@"; do
    [[ $output == *"$s"* ]] || fail "output lacks '$s'; output: $output"
  done
}

refute_output_contains ()
{
  local s
  for s in "$@"; do
    [[ $output != *"$s"* ]] || fail "output contains '$s'; output: $output"
  done
}

assert_output_matches ()
{
  grep -qE -- "$1" <<<"$output" || fail "output does not match /$1/; output: $output"
}

assert_eq ()
{
  [[ $1 == "$2" ]] || fail "got '$1', expected '$2'${3:+ ($3)}"
}

# ---- mountinfo, as printed by `cat /proc/self/mountinfo` into $output ----
# The last line for MOUNTPOINT (the top of a stack of mounts).
mnt_line () { awk -v m="$1" '$5 == m { l = $0 } END { print l }' <<<"$output"; }
# Per-mount options (ro, nosuid, ...).
mnt_opts () { mnt_line "$1" | awk '{ print $6 }'; }
# Filesystem type.
mnt_fstype () { mnt_line "$1" | awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { print $(i + 1); exit } }'; }
# Superblock options.
mnt_superopts () { mnt_line "$1" | awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { print $(i + 3); exit } }'; }
# Propagation fields (shared:N master:N unbindable), space separated.
mnt_propagation () { mnt_line "$1" | awk '{ s = ""; for (i = 7; i <= NF && $i != "-"; i++) s = s " " $i; print substr(s, 2) }'; }
# `has_opt LIST OPT`: the comma-separated LIST holds OPT.
has_opt () { [[ ,$1, == *,$2,* ]]; }

# ---------------------------------------------------------------------------
# Per-test setup and the leak check.

rt_setup ()
{
  [[ -x $RUNC_BINARY ]] || fail "RUNC_BINARY=$RUNC_BINARY is not executable"
  TEST_DIR=$(mktemp -d "$RT_TMPDIR/rt-test.XXXXXX")
  # Traversable by the ids a user namespace maps the container to.
  chmod 0755 "$TEST_DIR"
  ROOT="$TEST_DIR/state"
  BUNDLE="$TEST_DIR/bundle"
  ROOTFS="$BUNDLE/rootfs"
  # Container ids of a test all start with $CT: the cgroup leak check
  # looks for that prefix.
  CT="ct${BATS_TEST_NUMBER}x$(printf '%04x%04x' $RANDOM $RANDOM)"
  CT_MARK="$CT-$$"
  export TEST_DIR ROOT BUNDLE ROOTFS CT CT_MARK
  find_subreaper
  make_bundle "$BUNDLE"
  # Like runc, the runtime takes the bundle from the working directory.
  cd "$BUNDLE" || return 1
}

# Leftover container ids under a state root.
leftover_ids ()
{
  local d
  for d in "$1"/*/; do
    [[ -d $d ]] && basename "$d"
  done
}

# The state roots this test used: its own and the ones it tracked.
test_roots ()
{
  echo "$ROOT"
  [[ -f $TEST_DIR/.roots ]] && cat "$TEST_DIR/.roots"
  return 0
}

# What this test's containers left behind, one "KIND WHAT [DETAIL]" a line:
# state directories, live processes, mounts under the test directory,
# cgroups named after the container.
leak_report ()
{
  local root id pid
  for root in $(test_roots); do
    for id in $(leftover_ids "$root"); do
      [[ $root == "$ROOT" || $id == "$CT"* ]] && echo "state $root/$id"
    done
  done
  for pid in $(ct_processes); do
    echo "process $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
  done
  local -a f mnts=()
  while read -ra f; do
    [[ ${f[4]} == "$TEST_DIR"* ]] && mnts=("${f[4]}" "${mnts[@]}")
  done </proc/self/mountinfo
  ((${#mnts[@]})) && printf 'mount %s\n' "${mnts[@]}"
  find /sys/fs/cgroup -maxdepth 6 -depth -type d -name "*$CT*" -printf 'cgroup %p\n' 2>/dev/null
  return 0
}

# Right after a failed command: the runtime itself must have cleaned up
# (teardown's delete -f would hide it otherwise).
assert_nothing_left ()
{
  local left
  wait_until 3 '[[ -z $(leak_report) ]]' && return 0
  left=$(leak_report)
  fail "left behind: $left"
}

rt_teardown ()
{
  local root id pid kind what rest leaks=()
  [[ -n ${TEST_DIR:-} && -d $TEST_DIR ]] || return 0
  cd / || true

  # Leftovers are force-deleted through the runtime under test: that is part
  # of what is checked.
  for root in $(test_roots); do
    for id in $(leftover_ids "$root"); do
      [[ $root == "$ROOT" || $id == "$CT"* ]] || continue
      ROOT=$root __runc delete -f "$id" </dev/null >/dev/null 2>&1
    done
  done
  if [[ -f $TEST_DIR/.pids ]]; then
    while read -r pid; do kill -9 "$pid" 2>/dev/null; done <"$TEST_DIR/.pids"
  fi
  if [[ -f $TEST_DIR/.mounts ]]; then
    tac "$TEST_DIR/.mounts" | while read -r what; do umount -l "$what" 2>/dev/null; done
  fi

  # Processes killed by delete may take a moment to go.
  wait_until 3 '[[ -z $(leak_report) ]]' || mapfile -t leaks < <(leak_report)
  for rest in "${leaks[@]}"; do
    read -r kind what _ <<<"$rest"
    case $kind in
      state) rm -rf "$what" ;;
      process) kill -9 "$what" 2>/dev/null ;;
      mount) umount -l "$what" 2>/dev/null ;;
    esac
  done
  # cgroups can only go once their processes have.
  for rest in "${leaks[@]}"; do
    read -r kind what _ <<<"$rest"
    [[ $kind == cgroup ]] && retry 20 0.1 rmdir "$what" 2>/dev/null
  done

  rm -rf --one-file-system "$TEST_DIR"
  if ((${#leaks[@]})); then
    printf 'LEAK: %s\n' "${leaks[@]}" >&2
    return 1
  fi
}

setup () { rt_setup; }
teardown () { rt_teardown; }

# `fixed_in_runc VERSION WHAT`: skip when RUNC_BINARY is a reference runc
# older than VERSION, which gets WHAT wrong (the test states the right
# behaviour; an old runc would only show its known bug).
fixed_in_runc ()
{
  [[ $RT_FLAVOR == reference ]] || return 0
  local v
  v=$("$RUNC_BINARY" --version 2>/dev/null | sed -n 's/^runc version \([0-9][0-9.]*\).*/\1/p')
  [[ -n $v ]] && printf '%s\n%s\n' "$1" "$v" | sort -C -V && return 0
  skip "runc ${v:-?} gets this wrong (fixed in $1): $2"
}
