/*
 * Assessment: gaps and readiness scores. attest_assess_compute() is pure: it
 * judges what it is given (catalog, scope, control states, evidence
 * summaries, a date) with no I/O, so the CLI, reports and web share one
 * answer. attest_assess() gathers those inputs from a workspace first.
 * docs/gaps.md documents the rules, the score formula and the ordering.
 */
#ifndef ATTEST_ASSESS_H
#define ATTEST_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest/catalog.h"
#include "attest/store.h"
struct attest_arena;

struct attest_workspace;

enum attest_evidence_state {
	ATTEST_EV_NONE,    /* no evidence at all */
	ATTEST_EV_CURRENT, /* newest record within the frequency's window */
	ATTEST_EV_STALE,   /* newest record older than the window allows */
	ATTEST_EV_FAILING, /* a current record's subject fails */
};

/* In order of severity: the first kinds are fixed first. */
enum attest_gap_kind {
	ATTEST_GAP_CRITERION_UNCOVERED,
	ATTEST_GAP_EVIDENCE_FAILING,
	ATTEST_GAP_EXCLUSION_EXPIRED,
	ATTEST_GAP_CONTROL_NOT_STARTED,
	ATTEST_GAP_EVIDENCE_MISSING,
	ATTEST_GAP_CONTROL_IN_PROGRESS,
	ATTEST_GAP_EVIDENCE_STALE,
	ATTEST_GAP_EXCLUSION_EXPIRING,
	ATTEST_GAP_KIND_COUNT
};

/* "criterion-uncovered", "evidence-failing", ... */
const char *attest_gap_kind_name(enum attest_gap_kind k);
const char *attest_evidence_state_name(enum attest_evidence_state s);

struct attest_assess_input {
	const struct attest_catalog *catalog;
	const struct attest_scope *scope;
	const struct attest_control_state *states; /* any order */
	size_t nstates;
	/* one per catalog control, same order; NULL: no evidence at all */
	const struct attest_evidence_summary *summaries;
	int64_t as_of;
	const char *organization;
};

struct attest_control_view {
	const struct attest_control *control;
	const char *status; /* not-started when never set */
	const char *owner;  /* the person set, else the catalog's role */
	const char *note, *reason;
	const char *statement;           /* tailored or catalog */
	enum attest_frequency frequency; /* tailored or catalog */
	bool in_scope; /* supports an in-scope, applicable criterion */
	const struct attest_exclusion *exclusion; /* active, if any */
	enum attest_evidence_state evidence;
	struct attest_evidence_summary summary;
	double credit;   /* 0..1, see docs/gaps.md */
	size_t leverage; /* in-scope applicable criteria it supports */
};

struct attest_criterion_view {
	const struct attest_criterion *criterion;
	bool in_scope;                            /* its category is in scope */
	const char *na_reason;                    /* declared not applicable */
	const struct attest_exclusion *exclusion; /* active, if any */
	size_t controls;                          /* counted controls */
	size_t implemented;                       /* of which implemented */
	size_t effective; /* of which with current passing evidence */
	double score;     /* 0..1 */
};

struct attest_gap {
	enum attest_gap_kind kind;
	unsigned categories;   /* bit per category it affects */
	const char *criterion; /* set for criterion gaps */
	const char *control;   /* set for control gaps */
	const char *exclusion_target;
	int64_t exclusion_id;
	const char **criteria; /* affected in-scope criteria */
	size_t ncriteria;
	int64_t since;   /* newest evidence, or exclusion expiry; 0: none */
	size_t leverage; /* in-scope criteria the fix helps */
	const char *detail;
	size_t order; /* catalog position, the last tie-breaker */
};

struct attest_category_score {
	bool in_scope;
	size_t criteria;   /* criteria of the category */
	size_t applicable; /* minus not applicable and excluded */
	size_t covered;    /* with at least one implemented control */
	double score;      /* 0..100, one decimal */
	size_t gaps;
};

struct attest_assessment {
	int64_t as_of;
	const char *organization;
	unsigned categories;
	struct attest_criterion_view *criteria; /* catalog order */
	size_t ncriteria;
	struct attest_control_view *controls; /* catalog order */
	size_t ncontrols;
	struct attest_gap *gaps; /* ranked: fix the first one first */
	size_t ngaps;
	struct attest_category_score scores[ATTEST_CATEGORY_COUNT];
	struct attest_arena *arena;  /* owns everything above */
	struct attest_arena *inputs; /* scope and states it points into, when
	                                attest_assess() loaded them */
};

/* Pure judgement. Caller frees with attest_assessment_free(). */
int attest_assess_compute(const struct attest_assess_input *in,
                          struct attest_assessment **out);

/* Gathers the inputs from ws as of as_of and computes. */
int attest_assess(struct attest_workspace *ws, int64_t as_of,
                  struct attest_assessment **out);

void attest_assessment_free(struct attest_assessment *a);

/* The view of one control by id, or NULL. Borrowed. */
const struct attest_control_view *
attest_assessment_control(const struct attest_assessment *a, const char *id);

#endif
