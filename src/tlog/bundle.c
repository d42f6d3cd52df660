/*
 * The auditor bundle (layout in bundle.h): writing it from callbacks and
 * verifying it offline.
 *
 * The writer streams: one entry bundle and at most one payload bundle are
 * open at a time, each file is hashed as it is written, and the MANIFEST
 * that lists those hashes is signed last. A failed export removes the
 * directory it created, so a half-written bundle never looks complete.
 *
 * The verifier checks the files against the signed MANIFEST and then hands
 * every entry, checkpoint and stored tile hash to the checker in check.c,
 * which decides what is tampered. Bundle files are read whole into buffers
 * that are reused from one file to the next, by a reader thread that also
 * hashes them for the MANIFEST while the main thread checks the entries
 * read before; the per-entry path allocates nothing. A bundle file whose
 * framing is broken is reported with its path and offset, never trusted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "attest/error.h"
#include "tlog/bundle.h"
#include "tlog/check.h"
#include "tlog/leaf.h"
#include "tlog/manifest.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/proof.h"
#include "tlog/tile.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/fs.h"

#define PATH_CAP        4096
#define PROGRESS_EVERY  65536
#define MANIFEST_MAX    (256u << 20)
#define BUNDLE_FILE_MAX (1024u << 20) /* bytes of one bundle file we read */
#define WALK_DEPTH      16
#define REL_CAP         96 /* the longest tile path is about 60 bytes */

static void
put_be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Entries in bundle n of a log of size entries (the last may be short). */
static unsigned
bundle_width(uint64_t size, uint64_t n)
{
	uint64_t left = size - n * TLOG_TILE_WIDTH;

	return left >= TLOG_TILE_WIDTH ? TLOG_TILE_WIDTH : (unsigned)left;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Writer. */

struct out {
	FILE *f;
	EVP_MD_CTX *md;
	uint64_t size;
	char rel[PATH_CAP];
	char *path;
};

struct writer {
	const char *dir;
	const struct tlog_bundle_source *src;
	struct tlog_manifest_file *files;
	size_t nfiles, files_cap;
	char parent[PATH_CAP]; /* the last directory made */
	struct tlog_tiles *tiles;
};

static int
out_open(struct writer *w, struct out *o, const char *rel)
{
	const char *slash = strrchr(rel, '/');
	int error;

	memset(o, 0, sizeof(*o));
	snprintf(o->rel, sizeof(o->rel), "%s", rel);
	o->path = attest_path_join(w->dir, rel);
	if (slash != NULL) {
		size_t n = (size_t)(slash - rel);
		/* Files come grouped by directory, so remembering the last
		   one made saves a mkdir per file. */
		if (strlen(w->parent) != n || memcmp(w->parent, rel, n) != 0) {
			char *dir;
			snprintf(w->parent, sizeof(w->parent), "%.*s", (int)n,
			         rel);
			dir = attest_path_join(w->dir, w->parent);
			error = attest_mkdir_p(dir);
			free(dir);
			if (error < 0) {
				w->parent[0] = '\0';
				return error;
			}
		}
	}
	if ((o->f = fopen(o->path, "wbx")) == NULL)
		return attest_error_set(ATTEST_EIO, "%s: %s", o->path,
		                        strerror(errno));
	if ((o->md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(o->md, EVP_sha256(), NULL) != 1)
		return attest_error_set(ATTEST_ERROR,
		                        "%s: SHA-256 setup failed", o->path);
	return 0;
}

static int
out_put(struct out *o, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (fwrite(p, 1, n, o->f) != n)
		return attest_error_set(ATTEST_EIO, "%s: %s", o->path,
		                        strerror(errno));
	EVP_DigestUpdate(o->md, p, n);
	o->size += n;
	return 0;
}

/* Frees what out_open made; safe on a zeroed or failed out. */
static void
out_discard(struct out *o)
{
	if (o->f != NULL)
		fclose(o->f);
	EVP_MD_CTX_free(o->md);
	free(o->path);
	memset(o, 0, sizeof(*o));
}

/* Closes o and lists it in the MANIFEST unless listed is 0. */
static int
out_close(struct writer *w, struct out *o, int listed)
{
	struct tlog_manifest_file *mf;
	unsigned int len = 0;
	int bad;

	bad = ferror(o->f) || fclose(o->f) != 0;
	o->f = NULL;
	if (bad) {
		int rc = attest_error_set(ATTEST_EIO, "%s: write failed: %s",
		                          o->path, strerror(errno));
		out_discard(o);
		return rc;
	}
	if (listed) {
		xgrow(&w->files, &w->files_cap, w->nfiles + 1,
		      sizeof(*w->files));
		mf = &w->files[w->nfiles++];
		mf->path = xstrdup(o->rel);
		mf->size = o->size;
		EVP_DigestFinal_ex(o->md, mf->sha256, &len);
	}
	out_discard(o);
	return 0;
}

static int
write_whole(struct writer *w, const char *rel, const void *p, size_t n,
            int listed)
{
	struct out o;
	int error;

	if ((error = out_open(w, &o, rel)) < 0 ||
	    (error = out_put(&o, p, n)) < 0) {
		out_discard(&o);
		return error;
	}
	return out_close(w, &o, listed);
}

static int
write_entries(struct writer *w)
{
	const struct tlog_bundle_source *src = w->src;
	uint64_t nb = (src->size + TLOG_TILE_WIDTH - 1) / TLOG_TILE_WIDTH;
	struct out eo, po;
	char rel[PATH_CAP];
	int error = 0;

	memset(&eo, 0, sizeof(eo));
	memset(&po, 0, sizeof(po));
	for (uint64_t n = 0; n < nb; n++) {
		unsigned width = bundle_width(src->size, n);
		uint64_t lo = n * TLOG_TILE_WIDTH, hi = lo + width;
		int payloads = src->first < src->end && lo < src->end &&
		               src->first < hi;

		tlog_tile_path(rel, sizeof(rel), "tile/entries", n, width);
		if ((error = out_open(w, &eo, rel)) < 0)
			goto done;
		if (payloads) {
			tlog_tile_path(rel, sizeof(rel), "payload", n, width);
			if ((error = out_open(w, &po, rel)) < 0)
				goto done;
		}
		for (uint64_t i = lo; i < hi; i++) {
			struct tlog_bundle_entry e;
			uint8_t head[4];

			memset(&e, 0, sizeof(e));
			if ((error = src->entry(src->ctx, i, &e)) < 0)
				goto done;
			if (e.leaf_len == 0 || e.leaf_len > TLOG_LEAF_MAX) {
				error = attest_error_set(ATTEST_EINVALID,
				                         "entry %" PRIu64
				                         ": leaf of %zu bytes",
				                         i, e.leaf_len);
				goto done;
			}
			put_be16(head, (unsigned)e.leaf_len);
			if ((error = out_put(&eo, head, 2)) < 0 ||
			    (error = out_put(&eo, e.leaf, e.leaf_len)) < 0)
				goto done;
			if (!payloads)
				goto next;
			if (i < src->first || i >= src->end ||
			    e.state == TLOG_PAYLOAD_OMITTED) {
				put_be32(head, TLOG_BUNDLE_OMITTED);
				error = out_put(&po, head, 4);
			} else if (e.state == TLOG_PAYLOAD_ABSENT) {
				put_be32(head, TLOG_BUNDLE_REDACTED);
				error = out_put(&po, head, 4);
			} else {
				if (e.salt == NULL ||
				    (e.payload == NULL && e.payload_len > 0)) {
					error = attest_error_set(
					        ATTEST_EINVALID,
					        "entry %" PRIu64
					        ": payload without its salt",
					        i);
					goto done;
				}
				if (e.payload_len >= TLOG_BUNDLE_OMITTED) {
					error = attest_error_set(
					        ATTEST_EINVALID,
					        "entry %" PRIu64
					        ": payload too large for a "
					        "bundle",
					        i);
					goto done;
				}
				put_be32(head, (uint32_t)e.payload_len);
				if ((error = out_put(&po, head, 4)) < 0 ||
				    (error = out_put(&po, e.salt, TLOG_SALT)) <
				            0)
					goto done;
				error = out_put(&po, e.payload, e.payload_len);
			}
			if (error < 0)
				goto done;
		next:
			if (src->progress != NULL &&
			    (i + 1) % PROGRESS_EVERY == 0)
				src->progress(src->ctx, i + 1, src->size);
		}
		if ((error = out_close(w, &eo, 1)) < 0)
			goto done;
		if (payloads && (error = out_close(w, &po, 1)) < 0)
			goto done;
	}
	if (src->progress != NULL)
		src->progress(src->ctx, src->size, src->size);
done:
	out_discard(&eo);
	out_discard(&po);
	return error;
}

static int
write_tiles(struct writer *w)
{
	const struct tlog_bundle_source *src = w->src;
	uint8_t *tile = xmalloc(TLOG_TILE_BYTES);
	char rel[PATH_CAP], prefix[32];
	int error = 0;

	for (unsigned level = 0; level < TLOG_TILE_LEVELS; level++) {
		/* Tile (level, n) is full when (n + 1) << 8 (level + 1)
		   entries exist. */
		uint64_t full =
		        level + 1 < TLOG_TILE_LEVELS
		                ? src->size >> (TLOG_TILE_HEIGHT * (level + 1))
		                : 0;
		snprintf(prefix, sizeof(prefix), "tile/%u", level);
		for (uint64_t n = 0; n < full; n++) {
			if ((error = src->tile(src->ctx, level, n, tile)) < 0)
				goto done;
			tlog_tile_path(rel, sizeof(rel), prefix, n,
			               TLOG_TILE_WIDTH);
			if ((error = write_whole(w, rel, tile, TLOG_TILE_BYTES,
			                         1)) < 0)
				goto done;
		}
	}
done:
	free(tile);
	return error;
}

static int
write_checkpoints(struct writer *w)
{
	const struct tlog_bundle_source *src = w->src;
	uint64_t last = 0;
	int have = 0, error = 0;

	for (size_t i = 0;; i++) {
		struct tlog_checkpoint cp;
		struct tlog_note note;
		const char *text = NULL;
		uint64_t size;
		char rel[64];

		error = src->checkpoint_at(src->ctx, i, &text);
		if (error == ATTEST_ENOTFOUND)
			return 0;
		if (error < 0)
			return error;
		if (tlog_note_parse(&note, text, strlen(text)) < 0)
			return attest_error_set(ATTEST_EINVALID,
			                        "stored checkpoint %zu: %s", i,
			                        attest_error_last());
		error = tlog_checkpoint_parse(&cp, note.text, note.text_len);
		tlog_note_free(&note);
		if (error < 0)
			return attest_error_set(ATTEST_EINVALID,
			                        "stored checkpoint %zu: %s", i,
			                        attest_error_last());
		size = cp.size;
		tlog_checkpoint_free(&cp);
		/* In size order, so a repeated size is the one just
		   written; above the bundle's size belongs to a later one. */
		if ((have && size == last) || size > src->size)
			continue;
		have = 1;
		last = size;
		snprintf(rel, sizeof(rel), "checkpoints/%" PRIu64, size);
		if ((error = write_whole(w, rel, text, strlen(text), 1)) < 0)
			return error;
	}
}

static int
tiles_read(void *ctx, unsigned level, uint64_t n, uint8_t *out)
{
	struct writer *w = ctx;

	return w->src->tile(w->src->ctx, level, n, out);
}

static int
tiles_leaf(void *ctx, uint64_t index, tlog_hash out)
{
	struct writer *w = ctx;
	struct tlog_bundle_entry e;
	int error;

	memset(&e, 0, sizeof(e));
	if ((error = w->src->entry(w->src->ctx, index, &e)) < 0)
		return error;
	tlog_leaf_hash(out, e.leaf, e.leaf_len);
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
write_proofs(struct writer *w)
{
	const struct tlog_bundle_source *src = w->src;
	struct attest_buf text = ATTEST_BUF_INIT;
	uint64_t *idx;
	struct tlog_proof *p = xcalloc(1, sizeof(*p));
	int error = 0;

	if (src->nproofs == 0) {
		free(p);
		return 0;
	}
	idx = xreallocarray(NULL, src->nproofs, sizeof(*idx));
	memcpy(idx, src->proofs, src->nproofs * sizeof(*idx));
	if (src->nproofs > 1)
		qsort(idx, src->nproofs, sizeof(*idx), cmp_u64);
	w->tiles = xcalloc(1, sizeof(*w->tiles));
	tlog_tiles_init(w->tiles, src->size, tiles_read, tiles_leaf, w);
	p->checkpoint = (char *)src->checkpoint;
	p->checkpoint_len = strlen(src->checkpoint);
	for (size_t i = 0; i < src->nproofs; i++) {
		char rel[64];

		if (i > 0 && idx[i] == idx[i - 1])
			continue;
		if (idx[i] >= src->size) {
			error = attest_error_set(
			        ATTEST_EINVALID,
			        "proof for entry %" PRIu64
			        ": not below the size %" PRIu64,
			        idx[i], src->size);
			goto done;
		}
		p->index = idx[i];
		error = tlog_inclusion_proof(idx[i], src->size, tlog_tiles_hash,
		                             w->tiles, p->hashes, &p->nhashes);
		if (error < 0)
			goto done;
		/* The leaf rides in the extra line, so the proof stands alone
		   ('attest verify PROOF' needs nothing else). */
		{
			struct tlog_bundle_entry e;
			if ((error = src->entry(src->ctx, idx[i], &e)) < 0)
				goto done;
			p->has_extra = 1;
			p->extra = xmalloc(e.leaf_len ? e.leaf_len : 1);
			memcpy(p->extra, e.leaf, e.leaf_len);
			p->extra_len = e.leaf_len;
		}
		attest_buf_reset(&text);
		error = tlog_proof_format(&text, p);
		free(p->extra);
		p->extra = NULL;
		if (error < 0)
			goto done;
		snprintf(rel, sizeof(rel), "proofs/%" PRIu64 ".tlog-proof",
		         idx[i]);
		if ((error = write_whole(w, rel, text.ptr, text.len, 1)) < 0)
			goto done;
	}
done:
	attest_buf_free(&text);
	free(idx);
	free(p);
	free(w->tiles);
	w->tiles = NULL;
	return error;
}

static int
write_manifest(struct writer *w, const char *origin)
{
	const struct tlog_bundle_source *src = w->src;
	const struct tlog_signer *signers[1] = {src->signer};
	struct attest_buf text = ATTEST_BUF_INIT, note = ATTEST_BUF_INIT;
	struct tlog_manifest m;
	int error;

	memset(&m, 0, sizeof(m));
	m.origin = (char *)origin;
	m.size = src->size;
	m.first = src->first;
	m.end = src->end;
	m.from = (char *)(src->from != NULL && src->from[0] ? src->from : "-");
	m.to = (char *)(src->to != NULL && src->to[0] ? src->to : "-");
	m.files = w->files;
	m.nfiles = w->nfiles;
	if ((error = tlog_manifest_format(&text, &m)) < 0)
		goto done;
	if ((error = tlog_note_sign(&note, text.ptr, text.len, signers, 1)) <
	    0) {
		error = attest_error_set(ATTEST_EINVALID, "MANIFEST: %s",
		                         attest_error_last());
		goto done;
	}
	error = write_whole(w, "MANIFEST", note.ptr, note.len, 0);
done:
	attest_buf_free(&text);
	attest_buf_free(&note);
	return error;
}

int
tlog_bundle_write(const char *dir, const struct tlog_bundle_source *src)
{
	struct writer w;
	struct tlog_checkpoint cp;
	struct tlog_note note;
	int error;

	memset(&w, 0, sizeof(w));
	memset(&cp, 0, sizeof(cp));
	w.dir = dir;
	w.src = src;
	if (src->checkpoint == NULL || src->signer == NULL ||
	    src->entry == NULL || src->tile == NULL ||
	    src->checkpoint_at == NULL)
		return attest_error_set(ATTEST_EINVALID,
		                        "bundle: incomplete source");
	if (tlog_note_parse(&note, src->checkpoint, strlen(src->checkpoint)) <
	    0)
		return attest_error_set(ATTEST_EINVALID,
		                        "bundle checkpoint: %s",
		                        attest_error_last());
	error = tlog_checkpoint_parse(&cp, note.text, note.text_len);
	tlog_note_free(&note);
	if (error < 0)
		return attest_error_set(ATTEST_EINVALID,
		                        "bundle checkpoint: %s",
		                        attest_error_last());
	if (cp.size != src->size || src->first > src->end ||
	    src->end > src->size) {
		tlog_checkpoint_free(&cp);
		return attest_error_set(ATTEST_EINVALID,
		                        "bundle: checkpoint size %" PRIu64
		                        " and period [%" PRIu64 ", %" PRIu64
		                        ") do not fit a bundle of %" PRIu64,
		                        cp.size, src->first, src->end,
		                        src->size);
	}
	if (mkdir(dir, 0755) < 0) {
		tlog_checkpoint_free(&cp);
		return attest_error_set(errno == EEXIST ? ATTEST_EEXISTS
		                                        : ATTEST_EIO,
		                        "%s: %s", dir, strerror(errno));
	}
	if ((error = write_entries(&w)) < 0 || (error = write_tiles(&w)) < 0 ||
	    (error = write_whole(&w, "checkpoint", src->checkpoint,
	                         strlen(src->checkpoint), 1)) < 0 ||
	    (error = write_checkpoints(&w)) < 0 ||
	    (error = write_whole(&w, "log.vkey", src->vkeys ? src->vkeys : "",
	                         src->vkeys ? strlen(src->vkeys) : 0, 1)) < 0 ||
	    (error = write_proofs(&w)) < 0 ||
	    (error = write_manifest(&w, cp.origin)) < 0) {
		/* Keep the message; the cleanup must not overwrite it. */
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	tlog_checkpoint_free(&cp);
	for (size_t i = 0; i < w.nfiles; i++)
		free(w.files[i].path);
	free(w.files);
	return error;
}

/* Verifier. */

struct proof_check {
	uint64_t index;
	char *rel;
	struct tlog_proof p;
	uint64_t size;
	tlog_hash root;
	int have_leaf;
	tlog_hash leaf;
};

/* A finding made before the checker exists (it needs the MANIFEST's
 * origin first). */
struct early_finding {
	const char *code;
	char *message;
};

struct verifier {
	const char *dir;
	struct tlog_check *c;
	struct early_finding early[4];
	size_t nearly;
	struct tlog_manifest m;
	int have_manifest;
	/* Not signed by a given key: judged against the key chain once the
	   entries have been read. */
	struct tlog_note manifest_note;
	int manifest_deferred;
	uint8_t *present, *checked; /* per manifest file */
	char **walked;              /* checkpoints/ and proofs/ files */
	size_t nwalked, walked_cap;
	uint8_t *ebuf, *hbuf; /* checkpoints and proofs; tiles above 0 */
	size_t ecap, hcap;
	uint8_t pending[TLOG_TILE_LEVELS][TLOG_TILE_BYTES];
	struct proof_check *proofs;
	size_t nproofs, proofs_cap, next_proof;
	uint64_t bundles; /* one past the highest entry bundle present */
	int io_error;
	char io_message[512];
	char path[PATH_CAP];
};

static int
cmp_manifest_path(const void *key, const void *elem)
{
	const struct tlog_manifest_file *f = elem;

	return strcmp(key, f->path);
}

/* The manifest entry for rel, or -1. */
static long
listed(const struct verifier *v, const char *rel)
{
	const struct tlog_manifest_file *f;

	if (!v->have_manifest || v->m.nfiles == 0)
		return -1;
	f = bsearch(rel, v->m.files, v->m.nfiles, sizeof(*v->m.files),
	            cmp_manifest_path);
	return f == NULL ? -1 : (long)(f - v->m.files);
}

/* Keeps the first I/O error; it becomes the error message at the end
 * (parsers called in between overwrite the thread's last message). */
static void
io_fail(struct verifier *v, const char *rel, const char *why)
{
	if (!v->io_error)
		snprintf(v->io_message, sizeof(v->io_message), "%s/%s: %s",
		         v->dir, rel, why);
	v->io_error = 1;
}

enum compare { SAME, NOT_LISTED, SIZE_DIFFERS, HASH_DIFFERS };

/*
 * Compares what was read of rel with its MANIFEST line and marks the line
 * checked. Touches only that line's flag, so the reader thread and the
 * main thread may compare different files at once.
 */
static enum compare
compare_listed(struct verifier *v, const char *rel, const uint8_t *data,
               size_t len)
{
	long i = listed(v, rel);
	const void *parts[1] = {data};
	size_t lens[1] = {len};
	tlog_hash h;

	if (i < 0 || v->checked[i])
		return NOT_LISTED;
	v->checked[i] = 1;
	if (len != v->m.files[i].size)
		return SIZE_DIFFERS;
	tlog_sha256(h, 1, parts, lens);
	return memcmp(h, v->m.files[i].sha256, TLOG_HASH) != 0 ? HASH_DIFFERS
	                                                       : SAME;
}

/* Main thread only: the finding for a comparison. */
static void
report_compare(struct verifier *v, const char *rel, enum compare res,
               size_t len)
{
	long i;

	if (res == SIZE_DIFFERS && (i = listed(v, rel)) >= 0)
		tlog_check_add(v->c, TLOG_TAMPER, "file_mismatch", 0, 0,
		               "%s: %zu bytes, the MANIFEST says %" PRIu64, rel,
		               len, v->m.files[i].size);
	else if (res == HASH_DIFFERS)
		tlog_check_add(v->c, TLOG_TAMPER, "file_mismatch", 0, 0,
		               "%s: SHA-256 differs from the MANIFEST", rel);
}

/*
 * Reads path whole into *buf, grown as needed and reused across calls (one
 * byte more than the file, set to NUL, so notes can be parsed in place).
 * 0; 1 when there is no regular file there (the walk reports what is);
 * -1 on an I/O error, with *err set to the errno (EFBIG: larger than we
 * read). Safe in any thread.
 */
static int
read_whole(const char *path, uint8_t **buf, size_t *cap, size_t *len, int *err)
{
	struct stat st;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if (errno == ENOENT || errno == ELOOP)
			return 1;
		*err = errno;
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 1;
	}
	if ((uint64_t)st.st_size > BUNDLE_FILE_MAX) {
		close(fd);
		*err = EFBIG;
		return -1;
	}
	if ((size_t)st.st_size + 1 > *cap) {
		free(*buf);
		*cap = (size_t)st.st_size + 1;
		*buf = xmalloc(*cap);
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = errno;
			close(fd);
			return -1;
		}
		if (n == 0)
			break; /* shrank while reading: the hash will say */
		got += (size_t)n;
	}
	close(fd);
	(*buf)[got] = 0;
	*len = got;
	return 0;
}

/* Main thread: reads dir/rel and checks it against the MANIFEST. */
static int
read_rel(struct verifier *v, const char *rel, uint8_t **buf, size_t *cap,
         size_t *len)
{
	int rc, err = 0;

	snprintf(v->path, sizeof(v->path), "%s/%s", v->dir, rel);
	rc = read_whole(v->path, buf, cap, len, &err);
	if (rc < 0)
		io_fail(v, rel, strerror(err));
	if (rc == 0)
		report_compare(v, rel, compare_listed(v, rel, *buf, *len),
		               *len);
	return rc;
}

static int
is_decimal(const char *s, uint64_t *v)
{
	*v = 0;
	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || *v > (UINT64_MAX - 9) / 10)
			return 0;
		*v = *v * 10 + (uint64_t)(*s - '0');
	}
	return 1;
}

/* Records the highest entry bundle present, which bounds the stream: a
 * MANIFEST claiming 2^60 entries must not make us try 2^52 file names. */
static void
note_entries(struct verifier *v, const char *rel)
{
	char index[REL_CAP];
	const char *p;
	uint64_t n;

	if (strncmp(rel, "tile/entries/", 13) != 0)
		return;
	snprintf(index, sizeof(index), "%s", rel + 13);
	if ((p = strstr(index, ".p/")) != NULL)
		index[p - index] = '\0';
	if (tlog_tile_parse_index(index, &n) == 0 && n < UINT64_MAX &&
	    n >= v->bundles)
		v->bundles = n + 1;
}

/* Every file in the directory must be listed; checkpoints and proofs are
 * remembered for later. */
static void
walk(struct verifier *v, const char *reldir, int depth)
{
	char *abs =
	        reldir[0] ? attest_path_join(v->dir, reldir) : xstrdup(v->dir);
	DIR *d = opendir(abs);
	struct dirent *de;

	if (d == NULL) {
		io_fail(v, reldir, strerror(errno));
		free(abs);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct attest_buf rel = ATTEST_BUF_INIT;
		struct stat st;
		long i;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (reldir[0])
			attest_buf_printf(&rel, "%s/%s", reldir, de->d_name);
		else
			attest_buf_puts(&rel, de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) <
		    0) {
			io_fail(v, rel.ptr, strerror(errno));
		} else if (S_ISDIR(st.st_mode) && depth < WALK_DEPTH) {
			walk(v, rel.ptr, depth + 1);
		} else if (!S_ISREG(st.st_mode)) {
			tlog_check_add(v->c, TLOG_TAMPER, "file_unexpected", 0,
			               0, "%s: not a regular file", rel.ptr);
		} else if (strcmp(rel.ptr, "MANIFEST") != 0) {
			if ((i = listed(v, rel.ptr)) < 0)
				tlog_check_add(v->c, TLOG_TAMPER,
				               "file_unexpected", 0, 0,
				               "%s: not listed in the MANIFEST",
				               rel.ptr);
			else
				v->present[i] = 1;
			note_entries(v, rel.ptr);
			if (strncmp(rel.ptr, "checkpoints/", 12) == 0 ||
			    strncmp(rel.ptr, "proofs/", 7) == 0) {
				xgrow(&v->walked, &v->walked_cap,
				      v->nwalked + 1, sizeof(*v->walked));
				v->walked[v->nwalked++] =
				        attest_buf_detach(&rel);
			}
		}
		attest_buf_free(&rel);
	}
	closedir(d);
	free(abs);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void early(struct verifier *v, const char *code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
early(struct verifier *v, const char *code, const char *fmt, ...)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	va_list ap;

	if (v->nearly == sizeof(v->early) / sizeof(v->early[0]))
		return;
	va_start(ap, fmt);
	attest_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	v->early[v->nearly].code = code;
	v->early[v->nearly].message = attest_buf_detach(&b);
	v->nearly++;
}

/* The MANIFEST: signed by a trusted key, well-formed. Sets v->m. */
static void
load_manifest(struct verifier *v, const struct tlog_check_opts *opts)
{
	struct tlog_note note;
	char *text = NULL;
	size_t len = 0;
	int signed_ok = 0;

	snprintf(v->path, sizeof(v->path), "%s/MANIFEST", v->dir);
	if (!attest_exists(v->path)) {
		early(v, "file_missing",
		      "MANIFEST: missing; no file can be checked");
		return;
	}
	if (attest_read_file(&text, &len, v->path, MANIFEST_MAX) < 0) {
		/* The message already names the file. */
		snprintf(v->io_message, sizeof(v->io_message), "%s",
		         attest_error_last());
		v->io_error = 1;
		return;
	}
	if (tlog_note_parse(&note, text, len) < 0) {
		early(v, "manifest_invalid", "MANIFEST: %s",
		      attest_error_last());
		free(text);
		return;
	}
	for (size_t i = 0; i < opts->nkeys && !signed_ok; i++)
		signed_ok = tlog_note_verify(&note, &opts->keys[i]) == 0;
	if (tlog_manifest_parse(&v->m, note.text, note.text_len) < 0)
		early(v, "manifest_invalid", "MANIFEST: %s",
		      attest_error_last());
	else
		v->have_manifest = 1;
	if (signed_ok) {
		tlog_note_free(&note);
	} else {
		v->manifest_note = note;
		v->manifest_deferred = 1;
	}
	free(text);
}

/* A checkpoint file: its size (for the stream) when it parses. */
static int
checkpoint_size(const uint8_t *p, size_t len, uint64_t *size)
{
	struct tlog_checkpoint cp;
	struct tlog_note note;
	int rc = -1;

	if (tlog_note_parse(&note, (const char *)p, len) < 0)
		return -1;
	if (tlog_checkpoint_parse(&cp, note.text, note.text_len) == 0) {
		*size = cp.size;
		rc = 0;
		tlog_checkpoint_free(&cp);
	}
	tlog_note_free(&note);
	return rc;
}

static void
load_proof(struct verifier *v, const char *rel, const uint8_t *p, size_t len)
{
	const char *name = rel + strlen("proofs/");
	const char *dot = strrchr(name, '.');
	struct proof_check *pc;
	struct tlog_checkpoint cp;
	struct tlog_note note;
	char digits[32];
	uint64_t idx;

	if (dot == NULL || strcmp(dot, ".tlog-proof") != 0 ||
	    (size_t)(dot - name) >= sizeof(digits) || strchr(name, '/'))
		return; /* not a proof; hashed like any other file */
	memcpy(digits, name, (size_t)(dot - name));
	digits[dot - name] = '\0';
	if (!is_decimal(digits, &idx))
		return;
	xgrow(&v->proofs, &v->proofs_cap, v->nproofs + 1, sizeof(*v->proofs));
	pc = &v->proofs[v->nproofs];
	memset(pc, 0, sizeof(*pc));
	if (tlog_proof_parse(&pc->p, (const char *)p, len) < 0) {
		tlog_check_add(v->c, TLOG_TAMPER, "proof_invalid", 1, idx,
		               "%s: %s", rel, attest_error_last());
		return;
	}
	if (pc->p.index != idx) {
		tlog_check_add(v->c, TLOG_TAMPER, "proof_invalid", 1, idx,
		               "%s: proves entry %" PRIu64, rel, pc->p.index);
		tlog_proof_free(&pc->p);
		return;
	}
	/* tlog_proof_parse has parsed both already; this cannot fail. */
	if (tlog_note_parse(&note, pc->p.checkpoint, pc->p.checkpoint_len) <
	    0) {
		tlog_proof_free(&pc->p);
		return;
	}
	if (tlog_checkpoint_parse(&cp, note.text, note.text_len) < 0) {
		tlog_note_free(&note);
		tlog_proof_free(&pc->p);
		return;
	}
	pc->index = idx;
	pc->rel = xstrdup(rel);
	pc->size = cp.size;
	memcpy(pc->root, cp.root, TLOG_HASH);
	tlog_checkpoint_free(&cp);
	tlog_note_free(&note);
	/* The checker verifies its signature and root like any stored
	   checkpoint's, naming this file. */
	tlog_check_checkpoint(v->c, pc->p.checkpoint, pc->p.checkpoint_len,
	                      rel);
	v->nproofs++;
}

static int
cmp_proof(const void *a, const void *b)
{
	const struct proof_check *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* Tile hashes of height 8L as the checker completes them; a full tile
 * is compared with the stored one. Level 0 is the checker's business
 * (leaf_changed). */
static void
on_tile(void *ctx, unsigned level, uint64_t index, const tlog_hash h)
{
	struct verifier *v = ctx;
	uint64_t n = index / TLOG_TILE_WIDTH;
	unsigned k = (unsigned)(index % TLOG_TILE_WIDTH);
	char rel[PATH_CAP], prefix[32];
	size_t len = 0;

	if (level == 0 || level >= TLOG_TILE_LEVELS)
		return;
	memcpy(v->pending[level] + (size_t)k * TLOG_HASH, h, TLOG_HASH);
	if (k != TLOG_TILE_WIDTH - 1)
		return;
	snprintf(prefix, sizeof(prefix), "tile/%u", level);
	tlog_tile_path(rel, sizeof(rel), prefix, n, TLOG_TILE_WIDTH);
	if (read_rel(v, rel, &v->hbuf, &v->hcap, &len) != 0)
		return;
	if (len != TLOG_TILE_BYTES ||
	    memcmp(v->hbuf, v->pending[level], TLOG_TILE_BYTES) != 0)
		tlog_check_add(v->c, TLOG_TAMPER, "tile_mismatch", 1,
		               (n * TLOG_TILE_WIDTH)
		                       << (TLOG_TILE_HEIGHT * level),
		               "%s: differs from the tree the entries below it "
		               "recompute",
		               rel);
}

/*
 * Reading and hashing the files is about a third of the work and parsing
 * and checking the rest, so a reader thread fills slots with the next
 * bundles (entries, payloads, level-0 tile), each already compared with
 * the MANIFEST, while the main thread checks the previous ones. Findings
 * are only ever made on the main thread.
 */
enum { F_ENTRIES, F_PAYLOADS, F_TILE, F_COUNT };

#define SLOTS 4

struct slot {
	char rel[F_COUNT][REL_CAP];
	uint8_t *buf[F_COUNT];
	size_t cap[F_COUNT], len[F_COUNT];
	int rc[F_COUNT], err[F_COUNT];
	enum compare cmp[F_COUNT];
};

struct reader {
	struct verifier *v;
	uint64_t size, nbundles;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t filled, used; /* bundles read, bundles checked */
	struct slot slots[SLOTS];
	char path[PATH_CAP];
};

static void
fill(struct reader *rd, struct slot *sl, uint64_t n)
{
	unsigned width = bundle_width(rd->size, n);

	tlog_tile_path(sl->rel[F_ENTRIES], REL_CAP, "tile/entries", n, width);
	tlog_tile_path(sl->rel[F_PAYLOADS], REL_CAP, "payload", n, width);
	sl->rel[F_TILE][0] = '\0';
	if (width == TLOG_TILE_WIDTH)
		tlog_tile_path(sl->rel[F_TILE], REL_CAP, "tile/0", n, width);
	for (int f = 0; f < F_COUNT; f++) {
		sl->rc[f] = 1;
		sl->cmp[f] = NOT_LISTED;
		if (sl->rel[f][0] == '\0')
			continue;
		snprintf(rd->path, sizeof(rd->path), "%s/%s", rd->v->dir,
		         sl->rel[f]);
		sl->rc[f] = read_whole(rd->path, &sl->buf[f], &sl->cap[f],
		                       &sl->len[f], &sl->err[f]);
		if (sl->rc[f] == 0)
			sl->cmp[f] = compare_listed(rd->v, sl->rel[f],
			                            sl->buf[f], sl->len[f]);
	}
}

static void *
reader_main(void *arg)
{
	struct reader *rd = arg;

	for (uint64_t n = 0; n < rd->nbundles; n++) {
		pthread_mutex_lock(&rd->mu);
		while (rd->filled - rd->used >= SLOTS)
			pthread_cond_wait(&rd->cv, &rd->mu);
		pthread_mutex_unlock(&rd->mu);
		fill(rd, &rd->slots[n % SLOTS], n);
		pthread_mutex_lock(&rd->mu);
		rd->filled++;
		pthread_cond_broadcast(&rd->cv);
		pthread_mutex_unlock(&rd->mu);
	}
	return NULL;
}

static void
malformed(struct verifier *v, const char *rel, size_t off, uint64_t pos,
          const char *why)
{
	tlog_check_add(v->c, TLOG_TAMPER, "bundle_malformed", 1, pos,
	               "%s: %s at offset %zu", rel, why, off);
}

/* Checks one entry bundle with its payload bundle and level-0 tile. */
static void
check_bundle(struct verifier *v, uint64_t size, uint64_t n,
             const struct slot *sl)
{
	unsigned width = bundle_width(size, n);
	uint64_t lo = n * TLOG_TILE_WIDTH;
	const char *erel = sl->rel[F_ENTRIES], *prel = sl->rel[F_PAYLOADS];
	const uint8_t *ebuf = sl->buf[F_ENTRIES], *pbuf = sl->buf[F_PAYLOADS];
	size_t elen = sl->len[F_ENTRIES], plen = sl->len[F_PAYLOADS];
	size_t eoff = 0, poff = 0;
	const uint8_t *tile = NULL;
	int have_payloads = sl->rc[F_PAYLOADS] == 0;

	for (int f = 0; f < F_COUNT; f++) {
		if (sl->rc[f] < 0)
			io_fail(v, sl->rel[f],
			        sl->err[f] == EFBIG ? "file too large to "
			                              "verify"
			                            : strerror(sl->err[f]));
		else if (sl->rc[f] == 0)
			report_compare(v, sl->rel[f], sl->cmp[f], sl->len[f]);
	}
	if (sl->rc[F_ENTRIES] != 0)
		return; /* missing: the gap shows in the stream */
	if (sl->rc[F_TILE] == 0) {
		if (sl->len[F_TILE] == TLOG_TILE_BYTES)
			tile = sl->buf[F_TILE];
		else
			tlog_check_add(v->c, TLOG_TAMPER, "tile_mismatch", 1,
			               lo, "%s: %zu bytes, not %u",
			               sl->rel[F_TILE], sl->len[F_TILE],
			               TLOG_TILE_BYTES);
	}
	for (unsigned k = 0; k < width; k++) {
		uint64_t pos = lo + k;
		enum tlog_payload_state st = TLOG_PAYLOAD_OMITTED;
		const uint8_t *leaf, *salt = NULL, *payload = NULL;
		size_t leaf_len, payload_len = 0;

		if (elen - eoff < 2) {
			malformed(v, erel, eoff, pos,
			          "ends before the length of this entry");
			return;
		}
		leaf_len = (size_t)ebuf[eoff] << 8 | ebuf[eoff + 1];
		if (elen - eoff - 2 < leaf_len) {
			malformed(v, erel, eoff, pos,
			          "entry runs past the end of the file");
			return;
		}
		leaf = ebuf + eoff + 2;
		eoff += 2 + leaf_len;
		if (have_payloads) {
			uint32_t len;
			if (plen - poff < 4) {
				malformed(v, prel, poff, pos,
				          "ends before the length of this "
				          "payload");
				have_payloads = 0;
				goto feed;
			}
			len = get_be32(pbuf + poff);
			if (len == TLOG_BUNDLE_REDACTED) {
				st = TLOG_PAYLOAD_ABSENT;
				poff += 4;
			} else if (len == TLOG_BUNDLE_OMITTED) {
				/* Inside the period nothing may be left
				   out: a gap there is a missing payload. */
				st = v->have_manifest && pos >= v->m.first &&
				                     pos < v->m.end
				             ? TLOG_PAYLOAD_ABSENT
				             : TLOG_PAYLOAD_OMITTED;
				poff += 4;
			} else if (plen - poff - 4 < (size_t)TLOG_SALT + len) {
				malformed(v, prel, poff, pos,
				          "payload runs past the end of the "
				          "file");
				have_payloads = 0;
				goto feed;
			} else {
				st = TLOG_PAYLOAD_PRESENT;
				salt = pbuf + poff + 4;
				payload = salt + TLOG_SALT;
				payload_len = len;
				poff += 4 + TLOG_SALT + (size_t)len;
			}
		}
	feed:
		while (v->next_proof < v->nproofs &&
		       v->proofs[v->next_proof].index < pos)
			v->next_proof++;
		for (size_t i = v->next_proof;
		     i < v->nproofs && v->proofs[i].index == pos; i++) {
			tlog_leaf_hash(v->proofs[i].leaf, leaf, leaf_len);
			v->proofs[i].have_leaf = 1;
		}
		tlog_check_entry(v->c, pos, leaf, leaf_len, st, salt, payload,
		                 payload_len,
		                 tile ? tile + (size_t)k * TLOG_HASH : NULL);
	}
	if (eoff != elen)
		malformed(v, erel, eoff, lo + width - 1,
		          "trailing bytes after the last entry");
	if (have_payloads && poff != plen)
		malformed(v, prel, poff, lo + width - 1,
		          "trailing bytes after the last payload");
}

/* All entry bundles in order, read ahead by a thread when one starts. */
static void
stream(struct verifier *v, uint64_t size)
{
	struct reader *rd = xcalloc(1, sizeof(*rd));
	pthread_t thread;
	int threaded;

	rd->v = v;
	rd->size = size;
	rd->nbundles = size / TLOG_TILE_WIDTH + (size % TLOG_TILE_WIDTH != 0);
	/* Bundles past the last one present are all missing; the checker
	   reports the shortfall (truncated) without our opening them. */
	if (rd->nbundles > v->bundles)
		rd->nbundles = v->bundles;
	pthread_mutex_init(&rd->mu, NULL);
	pthread_cond_init(&rd->cv, NULL);
	/* Without a thread the same code runs in turn. */
	threaded = rd->nbundles > 1 &&
	           pthread_create(&thread, NULL, reader_main, rd) == 0;
	for (uint64_t n = 0; n < rd->nbundles; n++) {
		struct slot *sl = &rd->slots[n % SLOTS];

		if (threaded) {
			pthread_mutex_lock(&rd->mu);
			while (rd->filled <= n)
				pthread_cond_wait(&rd->cv, &rd->mu);
			pthread_mutex_unlock(&rd->mu);
		} else {
			fill(rd, sl, n);
		}
		check_bundle(v, size, n, sl);
		if (threaded) {
			pthread_mutex_lock(&rd->mu);
			rd->used++;
			pthread_cond_broadcast(&rd->cv);
			pthread_mutex_unlock(&rd->mu);
		}
	}
	if (threaded)
		pthread_join(thread, NULL);
	pthread_mutex_destroy(&rd->mu);
	pthread_cond_destroy(&rd->cv);
	for (int i = 0; i < SLOTS; i++)
		for (int f = 0; f < F_COUNT; f++)
			free(rd->slots[i].buf[f]);
	free(rd);
}

static void
check_proofs(struct verifier *v)
{
	for (size_t i = 0; i < v->nproofs; i++) {
		struct proof_check *pc = &v->proofs[i];

		if (!pc->have_leaf) {
			tlog_check_add(v->c, TLOG_TAMPER, "proof_invalid", 1,
			               pc->index,
			               "%s: entry %" PRIu64
			               " is not in the bundle",
			               pc->rel, pc->index);
			continue;
		}
		if (pc->index >= pc->size ||
		    tlog_verify_inclusion(pc->index, pc->size, pc->leaf,
		                          (const tlog_hash *)pc->p.hashes,
		                          pc->p.nhashes, pc->root) != 0)
			tlog_check_add(v->c, TLOG_TAMPER, "proof_invalid", 1,
			               pc->index,
			               "%s: the inclusion proof does not lead "
			               "from the entry to the checkpoint root",
			               pc->rel);
	}
}

/* Listed files the stream did not read (log.vkey, consistency proofs,
 * tiles it never reached) are hashed here. */
static void
check_rest(struct verifier *v)
{
	for (size_t i = 0; v->have_manifest && i < v->m.nfiles; i++) {
		const char *rel = v->m.files[i].path;
		size_t len = 0;

		if (!v->present[i]) {
			tlog_check_add(v->c, TLOG_TAMPER, "file_missing", 0, 0,
			               "%s: listed in the MANIFEST but missing",
			               rel);
			continue;
		}
		if (!v->checked[i])
			read_rel(v, rel, &v->hbuf, &v->hcap, &len);
	}
}

int
tlog_bundle_verify(const char *dir, const struct tlog_check_opts *opts,
                   struct tlog_check_report *r)
{
	struct tlog_check_opts o = *opts;
	struct verifier *v;
	uint64_t size = 0, cp_size = 0;
	size_t len = 0;
	int have_size = 0, have_cp = 0, rc;

	memset(r, 0, sizeof(*r));
	if (!attest_is_dir(dir)) {
		attest_error_set(ATTEST_EIO, "%s: not a directory", dir);
		return 2;
	}
	v = xcalloc(1, sizeof(*v));
	v->dir = dir;
	load_manifest(v, opts);
	if (v->have_manifest) {
		if (o.origin == NULL)
			o.origin = v->m.origin;
		size = v->m.size;
		have_size = 1;
	}
	v->c = tlog_check_new(&o);
	for (size_t i = 0; i < v->nearly; i++) {
		tlog_check_add(v->c, TLOG_TAMPER, v->early[i].code, 0, 0, "%s",
		               v->early[i].message);
		free(v->early[i].message);
	}
	tlog_check_on_tile(v->c, on_tile, v);
	v->present = xcalloc(v->m.nfiles + 1, 1);
	v->checked = xcalloc(v->m.nfiles + 1, 1);
	walk(v, "", 0);

	/* Checkpoints first: the checker needs them before the stream
	   reaches their sizes. */
	rc = read_rel(v, "checkpoint", &v->ebuf, &v->ecap, &len);
	if (rc == 0) {
		if (checkpoint_size(v->ebuf, len, &cp_size) == 0)
			have_cp = 1;
		tlog_check_checkpoint(v->c, (const char *)v->ebuf, len,
		                      "checkpoint");
	} else if (rc > 0 && !v->have_manifest) {
		tlog_check_add(v->c, TLOG_TAMPER, "file_missing", 0, 0,
		               "checkpoint: missing");
	}
	if (have_cp && have_size && cp_size != size)
		tlog_check_add(v->c, TLOG_TAMPER, "manifest_invalid", 0, 0,
		               "MANIFEST: size %" PRIu64
		               " but the checkpoint signs %" PRIu64,
		               size, cp_size);
	if (!have_size && have_cp) {
		size = cp_size;
		have_size = 1;
	}
	if (v->nwalked > 1)
		qsort(v->walked, v->nwalked, sizeof(*v->walked), cmp_str);
	for (size_t i = 0; i < v->nwalked; i++) {
		const char *rel = v->walked[i];
		uint64_t n;

		if (strncmp(rel, "checkpoints/", 12) == 0) {
			if (!is_decimal(rel + 12, &n))
				continue; /* e.g. a .tsr token: hashed only */
			if (read_rel(v, rel, &v->ebuf, &v->ecap, &len) == 0) {
				uint64_t signs;
				if (checkpoint_size(v->ebuf, len, &signs) ==
				            0 &&
				    signs != n)
					tlog_check_add(
					        v->c, TLOG_TAMPER,
					        "checkpoint_malformed", 1, n,
					        "%s signs size %" PRIu64
					        ", not the size its name "
					        "says",
					        rel, signs);
				tlog_check_checkpoint(
				        v->c, (const char *)v->ebuf, len, rel);
			}
		} else if (read_rel(v, rel, &v->ebuf, &v->ecap, &len) == 0) {
			load_proof(v, rel, v->ebuf, len);
		}
	}
	if (v->nproofs > 1)
		qsort(v->proofs, v->nproofs, sizeof(*v->proofs), cmp_proof);

	stream(v, size);
	if (v->manifest_deferred) {
		if (tlog_check_chain_signed(v->c, &v->manifest_note) != 0)
			tlog_check_add(
			        v->c, TLOG_TAMPER, "signature_invalid", 0, 0,
			        "MANIFEST: no valid signature by a "
			        "trusted key or its successors; its file "
			        "list cannot be relied on");
		tlog_note_free(&v->manifest_note);
	}
	check_proofs(v);
	check_rest(v);

	rc = tlog_check_finish(v->c, r);
	if (v->io_error) {
		attest_error_set(ATTEST_EIO, "%s", v->io_message);
		rc = 2;
	}
	tlog_check_free(v->c);
	for (size_t i = 0; i < v->nproofs; i++) {
		free(v->proofs[i].rel);
		tlog_proof_free(&v->proofs[i].p);
	}
	free(v->proofs);
	for (size_t i = 0; i < v->nwalked; i++)
		free(v->walked[i]);
	free(v->walked);
	free(v->present);
	free(v->checked);
	free(v->ebuf);
	free(v->hbuf);
	tlog_manifest_free(&v->m);
	free(v);
	return rc;
}
