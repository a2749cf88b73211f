/* handover: the core library's public API (libhandover).
 *
 * The core owns the model, the rules (item life cycle, permissions, gaps,
 * readiness), the store (all SQL) and the text sanitiser. It knows nothing of
 * curses or the terminal. Every change goes through a function here that
 * takes the current actor (ho_set_actor) and refuses what that actor may not
 * do, with a one-line reason in ho_errmsg(). */
#ifndef HANDOVER_HANDOVER_H
#define HANDOVER_HANDOVER_H

#include <stddef.h>
#include <stdint.h>

#define HO_VERSION "0.1.0"

/* Sizes the API fixes. An item's reference ("FIN-3", or a function's code
 * for a whole function) fits in HO_REF_SIZE bytes with its NUL. */
#define HO_REF_SIZE 24

/* Ids of rows are positive. 0 is never a row's id: in a struct it means
 * "none" (an unpaired function's sender_id, an item with no handover), and
 * as an argument it means what the function says, "every one" (handover_id
 * 0 in a list) or "the only one" (handover_id 0 when finding by code). */
#define HO_ID_NONE 0

/* ---- status codes ---------------------------------------------------- */

typedef enum ho_status {
	HO_OK = 0,
	HO_EUSAGE,    /* bad argument (bad reference, empty text, bad date) */
	HO_EBADFILE,  /* not ours, newer, truncated, unreadable, read-only */
	HO_EBUSY,     /* the file stayed locked longer than the busy timeout */
	HO_ENOTFOUND, /* no such person, function, item, handover */
	HO_EPERM,     /* the actor may not do this */
	HO_ECONFLICT, /* someone else changed the row since it was read */
	HO_ESTATE,    /* not allowed from the item's or function's state */
	HO_EEXIST,    /* already exists (login, function code, file) */
	HO_ENOMEM,
	HO_EIO /* any other SQLite or system failure */
} ho_status;

/* Short name of a status ("permission denied", "conflict", ...). */
const char *ho_strerror(ho_status st);

/* The documented process exit status for a status:
 * 0 success, 1 usage, 2 bad or unreadable file, 3 refused. */
int ho_exit_code(ho_status st);

/* ---- clock ------------------------------------------------------------ */

/* Seconds since the epoch. Returns the fixed time when one is set (tests,
 * reproducible documents), else the system clock. A change is recorded at
 * the later of this and the history's last event, so history never runs
 * backwards. */
int64_t ho_now(void);
/* Parse "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC) into seconds;
 * returns -1 when malformed. */
int64_t ho_time_parse(const char *s);
/* Format `t` (UTC) as "YYYY-MM-DD" into buf (>= 11 bytes). */
void ho_date_format(int64_t t, char *buf, size_t size);
/* Format `t` (UTC) as "YYYY-MM-DD HH:MM" into buf (>= 17 bytes). */
void ho_time_format(int64_t t, char *buf, size_t size);
/* Today (by ho_now) as "YYYY-MM-DD" into buf (>= 11 bytes). */
void ho_today(char *buf, size_t size);
/* 1 when s is a valid "YYYY-MM-DD" calendar date. */
int ho_date_valid(const char *s);
/* A date as a person types it: "2026-12-15" or the UK day/month/year
 * "15/12/2026" (day and month of one or two digits). On success writes the
 * "YYYY-MM-DD" form into out and returns 0; -1 when it is neither or not a
 * calendar date (say HO_DATE_EXPECTED to the person). */
int ho_date_parse_user(const char *s, char out[11]);
#define HO_DATE_EXPECTED "a date like 2026-12-15 or 15/12/2026 (day/month/year)"

/* ---- text ------------------------------------------------------------- */

/* One sanitiser for every piece of user text shown on a terminal or in a
 * document. Returns a new string (caller frees) that is valid UTF-8 (bad
 * bytes become U+FFFD) with no C0/C1 controls, DEL, escape sequences (CSI,
 * OSC, ... removed whole), bidi overrides/isolates, zero-width characters,
 * Hangul fillers or tag characters.
 * Newlines: HO_SAN_LINE turns every line break and TAB into one space;
 * HO_SAN_MULTILINE keeps '\n' (CR LF and lone CR become '\n'). NULL in gives
 * "". Returns NULL only when out of memory. */
enum { HO_SAN_LINE = 0, HO_SAN_MULTILINE = 1, HO_SAN_ASCII = 2 };
char *ho_sanitise(const char *in, int mode);
/* HO_SAN_ASCII (or'ed into mode): every character beyond ASCII, and every
 * bad byte, becomes '?' (for a terminal whose locale is not UTF-8: see
 * handover/terminal.h). */

/* SHA-256 of data, as 64 lowercase hex digits plus NUL in out[65]. */
void ho_sha256_hex(const void *data, size_t len, char out[65]);

/* Limits on user text (bytes, after trimming); longer text is refused with
 * HO_EUSAGE. */
#define HO_MAX_NAME     200 /* names, titles, logins (logins: 64) */
#define HO_MAX_LOGIN    64
#define HO_MAX_TEXT     8000 /* evidence, reasons, conditions, comments */
#define HO_MAX_GUIDANCE 8000

/* ---- model ------------------------------------------------------------ */

/* The enums below come from the one table of words, words.def. */
typedef enum ho_role {
#define HO_WORD_ROLE(name, db, display) HO_ROLE_##name,
#include "handover/words.def"
} ho_role;
/* How many: for tables and loops (not a value of the enum). */
enum {
#define HO_WORD_ROLE(name, db, display) +1
	HO_ROLE__COUNT = 0
#include "handover/words.def"
};

typedef enum ho_sender_state {
#define HO_WORD_SENDER(name, db, display, brief) HO_SENDER_##name,
#include "handover/words.def"
} ho_sender_state;
/* How many: for tables and loops (not a value of the enum). */
enum {
#define HO_WORD_SENDER(name, db, display, brief) +1
	HO_SENDER__COUNT = 0
#include "handover/words.def"
};

typedef enum ho_receiver_state {
#define HO_WORD_RECEIVER(name, db, display, document, brief) HO_RECEIVER_##name,
#include "handover/words.def"
} ho_receiver_state;
/* How many: for tables and loops (not a value of the enum). */
enum {
#define HO_WORD_RECEIVER(name, db, display, document, brief) +1
	HO_RECEIVER__COUNT = 0
#include "handover/words.def"
};

/* What a person does to an item (the sender's or the receiver's side, and
 * the text it needs: see words.def and ho_action_text()). */
typedef enum ho_action {
#define HO_WORD_ACTION(name, cli, side, text, thread) HO_ACT_##name,
#include "handover/words.def"
} ho_action;
/* How many: for tables and loops (not a value of the enum). */
enum {
#define HO_WORD_ACTION(name, cli, side, text, thread) +1
	HO_ACT__COUNT = 0
#include "handover/words.def"
};

typedef enum ho_rag { HO_RAG_NONE = 0, HO_RAG_GREEN, HO_RAG_AMBER, HO_RAG_RED } ho_rag;

/* Words used everywhere (CLI, screen, documents), from words.def. */
const char *ho_role_name(ho_role r);                      /* "sender", ... "viewer" */
const char *ho_sender_state_name(ho_sender_state s);      /* "not started", ... */
const char *ho_sender_state_brief(ho_sender_state s);     /* ... "N/A" (narrow columns) */
const char *ho_receiver_state_name(ho_receiver_state s);  /* "-", "pending", ... */
const char *ho_receiver_state_doc(ho_receiver_state s);   /* "not yet", ... (documents) */
const char *ho_receiver_state_brief(ho_receiver_state s); /* "to review", ... (narrow) */
const char *ho_action_name(ho_action a);                  /* CLI word: "in-progress", ... */
const char *ho_rag_name(ho_rag r);                        /* "", "green", "amber", "red" */
/* What text an action needs ("evidence", "reason", "condition", "query"),
 * or NULL when it needs none. */
const char *ho_action_text(ho_action a);
/* The side that takes an action: HO_ROLE_SENDER or HO_ROLE_RECEIVER. */
ho_role ho_action_side(ho_action a);
/* Parse a CLI word; return 0 on success, -1 when unknown. */
int ho_role_parse(const char *s, ho_role *out);
/* A set of roles, as a bit per role. */
#define HO_ROLE_BIT(r) (1u << (unsigned)(r))
/* "lead,sender" -> HO_ROLE_BIT(LEAD) | HO_ROLE_BIT(SENDER); -1 when a word
 * is not a role. */
int ho_roles_parse(const char *s, unsigned *out);
/* The set as words, lead first: "lead, sender". */
void ho_roles_format(unsigned roles, char *buf, size_t size);
int ho_action_parse(const char *s, ho_action *out);

typedef struct ho_person {
	int64_t id;
	char *login;
	char *name;
	ho_role role;
	char *org;       /* "" when none */
	int64_t left_at; /* when they left (can no longer act), 0 while here */
	char *job_title; /* "" when none */
	unsigned roles;  /* every role they hold (HO_ROLE_BIT); role is the
	                    one the rules see: lead when they hold it */
} ho_person;

typedef struct ho_counts {
	int total;
	int not_started, in_progress, handed_over, not_applicable; /* sender */
	int pending, accepted, conditions, gaps; /* receiver (gaps: open queries) */
	int overdue;                             /* due date passed, not handed over / N/A */
	int done;                                /* accepted or accepted with conditions */
} ho_counts;
/* Add b's counts to a's (a handover's are the sum of its functions'). */
void ho_counts_add(ho_counts *a, const ho_counts *b);

typedef struct ho_handover {
	int64_t id;
	char *title;
	char *service;      /* "Dental", ... ("" when none) */
	char *sender_org;   /* "" when none */
	char *receiver_org; /* "" when none */
	char *target_date;  /* "YYYY-MM-DD" or "" */
	char *signed_by;    /* lead's name, "" when not signed */
	int64_t signed_at;  /* 0 when not signed */
	int64_t version;
	ho_counts counts; /* over all its items */
	int functions, functions_signed, functions_unpaired;
	ho_rag rag;
	char *marking;      /* printed on every page: "OFFICIAL" unless a lead set another */
	int64_t closed_at;  /* 0 when open; a closed handover is read-only */
	char *closed_note;  /* why it was closed, "" when open */
	char *distribution; /* who its documents go to (free text), "" when unset */
} ho_handover;

typedef struct ho_function {
	int64_t id, handover_id;
	char *code; /* "FIN" */
	char *name; /* "Finance" */
	int position;
	char *due_date;                               /* "" when none */
	int64_t sender_id, receiver_id;               /* 0 when unpaired */
	char *sender_login, *sender_name;             /* "" when unpaired */
	char *receiver_login, *receiver_name;         /* "" when unpaired */
	int64_t sender_signed_at, receiver_signed_at; /* 0 when not signed */
	int64_t version;
	ho_counts counts;
	ho_rag rag;
	int64_t retired_at;         /* 0 unless withdrawn (then left out of lists) */
	char *retired_note;         /* why it was withdrawn, "" when not */
	int64_t handover_closed_at; /* its handover's closed_at (0 when open) */
} ho_function;

typedef struct ho_item {
	int64_t id, function_id, handover_id;
	int number;            /* stable within the function */
	char ref[HO_REF_SIZE]; /* "FIN-3" */
	int position;
	char *title;
	char *guidance;
	char *due_date; /* item's own, else the function's; "" when none */
	ho_sender_state sender_state;
	ho_receiver_state receiver_state;
	char *evidence, *na_reason, *condition; /* "" when none */
	int64_t version;
	int thread_count, open_queries;
	int overdue;
	ho_rag rag;
	char *updated_by; /* name of who changed it last, "" when never */
	int64_t updated_at;
	int64_t retired_at; /* 0 unless withdrawn (then left out of lists) */
	char *retired_note; /* why it was withdrawn, "" when not */
	char *own_due;      /* the item's own due date, "" when it inherits the function's */
} ho_item;

typedef enum ho_thread_kind {
#define HO_WORD_THREAD(name, db, display) HO_THREAD_##name,
#include "handover/words.def"
} ho_thread_kind;
/* How many: for tables and loops (not a value of the enum). */
enum {
#define HO_WORD_THREAD(name, db, display) +1
	HO_THREAD__COUNT = 0
#include "handover/words.def"
};
const char *ho_thread_kind_name(ho_thread_kind k); /* "comment", "query", ... */

typedef struct ho_thread_entry {
	int64_t id;
	ho_thread_kind kind;
	char *author_login, *author_name;
	int64_t at;
	char *body;
	int64_t resolved_at; /* queries: when closed by acceptance; else 0 */
} ho_thread_entry;

typedef struct ho_event {
	int64_t id, at;
	char *actor;                 /* login */
	char *action;                /* "mark", "comment", "sign", "pair", ... */
	char *ref;                   /* "FIN-3", "FIN", handover title, login ... */
	char *old_value, *new_value; /* readable summaries */
	char prev_hash[65], hash[65];
} ho_event;

typedef enum ho_gap_kind {
#define HO_WORD_GAP(name, display) HO_GAP_##name,
#include "handover/words.def"
} ho_gap_kind;
/* How many: for tables and loops (not a value of the enum). */
enum {
#define HO_WORD_GAP(name, display) +1
	HO_GAP__COUNT = 0
#include "handover/words.def"
};
const char *ho_gap_kind_name(ho_gap_kind k); /* "query", "overdue", ... */

typedef struct ho_gap {
	ho_gap_kind kind;
	int64_t handover_id, function_id, item_id; /* item_id 0 for unpaired */
	char ref[HO_REF_SIZE];                     /* item ref, or function code for unpaired */
	char *title;                               /* item title or function name */
	char *detail;      /* the query, condition, due date, what is missing */
	char *owner_login; /* who must act ("" when nobody is paired) */
	char *owner_name;
	char *due_date; /* "" when none */
} ho_gap;

/* Item list filters (TUI `f`). MINE: items the actor can act on now;
 * GAPS: open queries, unreviewed, conditions, overdue. */
typedef enum ho_filter {
#define HO_WORD_FILTER(name, display) HO_FILTER_##name,
#include "handover/words.def"
} ho_filter;
/* How many: for tables and loops (not a value of the enum). */
enum {
#define HO_WORD_FILTER(name, display) +1
	HO_FILTER__COUNT = 0
#include "handover/words.def"
};
const char *ho_filter_name(ho_filter f);

void ho_person_free(ho_person *p, size_t n); /* frees the array too */
void ho_handover_free(ho_handover *h, size_t n);
void ho_function_free(ho_function *f, size_t n);
/* One person, handover, function or item read into the caller's own struct
 * (as ho_person_get(), ho_handover_get(), ho_function_get(), ho_item_get()
 * do): its strings freed, the struct zeroed. */
void ho_person_clear(ho_person *p);
void ho_handover_clear(ho_handover *h);
void ho_function_clear(ho_function *f);
void ho_item_clear(ho_item *it);
void ho_item_free(ho_item *it, size_t n);
void ho_thread_free(ho_thread_entry *t, size_t n);
void ho_event_free(ho_event *e, size_t n);
void ho_gap_free(ho_gap *g, size_t n);

/* ---- the file --------------------------------------------------------- */

typedef struct ho_db ho_db;

enum {
	HO_OPEN_CREATE = 1,  /* create when missing (init); fails if it exists */
	HO_OPEN_READONLY = 2 /* never write */
};

/* Journal: each file has one mode, kept in the file itself (SQLite records
 * WAL in the file's header; a file not in WAL uses a rollback journal, run
 * as DELETE with synchronous=FULL). It is chosen when the file is created:
 * $HANDOVER_JOURNAL=wal|delete when set, else WAL on a local filesystem and
 * DELETE on a network one (NFS, SMB/CIFS, FUSE). Every later open follows
 * the file; $HANDOVER_JOURNAL is then not used (a value other than wal or
 * delete is still refused), and a lead changes the mode with
 * ho_set_journal(). */

/* Open (and, with HO_OPEN_CREATE, create) a handover file. A file that is
 * not SQLite, another application's SQLite file, a truncated file or one of
 * a newer version is refused with HO_EBADFILE and left unchanged. With
 * HO_OPEN_CREATE the file is made with O_EXCL: of several opens racing to
 * create one path, one makes it (ho_created() says so) and ho_init() lets
 * only one fill it. A malformed $HANDOVER_BUSY_MS or $HANDOVER_JOURNAL is
 * refused with HO_EUSAGE before the file is touched. On failure *out is
 * still set when possible so ho_errmsg() can be read; always call
 * ho_close(). Migrations run in one IMMEDIATE transaction. */
ho_status ho_open(const char *path, int flags, ho_db **out);
/* 1 when this ho_open(HO_OPEN_CREATE) made the file. */
int ho_created(const ho_db *db);
void ho_close(ho_db *db);
/* The one-line reason of the last failure on this handle ("" when none). */
const char *ho_errmsg(const ho_db *db);
/* 1 when `where` names a database on a server (a postgresql:// URI or a
 * libpq conninfo string) rather than a file. */
int ho_location_is_server(const char *where);
const char *ho_path(const ho_db *db);
/* "wal" or "delete" as last read (at open, or by ho_journal_refresh); and
 * 1 when the file is on a network filesystem. */
const char *ho_journal_mode(const ho_db *db);
/* Read the file's journal mode again (a lead may have changed it since the
 * file was opened) and return it; cheap, for a screen's title. */
const char *ho_journal_refresh(ho_db *db);
/* Switch the file to "wal" or "delete" (leads). HO_EBUSY when others have
 * the file open (SQLite switches only a file nobody else is using),
 * HO_ESTATE for WAL on a network drive. Not recorded in the history: it
 * changes how the file is stored, not what it says. */
ho_status ho_set_journal(ho_db *db, const char *mode);
int ho_on_network(const ho_db *db);
int ho_read_only(const ho_db *db);
/* Busy timeout in milliseconds (default 8000). */
void ho_set_busy_timeout(ho_db *db, int ms);
/* The busy timeout the file was opened with: 8000 ms, or $HANDOVER_BUSY_MS. */
int ho_busy_timeout(const ho_db *db);

/* Someone else committed since the last call: 1 yes, 0 no (PRAGMA
 * data_version; the first call returns 0). Cheap: call it a few times a
 * second. */
int ho_changed(ho_db *db);
/* Waiting for others' changes instead of asking: a descriptor to poll()
 * for reading together with the terminal, readable when someone else may
 * have committed (PostgreSQL: the connection's socket, woken by the
 * server's notification). -1 where there is none: a SQLite file (call
 * ho_changed() a few times a second), or a connection that was lost (ask
 * ho_changed(), which reconnects). Read it again before each wait: a
 * reconnection gives a new one. */
int ho_change_fd(ho_db *db);
/* 1 when news of a change has arrived (consumed by this call; it may
 * already be waiting in the connection's buffer, so ask before waiting on
 * ho_change_fd()): then ho_changed() says whether it was someone else's. */
int ho_change_ready(ho_db *db);

/* The file's title (set by init). Caller frees. */
char *ho_file_title(ho_db *db);

/* ---- actor and permissions --------------------------------------------- */

/* Look `login` up in the file's people and act as them. Unknown logins
 * become viewers (HO_ROLE_NONE): they may read, not change. Returns HO_OK
 * in both cases.
 * On PostgreSQL the session's database login is the actor: login NULL (or
 * the session's own) acts as it; another login only when the session is a
 * lead's or the owner's, else HO_EPERM and the actor is the session's. */
ho_status ho_set_actor(ho_db *db, const char *login);
/* The database login of the session on a server; NULL for a file. */
const char *ho_session_login(const ho_db *db);
/* The actor (login as given; name "" and role NONE when unknown). */
const ho_person *ho_actor(const ho_db *db);
/* The default login: $HANDOVER_USER, else the operating-system login name.
 * Caller frees. */
char *ho_default_login(void);

/* Can the actor do `a` on `it` now (state and pairing checked)? 1/0; when
 * 0 and why != NULL, *why is a static one-line reason. Used by the TUI to
 * offer only what the core would accept. */
int ho_can_act(ho_db *db, const ho_item *it, ho_action a, const char **why);
int ho_can_comment(ho_db *db, const ho_item *it, const char **why);
/* The same, judged against the item's function `f` as the caller already
 * holds it (a screen showing that function's items): nothing is read, so
 * a screen asking for each of its keys costs a server no round trip. The
 * change itself is judged again, against the database, when it is made. */
int ho_can_act_in(ho_db *db, const ho_function *f, const ho_item *it, ho_action a,
                  const char **why);
int ho_can_comment_in(ho_db *db, const ho_function *f, const char **why);
int ho_can_sign_function(ho_db *db, const ho_function *f, const char **why);
int ho_can_sign_handover(ho_db *db, const ho_handover *h, const char **why);
int ho_is_lead(const ho_db *db);

/* ---- setting up (init, template, demo) --------------------------------- */

typedef struct ho_init_opts {
	const char *title; /* file title; NULL: "Handover" */
	const char *login; /* first lead's login (required) */
	const char *name;  /* first lead's name; NULL: login */
	int empty;         /* 1: no handover; 0: one from the pod template */
	int demo;          /* 1: fill with the demo content */
	/* The first handover's cover (not with empty or demo); NULL: none.
	 * Its title, when given, is also the file's. */
	const struct ho_cover *cover;
} ho_init_opts;

/* Create the schema and content in a new file opened with
 * HO_OPEN_CREATE. The person running it becomes the first lead. */
ho_status ho_init(ho_db *db, const ho_init_opts *opts);

/* ---- people, handovers, functions, items (leads) ----------------------- */

ho_status ho_person_add(ho_db *db, const char *login, const char *name, ho_role role,
                        const char *org);
/* The same with a set of roles (HO_ROLE_BIT), such as a lead who is also a
 * sender. */
ho_status ho_person_add_roles(ho_db *db, const char *login, const char *name, unsigned roles,
                              const char *org);
/* The same, and on PostgreSQL the person's database login given a
 * person's rights (the group role handover_user): an existing login, or,
 * with password not NULL, a new one made with it. A login to map that does
 * not exist is refused (HO_ESTATE), except to the owner, whose person is
 * then added without one (*has_login 0; 1 otherwise). A password on a file
 * is HO_EUSAGE. */
ho_status ho_person_add_login(ho_db *db, const char *login, const char *name, unsigned roles,
                              const char *org, const char *password, int *has_login);
/* On PostgreSQL, an existing person's database login given a person's
 * rights (leads): mapped when it exists, or, with password not NULL, made
 * with it. A person who left, or a login missing without a password, is
 * refused (HO_ESTATE); on a file HO_EUSAGE. Recorded in the history. */
ho_status ho_person_map_login(ho_db *db, const char *login, const char *password);
ho_status ho_people_list(ho_db *db, ho_person **out, size_t *n);
ho_status ho_person_get(ho_db *db, const char *login, ho_person *out);
/* Change a person's name, organisation, job title (NULL: as it is) or
 * roles (a set of HO_ROLE_BIT; 0: as they are). Roles that no longer fit a
 * side they are paired on are refused, as is the last lead stepping down. */
ho_status ho_person_edit(ho_db *db, const char *login, const char *name, const char *org,
                         const char *job_title, unsigned roles);
/* Record that a person left: they keep their history and their name in
 * documents but can no longer act (nor undo). Their pairs on functions not
 * yet signed move to `successor` (who must hold that side's role), or, when NULL, become
 * unpaired for a lead to fill. *moved: how many pairs changed. */
ho_status ho_person_leave(ho_db *db, const char *login, const char *successor, int *moved);
/* The same; on PostgreSQL the leaver's database login also loses a person's
 * rights (handover_user), *revoked 1 when it had them to lose. */
ho_status ho_person_leave_login(ho_db *db, const char *login, const char *successor, int *moved,
                                int *revoked);

ho_status ho_handover_add(ho_db *db, const char *title, const char *service, const char *sender_org,
                          const char *receiver_org, const char *target_date, int64_t *id_out);
/* Add the pod template's ten functions and their items to a handover. */
ho_status ho_handover_apply_template(ho_db *db, int64_t handover_id);
ho_status ho_function_add(ho_db *db, int64_t handover_id, const char *code, const char *name,
                          const char *due_date, int64_t *id_out);
ho_status ho_item_add(ho_db *db, int64_t function_id, const char *title, const char *guidance,
                      const char *due_date, int64_t *id_out);
/* Pair a sender and a receiver on a function (either may be NULL to leave
 * it as it is). handover_id 0: the only handover with that code. */
ho_status ho_pair(ho_db *db, int64_t handover_id, const char *code, const char *sender,
                  const char *receiver);
/* Set a function's due date ("" clears). expected_version 0: current. */
ho_status ho_function_set_due(ho_db *db, int64_t function_id, int64_t expected_version,
                              const char *due_date);

/* A lead's set-up once a handover runs. Dates are given as a person typed
 * them ("2026-12-15" or "15/12/2026", see ho_date_parse_user(); "" clears
 * a due date); a field given as NULL stays as it is. expected_version 0:
 * whatever is current. Each change is one transaction with its history
 * event; ho_undo() undoes the actor's last edit, withdrawal, move or added
 * item as it does a mark. Refused (HO_ESTATE) in a closed handover, a
 * signed-off function or a withdrawn one. */
typedef struct ho_cover {
	const char *title, *service, *sender_org, *receiver_org, *target_date;
	const char *marking;      /* printed on every page of its documents */
	const char *distribution; /* the documents' distribution list (free text) */
} ho_cover;
/* A new handover with its cover (NULL fields: none; marking NULL:
 * OFFICIAL) and, when pod_template, the pod template's functions and items:
 * all in one change. */
ho_status ho_handover_add_with(ho_db *db, const char *title, const char *service,
                               const char *sender_org, const char *receiver_org,
                               const char *target_date, const char *marking, int pod_template,
                               int64_t *id_out);
ho_status ho_handover_set(ho_db *db, int64_t handover_id, int64_t expected_version,
                          const ho_cover *c);
/* A closed handover is read-only (nobody marks, comments, signs or sets it
 * up) and still printable; a lead reopens it. The note says why. */
ho_status ho_handover_close(ho_db *db, int64_t handover_id, const char *note);
ho_status ho_handover_reopen(ho_db *db, int64_t handover_id);
ho_status ho_function_edit(ho_db *db, int64_t function_id, int64_t expected_version,
                           const char *name, const char *due_date);
/* Withdraw a function or an item: it leaves counts, readiness, gaps and
 * documents (which list it, with the note, as withdrawn); its reference is
 * never used again. */
ho_status ho_function_retire(ho_db *db, int64_t function_id, const char *note);
/* Editing the title or guidance of an item the receiver has reviewed sends
 * it back to them for review (ho_rule_item_edit). */
ho_status ho_item_edit(ho_db *db, int64_t item_id, int64_t expected_version, const char *title,
                       const char *guidance, const char *due_date);
ho_status ho_item_retire(ho_db *db, int64_t item_id, int64_t expected_version, const char *note);
/* Move an item before another of the same function (before_id 0: last). */
ho_status ho_item_move(ho_db *db, int64_t item_id, int64_t before_id);
/* Move a function before another of the same handover (before_id 0: last). */
ho_status ho_function_move(ho_db *db, int64_t function_id, int64_t before_id);

typedef struct ho_withdrawn {
	char ref[HO_REF_SIZE]; /* "FIN-3", or "FIN" for a whole function */
	int is_function;
	char *title; /* the item's title or the function's name */
	char *note;  /* why */
	int64_t at;
} ho_withdrawn;
/* What was withdrawn from a handover (or one function of it, when
 * function_id is not 0), in checklist order. */
ho_status ho_withdrawn_list(ho_db *db, int64_t handover_id, int64_t function_id, ho_withdrawn **out,
                            size_t *n);
void ho_withdrawn_free(ho_withdrawn *w, size_t n);

/* ---- reading ------------------------------------------------------------ */

ho_status ho_handovers_list(ho_db *db, ho_handover **out, size_t *n);
ho_status ho_handover_get(ho_db *db, int64_t id, ho_handover *out);
/* handover_id 0: functions of every handover, by handover then position. */
ho_status ho_functions_list(ho_db *db, int64_t handover_id, ho_function **out, size_t *n);
/* For a screen that counts only what it shows: every handover (or only
 * handover_id, when not 0) and its functions with names, pairs, sign-offs
 * and each handover's function totals, but no item counted (every ho_counts
 * zero, every rag HO_RAG_NONE); then ho_handover_counted() for the
 * handovers on screen. fs and nf may be NULL when the functions are not
 * wanted. */
ho_status ho_outline(ho_db *db, int64_t handover_id, ho_handover **hs, size_t *nh, ho_function **fs,
                     size_t *nf);
/* One handover (as ho_handover_get()) and its functions with their counts
 * (as ho_functions_list() for it), the items counted once for both. Free
 * the functions with ho_function_free(). */
ho_status ho_handover_counted(ho_db *db, int64_t id, ho_handover *h, ho_function **fs, size_t *nf);
ho_status ho_function_get(ho_db *db, int64_t id, ho_function *out);
/* Find a function by code; handover_id 0 means "the only one"
 * (HO_EUSAGE naming the handovers when ambiguous). */
ho_status ho_function_find(ho_db *db, int64_t handover_id, const char *code, int64_t *id_out);
ho_status ho_items_list(ho_db *db, int64_t function_id, ho_filter filter, ho_item **out, size_t *n);
ho_status ho_item_get(ho_db *db, int64_t id, ho_item *out);
/* Resolve "FIN-3" (any case) to an item id; handover_id 0 as above. */
ho_status ho_item_find(ho_db *db, int64_t handover_id, const char *ref, int64_t *id_out);
ho_status ho_thread_list(ho_db *db, int64_t item_id, ho_thread_entry **out, size_t *n);
/* History: item_id 0 = the whole file's history; limit 0 = all. Newest
 * last. */
ho_status ho_events_list(ho_db *db, int64_t item_id, size_t limit, ho_event **out, size_t *n);
/* Gaps: handover_id 0 = all handovers; function_id 0 = all functions;
 * mine = only those the actor must act on (leads: all). */
ho_status ho_gaps_list(ho_db *db, int64_t handover_id, int64_t function_id, int mine, ho_gap **out,
                       size_t *n);

/* ---- changing ----------------------------------------------------------- */

/* Apply `a` to an item. expected_version is the version the actor saw (0:
 * whatever is current). When someone changed the item since, returns
 * HO_ECONFLICT and ho_errmsg() says who, when, and the new state. `text`
 * is the evidence, reason, condition or query; `note` an optional comment
 * added to the thread. */
ho_status ho_item_mark(ho_db *db, int64_t item_id, int64_t expected_version, ho_action a,
                       const char *text, const char *note);
/* Who meets a condition of acceptance and by when. owner: a login of one
 * of the file's people (not a leaver), "sender-side" or "receiver-side"
 * (the organisation as a whole); NULL or "": the function's receiver. due:
 * a date as ho_date_parse_user() takes it; NULL or "": the handover's
 * target date (else the item's due date). */
typedef struct ho_condition_terms {
	const char *owner;
	const char *due;
} ho_condition_terms;
/* Accept an item with a condition and its terms (NULL: the defaults), as
 * ho_item_mark() with HO_ACT_ACCEPTED_CONDITIONS; a bad owner or date is
 * HO_EUSAGE and nothing changes. The gaps list (HO_GAP_CONDITION) and the
 * documents show the terms. */
ho_status ho_item_accept_conditions(ho_db *db, int64_t item_id, int64_t expected_version,
                                    const char *condition, const char *note,
                                    const ho_condition_terms *terms);
ho_status ho_item_comment(ho_db *db, int64_t item_id, const char *text);
/* Sign off a function as its sender or receiver (only when ready: every
 * item accepted). */
ho_status ho_function_sign(ho_db *db, int64_t function_id);
/* Sign off a handover as a lead (every function signed by both). */
ho_status ho_handover_sign(ho_db *db, int64_t handover_id);
/* What keeps a function (function_id) or a handover (function_id 0) from
 * being signed off, in one line for a refusal: the items not yet accepted
 * and whose move each waits on, or the functions not yet signed and by
 * whom. "" when nothing does. The refusals of ho_function_sign() and
 * ho_handover_sign() carry it. */
ho_status ho_sign_blockers(ho_db *db, int64_t handover_id, int64_t function_id, char *out,
                           size_t size);
/* Who is waiting on whom, across every handover in the file: one entry per
 * item not yet accepted, for the person whose move it is (login "" when
 * that side is unpaired: the lead's to pair), sorted by person, then
 * oldest first (since: the item's last change, 0 when never changed since
 * it was set up). Free with ho_waiting_free(). */
typedef struct ho_waiting {
	char *login, *name; /* "" when unpaired */
	ho_role side;       /* HO_ROLE_SENDER or HO_ROLE_RECEIVER */
	int64_t handover_id;
	char *handover; /* its title */
	char ref[HO_REF_SIZE];
	char *title;
	int64_t since;
	size_t order; /* checklist order, for ties */
} ho_waiting;
ho_status ho_waiting_list(ho_db *db, ho_waiting **out, size_t *n);
void ho_waiting_free(ho_waiting *w, size_t n);
/* Undo the actor's own last item change when nobody changed the item since.
 * On success, when ref != NULL, the item's reference is copied there. */
ho_status ho_undo(ho_db *db, char ref[HO_REF_SIZE]);

/* ---- integrity ------------------------------------------------------------ */

typedef struct ho_verify_result {
	int64_t events;    /* events checked */
	int64_t first_bad; /* id of the first broken event, 0 when intact */
	char head[65];     /* hash of the last event ("" when none) */
	char problem[256]; /* what is wrong, "" when intact */
	/* The state: every row of people, handovers, functions, items and
	 * thread entries, and the file's title, against the history's replay. */
	int64_t rows;       /* rows compared */
	int64_t mismatches; /* rows that differ from what the history says */
	char mismatch[512]; /* the first of them, "" when none */
	char state[65];     /* state digest of the file's rows (ho_state_digest) */
	char replayed[65];  /* state digest of the history's replay */
} ho_verify_result;

/* Walk the history chain, then replay the state every event recorded and
 * compare it with the rows of the file. HO_OK when the chain is intact and
 * every row matches; HO_EBADFILE otherwise: first_bad names the first broken
 * event, or (chain intact) mismatches counts the rows edited outside
 * handover, each described as "item FIN-3: receiver state accepted, history
 * says pending". */
ho_status ho_verify(ho_db *db, ho_verify_result *res);
/* The same, with `each` called for every row that differs (when not NULL). */
ho_status ho_verify_rows(ho_db *db, ho_verify_result *res, void (*each)(void *ctx, const char *row),
                         void *ctx);
/* SHA-256 over a canonical form of the state (see ho_verify_result), as 64
 * hex digits: equal on two files, or on one file at two times, exactly when
 * their rows are. Documents print it beside the head hash. */
ho_status ho_state_digest(ho_db *db, char digest[65]);
/* SQLite integrity and foreign-key checks, our triggers and schema in
 * place, then what ho_verify checks (the history, every row against it).
 * HO_OK or HO_EBADFILE with the first problem in ho_errmsg(). */
ho_status ho_check(ho_db *db);
/* Online backup (SQLite backup API) to `out`, written through ho_outfile
 * (handover/outfile.h) with the file's own permissions; of a database on
 * a server, a new SQLite handover file (as ho_copy() to a file). An existing `out`
 * is replaced only with HO_OUT_FORCE in `flags`, and then only when it is
 * not the open file, not in use and not another program's SQLite journal. */
ho_status ho_backup(ho_db *db, const char *out, int flags);
/* What ho_copy() copied: rows of every table, of them the history's
 * events, and the head hash and state digest both databases now give. */
typedef struct ho_copy_result {
	int64_t rows;
	int64_t events;
	char head[65];
	char state[65];
	char to[512]; /* the target as named to people: never its password */
} ho_copy_result;
/* Copy the whole handover database `from` (every table, ids kept, the
 * history byte for byte) into `to`, which must be new: a file that does
 * not exist (written beside and renamed into place; HO_EEXIST when it
 * exists), or a PostgreSQL database with no tables (HO_EEXIST otherwise),
 * filled by its owner or a superuser (HO_EPERM otherwise) in one
 * transaction. All or nothing: on failure `to` is as it was. The copy is
 * checked before it is kept: the same history head and state digest as
 * `from`. `res` may be NULL. */
ho_status ho_copy(ho_db *from, const char *to, ho_copy_result *res);
/* History head hash and event count (for documents). */
ho_status ho_history_head(ho_db *db, char head[65], int64_t *events);

#endif
