/* Folding text for search, and telling a reference from search text. The
 * folding is a table for the Latin letters people's names and places carry
 * in UK and European data (Latin-1 and Latin Extended-A), not a Unicode
 * library: it is what "zoe finds Zoë" needs, and nothing more. */
#include "find.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* U+00C0..U+00FF, then U+0100..U+017F: the base letter of each; '*' for
 * the letters that fold to two (multi() says which), '.' for the two signs
 * (x and division) that stay as they are. */
static const char latin1[] = "aaaaaa*ceeeeiiiidnooooo.ouuuuy**aaaaaa*ceeeeiiiidnooooo.ouuuuy*y";
static const char latin_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkk"
                                  "kllllllllllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuu"
                                  "uuuuwwyyyzzzzzzs";
_Static_assert(sizeof latin1 == 0x40 + 1, "one letter per code point U+00C0..U+00FF");
_Static_assert(sizeof latin_ext_a == 0x80 + 1, "one letter per code point U+0100..U+017F");

static const char *multi(unsigned cp)
{
	switch (cp) {
	case 0xc6:
	case 0xe6:
		return "ae";
	case 0xde:
	case 0xfe:
		return "th";
	case 0xdf:
		return "ss";
	case 0x132:
	case 0x133:
		return "ij";
	case 0x152:
	case 0x153:
		return "oe";
	default:
		return NULL;
	}
}

/* One code point from UTF-8 at s (n bytes left); its length, or 0 when the
 * bytes are not well-formed (then the byte is kept as it is). */
static size_t decode(const unsigned char *s, size_t n, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len = (s[0] & 0xe0) == 0xc0   ? 2
	             : (s[0] & 0xf0) == 0xe0 ? 3
	             : (s[0] & 0xf8) == 0xf0 ? 4
	                                     : 0;
	if (!len || len > n)
		return 0;
	unsigned v = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	*cp = v;
	return len;
}

static size_t encode(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

char *tui_fold(const char *utf8)
{
	const unsigned char *s = (const unsigned char *)(utf8 ? utf8 : "");
	size_t n = strlen((const char *)s);
	/* A fold is never longer than what it folds: two-letter folds come
	 * from two-byte characters, a lower case letter is no longer than its
	 * capital in the planes towlower maps (checked below regardless). */
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t used = 0;
	while (*s) {
		unsigned cp;
		size_t len = decode(s, n, &cp);
		if (!len) {
			out[used++] = (char)*s++;
			n--;
			continue;
		}
		s += len;
		n -= len;
		if (cp < 0x80) {
			out[used++] = (char)tolower((int)cp);
			continue;
		}
		if (cp >= 0xc0 && cp < 0x180) {
			char base = cp < 0x100 ? latin1[cp - 0xc0] : latin_ext_a[cp - 0x100];
			const char *two = base == '*' ? multi(cp) : NULL;
			if (two) {
				memcpy(out + used, two, 2);
				used += 2;
				continue;
			}
			if (base != '.') {
				out[used++] = base;
				continue;
			}
		}
		if (cp == 0x2018 || cp == 0x2019) { /* typographic apostrophes */
			out[used++] = '\'';
			continue;
		}
		unsigned low = (unsigned)towlower((wint_t)cp);
		char enc[4];
		size_t k = encode(low, enc);
		if (k > len) { /* never seen, but never overrun */
			k = encode(cp, enc);
		}
		memcpy(out + used, enc, k);
		used += k;
	}
	out[used] = '\0';
	return out;
}

int tui_match(const char *hay, const char *needle)
{
	if (!needle || !needle[0])
		return 1;
	char *h = tui_fold(hay), *n = tui_fold(needle);
	int hit = h && n && strstr(h, n) != NULL;
	free(h);
	free(n);
	return hit;
}

int tui_is_ref(const char *text, char *out, size_t size)
{
	if (!text)
		return 0;
	while (*text == ' ')
		text++;
	size_t len = strlen(text);
	while (len > 0 && text[len - 1] == ' ')
		len--;
	if (len == 0 || len + 1 > size || !isalpha((unsigned char)text[0]))
		return 0;
	size_t i = 0, code = 0, digits = 0;
	while (i < len && isalnum((unsigned char)text[i]))
		i++, code++;
	if (code == 0 || code > 15 || i >= len || text[i] != '-')
		return 0;
	for (i++; i < len && isdigit((unsigned char)text[i]); i++)
		digits++;
	if (i != len || digits == 0 || digits > 9)
		return 0;
	memcpy(out, text, len);
	out[len] = '\0';
	return 1;
}
