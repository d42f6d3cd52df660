/*
 * A growable byte buffer for all string building (after curl's dynbuf). The
 * contents are always NUL-terminated. A buffer may be given a maximum size;
 * appends past it fail with ATTEST_EINVALID, which bounds reads of untrusted
 * input.
 */
#ifndef ATTEST_UTIL_BUF_H
#define ATTEST_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct attest_buf {
	char *ptr;  /* NUL-terminated contents, or NULL before the first put */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap;
	size_t max; /* 0: unbounded */
};

#define ATTEST_BUF_INIT                                                        \
	{                                                                      \
		NULL, 0, 0, 0                                                  \
	}

int attest_buf_put(struct attest_buf *b, const void *data, size_t len);
int attest_buf_puts(struct attest_buf *b, const char *s);
int attest_buf_putc(struct attest_buf *b, char c);
int attest_buf_printf(struct attest_buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
int attest_buf_vprintf(struct attest_buf *b, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

/* The contents ("" when empty). Borrowed; valid until the next put. */
const char *attest_buf_cstr(const struct attest_buf *b);

/* Hands the contents to the caller (free with free()) and resets b. */
char *attest_buf_detach(struct attest_buf *b);

void attest_buf_reset(struct attest_buf *b);
void attest_buf_free(struct attest_buf *b);

#endif
