/*
 * What the files of the SQLite store share: the handle and the statement
 * helpers. The ledger's statements are prepared once and kept, because
 * appends run by the hundred thousand.
 */
#ifndef ATTEST_STORE_SQLITE_INT_H
#define ATTEST_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "attest/store.h"

enum sqlite_ledger_stmt {
	LEDGER_APPEND,
	LEDGER_TILE_PUT,
	LEDGER_TILE_GET,
	LEDGER_NSTMT
};

struct sqlite_store {
	struct attest_store base;
	sqlite3 *db;
	char *path;
	sqlite3_stmt *ledger[LEDGER_NSTMT];
};

sqlite3 *DB(struct attest_store *st);
/* Records "<path>: <what>: <sqlite message>" and returns ATTEST_EDB. */
int db_error(struct attest_store *st, const char *what);
int prepare(struct attest_store *st, sqlite3_stmt **stmt, const char *sql);
int exec(struct attest_store *st, const char *sql);
void bind_text(sqlite3_stmt *s, int i, const char *v);
/* Runs a write statement to completion and finalizes it. */
int step_done(struct attest_store *st, sqlite3_stmt *s, const char *what);

/* The ledger operations (sqlite_ledger.c). */
void sqlite_ledger_finalize(struct sqlite_store *s);
int sq_ledger_state(struct attest_store *st, uint64_t *size, uint8_t *range,
                    size_t cap, size_t *range_len);
int sq_ledger_state_put(struct attest_store *st, uint64_t size,
                        const uint8_t *range, size_t range_len);
int sq_ledger_append(struct attest_store *st,
                     const struct attest_ledger_row *row);
int sq_ledger_scan(struct attest_store *st, uint64_t from, uint64_t to,
                   attest_ledger_row_fn fn, void *ctx);
int sq_ledger_tile_put(struct attest_store *st, unsigned level, uint64_t n,
                       const uint8_t *hashes);
int sq_ledger_tile_get(struct attest_store *st, unsigned level, uint64_t n,
                       uint8_t *hashes);
int sq_ledger_checkpoint_put(struct attest_store *st, uint64_t size,
                             const char *note);
int sq_ledger_checkpoints(struct attest_store *st, struct attest_arena *a,
                          uint64_t max_size, uint64_t **sizes,
                          const char ***notes, size_t *n);
int sq_ledger_clear_payload(struct attest_store *st, uint64_t idx, uint64_t by);
int sq_ledger_hold_set(struct attest_store *st, uint64_t idx,
                       const char *reason, int64_t since);
int sq_ledger_hold_get(struct attest_store *st, struct attest_arena *a,
                       uint64_t idx, const char **reason);
int sq_ledger_holds(struct attest_store *st, struct attest_arena *a,
                    uint64_t **idx, size_t *n);
int sq_ledger_anchor_add(struct attest_store *st, uint64_t size,
                         const char *kind, int64_t received_at);

#endif
