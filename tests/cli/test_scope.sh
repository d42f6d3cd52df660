#!/bin/sh
# attest scope: categories, systems, subservice organisations, CUECs and
# responsibilities (kept apart), criteria not applicable, exclusions.
. "$(dirname "$0")/lib.sh"

WS=$TMP/ws
new_ws "$WS" --org Scope
J=$TMP/scope.json
scope_json() {
	at "$WS" scope show --json >"$J"
}

# ---- empty scope -----------------------------------------------------------
expect_ok at "$WS" scope show --json
json_check "empty scope: every section present and empty" "$OUT" \
	'd["categories"] == ["security"] and all(d[k] == [] for k in ("systems", "subservice_organizations", "complementary_user_entity_controls", "user_entity_responsibilities", "not_applicable", "exclusions"))'
# 'attest scope' alone is 'attest scope show'.
at "$WS" scope --json >"$TMP/alone.json"
check "'attest scope' alone prints the same JSON" cmp -s "$OUT" "$TMP/alone.json"

# ---- categories ------------------------------------------------------------
expect_ok at "$WS" scope category add availability
expect_ok at "$WS" scope category add privacy
scope_json
json_check "categories added, in canonical order" "$J" \
	'd["categories"] == ["security", "availability", "privacy"]'
expect_ok at "$WS" criteria list --json
json_check "criteria list follows the categories in scope" "$OUT" \
	'sorted({c["category"] for c in d}) == ["availability", "privacy", "security"]'
expect_ok at "$WS" scope category remove privacy
scope_json
json_check "category removed" "$J" \
	'd["categories"] == ["security", "availability"]'
expect_ok at "$WS" scope category add availability
scope_json
json_check "adding a category twice keeps one" "$J" \
	'd["categories"] == ["security", "availability"]'
expect_error "$WS" 1 "security is always in scope" \
	at "$WS" scope category remove security
scope_json
json_check "security still in scope" "$J" '"security" in d["categories"]'
expect_error "$WS" 2 "expected add or remove" \
	at "$WS" scope category drop availability

# ---- systems ---------------------------------------------------------------
expect_ok at "$WS" scope system web --name "Web app" \
	--description "The customer-facing product" --owner alice
expect_ok at "$WS" scope system db1 --name "Primary database" --kind asset
scope_json
json_check "system fields" "$J" \
	'{"id": "web", "name": "Web app", "kind": "system", "description": "The customer-facing product", "owner": "alice"} in d["systems"]'
json_check "asset fields, optional ones null" "$J" \
	'{"id": "db1", "name": "Primary database", "kind": "asset", "description": None, "owner": None} in d["systems"]'
json_check "two systems" "$J" 'len(d["systems"]) == 2'
expect_ok at "$WS" scope system web --name "Web application" --owner bob
scope_json
json_check "an existing system id is updated, not duplicated" "$J" \
	'[s["name"] for s in d["systems"] if s["id"] == "web"] == ["Web application"] and len(d["systems"]) == 2'
expect_ok at "$WS" scope show
check "text shows the system" grep -q "web .*Web application" "$OUT"
check "text shows the asset kind" grep -q "db1 *asset *Primary database" "$OUT"
expect_error "$WS" 2 "--name" at "$WS" scope system nameless

# ---- subservice organisations ----------------------------------------------
expect_ok at "$WS" scope subservice aws --name "Amazon Web Services" \
	--method carve-out --services "Hosting" --control "Physical security" \
	--control "Environmental protection" --criteria CC6.4,A1.2
expect_ok at "$WS" scope subservice pay --name "PayCo" --method inclusive
scope_json
json_check "carve-out subservice fields" "$J" \
	'{"id": "aws", "name": "Amazon Web Services", "method": "carve-out", "services": "Hosting", "controls": ["Physical security", "Environmental protection"], "criteria": ["CC6.4", "A1.2"]} in d["subservice_organizations"]'
json_check "inclusive subservice fields" "$J" \
	'{"id": "pay", "name": "PayCo", "method": "inclusive", "services": None, "controls": [], "criteria": []} in d["subservice_organizations"]'
expect_ok at "$WS" scope show
check "text shows the expected subservice control" \
	grep -q "expected: Physical security" "$OUT"
expect_error "$WS" 2 "--method" at "$WS" scope subservice x --name X
expect_error "$WS" 1 "CC99.1" at "$WS" scope subservice x --name X \
	--method inclusive --criteria CC99.1

# ---- CUECs and responsibilities: kept apart --------------------------------
expect_ok at "$WS" scope cuec "Customers review their users' access" \
	--criteria CC6.2,CC6.3
CUEC=$(sed -n 's/^added cuec \([0-9][0-9]*\)$/\1/p' "$OUT")
check "scope cuec prints its id" [ -n "$CUEC" ]
expect_ok at "$WS" scope responsibility "Customers keep contacts current"
RESP=$(sed -n 's/^added responsibility \([0-9][0-9]*\)$/\1/p' "$OUT")
check "scope responsibility prints its id" [ -n "$RESP" ]
expect_ok at "$WS" scope cuec "Customers protect their API keys"
CUEC2=$(sed -n 's/^added cuec \([0-9][0-9]*\)$/\1/p' "$OUT")
scope_json
json_check "CUECs listed as CUECs only" "$J" \
	'[u["text"] for u in d["complementary_user_entity_controls"]] == ["Customers review their users'"'"' access", "Customers protect their API keys"]'
json_check "responsibilities listed as responsibilities only" "$J" \
	'[u["text"] for u in d["user_entity_responsibilities"]] == ["Customers keep contacts current"]'
json_check "CUEC ids and criteria" "$J" \
	"d['complementary_user_entity_controls'][0] == {'id': $CUEC, 'text': \"Customers review their users' access\", 'criteria': ['CC6.2', 'CC6.3']}"
json_check "responsibility id, no criteria" "$J" \
	"d['user_entity_responsibilities'][0] == {'id': $RESP, 'text': 'Customers keep contacts current', 'criteria': []}"
expect_ok at "$WS" scope show
check "text: CUECs section holds the CUEC" \
	sh -c 'sed -n "/^Complementary user entity controls:/,/^$/p" "$1" | grep -q "API keys"' _ "$OUT"
check "text: CUECs section does not hold the responsibility" \
	sh -c '! sed -n "/^Complementary user entity controls:/,/^$/p" "$1" | grep -q "contacts current"' _ "$OUT"
check "text: responsibilities section holds the responsibility" \
	sh -c 'sed -n "/^User-entity responsibilities:/,/^$/p" "$1" | grep -q "contacts current"' _ "$OUT"

# Removing by the wrong kind must not remove the other kind's entry.
expect_error "$WS" 1 "$RESP" at "$WS" scope remove cuec "$RESP"
expect_error "$WS" 1 "$CUEC" at "$WS" scope remove responsibility "$CUEC"
expect_ok at "$WS" scope remove cuec "$CUEC2"
scope_json
json_check "scope remove cuec removed that CUEC only" "$J" \
	"[u['id'] for u in d['complementary_user_entity_controls']] == [$CUEC] and [u['id'] for u in d['user_entity_responsibilities']] == [$RESP]"
expect_ok at "$WS" scope remove responsibility "$RESP"
scope_json
json_check "scope remove responsibility removed it" "$J" \
	'd["user_entity_responsibilities"] == [] and len(d["complementary_user_entity_controls"]) == 1'

# ---- remove ----------------------------------------------------------------
expect_ok at "$WS" scope remove system db1
expect_ok at "$WS" scope remove subservice pay
scope_json
json_check "system removed" "$J" '[s["id"] for s in d["systems"]] == ["web"]'
json_check "subservice removed" "$J" \
	'[s["id"] for s in d["subservice_organizations"]] == ["aws"]'
expect_error "$WS" 1 "db1" at "$WS" scope remove system db1
expect_error "$WS" 2 "cannot remove" at "$WS" scope remove category security

# ---- not applicable --------------------------------------------------------
expect_error "$WS" 2 "--reason" at "$WS" scope not-applicable A1.3
expect_error "$WS" 2 "--reason" at "$WS" scope not-applicable A1.3 --reason ""
expect_ok at "$WS" scope not-applicable A1.3 \
	--reason "Recovery is the cloud provider's"
scope_json
json_check "not-applicable with its reason in JSON" "$J" \
	'd["not_applicable"] == [{"criterion": "A1.3", "reason": "Recovery is the cloud provider'"'"'s"}]'
expect_ok at "$WS" criteria list --json
json_check "criteria list shows the reason" "$OUT" \
	'[c["not_applicable"] for c in d if c["id"] == "A1.3"] == ["Recovery is the cloud provider'"'"'s"]'
expect_ok at "$WS" gaps --json
json_check "a not-applicable criterion counts in no score" "$OUT" \
	'[c["applicable"] for c in d["categories"] if c["category"] == "availability"] == [2]'
json_check "a not-applicable criterion raises no gap" "$OUT" \
	'not any(g["criterion"] == "A1.3" for g in d["gaps"])'
expect_ok at "$WS" scope applicable A1.3
scope_json
json_check "scope applicable undoes it" "$J" 'd["not_applicable"] == []'
expect_ok at "$WS" gaps --json
json_check "the criterion counts again" "$OUT" \
	'[c["applicable"] for c in d["categories"] if c["category"] == "availability"] == [3]'
expect_error "$WS" 1 "A1.3" at "$WS" scope applicable A1.3

# ---- exclusions ------------------------------------------------------------
expect_error "$WS" 2 "--owner" at "$WS" scope exclude GOV-01 --reason r \
	--expires 2026-12-31
expect_ok at "$WS" scope exclude GOV-01 --reason "Board reorganising" \
	--owner carol --expires 2026-12-31
X1=$(sed -n 's/^added exclusion \([0-9][0-9]*\)$/\1/p' "$OUT")
check "scope exclude prints its id" [ -n "$X1" ]
expect_ok at "$WS" scope exclude web --reason "Being migrated" \
	--owner dave --expires 2026-07-10
X2=$(sed -n 's/^added exclusion \([0-9][0-9]*\)$/\1/p' "$OUT")
expect_ok at "$WS" scope exclude CC1.2 --reason "New board" \
	--owner erin --expires 2026-09-01
scope_json
json_check "control exclusion with owner and expiry" "$J" \
	"{'id': $X1, 'target': 'GOV-01', 'reason': 'Board reorganising', 'owner': 'carol', 'expires': '2026-12-31'} in d['exclusions']"
json_check "system exclusion with owner and expiry" "$J" \
	"{'id': $X2, 'target': 'web', 'reason': 'Being migrated', 'owner': 'dave', 'expires': '2026-07-10'} in d['exclusions']"
json_check "criterion exclusion recorded" "$J" \
	'[(e["target"], e["owner"], e["expires"]) for e in d["exclusions"] if e["target"] == "CC1.2"] == [("CC1.2", "erin", "2026-09-01")]'
expect_ok at "$WS" scope show
check "text shows exclusion, expiry and owner" \
	grep -q "GOV-01 .*until 2026-12-31, owner carol: Board reorganising" "$OUT"
expect_ok at "$WS" control list --json
json_check "an excluded control is still listed" "$OUT" \
	'any(c["id"] == "GOV-01" for c in d)'
expect_ok at "$WS" gaps --json
json_check "an active exclusion raises no gap for its control" "$OUT" \
	'not any(g["control"] == "GOV-01" for g in d["gaps"])'
json_check "an excluded criterion raises no uncovered gap" "$OUT" \
	'not any(g["kind"] == "criterion-uncovered" and g["criterion"] == "CC1.2" for g in d["gaps"])'
json_check "an exclusion within 30 days is expiring" "$OUT" \
	"[g['kind'] for g in d['gaps'] if g.get('exclusion') == $X2] == ['exclusion-expiring']"
expect_ok at "$WS" gaps --json --as-of 2027-01-15
json_check "after its date, the exclusion is a gap" "$OUT" \
	"[g['kind'] for g in d['gaps'] if g.get('exclusion') == $X1] == ['exclusion-expired']"
json_check "after its date, the control counts again" "$OUT" \
	'any(g["control"] == "GOV-01" and g["kind"] == "control-not-started" for g in d["gaps"])'
expect_ok at "$WS" scope unexclude "$X1"
scope_json
json_check "scope unexclude removes that exclusion only" "$J" \
	"sorted(e['id'] for e in d['exclusions']) == sorted([$X2] + [e['id'] for e in d['exclusions'] if e['target'] == 'CC1.2']) and not any(e['id'] == $X1 for e in d['exclusions'])"
expect_error "$WS" 1 "$X1" at "$WS" scope unexclude "$X1"

finish
