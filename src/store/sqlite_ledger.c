/*
 * The ledger's tables in SQLite (schema migration 2). One row per entry
 * with its leaf, salt and payload; full tiles in 8 KiB rows; checkpoints
 * as signed-note text. Append and tile statements are prepared once per
 * connection: the append path is benchmarked against a raw insert.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/error.h"
#include "store/sqlite_int.h"
#include "tlog/tile.h"
#include "util/alloc.h"
#include "util/arena.h"

static const char *const ledger_sql[LEDGER_NSTMT] = {
        [LEDGER_APPEND] = "INSERT INTO ledger_entry(idx, leaf, payload, "
                          "salt) VALUES(?, ?, ?, ?)",
        [LEDGER_TILE_PUT] = "INSERT INTO ledger_tile(level, n, hashes) "
                            "VALUES(?, ?, ?)",
        [LEDGER_TILE_GET] = "SELECT hashes FROM ledger_tile "
                            "WHERE level = ? AND n = ?",
};

static sqlite3_stmt *
stmt(struct attest_store *st, enum sqlite_ledger_stmt which, int *rc)
{
	struct sqlite_store *s = (struct sqlite_store *)st;

	*rc = 0;
	if (s->ledger[which] == NULL &&
	    (*rc = prepare(st, &s->ledger[which], ledger_sql[which])) < 0)
		return NULL;
	sqlite3_reset(s->ledger[which]);
	return s->ledger[which];
}

void
sqlite_ledger_finalize(struct sqlite_store *s)
{
	for (int i = 0; i < LEDGER_NSTMT; i++) {
		sqlite3_finalize(s->ledger[i]);
		s->ledger[i] = NULL;
	}
}

int
sq_ledger_state(struct attest_store *st, uint64_t *size, uint8_t *range,
                size_t cap, size_t *range_len)
{
	sqlite3_stmt *s;
	int rc;

	*size = 0;
	*range_len = 0;
	if ((rc = prepare(st, &s,
	                  "SELECT size, compact_range FROM ledger_state "
	                  "WHERE id = 1")) < 0)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(s, 1);
		*size = (uint64_t)sqlite3_column_int64(s, 0);
		if (n > cap)
			rc = attest_error_set(ATTEST_EDB,
			                      "ledger state: compact range of "
			                      "%zu bytes is too long",
			                      n);
		else if (n)
			memcpy(range, sqlite3_column_blob(s, 1), n);
		*range_len = n;
	}
	sqlite3_finalize(s);
	return rc;
}

int
sq_ledger_state_put(struct attest_store *st, uint64_t size,
                    const uint8_t *range, size_t range_len)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT INTO ledger_state(id, size, compact_range) "
	                  "VALUES(1, ?, ?) ON CONFLICT(id) DO UPDATE SET "
	                  "size = excluded.size, "
	                  "compact_range = excluded.compact_range")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, (int64_t)size);
	sqlite3_bind_blob(s, 2, range_len ? (const void *)range : "",
	                  (int)range_len, SQLITE_STATIC);
	return step_done(st, s, "ledger state");
}

int
sq_ledger_append(struct attest_store *st, const struct attest_ledger_row *row)
{
	int rc;
	sqlite3_stmt *s = stmt(st, LEDGER_APPEND, &rc);

	if (s == NULL)
		return rc;
	sqlite3_bind_int64(s, 1, (int64_t)row->idx);
	sqlite3_bind_blob(s, 2, row->leaf, (int)row->leaf_len, SQLITE_STATIC);
	if (row->salt) {
		sqlite3_bind_blob(s, 3,
		                  row->payload_len ? (const void *)row->payload
		                                   : "",
		                  (int)row->payload_len, SQLITE_STATIC);
		sqlite3_bind_blob(s, 4, row->salt, 32, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(s, 3);
		sqlite3_bind_null(s, 4);
	}
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_error(st, "ledger entry");
	sqlite3_reset(s);
	return rc;
}

int
sq_ledger_scan(struct attest_store *st, uint64_t from, uint64_t to,
               attest_ledger_row_fn fn, void *ctx)
{
	sqlite3_stmt *s;
	struct attest_ledger_row row;
	int rc, step;

	if ((rc = prepare(st, &s,
	                  "SELECT idx, leaf, payload, salt, redacted_by "
	                  "FROM ledger_entry WHERE idx >= ? AND idx < ? "
	                  "ORDER BY idx")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, (int64_t)from);
	sqlite3_bind_int64(s, 2, to > INT64_MAX ? INT64_MAX : (int64_t)to);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		row.idx = (uint64_t)sqlite3_column_int64(s, 0);
		row.leaf = sqlite3_column_blob(s, 1);
		row.leaf_len = (size_t)sqlite3_column_bytes(s, 1);
		row.payload = sqlite3_column_blob(s, 2);
		row.payload_len = (size_t)sqlite3_column_bytes(s, 2);
		row.salt = sqlite3_column_blob(s, 3);
		if (row.salt && sqlite3_column_bytes(s, 3) != 32)
			row.salt = NULL; /* a damaged salt reads as absent */
		if (row.salt && row.payload == NULL)
			row.payload = (const uint8_t *)"";
		row.redacted_by = sqlite3_column_type(s, 4) == SQLITE_NULL
		                          ? -1
		                          : sqlite3_column_int64(s, 4);
		if ((rc = fn(ctx, &row)) != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(st, "ledger scan");
	sqlite3_finalize(s);
	return rc;
}

int
sq_ledger_tile_put(struct attest_store *st, unsigned level, uint64_t n,
                   const uint8_t *hashes)
{
	int rc;
	sqlite3_stmt *s = stmt(st, LEDGER_TILE_PUT, &rc);

	if (s == NULL)
		return rc;
	sqlite3_bind_int(s, 1, (int)level);
	sqlite3_bind_int64(s, 2, (int64_t)n);
	sqlite3_bind_blob(s, 3, hashes, TLOG_TILE_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_error(st, "ledger tile");
	sqlite3_reset(s);
	return rc;
}

int
sq_ledger_tile_get(struct attest_store *st, unsigned level, uint64_t n,
                   uint8_t *hashes)
{
	int rc;
	sqlite3_stmt *s = stmt(st, LEDGER_TILE_GET, &rc);

	if (s == NULL)
		return rc;
	sqlite3_bind_int(s, 1, (int)level);
	sqlite3_bind_int64(s, 2, (int64_t)n);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) == TLOG_TILE_BYTES) {
		memcpy(hashes, sqlite3_column_blob(s, 0), TLOG_TILE_BYTES);
		rc = 0;
	} else if (rc == SQLITE_ROW) {
		rc = attest_error_set(ATTEST_EDB,
		                      "ledger tile %u/%llu has %d bytes, not "
		                      "%d",
		                      level, (unsigned long long)n,
		                      sqlite3_column_bytes(s, 0),
		                      TLOG_TILE_BYTES);
	} else if (rc == SQLITE_DONE) {
		rc = attest_error_set(ATTEST_ENOTFOUND,
		                      "ledger tile %u/%llu is not stored",
		                      level, (unsigned long long)n);
	} else {
		rc = db_error(st, "ledger tile");
	}
	sqlite3_reset(s);
	return rc;
}

int
sq_ledger_checkpoint_put(struct attest_store *st, uint64_t size,
                         const char *note)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT OR REPLACE INTO ledger_checkpoint(size, "
	                  "note) VALUES(?, ?)")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, (int64_t)size);
	bind_text(s, 2, note);
	return step_done(st, s, "ledger checkpoint");
}

int
sq_ledger_checkpoints(struct attest_store *st, struct attest_arena *a,
                      uint64_t max_size, uint64_t **sizes, const char ***notes,
                      size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0, count = 0;
	uint64_t *sz = NULL;
	const char **nt = NULL;
	int rc;

	if ((rc = prepare(st, &s,
	                  "SELECT size, note FROM ledger_checkpoint "
	                  "WHERE size <= ? ORDER BY size")) < 0)
		return rc;
	sqlite3_bind_int64(
	        s, 1, max_size > INT64_MAX ? INT64_MAX : (int64_t)max_size);
	while (sqlite3_step(s) == SQLITE_ROW)
		cap++;
	sqlite3_reset(s);
	sz = attest_arena_calloc(a, cap + 1, sizeof(*sz));
	nt = attest_arena_calloc(a, cap + 1, sizeof(*nt));
	while (count < cap && sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 1);
		sz[count] = (uint64_t)sqlite3_column_int64(s, 0);
		nt[count] = attest_arena_strdup(a, t ? (const char *)t : "");
		count++;
	}
	sqlite3_finalize(s);
	*sizes = sz;
	*notes = nt;
	*n = count;
	return 0;
}

int
sq_ledger_clear_payload(struct attest_store *st, uint64_t idx, uint64_t by)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "UPDATE ledger_entry SET payload = NULL, salt = "
	                  "NULL, redacted_by = ? WHERE idx = ?")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, (int64_t)by);
	sqlite3_bind_int64(s, 2, (int64_t)idx);
	if ((rc = step_done(st, s, "ledger redaction")) < 0)
		return rc;
	if (sqlite3_changes(DB(st)) == 0)
		return attest_error_set(ATTEST_ENOTFOUND,
		                        "no ledger entry %llu",
		                        (unsigned long long)idx);
	return 0;
}

int
sq_ledger_hold_set(struct attest_store *st, uint64_t idx, const char *reason,
                   int64_t since)
{
	sqlite3_stmt *s;
	int rc;

	if (reason == NULL) {
		if ((rc = prepare(st, &s,
		                  "DELETE FROM ledger_hold WHERE idx = ?")) < 0)
			return rc;
		sqlite3_bind_int64(s, 1, (int64_t)idx);
		if ((rc = step_done(st, s, "ledger hold")) < 0)
			return rc;
		if (sqlite3_changes(DB(st)) == 0)
			return attest_error_set(ATTEST_ENOTFOUND,
			                        "entry %llu is not on legal "
			                        "hold",
			                        (unsigned long long)idx);
		return 0;
	}
	if ((rc = prepare(st, &s,
	                  "INSERT OR REPLACE INTO ledger_hold(idx, reason, "
	                  "since) VALUES(?, ?, ?)")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, (int64_t)idx);
	bind_text(s, 2, reason);
	sqlite3_bind_int64(s, 3, since);
	return step_done(st, s, "ledger hold");
}

int
sq_ledger_hold_get(struct attest_store *st, struct attest_arena *a,
                   uint64_t idx, const char **reason)
{
	sqlite3_stmt *s;
	int rc;

	*reason = NULL;
	if ((rc = prepare(st, &s,
	                  "SELECT reason FROM ledger_hold WHERE idx = ?")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, (int64_t)idx);
	if (sqlite3_step(s) == SQLITE_ROW)
		*reason = attest_arena_strdup(
		        a, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return 0;
}

int
sq_ledger_holds(struct attest_store *st, struct attest_arena *a, uint64_t **idx,
                size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0, count = 0;
	int rc;

	if ((rc = prepare(st, &s, "SELECT idx FROM ledger_hold ORDER BY idx")) <
	    0)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW)
		cap++;
	sqlite3_reset(s);
	*idx = attest_arena_calloc(a, cap + 1, sizeof(**idx));
	while (count < cap && sqlite3_step(s) == SQLITE_ROW)
		(*idx)[count++] = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	*n = count;
	return 0;
}

int
sq_ledger_anchor_add(struct attest_store *st, uint64_t size, const char *kind,
                     int64_t received_at)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = prepare(st, &s,
	                  "INSERT INTO ledger_anchor(size, kind, "
	                  "received_at) VALUES(?, ?, ?)")) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, (int64_t)size);
	bind_text(s, 2, kind);
	sqlite3_bind_int64(s, 3, received_at);
	return step_done(st, s, "ledger anchor");
}
