"""Read a workbook or a Word file back with a reader that is not the writer.

    read_back.py xlsx-text FILE    every cell's value, one a line
    read_back.py docx-text FILE    the text of every paragraph, one a line
    read_back.py xlsx-check FILE   the demo handover's workbook: sheets, header
                                   rows, frozen panes, autofilters, cell types,
                                   RAG fills, properties; a line per failure

Exits 0 when everything holds, 1 otherwise, 77 when openpyxl is missing.
"""
import datetime
import re
import sys
import zipfile

try:
    import openpyxl
except ImportError:
    print("read_back: python3-openpyxl is missing", file=sys.stderr)
    sys.exit(77)


def xlsx_text(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        print(ws.title)
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    print(c.value)
    return 0


def docx_text(path):
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
        text = (text.replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", '"').replace("&amp;", "&"))
        print(text)
    return 0


FILLS = {"red": "FFC00000", "amber": "FFFFC000", "green": "FF00B050"}


def xlsx_check(path):
    bad = []
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    if names[0] != "Summary" or names[-2:] != ["Carried forward", "Document"]:
        bad.append(f"sheets: {names}")
    functions = names[1:-2]
    if len(functions) < 10:
        bad.append(f"a sheet per function: only {functions}")
    for ws in wb.worksheets:
        if ws.freeze_panes != "A2":
            bad.append(f"{ws.title}: frozen at {ws.freeze_panes}, not below the header")
        if not ws.auto_filter.ref or not ws.auto_filter.ref.startswith("A1:"):
            bad.append(f"{ws.title}: no autofilter over the header ({ws.auto_filter.ref})")
        for c in ws[1]:
            if not c.font.b:
                bad.append(f"{ws.title}!{c.coordinate}: header not bold")
        footer = ws.oddFooter
        if "Page &P of &N" not in (footer.right.text or "") or "DRAFT" not in (footer.left.text or ""):
            bad.append(f"{ws.title}: footer {footer.left.text!r} {footer.right.text!r}")
        if not ws.column_dimensions["B"].customWidth:
            bad.append(f"{ws.title}: column B has no width of its own")
    s = wb["Summary"]
    head = [c.value for c in s[1]]
    if head[:5] != ["Code", "Function", "Sender", "Receiver", "Due date"]:
        bad.append(f"Summary header {head}")
    rag_col = head.index("RAG") + 1
    items_col = head.index("Items") + 1
    seen = set()
    for r in range(2, s.max_row + 1):
        code = s.cell(r, 1)
        if code.data_type != "s":
            bad.append(f"Summary!{code.coordinate} is not text")
        due = s.cell(r, 5)
        if due.value is not None and not isinstance(due.value, datetime.datetime):
            bad.append(f"Summary!{due.coordinate} is not a date: {due.value!r}")
        if not isinstance(s.cell(r, items_col).value, int):
            bad.append(f"Summary items not a number in row {r}")
        rag = s.cell(r, rag_col)
        if rag.value in FILLS:
            seen.add(rag.value)
            if rag.fill.fgColor.rgb != FILLS[rag.value]:
                bad.append(f"Summary!{rag.coordinate} {rag.value} filled {rag.fill.fgColor.rgb}")
    if seen != {"red", "amber", "green"}:
        bad.append(f"RAG fills seen: {sorted(seen)}")
    gov = wb[functions[0]]
    if [c.value for c in gov[1]][:3] != ["Ref", "Item", "Due date"]:
        bad.append(f"{gov.title} header {[c.value for c in gov[1]]}")
    due = gov["C2"]
    if not isinstance(due.value, datetime.datetime) or due.number_format != "yyyy-mm-dd":
        bad.append(f"{gov.title}!C2 not a yyyy-mm-dd date: {due.value!r} {due.number_format}")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    bad.append(f"{ws.title}!{c.coordinate} is a formula: {c.value}")
    p = wb.properties
    if not p.keywords or not re.fullmatch(r"[0-9a-f]{64}", p.keywords):
        bad.append(f"no head hash in the properties' keywords: {p.keywords!r}")
    if not p.title or not p.creator:
        bad.append(f"title {p.title!r}, author {p.creator!r}")
    doc = wb["Document"]
    facts = {doc.cell(r, 1).value: doc.cell(r, 2).value for r in range(2, doc.max_row + 1)}
    if facts.get("Head hash") != p.keywords:
        bad.append("the Document sheet's head hash is not the properties'")
    for b in bad:
        print(b)
    return 1 if bad else 0


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    mode, path = sys.argv[1], sys.argv[2]
    return {"xlsx-text": xlsx_text, "docx-text": docx_text, "xlsx-check": xlsx_check}[mode](path)


if __name__ == "__main__":
    sys.exit(main())
