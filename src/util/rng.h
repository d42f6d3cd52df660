/*
 * splitmix64: a small deterministic generator, the same on every machine.
 * For generated data (the demo, benchmarks), never for secrets.
 */
#ifndef ATTEST_UTIL_RNG_H
#define ATTEST_UTIL_RNG_H

#include <stdint.h>

static inline uint64_t
attest_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A value in [0, n); n > 0. */
static inline unsigned
attest_rng_pick(uint64_t *state, unsigned n)
{
	return (unsigned)(attest_rng_next(state) % n);
}

#endif
