#!/usr/bin/env bats
# Mounts beyond rootfs.bats: idmapped bind mounts (idmap, ridmap, a mount's
# own uidMappings/gidMappings), the recursive mount attributes (rro,
# rnosuid, ..., the r*atime family), tmpcopyup, relative destinations, and
# the propagation of bind mounts.

load helpers

MI='cat /proc/self/mountinfo'

# `assert_opts MOUNTPOINT [+OPT|-OPT]...`: the per-mount options of the
# (top) mount at MOUNTPOINT in the mountinfo in $output hold each +OPT and
# none of the -OPT.
assert_opts ()
{
  local mp=$1 opts o
  shift
  opts=,$(mnt_opts "$mp"),
  [[ $opts != ,, ]] || { fail "no mount at $mp in: $output"; return 1; }
  for o; do
    [[ ($o == +* && $opts == *,${o#+},*) || ($o == -* && $opts != *,${o#-},*) ]] \
      || fail "$mp is mounted with '${opts:1:-1}', expected $o"
  done
}

# ---- idmapped mounts --------------------------------------------------------

# Idmapped mounts need Linux 5.12 and a filesystem that supports them.
requires_idmap ()
{
  local dir=$1 fs
  fs=$(stat -fc %T "$dir")
  case $fs in
    ext2/ext3 | xfs | btrfs | f2fs | fat | vfat | erofs | overlayfs) ;;
    tmpfs) kernel_at_least 6 3 || skip "tmpfs supports idmapped mounts from Linux 6.3 (this is $(uname -r))" ;;
    *) skip "$dir is on $fs, which this test does not know to support idmapped mounts" ;;
  esac
  kernel_at_least 5 12 || skip "idmapped mounts need Linux 5.12 (this is $(uname -r))"
}

kernel_at_least ()
{
  local maj min
  IFS=. read -r maj min _ <<<"$(uname -r)"
  ((maj > $1 || (maj == $1 && ${min%%[!0-9]*} >= $2)))
}

# A host directory with files owned by 0, 1000 and 70000 (past a 65536
# map), bound at DEST with OPTIONS.
idmap_source ()
{
  local dest=$1
  shift
  mkdir -p "$TEST_DIR/idsrc"
  chmod 0755 "$TEST_DIR/idsrc"
  touch "$TEST_DIR/idsrc/u0" "$TEST_DIR/idsrc/u1000" "$TEST_DIR/idsrc/u70000"
  echo single >"$TEST_DIR/idfile"
  chown 1000:1000 "$TEST_DIR/idsrc/u1000"
  chown 70000:70000 "$TEST_DIR/idsrc/u70000"
  requires_idmap "$TEST_DIR/idsrc"
  # Made here: container root (host 100000) may not write the rootfs.
  mkdir -p "$ROOTFS$dest"
  add_bind "$TEST_DIR/idsrc" "$dest" "$@"
}

# The container's own user namespace: ids 0-65535 at 100000.
ct_userns ()
{
  set_maps '[{"containerID": 0, "hostID": 100000, "size": 65536}]' '[{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

# `owners_seen_are EXPECTED`: "name uid:gid" of every file in /idm, as the
# container sees them.
owners_seen_are ()
{
  set_sh 'stat -c "%n %u:%g" /idm/*'
  runc run "$CT"
  assert_success
  assert_eq "$output" "$1" "owners seen through the mount"
}

# `mount_maps DEST UIDMAPS GIDMAPS` on the mount at DEST.
mount_maps ()
{
  cfg '.mounts |= map(if .destination == $d then .uidMappings = $u | .gidMappings = $g else . end)' \
    --arg d "$1" --argjson u "$2" --argjson g "$3"
}

@test "idmap: a bind mount shows the owners through the container's user namespace (runc >= 1.2)" {
  requires root
  ct_userns
  idmap_source /idm idmap
  mkdir "$ROOTFS/plain"
  touch "$ROOTFS/idfile"
  add_bind "$TEST_DIR/idsrc" /plain
  add_bind "$TEST_DIR/idfile" /idfile idmap
  set_sh 'stat -c "%n %u:%g" /idm/u0 /idm/u1000 /idm/u70000 /plain/u0 /plain/u1000 /idfile; echo made >/idm/new'
  runc run "$CT"
  assert_success
  assert_eq "$output" "/idm/u0 0:0
/idm/u1000 1000:1000
/idm/u70000 65534:65534
/plain/u0 65534:65534
/plain/u1000 65534:65534
/idfile 0:0"
  # Written by container root through the mount: owned by host root.
  assert_eq "$(stat -c %u:%g "$TEST_DIR/idsrc/new")" 0:0 "owner of a file the container created"
}

@test "idmap: a mount's own uidMappings/gidMappings (runc >= 1.2)" {
  requires root
  ct_userns
  idmap_source /idm
  # Host 1000 is shown as container root (host 100000), nothing else is mapped.
  mount_maps /idm '[{"containerID": 1000, "hostID": 100000, "size": 1}]' '[{"containerID": 1000, "hostID": 100000, "size": 1}]'
  owners_seen_are "/idm/u0 65534:65534
/idm/u1000 0:0
/idm/u70000 65534:65534"
}

@test "idmap: mount ID maps without a user namespace (ours)" {
  ours_only
  requires root
  idmap_source /idm
  mount_maps /idm '[{"containerID": 0, "hostID": 1234, "size": 2000}]' '[{"containerID": 0, "hostID": 4321, "size": 2000}]'
  owners_seen_are "/idm/u0 1234:4321
/idm/u1000 2234:5321
/idm/u70000 65534:65534"
}

@test "idmap: without maps of its own or a user namespace, idmap is refused (runc >= 1.2)" {
  requires root
  idmap_source /idm idmap
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains /idm
  assert_nothing_left
}

# A host tree with a tmpfs submount at sub, files owned by 0 in both.
tree_with_tmpfs ()
{
  mkdir -p "$TEST_DIR/tree/sub"
  mount -t tmpfs -o size=1m,mode=0755 rt-sub "$TEST_DIR/tree/sub"
  track_mount "$TEST_DIR/tree/sub"
  touch "$TEST_DIR/tree/top-file" "$TEST_DIR/tree/sub/sub-file"
}

@test "ridmap: every mount of an rbind tree is idmapped; idmap maps the top one only (runc >= 1.2)" {
  requires root
  kernel_at_least 6 3 || skip "tmpfs supports idmapped mounts from Linux 6.3 (this is $(uname -r))"
  ct_userns
  tree_with_tmpfs
  requires_idmap "$TEST_DIR/tree"
  mkdir "$ROOTFS/rid" "$ROOTFS/id"
  add_bind "$TEST_DIR/tree" /rid rbind ridmap
  add_bind "$TEST_DIR/tree" /id rbind idmap
  set_sh 'stat -c "%n %u" /rid/top-file /rid/sub/sub-file /id/top-file /id/sub/sub-file'
  runc run "$CT"
  assert_success
  assert_eq "$output" "/rid/top-file 0
/rid/sub/sub-file 0
/id/top-file 0
/id/sub/sub-file 65534"
}

@test "idmap: a user cannot idmap a host filesystem: a clear error, nothing left" {
  # The kernel lets only a process privileged over a filesystem's user
  # namespace idmap its mounts; a host filesystem belongs to the initial one.
  requires rootless
  mkdir -p "$TEST_DIR/idsrc"
  requires_idmap "$TEST_DIR/idsrc"
  add_bind "$TEST_DIR/idsrc" /idm idmap
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains /idm
  assert_output_matches 'Operation not permitted|EPERM'
  assert_nothing_left

  cfg '.mounts[-1].options = ["bind"]'
  mount_maps /idm "[{\"containerID\": 0, \"hostID\": $(id -u), \"size\": 1}]" "[{\"containerID\": 0, \"hostID\": $(id -g), \"size\": 1}]"
  runc run "$CT-b"
  assert_failure
  assert_output_contains /idm
  assert_output_matches 'Operation not permitted|EPERM'
  assert_nothing_left
  # Ours says why (the maps themselves were allowed: setgroups is denied
  # before a user writes its own gid).
  if [[ $RT_FLAVOR == ours ]]; then
    assert_output_contains "CAP_SYS_ADMIN over the filesystem of \`$TEST_DIR/idsrc\`"
    refute_output_contains gid_map
  fi
}

@test "idmap: a user's runtime, as root of a user namespace, idmaps a tmpfs mounted there" {
  # The unprivileged case the kernel allows: a filesystem mounted in a user
  # namespace the caller owns (tmpfs: Linux 6.3).  unshare maps the range
  # through newuidmap, which gives root no subordinate ids here.
  requires rootless userns newuidmap
  kernel_at_least 6 3 || skip "tmpfs supports idmapped mounts from Linux 6.3 (this is $(uname -r))"
  local first gfirst
  read -r first _ < <(subid_range subuid)
  read -r gfirst _ < <(subid_range subgid)
  # Inside: 0 is the caller, 1-65535 its subordinate ids; the container
  # gets all of them, the mount shows 1000 as root.
  set_maps '[{"containerID": 0, "hostID": 0, "size": 1}, {"containerID": 1, "hostID": 1, "size": 65535}]' \
    '[{"containerID": 0, "hostID": 0, "size": 1}, {"containerID": 1, "hostID": 1, "size": 65535}]'
  mkdir -p "$TEST_DIR/usertmp"
  add_bind "$TEST_DIR/usertmp" /idm
  mount_maps /idm '[{"containerID": 1000, "hostID": 0, "size": 1}]' '[{"containerID": 1000, "hostID": 0, "size": 1}]'
  # The runtime runs in the new namespaces, where the tmpfs is mounted.
  cat >"$TEST_DIR/runc-in-userns" <<EOF
#!/bin/bash
set -e
mount -t tmpfs -o mode=0755 rt-usertmp "$TEST_DIR/usertmp"
touch "$TEST_DIR/usertmp/u0" "$TEST_DIR/usertmp/u1000"
chown 1000:1000 "$TEST_DIR/usertmp/u1000"
exec "$RUNC_BINARY" "\$@"
EOF
  printf '#!/bin/sh\nexec unshare --map-root-user --map-users=%s,1,65535 --map-groups=%s,1,65535 -m %s "$@"\n' \
    "$first" "$gfirst" "$TEST_DIR/runc-in-userns" >"$TEST_DIR/runc-wrapper"
  chmod 0755 "$TEST_DIR/runc-in-userns" "$TEST_DIR/runc-wrapper"
  RUNC_BINARY=$TEST_DIR/runc-wrapper owners_seen_are "/idm/u0 65534:65534
/idm/u1000 0:0"
  assert_nothing_left
}

# ---- recursive mount attributes ---------------------------------------------

# A host tree with a submount, to bind recursively at /t: as root a tmpfs
# mounted for the test at $TREE/$SUB; a user cannot mount on the host, so
# /dev and its /dev/shm.
attr_tree ()
{
  if is_root; then
    mkdir -p "$TEST_DIR/tree/sub"
    mount -t tmpfs -o "size=1m,mode=0755${1:+,$1}" rt-sub "$TEST_DIR/tree/sub"
    track_mount "$TEST_DIR/tree/sub"
    TREE=$TEST_DIR/tree SUB=sub
  else
    TREE=/dev SUB=shm
  fi
  mkdir -p "$ROOTFS/t"
}

@test "rro: every mount of an rbind tree is read-only" {
  attr_tree
  add_bind "$TREE" /t rbind rro
  set_sh "$MI; touch /t/$SUB/rt-rro-$CT 2>&1; true"
  runc run "$CT"
  rm -f "$TREE/$SUB/rt-rro-$CT"
  assert_success
  assert_opts /t +ro
  assert_opts "/t/$SUB" +ro
  assert_output_contains "Read-only file system"
}

@test "rnosuid, rnodev, rnoexec: on every mount of an rbind tree" {
  attr_tree
  add_bind "$TREE" /t rbind rnosuid rnodev rnoexec
  set_sh "$MI"
  runc run "$CT"
  assert_success
  assert_opts /t +nosuid +nodev +noexec -ro
  assert_opts "/t/$SUB" +nosuid +nodev +noexec -ro
}

@test "bind without r*: the submounts keep their own flags" {
  # The control for the tests above: what the r forms change.
  attr_tree
  add_bind "$TREE" /t rbind
  set_sh "$MI"
  runc run "$CT"
  assert_success
  assert_opts "/t/$SUB" -ro -noexec
}

@test "rrw, rsuid, rdev, rexec: clear the flags on every mount of an rbind tree" {
  # A user namespace may not clear flags its mounts got from the host.
  requires root
  attr_tree ro,nosuid,nodev,noexec
  add_bind "$TREE" /t rbind rrw rsuid rdev rexec
  set_sh "$MI"
  runc run "$CT"
  assert_success
  assert_opts "/t/$SUB" -ro -nosuid -nodev -noexec
}

@test "rnoatime, rrelatime, rstrictatime, rnodiratime: the access-time mode of every mount of an rbind tree" {
  # A user namespace may not change the access-time mode of the mounts it
  # got from the host (MNT_LOCK_ATIME): see the tmpfs test below.
  requires root
  attr_tree noatime
  mkdir -p "$ROOTFS/rel" "$ROOTFS/strict" "$ROOTFS/nodir"
  add_bind "$TREE" /rel rbind rrelatime
  add_bind "$TREE" /strict rbind rstrictatime
  add_bind "$TREE" /nodir rbind rnodiratime
  set_sh "$MI"
  runc run "$CT"
  assert_success
  assert_opts "/rel/$SUB" +relatime -noatime
  assert_opts "/strict/$SUB" -relatime -noatime
  assert_opts "/nodir/$SUB" +nodiratime +noatime

  umount "$TREE/$SUB"
  attr_tree relatime
  cfg '.mounts |= map(select(.destination != "/rel" and .destination != "/strict" and .destination != "/nodir"))'
  add_bind "$TREE" /t rbind rnoatime
  runc run "$CT-b"
  assert_success
  assert_opts "/t/$SUB" +noatime -relatime
  assert_opts /t +noatime
}

@test "ratime: undoes noatime on every mount of an rbind tree, back to relatime" {
  # runc 1.1.5 fails with EINVAL: it clears noatime alone, and the kernel
  # only changes the access-time mode as a whole.
  ours_only
  requires root
  attr_tree noatime
  add_bind "$TREE" /t rbind ratime
  set_sh "$MI"
  runc run "$CT"
  assert_success
  assert_opts "/t/$SUB" -noatime +relatime
}

@test "r* attributes on a filesystem mount (tmpfs), as root and in a user namespace" {
  # runc 1.1.5 applies them to bind mounts only: its "rro" tmpfs is writable.
  ours_only
  add_mount /rt tmpfs tmpfs size=1m rro rnosuid rnodev rnoexec rnoatime
  # Mounts made inside a read-only tmpfs later: its mount point is made
  # first, and rro reaches it; ro does not.
  add_mount /rt/inner tmpfs tmpfs size=1m
  add_mount /ro tmpfs tmpfs size=1m ro
  add_mount /ro/inner tmpfs tmpfs size=1m
  add_mount /rs tmpfs tmpfs size=1m rstrictatime rnodiratime
  set_sh "$MI; touch /rt/f 2>&1; touch /ro/inner/f && echo inner-rw"
  runc run "$CT"
  assert_success
  assert_opts /rt +ro +nosuid +nodev +noexec +noatime
  assert_opts /rt/inner +ro
  assert_opts /ro +ro
  assert_opts /ro/inner -ro
  assert_opts /rs -ro -noatime -relatime +nodiratime
  assert_output_contains "Read-only file system" inner-rw
}

# ---- tmpcopyup --------------------------------------------------------------

@test "tmpcopyup: a tmpfs over a rootfs directory starts with its files and is writable" {
  mkdir -p "$ROOTFS/data/sub" "$ROOTFS/hidden"
  echo original >"$ROOTFS/data/file"
  echo deep >"$ROOTFS/data/sub/deep"
  ln -s file "$ROOTFS/data/link"
  echo hidden >"$ROOTFS/hidden/file"
  echo owned >"$ROOTFS/data/owned"
  chmod 0640 "$ROOTFS/data/file"
  chmod 0710 "$ROOTFS/data/sub"
  chmod 0751 "$ROOTFS/data"
  # Owners are kept (as root: a user's container maps only its own id).
  local owner=0
  if is_root; then
    chown 1000:1000 "$ROOTFS/data/owned"
    owner=1000
  fi
  add_mount /data tmpfs tmpfs tmpcopyup
  add_mount /hidden tmpfs tmpfs
  set_sh "$MI; cat /data/file /data/sub/deep; readlink /data/link
    stat -c '%n %a %u' /data /data/file /data/owned /data/sub
    echo new >/data/new && echo changed >/data/file && cat /data/new /data/file
    ls -A /hidden | wc -l"
  runc run "$CT"
  assert_success
  assert_eq "$(mnt_fstype /data)" tmpfs
  assert_eq "$(grep -v '^[0-9]* [0-9]* ' <<<"$output")" "original
deep
file
/data 751 0
/data/file 640 0
/data/owned 644 $owner
/data/sub 710 0
new
changed
0"
  # The rootfs itself is untouched (and read-only anyway).
  assert_eq "$(cat "$ROOTFS/data/file")" original
  [[ ! -e $ROOTFS/data/new ]] || fail "written through to the rootfs"
}

# ---- relative destinations --------------------------------------------------

@test "mount: a relative destination is resolved against /" {
  mkdir -m 0777 "$TEST_DIR/shared"
  echo from-host >"$TEST_DIR/shared/f"
  add_mount reltmp/inner tmpfs tmpfs size=1m
  add_bind "$TEST_DIR/shared" relbind
  add_mount ../../../relesc tmpfs tmpfs size=1m
  cfg '.process.cwd = "/tmp"'
  set_sh "$MI; cat /relbind/f"
  runc run "$CT"
  assert_success
  assert_eq "$(mnt_fstype /reltmp/inner)" tmpfs
  assert_eq "$(mnt_fstype /relesc)" tmpfs
  [[ -n $(mnt_line /relbind) ]] || fail "nothing mounted at /relbind"
  assert_output_contains from-host
  [[ ! -e $TEST_DIR/relesc && ! -e $BUNDLE/relesc && ! -e /relesc ]] || fail "a relative destination escaped the rootfs"
  [[ -d $ROOTFS/reltmp/inner && -d $ROOTFS/relbind ]] || fail "destinations not made in the rootfs"
}

# ---- propagation --------------------------------------------------------------

@test "propagation: shared and unbindable change the top mount, rshared and runbindable the whole rbind tree" {
  attr_tree
  mkdir -p "$ROOTFS/s" "$ROOTFS/rs" "$ROOTFS/u" "$ROOTFS/ru"
  add_bind "$TREE" /s rbind shared
  add_bind "$TREE" /rs rbind rshared
  add_bind "$TREE" /u rbind unbindable
  add_bind "$TREE" /ru rbind runbindable
  set_sh "$MI"
  runc run "$CT"
  assert_success
  [[ $(mnt_propagation /s) == *shared:* ]] || fail "/s: '$(mnt_propagation /s)'"
  [[ $(mnt_propagation "/s/$SUB") != *shared:* ]] || fail "/s/$SUB: '$(mnt_propagation "/s/$SUB")'"
  [[ $(mnt_propagation /rs) == *shared:* ]] || fail "/rs: '$(mnt_propagation /rs)'"
  [[ $(mnt_propagation "/rs/$SUB") == *shared:* ]] || fail "/rs/$SUB: '$(mnt_propagation "/rs/$SUB")'"
  [[ $(mnt_propagation /u) == *unbindable* ]] || fail "/u: '$(mnt_propagation /u)'"
  [[ $(mnt_propagation "/u/$SUB") != *unbindable* ]] || fail "/u/$SUB: '$(mnt_propagation "/u/$SUB")'"
  [[ $(mnt_propagation /ru) == *unbindable* ]] || fail "/ru: '$(mnt_propagation /ru)'"
  [[ $(mnt_propagation "/ru/$SUB") == *unbindable* ]] || fail "/ru/$SUB: '$(mnt_propagation "/ru/$SUB")'"
}

@test "propagation: a bind of a shared host tree is a slave of it; private cuts the top mount, rprivate every mount" {
  # The container's mount namespace starts as an rslave copy of the host's
  # (the default rootfsPropagation), so the bound mounts are slaves of the
  # host's peers until an option says otherwise.
  requires root
  attr_tree
  mount --make-rshared "$TEST_DIR/tree" 2>/dev/null || {
    mount --rbind "$TEST_DIR/tree" "$TEST_DIR/tree"
    track_mount "$TEST_DIR/tree"
    mount --make-rshared "$TEST_DIR/tree"
  }
  mkdir -p "$ROOTFS/sl" "$ROOTFS/pr" "$ROOTFS/rpr"
  add_bind "$TEST_DIR/tree" /sl rbind slave
  add_bind "$TEST_DIR/tree" /pr rbind private
  add_bind "$TEST_DIR/tree" /rpr rbind rprivate
  set_sh "$MI"
  runc run "$CT"
  assert_success
  [[ $(mnt_propagation /sl) == master:* ]] || fail "/sl: '$(mnt_propagation /sl)'"
  [[ $(mnt_propagation /sl/sub) == master:* ]] || fail "/sl/sub: '$(mnt_propagation /sl/sub)'"
  [[ -z $(mnt_propagation /pr) ]] || fail "/pr: '$(mnt_propagation /pr)'"
  [[ $(mnt_propagation /pr/sub) == master:* ]] || fail "/pr/sub: '$(mnt_propagation /pr/sub)'"
  [[ -z $(mnt_propagation /rpr) ]] || fail "/rpr: '$(mnt_propagation /rpr)'"
  [[ -z $(mnt_propagation /rpr/sub) ]] || fail "/rpr/sub: '$(mnt_propagation /rpr/sub)'"
}

@test "r*atime on mounts a user namespace got from the host: the kernel refuses, a clear error" {
  # Their access-time mode is locked (MNT_LOCK_ATIME), as are the flags
  # the host set: rnoatime on /dev must fail, not be dropped.
  requires rootless
  attr_tree
  add_bind "$TREE" /t rbind rnoatime
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains /t
  assert_output_matches 'Operation not permitted|EPERM'
  assert_nothing_left
}
