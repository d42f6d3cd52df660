/*
 * Renderers. They only render what src/assess computed; no decisions here.
 */
#ifndef ATTEST_REPORT_H
#define ATTEST_REPORT_H

#include <stdio.h>

#include "attest/assess.h"

struct json_t;

enum attest_format { ATTEST_FMT_TEXT, ATTEST_FMT_MD, ATTEST_FMT_JSON };

/*
 * The gap analysis. categories: a bit mask of the categories to show (0 for
 * all in scope). Text is for a terminal, md for a document.
 */
int attest_report_gaps(FILE *out, const struct attest_assessment *as,
                       unsigned categories, enum attest_format fmt);

/* The assessment's scores and gaps as a JSON object (caller decrefs). */
struct json_t *attest_report_gaps_json(const struct attest_assessment *as,
                                       unsigned categories);

/* The one-screen summary behind `attest status`. */
int attest_report_status(FILE *out, const struct attest_assessment *as);
struct json_t *attest_report_status_json(const struct attest_assessment *as);

#endif
