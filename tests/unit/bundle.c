/*
 * Auditor bundles: written from an in-memory log through the callbacks,
 * verified offline, then damaged file by file the way someone between the
 * export and the auditor might, each damage named by path.
 */
#include <ftw.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "attest/error.h"
#include "tlog/bundle.h"
#include "tlog/check.h"
#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tile.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/fs.h"

#define ORIGIN "ledger.example.com/acme-corp/evidence"
#define T0     1782777600000LL /* 2026-06-30T00:00:00Z */
#define DAY    86400000LL

/* The ledger as the exporter sees it. */
struct mem {
	size_t n;
	uint8_t (*leaf)[256];
	size_t *leaf_len;
	uint8_t (*salt)[TLOG_SALT];
	char (*payload)[96];
	size_t *payload_len;
	enum tlog_payload_state *st;
	tlog_hash *level[3]; /* hashes of height 0, 8, 16 */
	size_t nlevel[3];
	char *cps[64];
	size_t ncps;
	char *checkpoint;
	int fail_at; /* entry callback fails here when >= 0 */
	uint64_t progress;
};

static struct tlog_signer signer;
static struct tlog_verifier verifier;
static char *vkey;
static char tmp_root[64];

static int
setup(void **state)
{
	char *skey;

	(void)state;
	assert_int_equal(
	        tlog_key_generate("ledger.example.com/acme", &skey, &vkey), 0);
	assert_int_equal(tlog_signer_parse(&signer, skey), 0);
	assert_int_equal(tlog_verifier_parse(&verifier, vkey), 0);
	free(skey);
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/attest-bundle-XXXXXX");
	assert_non_null(mkdtemp(tmp_root));
	return 0;
}

static int
rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	nftw(tmp_root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	tlog_signer_free(&signer);
	tlog_verifier_free(&verifier);
	free(vkey);
	return 0;
}

static struct tlog_bytes
bytes(const char *s)
{
	struct tlog_bytes b = {(const uint8_t *)s, strlen(s)};
	return b;
}

static char *
note_at(struct mem *m, uint64_t size)
{
	const struct tlog_signer *signers[1] = {&signer};
	struct attest_buf body = ATTEST_BUF_INIT, note = ATTEST_BUF_INIT;
	struct tlog_checkpoint cp;
	struct tlog_range r;

	tlog_range_init(&r);
	for (uint64_t i = 0; i < size; i++)
		tlog_range_append(&r, m->level[0][i]);
	cp.origin = (char *)ORIGIN;
	cp.size = size;
	tlog_range_root(&r, cp.root);
	assert_int_equal(tlog_checkpoint_format(&body, &cp), 0);
	assert_int_equal(tlog_note_sign(&note, body.ptr, body.len, signers, 1),
	                 0);
	attest_buf_free(&body);
	return attest_buf_detach(&note);
}

/* n entries: a key event, evidence, and a redaction of entry 5 at the
 * end (whose payload is then absent); checkpoints every 100 (every
 * 10000 in large logs). */
static struct mem *
mem_new(size_t n)
{
	struct mem *m = xcalloc(1, sizeof(*m));
	uint8_t body[512];

	m->n = n;
	m->fail_at = -1;
	m->leaf = xcalloc(n, sizeof(*m->leaf));
	m->leaf_len = xcalloc(n, sizeof(*m->leaf_len));
	m->salt = xcalloc(n, sizeof(*m->salt));
	m->payload = xcalloc(n, sizeof(*m->payload));
	m->payload_len = xcalloc(n, sizeof(*m->payload_len));
	m->st = xcalloc(n, sizeof(*m->st));
	m->level[0] = xcalloc(n, sizeof(tlog_hash));
	for (size_t i = 0; i < n; i++) {
		struct tlog_leaf l;

		memset(&l, 0, sizeof(l));
		for (size_t k = 0; k < TLOG_SALT; k++)
			m->salt[i][k] = (uint8_t)(i * 7 + k);
		m->payload_len[i] = (size_t)snprintf(
		        m->payload[i], sizeof(m->payload[i]),
		        "{\"control\":\"CC6.1\",\"entry\":%zu}", i);
		m->st[i] = TLOG_PAYLOAD_PRESENT;
		l.version = 1;
		l.kind = TLOG_EVIDENCE;
		l.index = i;
		l.logged_at_ms = (uint64_t)(T0 + (int64_t)i * 1000);
		l.observed_at_ms = l.logged_at_ms - 500;
		l.tenant = bytes("acme-corp");
		l.source = bytes("aws.config/c7");
		l.controls = bytes("CC6.1");
		l.media_type = bytes("application/json");
		if (i == 0) {
			struct tlog_key_event ke = {bytes(vkey), bytes("")};
			l.kind = TLOG_KEY_EVENT;
			l.body.len =
			        tlog_key_event_encode(&ke, body, sizeof(body));
			l.body.p = body;
		} else if (i == n - 1) {
			struct tlog_redaction rd = {5, bytes("gdpr_erasure"),
			                            bytes("DSR-9"),
			                            bytes("dpo")};
			l.kind = TLOG_REDACTION;
			l.body.len =
			        tlog_redaction_encode(&rd, body, sizeof(body));
			l.body.p = body;
		}
		l.payload_len = m->payload_len[i];
		tlog_payload_commit(l.commitment, m->salt[i], m->payload[i],
		                    m->payload_len[i]);
		m->leaf_len[i] =
		        tlog_leaf_encode(&l, m->leaf[i], sizeof(m->leaf[i]));
		assert_true(m->leaf_len[i] > 0);
		tlog_leaf_hash(m->level[0][i], m->leaf[i], m->leaf_len[i]);
	}
	m->st[5] = TLOG_PAYLOAD_ABSENT;
	m->nlevel[0] = n;
	for (int lv = 1; lv < 3; lv++) {
		m->nlevel[lv] = m->nlevel[lv - 1] / TLOG_TILE_WIDTH;
		m->level[lv] = xcalloc(m->nlevel[lv] + 1, sizeof(tlog_hash));
		for (size_t j = 0; j < m->nlevel[lv]; j++)
			tlog_tile_root(m->level[lv - 1][j * TLOG_TILE_WIDTH],
			               m->level[lv][j]);
	}
	for (size_t s = 100; s < n; s += n < 1000 ? 100 : 10000)
		m->cps[m->ncps++] = note_at(m, s);
	m->checkpoint = note_at(m, n);
	m->cps[m->ncps++] = xstrdup(m->checkpoint);
	return m;
}

static void
mem_free(struct mem *m)
{
	free(m->leaf);
	free(m->leaf_len);
	free(m->salt);
	free(m->payload);
	free(m->payload_len);
	free(m->st);
	for (int lv = 0; lv < 3; lv++)
		free(m->level[lv]);
	for (size_t i = 0; i < m->ncps; i++)
		free(m->cps[i]);
	free(m->checkpoint);
	free(m);
}

static int
cb_entry(void *ctx, uint64_t idx, struct tlog_bundle_entry *out)
{
	struct mem *m = ctx;

	if (m->fail_at >= 0 && idx == (uint64_t)m->fail_at)
		return attest_error_set(ATTEST_EDB, "entry %" PRIu64 ": gone",
		                        idx);
	assert_true(idx < m->n);
	out->leaf = m->leaf[idx];
	out->leaf_len = m->leaf_len[idx];
	out->state = m->st[idx];
	out->salt = m->salt[idx];
	out->payload = (const uint8_t *)m->payload[idx];
	out->payload_len = m->payload_len[idx];
	return 0;
}

static int
cb_tile(void *ctx, unsigned level, uint64_t n, uint8_t out[TLOG_TILE_BYTES])
{
	struct mem *m = ctx;

	assert_true(level < 3);
	assert_true((n + 1) * TLOG_TILE_WIDTH <= m->nlevel[level]);
	memcpy(out, m->level[level][n * TLOG_TILE_WIDTH], TLOG_TILE_BYTES);
	return 0;
}

static int
cb_checkpoint(void *ctx, size_t i, const char **note)
{
	struct mem *m = ctx;

	if (i >= m->ncps)
		return ATTEST_ENOTFOUND;
	*note = m->cps[i];
	return 0;
}

static void
cb_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct mem *m = ctx;

	assert_true(done <= total);
	m->progress = done;
}

static void
source(struct tlog_bundle_source *s, struct mem *m, const uint64_t *proofs,
       size_t nproofs)
{
	memset(s, 0, sizeof(*s));
	s->size = m->n;
	s->checkpoint = m->checkpoint;
	s->vkeys = vkey;
	s->first = 0;
	s->end = m->n;
	s->from = "2026-01-01";
	s->to = "2026-12-31";
	s->proofs = proofs;
	s->nproofs = nproofs;
	s->signer = &signer;
	s->ctx = m;
	s->entry = cb_entry;
	s->tile = cb_tile;
	s->checkpoint_at = cb_checkpoint;
	s->progress = cb_progress;
}

static char *
dir_for(const char *name)
{
	return attest_path_join(tmp_root, name);
}

static char *
write_bundle(struct mem *m, const char *name, const uint64_t *proofs,
             size_t nproofs)
{
	struct tlog_bundle_source s;
	char *dir = dir_for(name);

	source(&s, m, proofs, nproofs);
	if (tlog_bundle_write(dir, &s) != 0)
		fail_msg("write: %s", attest_error_last());
	return dir;
}

static struct tlog_trusted trusted;

/* Verifies with the log key, anchored at the full size when anchored. */
static int
verify(struct mem *m, const char *dir, int anchored,
       struct tlog_check_report *r)
{
	struct tlog_check_opts o;

	memset(&o, 0, sizeof(o));
	o.keys = &verifier;
	o.nkeys = 1;
	o.now_ms = T0 + 2 * DAY;
	if (anchored) {
		trusted.name = "engagement-start.checkpoint";
		trusted.note = m->checkpoint;
		trusted.note_len = strlen(m->checkpoint);
		trusted.received_ms = T0 + DAY;
		o.trusted = &trusted;
		o.ntrusted = 1;
	}
	return tlog_bundle_verify(dir, &o, r);
}

static int
has(const struct tlog_check_report *r, const char *code, const char *text)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].code, code) == 0 &&
		    (text == NULL || strstr(r->findings[i].message, text)))
			return 1;
	return 0;
}

static int
has_at(const struct tlog_check_report *r, const char *code, uint64_t index)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].code, code) == 0 &&
		    r->findings[i].has_index && r->findings[i].index == index)
			return 1;
	return 0;
}

static void
only_tamper(const struct tlog_check_report *r, const char *a, const char *b)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct tlog_finding *f = &r->findings[i];
		if (f->severity == TLOG_TAMPER && strcmp(f->code, a) != 0 &&
		    (b == NULL || strcmp(f->code, b) != 0))
			fail_msg("unexpected %s: %s", f->code, f->message);
	}
}

static char *
path_in(const char *dir, const char *rel)
{
	return attest_path_join(dir, rel);
}

static void
flip_byte(const char *dir, const char *rel, long off)
{
	char *p = path_in(dir, rel);
	FILE *f = fopen(p, "r+b");
	int c;

	assert_non_null(f);
	fseek(f, off, off < 0 ? SEEK_END : SEEK_SET);
	c = fgetc(f);
	fseek(f, -1, SEEK_CUR);
	fputc(c ^ 0x01, f);
	fclose(f);
	free(p);
}

static void
test_bundle__clean(void **state)
{
	struct mem *m = mem_new(600);
	uint64_t proofs[] = {0, 300, 599};
	char *dir = write_bundle(m, "clean", proofs, 3);
	struct tlog_check_report r;
	char *p;

	(void)state;
	assert_int_equal(m->progress, 600);
	p = path_in(dir, "tile/entries/002.p/88");
	assert_true(attest_exists(p));
	free(p);
	p = path_in(dir, "proofs/300.tlog-proof");
	assert_true(attest_exists(p));
	free(p);
	assert_int_equal(verify(m, dir, 1, &r), 3); /* one redaction */
	assert_int_equal(r.ntamper, 0);
	assert_int_equal(r.size, 600);
	assert_int_equal(r.payloads, 599);
	assert_int_equal(r.redacted, 1);
	assert_true(has_at(&r, "redacted", 5));
	assert_false(has(&r, "proof_invalid", NULL));
	/* 5 stored, the latest, and the 3 proofs' checkpoints. */
	assert_int_equal(r.checkpoints, 6 + 1 + 3);
	tlog_check_report_free(&r);

	/* Unanchored, the tail is the whole log. */
	assert_int_equal(verify(m, dir, 0, &r), 3);
	assert_true(has_at(&r, "unanchored_tail", 0));
	tlog_check_report_free(&r);
	free(dir);
	mem_free(m);
}

static void
test_bundle__fully_clean(void **state)
{
	struct mem *m = mem_new(300);
	char *dir;
	struct tlog_check_report r;

	(void)state;
	m->st[5] = TLOG_PAYLOAD_PRESENT;
	dir = write_bundle(m, "fully-clean", NULL, 0);
	assert_int_equal(verify(m, dir, 1, &r), 0);
	assert_int_equal(r.nfindings, 1); /* the time window */
	tlog_check_report_free(&r);
	free(dir);
	mem_free(m);
}

static void
test_bundle__byte_altered(void **state)
{
	struct mem *m = mem_new(600);
	char *dir = write_bundle(m, "altered", NULL, 0);
	struct tlog_check_report r;

	(void)state;
	/* The last byte of the first payload bundle: entry 255's JSON. */
	flip_byte(dir, "payload/000", -2);
	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "file_mismatch", "payload/000"));
	assert_true(has_at(&r, "payload_mismatch", 255));
	only_tamper(&r, "file_mismatch", "payload_mismatch");
	tlog_check_report_free(&r);
	free(dir);
	mem_free(m);
}

static void
test_bundle__file_added(void **state)
{
	struct mem *m = mem_new(300);
	char *dir = write_bundle(m, "added", NULL, 0);
	struct tlog_check_report r;
	char *p = path_in(dir, "tile/entries/notes.txt");
	FILE *f = fopen(p, "w");

	(void)state;
	assert_non_null(f);
	fputs("nothing to see\n", f);
	fclose(f);
	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "file_unexpected", "tile/entries/notes.txt"));
	only_tamper(&r, "file_unexpected", NULL);
	tlog_check_report_free(&r);
	free(p);
	free(dir);
	mem_free(m);
}

static void
test_bundle__file_removed(void **state)
{
	struct mem *m = mem_new(300);
	char *dir = write_bundle(m, "removed", NULL, 0);
	struct tlog_check_report r;
	char *p = path_in(dir, "checkpoints/200");

	(void)state;
	assert_int_equal(unlink(p), 0);
	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "file_missing", "checkpoints/200"));
	only_tamper(&r, "file_missing", NULL);
	tlog_check_report_free(&r);
	free(p);
	free(dir);
	mem_free(m);
}

/* The payload and its MANIFEST line both changed, the signature kept. */
static void
test_bundle__manifest_not_resigned(void **state)
{
	struct mem *m = mem_new(300);
	char *dir = write_bundle(m, "resign", NULL, 0);
	struct tlog_check_report r;
	char *mp = path_in(dir, "MANIFEST"), *pp, *text, *line, hex[65];
	size_t len;
	FILE *f;
	tlog_hash h;
	const void *parts[1];
	size_t lens[1];

	(void)state;
	flip_byte(dir, "payload/000", -2);
	pp = path_in(dir, "payload/000");
	assert_int_equal(attest_read_file(&text, &len, pp, 1 << 24), 0);
	parts[0] = text;
	lens[0] = len;
	tlog_sha256(h, 1, parts, lens);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	free(text);
	assert_int_equal(attest_read_file(&text, &len, mp, 1 << 24), 0);
	line = strstr(text, " payload/000\n");
	assert_non_null(line);
	/* "file <64 hex> <size> payload/000": the hash ends before size. */
	line = memrchr(text, '\n', (size_t)(line - text)) + 1 + 5;
	memcpy(line, hex, 64);
	f = fopen(mp, "wb");
	fwrite(text, 1, len, f);
	fclose(f);
	free(text);

	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "signature_invalid", "MANIFEST"));
	assert_false(has(&r, "file_mismatch", NULL));
	assert_true(has_at(&r, "payload_mismatch", 255));
	tlog_check_report_free(&r);
	free(mp);
	free(pp);
	free(dir);
	mem_free(m);
}

static void
test_bundle__proof_altered(void **state)
{
	struct mem *m = mem_new(600);
	uint64_t proofs[] = {300};
	char *dir = write_bundle(m, "proof", proofs, 1);
	struct tlog_check_report r;
	char *p = path_in(dir, "proofs/300.tlog-proof"), *text, *hash;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(attest_read_file(&text, &len, p, 1 << 20), 0);
	hash = strstr(text, "index 300\n") + 10;
	*hash = *hash == 'A' ? 'B' : 'A';
	f = fopen(p, "wb");
	fwrite(text, 1, len, f);
	fclose(f);
	free(text);
	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "file_mismatch", "proofs/300.tlog-proof"));
	assert_true(has_at(&r, "proof_invalid", 300));
	only_tamper(&r, "file_mismatch", "proof_invalid");
	tlog_check_report_free(&r);
	free(p);
	free(dir);
	mem_free(m);
}

/* Payloads only for [256, 512): the rest are omitted, and entry 5's
 * absence is outside the period. */
static void
test_bundle__period(void **state)
{
	struct mem *m = mem_new(600);
	struct tlog_bundle_source s;
	char *dir = dir_for("period"), *p;
	struct tlog_check_report r;

	(void)state;
	source(&s, m, NULL, 0);
	s.first = 300;
	s.end = 400;
	assert_int_equal(tlog_bundle_write(dir, &s), 0);
	p = path_in(dir, "payload/000");
	assert_false(attest_exists(p));
	free(p);
	p = path_in(dir, "payload/001");
	assert_true(attest_exists(p));
	free(p);
	assert_int_equal(verify(m, dir, 1, &r), 3);
	assert_int_equal(r.ntamper, 0);
	assert_int_equal(r.payloads, 100);
	assert_int_equal(r.omitted, 500);
	assert_int_equal(r.redacted, 0);
	assert_true(has(&r, "not_exported", NULL));
	tlog_check_report_free(&r);
	free(dir);
	mem_free(m);
}

static void
test_bundle__truncated_file(void **state)
{
	struct mem *m = mem_new(600);
	char *dir = write_bundle(m, "truncated", NULL, 0);
	struct tlog_check_report r;
	char *p = path_in(dir, "tile/entries/001");
	struct stat st;

	(void)state;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(truncate(p, st.st_size - 50), 0);
	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "file_mismatch", "tile/entries/001"));
	assert_true(has(&r, "bundle_malformed", "tile/entries/001"));
	assert_true(has(&r, "bundle_malformed", "offset"));
	assert_true(has_at(&r, "bundle_malformed", 511));
	assert_true(has_at(&r, "entry_missing", 511));
	tlog_check_report_free(&r);
	free(p);
	free(dir);
	mem_free(m);
}

static void
test_bundle__io_errors(void **state)
{
	struct mem *m = mem_new(300);
	struct tlog_bundle_source s;
	struct tlog_check_report r;
	char *dir = dir_for("no-such-dir");

	(void)state;
	assert_int_equal(verify(m, dir, 0, &r), 2);
	assert_non_null(strstr(attest_error_last(), "no-such-dir"));
	tlog_check_report_free(&r);

	/* A failing source leaves nothing behind. */
	source(&s, m, NULL, 0);
	m->fail_at = 280;
	assert_int_equal(tlog_bundle_write(dir, &s), ATTEST_EDB);
	assert_false(attest_exists(dir));
	/* An existing directory is refused. */
	m->fail_at = -1;
	assert_int_equal(tlog_bundle_write(tmp_root, &s), ATTEST_EEXISTS);
	free(dir);
	mem_free(m);
}

/* A MANIFEST re-signed (with the log key) to claim 2^60 entries: the
 * verifier must not try to open 2^52 entry bundles. */
static void
test_bundle__manifest_huge_size(void **state)
{
	struct mem *m = mem_new(300);
	char *dir = write_bundle(m, "huge", NULL, 0);
	const struct tlog_signer *signers[1] = {&signer};
	struct attest_buf text = ATTEST_BUF_INIT, note = ATTEST_BUF_INIT;
	struct tlog_check_report r;
	char *mp = path_in(dir, "MANIFEST"), *old, *at;
	struct tlog_note n;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(attest_read_file(&old, &len, mp, 1 << 24), 0);
	assert_int_equal(tlog_note_parse(&n, old, len), 0);
	at = strstr(n.text, "\nsize 300\n");
	assert_non_null(at);
	attest_buf_put(&text, n.text, (size_t)(at - n.text));
	attest_buf_puts(&text, "\nsize 1152921504606846976\n");
	attest_buf_puts(&text, at + strlen("\nsize 300\n"));
	assert_int_equal(tlog_note_sign(&note, text.ptr, text.len, signers, 1),
	                 0);
	f = fopen(mp, "wb");
	fwrite(note.ptr, 1, note.len, f);
	fclose(f);
	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "manifest_invalid", "size"));
	tlog_check_report_free(&r);

	/* The last entry bundle removed: listed, missing, and the log is
	   short of its checkpoint. */
	at = path_in(dir, "tile/entries/001.p/44");
	assert_int_equal(unlink(at), 0);
	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "file_missing", "tile/entries/001.p/44"));
	assert_true(has_at(&r, "truncated", 300));
	tlog_check_report_free(&r);
	free(at);
	tlog_note_free(&n);
	attest_buf_free(&text);
	attest_buf_free(&note);
	free(old);
	free(mp);
	free(dir);
	mem_free(m);
}

/* With 2^16 entries there is a level-1 tile; its damage is pinned. */
static void
test_bundle__tile_level1(void **state)
{
	struct mem *m = mem_new(65536 + 10);
	char *dir = write_bundle(m, "level1", NULL, 0);
	struct tlog_check_report r;
	char *p = path_in(dir, "tile/1/000");

	(void)state;
	assert_true(attest_exists(p));
	assert_int_equal(verify(m, dir, 1, &r), 3);
	assert_int_equal(r.ntamper, 0);
	tlog_check_report_free(&r);
	flip_byte(dir, "tile/1/000", 100);
	assert_int_equal(verify(m, dir, 1, &r), 1);
	assert_true(has(&r, "file_mismatch", "tile/1/000"));
	assert_true(has(&r, "tile_mismatch", "tile/1/000"));
	only_tamper(&r, "file_mismatch", "tile_mismatch");
	tlog_check_report_free(&r);
	free(p);
	free(dir);
	mem_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bundle__clean),
	        cmocka_unit_test(test_bundle__fully_clean),
	        cmocka_unit_test(test_bundle__byte_altered),
	        cmocka_unit_test(test_bundle__file_added),
	        cmocka_unit_test(test_bundle__file_removed),
	        cmocka_unit_test(test_bundle__manifest_not_resigned),
	        cmocka_unit_test(test_bundle__proof_altered),
	        cmocka_unit_test(test_bundle__period),
	        cmocka_unit_test(test_bundle__truncated_file),
	        cmocka_unit_test(test_bundle__io_errors),
	        cmocka_unit_test(test_bundle__manifest_huge_size),
	        cmocka_unit_test(test_bundle__tile_level1),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
