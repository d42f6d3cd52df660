/*
 * The MANIFEST of an auditor bundle: the text the log key signs to vouch
 * for every file in the bundle (see manifest.h for the format).
 *
 * The manifest decides which files a verifier opens, so its paths are
 * checked as if hostile: relative, '/'-separated, no empty, "." or ".."
 * components, no backslashes, spaces or control characters. Anything else
 * could point outside the bundle directory or name one file two ways.
 * Files are listed sorted by path with no duplicates, so a manifest has one
 * text for one set of files and a parsed manifest formats back to the same
 * bytes. Signing and verifying the note around it are note.c's business.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/error.h"
#include "tlog/manifest.h"
#include "util/alloc.h"
#include "util/decimal.h"
#include "util/buf.h"

#define MANIFEST_HEADER "attest.dev/bundle@v1"
#define PATH_MAX_LEN    4096

/* Length of the well-formed UTF-8 sequence at p (no overlong forms, no
   surrogates, nothing above U+10FFFF), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t len)
{
	unsigned char c = p[0];
	size_t k;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, cp = c & 0x07;
	else
		return 0;
	if (len < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* NULL when s[0..n) is non-empty UTF-8 without control characters (and
   without spaces unless spaces is set), else what is wrong. */
static const char *
check_field(const char *s, size_t n, int spaces)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 0)
		return "empty";
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len(u + i, n - i);
		if (k == 0)
			return "invalid UTF-8";
		if (u[i] < 0x20 || u[i] == 0x7f)
			return "control character";
		if (u[i] == ' ' && !spaces)
			return "space";
		i += k;
	}
	return NULL;
}

static const char *
check_path(const char *p, size_t n)
{
	const char *why;
	size_t start = 0;

	if (n == 0)
		return "empty path";
	if (n > PATH_MAX_LEN)
		return "path too long";
	if (p[0] == '/')
		return "absolute path";
	if (memchr(p, '\\', n) != NULL)
		return "backslash in path";
	if ((why = check_field(p, n, 0)) != NULL)
		return why;
	for (size_t i = 0; i <= n; i++) {
		size_t len;
		if (i < n && p[i] != '/')
			continue;
		len = i - start;
		if (len == 0)
			return "empty path component";
		if ((len == 1 && p[start] == '.') ||
		    (len == 2 && p[start] == '.' && p[start + 1] == '.'))
			return "'.' or '..' path component";
		start = i + 1;
	}
	return NULL;
}

static int
compare_files(const void *a, const void *b)
{
	const struct tlog_manifest_file *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static int
format_fail(const char *field, const char *why)
{
	attest_error_set(ATTEST_EINVALID, "manifest: %s: %s", field, why);
	return -1;
}

int
tlog_manifest_format(struct attest_buf *out, struct tlog_manifest *m)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	const char *why;
	int rc = -1;

	if (m->origin == NULL ||
	    (why = check_field(m->origin, strlen(m->origin), 1)) != NULL)
		return format_fail("origin", m->origin ? why : "missing");
	if (m->first > m->end || m->end > m->size)
		return format_fail("period", "not within [0, size)");
	if (m->from == NULL ||
	    (why = check_field(m->from, strlen(m->from), 0)) != NULL)
		return format_fail("from", m->from ? why : "missing");
	if (m->to == NULL ||
	    (why = check_field(m->to, strlen(m->to), 0)) != NULL)
		return format_fail("to", m->to ? why : "missing");
	if (m->nfiles > 1)
		qsort(m->files, m->nfiles, sizeof(*m->files), compare_files);
	for (size_t i = 0; i < m->nfiles; i++) {
		const char *path = m->files[i].path;
		if (path == NULL)
			return format_fail("file", "missing path");
		if ((why = check_path(path, strlen(path))) != NULL) {
			attest_error_set(ATTEST_EINVALID, "manifest: %s: %s",
			                 path, why);
			return -1;
		}
		if (i > 0 && strcmp(m->files[i - 1].path, path) == 0) {
			attest_error_set(ATTEST_EINVALID,
			                 "manifest: %s: listed twice", path);
			return -1;
		}
	}
	attest_buf_printf(&b,
	                  MANIFEST_HEADER "\norigin %s\nsize %" PRIu64
	                                  "\nperiod %" PRIu64 " %" PRIu64
	                                  "\nfrom %s to %s\n",
	                  m->origin, m->size, m->first, m->end, m->from, m->to);
	for (size_t i = 0; i < m->nfiles; i++) {
		const struct tlog_manifest_file *f = &m->files[i];
		attest_buf_puts(&b, "file ");
		for (size_t j = 0; j < 32; j++)
			attest_buf_printf(&b, "%02x", f->sha256[j]);
		attest_buf_printf(&b, " %" PRIu64 " %s\n", f->size, f->path);
	}
	if (attest_buf_put(out, b.ptr, b.len) == 0)
		rc = 0;
	attest_buf_free(&b);
	return rc;
}

void
tlog_manifest_free(struct tlog_manifest *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i].path);
	free(m->files);
	free(m->origin);
	free(m->from);
	free(m->to);
	memset(m, 0, sizeof(*m));
}

static int
parse_fail(struct tlog_manifest *m, size_t line, const char *field,
           const char *why)
{
	tlog_manifest_free(m);
	attest_error_set(ATTEST_EINVALID, "manifest: line %zu: %s: %s", line,
	                 field, why);
	return -1;
}

/* If s[0..n) starts with "<keyword> ", the rest after it; else NULL. */
static const char *
after(const char *s, size_t n, const char *keyword, size_t *rest)
{
	size_t k = strlen(keyword);

	if (n < k + 1 || memcmp(s, keyword, k) != 0 || s[k] != ' ')
		return NULL;
	*rest = n - k - 1;
	return s + k + 1;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "file <64 hex> <size> <path>" into f (path allocated on success). */
static const char *
parse_file(struct tlog_manifest_file *f, const char *s, size_t n)
{
	const char *p, *sp, *why;
	size_t rest;

	if ((p = after(s, n, "file", &rest)) == NULL)
		return "expected \"file <sha256> <bytes> <path>\"";
	if (rest < 65 || p[64] != ' ')
		return "sha256 is not 64 hex digits";
	for (size_t i = 0; i < 32; i++) {
		int hi = hex_digit(p[2 * i]), lo = hex_digit(p[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return "sha256 is not 64 lower-case hex digits";
		f->sha256[i] = (uint8_t)(hi << 4 | lo);
	}
	p += 65;
	rest -= 65;
	if ((sp = memchr(p, ' ', rest)) == NULL)
		return "missing path";
	if ((why = attest_parse_u64(p, (size_t)(sp - p), &f->size)) != NULL)
		return why;
	rest -= (size_t)(sp - p) + 1;
	p = sp + 1;
	if ((why = check_path(p, rest)) != NULL)
		return why;
	f->path = xstrndup(p, rest);
	return NULL;
}

int
tlog_manifest_parse(struct tlog_manifest *m, const char *text, size_t len)
{
	const char *lines[5], *p, *q, *sp, *why, *end = text + len;
	size_t lens[5], rest, line, cap = 0;

	memset(m, 0, sizeof(*m));
	p = text;
	for (line = 1; line <= 5; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return parse_fail(m, line, "line",
			                  p == end ? "missing"
			                           : "no newline at end");
		lines[line - 1] = p;
		lens[line - 1] = (size_t)(nl - p);
		p = nl + 1;
	}
	if (lens[0] != strlen(MANIFEST_HEADER) ||
	    memcmp(lines[0], MANIFEST_HEADER, lens[0]) != 0)
		return parse_fail(m, 1, "header", "not " MANIFEST_HEADER);
	if ((q = after(lines[1], lens[1], "origin", &rest)) == NULL)
		return parse_fail(m, 2, "origin",
		                  "expected \"origin <origin>\"");
	if ((why = check_field(q, rest, 1)) != NULL)
		return parse_fail(m, 2, "origin", why);
	m->origin = xstrndup(q, rest);
	if ((q = after(lines[2], lens[2], "size", &rest)) == NULL)
		return parse_fail(m, 3, "size", "expected \"size <decimal>\"");
	if ((why = attest_parse_u64(q, rest, &m->size)) != NULL)
		return parse_fail(m, 3, "size", why);
	if ((q = after(lines[3], lens[3], "period", &rest)) == NULL ||
	    (sp = memchr(q, ' ', rest)) == NULL)
		return parse_fail(m, 4, "period",
		                  "expected \"period <first> <end>\"");
	if ((why = attest_parse_u64(q, (size_t)(sp - q), &m->first)) != NULL ||
	    (why = attest_parse_u64(sp + 1, rest - (size_t)(sp - q) - 1,
	                            &m->end)) != NULL)
		return parse_fail(m, 4, "period", why);
	if (m->first > m->end || m->end > m->size)
		return parse_fail(m, 4, "period", "not within [0, size)");
	if ((q = after(lines[4], lens[4], "from", &rest)) == NULL ||
	    (sp = memchr(q, ' ', rest)) == NULL)
		return parse_fail(m, 5, "from",
		                  "expected \"from <date> to "
		                  "<date>\"");
	if ((why = check_field(q, (size_t)(sp - q), 0)) != NULL)
		return parse_fail(m, 5, "from", why);
	m->from = xstrndup(q, (size_t)(sp - q));
	rest -= (size_t)(sp - q) + 1;
	if ((q = after(sp + 1, rest, "to", &rest)) == NULL)
		return parse_fail(m, 5, "to",
		                  "expected \"from <date> to "
		                  "<date>\"");
	if ((why = check_field(q, rest, 0)) != NULL)
		return parse_fail(m, 5, "to", why);
	m->to = xstrndup(q, rest);

	for (; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct tlog_manifest_file f;

		if (nl == NULL)
			return parse_fail(m, line, "line", "no newline at end");
		memset(&f, 0, sizeof(f));
		if ((why = parse_file(&f, p, (size_t)(nl - p))) != NULL)
			return parse_fail(m, line, "file", why);
		/* Sorted and unique: one file set has one manifest text, and
		   a duplicate cannot carry two hashes for one path. */
		if (m->nfiles > 0) {
			int c = strcmp(m->files[m->nfiles - 1].path, f.path);
			if (c >= 0) {
				free(f.path);
				return parse_fail(
				        m, line, "file",
				        c == 0 ? "listed twice"
				               : "not sorted by path");
			}
		}
		xgrow(&m->files, &cap, m->nfiles + 1, sizeof(*m->files));
		m->files[m->nfiles++] = f;
		p = nl + 1;
	}
	return 0;
}
