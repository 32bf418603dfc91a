"""Between an xlwings ``Book`` and ctgxl: read the plan, find sheets, write tables.

Only xlwings' public Book API is used (``book.sheets``, ``sheet.used_range``,
``sheet.range(...).value``, ``.color``, ``.clear_formats()``, ``sheets.add``),
so the same code drives a workbook open in desktop Excel (``Book.caller()``)
and a remote-interpreter payload (``xw.Book(json=...)``). xlwings itself is
never imported here: the book is handed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..catalogue import META_SHEET, TABLE_SHEETS
from ..errors import CtgxlError
from ..model import Plan
from ..vocabulary import fold

# Sheets the reader needs; the others (Lisez-moi, Listes, Contrôles…) are not read.
_PLAN_SHEETS = frozenset(fold(name) for name in (*(s.name for s in TABLE_SHEETS), META_SHEET))
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
MAX_TEXT = 32_767  # characters an Excel cell holds


class AddinError(CtgxlError):
    """An add-in action cannot run on this workbook; ``str()`` is the French message.

    ``status`` is the HTTP status the server answers with (a 4xx).
    """

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Outcome:
    """What an action tells the user (French) besides what it wrote in the book."""

    message: str
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"message": self.message, "counts": dict(self.counts)}


def sheet_grid(sheet) -> list[list]:
    """The sheet's values from A1 to the last used cell, as rows (empty cells: None)."""
    used = sheet.used_range
    rows, columns = used.shape
    last_row, last_column = used.row + rows - 1, used.column + columns - 1
    values = sheet.range((1, 1), (last_row, last_column)).options(ndim=2).value
    return values or []


def plan_of(book, merged: Mapping[str, Sequence[str]] | None = None) -> Plan:
    """The plan held by the open workbook, read like a file (same matching and values).

    ``merged`` gives each sheet's merged ranges (« B2:B5 »), which ctgxl's task pane sends
    (xlwings' values alone lose them: a merged thématique would read empty on every row but
    the first): they are read by the reader's one rule of merged cells, as in a file.
    Raises ``AddinError`` (422) when the book is not a ctgxl plan workbook.
    """
    from ..errors import UnusableInputError
    from ..reader import read_grids

    grids = {sheet.name: (sheet_grid(sheet) if fold(sheet.name) in _PLAN_SHEETS else [])
             for sheet in book.sheets}
    try:
        return read_grids(book.name, grids, merged)
    except UnusableInputError as exc:
        raise AddinError(f"Classeur « {book.name} » : {exc.reason}.") from None


def find_sheet(book, name: str | None):
    """The book's sheet matching ``name`` (case, accents and spacing ignored), or None."""
    if not name:
        return None
    wanted = fold(name)
    for sheet in book.sheets:
        if fold(sheet.name) == wanted:
            return sheet
    return None


def top_left(ref: str) -> str | None:
    """``H12`` for ``H12`` or ``H12:J14``; None for anything that is not a cell reference."""
    first = ref.split(":")[0].strip().upper()
    match = _CELL.match(first)
    return f"{match.group(1)}{match.group(2)}" if match else None


def cell_runs(cells: Iterable[str]) -> list[str]:
    """Cells as ranges: the cells of one column on consecutive rows are one range
    (``H2``, ``H3``, ``H4``, ``J7`` -> ``H2:H4``, ``J7``), so that colouring 20,000 cells of
    a column is one action for Excel, not 20,000."""
    rows_of: dict[str, set[int]] = {}
    for ref in cells:
        letters = ref.rstrip("0123456789")
        rows_of.setdefault(letters, set()).add(int(ref[len(letters):]))
    runs = []
    for letters, rows in sorted(rows_of.items(), key=lambda item: (len(item[0]), item[0])):
        ordered = sorted(rows)
        start = end = ordered[0]
        for row in ordered[1:] + [None]:
            if row is not None and row == end + 1:
                end = row
                continue
            runs.append(f"{letters}{start}" if start == end else f"{letters}{start}:{letters}{end}")
            if row is not None:
                start = end = row
    return runs


def fresh_sheet(book, name: str):
    """The sheet ``name``, emptied (values and formats) if it exists, else added last."""
    sheet = find_sheet(book, name)
    if sheet is not None:
        sheet.clear()
        return sheet
    return book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])


def write_rows(sheet, rows: Sequence[Sequence[object]], top: int = 1) -> None:
    """Write a block of rows from column A at row ``top``, as text Excel will not evaluate."""
    if not rows:
        return
    width = max(len(r) for r in rows)
    block = [[cell_text(v) for v in r] + [None] * (width - len(r)) for r in rows]
    sheet.range((top, 1)).value = block


def cell_text(value: object) -> object:
    """A value written into a cell exactly as shown.

    Text gets Excel's hidden text prefix (an apostrophe), as if typed: « =A1 »,
    « 01/02/2024 » or « 1.10 » stay text, never a formula, a date or a number.
    """
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if not text:
        return None
    if len(text) > MAX_TEXT - 1:
        text = text[: MAX_TEXT - 2] + "…"
    return "'" + text


def cells_in(refs: Iterable[str]) -> list[str]:
    """Cell references (top-left of ranges) among whitespace/comma-separated text."""
    out = []
    for chunk in refs:
        for part in re.split(r"[\s,;]+", str(chunk or "")):
            ref = top_left(part) if part else None
            if ref:
                out.append(ref)
    return out
