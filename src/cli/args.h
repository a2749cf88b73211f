/* Parsing the command line against the command table: global options may
 * come anywhere, each command's options may follow its arguments. */
#ifndef HANDOVER_CLI_ARGS_H
#define HANDOVER_CLI_ARGS_H

#include <stddef.h>

#include "cli.h"

typedef enum cli_parse_result {
	CLI_PARSE_RUN = 0, /* run *cmd (NULL: no command, the terminal application) */
	CLI_PARSE_HELP,    /* --help: for *cmd, or the whole program when NULL */
	CLI_PARSE_VERSION,
	CLI_PARSE_ERROR /* a usage error, already reported */
} cli_parse_result;

cli_parse_result cli_parse(int argc, char **argv, const cli_command *table, size_t n, cli_args *a,
                           const cli_command **cmd);

#endif
