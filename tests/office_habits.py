"""What office software writes around a table without a value in it: LibreOffice Calc's
empty rows down to row 1,048,576, Excel-style styled empty rows and cells, a dimension and
whole-column formats to XFD. Used by the tests and by ``benchmarks/bench_empty_structure.py``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

ACTIONS_PART = "xl/worksheets/sheet2.xml"
LAST = 1_048_576


def calc_rows(first: int) -> bytes:
    """Empty rows as LibreOffice Calc writes them after « Supprimer des lignes »."""
    return b"".join(
        b'<row r="%d" customFormat="false" ht="12.8" hidden="false" customHeight="false" '
        b'outlineLevel="0" collapsed="false"></row>' % n for n in range(first, LAST + 1))


def excel_rows(first: int) -> bytes:
    """Styled empty rows and cells as Excel and other writers leave them, to the last row."""
    return b"".join(b'<row r="%d" s="3" customFormat="1"><c r="A%d" s="3"/><c r="XFD%d" s="3">'
                    b"</c></row>" % (n, n, n) for n in range(first, LAST + 1))


def last_row(data: bytes) -> int:
    return max(int(n) for n in re.findall(rb'<row r="(\d+)"', data))


def with_tail(tail, *, dimension: bytes | None = None, cols: bool = False):
    def change(name: str, data: bytes) -> bytes:
        if name != ACTIONS_PART:
            return data
        data = data.replace(b"</sheetData>", tail(last_row(data) + 1) + b"</sheetData>")
        if dimension:
            data = re.sub(rb"<dimension [^>]*/>", b"", data)
            data = data.replace(b"<sheetViews>", b'<dimension ref="%s"/><sheetViews>' % dimension, 1)
        if cols:   # a whole-column format from the last column to XFD
            data = data.replace(b"</cols>", b'<col min="40" max="16384" width="9" style="3" '
                                            b'customWidth="1"/></cols>')
        return data
    return change


def rewritten(source: Path, target: Path, change) -> Path:
    """A copy of the workbook ``source`` whose zip members pass through ``change(name, data)``."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w",
                                                             zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            out.writestr(info.filename, change(info.filename, archive.read(info.filename)))
    return target
