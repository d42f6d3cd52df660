#!/bin/sh
# attest gaps / status on a small hand-built workspace whose right answer is
# worked out here by hand from the rules in docs/gaps.md (src/assess/gaps.c).
#
# Scope: security only; every security criterion but CC1.2, CC3.3 and CC5.2
# declared not applicable. Now is 2026-06-30T00:00:00Z (ATTEST_NOW).
#
#   CC1.2: GOV-05, GOV-06, GOV-07
#     GOV-05 implemented, monthly, evidence 2026-05-27 (34 days: current) 1.0
#     GOV-06 implemented, no evidence           -> evidence-missing      0.5
#     GOV-07 implemented, monthly, evidence 2026-05-25 (36 days > 35)
#                                               -> evidence-stale        0.5
#     score (1 + .5 + .5) / 3 = 0.6667
#   CC3.3: HR-08, RSK-04, ZZZ-01 (own control, also on CC5.2)
#     HR-08 not started                         -> control-not-started   0
#     RSK-04 in progress                        -> control-in-progress   0.25
#     ZZZ-01 not started, helps 2 criteria      -> control-not-started   0
#     no implemented control                    -> criterion-uncovered
#     score (0 + .25 + 0) / 3 = 0.0833
#   CC5.2: POL-07, POL-08, POL-09, ZZZ-01
#     POL-07 implemented, monthly, current evidence with verdict fail
#                                               -> evidence-failing      0.25
#     POL-08 excluded until 2026-07-20 (20 days) -> exclusion-expiring (not counted)
#     POL-09 implemented, quarterly, evidence 2026-03-01 (121 days > 100)
#                                               -> evidence-stale        0.5
#     ZZZ-01                                                             0
#     score (.25 + .5 + 0) / 3 = 0.25
#   security = round(100 * (0.6667 + 0.0833 + 0.25) / 3, 1) = 33.3
#
# Expected order: kind first; among not-started ZZZ-01 (2 criteria) before
# HR-08 (1); among stale POL-09 (older) before GOV-07 (catalog order would
# put GOV-07 first).
. "$(dirname "$0")/lib.sh"

WS=$TMP/ws
new_ws "$WS" --org "Gap Co"
KEEP="CC1.2 CC3.3 CC5.2"

at "$WS" criteria list --json >"$TMP/crit.json"
ALL=$(json_get "$TMP/crit.json" '" ".join(c["id"] for c in d)')
check "security has 33 criteria" [ "$(echo "$ALL" | wc -w)" -eq 33 ]
for id in $ALL; do
	case " $KEEP " in *" $id "*) continue ;; esac
	ok at "$WS" scope not-applicable "$id" --reason "Not part of this test"
done

# The controls of the three criteria are exactly the ones the plan expects.
for pair in "CC1.2:GOV-05 GOV-06 GOV-07" "CC3.3:HR-08 RSK-04" \
	"CC5.2:POL-07 POL-08 POL-09"; do
	crit=${pair%%:*}
	want=${pair#*:}
	at "$WS" criteria show "$crit" --json >"$TMP/c.json"
	check "$crit supported by $want" \
		[ "$(json_get "$TMP/c.json" '" ".join(c["id"] for c in d["control_list"])')" = "$want" ]
done

ok at "$WS" control add ZZZ-01 --title "Our own risk review" \
	--statement "The CTO reviews fraud risks and policies each year." \
	--criteria CC3.3,CC5.2
ok at "$WS" control set RSK-04 --status in-progress
for c in GOV-05 GOV-06 GOV-07 POL-07 POL-09; do
	ok at "$WS" control set "$c" --status implemented
done
for c in GOV-05 GOV-07 POL-07; do
	ok at "$WS" control set "$c" --frequency monthly
done
ok at "$WS" control set POL-09 --frequency quarterly

printf 'evidence\n' >"$TMP/e.txt"
ok at "$WS" evidence add --control GOV-05 "$TMP/e.txt" --effective 2026-05-27
ok at "$WS" evidence add --control GOV-07 "$TMP/e.txt" --effective 2026-05-25
ok at "$WS" evidence add --control POL-07 "$TMP/e.txt" --effective 2026-06-20 \
	--verdict fail --subject prod-db
ok at "$WS" evidence add --control POL-09 "$TMP/e.txt" --effective 2026-03-01
ok at "$WS" scope exclude POL-08 --reason "Policy being rewritten" \
	--owner grace --expires 2026-07-20

# ---- gaps --json -----------------------------------------------------------
G=$TMP/gaps.json
expect_ok at "$WS" gaps --json
cp "$OUT" "$G"
json_check "as_of is now" "$G" 'd["as_of"] == "2026-06-30T00:00:00Z"'
json_check "organisation" "$G" 'd["organization"] == "Gap Co"'
json_check "one category: security" "$G" \
	'[c["category"] for c in d["categories"]] == ["security"]'
json_check "security score is 33.3" "$G" \
	'd["categories"][0]["score"] == round(1000 * ((1 + .5 + .5) / 3 + (0 + .25 + 0) / 3 + (.25 + .5 + 0) / 3) / 3) / 10 == 33.3'
json_check "33 criteria, 3 applicable, 2 covered, 9 gaps" "$G" \
	'(d["categories"][0]["criteria"], d["categories"][0]["applicable"], d["categories"][0]["covered"], d["categories"][0]["gaps"]) == (33, 3, 2, 9)'
json_check "gap kinds in order" "$G" \
	'[g["kind"] for g in d["gaps"]] == ["criterion-uncovered", "evidence-failing", "control-not-started", "control-not-started", "evidence-missing", "control-in-progress", "evidence-stale", "evidence-stale", "exclusion-expiring"]'
json_check "gap items in order" "$G" \
	'[g["control"] or g["criterion"] for g in d["gaps"]] == ["CC3.3", "POL-07", "ZZZ-01", "HR-08", "GOV-06", "RSK-04", "POL-09", "GOV-07", "POL-08"]'
json_check "the uncovered criterion is ranked first" "$G" \
	'd["gaps"][0]["rank"] == 1 and d["gaps"][0]["kind"] == "criterion-uncovered" and d["gaps"][0]["criterion"] == "CC3.3" and d["gaps"][0]["control"] is None'
json_check "ranks are 1..9" "$G" \
	'[g["rank"] for g in d["gaps"]] == list(range(1, 10))'
json_check "failing evidence is ranked before not-started" "$G" \
	'[g["kind"] for g in d["gaps"]].index("evidence-failing") < [g["kind"] for g in d["gaps"]].index("control-not-started")'
json_check "the own control helping two criteria comes first among not-started" \
	"$G" '[(g["control"], g["leverage"], sorted(g["criteria"])) for g in d["gaps"] if g["kind"] == "control-not-started"] == [("ZZZ-01", 2, ["CC3.3", "CC5.2"]), ("HR-08", 1, ["CC3.3"])]'
json_check "the older stale evidence comes first, with its date" "$G" \
	'[(g["control"], g["since"]) for g in d["gaps"] if g["kind"] == "evidence-stale"] == [("POL-09", "2026-03-01"), ("GOV-07", "2026-05-25")]'
json_check "only not-applicable criteria's controls raise no gap" "$G" \
	'all(set(g["criteria"]) <= {"CC1.2", "CC3.3", "CC5.2"} for g in d["gaps"])'
json_check "failing evidence gap dated by the evidence" "$G" \
	'[g.get("since") for g in d["gaps"] if g["kind"] == "evidence-failing"] == ["2026-06-20"]'
json_check "expiring exclusion: the control, its id, its date" "$G" \
	'[(g["control"], g["since"], isinstance(g.get("exclusion"), int)) for g in d["gaps"] if g["kind"] == "exclusion-expiring"] == [("POL-08", "2026-07-20", True)]'
json_check "every gap has a detail naming its item" "$G" \
	'all((g["control"] or g["criterion"]) in g["detail"] for g in d["gaps"])'

# Criterion scores and counts.
expect_ok at "$WS" criteria list --json
json_check "criterion scores, counted and implemented controls" "$OUT" \
	'{c["id"]: (round(c["score"], 4), c["controls"], c["implemented"]) for c in d if c["not_applicable"] is None} == {"CC1.2": (0.6667, 3, 3), "CC3.3": (0.0833, 3, 0), "CC5.2": (0.25, 3, 2)}'
json_check "30 criteria not applicable" "$OUT" \
	'sum(c["not_applicable"] is not None for c in d) == 30'
expect_ok at "$WS" control list --json
json_check "evidence states of the controls" "$OUT" \
	'{c["id"]: c["evidence"] for c in d if c["id"] in ("GOV-05", "GOV-06", "GOV-07", "POL-07", "POL-09")} == {"GOV-05": "current", "GOV-06": "none", "GOV-07": "stale", "POL-07": "failing", "POL-09": "stale"}'

# --category security is the same report.
expect_ok at "$WS" gaps --category security --json
check "--category security gives the same JSON" cmp -s "$OUT" "$G"
expect_ok at "$WS" gaps --format json
check "--format json is --json" cmp -s "$OUT" "$G"

# ---- text and Markdown carry the same items in the same order -------------
at "$WS" gaps >"$TMP/gaps.txt"
at "$WS" gaps --format md >"$TMP/gaps.md"
at "$WS" gaps --format text >"$TMP/gaps.text"
check "--format text is the default" cmp -s "$TMP/gaps.txt" "$TMP/gaps.text"
same_items() {
	python3 - "$G" "$TMP/gaps.txt" "$TMP/gaps.md" <<'EOF'
import json, re, sys
gaps = json.load(open(sys.argv[1]))["gaps"]
text = open(sys.argv[2]).read().splitlines()
md = open(sys.argv[3]).read().splitlines()
labels = {"criterion-uncovered": "UNCOVERED", "evidence-failing": "FAILING",
          "exclusion-expired": "EXPIRED", "control-not-started": "NOT STARTED",
          "evidence-missing": "NO EVIDENCE", "control-in-progress": "IN PROGRESS",
          "evidence-stale": "STALE", "exclusion-expiring": "EXPIRING"}
# Text: "<rank>  <LABEL>  <detail>" lines; Markdown: "| rank | kind | item | criteria | detail |".
trows = [l for l in text if re.match(r"^ *\d+  ", l)]
mrows = [l for l in md if re.match(r"^\| \d+ \|", l)]
ok = len(trows) == len(gaps) == len(mrows)
for g, t, m in zip(gaps, trows, mrows):
    item = g["control"] or g["criterion"]
    want_t = "%5d  %-11s  %s" % (g["rank"], labels[g["kind"]], g["detail"])
    cells = [c.strip() for c in m.strip("|").split("|")]
    want_m = [str(g["rank"]), g["kind"], item, ", ".join(g["criteria"]), g["detail"]]
    if t != want_t or cells != want_m:
        print("    mismatch for rank %d:\n      %r\n      %r\n      %r" % (g["rank"], t, m, want_m), file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
EOF
}
check "text and md list the same gaps as JSON, in the same order" same_items
check "text header counts 9 gaps" grep -q "^9 gaps, most urgent first" "$TMP/gaps.txt"
check "text shows the score" grep -q "security *33.3%  *2 of 3 " "$TMP/gaps.txt"
check "md shows the score" grep -qF "| security | 33.3% | 2 of 3 | 9 |" "$TMP/gaps.md"
check "md has a title" grep -q "^# Gap analysis: Gap Co" "$TMP/gaps.md"

# ---- status agrees with gaps -----------------------------------------------
expect_ok at "$WS" status --json
cp "$OUT" "$TMP/status.json"
agree() {
	python3 - "$G" "$TMP/status.json" <<'EOF'
import json, sys
g = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
ok = (s["categories"] == g["categories"]
      and s["gaps"] == g["gaps"][:5]
      and s["gap_total"] == len(g["gaps"]) == 9)
kinds = {}
for x in g["gaps"]:
    kinds[x["kind"]] = kinds.get(x["kind"], 0) + 1
ok = ok and all(s["gap_counts"].get(k, 0) == n for k, n in kinds.items()) \
        and sum(s["gap_counts"].values()) == 9
sys.exit(0 if ok else 1)
EOF
}
check "status --json agrees with gaps --json (scores, first five, counts)" agree
json_check "status counts controls by status" "$TMP/status.json" \
	'd["controls"]["implemented"] == 5 and d["controls"]["in-progress"] == 1'
expect_ok at "$WS" status
check "status text shows the score" grep -q "security *33.3%" "$OUT"
check "status text fixes the uncovered criterion first" \
	grep -q "^ *1\. CC3.3 " "$OUT"
check "status text totals the gaps" grep -q "gaps: 9" "$OUT"

# ---- time travel -----------------------------------------------------------
# On 2026-07-25 the exclusion has expired: it is a gap, and POL-08 counts
# again (not started). All monthly evidence is stale by then, the failing
# record of POL-07 (2026-06-20) included, so nothing is failing any more.
expect_ok at "$WS" gaps --json --as-of 2026-07-25
cp "$OUT" "$TMP/later.json"
json_check "as_of is the end of the day asked for" "$TMP/later.json" \
	'd["as_of"] == "2026-07-25T23:59:59Z"'
json_check "expired exclusion is a gap" "$TMP/later.json" \
	'[g["control"] for g in d["gaps"] if g["kind"] == "exclusion-expired"] == ["POL-08"]'
json_check "the expired exclusion's control counts again" "$TMP/later.json" \
	'"POL-08" in [g["control"] for g in d["gaps"] if g["kind"] == "control-not-started"]'
json_check "no expiring exclusion any more" "$TMP/later.json" \
	'"exclusion-expiring" not in [g["kind"] for g in d["gaps"]]'
json_check "stale failing evidence is stale, not failing" "$TMP/later.json" \
	'"evidence-failing" not in [g["kind"] for g in d["gaps"]] and [g["control"] for g in d["gaps"] if g["kind"] == "evidence-stale"] == ["POL-09", "GOV-07", "GOV-05", "POL-07"]'
json_check "expired ranks right after uncovered, before not-started" \
	"$TMP/later.json" \
	'[g["kind"] for g in d["gaps"]][:3] == ["criterion-uncovered", "exclusion-expired", "control-not-started"]'
# CC1.2 = (.5 + .5 + .5)/3, CC3.3 = .25/3, CC5.2 = (.5 + 0 + .5 + 0)/4
json_check "later score is 27.8" "$TMP/later.json" \
	'd["categories"][0]["score"] == round(1000 * (0.5 + 0.25 / 3 + 1.0 / 4) / 3) / 10 == 27.8'
# Before any evidence existed (2026-02-01), every implemented control lacks it.
expect_ok at "$WS" gaps --json --as-of 2026-02-01
json_check "evidence effective later does not count earlier" "$OUT" \
	'sorted(g["control"] for g in d["gaps"] if g["kind"] == "evidence-missing") == ["GOV-05", "GOV-06", "GOV-07", "POL-07", "POL-09"]'

# ---- fixing a gap moves the score ------------------------------------------
ok at "$WS" evidence add --control GOV-06 "$TMP/e.txt" --effective 2026-06-29
expect_ok at "$WS" gaps --json
json_check "evidence for GOV-06 removes its gap" "$OUT" \
	'"GOV-06" not in [g["control"] for g in d["gaps"]] and len(d["gaps"]) == 8'
json_check "and raises the score to 38.9" "$OUT" \
	'd["categories"][0]["score"] == round(1000 * ((1 + 1 + .5) / 3 + .25 / 3 + .25) / 3) / 10 == 38.9'
# A passing record for the failing subject clears the failure.
ok at "$WS" evidence add --control POL-07 "$TMP/e.txt" --effective 2026-06-29 \
	--verdict pass --subject prod-db
expect_ok at "$WS" gaps --json
json_check "no failing gap once the subject passes" "$OUT" \
	'"evidence-failing" not in [g["kind"] for g in d["gaps"]]'
json_check "score with POL-07 current" "$OUT" \
	'd["categories"][0]["score"] == round(1000 * ((1 + 1 + .5) / 3 + .25 / 3 + (1 + .5) / 3) / 3) / 10'

finish
