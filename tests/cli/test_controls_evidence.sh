#!/bin/sh
# attest control set|show|list|add and attest evidence add|list|show:
# statuses, owners, notes and tailoring; the organisation's own controls;
# content-addressed attachments.
. "$(dirname "$0")/lib.sh"

WS=$TMP/ws
new_ws "$WS" --org Controls
C=$TMP/control.json

# ---- defaults --------------------------------------------------------------
expect_ok at "$WS" control show GOV-01 --json
cp "$OUT" "$C"
json_check "a library control starts not-started with no evidence" "$C" \
	'd["id"] == "GOV-01" and d["status"] == "not-started" and d["evidence"] == "none" and d["note"] is None and d["reason"] is None and d["custom"] is False'
DEFAULT_OWNER=$(json_get "$C" 'd["owner"]')
DEFAULT_FREQ=$(json_get "$C" 'd["frequency"]')
DEFAULT_STATEMENT=$(json_get "$C" 'd["statement"]')
check "library control has an owner role" [ -n "$DEFAULT_OWNER" ]
json_check "show --json has the full fields" "$C" \
	'all(k in d for k in ("statement", "kind", "function", "automation", "points_of_focus", "expected_evidence", "crosswalk", "origin", "criteria"))'

# ---- control set -----------------------------------------------------------
expect_ok at "$WS" control set GOV-01 --status implemented --owner alice \
	--note "Approved at the March board" \
	--statement "The board approves the code of conduct every year." \
	--frequency quarterly
expect_ok at "$WS" control show GOV-01 --json
cp "$OUT" "$C"
json_check "status set" "$C" 'd["status"] == "implemented"'
json_check "owner set" "$C" 'd["owner"] == "alice"'
json_check "note set" "$C" 'd["note"] == "Approved at the March board"'
json_check "tailored statement shown" "$C" \
	'd["statement"] == "The board approves the code of conduct every year."'
json_check "tailored frequency shown" "$C" 'd["frequency"] == "quarterly"'
expect_ok at "$WS" control show GOV-01
check "text shows the tailored statement" \
	grep -qF "The board approves the code of conduct every year." "$OUT"
check "text shows status" grep -q "^status *implemented" "$OUT"
check "text shows owner" grep -q "^owner *alice" "$OUT"
check "text shows frequency" grep -q "^frequency *quarterly" "$OUT"
check "text shows the note" grep -q "^note *Approved at the March board" "$OUT"

# Options not given keep their value.
expect_ok at "$WS" control set GOV-01 --status in-progress
expect_ok at "$WS" control show GOV-01 --json
json_check "other fields kept when only --status is set" "$OUT" \
	'd["status"] == "in-progress" and d["owner"] == "alice" and d["note"] == "Approved at the March board" and d["frequency"] == "quarterly"'
# An empty value clears it, falling back to the library's ("Options not
# given keep their value; an empty value clears it" -- control set --help).
expect_ok at "$WS" control set GOV-01 --note "" --owner "" --statement ""
# Frequency separately: rejected today (see the report).
expect_ok at "$WS" control set GOV-01 --frequency ""
expect_ok at "$WS" control show GOV-01 --json
cp "$OUT" "$C"
json_check "empty --note clears the note" "$C" 'd["note"] is None'
json_check "empty --owner falls back to the library owner" "$C" \
	"d['owner'] == '$DEFAULT_OWNER'"
json_check "empty --frequency falls back to the library frequency" "$C" \
	"d['frequency'] == '$DEFAULT_FREQ'"
json_check "empty --statement falls back to the library statement" "$C" \
	"d['statement'] == $(printf '%s' "$DEFAULT_STATEMENT" | python3 -c 'import sys; print(repr(sys.stdin.read()))')"
json_check "status kept when clearing others" "$C" \
	'd["status"] == "in-progress"'

# not-applicable with a reason.
expect_ok at "$WS" control set GOV-02 --status not-applicable \
	--reason "No contractors"
expect_ok at "$WS" control show GOV-02 --json
json_check "not-applicable with its reason" "$OUT" \
	'd["status"] == "not-applicable" and d["reason"] == "No contractors"'

# ---- control list ----------------------------------------------------------
expect_ok at "$WS" control list --json
cp "$OUT" "$TMP/list.json"
json_check "list has every in-scope control once" "$TMP/list.json" \
	'len(d) == len({c["id"] for c in d}) and all(c["in_scope"] for c in d)'
json_check "list shows the status set" "$TMP/list.json" \
	'[(c["status"], c["owner"]) for c in d if c["id"] == "GOV-01"] == [("in-progress", "'"$DEFAULT_OWNER"'")]'
json_check "list is sorted by id" "$TMP/list.json" \
	'[c["id"] for c in d] == sorted(c["id"] for c in d)'
expect_ok at "$WS" control list --status in-progress --json
json_check "--status filters" "$OUT" '[c["id"] for c in d] == ["GOV-01"]'
expect_ok at "$WS" control list --status not-applicable --json
json_check "--status not-applicable" "$OUT" '[c["id"] for c in d] == ["GOV-02"]'
expect_ok at "$WS" control list --criterion CC1.2 --json
json_check "--criterion filters" "$OUT" \
	'd and all("CC1.2" in c["criteria"] for c in d)'
expect_ok at "$WS" control list --all --json
json_check "--all lists at least as many" "$OUT" \
	"len(d) >= $(json_get "$TMP/list.json" 'len(d)')"
expect_ok at "$WS" control list
check "text list shows id, status" grep -q "^GOV-01 *in-progress" "$OUT"

# ---- control add -----------------------------------------------------------
expect_ok at "$WS" control add OWN-01 --title "Monthly vendor invoice review" \
	--statement "The CFO reviews vendor invoices monthly and signs the log." \
	--criteria CC9.2,CC3.2 --frequency monthly --kind administrative \
	--function detective --owner cfo --automation hybrid \
	--evidence "Signed review log" --evidence "Invoice sample"
check "control add says so" grep -q "OWN-01" "$OUT"
expect_ok at "$WS" control show OWN-01 --json
json_check "custom control fields" "$OUT" \
	'd["id"] == "OWN-01" and d["custom"] is True and d["title"] == "Monthly vendor invoice review" and d["criteria"] == ["CC9.2", "CC3.2"] and d["frequency"] == "monthly" and d["kind"] == "administrative" and d["function"] == "detective" and d["owner"] == "cfo" and d["automation"] == "hybrid" and d["expected_evidence"] == ["Signed review log", "Invoice sample"] and d["status"] == "not-started"'
expect_ok at "$WS" control list --json
json_check "custom control appears in control list" "$OUT" \
	'[c["custom"] for c in d if c["id"] == "OWN-01"] == [True]'
expect_ok at "$WS" criteria show CC9.2 --json
json_check "custom control appears in criteria show of its criterion" "$OUT" \
	'any(c["id"] == "OWN-01" for c in d["control_list"])'
expect_ok at "$WS" criteria show CC3.2 --json
json_check "... and of its second criterion" "$OUT" \
	'any(c["id"] == "OWN-01" for c in d["control_list"])'
expect_ok at "$WS" criteria show CC1.1 --json
json_check "... and not of another criterion" "$OUT" \
	'not any(c["id"] == "OWN-01" for c in d["control_list"])'
expect_ok at "$WS" control add OWN-02 --title "Defaults" --statement "S." \
	--criteria CC1.1
expect_ok at "$WS" control show OWN-02 --json
json_check "control add defaults" "$OUT" \
	'd["frequency"] == "annual" and d["kind"] == "procedural" and d["function"] == "preventive" and d["owner"] == "security-lead" and d["automation"] == "manual"'
expect_error "$WS" 1 "OWN-01" at "$WS" control add OWN-01 --title t \
	--statement s --criteria CC1.1
expect_error "$WS" 1 "kind" at "$WS" control add OWN-03 --title t \
	--statement s --criteria CC1.1 --kind magical
expect_error "$WS" 2 "required" at "$WS" control add OWN-03 --title t \
	--statement s
# A custom control can be set like a library one.
expect_ok at "$WS" control set OWN-01 --status implemented --owner frank
expect_ok at "$WS" control show OWN-01 --json
json_check "custom control takes control set" "$OUT" \
	'd["status"] == "implemented" and d["owner"] == "frank"'

# ---- evidence add: content-addressed attachments ---------------------------
printf 'Board minutes, 12 March 2026\n' >"$TMP/minutes.txt"
printf '\000\001\002binary\377' >"$TMP/scan.bin"
SHA1=$(sha256sum "$TMP/minutes.txt" | cut -d' ' -f1)
SHA2=$(sha256sum "$TMP/scan.bin" | cut -d' ' -f1)
SIZE1=$(wc -c <"$TMP/minutes.txt" | tr -d ' ')
expect_ok at "$WS" evidence add --control GOV-01 --control OWN-01 \
	"$TMP/minutes.txt" "$TMP/scan.bin" --effective 2026-06-15 \
	--note "March board" --subject board
EV1=$(sed -n 's/^evidence \([0-9][0-9]*\) recorded.*/\1/p' "$OUT")
check "evidence add prints the record id" [ -n "$EV1" ]
for sha in "$SHA1" "$SHA2"; do
	p=$(printf '%s' "$sha" | cut -c1-2)
	f="$WS/attachments/$p/$sha"
	check "attachment stored at attachments/$p/<sha256>" [ -f "$f" ]
	check "stored attachment's sha256 matches its name" \
		[ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sha" ]
done
check "exactly two attachment files" \
	[ "$(find "$WS/attachments" -type f | wc -l)" -eq 2 ]

expect_ok at "$WS" evidence show "$EV1" --json
cp "$OUT" "$TMP/ev.json"
json_check "evidence id and controls" "$TMP/ev.json" \
	"d['id'] == $EV1 and d['controls'] == ['GOV-01', 'OWN-01']"
json_check "effective_at from --effective" "$TMP/ev.json" \
	'd["effective_at"] == "2026-06-15T00:00:00Z"'
json_check "collected_at is now (ATTEST_NOW)" "$TMP/ev.json" \
	'd["collected_at"] == "2026-06-30T00:00:00Z"'
json_check "note, subject, kind, verdict" "$TMP/ev.json" \
	'd["note"] == "March board" and d["subject"] == "board" and d["kind"] == "upload" and d["verdict"] == "manual"'
json_check "attachments with name, sha256 and size" "$TMP/ev.json" \
	"d['attachments'] == [{'name': 'minutes.txt', 'sha256': '$SHA1', 'size': $SIZE1}, {'name': 'scan.bin', 'sha256': '$SHA2', 'size': 10}]"
expect_ok at "$WS" evidence show "$EV1"
check "text show lists the attachment sha256" grep -qF "sha256:$SHA1" "$OUT"
check "text show lists the controls" grep -q "GOV-01 OWN-01" "$OUT"

# The same file again (under another name, for another control): one stored
# copy, a second record.
cp "$TMP/minutes.txt" "$TMP/minutes-copy.txt"
expect_ok at "$WS" evidence add --control GOV-03 "$TMP/minutes-copy.txt"
EV2=$(sed -n 's/^evidence \([0-9][0-9]*\) recorded.*/\1/p' "$OUT")
check "same content stored once" \
	[ "$(find "$WS/attachments" -type f | wc -l)" -eq 2 ]
expect_ok at "$WS" evidence show "$EV2" --json
json_check "second record points at the same sha256, its own name" "$OUT" \
	"[(a['name'], a['sha256']) for a in d['attachments']] == [('minutes-copy.txt', '$SHA1')]"
json_check "default effective_at is now" "$OUT" \
	'd["effective_at"] == "2026-06-30T00:00:00Z"'
# The same file twice in one command.
printf 'twice\n' >"$TMP/twice.txt"
expect_ok at "$WS" evidence add --control GOV-03 "$TMP/twice.txt" \
	"$TMP/twice.txt"
check "a file named twice in one command is stored once" \
	[ "$(find "$WS/attachments" -type f | wc -l)" -eq 3 ]
EV3=$(sed -n 's/^evidence \([0-9][0-9]*\) recorded.*/\1/p' "$OUT")

# ---- evidence list ---------------------------------------------------------
expect_ok at "$WS" evidence list --json
cp "$OUT" "$TMP/evl.json"
json_check "three records" "$TMP/evl.json" 'len(d) == 3'
json_check "newest (by effective date) first" "$TMP/evl.json" \
	'[e["effective_at"] for e in d] == sorted((e["effective_at"] for e in d), reverse=True)'
json_check "list records carry collected_at, effective_at, controls, attachments" \
	"$TMP/evl.json" \
	'all(all(k in e for k in ("id", "collected_at", "effective_at", "controls", "attachments", "verdict", "kind")) for e in d)'
json_check "list attachments carry sha256" "$TMP/evl.json" \
	"[a['sha256'] for e in d if e['id'] == $EV1 for a in e['attachments']] == ['$SHA1', '$SHA2']"
expect_ok at "$WS" evidence list --control OWN-01 --json
json_check "--control filters" "$OUT" "[e['id'] for e in d] == [$EV1]"
expect_ok at "$WS" evidence list --control GOV-03 --json
json_check "--control GOV-03" "$OUT" \
	"sorted(e['id'] for e in d) == sorted([$EV2, $EV3])"
expect_ok at "$WS" evidence list --limit 1 --json
json_check "--limit 1" "$OUT" 'len(d) == 1'
expect_ok at "$WS" evidence list --limit 0 --json
json_check "--limit 0 means all" "$OUT" 'len(d) == 3'
expect_ok at "$WS" evidence list
check "text list shows the first record's control" \
	grep -q "^ *$EV1  2026-06-15  upload" "$OUT"

# ---- evidence changes the control's evidence state -------------------------
expect_ok at "$WS" control show OWN-01 --json
json_check "OWN-01 (monthly) with 15-day-old evidence is current" "$OUT" \
	'd["evidence"] == "current" and d["latest_evidence"] == "2026-06-15"'
expect_ok at "$WS" evidence add --control OWN-02 --verdict fail \
	--subject laptop-7 --effective 2026-06-29 "$TMP/twice.txt"
expect_ok at "$WS" control show OWN-02 --json
json_check "failing verdict makes the evidence failing" "$OUT" \
	'd["evidence"] == "failing"'
expect_ok at "$WS" evidence add --control OWN-02 --verdict pass \
	--subject laptop-7 --effective 2026-06-30 "$TMP/twice.txt"
expect_ok at "$WS" control show OWN-02 --json
json_check "a later pass for the same subject clears failing" "$OUT" \
	'd["evidence"] == "current"'

finish
