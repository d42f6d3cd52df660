/*
 * The command-line front end: a table of commands, each with its option
 * specs, from which parsing and --help text are generated (after tmux's
 * cmd_entry). Commands only parse, call the library and render.
 */
#ifndef ATTEST_CLI_H
#define ATTEST_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct attest_workspace;

/* Exit statuses. */
#define EXIT_OK    0
#define EXIT_ERR   1
#define EXIT_USAGE 2

struct cli_opt {
	const char *name; /* long name without "--" */
	char short_name;  /* 0: none */
	const char *arg;  /* metavariable, or NULL for a flag */
	const char *help;
};

struct cli_args {
	const struct cli_cmd *cmd;
	char **pos; /* positional arguments */
	size_t npos;
	const struct cli_opt *opts;
	char ***values; /* per option: its values in order */
	size_t *nvalues;
	const char *dir; /* -C */
};

struct cli_cmd {
	const char *name;        /* "control set" */
	const char *usage;       /* after the name: "ID --status STATUS ..." */
	const char *summary;     /* one line */
	const char *description; /* paragraphs for --help */
	const struct cli_opt *opts;
	size_t min_pos, max_pos; /* positional argument bounds */
	int (*exec)(struct cli_args *args);
};

/* The last value of an option, or NULL. */
const char *cli_get(const struct cli_args *a, const char *name);
/* Every value of a repeatable option; *n receives the count. */
char **cli_all(const struct cli_args *a, const char *name, size_t *n);
bool cli_flag(const struct cli_args *a, const char *name);

/* Prints "attest: msg" to stderr and returns EXIT_ERR / EXIT_USAGE. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage(const struct cli_cmd *cmd, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Maps a library error code to an exit status, printing the message. */
int cli_error(int code);

/* The command line as a JSON array (set by main), for the audit trail. */
extern char *cli_command;

/* Opens the workspace chosen by -C / ATTEST_DIR / the current directory,
 * naming the actor and cli_command for the audit trail. */
int cli_open(const struct cli_args *a, struct attest_workspace **ws);

/* Opens the workspace and assesses it as of --as-of (default now). The
 * caller frees both, also on error. */
struct attest_assessment;
int cli_assess(const struct cli_args *a, struct attest_workspace **ws,
               struct attest_assessment **as);

/* Parses --as-of (a date means the end of that day), default now. */
int cli_as_of(const struct cli_args *a, int64_t *out);

/* A ledger index or size: decimal digits only; 0 or -1. */
int cli_u64(const char *s, uint64_t *out);

/* Splits "a,b,c" into a NULL-terminated array (free with cli_free_list). */
char **cli_split(const char *s, size_t *n);
void cli_free_list(char **list);

/* Prints a JSON value to stdout (jansson) and releases it. */
struct json_t;
int cli_print_json(struct json_t *v);

/* Wraps text to width with indent, for terminal output. */
void cli_wrap(FILE *out, const char *text, int indent, int width);

/* --log-key and --trusted FILE[@DATE], read into checker options. */
#include "tlog/check.h"
struct cli_check {
	struct tlog_check_opts opts;
	struct tlog_verifier *keys;
	size_t nkeys;
	struct tlog_trusted *trusted;
	char **notes;
	size_t ntrusted;
};
int cli_check_opts(const struct cli_args *a, struct cli_check *c);
void cli_check_free(struct cli_check *c);
/* Prints findings and a summary line (or JSON); returns status. */
int cli_print_report(const struct cli_args *a,
                     const struct tlog_check_report *r, int status);

extern const struct cli_cmd *const cli_commands[];

#endif
