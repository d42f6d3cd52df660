/*
 * The demo workspace: Northwind Analytics, a made-up 180-person SaaS company
 * preparing its first SOC 2 Type II for security, availability and
 * confidentiality. Everything derives from as_of and a fixed seed, so tests
 * can state exact answers; nothing reads the clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest/demo.h"
#include "attest/error.h"
#include "attest/evidence.h"
#include "attest/workspace.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/rng.h"
#include "util/fs.h"

#define SEED 0x5eed2026a77e57ULL

static const char *const people[] = {
        "maria.lopez", "sam.okafor",   "priya.nair",  "jon.berg",
        "aiko.tanaka", "lena.fischer", "omar.haddad", "grace.kim"};

static const char *const hosts[] = {"app-01", "app-02", "db-01"};

static int
scope(struct attest_store *st, int64_t as_of)
{
	static const struct attest_system systems[] = {
	        {"platform", "Northwind analytics platform", "system",
	         "Multi-tenant web application and API customers use to load "
	         "and query their data.",
	         "sam.okafor"},
	        {"warehouse", "Customer data warehouse", "asset",
	         "PostgreSQL clusters holding customer datasets, encrypted at "
	         "rest.",
	         "priya.nair"},
	        {"prod-hosts", "Production Linux hosts", "asset",
	         "Debian 12 servers in two availability zones.", "jon.berg"},
	        {"legacy-billing", "Legacy billing service", "system",
	         "Being retired; replaced by the payment provider.",
	         "lena.fischer"},
	};
	static const char *const aws_controls[] = {
	        "Physical access to data centres is restricted to authorised "
	        "staff and reviewed.",
	        "Data-centre power, cooling and fire suppression are monitored "
	        "and maintained."};
	static const char *const aws_criteria[] = {"CC6.4", "A1.2"};
	static const char *const gh_controls[] = {
	        "Source repositories are protected against unauthorised "
	        "access and loss."};
	static const char *const gh_criteria[] = {"CC6.1", "CC8.1"};
	const struct attest_subservice subs[] = {
	        {"aws", "Amazon Web Services", "carve-out",
	         "Infrastructure hosting (EC2, RDS, S3) in eu-west-1",
	         (const char **)aws_controls, 2, (const char **)aws_criteria,
	         2},
	        {"github", "GitHub", "carve-out", "Source code hosting and CI",
	         (const char **)gh_controls, 1, (const char **)gh_criteria, 2},
	};
	static const char *const cc62[] = {"CC6.2", "CC6.3"};
	static const char *const cc23[] = {"CC2.3"};
	const struct attest_user_entity ues[] = {
	        {0, "cuec",
	         "Customers approve and periodically review which of their "
	         "users hold access to their Northwind tenant.",
	         (const char **)cc62, 2},
	        {0, "cuec",
	         "Customers keep the API keys Northwind issues to them secret "
	         "and rotate them when staff leave.",
	         (const char **)cc62, 1},
	        {0, "responsibility",
	         "Customers keep their billing and security contact details "
	         "current.",
	         (const char **)cc23, 1},
	};
	const struct attest_exclusion ex[] = {
	        {0, "legacy-billing",
	         "Retired at the end of the quarter; holds no customer data.",
	         "lena.fischer", as_of + 20 * ATTEST_DAY},
	        {0, "PHY-07",
	         "Office badge system replaced; new logs available next month.",
	         "omar.haddad", as_of - 12 * ATTEST_DAY},
	};
	const struct attest_not_applicable na = {
	        "CC6.5",
	        "Northwind owns no data-bearing hardware: production runs on "
	        "the carved-out cloud provider and laptops are leased with "
	        "vendor-certified wiping."};
	int64_t id;
	int rc;

	for (size_t i = 0; i < 4; i++)
		if ((rc = st->ops->system_put(st, &systems[i])) < 0)
			return rc;
	for (size_t i = 0; i < 2; i++)
		if ((rc = st->ops->subservice_put(st, &subs[i])) < 0)
			return rc;
	for (size_t i = 0; i < 3; i++)
		if ((rc = st->ops->user_entity_add(st, &ues[i], &id)) < 0)
			return rc;
	for (size_t i = 0; i < 2; i++)
		if ((rc = st->ops->exclusion_add(st, &ex[i], &id)) < 0)
			return rc;
	return st->ops->not_applicable_put(st, &na);
}

/* Days between records of a control of this frequency. */
static int
step_days(enum attest_frequency f, uint64_t *rng)
{
	switch (f) {
	case ATTEST_FREQ_CONTINUOUS:
	case ATTEST_FREQ_DAILY:
		return 1;
	case ATTEST_FREQ_WEEKLY:
		return 7;
	case ATTEST_FREQ_MONTHLY:
		return 30;
	case ATTEST_FREQ_QUARTERLY:
		return 91;
	case ATTEST_FREQ_SEMIANNUAL:
		return 182;
	case ATTEST_FREQ_ANNUAL:
		return 365;
	default:
		return 20 + (int)attest_rng_pick(rng, 40); /* per event */
	}
}

/* Writes a small dated record to attach, named like a real export. */
static int
attachment(char *path, size_t pathlen, const char *tmpdir,
           const struct attest_control *c, int64_t when)
{
	struct attest_buf b = ATTEST_BUF_INIT;
	char day[11];
	int rc;

	attest_date_format(day, when);
	snprintf(path, pathlen, "%s/%s-%s.md", tmpdir, c->id, day);
	attest_buf_printf(&b,
	                  "# %s\n\nNorthwind Analytics — record of %s.\n\n"
	                  "Control: %s\n\nExpected evidence: %s\n",
	                  c->title, day, c->id,
	                  c->nevidence ? c->evidence[0] : "record");
	rc = attest_write_file_atomic(path, b.ptr, b.len);
	attest_buf_free(&b);
	return rc;
}

static int
control_history(struct attest_workspace *ws, const struct attest_control *c,
                int64_t as_of, uint64_t *rng, const char *tmpdir)
{
	int automated = !strcmp(c->automation, "automated");
	int step = step_days(c->frequency, rng);
	unsigned fate = attest_rng_pick(rng, 100);
	int64_t stop = as_of, start = as_of - 365 * (int64_t)ATTEST_DAY;
	int failing = automated && fate >= 90;
	int rc = 0;

	if (fate < 5)
		return 0; /* implemented, but nobody kept the evidence */
	if (fate < 15)    /* went quiet: stale */
		stop = as_of - (int64_t)(step * 2 + 400 / step) * ATTEST_DAY -
		       (int64_t)attest_frequency_max_age_days(c->frequency) *
		               ATTEST_DAY;
	start += (int64_t)attest_rng_pick(rng, (unsigned)step) * ATTEST_DAY;
	for (int64_t t = start; t <= stop && rc == 0;
	     t += (int64_t)step * ATTEST_DAY) {
		int64_t day = attest_day_floor(t) + 9 * 3600;
		size_t nsub = automated ? 3 : 1;
		for (size_t h = 0; h < nsub && rc == 0; h++) {
			const char *ctl[] = {c->id};
			char path[512];
			const char *files[] = {path};
			int last = t + (int64_t)step * ATTEST_DAY > stop;
			struct attest_evidence ev = {
			        .kind = automated ? "check" : "upload",
			        .source = automated ? "attest scan"
			                            : people[attest_rng_pick(
			                                      rng, 8)],
			        .controls = ctl,
			        .ncontrols = 1,
			        .subject = automated ? hosts[h] : NULL,
			        .verdict = automated
			                           ? (failing && last && h == 1
			                                      ? "fail"
			                                      : "pass")
			                           : "manual",
			        .collected_at = day + (int64_t)attest_rng_pick(
			                                      rng, 7200),
			        .effective_at = day,
			};
			int attach = !automated && step >= 30;
			int64_t id;

			if (attach && (rc = attachment(path, sizeof(path),
			                               tmpdir, c, day)) < 0)
				break;
			rc = attest_evidence_append(ws, &ev, files,
			                            attach ? 1 : 0, &id);
			if (attach)
				unlink(path);
		}
	}
	return rc;
}

static int
controls(struct attest_workspace *ws, const struct attest_catalog *cat,
         unsigned categories, int64_t as_of, uint64_t *rng)
{
	struct attest_store *st = attest_workspace_store(ws);
	char tmpdir[] = "/tmp/attest-demo-XXXXXX";
	int rc = 0;

	if (mkdtemp(tmpdir) == NULL)
		return attest_error_set(ATTEST_EIO, "cannot make a temporary "
		                                    "directory");
	for (size_t i = 0; i < cat->ncontrols && rc == 0; i++) {
		const struct attest_control *c = &cat->controls[i];
		struct attest_control_state s = {.control = c->id};
		int in_scope = 0;
		unsigned r = attest_rng_pick(rng, 100);

		for (size_t j = 0; j < c->ncriteria; j++)
			in_scope |=
			        (categories >> c->criteria[j]->category) & 1;
		if (!in_scope)
			continue;
		s.owner = people[attest_rng_pick(rng, 8)];
		s.updated_at =
		        as_of - (int64_t)attest_rng_pick(rng, 200) * ATTEST_DAY;
		if (r < 72) {
			s.status = "implemented";
		} else if (r < 82) {
			s.status = "in-progress";
			s.note = "Rolling out; owner tracks it in the security "
			         "roadmap.";
		} else if (r < 94) {
			s.status = "not-started";
		} else {
			s.status = "not-applicable";
			s.reason = "Covered by the carved-out cloud provider's "
			           "controls for this system.";
		}
		if ((rc = st->ops->state_put(st, &s)) < 0)
			break;
		if (!strcmp(s.status, "implemented"))
			rc = control_history(ws, c, as_of, rng, tmpdir);
	}
	rmdir(tmpdir);
	return rc;
}

int
attest_demo_create(const char *dir, int64_t as_of)
{
	unsigned categories = (1u << ATTEST_SECURITY) |
	                      (1u << ATTEST_AVAILABILITY) |
	                      (1u << ATTEST_CONFIDENTIALITY);
	struct attest_workspace *ws = NULL;
	const struct attest_catalog *cat;
	uint64_t rng = SEED;
	int rc;

	if ((rc = attest_workspace_init(dir, "Northwind Analytics, Inc.",
	                                categories,
	                                as_of - 400 * (int64_t)ATTEST_DAY)) < 0)
		return rc;
	if ((rc = attest_workspace_open(&ws, dir)) < 0 ||
	    (rc = attest_workspace_catalog(ws, &cat)) < 0 ||
	    (rc = attest_workspace_begin(ws)) < 0 ||
	    (rc = scope(attest_workspace_store(ws), as_of)) < 0 ||
	    (rc = controls(ws, cat, categories, as_of, &rng)) < 0 ||
	    (rc = attest_workspace_commit(ws)) < 0)
		goto fail;
	attest_workspace_close(ws);
	return 0;
fail:
	attest_workspace_close(ws);
	return rc;
}
