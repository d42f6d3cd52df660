/*
 * Signed notes, keys, checkpoints and base64. The published vectors of the
 * Go sumdb note package (key pair "PeterNeumann", a second key "EnochRoot"
 * and their signatures over one text) pin our output to the reference
 * implementation byte for byte; the rest checks what must be refused.
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
#include "tlog/note.h"
#include "util/buf.h"

/* From golang.org/x/mod/sumdb/note (note_test.go). */
#define PETER_VKEY                                                             \
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define PETER_SKEY                                                             \
	"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"          \
	"Y7hfZx09iUv"                                                          \
	"xdXHKDFz"
#define ENOCH_VKEY                                                             \
	"EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define TEXT                                                                   \
	"If you think cryptography is the answer to your problem,\n"           \
	"then you don't know what your problem is.\n"
#define PETER_SIG                                                              \
	"\xe2\x80\x94 PeterNeumann "                                           \
	"x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNI"                       \
	"uGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
#define ENOCH_SIG                                                              \
	"\xe2\x80\x94 EnochRoot "                                              \
	"rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2t"                     \
	"iOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

static int
parse_str(struct tlog_note *n, const char *s)
{
	return tlog_note_parse(n, s, strlen(s));
}

static void
test_note__go_vector_sign(void **state)
{
	struct tlog_signer s;
	struct tlog_verifier v;
	struct attest_buf out = ATTEST_BUF_INIT;
	const struct tlog_signer *signers[1];
	char *vkey;

	(void)state;
	assert_int_equal(tlog_signer_parse(&s, PETER_SKEY), 0);
	assert_string_equal(s.name, "PeterNeumann");
	assert_int_equal(s.key_id, 0xc74f20a3);
	vkey = tlog_signer_vkey(&s);
	assert_string_equal(vkey, PETER_VKEY);
	free(vkey);
	assert_int_equal(tlog_verifier_parse(&v, PETER_VKEY), 0);
	assert_string_equal(v.name, "PeterNeumann");
	assert_int_equal(v.key_id, 0xc74f20a3);
	assert_memory_equal(v.pk, s.pk, 32);

	/* Ed25519 is deterministic: the same key and text give the same
	   signature line as the reference implementation. */
	signers[0] = &s;
	assert_int_equal(tlog_note_sign(&out, TEXT, strlen(TEXT), signers, 1),
	                 0);
	assert_string_equal(out.ptr, TEXT "\n" PETER_SIG);
	attest_buf_free(&out);
	tlog_signer_free(&s);
	assert_null(s.name);
	tlog_verifier_free(&v);
}

static void
test_note__go_vector_open(void **state)
{
	struct tlog_verifier peter, enoch;
	struct tlog_note n;

	(void)state;
	assert_int_equal(tlog_verifier_parse(&peter, PETER_VKEY), 0);
	assert_int_equal(tlog_verifier_parse(&enoch, ENOCH_VKEY), 0);
	assert_int_equal(enoch.key_id, 0xaf0cfe78);

	assert_int_equal(parse_str(&n, TEXT "\n" PETER_SIG ENOCH_SIG), 0);
	assert_int_equal(n.text_len, strlen(TEXT));
	assert_string_equal(n.text, TEXT);
	assert_int_equal(n.nsigs, 2);
	assert_string_equal(n.sigs[0].name, "PeterNeumann");
	assert_int_equal(n.sigs[0].key_id, 0xc74f20a3);
	assert_int_equal(n.sigs[0].siglen, 64);
	assert_string_equal(n.sigs[1].name, "EnochRoot");
	assert_int_equal(tlog_note_verify(&n, &peter), 0);
	assert_int_equal(tlog_note_verify(&n, &enoch), 0);
	tlog_note_free(&n);

	/* Enoch alone: Peter did not sign */
	assert_int_equal(parse_str(&n, TEXT "\n" ENOCH_SIG), 0);
	assert_int_equal(tlog_note_verify(&n, &peter), 1);
	assert_int_equal(tlog_note_verify(&n, &enoch), 0);
	tlog_note_free(&n);

	/* one changed letter in the text */
	assert_int_equal(parse_str(&n, "If you think cryptographY is the "
	                               "answer to your problem,\nthen you "
	                               "don't know what your problem is.\n"
	                               "\n" PETER_SIG),
	                 0);
	assert_int_equal(tlog_note_verify(&n, &peter), -1);
	assert_non_null(strstr(attest_error_last(), "PeterNeumann+c74f20a3"));
	tlog_note_free(&n);
	tlog_verifier_free(&peter);
	tlog_verifier_free(&enoch);
}

/* Go's table of malformed messages, and more. */
static void
test_note__malformed(void **state)
{
	static const char *const bad[] = {
	        TEXT,
	        TEXT "\n",
	        TEXT "\n" PETER_SIG "\n",
	        "\x01" TEXT "\n" PETER_SIG,
	        "\xff" TEXT "\n" PETER_SIG,
	        TEXT
	        "\n\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupL"
	        "Lr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM"
	        "=",
	        TEXT "\n" PETER_SIG "Unexpected line.\n",
	        /* em dash without the space, hyphen instead of em dash */
	        TEXT "\n\xe2\x80\x94PeterNeumann AAAAAAA=\n",
	        TEXT "\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcE"
	             "lZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
	        /* no name, a name with '+', a no-break space in the name */
	        TEXT "\n\xe2\x80\x94  AAAAAAA=\n",
	        TEXT "\n\xe2\x80\x94 a+b AAAAAAA=\n",
	        TEXT "\n\xe2\x80\x94 a\xc2\xa0"
	             "b AAAAAAA=\n",
	        /* signature of 4 bytes (key id only), bad base64, bad pad */
	        TEXT "\n\xe2\x80\x94 k AAAAAA==\n",
	        TEXT "\n\xe2\x80\x94 k AAAAAAA\n",
	        TEXT "\n\xe2\x80\x94 k AAAAAAB=\n",
	        TEXT "\n\xe2\x80\x94 k AAAAAAA= \n",
	        /* carriage return, tab, overlong UTF-8, surrogate */
	        "a\r\n\n" PETER_SIG,
	        "a\tb\n\n" PETER_SIG,
	        "\xc0\xaf\n\n" PETER_SIG,
	        "\xed\xa0\x80\n\n" PETER_SIG,
	        "",
	        "\n",
	        "\n\n",
	};
	struct tlog_note n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_str(&n, bad[i]) != -1)
			fail_msg("accepted bad note %zu", i);
		assert_int_equal(n.nsigs, 0);
		assert_null(n.text);
		assert_true(strncmp(attest_error_last(), "note: ", 6) == 0);
	}
	/* an embedded NUL */
	assert_int_equal(
	        tlog_note_parse(&n, "a\0\n\n" PETER_SIG, 4 + strlen(PETER_SIG)),
	        -1);
}

static void
test_note__structure(void **state)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	struct tlog_note n;

	(void)state;
	/* The text may contain blank lines: the last one separates. */
	assert_int_equal(parse_str(&n, "a\n\nb\n\n" PETER_SIG), 0);
	assert_string_equal(n.text, "a\n\nb\n");
	tlog_note_free(&n);
	assert_int_equal(parse_str(&n, "a\n\n\n" PETER_SIG), 0);
	assert_string_equal(n.text, "a\n\n");
	tlog_note_free(&n);

	/* Signatures by unknown keys are kept, in order; a 5-byte one too */
	assert_int_equal(parse_str(&n, TEXT "\n" PETER_SIG
	                                    "\xe2\x80\x94 witness.example/w1 "
	                                    "AAAAAQI=\n" ENOCH_SIG),
	                 0);
	assert_int_equal(n.nsigs, 3);
	assert_string_equal(n.sigs[1].name, "witness.example/w1");
	assert_int_equal(n.sigs[1].key_id, 1);
	assert_int_equal(n.sigs[1].siglen, 1);
	assert_int_equal(n.sigs[1].sig[0], 2);
	tlog_note_free(&n);

	/* 100 signatures are accepted, 101 are not */
	attest_buf_puts(&b, TEXT "\n");
	for (int i = 0; i < 100; i++)
		attest_buf_puts(&b, PETER_SIG);
	assert_int_equal(tlog_note_parse(&n, b.ptr, b.len), 0);
	assert_int_equal(n.nsigs, 100);
	tlog_note_free(&n);
	attest_buf_puts(&b, PETER_SIG);
	assert_int_equal(tlog_note_parse(&n, b.ptr, b.len), -1);
	assert_non_null(strstr(attest_error_last(), "100"));
	attest_buf_free(&b);

	/* TLOG_NOTE_MAX bytes at most */
	{
		size_t big = TLOG_NOTE_MAX + 1 - strlen("\n" PETER_SIG);
		char *s = malloc(TLOG_NOTE_MAX + 2);
		memset(s, 'a', big);
		s[big - 1] = '\n';
		memcpy(s + big, "\n" PETER_SIG, strlen("\n" PETER_SIG));
		assert_int_equal(tlog_note_parse(&n, s, TLOG_NOTE_MAX + 1), -1);
		assert_int_equal(tlog_note_parse(&n, s + 1, TLOG_NOTE_MAX), 0);
		tlog_note_free(&n);
		free(s);
	}
}

static void
test_note__generated_keys(void **state)
{
	struct tlog_signer s, s2;
	struct tlog_verifier v, v2;
	struct attest_buf out = ATTEST_BUF_INIT;
	const struct tlog_signer *signers[2];
	struct tlog_note n;
	char *skey, *vkey, *skey2, *vkey2, *copy, *p;

	(void)state;
	assert_int_equal(
	        tlog_key_generate("ledger.example.com/acme", &skey, &vkey), 0);
	assert_int_equal(
	        tlog_key_generate("witness.example/w1", &skey2, &vkey2), 0);
	assert_int_equal(
	        strncmp(skey, "PRIVATE+KEY+ledger.example.com/acme+", 36), 0);
	assert_int_equal(tlog_signer_parse(&s, skey), 0);
	assert_int_equal(tlog_signer_parse(&s2, skey2), 0);
	/* trailing whitespace (a key file's newline) is ignored */
	copy = malloc(strlen(vkey) + 3);
	snprintf(copy, strlen(vkey) + 3, "%s\r\n", vkey);
	assert_int_equal(tlog_verifier_parse(&v, copy), 0);
	free(copy);
	assert_int_equal(tlog_verifier_parse(&v2, vkey2), 0);
	assert_int_equal(v.key_id, s.key_id);
	p = tlog_signer_vkey(&s);
	assert_string_equal(p, vkey);
	free(p);

	signers[0] = &s;
	signers[1] = &s2;
	assert_int_equal(tlog_note_sign(&out, "hello\n", 6, signers, 2), 0);
	assert_int_equal(tlog_note_parse(&n, out.ptr, out.len), 0);
	assert_int_equal(n.nsigs, 2);
	assert_int_equal(tlog_note_verify(&n, &v), 0);
	assert_int_equal(tlog_note_verify(&n, &v2), 0);
	tlog_note_free(&n);

	/* a tampered text */
	out.ptr[0] = 'j';
	assert_int_equal(tlog_note_parse(&n, out.ptr, out.len), 0);
	assert_int_equal(tlog_note_verify(&n, &v), -1);
	tlog_note_free(&n);
	out.ptr[0] = 'h';

	/* a tampered signature byte */
	assert_int_equal(tlog_note_parse(&n, out.ptr, out.len), 0);
	n.sigs[0].sig[10] ^= 0x40;
	assert_int_equal(tlog_note_verify(&n, &v), -1);
	n.sigs[0].sig[10] ^= 0x40;
	assert_int_equal(tlog_note_verify(&n, &v), 0);
	/* a truncated signature */
	n.sigs[0].siglen = 63;
	assert_int_equal(tlog_note_verify(&n, &v), -1);
	n.sigs[0].siglen = 64;
	/* a tampered key id: the signature is no longer v's */
	n.sigs[0].key_id ^= 1;
	assert_int_equal(tlog_note_verify(&n, &v), 1);
	n.sigs[0].key_id ^= 1;
	/* the wrong name: likewise */
	n.sigs[0].name[0] = 'L';
	assert_int_equal(tlog_note_verify(&n, &v), 1);
	tlog_note_free(&n);

	/* the wrong key entirely */
	out.len = 0;
	assert_int_equal(tlog_note_sign(&out, "hello\n", 6, signers + 1, 1), 0);
	assert_int_equal(tlog_note_parse(&n, out.ptr, out.len), 0);
	assert_int_equal(tlog_note_verify(&n, &v), 1);
	tlog_note_free(&n);

	/* a key with v's name and id but another public key: the signature
	   claims to be v's and does not verify */
	memcpy(v2.pk, v.pk, 32);
	free(v2.name);
	v2.name = strdup(s2.name);
	v2.key_id = s2.key_id;
	memcpy(v2.pk, v.pk, 32);
	assert_int_equal(tlog_note_parse(&n, out.ptr, out.len), 0);
	assert_int_equal(tlog_note_verify(&n, &v2), -1);
	tlog_note_free(&n);

	/* signing refuses texts that could not be read back */
	out.len = 0;
	assert_int_equal(tlog_note_sign(&out, "hello", 5, signers, 1), -1);
	assert_int_equal(tlog_note_sign(&out, "", 0, signers, 1), -1);
	assert_int_equal(tlog_note_sign(&out, "a\tb\n", 4, signers, 1), -1);
	assert_int_equal(tlog_note_sign(&out, "a\xff\n", 3, signers, 1), -1);
	assert_int_equal(tlog_note_sign(&out, "a\n", 2, signers, 0), -1);
	assert_int_equal(out.len, 0);

	/* bad names */
	assert_int_equal(tlog_key_generate("", &p, &copy), -1);
	assert_int_equal(tlog_key_generate("a+b", &p, &copy), -1);
	assert_int_equal(tlog_key_generate("a b", &p, &copy), -1);
	assert_int_equal(tlog_key_generate("a\nb", &p, &copy), -1);
	assert_null(p);

	attest_buf_free(&out);
	tlog_signer_free(&s);
	tlog_signer_free(&s2);
	tlog_verifier_free(&v);
	tlog_verifier_free(&v2);
	free(skey);
	free(vkey);
	free(skey2);
	free(vkey2);
}

/* As the Go package checks: no substring and no one-byte change of a key
   string is accepted. */
static void
test_note__key_manglings(void **state)
{
	static const char *const keys[] = {PETER_VKEY, PETER_SKEY};
	struct tlog_verifier v;
	struct tlog_signer s;

	(void)state;
	for (int k = 0; k < 2; k++) {
		size_t len = strlen(keys[k]);
		char *b = malloc(len + 1);
		for (size_t i = 0; i < len; i++) {
			for (size_t j = i + 1; j <= len; j++) {
				int rc;
				if (i == 0 && j == len)
					continue;
				memcpy(b, keys[k] + i, j - i);
				b[j - i] = '\0';
				rc = k == 0 ? tlog_verifier_parse(&v, b)
				            : tlog_signer_parse(&s, b);
				if (rc != -1)
					fail_msg("accepted %s", b);
			}
		}
		memcpy(b, keys[k], len + 1);
		for (size_t i = 0; i < len; i++) {
			b[i]++;
			if ((k == 0 ? tlog_verifier_parse(&v, b)
			            : tlog_signer_parse(&s, b)) != -1)
				fail_msg("accepted %s", b);
			b[i]--;
		}
		free(b);
	}
	/* wrong length key and unknown algorithm, each with its key id
	   adjusted (from the Go tests) */
	assert_int_equal(tlog_verifier_parse(&v, "PeterNeumann+cc469956+ARpc2Q"
	                                         "cUPDhMQegwxbzhKqiBfsVkmqq/LD"
	                                         "E4izWy10TWBADKEY=="),
	                 -1);
	assert_int_equal(tlog_verifier_parse(&v, "PeterNeumann+173116ae+ZRpc2Q"
	                                         "cUPDhMQegwxbzhKqiBfsVkmqq/LD"
	                                         "E4izWy10TW"),
	                 -1);
	/* upper-case key id */
	assert_int_equal(tlog_verifier_parse(&v, "PeterNeumann+C74F20A3+ARpc2Q"
	                                         "cUPDhMQegwxbzhKqiBfsVkmqq/LD"
	                                         "E4izWy10TW"),
	                 -1);
	assert_int_equal(tlog_verifier_parse(&v, ""), -1);
	assert_int_equal(tlog_signer_parse(&s, PETER_VKEY), -1);
	assert_int_equal(tlog_verifier_parse(&v, PETER_SKEY), -1);
	assert_int_equal(tlog_verifier_parse(&v, " " PETER_VKEY), -1);
	assert_int_equal(tlog_verifier_parse(&v, PETER_VKEY " \n"), 0);
	tlog_verifier_free(&v);
}

static void
test_note__checkpoint(void **state)
{
	static const char good[] =
	        "ledger.example.com/acme-corp/evidence\n"
	        "1048576\n"
	        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
	static const char *const bad[] = {
	        "",
	        "origin\n",
	        "origin\n1\n",
	        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
	        "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	        "origin\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	        "origin\n00\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	        "origin\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	        "origin\n1 \nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	        "origin\n\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	        "origin\n18446744073709551616\n"
	        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	        "extension\n",
	        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",
	        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
	        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
	        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx-2I=\n",
	        /* 31 and 33 bytes */
	        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n",
	        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n",
	        "ori\x01gin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	};
	struct tlog_checkpoint c;
	struct attest_buf out = ATTEST_BUF_INIT;

	(void)state;
	assert_int_equal(tlog_checkpoint_parse(&c, good, strlen(good)), 0);
	assert_string_equal(c.origin, "ledger.example.com/acme-corp/evidence");
	assert_true(c.size == 1048576);
	assert_int_equal(c.root[0], 0x0a);
	assert_int_equal(c.root[31], 0x62);
	assert_int_equal(tlog_checkpoint_format(&out, &c), 0);
	assert_string_equal(out.ptr, good);
	tlog_checkpoint_free(&c);
	assert_null(c.origin);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tlog_checkpoint_parse(&c, bad[i], strlen(bad[i])) != -1)
			fail_msg("accepted bad checkpoint %zu", i);
		assert_null(c.origin);
		assert_true(strncmp(attest_error_last(), "checkpoint: line ",
		                    17) == 0);
	}
	assert_int_equal(tlog_checkpoint_parse(&c, bad[5], strlen(bad[5])), -1);
	assert_string_equal(attest_error_last(),
	                    "checkpoint: line 2: size: leading zero");
	assert_int_equal(tlog_checkpoint_parse(&c, bad[11], strlen(bad[11])),
	                 -1);
	assert_non_null(strstr(attest_error_last(), "line 4"));

	/* the extremes of the size */
	out.len = 0;
	c.origin = strdup("o");
	c.size = UINT64_MAX;
	memset(c.root, 0, sizeof(c.root));
	assert_int_equal(tlog_checkpoint_format(&out, &c), 0);
	assert_string_equal(out.ptr,
	                    "o\n18446744073709551615\n"
	                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
	tlog_checkpoint_free(&c);
	assert_int_equal(tlog_checkpoint_parse(&c, out.ptr, out.len), 0);
	assert_true(c.size == UINT64_MAX);
	tlog_checkpoint_free(&c);
	assert_int_equal(tlog_checkpoint_parse(&c,
	                                       "o\n0\nAAAAAAAAAAAAAAAAAAAAAA"
	                                       "AAAAAAAAAAAAAAAAAAAAA=\n",
	                                       49),
	                 0);
	assert_true(c.size == 0);
	tlog_checkpoint_free(&c);

	/* the origin must be one line */
	out.len = 0;
	c.origin = strdup("a\nb");
	assert_int_equal(tlog_checkpoint_format(&out, &c), -1);
	free(c.origin);
	c.origin = strdup("");
	assert_int_equal(tlog_checkpoint_format(&out, &c), -1);
	tlog_checkpoint_free(&c);
	attest_buf_free(&out);
}

static void
test_note__base64(void **state)
{
	/* RFC 4648 §10 */
	static const char *const plain[] = {"",     "f",     "fo",    "foo",
	                                    "foob", "fooba", "foobar"};
	static const char *const enc[] = {
	        "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	static const char *const bad[] = {
	        "Zg=",      "Zg",     "Zh==", "Zm9=", "Z===", "====", "=Zg=",
	        "Zg==Zm8=", "Zm9v\n", "Zm 9", "Zm-v", "Zm_v", "Zg=a"};
	uint8_t out[16];
	char text[16];

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		size_t n = tlog_base64_encode(text, (const uint8_t *)plain[i],
		                              strlen(plain[i]));
		assert_int_equal(n, strlen(enc[i]));
		assert_int_equal(n, TLOG_BASE64_LEN(strlen(plain[i])));
		assert_memory_equal(text, enc[i], n);
		assert_int_equal(tlog_base64_decode(out, sizeof(out), enc[i],
		                                    strlen(enc[i])),
		                 (long)strlen(plain[i]));
		assert_memory_equal(out, plain[i], strlen(plain[i]));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tlog_base64_decode(out, sizeof(out), bad[i],
		                       strlen(bad[i])) != -1)
			fail_msg("accepted %s", bad[i]);
	/* too little room */
	assert_int_equal(tlog_base64_decode(out, 5, "Zm9vYmFy", 8), -1);
	assert_int_equal(tlog_base64_decode(out, 6, "Zm9vYmFy", 8), 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_note__go_vector_sign),
	        cmocka_unit_test(test_note__go_vector_open),
	        cmocka_unit_test(test_note__malformed),
	        cmocka_unit_test(test_note__structure),
	        cmocka_unit_test(test_note__generated_keys),
	        cmocka_unit_test(test_note__key_manglings),
	        cmocka_unit_test(test_note__checkpoint),
	        cmocka_unit_test(test_note__base64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
