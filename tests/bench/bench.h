/* handover-bench: shared pieces of the generator and the runner. */
#ifndef HANDOVER_BENCH_H
#define HANDOVER_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* The clock every run reads: figures such as "overdue" depend on it, so a
 * fixed "today" keeps two runs on the same file comparable. */
#define BENCH_TODAY "2026-11-30T09:00"

/* A small deterministic PRNG (splitmix64): the same seed always gives the
 * same file, on every platform. */
typedef struct bench_rng {
	uint64_t s;
} bench_rng;

static inline uint64_t bench_next(bench_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline int bench_below(bench_rng *r, int n)
{
	return n > 0 ? (int)(bench_next(r) % (uint64_t)n) : 0;
}

/* Milliseconds on the monotonic clock, which every process on the machine
 * shares, so a child's commit time compares with the parent's. */
double bench_ms(void);

int bench_generate(int argc, char **argv);
int bench_run(int argc, char **argv);

#endif
