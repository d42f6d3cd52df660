/*
 * Option parsing and help generation for the command table, and helpers
 * every command shares. No command logic lives here.
 */
#include <stdarg.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <jansson.h>

#include "attest/assess.h"
#include "attest/error.h"
#include "attest/workspace.h"
#include "cli/cli.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/decimal.h"

static int
opt_index(const struct cli_args *a, const char *name)
{
	for (int i = 0; a->opts && a->opts[i].name; i++)
		if (!strcmp(a->opts[i].name, name))
			return i;
	return -1;
}

const char *
cli_get(const struct cli_args *a, const char *name)
{
	int i = opt_index(a, name);

	if (i < 0 || a->nvalues[i] == 0)
		return NULL;
	return a->values[i][a->nvalues[i] - 1];
}

char **
cli_all(const struct cli_args *a, const char *name, size_t *n)
{
	int i = opt_index(a, name);

	*n = i < 0 ? 0 : a->nvalues[i];
	return i < 0 ? NULL : a->values[i];
}

bool
cli_flag(const struct cli_args *a, const char *name)
{
	int i = opt_index(a, name);

	return i >= 0 && a->nvalues[i] > 0;
}

int
cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("attest: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_ERR;
}

int
cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("attest: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: attest %s %s\n(see 'attest %s --help')\n",
	        cmd->name, cmd->usage, cmd->name);
	return EXIT_USAGE;
}

int
cli_error(int code)
{
	const char *msg = attest_error_last();

	fprintf(stderr, "attest: %s\n", *msg ? msg : "error");
	return code == ATTEST_EUSAGE ? EXIT_USAGE : EXIT_ERR;
}

char *cli_command;

/* Who is acting, for the audit trail: $ATTEST_ACTOR, else the login. */
static const char *
cli_actor(void)
{
	const char *a = getenv("ATTEST_ACTOR");
	struct passwd *pw;

	if (a && *a)
		return a;
	if ((a = getenv("USER")) && *a)
		return a;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : NULL;
}

int
cli_open(const struct cli_args *a, struct attest_workspace **ws)
{
	char *dir = NULL;
	int rc;

	if ((rc = attest_workspace_find(&dir, a->dir)) < 0)
		return rc;
	rc = attest_workspace_open(ws, dir);
	free(dir);
	if (rc == 0)
		attest_workspace_set_command(*ws, cli_actor(), cli_command);
	return rc;
}

int
cli_assess(const struct cli_args *a, struct attest_workspace **ws,
           struct attest_assessment **as)
{
	int64_t as_of;
	int rc;

	if ((rc = cli_as_of(a, &as_of)) < 0 || (rc = cli_open(a, ws)) < 0)
		return rc;
	return attest_assess(*ws, as_of, as);
}

int
cli_as_of(const struct cli_args *a, int64_t *out)
{
	const char *s = cli_get(a, "as-of");
	int rc;

	if (s == NULL) {
		*out = attest_now();
		return 0;
	}
	if ((rc = attest_date_parse(out, s)) < 0)
		return attest_error_set(rc, "--as-of: %s", attest_error_last());
	if (strlen(s) == 10) /* a date: its whole day counts */
		*out += ATTEST_DAY - 1;
	return 0;
}

char **
cli_split(const char *s, size_t *n)
{
	char **list = xcalloc(strlen(s) + 2, sizeof(*list));
	const char *p = s;

	*n = 0;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && (*p == ' ')) {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (len)
			list[(*n)++] = xstrndup(p, len);
		if (!comma)
			break;
		p = comma + 1;
	}
	return list;
}

void
cli_free_list(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

int
cli_print_json(json_t *v)
{
	int rc = json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	fputc('\n', stdout);
	json_decref(v);
	return rc == 0 ? EXIT_OK : cli_fail("cannot write JSON");
}

void
cli_wrap(FILE *out, const char *text, int indent, int width)
{
	int col = 0;
	const char *p = text;

	while (*p) {
		const char *w = p;
		int len;
		while (*w && *w != ' ' && *w != '\n')
			w++;
		len = (int)(w - p);
		if (col == 0) {
			fprintf(out, "%*s", indent, "");
			col = indent;
		} else if (col + 1 + len > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, (size_t)len, out);
		col += len;
		p = w;
		while (*p == ' ')
			p++;
		if (*p == '\n') {
			fputc('\n', out);
			col = 0;
			p++;
		}
	}
	if (col)
		fputc('\n', out);
}

int
cli_u64(const char *s, uint64_t *out)
{
	return s && attest_parse_u64(s, strlen(s), out) == NULL ? 0 : -1;
}
