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
