/* Internal to the core: the store, over an engine (engine.h). The SQL text
 * is the engine's; the store names statements by id. */
#ifndef HANDOVER_STORE_H
#define HANDOVER_STORE_H

#include "engine.h"
#include "handover/handover.h"
#include "handover/rules.h"
#include "words.h"

struct ho_db {
	const struct eng_ops *eng; /* the engine behind the handle */
	struct eng_conn *conn;     /* the engine's own connection state */
	char *path;
	int flags;
	int read_only;
	int on_network;
	int created;         /* this ho_open made the file (init) */
	char journal[16];    /* the journal mode, as the engine last reported it */
	int64_t tx_now;      /* the time of the open change, 0 until asked */
	int busy_ms;         /* the busy timeout opened with */
	int busy_now;        /* the busy timeout in force (ho_set_busy_timeout) */
	int tx_depth;        /* nested store_begin() calls */
	const char *tx_file; /* where the outermost transaction was opened */
	int tx_line;
	int64_t data_version;   /* others' commits last seen (ho_changed) */
	ho_status stmt_status;  /* of the last store_stmt() */
	int64_t events_written; /* history events this handle appended */
	ho_person actor;        /* role HO_ROLE_NONE when unknown */
	/* On a server: the database login of the session (the engine's, freed
	 * by it) and whether it is the owner of the tables, who may act as
	 * anyone. NULL for a file, where --as names the actor. */
	char *session_login;
	int session_owner;
	char errmsg[512];
	/* The last whole-file function list with its counts. The dashboard
	 * and `status` read the handovers (whose counts are sums over their
	 * functions) and then the functions: this lets the second read reuse
	 * the first instead of counting every item again. Valid only while
	 * nobody has committed (data_version), this connection has changed
	 * nothing (total_changes) and the day is the same (overdue, due soon). */
	struct {
		ho_function *fns;
		int *due_soon;
		size_t n;
		int64_t data_version, changes;
		char today[16];
	} fn_memo;
	/* The history's head and length, likewise: each handover's document
	 * in an export carries them, and counting a long history once per
	 * document was most of the export's time. */
	struct {
		int valid;
		int64_t events;
		char head[65];
		int64_t data_version, changes;
	} head_memo;
	/* The state digest of the file's rows, remembered likewise. */
	struct {
		int valid;
		char digest[65];
		int64_t data_version, changes;
	} state_memo;
	/* Rows changed since the last history event, as the engine's watch
	 * names them (see store_state.c): the next event records each as it
	 * then stands. Emptied when a transaction ends. */
	struct store_touched {
		int table;
		int64_t id;
	} * touched;
	size_t ntouched, touched_cap;
	int touched_oom; /* a change could not be noted: the event must fail */
};

/* An open flag beside HO_OPEN_*: the target of a copy (store_copy.c). A
 * database that must hold no tables and is filled by its owner; the engine
 * makes the schema in a change it leaves open (tx_depth 1) when it can
 * (PostgreSQL), so the copy's rows join it and a failure takes both away. */
#define STORE_OPEN_FILL 0x100

/* ---- copying whole databases (store_copy.c) ---- */

/* A table as a copy reads and writes it: its name, the column that orders
 * its rows and that the database numbers (NULL: none), and every column,
 * comma-separated, as in both engines' schemas. */
struct store_copy_table {
	const char *name;
	const char *key;
	const char *cols;
};
/* Every table, in an order in which each row's references come first. */
extern const struct store_copy_table store_copy_tables[];
extern const size_t store_copy_table_count;
int store_copy_ncols(const struct store_copy_table *t);
/* A table's SELECT (every row in order) and INSERT (:c0, :c1, ...) into
 * out; 0, or -1 when it does not fit in len. */
int store_copy_select_sql(const struct store_copy_table *t, char *out, size_t len);
int store_copy_insert_sql(const struct store_copy_table *t, char *out, size_t len);
/* The database of src as a new SQLite handover file at out (ho_outfile
 * flags; HO_OUT_FORCE replaces an earlier backup): ho_copy() to a file,
 * and a backup of a database on a server. res may be NULL. */
ho_status store_copy_out(ho_db *src, const char *out, int flags, ho_copy_result *res);

/* Set the one-line reason for the caller; returns st. */
ho_status store_fail(ho_db *db, ho_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Map an engine result code to a status and message (busy -> HO_EBUSY). */
ho_status store_engine_fail(ho_db *db, int rc, const char *what);

/* The cached statement `id`, reset and with bindings cleared. NULL on
 * failure (message set). */
eng_stmt *store_stmt(ho_db *db, enum store_stmt_id id);
/* Why the last store_stmt() gave NULL, as it was (a busy file stays
 * HO_EBUSY). */
ho_status store_stmt_failed(const ho_db *db);
/* Bind helpers by :name; text NULL binds NULL. */
static inline void store_bind_text(eng_stmt *s, const char *name, const char *v)
{
	s->ops->bind_text(s, name, v);
}
static inline void store_bind_int(eng_stmt *s, const char *name, int64_t v)
{
	s->ops->bind_int(s, name, v);
}
static inline void store_bind_null(eng_stmt *s, const char *name)
{
	s->ops->bind_null(s, name);
}
/* Column as a new malloc'd string ("" for NULL). NULL when out of memory,
 * and then the statement is marked: its next step gives ENG_NOMEM, and a
 * reader of one row asks store_row_whole(). */
char *store_col_text(eng_stmt *s, int col);
/* Step a statement expected to finish (ENG_DONE); resets it. */
ho_status store_exec_stmt(ho_db *db, eng_stmt *s, const char *what);
/* rc after a row was read from s: ENG_NOMEM when a column of it could not be
 * copied, else rc. */
static inline int store_row_whole(const eng_stmt *s, int rc)
{
	return s->oom ? ENG_NOMEM : rc;
}

/* A new handle for `path` on `eng`, with the settings read ($HANDOVER_BUSY_MS);
 * *out is set even on failure (it carries the message). */
ho_status store_db_new(const char *path, int flags, const struct eng_ops *eng, ho_db **out);
/* After the engine opened it: nobody acting yet, others' commits counted
 * from now. */
ho_status store_opened(ho_db *db);

/* One transaction per user action: BEGIN IMMEDIATE (waits up to the busy
 * timeout). Nested calls only count depth, so a batch (import, demo) can
 * wrap many actions in one transaction. */
#define store_begin(db) store_begin_at((db), __FILE__, __LINE__)
ho_status store_begin_at(ho_db *db, const char *file, int line);
ho_status store_commit(ho_db *db);
void store_rollback(ho_db *db);

/* The one write path. Every change to the file goes:
 *
 *	struct store_change ch;
 *	if ((st = store_change_begin(db, &ch, STORE_LEAD, "adding a handover")) != HO_OK)
 *		goto cleanup;
 *	... its statements and its history event (store_event), st set ...
 *	st = store_change_end(db, &ch, st);
 *
 * begin checks the role the change needs (before any lock is taken) and
 * opens the transaction; end commits when st is HO_OK and the change
 * appended its history event, and otherwise rolls back. The status given
 * is kept (a busy file stays HO_EBUSY); a change that would commit with no
 * event is refused and rolled back: nothing reaches the file unrecorded.
 * Inside a batch (store_begin() already open), begin and end only count. */
enum store_need {
	STORE_ANYONE = 0,     /* the rules decide inside the change */
	STORE_LEAD = 1,       /* only a lead */
	STORE_UNRECORDED = 2, /* no history event (what a person has seen) */
};
struct store_change {
	unsigned need;
	int64_t events_at; /* events_written when it began */
};
ho_status store_change_begin(ho_db *db, struct store_change *ch, unsigned need, const char *what);
ho_status store_change_end(ho_db *db, struct store_change *ch, ho_status st);

/* The time of the change in progress: the clock, but never before the
 * last event in the history (the same for every row the change writes).
 * Outside a transaction, the clock. */
int64_t store_now(ho_db *db);
/* 1 when the file holds nobody and no history: what init may fill. */
int store_file_unused(ho_db *db);

/* Append a history event in the current transaction (hash-chained). The
 * event records the state of every row changed since the previous event
 * (store_state_take), so it must come after the change it describes. */
ho_status store_event(ho_db *db, const char *action, int64_t handover_id, int64_t function_id,
                      int64_t item_id, const char *ref, const char *old_value,
                      const char *new_value, const char *undo, int64_t item_version);
/* The same with the actor and the recorded state given (NULL state: the
 * rows changed since the previous event, as store_event does). */
ho_status store_event_as(ho_db *db, const char *actor, const char *action, int64_t handover_id,
                         int64_t function_id, int64_t item_id, const char *ref,
                         const char *old_value, const char *new_value, const char *undo,
                         int64_t item_version, const char *state);

/* ---- the state the history proves (store_state.c) ---- */

/* The first file format whose events carry the state they leave. */
#define STORE_STATE_FORMAT 3
/* The last file format that added columns to covered rows (008: a
 * condition's terms, a handover's distribution): the lines recorded before
 * it lack them, so an upgrade from an older format records the rows as they
 * stand as a new baseline, as one from before STORE_STATE_FORMAT does. */
#define STORE_STATE_COLUMNS_FORMAT 8
/* Note every change to a covered row (the engine's watch). */
void store_state_watch(ho_db *db);
/* Forget the noted changes (a transaction ended). */
void store_state_forget(ho_db *db);
/* The noted rows as they stand now, one line each, as an event records
 * them; the notes are emptied. *out is a new string ("" when none). */
ho_status store_state_take(ho_db *db, char **out);
/* A file upgraded from an older format: one 'baseline' event holding
 * every covered row as it stands. */
ho_status store_state_baseline(ho_db *db);
/* Replay of recorded states during ho_verify: start, feed each event's
 * state (NULL for events from before format 3), then compare with the
 * file's rows. */
struct state_replay;
struct state_replay *store_replay_new(void);
/* 0 on success; -1 when the state cannot be read (malformed), -2 out of
 * memory. */
int store_replay_event(struct state_replay *r, int64_t event_id, const char *state, size_t len);
ho_status store_replay_compare(ho_db *db, struct state_replay *r, ho_verify_result *res,
                               void (*each)(void *ctx, const char *row), void *ctx);
void store_replay_free(struct state_replay *r);

/* Trim `in` and check it: required (non-empty), at most `max` bytes, valid
 * UTF-8. On success *out is a new string. `what` names the field in the
 * message ("evidence", "name"). */
ho_status store_clean_text(ho_db *db, const char *in, size_t max, int required, const char *what,
                           char **out);
/* A new database file's mode: 0666 less the umask, for it and for any of
 * its -wal, -shm, -journal already made (outfile.c). */
void store_follow_umask(const char *path);
/* Make room for one more element in a growing array (cap doubles); 0 when
 * out of memory (the array is left as it was). */
int store_grow(void **arr, size_t *cap, size_t n, size_t elem);

ho_status store_function_next_number(ho_db *db, int64_t function_id, int *next);
/* On a server, the refusal of a change to a login that is nobody's (or a
 * leaver's): HO_EPERM, naming it and how a lead adds it. */
ho_status store_refuse_unmapped(ho_db *db, const char *what);
/* HO_OK when the actor is a lead, else HO_EPERM with a reason. */
ho_status store_require_lead(ho_db *db, const char *what);

/* A read transaction, so that a run of reads (a document) sees one state
 * of the file and takes its read lock once rather than once per statement.
 * Returns 1 when one was begun, to be passed to store_read_end(); 0 when
 * the connection is already in a transaction (or BEGIN failed: the reads
 * then run one by one, as without it). */
int store_read_begin(ho_db *db);
void store_read_end(ho_db *db, int began);
/* Every thread entry of a handover's items, or of one function's when
 * function_id is not 0, in one query: item_ids[k] is the item of out[k],
 * ordered by item id, then entry id (each item's entries as
 * ho_thread_list() gives them). Free with ho_thread_free() and free(). */
/* The login of the lead who signed a handover off; "" when nobody has
 * (caller frees). */
ho_status store_handover_signer(ho_db *db, int64_t handover_id, char **login);
ho_status store_threads_of(ho_db *db, int64_t handover_id, int64_t function_id, int64_t **item_ids,
                           ho_thread_entry **out, size_t *n);

/* For import (csv_import.c): an item numbered as a sheet says (0: the
 * function's next number), with its title, guidance and own due date ("" takes
 * its function's). Changes to existing items go through ho_item_edit(). */
ho_status store_item_add_numbered(ho_db *db, int64_t function_id, int want_number,
                                  const char *title, const char *guidance, const char *due_date,
                                  int64_t *id_out);

/* A date as a person typed it (ho_date_parse_user) into out ("" for "");
 * HO_EUSAGE with a message saying what is expected. */
ho_status store_user_date(ho_db *db, const char *in, const char *what, char out[11]);
/* Undo a lead's set-up change (store_setup.c) inside ho_undo()'s
 * transaction: `action` and `undo` from its event, `version` the item's (or
 * for a function's event, the function's) version it left. */
ho_status store_setup_undo(ho_db *db, const char *action, int64_t item_id, int64_t function_id,
                           const char *undo, int64_t version, char ref_out[HO_REF_SIZE]);

/* Words stored in items.sender_state / receiver_state. */
/* Forget the remembered function list (ho_close). */
void store_memo_clear(ho_db *db);
/* The engine's data_version now (others' commits), -1 when unreadable. */
int64_t store_data_version(ho_db *db);

/* The actor as the rules see them. */
static inline ho_rule_actor store_rule_actor(const ho_db *db)
{
	ho_rule_actor me = {db->actor.id, db->actor.role, db->read_only};
	return me;
}

#endif
