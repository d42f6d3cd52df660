/*
 * attest criteria list|show: the Trust Services Criteria in scope, their
 * points of focus and the controls that meet them.
 */
#include <string.h>

#include <jansson.h>

#include "attest/assess.h"
#include "attest/error.h"
#include "attest/workspace.h"
#include "cli/cli.h"

static const struct cli_opt list_opts[] = {
        {"category", 'c', "CATEGORY", "Only this category."},
        {"all", 'a', NULL, "Include categories not in scope."},
        {"json", 0, NULL, "Print JSON."},
        {0}};

static json_t *
criterion_json(const struct attest_criterion_view *cv, int full,
               const struct attest_assessment *as)
{
	const struct attest_criterion *c = cv->criterion;
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "category",
	                    json_string(attest_category_name(c->category)));
	json_object_set_new(o, "series", json_string(c->series));
	if (c->coso_principle)
		json_object_set_new(o, "coso_principle",
		                    json_integer(c->coso_principle));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "in_scope", json_boolean(cv->in_scope));
	json_object_set_new(o, "not_applicable",
	                    cv->na_reason ? json_string(cv->na_reason)
	                                  : json_null());
	json_object_set_new(o, "score", json_real(cv->score));
	json_object_set_new(o, "controls",
	                    json_integer((json_int_t)cv->controls));
	json_object_set_new(o, "implemented",
	                    json_integer((json_int_t)cv->implemented));
	if (full) {
		json_t *pts = json_array(), *ctl = json_array();
		json_object_set_new(o, "description",
		                    json_string(c->description));
		for (size_t i = 0; i < c->npoints; i++) {
			const struct attest_point *p = &c->points[i];
			json_t *po = json_object(), *pc = json_array();
			json_object_set_new(po, "id", json_string(p->id));
			json_object_set_new(po, "class", json_string(p->klass));
			json_object_set_new(po, "title", json_string(p->title));
			json_object_set_new(po, "text", json_string(p->text));
			if (p->processor || p->controller) {
				json_object_set_new(po, "processor",
				                    json_boolean(p->processor));
				json_object_set_new(
				        po, "controller",
				        json_boolean(p->controller));
			}
			for (size_t j = 0; j < p->ncontrols; j++)
				json_array_append_new(
				        pc, json_string(p->controls[j]->id));
			json_object_set_new(po, "controls", pc);
			json_array_append_new(pts, po);
		}
		for (size_t i = 0; i < c->ncontrols; i++) {
			const struct attest_control_view *v =
			        attest_assessment_control(as,
			                                  c->controls[i]->id);
			json_array_append_new(
			        ctl, json_pack("{s:s, s:s, s:s, s:s}", "id",
			                       v->control->id, "title",
			                       v->control->title, "status",
			                       v->status, "evidence",
			                       attest_evidence_state_name(
			                               v->evidence)));
		}
		json_object_set_new(o, "points_of_focus", pts);
		json_object_set_new(o, "control_list", ctl);
	}
	return o;
}

static int
list_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_assessment *as = NULL;
	const char *cat = cli_get(a, "category");
	enum attest_category want = ATTEST_SECURITY;
	int rc;

	if (cat && (rc = attest_category_parse(&want, cat)) < 0)
		return cli_error(rc);
	if ((rc = cli_assess(a, &ws, &as)) == 0) {
		json_t *arr = json_array();
		for (size_t i = 0; i < as->ncriteria; i++) {
			const struct attest_criterion_view *cv =
			        &as->criteria[i];
			if (cat && cv->criterion->category != want)
				continue;
			if (!cv->in_scope && !cli_flag(a, "all") && !cat)
				continue;
			if (cli_flag(a, "json")) {
				json_array_append_new(
				        arr, criterion_json(cv, 0, as));
				continue;
			}
			printf("%-7s %-15s %3.0f%%  %2zu/%-3zu %s%s\n",
			       cv->criterion->id,
			       attest_category_name(cv->criterion->category),
			       cv->score * 100, cv->implemented, cv->controls,
			       cv->criterion->title,
			       cv->na_reason   ? "  (not applicable)"
			       : !cv->in_scope ? "  (not in scope)"
			                       : "");
		}
		if (cli_flag(a, "json"))
			cli_print_json(arr);
		else
			json_decref(arr);
	}
	attest_assessment_free(as);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_criteria_list = {
        .name = "criteria list",
        .usage = "[--category C] [--all] [--as-of DATE] [--json]",
        .summary = "list the criteria in scope with their readiness",
        .description = "Lists each criterion in scope with its score, "
                       "implemented and counted controls, and title.",
        .opts = list_opts,
        .exec = list_exec,
};

static const struct cli_opt show_opts[] = {
        {"as-of", 0, "DATE", "Judge as of the end of DATE (default: now)."},
        {"json", 0, NULL, "Print JSON."},
        {0}};

static int
show_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_assessment *as = NULL;
	int rc;

	if ((rc = cli_assess(a, &ws, &as)) == 0) {
		const struct attest_criterion_view *cv = NULL;
		for (size_t i = 0; i < as->ncriteria; i++)
			if (!strcmp(as->criteria[i].criterion->id, a->pos[0]))
				cv = &as->criteria[i];
		if (!cv) {
			rc = attest_error_set(ATTEST_ENOTFOUND,
			                      "unknown criterion '%s'",
			                      a->pos[0]);
		} else if (cli_flag(a, "json")) {
			cli_print_json(criterion_json(cv, 1, as));
		} else {
			const struct attest_criterion *c = cv->criterion;
			printf("%s  %s\n", c->id, c->title);
			printf("category %s, series %s",
			       attest_category_name(c->category), c->series);
			if (c->coso_principle)
				printf(", COSO principle %d",
				       c->coso_principle);
			printf("%s\n\n", cv->in_scope ? "" : " (not in scope)");
			cli_wrap(stdout, c->description, 0, 78);
			if (cv->na_reason)
				printf("\nNot applicable: %s\n", cv->na_reason);
			printf("\nPoints of focus (%zu):\n", c->npoints);
			for (size_t i = 0; i < c->npoints; i++) {
				const struct attest_point *p = &c->points[i];
				printf("  %-9s [%s] %s\n", p->id, p->klass,
				       p->title);
			}
			printf("\nControls (%zu; score %.0f%%):\n",
			       c->ncontrols, cv->score * 100);
			for (size_t i = 0; i < c->ncontrols; i++) {
				const struct attest_control_view *v =
				        attest_assessment_control(
				                as, c->controls[i]->id);
				printf("  %-8s %-15s %-8s %s\n", v->control->id,
				       v->status,
				       attest_evidence_state_name(v->evidence),
				       v->control->title);
			}
		}
	}
	attest_assessment_free(as);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_criteria_show = {
        .name = "criteria show",
        .usage = "ID [--json]",
        .summary = "show a criterion, its points of focus and controls",
        .description = "Shows the criterion's description, each point of "
                       "focus with its class, and every control that "
                       "supports it with its status and evidence state.",
        .opts = show_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = show_exec,
};
