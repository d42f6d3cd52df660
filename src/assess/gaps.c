/*
 * Gap analysis and readiness scores (docs/gaps.md). attest_assess_compute()
 * only reads its input; attest_assess() is the one place that fetches that
 * input from a workspace.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "attest/assess.h"
#include "attest/error.h"
#include "attest/workspace.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/date.h"

/* An exclusion warns this many days before it expires. */
#define EXPIRY_WARNING_DAYS 30

static const char *const gap_kind_names[] = {
        "criterion-uncovered", "evidence-failing",  "exclusion-expired",
        "control-not-started", "evidence-missing",  "control-in-progress",
        "evidence-stale",      "exclusion-expiring"};

static const char *const evidence_state_names[] = {"none", "current", "stale",
                                                   "failing"};

const char *
attest_gap_kind_name(enum attest_gap_kind k)
{
	return k < ATTEST_GAP_KIND_COUNT ? gap_kind_names[k] : "?";
}

const char *
attest_evidence_state_name(enum attest_evidence_state s)
{
	return s <= ATTEST_EV_FAILING ? evidence_state_names[s] : "?";
}

void
attest_assessment_free(struct attest_assessment *a)
{
	if (a == NULL)
		return;
	attest_arena_free(a->arena);
	free(a->arena);
	if (a->inputs)
		attest_arena_free(a->inputs);
	free(a->inputs);
	free(a);
}

const struct attest_control_view *
attest_assessment_control(const struct attest_assessment *a, const char *id)
{
	size_t lo = 0, hi = a->ncontrols;

	/* catalog controls are sorted by id */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(a->controls[mid].control->id, id);
		if (c == 0)
			return &a->controls[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct attest_exclusion *
active_exclusion(const struct attest_scope *scope, const char *target,
                 int64_t as_of)
{
	for (size_t i = 0; i < scope->nexclusions; i++)
		if (!strcmp(scope->exclusions[i].target, target) &&
		    scope->exclusions[i].expires > as_of)
			return &scope->exclusions[i];
	return NULL;
}

static const char *
na_reason(const struct attest_scope *scope, const char *criterion)
{
	for (size_t i = 0; i < scope->nnot_applicable; i++)
		if (!strcmp(scope->not_applicable[i].criterion, criterion))
			return scope->not_applicable[i].reason;
	return NULL;
}

static int
cmp_state(const void *a, const void *b)
{
	const struct attest_control_state *x = a, *y = b;
	return strcmp(x->control, y->control);
}

/* Credit of a counted control toward its criteria's score. */
static double
credit(const struct attest_control_view *v)
{
	if (!strcmp(v->status, "implemented")) {
		switch (v->evidence) {
		case ATTEST_EV_CURRENT:
			return 1.0;
		case ATTEST_EV_FAILING:
			return 0.25;
		default:
			return 0.5;
		}
	}
	if (!strcmp(v->status, "in-progress"))
		return 0.25;
	return 0.0;
}

/* Counts toward scores and gaps: in scope, applicable, not excluded. */
static bool
counted(const struct attest_control_view *v)
{
	return v->in_scope && strcmp(v->status, "not-applicable") != 0 &&
	       v->exclusion == NULL;
}

static bool
criterion_counted(const struct attest_criterion_view *cv)
{
	return cv->in_scope && !cv->na_reason && !cv->exclusion;
}

struct gap_list {
	struct attest_gap *items;
	size_t n, cap;
};

static struct attest_gap *
add_gap(struct gap_list *g, enum attest_gap_kind kind)
{
	struct attest_gap *gap;

	xgrow(&g->items, &g->cap, g->n + 1, sizeof(*g->items));
	gap = &g->items[g->n++];
	memset(gap, 0, sizeof(*gap));
	gap->kind = kind;
	return gap;
}

static int
cmp_gap(const void *a, const void *b)
{
	const struct attest_gap *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->leverage != y->leverage)
		return x->leverage > y->leverage ? -1 : 1;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return 0;
}

static const char *fmt(struct attest_arena *a, const char *f, ...)
        __attribute__((format(printf, 2, 3)));

static const char *
fmt(struct attest_arena *a, const char *f, ...)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	const char *s;
	va_list ap;

	va_start(ap, f);
	attest_buf_vprintf(&b, f, ap);
	va_end(ap);
	s = attest_arena_strdup(a, attest_buf_cstr(&b));
	attest_buf_free(&b);
	return s;
}

/* The control's counted criteria, and the categories they belong to. */
static void
control_criteria(struct attest_assessment *as,
                 const struct attest_control_view *v, struct attest_gap *g)
{
	const struct attest_control *c = v->control;

	g->criteria = attest_arena_calloc(as->arena, c->ncriteria + 1,
	                                  sizeof(*g->criteria));
	for (size_t j = 0; j < c->ncriteria; j++) {
		const struct attest_criterion *cr = c->criteria[j];
		size_t idx = (size_t)(cr - as->criteria[0].criterion);
		if (!criterion_counted(&as->criteria[idx]))
			continue;
		g->criteria[g->ncriteria++] = cr->id;
		g->categories |= 1u << cr->category;
	}
	g->leverage = g->ncriteria;
}

static void
control_gaps(struct attest_assessment *as, struct gap_list *gl, size_t i)
{
	const struct attest_control_view *v = &as->controls[i];
	const struct attest_control *c = v->control;
	char day[11];
	struct attest_gap *g;

	if (!counted(v) || v->leverage == 0)
		return;
	if (!strcmp(v->status, "not-started")) {
		g = add_gap(gl, ATTEST_GAP_CONTROL_NOT_STARTED);
		g->detail = fmt(as->arena, "%s is not started (%s)", c->id,
		                c->title);
	} else if (!strcmp(v->status, "in-progress")) {
		g = add_gap(gl, ATTEST_GAP_CONTROL_IN_PROGRESS);
		g->detail = fmt(as->arena, "%s is in progress (%s)", c->id,
		                c->title);
	} else if (v->evidence == ATTEST_EV_NONE) {
		g = add_gap(gl, ATTEST_GAP_EVIDENCE_MISSING);
		g->detail =
		        fmt(as->arena,
		            "%s is implemented but has no evidence "
		            "(expected: %s)",
		            c->id, c->nevidence ? c->evidence[0] : "a record");
	} else if (v->evidence == ATTEST_EV_FAILING) {
		g = add_gap(gl, ATTEST_GAP_EVIDENCE_FAILING);
		g->since = v->summary.latest;
		g->detail = fmt(as->arena,
		                "%s: %lld of %lld subjects fail in current "
		                "evidence",
		                c->id, (long long)v->summary.failing,
		                (long long)v->summary.subjects);
	} else if (v->evidence == ATTEST_EV_STALE) {
		g = add_gap(gl, ATTEST_GAP_EVIDENCE_STALE);
		g->since = v->summary.latest;
		attest_date_format(day, v->summary.latest);
		g->detail = fmt(as->arena,
		                "%s: newest evidence is from %s, older than "
		                "its %s frequency allows (%d days)",
		                c->id, day, attest_frequency_name(v->frequency),
		                attest_frequency_max_age_days(v->frequency));
	} else {
		return;
	}
	g->control = c->id;
	g->order = as->ncriteria + i;
	control_criteria(as, v, g);
}

static void
criterion_gaps(struct attest_assessment *as, struct gap_list *gl, size_t i)
{
	const struct attest_criterion_view *cv = &as->criteria[i];
	const struct attest_criterion *cr = cv->criterion;
	struct attest_gap *g;

	if (!criterion_counted(cv) || cv->implemented > 0)
		return;
	g = add_gap(gl, ATTEST_GAP_CRITERION_UNCOVERED);
	g->criterion = cr->id;
	g->categories = 1u << cr->category;
	g->criteria = attest_arena_calloc(as->arena, 2, sizeof(*g->criteria));
	g->criteria[0] = cr->id;
	g->ncriteria = 1;
	g->order = i;
	g->detail = fmt(as->arena,
	                "%s (%s) has no implemented control; %zu candidate "
	                "control%s",
	                cr->id, cr->title, cv->controls,
	                cv->controls == 1 ? "" : "s");
}

static void
exclusion_gaps(struct attest_assessment *as, struct gap_list *gl,
               const struct attest_catalog *cat,
               const struct attest_scope *scope)
{
	for (size_t i = 0; i < scope->nexclusions; i++) {
		const struct attest_exclusion *e = &scope->exclusions[i];
		const struct attest_criterion *cr;
		const struct attest_control *c;
		struct attest_gap *g;
		char day[11];

		if (e->expires > as->as_of + EXPIRY_WARNING_DAYS * ATTEST_DAY)
			continue;
		g = add_gap(gl, e->expires <= as->as_of
		                        ? ATTEST_GAP_EXCLUSION_EXPIRED
		                        : ATTEST_GAP_EXCLUSION_EXPIRING);
		attest_date_format(day, e->expires);
		g->exclusion_target = e->target;
		g->exclusion_id = e->id;
		g->since = e->expires;
		g->order = as->ncriteria + as->ncontrols + i;
		g->detail = fmt(
		        as->arena, "exclusion of %s %s %s (owner %s: %s)",
		        e->target,
		        e->expires <= as->as_of ? "expired on" : "expires on",
		        day, e->owner, e->reason);
		if ((cr = attest_catalog_criterion(cat, e->target)) != NULL) {
			g->criterion = cr->id;
			g->categories = 1u << cr->category;
		} else if ((c = attest_catalog_control(cat, e->target))) {
			size_t idx = (size_t)(c - cat->controls);
			g->control = c->id;
			control_criteria(as, &as->controls[idx], g);
		}
		if (g->categories == 0) /* a system, or nothing in scope */
			g->categories = as->categories;
	}
}

int
attest_assess_compute(const struct attest_assess_input *in,
                      struct attest_assessment **out)
{
	const struct attest_catalog *cat = in->catalog;
	const struct attest_scope *scope = in->scope;
	struct attest_control_state *states;
	struct attest_assessment *as;
	struct gap_list gl = {0};

	as = xcalloc(1, sizeof(*as));
	as->arena = xcalloc(1, sizeof(*as->arena));
	as->as_of = in->as_of;
	as->organization = attest_arena_strdup(as->arena, in->organization);
	as->categories = scope->categories | 1u; /* security always */
	as->ncriteria = cat->ncriteria;
	as->criteria = attest_arena_calloc(as->arena, cat->ncriteria + 1,
	                                   sizeof(*as->criteria));
	as->ncontrols = cat->ncontrols;
	as->controls = attest_arena_calloc(as->arena, cat->ncontrols + 1,
	                                   sizeof(*as->controls));
	states = attest_arena_calloc(as->arena, in->nstates + 1,
	                             sizeof(*states));
	if (in->nstates)
		memcpy(states, in->states, in->nstates * sizeof(*states));
	qsort(states, in->nstates, sizeof(*states), cmp_state);

	for (size_t i = 0; i < cat->ncriteria; i++) {
		struct attest_criterion_view *cv = &as->criteria[i];
		cv->criterion = &cat->criteria[i];
		cv->in_scope = as->categories & (1u << cv->criterion->category);
		cv->na_reason = na_reason(scope, cv->criterion->id);
		cv->exclusion =
		        active_exclusion(scope, cv->criterion->id, in->as_of);
	}

	for (size_t i = 0; i < cat->ncontrols; i++) {
		struct attest_control_view *v = &as->controls[i];
		const struct attest_control *c = &cat->controls[i];
		struct attest_control_state key = {.control = c->id}, *st;
		int64_t window;

		v->control = c;
		v->status = "not-started";
		v->owner = c->owner;
		v->statement = c->statement;
		v->frequency = c->frequency;
		st = bsearch(&key, states, in->nstates, sizeof(*states),
		             cmp_state);
		if (st) {
			v->status = st->status;
			v->owner = st->owner ? st->owner : c->owner;
			v->note = st->note;
			v->reason = st->reason;
			if (st->statement)
				v->statement = st->statement;
			if (st->frequency)
				attest_frequency_parse(&v->frequency,
				                       st->frequency);
		}
		for (size_t j = 0; j < c->ncriteria; j++) {
			size_t idx = (size_t)(c->criteria[j] - cat->criteria);
			if (criterion_counted(&as->criteria[idx]))
				v->leverage++;
			if (as->criteria[idx].in_scope)
				v->in_scope = true;
		}
		v->exclusion = active_exclusion(scope, c->id, in->as_of);
		if (in->summaries)
			v->summary = in->summaries[i];
		window = (int64_t)attest_frequency_max_age_days(v->frequency) *
		         ATTEST_DAY;
		if (!v->summary.has)
			v->evidence = ATTEST_EV_NONE;
		else if (v->summary.latest <= in->as_of - window)
			v->evidence = ATTEST_EV_STALE;
		else if (v->summary.failing > 0)
			v->evidence = ATTEST_EV_FAILING;
		else
			v->evidence = ATTEST_EV_CURRENT;
		v->credit = credit(v);
	}

	/* Criterion scores: the mean credit of its counted controls. */
	for (size_t i = 0; i < cat->ncriteria; i++) {
		struct attest_criterion_view *cv = &as->criteria[i];
		const struct attest_criterion *cr = cv->criterion;
		double sum = 0;

		for (size_t j = 0; j < cr->ncontrols; j++) {
			size_t idx = (size_t)(cr->controls[j] - cat->controls);
			const struct attest_control_view *v =
			        &as->controls[idx];
			if (!counted(v))
				continue;
			cv->controls++;
			sum += v->credit;
			if (!strcmp(v->status, "implemented")) {
				cv->implemented++;
				cv->effective +=
				        v->evidence == ATTEST_EV_CURRENT;
			}
		}
		cv->score = cv->controls ? sum / (double)cv->controls : 0.0;
	}

	for (size_t i = 0; i < cat->ncriteria; i++)
		criterion_gaps(as, &gl, i);
	for (size_t i = 0; i < cat->ncontrols; i++)
		control_gaps(as, &gl, i);
	exclusion_gaps(as, &gl, cat, scope);
	if (gl.n)
		qsort(gl.items, gl.n, sizeof(*gl.items), cmp_gap);
	as->gaps = attest_arena_calloc(as->arena, gl.n + 1, sizeof(*as->gaps));
	if (gl.n)
		memcpy(as->gaps, gl.items, gl.n * sizeof(*gl.items));
	as->ngaps = gl.n;
	free(gl.items);

	/* Category scores: 100 x the mean score of its counted criteria. */
	for (int k = 0; k < ATTEST_CATEGORY_COUNT; k++) {
		struct attest_category_score *sc = &as->scores[k];
		double sum = 0;

		sc->in_scope = as->categories & (1u << k);
		for (size_t i = 0; i < as->ncriteria; i++) {
			const struct attest_criterion_view *cv =
			        &as->criteria[i];
			if ((int)cv->criterion->category != k)
				continue;
			sc->criteria++;
			if (!criterion_counted(cv))
				continue;
			sc->applicable++;
			sc->covered += cv->implemented > 0;
			sum += cv->score;
		}
		sc->score =
		        sc->applicable
		                ? round(1000.0 * sum / (double)sc->applicable) /
		                          10.0
		                : 0.0;
		for (size_t g = 0; g < as->ngaps; g++)
			sc->gaps += (as->gaps[g].categories >> k) & 1u;
	}
	*out = as;
	return 0;
}

int
attest_assess(struct attest_workspace *ws, int64_t as_of,
              struct attest_assessment **out)
{
	struct attest_store *st = attest_workspace_store(ws);
	/* The assessment points into its inputs, so it keeps this arena. */
	struct attest_arena *arena = xcalloc(1, sizeof(*arena));
	struct attest_evidence_summary *sums = NULL;
	struct attest_control_state *states;
	const struct attest_catalog *cat;
	struct attest_assess_input in = {0};
	struct attest_scope scope;
	const char *org;
	size_t nstates;
	int rc;

	if ((rc = attest_workspace_catalog(ws, &cat)) < 0 ||
	    (rc = st->ops->scope_load(st, arena, &scope)) < 0 ||
	    (rc = st->ops->states_load(st, arena, &states, &nstates)) < 0 ||
	    (rc = st->ops->meta_get(st, arena, "organization", &org)) < 0)
		goto done;
	sums = xcalloc(cat->ncontrols + 1, sizeof(*sums));
	for (size_t i = 0; i < cat->ncontrols; i++) {
		const struct attest_control *c = &cat->controls[i];
		enum attest_frequency f = c->frequency;
		struct attest_control_state key = {.control = c->id};

		/* A tailored frequency changes the window to look in. */
		for (size_t j = 0; j < nstates; j++)
			if (!cmp_state(&key, &states[j]) && states[j].frequency)
				attest_frequency_parse(&f, states[j].frequency);
		if ((rc = st->ops->evidence_summary(
		             st, c->id, as_of,
		             as_of - (int64_t)attest_frequency_max_age_days(f) *
		                             ATTEST_DAY,
		             &sums[i])) < 0)
			goto done;
	}
	in.catalog = cat;
	in.scope = &scope;
	in.states = states;
	in.nstates = nstates;
	in.summaries = sums;
	in.as_of = as_of;
	in.organization = org ? org : "";
	if ((rc = attest_assess_compute(&in, out)) == 0) {
		(*out)->inputs = arena;
		arena = NULL;
	}
done:
	free(sums);
	if (arena)
		attest_arena_free(arena);
	free(arena);
	return rc;
}
