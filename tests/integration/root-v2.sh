#!/bin/bash
# Integration suite as root on a pure cgroup v2 view.  On a hybrid host the
# view is made ONLY inside a private mount namespace (`unshare -m`): the
# host's cgroup mounts are never touched.  One TAP stream.
# make check runs this with sh: the harness needs bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/mode-common.sh"

[[ $EUID -eq 0 ]] || tap_skip "root-v2 mode needs root"

if [[ ${1:-} == --in-private-ns ]]; then
  # Refuse to touch /sys/fs/cgroup unless this really is a new mount namespace.
  [[ $(readlink /proc/self/ns/mnt) != "${RT_HOST_MNTNS:?}" ]] || tap_bail "not in a private mount namespace"
  mount --make-rprivate / || tap_bail "mount --make-rprivate / failed"
  umount -R /sys/fs/cgroup || tap_bail "cannot unmount the cgroup tree in the private namespace"
  mount -t cgroup2 none /sys/fs/cgroup || tap_bail "cannot mount cgroup2 in the private namespace"
elif [[ $(stat -fc %T /sys/fs/cgroup) != cgroup2fs ]]; then
  check_tools unshare
  build_fixture
  RT_HOST_MNTNS=$(readlink /proc/self/ns/mnt)
  export RT_HOST_MNTNS
  exec unshare -m --propagation private -- "$BASH" "$0" --in-private-ns
fi
check_tools
build_fixture
export RT_MODE=root-v2 CGROUP_LAYOUT=v2
run_suite
