#!/bin/bash
# Integration suite as an unprivileged user.  Run by root (as `make check`
# does here), it prepares a user (default `rootless`) with subordinate id
# ranges, a /run/user/UID directory and read access to the build tree, then
# runs bats as that user; run by a normal user, it runs bats directly.
# One TAP stream.
# make check runs this with sh: the harness needs bash.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/mode-common.sh"

: "${RT_ROOTLESS_USER:=rootless}"

# o+x on every directory from / down to $1, so the user can reach it.
open_path ()
{
  local p=$1
  while [[ $p != / && -n $p ]]; do
    [[ -d $p ]] && chmod o+x "$p"
    p=$(dirname "$p")
  done
}

# Add "user:start:count" to /etc/subuid or /etc/subgid unless the user has a range.
ensure_subids ()
{
  local file=$1 user=$2
  touch "$file"
  grep -q "^$user:" "$file" || echo "$user:100000:65536" >>"$file"
}

prepare_user ()
{
  local user=$1 uid
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd --create-home --user-group --shell /bin/bash "$user" >&2 || tap_bail "useradd $user failed"
  fi
  ensure_subids /etc/subuid "$user"
  ensure_subids /etc/subgid "$user"
  uid=$(id -u "$user")
  install -d -m 0700 -o "$uid" -g "$(id -g "$user")" "/run/user/$uid"
  # The user must be able to run the binary and read the suite and fixture.
  open_path "$(dirname "$RUNC_BINARY")"
  open_path "$TOP_SRCDIR/tests/integration"
  open_path "$FIXTURE_CACHE"
  chmod -R o+rX "$TOP_SRCDIR/tests/integration" "$TOP_SRCDIR/tests/fixtures" "$FIXTURE_CACHE"
  chmod o+rx "$RUNC_BINARY"
  # Devices a rootless network or fuse helper opens.
  local d
  for d in /dev/net/tun /dev/fuse; do
    [[ -c $d ]] && chmod 666 "$d"
  done
  return 0
}

check_tools setpriv
export RT_MODE=rootless
if [[ $EUID -eq 0 ]]; then
  build_fixture
  prepare_user "$RT_ROOTLESS_USER"
  uid=$(id -u "$RT_ROOTLESS_USER")
  gid=$(id -g "$RT_ROOTLESS_USER")
  home=$(getent passwd "$RT_ROOTLESS_USER" | cut -d: -f6)
  # A clean environment, as a login of that user would have.
  run_suite setpriv --reuid="$uid" --regid="$gid" --init-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$home" \
    USER="$RT_ROOTLESS_USER" LOGNAME="$RT_ROOTLESS_USER" XDG_RUNTIME_DIR="/run/user/$uid" \
    TOP_SRCDIR="$TOP_SRCDIR" TOP_BUILDDIR="$TOP_BUILDDIR" RUNC_BINARY="$RUNC_BINARY" \
    FIXTURE_CACHE="$FIXTURE_CACHE" RT_MODE=rootless BATS_TEST_TIMEOUT="$BATS_TEST_TIMEOUT" \
    ${REF_RUNC:+REF_RUNC="$REF_RUNC"} \
    ${RT_FLAVOR:+RT_FLAVOR="$RT_FLAVOR"}
fi
[[ -d $FIXTURE_CACHE/rootfs ]] || build_fixture
run_suite
