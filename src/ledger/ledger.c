/*
 * The workspace's evidence ledger: appends LeafV1 entries to the RFC 6962
 * tree kept in the store (entries, full tiles, checkpoints), signs one
 * checkpoint per batch, and answers status, proofs, redaction, retention
 * and verification. The formats live in src/tlog; this file only connects
 * them to the workspace. See docs/ledger.md.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "attest/error.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "ledger/ledger_int.h"
#include "ledger/ledger_priv.h"
#include "tlog/check.h"
#include "tlog/leaf.h"
#include "tlog/note.h"
#include "tlog/proof.h"
#include "tlog/tile.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/fs.h"

/* ---- helpers ------------------------------------------------------------ */

int64_t
now_ms(void)
{
	struct timespec ts;

	if (getenv("ATTEST_NOW"))
		return attest_now() * 1000;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct tlog_bytes
bytes_of(const char *s)
{
	struct tlog_bytes b = {(const uint8_t *)(s ? s : ""),
	                       s ? strlen(s) : 0};
	return b;
}

char *
key_path(struct attest_workspace *ws, const char *suffix)
{
	struct attest_buf b = ATTEST_BUF_INIT;

	attest_buf_printf(&b, "%s/%s%s", attest_workspace_dir(ws),
	                  ATTEST_LEDGER_KEY, suffix);
	return attest_buf_detach(&b);
}

/* Writes a secret key file readable by its owner only. */
int
write_key(const char *path, const char *skey)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t len = strlen(skey);
	int ok;

	if (fd < 0)
		return attest_error_set(ATTEST_EIO, "%s: cannot create: %m",
		                        path);
	ok = write(fd, skey, len) == (ssize_t)len && write(fd, "\n", 1) == 1 &&
	     fsync(fd) == 0;
	if (close(fd) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return attest_error_set(ATTEST_EIO, "%s: cannot write: %m",
		                        path);
	}
	return 0;
}

int
read_key(struct tlog_signer *s, const char *path)
{
	struct stat sb;
	char *text = NULL;
	size_t len;
	int rc;

	if (stat(path, &sb) != 0)
		return attest_error_set(ATTEST_ENOTFOUND,
		                        "%s: no ledger key; create one with "
		                        "'attest ledger key'",
		                        path);
	if (sb.st_mode & 077)
		return attest_error_set(ATTEST_EINVALID,
		                        "%s: the ledger key must be readable "
		                        "by its owner only (chmod 600)",
		                        path);
	if ((rc = attest_read_file(&text, &len, path, 4096)) < 0)
		return rc;
	rc = tlog_signer_parse(s, text);
	sodium_memzero(text, len);
	free(text);
	if (rc < 0)
		return attest_error_set(ATTEST_EINVALID, "%s: %s", path,
		                        attest_error_last());
	return 0;
}

void
wipe_free(char *secret)
{
	if (secret) {
		sodium_memzero(secret, strlen(secret));
		free(secret);
	}
}

static int
tile_read(void *ctx, unsigned level, uint64_t n, uint8_t *out)
{
	struct attest_store *st = ctx;

	return st->ops->ledger_tile_get(st, level, n, out);
}

static int
tile_write(void *ctx, unsigned level, uint64_t n, const uint8_t *hashes)
{
	struct attest_store *st = ctx;

	return st->ops->ledger_tile_put(st, level, n, hashes);
}

struct one_leaf {
	tlog_hash hash;
	int found;
};

static int
hash_row(void *ctx, const struct attest_ledger_row *row)
{
	struct one_leaf *o = ctx;

	tlog_leaf_hash(o->hash, row->leaf, row->leaf_len);
	o->found = 1;
	return 0;
}

static int
leaf_hash_read(void *ctx, uint64_t idx, tlog_hash out)
{
	struct attest_store *st = ctx;
	struct one_leaf o = {{0}, 0};
	int rc;

	if ((rc = st->ops->ledger_scan(st, idx, idx + 1, hash_row, &o)) < 0)
		return rc;
	if (!o.found)
		return attest_error_set(ATTEST_EDB,
		                        "ledger entry %llu is missing",
		                        (unsigned long long)idx);
	memcpy(out, o.hash, TLOG_HASH);
	return 0;
}

/* A tiles view over the store for a tree of size entries. Heap: it holds
   a cache of one tile per level. */
struct tlog_tiles *
tiles_view(struct attest_store *st, uint64_t size)
{
	struct tlog_tiles *t = xmalloc(sizeof(*t));

	tlog_tiles_init(t, size, tile_read, leaf_hash_read, st);
	return t;
}

static void
ledger_reset(struct attest_ledger *l)
{
	free(l->origin);
	free(l->tenant);
	if (l->has_signer)
		tlog_signer_free(&l->signer);
	if (l->cosign)
		tlog_signer_free(&l->old_signer);
	memset(l, 0, offsetof(struct attest_ledger, leaf));
}

void
ledger_free(struct attest_ledger *l)
{
	if (l == NULL)
		return;
	ledger_reset(l);
	free(l);
}

/* Reads the root of the latest checkpoint; *size 0 when there is none. */
int
latest_checkpoint(struct attest_store *st, struct attest_arena *a,
                  uint64_t *size, const char **note)
{
	uint64_t *sizes;
	const char **notes;
	size_t n;
	int rc;

	*size = 0;
	*note = NULL;
	if ((rc = st->ops->ledger_checkpoints(st, a, UINT64_MAX, &sizes, &notes,
	                                      &n)) < 0)
		return rc;
	if (n) {
		*size = sizes[n - 1];
		*note = notes[n - 1];
	}
	return 0;
}

int
note_root(const char *note, tlog_hash root, uint64_t *size, char **origin)
{
	struct tlog_note n;
	struct tlog_checkpoint c;
	int rc;

	if (tlog_note_parse(&n, note, strlen(note)) < 0)
		return attest_error_set(ATTEST_EDB, "stored checkpoint: %s",
		                        attest_error_last());
	rc = tlog_checkpoint_parse(&c, n.text, n.text_len);
	tlog_note_free(&n);
	if (rc < 0)
		return attest_error_set(ATTEST_EDB, "stored checkpoint: %s",
		                        attest_error_last());
	memcpy(root, c.root, TLOG_HASH);
	*size = c.size;
	if (origin)
		*origin = xstrdup(c.origin);
	tlog_checkpoint_free(&c);
	return 0;
}

/* Finishes a key rotation that committed but whose key file was not yet
   renamed (a crash between the two): the new key is the one whose
   signature the latest checkpoint carries. */
static void
recover_rotation(struct attest_workspace *ws, const char *latest)
{
	char *next = key_path(ws, ".new"), *cur = key_path(ws, "");
	struct tlog_signer s;
	struct tlog_note n;
	int adopt = 0;

	if (attest_exists(next) && read_key(&s, next) == 0) {
		if (latest &&
		    tlog_note_parse(&n, latest, strlen(latest)) == 0) {
			char *vk = tlog_signer_vkey(&s);
			struct tlog_verifier v;
			if (tlog_verifier_parse(&v, vk) == 0) {
				adopt = tlog_note_verify(&n, &v) == 0;
				tlog_verifier_free(&v);
			}
			free(vk);
			tlog_note_free(&n);
		}
		tlog_signer_free(&s);
		if (adopt)
			rename(next, cur);
		else
			unlink(next);
	}
	free(next);
	free(cur);
}

/*
 * Loads the ledger state and checks it before anything is appended: the
 * compact range rebuilt from the stored tiles and leaves must give the
 * root of the last checkpoint, and agree with the saved state.
 */
int
ledger_load(struct attest_workspace *ws, struct attest_ledger **out,
            int need_key)
{
	struct attest_ledger **slot = attest_workspace_ledger(ws);
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_arena a = ATTEST_ARENA_INIT;
	struct attest_ledger *l;
	struct tlog_tiles *t = NULL;
	struct tlog_range saved;
	uint8_t buf[64 * TLOG_HASH];
	size_t blen;
	uint64_t cp_size;
	const char *cp_note, *org;
	tlog_hash cp_root, root;
	char *path = NULL;
	int rc;

	if (*slot == NULL)
		*slot = xcalloc(1, sizeof(**slot));
	l = *slot;
	if (l->loaded) {
		if (need_key && !l->has_signer)
			goto key;
		*out = l;
		return 0;
	}
	ledger_reset(l);
	l->st = st;
	if ((rc = st->ops->ledger_state(st, &l->size, buf, sizeof(buf),
	                                &blen)) < 0 ||
	    (rc = latest_checkpoint(st, &a, &cp_size, &cp_note)) < 0)
		goto done;
	recover_rotation(ws, cp_note);
	tlog_range_init(&l->range);
	tlog_tile_writer_init(&l->tiles, tile_write, st);
	if (l->size != cp_size) {
		rc = attest_error_set(ATTEST_EDB,
		                      "ledger: %llu entries but the last "
		                      "checkpoint covers %llu; run 'attest "
		                      "ledger verify'",
		                      (unsigned long long)l->size,
		                      (unsigned long long)cp_size);
		goto done;
	}
	if (l->size) {
		if ((rc = note_root(cp_note, cp_root, &cp_size, &l->origin)) <
		    0)
			goto done;
		t = tiles_view(st, l->size);
		if ((rc = tlog_range_load(&l->range, l->size, tlog_tiles_hash,
		                          t)) < 0 ||
		    (rc = tlog_tile_writer_load(&l->tiles, t)) < 0)
			goto done;
		tlog_range_root(&l->range, root);
		saved = l->range;
		if (memcmp(root, cp_root, TLOG_HASH) != 0 ||
		    blen != saved.n * TLOG_HASH ||
		    memcmp(buf, saved.hashes, blen) != 0) {
			rc = attest_error_set(
			        ATTEST_EDB,
			        "ledger: the stored tree does not match the "
			        "last signed checkpoint (size %llu); refusing "
			        "to append. Run 'attest ledger verify'",
			        (unsigned long long)l->size);
			goto done;
		}
	}
	l->sealed = l->size;
	if (sodium_init() < 0) {
		rc = attest_error_set(ATTEST_ERROR, "libsodium: cannot "
		                                    "initialise");
		goto done;
	}
	randombytes_buf(l->salt_key, sizeof(l->salt_key));
	if ((rc = st->ops->meta_get(st, &a, "ledger_origin", &org)) < 0)
		goto done;
	if (org && l->origin == NULL)
		l->origin = xstrdup(org);
	if (org) {
		const char *slash = strrchr(org, '/');
		l->tenant = xstrdup(slash ? slash + 1 : org);
	}
	{
		const char *last;
		if ((rc = st->ops->meta_get(st, &a, "ledger_last_logged",
		                            &last)) < 0)
			goto done;
		l->last_logged_ms = last ? strtoll(last, NULL, 10) : 0;
	}
	l->loaded = 1;
key:
	if (need_key && !l->has_signer) {
		path = key_path(ws, "");
		if ((rc = read_key(&l->signer, path)) < 0)
			goto done;
		l->has_signer = 1;
	}
	*out = l;
	rc = 0;
done:
	free(path);
	free(t);
	attest_arena_free(&a);
	if (rc < 0)
		ledger_reset(l);
	return rc;
}

void
ledger_after_rollback(struct attest_workspace *ws)
{
	struct attest_ledger *l = *attest_workspace_ledger(ws);

	/* The tree in memory may be ahead of the database now: reload. */
	if (l)
		ledger_reset(l);
}

/* ---- append and seal ------------------------------------------------------
 */

int
attest_ledger_append(struct attest_workspace *ws,
                     const struct attest_ledger_entry *e, uint64_t *idx)
{
	struct attest_ledger *l;
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_ledger_row row;
	struct tlog_leaf leaf;
	uint8_t salt[TLOG_SALT];
	tlog_hash lh;
	size_t len;
	int64_t now;
	int rc;

	if ((rc = ledger_load(ws, &l, 1)) < 0)
		return rc;
	if (l->origin == NULL)
		return attest_error_set(ATTEST_EINVALID,
		                        "ledger: no origin; create the key "
		                        "with 'attest ledger key'");
	now = now_ms();
	if (now < l->last_logged_ms)
		now = l->last_logged_ms; /* entries stay in time order */
	{
		uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
		uint64_t i = l->size;
		for (size_t k = 0; k < sizeof(nonce); k++, i >>= 8)
			nonce[k] = (uint8_t)i;
		crypto_stream_chacha20(salt, sizeof(salt), nonce, l->salt_key);
	}
	memset(&leaf, 0, sizeof(leaf));
	leaf.version = 1;
	leaf.kind = (uint8_t)e->kind;
	leaf.index = l->size;
	leaf.logged_at_ms = (uint64_t)now;
	leaf.observed_at_ms =
	        (uint64_t)(e->observed_at_ms > 0 ? e->observed_at_ms : now);
	leaf.tenant = bytes_of(l->tenant);
	leaf.source = bytes_of(e->source);
	leaf.controls = bytes_of(e->controls);
	leaf.media_type = bytes_of(e->media_type);
	leaf.payload_len = e->payload_len;
	tlog_payload_commit(leaf.commitment, salt, e->payload, e->payload_len);
	leaf.body.p = e->body;
	leaf.body.len = e->body_len;
	if ((len = tlog_leaf_encode(&leaf, l->leaf, sizeof(l->leaf))) == 0)
		return attest_error_set(ATTEST_EINVALID,
		                        "ledger: the entry does not fit a "
		                        "LeafV1 (a field is empty or too "
		                        "long)");
	row.idx = l->size;
	row.leaf = l->leaf;
	row.leaf_len = len;
	row.salt = salt;
	row.payload = e->payload;
	row.payload_len = e->payload_len;
	row.redacted_by = -1;
	if ((rc = st->ops->ledger_append(st, &row)) < 0)
		return rc;
	tlog_leaf_hash(lh, l->leaf, len);
	if ((rc = tlog_tile_writer_append(&l->tiles, lh)) < 0)
		return rc;
	tlog_range_append(&l->range, lh);
	l->last_logged_ms = now;
	l->tx_appended++;
	*idx = l->size++;
	if (l->size - l->sealed >= ATTEST_LEDGER_BATCH)
		return attest_ledger_seal(ws);
	return 0;
}

int
attest_ledger_seal(struct attest_workspace *ws)
{
	struct attest_ledger *l = *attest_workspace_ledger(ws);
	struct attest_store *st = attest_workspace_store(ws);
	struct attest_buf body = ATTEST_BUF_INIT, note = ATTEST_BUF_INIT;
	const struct tlog_signer *signers[2];
	struct tlog_checkpoint cp;
	char last[24];
	int rc;

	if (l == NULL || !l->loaded || l->size == l->sealed)
		return 0;
	cp.origin = l->origin;
	cp.size = l->size;
	tlog_range_root(&l->range, cp.root);
	signers[0] = &l->signer;
	signers[1] = &l->old_signer;
	snprintf(last, sizeof(last), "%lld", (long long)l->last_logged_ms);
	if ((rc = tlog_checkpoint_format(&body, &cp)) < 0 ||
	    (rc = tlog_note_sign(&note, body.ptr, body.len, signers,
	                         l->cosign ? 2 : 1)) < 0 ||
	    (rc = st->ops->ledger_checkpoint_put(st, l->size,
	                                         attest_buf_cstr(&note))) < 0 ||
	    (rc = st->ops->ledger_state_put(st, l->size,
	                                    (const uint8_t *)l->range.hashes,
	                                    l->range.n * TLOG_HASH)) < 0 ||
	    (rc = st->ops->meta_set(st, "ledger_last_logged", last)) < 0)
		goto done;
	l->sealed = l->size;
	if (l->cosign) {
		tlog_signer_free(&l->old_signer);
		l->cosign = 0;
	}
done:
	attest_buf_free(&body);
	attest_buf_free(&note);
	return rc;
}

/* The audit trail: a transaction that changed the workspace but logged
   nothing itself is logged as one `change` entry naming actor and
   command. */
static int
log_change(struct attest_workspace *ws, struct attest_ledger *l)
{
	const char *actor, *command = attest_workspace_command(ws, &actor);
	json_t *o;
	char at[21];
	uint64_t idx;
	int rc;

	if (command == NULL || (l && l->tx_appended) ||
	    attest_workspace_tx_changes(ws) == 0)
		return 0;
	if ((rc = ledger_load(ws, &l, 1)) < 0) {
		/* A workspace without a key keeps working; its changes are
		   simply not logged until 'attest ledger key'. */
		if (rc == ATTEST_ENOTFOUND)
			return attest_error_clear(), 0;
		return rc;
	}
	attest_time_format(at, attest_now());
	o = json_pack("{s:s, s:s?, s:s}", "at", at, "actor", actor, "command",
	              command);
	return ledger_append_json(ws, TLOG_CHANGE, "attest.cli", o, &idx);
}

int
ledger_append_json(struct attest_workspace *ws, unsigned kind,
                   const char *source, json_t *o, uint64_t *idx)
{
	struct attest_ledger_entry e = {0};
	char *payload = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	json_decref(o);
	e.kind = kind;
	e.source = source;
	e.media_type = "application/json";
	e.payload = payload;
	e.payload_len = strlen(payload);
	rc = attest_ledger_append(ws, &e, idx);
	free(payload);
	return rc;
}

int
ledger_before_commit(struct attest_workspace *ws)
{
	struct attest_ledger *l = *attest_workspace_ledger(ws);
	int rc;

	if ((rc = log_change(ws, l)) < 0)
		return rc;
	l = *attest_workspace_ledger(ws);
	if (l == NULL || !l->loaded)
		return 0;
	rc = attest_ledger_seal(ws);
	l->tx_appended = 0;
	return rc;
}
