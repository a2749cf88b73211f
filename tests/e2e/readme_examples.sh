#!/usr/bin/env bash
# The README's examples run as written: every ```sh block that sets
# HANDOVER_FILE is taken from README.md and run in its own empty folder with
# `handover` on the PATH, stopping at the first command that fails. So the
# README cannot drift from the program again.
. "$(dirname "$0")/lib.sh"

README=${HO_SRC:-$(dirname "$0")/../..}/README.md
[ -r "$README" ] || { echo "cannot read $README" >&2; exit 2; }

mkdir -p bin
ln -s "$HANDOVER_BIN" bin/handover

# The blocks, one file each: example-1.sh, example-2.sh, ...
awk '
	/^```sh$/ { inblock = 1; text = ""; next }
	/^```$/ && inblock {
		inblock = 0
		if (text ~ /export HANDOVER_FILE=/) {
			n++
			f = "example-" n ".sh"
			printf "%s", text > f
			close(f)
		}
		next
	}
	inblock { text = text $0 "\n" }
' "$README"
check "the README has both examples" test -s example-1.sh -a -s example-2.sh

# run N: the block in folder N; sets RC, OUT, ERR like ho.
run() {
	mkdir "ex$1"
	LAST="(README example $1)"
	(cd "ex$1" && PATH=$TMP/bin:$PATH bash -e "../example-$1.sh") >"$OUT_FILE" 2>"$ERR_FILE" </dev/null
	RC=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
}

# The worked example: from an empty folder to a signed, printed handover.
run 1
check "example 1 runs to its end" test "$RC" -eq 0
err_has "sign: FIN: not ready: every item must be accepted first: FIN-1, FIN-2, FIN-4"
err_has "wait on sam (sender, to hand over)"
out_has "signed off"
check "the document is printed" test -s ex1/dental-handover.html
check "the document says who signed" grep -q "lena" ex1/dental-handover.html
ho -f ex1/dental.db status
out_has "10/10 functions signed off"
out_lacks "not signed off by a lead"
ho -f ex1/dental.db verify
check "its history verifies" test "$RC" -eq 0

# From a spreadsheet to a running handover.
run 2
check "example 2 runs to its end" test "$RC" -eq 0
out_has "import --dry-run: 3 added, 0 changed, 0 left alone (1 new handover, 2 new functions"
out_has "import: 3 added, 0 changed, 0 left alone"
out_has "import: 0 added, 0 changed, 3 left alone"
out_has "Optometry transfer"
ho -f ex2/optometry.db export
out_has "Optometry transfer,FIN,Finance,2027-03-31,FIN-2,Accruals agreed,,2026-12-15"
out_has "Optometry transfer,CON,Contracting,,CON-1,Contract register shared"

finish
