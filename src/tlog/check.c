/*
 * The ledger checker: one pass over the entries in index order, with the
 * stored and trusted checkpoints known up front, reaching a diagnosis that
 * names the index and the rule broken.
 *
 * Most rules are checked as the stream goes by, because everything they
 * need is known by then: checkpoints are queued by size and checked the
 * moment the tree reaches that size, and the anchored time windows come
 * from the trusted checkpoints given at creation. What needs the whole log
 * waits for tlog_check_finish: whether a later redaction accounts for a
 * missing payload, checkpoints beyond the end, and the unanchored tail.
 *
 * Memory stays proportional to the number of checkpoints, key events,
 * redactions and runs of missing payloads, never to the number of entries,
 * and the per-entry path does no allocation. Findings are capped per code
 * so that ten thousand redactions or a renumbered table still give a
 * report a person can read; the cap is stated in a summary finding.
 *
 * This module reads no files; bundle.c and the ledger feed it.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "attest/error.h"
#include "tlog/check.h"
#include "tlog/leaf.h"
#include "tlog/merkle.h"
#include "tlog/note.h"
#include "tlog/tile.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/date.h"

#define DEFAULT_SKEW_MS (5 * 60 * 1000LL)
#define DEFAULT_LATE_MS (24 * 60 * 60 * 1000LL)
/* Findings listed per code; the rest are counted in one summary. */
#define MAX_PER_CODE 100
#define MAX_CODES    64

/* A stored checkpoint waiting for the tree to reach its size. */
struct stored_cp {
	uint64_t size;
	tlog_hash root;
	struct tlog_note note;
	char *where;
};

struct trusted_cp {
	uint64_t size;
	tlog_hash root;
	int64_t received_ms;
	const char *name;
	int valid; /* parsed, right origin, signed by a trusted key */
	/* Signed by a key the verifier does not hold directly: accepted
	   provisionally, judged against the key chain at the end (an auditor
	   holding the first key receives checkpoints signed by later ones). */
	int pending;
	struct tlog_note note;
};

/* A key_event leaf: the key in effect for checkpoints of size > index. */
struct chain_key {
	uint64_t index;
	struct tlog_verifier v;
	int has_old, old_ok;
	struct tlog_verifier old; /* the key it replaces */
};

struct redaction_ref {
	uint64_t target, by;
	size_t label;
};

struct purge_ref {
	uint64_t from, to, by;
	size_t label;
};

/* Entries [from, to) whose payloads are absent. */
struct run {
	uint64_t from, to;
};

struct anchor {
	uint64_t size;
	int64_t ms;
};

struct code_count {
	const char *code;
	enum tlog_severity severity;
	uint64_t n;
};

/* A finding with its insertion order, so sorting keeps stream order. */
struct entry_finding {
	struct tlog_finding f;
	size_t seq;
};

struct tlog_check {
	struct tlog_check_opts o;
	char *origin;
	int64_t skew, late, now;

	/* The tree over the entries fed, in stream order. */
	struct tlog_range range;
	tlog_check_tile_fn tile_fn;
	void *tile_ctx;
	uint64_t next_pos;
	uint64_t missing; /* positions skipped by the stream */
	uint64_t prev_logged;
	int have_prev_logged;

	/* Stored checkpoints, sorted by size from cp_next on. */
	struct stored_cp *cps;
	size_t ncps, cps_cap, cp_next;
	int have_cp;
	uint64_t max_cp_size;
	uint64_t last_good; /* size of the last checkpoint that matched */
	int have_group, have_prev_group;
	uint64_t group_size, prev_group_size;
	uint64_t checkpoints;

	/* Trusted checkpoints, sorted by size. */
	struct trusted_cp *tr;
	size_t ntr, tr_next;
	int have_anchored;
	uint64_t anchored_size;

	/* Anchored times for the windows of §3.8. */
	struct anchor *an;
	size_t nan, an_j;
	int64_t *before;  /* before[j]: latest anchor time of an[0..j) */
	int64_t *after;   /* after[j]: earliest anchor time of an[j..nan) */
	uint64_t *window; /* entries per window j */
	int tail_seen;
	uint64_t tail_logged;

	struct chain_key *keys;
	size_t nkeys, keys_cap;

	struct redaction_ref *red;
	size_t nred, red_cap;
	struct purge_ref *pur;
	size_t npur, pur_cap;
	struct run *runs;
	size_t nruns, runs_cap;
	char **labels; /* redaction reasons and purge policies, interned */
	uint64_t *label_count;
	size_t nlabels, labels_cap;

	uint64_t payloads, redacted, omitted;

	struct entry_finding *f;
	size_t nf, f_cap;
	struct code_count codes[MAX_CODES];
	size_t ncodes;
	size_t ntamper, nwarning;
	int finished;
};

static int64_t
clamp_ms(uint64_t v)
{
	return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int64_t
add_sat(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

/* "2026-06-30T10:15:30Z" for a time in ms. */
static const char *
fmt_ms(char out[static 21], int64_t ms)
{
	attest_time_format(out, ms / 1000);
	return out;
}

/* Findings. */

static struct code_count *
code_slot(struct tlog_check *c, const char *code, enum tlog_severity sev)
{
	for (size_t i = 0; i < c->ncodes; i++)
		if (c->codes[i].code == code ||
		    strcmp(c->codes[i].code, code) == 0)
			return &c->codes[i];
	if (c->ncodes == MAX_CODES)
		return NULL;
	c->codes[c->ncodes].code = code;
	c->codes[c->ncodes].severity = sev;
	c->codes[c->ncodes].n = 0;
	return &c->codes[c->ncodes++];
}

/* Appends a finding without counting it against its code's cap. */
static void
store(struct tlog_check *c, enum tlog_severity sev, const char *code,
      int has_index, uint64_t index, char *message)
{
	struct entry_finding *e;

	xgrow(&c->f, &c->f_cap, c->nf + 1, sizeof(*c->f));
	e = &c->f[c->nf];
	e->f.severity = sev;
	e->f.code = code;
	e->f.has_index = has_index;
	e->f.index = has_index ? index : UINT64_MAX;
	e->f.message = message;
	e->seq = c->nf++;
}

static void vfinding(struct tlog_check *c, enum tlog_severity sev,
                     const char *code, int has_index, uint64_t index,
                     const char *fmt, va_list ap)
        __attribute__((format(printf, 6, 0)));

static void
vfinding(struct tlog_check *c, enum tlog_severity sev, const char *code,
         int has_index, uint64_t index, const char *fmt, va_list ap)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	struct code_count *slot = code_slot(c, code, sev);

	if (sev == TLOG_TAMPER)
		c->ntamper++;
	else if (sev == TLOG_WARNING)
		c->nwarning++;
	/* Past the cap only the count is kept; formatting a million
	   messages nobody reads would dominate a bad run's time. */
	if (slot != NULL && ++slot->n > MAX_PER_CODE)
		return;
	attest_buf_vprintf(&b, fmt, ap);
	store(c, sev, code, has_index, index, attest_buf_detach(&b));
}

static void finding(struct tlog_check *c, enum tlog_severity sev,
                    const char *code, int has_index, uint64_t index,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void
finding(struct tlog_check *c, enum tlog_severity sev, const char *code,
        int has_index, uint64_t index, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfinding(c, sev, code, has_index, index, fmt, ap);
	va_end(ap);
}

/* A summary that is not subject to the cap (but counts as a finding). */
static void summary(struct tlog_check *c, enum tlog_severity sev,
                    const char *code, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void
summary(struct tlog_check *c, enum tlog_severity sev, const char *code,
        const char *fmt, ...)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	va_list ap;

	if (sev == TLOG_TAMPER)
		c->ntamper++;
	else if (sev == TLOG_WARNING)
		c->nwarning++;
	va_start(ap, fmt);
	attest_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	store(c, sev, code, 0, 0, attest_buf_detach(&b));
}

void
tlog_check_add(struct tlog_check *c, enum tlog_severity sev, const char *code,
               int has_index, uint64_t index, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfinding(c, sev, code, has_index, index, fmt, ap);
	va_end(ap);
}

/* Interned labels (redaction reasons, purge policies), counted. */
static size_t
label(struct tlog_check *c, const char *prefix, const struct tlog_bytes *b)
{
	struct attest_buf s = ATTEST_BUF_INIT;
	char *text;

	attest_buf_puts(&s, prefix);
	/* Policy names are bytes from the log; messages are one line of
	   text, so anything but printable ASCII is shown as '?'. */
	for (size_t i = 0; i < b->len; i++)
		attest_buf_putc(&s, b->p[i] >= 0x20 && b->p[i] < 0x7f
		                            ? (char)b->p[i]
		                            : '?');
	text = attest_buf_detach(&s);
	for (size_t i = 0; i < c->nlabels; i++)
		if (strcmp(c->labels[i], text) == 0) {
			free(text);
			return i;
		}
	xgrow(&c->labels, &c->labels_cap, c->nlabels + 1, sizeof(*c->labels));
	c->label_count = xreallocarray(c->label_count, c->labels_cap,
	                               sizeof(*c->label_count));
	c->labels[c->nlabels] = text;
	c->label_count[c->nlabels] = 0;
	return c->nlabels++;
}

/* Keys. */

static int
same_key(const struct tlog_verifier *a, const struct tlog_verifier *b)
{
	return a->key_id == b->key_id && strcmp(a->name, b->name) == 0 &&
	       memcmp(a->pk, b->pk, sizeof(a->pk)) == 0;
}

/* The key in effect for a checkpoint of size s: the last key event below
 * s; NULL when the log names none there. */
static const struct chain_key *
key_at(const struct tlog_check *c, uint64_t s)
{
	for (size_t i = c->nkeys; i > 0; i--)
		if (c->keys[i - 1].index < s)
			return &c->keys[i - 1];
	return NULL;
}

/* 0: some trusted key signed the note; -1: one claims to and fails;
 * 1: no trusted key signed it. */
static int
verify_trusted(const struct tlog_check *c, const struct tlog_note *n)
{
	int rc = 1;

	for (size_t i = 0; i < c->o.nkeys; i++) {
		int r = tlog_note_verify(n, &c->o.keys[i]);
		if (r == 0)
			return 0;
		if (r < 0)
			rc = -1;
	}
	return rc;
}

/* A verifier from key bytes in a leaf (not NUL-terminated); 0 or -1. */
static int
parse_key(struct tlog_verifier *v, const struct tlog_bytes *b)
{
	char *text = xstrndup((const char *)b->p, b->len);
	int rc = tlog_verifier_parse(v, text);

	free(text);
	return rc;
}

static void
key_event(struct tlog_check *c, uint64_t pos, const struct tlog_leaf *l)
{
	struct tlog_key_event ke;
	struct chain_key k;

	if (tlog_key_event_parse(&ke, &l->body) < 0)
		return; /* the leaf parser already refused it */
	memset(&k, 0, sizeof(k));
	k.index = pos;
	if (ke.old_vkey.len != 0) {
		k.has_old = 1;
		k.old_ok = parse_key(&k.old, &ke.old_vkey) == 0;
	}
	/* Keys are compared parsed (name, id, public key), so spelling
	   differences such as trailing white space do not matter. */
	if (c->nkeys == 0 && k.has_old)
		finding(c, TLOG_TAMPER, "key_chain_invalid", 1, pos,
		        "the first key event names an old key: the start of "
		        "the key chain is missing");
	if (c->nkeys > 0 &&
	    (!k.old_ok || !same_key(&k.old, &c->keys[c->nkeys - 1].v)))
		finding(c, TLOG_TAMPER, "key_chain_invalid", 1, pos,
		        "key event does not name the key in effect (logged "
		        "at entry %" PRIu64 ") as its old key",
		        c->keys[c->nkeys - 1].index);
	if (parse_key(&k.v, &ke.new_vkey) < 0) {
		finding(c, TLOG_TAMPER, "key_chain_invalid", 1, pos,
		        "key event names a new key that does not parse: %s",
		        attest_error_last());
		if (k.old_ok)
			tlog_verifier_free(&k.old);
		return;
	}
	xgrow(&c->keys, &c->keys_cap, c->nkeys + 1, sizeof(*c->keys));
	c->keys[c->nkeys++] = k;
}

/* Checkpoints. */

static void
check_signature(struct tlog_check *c, const struct stored_cp *cp)
{
	const struct chain_key *k = key_at(c, cp->size);
	int r;

	if (k == NULL) {
		r = verify_trusted(c, &cp->note);
		if (r < 0)
			finding(c, TLOG_TAMPER, "signature_invalid", 1,
			        cp->size, "%s: signature does not verify",
			        cp->where);
		else if (r > 0)
			finding(c, TLOG_TAMPER, "signature_invalid", 1,
			        cp->size, "%s: not signed by a trusted key",
			        cp->where);
		return;
	}
	r = tlog_note_verify(&cp->note, &k->v);
	if (r < 0)
		finding(c, TLOG_TAMPER, "signature_invalid", 1, cp->size,
		        "%s: the signature by %s+%08" PRIx32
		        " (key in effect since entry %" PRIu64
		        ") does not verify",
		        cp->where, k->v.name, k->v.key_id, k->index);
	else if (r > 0)
		finding(c, TLOG_TAMPER, "signature_invalid", 1, cp->size,
		        "%s: not signed by %s+%08" PRIx32
		        ", the key in effect since entry %" PRIu64,
		        cp->where, k->v.name, k->v.key_id, k->index);
	/* The first checkpoint to include a rotation is the old key's only
	   chance to vouch for the new one. */
	if (k->has_old &&
	    (!c->have_prev_group || c->prev_group_size <= k->index)) {
		if (!k->old_ok || tlog_note_verify(&cp->note, &k->old) != 0)
			finding(c, TLOG_TAMPER, "key_chain_invalid", 1,
			        cp->size,
			        "%s is the first checkpoint after the key "
			        "rotation at entry %" PRIu64
			        " but carries no valid signature by the old "
			        "key",
			        cp->where, k->index);
	}
}

static void
process_stored(struct tlog_check *c, struct stored_cp *cp, const tlog_hash root)
{
	c->checkpoints++;
	if (!c->have_group || cp->size != c->group_size) {
		c->have_prev_group = c->have_group;
		c->prev_group_size = c->group_size;
		c->have_group = 1;
		c->group_size = cp->size;
	}
	if (memcmp(root, cp->root, TLOG_HASH) != 0)
		finding(c, TLOG_TAMPER, "root_mismatch", 1, cp->size,
		        "%s: signed root differs from the entries: entries "
		        "[%" PRIu64 ", %" PRIu64
		        ") were changed, inserted or removed after it was "
		        "signed",
		        cp->where, c->last_good, cp->size);
	else
		c->last_good = cp->size;
	check_signature(c, cp);
}

static void
process_trusted(struct tlog_check *c, const struct trusted_cp *t,
                const tlog_hash root)
{
	if (memcmp(root, t->root, TLOG_HASH) != 0)
		finding(c, TLOG_TAMPER, "fork", 1, t->size,
		        "trusted checkpoint %s (size %" PRIu64
		        ") has a different root than the log: the log was "
		        "rewritten below a size the auditor holds",
		        t->name, t->size);
}

/* Checks every checkpoint whose size the tree has just reached. */
static void
process_ready(struct tlog_check *c)
{
	uint64_t n = c->range.size;
	tlog_hash root;
	int have_root = 0;

	while (c->cp_next < c->ncps && c->cps[c->cp_next].size <= n) {
		struct stored_cp *cp = &c->cps[c->cp_next++];
		if (!have_root) {
			tlog_range_root(&c->range, root);
			have_root = 1;
		}
		process_stored(c, cp, root);
		tlog_note_free(&cp->note);
	}
	while (c->tr_next < c->ntr && c->tr[c->tr_next].size <= n) {
		const struct trusted_cp *t = &c->tr[c->tr_next++];
		if (!t->valid)
			continue;
		if (!have_root) {
			tlog_range_root(&c->range, root);
			have_root = 1;
		}
		process_trusted(c, t, root);
	}
}

void
tlog_check_checkpoint(struct tlog_check *c, const char *note, size_t len,
                      const char *where)
{
	struct tlog_checkpoint body;
	struct stored_cp cp;
	size_t at;

	memset(&cp, 0, sizeof(cp));
	if (tlog_note_parse(&cp.note, note, len) < 0) {
		finding(c, TLOG_TAMPER, "checkpoint_malformed", 0, 0, "%s: %s",
		        where, attest_error_last());
		return;
	}
	if (tlog_checkpoint_parse(&body, cp.note.text, cp.note.text_len) < 0) {
		finding(c, TLOG_TAMPER, "checkpoint_malformed", 0, 0, "%s: %s",
		        where, attest_error_last());
		tlog_note_free(&cp.note);
		return;
	}
	cp.size = body.size;
	memcpy(cp.root, body.root, TLOG_HASH);
	if (c->origin == NULL)
		c->origin = xstrdup(body.origin);
	else if (strcmp(c->origin, body.origin) != 0)
		finding(c, TLOG_TAMPER, "origin_mismatch", 1, cp.size,
		        "%s: origin \"%s\" is not the log's \"%s\"", where,
		        body.origin, c->origin);
	tlog_checkpoint_free(&body);
	if (!c->have_cp || cp.size > c->max_cp_size)
		c->max_cp_size = cp.size;
	c->have_cp = 1;
	if (cp.size < c->range.size) {
		/* Its root is gone from the compact range; only a caller
		   that feeds checkpoints late gets here. */
		finding(c, TLOG_WARNING, "checkpoint_unchecked", 1, cp.size,
		        "%s: added after the stream passed its size, so its "
		        "root was not checked",
		        where);
		tlog_note_free(&cp.note);
		return;
	}
	cp.where = xstrdup(where);
	/* Usually fed in size order, so this is an append. */
	xgrow(&c->cps, &c->cps_cap, c->ncps + 1, sizeof(*c->cps));
	for (at = c->ncps; at > c->cp_next && c->cps[at - 1].size > cp.size;
	     at--)
		;
	memmove(&c->cps[at + 1], &c->cps[at], (c->ncps - at) * sizeof(*c->cps));
	c->cps[at] = cp;
	c->ncps++;
	process_ready(c);
}

/* Creation. */

static int
cmp_trusted(const void *a, const void *b)
{
	const struct trusted_cp *x = a, *y = b;

	return x->size < y->size ? -1 : x->size > y->size;
}

static int
cmp_anchor(const void *a, const void *b)
{
	const struct anchor *x = a, *y = b;

	return x->size < y->size ? -1 : x->size > y->size;
}

static void
load_trusted(struct tlog_check *c)
{
	c->tr = xcalloc(c->o.ntrusted, sizeof(*c->tr));
	for (size_t i = 0; i < c->o.ntrusted; i++) {
		const struct tlog_trusted *in = &c->o.trusted[i];
		struct trusted_cp *t = &c->tr[c->ntr];
		const char *name = in->name ? in->name : "(trusted)";
		struct tlog_checkpoint body;
		struct tlog_note note;
		int r;

		if (tlog_note_parse(&note, in->note, in->note_len) < 0) {
			finding(c, TLOG_TAMPER, "checkpoint_malformed", 0, 0,
			        "trusted checkpoint %s: %s", name,
			        attest_error_last());
			continue;
		}
		if (tlog_checkpoint_parse(&body, note.text, note.text_len) <
		    0) {
			finding(c, TLOG_TAMPER, "checkpoint_malformed", 0, 0,
			        "trusted checkpoint %s: %s", name,
			        attest_error_last());
			tlog_note_free(&note);
			continue;
		}
		t->size = body.size;
		memcpy(t->root, body.root, TLOG_HASH);
		t->received_ms = in->received_ms;
		t->name = name;
		r = verify_trusted(c, &note);
		if (r == 1) {
			t->pending = 1;
			t->note = note;
			r = 0;
		} else {
			tlog_note_free(&note);
		}
		if (r != 0) {
			finding(c, TLOG_TAMPER, "signature_invalid", 1,
			        body.size,
			        "trusted checkpoint %s: %s; it is not used as "
			        "an anchor",
			        name,
			        r < 0 ? "signature does not verify"
			              : "not signed by a trusted key");
			tlog_checkpoint_free(&body);
			continue;
		}
		if (c->origin != NULL && strcmp(c->origin, body.origin) != 0) {
			finding(c, TLOG_TAMPER, "origin_mismatch", 1, body.size,
			        "trusted checkpoint %s: origin \"%s\" is not "
			        "the log's \"%s\"; it is not used as an anchor",
			        name, body.origin, c->origin);
			tlog_checkpoint_free(&body);
			if (t->pending)
				tlog_note_free(&t->note);
			t->pending = 0;
			continue;
		}
		if (c->origin == NULL)
			c->origin = xstrdup(body.origin);
		tlog_checkpoint_free(&body);
		t->valid = 1;
		if (!c->have_anchored || t->size > c->anchored_size)
			c->anchored_size = t->size;
		c->have_anchored = 1;
		c->ntr++;
	}
	if (c->ntr > 1)
		qsort(c->tr, c->ntr, sizeof(*c->tr), cmp_trusted);

	/* Windows: anchors by size, with the latest time at or below each
	   size and the earliest above it precomputed, so each entry costs a
	   pointer step and two comparisons. */
	c->an = xcalloc(c->ntr + 1, sizeof(*c->an));
	for (size_t i = 0; i < c->ntr; i++)
		if (c->tr[i].received_ms >= 0) {
			c->an[c->nan].size = c->tr[i].size;
			c->an[c->nan].ms = c->tr[i].received_ms;
			c->nan++;
		}
	if (c->nan > 1)
		qsort(c->an, c->nan, sizeof(*c->an), cmp_anchor);
	c->before = xcalloc(c->nan + 1, sizeof(*c->before));
	c->after = xcalloc(c->nan + 1, sizeof(*c->after));
	c->window = xcalloc(c->nan + 1, sizeof(*c->window));
	c->before[0] = INT64_MIN;
	for (size_t j = 0; j < c->nan; j++)
		c->before[j + 1] =
		        c->an[j].ms > c->before[j] ? c->an[j].ms : c->before[j];
	c->after[c->nan] = INT64_MAX;
	for (size_t j = c->nan; j > 0; j--)
		c->after[j - 1] = c->an[j - 1].ms < c->after[j]
		                          ? c->an[j - 1].ms
		                          : c->after[j];
}

struct tlog_check *
tlog_check_new(const struct tlog_check_opts *o)
{
	struct tlog_check *c = xcalloc(1, sizeof(*c));

	c->o = *o;
	c->skew = o->skew_ms > 0 ? o->skew_ms : DEFAULT_SKEW_MS;
	c->late = o->late_ms > 0 ? o->late_ms : DEFAULT_LATE_MS;
	if (o->now_ms > 0) {
		c->now = o->now_ms;
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		c->now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	}
	if (o->origin != NULL)
		c->origin = xstrdup(o->origin);
	tlog_range_init(&c->range);
	load_trusted(c);
	process_ready(c); /* trusted checkpoints of size 0 */
	return c;
}

void
tlog_check_on_tile(struct tlog_check *c, tlog_check_tile_fn fn, void *ctx)
{
	c->tile_fn = fn;
	c->tile_ctx = ctx;
}

/* Entries. */

/*
 * Appends a leaf hash to the compact range, as tlog_range_append does, but
 * reports each subtree of height 8L it completes on the way: those are the
 * entries of the tiles, so a caller can compare stored tiles at no extra
 * hashing. The range keeps merkle.h's invariant (largest subtree first,
 * one per set bit of size), so tlog_range_root still applies.
 */
static void
fold(struct tlog_check *c, const tlog_hash leaf)
{
	struct tlog_range *r = &c->range;
	uint64_t s = r->size, done = r->size + 1;
	unsigned height = 0;
	tlog_hash h;

	memcpy(h, leaf, TLOG_HASH);
	if (c->tile_fn != NULL)
		c->tile_fn(c->tile_ctx, 0, r->size, h);
	while (s & 1) {
		tlog_node_hash(h, r->hashes[--r->n], h);
		s >>= 1;
		height++;
		if (c->tile_fn != NULL && height % TLOG_TILE_HEIGHT == 0)
			c->tile_fn(c->tile_ctx, height / TLOG_TILE_HEIGHT,
			           (done >> height) - 1, h);
	}
	memcpy(r->hashes[r->n++], h, TLOG_HASH);
	r->size = done;
}

static void
note_absent(struct tlog_check *c, uint64_t pos)
{
	if (c->nruns > 0 && c->runs[c->nruns - 1].to == pos) {
		c->runs[c->nruns - 1].to = pos + 1;
		return;
	}
	xgrow(&c->runs, &c->runs_cap, c->nruns + 1, sizeof(*c->runs));
	c->runs[c->nruns].from = pos;
	c->runs[c->nruns].to = pos + 1;
	c->nruns++;
}

static void
redaction(struct tlog_check *c, uint64_t pos, const struct tlog_leaf *l)
{
	struct tlog_redaction rd;
	struct tlog_purge pg;

	if (l->kind == TLOG_REDACTION) {
		if (tlog_redaction_parse(&rd, &l->body) < 0)
			return;
		if (rd.target >= pos) {
			finding(c, TLOG_TAMPER, "redaction_invalid", 1, pos,
			        "redaction names entry %" PRIu64
			        ", which is not before it",
			        rd.target);
			return;
		}
		xgrow(&c->red, &c->red_cap, c->nred + 1, sizeof(*c->red));
		c->red[c->nred].target = rd.target;
		c->red[c->nred].by = pos;
		c->red[c->nred].label = label(c, "", &rd.reason);
		c->nred++;
	} else {
		if (tlog_purge_parse(&pg, &l->body) < 0)
			return;
		if (pg.to > pos) {
			finding(c, TLOG_TAMPER, "redaction_invalid", 1, pos,
			        "retention purge names entries [%" PRIu64
			        ", %" PRIu64 "), which reach past itself",
			        pg.from, pg.to);
			return;
		}
		xgrow(&c->pur, &c->pur_cap, c->npur + 1, sizeof(*c->pur));
		c->pur[c->npur].from = pg.from;
		c->pur[c->npur].to = pg.to;
		c->pur[c->npur].by = pos;
		c->pur[c->npur].label =
		        label(c, "retention purge ", &pg.policy);
		c->npur++;
	}
}

static void
check_time(struct tlog_check *c, uint64_t pos, const struct tlog_leaf *l)
{
	int64_t logged = clamp_ms(l->logged_at_ms);
	int64_t observed = clamp_ms(l->observed_at_ms);
	int64_t before, after;
	char t1[21], t2[21], t3[21];
	size_t j;

	if (pos >= c->anchored_size && !c->tail_seen) {
		c->tail_seen = 1;
		c->tail_logged = l->logged_at_ms;
	}
	if (c->nan == 0)
		return;
	if (c->an_j > 0 && c->an[c->an_j - 1].size > pos)
		c->an_j = 0; /* positions went backwards: start over */
	while (c->an_j < c->nan && c->an[c->an_j].size <= pos)
		c->an_j++;
	j = c->an_j;
	c->window[j]++;
	before = c->before[j];
	after = c->after[j];
	if ((j > 0 && logged < before - c->skew) ||
	    (j < c->nan && logged > add_sat(after, c->skew)))
		finding(c, TLOG_TAMPER, "clock_outside_window", 1, pos,
		        "logged at %s, outside its anchored window [%s, %s]: "
		        "the sequencer clock was wrong or the entry back-dated",
		        fmt_ms(t1, logged),
		        j > 0 ? fmt_ms(t2, before) : "start",
		        j < c->nan ? fmt_ms(t3, after) : "now");
	if (j < c->nan && observed > add_sat(after, c->skew))
		finding(c, TLOG_TAMPER, "future_dated", 1, pos,
		        "observed at %s, after a checkpoint holding it was "
		        "anchored at %s",
		        fmt_ms(t1, observed), fmt_ms(t2, after));
	if (j > 0 && observed < before - c->late)
		finding(c, TLOG_WARNING, "late_logged", 1, pos,
		        "observed at %s but logged after the anchor of %s "
		        "(a back-fill, or back-dated evidence)",
		        fmt_ms(t1, observed), fmt_ms(t2, before));
}

void
tlog_check_entry(struct tlog_check *c, uint64_t pos, const uint8_t *leaf,
                 size_t leaf_len, enum tlog_payload_state st,
                 const uint8_t *salt, const uint8_t *payload,
                 size_t payload_len, const uint8_t *tile_hash)
{
	struct tlog_leaf l;
	tlog_hash h, commit;
	const uint8_t *tree_hash = h;

	if (pos > c->next_pos) {
		finding(c, TLOG_TAMPER, "entry_missing", 1, c->next_pos,
		        "%" PRIu64 " entries [%" PRIu64 ", %" PRIu64
		        ") are missing (rows deleted, or a damaged bundle)",
		        pos - c->next_pos, c->next_pos, pos);
		c->missing += pos - c->next_pos;
	} else if (pos < c->next_pos)
		finding(c, TLOG_TAMPER, "index_mismatch", 1, pos,
		        "position %" PRIu64 " comes again after %" PRIu64, pos,
		        c->next_pos - 1);
	if (pos >= c->next_pos)
		c->next_pos = pos + 1;

	tlog_leaf_hash(h, leaf, leaf_len);
	if (tile_hash != NULL && memcmp(h, tile_hash, TLOG_HASH) != 0) {
		finding(c, TLOG_TAMPER, "leaf_changed", 1, pos,
		        "leaf differs from the hash the tiles hold for it");
		/* The tiles are what the checkpoints signed; folding them
		   pins the change to this entry instead of to every later
		   checkpoint. */
		tree_hash = tile_hash;
	}
	fold(c, tree_hash);

	if (tlog_leaf_parse(&l, leaf, leaf_len) < 0) {
		finding(c, TLOG_TAMPER, "leaf_malformed", 1, pos, "%s",
		        attest_error_last());
		process_ready(c);
		return;
	}
	if (l.index != pos)
		finding(c, TLOG_TAMPER, "index_mismatch", 1, pos,
		        "entry stored at %" PRIu64 " says it is entry %" PRIu64
		        " (moved, swapped or inserted)",
		        pos, l.index);
	if (c->have_prev_logged && l.logged_at_ms < c->prev_logged)
		finding(c, TLOG_TAMPER, "logged_at_decreasing", 1, pos,
		        "logged_at goes back by %" PRIu64
		        " ms from the entry before",
		        c->prev_logged - l.logged_at_ms);
	c->prev_logged = l.logged_at_ms;
	c->have_prev_logged = 1;

	switch (l.kind) {
	case TLOG_KEY_EVENT:
		key_event(c, pos, &l);
		break;
	case TLOG_REDACTION:
	case TLOG_RETENTION_PURGE:
		redaction(c, pos, &l);
		break;
	default:
		break;
	}

	switch (st) {
	case TLOG_PAYLOAD_PRESENT:
		c->payloads++;
		if (salt == NULL || (payload == NULL && payload_len > 0)) {
			finding(c, TLOG_TAMPER, "payload_mismatch", 1, pos,
			        "payload given without its salt");
			break;
		}
		if (payload_len != l.payload_len) {
			finding(c, TLOG_TAMPER, "payload_mismatch", 1, pos,
			        "payload is %zu bytes, the leaf says %" PRIu64,
			        payload_len, l.payload_len);
			break;
		}
		tlog_payload_commit(commit, salt, payload, payload_len);
		if (memcmp(commit, l.commitment, TLOG_HASH) != 0)
			finding(c, TLOG_TAMPER, "payload_mismatch", 1, pos,
			        "payload does not match the leaf's commitment");
		break;
	case TLOG_PAYLOAD_ABSENT:
		note_absent(c, pos);
		break;
	case TLOG_PAYLOAD_OMITTED:
		c->omitted++;
		break;
	}

	check_time(c, pos, &l);
	process_ready(c);
}

/* The end. */

static int
cmp_red(const void *a, const void *b)
{
	const struct redaction_ref *x = a, *y = b;

	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return x->by < y->by ? -1 : x->by > y->by;
}

static int
cmp_pur(const void *a, const void *b)
{
	const struct purge_ref *x = a, *y = b;

	return x->from < y->from ? -1 : x->from > y->from;
}

static int
cmp_run(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return x->from < y->from ? -1 : x->from > y->from;
}

static const struct redaction_ref *
find_redaction(const struct tlog_check *c, uint64_t target)
{
	size_t lo = 0, hi = c->nred;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->red[mid].target < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nred && c->red[lo].target == target ? &c->red[lo] : NULL;
}

/* Every absent payload must be named by a valid redaction or purge; the
 * leaves that could name it all come later, hence here. */
static void
account_deletions(struct tlog_check *c)
{
	const struct purge_ref *best = NULL;
	size_t p = 0;

	if (c->nred > 1)
		qsort(c->red, c->nred, sizeof(*c->red), cmp_red);
	if (c->npur > 1)
		qsort(c->pur, c->npur, sizeof(*c->pur), cmp_pur);
	if (c->nruns > 1)
		qsort(c->runs, c->nruns, sizeof(*c->runs), cmp_run);
	for (size_t r = 0; r < c->nruns; r++) {
		for (uint64_t i = c->runs[r].from; i < c->runs[r].to; i++) {
			const struct redaction_ref *rd = find_redaction(c, i);

			if (rd != NULL) {
				c->redacted++;
				c->label_count[rd->label]++;
				finding(c, TLOG_WARNING, "redacted", 1, i,
				        "payload removed by the redaction at "
				        "entry %" PRIu64 " (%s)",
				        rd->by, c->labels[rd->label]);
				continue;
			}
			/* Purges sorted by start: the one reaching
			   furthest among those started covers i if any
			   does. */
			while (p < c->npur && c->pur[p].from <= i) {
				if (best == NULL || c->pur[p].to > best->to)
					best = &c->pur[p];
				p++;
			}
			if (best != NULL && i < best->to) {
				c->redacted++;
				c->label_count[best->label]++;
				finding(c, TLOG_WARNING, "redacted", 1, i,
				        "payload removed by the retention "
				        "purge "
				        "at entry %" PRIu64 " (%s)",
				        best->by, c->labels[best->label]);
				continue;
			}
			finding(c, TLOG_TAMPER, "unauthorised_deletion", 1, i,
			        "payload is missing and no later redaction or "
			        "retention purge names it");
		}
	}
	if (c->redacted > 0) {
		struct attest_buf b = ATTEST_BUF_INIT;
		const char *sep = "";

		for (size_t i = 0; i < c->nlabels; i++) {
			if (c->label_count[i] == 0)
				continue;
			attest_buf_printf(&b, "%s%s: %" PRIu64, sep,
			                  c->labels[i], c->label_count[i]);
			sep = ", ";
		}
		summary(c, TLOG_WARNING, "redacted",
		        "%" PRIu64 " payload(s) removed by logged "
		        "redactions (%s); review the redaction list",
		        c->redacted, attest_buf_cstr(&b));
		attest_buf_free(&b);
	}
}

static void
check_key_trust(struct tlog_check *c)
{
	if (c->nkeys == 0)
		return;
	for (size_t i = 0; i < c->nkeys; i++)
		for (size_t k = 0; k < c->o.nkeys; k++)
			if (same_key(&c->keys[i].v, &c->o.keys[k]))
				return;
	finding(c, TLOG_TAMPER, "key_chain_invalid", 0, 0,
	        "none of the trusted keys appears in the log's key chain "
	        "(%zu key events)",
	        c->nkeys);
}

int
tlog_check_chain_signed(const struct tlog_check *c, const struct tlog_note *n)
{
	int trusted = 0;

	for (size_t i = 0; i < c->nkeys && !trusted; i++)
		for (size_t k = 0; k < c->o.nkeys; k++)
			if (same_key(&c->keys[i].v, &c->o.keys[k]))
				trusted = 1;
	if (!trusted)
		return 1;
	for (size_t i = 0; i < c->nkeys; i++)
		if (tlog_note_verify(n, &c->keys[i].v) == 0)
			return 0;
	return 1;
}

static void
report_time(struct tlog_check *c)
{
	uint64_t size = c->range.size;
	char t1[21], t2[21];

	for (size_t j = 0; j < c->nan; j++) {
		uint64_t from = j > 0 ? c->an[j - 1].size : 0;
		if (c->an[j].size == from)
			continue;
		finding(c, TLOG_INFO, "time_window", 1, from,
		        "entries [%" PRIu64 ", %" PRIu64 "): %" PRIu64
		        " entries logged between %s and %s",
		        from, c->an[j].size, c->window[j],
		        j > 0 ? fmt_ms(t1, c->before[j]) : "the start",
		        fmt_ms(t2, c->after[j]));
	}
	if (size > c->anchored_size && c->tail_seen) {
		int64_t age = c->now - clamp_ms(c->tail_logged);
		if (!c->have_anchored)
			finding(c, TLOG_WARNING, "unanchored_tail", 1, 0,
			        "no valid trusted checkpoint: all %" PRIu64
			        " entries are unanchored; the oldest was "
			        "logged at %s (%.1f days ago)",
			        size, fmt_ms(t1, clamp_ms(c->tail_logged)),
			        (double)age / 86400000.0);
		else
			finding(c, TLOG_WARNING, "unanchored_tail", 1,
			        c->anchored_size,
			        "%" PRIu64 " entries after the largest trusted "
			        "checkpoint (size %" PRIu64
			        ") are not anchored; the oldest was logged at "
			        "%s (%.1f days ago)",
			        size - c->anchored_size, c->anchored_size,
			        fmt_ms(t1, clamp_ms(c->tail_logged)),
			        (double)age / 86400000.0);
	}
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct entry_finding *x = a, *y = b;

	if (x->f.severity != y->f.severity)
		return x->f.severity > y->f.severity ? -1 : 1;
	if (x->f.has_index != y->f.has_index)
		return x->f.has_index ? 1 : -1;
	if (x->f.index != y->f.index)
		return x->f.index < y->f.index ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
tlog_check_finish(struct tlog_check *c, struct tlog_check_report *r)
{
	uint64_t size = c->range.size;

	memset(r, 0, sizeof(*r));
	if (c->finished)
		return attest_error_set(ATTEST_ERROR,
		                        "checker already finished");
	c->finished = 1;

	for (size_t i = 0; i < c->ntr; i++)
		if (c->tr[i].pending) {
			if (tlog_check_chain_signed(c, &c->tr[i].note) != 0)
				finding(c, TLOG_TAMPER, "signature_invalid", 1,
				        c->tr[i].size,
				        "trusted checkpoint %s: not signed by "
				        "a "
				        "trusted key or a key the log's chain "
				        "hands over to",
				        c->tr[i].name);
			tlog_note_free(&c->tr[i].note);
			c->tr[i].pending = 0;
		}

	/* Checkpoints the stream never reached. Their signatures are still
	   checked: a validly signed size beyond the end proves a cut. */
	for (; c->cp_next < c->ncps; c->cp_next++) {
		struct stored_cp *cp = &c->cps[c->cp_next];
		c->checkpoints++;
		finding(c, TLOG_TAMPER, "truncated", 1, cp->size,
		        "%s signs %" PRIu64 " entries but only %" PRIu64
		        " are present: %s",
		        cp->where, cp->size, size,
		        c->missing > 0
		                ? "entries are missing (see entry_missing)"
		                : "the log was cut below a signed size");
		check_signature(c, cp);
		tlog_note_free(&cp->note);
	}
	for (; c->tr_next < c->ntr; c->tr_next++) {
		const struct trusted_cp *t = &c->tr[c->tr_next];
		finding(c, TLOG_TAMPER, "truncated", 1, t->size,
		        "trusted checkpoint %s holds size %" PRIu64
		        " but the log has only %" PRIu64 " entries: %s",
		        t->name, t->size, size,
		        c->missing > 0 ? "entries are missing (see "
		                         "entry_missing)"
		                       : "the log was cut below a size the "
		                         "auditor holds");
	}
	if (size > 0 && (!c->have_cp || c->max_cp_size < size))
		finding(c, TLOG_TAMPER, "entries_unsigned", 1,
		        c->have_cp ? c->max_cp_size : 0,
		        "%" PRIu64 " entries after the last stored checkpoint "
		        "(size %" PRIu64
		        ") are covered by no signature: rows were added "
		        "after the last signing",
		        size - (c->have_cp ? c->max_cp_size : 0),
		        c->have_cp ? c->max_cp_size : 0);
	check_key_trust(c);
	account_deletions(c);
	if (c->omitted > 0)
		summary(c, TLOG_WARNING, "not_exported",
		        "%" PRIu64 " payload(s) outside the exported period "
		        "not checked (their leaves were)",
		        c->omitted);
	report_time(c);

	/* Say how much each capped code left out. */
	for (size_t i = 0; i < c->ncodes; i++)
		if (c->codes[i].n > MAX_PER_CODE) {
			struct attest_buf b = ATTEST_BUF_INIT;
			attest_buf_printf(&b,
			                  "%" PRIu64
			                  " more %s findings not listed "
			                  "(%" PRIu64 " in all)",
			                  c->codes[i].n - MAX_PER_CODE,
			                  c->codes[i].code, c->codes[i].n);
			store(c, c->codes[i].severity, c->codes[i].code, 0, 0,
			      attest_buf_detach(&b));
		}

	if (c->nf > 1)
		qsort(c->f, c->nf, sizeof(*c->f), cmp_finding);
	r->findings = xcalloc(c->nf, sizeof(*r->findings));
	for (size_t i = 0; i < c->nf; i++)
		r->findings[i] = c->f[i].f;
	r->nfindings = c->nf;
	c->nf = 0; /* the messages now belong to the report */
	r->size = size;
	r->checkpoints = c->checkpoints;
	r->payloads = c->payloads;
	r->redacted = c->redacted;
	r->omitted = c->omitted;
	r->anchored_size = c->anchored_size;
	r->ntamper = c->ntamper;
	r->nwarning = c->nwarning;
	return r->ntamper > 0 ? 1 : r->nwarning > 0 ? 3 : 0;
}

void
tlog_check_free(struct tlog_check *c)
{
	if (c == NULL)
		return;
	free(c->origin);
	for (size_t i = c->cp_next; i < c->ncps; i++)
		tlog_note_free(&c->cps[i].note);
	for (size_t i = 0; i < c->ncps; i++)
		free(c->cps[i].where);
	free(c->cps);
	for (size_t i = 0; i < c->ntr; i++)
		if (c->tr[i].pending)
			tlog_note_free(&c->tr[i].note);
	free(c->tr);
	free(c->an);
	free(c->before);
	free(c->after);
	free(c->window);
	for (size_t i = 0; i < c->nkeys; i++) {
		tlog_verifier_free(&c->keys[i].v);
		if (c->keys[i].old_ok)
			tlog_verifier_free(&c->keys[i].old);
	}
	free(c->keys);
	free(c->red);
	free(c->pur);
	free(c->runs);
	for (size_t i = 0; i < c->nlabels; i++)
		free(c->labels[i]);
	free(c->labels);
	free(c->label_count);
	for (size_t i = 0; i < c->nf; i++)
		free(c->f[i].f.message);
	free(c->f);
	free(c);
}

void
tlog_check_report_free(struct tlog_check_report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nfindings; i++)
		free(r->findings[i].message);
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

static const char *
severity_name(enum tlog_severity s)
{
	switch (s) {
	case TLOG_TAMPER:
		return "tamper";
	case TLOG_WARNING:
		return "warning";
	default:
		return "info";
	}
}

/* Messages quote origins and file names; jansson refuses invalid UTF-8,
 * so such a message is given with its non-ASCII bytes replaced. */
static json_t *
json_text(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j != NULL)
		return j;
	copy = xstrdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

struct json_t *
tlog_check_report_json(const struct tlog_check_report *r)
{
	json_t *o = json_object(), *list = json_array();

	json_object_set_new(o, "status",
	                    json_string(r->ntamper > 0    ? "tampered"
	                                : r->nwarning > 0 ? "warnings"
	                                                  : "verified"));
	json_object_set_new(o, "size", json_integer((json_int_t)r->size));
	json_object_set_new(o, "checkpoints",
	                    json_integer((json_int_t)r->checkpoints));
	json_object_set_new(o, "payloads",
	                    json_integer((json_int_t)r->payloads));
	json_object_set_new(o, "redacted",
	                    json_integer((json_int_t)r->redacted));
	json_object_set_new(o, "omitted", json_integer((json_int_t)r->omitted));
	json_object_set_new(o, "anchored_size",
	                    json_integer((json_int_t)r->anchored_size));
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct tlog_finding *f = &r->findings[i];
		json_t *e = json_object();

		json_object_set_new(e, "severity",
		                    json_string(severity_name(f->severity)));
		json_object_set_new(e, "code", json_string(f->code));
		json_object_set_new(e, "index",
		                    f->has_index
		                            ? json_integer((json_int_t)f->index)
		                            : json_null());
		json_object_set_new(e, "message", json_text(f->message));
		json_array_append_new(list, e);
	}
	json_object_set_new(o, "findings", list);
	return o;
}
