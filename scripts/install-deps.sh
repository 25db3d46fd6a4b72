#!/bin/bash
# Install, with apt-get, every Debian package needed to build and test this
# project: only the missing ones, non-interactively, with sudo when not root.
set -euo pipefail

PACKAGES=(
  # build
  autoconf automake libtool pkg-config gcc make git
  libseccomp-dev libcap-dev libyajl-dev libsystemd-dev libslirp-dev libglib2.0-dev
  # integration tests: harness, fixture, reference runtimes, tools
  bats busybox-static tini uidmap runc crun jq perl procps util-linux iproute2 passwd coreutils findutils
  python3 curl
  # rootless helpers: overlay fallback, networks to compare with, checkpointing
  fuse-overlayfs fuse3 slirp4netns passt criu
  # real clients driving the runtime (tests/clients)
  podman conmon catatonit netavark aardvark-dns containerd
  # network benchmark; sanitizer runtime for the leak-checked build
  iperf3 clang libclang-rt-14-dev
  # a Debian rootfs with systemd for the systemd driver's tests
  debootstrap
  # benchmark and memory checks
  hyperfine time valgrind
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages are installed"
  exit 0
fi

sudo=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
