/*
 * Fuzz target: tlog-proof and consistency proof files. Every proof the
 * parsers accept formats back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/proof.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same(const struct attest_buf *b, const char *text, size_t size)
{
	if (b->len != size || (size && memcmp(b->ptr, text, size) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct tlog_proof p;
	struct tlog_consistency c;
	struct attest_buf b = ATTEST_BUF_INIT;

	if (size)
		memcpy(text, data, size);
	if (tlog_proof_parse(&p, text, size) == 0) {
		if (p.nhashes > TLOG_MAX_PROOF || tlog_proof_format(&b, &p) < 0)
			abort();
		same(&b, text, size);
		tlog_proof_free(&p);
	}
	attest_buf_reset(&b);
	if (tlog_consistency_parse(&c, text, size) == 0) {
		if (c.nhashes > TLOG_MAX_PROOF || c.old_size > c.new_size ||
		    tlog_consistency_format(&b, &c) < 0)
			abort();
		same(&b, text, size);
	}
	attest_buf_free(&b);
	free(text);
	return 0;
}
