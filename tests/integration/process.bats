#!/usr/bin/env bats
# The container process: args and PATH lookup, env, cwd, user and groups,
# umask, rlimits, noNewPrivileges, oomScoreAdj, terminal.

load helpers

# A script in the rootfs only, named so that nothing on the host has it.
add_tool ()
{
  mkdir -p "$ROOTFS/usr/local/bin"
  printf '#!/bin/sh\necho tool-ran "$@"\n' >"$ROOTFS/usr/local/bin/rt-only-tool"
  chmod 0755 "$ROOTFS/usr/local/bin/rt-only-tool"
}

@test "process: args[0] is looked up in the container's PATH" {
  add_tool
  set_cmd rt-only-tool a b
  runc run "$CT"
  assert_success
  assert_eq "$output" "tool-ran a b"
}

@test "process: the lookup uses the config's PATH, not the runtime's" {
  add_tool
  cfg '.process.env |= map(if startswith("PATH=") then "PATH=/bin" else . end)'
  set_cmd rt-only-tool
  runc run "$CT"
  assert_failure
  assert_output_contains rt-only-tool
  refute_output_contains tool-ran
  # A program of the host that the rootfs lacks is not found either.
  set_cmd jq --version
  runc run "$CT-b"
  assert_failure
  assert_output_contains jq
  assert_nothing_left
}

@test "process: a non-executable file earlier in PATH is skipped" {
  mkdir -p "$ROOTFS/usr/local/bin"
  echo 'not a program' >"$ROOTFS/usr/local/bin/echo"
  chmod 0644 "$ROOTFS/usr/local/bin/echo"
  set_cmd echo found-the-real-one
  runc run "$CT"
  assert_success
  assert_eq "$output" found-the-real-one
}

@test "process: an absolute args[0] needs no PATH" {
  cfg '.process.env |= map(select(startswith("PATH=") | not))'
  set_cmd /bin/echo absolute
  runc run "$CT"
  assert_success
  assert_eq "$output" absolute
}

@test "process: args are passed verbatim" {
  set_cmd /bin/sh -c 'for a in "$@"; do echo "[$a]"; done' zero 'two words' '' '*' '$HOME'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'[two words]\n[]\n[*]\n[$HOME]'
}

@test "process: env is exactly the config's, plus HOME" {
  cfg '.process.env = ["PATH=/bin:/usr/bin", "FOO=bar baz", "EMPTY=", "RT_TEST_MARK=" + $m]' --arg m "$CT_MARK"
  set_cmd env
  runc run "$CT"
  assert_success
  assert_eq "$(grep -v '^RT_TEST_MARK=' <<<"$output" | sort)" $'EMPTY=\nFOO=bar baz\nHOME=/root\nPATH=/bin:/usr/bin'
}

@test "process: HOME comes from /etc/passwd of the user, unless set" {
  map_users
  cfg '.process.user = {"uid": 1000, "gid": 1000}'
  set_sh 'echo $HOME'
  runc run "$CT"
  assert_success
  assert_eq "$output" /home/user1
  cfg '.process.env += ["HOME=/custom"]'
  runc run "$CT-b"
  assert_eq "$output" /custom
}

@test "process: cwd" {
  set_cmd pwd
  cfg '.process.cwd = "/etc"'
  runc run "$CT"
  assert_success
  assert_eq "$output" /etc
}

@test "process: a missing cwd is created" {
  cfg '.root.readonly = false | .process.cwd = "/new/work/dir"'
  set_cmd pwd
  runc run "$CT"
  assert_success
  assert_eq "$output" /new/work/dir
  [[ -d $ROOTFS/new/work/dir ]] || fail "cwd not created in the rootfs"
}

@test "process: a relative cwd is refused" {
  cfg '.process.cwd = "etc"'
  set_cmd pwd
  runc run "$CT"
  assert_failure
  assert_output_matches '[Cc]wd'
  assert_nothing_left
}

@test "process: uid and gid" {
  map_users
  cfg '.process.user = {"uid": 1000, "gid": 1001}'
  set_sh 'grep -E "^(Uid|Gid|Groups):" /proc/self/status'
  runc run "$CT"
  assert_success
  assert_eq "$(tr -s '\t ' ' ' <<<"$output" | sed 's/ $//')" $'Uid: 1000 1000 1000 1000\nGid: 1001 1001 1001 1001\nGroups:'
}

@test "process: additionalGids" {
  requires root
  cfg '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [29, 100, 5000]}'
  set_sh 'grep "^Groups:" /proc/self/status; id -G'
  runc run "$CT"
  assert_success
  assert_eq "$(tr -s '\t ' ' ' <<<"${lines[0]}" | sed 's/ $//')" "Groups: 29 100 5000"
}

@test "process: a uid without a passwd entry" {
  map_users
  cfg '.process.user = {"uid": 4242, "gid": 4242}'
  set_sh 'id -u; id -g; echo "home=$HOME"'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'4242\n4242\nhome=/'
}

@test "process: umask" {
  set_cmd sh -c umask
  runc run "$CT"
  assert_success
  assert_eq "$output" 0022
  cfg '.process.user.umask = 63'
  runc run "$CT-b"
  assert_success
  assert_eq "$output" 0077
}

@test "process: rlimits" {
  cfg '.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 2048, "soft": 512}, {"type": "RLIMIT_CORE", "hard": 0, "soft": 0}, {"type": "RLIMIT_NPROC", "hard": 300, "soft": 200}]'
  set_sh 'grep -E "^Max (open files|core file size|processes)" /proc/self/limits'
  runc run "$CT"
  assert_success
  assert_eq "$(awk '{ print $(NF - 2), $(NF - 1) }' <<<"$output" | tr '\n' ' ')" "0 0 200 300 512 2048 "
}

@test "process: the default spec's RLIMIT_NOFILE" {
  set_sh 'ulimit -n; ulimit -Hn'
  runc run "$CT"
  assert_success
  assert_eq "$output" $'1024\n1024'
}

@test "process: an unknown rlimit is refused" {
  cfg '.process.rlimits += [{"type": "RLIMIT_BOGUS", "hard": 1, "soft": 1}]'
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_output_contains RLIMIT_BOGUS
  assert_nothing_left
}

@test "process: noNewPrivileges" {
  set_sh 'grep ^NoNewPrivs: /proc/self/status'
  cfg '.process.noNewPrivileges = true'
  runc run "$CT"
  assert_success
  assert_eq "$(tr -s '\t ' ' ' <<<"$output")" "NoNewPrivs: 1"
  cfg '.process.noNewPrivileges = false'
  runc run "$CT-b"
  assert_success
  assert_eq "$(tr -s '\t ' ' ' <<<"$output")" "NoNewPrivs: 0"
}

@test "process: oomScoreAdj" {
  set_cmd cat /proc/self/oom_score_adj
  cfg '.process.oomScoreAdj = 500'
  runc run "$CT"
  assert_success
  assert_eq "$output" 500
}

@test "process: a negative oomScoreAdj as root" {
  requires root
  (echo -200 >/proc/self/oom_score_adj) 2>/dev/null || skip "this machine does not let root lower oom_score_adj"
  set_cmd cat /proc/self/oom_score_adj
  cfg '.process.oomScoreAdj = -200'
  runc run "$CT"
  assert_success
  assert_eq "$output" -200
}

@test "process: terminal false keeps the caller's stdio" {
  set_sh 'test -t 0 || echo stdin-not-tty; test -t 1 || echo stdout-not-tty; echo to-stderr >&2'
  runc --separate-stderr run "$CT"
  assert_success
  assert_eq "$output" $'stdin-not-tty\nstdout-not-tty'
  assert_eq "$stderr" to-stderr
}
