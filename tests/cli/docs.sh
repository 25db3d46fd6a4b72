#!/bin/sh
# The man pages and shell completions against the binary: every command
# and every option that `runc CMD --help` shows must be documented in
# docs/runc-CMD.8 and completed by the bash, zsh and fish scripts; the man
# pages must render without groff warnings; the scripts must parse.
# Bash and fish completions are exercised for real; zsh is checked
# statically (driving its completion system needs a terminal).  TAP.
set -u

RUNC=${RUNC_BINARY:-$(cd "$(dirname "$0")/../.." && pwd)/runc}
SRC=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DOCS=$SRC/docs
COMP=$SRC/completions

. "$(dirname "$0")/tap.sh"

if [ ! -x "$RUNC" ]; then
	echo "1..0 # SKIP $RUNC not built"
	exit 0
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# Option names in a help text: "   --bundle value, -b value   usage".
options_of() {
	awk '/^   -/ { for (i = 1; i <= NF; i++) { f = $i; sub(/,$/, "", f)
		if (f == "value") continue; if (f ~ /^-/) print f; else break } }'
}

# Bash: what completing "runc ARGS... CUR" offers.
bash_complete() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _runc
		printf "%s\n" "${COMPREPLY[@]}"' sh "$COMP/runc.bash" "$@" 2>/dev/null
}

have_fish=0
command -v fish >/dev/null 2>&1 && have_fish=1
fish_complete() {
	fish -c "source '$COMP/runc.fish'; complete -C '$*'" 2>/dev/null | cut -f1
}

commands=$("$RUNC" --help | sed -n '/^COMMANDS:/,/^$/s/^   \([a-z]*\).*/\1/p')

# ---- syntax -------------------------------------------------------------------------
bash -n "$COMP/runc.bash"
result $? "bash accepts completions/runc.bash"
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$COMP/_runc"
	result $? "zsh accepts completions/_runc"
else
	result 0 "zsh accepts completions/_runc" "SKIP zsh not installed"
fi
if [ $have_fish = 1 ]; then
	fish -n "$COMP/runc.fish"
	result $? "fish accepts completions/runc.fish"
else
	result 0 "fish accepts completions/runc.fish" "SKIP fish not installed"
fi

# ---- man pages render cleanly -------------------------------------------------------
for page in "$DOCS"/*.8; do
	if command -v groff >/dev/null 2>&1; then
		warnings=$(groff -man -Tutf8 -ww "$page" 2>&1 >/dev/null)
		[ -z "$warnings" ]
		result $? "$(basename "$page") renders without warnings${warnings:+: $warnings}"
	else
		result 0 "$(basename "$page") renders" "SKIP groff not installed"
	fi
done

# ---- commands -------------------------------------------------------------------------
bash_complete runc "" >"$T/bash.cmds"
[ $have_fish = 1 ] && fish_complete "runc " >"$T/fish.cmds"
for c in $commands; do
	[ "$c" = help ] && continue
	status=0
	[ -f "$DOCS/runc-$c.8" ] || status=1
	grep -q "^\.B $c\$" "$DOCS/runc.8" || status=1
	result $status "$c has a man page and is listed in runc.8"
	grep -qx "$c" "$T/bash.cmds"
	result $? "bash completes the command $c"
	grep -q "^    '$c:" "$COMP/_runc" && grep -q "^_runc_$c() {" "$COMP/_runc"
	result $? "zsh completes the command $c and its arguments"
	if [ $have_fish = 1 ]; then
		grep -qx "$c" "$T/fish.cmds"
		result $? "fish completes the command $c"
	fi
done

# ---- global options -------------------------------------------------------------------
"$RUNC" --help | sed -n '/^GLOBAL OPTIONS:/,$p' | options_of >"$T/global"
bash_complete runc - >"$T/bash.opts"
[ $have_fish = 1 ] && fish_complete "runc -" >"$T/fish.opts"
for o in $(cat "$T/global"); do
	esc=$(echo "$o" | sed 's/-/\\\\-/g')
	grep -q "^\.B.* $esc\b\|^\.BR $esc\b\|^\.BI $esc\b\|^\.B $esc\$" "$DOCS/runc.8"
	result $? "runc.8 documents $o"
	grep -qx -- "$o" "$T/bash.opts"
	result $? "bash completes the global option $o"
	case $o in
	--*) grep -q -- "'$o\[\|{$o,\|,$o}" "$COMP/_runc" ;;
	*) grep -q -- ",$o}\|{$o," "$COMP/_runc" ;;
	esac
	result $? "zsh completes the global option $o"
	if [ $have_fish = 1 ]; then
		grep -qx -- "$o" "$T/fish.opts"
		result $? "fish completes the global option $o"
	fi
done

# ---- options of each command ----------------------------------------------------------
for c in $commands; do
	[ "$c" = help ] && continue
	"$RUNC" "$c" --help | sed -n '/^OPTIONS:/,$p' | options_of >"$T/opts"
	# -h/--help is implicit in every command.
	printf '%s\n' --help -h >>"$T/opts"
	bash_complete runc "$c" - >"$T/bash.opts"
	[ $have_fish = 1 ] && fish_complete "runc $c -" >"$T/fish.opts"
	# The zsh spec of this command: its function, plus the options create
	# and run share.
	sed -n "/^_runc_$c() {/,/^}/p" "$COMP/_runc" >"$T/zsh.fn"
	case $c in create | run) sed -n '/^__runc_create_opts=(/,/^)/p' "$COMP/_runc" >>"$T/zsh.fn" ;; esac
	missing_man= missing_bash= missing_zsh= missing_fish=
	for o in $(cat "$T/opts"); do
		esc=$(echo "$o" | sed 's/-/\\\\-/g')
		case $o in --help | -h) ;; *)
			grep -q "^\.B[IR]* $esc\b\|^\.B[IR]* .*\", \" $esc\b" "$DOCS/runc-$c.8" ||
				missing_man="$missing_man $o" ;;
		esac
		grep -qx -- "$o" "$T/bash.opts" || missing_bash="$missing_bash $o"
		case $o in
		--*) grep -q -- "'$o\[\|{$o,\|,$o}\|'\*$o\[" "$T/zsh.fn" ;;
		*) grep -q -- ",$o}\|{$o," "$T/zsh.fn" ;;
		esac || missing_zsh="$missing_zsh $o"
		if [ $have_fish = 1 ]; then
			grep -qx -- "$o" "$T/fish.opts" || missing_fish="$missing_fish $o"
		fi
	done
	[ -z "$missing_man" ]
	result $? "runc-$c.8 documents every option of $c${missing_man:+ (missing:$missing_man)}"
	[ -z "$missing_bash" ]
	result $? "bash completes every option of $c${missing_bash:+ (missing:$missing_bash)}"
	[ -z "$missing_zsh" ]
	result $? "zsh completes every option of $c${missing_zsh:+ (missing:$missing_zsh)}"
	if [ $have_fish = 1 ]; then
		[ -z "$missing_fish" ]
		result $? "fish completes every option of $c${missing_fish:+ (missing:$missing_fish)}"
	fi
done

# ---- container IDs come from `runc list -q` under the given --root ----------------------
mkdir -p "$T/bin"
cat >"$T/bin/runc" <<EOF
#!/bin/sh
echo "\$*" >>"$T/calls"
printf 'alpha\nbeta\n'
EOF
chmod +x "$T/bin/runc"
PATH=$T/bin:$PATH bash_complete runc --root /x/state kill "" >"$T/ids"
grep -qx alpha "$T/ids" && grep -qx beta "$T/ids" && grep -qx -- "--root /x/state list -q" "$T/calls"
result $? "bash completes container IDs from runc --root ... list -q"
if [ $have_fish = 1 ]; then
	rm -f "$T/calls"
	PATH=$T/bin:$PATH fish_complete "runc --root /x/state delete -f " >"$T/ids"
	grep -qx alpha "$T/ids" && grep -qx -- "--root /x/state list -q" "$T/calls"
	result $? "fish completes container IDs from runc --root ... list -q"
fi

echo "1..$n"
