/*
 * Error codes and the last error message.
 *
 * Fallible functions return 0 on success or a negative ATTEST_E* code. The
 * place that fails records a one-line message with attest_error_set(); the
 * callers pass the code up unchanged and the front end prints the message.
 * The message is thread-local.
 */
#ifndef ATTEST_ERROR_H
#define ATTEST_ERROR_H

enum attest_error_code {
	ATTEST_OK = 0,
	ATTEST_ERROR = -1,     /* generic failure */
	ATTEST_EUSAGE = -2,    /* bad command-line usage */
	ATTEST_ENOTFOUND = -3, /* a named thing does not exist */
	ATTEST_EEXISTS = -4,   /* a thing that must not exist does */
	ATTEST_EINVALID = -5,  /* malformed input */
	ATTEST_EIO = -6,       /* file system failure */
	ATTEST_EDB = -7,       /* database failure */
	ATTEST_EREFUSED = -8,  /* refused by policy; the refusal is recorded
	                          and the transaction should still commit */
};

/* Records the message for the current thread and returns code. */
int attest_error_set(int code, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* The last message set on this thread; "" when none. Borrowed. */
const char *attest_error_last(void);

/* Forgets the last message. */
void attest_error_clear(void);

#endif
