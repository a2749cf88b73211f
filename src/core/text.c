/* The one sanitiser for user text, and display widths.
 *
 * Text in a handover file comes from other people's keyboards, spreadsheets
 * and e-mails, and the file itself may sit on a shared drive: it is
 * untrusted. A terminal acts on control characters and escape sequences
 * (move the cursor, retitle the window, plant hyperlinks, overwrite a line
 * with CR), and bidi controls or invisible characters make text read
 * differently from what it is. So everything shown goes through
 * ho_sanitise(), which keeps printable text as it is and drops the rest. */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include <langinfo.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "handover/handover.h"
#include "handover/terminal.h"

#define ESC      0x1b
#define BAD_UTF8 0xffffffffu /* decoder result for a byte that starts no character */

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Decode the character at p (NUL-terminated) into *cp; returns its length in
 * bytes. Anything that is not shortest-form UTF-8 of a scalar value
 * (overlong forms, surrogates, beyond U+10FFFF, stray or missing
 * continuation bytes) gives BAD_UTF8 and length 1, so each bad byte is
 * replaced on its own and decoding resumes at the next one. */
static int utf8_decode(const unsigned char *p, uint32_t *cp)
{
	unsigned char b = p[0];
	int len;
	unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */
	uint32_t v;

	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		v = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		v = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0; /* overlong below U+0800 */
		else if (b == 0xed)
			hi = 0x9f; /* surrogates U+D800..U+DFFF */
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		v = b & 0x07;
		if (b == 0xf0)
			lo = 0x90; /* overlong below U+10000 */
		else if (b == 0xf4)
			hi = 0x8f; /* beyond U+10FFFF */
	} else {
		*cp = BAD_UTF8;
		return 1;
	}
	if (p[1] < lo || p[1] > hi) {
		*cp = BAD_UTF8;
		return 1;
	}
	for (int i = 1; i < len; i++) {
		/* The NUL terminator is not a continuation byte, so this never
		 * reads past the end of the string. */
		if ((p[i] & 0xc0) != 0x80) {
			*cp = BAD_UTF8;
			return 1;
		}
		v = v << 6 | (p[i] & 0x3f);
	}
	*cp = v;
	return len;
}

/* Line breaks other than LF that terminals or editors honour. */
static int is_line_break(uint32_t cp)
{
	return cp == '\n' || cp == 0x0b || cp == 0x0c || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

/* Characters dropped without trace: controls, and invisible characters that
 * change how the text around them reads or renders. */
static int is_dropped(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return 1;
	if (cp >= 0x80 && cp <= 0x9f) /* C1 controls, 8-bit CSI (U+009B) among them */
		return 1;
	switch (cp) {
	case 0x00ad: /* soft hyphen */
	case 0x061c: /* Arabic letter mark */
	case 0x180e: /* Mongolian vowel separator */
	case 0xfeff: /* zero-width no-break space, byte order mark */
		return 1;
	}
	/* Zero-width space/non-joiner/joiner and LRM, RLM. Dropping the joiner
	 * shows an emoji sequence as its parts, which is also what a width
	 * counted per code point assumes. */
	if (cp >= 0x200b && cp <= 0x200f)
		return 1;
	if (cp >= 0x202a && cp <= 0x202e) /* bidi embeddings and overrides */
		return 1;
	/* Word joiner, invisible operators, bidi isolates, deprecated format
	 * characters: the whole invisible block. */
	if (cp >= 0x2060 && cp <= 0x206f)
		return 1;
	if (cp >= 0xfff9 && cp <= 0xfffb) /* interlinear annotation */
		return 1;
	/* Hangul fillers: letters by category, but blank, so a name made of
	 * them looks empty or like someone else's with a gap. */
	if (cp == 0x115f || cp == 0x1160 || cp == 0x3164 || cp == 0xffa0)
		return 1;
	/* Tag characters: invisible, and can carry hidden text. */
	if (cp >= 0xe0000 && cp <= 0xe007f)
		return 1;
	return 0;
}

/* Length in bytes of a flag tag sequence at p (U+1F3F4, then 2-7 tag
 * letters or digits, then CANCEL TAG U+E007F: England, Scotland, Wales),
 * 0 when there is none. Only there do tag characters survive: elsewhere
 * they are invisible and can carry hidden text. */
static size_t flag_sequence(const unsigned char *p)
{
	uint32_t cp;
	size_t len = (size_t)utf8_decode(p, &cp);
	if (cp != 0x1f3f4)
		return 0;
	for (int tags = 0;; tags++) {
		int n = utf8_decode(p + len, &cp);
		if (cp == 0xe007f)
			return tags >= 2 ? len + (size_t)n : 0;
		if (tags == 7 ||
		    !((cp >= 0xe0061 && cp <= 0xe007a) || (cp >= 0xe0030 && cp <= 0xe0039)))
			return 0;
		len += (size_t)n;
	}
}

static int is_noncharacter(uint32_t cp)
{
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

/* Skip a control string (OSC, DCS, SOS, PM, APC) whose body starts at p. It
 * ends at ST (ESC \ or U+009C) or BEL (xterm's OSC terminator); CAN and SUB
 * cancel it; any other ESC ends it and starts a new sequence. With no end,
 * the rest of the text is the string, as a terminal would take it. */
static const unsigned char *skip_control_string(const unsigned char *p)
{
	while (*p != '\0') {
		uint32_t cp;
		int n;
		if (*p == ESC)
			return p[1] == '\\' ? p + 2 : p;
		n = utf8_decode(p, &cp);
		if (cp == 0x07 || cp == 0x18 || cp == 0x1a || cp == 0x9c)
			return p + n;
		p += n;
	}
	return p;
}

/* Skip the escape sequence starting with the ESC at p; returns where the
 * text resumes. A malformed sequence loses only what a terminal would
 * have taken as part of it. */
static const unsigned char *skip_escape(const unsigned char *p)
{
	p++;
	switch (*p) {
	case '[': /* CSI: parameter and intermediate bytes, then a final byte */
		p++;
		while (*p >= 0x20 && *p <= 0x3f)
			p++;
		if (*p >= 0x40 && *p <= 0x7e)
			p++;
		return p;
	case ']': /* OSC */
	case 'P': /* DCS */
	case 'X': /* SOS */
	case '^': /* PM */
	case '_': /* APC */
		return skip_control_string(p + 1);
	default: /* ESC, intermediate bytes, final byte (e.g. ESC ( B, ESC 7) */
		while (*p >= 0x20 && *p <= 0x2f)
			p++;
		if (*p >= 0x30 && *p <= 0x7e)
			p++;
		return p;
	}
}

char *ho_sanitise(const char *in, int mode)
{
	const unsigned char *p = (const unsigned char *)(in != NULL ? in : "");
	size_t len = strlen((const char *)p);
	char break_char = (mode & HO_SAN_MULTILINE) ? '\n' : ' ';
	int ascii = (mode & HO_SAN_ASCII) != 0;

	/* The worst case is every byte invalid, each becoming 3 bytes. */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	char *out = malloc(len * 3 + 1);
	if (out == NULL)
		return NULL;
	char *o = out;

	while (*p != '\0') {
		uint32_t cp;
		int n;
		if (*p == ESC) {
			p = skip_escape(p);
			continue;
		}
		n = utf8_decode(p, &cp);
		size_t flag = cp == 0x1f3f4 && !ascii ? flag_sequence(p) : 0;
		if (flag > 0) {
			memcpy(o, p, flag);
			o += flag;
			p += flag;
			continue;
		}
		if (cp == BAD_UTF8 || is_noncharacter(cp)) {
			if (ascii) {
				*o++ = '?';
			} else {
				memcpy(o, replacement, 3);
				o += 3;
			}
		} else if (cp == '\r') {
			/* CR LF is one break; a lone CR would return the cursor
			 * and let later text overwrite what came before. */
			if (p[1] == '\n')
				n = 2;
			*o++ = break_char;
		} else if (is_line_break(cp)) {
			*o++ = break_char;
		} else if (cp == '\t') {
			/* A tab's width depends on the column it lands in, which
			 * would throw every width calculation off. */
			*o++ = ' ';
		} else if (!is_dropped(cp)) {
			if (ascii && cp >= 0x80) {
				*o++ = '?';
			} else {
				memcpy(o, p, (size_t)n);
				o += n;
			}
		}
		p += n;
	}
	*o = '\0';

	/* Give back the worst-case reserve; keeping it is harmless when the
	 * shrink fails. */
	char *shrunk = realloc(out, (size_t)(o - out) + 1);
	return shrunk != NULL ? shrunk : out;
}

/* Columns taken by one code point. Unprintable code points (wcwidth -1, as
 * for anything beyond ASCII in a non-UTF-8 locale, or a stray byte in text
 * that was not sanitised) count as one column, the width of the
 * replacement a terminal shows for them. */
static int char_width(uint32_t cp)
{
	if (cp == BAD_UTF8)
		return 1;
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int ho_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int width = 0;
	if (p == NULL)
		return 0;
	while (*p != '\0') {
		uint32_t cp;
		p += utf8_decode(p, &cp);
		if (width > INT_MAX - 2)
			break; /* absurdly long text: saturate rather than overflow */
		width += char_width(cp);
	}
	return width;
}

static int locale_is_utf8(void)
{
	const char *codeset = nl_langinfo(CODESET);
	return codeset != NULL &&
	       (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0);
}

int ho_locale_utf8(void)
{
	return locale_is_utf8();
}

char *ho_sanitise_term(const char *in, int mode)
{
	return ho_sanitise(in, locale_is_utf8() ? mode : mode | HO_SAN_ASCII);
}

/* Copy whole characters of s into buf while they fit in `cols` columns and
 * `room` bytes; returns the width copied and sets *bytes and *rest (where
 * copying stopped). */
static int copy_fitting(const unsigned char *s, int cols, size_t room, char *buf, size_t *bytes,
                        const unsigned char **rest)
{
	int width = 0;
	size_t used = 0;
	while (*s != '\0') {
		uint32_t cp;
		int n = utf8_decode(s, &cp);
		int w = char_width(cp);
		if (w > cols - width || (size_t)n > room - used)
			break;
		memcpy(buf + used, s, (size_t)n);
		used += (size_t)n;
		width += w;
		s += n;
	}
	*bytes = used;
	*rest = s;
	return width;
}

int ho_text_fit(const char *s, int cols, char *buf, size_t size)
{
	const unsigned char *text = (const unsigned char *)(s != NULL ? s : "");
	const unsigned char *rest;
	size_t used;
	int width;

	if (buf == NULL || size == 0)
		return 0;
	buf[0] = '\0';
	if (cols <= 0)
		return 0;

	/* Everything, when it fits in both the columns and the buffer. */
	width = copy_fitting(text, cols, size - 1, buf, &used, &rest);
	if (*rest == '\0') {
		buf[used] = '\0';
		return width;
	}

	/* Cut: keep one column and the mark's bytes for the mark. A buffer
	 * too small for "…" still gets "~", so the cut stays visible. */
	const char *mark = locale_is_utf8() ? "\xE2\x80\xA6" : "~";
	if (strlen(mark) + 1 > size)
		mark = "~";
	if (strlen(mark) + 1 > size) {
		/* Room for the NUL only. */
		return 0;
	}
	size_t mark_len = strlen(mark);
	width = copy_fitting(text, cols - 1, size - 1 - mark_len, buf, &used, &rest);
	memcpy(buf + used, mark, mark_len + 1);
	return width + 1;
}
