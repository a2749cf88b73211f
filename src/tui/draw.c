/* Drawing helpers shared by the views. */
#define _GNU_SOURCE
#include "draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "handover/handover.h"
#include "handover/terminal.h"

void tui_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

/* Outside a UTF-8 locale the terminal cannot show other characters and
 * widths are unknown: each becomes one '?', so columns still line up. */
static void ascii_only(char *s)
{
	char *out = s;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p < 0x80) {
			*out++ = (char)*p++;
			continue;
		}
		*out++ = '?';
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
	}
	*out = '\0';
}

char *tui_clean(const char *raw)
{
	char *s = ho_sanitise_term(raw ? raw : "", HO_SAN_LINE);
	if (!s)
		return strdup("");
	if (!tui_utf8())
		ascii_only(s);
	return s;
}

char *tui_clean_lines(const char *raw)
{
	char *s = ho_sanitise_term(raw ? raw : "", HO_SAN_MULTILINE);
	if (!s)
		return strdup("");
	if (!tui_utf8())
		ascii_only(s);
	return s;
}

int tui_user_width(const char *raw)
{
	char *clean = tui_clean(raw);
	int w = ho_text_width(clean);
	free(clean);
	return w;
}

void tui_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
	if (width <= 0)
		return;
	wattr_set(w, attr, PAIR_NUMBER(attr), NULL);
	mvwhline(w, y, x, ' ', width);
	wattr_set(w, A_NORMAL, 0, NULL);
}

int tui_put(WINDOW *w, int y, int x, int width, attr_t attr, const char *clean, int pad)
{
	if (width <= 0)
		return 0;
	size_t size = strlen(clean) + 8;
	char stackbuf[512];
	char *buf = size <= sizeof stackbuf ? stackbuf : malloc(size);
	if (!buf)
		return 0;
	int used = ho_text_fit(clean, width, buf, size);
	wattr_set(w, attr, PAIR_NUMBER(attr), NULL);
	mvwaddstr(w, y, x, buf);
	if (pad && used < width)
		mvwhline(w, y, x + used, ' ', width - used);
	wattr_set(w, A_NORMAL, 0, NULL);
	if (buf != stackbuf)
		free(buf);
	return pad && used < width ? width : used;
}

int tui_put_user(WINDOW *w, int y, int x, int width, attr_t attr, const char *raw, int pad)
{
	char *clean = tui_clean(raw);
	int used = tui_put(w, y, x, width, attr, clean, pad);
	free(clean);
	return used;
}

int tui_put_right(WINDOW *w, int y, int x, int width, attr_t attr, const char *clean)
{
	int tw = ho_text_width(clean);
	if (tw >= width)
		return tui_put(w, y, x, width, attr, clean, 0);
	return tui_put(w, y, x + width - tw, tw, attr, clean, 0);
}

/* Width of one character in a clean string; *len gets its byte length. */
static int char_width(const char *s, size_t *len)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*len = 1;
		return 1;
	}
	*len = n;
	int cw = wcwidth(wc);
	return cw < 0 ? 1 : cw;
}

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_push(struct lines *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, s, len);
	copy[len] = '\0';
	l->v[l->n++] = copy;
}

/* Wrap one line without '\n'. Breaks at spaces; a word wider than the
 * line is broken between characters. */
static void wrap_line(struct lines *out, const char *s, size_t len, int width)
{
	size_t start = 0;
	while (start < len) {
		int cols = 0;
		size_t i = start, last_space = 0, end = start;
		int have_space = 0;
		while (i < len) {
			size_t clen;
			int cw = char_width(s + i, &clen);
			if (cols + cw > width)
				break;
			if (s[i] == ' ') {
				last_space = i;
				have_space = 1;
			}
			cols += cw;
			i += clen;
		}
		if (i >= len) {
			end = len;
		} else if (have_space && last_space > start) {
			end = last_space;
		} else {
			end = i > start ? i : start + 1;
		}
		lines_push(out, s + start, end - start);
		start = end;
		while (start < len && s[start] == ' ')
			start++;
	}
}

size_t tui_wrap(const char *clean, int width, char ***out)
{
	struct lines l = {0};
	if (width < 1)
		width = 1;
	const char *p = clean ? clean : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == 0)
			lines_push(&l, "", 0);
		else
			wrap_line(&l, p, len, width);
		if (!nl)
			break;
		p = nl + 1;
	}
	*out = l.v;
	return l.n;
}

void tui_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

void tui_bar(WINDOW *w, int y, int x, int width, int done, int pending, int total, int selected)
{
	if (width <= 0)
		return;
	int d = 0, p = 0;
	if (total > 0) {
		d = (int)((long)done * width / total);
		p = (int)((long)(done + pending) * width / total) - d;
		/* Something accepted or handed over always shows. */
		if (done > 0 && d == 0)
			d = 1;
		if (pending > 0 && p == 0 && d < width)
			p = 1;
		if (d + p > width)
			p = width - d;
	}
	attr_t sel = selected ? tui_attr(TUI_C_SELECTED) : 0;
	wmove(w, y, x);
	for (int i = 0; i < width; i++) {
		enum tui_glyph g = i < d       ? TUI_G_BAR_DONE
		                   : i < d + p ? TUI_G_BAR_PENDING
		                               : TUI_G_BAR_EMPTY;
		enum tui_role r = i < d ? TUI_C_DONE : i < d + p ? TUI_C_PROGRESS : TUI_C_MUTED;
		attr_t a = selected ? sel : tui_attr(r);
		wattr_set(w, a, PAIR_NUMBER(a), NULL);
		waddstr(w, tui_glyph(g));
	}
	wattr_set(w, A_NORMAL, 0, NULL);
}

void tui_cols_layout(struct tui_col *cols, int n, int total)
{
	int maxprio = 0;
	for (int i = 0; i < n; i++) {
		cols[i].w = 1; /* present until dropped */
		if (cols[i].prio > maxprio)
			maxprio = cols[i].prio;
	}
	for (;;) {
		int need = 0, present = 0;
		for (int i = 0; i < n; i++) {
			if (!cols[i].w)
				continue;
			need += cols[i].width ? cols[i].width : cols[i].min;
			present++;
		}
		need += present > 0 ? present - 1 : 0; /* one space between columns */
		if (need <= total || maxprio <= 1)
			break;
		/* Drop the last present column of the least important rank. */
		int dropped = 0;
		for (int i = n - 1; i >= 0 && !dropped; i--)
			if (cols[i].w && cols[i].prio == maxprio) {
				cols[i].w = 0;
				dropped = 1;
			}
		if (!dropped)
			maxprio--;
	}
	int fixed = 0, present = 0;
	for (int i = 0; i < n; i++) {
		if (!cols[i].w)
			continue;
		present++;
		if (cols[i].width)
			fixed += cols[i].width;
	}
	int rest = total - fixed - (present > 0 ? present - 1 : 0);
	for (int i = 0; i < n; i++)
		if (cols[i].w && cols[i].width)
			cols[i].w = cols[i].width;
	/* Each flexible column gets its minimum, then the rest is shared by
	 * weight; a column that reaches its max leaves the share, and what it
	 * leaves goes round again. */
	int open[64], nopen = 0;
	for (int i = 0; i < n && nopen < 64; i++)
		if (cols[i].w && !cols[i].width) {
			open[nopen++] = i;
			cols[i].w = cols[i].min < rest ? cols[i].min : (rest > 0 ? rest : 0);
			rest -= cols[i].w;
		}
	while (nopen > 0 && rest > 0) {
		int wsum = 0;
		for (int k = 0; k < nopen; k++)
			wsum += cols[open[k]].weight > 0 ? cols[open[k]].weight : 1;
		int capped = 0, given = 0;
		for (int k = 0; k < nopen; k++) {
			struct tui_col *c = &cols[open[k]];
			int share = rest * (c->weight > 0 ? c->weight : 1) / wsum;
			if (c->max > 0 && c->w + share >= c->max) {
				given += c->max - c->w;
				c->w = c->max;
				open[k] = -1;
				capped = 1;
			}
		}
		if (!capped) {
			for (int k = 0; k < nopen; k++) {
				struct tui_col *c = &cols[open[k]];
				int share = rest * (c->weight > 0 ? c->weight : 1) / wsum;
				c->w += share;
				given += share;
			}
			/* Rounding: the last open column takes what is left. */
			cols[open[nopen - 1]].w += rest - given;
			given = rest;
		}
		rest -= given;
		int kept = 0;
		for (int k = 0; k < nopen; k++)
			if (open[k] >= 0)
				open[kept++] = open[k];
		nopen = capped ? kept : 0;
	}
	/* Flexible columns are present even when squeezed to nothing. */
	for (int i = 0; i < n; i++)
		if (!cols[i].width && cols[i].w == 0 && cols[i].min == 0)
			cols[i].w = 0;
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (cols[i].w < 0)
			cols[i].w = 0;
		if (!cols[i].w)
			continue;
		cols[i].x = x;
		x += cols[i].w + 1;
		if (x > total) /* the very narrow: cut the last columns */
			cols[i].w -= x - 1 - total;
		if (cols[i].w < 0)
			cols[i].w = 0;
	}
}

void tui_pair_widths(int sender, int receiver, int arrow, int room, int *sender_out,
                     int *receiver_out)
{
	int left = room - arrow;
	if (left < 0)
		left = 0;
	int s = sender, r = receiver;
	if (s + r > left) {
		int s_min = s < 2 ? s : 2;
		s = left - r > s_min ? left - r : s_min;
		if (s > left)
			s = left;
		r = left - s;
		if (r > receiver)
			r = receiver;
	}
	*sender_out = s;
	*receiver_out = r;
}

void tui_cols_header(WINDOW *w, int y, const struct tui_col *cols, int n)
{
	attr_t a = tui_attr(TUI_C_COLUMNS);
	tui_fill(w, y, 0, getmaxx(w), a);
	for (int i = 0; i < n; i++) {
		if (!cols[i].w)
			continue;
		if (cols[i].right)
			tui_put_right(w, y, cols[i].x, cols[i].w, a, cols[i].title);
		else
			tui_put(w, y, cols[i].x, cols[i].w, a, cols[i].title, 0);
	}
}

void tui_table_frame(WINDOW *w, struct tui_col *cols, int n, tui_list *l)
{
	for (int i = 0; i < n; i++)
		cols[i].x += 1;
	tui_cols_header(w, 0, cols, n);
	l->y0 = 1;
	l->height = getmaxy(w) - 1;
	tui_list_fix(l);
}

void tui_list_fix(tui_list *l)
{
	if (l->count <= 0) {
		l->sel = l->top = 0;
		return;
	}
	if (l->height <= 0) {
		/* Not drawn yet: only clamp; the first draw scrolls. */
		if (l->sel >= l->count)
			l->sel = l->count - 1;
		if (l->sel < 0)
			l->sel = 0;
		return;
	}
	int h = l->height;
	if (l->scroll_only) {
		int max_top = l->count - h > 0 ? l->count - h : 0;
		if (l->top > max_top)
			l->top = max_top;
		if (l->top < 0)
			l->top = 0;
		l->sel = l->top;
		return;
	}
	if (l->sel >= l->count)
		l->sel = l->count - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	/* No empty space below the last row when there is more above. */
	if (l->top + h > l->count)
		l->top = l->count - h > 0 ? l->count - h : 0;
	if (l->top < 0)
		l->top = 0;
}

void tui_list_select(tui_list *l, int row)
{
	if (l->scroll_only)
		l->top = row;
	else
		l->sel = row;
	tui_list_fix(l);
}

void tui_list_scroll(tui_list *l, int lines)
{
	int h = l->height > 0 ? l->height : 1;
	l->top += lines;
	int max_top = l->count - h > 0 ? l->count - h : 0;
	if (l->top > max_top)
		l->top = max_top;
	if (l->top < 0)
		l->top = 0;
	if (l->scroll_only) {
		l->sel = l->top;
		return;
	}
	if (l->sel < l->top)
		l->sel = l->top;
	if (l->sel >= l->top + h)
		l->sel = l->top + h - 1;
	if (l->sel >= l->count)
		l->sel = l->count - 1;
}
