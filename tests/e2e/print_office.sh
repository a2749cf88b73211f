#!/usr/bin/env bash
# The Excel workbook and the Word document, read back by readers that are
# not the writers (openpyxl; the zip's XML): sheets, frozen header rows,
# autofilters, dates as dates, RAG fills, text that looks like a formula
# stored as text, the head hash in the properties; the format following the
# name's extension and an extension that names none refused.
# Exits 77 (skipped) only when python3-openpyxl is missing.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import openpyxl' 2>/dev/null; then
		PY=$p
		break
	fi
done
if [ -z "$PY" ]; then
	echo "print_office: python3-openpyxl is missing (apt-get install python3-openpyxl)" >&2
	exit 77
fi
READ=$HO_SRC/tests/e2e/read_back.py

expect 0 -f demo.db --as lead init --demo
export HANDOVER_FILE=$TMP/demo.db
# Text a spreadsheet would take for a formula, typed into the file.
expect 0 --as lead comment --handover 1 FIN-1 '=HYPERLINK("http://example.invalid","click")'
expect 0 --as lead comment --handover 1 FIN-1 '+1+2'

# The format from the extension, any case.
expect 0 --as lead print --handover 1 -o doc.XLSX
out_has "wrote xlsx"
check "xlsx is a zip" bash -c 'head -c 2 doc.XLSX | grep -q PK'
expect 0 --as lead print --handover 1 -o doc.docx
out_has "wrote docx"
# An extension that names no format is refused; nothing is written.
expect 1 print --handover 1 -o doc.odt
err_has "the extension names no format"
err_one_line_or_hint() { test "$(wc -l <"$ERR_FILE")" -le 2; }
check "refusal is short" err_one_line_or_hint
check "no doc.odt" test ! -e doc.odt
# A binary format does not go to a terminal, and --format overrides the name.
expect 0 --as lead print --handover 1 --format xlsx -o sheet.bin
check "--format xlsx wins over the name" bash -c 'head -c 2 sheet.bin | grep -q PK'

LAST="read_back.py xlsx-check doc.XLSX"
"$PY" "$READ" xlsx-check doc.XLSX >check.txt 2>&1
RC=$?
check "the workbook reads back as written: $(tr '\n' ';' <check.txt)" test "$RC" -eq 0
"$PY" "$READ" xlsx-text doc.XLSX >cells.txt
check "formula-looking text is kept as text" grep -qF '=HYPERLINK("http://example.invalid","click")' cells.txt
check "every sheet is there" grep -qx "Carried forward" cells.txt

"$PY" "$READ" docx-text doc.docx >docx.txt
check "docx has the cover title" grep -q "^Dental: NHS England North West" docx.txt
check "docx has every function" test "$(grep -c '^[A-Z][A-Z][A-Z] — ' docx.txt)" -ge 10
check "docx has the head hash" grep -Eq '^[0-9a-f]{64}$' docx.txt
unzip_part() { "$PY" -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$@"; }
unzip_part doc.docx word/footer1.xml >footer.xml
check "docx footer: marking, date, Page N of M" bash -c \
	'grep -q "OFFICIAL — DRAFT" footer.xml && grep -q "Printed 2026-11-22 10:00 UTC" footer.xml && grep -q " NUMPAGES " footer.xml'
# The identity on a line of its own, centred: beside the date it ran into
# the marking when opened (LibreOffice).
check "docx footer: the document identity in a paragraph of its own" bash -c \
	'grep -o "<w:p>" footer.xml | wc -l | grep -qx 2 && grep -q "w:jc w:val=\"center\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Document head " footer.xml'
unzip_part doc.docx word/styles.xml >styles.xml
check "docx: a page per function (Heading 1 breaks the page)" grep -q '<w:pageBreakBefore/>' styles.xml

finish
