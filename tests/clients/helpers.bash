# Shared by the client suites (podman, containerd, and the runtime calls
# they make): a busybox image built from the host's busybox-static, the
# unprivileged user, and the checks that a test left nothing behind.

bats_require_minimum_version 1.5.0

: "${TOP_SRCDIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
: "${RUNC_BINARY:=$TOP_BUILDDIR/runc}"
RUNC=$(readlink -f "$RUNC_BINARY")
ROOTLESS_USER=rootless
BUSYBOX=/bin/busybox

# Paths outside the test's own directory that the clients create on first
# use and never remove; a test removes the ones that were not there before.
GLOBAL_PATHS=(/var/lib/containers /run/containers /etc/containers/networks /run/netns
              /run/runc /run/containerd /opt/containerd /run/libpod)

# A file-level temporary directory every user can traverse (the rootless
# user needs to reach its part of it; bats' own is private to root).
clients_tmpdir ()
{
  mktemp -d /tmp/clients-test.XXXXXX
}

# A static busybox is all the image needs: one binary, one symlink per
# applet (not `busybox --install`, which would write into the host).
make_busybox_rootfs ()
{
  local dir=$1 a
  file -L "$BUSYBOX" | grep -q 'statically linked' || return 1
  mkdir -p "$dir"/{bin,etc,tmp,proc,sys,dev,root,var/tmp}
  chmod 1777 "$dir/tmp" "$dir/var/tmp"
  cp "$BUSYBOX" "$dir/bin/busybox"
  for a in $("$BUSYBOX" --list); do
    [[ $a == busybox ]] || ln -s busybox "$dir/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$dir/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$dir/etc/group"
}

make_busybox_tar ()
{
  local out=$1 tmp
  tmp=$(mktemp -d)
  make_busybox_rootfs "$tmp/rootfs" || { rm -rf "$tmp"; return 1; }
  tar --numeric-owner -C "$tmp/rootfs" -cf "$out" .
  rm -rf "$tmp"
}

requires_busybox ()
{
  [[ -x $BUSYBOX ]] && file -L "$BUSYBOX" | grep -q 'statically linked' \
    || skip "needs a static busybox at $BUSYBOX (package busybox-static)"
}

requires_rootless_user ()
{
  id -u "$ROOTLESS_USER" >/dev/null 2>&1 || skip "needs the unprivileged user $ROOTLESS_USER"
  grep -q "^$ROOTLESS_USER:" /etc/subuid && grep -q "^$ROOTLESS_USER:" /etc/subgid \
    || skip "needs /etc/subuid and /etc/subgid ranges for $ROOTLESS_USER"
  command -v newuidmap >/dev/null || skip "needs newuidmap/newgidmap (package uidmap)"
}

# Run a command as the unprivileged user with a clean login-like
# environment rooted in DIR (HOME, XDG_RUNTIME_DIR, XDG_CONFIG_HOME).
as_rootless ()
{
  local dir=$1
  shift
  setpriv --reuid="$ROOTLESS_USER" --regid="$ROOTLESS_USER" --init-groups \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir/home" USER="$ROOTLESS_USER" \
    LOGNAME="$ROOTLESS_USER" XDG_RUNTIME_DIR="$dir/xdg" XDG_CONFIG_HOME="$dir/home/.config" \
    XDG_DATA_HOME="$dir/home/.local/share" ${EXTRA_ENV:+$EXTRA_ENV} "$@"
}

make_rootless_home ()
{
  local dir=$1
  mkdir -p "$dir/home/.config/containers" "$dir/xdg"
  chmod 700 "$dir/xdg"
  chmod 755 "$dir"
  chown -R "$ROOTLESS_USER:$ROOTLESS_USER" "$dir/home" "$dir/xdg"
}

# Remember which global paths exist, to remove those the test creates.
snapshot_global_paths ()
{
  local f=$1 p
  : > "$f"
  for p in "${GLOBAL_PATHS[@]}"; do
    [[ -e $p ]] && echo "$p" >> "$f"
  done
  return 0
}

remove_new_global_paths ()
{
  local f=$1 p
  for p in "${GLOBAL_PATHS[@]}"; do
    [[ -e $p ]] || continue
    grep -qxF "$p" "$f" && continue
    # A netns or state directory in use by someone else is not ours to
    # take away: only remove what is empty of mounts.
    if grep -q " $p" /proc/self/mountinfo; then
      echo "# left $p: something is mounted under it" >&3
      continue
    fi
    rm -rf "$p"
  done
}

mounts_under ()
{
  awk -v d="$1" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo
}

# Unmount whatever is still mounted under DIR (deepest first), then remove it.
remove_tree ()
{
  local dir=$1 m
  [[ -n $dir && -d $dir ]] || return 0
  for m in $(mounts_under "$dir" | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$dir"
}

# Host-side leak checks: each fails showing what it found.
none_found ()
{
  [[ -z $2 ]] && return 0
  echo "$1:" >&2
  echo "$2" >&2
  return 1
}

assert_no_process ()
{
  none_found "processes left matching $1" "$(pgrep -af -- "$1" | grep -v -e pgrep -e bats)"
}

assert_no_cgroup ()
{
  none_found "cgroups left for $1" "$(find /sys/fs/cgroup -mindepth 1 -maxdepth 5 -type d -name "*$1*" 2>/dev/null)"
}

assert_no_mount_under ()
{
  none_found "mounts left under $1" "$(mounts_under "$1")"
}

# Poll CMD until it succeeds, for at most SECONDS.
wait_until ()
{
  local secs=$1 i
  shift
  for ((i = 0; i < secs * 10; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  "$@"
}
