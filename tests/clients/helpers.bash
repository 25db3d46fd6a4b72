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
# Caches and locks go whole; the state and netns directories others may
# share lose only their empty directories, never a file.
GLOBAL_TREES=(/var/lib/containers /run/containers /etc/containers/networks /opt/containerd /run/libpod)
GLOBAL_SHARED=(/run/runc /run/containerd /run/netns)

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
  static_busybox || return 1
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

static_busybox ()
{
  [[ -x $BUSYBOX ]] && file -L "$BUSYBOX" | grep -q 'statically linked'
}

# bats 1.8 cannot skip from setup_file: setup_file records why the whole
# file cannot run (file_skip REASON; return 0) and setup skips each test.
file_skip ()
{
  export CLIENTS_SKIP=$1
}

skip_if_file_skipped ()
{
  [[ -z ${CLIENTS_SKIP:-} ]] || skip "$CLIENTS_SKIP"
}

# What every client suite needs; on a miss, file_skip says what and fails.
have_basics ()
{
  command -v jq > /dev/null || { file_skip "needs jq (package jq)"; return 1; }
  static_busybox || { file_skip "needs a static busybox at $BUSYBOX (package busybox-static)"; return 1; }
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
  for p in "${GLOBAL_TREES[@]}" "${GLOBAL_SHARED[@]}"; do
    [[ -e $p ]] && echo "$p" >> "$f"
  done
  return 0
}

# Without the snapshot (setup skipped or failed early) nothing is touched.
remove_new_global_paths ()
{
  local f=$1 p
  [[ -f $f ]] || return 0
  for p in "${GLOBAL_TREES[@]}"; do
    [[ -e $p ]] && ! grep -qxF "$p" "$f" && rm -rf "$p"
  done
  for p in "${GLOBAL_SHARED[@]}"; do
    [[ -d $p ]] && ! grep -qxF "$p" "$f" && find "$p" -depth -type d -empty -delete 2>/dev/null
  done
  return 0
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
  [[ -f $f ]] || return 0
  for name in $(awk '$1 == "name" { print $2 }' "$f"); do
    for d in /sys/fs/cgroup/*/"$name"; do
      [[ -d $d ]] || continue
      grep -qxF "$d" "$f" && continue
      find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
  done
  return 0
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

# Until the cgroup controllers land the runtime refuses every limit but
# devices (podman's default pids limit, containerd's cpu shares): probe it
# with a bundle in DIR.
runtime_lacks_resources ()
{
  local b=$1/probe r
  mkdir -p "$b/rootfs"
  "$RUNC" spec --bundle "$b"
  jq '.linux.resources.pids = {limit: 100} | .process.args = ["/nonexistent"] | .process.terminal = false' \
    "$b/config.json" > "$b/c" && mv "$b/c" "$b/config.json"
  "$RUNC" --root "$b/state" create --bundle "$b" probe > "$b/out" 2>&1 < /dev/null
  "$RUNC" --root "$b/state" delete --force probe > /dev/null 2>&1
  grep -q 'not implemented' "$b/out"
  r=$?
  rm -rf "$b"
  return $r
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
