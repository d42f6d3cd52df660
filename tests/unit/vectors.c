/*
 * The test vectors of docs/ledger-format.md: a three-entry log built from
 * fixed inputs (a key from a fixed seed, fixed salts, fixed times), with
 * the exact bytes of every leaf, commitment, leaf hash, root, the signed
 * checkpoint, an inclusion proof and a consistency proof. Ed25519 is
 * deterministic, so every value is fixed; each is asserted here, and each
 * must also appear, character for character (white space aside), in the
 * document, so the published vectors cannot drift from the code.
 *
 * The inputs:
 *   key     seed 0x01 0x02 ... 0x20, name "attest.local/acme-corp"
 *   salt    entry i: the 32 bytes 32i, 32i + 1, ..., 32i + 31
 *   0       key_event naming the key (no old key), no payload
 *   1       evidence for IAM-01 with a small JSON payload
 *   2       redaction of entry 1 (gdpr_erasure, DSR-7, dpo), no payload
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attest/evidence.h"
#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/proof.h"
#include "util/buf.h"
#include "util/fs.h"

#define SKEY                                                                   \
	"PRIVATE+KEY+attest.local/acme-corp+f5b7d68f+"                         \
	"AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"
#define VKEY                                                                   \
	"attest.local/acme-corp+f5b7d68f+"                                     \
	"AXm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZk"
#define ORIGIN  "attest.local/acme-corp"
#define TENANT  "acme-corp"
#define ENTRIES 3

/* Expected values. */

static const char *const want_payload1 =
        "{\"collected_at\":\"2026-01-05T09:30:00Z\",\"controls\":"
        "[\"IAM-01\"],\"effective_at\":\"2026-01-05T09:15:00Z\",\"kind\":"
        "\"upload\",\"note\":\"quarterly access review\",\"source\":"
        "\"alice\",\"verdict\":\"pass\"}";

static const char *const want_leaf[ENTRIES] = {
        "010400000000000000000000019b8d627a800000019b8d627a800961636d652d"
        "636f7270116174746573742e6c65646765722f6b657900000000000000000000"
        "0035aed29cb52f6aba8b22ae68ed7b26b1e1d648047801e852f416aa397c6931"
        "0d0050004c6174746573742e6c6f63616c2f61636d652d636f72702b66356237"
        "643638662b41586d3156693650356c5435514869784575697069366551483455"
        "363570572b312b446a6b517574424a5a6b0000",
        "010100000000000000010000019b8d7df2ba0000019b8d7036200961636d652d"
        "636f7270166174746573742e65766964656e63652f75706c6f6164000649414d"
        "2d3031106170706c69636174696f6e2f6a736f6e00000000000000b686ae92ab"
        "3a5e7def063f14ba0f2dddeaf7ddb62e1dc5868e32e32cc51e65ad3b0000",
        "010200000000000000020000019c1dcb79000000019c1dcb79000961636d652d"
        "636f7270146174746573742e6c65646765722f72656461637400000000000000"
        "00000000279f92e2a031fbdbba383ef79362e7ea412c8926c0a8956beeb8e8bc"
        "e9d94bb4001f00000000000000010c676470725f65726173757265054453522d"
        "370364706f",
};

static const char *const want_commitment[ENTRIES] = {
        "35aed29cb52f6aba8b22ae68ed7b26b1e1d648047801e852f416aa397c69310d",
        "86ae92ab3a5e7def063f14ba0f2dddeaf7ddb62e1dc5868e32e32cc51e65ad3b",
        "279f92e2a031fbdbba383ef79362e7ea412c8926c0a8956beeb8e8bce9d94bb4",
};

static const char *const want_leaf_hash[ENTRIES] = {
        "afd50fce7f64227c2cd1050b225fc8bb66dc0bd448b6aef35f120a0266dd7756",
        "08e45bfc4037c6eb5dec59ef5a0a9cb33f50400eed4dd47c99845b3bc6b791a9",
        "2509d0796e0557b688849519f7291bd9866a2d768fd5790924d21550813ebb56",
};

static const char *const want_root[ENTRIES + 1] = {
        /* size 0: SHA-256 of the empty string */
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "afd50fce7f64227c2cd1050b225fc8bb66dc0bd448b6aef35f120a0266dd7756",
        "7a30724d65a7144f178b71bea7d25cc9aa3fa66f5b13737f29049a39c86a4cd1",
        "705046a683a5015e69fff100a08aa6eb0532a1edea1add9bca1e9a150cd25883",
};

static const char *const want_checkpoint =
        "attest.local/acme-corp\n"
        "3\n"
        "cFBGpoOlAV5p//EAoIqm6wUyoe3qGt2byh6aFQzSWIM=\n"
        "\n"
        "— attest.local/acme-corp "
        "9bfWj2aGbmTmvA4RWKx+FVuJXyUeH4VE3yioMDDrS+dt87Bt98Gg6ipLX5M9LDtNZy7p+"
        "sKQHbufOVh/wOpPm5ufgwI=\n";

static const char *const want_inclusion[] = {
        "afd50fce7f64227c2cd1050b225fc8bb66dc0bd448b6aef35f120a0266dd7756",
        "2509d0796e0557b688849519f7291bd9866a2d768fd5790924d21550813ebb56",
};

static const char *const want_inclusion_proof =
        "c2sp.org/tlog-proof@v1\n"
        "extra "
        "AQEAAAAAAAAAAQAAAZuNffK6AAABm41wNiAJYWNtZS1jb3JwFmF0dGVzdC5ldmlkZW5jZS"
        "91cGxvYWQABklBTS0wMRBhcHBsaWNhdGlvbi9qc29uAAAAAAAAALaGrpKrOl597wY/"
        "FLoPLd3q9922Lh3Fho4y4yzFHmWtOwAA\n"
        "index 1\n"
        "r9UPzn9kInws0QULIl/Iu2bcC9RItq7zXxIKAmbdd1Y=\n"
        "JQnQeW4FV7aIhJUZ9ykb2YZqLXaP1XkJJNIVUIE+u1Y=\n"
        "\n"
        "attest.local/acme-corp\n"
        "3\n"
        "cFBGpoOlAV5p//EAoIqm6wUyoe3qGt2byh6aFQzSWIM=\n"
        "\n"
        "— attest.local/acme-corp "
        "9bfWj2aGbmTmvA4RWKx+FVuJXyUeH4VE3yioMDDrS+dt87Bt98Gg6ipLX5M9LDtNZy7p+"
        "sKQHbufOVh/wOpPm5ufgwI=\n";

static const char *const want_consistency[] = {
        "2509d0796e0557b688849519f7291bd9866a2d768fd5790924d21550813ebb56",
};

static const char *const want_consistency_proof =
        "attest.dev/consistency-proof@v1\n"
        "old 2\n"
        "new 3\n"
        "JQnQeW4FV7aIhJUZ9ykb2YZqLXaP1XkJJNIVUIE+u1Y=\n";

/* Building the log. */

struct vlog {
	struct tlog_signer signer;
	uint8_t salt[ENTRIES][TLOG_SALT];
	char *payload[ENTRIES];
	size_t payload_len[ENTRIES];
	uint8_t leaf[ENTRIES][TLOG_LEAF_MAX];
	size_t leaf_len[ENTRIES];
	tlog_hash commitment[ENTRIES];
	tlog_hash leaf_hash[ENTRIES];
};

static struct tlog_bytes
text(const char *s)
{
	struct tlog_bytes b = {(const uint8_t *)s, strlen(s)};
	return b;
}

static char *
evidence_payload(void)
{
	const char *controls[] = {"IAM-01"};
	struct attest_evidence ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = "upload";
	ev.source = "alice";
	ev.controls = controls;
	ev.ncontrols = 1;
	ev.verdict = "pass";
	ev.collected_at = 1767605400; /* 2026-01-05T09:30:00Z */
	ev.effective_at = 1767604500; /* 2026-01-05T09:15:00Z */
	ev.note = "quarterly access review";
	ev.ledger_idx = -1;
	ev.redacted_by = -1;
	return attest_evidence_canonical(&ev);
}

/* Fills in one leaf the way the ledger does (src/ledger/ledger.c). */
static void
add(struct vlog *v, unsigned i, struct tlog_leaf *l)
{
	l->version = 1;
	l->index = i;
	l->tenant = text(TENANT);
	l->payload_len = v->payload_len[i];
	tlog_payload_commit(l->commitment, v->salt[i], v->payload[i],
	                    v->payload_len[i]);
	memcpy(v->commitment[i], l->commitment, TLOG_HASH);
	v->leaf_len[i] = tlog_leaf_encode(l, v->leaf[i], TLOG_LEAF_MAX);
	assert_true(v->leaf_len[i] > 0);
	tlog_leaf_hash(v->leaf_hash[i], v->leaf[i], v->leaf_len[i]);
}

static void
build(struct vlog *v)
{
	uint8_t key_body[512], red_body[512];
	struct tlog_key_event ke;
	struct tlog_redaction rd;
	struct tlog_leaf l;

	memset(v, 0, sizeof(*v));
	assert_int_equal(tlog_signer_parse(&v->signer, SKEY), 0);
	for (unsigned i = 0; i < ENTRIES; i++)
		for (unsigned j = 0; j < TLOG_SALT; j++)
			v->salt[i][j] = (uint8_t)(32 * i + j);

	/* 0: the first key event. */
	memset(&ke, 0, sizeof(ke));
	ke.new_vkey = text(VKEY);
	memset(&l, 0, sizeof(l));
	l.kind = TLOG_KEY_EVENT;
	l.logged_at_ms = 1767603600000; /* 2026-01-05T09:00:00Z */
	l.observed_at_ms = l.logged_at_ms;
	l.source = text("attest.ledger/key");
	l.body.p = key_body;
	l.body.len = tlog_key_event_encode(&ke, key_body, sizeof(key_body));
	assert_true(l.body.len > 0);
	add(v, 0, &l);

	/* 1: evidence. */
	v->payload[1] = evidence_payload();
	v->payload_len[1] = strlen(v->payload[1]);
	memset(&l, 0, sizeof(l));
	l.kind = TLOG_EVIDENCE;
	l.logged_at_ms = 1767605400250; /* 2026-01-05T09:30:00.250Z */
	l.observed_at_ms = 1767604500000;
	l.source = text("attest.evidence/upload");
	l.controls = text("IAM-01");
	l.media_type = text("application/json");
	add(v, 1, &l);

	/* 2: the redaction of entry 1. */
	memset(&rd, 0, sizeof(rd));
	rd.target = 1;
	rd.reason = text("gdpr_erasure");
	rd.request_ref = text("DSR-7");
	rd.approver_ref = text("dpo");
	memset(&l, 0, sizeof(l));
	l.kind = TLOG_REDACTION;
	l.logged_at_ms = 1770026400000; /* 2026-02-02T10:00:00Z */
	l.observed_at_ms = l.logged_at_ms;
	l.source = text("attest.ledger/redact");
	l.body.p = red_body;
	l.body.len = tlog_redaction_encode(&rd, red_body, sizeof(red_body));
	assert_true(l.body.len > 0);
	add(v, 2, &l);
}

static void
release(struct vlog *v)
{
	tlog_signer_free(&v->signer);
	for (unsigned i = 0; i < ENTRIES; i++)
		free(v->payload[i]);
}

/* The hash of the full subtree (height, index) of the vector log, for
   proof generation. */
static int
subtree(void *ctx, unsigned height, uint64_t index, tlog_hash out)
{
	const struct vlog *v = ctx;
	tlog_hash left, right;

	if (height == 0) {
		assert_true(index < ENTRIES);
		memcpy(out, v->leaf_hash[index], TLOG_HASH);
		return 0;
	}
	subtree(ctx, height - 1, 2 * index, left);
	subtree(ctx, height - 1, 2 * index + 1, right);
	tlog_node_hash(out, left, right);
	return 0;
}

static void
root_at(const struct vlog *v, uint64_t size, tlog_hash out)
{
	struct tlog_range r;

	tlog_range_init(&r);
	for (uint64_t i = 0; i < size; i++)
		tlog_range_append(&r, v->leaf_hash[i]);
	tlog_range_root(&r, out);
}

/* The signed checkpoint of the first size entries (allocated). */
static char *
checkpoint_note(const struct vlog *v, uint64_t size)
{
	struct attest_buf body = ATTEST_BUF_INIT, note = ATTEST_BUF_INIT;
	const struct tlog_signer *signers[1] = {&v->signer};
	struct tlog_checkpoint cp;

	cp.origin = (char *)ORIGIN;
	cp.size = size;
	root_at(v, size, cp.root);
	assert_int_equal(tlog_checkpoint_format(&body, &cp), 0);
	assert_int_equal(tlog_note_sign(&note, body.ptr, body.len, signers, 1),
	                 0);
	attest_buf_free(&body);
	return attest_buf_detach(&note);
}

/* Checking. */

static char *
hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

/* Mismatches in the current test. Each is reported with the value
   computed, and all of them before the test fails, so a changed format
   shows everything to publish instead. */
static int mismatches;

static void
expect_text(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		print_error("%s:\n  got  %s\n  want %s\n", what, got, want);
		mismatches++;
	}
}

static int
reset(void **state)
{
	(void)state;
	mismatches = 0;
	return 0;
}

static void
no_mismatches(void)
{
	assert_int_equal(mismatches, 0);
}

static void
expect_hex(const char *what, const uint8_t *p, size_t n, const char *want)
{
	char *got = hex(p, n);

	expect_text(what, got, want);
	free(got);
}

static void
test_vectors__key(void **state)
{
	struct tlog_signer s;
	struct tlog_verifier v;
	char *vkey;

	(void)state;
	assert_int_equal(tlog_signer_parse(&s, SKEY), 0);
	vkey = tlog_signer_vkey(&s);
	expect_text("vkey", vkey, VKEY);
	assert_int_equal(tlog_verifier_parse(&v, VKEY), 0);
	assert_int_equal(v.key_id, 0xf5b7d68fu);
	expect_hex("public key", v.pk, 32,
	           "79b5562e8fe654f94078b112e8a98ba7"
	           "901f853ae695bed7e0e3910bad049664");
	free(vkey);
	tlog_verifier_free(&v);
	tlog_signer_free(&s);
	no_mismatches();
}

static void
test_vectors__payload(void **state)
{
	char *payload = evidence_payload();

	(void)state;
	expect_text("evidence payload", payload, want_payload1);
	free(payload);
	no_mismatches();
}

static void
test_vectors__leaves(void **state)
{
	struct vlog v;
	char what[48];

	(void)state;
	build(&v);
	for (unsigned i = 0; i < ENTRIES; i++) {
		struct tlog_leaf l;

		snprintf(what, sizeof(what), "leaf %u", i);
		expect_hex(what, v.leaf[i], v.leaf_len[i], want_leaf[i]);
		snprintf(what, sizeof(what), "commitment %u", i);
		expect_hex(what, v.commitment[i], TLOG_HASH,
		           want_commitment[i]);
		snprintf(what, sizeof(what), "leaf hash %u", i);
		expect_hex(what, v.leaf_hash[i], TLOG_HASH, want_leaf_hash[i]);
		/* And each leaf reads back as what was written. */
		assert_int_equal(tlog_leaf_parse(&l, v.leaf[i], v.leaf_len[i]),
		                 0);
		assert_int_equal(l.index, i);
	}
	release(&v);
	no_mismatches();
}

static void
test_vectors__roots(void **state)
{
	struct vlog v;
	tlog_hash root;
	char what[48];

	(void)state;
	build(&v);
	for (uint64_t size = 0; size <= ENTRIES; size++) {
		root_at(&v, size, root);
		snprintf(what, sizeof(what), "root at size %u", (unsigned)size);
		expect_hex(what, root, TLOG_HASH, want_root[size]);
		if (size > 0) {
			tlog_hash by_fn;
			assert_int_equal(
			        tlog_tree_root(size, subtree, &v, by_fn), 0);
			assert_memory_equal(by_fn, root, TLOG_HASH);
		}
	}
	release(&v);
	no_mismatches();
}

static void
test_vectors__checkpoint(void **state)
{
	struct vlog v;
	struct tlog_verifier key;
	struct tlog_note note;
	char *text3;

	(void)state;
	build(&v);
	text3 = checkpoint_note(&v, ENTRIES);
	expect_text("checkpoint at size 3", text3, want_checkpoint);
	assert_int_equal(tlog_verifier_parse(&key, VKEY), 0);
	assert_int_equal(tlog_note_parse(&note, text3, strlen(text3)), 0);
	assert_int_equal(tlog_note_verify(&note, &key), 0);
	tlog_note_free(&note);
	tlog_verifier_free(&key);
	free(text3);
	release(&v);
	no_mismatches();
}

static void
test_vectors__inclusion(void **state)
{
	struct vlog v;
	struct tlog_proof p;
	struct attest_buf out = ATTEST_BUF_INIT;
	tlog_hash root;
	char what[48];

	(void)state;
	build(&v);
	memset(&p, 0, sizeof(p));
	assert_int_equal(tlog_inclusion_proof(1, ENTRIES, subtree, &v, p.hashes,
	                                      &p.nhashes),
	                 0);
	assert_int_equal(p.nhashes,
	                 sizeof(want_inclusion) / sizeof(want_inclusion[0]));
	for (size_t i = 0; i < p.nhashes; i++) {
		snprintf(what, sizeof(what), "inclusion hash %zu", i);
		expect_hex(what, p.hashes[i], TLOG_HASH, want_inclusion[i]);
	}
	root_at(&v, ENTRIES, root);
	assert_int_equal(tlog_verify_inclusion(1, ENTRIES, v.leaf_hash[1],
	                                       (const tlog_hash *)p.hashes,
	                                       p.nhashes, root),
	                 0);
	/* The file, as 'attest ledger prove 1' writes it. */
	p.has_extra = 1;
	p.extra = v.leaf[1];
	p.extra_len = v.leaf_len[1];
	p.index = 1;
	p.checkpoint = checkpoint_note(&v, ENTRIES);
	p.checkpoint_len = strlen(p.checkpoint);
	assert_int_equal(tlog_proof_format(&out, &p), 0);
	expect_text("inclusion proof file", attest_buf_cstr(&out),
	            want_inclusion_proof);
	free(p.checkpoint);
	attest_buf_free(&out);
	release(&v);
	no_mismatches();
}

static void
test_vectors__consistency(void **state)
{
	struct vlog v;
	struct tlog_consistency c;
	struct attest_buf out = ATTEST_BUF_INIT;
	tlog_hash root2, root3;
	char what[48];

	(void)state;
	build(&v);
	memset(&c, 0, sizeof(c));
	c.old_size = 2;
	c.new_size = ENTRIES;
	assert_int_equal(tlog_consistency_proof(2, ENTRIES, subtree, &v,
	                                        c.hashes, &c.nhashes),
	                 0);
	assert_int_equal(c.nhashes, sizeof(want_consistency) /
	                                    sizeof(want_consistency[0]));
	for (size_t i = 0; i < c.nhashes; i++) {
		snprintf(what, sizeof(what), "consistency hash %zu", i);
		expect_hex(what, c.hashes[i], TLOG_HASH, want_consistency[i]);
	}
	root_at(&v, 2, root2);
	root_at(&v, ENTRIES, root3);
	assert_int_equal(tlog_verify_consistency(2, ENTRIES, root2, root3,
	                                         (const tlog_hash *)c.hashes,
	                                         c.nhashes),
	                 0);
	assert_int_equal(tlog_consistency_format(&out, &c), 0);
	expect_text("consistency proof file", attest_buf_cstr(&out),
	            want_consistency_proof);
	attest_buf_free(&out);
	release(&v);
	no_mismatches();
}

/* The document, with all white space removed (allocated). */
static char *
document(void)
{
	const char *dir = getenv("ATTEST_SOURCE_DIR");
	const char *self = __FILE__, *tail = "tests/unit/vectors.c";
	struct attest_buf path = ATTEST_BUF_INIT;
	char *doc = NULL, *squeezed;
	size_t len = 0, n = 0;

	/* Outside CTest, find the document from this file's own path. */
	if (dir != NULL && dir[0] != '\0')
		attest_buf_printf(&path, "%s/docs/ledger-format.md", dir);
	else if (strlen(self) >= strlen(tail) &&
	         strcmp(self + strlen(self) - strlen(tail), tail) == 0)
		attest_buf_printf(&path, "%.*sdocs/ledger-format.md",
		                  (int)(strlen(self) - strlen(tail)), self);
	else
		attest_buf_puts(&path, "docs/ledger-format.md");
	if (attest_read_file(&doc, &len, attest_buf_cstr(&path), 1 << 20) < 0) {
		print_error("cannot read %s; set ATTEST_SOURCE_DIR\n",
		            attest_buf_cstr(&path));
		fail();
	}
	attest_buf_free(&path);
	squeezed = malloc(len + 1);
	assert_non_null(squeezed);
	for (size_t i = 0; i < len; i++)
		if (doc[i] != ' ' && doc[i] != '\t' && doc[i] != '\n' &&
		    doc[i] != '\r')
			squeezed[n++] = doc[i];
	squeezed[n] = '\0';
	free(doc);
	return squeezed;
}

static void
expect_documented(const char *doc, const char *what, const char *value)
{
	char *squeezed = malloc(strlen(value) + 1);
	size_t n = 0;

	assert_non_null(squeezed);
	for (const char *p = value; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			squeezed[n++] = *p;
	squeezed[n] = '\0';
	if (n == 0 || strstr(doc, squeezed) == NULL) {
		print_error("docs/ledger-format.md does not give %s:\n%s\n",
		            what, value);
		mismatches++;
	}
	free(squeezed);
}

/* Every expected value above appears in docs/ledger-format.md. */
static void
test_vectors__documented(void **state)
{
	char *doc = document();
	char what[48];

	(void)state;
	expect_documented(doc, "the skey", SKEY);
	expect_documented(doc, "the vkey", VKEY);
	expect_documented(doc, "the evidence payload", want_payload1);
	for (unsigned i = 0; i < ENTRIES; i++) {
		snprintf(what, sizeof(what), "leaf %u", i);
		expect_documented(doc, what, want_leaf[i]);
		snprintf(what, sizeof(what), "commitment %u", i);
		expect_documented(doc, what, want_commitment[i]);
		snprintf(what, sizeof(what), "leaf hash %u", i);
		expect_documented(doc, what, want_leaf_hash[i]);
	}
	for (unsigned i = 0; i <= ENTRIES; i++) {
		snprintf(what, sizeof(what), "root at size %u", i);
		expect_documented(doc, what, want_root[i]);
	}
	expect_documented(doc, "the checkpoint", want_checkpoint);
	for (size_t i = 0; i < sizeof(want_inclusion) / sizeof(*want_inclusion);
	     i++)
		expect_documented(doc, "an inclusion hash", want_inclusion[i]);
	expect_documented(doc, "the inclusion proof", want_inclusion_proof);
	for (size_t i = 0;
	     i < sizeof(want_consistency) / sizeof(*want_consistency); i++)
		expect_documented(doc, "a consistency hash",
		                  want_consistency[i]);
	expect_documented(doc, "the consistency proof", want_consistency_proof);
	free(doc);
	no_mismatches();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_vectors__key, reset),
	        cmocka_unit_test_setup(test_vectors__payload, reset),
	        cmocka_unit_test_setup(test_vectors__leaves, reset),
	        cmocka_unit_test_setup(test_vectors__roots, reset),
	        cmocka_unit_test_setup(test_vectors__checkpoint, reset),
	        cmocka_unit_test_setup(test_vectors__inclusion, reset),
	        cmocka_unit_test_setup(test_vectors__consistency, reset),
	        cmocka_unit_test_setup(test_vectors__documented, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
