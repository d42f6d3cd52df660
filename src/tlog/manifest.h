/*
 * The MANIFEST of an auditor bundle: a signed note (signed by the log key)
 * whose text is
 *
 *   attest.dev/bundle@v1
 *   origin <checkpoint origin>
 *   size <tree size of the bundle's checkpoint>
 *   period <first index> <end index>      entries whose payloads are in
 *   from <ISO date> to <ISO date>         the period asked for
 *   file <sha256 hex> <bytes> <path>      one per file, sorted by path
 *
 * Paths are relative, '/'-separated, without "." or ".." parts.
 */
#ifndef ATTEST_TLOG_MANIFEST_H
#define ATTEST_TLOG_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct tlog_manifest_file {
	char *path;
	uint8_t sha256[32];
	uint64_t size;
};

struct tlog_manifest {
	char *origin;
	uint64_t size;
	uint64_t first, end; /* entries [first, end) carry payloads */
	char *from, *to;     /* the period, as given */
	struct tlog_manifest_file *files;
	size_t nfiles;
};

/* Appends the manifest text (sorting files by path) to out. */
int tlog_manifest_format(struct attest_buf *out, struct tlog_manifest *m);
/* Strict parse of the text (not the signatures). 0, or -1 with a message
 * naming the line. Refuses unsafe paths and duplicates. */
int tlog_manifest_parse(struct tlog_manifest *m, const char *text, size_t len);
void tlog_manifest_free(struct tlog_manifest *m);

#endif
