/*
 * attest ledger verify: recomputes the whole log from the database through
 * the shared checker (src/tlog/check.c), and checks that every evidence
 * row is the payload of its ledger entry.
 *
 * Reading rows out of SQLite costs about as much as hashing them, so the
 * two run side by side: a reader thread scans the table into batches while
 * this thread checks the previous batch. The reader is the only thread
 * that touches the database until it is joined.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "attest/error.h"
#include "attest/evidence.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "ledger/ledger_priv.h"
#include "tlog/check.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

/* The key history of the workspace as verifiers (for its own checks). */
static int
workspace_keys(struct attest_workspace *ws, struct tlog_verifier **out,
               size_t *n)
{
	char *vkey = NULL, *history = NULL, *line, *save = NULL;
	struct tlog_verifier *v = NULL;
	size_t count = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = attest_ledger_vkey(ws, &vkey, &history)) < 0)
		return rc;
	for (line = strtok_r(history, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		xgrow(&v, &cap, count + 1, sizeof(*v));
		if (tlog_verifier_parse(&v[count], line) == 0)
			count++;
	}
	free(vkey);
	free(history);
	*out = v;
	*n = count;
	return 0;
}

struct verify_scan {
	struct attest_store *st;
	struct tlog_check *check;
	uint64_t tile_n;
	int tile_ok;
	uint64_t full; /* entries covered by full level-0 tiles */
	uint8_t tile[TLOG_TILE_BYTES];
	/* Per index: a keyed SipHash of the payload of evidence entries (0:
	   none). The key is random per run, so nobody can build an evidence
	   row that collides with a logged payload; and it costs a fraction
	   of a second SHA-256 over every payload. */
	uint64_t *evidence;
	uint8_t key[crypto_shorthash_KEYBYTES];
	uint64_t cap;
};

static uint64_t
payload_tag(const struct verify_scan *v, const void *p, size_t len)
{
	uint8_t out[crypto_shorthash_BYTES];
	uint64_t tag;

	crypto_shorthash(out, p, len, v->key);
	memcpy(&tag, out, sizeof(tag));
	return tag | 1; /* never 0 */
}

static void
check_row(struct verify_scan *v, const struct attest_ledger_row *row,
          const uint8_t *tile_hash)
{
	tlog_check_entry(v->check, row->idx, row->leaf, row->leaf_len,
	                 row->salt ? TLOG_PAYLOAD_PRESENT : TLOG_PAYLOAD_ABSENT,
	                 row->salt, row->payload, row->payload_len, tile_hash);
	/* Byte 1 of a LeafV1 is its kind; the checker judges the rest. */
	if (row->idx < v->cap && row->salt && row->leaf_len > 1 &&
	    row->leaf[1] == TLOG_EVIDENCE)
		v->evidence[row->idx] =
		        payload_tag(v, row->payload, row->payload_len);
}

/* ---- the reader thread ----------------------------------------------------
 */

#define BATCH_ROWS 2048
#define NBATCHES   3 /* one being filled, one being checked, one spare */

struct batch {
	size_t n;
	struct attest_buf data; /* leaf, salt, payload bytes */
	struct {
		uint64_t idx;
		size_t leaf, salt, payload, leaf_len, payload_len;
		int64_t redacted_by;
		int has_salt, has_tile;
		tlog_hash tile_hash;
	} rows[BATCH_ROWS];
};

struct pipe {
	struct verify_scan *v;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *batches[NBATCHES];
	int full[NBATCHES]; /* filled, waiting to be checked */
	int fill, check;    /* next slot for each side */
	int done, rc;
	char error[512];
};

static struct batch *
take_empty(struct pipe *p)
{
	struct batch *b;

	pthread_mutex_lock(&p->mu);
	while (p->full[p->fill])
		pthread_cond_wait(&p->cv, &p->mu);
	b = p->batches[p->fill];
	pthread_mutex_unlock(&p->mu);
	b->n = 0;
	attest_buf_reset(&b->data);
	return b;
}

static void
hand_over(struct pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->full[p->fill] = 1;
	p->fill = (p->fill + 1) % NBATCHES;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static int
read_row(void *ctx, const struct attest_ledger_row *row)
{
	struct pipe *p = ctx;
	struct verify_scan *v = p->v;
	struct batch *b = p->batches[p->fill];
	size_t i;

	if (b->n == BATCH_ROWS) {
		hand_over(p);
		b = take_empty(p);
	}
	i = b->n++;
	b->rows[i].idx = row->idx;
	b->rows[i].leaf = b->data.len;
	b->rows[i].leaf_len = row->leaf_len;
	attest_buf_put(&b->data, row->leaf, row->leaf_len);
	b->rows[i].has_salt = row->salt != NULL;
	b->rows[i].salt = b->data.len;
	if (row->salt)
		attest_buf_put(&b->data, row->salt, TLOG_SALT);
	b->rows[i].payload = b->data.len;
	b->rows[i].payload_len = row->salt ? row->payload_len : 0;
	if (row->salt && row->payload_len)
		attest_buf_put(&b->data, row->payload, row->payload_len);
	b->rows[i].redacted_by = row->redacted_by;
	b->rows[i].has_tile = 0;
	if (row->idx < v->full) {
		uint64_t n = row->idx / TLOG_TILE_WIDTH;
		if (n != v->tile_n || !v->tile_ok) {
			v->tile_n = n;
			v->tile_ok = v->st->ops->ledger_tile_get(v->st, 0, n,
			                                         v->tile) == 0;
		}
		if (v->tile_ok) {
			memcpy(b->rows[i].tile_hash,
			       v->tile +
			               (row->idx % TLOG_TILE_WIDTH) * TLOG_HASH,
			       TLOG_HASH);
			b->rows[i].has_tile = 1;
		}
	}
	return 0;
}

static void *
reader(void *arg)
{
	struct pipe *p = arg;
	int rc;

	take_empty(p);
	rc = p->v->st->ops->ledger_scan(p->v->st, 0, UINT64_MAX, read_row, p);
	if (rc < 0)
		snprintf(p->error, sizeof(p->error), "%s", attest_error_last());
	hand_over(p); /* the last, maybe partial, batch */
	pthread_mutex_lock(&p->mu);
	p->rc = rc < 0 ? rc : 0;
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Checks batches as the reader fills them; returns the reader's status. */
static int
scan_pipelined(struct verify_scan *v)
{
	struct pipe p;
	pthread_t th;
	int rc;

	memset(&p, 0, sizeof(p));
	p.v = v;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (int i = 0; i < NBATCHES; i++)
		p.batches[i] = xcalloc(1, sizeof(*p.batches[i]));
	if (pthread_create(&th, NULL, reader, &p) != 0) {
		rc = attest_error_set(ATTEST_ERROR, "cannot start a thread");
		goto out;
	}
	for (;;) {
		struct batch *b;

		pthread_mutex_lock(&p.mu);
		while (!p.full[p.check] && !p.done)
			pthread_cond_wait(&p.cv, &p.mu);
		if (!p.full[p.check]) {
			pthread_mutex_unlock(&p.mu);
			break; /* done, and nothing left */
		}
		b = p.batches[p.check];
		pthread_mutex_unlock(&p.mu);
		for (size_t i = 0; i < b->n; i++) {
			struct attest_ledger_row row;
			const uint8_t *base = (const uint8_t *)b->data.ptr;
			row.idx = b->rows[i].idx;
			row.leaf = base + b->rows[i].leaf;
			row.leaf_len = b->rows[i].leaf_len;
			row.salt = b->rows[i].has_salt ? base + b->rows[i].salt
			                               : NULL;
			row.payload = base + b->rows[i].payload;
			row.payload_len = b->rows[i].payload_len;
			row.redacted_by = b->rows[i].redacted_by;
			check_row(v, &row,
			          b->rows[i].has_tile ? b->rows[i].tile_hash
			                              : NULL);
		}
		pthread_mutex_lock(&p.mu);
		p.full[p.check] = 0;
		p.check = (p.check + 1) % NBATCHES;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
	}
	pthread_join(th, NULL);
	rc = p.rc;
	if (rc < 0)
		attest_error_set(rc, "%s", p.error);
out:
	for (int i = 0; i < NBATCHES; i++) {
		attest_buf_free(&p.batches[i]->data);
		free(p.batches[i]);
	}
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	return rc;
}

/* Every evidence row must be the payload of an evidence entry: nothing
   reaches the evidence table around the ledger. */
static int
check_evidence_rows(struct attest_workspace *ws, struct verify_scan *v)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct attest_evidence_filter f = {NULL, 0, 0};
	struct attest_evidence *ev;
	size_t n;
	int rc;

	if ((rc = st->ops->evidence_list(st, &a, &f, &ev, &n)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		uint64_t idx = (uint64_t)ev[i].ledger_idx;
		char *json;
		uint64_t tag;

		if (ev[i].ledger_idx < 0 || idx >= v->cap) {
			tlog_check_add(v->check, TLOG_TAMPER,
			               "evidence_unlogged", 0, 0,
			               "evidence record %lld is not in the "
			               "ledger",
			               (long long)ev[i].id);
			continue;
		}
		if (ev[i].redacted_by >= 0)
			continue; /* the ledger accounts for its payload */
		if (v->evidence[idx] == 0) {
			tlog_check_add(v->check, TLOG_TAMPER,
			               "evidence_mismatch", 1, idx,
			               "evidence record %lld names entry %llu, "
			               "which holds no evidence payload",
			               (long long)ev[i].id,
			               (unsigned long long)idx);
			continue;
		}
		if ((rc = st->ops->evidence_get(st, &a, ev[i].id, &ev[i])) < 0)
			goto done;
		json = attest_evidence_canonical(&ev[i]);
		tag = payload_tag(v, json, strlen(json));
		free(json);
		if (tag != v->evidence[idx])
			tlog_check_add(v->check, TLOG_TAMPER,
			               "evidence_mismatch", 1, idx,
			               "evidence record %lld differs from what "
			               "entry %llu logged",
			               (long long)ev[i].id,
			               (unsigned long long)idx);
	}
done:
	attest_arena_free(&a);
	return rc;
}

int
attest_ledger_verify(struct attest_workspace *ws,
                     const struct tlog_check_opts *o,
                     struct tlog_check_report *r)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct tlog_check_opts opts = *o;
	struct tlog_verifier *keys = NULL;
	struct verify_scan v;
	uint64_t size, *sizes;
	const char **notes;
	uint8_t range[64 * TLOG_HASH];
	size_t nkeys = 0, n, rlen;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&v, 0, sizeof(v));
	if (opts.nkeys == 0) {
		if ((rc = workspace_keys(ws, &keys, &nkeys)) < 0)
			return rc;
		opts.keys = keys;
		opts.nkeys = nkeys;
	}
	if ((rc = st->ops->ledger_state(st, &size, range, sizeof(range),
	                                &rlen)) < 0 ||
	    (rc = st->ops->ledger_checkpoints(st, &a, UINT64_MAX, &sizes,
	                                      &notes, &n)) < 0)
		goto done;
	v.st = st;
	v.check = tlog_check_new(&opts);
	for (size_t i = 0; i < n; i++) {
		char where[40];
		snprintf(where, sizeof(where), "checkpoint %llu",
		         (unsigned long long)sizes[i]);
		tlog_check_checkpoint(v.check, notes[i], strlen(notes[i]),
		                      where);
	}
	v.full = size / TLOG_TILE_WIDTH * TLOG_TILE_WIDTH;
	v.tile_n = UINT64_MAX;
	v.cap = size + 1;
	v.evidence = xcalloc(v.cap, sizeof(*v.evidence));
	crypto_shorthash_keygen(v.key);
	if ((rc = scan_pipelined(&v)) < 0 ||
	    (rc = check_evidence_rows(ws, &v)) < 0)
		goto done;
	rc = tlog_check_finish(v.check, r);
done:
	tlog_check_free(v.check);
	free(v.evidence);
	for (size_t i = 0; i < nkeys; i++)
		tlog_verifier_free(&keys[i]);
	free(keys);
	attest_arena_free(&a);
	return rc;
}
