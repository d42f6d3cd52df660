/*
 * LeafV1 and its kind-specific bodies in the TLS presentation language.
 *
 * Encoding and parsing are written as two small cursors, one that writes
 * into a caller's buffer and one that reads from untrusted bytes, so that
 * every length is checked in one place. The parser is strict on purpose:
 * the leaf hash is what the Merkle tree commits to, so a leaf must have
 * exactly one encoding, and anything a verifier would have to guess about
 * (trailing bytes, unknown versions or kinds, out-of-bound lengths, a body
 * that does not match its kind) is refused rather than tolerated.
 *
 * This module checks structure only. What the fields mean against the rest
 * of the log (an index equal to the leaf position, a redaction naming an
 * earlier entry, a key event chaining to the previous key) is for the
 * checker in check.c.
 */
#include <stdint.h>
#include <string.h>

#include "attest/error.h"
#include "tlog/leaf.h"
#include "tlog/merkle.h"

static const char *const kind_names[] = {
        NULL,        "evidence",       "redaction",  "retention_purge",
        "key_event", "anchor_receipt", "annotation", "change",
};

static const char *const redaction_reasons[] = {
        "gdpr_erasure",
        "retention_expiry",
        "legal_order",
        "collection_error",
};

const char *
tlog_kind_name(unsigned kind)
{
	if (kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return NULL;
	return kind_names[kind];
}

int
tlog_redaction_reason_valid(const struct tlog_bytes *reason)
{
	for (size_t i = 0;
	     i < sizeof(redaction_reasons) / sizeof(redaction_reasons[0]);
	     i++) {
		size_t n = strlen(redaction_reasons[i]);
		if (reason->len == n &&
		    memcmp(reason->p, redaction_reasons[i], n) == 0)
			return 1;
	}
	return 0;
}

void
tlog_payload_commit(tlog_hash out, const uint8_t salt[TLOG_SALT],
                    const void *payload, size_t len)
{
	static const char domain[] = "attest/payload/v1";
	static const uint8_t zero = 0;
	/* The domain string keeps these hashes apart from every other
	   SHA-256 we compute (leaf and node hashes above all), and the
	   salt makes a redacted payload impossible to confirm by guessing. */
	const void *parts[4] = {domain, &zero, salt, payload ? payload : ""};
	const size_t lens[4] = {sizeof(domain) - 1, 1, TLOG_SALT, len};

	tlog_sha256(out, 4, parts, lens);
}

/* Writing: a cursor that remembers the first failure, so the encoders
   read as a plain list of fields and check once at the end. */
struct writer {
	uint8_t *out;
	size_t cap, len;
	int bad;
};

static void
put(struct writer *w, const void *data, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = 1;
		return;
	}
	if (n)
		memcpy(w->out + w->len, data, n);
	w->len += n;
}

static void
put_uint(struct writer *w, uint64_t v, unsigned width)
{
	uint8_t b[8];

	for (unsigned i = 0; i < width; i++)
		b[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
	put(w, b, width);
}

/* opaque x<min..max>, with a length prefix of width bytes. */
static void
put_opaque(struct writer *w, const struct tlog_bytes *b, unsigned width,
           size_t min, size_t max)
{
	if (b->len < min || b->len > max || (b->len && b->p == NULL)) {
		w->bad = 1;
		return;
	}
	put_uint(w, b->len, width);
	put(w, b->p, b->len);
}

static size_t
finish(const struct writer *w)
{
	return w->bad ? 0 : w->len;
}

/* A body has to fit the leaf's body<0..65535> field. */
static size_t
finish_body(const struct writer *w)
{
	return w->bad || w->len > 65535 ? 0 : w->len;
}

/* Reading: every access goes through these, which check the remaining
   length before touching a byte. ctx names the structure in messages. */
struct reader {
	const uint8_t *p;
	size_t len, off;
	const char *ctx;
};

static int
fail(const struct reader *r, const char *field, const char *what)
{
	attest_error_set(ATTEST_EINVALID, "%s: %s: %s", r->ctx, field, what);
	return -1;
}

static int
get_uint(struct reader *r, const char *field, unsigned width, uint64_t *v)
{
	if (r->len - r->off < width)
		return fail(r, field, "truncated");
	*v = 0;
	for (unsigned i = 0; i < width; i++)
		*v = *v << 8 | r->p[r->off + i];
	r->off += width;
	return 0;
}

static int
get_opaque(struct reader *r, const char *field, unsigned width, size_t min,
           size_t max, struct tlog_bytes *out)
{
	uint64_t n;

	if (r->len - r->off < width)
		return fail(r, field, "truncated length");
	if (get_uint(r, field, width, &n) < 0)
		return -1;
	if (n < min)
		return fail(r, field, min == 1 ? "empty" : "too short");
	if (n > max)
		return fail(r, field, "too long");
	if (n > r->len - r->off)
		return fail(r, field, "truncated");
	out->p = r->p ? r->p + r->off : NULL;
	out->len = (size_t)n;
	r->off += (size_t)n;
	return 0;
}

static int
get_end(const struct reader *r)
{
	if (r->off != r->len)
		return fail(r, "end", "trailing bytes");
	return 0;
}

static void
reader_init(struct reader *r, const char *ctx, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->ctx = ctx;
}

/* Bodies. */

size_t
tlog_redaction_encode(const struct tlog_redaction *rd, uint8_t *out, size_t cap)
{
	struct writer w = {out, cap, 0, 0};

	if (!tlog_redaction_reason_valid(&rd->reason))
		return 0;
	put_uint(&w, rd->target, 8);
	put_opaque(&w, &rd->reason, 1, 1, 255);
	put_opaque(&w, &rd->request_ref, 1, 0, 255);
	put_opaque(&w, &rd->approver_ref, 1, 0, 255);
	return finish_body(&w);
}

int
tlog_redaction_parse(struct tlog_redaction *rd, const struct tlog_bytes *b)
{
	struct reader r;

	memset(rd, 0, sizeof(*rd));
	reader_init(&r, "redaction", b->p, b->len);
	if (get_uint(&r, "target", 8, &rd->target) < 0 ||
	    get_opaque(&r, "reason", 1, 1, 255, &rd->reason) < 0 ||
	    get_opaque(&r, "request_ref", 1, 0, 255, &rd->request_ref) < 0 ||
	    get_opaque(&r, "approver_ref", 1, 0, 255, &rd->approver_ref) < 0 ||
	    get_end(&r) < 0)
		return -1;
	/* A reason outside the list would leave the verifier unable to say
	   why evidence disappeared, which is the point of the leaf. */
	if (!tlog_redaction_reason_valid(&rd->reason))
		return fail(&r, "reason", "unknown");
	return 0;
}

size_t
tlog_purge_encode(const struct tlog_purge *pg, uint8_t *out, size_t cap)
{
	struct writer w = {out, cap, 0, 0};

	if (pg->from > pg->to)
		return 0;
	put_uint(&w, pg->from, 8);
	put_uint(&w, pg->to, 8);
	put_uint(&w, pg->cutoff_ms, 8);
	put_opaque(&w, &pg->policy, 1, 1, 255);
	return finish_body(&w);
}

int
tlog_purge_parse(struct tlog_purge *pg, const struct tlog_bytes *b)
{
	struct reader r;

	memset(pg, 0, sizeof(*pg));
	reader_init(&r, "retention_purge", b->p, b->len);
	if (get_uint(&r, "from", 8, &pg->from) < 0 ||
	    get_uint(&r, "to", 8, &pg->to) < 0 ||
	    get_uint(&r, "cutoff_ms", 8, &pg->cutoff_ms) < 0 ||
	    get_opaque(&r, "policy", 1, 1, 255, &pg->policy) < 0 ||
	    get_end(&r) < 0)
		return -1;
	if (pg->from > pg->to)
		return fail(&r, "to", "before from");
	return 0;
}

size_t
tlog_key_event_encode(const struct tlog_key_event *k, uint8_t *out, size_t cap)
{
	struct writer w = {out, cap, 0, 0};

	put_opaque(&w, &k->new_vkey, 2, 1, 65535);
	put_opaque(&w, &k->old_vkey, 2, 0, 65535);
	return finish_body(&w);
}

int
tlog_key_event_parse(struct tlog_key_event *k, const struct tlog_bytes *b)
{
	struct reader r;

	memset(k, 0, sizeof(*k));
	reader_init(&r, "key_event", b->p, b->len);
	if (get_opaque(&r, "new_vkey", 2, 1, 65535, &k->new_vkey) < 0 ||
	    get_opaque(&r, "old_vkey", 2, 0, 65535, &k->old_vkey) < 0 ||
	    get_end(&r) < 0)
		return -1;
	return 0;
}

size_t
tlog_anchor_encode(const struct tlog_anchor *a, uint8_t *out, size_t cap)
{
	struct writer w = {out, cap, 0, 0};

	put_uint(&w, a->size, 8);
	put_uint(&w, a->received_at_ms, 8);
	put_opaque(&w, &a->kind, 1, 1, 255);
	return finish_body(&w);
}

int
tlog_anchor_parse(struct tlog_anchor *a, const struct tlog_bytes *b)
{
	struct reader r;

	memset(a, 0, sizeof(*a));
	reader_init(&r, "anchor_receipt", b->p, b->len);
	if (get_uint(&r, "size", 8, &a->size) < 0 ||
	    get_uint(&r, "received_at_ms", 8, &a->received_at_ms) < 0 ||
	    get_opaque(&r, "kind", 1, 1, 255, &a->kind) < 0 || get_end(&r) < 0)
		return -1;
	return 0;
}

/* Checks that body is well-formed for kind; sets the message on failure. */
static int
check_body(unsigned kind, const struct tlog_bytes *body)
{
	struct tlog_redaction rd;
	struct tlog_purge pg;
	struct tlog_key_event ke;
	struct tlog_anchor an;

	switch (kind) {
	case TLOG_REDACTION:
		return tlog_redaction_parse(&rd, body);
	case TLOG_RETENTION_PURGE:
		return tlog_purge_parse(&pg, body);
	case TLOG_KEY_EVENT:
		return tlog_key_event_parse(&ke, body);
	case TLOG_ANCHOR_RECEIPT:
		return tlog_anchor_parse(&an, body);
	default:
		/* Evidence, annotations and changes say everything in their
		   payload; a body there would be bytes nobody checks. */
		if (body->len != 0) {
			attest_error_set(ATTEST_EINVALID,
			                 "must be empty for %s",
			                 tlog_kind_name(kind));
			return -1;
		}
		return 0;
	}
}

size_t
tlog_leaf_encode(const struct tlog_leaf *l, uint8_t *out, size_t cap)
{
	struct writer w = {out, cap, 0, 0};

	if (l->version != 1 || tlog_kind_name(l->kind) == NULL)
		return 0;
	if (check_body(l->kind, &l->body) < 0)
		return 0;
	put_uint(&w, l->version, 1);
	put_uint(&w, l->kind, 1);
	put_uint(&w, l->index, 8);
	put_uint(&w, l->logged_at_ms, 8);
	put_uint(&w, l->observed_at_ms, 8);
	put_opaque(&w, &l->tenant, 1, 1, 255);
	put_opaque(&w, &l->source, 1, 1, 255);
	put_opaque(&w, &l->controls, 2, 0, 65535);
	put_opaque(&w, &l->media_type, 1, 0, 255);
	put_uint(&w, l->payload_len, 8);
	put(&w, l->commitment, TLOG_HASH);
	put_opaque(&w, &l->body, 2, 0, 65535);
	/* Entry bundles prefix each leaf with a uint16 length. */
	if (w.len > TLOG_LEAF_MAX)
		return 0;
	return finish(&w);
}

static int
parse_leaf(struct tlog_leaf *l, const uint8_t *p, size_t len)
{
	struct reader r;
	uint64_t v;

	reader_init(&r, "leaf", p, len);
	if (len > TLOG_LEAF_MAX)
		return fail(&r, "length", "longer than 65535 bytes");
	if (get_uint(&r, "version", 1, &v) < 0)
		return -1;
	if (v != 1)
		return fail(&r, "version", "unsupported");
	l->version = (uint8_t)v;
	if (get_uint(&r, "kind", 1, &v) < 0)
		return -1;
	if (tlog_kind_name((unsigned)v) == NULL)
		return fail(&r, "kind", "unknown");
	l->kind = (uint8_t)v;
	if (get_uint(&r, "index", 8, &l->index) < 0 ||
	    get_uint(&r, "logged_at_ms", 8, &l->logged_at_ms) < 0 ||
	    get_uint(&r, "observed_at_ms", 8, &l->observed_at_ms) < 0 ||
	    get_opaque(&r, "tenant", 1, 1, 255, &l->tenant) < 0 ||
	    get_opaque(&r, "source", 1, 1, 255, &l->source) < 0 ||
	    get_opaque(&r, "controls", 2, 0, 65535, &l->controls) < 0 ||
	    get_opaque(&r, "media_type", 1, 0, 255, &l->media_type) < 0 ||
	    get_uint(&r, "payload_len", 8, &l->payload_len) < 0)
		return -1;
	if (r.len - r.off < TLOG_HASH)
		return fail(&r, "payload_commitment", "truncated");
	memcpy(l->commitment, r.p + r.off, TLOG_HASH);
	r.off += TLOG_HASH;
	if (get_opaque(&r, "body", 2, 0, 65535, &l->body) < 0 ||
	    get_end(&r) < 0)
		return -1;
	if (check_body(l->kind, &l->body) < 0) {
		attest_error_set(ATTEST_EINVALID, "leaf: body: %s",
		                 attest_error_last());
		return -1;
	}
	return 0;
}

int
tlog_leaf_parse(struct tlog_leaf *l, const uint8_t *p, size_t len)
{
	struct tlog_leaf tmp;

	/* Parse into a copy so a refused leaf leaves *l empty rather than
	   half filled with fields a caller might mistake for checked ones. */
	memset(&tmp, 0, sizeof(tmp));
	memset(l, 0, sizeof(*l));
	if (parse_leaf(&tmp, p, len) < 0)
		return -1;
	*l = tmp;
	return 0;
}
