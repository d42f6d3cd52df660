/*
 * Strict date parsing and calendar arithmetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "attest/error.h"
#include "util/date.h"

static void
test_date__valid(void **state)
{
	int64_t t;
	char out[21];

	(void)state;
	assert_int_equal(attest_date_parse(&t, "1970-01-01"), 0);
	assert_int_equal(t, 0);
	assert_int_equal(attest_date_parse(&t, "2024-02-29"), 0);
	assert_int_equal(t, 1709164800);
	assert_int_equal(attest_date_parse(&t, "2026-06-30T10:15:30Z"), 0);
	attest_time_format(out, t);
	assert_string_equal(out, "2026-06-30T10:15:30Z");
	assert_int_equal(attest_date_parse(&t, "2026-06-30T10:15+02:00"), 0);
	attest_time_format(out, t);
	assert_string_equal(out, "2026-06-30T08:15:00Z");
	assert_int_equal(attest_date_parse(&t, "2000-02-29"), 0);
	attest_date_format(out, t);
	assert_string_equal(out, "2000-02-29");
}

static void
test_date__invalid(void **state)
{
	static const char *const bad[] = {"",
	                                  "yesterday",
	                                  "2026-02-29",
	                                  "1900-02-29",
	                                  "2026-13-01",
	                                  "2026-00-10",
	                                  "2026-04-31",
	                                  "2026-6-1",
	                                  "2026-06-30T25:00Z",
	                                  "2026-06-30T10:00",
	                                  "2026-06-30x",
	                                  "1969-12-31",
	                                  "2026-06-30T10:00:60Z"};
	int64_t t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(attest_date_parse(&t, bad[i]),
		                 ATTEST_EINVALID);
}

/* Every day from 1970 to 2100 round-trips through civil dates. */
static void
test_date__roundtrip(void **state)
{
	(void)state;
	for (int64_t d = 0; d < 47482; d++) {
		int y, m, day;
		attest_civil_from_days(d, &y, &m, &day);
		assert_int_equal(attest_days_from_civil(y, m, day), d);
	}
}

static void
test_date__now_override(void **state)
{
	(void)state;
	setenv("ATTEST_NOW", "2026-06-30", 1);
	assert_int_equal(attest_now(), 1782777600);
	unsetenv("ATTEST_NOW");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_date__valid),
	        cmocka_unit_test(test_date__invalid),
	        cmocka_unit_test(test_date__roundtrip),
	        cmocka_unit_test(test_date__now_override),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
