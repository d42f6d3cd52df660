/*
 * The built-in catalog's integrity: 61 criteria, 330 points of focus with
 * the class breakdown of the reference, no dangling ids, full coverage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "attest/catalog.h"
#include "attest/error.h"
#include "util/buf.h"

static struct attest_catalog *cat;

static int
setup(void **state)
{
	(void)state;
	cat = attest_catalog_new();
	if (attest_catalog_load_builtin(cat) < 0 ||
	    attest_catalog_finish(cat) < 0) {
		print_error("catalog: %s\n", attest_error_last());
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	attest_catalog_free(cat);
	return 0;
}

static void
test_catalog__counts(void **state)
{
	size_t per_cat[ATTEST_CATEGORY_COUNT] = {0};
	size_t pof_cat[ATTEST_CATEGORY_COUNT] = {0};

	(void)state;
	assert_int_equal(cat->ncriteria, 61);
	assert_int_equal(cat->npoints, 330);
	assert_true(cat->ncontrols >= 120);
	for (size_t i = 0; i < cat->ncriteria; i++) {
		per_cat[cat->criteria[i].category]++;
		pof_cat[cat->criteria[i].category] += cat->criteria[i].npoints;
	}
	/* 33 CC + 3 A + 2 C + 5 PI + 18 P; 232 + 16 + 5 + 19 + 58 */
	assert_int_equal(per_cat[ATTEST_SECURITY], 33);
	assert_int_equal(per_cat[ATTEST_AVAILABILITY], 3);
	assert_int_equal(per_cat[ATTEST_CONFIDENTIALITY], 2);
	assert_int_equal(per_cat[ATTEST_PROCESSING_INTEGRITY], 5);
	assert_int_equal(per_cat[ATTEST_PRIVACY], 18);
	assert_int_equal(pof_cat[ATTEST_SECURITY], 232);
	assert_int_equal(pof_cat[ATTEST_AVAILABILITY], 16);
	assert_int_equal(pof_cat[ATTEST_CONFIDENTIALITY], 5);
	assert_int_equal(pof_cat[ATTEST_PROCESSING_INTEGRITY], 19);
	assert_int_equal(pof_cat[ATTEST_PRIVACY], 58);
}

/* Criteria per common-criteria series and points of focus per series. */
static void
test_catalog__series(void **state)
{
	static const struct {
		const char *series;
		size_t criteria, points;
	} want[] = {{"CC1", 5, 28}, {"CC2", 3, 34}, {"CC3", 4, 36},
	            {"CC4", 2, 11}, {"CC5", 3, 16}, {"CC6", 8, 38},
	            {"CC7", 5, 36}, {"CC8", 1, 18}, {"CC9", 2, 15}};

	(void)state;
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		size_t nc = 0, np = 0;
		for (size_t i = 0; i < cat->ncriteria; i++) {
			if (strcmp(cat->criteria[i].series, want[w].series))
				continue;
			nc++;
			np += cat->criteria[i].npoints;
		}
		assert_int_equal(nc, want[w].criteria);
		assert_int_equal(np, want[w].points);
	}
}

/* A few class breakdowns straight from the reference table. */
static void
test_catalog__classes(void **state)
{
	static const struct {
		const char *id;
		size_t coso, tsc, conf, priv, sys, avail;
	} want[] = {
	        {"CC1.3", 3, 2, 0, 1, 0, 0},  {"CC2.2", 4, 4, 0, 2, 3, 0},
	        {"CC2.3", 5, 0, 1, 2, 4, 0},  {"CC6.1", 0, 11, 1, 1, 0, 0},
	        {"CC8.1", 0, 14, 1, 2, 0, 1}, {"CC9.2", 0, 9, 2, 2, 0, 0},
	};

	(void)state;
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		const struct attest_criterion *c =
		        attest_catalog_criterion(cat, want[w].id);
		size_t n[6] = {0};
		assert_non_null(c);
		for (size_t i = 0; i < c->npoints; i++) {
			const char *k = c->points[i].klass;
			n[0] += !strcmp(k, "coso");
			n[1] += !strcmp(k, "tsc");
			n[2] += !strcmp(k, "confidentiality");
			n[3] += !strcmp(k, "privacy");
			n[4] += !strcmp(k, "system");
			n[5] += !strcmp(k, "availability");
		}
		assert_int_equal(n[0], want[w].coso);
		assert_int_equal(n[1], want[w].tsc);
		assert_int_equal(n[2], want[w].conf);
		assert_int_equal(n[3], want[w].priv);
		assert_int_equal(n[4], want[w].sys);
		assert_int_equal(n[5], want[w].avail);
	}
}

static void
test_catalog__coverage(void **state)
{
	struct attest_buf report = ATTEST_BUF_INIT;
	size_t problems = attest_catalog_coverage(cat, &report);

	(void)state;
	if (problems)
		print_error("%s", attest_buf_cstr(&report));
	assert_int_equal(problems, 0);
	attest_buf_free(&report);
}

/* Point ids are criterion id + ordinal; privacy points carry a role flag;
 * CC1-CC5 name their COSO principle; controls are complete. */
static void
test_catalog__shape(void **state)
{
	(void)state;
	for (size_t i = 0; i < cat->ncriteria; i++) {
		const struct attest_criterion *c = &cat->criteria[i];
		int cc15 = !strncmp(c->id, "CC", 2) && c->id[2] >= '1' &&
		           c->id[2] <= '5';
		assert_true(cc15 ? c->coso_principle >= 1 &&
		                            c->coso_principle <= 17
		                 : c->coso_principle == 0);
		assert_true(strlen(c->title) <= 80);
		for (size_t j = 0; j < c->npoints; j++) {
			char want[32];
			snprintf(want, sizeof(want), "%s.%zu", c->id, j + 1);
			assert_string_equal(c->points[j].id, want);
			if (c->category == ATTEST_PRIVACY)
				assert_true(c->points[j].processor ||
				            c->points[j].controller);
		}
	}
	for (size_t i = 0; i < cat->ncontrols; i++) {
		const struct attest_control *c = &cat->controls[i];
		assert_true(c->ncriteria >= 1);
		assert_true(c->npoints >= 1);
		assert_true(c->nevidence >= 1);
		assert_non_null(c->owner);
		assert_true(strlen(c->statement) > 40);
		for (size_t j = 0; j < c->ncrosswalk; j++)
			assert_true(!strcmp(c->crosswalk[j].framework,
			                    "iso27001-2022") ||
			            !strcmp(c->crosswalk[j].framework,
			                    "nist-csf-2.0"));
	}
}

static int
load_finish(const char *yaml)
{
	struct attest_catalog *c = attest_catalog_new();
	int rc = attest_catalog_load_builtin(c);

	if (rc == 0)
		rc = attest_catalog_load_yaml(c, "ws.yaml", yaml, strlen(yaml),
		                              false);
	if (rc == 0)
		rc = attest_catalog_finish(c);
	attest_catalog_free(c);
	return rc;
}

/* Dangling and duplicate ids are refused with the file and line. */
static void
test_catalog__dangling(void **state)
{
	(void)state;
	assert_int_equal(load_finish("controls:\n"
	                             "  - id: X-01\n    title: t\n"
	                             "    statement: s\n"
	                             "    frequency: daily\n"
	                             "    criteria: [CC9.9]\n"),
	                 ATTEST_EINVALID);
	assert_non_null(strstr(attest_error_last(), "ws.yaml:2"));
	assert_non_null(strstr(attest_error_last(), "CC9.9"));
	assert_int_equal(load_finish("controls:\n"
	                             "  - id: IAM-01\n    title: t\n"
	                             "    statement: s\n"
	                             "    frequency: daily\n"
	                             "    criteria: [CC6.1]\n"),
	                 ATTEST_EINVALID);
	assert_non_null(strstr(attest_error_last(), "duplicate control"));
	assert_int_equal(load_finish("controls:\n"
	                             "  - id: X-02\n    title: t\n"
	                             "    statement: s\n"
	                             "    frequency: hourly\n"
	                             "    criteria: [CC6.1]\n"),
	                 ATTEST_EINVALID);
	assert_non_null(strstr(attest_error_last(), "hourly"));
	assert_int_equal(load_finish("controls:\n"
	                             "  - id: X-03\n    title: t\n"
	                             "    statement: s\n"
	                             "    frequency: daily\n"
	                             "    criteria: [CC6.1]\n"
	                             "    points_of_focus: [CC7.1.1]\n"),
	                 ATTEST_EINVALID);
	assert_non_null(strstr(attest_error_last(), "CC7.1"));
	assert_int_equal(load_finish("criteria: []\n"), ATTEST_EINVALID);
	assert_int_equal(load_finish("controls: [\n"), ATTEST_EINVALID);
	assert_non_null(strstr(attest_error_last(), "ws.yaml:"));
	assert_int_equal(load_finish("controls:\n"
	                             "  - id: X-04\n    title: t\n"
	                             "    statement: s\n"
	                             "    frequency: daily\n"
	                             "    criteria: [CC6.1]\n"),
	                 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_catalog__counts),
	        cmocka_unit_test(test_catalog__series),
	        cmocka_unit_test(test_catalog__classes),
	        cmocka_unit_test(test_catalog__coverage),
	        cmocka_unit_test(test_catalog__shape),
	        cmocka_unit_test(test_catalog__dangling),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
