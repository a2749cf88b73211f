/* Setting a handover up: init, people, pairs (the lead's commands). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "table.h"

/* A file that init created but could not fill is of no use to anyone and
 * would make the next init refuse: take it away again. */
static void remove_created(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char name[4096];
		if ((size_t)snprintf(name, sizeof name, "%s%s", path, suffixes[i]) < sizeof name)
			unlink(name);
	}
}

static void say_created(ho_db *db, const char *path, const char *login)
{
	ho_handover *h = NULL;
	size_t nh = 0;
	int functions = 0, items = 0;
	if (ho_handovers_list(db, &h, &nh) == HO_OK)
		for (size_t i = 0; i < nh; i++) {
			functions += h[i].functions;
			items += h[i].counts.total;
		}
	fputs("init: created ", stdout);
	cli_put(stdout, path);
	printf(" (%zu handover%s, %d functions, %d items; journal %s); you (", nh,
	       nh == 1 ? "" : "s", functions, items, ho_journal_mode(db));
	cli_put(stdout, login);
	fputs(") are its lead\n", stdout);
	ho_handover_free(h, nh);
}

/* The first handover's cover from init's options; NULL when none given. */
static const ho_cover *init_cover(const cli_args *a, ho_cover *c)
{
	c->title = NULL;
	c->service = cli_opt(a, "service");
	c->sender_org = cli_opt(a, "from");
	c->receiver_org = cli_opt(a, "to");
	c->target_date = cli_opt(a, "target");
	c->marking = cli_opt(a, "marking");
	c->distribution = NULL;
	return c->service || c->sender_org || c->receiver_org || c->target_date || c->marking
	           ? c
	           : NULL;
}

int cli_create_file(const cli_args *a, const char *title, int empty, int demo, int quiet)
{
	ho_cover cover;
	int code = CLI_OK;
	ho_db *db = NULL;
	char *login = NULL;
	ho_status st = ho_open(a->file, HO_OPEN_CREATE, &db);
	/* On a server the first lead is the database login that makes it,
	 * unless --as names another. */
	if (st == HO_OK) {
		login = cli_login_from_session(a) ? strdup(ho_session_login(db)) : cli_login(a);
		if (!login)
			st = HO_ENOMEM;
	}
	if (st == HO_OK) {
		ho_init_opts opts = {.title = title,
		                     .login = login,
		                     .name = login,
		                     .empty = empty,
		                     .demo = demo,
		                     .cover = init_cover(a, &cover)};
		st = ho_init(db, &opts);
	}
	if (st == HO_EBUSY && !ho_created(db)) {
		/* Another init made the file and holds it while filling it: for
		 * this one it is a file that exists. */
		code =
		    cli_error(a->command, CLI_REFUSED,
		              "%s: already exists; not overwritten (someone else is creating it)",
		              cli_where(a, db));
		goto cleanup;
	}
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	if (!quiet)
		say_created(db, cli_where(a, db), login);
cleanup:;
	/* Only a file this init made (also when it failed half-way through
	 * opening it, e.g. on a full disk), and not when another init running
	 * at the same time is in it (busy) or filled it first (exists): that
	 * one is theirs. */
	int created = ho_created(db) && st != HO_EEXIST && st != HO_EBUSY;
	ho_close(db);
	/* A database on a server is made in one transaction: nothing to take
	 * away there. */
	if (code != CLI_OK && created && !ho_location_is_server(a->file))
		remove_created(a->file);
	free(login);
	return code;
}

int cmd_init(const cli_args *a)
{
	const char *template = cli_opt(a, "template");
	int empty = cli_opt(a, "empty") != NULL;
	int demo = cli_opt(a, "demo") != NULL;
	if (template && strcmp(template, "pod") != 0)
		return cli_usage(a->command, "--template: unknown template '%s' (there is: pod)",
		                 template);
	if (template && empty)
		return cli_usage(a->command, "--template and --empty: choose one");
	if (empty && demo)
		return cli_usage(a->command, "--demo fills the file, so it cannot be --empty");
	ho_cover cover;
	if ((empty || demo) && init_cover(a, &cover))
		return cli_usage(
		    a->command,
		    "--service, --from, --to, --target and --marking describe the first "
		    "handover, which %s does not make; give them to 'handover new'",
		    empty ? "--empty" : "--demo");
	return cli_create_file(a, cli_opt(a, "title"), empty, demo, 0);
}

/* A new login's password: the first line of FILE ("-" or none: stdin,
 * asked for without echo on a terminal). Never an argument, which any
 * local user could read in the process list. */
static int read_password(const cli_args *a, const char *file, const char *login, char **out)
{
	*out = NULL;
	FILE *in = stdin;
	if (file && strcmp(file, "-") != 0 && !(in = fopen(file, "r")))
		return cli_error(a->command, CLI_BADFILE, "--password-file %s: %s", file,
		                 strerror(errno));
	struct termios old, quiet;
	int hidden = in == stdin && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (hidden) {
		fputs("Password for the new login ", stderr);
		cli_put(stderr, login);
		fputs(": ", stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, in);
	if (hidden) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (in != stdin)
		fclose(in);
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	if (n <= 0) {
		if (line)
			explicit_bzero(line, cap);
		free(line);
		return cli_usage(a->command, "--create-login: no password given (its first line "
		                             "from --password-file FILE, or stdin)");
	}
	*out = line;
	return CLI_OK;
}

int cmd_people_add(const cli_args *a)
{
	const char *login = a->pos[0];
	const char *name = cli_opt(a, "name");
	const char *role_word = cli_opt(a, "role");
	unsigned roles = 0;
	if (!name)
		return cli_usage(a->command, "missing --name NAME");
	if (!role_word)
		return cli_usage(a->command, "missing --role sender|receiver|lead");
	if (ho_roles_parse(role_word, &roles) != 0)
		return cli_usage(a->command,
		                 "--role: '%s' is not sender, receiver or lead (or several, "
		                 "such as lead,sender)",
		                 role_word);
	const char *password_file = cli_opt(a, "password-file");
	int create = cli_opt(a, "create-login") != NULL;
	if (password_file && !create)
		return cli_usage(a->command, "--password-file goes with --create-login");
	char *password = NULL;
	if (create && !ho_location_is_server(a->file))
		return cli_usage(a->command,
		                 "--create-login: a handover file has no database logins "
		                 "(only a PostgreSQL database does)");
	int code = create ? read_password(a, password_file, login, &password) : CLI_OK;
	if (code != CLI_OK)
		return code;
	ho_db *db = NULL;
	if ((code = cli_open(a, &db)) != CLI_OK)
		goto cleanup;
	int has_login = 0;
	ho_status st = ho_location_is_server(a->file)
	                   ? ho_person_add_login(db, login, name, roles, cli_opt(a, "org"),
	                                         password, &has_login)
	                   : ho_person_add_roles(db, login, name, roles, cli_opt(a, "org"));
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	fputs("people add: added ", stdout);
	cli_put(stdout, login);
	fputs(" (", stdout);
	cli_put(stdout, name);
	char words[64];
	ho_roles_format(roles, words, sizeof words);
	printf("), %s", words);
	if (create)
		fputs("; database login created", stdout);
	else if (ho_session_login(db) && has_login)
		fputs("; database login given a person's rights", stdout);
	else if (ho_session_login(db))
		fputs("; no database login of that name yet (nobody signs in as them until one is "
		      "made and granted handover_user)",
		      stdout);
	fputc('\n', stdout);
cleanup:
	ho_close(db);
	if (password) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	return code;
}

int cmd_people_list(const cli_args *a)
{
	ho_db *db = NULL;
	ho_person *p = NULL;
	size_t n = 0;
	cli_table *t = NULL;
	int all = cli_opt(a, "all") != NULL, shown = 0, gone = 0;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_people_list(db, &p, &n);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	static const char *const head[] = {"LOGIN", "NAME",         "JOB TITLE",
	                                   "ROLE",  "ORGANISATION", "LEFT"};
	t = cli_table_new(all ? 6 : 5, head);
	if (!t) {
		code = cli_fail(a->command, NULL, HO_ENOMEM);
		goto cleanup;
	}
	cli_table_limit(t, 1, 40);
	cli_table_limit(t, 2, 40);
	for (size_t i = 0; i < n; i++) {
		char left[32] = "-", roles[64];
		ho_roles_format(p[i].roles, roles, sizeof roles);
		if (p[i].left_at) {
			gone++;
			if (!all)
				continue;
			ho_time_format(p[i].left_at, left, sizeof left);
		}
		const char *row[] = {
		    p[i].login, p[i].name, p[i].job_title[0] ? p[i].job_title : "-",
		    roles,      p[i].org,  left};
		if (cli_table_add(t, row) != 0) {
			code = cli_fail(a->command, NULL, HO_ENOMEM);
			goto cleanup;
		}
		shown++;
	}
	if (shown == 0)
		puts("No people yet.");
	else
		cli_table_print(t, stdout, 0);
	if (gone && !all)
		printf("(%d who left not shown: people list --all)\n", gone);
cleanup:
	cli_table_free(t);
	ho_person_free(p, n);
	ho_close(db);
	return code;
}

int cmd_people_edit(const cli_args *a)
{
	const char *login = a->pos[0];
	const char *role_word = cli_opt(a, "role");
	unsigned roles = 0;
	if (!cli_opt(a, "name") && !cli_opt(a, "org") && !cli_opt(a, "job-title") && !role_word)
		return cli_usage(a->command,
		                 "nothing to change: give --name, --org, --job-title or --role");
	if (role_word && ho_roles_parse(role_word, &roles) != 0)
		return cli_usage(a->command,
		                 "--role: '%s' is not sender, receiver or lead (or several, "
		                 "such as lead,sender)",
		                 role_word);
	ho_db *db = NULL;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_person_edit(db, login, cli_opt(a, "name"), cli_opt(a, "org"),
	                              cli_opt(a, "job-title"), roles);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
	} else {
		fputs("people edit: changed ", stdout);
		cli_put(stdout, login);
		fputc('\n', stdout);
	}
	ho_close(db);
	return code;
}

int cmd_people_map(const cli_args *a)
{
	const char *login = a->pos[0];
	const char *password_file = cli_opt(a, "password-file");
	int create = cli_opt(a, "create-login") != NULL;
	if (password_file && !create)
		return cli_usage(a->command, "--password-file goes with --create-login");
	if (!ho_location_is_server(a->file))
		return cli_usage(a->command, "a handover file has no database logins (only a "
		                             "PostgreSQL database does)");
	char *password = NULL;
	int code = create ? read_password(a, password_file, login, &password) : CLI_OK;
	if (code != CLI_OK)
		return code;
	ho_db *db = NULL;
	if ((code = cli_open(a, &db)) == CLI_OK) {
		ho_status st = ho_person_map_login(db, login, password);
		if (st != HO_OK) {
			code = cli_fail(a->command, db, st);
		} else {
			fputs("people map: database login ", stdout);
			cli_put(stdout, login);
			puts(create ? " created with a person's rights"
			            : " given a person's rights");
		}
	}
	ho_close(db);
	if (password) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	return code;
}

int cmd_people_leave(const cli_args *a)
{
	const char *login = a->pos[0], *to = cli_opt(a, "to");
	int moved = 0;
	ho_db *db = NULL;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	int revoked = 0;
	ho_status st = ho_person_leave_login(db, login, to, &moved, &revoked);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
	} else {
		fputs("people leave: ", stdout);
		cli_put(stdout, login);
		printf(" has left; %d pair%s ", moved, moved == 1 ? "" : "s");
		if (to) {
			fputs("moved to ", stdout);
			cli_put(stdout, to);
			fputc('\n', stdout);
		} else {
			puts("now unpaired (see 'handover gaps')");
		}
		if (ho_session_login(db)) {
			fputs("people leave: database login ", stdout);
			cli_put(stdout, login);
			puts(revoked
			         ? ": handover_user revoked"
			         : ": held no handover_user grant to revoke (the guards treat a "
			           "leaver as nobody)");
		}
	}
	ho_close(db);
	return code;
}

int cmd_pair(const cli_args *a)
{
	const char *code_word = a->pos[0];
	const char *sender = cli_opt(a, "sender");
	const char *receiver = cli_opt(a, "receiver");
	int64_t handover = 0;
	if (!sender && !receiver)
		return cli_usage(a->command,
		                 "missing --sender LOGIN or --receiver LOGIN (or both)");
	ho_db *db = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_pair(db, handover, code_word, sender, receiver);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	fputs("pair: ", stdout);
	cli_put(stdout, code_word);
	if (sender) {
		fputs(": sender ", stdout);
		cli_put(stdout, sender);
	}
	if (receiver) {
		fputs(sender ? ", receiver " : ": receiver ", stdout);
		cli_put(stdout, receiver);
	}
	fputc('\n', stdout);
cleanup:
	ho_close(db);
	return code;
}

int cmd_config_journal(const cli_args *a)
{
	const char *mode = a->npos > 0 ? a->pos[0] : NULL;
	if (mode && strcmp(mode, "wal") != 0 && strcmp(mode, "delete") != 0)
		return cli_usage(a->command, "the journal is 'wal' or 'delete', not '%s'", mode);
	ho_db *db = NULL;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	char was[16];
	snprintf(was, sizeof was, "%s", ho_journal_refresh(db));
	if (mode) {
		ho_status st = ho_set_journal(db, mode);
		if (st != HO_OK) {
			code = cli_fail(a->command, db, st);
			goto cleanup;
		}
	}
	fputs("config journal: ", stdout);
	cli_put(stdout, cli_where(a, db));
	if (mode && strcmp(was, mode) != 0)
		printf(": %s (was %s)\n", ho_journal_mode(db), was);
	else
		printf(": %s%s\n", ho_journal_mode(db),
		       ho_on_network(db) ? " (network drive)" : "");
cleanup:
	ho_close(db);
	return code;
}
