/*
 * The ledger checker against small logs built in memory with the real
 * leaf, note and Merkle code, then tampered with the way an insider with
 * database access would: each test asserts the exact finding codes and
 * indices the rule must produce.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "attest/error.h"
#include "tlog/check.h"
#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tile.h"
#include "util/alloc.h"
#include "util/buf.h"

#define ORIGIN   "ledger.example.com/acme-corp/evidence"
#define MAX_ROWS 512
#define MAX_CPS  64
#define T0       1782777600000LL /* 2026-06-30T00:00:00Z */
#define MINUTE   60000LL
#define DAY      86400000LL

/* One row of the ledger table as stored. */
struct row {
	uint64_t pos;
	uint8_t leaf[1024];
	size_t leaf_len;
	uint8_t salt[TLOG_SALT];
	char payload[128];
	size_t payload_len;
	enum tlog_payload_state st;
};

struct log {
	struct row rows[MAX_ROWS];
	size_t n;
	tlog_hash tiles[MAX_ROWS]; /* leaf hashes as the tiles hold them */
	char *cps[MAX_CPS];
	size_t ncps;
	struct tlog_trusted trusted[8];
	size_t ntrusted;
};

struct keys {
	struct tlog_signer a, b;
	struct tlog_verifier va, vb;
	char *vkey_a, *vkey_b;
};

static struct keys K;

static int
setup_keys(void **state)
{
	char *skey;

	(void)state;
	assert_int_equal(tlog_key_generate("ledger.example.com/acme-a", &skey,
	                                   &K.vkey_a),
	                 0);
	assert_int_equal(tlog_signer_parse(&K.a, skey), 0);
	free(skey);
	assert_int_equal(tlog_key_generate("ledger.example.com/acme-b", &skey,
	                                   &K.vkey_b),
	                 0);
	assert_int_equal(tlog_signer_parse(&K.b, skey), 0);
	free(skey);
	assert_int_equal(tlog_verifier_parse(&K.va, K.vkey_a), 0);
	assert_int_equal(tlog_verifier_parse(&K.vb, K.vkey_b), 0);
	return 0;
}

static int
teardown_keys(void **state)
{
	(void)state;
	tlog_signer_free(&K.a);
	tlog_signer_free(&K.b);
	tlog_verifier_free(&K.va);
	tlog_verifier_free(&K.vb);
	free(K.vkey_a);
	free(K.vkey_b);
	return 0;
}

static struct log *
log_new(void)
{
	return xcalloc(1, sizeof(struct log));
}

static void
log_free(struct log *lg)
{
	for (size_t i = 0; i < lg->ncps; i++)
		free(lg->cps[i]);
	for (size_t i = 0; i < lg->ntrusted; i++)
		free((char *)lg->trusted[i].note);
	free(lg);
}

static struct tlog_bytes
bytes(const char *s)
{
	struct tlog_bytes b = {(const uint8_t *)s, strlen(s)};
	return b;
}

/* Encodes a leaf for position pos into row r (payload already set). */
static void
encode(struct row *r, uint64_t index, unsigned kind, int64_t logged,
       int64_t observed, const uint8_t *body, size_t body_len)
{
	struct tlog_leaf l;

	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.kind = (uint8_t)kind;
	l.index = index;
	l.logged_at_ms = (uint64_t)logged;
	l.observed_at_ms = (uint64_t)observed;
	l.tenant = bytes("acme-corp");
	l.source = bytes("aws.config/c7");
	l.controls = bytes(kind == TLOG_EVIDENCE ? "CC6.1,CC7.2" : "");
	l.media_type = bytes("application/json");
	l.payload_len = r->payload_len;
	tlog_payload_commit(l.commitment, r->salt, r->payload, r->payload_len);
	l.body.p = body;
	l.body.len = body_len;
	r->leaf_len = tlog_leaf_encode(&l, r->leaf, sizeof(r->leaf));
	assert_true(r->leaf_len > 0);
}

/* Appends an entry with the given times and body; returns its index. */
static uint64_t
append_at(struct log *lg, unsigned kind, int64_t logged, int64_t observed,
          const uint8_t *body, size_t body_len)
{
	struct row *r = &lg->rows[lg->n];

	assert_true(lg->n < MAX_ROWS);
	r->pos = lg->n;
	for (size_t i = 0; i < TLOG_SALT; i++)
		r->salt[i] = (uint8_t)(lg->n * 31 + i);
	r->payload_len = (size_t)snprintf(
	        r->payload, sizeof(r->payload),
	        "{\"check\":\"mfa\",\"entry\":%zu,\"ok\":true}", lg->n);
	r->st = TLOG_PAYLOAD_PRESENT;
	encode(r, lg->n, kind, logged, observed, body, body_len);
	tlog_leaf_hash(lg->tiles[lg->n], r->leaf, r->leaf_len);
	return lg->n++;
}

/* Evidence logged a minute apart, observed a second before logging. */
static uint64_t
append(struct log *lg)
{
	int64_t t = T0 + (int64_t)lg->n * MINUTE;

	return append_at(lg, TLOG_EVIDENCE, t, t - 1000, NULL, 0);
}

static void
append_n(struct log *lg, size_t n)
{
	for (size_t i = 0; i < n; i++)
		append(lg);
}

static uint64_t
append_redaction(struct log *lg, uint64_t target)
{
	struct tlog_redaction rd = {target, bytes("gdpr_erasure"),
	                            bytes("DSR-2026-17"), bytes("dpo")};
	uint8_t body[512];
	size_t n = tlog_redaction_encode(&rd, body, sizeof(body));
	int64_t t = T0 + (int64_t)lg->n * MINUTE;

	assert_true(n > 0);
	return append_at(lg, TLOG_REDACTION, t, t, body, n);
}

static uint64_t
append_purge(struct log *lg, uint64_t from, uint64_t to)
{
	struct tlog_purge pg = {from, to, (uint64_t)T0, bytes("keep-90d")};
	uint8_t body[512];
	size_t n = tlog_purge_encode(&pg, body, sizeof(body));
	int64_t t = T0 + (int64_t)lg->n * MINUTE;

	assert_true(n > 0);
	return append_at(lg, TLOG_RETENTION_PURGE, t, t, body, n);
}

static uint64_t
append_key_event(struct log *lg, const char *new_vkey, const char *old_vkey)
{
	struct tlog_key_event ke = {bytes(new_vkey), bytes(old_vkey)};
	uint8_t body[1024];
	size_t n = tlog_key_event_encode(&ke, body, sizeof(body));
	int64_t t = T0 + (int64_t)lg->n * MINUTE;

	assert_true(n > 0);
	return append_at(lg, TLOG_KEY_EVENT, t, t, body, n);
}

/* A checkpoint over the first size tile hashes, signed by ns signers. */
static char *
note_at(struct log *lg, uint64_t size, const struct tlog_signer *s1,
        const struct tlog_signer *s2)
{
	const struct tlog_signer *signers[2] = {s1, s2};
	struct attest_buf body = ATTEST_BUF_INIT, note = ATTEST_BUF_INIT;
	struct tlog_checkpoint cp;
	struct tlog_range r;

	tlog_range_init(&r);
	for (uint64_t i = 0; i < size; i++)
		tlog_range_append(&r, lg->tiles[i]);
	cp.origin = (char *)ORIGIN;
	cp.size = size;
	tlog_range_root(&r, cp.root);
	assert_int_equal(tlog_checkpoint_format(&body, &cp), 0);
	assert_int_equal(
	        tlog_note_sign(&note, body.ptr, body.len, signers, s2 ? 2 : 1),
	        0);
	attest_buf_free(&body);
	return attest_buf_detach(&note);
}

/* Stores a checkpoint at the current size. */
static void
sign2(struct log *lg, const struct tlog_signer *s1,
      const struct tlog_signer *s2)
{
	assert_true(lg->ncps < MAX_CPS);
	lg->cps[lg->ncps++] = note_at(lg, lg->n, s1, s2);
}

static void
sign(struct log *lg)
{
	sign2(lg, &K.a, NULL);
}

/* Hands the auditor a checkpoint of size size, received at ms. */
static void
trust(struct log *lg, uint64_t size, int64_t received_ms)
{
	struct tlog_trusted *t = &lg->trusted[lg->ntrusted++];

	t->name = "auditor.checkpoint";
	t->note = note_at(lg, size, &K.a, NULL);
	t->note_len = strlen(t->note);
	t->received_ms = received_ms;
}

/* A log of n entries, checkpoints every 5, genesis key event first. */
static struct log *
build(size_t n)
{
	struct log *lg = log_new();

	append_key_event(lg, K.vkey_a, "");
	while (lg->n < n) {
		append(lg);
		if (lg->n % 5 == 0)
			sign(lg);
	}
	if (lg->n % 5 != 0)
		sign(lg);
	return lg;
}

static void
opts_init(struct tlog_check_opts *o, struct log *lg)
{
	memset(o, 0, sizeof(*o));
	o->keys = &K.va;
	o->nkeys = 1;
	o->trusted = lg->trusted;
	o->ntrusted = lg->ntrusted;
	o->now_ms = T0 + 30 * DAY;
}

/* Feeds rows [0, n) with the given positions; tiles when with_tiles. */
static int
run_opts(struct log *lg, const struct tlog_check_opts *o, int with_tiles,
         struct tlog_check_report *r)
{
	struct tlog_check *c = tlog_check_new(o);
	char where[48];
	int rc;

	for (size_t i = 0; i < lg->ncps; i++) {
		snprintf(where, sizeof(where), "checkpoint #%zu", i);
		tlog_check_checkpoint(c, lg->cps[i], strlen(lg->cps[i]), where);
	}
	for (size_t i = 0; i < lg->n; i++) {
		const struct row *w = &lg->rows[i];
		tlog_check_entry(c, w->pos, w->leaf, w->leaf_len, w->st,
		                 w->salt, (const uint8_t *)w->payload,
		                 w->payload_len,
		                 with_tiles ? lg->tiles[w->pos] : NULL);
	}
	rc = tlog_check_finish(c, r);
	tlog_check_free(c);
	return rc;
}

static int
run(struct log *lg, int with_tiles, struct tlog_check_report *r)
{
	struct tlog_check_opts o;

	opts_init(&o, lg);
	return run_opts(lg, &o, with_tiles, r);
}

static int
has(const struct tlog_check_report *r, const char *code, uint64_t index)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].code, code) == 0 &&
		    r->findings[i].has_index && r->findings[i].index == index)
			return 1;
	return 0;
}

static size_t
count(const struct tlog_check_report *r, const char *code)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].code, code) == 0)
			n++;
	return n;
}

/* Every tamper finding has this code. */
static void
only_tamper(const struct tlog_check_report *r, const char *code)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity == TLOG_TAMPER &&
		    strcmp(r->findings[i].code, code) != 0)
			fail_msg("unexpected %s @%" PRIu64 ": %s",
			         r->findings[i].code, r->findings[i].index,
			         r->findings[i].message);
}

static void
test_check__clean_anchored(void **state)
{
	struct log *lg = build(23);
	struct tlog_check_report r;

	(void)state;
	trust(lg, lg->n, T0 + (int64_t)lg->n * MINUTE + MINUTE);
	assert_int_equal(run(lg, 1, &r), 0);
	assert_int_equal(r.ntamper, 0);
	assert_int_equal(r.nwarning, 0);
	assert_int_equal(r.size, 23);
	assert_int_equal(r.checkpoints, 5);
	assert_int_equal(r.payloads, 23);
	assert_int_equal(r.anchored_size, 23);
	assert_int_equal(count(&r, "time_window"), 1);
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__clean_unanchored(void **state)
{
	struct log *lg = build(23);
	struct tlog_check_report r;

	(void)state;
	assert_int_equal(run(lg, 0, &r), 3);
	assert_int_equal(r.ntamper, 0);
	assert_true(has(&r, "unanchored_tail", 0));
	tlog_check_report_free(&r);

	/* Anchored below the end: the rest is the tail. */
	trust(lg, 15, T0 + 16 * MINUTE);
	assert_int_equal(run(lg, 0, &r), 3);
	assert_true(has(&r, "unanchored_tail", 15));
	assert_int_equal(r.anchored_size, 15);
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__payload_changed(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;

	(void)state;
	lg->rows[7].payload[10] ^= 1;
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "payload_mismatch", 7));
	only_tamper(&r, "payload_mismatch");
	assert_int_equal(r.ntamper, 1);
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__leaf_changed(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;
	struct row *w = &lg->rows[8];

	(void)state;
	/* A well-formed leaf with a different observation time. */
	encode(w, 8, TLOG_EVIDENCE, T0 + 8 * MINUTE, T0 - DAY, NULL, 0);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "leaf_changed", 8));
	only_tamper(&r, "leaf_changed");
	tlog_check_report_free(&r);

	/* Without tiles only the checkpoints can tell, from 10 on. */
	assert_int_equal(run(lg, 0, &r), 1);
	assert_false(has(&r, "root_mismatch", 5));
	assert_true(has(&r, "root_mismatch", 10));
	assert_true(has(&r, "root_mismatch", 20));
	only_tamper(&r, "root_mismatch");
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__row_deleted(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;

	(void)state;
	memmove(&lg->rows[12], &lg->rows[13], 7 * sizeof(struct row));
	lg->n--;
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "entry_missing", 12));
	assert_false(has(&r, "index_mismatch", 13));
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__row_inserted(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;
	struct row forged;

	(void)state;
	/* The rows from 6 on are renumbered to make room for a forged
	   entry 6 that looks right on its own. */
	forged = lg->rows[6];
	forged.payload[0] = '[';
	encode(&forged, 6, TLOG_EVIDENCE, T0 + 6 * MINUTE, T0, NULL, 0);
	memmove(&lg->rows[7], &lg->rows[6], (lg->n - 6) * sizeof(struct row));
	lg->rows[6] = forged;
	lg->n++;
	for (size_t i = 6; i < lg->n; i++)
		lg->rows[i].pos = i;
	assert_int_equal(run(lg, 0, &r), 1);
	assert_false(has(&r, "index_mismatch", 6));
	assert_true(has(&r, "index_mismatch", 7));
	assert_true(has(&r, "index_mismatch", 20));
	assert_true(has(&r, "root_mismatch", 10));
	assert_false(has(&r, "root_mismatch", 5));
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__rows_swapped(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;
	struct row tmp;

	(void)state;
	tmp = lg->rows[3];
	lg->rows[3] = lg->rows[11];
	lg->rows[11] = tmp;
	lg->rows[3].pos = 3;
	lg->rows[11].pos = 11;
	assert_int_equal(run(lg, 0, &r), 1);
	assert_true(has(&r, "index_mismatch", 3));
	assert_true(has(&r, "index_mismatch", 11));
	assert_int_equal(count(&r, "index_mismatch"), 2);
	assert_true(has(&r, "logged_at_decreasing", 4));
	tlog_check_report_free(&r);
	log_free(lg);
}

/* The operator cuts the log back to 12 entries and signs that: only the
 * auditor's checkpoint at 15 shows it. */
static void
test_check__truncated_resigned(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;

	(void)state;
	trust(lg, 15, T0 + 16 * MINUTE);
	lg->n = 12;
	for (size_t i = 0; i < lg->ncps; i++)
		free(lg->cps[i]);
	lg->ncps = 0;
	sign(lg);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "truncated", 15));
	only_tamper(&r, "truncated");
	tlog_check_report_free(&r);

	/* Without the auditor's checkpoint the cut is invisible. */
	free((char *)lg->trusted[0].note);
	lg->ntrusted = 0;
	assert_int_equal(run(lg, 1, &r), 3);
	assert_int_equal(r.ntamper, 0);
	tlog_check_report_free(&r);
	log_free(lg);
}

/* Cut to 8, extended with other entries and re-signed: a fork at the
 * auditor's size 10. */
static void
test_check__fork(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;

	(void)state;
	trust(lg, 10, T0 + 11 * MINUTE);
	lg->n = 8;
	for (size_t i = 0; i < lg->ncps; i++)
		free(lg->cps[i]);
	lg->ncps = 0;
	sign(lg);
	for (int i = 0; i < 6; i++) {
		append(lg);
		lg->rows[lg->n - 1].payload[1] = 'X';
		encode(&lg->rows[lg->n - 1], lg->n - 1, TLOG_EVIDENCE,
		       T0 + (int64_t)(lg->n - 1) * MINUTE, T0, NULL, 0);
		tlog_leaf_hash(lg->tiles[lg->n - 1], lg->rows[lg->n - 1].leaf,
		               lg->rows[lg->n - 1].leaf_len);
		if (lg->n % 5 == 0)
			sign(lg);
	}
	sign(lg);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "fork", 10));
	only_tamper(&r, "fork");
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__unauthorised_deletion(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;

	(void)state;
	lg->rows[4].st = TLOG_PAYLOAD_ABSENT;
	trust(lg, lg->n, T0 + 30 * MINUTE);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "unauthorised_deletion", 4));
	only_tamper(&r, "unauthorised_deletion");
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__redacted(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;

	(void)state;
	append_redaction(lg, 4);
	sign(lg);
	lg->rows[4].st = TLOG_PAYLOAD_ABSENT;
	trust(lg, lg->n, T0 + 30 * MINUTE);
	assert_int_equal(run(lg, 1, &r), 3);
	assert_int_equal(r.ntamper, 0);
	assert_true(has(&r, "redacted", 4));
	assert_int_equal(r.redacted, 1);
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__purged(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;

	(void)state;
	append_purge(lg, 2, 9);
	sign(lg);
	for (size_t i = 2; i < 10; i++)
		lg->rows[i].st = TLOG_PAYLOAD_ABSENT;
	trust(lg, lg->n, T0 + 30 * MINUTE);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_int_equal(r.redacted, 7);
	assert_true(has(&r, "redacted", 2));
	assert_true(has(&r, "redacted", 8));
	/* 9 is outside [2, 9). */
	assert_true(has(&r, "unauthorised_deletion", 9));
	only_tamper(&r, "unauthorised_deletion");
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__redaction_invalid(void **state)
{
	struct log *lg = build(6);
	struct tlog_check_report r;
	uint64_t at;

	(void)state;
	/* A redaction at 6 naming 8, a later entry, and a purge reaching
	   past itself. */
	at = append_redaction(lg, 8);
	append_n(lg, 3);
	append_purge(lg, 0, 20);
	sign(lg);
	lg->rows[8].st = TLOG_PAYLOAD_ABSENT;
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "redaction_invalid", at));
	assert_true(has(&r, "redaction_invalid", 10));
	assert_true(has(&r, "unauthorised_deletion", 8));
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__signature_altered(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;
	char *note = lg->cps[1]; /* size 10 */
	char *sig = strrchr(note, ' ') + 10;

	(void)state;
	*sig = *sig == 'A' ? 'B' : 'A';
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "signature_invalid", 10));
	only_tamper(&r, "signature_invalid");
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__checkpoint_damaged(void **state)
{
	struct log *lg = build(10);
	struct tlog_check_report r;
	struct tlog_check_opts o;

	(void)state;
	lg->cps[0][0] = '\n';
	opts_init(&o, lg);
	o.origin = ORIGIN;
	assert_int_equal(run_opts(lg, &o, 1, &r), 1);
	assert_int_equal(count(&r, "checkpoint_malformed"), 1);
	tlog_check_report_free(&r);

	o.origin = "ledger.example.com/other/evidence";
	assert_int_equal(run_opts(lg, &o, 1, &r), 1);
	assert_true(has(&r, "origin_mismatch", 10));
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__entries_unsigned(void **state)
{
	struct log *lg = build(10);
	struct tlog_check_report r;

	(void)state;
	append_n(lg, 3);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "entries_unsigned", 10));
	only_tamper(&r, "entries_unsigned");
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__truncated_stored(void **state)
{
	struct log *lg = build(20);
	struct tlog_check_report r;

	(void)state;
	lg->n = 17; /* rows deleted, checkpoint of 20 left in place */
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "truncated", 20));
	only_tamper(&r, "truncated");
	tlog_check_report_free(&r);
	log_free(lg);
}

/* Key A, rotated to B at entry 7. */
static struct log *
rotated(int both)
{
	struct log *lg = log_new();

	append_key_event(lg, K.vkey_a, "");
	append_n(lg, 4);
	sign(lg);
	append_n(lg, 2);
	append_key_event(lg, K.vkey_b, K.vkey_a);
	append_n(lg, 2);
	sign2(lg, &K.b, both ? &K.a : NULL);
	append_n(lg, 5);
	sign2(lg, &K.b, NULL);
	return lg;
}

static void
test_check__rotation(void **state)
{
	struct log *lg = rotated(1);
	struct tlog_check_report r;

	(void)state;
	trust(lg, lg->n, T0 + DAY);
	assert_int_equal(run(lg, 1, &r), 0);
	tlog_check_report_free(&r);
	log_free(lg);

	lg = rotated(0);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "key_chain_invalid", 10));
	only_tamper(&r, "key_chain_invalid");
	tlog_check_report_free(&r);
	log_free(lg);

	/* A key event that does not name the key it replaces. */
	lg = log_new();
	append_key_event(lg, K.vkey_a, "");
	append_n(lg, 2);
	append_key_event(lg, K.vkey_b, K.vkey_b);
	sign2(lg, &K.b, &K.a);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "key_chain_invalid", 3));
	assert_false(has(&r, "key_chain_invalid", 4));
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__wrong_key(void **state)
{
	struct log *lg = build(10);
	struct tlog_check_report r;
	struct tlog_check_opts o;

	(void)state;
	/* Signed by B while the log says A is in effect. */
	append_n(lg, 1);
	sign2(lg, &K.b, NULL);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "signature_invalid", 11));
	assert_false(has(&r, "signature_invalid", 10));
	tlog_check_report_free(&r);
	log_free(lg);

	/* The auditor trusts only B, which the chain never names. */
	lg = build(10);
	opts_init(&o, lg);
	o.keys = &K.vb;
	assert_int_equal(run_opts(lg, &o, 1, &r), 1);
	assert_int_equal(count(&r, "key_chain_invalid"), 1);
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__time_windows(void **state)
{
	struct log *lg = log_new();
	struct tlog_check_report r;
	int64_t a5 = T0 + 5 * MINUTE, a10 = T0 + 10 * MINUTE;

	(void)state;
	append_key_event(lg, K.vkey_a, "");
	append_at(lg, TLOG_EVIDENCE, T0 + MINUTE, T0, NULL, 0);
	/* Observed an hour after its checkpoint was anchored. */
	append_at(lg, TLOG_EVIDENCE, T0 + 2 * MINUTE, T0 + 65 * MINUTE, NULL,
	          0);
	append_n(lg, 2);
	sign(lg);
	trust(lg, 5, a5);
	append_n(lg, 1);
	/* Observed two days before the anchor the entry follows. */
	append_at(lg, TLOG_EVIDENCE, T0 + 6 * MINUTE, a5 - 2 * DAY, NULL, 0);
	append_n(lg, 3);
	sign(lg);
	trust(lg, 10, a10);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "future_dated", 2));
	assert_true(has(&r, "late_logged", 6));
	only_tamper(&r, "future_dated");
	assert_int_equal(count(&r, "time_window"), 2);
	assert_int_equal(count(&r, "unanchored_tail"), 0);
	tlog_check_report_free(&r);

	/* A sequencer clock an hour fast at entry 9. */
	encode(&lg->rows[9], 9, TLOG_EVIDENCE, a10 + 60 * MINUTE, T0, NULL, 0);
	tlog_leaf_hash(lg->tiles[9], lg->rows[9].leaf, lg->rows[9].leaf_len);
	for (size_t i = 0; i < lg->ncps; i++)
		free(lg->cps[i]);
	lg->ncps = 0;
	lg->cps[lg->ncps++] = note_at(lg, 10, &K.a, NULL);
	free((char *)lg->trusted[1].note);
	lg->trusted[1].note = note_at(lg, 10, &K.a, NULL);
	lg->trusted[1].note_len = strlen(lg->trusted[1].note);
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "clock_outside_window", 9));
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__trusted_forged(void **state)
{
	struct log *lg = build(10);
	struct tlog_check_report r;
	char *sig;

	(void)state;
	trust(lg, 10, T0 + DAY);
	sig = strrchr(lg->trusted[0].note, ' ') + 8;
	*sig = *sig == 'A' ? 'B' : 'A';
	assert_int_equal(run(lg, 1, &r), 1);
	assert_true(has(&r, "signature_invalid", 10));
	assert_int_equal(r.anchored_size, 0);
	tlog_check_report_free(&r);
	log_free(lg);
}

/* Ten thousand-style volumes stay readable: per-entry findings are
 * capped with a count. */
static void
test_check__capped(void **state)
{
	struct log *lg = build(300);
	struct tlog_check_report r;
	json_t *j;

	(void)state;
	append_purge(lg, 1, 300);
	sign(lg);
	for (size_t i = 1; i < 300; i++)
		lg->rows[i].st = TLOG_PAYLOAD_ABSENT;
	trust(lg, lg->n, T0 + DAY);
	assert_int_equal(run(lg, 1, &r), 3);
	assert_int_equal(r.redacted, 299);
	assert_true(count(&r, "redacted") <= 103);
	assert_true(r.nfindings < 110);
	j = tlog_check_report_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "status")),
	                    "warnings");
	assert_int_equal(json_integer_value(json_object_get(j, "redacted")),
	                 299);
	assert_true(json_array_size(json_object_get(j, "findings")) ==
	            r.nfindings);
	json_decref(j);
	tlog_check_report_free(&r);
	log_free(lg);
}

static void
test_check__omitted(void **state)
{
	struct log *lg = build(10);
	struct tlog_check_report r;

	(void)state;
	for (size_t i = 0; i < 4; i++)
		lg->rows[i].st = TLOG_PAYLOAD_OMITTED;
	trust(lg, lg->n, T0 + DAY);
	assert_int_equal(run(lg, 1, &r), 3);
	assert_int_equal(r.omitted, 4);
	assert_int_equal(count(&r, "not_exported"), 1);
	tlog_check_report_free(&r);
	log_free(lg);
}

/* The tile hook sees each hash of height 8 as the tree completes it:
 * the root of every 256 leaves. */
struct level1 {
	uint64_t n;
	tlog_hash h[4];
};

static void
on_tile(void *ctx, unsigned level, uint64_t index, const tlog_hash h)
{
	struct level1 *l1 = ctx;

	if (level == 1) {
		assert_int_equal(index, l1->n);
		memcpy(l1->h[l1->n++], h, TLOG_HASH);
	}
}

static void
test_check__tile_hook(void **state)
{
	struct tlog_check_opts o;
	struct tlog_check *c;
	struct tlog_check_report r;
	struct level1 l1 = {0, {{0}}};
	uint8_t tile[TLOG_TILE_BYTES];
	uint8_t leaf[16];
	tlog_hash h, root;

	(void)state;
	memset(&o, 0, sizeof(o));
	c = tlog_check_new(&o);
	tlog_check_on_tile(c, on_tile, &l1);
	for (unsigned i = 0; i < 512; i++) {
		memset(leaf, (int)i, sizeof(leaf));
		tlog_leaf_hash(h, leaf, sizeof(leaf));
		memcpy(tile + (i % 256) * TLOG_HASH, h, TLOG_HASH);
		tlog_check_entry(c, i, leaf, sizeof(leaf), TLOG_PAYLOAD_OMITTED,
		                 NULL, NULL, 0, NULL);
		if (i % 256 == 255) {
			tlog_tile_root(tile, root);
			assert_int_equal(l1.n, i / 256 + 1);
			assert_memory_equal(l1.h[i / 256], root, TLOG_HASH);
		}
	}
	assert_int_equal(tlog_check_finish(c, &r), 1); /* not leaves */
	assert_int_equal(count(&r, "leaf_malformed"), 101);
	tlog_check_report_free(&r);
	tlog_check_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_check__clean_anchored),
	        cmocka_unit_test(test_check__clean_unanchored),
	        cmocka_unit_test(test_check__payload_changed),
	        cmocka_unit_test(test_check__leaf_changed),
	        cmocka_unit_test(test_check__row_deleted),
	        cmocka_unit_test(test_check__row_inserted),
	        cmocka_unit_test(test_check__rows_swapped),
	        cmocka_unit_test(test_check__truncated_resigned),
	        cmocka_unit_test(test_check__fork),
	        cmocka_unit_test(test_check__unauthorised_deletion),
	        cmocka_unit_test(test_check__redacted),
	        cmocka_unit_test(test_check__purged),
	        cmocka_unit_test(test_check__redaction_invalid),
	        cmocka_unit_test(test_check__signature_altered),
	        cmocka_unit_test(test_check__checkpoint_damaged),
	        cmocka_unit_test(test_check__entries_unsigned),
	        cmocka_unit_test(test_check__truncated_stored),
	        cmocka_unit_test(test_check__rotation),
	        cmocka_unit_test(test_check__wrong_key),
	        cmocka_unit_test(test_check__time_windows),
	        cmocka_unit_test(test_check__trusted_forged),
	        cmocka_unit_test(test_check__capped),
	        cmocka_unit_test(test_check__omitted),
	        cmocka_unit_test(test_check__tile_hook),
	};
	return cmocka_run_group_tests(tests, setup_keys, teardown_keys);
}
