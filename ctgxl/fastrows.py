"""Fast path for the data rows of the table sheets.

openpyxl builds every part of the workbook (styles, tables, validations,
comments, defined names), but writing 100,000 rows × 20 cells through it
takes tens of seconds. For sheets without per-cell decorations the writer
asks openpyxl for the header only, then splices the data rows, generated
here as plain XML strings, into the saved sheet part. The rows are exactly
what openpyxl would write (inline strings, a wrap style on long text, row
heights), so the reader and the tests see no difference.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from .catalogue import Sheet
from .model import Table

_SHEET_DATA_END = re.compile(rb"</sheetData>|<sheetData\s*/>")


@dataclass(frozen=True)
class PendingRows:
    """Rows of ``table`` to splice into the sheet of the same name."""

    table: Table
    wrap_style: int
    top_style: int


def column_letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, count + 1)]


def rows_xml(sheet: Sheet, rows: Iterable[tuple], wrap_style: int, top_style: int,
             first_row: int = 2) -> bytes:
    """``<row>`` elements for ``rows``, numbered from ``first_row``."""
    from .template import row_height

    letters = column_letters(len(sheet.columns))
    long_text = [c.long_text for c in sheet.columns]
    long_columns = [i for i, flag in enumerate(long_text) if flag]
    widths = [sheet.columns[i].width for i in long_columns]
    wrap, top = f' s="{wrap_style}"', f' s="{top_style}"'
    out: list[str] = []
    append = out.append
    for r, row in enumerate(rows, start=first_row):
        height = row_height([row[i] for i in long_columns], widths)
        append(f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">')
        for letter, is_long, value in zip(letters, long_text, row):
            if value is None:
                continue
            if type(value) is int:
                append(f'<c r="{letter}{r}" t="n"{top}><v>{value}</v></c>')
                continue
            text = value
            if "&" in text:
                text = text.replace("&", "&amp;")
            if "<" in text:
                text = text.replace("<", "&lt;")
            if ">" in text:
                text = text.replace(">", "&gt;")
            space = ' xml:space="preserve"' if "\n" in text or "  " in text or "\t" in text else ""
            style = wrap if is_long else top
            append(f'<c r="{letter}{r}" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>')
        append("</row>")
    return "".join(out).encode("utf-8")


def splice_rows(path: str | os.PathLike[str], pending: list[PendingRows]) -> None:
    """Rewrite the workbook at ``path`` with the pending rows inserted."""
    if not pending or all(len(p.table) == 0 for p in pending):
        return
    tmp = f"{path}.rows"
    with zipfile.ZipFile(path) as source, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        parts = _sheet_parts(source)
        by_part = {parts[p.table.sheet.name]: p for p in pending}
        for item in source.infolist():
            data = source.read(item.filename)
            todo = by_part.get(item.filename)
            if todo is not None and len(todo.table):
                data = _insert(data, rows_xml(todo.table.sheet, todo.table.rows,
                                                   todo.wrap_style, todo.top_style))
            target.writestr(item.filename, data)
    os.replace(tmp, path)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML part, read from the workbook's relations."""
    from xml.etree import ElementTree as ET  # our own freshly written file: no untrusted XML

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.findall("p:Relationship", ns)}
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", ns):
        target = targets[sheet.get(f"{{{ns['r']}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _insert(sheet_xml: bytes, rows: bytes) -> bytes:
    match = _SHEET_DATA_END.search(sheet_xml)
    if match is None:  # pragma: no cover - openpyxl always writes sheetData
        raise ValueError("sheetData introuvable")
    if match.group(0).startswith(b"<sheetData"):
        return sheet_xml[:match.start()] + b"<sheetData>" + rows + b"</sheetData>" + sheet_xml[match.end():]
    return sheet_xml[:match.start()] + rows + sheet_xml[match.start():]
