/*
 * attest init: create a workspace, or the demo workspace.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/catalog.h"
#include "attest/demo.h"
#include "attest/error.h"
#include "attest/workspace.h"
#include "cli/cli.h"
#include "util/date.h"

static const struct cli_opt opts[] = {
        {"org", 'o', "NAME",
         "The organisation's name (required unless --demo)."},
        {"categories", 0, "LIST",
         "Comma-separated Trust Services Categories in scope: security, "
         "availability, confidentiality, processing-integrity, privacy. "
         "Security is always in scope. Default: security."},
        {"demo", 0, NULL,
         "Create the demo company instead: scope, systems, control statuses "
         "and a year of evidence, the same for the same --as-of."},
        {"as-of", 0, "DATE",
         "With --demo: the date the demo is built as of (default today)."},
        {0}};

static int
exec(struct cli_args *a)
{
	const char *dir = a->npos ? a->pos[0] : ".";
	const char *org = cli_get(a, "org");
	const char *cats = cli_get(a, "categories");
	unsigned mask = 1u;
	int64_t as_of;
	int rc;

	if (cli_flag(a, "demo")) {
		if (org || cats)
			return cli_usage(a->cmd, "--demo takes no --org or "
			                         "--categories");
		if ((rc = cli_as_of(a, &as_of)) < 0)
			return cli_error(rc);
		if ((rc = attest_demo_create(dir, as_of)) < 0)
			return cli_error(rc);
		printf("Created the demo workspace in %s\n", dir);
		return EXIT_OK;
	}
	if (cli_get(a, "as-of"))
		return cli_usage(a->cmd, "--as-of needs --demo");
	if (org == NULL || *org == '\0')
		return cli_usage(a->cmd, "--org NAME is required");
	if (cats) {
		size_t n;
		char **list = cli_split(cats, &n);
		for (size_t i = 0; i < n; i++) {
			enum attest_category c;
			if ((rc = attest_category_parse(&c, list[i])) < 0) {
				cli_free_list(list);
				return cli_error(rc);
			}
			mask |= 1u << c;
		}
		cli_free_list(list);
	}
	if ((rc = attest_workspace_init(dir, org, mask, attest_now())) < 0)
		return cli_error(rc);
	printf("Initialised an attest workspace for %s in %s\n", org, dir);
	return EXIT_OK;
}

const struct cli_cmd cmd_init = {
        .name = "init",
        .usage = "[DIR] --org NAME [--categories LIST] | --demo DIR "
                 "[--as-of DATE]",
        .summary = "create a workspace (or the demo company)",
        .description =
                "Creates an attest workspace in DIR (default: the current "
                "directory): attest.db, a SQLite database in WAL mode whose "
                "schema is migrated on open, and attachments/ for evidence "
                "files. Company catalog files may be added under content/.\n"
                "A directory that already holds a workspace is refused and "
                "left as it was.",
        .opts = opts,
        .min_pos = 0,
        .max_pos = 1,
        .exec = exec,
};
