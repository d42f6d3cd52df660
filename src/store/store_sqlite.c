/*
 * The SQLite implementation of the store (include/attest/store.h). One
 * database file in WAL mode; every statement is prepared with bound
 * parameters. Lists inside a row (criteria of a CUEC, controls expected of a
 * subservice organisation) are JSON arrays of strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "attest/catalog.h"
#include "attest/error.h"
#include "attest/store.h"
#include "store/schema.h"
#include "store/sqlite_int.h"
#include "util/alloc.h"
#include "util/arena.h"

sqlite3 *
DB(struct attest_store *st)
{
	return ((struct sqlite_store *)st)->db;
}

int
db_error(struct attest_store *st, const char *what)
{
	return attest_error_set(ATTEST_EDB, "%s: %s: %s",
	                        ((struct sqlite_store *)st)->path, what,
	                        sqlite3_errmsg(DB(st)));
}

int
prepare(struct attest_store *st, sqlite3_stmt **stmt, const char *sql)
{
	if (sqlite3_prepare_v2(DB(st), sql, -1, stmt, NULL) != SQLITE_OK)
		return db_error(st, "prepare");
	return 0;
}

int
exec(struct attest_store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(DB(st), sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = attest_error_set(ATTEST_EDB, "%s: %s",
		                          ((struct sqlite_store *)st)->path,
		                          msg ? msg : "error");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static const char *
col_text(struct attest_arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? attest_arena_strdup(a, (const char *)t) : NULL;
}

/* Runs a write statement to completion and finalizes it. */
int
step_done(struct attest_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_error(st, what);

	sqlite3_finalize(s);
	return rc;
}

static char *
list_to_json(const char *const *items, size_t n)
{
	json_t *arr = json_array();
	char *out;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(items[i]));
	out = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return out;
}

static void
json_to_list(struct attest_arena *a, const char *text, const char ***out,
             size_t *n)
{
	json_t *arr = text ? json_loads(text, 0, NULL) : NULL;
	size_t count = json_is_array(arr) ? json_array_size(arr) : 0;
	const char **list = attest_arena_calloc(a, count + 1, sizeof(*list));

	for (size_t i = 0; i < count; i++) {
		const char *v = json_string_value(json_array_get(arr, i));
		list[i] = attest_arena_strdup(a, v ? v : "");
	}
	json_decref(arr);
	*out = list;
	*n = count;
}

/* ---- lifecycle -------------------------------------------------------- */

static void
sq_close(struct attest_store *st)
{
	struct sqlite_store *s = (struct sqlite_store *)st;

	if (s == NULL)
		return;
	sqlite_ledger_finalize(s);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int
sq_begin(struct attest_store *st)
{
	return exec(st, "BEGIN IMMEDIATE");
}

static int
sq_commit(struct attest_store *st)
{
	return exec(st, "COMMIT");
}

static int
sq_rollback(struct attest_store *st)
{
	if (sqlite3_get_autocommit(DB(st)))
		return 0;
	return exec(st, "ROLLBACK");
}

/* ---- meta ------------------------------------------------------------- */

static int
sq_meta_get(struct attest_store *st, struct attest_arena *a, const char *key,
            const char **value)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s, "SELECT value FROM meta WHERE key = ?")) < 0)
		return rc;
	bind_text(s, 1, key);
	*value = NULL;
	if (sqlite3_step(s) == SQLITE_ROW)
		*value = col_text(a, s, 0);
	sqlite3_finalize(s);
	return 0;
}

static int
sq_meta_set(struct attest_store *st, const char *key, const char *value)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT INTO meta(key, value) VALUES(?, ?) "
	                  "ON CONFLICT(key) DO UPDATE SET value = "
	                  "excluded.value")) < 0)
		return rc;
	bind_text(s, 1, key);
	bind_text(s, 2, value);
	return step_done(st, s, "meta");
}

/* ---- scope ------------------------------------------------------------ */

static int
sq_scope_load(struct attest_store *st, struct attest_arena *a,
              struct attest_scope *out)
{
	sqlite3_stmt *s = NULL;
	size_t n, cap;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = prepare(st, &s, "SELECT category FROM scope_category")) < 0)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		enum attest_category c;
		if (attest_category_parse(
		            &c, (const char *)sqlite3_column_text(s, 0)) == 0)
			out->categories |= 1u << c;
	}
	sqlite3_finalize(s);

#define LOAD(sql, arr, count, fill)                                            \
	do {                                                                   \
		if ((rc = prepare(st, &s, sql)) < 0)                           \
			return rc;                                             \
		n = cap = 0;                                                   \
		arr = NULL;                                                    \
		while (sqlite3_step(s) == SQLITE_ROW)                          \
			n++;                                                   \
		sqlite3_reset(s);                                              \
		arr = attest_arena_calloc(a, n + 1, sizeof(*arr));             \
		for (size_t i = 0; i < n && sqlite3_step(s) == SQLITE_ROW;     \
		     i++) {                                                    \
			__typeof__(arr) r = &arr[i];                           \
			fill;                                                  \
		}                                                              \
		count = n;                                                     \
		sqlite3_finalize(s);                                           \
	} while (0)

	LOAD("SELECT id, name, kind, description, owner FROM scope_system "
	     "ORDER BY id",
	     out->systems, out->nsystems, {
		     r->id = col_text(a, s, 0);
		     r->name = col_text(a, s, 1);
		     r->kind = col_text(a, s, 2);
		     r->description = col_text(a, s, 3);
		     r->owner = col_text(a, s, 4);
	     });
	LOAD("SELECT id, name, method, services, controls, criteria "
	     "FROM subservice ORDER BY id",
	     out->subservices, out->nsubservices, {
		     r->id = col_text(a, s, 0);
		     r->name = col_text(a, s, 1);
		     r->method = col_text(a, s, 2);
		     r->services = col_text(a, s, 3);
		     json_to_list(a, (const char *)sqlite3_column_text(s, 4),
		                  &r->controls, &r->ncontrols);
		     json_to_list(a, (const char *)sqlite3_column_text(s, 5),
		                  &r->criteria, &r->ncriteria);
	     });
	LOAD("SELECT id, kind, text, criteria FROM user_entity ORDER BY id",
	     out->user_entities, out->nuser_entities, {
		     r->id = sqlite3_column_int64(s, 0);
		     r->kind = col_text(a, s, 1);
		     r->text = col_text(a, s, 2);
		     json_to_list(a, (const char *)sqlite3_column_text(s, 3),
		                  &r->criteria, &r->ncriteria);
	     });
	LOAD("SELECT criterion, reason FROM not_applicable ORDER BY criterion",
	     out->not_applicable, out->nnot_applicable, {
		     r->criterion = col_text(a, s, 0);
		     r->reason = col_text(a, s, 1);
	     });
	LOAD("SELECT id, target, reason, owner, expires FROM exclusion "
	     "ORDER BY id",
	     out->exclusions, out->nexclusions, {
		     r->id = sqlite3_column_int64(s, 0);
		     r->target = col_text(a, s, 1);
		     r->reason = col_text(a, s, 2);
		     r->owner = col_text(a, s, 3);
		     r->expires = sqlite3_column_int64(s, 4);
	     });
#undef LOAD
	(void)cap;
	return 0;
}

static int
sq_categories_set(struct attest_store *st, unsigned categories)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = exec(st, "DELETE FROM scope_category")) < 0)
		return rc;
	for (int c = 0; c < ATTEST_CATEGORY_COUNT; c++) {
		if (!(categories & (1u << c)))
			continue;
		if ((rc = prepare(st, &s,
		                  "INSERT INTO scope_category VALUES(?)")) < 0)
			return rc;
		bind_text(s, 1, attest_category_name((enum attest_category)c));
		if ((rc = step_done(st, s, "scope category")) < 0)
			return rc;
	}
	return 0;
}

static int
sq_system_put(struct attest_store *st, const struct attest_system *sys)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT OR REPLACE INTO scope_system(id, name, kind, "
	                  "description, owner) VALUES(?, ?, ?, ?, ?)")) < 0)
		return rc;
	bind_text(s, 1, sys->id);
	bind_text(s, 2, sys->name);
	bind_text(s, 3, sys->kind);
	bind_text(s, 4, sys->description);
	bind_text(s, 5, sys->owner);
	return step_done(st, s, "system");
}

static int
sq_subservice_put(struct attest_store *st, const struct attest_subservice *so)
{
	char *controls = list_to_json(so->controls, so->ncontrols);
	char *criteria = list_to_json(so->criteria, so->ncriteria);
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT OR REPLACE INTO subservice(id, name, "
	                  "method, services, controls, criteria) "
	                  "VALUES(?, ?, ?, ?, ?, ?)")) == 0) {
		bind_text(s, 1, so->id);
		bind_text(s, 2, so->name);
		bind_text(s, 3, so->method);
		bind_text(s, 4, so->services);
		bind_text(s, 5, controls);
		bind_text(s, 6, criteria);
		rc = step_done(st, s, "subservice");
	}
	free(controls);
	free(criteria);
	return rc;
}

static int
sq_user_entity_add(struct attest_store *st, const struct attest_user_entity *u,
                   int64_t *id)
{
	char *criteria = list_to_json(u->criteria, u->ncriteria);
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT INTO user_entity(kind, text, criteria) "
	                  "VALUES(?, ?, ?)")) == 0) {
		bind_text(s, 1, u->kind);
		bind_text(s, 2, u->text);
		bind_text(s, 3, criteria);
		rc = step_done(st, s, "user entity");
		*id = sqlite3_last_insert_rowid(DB(st));
	}
	free(criteria);
	return rc;
}

static int
sq_not_applicable_put(struct attest_store *st,
                      const struct attest_not_applicable *na)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT OR REPLACE INTO not_applicable(criterion, "
	                  "reason) VALUES(?, ?)")) < 0)
		return rc;
	bind_text(s, 1, na->criterion);
	bind_text(s, 2, na->reason);
	return step_done(st, s, "not applicable");
}

static int
sq_exclusion_add(struct attest_store *st, const struct attest_exclusion *e,
                 int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT INTO exclusion(target, reason, owner, "
	                  "expires) VALUES(?, ?, ?, ?)")) < 0)
		return rc;
	bind_text(s, 1, e->target);
	bind_text(s, 2, e->reason);
	bind_text(s, 3, e->owner);
	sqlite3_bind_int64(s, 4, e->expires);
	rc = step_done(st, s, "exclusion");
	*id = sqlite3_last_insert_rowid(DB(st));
	return rc;
}

static int
sq_scope_delete(struct attest_store *st, const char *table, const char *key)
{
	static const struct {
		const char *table, *sql, *label;
	} deletes[] = {
	        {"system", "DELETE FROM scope_system WHERE id = ?", "system"},
	        {"subservice", "DELETE FROM subservice WHERE id = ?",
	         "subservice organisation"},
	        {"cuec",
	         "DELETE FROM user_entity WHERE id = ? AND kind = 'cuec'",
	         "complementary user entity control"},
	        {"responsibility",
	         "DELETE FROM user_entity WHERE id = ? AND kind = "
	         "'responsibility'",
	         "user-entity responsibility"},
	        {"not_applicable",
	         "DELETE FROM not_applicable WHERE criterion = ?",
	         "not-applicable declaration for"},
	        {"exclusion", "DELETE FROM exclusion WHERE id = ?",
	         "exclusion"},
	};
	sqlite3_stmt *s;
	int rc;

	for (size_t i = 0; i < sizeof(deletes) / sizeof(deletes[0]); i++) {
		if (strcmp(deletes[i].table, table) != 0)
			continue;
		if ((rc = prepare(st, &s, deletes[i].sql)) < 0)
			return rc;
		bind_text(s, 1, key);
		if ((rc = step_done(st, s, table)) < 0)
			return rc;
		if (sqlite3_changes(DB(st)) == 0)
			return attest_error_set(ATTEST_ENOTFOUND,
			                        "no %s '%s' in scope",
			                        deletes[i].label, key);
		return 0;
	}
	return attest_error_set(ATTEST_ERROR, "unknown scope table %s", table);
}

/* ---- controls --------------------------------------------------------- */

static int
sq_states_load(struct attest_store *st, struct attest_arena *a,
               struct attest_control_state **out, size_t *n)
{
	sqlite3_stmt *s;
	size_t count = 0, i = 0;
	int rc;

	if ((rc = prepare(st, &s,
	                  "SELECT control, status, owner, note, reason, "
	                  "statement, frequency, updated_at "
	                  "FROM control_state ORDER BY control")) < 0)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW)
		count++;
	sqlite3_reset(s);
	*out = attest_arena_calloc(a, count + 1, sizeof(**out));
	while (i < count && sqlite3_step(s) == SQLITE_ROW) {
		struct attest_control_state *r = &(*out)[i++];
		r->control = col_text(a, s, 0);
		r->status = col_text(a, s, 1);
		r->owner = col_text(a, s, 2);
		r->note = col_text(a, s, 3);
		r->reason = col_text(a, s, 4);
		r->statement = col_text(a, s, 5);
		r->frequency = col_text(a, s, 6);
		r->updated_at = sqlite3_column_int64(s, 7);
	}
	*n = i;
	sqlite3_finalize(s);
	return 0;
}

static int
sq_state_put(struct attest_store *st, const struct attest_control_state *c)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT OR REPLACE INTO control_state(control, "
	                  "status, owner, note, reason, statement, "
	                  "frequency, updated_at) "
	                  "VALUES(?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
	bind_text(s, 1, c->control);
	bind_text(s, 2, c->status ? c->status : "not-started");
	bind_text(s, 3, c->owner);
	bind_text(s, 4, c->note);
	bind_text(s, 5, c->reason);
	bind_text(s, 6, c->statement);
	bind_text(s, 7, c->frequency);
	sqlite3_bind_int64(s, 8, c->updated_at);
	return step_done(st, s, "control state");
}

static int
sq_custom_controls_load(struct attest_store *st, struct attest_arena *a,
                        struct attest_control_def **out, size_t *n)
{
	sqlite3_stmt *s;
	size_t count = 0, i = 0;
	int rc;

	if ((rc = prepare(st, &s,
	                  "SELECT id, title, statement, kind, function, "
	                  "frequency, owner, automation, evidence, criteria "
	                  "FROM custom_control ORDER BY id")) < 0)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW)
		count++;
	sqlite3_reset(s);
	*out = attest_arena_calloc(a, count + 1, sizeof(**out));
	while (i < count && sqlite3_step(s) == SQLITE_ROW) {
		struct attest_control_def *d = &(*out)[i++];
		const char **ev, **cr;
		d->id = col_text(a, s, 0);
		d->title = col_text(a, s, 1);
		d->statement = col_text(a, s, 2);
		d->kind = col_text(a, s, 3);
		d->function = col_text(a, s, 4);
		d->frequency = col_text(a, s, 5);
		d->owner = col_text(a, s, 6);
		d->automation = col_text(a, s, 7);
		json_to_list(a, (const char *)sqlite3_column_text(s, 8), &ev,
		             &d->nevidence);
		json_to_list(a, (const char *)sqlite3_column_text(s, 9), &cr,
		             &d->ncriteria);
		d->evidence = ev;
		d->criteria = cr;
	}
	*n = i;
	sqlite3_finalize(s);
	return 0;
}

static int
sq_custom_control_put(struct attest_store *st,
                      const struct attest_control_def *d)
{
	char *ev = list_to_json(d->evidence, d->nevidence);
	char *cr = list_to_json(d->criteria, d->ncriteria);
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT INTO custom_control(id, title, statement, "
	                  "kind, function, frequency, owner, automation, "
	                  "evidence, criteria) "
	                  "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) == 0) {
		bind_text(s, 1, d->id);
		bind_text(s, 2, d->title);
		bind_text(s, 3, d->statement);
		bind_text(s, 4, d->kind);
		bind_text(s, 5, d->function);
		bind_text(s, 6, d->frequency);
		bind_text(s, 7, d->owner);
		bind_text(s, 8, d->automation);
		bind_text(s, 9, ev);
		bind_text(s, 10, cr);
		rc = step_done(st, s, "custom control");
	}
	free(ev);
	free(cr);
	return rc;
}

/* ---- evidence --------------------------------------------------------- */

static int
sq_evidence_insert(struct attest_store *st, const struct attest_evidence *ev,
                   int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT INTO evidence(kind, source, subject, "
	                  "verdict, collected_at, effective_at, note, "
	                  "payload, payload_sha256, ledger_idx) "
	                  "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
	bind_text(s, 1, ev->kind);
	bind_text(s, 2, ev->source);
	bind_text(s, 3, ev->subject);
	bind_text(s, 4, ev->verdict);
	sqlite3_bind_int64(s, 5, ev->collected_at);
	sqlite3_bind_int64(s, 6, ev->effective_at);
	bind_text(s, 7, ev->note);
	bind_text(s, 8, ev->payload);
	bind_text(s, 9, ev->payload_sha256);
	sqlite3_bind_int64(s, 10, ev->ledger_idx);
	if ((rc = step_done(st, s, "evidence")) < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(DB(st));

	if ((rc = prepare(st, &s,
	                  "INSERT INTO evidence_control(control, "
	                  "effective_at, evidence_id, subject, verdict) "
	                  "VALUES(?, ?, ?, ?, ?)")) < 0)
		return rc;
	for (size_t i = 0; i < ev->ncontrols; i++) {
		sqlite3_reset(s);
		bind_text(s, 1, ev->controls[i]);
		sqlite3_bind_int64(s, 2, ev->effective_at);
		sqlite3_bind_int64(s, 3, *id);
		bind_text(s, 4, ev->subject);
		bind_text(s, 5, ev->verdict);
		if (sqlite3_step(s) != SQLITE_DONE) {
			rc = db_error(st, "evidence control");
			break;
		}
	}
	sqlite3_finalize(s);
	for (size_t i = 0; rc == 0 && i < ev->nattachments; i++) {
		const struct attest_attachment *at = &ev->attachments[i];
		if ((rc = prepare(st, &s,
		                  "INSERT OR IGNORE INTO attachment(sha256, "
		                  "size) VALUES(?, ?)")) < 0)
			break;
		bind_text(s, 1, at->sha256);
		sqlite3_bind_int64(s, 2, at->size);
		if ((rc = step_done(st, s, "attachment")) < 0)
			break;
		if ((rc = prepare(st, &s,
		                  "INSERT OR IGNORE INTO evidence_attachment("
		                  "evidence_id, sha256, name) "
		                  "VALUES(?, ?, ?)")) < 0)
			break;
		sqlite3_bind_int64(s, 1, *id);
		bind_text(s, 2, at->sha256);
		bind_text(s, 3, at->name);
		rc = step_done(st, s, "evidence attachment");
	}
	return rc;
}

static void
read_evidence_row(struct attest_arena *a, sqlite3_stmt *s,
                  struct attest_evidence *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(s, 0);
	e->kind = col_text(a, s, 1);
	e->source = col_text(a, s, 2);
	e->subject = col_text(a, s, 3);
	e->verdict = col_text(a, s, 4);
	e->collected_at = sqlite3_column_int64(s, 5);
	e->effective_at = sqlite3_column_int64(s, 6);
	e->note = col_text(a, s, 7);
	e->payload = col_text(a, s, 8);
	e->payload_sha256 = col_text(a, s, 9);
	e->ledger_idx = sqlite3_column_type(s, 10) == SQLITE_NULL
	                        ? -1
	                        : sqlite3_column_int64(s, 10);
	e->redacted_by = sqlite3_column_type(s, 11) == SQLITE_NULL
	                         ? -1
	                         : sqlite3_column_int64(s, 11);
}

#define EVIDENCE_COLUMNS                                                       \
	"e.id, e.kind, e.source, e.subject, e.verdict, e.collected_at, "       \
	"e.effective_at, e.note, e.payload, e.payload_sha256, e.ledger_idx, "  \
	"e.redacted_by"

/* Fills the controls and attachments of an evidence record. */
static int
evidence_links(struct attest_store *st, struct attest_arena *a,
               struct attest_evidence *e)
{
	sqlite3_stmt *s;
	size_t n = 0, i = 0;
	int rc;

	if ((rc = prepare(st, &s,
	                  "SELECT control FROM evidence_control "
	                  "WHERE evidence_id = ? ORDER BY control")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, e->id);
	while (sqlite3_step(s) == SQLITE_ROW)
		n++;
	sqlite3_reset(s);
	e->controls = attest_arena_calloc(a, n + 1, sizeof(*e->controls));
	while (i < n && sqlite3_step(s) == SQLITE_ROW)
		e->controls[i++] = col_text(a, s, 0);
	e->ncontrols = i;
	sqlite3_finalize(s);

	if ((rc = prepare(st, &s,
	                  "SELECT ea.sha256, ea.name, at.size "
	                  "FROM evidence_attachment ea JOIN attachment at "
	                  "USING(sha256) WHERE ea.evidence_id = ? "
	                  "ORDER BY ea.name")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, e->id);
	n = i = 0;
	while (sqlite3_step(s) == SQLITE_ROW)
		n++;
	sqlite3_reset(s);
	e->attachments = attest_arena_calloc(a, n + 1, sizeof(*e->attachments));
	while (i < n && sqlite3_step(s) == SQLITE_ROW) {
		e->attachments[i].sha256 = col_text(a, s, 0);
		e->attachments[i].name = col_text(a, s, 1);
		e->attachments[i].size = sqlite3_column_int64(s, 2);
		i++;
	}
	e->nattachments = i;
	sqlite3_finalize(s);
	return 0;
}

static int
sq_evidence_get(struct attest_store *st, struct attest_arena *a, int64_t id,
                struct attest_evidence *out)
{
	sqlite3_stmt *s;
	int rc, found;

	if ((rc = prepare(st, &s,
	                  "SELECT " EVIDENCE_COLUMNS
	                  " FROM evidence e WHERE e.id = ?")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	found = sqlite3_step(s) == SQLITE_ROW;
	if (found)
		read_evidence_row(a, s, out);
	sqlite3_finalize(s);
	if (!found)
		return attest_error_set(ATTEST_ENOTFOUND,
		                        "no evidence record %lld",
		                        (long long)id);
	return evidence_links(st, a, out);
}

static int
sq_evidence_list(struct attest_store *st, struct attest_arena *a,
                 const struct attest_evidence_filter *f,
                 struct attest_evidence **out, size_t *n)
{
	struct attest_evidence *rows = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *s;
	int rc;

	if (f->control)
		rc = prepare(st, &s,
		             "SELECT " EVIDENCE_COLUMNS
		             " FROM evidence_control ec JOIN evidence e "
		             "ON e.id = ec.evidence_id WHERE ec.control = ?1 "
		             "AND (?2 = 0 OR e.effective_at < ?2) "
		             "ORDER BY e.effective_at DESC, e.id DESC "
		             "LIMIT ?3");
	else
		rc = prepare(st, &s,
		             "SELECT " EVIDENCE_COLUMNS
		             " FROM evidence e WHERE ?1 IS NULL AND "
		             "(?2 = 0 OR e.effective_at < ?2) "
		             "ORDER BY e.effective_at DESC, e.id DESC "
		             "LIMIT ?3");
	if (rc < 0)
		return rc;
	bind_text(s, 1, f->control);
	sqlite3_bind_int64(s, 2, f->before);
	sqlite3_bind_int64(s, 3, f->limit ? (int64_t)f->limit : -1);
	while (sqlite3_step(s) == SQLITE_ROW) {
		xgrow(&rows, &cap, count + 1, sizeof(*rows));
		read_evidence_row(a, s, &rows[count++]);
	}
	sqlite3_finalize(s);
	*out = attest_arena_calloc(a, count + 1, sizeof(**out));
	if (count)
		memcpy(*out, rows, count * sizeof(*rows));
	free(rows);
	*n = count;
	for (size_t i = 0; i < count; i++)
		if ((rc = evidence_links(st, a, &(*out)[i])) < 0)
			return rc;
	return 0;
}

/* Newest verdict per subject among current records, tracked in a small
 * open-addressing table keyed by subject text. */
struct subject_slot {
	char *subject;
	int failing;
};

static int
sq_evidence_summary(struct attest_store *st, const char *control, int64_t as_of,
                    int64_t current_from, struct attest_evidence_summary *out)
{
	struct subject_slot *slots = NULL;
	size_t cap = 0, used = 0;
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = prepare(st, &s,
	                  "SELECT effective_at FROM evidence_control "
	                  "WHERE control = ? AND effective_at <= ? "
	                  "ORDER BY effective_at DESC LIMIT 1")) < 0)
		return rc;
	bind_text(s, 1, control);
	sqlite3_bind_int64(s, 2, as_of);
	if (sqlite3_step(s) == SQLITE_ROW) {
		out->has = 1;
		out->latest = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (!out->has || out->latest <= current_from)
		return 0;

	/* Rows come oldest first, so a later row overwrites its subject. */
	if ((rc = prepare(st, &s,
	                  "SELECT ifnull(subject, ''), verdict "
	                  "FROM evidence_control WHERE control = ? AND "
	                  "effective_at > ? AND effective_at <= ? "
	                  "ORDER BY effective_at, evidence_id")) < 0)
		return rc;
	bind_text(s, 1, control);
	sqlite3_bind_int64(s, 2, current_from);
	sqlite3_bind_int64(s, 3, as_of);
	cap = 64;
	slots = xcalloc(cap, sizeof(*slots));
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *subj = (const char *)sqlite3_column_text(s, 0);
		const char *verdict = (const char *)sqlite3_column_text(s, 1);
		uint64_t h = 1469598103934665603ULL;
		size_t k;

		for (const char *c = subj; *c; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
		if (used * 2 >= cap) { /* grow and rehash */
			struct subject_slot *old = slots;
			size_t oldcap = cap;
			cap *= 2;
			slots = xcalloc(cap, sizeof(*slots));
			for (size_t i = 0; i < oldcap; i++) {
				uint64_t g = 1469598103934665603ULL;
				if (!old[i].subject)
					continue;
				for (const char *c = old[i].subject; *c; c++)
					g = (g ^ (unsigned char)*c) *
					    1099511628211ULL;
				for (k = g & (cap - 1); slots[k].subject;
				     k = (k + 1) & (cap - 1))
					;
				slots[k] = old[i];
			}
			free(old);
		}
		for (k = h & (cap - 1);
		     slots[k].subject && strcmp(slots[k].subject, subj);
		     k = (k + 1) & (cap - 1))
			;
		if (!slots[k].subject) {
			slots[k].subject = xstrdup(subj);
			used++;
		}
		slots[k].failing =
		        !strcmp(verdict, "fail") || !strcmp(verdict, "error");
	}
	sqlite3_finalize(s);
	for (size_t i = 0; i < cap; i++) {
		if (!slots[i].subject)
			continue;
		out->subjects++;
		out->failing += slots[i].failing;
		free(slots[i].subject);
	}
	free(slots);
	return 0;
}

/* Redaction keeps what the assessment needs (kind, verdict, dates,
   controls) and drops what may name a person. */
static int
sq_evidence_redact(struct attest_store *st, int64_t ledger_idx, int64_t by)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "UPDATE evidence SET subject = NULL, note = NULL, "
	                  "payload = NULL, payload_sha256 = NULL, "
	                  "redacted_by = ? WHERE ledger_idx = ?")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, by);
	sqlite3_bind_int64(s, 2, ledger_idx);
	if ((rc = step_done(st, s, "evidence redaction")) < 0)
		return rc;
	if ((rc = prepare(st, &s,
	                  "UPDATE evidence_control SET subject = NULL "
	                  "WHERE evidence_id IN (SELECT id FROM evidence "
	                  "WHERE ledger_idx = ?)")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, ledger_idx);
	return step_done(st, s, "evidence redaction");
}

static int64_t
sq_changes(struct attest_store *st)
{
	return sqlite3_total_changes64(DB(st));
}

static const struct attest_store_ops sqlite_ops = {
        .version = 2,
        .close = sq_close,
        .begin = sq_begin,
        .commit = sq_commit,
        .rollback = sq_rollback,
        .meta_get = sq_meta_get,
        .meta_set = sq_meta_set,
        .scope_load = sq_scope_load,
        .categories_set = sq_categories_set,
        .system_put = sq_system_put,
        .subservice_put = sq_subservice_put,
        .user_entity_add = sq_user_entity_add,
        .not_applicable_put = sq_not_applicable_put,
        .exclusion_add = sq_exclusion_add,
        .scope_delete = sq_scope_delete,
        .states_load = sq_states_load,
        .state_put = sq_state_put,
        .custom_controls_load = sq_custom_controls_load,
        .custom_control_put = sq_custom_control_put,
        .evidence_insert = sq_evidence_insert,
        .evidence_get = sq_evidence_get,
        .evidence_list = sq_evidence_list,
        .evidence_summary = sq_evidence_summary,
        .evidence_redact = sq_evidence_redact,
        .ledger_state = sq_ledger_state,
        .ledger_state_put = sq_ledger_state_put,
        .ledger_append = sq_ledger_append,
        .ledger_scan = sq_ledger_scan,
        .ledger_tile_put = sq_ledger_tile_put,
        .ledger_tile_get = sq_ledger_tile_get,
        .ledger_checkpoint_put = sq_ledger_checkpoint_put,
        .ledger_checkpoints = sq_ledger_checkpoints,
        .ledger_clear_payload = sq_ledger_clear_payload,
        .ledger_hold_set = sq_ledger_hold_set,
        .ledger_hold_get = sq_ledger_hold_get,
        .ledger_holds = sq_ledger_holds,
        .ledger_anchor_add = sq_ledger_anchor_add,
        .changes = sq_changes,
};

int
attest_store_schema_version(void)
{
	int n = 0;

	while (attest_schema_migrations[n])
		n++;
	return n;
}

static int
migrate(struct attest_store *st)
{
	sqlite3_stmt *s;
	int version = 0, target = attest_store_schema_version(), rc;
	char pragma[64];

	if ((rc = prepare(st, &s, "PRAGMA user_version")) < 0)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > target)
		return attest_error_set(ATTEST_EDB,
		                        "%s: schema version %d is newer than "
		                        "this attest (%d); upgrade attest",
		                        ((struct sqlite_store *)st)->path,
		                        version, target);
	if (version == target)
		return 0;
	if ((rc = sq_begin(st)) < 0)
		return rc;
	for (int v = version; v < target; v++)
		if ((rc = exec(st, attest_schema_migrations[v])) < 0)
			goto fail;
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", target);
	if ((rc = exec(st, pragma)) < 0)
		goto fail;
	return sq_commit(st);
fail:
	sq_rollback(st);
	return rc;
}

int
attest_store_sqlite_open(struct attest_store **out, const char *path,
                         int create)
{
	struct sqlite_store *s = xcalloc(1, sizeof(*s));
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	int rc;

	s->base.ops = &sqlite_ops;
	s->path = xstrdup(path);
	*out = NULL;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		rc = attest_error_set(ATTEST_EDB, "%s: %s", path,
		                      s->db ? sqlite3_errmsg(s->db)
		                            : "cannot open");
		sq_close(&s->base);
		return rc;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if ((rc = exec(&s->base, "PRAGMA journal_mode=WAL;"
	                         "PRAGMA synchronous=FULL;"
	                         "PRAGMA secure_delete=ON;"
	                         "PRAGMA foreign_keys=ON;")) < 0 ||
	    (rc = migrate(&s->base)) < 0) {
		sq_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return 0;
}
