/*
 * The thread-local last-error message behind include/attest/error.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attest/error.h"

static _Thread_local char last_message[1024];

/* Formats into a scratch buffer first, so a message may quote the last
 * one: attest_error_set(rc, "--as-of: %s", attest_error_last()). */
int
attest_error_set(int code, const char *fmt, ...)
{
	char next[sizeof(last_message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(next, sizeof(next), fmt, ap);
	va_end(ap);
	memcpy(last_message, next, sizeof(last_message));
	return code;
}

const char *
attest_error_last(void)
{
	return last_message;
}

void
attest_error_clear(void)
{
	last_message[0] = '\0';
}
