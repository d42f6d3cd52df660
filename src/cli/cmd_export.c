/*
 * attest export bundle: the directory an auditor verifies offline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest/error.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "cli/cli.h"
#include "util/alloc.h"
#include "util/date.h"

static void
progress(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\rexporting: %llu of %llu entries",
		        (unsigned long long)done, (unsigned long long)total);
}

static const struct cli_opt bundle_opts[] = {
        {"period", 'p', "START..END",
         "Export payloads of entries logged or observed in [START, END) "
         "(required; dates or times)."},
        {"proof", 0, "INDEX",
         "Also write an inclusion proof for entry INDEX (repeatable)."},
        {0}};

static int
bundle_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	const char *period = cli_get(a, "period"), *dots;
	size_t nproofs = 0;
	char **proof_args = cli_all(a, "proof", &nproofs);
	uint64_t *proofs = xcalloc(nproofs + 1, sizeof(*proofs));
	int64_t from, to;
	char *start = NULL;
	int rc;

	if (period == NULL || (dots = strstr(period, "..")) == NULL) {
		free(proofs);
		return cli_usage(a->cmd, "--period START..END is required");
	}
	start = xstrndup(period, (size_t)(dots - period));
	rc = attest_date_parse(&from, start) < 0 ||
	     attest_date_parse(&to, dots + 2) < 0;
	free(start);
	if (rc) {
		free(proofs);
		return cli_fail("--period: %s", attest_error_last());
	}
	if (strlen(dots + 2) == 10)
		to += ATTEST_DAY; /* an end date includes its day */
	for (size_t i = 0; i < nproofs; i++) {
		if (cli_u64(proof_args[i], &proofs[i]) < 0) {
			free(proofs);
			return cli_fail("--proof: '%s' is not a ledger index",
			                proof_args[i]);
		}
	}
	if ((rc = cli_open(a, &ws)) == 0)
		rc = attest_ledger_export_bundle(ws, a->pos[0], from, to,
		                                 proofs, nproofs, progress,
		                                 NULL);
	attest_workspace_close(ws);
	free(proofs);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "\n");
	if (rc < 0)
		return cli_error(rc);
	/* Never suggest the bundle's own log.vkey: whoever rewrites the
	   bundle rewrites that too. */
	printf("wrote %s; the auditor verifies it with 'attest verify %s "
	       "--log-key KEY', KEY being what 'attest ledger key' printed "
	       "and you sent them\n",
	       a->pos[0], a->pos[0]);
	return EXIT_OK;
}

const struct cli_cmd cmd_export_bundle = {
        .name = "export bundle",
        .usage = "--period START..END [--proof INDEX]... OUT",
        .summary = "write an auditor bundle of the ledger",
        .description =
                "Writes the directory OUT for an auditor: the whole tree as "
                "C2SP tlog-tiles, every leaf, the payloads of entries logged "
                "or observed in the period, every checkpoint, optional "
                "inclusion proofs, the verifier keys, and a MANIFEST with "
                "the SHA-256 of every file, signed by the ledger key. The "
                "auditor checks it with 'attest verify OUT --log-key KEY' "
                "using the key you gave them, not the copy inside the "
                "bundle. The layout is in docs/ledger-format.md.",
        .opts = bundle_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = bundle_exec,
};
