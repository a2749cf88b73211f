/* ho-stress: many people on one handover file at once.
 *
 * Forks writers (pairs of senders and receivers, and a lead when the count
 * is odd) that each make a number of changes through the public API as the
 * right actor: marks along the item life cycle, comments, sign-offs when a
 * function is ready, due dates. Readers run what `status` and the screen's
 * refresh run, and a backup process takes online backups, all at the same
 * time. Every writer logs each change after the core said it succeeded
 * (fsync'd). At the end the parent proves: every logged change is in the
 * file and nothing else is (one event per change, by actor, action and
 * reference), every text is in its item's thread, each item's state is the
 * one its last recorded change left, sign-offs match, the history chain and
 * SQLite's integrity check pass, every backup passes both and is a prefix of
 * the final history, and nobody was ever told the file was busy.
 *
 * On PostgreSQL (--postgresql: a fresh database on the server $HO_TEST_PG
 * names, a superuser's conninfo without dbname) the same, but for the
 * backups (a backup of a server database is a SQLite file written by
 * another command); with --restart CMD the parent runs CMD (which restarts
 * the server) while the writers are busy: every change then either was
 * saved and logged, or its writer was told plainly that the connection was
 * lost, and the same checks prove nothing reported saved went missing.
 *
 * Usage: ho-stress [--workers N] [--changes M] [--readers R]
 *                  [--journal wal|delete|both] [--seed S] [--dir DIR]
 *                  [--keep] [--full] [--no-backup]
 *                  [--postgresql [--restart CMD [--restart-after MS]]]
 * Exit status: 0 all checks passed, 1 a check failed, 2 could not run,
 * 77 --postgresql without $HO_TEST_PG. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "stress_util.h"

#define ITEMS_PER_FUNCTION 4
#define MAX_WORKERS        64
#define MAX_BACKUPS        40

struct config {
	int workers, changes, readers, backup;
	const char *modes[2];
	int nmodes;
	uint64_t seed;
	char dir[512];
	int keep, own_dir;
	const char *sabotage; /* proves the checks can fail: see sabotage() */
	const char *server;   /* PostgreSQL: a superuser's conninfo, no dbname */
	const char *restart;  /* a command restarting the server mid-run */
	int restart_after_ms;
};

/* What the parent set up, shared with the children through fork. */
struct plan {
	int pairs, per_pair; /* functions per pair */
	int has_lead;        /* an extra writer acting as a second lead */
	int64_t handover;
	int64_t *fids; /* pairs * per_pair */
	char (*codes)[32];
	int64_t setup_events;
};

enum role { ROLE_SENDER, ROLE_RECEIVER, ROLE_LEAD };

struct wstats {
	int ok, conflicts, estate, busy, other, attempts, lost;
	int comments, marks, signs, dues;
	char first_err[300];
};

struct rstats {
	long status_passes, refreshes, changes_seen, busy, other, opens, lost;
	char first_err[300];
};

static enum role worker_role(const struct plan *pl, int w)
{
	if (pl->has_lead && w == 2 * pl->pairs)
		return ROLE_LEAD;
	return w % 2 == 0 ? ROLE_SENDER : ROLE_RECEIVER;
}

static void worker_login(const struct plan *pl, int w, char *buf, size_t size)
{
	switch (worker_role(pl, w)) {
	case ROLE_LEAD:
		snprintf(buf, size, "lead2");
		break;
	case ROLE_SENDER:
		snprintf(buf, size, "s%d", w / 2);
		break;
	case ROLE_RECEIVER:
		snprintf(buf, size, "r%d", w / 2);
		break;
	}
}

/* ---- set-up ---------------------------------------------------------------- */

static void setup_file(const struct config *c, struct plan *pl, const char *path)
{
	ho_db *db = su_create(path);
	pl->pairs = c->workers / 2;
	pl->has_lead = c->workers % 2;
	/* Enough work that marks, not just comments, fill the run: each
	 * function takes a dozen or so changes per side to finish. */
	pl->per_pair = c->changes / 12 > 2 ? c->changes / 12 : 2;
	int nf = pl->pairs * pl->per_pair;
	pl->fids = calloc((size_t)nf, sizeof *pl->fids);
	pl->codes = calloc((size_t)nf, sizeof *pl->codes);
	if (!pl->fids || !pl->codes)
		su_die("out of memory");
	su_must(db,
	        ho_handover_add(db, "Stress: dental", "Dental", "NHS England North West",
	                        "Cheshire and Merseyside ICB", "2027-04-01", &pl->handover),
	        "adding the handover");
	if (pl->has_lead)
		su_must(db, ho_person_add(db, "lead2", "Second Lead", HO_ROLE_LEAD, ""),
		        "adding lead2");
	for (int p = 0; p < pl->pairs; p++) {
		char s[16], r[16], sn[40], rn[40];
		snprintf(s, sizeof s, "s%d", p);
		snprintf(r, sizeof r, "r%d", p);
		snprintf(sn, sizeof sn, "Sender %d (Région Nord)", p);
		snprintf(rn, sizeof rn, "Receiver %d – ICB", p);
		su_must(db, ho_person_add(db, s, sn, HO_ROLE_SENDER, "NHS England"),
		        "adding sender");
		su_must(db, ho_person_add(db, r, rn, HO_ROLE_RECEIVER, "ICB"), "adding receiver");
		for (int f = 0; f < pl->per_pair; f++) {
			int k = p * pl->per_pair + f;
			char name[64];
			snprintf(pl->codes[k], sizeof pl->codes[k], "P%dF%d", p, f);
			snprintf(name, sizeof name, "Function %d of pair %d", f, p);
			su_must(
			    db,
			    ho_function_add(db, pl->handover, pl->codes[k], name, "", &pl->fids[k]),
			    "adding a function");
			for (int i = 0; i < ITEMS_PER_FUNCTION; i++) {
				char title[64];
				snprintf(title, sizeof title, "Item %d of %s", i + 1, pl->codes[k]);
				su_must(db, ho_item_add(db, pl->fids[k], title, "", "", NULL),
				        "adding an item");
			}
			su_must(db, ho_pair(db, pl->handover, pl->codes[k], s, r), "pairing");
		}
	}
	char head[65];
	su_must(db, ho_history_head(db, head, &pl->setup_events), "reading history");
	ho_close(db);
}

/* ---- writers ---------------------------------------------------------------- */

struct worker {
	const struct config *c;
	const struct plan *pl;
	ho_db *db;
	int w, logfd;
	enum role role;
	char login[16];
	su_rng rng;
	struct wstats st;
	char *finished; /* per function of my pair: both signed */
};

/* A server restarted under the program: what a person is told then (the
 * change not saved, or the database not reachable for a moment). Only a
 * run that restarts the server expects it. */
static int restart_expected;
static int connection_lost(const char *msg)
{
	return restart_expected &&
	       (strstr(msg, "connection to the database was lost") ||
	        strstr(msg, "cannot connect to the database") || strstr(msg, "shutting down") ||
	        strstr(msg, "starting up") || strstr(msg, "terminating connection"));
}

static void note_error(struct worker *wk, ho_status st, const char *what)
{
	const char *msg = ho_errmsg(wk->db);
	if (connection_lost(msg) && !strstr(msg, "not known")) {
		wk->st.lost++;
		su_sleep_ms(50);
		return;
	}
	if (st == HO_EBUSY || strstr(msg, "locked"))
		wk->st.busy++;
	else
		wk->st.other++;
	if (!wk->st.first_err[0])
		snprintf(wk->st.first_err, sizeof wk->st.first_err, "%s: %s (%s)", what, msg,
		         ho_strerror(st));
}

/* The outcome of one change: 1 when it was applied. A conflict or a state
 * that moved on is a correct refusal; anything else is a finding. */
static int outcome(struct worker *wk, ho_status st, const char *what)
{
	if (st == HO_OK) {
		wk->st.ok++;
		return 1;
	}
	if (st == HO_ECONFLICT) {
		wk->st.conflicts++;
		/* The person refused must be told who changed it. */
		if (!strstr(ho_errmsg(wk->db), "changed by"))
			note_error(wk, st, what);
		return 0;
	}
	if (st == HO_ESTATE) {
		wk->st.estate++;
		if (getenv("HO_STRESS_VERBOSE"))
			fprintf(stderr, "%s: %s refused: %s\n", wk->login, what, ho_errmsg(wk->db));
		return 0;
	}
	note_error(wk, st, what);
	return 0;
}

static void token(struct worker *wk, char *buf, size_t size)
{
	/* Unique per attempt, so a refused change never shares a token with
	 * one that was made. */
	snprintf(buf, size, "tok-w%d-%d", wk->w, wk->st.attempts);
}

/* A pause between reading and writing, now and then, so that views go
 * stale the way they do when a person reads a screen before acting. */
static void maybe_dawdle(struct worker *wk)
{
	if (su_rng_below(&wk->rng, 100) < 30)
		usleep(su_rng_below(&wk->rng, 2000));
}

static int64_t my_function(struct worker *wk, int *index)
{
	const struct plan *pl = wk->pl;
	int p =
	    wk->role == ROLE_LEAD ? (int)su_rng_below(&wk->rng, (unsigned)pl->pairs) : wk->w / 2;
	int f = (int)su_rng_below(&wk->rng, (unsigned)pl->per_pair);
	if (wk->role != ROLE_LEAD && wk->finished[f]) {
		/* Prefer work that is not finished, so marks keep coming. */
		for (int i = 0; i < pl->per_pair; i++)
			if (!wk->finished[(f + i) % pl->per_pair]) {
				f = (f + i) % pl->per_pair;
				break;
			}
	}
	if (index)
		*index = f;
	return pl->fids[p * pl->per_pair + f];
}

static int do_comment(struct worker *wk, int64_t fid)
{
	ho_item *items = NULL;
	size_t n = 0;
	ho_status st = ho_items_list(wk->db, fid, HO_FILTER_ALL, &items, &n);
	if (st != HO_OK) {
		note_error(wk, st, "listing items");
		return 0;
	}
	if (n == 0) {
		ho_item_free(items, n);
		return 0;
	}
	ho_item *it = &items[su_rng_below(&wk->rng, (unsigned)n)];
	char tok[40], body[200];
	token(wk, tok, sizeof tok);
	snprintf(body, sizeof body, "Comment %s on %s: café, £40k, “quoted”", tok, it->ref);
	int64_t id = it->id;
	char ref[24];
	snprintf(ref, sizeof ref, "%s", it->ref);
	ho_item_free(items, n);
	st = ho_item_comment(wk->db, id, body);
	if (!outcome(wk, st, "comment"))
		return 0;
	wk->st.comments++;
	su_log_line(wk->logfd, "C %s %" PRId64 " %s 1", ref, id, tok);
	return 1;
}

static int do_sign(struct worker *wk, const ho_function *f)
{
	ho_status st = ho_function_sign(wk->db, f->id);
	if (!outcome(wk, st, "sign"))
		return 0;
	wk->st.signs++;
	su_log_line(wk->logfd, "S %s %" PRId64 " - 0", f->code, f->id);
	return 1;
}

static int do_mark(struct worker *wk, const ho_item *it, ho_action a)
{
	static const char kinds[] = {'P', 'H', 'N', 'A', 'K', 'G'};
	char tok[40], text[200] = "", note[120] = "";
	token(wk, tok, sizeof tok);
	const char *t = NULL;
	switch (a) {
	case HO_ACT_HANDED_OVER:
		snprintf(text, sizeof text, "Evidence %s: ledger extract, folder S:\\POD\\%s", tok,
		         it->ref);
		t = text;
		break;
	case HO_ACT_NOT_APPLICABLE:
		snprintf(text, sizeof text, "Reason %s: not delegated", tok);
		t = text;
		break;
	case HO_ACT_ACCEPTED_CONDITIONS:
		snprintf(text, sizeof text, "Condition %s: review at month end", tok);
		t = text;
		break;
	case HO_ACT_GAP:
		snprintf(text, sizeof text, "Query %s: where is the March accrual?", tok);
		t = text;
		break;
	default:
		break;
	}
	int with_note = su_rng_below(&wk->rng, 100) < 10;
	if (with_note)
		snprintf(note, sizeof note, "Note %s", tok);
	int64_t id = it->id, version = it->version;
	char ref[24];
	snprintf(ref, sizeof ref, "%s", it->ref);
	maybe_dawdle(wk);
	ho_status st = ho_item_mark(wk->db, id, version, a, t, with_note ? note : NULL);
	if (!outcome(wk, st, "mark"))
		return 0;
	wk->st.marks++;
	su_log_line(wk->logfd, "%c %s %" PRId64 " %s %d", kinds[a], ref, id,
	            t || with_note ? tok : "-", (t ? 1 : 0) + with_note);
	return 1;
}

/* The sender's move on one of their items: hand over (now and then not
 * applicable) what is not started or in progress, now and then withdraw a
 * hand-over still pending. 0 when there is nothing to do. */
static int sender_pick(struct worker *wk, const ho_item *items, size_t n, size_t *pick,
                       ho_action *a)
{
	size_t cand[ITEMS_PER_FUNCTION * 4], nc = 0;
	for (size_t i = 0; i < n && nc < sizeof cand / sizeof *cand; i++) {
		ho_receiver_state r = items[i].receiver_state;
		ho_sender_state s = items[i].sender_state;
		int reviewed = r == HO_RECEIVER_ACCEPTED || r == HO_RECEIVER_CONDITIONS;
		if (!reviewed && (s == HO_SENDER_NOT_STARTED || s == HO_SENDER_IN_PROGRESS))
			cand[nc++] = i;
		else if (r == HO_RECEIVER_PENDING && su_rng_below(&wk->rng, 100) < 3)
			cand[nc++] = i;
	}
	if (nc == 0)
		return 0;
	*pick = cand[su_rng_below(&wk->rng, (unsigned)nc)];
	const ho_item *it = &items[*pick];
	if (it->receiver_state == HO_RECEIVER_PENDING)
		*a = HO_ACT_IN_PROGRESS; /* withdraw a hand-over */
	else if (it->sender_state == HO_SENDER_NOT_STARTED && su_rng_below(&wk->rng, 100) < 20)
		*a = HO_ACT_IN_PROGRESS;
	else
		*a = su_rng_below(&wk->rng, 100) < 90 ? HO_ACT_HANDED_OVER : HO_ACT_NOT_APPLICABLE;
	return 1;
}

/* The receiver's move: review what waits (accept, accept with conditions,
 * raise a gap), or accept outright what was accepted with conditions. */
static int receiver_pick(struct worker *wk, const ho_item *items, size_t n, size_t *pick,
                         ho_action *a)
{
	size_t cand[ITEMS_PER_FUNCTION * 4], nc = 0;
	for (size_t i = 0; i < n && nc < sizeof cand / sizeof *cand; i++)
		if (items[i].receiver_state == HO_RECEIVER_PENDING ||
		    items[i].receiver_state == HO_RECEIVER_CONDITIONS)
			cand[nc++] = i;
	if (nc == 0)
		return 0;
	*pick = cand[su_rng_below(&wk->rng, (unsigned)nc)];
	unsigned roll = su_rng_below(&wk->rng, 100);
	if (items[*pick].receiver_state == HO_RECEIVER_CONDITIONS)
		*a = HO_ACT_ACCEPTED;
	else
		*a = roll < 60   ? HO_ACT_ACCEPTED
		     : roll < 75 ? HO_ACT_ACCEPTED_CONDITIONS
		                 : HO_ACT_GAP;
	return 1;
}

/* One step of a sender or receiver on their function: sometimes a comment;
 * their sign-off once it is ready; nothing once it has a sign-off; else a
 * mark on one of its items. */
static int pair_step(struct worker *wk, int sender)
{
	int idx;
	int64_t fid = my_function(wk, &idx);
	if (su_rng_below(&wk->rng, 100) < 15)
		return do_comment(wk, fid);
	ho_function f;
	ho_status st = ho_function_get(wk->db, fid, &f);
	if (st != HO_OK) {
		note_error(wk, st, "reading a function");
		return 0;
	}
	int done = 0;
	int ready = f.counts.total > 0 && f.counts.done == f.counts.total;
	int64_t mine = sender ? f.sender_signed_at : f.receiver_signed_at;
	if (f.sender_signed_at && f.receiver_signed_at)
		wk->finished[idx] = 1;
	if (ready && !mine) {
		done = do_sign(wk, &f);
		goto out;
	}
	if (f.sender_signed_at || f.receiver_signed_at)
		goto out; /* signed off: its items are final */
	ho_item *items = NULL;
	size_t n = 0;
	if ((st = ho_items_list(wk->db, fid, HO_FILTER_ALL, &items, &n)) != HO_OK) {
		note_error(wk, st, "listing items");
		goto out;
	}
	size_t pick;
	ho_action a;
	if (sender ? sender_pick(wk, items, n, &pick, &a) : receiver_pick(wk, items, n, &pick, &a))
		done = do_mark(wk, &items[pick], a);
	ho_item_free(items, n);
out:
	ho_function_clear(&f);
	return done;
}

static int lead_step(struct worker *wk)
{
	int64_t fid = my_function(wk, NULL);
	if (su_rng_below(&wk->rng, 100) < 70)
		return do_comment(wk, fid);
	ho_function f;
	ho_status st = ho_function_get(wk->db, fid, &f);
	if (st != HO_OK) {
		note_error(wk, st, "reading a function");
		return 0;
	}
	char date[16];
	snprintf(date, sizeof date, "2027-%02u-%02u", 1 + su_rng_below(&wk->rng, 12),
	         1 + su_rng_below(&wk->rng, 28));
	char code[16];
	snprintf(code, sizeof code, "%s", f.code);
	int64_t version = f.version;
	ho_function_clear(&f);
	maybe_dawdle(wk);
	st = ho_function_set_due(wk->db, fid, version, date);
	if (!outcome(wk, st, "due date"))
		return 0;
	wk->st.dues++;
	su_log_line(wk->logfd, "D %s %" PRId64 " %s 0", code, fid, date);
	return 1;
}

static void write_stats(const char *path, const char *line)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		su_die("%s: %s", path, strerror(errno));
	su_log_line(fd, "%s", line);
	close(fd);
}

static int run_worker(const struct config *c, const struct plan *pl, const char *path,
                      const char *dir, const char *mode, int w)
{
	struct worker wk = {.c = c, .pl = pl, .w = w};
	wk.role = worker_role(pl, w);
	worker_login(pl, w, wk.login, sizeof wk.login);
	su_rng_seed(&wk.rng, c->seed * 1000003ULL + (uint64_t)w + 1);
	wk.finished = calloc((size_t)pl->per_pair, 1);
	wk.db = su_open_as(path, wk.login);
	if (strcmp(ho_journal_mode(wk.db), mode) != 0)
		su_die("%s: journal is %s, wanted %s", wk.login, ho_journal_mode(wk.db), mode);
	char logpath[600];
	snprintf(logpath, sizeof logpath, "%s/w%d.log", dir, w);
	wk.logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	if (wk.logfd < 0)
		su_die("%s: %s", logpath, strerror(errno));
	int limit = c->changes * 200;
	while (wk.st.ok < c->changes && wk.st.attempts < limit) {
		wk.st.attempts++;
		switch (wk.role) {
		case ROLE_SENDER:
			pair_step(&wk, 1);
			break;
		case ROLE_RECEIVER:
			pair_step(&wk, 0);
			break;
		case ROLE_LEAD:
			lead_step(&wk);
			break;
		}
		if (wk.st.busy + wk.st.other > 20)
			break; /* something is badly wrong; the parent reports it */
	}
	close(wk.logfd);
	ho_close(wk.db);
	free(wk.finished);
	char line[600], sp[600];
	snprintf(line, sizeof line, "%d %d %d %d %d %d %d %d %d %d %d %s", wk.st.ok,
	         wk.st.conflicts, wk.st.estate, wk.st.busy, wk.st.other, wk.st.attempts,
	         wk.st.comments, wk.st.marks, wk.st.signs, wk.st.dues, wk.st.lost, wk.st.first_err);
	snprintf(sp, sizeof sp, "%s/w%d.sum", dir, w);
	write_stats(sp, line);
	return wk.st.busy + wk.st.other ? 1 : 0;
}

/* ---- readers and the backup taker ------------------------------------------ */

static int stop_requested(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) > 0;
}

static void reader_error(ho_db *db, struct rstats *rs, ho_status st, const char *what)
{
	if (connection_lost(db ? ho_errmsg(db) : "cannot connect to the database")) {
		rs->lost++;
		su_sleep_ms(50);
		return;
	}
	if (st == HO_EBUSY || strstr(ho_errmsg(db), "locked"))
		rs->busy++;
	else
		rs->other++;
	if (!rs->first_err[0])
		snprintf(rs->first_err, sizeof rs->first_err, "%s: %s (%s)", what, ho_errmsg(db),
		         ho_strerror(st));
}

/* What the screen re-reads when ho_changed() says someone committed. */
static void refresh_pass(ho_db *db, const struct plan *pl, su_rng *rng, struct rstats *rs)
{
	ho_function *fs = NULL;
	size_t nf = 0;
	ho_status st = ho_functions_list(db, pl->handover, &fs, &nf);
	if (st != HO_OK) {
		reader_error(db, rs, st, "refresh: functions");
		return;
	}
	for (size_t i = 0; i < nf; i++) {
		const ho_counts *k = &fs[i].counts;
		if (k->not_started + k->in_progress + k->handed_over + k->not_applicable !=
		        k->total ||
		    k->done > k->total) {
			rs->other++;
			if (!rs->first_err[0])
				snprintf(rs->first_err, sizeof rs->first_err,
				         "counts of %s do not add up", fs[i].code);
		}
	}
	if (nf > 0) {
		int64_t fid = fs[su_rng_below(rng, (unsigned)nf)].id;
		ho_item *items = NULL;
		size_t n = 0;
		st = ho_items_list(db, fid, (ho_filter)su_rng_below(rng, 4), &items, &n);
		if (st != HO_OK)
			reader_error(db, rs, st, "refresh: items");
		else if (n > 0) {
			ho_thread_entry *t = NULL;
			size_t nt = 0;
			int64_t iid = items[su_rng_below(rng, (unsigned)n)].id;
			if ((st = ho_thread_list(db, iid, &t, &nt)) != HO_OK)
				reader_error(db, rs, st, "refresh: thread");
			ho_thread_free(t, nt);
			ho_event *e = NULL;
			size_t ne = 0;
			if ((st = ho_events_list(db, iid, 20, &e, &ne)) != HO_OK)
				reader_error(db, rs, st, "refresh: history");
			ho_event_free(e, ne);
		}
		ho_item_free(items, n);
	}
	ho_function_free(fs, nf);
	ho_gap *g = NULL;
	size_t ng = 0;
	if ((st = ho_gaps_list(db, pl->handover, 0, 1, &g, &ng)) != HO_OK)
		reader_error(db, rs, st, "refresh: gaps");
	ho_gap_free(g, ng);
	rs->refreshes++;
}

/* What `handover status` reads. */
static void status_pass(ho_db *db, struct rstats *rs)
{
	ho_handover *h = NULL;
	size_t nh = 0;
	ho_status st = ho_handovers_list(db, &h, &nh);
	if (st != HO_OK)
		reader_error(db, rs, st, "status: handovers");
	ho_handover_free(h, nh);
	ho_function *fs = NULL;
	size_t nf = 0;
	if ((st = ho_functions_list(db, 0, &fs, &nf)) != HO_OK)
		reader_error(db, rs, st, "status: functions");
	ho_function_free(fs, nf);
	ho_gap *g = NULL;
	size_t ng = 0;
	if ((st = ho_gaps_list(db, 0, 0, 0, &g, &ng)) != HO_OK)
		reader_error(db, rs, st, "status: gaps");
	ho_gap_free(g, ng);
	rs->status_passes++;
}

static int run_reader(const struct config *c, const struct plan *pl, const char *path,
                      const char *dir, int r, int stop_fd)
{
	struct rstats rs = {0};
	su_rng rng;
	su_rng_seed(&rng, c->seed * 7919ULL + (uint64_t)r + 101);
	/* Half the readers are people in the file, half are onlookers who
	 * may look but not change. */
	ho_db *db = su_open_as(path, r % 2 == 0 ? "lead" : "onlooker");
	long pass = 0;
	while (!stop_requested(stop_fd)) {
		status_pass(db, &rs);
		if (ho_changed(db)) {
			rs.changes_seen++;
			refresh_pass(db, pl, &rng, &rs);
		}
		/* And, every fourth pass, as `handover status` runs it: a fresh
		 * open. Opening reads the file's header while writers commit; it
		 * must wait for them, never call the file truncated or damaged. */
		if (++pass % 4 == 0) {
			ho_db *fresh = NULL;
			ho_status st = ho_open(path, 0, &fresh);
			if (st != HO_OK)
				reader_error(fresh, &rs, st, "status: opening");
			else
				status_pass(fresh, &rs);
			rs.opens++;
			ho_close(fresh);
		}
		if (rs.busy + rs.other > 20)
			break;
	}
	ho_close(db);
	char line[600], sp[600];
	snprintf(line, sizeof line, "%ld %ld %ld %ld %ld %ld %ld %s", rs.status_passes,
	         rs.refreshes, rs.changes_seen, rs.busy, rs.other, rs.opens, rs.lost, rs.first_err);
	snprintf(sp, sizeof sp, "%s/r%d.sum", dir, r);
	write_stats(sp, line);
	return rs.busy + rs.other ? 1 : 0;
}

static int run_backups(const char *path, const char *dir, int stop_fd)
{
	ho_db *db = su_open_as(path, "lead");
	char logpath[600];
	snprintf(logpath, sizeof logpath, "%s/backups.log", dir);
	int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	if (fd < 0)
		su_die("%s: %s", logpath, strerror(errno));
	int failures = 0;
	for (int n = 0; n < MAX_BACKUPS && !stop_requested(stop_fd); n++) {
		char out[600];
		snprintf(out, sizeof out, "%s/backup-%02d.db", dir, n);
		ho_status st = ho_backup(db, out, 0);
		if (st == HO_OK)
			su_log_line(fd, "%s", out);
		else {
			fprintf(stderr, "ho-stress: backup %s: %s (%s)\n", out, ho_errmsg(db),
			        ho_strerror(st));
			failures++;
		}
		su_sleep_ms(150);
	}
	close(fd);
	ho_close(db);
	return failures ? 1 : 0;
}

/* ---- checking the result ---------------------------------------------------- */

static const char *action_word(char kind)
{
	switch (kind) {
	case 'C':
		return "comment";
	case 'S':
		return "sign";
	case 'D':
		return "due";
	default:
		return "mark";
	}
}

struct totals {
	long changes, comments, marks, signs, dues, conflicts, estate, busy, other, lost;
	long status_passes, refreshes, changes_seen, opens;
	int backups, check_ok, verify_ok;
};

static void read_worker_stats(const char *dir, int w, struct totals *t)
{
	char p[600];
	snprintf(p, sizeof p, "%s/w%d.sum", dir, w);
	char *s = su_read_file(p, NULL);
	if (!s) {
		su_fail("writer %d left no summary (it died?)", w);
		return;
	}
	struct wstats ws = {0};
	int used = 0;
	if (sscanf(s, "%d %d %d %d %d %d %d %d %d %d %d %n", &ws.ok, &ws.conflicts, &ws.estate,
	           &ws.busy, &ws.other, &ws.attempts, &ws.comments, &ws.marks, &ws.signs, &ws.dues,
	           &ws.lost, &used) < 11)
		su_fail("writer %d: bad summary", w);
	t->changes += ws.ok;
	t->comments += ws.comments;
	t->marks += ws.marks;
	t->signs += ws.signs;
	t->dues += ws.dues;
	t->conflicts += ws.conflicts;
	t->estate += ws.estate;
	t->busy += ws.busy;
	t->other += ws.other;
	t->lost += ws.lost;
	if (ws.busy + ws.other)
		su_fail("writer %d: %d busy, %d other errors; first: %s", w, ws.busy, ws.other,
		        s + used);
	free(s);
}

static void read_reader_stats(const char *dir, int r, struct totals *t)
{
	char p[600];
	snprintf(p, sizeof p, "%s/r%d.sum", dir, r);
	char *s = su_read_file(p, NULL);
	if (!s) {
		su_fail("reader %d left no summary (it died?)", r);
		return;
	}
	long a, b, c, busy, other, opens, lost;
	int used = 0;
	if (sscanf(s, "%ld %ld %ld %ld %ld %ld %ld %n", &a, &b, &c, &busy, &other, &opens, &lost,
	           &used) < 7)
		su_fail("reader %d: bad summary", r);
	else {
		t->status_passes += a;
		t->refreshes += b;
		t->changes_seen += c;
		t->opens += opens;
		t->lost += lost;
		t->busy += busy;
		t->other += other;
		if (busy + other)
			su_fail("reader %d: %ld busy, %ld other errors; first: %s", r, busy, other,
			        s + used);
	}
	free(s);
}

struct logged {
	char kind;
	char ref[24];
	int64_t id;
	char token[40];
	int entries; /* thread entries the change added */
};

static struct logged *read_log(const char *dir, int w, size_t *n)
{
	char p[600];
	snprintf(p, sizeof p, "%s/w%d.log", dir, w);
	char *s = su_read_file(p, NULL);
	*n = 0;
	if (!s)
		return NULL;
	size_t cap = 64;
	struct logged *v = malloc(cap * sizeof *v);
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (*n == cap)
			v = realloc(v, (cap *= 2) * sizeof *v);
		struct logged *l = &v[*n];
		if (sscanf(line, "%c %23s %" SCNd64 " %39s %d", &l->kind, l->ref, &l->id, l->token,
		           &l->entries) != 5) {
			su_fail("writer %d: unreadable log line '%s'", w, line);
			continue;
		}
		(*n)++;
	}
	free(s);
	return v;
}

/* Every backup passes check and verify, and its history is the live
 * file's history up to the moment it was taken. */
static void check_backups(const char *dir, const ho_event *live, size_t nlive, int *count)
{
	char p[600];
	snprintf(p, sizeof p, "%s/backups.log", dir);
	char *s = su_read_file(p, NULL);
	*count = 0;
	if (!s)
		return;
	char *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ho_db *b = NULL;
		ho_status st = ho_open(line, HO_OPEN_READONLY, &b);
		if (st != HO_OK) {
			su_fail("backup %s does not open: %s", line, ho_errmsg(b));
			ho_close(b);
			continue;
		}
		(*count)++;
		if ((st = ho_check(b)) != HO_OK)
			su_fail("backup %s: check: %s", line, ho_errmsg(b));
		ho_verify_result vr;
		if ((st = ho_verify(b, &vr)) != HO_OK)
			su_fail("backup %s: verify: %s", line, ho_errmsg(b));
		ho_event *e = NULL;
		size_t ne = 0;
		if (ho_events_list(b, 0, 0, &e, &ne) != HO_OK)
			su_fail("backup %s: history unreadable", line);
		if (ne > nlive)
			su_fail("backup %s has more history than the file", line);
		for (size_t i = 0; i < ne && i < nlive; i++)
			if (e[i].id != live[i].id || strcmp(e[i].hash, live[i].hash) != 0) {
				su_fail("backup %s: event %" PRId64 " differs from the file's",
				        line, e[i].id);
				break;
			}
		ho_event_free(e, ne);
		ho_close(b);
	}
	free(s);
}

static void state_words(ho_sender_state s, ho_receiver_state r, char *buf, size_t size)
{
	snprintf(buf, size, "%s / %s", ho_sender_state_name(s), ho_receiver_state_name(r));
}

static void check_file(const struct config *c, const struct plan *pl, const char *path,
                       const char *dir, struct totals *t, int64_t *events_out)
{
	ho_db *db = su_open_as(path, "lead");
	t->check_ok = ho_check(db) == HO_OK;
	if (!t->check_ok)
		su_fail("check: %s", ho_errmsg(db));
	ho_verify_result vr;
	t->verify_ok = ho_verify(db, &vr) == HO_OK;
	if (!t->verify_ok)
		su_fail("verify: %s", ho_errmsg(db));
	*events_out = vr.events;

	ho_event *ev = NULL;
	size_t nev = 0;
	su_must(db, ho_events_list(db, 0, 0, &ev, &nev), "reading history");

	/* What the file recorded, after set-up: one event per change. */
	su_bag recorded = {0}, ev_tokens = {0};
	for (size_t i = 0; i < nev; i++) {
		if (ev[i].id <= pl->setup_events)
			continue;
		char key[128], tok[40];
		snprintf(key, sizeof key, "%s|%s|%s", ev[i].actor, ev[i].action, ev[i].ref);
		su_bag_add(&recorded, key);
		if (su_token_in(ev[i].new_value, tok, sizeof tok))
			su_bag_add(&ev_tokens, tok);
	}

	/* What the writers were told succeeded. */
	su_bag claimed = {0};
	size_t nitems_total = 0;
	int64_t *item_ids = NULL;
	int *item_entries = NULL;
	struct logged **logs = calloc((size_t)c->workers, sizeof *logs);
	size_t *nlogs = calloc((size_t)c->workers, sizeof *nlogs);
	long logged_total = 0;
	for (int w = 0; w < c->workers; w++) {
		char login[16];
		worker_login(pl, w, login, sizeof login);
		logs[w] = read_log(dir, w, &nlogs[w]);
		logged_total += (long)nlogs[w];
		for (size_t i = 0; i < nlogs[w]; i++) {
			char key[128];
			snprintf(key, sizeof key, "%s|%s|%s", login, action_word(logs[w][i].kind),
			         logs[w][i].ref);
			su_bag_add(&claimed, key);
		}
	}
	if (logged_total != t->changes)
		su_fail("writers counted %ld changes but logged %ld", t->changes, logged_total);
	if ((long)(vr.events - pl->setup_events) != logged_total)
		su_fail("the file has %" PRId64 " events after set-up; writers logged %ld changes",
		        vr.events - pl->setup_events, logged_total);
	su_bag_seal(&recorded);
	su_bag_seal(&claimed);
	for (size_t i = 0; i < claimed.n; i++)
		if (su_bag_count(&recorded, claimed.keys[i]) != claimed.counts[i])
			su_fail("%s: %d changes logged, %d in the file's history", claimed.keys[i],
			        claimed.counts[i], su_bag_count(&recorded, claimed.keys[i]));
	for (size_t i = 0; i < recorded.n; i++)
		if (su_bag_count(&claimed, recorded.keys[i]) == 0)
			su_fail("%s: %d events in the file that no writer logged", recorded.keys[i],
			        recorded.counts[i]);

	/* Every item: its thread holds every text logged for it, and its state
	 * is what its last recorded mark left. */
	su_bag thread_tokens = {0};
	ho_function *fs = NULL;
	size_t nf = 0;
	su_must(db, ho_functions_list(db, pl->handover, &fs, &nf), "listing functions");
	for (size_t fi = 0; fi < nf; fi++) {
		ho_item *items = NULL;
		size_t n = 0;
		su_must(db, ho_items_list(db, fs[fi].id, HO_FILTER_ALL, &items, &n),
		        "listing items");
		for (size_t i = 0; i < n; i++) {
			ho_thread_entry *th = NULL;
			size_t nt = 0;
			su_must(db, ho_thread_list(db, items[i].id, &th, &nt), "reading a thread");
			for (size_t k = 0; k < nt; k++) {
				char tok[40];
				if (su_token_in(th[k].body, tok, sizeof tok))
					su_bag_add(&thread_tokens, tok);
			}
			item_ids = realloc(item_ids, (nitems_total + 1) * sizeof *item_ids);
			item_entries =
			    realloc(item_entries, (nitems_total + 1) * sizeof *item_entries);
			item_ids[nitems_total] = items[i].id;
			item_entries[nitems_total] = (int)nt;
			nitems_total++;
			ho_thread_free(th, nt);

			ho_event *ie = NULL;
			size_t nie = 0;
			su_must(db, ho_events_list(db, items[i].id, 0, &ie, &nie), "item history");
			const char *last = NULL;
			for (size_t k = 0; k < nie; k++)
				if (strcmp(ie[k].action, "mark") == 0)
					last = ie[k].new_value;
			char now[96];
			state_words(items[i].sender_state, items[i].receiver_state, now,
			            sizeof now);
			if (last ? strncmp(last, now, strlen(now)) != 0 ||
			               (last[strlen(now)] != '\0' && last[strlen(now)] != ':')
			         : items[i].sender_state != HO_SENDER_NOT_STARTED)
				su_fail("%s is '%s' but its last recorded change left '%s'",
				        items[i].ref, now, last ? last : "not started");
			ho_event_free(ie, nie);
		}
		ho_item_free(items, n);
	}
	su_bag_seal(&thread_tokens);
	su_bag_seal(&ev_tokens);

	/* Per item, thread entries = what the logged changes added. */
	for (size_t k = 0; k < nitems_total; k++) {
		int want = 0;
		for (int w = 0; w < c->workers; w++)
			for (size_t i = 0; i < nlogs[w]; i++)
				if (logs[w][i].kind != 'S' && logs[w][i].kind != 'D' &&
				    logs[w][i].id == item_ids[k])
					want += logs[w][i].entries;
		if (want != item_entries[k])
			su_fail("item %" PRId64 ": %d thread entries, %d logged", item_ids[k],
			        item_entries[k], want);
	}
	for (int w = 0; w < c->workers; w++)
		for (size_t i = 0; i < nlogs[w]; i++) {
			const struct logged *l = &logs[w][i];
			if (strncmp(l->token, "tok-", 4) != 0)
				continue;
			if (su_bag_count(&thread_tokens, l->token) == 0)
				su_fail("%s (%c on %s) is not in the item's thread", l->token,
				        l->kind, l->ref);
			int in_events = su_bag_count(&ev_tokens, l->token);
			int texted = l->kind != 'P' && l->kind != 'A';
			if (texted && in_events != 1)
				su_fail("%s (%c on %s) is in %d events, wanted 1", l->token,
				        l->kind, l->ref, in_events);
		}

	/* Sign-offs and due dates are what the logs say. */
	for (size_t fi = 0; fi < nf; fi++) {
		char key[128];
		snprintf(key, sizeof key, "%s|sign|%s", fs[fi].sender_login, fs[fi].code);
		if ((fs[fi].sender_signed_at != 0) != (su_bag_count(&claimed, key) == 1))
			su_fail("%s: sender sign-off does not match the log", fs[fi].code);
		snprintf(key, sizeof key, "%s|sign|%s", fs[fi].receiver_login, fs[fi].code);
		if ((fs[fi].receiver_signed_at != 0) != (su_bag_count(&claimed, key) == 1))
			su_fail("%s: receiver sign-off does not match the log", fs[fi].code);
		const char *due = "";
		for (size_t i = 0; i < nev; i++)
			if (strcmp(ev[i].action, "due") == 0 && strcmp(ev[i].ref, fs[fi].code) == 0)
				due = ev[i].new_value;
		if (strcmp(due, fs[fi].due_date) != 0)
			su_fail("%s: due date %s, last recorded %s", fs[fi].code, fs[fi].due_date,
			        due);
	}

	check_backups(dir, ev, nev, &t->backups);

	for (int w = 0; w < c->workers; w++)
		free(logs[w]);
	free(logs);
	free(nlogs);
	free(item_ids);
	free(item_entries);
	ho_function_free(fs, nf);
	ho_event_free(ev, nev);
	su_bag_free(&recorded);
	su_bag_free(&ev_tokens);
	su_bag_free(&claimed);
	su_bag_free(&thread_tokens);
	ho_close(db);
}

/* The checks are only worth something if they fail when the file is
 * wrong. --sabotage edits the file behind the program's back after the
 * writers finish, the way a lost update or a lost comment would look; the
 * run must then fail (ctest runs this with WILL_FAIL). */
/* SQL run behind the program's back: in the SQLite file, or with psql's
 * library on the server (as the superuser the run was given). */
static void sabotage_sql(const char *path, const char *kind, const char *sql)
{
	if (ho_location_is_server(path)) {
		PGconn *c = PQconnectdb(path);
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			su_die("sabotage %s: %s", kind, PQerrorMessage(c));
		if (strcmp(PQcmdTuples(r), "1") != 0)
			su_die("sabotage %s changed %s rows", kind, PQcmdTuples(r));
		PQclear(r);
		PQfinish(c);
		return;
	}
	sqlite3 *c = NULL;
	char *err = NULL;
	if (sqlite3_open(path, &c) != SQLITE_OK ||
	    sqlite3_exec(c, sql, NULL, NULL, &err) != SQLITE_OK)
		su_die("sabotage %s: %s", kind, err ? err : "cannot open");
	if (sqlite3_changes(c) != 1)
		su_die("sabotage %s changed %d rows", kind, sqlite3_changes(c));
	sqlite3_close(c);
}

static void sabotage(const char *path, const char *kind)
{
	static const struct {
		const char *kind, *sql;
	} edits[] = {
	    /* A change overwritten without a trace: state moved, no event. */
	    {"lost-update", "UPDATE items SET sender_state = 'not_applicable', "
	                    "version = version + 1 WHERE id = (SELECT max(id) FROM items "
	                    "WHERE sender_state = 'handed_over')"},
	    /* A comment someone was told was saved, gone. */
	    {"lost-comment", "DELETE FROM thread WHERE id = (SELECT max(id) FROM thread "
	                     "WHERE kind = 'comment')"},
	};
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		if (strcmp(kind, edits[i].kind) != 0)
			continue;
		sabotage_sql(path, kind, edits[i].sql);
		printf("ho-stress: sabotaged the file (%s); the checks must fail\n", kind);
		return;
	}
	su_die("unknown sabotage '%s' (lost-update, lost-comment)", kind);
}

/* ---- one run in one journal mode ---------------------------------------------- */

static int reap(pid_t pid, const char *what)
{
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			su_die("waitpid: %s", strerror(errno));
	if (WIFSIGNALED(status)) {
		su_fail("%s died of signal %d", what, WTERMSIG(status));
		return 1;
	}
	return WEXITSTATUS(status);
}

/* A fresh database on the server for one run; its conninfo in path. */
static void fresh_database(const struct config *c, char *path, size_t size)
{
	char admin[1024], sql[160], name[64];
	snprintf(name, sizeof name, "ho_stress_%ld", (long)getpid());
	snprintf(admin, sizeof admin, "%s dbname=postgres", c->server);
	PGconn *k = PQconnectdb(admin);
	if (PQstatus(k) != CONNECTION_OK)
		su_die("the server: %s", PQerrorMessage(k));
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	PQclear(PQexec(k, sql));
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	PGresult *r = PQexec(k, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		su_die("%s: %s", sql, PQerrorMessage(k));
	PQclear(r);
	PQfinish(k);
	snprintf(path, size, "%s dbname=%s", c->server, name);
}

/* Runs the restart command after a while; its exit status is its own. */
static int run_restarter(const struct config *c, const char *dir)
{
	su_sleep_ms((unsigned)c->restart_after_ms);
	int64_t t0 = su_ms();
	int rc = system(c->restart);
	char p[600];
	snprintf(p, sizeof p, "%s/restart.log", dir);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		su_log_line(fd, "%d %lld", rc, (long long)(su_ms() - t0));
		close(fd);
	}
	return rc == 0 ? 0 : 1;
}

static int run_mode(const struct config *c, const char *mode)
{
	char dir[600], path[1400];
	snprintf(dir, sizeof dir, "%s/%s", c->dir, mode);
	su_mkdir(dir);
	if (c->server) {
		fresh_database(c, path, sizeof path);
	} else {
		snprintf(path, sizeof path, "%s/shared.db", dir);
		unlink(path);
		setenv("HANDOVER_JOURNAL", mode, 1);
	}
	int before = su_failures();
	int64_t t0 = su_ms();

	struct plan pl = {0};
	setup_file(c, &pl, path);

	int stop[2];
	if (pipe(stop) != 0)
		su_die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t readers[MAX_WORKERS], workers[MAX_WORKERS], backup = -1, restarter = -1;
	for (int r = 0; r < c->readers; r++) {
		if ((readers[r] = fork()) == 0) {
			close(stop[1]);
			_exit(run_reader(c, &pl, path, dir, r, stop[0]));
		}
		if (readers[r] < 0)
			su_die("fork: %s", strerror(errno));
	}
	if (c->backup) {
		if ((backup = fork()) == 0) {
			close(stop[1]);
			_exit(run_backups(path, dir, stop[0]));
		}
		if (backup < 0)
			su_die("fork: %s", strerror(errno));
	}
	if (c->restart) {
		if ((restarter = fork()) == 0) {
			close(stop[1]);
			_exit(run_restarter(c, dir));
		}
		if (restarter < 0)
			su_die("fork: %s", strerror(errno));
	}
	for (int w = 0; w < c->workers; w++) {
		if ((workers[w] = fork()) == 0) {
			close(stop[1]);
			_exit(run_worker(c, &pl, path, dir, mode, w));
		}
		if (workers[w] < 0)
			su_die("fork: %s", strerror(errno));
	}
	close(stop[0]);
	for (int w = 0; w < c->workers; w++) {
		char what[32];
		snprintf(what, sizeof what, "writer %d", w);
		reap(workers[w], what);
	}
	close(stop[1]); /* readers and the backup taker see EOF and stop */
	for (int r = 0; r < c->readers; r++) {
		char what[32];
		snprintf(what, sizeof what, "reader %d", r);
		reap(readers[r], what);
	}
	if (backup > 0 && reap(backup, "backup taker") != 0)
		su_fail("an online backup failed while writers were busy");
	long long restart_ms = -1;
	if (restarter > 0) {
		if (reap(restarter, "restarter") != 0)
			su_fail("the restart command failed: %s", c->restart);
		char p[700];
		snprintf(p, sizeof p, "%s/restart.log", dir);
		char *r = su_read_file(p, NULL);
		int rc = 1;
		if (!r || sscanf(r, "%d %lld", &rc, &restart_ms) != 2)
			su_fail("the restart never happened (the run ended first?)");
		free(r);
	}
	int64_t t_run = su_ms() - t0;
	if (c->sabotage)
		sabotage(path, c->sabotage);

	struct totals t = {0};
	for (int w = 0; w < c->workers; w++)
		read_worker_stats(dir, w, &t);
	for (int r = 0; r < c->readers; r++)
		read_reader_stats(dir, r, &t);
	int64_t events = 0;
	check_file(c, &pl, path, dir, &t, &events);
	if (t.busy)
		su_fail("%ld times someone was told the file was busy", t.busy);
	if (t.changes < (long)c->workers * c->changes)
		su_fail("only %ld of %ld changes made (writers ran out of attempts?)", t.changes,
		        (long)c->workers * c->changes);

	int failed = su_failures() - before;
	printf("%s: %d writers x %d changes = %ld changes (%ld marks, %ld comments, %ld "
	       "sign-offs, %ld due dates); refused as conflicts: %ld (each naming who changed "
	       "it); state moved on: %ld; busy shown: %ld; %d readers: %ld status + %ld refresh "
	       "passes, %ld fresh opens; %d online backups, each checked; events %" PRId64
	       "; check %s, verify %s; %.1f s; %s\n",
	       mode, c->workers, c->changes, t.changes, t.marks, t.comments, t.signs, t.dues,
	       t.conflicts, t.estate, t.busy, c->readers, t.status_passes, t.refreshes, t.opens,
	       t.backups, events, t.check_ok ? "ok" : "FAILED", t.verify_ok ? "ok" : "FAILED",
	       (double)t_run / 1000.0, failed ? "FAILED" : "passed");
	if (c->server)
		printf("%s: connection lost and told so %ld times%s\n", mode, t.lost,
		       restart_ms >= 0 ? "" : " (no restart)");
	if (restart_ms >= 0)
		printf("%s: the server restarted mid-run (the restart took %lld ms); nothing "
		       "reported saved was lost\n",
		       mode, restart_ms);
	fflush(stdout);
	if (c->server && !failed) {
		char admin[1024], sql[160];
		snprintf(admin, sizeof admin, "%s dbname=postgres", c->server);
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS ho_stress_%ld WITH (FORCE)",
		         (long)getpid());
		PGconn *k = PQconnectdb(admin);
		PQclear(PQexec(k, sql));
		PQfinish(k);
	}
	free(pl.fids);
	free(pl.codes);
	return failed;
}

static void usage(void)
{
	fprintf(stderr, "usage: ho-stress [--workers N] [--changes M] [--readers R] "
	                "[--journal wal|delete|both]\n"
	                "                 [--seed S] [--dir DIR] [--keep] [--full] [--no-backup]\n"
	                "                 [--postgresql [--restart CMD [--restart-after MS]]]\n"
	                "  default: 8 writers x 100 changes, 2 readers, both journal modes\n"
	                "  --full:  8 writers x 1000 changes, 3 readers\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct config c = {.workers = 8, .changes = 100, .readers = 2, .backup = 1, .seed = 1};
	const char *journal = "both";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--workers") == 0)
			c.workers = (int)su_number(v, 2, MAX_WORKERS, usage), i++;
		else if (strcmp(a, "--changes") == 0)
			c.changes = (int)su_number(v, 1, 10000, usage), i++;
		else if (strcmp(a, "--readers") == 0)
			c.readers = (int)su_number(v, 0, MAX_WORKERS, usage), i++;
		else if (strcmp(a, "--seed") == 0)
			c.seed = (uint64_t)su_number(v, 0, 0x7fffffffL, usage), i++;
		else if (strcmp(a, "--journal") == 0 && v)
			journal = v, i++;
		else if (strcmp(a, "--dir") == 0 && v)
			snprintf(c.dir, sizeof c.dir, "%s", v), i++;
		else if (strcmp(a, "--keep") == 0)
			c.keep = 1;
		else if (strcmp(a, "--sabotage") == 0 && v)
			c.sabotage = v, i++;
		else if (strcmp(a, "--no-backup") == 0)
			c.backup = 0;
		else if (strcmp(a, "--full") == 0)
			c.changes = 1000, c.readers = 3;
		else if (strcmp(a, "--postgresql") == 0)
			c.server = "";
		else if (strcmp(a, "--restart") == 0 && v)
			c.restart = v, i++;
		else if (strcmp(a, "--restart-after") == 0)
			c.restart_after_ms = (int)su_number(v, 0, 600000, usage), i++;
		else
			usage();
	}
	c.nmodes = su_journal_modes(journal, c.modes);
	if (c.nmodes == 0)
		usage();
	if (c.restart && !c.server)
		usage();
	if (c.server) {
		if (!(c.server = su_pg_server("ho-stress")))
			return 77;
		/* One run on the server; a backup of it is another command's. */
		c.modes[0] = "postgresql";
		c.nmodes = 1;
		c.backup = 0;
		restart_expected = c.restart != NULL;
		if (c.restart && !c.restart_after_ms)
			c.restart_after_ms = 1500;
	}
	c.own_dir = su_work_dir(c.dir, sizeof c.dir, "ho-stress");
	/* A dead reader must not take the parent with it. */
	signal(SIGPIPE, SIG_IGN);
	printf("ho-stress: seed %" PRIu64 ", %d writers x %d changes, %d readers, backups %s, "
	       "in %s\n",
	       c.seed, c.workers, c.changes, c.readers, c.backup ? "on" : "off", c.dir);
	fflush(stdout);
	int failed = 0;
	for (int m = 0; m < c.nmodes; m++)
		failed += run_mode(&c, c.modes[m]);
	if ((!failed || c.sabotage) && !c.keep && c.own_dir)
		su_rmtree(c.dir);
	else if (failed && !c.sabotage)
		printf("ho-stress: files kept in %s (repeat with --seed %" PRIu64 ")\n", c.dir,
		       c.seed);
	return failed ? 1 : 0;
}
