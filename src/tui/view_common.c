/* Words, roles and small helpers the views share. */
#define _GNU_SOURCE /* qsort_r */
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

static int compare_index(const struct tui_sort_key *a, const struct tui_sort_key *b)
{
	return a->index < b->index ? -1 : a->index > b->index;
}

int tui_sort_cmp(tui_sort s, const struct tui_sort_key *a, const struct tui_sort_key *b)
{
	int c = 0;
	switch (s) {
	case TUI_SORT_RAG:
		c = (int)b->rag - (int)a->rag; /* red, amber, green, none */
		break;
	case TUI_SORT_OVERDUE:
		c = b->overdue - a->overdue;
		break;
	case TUI_SORT_DUE: {
		int ea = !a->due || !a->due[0], eb = !b->due || !b->due[0];
		c = ea != eb ? ea - eb : ea ? 0 : strcmp(a->due, b->due);
		break;
	}
	case TUI_SORT_PROGRESS: {
		/* done/total, compared without dividing; nothing to do counts
		 * as done. */
		long da = a->total ? a->done : 1, ta = a->total ? a->total : 1;
		long db = b->total ? b->done : 1, tb = b->total ? b->total : 1;
		long l = da * tb, r = db * ta;
		c = l < r ? -1 : l > r;
		break;
	}
	case TUI_SORT_ORDER:
	case TUI_SORT__COUNT:
		break;
	}
	return c ? c : compare_index(a, b);
}

static int sort_thunk(const void *x, const void *y, void *arg)
{
	return tui_sort_cmp(*(const tui_sort *)arg, x, y);
}

void tui_sort_keys(tui_sort s, struct tui_sort_key *keys, size_t n)
{
	if (n > 1)
		qsort_r(keys, n, sizeof *keys, sort_thunk, &s);
}

void tui_item_progress(const ho_item *it, int *done, int *total)
{
	*total = 3;
	if (it->receiver_state == HO_RECEIVER_ACCEPTED ||
	    it->receiver_state == HO_RECEIVER_CONDITIONS)
		*done = 3;
	else if (it->receiver_state == HO_RECEIVER_PENDING)
		*done = 2;
	else if (it->sender_state == HO_SENDER_IN_PROGRESS || it->receiver_state == HO_RECEIVER_GAP)
		*done = 1;
	else
		*done = 0;
}

void tui_draw_tag(WINDOW *w, int y, int tagged, int selected)
{
	if (!tagged)
		return;
	attr_t a = selected ? tui_attr(TUI_C_SELECTED) : tui_attr(TUI_C_KEY);
	tui_put(w, y, 0, 1, a | A_BOLD, tui_glyph(TUI_G_TAG), 0);
}
