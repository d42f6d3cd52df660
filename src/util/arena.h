/*
 * A bump allocator for data that lives as long as one owner (the catalog,
 * one command's rows). Everything is released at once by attest_arena_free.
 */
#ifndef ATTEST_UTIL_ARENA_H
#define ATTEST_UTIL_ARENA_H

#include <stddef.h>

struct attest_arena_chunk;

struct attest_arena {
	struct attest_arena_chunk *head;
};

#define ATTEST_ARENA_INIT                                                      \
	{                                                                      \
		NULL                                                           \
	}

void *attest_arena_alloc(struct attest_arena *a, size_t size);
void *attest_arena_calloc(struct attest_arena *a, size_t n, size_t size);
char *attest_arena_strdup(struct attest_arena *a, const char *s);
char *attest_arena_strndup(struct attest_arena *a, const char *s, size_t n);
void attest_arena_free(struct attest_arena *a);

#endif
