/* The words for status codes and model enums, shared by the CLI, the
 * screens, the documents and the store so that all of them say the same
 * thing. The model's words come from one table, handover/words.def: the
 * arrays below are built from it, so each has exactly one entry per enum
 * value. Status codes keep switches: -Wswitch names any code added later
 * without a word. Values outside an enum (a corrupted row must not crash a
 * view) get "?". */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "handover/handover.h"
#include "words.h"

const char *ho_strerror(ho_status st)
{
	switch (st) {
	case HO_OK:
		return "ok";
	case HO_EUSAGE:
		return "usage error";
	case HO_EBADFILE:
		return "bad file";
	case HO_EBUSY:
		return "file busy";
	case HO_ENOTFOUND:
		return "not found";
	case HO_EPERM:
		return "permission denied";
	case HO_ECONFLICT:
		return "conflict";
	case HO_ESTATE:
		return "not allowed in this state";
	case HO_EEXIST:
		return "already exists";
	case HO_ENOMEM:
		return "out of memory";
	case HO_EIO:
		return "input/output error";
	}
	return "unknown error";
}

int ho_exit_code(ho_status st)
{
	switch (st) {
	case HO_OK:
		return 0;
	case HO_EUSAGE:
	case HO_ENOTFOUND:
		return 1;
	case HO_EBADFILE:
	case HO_EIO:
	case HO_ENOMEM:
		return 2;
	case HO_EBUSY:
	case HO_EPERM:
	case HO_ECONFLICT:
	case HO_ESTATE:
	case HO_EEXIST:
		return 3;
	}
	/* Not a status we know: a failure, never success. */
	return 2;
}

#define WORD_AT(table, i) ((size_t)(i) < sizeof(table) / sizeof(table)[0] ? (table)[i] : "?")

static const char *const sender_display[] = {
#define HO_WORD_SENDER(name, db, display, brief) display,
#include "handover/words.def"
};
static const char *const sender_brief[] = {
#define HO_WORD_SENDER(name, db, display, brief) brief,
#include "handover/words.def"
};
static const char *const sender_db[] = {
#define HO_WORD_SENDER(name, db, display, brief) db,
#include "handover/words.def"
};
static const char *const receiver_display[] = {
#define HO_WORD_RECEIVER(name, db, display, document, brief) display,
#include "handover/words.def"
};
static const char *const receiver_document[] = {
#define HO_WORD_RECEIVER(name, db, display, document, brief) document,
#include "handover/words.def"
};
static const char *const receiver_brief[] = {
#define HO_WORD_RECEIVER(name, db, display, document, brief) brief,
#include "handover/words.def"
};
static const char *const receiver_db[] = {
#define HO_WORD_RECEIVER(name, db, display, document, brief) db,
#include "handover/words.def"
};
static const char *const action_cli[] = {
#define HO_WORD_ACTION(name, cli, side, text, thread) cli,
#include "handover/words.def"
};
static const char *const action_text[] = {
#define HO_WORD_ACTION(name, cli, side, text, thread) text,
#include "handover/words.def"
};
static const ho_role action_side[] = {
#define HO_WORD_ACTION(name, cli, side, text, thread) HO_ROLE_##side,
#include "handover/words.def"
};
/* The thread entry an action's text makes; -1 (NONE) when it makes none. */
enum { HO_THREAD_NONE = -1 };
static const int action_thread[] = {
#define HO_WORD_ACTION(name, cli, side, text, thread) HO_THREAD_##thread,
#include "handover/words.def"
};
static const char *const role_display[] = {
#define HO_WORD_ROLE(name, db, display) display,
#include "handover/words.def"
};
static const char *const role_db[] = {
#define HO_WORD_ROLE(name, db, display) db,
#include "handover/words.def"
};
static const char *const thread_display[] = {
#define HO_WORD_THREAD(name, db, display) display,
#include "handover/words.def"
};
static const char *const thread_db[] = {
#define HO_WORD_THREAD(name, db, display) db,
#include "handover/words.def"
};
static const char *const gap_display[] = {
#define HO_WORD_GAP(name, display) display,
#include "handover/words.def"
};
static const char *const filter_display[] = {
#define HO_WORD_FILTER(name, display) display,
#include "handover/words.def"
};

const char *ho_role_name(ho_role r)
{
	return WORD_AT(role_display, r);
}

const char *ho_sender_state_name(ho_sender_state s)
{
	return WORD_AT(sender_display, s);
}

const char *ho_sender_state_brief(ho_sender_state s)
{
	return WORD_AT(sender_brief, s);
}

const char *ho_receiver_state_name(ho_receiver_state s)
{
	return WORD_AT(receiver_display, s);
}

const char *ho_receiver_state_doc(ho_receiver_state s)
{
	return WORD_AT(receiver_document, s);
}

const char *ho_receiver_state_brief(ho_receiver_state s)
{
	return WORD_AT(receiver_brief, s);
}

const char *ho_action_name(ho_action a)
{
	return WORD_AT(action_cli, a);
}

const char *ho_action_text(ho_action a)
{
	return (size_t)a < HO_ACT__COUNT ? action_text[a] : NULL;
}

ho_role ho_action_side(ho_action a)
{
	return (size_t)a < HO_ACT__COUNT ? action_side[a] : HO_ROLE_NONE;
}

int words_action_thread(ho_action a)
{
	return (size_t)a < HO_ACT__COUNT ? action_thread[a] : HO_THREAD_NONE;
}

const char *ho_rag_name(ho_rag r)
{
	switch (r) {
	case HO_RAG_NONE:
		return "";
	case HO_RAG_GREEN:
		return "green";
	case HO_RAG_AMBER:
		return "amber";
	case HO_RAG_RED:
		return "red";
	}
	return "";
}

/* Parsing goes through the same tables so that a word is written once.
 * "viewer" is not accepted: it is what an unknown person is, not a role
 * one can be given (the people table holds only the others). */
int ho_role_parse(const char *s, ho_role *out)
{
	if (s == NULL)
		return -1;
	for (int r = HO_ROLE_NONE + 1; r < HO_ROLE__COUNT; r++) {
		if (strcasecmp(s, role_display[r]) == 0) {
			if (out != NULL)
				*out = (ho_role)r;
			return 0;
		}
	}
	return -1;
}

int ho_roles_parse(const char *s, unsigned *out)
{
	unsigned roles = 0;
	if (s == NULL || !*s)
		return -1;
	for (const char *p = s;;) {
		size_t len = strcspn(p, ",");
		char word[32];
		ho_role r;
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof word)
			return -1;
		memcpy(word, p, len);
		word[len] = '\0';
		if (ho_role_parse(word, &r) != 0)
			return -1;
		roles |= HO_ROLE_BIT(r);
		p += strcspn(p, ",");
		if (!*p)
			break;
		p++;
	}
	if (out)
		*out = roles;
	return 0;
}

void ho_roles_format(unsigned roles, char *buf, size_t size)
{
	size_t n = 0;
	if (size)
		buf[0] = '\0';
	/* Lead first: it is what a person with several roles is above all. */
	static const ho_role order[] = {HO_ROLE_LEAD, HO_ROLE_SENDER, HO_ROLE_RECEIVER};
	for (size_t i = 0; i < sizeof order / sizeof *order && n + 1 < size; i++)
		if (roles & HO_ROLE_BIT(order[i])) {
			int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
			                 role_display[order[i]]);
			if (w < 0)
				break;
			n += (size_t)w < size - n ? (size_t)w : size - n - 1;
		}
}

int ho_action_parse(const char *s, ho_action *out)
{
	if (s == NULL)
		return -1;
	for (int a = 0; a < HO_ACT__COUNT; a++) {
		if (strcasecmp(s, action_cli[a]) == 0) {
			if (out != NULL)
				*out = (ho_action)a;
			return 0;
		}
	}
	return -1;
}

const char *ho_thread_kind_name(ho_thread_kind k)
{
	return WORD_AT(thread_display, k);
}

const char *ho_gap_kind_name(ho_gap_kind k)
{
	return WORD_AT(gap_display, k);
}

const char *ho_filter_name(ho_filter f)
{
	return WORD_AT(filter_display, f);
}

/* ---- the database's words ------------------------------------------------ */

/* Find `w` in a table of database words; `fallback` when absent (a row
 * with a word this version does not know reads as the table's first). */
static int db_word_find(const char *const *table, int n, const char *w, int fallback)
{
	for (int i = 0; w && i < n; i++)
		if (strcmp(w, table[i]) == 0)
			return i;
	return fallback;
}

const char *words_sender_db(ho_sender_state s)
{
	return WORD_AT(sender_db, s);
}

ho_sender_state words_sender_from_db(const char *w)
{
	return (ho_sender_state)db_word_find(sender_db, HO_SENDER__COUNT, w, HO_SENDER_NOT_STARTED);
}

const char *words_receiver_db(ho_receiver_state r)
{
	return WORD_AT(receiver_db, r);
}

ho_receiver_state words_receiver_from_db(const char *w)
{
	return (ho_receiver_state)db_word_find(receiver_db, HO_RECEIVER__COUNT, w,
	                                       HO_RECEIVER_NONE);
}

const char *words_role_db(ho_role r)
{
	return WORD_AT(role_db, r);
}

ho_role words_role_from_db(const char *w)
{
	/* The empty word of NONE is never stored: an unknown word stays NONE. */
	int r = db_word_find(role_db + 1, HO_ROLE__COUNT - 1, w, -1);
	return r < 0 ? HO_ROLE_NONE : (ho_role)(r + 1);
}

const char *words_thread_db(ho_thread_kind k)
{
	return WORD_AT(thread_db, k);
}

ho_thread_kind words_thread_from_db(const char *w)
{
	return (ho_thread_kind)db_word_find(thread_db, HO_THREAD__COUNT, w, HO_THREAD_COMMENT);
}

int words_db_list(enum words_kind kind, const char *const **out)
{
	switch (kind) {
	case WORDS_SENDER:
		*out = sender_db;
		return HO_SENDER__COUNT;
	case WORDS_RECEIVER:
		*out = receiver_db;
		return HO_RECEIVER__COUNT;
	case WORDS_ROLE:
		*out = role_db + 1;
		return HO_ROLE__COUNT - 1;
	case WORDS_THREAD:
		*out = thread_db;
		return HO_THREAD__COUNT;
	}
	*out = NULL;
	return 0;
}
