/*
 * The content/ files compiled into the binary by cmake/embed.cmake.
 */
#ifndef ATTEST_CATALOG_CONTENT_H
#define ATTEST_CATALOG_CONTENT_H

#include <stddef.h>

struct attest_content_file {
	const char *path; /* relative to the source tree, "content/..." */
	const char *data; /* NUL-terminated */
	size_t len;
};

/* Terminated by an entry whose path is NULL. */
extern const struct attest_content_file attest_content_files[];

#endif
