/*
 * RFC 6962 hashing, compact ranges and proofs: the published Certificate
 * Transparency vectors, every proof of every tree up to 70 entries checked
 * against a plain recursive MTH, tampered proofs, hostile verifier input,
 * and a million-entry log.
 *
 * The reference side (ref_leaf, ref_node, ref_mth, path_shape) is written
 * from RFC 6962 directly and hashes through OpenSSL's one-shot EVP_Digest,
 * so it shares no code with src/tlog/merkle.c.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "tlog/merkle.h"
#include "util/alloc.h"
#include "util/rng.h"

#define SMALL_MAX 70

static void
unhex(uint8_t *out, const char *hex)
{
	size_t len = strlen(hex);

	assert_int_equal(len % 2, 0);
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void
ref_sha256(tlog_hash out, const void *data, size_t len)
{
	static EVP_MD *md;
	unsigned int n = 0;

	if (md == NULL)
		assert_non_null(md = EVP_MD_fetch(NULL, "SHA256", NULL));
	assert_true(EVP_Digest(data, len, out, &n, md, NULL));
	assert_int_equal(n, TLOG_HASH);
}

static void
ref_leaf(tlog_hash out, const void *data, size_t len)
{
	uint8_t buf[1 + 256];

	assert_true(len <= 256);
	buf[0] = 0x00;
	if (len > 0)
		memcpy(buf + 1, data, len);
	ref_sha256(out, buf, 1 + len);
}

static void
ref_node(tlog_hash out, const tlog_hash left, const tlog_hash right)
{
	uint8_t buf[1 + 2 * TLOG_HASH];

	buf[0] = 0x01;
	memcpy(buf + 1, left, TLOG_HASH);
	memcpy(buf + 1 + TLOG_HASH, right, TLOG_HASH);
	ref_sha256(out, buf, sizeof(buf));
}

/* MTH(D[0:n]) over leaf hashes, exactly as RFC 6962 §2.1 defines it. */
static void
ref_mth(const tlog_hash *leaves, uint64_t n, tlog_hash out)
{
	tlog_hash left, right;
	uint64_t k = 1;

	if (n == 0) {
		ref_sha256(out, "", 0);
		return;
	}
	if (n == 1) {
		memcpy(out, leaves[0], TLOG_HASH);
		return;
	}
	while (k * 2 < n)
		k *= 2;
	ref_mth(leaves, k, left);
	ref_mth(leaves + k, n - k, right);
	ref_node(out, left, right);
}

/* An in-memory tree answering full-subtree hashes by recomputing them. */
struct mem_tree {
	const tlog_hash *leaves;
	uint64_t size;
	unsigned long calls;
};

static int
mem_hash(void *ctx, unsigned height, uint64_t index, tlog_hash out)
{
	struct mem_tree *t = ctx;

	/* The generators must never ask for anything outside the tree. */
	assert_true(height < 64);
	assert_true(index < (t->size >> height));
	t->calls++;
	ref_mth(t->leaves + (index << height), (uint64_t)1 << height, out);
	return 0;
}

/*
 * The direction of each step of PATH(index, D[0:size]), leaf upwards:
 * 'L' when the proof hash is the left child, 'R' when it is the right.
 * Two (index, size) pairs with the same shape hash a proof identically,
 * so a verifier must accept one where it accepts the other, and reject a
 * proof whenever the shapes differ.
 */
static size_t
path_shape(uint64_t index, uint64_t size, char *dirs)
{
	char down[64];
	uint64_t lo = 0, hi = size, k;
	size_t n = 0;

	while (hi - lo > 1) {
		for (k = 1; k * 2 < hi - lo; k *= 2)
			;
		if (index < lo + k) {
			down[n++] = 'R';
			hi = lo + k;
		} else {
			down[n++] = 'L';
			lo += k;
		}
	}
	for (size_t i = 0; i < n; i++)
		dirs[i] = down[n - 1 - i];
	dirs[n] = '\0';
	return n;
}

/*
 * The same for PROOF(m, D[0:size]): whether the proof starts with the
 * hash of the old tree's last subtree ('s') or leaves it out because it
 * is root_m itself ('k'), then the directions of the siblings.
 */
static void
consistency_shape(uint64_t m, uint64_t size, char *out)
{
	char down[64];
	uint64_t lo = 0, hi = size, k;
	size_t n = 0, o = 0;
	int known = 1;

	while (m != hi) {
		for (k = 1; k * 2 < hi - lo; k *= 2)
			;
		if (m <= lo + k) {
			down[n++] = 'R';
			hi = lo + k;
		} else {
			down[n++] = 'L';
			lo += k;
			known = 0;
		}
	}
	out[o++] = known ? 'k' : 's';
	while (n > 0)
		out[o++] = down[--n];
	out[o] = '\0';
}

/* The eight Certificate Transparency test leaves and their tree heads. */
static const char *const ct_leaves[] = {
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
};

static const char *const ct_roots[] = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

struct ct_proof {
	uint64_t a, b; /* index and size, or old and new size */
	size_t n;
	const char *hashes[3];
};

static const struct ct_proof ct_inclusion[] = {
        {0, 1, 0, {NULL}},
        {0,
         8,
         3,
         {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {5,
         8,
         3,
         {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2,
         3,
         1,
         {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
        {1,
         5,
         3,
         {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

static const struct ct_proof ct_consistency[] = {
        {1, 1, 0, {NULL}},
        {1,
         8,
         3,
         {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
        {6,
         8,
         3,
         {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
        {2,
         5,
         2,
         {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
        {6,
         7,
         3,
         {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

static void
ct_leaf_hashes(tlog_hash leaves[8])
{
	for (size_t i = 0; i < 8; i++) {
		uint8_t data[16];
		size_t len = strlen(ct_leaves[i]) / 2;
		unhex(data, ct_leaves[i]);
		tlog_leaf_hash(leaves[i], data, len);
	}
}

static void
test_merkle__empty_root(void **state)
{
	tlog_hash want, got;
	struct tlog_range r;
	struct mem_tree t = {NULL, 0, 0};

	(void)state;
	unhex(want, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	            "7852b855");
	tlog_empty_root(got);
	assert_memory_equal(got, want, TLOG_HASH);
	tlog_range_init(&r);
	memset(got, 0, sizeof(got));
	tlog_range_root(&r, got);
	assert_memory_equal(got, want, TLOG_HASH);
	memset(got, 0, sizeof(got));
	assert_int_equal(tlog_tree_root(0, mem_hash, &t, got), 0);
	assert_memory_equal(got, want, TLOG_HASH);
	assert_int_equal(t.calls, 0);
}

/* tlog_sha256 hashes the concatenation of its parts, whatever the split. */
static void
test_merkle__sha256_parts(void **state)
{
	static const char msg[] = "the quick brown fox jumps over the lazy dog";
	size_t len = sizeof(msg) - 1;
	tlog_hash want, got;

	(void)state;
	ref_sha256(want, msg, len);
	for (size_t a = 0; a <= len; a += 7) {
		for (size_t b = a; b <= len; b += 5) {
			const void *parts[3] = {msg, msg + a, msg + b};
			size_t lens[3] = {a, b - a, len - b};
			tlog_sha256(got, 3, parts, lens);
			assert_memory_equal(got, want, TLOG_HASH);
		}
	}
	{
		const void *parts[1] = {msg};
		size_t lens[1] = {len};
		tlog_sha256(got, 1, parts, lens);
		assert_memory_equal(got, want, TLOG_HASH);
	}
	/* Output aliasing an input, as tlog_range_append relies on. */
	{
		tlog_hash a, b, direct;
		ref_sha256(a, "a", 1);
		ref_sha256(b, "b", 1);
		ref_node(direct, a, b);
		tlog_node_hash(b, a, b);
		assert_memory_equal(b, direct, TLOG_HASH);
	}
}

struct thread_job {
	unsigned seed;
	int ok;
};

static void *
hash_thread(void *arg)
{
	struct thread_job *job = arg;
	uint64_t rng = job->seed;

	job->ok = 1;
	for (int i = 0; i < 2000; i++) {
		uint8_t data[1 + 64];
		tlog_hash got, want;
		unsigned int n = 0;
		data[0] = 0x00;
		for (size_t j = 0; j < 64; j += 8) {
			uint64_t v = attest_rng_next(&rng);
			memcpy(data + 1 + j, &v, 8);
		}
		tlog_leaf_hash(got, data + 1, 64);
		/* cmocka's asserts are not for other threads: count. */
		if (!EVP_Digest(data, sizeof(data), want, &n, EVP_sha256(),
		                NULL) ||
		    memcmp(got, want, TLOG_HASH) != 0)
			job->ok = 0;
	}
	return NULL;
}

/* Each thread hashes through its own context; none disturbs another. */
static void
test_merkle__sha256_threads(void **state)
{
	pthread_t th[4];
	struct thread_job jobs[4];

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		jobs[i].seed = i + 1;
		assert_int_equal(
		        pthread_create(&th[i], NULL, hash_thread, &jobs[i]), 0);
	}
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_true(jobs[i].ok);
	}
}

static void
test_merkle__ct_roots(void **state)
{
	tlog_hash leaves[8], want, got;
	struct tlog_range r, loaded;
	struct mem_tree t = {leaves, 8, 0};

	(void)state;
	ct_leaf_hashes(leaves);
	tlog_range_init(&r);
	for (uint64_t n = 1; n <= 8; n++) {
		unhex(want, ct_roots[n - 1]);
		tlog_range_append(&r, leaves[n - 1]);
		assert_int_equal(r.size, n);
		assert_int_equal(r.n, __builtin_popcountll(n));
		tlog_range_root(&r, got);
		assert_memory_equal(got, want, TLOG_HASH);
		ref_mth(leaves, n, got);
		assert_memory_equal(got, want, TLOG_HASH);
		t.size = n;
		assert_int_equal(tlog_tree_root(n, mem_hash, &t, got), 0);
		assert_memory_equal(got, want, TLOG_HASH);
		assert_int_equal(tlog_range_load(&loaded, n, mem_hash, &t), 0);
		assert_int_equal(loaded.size, n);
		assert_int_equal(loaded.n, r.n);
		assert_memory_equal(loaded.hashes, r.hashes, r.n * TLOG_HASH);
	}
}

static void
test_merkle__ct_inclusion(void **state)
{
	tlog_hash leaves[8], root, want[3], proof[TLOG_MAX_PROOF];
	struct mem_tree t = {leaves, 8, 0};
	size_t n;

	(void)state;
	ct_leaf_hashes(leaves);
	for (size_t v = 0; v < sizeof(ct_inclusion) / sizeof(ct_inclusion[0]);
	     v++) {
		const struct ct_proof *p = &ct_inclusion[v];
		for (size_t i = 0; i < p->n; i++)
			unhex(want[i], p->hashes[i]);
		unhex(root, ct_roots[p->b - 1]);
		t.size = p->b;
		assert_int_equal(tlog_inclusion_proof(p->a, p->b, mem_hash, &t,
		                                      proof, &n),
		                 0);
		assert_int_equal(n, p->n);
		if (n > 0)
			assert_memory_equal(proof, want, n * TLOG_HASH);
		assert_int_equal(tlog_verify_inclusion(p->a, p->b, leaves[p->a],
		                                       want, p->n, root),
		                 0);
		/* Another leaf at the same place is not included. */
		assert_int_equal(tlog_verify_inclusion(p->a, p->b,
		                                       leaves[(p->a + 1) % 8],
		                                       want, p->n, root),
		                 -1);
	}
}

static void
test_merkle__ct_consistency(void **state)
{
	tlog_hash leaves[8], root_m, root_n, want[3], proof[TLOG_MAX_PROOF];
	struct mem_tree t = {leaves, 8, 0};
	size_t n;

	(void)state;
	ct_leaf_hashes(leaves);
	for (size_t v = 0;
	     v < sizeof(ct_consistency) / sizeof(ct_consistency[0]); v++) {
		const struct ct_proof *p = &ct_consistency[v];
		for (size_t i = 0; i < p->n; i++)
			unhex(want[i], p->hashes[i]);
		unhex(root_m, ct_roots[p->a - 1]);
		unhex(root_n, ct_roots[p->b - 1]);
		t.size = p->b;
		assert_int_equal(tlog_consistency_proof(p->a, p->b, mem_hash,
		                                        &t, proof, &n),
		                 0);
		assert_int_equal(n, p->n);
		if (n > 0)
			assert_memory_equal(proof, want, n * TLOG_HASH);
		assert_int_equal(tlog_verify_consistency(p->a, p->b, root_m,
		                                         root_n, want, p->n),
		                 0);
		if (p->a != p->b)
			assert_int_equal(tlog_verify_consistency(p->a, p->b,
			                                         root_n, root_m,
			                                         want, p->n),
			                 -1);
	}
}

/* The first `count` leaves of the small-tree tests: distinct records. */
static void
small_leaves(tlog_hash *leaves, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		char rec[32];
		int len = snprintf(rec, sizeof(rec), "record %zu", i);
		ref_leaf(leaves[i], rec, (size_t)len);
	}
}

/* Verifies with (index, size) changed; shapes decide what must happen. */
static void
check_inclusion_probe(uint64_t index, uint64_t size, uint64_t index2,
                      uint64_t size2, const tlog_hash leaf,
                      const tlog_hash *proof, size_t n, const tlog_hash root)
{
	char a[66], b[66];
	int want;

	if (index2 >= size2) {
		want = -1;
	} else {
		path_shape(index, size, a);
		path_shape(index2, size2, b);
		want = strcmp(a, b) == 0 ? 0 : -1;
	}
	if (tlog_verify_inclusion(index2, size2, leaf, proof, n, root) != want)
		fail_msg("inclusion proof of %llu/%llu checked as %llu/%llu "
		         "should give %d",
		         (unsigned long long)index, (unsigned long long)size,
		         (unsigned long long)index2, (unsigned long long)size2,
		         want);
}

static void
test_merkle__inclusion_small(void **state)
{
	tlog_hash leaves[SMALL_MAX], roots[SMALL_MAX + 1];
	tlog_hash proof[TLOG_MAX_PROOF + 2], bad[TLOG_MAX_PROOF + 2];
	struct mem_tree t = {leaves, 0, 0};
	size_t n;

	(void)state;
	small_leaves(leaves, SMALL_MAX);
	for (uint64_t size = 0; size <= SMALL_MAX; size++)
		ref_mth(leaves, size, roots[size]);
	for (uint64_t size = 1; size <= SMALL_MAX; size++) {
		t.size = size;
		for (uint64_t i = 0; i < size; i++) {
			uint64_t idx2[] = {i + 1, i - 1, i ^ 2, size};
			uint64_t size2[] = {size + 1, size - 1, size * 2,
			                    size / 2};
			char shape[66];
			assert_int_equal(tlog_inclusion_proof(i, size, mem_hash,
			                                      &t, proof, &n),
			                 0);
			assert_int_equal(n, path_shape(i, size, shape));
			assert_int_equal(tlog_verify_inclusion(i, size,
			                                       leaves[i], proof,
			                                       n, roots[size]),
			                 0);
			/* Any flipped bit anywhere. */
			for (size_t j = 0; j < n; j++) {
				for (unsigned bit = 0; bit < 256; bit += 37) {
					memcpy(bad, proof, n * TLOG_HASH);
					bad[j][bit / 8] ^= 1u << (bit % 8);
					assert_int_equal(
					        tlog_verify_inclusion(
					                i, size, leaves[i], bad,
					                n, roots[size]),
					        -1);
				}
			}
			/* Wrong leaf, wrong root. */
			assert_int_equal(tlog_verify_inclusion(
			                         i, size,
			                         leaves[(i + 1) % SMALL_MAX],
			                         proof, n, roots[size]),
			                 -1);
			assert_int_equal(
			        tlog_verify_inclusion(i, size, leaves[i], proof,
			                              n, roots[size - 1]),
			        -1);
			/* Truncated, extended, padded in front. */
			if (n > 0)
				assert_int_equal(tlog_verify_inclusion(
				                         i, size, leaves[i],
				                         proof, n - 1,
				                         roots[size]),
				                 -1);
			memcpy(bad, proof, n * TLOG_HASH);
			memcpy(bad[n], roots[size], TLOG_HASH);
			assert_int_equal(
			        tlog_verify_inclusion(i, size, leaves[i], bad,
			                              n + 1, roots[size]),
			        -1);
			memcpy(bad[0], leaves[i], TLOG_HASH);
			memcpy(bad[1], proof, n * TLOG_HASH);
			assert_int_equal(
			        tlog_verify_inclusion(i, size, leaves[i], bad,
			                              n + 1, roots[size]),
			        -1);
			/* Wrong index or size. */
			for (size_t k = 0; k < 4; k++) {
				if (idx2[k] == i)
					continue;
				check_inclusion_probe(i, size, idx2[k], size,
				                      leaves[i], proof, n,
				                      roots[size]);
			}
			for (size_t k = 0; k < 4; k++)
				check_inclusion_probe(i, size, i, size2[k],
				                      leaves[i], proof, n,
				                      roots[size]);
		}
	}
}

static void
check_consistency_probe(uint64_t m, uint64_t size, uint64_t m2, uint64_t size2,
                        const tlog_hash root_m, const tlog_hash root_n,
                        const tlog_hash *proof, size_t n)
{
	char a[70], b[70];
	int want;

	if (m2 == 0 || m2 > size2) {
		want = -1;
	} else if (m2 == size2) {
		want = (n == 0 && memcmp(root_m, root_n, TLOG_HASH) == 0) ? 0
		                                                          : -1;
	} else {
		consistency_shape(m, size, a);
		consistency_shape(m2, size2, b);
		want = strcmp(a, b) == 0 ? 0 : -1;
	}
	if (tlog_verify_consistency(m2, size2, root_m, root_n, proof, n) !=
	    want)
		fail_msg("consistency proof %llu->%llu checked as %llu->%llu "
		         "should give %d",
		         (unsigned long long)m, (unsigned long long)size,
		         (unsigned long long)m2, (unsigned long long)size2,
		         want);
}

static void
test_merkle__consistency_small(void **state)
{
	tlog_hash leaves[SMALL_MAX], roots[SMALL_MAX + 1];
	tlog_hash proof[TLOG_MAX_PROOF + 2], bad[TLOG_MAX_PROOF + 2];
	struct mem_tree t = {leaves, 0, 0};
	size_t n;

	(void)state;
	small_leaves(leaves, SMALL_MAX);
	for (uint64_t size = 0; size <= SMALL_MAX; size++)
		ref_mth(leaves, size, roots[size]);
	for (uint64_t size = 1; size <= SMALL_MAX; size++) {
		t.size = size;
		for (uint64_t m = 1; m <= size; m++) {
			uint64_t m2[] = {m + 1, m - 1, m ^ 2, 0};
			uint64_t size2[] = {size + 1, size - 1, size * 2,
			                    size / 2};

			assert_int_equal(tlog_consistency_proof(m, size,
			                                        mem_hash, &t,
			                                        proof, &n),
			                 0);
			assert_true(n <= TLOG_MAX_PROOF);
			assert_int_equal(
			        tlog_verify_consistency(m, size, roots[m],
			                                roots[size], proof, n),
			        0);
			if (m == size) {
				assert_int_equal(n, 0);
				/* Equal sizes need equal roots, no hashes. */
				assert_int_equal(tlog_verify_consistency(
				                         m, size, roots[m - 1],
				                         roots[size], proof, 0),
				                 -1);
				memcpy(bad[0], roots[m], TLOG_HASH);
				assert_int_equal(tlog_verify_consistency(
				                         m, size, roots[m],
				                         roots[size], bad, 1),
				                 -1);
				continue;
			}
			assert_true(n > 0);
			for (size_t j = 0; j < n; j++) {
				for (unsigned bit = 0; bit < 256; bit += 41) {
					memcpy(bad, proof, n * TLOG_HASH);
					bad[j][bit / 8] ^= 1u << (bit % 8);
					assert_int_equal(
					        tlog_verify_consistency(
					                m, size, roots[m],
					                roots[size], bad, n),
					        -1);
				}
			}
			/* Wrong or swapped roots. */
			assert_int_equal(
			        tlog_verify_consistency(m, size, roots[m - 1],
			                                roots[size], proof, n),
			        -1);
			assert_int_equal(tlog_verify_consistency(
			                         m, size, roots[m],
			                         roots[size - 1], proof, n),
			                 -1);
			assert_int_equal(
			        tlog_verify_consistency(m, size, roots[size],
			                                roots[m], proof, n),
			        -1);
			/* Empty, truncated, extended, padded in front. */
			assert_int_equal(
			        tlog_verify_consistency(m, size, roots[m],
			                                roots[size], proof, 0),
			        -1);
			assert_int_equal(tlog_verify_consistency(
			                         m, size, roots[m], roots[size],
			                         proof, n - 1),
			                 -1);
			memcpy(bad, proof, n * TLOG_HASH);
			memcpy(bad[n], roots[m], TLOG_HASH);
			assert_int_equal(tlog_verify_consistency(
			                         m, size, roots[m], roots[size],
			                         bad, n + 1),
			                 -1);
			memcpy(bad[n], roots[size], TLOG_HASH);
			assert_int_equal(tlog_verify_consistency(
			                         m, size, roots[m], roots[size],
			                         bad, n + 1),
			                 -1);
			memcpy(bad[0], roots[m], TLOG_HASH);
			memcpy(bad[1], proof, n * TLOG_HASH);
			assert_int_equal(tlog_verify_consistency(
			                         m, size, roots[m], roots[size],
			                         bad, n + 1),
			                 -1);
			memcpy(bad[0], proof[0], TLOG_HASH);
			assert_int_equal(tlog_verify_consistency(
			                         m, size, roots[m], roots[size],
			                         bad, n + 1),
			                 -1);
			/* Wrong sizes. */
			for (size_t k = 0; k < 4; k++)
				if (m2[k] != m)
					check_consistency_probe(
					        m, size, m2[k], size, roots[m],
					        roots[size], proof, n);
			for (size_t k = 0; k < 4; k++)
				check_consistency_probe(m, size, m, size2[k],
				                        roots[m], roots[size],
				                        proof, n);
		}
	}
}

/* Generators refuse what has no proof; verifiers refuse nonsense without
 * reading past the proof they are given (ASan checks the latter). */
static void
test_merkle__hostile(void **state)
{
	tlog_hash leaves[8], proof[TLOG_MAX_PROOF + 1], root, *heap;
	struct mem_tree t = {leaves, 8, 0};
	uint64_t rng = 42;
	size_t n = 99;

	(void)state;
	ct_leaf_hashes(leaves);
	ref_mth(leaves, 8, root);
	assert_true(tlog_inclusion_proof(8, 8, mem_hash, &t, proof, &n) < 0);
	assert_int_equal(n, 0);
	assert_true(tlog_inclusion_proof(0, 0, mem_hash, &t, proof, &n) < 0);
	assert_true(tlog_consistency_proof(0, 8, mem_hash, &t, proof, &n) < 0);
	assert_true(tlog_consistency_proof(9, 8, mem_hash, &t, proof, &n) < 0);
	assert_int_equal(t.calls, 0);

	/* Proofs of every length up to the maximum, copied to the heap so
	 * that a read past the end is caught. */
	for (size_t len = 0; len <= TLOG_MAX_PROOF + 1; len++) {
		heap = len > 0 ? xcalloc(len, TLOG_HASH) : NULL;
		for (size_t i = 0; i < len; i++)
			for (size_t j = 0; j < TLOG_HASH; j += 8) {
				uint64_t v = attest_rng_next(&rng);
				memcpy(heap[i] + j, &v, 8);
			}
		uint64_t sizes[] = {1,
		                    2,
		                    3,
		                    8,
		                    1000,
		                    (uint64_t)1 << 63,
		                    UINT64_MAX - 1,
		                    UINT64_MAX};
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			uint64_t size = sizes[s];
			uint64_t idx[] = {0, size / 2, size - 1, size,
			                  UINT64_MAX};
			for (size_t k = 0; k < 5; k++) {
				assert_int_equal(
				        tlog_verify_inclusion(idx[k], size,
				                              leaves[0], heap,
				                              len, root),
				        -1);
				assert_int_equal(
				        tlog_verify_consistency(idx[k], size,
				                                root, root,
				                                heap, len),
				        idx[k] == size && len == 0 ? 0 : -1);
			}
			assert_int_equal(tlog_verify_consistency(size, size - 1,
			                                         root, root,
			                                         heap, len),
			                 -1);
		}
		free(heap);
	}
	/* An index or size that does not match: no reading, no match. */
	assert_int_equal(
	        tlog_verify_inclusion(0, 0, leaves[0], NULL, 0, leaves[0]), -1);
	assert_int_equal(
	        tlog_verify_inclusion(0, 1, leaves[0], NULL, 0, leaves[0]), 0);
	assert_int_equal(
	        tlog_verify_inclusion(0, 2, leaves[0], NULL, 0, leaves[0]), -1);
	assert_int_equal(
	        tlog_verify_inclusion(0, 1, leaves[0], NULL, 1, leaves[0]), -1);
	assert_int_equal(tlog_verify_consistency(0, 0, root, root, NULL, 0),
	                 -1);
	assert_int_equal(tlog_verify_consistency(0, 8, root, root, NULL, 0),
	                 -1);
	assert_int_equal(tlog_verify_consistency(3, 8, root, root, NULL, 3),
	                 -1);
}

/* Every full subtree hash of a big tree, level by level, built with the
 * reference node hash; answers the callback in constant time. */
struct level_table {
	tlog_hash *level[64];
	uint64_t count[64];
	uint64_t size;
};

static void
level_table_build(struct level_table *lt, const tlog_hash *leaves,
                  uint64_t size)
{
	memset(lt, 0, sizeof(*lt));
	lt->size = size;
	lt->count[0] = size;
	lt->level[0] = xreallocarray(NULL, size, sizeof(tlog_hash));
	memcpy(lt->level[0], leaves, size * sizeof(tlog_hash));
	for (unsigned h = 1; h < 64 && (size >> h) > 0; h++) {
		lt->count[h] = size >> h;
		lt->level[h] =
		        xreallocarray(NULL, lt->count[h], sizeof(tlog_hash));
		for (uint64_t k = 0; k < lt->count[h]; k++)
			ref_node(lt->level[h][k], lt->level[h - 1][2 * k],
			         lt->level[h - 1][2 * k + 1]);
	}
}

static void
level_table_free(struct level_table *lt)
{
	for (unsigned h = 0; h < 64; h++)
		free(lt->level[h]);
}

static int
table_hash(void *ctx, unsigned height, uint64_t index, tlog_hash out)
{
	struct level_table *lt = ctx;

	assert_true(height < 64);
	assert_true(index < lt->count[height]);
	memcpy(out, lt->level[height][index], TLOG_HASH);
	return 0;
}

/*
 * A million entries: 8-byte big-endian counters. The compact range must
 * agree with the recursive MTH at the end and at sizes around powers of
 * two; rebuilt from subtree hashes it must hold the same hashes; and
 * proofs in the big tree must check against its root.
 */
static void
test_merkle__million(void **state)
{
	static const uint64_t checks[] = {1,     2,     3,      255,
	                                  256,   257,   65535,  65536,
	                                  65537, 99999, 524288, 1000000};
	enum { NCHECKS = sizeof(checks) / sizeof(checks[0]) };
	const uint64_t total = 1000000;
	tlog_hash roots[NCHECKS];
	tlog_hash *leaves = xreallocarray(NULL, total, sizeof(tlog_hash));
	tlog_hash got, want, proof[TLOG_MAX_PROOF];
	struct tlog_range r, loaded;
	struct level_table lt;
	struct timespec t0, t1;
	size_t next = 0, n;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t i = 0; i < total; i++) {
		uint8_t be[8];
		for (int b = 0; b < 8; b++)
			be[b] = (uint8_t)(i >> (56 - 8 * b));
		ref_leaf(leaves[i], be, sizeof(be));
	}
	tlog_range_init(&r);
	for (uint64_t i = 0; i < total; i++) {
		tlog_range_append(&r, leaves[i]);
		if (next < NCHECKS && r.size == checks[next]) {
			assert_int_equal(r.n, __builtin_popcountll(r.size));
			tlog_range_root(&r, got);
			ref_mth(leaves, r.size, roots[next]);
			assert_memory_equal(got, roots[next], TLOG_HASH);
			next++;
		}
	}
	assert_int_equal(next, NCHECKS);
	assert_int_equal(r.size, total);
	tlog_range_root(&r, want);

	level_table_build(&lt, leaves, total);
	assert_int_equal(tlog_range_load(&loaded, total, table_hash, &lt), 0);
	assert_int_equal(loaded.size, total);
	assert_int_equal(loaded.n, r.n);
	assert_memory_equal(loaded.hashes, r.hashes, r.n * TLOG_HASH);
	assert_int_equal(tlog_tree_root(total, table_hash, &lt, got), 0);
	assert_memory_equal(got, want, TLOG_HASH);

	for (uint64_t i = 0; i < total; i += 77777) {
		assert_int_equal(tlog_inclusion_proof(i, total, table_hash, &lt,
		                                      proof, &n),
		                 0);
		assert_int_equal(n, 20);
		assert_int_equal(tlog_verify_inclusion(i, total, leaves[i],
		                                       proof, n, want),
		                 0);
	}
	for (size_t c = 0; c < NCHECKS; c++) {
		assert_int_equal(tlog_consistency_proof(checks[c], total,
		                                        table_hash, &lt, proof,
		                                        &n),
		                 0);
		assert_int_equal(tlog_verify_consistency(checks[c], total,
		                                         roots[c], want, proof,
		                                         n),
		                 0);
	}
	level_table_free(&lt);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("million: %.2f s\n",
	              (double)(t1.tv_sec - t0.tv_sec) +
	                      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(leaves);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_merkle__empty_root),
	        cmocka_unit_test(test_merkle__sha256_parts),
	        cmocka_unit_test(test_merkle__sha256_threads),
	        cmocka_unit_test(test_merkle__ct_roots),
	        cmocka_unit_test(test_merkle__ct_inclusion),
	        cmocka_unit_test(test_merkle__ct_consistency),
	        cmocka_unit_test(test_merkle__inclusion_small),
	        cmocka_unit_test(test_merkle__consistency_small),
	        cmocka_unit_test(test_merkle__hostile),
	        cmocka_unit_test(test_merkle__million),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
