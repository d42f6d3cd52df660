#!/bin/sh
# The evidence ledger end to end: keys, status, checkpoints, the audit
# trail, proofs, redaction, legal hold, retention, bundles, and tampering
# with the database and with a bundle, each caught with the right
# diagnosis (docs/ledger.md).
. "$(dirname "$0")/lib.sh"

WS=$TMP/ws
new_ws "$WS" --org "Ledger Test, Inc."
J=$TMP/j.json
FILE=$TMP/evidence.txt
echo "quarterly access review signed off" >"$FILE"

# ---- key and first entry --------------------------------------------------
check "init creates ledger.key with mode 0600" \
	[ "$(stat -c %a "$WS/ledger.key")" = 600 ]
expect_ok at "$WS" ledger key
VKEY=$(cat "$OUT")
check "the verifier key names the organisation's log" \
	sh -c "echo '$VKEY' | grep -q '^attest.local/ledger-test-inc+[0-9a-f]\{8\}+'"
expect_ok at "$WS" ledger status --json
cp "$OUT" "$J"
json_check "a new ledger holds the key event" "$J" \
	'd["size"] == 1 and d["entries"]["key_event"] == 1 and d["checkpoint_size"] == 1'
expect_error "$WS" 1 "readable by its owner only" sh -c \
	"chmod 644 '$WS/ledger.key' && '$ATTEST' -C '$WS' evidence add -c IAM-01 '$FILE'; rc=\$?; chmod 600 '$WS/ledger.key'; exit \$rc"

# ---- evidence and the audit trail -----------------------------------------
for i in 1 2 3 4; do
	ok at "$WS" evidence add -c IAM-01 -c IAM-02 --note "review $i" \
		--subject "alice@example.com" "$FILE"
done
ok at "$WS" control set IAM-01 --status implemented --owner alice
expect_ok at "$WS" ledger status --json
cp "$OUT" "$J"
json_check "evidence and the change are entries" "$J" \
	'd["size"] == 6 and d["entries"]["evidence"] == 4 and d["entries"]["change"] == 1 and d["checkpoints"] == 6'
expect_ok at "$WS" evidence show 1 --json
cp "$OUT" "$J"
json_check "an evidence record names its ledger entry" "$J" \
	'd["ledger_index"] == 1 and d["redacted_by"] is None'
expect_exit 3 at "$WS" ledger verify
check "an unanchored log verifies with a warning" \
	grep -q "unanchored_tail" "$OUT"

# ---- anchoring ----------------------------------------------------------
expect_ok at "$WS" ledger export-checkpoint -o "$TMP/anchor.cp"
check "the exported checkpoint is a signed note of size 6" \
	sh -c "sed -n 2p '$TMP/anchor.cp' | grep -qx 6 && grep -q '^— attest.local/ledger-test-inc ' '$TMP/anchor.cp'"
cp -r "$WS" "$TMP/backup-at-7" # the log as it was: 7 entries with the receipt
ok at "$WS" evidence add -c IAM-01 --note "after the anchor" "$FILE"
ok at "$WS" ledger checkpoint -o "$TMP/latest.cp"
cp -r "$WS" "$TMP/clean" # 8 entries, nothing redacted: the tamper cases' base
expect_exit 0 at "$WS" ledger verify --trusted "$TMP/latest.cp@2026-06-30T00:00Z"
expect_exit 3 at "$WS" ledger verify --trusted "$TMP/anchor.cp@2026-06-30T00:00Z"

# ---- proofs -------------------------------------------------------------
expect_ok at "$WS" ledger prove 2 -o "$TMP/2.tlog-proof"
check "the proof is a C2SP tlog-proof" \
	sh -c "head -1 '$TMP/2.tlog-proof' | grep -qx 'c2sp.org/tlog-proof@v1'"
expect_exit 0 "$ATTEST" verify "$TMP/2.tlog-proof" --log-key "$VKEY"
sed 's/^index 2$/index 3/' "$TMP/2.tlog-proof" >"$TMP/bad.tlog-proof"
expect_exit 1 "$ATTEST" verify "$TMP/bad.tlog-proof" --log-key "$VKEY"
expect_ok at "$WS" ledger consistency 6 8 -o "$TMP/6-8.proof"
ok at "$WS" ledger checkpoint --size 6 -o "$TMP/6.cp"
ok at "$WS" ledger checkpoint --size 8 -o "$TMP/8.cp"
expect_exit 0 "$ATTEST" verify "$TMP/6-8.proof" --log-key "$VKEY" \
	--old "$TMP/6.cp" --new "$TMP/8.cp"
expect_exit 1 "$ATTEST" verify "$TMP/6-8.proof" --log-key "$VKEY" \
	--old "$TMP/6.cp" --new "$TMP/6.cp"
expect_exit 2 "$ATTEST" verify "$TMP/2.tlog-proof"

# ---- redaction, legal hold, retention ------------------------------------
ok at "$WS" evidence hold 3 --reason "litigation 2026-14"
expect_exit 1 at "$WS" evidence redact 3 --reason gdpr_erasure
check "a redaction under legal hold is refused" grep -q "legal hold" "$ERR"
expect_ok at "$WS" ledger status --json
cp "$OUT" "$J"
json_check "the refusal is logged" "$J" 'd["entries"]["annotation"] == 1'
expect_error "$WS" 1 "not one of" at "$WS" evidence redact 2 --reason because
expect_ok at "$WS" evidence redact 2 --reason gdpr_erasure --request DSR-7
expect_ok at "$WS" evidence show 2 --json
cp "$OUT" "$J"
json_check "the redacted record lost its personal fields" "$J" \
	'd["subject"] is None and d["note"] is None and d["redacted_by"] is not None'
expect_exit 3 at "$WS" ledger verify
check "verify reports the redaction, not a deletion" \
	sh -c "grep -q 'redacted' '$OUT' && ! grep -q unauthorised '$OUT'"
expect_ok at "$WS" ledger purge --before 2026-07-01 --policy evidence-1y --json
cp "$OUT" "$J"
json_check "the purge clears all but the held entry" "$J" \
	'd["cleared"] > 0 and d["kept_on_hold"] == 1'
ok at "$WS" evidence release 3
expect_exit 3 at "$WS" ledger verify
check "after the purge nothing is an unauthorised deletion" \
	sh -c "! grep -q TAMPER '$OUT'"

# ---- key rotation ---------------------------------------------------------
expect_ok at "$WS" ledger key --rotate
NEWKEY=$(cat "$OUT")
check "rotation gives a new key" [ "$NEWKEY" != "$VKEY" ]
ok at "$WS" evidence add -c IAM-01 --note "under the new key" "$FILE"
expect_exit 3 at "$WS" ledger verify
expect_exit 3 at "$WS" ledger verify --log-key "$VKEY"
ok at "$WS" ledger export-checkpoint -o "$TMP/after-rotation.cp"
expect_exit 3 at "$WS" ledger verify --log-key "$VKEY" \
	--trusted "$TMP/after-rotation.cp@2026-06-30"
check "a checkpoint signed by the rotated key anchors for the old key's holder" \
	sh -c "! grep -q TAMPER '$OUT'"

# ---- the auditor bundle ---------------------------------------------------
expect_ok at "$WS" export bundle --period 2026-01-01..2026-12-31 --proof 1 \
	"$TMP/bundle"
check "the bundle has the designed layout" sh -c \
	"cd '$TMP/bundle' && [ -f MANIFEST ] && [ -f log.vkey ] && [ -f checkpoint ] && [ -d checkpoints ] && [ -d tile/entries ] && [ -d payload ] && [ -f proofs/1.tlog-proof ]"
expect_exit 3 "$ATTEST" verify "$TMP/bundle" --log-key "$VKEY"
expect_exit 3 "$ATTEST" verify "$TMP/bundle" --log-key "$NEWKEY" --json
cp "$OUT" "$J"
json_check "bundle report is JSON with no tamper finding" "$J" \
	'd["status"] == "warnings" and not [f for f in d["findings"] if f["severity"] == "tamper"]'
OTHER=$(cd "$TMP" && "$ATTEST" init other --org Other >/dev/null && "$ATTEST" -C other ledger key)
expect_exit 1 "$ATTEST" verify "$TMP/bundle" --log-key "$OTHER"
cp -r "$TMP/bundle" "$TMP/bundle2"
f=$(find "$TMP/bundle2/payload" -type f | head -1)
printf 'X' | dd of="$f" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_exit 1 "$ATTEST" verify "$TMP/bundle2" --log-key "$VKEY"
check "an altered bundle file is named" grep -q "file_mismatch.*payload/" "$OUT"
expect_exit 2 "$ATTEST" verify "$TMP/no-such-bundle" --log-key "$VKEY"
expect_exit 0 "$ATTEST" verify "$TMP/bundle/proofs/1.tlog-proof" --log-key "$NEWKEY"
check "the export does not suggest the bundle's own key" \
	sh -c "! grep -q 'log.vkey' '$OUT'"

# A period whose entries are not contiguous in the log: every payload in the
# exported range goes out, so an honest export verifies.
P=$TMP/period
ok env ATTEST_NOW=2026-01-01 "$ATTEST" init "$P" --org Period
ok env ATTEST_NOW=2026-01-10 "$ATTEST" -C "$P" evidence add -c IAM-01 "$FILE"
ok env ATTEST_NOW=2026-03-10 "$ATTEST" -C "$P" evidence add -c IAM-01 "$FILE"
ok env ATTEST_NOW=2026-03-12 "$ATTEST" -C "$P" evidence add -c IAM-01 \
	--effective 2026-01-20 "$FILE"
ok at "$P" export bundle --period 2026-01-01..2026-01-31 "$TMP/period-bundle"
expect_exit 3 "$ATTEST" verify "$TMP/period-bundle" --log-key "$(at "$P" ledger key)"
check "an honest period export has no tamper finding" sh -c "! grep -q TAMPER '$OUT'"

# ---- tampering with the database ------------------------------------------
# Each case works on a copy; the attacker drops the guard triggers first.
tamper() {
	rm -rf "$TMP/t"
	cp -r "$TMP/clean" "$TMP/t"
	sqlite3 "$TMP/t/attest.db" \
		"DROP TRIGGER ledger_entry_no_delete; DROP TRIGGER ledger_entry_no_rewrite; $1"
	run "$ATTEST" -C "$TMP/t" ledger verify
}
# expect_finding DESC CODE INDEX: verify exited 1 and reported CODE @INDEX.
expect_finding() {
	if [ "$RC" -eq 1 ] && grep -q "^TAMPER *$2 *@$3 " "$OUT"; then pass; else
		fail "$1: expected $2 @$3"
		show_output ledger verify
	fi
}
tamper "UPDATE ledger_entry SET payload = CAST(replace(CAST(payload AS TEXT), 'review 4', 'review 5') AS BLOB) WHERE idx = 4"
expect_finding "payload byte changed" payload_mismatch 4
tamper "UPDATE ledger_entry SET leaf = CAST(substr(leaf, 1, 30) || X'01' || substr(leaf, 32) AS BLOB) WHERE idx = 5"
expect_finding "leaf changed" root_mismatch 6
tamper "DELETE FROM ledger_entry WHERE idx = 4"
expect_finding "row deleted" entry_missing 4
tamper "INSERT INTO ledger_entry(idx, leaf, payload, salt) SELECT (SELECT max(idx) + 1 FROM ledger_entry), leaf, payload, salt FROM ledger_entry WHERE idx = 4"
expect_finding "row inserted" index_mismatch "$(sqlite3 "$TMP/t/attest.db" 'SELECT max(idx) FROM ledger_entry')"
tamper "UPDATE ledger_entry SET idx = -1 WHERE idx = 4; UPDATE ledger_entry SET idx = 4 WHERE idx = 5; UPDATE ledger_entry SET idx = 5 WHERE idx = -1"
expect_finding "rows swapped (first)" index_mismatch 4
expect_finding "rows swapped (second)" index_mismatch 5
tamper "UPDATE ledger_entry SET payload = NULL, salt = NULL WHERE idx = 6"
expect_finding "payload removed without a redaction" unauthorised_deletion 6
tamper "UPDATE ledger_checkpoint SET note = replace(note, substr(note, length(note) - 8, 4), 'AAAA') WHERE size = 6"
expect_finding "checkpoint signature altered" signature_invalid 6
tamper "UPDATE evidence SET verdict = 'pass' WHERE id = 4"
expect_finding "evidence row edited around the ledger" evidence_mismatch 4
tamper "INSERT INTO evidence(kind, source, verdict, collected_at, effective_at) VALUES('upload', 'x', 'pass', 0, 0)"
check "evidence row inserted around the ledger" \
	sh -c "[ $RC -eq 1 ] && grep -q evidence_unlogged '$OUT'"
# Roll the database back to a backup taken before the anchor was extended:
# every checkpoint in it is validly signed, but the auditor holds size 8.
run "$ATTEST" -C "$TMP/backup-at-7" ledger verify --trusted "$TMP/8.cp"
check "truncated log re-signed with the same key" \
	sh -c "[ $RC -eq 1 ] && grep -q '^TAMPER *truncated' '$OUT'"
ok at "$TMP/backup-at-7" evidence add -c IAM-02 --note "rewritten history" "$FILE"
run "$ATTEST" -C "$TMP/backup-at-7" ledger verify --trusted "$TMP/8.cp"
check "a rewritten tail is a fork" \
	sh -c "[ $RC -eq 1 ] && grep -q '^TAMPER *fork' '$OUT'"
ok at "$TMP/backup-at-7" export bundle --period 2026-01-01..2026-12-31 "$TMP/forked"
run "$ATTEST" verify "$TMP/forked" --log-key "$VKEY" --trusted "$TMP/8.cp"
check "the offline verifier sees the fork too" \
	sh -c "[ $RC -eq 1 ] && grep -q '^TAMPER *fork' '$OUT'"
# A damaged tree is refused before anything is appended.
rm -rf "$TMP/t" && cp -r "$TMP/clean" "$TMP/t"
sqlite3 "$TMP/t/attest.db" "DROP TRIGGER ledger_entry_no_rewrite; UPDATE ledger_entry SET leaf = CAST(substr(leaf, 1, 30) || X'01' || substr(leaf, 32) AS BLOB) WHERE idx = 5"
expect_error "$TMP/t" 1 "does not match the last signed checkpoint" \
	at "$TMP/t" evidence add -c IAM-01 "$FILE"

# ---- bad input: a clear error, nothing changed ---------------------------
expect_error "$WS" 1 "not a ledger index" at "$WS" ledger prove 12x
expect_error "$WS" 1 "not under the checkpoint" at "$WS" ledger prove 100000
expect_error "$WS" 2 "OLD and NEW" at "$WS" ledger consistency 8 x
expect_error "$WS" 1 "0 < OLD <= NEW" at "$WS" ledger consistency 8 6
expect_error "$WS" 1 "no checkpoint of size 7777" at "$WS" ledger checkpoint --size 7777
expect_error "$WS" 1 "--before" at "$WS" ledger purge --before someday --policy p
expect_error "$WS" 1 "no ledger entry 99999" at "$WS" evidence redact 99999 --reason gdpr_erasure
expect_error "$WS" 1 "already redacted" at "$WS" evidence redact 2 --reason gdpr_erasure
expect_error "$WS" 1 "not on legal hold" at "$WS" evidence release 4
expect_error "$WS" 1 "only evidence, change and annotation" at "$WS" evidence redact 0 --reason legal_order
expect_error "$WS" 1 "already has a ledger key" at "$WS" ledger key --origin x
expect_error "$WS" 2 "not a date" "$ATTEST" verify "$TMP/bundle" --log-key "$VKEY" --trusted "$TMP/nothing@yesterday"

# ---- time: a back-filled record is visible -----------------------------
L=$TMP/late
new_ws "$L" --org Late
ok at "$L" ledger export-checkpoint -o "$TMP/late.cp"
ok at "$L" evidence add -c IAM-01 --effective 2026-01-15 --note "back-filled" "$FILE"
run "$ATTEST" -C "$L" ledger verify --trusted "$TMP/late.cp@2026-06-30" --json
cp "$OUT" "$J"
json_check "an entry observed long before its anchored window is late_logged" "$J" \
	'any(f["code"] == "late_logged" and f["index"] == 2 for f in d["findings"]) and d["status"] == "warnings"'
json_check "the report gives the anchored time window" "$J" \
	'any(f["code"] == "time_window" for f in d["findings"])'
run env ATTEST_NOW=2026-06-29 "$ATTEST" -C "$L" ledger verify --trusted "$TMP/late.cp@2026-06-28"
check "entries logged after the checkpoint's receipt date are caught" \
	sh -c "[ $RC -eq 1 ] && grep -q clock_outside_window '$OUT'"

finish
