/* Fuzz target: opening a damaged or doctored handover file. A file from a
 * shared drive is untrusted input; whatever its bytes, opening it and
 * using it (check, verify, every list, the documents, the export, a few
 * changes and an undo) must give a status, never a crash or a memory
 * error.
 *
 * The input is the file's bytes. Under libFuzzer a custom mutator also
 * edits the file the way a person with sqlite3 would (sqlite3_deserialize
 * into memory, a few UPDATE/DELETE/DROP statements with odd values,
 * sqlite3_serialize back), which reaches far more of the program than
 * flipping bytes, most of which SQLite itself rejects as corrupt.
 *
 * Each execution opens the input once and does one use of it, as one
 * command of a user does: check, the overview lists, the items, the
 * documents and export, or changes. Which one is picked by the input's
 * hash, so the same input always does the same, and across inputs every
 * use is fuzzed. Most of an execution's time is SQLite compiling the
 * statements a use needs for the new connection (each file is a new
 * connection), so one use an execution runs two to three times as many
 * executions as all of them would. The replay (replay_dbfile, ctest
 * fuzz/dbfile) runs every use on every input, each from its own open. */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "handover/handover.h"
#include "handover/report.h"
#include "handover/testhook.h"
#include "store_image.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum use { USE_CHECK, USE_OVERVIEW, USE_ITEMS, USE_OUTPUTS, USE_CHANGES, USE__COUNT };
static const char *const use_name[USE__COUNT] = {"check", "overview", "items", "documents+export",
                                                 "changes+check"};

static char path[300];
static int on_disk;
static int every_use;       /* each input does every use (the replay) */
static uint32_t input_hash; /* FNV-1a of the input: which use, which formats */

/* HO_FUZZ_PROFILE=1: CPU time per part of an execution, printed at exit
 * (replay_dbfile or the fuzzer): where the time goes. */
static int profiling;
static struct {
	long opens, refused, uses[USE__COUNT];
	double open, close, use[USE__COUNT];
	double mark;
} prof;

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The CPU time since the last lap, added to *to. */
static void lap(double *to)
{
	if (!profiling)
		return;
	double now = cpu_now();
	*to += now - prof.mark;
	prof.mark = now;
}

static void profile_report(void)
{
	double total = prof.open + prof.close;
	for (int u = 0; u < USE__COUNT; u++)
		total += prof.use[u];
	fprintf(stderr,
	        "fuzz_dbfile: %ld opens (%ld refused), %.3f CPU s, %.0f opens a CPU second\n"
	        "  open      %8.1f us an open\n  close     %8.1f us an open\n",
	        prof.opens, prof.refused, total, total > 0 ? (double)prof.opens / total : 0.0,
	        prof.opens ? 1e6 * prof.open / (double)prof.opens : 0.0,
	        prof.opens ? 1e6 * prof.close / (double)prof.opens : 0.0);
	for (int u = 0; u < USE__COUNT; u++)
		fprintf(stderr, "  %-17s %6ld uses %8.1f us a use\n", use_name[u], prof.uses[u],
		        prof.uses[u] ? 1e6 * prof.use[u] / (double)prof.uses[u] : 0.0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	on_disk = getenv("HO_FUZZ_DBFILE_DISK") != NULL;
	if (on_disk)
		snprintf(path, sizeof path, "%s/doctored.db", fuzz_dir());
#ifdef HO_LIBFUZZER
	every_use = getenv("HO_FUZZ_DBFILE_ALL") != NULL;
#else
	every_use = 1;
#endif
	/* No -wal/-shm beside the file: each input is exactly its bytes. */
	setenv("HANDOVER_JOURNAL", "delete", 1);
	ho_clock_set(1795341600);
	profiling = getenv("HO_FUZZ_PROFILE") != NULL;
	if (profiling)
		atexit(profile_report);
	return 0;
}

static void remove_files(void)
{
	static const char *const side[] = {"", "-journal", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
		char p[320];
		snprintf(p, sizeof p, "%s%s", path, side[i]);
		unlink(p);
	}
}

static void use_items(ho_db *db, const ho_function *f)
{
	ho_item *items = NULL;
	size_t n = 0;
	for (int filter = HO_FILTER_ALL; filter <= HO_FILTER_OVERDUE; filter++) {
		if (ho_items_list(db, f->id, (ho_filter)filter, &items, &n) != HO_OK)
			continue;
		for (size_t i = 0; i < n && i < 8 && filter == HO_FILTER_ALL; i++) {
			ho_thread_entry *t = NULL;
			size_t nt = 0;
			if (ho_thread_list(db, items[i].id, &t, &nt) == HO_OK)
				ho_thread_free(t, nt);
			ho_event *e = NULL;
			size_t ne = 0;
			if (ho_events_list(db, items[i].id, 10, &e, &ne) == HO_OK)
				ho_event_free(e, ne);
			ho_item it;
			if (ho_item_get(db, items[i].id, &it) == HO_OK) {
				for (int a = HO_ACT_IN_PROGRESS; a <= HO_ACT_GAP; a++)
					ho_can_act(db, &it, (ho_action)a, NULL);
				ho_can_comment(db, &it, NULL);
				ho_item_clear(&it);
			}
		}
		ho_item_free(items, n);
		items = NULL;
		n = 0;
	}
}

/* A few changes as the people the file names. */
static void change_things(ho_db *db, const ho_function *fs, size_t nf)
{
	for (size_t i = 0; i < nf && i < 3; i++) {
		ho_item *items = NULL;
		size_t n = 0;
		if (ho_items_list(db, fs[i].id, HO_FILTER_ALL, &items, &n) != HO_OK || n == 0) {
			ho_item_free(items, n);
			continue;
		}
		ho_set_actor(db, "lead");
		ho_item_comment(db, items[0].id, "a comment on a doctored file");
		if (fs[i].sender_login[0]) {
			ho_set_actor(db, fs[i].sender_login);
			ho_item_mark(db, items[0].id, items[0].version, HO_ACT_HANDED_OVER,
			             "evidence", "note");
			ho_undo(db, NULL);
			ho_function_sign(db, fs[i].id);
		}
		if (fs[i].receiver_login[0]) {
			ho_set_actor(db, fs[i].receiver_login);
			ho_item_mark(db, items[0].id, 0, HO_ACT_GAP, "query", NULL);
			ho_item_mark(db, items[0].id, 0, HO_ACT_ACCEPTED, NULL, NULL);
		}
		ho_item_free(items, n);
	}
	ho_set_actor(db, "lead");
	ho_person_add(db, "newcomer", "New Comer", HO_ROLE_SENDER, "");
	if (nf > 0) {
		ho_function_set_due(db, fs[0].id, fs[0].version, "2027-01-31");
		ho_item_add(db, fs[0].id, "Added to a doctored file", "", "", NULL);
		ho_pair(db, fs[0].handover_id, fs[0].code, "newcomer", NULL);
	}
}

/* check, as `handover check` does; verify on its own where check stopped
 * before it (check ends with verify when the structure is sound). */
static void check_file(ho_db *db)
{
	ho_verify_result vr;
	if (ho_check(db) != HO_OK)
		ho_verify(db, &vr);
}

/* What the dashboard and `status` read. */
static void overview(ho_db *db)
{
	char head[65];
	int64_t events;
	ho_history_head(db, head, &events);
	free(ho_file_title(db));
	ho_changed(db);
	ho_person *people = NULL;
	size_t np = 0;
	if (ho_people_list(db, &people, &np) == HO_OK)
		ho_person_free(people, np);
	ho_handover *hs = NULL;
	size_t nh = 0;
	if (ho_handovers_list(db, &hs, &nh) == HO_OK) {
		for (size_t i = 0; i < nh && i < 3; i++)
			ho_can_sign_handover(db, &hs[i], NULL);
		ho_handover_free(hs, nh);
	}
	ho_function *fs = NULL;
	size_t nf = 0;
	if (ho_functions_list(db, 0, &fs, &nf) == HO_OK) {
		for (size_t i = 0; i < nf && i < 12; i++)
			ho_can_sign_function(db, &fs[i], NULL);
		ho_function_free(fs, nf);
	}
	ho_gap *g = NULL;
	size_t ng = 0;
	for (int mine = 0; mine <= 1; mine++)
		if (ho_gaps_list(db, 0, 0, mine, &g, &ng) == HO_OK)
			ho_gap_free(g, ng);
	ho_event *e = NULL;
	size_t ne = 0;
	if (ho_events_list(db, 0, 50, &e, &ne) == HO_OK)
		ho_event_free(e, ne);
}

static void items(ho_db *db)
{
	ho_function *fs = NULL;
	size_t nf = 0;
	if (ho_functions_list(db, 0, &fs, &nf) == HO_OK) {
		for (size_t i = 0; i < nf && i < 12; i++)
			use_items(db, &fs[i]);
		ho_function_free(fs, nf);
	}
}

/* A document of each handover (up to three), one format each, picked by
 * the input (the replay prints every format), then the export. The text
 * formats only: they share the document's walk with the PDF, xlsx and
 * docx writers, which take some 35 ms a document (Pango, the fonts, the
 * zip) and would leave the rest a few executions a second; those have
 * their own tests (print_*.sh). */
static void outputs(ho_db *db)
{
	ho_handover *hs = NULL;
	size_t nh = 0;
	if (ho_handovers_list(db, &hs, &nh) == HO_OK) {
		for (size_t i = 0; i < nh && i < 3; i++) {
			for (int f = 0; f < HO_FMT_CSV + 1; f++) {
				ho_format fmt =
				    (ho_format)((input_hash / USE__COUNT + i + (unsigned)f) %
				                (HO_FMT_CSV + 1));
				char *doc = NULL;
				size_t len = 0;
				FILE *mem = open_memstream(&doc, &len);
				ho_print_opts po = {.handover_id = hs[i].id, .format = fmt};
				ho_print(db, &po, mem);
				fclose(mem);
				free(doc);
				if (!every_use)
					break;
			}
		}
		ho_handover_free(hs, nh);
	}
	char *csv = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&csv, &len);
	ho_export_csv(db, mem);
	fclose(mem);
	free(csv);
}

static void changes(ho_db *db)
{
	ho_function *fs = NULL;
	size_t nf = 0;
	if (ho_functions_list(db, 0, &fs, &nf) == HO_OK && nf > 0)
		change_things(db, fs, nf);
	ho_function_free(fs, nf);
	check_file(db);
}

static void use_file(ho_db *db, enum use u)
{
	ho_set_actor(db, "lead");
	switch (u) {
	case USE_CHECK:
		check_file(db);
		break;
	case USE_OVERVIEW:
		overview(db);
		break;
	case USE_ITEMS:
		items(db);
		break;
	case USE_OUTPUTS:
		outputs(db);
		break;
	case USE_CHANGES:
	case USE__COUNT:
		changes(db);
		break;
	}
}

/* Each input is opened from memory (store_open_image: the same header,
 * application, format and schema checks as ho_open, without a file to
 * write, sync and remove for every input). With HO_FUZZ_DBFILE_DISK set,
 * as ctest's fuzz/dbfile-disk does, it is written to a file and opened
 * with ho_open, so the saved corpus also goes through the on-disk path. */
static void open_and_use(const uint8_t *data, size_t size, enum use u)
{
	ho_db *db = NULL;
	ho_status st;
	if (profiling) {
		prof.opens++;
		prof.mark = cpu_now();
	}
	if (on_disk) {
		remove_files();
		FILE *f = fopen(path, "wb");
		FUZZ_CHECK(f != NULL, "cannot write %s", path);
		fwrite(data, 1, size, f);
		fclose(f);
		st = ho_open(path, 0, &db);
	} else {
		st = store_open_image("doctored.db", data, size, &db);
	}
	lap(&prof.open);
	if (st == HO_OK) {
		use_file(db, u);
		prof.uses[u]++;
		lap(&prof.use[u]);
	} else {
		prof.refused++;
		FUZZ_CHECK(db && ho_errmsg(db)[0], "open refused (%s) without a reason",
		           ho_strerror(st));
	}
	ho_close(db);
	lap(&prof.close);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (4 << 20))
		return 0;
	input_hash = 2166136261u;
	for (size_t i = 0; i < size; i++)
		input_hash = (input_hash ^ data[i]) * 16777619u;
	if (every_use) {
		for (int u = 0; u < USE__COUNT; u++)
			open_and_use(data, size, (enum use)u);
	} else {
		open_and_use(data, size, (enum use)(input_hash % USE__COUNT));
	}
	return 0;
}

#ifdef HO_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

/* Values a hand edit might leave: wrong words, NULLs, huge numbers,
 * terminal escapes, text where numbers belong. */
static const char *const odd_values[] = {
    "NULL",
    "0",
    "-1",
    "1",
    "2",
    "3",
    "999999",
    "9223372036854775807",
    "-9223372036854775808",
    "''",
    "'x'",
    "'accepted'",
    "'gap'",
    "'pending'",
    "'handed_over'",
    "'not_applicable'",
    "'in_progress'",
    "'none'",
    "'conditions'",
    "'query'",
    "'comment'",
    "'lead'",
    "'sender'",
    "'receiver'",
    "'FIN'",
    "'FIN-1'",
    "'2026-02-30'",
    "'2027-01-01'",
    "'\x1b[2J\x1b]0;t\x07'",
    "'\xe2\x80\xae'",
    "x'ff'",
    "x'00'",
    "randomblob(9000)",
    "zeroblob(100)",
    "3.5",
    "'{\"s\":1}'",
    "'{\"s\":\"x\",\"q\":99999}'",
    "(SELECT max(id) FROM items)",
    "(SELECT max(id) FROM people)",
};
static const char *const tables_columns[] = {
    "items.sender_state",
    "items.receiver_state",
    "items.version",
    "items.function_id",
    "items.number",
    "items.title",
    "items.due_date",
    "items.updated_by",
    "items.evidence",
    "functions.sender_id",
    "functions.receiver_id",
    "functions.code",
    "functions.handover_id",
    "functions.next_number",
    "functions.sender_signed_at",
    "functions.version",
    "functions.due_date",
    "people.role",
    "people.login",
    "people.name",
    "handovers.signed_at",
    "handovers.signed_by",
    "handovers.title",
    "thread.kind",
    "thread.item_id",
    "thread.author_id",
    "thread.resolved_at",
    "thread.body",
    "events.hash",
    "events.prev_hash",
    "events.undo",
    "events.item_id",
    "events.action",
    "events.actor",
    "events.id",
    "events.item_version",
    "meta.value",
};
static const char *const statements[] = {
    "DROP TRIGGER IF EXISTS events_no_update",
    "DROP TRIGGER IF EXISTS events_no_delete",
    "DELETE FROM events WHERE id = (SELECT max(id) FROM events)",
    "DELETE FROM people WHERE role = 'sender'",
    "DELETE FROM functions WHERE id = (SELECT min(id) FROM functions)",
    "DELETE FROM items WHERE id % 2 = 0",
    "DELETE FROM thread",
    "DELETE FROM handovers",
    "DROP TABLE IF EXISTS thread",
    "DROP TABLE IF EXISTS meta",
    "DROP INDEX IF EXISTS items_by_function",
    "PRAGMA user_version = 0",
    "PRAGMA user_version = 2",
    "PRAGMA application_id = 0",
    "INSERT INTO thread(item_id, kind, author_id, at, body) SELECT id, 'query', 1, 0, 'q' "
    "FROM items",
    "INSERT INTO events(id, at, actor, action, prev_hash, hash) VALUES "
    "((SELECT max(id) + 1 FROM events), 0, 'x', 'mark', '', '')",
    "UPDATE items SET function_id = 424242",
    "INSERT INTO items(function_id, number, position, title) SELECT function_id, number, "
    "position, title FROM items LIMIT 1",
    "CREATE TABLE IF NOT EXISTS extra(x)",
    "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, 'NOT NULL', '') "
    "WHERE name = 'items'; PRAGMA writable_schema = OFF",
    "VACUUM",
};

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	srand(seed);
	if (rand() % 4 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	sqlite3 *db = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		return LLVMFuzzerMutate(data, size, max_size);
	unsigned char *copy = sqlite3_malloc64(size ? size : 1);
	memcpy(copy, data, size);
	if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)size, (sqlite3_int64)size,
	                        SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return LLVMFuzzerMutate(data, size, max_size);
	}
	int edits = 1 + rand() % 3;
	for (int i = 0; i < edits; i++) {
		char sql[600];
		if (rand() % 3 == 0) {
			snprintf(sql, sizeof sql, "%s",
			         statements[rand() % (sizeof statements / sizeof *statements)]);
		} else {
			char tc[64];
			snprintf(tc, sizeof tc, "%s",
			         tables_columns[rand() %
			                        (sizeof tables_columns / sizeof *tables_columns)]);
			char *dot = strchr(tc, '.');
			*dot = '\0';
			const char *value =
			    odd_values[rand() % (sizeof odd_values / sizeof *odd_values)];
			if (rand() % 2)
				snprintf(
				    sql, sizeof sql,
				    "UPDATE %s SET %s = %s WHERE rowid IN (SELECT rowid FROM %s "
				    "ORDER BY random() LIMIT %d)",
				    tc, dot + 1, value, tc, 1 + rand() % 3);
			else
				snprintf(sql, sizeof sql, "UPDATE %s SET %s = %s", tc, dot + 1,
				         value);
		}
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	}
	sqlite3_int64 n = 0;
	unsigned char *out = sqlite3_serialize(db, "main", &n, 0);
	size_t result = 0;
	if (out && n > 0 && (size_t)n <= max_size) {
		memcpy(data, out, (size_t)n);
		result = (size_t)n;
	}
	sqlite3_free(out);
	sqlite3_close(db);
	return result ? result : LLVMFuzzerMutate(data, size, max_size);
}
#endif
