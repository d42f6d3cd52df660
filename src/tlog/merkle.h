/*
 * RFC 6962 (Certificate Transparency) Merkle tree hashing over SHA-256:
 *
 *   leaf hash  = SHA-256(0x00 || leaf)
 *   node hash  = SHA-256(0x01 || left || right)
 *   MTH(D[0:n]) splits at the largest power of two below n.
 *
 * The compact range is the right edge of a tree of any size: one hash per
 * set bit of the size (at most 64), enough to append and to compute the
 * root. Proofs are generated through a callback that yields the hash of a
 * full, aligned subtree (height h, index k covers leaves [k<<h, (k+1)<<h)),
 * which the ledger answers from its tiles and the tests from memory.
 */
#ifndef ATTEST_TLOG_MERKLE_H
#define ATTEST_TLOG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define TLOG_HASH      32
#define TLOG_MAX_PROOF 64 /* hashes in any inclusion/consistency proof */

typedef uint8_t tlog_hash[TLOG_HASH];

/* SHA-256 of the concatenation of n parts, through a reused EVP context. */
void tlog_sha256(tlog_hash out, size_t n, const void *const *parts,
                 const size_t *lens);

void tlog_leaf_hash(tlog_hash out, const void *leaf, size_t len);
void tlog_node_hash(tlog_hash out, const tlog_hash left, const tlog_hash right);
/* SHA-256 of the empty string: the root of the empty tree. */
void tlog_empty_root(tlog_hash out);

struct tlog_range {
	uint64_t size;
	/* hashes[i]: roots of the full subtrees of the right edge, largest
	   (leftmost) first; one per set bit of size. */
	tlog_hash hashes[64];
	unsigned n;
};

void tlog_range_init(struct tlog_range *r);
/* Appends the leaf hash of entry r->size. */
void tlog_range_append(struct tlog_range *r, const tlog_hash leaf_hash);
/* Root of the first r->size entries (the empty root when size is 0). */
void tlog_range_root(const struct tlog_range *r, tlog_hash out);

/*
 * Hash of the full subtree at height h (0: a leaf hash) and index k.
 * Returns 0, or a negative ATTEST_E* code that is passed through.
 */
typedef int (*tlog_hash_fn)(void *ctx, unsigned height, uint64_t index,
                            tlog_hash out);

/* MTH of entries [0, size) from full-subtree hashes. */
int tlog_tree_root(uint64_t size, tlog_hash_fn fn, void *ctx, tlog_hash out);

/* The compact range of [0, size) (for rebuilding a range from tiles). */
int tlog_range_load(struct tlog_range *r, uint64_t size, tlog_hash_fn fn,
                    void *ctx);

/* RFC 6962 PATH(index, D[0:size]); *n receives the hash count. */
int tlog_inclusion_proof(uint64_t index, uint64_t size, tlog_hash_fn fn,
                         void *ctx, tlog_hash proof[TLOG_MAX_PROOF], size_t *n);
/* RFC 6962 PROOF(m, D[0:size]) for 0 < m <= size. */
int tlog_consistency_proof(uint64_t m, uint64_t size, tlog_hash_fn fn,
                           void *ctx, tlog_hash proof[TLOG_MAX_PROOF],
                           size_t *n);

/* Verification (RFC 9162 §2.1.3.2 and §2.1.4.2): 0 when the proof holds,
 * -1 when it does not. Never reads past proof[n - 1]. */
int tlog_verify_inclusion(uint64_t index, uint64_t size,
                          const tlog_hash leaf_hash, const tlog_hash *proof,
                          size_t n, const tlog_hash root);
int tlog_verify_consistency(uint64_t m, uint64_t size, const tlog_hash root_m,
                            const tlog_hash root_size, const tlog_hash *proof,
                            size_t n);

#endif
