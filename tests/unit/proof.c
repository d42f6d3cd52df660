/*
 * Proof files: tlog-proof and consistency proofs format and parse back to
 * the same bytes, and every malformed line is refused with its number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attest/error.h"
#include "tlog/note.h"
#include "tlog/proof.h"
#include "util/buf.h"

/* The Go sumdb note test key; any key would do. */
#define SKEY                                                                   \
	"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"          \
	"Y7hfZx09iUv"                                                          \
	"xdXHKDFz"
#define H0 "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n"
#define H1 "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n"

static char *checkpoint_note;

static int
setup(void **state)
{
	struct tlog_signer s;
	struct tlog_checkpoint c;
	struct attest_buf body = ATTEST_BUF_INIT, note = ATTEST_BUF_INIT;
	const struct tlog_signer *signers[1] = {&s};

	(void)state;
	if (tlog_signer_parse(&s, SKEY) < 0)
		return -1;
	c.origin = "example.com/fancylog";
	c.size = 109482;
	memset(c.root, 0x5a, sizeof(c.root));
	if (tlog_checkpoint_format(&body, &c) < 0 ||
	    tlog_note_sign(&note, body.ptr, body.len, signers, 1) < 0)
		return -1;
	checkpoint_note = attest_buf_detach(&note);
	attest_buf_free(&body);
	tlog_signer_free(&s);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(checkpoint_note);
	return 0;
}

static char *
proof_text(const char *head)
{
	struct attest_buf b = ATTEST_BUF_INIT;

	attest_buf_puts(&b, head);
	attest_buf_puts(&b, checkpoint_note);
	return attest_buf_detach(&b);
}

static void
roundtrip(const char *text)
{
	struct tlog_proof p;
	struct attest_buf out = ATTEST_BUF_INIT;

	assert_int_equal(tlog_proof_parse(&p, text, strlen(text)), 0);
	assert_int_equal(tlog_proof_format(&out, &p), 0);
	assert_string_equal(out.ptr, text);
	tlog_proof_free(&p);
	attest_buf_free(&out);
}

static void
test_proof__roundtrip(void **state)
{
	struct tlog_proof p;
	struct attest_buf out = ATTEST_BUF_INIT;
	char *t;

	(void)state;
	t = proof_text("c2sp.org/tlog-proof@v1\n"
	               "extra YWdlLXYxLjIuMQ==\n"
	               "index 73894\n" H0 H1 "\n");
	assert_int_equal(tlog_proof_parse(&p, t, strlen(t)), 0);
	assert_true(p.has_extra);
	assert_int_equal(p.extra_len, 10);
	assert_memory_equal(p.extra, "age-v1.2.1", 10);
	assert_true(p.index == 73894);
	assert_int_equal(p.nhashes, 2);
	assert_int_equal(p.hashes[1][0], 0x07);
	assert_string_equal(p.checkpoint, checkpoint_note);
	assert_int_equal(p.checkpoint_len, strlen(checkpoint_note));
	tlog_proof_free(&p);
	roundtrip(t);
	free(t);

	/* no extra, no hashes (a one-entry tree) */
	t = proof_text("c2sp.org/tlog-proof@v1\nindex 0\n\n");
	roundtrip(t);
	free(t);
	/* an empty extra */
	t = proof_text("c2sp.org/tlog-proof@v1\nextra \nindex 1\n" H0 "\n");
	roundtrip(t);
	free(t);

	/* 64 hashes are accepted, 65 are not */
	attest_buf_puts(&out, "c2sp.org/tlog-proof@v1\nindex "
	                      "18446744073709551615\n");
	for (int i = 0; i < 64; i++)
		attest_buf_puts(&out, H0);
	t = attest_buf_detach(&out);
	attest_buf_puts(&out, t);
	attest_buf_puts(&out, "\n");
	attest_buf_puts(&out, checkpoint_note);
	roundtrip(out.ptr);
	out.len = 0;
	attest_buf_puts(&out, t);
	attest_buf_puts(&out, H0 "\n");
	attest_buf_puts(&out, checkpoint_note);
	assert_int_equal(tlog_proof_parse(&p, out.ptr, out.len), -1);
	assert_string_equal(attest_error_last(),
	                    "tlog-proof: line 67: more than 64 hashes");
	free(t);
	attest_buf_free(&out);
}

static void
test_proof__rejects(void **state)
{
	static const struct {
		const char *head;
		const char *msg;
	} bad[] = {
	        {"c2sp.org/tlog-proof@v2\nindex 1\n\n", "line 1:"},
	        {"c2sp.org/tlog-proof@v1 \nindex 1\n\n", "line 1:"},
	        {"c2sp.org/tlog-proof@v1\nindex 01\n\n", "line 2: index"},
	        {"c2sp.org/tlog-proof@v1\nindex -1\n\n", "line 2: index"},
	        {"c2sp.org/tlog-proof@v1\nindex \n\n", "line 2: index"},
	        {"c2sp.org/tlog-proof@v1\nindex  1\n\n", "line 2: index"},
	        {"c2sp.org/tlog-proof@v1\nindex 18446744073709551616\n\n",
	         "line 2: index"},
	        {"c2sp.org/tlog-proof@v1\nIndex 1\n\n", "line 2: index"},
	        {"c2sp.org/tlog-proof@v1\n\n", "line 2: index"},
	        {"c2sp.org/tlog-proof@v1\nextra @@@@\nindex 1\n\n",
	         "line 2: extra"},
	        {"c2sp.org/tlog-proof@v1\nextra AA==\nextra AA==\nindex 1\n\n",
	         "line 3: index"},
	        {"c2sp.org/tlog-proof@v1\nindex 1\nextra AA==\n\n",
	         "line 3: hash"},
	        {"c2sp.org/tlog-proof@v1\nindex 1\n" H0
	         "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXg==\n\n",
	         "line 4: hash"},
	        {"c2sp.org/tlog-proof@v1\nindex 1\n" H0 " \n\n",
	         "line 4: hash"},
	        {"c2sp.org/tlog-proof@v1\nindex 1\n" H0, "line 4: hash"},
	};
	struct tlog_proof p;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *t = proof_text(bad[i].head);
		if (tlog_proof_parse(&p, t, strlen(t)) != -1)
			fail_msg("accepted bad proof %zu", i);
		if (strstr(attest_error_last(), bad[i].msg) == NULL)
			fail_msg("proof %zu: \"%s\" does not say \"%s\"", i,
			         attest_error_last(), bad[i].msg);
		assert_null(p.extra);
		assert_null(p.checkpoint);
		free(t);
	}

	/* the checkpoint must be a signed note over a checkpoint body */
	{
		static const char *const tails[] = {
		        "",
		        "not a note\n",
		        "example.com/log\n1\nAAAA\n\n\xe2\x80\x94 k AAAAAAA=\n",
		        "example.com/log\n1\n"
		        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nx\n\n"
		        "\xe2\x80\x94 k AAAAAAA=\n",
		};
		for (size_t i = 0; i < 4; i++) {
			struct attest_buf b = ATTEST_BUF_INIT;
			attest_buf_puts(&b,
			                "c2sp.org/tlog-proof@v1\nindex 1\n\n");
			attest_buf_puts(&b, tails[i]);
			if (tlog_proof_parse(&p, b.ptr, b.len) != -1)
				fail_msg("accepted checkpoint %zu", i);
			assert_non_null(strstr(attest_error_last(), "line 4"));
			attest_buf_free(&b);
		}
		/* a well-formed one, from a key we do not know */
		{
			static const char ok[] =
			        "c2sp.org/tlog-proof@v1\nindex 1\n\n"
			        "example.com/log\n1\n"
			        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
			        "\n\n"
			        "\xe2\x80\x94 k AAAAAAA=\n";
			assert_int_equal(tlog_proof_parse(&p, ok, strlen(ok)),
			                 0);
			roundtrip(ok);
		}
		tlog_proof_free(&p);
	}
}

static void
test_proof__consistency(void **state)
{
	static const char good[] = "attest.dev/consistency-proof@v1\n"
	                           "old 1000\nnew 1048576\n" H0 H1;
	static const char *const bad[] = {
	        "",
	        "attest.dev/consistency-proof@v1\n",
	        "attest.dev/consistency-proof@v1\nold 1\n",
	        "attest.dev/consistency-proof@v1\nold 1\nnew 2",
	        "attest.dev/consistency-proof@v2\nold 1\nnew 2\n",
	        "attest.dev/consistency-proof@v1\nnew 2\nold 1\n",
	        "attest.dev/consistency-proof@v1\nold 01\nnew 2\n",
	        "attest.dev/consistency-proof@v1\nold 1\nnew 02\n",
	        "attest.dev/consistency-proof@v1\nold 3\nnew 2\n",
	        "attest.dev/consistency-proof@v1\nold 1\nnew 2\n\n",
	        "attest.dev/consistency-proof@v1\nold 1\nnew 2\n" H0 "\n",
	        "attest.dev/consistency-proof@v1\nold 1\nnew 2\n" H0
	        "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=",
	        "attest.dev/consistency-proof@v1\nold 1\nnew 2\nAAAA\n",
	};
	struct tlog_consistency c;
	struct attest_buf out = ATTEST_BUF_INIT;

	(void)state;
	assert_int_equal(tlog_consistency_parse(&c, good, strlen(good)), 0);
	assert_true(c.old_size == 1000 && c.new_size == 1048576);
	assert_int_equal(c.nhashes, 2);
	assert_int_equal(tlog_consistency_format(&out, &c), 0);
	assert_string_equal(out.ptr, good);

	/* equal sizes and no hashes */
	out.len = 0;
	c.old_size = c.new_size = 7;
	c.nhashes = 0;
	assert_int_equal(tlog_consistency_format(&out, &c), 0);
	assert_string_equal(out.ptr, "attest.dev/consistency-proof@v1\n"
	                             "old 7\nnew 7\n");
	assert_int_equal(tlog_consistency_parse(&c, out.ptr, out.len), 0);

	/* 64 hashes, then 65 */
	for (int i = 0; i < 64; i++)
		attest_buf_puts(&out, H0);
	assert_int_equal(tlog_consistency_parse(&c, out.ptr, out.len), 0);
	assert_int_equal(c.nhashes, 64);
	attest_buf_puts(&out, H0);
	assert_int_equal(tlog_consistency_parse(&c, out.ptr, out.len), -1);
	assert_non_null(strstr(attest_error_last(), "line 68"));

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tlog_consistency_parse(&c, bad[i], strlen(bad[i])) != -1)
			fail_msg("accepted bad consistency proof %zu", i);
		assert_non_null(strstr(attest_error_last(), "line "));
	}
	assert_int_equal(tlog_consistency_parse(&c, bad[8], strlen(bad[8])),
	                 -1);
	assert_string_equal(attest_error_last(),
	                    "consistency proof: line 3: new size smaller than "
	                    "old size");

	c.old_size = 3;
	c.new_size = 2;
	assert_int_equal(tlog_consistency_format(&out, &c), -1);
	attest_buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_proof__roundtrip),
	        cmocka_unit_test(test_proof__rejects),
	        cmocka_unit_test(test_proof__consistency),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
