# Sourced by the three mode scripts (root-hybrid.sh, root-v2.sh, rootless.sh).
# Each mode prints exactly one TAP stream on stdout, as automake's TAP
# driver expects; "1..0 # SKIP reason" when the mode cannot run here.
#
# Environment: RUNC_BINARY (runtime under test), TOP_SRCDIR, TOP_BUILDDIR
# (set by `make check`), BATS_FILTER (a bats --filter regex), RT_SUITES (a
# space-separated list of .bats names, e.g. "kill state", to run only those).

set -u

mode_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TOP_SRCDIR:=$(cd "$mode_here/../.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
: "${RUNC_BINARY:=$TOP_BUILDDIR/runc}"
: "${FIXTURE_CACHE:=$TOP_BUILDDIR/tests/fixtures/cache}"
# A test that hangs is killed, and counted as failed, after this long.
: "${BATS_TEST_TIMEOUT:=180}"
export TOP_SRCDIR TOP_BUILDDIR RUNC_BINARY FIXTURE_CACHE BATS_TEST_TIMEOUT

tap_skip ()
{
  echo "1..0 # SKIP $*"
  exit 0
}

tap_bail ()
{
  echo "Bail out! $*"
  exit 1
}

# The suite files to run, in a stable order.
suite_files ()
{
  local s
  if [[ -n ${RT_SUITES:-} ]]; then
    for s in $RT_SUITES; do
      echo "$TOP_SRCDIR/tests/integration/${s%.bats}.bats"
    done
  else
    ls "$TOP_SRCDIR"/tests/integration/*.bats
  fi
}

check_tools ()
{
  local t
  for t in bats tini jq timeout unshare busybox "$@"; do
    command -v "$t" >/dev/null || tap_bail "$t is not installed: run scripts/install-deps.sh"
  done
  [[ -x $RUNC_BINARY ]] || tap_bail "RUNC_BINARY=$RUNC_BINARY is not executable (build first)"
  [[ -x ${REF_RUNC:-/usr/sbin/runc} ]] || tap_bail "the reference runc (${REF_RUNC:-/usr/sbin/runc}) generates the test configs: install the runc package"
}

build_fixture ()
{
  "$TOP_SRCDIR/tests/fixtures/make-rootfs.sh" "$FIXTURE_CACHE" >&2 || tap_bail "cannot build the rootfs fixture"
}

# Run bats on the suite under a subreaper.  PID 1 of this machine does not
# reap orphans, and a detached container's init is one as soon as the
# runtime exits: `tini -s` takes them and reaps them.  Extra arguments go
# before the bats command (e.g. setpriv ... for the rootless mode).
run_suite ()
{
  local -a files filter=()
  mapfile -t files < <(suite_files)
  [[ -n ${BATS_FILTER:-} ]] && filter=(--filter "$BATS_FILTER")
  exec tini -s -- "$@" bats --tap "${filter[@]}" "${files[@]}"
}
