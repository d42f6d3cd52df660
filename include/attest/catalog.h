/*
 * The catalog: the Trust Services Criteria, their points of focus, the
 * control library and its crosswalks. It is data (the YAML files of content/),
 * compiled into the binary and extended by the workspace's own files and
 * controls.
 *
 * A loaded catalog is read-only and may be shared between threads. All
 * strings and arrays are owned by the catalog and valid until
 * attest_catalog_free().
 */
#ifndef ATTEST_CATALOG_H
#define ATTEST_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

enum attest_category {
	ATTEST_SECURITY,
	ATTEST_AVAILABILITY,
	ATTEST_CONFIDENTIALITY,
	ATTEST_PROCESSING_INTEGRITY,
	ATTEST_PRIVACY,
	ATTEST_CATEGORY_COUNT
};

/* "security", "availability", ..., "processing-integrity", "privacy". */
const char *attest_category_name(enum attest_category c);

/* Parses a category name; fails with ATTEST_EINVALID naming the text. */
int attest_category_parse(enum attest_category *out, const char *name);

enum attest_frequency {
	ATTEST_FREQ_CONTINUOUS,
	ATTEST_FREQ_DAILY,
	ATTEST_FREQ_WEEKLY,
	ATTEST_FREQ_MONTHLY,
	ATTEST_FREQ_QUARTERLY,
	ATTEST_FREQ_SEMIANNUAL,
	ATTEST_FREQ_ANNUAL,
	ATTEST_FREQ_PER_EVENT,
	ATTEST_FREQUENCY_COUNT
};

const char *attest_frequency_name(enum attest_frequency f);
int attest_frequency_parse(enum attest_frequency *out, const char *name);

/*
 * How old the newest evidence of a control of this frequency may be before
 * it is stale, in days (docs/gaps.md gives the table and the reasoning).
 */
int attest_frequency_max_age_days(enum attest_frequency f);

struct attest_control;

struct attest_point {
	const char *id;    /* "CC6.1.3" */
	const char *klass; /* coso|tsc|confidentiality|privacy|availability|
	                      system|goods */
	const char *title;
	const char *text;
	bool processor, controller; /* privacy series only */
	struct attest_criterion *criterion;
	const struct attest_control **controls; /* controls addressing it */
	size_t ncontrols;
};

struct attest_criterion {
	const char *id; /* "CC6.1" */
	enum attest_category category;
	const char *series; /* "CC6" */
	int coso_principle; /* 1..17, or 0 */
	const char *title;
	const char *description;
	struct attest_point *points;
	size_t npoints;
	const struct attest_control **controls; /* controls supporting it */
	size_t ncontrols;
};

struct attest_crosswalk {
	const char *framework; /* "iso27001-2022", "nist-csf-2.0" */
	const char *id;        /* "A.5.15", "PR.AA-05" */
	const char *rel;       /* equal|subset|superset|intersect */
};

struct attest_control {
	const char *id;
	const char *title;
	const char *statement;
	const char *kind;     /* administrative|technical|physical|procedural */
	const char *function; /* preventive|detective|corrective|compensating */
	enum attest_frequency frequency;
	const char *owner;      /* a role id */
	const char *automation; /* automated|manual|hybrid */
	const char **evidence;
	size_t nevidence;
	const struct attest_criterion **criteria;
	size_t ncriteria;
	const struct attest_point **points;
	size_t npoints;
	struct attest_crosswalk *crosswalk;
	size_t ncrosswalk;
	const char *origin; /* "content/controls/x.yaml", a workspace file, or
	                       "workspace" for controls added by command */
	bool custom;        /* not part of the built-in library */
};

struct attest_catalog {
	struct attest_criterion *criteria; /* in catalog order */
	size_t ncriteria;
	struct attest_control *controls; /* sorted by id */
	size_t ncontrols;
	size_t npoints;
	void *priv;
};

/* The fields of a control defined outside YAML (attest control add). */
struct attest_control_def {
	const char *id, *title, *statement, *kind, *function, *frequency,
	        *owner, *automation;
	const char *const *evidence;
	size_t nevidence;
	const char *const *criteria;
	size_t ncriteria;
};

/* Starts an empty catalog. Caller frees with attest_catalog_free(). */
struct attest_catalog *attest_catalog_new(void);

/* Loads the built-in content compiled into the binary. */
int attest_catalog_load_builtin(struct attest_catalog *cat);

/*
 * Loads one YAML document. name is used in messages ("file:line:col: ...").
 * A workspace file (builtin false) may only define controls. Errors:
 * ATTEST_EINVALID with the place and field that are wrong.
 */
int attest_catalog_load_yaml(struct attest_catalog *cat, const char *name,
                             const char *data, size_t len, bool builtin);

/* Loads every *.yaml under dir (sorted, recursively) as workspace files. */
int attest_catalog_load_dir(struct attest_catalog *cat, const char *dir);

/* Adds a control defined by command; origin names where it came from. */
int attest_catalog_add_control(struct attest_catalog *cat,
                               const struct attest_control_def *def,
                               const char *origin);

/*
 * Resolves every reference and builds the indexes. Must be called once after
 * loading and before any lookup. Fails on duplicate or dangling ids, naming
 * the file and line.
 */
int attest_catalog_finish(struct attest_catalog *cat);

/* Lookups by id (exact, case-sensitive); NULL when absent. */
const struct attest_criterion *
attest_catalog_criterion(const struct attest_catalog *cat, const char *id);
const struct attest_control *
attest_catalog_control(const struct attest_catalog *cat, const char *id);
const struct attest_point *
attest_catalog_point(const struct attest_catalog *cat, const char *id);

/*
 * Appends one line per coverage problem to *report (a struct attest_buf *):
 * a criterion no control supports, a point of focus no control addresses.
 * Returns the number of problems.
 */
struct attest_buf;
size_t attest_catalog_coverage(const struct attest_catalog *cat,
                               struct attest_buf *report);

void attest_catalog_free(struct attest_catalog *cat);

#endif
