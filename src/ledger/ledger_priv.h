/*
 * Shared by the files of the ledger module (src/ledger): the in-memory
 * state of a workspace's log and the helpers around it.
 */
#ifndef ATTEST_LEDGER_PRIV_H
#define ATTEST_LEDGER_PRIV_H

#include <stdint.h>

#include "attest/store.h"
#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tile.h"

struct attest_arena;
struct attest_workspace;

struct attest_ledger {
	int loaded;
	struct attest_store *st;
	char *origin, *tenant;
	struct tlog_signer signer, old_signer;
	int has_signer, cosign; /* cosign: the batch rotates the key */
	uint64_t size, sealed;  /* entries; entries under a checkpoint */
	int64_t last_logged_ms;
	struct tlog_range range;
	struct tlog_tile_writer tiles;
	uint64_t tx_appended;
	/* Salts are ChaCha20 keystream under a key drawn at load and never
	   stored: unpredictable, gone with the payload on redaction, and one
	   getrandom() per process instead of one per entry. */
	uint8_t salt_key[32];
	uint8_t leaf[TLOG_LEAF_MAX];
};

/* Loads (once per transaction) and checks the ledger; need_key also reads
   the signing key. The state stays owned by the workspace. */
int ledger_load(struct attest_workspace *ws, struct attest_ledger **out,
                int need_key);

/* Appends an entry whose payload is o as compact JSON with sorted keys
   (takes the reference to o). */
struct json_t;
int ledger_append_json(struct attest_workspace *ws, unsigned kind,
                       const char *source, struct json_t *o, uint64_t *idx);

/* Wipes and frees a secret key string (NULL is fine). */
void wipe_free(char *secret);

int64_t now_ms(void);
struct tlog_bytes bytes_of(const char *s);
/* <workspace>/ledger.key<suffix> (allocated). */
char *key_path(struct attest_workspace *ws, const char *suffix);
int write_key(const char *path, const char *skey);
int read_key(struct tlog_signer *s, const char *path);
/* A tiles view of the stored tree (free()). */
struct tlog_tiles *tiles_view(struct attest_store *st, uint64_t size);
int latest_checkpoint(struct attest_store *st, struct attest_arena *a,
                      uint64_t *size, const char **note);
/* Root, size and (when origin is not NULL, allocated) origin of a stored
   checkpoint note. */
int note_root(const char *note, tlog_hash root, uint64_t *size, char **origin);

#endif
