#!/bin/sh
# Overlay mounts (native overlayfs and the fuse-overlayfs fallback) and
# `runc doctor`, driven through the built binary with bats: once as root,
# once as an unprivileged user (default `rootless`, which must have
# /etc/subuid and /etc/subgid ranges).  One TAP stream for automake: the
# two bats runs are renumbered, each test name prefixed with its mode.
#
# Environment: RUNC_BINARY, TOP_SRCDIR (set by `make check`),
# OVL_ROOTLESS_USER, OVL_SUITES (space-separated .bats names to run).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=$(cd "$(dirname "$0")" && pwd)
: "${TOP_SRCDIR:=$(cd "$here/../.." && pwd)}"
: "${RUNC_BINARY:=$TOP_SRCDIR/runc}"
: "${OVL_ROOTLESS_USER:=rootless}"
: "${OVL_SUITES:=overlay doctor}"
export RUNC_BINARY TOP_SRCDIR

skip_all ()
{
  echo "1..0 # SKIP $*"
  exit 0
}

[ -x "$RUNC_BINARY" ] || skip_all "$RUNC_BINARY not built"
for t in bats tini busybox jq setpriv unshare; do
  command -v "$t" >/dev/null || skip_all "$t is not installed"
done

# Every file a test makes lives under one directory the unprivileged user
# can reach, removed at the end.
OVL_TMP=$(mktemp -d /tmp/overlay-tests.XXXXXX) || exit 1
chmod 0755 "$OVL_TMP"
export OVL_TMP
trap 'rm -rf "$OVL_TMP"' EXIT

# The rootfs every test copies: Debian's static busybox and one relative
# symlink per applet (`busybox --install -s` would link to the host path).
r=$OVL_TMP/rootfs
mkdir -p "$r"/bin "$r"/proc "$r"/sys "$r"/dev "$r"/tmp "$r"/etc "$r"/mnt
cp "$(command -v busybox)" "$r/bin/busybox"
for applet in $(busybox --list); do
  case $applet in busybox | */*) continue ;; esac
  ln -s busybox "$r/bin/$applet"
done
echo 'root:x:0:0:root:/:/bin/sh' >"$r/etc/passwd"
chmod -R a+rX "$r"
export OVL_ROOTFS=$r

suites=()
for s in $OVL_SUITES; do
  suites+=("$here/${s%.bats}.bats")
done

n=0
# Renumber one bats TAP stream into ours, prefixing the names.
merge ()
{
  local prefix=$1 line rest
  while IFS= read -r line; do
    case $line in
      "ok "* | "not ok "*)
        n=$((n + 1))
        # "ok 3 name": the number goes, ours comes.
        if [[ $line == "not ok "* ]]; then
          rest=${line#not ok }
          echo "not ok $n - [$prefix] ${rest#* }"
        else
          rest=${line#ok }
          echo "ok $n - [$prefix] ${rest#* }"
        fi
        ;;
      1..*) ;;
      *) echo "$line" ;;
    esac
  done
}

# tini -s: PID 1 here does not reap orphans, and a detached container's
# init (and its fuse-overlayfs) are orphans once the runtime exits.
merge root < <(tini -s -- bats --tap "${suites[@]}" 2>&1)

if [[ $EUID -eq 0 ]] && id -u "$OVL_ROOTLESS_USER" >/dev/null 2>&1; then
  uid=$(id -u "$OVL_ROOTLESS_USER")
  gid=$(id -g "$OVL_ROOTLESS_USER")
  install -d -m 0700 -o "$uid" -g "$gid" "/run/user/$uid"
  # A helper that runs as the user must open /dev/fuse.
  [ -c /dev/fuse ] && chmod 0666 /dev/fuse
  chown "$uid:$gid" "$OVL_TMP"
  merge rootless < <(tini -s -- setpriv --reuid="$uid" --regid="$gid" --init-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/ USER="$OVL_ROOTLESS_USER" \
    XDG_RUNTIME_DIR="/run/user/$uid" RUNC_BINARY="$RUNC_BINARY" TOP_SRCDIR="$TOP_SRCDIR" \
    OVL_TMP="$OVL_TMP" OVL_ROOTFS="$OVL_ROOTFS" bats --tap "${suites[@]}" 2>&1)
else
  n=$((n + 1))
  echo "ok $n - [rootless] the suite # SKIP needs root to switch to user $OVL_ROOTLESS_USER"
fi
echo "1..$n"
