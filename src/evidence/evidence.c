/*
 * evidence_append: validates a record, stores its attachments by SHA-256
 * and hands the row to the store. It is the only writer of evidence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/error.h"
#include "attest/evidence.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "tlog/leaf.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/alloc.h"
#include "util/fs.h"
#include "util/hash.h"

static const char *const verdicts[] = {
        "pass", "fail", "not_applicable", "error", "manual", "info", NULL};
static const char *const kinds[] = {"upload",      "check",    "import",
                                    "attestation", "register", "population",
                                    NULL};

static int
member(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

int
attest_evidence_verdict_valid(const char *verdict)
{
	return member(verdict, verdicts);
}

/* Copies one file into the attachment store unless it is already there. */
static int
store_attachment(struct attest_workspace *ws, const char *file,
                 struct attest_attachment *at, char sha[ATTEST_SHA256_HEX])
{
	size_t size;
	char *path, *dir, *slash;
	int rc;

	if ((rc = attest_sha256_file(sha, &size, file)) < 0)
		return rc;
	at->sha256 = sha;
	at->size = (int64_t)size;
	slash = strrchr(file, '/');
	at->name = slash ? slash + 1 : file;
	path = attest_workspace_attachment_path(ws, sha);
	if (attest_exists(path)) {
		free(path);
		return 0;
	}
	dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	if (!attest_exists(dir)) {
		if ((rc = attest_mkdir_p(dir)) < 0)
			goto out;
		attest_workspace_track_new_file(ws, dir);
	}
	if ((rc = attest_copy_file_atomic(path, file)) == 0)
		attest_workspace_track_new_file(ws, path);
out:
	free(dir);
	free(path);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_attachment(const void *a, const void *b)
{
	const struct attest_attachment *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->sha256, y->sha256);
}

static void
set_time(json_t *o, const char *key, int64_t t)
{
	char s[21];

	attest_time_format(s, t);
	json_object_set_new(o, key, json_string(s));
}

char *
attest_evidence_canonical(const struct attest_evidence *ev)
{
	json_t *o = json_object(), *arr;
	const char **controls = xcalloc(ev->ncontrols + 1, sizeof(*controls));
	struct attest_attachment *atts =
	        xcalloc(ev->nattachments + 1, sizeof(*atts));
	char *out;

	json_object_set_new(o, "kind", json_string(ev->kind));
	json_object_set_new(o, "source", json_string(ev->source));
	json_object_set_new(o, "verdict", json_string(ev->verdict));
	set_time(o, "collected_at", ev->collected_at);
	set_time(o, "effective_at", ev->effective_at);
	if (ev->subject)
		json_object_set_new(o, "subject", json_string(ev->subject));
	if (ev->note)
		json_object_set_new(o, "note", json_string(ev->note));
	if (ev->payload)
		json_object_set_new(o, "payload", json_string(ev->payload));
	memcpy(controls, ev->controls, ev->ncontrols * sizeof(*controls));
	qsort(controls, ev->ncontrols, sizeof(*controls), cmp_str);
	arr = json_array();
	for (size_t i = 0; i < ev->ncontrols; i++)
		json_array_append_new(arr, json_string(controls[i]));
	json_object_set_new(o, "controls", arr);
	if (ev->nattachments) {
		memcpy(atts, ev->attachments, ev->nattachments * sizeof(*atts));
		qsort(atts, ev->nattachments, sizeof(*atts), cmp_attachment);
		arr = json_array();
		for (size_t i = 0; i < ev->nattachments; i++)
			json_array_append_new(
			        arr, json_pack("{s:s, s:s, s:I}", "name",
			                       atts[i].name, "sha256",
			                       atts[i].sha256, "size",
			                       (json_int_t)atts[i].size));
		json_object_set_new(o, "attachments", arr);
	}
	/* Sorted keys, no whitespace: the same record gives the same bytes.
	   Close to RFC 8785 but not it: jansson writes control characters
	   as upper-case \u escapes. Verification never re-serialises, so
	   only stability matters. */
	out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	free(controls);
	free(atts);
	return out;
}

/* The leaf's control list: sorted ids joined by commas. */
static char *
control_list(const struct attest_evidence *ev)
{
	const char **c = xcalloc(ev->ncontrols + 1, sizeof(*c));
	struct attest_buf b = ATTEST_BUF_INIT;

	memcpy(c, ev->controls, ev->ncontrols * sizeof(*c));
	qsort(c, ev->ncontrols, sizeof(*c), cmp_str);
	for (size_t i = 0; i < ev->ncontrols; i++) {
		if (i && strcmp(c[i], c[i - 1]) == 0)
			continue;
		if (b.len)
			attest_buf_putc(&b, ',');
		attest_buf_puts(&b, c[i]);
	}
	free(c);
	return attest_buf_detach(&b);
}

int
attest_evidence_append(struct attest_workspace *ws,
                       const struct attest_evidence *ev,
                       const char *const *files, size_t nfiles, int64_t *id)
{
	struct attest_store *st = attest_workspace_store(ws);
	const struct attest_catalog *cat;
	struct attest_evidence rec = *ev;
	struct attest_attachment *atts = NULL;
	char(*shas)[ATTEST_SHA256_HEX] = NULL;
	char payload_sha[ATTEST_SHA256_HEX];
	int rc;

	if ((rc = attest_workspace_catalog(ws, &cat)) < 0)
		return rc;
	if (!member(ev->kind, kinds))
		return attest_error_set(ATTEST_EINVALID,
		                        "evidence: unknown kind '%s'",
		                        ev->kind ? ev->kind : "");
	if (!member(ev->verdict, verdicts))
		return attest_error_set(ATTEST_EINVALID,
		                        "evidence: unknown verdict '%s' "
		                        "(expected pass, fail, not_applicable, "
		                        "error, manual or info)",
		                        ev->verdict ? ev->verdict : "");
	if (ev->ncontrols == 0)
		return attest_error_set(ATTEST_EINVALID,
		                        "evidence: names no control");
	for (size_t i = 0; i < ev->ncontrols; i++)
		if (!attest_catalog_control(cat, ev->controls[i]))
			return attest_error_set(ATTEST_ENOTFOUND,
			                        "unknown control '%s'",
			                        ev->controls[i]);
	if (ev->payload) {
		attest_sha256_hex(payload_sha, ev->payload,
		                  strlen(ev->payload));
		rec.payload_sha256 = payload_sha;
	}
	if (nfiles) {
		atts = xcalloc(nfiles, sizeof(*atts));
		shas = xcalloc(nfiles, sizeof(*shas));
		for (size_t i = 0; i < nfiles; i++)
			if ((rc = store_attachment(ws, files[i], &atts[i],
			                           shas[i])) < 0)
				goto out;
		rec.attachments = atts;
		rec.nattachments = nfiles;
	}
	{
		/* The ledger entry first: the row records its index, and
		   verification checks the row against the logged bytes. */
		struct attest_ledger_entry e = {0};
		char *json = attest_evidence_canonical(&rec);
		char *controls = control_list(&rec), source[64];
		uint64_t idx;

		snprintf(source, sizeof(source), "attest.evidence/%s",
		         rec.kind);
		e.kind = TLOG_EVIDENCE;
		e.source = source;
		e.controls = controls;
		e.observed_at_ms = rec.effective_at * 1000;
		e.media_type = "application/json";
		e.payload = json;
		e.payload_len = strlen(json);
		rc = attest_ledger_append(ws, &e, &idx);
		free(json);
		free(controls);
		if (rc < 0)
			goto out;
		rec.ledger_idx = (int64_t)idx;
	}
	rc = st->ops->evidence_insert(st, &rec, id);
out:
	free(atts);
	free(shas);
	return rc;
}
