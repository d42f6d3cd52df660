/*
 * attest catalog check: load the catalog as the workspace sees it and
 * report its integrity and coverage.
 */
#include <jansson.h>

#include "attest/catalog.h"
#include "attest/workspace.h"
#include "cli/cli.h"
#include "util/buf.h"

static const struct cli_opt opts[] = {
        {"builtin", 'b', NULL,
         "Check the built-in catalog only (no workspace)."},
        {"json", 0, NULL, "Print JSON."},
        {0}};

static int
exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_catalog *own = NULL;
	const struct attest_catalog *cat;
	struct attest_buf report = ATTEST_BUF_INIT;
	size_t problems;
	int rc;

	if (cli_flag(a, "builtin")) {
		own = attest_catalog_new();
		if ((rc = attest_catalog_load_builtin(own)) == 0)
			rc = attest_catalog_finish(own);
		cat = own;
	} else if ((rc = cli_open(a, &ws)) == 0) {
		rc = attest_workspace_catalog(ws, &cat);
	}
	if (rc < 0) {
		attest_catalog_free(own);
		attest_workspace_close(ws);
		return cli_error(rc);
	}
	problems = attest_catalog_coverage(cat, &report);
	if (cli_flag(a, "json"))
		cli_print_json(json_pack("{s:I, s:I, s:I, s:I, s:s}",
		                         "criteria", (json_int_t)cat->ncriteria,
		                         "points_of_focus",
		                         (json_int_t)cat->npoints, "controls",
		                         (json_int_t)cat->ncontrols, "problems",
		                         (json_int_t)problems, "report",
		                         attest_buf_cstr(&report)));
	else
		printf("%s%zu criteria, %zu points of focus, %zu controls; %zu "
		       "coverage problem%s\n",
		       attest_buf_cstr(&report), cat->ncriteria, cat->npoints,
		       cat->ncontrols, problems, problems == 1 ? "" : "s");
	attest_buf_free(&report);
	attest_catalog_free(own);
	attest_workspace_close(ws);
	return problems ? EXIT_ERR : EXIT_OK;
}

const struct cli_cmd cmd_catalog_check = {
        .name = "catalog check",
        .usage = "[--builtin] [--json]",
        .summary = "check the catalog's integrity and coverage",
        .description = "Loads the built-in catalog, the workspace's content/ "
                       "files and its own controls, resolves every id, and "
                       "reports any criterion no control supports and any "
                       "point of focus no control addresses. Exit status 1 "
                       "when there is a problem.",
        .opts = opts,
        .exec = exec,
};
