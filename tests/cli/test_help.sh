#!/bin/sh
# Help: every command in 'attest --help' has a manual with NAME, SYNOPSIS,
# DESCRIPTION and OPTIONS; every listing command prints valid JSON with
# --json.
. "$(dirname "$0")/lib.sh"

# Help needs no workspace: run it from an empty directory.
mkdir "$TMP/nowhere"
cd "$TMP/nowhere" || exit 1

expect_ok "$ATTEST" --help
cp "$OUT" "$TMP/overview"
check "overview has a usage line" grep -q "^usage: attest " "$TMP/overview"
expect_ok "$ATTEST" -h
check "-h is --help" cmp -s "$OUT" "$TMP/overview"
expect_ok "$ATTEST" help
check "'attest help' is --help" cmp -s "$OUT" "$TMP/overview"
expect_ok "$ATTEST" --version
check "--version prints a version" grep -qE '^attest [0-9]+\.[0-9]+' "$OUT"
# No command at all is a usage error, with the overview on stderr.
expect_exit 2 "$ATTEST"
check "no command: the overview goes to stderr" grep -q "^Commands:" "$ERR"
check "no command: nothing on stdout" [ ! -s "$OUT" ]

# The command names: the indented lines under "Commands:", name then two or
# more spaces then the summary.
sed -n '/^Commands:/,/^$/p' "$TMP/overview" | sed -n 's/^  \([a-z][a-z -]*[a-z]\)  *  .*/\1/p' \
	>"$TMP/commands"
check "the overview lists the commands" [ "$(wc -l <"$TMP/commands")" -ge 20 ]
for want in init status gaps "scope show" "scope exclude" "criteria list" \
	"control set" "control add" "evidence add" "evidence list" \
	"catalog check" "ledger status" "ledger key" "ledger verify" "verify"; do
	check "overview lists '$want'" grep -qx "$want" "$TMP/commands"
done

while IFS= read -r cmd; do
	# shellcheck disable=SC2086 # "scope show" is two arguments
	run "$ATTEST" $cmd --help
	check "'$cmd --help' exits 0" [ "$RC" -eq 0 ]
	check "'$cmd --help' writes nothing on stderr" [ ! -s "$ERR" ]
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS; do
		check "'$cmd --help' has $section" grep -qx "$section" "$OUT"
	done
	check "'$cmd --help' NAME names the command" \
		grep -qF "attest $cmd - " "$OUT"
	check "'$cmd --help' SYNOPSIS shows the command" \
		grep -qF "attest [-C DIR] $cmd" "$OUT"
	check "'$cmd --help' documents --help" grep -q "^ *-h, --help" "$OUT"
	cp "$OUT" "$TMP/help"
	# shellcheck disable=SC2046,SC2086
	run "$ATTEST" help $cmd
	check "'attest help $cmd' is '$cmd --help'" cmp -s "$OUT" "$TMP/help"
	# shellcheck disable=SC2046,SC2086
	run "$ATTEST" $cmd -h
	check "'$cmd -h' is '$cmd --help'" cmp -s "$OUT" "$TMP/help"
	# Record the commands that document --json.
	if grep -q "^ *--json" "$TMP/help"; then echo "$cmd"; fi >>"$TMP/json-commands"
done <"$TMP/commands"

# Every listing command documents --json.
for want in status gaps "scope show" "criteria list" "criteria show" \
	"control list" "control show" "evidence list" "evidence show" \
	"catalog check" "ledger status" "ledger key" "ledger verify" "verify"; do
	check "'$want' documents --json" grep -qx "$want" "$TMP/json-commands"
done

# ---- every --json command prints valid JSON --------------------------------
WS=$TMP/ws
new_ws "$WS" --org "Help Co" --categories availability
printf 'x\n' >"$TMP/x.txt"
ok at "$WS" evidence add --control GOV-01 "$TMP/x.txt"
ok at "$WS" scope system web --name Web
ok at "$WS" scope cuec "Customers review access"
ok at "$WS" scope exclude GOV-02 --reason r --owner o --expires 2026-07-10
ok at "$WS" export bundle --period 2026-01-01..2026-12-31 "$TMP/bundle"
args_for() {
	case $1 in
	"ledger purge") echo --before 2026-01-01 --policy p ;;
	"verify") echo "$TMP/bundle" --log-key "$TMP/bundle/log.vkey" ;;
	"criteria show") echo CC1.1 ;;
	"control show") echo GOV-01 ;;
	"evidence show") echo 1 ;;
	*) echo "" ;;
	esac
}
while IFS= read -r cmd; do
	# shellcheck disable=SC2046,SC2086
	run "$ATTEST" -C "$WS" $cmd $(args_for "$cmd") --json
	# Verification exits 3 (verified with warnings) on an unanchored log.
	want=0
	case $cmd in *verify) want=3 ;; esac
	check "'$cmd --json' exits $want" [ "$RC" -eq "$want" ]
	check "'$cmd --json' prints valid JSON" is_json "$OUT"
	check "'$cmd --json' is not empty" [ -s "$OUT" ]
done <"$TMP/json-commands"
# The listings are lists; the others are objects.
for cmd in "criteria list" "control list" "evidence list"; do
	# shellcheck disable=SC2046,SC2086
	at "$WS" $cmd --json >"$TMP/l.json"
	json_check "'$cmd --json' is a non-empty array" "$TMP/l.json" \
		'isinstance(d, list) and len(d) > 0'
done
for cmd in status gaps "scope show" "catalog check"; do
	# shellcheck disable=SC2046,SC2086
	at "$WS" $cmd --json >"$TMP/o.json"
	json_check "'$cmd --json' is an object" "$TMP/o.json" 'isinstance(d, dict)'
done
# JSON output is the same with the option anywhere among the arguments.
at "$WS" control show --json GOV-01 >"$TMP/a.json"
at "$WS" control show GOV-01 --json >"$TMP/b.json"
check "--json before or after the id" cmp -s "$TMP/a.json" "$TMP/b.json"
# An empty listing is an empty array, not nothing.
at "$WS" evidence list --control GOV-03 --json >"$TMP/empty.json"
json_check "an empty listing is []" "$TMP/empty.json" 'd == []'
at "$WS" control list --status implemented --json >"$TMP/empty.json"
json_check "an empty filtered control list is []" "$TMP/empty.json" 'd == []'

# Help for a group without a subcommand is a usage error listing the
# subcommands.
expect_exit 2 "$ATTEST" control
check "'attest control' lists its subcommands" \
	grep -q "attest control set" "$ERR"
expect_exit 2 "$ATTEST" help nosuchcommand

finish
