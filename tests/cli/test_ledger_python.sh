#!/bin/sh
# The independent checker tools/ledger_check.py, written from
# docs/ledger-format.md alone, against bundles that attest exports: it must
# pass what attest writes and catch a changed byte wherever it is, and it
# must agree with 'attest verify' on whether a bundle was tampered with.
. "$(dirname "$0")/lib.sh"

CHECK=$ATTEST_SOURCE_DIR/tools/ledger_check.py
if ! command -v python3 >/dev/null 2>&1; then
	echo "python3 not found: skipped"
	exit 0
fi

WS=$TMP/ws
new_ws "$WS" --org "Python Check, Inc."
FILE=$TMP/evidence.txt
echo "firewall rule review, Q2" >"$FILE"
for i in 1 2 3 4; do
	ok at "$WS" evidence add -c IAM-01 --note "review $i" \
		--subject "bob@example.com" "$FILE"
done
ok at "$WS" control set IAM-01 --status implemented --owner alice
ok at "$WS" evidence redact 2 --reason gdpr_erasure --request DSR-9
ok at "$WS" export bundle --period 2026-01-01..2026-12-31 --proof 3 \
	"$TMP/bundle"
# The key as the auditor holds it, not the bundle's own copy.
VKEY=$(at "$WS" ledger key)

# bump FILE OFFSET: adds one to the byte at OFFSET, so it always changes.
bump() {
	_b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "\\$(printf %03o $(((_b + 1) % 256)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# copy NAME: a fresh copy of the clean bundle at $TMP/NAME.
copy() {
	rm -rf "${TMP:?}/$1"
	cp -r "$TMP/bundle" "$TMP/$1"
}

# ---- a clean bundle -----------------------------------------------------
expect_exit 0 python3 "$CHECK" "$TMP/bundle"
check "the clean bundle is reported ok with its redaction" \
	grep -q "^ok: 7 entries, .*1 redacted" "$OUT"
check "the checker says it did not verify signatures" \
	grep -q "signatures .*NOT checked" "$OUT"
expect_exit 3 "$ATTEST" verify "$TMP/bundle" --log-key "$VKEY"
check "attest verify agrees: no tamper finding" sh -c "! grep -q TAMPER '$OUT'"
expect_exit 2 python3 "$CHECK"
expect_exit 2 python3 "$CHECK" "$TMP/no-such-bundle"

# ---- one changed byte ---------------------------------------------------
P=$(cd "$TMP/bundle" && find payload -type f | head -1)
E=$(cd "$TMP/bundle" && find tile/entries -type f | head -1)
copy payload
bump "$TMP/payload/$P" 120 # inside entry 1's payload
expect_exit 1 python3 "$CHECK" "$TMP/payload"
check "a changed payload byte is a payload_mismatch" \
	grep -q "^TAMPER  payload_mismatch *@1 " "$OUT"
check "and the file no longer matches the MANIFEST" \
	grep -q "^TAMPER  file_mismatch .*$P" "$OUT"
expect_exit 1 "$ATTEST" verify "$TMP/payload" --log-key "$VKEY"

copy entry
# Entry 0's leaf starts at offset 2; its logged_at_ms at 2 + 10.
bump "$TMP/entry/$E" 19
expect_exit 1 python3 "$CHECK" "$TMP/entry"
check "a changed leaf breaks the signed root" \
	grep -q "^TAMPER  root_mismatch *@1 " "$OUT"
expect_exit 1 "$ATTEST" verify "$TMP/entry" --log-key "$VKEY"

copy length
bump "$TMP/length/$E" 1 # entry 0's length prefix
expect_exit 1 python3 "$CHECK" "$TMP/length"
check "a broken length prefix is bundle_malformed" \
	grep -q "^TAMPER  bundle_malformed" "$OUT"

copy marker
# Entry 1's payload replaced by the "redacted" marker: a deletion that no
# redaction accounts for (entry 2's was redacted by entry 6).
python3 - "$TMP/marker/$P" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
n0 = struct.unpack(">I", data[:4])[0]
off = 4 + 32 + n0
n1 = struct.unpack(">I", data[off:off + 4])[0]
data = data[:off] + b"\xff\xff\xff\xff" + data[off + 4 + 32 + n1:]
open(sys.argv[1], "wb").write(data)
EOF
expect_exit 1 python3 "$CHECK" "$TMP/marker"
check "an unexplained missing payload is unauthorised_deletion" \
	grep -q "^TAMPER  unauthorised_deletion *@1 " "$OUT"
expect_exit 1 "$ATTEST" verify "$TMP/marker" --log-key "$VKEY"

copy checkpoint
# Line 3 is the root: change its first base64 character.
sed -i '3{s/^A/B/;t;s/^./A/}' "$TMP/checkpoint/checkpoints/3"
expect_exit 1 python3 "$CHECK" "$TMP/checkpoint"
check "a checkpoint with another root is a root_mismatch" \
	grep -q "^TAMPER  root_mismatch *@3 " "$OUT"

copy proof
sed -i '4{s/^A/B/;t;s/^./A/}' "$TMP/proof/proofs/3.tlog-proof" # a path hash (line 2 is the leaf, 3 the index)
expect_exit 1 python3 "$CHECK" "$TMP/proof"
check "a proof with a changed path hash is proof_invalid" \
	grep -q "^TAMPER  proof_invalid *@3 " "$OUT"

copy files
echo "not part of the export" >"$TMP/files/notes.txt"
rm "$TMP/files/log.vkey"
expect_exit 1 python3 "$CHECK" "$TMP/files"
check "an added file is file_unexpected" \
	grep -q "^TAMPER  file_unexpected .*notes.txt" "$OUT"
check "a removed file is file_missing" \
	grep -q "^TAMPER  file_missing .*log.vkey" "$OUT"

# ---- a bundle with full tiles --------------------------------------------
ok "$ATTEST" init --demo "$TMP/demo"
ok at "$TMP/demo" export bundle --period 2025-07-01..2026-06-30 --proof 300 \
	"$TMP/big"
expect_exit 0 python3 "$CHECK" "$TMP/big"
check "every demo entry and payload is checked" \
	grep -q "^ok: 29052 entries, .*29052 payloads" "$OUT"
copy_big() {
	rm -rf "${TMP:?}/$1"
	cp -r "$TMP/big" "$TMP/$1"
}
copy_big tile
bump "$TMP/tile/tile/0/001" 100 # in the hash of entry 256 + 100 / 32
expect_exit 1 python3 "$CHECK" "$TMP/tile"
check "a changed level-0 tile names the entry" \
	grep -q "^TAMPER  leaf_changed *@259 " "$OUT"
copy_big bigentry
bump "$TMP/bigentry/tile/entries/100" 500
expect_exit 1 python3 "$CHECK" "$TMP/bigentry"
check "a changed leaf in a full bundle is caught" \
	grep -q "^TAMPER  file_mismatch .*tile/entries/100" "$OUT"

finish
