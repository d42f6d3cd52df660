/*
 * attest control list|show|set|add: the control library as this workspace
 * has adopted it — status, owner, notes, tailoring, and its own controls.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/assess.h"
#include "attest/error.h"
#include "attest/workspace.h"
#include "cli/cli.h"
#include "util/arena.h"
#include "util/date.h"

static const char *const statuses[] = {"not-started", "in-progress",
                                       "implemented", "not-applicable", NULL};

static json_t *
control_json(const struct attest_control_view *v, int full)
{
	const struct attest_control *c = v->control;
	json_t *o = json_object(), *crit = json_array();
	char day[11];

	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "status", json_string(v->status));
	json_object_set_new(o, "owner", json_string(v->owner));
	json_object_set_new(o, "frequency",
	                    json_string(attest_frequency_name(v->frequency)));
	json_object_set_new(o, "in_scope", json_boolean(v->in_scope));
	json_object_set_new(
	        o, "evidence",
	        json_string(attest_evidence_state_name(v->evidence)));
	if (v->summary.has) {
		attest_date_format(day, v->summary.latest);
		json_object_set_new(o, "latest_evidence", json_string(day));
	}
	for (size_t i = 0; i < c->ncriteria; i++)
		json_array_append_new(crit, json_string(c->criteria[i]->id));
	json_object_set_new(o, "criteria", crit);
	json_object_set_new(o, "custom", json_boolean(c->custom));
	if (full) {
		json_t *pts = json_array(), *ev = json_array(),
		       *xw = json_array();
		json_object_set_new(o, "statement", json_string(v->statement));
		json_object_set_new(o, "kind", json_string(c->kind));
		json_object_set_new(o, "function", json_string(c->function));
		json_object_set_new(o, "automation",
		                    json_string(c->automation));
		json_object_set_new(o, "note",
		                    v->note ? json_string(v->note)
		                            : json_null());
		json_object_set_new(o, "reason",
		                    v->reason ? json_string(v->reason)
		                              : json_null());
		for (size_t i = 0; i < c->npoints; i++)
			json_array_append_new(pts,
			                      json_string(c->points[i]->id));
		for (size_t i = 0; i < c->nevidence; i++)
			json_array_append_new(ev, json_string(c->evidence[i]));
		for (size_t i = 0; i < c->ncrosswalk; i++)
			json_array_append_new(
			        xw, json_pack("{s:s, s:s, s:s}", "framework",
			                      c->crosswalk[i].framework, "id",
			                      c->crosswalk[i].id, "rel",
			                      c->crosswalk[i].rel));
		json_object_set_new(o, "points_of_focus", pts);
		json_object_set_new(o, "expected_evidence", ev);
		json_object_set_new(o, "crosswalk", xw);
		json_object_set_new(o, "origin", json_string(c->origin));
	}
	return o;
}

static const struct cli_opt list_opts[] = {
        {"criterion", 0, "ID", "Only controls supporting this criterion."},
        {"status", 's', "STATUS", "Only controls with this status."},
        {"all", 'a', NULL, "Include controls of categories not in scope."},
        {"json", 0, NULL, "Print JSON."},
        {0}};

static int
list_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_assessment *as = NULL;
	const char *crit = cli_get(a, "criterion");
	const char *status = cli_get(a, "status");
	int rc;

	if ((rc = cli_assess(a, &ws, &as)) == 0) {
		json_t *arr = json_array();
		const struct attest_catalog *cat;
		attest_workspace_catalog(ws, &cat);
		if (crit && !attest_catalog_criterion(cat, crit))
			rc = attest_error_set(ATTEST_ENOTFOUND,
			                      "unknown criterion '%s'", crit);
		for (size_t i = 0; rc == 0 && i < as->ncontrols; i++) {
			const struct attest_control_view *v = &as->controls[i];
			int hit = !crit;
			for (size_t j = 0; crit && j < v->control->ncriteria;
			     j++)
				hit |= !strcmp(v->control->criteria[j]->id,
				               crit);
			if (!hit || (status && strcmp(v->status, status)) ||
			    (!v->in_scope && !cli_flag(a, "all")))
				continue;
			if (cli_flag(a, "json"))
				json_array_append_new(arr, control_json(v, 0));
			else
				printf("%-8s %-15s %-8s %-12s %s\n",
				       v->control->id, v->status,
				       attest_evidence_state_name(v->evidence),
				       attest_frequency_name(v->frequency),
				       v->control->title);
		}
		if (rc == 0 && cli_flag(a, "json"))
			cli_print_json(arr);
		else
			json_decref(arr);
	}
	attest_assessment_free(as);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_control_list = {
        .name = "control list",
        .usage = "[--criterion ID] [--status STATUS] [--all] [--json]",
        .summary = "list controls with status and evidence state",
        .description = "Lists the controls that support criteria in scope: "
                       "id, status, evidence state (none, current, stale, "
                       "failing), frequency and title.",
        .opts = list_opts,
        .exec = list_exec,
};

static const struct cli_opt show_opts[] = {{"json", 0, NULL, "Print JSON."},
                                           {0}};

static int
show_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_assessment *as = NULL;
	int rc;

	if ((rc = cli_assess(a, &ws, &as)) == 0) {
		const struct attest_control_view *v =
		        attest_assessment_control(as, a->pos[0]);
		if (!v) {
			rc = attest_error_set(ATTEST_ENOTFOUND,
			                      "unknown control '%s'",
			                      a->pos[0]);
		} else if (cli_flag(a, "json")) {
			cli_print_json(control_json(v, 1));
		} else {
			const struct attest_control *c = v->control;
			printf("%s  %s\n\n", c->id, c->title);
			cli_wrap(stdout, v->statement, 0, 78);
			printf("\nstatus      %s%s%s\n", v->status,
			       v->reason ? " — " : "",
			       v->reason ? v->reason : "");
			printf("owner       %s\nfrequency   %s\n", v->owner,
			       attest_frequency_name(v->frequency));
			printf("kind        %s, %s, %s\n", c->kind, c->function,
			       c->automation);
			printf("evidence    %s",
			       attest_evidence_state_name(v->evidence));
			if (v->summary.has) {
				char day[11];
				attest_date_format(day, v->summary.latest);
				printf(" (newest %s)", day);
			}
			printf("\ncriteria   ");
			for (size_t i = 0; i < c->ncriteria; i++)
				printf(" %s", c->criteria[i]->id);
			printf("\npoints     ");
			for (size_t i = 0; i < c->npoints; i++)
				printf(" %s", c->points[i]->id);
			printf("\nexpects\n");
			for (size_t i = 0; i < c->nevidence; i++)
				printf("  - %s\n", c->evidence[i]);
			if (c->ncrosswalk)
				printf("crosswalk\n");
			for (size_t i = 0; i < c->ncrosswalk; i++)
				printf("  %-14s %-9s %s\n",
				       c->crosswalk[i].framework,
				       c->crosswalk[i].id, c->crosswalk[i].rel);
			if (v->note)
				printf("note        %s\n", v->note);
			printf("origin      %s\n", c->origin);
		}
	}
	attest_assessment_free(as);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_control_show = {
        .name = "control show",
        .usage = "ID [--json]",
        .summary = "show a control in full",
        .description = "Shows the statement (tailored, if it was), status, "
                       "owner, frequency, evidence state, criteria, points "
                       "of focus, expected evidence and crosswalk.",
        .opts = show_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = show_exec,
};

static const struct cli_opt set_opts[] = {
        {"status", 's', "STATUS",
         "not-started, in-progress, implemented or not-applicable (which "
         "needs --reason)."},
        {"owner", 'o', "WHO", "The person who owns it."},
        {"note", 'n', "TEXT", "A note for the team."},
        {"reason", 'r', "TEXT", "Why it is not applicable."},
        {"statement", 0, "TEXT", "Tailor the control statement."},
        {"frequency", 0, "FREQ",
         "Tailor the frequency: continuous, daily, weekly, monthly, "
         "quarterly, semi-annual, annual, per-event."},
        {0}};

static int
one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

static int
set_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	struct attest_control_state *states, st = {.control = a->pos[0]};
	const struct attest_catalog *cat;
	const char *status = cli_get(a, "status");
	const char *freq = cli_get(a, "frequency");
	enum attest_frequency f;
	size_t n;
	int rc;

	if (!status && !cli_get(a, "owner") && !cli_get(a, "note") &&
	    !cli_get(a, "reason") && !cli_get(a, "statement") && !freq)
		return cli_usage(a->cmd, "nothing to set");
	if (status && !one_of(status, statuses))
		return cli_fail("--status: '%s' is not one of not-started, "
		                "in-progress, implemented, not-applicable",
		                status);
	if (freq && *freq && (rc = attest_frequency_parse(&f, freq)) < 0)
		return cli_error(rc);
	if ((rc = cli_open(a, &ws)) < 0 ||
	    (rc = attest_workspace_catalog(ws, &cat)) < 0)
		goto done;
	if (!attest_catalog_control(cat, a->pos[0])) {
		rc = attest_error_set(ATTEST_ENOTFOUND, "unknown control '%s'",
		                      a->pos[0]);
		goto done;
	}
	{
		struct attest_store *s = attest_workspace_store(ws);
		if ((rc = attest_workspace_begin(ws)) < 0 ||
		    (rc = s->ops->states_load(s, &arena, &states, &n)) < 0)
			goto done;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(states[i].control, st.control))
				st = states[i];
		if (status)
			st.status = status;
		if (!st.status)
			st.status = "not-started";
#define SET(f)                                                                 \
	if (cli_get(a, #f))                                                    \
	st.f = *cli_get(a, #f) ? cli_get(a, #f) : NULL
		SET(owner);
		SET(note);
		SET(reason);
		SET(statement);
		SET(frequency);
#undef SET
		if (!strcmp(st.status, "not-applicable") && !st.reason) {
			rc = attest_error_set(
			        ATTEST_EINVALID,
			        "%s: not-applicable needs --reason",
			        st.control);
			goto done;
		}
		st.updated_at = attest_now();
		if ((rc = s->ops->state_put(s, &st)) < 0)
			goto done;
		rc = attest_workspace_commit(ws);
	}
done:
	attest_workspace_close(ws);
	attest_arena_free(&arena);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_control_set = {
        .name = "control set",
        .usage = "ID [--status STATUS] [--owner WHO] [--note TEXT] "
                 "[--reason TEXT] [--statement TEXT] [--frequency FREQ]",
        .summary = "record a control's status, owner, notes or tailoring",
        .description = "Records what the organisation has decided about a "
                       "control. Options not given keep their value; an "
                       "empty value clears it. not-applicable needs a reason "
                       "an auditor can read.",
        .opts = set_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = set_exec,
};

static const struct cli_opt add_opts[] = {
        {"title", 't', "TEXT", "Short title (required)."},
        {"statement", 's', "TEXT",
         "Who does what, how often, and what record it leaves (required)."},
        {"criteria", 'c', "LIST", "Criteria it supports (required)."},
        {"frequency", 'f', "FREQ", "How often it operates (default annual)."},
        {"kind", 0, "KIND",
         "administrative, technical, physical or procedural (default "
         "procedural)."},
        {"function", 0, "FUNC",
         "preventive, detective, corrective or compensating (default "
         "preventive)."},
        {"owner", 'o', "ROLE", "Owner role (default security-lead)."},
        {"automation", 0, "HOW",
         "automated, manual or hybrid (default manual)."},
        {"evidence", 'e', "TEXT", "Evidence it leaves. Repeatable."},
        {0}};

static int
add_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	const struct attest_catalog *cat;
	struct attest_catalog *check = NULL;
	size_t ncrit = 0, nev;
	char **crit = cli_split(
	        cli_get(a, "criteria") ? cli_get(a, "criteria") : "", &ncrit);
	char **ev = cli_all(a, "evidence", &nev);
	struct attest_control_def d = {
	        .id = a->pos[0],
	        .title = cli_get(a, "title"),
	        .statement = cli_get(a, "statement"),
	        .frequency = cli_get(a, "frequency") ? cli_get(a, "frequency")
	                                             : "annual",
	        .kind = cli_get(a, "kind") ? cli_get(a, "kind") : "procedural",
	        .function = cli_get(a, "function") ? cli_get(a, "function")
	                                           : "preventive",
	        .owner = cli_get(a, "owner") ? cli_get(a, "owner")
	                                     : "security-lead",
	        .automation = cli_get(a, "automation")
	                              ? cli_get(a, "automation")
	                              : "manual",
	        .evidence = (const char *const *)ev,
	        .nevidence = nev,
	        .criteria = (const char *const *)crit,
	        .ncriteria = ncrit,
	};
	int rc;

	if (!d.title || !d.statement || ncrit == 0) {
		cli_free_list(crit);
		return cli_usage(
		        a->cmd,
		        "--title, --statement and --criteria are required");
	}
	if ((rc = cli_open(a, &ws)) < 0 ||
	    (rc = attest_workspace_catalog(ws, &cat)) < 0)
		goto done;
	if (attest_catalog_control(cat, d.id)) {
		rc = attest_error_set(ATTEST_EEXISTS,
		                      "control '%s' already exists", d.id);
		goto done;
	}
	/* Validate through the catalog loader before anything is written. */
	check = attest_catalog_new();
	if ((rc = attest_catalog_load_builtin(check)) < 0 ||
	    (rc = attest_catalog_add_control(check, &d, "attest control add")) <
	            0 ||
	    (rc = attest_catalog_finish(check)) < 0)
		goto done;
	{
		struct attest_store *s = attest_workspace_store(ws);
		if ((rc = attest_workspace_begin(ws)) < 0 ||
		    (rc = s->ops->custom_control_put(s, &d)) < 0)
			goto done;
		rc = attest_workspace_commit(ws);
	}
	if (rc == 0)
		printf("added control %s\n", d.id);
done:
	attest_catalog_free(check);
	attest_workspace_close(ws);
	cli_free_list(crit);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_control_add = {
        .name = "control add",
        .usage = "ID --title TEXT --statement TEXT --criteria LIST "
                 "[--frequency FREQ] [--kind K] [--function F] [--owner ROLE] "
                 "[--automation A] [--evidence TEXT]...",
        .summary = "add the organisation's own control",
        .description = "Adds a control of the organisation's own and maps it "
                       "to criteria. It then counts like a library control. "
                       "Controls can also be added as YAML files under the "
                       "workspace's content/ folder (docs/catalog.md).",
        .opts = add_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = add_exec,
};
