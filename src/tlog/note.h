/*
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys (libsodium),
 * and the checkpoint body they carry (c2sp.org/tlog-checkpoint).
 *
 *   key id   = first 4 bytes of SHA-256(name || 0x0A || 0x01 || pubkey)
 *   vkey     = <name>+<key id, 8 hex>+<base64(0x01 || pubkey)>
 *   skey     = PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>
 *   note     = text (lines each ending in \n; it ends at the last blank
 *              line), a blank line,
 *              then lines "— <name> <base64(key id || signature)>\n"
 *
 * A checkpoint body is "<origin>\n<size>\n<base64 root>\n"; we write no
 * extension lines and refuse them on reading.
 */
#ifndef ATTEST_TLOG_NOTE_H
#define ATTEST_TLOG_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "tlog/merkle.h"
#include "util/buf.h"

/* Bytes of a note we agree to read. A bundle MANIFEST is a note listing
   about 12,000 files per million entries (~1.2 MB), so this is generous;
   checkpoints are a few hundred bytes. */
#define TLOG_NOTE_MAX (64u << 20)

struct tlog_signer {
	char *name;
	uint32_t key_id;
	uint8_t pk[32];
	uint8_t sk[64]; /* libsodium secret key (seed || pk) */
};

struct tlog_verifier {
	char *name;
	uint32_t key_id;
	uint8_t pk[32];
};

/* A fresh key pair for name; *skey and *vkey are allocated strings. */
int tlog_key_generate(const char *name, char **skey, char **vkey);
/* Parse key strings (trailing whitespace ignored). 0 or -1 with an
 * attest_error_last() message. */
int tlog_signer_parse(struct tlog_signer *s, const char *skey);
int tlog_verifier_parse(struct tlog_verifier *v, const char *vkey);
/* The verifier key string of a signer (allocated). */
char *tlog_signer_vkey(const struct tlog_signer *s);
void tlog_signer_free(struct tlog_signer *s); /* wipes the secret key */
void tlog_verifier_free(struct tlog_verifier *v);

/* Signs text (must end in \n) with each signer and appends the signed note
 * to out. */
int tlog_note_sign(struct attest_buf *out, const char *text, size_t len,
                   const struct tlog_signer *const *signers, size_t n);

struct tlog_note_sig {
	char *name;
	uint32_t key_id;
	uint8_t *sig; /* after the key id */
	size_t siglen;
};

struct tlog_note {
	char *text; /* the signed text, NUL-terminated, ends in \n */
	size_t text_len;
	struct tlog_note_sig *sigs;
	size_t nsigs;
};

/* Parses a signed note strictly (at most 100 signatures). 0, or -1 with a
 * message saying what is wrong. */
int tlog_note_parse(struct tlog_note *n, const char *msg, size_t len);
void tlog_note_free(struct tlog_note *n);

/* 0: a signature by v (same name and key id) verifies over the text.
 * -1: there is one but it does not verify. 1: v did not sign. */
int tlog_note_verify(const struct tlog_note *n, const struct tlog_verifier *v);

struct tlog_checkpoint {
	char *origin;
	uint64_t size;
	tlog_hash root;
};

/* Parses a checkpoint body (the note text). 0 or -1 with a message. */
int tlog_checkpoint_parse(struct tlog_checkpoint *c, const char *text,
                          size_t len);
/* Appends the body to out. */
int tlog_checkpoint_format(struct attest_buf *out,
                           const struct tlog_checkpoint *c);
void tlog_checkpoint_free(struct tlog_checkpoint *c);

/* Standard base64 (RFC 4648 §4) with padding. decode: -1 on any invalid
 * character or bad padding; returns the decoded length otherwise. */
size_t tlog_base64_encode(char *out, const uint8_t *in, size_t len);
long tlog_base64_decode(uint8_t *out, size_t cap, const char *in, size_t len);
#define TLOG_BASE64_LEN(n) (((n) + 2) / 3 * 4)

#endif
