/*
 * attest scope ...: what the report covers. Categories, systems and assets,
 * subservice organisations, complementary user entity controls (CUECs) and
 * user-entity responsibilities (kept apart), criteria not applicable, and
 * time-limited exclusions.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/catalog.h"
#include "attest/error.h"
#include "attest/workspace.h"
#include "cli/cli.h"
#include "util/arena.h"
#include "util/date.h"

static const struct cli_opt json_opt[] = {{"json", 0, NULL, "Print JSON."},
                                          {0}};

/* Opens the workspace and its catalog, and begins a transaction. */
static int
open_tx(struct cli_args *a, struct attest_workspace **ws,
        const struct attest_catalog **cat)
{
	int rc;

	if ((rc = cli_open(a, ws)) < 0 ||
	    (rc = attest_workspace_catalog(*ws, cat)) < 0)
		return rc;
	return attest_workspace_begin(*ws);
}

static int
finish(struct attest_workspace *ws, int rc, const char *done)
{
	if (rc == 0)
		rc = attest_workspace_commit(ws);
	attest_workspace_close(ws);
	if (rc < 0)
		return cli_error(rc);
	if (done)
		printf("%s\n", done);
	return EXIT_OK;
}

/* Checks every id of a comma list against the catalog's criteria. */
static int
criteria_list(const struct attest_catalog *cat, const char *text, char ***out,
              size_t *n)
{
	*out = cli_split(text ? text : "", n);
	for (size_t i = 0; i < *n; i++)
		if (!attest_catalog_criterion(cat, (*out)[i]))
			return attest_error_set(ATTEST_ENOTFOUND,
			                        "--criteria: unknown criterion "
			                        "'%s'",
			                        (*out)[i]);
	return 0;
}

static json_t *
strings(const char **v, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(v[i]));
	return arr;
}

static json_t *
opt_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
scope_json(const struct attest_scope *s)
{
	json_t *root = json_object(), *arr;
	char day[11];

	arr = json_array();
	for (int k = 0; k < ATTEST_CATEGORY_COUNT; k++)
		if (s->categories & (1u << k))
			json_array_append_new(
			        arr, json_string(attest_category_name(
			                     (enum attest_category)k)));
	json_object_set_new(root, "categories", arr);
	arr = json_array();
	for (size_t i = 0; i < s->nsystems; i++)
		json_array_append_new(
		        arr,
		        json_pack("{s:s, s:s, s:s, s:o, s:o}", "id",
		                  s->systems[i].id, "name", s->systems[i].name,
		                  "kind", s->systems[i].kind, "description",
		                  opt_string(s->systems[i].description),
		                  "owner", opt_string(s->systems[i].owner)));
	json_object_set_new(root, "systems", arr);
	arr = json_array();
	for (size_t i = 0; i < s->nsubservices; i++) {
		const struct attest_subservice *so = &s->subservices[i];
		json_array_append_new(
		        arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "id",
		                       so->id, "name", so->name, "method",
		                       so->method, "services",
		                       opt_string(so->services), "controls",
		                       strings(so->controls, so->ncontrols),
		                       "criteria",
		                       strings(so->criteria, so->ncriteria)));
	}
	json_object_set_new(root, "subservice_organizations", arr);
	for (int kind = 0; kind < 2; kind++) {
		const char *k = kind ? "responsibility" : "cuec";
		arr = json_array();
		for (size_t i = 0; i < s->nuser_entities; i++) {
			const struct attest_user_entity *u =
			        &s->user_entities[i];
			if (strcmp(u->kind, k))
				continue;
			json_array_append_new(
			        arr,
			        json_pack("{s:I, s:s, s:o}", "id",
			                  (json_int_t)u->id, "text", u->text,
			                  "criteria",
			                  strings(u->criteria, u->ncriteria)));
		}
		json_object_set_new(root,
		                    kind ? "user_entity_responsibilities"
		                         : "complementary_user_entity_controls",
		                    arr);
	}
	arr = json_array();
	for (size_t i = 0; i < s->nnot_applicable; i++)
		json_array_append_new(
		        arr, json_pack("{s:s, s:s}", "criterion",
		                       s->not_applicable[i].criterion, "reason",
		                       s->not_applicable[i].reason));
	json_object_set_new(root, "not_applicable", arr);
	arr = json_array();
	for (size_t i = 0; i < s->nexclusions; i++) {
		const struct attest_exclusion *e = &s->exclusions[i];
		attest_date_format(day, e->expires);
		json_array_append_new(
		        arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
		                       (json_int_t)e->id, "target", e->target,
		                       "reason", e->reason, "owner", e->owner,
		                       "expires", day));
	}
	json_object_set_new(root, "exclusions", arr);
	return root;
}

static void
scope_text(const struct attest_scope *s)
{
	char day[11];

	printf("Categories in scope:");
	for (int k = 0; k < ATTEST_CATEGORY_COUNT; k++)
		if (s->categories & (1u << k))
			printf(" %s",
			       attest_category_name((enum attest_category)k));
	printf("\n\nSystems and assets (%zu):\n", s->nsystems);
	for (size_t i = 0; i < s->nsystems; i++)
		printf("  %-16s %-7s %s%s%s\n", s->systems[i].id,
		       s->systems[i].kind, s->systems[i].name,
		       s->systems[i].owner ? "  owner: " : "",
		       s->systems[i].owner ? s->systems[i].owner : "");
	printf("\nSubservice organisations (%zu):\n", s->nsubservices);
	for (size_t i = 0; i < s->nsubservices; i++) {
		const struct attest_subservice *so = &s->subservices[i];
		printf("  %-16s %-10s %s%s%s\n", so->id, so->method, so->name,
		       so->services ? " — " : "",
		       so->services ? so->services : "");
		for (size_t j = 0; j < so->ncontrols; j++)
			printf("      expected: %s\n", so->controls[j]);
	}
	for (int kind = 0; kind < 2; kind++) {
		const char *k = kind ? "responsibility" : "cuec";
		printf("\n%s:\n", kind ? "User-entity responsibilities"
		                       : "Complementary user entity controls");
		for (size_t i = 0; i < s->nuser_entities; i++) {
			const struct attest_user_entity *u =
			        &s->user_entities[i];
			if (strcmp(u->kind, k))
				continue;
			printf("  %3lld. %s", (long long)u->id, u->text);
			for (size_t j = 0; j < u->ncriteria; j++)
				printf("%s%s", j ? ", " : " [", u->criteria[j]);
			printf("%s\n", u->ncriteria ? "]" : "");
		}
	}
	printf("\nCriteria not applicable (%zu):\n", s->nnot_applicable);
	for (size_t i = 0; i < s->nnot_applicable; i++)
		printf("  %-8s %s\n", s->not_applicable[i].criterion,
		       s->not_applicable[i].reason);
	printf("\nExclusions (%zu):\n", s->nexclusions);
	for (size_t i = 0; i < s->nexclusions; i++) {
		const struct attest_exclusion *e = &s->exclusions[i];
		attest_date_format(day, e->expires);
		printf("  %3lld. %-10s until %s, owner %s: %s\n",
		       (long long)e->id, e->target, day, e->owner, e->reason);
	}
}

static int
show_exec(struct cli_args *a)
{
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	struct attest_scope s;
	int rc;

	if ((rc = cli_open(a, &ws)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		if ((rc = st->ops->scope_load(st, &arena, &s)) == 0) {
			if (cli_flag(a, "json"))
				cli_print_json(scope_json(&s));
			else
				scope_text(&s);
		}
	}
	attest_arena_free(&arena);
	attest_workspace_close(ws);
	return rc < 0 ? cli_error(rc) : EXIT_OK;
}

const struct cli_cmd cmd_scope_show = {
        .name = "scope show",
        .usage = "[--json]",
        .summary = "show what the report covers",
        .description = "Shows the categories in scope, systems and assets, "
                       "subservice organisations, complementary user entity "
                       "controls, user-entity responsibilities, criteria not "
                       "applicable and exclusions. 'attest scope' alone does "
                       "the same.",
        .opts = json_opt,
        .exec = show_exec,
};

static int
category_exec(struct cli_args *a)
{
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	const char *verb = a->pos[0];
	enum attest_category c;
	struct attest_scope s;
	int rc, add = !strcmp(verb, "add");

	if (!add && strcmp(verb, "remove"))
		return cli_usage(a->cmd, "expected add or remove, not '%s'",
		                 verb);
	if ((rc = attest_category_parse(&c, a->pos[1])) < 0)
		return cli_error(rc);
	if (!add && c == ATTEST_SECURITY)
		return cli_fail("security is always in scope");
	if ((rc = open_tx(a, &ws, &cat)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		if ((rc = st->ops->scope_load(st, &arena, &s)) == 0)
			rc = st->ops->categories_set(
			        st, add ? s.categories | (1u << c)
			                : s.categories & ~(1u << c));
	}
	attest_arena_free(&arena);
	return finish(ws, rc, NULL);
}

const struct cli_cmd cmd_scope_category = {
        .name = "scope category",
        .usage = "add|remove CATEGORY",
        .summary = "add or remove a Trust Services Category",
        .description = "Adds or removes availability, confidentiality, "
                       "processing-integrity or privacy. Security (the common "
                       "criteria) is always in scope.",
        .min_pos = 2,
        .max_pos = 2,
        .exec = category_exec,
};

static const struct cli_opt system_opts[] = {
        {"name", 'n', "NAME", "Display name (required)."},
        {"kind", 'k', "KIND", "system or asset (default: system)."},
        {"description", 'd', "TEXT", "What it is and does."},
        {"owner", 0, "WHO", "Who is accountable for it."},
        {0}};

static int
system_exec(struct cli_args *a)
{
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	struct attest_system sys = {
	        .id = a->pos[0],
	        .name = cli_get(a, "name"),
	        .kind = cli_get(a, "kind") ? cli_get(a, "kind") : "system",
	        .description = cli_get(a, "description"),
	        .owner = cli_get(a, "owner"),
	};
	int rc;

	if (!sys.name)
		return cli_usage(a->cmd, "--name is required");
	if (strcmp(sys.kind, "system") && strcmp(sys.kind, "asset"))
		return cli_fail("--kind: '%s' is not system or asset",
		                sys.kind);
	if ((rc = open_tx(a, &ws, &cat)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		struct attest_scope s;
		/* An update keeps the fields it does not name. */
		if ((rc = st->ops->scope_load(st, &arena, &s)) == 0) {
			for (size_t i = 0; i < s.nsystems; i++) {
				if (strcmp(s.systems[i].id, sys.id))
					continue;
				if (!cli_get(a, "description"))
					sys.description =
					        s.systems[i].description;
				if (!cli_get(a, "owner"))
					sys.owner = s.systems[i].owner;
				if (!cli_get(a, "kind"))
					sys.kind = s.systems[i].kind;
			}
			rc = st->ops->system_put(st, &sys);
		}
	}
	rc = finish(ws, rc, NULL);
	attest_arena_free(&arena);
	return rc;
}

const struct cli_cmd cmd_scope_system = {
        .name = "scope system",
        .usage = "ID --name NAME [--kind system|asset] [--description TEXT] "
                 "[--owner WHO]",
        .summary = "add or update a system or asset in scope",
        .description =
                "Records a system, meaning an application, service or "
                "platform, or an asset such as a server, database or "
                "device, inside the boundary of the report. An existing ID is "
                "updated.",
        .opts = system_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = system_exec,
};

static const struct cli_opt subservice_opts[] = {
        {"name", 'n', "NAME", "The organisation's name (required)."},
        {"method", 'm', "METHOD",
         "carve-out (its controls are outside the report; required) or "
         "inclusive (its controls are described and tested)."},
        {"services", 's', "TEXT", "What it provides."},
        {"control", 0, "TEXT",
         "A control expected of it (a complementary subservice organisation "
         "control). Repeatable."},
        {"criteria", 0, "LIST", "Criteria those controls relate to."},
        {0}};

static int
subservice_exec(struct cli_args *a)
{
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	char **crit = NULL;
	size_t ncrit = 0, nctl;
	char **ctl = cli_all(a, "control", &nctl);
	struct attest_subservice so = {
	        .id = a->pos[0],
	        .name = cli_get(a, "name"),
	        .method = cli_get(a, "method"),
	        .services = cli_get(a, "services"),
	};
	int rc;

	if (!so.name || !so.method)
		return cli_usage(a->cmd, "--name and --method are required");
	if (strcmp(so.method, "carve-out") && strcmp(so.method, "inclusive"))
		return cli_fail("--method: '%s' is not carve-out or inclusive",
		                so.method);
	if ((rc = open_tx(a, &ws, &cat)) == 0 &&
	    (rc = criteria_list(cat, cli_get(a, "criteria"), &crit, &ncrit)) ==
	            0) {
		struct attest_store *st = attest_workspace_store(ws);
		so.controls = (const char **)ctl;
		so.ncontrols = nctl;
		so.criteria = (const char **)crit;
		so.ncriteria = ncrit;
		rc = st->ops->subservice_put(st, &so);
	}
	cli_free_list(crit);
	return finish(ws, rc, NULL);
}

const struct cli_cmd cmd_scope_subservice = {
        .name = "scope subservice",
        .usage = "ID --name NAME --method carve-out|inclusive "
                 "[--services TEXT] [--control TEXT]... [--criteria LIST]",
        .summary = "add or update a subservice organisation",
        .description =
                "Records a vendor whose services are part of the system "
                "(for example a cloud provider). Carve-out: its controls "
                "stay outside the report and the description lists the "
                "controls expected of it. Inclusive: its controls are part "
                "of the description and are tested. An existing ID is "
                "updated.",
        .opts = subservice_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = subservice_exec,
};

static const struct cli_opt ue_opts[] = {
        {"criteria", 0, "LIST", "Criteria it relates to."}, {0}};

static int
user_entity(struct cli_args *a, const char *kind)
{
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	char **crit = NULL, done[64];
	size_t ncrit = 0;
	int64_t id = 0;
	int rc;

	if ((rc = open_tx(a, &ws, &cat)) == 0 &&
	    (rc = criteria_list(cat, cli_get(a, "criteria"), &crit, &ncrit)) ==
	            0) {
		struct attest_store *st = attest_workspace_store(ws);
		struct attest_user_entity u = {
		        .kind = kind,
		        .text = a->pos[0],
		        .criteria = (const char **)crit,
		        .ncriteria = ncrit,
		};
		rc = st->ops->user_entity_add(st, &u, &id);
	}
	cli_free_list(crit);
	snprintf(done, sizeof(done), "added %s %lld", kind, (long long)id);
	return finish(ws, rc, done);
}

static int
cuec_exec(struct cli_args *a)
{
	return user_entity(a, "cuec");
}

static int
responsibility_exec(struct cli_args *a)
{
	return user_entity(a, "responsibility");
}

const struct cli_cmd cmd_scope_cuec = {
        .name = "scope cuec",
        .usage = "TEXT [--criteria LIST]",
        .summary = "add a complementary user entity control",
        .description = "Records a control the customer must operate for "
                       "attest's controls to meet the criteria (for example "
                       "reviewing which of their users have access). Keep "
                       "customer duties that do not affect the criteria as "
                       "responsibilities instead.",
        .opts = ue_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = cuec_exec,
};

const struct cli_cmd cmd_scope_responsibility = {
        .name = "scope responsibility",
        .usage = "TEXT [--criteria LIST]",
        .summary = "add a user-entity responsibility",
        .description = "Records something a customer must do to benefit from "
                       "the service that does not bear on whether the "
                       "criteria are met (for example keeping their contact "
                       "details current). Reports keep these apart from "
                       "complementary user entity controls.",
        .opts = ue_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = responsibility_exec,
};

static const struct cli_opt na_opts[] = {
        {"reason", 'r', "TEXT", "Why it does not apply (required)."}, {0}};

static int
na_exec(struct cli_args *a)
{
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	struct attest_not_applicable na = {a->pos[0], cli_get(a, "reason")};
	int rc;

	if (!na.reason || !*na.reason)
		return cli_usage(a->cmd, "--reason is required");
	if ((rc = open_tx(a, &ws, &cat)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		if (!attest_catalog_criterion(cat, na.criterion))
			rc = attest_error_set(ATTEST_ENOTFOUND,
			                      "unknown criterion '%s'",
			                      na.criterion);
		else
			rc = st->ops->not_applicable_put(st, &na);
	}
	return finish(ws, rc, NULL);
}

const struct cli_cmd cmd_scope_na = {
        .name = "scope not-applicable",
        .usage = "CRITERION --reason TEXT",
        .summary = "declare a criterion not applicable",
        .description = "Marks a criterion as not relevant to the system, "
                       "with the reason the system description will give. "
                       "It then counts in no score and raises no gap.",
        .opts = na_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = na_exec,
};

static int
applicable_exec(struct cli_args *a)
{
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	int rc;

	if ((rc = open_tx(a, &ws, &cat)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		rc = st->ops->scope_delete(st, "not_applicable", a->pos[0]);
	}
	return finish(ws, rc, NULL);
}

const struct cli_cmd cmd_scope_applicable = {
        .name = "scope applicable",
        .usage = "CRITERION",
        .summary = "undo not-applicable for a criterion",
        .description = "Makes a criterion declared not applicable count "
                       "again.",
        .min_pos = 1,
        .max_pos = 1,
        .exec = applicable_exec,
};

static const struct cli_opt exclude_opts[] = {
        {"reason", 'r', "TEXT", "Why (required)."},
        {"owner", 'o', "WHO", "Who answers for it (required)."},
        {"expires", 'e', "DATE", "When the exclusion ends (required)."},
        {0}};

static int
exclude_exec(struct cli_args *a)
{
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	struct attest_arena arena = ATTEST_ARENA_INIT;
	struct attest_exclusion e = {.target = a->pos[0],
	                             .reason = cli_get(a, "reason"),
	                             .owner = cli_get(a, "owner")};
	const char *expires = cli_get(a, "expires");
	char done[64];
	int64_t id = 0;
	int rc;

	if (!e.reason || !e.owner || !expires)
		return cli_usage(
		        a->cmd, "--reason, --owner and --expires are required");
	if ((rc = attest_date_parse(&e.expires, expires)) < 0)
		return cli_fail("--expires: %s", attest_error_last());
	if ((rc = open_tx(a, &ws, &cat)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		struct attest_scope s;
		bool known = attest_catalog_criterion(cat, e.target) ||
		             attest_catalog_control(cat, e.target);
		if ((rc = st->ops->scope_load(st, &arena, &s)) == 0) {
			for (size_t i = 0; i < s.nsystems; i++)
				known |= !strcmp(s.systems[i].id, e.target);
			if (!known)
				rc = attest_error_set(
				        ATTEST_ENOTFOUND,
				        "'%s' is not a control, criterion or "
				        "system in scope",
				        e.target);
			else
				rc = st->ops->exclusion_add(st, &e, &id);
		}
	}
	attest_arena_free(&arena);
	snprintf(done, sizeof(done), "added exclusion %lld", (long long)id);
	return finish(ws, rc, done);
}

const struct cli_cmd cmd_scope_exclude = {
        .name = "scope exclude",
        .usage = "TARGET --reason TEXT --owner WHO --expires DATE",
        .summary = "exclude a control, criterion or system until a date",
        .description =
                "Sets a control, criterion or system aside until DATE, with "
                "the reason and the person who answers for it. While it "
                "lasts, the target raises no gap and counts in no score; "
                "30 days before it ends it shows as expiring, and once it "
                "has ended it is a gap until renewed or removed.",
        .opts = exclude_opts,
        .min_pos = 1,
        .max_pos = 1,
        .exec = exclude_exec,
};

static int
unexclude_exec(struct cli_args *a)
{
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	int rc;

	if ((rc = open_tx(a, &ws, &cat)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		rc = st->ops->scope_delete(st, "exclusion", a->pos[0]);
	}
	return finish(ws, rc, NULL);
}

const struct cli_cmd cmd_scope_unexclude = {
        .name = "scope unexclude",
        .usage = "ID",
        .summary = "remove an exclusion",
        .description = "Ends the exclusion with this id now (see 'attest "
                       "scope' for the ids).",
        .min_pos = 1,
        .max_pos = 1,
        .exec = unexclude_exec,
};

static int
remove_exec(struct cli_args *a)
{
	static const char *const kinds[][2] = {
	        {"system", "system"},
	        {"subservice", "subservice"},
	        {"cuec", "cuec"},
	        {"responsibility", "responsibility"}};
	const struct attest_catalog *cat;
	struct attest_workspace *ws = NULL;
	const char *table = NULL;
	int rc;

	for (size_t i = 0; i < 4; i++)
		if (!strcmp(a->pos[0], kinds[i][0]))
			table = kinds[i][1];
	if (!table)
		return cli_usage(a->cmd, "cannot remove '%s'", a->pos[0]);
	if ((rc = open_tx(a, &ws, &cat)) == 0) {
		struct attest_store *st = attest_workspace_store(ws);
		rc = st->ops->scope_delete(st, table, a->pos[1]);
	}
	return finish(ws, rc, NULL);
}

const struct cli_cmd cmd_scope_remove = {
        .name = "scope remove",
        .usage = "system|subservice|cuec|responsibility ID",
        .summary = "remove a scope entry",
        .description = "Removes a system, subservice organisation, CUEC or "
                       "responsibility by its id.",
        .min_pos = 2,
        .max_pos = 2,
        .exec = remove_exec,
};
