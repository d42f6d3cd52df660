/*
 * attest evidence redact|hold|release: removing a payload from the ledger
 * the authorised way, and the legal hold that forbids it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "attest/error.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "cli/cli.h"

static const struct cli_opt redact_opts[] = {
        {"reason", 'r', "REASON",
         "gdpr_erasure, retention_expiry, legal_order or "
         "collection_error (required)."},
        {"request", 0, "REF",
         "A non-personal reference to the request (ticket id)."},
        {"approver", 0, "REF",
         "A non-personal reference to who approved it (role or id)."},
        {0}};

static int
redact_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	const char *reason = cli_get(a, "reason");
	uint64_t idx, by = 0;
	int rc;

	if (cli_u64(a->pos[0], &idx) < 0)
		return cli_fail("'%s' is not a ledger index", a->pos[0]);
	if (reason == NULL)
		return cli_usage(a->cmd, "--reason is required");
	if ((rc = cli_open(a, &ws)) == 0 &&
	    (rc = attest_workspace_begin(ws)) == 0) {
		rc = attest_ledger_redact(ws, idx, reason,
		                          cli_get(a, "request"),
		                          cli_get(a, "approver"), &by);
		/* A refusal is itself recorded: keep it. */
		if (rc == 0 || rc == ATTEST_EREFUSED) {
			int crc = attest_workspace_commit(ws);
			if (crc < 0)
				rc = crc;
		}
	}
	attest_workspace_close(ws);
	if (rc < 0)
		return cli_error(rc);
	printf("entry %llu redacted by entry %llu (%s)\n",
	       (unsigned long long)idx, (unsigned long long)by, reason);
	return EXIT_OK;
}

const struct cli_cmd cmd_evidence_redact = {
        .name = "evidence redact",
        .usage = "INDEX --reason REASON [--request REF] [--approver REF]",
        .summary = "erase a ledger entry's payload, leaving a signed trace",
        .description =
                "Removes the payload of ledger entry INDEX (as shown by "
                "'evidence show') and the personal fields of its evidence "
                "record, and appends a redaction entry naming the target, the "
                "reason and the references. The target's leaf and the tree "
                "are untouched, so the log still verifies and the verifier "
                "reports the entry as REDACTED rather than deleted. An entry "
                "under legal hold is refused; the refusal is logged and the "
                "command exits 1. Keep names and emails out of --request and "
                "--approver: they are permanent.",
        .opts = redact_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = redact_exec,
};

static const struct cli_opt hold_opts[] = {
        {"reason", 'r', "TEXT", "Why the entry is held (required)."}, {0}};

static int
hold_run(struct cli_args *a, const char *reason)
{
	struct attest_workspace *ws = NULL;
	uint64_t idx;
	int rc;

	if (cli_u64(a->pos[0], &idx) < 0)
		return cli_fail("'%s' is not a ledger index", a->pos[0]);
	if ((rc = cli_open(a, &ws)) == 0 &&
	    (rc = attest_workspace_begin(ws)) == 0 &&
	    (rc = attest_ledger_hold(ws, idx, reason)) == 0)
		rc = attest_workspace_commit(ws);
	attest_workspace_close(ws);
	if (rc < 0)
		return cli_error(rc);
	printf("entry %llu %s\n", (unsigned long long)idx,
	       reason ? "is under legal hold" : "released from legal hold");
	return EXIT_OK;
}

static int
hold_exec(struct cli_args *a)
{
	if (cli_get(a, "reason") == NULL)
		return cli_usage(a->cmd, "--reason is required");
	return hold_run(a, cli_get(a, "reason"));
}

static int
release_exec(struct cli_args *a)
{
	return hold_run(a, NULL);
}

const struct cli_cmd cmd_evidence_hold = {
        .name = "evidence hold",
        .usage = "INDEX --reason TEXT",
        .summary = "put a ledger entry under legal hold",
        .description = "While held, the entry's payload cannot be redacted "
                       "and retention purges keep it. Placing and releasing "
                       "a hold are logged in the audit trail.",
        .opts = hold_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = hold_exec,
};

const struct cli_cmd cmd_evidence_release = {
        .name = "evidence release",
        .usage = "INDEX",
        .summary = "release a legal hold",
        .description = "Ends the legal hold on ledger entry INDEX.",
        .min_pos = 1,
        .max_pos = 1,
        .exec = release_exec,
};
