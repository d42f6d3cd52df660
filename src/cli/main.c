/*
 * attest: git-style dispatch over the command table. Global options come
 * before the command: -C DIR, --help, --version.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/error.h"
#include "cli/cli.h"
#include "util/alloc.h"

#define ATTEST_VERSION "0.1.0"

extern const struct cli_cmd cmd_init, cmd_status, cmd_gaps, cmd_scope_show,
        cmd_scope_category, cmd_scope_system, cmd_scope_subservice,
        cmd_scope_cuec, cmd_scope_responsibility, cmd_scope_na,
        cmd_scope_applicable, cmd_scope_exclude, cmd_scope_unexclude,
        cmd_scope_remove, cmd_criteria_list, cmd_criteria_show,
        cmd_control_list, cmd_control_show, cmd_control_set, cmd_control_add,
        cmd_evidence_add, cmd_evidence_list, cmd_evidence_show,
        cmd_catalog_check, cmd_evidence_redact, cmd_evidence_hold,
        cmd_evidence_release, cmd_ledger_key, cmd_ledger_status,
        cmd_ledger_checkpoint, cmd_ledger_verify, cmd_ledger_prove,
        cmd_ledger_consistency, cmd_ledger_export_checkpoint, cmd_ledger_purge,
        cmd_export_bundle, cmd_verify;

const struct cli_cmd *const cli_commands[] = {
        &cmd_init,
        &cmd_status,
        &cmd_gaps,
        &cmd_scope_show,
        &cmd_scope_category,
        &cmd_scope_system,
        &cmd_scope_subservice,
        &cmd_scope_cuec,
        &cmd_scope_responsibility,
        &cmd_scope_na,
        &cmd_scope_applicable,
        &cmd_scope_exclude,
        &cmd_scope_unexclude,
        &cmd_scope_remove,
        &cmd_criteria_list,
        &cmd_criteria_show,
        &cmd_control_list,
        &cmd_control_show,
        &cmd_control_set,
        &cmd_control_add,
        &cmd_evidence_add,
        &cmd_evidence_list,
        &cmd_evidence_show,
        &cmd_evidence_redact,
        &cmd_evidence_hold,
        &cmd_evidence_release,
        &cmd_ledger_key,
        &cmd_ledger_status,
        &cmd_ledger_checkpoint,
        &cmd_ledger_verify,
        &cmd_ledger_prove,
        &cmd_ledger_consistency,
        &cmd_ledger_export_checkpoint,
        &cmd_ledger_purge,
        &cmd_export_bundle,
        &cmd_verify,
        &cmd_catalog_check,
        NULL,
};

static const struct cli_opt help_opt = {"help", 'h', NULL,
                                        "Show this help and exit."};

static void
print_opt(FILE *out, const struct cli_opt *o)
{
	if (o->short_name)
		fprintf(out, "    -%c, --%s", o->short_name, o->name);
	else
		fprintf(out, "    --%s", o->name);
	if (o->arg)
		fprintf(out, " %s", o->arg);
	fputc('\n', out);
	cli_wrap(out, o->help, 8, 78);
}

static void
print_help(const struct cli_cmd *c)
{
	printf("NAME\n    attest %s - %s\n\n", c->name, c->summary);
	printf("SYNOPSIS\n    attest [-C DIR] %s %s\n\n", c->name, c->usage);
	printf("DESCRIPTION\n");
	cli_wrap(stdout, c->description, 4, 78);
	printf("\nOPTIONS\n");
	for (int i = 0; c->opts && c->opts[i].name; i++)
		print_opt(stdout, &c->opts[i]);
	print_opt(stdout, &help_opt);
	printf("\nWORKSPACE\n");
	cli_wrap(stdout,
	         "The workspace is found as git finds a repository: -C DIR "
	         "before the command, else $ATTEST_DIR, else the current "
	         "directory or its nearest parent holding attest.db.",
	         4, 78);
	printf("\nEXIT STATUS\n    0 success, 1 error (the workspace is left "
	       "unchanged), 2 usage error.\n");
}

static void
print_overview(FILE *out)
{
	fprintf(out, "usage: attest [-C DIR] [--version] [--help] COMMAND "
	             "[ARGS]\n\n"
	             "attest runs a SOC 2 programme: scope, controls, "
	             "evidence, gaps.\n\nCommands:\n");
	for (int i = 0; cli_commands[i]; i++) {
		const struct cli_cmd *c = cli_commands[i];
		fprintf(out, "  %-26s %s\n", c->name, c->summary);
	}
	fprintf(out, "\nSee 'attest COMMAND --help' for a command's manual.\n");
}

static const struct cli_cmd *
find_cmd(int argc, char **argv, int *used)
{
	char name[128];

	if (argc >= 2) {
		snprintf(name, sizeof(name), "%s %s", argv[0], argv[1]);
		for (int i = 0; cli_commands[i]; i++)
			if (!strcmp(cli_commands[i]->name, name)) {
				*used = 2;
				return cli_commands[i];
			}
	}
	for (int i = 0; cli_commands[i]; i++)
		if (!strcmp(cli_commands[i]->name, argv[0])) {
			*used = 1;
			return cli_commands[i];
		}
	/* "attest scope" alone means "attest scope show". */
	if (!strcmp(argv[0], "scope") && (argc == 1 || argv[1][0] == '-')) {
		*used = 1;
		return &cmd_scope_show;
	}
	return NULL;
}

static int
group_usage(const char *group)
{
	size_t n = strlen(group), shown = 0;

	for (int i = 0; cli_commands[i]; i++) {
		const struct cli_cmd *c = cli_commands[i];
		if (strncmp(c->name, group, n) || c->name[n] != ' ')
			continue;
		if (!shown++)
			fprintf(stderr, "usage:\n");
		fprintf(stderr, "  attest %s %s\n", c->name, c->usage);
	}
	if (!shown) {
		fprintf(stderr, "attest: '%s' is not a command\n\n", group);
		print_overview(stderr);
	}
	return EXIT_USAGE;
}

static int
parse_and_run(const struct cli_cmd *c, int argc, char **argv, const char *dir)
{
	struct cli_args a = {.cmd = c, .opts = c->opts, .dir = dir};
	size_t nopts = 0;
	int rc, only_pos = 0;

	while (c->opts && c->opts[nopts].name)
		nopts++;
	a.values = xcalloc(nopts + 1, sizeof(*a.values));
	a.nvalues = xcalloc(nopts + 1, sizeof(*a.nvalues));
	a.pos = xcalloc((size_t)argc + 1, sizeof(*a.pos));
	for (int i = 0; i < argc; i++) {
		char *arg = argv[i], *val = NULL;
		const struct cli_opt *o = NULL;
		size_t k;

		if (only_pos || arg[0] != '-' || arg[1] == '\0') {
			a.pos[a.npos++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			print_help(c);
			rc = EXIT_OK;
			goto out;
		}
		for (k = 0; k < nopts; k++) {
			const struct cli_opt *t = &c->opts[k];
			size_t len = strlen(t->name);
			if (arg[1] == '-' && !strncmp(arg + 2, t->name, len) &&
			    (arg[2 + len] == '\0' || arg[2 + len] == '=')) {
				o = t;
				if (arg[2 + len] == '=')
					val = arg + 3 + len;
				break;
			}
			if (arg[1] != '-' && t->short_name &&
			    arg[1] == t->short_name && arg[2] == '\0') {
				o = t;
				break;
			}
		}
		if (o == NULL) {
			rc = cli_usage(c, "unknown option '%s'", arg);
			goto out;
		}
		if (o->arg && val == NULL) {
			if (i + 1 >= argc) {
				rc = cli_usage(c, "option '--%s' needs %s",
				               o->name, o->arg);
				goto out;
			}
			val = argv[++i];
		} else if (!o->arg && val) {
			rc = cli_usage(c, "option '--%s' takes no value",
			               o->name);
			goto out;
		}
		a.values[k] = xreallocarray(a.values[k], a.nvalues[k] + 1,
		                            sizeof(char *));
		a.values[k][a.nvalues[k]++] = val ? val : "";
	}
	if (a.npos < c->min_pos || a.npos > c->max_pos) {
		rc = cli_usage(c,
		               a.npos < c->min_pos ? "missing argument"
		                                   : "unexpected argument '%s'",
		               a.npos > c->max_pos ? a.pos[c->max_pos] : "");
		goto out;
	}
	attest_error_clear();
	rc = c->exec(&a);
out:
	for (size_t k = 0; k < nopts; k++)
		free(a.values[k]);
	free(a.values);
	free(a.nvalues);
	free(a.pos);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *dir = NULL;
	const struct cli_cmd *c;
	int i = 1, used = 0;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "attest: -C needs DIR\n");
				return EXIT_USAGE;
			}
			dir = argv[i + 1];
			i += 2;
		} else if (!strcmp(argv[i], "--help") ||
		           !strcmp(argv[i], "-h")) {
			print_overview(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("attest %s\n", ATTEST_VERSION);
			return EXIT_OK;
		} else {
			fprintf(stderr, "attest: unknown option '%s'\n\n",
			        argv[i]);
			print_overview(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 >= argc) {
			print_overview(stdout);
			return EXIT_OK;
		}
		if ((c = find_cmd(argc - i - 1, argv + i + 1, &used)) == NULL)
			return group_usage(argv[i + 1]);
		print_help(c);
		return EXIT_OK;
	}
	if ((c = find_cmd(argc - i, argv + i, &used)) == NULL)
		return group_usage(argv[i]);
	{
		json_t *args = json_array();
		int rc;
		for (int k = i; k < argc; k++)
			json_array_append_new(args, json_string(argv[k]));
		cli_command = json_dumps(args, JSON_COMPACT);
		json_decref(args);
		rc = parse_and_run(c, argc - i - used, argv + i + used, dir);
		free(cli_command);
		return rc;
	}
}
