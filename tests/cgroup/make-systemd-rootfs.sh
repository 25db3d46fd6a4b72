#!/bin/bash
# Build the Debian rootfs that tests/cgroup/systemd.sh boots systemd from,
# when it is not there yet: debootstrap (minbase) with systemd, dbus and a
# user session, from the archive apt is configured with on this machine.
# usage: make-systemd-rootfs.sh DIR    (exit 0: DIR/lib/systemd/systemd exists)
set -uo pipefail
R=$1
[[ -x $R/lib/systemd/systemd ]] && exit 0
command -v debootstrap > /dev/null || { echo "debootstrap is not installed" >&2; exit 1; }

# The first archive of the apt sources (deb822 or one-line format).
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2> /dev/null | grep -v security | head -1)
[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }' \
  /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2> /dev/null)
[[ -n $mirror ]] || { echo "no Debian archive in the apt sources" >&2; exit 1; }
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")

mkdir -p "$(dirname "$R")"
tmp=$R.partial
rm -rf "$tmp"
if ! debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,dbus-user-session,libpam-systemd \
  "$suite" "$tmp" "$mirror" > "$R.log" 2>&1; then
  echo "debootstrap $suite from $mirror failed: $(tail -1 "$R.log")" >&2
  rm -rf "$tmp"
  exit 1
fi
mv "$tmp" "$R"
