/* Finding rows as a person reads them: text compared without regard to case
 * or the common Latin accents ("zoe" finds "Zoë", "OBRIEN" does not, but
 * "o'brien" finds "O'Brien" and "siobhan" finds "Siobhán"), and item
 * references typed where a search could go. */
#ifndef HANDOVER_TUI_FIND_H
#define HANDOVER_TUI_FIND_H

#include <stddef.h>

/* UTF-8 text folded for comparing: ASCII letters in lower case, Latin-1
 * and Latin Extended-A letters as their base letters in lower case ("É" ->
 * "e", "ß" -> "ss", "Æ" -> "ae", "Ł" -> "l"); everything else as it is.
 * Malloc'd; NULL when out of memory. */
char *tui_fold(const char *utf8);
/* Does `hay` contain `needle`, both folded? An empty needle matches. */
int tui_match(const char *hay, const char *needle);
/* Is `text` (spaces around it ignored) an item reference such as "FIN-3"
 * or "dig-12": a code of letters and digits starting with a letter, a dash
 * and a number? The reference without the spaces goes to `out`. */
int tui_is_ref(const char *text, char *out, size_t size);

#endif
