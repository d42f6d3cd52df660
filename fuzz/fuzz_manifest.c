/*
 * Fuzz target: the bundle MANIFEST parser. An accepted manifest has only
 * safe paths and formats back to the same bytes (it is already sorted, so
 * formatting must not reorder it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlog/manifest.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An independent check of what the parser promises about paths. */
static int
path_safe(const char *path)
{
	const char *c = path;

	if (*path == '\0' || *path == '/' || strchr(path, '\\'))
		return 0;
	for (;;) {
		const char *slash = strchr(c, '/');
		size_t n = slash ? (size_t)(slash - c) : strlen(c);
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)c[i] <= ' ' || c[i] == 0x7f)
				return 0;
		if (slash == NULL)
			return 1;
		c = slash + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct tlog_manifest m;
	struct attest_buf b = ATTEST_BUF_INIT;

	if (size)
		memcpy(text, data, size);
	if (tlog_manifest_parse(&m, text, size) == 0) {
		for (size_t i = 0; i < m.nfiles; i++) {
			if (!path_safe(m.files[i].path))
				abort();
			if (i > 0 &&
			    strcmp(m.files[i - 1].path, m.files[i].path) >= 0)
				abort();
		}
		if (m.first > m.end || m.end > m.size ||
		    tlog_manifest_format(&b, &m) < 0)
			abort();
		if (b.len != size || memcmp(b.ptr, text, size) != 0)
			abort();
		tlog_manifest_free(&m);
	}
	attest_buf_free(&b);
	free(text);
	return 0;
}
