# Shared by the cgroup integration scripts: TAP output, the driver, and
# cleanup.  Each script states what it needs and skips as a whole (with
# the reason) when the machine does not offer it.
# shellcheck shell=bash

TOP_BUILDDIR=${TOP_BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
D=${CGROUP_DRIVER:-$TOP_BUILDDIR/tests/cgroup/driver}
T_N=0
T_FAILED=0

ok () { # ok COND-STATUS DESCRIPTION
  T_N=$((T_N + 1))
  if [ "$1" = 0 ]; then echo "ok $T_N - $2"; else echo "not ok $T_N - $2"; T_FAILED=$((T_FAILED + 1)); fi
}

is () { # is GOT WANT DESCRIPTION
  if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "#   got: '$1'"; echo "#   expected: '$2'"; fi
}

like () { # like GOT SUBSTRING DESCRIPTION
  case "$1" in *"$2"*) ok 0 "$3" ;; *) ok 1 "$3"; echo "#   got: '$1'"; echo "#   expected to contain: '$2'" ;; esac
}

skip_all () { echo "1..0 # SKIP $*"; exit 0; }

done_testing () { echo "1..$T_N"; [ "$T_FAILED" = 0 ]; }

require_root () { [ "$(id -u)" = 0 ] || skip_all "requires root"; }

require_driver () { [ -x "$D" ] || skip_all "the test driver $D is not built"; }

# A process that stays until killed, placed by the caller.
spawn_sleeper () { sleep 1000 & echo $!; }

# The value of a cgroup file, without the trailing newline.
cgval () { tr '\n' ' ' < "$1" | sed 's/ $//'; }

# Re-run the calling script inside a private mount namespace where
# /sys/fs/cgroup is a pure cgroup2 mount (the host's hierarchies stay as
# they are: nothing is unmounted outside the namespace).
in_pure_v2 () {
  if [ "${CGROUP_VIEW:-}" != v2 ]; then
    [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] \
      || [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || skip_all "no cgroup2 on this host"
    command -v unshare > /dev/null || skip_all "requires unshare(1)"
    exec unshare -m env CGROUP_VIEW=v2 bash -c \
      'mount --make-rprivate / && umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && exec bash "$0"' "$0"
  fi
}

# The number a counting loop last wrote (it may be caught mid-write).
count () {
  local v=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do v=$(cat "$1" 2>/dev/null); [ -n "$v" ] && break; sleep 0.02; done
  echo "${v:-0}"
}
