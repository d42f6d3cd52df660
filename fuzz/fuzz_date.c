/*
 * Fuzz target: the date parser, and that every accepted value formats back
 * to a date the parser accepts again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[21];
	int64_t t, back;

	memcpy(s, data, size);
	s[size] = '\0';
	if (attest_date_parse(&t, s) == 0) {
		attest_time_format(out, t);
		if (attest_date_parse(&back, out) != 0 || back != t)
			abort();
	}
	free(s);
	return 0;
}
