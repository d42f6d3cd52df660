/*
 * Dates and times. attest stores instants as seconds since the Unix epoch in
 * UTC (int64_t) and days as whole days since the epoch. Periods are half-open
 * [start, end). Parsing is strict: a value that is not a real calendar date
 * is an error, never a guess.
 */
#ifndef ATTEST_UTIL_DATE_H
#define ATTEST_UTIL_DATE_H

#include <stdint.h>

#define ATTEST_DAY 86400

/*
 * Parses "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM[:SS](Z|+HH:MM|
 * -HH:MM)" into *out. Fails with ATTEST_EINVALID and a message naming the
 * text when it is not a valid date or time.
 */
int attest_date_parse(int64_t *out, const char *text);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t attest_days_from_civil(int year, int month, int day);
void attest_civil_from_days(int64_t days, int *year, int *month, int *day);

/* Writes "YYYY-MM-DD" (11 bytes with NUL) for the UTC day of t. */
void attest_date_format(char out[static 11], int64_t t);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL). */
void attest_time_format(char out[static 21], int64_t t);

/* The current time; ATTEST_NOW (a date or time) overrides it for tests. */
int64_t attest_now(void);

/* Floor of t to midnight UTC. */
int64_t attest_day_floor(int64_t t);

#endif
