/*
 * Helpers over libyaml's document (node) API for strict readers: every
 * accessor checks the node type, and every error names the file, line,
 * column and field. Used by the catalog loader and the workspace content
 * reader; shared by any later YAML reader (checks, policies).
 */
#ifndef ATTEST_CATALOG_YAML_DOC_H
#define ATTEST_CATALOG_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

struct attest_arena;

struct attest_ydoc {
	yaml_document_t doc;
	const char *name;           /* for messages */
	struct attest_arena *arena; /* where strings are copied */
	bool loaded;
};

/* Parses data as one YAML document. Errors: ATTEST_EINVALID, placed. */
int attest_ydoc_load(struct attest_ydoc *d, const char *name, const char *data,
                     size_t len, struct attest_arena *arena);
void attest_ydoc_free(struct attest_ydoc *d);

/* The root node, or NULL for an empty document. */
yaml_node_t *attest_ydoc_root(struct attest_ydoc *d);
yaml_node_t *attest_ydoc_node(struct attest_ydoc *d, int index);

/* Records "name:line:col: message" and returns ATTEST_EINVALID. */
int attest_ydoc_error(struct attest_ydoc *d, const yaml_node_t *n,
                      const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Line (1-based) of a node. */
int attest_ydoc_line(const yaml_node_t *n);

/* The node is a scalar: copies it into the arena. what names the field. */
int attest_ydoc_str(struct attest_ydoc *d, yaml_node_t *n, const char *what,
                    const char **out);
int attest_ydoc_bool(struct attest_ydoc *d, yaml_node_t *n, const char *what,
                     bool *out);
int attest_ydoc_int(struct attest_ydoc *d, yaml_node_t *n, const char *what,
                    long min, long max, long *out);

/* The node is a sequence of scalars: an arena array of strings. */
int attest_ydoc_strlist(struct attest_ydoc *d, yaml_node_t *n, const char *what,
                        const char ***out, size_t *count);

/* Requires the node to be a mapping / a sequence, naming what. */
int attest_ydoc_expect(struct attest_ydoc *d, yaml_node_t *n,
                       yaml_node_type_t type, const char *what);

/* The scalar text of a mapping key (borrowed), or NULL if not a scalar. */
const char *attest_ydoc_key(struct attest_ydoc *d, yaml_node_pair_t *pair);

#endif
