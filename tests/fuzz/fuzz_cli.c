/* Fuzz target: the command-line parser, with the program's real command
 * table (this file includes src/cli/main.c, whose main() is renamed, to
 * reach the table that is static there). The input is the arguments,
 * separated by NUL bytes. For any input the parser returns one of its
 * results; on "run" the command is from the table, its arguments fit, and
 * every option it holds is one the command accepts; nothing it returns
 * points outside the arguments. */
int handover_cli_main(int argc, char **argv);
#define main handover_cli_main
#include "../../src/cli/main.c"
#undef main

#include <stdint.h>
#include <stdio.h>

#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Usage errors go to stderr: run the fuzzer with -close_fd_mask=2 (run.sh
 * does) so they do not drown its own report. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsetenv("HANDOVER_FILE");
	return 0;
}

/* Is `name` one of the comma-separated options of `spec` ("note=,o=")? */
static int in_spec(const char *spec, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = spec; *p;) {
		size_t n = strcspn(p, ",");
		size_t word = n > 0 && p[n - 1] == '=' ? n - 1 : n;
		if (word == len && strncmp(p, name, len) == 0)
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* A two-word command ("people add") is named by its table entry. */
static int table_name(const char *p)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (p == commands[i].name)
			return 1;
	return 0;
}

static int inside(const char *p, char *const *argv, int argc)
{
	if (!p)
		return 1;
	for (int i = 0; i < argc; i++)
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return 1;
	/* The default file name, or an empty option value. */
	return strcmp(p, "handover.db") == 0 || p[0] == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	char *argv[66];
	int argc = 0;
	argv[argc++] = (char *)"handover";
	for (char *p = buf; p <= buf + size && argc < 64;) {
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;

	cli_args a;
	const cli_command *cmd = NULL;
	cli_parse_result r = cli_parse(argc, argv, commands, NCOMMANDS, &a, &cmd);
	FUZZ_CHECK(r == CLI_PARSE_RUN || r == CLI_PARSE_HELP || r == CLI_PARSE_VERSION ||
	               r == CLI_PARSE_ERROR,
	           "result %d", (int)r);
	if (r == CLI_PARSE_RUN || r == CLI_PARSE_HELP) {
		FUZZ_CHECK(!cmd || (cmd >= commands && cmd < commands + NCOMMANDS),
		           "command outside the table");
		FUZZ_CHECK(a.npos >= 0 && a.npos <= CLI_MAX_POS, "%d arguments", a.npos);
		FUZZ_CHECK(a.nopts >= 0 && a.nopts <= CLI_MAX_OPTS, "%d options", a.nopts);
		FUZZ_CHECK(inside(a.file, argv, argc) && inside(a.login, argv, argc) &&
		               (inside(a.command, argv, argc) || table_name(a.command)),
		           "a pointer outside the arguments");
		for (int i = 0; i < a.npos; i++)
			FUZZ_CHECK(inside(a.pos[i], argv, argc), "argument %d outside", i);
		for (int i = 0; i < a.nopts; i++)
			FUZZ_CHECK(a.opts[i].name[0] && a.opts[i].value, "option %d empty", i);
	}
	if (r == CLI_PARSE_RUN && cmd) {
		FUZZ_CHECK(a.npos >= cmd->min_pos && a.npos <= cmd->max_pos, "%s with %d arguments",
		           cmd->name, a.npos);
		for (int i = 0; i < a.nopts; i++)
			FUZZ_CHECK(in_spec(cmd->options, a.opts[i].name), "%s accepted option '%s'",
			           cmd->name, a.opts[i].name);
		/* A value read back, as the commands do. */
		for (int i = 0; i < a.nopts; i++)
			FUZZ_CHECK(cli_opt(&a, a.opts[i].name) != NULL, "option lost");
	}
	free(buf);
	return 0;
}
