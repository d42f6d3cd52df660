/*
 * What the workspace and the ledger tell each other. The workspace owns
 * the ledger state (loaded on first use) and calls the ledger around its
 * transactions; the ledger asks the workspace for files to act on only
 * after a commit (a rotated key, erased attachments).
 */
#ifndef ATTEST_LEDGER_INT_H
#define ATTEST_LEDGER_INT_H

#include <stdint.h>

struct attest_workspace;
struct attest_ledger;

/* The workspace's ledger slot. */
struct attest_ledger **attest_workspace_ledger(struct attest_workspace *ws);

/* Store changes made since the transaction began, and the command that
 * made them (NULL when not set). */
int64_t attest_workspace_tx_changes(struct attest_workspace *ws);
const char *attest_workspace_command(const struct attest_workspace *ws,
                                     const char **actor);

/* After a successful commit: rename from to to (to NULL: remove from). */
void attest_workspace_after_commit(struct attest_workspace *ws,
                                   const char *from, const char *to);

/* Called by the workspace: before the store commits (logs the change,
 * seals the batch), after a rollback (forgets in-memory state), and on
 * close. */
int ledger_before_commit(struct attest_workspace *ws);
void ledger_after_rollback(struct attest_workspace *ws);
void ledger_free(struct attest_ledger *l);

#endif
