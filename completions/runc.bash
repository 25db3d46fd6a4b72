# bash completion for runc (the C runtime)                  -*- shell-script -*-
#
# Completes commands, every option of each command, option values that
# have a fixed set, files and directories, container IDs (from
# `runc list -q`, under the same --root as the command line) and signals.

_runc_global_opts="--debug --log --log-format --root --criu --systemd-cgroup --rootless --help -h --version -v"
_runc_commands="checkpoint create delete events exec kill list pause ps restore resume run spec start state update features doctor help h"

# Options that take a value (all commands and the global ones).
_runc_value_opts="--log --log-format --root --criu --rootless --bundle -b --console-socket --pidfd-socket --pid-file --preserve-fds --format -f --cwd --env -e --user -u --additional-gids -g --process -p --process-label --apparmor --cap -c --cgroup --interval --resources -r --blkio-weight --cpu-period --cpu-quota --cpu-burst --cpu-share --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems --cpu-idle --memory --memory-reservation --memory-swap --pids-limit --l3-cache-schema --mem-bw-schema --image-path --work-path --parent-path --status-fd --page-server --manage-cgroups-mode --empty-ns --lsm-profile --lsm-mount-context"

_runc_command_opts() {
	case "$1" in
		checkpoint) echo "--image-path --work-path --parent-path --leave-running --tcp-established --tcp-skip-in-flight --link-remap --ext-unix-sk --shell-job --lazy-pages --status-fd --page-server --file-locks --pre-dump --manage-cgroups-mode --empty-ns --auto-dedup --help -h" ;;
		create) echo "--bundle -b --console-socket --pidfd-socket --pid-file --no-pivot --no-new-keyring --preserve-fds --help -h" ;;
		delete) echo "--force -f --help -h" ;;
		events) echo "--interval --stats --help -h" ;;
		exec) echo "--console-socket --pidfd-socket --cwd --env -e --tty -t --user -u --additional-gids -g --process -p --detach -d --pid-file --process-label --apparmor --no-new-privs --cap -c --preserve-fds --cgroup --ignore-paused --help -h" ;;
		kill) echo "--help -h" ;;
		list) echo "--format -f --quiet -q --help -h" ;;
		pause) echo "--help -h" ;;
		ps) echo "--format -f --help -h" ;;
		restore) echo "--console-socket --image-path --work-path --tcp-established --ext-unix-sk --shell-job --file-locks --manage-cgroups-mode --bundle -b --detach -d --pid-file --no-subreaper --no-pivot --empty-ns --auto-dedup --lazy-pages --lsm-profile --lsm-mount-context --help -h" ;;
		resume) echo "--help -h" ;;
		run) echo "--bundle -b --console-socket --pidfd-socket --pid-file --no-pivot --no-new-keyring --preserve-fds --detach -d --keep --no-subreaper --help -h" ;;
		spec) echo "--bundle -b --rootless --help -h" ;;
		start) echo "--help -h" ;;
		state) echo "--help -h" ;;
		update) echo "--resources -r --blkio-weight --cpu-period --cpu-quota --cpu-burst --cpu-share --cpu-rt-period --cpu-rt-runtime --cpuset-cpus --cpuset-mems --cpu-idle --memory --memory-reservation --memory-swap --pids-limit --l3-cache-schema --mem-bw-schema --help -h" ;;
		features) echo "--help -h" ;;
		doctor) echo "--format -f --help -h" ;;
	esac
}

_runc_capabilities="CAP_AUDIT_CONTROL CAP_AUDIT_READ CAP_AUDIT_WRITE CAP_BLOCK_SUSPEND CAP_BPF CAP_CHECKPOINT_RESTORE CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_IPC_LOCK CAP_IPC_OWNER CAP_KILL CAP_LEASE CAP_LINUX_IMMUTABLE CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_MKNOD CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_RAW CAP_PERFMON CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_CHROOT CAP_SYS_MODULE CAP_SYS_NICE CAP_SYS_PACCT CAP_SYS_PTRACE CAP_SYS_RAWIO CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_SYSLOG CAP_WAKE_ALARM"

_runc_in_list() {
	local w
	for w in $2; do
		[ "$w" = "$1" ] && return 0
	done
	return 1
}

# Does option $1 of command $2 take a value?  (-f is --format for list, ps
# and doctor, but --force for delete.)
_runc_takes_value() {
	if [ "$1" = -f ]; then
		[ "$2" = list ] || [ "$2" = ps ] || [ "$2" = doctor ]
		return
	fi
	_runc_in_list "$1" "$_runc_value_opts"
}

# Container IDs under the state root the command line names.
_runc_ids() {
	"$_runc_bin" ${_runc_root:+--root "$_runc_root"} list -q 2>/dev/null
}

_runc_complete_value() {
	local opt=$1 cur=$2
	case "$opt" in
		--log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")) ;;
		--rootless) COMPREPLY=($(compgen -W "true false auto" -- "$cur")) ;;
		--format|-f)
			if [ "$_runc_cmd" = doctor ]; then
				COMPREPLY=($(compgen -W "text json" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "table json" -- "$cur"))
			fi ;;
		--manage-cgroups-mode) COMPREPLY=($(compgen -W "soft full strict ignore" -- "$cur")) ;;
		--empty-ns) COMPREPLY=($(compgen -W "network" -- "$cur")) ;;
		--cpu-idle) COMPREPLY=($(compgen -W "0 1" -- "$cur")) ;;
		--cap|-c) COMPREPLY=($(compgen -W "$_runc_capabilities" -- "$cur")) ;;
		--root|--bundle|-b|--image-path|--work-path|--parent-path|--cwd)
			COMPREPLY=($(compgen -d -- "$cur")) ;;
		--criu) COMPREPLY=($(compgen -c -- "$cur")) ;;
		--log|--console-socket|--pidfd-socket|--pid-file|--process|-p|--resources|-r)
			COMPREPLY=($(compgen -f -- "$cur")) ;;
		*) COMPREPLY=() ;;
	esac
}

_runc() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i=1 w cmd= cmd_at=0 npos=0
	_runc_bin=${COMP_WORDS[0]}
	_runc_root=
	_runc_cmd=

	# Global options up to the command name.
	while [ $i -lt $COMP_CWORD ]; do
		w=${COMP_WORDS[i]}
		case "$w" in
			--root|-root)
				_runc_root=${COMP_WORDS[i + 1]}
				i=$((i + 2))
				continue ;;
			--root=*|-root=*) _runc_root=${w#*=} ;;
			-*)
				if _runc_in_list "$w" "$_runc_value_opts"; then
					i=$((i + 1))
				fi ;;
			*) cmd=$w; _runc_cmd=$w; cmd_at=$i; break ;;
		esac
		i=$((i + 1))
	done

	if [ -z "$cmd" ]; then
		if _runc_in_list "$prev" "--log --log-format --root --criu --rootless"; then
			_runc_complete_value "$prev" "$cur"
		elif [[ "$cur" == -* ]]; then
			COMPREPLY=($(compgen -W "$_runc_global_opts" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_runc_commands" -- "$cur"))
		fi
		return
	fi

	# Positionals of the command so far (values of options excluded).
	i=$((cmd_at + 1))
	while [ $i -lt $COMP_CWORD ]; do
		w=${COMP_WORDS[i]}
		if [[ "$w" == -* ]]; then
			_runc_takes_value "$w" "$cmd" && i=$((i + 1))
		else
			npos=$((npos + 1))
		fi
		i=$((i + 1))
	done

	case "$cmd" in
		exec|ps)
			# After the ID everything belongs to the process (or to ps).
			if [ $npos -ge 1 ]; then
				[ "$cmd" = exec ] && [ $npos -eq 1 ] && COMPREPLY=($(compgen -c -- "$cur"))
				return
			fi ;;
	esac

	if [[ "$prev" == -* ]] && _runc_takes_value "$prev" "$cmd"; then
		_runc_complete_value "$prev" "$cur"
		return
	fi
	if [[ "$cur" == -* ]]; then
		COMPREPLY=($(compgen -W "$(_runc_command_opts "$cmd")" -- "$cur"))
		return
	fi

	case "$cmd" in
		help|h)
			[ $npos -eq 0 ] && COMPREPLY=($(compgen -W "$_runc_commands" -- "$cur")) ;;
		kill)
			if [ $npos -eq 0 ]; then
				COMPREPLY=($(compgen -W "$(_runc_ids)" -- "$cur"))
			elif [ $npos -eq 1 ]; then
				# Signal names with and without the SIG prefix (bash's
				# list also has pseudo-signals like EXIT: left out).
				local sigs
				sigs=$(compgen -A signal | grep '^SIG')
				COMPREPLY=($(compgen -W "$sigs ${sigs//SIG/}" -- "$cur"))
			fi ;;
		delete|events|exec|pause|ps|resume|start|state|update|checkpoint)
			[ $npos -eq 0 ] && COMPREPLY=($(compgen -W "$(_runc_ids)" -- "$cur")) ;;
		*)
			# create, run and restore take a new ID; list, spec,
			# features and doctor take no argument.
			COMPREPLY=() ;;
	esac
}

complete -F _runc runc
