/* Fuzz target: the sanitiser and the display-width code.
 *
 * Input: the first byte picks the mode (bit 0) and a column count (the
 * rest); the remaining bytes are the text. For any input:
 *   - ho_sanitise() returns valid UTF-8 with no C0/C1 control (but '\n' in
 *     multi-line mode), no DEL, no ESC, no bidi control, no invisible
 *     character the header names, no noncharacter; and is idempotent;
 *   - ho_text_width() is at most two columns per character;
 *   - ho_text_fit() never writes more than the buffer holds, never splits a
 *     character, never exceeds the columns, returns the width of what it
 *     wrote, and gives the text unchanged when it fits. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "handover/handover.h"
#include "handover/terminal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* The application runs in the user's UTF-8 locale. */
	setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

static int forbidden(uint32_t cp, int mode)
{
	if (cp == '\n')
		return mode == HO_SAN_LINE;
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return 1;
	if (cp == 0x2028 || cp == 0x2029) /* line and paragraph separators */
		return 1;
	if (cp == 0x00ad || cp == 0x061c || cp == 0x180e || cp == 0xfeff)
		return 1;
	if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x206f) || (cp >= 0xfff9 && cp <= 0xfffb))
		return 1;
	if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
		return 1;
	if (cp == 0x115f || cp == 0x1160 || cp == 0x3164 || cp == 0xffa0) /* Hangul fillers */
		return 1;
	return 0;
}

static void check_clean(const char *out, int mode)
{
	const unsigned char *p = (const unsigned char *)out;
	uint32_t before = 0;
	while (*p) {
		uint32_t cp;
		int n = fuzz_utf8_char(p, &cp);
		FUZZ_CHECK(n > 0, "sanitised text is not UTF-8 at byte %zu",
		           (size_t)(p - (const unsigned char *)out));
		FUZZ_CHECK(!forbidden(cp, mode), "U+%04X survived sanitising (mode %d)",
		           (unsigned)cp, mode);
		/* Tag characters only in a flag: after U+1F3F4 or another tag. */
		if (cp >= 0xe0000 && cp <= 0xe007f)
			FUZZ_CHECK(before == 0x1f3f4 || (before >= 0xe0000 && before < 0xe007f),
			           "tag U+%05X outside a flag", (unsigned)cp);
		before = cp;
		p += n;
	}
}

/* For a terminal whose locale is not UTF-8: printable ASCII only. */
static void check_ascii(const char *out, int mode)
{
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		FUZZ_CHECK((*p >= 0x20 && *p < 0x7f) || (*p == '\n' && mode == HO_SAN_MULTILINE),
		           "byte 0x%02X survived sanitising for ASCII", *p);
}

static size_t chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	return n;
}

static void check_fit(const char *text, int cols, size_t size, int whole_width)
{
	char *buf = malloc(size);
	memset(buf, 0x55, size);
	int w = ho_text_fit(text, cols, buf, size);
	size_t len = strnlen(buf, size);
	FUZZ_CHECK(len < size, "ho_text_fit left no NUL in %zu bytes", size);
	FUZZ_CHECK(w >= 0 && w <= (cols > 0 ? cols : 0), "width %d for %d columns", w, cols);
	FUZZ_CHECK(fuzz_utf8_valid(buf), "ho_text_fit split a character");
	FUZZ_CHECK(ho_text_width(buf) == w, "returned width %d, wrote %d columns", w,
	           ho_text_width(buf));
	/* (No columns at all give nothing, even for text of no width.) */
	if (cols > 0 && whole_width <= cols && strlen(text) < size)
		FUZZ_CHECK(strcmp(buf, text) == 0, "text that fits was changed");
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int mode = data[0] & 1 ? HO_SAN_MULTILINE : HO_SAN_LINE;
	int cols = data[0] >> 1;
	char *in = fuzz_string(data + 1, size - 1);

	char *out = ho_sanitise(in, mode);
	FUZZ_CHECK(out != NULL, "ho_sanitise returned NULL");
	check_clean(out, mode);
	char *again = ho_sanitise(out, mode);
	FUZZ_CHECK(again && strcmp(again, out) == 0, "sanitising twice changed the text");
	free(again);
	char *ascii = ho_sanitise(in, mode | HO_SAN_ASCII);
	FUZZ_CHECK(ascii != NULL, "ho_sanitise returned NULL");
	check_ascii(ascii, mode);
	free(ascii);

	int w = ho_text_width(out);
	FUZZ_CHECK(w >= 0 && (size_t)w <= 2 * chars(out), "width %d for %zu characters", w,
	           chars(out));
	static const size_t sizes[] = {1, 2, 3, 4, 5, 8, 17, 64};
	const int colset[] = {0, 1, 2, 3, cols, w, w > 0 ? w - 1 : 0};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
		for (size_t c = 0; c < sizeof colset / sizeof *colset; c++)
			check_fit(out, colset[c], sizes[i], w);
	check_fit(out, cols, strlen(out) + 1, w);
	check_fit(out, w, strlen(out) + 1, w);

	/* Text that was not sanitised must not crash the width code either. */
	char raw[32];
	ho_text_width(in);
	ho_text_fit(in, cols, raw, sizeof raw);
	FUZZ_CHECK(strnlen(raw, sizeof raw) < sizeof raw, "no NUL on raw text");

	free(out);
	free(in);
	return 0;
}
