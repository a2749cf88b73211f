/* What the person has seen of each item: the version drawn, and a
 * fingerprint of the fields a screen shows, so a refusal can say what
 * changed ("evidence", "state") without keeping the text itself. An open
 * hash table of item ids; only items that were drawn are in it, so it
 * stays as small as what a person looks at. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

struct seen_entry {
	int64_t id; /* 0: empty slot */
	int64_t version;
	int known; /* the fingerprint below belongs to `version` */
	ho_sender_state sender;
	ho_receiver_state receiver;
	uint64_t title, evidence, reason, condition, due;
};

struct tui_seen {
	struct seen_entry *slots;
	size_t cap, used; /* cap: a power of two */
};

tui_seen *tui_seen_new(void)
{
	return calloc(1, sizeof(tui_seen));
}

void tui_seen_free(tui_seen *s)
{
	if (!s)
		return;
	free(s->slots);
	free(s);
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t slot_of(const tui_seen *s, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 16) & (s->cap - 1);
}

static int grow(tui_seen *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256;
	struct seen_entry *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return -1;
	struct seen_entry *old = s->slots;
	size_t old_cap = s->cap;
	s->slots = slots;
	s->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].id)
			continue;
		size_t j = slot_of(s, old[i].id);
		while (s->slots[j].id)
			j = (j + 1) & (cap - 1);
		s->slots[j] = old[i];
	}
	free(old);
	return 0;
}

/* The entry for `id`; with `add`, a new empty one when missing (NULL when
 * out of memory: the item then counts as unseen, never as changed). */
static struct seen_entry *find(tui_seen *s, int64_t id, int add)
{
	if (!s || id == 0)
		return NULL;
	if (s->cap) {
		for (size_t j = slot_of(s, id);; j = (j + 1) & (s->cap - 1)) {
			if (s->slots[j].id == id)
				return &s->slots[j];
			if (!s->slots[j].id)
				break;
		}
	}
	if (!add)
		return NULL;
	if ((s->used + 1) * 4 > s->cap * 3 && grow(s) != 0)
		return NULL;
	size_t j = slot_of(s, id);
	while (s->slots[j].id)
		j = (j + 1) & (s->cap - 1);
	memset(&s->slots[j], 0, sizeof s->slots[j]);
	s->slots[j].id = id;
	s->used++;
	return &s->slots[j];
}

static void remember(struct seen_entry *e, const ho_item *it)
{
	e->version = it->version;
	e->known = 1;
	e->sender = it->sender_state;
	e->receiver = it->receiver_state;
	e->title = fnv(it->title);
	e->evidence = fnv(it->evidence);
	e->reason = fnv(it->na_reason);
	e->condition = fnv(it->condition);
	e->due = fnv(it->due_date);
}

int tui_seen_changed(tui_app *app, const ho_item *it)
{
	if (!it)
		return 0;
	struct seen_entry *e = find(app->seen, it->id, 1);
	if (!e)
		return 0;
	if (!e->version) {
		remember(e, it);
		return 0;
	}
	if (e->version != it->version)
		return 1;
	if (!e->known)
		remember(e, it); /* one's own change, now drawn */
	return 0;
}

void tui_seen_ack(tui_app *app, const ho_item *it)
{
	struct seen_entry *e = it ? find(app->seen, it->id, 1) : NULL;
	if (e)
		remember(e, it);
}

void tui_seen_own(tui_app *app, int64_t item_id, int64_t version)
{
	tui_news_open_item(app, item_id); /* acting on it was looking at it */
	struct seen_entry *e = find(app->seen, item_id, 1);
	if (!e)
		return;
	e->version = version;
	e->known = 0;
}

void tui_seen_what(tui_app *app, const ho_item *it, char *buf, size_t size)
{
	buf[0] = '\0';
	struct seen_entry *e = it ? find(app->seen, it->id, 0) : NULL;
	if (!e || !e->known) {
		tui_fmt(buf, size, "its state or text");
		return;
	}
	const char *parts[6];
	int n = 0;
	if (e->sender != it->sender_state || e->receiver != it->receiver_state)
		parts[n++] = "state";
	if (e->evidence != fnv(it->evidence))
		parts[n++] = "evidence";
	if (e->reason != fnv(it->na_reason))
		parts[n++] = "reason";
	if (e->condition != fnv(it->condition))
		parts[n++] = "condition";
	if (e->due != fnv(it->due_date))
		parts[n++] = "due date";
	if (e->title != fnv(it->title))
		parts[n++] = "title";
	if (n == 0) {
		tui_fmt(buf, size, "changed and changed back");
		return;
	}
	size_t used = 0;
	for (int i = 0; i < n && used < size; i++) {
		int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", parts[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}
