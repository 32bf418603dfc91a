"""The merged cells of an OpenDocument spreadsheet (.ods), which python-calamine does not give.

A merged cell is a ``table:table-cell`` with ``table:number-rows-spanned`` or
``table:number-columns-spanned`` above 1; the cells it covers follow as
``table:covered-table-cell`` (LibreOffice may keep their values: « conserver le contenu des
cellules masquées »). Its position is counted from the rows and cells before it, repeated
ones included (``number-rows-repeated``, ``number-columns-repeated``), so the ranges are
the ones python-calamine's grid uses: ((row, column), (row, column)), 0-based.

The document is parsed only when its text holds a span above 1 (most workbooks have none),
with defusedxml's parser (no entities, no network).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_SPAN = re.compile(rb'number-(?:rows|columns)-spanned="(?:[2-9]|\d{2,})')
_MAX_REPEAT = 2_000_000          # a repeat count beyond a sheet's size is clipped

Range = tuple[tuple[int, int], tuple[int, int]]


def merged_ranges(path: str | Path) -> dict[str, list[Range]]:
    """Sheet name -> its merged ranges; empty when the file cannot be read (the reader
    then says why) or has no merged cell."""
    try:
        with zipfile.ZipFile(path) as archive:
            with archive.open("content.xml") as handle:
                if not _has_span(handle):
                    return {}
            with archive.open("content.xml") as handle:
                return _ranges(handle)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError):
        return {}
    except Exception:  # noqa: BLE001 - a damaged document: no merge known, as calamine
        return {}


def _has_span(handle) -> bool:
    tail = b""
    while chunk := handle.read(8 * 1024 * 1024):
        if _SPAN.search(tail + chunk):
            return True
        tail = chunk[-64:]
    return False


def _count(element, name: str) -> int:
    try:
        return max(1, min(int(element.get(TABLE + name, "1")), _MAX_REPEAT))
    except ValueError:
        return 1


def _ranges(handle) -> dict[str, list[Range]]:
    from defusedxml.ElementTree import iterparse

    found: dict[str, list[Range]] = {}
    sheet, row, column = None, 0, 0
    for event, element in iterparse(handle, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == TABLE + "table":
                sheet, row = element.get(TABLE + "name"), 0
            elif tag == TABLE + "table-row":
                column = 0
            continue
        if tag in (TABLE + "table-cell", TABLE + "covered-table-cell"):
            rows, columns = _count(element, "number-rows-spanned"), \
                _count(element, "number-columns-spanned")
            if tag == TABLE + "table-cell" and (rows > 1 or columns > 1) and sheet:
                found.setdefault(sheet, []).append(
                    ((row, column), (row + rows - 1, column + columns - 1)))
            column += _count(element, "number-columns-repeated")
            element.clear()
        elif tag == TABLE + "table-row":
            row += _count(element, "number-rows-repeated")
            element.clear()
    return found
