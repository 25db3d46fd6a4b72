#!/bin/bash
# Install the dependencies, build, make a bundle (busybox rootfs + `./runc
# spec`) and run a container with the built runtime: as root, and as an
# unprivileged user (rootless) when one can be used.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# RUNC_BINARY=/usr/sbin/runc scripts/demo.sh shows the same with another runtime.
runtime=${RUNC_BINARY:-$top/runc}
cache="$top/tests/fixtures/cache"
hello='echo "Hello from container $(hostname): I am uid $(id -u), pid $$; uid_map:$(head -1 /proc/self/uid_map | tr -s " ")"'

# `make_bundle DIR [spec-args]`: rootfs + our own `runc spec`, adjusted to
# print something without a terminal.
make_bundle ()
{
  local dir=$1
  shift
  mkdir -p "$dir"
  cp -R --preserve=mode,timestamps,links "$cache/rootfs" "$dir/rootfs"
  "$runtime" spec -b "$dir" "$@"
  jq --arg s "$hello" '.process.terminal = false | .process.args = ["sh", "-c", $s] | .hostname = "demo"' \
    "$dir/config.json" >"$dir/config.json.new"
  mv "$dir/config.json.new" "$dir/config.json"
}

# `demo_in DIR [spec-args]`: one container, state kept under DIR.
demo_in ()
{
  local dir=$1
  shift
  make_bundle "$dir/bundle" "$@"
  "$runtime" --root "$dir/state" run -b "$dir/bundle" "demo-$$"
}

# Re-entry points: this script runs itself as the other user.
case ${1:-} in
  --as-user) demo_in "$2" --rootless; exit ;;
  --as-root) demo_in "$2"; exit ;;
esac

cd "$top"
bash scripts/install-deps.sh
bash scripts/build.sh
tests/fixtures/make-rootfs.sh "$cache"

work=$(mktemp -d /tmp/runc-demo.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf --one-file-system "$work"' EXIT

status=0
if [[ $EUID -eq 0 ]]; then
  echo "== as root"
  demo_in "$work/root" || status=$?
  # The user who ran sudo, or the one the rootless test mode makes.
  user=${SUDO_USER:-}
  [[ -n $user && $user != root ]] || user=rootless
  if id -u "$user" >/dev/null 2>&1; then
    echo "== rootless, as $user"
    install -d -o "$user" -g "$(id -g "$user")" -m 0700 "$work/user"
    # The user must reach the script, the binary and the fixture.
    p=$top
    while [[ $p != / ]]; do chmod o+x "$p"; p=$(dirname "$p"); done
    chmod -R o+rX "$cache" "$top/scripts"
    setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --init-groups \
      env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/ USER="$user" XDG_RUNTIME_DIR="$work/user" \
      RUNC_BINARY="$runtime" bash "$top/scripts/demo.sh" --as-user "$work/user" || status=$?
  else
    echo "== rootless: skipped (no unprivileged user: scripts/test.sh makes one named 'rootless')"
  fi
else
  echo "== rootless, as $(id -un)"
  demo_in "$work/user" --rootless || status=$?
  if sudo -n true 2>/dev/null; then
    echo "== as root (sudo)"
    sudo -n env RUNC_BINARY="$runtime" bash "$top/scripts/demo.sh" --as-root "$work/root" || status=$?
  fi
fi
exit "$status"
