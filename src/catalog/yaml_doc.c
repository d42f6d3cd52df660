/*
 * Strict accessors over libyaml documents; see yaml_doc.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/error.h"
#include "catalog/yaml_doc.h"
#include "util/arena.h"
#include "util/buf.h"

int
attest_ydoc_load(struct attest_ydoc *d, const char *name, const char *data,
                 size_t len, struct attest_arena *arena)
{
	yaml_parser_t parser;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	d->name = name;
	d->arena = arena;
	if (!yaml_parser_initialize(&parser))
		return attest_error_set(ATTEST_ERROR, "%s: yaml init", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &d->doc)) {
		rc = attest_error_set(
		        ATTEST_EINVALID, "%s:%zu:%zu: malformed YAML: %s%s%s",
		        name, parser.problem_mark.line + 1,
		        parser.problem_mark.column + 1,
		        parser.problem ? parser.problem : "syntax error",
		        parser.context ? " " : "",
		        parser.context ? parser.context : "");
	} else {
		d->loaded = true;
	}
	yaml_parser_delete(&parser);
	return rc;
}

void
attest_ydoc_free(struct attest_ydoc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = false;
}

yaml_node_t *
attest_ydoc_root(struct attest_ydoc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

yaml_node_t *
attest_ydoc_node(struct attest_ydoc *d, int index)
{
	return yaml_document_get_node(&d->doc, index);
}

int
attest_ydoc_line(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 0;
}

int
attest_ydoc_error(struct attest_ydoc *d, const yaml_node_t *n, const char *fmt,
                  ...)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	va_list ap;

	if (n)
		attest_buf_printf(&b, "%s:%zu:%zu: ", d->name,
		                  n->start_mark.line + 1,
		                  n->start_mark.column + 1);
	else
		attest_buf_printf(&b, "%s: ", d->name);
	va_start(ap, fmt);
	attest_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	attest_error_set(ATTEST_EINVALID, "%s", attest_buf_cstr(&b));
	attest_buf_free(&b);
	return ATTEST_EINVALID;
}

static const char *
type_name(yaml_node_type_t t)
{
	switch (t) {
	case YAML_SCALAR_NODE:
		return "a value";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

int
attest_ydoc_expect(struct attest_ydoc *d, yaml_node_t *n, yaml_node_type_t type,
                   const char *what)
{
	if (n == NULL || n->type != type)
		return attest_ydoc_error(d, n, "%s: expected %s, found %s",
		                         what, type_name(type),
		                         n ? type_name(n->type) : "nothing");
	return 0;
}

int
attest_ydoc_str(struct attest_ydoc *d, yaml_node_t *n, const char *what,
                const char **out)
{
	int rc;

	if ((rc = attest_ydoc_expect(d, n, YAML_SCALAR_NODE, what)) < 0)
		return rc;
	if (memchr(n->data.scalar.value, '\0', n->data.scalar.length))
		return attest_ydoc_error(d, n, "%s: contains a NUL byte", what);
	*out = attest_arena_strndup(d->arena,
	                            (const char *)n->data.scalar.value,
	                            n->data.scalar.length);
	return 0;
}

int
attest_ydoc_bool(struct attest_ydoc *d, yaml_node_t *n, const char *what,
                 bool *out)
{
	const char *s;
	int rc;

	if ((rc = attest_ydoc_str(d, n, what, &s)) < 0)
		return rc;
	if (!strcmp(s, "true") || !strcmp(s, "yes"))
		*out = true;
	else if (!strcmp(s, "false") || !strcmp(s, "no"))
		*out = false;
	else
		return attest_ydoc_error(d, n, "%s: '%s' is not true or false",
		                         what, s);
	return 0;
}

int
attest_ydoc_int(struct attest_ydoc *d, yaml_node_t *n, const char *what,
                long min, long max, long *out)
{
	const char *s;
	char *end;
	long v;
	int rc;

	if ((rc = attest_ydoc_str(d, n, what, &s)) < 0)
		return rc;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < min || v > max)
		return attest_ydoc_error(d, n,
		                         "%s: '%s' is not a whole number from "
		                         "%ld to %ld",
		                         what, s, min, max);
	*out = v;
	return 0;
}

int
attest_ydoc_strlist(struct attest_ydoc *d, yaml_node_t *n, const char *what,
                    const char ***out, size_t *count)
{
	yaml_node_item_t *it;
	const char **list;
	size_t i = 0;
	int rc;

	if ((rc = attest_ydoc_expect(d, n, YAML_SEQUENCE_NODE, what)) < 0)
		return rc;
	*count = (size_t)(n->data.sequence.items.top -
	                  n->data.sequence.items.start);
	list = attest_arena_calloc(d->arena, *count + 1, sizeof(*list));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++)
		if ((rc = attest_ydoc_str(d, attest_ydoc_node(d, *it), what,
		                          &list[i])) < 0)
			return rc;
	*out = list;
	return 0;
}

const char *
attest_ydoc_key(struct attest_ydoc *d, yaml_node_pair_t *pair)
{
	yaml_node_t *k = attest_ydoc_node(d, pair->key);

	if (k == NULL || k->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)k->data.scalar.value;
}
