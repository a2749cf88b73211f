/* ho-crash: kill -9 in the middle of writing, over and over.
 *
 * Each round forks a child that writes to one shared file as fast as it
 * can: marks, comments, people, checklist imports (one transaction each),
 * online backups, and brand-new files (ho_open with HO_OPEN_CREATE runs the
 * migrations, ho_init fills the pod template). Before each operation it
 * says what it starts, after each success what it did, over a pipe. After a
 * random delay (seeded; the seed is printed) the parent sends SIGKILL, then
 * checks:
 *   - the shared file passes ho_check and ho_verify;
 *   - every change the child reported, in this round or any before, is in
 *     the file (tokens in history and threads, imports whole, people there);
 *   - nothing is half-applied: each item's state is what its last recorded
 *     mark left, each thread entry has its event, an import is all or
 *     nothing, every reported backup and new file passes check and verify;
 *   - what was in flight when the kill came is either absent or whole, and
 *     a half-made backup or new file is refused with a clear message, never
 *     opened as good.
 *
 * With --postgresql the shared file is a fresh database on the server
 * $HO_TEST_PG names (a superuser's conninfo without dbname): the same
 * changes, killed the same way, the same checks, but for backups and new
 * files (a server database is made by its administrator, and its backup is
 * a SQLite file written by another command).
 *
 * Usage: ho-crash [--kills N] [--journal wal|delete|both] [--seed S]
 *                 [--max-delay-ms D] [--dir DIR] [--keep] [--full]
 *                 [--postgresql]
 * --kills is per journal mode. Exit status 0 passed, 1 failed, 2 could not
 * run, 77 --postgresql without $HO_TEST_PG. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "stress_util.h"

#include "handover/report.h"

#define ITEMS_PER_FUNCTION 12

struct config {
	int kills, max_delay_ms, keep, own_dir;
	const char *modes[2];
	int nmodes;
	uint64_t seed;
	char dir[512];
	const char *server; /* PostgreSQL: a superuser's conninfo, no dbname */
};

/* The operations a child runs; the parent counts which one a kill hit. */
enum op {
	OP_OPEN,
	OP_MARK,
	OP_COMMENT,
	OP_PERSON,
	OP_IMPORT,
	OP_BACKUP,
	OP_MIGRATE,
	OP_INIT,
	OP_COUNT
};
static const char *const op_names[OP_COUNT] = {
    "opening",        "mark", "comment", "person", "import", "backup", "migration (new file)",
    "init (new file)"};

/* ---- the child ---------------------------------------------------------------- */

struct child {
	ho_db *db;
	int out; /* the pipe to the parent */
	su_rng rng;
	int round, n;
	const char *dir;
	int64_t handover, fids[2];
	int on_server; /* no backups or new files there */
};

/* One line to the parent; lines are short, so one write() is atomic. */
static void say(struct child *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct child *ch, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (write(ch->out, line, (size_t)n) != n)
		_exit(3);
}

static void child_mark(struct child *ch)
{
	int64_t fid = ch->fids[su_rng_below(&ch->rng, 2)];
	ho_item *items = NULL;
	size_t n = 0;
	if (ho_items_list(ch->db, fid, HO_FILTER_ALL, &items, &n) != HO_OK || n == 0) {
		ho_item_free(items, n);
		return;
	}
	ho_item *it = &items[su_rng_below(&ch->rng, (unsigned)n)];
	ho_action a;
	const char *who;
	switch (it->receiver_state) {
	case HO_RECEIVER_PENDING:
	case HO_RECEIVER_CONDITIONS:
		who = "rita";
		a = su_rng_below(&ch->rng, 2) ? HO_ACT_ACCEPTED : HO_ACT_GAP;
		break;
	case HO_RECEIVER_ACCEPTED:
		/* Reopen it, so items cycle and marks never run out. */
		who = "rita";
		a = HO_ACT_GAP;
		break;
	default:
		who = "sam";
		a = it->sender_state == HO_SENDER_NOT_STARTED ? HO_ACT_IN_PROGRESS
		                                              : HO_ACT_HANDED_OVER;
		break;
	}
	char tok[48], text[160];
	snprintf(tok, sizeof tok, "tok-%d-%d", ch->round, ch->n);
	snprintf(text, sizeof text, "%s %s", a == HO_ACT_GAP ? "Query" : "Evidence", tok);
	int texted = a == HO_ACT_GAP || a == HO_ACT_HANDED_OVER;
	ho_set_actor(ch->db, who);
	say(ch, "s %d", OP_MARK);
	if (ho_item_mark(ch->db, it->id, it->version, a, texted ? text : NULL, NULL) == HO_OK)
		say(ch, "M %" PRId64 " %s %s %s", it->id, texted ? tok : "-", who, it->ref);
	ho_item_free(items, n);
}

static void child_comment(struct child *ch)
{
	int64_t fid = ch->fids[su_rng_below(&ch->rng, 2)];
	ho_item *items = NULL;
	size_t n = 0;
	if (ho_items_list(ch->db, fid, HO_FILTER_ALL, &items, &n) != HO_OK || n == 0) {
		ho_item_free(items, n);
		return;
	}
	int64_t id = items[su_rng_below(&ch->rng, (unsigned)n)].id;
	ho_item_free(items, n);
	char tok[48], body[200];
	snprintf(tok, sizeof tok, "tok-%d-%d", ch->round, ch->n);
	snprintf(body, sizeof body, "Comment %s – see the ledger", tok);
	ho_set_actor(ch->db, su_rng_below(&ch->rng, 2) ? "sam" : "lead");
	say(ch, "s %d", OP_COMMENT);
	if (ho_item_comment(ch->db, id, body) == HO_OK)
		say(ch, "C %" PRId64 " %s", id, tok);
}

static void child_person(struct child *ch)
{
	char login[32];
	snprintf(login, sizeof login, "p%d-%d", ch->round, ch->n);
	ho_set_actor(ch->db, "lead");
	say(ch, "s %d", OP_PERSON);
	if (ho_person_add(ch->db, login, "Temporary Person", HO_ROLE_SENDER, "NHS England") ==
	    HO_OK)
		say(ch, "P %s", login);
}

static void child_import(struct child *ch)
{
	char key[48], path[600];
	snprintf(key, sizeof key, "imp-%d-%d", ch->round, ch->n);
	snprintf(path, sizeof path, "%s/%s.csv", ch->dir, key);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	/* A function of its own per import: one function growing without end
	 * would make later imports ever slower and skew where kills land. */
	int rows = 5 + (int)su_rng_below(&ch->rng, 40);
	fprintf(f, "function code,function name,item title,guidance,due date\r\n");
	for (int r = 0; r < rows; r++)
		fprintf(
		    f, "IM%d,Imported,\"%s row %d, with a comma\",Guidance for %s,2027-03-%02d\r\n",
		    (ch->round * 1000 + ch->n) % 1000000, key, r, key, 1 + r % 28);
	fclose(f);
	ho_set_actor(ch->db, "lead");
	int added = 0;
	say(ch, "s %d %s", OP_IMPORT, key);
	if (ho_import_csv(ch->db, ch->handover, path, &added) == HO_OK)
		say(ch, "I %s %d %d", key, rows, added);
	else
		say(ch, "i %s %s", key, ho_errmsg(ch->db));
}

static void child_backup(struct child *ch)
{
	char path[600];
	snprintf(path, sizeof path, "%s/backup-%d-%d.db", ch->dir, ch->round, ch->n);
	say(ch, "s %d %s", OP_BACKUP, path);
	if (ho_backup(ch->db, path, 0) == HO_OK)
		say(ch, "B %s", path);
}

static void child_fresh(struct child *ch)
{
	char path[600];
	snprintf(path, sizeof path, "%s/fresh-%d-%d.db", ch->dir, ch->round, ch->n);
	say(ch, "s %d %s", OP_MIGRATE, path);
	ho_db *db = NULL;
	if (ho_open(path, HO_OPEN_CREATE, &db) != HO_OK) {
		ho_close(db);
		return;
	}
	say(ch, "s %d %s", OP_INIT, path);
	ho_init_opts o = {.title = "Fresh file", .login = "lead", .name = "Lee Lead"};
	if (ho_init(db, &o) == HO_OK)
		say(ch, "F %s", path);
	ho_close(db);
}

static void run_child(const char *path, const char *dir, int round, uint64_t seed, int out,
                      int64_t handover, const int64_t fids[2])
{
	struct child ch = {.out = out, .round = round, .dir = dir, .handover = handover};
	ch.fids[0] = fids[0];
	ch.fids[1] = fids[1];
	su_rng_seed(&ch.rng, seed);
	ch.on_server = ho_location_is_server(path);
	say(&ch, "s %d", OP_OPEN);
	if (ho_open(path, 0, &ch.db) != HO_OK) {
		say(&ch, "E %s", ho_errmsg(ch.db));
		_exit(4);
	}
	for (ch.n = 0;; ch.n++) {
		unsigned roll = su_rng_below(&ch.rng, ch.on_server ? 79 : 100);
		if (roll < 40)
			child_mark(&ch);
		else if (roll < 62)
			child_comment(&ch);
		else if (roll < 67)
			child_person(&ch);
		else if (roll < 79) {
			child_import(&ch);
		} else if (roll < 89)
			child_backup(&ch);
		else
			child_fresh(&ch);
	}
}

/* ---- what the parent knows ------------------------------------------------------ */

struct reported {
	char kind; /* M C P I B F */
	int64_t item;
	char token[48], who[16], ref[24], path[600];
	int rows;
};

/* What became of a file that was being made or copied when the kill came. */
enum cut { CUT_ABSENT, CUT_REFUSED, CUT_WHOLE, CUT_NO_CONTENT, CUT_ROLLED_BACK, CUT__COUNT };
static const char *const cut_names[CUT__COUNT] = {
    "absent", "refused unchanged", "whole", "migrated but never initialised",
    "refused after SQLite rolled back its hot journal"};

struct ledger {
	struct reported *v;
	size_t n, cap;
	long kills_in[OP_COUNT];
	long fresh_outcomes[CUT__COUNT], backup_outcomes[CUT__COUNT];
	char fresh_msgs[CUT__COUNT][200], backup_msgs[CUT__COUNT][200];
	long cut_imports[2]; /* none of it, all of it */
	long broken_files;   /* reported made, not whole */
	long import_refusals;
	char first_import_refusal[300];
};

static void ledger_add(struct ledger *l, const struct reported *r)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			su_die("out of memory");
	}
	l->v[l->n++] = *r;
}

static int has_hot_journal(const char *path)
{
	char j[700];
	struct stat sb;
	snprintf(j, sizeof j, "%s-journal", path);
	if (stat(j, &sb) == 0 && sb.st_size > 0)
		return 1;
	snprintf(j, sizeof j, "%s-wal", path);
	return stat(j, &sb) == 0 && sb.st_size > 0;
}

/* Such a file must be refused with a clear one-line message, or open and
 * pass check and verify: never open as good and be damaged. A refused file
 * is left as it is, except that SQLite first rolls back a hot journal
 * left by the kill (that is crash recovery, not our change). */
static enum cut judge_file(const char *path, int want_template, char *msg, size_t msg_size)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return CUT_ABSENT;
	int hot = has_hot_journal(path);
	char before[65], after[65];
	size_t len = 0;
	char *bytes = su_read_file(path, &len);
	ho_sha256_hex(bytes ? bytes : "", bytes ? len : 0, before);
	free(bytes);
	ho_db *db = NULL;
	ho_status st = ho_open(path, 0, &db);
	if (st != HO_OK) {
		const char *m = ho_errmsg(db);
		if (st != HO_EBADFILE || !m[0] || strchr(m, '\n'))
			su_fail("%s: refused without a clear message: %s (%s)", path, m,
			        ho_strerror(st));
		if (msg)
			snprintf(msg, msg_size, "%s", m);
		ho_close(db);
		bytes = su_read_file(path, &len);
		ho_sha256_hex(bytes ? bytes : "", bytes ? len : 0, after);
		free(bytes);
		if (strcmp(before, after) == 0)
			return CUT_REFUSED;
		if (!hot)
			su_fail("%s: refused, but changed by the attempt to open it", path);
		return CUT_ROLLED_BACK;
	}
	enum cut outcome = CUT_WHOLE;
	if (ho_check(db) != HO_OK)
		su_fail("%s opens but fails check: %s", path, ho_errmsg(db));
	ho_verify_result vr;
	if (ho_verify(db, &vr) != HO_OK)
		su_fail("%s opens but fails verify: %s", path, ho_errmsg(db));
	ho_handover *h = NULL;
	size_t nh = 0;
	if (ho_handovers_list(db, &h, &nh) != HO_OK)
		su_fail("%s: cannot list handovers: %s", path, ho_errmsg(db));
	else if (want_template && (nh != 1 || h[0].functions != 10)) {
		ho_person *p = NULL;
		size_t np = 0;
		ho_people_list(db, &p, &np);
		if (nh == 0 && np == 0 && vr.events == 0)
			outcome = CUT_NO_CONTENT;
		else
			su_fail("%s: a new file with %zu handovers, %zu people: half made", path,
			        nh, np);
		ho_person_free(p, np);
	}
	ho_handover_free(h, nh);
	ho_close(db);
	return outcome;
}

/* Rows of an import file (lines after the header). */
static int csv_rows(const char *dir, const char *key)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s.csv", dir, key);
	char *s = su_read_file(path, NULL);
	int lines = 0;
	for (char *p = s; p && *p; p++)
		lines += *p == '\n';
	free(s);
	return lines > 0 ? lines - 1 : 0;
}

static void check_shared(const char *path, const char *dir, struct ledger *l,
                         const char *in_flight_import)
{
	ho_db *db = su_open_as(path, "lead");
	if (ho_check(db) != HO_OK)
		su_fail("check: %s", ho_errmsg(db));
	ho_verify_result vr;
	if (ho_verify(db, &vr) != HO_OK)
		su_fail("verify: %s", ho_errmsg(db));

	ho_event *ev = NULL;
	size_t nev = 0;
	su_must(db, ho_events_list(db, 0, 0, &ev, &nev), "reading history");
	su_bag ev_tokens = {0}, marks = {0};
	for (size_t i = 0; i < nev; i++) {
		char tok[48], key[96];
		if (su_token_in(ev[i].new_value, tok, sizeof tok))
			su_bag_add(&ev_tokens, tok);
		snprintf(key, sizeof key, "%s|%s|%s", ev[i].actor, ev[i].action, ev[i].ref);
		su_bag_add(&marks, key);
	}

	/* Items: state from the last mark; thread entries each with their
	 * event; titles of imported items. */
	su_bag th_tokens = {0}, titles = {0};
	ho_function *fs = NULL;
	size_t nf = 0;
	su_must(db, ho_functions_list(db, 0, &fs, &nf), "listing functions");
	for (size_t fi = 0; fi < nf; fi++) {
		ho_item *items = NULL;
		size_t n = 0;
		su_must(db, ho_items_list(db, fs[fi].id, HO_FILTER_ALL, &items, &n),
		        "listing items");
		for (size_t i = 0; i < n; i++) {
			char key[48];
			if (sscanf(items[i].title, "%47s row", key) == 1 &&
			    strncmp(key, "imp-", 4) == 0)
				su_bag_add(&titles, key);
			ho_thread_entry *th = NULL;
			size_t nt = 0;
			su_must(db, ho_thread_list(db, items[i].id, &th, &nt), "reading a thread");
			for (size_t k = 0; k < nt; k++) {
				char tok[48];
				if (su_token_in(th[k].body, tok, sizeof tok))
					su_bag_add(&th_tokens, tok);
			}
			ho_event *ie = NULL;
			size_t nie = 0;
			su_must(db, ho_events_list(db, items[i].id, 0, &ie, &nie), "item history");
			const char *last = NULL;
			size_t texted = 0;
			for (size_t k = 0; k < nie; k++) {
				if (strcmp(ie[k].action, "mark") == 0) {
					last = ie[k].new_value;
					if (strchr(ie[k].new_value, ':'))
						texted++;
				} else if (strcmp(ie[k].action, "comment") == 0) {
					texted++;
				}
			}
			if (texted != nt)
				su_fail("%s: %zu thread entries but %zu events that add one",
				        items[i].ref, nt, texted);
			char now[96];
			snprintf(now, sizeof now, "%s / %s",
			         ho_sender_state_name(items[i].sender_state),
			         ho_receiver_state_name(items[i].receiver_state));
			size_t k = strlen(now);
			if (last ? strncmp(last, now, k) != 0 || (last[k] && last[k] != ':')
			         : items[i].sender_state != HO_SENDER_NOT_STARTED)
				su_fail("%s is '%s' but its last recorded mark left '%s'",
				        items[i].ref, now, last ? last : "not started");
			ho_event_free(ie, nie);
			ho_thread_free(th, nt);
		}
		ho_item_free(items, n);
	}
	su_bag_seal(&ev_tokens);
	su_bag_seal(&th_tokens);
	su_bag_seal(&titles);
	su_bag_seal(&marks);

	/* Everything reported, in any round so far. */
	su_bag reported_marks = {0};
	for (size_t i = 0; i < l->n; i++) {
		const struct reported *r = &l->v[i];
		switch (r->kind) {
		case 'M':
		case 'C':
			if (r->token[0] != '-') {
				if (su_bag_count(&ev_tokens, r->token) != 1)
					su_fail("%s reported done, in %d events", r->token,
					        su_bag_count(&ev_tokens, r->token));
				if (su_bag_count(&th_tokens, r->token) != 1)
					su_fail("%s reported done, in %d thread entries", r->token,
					        su_bag_count(&th_tokens, r->token));
			}
			if (r->kind == 'M') {
				char key[96];
				snprintf(key, sizeof key, "%s|mark|%s", r->who, r->ref);
				su_bag_add(&reported_marks, key);
			}
			break;
		case 'P': {
			ho_person p;
			if (ho_person_get(db, r->token, &p) != HO_OK)
				su_fail("person %s reported added, not in the file", r->token);
			else
				ho_person_clear(&p);
			break;
		}
		case 'I':
			if (su_bag_count(&titles, r->token) != r->rows)
				su_fail("import %s reported %d rows; %d in the file", r->token,
				        r->rows, su_bag_count(&titles, r->token));
			break;
		default:
			break;
		}
	}
	su_bag_seal(&reported_marks);
	for (size_t i = 0; i < reported_marks.n; i++)
		if (su_bag_count(&marks, reported_marks.keys[i]) < reported_marks.counts[i])
			su_fail("%s: %d marks reported, %d in history", reported_marks.keys[i],
			        reported_marks.counts[i],
			        su_bag_count(&marks, reported_marks.keys[i]));
	if (in_flight_import && in_flight_import[0]) {
		/* Cut by the kill: all of it (committed, not yet reported) or
		 * none of it. */
		int got = su_bag_count(&titles, in_flight_import);
		int rows = csv_rows(dir, in_flight_import);
		if (got != 0 && got != rows)
			su_fail("import %s cut by a kill left %d of its %d rows", in_flight_import,
			        got, rows);
		l->cut_imports[got == 0 ? 0 : 1]++;
	}

	su_bag_free(&reported_marks);
	su_bag_free(&ev_tokens);
	su_bag_free(&th_tokens);
	su_bag_free(&titles);
	su_bag_free(&marks);
	ho_function_free(fs, nf);
	ho_event_free(ev, nev);
	ho_close(db);
}

/* A database and whatever SQLite keeps beside it. */
static void remove_db(const char *path)
{
	static const char *const side[] = {"", "-journal", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
		char p[700];
		snprintf(p, sizeof p, "%s%s", path, side[i]);
		unlink(p);
	}
}

static void setup(const char *path, int64_t *handover, int64_t fids[2])
{
	ho_db *db = su_create(path);
	su_must(db, ho_person_add(db, "sam", "Sam Sender", HO_ROLE_SENDER, "NHS England"), "sam");
	su_must(db, ho_person_add(db, "rita", "Rita Receiver", HO_ROLE_RECEIVER, "ICB"), "rita");
	su_must(db, ho_handover_add(db, "Crash test", "Dental", "", "", "", handover), "handover");
	const char *codes[2] = {"FIN", "DIG"};
	for (int f = 0; f < 2; f++) {
		su_must(db, ho_function_add(db, *handover, codes[f], codes[f], "", &fids[f]),
		        "function");
		for (int i = 0; i < ITEMS_PER_FUNCTION; i++) {
			char t[48];
			snprintf(t, sizeof t, "%s item %d", codes[f], i + 1);
			su_must(db, ho_item_add(db, fids[f], t, "", "", NULL), "item");
		}
		su_must(db, ho_pair(db, *handover, codes[f], "sam", "rita"), "pair");
	}
	ho_close(db);
}

/* Everything the child said, read while it runs so that it never blocks
 * on a full pipe (a kill must land in its work, not in a write to us). */
struct said {
	char *buf;
	size_t len, cap;
};

static void hear(int fd, struct said *s)
{
	for (;;) {
		if (s->cap - s->len < 4096) {
			s->cap = s->cap ? s->cap * 2 : 1 << 16;
			s->buf = realloc(s->buf, s->cap);
			if (!s->buf)
				su_die("out of memory");
		}
		ssize_t got = read(fd, s->buf + s->len, s->cap - s->len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return;
		s->len += (size_t)got;
		s->buf[s->len] = '\0';
	}
}

/* Wait `ms` milliseconds, reading whatever the child says meanwhile. */
static void listen_for(int fd, unsigned ms, struct said *s)
{
	int64_t end = su_ms() + ms;
	int flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	for (int64_t left = ms; left > 0; left = end - su_ms()) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, (int)left) > 0)
			hear(fd, s);
	}
	fcntl(fd, F_SETFL, flags);
}

/* What the child said, line by line, into the ledger; *last_op and
 * last_arg: the operation it had started when it died. */
static void understand(const struct said *s, struct ledger *l, int *last_op, char *last_arg)
{
	char *copy = strndup(s->buf ? s->buf : "", s->len);
	char *start = copy, *nl;
	while ((nl = strchr(start, '\n')) != NULL) {
		*nl = '\0';
		struct reported r = {0};
		r.kind = start[0];
		switch (start[0]) {
		case 's': {
			int op = 0;
			last_arg[0] = '\0';
			if (sscanf(start + 2, "%d %599s", &op, last_arg) >= 1)
				*last_op = op;
			break;
		}
		case 'M':
			sscanf(start + 2, "%" SCNd64 " %47s %15s %23s", &r.item, r.token, r.who,
			       r.ref);
			ledger_add(l, &r);
			break;
		case 'C':
			sscanf(start + 2, "%" SCNd64 " %47s", &r.item, r.token);
			ledger_add(l, &r);
			break;
		case 'P':
			sscanf(start + 2, "%47s", r.token);
			ledger_add(l, &r);
			break;
		case 'I': {
			int added = 0;
			sscanf(start + 2, "%47s %d %d", r.token, &r.rows, &added);
			if (added != r.rows)
				su_fail("import %s: %d rows written, %d reported added", r.token,
				        r.rows, added);
			ledger_add(l, &r);
			break;
		}
		case 'i':
			l->import_refusals++;
			if (!l->first_import_refusal[0])
				snprintf(l->first_import_refusal, sizeof l->first_import_refusal,
				         "%s", start + 2);
			break;
		case 'B':
		case 'F':
			sscanf(start + 2, "%599s", r.path);
			ledger_add(l, &r);
			last_arg[0] = '\0';
			break;
		case 'E':
			su_fail("child could not open the file: %s", start + 2);
			break;
		default:
			break;
		}
		start = nl + 1;
	}
	free(copy);
}

/* A database on the server, made afresh (create) or dropped; its conninfo
 * in path. */
static void server_database(const struct config *c, int create, char *path, size_t size)
{
	char admin[1024], sql[160], name[64];
	snprintf(name, sizeof name, "ho_crash_%ld", (long)getpid());
	snprintf(admin, sizeof admin, "%s dbname=postgres", c->server);
	PGconn *k = PQconnectdb(admin);
	if (PQstatus(k) != CONNECTION_OK)
		su_die("the server: %s", PQerrorMessage(k));
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	PQclear(PQexec(k, sql));
	if (create) {
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
		PGresult *r = PQexec(k, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			su_die("%s: %s", sql, PQerrorMessage(k));
		PQclear(r);
		snprintf(path, size, "%s dbname=%s", c->server, name);
	}
	PQfinish(k);
}

static int run_mode(const struct config *c, const char *mode)
{
	char dir[600], path[1400];
	snprintf(dir, sizeof dir, "%s/%s", c->dir, mode);
	su_mkdir(dir);
	if (c->server) {
		server_database(c, 1, path, sizeof path);
	} else {
		snprintf(path, sizeof path, "%s/shared.db", dir);
		unlink(path);
		setenv("HANDOVER_JOURNAL", mode, 1);
	}
	int before = su_failures();
	int64_t t0 = su_ms();
	int64_t handover = 0, fids[2];
	setup(path, &handover, fids);

	struct ledger l = {0};
	su_rng rng;
	su_rng_seed(&rng, c->seed ^ (strcmp(mode, "wal") == 0 ? 0x5741ULL : 0xDE1ULL));
	size_t checked_files = 0;
	int round_failures = before, shared_failed = 0;
	for (int round = 0; round < c->kills; round++) {
		int p[2];
		if (pipe(p) != 0)
			su_die("pipe: %s", strerror(errno));
		uint64_t child_seed = su_rng_next(&rng);
		unsigned delay = su_rng_below(&rng, (unsigned)c->max_delay_ms + 1);
		fflush(NULL);
		pid_t pid = fork();
		if (pid < 0)
			su_die("fork: %s", strerror(errno));
		if (pid == 0) {
			close(p[0]);
			run_child(path, dir, round, child_seed, p[1], handover, fids);
			_exit(0);
		}
		close(p[1]);
		struct said said = {0};
		listen_for(p[0], delay, &said);
		kill(pid, SIGKILL);
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			su_fail("round %d: the child ended before the kill (status %d)", round,
			        status);
		int last_op = OP_OPEN;
		char last_arg[600] = "";
		size_t before_n = l.n;
		hear(p[0], &said);
		close(p[0]);
		understand(&said, &l, &last_op, last_arg);
		free(said.buf);
		if (last_op < 0 || last_op >= OP_COUNT)
			last_op = OP_OPEN;
		l.kills_in[last_op]++;

		/* The file being made or copied when the kill came. */
		if (last_arg[0] && last_op != OP_IMPORT) {
			const char *last_path = last_arg;
			char msg[200] = "";
			enum cut o = judge_file(last_path, last_op != OP_BACKUP, msg, sizeof msg);
			long *count = last_op == OP_BACKUP ? l.backup_outcomes : l.fresh_outcomes;
			char(*msgs)[200] = last_op == OP_BACKUP ? l.backup_msgs : l.fresh_msgs;
			count[o]++;
			if (msg[0] && !msgs[o][0])
				snprintf(msgs[o], sizeof msgs[o], "%s", msg);
			if (su_failures() == round_failures)
				remove_db(last_path);
		}
		/* New files and backups reported made: whole, then gone. */
		for (size_t i = before_n; i < l.n; i++) {
			struct reported *r = &l.v[i];
			if (r->kind != 'B' && r->kind != 'F')
				continue;
			if (judge_file(r->path, r->kind == 'F', NULL, 0) != CUT_WHOLE) {
				su_fail("%s was reported made but is not whole", r->path);
				l.broken_files++;
			}
			checked_files++;
			if (!c->keep && su_failures() == round_failures)
				remove_db(r->path);
		}
		if (su_failures() > round_failures)
			printf("ho-crash: %s: round %d (delay %u ms, in %s): see above\n", mode,
			       round, delay, op_names[last_op]);
		round_failures = su_failures();
		check_shared(path, dir, &l, last_op == OP_IMPORT ? last_arg : NULL);
		if (su_failures() > round_failures) {
			shared_failed = 1;
			/* The shared file itself is damaged: later rounds would only
			 * repeat it. */
			printf("ho-crash: %s: round %d (delay %u ms, in %s) failed; seed %" PRIu64
			       "\n",
			       mode, round, delay, op_names[last_op], c->seed);
			break;
		}
	}
	int failed = su_failures() - before;
	long reported[128] = {0};
	for (size_t i = 0; i < l.n; i++)
		reported[(unsigned char)l.v[i].kind]++;
	printf("%s: %d kills; in flight when killed:", mode, c->kills);
	for (int o = 0; o < OP_COUNT; o++)
		printf(" %s %ld%s", op_names[o], l.kills_in[o], o + 1 < OP_COUNT ? "," : ";");
	printf(
	    " reported done and found: %ld marks, %ld comments, %ld people, %ld imports, %ld "
	    "backups, %ld new files (%zu files checked whole); cut imports: %ld none, %ld whole; "
	    "the shared file whole (check, verify, every reported change) after every kill: %s; "
	    "reported new files or backups not whole: %ld; %.1f s\n",
	    reported['M'], reported['C'], reported['P'], reported['I'], reported['B'],
	    reported['F'], checked_files, l.cut_imports[0], l.cut_imports[1],
	    shared_failed ? "NO" : "yes", l.broken_files, (double)(su_ms() - t0) / 1000.0);
	for (int k = 0; k < (c->server ? 0 : 2); k++) {
		const long *count = k ? l.backup_outcomes : l.fresh_outcomes;
		char(*msgs)[200] = k ? l.backup_msgs : l.fresh_msgs;
		printf("%s: cut %s:", mode, k ? "backups" : "new files");
		for (int o = 0; o < CUT__COUNT; o++)
			printf(" %s %ld%s", cut_names[o], count[o],
			       o + 1 < CUT__COUNT ? "," : "\n");
		for (int o = 0; o < CUT__COUNT; o++)
			if (msgs[o][0])
				printf("%s:   %s, e.g.: %s\n", mode, cut_names[o], msgs[o]);
	}
	if (l.import_refusals)
		printf("%s: %ld imports refused; first: %s\n", mode, l.import_refusals,
		       l.first_import_refusal);
	fflush(stdout);
	free(l.v);
	if (c->server && !failed)
		server_database(c, 0, NULL, 0);
	return failed;
}

static void usage(void)
{
	fprintf(stderr, "usage: ho-crash [--kills N] [--journal wal|delete|both] [--seed S]\n"
	                "                [--max-delay-ms D] [--dir DIR] [--keep] [--full]\n"
	                "                [--postgresql]\n"
	                "  default: 30 kills per journal mode, both modes\n"
	                "  --full:  100 kills per journal mode\n");
	exit(2);
}

int main(int argc, char **argv)
{
	su_set_name("ho-crash");
	struct config c = {.kills = 30, .max_delay_ms = 250, .seed = 1};
	const char *journal = "both";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--kills") == 0)
			c.kills = (int)su_number(v, 1, 100000, usage), i++;
		else if (strcmp(a, "--seed") == 0)
			c.seed = (uint64_t)su_number(v, 0, 0x7fffffffL, usage), i++;
		else if (strcmp(a, "--max-delay-ms") == 0)
			c.max_delay_ms = (int)su_number(v, 0, 60000, usage), i++;
		else if (strcmp(a, "--journal") == 0 && v)
			journal = v, i++;
		else if (strcmp(a, "--dir") == 0 && v)
			snprintf(c.dir, sizeof c.dir, "%s", v), i++;
		else if (strcmp(a, "--keep") == 0)
			c.keep = 1;
		else if (strcmp(a, "--full") == 0)
			c.kills = 100;
		else if (strcmp(a, "--postgresql") == 0)
			c.server = "";
		else
			usage();
	}
	c.nmodes = su_journal_modes(journal, c.modes);
	if (c.nmodes == 0)
		usage();
	if (c.server) {
		if (!(c.server = su_pg_server("ho-crash")))
			return 77;
		c.modes[0] = "postgresql";
		c.nmodes = 1;
	}
	c.own_dir = su_work_dir(c.dir, sizeof c.dir, "ho-crash");
	printf("ho-crash: seed %" PRIu64 ", %d kills per journal mode, delays 0-%d ms, in %s\n",
	       c.seed, c.kills, c.max_delay_ms, c.dir);
	fflush(stdout);
	int failed = 0;
	for (int m = 0; m < c.nmodes; m++)
		failed += run_mode(&c, c.modes[m]);
	if (!failed && !c.keep && c.own_dir)
		su_rmtree(c.dir);
	else if (failed)
		printf("ho-crash: files kept in %s (repeat with --seed %" PRIu64 ")\n", c.dir,
		       c.seed);
	return failed ? 1 : 0;
}
