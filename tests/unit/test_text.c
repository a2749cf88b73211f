/* The sanitiser is the last line between text typed by someone else and the
 * reader's terminal: each test here is an attack or a piece of real text
 * that must survive it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handover/handover.h"
#include "handover/terminal.h"

/* Characters by name, so that no hex escape runs into the text after it. */
#define FFFD     "\xEF\xBF\xBD"
#define ELLIPSIS "\xE2\x80\xA6"
#define ESC      "\x1b"
#define BEL      "\a"
#define DEL      "\x7f"
#define CAN      "\x18"
#define CSI8_RAW "\x9b" /* a lone byte: not UTF-8 */
#define U_009B   "\xc2\x9b"
#define U_009C   "\xc2\x9c"
#define NEL      "\xc2\x85"
#define LS       "\xe2\x80\xa8"
#define PS       "\xe2\x80\xa9"
#define RLO      "\xe2\x80\xae"
#define ZWSP     "\xe2\x80\x8b"
#define ACUTE    "\xcc\x81" /* combining */
#define KAN      "\xe6\xbc\xa2"
#define JI       "\xe5\xad\x97"

static void check(const char *in, int mode, const char *want)
{
	char *got = ho_sanitise(in, mode);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Same result in both newline modes. */
static void check_both(const char *in, const char *want)
{
	check(in, HO_SAN_LINE, want);
	check(in, HO_SAN_MULTILINE, want);
}

/* UTF-8 encoding of a code point (for building test strings). */
static size_t encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* "a" U+cp "b" must come out as "ab". */
static void check_removed(uint32_t cp)
{
	char in[8];
	size_t n = 0;
	in[n++] = 'a';
	n += encode(cp, in + n);
	in[n++] = 'b';
	in[n] = '\0';
	char *got = ho_sanitise(in, HO_SAN_MULTILINE);
	assert_non_null(got);
	if (strcmp(got, "ab") != 0)
		fail_msg("U+%04X was not removed", (unsigned)cp);
	free(got);
}

/* Valid UTF-8, no controls but '\n' (when allowed), no DEL, no C1, no ESC. */
static int is_terminal_safe(const char *s, int newline_ok)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p != '\0') {
		unsigned char b = *p;
		if (b < 0x80) {
			if ((b < 0x20 && !(newline_ok && b == '\n')) || b == 0x7f)
				return 0;
			p++;
			continue;
		}
		int len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
		if (b < 0xc2 || b > 0xf4)
			return 0;
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		}
		if (b == 0xc2 && p[1] < 0xa0) /* C1 */
			return 0;
		if ((b == 0xe0 && p[1] < 0xa0) || (b == 0xed && p[1] > 0x9f) ||
		    (b == 0xf0 && p[1] < 0x90) || (b == 0xf4 && p[1] > 0x8f))
			return 0;
		p += len;
	}
	return 1;
}

/* ---- sanitiser --------------------------------------------------------- */

static void test_plain_text_unchanged(void **state)
{
	(void)state;
	check_both("FIN-3: Month 12 ledger, signed off (see p. 4)",
	           "FIN-3: Month 12 ledger, signed off (see p. 4)");
	check_both("", "");
}

static void test_null_gives_empty(void **state)
{
	(void)state;
	check(NULL, HO_SAN_LINE, "");
	check(NULL, HO_SAN_MULTILINE, "");
}

static void test_lone_esc(void **state)
{
	(void)state;
	check_both("abc\x1b", "abc");
	check_both("\x1b\x1b\x1b", "");
	check_both("a\x1b\xc3\xa9", "a\xc3\xa9"); /* ESC before a non-ASCII character */
	check_both(ESC "c", "");                  /* RIS: full terminal reset */
	check_both("\x1b(Bx", "x");               /* charset designation */
	check_both(ESC "7x" ESC "8", "x");        /* save / restore cursor */
	check_both("\x1b#8", "");                 /* screen alignment test */
}

static void test_csi(void **state)
{
	(void)state;
	check_both("\x1b[31mRED\x1b[0m", "RED");
	check_both("\x1b[38;2;255;0;0mX\x1b[m", "X");
	check_both("\x1b[2J\x1b[Hwiped", "wiped");
	check_both("\x1b[?1049hscreen", "screen");
	check_both("a\x1b[1;1H\x1b[Kb", "ab");
	check_both("a\x1b[", "a"); /* truncated at the end */
	check_both("a\x1b[12", "a");
}

static void test_osc(void **state)
{
	(void)state;
	check_both(ESC "]0;pwned" BEL "after", "after");
	check_both("\x1b]2;pwned\x1b\\after", "after");
	check_both("\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\", "click here");
	check_both("\x1b]52;c;ZXZpbA==\x07ok", "ok"); /* clipboard write */
	check_both(ESC "]0;t" U_009C "ok", "ok");     /* ended by C1 ST */
	check_both(ESC "]0;t" CAN "ok", "ok");        /* cancelled by CAN */
	check_both("keep\x1b]0;never ends", "keep");
	/* Another ESC ends the string and starts its own sequence. */
	check_both("\x1b]0;t\x1b[31mred", "red");
	/* A line break inside the string does not end it. */
	check_both(ESC "]0;a\nb" BEL "c", "c");
}

static void test_dcs_and_other_strings(void **state)
{
	(void)state;
	check_both("\x1bP1$r0m\x1b\\ok", "ok");             /* DCS */
	check_both("\x1bPq#0;2;0;0;0#0~~@@\x1b\\ok", "ok"); /* sixel */
	check_both("\x1b_Gf=100;AAAA\x1b\\ok", "ok");       /* APC (kitty graphics) */
	check_both("\x1b^secret\x1b\\ok", "ok");            /* PM */
	check_both("\x1bXsos\x1b\\ok", "ok");               /* SOS */
}

static void test_cr_overwrite(void **state)
{
	(void)state;
	/* "safe" must not be hidden under "EVIL" by a carriage return. */
	check("safe\rEVIL", HO_SAN_LINE, "safe EVIL");
	check("safe\rEVIL", HO_SAN_MULTILINE, "safe\nEVIL");
	check("safe\r", HO_SAN_LINE, "safe ");
}

static void test_newline_modes(void **state)
{
	(void)state;
	check("a\nb", HO_SAN_LINE, "a b");
	check("a\nb", HO_SAN_MULTILINE, "a\nb");
	check("a\r\nb", HO_SAN_LINE, "a b");
	check("a\r\nb", HO_SAN_MULTILINE, "a\nb");
	check("a\n\nb", HO_SAN_LINE, "a  b");
	check("a\n\nb", HO_SAN_MULTILINE, "a\n\nb");
	check("a\r\r\nb", HO_SAN_MULTILINE, "a\n\nb");
	check("a\n\rb", HO_SAN_MULTILINE, "a\n\nb");
	/* Other line breaks: VT, FF, NEL, LINE and PARAGRAPH SEPARATOR. */
	check("a\vb\fc" NEL "d" LS "e" PS "f", HO_SAN_LINE, "a b c d e f");
	check("a\vb\fc" NEL "d" LS "e" PS "f", HO_SAN_MULTILINE, "a\nb\nc\nd\ne\nf");
}

static void test_tab(void **state)
{
	(void)state;
	check_both("a\tb", "a b");
	check_both("\t\t", "  ");
}

static void test_c0_and_del(void **state)
{
	(void)state;
	check_both("a" DEL "b", "ab");
	check_both(BEL "bell\b\b", "bell");
	for (unsigned c = 1; c < 0x20; c++) {
		if (c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == 0x0c || c == 0x1b)
			continue;
		check_removed(c);
	}
	check_removed(0x7f);
}

static void test_c1(void **state)
{
	(void)state;
	/* A raw 0x9B byte is the 8-bit CSI of a Latin-1 terminal, and not
	 * UTF-8 at all. */
	check_both("a" CSI8_RAW "31mb", "a" FFFD "31mb");
	/* Encoded as U+009B it is a C1 control: dropped. */
	check_both("a" U_009B "31mb", "a31mb");
	for (uint32_t cp = 0x80; cp <= 0x9f; cp++) {
		if (cp != 0x85) /* NEL is a line break */
			check_removed(cp);
	}
}

static void test_bidi_controls(void **state)
{
	static const uint32_t bidi[] = {0x200e, 0x200f, 0x061c, 0x202a, 0x202b, 0x202c,
	                                0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069};
	(void)state;
	for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++)
		check_removed(bidi[i]);
	/* The "Trojan Source" shape: an override that reorders what is read. */
	check_both("invoice " RLO "fdp.exe", "invoice fdp.exe");
}

static void test_zero_width(void **state)
{
	static const uint32_t invisible[] = {0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062,
	                                     0x2063, 0x2064, 0xfeff, 0x180e, 0x00ad};
	(void)state;
	for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++)
		check_removed(invisible[i]);
	/* Two logins that look alike must not look alike after sanitising. */
	check_both("ad" ZWSP "min", "admin");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	check_both("a\200b", "a" FFFD "b");                  /* lone continuation */
	check_both("a\xe2\x82", "a" FFFD FFFD);              /* truncated at the end */
	check_both("a\xe2\x82z", "a" FFFD FFFD "z");         /* truncated mid-text */
	check_both("\xc0\xaf", FFFD FFFD);                   /* overlong '/' */
	check_both("\xe0\x80\xaf", FFFD FFFD FFFD);          /* overlong, 3 bytes */
	check_both("\xc1\x9b", FFFD FFFD);                   /* overlong ESC [ */
	check_both("\xed\xa0\x80", FFFD FFFD FFFD);          /* surrogate U+D800 */
	check_both("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* U+110000 */
	check_both("\xf5\x80\x80\x80", FFFD FFFD FFFD FFFD);
	check_both("\xff\xfe", FFFD FFFD);
	/* Non-characters: well-formed, but never text. */
	check_both("a\xef\xbf\xbez", "a" FFFD "z");     /* U+FFFE */
	check_both("a\xef\xb7\x90z", "a" FFFD "z");     /* U+FDD0 */
	check_both("a\xf0\x9f\xbf\xbfz", "a" FFFD "z"); /* U+1FFFF */
	/* A replacement character already there is text like any other. */
	check_both(FFFD, FFFD);
}

static void test_unicode_preserved(void **state)
{
	static const char *const texts[] = {
	    "Cheshire and Merseyside ICB",
	    "\xe6\xbc\xa2\xe5\xad\x97\xe3\x81\x8b\xe3\x81\xaa",  /* 漢字かな */
	    "\xef\xbd\xb6\xef\xbe\x85",                          /* ｶﾅ (half-width) */
	    "\xf0\x9f\x98\x80 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", /* 😀 👍🏽 */
	    "Ren\xc3\xa9\xc3\xa9 \xc3\x91o\xc3\xb1o M\xc3\xbcller \xc5\x81\xc3\xb3\xc5\xba",
	    "e\xcc\x81 a\xcc\x8a", /* combining accents */
	    "\xce\xa9 \xd0\x96 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd8\xb3\xd9\x84\xd8\xa7\xd9\x85",
	    "\xe2\x82\xac 12,000 \xc2\xa3 5", /* €, £ */
	    /* England flag: a tag sequence, which must survive whole. */
	    ("\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xa5\xf3\xa0\x81\xae"
	     "\xf3\xa0\x81\xa7\xf3\xa0\x81\xbf"),
	    "\xe2\x9d\xa4\xef\xb8\x8f", /* ❤️ with a variation selector */
	    "\xc2\xa0\xe3\x80\x80",     /* no-break and ideographic spaces */
	};
	(void)state;
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		check_both(texts[i], texts[i]);
}

/* Whatever bytes go in, what comes out is safe for a terminal. */
static void test_random_bytes_come_out_safe(void **state)
{
	char in[257];
	unsigned seed = 12345;
	(void)state;

	for (int round = 0; round < 2000; round++) {
		size_t n = 0;
		for (; n < sizeof in - 1; n++) {
			seed = seed * 1103515245u + 12345u;
			unsigned char b = (unsigned char)(seed >> 16);
			/* Favour the bytes that matter: ESC, C0, C1, lead bytes. */
			if (round % 2 == 0 && (b & 1))
				b = (unsigned char)"\x1b[]\\\x07\r\n\t\xc2\x9b\xe2\x80\xae\xed\xf4"
				    [b % 15];
			if (b == 0)
				b = 'x';
			in[n] = (char)b;
		}
		in[n] = '\0';
		for (int mode = HO_SAN_LINE; mode <= HO_SAN_MULTILINE; mode++) {
			char *out = ho_sanitise(in, mode);
			assert_non_null(out);
			assert_true(is_terminal_safe(out, mode == HO_SAN_MULTILINE));
			assert_null(strstr(out, "\xe2\x80\xae"));
			/* Sanitising is idempotent: clean text passes as it is. */
			char *again = ho_sanitise(out, mode);
			assert_non_null(again);
			assert_string_equal(again, out);
			free(again);
			free(out);
		}
	}
}

/* ---- width ------------------------------------------------------------- */

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(ho_text_width(NULL), 0);
	assert_int_equal(ho_text_width(""), 0);
	assert_int_equal(ho_text_width("hello"), 5);
	assert_int_equal(ho_text_width("\xc3\xa9"), 1);  /* é precomposed */
	assert_int_equal(ho_text_width("e\xcc\x81"), 1); /* e + combining acute */
	assert_int_equal(ho_text_width("caf\xc3\xa9 cafe" ACUTE), 9);
	assert_int_equal(ho_text_width(KAN JI), 4); /* 漢字 */
	assert_int_equal(ho_text_width("abc\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), 9);
	assert_int_equal(ho_text_width("\xef\xbd\xb6"), 1);     /* half-width katakana */
	assert_int_equal(ho_text_width("\xf0\x9f\x98\x80"), 2); /* emoji */
	assert_int_equal(ho_text_width(ELLIPSIS), 1);
	assert_int_equal(ho_text_width("a\200b"), 3); /* a stray byte shows as one */
}

/* ---- fit --------------------------------------------------------------- */

static void test_fit_whole(void **state)
{
	char buf[64];
	(void)state;
	assert_int_equal(ho_text_fit("hello", 10, buf, sizeof buf), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(ho_text_fit("hello", 5, buf, sizeof buf), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(ho_text_fit(KAN JI, 4, buf, sizeof buf), 4);
	assert_string_equal(buf, KAN JI);
	assert_int_equal(ho_text_fit(NULL, 4, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_int_equal(ho_text_fit("", 4, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
}

static void test_fit_cut_with_ellipsis(void **state)
{
	char buf[64];
	(void)state;
	assert_int_equal(ho_text_fit("hello world", 5, buf, sizeof buf), 5);
	assert_string_equal(buf, "hell" ELLIPSIS);
	assert_int_equal(ho_text_fit("hello", 4, buf, sizeof buf), 4);
	assert_string_equal(buf, "hel" ELLIPSIS);
	assert_int_equal(ho_text_fit("hello", 1, buf, sizeof buf), 1);
	assert_string_equal(buf, ELLIPSIS);
}

static void test_fit_never_splits_wide(void **state)
{
	const char *kanji = KAN JI KAN JI; /* 漢字漢字 */
	char buf[64];
	(void)state;

	assert_int_equal(ho_text_fit(kanji, 5, buf, sizeof buf), 5);
	assert_string_equal(buf, KAN JI ELLIPSIS);
	/* Four columns: 漢字 would leave no room for the mark, and half of 字
	 * cannot be shown, so one column stays empty. */
	assert_int_equal(ho_text_fit(kanji, 4, buf, sizeof buf), 3);
	assert_string_equal(buf, KAN ELLIPSIS);
	assert_int_equal(ho_text_fit(kanji, 2, buf, sizeof buf), 1);
	assert_string_equal(buf, ELLIPSIS);
	/* A combining accent stays with its letter. */
	assert_int_equal(ho_text_fit("e" ACUTE "e" ACUTE "e" ACUTE, 2, buf, sizeof buf), 2);
	assert_string_equal(buf, "e" ACUTE ELLIPSIS);
}

static void test_fit_tiny_buffers(void **state)
{
	char buf[16];
	(void)state;

	memset(buf, 'x', sizeof buf);
	assert_int_equal(ho_text_fit("hello", 10, buf, 0), 0);
	assert_int_equal(buf[0], 'x'); /* size 0: nothing written */
	assert_int_equal(ho_text_fit("hello", 10, NULL, 8), 0);

	assert_int_equal(ho_text_fit("hello", 10, buf, 1), 0);
	assert_string_equal(buf, "");

	/* No room for "…" (3 bytes): the cut still shows, as "~". */
	assert_int_equal(ho_text_fit("hello", 10, buf, 2), 1);
	assert_string_equal(buf, "~");
	assert_int_equal(ho_text_fit("hello", 10, buf, 4), 1);
	assert_string_equal(buf, ELLIPSIS);
	assert_int_equal(ho_text_fit("hello", 10, buf, 5), 2);
	assert_string_equal(buf, "h" ELLIPSIS);
	assert_int_equal(ho_text_fit("hello", 10, buf, 6), 5);
	assert_string_equal(buf, "hello");

	/* Never half a character's bytes: 漢 (3) and "…" (3) need 7. */
	assert_int_equal(ho_text_fit(KAN JI, 10, buf, 6), 1);
	assert_string_equal(buf, ELLIPSIS);
	assert_int_equal(ho_text_fit(KAN JI, 10, buf, 7), 4);
	assert_string_equal(buf, KAN JI);
	assert_int_equal(ho_text_fit(KAN JI KAN, 10, buf, 7), 3);
	assert_string_equal(buf, KAN ELLIPSIS);

	assert_int_equal(ho_text_fit("hello", 0, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_int_equal(ho_text_fit("hello", -3, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
}

/* For many texts and widths: the result is within the width asked for, is
 * exactly as wide as reported, and is a prefix of the text (plus a mark). */
static void test_fit_properties(void **state)
{
	static const char *const texts[] = {
	    "Finance: month-end close",
	    KAN JI "\xe3\x81\x8b\xe3\x81\xaa mixed \xf0\x9f\x98\x80 text",
	    "Ren\xc3\xa9 e" ACUTE " \xe2\x82\xac 5",
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
	};
	char buf[64];
	(void)state;

	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		int full = ho_text_width(texts[t]);
		for (int cols = 0; cols <= full + 2; cols++) {
			for (size_t size = 1; size <= sizeof buf; size++) {
				int w = ho_text_fit(texts[t], cols, buf, size);
				assert_true(w <= cols);
				assert_true(strlen(buf) < size);
				assert_int_equal(w, ho_text_width(buf));
				assert_true(is_terminal_safe(buf, 0));
				if (cols >= full && size > strlen(texts[t]))
					assert_string_equal(buf, texts[t]);
			}
		}
	}
}

/* Hangul fillers look like letters to Unicode and like nothing on screen:
 * a name of fillers shows blank, or as someone else's with gaps. Tag
 * characters are invisible and can smuggle text. */
static void test_hangul_fillers_and_tags(void **state)
{
	(void)state;
	check_removed(0x115f);
	check_removed(0x1160);
	check_removed(0x3164);
	check_removed(0xffa0);
	check_removed(0xe0000);
	check_removed(0xe0001);
	check_removed(0xe0041);
	check_removed(0xe007f);
	check_both("Sam\xE3\x85\xA4Sender", "SamSender");
	/* Tags hidden after a flag, or too many of them: dropped; the flag of
	 * a subdivision (England) stays whole (test_unicode_preserved). */
	check_both("\xf0\x9f\x8f\xb4\xf3\xa0\x81\x81\xf3\xa0\x81\x82\xf3\xa0\x81\xbf",
	           "\xf0\x9f\x8f\xb4");
	check_both("\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa1\xf3\xa0\x81\xa1\xf3\xa0\x81\xa1"
	           "\xf3\xa0\x81\xa1\xf3\xa0\x81\xa1\xf3\xa0\x81\xa1\xf3\xa0\x81\xa1"
	           "\xf3\xa0\x81\xa1\xf3\xa0\x81\xbf",
	           "\xf0\x9f\x8f\xb4");
	check_both("x\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xbfy", "xy");
	/* Neighbours of the ranges are ordinary characters. */
	check_both("\xE1\x85\x9E", "\xE1\x85\x9E");         /* U+115E */
	check_both("\xF3\xA0\x82\x80", "\xF3\xA0\x82\x80"); /* U+E0080 */
}

/* A terminal whose locale is not UTF-8 takes each byte of UTF-8 text as a
 * character of its own: 0x9B (in U+00DB, U+201B, ...) is CSI there. Beyond
 * ASCII everything becomes '?', one per character; controls still go. */
static void test_ascii_for_other_locales(void **state)
{
	(void)state;
	check("Zo\xC3\xAB \xC3\x9B \xE2\x80\x9B \xE4\xB8\xAD\xE6\x96\x87",
	      HO_SAN_LINE | HO_SAN_ASCII, "Zo? ? ? ??");
	check("bad \x9B[2J byte \xFF", HO_SAN_LINE | HO_SAN_ASCII, "bad ?[2J byte ?");
	check("a\x1B[31mb\r\nc\xE2\x80\xAE"
	      "d",
	      HO_SAN_MULTILINE | HO_SAN_ASCII, "ab\ncd");
	char *got = ho_sanitise("\xC3\x9B\xC2\x9B\xE2\x80\x9B", HO_SAN_LINE | HO_SAN_ASCII);
	for (const unsigned char *p = (const unsigned char *)got; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	free(got);

	/* ho_sanitise_term: by the locale. */
	assert_non_null(setlocale(LC_CTYPE, "C"));
	assert_int_equal(ho_locale_utf8(), 0);
	got = ho_sanitise_term("Zo\xC3\xAB", HO_SAN_LINE);
	assert_string_equal(got, "Zo?");
	free(got);
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	assert_int_equal(ho_locale_utf8(), 1);
	got = ho_sanitise_term("Zo\xC3\xAB", HO_SAN_LINE);
	assert_string_equal(got, "Zo\xC3\xAB");
	free(got);
}

static void test_fit_non_utf8_locale(void **state)
{
	char buf[16];
	(void)state;

	assert_non_null(setlocale(LC_CTYPE, "C"));
	assert_int_equal(ho_text_fit("hello world", 5, buf, sizeof buf), 5);
	assert_string_equal(buf, "hell~");
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	assert_int_equal(ho_text_fit("hello world", 5, buf, sizeof buf), 5);
	assert_string_equal(buf, "hell" ELLIPSIS);
}

int main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		fprintf(stderr, "test_text: the C.UTF-8 locale is required\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_text_unchanged),
	    cmocka_unit_test(test_null_gives_empty),
	    cmocka_unit_test(test_lone_esc),
	    cmocka_unit_test(test_csi),
	    cmocka_unit_test(test_osc),
	    cmocka_unit_test(test_dcs_and_other_strings),
	    cmocka_unit_test(test_cr_overwrite),
	    cmocka_unit_test(test_newline_modes),
	    cmocka_unit_test(test_tab),
	    cmocka_unit_test(test_c0_and_del),
	    cmocka_unit_test(test_c1),
	    cmocka_unit_test(test_bidi_controls),
	    cmocka_unit_test(test_zero_width),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_unicode_preserved),
	    cmocka_unit_test(test_random_bytes_come_out_safe),
	    cmocka_unit_test(test_width),
	    cmocka_unit_test(test_fit_whole),
	    cmocka_unit_test(test_fit_cut_with_ellipsis),
	    cmocka_unit_test(test_fit_never_splits_wide),
	    cmocka_unit_test(test_fit_tiny_buffers),
	    cmocka_unit_test(test_fit_properties),
	    cmocka_unit_test(test_fit_non_utf8_locale),
	    cmocka_unit_test(test_hangul_fillers_and_tags),
	    cmocka_unit_test(test_ascii_for_other_locales),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
