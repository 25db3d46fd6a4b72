#!/bin/bash
# TAP entry point for the runc-slirp integration tests (make check).
#
# As root the bats suites run twice: as root, then as an unprivileged user
# (SLIRP_TEST_USER, default "slirptest", created when missing) whose
# containers are rootless; each test line says which mode it ran in.  As
# an unprivileged caller they run once, rootless.  The whole file skips,
# with the reason, when runc-slirp was not built or the machine cannot
# create user namespaces.
#
# auto.bats drives the runtime (RUNC_BINARY) with runc.network=slirp on
# the busybox root filesystem of the integration suite (FIXTURE_CACHE).
#
# Fixtures shared by both modes: a test resolver (dnsmasq on
# 127.0.0.77:53, root only: port 53) and /dev/net/tun usable by the test
# user (mode 0666; the original mode is restored afterwards).
# make check runs this with $(SHELL), which may be a POSIX sh.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=$(cd "$(dirname "$0")" && pwd)
RUNC_SLIRP=${RUNC_SLIRP:-${TOP_BUILDDIR:-$here/../..}/runc-slirp}
# auto.bats: the runtime that starts runc-slirp by itself, and the busybox
# root filesystem of the integration suite.
RUNC_BINARY=${RUNC_BINARY:-${TOP_BUILDDIR:-$here/../..}/runc}
FIXTURE_CACHE=${FIXTURE_CACHE:-${TOP_BUILDDIR:-$here/../..}/tests/fixtures/cache}
export RUNC_SLIRP RUNC_BINARY FIXTURE_CACHE

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

[ -x "$RUNC_SLIRP" ] || skip_all "runc-slirp was not built (configure did not find libslirp; apt-get install libslirp-dev libglib2.0-dev)"
command -v bats >/dev/null || skip_all "bats is not installed"
for tool in unshare nsenter busybox python3 ip ss curl; do
	command -v $tool >/dev/null || skip_all "$tool is not installed"
done
[ -c /dev/net/tun ] || skip_all "/dev/net/tun does not exist (modprobe tun)"
# Built here, before a rootless run that could not write the build tree,
# and made readable by the test user (as tests/integration/rootless.sh does).
if [ -x "$RUNC_BINARY" ]; then
	if ! "$here/../fixtures/make-rootfs.sh" "$FIXTURE_CACHE" >/dev/null 2>&1; then
		echo "# cannot build the rootfs fixture in $FIXTURE_CACHE: the runtime tests (auto.bats) skip"
	elif [ "$(id -u)" = 0 ]; then
		chmod -R o+rX "$FIXTURE_CACHE"
	fi
fi
# Detached container inits and helpers outlive the runtime: a subreaper
# takes and reaps them (PID 1 may not).
subreaper=()
command -v tini >/dev/null && subreaper=(tini -s --)

user_can_unshare() { # [runuser -u USER --]
	"$@" unshare --user --map-root-user --net true 2>/dev/null
}

tmp=$(mktemp -d /tmp/slirp-run.XXXXXX)
chmod 755 "$tmp"
dns_pid=""
tun_mode=""
cleanup() {
	[ -n "$dns_pid" ] && kill "$dns_pid" 2>/dev/null
	[ -n "$tun_mode" ] && chmod "$tun_mode" /dev/net/tun
	rm -rf "$tmp"
}
trap cleanup EXIT

modes=()
if [ "$(id -u)" = 0 ]; then
	modes+=(root)
	user=${SLIRP_TEST_USER:-slirptest}
	if ! id "$user" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin "$user" >/dev/null 2>&1 ||
			echo "# cannot create the test user $user: rootless mode skipped"
	fi
	if id "$user" >/dev/null 2>&1; then
		if user_can_unshare runuser -u "$user" --; then
			modes+=(rootless)
			if ! runuser -u "$user" -- test -r /dev/net/tun -a -w /dev/net/tun; then
				tun_mode=$(stat -c %a /dev/net/tun)
				chmod 666 /dev/net/tun
				echo "# /dev/net/tun was mode $tun_mode: made 0666 for the rootless run"
			fi
		else
			echo "# user $user cannot create user namespaces: rootless mode skipped"
		fi
	fi
	if command -v dnsmasq >/dev/null; then
		dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --user=root \
			--listen-address=127.0.0.77 --bind-interfaces --port=53 --pid-file= \
			--host-record=test.example,192.0.2.55 --log-facility="$tmp/dnsmasq.log" &
		dns_pid=$!
		sleep 0.3
		if kill -0 "$dns_pid" 2>/dev/null; then
			export SLIRP_TEST_DNS=127.0.0.77
		else
			echo "# dnsmasq could not start on 127.0.0.77:53: DNS tests skip"
			dns_pid=""
		fi
	else
		echo "# dnsmasq is not installed: DNS tests skip"
	fi
else
	user_can_unshare || skip_all "this user cannot create user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, or an AppArmor userns restriction)"
	[ -r /dev/net/tun ] && [ -w /dev/net/tun ] || skip_all "/dev/net/tun is not readable and writable by this user (mode $(stat -c %a /dev/net/tun)): run make check as root, or make it 0666"
	modes+=(rootless)
	echo "# not root: only the rootless mode runs, without the DNS resolver fixture"
fi

# Run one mode, renumbering its TAP lines after the ones already printed.
total=0
failed=0
results=()
run_mode() {
	local mode=$1 out n
	out="$tmp/$mode.tap"
	if [ "$mode" = rootless ] && [ "$(id -u)" = 0 ]; then
		local utmp=$tmp/$user
		mkdir -p "$utmp"
		chown "$user" "$utmp"
		"${subreaper[@]}" runuser -u "$user" -- env HOME="$utmp" TMPDIR="$utmp" BATS_TMPDIR="$utmp" \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin RUNC_SLIRP="$RUNC_SLIRP" SLIRP_TEST_DNS="${SLIRP_TEST_DNS:-}" \
			RUNC_BINARY="$RUNC_BINARY" FIXTURE_CACHE="$FIXTURE_CACHE" \
			bats --tap "$here" >"$out" 2>&1
	else
		"${subreaper[@]}" bats --tap "$here" >"$out" 2>&1
	fi
	while IFS= read -r line; do
		case "$line" in
		"1.."*) ;;
		"ok "*)
			n=${line#ok }
			total=$((total + 1))
			results+=("ok $total [$mode] ${n#* }")
			;;
		"not ok "*)
			n=${line#not ok }
			total=$((total + 1))
			failed=$((failed + 1))
			results+=("not ok $total [$mode] ${n#* }")
			;;
		*) results+=("$line") ;;
		esac
	done <"$out"
}

for m in "${modes[@]}"; do
	run_mode "$m"
done
echo "1..$total"
printf '%s\n' "${results[@]}"
[ "$total" -gt 0 ] || echo "not ok 1 - no test ran"
exit 0
