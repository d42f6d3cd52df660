/*
 * attest ledger key|status|checkpoint|verify|prove|consistency|
 * export-checkpoint|purge: the operator's side of the evidence ledger.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/error.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "cli/cli.h"
#include "tlog/check.h"
#include "tlog/leaf.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/fs.h"

/* Writes text to -o FILE (atomically) or stdout. */
static int
emit(const struct cli_args *a, const char *text, size_t len)
{
	const char *out = cli_get(a, "output");
	int rc;

	if (out == NULL) {
		fwrite(text, 1, len, stdout);
		return EXIT_OK;
	}
	if ((rc = attest_write_file_atomic(out, text, len)) < 0)
		return cli_error(rc);
	fprintf(stderr, "wrote %s\n", out);
	return EXIT_OK;
}

/* Runs one write command in a transaction. */
static int
in_tx(const struct cli_args *a, struct attest_workspace **ws)
{
	int rc;

	if ((rc = cli_open(a, ws)) < 0)
		return rc;
	return attest_workspace_begin(*ws);
}

/* ---- key -------------------------------------------------------------------
 */

static const struct cli_opt key_opts[] = {
        {"rotate", 0, NULL, "Replace the key (logged as a key event)."},
        {"origin", 0, "NAME",
         "When creating: the log's name in checkpoints (default "
         "attest.local/<organization>)."},
        {"json", 0, NULL, "Print JSON."},
        {0}};

static int
key_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	char *vkey = NULL, *history = NULL, *path = NULL;
	const char *action = "current";
	int rc;

	if ((rc = cli_open(a, &ws)) < 0)
		goto done;
	path = attest_path_join(attest_workspace_dir(ws), ATTEST_LEDGER_KEY);
	/* The origin names the log for good: it is only chosen at creation. */
	if (cli_get(a, "origin") && attest_exists(path)) {
		rc = attest_error_set(
		        ATTEST_EEXISTS,
		        "the workspace already has a ledger key; "
		        "--origin only applies when creating one");
		goto done;
	}
	if (cli_flag(a, "rotate") || !attest_exists(path)) {
		if ((rc = attest_workspace_begin(ws)) < 0)
			goto done;
		if (cli_flag(a, "rotate")) {
			action = "rotated";
			rc = attest_ledger_key_rotate(ws, &vkey);
		} else {
			action = "created";
			rc = attest_ledger_key_create(ws, cli_get(a, "origin"),
			                              &vkey);
		}
		if (rc == 0)
			rc = attest_workspace_commit(ws);
		free(vkey);
		vkey = NULL;
		if (rc < 0)
			goto done;
	}
	rc = attest_ledger_vkey(ws, &vkey, &history);
done:
	attest_workspace_close(ws);
	free(path);
	if (rc < 0)
		return cli_error(rc);
	if (cli_flag(a, "json")) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "action", action,
		                      "vkey", vkey, "history", history);
		rc = cli_print_json(o);
	} else {
		if (strcmp(action, "current") != 0)
			fprintf(stderr,
			        "ledger key %s; give this verifier key to "
			        "your auditor:\n",
			        action);
		printf("%s\n", vkey);
		rc = EXIT_OK;
	}
	free(vkey);
	free(history);
	return rc;
}

const struct cli_cmd cmd_ledger_key = {
        .name = "ledger key",
        .usage = "[--rotate] [--origin NAME] [--json]",
        .summary = "create, show or rotate the ledger's signing key",
        .description =
                "The ledger signs its checkpoints with an Ed25519 key kept "
                "in ledger.key in the workspace (mode 0600). 'attest init' "
                "creates it; without a key this command creates one. It "
                "prints the verifier key: hand it to your auditor out of "
                "band and print it in the system description. --rotate "
                "replaces the key: the rotation is a key_event entry, and "
                "the checkpoint covering it carries both signatures, so a "
                "verifier holding either key follows the chain.",
        .opts = key_opts,
        .max_pos = 0,
        .exec = key_exec,
};

/* ---- status
 * ------------------------------------------------------------------ */

static const struct cli_opt json_opt[] = {{"json", 0, NULL, "Print JSON."},
                                          {0}};

static void
print_ms(const char *label, int64_t ms)
{
	char t[21];

	if (ms <= 0)
		return;
	attest_time_format(t, ms / 1000);
	printf("%-16s %s\n", label, t);
}

static int
status_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	struct attest_ledger_status s;
	int rc;

	if ((rc = cli_open(a, &ws)) == 0)
		rc = attest_ledger_status(ws, &arena, &s);
	attest_workspace_close(ws);
	if (rc < 0) {
		attest_arena_free(&arena);
		return cli_error(rc);
	}
	if (cli_flag(a, "json")) {
		json_t *o = json_object(), *kinds = json_object();
		for (unsigned k = 1; k < 8; k++)
			if (tlog_kind_name(k))
				json_object_set_new(
				        kinds, tlog_kind_name(k),
				        json_integer((json_int_t)s.by_kind[k]));
		json_object_set_new(o, "origin",
		                    s.origin ? json_string(s.origin)
		                             : json_null());
		json_object_set_new(o, "vkey",
		                    s.vkey ? json_string(s.vkey) : json_null());
		json_object_set_new(o, "size",
		                    json_integer((json_int_t)s.size));
		json_object_set_new(
		        o, "checkpoint_size",
		        json_integer((json_int_t)s.checkpoint_size));
		json_object_set_new(o, "checkpoints",
		                    json_integer((json_int_t)s.checkpoints));
		json_object_set_new(o, "redacted",
		                    json_integer((json_int_t)s.redacted));
		json_object_set_new(o, "anchored_size",
		                    json_integer((json_int_t)s.anchored_size));
		json_object_set_new(o, "entries", kinds);
		json_object_set_new(o, "checkpoint",
		                    s.checkpoint ? json_string(s.checkpoint)
		                                 : json_null());
		attest_arena_free(&arena);
		return cli_print_json(o);
	}
	printf("%-16s %s\n", "log", s.origin ? s.origin : "(no key yet)");
	printf("%-16s %s\n", "verifier key", s.vkey ? s.vkey : "(none)");
	printf("%-16s %llu (", "entries", (unsigned long long)s.size);
	for (unsigned k = 1, first = 1; k < 8; k++)
		if (s.by_kind[k]) {
			printf("%s%llu %s", first ? "" : ", ",
			       (unsigned long long)s.by_kind[k],
			       tlog_kind_name(k));
			first = 0;
		}
	printf(")\n");
	printf("%-16s %llu, the latest at size %llu\n", "checkpoints",
	       (unsigned long long)s.checkpoints,
	       (unsigned long long)s.checkpoint_size);
	print_ms("first logged", s.first_logged_ms);
	print_ms("last logged", s.last_logged_ms);
	printf("%-16s %llu\n", "redacted", (unsigned long long)s.redacted);
	if (s.anchored_size) {
		char t[21];
		attest_time_format(t, s.anchored_at);
		printf("%-16s size %llu, sent %s; %llu entries after it\n",
		       "anchored", (unsigned long long)s.anchored_size, t,
		       (unsigned long long)(s.size - s.anchored_size));
	} else {
		printf("%-16s never: send a checkpoint to your auditor with "
		       "'attest ledger export-checkpoint'\n",
		       "anchored");
	}
	attest_arena_free(&arena);
	return EXIT_OK;
}

const struct cli_cmd cmd_ledger_status = {
        .name = "ledger status",
        .usage = "[--json]",
        .summary = "describe the evidence ledger",
        .description =
                "Loads the ledger, checks the stored tree against the last "
                "signed checkpoint (as every write does before appending), "
                "and prints its size, entries by kind, checkpoints, "
                "redactions and how much of it an auditor already holds.",
        .opts = json_opt,
        .max_pos = 0,
        .exec = status_exec,
};

/* ---- checkpoint --------------------------------------------------------- */

static const struct cli_opt checkpoint_opts[] = {
        {"size", 's', "N",
         "The stored checkpoint of size N (default: the "
         "latest)."},
        {"output", 'o', "FILE", "Write it to FILE."},
        {0}};

static int
checkpoint_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	const char *note = NULL;
	uint64_t size = 0;
	int rc;

	if (cli_get(a, "size") && cli_u64(cli_get(a, "size"), &size) < 0)
		return cli_fail("--size: '%s' is not a size",
		                cli_get(a, "size"));
	if ((rc = cli_open(a, &ws)) == 0)
		rc = attest_ledger_checkpoint(ws, &arena, size, &note);
	attest_workspace_close(ws);
	rc = rc < 0 ? cli_error(rc) : emit(a, note, strlen(note));
	attest_arena_free(&arena);
	return rc;
}

const struct cli_cmd cmd_ledger_checkpoint = {
        .name = "ledger checkpoint",
        .usage = "[--size N] [-o FILE]",
        .summary = "print a signed checkpoint",
        .description =
                "Prints the latest signed checkpoint (C2SP signed note: "
                "origin, size, root hash, Ed25519 signature), or the stored "
                "one of size N. It does not record a hand-over; use "
                "'export-checkpoint' for what you send to an auditor.",
        .opts = checkpoint_opts,
        .max_pos = 0,
        .exec = checkpoint_exec,
};

/* ---- verify -------------------------------------------------------------- */

static const struct cli_opt lverify_opts[] = {
        {"log-key", 'k', "KEY",
         "Trust this verifier key (or file) instead of the workspace's "
         "key history (repeatable)."},
        {"trusted", 't', "FILE[@DATE]",
         "A checkpoint held outside the workspace, with the date it was "
         "received (repeatable)."},
        {"json", 0, NULL, "Print the report as JSON."},
        {0}};

static int
lverify_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct cli_check c;
	struct tlog_check_report r;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = cli_check_opts(a, &c)) == 0 && (rc = cli_open(a, &ws)) == 0)
		rc = attest_ledger_verify(ws, &c.opts, &r);
	attest_workspace_close(ws);
	cli_check_free(&c);
	rc = rc < 0 ? cli_error(rc) : cli_print_report(a, &r, rc);
	tlog_check_report_free(&r);
	return rc;
}

const struct cli_cmd cmd_ledger_verify = {
        .name = "ledger verify",
        .usage = "[--log-key KEY]... [--trusted FILE[@DATE]]... [--json]",
        .summary = "recompute and check the whole ledger",
        .description =
                "Recomputes the Merkle tree from the database and checks "
                "every leaf (its index, its place, its time), every payload "
                "commitment, every redaction, every stored checkpoint's root "
                "and signature, the stored tiles, and that every evidence "
                "record is the payload of its ledger entry. Each finding "
                "names the entry index and what is wrong "
                "(docs/ledger-format.md lists the codes). Exit status: 0 "
                "verified, 1 tamper evidence, 3 verified with warnings "
                "(redactions, entries no auditor holds a checkpoint for).",
        .opts = lverify_opts,
        .max_pos = 0,
        .exec = lverify_exec,
};

/* ---- proofs ----------------------------------------------------------------
 */

static const struct cli_opt prove_opts[] = {
        {"size", 's', "N",
         "Prove against the stored checkpoint of size N (default: the "
         "latest)."},
        {"output", 'o', "FILE", "Write the proof to FILE."},
        {0}};

static int
prove_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_buf out = ATTEST_BUF_INIT;
	uint64_t idx, size = 0;
	int rc;

	if (cli_u64(a->pos[0], &idx) < 0)
		return cli_fail("'%s' is not a ledger index", a->pos[0]);
	if (cli_get(a, "size") && cli_u64(cli_get(a, "size"), &size) < 0)
		return cli_fail("--size: '%s' is not a size",
		                cli_get(a, "size"));
	if ((rc = cli_open(a, &ws)) == 0)
		rc = attest_ledger_prove(ws, idx, size, &out);
	attest_workspace_close(ws);
	rc = rc < 0 ? cli_error(rc) : emit(a, out.ptr, out.len);
	attest_buf_free(&out);
	return rc;
}

const struct cli_cmd cmd_ledger_prove = {
        .name = "ledger prove",
        .usage = "INDEX [--size N] [-o FILE]",
        .summary = "write an inclusion proof for one entry",
        .description =
                "Writes a C2SP tlog-proof that entry INDEX is in the tree "
                "of the signed checkpoint: the RFC 6962 audit path, the "
                "checkpoint, and the entry's leaf in the 'extra' line. "
                "'attest verify PROOF --log-key KEY' checks it offline.",
        .opts = prove_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = prove_exec,
};

static const struct cli_opt consistency_opts[] = {
        {"output", 'o', "FILE", "Write the proof to FILE."}, {0}};

static int
consistency_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_buf out = ATTEST_BUF_INIT;
	uint64_t old_size, new_size;
	int rc;

	if (cli_u64(a->pos[0], &old_size) < 0 ||
	    cli_u64(a->pos[1], &new_size) < 0)
		return cli_usage(a->cmd, "OLD and NEW are checkpoint sizes");
	if ((rc = cli_open(a, &ws)) == 0)
		rc = attest_ledger_consistency(ws, old_size, new_size, &out);
	attest_workspace_close(ws);
	rc = rc < 0 ? cli_error(rc) : emit(a, out.ptr, out.len);
	attest_buf_free(&out);
	return rc;
}

const struct cli_cmd cmd_ledger_consistency = {
        .name = "ledger consistency",
        .usage = "OLD NEW [-o FILE]",
        .summary = "prove that one checkpoint extends another",
        .description =
                "Writes an RFC 6962 consistency proof between the stored "
                "checkpoints of sizes OLD and NEW: the log of size NEW "
                "contains the log of size OLD unchanged. Check it with "
                "'attest verify PROOF --log-key KEY --old OLD.cp --new "
                "NEW.cp'.",
        .opts = consistency_opts,
        .min_pos = 2,
        .max_pos = 2,
        .exec = consistency_exec,
};

/* ---- anchoring and retention ------------------------------------------- */

static const struct cli_opt export_cp_opts[] = {
        {"output", 'o', "FILE", "Write the checkpoint to FILE."}, {0}};

static int
export_cp_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	char *note = NULL;
	int rc;

	if ((rc = in_tx(a, &ws)) == 0 &&
	    (rc = attest_ledger_export_checkpoint(ws, &note)) == 0)
		rc = attest_workspace_commit(ws);
	attest_workspace_close(ws);
	rc = rc < 0 ? cli_error(rc) : emit(a, note, strlen(note));
	free(note);
	return rc;
}

const struct cli_cmd cmd_ledger_export_checkpoint = {
        .name = "ledger export-checkpoint",
        .usage = "[-o FILE]",
        .summary = "hand the current checkpoint to an auditor",
        .description =
                "Signs a checkpoint over everything logged so far and "
                "prints it, recording the hand-over as an anchor_receipt "
                "entry. Send it to your auditor (and your security officer) "
                "at engagement start and then weekly: a checkpoint held "
                "outside the company is what makes cutting or rewriting the "
                "log detectable, and the date it was received bounds when "
                "each entry was logged ('attest verify --trusted "
                "FILE@DATE').",
        .opts = export_cp_opts,
        .max_pos = 0,
        .exec = export_cp_exec,
};

static const struct cli_opt purge_opts[] = {
        {"before", 'b', "DATE",
         "Clear payloads of entries logged before DATE (required)."},
        {"policy", 'p', "ID", "The retention policy applied (required)."},
        {"json", 0, NULL, "Print JSON."},
        {0}};

static int
purge_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	const char *before = cli_get(a, "before"),
	           *policy = cli_get(a, "policy");
	uint64_t at = 0, cleared = 0, kept = 0;
	int64_t cutoff;
	int rc;

	if (before == NULL || policy == NULL)
		return cli_usage(a->cmd, "--before and --policy are required");
	if (attest_date_parse(&cutoff, before) < 0)
		return cli_fail("--before: %s", attest_error_last());
	if ((rc = in_tx(a, &ws)) == 0 &&
	    (rc = attest_ledger_purge(ws, cutoff, policy, &at, &cleared,
	                              &kept)) == 0)
		rc = attest_workspace_commit(ws);
	attest_workspace_close(ws);
	if (rc < 0)
		return cli_error(rc);
	if (cli_flag(a, "json"))
		return cli_print_json(json_pack(
		        "{s:I, s:I, s:o}", "cleared", (json_int_t)cleared,
		        "kept_on_hold", (json_int_t)kept, "purge_entry",
		        cleared ? json_integer((json_int_t)at) : json_null()));
	if (cleared)
		printf("cleared %llu payloads (entry %llu records the purge); "
		       "%llu kept under legal hold\n",
		       (unsigned long long)cleared, (unsigned long long)at,
		       (unsigned long long)kept);
	else
		printf("nothing to purge (%llu kept under legal hold)\n",
		       (unsigned long long)kept);
	return EXIT_OK;
}

const struct cli_cmd cmd_ledger_purge = {
        .name = "ledger purge",
        .usage = "--before DATE --policy ID [--json]",
        .summary = "apply a retention policy to old payloads",
        .description =
                "Clears the payloads (and personal fields of evidence "
                "records) of every entry logged before DATE, except entries "
                "under legal hold, and appends one retention_purge entry "
                "naming the range, the cutoff and the policy. Leaves and the "
                "tree stay, so the log still verifies. WAL files and "
                "backups keep the bytes until they rotate: cover them in "
                "the same policy.",
        .opts = purge_opts,
        .max_pos = 0,
        .exec = purge_exec,
};
