"""Read back what an office program wrote, with the standard library only.

Used by the fixture scripts to check each file they make, independently of ctgxl and of
openpyxl (absent from the system Python that drives LibreOffice): the cells of one sheet,
its hidden rows and merged ranges, from an .xlsx (``sheetN.xml``) or an .ods
(``content.xml``).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass
class SheetContent:
    """Cells holding a value (row number -> column number -> value, both 1-based)."""

    cells: dict[int, dict[int, object]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)

    def row(self, number: int) -> list[object]:
        cells = self.cells.get(number, {})
        return [cells.get(c) for c in range(1, max(cells, default=0) + 1)]

    def column(self, number: int) -> list[object]:
        """Values of one column, below the header row, on rows that hold any value."""
        return [self.cells[r].get(number) for r in sorted(self.cells) if r > 1]

    def data_rows(self) -> list[int]:
        return [r for r in sorted(self.cells) if r > 1]


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_sheet(path: str, name: str) -> SheetContent:
    with zipfile.ZipFile(path) as book:
        if "content.xml" in book.namelist():
            return _ods_sheet(book, name)
        return _xlsx_sheet(book, name)


def xlsx_sheet_part(book: zipfile.ZipFile, name: str) -> str:
    """Zip path of the worksheet named ``name`` in an .xlsx."""
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{PKG_REL}Relationship")}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        if sheet.get("name") == name:
            target = targets[sheet.get(f"{REL}id")].lstrip("/")
            return target if target.startswith("xl/") else "xl/" + target
    raise KeyError(name)


def xlsx_facts(path: Path) -> dict:
    """What the writer put in the raw XML of the « Actions » sheet, of its table and of the
    workbook: structure a reader must not take for content."""
    with zipfile.ZipFile(path) as book:
        sheet = book.read(xlsx_sheet_part(book, "Actions")).decode("utf-8")
        workbook = book.read("xl/workbook.xml").decode("utf-8")
        tables = [book.read(n).decode("utf-8") for n in book.namelist()
                  if n.startswith("xl/tables/") and n.endswith(".xml")]
    rows = re.findall(r'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', sheet, re.S)
    empty = [int(r) for r, _, body in rows if "<v>" not in body and "<is>" not in body]
    dimension = re.search(r'<dimension ref="([^"]+)"', sheet)
    table = next((t for t in tables if 'name="tActions"' in t), "")
    autofilter = re.search(r"<autoFilter [^>]*?(?:/>|>.*?</autoFilter>)", table, re.S)
    return {
        "dimension": dimension.group(1) if dimension else None,
        "row_elements": len(rows),
        "last_row_element": max((int(r) for r, *_ in rows), default=0),
        "rows_without_value": len(empty),
        "first_row_without_value": min((r for r in empty if r > 1), default=None),
        "hidden_row_elements": sum(1 for _, attrs, _ in rows
                                   if re.search(r'hidden="(1|true)"', attrs)),
        "empty_cell_elements": len(re.findall(r"<c [^>]*/>", sheet)),
        "cols_max": max((int(m) for m in re.findall(r'<col [^>]*?max="(\d+)"', sheet)),
                        default=0),
        "table_autofilter": autofilter.group(0) if autofilter else None,
        "print_titles": re.findall(r'name="_xlnm.Print_Titles"[^>]*>([^<]+)<', workbook),
        "sheet_xml_bytes": len(sheet.encode("utf-8")),
    }


def _xlsx_sheet(book: zipfile.ZipFile, name: str) -> SheetContent:
    strings = []
    if "xl/sharedStrings.xml" in book.namelist():
        for item in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{MAIN}si"):
            strings.append("".join(t.text or "" for t in item.iter(f"{MAIN}t")))
    content = SheetContent()
    root = ET.fromstring(book.read(xlsx_sheet_part(book, name)))
    for row in root.iter(f"{MAIN}row"):
        number = int(row.get("r"))
        if row.get("hidden") in ("1", "true"):
            content.hidden_rows.add(number)
        for cell in row.iter(f"{MAIN}c"):
            value = _xlsx_value(cell, strings)
            if value not in (None, ""):
                column = column_number(re.match(r"[A-Z]+", cell.get("r")).group())
                content.cells.setdefault(number, {})[column] = value
    content.merged = [m.get("ref") for m in root.iter(f"{MAIN}mergeCell")]
    return content


def _xlsx_value(cell, strings: list[str]):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
    raw = cell.find(f"{MAIN}v")
    if raw is None or raw.text is None:
        return None
    if kind == "s":
        return strings[int(raw.text)]
    if kind in ("str", "e"):
        return raw.text
    if kind == "b":
        return raw.text == "1"
    number = float(raw.text)
    return int(number) if number.is_integer() else number


def _ods_sheet(book: zipfile.ZipFile, name: str) -> SheetContent:
    root = ET.fromstring(book.read("content.xml"))
    for table in root.iter(f"{TABLE}table"):
        if table.get(f"{TABLE}name") == name:
            return _ods_table(table)
    raise KeyError(name)


def _ods_rows(table):
    """Row elements in order, through header-rows and row-groups."""
    for child in table:
        if child.tag == f"{TABLE}table-row":
            yield child
        elif child.tag in (f"{TABLE}table-header-rows", f"{TABLE}table-rows",
                           f"{TABLE}table-row-group"):
            yield from _ods_rows(child)


def _ods_table(table) -> SheetContent:
    content = SheetContent()
    number = 0
    for row in _ods_rows(table):
        repeat = int(row.get(f"{TABLE}number-rows-repeated", "1"))
        hidden = row.get(f"{TABLE}visibility") in ("collapse", "filter")
        values = {}
        column = 0
        for cell in row:
            span = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
            if cell.tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                value = _ods_value(cell)  # a covered cell may keep a value, hidden
                if value not in (None, ""):
                    values[column + 1] = value
                rows_spanned = int(cell.get(f"{TABLE}number-rows-spanned", "1"))
                cols_spanned = int(cell.get(f"{TABLE}number-columns-spanned", "1"))
                if rows_spanned > 1 or cols_spanned > 1:
                    content.merged.append(
                        f"{column_letters(column + 1)}{number + 1}:"
                        f"{column_letters(column + cols_spanned)}{number + rows_spanned}")
            column += span
        for r in range(number + 1, number + 1 + (repeat if values or hidden else 0)):
            if values:
                content.cells[r] = dict(values)
            if hidden:
                content.hidden_rows.add(r)
        number += repeat
    return content


def _ods_value(cell):
    kind = cell.get(f"{OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(f"{OFFICE}value"))
        return int(number) if number.is_integer() else number
    if kind == "date":
        return cell.get(f"{OFFICE}date-value")
    # direct children only: a comment (office:annotation) holds text:p too
    paragraphs = ["".join(p.itertext()) for p in cell.findall(f"{TEXT}p")]
    return "\n".join(paragraphs) if paragraphs else None
