/*
 * Fuzz target: the LeafV1 parser and the four body parsers. Whatever one
 * of them accepts must encode back to exactly the input bytes, since the
 * leaf hash commits to those bytes and a second encoding of the same
 * values would be a second leaf.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/leaf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[TLOG_LEAF_MAX + 1];

static void
same(const uint8_t *data, size_t size, size_t n)
{
	if (n != size || (n && memcmp(out, data, n) != 0))
		abort();
}

static void
bodies(const uint8_t *data, size_t size)
{
	struct tlog_bytes b = {data, size};
	struct tlog_redaction rd;
	struct tlog_purge pg;
	struct tlog_key_event ke;
	struct tlog_anchor an;

	if (tlog_redaction_parse(&rd, &b) == 0)
		same(data, size, tlog_redaction_encode(&rd, out, sizeof(out)));
	if (tlog_purge_parse(&pg, &b) == 0)
		same(data, size, tlog_purge_encode(&pg, out, sizeof(out)));
	if (tlog_key_event_parse(&ke, &b) == 0)
		same(data, size, tlog_key_event_encode(&ke, out, sizeof(out)));
	if (tlog_anchor_parse(&an, &b) == 0)
		same(data, size, tlog_anchor_encode(&an, out, sizeof(out)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlog_leaf l;

	/* A copy of exactly size bytes, so ASan catches any read past it. */
	uint8_t *copy = calloc(1, size ? size : 1);

	if (size)
		memcpy(copy, data, size);
	if (tlog_leaf_parse(&l, copy, size) == 0) {
		if (l.version != 1 || tlog_kind_name(l.kind) == NULL)
			abort();
		same(copy, size, tlog_leaf_encode(&l, out, sizeof(out)));
		bodies(l.body.p, l.body.len);
	}
	if (size <= TLOG_LEAF_MAX)
		bodies(copy, size);
	free(copy);
	return 0;
}
