/*
 * SHA-256 helpers over OpenSSL's EVP interface.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "attest/error.h"
#include "util/hash.h"

static void
to_hex(char out[static ATTEST_SHA256_HEX], const unsigned char *md)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[i * 2] = hex[md[i] >> 4];
		out[i * 2 + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

void
attest_sha256_hex(char out[static ATTEST_SHA256_HEX], const void *data,
                  size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	to_hex(out, md);
}

int
attest_sha256_file(char out[static ATTEST_SHA256_HEX], size_t *size,
                   const char *path)
{
	unsigned char block[65536], md[32];
	unsigned int mdlen = 0;
	size_t n, total = 0;
	EVP_MD_CTX *ctx;
	FILE *f;
	int rc = 0;

	if ((f = fopen(path, "rb")) == NULL)
		return attest_error_set(ATTEST_EIO, "%s: %s", path,
		                        strerror(errno));
	ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = fread(block, 1, sizeof(block), f)) > 0) {
		EVP_DigestUpdate(ctx, block, n);
		total += n;
	}
	if (ferror(f))
		rc = attest_error_set(ATTEST_EIO, "%s: read error", path);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	fclose(f);
	if (rc == 0) {
		to_hex(out, md);
		if (size)
			*size = total;
	}
	return rc;
}
