#!/bin/bash
# Startup benchmark: N sequential `run` of /bin/true with this runtime, runc
# and crun, interleaved (ours, runc, crun, ours, ...) in one invocation, on
# one bundle, inside a private mount namespace with a pure cgroup v2 view
# (crun 1.8 refuses this host's hybrid layout; the host's cgroup mounts are
# never touched).  Prints median, p90, min, the ratios to crun and to runc,
# and the peak RSS of one `run` of each (GNU time -v); writes the results as
# JSON to bench/results/.
#
# usage: bench/run.sh [-n N] [--rootless] [--only ours,runc,crun]
#   RUNC_BINARY   our runtime (default: the build tree's ./runc)
#   RUNC_REF      runc to compare with (/usr/sbin/runc); CRUN (/usr/bin/crun)
#   --rootless    also measure, as an unprivileged user (RT_ROOTLESS_USER,
#                 default `rootless`), each runtime with a rootless bundle
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${RUNC_BINARY:=$top/runc}"
: "${RUNC_REF:=/usr/sbin/runc}"
: "${CRUN:=/usr/bin/crun}"
: "${RT_ROOTLESS_USER:=rootless}"
: "${FIXTURE_CACHE:=$top/tests/fixtures/cache}"

n=100
rootless=0
only=ours,runc,crun
inner=''
while (($#)); do
  case $1 in
    -n) n=$2; shift 2 ;;
    --rootless) rootless=1; shift ;;
    --only) only=$2; shift 2 ;;
    --in-private-ns) inner=ns; shift ;;
    --measure) inner=measure; shift ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

# `measure OUTDIR BUNDLE-MODE NAME=BINARY...`: the interleaved loop; one file
# of milliseconds per runtime, and one of peak RSS (kB).  Runs as whoever
# calls it (root, or the rootless user).
measure ()
{
  local out=$1 mode=$2
  shift 2
  local -a names=() bins=()
  local spec
  for spec in "$@"; do
    names+=("${spec%%=*}")
    bins+=("${spec#*=}")
  done
  local work
  work=$(mktemp -d /tmp/runc-bench.XXXXXX)
  chmod 0755 "$work"
  mkdir -p "$work/bundle"
  cp -R --preserve=mode,timestamps,links "$FIXTURE_CACHE/rootfs" "$work/bundle/rootfs"
  local -a specopt=()
  [[ $mode == rootless ]] && specopt=(--rootless)
  # One bundle for all: the reference runc's spec, /bin/true, and no device
  # rules (crun 1.8 cannot apply them on cgroup v2 without BPF support here).
  (cd "$work/bundle" && "$RUNC_REF" spec "${specopt[@]}")
  jq '.process.terminal = false | .process.args = ["/bin/true"] | del(.linux.resources.devices)' \
    "$work/bundle/config.json" >"$work/c.json"
  mv "$work/c.json" "$work/bundle/config.json"

  local i k t0 t1 name bin
  # Warm-up, and drop a runtime that cannot run the bundle at all.
  local -a keep_names=() keep_bins=()
  for k in "${!names[@]}"; do
    if "${bins[$k]}" --root "$work/state-${names[$k]}" run -b "$work/bundle" "warm-${names[$k]}" \
      </dev/null >"$work/warm.log" 2>&1; then
      keep_names+=("${names[$k]}")
      keep_bins+=("${bins[$k]}")
    else
      echo "bench: ${names[$k]} (${bins[$k]}) cannot run the bundle, left out: $(head -c 300 "$work/warm.log")" >&2
      echo "${names[$k]}" >>"$out/failed"
    fi
  done
  for ((i = 0; i < n; i++)); do
    for k in "${!keep_names[@]}"; do
      name=${keep_names[$k]}
      bin=${keep_bins[$k]}
      t0=$EPOCHREALTIME
      "$bin" --root "$work/state-$name" run -b "$work/bundle" "b$i-$name" </dev/null >/dev/null 2>"$work/err" \
        || { echo "bench: $name run #$i failed: $(head -c 300 "$work/err")" >&2; continue; }
      t1=$EPOCHREALTIME
      echo "$(((${t1/./} - ${t0/./}) / 1000)).$(printf '%03d' $(((${t1/./} - ${t0/./}) % 1000)))" >>"$out/$name.ms"
    done
  done
  for k in "${!keep_names[@]}"; do
    name=${keep_names[$k]}
    /usr/bin/time -v "${keep_bins[$k]}" --root "$work/state-$name" run -b "$work/bundle" "rss-$name" \
      </dev/null 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }' >"$out/$name.rss"
  done
  rm -rf --one-file-system "$work"
}

if [[ $inner == measure ]]; then
  measure "$BENCH_OUT" "$BENCH_MODE" $BENCH_RUNTIMES
  exit
fi

[[ $EUID -eq 0 ]] || { echo "bench: needs root (for the private cgroup v2 view)" >&2; exit 1; }

if [[ -z $inner && $(stat -fc %T /sys/fs/cgroup) != cgroup2fs ]]; then
  for t in unshare jq tini; do
    command -v "$t" >/dev/null || { echo "bench: $t missing: run scripts/install-deps.sh" >&2; exit 1; }
  done
  "$top/tests/fixtures/make-rootfs.sh" "$FIXTURE_CACHE"
  RT_HOST_MNTNS=$(readlink /proc/self/ns/mnt)
  export RT_HOST_MNTNS
  exec unshare -m --propagation private -- "$BASH" "$0" --in-private-ns -n "$n" --only "$only" \
    $( ((rootless)) && echo --rootless)
fi
if [[ $inner == ns ]]; then
  # Only ever in the new namespace: never on the host.
  [[ $(readlink /proc/self/ns/mnt) != "${RT_HOST_MNTNS:?}" ]] || { echo "bench: not in a private mount namespace" >&2; exit 1; }
  mount --make-rprivate /
  umount -R /sys/fs/cgroup
  mount -t cgroup2 none /sys/fs/cgroup
fi
"$top/tests/fixtures/make-rootfs.sh" "$FIXTURE_CACHE"

runtimes=()
IFS=, read -ra wanted <<<"$only"
for w in "${wanted[@]}"; do
  case $w in
    ours) runtimes+=("ours=$RUNC_BINARY") ;;
    runc) runtimes+=("runc=$RUNC_REF") ;;
    crun) runtimes+=("crun=$CRUN") ;;
    *) echo "bench: unknown runtime $w" >&2; exit 2 ;;
  esac
done

results=$(mktemp -d /tmp/runc-bench-results.XXXXXX)
trap 'rm -rf "$results"' EXIT
mkdir -p "$results/root"
echo "bench: $n interleaved runs of /bin/true per runtime, cgroup v2 view, as root..." >&2
measure "$results/root" root "${runtimes[@]}"

if ((rootless)); then
  if id -u "$RT_ROOTLESS_USER" >/dev/null 2>&1; then
    uid=$(id -u "$RT_ROOTLESS_USER")
    mkdir -p "$results/rootless"
    chmod 0777 "$results/rootless"
    chmod 0755 "$results"
    echo "bench: ... and rootless, as $RT_ROOTLESS_USER" >&2
    # The user must reach the script and the fixture (the test mode does the same).
    p=$top
    while [[ $p != / ]]; do chmod o+x "$p"; p=$(dirname "$p"); done
    chmod -R o+rX "$FIXTURE_CACHE" "$top/bench"
    install -d -m 0700 -o "$uid" -g "$(id -g "$RT_ROOTLESS_USER")" "/run/user/$uid"
    setpriv --reuid="$uid" --regid="$(id -g "$RT_ROOTLESS_USER")" --init-groups \
      env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ USER="$RT_ROOTLESS_USER" XDG_RUNTIME_DIR="/run/user/$uid" \
      BENCH_OUT="$results/rootless" BENCH_MODE=rootless BENCH_RUNTIMES="${runtimes[*]}" \
      FIXTURE_CACHE="$FIXTURE_CACHE" RUNC_REF="$RUNC_REF" \
      "$BASH" "$0" --measure -n "$n"
  else
    echo "bench: no user $RT_ROOTLESS_USER: rootless variant skipped (tests/integration/rootless.sh makes it)" >&2
  fi
fi

# ---- report ---------------------------------------------------------------

# `stats FILE`: "median p90 min count" of the numbers in FILE.
stats ()
{
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - - 0"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    p = int(0.9 * NR + 0.999999); if (p < 1) p = 1
    printf "%.2f %.2f %.2f %d\n", m, v[p], v[1], NR }'
}

ratio () { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }'; }

mkdir -p "$top/bench/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
json="$top/bench/results/startup-$stamp.json"
{
  echo '{'
  printf '  "date": "%s", "runs": %d, "kernel": "%s", "cgroup": "v2 (private view)",\n' "$stamp" "$n" "$(uname -r)"
  printf '  "binaries": {"ours": "%s", "runc": "%s", "crun": "%s"},\n' "$RUNC_BINARY" "$RUNC_REF" "$CRUN"
  echo '  "results": ['
} >"$json"
first=1
for mode in root rootless; do
  [[ -d $results/$mode ]] || continue
  declare -A med=()
  for r in "${runtimes[@]}"; do
    name=${r%%=*}
    [[ -s $results/$mode/$name.ms ]] && read -r med[$name] _ < <(stats "$results/$mode/$name.ms")
  done
  echo
  echo "$mode: $n runs of /bin/true each (milliseconds)"
  printf '%-6s %9s %9s %9s %6s %9s %9s %10s\n' runtime median p90 min runs vs-crun vs-runc peak-RSS
  for r in "${runtimes[@]}"; do
    name=${r%%=*}
    if [[ ! -s $results/$mode/$name.ms ]]; then
      printf '%-6s %9s\n' "$name" "failed"
      continue
    fi
    read -r m p mn cnt < <(stats "$results/$mode/$name.ms")
    rss=$(cat "$results/$mode/$name.rss" 2>/dev/null || true)
    printf '%-6s %9s %9s %9s %6s %9s %9s %7s kB\n' "$name" "$m" "$p" "$mn" "$cnt" \
      "$(ratio "$m" "${med[crun]:--}")" "$(ratio "$m" "${med[runc]:--}")" "${rss:--}"
    ((first)) || echo ',' >>"$json"
    first=0
    printf '    {"mode": "%s", "runtime": "%s", "median_ms": %s, "p90_ms": %s, "min_ms": %s, "runs": %s, "peak_rss_kb": %s, "samples_ms": [%s]}' \
      "$mode" "$name" "$m" "$p" "$mn" "$cnt" "${rss:-null}" "$(paste -sd, "$results/$mode/$name.ms")" >>"$json"
  done
  unset med
done
printf '\n  ]\n}\n' >>"$json"
jq empty "$json" || echo "bench: warning: $json is not valid JSON" >&2
echo
echo "results: $json"
