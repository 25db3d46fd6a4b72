# fish completion for runc (the C runtime): commands, every option of each
# command, fixed option values, files, container IDs (from `runc list -q`
# under the same --root as the command line) and signals.

# The command, if the command line has one yet.
function __runc_command
    set -l cmd (commandline -opc)
    set -e cmd[1]
    set -l skip 0
    for w in $cmd
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case --log --log-format --root --criu --rootless -log -log-format -root -criu -rootless
                set skip 1
            case '-*'
            case '*'
                echo $w
                return 0
        end
    end
    return 1
end

function __runc_no_command
    not __runc_command >/dev/null
end

function __runc_npos
    set -l cmd (commandline -opc)
    set -l n -1
    set -l skip 0
    set -l sub
    for w in $cmd[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        # -f is --format (with a value) for list, ps and doctor, --force for
        # delete.
        if test "$w" = -f; and contains -- "$sub" list ps doctor
            set skip 1
            continue
        end
        switch $w
            case --log --log-format --root --criu --rootless --bundle -b --console-socket --pidfd-socket --pid-file --preserve-fds --format --cwd --env -e --user -u --additional-gids -g --process -p --process-label --apparmor --cap -c --cgroup --interval --resources -r --image-path --work-path --parent-path --status-fd --page-server --manage-cgroups-mode --empty-ns --lsm-profile --lsm-mount-context
                set skip 1
            case '-*'
            case '*'
                test $n -eq -1; and set sub $w
                set n (math $n + 1)
        end
    end
    echo $n
end

# Container IDs, as the state root named on the command line lists them.
function __runc_ids
    set -l cmd (commandline -opc)
    set -l root
    for i in (seq (count $cmd))
        switch $cmd[$i]
            case --root -root
                set root --root $cmd[(math $i + 1)]
            case '--root=*' '-root=*'
                set root --root (string replace -r '^-+root=' '' -- $cmd[$i])
        end
    end
    $cmd[1] $root list -q 2>/dev/null
end

# An ID is wanted: the command takes one and none is given yet.
function __runc_wants_id
    contains -- (__runc_command) $argv; and test (__runc_npos) -eq 0
end

set -l __runc_cmds checkpoint create delete events exec kill list pause ps restore resume run spec start state update features doctor help h

complete -c runc -f

# ---- global options and commands ---------------------------------------------
complete -c runc -n __runc_no_command -l debug -d 'enable debug logging'
complete -c runc -n __runc_no_command -l log -r -F -d 'log file'
complete -c runc -n __runc_no_command -l log-format -x -a 'text json' -d 'log format'
complete -c runc -n __runc_no_command -l root -x -a '(__fish_complete_directories)' -d 'state root directory'
complete -c runc -n __runc_no_command -l criu -x -a '(__fish_complete_command)' -d 'criu binary'
complete -c runc -n __runc_no_command -l systemd-cgroup -d 'manage cgroups through systemd'
complete -c runc -n __runc_no_command -l rootless -x -a 'true false auto' -d 'tolerate missing cgroup permissions'
complete -c runc -n __runc_no_command -s h -l help -d 'show help'
complete -c runc -n __runc_no_command -s v -l version -d 'print the version'

complete -c runc -n __runc_no_command -a checkpoint -d 'checkpoint a running container'
complete -c runc -n __runc_no_command -a create -d 'create a container'
complete -c runc -n __runc_no_command -a delete -d 'delete a container and its resources'
complete -c runc -n __runc_no_command -a events -d 'print statistics and OOM events'
complete -c runc -n __runc_no_command -a exec -d 'run a new process inside a container'
complete -c runc -n __runc_no_command -a kill -d 'send a signal to the init process'
complete -c runc -n __runc_no_command -a list -d 'list containers'
complete -c runc -n __runc_no_command -a pause -d 'freeze every process of a container'
complete -c runc -n __runc_no_command -a ps -d 'show the processes of a container'
complete -c runc -n __runc_no_command -a restore -d 'restore a container from a checkpoint'
complete -c runc -n __runc_no_command -a resume -d 'thaw a paused container'
complete -c runc -n __runc_no_command -a run -d 'create and run a container'
complete -c runc -n __runc_no_command -a spec -d 'write a default config.json'
complete -c runc -n __runc_no_command -a start -d 'start a created container'
complete -c runc -n __runc_no_command -a state -d 'print the state of a container'
complete -c runc -n __runc_no_command -a update -d 'change resource limits'
complete -c runc -n __runc_no_command -a features -d 'show the enabled features'
complete -c runc -n __runc_no_command -a doctor -d 'check readiness for rootless containers'
complete -c runc -n __runc_no_command -a 'help h' -d 'show help'

# Every command has -h/--help; exec, kill and ps take options only before
# the container ID.
for c in $__runc_cmds
    if contains -- $c exec kill ps
        complete -c runc -n "__fish_seen_subcommand_from $c; and test (__runc_npos) -eq 0" -s h -l help -d 'show help'
    else
        complete -c runc -n "__fish_seen_subcommand_from $c" -s h -l help -d 'show help'
    end
end

# ---- arguments -------------------------------------------------------------------
complete -c runc -n '__runc_wants_id delete events exec kill pause ps resume start state update checkpoint' -a '(__runc_ids)' -d container
set -l __runc_signals HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS
set __runc_signals $__runc_signals SIG$__runc_signals
complete -c runc -n 'contains -- (__runc_command) kill; and test (__runc_npos) -eq 1' -a "$__runc_signals" -d signal
complete -c runc -n 'contains -- (__runc_command) help h; and test (__runc_npos) -eq 0' -a "$__runc_cmds" -d command
complete -c runc -n 'contains -- (__runc_command) exec; and test (__runc_npos) -eq 1' -a '(__fish_complete_command)' -d command

# ---- create and run ----------------------------------------------------------------
for c in create run
    set -l n "__fish_seen_subcommand_from $c"
    complete -c runc -n $n -s b -l bundle -x -a '(__fish_complete_directories)' -d 'bundle directory'
    complete -c runc -n $n -l console-socket -r -F -d 'socket receiving the pseudoterminal master'
    complete -c runc -n $n -l pidfd-socket -r -F -d 'socket receiving a pidfd of the init'
    complete -c runc -n $n -l pid-file -r -F -d 'write the init PID to this file'
    complete -c runc -n $n -l no-pivot -d 'use MS_MOVE and chroot instead of pivot_root'
    complete -c runc -n $n -l no-new-keyring -d 'keep the session keyring'
    complete -c runc -n $n -l preserve-fds -x -d 'pass N more file descriptors'
end
complete -c runc -n '__fish_seen_subcommand_from run' -s d -l detach -d 'do not wait for the container'
complete -c runc -n '__fish_seen_subcommand_from run' -l keep -d 'keep the container after it exits'
complete -c runc -n '__fish_seen_subcommand_from run' -l no-subreaper -d 'do not become a subreaper'

# ---- delete, list, spec, ps, events --------------------------------------------------
complete -c runc -n '__fish_seen_subcommand_from delete' -s f -l force -d 'kill the container first if it runs'
complete -c runc -n '__fish_seen_subcommand_from list' -s f -l format -x -a 'table json' -d 'output format'
complete -c runc -n '__fish_seen_subcommand_from list' -s q -l quiet -d 'print only IDs'
complete -c runc -n '__fish_seen_subcommand_from doctor' -s f -l format -x -a 'text json' -d 'output format'
complete -c runc -n '__fish_seen_subcommand_from spec' -s b -l bundle -x -a '(__fish_complete_directories)' -d 'bundle directory'
complete -c runc -n '__fish_seen_subcommand_from spec' -l rootless -d 'configuration for an unprivileged user'
complete -c runc -n '__fish_seen_subcommand_from ps; and test (__runc_npos) -eq 0' -s f -l format -x -a 'table json' -d 'output format'
complete -c runc -n '__fish_seen_subcommand_from events' -l interval -x -d 'statistics interval (e.g. 5s)'
complete -c runc -n '__fish_seen_subcommand_from events' -l stats -d 'print statistics once'

# ---- exec (options only before the container ID) ---------------------------------------
set -l e '__fish_seen_subcommand_from exec; and test (__runc_npos) -eq 0'
complete -c runc -n $e -l console-socket -r -F -d 'socket receiving the pseudoterminal master'
complete -c runc -n $e -l pidfd-socket -r -F -d 'socket receiving a pidfd'
complete -c runc -n $e -l cwd -x -d 'working directory in the container'
complete -c runc -n $e -s e -l env -x -d 'add an environment variable (NAME=value)'
complete -c runc -n $e -s t -l tty -d 'allocate a pseudoterminal'
complete -c runc -n $e -s u -l user -x -d 'user: UID[:GID]'
complete -c runc -n $e -s g -l additional-gids -x -d 'add a supplementary group'
complete -c runc -n $e -s p -l process -r -F -d 'process JSON file'
complete -c runc -n $e -s d -l detach -d 'do not wait for the process'
complete -c runc -n $e -l pid-file -r -F -d 'write the PID to this file'
complete -c runc -n $e -l process-label -x -d 'SELinux label'
complete -c runc -n $e -l apparmor -x -d 'AppArmor profile'
complete -c runc -n $e -l no-new-privs -d 'set no_new_privs'
complete -c runc -n $e -s c -l cap -x -a 'CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_AUDIT_WRITE CAP_BLOCK_SUSPEND CAP_BPF CAP_CHECKPOINT_RESTORE CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_IPC_LOCK CAP_IPC_OWNER CAP_KILL CAP_LEASE CAP_LINUX_IMMUTABLE CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_MKNOD CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW CAP_PERFMON CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_CHROOT CAP_SYS_MODULE CAP_SYS_NICE CAP_SYS_PACCT CAP_SYS_PTRACE CAP_SYS_RAWIO CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_SYSLOG CAP_WAKE_ALARM' -d 'add a capability'
complete -c runc -n $e -l preserve-fds -x -d 'pass N more file descriptors'
complete -c runc -n $e -l cgroup -x -d 'run in a sub-cgroup'
complete -c runc -n $e -l ignore-paused -d 'allow exec into a paused container'

# ---- update ------------------------------------------------------------------------
set -l u '__fish_seen_subcommand_from update'
complete -c runc -n $u -s r -l resources -r -F -d 'resources JSON file, - for stdin'
complete -c runc -n $u -l blkio-weight -x -d 'block I/O weight (10-1000)'
complete -c runc -n $u -l cpu-period -x -d 'CPU CFS period (µs)'
complete -c runc -n $u -l cpu-quota -x -d 'CPU CFS quota (µs)'
complete -c runc -n $u -l cpu-burst -x -d 'CPU CFS burst (µs)'
complete -c runc -n $u -l cpu-share -x -d 'CPU shares'
complete -c runc -n $u -l cpu-rt-period -x -d 'realtime period (µs)'
complete -c runc -n $u -l cpu-rt-runtime -x -d 'realtime runtime (µs)'
complete -c runc -n $u -l cpuset-cpus -x -d 'CPUs to use'
complete -c runc -n $u -l cpuset-mems -x -d 'memory nodes to use'
complete -c runc -n $u -l cpu-idle -x -a '0 1' -d 'SCHED_IDLE'
complete -c runc -n $u -l memory -x -d 'memory limit'
complete -c runc -n $u -l memory-reservation -x -d 'memory soft limit'
complete -c runc -n $u -l memory-swap -x -d 'memory plus swap limit'
complete -c runc -n $u -l pids-limit -x -d 'maximum number of processes'
complete -c runc -n $u -l l3-cache-schema -x -d 'Intel RDT L3 cache schema'
complete -c runc -n $u -l mem-bw-schema -x -d 'Intel RDT memory bandwidth schema'

# ---- checkpoint and restore -----------------------------------------------------------
set -l k '__fish_seen_subcommand_from checkpoint'
complete -c runc -n $k -l image-path -x -a '(__fish_complete_directories)' -d 'directory for the image files'
complete -c runc -n $k -l work-path -x -a '(__fish_complete_directories)' -d 'directory for work files and logs'
complete -c runc -n $k -l parent-path -x -a '(__fish_complete_directories)' -d 'images of a previous pre-dump'
complete -c runc -n $k -l leave-running -d 'keep the container running'
complete -c runc -n $k -l tcp-established -d 'checkpoint established TCP connections'
complete -c runc -n $k -l tcp-skip-in-flight -d 'skip TCP connections being set up'
complete -c runc -n $k -l link-remap -d 'allow open but unlinked files'
complete -c runc -n $k -l ext-unix-sk -d 'allow external unix sockets'
complete -c runc -n $k -l shell-job -d 'allow a terminal session'
complete -c runc -n $k -l lazy-pages -d 'leave pages to be fetched lazily'
complete -c runc -n $k -l status-fd -x -d 'fd told when lazy pages are ready'
complete -c runc -n $k -l page-server -x -d 'page server ADDRESS:PORT'
complete -c runc -n $k -l file-locks -d 'checkpoint file locks'
complete -c runc -n $k -l pre-dump -d 'dump memory only'
complete -c runc -n $k -l manage-cgroups-mode -x -a 'soft full strict ignore' -d 'CRIU cgroup mode'
complete -c runc -n $k -l empty-ns -x -a network -d 'namespace to create empty'
complete -c runc -n $k -l auto-dedup -d 'deduplicate memory images'

set -l r '__fish_seen_subcommand_from restore'
complete -c runc -n $r -l console-socket -r -F -d 'socket receiving the pseudoterminal master'
complete -c runc -n $r -l image-path -x -a '(__fish_complete_directories)' -d 'directory of the image files'
complete -c runc -n $r -l work-path -x -a '(__fish_complete_directories)' -d 'directory for work files and logs'
complete -c runc -n $r -l tcp-established -d 'restore established TCP connections'
complete -c runc -n $r -l ext-unix-sk -d 'allow external unix sockets'
complete -c runc -n $r -l shell-job -d 'allow a terminal session'
complete -c runc -n $r -l file-locks -d 'restore file locks'
complete -c runc -n $r -l manage-cgroups-mode -x -a 'soft full strict ignore' -d 'CRIU cgroup mode'
complete -c runc -n $r -s b -l bundle -x -a '(__fish_complete_directories)' -d 'bundle directory'
complete -c runc -n $r -s d -l detach -d 'do not wait for the container'
complete -c runc -n $r -l pid-file -r -F -d 'write the init PID to this file'
complete -c runc -n $r -l no-subreaper -d 'do not become a subreaper'
complete -c runc -n $r -l no-pivot -d 'use MS_MOVE and chroot instead of pivot_root'
complete -c runc -n $r -l empty-ns -x -a network -d 'namespace to create empty'
complete -c runc -n $r -l auto-dedup -d 'deduplicate memory images'
complete -c runc -n $r -l lazy-pages -d 'fetch pages lazily'
complete -c runc -n $r -l lsm-profile -x -d 'LSM profile TYPE:NAME'
complete -c runc -n $r -l lsm-mount-context -x -d 'LSM mount context'
