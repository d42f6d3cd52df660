/*
 * Gap analysis on a small hand-built catalog and workspace state, with the
 * right answers worked out by hand (docs/gaps.md gives the rules).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "attest/assess.h"
#include "attest/error.h"
#include "util/date.h"

static const char yaml[] =
        "criteria:\n"
        "  - {id: T1.1, category: security, series: T1, title: One,\n"
        "     description: d, points_of_focus: []}\n"
        "  - {id: T1.2, category: security, series: T1, title: Two,\n"
        "     description: d, points_of_focus: []}\n"
        "  - {id: T2.1, category: availability, series: T2, title: Three,\n"
        "     description: d, points_of_focus: []}\n"
        "controls:\n"
        "  - {id: A-01, title: a1, statement: s, frequency: daily,\n"
        "     criteria: [T1.1, T1.2]}\n"
        "  - {id: A-02, title: a2, statement: s, frequency: monthly,\n"
        "     criteria: [T1.1]}\n"
        "  - {id: A-03, title: a3, statement: s, frequency: annual,\n"
        "     criteria: [T1.2]}\n"
        "  - {id: B-01, title: b1, statement: s, frequency: quarterly,\n"
        "     criteria: [T2.1]}\n";

#define AS_OF ((int64_t)1782777600) /* 2026-06-30 */

struct fixture {
	struct attest_catalog *cat;
	struct attest_scope scope;
	struct attest_control_state states[3];
	struct attest_evidence_summary sums[4]; /* A-01 A-02 A-03 B-01 */
	struct attest_not_applicable na;
	struct attest_exclusion ex;
};

static struct fixture F;

static int
setup(void **state)
{
	(void)state;
	memset(&F, 0, sizeof(F));
	F.cat = attest_catalog_new();
	if (attest_catalog_load_yaml(F.cat, "test.yaml", yaml, strlen(yaml),
	                             true) < 0 ||
	    attest_catalog_finish(F.cat) < 0) {
		print_error("%s\n", attest_error_last());
		return -1;
	}
	F.scope.categories = 1u << ATTEST_SECURITY;
	F.states[0] = (struct attest_control_state){.control = "A-01",
	                                            .status = "implemented"};
	F.states[1] = (struct attest_control_state){.control = "A-02",
	                                            .status = "implemented"};
	F.states[2] = (struct attest_control_state){.control = "A-03",
	                                            .status = "not-started"};
	/* current but one of two hosts fails. */
	F.sums[0] =
	        (struct attest_evidence_summary){1, AS_OF - ATTEST_DAY, 1, 2};
	/* monthly, newest 40 days old: stale (window 35). */
	F.sums[1] = (struct attest_evidence_summary){1, AS_OF - 40 * ATTEST_DAY,
	                                             0, 1};
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	attest_catalog_free(F.cat);
	return 0;
}

static struct attest_assessment *
run(void)
{
	struct attest_assess_input in = {
	        .catalog = F.cat,
	        .scope = &F.scope,
	        .states = F.states,
	        .nstates = 3,
	        .summaries = F.sums,
	        .as_of = AS_OF,
	        .organization = "Test Co",
	};
	struct attest_assessment *as = NULL;

	assert_int_equal(attest_assess_compute(&in, &as), 0);
	return as;
}

static void
test_gaps__ranked(void **state)
{
	struct attest_assessment *as = run();

	(void)state;
	/* credits: A-01 0.25 (failing), A-02 0.5 (stale), A-03 0.
	 * T1.1 = (0.25 + 0.5) / 2 = 0.375; T1.2 = (0.25 + 0) / 2 = 0.125.
	 * security = 100 * (0.375 + 0.125) / 2 = 25.0 */
	assert_true(as->scores[ATTEST_SECURITY].in_scope);
	assert_true(as->scores[ATTEST_SECURITY].score == 25.0);
	assert_int_equal(as->scores[ATTEST_SECURITY].applicable, 2);
	assert_int_equal(as->scores[ATTEST_SECURITY].covered, 2);
	assert_false(as->scores[ATTEST_AVAILABILITY].in_scope);
	assert_int_equal(as->ngaps, 3);
	assert_int_equal(as->gaps[0].kind, ATTEST_GAP_EVIDENCE_FAILING);
	assert_string_equal(as->gaps[0].control, "A-01");
	assert_int_equal(as->gaps[0].leverage, 2);
	assert_int_equal(as->gaps[1].kind, ATTEST_GAP_CONTROL_NOT_STARTED);
	assert_string_equal(as->gaps[1].control, "A-03");
	assert_int_equal(as->gaps[2].kind, ATTEST_GAP_EVIDENCE_STALE);
	assert_string_equal(as->gaps[2].control, "A-02");
	assert_int_equal(as->gaps[2].since, AS_OF - 40 * ATTEST_DAY);
	/* B-01 supports only an out-of-scope criterion: no gap, no score. */
	assert_false(attest_assessment_control(as, "B-01")->in_scope);
	attest_assessment_free(as);
}

static void
test_gaps__not_applicable(void **state)
{
	struct attest_assessment *as;

	(void)state;
	F.na = (struct attest_not_applicable){"T1.2", "no such thing here"};
	F.scope.not_applicable = &F.na;
	F.scope.nnot_applicable = 1;
	as = run();
	/* Only T1.1 counts: 100 * 0.375; A-03 now helps no criterion. */
	assert_true(as->scores[ATTEST_SECURITY].score == 37.5);
	assert_int_equal(as->scores[ATTEST_SECURITY].applicable, 1);
	assert_int_equal(as->ngaps, 2);
	assert_int_equal(as->gaps[0].kind, ATTEST_GAP_EVIDENCE_FAILING);
	assert_int_equal(as->gaps[0].leverage, 1);
	assert_int_equal(as->gaps[1].kind, ATTEST_GAP_EVIDENCE_STALE);
	F.scope.nnot_applicable = 0;
	attest_assessment_free(as);
}

static void
test_gaps__exclusion(void **state)
{
	struct attest_assessment *as;

	(void)state;
	/* A-01 excluded for 10 more days: it no longer counts, T1.2 has no
	 * implemented control left, and the exclusion warns it expires. */
	F.ex = (struct attest_exclusion){7, "A-01", "migrating", "kim",
	                                 AS_OF + 10 * ATTEST_DAY};
	F.scope.exclusions = &F.ex;
	F.scope.nexclusions = 1;
	as = run();
	/* T1.1 = 0.5 (A-02 only), T1.2 = 0: 25.0 */
	assert_true(as->scores[ATTEST_SECURITY].score == 25.0);
	assert_int_equal(as->scores[ATTEST_SECURITY].covered, 1);
	assert_int_equal(as->ngaps, 4);
	assert_int_equal(as->gaps[0].kind, ATTEST_GAP_CRITERION_UNCOVERED);
	assert_string_equal(as->gaps[0].criterion, "T1.2");
	assert_int_equal(as->gaps[1].kind, ATTEST_GAP_CONTROL_NOT_STARTED);
	assert_int_equal(as->gaps[2].kind, ATTEST_GAP_EVIDENCE_STALE);
	assert_int_equal(as->gaps[3].kind, ATTEST_GAP_EXCLUSION_EXPIRING);
	assert_int_equal(as->gaps[3].exclusion_id, 7);
	attest_assessment_free(as);

	/* Once expired, the exclusion stops hiding A-01 and is a gap. */
	F.ex.expires = AS_OF - ATTEST_DAY;
	as = run();
	assert_true(as->scores[ATTEST_SECURITY].score == 25.0);
	assert_int_equal(as->gaps[0].kind, ATTEST_GAP_EVIDENCE_FAILING);
	assert_int_equal(as->gaps[1].kind, ATTEST_GAP_EXCLUSION_EXPIRED);
	F.scope.nexclusions = 0;
	attest_assessment_free(as);
}

static void
test_gaps__all_current(void **state)
{
	struct attest_assessment *as;
	struct attest_evidence_summary saved[2] = {F.sums[0], F.sums[1]};

	(void)state;
	F.sums[0].failing = 0;
	F.sums[1].latest = AS_OF - 34 * ATTEST_DAY; /* inside 35 days */
	F.states[2].status = "implemented";
	F.sums[2] = (struct attest_evidence_summary){
	        1, AS_OF - 379 * ATTEST_DAY, 0, 1}; /* annual: 380 */
	as = run();
	assert_true(as->scores[ATTEST_SECURITY].score == 100.0);
	assert_int_equal(as->ngaps, 0);
	attest_assessment_free(as);
	F.sums[0] = saved[0];
	F.sums[1] = saved[1];
	F.sums[2] = (struct attest_evidence_summary){0};
	F.states[2].status = "not-started";
}

static void
test_gaps__tailored_frequency(void **state)
{
	struct attest_assessment *as;

	(void)state;
	/* Tailoring A-02 to quarterly widens its window to 100 days. */
	F.states[1].frequency = "quarterly";
	as = run();
	assert_int_equal(attest_assessment_control(as, "A-02")->evidence,
	                 ATTEST_EV_CURRENT);
	assert_int_equal(as->ngaps, 2);
	F.states[1].frequency = NULL;
	attest_assessment_free(as);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_gaps__ranked),
	        cmocka_unit_test(test_gaps__not_applicable),
	        cmocka_unit_test(test_gaps__exclusion),
	        cmocka_unit_test(test_gaps__all_current),
	        cmocka_unit_test(test_gaps__tailored_frequency),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
