#!/bin/sh
# The procx integration tests (bats, driving the real binary), as one TAP
# entry of `make check`.  They need root: the rootless cases switch to the
# user `rootless` (uid 1001, with /etc/subuid ranges) from there.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${TOP_BUILDDIR:-$here/../..}

if ! command -v bats >/dev/null 2>&1; then
	echo "1..0 # SKIP bats is not installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 0
fi
for p in "$build/tests/procx/px_helper" "$build/tests/procx/seccomp_agent"; do
	if [ ! -x "$p" ]; then
		echo "1..0 # SKIP $p is not built (make check builds it)"
		exit 0
	fi
done

# bats keeps its own files under $TMPDIR: a directory of ours, so that
# nothing cleaning /tmp/bats-* for another suite pulls it away.
TMPDIR=$(mktemp -d /tmp/procx-run.XXXXXX)
trap 'rm -rf "$TMPDIR"' EXIT
export TMPDIR

PROCX_SRC=$here
PROCX_BUILD=$build
RUNC=${RUNC_BINARY:-$build/runc}
export PROCX_SRC PROCX_BUILD RUNC

# Detached containers outlive the runtime; PID 1 of this machine does not
# reap, so a subreaper above the tests collects their exit.
if command -v tini >/dev/null 2>&1; then
	tini -s -- bats --tap "$here"
else
	bats --tap "$here"
fi
