/* handover: what belongs to the terminal, apart from the core's API. Text
 * for a screen is sanitised like any other (ho_sanitise), then made safe
 * for the terminal's locale and fitted to its columns here. The command
 * line and the screens use these; documents do not. */
#ifndef HANDOVER_TERMINAL_H
#define HANDOVER_TERMINAL_H

#include <stddef.h>

#include "handover/handover.h"

/* HO_SAN_ASCII (or'ed into mode): every character beyond ASCII, and every
 * bad byte, becomes '?'. For a terminal whose locale is not UTF-8, which
 * would take the bytes of UTF-8 text as characters of its own, some of them
 * controls (0x9B is CSI in 8-bit terminals). ho_sanitise_term() adds it
 * when the locale (LC_CTYPE) is not UTF-8: for text bound for a terminal. */
char *ho_sanitise_term(const char *in, int mode);
/* 1 when the locale's character set (LC_CTYPE) is UTF-8. */
int ho_locale_utf8(void);

/* Display width in terminal columns of already-sanitised UTF-8 text
 * (wcwidth per code point; needs setlocale(LC_CTYPE, "") for wide chars). */
int ho_text_width(const char *s);
/* Copy at most `cols` display columns of sanitised text `s` into buf
 * (size bytes), adding "…" when cut (or "~" when the locale is not UTF-8);
 * returns the width written. Never splits a character. */
int ho_text_fit(const char *s, int cols, char *buf, size_t size);

#endif
