/*
 * Proof files: C2SP tlog-proof for inclusion, and our own consistency
 * proof format of the same shape (see proof.h).
 *
 * Both are read line by line and refused at the first line that is not
 * exactly what the format allows, with the line number in the message, so
 * an auditor handed a damaged proof is told where to look. Writing is the
 * exact inverse: a parsed proof formats back to the bytes it came from.
 *
 * This module does not verify anything cryptographically; merkle.c checks
 * the path against the checkpoint root and note.c the signatures.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/error.h"
#include "tlog/note.h"
#include "tlog/proof.h"
#include "util/alloc.h"
#include "util/decimal.h"
#include "util/buf.h"

#define PROOF_HEADER       "c2sp.org/tlog-proof@v1"
#define CONSISTENCY_HEADER "attest.dev/consistency-proof@v1"

/* A cursor over newline-terminated lines; line counts from 1. */
struct lines {
	const char *text;
	size_t len, pos;
	size_t line;
};

/* The next complete line (without its newline): 0, or -1 at the end of
   the text or when the last line has no newline. */
static int
next_line(struct lines *l, const char **s, size_t *n)
{
	const char *nl;

	if (l->pos >= l->len)
		return -1;
	nl = memchr(l->text + l->pos, '\n', l->len - l->pos);
	if (nl == NULL)
		return -1;
	*s = l->text + l->pos;
	*n = (size_t)(nl - *s);
	l->pos += *n + 1;
	l->line++;
	return 0;
}

static int
line_fail(const char *what, size_t line, const char *why)
{
	attest_error_set(ATTEST_EINVALID, "%s: line %zu: %s", what, line, why);
	return -1;
}

/* A line "<keyword> <decimal>": NULL when it is one, else what is
   wrong with it. */
static const char *
keyword_u64(const char *s, size_t n, const char *keyword, uint64_t *v)
{
	size_t k = strlen(keyword);

	if (n < k + 1 || memcmp(s, keyword, k) != 0 || s[k] != ' ')
		return "line missing or misspelt";
	return attest_parse_u64(s + k + 1, n - k - 1, v);
}

static int
parse_hash(tlog_hash out, const char *s, size_t n)
{
	uint8_t raw[TLOG_HASH + 3];

	if (tlog_base64_decode(raw, sizeof(raw), s, n) != TLOG_HASH)
		return -1;
	memcpy(out, raw, TLOG_HASH);
	return 0;
}

/* "index: leading zero", in the buffer given. */
static const char *
field_why(char *buf, size_t cap, const char *field, const char *why)
{
	snprintf(buf, cap, "%s: %s", field, why);
	return buf;
}

static void
put_hash(struct attest_buf *out, const tlog_hash h)
{
	char b64[TLOG_BASE64_LEN(TLOG_HASH) + 1];
	size_t n = tlog_base64_encode(b64, h, TLOG_HASH);

	b64[n] = '\n';
	attest_buf_put(out, b64, n + 1);
}

/* Inclusion proofs. */

void
tlog_proof_free(struct tlog_proof *p)
{
	if (p == NULL)
		return;
	free(p->extra);
	free(p->checkpoint);
	memset(p, 0, sizeof(*p));
}

static int
proof_fail(struct tlog_proof *p, size_t line, const char *why)
{
	tlog_proof_free(p);
	return line_fail("tlog-proof", line, why);
}

int
tlog_proof_parse(struct tlog_proof *p, const char *text, size_t len)
{
	struct lines l = {text, len, 0, 0};
	struct tlog_note note;
	struct tlog_checkpoint cp;
	const char *s, *why;
	char msg[64];
	size_t n, start;

	memset(p, 0, sizeof(*p));
	if (next_line(&l, &s, &n) < 0 || n != strlen(PROOF_HEADER) ||
	    memcmp(s, PROOF_HEADER, n) != 0)
		return proof_fail(p, 1, "not a c2sp.org/tlog-proof@v1 header");
	if (next_line(&l, &s, &n) < 0)
		return proof_fail(p, l.line + 1, "missing index line");
	if (n >= 6 && memcmp(s, "extra ", 6) == 0) {
		long k;
		p->extra = xmalloc((n - 6) / 4 * 3 + 1);
		k = tlog_base64_decode(p->extra, (n - 6) / 4 * 3 + 1, s + 6,
		                       n - 6);
		if (k < 0)
			return proof_fail(p, l.line, "extra: not base64");
		p->has_extra = 1;
		p->extra_len = (size_t)k;
		if (next_line(&l, &s, &n) < 0)
			return proof_fail(p, l.line + 1, "missing index line");
	}
	if ((why = keyword_u64(s, n, "index", &p->index)) != NULL)
		return proof_fail(p, l.line,
		                  field_why(msg, sizeof(msg), "index", why));
	for (;;) {
		if (next_line(&l, &s, &n) < 0)
			return proof_fail(p, l.line + 1,
			                  "missing blank line before the "
			                  "checkpoint");
		if (n == 0)
			break;
		if (p->nhashes == TLOG_MAX_PROOF)
			return proof_fail(p, l.line, "more than 64 hashes");
		if (parse_hash(p->hashes[p->nhashes], s, n) < 0)
			return proof_fail(p, l.line,
			                  "hash: not base64 of 32 bytes");
		p->nhashes++;
	}
	/* The checkpoint runs to the end: a signed note over a checkpoint
	   body. Checking both here means a proof that parses is complete,
	   even though the caller still has to verify the signatures. */
	start = l.pos;
	if (tlog_note_parse(&note, text + start, len - start) < 0)
		return proof_fail(p, l.line + 1, attest_error_last());
	if (tlog_checkpoint_parse(&cp, note.text, note.text_len) < 0) {
		tlog_note_free(&note);
		return proof_fail(p, l.line + 1, attest_error_last());
	}
	tlog_checkpoint_free(&cp);
	tlog_note_free(&note);
	p->checkpoint_len = len - start;
	p->checkpoint = xstrndup(text + start, p->checkpoint_len);
	return 0;
}

int
tlog_proof_format(struct attest_buf *out, const struct tlog_proof *p)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	int rc = -1;

	if (p->nhashes > TLOG_MAX_PROOF || p->checkpoint == NULL ||
	    p->checkpoint_len == 0) {
		attest_error_set(
		        ATTEST_EINVALID,
		        "tlog-proof: too many hashes or no checkpoint");
		return -1;
	}
	attest_buf_puts(&b, PROOF_HEADER "\n");
	if (p->has_extra) {
		char *b64 = xmalloc(TLOG_BASE64_LEN(p->extra_len) + 1);
		size_t n = tlog_base64_encode(b64, p->extra, p->extra_len);
		attest_buf_puts(&b, "extra ");
		attest_buf_put(&b, b64, n);
		attest_buf_putc(&b, '\n');
		free(b64);
	}
	attest_buf_printf(&b, "index %" PRIu64 "\n", p->index);
	for (size_t i = 0; i < p->nhashes; i++)
		put_hash(&b, p->hashes[i]);
	attest_buf_putc(&b, '\n');
	attest_buf_put(&b, p->checkpoint, p->checkpoint_len);
	if (attest_buf_put(out, b.ptr, b.len) == 0)
		rc = 0;
	attest_buf_free(&b);
	return rc;
}

/* Consistency proofs. */

static int
cons_fail(struct tlog_consistency *c, size_t line, const char *why)
{
	memset(c, 0, sizeof(*c));
	return line_fail("consistency proof", line, why);
}

int
tlog_consistency_parse(struct tlog_consistency *c, const char *text, size_t len)
{
	struct lines l = {text, len, 0, 0};
	const char *s, *why;
	char msg[64];
	size_t n;

	memset(c, 0, sizeof(*c));
	if (next_line(&l, &s, &n) < 0 || n != strlen(CONSISTENCY_HEADER) ||
	    memcmp(s, CONSISTENCY_HEADER, n) != 0)
		return cons_fail(c, 1, "not an " CONSISTENCY_HEADER " header");
	if (next_line(&l, &s, &n) < 0)
		return cons_fail(c, 2, "missing old size");
	if ((why = keyword_u64(s, n, "old", &c->old_size)) != NULL)
		return cons_fail(c, 2, field_why(msg, sizeof(msg), "old", why));
	if (next_line(&l, &s, &n) < 0)
		return cons_fail(c, 3, "missing new size");
	if ((why = keyword_u64(s, n, "new", &c->new_size)) != NULL)
		return cons_fail(c, 3, field_why(msg, sizeof(msg), "new", why));
	if (c->old_size > c->new_size)
		return cons_fail(c, 3, "new size smaller than old size");
	while (l.pos < len) {
		if (next_line(&l, &s, &n) < 0)
			return cons_fail(c, l.line + 1,
			                 "last line has no newline");
		if (c->nhashes == TLOG_MAX_PROOF)
			return cons_fail(c, l.line, "more than 64 hashes");
		if (parse_hash(c->hashes[c->nhashes], s, n) < 0)
			return cons_fail(c, l.line,
			                 "hash: not base64 of 32 bytes");
		c->nhashes++;
	}
	return 0;
}

int
tlog_consistency_format(struct attest_buf *out,
                        const struct tlog_consistency *c)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	int rc = -1;

	if (c->nhashes > TLOG_MAX_PROOF || c->old_size > c->new_size) {
		attest_error_set(ATTEST_EINVALID,
		                 "consistency proof: too many hashes or old "
		                 "size above new size");
		return -1;
	}
	attest_buf_printf(
	        &b, CONSISTENCY_HEADER "\nold %" PRIu64 "\nnew %" PRIu64 "\n",
	        c->old_size, c->new_size);
	for (size_t i = 0; i < c->nhashes; i++)
		put_hash(&b, c->hashes[i]);
	if (attest_buf_put(out, b.ptr, b.len) == 0)
		rc = 0;
	attest_buf_free(&b);
	return rc;
}
