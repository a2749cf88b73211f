/* What others changed since the person last looked: the file's `seen`
 * table says when that was (per handover); the changes since then are read
 * through the same core as `handover changes` and kept here as maps from
 * an item, a function or a handover to the newest change in it. A row is
 * marked (bold, with a dot) while it holds a change newer than the person
 * last opened it in this session; leaving the application records the look
 * (ho_seen_mark), so the next session marks only what came after.
 *
 * This is the one mark on the screens. When the person has never looked
 * before, everything in the file would be "new", which says nothing: the
 * look then starts when the application opens, and only changes made by
 * others while it is open are marked. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "handover/changes.h"

/* The most changes kept for marking rows; the count in the title is always
 * the whole. Someone back from a month away sees the newest marked. */
#define TUI_NEWS_MAX 20000

/* int64 -> int64, open addressing; key 0 is an empty slot. */
struct idmap {
	int64_t *keys, *vals;
	size_t cap, used; /* cap: a power of two */
};

static void idmap_clear(struct idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t idmap_slot(const struct idmap *m, int64_t key)
{
	uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 16) & (m->cap - 1);
}

static int64_t *idmap_find(const struct idmap *m, int64_t key)
{
	if (!m->cap || key == 0)
		return NULL;
	for (size_t j = idmap_slot(m, key);; j = (j + 1) & (m->cap - 1)) {
		if (m->keys[j] == key)
			return &m->vals[j];
		if (!m->keys[j])
			return NULL;
	}
}

static int idmap_grow(struct idmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	int64_t *keys = calloc(cap, sizeof *keys), *vals = calloc(cap, sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	struct idmap old = *m;
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.keys[i])
			continue;
		size_t j = idmap_slot(m, old.keys[i]);
		while (m->keys[j])
			j = (j + 1) & (cap - 1);
		m->keys[j] = old.keys[i];
		m->vals[j] = old.vals[i];
	}
	free(old.keys);
	free(old.vals);
	return 0;
}

/* Keep the larger of the value there and `val`. */
static void idmap_max(struct idmap *m, int64_t key, int64_t val)
{
	if (key == 0)
		return;
	int64_t *v = idmap_find(m, key);
	if (v) {
		if (val > *v)
			*v = val;
		return;
	}
	if ((m->used + 1) * 4 > m->cap * 3 && idmap_grow(m) != 0)
		return; /* out of memory: the row goes unmarked */
	size_t j = idmap_slot(m, key);
	while (m->keys[j])
		j = (j + 1) & (m->cap - 1);
	m->keys[j] = key;
	m->vals[j] = val;
	m->used++;
}

static int64_t idmap_get(const struct idmap *m, int64_t key)
{
	int64_t *v = idmap_find(m, key);
	return v ? *v : 0;
}

enum { N_ITEM, N_FUNCTION, N_HANDOVER, N__KINDS };

struct tui_news {
	int loaded, stale;
	int64_t since_at;              /* when the person last looked (0: never) */
	int64_t after;                 /* the last event seen; a first look: the newest at start */
	size_t total;                  /* changes by others since the look began */
	struct idmap newest[N__KINDS]; /* id -> newest change in it */
	struct idmap opened[N__KINDS]; /* id -> newest change when opened */
	struct idmap events;           /* event id -> 1: a change by others, unseen */
};

tui_news *tui_news_new(void)
{
	tui_news *n = calloc(1, sizeof *n);
	if (n)
		n->stale = 1;
	return n;
}

void tui_news_free(tui_news *n)
{
	if (!n)
		return;
	for (int k = 0; k < N__KINDS; k++) {
		idmap_clear(&n->newest[k]);
		idmap_clear(&n->opened[k]);
	}
	idmap_clear(&n->events);
	free(n);
}

void tui_news_stale(tui_app *app)
{
	if (app->news)
		app->news->stale = 1;
}

void tui_news_load(tui_app *app)
{
	tui_news *n = app->news;
	if (!n || !n->stale)
		return;
	if (!n->loaded) {
		int64_t at = 0, seen = 0, newest = 0;
		if (ho_seen_at(app->db, 0, &at) != HO_OK ||
		    ho_seen_floor(app->db, &seen, &newest) != HO_OK)
			return; /* the next reload tries again */
		n->loaded = 1;
		n->since_at = at;
		/* Never looked: the look begins now. */
		n->after = at ? seen : newest;
	}
	ho_change *c = NULL;
	size_t count = 0, total = 0;
	if (ho_changes_after(app->db, n->after, TUI_NEWS_MAX, &c, &count, &total) != HO_OK)
		return; /* the marks stay as they were; the next reload tries again */
	n->stale = 0;
	for (int k = 0; k < N__KINDS; k++)
		idmap_clear(&n->newest[k]);
	idmap_clear(&n->events);
	/* Beyond the changes kept for marks, the rest are counted all the
	 * same. */
	n->total = total;
	for (size_t i = 0; i < count; i++) {
		idmap_max(&n->events, c[i].event_id, 1);
		idmap_max(&n->newest[N_ITEM], c[i].item_id, c[i].event_id);
		idmap_max(&n->newest[N_FUNCTION], c[i].function_id, c[i].event_id);
		if (!c[i].item_id && !c[i].function_id)
			idmap_max(&n->newest[N_HANDOVER], c[i].handover_id, c[i].event_id);
	}
	ho_change_free(c, count);
}

static int marked(tui_app *app, int kind, int64_t id)
{
	tui_news *n = app->news;
	if (!n || id == 0)
		return 0;
	int64_t newest = idmap_get(&n->newest[kind], id);
	return newest && newest > idmap_get(&n->opened[kind], id);
}

static void opened(tui_app *app, int kind, int64_t id)
{
	tui_news *n = app->news;
	if (!n || id == 0)
		return;
	int64_t newest = idmap_get(&n->newest[kind], id);
	if (newest)
		idmap_max(&n->opened[kind], id, newest);
}

int tui_news_item(tui_app *app, int64_t item_id)
{
	return marked(app, N_ITEM, item_id);
}

int tui_news_function(tui_app *app, int64_t function_id)
{
	return marked(app, N_FUNCTION, function_id);
}

int tui_news_handover(tui_app *app, int64_t handover_id)
{
	return marked(app, N_HANDOVER, handover_id);
}

int tui_news_event(tui_app *app, int64_t event_id)
{
	return app->news && idmap_get(&app->news->events, event_id) != 0;
}

void tui_news_open_item(tui_app *app, int64_t item_id)
{
	opened(app, N_ITEM, item_id);
}

void tui_news_open_function(tui_app *app, int64_t function_id)
{
	opened(app, N_FUNCTION, function_id);
}

void tui_news_open_handover(tui_app *app, int64_t handover_id)
{
	opened(app, N_HANDOVER, handover_id);
}

size_t tui_news_count(tui_app *app)
{
	return app->news ? app->news->total : 0;
}

int64_t tui_news_after(tui_app *app, int64_t *since_at)
{
	tui_news *n = app->news;
	*since_at = n ? n->since_at : 0;
	return n ? n->after : 0;
}

void tui_when_words(int64_t t, char *buf, size_t size)
{
	static const char *const days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
	                                   "Thursday", "Friday", "Saturday"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	int64_t now = ho_now();
	int64_t today = now / 86400 * 86400;
	/* Within the last week the day's name is plainer than a date. */
	if (t >= today)
		snprintf(buf, size, "today %02d:%02d", tm.tm_hour, tm.tm_min);
	else if (t >= today - 6 * 86400)
		snprintf(buf, size, "%s %02d:%02d", days[tm.tm_wday], tm.tm_hour, tm.tm_min);
	else
		snprintf(buf, size, "%d %s %02d:%02d", tm.tm_mday, months[tm.tm_mon], tm.tm_hour,
		         tm.tm_min);
}

const char *tui_news_place(tui_app *app)
{
	return ho_location_is_server(ho_path(app->db)) ? "the database" : "the file";
}

void tui_news_title(tui_app *app, char *buf, size_t size)
{
	buf[0] = '\0';
	tui_news *n = app->news;
	if (!n || !n->total)
		return;
	if (!n->since_at) {
		snprintf(buf, size, "%zu change%s since you opened %s here", n->total,
		         n->total == 1 ? "" : "s", tui_news_place(app));
		return;
	}
	char when[48];
	tui_when_words(n->since_at, when, sizeof when);
	snprintf(buf, size, "%zu change%s since %s", n->total, n->total == 1 ? "" : "s", when);
}
