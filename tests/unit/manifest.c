/*
 * The bundle MANIFEST: formatting sorts the files, parsing gives back the
 * same manifest, and unsafe paths, duplicates, disorder and malformed
 * lines are refused with the line number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attest/error.h"
#include "tlog/manifest.h"
#include "util/buf.h"

#define HEAD                                                                   \
	"attest.dev/bundle@v1\n"                                               \
	"origin ledger.example.com/acme-corp/evidence\n"                       \
	"size 1048576\n"                                                       \
	"period 1000 2000\n"                                                   \
	"from 2026-01-01 to 2026-03-31\n"
#define HEX_A "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define HEX_B "0000000000000000000000000000000000000000000000000000000000000001"

static void
test_manifest__roundtrip(void **state)
{
	static const char want[] =
	        HEAD "file " HEX_B " 96 checkpoint\n"
	             "file " HEX_A " 0 log.vkey\n"
	             "file " HEX_A " 8192 tile/0/000\n"
	             "file " HEX_A " 8192 tile/0/001\n"
	             "file " HEX_A " 70000 tile/entries/000\n";
	struct tlog_manifest m, back;
	struct tlog_manifest_file files[5];
	struct attest_buf out = ATTEST_BUF_INIT, again = ATTEST_BUF_INIT;
	static const char *const paths[5] = {"tile/0/001", "log.vkey",
	                                     "tile/entries/000", "checkpoint",
	                                     "tile/0/000"};
	static const uint64_t sizes[5] = {8192, 0, 70000, 96, 8192};

	(void)state;
	memset(&m, 0, sizeof(m));
	m.origin = "ledger.example.com/acme-corp/evidence";
	m.size = 1048576;
	m.first = 1000;
	m.end = 2000;
	m.from = "2026-01-01";
	m.to = "2026-03-31";
	/* "checkpoint" gets HEX_B, the others the hash of "" (HEX_A) */
	for (int i = 0; i < 5; i++) {
		static const uint8_t empty_sha256[32] = {
		        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14,
		        0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
		        0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c,
		        0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};
		files[i].path = (char *)paths[i];
		files[i].size = sizes[i];
		memcpy(files[i].sha256, empty_sha256, 32);
		if (strcmp(paths[i], "checkpoint") == 0) {
			memset(files[i].sha256, 0, 32);
			files[i].sha256[31] = 1;
		}
	}
	m.files = files;
	m.nfiles = 5;
	assert_int_equal(tlog_manifest_format(&out, &m), 0);
	assert_string_equal(out.ptr, want);
	/* sorted in place */
	assert_string_equal(m.files[0].path, "checkpoint");

	assert_int_equal(tlog_manifest_parse(&back, out.ptr, out.len), 0);
	assert_string_equal(back.origin, m.origin);
	assert_true(back.size == 1048576 && back.first == 1000 &&
	            back.end == 2000);
	assert_string_equal(back.from, "2026-01-01");
	assert_string_equal(back.to, "2026-03-31");
	assert_int_equal(back.nfiles, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(back.files[i].path, m.files[i].path);
		assert_true(back.files[i].size == m.files[i].size);
		assert_memory_equal(back.files[i].sha256, m.files[i].sha256,
		                    32);
	}
	assert_int_equal(tlog_manifest_format(&again, &back), 0);
	assert_string_equal(again.ptr, want);
	tlog_manifest_free(&back);
	assert_null(back.files);

	/* no files at all */
	assert_int_equal(tlog_manifest_parse(&back, HEAD, strlen(HEAD)), 0);
	assert_int_equal(back.nfiles, 0);
	tlog_manifest_free(&back);

	/* an empty period at the end of the log */
	{
		static const char empty[] = "attest.dev/bundle@v1\norigin o\n"
		                            "size 0\nperiod 0 0\nfrom a to b\n";
		assert_int_equal(
		        tlog_manifest_parse(&back, empty, strlen(empty)), 0);
	}
	tlog_manifest_free(&back);

	/* format refuses what parse would refuse */
	files[0].path = (char *)"a/../b";
	assert_int_equal(tlog_manifest_format(&out, &m), -1);
	files[0].path = (char *)"log.vkey";
	assert_int_equal(tlog_manifest_format(&out, &m), -1);
	assert_non_null(strstr(attest_error_last(), "twice"));
	files[0].path = (char *)"checkpoint";
	m.end = m.size + 1;
	assert_int_equal(tlog_manifest_format(&out, &m), -1);
	m.end = 2000;
	m.from = (char *)"2026-01-01 x";
	assert_int_equal(tlog_manifest_format(&out, &m), -1);
	m.from = "2026-01-01";
	m.origin = "";
	assert_int_equal(tlog_manifest_format(&out, &m), -1);
	attest_buf_free(&out);
	attest_buf_free(&again);
}

static void
test_manifest__rejects(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
	        {"", "line 1"},
	        {"attest.dev/bundle@v1\n", "line 2"},
	        {"attest.dev/bundle@v2\norigin o\nsize 1\nperiod 0 1\n"
	         "from a to b\n",
	         "line 1: header"},
	        {"attest.dev/bundle@v1\norigin \nsize 1\nperiod 0 1\n"
	         "from a to b\n",
	         "line 2: origin"},
	        {"attest.dev/bundle@v1\norigin o\x7f\nsize 1\nperiod 0 1\n"
	         "from a to b\n",
	         "line 2: origin"},
	        {"attest.dev/bundle@v1\norigin o\nsize 01\nperiod 0 1\n"
	         "from a to b\n",
	         "line 3: size: leading zero"},
	        {"attest.dev/bundle@v1\norigin o\nsize 1\nperiod 1 0\n"
	         "from a to b\n",
	         "line 4: period"},
	        {"attest.dev/bundle@v1\norigin o\nsize 1\nperiod 0 2\n"
	         "from a to b\n",
	         "line 4: period"},
	        {"attest.dev/bundle@v1\norigin o\nsize 1\nperiod 0\n"
	         "from a to b\n",
	         "line 4: period"},
	        {"attest.dev/bundle@v1\norigin o\nsize 1\nperiod 0  1\n"
	         "from a to b\n",
	         "line 4: period"},
	        {"attest.dev/bundle@v1\norigin o\nsize 1\nperiod 0 1\n"
	         "from a b\n",
	         "line 5: to"},
	        {"attest.dev/bundle@v1\norigin o\nsize 1\nperiod 0 1\n"
	         "from a to b c\n",
	         "line 5: to"},
	        {"attest.dev/bundle@v1\norigin o\nsize 1\nperiod 0 1\n"
	         "from  to b\n",
	         "line 5: from"},
	        {"attest.dev/bundle@v1\norigin o\nsize 1\nperiod 0 1\n"
	         "from a to b",
	         "line 5"},
	        {HEAD "file " HEX_A " 1 a", "line 6"},
	        {HEAD "file " HEX_A " 1 a\n\n", "line 7"},
	        {HEAD "file " HEX_A " 1 /etc/passwd\n", "absolute"},
	        {HEAD "file " HEX_A " 1 ../x\n", "'..'"},
	        {HEAD "file " HEX_A " 1 a/../../x\n", "'..'"},
	        {HEAD "file " HEX_A " 1 ./x\n", "'.'"},
	        {HEAD "file " HEX_A " 1 a/./x\n", "'.'"},
	        {HEAD "file " HEX_A " 1 ..\n", "'..'"},
	        {HEAD "file " HEX_A " 1 a//b\n", "empty path component"},
	        {HEAD "file " HEX_A " 1 a/\n", "empty path component"},
	        {HEAD "file " HEX_A " 1 a\\b\n", "backslash"},
	        {HEAD "file " HEX_A " 1 a\x1b[31mb\n", "control"},
	        {HEAD "file " HEX_A " 1 a\tb\n", "control"},
	        {HEAD "file " HEX_A " 1 a b\n", "space"},
	        {HEAD "file " HEX_A " 1 a\xc0\xaf\n", "UTF-8"},
	        {HEAD "file " HEX_A " 1 \n", "empty path"},
	        {HEAD "file " HEX_A " 1\n", "missing path"},
	        {HEAD "file " HEX_A " 01 a\n", "leading zero"},
	        {HEAD "file " HEX_A " -1 a\n", "decimal"},
	        {HEAD "file " HEX_A " 18446744073709551616 a\n", "too large"},
	        {HEAD "file E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA4"
	              "95991B7852B855 1 a\n",
	         "hex"},
	        {HEAD "file e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4"
	              "95991b7852b85 1 a\n",
	         "hex"},
	        {HEAD "file e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4"
	              "95991b7852b8555 1 a\n",
	         "hex"},
	        {HEAD "files " HEX_A " 1 a\n", "line 6: file"},
	        {HEAD "file " HEX_A " 1 b\nfile " HEX_A " 1 a\n",
	         "line 7: file: not sorted"},
	        {HEAD "file " HEX_A " 1 a\nfile " HEX_B " 2 a\n",
	         "line 7: file: listed twice"},
	        /* "a/b" sorts after "a.txt" bytewise ('.' < '/') */
	        {HEAD "file " HEX_A " 1 a/b\nfile " HEX_A " 1 a.txt\n",
	         "not sorted"},
	};
	struct tlog_manifest m;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tlog_manifest_parse(&m, bad[i].text, strlen(bad[i].text)) !=
		    -1)
			fail_msg("accepted bad manifest %zu", i);
		if (strstr(attest_error_last(), bad[i].msg) == NULL)
			fail_msg("manifest %zu: \"%s\" does not say \"%s\"", i,
			         attest_error_last(), bad[i].msg);
		assert_null(m.origin);
		assert_null(m.files);
	}
	/* a path of 4096 bytes is the limit */
	{
		struct attest_buf b = ATTEST_BUF_INIT;
		attest_buf_puts(&b, HEAD "file " HEX_A " 1 ");
		for (int i = 0; i < 4096; i++)
			attest_buf_putc(&b, 'p');
		attest_buf_putc(&b, '\n');
		assert_int_equal(tlog_manifest_parse(&m, b.ptr, b.len), 0);
		tlog_manifest_free(&m);
		b.ptr[b.len - 1] = 'p';
		attest_buf_putc(&b, '\n');
		assert_int_equal(tlog_manifest_parse(&m, b.ptr, b.len), -1);
		attest_buf_free(&b);
	}
	/* non-ASCII paths are fine when they are UTF-8 */
	assert_int_equal(
	        tlog_manifest_parse(&m, HEAD "file " HEX_A " 1 caf\xc3\xa9\n",
	                            strlen(HEAD) + 5 + 64 + 3 + 6),
	        0);
	assert_string_equal(m.files[0].path, "caf\xc3\xa9");
	tlog_manifest_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_manifest__roundtrip),
	        cmocka_unit_test(test_manifest__rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
