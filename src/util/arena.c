/*
 * Bump allocator in 64 KiB chunks; oversized requests get a chunk of their
 * own. Alignment is that of max_align_t.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/arena.h"

struct attest_arena_chunk {
	struct attest_arena_chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

#define CHUNK_SIZE 65536

void *
attest_arena_alloc(struct attest_arena *a, size_t size)
{
	size_t align = alignof(max_align_t);
	struct attest_arena_chunk *c = a->head;

	if (size > SIZE_MAX - align)
		size = SIZE_MAX - align; /* xmalloc below aborts on it */
	size = (size + align - 1) & ~(align - 1);
	if (c == NULL || c->size - c->used < size) {
		size_t want = size > CHUNK_SIZE ? size : CHUNK_SIZE;
		c = xmalloc(sizeof(*c) + want);
		c->used = 0;
		c->size = want;
		c->next = a->head;
		a->head = c;
	}
	c->used += size;
	return c->data + c->used - size;
}

void *
attest_arena_calloc(struct attest_arena *a, size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		n = SIZE_MAX / size;
	p = attest_arena_alloc(a, n * size);
	memset(p, 0, n * size);
	return p;
}

char *
attest_arena_strndup(struct attest_arena *a, const char *s, size_t n)
{
	char *p = attest_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
attest_arena_strdup(struct attest_arena *a, const char *s)
{
	return s ? attest_arena_strndup(a, s, strlen(s)) : NULL;
}

void
attest_arena_free(struct attest_arena *a)
{
	struct attest_arena_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}
