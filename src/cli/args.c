/* A small parser instead of getopt_long: options may follow a command's
 * arguments ("mark FIN-3 gap --note ..."), the global options may come
 * anywhere, and "people add" / "people list" share one first word, so the
 * accepted options depend on the command table rather than on one fixed
 * option list. An option's value is always the next word, even when it
 * starts with '-' ("--note -" is a note of one dash). */
#include "args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is `name` in the comma-separated `spec`? *takes_value set from a
 * trailing '='. */
static int spec_has(const char *spec, const char *name, int *takes_value)
{
	size_t len = strlen(name);
	const char *p = spec ? spec : "";
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		int value = n > 0 && p[n - 1] == '=';
		size_t word = value ? n - 1 : n;
		if (word == len && strncmp(p, name, len) == 0) {
			*takes_value = value;
			return 1;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

/* "people add" -> length of "people". */
static size_t first_word_len(const char *name)
{
	const char *space = strchr(name, ' ');
	return space ? (size_t)(space - name) : strlen(name);
}

static int same_first_word(const cli_command *c, const char *word)
{
	size_t len = first_word_len(c->name);
	return strlen(word) == len && strncmp(c->name, word, len) == 0;
}

/* Accepted by any command sharing the command word (the exact command is
 * known only once its second word has been seen). */
static int any_command_has(const cli_command *table, size_t n, const char *word, const char *name,
                           int *takes_value)
{
	for (size_t i = 0; i < n; i++)
		if (same_first_word(&table[i], word) &&
		    spec_has(table[i].options, name, takes_value))
			return 1;
	return 0;
}

static const char *dashes(const char *name)
{
	return name[1] ? "--" : "-";
}

/* Edits (insert, delete, substitute, swap two neighbours) from a to b,
 * stopping early past `limit`. */
static int distance(const char *a, const char *b, int limit)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 32 || m > 32)
		return limit + 1;
	int d[33][33];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[n][m];
}

/* The command word nearest to a mistyped one, or NULL when none is near
 * (at most two edits, and fewer than half the word's letters). */
static const char *nearest_command(const cli_command *table, size_t n, const char *word, char *buf,
                                   size_t size)
{
	int best = 3;
	const char *found = NULL;
	static const char *const extra[] = {"help", "version"};
	for (size_t i = 0; i < n + 2; i++) {
		char name[32];
		const char *full = i < n ? table[i].name : extra[i - n];
		size_t len = first_word_len(full);
		if (len >= sizeof name)
			continue;
		memcpy(name, full, len);
		name[len] = '\0';
		int d = distance(word, name, best);
		if (d < best && (size_t)d * 2 < strlen(word)) {
			best = d;
			snprintf(buf, size, "%s", name);
			found = buf;
		}
	}
	return found;
}

static int unknown_command(const cli_command *table, size_t n, const char *word)
{
	char near[32];
	if (nearest_command(table, n, word, near, sizeof near))
		return cli_usage(NULL, "unknown command '%s'; did you mean '%s'?", word, near);
	return cli_usage(NULL, "unknown command '%s'", word);
}

/* The option of `spec` nearest to a mistyped one, or NULL. */
static const char *nearest_option(const char *spec, const char *name, char *buf, size_t size)
{
	int best = 3;
	const char *found = NULL;
	for (const char *p = spec ? spec : ""; *p;) {
		size_t len = strcspn(p, ",=");
		char word[32];
		if (len < sizeof word) {
			memcpy(word, p, len);
			word[len] = '\0';
			int d = distance(name, word, best);
			if (d < best && (size_t)d * 2 < strlen(name)) {
				best = d;
				snprintf(buf, size, "%s%s", dashes(word), word);
				found = buf;
			}
		}
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return found;
}

struct parse_state {
	int help, version;
};

/* One option word at argv[*i]; advances *i past its value. */
static int parse_option(int argc, char **argv, int *i, const cli_command *table, size_t n,
                        cli_args *a, struct parse_state *ps)
{
	const char *arg = argv[*i];
	char name[sizeof a->opts[0].name];
	const char *value = NULL;
	if (arg[1] == '-') {
		const char *eq = strchr(arg + 2, '=');
		size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		/* One-letter options take one dash, the others two. */
		if (len < 2 || len >= sizeof name)
			return cli_usage(a->command, "unknown option '%s'", arg);
		memcpy(name, arg + 2, len);
		name[len] = '\0';
		if (eq)
			value = eq + 1;
	} else {
		name[0] = arg[1];
		name[1] = '\0';
		if (arg[2])
			value = arg + 2; /* "-oFILE" */
	}
	const char *cmd = a->command;
	int takes_value = 0;
	int global = 1;
	if (strcmp(name, "h") == 0 || strcmp(name, "help") == 0)
		ps->help = 1;
	else if (strcmp(name, "version") == 0)
		ps->version = 1;
	else if (strcmp(name, "f") == 0 || strcmp(name, "as") == 0)
		takes_value = 1;
	else if (strcmp(name, "V") == 0)
		ps->version = 1;
	else if (cmd && any_command_has(table, n, cmd, name, &takes_value))
		global = 0;
	else {
		char near[40];
		for (size_t k = 0; cmd && k < n; k++)
			if (same_first_word(&table[k], cmd) &&
			    nearest_option(table[k].options, name, near, sizeof near))
				return cli_usage(cmd, "unknown option '%s'; did you mean '%s'?",
				                 arg, near);
		return cli_usage(cmd, "unknown option '%s'", arg);
	}

	if (!takes_value && value)
		return cli_usage(cmd, "option '%s%s' takes no value", dashes(name), name);
	if (takes_value && !value) {
		if (*i + 1 >= argc)
			return cli_usage(cmd, "option '%s%s' needs a value", dashes(name), name);
		value = argv[++*i];
	}
	if (global) {
		if (strcmp(name, "as") == 0) {
			if (!*value)
				return cli_usage(cmd, "--as needs a login");
			a->login = value;
		} else if (takes_value) {
			if (!*value)
				return cli_usage(cmd, "-f needs a file name");
			a->file = value;
		}
		return CLI_OK;
	}
	if (a->nopts == CLI_MAX_OPTS)
		return cli_usage(cmd, "too many options");
	memcpy(a->opts[a->nopts].name, name, sizeof name);
	a->opts[a->nopts].value = value ? value : "";
	a->nopts++;
	return CLI_OK;
}

/* Pick the table entry for the command word (and its second word). */
static const cli_command *choose(const cli_command *table, size_t n, cli_args *a)
{
	const cli_command *match = NULL;
	int two_words = 0;
	for (size_t i = 0; i < n; i++) {
		if (!same_first_word(&table[i], a->command))
			continue;
		if (!strchr(table[i].name, ' '))
			return &table[i];
		two_words = 1;
		if (a->npos > 0 && strcmp(strchr(table[i].name, ' ') + 1, a->pos[0]) == 0)
			match = &table[i];
	}
	if (!two_words) {
		unknown_command(table, n, a->command);
		return NULL;
	}
	if (!match) {
		char words[160] = "";
		for (size_t i = 0; i < n; i++)
			if (same_first_word(&table[i], a->command) && strchr(table[i].name, ' ')) {
				if (words[0])
					strncat(words, ", ", sizeof words - strlen(words) - 1);
				strncat(words, strchr(table[i].name, ' ') + 1,
				        sizeof words - strlen(words) - 1);
			}
		if (a->npos == 0)
			cli_usage(a->command, "missing subcommand (%s)", words);
		else
			cli_usage(a->command, "unknown subcommand '%s' (%s)", a->pos[0], words);
		return NULL;
	}
	a->npos--;
	memmove(a->pos, a->pos + 1, (size_t)a->npos * sizeof a->pos[0]);
	a->command = match->name;
	return match;
}

/* The name of positional argument `i` in a usage line ("REF STATE [...]"
 * -> "STATE" for 1), or "" when the usage does not name it. */
static void positional_name(const char *usage, int i, char *buf, size_t size)
{
	buf[0] = '\0';
	const char *p = usage;
	for (int k = 0; *p && *p != '[' && *p != '|'; k++) {
		size_t len = strcspn(p, " ");
		if (k == i) {
			snprintf(buf, size, "%.*s", (int)len, p);
			return;
		}
		p += len;
		p += strspn(p, " ");
	}
}

static int check_command(const cli_command *c, const cli_args *a)
{
	for (int i = 0; i < a->nopts; i++) {
		int takes_value;
		char near[40];
		if (spec_has(c->options, a->opts[i].name, &takes_value))
			continue;
		if (nearest_option(c->options, a->opts[i].name, near, sizeof near))
			return cli_usage(c->name, "unknown option '%s%s'; did you mean '%s'?",
			                 dashes(a->opts[i].name), a->opts[i].name, near);
		return cli_usage(c->name, "unknown option '%s%s'", dashes(a->opts[i].name),
		                 a->opts[i].name);
	}
	if (a->npos < c->min_pos) {
		char what[32], given[160] = "";
		positional_name(c->usage, a->npos, what, sizeof what);
		for (int i = 0; i < a->npos; i++)
			snprintf(given + strlen(given), sizeof given - strlen(given),
			         "%s: ", a->pos[i]);
		if (!what[0])
			return cli_usage(c->name, "%smissing argument (usage: handover %s %s)",
			                 given, c->name, c->usage);
		if (strcmp(what, "STATE") == 0) {
			char states[200] = "";
			for (int s = 0; s < HO_ACT__COUNT; s++)
				snprintf(states + strlen(states), sizeof states - strlen(states),
				         "%s%s", s ? ", " : "", ho_action_name((ho_action)s));
			return cli_usage(c->name, "%smissing STATE (%s)", given, states);
		}
		return cli_usage(c->name, "%smissing %s (usage: handover %s %s)", given, what,
		                 c->name, c->usage);
	}
	if (a->npos > c->max_pos) {
		/* Words beyond the last argument are most often a text of several
		 * words that lost its quotes. */
		if (strstr(c->usage, "TEXT"))
			return cli_usage(c->name,
			                 "unexpected argument '%s': quote the text (\"...\") when "
			                 "it has several words",
			                 a->pos[c->max_pos]);
		return cli_usage(c->name, "unexpected argument '%s'", a->pos[c->max_pos]);
	}
	return CLI_OK;
}

cli_parse_result cli_parse(int argc, char **argv, const cli_command *table, size_t n, cli_args *a,
                           const cli_command **cmd)
{
	memset(a, 0, sizeof *a);
	*cmd = NULL;
	struct parse_state ps = {0, 0};
	int only_positional = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (!only_positional && strcmp(arg, "--") == 0) {
			only_positional = 1;
		} else if (!only_positional && arg[0] == '-' && arg[1]) {
			if (parse_option(argc, argv, &i, table, n, a, &ps) != CLI_OK)
				return CLI_PARSE_ERROR;
		} else if (!a->command) {
			a->command = arg;
			int known = strcmp(arg, "help") == 0 || strcmp(arg, "version") == 0;
			for (size_t k = 0; k < n && !known; k++)
				known = same_first_word(&table[k], arg);
			if (!known) {
				unknown_command(table, n, arg);
				return CLI_PARSE_ERROR;
			}
		} else {
			if (a->npos == CLI_MAX_POS) {
				cli_usage(a->command, "unexpected argument '%s'", arg);
				return CLI_PARSE_ERROR;
			}
			a->pos[a->npos++] = arg;
		}
	}
	if (!a->file) {
		const char *env = getenv("HANDOVER_FILE");
		a->file = env && *env ? env : "handover.db";
	}
	if (ps.version || (a->command && strcmp(a->command, "version") == 0))
		return CLI_PARSE_VERSION;
	/* "handover help mark" is "handover mark --help". */
	if (a->command && strcmp(a->command, "help") == 0) {
		a->command = a->npos > 0 ? a->pos[0] : NULL;
		ps.help = 1;
		int known = !a->command;
		for (size_t k = 0; k < n && !known; k++)
			known = same_first_word(&table[k], a->command);
		if (!known) {
			unknown_command(table, n, a->command);
			return CLI_PARSE_ERROR;
		}
	}
	if (ps.help) {
		/* "handover people --help" helps with every "people" command. */
		for (size_t k = 0; a->command && k < n && !*cmd; k++)
			if (same_first_word(&table[k], a->command))
				*cmd = &table[k];
		return CLI_PARSE_HELP;
	}
	if (!a->command)
		return CLI_PARSE_RUN;
	*cmd = choose(table, n, a);
	if (!*cmd || check_command(*cmd, a) != CLI_OK)
		return CLI_PARSE_ERROR;
	return CLI_PARSE_RUN;
}
