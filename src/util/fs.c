/*
 * File-system helpers: joining paths, creating directories, bounded reads
 * and atomic writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest/error.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/fs.h"

char *
attest_path_join(const char *dir, const char *name)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	size_t n = strlen(dir);

	attest_buf_puts(&b, dir);
	if (n == 0 || dir[n - 1] != '/')
		attest_buf_putc(&b, '/');
	attest_buf_puts(&b, name);
	return attest_buf_detach(&b);
}

bool
attest_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
attest_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int
attest_mkdir_p(const char *path)
{
	char *copy = xstrdup(path);
	int rc = 0;

	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			rc = attest_error_set(ATTEST_EIO, "%s: %s", copy,
			                      strerror(errno));
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	return rc;
}

int
attest_read_file(char **out, size_t *len, const char *path, size_t max)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	char block[65536];
	size_t n;
	FILE *f;
	int rc = 0;

	b.max = max;
	if ((f = fopen(path, "rb")) == NULL)
		return attest_error_set(ATTEST_EIO, "%s: %s", path,
		                        strerror(errno));
	while ((n = fread(block, 1, sizeof(block), f)) > 0) {
		if (attest_buf_put(&b, block, n) < 0) {
			rc = attest_error_set(ATTEST_EINVALID,
			                      "%s: larger than %zu bytes", path,
			                      max);
			break;
		}
	}
	if (rc == 0 && ferror(f))
		rc = attest_error_set(ATTEST_EIO, "%s: read error", path);
	fclose(f);
	if (rc < 0) {
		attest_buf_free(&b);
		return rc;
	}
	if (len)
		*len = b.len;
	*out = attest_buf_detach(&b);
	return 0;
}

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Opens a fresh temporary file next to path; *tmp is allocated. */
static int
open_temp(char **tmp, const char *path)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	int fd;

	attest_buf_printf(&b, "%s.tmp-XXXXXX", path);
	*tmp = attest_buf_detach(&b);
	if ((fd = mkstemp(*tmp)) < 0)
		return attest_error_set(ATTEST_EIO, "%s: %s", path,
		                        strerror(errno));
	return fd;
}

static int
finish_temp(int fd, char *tmp, const char *path, int failed)
{
	int rc = 0;

	if (!failed && fsync(fd) < 0)
		failed = 1;
	if (close(fd) < 0)
		failed = 1;
	if (!failed && rename(tmp, path) < 0)
		failed = 1;
	if (failed) {
		rc = attest_error_set(ATTEST_EIO, "%s: %s", path,
		                      strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

int
attest_write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = NULL;
	int fd = open_temp(&tmp, path);

	if (fd < 0) {
		free(tmp);
		return fd;
	}
	return finish_temp(fd, tmp, path, write_all(fd, data, len) < 0);
}

int
attest_copy_file_atomic(const char *dst, const char *src)
{
	char block[65536], *tmp = NULL;
	int in, out, failed = 0;
	ssize_t n;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return attest_error_set(ATTEST_EIO, "%s: %s", src,
		                        strerror(errno));
	if ((out = open_temp(&tmp, dst)) < 0) {
		close(in);
		free(tmp);
		return out;
	}
	while ((n = read(in, block, sizeof(block))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			failed = 1;
			break;
		}
		if (write_all(out, block, (size_t)n) < 0) {
			failed = 1;
			break;
		}
	}
	close(in);
	return finish_temp(out, tmp, dst, failed);
}

char *
attest_realpath(const char *path)
{
	return realpath(path, NULL);
}
