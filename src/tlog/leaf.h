/*
 * LeafV1: the immutable, non-personal record of one ledger entry, in the
 * TLS presentation language (RFC 8446 §3): fixed field order, big-endian
 * integers, length-prefixed byte strings, so every value has exactly one
 * encoding. See docs/ledger-format.md.
 *
 *   struct {
 *     uint8  version;              1
 *     uint8  kind;                 enum tlog_kind
 *     uint64 index;                equals the Merkle leaf index
 *     uint64 logged_at_ms;         sequencer clock, UTC
 *     uint64 observed_at_ms;       collector's claimed observation time
 *     opaque tenant<1..255>;
 *     opaque source<1..255>;
 *     opaque controls<0..65535>;   sorted, comma-separated control ids
 *     opaque media_type<0..255>;
 *     uint64 payload_len;
 *     opaque payload_commitment[32];
 *     opaque body<0..65535>;       kind-specific, same rules
 *   } LeafV1;                      whole leaf <= 65535 bytes
 *
 *   payload_commitment = SHA-256("attest/payload/v1" || 0x00 || salt[32]
 *                                || payload)
 */
#ifndef ATTEST_TLOG_LEAF_H
#define ATTEST_TLOG_LEAF_H

#include <stddef.h>
#include <stdint.h>

#include "tlog/merkle.h"

#define TLOG_LEAF_MAX 65535
#define TLOG_SALT     32

enum tlog_kind {
	TLOG_EVIDENCE = 1,
	TLOG_REDACTION = 2,
	TLOG_RETENTION_PURGE = 3,
	TLOG_KEY_EVENT = 4,
	TLOG_ANCHOR_RECEIPT = 5,
	TLOG_ANNOTATION = 6,
	TLOG_CHANGE = 7, /* a user-made change: the audit trail */
};

/* "evidence", "redaction", ... or NULL for an unknown kind. */
const char *tlog_kind_name(unsigned kind);

/* Borrowed bytes (not NUL-terminated). */
struct tlog_bytes {
	const uint8_t *p;
	size_t len;
};

struct tlog_leaf {
	uint8_t version, kind;
	uint64_t index, logged_at_ms, observed_at_ms;
	struct tlog_bytes tenant, source, controls, media_type;
	uint64_t payload_len;
	tlog_hash commitment;
	struct tlog_bytes body;
};

/*
 * Encodes l into out (cap bytes; TLOG_LEAF_MAX always suffices). Returns
 * the length, or 0 when a field is out of its bounds (empty tenant or
 * source, too long, unknown kind).
 */
size_t tlog_leaf_encode(const struct tlog_leaf *l, uint8_t *out, size_t cap);

/*
 * Parses one leaf, strictly: version 1, a known kind, every length within
 * its bounds, no trailing bytes, and a body well-formed for its kind. The
 * tlog_bytes point into p. 0, or -1 with attest_error_last() naming the
 * field.
 */
int tlog_leaf_parse(struct tlog_leaf *l, const uint8_t *p, size_t len);

void tlog_payload_commit(tlog_hash out, const uint8_t salt[TLOG_SALT],
                         const void *payload, size_t len);

/* Bodies. Redaction reasons: gdpr_erasure, retention_expiry,
   legal_order, collection_error. */
struct tlog_redaction {
	uint64_t target;
	struct tlog_bytes reason;       /* <1..255> */
	struct tlog_bytes request_ref;  /* <0..255>, non-personal */
	struct tlog_bytes approver_ref; /* <0..255>, non-personal */
};

struct tlog_purge { /* payloads of [from, to) cleared, held ones kept */
	uint64_t from, to, cutoff_ms;
	struct tlog_bytes policy; /* <1..255> */
};

struct tlog_key_event {
	struct tlog_bytes new_vkey; /* <1..65535>, a note verifier key */
	struct tlog_bytes old_vkey; /* <0..65535>, empty for the first key */
};

struct tlog_anchor {
	uint64_t size, received_at_ms;
	struct tlog_bytes kind; /* <1..255>: auditor, witness, tsa */
};

int tlog_redaction_reason_valid(const struct tlog_bytes *reason);

/* Each encoder returns the length written, or 0 when out of bounds. */
size_t tlog_redaction_encode(const struct tlog_redaction *r, uint8_t *out,
                             size_t cap);
size_t tlog_purge_encode(const struct tlog_purge *p, uint8_t *out, size_t cap);
size_t tlog_key_event_encode(const struct tlog_key_event *k, uint8_t *out,
                             size_t cap);
size_t tlog_anchor_encode(const struct tlog_anchor *a, uint8_t *out,
                          size_t cap);

/* Each parser: 0, or -1 with attest_error_last() naming the field. */
int tlog_redaction_parse(struct tlog_redaction *r, const struct tlog_bytes *b);
int tlog_purge_parse(struct tlog_purge *p, const struct tlog_bytes *b);
int tlog_key_event_parse(struct tlog_key_event *k, const struct tlog_bytes *b);
int tlog_anchor_parse(struct tlog_anchor *a, const struct tlog_bytes *b);

#endif
