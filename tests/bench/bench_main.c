/* handover-bench: builds realistic handover files and measures the
 * application on them (see docs/benchmarks.md).
 *
 *   handover-bench generate FILE --scale smoke|national|10x
 *   handover-bench run FILE [--quick] [--bin HANDOVER]
 */
#define _GNU_SOURCE
#include "bench.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

double bench_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void usage(FILE *to)
{
	fputs("usage: handover-bench generate FILE --scale smoke|national|10x\n"
	      "       handover-bench run FILE [--quick] [--bin HANDOVER]\n",
	      to);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "generate") == 0)
		return bench_generate(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return bench_run(argc - 2, argv + 2);
	usage(stderr);
	return 1;
}
