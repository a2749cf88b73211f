/* Freeing the arrays the read functions return. Each takes the element
 * count so one call releases a whole list; the per-element clear functions
 * keep the list of owned strings in one place per type. */
#include <stdlib.h>
#include <string.h>

#include "handover/handover.h"

void ho_person_clear(ho_person *x)
{
	free(x->login);
	free(x->name);
	free(x->org);
	free(x->job_title);
	memset(x, 0, sizeof *x);
}

void ho_person_free(ho_person *p, size_t n)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		ho_person_clear(&p[i]);
	free(p);
}

void ho_handover_clear(ho_handover *x)
{
	free(x->title);
	free(x->service);
	free(x->sender_org);
	free(x->receiver_org);
	free(x->target_date);
	free(x->signed_by);
	free(x->marking);
	free(x->closed_note);
	free(x->distribution);
	memset(x, 0, sizeof *x);
}

void ho_handover_free(ho_handover *h, size_t n)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		ho_handover_clear(&h[i]);
	free(h);
}

void ho_function_clear(ho_function *x)
{
	free(x->code);
	free(x->name);
	free(x->due_date);
	free(x->sender_login);
	free(x->sender_name);
	free(x->receiver_login);
	free(x->receiver_name);
	free(x->retired_note);
	memset(x, 0, sizeof *x);
}

void ho_function_free(ho_function *f, size_t n)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		ho_function_clear(&f[i]);
	free(f);
}

void ho_item_clear(ho_item *x)
{
	free(x->title);
	free(x->guidance);
	free(x->due_date);
	free(x->evidence);
	free(x->na_reason);
	free(x->condition);
	free(x->updated_by);
	free(x->retired_note);
	free(x->own_due);
	memset(x, 0, sizeof *x);
}

void ho_item_free(ho_item *it, size_t n)
{
	if (it == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		ho_item_clear(&it[i]);
	free(it);
}

static void thread_clear(ho_thread_entry *x)
{
	free(x->author_login);
	free(x->author_name);
	free(x->body);
}

void ho_thread_free(ho_thread_entry *t, size_t n)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		thread_clear(&t[i]);
	free(t);
}

static void event_clear(ho_event *x)
{
	free(x->actor);
	free(x->action);
	free(x->ref);
	free(x->old_value);
	free(x->new_value);
}

void ho_event_free(ho_event *e, size_t n)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		event_clear(&e[i]);
	free(e);
}

static void gap_clear(ho_gap *x)
{
	free(x->title);
	free(x->detail);
	free(x->owner_login);
	free(x->owner_name);
	free(x->due_date);
}

void ho_gap_free(ho_gap *g, size_t n)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		gap_clear(&g[i]);
	free(g);
}

void ho_counts_add(ho_counts *a, const ho_counts *b)
{
	a->total += b->total;
	a->not_started += b->not_started;
	a->in_progress += b->in_progress;
	a->handed_over += b->handed_over;
	a->not_applicable += b->not_applicable;
	a->pending += b->pending;
	a->accepted += b->accepted;
	a->conditions += b->conditions;
	a->gaps += b->gaps;
	a->overdue += b->overdue;
	a->done += b->done;
}
