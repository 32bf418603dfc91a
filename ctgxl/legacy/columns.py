"""Place the cells of a word-processing table on columns, by position and width.

A table's cells are placed by their *grid position* (Word: ``w:gridBefore`` then the
``w:gridSpan`` of the cells before; OpenDocument: the cells, covered cells and repeated cells
before), never by their index in the row. The grid itself is not reliable: a converter
rebuilds it from cell widths (``soffice --convert-to docx`` of a ``.doc``: « 508 » twips
becomes « 507 + 1 »), which adds columns a few twips wide and changes every ``gridSpan``
after them. So the grid's boundaries are first measured (the ``w:gridCol`` or
``style:column-width`` widths, equal widths when the document gives none), boundaries
closer than ``SLIVER`` of the table's width are one boundary, and a column no cell starts in
(a boundary only a deleted row used) is no column. What remains are the table's *columns*:
the same for a document and for its conversion.

A cell then lies on the columns between its two boundaries: its text is placed in its first
column and its ``span`` (how many columns it covers) is kept, so that a header cell
covering two columns names both (``header.build_layout``). A vertically merged cell
(``w:vMerge``, a covered cell under a ``table:number-rows-spanned`` cell) gives its text in
its first row; text typed in a continuation is added to it, nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SLIVER = 0.002     # boundaries closer than this share of the table's width are one boundary


@dataclass
class Cell:
    start: int            # first grid column
    span: int             # grid columns covered
    text: str
    merged: bool = False  # a continuation of the cell above (vertical merge)


@dataclass
class PlacedTable:
    """Rows of texts on the table's columns and, for each, the columns each cell covers
    (``spans[r][c]``: 0 on the columns a cell covers after its first)."""

    rows: list[list[str]] = field(default_factory=list)
    spans: list[list[int]] = field(default_factory=list)
    joined: int = 0       # cells that fell on a column already filled in their row (joined)


def columns_of(widths: list[float], size: int) -> list[int]:
    """Column index of each of the ``size + 1`` grid boundaries, slivers merged.

    ``widths`` are the grid columns' widths as the document gives them (any unit); missing
    or unusable widths count as equal widths.
    """
    if len(widths) < size or any(w < 0 for w in widths[:size]) or sum(widths[:size]) <= 0:
        known = [w for w in widths[:size] if w > 0]
        fill = sum(known) / len(known) if known else 1.0
        widths = [w if w > 0 else fill for w in widths[:size]] + [fill] * (size - len(widths))
    total = float(sum(widths[:size]))
    tolerance = SLIVER * total
    boundary, at, kept = [0], 0.0, 0.0     # kept: position of the last distinct boundary
    column = 0
    for width in widths[:size]:
        at += width
        if at - kept > tolerance:
            column += 1
            kept = at
        boundary.append(column)
    return boundary


def place(rows: list[list[Cell]], widths: list[float]) -> PlacedTable:
    """The rows of ``Cell`` (grid positions) on the table's columns (see module docstring)."""
    size = max((c.start + c.span for row in rows for c in row), default=0)
    size = max(size, len(widths))
    boundary = columns_of(widths, size)
    starts = sorted({boundary[c.start] for row in rows for c in row})
    index = {column: i for i, column in enumerate(starts)}

    def column_of(grid: int) -> int:
        """The kept column a grid boundary falls in (a boundary no cell starts at belongs to
        the column before it)."""
        at = boundary[grid]
        while at not in index and at > 0:
            at -= 1
        return index.get(at, 0)

    def end_of(grid: int) -> int:
        """The first column after a cell ending at grid boundary ``grid``."""
        if grid >= size:
            return width
        column = column_of(grid)
        return column if boundary[grid] in index else column + 1

    width = len(starts)
    out = PlacedTable()
    origin: dict[int, tuple[int, int]] = {}     # column -> (row, column) of its merge start
    for cells in rows:
        texts, spans = [""] * width, [1] * width
        for cell in cells:
            first = column_of(cell.start)
            end = max(end_of(cell.start + cell.span), first + 1)
            if cell.merged and first in origin:
                at_row, at_column = origin[first]
                if cell.text:
                    target = out.rows[at_row]
                    target[at_column] = _joined(target[at_column], cell.text)
                spans[first] = 0
                for covered in range(first + 1, end):
                    spans[covered] = 0
                continue
            if texts[first]:
                out.joined += 1
            texts[first] = _joined(texts[first], cell.text)
            spans[first] = end - first
            for covered in range(first + 1, end):
                spans[covered] = 0
                origin.pop(covered, None)
            origin[first] = (len(out.rows), first)
        out.rows.append(texts)
        out.spans.append(spans)
    return out


def _joined(before: str, text: str) -> str:
    if not before:
        return text
    return f"{before}\n{text}" if text else before
