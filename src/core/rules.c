/* The rules: the item life cycle, permissions, readiness, RAG and filters,
 * as pure functions (see handover/rules.h).
 *
 *   sender:   not started -> in progress -> handed over   (or not applicable)
 *   receiver: pending -> accepted | accepted with conditions | gap
 * A gap sends the item back to the sender (in progress) and opens a query in
 * its thread; the query closes when the receiver accepts the item again. */
#include <string.h>

#include "handover/risks.h"
#include "handover/rules.h"
#include "words.h"

static const char *const not_in_file = "you are not in this file's people (read-only)";

static int reviewed(ho_receiver_state r)
{
	return r == HO_RECEIVER_ACCEPTED || r == HO_RECEIVER_CONDITIONS;
}

/* A closed handover, a withdrawn function or item: nothing more happens to
 * them (a lead reopens a closed handover). */
static int withdrawn(const ho_function *f, const ho_item *it, const char **why)
{
	if (f && f->handover_closed_at)
		*why = "the handover is closed (a lead may reopen it)";
	else if (f && f->retired_at)
		*why = "the function has been withdrawn";
	else if (it && it->retired_at)
		*why = "the item has been withdrawn";
	else
		return 0;
	return 1;
}

static void refuse(ho_mark_outcome *out, ho_status st, const char *why)
{
	out->status = st;
	out->why = why;
}

/* Is the action allowed from the item's state? Sets the refusal when not. */
static int state_allows(const ho_item *it, ho_action a, ho_mark_outcome *out)
{
	ho_sender_state s = it->sender_state;
	ho_receiver_state r = it->receiver_state;
	const char *why = NULL;
	switch (a) {
	case HO_ACT_IN_PROGRESS:
		if (s == HO_SENDER_IN_PROGRESS)
			why = "already in progress";
		else if (reviewed(r))
			why = "already accepted by the receiver";
		break;
	case HO_ACT_HANDED_OVER:
	case HO_ACT_NOT_APPLICABLE:
		if (reviewed(r))
			why = "already accepted by the receiver";
		else if (a == HO_ACT_HANDED_OVER && s == HO_SENDER_HANDED_OVER)
			why = "already handed over";
		else if (a == HO_ACT_NOT_APPLICABLE && s == HO_SENDER_NOT_APPLICABLE)
			why = "already marked not applicable";
		break;
	case HO_ACT_ACCEPTED:
		if (r == HO_RECEIVER_ACCEPTED)
			why = "already accepted";
		else if (r != HO_RECEIVER_PENDING && r != HO_RECEIVER_CONDITIONS)
			why = "not handed over yet";
		break;
	case HO_ACT_ACCEPTED_CONDITIONS:
		if (r != HO_RECEIVER_PENDING && !reviewed(r))
			why = "not handed over yet";
		break;
	case HO_ACT_GAP:
		if (r == HO_RECEIVER_GAP)
			why = "a gap is already open; wait for the sender";
		else if (r == HO_RECEIVER_NONE)
			why = "not handed over yet";
		break;
	}
	if (why) {
		refuse(out, HO_ESTATE, why);
		return 0;
	}
	return 1;
}

/* The new states and texts once the action is allowed. */
static void apply(const ho_item *it, ho_action a, ho_mark_outcome *out)
{
	out->sender = it->sender_state;
	out->receiver = it->receiver_state;
	switch (a) {
	case HO_ACT_IN_PROGRESS:
		out->sender = HO_SENDER_IN_PROGRESS;
		/* Withdrawing a hand-over takes it out of the receiver's queue;
		 * an open gap stays open. */
		if (out->receiver == HO_RECEIVER_PENDING)
			out->receiver = it->open_queries ? HO_RECEIVER_GAP : HO_RECEIVER_NONE;
		break;
	case HO_ACT_HANDED_OVER:
		out->sender = HO_SENDER_HANDED_OVER;
		out->receiver = HO_RECEIVER_PENDING;
		out->evidence = HO_TEXT_SET;
		out->na_reason = HO_TEXT_CLEAR;
		break;
	case HO_ACT_NOT_APPLICABLE:
		out->sender = HO_SENDER_NOT_APPLICABLE;
		out->receiver = HO_RECEIVER_PENDING;
		out->na_reason = HO_TEXT_SET;
		out->evidence = HO_TEXT_CLEAR;
		break;
	case HO_ACT_ACCEPTED:
		out->receiver = HO_RECEIVER_ACCEPTED;
		out->condition = HO_TEXT_CLEAR;
		out->resolve_queries = 1;
		break;
	case HO_ACT_ACCEPTED_CONDITIONS:
		out->receiver = HO_RECEIVER_CONDITIONS;
		out->condition = HO_TEXT_SET;
		out->resolve_queries = 1;
		break;
	case HO_ACT_GAP:
		out->receiver = HO_RECEIVER_GAP;
		out->sender = HO_SENDER_IN_PROGRESS;
		out->condition = HO_TEXT_CLEAR;
		break;
	}
}

void ho_rule_mark(const ho_rule_actor *me, const ho_function *f, const ho_item *it, ho_action a,
                  ho_mark_outcome *out)
{
	memset(out, 0, sizeof *out);
	out->thread = -1;
	out->sender = it->sender_state;
	out->receiver = it->receiver_state;
	if ((unsigned)a >= HO_ACT__COUNT) {
		refuse(out, HO_EUSAGE, "unknown action");
		return;
	}
	out->text = ho_action_text(a);
	out->thread = words_action_thread(a);
	if (me->read_only) {
		refuse(out, HO_EBADFILE, "the file is open read-only");
		return;
	}
	if (me->role == HO_ROLE_NONE) {
		refuse(out, HO_EPERM, not_in_file);
		return;
	}
	int sender_side = ho_action_side(a) == HO_ROLE_SENDER;
	if (sender_side && me->id != f->sender_id) {
		refuse(out, HO_EPERM, "only the function's sender may do this");
		out->only = HO_ROLE_SENDER;
		return;
	}
	if (!sender_side && me->id != f->receiver_id) {
		refuse(out, HO_EPERM, "only the function's receiver may do this");
		out->only = HO_ROLE_RECEIVER;
		return;
	}
	if (ho_rule_function_signed(f)) {
		refuse(out, HO_ESTATE, "the function is signed off; its items are final");
		return;
	}
	if (withdrawn(f, it, &out->why)) {
		out->status = HO_ESTATE;
		return;
	}
	if (!state_allows(it, a, out))
		return;
	apply(it, a, out);
}

ho_status ho_rule_comment(const ho_rule_actor *me, const ho_function *f, const char **why)
{
	const char *reason = NULL;
	ho_status st = HO_OK;
	if (me->read_only) {
		st = HO_EBADFILE;
		reason = "the file is open read-only";
	} else if (me->role == HO_ROLE_NONE) {
		st = HO_EPERM;
		reason = not_in_file;
	} else if (me->role != HO_ROLE_LEAD && me->id != f->sender_id && me->id != f->receiver_id) {
		st = HO_EPERM;
		reason = "only its sender, its receiver or a lead may comment";
	} else if (withdrawn(f, NULL, &reason)) {
		st = HO_ESTATE;
	}
	if (why)
		*why = reason;
	return st;
}

int ho_rule_function_ready(const ho_function *f)
{
	return f->counts.total > 0 && f->counts.done == f->counts.total;
}

int ho_rule_function_signed(const ho_function *f)
{
	return f->sender_signed_at || f->receiver_signed_at;
}

ho_status ho_rule_sign_function(const ho_rule_actor *me, const ho_function *f, const char **why)
{
	const char *reason = NULL;
	ho_status st = HO_ESTATE;
	if (me->read_only || me->role == HO_ROLE_NONE) {
		st = HO_EPERM;
		reason = not_in_file;
	} else if (me->id != f->sender_id && me->id != f->receiver_id) {
		st = HO_EPERM;
		reason = "only the function's sender and receiver sign it off";
	} else if (withdrawn(f, NULL, &reason)) {
		/* reason set */
	} else if (!ho_rule_function_ready(f))
		reason = "not ready: every item must be accepted first";
	else if (me->id == f->sender_id && f->sender_signed_at)
		reason = "you have already signed it off";
	else if (me->id == f->receiver_id && f->receiver_signed_at)
		reason = "you have already signed it off";
	if (why)
		*why = reason;
	return reason ? st : HO_OK;
}

ho_status ho_rule_sign_handover(const ho_rule_actor *me, const ho_handover *h, const char **why)
{
	const char *reason = NULL;
	ho_status st = HO_ESTATE;
	if (me->read_only || me->role != HO_ROLE_LEAD) {
		st = HO_EPERM;
		reason = "only a lead signs off a handover";
	} else if (h->signed_at)
		reason = "already signed off";
	else if (h->closed_at)
		reason = "the handover is closed (a lead may reopen it)";
	else if (h->functions == 0)
		reason = "it has no functions";
	else if (h->functions_signed < h->functions)
		reason = "not ready: every function must be signed off by its sender and receiver";
	if (why)
		*why = reason;
	return reason ? st : HO_OK;
}

ho_status ho_rule_setup(const ho_rule_actor *me, int64_t closed_at, const ho_function *f,
                        const ho_item *it, const char **why)
{
	const char *reason = NULL;
	ho_status st = HO_ESTATE;
	if (me->read_only) {
		st = HO_EBADFILE;
		reason = "the file is open read-only";
	} else if (me->role == HO_ROLE_NONE) {
		st = HO_EPERM;
		reason = not_in_file;
	} else if (me->role != HO_ROLE_LEAD) {
		st = HO_EPERM;
		reason = "only a lead sets up a handover";
	} else if (closed_at) {
		reason = "the handover is closed (a lead may reopen it)";
	} else if (f && ho_rule_function_signed(f)) {
		reason = "the function is signed off; its checklist is final";
	} else if (withdrawn(f, it, &reason)) {
		/* reason set */
	}
	if (why)
		*why = reason;
	return reason ? st : HO_OK;
}

void ho_rule_item_edit(const ho_rule_actor *me, const ho_function *f, const ho_item *it,
                       int text_changed, ho_mark_outcome *out)
{
	memset(out, 0, sizeof *out);
	out->thread = -1;
	out->sender = it->sender_state;
	out->receiver = it->receiver_state;
	out->status = ho_rule_setup(me, f ? f->handover_closed_at : 0, f, it, &out->why);
	if (out->status != HO_OK)
		return;
	if (text_changed && reviewed(it->receiver_state)) {
		out->receiver = HO_RECEIVER_PENDING;
		out->condition = HO_TEXT_CLEAR;
	}
}

static int not_handed(ho_sender_state s)
{
	return s == HO_SENDER_NOT_STARTED || s == HO_SENDER_IN_PROGRESS;
}

ho_rag ho_rule_item_rag(const ho_item *it, const char *today, const char *soon, int *overdue)
{
	int open = not_handed(it->sender_state);
	int due = it->due_date && it->due_date[0];
	int late = open && due && strcmp(it->due_date, today) < 0;
	if (overdue)
		*overdue = late;
	if (late)
		return HO_RAG_RED;
	if (it->open_queries > 0 || (open && due && strcmp(it->due_date, soon) <= 0))
		return HO_RAG_AMBER;
	if (reviewed(it->receiver_state))
		return HO_RAG_GREEN;
	return HO_RAG_NONE;
}

ho_rag ho_rule_counts_rag(const ho_counts *c, int unpaired, int due_soon)
{
	if (c->total > 0 && c->done == c->total)
		return HO_RAG_GREEN;
	if (c->overdue > 0 || unpaired)
		return HO_RAG_RED;
	if (c->gaps > 0 || due_soon > 0)
		return HO_RAG_AMBER;
	return HO_RAG_GREEN;
}

ho_role ho_rule_item_waits_on(const ho_item *it)
{
	if (reviewed(it->receiver_state))
		return HO_ROLE_NONE;
	if (not_handed(it->sender_state) || it->receiver_state == HO_RECEIVER_GAP)
		return HO_ROLE_SENDER;
	return HO_ROLE_RECEIVER;
}

int ho_rule_item_mine(const ho_rule_actor *me, const ho_function *f, const ho_item *it)
{
	if (me->role == HO_ROLE_LEAD)
		return !reviewed(it->receiver_state);
	if (f && me->id && me->id == f->sender_id)
		return not_handed(it->sender_state);
	if (f && me->id && me->id == f->receiver_id)
		return it->receiver_state == HO_RECEIVER_PENDING;
	return 0;
}

int ho_rule_item_shown(const ho_rule_actor *me, const ho_function *f, const ho_item *it,
                       ho_filter filter)
{
	switch (filter) {
	case HO_FILTER_MINE:
		return ho_rule_item_mine(me, f, it);
	case HO_FILTER_GAPS:
		return it->open_queries > 0 || it->receiver_state == HO_RECEIVER_PENDING ||
		       it->receiver_state == HO_RECEIVER_CONDITIONS || it->overdue;
	case HO_FILTER_OVERDUE:
		return it->overdue;
	case HO_FILTER_ALL:
		break;
	}
	return 1;
}

int ho_rule_function_shown(const ho_rule_actor *me, const ho_function *f, ho_filter filter)
{
	switch (filter) {
	case HO_FILTER_MINE:
		return me->role == HO_ROLE_LEAD ||
		       (me->id && (f->sender_id == me->id || f->receiver_id == me->id));
	case HO_FILTER_GAPS:
		return f->counts.gaps || f->counts.pending || f->counts.conditions ||
		       !f->sender_id || !f->receiver_id;
	case HO_FILTER_OVERDUE:
		return f->counts.overdue > 0;
	case HO_FILTER_ALL:
		break;
	}
	return 1;
}

/* ---- risks -------------------------------------------------------------- */

ho_risk_level ho_risk_level_of(int score)
{
	/* NHS 5x5: 1-3 low, 4-6 moderate, 8-12 high, 15-25 extreme (7, 13 and
	 * 14 are not products of two numbers 1-5). */
	if (score >= 15)
		return HO_RISK_EXTREME;
	if (score >= 8)
		return HO_RISK_HIGH;
	if (score >= 4)
		return HO_RISK_MODERATE;
	return HO_RISK_LOW;
}

const char *ho_risk_level_name(ho_risk_level l)
{
	switch (l) {
	case HO_RISK_LOW:
		return "low";
	case HO_RISK_MODERATE:
		return "moderate";
	case HO_RISK_HIGH:
		return "high";
	case HO_RISK_EXTREME:
		return "extreme";
	}
	return "?";
}

void ho_risk_matrix(const ho_risk *r, size_t n, int m[5][5])
{
	memset(m, 0, 5 * sizeof m[0]);
	for (size_t i = 0; i < n; i++)
		if (!r[i].closed && r[i].likelihood >= 1 && r[i].likelihood <= 5 &&
		    r[i].impact >= 1 && r[i].impact <= 5)
			m[r[i].likelihood - 1][r[i].impact - 1]++;
}

ho_status ho_rule_risk_add(const ho_rule_actor *me, int paired, const char **why)
{
	const char *reason = NULL;
	ho_status st = HO_EPERM;
	if (me->read_only) {
		st = HO_EBADFILE;
		reason = "the file is open read-only";
	} else if (me->role == HO_ROLE_NONE)
		reason = not_in_file;
	else if (me->role != HO_ROLE_LEAD && !paired)
		reason = "only a lead or someone paired on this handover may do this";
	if (why)
		*why = reason;
	return reason ? st : HO_OK;
}

ho_status ho_rule_risk_change(const ho_rule_actor *me, int64_t owner_id, int closed,
                              const char **why)
{
	const char *reason = NULL;
	ho_status st = HO_EPERM;
	if (me->read_only) {
		st = HO_EBADFILE;
		reason = "the file is open read-only";
	} else if (me->role == HO_ROLE_NONE)
		reason = not_in_file;
	else if (me->role != HO_ROLE_LEAD && me->id != owner_id)
		reason = "only its owner or a lead may change it";
	else if (closed) {
		st = HO_ESTATE;
		reason = "it is closed already";
	}
	if (why)
		*why = reason;
	return reason ? st : HO_OK;
}
