/* handover: main(), the command table (dispatch and --help from one list)
 * and the global options. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"

static const cli_command commands[] = {
    {"init", cmd_init, "[--template pod|--empty] [--title TEXT] [--demo]",
     "create a new file; you become its first lead", "template=,empty,title=,demo", 0, 0},
    {"demo", cmd_demo, "", "create the demo file when it is missing, then open it", "", 0, 0},
    {"people add", cmd_people_add, "LOGIN --name NAME --role sender|receiver|lead [--org ORG]",
     "add a person (leads)", "name=,role=,org=", 1, 1},
    {"people list", cmd_people_list, "", "list the people and their roles", "", 0, 0},
    {"pair", cmd_pair, "CODE [--sender LOGIN] [--receiver LOGIN] [--handover ID]",
     "pair a sender and a receiver on a function (leads); give either or both,\n"
     "the side left out stays as it is",
     "sender=,receiver=,handover=", 1, 1},
    {"mark", cmd_mark, "REF STATE [--note TEXT] [--evidence TEXT] [--handover ID]",
     "change an item: in-progress, handed-over, not-applicable, accepted,\n"
     "accepted-with-conditions, gap",
     "note=,evidence=,handover=", 2, 2},
    {"comment", cmd_comment, "REF TEXT [--handover ID]", "add a comment to an item's thread",
     "handover=", 2, 2},
    {"sign", cmd_sign, "CODE [--handover ID] | sign --handover ID",
     "sign off a function (sender, receiver) or a handover (lead)", "handover=", 0, 1},
    {"status", cmd_status, "[--handover ID]", "readiness per handover and function", "handover=", 0,
     0},
    {"gaps", cmd_gaps, "[--function CODE] [--handover ID]", "list the gaps",
     "function=,handover=", 0, 0},
    {"history", cmd_history, "[REF] [--handover ID]",
     "the changes to an item, or to the whole file", "handover=", 0, 1},
    {"print", cmd_print,
     "[--handover ID] [--function CODE] [--format text|markdown|html|csv|pdf|xlsx|docx] "
     "[-o OUT [--force]]",
     "the handover document; --force replaces an existing OUT",
     "handover=,function=,format=,o=,force", 0, 0},
    {"import", cmd_import, "CSV [--handover ID]", "add checklist items from a CSV file",
     "handover=", 1, 1},
    {"export", cmd_export, "[-o CSV [--force]]",
     "the whole tracker as CSV; --force replaces an existing CSV", "o=,force", 0, 0},
    {"check", cmd_check, "", "check the file's integrity", "", 0, 0},
    {"verify", cmd_verify, "", "verify the history's hash chain", "", 0, 0},
    {"backup", cmd_backup, "OUT [--force]",
     "copy the file safely while in use; --force replaces an earlier backup", "force", 1, 1},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The summary may run over several lines; indent the ones after the first. */
static void print_summary(const char *summary)
{
	for (const char *p = summary; *p; p++) {
		putchar(*p);
		if (*p == '\n')
			fputs("      ", stdout);
	}
	putchar('\n');
}

static void print_command(const cli_command *c)
{
	printf("  handover %s%s%s\n      ", c->name, *c->usage ? " " : "", c->usage);
	print_summary(c->summary);
}

static void help(const cli_command *cmd)
{
	if (cmd) {
		size_t len = strcspn(cmd->name, " ");
		fputs("Usage:\n", stdout);
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (strncmp(commands[i].name, cmd->name, len) == 0 &&
			    (commands[i].name[len] == ' ' || commands[i].name[len] == '\0'))
				print_command(&commands[i]);
		fputs("Every command also takes -f FILE and --as LOGIN; see 'man handover'.\n",
		      stdout);
		return;
	}
	fputs("Usage: handover [-f FILE] [--as LOGIN] [COMMAND [ARGUMENTS]]\n"
	      "\n"
	      "Walks paired senders and receivers through handover checklists kept in one\n"
	      "shared file. Without a command, opens the file in the terminal application.\n"
	      "\n"
	      "Options (anywhere on the line):\n"
	      "  -f FILE       the handover file (else $HANDOVER_FILE, else ./handover.db)\n"
	      "  --as LOGIN    act as LOGIN (else $HANDOVER_USER, else your login name)\n"
	      "  -h, --help    this help (after a command: that command's);\n"
	      "                also 'handover help COMMAND'\n"
	      "  -V, --version the version (also 'handover version')\n"
	      "\n"
	      "Commands:\n",
	      stdout);
	for (size_t i = 0; i < NCOMMANDS; i++)
		print_command(&commands[i]);
	fputs("\n"
	      "REF is an item reference such as FIN-3; CODE a function code such as FIN;\n"
	      "ID a handover number as shown by 'status'.\n"
	      "\n"
	      "Exit status: 0 success, 1 usage error, 2 bad or unreadable file,\n"
	      "3 refused (permission, conflict, state, file busy).\n"
	      "See 'man handover' for the screens, keys and the shared-file advice.\n",
	      stdout);
}

/* The core reads HANDOVER_NOW (a fixed clock for tests and reproducible
 * documents) and quietly ignores a malformed value; say so here, since a
 * document dated by the wrong clock is easy to miss. */
static void check_clock(void)
{
	const char *now = getenv("HANDOVER_NOW");
	if (now && *now && ho_time_parse(now) < 0)
		cli_error(NULL, CLI_OK,
		          "warning: HANDOVER_NOW='%s' is not YYYY-MM-DD[THH:MM[:SS]][Z]; "
		          "using the system clock",
		          now);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	cli_args a;
	const cli_command *cmd = NULL;
	switch (cli_parse(argc, argv, commands, NCOMMANDS, &a, &cmd)) {
	case CLI_PARSE_HELP:
		help(cmd);
		return CLI_OK;
	case CLI_PARSE_VERSION:
		printf("handover %s\n", HO_VERSION);
		return CLI_OK;
	case CLI_PARSE_ERROR:
		return CLI_USAGE;
	case CLI_PARSE_RUN:
		break;
	}
	check_clock();
	int code = cmd ? cmd->run(&a) : cmd_tui(&a);
	if (fflush(stdout) != 0 && code == CLI_OK)
		code = cli_error(a.command, CLI_BADFILE, "cannot write the output");
	return code;
}
