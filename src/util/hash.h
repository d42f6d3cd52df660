/*
 * SHA-256 through OpenSSL EVP (which uses the CPU's SHA extensions), with
 * lower-case hex output.
 */
#ifndef ATTEST_UTIL_HASH_H
#define ATTEST_UTIL_HASH_H

#include <stddef.h>

#define ATTEST_SHA256_HEX 65 /* 64 hex digits and a NUL */

void attest_sha256_hex(char out[static ATTEST_SHA256_HEX], const void *data,
                       size_t len);

/*
 * Hashes the file at path; stores its size in *size when size is not NULL.
 * Fails with ATTEST_EIO naming the file.
 */
int attest_sha256_file(char out[static ATTEST_SHA256_HEX], size_t *size,
                       const char *path);

#endif
