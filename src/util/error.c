/*
 * The thread-local last-error message behind include/attest/error.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "attest/error.h"

static _Thread_local char last_message[1024];

int
attest_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
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
