/*
 * attest verify: the auditor's side. Checks an exported bundle, an
 * inclusion proof or a consistency proof offline, with nothing but the
 * log's public key; no workspace is opened. Also the options and report
 * printing that 'attest ledger verify' shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/error.h"
#include "cli/cli.h"
#include "tlog/bundle.h"
#include "tlog/check.h"
#include "tlog/leaf.h"
#include "tlog/note.h"
#include "tlog/proof.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/fs.h"

#define EXIT_WARN 3

/* A key given as a file holding it, or as the key string itself. */
static int
load_key(struct tlog_verifier *v, const char *arg)
{
	char *text = NULL;
	size_t len;
	int rc;

	if (attest_exists(arg)) {
		if ((rc = attest_read_file(&text, &len, arg, 65536)) < 0)
			return rc;
		/* The first line that parses: a log.vkey file may hold the
		   history, oldest first; any of them anchors the chain. */
		rc = -1;
		for (char *line = text, *nl; line && *line; line = nl) {
			nl = strchr(line, '\n');
			if (nl)
				*nl++ = '\0';
			if (*line && (rc = tlog_verifier_parse(v, line)) == 0)
				break;
		}
		free(text);
		if (rc < 0)
			return attest_error_set(ATTEST_EINVALID,
			                        "%s: no verifier key in it",
			                        arg);
		return 0;
	}
	if (tlog_verifier_parse(v, arg) < 0)
		return attest_error_set(ATTEST_EINVALID,
		                        "--log-key: '%s' is neither a file nor "
		                        "a verifier key (%s)",
		                        arg, attest_error_last());
	return 0;
}

int
cli_check_opts(const struct cli_args *a, struct cli_check *c)
{
	size_t nk, nt;
	char **keys = cli_all(a, "log-key", &nk);
	char **trusted = cli_all(a, "trusted", &nt);
	int rc;

	memset(c, 0, sizeof(*c));
	c->keys = xcalloc(nk + 1, sizeof(*c->keys));
	c->trusted = xcalloc(nt + 1, sizeof(*c->trusted));
	c->notes = xcalloc(nt + 1, sizeof(*c->notes));
	for (size_t i = 0; i < nk; i++) {
		if ((rc = load_key(&c->keys[c->nkeys], keys[i])) < 0)
			return rc;
		c->nkeys++;
	}
	for (size_t i = 0; i < nt; i++) {
		/* FILE@TIME: the time the auditor received it. */
		char *path = xstrdup(trusted[i]), *at = strrchr(path, '@');
		struct tlog_trusted *t = &c->trusted[c->ntrusted];
		int64_t when = -1;
		size_t len;

		if (at && !attest_exists(path)) {
			*at++ = '\0';
			if (attest_date_parse(&when, at) < 0) {
				rc = attest_error_set(
				        ATTEST_EUSAGE,
				        "--trusted %s: '%s' is not a date "
				        "(FILE@YYYY-MM-DD[THH:MMZ])",
				        trusted[i], at);
				free(path);
				return rc;
			}
			when *= 1000;
		}
		if ((rc = attest_read_file(&c->notes[c->ntrusted], &len, path,
		                           TLOG_NOTE_MAX)) < 0) {
			free(path);
			return rc;
		}
		t->name = c->notes[c->ntrusted] ? trusted[i] : "";
		t->note = c->notes[c->ntrusted];
		t->note_len = len;
		t->received_ms = when;
		c->ntrusted++;
		free(path);
	}
	c->opts.keys = c->keys;
	c->opts.nkeys = c->nkeys;
	c->opts.trusted = c->trusted;
	c->opts.ntrusted = c->ntrusted;
	c->opts.skew_ms = 5 * 60 * 1000;
	c->opts.late_ms = 24 * 3600 * 1000;
	c->opts.now_ms = attest_now() * 1000;
	return 0;
}

void
cli_check_free(struct cli_check *c)
{
	for (size_t i = 0; i < c->nkeys; i++)
		tlog_verifier_free(&c->keys[i]);
	for (size_t i = 0; i < c->ntrusted; i++)
		free(c->notes[i]);
	free(c->keys);
	free(c->trusted);
	free(c->notes);
}

int
cli_print_report(const struct cli_args *a, const struct tlog_check_report *r,
                 int status)
{
	static const char *const sev[] = {"info", "warning", "TAMPER"};

	if (cli_flag(a, "json")) {
		cli_print_json(tlog_check_report_json(r));
		return status;
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct tlog_finding *f = &r->findings[i];
		if (f->has_index)
			printf("%-7s %-22s @%-8llu %s\n", sev[f->severity],
			       f->code, (unsigned long long)f->index,
			       f->message);
		else
			printf("%-7s %-22s %-9s %s\n", sev[f->severity],
			       f->code, "", f->message);
	}
	printf("%s: %llu entries, %llu checkpoints, %llu payloads checked, "
	       "%llu redacted, %llu not exported; anchored up to %llu\n",
	       status == 0           ? "verified"
	       : status == EXIT_WARN ? "verified with warnings"
	                             : "TAMPER EVIDENCE",
	       (unsigned long long)r->size, (unsigned long long)r->checkpoints,
	       (unsigned long long)r->payloads, (unsigned long long)r->redacted,
	       (unsigned long long)r->omitted,
	       (unsigned long long)r->anchored_size);
	return status;
}

/* A tlog-proof whose extra field carries the leaf (as 'ledger prove'
   writes them). */
static int
verify_inclusion(const struct cli_check *c, const char *path, const char *text,
                 size_t len)
{
	struct tlog_proof p;
	struct tlog_note n;
	struct tlog_checkpoint cp;
	struct tlog_leaf leaf;
	tlog_hash lh;
	int rc = EXIT_ERR, signed_ok = 0;

	memset(&n, 0, sizeof(n));
	memset(&cp, 0, sizeof(cp));
	if (tlog_proof_parse(&p, text, len) < 0)
		return cli_fail("%s: %s", path, attest_error_last());
	if (tlog_note_parse(&n, p.checkpoint, p.checkpoint_len) < 0 ||
	    tlog_checkpoint_parse(&cp, n.text, n.text_len) < 0) {
		rc = cli_fail("%s: checkpoint: %s", path, attest_error_last());
		goto done;
	}
	for (size_t i = 0; i < c->nkeys; i++)
		if (tlog_note_verify(&n, &c->keys[i]) == 0)
			signed_ok = 1;
	if (!signed_ok) {
		printf("TAMPER  signature_invalid: the checkpoint is not "
		       "signed "
		       "by the given key\n");
		goto done;
	}
	if (!p.has_extra || tlog_leaf_parse(&leaf, p.extra, p.extra_len) < 0) {
		rc = cli_fail("%s: the proof carries no valid leaf in its "
		              "extra line",
		              path);
		goto done;
	}
	if (leaf.index != p.index) {
		printf("TAMPER  index_mismatch: the leaf says index %llu, the "
		       "proof %llu\n",
		       (unsigned long long)leaf.index,
		       (unsigned long long)p.index);
		goto done;
	}
	tlog_leaf_hash(lh, p.extra, p.extra_len);
	if (tlog_verify_inclusion(p.index, cp.size, lh,
	                          (const tlog_hash *)p.hashes, p.nhashes,
	                          cp.root) != 0) {
		printf("TAMPER  proof_invalid: entry %llu is not in the tree "
		       "of "
		       "size %llu\n",
		       (unsigned long long)p.index,
		       (unsigned long long)cp.size);
		goto done;
	}
	printf("verified: entry %llu (%s) is in %s at size %llu\n",
	       (unsigned long long)p.index, tlog_kind_name(leaf.kind),
	       cp.origin, (unsigned long long)cp.size);
	rc = EXIT_OK;
done:
	tlog_checkpoint_free(&cp);
	tlog_note_free(&n);
	tlog_proof_free(&p);
	return rc;
}

/* Reads a signed checkpoint file and checks it against the keys. */
static int
read_checkpoint(const struct cli_check *c, const char *path,
                struct tlog_checkpoint *cp)
{
	struct tlog_note n;
	char *text = NULL;
	size_t len;
	int rc, ok = 0;

	if ((rc = attest_read_file(&text, &len, path, TLOG_NOTE_MAX)) < 0)
		return rc;
	rc = tlog_note_parse(&n, text, len);
	free(text);
	if (rc < 0)
		return attest_error_set(ATTEST_EINVALID, "%s: %s", path,
		                        attest_error_last());
	for (size_t i = 0; i < c->nkeys; i++)
		if (tlog_note_verify(&n, &c->keys[i]) == 0)
			ok = 1;
	rc = tlog_checkpoint_parse(cp, n.text, n.text_len);
	tlog_note_free(&n);
	if (rc < 0)
		return attest_error_set(ATTEST_EINVALID, "%s: %s", path,
		                        attest_error_last());
	if (!ok) {
		tlog_checkpoint_free(cp);
		return attest_error_set(ATTEST_EINVALID,
		                        "%s: not signed by the given key",
		                        path);
	}
	return 0;
}

static int
verify_consistency(const struct cli_args *a, const struct cli_check *c,
                   const char *path, const char *text, size_t len)
{
	struct tlog_consistency p;
	struct tlog_checkpoint old_cp, new_cp;
	const char *old_path = cli_get(a, "old"), *new_path = cli_get(a, "new");
	int rc;

	if (old_path == NULL || new_path == NULL)
		return cli_usage(a->cmd, "a consistency proof needs --old and "
		                         "--new checkpoints");
	if (tlog_consistency_parse(&p, text, len) < 0)
		return cli_fail("%s: %s", path, attest_error_last());
	if ((rc = read_checkpoint(c, old_path, &old_cp)) < 0)
		return cli_error(rc);
	if ((rc = read_checkpoint(c, new_path, &new_cp)) < 0) {
		tlog_checkpoint_free(&old_cp);
		return cli_error(rc);
	}
	rc = EXIT_ERR;
	if (old_cp.size != p.old_size || new_cp.size != p.new_size ||
	    strcmp(old_cp.origin, new_cp.origin) != 0)
		printf("TAMPER  proof_invalid: the proof is for sizes %llu and "
		       "%llu, the checkpoints are %llu and %llu\n",
		       (unsigned long long)p.old_size,
		       (unsigned long long)p.new_size,
		       (unsigned long long)old_cp.size,
		       (unsigned long long)new_cp.size);
	else if (tlog_verify_consistency(
	                 p.old_size, p.new_size, old_cp.root, new_cp.root,
	                 (const tlog_hash *)p.hashes, p.nhashes) != 0)
		printf("TAMPER  fork: the tree of size %llu is not a prefix of "
		       "the tree of size %llu\n",
		       (unsigned long long)p.old_size,
		       (unsigned long long)p.new_size);
	else {
		printf("verified: %s at %llu extends %llu\n", new_cp.origin,
		       (unsigned long long)p.new_size,
		       (unsigned long long)p.old_size);
		rc = EXIT_OK;
	}
	tlog_checkpoint_free(&old_cp);
	tlog_checkpoint_free(&new_cp);
	return rc;
}

static const struct cli_opt verify_opts[] = {
        {"log-key", 'k', "KEY",
         "The log's verifier key, or a file holding it (required; "
         "repeatable)."},
        {"trusted", 't', "FILE[@DATE]",
         "A checkpoint you hold independently, with the date you received "
         "it (repeatable)."},
        {"old", 0, "FILE", "For a consistency proof: the older checkpoint."},
        {"new", 0, "FILE", "For a consistency proof: the newer checkpoint."},
        {"json", 0, NULL, "Print the report as JSON."},
        {0}};

static int
verify_exec(struct cli_args *a)
{
	struct cli_check c;
	struct tlog_check_report r;
	const char *path = a->pos[0];
	char *text = NULL;
	size_t len;
	int rc;

	if (cli_all(a, "log-key", &len) == NULL || len == 0)
		return cli_usage(a->cmd, "--log-key is required");
	if ((rc = cli_check_opts(a, &c)) < 0) {
		cli_check_free(&c);
		return cli_error(rc == ATTEST_EUSAGE ? rc : ATTEST_EUSAGE);
	}
	if (attest_is_dir(path)) {
		memset(&r, 0, sizeof(r));
		rc = tlog_bundle_verify(path, &c.opts, &r);
		if (rc == EXIT_USAGE)
			rc = cli_error(ATTEST_EUSAGE);
		else
			rc = cli_print_report(a, &r, rc);
		tlog_check_report_free(&r);
	} else if ((rc = attest_read_file(&text, &len, path, 1 << 20)) < 0) {
		rc = cli_error(ATTEST_EUSAGE);
	} else if (strncmp(text, "c2sp.org/tlog-proof@v1\n", 23) == 0) {
		rc = verify_inclusion(&c, path, text, len);
	} else if (strncmp(text, "attest.dev/consistency-proof@v1\n", 32) ==
	           0) {
		rc = verify_consistency(a, &c, path, text, len);
	} else {
		rc = cli_usage(a->cmd,
		               "%s: neither a bundle directory, a tlog-proof "
		               "nor a consistency proof",
		               path);
	}
	free(text);
	cli_check_free(&c);
	return rc;
}

const struct cli_cmd cmd_verify = {
        .name = "verify",
        .usage = "PATH --log-key KEY [--trusted FILE[@DATE]]... [--json]",
        .summary = "check an auditor bundle or a proof offline",
        .description =
                "Checks, with nothing but the log's public key, what 'attest "
                "export bundle', 'attest ledger prove' or 'attest ledger "
                "consistency' wrote. For a bundle directory: the signed "
                "MANIFEST and the SHA-256 of every file, every leaf, payload "
                "commitment and redaction, every checkpoint's root and "
                "signature, the tiles, and each proof. Checkpoints you "
                "received earlier (--trusted) prove the log was neither cut "
                "nor rewritten below them, and their dates bound when each "
                "entry was logged. Exit status: 0 verified, 1 tamper "
                "evidence, 2 usage or I/O error, 3 verified with warnings "
                "(entries after the last trusted checkpoint, late-logged "
                "entries, redactions). The format is in "
                "docs/ledger-format.md.",
        .opts = verify_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = verify_exec,
};
