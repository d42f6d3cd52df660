/*
 * bench_genworkspace: builds a large, realistic workspace for the benchmark
 * of `attest gaps` (bench/README.md, bench/run.sh).
 *
 *   bench_genworkspace DIR [--controls N] [--evidence M] [--as-of DATE]
 *
 * The workspace covers security, availability and confidentiality. The
 * built-in catalog is topped up to N controls with workspace controls
 * (BENCH-001, ...), about three quarters of them are implemented, and M
 * evidence records are spread over the twelve months before DATE: most of
 * the volume comes from automated daily and continuous checks run on 50
 * hosts, far less from manual controls; a few percent fail. Records go in
 * day by day, every control interleaved, as a real workspace would fill,
 * through attest_evidence_append() in one transaction per 50,000 records.
 * The output depends only on the arguments (fixed-seed splitmix64).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attest/error.h"
#include "attest/evidence.h"
#include "attest/workspace.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/rng.h"

#define SEED      0xbe4c5eed2026ULL
#define BATCH     50000
#define DAYS      365
#define NHOSTS    50
#define NSYSTEMS  8
#define MAX_CRIT  3
#define FAIL_RATE 3 /* percent of automated and hybrid checks */

static const char *const people[] = {
        "maria.lopez", "sam.okafor",   "priya.nair",  "jon.berg",
        "aiko.tanaka", "lena.fischer", "omar.haddad", "grace.kim"};

static const char *const roles[] = {"security-lead", "it-lead",
                                    "engineering-lead", "compliance-lead",
                                    "people-lead"};

/* One control's evidence stream over the year. */
struct stream {
	const struct attest_control *control;
	enum attest_frequency freq;
	int automated, hybrid;
	unsigned subjects; /* 0: no subject (manual records) */
	unsigned per_day;  /* runs a day of a volume stream */
	int volume;        /* an automated/hybrid daily or continuous check */
	int failing;       /* one subject's newest check fails */
	int start, stop;   /* day indexes, inclusive */
	int window_from;   /* first day of the current-evidence window */
	uint64_t weight;   /* natural records per year */
	uint64_t quota;    /* records to write */
	uint64_t phase;    /* spreads the records over [start, stop] */
	uint64_t written;
};

struct options {
	const char *dir;
	long controls, evidence;
	int64_t as_of; /* midnight UTC of the last day */
};

static void
usage(void)
{
	fprintf(stderr, "usage: bench_genworkspace DIR [--controls N] "
	                "[--evidence M] [--as-of YYYY-MM-DD]\n");
}

static int
parse_long(long *out, const char *opt, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "bench_genworkspace: %s: bad number '%s'\n",
		        opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_args(struct options *o, int argc, char **argv)
{
	o->dir = NULL;
	o->controls = 500;
	o->evidence = 1000000;
	if (attest_date_parse(&o->as_of, "2026-01-31") < 0)
		return -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage();
			exit(0);
		} else if (!strcmp(a, "--controls") && i + 1 < argc) {
			if (parse_long(&o->controls, a, argv[++i]) < 0)
				return -1;
		} else if (!strcmp(a, "--evidence") && i + 1 < argc) {
			if (parse_long(&o->evidence, a, argv[++i]) < 0)
				return -1;
		} else if (!strcmp(a, "--as-of") && i + 1 < argc) {
			if (attest_date_parse(&o->as_of, argv[++i]) < 0) {
				fprintf(stderr,
				        "bench_genworkspace: --as-of: "
				        "%s\n",
				        attest_error_last());
				return -1;
			}
			o->as_of = attest_day_floor(o->as_of);
		} else if (a[0] != '-' && !o->dir) {
			o->dir = a;
		} else {
			usage();
			return -1;
		}
	}
	if (!o->dir) {
		usage();
		return -1;
	}
	return 0;
}

static int
in_scope(const struct attest_criterion *cr, unsigned categories)
{
	return (categories >> cr->category) & 1u;
}

/* A frequency for a workspace control, weighted as a real programme is. */
static const char *
custom_frequency(uint64_t *rng)
{
	unsigned r = attest_rng_pick(rng, 100);

	if (r < 5)
		return "continuous";
	if (r < 15)
		return "daily";
	if (r < 28)
		return "weekly";
	if (r < 56)
		return "monthly";
	if (r < 70)
		return "quarterly";
	if (r < 84)
		return "annual";
	return "per-event";
}

static const char *
custom_automation(const char *freq, uint64_t *rng)
{
	unsigned r = attest_rng_pick(rng, 100);

	if (!strcmp(freq, "continuous") || !strcmp(freq, "daily"))
		return r < 70 ? "automated" : r < 90 ? "hybrid" : "manual";
	return r < 10 ? "automated" : r < 40 ? "hybrid" : "manual";
}

/* Adds workspace controls until the catalog holds want controls. */
static int
add_controls(struct attest_workspace *ws, long want, unsigned categories,
             uint64_t *rng)
{
	static const char *const kinds[] = {"technical", "administrative",
	                                    "procedural", "physical"};
	static const char *const functions[] = {"preventive", "detective",
	                                        "corrective"};
	static const char *const evidence[] = {"Check result or export"};
	struct attest_store *st = attest_workspace_store(ws);
	const struct attest_catalog *cat;
	const struct attest_criterion **pool;
	size_t npool = 0;
	long have;
	int rc;

	if ((rc = attest_workspace_catalog(ws, &cat)) < 0)
		return rc;
	have = (long)cat->ncontrols;
	if (want <= have) {
		if (want < have)
			fprintf(stderr,
			        "bench_genworkspace: the built-in catalog "
			        "already has %ld controls\n",
			        have);
		return 0;
	}
	pool = xcalloc(cat->ncriteria + 1, sizeof(*pool));
	for (size_t i = 0; i < cat->ncriteria; i++)
		if (in_scope(&cat->criteria[i], categories))
			pool[npool++] = &cat->criteria[i];
	if ((rc = attest_workspace_begin(ws)) < 0)
		goto out;
	for (long n = 1; n <= want - have && rc == 0; n++) {
		char id[32], title[96], statement[192];
		const char *crit[MAX_CRIT];
		size_t ncrit = 1 + attest_rng_pick(rng, MAX_CRIT);
		const char *freq = custom_frequency(rng);
		struct attest_control_def d = {
		        .id = id,
		        .title = title,
		        .statement = statement,
		        .kind = kinds[attest_rng_pick(rng, 4)],
		        .function = functions[attest_rng_pick(rng, 3)],
		        .frequency = freq,
		        .owner = roles[attest_rng_pick(rng, 5)],
		        .automation = custom_automation(freq, rng),
		        .evidence = evidence,
		        .nevidence = 1,
		        .criteria = crit,
		};

		for (size_t k = 0; k < ncrit; k++) {
			const char *c =
			        pool[attest_rng_pick(rng, (unsigned)npool)]->id;
			int dup = 0;
			for (size_t j = 0; j < d.ncriteria; j++)
				dup |= !strcmp(crit[j], c);
			if (!dup)
				crit[d.ncriteria++] = c;
		}
		snprintf(id, sizeof(id), "BENCH-%03ld", n);
		snprintf(title, sizeof(title), "Benchmark control %ld (%s)", n,
		         freq);
		snprintf(statement, sizeof(statement),
		         "The organisation operates benchmark control %ld "
		         "%s and keeps its records.",
		         n, freq);
		rc = st->ops->custom_control_put(st, &d);
	}
	if (rc == 0)
		rc = attest_workspace_commit(ws);
out:
	free(pool);
	return rc;
}

/* Natural records per year of one run on one subject. */
static uint64_t
runs_per_year(enum attest_frequency f, uint64_t *rng)
{
	switch (f) {
	case ATTEST_FREQ_CONTINUOUS:
		return 4 * DAYS; /* every six hours */
	case ATTEST_FREQ_DAILY:
		return DAYS;
	case ATTEST_FREQ_WEEKLY:
		return 52;
	case ATTEST_FREQ_MONTHLY:
		return 12;
	case ATTEST_FREQ_QUARTERLY:
		return 4;
	case ATTEST_FREQ_SEMIANNUAL:
		return 2;
	case ATTEST_FREQ_ANNUAL:
		return 1;
	default:
		return 10 + attest_rng_pick(rng, 30); /* per event */
	}
}

/*
 * Sets every control's status and plans its evidence stream. Implemented
 * controls mostly have current evidence; some went quiet (stale) or kept
 * none; in-progress ones have a few recent records.
 */
static int
plan(struct attest_workspace *ws, const struct attest_catalog *cat,
     int64_t as_of, uint64_t *rng, struct stream *streams, size_t *nstreams)
{
	struct attest_store *st = attest_workspace_store(ws);
	int rc;

	*nstreams = 0;
	if ((rc = attest_workspace_begin(ws)) < 0)
		return rc;
	for (size_t i = 0; i < cat->ncontrols && rc == 0; i++) {
		const struct attest_control *c = &cat->controls[i];
		struct attest_control_state s = {.control = c->id};
		struct stream *x = &streams[*nstreams];
		unsigned r = attest_rng_pick(rng, 100),
		         fate = attest_rng_pick(rng, 100);
		int max_age = attest_frequency_max_age_days(c->frequency);

		s.owner = people[attest_rng_pick(rng, 8)];
		s.updated_at =
		        as_of - (int64_t)attest_rng_pick(rng, 300) * ATTEST_DAY;
		if (r < 75) {
			s.status = "implemented";
		} else if (r < 85) {
			s.status = "in-progress";
			s.note =
			        "Rolling out; tracked in the security roadmap.";
		} else if (r < 94) {
			s.status = "not-started";
		} else {
			s.status = "not-applicable";
			s.reason = "Covered by the carved-out cloud provider.";
		}
		if ((rc = st->ops->state_put(st, &s)) < 0)
			break;
		if (r >= 85 || (r < 75 && fate < 4))
			continue; /* no evidence kept */
		memset(x, 0, sizeof(*x));
		x->control = c;
		x->freq = c->frequency;
		x->automated = !strcmp(c->automation, "automated");
		x->hybrid = !strcmp(c->automation, "hybrid");
		x->subjects = x->automated ? NHOSTS : x->hybrid ? NSYSTEMS : 0;
		x->volume = (x->automated || x->hybrid) &&
		            (x->freq == ATTEST_FREQ_CONTINUOUS ||
		             x->freq == ATTEST_FREQ_DAILY);
		x->per_day = x->freq == ATTEST_FREQ_CONTINUOUS ? 4 : 1;
		x->weight = runs_per_year(x->freq, rng) *
		            (x->subjects ? x->subjects : 1);
		x->start = 0;
		x->stop = DAYS - 1;
		x->window_from = DAYS - 1 - max_age;
		if (r >= 75) { /* in progress: started in the last quarter */
			x->start = DAYS - 60 - (int)attest_rng_pick(rng, 30);
			x->weight =
			        x->weight * (uint64_t)(DAYS - x->start) / DAYS +
			        1;
		} else if (fate < 10 && max_age < 200) { /* went quiet */
			x->stop = DAYS - 1 - max_age - 5 -
			          (int)attest_rng_pick(rng, 40);
			if (x->stop < 30)
				continue;
			x->weight =
			        x->weight * (uint64_t)(x->stop + 1) / DAYS + 1;
		} else if (fate >= 88 && x->subjects) {
			x->failing = 1;
		}
		x->phase = attest_rng_next(rng) %
		           (uint64_t)(x->stop - x->start + 1);
		(*nstreams)++;
	}
	if (rc == 0)
		rc = attest_workspace_commit(ws);
	return rc;
}

/*
 * Shares total records among the streams: manual and low-frequency
 * controls keep their natural count, the automated daily and continuous
 * checks absorb the rest in proportion to their natural volume. The sum
 * is exactly total.
 */
static void
allot(struct stream *streams, size_t n, uint64_t total)
{
	uint64_t fixed = 0, vol = 0, all = 0, given = 0;
	size_t biggest = 0;
	int scale_all;

	for (size_t i = 0; i < n; i++) {
		all += streams[i].weight;
		if (streams[i].volume)
			vol += streams[i].weight;
		else
			fixed += streams[i].weight;
	}
	/* Too few records for the natural low-frequency counts (or no
	 * volume streams): scale every stream alike. */
	scale_all = vol == 0 || fixed > total / 2;
	for (size_t i = 0; i < n; i++) {
		struct stream *x = &streams[i];
		if (scale_all)
			x->quota = all ? (uint64_t)((double)total *
			                            (double)x->weight /
			                            (double)all)
			               : 0;
		else if (x->volume)
			x->quota = (uint64_t)((double)(total - fixed) *
			                      (double)x->weight / (double)vol);
		else
			x->quota = x->weight;
		given += x->quota;
		if (x->quota > streams[biggest].quota)
			biggest = i;
	}
	if (n == 0)
		return;
	if (given < total)
		streams[biggest].quota += total - given;
	else
		streams[biggest].quota -= given - total;
	/*
	 * A volume check keeps its cadence (every subject once a day, or
	 * four times for continuous ones): its quota sets how many hosts it
	 * covers, up to the fleet.
	 */
	for (size_t i = 0; i < n; i++) {
		struct stream *x = &streams[i];
		uint64_t runs = (uint64_t)(x->stop - x->start + 1) * x->per_day;
		uint64_t s = (x->quota + runs / 2) / runs;
		uint64_t cap = x->automated ? NHOSTS : NSYSTEMS;
		if (!x->volume)
			continue;
		x->subjects = (unsigned)(s < 1 ? 1 : s > cap ? cap : s);
	}
}

/* Records of stream x on day d: an even spread of quota over its days. */
static uint64_t
due(const struct stream *x, int d)
{
	uint64_t len = (uint64_t)(x->stop - x->start + 1), k;

	if (d < x->start || d > x->stop)
		return 0;
	k = (uint64_t)(d - x->start);
	return ((k + 1) * x->quota + x->phase) / len -
	       (k * x->quota + x->phase) / len;
}

struct writer {
	struct attest_workspace *ws;
	uint64_t done, total;
	int in_tx;
	struct timespec t0;
};

static double
elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int
put(struct writer *w, const struct attest_evidence *ev)
{
	int64_t id;
	int rc;

	if (!w->in_tx) {
		if ((rc = attest_workspace_begin(w->ws)) < 0)
			return rc;
		w->in_tx = 1;
	}
	if ((rc = attest_evidence_append(w->ws, ev, NULL, 0, &id)) < 0)
		return rc;
	if (++w->done % BATCH == 0 || w->done == w->total) {
		double s;
		if ((rc = attest_workspace_commit(w->ws)) < 0)
			return rc;
		w->in_tx = 0;
		s = elapsed(&w->t0);
		fprintf(stderr,
		        "\revidence: %llu/%llu (%3.0f%%) %.1f s, %.0f "
		        "records/s",
		        (unsigned long long)w->done,
		        (unsigned long long)w->total,
		        100.0 * (double)w->done / (double)w->total, s,
		        (double)w->done / (s > 0 ? s : 1));
	}
	return 0;
}

/* Writes the records stream x owes on day d (midnight UTC). */
static int
emit_day(struct writer *w, struct stream *x, int d, int64_t day, uint64_t *rng)
{
	uint64_t n = due(x, d);
	const char *ctl[] = {x->control->id};
	int last_day = d == x->stop;

	for (uint64_t j = 0; j < n; j++) {
		char subject[16], payload[160];
		unsigned sub =
		        x->subjects ? (unsigned)(x->written % x->subjects) : 0;
		int64_t at = day + (int64_t)((j * ATTEST_DAY) / n) +
		             (int64_t)attest_rng_pick(rng, 600);
		const char *verdict = "manual";
		struct attest_evidence ev = {
		        .controls = ctl,
		        .ncontrols = 1,
		};
		int rc;

		if (at >= day + ATTEST_DAY) /* stay on the day */
			at = day + ATTEST_DAY - 1;
		ev.effective_at = at;
		ev.collected_at = at + (int64_t)attest_rng_pick(rng, 300);
		if (x->subjects) {
			/* A failing control's first subject fails on
			 * its last day; before the current window a few
			 * percent fail and are fixed by the next run;
			 * inside it the rest pass. */
			int fail = 0;
			if (x->failing && last_day && sub == 0)
				fail = 1;
			else if (d < x->window_from)
				fail = attest_rng_pick(rng, 100) < FAIL_RATE;
			verdict = fail ? "fail" : "pass";
			snprintf(subject, sizeof(subject), "%s-%03u",
			         x->automated ? "host" : "sys", sub + 1);
			snprintf(payload, sizeof(payload),
			         "{\"check\":\"%s\",\"target\":\"%s\","
			         "\"result\":\"%s\",\"findings\":%u}",
			         x->control->id, subject, verdict,
			         fail ? 1 + attest_rng_pick(rng, 5) : 0);
			ev.kind = "check";
			ev.source = x->automated ? "bench-scanner"
			                         : "bench-collector";
			ev.subject = subject;
			ev.payload = payload;
		} else {
			ev.kind = attest_rng_pick(rng, 4) ? "upload"
			                                  : "attestation";
			ev.source = people[attest_rng_pick(rng, 8)];
			ev.note = "Record uploaded by the control owner.";
		}
		ev.verdict = verdict;
		if ((rc = put(w, &ev)) < 0)
			return rc;
		x->written++;
	}
	return 0;
}

static int
generate(struct attest_workspace *ws, const struct options *o, uint64_t *rng)
{
	const struct attest_catalog *cat;
	struct stream *streams = NULL;
	struct writer w = {.ws = ws, .total = (uint64_t)o->evidence};
	size_t n;
	int rc;

	if ((rc = attest_workspace_catalog(ws, &cat)) < 0)
		return rc;
	if ((long)cat->ncontrols < o->controls)
		fprintf(stderr,
		        "bench_genworkspace: catalog has %zu controls\n",
		        cat->ncontrols);
	streams = xcalloc(cat->ncontrols + 1, sizeof(*streams));
	if ((rc = plan(ws, cat, o->as_of, rng, streams, &n)) < 0)
		goto out;
	allot(streams, n, w.total);
	clock_gettime(CLOCK_MONOTONIC, &w.t0);
	for (int d = 0; d < DAYS && rc == 0; d++) {
		int64_t day = o->as_of - (int64_t)(DAYS - 1 - d) * ATTEST_DAY;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = emit_day(&w, &streams[i], d, day, rng);
	}
	if (rc == 0 && w.in_tx)
		rc = attest_workspace_commit(ws);
	fprintf(stderr, "\n");
	if (rc == 0) {
		size_t vol = 0, hosts = 0, fail = 0;
		uint64_t volrec = 0;
		for (size_t i = 0; i < n; i++) {
			if (!streams[i].volume)
				continue;
			vol++;
			hosts += streams[i].subjects;
			volrec += streams[i].written;
			fail += streams[i].failing != 0;
		}
		fprintf(stderr,
		        "bench_genworkspace: %zu controls, %zu with evidence; "
		        "%zu automated/hybrid daily or continuous checks "
		        "(%.1f subjects on average, %zu failing now) wrote "
		        "%llu of the %llu records in %.1f s\n",
		        cat->ncontrols, n, vol,
		        vol ? (double)hosts / (double)vol : 0.0, fail,
		        (unsigned long long)volrec, (unsigned long long)w.done,
		        elapsed(&w.t0));
	}
out:
	free(streams);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned categories = (1u << ATTEST_SECURITY) |
	                      (1u << ATTEST_AVAILABILITY) |
	                      (1u << ATTEST_CONFIDENTIALITY);
	struct attest_workspace *ws = NULL;
	struct options o;
	uint64_t rng = SEED;
	int rc;

	if (parse_args(&o, argc, argv) < 0)
		return 2;
	if ((rc = attest_workspace_init(o.dir, "Benchmark Corp.", categories,
	                                o.as_of - 400 * (int64_t)ATTEST_DAY)) <
	            0 ||
	    (rc = attest_workspace_open(&ws, o.dir)) < 0 ||
	    (rc = add_controls(ws, o.controls, categories, &rng)) < 0)
		goto fail;
	/* Reopen so the catalog includes the workspace controls. */
	attest_workspace_close(ws);
	if ((rc = attest_workspace_open(&ws, o.dir)) < 0 ||
	    (rc = generate(ws, &o, &rng)) < 0)
		goto fail;
	attest_workspace_close(ws);
	return 0;
fail:
	fprintf(stderr, "bench_genworkspace: %s\n", attest_error_last());
	attest_workspace_close(ws);
	return 1;
}
