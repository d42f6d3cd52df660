/*
 * The one door for evidence. Anything an auditor may rely on enters the
 * workspace through attest_evidence_append(); no other code writes evidence
 * rows. Each record is appended to the tamper-evident ledger
 * (include/attest/ledger.h) before its row is written, and the row keeps
 * the entry's index.
 */
#ifndef ATTEST_EVIDENCE_H
#define ATTEST_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "attest/store.h"

struct attest_workspace;

/*
 * Appends one evidence record. ev->controls must name controls of the
 * workspace catalog; ev->verdict and ev->kind must be known values. Each of
 * files is hashed and stored content-addressed under attachments/ (its base
 * name is kept as the attachment's name). The payload commitment is the
 * SHA-256 of ev->payload. Must be called inside a workspace transaction; on
 * error nothing of this record remains once the transaction rolls back.
 * Fails with ATTEST_ENOTFOUND when the workspace has no ledger key.
 * *id receives the evidence id.
 */
int attest_evidence_append(struct attest_workspace *ws,
                           const struct attest_evidence *ev,
                           const char *const *files, size_t nfiles,
                           int64_t *id);

/*
 * The record as the ledger logs it: JSON with sorted keys and no
 * whitespace, times as ISO 8601, controls sorted, attachments by name.
 * Allocated (free()). The id and ledger fields are not part of it.
 */
char *attest_evidence_canonical(const struct attest_evidence *ev);

/* True for pass, fail, not_applicable, error, manual, info. */
int attest_evidence_verdict_valid(const char *verdict);

#endif
