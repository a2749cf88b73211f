#!/usr/bin/env bash
# print, export and import through the real binary, on the demo file: every
# document format, the spreadsheet round trip, and a malformed import that
# is refused with its line number and leaves the file unchanged.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

expect 0 -f demo.db --as lead init --demo
export HANDOVER_FILE=$TMP/demo.db

# The demo holds two handovers: printing needs a choice.
expect 1 print
err_has "--handover"

# Text: at most 80 columns, a form feed before each function.
expect 0 print --handover 1 -o doc.txt
out_has "doc.txt"
check "text starts with the cover" grep -q "^HANDOVER DOCUMENT" doc.txt
check "text lines fit in 80 columns" perl -CSD -ne 'chomp; s/\f//g; exit 1 if length > 80' doc.txt
check "a page per function" test "$(tr -cd '\f' <doc.txt | wc -c)" -ge 10
check "the history head on the last page" grep -q "^RECORD OF THE FILE AT PRINTING" doc.txt
expect 0 verify
head_hash=$(grep -Eo '[0-9a-f]{64}' "$OUT_FILE" | head -n 1)
check "the printed head hash is the file's" grep -q "$head_hash" doc.txt

# Markdown and HTML.
expect 0 print --handover 1 --format markdown
out_has "# Handover document:"
out_has "## Carried forward"
expect 0 print --handover 1 -o doc.html
check "html doctype" grep -q '^<!doctype html>' doc.html
check "html has a print style sheet" grep -q '@media print' doc.html
check "html prints Page N of M" grep -q 'counter(page) " of " counter(pages)' doc.html
check "html prints the marking" grep -q 'OFFICIAL — DRAFT' doc.html
check "html's running header names the function" grep -q 'section>h2{string-set:part' doc.html
check "html has no script" bash -c '! grep -qi "<script" doc.html'
check "html loads nothing" bash -c '! grep -Eqi "(src|href)=\"(https?:)?//" doc.html'

# One function.
expect 0 print --handover 1 --function FIN --format text
out_has "HANDOVER DOCUMENT: ONE FUNCTION"
out_has "FIN-1"
out_lacks "GOV-1 "

# CSV: one row per item, a byte order mark, CR LF line ends.
expect 0 print --handover 2 --format csv -o doc.csv
check "csv starts with a BOM and the header" \
	bash -c 'head -c 40 doc.csv | grep -q "^$(printf "\xef\xbb\xbf")Handover ID,Handover,"'
check "csv rows end in CR LF" bash -c 'head -n 1 doc.csv | grep -q $'"'"'\r$'"'"''

# PDF, laid out in process: no program on PATH is needed.
expect 0 print --handover 1 -o doc.pdf
check "pdf magic" bash -c 'head -c 4 doc.pdf | grep -q "%PDF"'
pages=$(grep -ac '/Type /Page$\|/Type /Page[^s]' doc.pdf)
check "pdf has a page per function" test "$pages" -ge 10
expect 0 print --handover 1 --function DIG --format pdf -o dig.pdf
check "function pdf" bash -c 'head -c 4 dig.pdf | grep -q "%PDF"'
mkdir -p nobin
LAST="print --format pdf (empty PATH)"
PATH=$TMP/nobin "$HANDOVER_BIN" print --handover 1 --format pdf -o nopath.pdf \
	>"$OUT_FILE" 2>"$ERR_FILE" </dev/null
RC=$?
check "pdf with nothing on PATH" test "$RC" -eq 0
check "pdf with nothing on PATH is a PDF" bash -c 'head -c 4 nopath.pdf | grep -q "%PDF"'

# Export, then import the checklist into a new file: the same items.
expect 0 export -o tracker.csv
check "export has both handovers" bash -c 'grep -q "^1,Dental" tracker.csv && grep -q "^2,Optometry" tracker.csv'
expect 0 print --handover 1 --format csv -o dental.csv
items=$(($(grep -c $'\r$' dental.csv) - 1))
ho -f new.db --as lead init --title "Copy of the dental checklist"
check "new file" test "$RC" -eq 0
# Its handover (Dental) is not in the new file, whose template handover has
# another title: the import creates it.
expect 0 -f new.db --as lead import dental.csv
out_has "import: $items added, 0 changed, 0 left alone (1 new handover"
# Imported again: every row matches the item it made.
expect 0 -f new.db --as lead import dental.csv
out_has "import: 0 added, 0 changed, $items left alone"
expect 0 -f new.db --as lead export
check "the same number of items" test "$(($(grep -c $'\r$' "$OUT_FILE") - 1))" -ge "$items"

# A malformed template: refused with the line, nothing written.
printf 'Function code,Function name,Item title\r\nFIN,Finance,Good row\r\nFIN,,Bad "quote"\r\n' >bad.csv
sum=$(checksum new.db)
expect 1 -f new.db --as lead import bad.csv
err_has "line 3"
err_one_line
same_sum new.db "$sum"
printf 'Function code,Colour,Item title\r\nFIN,red,x\r\n' >bad2.csv
expect 1 -f new.db --as lead import bad2.csv
err_has "line 1"
err_has "Colour"
same_sum new.db "$sum"

finish
