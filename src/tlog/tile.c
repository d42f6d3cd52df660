/*
 * C2SP tlog-tiles: path names, a read-only view of a tree stored as full
 * tiles, and the writer that produces those tiles while appending.
 *
 * Only full tiles exist in storage. Whatever a caller asks of the ragged
 * right edge is recomputed: at level 0 from leaf hashes, above it from the
 * full tiles one level down, since each hash of a partial tile at level L
 * is the root of a full tile at level L - 1. Storage itself is the
 * caller's, behind the read_tile and write_tile callbacks.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "attest/error.h"
#include "tlog/tile.h"

/* Longest N: 2^64 - 1 is seven groups, "x018/.../x551/615", 33
 * characters and a NUL. */
#define INDEX_MAX 34

int
tlog_tile_path(char *buf, size_t cap, const char *prefix, uint64_t n,
               unsigned width)
{
	unsigned groups[7], ng = 0;
	char index[INDEX_MAX];
	size_t len = 0;
	int r;

	if (width == 0 || width > TLOG_TILE_WIDTH)
		return -1;
	do {
		groups[ng++] = (unsigned)(n % 1000);
		n /= 1000;
	} while (n > 0);
	while (ng-- > 0) {
		r = snprintf(index + len, sizeof(index) - len,
		             ng > 0 ? "x%03u/" : "%03u", groups[ng]);
		len += (size_t)r;
	}
	if (width == TLOG_TILE_WIDTH)
		r = snprintf(buf, cap, "%s/%s", prefix, index);
	else
		r = snprintf(buf, cap, "%s/%s.p/%u", prefix, index, width);
	if (r < 0 || (size_t)r >= cap)
		return -1;
	return r;
}

/*
 * Strict: the one spelling tlog_tile_path writes and nothing else, so a
 * bundle cannot hold two names for one tile. That rules out a leading
 * "x000" group as well as signs, spaces and short groups.
 */
int
tlog_tile_parse_index(const char *s, uint64_t *n)
{
	uint64_t v = 0;
	unsigned g;
	int prefixed, first = 1;

	do {
		prefixed = *s == 'x';
		if (prefixed)
			s++;
		g = 0;
		for (int i = 0; i < 3; i++, s++) {
			if (*s < '0' || *s > '9')
				goto bad;
			g = g * 10 + (unsigned)(*s - '0');
		}
		if (prefixed ? *s++ != '/' : *s != '\0')
			goto bad;
		if (prefixed && first && g == 0)
			goto bad;
		if (v > (UINT64_MAX - g) / 1000)
			goto bad;
		v = v * 1000 + g;
		first = 0;
	} while (prefixed);
	*n = v;
	return 0;
bad:
	return attest_error_set(ATTEST_ERROR, "malformed tile index");
}

/* MTH of a perfect tree of count (a power of two, at most 256) hashes. */
static void
fold_perfect(const uint8_t *hashes, unsigned count, tlog_hash out)
{
	tlog_hash level[TLOG_TILE_WIDTH / 2];

	if (count == 1) {
		memcpy(out, hashes, TLOG_HASH);
		return;
	}
	for (unsigned i = 0; i < count / 2; i++)
		tlog_node_hash(level[i], hashes + 2 * i * TLOG_HASH,
		               hashes + (2 * i + 1) * TLOG_HASH);
	/* Pairs are read before the slot they land in is written. */
	for (unsigned w = count / 2; w > 1; w /= 2)
		for (unsigned i = 0; i < w / 2; i++)
			tlog_node_hash(level[i], level[2 * i],
			               level[2 * i + 1]);
	memcpy(out, level[0], TLOG_HASH);
}

void
tlog_tile_root(const uint8_t tile[TLOG_TILE_BYTES], tlog_hash out)
{
	fold_perfect(tile, TLOG_TILE_WIDTH, out);
}

void
tlog_tiles_init(struct tlog_tiles *t, uint64_t size,
                int (*read_tile)(void *, unsigned, uint64_t, uint8_t *),
                int (*leaf_hash)(void *, uint64_t, tlog_hash), void *ctx)
{
	t->size = size;
	t->read_tile = read_tile;
	t->leaf_hash = leaf_hash;
	t->ctx = ctx;
	memset(t->cached, 0, sizeof(t->cached));
	memset(t->cache_n, 0, sizeof(t->cache_n));
}

/* Whether tile (level, n) is full, that is, stored. Level <= 7, so the
 * shift stays below 64, and the comparison cannot overflow. */
static int
tile_full(uint64_t size, unsigned level, uint64_t n)
{
	return n < (size >> (TLOG_TILE_HEIGHT * level)) / TLOG_TILE_WIDTH;
}

static int
read_cached(struct tlog_tiles *t, unsigned level, uint64_t n,
            const uint8_t **tile)
{
	int error;

	if (!t->cached[level] || t->cache_n[level] != n) {
		t->cached[level] = 0;
		error = t->read_tile(t->ctx, level, n, t->cache[level]);
		if (error < 0)
			return error;
		t->cached[level] = 1;
		t->cache_n[level] = n;
	}
	*tile = t->cache[level];
	return 0;
}

/*
 * The hash at height 8 * level, index j, when it lies in a tile that is not
 * full. It exists, so the 256 hashes under it one level down do too: tile
 * (level - 1, j) is full and stored.
 */
static int
edge_hash(struct tlog_tiles *t, unsigned level, uint64_t j, tlog_hash out)
{
	const uint8_t *below;
	int error;

	if (level == 0)
		return t->leaf_hash(t->ctx, j, out);
	if ((error = read_cached(t, level - 1, j, &below)) < 0)
		return error;
	tlog_tile_root(below, out);
	return 0;
}

/*
 * A subtree of height 8L + r is 2^r consecutive hashes of one tile at level
 * L (2^r <= 128 and the run is aligned, so it never straddles two tiles).
 * From a stored tile they are read; on the ragged edge each is rebuilt.
 */
int
tlog_tiles_hash(void *tiles, unsigned height, uint64_t index, tlog_hash out)
{
	struct tlog_tiles *t = tiles;
	tlog_hash edge[TLOG_TILE_WIDTH / 2];
	const uint8_t *tile;
	unsigned level, count;
	uint64_t first;
	int error;

	if (height >= 64 || index >= (t->size >> height))
		return attest_error_set(ATTEST_EINVALID,
		                        "tiles: no full subtree at height %u, "
		                        "index %" PRIu64
		                        " in a tree of %" PRIu64,
		                        height, index, t->size);
	level = height / TLOG_TILE_HEIGHT;
	count = 1u << (height % TLOG_TILE_HEIGHT);
	first = index << (height % TLOG_TILE_HEIGHT);
	if (tile_full(t->size, level, first / TLOG_TILE_WIDTH)) {
		error = read_cached(t, level, first / TLOG_TILE_WIDTH, &tile);
		if (error < 0)
			return error;
		fold_perfect(tile + (first % TLOG_TILE_WIDTH) * TLOG_HASH,
		             count, out);
		return 0;
	}
	for (unsigned i = 0; i < count; i++)
		if ((error = edge_hash(t, level, first + i, edge[i])) < 0)
			return error;
	fold_perfect(edge[0], count, out);
	return 0;
}

void
tlog_tile_writer_init(struct tlog_tile_writer *w,
                      int (*write_tile)(void *, unsigned, uint64_t,
                                        const uint8_t *),
                      void *ctx)
{
	w->size = 0;
	memset(w->npending, 0, sizeof(w->npending));
	w->write_tile = write_tile;
	w->ctx = ctx;
}

/*
 * The partial tile of each level holds exactly the hashes of that height
 * that exist but are not yet in a full tile: (size >> 8L) % 256 of them.
 * They are fetched through the view, which rebuilds them from the tiles
 * below, so nothing but full tiles and the last leaves need be stored.
 */
int
tlog_tile_writer_load(struct tlog_tile_writer *w, struct tlog_tiles *t)
{
	uint64_t have, base;
	int error;

	for (unsigned level = 0; level < TLOG_TILE_LEVELS; level++) {
		have = t->size >> (TLOG_TILE_HEIGHT * level);
		base = have - have % TLOG_TILE_WIDTH;
		w->npending[level] = (unsigned)(have % TLOG_TILE_WIDTH);
		for (unsigned i = 0; i < w->npending[level]; i++) {
			error = tlog_tiles_hash(
			        t, TLOG_TILE_HEIGHT * level, base + i,
			        w->pending[level] + i * TLOG_HASH);
			if (error < 0)
				goto fail;
		}
	}
	w->size = t->size;
	return 0;
fail:
	/* Half-loaded pending tiles would write wrong tiles later. */
	w->size = 0;
	memset(w->npending, 0, sizeof(w->npending));
	return error;
}

/*
 * A leaf may fill the level-0 tile, whose root then fills the level-1 tile,
 * and so on. If write_tile fails, the pending counts are put back as they
 * were: the hash bytes they cover were not touched (filled tiles are not
 * cleared and new hashes went past the old counts), so the append can be
 * retried or the writer reloaded. A retry writes again, with the same
 * contents, any lower-level tile that was written before the failure; a
 * store that rolls back its transaction on error never sees the repeat.
 */
int
tlog_tile_writer_append(struct tlog_tile_writer *w, const tlog_hash leaf_hash)
{
	unsigned saved[TLOG_TILE_LEVELS];
	uint64_t size;
	tlog_hash h;
	int error;

	if (w->size == UINT64_MAX)
		return attest_error_set(ATTEST_EINVALID, "tiles: log is full");
	size = w->size + 1;
	memcpy(saved, w->npending, sizeof(saved));
	memcpy(h, leaf_hash, TLOG_HASH);
	for (unsigned level = 0; level < TLOG_TILE_LEVELS; level++) {
		uint8_t *pending = w->pending[level];

		memcpy(pending + w->npending[level] * TLOG_HASH, h, TLOG_HASH);
		if (++w->npending[level] < TLOG_TILE_WIDTH)
			break;
		/* A top-level tile would fill only at 2^64 entries. */
		assert(level + 1 < TLOG_TILE_LEVELS);
		error = w->write_tile(
		        w->ctx, level,
		        (size >> (TLOG_TILE_HEIGHT * (level + 1))) - 1,
		        pending);
		if (error < 0) {
			memcpy(w->npending, saved, sizeof(saved));
			return error;
		}
		tlog_tile_root(pending, h);
		w->npending[level] = 0;
	}
	w->size = size;
	return 0;
}
