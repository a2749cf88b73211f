/* The words for status codes and model enums, shared by the CLI, the
 * screens and the documents so that all of them say the same thing. */
#include <stddef.h>
#include <strings.h>

#include "handover/handover.h"

/* Look an enum value up in a table of words, with a fallback for values
 * outside it (a newer file or a corrupted row must not crash a view). */
static const char *word(const char *const *table, size_t n, int v, const char *unknown)
{
	if (v < 0 || (size_t)v >= n || table[v] == NULL)
		return unknown;
	return table[v];
}

#define WORD(table, v, unknown) word(table, sizeof table / sizeof table[0], (int)(v), unknown)

const char *ho_strerror(ho_status st)
{
	static const char *const names[] = {
		[HO_OK] = "ok",
		[HO_EUSAGE] = "usage error",
		[HO_EBADFILE] = "bad file",
		[HO_EBUSY] = "file busy",
		[HO_ENOTFOUND] = "not found",
		[HO_EPERM] = "permission denied",
		[HO_ECONFLICT] = "conflict",
		[HO_ESTATE] = "not allowed in this state",
		[HO_EEXIST] = "already exists",
		[HO_ENOMEM] = "out of memory",
		[HO_EIO] = "input/output error",
	};
	return WORD(names, st, "unknown error");
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
	/* Not a status we know: report a failure rather than success. */
	return 2;
}

static const char *const role_names[] = {
	[HO_ROLE_NONE] = "viewer",
	[HO_ROLE_SENDER] = "sender",
	[HO_ROLE_RECEIVER] = "receiver",
	[HO_ROLE_LEAD] = "lead",
};

const char *ho_role_name(ho_role r)
{
	return WORD(role_names, r, "?");
}

const char *ho_sender_state_name(ho_sender_state s)
{
	static const char *const names[] = {
		[HO_SENDER_NOT_STARTED] = "not started",
		[HO_SENDER_IN_PROGRESS] = "in progress",
		[HO_SENDER_HANDED_OVER] = "handed over",
		[HO_SENDER_NOT_APPLICABLE] = "not applicable",
	};
	return WORD(names, s, "?");
}

const char *ho_receiver_state_name(ho_receiver_state s)
{
	static const char *const names[] = {
		[HO_RECEIVER_NONE] = "-",
		[HO_RECEIVER_PENDING] = "pending",
		[HO_RECEIVER_ACCEPTED] = "accepted",
		[HO_RECEIVER_CONDITIONS] = "accepted with conditions",
		[HO_RECEIVER_GAP] = "gap",
	};
	return WORD(names, s, "?");
}

static const char *const action_names[] = {
	[HO_ACT_IN_PROGRESS] = "in-progress",
	[HO_ACT_HANDED_OVER] = "handed-over",
	[HO_ACT_NOT_APPLICABLE] = "not-applicable",
	[HO_ACT_ACCEPTED] = "accepted",
	[HO_ACT_ACCEPTED_CONDITIONS] = "accepted-with-conditions",
	[HO_ACT_GAP] = "gap",
};

const char *ho_action_name(ho_action a)
{
	return WORD(action_names, a, "?");
}

const char *ho_rag_name(ho_rag r)
{
	static const char *const names[] = {
		[HO_RAG_NONE] = "",
		[HO_RAG_GREEN] = "green",
		[HO_RAG_AMBER] = "amber",
		[HO_RAG_RED] = "red",
	};
	return WORD(names, r, "");
}

/* Index of s in table (case-insensitive), or -1. */
static int parse_word(const char *const *table, size_t n, const char *s)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (table[i] != NULL && strcasecmp(table[i], s) == 0)
			return (int)i;
	}
	return -1;
}

/* "viewer" is not accepted: it is what an unknown person is, not a role one
 * can be given (the people table holds only the three below). */
int ho_role_parse(const char *s, ho_role *out)
{
	int v = parse_word(role_names, sizeof role_names / sizeof role_names[0], s);
	if (v <= HO_ROLE_NONE)
		return -1;
	if (out != NULL)
		*out = (ho_role)v;
	return 0;
}

int ho_action_parse(const char *s, ho_action *out)
{
	int v = parse_word(action_names, sizeof action_names / sizeof action_names[0], s);
	if (v < 0)
		return -1;
	if (out != NULL)
		*out = (ho_action)v;
	return 0;
}

const char *ho_thread_kind_name(ho_thread_kind k)
{
	static const char *const names[] = {
		[HO_THREAD_COMMENT] = "comment",
		[HO_THREAD_QUERY] = "query",
		[HO_THREAD_EVIDENCE] = "evidence",
		[HO_THREAD_REASON] = "reason",
		[HO_THREAD_CONDITION] = "condition",
	};
	return WORD(names, k, "?");
}

const char *ho_gap_kind_name(ho_gap_kind k)
{
	static const char *const names[] = {
		[HO_GAP_QUERY] = "query",
		[HO_GAP_OVERDUE] = "overdue",
		[HO_GAP_UNREVIEWED] = "unreviewed",
		[HO_GAP_CONDITION] = "condition",
		[HO_GAP_UNPAIRED] = "unpaired",
	};
	return WORD(names, k, "?");
}

const char *ho_filter_name(ho_filter f)
{
	static const char *const names[] = {
		[HO_FILTER_ALL] = "all",
		[HO_FILTER_MINE] = "mine",
		[HO_FILTER_GAPS] = "gaps",
		[HO_FILTER_OVERDUE] = "overdue",
	};
	return WORD(names, f, "?");
}
