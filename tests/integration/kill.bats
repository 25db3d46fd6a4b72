#!/usr/bin/env bats
# `kill`: signal names and numbers, the default, and the error cases.

load helpers

# A container that reports each signal it gets.
start_trapper ()
{
  set_sh 'for s in HUP INT USR1 USR2 TERM; do trap "echo got-$s" $s; done
    echo ready; sleep 1000 & while :; do wait; done'
  run_detached
  wait_for_output "$CT" ready
}

# `expect_signal NAME ARG...`: `runc kill $CT ARG...` delivers SIGNAME.
expect_signal ()
{
  local name=$1 before
  shift
  before=$(grep -c "got-$name" "$(ct_out)" || true)
  runc kill "$CT" "$@"
  assert_success
  wait_until 5 '[[ $(grep -c "got-$name" "$(ct_out)") -gt $before ]]' \
    || fail "kill $* did not deliver SIG$name; output: $(cat "$(ct_out)")"
}

@test "kill: the default signal is SIGTERM" {
  start_trapper
  expect_signal TERM
}

@test "kill: names with or without SIG, in any case" {
  start_trapper
  local spelling
  for spelling in USR1 SIGUSR1 usr1 sigusr1 Usr1 SigUsr1; do
    expect_signal USR1 "$spelling"
  done
  expect_signal HUP HUP
  expect_signal INT sigint
  expect_signal TERM SIGTERM
}

@test "kill: signal numbers" {
  start_trapper
  expect_signal HUP 1
  expect_signal USR1 10
  expect_signal USR2 12
  expect_signal TERM 15
}

@test "kill: KILL stops the container" {
  start_trapper
  runc kill "$CT" KILL
  assert_success
  wait_status "$CT" stopped
  runc kill "$CT-b" 9
  assert_status 1
}

@test "kill: 9 stops the container" {
  set_sh 'sleep 1000'
  run_detached
  runc kill "$CT" 9
  assert_success
  wait_status "$CT" stopped
}

@test "kill: a created container can be killed" {
  set_sh 'sleep 1000'
  create_ct
  runc kill "$CT" KILL
  assert_success
  wait_status "$CT" stopped
  runc delete "$CT"
  assert_success
}

@test "kill: an unknown signal is refused and nothing is sent" {
  start_trapper
  runc kill "$CT" NOSUCHSIG
  assert_status 1
  assert_output_contains NOSUCHSIG
  runc kill "$CT" 99999
  assert_status 1
  assert_eq "$(ct_status "$CT")" running
  [[ $(grep -c got- "$(ct_out)") -eq 0 ]] || fail "a signal was delivered: $(cat "$(ct_out)")"
}

@test "kill: a stopped container is an error" {
  set_sh 'true'
  run_detached
  wait_status "$CT" stopped
  runc kill "$CT" KILL
  assert_status 1
  assert_output_contains "not running"
}

@test "kill: an unknown container is an error" {
  runc kill "$CT" KILL
  assert_status 1
  assert_output_contains "does not exist"
}

@test "kill --all: accepted" {
  start_trapper
  runc kill --all "$CT" USR2
  assert_success
  wait_for_output "$CT" got-USR2
  runc kill -a "$CT" HUP
  assert_success
}

@test "kill: KILL without a pid namespace kills every process of the container (runc >= 1.2)" {
  requires root
  ns_remove pid
  set_sh '(sleep 1000 & sleep 1000) & echo child=$!; echo ready; sleep 1000'
  run_detached
  wait_for_output "$CT" ready
  local n
  n=$(ct_processes | wc -w)
  [[ $n -ge 3 ]] || fail "expected at least 3 processes, got $n"
  runc kill "$CT" KILL
  assert_success
  wait_until 5 '[[ -z $(ct_processes) ]]' || fail "left after KILL: $(ct_processes)"
}
