/*
 * Loads the catalog from YAML (built-in content and workspace files) and
 * controls added by command, then resolves every id into pointers and builds
 * the lookup indexes. It does not decide anything about a workspace: status,
 * evidence and scope live in the store and are judged by src/assess.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/catalog.h"
#include "attest/error.h"
#include "catalog/content.h"
#include "catalog/yaml_doc.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fs.h"

/* A control as read, before its references are resolved. */
struct pending_control {
	struct attest_control control;
	const char **criteria, **points;
	size_t ncriteria, npoints;
	const char *place; /* "file:line" for messages, or the origin */
};

struct framework {
	const char *id;
	struct {
		const char *prefix;
		long first, last;
	} ranges[8];
	size_t nranges;
	const char **ids;
	size_t nids;
};

struct priv {
	struct attest_arena arena;
	struct attest_criterion *criteria;
	size_t ncriteria, capcriteria;
	const char **criteria_where; /* "file:line" per criterion */
	size_t capwhere;
	struct pending_control *pending;
	size_t npending, cappending;
	struct framework frameworks[4];
	size_t nframeworks;
	const struct attest_criterion **crit_index; /* sorted by id */
	const struct attest_point **point_index;    /* sorted by id */
	bool finished;
};

static const char *const category_names[] = {"security", "availability",
                                             "confidentiality",
                                             "processing-integrity", "privacy"};

static const char *const frequency_names[] = {
        "continuous", "daily",       "weekly", "monthly",
        "quarterly",  "semi-annual", "annual", "per-event"};

/* Days a control's newest evidence stays current; see docs/gaps.md. */
static const int frequency_max_age[] = {3, 3, 10, 35, 100, 190, 380, 380};

static const char *const kinds[] = {"administrative", "technical", "physical",
                                    "procedural", NULL};
static const char *const functions[] = {"preventive", "detective", "corrective",
                                        "compensating", NULL};
static const char *const automations[] = {"automated", "manual", "hybrid",
                                          NULL};
static const char *const classes[] = {
        "coso",         "tsc",    "confidentiality", "privacy",
        "availability", "system", "goods",           NULL};
static const char *const rels[] = {"equal", "subset", "superset", "intersect",
                                   NULL};

const char *
attest_category_name(enum attest_category c)
{
	return c < ATTEST_CATEGORY_COUNT ? category_names[c] : "?";
}

/* Index of name in names[0..n), or -1. */
static int
lookup(const char *name, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

int
attest_category_parse(enum attest_category *out, const char *name)
{
	int i = lookup(name, category_names, ATTEST_CATEGORY_COUNT);

	if (i >= 0) {
		*out = (enum attest_category)i;
		return 0;
	}
	return attest_error_set(ATTEST_EINVALID,
	                        "unknown category '%s' (expected security, "
	                        "availability, confidentiality, "
	                        "processing-integrity or privacy)",
	                        name);
}

const char *
attest_frequency_name(enum attest_frequency f)
{
	return f < ATTEST_FREQUENCY_COUNT ? frequency_names[f] : "?";
}

int
attest_frequency_parse(enum attest_frequency *out, const char *name)
{
	int i = lookup(name, frequency_names, ATTEST_FREQUENCY_COUNT);

	if (i >= 0) {
		*out = (enum attest_frequency)i;
		return 0;
	}
	return attest_error_set(ATTEST_EINVALID,
	                        "unknown frequency '%s' (expected continuous, "
	                        "daily, weekly, monthly, quarterly, "
	                        "semi-annual, annual or per-event)",
	                        name);
}

int
attest_frequency_max_age_days(enum attest_frequency f)
{
	return f < ATTEST_FREQUENCY_COUNT ? frequency_max_age[f] : 380;
}

static bool
one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static struct priv *
P(const struct attest_catalog *cat)
{
	return cat->priv;
}

struct attest_catalog *
attest_catalog_new(void)
{
	struct attest_catalog *cat = xcalloc(1, sizeof(*cat));

	cat->priv = xcalloc(1, sizeof(struct priv));
	return cat;
}

void
attest_catalog_free(struct attest_catalog *cat)
{
	struct priv *p;

	if (cat == NULL)
		return;
	p = P(cat);
	free(p->criteria);
	free(p->criteria_where);
	free(p->pending);
	free(p->crit_index);
	free(p->point_index);
	free(cat->controls);
	attest_arena_free(&p->arena);
	free(p);
	free(cat);
}

/* ---- reading YAML ----------------------------------------------------- */

static const char *
where(struct attest_ydoc *d, yaml_node_t *n)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	const char *s;

	attest_buf_printf(&b, "%s:%d", d->name, attest_ydoc_line(n));
	s = attest_arena_strdup(d->arena, attest_buf_cstr(&b));
	attest_buf_free(&b);
	return s;
}

static int
enum_field(struct attest_ydoc *d, yaml_node_t *v, const char *what,
           const char *const *set, const char *expected, const char **out)
{
	int rc;

	if ((rc = attest_ydoc_str(d, v, what, out)) < 0)
		return rc;
	if (!one_of(*out, set))
		return attest_ydoc_error(d, v, "%s: '%s' is not one of %s",
		                         what, *out, expected);
	return 0;
}

static int
read_point(struct attest_ydoc *d, yaml_node_t *n, struct attest_point *pt,
           const char *crit_id)
{
	yaml_node_pair_t *pair;
	int rc;

	if ((rc = attest_ydoc_expect(d, n, YAML_MAPPING_NODE,
	                             "point of focus")) < 0)
		return rc;
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		const char *key = attest_ydoc_key(d, pair);
		yaml_node_t *v = attest_ydoc_node(d, pair->value);

		if (key == NULL)
			return attest_ydoc_error(d, v, "non-scalar key");
		if (!strcmp(key, "id"))
			rc = attest_ydoc_str(d, v, "point of focus id",
			                     &pt->id);
		else if (!strcmp(key, "class"))
			rc = enum_field(d, v, "class", classes,
			                "coso, tsc, confidentiality, privacy, "
			                "availability, system, goods",
			                &pt->klass);
		else if (!strcmp(key, "title"))
			rc = attest_ydoc_str(d, v, "title", &pt->title);
		else if (!strcmp(key, "text"))
			rc = attest_ydoc_str(d, v, "text", &pt->text);
		else if (!strcmp(key, "processor"))
			rc = attest_ydoc_bool(d, v, "processor",
			                      &pt->processor);
		else if (!strcmp(key, "controller"))
			rc = attest_ydoc_bool(d, v, "controller",
			                      &pt->controller);
		else
			rc = attest_ydoc_error(d, v,
			                       "point of focus of %s: unknown "
			                       "field '%s'",
			                       crit_id, key);
		if (rc < 0)
			return rc;
	}
	if (!pt->id || !pt->klass || !pt->title || !pt->text)
		return attest_ydoc_error(d, n,
		                         "point of focus of %s: needs id, "
		                         "class, title and text",
		                         crit_id);
	return 0;
}

static int
read_criterion(struct attest_ydoc *d, struct priv *p, yaml_node_t *n)
{
	struct attest_criterion c = {0};
	yaml_node_t *points = NULL;
	const char *category = NULL;
	yaml_node_pair_t *pair;
	long coso = 0;
	int rc;

	if ((rc = attest_ydoc_expect(d, n, YAML_MAPPING_NODE, "criterion")) < 0)
		return rc;
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		const char *key = attest_ydoc_key(d, pair);
		yaml_node_t *v = attest_ydoc_node(d, pair->value);

		rc = 0;
		if (key == NULL)
			return attest_ydoc_error(d, v, "non-scalar key");
		if (!strcmp(key, "id"))
			rc = attest_ydoc_str(d, v, "criterion id", &c.id);
		else if (!strcmp(key, "category"))
			rc = attest_ydoc_str(d, v, "category", &category);
		else if (!strcmp(key, "series"))
			rc = attest_ydoc_str(d, v, "series", &c.series);
		else if (!strcmp(key, "coso_principle"))
			rc = attest_ydoc_int(d, v, "coso_principle", 1, 17,
			                     &coso);
		else if (!strcmp(key, "title"))
			rc = attest_ydoc_str(d, v, "title", &c.title);
		else if (!strcmp(key, "description"))
			rc = attest_ydoc_str(d, v, "description",
			                     &c.description);
		else if (!strcmp(key, "points_of_focus"))
			points = v;
		else
			rc = attest_ydoc_error(d, v,
			                       "criterion: unknown field "
			                       "'%s'",
			                       key);
		if (rc < 0)
			return rc;
	}
	if (!c.id || !category || !c.series || !c.title || !c.description)
		return attest_ydoc_error(d, n,
		                         "criterion %s: needs id, category, "
		                         "series, title and description",
		                         c.id ? c.id : "(no id)");
	if (attest_category_parse(&c.category, category) < 0)
		return attest_ydoc_error(d, n, "criterion %s: %s", c.id,
		                         attest_error_last());
	c.coso_principle = (int)coso;
	if (points) {
		yaml_node_item_t *it;
		size_t i = 0;

		if ((rc = attest_ydoc_expect(d, points, YAML_SEQUENCE_NODE,
		                             "points_of_focus")) < 0)
			return rc;
		c.npoints = (size_t)(points->data.sequence.items.top -
		                     points->data.sequence.items.start);
		c.points = attest_arena_calloc(&p->arena, c.npoints,
		                               sizeof(*c.points));
		for (it = points->data.sequence.items.start;
		     it < points->data.sequence.items.top; it++, i++)
			if ((rc = read_point(d, attest_ydoc_node(d, *it),
			                     &c.points[i], c.id)) < 0)
				return rc;
	}
	xgrow(&p->criteria, &p->capcriteria, p->ncriteria + 1,
	      sizeof(*p->criteria));
	xgrow(&p->criteria_where, &p->capwhere, p->ncriteria + 1,
	      sizeof(*p->criteria_where));
	p->criteria_where[p->ncriteria] = where(d, n);
	p->criteria[p->ncriteria++] = c;
	return 0;
}

static int
read_crosswalk(struct attest_ydoc *d, struct priv *p, yaml_node_t *n,
               struct attest_control *c)
{
	yaml_node_pair_t *pair;
	size_t total = 0, k = 0;
	int rc;

	if ((rc = attest_ydoc_expect(d, n, YAML_MAPPING_NODE, "crosswalk")) < 0)
		return rc;
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *v = attest_ydoc_node(d, pair->value);
		if (v && v->type == YAML_SEQUENCE_NODE)
			total += (size_t)(v->data.sequence.items.top -
			                  v->data.sequence.items.start);
	}
	c->crosswalk = attest_arena_calloc(&p->arena, total + 1,
	                                   sizeof(*c->crosswalk));
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		const char *fw = attest_ydoc_key(d, pair);
		yaml_node_t *v = attest_ydoc_node(d, pair->value);
		yaml_node_item_t *it;

		if (fw == NULL)
			return attest_ydoc_error(d, v, "non-scalar key");
		if (v && v->type == YAML_SCALAR_NODE &&
		    v->data.scalar.length == 0)
			continue; /* "framework:" with nothing: no mapping */
		if ((rc = attest_ydoc_expect(d, v, YAML_SEQUENCE_NODE,
		                             "crosswalk entries")) < 0)
			return rc;
		for (it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top; it++) {
			yaml_node_t *e = attest_ydoc_node(d, *it);
			struct attest_crosswalk *x = &c->crosswalk[k];
			yaml_node_pair_t *q;

			if ((rc = attest_ydoc_expect(d, e, YAML_MAPPING_NODE,
			                             "crosswalk entry")) < 0)
				return rc;
			x->framework = attest_arena_strdup(&p->arena, fw);
			for (q = e->data.mapping.pairs.start;
			     q < e->data.mapping.pairs.top; q++) {
				const char *key = attest_ydoc_key(d, q);
				yaml_node_t *ev = attest_ydoc_node(d, q->value);
				if (key && !strcmp(key, "id"))
					rc = attest_ydoc_str(
					        d, ev, "crosswalk id", &x->id);
				else if (key && !strcmp(key, "rel"))
					rc = enum_field(
					        d, ev, "rel", rels,
					        "equal, subset, superset, "
					        "intersect",
					        &x->rel);
				else
					rc = attest_ydoc_error(
					        d, ev,
					        "crosswalk entry: unknown "
					        "field '%s'",
					        key ? key : "?");
				if (rc < 0)
					return rc;
			}
			if (!x->id || !x->rel)
				return attest_ydoc_error(
				        d, e,
				        "crosswalk entry needs "
				        "id and rel");
			x->id = x->id;
			k++;
		}
	}
	c->ncrosswalk = k;
	return 0;
}

static int
read_control(struct attest_ydoc *d, struct priv *p, yaml_node_t *n,
             bool builtin)
{
	struct pending_control pc = {0};
	struct attest_control *c = &pc.control;
	const char *frequency = NULL;
	yaml_node_pair_t *pair;
	int rc;

	if ((rc = attest_ydoc_expect(d, n, YAML_MAPPING_NODE, "control")) < 0)
		return rc;
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		const char *key = attest_ydoc_key(d, pair);
		yaml_node_t *v = attest_ydoc_node(d, pair->value);

		rc = 0;
		if (key == NULL)
			return attest_ydoc_error(d, v, "non-scalar key");
		if (!strcmp(key, "id"))
			rc = attest_ydoc_str(d, v, "control id", &c->id);
		else if (!strcmp(key, "title"))
			rc = attest_ydoc_str(d, v, "title", &c->title);
		else if (!strcmp(key, "statement"))
			rc = attest_ydoc_str(d, v, "statement", &c->statement);
		else if (!strcmp(key, "kind"))
			rc = enum_field(d, v, "kind", kinds,
			                "administrative, technical, physical, "
			                "procedural",
			                &c->kind);
		else if (!strcmp(key, "function"))
			rc = enum_field(d, v, "function", functions,
			                "preventive, detective, corrective, "
			                "compensating",
			                &c->function);
		else if (!strcmp(key, "frequency"))
			rc = attest_ydoc_str(d, v, "frequency", &frequency);
		else if (!strcmp(key, "owner"))
			rc = attest_ydoc_str(d, v, "owner", &c->owner);
		else if (!strcmp(key, "automation"))
			rc = enum_field(d, v, "automation", automations,
			                "automated, manual, hybrid",
			                &c->automation);
		else if (!strcmp(key, "evidence"))
			rc = attest_ydoc_strlist(d, v, "evidence", &c->evidence,
			                         &c->nevidence);
		else if (!strcmp(key, "criteria"))
			rc = attest_ydoc_strlist(d, v, "criteria", &pc.criteria,
			                         &pc.ncriteria);
		else if (!strcmp(key, "points_of_focus"))
			rc = attest_ydoc_strlist(d, v, "points_of_focus",
			                         &pc.points, &pc.npoints);
		else if (!strcmp(key, "crosswalk"))
			rc = read_crosswalk(d, p, v, c);
		else
			rc = attest_ydoc_error(d, v,
			                       "control %s: unknown field '%s'",
			                       c->id ? c->id : "", key);
		if (rc < 0)
			return rc;
	}
	if (!c->id || !c->title || !c->statement || !frequency ||
	    pc.ncriteria == 0)
		return attest_ydoc_error(d, n,
		                         "control %s: needs id, title, "
		                         "statement, frequency and criteria",
		                         c->id ? c->id : "(no id)");
	if (attest_frequency_parse(&c->frequency, frequency) < 0)
		return attest_ydoc_error(d, n, "control %s: %s", c->id,
		                         attest_error_last());
	if (!c->kind)
		c->kind = "procedural";
	if (!c->function)
		c->function = "preventive";
	if (!c->automation)
		c->automation = "manual";
	if (!c->owner)
		c->owner = "security-lead";
	c->origin = attest_arena_strdup(&p->arena, d->name);
	c->custom = !builtin;
	pc.place = where(d, n);
	xgrow(&p->pending, &p->cappending, p->npending + 1,
	      sizeof(*p->pending));
	p->pending[p->npending++] = pc;
	return 0;
}

static int
read_framework(struct attest_ydoc *d, struct priv *p, yaml_node_t *n)
{
	struct framework *fw;
	yaml_node_pair_t *pair;
	int rc;

	if ((rc = attest_ydoc_expect(d, n, YAML_MAPPING_NODE, "framework")) < 0)
		return rc;
	if (p->nframeworks == sizeof(p->frameworks) / sizeof(p->frameworks[0]))
		return attest_ydoc_error(d, n, "too many frameworks");
	fw = &p->frameworks[p->nframeworks];
	memset(fw, 0, sizeof(*fw));
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		const char *key = attest_ydoc_key(d, pair);
		yaml_node_t *v = attest_ydoc_node(d, pair->value);
		const char *ignored;
		yaml_node_item_t *it;

		rc = 0;
		if (key && !strcmp(key, "id"))
			rc = attest_ydoc_str(d, v, "framework id", &fw->id);
		else if (key && !strcmp(key, "name"))
			rc = attest_ydoc_str(d, v, "name", &ignored);
		else if (key && !strcmp(key, "ids"))
			rc = attest_ydoc_strlist(d, v, "ids", &fw->ids,
			                         &fw->nids);
		else if (key && !strcmp(key, "ranges")) {
			if ((rc = attest_ydoc_expect(d, v, YAML_SEQUENCE_NODE,
			                             "ranges")) < 0)
				return rc;
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				yaml_node_t *r = attest_ydoc_node(d, *it);
				yaml_node_pair_t *q;
				size_t i = fw->nranges;

				if (i == 8)
					return attest_ydoc_error(d, r,
					                         "too many "
					                         "ranges");
				if ((rc = attest_ydoc_expect(d, r,
				                             YAML_MAPPING_NODE,
				                             "range")) < 0)
					return rc;
				for (q = r->data.mapping.pairs.start;
				     q < r->data.mapping.pairs.top; q++) {
					const char *k = attest_ydoc_key(d, q);
					yaml_node_t *rv =
					        attest_ydoc_node(d, q->value);
					if (k && !strcmp(k, "prefix"))
						rc = attest_ydoc_str(
						        d, rv, "prefix",
						        &fw->ranges[i].prefix);
					else if (k && !strcmp(k, "first"))
						rc = attest_ydoc_int(
						        d, rv, "first", 0, 1000,
						        &fw->ranges[i].first);
					else if (k && !strcmp(k, "last"))
						rc = attest_ydoc_int(
						        d, rv, "last", 0, 1000,
						        &fw->ranges[i].last);
					else
						rc = attest_ydoc_error(
						        d, rv,
						        "range: unknown field");
					if (rc < 0)
						return rc;
				}
				fw->nranges++;
			}
		} else
			rc = attest_ydoc_error(d, v,
			                       "framework: unknown field '%s'",
			                       key ? key : "?");
		if (rc < 0)
			return rc;
	}
	if (!fw->id)
		return attest_ydoc_error(d, n, "framework needs an id");
	p->nframeworks++;
	return 0;
}

int
attest_catalog_load_yaml(struct attest_catalog *cat, const char *name,
                         const char *data, size_t len, bool builtin)
{
	struct priv *p = P(cat);
	struct attest_ydoc d;
	yaml_node_pair_t *pair;
	yaml_node_t *root;
	int rc;

	if (p->finished)
		return attest_error_set(ATTEST_ERROR,
		                        "catalog already finished");
	name = attest_arena_strdup(&p->arena, name);
	if ((rc = attest_ydoc_load(&d, name, data, len, &p->arena)) < 0)
		return rc;
	root = attest_ydoc_root(&d);
	if (root == NULL)
		goto done; /* an empty file adds nothing */
	if ((rc = attest_ydoc_expect(&d, root, YAML_MAPPING_NODE,
	                             "top level")) < 0)
		goto done;
	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		const char *key = attest_ydoc_key(&d, pair);
		yaml_node_t *v = attest_ydoc_node(&d, pair->value);
		int (*each)(struct attest_ydoc *, struct priv *,
		            yaml_node_t *) = NULL;
		yaml_node_item_t *it;

		if (key && !strcmp(key, "controls")) {
			if ((rc = attest_ydoc_expect(&d, v, YAML_SEQUENCE_NODE,
			                             "controls")) < 0)
				goto done;
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++)
				if ((rc = read_control(
				             &d, p, attest_ydoc_node(&d, *it),
				             builtin)) < 0)
					goto done;
			continue;
		}
		if (builtin && key && !strcmp(key, "criteria"))
			each = read_criterion;
		else if (builtin && key && !strcmp(key, "frameworks"))
			each = read_framework;
		else {
			rc = attest_ydoc_error(
			        &d, v, "unknown top-level key '%s' (%s)",
			        key ? key : "?",
			        builtin ? "expected criteria, controls or "
			                  "frameworks"
			                : "workspace files may define "
			                  "controls");
			goto done;
		}
		if ((rc = attest_ydoc_expect(&d, v, YAML_SEQUENCE_NODE, key)) <
		    0)
			goto done;
		for (it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top; it++)
			if ((rc = each(&d, p, attest_ydoc_node(&d, *it))) < 0)
				goto done;
	}
done:
	attest_ydoc_free(&d);
	return rc;
}

int
attest_catalog_load_builtin(struct attest_catalog *cat)
{
	const struct attest_content_file *f;
	int rc;

	for (f = attest_content_files; f->path; f++) {
		size_t n = strlen(f->path);
		if (n < 5 || strcmp(f->path + n - 5, ".yaml") != 0)
			continue;
		if ((rc = attest_catalog_load_yaml(cat, f->path, f->data,
		                                   f->len, true)) < 0)
			return rc;
	}
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
attest_catalog_load_dir(struct attest_catalog *cat, const char *dir)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *dh;
	int rc = 0;

	if ((dh = opendir(dir)) == NULL)
		return 0; /* no content folder: nothing to add */
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xgrow(&names, &cap, n + 1, sizeof(*names));
		names[n++] = attest_path_join(dir, de->d_name);
	}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && rc == 0; i++) {
		size_t len = strlen(names[i]);
		char *data = NULL;
		size_t dlen;

		if (attest_is_dir(names[i])) {
			rc = attest_catalog_load_dir(cat, names[i]);
			continue;
		}
		if (len < 5 || (strcmp(names[i] + len - 5, ".yaml") &&
		                strcmp(names[i] + len - 4, ".yml")))
			continue;
		if ((rc = attest_read_file(&data, &dlen, names[i], 16u << 20)) <
		    0)
			break;
		rc = attest_catalog_load_yaml(cat, names[i], data, dlen, false);
		free(data);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
attest_catalog_add_control(struct attest_catalog *cat,
                           const struct attest_control_def *def,
                           const char *origin)
{
	struct priv *p = P(cat);
	struct pending_control pc = {0};
	struct attest_control *c = &pc.control;
	const char **ev, **cr;

	if (!def->id || !def->title || !def->statement || !def->frequency ||
	    def->ncriteria == 0)
		return attest_error_set(ATTEST_EINVALID,
		                        "%s: control %s needs id, title, "
		                        "statement, frequency and criteria",
		                        origin, def->id ? def->id : "");
	if (attest_frequency_parse(&c->frequency, def->frequency) < 0)
		return attest_error_set(ATTEST_EINVALID, "%s: control %s: %s",
		                        origin, def->id, attest_error_last());
#define COPY(f) c->f = attest_arena_strdup(&p->arena, def->f)
	COPY(id);
	COPY(title);
	COPY(statement);
	COPY(kind);
	COPY(function);
	COPY(owner);
	COPY(automation);
#undef COPY
	ev = attest_arena_calloc(&p->arena, def->nevidence + 1, sizeof(*ev));
	for (size_t i = 0; i < def->nevidence; i++)
		ev[i] = attest_arena_strdup(&p->arena, def->evidence[i]);
	c->evidence = ev;
	c->nevidence = def->nevidence;
	cr = attest_arena_calloc(&p->arena, def->ncriteria + 1, sizeof(*cr));
	for (size_t i = 0; i < def->ncriteria; i++)
		cr[i] = attest_arena_strdup(&p->arena, def->criteria[i]);
	pc.criteria = cr;
	pc.ncriteria = def->ncriteria;
	c->origin = attest_arena_strdup(&p->arena, origin);
	c->custom = true;
	pc.place = c->origin;
	if (!c->kind || !one_of(c->kind, kinds))
		return attest_error_set(ATTEST_EINVALID,
		                        "%s: control %s: bad kind", origin,
		                        c->id);
	if (!c->function || !one_of(c->function, functions))
		return attest_error_set(ATTEST_EINVALID,
		                        "%s: control %s: bad function", origin,
		                        c->id);
	if (!c->automation || !one_of(c->automation, automations))
		return attest_error_set(ATTEST_EINVALID,
		                        "%s: control %s: bad automation",
		                        origin, c->id);
	xgrow(&p->pending, &p->cappending, p->npending + 1,
	      sizeof(*p->pending));
	p->pending[p->npending++] = pc;
	return 0;
}

/* ---- resolving -------------------------------------------------------- */

static int
cmp_crit(const void *a, const void *b)
{
	const struct attest_criterion *x = *(const void *const *)a;
	const struct attest_criterion *y = *(const void *const *)b;
	return strcmp(x->id, y->id);
}

static int
cmp_point(const void *a, const void *b)
{
	const struct attest_point *x = *(const void *const *)a;
	const struct attest_point *y = *(const void *const *)b;
	return strcmp(x->id, y->id);
}

static int
cmp_pending(const void *a, const void *b)
{
	const struct pending_control *x = a, *y = b;
	return strcmp(x->control.id, y->control.id);
}

static int
cmp_control(const void *a, const void *b)
{
	const struct attest_control *x = a, *y = b;
	return strcmp(x->id, y->id);
}

static bool
framework_has(const struct framework *fw, const char *id)
{
	for (size_t i = 0; i < fw->nids; i++)
		if (strcmp(fw->ids[i], id) == 0)
			return true;
	for (size_t i = 0; i < fw->nranges; i++) {
		size_t n = strlen(fw->ranges[i].prefix);
		char *end;
		long v;

		if (strncmp(id, fw->ranges[i].prefix, n) != 0 || id[n] < '1' ||
		    id[n] > '9')
			continue;
		v = strtol(id + n, &end, 10);
		if (*end == '\0' && v >= fw->ranges[i].first &&
		    v <= fw->ranges[i].last)
			return true;
	}
	return false;
}

static int
check_crosswalk(struct priv *p, const struct pending_control *pc)
{
	const struct attest_control *c = &pc->control;

	for (size_t i = 0; i < c->ncrosswalk; i++) {
		const struct attest_crosswalk *x = &c->crosswalk[i];
		const struct framework *fw = NULL;

		for (size_t f = 0; f < p->nframeworks; f++)
			if (!strcmp(p->frameworks[f].id, x->framework))
				fw = &p->frameworks[f];
		if (fw == NULL)
			return attest_error_set(ATTEST_EINVALID,
			                        "%s: control %s: unknown "
			                        "framework '%s' in crosswalk",
			                        pc->place, c->id, x->framework);
		if (!framework_has(fw, x->id))
			return attest_error_set(ATTEST_EINVALID,
			                        "%s: control %s: '%s' is not "
			                        "an id of %s",
			                        pc->place, c->id, x->id,
			                        x->framework);
	}
	return 0;
}

static int
index_criteria(struct attest_catalog *cat, struct priv *p)
{
	size_t k = 0;

	cat->criteria = p->criteria;
	cat->ncriteria = p->ncriteria;
	cat->npoints = 0;
	for (size_t i = 0; i < p->ncriteria; i++)
		cat->npoints += p->criteria[i].npoints;
	p->crit_index = xcalloc(p->ncriteria + 1, sizeof(*p->crit_index));
	p->point_index = xcalloc(cat->npoints + 1, sizeof(*p->point_index));
	for (size_t i = 0; i < p->ncriteria; i++) {
		struct attest_criterion *c = &p->criteria[i];
		p->crit_index[i] = c;
		for (size_t j = 0; j < c->npoints; j++) {
			c->points[j].criterion = c;
			p->point_index[k++] = &c->points[j];
		}
	}
	qsort(p->crit_index, p->ncriteria, sizeof(*p->crit_index), cmp_crit);
	qsort(p->point_index, cat->npoints, sizeof(*p->point_index), cmp_point);
	for (size_t i = 1; i < p->ncriteria; i++)
		if (!strcmp(p->crit_index[i]->id, p->crit_index[i - 1]->id))
			return attest_error_set(ATTEST_EINVALID,
			                        "duplicate criterion id '%s'",
			                        p->crit_index[i]->id);
	for (size_t i = 1; i < cat->npoints; i++)
		if (!strcmp(p->point_index[i]->id, p->point_index[i - 1]->id))
			return attest_error_set(ATTEST_EINVALID,
			                        "duplicate point of focus id "
			                        "'%s'",
			                        p->point_index[i]->id);
	return 0;
}

/* Fills the criterion -> controls and point -> controls back-references. */
static void
link_back(struct attest_catalog *cat, struct priv *p)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < cat->ncontrols; i++) {
			const struct attest_control *c = &cat->controls[i];
			for (size_t j = 0; j < c->ncriteria; j++) {
				struct attest_criterion *cr =
				        (struct attest_criterion *)
				                c->criteria[j];
				if (pass)
					cr->controls[cr->ncontrols] = c;
				cr->ncontrols++;
			}
			for (size_t j = 0; j < c->npoints; j++) {
				struct attest_point *pt =
				        (struct attest_point *)c->points[j];
				if (pass)
					pt->controls[pt->ncontrols] = c;
				pt->ncontrols++;
			}
		}
		if (pass)
			break;
		for (size_t i = 0; i < p->ncriteria; i++) {
			struct attest_criterion *cr = &p->criteria[i];
			cr->controls = attest_arena_calloc(
			        &p->arena, cr->ncontrols + 1,
			        sizeof(*cr->controls));
			cr->ncontrols = 0;
			for (size_t j = 0; j < cr->npoints; j++) {
				struct attest_point *pt = &cr->points[j];
				pt->controls = attest_arena_calloc(
				        &p->arena, pt->ncontrols + 1,
				        sizeof(*pt->controls));
				pt->ncontrols = 0;
			}
		}
	}
}

int
attest_catalog_finish(struct attest_catalog *cat)
{
	struct priv *p = P(cat);
	int rc;

	if (p->finished)
		return 0;
	if ((rc = index_criteria(cat, p)) < 0)
		return rc;
	if (p->npending)
		qsort(p->pending, p->npending, sizeof(*p->pending),
		      cmp_pending);
	for (size_t i = 1; i < p->npending; i++)
		if (!strcmp(p->pending[i].control.id,
		            p->pending[i - 1].control.id))
			return attest_error_set(
			        ATTEST_EINVALID,
			        "%s: duplicate control id '%s' (also at "
			        "%s)",
			        p->pending[i].place, p->pending[i].control.id,
			        p->pending[i - 1].place);
	cat->controls = xcalloc(p->npending + 1, sizeof(*cat->controls));
	cat->ncontrols = p->npending;
	for (size_t i = 0; i < p->npending; i++) {
		struct pending_control *pc = &p->pending[i];
		struct attest_control *c = &pc->control;
		const struct attest_criterion **crit;
		const struct attest_point **pts;

		crit = attest_arena_calloc(&p->arena, pc->ncriteria + 1,
		                           sizeof(*crit));
		for (size_t j = 0; j < pc->ncriteria; j++) {
			struct attest_criterion key = {.id = pc->criteria[j]};
			const struct attest_criterion *kp = &key, **hit;
			hit = bsearch(&kp, p->crit_index, p->ncriteria,
			              sizeof(*p->crit_index), cmp_crit);
			if (hit == NULL)
				return attest_error_set(
				        ATTEST_EINVALID,
				        "%s: control %s: unknown criterion "
				        "'%s'",
				        pc->place, c->id, pc->criteria[j]);
			crit[j] = *hit;
		}
		pts = attest_arena_calloc(&p->arena, pc->npoints + 1,
		                          sizeof(*pts));
		for (size_t j = 0; j < pc->npoints; j++) {
			struct attest_point key = {.id = pc->points[j]};
			const struct attest_point *kp = &key, **hit;
			bool listed = false;
			hit = bsearch(&kp, p->point_index, cat->npoints,
			              sizeof(*p->point_index), cmp_point);
			if (hit == NULL)
				return attest_error_set(
				        ATTEST_EINVALID,
				        "%s: control %s: unknown point of "
				        "focus '%s'",
				        pc->place, c->id, pc->points[j]);
			for (size_t k = 0; k < pc->ncriteria; k++)
				listed |= crit[k] == (*hit)->criterion;
			if (!listed)
				return attest_error_set(
				        ATTEST_EINVALID,
				        "%s: control %s: addresses %s but "
				        "does not list criterion %s",
				        pc->place, c->id, pc->points[j],
				        (*hit)->criterion->id);
			pts[j] = *hit;
		}
		if ((rc = check_crosswalk(p, pc)) < 0)
			return rc;
		c->criteria = crit;
		c->ncriteria = pc->ncriteria;
		c->points = pts;
		c->npoints = pc->npoints;
		cat->controls[i] = *c;
	}
	qsort(cat->controls, cat->ncontrols, sizeof(*cat->controls),
	      cmp_control);
	link_back(cat, p);
	p->finished = true;
	return 0;
}

const struct attest_criterion *
attest_catalog_criterion(const struct attest_catalog *cat, const char *id)
{
	struct priv *p = P(cat);
	struct attest_criterion key = {.id = id};
	const struct attest_criterion *kp = &key, **hit;

	hit = bsearch(&kp, p->crit_index, cat->ncriteria,
	              sizeof(*p->crit_index), cmp_crit);
	return hit ? *hit : NULL;
}

const struct attest_point *
attest_catalog_point(const struct attest_catalog *cat, const char *id)
{
	struct priv *p = P(cat);
	struct attest_point key = {.id = id};
	const struct attest_point *kp = &key, **hit;

	hit = bsearch(&kp, p->point_index, cat->npoints,
	              sizeof(*p->point_index), cmp_point);
	return hit ? *hit : NULL;
}

const struct attest_control *
attest_catalog_control(const struct attest_catalog *cat, const char *id)
{
	struct attest_control key = {.id = id};

	return bsearch(&key, cat->controls, cat->ncontrols,
	               sizeof(*cat->controls), cmp_control);
}

size_t
attest_catalog_coverage(const struct attest_catalog *cat,
                        struct attest_buf *report)
{
	size_t problems = 0;

	for (size_t i = 0; i < cat->ncriteria; i++) {
		const struct attest_criterion *c = &cat->criteria[i];
		if (c->ncontrols == 0) {
			attest_buf_printf(report,
			                  "criterion %s: no control supports "
			                  "it\n",
			                  c->id);
			problems++;
		}
		for (size_t j = 0; j < c->npoints; j++) {
			if (c->points[j].ncontrols)
				continue;
			attest_buf_printf(report,
			                  "point of focus %s: no control "
			                  "addresses it\n",
			                  c->points[j].id);
			problems++;
		}
	}
	return problems;
}
