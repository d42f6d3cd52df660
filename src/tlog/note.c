/*
 * C2SP signed notes with Ed25519 keys, the key strings that name them, and
 * the checkpoint body that the log signs.
 *
 * A note is only worth what its parser refuses. We accept exactly what the
 * spec allows (valid UTF-8, no control characters but newline, the text cut
 * from the signatures at the last blank line, well-formed signature lines)
 * and keep signatures by keys we do not know, since witnesses cosign the
 * same note. Checkpoint bodies are stricter than the spec: extension lines
 * are refused, because nothing in this system writes them and a verifier
 * should not sign off on lines it does not understand.
 *
 * Ed25519 comes from libsodium; SHA-256 (key ids) from tlog_sha256.
 * Nothing here keeps state between calls, so all of it is thread safe once
 * sodium_init() has run (it is idempotent and itself thread safe).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "attest/error.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "util/alloc.h"
#include "util/decimal.h"
#include "util/buf.h"

#define ALG_ED25519 0x01
#define MAX_SIGS    100
#define SKEY_PREFIX "PRIVATE+KEY+"

/* U+2014 EM DASH and a space open every signature line. */
static const char sig_prefix[] = "\xe2\x80\x94 ";
#define SIG_PREFIX_LEN 4

/* Records "<what>: <why>" and returns -1, the failure value of every
   parser in this module. */
static int
invalid(const char *what, const char *why)
{
	attest_error_set(ATTEST_EINVALID, "%s: %s", what, why);
	return -1;
}

static int
sodium_ready(void)
{
	if (sodium_init() < 0) {
		attest_error_set(ATTEST_ERROR, "libsodium: cannot initialise");
		return -1;
	}
	return 0;
}

/* Base64 (RFC 4648 §4). */

static const char b64_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
tlog_base64_encode(char *out, const uint8_t *in, size_t len)
{
	size_t o = 0, i = 0;

	for (; len - i >= 3; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		             in[i + 2];
		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = '=';
	}
	return o;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict on purpose: besides the alphabet and padding, the unused low bits
 * of the last character must be zero. Otherwise several strings decode to
 * the same bytes, and a signature line could be altered without changing
 * what it says, which would defeat byte-for-byte round trips.
 */
long
tlog_base64_decode(uint8_t *out, size_t cap, const char *in, size_t len)
{
	size_t o = 0;

	if (len % 4 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int v[4], pad = 0;
		uint32_t w;
		size_t nout;

		for (int j = 0; j < 4; j++) {
			unsigned char c = (unsigned char)in[i + j];
			if (c == '=' && i + 4 == len && j >= 2) {
				v[j] = 0;
				pad++;
				continue;
			}
			if (pad) /* data after padding */
				return -1;
			if ((v[j] = b64_value(c)) < 0)
				return -1;
		}
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		    (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if ((pad == 1 && (w & 0xff) != 0) ||
		    (pad == 2 && (w & 0xffff) != 0))
			return -1;
		nout = 3 - (size_t)pad;
		if (cap - o < nout)
			return -1;
		out[o++] = (uint8_t)(w >> 16);
		if (nout > 1)
			out[o++] = (uint8_t)(w >> 8);
		if (nout > 2)
			out[o++] = (uint8_t)w;
	}
	return (long)o;
}

/* UTF-8 and names. */

/*
 * Decodes one code point of well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) at p; returns it and its length in
 * *n, or -1.
 */
static long
utf8_next(const unsigned char *p, size_t len, size_t *n)
{
	unsigned char c = p[0];
	long cp;
	size_t k;

	if (c < 0x80) {
		*n = 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		cp = c & 0x07;
	} else {
		return -1;
	}
	if (len < k)
		return -1;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*n = k;
	return cp;
}

/* Unicode White_Space, which key names may not contain. */
static int
is_space(long cp)
{
	return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 ||
	       cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	       cp == 0x3000;
}

/*
 * NULL when p[0..len) is valid UTF-8 without control characters, else what
 * is wrong. With newline set (a whole note) this is the spec's rule: no
 * character below U+0020 but newline. Without it (one line of a field we
 * define, like an origin) DEL is refused as well.
 */
static const char *
check_text(const char *p, size_t len, int newline)
{
	const unsigned char *u = (const unsigned char *)p;

	for (size_t i = 0; i < len;) {
		size_t n;
		long cp = utf8_next(u + i, len - i, &n);
		if (cp < 0)
			return "invalid UTF-8";
		if ((cp < 0x20 && !(newline && cp == '\n')) ||
		    (!newline && cp == 0x7f))
			return "control character";
		i += n;
	}
	return NULL;
}

static int
name_valid(const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;

	if (len == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t n;
		long cp = utf8_next(u + i, len - i, &n);
		if (cp < 0 || cp < 0x20 || cp == 0x7f || cp == '+' ||
		    is_space(cp))
			return 0;
		i += n;
	}
	return 1;
}

/* Keys. */

static uint32_t
key_id(const char *name, const uint8_t pk[32])
{
	static const uint8_t sep[2] = {'\n', ALG_ED25519};
	const void *parts[3] = {name, sep, pk};
	const size_t lens[3] = {strlen(name), 2, 32};
	tlog_hash h;

	tlog_sha256(h, 3, parts, lens);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	       (uint32_t)h[2] << 8 | h[3];
}

/* "<name>+<8 hex>+<base64 of 0x01 || 32 bytes>", the shape shared by the
   two key strings. Fills name (allocated), id and the 32 key bytes. */
static int
split_key(const char *what, const char *s, char **name, uint32_t *id,
          uint8_t key[32])
{
	size_t len = strlen(s), nlen;
	const char *plus, *hex;
	uint8_t raw[33];
	long n;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	                   s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	if ((plus = memchr(s, '+', len)) == NULL)
		return invalid(what, "missing '+'");
	nlen = (size_t)(plus - s);
	if (!name_valid(s, nlen))
		return invalid(what, "invalid key name");
	hex = plus + 1;
	if (len - nlen - 1 < 9 || hex[8] != '+')
		return invalid(what, "key id is not 8 hex digits");
	*id = 0;
	for (int i = 0; i < 8; i++) {
		char c = hex[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return invalid(what,
			               "key id is not 8 lower-case hex digits");
		*id = *id << 4 | d;
	}
	n = tlog_base64_decode(raw, sizeof(raw), hex + 9, len - nlen - 10);
	if (n != 33) {
		sodium_memzero(raw, sizeof(raw));
		return invalid(what, "key is not base64 of 33 bytes");
	}
	if (raw[0] != ALG_ED25519) {
		sodium_memzero(raw, sizeof(raw));
		return invalid(what, "unsupported algorithm (only Ed25519)");
	}
	memcpy(key, raw + 1, 32);
	sodium_memzero(raw, sizeof(raw));
	*name = xstrndup(s, nlen);
	return 0;
}

int
tlog_verifier_parse(struct tlog_verifier *v, const char *vkey)
{
	char *name = NULL;
	uint32_t id;

	memset(v, 0, sizeof(*v));
	if (sodium_ready() < 0 ||
	    split_key("vkey", vkey, &name, &id, v->pk) < 0)
		return -1;
	/* libsodium refuses small-order keys when verifying anyway; saying
	   so when the key is read points at the real problem. */
	if (!crypto_core_ed25519_is_valid_point(v->pk)) {
		free(name);
		memset(v, 0, sizeof(*v));
		return invalid("vkey", "not a valid Ed25519 key");
	}
	if (key_id(name, v->pk) != id) {
		free(name);
		memset(v, 0, sizeof(*v));
		return invalid("vkey", "key id does not match the key");
	}
	v->name = name;
	v->key_id = id;
	return 0;
}

int
tlog_signer_parse(struct tlog_signer *s, const char *skey)
{
	uint8_t seed[32];
	char *name = NULL;
	uint32_t id;

	memset(s, 0, sizeof(*s));
	if (sodium_ready() < 0)
		return -1;
	if (strncmp(skey, SKEY_PREFIX, strlen(SKEY_PREFIX)) != 0)
		return invalid("skey", "missing PRIVATE+KEY+ prefix");
	if (split_key("skey", skey + strlen(SKEY_PREFIX), &name, &id, seed) < 0)
		return -1;
	crypto_sign_seed_keypair(s->pk, s->sk, seed);
	sodium_memzero(seed, sizeof(seed));
	if (key_id(name, s->pk) != id) {
		free(name);
		sodium_memzero(s, sizeof(*s));
		return invalid("skey", "key id does not match the key");
	}
	s->name = name;
	s->key_id = id;
	return 0;
}

static char *
format_key(const char *prefix, const char *name, uint32_t id,
           const uint8_t key[32])
{
	struct attest_buf b = ATTEST_BUF_INIT;
	uint8_t raw[33];
	char b64[TLOG_BASE64_LEN(33) + 1];
	size_t n;

	raw[0] = ALG_ED25519;
	memcpy(raw + 1, key, 32);
	n = tlog_base64_encode(b64, raw, sizeof(raw));
	b64[n] = '\0';
	attest_buf_printf(&b, "%s%s+%08" PRIx32 "+%s", prefix, name, id, b64);
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(b64, sizeof(b64));
	return attest_buf_detach(&b);
}

char *
tlog_signer_vkey(const struct tlog_signer *s)
{
	return format_key("", s->name, s->key_id, s->pk);
}

int
tlog_key_generate(const char *name, char **skey, char **vkey)
{
	uint8_t seed[32], pk[32], sk[64];
	uint32_t id;

	*skey = *vkey = NULL;
	if (sodium_ready() < 0)
		return -1;
	if (!name_valid(name, strlen(name)))
		return invalid("key name",
		               "empty, or contains '+', a space or a control "
		               "character");
	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	id = key_id(name, pk);
	*skey = format_key(SKEY_PREFIX, name, id, seed);
	*vkey = format_key("", name, id, pk);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	return 0;
}

void
tlog_signer_free(struct tlog_signer *s)
{
	if (s == NULL)
		return;
	free(s->name);
	sodium_memzero(s, sizeof(*s));
}

void
tlog_verifier_free(struct tlog_verifier *v)
{
	if (v == NULL)
		return;
	free(v->name);
	memset(v, 0, sizeof(*v));
}

/* Notes. */

int
tlog_note_sign(struct attest_buf *out, const char *text, size_t len,
               const struct tlog_signer *const *signers, size_t n)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	const char *why;

	if (sodium_ready() < 0)
		return -1;
	if (n == 0 || n > MAX_SIGS)
		return invalid("note", "1 to 100 signers required");
	if (len == 0 || text[len - 1] != '\n')
		return invalid("note", "text must end in a newline");
	if ((why = check_text(text, len, 1)) != NULL)
		return invalid("note: text", why);
	attest_buf_put(&b, text, len);
	attest_buf_putc(&b, '\n');
	for (size_t i = 0; i < n; i++) {
		const struct tlog_signer *s = signers[i];
		uint8_t blob[4 + crypto_sign_BYTES];
		char b64[TLOG_BASE64_LEN(sizeof(blob)) + 1];
		size_t k;

		if (!name_valid(s->name, strlen(s->name))) {
			attest_buf_free(&b);
			return invalid("note", "invalid signer name");
		}
		blob[0] = (uint8_t)(s->key_id >> 24);
		blob[1] = (uint8_t)(s->key_id >> 16);
		blob[2] = (uint8_t)(s->key_id >> 8);
		blob[3] = (uint8_t)s->key_id;
		crypto_sign_detached(blob + 4, NULL, (const uint8_t *)text, len,
		                     s->sk);
		k = tlog_base64_encode(b64, blob, sizeof(blob));
		b64[k] = '\0';
		attest_buf_printf(&b, "%s%s %s\n", sig_prefix, s->name, b64);
	}
	/* Never write a note we would refuse to read back. */
	if (b.len > TLOG_NOTE_MAX) {
		attest_buf_free(&b);
		return invalid("note", "longer than the maximum");
	}
	if (attest_buf_put(out, b.ptr, b.len) < 0) {
		attest_buf_free(&b);
		return -1;
	}
	attest_buf_free(&b);
	return 0;
}

void
tlog_note_free(struct tlog_note *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->nsigs; i++) {
		free(n->sigs[i].name);
		free(n->sigs[i].sig);
	}
	free(n->sigs);
	free(n->text);
	memset(n, 0, sizeof(*n));
}

static int
note_fail(struct tlog_note *n, size_t line, const char *what)
{
	tlog_note_free(n);
	if (line)
		attest_error_set(ATTEST_EINVALID, "note: signature %zu: %s",
		                 line, what);
	else
		attest_error_set(ATTEST_EINVALID, "note: %s", what);
	return -1;
}

/* One signature line, without its newline. */
static int
parse_sig(struct tlog_note_sig *sig, const char *line, size_t len,
          const char **why)
{
	const char *name, *space, *b64;
	size_t nlen, blen;
	uint8_t *raw;
	long k;

	if (len < SIG_PREFIX_LEN || memcmp(line, sig_prefix, SIG_PREFIX_LEN))
		return *why = "does not start with an em dash and a space", -1;
	name = line + SIG_PREFIX_LEN;
	if ((space = memchr(name, ' ', len - SIG_PREFIX_LEN)) == NULL)
		return *why = "no space after the key name", -1;
	nlen = (size_t)(space - name);
	if (!name_valid(name, nlen))
		return *why = "invalid key name", -1;
	b64 = space + 1;
	blen = len - SIG_PREFIX_LEN - nlen - 1;
	raw = xmalloc(blen / 4 * 3 + 1);
	k = tlog_base64_decode(raw, blen / 4 * 3 + 1, b64, blen);
	if (k < 0) {
		free(raw);
		return *why = "signature is not base64", -1;
	}
	if (k < 5) {
		free(raw);
		return *why = "signature shorter than a key id and 1 byte", -1;
	}
	sig->name = xstrndup(name, nlen);
	sig->key_id = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
	              (uint32_t)raw[2] << 8 | raw[3];
	sig->siglen = (size_t)k - 4;
	sig->sig = xmalloc(sig->siglen);
	memcpy(sig->sig, raw + 4, sig->siglen);
	free(raw);
	return 0;
}

int
tlog_note_parse(struct tlog_note *n, const char *msg, size_t len)
{
	const char *why;
	size_t split, pos, cap = 0;

	memset(n, 0, sizeof(*n));
	if (len > TLOG_NOTE_MAX)
		return note_fail(n, 0, "longer than the maximum");
	if ((why = check_text(msg, len, 1)) != NULL)
		return note_fail(n, 0, why);
	if (len == 0 || msg[len - 1] != '\n')
		return note_fail(n, 0, "does not end in a newline");
	/* The text may itself hold blank lines; signature lines never do,
	   so the last blank line is the one that ends the text. */
	for (split = len - 1; split > 0; split--)
		if (msg[split - 1] == '\n' && msg[split] == '\n')
			break;
	if (split == 0)
		return note_fail(n, 0, "no blank line before the signatures");
	/* msg[split - 1] ends the text; msg[split] is the blank line. */
	if (split + 1 == len)
		return note_fail(n, 0, "no signatures");
	n->text_len = split;
	n->text = xstrndup(msg, split);
	for (pos = split + 1; pos < len;) {
		const char *line = msg + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = (size_t)(nl - line);

		if (n->nsigs == MAX_SIGS)
			return note_fail(n, 0, "more than 100 signatures");
		xgrow(&n->sigs, &cap, n->nsigs + 1, sizeof(*n->sigs));
		if (parse_sig(&n->sigs[n->nsigs], line, llen, &why) < 0)
			return note_fail(n, n->nsigs + 1, why);
		n->nsigs++;
		pos += llen + 1;
	}
	return 0;
}

int
tlog_note_verify(const struct tlog_note *n, const struct tlog_verifier *v)
{
	int found = 0;

	if (sodium_ready() < 0)
		return -1;
	/* A key is the pair (name, id): a signature sharing only one of them
	   is someone else's and is ignored, as the spec requires. Every
	   signature that does claim to be v's must verify. */
	for (size_t i = 0; i < n->nsigs; i++) {
		const struct tlog_note_sig *s = &n->sigs[i];
		if (s->key_id != v->key_id || strcmp(s->name, v->name) != 0)
			continue;
		found = 1;
		if (s->siglen != crypto_sign_BYTES ||
		    crypto_sign_verify_detached(s->sig,
		                                (const uint8_t *)n->text,
		                                n->text_len, v->pk) != 0) {
			attest_error_set(ATTEST_EINVALID,
			                 "note: signature by %s+%08" PRIx32
			                 " does not verify",
			                 v->name, v->key_id);
			return -1;
		}
	}
	return found ? 0 : 1;
}

/* Checkpoints. */

static int
cp_fail(struct tlog_checkpoint *c, int line, const char *field,
        const char *what)
{
	tlog_checkpoint_free(c);
	attest_error_set(ATTEST_EINVALID, "checkpoint: line %d: %s: %s", line,
	                 field, what);
	return -1;
}

int
tlog_checkpoint_parse(struct tlog_checkpoint *c, const char *text, size_t len)
{
	const char *lines[3], *why, *nl, *end = text + len;
	size_t lens[3];
	const char *p = text;
	uint8_t root[64];
	long k;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 3; i++) {
		if (p == end ||
		    (nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return cp_fail(c, i + 1,
			               i == 0   ? "origin"
			               : i == 1 ? "size"
			                        : "root",
			               "missing");
		lines[i] = p;
		lens[i] = (size_t)(nl - p);
		p = nl + 1;
	}
	if (p != end)
		return cp_fail(c, 4, "extension", "extension lines refused");
	if (lens[0] == 0)
		return cp_fail(c, 1, "origin", "empty");
	if ((why = check_text(lines[0], lens[0], 0)) != NULL)
		return cp_fail(c, 1, "origin", why);
	if ((why = attest_parse_u64(lines[1], lens[1], &c->size)) != NULL)
		return cp_fail(c, 2, "size", why);
	k = tlog_base64_decode(root, sizeof(root), lines[2], lens[2]);
	if (k < 0)
		return cp_fail(c, 3, "root", "not base64");
	if (k != TLOG_HASH)
		return cp_fail(c, 3, "root", "not 32 bytes");
	memcpy(c->root, root, TLOG_HASH);
	c->origin = xstrndup(lines[0], lens[0]);
	return 0;
}

int
tlog_checkpoint_format(struct attest_buf *out, const struct tlog_checkpoint *c)
{
	char b64[TLOG_BASE64_LEN(TLOG_HASH) + 1];
	const char *why;
	size_t n;

	if (c->origin == NULL || c->origin[0] == '\0')
		return invalid("checkpoint", "empty origin");
	if ((why = check_text(c->origin, strlen(c->origin), 0)) != NULL)
		return invalid("checkpoint: origin", why);
	n = tlog_base64_encode(b64, c->root, TLOG_HASH);
	b64[n] = '\0';
	if (attest_buf_printf(out, "%s\n%" PRIu64 "\n%s\n", c->origin, c->size,
	                      b64) < 0)
		return -1;
	return 0;
}

void
tlog_checkpoint_free(struct tlog_checkpoint *c)
{
	if (c == NULL)
		return;
	free(c->origin);
	memset(c, 0, sizeof(*c));
}
