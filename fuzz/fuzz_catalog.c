/*
 * Fuzz target: the catalog YAML reader, as a workspace file (controls only)
 * and as a built-in file (criteria, frameworks), then reference resolution.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/catalog.h"
#include "attest/error.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attest_catalog *cat = attest_catalog_new();
	struct attest_buf report = ATTEST_BUF_INIT;
	int builtin = size > 0 && (data[0] & 1);

	if (attest_catalog_load_yaml(cat, "fuzz.yaml", (const char *)data, size,
	                             builtin) == 0 &&
	    attest_catalog_finish(cat) == 0) {
		attest_catalog_coverage(cat, &report);
		for (size_t i = 0; i < cat->ncontrols; i++)
			attest_catalog_control(cat, cat->controls[i].id);
	}
	attest_buf_free(&report);
	attest_catalog_free(cat);
	return 0;
}
