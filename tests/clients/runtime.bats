#!/usr/bin/env bats
# The runtime called the way the clients call it, without the clients: each
# test pins down one behaviour podman, conmon or containerd depend on and
# that was found broken when running them.

load helpers

setup_file ()
{
  have_basics || return 0
  export CT_DIR
  CT_DIR=$(clients_tmpdir)
  chmod 755 "$CT_DIR"
  make_busybox_rootfs "$CT_DIR/rootfs"
}

teardown_file ()
{
  remove_tree "${CT_DIR:-}"
}

setup ()
{
  skip_if_file_skipped
  T=$(mktemp -d "$CT_DIR/t.XXXXXX")
  chmod 755 "$T"
  mkdir "$T/bundle"
  ln -s "$CT_DIR/rootfs" "$T/bundle/rootfs"
  "$RUNC" spec --bundle "$T/bundle"
  jq '.process.terminal = false' "$T/bundle/config.json" > "$T/c" && mv "$T/c" "$T/bundle/config.json"
  ID=clients-rt-$$-$BATS_TEST_NUMBER
}

teardown ()
{
  [[ -n ${T:-} ]] || return 0
  "$RUNC" --root "$T/state" delete --force "$ID" 2>/dev/null || true
  assert_no_process "$ID"
  remove_tree "$T"
}

edit_config ()
{
  jq "$1" "$T/bundle/config.json" > "$T/c" && mv "$T/c" "$T/bundle/config.json"
}

container_status ()
{
  "$RUNC" --root "$T/state" state "$ID" | jq -r .status
}

# conmon and containerd run create, then start: the init waits on exec.fifo
# as process.user.  podman --user 1000:1000 found it mode 0600 (the umask).
@test "create/start: a non-root process.user can open exec.fifo" {
  edit_config '.process.user = {uid: 1000, gid: 1000, additionalGids: [1000]}
               | .process.args = ["sh", "-c", "id"]'
  "$RUNC" --root "$T/state" create --bundle "$T/bundle" "$ID" < /dev/null > "$T/out" 2>&1
  [[ $(stat -c %a "$T/state/$ID/exec.fifo") == 622 ]]
  [[ $(container_status) == created ]]
  run "$RUNC" --root "$T/state" start "$ID"
  [[ $status -eq 0 ]] || { echo "$output"; false; }
  wait_until 10 test "$(container_status)" = stopped
  grep -q 'uid=1000 gid=1000' "$T/out" || { cat "$T/out"; false; }
  "$RUNC" --root "$T/state" delete "$ID"
  [[ ! -e $T/state/$ID ]]
}

# podman's default process: a seccomp profile, no noNewPrivileges, and no
# CAP_SYS_ADMIN in any set.  The kernel only takes such a filter from a
# process that still has CAP_SYS_ADMIN, before the capabilities are cut.
@test "seccomp without no_new_privs from a process without CAP_SYS_ADMIN" {
  edit_config '.process.noNewPrivileges = false
               | .process.capabilities = (["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_SETUID", "CAP_SETGID",
                                           "CAP_KILL"] as $c
                  | {bounding: $c, effective: $c, permitted: $c})
               | .linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
                                   syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO",
                                               errnoRet: 1}]}
               | .process.args = ["sh", "-c",
                   "grep -E \"^(Seccomp|NoNewPrivs|CapEff):\" /proc/self/status; mkdir /tmp/x && echo made || echo blocked"]'
  run "$RUNC" --root "$T/state" run --bundle "$T/bundle" "$ID" < /dev/null
  echo "$output"
  [[ $status -eq 0 ]]
  [[ $output == *$'Seccomp:\t2'* ]]
  [[ $output == *$'NoNewPrivs:\t0'* ]]
  [[ $output == *$'CapEff:\t00000000000000e3'* ]]
  [[ $output == *blocked* ]]
  [[ $output != *made* ]]
}

# Rootless podman runs the runtime as root inside its own user namespace
# and asks for no user namespace in config.json.  Here the same with
# `unshare -r`, which also denies setgroups(2) in that namespace.
@test "root in a user namespace, no new one: run, exec, delete (rootless podman's call)" {
  requires_rootless_user
  edit_config '.linux.namespaces = [{type: "pid"}, {type: "ipc"}, {type: "uts"}, {type: "mount"},
                                    {type: "network"}]
               | del(.linux.resources)
               | (.mounts[] | select(.type == "devpts") | .options) |= map(select(. != "gid=5"))
               | .process.args = ["sh", "-c", "echo started; exec sleep 100"]'
  chown -R "$ROOTLESS_USER:" "$T"
  cat > "$T/script" <<EOF
set -e
'$RUNC' --root '$T/state' run -d --bundle '$T/bundle' '$ID' < /dev/null > '$T/out' 2>&1 || { cat '$T/out'; exit 1; }
'$RUNC' --root '$T/state' state '$ID' | grep -q '"status": "running"'
'$RUNC' --root '$T/state' exec '$ID' sh -c 'echo exec as \$(id -u); grep -c . /proc/self/uid_map'
'$RUNC' --root '$T/state' delete --force '$ID'
test ! -e '$T/state/$ID'
EOF
  run setpriv --reuid="$ROOTLESS_USER" --regid="$ROOTLESS_USER" --init-groups \
    unshare --user --map-root-user sh "$T/script"
  echo "$output"
  [[ $status -eq 0 ]]
  [[ ${lines[0]} == "exec as 0" ]]
  [[ ${lines[1]} == 1 ]]
  grep -q started "$T/out"
}

# The exec'd process is forked once more to enter the PID namespace; the
# intermediate reports its PID and exits.  The process's own "ready" used to
# overtake that report now and then: "sync: expected message 3, got 4".
@test "exec: a hundred execs in a row all succeed" {
  edit_config '.process.args = ["sleep", "100"]'
  "$RUNC" --root "$T/state" run -d --bundle "$T/bundle" "$ID" < /dev/null > /dev/null 2>&1
  local i fails=0
  for ((i = 0; i < 100; i++)); do
    if ! "$RUNC" --root "$T/state" exec "$ID" true 2> "$T/err"; then
      fails=$((fails + 1))
      cat "$T/err"
    fi
  done
  [[ $fails -eq 0 ]]
  run "$RUNC" --root "$T/state" exec "$ID" sh -c 'exit 7'
  [[ $status -eq 7 ]]
}

# podman lists /proc/sys in readonlyPaths and passes --sysctl values: they
# must be written before /proc/sys turns read-only.
@test "sysctl is applied before readonlyPaths make /proc/sys read-only" {
  edit_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}
               | .linux.readonlyPaths += ["/proc/sys"]
               | .process.args = ["sh", "-c",
                   "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax; echo 0 > /proc/sys/kernel/msgmax || echo ro"]'
  run "$RUNC" --root "$T/state" run --bundle "$T/bundle" "$ID" < /dev/null
  echo "$output"
  [[ $status -eq 0 ]]
  [[ ${lines[0]} == 1 && ${lines[1]} == 4096 ]]
  [[ $output == *ro ]]
}
