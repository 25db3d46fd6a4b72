#!/bin/bash
# Integration suite as root on the host's hybrid cgroup layout (v1
# controllers + cgroup2 at /sys/fs/cgroup/unified).  One TAP stream.
# make check runs this with sh: the harness needs bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/mode-common.sh"

[[ $EUID -eq 0 ]] || tap_skip "root-hybrid mode needs root"
[[ $(stat -fc %T /sys/fs/cgroup) == tmpfs && $(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null) == cgroup2fs ]] \
  || tap_skip "this host is not a v1/v2 hybrid cgroup layout"
check_tools
build_fixture
export RT_MODE=root-hybrid CGROUP_LAYOUT=hybrid
run_suite
