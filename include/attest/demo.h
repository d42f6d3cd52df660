/*
 * The demo workspace: a realistic example company (scope, systems, control
 * statuses, a year of evidence) for trying attest and for tests. The result
 * depends only on as_of, never on the clock or the machine.
 */
#ifndef ATTEST_DEMO_H
#define ATTEST_DEMO_H

#include <stdint.h>

/* Creates the demo workspace in dir (must not hold one) as of as_of. */
int attest_demo_create(const char *dir, int64_t as_of);

#endif
