# Shared by the TAP scripts in tests/cli: result STATUS DESCRIPTION [DIRECTIVE]
n=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2${3:+ # $3}"
	else
		echo "not ok $n - $2${3:+ # $3}"
	fi
}
