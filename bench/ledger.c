/*
 * bench_ledger: the evidence ledger's speed, as ratios against baselines
 * measured in the same run (bench/README.md, "Ledger").
 *
 *   bench_ledger DIR [--entries N] [--batch B] [--pairs P] [--proofs K]
 *
 * 1. Append: N 200-byte JSON payloads through attest_ledger_append, B per
 *    transaction (one signed checkpoint each, synchronous=FULL), against a
 *    raw SQLite insert of the same payloads with the same batch and sync.
 *    P pairs, alternating which goes first; the median ratio is reported.
 * 2. Verification: attest_ledger_verify over the database, and the
 *    offline verifier over an exported bundle, against the single-core
 *    RFC 6962 hashing ceiling: payload commitment + leaf hash + tree
 *    append over the same leaves in memory.
 * 3. Inclusion proofs: K proofs written by attest_ledger_prove, each
 *    parsed and checked (signature included) as `attest verify` does.
 *
 * DIR must not exist; bench/run-ledger.sh makes and removes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "attest/error.h"
#include "attest/ledger.h"
#include "attest/workspace.h"
#include "tlog/bundle.h"
#include "tlog/check.h"
#include "tlog/leaf.h"
#include "tlog/note.h"
#include "tlog/proof.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/rng.h"

#define PAYLOAD 200

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_ledger: %s: %s\n", what, attest_error_last());
	exit(1);
}

/* A 200-byte record shaped like a host check result. */
static void
make_payload(char *out, uint64_t i, uint64_t *rng)
{
	int n = snprintf(out, PAYLOAD + 1,
	                 "{\"check\":\"SSH-%02llu\",\"host\":\"host-%03llu\","
	                 "\"observed\":\"2026-%02llu-%02lluT%02llu:00:00Z\","
	                 "\"result\":\"%s\",\"value\":%llu,\"n\":%llu,"
	                 "\"detail\":\"",
	                 (unsigned long long)(i % 40),
	                 (unsigned long long)(attest_rng_next(rng) % 500),
	                 (unsigned long long)(1 + i % 12),
	                 (unsigned long long)(1 + i % 28),
	                 (unsigned long long)(i % 24),
	                 attest_rng_next(rng) % 30 ? "pass" : "fail",
	                 (unsigned long long)(attest_rng_next(rng) % 100000),
	                 (unsigned long long)i);
	while (n < PAYLOAD - 2)
		out[n++] = (char)('a' + attest_rng_next(rng) % 26);
	out[PAYLOAD - 2] = '"';
	out[PAYLOAD - 1] = '}';
	out[PAYLOAD] = '\0';
}

static double
raw_insert(const char *path, const char *payloads, uint64_t n, uint64_t batch)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	double t0;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
	                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                 "CREATE TABLE raw(idx INTEGER PRIMARY KEY, payload "
	                 "BLOB) STRICT;",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO raw(idx, payload) VALUES(?, ?)",
	                       -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_ledger: raw: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		if (i % batch == 0)
			sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
		sqlite3_bind_blob(s, 2, payloads + i * PAYLOAD, PAYLOAD,
		                  SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE) {
			fprintf(stderr, "bench_ledger: raw insert: %s\n",
			        sqlite3_errmsg(db));
			exit(1);
		}
		if (i % batch == batch - 1 || i == n - 1)
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	t0 = now_s() - t0;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return t0;
}

static double
ledger_append(const char *dir, const char *payloads, uint64_t n, uint64_t batch)
{
	struct attest_workspace *ws;
	struct attest_ledger_entry e = {0};
	double t0;
	uint64_t idx;

	if (attest_workspace_init(dir, "Bench", 1, 1767225600) < 0 ||
	    attest_workspace_open(&ws, dir) < 0)
		die(dir);
	e.kind = TLOG_EVIDENCE;
	e.source = "attest.evidence/check";
	e.controls = "NET-01";
	e.media_type = "application/json";
	e.payload_len = PAYLOAD;
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		if (i % batch == 0 && attest_workspace_begin(ws) < 0)
			die("begin");
		e.payload = payloads + i * PAYLOAD;
		e.observed_at_ms = 1767225600000LL + (int64_t)i;
		if (attest_ledger_append(ws, &e, &idx) < 0)
			die("append");
		if ((i % batch == batch - 1 || i == n - 1) &&
		    attest_workspace_commit(ws) < 0)
			die("commit");
	}
	t0 = now_s() - t0;
	attest_workspace_close(ws);
	return t0;
}

/* The hashing a verifier cannot avoid, over leaves already in memory. */
static double
ceiling(const char *payloads, uint64_t n, tlog_hash out_root)
{
	struct tlog_leaf l;
	struct tlog_range r;
	uint8_t salt[TLOG_SALT] = {1}, *leaves, *p;
	size_t *lens = xcalloc(n, sizeof(*lens));
	tlog_hash h;
	double t0;

	leaves = xmalloc(n * 160);
	memset(&l, 0, sizeof(l));
	l.version = 1;
	l.kind = TLOG_EVIDENCE;
	l.tenant.p = (const uint8_t *)"bench";
	l.tenant.len = 5;
	l.source.p = (const uint8_t *)"attest.evidence/check";
	l.source.len = 21;
	l.controls.p = (const uint8_t *)"NET-01";
	l.controls.len = 6;
	l.media_type.p = (const uint8_t *)"application/json";
	l.media_type.len = 16;
	l.payload_len = PAYLOAD;
	for (uint64_t i = 0; i < n; i++) {
		l.index = i;
		l.logged_at_ms = l.observed_at_ms = 1767225600000ULL + i;
		lens[i] = tlog_leaf_encode(&l, leaves + i * 160, 160);
	}
	tlog_range_init(&r);
	t0 = now_s();
	for (uint64_t i = 0; i < n; i++) {
		p = leaves + i * 160;
		tlog_payload_commit(h, salt, payloads + i * PAYLOAD, PAYLOAD);
		p[0] ^= h[0] &
		        0; /* the commitment is used, not optimised out */
		tlog_leaf_hash(h, p, lens[i]);
		tlog_range_append(&r, h);
	}
	t0 = now_s() - t0;
	tlog_range_root(&r, out_root);
	free(leaves);
	free(lens);
	return t0;
}

static double
median(double *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long long
file_kb(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size / 1024 : 0;
}

int
main(int argc, char **argv)
{
	uint64_t n = 1000000, batch = 1000, rng = 0x1ed9e5eedULL;
	int pairs = 3, nproofs = 2000, append_only = 0;
	const char *dir;
	char *payloads, path[4096], ws[4096], bundle[4096];
	double raw_t[16], led_t[16], ratio[16];
	struct attest_workspace *w;
	struct tlog_check_opts opts;
	struct tlog_check_report rep;
	struct tlog_verifier key;
	char *vkey, *history;
	tlog_hash root;
	double t, ceil_t, verify_t, bverify_t, export_t, proof_t;
	int status;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: bench_ledger DIR [--entries N] "
		                "[--batch B] [--pairs P] [--proofs K] "
		                "[--append-only]\n");
		return 2;
	}
	dir = argv[1];
	for (int i = 2; i < argc; i++) {
		unsigned long long v;
		if (!strcmp(argv[i], "--append-only")) {
			append_only = 1;
			continue;
		}
		v = i + 1 < argc ? strtoull(argv[i + 1], NULL, 10) : 0;
		if (!strcmp(argv[i], "--entries"))
			n = v;
		else if (!strcmp(argv[i], "--batch"))
			batch = v;
		else if (!strcmp(argv[i], "--pairs"))
			pairs = (int)(v < 1 ? 1 : v > 15 ? 15 : v);
		else if (!strcmp(argv[i], "--proofs"))
			nproofs = (int)v;
		else {
			fprintf(stderr, "bench_ledger: unknown option %s\n",
			        argv[i]);
			return 2;
		}
		i++;
	}
	if (n == 0 || batch == 0 || mkdir(dir, 0700) < 0) {
		fprintf(stderr,
		        "bench_ledger: %s: cannot create (it must not "
		        "exist)\n",
		        dir);
		return 1;
	}
	payloads = xmalloc(n * PAYLOAD + 1);
	for (uint64_t i = 0; i < n; i++) {
		char tmp[PAYLOAD + 1];
		make_payload(tmp, i, &rng);
		memcpy(payloads + i * PAYLOAD, tmp, PAYLOAD);
	}
	snprintf(path, sizeof(path), "%s/raw.db", dir);

	/* 1. append, in pairs; the order alternates so caches favour
	   neither side */
	for (int p = 0; p < pairs; p++) {
		snprintf(ws, sizeof(ws), "%s/ws%d", dir, p);
		if (p % 2 == 0) {
			raw_t[p] = raw_insert(path, payloads, n, batch);
			led_t[p] = ledger_append(ws, payloads, n, batch);
		} else {
			led_t[p] = ledger_append(ws, payloads, n, batch);
			raw_t[p] = raw_insert(path, payloads, n, batch);
		}
		ratio[p] = raw_t[p] / led_t[p];
		fprintf(stderr,
		        "pair %d: raw %.0f/s, ledger %.0f/s, ratio %.2f\n",
		        p + 1, n / raw_t[p], n / led_t[p], ratio[p]);
	}
	snprintf(ws, sizeof(ws), "%s/ws0", dir);
	if (append_only)
		return 0;

	/* 2. verification against the hashing ceiling */
	ceil_t = ceiling(payloads, n, root);
	if (attest_workspace_open(&w, ws) < 0 ||
	    attest_ledger_vkey(w, &vkey, &history) < 0 ||
	    tlog_verifier_parse(&key, vkey) < 0)
		die("open");
	memset(&opts, 0, sizeof(opts));
	opts.keys = &key;
	opts.nkeys = 1;
	opts.skew_ms = 300000;
	opts.late_ms = 86400000;
	t = now_s();
	status = attest_ledger_verify(w, &opts, &rep);
	verify_t = now_s() - t;
	if (status != 3 || rep.ntamper)
		die("verify found tampering");
	tlog_check_report_free(&rep);
	snprintf(bundle, sizeof(bundle), "%s/bundle", dir);
	t = now_s();
	if (attest_ledger_export_bundle(w, bundle, 0, 1, NULL, 0, NULL, NULL) <
	    0)
		die("export");
	export_t = now_s() - t;
	t = now_s();
	status = tlog_bundle_verify(bundle, &opts, &rep);
	bverify_t = now_s() - t;
	if (status != 3 || rep.ntamper)
		die("bundle verify found tampering");
	tlog_check_report_free(&rep);

	/* 3. inclusion proofs */
	{
		struct attest_buf *proofs =
		        xcalloc((size_t)nproofs + 1, sizeof(*proofs));
		int good = 0;
		for (int i = 0; i < nproofs; i++)
			if (attest_ledger_prove(w, attest_rng_next(&rng) % n, 0,
			                        &proofs[i]) < 0)
				die("prove");
		t = now_s();
		for (int i = 0; i < nproofs; i++) {
			struct tlog_proof pr;
			struct tlog_note note;
			struct tlog_checkpoint cp;
			tlog_hash lh;
			if (tlog_proof_parse(&pr, proofs[i].ptr,
			                     proofs[i].len) < 0)
				continue;
			if (tlog_note_parse(&note, pr.checkpoint,
			                    pr.checkpoint_len) == 0) {
				if (tlog_note_verify(&note, &key) == 0 &&
				    tlog_checkpoint_parse(&cp, note.text,
				                          note.text_len) == 0) {
					tlog_leaf_hash(lh, pr.extra,
					               pr.extra_len);
					good += tlog_verify_inclusion(
					                pr.index, cp.size, lh,
					                (const tlog_hash *)
					                        pr.hashes,
					                pr.nhashes,
					                cp.root) == 0;
					tlog_checkpoint_free(&cp);
				}
				tlog_note_free(&note);
			}
			tlog_proof_free(&pr);
		}
		proof_t = now_s() - t;
		if (good != nproofs)
			die("a proof failed");
		for (int i = 0; i < nproofs; i++)
			attest_buf_free(&proofs[i]);
		free(proofs);
	}
	attest_workspace_close(w);

	{
		char db[4200];
		double r = median(ratio, pairs);
		snprintf(db, sizeof(db), "%s/attest.db", ws);
		printf("ledger benchmark: %llu entries of %d-byte payloads, "
		       "batch %llu, synchronous=FULL, %d pair%s\n",
		       (unsigned long long)n, PAYLOAD,
		       (unsigned long long)batch, pairs, pairs == 1 ? "" : "s");
		printf("  append   raw SQLite insert %9.0f /s (median)\n",
		       n / median(raw_t, pairs));
		printf("           ledger append     %9.0f /s (median)\n",
		       n / median(led_t, pairs));
		printf("           ratio ledger/raw  %9.2f   goal >= 0.75: "
		       "%s\n",
		       r, r >= 0.75 ? "met" : "MISSED");
		printf("  verify   hashing ceiling   %9.0f /s\n", n / ceil_t);
		printf("           ledger verify     %9.0f /s   ratio %.2f   "
		       "goal >= 0.6: %s\n",
		       n / verify_t, ceil_t / verify_t,
		       ceil_t / verify_t >= 0.6 ? "met" : "MISSED");
		printf("           bundle verify     %9.0f /s   ratio %.2f   "
		       "goal >= 0.6: %s\n",
		       n / bverify_t, ceil_t / bverify_t,
		       ceil_t / bverify_t >= 0.6 ? "met" : "MISSED");
		printf("           bundle export     %9.0f /s\n", n / export_t);
		printf("  proofs   inclusion checks  %9.0f /s   goal >= 5000: "
		       "%s\n",
		       nproofs / proof_t,
		       nproofs / proof_t >= 5000 ? "met" : "MISSED");
		printf("  storage  ledger DB %lld KB, raw DB %lld KB: %.2fx\n",
		       file_kb(db), file_kb(path),
		       (double)file_kb(db) /
		               (double)(file_kb(path) ? file_kb(path) : 1));
	}
	free(vkey);
	free(history);
	tlog_verifier_free(&key);
	free(payloads);
	return 0;
}
