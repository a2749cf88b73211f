/* handover: main(), the command table (dispatch and --help from one list)
 * and the global options. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "handover/testhook.h"

static const cli_command commands[] = {
    {"init", cmd_init,
     "[--template pod|--empty] [--title TEXT] [--demo]\n"
     "      [--service S] [--from ORG] [--to ORG] [--target DATE] [--marking TEXT]",
     "create a new file; you become its first lead (the cover options describe\n"
     "its first handover)",
     "template=,empty,title=,demo,service=,from=,to=,target=,marking=", 0, 0},
    {"demo", cmd_demo, "", "create the demo file when it is missing, then open it", "", 0, 0},
    {"new", cmd_handover_new,
     "--title T [--service S] [--from ORG] [--to ORG]\n"
     "      [--target DATE] [--marking TEXT] [--template pod|--empty]",
     "add a handover to the file (leads); prints its number. Without --empty it\n"
     "starts from the pod template",
     "title=,service=,from=,to=,target=,marking=,template=,empty", 0, 0},
    {"set", cmd_handover_set,
     "[--handover ID] [--title T] [--service S] [--from ORG]\n"
     "      [--to ORG] [--target DATE] [--marking TEXT] [--distribution TEXT]",
     "edit a handover's cover (leads); the marking (default OFFICIAL) prints on\n"
     "every page of its documents, the distribution in their document control",
     "handover=,title=,service=,from=,to=,target=,marking=,distribution=", 0, 0},
    {"close", cmd_handover_close, "[--handover ID] --note REASON",
     "close a handover (leads): read-only afterwards, still printable", "handover=,note=", 0, 0},
    {"reopen", cmd_handover_reopen, "[--handover ID]", "reopen a closed handover (leads)",
     "handover=", 0, 0},
    {"functions add", cmd_functions_add, "CODE --name NAME [--due DATE] [--handover ID]",
     "add a function (a checklist) to a handover (leads)", "name=,due=,handover=", 1, 1},
    {"functions edit", cmd_functions_edit, "CODE [--name NAME] [--due DATE] [--handover ID]",
     "rename a function or set its due date (--due \"\" clears it)", "name=,due=,handover=", 1, 1},
    {"functions retire", cmd_functions_retire, "CODE --note REASON [--handover ID]",
     "withdraw a function: it leaves counts, readiness and documents", "note=,handover=", 1, 1},
    {"functions move", cmd_functions_move, "CODE --before CODE | CODE --last [--handover ID]",
     "reorder a handover's functions (leads)", "before=,last,handover=", 1, 1},
    {"items add", cmd_items_add, "CODE --title T [--guidance G] [--due DATE] [--handover ID]",
     "add an item to a function's checklist (leads); prints its reference",
     "title=,guidance=,due=,handover=", 1, 1},
    {"items edit", cmd_items_edit, "REF [--title T] [--guidance G] [--due DATE] [--handover ID]",
     "edit an item (leads); new text after review sends it back to the receiver",
     "title=,guidance=,due=,handover=", 1, 1},
    {"items retire", cmd_items_retire, "REF --note REASON [--handover ID]",
     "withdraw an item; its reference is never reused", "note=,handover=", 1, 1},
    {"items move", cmd_items_move, "REF --before REF | REF --last [--handover ID]",
     "reorder a function's checklist (leads)", "before=,last,handover=", 1, 1},
    {"people add", cmd_people_add,
     "LOGIN --name NAME --role sender|receiver|lead[,...] [--org ORG]\n"
     "      [--create-login [--password-file FILE]]",
     "add a person (leads); a person may hold several roles, such as lead,sender.\n"
     "On PostgreSQL the database login LOGIN is given a person's rights, or with\n"
     "--create-login made (its password from --password-file or stdin)",
     "name=,role=,org=,create-login,password-file=", 1, 1},
    {"people edit", cmd_people_edit,
     "LOGIN [--name NAME] [--org ORG] [--job-title TEXT] [--role ROLE[,ROLE]]",
     "change a person's details (leads)", "name=,org=,job-title=,role=", 1, 1},
    {"people leave", cmd_people_leave, "LOGIN [--to LOGIN]",
     "record that a person left (leads): they keep their history but can no\n"
     "longer act; their pairs move to --to, else become unpaired; on PostgreSQL\n"
     "their database login loses a person's rights",
     "to=", 1, 1},
    {"people map", cmd_people_map, "LOGIN [--create-login [--password-file FILE]]",
     "PostgreSQL: give an existing person's database login a person's rights\n"
     "(leads), or with --create-login make it (its password from --password-file\n"
     "or stdin); for people copied in or added before their login existed",
     "create-login,password-file=", 1, 1},
    {"people list", cmd_people_list, "[--all]",
     "list the people and their roles; --all includes those who left", "all", 0, 0},
    {"pair", cmd_pair, "CODE [--sender LOGIN] [--receiver LOGIN] [--handover ID]",
     "pair a sender and a receiver on a function (leads); give either or both,\n"
     "the side left out stays as it is",
     "sender=,receiver=,handover=", 1, 1},
    {"mark", cmd_mark,
     "REF STATE [--note TEXT] [--evidence TEXT] [--handover ID]\n"
     "      [--owner LOGIN|sender-side|receiver-side] [--due DATE]",
     "change an item: in-progress, handed-over, not-applicable, accepted,\n"
     "accepted-with-conditions, gap; a condition's --owner (default: the\n"
     "receiver) and --due (default: the handover's target date)",
     "note=,evidence=,handover=,owner=,due=", 2, 2},
    {"comment", cmd_comment, "REF TEXT [--handover ID]", "add a comment to an item's thread",
     "handover=", 2, 2},
    {"sign", cmd_sign, "CODE [--handover ID] | sign --handover ID",
     "sign off a function (sender, receiver) or a handover (lead)", "handover=", 0, 1},
    {"status", cmd_status, "[--handover ID] [--all]",
     "readiness per handover and function; --all adds who is waiting on whom\n"
     "across every handover: per person, the items whose move is theirs, oldest first",
     "handover=,all", 0, 0},
    {"todo", cmd_todo, "", "what waits on you, grouped, by due date", "", 0, 0},
    {"changes", cmd_changes, "[--since last|today|yesterday|DATE] [--handover ID]",
     "what others changed since you last looked (then marks them seen), or since a\n"
     "date (which marks nothing: suits a daily mail from cron)",
     "since=,handover=", 0, 0},
    {"gaps", cmd_gaps, "[--function CODE] [--handover ID]", "list the gaps",
     "function=,handover=", 0, 0},
    {"history", cmd_history, "[REF] [--handover ID]",
     "the changes to an item, or to the whole file", "handover=", 0, 1},
    {"print", cmd_print,
     "[--handover ID] [--function CODE] [--all]\n"
     "      [--format text|markdown|html|csv|pdf|xlsx|docx] [-o OUT [--force]]",
     "the handover document; --all: one roll-up over every handover in the file;\n"
     "--force replaces an existing OUT",
     "handover=,function=,format=,o=,force,all", 0, 0},
    {"import", cmd_import, "CSV [--handover ID] [--dry-run]",
     "add and update checklist items from a CSV file (matched by handover and\n"
     "ref, never duplicated); --dry-run shows what would change and changes nothing",
     "handover=,dry-run", 1, 1},
    {"export", cmd_export, "[-o CSV [--force]]",
     "the whole tracker as CSV; --force replaces an existing CSV", "o=,force", 0, 0},
    {"risks add", cmd_risks_add,
     "--title T --likelihood 1-5 --impact 1-5 --owner LOGIN [--function CODE]\n"
     "      [--description D] [--cause C] [--mitigation M] [--review DATE] [--items REFS]",
     "add a risk to the handover's log (NHS 5x5 score); prints its reference",
     "title=,likelihood=,impact=,owner=,function=,description=,cause=,mitigation=,review=,"
     "items=,handover=",
     0, 0},
    {"risks edit", cmd_risks_edit, "R-N [the options of risks add]",
     "change a risk (its owner or a lead)",
     "title=,likelihood=,impact=,owner=,function=,description=,cause=,mitigation=,review=,"
     "items=,handover=",
     1, 1},
    {"risks close", cmd_risks_close, "R-N --note TEXT", "close a risk, saying why",
     "note=,handover=", 1, 1},
    {"risks list", cmd_risks_list, "[--open] [--handover ID]", "the risk log, highest score first",
     "open,handover=", 0, 0},
    {"deepdive add", cmd_deepdive_add,
     "--date DATE --title T [--attendees TEXT] [--risks R-1,R-2] [--decisions TEXT]",
     "record a deep-dive meeting on the handover's risks; prints its reference",
     "date=,title=,attendees=,risks=,decisions=,handover=", 0, 0},
    {"deepdive action", cmd_deepdive_action, "DD-N TEXT --owner LOGIN [--due DATE]",
     "add an action from a deep dive; it waits on its owner until done", "owner=,due=,handover=", 2,
     2},
    {"deepdive done", cmd_deepdive_done, "A-N", "mark an action done (its owner or a lead)",
     "handover=", 1, 1},
    {"deepdive list", cmd_deepdive_list, "[--handover ID]",
     "deep dives with their attendees, decisions and actions", "handover=", 0, 0},
    {"check", cmd_check, "", "check the file: structure, history and every row", "", 0, 0},
    {"verify", cmd_verify, "", "verify the history and that every row is as it says", "", 0, 0},
    {"backup", cmd_backup, "OUT [--force]",
     "copy the file safely while in use (from a server: a new SQLite file);\n"
     "--force replaces an earlier backup",
     "force", 1, 1},
    {"copy", cmd_copy, "FROM TO",
     "copy a whole handover (ids and history kept) into a new file or an empty\n"
     "PostgreSQL database (its owner); FROM and TO are files or server locations",
     "", 2, 2},
    {"config journal", cmd_config_journal, "[wal|delete]",
     "show or change the file's journal (leads; wal on a local disk, delete on\n"
     "a network drive); every user follows the file",
     "", 0, 1},
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
	      "\n"
	      "The shared file: one journal mode per file, chosen by init ($HANDOVER_JOURNAL,\n"
	      "else WAL on a local disk and a rollback journal on a network drive) and\n"
	      "followed by everyone; a lead changes it with 'config journal'. A change\n"
	      "waits for others' (up to $HANDOVER_BUSY_MS, 8000 ms), then stops with\n"
	      "exit 3; a change is saved whole or not at all; a full disk is named and\n"
	      "changes nothing; a file is called damaged only when SQLite finds it so;\n"
	      "of several inits on one path one wins; history's clock never runs back.\n"
	      "See 'man handover' for the screens, keys and the shared-file advice.\n",
	      stdout);
}

/* The core reads HANDOVER_NOW (a fixed clock: a test hook, honoured only by
 * builds made with the tests) and quietly ignores a malformed value; say
 * so here, since a document dated by the wrong clock is easy to miss. */
static void check_clock(void)
{
	const char *now = getenv("HANDOVER_NOW");
	if (now && *now && !ho_clock_env_honoured())
		cli_error(NULL, CLI_OK,
		          "warning: HANDOVER_NOW is a setting for tests; this build ignores it "
		          "and uses the system clock");
	else if (now && *now && ho_time_parse(now) < 0)
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
