#!/usr/bin/env bash
# print --all: one roll-up over every handover in the demo file, in every
# format, each read back by something that is not its writer: text in 80
# columns; the PDF through pdftotext (every handover named, Page N of M and
# the document identity in the footer); the CSV through Python's csv
# module; the workbook through openpyxl when it is installed; the Word
# file's XML; HTML's tags. --all with --handover or --function is refused.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

command -v pdftotext >/dev/null || { echo "no pdftotext (poppler-utils): skipped"; exit 77; }

expect 0 -f demo.db --as lead init --demo
export HANDOVER_FILE=$TMP/demo.db

expect 1 print --all --handover 1
err_has "--all is every handover"
err_one_line
expect 1 print --all --function FIN
err_one_line

titles=$(sqlite3 "$TMP/demo.db" "SELECT title FROM handovers ORDER BY id")
check "the demo has two handovers" test "$(printf '%s\n' "$titles" | wc -l)" -eq 2

# Text: the parts, every handover, 80 columns.
expect 0 print --all -o all.txt
check "text: the roll-up's title" grep -q "^HANDOVER ROLL-UP" all.txt
for part in "Executive summary" "Summary by handover" "Summary by function" \
	"Late: overdue items" "Open queries" "Top risks"; do
	check "text has $part" grep -q "^$part\$" all.txt
done
check "text lines fit in 80 columns" perl -CSD -ne 'chomp; s/\f//g; exit 1 if length > 80' all.txt
check "text: a row per handover" test "$(grep -cE '^[12] +(Dental|Optometry)' all.txt)" -eq 2
# The roll-up's late items are the handovers' own documents' together.
late=0
for h in 1 2; do
	expect 0 print --handover "$h"
	n=$(grep -Eo '^Late +[0-9]+' "$OUT_FILE" | grep -Eo '[0-9]+$' || echo 0)
	late=$((late + n))
done
check "text: the summary counts $late overdue items" grep -q "^Late *$late item" all.txt

# PDF.
expect 0 print --all -o all.pdf
pdftotext -layout all.pdf all.pdf.txt
pages=$(pdfinfo all.pdf | awk '/^Pages:/ {print $2}')
while IFS= read -r t; do
	check "pdf names '$t'" grep -qF "${t:0:20}" all.pdf.txt
done <<<"$titles"
check "pdf: Page 1 of $pages" grep -q "Page 1 of $pages" all.pdf.txt
check "pdf: the identity in the footer" grep -q "Document head [0-9a-f]\{16\} state [0-9a-f]\{16\}" all.pdf.txt
check "pdf: fonts embedded" bash -c "! pdffonts all.pdf | tail -n +3 | awk '{print \$(NF-4)}' | grep -qv yes"

# CSV: every row parses, each starts with its table's name.
expect 0 print --all -o all.csv
check "csv parses, every row named by its table" python3 - "$TMP/all.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
tables = {r[0] for r in rows if r}
want = {"Document", "Summary", "Handovers", "Functions", "Late", "Open queries"}
sys.exit(0 if want <= tables else 1)
PY

# Word and HTML.
expect 0 print --all -o all.docx
check "docx has the parts" bash -c 'unzip -p all.docx word/document.xml | grep -q "Summary by function"'
expect 0 print --all -o all.html
check "html: the parts" grep -q "<h2>Summary by handover</h2>" all.html
check "html: no script" bash -c '! grep -qi "<script" all.html'

# The workbook, read back with openpyxl when there is one.
expect 0 print --all -o all.xlsx
py=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import openpyxl' 2>/dev/null; then py=$p; break; fi
done
if [ -n "$py" ]; then
	check "xlsx: a sheet per table, numbers as numbers" "$py" - "$TMP/all.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
need = ["Summary", "Document", "Handovers", "Functions", "Late", "Open queries"]
if any(n not in wb.sheetnames for n in need):
    sys.exit("sheets: %s" % wb.sheetnames)
ws = wb["Handovers"]
if ws.freeze_panes != "A2" or not ws.auto_filter.ref:
    sys.exit("header not frozen or no filter")
if [c.value for c in ws[1]][:2] != ["ID", "Handover"] or not isinstance(ws["D2"].value, int):
    sys.exit("row: %s" % [c.value for c in ws[2]])
PY
fi

finish
