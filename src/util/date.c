/*
 * Calendar arithmetic (Howard Hinnant's days-from-civil algorithm) and strict
 * ISO 8601 parsing for the subset attest accepts.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attest/error.h"
#include "util/date.h"

int64_t
attest_days_from_civil(int year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
attest_civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

static int
days_in_month(int year, int month)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : mdays[month - 1];
}

/* Reads exactly n digits at *p into *out. */
static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int
bad(const char *text)
{
	return attest_error_set(ATTEST_EINVALID,
	                        "'%s' is not a date (expected YYYY-MM-DD or "
	                        "YYYY-MM-DDTHH:MM:SSZ)",
	                        text);
}

int
attest_date_parse(int64_t *out, const char *text)
{
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0, oh = 0, om = 0, sign = 0;

	if (text == NULL || digits(&p, 4, &y) < 0 || *p++ != '-' ||
	    digits(&p, 2, &mo) < 0 || *p++ != '-' || digits(&p, 2, &d) < 0)
		return bad(text ? text : "");
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo))
		return bad(text);
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) < 0 || *p++ != ':' ||
		    digits(&p, 2, &mi) < 0)
			return bad(text);
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &s) < 0)
				return bad(text);
		}
		if (h > 23 || mi > 59 || s > 59)
			return bad(text);
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			sign = *p++ == '+' ? 1 : -1;
			if (digits(&p, 2, &oh) < 0 || *p++ != ':' ||
			    digits(&p, 2, &om) < 0 || oh > 23 || om > 59)
				return bad(text);
		} else {
			return bad(text);
		}
	}
	if (*p != '\0')
		return bad(text);
	*out = attest_days_from_civil(y, mo, d) * ATTEST_DAY + h * 3600 +
	       mi * 60 + s - sign * (oh * 3600 + om * 60);
	return 0;
}

int64_t
attest_day_floor(int64_t t)
{
	int64_t days =
	        t >= 0 ? t / ATTEST_DAY : -((-t + ATTEST_DAY - 1) / ATTEST_DAY);

	return days * ATTEST_DAY;
}

void
attest_date_format(char out[static 11], int64_t t)
{
	int y, m, d;

	attest_civil_from_days(attest_day_floor(t) / ATTEST_DAY, &y, &m, &d);
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

void
attest_time_format(char out[static 21], int64_t t)
{
	int64_t secs = t - attest_day_floor(t);
	int hms[3] = {(int)(secs / 3600), (int)(secs / 60 % 60),
	              (int)(secs % 60)};

	attest_date_format(out, t);
	out[10] = 'T';
	for (int i = 0; i < 3; i++) {
		out[11 + i * 3] = (char)('0' + hms[i] / 10);
		out[12 + i * 3] = (char)('0' + hms[i] % 10);
		out[13 + i * 3] = i < 2 ? ':' : 'Z';
	}
	out[20] = '\0';
}

int64_t
attest_now(void)
{
	const char *fixed = getenv("ATTEST_NOW");
	int64_t t;

	if (fixed && *fixed && attest_date_parse(&t, fixed) == 0)
		return t;
	return (int64_t)time(NULL);
}
