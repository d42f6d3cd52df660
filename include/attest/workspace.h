/*
 * A workspace: one company's SOC 2 programme in a folder. It holds the
 * SQLite database (attest.db, WAL mode), content-addressed attachments
 * (attachments/aa/<sha256>) and the company's own catalog files (content/).
 *
 * A workspace handle is used by one thread at a time. Writes happen between
 * attest_workspace_begin() and attest_workspace_commit(); rollback (or
 * closing with a transaction open) undoes the database changes and removes
 * the attachment files that the transaction created.
 */
#ifndef ATTEST_WORKSPACE_H
#define ATTEST_WORKSPACE_H

#include <stdint.h>

#include "attest/catalog.h"
#include "attest/store.h"

struct attest_workspace;

#define ATTEST_DB_NAME "attest.db"

/*
 * Finds the workspace directory as git finds a repository: dir when given
 * (-C), else $ATTEST_DIR, else the current directory or its nearest parent
 * that holds attest.db. *out is allocated (free()).
 */
int attest_workspace_find(char **out, const char *dir);

/*
 * Creates a workspace in dir (created if missing) for org with the given
 * categories (security is always added). Fails with ATTEST_EEXISTS, leaving
 * everything as it was, when dir already holds a workspace.
 */
int attest_workspace_init(const char *dir, const char *org, unsigned categories,
                          int64_t now);

/* Opens the workspace in dir. Caller closes with attest_workspace_close(). */
int attest_workspace_open(struct attest_workspace **out, const char *dir);

void attest_workspace_close(struct attest_workspace *ws);

/* Borrowed; valid until the workspace is closed. */
struct attest_store *attest_workspace_store(struct attest_workspace *ws);
const char *attest_workspace_dir(const struct attest_workspace *ws);

/*
 * The catalog as this workspace sees it: built-in content, then the files
 * under content/, then controls added by command. Loaded on first use;
 * errors name the file and line. Borrowed.
 */
int attest_workspace_catalog(struct attest_workspace *ws,
                             const struct attest_catalog **out);

/*
 * Names who is acting and the command they ran (JSON text, e.g. the argv
 * array). A committed transaction that changed the workspace without
 * logging anything itself is logged as a `change` ledger entry carrying
 * these (the audit trail). Copies both.
 */
void attest_workspace_set_command(struct attest_workspace *ws,
                                  const char *actor, const char *command);

int attest_workspace_begin(struct attest_workspace *ws);
int attest_workspace_commit(struct attest_workspace *ws);
int attest_workspace_rollback(struct attest_workspace *ws);

/*
 * Path of an attachment by SHA-256 (allocated), and the record of a file
 * created by the current transaction so rollback can remove it.
 */
char *attest_workspace_attachment_path(const struct attest_workspace *ws,
                                       const char *sha256);
void attest_workspace_track_new_file(struct attest_workspace *ws,
                                     const char *path);

#endif
