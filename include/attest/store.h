/*
 * The records a workspace keeps, and the store interface that keeps them.
 *
 * The store is a versioned table of operations (like SQLite's VFS): the
 * SQLite implementation lives in src/store/store_sqlite.c and a PostgreSQL
 * one can follow behind the same table. Code above the store never knows
 * which one it talks to.
 *
 * Records returned by the load/list operations are allocated in the arena
 * the caller passes and live as long as it. Every write operation must run
 * inside attest_workspace_begin()/commit(), so a failing command leaves the
 * workspace unchanged.
 */
#ifndef ATTEST_STORE_H
#define ATTEST_STORE_H

#include <stddef.h>
#include <stdint.h>

struct attest_arena;
struct attest_control_def;

struct attest_system {
	const char *id, *name, *kind, *description,
	        *owner; /* kind: system|asset */
};

struct attest_subservice {
	const char *id, *name, *method, *services; /* carve-out|inclusive */
	const char **controls; /* controls expected of it (CSOCs) */
	size_t ncontrols;
	const char **criteria;
	size_t ncriteria;
};

struct attest_user_entity {
	int64_t id;
	const char *kind; /* cuec|responsibility */
	const char *text;
	const char **criteria;
	size_t ncriteria;
};

struct attest_not_applicable {
	const char *criterion, *reason;
};

struct attest_exclusion {
	int64_t id;
	const char *target; /* a control, criterion or system id */
	const char *reason, *owner;
	int64_t expires; /* instant, UTC */
};

struct attest_scope {
	unsigned categories; /* bit per enum attest_category */
	struct attest_system *systems;
	size_t nsystems;
	struct attest_subservice *subservices;
	size_t nsubservices;
	struct attest_user_entity *user_entities;
	size_t nuser_entities;
	struct attest_not_applicable *not_applicable;
	size_t nnot_applicable;
	struct attest_exclusion *exclusions;
	size_t nexclusions;
};

/* The workspace's decisions about one control. NULL fields: not set. */
struct attest_control_state {
	const char *control;
	const char *status; /* not-started|in-progress|implemented|
	                       not-applicable */
	const char *owner, *note, *reason;
	const char *statement, *frequency; /* tailoring */
	int64_t updated_at;
};

struct attest_attachment {
	const char *sha256, *name;
	int64_t size;
};

struct attest_evidence {
	int64_t id;
	const char *kind;   /* upload|check|import|attestation|register|
	                       population */
	const char *source; /* who or what produced it */
	const char **controls;
	size_t ncontrols;
	const char *subject; /* host, asset, person, system; may be NULL */
	const char *verdict; /* pass|fail|not_applicable|error|manual|info */
	int64_t collected_at, effective_at;
	const char *note;
	const char *payload; /* JSON text, may be NULL */
	const char *payload_sha256;
	struct attest_attachment *attachments;
	size_t nattachments;
	int64_t ledger_idx;  /* its ledger entry */
	int64_t redacted_by; /* the redacting ledger entry, or -1 */
};

/* One ledger entry as stored (docs/ledger-format.md). */
struct attest_ledger_row {
	uint64_t idx;
	const uint8_t *leaf;
	size_t leaf_len;
	const uint8_t *salt; /* 32 bytes; NULL once redacted */
	const uint8_t *payload;
	size_t payload_len;
	int64_t redacted_by; /* -1: not redacted */
};

/* Called per row by ledger_scan; the row is borrowed for the call. A
 * non-zero return stops the scan and is returned. */
typedef int (*attest_ledger_row_fn)(void *ctx,
                                    const struct attest_ledger_row *row);

struct attest_evidence_filter {
	const char *control; /* NULL: all */
	int64_t before;      /* effective_at < before; 0: no bound */
	size_t limit;        /* 0: no limit */
};

/* What the assessment needs of one control's evidence, as of a date. */
struct attest_evidence_summary {
	int has;          /* any record effective at or before as_of */
	int64_t latest;   /* newest effective_at when has */
	int64_t failing;  /* subjects whose newest current record fails */
	int64_t subjects; /* subjects with a current record */
};

struct attest_store;

struct attest_store_ops {
	int version; /* 1 */
	void (*close)(struct attest_store *st);
	int (*begin)(struct attest_store *st);
	int (*commit)(struct attest_store *st);
	int (*rollback)(struct attest_store *st);

	int (*meta_get)(struct attest_store *st, struct attest_arena *a,
	                const char *key, const char **value);
	int (*meta_set)(struct attest_store *st, const char *key,
	                const char *value);

	int (*scope_load)(struct attest_store *st, struct attest_arena *a,
	                  struct attest_scope *out);
	int (*categories_set)(struct attest_store *st, unsigned categories);
	int (*system_put)(struct attest_store *st,
	                  const struct attest_system *s);
	int (*subservice_put)(struct attest_store *st,
	                      const struct attest_subservice *s);
	int (*user_entity_add)(struct attest_store *st,
	                       const struct attest_user_entity *u, int64_t *id);
	int (*not_applicable_put)(struct attest_store *st,
	                          const struct attest_not_applicable *na);
	int (*exclusion_add)(struct attest_store *st,
	                     const struct attest_exclusion *e, int64_t *id);
	/* table: system|subservice|cuec|responsibility|not_applicable|
	   exclusion; ATTEST_ENOTFOUND when nothing matched */
	int (*scope_delete)(struct attest_store *st, const char *table,
	                    const char *key);

	int (*states_load)(struct attest_store *st, struct attest_arena *a,
	                   struct attest_control_state **out, size_t *n);
	int (*state_put)(struct attest_store *st,
	                 const struct attest_control_state *s);
	int (*custom_controls_load)(struct attest_store *st,
	                            struct attest_arena *a,
	                            struct attest_control_def **out, size_t *n);
	int (*custom_control_put)(struct attest_store *st,
	                          const struct attest_control_def *def);

	/* Only evidence_append (src/evidence) may call this. */
	int (*evidence_insert)(struct attest_store *st,
	                       const struct attest_evidence *ev, int64_t *id);
	int (*evidence_get)(struct attest_store *st, struct attest_arena *a,
	                    int64_t id, struct attest_evidence *out);
	int (*evidence_list)(struct attest_store *st, struct attest_arena *a,
	                     const struct attest_evidence_filter *f,
	                     struct attest_evidence **out, size_t *n);
	/* Records current when effective in (current_from, as_of]. */
	int (*evidence_summary)(struct attest_store *st, const char *control,
	                        int64_t as_of, int64_t current_from,
	                        struct attest_evidence_summary *out);
	/* Clears the personal fields of the record logged at ledger_idx. */
	int (*evidence_redact)(struct attest_store *st, int64_t ledger_idx,
	                       int64_t by);

	/* The ledger (version 2). Only src/ledger calls these. */
	int (*ledger_state)(struct attest_store *st, uint64_t *size,
	                    uint8_t *range, size_t cap, size_t *range_len);
	int (*ledger_state_put)(struct attest_store *st, uint64_t size,
	                        const uint8_t *range, size_t range_len);
	int (*ledger_append)(struct attest_store *st,
	                     const struct attest_ledger_row *row);
	/* Rows [from, to) in index order (to = UINT64_MAX: to the end). */
	int (*ledger_scan)(struct attest_store *st, uint64_t from, uint64_t to,
	                   attest_ledger_row_fn fn, void *ctx);
	int (*ledger_tile_put)(struct attest_store *st, unsigned level,
	                       uint64_t n, const uint8_t *hashes);
	/* ATTEST_ENOTFOUND when the tile is not stored. */
	int (*ledger_tile_get)(struct attest_store *st, unsigned level,
	                       uint64_t n, uint8_t *hashes);
	int (*ledger_checkpoint_put)(struct attest_store *st, uint64_t size,
	                             const char *note);
	/* Stored checkpoints by size, at most max_size (arena strings). */
	int (*ledger_checkpoints)(struct attest_store *st,
	                          struct attest_arena *a, uint64_t max_size,
	                          uint64_t **sizes, const char ***notes,
	                          size_t *n);
	/* Sets payload and salt to NULL and redacted_by; ATTEST_ENOTFOUND
	   when idx is not an entry. */
	int (*ledger_clear_payload)(struct attest_store *st, uint64_t idx,
	                            uint64_t by);
	/* reason NULL releases; *reason (arena) NULL when not held. */
	int (*ledger_hold_set)(struct attest_store *st, uint64_t idx,
	                       const char *reason, int64_t since);
	int (*ledger_hold_get)(struct attest_store *st, struct attest_arena *a,
	                       uint64_t idx, const char **reason);
	/* Every held entry, by index (arena array). */
	int (*ledger_holds)(struct attest_store *st, struct attest_arena *a,
	                    uint64_t **idx, size_t *n);
	int (*ledger_anchor_add)(struct attest_store *st, uint64_t size,
	                         const char *kind, int64_t received_at);
	/* Total rows changed since the store was opened (audit trail). */
	int64_t (*changes)(struct attest_store *st);
};

struct attest_store {
	const struct attest_store_ops *ops;
};

/*
 * Opens (create: creates) the SQLite store at path, in WAL mode, and
 * applies pending schema migrations in one transaction.
 */
int attest_store_sqlite_open(struct attest_store **out, const char *path,
                             int create);

/* The schema version this build writes. */
int attest_store_schema_version(void);

#endif
