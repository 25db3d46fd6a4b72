#!/usr/bin/env bats
# seccomp: errno (with errnoRet), kill, argument conditions, and the filter
# being in force whatever the user and noNewPrivileges.

load helpers

# `set_seccomp RULES-JSON [DEFAULT-ACTION]`
set_seccomp ()
{
  cfg '.linux.seccomp = {"defaultAction": $d, "syscalls": $r}' --argjson r "$1" --arg d "${2:-SCMP_ACT_ALLOW}"
}

MKDIR_SH='mkdir /tmp/d; echo "status=$?"; test -d /tmp/d && echo made; true'

# `expect_mkdir_refused TEXT`: run MKDIR_SH; mkdir failed with TEXT.
expect_mkdir_refused ()
{
  set_sh "$MKDIR_SH"
  runc run "$CT"
  assert_success
  assert_output_contains "$1"
  refute_output_contains made
}

@test "seccomp: SCMP_ACT_ERRNO defaults to EPERM" {
  add_tmpfs_tmp
  set_seccomp '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]'
  expect_mkdir_refused "Operation not permitted"
}

@test "seccomp: SCMP_ACT_ERRNO with errnoRet" {
  add_tmpfs_tmp
  # EDQUOT: a message nothing else would produce here.
  set_seccomp '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122}]'
  expect_mkdir_refused "Disk quota exceeded"
}

@test "seccomp: SCMP_ACT_KILL kills the caller with SIGSYS" {
  add_tmpfs_tmp
  set_seccomp '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL"}]'
  set_sh "$MKDIR_SH"
  runc run "$CT"
  assert_success
  assert_output_contains "status=159"
  refute_output_contains made
}

@test "seccomp: SCMP_ACT_KILL_PROCESS" {
  add_tmpfs_tmp
  set_seccomp '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]'
  set_sh "$MKDIR_SH"
  runc run "$CT"
  assert_output_contains "status=159"
}

@test "seccomp: an argument condition (kill with SIGUSR1 only)" {
  set_seccomp '[{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 10, "op": "SCMP_CMP_EQ"}]}]'
  set_sh 'trap "" USR1 USR2; kill -USR1 $$ && echo usr1-sent; kill -USR2 $$ && echo usr2-sent'
  runc run "$CT"
  assert_success
  assert_output_contains usr2-sent "Operation not permitted"
  refute_output_contains usr1-sent
}

@test "seccomp: a masked argument condition" {
  add_tmpfs_tmp
  # openat with O_CREAT (0100) in the flags is refused; plain opens work.
  set_seccomp '[{"names": ["openat", "open", "creat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122, "args": [{"index": 2, "value": 64, "valueTwo": 64, "op": "SCMP_CMP_MASKED_EQ"}]}]'
  set_sh 'cat /etc/fixture-release; echo x >/tmp/new'
  runc run "$CT"
  assert_output_contains rootfs-fixture "Disk quota exceeded"
}

@test "seccomp: the filter is in /proc/self/status" {
  set_seccomp '[{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]'
  set_sh 'grep ^Seccomp: /proc/self/status'
  runc run "$CT"
  assert_success
  assert_eq "$(tr -s '\t ' ' ' <<<"$output")" "Seccomp: 2"
}

@test "seccomp: applied to a non-root user without noNewPrivileges" {
  map_users
  add_tmpfs_tmp
  cfg '.process.user = {"uid": 1000, "gid": 1000} | .process.noNewPrivileges = false'
  set_seccomp '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122}]'
  expect_mkdir_refused "Disk quota exceeded"
}

@test "seccomp: a default action of errno with an allow list" {
  local allow
  allow=$(json_array read write openat open close fstat newfstatat stat lstat execve exit exit_group \
    brk mmap munmap mprotect arch_prctl set_tid_address rt_sigaction rt_sigprocmask rt_sigreturn getpid \
    getppid getuid geteuid getgid getegid ioctl uname prlimit64 getrandom futex fcntl dup2 dup3 \
    wait4 clone clone3 fork vfork set_robust_list rseq access faccessat faccessat2 getcwd readlink \
    statx lseek sigaltstack chdir pread64 poll ppoll pselect6 getdents64 sched_getaffinity \
    close_range capget capset prctl setgroups setuid setgid setresuid setresgid getpgrp getpgid setpgid \
    getsid setsid umask kill tgkill statfs fstatfs gettid nanosleep clock_gettime clock_nanosleep \
    sched_yield madvise epoll_create1 epoll_ctl epoll_pwait epoll_wait pipe2 pipe mount umount2 \
    pivot_root chroot sethostname setdomainname keyctl seccomp personality getrlimit setrlimit \
    socket connect sendmsg recvmsg sendto recvfrom fchdir fchown fchmod openat2 mknodat symlinkat \
    unlinkat linkat renameat renameat2 readlinkat fchownat fchmodat fstatat64 sigprocmask \
    signalfd4 eventfd2 restart_syscall tkill rt_sigtimedwait rt_sigsuspend exit getdents)
  cfg '.linux.seccomp = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "syscalls": [{"names": $a, "action": "SCMP_ACT_ALLOW"}]}' --argjson a "$allow"
  add_tmpfs_tmp
  set_sh 'echo allowed; mkdir /tmp/x || echo mkdir-refused'
  runc run "$CT"
  assert_output_contains allowed mkdir-refused
}

@test "seccomp: an unknown action is refused" {
  set_seccomp '[{"names": ["mkdir"], "action": "SCMP_ACT_BOGUS"}]'
  set_cmd true
  runc run "$CT"
  assert_failure
  assert_nothing_left
}
