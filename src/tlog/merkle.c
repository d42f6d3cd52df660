/*
 * RFC 6962 Merkle tree hashing, compact ranges, and proof generation and
 * verification over SHA-256.
 *
 * Generation never sees the tree itself: it walks the RFC 6962 recursion
 * by index arithmetic alone and asks a tlog_hash_fn for the hashes of full,
 * aligned subtrees. Every range the recursion produces starts on a multiple
 * of a power of two at least as large as the range, so its MTH is the fold
 * of the full subtrees named by the set bits of its length. Verification
 * follows the bit-walking algorithms of RFC 9162 and trusts nothing in its
 * input. This module does no I/O and keeps no state but a per-thread
 * digest context.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "attest/error.h"
#include "tlog/merkle.h"

/*
 * Hashing sits in the append loop (payload, leaf and node hashes for every
 * entry), so the per-call cost matters more than anything else here. The
 * implicit fetch behind EVP_sha256() and a fresh context per call cost more
 * than the compression itself on short inputs; instead the digest is
 * fetched once and each thread keeps one context, which
 * EVP_DigestInit_ex2 resets cheaply. The pthread key exists only so that
 * a thread's context is freed when the thread ends.
 */
static pthread_once_t sha_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha_md;
static pthread_key_t sha_key;
static _Thread_local EVP_MD_CTX *sha_ctx;

static void
sha_ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void
sha_setup(void)
{
	sha_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (sha_md == NULL || pthread_key_create(&sha_key, sha_ctx_free) != 0) {
		fputs("attest: cannot set up SHA-256\n", stderr);
		abort();
	}
}

static EVP_MD_CTX *
sha_thread_ctx(void)
{
	if (sha_ctx == NULL) {
		pthread_once(&sha_once, sha_setup);
		if ((sha_ctx = EVP_MD_CTX_new()) == NULL) {
			fputs("attest: out of memory\n", stderr);
			abort();
		}
		pthread_setspecific(sha_key, sha_ctx);
	}
	return sha_ctx;
}

/* The output may alias an input: every part is consumed before the digest
 * is written. The calls can fail only on allocation failure or a broken
 * provider, which, as with xmalloc, is not worth unwinding from. */
void
tlog_sha256(tlog_hash out, size_t n, const void *const *parts,
            const size_t *lens)
{
	EVP_MD_CTX *ctx = sha_thread_ctx();
	unsigned int len = 0;
	int ok;

	ok = EVP_DigestInit_ex2(ctx, sha_md, NULL);
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, parts[i], lens[i]);
	if (!ok || !EVP_DigestFinal_ex(ctx, out, &len) || len != TLOG_HASH) {
		fputs("attest: SHA-256 failed\n", stderr);
		abort();
	}
}

void
tlog_leaf_hash(tlog_hash out, const void *leaf, size_t len)
{
	static const uint8_t prefix = 0x00;
	const void *parts[2] = {&prefix, leaf};
	size_t lens[2] = {1, len};

	tlog_sha256(out, 2, parts, lens);
}

void
tlog_node_hash(tlog_hash out, const tlog_hash left, const tlog_hash right)
{
	static const uint8_t prefix = 0x01;
	const void *parts[3] = {&prefix, left, right};
	size_t lens[3] = {1, TLOG_HASH, TLOG_HASH};

	tlog_sha256(out, 3, parts, lens);
}

void
tlog_empty_root(tlog_hash out)
{
	tlog_sha256(out, 0, NULL, NULL);
}

void
tlog_range_init(struct tlog_range *r)
{
	memset(r, 0, sizeof(*r));
}

/*
 * Appending is binary addition of one: every trailing one bit of the size
 * is a full subtree that the new leaf's subtree now pairs with, carried
 * upward until a zero bit takes the result.
 */
void
tlog_range_append(struct tlog_range *r, const tlog_hash leaf_hash)
{
	tlog_hash carry;

	memcpy(carry, leaf_hash, TLOG_HASH);
	for (uint64_t s = r->size; s & 1; s >>= 1)
		tlog_node_hash(carry, r->hashes[--r->n], carry);
	memcpy(r->hashes[r->n++], carry, TLOG_HASH);
	r->size++;
}

/* The right edge folds from the smallest subtree leftwards, which is how
 * the RFC 6962 split at the largest power of two nests them. */
static void
fold_right(const tlog_hash *hashes, unsigned n, tlog_hash out)
{
	memcpy(out, hashes[n - 1], TLOG_HASH);
	for (unsigned i = n - 1; i > 0; i--)
		tlog_node_hash(out, hashes[i - 1], out);
}

void
tlog_range_root(const struct tlog_range *r, tlog_hash out)
{
	if (r->n == 0)
		tlog_empty_root(out);
	else
		fold_right(r->hashes, r->n, out);
}

/* The largest power of two strictly below n, for n >= 2: the RFC 6962
 * split point. */
static uint64_t
split_point(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

/*
 * The full subtrees that make up [lo, hi), largest first, into out;
 * returns their count. lo must be a multiple of a power of two no smaller
 * than hi - lo, which holds for every range of the RFC 6962 recursion.
 */
static int
full_subtrees(tlog_hash_fn fn, void *ctx, uint64_t lo, uint64_t hi,
              tlog_hash out[64], unsigned *count)
{
	uint64_t len = hi - lo, pos = lo;
	unsigned n = 0;
	int error;

	for (unsigned h = 64; h-- > 0;) {
		if (!((len >> h) & 1))
			continue;
		if ((error = fn(ctx, h, pos >> h, out[n])) < 0)
			return error;
		n++;
		pos += (uint64_t)1 << h;
	}
	*count = n;
	return 0;
}

/* MTH(D[lo:hi]) for a non-empty range of the recursion (see above). */
static int
range_hash(tlog_hash_fn fn, void *ctx, uint64_t lo, uint64_t hi, tlog_hash out)
{
	tlog_hash parts[64];
	unsigned n;
	int error;

	if ((error = full_subtrees(fn, ctx, lo, hi, parts, &n)) < 0)
		return error;
	fold_right(parts, n, out);
	return 0;
}

int
tlog_tree_root(uint64_t size, tlog_hash_fn fn, void *ctx, tlog_hash out)
{
	if (size == 0) {
		tlog_empty_root(out);
		return 0;
	}
	return range_hash(fn, ctx, 0, size, out);
}

int
tlog_range_load(struct tlog_range *r, uint64_t size, tlog_hash_fn fn, void *ctx)
{
	int error;

	tlog_range_init(r);
	if ((error = full_subtrees(fn, ctx, 0, size, r->hashes, &r->n)) < 0) {
		tlog_range_init(r);
		return error;
	}
	r->size = size;
	return 0;
}

struct span {
	uint64_t lo, hi;
};

/*
 * Emits the sibling ranges collected on the way down, deepest first (the
 * order in which RFC 6962 appends them on the way back up).
 */
static int
emit_siblings(tlog_hash_fn fn, void *ctx, const struct span *sib,
              unsigned depth, tlog_hash *proof)
{
	int error;

	for (unsigned i = 0; i < depth; i++) {
		const struct span *s = &sib[depth - 1 - i];
		if ((error = range_hash(fn, ctx, s->lo, s->hi, proof[i])) < 0)
			return error;
	}
	return 0;
}

/*
 * PATH(index, D[0:size]), unrolled: descend towards the leaf, remembering
 * the other half at each split. Only the first right-hand sibling can be
 * ragged; everything below it is a perfect tree, so the whole proof costs
 * O(log size) callbacks.
 */
int
tlog_inclusion_proof(uint64_t index, uint64_t size, tlog_hash_fn fn, void *ctx,
                     tlog_hash proof[TLOG_MAX_PROOF], size_t *n)
{
	struct span sib[64];
	uint64_t lo = 0, hi = size, k;
	unsigned depth = 0;
	int error;

	*n = 0;
	if (index >= size)
		return attest_error_set(ATTEST_EINVALID,
		                        "inclusion proof: index %" PRIu64
		                        " is not below tree size %" PRIu64,
		                        index, size);
	while (hi - lo > 1) {
		k = split_point(hi - lo);
		if (index < lo + k) {
			sib[depth] = (struct span){lo + k, hi};
			hi = lo + k;
		} else {
			sib[depth] = (struct span){lo, lo + k};
			lo += k;
		}
		depth++;
	}
	if ((error = emit_siblings(fn, ctx, sib, depth, proof)) < 0)
		return error;
	*n = depth;
	return 0;
}

/*
 * PROOF(m, D[0:size]) through SUBPROOF, unrolled the same way. The
 * descent stops at the first subtree that the old tree covers exactly;
 * that subtree's own hash leads the proof unless it is a left edge the
 * verifier already holds as root_m (the "b" flag of RFC 6962 stays true
 * only while the descent keeps to the left).
 */
int
tlog_consistency_proof(uint64_t m, uint64_t size, tlog_hash_fn fn, void *ctx,
                       tlog_hash proof[TLOG_MAX_PROOF], size_t *n)
{
	struct span sib[64];
	uint64_t lo = 0, hi = size, k;
	unsigned depth = 0, first = 0;
	int known = 1, error;

	*n = 0;
	if (m == 0 || m > size)
		return attest_error_set(ATTEST_EINVALID,
		                        "consistency proof: size %" PRIu64
		                        " is not in [1, %" PRIu64 "]",
		                        m, size);
	while (m != hi) {
		k = split_point(hi - lo);
		if (m <= lo + k) {
			sib[depth] = (struct span){lo + k, hi};
			hi = lo + k;
		} else {
			sib[depth] = (struct span){lo, lo + k};
			lo += k;
			known = 0;
		}
		depth++;
	}
	if (!known)
		first = 1;
	/* Only trees beyond 2^63 entries could need one more hash. */
	if (depth + first > TLOG_MAX_PROOF)
		return attest_error_set(ATTEST_EINVALID,
		                        "consistency proof: %" PRIu64
		                        " to %" PRIu64 " is too long",
		                        m, size);
	if (first && (error = range_hash(fn, ctx, lo, hi, proof[0])) < 0)
		return error;
	if ((error = emit_siblings(fn, ctx, sib, depth, proof + first)) < 0)
		return error;
	*n = depth + first;
	return 0;
}

/* Drops the low zero bits of fn (and as many of sn), stopping at 0. */
static void
shift_to_set_bit(uint64_t *fn, uint64_t *sn)
{
	while (*fn != 0 && !(*fn & 1)) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

/*
 * RFC 9162 §2.1.3.2. fn walks the leaf's position and sn the last leaf's
 * up the tree; a proof hash goes on the left when the path is a right
 * child or has reached the ragged right edge. sn must reach zero exactly
 * when the proof runs out, which rejects truncated and padded proofs.
 */
int
tlog_verify_inclusion(uint64_t index, uint64_t size, const tlog_hash leaf_hash,
                      const tlog_hash *proof, size_t n, const tlog_hash root)
{
	uint64_t fn, sn;
	tlog_hash r;

	if (index >= size || n > TLOG_MAX_PROOF || (n > 0 && proof == NULL))
		return -1;
	fn = index;
	sn = size - 1;
	memcpy(r, leaf_hash, TLOG_HASH);
	for (size_t i = 0; i < n; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			tlog_node_hash(r, proof[i], r);
			shift_to_set_bit(&fn, &sn);
		} else {
			tlog_node_hash(r, r, proof[i]);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || memcmp(r, root, TLOG_HASH) != 0)
		return -1;
	return 0;
}

/*
 * RFC 9162 §2.1.4.2: rebuild both roots from one walk. m == 0 is refused
 * (an empty tree has no root to prove anything from, and the generator
 * refuses it too); m == size holds only with an empty proof and equal
 * roots, which is what the generator produces.
 */
int
tlog_verify_consistency(uint64_t m, uint64_t size, const tlog_hash root_m,
                        const tlog_hash root_size, const tlog_hash *proof,
                        size_t n)
{
	uint64_t fn, sn;
	tlog_hash fr, sr;
	size_t i = 0;

	if (m == 0 || m > size || n > TLOG_MAX_PROOF ||
	    (n > 0 && proof == NULL))
		return -1;
	if (m == size)
		return n == 0 && memcmp(root_m, root_size, TLOG_HASH) == 0 ? 0
		                                                           : -1;
	if (n == 0)
		return -1;
	/* When m is a power of two the old tree is a left subtree of the new
	 * one, and the proof leaves out the hash the verifier already has. */
	if ((m & (m - 1)) == 0) {
		memcpy(fr, root_m, TLOG_HASH);
	} else {
		memcpy(fr, proof[0], TLOG_HASH);
		i = 1;
	}
	memcpy(sr, fr, TLOG_HASH);
	fn = m - 1;
	sn = size - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < n; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			tlog_node_hash(fr, proof[i], fr);
			tlog_node_hash(sr, proof[i], sr);
			shift_to_set_bit(&fn, &sn);
		} else {
			tlog_node_hash(sr, sr, proof[i]);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || memcmp(fr, root_m, TLOG_HASH) != 0 ||
	    memcmp(sr, root_size, TLOG_HASH) != 0)
		return -1;
	return 0;
}
