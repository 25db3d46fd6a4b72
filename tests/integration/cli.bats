#!/usr/bin/env bats
# The command line: global options, help, usage errors, spec, features.

load helpers

COMMANDS=(create start run state list kill delete spec features)

@test "cli: --version names the runtime and the spec version" {
  runc --version
  assert_success
  assert_output_matches '^runc version [0-9]+\.[0-9]+'
  assert_output_matches '^spec: [0-9]+\.[0-9]+\.[0-9]+'
  local long=$output
  runc -v
  assert_success
  assert_eq "$output" "$long" "-v and --version print the same"
}

@test "cli: --help lists every command and global option" {
  runc --help
  assert_success
  local c
  for c in "${COMMANDS[@]}"; do
    assert_output_matches "^ +$c(,| |$)"
  done
  for c in --debug --log --log-format --root --criu --systemd-cgroup --rootless; do
    assert_output_matches "^ +$c( |,|$)"
  done
  local top=$output
  runc help
  assert_success
  assert_eq "$output" "$top" "'help' and '--help' print the same"
}

@test "cli: every command has its own help" {
  local c
  for c in "${COMMANDS[@]}"; do
    runc "$c" --help
    assert_success
    assert_output_contains "runc $c"
  done
  runc kill --help
  assert_output_contains "<container-id>" "[signal]"
  runc help kill
  assert_success
  assert_output_contains "runc kill"
}

@test "cli: command help shows the documented options" {
  runc create --help
  assert_output_contains --bundle --console-socket --pid-file --no-pivot --no-new-keyring --preserve-fds
  runc run --help
  assert_output_contains --bundle --detach --keep --no-subreaper --pid-file --no-pivot --no-new-keyring --preserve-fds
  runc delete --help
  assert_output_contains --force
  runc list --help
  assert_output_contains --format --quiet
  runc spec --help
  assert_output_contains --bundle --rootless
}

@test "cli: an unknown command exits 3 and names it" {
  runc no-such-command
  assert_status 3
  assert_output_contains no-such-command
}

@test "cli: wrong argument counts are usage errors (exit 1)" {
  runc state
  assert_status 1
  assert_output_contains "requires exactly 1 argument"
  runc start a b
  assert_status 1
  assert_output_contains "requires exactly 1 argument"
  runc list extra
  assert_status 1
  assert_output_contains "requires exactly 0 argument"
  runc kill a b c
  assert_status 1
  assert_output_contains "requires a maximum of 2 argument"
  runc delete
  assert_status 1
  assert_output_contains "requires exactly 1 argument"
}

@test "cli: an unknown flag is a usage error naming the flag" {
  runc state --no-such-flag x
  assert_status 1
  assert_output_contains "flag provided but not defined" "no-such-flag"
}

@test "cli: --log writes errors to the file, --log-format json makes JSON lines" {
  runc --log "$TEST_DIR/log.txt" state "$CT-missing"
  assert_status 1
  grep -q 'level=error' "$TEST_DIR/log.txt" || fail "text log: $(cat "$TEST_DIR/log.txt")"
  grep -q 'does not exist' "$TEST_DIR/log.txt" || fail "text log: $(cat "$TEST_DIR/log.txt")"

  runc --log "$TEST_DIR/log.json" --log-format json state "$CT-missing"
  assert_status 1
  run jq -r 'select(.level == "error") | .msg' "$TEST_DIR/log.json"
  assert_success
  assert_output_contains "does not exist"
  # Every line is a JSON object with a time.
  run jq -e 'has("time") and has("level") and has("msg")' "$TEST_DIR/log.json"
  assert_success
}

@test "cli: --log appends, it does not truncate" {
  echo "previous line" >"$TEST_DIR/log.txt"
  runc --log "$TEST_DIR/log.txt" state "$CT-missing"
  assert_status 1
  run head -1 "$TEST_DIR/log.txt"
  assert_eq "$output" "previous line"
  run wc -l <"$TEST_DIR/log.txt"
  [[ $output -ge 2 ]] || fail "nothing appended"
}

@test "cli: an invalid --log-format is refused" {
  runc --log-format xml list
  assert_status 1
  assert_output_contains "xml"
}

@test "cli: --debug logs debug messages" {
  set_cmd true
  runc --debug --log "$TEST_DIR/debug.log" run "$CT"
  assert_success
  grep -q 'level=debug' "$TEST_DIR/debug.log" || fail "no debug line in: $(cat "$TEST_DIR/debug.log")"
}

@test "cli: an invalid --rootless value is refused" {
  set_cmd true
  runc --rootless bogus run "$CT"
  assert_status 1
  assert_output_contains bogus
}

@test "cli: --rootless accepts true/false/auto" {
  requires root
  set_cmd true
  local v
  for v in false auto true; do
    runc --rootless "$v" run "$CT-$v"
    assert_success
  done
}

@test "cli: --criu is accepted as a global option" {
  # An explicit --root that does not exist is an error for list (runc >=
  # 1.2); this test is about --criu only.
  mkdir -p "$ROOT"
  runc --criu /nonexistent/criu list
  assert_success
}

@test "cli: --systemd-cgroup wants cgroupsPath as slice:prefix:name" {
  cfg '.linux.cgroupsPath = "/not-a-systemd-path"'
  runc --systemd-cgroup run "$CT"
  assert_status 1
  assert_output_contains "slice:prefix:name"
}

@test "cli: --systemd-cgroup places the container in a systemd scope" {
  requires systemd root
  cfg '.linux.cgroupsPath = $p' --arg p "system.slice:rt-test:$CT"
  set_sh 'cat /proc/self/cgroup'
  runc --systemd-cgroup run "$CT"
  assert_success
  assert_output_contains "rt-test-$CT.scope"
}

@test "cli: a relative --root is made absolute" {
  set_sh 'sleep 100'
  cd "$TEST_DIR"
  RT_NO_ROOT=1 RT_OUT=$(ct_out) runc --root relroot create -b "$BUNDLE" "$CT"
  track_root "$TEST_DIR/relroot"
  assert_success
  [[ -d $TEST_DIR/relroot/$CT ]] || fail "no state under $TEST_DIR/relroot"
  cd /
  RT_NO_ROOT=1 runc --root "$TEST_DIR/relroot" state "$CT"
  assert_success
  RT_NO_ROOT=1 runc --root "$TEST_DIR/relroot" delete -f "$CT"
  assert_success
}

# ---- spec ----------------------------------------------------------------

@test "spec: writes the default config.json" {
  local d="$TEST_DIR/spec"
  mkdir "$d"
  cd "$d"
  runc spec
  assert_success
  [[ -f $d/config.json ]] || fail "no config.json"
  run jq -r '.process.args | join(" ")' config.json
  assert_eq "$output" sh
  run jq -r '[.process.terminal, .root.path, .root.readonly, .hostname, .process.cwd] | map(tostring) | join(" ")' config.json
  assert_eq "$output" "true rootfs true runc /"
  run jq -r '[.mounts[].destination] | join(" ")' config.json
  assert_eq "$output" "/proc /dev /dev/pts /dev/shm /dev/mqueue /sys /sys/fs/cgroup"
  run jq -r '.process.capabilities.bounding | sort | join(" ")' config.json
  assert_eq "$output" "CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE"
  run jq -r '.process.rlimits[] | "\(.type) \(.hard) \(.soft)"' config.json
  assert_eq "$output" "RLIMIT_NOFILE 1024 1024"
  run jq -r '[.linux.namespaces[].type] | sort | join(" ")' config.json
  assert_output_contains ipc mount network pid uts
  run jq -r '(.linux.maskedPaths | index("/proc/kcore") != null), (.linux.readonlyPaths | index("/proc/sys") != null)' config.json
  assert_eq "$output" $'true\ntrue'
  run jq -r '.process.noNewPrivileges' config.json
  assert_eq "$output" true
}

@test "spec: refuses to overwrite an existing config.json" {
  local d="$TEST_DIR/spec"
  mkdir "$d"
  echo '{"keep": "me"}' >"$d/config.json"
  cd "$d"
  runc spec
  assert_status 1
  assert_output_contains "config.json"
  run jq -r .keep "$d/config.json"
  assert_eq "$output" me
}

@test "spec: --bundle writes into that directory" {
  local d="$TEST_DIR/specb"
  mkdir "$d"
  runc spec --bundle "$d"
  assert_success
  run jq -e .ociVersion "$d/config.json"
  assert_success
  runc spec -b "$TEST_DIR/no/such/dir"
  assert_status 1
}

@test "spec: --rootless maps the caller's ids and drops the network namespace" {
  local d="$TEST_DIR/spec"
  mkdir "$d"
  runc spec --rootless -b "$d"
  assert_success
  run jq -c '[.linux.uidMappings, .linux.gidMappings]' "$d/config.json"
  assert_eq "$output" "[[{\"containerID\":0,\"hostID\":$(host_uid),\"size\":1}],[{\"containerID\":0,\"hostID\":$(host_gid),\"size\":1}]]"
  run jq -r '[.linux.namespaces[].type] | sort | join(" ")' "$d/config.json"
  assert_output_contains user
  refute_output_contains network
  # /sys is bound from the host, and no mount asks for a uid= or gid=.
  run jq -r '.mounts[] | select(.destination == "/sys") | .type + " " + (.options | join(","))' "$d/config.json"
  assert_output_contains rbind
  run jq -r '[.mounts[].options // [] | .[] | select(test("^(uid|gid)="))] | length' "$d/config.json"
  assert_eq "$output" 0
  run jq -r '.linux.resources' "$d/config.json"
  assert_eq "$output" null
}

@test "spec: the runtime runs the config it generates" {
  local d="$TEST_DIR/own"
  mkdir "$d"
  copy_rootfs "$d/rootfs"
  local -a opt=()
  is_root || opt=(--rootless)
  runc spec "${opt[@]}" -b "$d"
  assert_success
  CFG_BUNDLE=$d cfg '.process.terminal = false | .process.args = ["echo", "own-spec-ok"]'
  CFG_BUNDLE=$d cfg '.process.env += [$m]' --arg m "RT_TEST_MARK=$CT_MARK"
  runc run -b "$d" "$CT"
  assert_success
  assert_output_contains own-spec-ok
}

# ---- features ------------------------------------------------------------

@test "features: prints the supported features as JSON" {
  runc features
  assert_success
  run jq -r .ociVersionMin <<<"$output"
  assert_eq "$output" 1.0.0
  runc features
  local f=$output
  run jq -r .ociVersionMax <<<"$f"
  assert_output_matches '^1\.[0-9]+\.[0-9]+'
  run jq -r '.hooks | join(" ")' <<<"$f"
  assert_output_contains prestart createRuntime createContainer startContainer poststart poststop
  run jq -r '.mountOptions | join(" ")' <<<"$f"
  assert_output_contains " bind " " rbind " " ro " " nosuid " " nodev " " noexec " " rslave " " rprivate "
  run jq -r '.linux.capabilities | join(" ")' <<<"$f"
  assert_output_contains CAP_SYS_ADMIN CAP_NET_BIND_SERVICE CAP_CHOWN
  run jq -r '.linux.seccomp.enabled, (.linux.seccomp.actions | join(" ")), (.linux.seccomp.operators | join(" "))' <<<"$f"
  assert_output_contains true SCMP_ACT_ERRNO SCMP_ACT_KILL SCMP_CMP_EQ SCMP_CMP_MASKED_EQ
}

@test "features: lists all eight namespaces, time included (runc >= 1.2)" {
  runc features
  assert_success
  run jq -r '.linux.namespaces | sort | join(" ")' <<<"$output"
  assert_eq "$output" "cgroup ipc mount network pid time user uts"
}

@test "features: its ociVersionMax is the version spec writes" {
  runc features
  local max
  max=$(jq -r .ociVersionMax <<<"$output")
  runc spec -b "$TEST_DIR"
  assert_success
  assert_eq "$(jq -r .ociVersion "$TEST_DIR/config.json")" "$max"
}
