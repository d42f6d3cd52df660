/*
 * What the ledger hands to an auditor: checkpoints for anchoring, and the
 * offline bundle (verification of the database is in verify.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "attest/error.h"
#include "attest/evidence.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "ledger/ledger_int.h"
#include "ledger/ledger_priv.h"
#include "tlog/bundle.h"
#include "tlog/check.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/date.h"

int
attest_ledger_export_checkpoint(struct attest_workspace *ws, char **note)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct attest_ledger *l;
	struct tlog_anchor an;
	struct attest_ledger_entry e = {0};
	uint8_t body[300];
	const char *cp;
	uint64_t idx;
	int64_t now = now_ms();
	int rc;

	*note = NULL;
	if ((rc = ledger_load(ws, &l, 1)) < 0 ||
	    (rc = attest_ledger_seal(ws)) < 0 ||
	    (rc = attest_ledger_checkpoint(ws, &a, 0, &cp)) < 0)
		goto done;
	an.size = l->sealed;
	an.received_at_ms = (uint64_t)now;
	an.kind = bytes_of("auditor");
	e.kind = TLOG_ANCHOR_RECEIPT;
	e.source = "attest.ledger/anchor";
	e.body = body;
	e.body_len = tlog_anchor_encode(&an, body, sizeof(body));
	if ((rc = st->ops->ledger_anchor_add(st, an.size, "auditor",
	                                     now / 1000)) < 0 ||
	    (rc = attest_ledger_append(ws, &e, &idx)) < 0)
		goto done;
	*note = xstrdup(cp);
done:
	attest_arena_free(&a);
	return rc;
}

/* ---- the bundle -----------------------------------------------------------
 */

/* Entries are read 256 at a time (one entry bundle) into this cache. */
struct export_ctx {
	struct attest_store *st;
	int64_t from_ms, to_ms;
	uint64_t base, count;
	struct attest_buf data; /* leaf, salt, payload bytes of the block */
	struct {
		size_t leaf, salt, payload; /* offsets into data */
		size_t leaf_len, payload_len;
		int present;
	} rows[TLOG_TILE_WIDTH];
	size_t ncp;
	uint64_t *cp_sizes;
	const char **cp_notes;
	uint64_t first, end;
	void (*progress)(void *, uint64_t, uint64_t);
	void *progress_ctx;
};

static void
export_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct export_ctx *x = ctx;

	x->progress(x->progress_ctx, done, total);
}

static int
cache_row(void *ctx, const struct attest_ledger_row *row)
{
	struct export_ctx *x = ctx;
	size_t i = (size_t)(row->idx - x->base);

	if (i >= TLOG_TILE_WIDTH || i != x->count)
		return attest_error_set(
		        ATTEST_EDB,
		        "ledger entry %llu is missing; run "
		        "'attest ledger verify'",
		        (unsigned long long)(x->base + x->count));
	x->rows[i].leaf = x->data.len;
	x->rows[i].leaf_len = row->leaf_len;
	attest_buf_put(&x->data, row->leaf, row->leaf_len);
	x->rows[i].present = row->salt != NULL;
	x->rows[i].salt = x->data.len;
	if (row->salt)
		attest_buf_put(&x->data, row->salt, TLOG_SALT);
	x->rows[i].payload = x->data.len;
	x->rows[i].payload_len = row->salt ? row->payload_len : 0;
	if (row->salt && row->payload_len)
		attest_buf_put(&x->data, row->payload, row->payload_len);
	x->count++;
	return 0;
}

static int
in_period(const struct export_ctx *x, const uint8_t *leaf, size_t len)
{
	struct tlog_leaf l;

	if (tlog_leaf_parse(&l, leaf, len) < 0)
		return 1; /* let the verifier see the damage */
	return ((int64_t)l.logged_at_ms >= x->from_ms &&
	        (int64_t)l.logged_at_ms < x->to_ms) ||
	       ((int64_t)l.observed_at_ms >= x->from_ms &&
	        (int64_t)l.observed_at_ms < x->to_ms);
}

static int
export_entry(void *ctx, uint64_t idx, struct tlog_bundle_entry *out)
{
	struct export_ctx *x = ctx;
	size_t i;
	int rc;

	if (idx < x->base || idx >= x->base + x->count) {
		x->base = idx / TLOG_TILE_WIDTH * TLOG_TILE_WIDTH;
		x->count = 0;
		attest_buf_reset(&x->data);
		if ((rc = x->st->ops->ledger_scan(x->st, x->base,
		                                  x->base + TLOG_TILE_WIDTH,
		                                  cache_row, x)) < 0)
			return rc;
		if (idx >= x->base + x->count)
			return attest_error_set(ATTEST_EDB,
			                        "ledger entry %llu is missing",
			                        (unsigned long long)idx);
	}
	i = (size_t)(idx - x->base);
	out->leaf = (const uint8_t *)x->data.ptr + x->rows[i].leaf;
	out->leaf_len = x->rows[i].leaf_len;
	out->salt = NULL;
	out->payload = NULL;
	out->payload_len = 0;
	/* Every payload in [first, end) is exported, also those of entries
	   logged in the period but observed outside it: the verifier reads
	   a gap inside the range as a deletion. */
	if (!x->rows[i].present) {
		out->state = TLOG_PAYLOAD_ABSENT;
	} else if (idx < x->first || idx >= x->end) {
		out->state = TLOG_PAYLOAD_OMITTED;
	} else {
		out->state = TLOG_PAYLOAD_PRESENT;
		out->salt = (const uint8_t *)x->data.ptr + x->rows[i].salt;
		out->payload =
		        (const uint8_t *)x->data.ptr + x->rows[i].payload;
		out->payload_len = x->rows[i].payload_len;
	}
	return 0;
}

static int
export_tile(void *ctx, unsigned level, uint64_t n, uint8_t *out)
{
	struct export_ctx *x = ctx;

	return x->st->ops->ledger_tile_get(x->st, level, n, out);
}

static int
export_checkpoint(void *ctx, size_t i, const char **note)
{
	struct export_ctx *x = ctx;

	if (i >= x->ncp)
		return ATTEST_ENOTFOUND;
	*note = x->cp_notes[i];
	return 0;
}

/* Finds the index range [first, end) holding the period's entries. */
static int
period_row(void *ctx, const struct attest_ledger_row *row)
{
	struct export_ctx *x = ctx;

	if (in_period(x, row->leaf, row->leaf_len)) {
		if (x->first == UINT64_MAX)
			x->first = row->idx;
		x->end = row->idx + 1;
	}
	return 0;
}

int
attest_ledger_export_bundle(struct attest_workspace *ws, const char *dir,
                            int64_t from, int64_t to, const uint64_t *proofs,
                            size_t nproofs,
                            void (*progress)(void *, uint64_t, uint64_t),
                            void *progress_ctx)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct attest_ledger *l;
	struct export_ctx *x = xcalloc(1, sizeof(*x));
	struct tlog_bundle_source src;
	char *vkey = NULL, *history = NULL, from_s[21], to_s[21];
	const char *cp;
	tlog_hash root;
	int rc;

	memset(&src, 0, sizeof(src));
	if ((rc = ledger_load(ws, &l, 1)) < 0 ||
	    (rc = attest_ledger_vkey(ws, &vkey, &history)) < 0 ||
	    (rc = attest_ledger_checkpoint(ws, &a, 0, &cp)) < 0 ||
	    (rc = note_root(cp, root, &src.size, NULL)) < 0 ||
	    (rc = st->ops->ledger_checkpoints(st, &a, src.size, &x->cp_sizes,
	                                      &x->cp_notes, &x->ncp)) < 0)
		goto done;
	for (size_t i = 0; i < nproofs; i++)
		if (proofs[i] >= src.size) {
			rc = attest_error_set(ATTEST_ENOTFOUND,
			                      "no entry %llu under the latest "
			                      "checkpoint (size %llu)",
			                      (unsigned long long)proofs[i],
			                      (unsigned long long)src.size);
			goto done;
		}
	x->st = st;
	x->from_ms = from * 1000;
	x->to_ms = to * 1000;
	x->first = UINT64_MAX;
	if ((rc = st->ops->ledger_scan(st, 0, src.size, period_row, x)) < 0)
		goto done;
	if (x->first == UINT64_MAX)
		x->first = x->end = 0;
	x->base = UINT64_MAX / 2;
	attest_time_format(from_s, from);
	attest_time_format(to_s, to);
	src.checkpoint = cp;
	src.vkeys = history;
	src.first = x->first;
	src.end = x->end;
	src.from = from_s;
	src.to = to_s;
	src.proofs = proofs;
	src.nproofs = nproofs;
	src.signer = &l->signer;
	src.ctx = x;
	src.entry = export_entry;
	src.tile = export_tile;
	src.checkpoint_at = export_checkpoint;
	x->progress = progress;
	x->progress_ctx = progress_ctx;
	src.progress = progress ? export_progress : NULL;
	rc = tlog_bundle_write(dir, &src);
done:
	attest_buf_free(&x->data);
	free(x);
	free(vkey);
	free(history);
	attest_arena_free(&a);
	return rc;
}
