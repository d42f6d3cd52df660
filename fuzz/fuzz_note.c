/*
 * Fuzz target: signed notes, checkpoint bodies, key strings and base64.
 * The same input goes to each parser. Whatever is accepted is written back
 * out and must give the input's bytes again: a note from its text and
 * signatures, a checkpoint from its fields, a key from its name, id and
 * key bytes, base64 from the decoded bytes. A second spelling of the same
 * values would let a signed file change without its meaning changing.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/note.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The Go sumdb note test key, so that the corpus note also verifies. */
#define PETER_VKEY                                                             \
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"

static void
put_b64(struct attest_buf *b, const uint8_t *p, size_t n)
{
	char *s = malloc(TLOG_BASE64_LEN(n) + 1);

	attest_buf_put(b, s, tlog_base64_encode(s, p, n));
	free(s);
}

static void
check_note(const char *text, size_t size)
{
	static struct tlog_verifier peter;
	static int have_peter;
	struct attest_buf b = ATTEST_BUF_INIT;
	struct tlog_checkpoint c;
	struct tlog_note n;

	if (tlog_note_parse(&n, text, size) < 0)
		return;
	if (n.nsigs == 0 || n.nsigs > 100 || n.text_len == 0 ||
	    n.text[n.text_len - 1] != '\n')
		abort();
	attest_buf_put(&b, n.text, n.text_len);
	attest_buf_putc(&b, '\n');
	for (size_t i = 0; i < n.nsigs; i++) {
		uint8_t *blob = malloc(4 + n.sigs[i].siglen);
		blob[0] = (uint8_t)(n.sigs[i].key_id >> 24);
		blob[1] = (uint8_t)(n.sigs[i].key_id >> 16);
		blob[2] = (uint8_t)(n.sigs[i].key_id >> 8);
		blob[3] = (uint8_t)n.sigs[i].key_id;
		memcpy(blob + 4, n.sigs[i].sig, n.sigs[i].siglen);
		attest_buf_printf(&b, "\xe2\x80\x94 %s ", n.sigs[i].name);
		put_b64(&b, blob, 4 + n.sigs[i].siglen);
		attest_buf_putc(&b, '\n');
		free(blob);
	}
	if (b.len != size || memcmp(b.ptr, text, size) != 0)
		abort();
	attest_buf_free(&b);

	if (!have_peter)
		have_peter = tlog_verifier_parse(&peter, PETER_VKEY) == 0;
	if (have_peter) {
		int r = tlog_note_verify(&n, &peter);
		if (r < -1 || r > 1)
			abort();
	}
	if (tlog_checkpoint_parse(&c, n.text, n.text_len) == 0) {
		if (tlog_checkpoint_format(&b, &c) < 0 || b.len != n.text_len ||
		    memcmp(b.ptr, n.text, b.len) != 0)
			abort();
		tlog_checkpoint_free(&c);
		attest_buf_free(&b);
	}
	tlog_note_free(&n);
}

static void
check_checkpoint(const char *text, size_t size)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	struct tlog_checkpoint c;

	if (tlog_checkpoint_parse(&c, text, size) < 0)
		return;
	if (tlog_checkpoint_format(&b, &c) < 0 || b.len != size ||
	    memcmp(b.ptr, text, size) != 0)
		abort();
	tlog_checkpoint_free(&c);
	attest_buf_free(&b);
}

static char *
key_string(const char *prefix, const char *name, uint32_t id,
           const uint8_t key[32])
{
	struct attest_buf b = ATTEST_BUF_INIT;
	uint8_t raw[33];

	raw[0] = 0x01;
	memcpy(raw + 1, key, 32);
	attest_buf_printf(&b, "%s%s+%08" PRIx32 "+", prefix, name, id);
	put_b64(&b, raw, sizeof(raw));
	return attest_buf_detach(&b);
}

static void
check_keys(const char *s)
{
	struct tlog_verifier v, v2;
	struct tlog_signer sg;
	size_t len = strlen(s);
	char *again;

	/* the parsers ignore trailing whitespace; the comparison does too */
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	                   s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if (tlog_verifier_parse(&v, s) == 0) {
		again = key_string("", v.name, v.key_id, v.pk);
		if (strlen(again) != len || memcmp(again, s, len) != 0)
			abort();
		free(again);
		tlog_verifier_free(&v);
	}
	if (tlog_signer_parse(&sg, s) == 0) {
		/* libsodium's secret key begins with the seed */
		again = key_string("PRIVATE+KEY+", sg.name, sg.key_id, sg.sk);
		if (strlen(again) != len || memcmp(again, s, len) != 0)
			abort();
		free(again);
		again = tlog_signer_vkey(&sg);
		if (tlog_verifier_parse(&v2, again) < 0 ||
		    v2.key_id != sg.key_id || memcmp(v2.pk, sg.pk, 32) != 0)
			abort();
		tlog_verifier_free(&v2);
		free(again);
		tlog_signer_free(&sg);
	}
}

static void
check_base64(const char *s, size_t size)
{
	uint8_t *out = malloc(size / 4 * 3 + 1);
	char *back;
	long n = tlog_base64_decode(out, size / 4 * 3 + 1, s, size);

	if (n >= 0) {
		back = malloc(TLOG_BASE64_LEN((size_t)n) + 1);
		if (tlog_base64_encode(back, out, (size_t)n) != size ||
		    memcmp(back, s, size) != 0)
			abort();
		free(back);
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = '\0';
	check_note(text, size);
	check_checkpoint(text, size);
	check_keys(text);
	check_base64(text, size);
	free(text);
	return 0;
}
