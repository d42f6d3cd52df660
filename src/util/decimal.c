/*
 * Strict decimal parsing (util/decimal.h).
 */
#include "util/decimal.h"

const char *
attest_parse_u64(const char *s, size_t len, uint64_t *v)
{
	*v = 0;
	if (len == 0)
		return "empty";
	if (len > 1 && s[0] == '0')
		return "leading zero";
	for (size_t i = 0; i < len; i++) {
		unsigned d;
		if (s[i] < '0' || s[i] > '9')
			return "not a decimal number";
		d = (unsigned)(s[i] - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return "too large";
		*v = *v * 10 + d;
	}
	return NULL;
}
