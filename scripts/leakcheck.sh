#!/bin/bash
# Memory check: build a copy of the tree with AddressSanitizer, UBSan and
# LeakSanitizer, run the unit tests with it, then drive the sanitized
# runtime through the lifecycle suites of the integration tests.  Any leak,
# overflow or undefined behaviour makes the sanitizer print a report and
# exit non-zero, which fails the test that ran it.
#
# The copy lives in its own directory (default build-asan/, beside the
# tree) because the tree itself may be configured without sanitizers.
#
# Environment: LEAK_SUITES (integration suites to run, default below),
# LEAK_DIR (where the copy goes).
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)

: "${LEAK_DIR:=$top/build-asan}"
: "${LEAK_SUITES:=lifecycle state kill delete list errors cli process fds}"

# Only the tracked files, and whatever of them the working tree changed.
rm -rf "$LEAK_DIR"
mkdir -p "$LEAK_DIR"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$LEAK_DIR" || exit 1

cd "$LEAK_DIR"
{ ./autogen.sh && ./configure -q --enable-asan && make -j"$(nproc)"; } >build.log 2>&1 || {
  tail -40 build.log
  echo "leakcheck: the sanitized build failed (log: $LEAK_DIR/build.log)" >&2
  exit 1
}

# halt_on_error: the first report is the one that matters.  The suite's
# own processes (bats, jq) are not sanitized, so these only act on ours.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
export LSAN_OPTIONS=exitcode=86

rc=0
make -j"$(nproc)" check TESTS='$(UNIT_TESTS)' >unit.log 2>&1 || rc=1
grep -E '^# (TOTAL|PASS|FAIL|ERROR)' unit.log | sed 's/^/leakcheck unit: /'
if ((rc != 0)); then
  grep -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' tests/unit/*.log 2>/dev/null | head -5
  grep -h -A25 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' tests/unit/*.log 2>/dev/null | head -80
fi

# Root on the machine's own cgroup layout is enough to reach every code
# path these suites take; the other modes run unsanitized in make check.
if [[ $EUID -eq 0 ]]; then
  RUNC_BINARY=$LEAK_DIR/runc RT_SUITES=$LEAK_SUITES TOP_SRCDIR=$LEAK_DIR TOP_BUILDDIR=$LEAK_DIR \
    bash tests/integration/root-hybrid.sh >integration.tap 2>integration.err
  grep -c '^ok' integration.tap | sed 's/^/leakcheck integration: ok /'
  if grep -q '^not ok\|^Bail out' integration.tap; then
    rc=1
    grep -A30 '^not ok' integration.tap | head -150
  fi
  if grep -q -E 'Sanitizer|runtime error:' integration.tap integration.err; then
    rc=1
    grep -h -B2 -A25 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' integration.tap integration.err | head -80
  fi
else
  echo "leakcheck: not root, the integration part is skipped"
fi

if ((rc == 0)); then
  echo "leakcheck: no sanitizer report"
fi
exit "$rc"
