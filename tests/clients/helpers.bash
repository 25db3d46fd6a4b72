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

# The command words that run what follows as the unprivileged user, with a
# clean login-like environment rooted in DIR (HOME, XDG_RUNTIME_DIR,
# XDG_CONFIG_HOME): sets ROOTLESS_CMD.
rootless_cmd ()
{
  local dir=$1
  ROOTLESS_CMD=(setpriv --reuid="$ROOTLESS_USER" --regid="$ROOTLESS_USER" --init-groups
                env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir/home" USER="$ROOTLESS_USER"
                LOGNAME="$ROOTLESS_USER" XDG_RUNTIME_DIR="$dir/xdg" XDG_CONFIG_HOME="$dir/home/.config"
                XDG_DATA_HOME="$dir/home/.local/share")
}

as_rootless ()
{
  local dir=$1
  shift
  rootless_cmd "$dir"
  "${ROOTLESS_CMD[@]}" "$@"
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

# The clients leave the parent cgroups they made (podman's libpod_parent,
# containerd's one per namespace): remember which of NAMES exist in any
# hierarchy, to remove afterwards, when empty, those the test made.
snapshot_cgroups ()
{
  local f=$1 name
  shift
  : > "$f"
  for name in "$@"; do
    echo "name $name" >> "$f"
    ls -d /sys/fs/cgroup/*/"$name" 2>/dev/null >> "$f" || true
  done
  return 0
}

remove_new_cgroups ()
{
  local f=$1 name d
  for name in $(awk '$1 == "name" { print $2 }' "$f"); do
    for d in /sys/fs/cgroup/*/"$name"; do
      [[ -d $d ]] || continue
      grep -qxF "$d" "$f" && continue
      find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
  done
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

# An OCI image layout archive (what `ctr image import` reads) of one
# uncompressed layer, the busybox rootfs tar, named NAME.
make_oci_archive ()
{
  local layer_tar=$1 out=$2 name=$3 d blob
  d=$(mktemp -d)
  mkdir -p "$d/blobs/sha256"
  # Write BLOB_FILE into the layout under its digest: sets DIGEST and SIZE.
  blob ()
  {
    DIGEST=$(sha256sum "$1" | cut -d' ' -f1)
    SIZE=$(stat -c %s "$1")
    cp "$1" "$d/blobs/sha256/$DIGEST"
  }
  blob "$layer_tar"
  local layer=$DIGEST layer_size=$SIZE
  printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"]},'`
        `'"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$layer" > "$d/config"
  blob "$d/config"
  local config=$DIGEST config_size=$SIZE
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",'`
        `'"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},'`
        `'"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$config" "$config_size" "$layer" "$layer_size" > "$d/manifest"
  blob "$d/manifest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",'`
        `'"digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s",'`
        `'"org.opencontainers.image.ref.name":"latest"}}]}' "$DIGEST" "$SIZE" "$name" > "$d/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$d/oci-layout"
  rm -f "$d/config" "$d/manifest"
  tar -C "$d" -cf "$out" oci-layout index.json blobs
  rm -rf "$d"
}
