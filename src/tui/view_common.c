/* Words, roles and small helpers the views share. */
#define _GNU_SOURCE
#include "view_common.h"
#include <stdio.h>

#include <stdlib.h>
#include <string.h>

const char *tui_sender_word(ho_sender_state s)
{
	/* The checklist column is narrow. */
	return ho_sender_state_brief(s);
}

const char *tui_receiver_word(ho_receiver_state r)
{
	return ho_receiver_state_brief(r);
}

const char *tui_receiver_state_words(ho_receiver_state r)
{
	return r == HO_RECEIVER_PENDING ? ho_receiver_state_brief(r) : ho_receiver_state_name(r);
}

char *tui_history_words(const char *value)
{
	char *clean = tui_clean(value);
	const char *from = " / pending";
	char *at = clean ? strstr(clean, from) : NULL;
	if (!at)
		return clean;
	char *out = NULL;
	if (asprintf(&out, "%.*s / %s%s", (int)(at - clean), clean,
	             ho_receiver_state_brief(HO_RECEIVER_PENDING), at + strlen(from)) < 0)
		return clean;
	free(clean);
	return out;
}

enum tui_role tui_sender_role(ho_sender_state s)
{
	switch (s) {
	case HO_SENDER_IN_PROGRESS:
		return TUI_C_PENDING;
	case HO_SENDER_HANDED_OVER:
		return TUI_C_PROGRESS;
	case HO_SENDER_NOT_STARTED:
	case HO_SENDER_NOT_APPLICABLE:
		break;
	}
	return TUI_C_MUTED;
}

enum tui_role tui_receiver_role(ho_receiver_state r)
{
	switch (r) {
	case HO_RECEIVER_PENDING:
		return TUI_C_PENDING;
	case HO_RECEIVER_ACCEPTED:
		return TUI_C_DONE;
	case HO_RECEIVER_CONDITIONS:
		return TUI_C_DONE;
	case HO_RECEIVER_GAP:
		return TUI_C_GAP;
	case HO_RECEIVER_NONE:
		break;
	}
	return TUI_C_MUTED;
}

const char *tui_rag_word(ho_rag r)
{
	switch (r) {
	case HO_RAG_RED:
		return "RED";
	case HO_RAG_AMBER:
		return "AMBER";
	case HO_RAG_GREEN:
		return "GREEN";
	case HO_RAG_NONE:
		break;
	}
	return "";
}

enum tui_role tui_rag_role(ho_rag r)
{
	return r == HO_RAG_RED ? TUI_C_GAP : r == HO_RAG_AMBER ? TUI_C_PENDING : TUI_C_DONE;
}

enum tui_role tui_gap_role(ho_gap_kind k)
{
	switch (k) {
	case HO_GAP_QUERY:
	case HO_GAP_UNPAIRED:
		return TUI_C_GAP;
	case HO_GAP_OVERDUE:
		return TUI_C_OVERDUE;
	case HO_GAP_UNREVIEWED:
		return TUI_C_PENDING;
	case HO_GAP_CONDITION:
		return TUI_C_PROGRESS;
	}
	return TUI_C_NORMAL;
}

int tui_is_item_action(enum tui_action a)
{
	switch (a) {
	case TUI_ACT_HANDED_OVER:
	case TUI_ACT_IN_PROGRESS:
	case TUI_ACT_NOT_APPLICABLE:
	case TUI_ACT_ACCEPT:
	case TUI_ACT_ACCEPT_CONDITIONS:
	case TUI_ACT_GAP:
	case TUI_ACT_COMMENT:
		return 1;
	default:
		return 0;
	}
}
