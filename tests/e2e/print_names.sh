#!/usr/bin/env bash
# Every character of every name, title and note prints exactly, in every
# format: Polish, Vietnamese, Czech, Chinese, Japanese, emoji and straight
# apostrophes. The PDF's text is read back with pdftotext and its fonts with
# pdffonts (every one embedded); the workbook with openpyxl, the Word file's
# XML with Python's zipfile. Exits 77 (skipped) only when poppler-utils is
# missing.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

for tool in pdftotext pdffonts; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "print_names: $tool is missing (apt-get install poppler-utils)" >&2
		exit 77
	fi
done

names=("Łukasz Wiśniewski" "Nguyễn Thị Hương" "Antonín Dvořák" "王秀英" "佐藤 花子"
	"Siobhán O'Brien 😀")
title="Dvořák's handover: 北京 to 東京 🎉"
item="Łódź register for 王秀英 and 佐藤花子 ✅"
note="Nguyễn's note: keep O'Brien's 'quotes' straight 🙂"

expect 0 --as lead init --title "$title"
export HANDOVER_FILE=$TMP/handover.db
expect 0 --as lead people add lukasz --name "${names[0]}" --role sender
expect 0 --as lead people add nguyen --name "${names[1]}" --role receiver
expect 0 --as lead people add dvorak --name "${names[2]}" --role sender
expect 0 --as lead people add wang --name "${names[3]}" --role receiver
expect 0 --as lead people add sato --name "${names[4]}" --role sender
expect 0 --as lead people add obrien --name "${names[5]}" --role receiver
printf 'Function code,Function name,Item title,Guidance,Due date\n' >list.csv
printf 'INT,Intelligence for %s,%s,Guidance by %s,2026-12-01\n' "${names[2]}" "$item" \
	"${names[4]}" >>list.csv
printf 'OTH,Other work of %s,Second item of %s,,\n' "${names[3]}" "${names[5]}" >>list.csv
expect 0 --as lead import list.csv
expect 0 --as lead pair INT --sender lukasz --receiver nguyen
expect 0 --as lead pair OTH --sender sato --receiver obrien
expect 0 --as lukasz mark INT-1 handed-over --evidence "Evidence of ${names[0]}" --note "$note"
expect 0 --as obrien comment OTH-1 "Comment by ${names[5]}"

wanted=("${names[@]}" "$title" "$item" "$note")

# One line per check: the text with runs of white space made one space, so a
# name wrapped at a line or cell end still reads as one.
flat() { tr -s ' \n\t\f\r' '     ' <"$1"; }
has_all() {
	local file=$1 label=$2 w
	flat "$file" >"$file.flat"
	for w in "${wanted[@]}"; do
		check "$label gives back \"$w\"" grep -qF -- "$w" "$file.flat"
	done
}

for fmt in text markdown html; do
	expect 0 print --format "$fmt" -o "doc.$fmt"
	# HTML escapes the apostrophe; compare what a browser shows.
	if [ "$fmt" = html ]; then
		sed "s/&#39;/'/g; s/&amp;/\\&/g" doc.html >doc.html.txt
		has_all doc.html.txt html
	else
		has_all "doc.$fmt" "$fmt"
	fi
done
# CSV is one row per item, without the threads: everything but the note.
expect 0 print -o doc.csv
note_saved=$note
wanted=("${names[@]}" "$title" "$item")
has_all doc.csv csv
wanted+=("$note_saved")

# The workbook and the Word file, read back by other readers.
PY=
for p in /usr/bin/python3 python3; do
	"$p" -c 'import openpyxl' 2>/dev/null && PY=$p && break
done
if [ -n "$PY" ]; then
	expect 0 print -o doc.xlsx
	"$PY" "$HO_SRC/tests/e2e/read_back.py" xlsx-text doc.xlsx >doc.xlsx.txt
	has_all doc.xlsx.txt xlsx
	expect 0 print -o doc.docx
	"$PY" "$HO_SRC/tests/e2e/read_back.py" docx-text doc.docx >doc.docx.txt
	has_all doc.docx.txt docx
elif [ "${HO_STRICT:-0}" = 1 ]; then
	fail "python3-openpyxl is missing: the workbook and the Word file were not read back"
fi

expect 0 --as lead print -o doc.pdf
pdftotext -enc UTF-8 doc.pdf doc.pdf.txt
check "pdftotext read the PDF" test -s doc.pdf.txt
has_all doc.pdf.txt pdf
check "the apostrophes are straight" bash -c '! grep -q "[‘’]" doc.pdf.txt'
pdffonts doc.pdf >fonts.txt
check "pdffonts lists fonts" test "$(tail -n +3 fonts.txt | wc -l)" -ge 2
check "every font is embedded" awk 'NR > 2 && $(NF - 4) != "yes" { bad = 1 } END { exit bad }' fonts.txt
pdfinfo doc.pdf >info.txt
check "pdf title is the handover's" grep -qF "Title:           $title" info.txt
check "pdf has an author" grep -q "^Author: .*lead" info.txt
check "pdf has a subject" grep -q "^Subject: *Handover document" info.txt
pages=$(sed -n 's/^Pages: *//p' info.txt)
check "Page N of M on every page" test "$(grep -c "Page [0-9]* of $pages" doc.pdf.txt)" -eq "$pages"
check "the marking is DRAFT before the lead signs" grep -q "OFFICIAL — DRAFT" doc.pdf.txt
check "the running header names the function" grep -q "INT — Intelligence for" doc.pdf.txt

finish
