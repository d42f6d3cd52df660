/*
 * The evidence ledger of a workspace: an RFC 6962 Merkle log with signed
 * checkpoints (docs/ledger.md, docs/ledger-format.md). Every evidence
 * record and every user-made change is appended here; entries appended in
 * one workspace transaction form a batch with one signed checkpoint (a
 * long transaction is cut into batches of ATTEST_LEDGER_BATCH).
 *
 * Appends must run inside attest_workspace_begin()/commit(); the checkpoint
 * is signed as part of the commit, so a rolled-back command leaves neither
 * entries nor checkpoints. Not thread-safe: one workspace, one thread.
 */
#ifndef ATTEST_LEDGER_H
#define ATTEST_LEDGER_H

#include <stddef.h>
#include <stdint.h>

struct attest_workspace;
struct attest_arena;
struct attest_buf;
struct tlog_check_opts;
struct tlog_check_report;

#define ATTEST_LEDGER_BATCH 1000
#define ATTEST_LEDGER_KEY   "ledger.key" /* in the workspace, mode 0600 */

struct attest_ledger_entry {
	unsigned kind;          /* enum tlog_kind */
	const char *source;     /* non-personal: "attest.evidence/upload" */
	const char *controls;   /* sorted, comma-separated; may be NULL */
	int64_t observed_at_ms; /* the collector's claim */
	const char *media_type; /* may be NULL */
	const void *payload;    /* may hold personal data; redactable */
	size_t payload_len;
	const uint8_t *body; /* kind-specific (src/tlog/leaf.h) */
	size_t body_len;
};

/*
 * Creates the workspace's Ed25519 key (ledger.key, mode 0600) and logs it
 * as the first key_event entry. origin names the log in its checkpoints
 * (NULL: "attest.local/<organization slug>"). Fails with ATTEST_EEXISTS
 * when a key exists. *vkey (allocated) receives the verifier key. Inside a
 * transaction.
 */
int attest_ledger_key_create(struct attest_workspace *ws, const char *origin,
                             char **vkey);
/* Rotates the key: a key_event entry whose checkpoint carries the old and
 * the new signature; the new key replaces ledger.key on commit. */
int attest_ledger_key_rotate(struct attest_workspace *ws, char **vkey);
/* The current verifier key and the history of keys, oldest first, one per
 * line (allocated). */
int attest_ledger_vkey(struct attest_workspace *ws, char **vkey,
                       char **history);

/* Appends one entry (inside a transaction); *idx receives its index. */
int attest_ledger_append(struct attest_workspace *ws,
                         const struct attest_ledger_entry *e, uint64_t *idx);

/* Signs a checkpoint over what the open transaction appended (called by
 * attest_workspace_commit; harmless when nothing is pending). */
int attest_ledger_seal(struct attest_workspace *ws);

struct attest_ledger_status {
	const char *origin, *vkey; /* NULL: no key yet */
	uint64_t size;             /* entries */
	uint64_t checkpoint_size;  /* of the latest checkpoint */
	const char *checkpoint;    /* its signed note */
	uint64_t checkpoints;      /* stored */
	int64_t first_logged_ms, last_logged_ms;
	uint64_t redacted, held;
	uint64_t anchored_size; /* largest checkpoint sent to an auditor */
	int64_t anchored_at;    /* when (s), or 0 */
	uint64_t by_kind[8];    /* entries per enum tlog_kind */
};

/* Loads the ledger, checks the stored tree against the last checkpoint,
 * and describes it. Strings live in a. */
int attest_ledger_status(struct attest_workspace *ws, struct attest_arena *a,
                         struct attest_ledger_status *out);

/* The stored checkpoint of exactly size (0: the latest); borrowed from a. */
int attest_ledger_checkpoint(struct attest_workspace *ws,
                             struct attest_arena *a, uint64_t size,
                             const char **note);

/*
 * Recomputes the whole tree from the database and checks every entry,
 * payload commitment, redaction, stored checkpoint and signature, plus the
 * trusted checkpoints in o, and that every evidence row is logged with the
 * same content. Keys default to the workspace's history. Returns the exit
 * status (0, 1 tamper evidence, 3 warnings) or a negative error.
 */
int attest_ledger_verify(struct attest_workspace *ws,
                         const struct tlog_check_opts *o,
                         struct tlog_check_report *r);

/* A C2SP tlog-proof of entry idx against the stored checkpoint of size
 * (0: the latest); the proof's extra field carries the LeafV1 bytes. */
int attest_ledger_prove(struct attest_workspace *ws, uint64_t idx,
                        uint64_t size, struct attest_buf *out);
/* A consistency proof between two stored checkpoints. */
int attest_ledger_consistency(struct attest_workspace *ws, uint64_t old_size,
                              uint64_t new_size, struct attest_buf *out);

/* Redaction reasons: gdpr_erasure, retention_expiry, legal_order,
 * collection_error. */
int attest_ledger_redact(struct attest_workspace *ws, uint64_t idx,
                         const char *reason, const char *request,
                         const char *approver, uint64_t *redaction_idx);
/* Legal hold on an entry (reason NULL releases it). */
int attest_ledger_hold(struct attest_workspace *ws, uint64_t idx,
                       const char *reason);
/* Clears the payloads of entries logged before cutoff (s) under policy,
 * keeping held ones; one retention_purge entry. *cleared counts. */
int attest_ledger_purge(struct attest_workspace *ws, int64_t cutoff,
                        const char *policy, uint64_t *purge_idx,
                        uint64_t *cleared, uint64_t *kept);

/* The latest checkpoint for an auditor (allocated); records the hand-over
 * as an anchor_receipt entry. */
int attest_ledger_export_checkpoint(struct attest_workspace *ws, char **note);

/* Writes an auditor bundle into dir (must not exist): the whole tree,
 * payloads of entries logged or observed in [from, to), proofs for the
 * given indices. progress may be NULL. */
int attest_ledger_export_bundle(struct attest_workspace *ws, const char *dir,
                                int64_t from, int64_t to,
                                const uint64_t *proofs, size_t nproofs,
                                void (*progress)(void *, uint64_t, uint64_t),
                                void *progress_ctx);

#endif
