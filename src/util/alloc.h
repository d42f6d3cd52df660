/*
 * Allocation wrappers. They check size arithmetic and abort on out-of-memory,
 * so callers never test for NULL. Free with free().
 */
#ifndef ATTEST_UTIL_ALLOC_H
#define ATTEST_UTIL_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grows *items (of *cap elements of size) to hold at least need elements. */
void xgrow(void *items, size_t *cap, size_t need, size_t size);

#endif
