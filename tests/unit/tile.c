/*
 * tlog-tiles: path names and their strict parsing, the tile writer (which
 * tiles it writes and what they hold), the read-only view (roots, proofs
 * and every subtree hash equal to an in-memory tree's), and reloading a
 * writer in the middle of a log.
 *
 * Expected tile contents come from a level table built with OpenSSL's
 * one-shot digest, not from src/tlog.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "attest/error.h"
#include "tlog/merkle.h"
#include "tlog/tile.h"
#include "util/alloc.h"
#include "util/rng.h"

/* Enough for two full level-1 tiles and a ragged level-1 tile of 200. */
#define MAX_LEAVES (2 * 65536 + 200 * 256 + 77)

static void
ref_node(tlog_hash out, const tlog_hash left, const tlog_hash right)
{
	static EVP_MD *md;
	uint8_t buf[1 + 2 * TLOG_HASH];
	unsigned int n = 0;

	if (md == NULL)
		assert_non_null(md = EVP_MD_fetch(NULL, "SHA256", NULL));
	buf[0] = 0x01;
	memcpy(buf + 1, left, TLOG_HASH);
	memcpy(buf + 1 + TLOG_HASH, right, TLOG_HASH);
	assert_true(EVP_Digest(buf, sizeof(buf), out, &n, md, NULL));
}

/* The leaf hashes of the test log, and every full subtree above them. */
static tlog_hash *leaves;
static tlog_hash *table[64];
static uint64_t table_count[64];

static int
setup(void **state)
{
	uint64_t rng = 2026;

	(void)state;
	/* Tiles never look inside leaf hashes, so any 32 bytes will do. */
	leaves = xreallocarray(NULL, MAX_LEAVES, sizeof(tlog_hash));
	for (uint64_t i = 0; i < MAX_LEAVES; i++)
		for (size_t j = 0; j < TLOG_HASH; j += 8) {
			uint64_t v = attest_rng_next(&rng);
			memcpy(leaves[i] + j, &v, 8);
		}
	table[0] = leaves;
	table_count[0] = MAX_LEAVES;
	for (unsigned h = 1; (MAX_LEAVES >> h) > 0; h++) {
		table_count[h] = MAX_LEAVES >> h;
		table[h] =
		        xreallocarray(NULL, table_count[h], sizeof(tlog_hash));
		for (uint64_t k = 0; k < table_count[h]; k++)
			ref_node(table[h][k], table[h - 1][2 * k],
			         table[h - 1][2 * k + 1]);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (unsigned h = 0; h < 64; h++)
		free(table[h]);
	return 0;
}

/* The in-memory callback the view is compared with. */
static int
table_hash(void *ctx, unsigned height, uint64_t index, tlog_hash out)
{
	uint64_t size = *(const uint64_t *)ctx;

	assert_true(height < 64);
	assert_true(index < (size >> height));
	memcpy(out, table[height][index], TLOG_HASH);
	return 0;
}

/*
 * Tile storage as the ledger keeps it: full tiles only, one row per
 * (level, n). Writes must come in order at each level, once each.
 */
struct store {
	uint8_t *tiles[TLOG_TILE_LEVELS];
	uint64_t count[TLOG_TILE_LEVELS];
	size_t cap[TLOG_TILE_LEVELS];
	uint64_t size;       /* for reads: the view's tree size */
	unsigned long reads; /* read_tile calls */
	unsigned long leaf_reads;
	unsigned long rewrites; /* the last tile of a level written again */
	int fail_level;         /* write_tile fails once at this (level, n) */
	uint64_t fail_n;
};

static void
store_init(struct store *s)
{
	memset(s, 0, sizeof(*s));
	s->fail_level = -1;
}

static void
store_free(struct store *s)
{
	for (unsigned l = 0; l < TLOG_TILE_LEVELS; l++)
		free(s->tiles[l]);
}

static int
store_write(void *ctx, unsigned level, uint64_t n, const uint8_t *hashes)
{
	struct store *s = ctx;

	assert_true(level < TLOG_TILE_LEVELS);
	if ((int)level == s->fail_level && n == s->fail_n) {
		s->fail_level = -1;
		return attest_error_set(ATTEST_EIO, "tile write refused");
	}
	/* After a failed append the retry may write again what was written
	 * before the failure; it must be the same tile. */
	if (n + 1 == s->count[level]) {
		assert_memory_equal(s->tiles[level] + n * TLOG_TILE_BYTES,
		                    hashes, TLOG_TILE_BYTES);
		s->rewrites++;
		return 0;
	}
	assert_int_equal(n, s->count[level]);
	xgrow(&s->tiles[level], &s->cap[level], n + 1, TLOG_TILE_BYTES);
	memcpy(s->tiles[level] + n * TLOG_TILE_BYTES, hashes, TLOG_TILE_BYTES);
	s->count[level]++;
	return 0;
}

/* Reads only what a tree of s->size entries has stored: full tiles. */
static int
store_read(void *ctx, unsigned level, uint64_t n, uint8_t *out)
{
	struct store *s = ctx;
	unsigned shift = TLOG_TILE_HEIGHT * (level + 1);

	s->reads++;
	assert_true(level < TLOG_TILE_LEVELS);
	if (shift >= 64 || n >= (s->size >> shift))
		fail_msg("read of tile %u/%llu, not full at size %llu", level,
		         (unsigned long long)n, (unsigned long long)s->size);
	assert_true(n < s->count[level]);
	memcpy(out, s->tiles[level] + n * TLOG_TILE_BYTES, TLOG_TILE_BYTES);
	return 0;
}

/* Leaf hashes are asked for only on the ragged edge of level 0. */
static int
store_leaf(void *ctx, uint64_t index, tlog_hash out)
{
	struct store *s = ctx;

	s->leaf_reads++;
	if (index >= s->size || index < s->size / 256 * 256)
		fail_msg("leaf %llu asked of a tree of %llu",
		         (unsigned long long)index,
		         (unsigned long long)s->size);
	memcpy(out, leaves[index], TLOG_HASH);
	return 0;
}

static void
write_leaves(struct tlog_tile_writer *w, uint64_t from, uint64_t to)
{
	for (uint64_t i = from; i < to; i++)
		assert_int_equal(tlog_tile_writer_append(w, leaves[i]), 0);
	assert_int_equal(w->size, to);
}

static void
test_tile__path(void **state)
{
	static const struct {
		const char *prefix;
		uint64_t n;
		unsigned width;
		const char *want;
	} cases[] = {
	        {"tile/0", 0, 256, "tile/0/000"},
	        {"tile/0", 5, 256, "tile/0/005"},
	        {"tile/0", 999, 256, "tile/0/999"},
	        {"tile/0", 1000, 256, "tile/0/x001/000"},
	        {"tile/0", 1234067, 256, "tile/0/x001/x234/067"},
	        {"tile/2", 1000000, 256, "tile/2/x001/x000/000"},
	        {"tile/1", 1234067, 17, "tile/1/x001/x234/067.p/17"},
	        {"tile/0", 5, 1, "tile/0/005.p/1"},
	        {"tile/0", 0, 255, "tile/0/000.p/255"},
	        {"tile/entries", 48, 256, "tile/entries/048"},
	        {"payload", 48, 9, "payload/048.p/9"},
	        {"tile/0", UINT64_MAX, 256,
	         "tile/0/x018/x446/x744/x073/x709/x551/615"},
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int len = tlog_tile_path(buf, sizeof(buf), cases[i].prefix,
		                         cases[i].n, cases[i].width);
		assert_string_equal(buf, cases[i].want);
		assert_int_equal(len, strlen(cases[i].want));
	}
	/* Exactly enough room, one byte short, none. */
	assert_int_equal(tlog_tile_path(buf, 11, "tile/0", 5, 256), 10);
	assert_string_equal(buf, "tile/0/005");
	assert_int_equal(tlog_tile_path(buf, 10, "tile/0", 5, 256), -1);
	assert_int_equal(tlog_tile_path(NULL, 0, "tile/0", 5, 256), -1);
	/* A tile has 1 to 256 hashes. */
	assert_int_equal(tlog_tile_path(buf, sizeof(buf), "tile/0", 5, 0), -1);
	assert_int_equal(tlog_tile_path(buf, sizeof(buf), "tile/0", 5, 257),
	                 -1);
}

static void
test_tile__parse_index(void **state)
{
	static const uint64_t good[] = {
	        0, 1, 5, 999, 1000, 1001, 1234067, 1000000000, UINT64_MAX};
	static const char *const bad[] = {
	        "",
	        "5",
	        "05",
	        "0005",
	        "x",
	        "x001",
	        "x001/",
	        "001/002",
	        "x1/002",
	        "x01/002",
	        "x0001/002",
	        "x001/x002",
	        "x001//002",
	        "x001/02",
	        "x001/0020",
	        "x000/005",
	        "x000/x001/002",
	        "X001/002",
	        "x001/00a",
	        "-01",
	        " 001",
	        "001 ",
	        "+01",
	        "005.p/3",
	        "/005",
	        "x018/x446/x744/x073/x709/x551/616",
	        "x018/x446/x744/x073/x709/x552/000",
	        "x019/x000/x000/x000/x000/x000/000",
	        "x001/x000/x000/x000/x000/x000/x000/000",
	};
	char buf[64], *index;
	uint64_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(tlog_tile_path(buf, sizeof(buf), "tile/0", good[i],
		                           256) > 0);
		index = buf + strlen("tile/0/");
		n = 7;
		assert_int_equal(tlog_tile_parse_index(index, &n), 0);
		assert_true(n == good[i]);
	}
	assert_int_equal(tlog_tile_parse_index("x001/x234/067", &n), 0);
	assert_int_equal(n, 1234067);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 12345;
		if (tlog_tile_parse_index(bad[i], &n) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(n, 12345);
	}
}

static void
test_tile__root(void **state)
{
	uint8_t tile[TLOG_TILE_BYTES];
	tlog_hash got;

	(void)state;
	for (uint64_t n = 0; n < 3; n++) {
		memcpy(tile, leaves[n * 256], TLOG_TILE_BYTES);
		tlog_tile_root(tile, got);
		assert_memory_equal(got, table[8][n], TLOG_HASH);
	}
}

/*
 * After N leaves the writer has written tile (L, n) for every n below
 * N >> 8(L+1), nothing else, each holding the 256 subtree hashes of
 * height 8L that it covers.
 */
static void
check_written(const struct store *s, uint64_t size)
{
	for (unsigned l = 0; l < TLOG_TILE_LEVELS; l++) {
		unsigned shift = TLOG_TILE_HEIGHT * (l + 1);
		uint64_t want = shift < 64 ? size >> shift : 0;
		assert_int_equal(s->count[l], want);
		for (uint64_t n = 0; n < want; n++)
			assert_memory_equal(
			        s->tiles[l] + n * TLOG_TILE_BYTES,
			        table[TLOG_TILE_HEIGHT * l][n * 256],
			        TLOG_TILE_BYTES);
	}
}

/* The pending hashes of each level are those not yet in a full tile. */
static void
check_pending(const struct tlog_tile_writer *w)
{
	for (unsigned l = 0; l < TLOG_TILE_LEVELS; l++) {
		uint64_t have = w->size >> (TLOG_TILE_HEIGHT * l);
		uint64_t base = have / 256 * 256;
		assert_int_equal(w->npending[l], have % 256);
		if (w->npending[l] > 0)
			assert_memory_equal(w->pending[l],
			                    table[TLOG_TILE_HEIGHT * l][base],
			                    w->npending[l] * TLOG_HASH);
	}
}

static void
test_tile__writer(void **state)
{
	static const uint64_t sizes[] = {0,
	                                 1,
	                                 255,
	                                 256,
	                                 257,
	                                 511,
	                                 512,
	                                 513,
	                                 3 * 256,
	                                 65535,
	                                 65536,
	                                 65537,
	                                 2 * 65536 - 1,
	                                 2 * 65536,
	                                 MAX_LEAVES,
	                                 65536 + 3 * 256 + 5};
	struct tlog_tile_writer *w = xmalloc(sizeof(*w));
	struct store s;

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		store_init(&s);
		tlog_tile_writer_init(w, store_write, &s);
		write_leaves(w, 0, sizes[i]);
		check_written(&s, sizes[i]);
		check_pending(w);
		assert_int_equal(s.rewrites, 0);
		store_free(&s);
	}
	free(w);
}

/*
 * A failed write leaves the writer as it was and the retry completes it.
 * When the level-1 write fails, the level-0 tile before it was written and
 * is written again, identically.
 */
static void
test_tile__writer_failure(void **state)
{
	struct tlog_tile_writer *w = xmalloc(sizeof(*w));
	struct store s;
	uint64_t at;

	(void)state;
	for (int level = 0; level < 2; level++) {
		store_init(&s);
		tlog_tile_writer_init(w, store_write, &s);
		/* The leaf completing level-1 tile 0 fills tile (0, 255)
		 * first; make either of the two writes fail. */
		s.fail_level = level;
		s.fail_n = level == 0 ? 255 : 0;
		at = 65535;
		write_leaves(w, 0, at);
		assert_int_equal(tlog_tile_writer_append(w, leaves[at]),
		                 ATTEST_EIO);
		assert_int_equal(w->size, at);
		check_pending(w);
		write_leaves(w, at, 65536 + 300);
		check_written(&s, 65536 + 300);
		check_pending(w);
		assert_int_equal(s.rewrites, level == 1 ? 1 : 0);
		store_free(&s);
	}
	free(w);
}

/*
 * The view over stored tiles answers every full subtree hash of a tree of
 * `size` entries as the in-memory tree does, reading only full tiles and
 * only ragged-edge leaves.
 */
static void
check_every_subtree(struct store *s, uint64_t size)
{
	struct tlog_tiles *t = xmalloc(sizeof(*t));
	tlog_hash got;

	s->size = size;
	tlog_tiles_init(t, size, store_read, store_leaf, s);
	for (unsigned h = 0; h < 64 && (size >> h) > 0; h++) {
		for (uint64_t k = 0; k < (size >> h); k++) {
			memset(got, 0, sizeof(got));
			assert_int_equal(tlog_tiles_hash(t, h, k, got), 0);
			if (memcmp(got, table[h][k], TLOG_HASH) != 0)
				fail_msg("size %llu: subtree %u/%llu differs",
				         (unsigned long long)size, h,
				         (unsigned long long)k);
		}
		/* Nothing past the tree. */
		assert_int_equal(tlog_tiles_hash(t, h, size >> h, got),
		                 ATTEST_EINVALID);
	}
	assert_int_equal(tlog_tiles_hash(t, 64, 0, got), ATTEST_EINVALID);
	free(t);
}

static void
check_proofs(struct store *s, uint64_t size)
{
	struct tlog_tiles *t = xmalloc(sizeof(*t));
	tlog_hash a[TLOG_MAX_PROOF], b[TLOG_MAX_PROOF], ra, rb;
	uint64_t sample[] = {0,          1,
	                     255,        256,
	                     size / 3,   size / 2,
	                     size - 257, size - 256,
	                     size - 255, size - 2,
	                     size - 1,   65535,
	                     65536,      size / 256 * 256};
	size_t na, nb;

	s->size = size;
	tlog_tiles_init(t, size, store_read, store_leaf, s);
	assert_int_equal(tlog_tree_root(size, tlog_tiles_hash, t, ra), 0);
	assert_int_equal(tlog_tree_root(size, table_hash, &size, rb), 0);
	assert_memory_equal(ra, rb, TLOG_HASH);
	for (size_t i = 0; i < sizeof(sample) / sizeof(sample[0]); i++) {
		uint64_t x = sample[i];
		if (x >= size)
			continue;
		assert_int_equal(tlog_inclusion_proof(x, size, tlog_tiles_hash,
		                                      t, a, &na),
		                 0);
		assert_int_equal(tlog_inclusion_proof(x, size, table_hash,
		                                      &size, b, &nb),
		                 0);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na * TLOG_HASH);
		assert_int_equal(
		        tlog_verify_inclusion(x, size, leaves[x], a, na, rb),
		        0);
		/* Consistency from x + 1 entries. */
		assert_int_equal(tlog_consistency_proof(x + 1, size,
		                                        tlog_tiles_hash, t, a,
		                                        &na),
		                 0);
		assert_int_equal(tlog_consistency_proof(x + 1, size, table_hash,
		                                        &size, b, &nb),
		                 0);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na * TLOG_HASH);
	}
	free(t);
}

static void
test_tile__view(void **state)
{
	static const uint64_t sizes[] = {1,
	                                 2,
	                                 255,
	                                 256,
	                                 257,
	                                 511,
	                                 4097,
	                                 65535,
	                                 65536,
	                                 65537,
	                                 65536 + 3 * 256 + 77,
	                                 200 * 256 + 77,
	                                 2 * 65536,
	                                 2 * 65536 + 1,
	                                 MAX_LEAVES};
	struct tlog_tile_writer *w = xmalloc(sizeof(*w));
	struct store s;

	(void)state;
	store_init(&s);
	tlog_tile_writer_init(w, store_write, &s);
	write_leaves(w, 0, MAX_LEAVES);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_proofs(&s, sizes[i]);
	/* Every subtree, where the ragged edge is widest at each level. */
	check_every_subtree(&s, 65536 + 3 * 256 + 77);
	check_every_subtree(&s, 200 * 256 + 255);
	check_every_subtree(&s, 1000);
	store_free(&s);
	free(w);
}

/* The last tile read at each level is kept. */
static void
test_tile__view_cache(void **state)
{
	struct tlog_tile_writer *w = xmalloc(sizeof(*w));
	struct tlog_tiles *t = xmalloc(sizeof(*t));
	struct store s;
	tlog_hash got;

	(void)state;
	store_init(&s);
	tlog_tile_writer_init(w, store_write, &s);
	write_leaves(w, 0, 65536 + 600);
	s.size = 65536 + 600;
	tlog_tiles_init(t, s.size, store_read, store_leaf, &s);
	assert_int_equal(tlog_tiles_hash(t, 0, 5, got), 0);
	assert_int_equal(tlog_tiles_hash(t, 3, 2, got), 0);
	assert_int_equal(tlog_tiles_hash(t, 0, 255, got), 0);
	assert_int_equal(s.reads, 1);
	assert_int_equal(tlog_tiles_hash(t, 8, 3, got), 0);
	assert_int_equal(tlog_tiles_hash(t, 0, 5, got), 0);
	assert_int_equal(s.reads, 2);
	assert_int_equal(tlog_tiles_hash(t, 0, 300, got), 0);
	assert_int_equal(tlog_tiles_hash(t, 0, 5, got), 0);
	assert_int_equal(s.reads, 4);
	/* The ragged edge comes from the leaves, without tile reads. */
	assert_int_equal(tlog_tiles_hash(t, 0, 65536 + 599, got), 0);
	assert_memory_equal(got, leaves[65536 + 599], TLOG_HASH);
	assert_int_equal(s.reads, 4);
	assert_int_equal(s.leaf_reads, 1);
	store_free(&s);
	free(t);
	free(w);
}

/*
 * A writer loaded at size k and fed the rest writes the same tiles as one
 * that wrote everything, and holds the same pending hashes at k.
 */
static void
test_tile__writer_load(void **state)
{
	static const uint64_t ks[] = {0,     1,     255,   256,   257,   4096,
	                              65535, 65536, 65537, 66000, 69999, 70000};
	const uint64_t total = 70000;
	struct tlog_tile_writer *w = xmalloc(sizeof(*w));
	struct tlog_tile_writer *w2 = xmalloc(sizeof(*w2));
	struct tlog_tiles *t = xmalloc(sizeof(*t));
	struct store whole, part;

	(void)state;
	store_init(&whole);
	tlog_tile_writer_init(w, store_write, &whole);
	write_leaves(w, 0, total);
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		uint64_t k = ks[i];
		store_init(&part);
		tlog_tile_writer_init(w, store_write, &part);
		write_leaves(w, 0, k);

		part.size = k;
		tlog_tiles_init(t, k, store_read, store_leaf, &part);
		tlog_tile_writer_init(w2, store_write, &part);
		assert_int_equal(tlog_tile_writer_load(w2, t), 0);
		assert_int_equal(w2->size, k);
		for (unsigned l = 0; l < TLOG_TILE_LEVELS; l++) {
			assert_int_equal(w2->npending[l], w->npending[l]);
			if (w->npending[l] > 0)
				assert_memory_equal(w2->pending[l],
				                    w->pending[l],
				                    w->npending[l] * TLOG_HASH);
		}
		write_leaves(w2, k, total);
		for (unsigned l = 0; l < TLOG_TILE_LEVELS; l++) {
			assert_int_equal(part.count[l], whole.count[l]);
			if (whole.count[l] > 0)
				assert_memory_equal(
				        part.tiles[l], whole.tiles[l],
				        whole.count[l] * TLOG_TILE_BYTES);
		}
		store_free(&part);
	}
	check_written(&whole, total);
	store_free(&whole);
	free(t);
	free(w2);
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_tile__path),
	        cmocka_unit_test(test_tile__parse_index),
	        cmocka_unit_test(test_tile__root),
	        cmocka_unit_test(test_tile__writer),
	        cmocka_unit_test(test_tile__writer_failure),
	        cmocka_unit_test(test_tile__view),
	        cmocka_unit_test(test_tile__view_cache),
	        cmocka_unit_test(test_tile__writer_load),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
