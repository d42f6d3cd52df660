/*
 * C2SP tlog-tiles: the tree stored as tiles of height 8. The tile at level
 * L and index N holds up to 256 hashes of tree height 8*L (level 0: leaf
 * hashes), those of the full subtrees [(N*256+i) << 8L, ...). Only full
 * tiles are stored; the ragged right edge is recomputed from the tiles
 * below it and, at level 0, from the leaves themselves.
 *
 * Paths follow the spec: "tile/<L>/<N>" with N in groups of three digits,
 * all but the last prefixed with "x" ("tile/0/x001/x234/067"), a partial
 * tile adding ".p/<W>"; entry bundles live under "tile/entries/<N>".
 */
#ifndef ATTEST_TLOG_TILE_H
#define ATTEST_TLOG_TILE_H

#include <stddef.h>
#include <stdint.h>

#include "tlog/merkle.h"

#define TLOG_TILE_HEIGHT 8
#define TLOG_TILE_WIDTH  256
#define TLOG_TILE_BYTES  (TLOG_TILE_WIDTH * TLOG_HASH)
#define TLOG_TILE_LEVELS 8 /* 8 levels of 8 cover 2^64 entries */

/*
 * Writes "<prefix>/<N>" (width 256) or "<prefix>/<N>.p/<W>" into buf.
 * prefix is e.g. "tile/0", "tile/entries" or "payload". Returns the length,
 * or -1 when buf is too small.
 */
int tlog_tile_path(char *buf, size_t cap, const char *prefix, uint64_t n,
                   unsigned width);
/* Parses the N part of a path as written above ("x001/x234/067"): 0, or -1
 * when malformed (leading "x" missing, not three digits, overflow). */
int tlog_tile_parse_index(const char *s, uint64_t *n);

/* Root of the 256 hashes of a full tile: the hash one tile level up. */
void tlog_tile_root(const uint8_t tile[TLOG_TILE_BYTES], tlog_hash out);

/*
 * A read-only view of a tree of `size` entries held as full tiles. Give it
 * a reader of full tiles and a source of leaf hashes for the right edge;
 * tlog_tiles_hash is then a tlog_hash_fn for proofs and roots. The last
 * tile read at each level is cached.
 */
struct tlog_tiles {
	uint64_t size;
	/* Reads the full tile (level, n) into out; 0, or a negative code. */
	int (*read_tile)(void *ctx, unsigned level, uint64_t n,
	                 uint8_t out[TLOG_TILE_BYTES]);
	/* The leaf hash of entry index (only asked for entries of the
	   ragged right edge, never below the last full level-0 tile). */
	int (*leaf_hash)(void *ctx, uint64_t index, tlog_hash out);
	void *ctx;
	/* cache */
	int cached[TLOG_TILE_LEVELS];
	uint64_t cache_n[TLOG_TILE_LEVELS];
	uint8_t cache[TLOG_TILE_LEVELS][TLOG_TILE_BYTES];
};

void tlog_tiles_init(struct tlog_tiles *t, uint64_t size,
                     int (*read_tile)(void *, unsigned, uint64_t, uint8_t *),
                     int (*leaf_hash)(void *, uint64_t, tlog_hash), void *ctx);
/* A tlog_hash_fn over struct tlog_tiles (ctx). */
int tlog_tiles_hash(void *tiles, unsigned height, uint64_t index,
                    tlog_hash out);

/*
 * Builds tiles while appending: keeps the partial tile of every level and
 * calls write_tile for each tile that fills (a leaf may complete one tile
 * at several levels at once).
 */
struct tlog_tile_writer {
	uint64_t size;
	unsigned npending[TLOG_TILE_LEVELS];
	uint8_t pending[TLOG_TILE_LEVELS][TLOG_TILE_BYTES];
	int (*write_tile)(void *ctx, unsigned level, uint64_t n,
	                  const uint8_t hashes[TLOG_TILE_BYTES]);
	void *ctx;
};

void tlog_tile_writer_init(struct tlog_tile_writer *w,
                           int (*write_tile)(void *, unsigned, uint64_t,
                                             const uint8_t *),
                           void *ctx);
/* Positions the writer at the end of an existing tree of t->size entries,
 * reading the partial tiles' hashes through t. */
int tlog_tile_writer_load(struct tlog_tile_writer *w, struct tlog_tiles *t);
/* Appends the leaf hash of entry w->size; 0 or write_tile's error. */
int tlog_tile_writer_append(struct tlog_tile_writer *w,
                            const tlog_hash leaf_hash);

#endif
