/*
 * attest gaps and attest status: the gap analysis and its summary.
 */
#include <string.h>

#include "attest/assess.h"
#include "attest/error.h"
#include "attest/report.h"
#include "attest/workspace.h"
#include "cli/cli.h"

static const struct cli_opt gaps_opts[] = {
        {"category", 'c', "CATEGORY",
         "Show one category only (repeatable): security, availability, "
         "confidentiality, processing-integrity, privacy."},
        {"as-of", 0, "DATE",
         "Judge the workspace as it stood at the end of DATE (default: "
         "now)."},
        {"json", 0, NULL, "Print JSON."},
        {"format", 'f', "FORMAT", "text (default), md or json."},
        {0}};

static int
gaps_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_assessment *as = NULL;
	const char *f = cli_get(a, "format");
	enum attest_format fmt = ATTEST_FMT_TEXT;
	unsigned mask = 0;
	size_t n;
	char **cats = cli_all(a, "category", &n);
	int rc;

	if (cli_flag(a, "json") || (f && !strcmp(f, "json")))
		fmt = ATTEST_FMT_JSON;
	else if (f && !strcmp(f, "md"))
		fmt = ATTEST_FMT_MD;
	else if (f && strcmp(f, "text"))
		return cli_usage(a->cmd,
		                 "unknown format '%s' (expected text, "
		                 "md or json)",
		                 f);
	for (size_t i = 0; i < n; i++) {
		enum attest_category c;
		if ((rc = attest_category_parse(&c, cats[i])) < 0)
			return cli_error(rc);
		mask |= 1u << c;
	}
	if ((rc = cli_assess(a, &ws, &as)) == 0) {
		if (mask & ~as->categories) {
			rc = attest_error_set(ATTEST_EINVALID,
			                      "a category asked for is not in "
			                      "scope (see 'attest scope')");
		} else {
			attest_report_gaps(stdout, as, mask, fmt);
		}
	}
	attest_assessment_free(as);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_gaps = {
        .name = "gaps",
        .usage = "[--category C]... [--as-of DATE] [--json | --format md]",
        .summary = "gap analysis: what to fix, most urgent first",
        .description =
                "Judges every in-scope criterion and control and lists the "
                "gaps: criteria without an implemented control, failing "
                "evidence, expired exclusions, controls not started, "
                "implemented controls without evidence, controls in progress, "
                "stale evidence and exclusions about to expire. Each category "
                "gets a readiness score from 0 to 100.\n"
                "Gaps are ranked by kind in that order, then by how many "
                "in-scope criteria the fix helps, then by age, oldest first. "
                "docs/gaps.md gives the rules and the score formula.",
        .opts = gaps_opts,
        .max_pos = 0,
        .exec = gaps_exec,
};

static const struct cli_opt status_opts[] = {
        {"as-of", 0, "DATE", "Judge as of the end of DATE (default: now)."},
        {"json", 0, NULL, "Print JSON."},
        {0}};

static int
status_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_assessment *as = NULL;
	int rc;

	if ((rc = cli_assess(a, &ws, &as)) == 0) {
		if (cli_flag(a, "json"))
			cli_print_json(attest_report_status_json(as));
		else
			attest_report_status(stdout, as);
	}
	attest_assessment_free(as);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_status = {
        .name = "status",
        .usage = "[--as-of DATE] [--json]",
        .summary = "one-screen readiness summary",
        .description = "Shows the readiness score of each category in "
                       "scope, control counts by status, and the five gaps "
                       "to fix first.",
        .opts = status_opts,
        .max_pos = 0,
        .exec = status_exec,
};
