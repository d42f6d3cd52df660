/*
 * Proof files. Inclusion proofs are C2SP tlog-proof (c2sp.org/tlog-proof):
 *
 *   c2sp.org/tlog-proof@v1
 *   [extra <base64>]
 *   index <decimal>
 *   <base64 hash>        zero or more, the RFC 6962 audit path
 *   (blank line)
 *   <signed checkpoint note>
 *
 * Consistency proofs use the same shape (our format, documented in
 * docs/ledger-format.md):
 *
 *   attest.dev/consistency-proof@v1
 *   old <size>
 *   new <size>
 *   <base64 hash>        zero or more, RFC 6962 PROOF(old, new)
 */
#ifndef ATTEST_TLOG_PROOF_H
#define ATTEST_TLOG_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "tlog/merkle.h"
#include "util/buf.h"

struct tlog_proof {
	int has_extra;
	uint8_t *extra;
	size_t extra_len;
	uint64_t index;
	tlog_hash hashes[TLOG_MAX_PROOF];
	size_t nhashes;
	char *checkpoint; /* the signed note, NUL-terminated */
	size_t checkpoint_len;
};

int tlog_proof_format(struct attest_buf *out, const struct tlog_proof *p);
/* Strict parse; the note is kept as text (parse it with tlog_note_parse).
 * 0, or -1 with a message naming the line. */
int tlog_proof_parse(struct tlog_proof *p, const char *text, size_t len);
void tlog_proof_free(struct tlog_proof *p);

struct tlog_consistency {
	uint64_t old_size, new_size;
	tlog_hash hashes[TLOG_MAX_PROOF];
	size_t nhashes;
};

int tlog_consistency_format(struct attest_buf *out,
                            const struct tlog_consistency *c);
int tlog_consistency_parse(struct tlog_consistency *c, const char *text,
                           size_t len);

#endif
