#!/bin/bash
# Install the dependencies, build, and run `make check`: the unit tests and
# the three integration modes (root on the hybrid cgroup layout, root on a
# private pure cgroup v2 view, rootless).  Exits non-zero on any failure.
#
# RUNC_BINARY=/usr/sbin/runc scripts/test.sh runs the integration suite
# against another runtime (the unit tests still test this tree).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 1
bash scripts/build.sh || exit 1

sudo=()
if [[ $EUID -ne 0 ]] && sudo -n true 2>/dev/null; then
  # The root modes need root; keep the environment the modes read.
  sudo=(sudo -n --preserve-env=RUNC_BINARY,BATS_FILTER,RT_SUITES,BATS_TEST_TIMEOUT)
fi

rc=0
"${sudo[@]}" make -j"$(nproc)" check || rc=$?
# Memory errors and leaks: a sanitized copy of the tree (scripts/leakcheck.sh).
leak_rc=0
"${sudo[@]}" bash scripts/leakcheck.sh || leak_rc=$?

# One summary line, and the logs of what failed.
pass=0 fail=0 skip=0
while read -r res; do
  case $res in
    PASS | XFAIL) pass=$((pass + 1)) ;;
    FAIL | XPASS | ERROR) fail=$((fail + 1)) ;;
    SKIP) skip=$((skip + 1)) ;;
  esac
done < <(find tests -name '*.trs' -exec cat {} + 2>/dev/null | sed -n 's/^:test-result: \([A-Z]*\).*/\1/p')
if ((rc != 0)); then
  for log in $(find tests -name '*.log'); do
    [[ -f $log ]] || continue
    grep -q '^\(not ok\|FAIL\|ERROR\|Bail out\)' "$log" || continue
    echo "==== failures in $log"
    grep -E '^(not ok|Bail out)' "$log" | head -100
  done
fi
if ((leak_rc != 0)); then
  echo "==== the sanitized build reported errors (scripts/leakcheck.sh, logs in build-asan/)"
  fail=$((fail + 1))
  ((rc != 0)) || rc=$leak_rc
fi
echo "$pass passed, $fail failed, $skip skipped"
exit "$rc"
