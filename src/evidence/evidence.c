/*
 * evidence_append: validates a record, stores its attachments by SHA-256
 * and hands the row to the store. It is the only writer of evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/error.h"
#include "attest/evidence.h"
#include "attest/workspace.h"
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
	rc = st->ops->evidence_insert(st, &rec, id);
out:
	free(atts);
	free(shas);
	return rc;
}
