/*
 * Redaction, legal hold and retention: removing payloads without breaking
 * tamper evidence. The target leaf and the tree stay as they were; a new
 * entry names what was removed and why, so a verifier can tell an
 * authorised redaction from a deletion (docs/ledger.md, "Erasure").
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/error.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "ledger/ledger_int.h"
#include "ledger/ledger_priv.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/date.h"

struct target {
	int found, has_payload;
	int64_t redacted_by;
	uint8_t kind;
};

static int
read_target(void *ctx, const struct attest_ledger_row *row)
{
	struct target *t = ctx;
	struct tlog_leaf leaf;

	t->found = 1;
	t->has_payload = row->salt != NULL;
	t->redacted_by = row->redacted_by;
	t->kind = tlog_leaf_parse(&leaf, row->leaf, row->leaf_len) == 0
	                  ? leaf.kind
	                  : 0;
	return 0;
}

/* Logs that a redaction was refused (the refusal itself is evidence). */
static int
log_refusal(struct attest_workspace *ws, uint64_t idx, const char *reason,
            const char *hold)
{
	const char *actor;
	uint64_t at;

	attest_workspace_command(ws, &actor);
	return ledger_append_json(ws, TLOG_ANNOTATION, "attest.ledger/redact",
	                          json_pack("{s:s, s:I, s:s, s:s, s:s?}",
	                                    "event", "redaction_refused",
	                                    "target", (json_int_t)idx,
	                                    "requested_reason", reason,
	                                    "legal_hold", hold, "actor", actor),
	                          &at);
}

int
attest_ledger_redact(struct attest_workspace *ws, uint64_t idx,
                     const char *reason, const char *request,
                     const char *approver, uint64_t *redaction_idx)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct attest_ledger *l;
	struct target t = {0};
	struct tlog_redaction r;
	struct attest_ledger_entry e = {0};
	uint8_t body[1024];
	const char *hold;
	int rc;

	r.target = idx;
	r.reason = bytes_of(reason);
	r.request_ref = bytes_of(request);
	r.approver_ref = bytes_of(approver);
	if (!tlog_redaction_reason_valid(&r.reason))
		return attest_error_set(ATTEST_EINVALID,
		                        "redaction reason '%s' is not one of "
		                        "gdpr_erasure, retention_expiry, "
		                        "legal_order, collection_error",
		                        reason ? reason : "");
	if ((rc = ledger_load(ws, &l, 1)) < 0 ||
	    (rc = st->ops->ledger_scan(st, idx, idx + 1, read_target, &t)) < 0)
		goto done;
	if (!t.found) {
		rc = attest_error_set(ATTEST_ENOTFOUND, "no ledger entry %llu",
		                      (unsigned long long)idx);
		goto done;
	}
	if (!t.has_payload) {
		rc = attest_error_set(ATTEST_EINVALID,
		                      "entry %llu is already redacted (by "
		                      "entry %lld)",
		                      (unsigned long long)idx,
		                      (long long)t.redacted_by);
		goto done;
	}
	if (t.kind != TLOG_EVIDENCE && t.kind != TLOG_CHANGE &&
	    t.kind != TLOG_ANNOTATION) {
		rc = attest_error_set(
		        ATTEST_EINVALID,
		        "entry %llu is a %s entry; only evidence, "
		        "change and annotation payloads are "
		        "redacted",
		        (unsigned long long)idx,
		        tlog_kind_name(t.kind) ? tlog_kind_name(t.kind)
		                               : "malformed");
		goto done;
	}
	if ((rc = st->ops->ledger_hold_get(st, &a, idx, &hold)) < 0)
		goto done;
	if (hold) {
		if ((rc = log_refusal(ws, idx, reason, hold)) == 0)
			rc = attest_error_set(ATTEST_EREFUSED,
			                      "entry %llu is under legal hold "
			                      "(%s); redaction refused and the "
			                      "refusal logged",
			                      (unsigned long long)idx, hold);
		goto done;
	}
	e.kind = TLOG_REDACTION;
	e.source = "attest.ledger/redact";
	e.body = body;
	if ((e.body_len = tlog_redaction_encode(&r, body, sizeof(body))) == 0) {
		rc = attest_error_set(ATTEST_EINVALID,
		                      "redaction: request and approver "
		                      "references are limited to 255 bytes");
		goto done;
	}
	if ((rc = attest_ledger_append(ws, &e, redaction_idx)) < 0 ||
	    (rc = st->ops->ledger_clear_payload(st, idx, *redaction_idx)) < 0 ||
	    (rc = st->ops->evidence_redact(st, (int64_t)idx,
	                                   (int64_t)*redaction_idx)) < 0)
		goto done;
done:
	attest_arena_free(&a);
	return rc;
}

int
attest_ledger_hold(struct attest_workspace *ws, uint64_t idx,
                   const char *reason)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct target t = {0};
	int rc;

	if ((rc = st->ops->ledger_scan(st, idx, idx + 1, read_target, &t)) < 0)
		return rc;
	if (!t.found)
		return attest_error_set(ATTEST_ENOTFOUND,
		                        "no ledger entry %llu",
		                        (unsigned long long)idx);
	if (reason && !t.has_payload)
		return attest_error_set(ATTEST_EINVALID,
		                        "entry %llu is already redacted; there "
		                        "is nothing left to hold",
		                        (unsigned long long)idx);
	return st->ops->ledger_hold_set(st, idx, reason, attest_now());
}

struct purge_scan {
	int64_t cutoff_ms;
	uint64_t to;
	uint64_t *clear;
	size_t nclear, cap;
	const uint64_t *holds;
	size_t nholds, next_hold;
	uint64_t kept;
};

static int
purge_row(void *ctx, const struct attest_ledger_row *row)
{
	struct purge_scan *p = ctx;
	struct tlog_leaf leaf;

	if (tlog_leaf_parse(&leaf, row->leaf, row->leaf_len) < 0)
		return attest_error_set(ATTEST_EDB,
		                        "ledger entry %llu is malformed; run "
		                        "'attest ledger verify'",
		                        (unsigned long long)row->idx);
	if ((int64_t)leaf.logged_at_ms >= p->cutoff_ms)
		return 1; /* logged times only grow: the range ends here */
	p->to = row->idx + 1;
	while (p->next_hold < p->nholds && p->holds[p->next_hold] < row->idx)
		p->next_hold++;
	/* Only payloads that may hold personal data are purged, as with
	   redaction: key events, redactions and anchors keep theirs. */
	if (row->salt == NULL ||
	    (leaf.kind != TLOG_EVIDENCE && leaf.kind != TLOG_CHANGE &&
	     leaf.kind != TLOG_ANNOTATION))
		return 0;
	if (p->next_hold < p->nholds && p->holds[p->next_hold] == row->idx) {
		p->kept++;
		return 0;
	}
	xgrow(&p->clear, &p->cap, p->nclear + 1, sizeof(*p->clear));
	p->clear[p->nclear++] = row->idx;
	return 0;
}

int
attest_ledger_purge(struct attest_workspace *ws, int64_t cutoff,
                    const char *policy, uint64_t *purge_idx, uint64_t *cleared,
                    uint64_t *kept)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct attest_ledger *l;
	struct purge_scan p = {0};
	struct tlog_purge body;
	struct attest_ledger_entry e = {0};
	uint64_t *holds;
	uint8_t buf[512];
	int rc;

	*cleared = *kept = 0;
	*purge_idx = UINT64_MAX;
	if (policy == NULL || *policy == '\0' || strlen(policy) > 255)
		return attest_error_set(ATTEST_EINVALID,
		                        "retention purge needs a policy id of "
		                        "1 to 255 bytes");
	if ((rc = ledger_load(ws, &l, 1)) < 0 ||
	    (rc = st->ops->ledger_holds(st, &a, &holds, &p.nholds)) < 0)
		goto done;
	p.holds = holds;
	p.cutoff_ms = cutoff * 1000;
	if ((rc = st->ops->ledger_scan(st, 0, UINT64_MAX, purge_row, &p)) < 0)
		goto done;
	rc = 0;
	*kept = p.kept;
	if (p.nclear == 0)
		goto done; /* nothing to remove, nothing to log */
	body.from = 0;
	body.to = p.to;
	body.cutoff_ms = (uint64_t)p.cutoff_ms;
	body.policy = bytes_of(policy);
	e.kind = TLOG_RETENTION_PURGE;
	e.source = "attest.ledger/retention";
	e.body = buf;
	e.body_len = tlog_purge_encode(&body, buf, sizeof(buf));
	if ((rc = attest_ledger_append(ws, &e, purge_idx)) < 0)
		goto done;
	for (size_t i = 0; i < p.nclear; i++)
		if ((rc = st->ops->ledger_clear_payload(st, p.clear[i],
		                                        *purge_idx)) < 0 ||
		    (rc = st->ops->evidence_redact(st, (int64_t)p.clear[i],
		                                   (int64_t)*purge_idx)) < 0)
			goto done;
	*cleared = p.nclear;
done:
	free(p.clear);
	attest_arena_free(&a);
	return rc;
}
