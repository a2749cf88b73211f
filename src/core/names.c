/* The words for status codes and model enums, shared by the CLI, the
 * screens and the documents so that all of them say the same thing.
 *
 * Switches rather than tables: -Wswitch then names any enum value added
 * later without a word. The fallbacks after each switch are for values
 * outside the enum (a corrupted row must not crash a view). */
#include <stddef.h>
#include <strings.h>

#include "handover/handover.h"

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

const char *ho_role_name(ho_role r)
{
	switch (r) {
	case HO_ROLE_NONE:
		return "viewer";
	case HO_ROLE_SENDER:
		return "sender";
	case HO_ROLE_RECEIVER:
		return "receiver";
	case HO_ROLE_LEAD:
		return "lead";
	}
	return "?";
}

const char *ho_sender_state_name(ho_sender_state s)
{
	switch (s) {
	case HO_SENDER_NOT_STARTED:
		return "not started";
	case HO_SENDER_IN_PROGRESS:
		return "in progress";
	case HO_SENDER_HANDED_OVER:
		return "handed over";
	case HO_SENDER_NOT_APPLICABLE:
		return "not applicable";
	}
	return "?";
}

const char *ho_receiver_state_name(ho_receiver_state s)
{
	switch (s) {
	case HO_RECEIVER_NONE:
		return "-";
	case HO_RECEIVER_PENDING:
		return "pending";
	case HO_RECEIVER_ACCEPTED:
		return "accepted";
	case HO_RECEIVER_CONDITIONS:
		return "accepted with conditions";
	case HO_RECEIVER_GAP:
		return "gap";
	}
	return "?";
}

const char *ho_action_name(ho_action a)
{
	switch (a) {
	case HO_ACT_IN_PROGRESS:
		return "in-progress";
	case HO_ACT_HANDED_OVER:
		return "handed-over";
	case HO_ACT_NOT_APPLICABLE:
		return "not-applicable";
	case HO_ACT_ACCEPTED:
		return "accepted";
	case HO_ACT_ACCEPTED_CONDITIONS:
		return "accepted-with-conditions";
	case HO_ACT_GAP:
		return "gap";
	}
	return "?";
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

/* Parsing goes through the name functions so that a word is written once.
 * "viewer" is not accepted: it is what an unknown person is, not a role
 * one can be given (the people table holds only these three). */
int ho_role_parse(const char *s, ho_role *out)
{
	static const ho_role assignable[] = {HO_ROLE_SENDER, HO_ROLE_RECEIVER, HO_ROLE_LEAD};
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < sizeof assignable / sizeof assignable[0]; i++) {
		if (strcasecmp(s, ho_role_name(assignable[i])) == 0) {
			if (out != NULL)
				*out = assignable[i];
			return 0;
		}
	}
	return -1;
}

int ho_action_parse(const char *s, ho_action *out)
{
	if (s == NULL)
		return -1;
	for (int a = HO_ACT_IN_PROGRESS; a <= HO_ACT_GAP; a++) {
		if (strcasecmp(s, ho_action_name((ho_action)a)) == 0) {
			if (out != NULL)
				*out = (ho_action)a;
			return 0;
		}
	}
	return -1;
}

const char *ho_thread_kind_name(ho_thread_kind k)
{
	switch (k) {
	case HO_THREAD_COMMENT:
		return "comment";
	case HO_THREAD_QUERY:
		return "query";
	case HO_THREAD_EVIDENCE:
		return "evidence";
	case HO_THREAD_REASON:
		return "reason";
	case HO_THREAD_CONDITION:
		return "condition";
	}
	return "?";
}

const char *ho_gap_kind_name(ho_gap_kind k)
{
	switch (k) {
	case HO_GAP_QUERY:
		return "query";
	case HO_GAP_OVERDUE:
		return "overdue";
	case HO_GAP_UNREVIEWED:
		return "unreviewed";
	case HO_GAP_CONDITION:
		return "condition";
	case HO_GAP_UNPAIRED:
		return "unpaired";
	}
	return "?";
}

const char *ho_filter_name(ho_filter f)
{
	switch (f) {
	case HO_FILTER_ALL:
		return "all";
	case HO_FILTER_MINE:
		return "mine";
	case HO_FILTER_GAPS:
		return "gaps";
	case HO_FILTER_OVERDUE:
		return "overdue";
	}
	return "?";
}
