/*
 * Keys, status, checkpoints and proofs of a workspace's ledger.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest/error.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "ledger/ledger_int.h"
#include "ledger/ledger_priv.h"
#include "tlog/proof.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fs.h"

/* "Northwind Analytics, Inc." -> "northwind-analytics-inc" */
static char *
slug(const char *org)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	int dash = 0;

	for (const char *p = org ? org : ""; *p; p++) {
		if (isalnum((unsigned char)*p)) {
			if (dash && b.len)
				attest_buf_putc(&b, '-');
			attest_buf_putc(&b, (char)tolower((unsigned char)*p));
			dash = 0;
		} else {
			dash = 1;
		}
		if (b.len >= 60)
			break;
	}
	if (b.len == 0)
		attest_buf_puts(&b, "workspace");
	return attest_buf_detach(&b);
}

static int
append_key_event(struct attest_workspace *ws, const char *new_vkey,
                 const char *old_vkey)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct tlog_key_event k = {bytes_of(new_vkey), bytes_of(old_vkey)};
	struct attest_ledger_entry e = {0};
	struct attest_buf keys = ATTEST_BUF_INIT;
	uint8_t body[2 * 4096];
	const char *history;
	uint64_t idx;
	int rc;

	e.kind = TLOG_KEY_EVENT;
	e.source = "attest.ledger/key";
	e.body = body;
	if ((e.body_len = tlog_key_event_encode(&k, body, sizeof(body))) == 0)
		return attest_error_set(ATTEST_EINVALID,
		                        "ledger: key too long");
	if ((rc = attest_ledger_append(ws, &e, &idx)) < 0 ||
	    (rc = st->ops->meta_get(st, &a, "ledger_vkeys", &history)) < 0)
		goto done;
	if (history)
		attest_buf_printf(&keys, "%s\n", history);
	attest_buf_puts(&keys, new_vkey);
	rc = st->ops->meta_set(st, "ledger_vkeys", attest_buf_cstr(&keys));
done:
	attest_buf_free(&keys);
	attest_arena_free(&a);
	return rc;
}

int
attest_ledger_key_create(struct attest_workspace *ws, const char *origin,
                         char **vkey)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct attest_ledger *l;
	struct attest_buf name = ATTEST_BUF_INIT;
	char *path = key_path(ws, ""), *skey = NULL, *org_slug = NULL;
	const char *org;
	int rc;

	*vkey = NULL;
	if (attest_exists(path)) {
		rc = attest_error_set(ATTEST_EEXISTS,
		                      "%s: the workspace already has a ledger "
		                      "key (use --rotate to replace it)",
		                      path);
		goto done;
	}
	if ((rc = ledger_load(ws, &l, 0)) < 0)
		goto done;
	if (l->size != 0) {
		rc = attest_error_set(ATTEST_EINVALID,
		                      "ledger: %llu entries exist but the key "
		                      "file is gone; a lost key cannot be "
		                      "replaced without breaking the chain",
		                      (unsigned long long)l->size);
		goto done;
	}
	if (origin == NULL) {
		if ((rc = st->ops->meta_get(st, &a, "organization", &org)) < 0)
			goto done;
		org_slug = slug(org);
		attest_buf_printf(&name, "attest.local/%s", org_slug);
		origin = attest_buf_cstr(&name);
	}
	if ((rc = tlog_key_generate(origin, &skey, vkey)) < 0) {
		rc = attest_error_set(ATTEST_EINVALID, "ledger key: %s",
		                      attest_error_last());
		goto done;
	}
	if ((rc = write_key(path, skey)) < 0)
		goto done;
	attest_workspace_track_new_file(ws, path);
	if ((rc = st->ops->meta_set(st, "ledger_origin", origin)) < 0)
		goto done;
	ledger_after_rollback(ws); /* reload with origin and key */
	rc = append_key_event(ws, *vkey, NULL);
done:
	if (rc < 0) {
		free(*vkey);
		*vkey = NULL;
	}
	wipe_free(skey);
	free(org_slug);
	free(path);
	attest_buf_free(&name);
	attest_arena_free(&a);
	return rc;
}

int
attest_ledger_key_rotate(struct attest_workspace *ws, char **vkey)
{
	struct attest_ledger *l;
	char *next = key_path(ws, ".new"), *cur = key_path(ws, "");
	char *skey = NULL, *old_vkey = NULL;
	struct tlog_signer fresh;
	int rc;

	*vkey = NULL;
	if ((rc = ledger_load(ws, &l, 1)) < 0 ||
	    (rc = attest_ledger_seal(ws)) < 0)
		goto done;
	if ((rc = tlog_key_generate(l->origin, &skey, vkey)) < 0 ||
	    (rc = tlog_signer_parse(&fresh, skey)) < 0) {
		rc = attest_error_set(ATTEST_EINVALID, "ledger key: %s",
		                      attest_error_last());
		goto done;
	}
	unlink(next); /* a leftover of a rotation that never committed */
	if ((rc = write_key(next, skey)) < 0) {
		tlog_signer_free(&fresh);
		goto done;
	}
	attest_workspace_track_new_file(ws, next);
	attest_workspace_after_commit(ws, next, cur);
	old_vkey = tlog_signer_vkey(&l->signer);
	/* The batch holding the key event is signed by both keys, so a
	   verifier holding either one can follow the chain. */
	l->old_signer = l->signer;
	l->signer = fresh;
	l->cosign = 1;
	rc = append_key_event(ws, *vkey, old_vkey);
done:
	if (rc < 0) {
		free(*vkey);
		*vkey = NULL;
	}
	wipe_free(skey);
	free(old_vkey);
	free(next);
	free(cur);
	return rc;
}

int
attest_ledger_vkey(struct attest_workspace *ws, char **vkey, char **history)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct tlog_signer s;
	char *path = key_path(ws, "");
	const char *h;
	int rc;

	/* Straight from the key file and the history, never through
	   ledger_load: verification must work on a damaged tree. */
	*vkey = NULL;
	if (history)
		*history = NULL;
	rc = read_key(&s, path);
	free(path);
	if (rc < 0)
		return rc;
	*vkey = tlog_signer_vkey(&s);
	tlog_signer_free(&s);
	if (history) {
		if ((rc = st->ops->meta_get(st, &a, "ledger_vkeys", &h)) < 0) {
			free(*vkey);
			*vkey = NULL;
		} else {
			*history = xstrdup(h ? h : *vkey);
		}
	}
	attest_arena_free(&a);
	return rc;
}

/* ---- status ---------------------------------------------------------------
 */

struct status_scan {
	struct attest_ledger_status *s;
};

static int
status_row(void *ctx, const struct attest_ledger_row *row)
{
	struct attest_ledger_status *s = ctx;
	struct tlog_leaf leaf;
	struct tlog_anchor an;

	if (tlog_leaf_parse(&leaf, row->leaf, row->leaf_len) < 0)
		return 0; /* verify reports it; status only describes */
	if (leaf.kind < 8)
		s->by_kind[leaf.kind]++;
	if (s->first_logged_ms == 0)
		s->first_logged_ms = (int64_t)leaf.logged_at_ms;
	s->last_logged_ms = (int64_t)leaf.logged_at_ms;
	if (row->salt == NULL)
		s->redacted++;
	if (leaf.kind == TLOG_ANCHOR_RECEIPT &&
	    tlog_anchor_parse(&an, &leaf.body) == 0 &&
	    an.size >= s->anchored_size) {
		s->anchored_size = an.size;
		s->anchored_at = (int64_t)(an.received_at_ms / 1000);
	}
	return 0;
}

int
attest_ledger_status(struct attest_workspace *ws, struct attest_arena *a,
                     struct attest_ledger_status *out)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_ledger *l;
	uint64_t *sizes;
	const char **notes;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ledger_load(ws, &l, 0)) < 0)
		return rc;
	out->size = l->size;
	out->origin = l->origin ? attest_arena_strdup(a, l->origin) : NULL;
	{
		char *path = key_path(ws, "");
		struct tlog_signer s;
		if (attest_exists(path) && read_key(&s, path) == 0) {
			char *vk = tlog_signer_vkey(&s);
			out->vkey = attest_arena_strdup(a, vk);
			free(vk);
			tlog_signer_free(&s);
		}
		attest_error_clear();
		free(path);
	}
	if ((rc = st->ops->ledger_checkpoints(st, a, UINT64_MAX, &sizes, &notes,
	                                      &n)) < 0)
		return rc;
	out->checkpoints = n;
	if (n) {
		out->checkpoint_size = sizes[n - 1];
		out->checkpoint = notes[n - 1];
	}
	return st->ops->ledger_scan(st, 0, UINT64_MAX, status_row, out);
}

int
attest_ledger_checkpoint(struct attest_workspace *ws, struct attest_arena *a,
                         uint64_t size, const char **note)
{
	struct attest_store *st = attest_workspace_store(ws);
	uint64_t *sizes;
	const char **notes;
	size_t n;
	int rc;

	*note = NULL;
	if ((rc = st->ops->ledger_checkpoints(st, a, size ? size : UINT64_MAX,
	                                      &sizes, &notes, &n)) < 0)
		return rc;
	if (n == 0 && size == 0)
		return attest_error_set(ATTEST_ENOTFOUND,
		                        "the ledger has no checkpoint yet");
	if (n == 0 || (size && sizes[n - 1] != size))
		return attest_error_set(ATTEST_ENOTFOUND,
		                        "no checkpoint of size %llu is stored "
		                        "(see 'attest ledger status')",
		                        (unsigned long long)size);
	*note = notes[n - 1];
	return 0;
}

/* ---- proofs ---------------------------------------------------------------
 */

struct leaf_copy {
	uint8_t *leaf;
	size_t len;
};

static int
copy_leaf(void *ctx, const struct attest_ledger_row *row)
{
	struct leaf_copy *c = ctx;

	c->leaf = xmalloc(row->leaf_len);
	memcpy(c->leaf, row->leaf, row->leaf_len);
	c->len = row->leaf_len;
	return 0;
}

int
attest_ledger_prove(struct attest_workspace *ws, uint64_t idx, uint64_t size,
                    struct attest_buf *out)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct tlog_proof p;
	struct tlog_tiles *t = NULL;
	struct leaf_copy leaf = {NULL, 0};
	const char *note;
	tlog_hash root;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = attest_ledger_checkpoint(ws, &a, size, &note)) < 0 ||
	    (rc = note_root(note, root, &size, NULL)) < 0)
		goto done;
	if (idx >= size) {
		rc = attest_error_set(ATTEST_ENOTFOUND,
		                      "entry %llu is not under the checkpoint "
		                      "of size %llu",
		                      (unsigned long long)idx,
		                      (unsigned long long)size);
		goto done;
	}
	if ((rc = st->ops->ledger_scan(st, idx, idx + 1, copy_leaf, &leaf)) < 0)
		goto done;
	if (leaf.leaf == NULL) {
		rc = attest_error_set(ATTEST_EDB,
		                      "ledger entry %llu is missing",
		                      (unsigned long long)idx);
		goto done;
	}
	t = tiles_view(st, size);
	if ((rc = tlog_inclusion_proof(idx, size, tlog_tiles_hash, t, p.hashes,
	                               &p.nhashes)) < 0)
		goto done;
	p.has_extra = 1;
	p.extra = leaf.leaf;
	p.extra_len = leaf.len;
	p.index = idx;
	p.checkpoint = (char *)note;
	p.checkpoint_len = strlen(note);
	rc = tlog_proof_format(out, &p);
done:
	free(leaf.leaf);
	free(t);
	attest_arena_free(&a);
	return rc;
}

int
attest_ledger_consistency(struct attest_workspace *ws, uint64_t old_size,
                          uint64_t new_size, struct attest_buf *out)
{
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct tlog_consistency c;
	struct tlog_tiles *t = NULL;
	const char *note;
	int rc;

	memset(&c, 0, sizeof(c));
	if (old_size == 0 || old_size > new_size) {
		rc = attest_error_set(ATTEST_EINVALID,
		                      "consistency: need 0 < OLD <= NEW "
		                      "(got %llu and %llu)",
		                      (unsigned long long)old_size,
		                      (unsigned long long)new_size);
		goto done;
	}
	if ((rc = attest_ledger_checkpoint(ws, &a, old_size, &note)) < 0 ||
	    (rc = attest_ledger_checkpoint(ws, &a, new_size, &note)) < 0)
		goto done;
	t = tiles_view(st, new_size);
	c.old_size = old_size;
	c.new_size = new_size;
	if ((rc = tlog_consistency_proof(old_size, new_size, tlog_tiles_hash, t,
	                                 c.hashes, &c.nhashes)) < 0)
		goto done;
	rc = tlog_consistency_format(out, &c);
done:
	free(t);
	attest_arena_free(&a);
	return rc;
}
