# Shared helpers for the CLI tests. Source it from a test with
#   . "$(dirname "$0")/lib.sh"
# CTest sets ATTEST (the binary) and ATTEST_SOURCE_DIR (the repository root).
#
# Every check_* / expect_* helper counts one or more checks and never aborts
# the test on a failed assertion, so one run reports every failure; call
# `finish` at the end: it prints "N passed, M failed" and sets the exit status.

set -eu

: "${ATTEST:?set ATTEST to the attest binary}"
case $ATTEST in
/*) ;;
*) ATTEST=$(pwd)/$ATTEST ;;
esac
if [ ! -x "$ATTEST" ]; then
	echo "ATTEST=$ATTEST is not an executable" >&2
	exit 1
fi
ATTEST_SOURCE_DIR=${ATTEST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export ATTEST ATTEST_SOURCE_DIR

# Deterministic "now", and no workspace leaking in from the caller.
ATTEST_NOW=2026-06-30
export ATTEST_NOW
unset ATTEST_DIR || true
LC_ALL=C
export LC_ALL

TMP=$(mktemp -d "${TMPDIR:-/tmp}/attest-cli.XXXXXX")
# Physical path: the workspace discovery resolves symlinks.
TMP=$(cd "$TMP" && pwd -P)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

PASSED=0
FAILED=0
OUT=$TMP/.out
ERR=$TMP/.err
RC=0

pass() {
	PASSED=$((PASSED + 1))
}

fail() {
	FAILED=$((FAILED + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

# check DESCRIPTION cmd...: passes when cmd exits 0.
check() {
	_desc=$1
	shift
	if "$@"; then pass; else fail "$_desc"; fi
}

# run cmd...: runs cmd with stdout in $OUT, stderr in $ERR, status in $RC.
run() {
	RC=0
	"$@" >"$OUT" 2>"$ERR" || RC=$?
}

# at DIR: the attest binary on the workspace DIR.
at() {
	_dir=$1
	shift
	"$ATTEST" -C "$_dir" "$@"
}

show_output() {
	echo "    command: $*" >&2
	echo "    exit $RC; stderr:" >&2
	sed 's/^/      /' "$ERR" >&2
	echo "    stdout (first lines):" >&2
	head -n 5 "$OUT" | sed 's/^/      /' >&2
}

# expect_exit CODE cmd...: one check, the exit status.
expect_exit() {
	_code=$1
	shift
	run "$@"
	if [ "$RC" -eq "$_code" ]; then
		pass
	else
		fail "expected exit $_code from: $*"
		show_output "$@"
	fi
}

# expect_stderr_contains TEXT cmd...: one check, TEXT (a fixed string) is in
# the command's standard error.
expect_stderr_contains() {
	_text=$1
	shift
	run "$@"
	if grep -qF -- "$_text" "$ERR"; then
		pass
	else
		fail "stderr lacks '$_text' from: $*"
		show_output "$@"
	fi
}

# snapshot DIR: every file's sha256 and every directory, sorted, so that two
# snapshots are equal only if the tree is byte-for-byte the same.
snapshot() {
	(
		cd "$1"
		find . -type d | sort | sed 's/^/dir /'
		find . -type f | sort | while IFS= read -r f; do
			sha256sum "$f"
		done
	)
}

# expect_error WS CODE TEXT cmd...: cmd fails with exit CODE, its stderr
# contains TEXT, it prints nothing on stdout, an error (CODE 1) is one line
# starting "attest: ", and the workspace WS is byte-for-byte unchanged.
# Counts four checks (five when CODE is 1).
expect_error() {
	_ws=$1 _code=$2 _text=$3
	shift 3
	snapshot "$_ws" >"$TMP/.before"
	run "$@"
	snapshot "$_ws" >"$TMP/.after"
	_bad=0
	if [ "$RC" -eq "$_code" ]; then pass; else
		fail "expected exit $_code, got $RC: $*"
		_bad=1
	fi
	if grep -qF -- "$_text" "$ERR"; then pass; else
		fail "stderr lacks '$_text': $*"
		_bad=1
	fi
	if [ ! -s "$OUT" ]; then pass; else
		fail "stdout not empty on error: $*"
		_bad=1
	fi
	if [ "$_code" -eq 1 ]; then
		if [ "$(wc -l <"$ERR")" -eq 1 ] && grep -q '^attest: ' "$ERR"; then
			pass
		else
			fail "error is not one 'attest: ...' line: $*"
			_bad=1
		fi
	fi
	if cmp -s "$TMP/.before" "$TMP/.after"; then pass; else
		fail "workspace $_ws changed by failing command: $*"
		diff "$TMP/.before" "$TMP/.after" | sed 's/^/      /' >&2 || true
		_bad=1
	fi
	if [ "$_bad" -ne 0 ]; then show_output "$@"; fi
}

# expect_ok cmd...: one check, the command exits 0 (output in $OUT).
expect_ok() {
	run "$@"
	if [ "$RC" -eq 0 ]; then pass; else
		fail "expected success from: $*"
		show_output "$@"
	fi
}

# ok cmd...: a setup step that must succeed; aborts the test otherwise.
ok() {
	run "$@"
	if [ "$RC" -ne 0 ]; then
		fail "setup step failed: $*"
		show_output "$@"
		finish
	fi
}

# json_check DESCRIPTION FILE EXPR: one check, the Python expression EXPR is
# true with d bound to the JSON document in FILE.
json_check() {
	_desc=$1 _file=$2 _expr=$3
	if python3 - "$_file" "$_expr" <<'EOF'; then pass; else fail "$_desc"; fi
import json, sys
try:
    with open(sys.argv[1]) as f:
        d = json.load(f)
except Exception as e:
    print("    not JSON: %s" % e, file=sys.stderr)
    sys.exit(1)
try:
    ok = eval(sys.argv[2])
except Exception as e:
    print("    %s: %r" % (sys.argv[2], e), file=sys.stderr)
    sys.exit(1)
if not ok:
    print("    false: %s" % sys.argv[2], file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}

# json_get FILE EXPR: prints the value of EXPR (strings bare, others as JSON).
json_get() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))
EOF
}

# is_json FILE: exits 0 when FILE holds one valid JSON document.
is_json() {
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" \
		2>/dev/null
}

# new_ws DIR [init options]: a fresh workspace (default: security only).
new_ws() {
	_d=$1
	shift
	if [ $# -eq 0 ]; then set -- --org "Test Org"; fi
	ok "$ATTEST" init "$_d" "$@"
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	if [ "$FAILED" -eq 0 ]; then exit 0; fi
	exit 1
}
