/*
 * attest evidence add|list|show: manual evidence (uploads) and the record
 * of everything that went through evidence_append.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "attest/error.h"
#include "attest/evidence.h"
#include "attest/workspace.h"
#include "cli/cli.h"
#include "util/arena.h"
#include "util/date.h"

static const struct cli_opt add_opts[] = {
        {"control", 'c', "ID",
         "The control it is evidence for (repeatable; at "
         "least one)."},
        {"effective", 'e', "DATE",
         "When what it shows was true (default: now)."},
        {"note", 'n', "TEXT", "What it shows, for the auditor."},
        {"verdict", 0, "VERDICT",
         "manual (default), pass, fail, not_applicable, error or info."},
        {"subject", 0, "WHAT",
         "The host, system, person or asset it is about."},
        {0}};

static int
add_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	size_t nctl;
	char **controls = cli_all(a, "control", &nctl);
	const char *eff = cli_get(a, "effective");
	struct attest_evidence ev = {
	        .kind = "upload",
	        .source = getenv("USER") ? getenv("USER") : "cli",
	        .controls = (const char **)controls,
	        .ncontrols = nctl,
	        .subject = cli_get(a, "subject"),
	        .verdict = cli_get(a, "verdict") ? cli_get(a, "verdict")
	                                         : "manual",
	        .note = cli_get(a, "note"),
	};
	int64_t id = 0;
	int rc;

	if (nctl == 0)
		return cli_usage(a->cmd, "--control ID is required");
	if (!attest_evidence_verdict_valid(ev.verdict))
		return cli_fail("--verdict: '%s' is not one of pass, fail, "
		                "not_applicable, error, manual, info",
		                ev.verdict);
	ev.collected_at = attest_now();
	ev.effective_at = ev.collected_at;
	if (eff && attest_date_parse(&ev.effective_at, eff) < 0)
		return cli_fail("--effective: %s", attest_error_last());
	/* Every file must be a readable regular file before anything is
	 * stored. */
	for (size_t i = 0; i < a->npos; i++) {
		struct stat sb;
		if (stat(a->pos[i], &sb) < 0)
			return cli_fail("%s: %s", a->pos[i], strerror(errno));
		if (!S_ISREG(sb.st_mode))
			return cli_fail("%s: not a regular file", a->pos[i]);
	}
	if ((rc = cli_open(a, &ws)) == 0 &&
	    (rc = attest_workspace_begin(ws)) == 0 &&
	    (rc = attest_evidence_append(ws, &ev, (const char *const *)a->pos,
	                                 a->npos, &id)) == 0)
		rc = attest_workspace_commit(ws);
	attest_workspace_close(ws);
	if (rc < 0)
		return cli_error(rc);
	printf("evidence %lld recorded (%zu file%s), sealed in the ledger\n",
	       (long long)id, a->npos, a->npos == 1 ? "" : "s");
	return EXIT_OK;
}

const struct cli_cmd cmd_evidence_add = {
        .name = "evidence add",
        .usage = "--control ID [--control ID]... FILE... [--effective DATE] "
                 "[--note TEXT]",
        .summary = "record files as evidence for controls",
        .description =
                "Stores each FILE content-addressed by SHA-256 under "
                "attachments/ and records one evidence record for the "
                "controls named, with when attest saw it (collected_at) and "
                "when it was true (--effective). Evidence counts as current "
                "while it is younger than its control's frequency allows "
                "(docs/gaps.md). Every record is appended to the "
                "tamper-evident ledger in the same transaction "
                "(docs/ledger.md); 'evidence show' gives its ledger index.",
        .opts = add_opts,
        .min_pos = 0,
        .max_pos = 1000,
        .exec = add_exec,
};

static json_t *
evidence_json(const struct attest_evidence *e)
{
	json_t *o = json_object(), *ctl = json_array(), *att = json_array();
	char t[21];

	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "kind", json_string(e->kind));
	json_object_set_new(o, "source", json_string(e->source));
	json_object_set_new(o, "verdict", json_string(e->verdict));
	json_object_set_new(o, "subject",
	                    e->subject ? json_string(e->subject) : json_null());
	attest_time_format(t, e->collected_at);
	json_object_set_new(o, "collected_at", json_string(t));
	attest_time_format(t, e->effective_at);
	json_object_set_new(o, "effective_at", json_string(t));
	json_object_set_new(o, "note",
	                    e->note ? json_string(e->note) : json_null());
	for (size_t i = 0; i < e->ncontrols; i++)
		json_array_append_new(ctl, json_string(e->controls[i]));
	for (size_t i = 0; i < e->nattachments; i++)
		json_array_append_new(
		        att, json_pack("{s:s, s:s, s:I}", "name",
		                       e->attachments[i].name, "sha256",
		                       e->attachments[i].sha256, "size",
		                       (json_int_t)e->attachments[i].size));
	json_object_set_new(o, "controls", ctl);
	json_object_set_new(o, "attachments", att);
	if (e->payload_sha256)
		json_object_set_new(o, "payload_sha256",
		                    json_string(e->payload_sha256));
	json_object_set_new(o, "ledger_index",
	                    e->ledger_idx >= 0 ? json_integer(e->ledger_idx)
	                                       : json_null());
	json_object_set_new(o, "redacted_by",
	                    e->redacted_by >= 0 ? json_integer(e->redacted_by)
	                                        : json_null());
	return o;
}

static const struct cli_opt list_opts[] = {
        {"control", 'c', "ID", "Only evidence for this control."},
        {"limit", 'l', "N",
         "At most N records, newest first (default 50; 0: all)."},
        {"json", 0, NULL, "Print JSON."},
        {0}};

static int
list_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	struct attest_evidence_filter f = {.control = cli_get(a, "control"),
	                                   .limit = 50};
	struct attest_evidence *rows;
	const char *limit = cli_get(a, "limit");
	size_t n;
	int rc;

	if (limit) {
		char *end;
		long v = strtol(limit, &end, 10);
		if (*end || v < 0 || end == limit)
			return cli_fail("--limit: '%s' is not a count", limit);
		f.limit = (size_t)v;
	}
	if ((rc = cli_open(a, &ws)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		const struct attest_catalog *cat;
		if ((rc = attest_workspace_catalog(ws, &cat)) == 0 &&
		    f.control && !attest_catalog_control(cat, f.control))
			rc = attest_error_set(ATTEST_ENOTFOUND,
			                      "unknown control '%s'",
			                      f.control);
		if (rc == 0 && (rc = st->ops->evidence_list(st, &arena, &f,
		                                            &rows, &n)) == 0) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++) {
				char day[11];
				if (cli_flag(a, "json")) {
					json_array_append_new(
					        arr, evidence_json(&rows[i]));
					continue;
				}
				attest_date_format(day, rows[i].effective_at);
				printf("%6lld  %s  %-8s %-14s %s\n",
				       (long long)rows[i].id, day, rows[i].kind,
				       rows[i].verdict,
				       rows[i].ncontrols ? rows[i].controls[0]
				                         : "");
			}
			if (cli_flag(a, "json"))
				cli_print_json(arr);
			else
				json_decref(arr);
		}
	}
	attest_arena_free(&arena);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_evidence_list = {
        .name = "evidence list",
        .usage = "[--control ID] [--limit N] [--json]",
        .summary = "list evidence records, newest first",
        .description = "Lists evidence records by effective date, newest "
                       "first: id, effective date, kind, verdict and first "
                       "control.",
        .opts = list_opts,
        .exec = list_exec,
};

static const struct cli_opt show_opts[] = {{"json", 0, NULL, "Print JSON."},
                                           {0}};

static int
show_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	struct attest_evidence e;
	char *end;
	long long id = strtoll(a->pos[0], &end, 10);
	int rc;

	if (*end || end == a->pos[0] || id <= 0)
		return cli_fail("'%s' is not an evidence id", a->pos[0]);
	if ((rc = cli_open(a, &ws)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		if ((rc = st->ops->evidence_get(st, &arena, id, &e)) == 0) {
			if (cli_flag(a, "json")) {
				cli_print_json(evidence_json(&e));
			} else {
				char t[21];
				printf("evidence %lld (%s, %s)\n", id, e.kind,
				       e.verdict);
				attest_time_format(t, e.effective_at);
				printf("effective    %s\n", t);
				attest_time_format(t, e.collected_at);
				printf("collected    %s by %s\n", t, e.source);
				if (e.subject)
					printf("subject      %s\n", e.subject);
				printf("controls    ");
				for (size_t i = 0; i < e.ncontrols; i++)
					printf(" %s", e.controls[i]);
				printf("\n");
				if (e.note)
					printf("note         %s\n", e.note);
				if (e.ledger_idx >= 0)
					printf("ledger       entry %lld\n",
					       (long long)e.ledger_idx);
				if (e.redacted_by >= 0)
					printf("redacted     by entry %lld\n",
					       (long long)e.redacted_by);
				for (size_t i = 0; i < e.nattachments; i++)
					printf("attachment   %s  %lld bytes  "
					       "sha256:%s\n",
					       e.attachments[i].name,
					       (long long)e.attachments[i].size,
					       e.attachments[i].sha256);
			}
		}
	}
	attest_arena_free(&arena);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_evidence_show = {
        .name = "evidence show",
        .usage = "ID [--json]",
        .summary = "show one evidence record",
        .description = "Shows an evidence record with its controls, times, "
                       "note and attachments (name, size, SHA-256).",
        .opts = show_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = show_exec,
};
