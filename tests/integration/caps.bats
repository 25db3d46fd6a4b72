#!/usr/bin/env bats
# Capabilities: the five sets, as the kernel reports them, and their effect.

load helpers

declare -gA CAPNUM=([CAP_CHOWN]=0 [CAP_DAC_OVERRIDE]=1 [CAP_DAC_READ_SEARCH]=2 [CAP_FOWNER]=3 [CAP_FSETID]=4
  [CAP_KILL]=5 [CAP_SETGID]=6 [CAP_SETUID]=7 [CAP_SETPCAP]=8 [CAP_NET_BIND_SERVICE]=10 [CAP_NET_ADMIN]=12
  [CAP_NET_RAW]=13 [CAP_SYS_CHROOT]=18 [CAP_SYS_PTRACE]=19 [CAP_SYS_ADMIN]=21 [CAP_MKNOD]=27 [CAP_AUDIT_WRITE]=29
  [CAP_SETFCAP]=31)

# `capmask CAP...`: the mask as /proc/PID/status prints it (16 hex digits).
capmask ()
{
  local m=0 c
  for c in "$@"; do
    m=$((m | (1 << CAPNUM[$c])))
  done
  printf '%016x' "$m"
}

# `set_caps SET CAP...`
set_caps ()
{
  local set=$1
  shift
  cfg '.process.capabilities[$s] = $c' --arg s "$set" --argjson c "$(json_array "$@")"
}

CAPS_SH='grep ^Cap /proc/self/status'

# `cap_line NAME` from a status dump in $output: the hex mask.
cap_line () { awk -v k="Cap$1:" '$1 == k { print $2 }' <<<"$output"; }

@test "caps: the default spec's three capabilities" {
  set_sh "$CAPS_SH"
  runc run "$CT"
  assert_success
  local want
  want=$(capmask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)
  assert_eq "$(cap_line Bnd)" "$want" bounding
  assert_eq "$(cap_line Eff)" "$want" effective
  assert_eq "$(cap_line Prm)" "$want" permitted
  assert_eq "$(cap_line Inh)" 0000000000000000 inheritable
  assert_eq "$(cap_line Amb)" 0000000000000000 ambient
}

@test "caps: each of the five sets is applied as given" {
  set_caps bounding CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_SETUID CAP_SETGID CAP_NET_BIND_SERVICE
  set_caps permitted CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_NET_BIND_SERVICE
  set_caps effective CAP_CHOWN CAP_KILL
  set_caps inheritable CAP_KILL CAP_NET_BIND_SERVICE
  set_caps ambient CAP_NET_BIND_SERVICE
  set_sh "$CAPS_SH"
  runc run "$CT"
  assert_success
  assert_eq "$(cap_line Bnd)" "$(capmask CAP_CHOWN CAP_KILL CAP_NET_RAW CAP_SETUID CAP_SETGID CAP_NET_BIND_SERVICE)" bounding
  # After execve a root process's permitted and effective sets are
  # recomputed: P' = (P(inh) & F(inh)) | (F(perm) & bnd) | amb, and for
  # root with no file caps F is all: P' = bounding & (inh ∪ perm) ... so
  # check what the kernel guarantees for any runtime: the ambient cap.
  assert_eq "$(cap_line Inh)" "$(capmask CAP_KILL CAP_NET_BIND_SERVICE)" inheritable
  assert_eq "$(cap_line Amb)" "$(capmask CAP_NET_BIND_SERVICE)" ambient
}

@test "caps: a non-root user keeps exactly the ambient capabilities" {
  map_users
  cfg '.process.user = {"uid": 1000, "gid": 1000}'
  set_caps bounding CAP_NET_BIND_SERVICE CAP_KILL CAP_CHOWN
  set_caps permitted CAP_NET_BIND_SERVICE CAP_KILL
  set_caps effective CAP_NET_BIND_SERVICE CAP_KILL
  set_caps inheritable CAP_NET_BIND_SERVICE
  set_caps ambient CAP_NET_BIND_SERVICE
  set_sh "$CAPS_SH"
  runc run "$CT"
  assert_success
  local nbs
  nbs=$(capmask CAP_NET_BIND_SERVICE)
  assert_eq "$(cap_line Amb)" "$nbs" ambient
  assert_eq "$(cap_line Eff)" "$nbs" effective
  assert_eq "$(cap_line Prm)" "$nbs" permitted
  assert_eq "$(cap_line Bnd)" "$(capmask CAP_NET_BIND_SERVICE CAP_KILL CAP_CHOWN)" bounding
}

@test "caps: a non-root user without ambient capabilities has none" {
  map_users
  cfg '.process.user = {"uid": 1000, "gid": 1000}'
  set_sh "$CAPS_SH"
  runc run "$CT"
  assert_success
  assert_eq "$(cap_line Eff)" 0000000000000000 effective
  assert_eq "$(cap_line Prm)" 0000000000000000 permitted
}

@test "caps: empty sets leave root with nothing" {
  cfg '.process.capabilities = {"bounding": [], "effective": [], "permitted": [], "inheritable": [], "ambient": []}'
  set_sh "$CAPS_SH"
  runc run "$CT"
  assert_success
  local s
  for s in Bnd Eff Prm Inh Amb; do
    assert_eq "$(cap_line $s)" 0000000000000000 "$s"
  done
}

@test "caps: CAP_CHOWN decides whether root may chown" {
  # (uid 1000 must be mapped, or chown fails with EINVAL whatever the caps)
  map_users
  add_tmpfs_tmp
  set_sh 'touch /tmp/f; chown 1000 /tmp/f && echo chowned'
  runc run "$CT"
  assert_output_contains "Operation not permitted"
  refute_output_contains chowned
  local s
  for s in bounding effective permitted; do
    cfg '.process.capabilities[$s] += ["CAP_CHOWN"]' --arg s "$s"
  done
  runc run "$CT-b"
  assert_success
  assert_output_contains chowned
}

@test "caps: the bounding set cannot be regained" {
  set_sh 'grep ^CapBnd /proc/self/status; cat /proc/1/status | grep ^CapBnd'
  runc run "$CT"
  assert_success
  assert_eq "$(awk '{ print $2 }' <<<"${lines[0]}")" "$(awk '{ print $2 }' <<<"${lines[1]}")"
  assert_eq "$(awk '{ print $2 }' <<<"${lines[0]}")" "$(capmask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)"
}
