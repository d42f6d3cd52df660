#!/bin/sh
# Workspaces: what init creates, and how commands find the workspace
# (-C DIR, $ATTEST_DIR, the current directory or a parent).
. "$(dirname "$0")/lib.sh"

WS=$TMP/acme
expect_ok "$ATTEST" init "$WS" --org "Acme Ltd" \
	--categories availability,confidentiality
check "init names the workspace" grep -qF "$WS" "$OUT"
check "init creates attest.db" [ -f "$WS/attest.db" ]
check "init creates attachments/" [ -d "$WS/attachments" ]
check "attachments/ starts empty" [ -z "$(ls -A "$WS/attachments")" ]
check "journal_mode is WAL" \
	[ "$(sqlite3 "$WS/attest.db" 'PRAGMA journal_mode')" = wal ]
check "user_version is at least 1" \
	[ "$(sqlite3 "$WS/attest.db" 'PRAGMA user_version')" -ge 1 ]
check "integrity_check is ok" \
	[ "$(sqlite3 "$WS/attest.db" 'PRAGMA integrity_check')" = ok ]
# The connection is closed cleanly: no WAL or shm file left behind.
check "no -wal file left after init" [ ! -e "$WS/attest.db-wal" ]
check "no -shm file left after init" [ ! -e "$WS/attest.db-shm" ]

# The organisation and the categories asked for were recorded.
expect_ok "$ATTEST" -C "$WS" status --json
json_check "status names the organisation" "$OUT" \
	'd["organization"] == "Acme Ltd"'
expect_ok "$ATTEST" -C "$WS" scope show --json
json_check "init --categories recorded, security always in" "$OUT" \
	'd["categories"] == ["security", "availability", "confidentiality"]'

# init with no DIR uses the current directory.
mkdir "$TMP/here"
(cd "$TMP/here" && "$ATTEST" init --org Here >/dev/null 2>&1) && RC=0 || RC=$?
check "init with no DIR exits 0" [ "$RC" -eq 0 ]
check "init with no DIR creates ./attest.db" [ -f "$TMP/here/attest.db" ]
# init creates a target directory that does not exist yet.
expect_ok "$ATTEST" init "$TMP/fresh" --org Fresh
check "init creates a missing target directory" [ -f "$TMP/fresh/attest.db" ]
# Default categories: security only.
expect_ok "$ATTEST" -C "$TMP/fresh" scope show --json
json_check "default scope is security only" "$OUT" \
	'd["categories"] == ["security"]'
# init onto a regular file fails.
: >"$TMP/plainfile"
expect_exit 1 "$ATTEST" init "$TMP/plainfile" --org X

# ---- discovery -------------------------------------------------------------
mkdir -p "$WS/sub/deeper"
(cd "$WS/sub/deeper" && "$ATTEST" status --json >"$OUT" 2>"$ERR") && RC=0 ||
	RC=$?
check "status from a subdirectory exits 0" [ "$RC" -eq 0 ]
json_check "status from a subdirectory finds the workspace" "$OUT" \
	'd["organization"] == "Acme Ltd"'
# A write from a subdirectory lands in the workspace, not in the subdir.
(cd "$WS/sub/deeper" && "$ATTEST" scope system web --name Web \
	>/dev/null 2>&1) && RC=0 || RC=$?
check "a write from a subdirectory exits 0" [ "$RC" -eq 0 ]
check "no stray database in the subdirectory" [ ! -e "$WS/sub/deeper/attest.db" ]
expect_ok "$ATTEST" -C "$WS" scope show --json
json_check "the write from a subdirectory is in the workspace" "$OUT" \
	'[s["id"] for s in d["systems"]] == ["web"]'
# From the workspace root itself.
(cd "$WS" && "$ATTEST" scope show --json >"$OUT" 2>/dev/null) && RC=0 || RC=$?
check "scope show from the workspace root exits 0" [ "$RC" -eq 0 ]
# The nearest workspace wins: a nested workspace shadows its parent.
expect_ok "$ATTEST" init "$WS/sub/inner" --org Inner
(cd "$WS/sub/inner" && "$ATTEST" status --json >"$OUT" 2>/dev/null) || true
json_check "the nearest parent workspace is used" "$OUT" \
	'd["organization"] == "Inner"'

# -C DIR from anywhere.
(cd / && "$ATTEST" -C "$WS" status --json >"$OUT" 2>"$ERR") && RC=0 || RC=$?
check "-C DIR exits 0" [ "$RC" -eq 0 ]
json_check "-C DIR opens that workspace" "$OUT" 'd["organization"] == "Acme Ltd"'
# -C with a relative path.
(cd "$TMP" && "$ATTEST" -C acme status --json >"$OUT" 2>"$ERR") && RC=0 ||
	RC=$?
check "-C with a relative DIR exits 0" [ "$RC" -eq 0 ]

# $ATTEST_DIR from anywhere.
(cd / && ATTEST_DIR=$WS "$ATTEST" status --json >"$OUT" 2>"$ERR") && RC=0 ||
	RC=$?
check "ATTEST_DIR exits 0" [ "$RC" -eq 0 ]
json_check "ATTEST_DIR opens that workspace" "$OUT" \
	'd["organization"] == "Acme Ltd"'
# -C wins over ATTEST_DIR, ATTEST_DIR wins over the current directory.
(cd / && ATTEST_DIR=$TMP/fresh "$ATTEST" -C "$WS" status --json \
	>"$OUT" 2>"$ERR") || true
json_check "-C takes precedence over ATTEST_DIR" "$OUT" \
	'd["organization"] == "Acme Ltd"'
(cd "$WS" && ATTEST_DIR=$TMP/fresh "$ATTEST" status --json \
	>"$OUT" 2>"$ERR") || true
json_check "ATTEST_DIR takes precedence over the current directory" "$OUT" \
	'd["organization"] == "Fresh"'

# ---- no workspace ----------------------------------------------------------
mkdir -p "$TMP/nowhere/deep"
(cd "$TMP/nowhere/deep" && "$ATTEST" status >"$OUT" 2>"$ERR") && RC=0 ||
	RC=$?
check "outside any workspace: exit 1" [ "$RC" -eq 1 ]
check "outside any workspace: one clear line" \
	[ "$(wc -l <"$ERR")" -eq 1 ]
check "outside any workspace: says so and how to fix it" \
	grep -q "not in an attest workspace.*attest init" "$ERR"
check "outside any workspace: no database created" \
	[ -z "$(find "$TMP/nowhere" -type f)" ]
(cd "$TMP/nowhere" && "$ATTEST" scope system web --name W \
	>"$OUT" 2>"$ERR") && RC=0 || RC=$?
check "a write outside any workspace: exit 1" [ "$RC" -eq 1 ]
check "a write outside any workspace creates nothing" \
	[ -z "$(find "$TMP/nowhere" -type f)" ]
expect_error "$TMP/nowhere" 1 "not an attest workspace" \
	"$ATTEST" -C "$TMP/nowhere" status
check "-C message names the directory" grep -qF "$TMP/nowhere" "$ERR"
(cd / && ATTEST_DIR=$TMP/nowhere "$ATTEST" control list >"$OUT" 2>"$ERR") &&
	RC=0 || RC=$?
check "ATTEST_DIR not a workspace: exit 1" [ "$RC" -eq 1 ]
check "ATTEST_DIR not a workspace: names it" grep -qF "$TMP/nowhere" "$ERR"
expect_exit 1 "$ATTEST" -C "$TMP/does-not-exist" status
check "-C to a missing directory creates nothing" [ ! -e "$TMP/does-not-exist" ]

# Commands that need no workspace work outside one.
(cd "$TMP/nowhere" && "$ATTEST" catalog check --builtin --json >"$OUT" \
	2>"$ERR") && RC=0 || RC=$?
check "catalog check --builtin needs no workspace" [ "$RC" -eq 0 ]
json_check "built-in catalog: 61 criteria, no problems" "$OUT" \
	'd["criteria"] == 61 and d["problems"] == 0 and d["controls"] > 0'

finish
