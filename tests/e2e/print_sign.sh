#!/usr/bin/env bash
# Documents fit to sign, through the real binary on the demo file: a
# condition's owner and due date (mark --owner/--due, refusals), the
# distribution (set --distribution), and in the PDF every page's footer with
# the document identity and Page N of M, the contents with page numbers,
# DRAFT only as a watermark, the document control table, the executive
# summary, carried forward listing every item not accepted, the sign-off
# blocks with the declaration, and the glossary.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

command -v pdftotext >/dev/null || { echo "no pdftotext (poppler-utils): skipped"; exit 77; }

expect 0 -f demo.db --as lead init --demo
export HANDOVER_FILE=$TMP/demo.db

# --- a condition's terms ------------------------------------------------------
# An item handed over and waiting for its function's receiver.
row=$(sqlite3 -separator ' ' "$TMP/demo.db" "SELECT f.code || '-' || i.number, p.login FROM items i JOIN functions f ON f.id = i.function_id JOIN people p ON p.id = f.receiver_id WHERE f.handover_id = 1 AND i.receiver_state = 'pending' AND i.retired_at IS NULL ORDER BY f.position, i.position LIMIT 1")
ref=${row%% *}
rcv=${row##* }
check "the demo has an item waiting for review" test -n "$ref" -a -n "$rcv"

expect 1 --as "$rcv" mark "$ref" accepted --owner sam --handover 1
err_has "--owner and --due belong to accepted-with-conditions"
err_one_line
expect 1 --as "$rcv" mark "$ref" accepted-with-conditions --note "Re-run in April" \
	--owner nobody.here --handover 1
err_has "condition owner 'nobody.here' is not one of the file's people"
err_one_line
expect 1 --as "$rcv" mark "$ref" accepted-with-conditions --note "Re-run in April" \
	--due 31/02/2027 --handover 1
err_one_line
expect 0 --as lead gaps --handover 1
out_lacks "Re-run in April"
expect 0 --as "$rcv" mark "$ref" accepted-with-conditions --note "Re-run in April" \
	--owner sender-side --due 15/03/2027 --handover 1
expect 0 --as lead gaps --handover 1
out_has "Re-run in April"
out_has "sender side (NHS Englan"
expect 0 verify

# --- the distribution -------------------------------------------------------------
expect 0 --as lead set --handover 1 --distribution "Regional director; ICB chief executive"
expect 0 print --handover 1 -o doc.txt
check "the control table has the distribution" \
	grep -q "^Distribution *Regional director; ICB chief executive" doc.txt
check "the control table has the version" grep -q "^Version *[0-9]* (changes in the file's history)" doc.txt
check "carried forward: the condition is owned by the sender side" \
	grep -q "Condition. Owner: sender side (NHS England North West). Due 2027-03-15." doc.txt

# --- the PDF ------------------------------------------------------------------------
expect 0 print --handover 1 -o doc.pdf
pdftotext -layout doc.pdf doc.pdf.txt
pages=$(pdfinfo doc.pdf | awk '/^Pages:/ {print $2}')
check "the PDF has pages" test "$pages" -gt 10
expect 0 verify
head16=$(grep -Eo 'head hash [0-9a-f]{64}' "$OUT_FILE" | head -1 | cut -c11-26)
[ -n "$head16" ] || head16=$(grep -Eo '[0-9a-f]{64}' "$OUT_FILE" | head -1 | cut -c1-16)
# One footer per page: Page N of M and the document identity on each.
for n in 1 "$pages"; do
	pdftotext -f "$n" -l "$n" doc.pdf page.txt
	check "page $n says Page $n of $pages" grep -q "Page $n of $pages" page.txt
	check "page $n carries the document identity" grep -q "Document head $head16" page.txt
	check "page $n carries the marking and status" grep -q "OFFICIAL — DRAFT" page.txt
done
check "DRAFT is a watermark, not text" bash -c '! grep -qx " *DRAFT *" doc.pdf.txt'
check "the contents list the carried forward page" grep -Eq "^ *Carried forward +[0-9]+$" doc.pdf.txt
cf=$(grep -Eo "^ *Carried forward +[0-9]+$" doc.pdf.txt | grep -Eo '[0-9]+$')
pdftotext -f "$cf" -l "$cf" doc.pdf page.txt
check "the contents' page for carried forward is right" grep -q "^Carried forward" page.txt
check "document control on page 1" bash -c 'pdftotext -f 1 -l 1 doc.pdf - | grep -q "Document control"'
check "executive summary" grep -q "Before sign-off" doc.pdf.txt
check "the declaration" grep -q "I confirm the items above are received as recorded, subject to the conditions listed." doc.pdf.txt
check "the glossary" grep -q "Pre-Delegation Assessment Framework" doc.pdf.txt

# Carried forward lists every item not yet accepted: as many rows as the
# summary's items minus accepted.
total=$(sqlite3 "$TMP/demo.db" "SELECT count(*) FROM items i JOIN functions f ON f.id = i.function_id WHERE f.handover_id = 1 AND i.retired_at IS NULL AND f.retired_at IS NULL AND i.receiver_state NOT IN ('accepted', 'conditions')")
expect 0 print --handover 1 --format markdown -o doc.md
listed=$(awk '/^### Items not yet accepted/ {on = 1; next} /^### / {on = 0} on && /^- \*\*/' doc.md | wc -l)
check "carried forward lists all $total items not accepted" test "$listed" -eq "$total"

finish
