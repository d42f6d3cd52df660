/*
 * Small file-system helpers. Paths are plain C strings; results that are
 * allocated are freed by the caller with free().
 */
#ifndef ATTEST_UTIL_FS_H
#define ATTEST_UTIL_FS_H

#include <stdbool.h>
#include <stddef.h>

/* dir + "/" + name, newly allocated. */
char *attest_path_join(const char *dir, const char *name);

bool attest_is_dir(const char *path);
bool attest_exists(const char *path);

/* Creates path and its missing parents with mode 0755. */
int attest_mkdir_p(const char *path);

/*
 * Reads a whole file into *out (NUL-terminated; free()), refusing files
 * larger than max bytes. Errors name the file.
 */
int attest_read_file(char **out, size_t *len, const char *path, size_t max);

/*
 * Copies src to dst through a temporary file in dst's directory and an
 * atomic rename, with fsync, so dst is either absent or complete.
 */
int attest_copy_file_atomic(const char *dst, const char *src);

/* Writes data to path atomically (temporary file, fsync, rename). */
int attest_write_file_atomic(const char *path, const void *data, size_t len);

/* The absolute, symlink-free form of path (free()); NULL if it fails. */
char *attest_realpath(const char *path);

#endif
