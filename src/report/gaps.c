/*
 * Renders a gap analysis and the status summary as text, Markdown or JSON.
 */
#include <string.h>

#include <jansson.h>

#include "attest/report.h"
#include "util/date.h"

static unsigned
shown(const struct attest_assessment *as, unsigned categories)
{
	return categories ? categories & as->categories : as->categories;
}

static json_t *
string_array(const char **items, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(items[i]));
	return arr;
}

json_t *
attest_report_gaps_json(const struct attest_assessment *as, unsigned categories)
{
	unsigned mask = shown(as, categories);
	json_t *root = json_object(), *cats = json_array(),
	       *gaps = json_array();
	char day[21];
	size_t rank = 0;

	attest_time_format(day, as->as_of);
	json_object_set_new(root, "organization",
	                    json_string(as->organization));
	json_object_set_new(root, "as_of", json_string(day));
	for (int k = 0; k < ATTEST_CATEGORY_COUNT; k++) {
		const struct attest_category_score *sc = &as->scores[k];
		json_t *o;
		if (!(mask & (1u << k)))
			continue;
		o = json_object();
		json_object_set_new(o, "category",
		                    json_string(attest_category_name(
		                            (enum attest_category)k)));
		json_object_set_new(o, "score", json_real(sc->score));
		json_object_set_new(o, "criteria",
		                    json_integer((json_int_t)sc->criteria));
		json_object_set_new(o, "applicable",
		                    json_integer((json_int_t)sc->applicable));
		json_object_set_new(o, "covered",
		                    json_integer((json_int_t)sc->covered));
		json_object_set_new(o, "gaps",
		                    json_integer((json_int_t)sc->gaps));
		json_array_append_new(cats, o);
	}
	for (size_t i = 0; i < as->ngaps; i++) {
		const struct attest_gap *g = &as->gaps[i];
		json_t *o;
		if (!(g->categories & mask))
			continue;
		o = json_object();
		json_object_set_new(o, "rank",
		                    json_integer((json_int_t)++rank));
		json_object_set_new(o, "kind",
		                    json_string(attest_gap_kind_name(g->kind)));
		json_object_set_new(o, "criterion",
		                    g->criterion ? json_string(g->criterion)
		                                 : json_null());
		json_object_set_new(o, "control",
		                    g->control ? json_string(g->control)
		                               : json_null());
		if (g->exclusion_target)
			json_object_set_new(o, "exclusion",
			                    json_integer(g->exclusion_id));
		json_object_set_new(o, "criteria",
		                    string_array(g->criteria, g->ncriteria));
		if (g->since) {
			attest_date_format(day, g->since);
			json_object_set_new(o, "since", json_string(day));
		}
		json_object_set_new(o, "leverage",
		                    json_integer((json_int_t)g->leverage));
		json_object_set_new(o, "detail", json_string(g->detail));
		json_array_append_new(gaps, o);
	}
	json_object_set_new(root, "categories", cats);
	json_object_set_new(root, "gaps", gaps);
	return root;
}

static const char *
kind_label(enum attest_gap_kind k)
{
	static const char *const labels[] = {
	        "UNCOVERED",   "FAILING",     "EXPIRED", "NOT STARTED",
	        "NO EVIDENCE", "IN PROGRESS", "STALE",   "EXPIRING"};
	return k < ATTEST_GAP_KIND_COUNT ? labels[k] : "?";
}

int
attest_report_gaps(FILE *out, const struct attest_assessment *as,
                   unsigned categories, enum attest_format fmt)
{
	unsigned mask = shown(as, categories);
	size_t rank = 0, total = 0;
	char day[11];

	if (fmt == ATTEST_FMT_JSON) {
		json_t *j = attest_report_gaps_json(as, categories);
		int rc = json_dumpf(j, out,
		                    JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(j);
		return rc;
	}
	attest_date_format(day, as->as_of);
	for (size_t i = 0; i < as->ngaps; i++)
		total += (as->gaps[i].categories & mask) != 0;
	if (fmt == ATTEST_FMT_MD) {
		fprintf(out, "# Gap analysis: %s\n\nAs of %s.\n\n",
		        as->organization, day);
		fprintf(out,
		        "| Category | Readiness | Criteria covered | Gaps |\n"
		        "|---|---:|---:|---:|\n");
	} else {
		fprintf(out, "Gap analysis for %s as of %s\n\n",
		        as->organization, day);
		fprintf(out, "  %-22s %9s  %-16s %5s\n", "CATEGORY",
		        "READINESS", "CRITERIA COVERED", "GAPS");
	}
	for (int k = 0; k < ATTEST_CATEGORY_COUNT; k++) {
		const struct attest_category_score *sc = &as->scores[k];
		const char *name =
		        attest_category_name((enum attest_category)k);
		if (!(mask & (1u << k)))
			continue;
		if (fmt == ATTEST_FMT_MD)
			fprintf(out, "| %s | %.1f%% | %zu of %zu | %zu |\n",
			        name, sc->score, sc->covered, sc->applicable,
			        sc->gaps);
		else
			fprintf(out, "  %-22s %8.1f%%  %4zu of %-8zu %5zu\n",
			        name, sc->score, sc->covered, sc->applicable,
			        sc->gaps);
	}
	if (fmt == ATTEST_FMT_MD)
		fprintf(out, "\n## Gaps, most urgent first\n\n"
		             "| # | Kind | Item | Criteria | Detail |\n"
		             "|---:|---|---|---|---|\n");
	else
		fprintf(out, "\n%zu gap%s, most urgent first:\n\n", total,
		        total == 1 ? "" : "s");
	for (size_t i = 0; i < as->ngaps; i++) {
		const struct attest_gap *g = &as->gaps[i];
		const char *item = g->control     ? g->control
		                   : g->criterion ? g->criterion
		                                  : g->exclusion_target;
		if (!(g->categories & mask))
			continue;
		rank++;
		if (fmt == ATTEST_FMT_MD) {
			fprintf(out, "| %zu | %s | %s | ", rank,
			        attest_gap_kind_name(g->kind), item);
			for (size_t j = 0; j < g->ncriteria; j++)
				fprintf(out, "%s%s", j ? ", " : "",
				        g->criteria[j]);
			fprintf(out, " | %s |\n", g->detail);
		} else {
			fprintf(out, "%5zu  %-11s  %s\n", rank,
			        kind_label(g->kind), g->detail);
			if (g->ncriteria > 1 || (g->control && g->ncriteria)) {
				fprintf(out, "%20s", "criteria: ");
				for (size_t j = 0; j < g->ncriteria; j++)
					fprintf(out, "%s%s", j ? " " : "",
					        g->criteria[j]);
				fputc('\n', out);
			}
		}
	}
	if (total == 0)
		fprintf(out,
		        fmt == ATTEST_FMT_MD ? "No gaps.\n" : "  No gaps.\n");
	return 0;
}

json_t *
attest_report_status_json(const struct attest_assessment *as)
{
	json_t *root = attest_report_gaps_json(as, 0), *counts = json_object();
	size_t by_status[4] = {0}, by_kind[ATTEST_GAP_KIND_COUNT] = {0};
	static const char *const statuses[] = {"not-started", "in-progress",
	                                       "implemented", "not-applicable"};
	json_t *kinds = json_object(), *gaps;

	for (size_t i = 0; i < as->ncontrols; i++) {
		if (!as->controls[i].in_scope)
			continue;
		for (int s = 0; s < 4; s++)
			by_status[s] +=
			        !strcmp(as->controls[i].status, statuses[s]);
	}
	for (int s = 0; s < 4; s++)
		json_object_set_new(counts, statuses[s],
		                    json_integer((json_int_t)by_status[s]));
	for (size_t i = 0; i < as->ngaps; i++)
		by_kind[as->gaps[i].kind]++;
	for (int k = 0; k < ATTEST_GAP_KIND_COUNT; k++)
		json_object_set_new(
		        kinds, attest_gap_kind_name((enum attest_gap_kind)k),
		        json_integer((json_int_t)by_kind[k]));
	/* The summary keeps only the first five gaps. */
	gaps = json_object_get(root, "gaps");
	while (json_array_size(gaps) > 5)
		json_array_remove(gaps, json_array_size(gaps) - 1);
	json_object_set_new(root, "controls", counts);
	json_object_set_new(root, "gap_counts", kinds);
	json_object_set_new(root, "gap_total",
	                    json_integer((json_int_t)as->ngaps));
	return root;
}

int
attest_report_status(FILE *out, const struct attest_assessment *as)
{
	json_t *j = attest_report_status_json(as);
	json_t *controls = json_object_get(j, "controls");
	char day[11];
	size_t shown_gaps = 0;

	attest_date_format(day, as->as_of);
	fprintf(out, "%s — SOC 2 readiness as of %s\n\n", as->organization,
	        day);
	for (int k = 0; k < ATTEST_CATEGORY_COUNT; k++) {
		const struct attest_category_score *sc = &as->scores[k];
		int bar = (int)(sc->score / 5.0 + 0.5);
		if (!sc->in_scope)
			continue;
		fprintf(out,
		        "  %-22s %5.1f%%  [%.*s%.*s]  %zu/%zu criteria "
		        "covered\n",
		        attest_category_name((enum attest_category)k),
		        sc->score, bar, "####################", 20 - bar,
		        "....................", sc->covered, sc->applicable);
	}
	fprintf(out,
	        "\n  controls in scope: %lld implemented, %lld in "
	        "progress, %lld not started, %lld not applicable\n",
	        (long long)json_integer_value(
	                json_object_get(controls, "implemented")),
	        (long long)json_integer_value(
	                json_object_get(controls, "in-progress")),
	        (long long)json_integer_value(
	                json_object_get(controls, "not-started")),
	        (long long)json_integer_value(
	                json_object_get(controls, "not-applicable")));
	fprintf(out, "  gaps: %zu\n\n  fix first:\n", as->ngaps);
	for (size_t i = 0; i < as->ngaps && shown_gaps < 5; i++, shown_gaps++)
		fprintf(out, "    %zu. %s\n", i + 1, as->gaps[i].detail);
	if (as->ngaps == 0)
		fprintf(out, "    nothing: no gaps\n");
	fprintf(out, "\n  full list: attest gaps\n");
	json_decref(j);
	return 0;
}
