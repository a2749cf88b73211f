/* Replays a saved fuzzing corpus through a target's LLVMFuzzerTestOneInput,
 * so the corpus runs as an ordinary test under any compiler (and under
 * AddressSanitizer in the sanitizer build) without libFuzzer.
 *
 * Usage: replay_TARGET FILE|DIR...
 * Every regular file named, and every file directly inside a directory
 * named, is one input, in name order. Exit status 0 when all ran; 1 when
 * nothing was found to run (a missing corpus must not pass silently). A
 * finding aborts, as it would under the fuzzer. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long inputs;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 1 << 16, len = 0, got;
	uint8_t *buf = malloc(cap);
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", path);
		exit(2);
	}
	/* An exact-size copy, so a read past the end shows under ASan. */
	uint8_t *exact = malloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	inputs++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void run_path(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		perror(path);
		exit(2);
	}
	if (!S_ISDIR(sb.st_mode)) {
		run_file(path);
		return;
	}
	struct dirent **names = NULL;
	int n = scandir(path, &names, NULL, by_name);
	if (n < 0) {
		perror(path);
		exit(2);
	}
	for (int i = 0; i < n; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", path, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
			run_file(p);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		run_path(argv[i]);
	printf("%s: replayed %ld inputs\n", argv[0], inputs);
	return inputs > 0 ? 0 : 1;
}
