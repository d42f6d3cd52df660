/*
 * Growable, optionally bounded byte buffer. See buf.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/error.h"
#include "util/alloc.h"
#include "util/buf.h"

int
attest_buf_put(struct attest_buf *b, const void *data, size_t len)
{
	if (b->max && (len > b->max || b->len > b->max - len))
		return attest_error_set(ATTEST_EINVALID,
		                        "input larger than %zu bytes", b->max);
	xgrow(&b->ptr, &b->cap, b->len + len + 1, 1);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int
attest_buf_puts(struct attest_buf *b, const char *s)
{
	return attest_buf_put(b, s, strlen(s));
}

int
attest_buf_putc(struct attest_buf *b, char c)
{
	return attest_buf_put(b, &c, 1);
}

int
attest_buf_vprintf(struct attest_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return attest_error_set(ATTEST_ERROR, "bad format");
	if (b->max && b->len + (size_t)n > b->max)
		return attest_error_set(ATTEST_EINVALID,
		                        "input larger than %zu bytes", b->max);
	xgrow(&b->ptr, &b->cap, b->len + (size_t)n + 1, 1);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
attest_buf_printf(struct attest_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = attest_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *
attest_buf_cstr(const struct attest_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *
attest_buf_detach(struct attest_buf *b)
{
	char *p = b->ptr ? b->ptr : xstrdup("");

	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void
attest_buf_reset(struct attest_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void
attest_buf_free(struct attest_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}
