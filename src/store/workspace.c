/*
 * Finding, creating and opening workspaces, and the transaction that makes
 * every command all-or-nothing (database rows and attachment files alike).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest/error.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "ledger/ledger_int.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/date.h"
#include "util/fs.h"

struct attest_workspace {
	char *dir;
	struct attest_store *store;
	struct attest_catalog *catalog;
	struct attest_arena arena;
	char **new_files; /* created by the open transaction */
	size_t nnew, capnew;
	char **after; /* pairs (from, to or NULL) to apply on commit */
	size_t nafter, capafter;
	int in_tx;
	int64_t changes_at_begin;
	char *command, *actor; /* for the audit trail */
	struct attest_ledger *ledger;
};

int
attest_workspace_find(char **out, const char *dir)
{
	const char *env = getenv("ATTEST_DIR");
	char *cur, *db;

	if (dir == NULL && env && *env)
		dir = env;
	if (dir) {
		db = attest_path_join(dir, ATTEST_DB_NAME);
		if (!attest_exists(db)) {
			free(db);
			return attest_error_set(
			        ATTEST_ENOTFOUND,
			        "%s: not an attest workspace (no "
			        "%s; create one with 'attest "
			        "init')",
			        dir, ATTEST_DB_NAME);
		}
		free(db);
		*out = xstrdup(dir);
		return 0;
	}
	if ((cur = attest_realpath(".")) == NULL)
		return attest_error_set(ATTEST_EIO,
		                        "cannot resolve the current "
		                        "directory");
	for (;;) {
		char *slash;
		db = attest_path_join(cur, ATTEST_DB_NAME);
		if (attest_exists(db)) {
			free(db);
			*out = cur;
			return 0;
		}
		free(db);
		slash = strrchr(cur, '/');
		if (slash == NULL || slash == cur) {
			if (slash == cur && cur[1] != '\0') {
				cur[1] = '\0';
				continue;
			}
			break;
		}
		*slash = '\0';
	}
	free(cur);
	return attest_error_set(ATTEST_ENOTFOUND,
	                        "not in an attest workspace (or any parent); "
	                        "use -C DIR, set ATTEST_DIR, or run 'attest "
	                        "init'");
}

/* A new workspace starts its ledger at once: the key, then the key event
   as entry 0, so nothing is ever recorded unlogged. */
static int
init_ledger(const char *dir)
{
	struct attest_workspace *ws;
	char *vkey = NULL;
	int rc;

	if ((rc = attest_workspace_open(&ws, dir)) < 0)
		return rc;
	if ((rc = attest_workspace_begin(ws)) == 0 &&
	    (rc = attest_ledger_key_create(ws, NULL, &vkey)) == 0)
		rc = attest_workspace_commit(ws);
	free(vkey);
	attest_workspace_close(ws);
	return rc;
}

int
attest_workspace_init(const char *dir, const char *org, unsigned categories,
                      int64_t now)
{
	char *db = attest_path_join(dir, ATTEST_DB_NAME);
	char *att = attest_path_join(dir, "attachments");
	int made_dir = !attest_exists(dir);
	struct attest_store *st = NULL;
	char created[21];
	int rc;

	if (attest_exists(db)) {
		rc = attest_error_set(ATTEST_EEXISTS,
		                      "%s: already an attest workspace", dir);
		goto out;
	}
	if (!made_dir && !attest_is_dir(dir)) {
		rc = attest_error_set(ATTEST_EINVALID, "%s: not a directory",
		                      dir);
		goto out;
	}
	if ((rc = attest_mkdir_p(att)) < 0)
		goto fail;
	if ((rc = attest_store_sqlite_open(&st, db, 1)) < 0)
		goto fail;
	attest_time_format(created, now);
	if ((rc = st->ops->begin(st)) < 0 ||
	    (rc = st->ops->meta_set(st, "organization", org)) < 0 ||
	    (rc = st->ops->meta_set(st, "created_at", created)) < 0 ||
	    (rc = st->ops->categories_set(st, categories | 1u)) < 0 ||
	    (rc = st->ops->commit(st)) < 0)
		goto fail;
	st->ops->close(st);
	st = NULL;
	if ((rc = init_ledger(dir)) < 0)
		goto fail;
	goto out;
fail:
	if (st) {
		st->ops->rollback(st);
		st->ops->close(st);
	}
	{
		const char *sfx[] = {"", "-wal", "-shm"};
		for (size_t i = 0; i < 3; i++) {
			char *p = xmalloc(strlen(db) + 5);
			memcpy(p, db, strlen(db) + 1);
			memcpy(p + strlen(db), sfx[i], strlen(sfx[i]) + 1);
			unlink(p);
			free(p);
		}
	}
	{
		char *key = attest_path_join(dir, ATTEST_LEDGER_KEY);
		unlink(key);
		free(key);
	}
	rmdir(att);
	if (made_dir)
		rmdir(dir);
out:
	free(db);
	free(att);
	return rc;
}

int
attest_workspace_open(struct attest_workspace **out, const char *dir)
{
	struct attest_workspace *ws;
	char *db = attest_path_join(dir, ATTEST_DB_NAME);
	int rc;

	*out = NULL;
	if (!attest_exists(db)) {
		rc = attest_error_set(ATTEST_ENOTFOUND,
		                      "%s: not an attest workspace", dir);
		free(db);
		return rc;
	}
	ws = xcalloc(1, sizeof(*ws));
	ws->dir = xstrdup(dir);
	rc = attest_store_sqlite_open(&ws->store, db, 0);
	free(db);
	if (rc < 0) {
		attest_workspace_close(ws);
		return rc;
	}
	*out = ws;
	return 0;
}

void
attest_workspace_close(struct attest_workspace *ws)
{
	if (ws == NULL)
		return;
	if (ws->in_tx)
		attest_workspace_rollback(ws);
	ledger_free(ws->ledger);
	if (ws->store)
		ws->store->ops->close(ws->store);
	attest_catalog_free(ws->catalog);
	free(ws->after);
	free(ws->command);
	free(ws->actor);
	attest_arena_free(&ws->arena);
	free(ws->new_files);
	free(ws->dir);
	free(ws);
}

struct attest_store *
attest_workspace_store(struct attest_workspace *ws)
{
	return ws->store;
}

const char *
attest_workspace_dir(const struct attest_workspace *ws)
{
	return ws->dir;
}

int
attest_workspace_catalog(struct attest_workspace *ws,
                         const struct attest_catalog **out)
{
	struct attest_catalog *cat;
	struct attest_control_def *defs;
	struct attest_arena tmp = ATTEST_ARENA_INIT;
	char *content;
	size_t n;
	int rc;

	if (ws->catalog) {
		*out = ws->catalog;
		return 0;
	}
	cat = attest_catalog_new();
	content = attest_path_join(ws->dir, "content");
	if ((rc = attest_catalog_load_builtin(cat)) < 0 ||
	    (rc = attest_catalog_load_dir(cat, content)) < 0 ||
	    (rc = ws->store->ops->custom_controls_load(ws->store, &tmp, &defs,
	                                               &n)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++)
		if ((rc = attest_catalog_add_control(cat, &defs[i],
		                                     "workspace")) < 0)
			goto done;
	rc = attest_catalog_finish(cat);
done:
	free(content);
	attest_arena_free(&tmp);
	if (rc < 0) {
		attest_catalog_free(cat);
		return rc;
	}
	ws->catalog = cat;
	*out = cat;
	return 0;
}

int
attest_workspace_begin(struct attest_workspace *ws)
{
	int rc = ws->store->ops->begin(ws->store);

	if (rc == 0) {
		ws->in_tx = 1;
		ws->nnew = 0;
		ws->changes_at_begin = ws->store->ops->changes(ws->store);
	}
	return rc;
}

static void
clear_after(struct attest_workspace *ws, int apply)
{
	for (size_t i = 0; i + 1 < ws->nafter; i += 2) {
		if (apply && ws->after[i + 1])
			rename(ws->after[i], ws->after[i + 1]);
		else if (apply)
			remove(ws->after[i]);
		free(ws->after[i]);
		free(ws->after[i + 1]);
	}
	ws->nafter = 0;
}

int
attest_workspace_commit(struct attest_workspace *ws)
{
	int rc;

	/* The ledger logs the change and signs the batch inside the same
	   transaction, so a command and its checkpoint land together. */
	if ((rc = ledger_before_commit(ws)) < 0 ||
	    (rc = ws->store->ops->commit(ws->store)) < 0)
		return attest_workspace_rollback(ws), rc;
	for (size_t i = 0; i < ws->nnew; i++)
		free(ws->new_files[i]);
	ws->nnew = 0;
	ws->in_tx = 0;
	clear_after(ws, 1);
	return 0;
}

void
attest_workspace_after_commit(struct attest_workspace *ws, const char *from,
                              const char *to)
{
	xgrow(&ws->after, &ws->capafter, ws->nafter + 2, sizeof(*ws->after));
	ws->after[ws->nafter++] = xstrdup(from);
	ws->after[ws->nafter++] = to ? xstrdup(to) : NULL;
}

struct attest_ledger **
attest_workspace_ledger(struct attest_workspace *ws)
{
	return &ws->ledger;
}

int64_t
attest_workspace_tx_changes(struct attest_workspace *ws)
{
	return ws->store->ops->changes(ws->store) - ws->changes_at_begin;
}

void
attest_workspace_set_command(struct attest_workspace *ws, const char *actor,
                             const char *command)
{
	free(ws->actor);
	free(ws->command);
	ws->actor = actor ? xstrdup(actor) : NULL;
	ws->command = command ? xstrdup(command) : NULL;
}

const char *
attest_workspace_command(const struct attest_workspace *ws, const char **actor)
{
	*actor = ws->actor;
	return ws->command;
}

int
attest_workspace_rollback(struct attest_workspace *ws)
{
	int rc = ws->store->ops->rollback(ws->store);

	/* Newest first, so a directory is empty by the time it goes. */
	for (size_t i = ws->nnew; i-- > 0;) {
		remove(ws->new_files[i]);
		free(ws->new_files[i]);
	}
	ws->nnew = 0;
	ws->in_tx = 0;
	clear_after(ws, 0);
	ledger_after_rollback(ws);
	return rc;
}

char *
attest_workspace_attachment_path(const struct attest_workspace *ws,
                                 const char *sha256)
{
	char sub[3] = {sha256[0], sha256[1], '\0'};
	char *att = attest_path_join(ws->dir, "attachments");
	char *dir = attest_path_join(att, sub);
	char *path = attest_path_join(dir, sha256);

	free(att);
	free(dir);
	return path;
}

void
attest_workspace_track_new_file(struct attest_workspace *ws, const char *path)
{
	xgrow(&ws->new_files, &ws->capnew, ws->nnew + 1,
	      sizeof(*ws->new_files));
	ws->new_files[ws->nnew++] = xstrdup(path);
}
