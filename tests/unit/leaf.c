/*
 * LeafV1 and its bodies: the exact wire bytes, round trips of every kind,
 * every length bound at its limit and one past it, and that no truncation,
 * trailing byte, unknown version or kind, or malformed body gets through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attest/error.h"
#include "tlog/leaf.h"

#define B(s) ((struct tlog_bytes){(const uint8_t *)(s), sizeof(s) - 1})

static uint8_t body_buf[TLOG_LEAF_MAX];

static struct tlog_leaf
sample_leaf(unsigned kind, const uint8_t *body, size_t body_len)
{
	struct tlog_leaf l;

	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.kind = (uint8_t)kind;
	l.index = 5;
	l.logged_at_ms = 0x0102030405060708ULL;
	l.observed_at_ms = 9;
	l.tenant = B("acme");
	l.source = B("aws");
	l.controls = B("CC6.1");
	l.media_type = B("application/json");
	l.payload_len = 11;
	memset(l.commitment, 0xab, sizeof(l.commitment));
	l.body.p = body;
	l.body.len = body_len;
	return l;
}

/* A well-formed body for each kind, written into body_buf. */
static size_t
sample_body(unsigned kind)
{
	struct tlog_redaction rd = {41, B("gdpr_erasure"), B("DSR-2026-17"),
	                            B("user:42")};
	struct tlog_purge pg = {0, 1000, 1700000000000ULL, B("retain-1y")};
	struct tlog_key_event ke = {B("new+01234567+AAAA"),
	                            B("old+89abcdef+BBBB")};
	struct tlog_anchor an = {1000, 1700000000123ULL, B("witness")};

	switch (kind) {
	case TLOG_REDACTION:
		return tlog_redaction_encode(&rd, body_buf, sizeof(body_buf));
	case TLOG_RETENTION_PURGE:
		return tlog_purge_encode(&pg, body_buf, sizeof(body_buf));
	case TLOG_KEY_EVENT:
		return tlog_key_event_encode(&ke, body_buf, sizeof(body_buf));
	case TLOG_ANCHOR_RECEIPT:
		return tlog_anchor_encode(&an, body_buf, sizeof(body_buf));
	default:
		return 0;
	}
}

static int
bytes_eq(const struct tlog_bytes *a, const struct tlog_bytes *b)
{
	return a->len == b->len &&
	       (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* The wire format, byte by byte, from the struct in leaf.h. */
static void
test_leaf__golden_bytes(void **state)
{
	static const char want[] =
	        "\x01\x01"                         /* version, kind */
	        "\0\0\0\0\0\0\0\x05"               /* index */
	        "\x01\x02\x03\x04\x05\x06\x07\x08" /* logged_at_ms */
	        "\0\0\0\0\0\0\0\x09"               /* observed_at_ms */
	        "\x04"
	        "acme"
	        "\x03"
	        "aws"
	        "\x00\x05"
	        "CC6.1"
	        "\x10"
	        "application/json"
	        "\0\0\0\0\0\0\0\x0b" /* payload_len */
	        "\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab"
	        "\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab\xab"
	        "\xab\xab"
	        "\0\0"; /* empty body */
	struct tlog_leaf l = sample_leaf(TLOG_EVIDENCE, NULL, 0);
	uint8_t out[TLOG_LEAF_MAX];
	size_t n;

	(void)state;
	n = tlog_leaf_encode(&l, out, sizeof(out));
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(out, want, n);
}

static void
test_leaf__roundtrip_every_kind(void **state)
{
	(void)state;
	for (unsigned kind = TLOG_EVIDENCE; kind <= TLOG_CHANGE; kind++) {
		size_t blen = sample_body(kind), n, n2;
		struct tlog_leaf l = sample_leaf(kind, body_buf, blen), back;
		uint8_t out[TLOG_LEAF_MAX], again[TLOG_LEAF_MAX];

		n = tlog_leaf_encode(&l, out, sizeof(out));
		assert_true(n > 0);
		assert_int_equal(tlog_leaf_parse(&back, out, n), 0);
		assert_int_equal(back.version, 1);
		assert_int_equal(back.kind, kind);
		assert_true(back.index == l.index);
		assert_true(back.logged_at_ms == l.logged_at_ms);
		assert_true(back.observed_at_ms == l.observed_at_ms);
		assert_true(back.payload_len == l.payload_len);
		assert_true(bytes_eq(&back.tenant, &l.tenant));
		assert_true(bytes_eq(&back.source, &l.source));
		assert_true(bytes_eq(&back.controls, &l.controls));
		assert_true(bytes_eq(&back.media_type, &l.media_type));
		assert_true(bytes_eq(&back.body, &l.body));
		assert_memory_equal(back.commitment, l.commitment, TLOG_HASH);
		/* the parsed fields point into the input */
		assert_ptr_equal(back.tenant.p, out + 27);
		n2 = tlog_leaf_encode(&back, again, sizeof(again));
		assert_int_equal(n2, n);
		assert_memory_equal(again, out, n);
		assert_non_null(tlog_kind_name(kind));
	}
	assert_string_equal(tlog_kind_name(TLOG_RETENTION_PURGE),
	                    "retention_purge");
	assert_null(tlog_kind_name(0));
	assert_null(tlog_kind_name(8));
}

static void
test_leaf__bodies_roundtrip(void **state)
{
	struct tlog_bytes b;
	struct tlog_redaction rd;
	struct tlog_purge pg;
	struct tlog_key_event ke;
	struct tlog_anchor an;

	(void)state;
	b.p = body_buf;
	b.len = sample_body(TLOG_REDACTION);
	assert_int_equal(tlog_redaction_parse(&rd, &b), 0);
	assert_true(rd.target == 41);
	assert_true(bytes_eq(&rd.reason, &B("gdpr_erasure")));
	assert_true(bytes_eq(&rd.request_ref, &B("DSR-2026-17")));
	assert_true(bytes_eq(&rd.approver_ref, &B("user:42")));

	b.len = sample_body(TLOG_RETENTION_PURGE);
	assert_int_equal(tlog_purge_parse(&pg, &b), 0);
	assert_true(pg.from == 0 && pg.to == 1000);
	assert_true(pg.cutoff_ms == 1700000000000ULL);
	assert_true(bytes_eq(&pg.policy, &B("retain-1y")));

	b.len = sample_body(TLOG_KEY_EVENT);
	assert_int_equal(tlog_key_event_parse(&ke, &b), 0);
	assert_true(bytes_eq(&ke.new_vkey, &B("new+01234567+AAAA")));
	assert_true(bytes_eq(&ke.old_vkey, &B("old+89abcdef+BBBB")));

	b.len = sample_body(TLOG_ANCHOR_RECEIPT);
	assert_int_equal(tlog_anchor_parse(&an, &b), 0);
	assert_true(an.size == 1000 && an.received_at_ms == 1700000000123ULL);
	assert_true(bytes_eq(&an.kind, &B("witness")));

	/* first key: old_vkey empty */
	ke.old_vkey.len = 0;
	b.len = tlog_key_event_encode(&ke, body_buf, sizeof(body_buf));
	assert_int_equal(b.len, 2 + 17 + 2);
	assert_int_equal(tlog_key_event_parse(&ke, &b), 0);
	assert_int_equal(ke.old_vkey.len, 0);
}

/* Every string field at its maximum is written and read back; one byte
   more (or an empty required field) is refused. */
static void
test_leaf__field_bounds(void **state)
{
	static uint8_t big[70000];
	uint8_t out[TLOG_LEAF_MAX + 16];
	struct tlog_leaf l, back;
	struct tlog_bytes *fields[4];
	const size_t max[4] = {255, 255, 0, 255}, min[4] = {1, 1, 0, 0};
	size_t n, fixed;

	(void)state;
	memset(big, 'x', sizeof(big));
	l = sample_leaf(TLOG_EVIDENCE, NULL, 0);
	fields[0] = &l.tenant;
	fields[1] = &l.source;
	fields[2] = &l.controls;
	fields[3] = &l.media_type;
	for (int i = 0; i < 4; i++) {
		struct tlog_bytes keep = *fields[i];
		if (max[i] == 0)
			continue;
		fields[i]->p = big;
		fields[i]->len = max[i];
		n = tlog_leaf_encode(&l, out, sizeof(out));
		assert_true(n > 0);
		assert_int_equal(tlog_leaf_parse(&back, out, n), 0);
		fields[i]->len = max[i] + 1;
		assert_int_equal(tlog_leaf_encode(&l, out, sizeof(out)), 0);
		fields[i]->len = min[i];
		assert_true(tlog_leaf_encode(&l, out, sizeof(out)) > 0);
		if (min[i] == 1) {
			fields[i]->len = 0;
			assert_int_equal(tlog_leaf_encode(&l, out, sizeof(out)),
			                 0);
		}
		*fields[i] = keep;
	}

	/* controls (and the body) are bounded by the whole leaf: 65535. */
	l.controls.len = 0;
	fixed = tlog_leaf_encode(&l, out, sizeof(out));
	l.controls.p = big;
	l.controls.len = TLOG_LEAF_MAX - fixed;
	n = tlog_leaf_encode(&l, out, sizeof(out));
	assert_int_equal(n, TLOG_LEAF_MAX);
	assert_int_equal(tlog_leaf_parse(&back, out, n), 0);
	assert_int_equal(back.controls.len, TLOG_LEAF_MAX - fixed);
	l.controls.len++;
	assert_int_equal(tlog_leaf_encode(&l, out, sizeof(out)), 0);
	/* and a 65536-byte input is refused before anything is read */
	out[TLOG_LEAF_MAX] = 0;
	assert_int_equal(tlog_leaf_parse(&back, out, TLOG_LEAF_MAX + 1), -1);
	assert_non_null(strstr(attest_error_last(), "leaf: length"));

	/* a key_event body fills the body field exactly */
	{
		struct tlog_key_event ke = {{big, 65531}, {NULL, 0}};
		uint8_t *body = malloc(70000);
		struct tlog_bytes b;
		b.p = body;
		b.len = tlog_key_event_encode(&ke, body, 70000);
		assert_int_equal(b.len, 65535);
		assert_int_equal(tlog_key_event_parse(&ke, &b), 0);
		ke.new_vkey.len = 65532;
		assert_int_equal(tlog_key_event_encode(&ke, body, 70000), 0);
		ke.new_vkey.len = 0;
		assert_int_equal(tlog_key_event_encode(&ke, body, 70000), 0);
		free(body);
	}

	/* too small an output buffer is refused, not overrun */
	l = sample_leaf(TLOG_EVIDENCE, NULL, 0);
	n = tlog_leaf_encode(&l, out, sizeof(out));
	assert_int_equal(tlog_leaf_encode(&l, out, n - 1), 0);
	assert_int_equal(tlog_leaf_encode(&l, out, n), n);
}

static void
test_leaf__body_bounds(void **state)
{
	static uint8_t big[300];
	struct tlog_redaction rd = {
	        1, B("legal_order"), {big, 255}, {big, 255}};
	struct tlog_purge pg = {1, 2, 3, {big, 255}};
	struct tlog_anchor an = {1, 2, {big, 255}};
	uint8_t out[1024];
	struct tlog_bytes b = {out, 0};

	(void)state;
	memset(big, 'r', sizeof(big));
	b.len = tlog_redaction_encode(&rd, out, sizeof(out));
	assert_int_equal(b.len, 8 + 1 + 11 + 1 + 255 + 1 + 255);
	assert_int_equal(tlog_redaction_parse(&rd, &b), 0);
	rd.request_ref.len = 256;
	assert_int_equal(tlog_redaction_encode(&rd, out, sizeof(out)), 0);
	rd.request_ref.len = 0;
	rd.approver_ref.len = 256;
	assert_int_equal(tlog_redaction_encode(&rd, out, sizeof(out)), 0);
	rd.approver_ref.len = 0;
	rd.reason = B("because");
	assert_int_equal(tlog_redaction_encode(&rd, out, sizeof(out)), 0);
	rd.reason.len = 0;
	assert_int_equal(tlog_redaction_encode(&rd, out, sizeof(out)), 0);

	b.len = tlog_purge_encode(&pg, out, sizeof(out));
	assert_int_equal(b.len, 24 + 1 + 255);
	assert_int_equal(tlog_purge_parse(&pg, &b), 0);
	pg.policy.len = 256;
	assert_int_equal(tlog_purge_encode(&pg, out, sizeof(out)), 0);
	pg.policy.len = 0;
	assert_int_equal(tlog_purge_encode(&pg, out, sizeof(out)), 0);
	pg.policy.len = 1;
	pg.from = 3;
	assert_int_equal(tlog_purge_encode(&pg, out, sizeof(out)), 0);

	b.len = tlog_anchor_encode(&an, out, sizeof(out));
	assert_int_equal(b.len, 16 + 1 + 255);
	assert_int_equal(tlog_anchor_parse(&an, &b), 0);
	an.kind.len = 256;
	assert_int_equal(tlog_anchor_encode(&an, out, sizeof(out)), 0);
	an.kind.len = 0;
	assert_int_equal(tlog_anchor_encode(&an, out, sizeof(out)), 0);

	assert_true(tlog_redaction_reason_valid(&B("gdpr_erasure")));
	assert_true(tlog_redaction_reason_valid(&B("retention_expiry")));
	assert_true(tlog_redaction_reason_valid(&B("legal_order")));
	assert_true(tlog_redaction_reason_valid(&B("collection_error")));
	assert_false(tlog_redaction_reason_valid(&B("gdpr_erasur")));
	assert_false(tlog_redaction_reason_valid(&B("gdpr_erasure ")));
}

/* Every proper prefix of a valid leaf (and of each body) is refused, and
   so is one byte more. */
static void
test_leaf__truncation_and_trailing(void **state)
{
	(void)state;
	for (unsigned kind = TLOG_EVIDENCE; kind <= TLOG_CHANGE; kind++) {
		size_t blen = sample_body(kind), n;
		struct tlog_leaf l = sample_leaf(kind, body_buf, blen), back;
		uint8_t out[TLOG_LEAF_MAX + 1];

		n = tlog_leaf_encode(&l, out, sizeof(out));
		for (size_t cut = 0; cut < n; cut++) {
			/* a fresh copy of just the prefix, so ASan sees any
			   read past it */
			uint8_t *p = malloc(cut ? cut : 1);
			memcpy(p, out, cut);
			assert_int_equal(tlog_leaf_parse(&back, p, cut), -1);
			assert_non_null(strstr(attest_error_last(), "leaf: "));
			free(p);
		}
		out[n] = 0;
		assert_int_equal(tlog_leaf_parse(&back, out, n + 1), -1);
		assert_non_null(strstr(attest_error_last(), "trailing"));
		assert_int_equal(tlog_leaf_parse(&back, out, n), 0);
	}
	for (unsigned kind = TLOG_REDACTION; kind <= TLOG_ANCHOR_RECEIPT;
	     kind++) {
		size_t blen = sample_body(kind);
		struct tlog_redaction rd;
		struct tlog_purge pg;
		struct tlog_key_event ke;
		struct tlog_anchor an;

		for (size_t cut = 0; cut <= blen + 1; cut++) {
			struct tlog_bytes b = {body_buf, cut};
			int rc;
			if (cut == blen)
				continue;
			body_buf[blen] = 0;
			rc = kind == TLOG_REDACTION
			             ? tlog_redaction_parse(&rd, &b)
			     : kind == TLOG_RETENTION_PURGE
			             ? tlog_purge_parse(&pg, &b)
			     : kind == TLOG_KEY_EVENT
			             ? tlog_key_event_parse(&ke, &b)
			             : tlog_anchor_parse(&an, &b);
			assert_int_equal(rc, -1);
		}
	}
}

static void
test_leaf__refuses_version_kind_body(void **state)
{
	struct tlog_leaf l = sample_leaf(TLOG_EVIDENCE, NULL, 0), back;
	uint8_t out[TLOG_LEAF_MAX], body[64];
	size_t n, blen;

	(void)state;
	n = tlog_leaf_encode(&l, out, sizeof(out));
	out[0] = 2;
	assert_int_equal(tlog_leaf_parse(&back, out, n), -1);
	assert_string_equal(attest_error_last(), "leaf: version: unsupported");
	out[0] = 0;
	assert_int_equal(tlog_leaf_parse(&back, out, n), -1);
	out[0] = 1;
	out[1] = 0;
	assert_int_equal(tlog_leaf_parse(&back, out, n), -1);
	assert_string_equal(attest_error_last(), "leaf: kind: unknown");
	out[1] = 8;
	assert_int_equal(tlog_leaf_parse(&back, out, n), -1);
	out[1] = 1;
	assert_int_equal(tlog_leaf_parse(&back, out, n), 0);

	/* an empty tenant on the wire */
	out[26] = 0;
	assert_int_equal(tlog_leaf_parse(&back, out, n), -1);
	assert_string_equal(attest_error_last(), "leaf: tenant: empty");
	out[26] = 4;

	/* the parse leaves nothing behind on failure */
	assert_int_equal(tlog_leaf_parse(&back, out, n - 1), -1);
	assert_int_equal(back.version, 0);
	assert_null(back.tenant.p);

	l.version = 2;
	assert_int_equal(tlog_leaf_encode(&l, out, sizeof(out)), 0);
	l.version = 1;
	l.kind = 9;
	assert_int_equal(tlog_leaf_encode(&l, out, sizeof(out)), 0);

	/* evidence, annotation and change carry no body */
	body[0] = 'x';
	for (unsigned kind = TLOG_EVIDENCE; kind <= TLOG_CHANGE; kind++) {
		if (kind >= TLOG_REDACTION && kind <= TLOG_ANCHOR_RECEIPT)
			continue;
		l = sample_leaf(kind, body, 1);
		assert_int_equal(tlog_leaf_encode(&l, out, sizeof(out)), 0);
		/* write it by hand: an empty body, then patch in one byte */
		l.body.len = 0;
		n = tlog_leaf_encode(&l, out, sizeof(out));
		out[n - 1] = 1;
		out[n] = 'x';
		assert_int_equal(tlog_leaf_parse(&back, out, n + 1), -1);
		assert_non_null(strstr(attest_error_last(), "must be empty"));
	}

	/* a redaction body whose reason is not one of the four */
	{
		struct tlog_redaction rd = {
		        1, B("gdpr_erasure"), {NULL, 0}, {NULL, 0}};
		blen = tlog_redaction_encode(&rd, body, sizeof(body));
		memcpy(body + 9, "GDPR", 4);
		l = sample_leaf(TLOG_REDACTION, body, blen);
		assert_int_equal(tlog_leaf_encode(&l, out, sizeof(out)), 0);
		memcpy(body + 9, "gdpr", 4);
		n = tlog_leaf_encode(&l, out, sizeof(out));
		assert_true(n > 0);
		memcpy(out + n - blen + 9, "GDPR", 4);
		assert_int_equal(tlog_leaf_parse(&back, out, n), -1);
		assert_string_equal(attest_error_last(),
		                    "leaf: body: redaction: reason: unknown");
	}

	/* a well-formed body of another kind is still refused */
	blen = sample_body(TLOG_ANCHOR_RECEIPT);
	l = sample_leaf(TLOG_RETENTION_PURGE, body_buf, blen);
	assert_int_equal(tlog_leaf_encode(&l, out, sizeof(out)), 0);
}

static void
test_leaf__payload_commitment(void **state)
{
	/* SHA-256("attest/payload/v1" || 0x00 || salt || payload),
	   computed independently */
	static const uint8_t want[32] = {
	        0x62, 0x59, 0x9d, 0x0a, 0x45, 0xba, 0x06, 0x5b,
	        0x21, 0xd7, 0xe8, 0x0f, 0x50, 0xfb, 0x9d, 0x03,
	        0x10, 0x29, 0x99, 0x43, 0xf4, 0x3b, 0x39, 0x1a,
	        0x61, 0x95, 0xfc, 0x47, 0x94, 0xea, 0x99, 0xa6};
	static const uint8_t want_empty[32] = {
	        0x35, 0xae, 0xd2, 0x9c, 0xb5, 0x2f, 0x6a, 0xba,
	        0x8b, 0x22, 0xae, 0x68, 0xed, 0x7b, 0x26, 0xb1,
	        0xe1, 0xd6, 0x48, 0x04, 0x78, 0x01, 0xe8, 0x52,
	        0xf4, 0x16, 0xaa, 0x39, 0x7c, 0x69, 0x31, 0x0d};
	uint8_t salt[TLOG_SALT];
	tlog_hash h, h2;

	(void)state;
	for (int i = 0; i < TLOG_SALT; i++)
		salt[i] = (uint8_t)i;
	tlog_payload_commit(h, salt, "{\"ok\":true}", 11);
	assert_memory_equal(h, want, 32);
	tlog_payload_commit(h, salt, NULL, 0);
	assert_memory_equal(h, want_empty, 32);

	tlog_payload_commit(h, salt, "{\"ok\":true}", 11);
	salt[31] ^= 1;
	tlog_payload_commit(h2, salt, "{\"ok\":true}", 11);
	assert_memory_not_equal(h, h2, 32);
	salt[31] ^= 1;
	tlog_payload_commit(h2, salt, "{\"ok\":trUe}", 11);
	assert_memory_not_equal(h, h2, 32);
	tlog_payload_commit(h2, salt, "{\"ok\":true}", 10);
	assert_memory_not_equal(h, h2, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_leaf__golden_bytes),
	        cmocka_unit_test(test_leaf__roundtrip_every_kind),
	        cmocka_unit_test(test_leaf__bodies_roundtrip),
	        cmocka_unit_test(test_leaf__field_bounds),
	        cmocka_unit_test(test_leaf__body_bounds),
	        cmocka_unit_test(test_leaf__truncation_and_trailing),
	        cmocka_unit_test(test_leaf__refuses_version_kind_body),
	        cmocka_unit_test(test_leaf__payload_commitment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
