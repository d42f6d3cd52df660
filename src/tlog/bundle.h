/*
 * The auditor bundle: a directory an auditor verifies with nothing but the
 * log's public key (docs/ledger-format.md):
 *
 *   MANIFEST              signed note (log key) listing every file's SHA-256
 *   log.vkey              the log's verifier key(s), one per line
 *   checkpoint            latest signed checkpoint
 *   checkpoints/<size>    every stored checkpoint up to the bundle size
 *   tile/<L>/<N>          full tiles of [0, size) (C2SP tlog-tiles)
 *   tile/entries/<N>      entry bundles: uint16 length || LeafV1, 256 each
 *   payload/<N>           per entry: uint32 n, then salt[32] || payload[n];
 *                         n = 0xFFFFFFFF redacted, 0xFFFFFFFE not exported
 *   proofs/<idx>.tlog-proof   optional inclusion proofs
 *
 * The writer pulls everything through callbacks, so the ledger can export
 * from its database and the tests from memory.
 */
#ifndef ATTEST_TLOG_BUNDLE_H
#define ATTEST_TLOG_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "tlog/check.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tile.h"

#define TLOG_BUNDLE_REDACTED 0xFFFFFFFFu
#define TLOG_BUNDLE_OMITTED  0xFFFFFFFEu

struct tlog_bundle_entry {
	const uint8_t *leaf;
	size_t leaf_len;
	enum tlog_payload_state state;
	const uint8_t *salt; /* TLOG_SALT bytes when present */
	const uint8_t *payload;
	size_t payload_len;
};

struct tlog_bundle_source {
	uint64_t size;          /* tree size of `checkpoint` */
	const char *checkpoint; /* its signed note */
	const char *vkeys;      /* log.vkey contents, one key per line */
	uint64_t first, end;    /* entries whose payloads are exported */
	const char *from, *to;  /* the period as asked, for the MANIFEST */
	const uint64_t *proofs; /* indices to write proofs for */
	size_t nproofs;
	const struct tlog_signer *signer; /* signs the MANIFEST */
	void *ctx;
	/* Entry idx (0 <= idx < size); pointers valid until the next call. */
	int (*entry)(void *ctx, uint64_t idx, struct tlog_bundle_entry *out);
	/* The full tile (level, n). */
	int (*tile)(void *ctx, unsigned level, uint64_t n,
	            uint8_t out[TLOG_TILE_BYTES]);
	/* The i-th stored checkpoint with size <= size, in size order;
	   ATTEST_ENOTFOUND after the last. *note borrowed until next call. */
	int (*checkpoint_at)(void *ctx, size_t i, const char **note);
	/* Progress (may be NULL): entries written so far. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
};

/* Writes the bundle into dir, which must not exist (created; removed again
 * on failure). 0 or a negative ATTEST_E* code with a message; an error
 * from a callback is returned unchanged. The MANIFEST is a signed note, so
 * the bundle can hold no more files than a note of TLOG_NOTE_MAX bytes
 * lists (about 1.1 bytes per entry). */
int tlog_bundle_write(const char *dir, const struct tlog_bundle_source *src);

/*
 * Verifies the bundle in dir offline: the MANIFEST signature and every
 * file's hash, then the whole log through tlog_check (opts carries the
 * keys and trusted checkpoints; origin is taken from the bundle), then
 * each proof in proofs/ (whose checkpoints count among r->checkpoints).
 * The MANIFEST must be signed by one of opts->keys. A payload marked "not
 * exported" inside the MANIFEST's period counts as absent. Returns the
 * exit status: 0 verified, 1 tamper evidence, 2 usage or I/O error
 * (message set; r is still filled and freed by the caller), 3 verified
 * with warnings. Uses one reader thread besides the caller's.
 */
int tlog_bundle_verify(const char *dir, const struct tlog_check_opts *opts,
                       struct tlog_check_report *r);

#endif
