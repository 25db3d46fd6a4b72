#!/bin/sh
# TAP entry for `make check`: real clients (podman, containerd) driving the
# built runtime, and the runtime called the way they call it.  The suites
# skip, saying why, where a client is not installed.
dir=$(cd "$(dirname "$0")" && pwd)

if ! command -v bats >/dev/null 2>&1; then
  echo "1..0 # SKIP bats is not installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP the client suites start podman and containerd as root (and as an unprivileged user from root)"
  exit 0
fi

# Detached containers outlive the clients that started them; PID 1 here may
# not reap orphans, so a subreaper adopts them for the length of the run.
if command -v tini >/dev/null 2>&1; then
  exec tini -s -g -- bats --tap "$dir"
fi
exec bats --tap "$dir"
