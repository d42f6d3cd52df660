/*
 * The ledger's rules in one place: a streaming checker fed every entry in
 * index order (from the database or from an exported bundle) plus the
 * signed checkpoints that claim to cover them. It recomputes the RFC 6962
 * tree, checks each leaf, payload commitment and redaction, each checkpoint
 * signature and root, the trusted (anchored) checkpoints, and the time
 * windows, and collects findings that name the index and what is wrong.
 *
 * Used by `attest ledger verify` (database) and `attest verify` (bundle),
 * so both reach the same diagnosis for the same tampering.
 */
#ifndef ATTEST_TLOG_CHECK_H
#define ATTEST_TLOG_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "tlog/merkle.h"
#include "tlog/note.h"

enum tlog_severity {
	TLOG_INFO = 0,
	TLOG_WARNING = 1, /* verified with warnings: exit 3 */
	TLOG_TAMPER = 2,  /* tamper evidence: exit 1 */
};

/*
 * Finding codes (stable strings, documented in docs/ledger-format.md):
 *   tamper:  leaf_malformed, index_mismatch, entry_missing, leaf_changed,
 *            payload_mismatch, unauthorised_deletion, redaction_invalid,
 *            root_mismatch, signature_invalid, checkpoint_malformed,
 *            origin_mismatch, truncated, fork, logged_at_decreasing,
 *            clock_outside_window, future_dated, key_chain_invalid,
 *            tile_mismatch, file_mismatch, file_missing, file_unexpected,
 *            manifest_invalid, entries_unsigned, bundle_malformed,
 *            proof_invalid
 *   warning: unanchored_tail, late_logged, redacted, not_exported,
 *            checkpoint_unchecked
 *   info:    time_window
 * At most 100 findings are listed per code; a summary finding without an
 * index gives the count of the rest.
 */
struct tlog_finding {
	enum tlog_severity severity;
	const char *code;
	uint64_t index; /* entry or checkpoint size; UINT64_MAX: none */
	int has_index;
	char *message; /* one line */
};

/* An externally held checkpoint (from the auditor): its signed note and
 * the time it was received (ms since the epoch; -1 when unknown). */
struct tlog_trusted {
	const char *name; /* file name, for messages */
	const char *note;
	size_t note_len;
	int64_t received_ms;
};

struct tlog_check_opts {
	const char *origin; /* expected checkpoint origin; NULL: from the
	                       first checkpoint */
	const struct tlog_verifier *keys; /* keys the verifier trusts */
	size_t nkeys;
	const struct tlog_trusted *trusted;
	size_t ntrusted;
	int64_t skew_ms; /* allowed clock skew; <= 0: 5 min */
	int64_t late_ms; /* LATE_LOGGED threshold; <= 0: 24 h */
	int64_t now_ms;  /* for the age of the unanchored tail; <= 0:
	                    the current time */
};

enum tlog_payload_state {
	TLOG_PAYLOAD_PRESENT, /* salt and payload given */
	TLOG_PAYLOAD_ABSENT,  /* NULL in the store: must be redacted */
	TLOG_PAYLOAD_OMITTED, /* not part of this export (outside period) */
};

struct tlog_check_report {
	uint64_t size;        /* entries seen */
	uint64_t checkpoints; /* checkpoints checked */
	uint64_t payloads;    /* payload commitments recomputed */
	uint64_t redacted, omitted;
	uint64_t anchored_size; /* largest trusted checkpoint size */
	struct tlog_finding *findings;
	size_t nfindings;
	size_t ntamper, nwarning;
};

struct tlog_check;

/*
 * A checker for one log. o and everything it points to are borrowed until
 * tlog_check_free; trusted checkpoints are parsed and their signatures
 * checked here. One checker is used by one thread at a time.
 */
struct tlog_check *tlog_check_new(const struct tlog_check_opts *o);
void tlog_check_free(struct tlog_check *c);

/*
 * Optional: fn sees every hash of tree height 8 * level the stream
 * completes (level 0: each leaf hash folded into the tree), with its
 * index at that height, i.e. entry index % 256 of tile (level, index /
 * 256). The bundle verifier compares stored tiles with it at no extra
 * hashing. Set it before the first entry.
 */
typedef void (*tlog_check_tile_fn)(void *ctx, unsigned level, uint64_t index,
                                   const tlog_hash hash);
void tlog_check_on_tile(struct tlog_check *c, tlog_check_tile_fn fn, void *ctx);

/*
 * Adds a stored checkpoint (any order, before the stream passes its size:
 * the root of a size already passed is gone, and such a checkpoint is
 * reported as checkpoint_unchecked). where names it in messages
 * ("checkpoint 1000", "checkpoints/1000").
 */
void tlog_check_checkpoint(struct tlog_check *c, const char *note, size_t len,
                           const char *where);

/*
 * Feeds the entry stored at position pos (0, 1, ... in order; a gap in
 * pos means rows are missing). tile_hash, when not NULL, is the leaf hash
 * the stored tiles hold for pos, so a changed leaf is pinned to its index:
 * when it differs, leaf_changed is reported and the tile's hash is what
 * goes into the tree (the checkpoints then check the tiles). The pointers
 * are only read during the call.
 */
void tlog_check_entry(struct tlog_check *c, uint64_t pos, const uint8_t *leaf,
                      size_t leaf_len, enum tlog_payload_state st,
                      const uint8_t *salt, const uint8_t *payload,
                      size_t payload_len, const uint8_t *tile_hash);

/*
 * After the stream: 0 when n is signed by a key of the log's key chain and
 * that chain holds one of the trusted keys (so a note signed after a
 * rotation verifies for an auditor holding the first key); 1 otherwise.
 */
int tlog_check_chain_signed(const struct tlog_check *c,
                            const struct tlog_note *n);

/* Records a finding from outside (file checks, store checks). code must
 * be a string that outlives the report (a literal). */
void tlog_check_add(struct tlog_check *c, enum tlog_severity sev,
                    const char *code, int has_index, uint64_t index,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Ends the stream: checks what needs the whole log (checkpoints beyond the
 * end, trusted checkpoints, redactions naming entries, time windows, the
 * unanchored tail) and fills r (caller frees with tlog_check_report_free).
 * Returns the exit status: 0 verified, 1 tamper evidence, 3 warnings.
 * Findings are sorted: tamper, warning, info; within each, summaries
 * first, then by index. Call once; then only tlog_check_free.
 */
int tlog_check_finish(struct tlog_check *c, struct tlog_check_report *r);
void tlog_check_report_free(struct tlog_check_report *r);

/* The report as JSON (jansson json_t *, caller decrefs). */
struct json_t;
struct json_t *tlog_check_report_json(const struct tlog_check_report *r);

#endif
