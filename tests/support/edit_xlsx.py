"""Edits an .xlsx workbook the way another producer would: loads it with
openpyxl (not libxlsxwriter, which wrote it), applies the edits named in a
JSON file and saves it.

usage: edit_xlsx.py IN.xlsx OUT.xlsx EDITS.json
EDITS: {"values": {"C3": 12, "I3": "12.5"},      cell values (numbers or text)
        "formulas": {"C3": "=SUM(C4:C14)"},       formulas (saved without results)
        "merge": ["A5:B5"],                        ranges to merge
        "swap_columns": ["C", "D"],                exchange two columns' contents
        "insert_row_before": 7,                    insert a blank row
        "computed_formulas": {"C3": ["SUM(C4:C11)", 36]}}
                                                   formulas with the result a
                                                   spreadsheet stores beside them
"""
import json
import re
import sys
import zipfile

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import column_index_from_string


def main():
    source, target, edits_path = sys.argv[1:4]
    with open(edits_path, encoding="utf-8") as f:
        edits = json.load(f)
    book = load_workbook(source)
    sheet = book.active
    for ref, value in edits.get("values", {}).items():
        sheet[ref] = value
    for ref, formula in edits.get("formulas", {}).items():
        sheet[ref] = formula
    if "swap_columns" in edits:
        a, b = (column_index_from_string(c) for c in edits["swap_columns"])
        for row in range(1, sheet.max_row + 1):
            x, y = sheet.cell(row, a), sheet.cell(row, b)
            if isinstance(x, MergedCell) or isinstance(y, MergedCell):
                continue  # the title and the note span the columns
            x.value, y.value = y.value, x.value
    if "insert_row_before" in edits:
        sheet.insert_rows(edits["insert_row_before"])
    for ref in edits.get("merge", []):
        sheet.merge_cells(ref)
    book.save(target)
    if "computed_formulas" in edits:
        store_computed_formulas(target, edits["computed_formulas"])


def store_computed_formulas(path, formulas):
    """Rewrites cells of the first sheet as <c><f>…</f><v>…</v></c>, as Excel
    saves a formula with its last result (openpyxl keeps no results)."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = parts[name].decode("utf-8")
    for ref, (formula, value) in formulas.items():
        cell = re.compile(r'<c r="%s"( s="\d+")?[^>]*?(/>|>.*?</c>)' % ref)
        match = cell.search(xml)
        style = match.group(1) or ""
        xml = xml[:match.start()] + '<c r="%s"%s><f>%s</f><v>%s</v></c>' % (
            ref, style, formula, value) + xml[match.end():]
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            z.writestr(part, data)


if __name__ == "__main__":
    main()
