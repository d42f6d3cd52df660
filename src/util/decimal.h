/*
 * Strict decimal numbers from untrusted text: digits only, no sign, no
 * leading zeros, no overflow. One spelling per value, so parsed formats
 * round-trip byte for byte.
 */
#ifndef ATTEST_UTIL_DECIMAL_H
#define ATTEST_UTIL_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* Parses s[0..len) into *v: NULL on success, else what is wrong ("empty",
 * "leading zero", "not a decimal number", "too large"). */
const char *attest_parse_u64(const char *s, size_t len, uint64_t *v);

#endif
