"""The body of a Word document (.docx) as paragraphs and tables, read as a stream.

Each paragraph of the body and each row of a table is handled as soon as its XML is complete,
then dropped (``xmlparts``). Paragraphs and tables inside content controls (``w:sdt``), custom
XML and accepted insertions or moves are read through; deleted text (``w:del``,
``w:moveFrom``), deleted rows, field codes, footnote and comment references, drawings and
text boxes are not part of the plan and are skipped. Cells are placed on the table's columns
by ``columns.place`` from their grid position (``w:gridBefore``, ``w:gridSpan``) and the
grid's widths (``w:tblGrid``); ``w:vMerge`` continuations join the cell above.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..wording import counted
from .columns import Cell, place
from .numbering import W, WordNumbering, w_int
from .xmlparts import (MAX_BLOCK_NODES, MAX_TEXT, Budget, crowded, drop, events,
                       parse_small)

_SKIPPED = {W + name for name in (
    "del", "moveFrom", "delText", "delInstrText", "instrText", "footnoteReference",
    "endnoteReference", "commentReference", "drawing", "pict", "object", "fldChar",
    "rPr", "pPr", "tblPr", "tblGrid", "trPr", "tcPr", "sectPr", "bookmarkStart", "bookmarkEnd",
    "proofErr", "lastRenderedPageBreak", "sdtPr", "sdtEndPr", "commentRangeStart",
    "commentRangeEnd")}
_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
WRAPPERS = {W + name for name in ("sdt", "sdtContent", "customXml", "ins", "moveTo",
                                  "smartTag")}


class DocxReader:
    """``blocks()``: the body's paragraph texts (str) and tables (``word.Table``) in order;
    ``generated``: how many characters the reader wrote itself (list numbers)."""

    def __init__(self, p: Path, archive: zipfile.ZipFile, budget: Budget) -> None:
        self.p, self.archive, self.budget = p, archive, budget
        self.numbering = WordNumbering(parse_small(p, archive, "word/numbering.xml"),
                                       parse_small(p, archive, "word/styles.xml"), budget)
        self.generated = 0
        self.tables = 0           # tables of the body met so far, for the places of limits
        self.paragraphs = 0       # paragraphs of the body so far

    # -- the stream ----------------------------------------------------------------------
    def blocks(self) -> list:
        from ..errors import UnusableInputError
        from .word import Table

        out: list = []
        stack: list = []              # open elements
        level: list[str] = []         # per open element: "body", "table", "row" or ""
        table_rows: list | None = None
        widths: list[float] = []
        nodes = 0
        seen_body = False
        for event, element in events(self.p, self.archive, "word/document.xml"):
            if event == "start":
                nodes += 1
                if nodes > MAX_BLOCK_NODES:
                    raise self.budget.refuse(crowded(self._where(out, table_rows)))
                parent = level[-1] if level else ""
                tag = element.tag
                if tag == W + "body":
                    seen_body = True
                    here = "body"
                elif parent == "body" and tag in WRAPPERS:
                    here = "body"
                elif parent == "body" and tag == W + "tbl":
                    here = "table"
                    table_rows, widths = [], []
                    self.tables += 1
                elif parent == "table" and tag in WRAPPERS | {W + "tr"}:
                    here = "row" if tag == W + "tr" else "table"
                else:
                    here = ""
                stack.append(element)
                level.append(here)
                continue
            here = level.pop()
            stack.pop()
            parent = stack[-1] if stack else None
            parent_level = level[-1] if level else ""
            tag = element.tag
            if parent_level == "body" and tag == W + "p":
                text = self.paragraph(element, in_cell=False)
                if len(text) > MAX_TEXT:
                    self.budget.text(len(text), self._where(out, None, paragraph=True))
                self.budget.add_row()
                self.paragraphs += 1
                out.append(text)
            elif here == "table" and tag == W + "tbl":
                assert table_rows is not None
                placed = place(table_rows, widths)
                out.append(Table(placed.rows, spans=placed.spans,
                                 notes=_joined_note(placed.joined)))
                table_rows = None
            elif parent_level == "table" and tag == W + "tblGrid":
                widths = _widths(element)
            elif here == "row":
                assert table_rows is not None
                row = self.row(element, 1, f"tableau {self.tables}, ligne {len(table_rows) + 1}")
                if row is not None:
                    self.budget.add_row(max((c.start + c.span for c in row), default=1))
                    table_rows.append(row)
            elif parent_level not in ("body", "table") and here != "body":
                continue              # inside a paragraph or a row: kept until it is done
            drop(element, parent)
            nodes = 0
        if not seen_body:
            raise UnusableInputError(self.p, "document Word endommagé (word/document.xml sans "
                                             "corps)")
        return out

    def _where(self, out: list, rows: list | None, *, paragraph: bool = False) -> str:
        if rows is not None:
            return f"tableau {self.tables}, ligne {len(rows) + 1}"
        if paragraph or not self.tables:
            return f"paragraphe {self.paragraphs + 1} du document"
        return f"après le tableau {self.tables}"

    # -- content -------------------------------------------------------------------------
    def paragraph(self, p, *, in_cell: bool) -> str:
        label = self.numbering.label(p)
        self.generated += len("".join(label.split()))
        parts: list[str] = [label]
        self._runs(p, parts, in_cell)
        return "".join(parts)

    def _runs(self, element, parts: list[str], in_cell: bool) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIPPED or tag == _ALTERNATE:
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag == W + "tab":
                parts.append(" " if in_cell else "\t")
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") not in ("page", "column"):
                    parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "sym":
                continue
            else:   # w:r, w:ins, w:moveTo, w:hyperlink, w:sdt, w:sdtContent, w:smartTag…
                self._runs(child, parts, in_cell)

    def row(self, tr, nesting: int, where: str) -> list[Cell] | None:
        """The cells of a table row at their grid positions; None for a deleted row."""
        props = tr.find(W + "trPr")
        if props is not None and props.find(W + "del") is not None:
            return None
        at = max(0, w_int(tr.find(f"{W}trPr/{W}gridBefore"), 0))
        self.budget.columns(at, where)
        cells: list[Cell] = []
        for tc in _through(tr, {W + "tc"}):
            span = max(1, w_int(tc.find(f"{W}tcPr/{W}gridSpan"), 1))
            self.budget.columns(at + span, where)
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            text = self.cell(tc, nesting, where)
            self.budget.text(len(text), where)
            cells.append(Cell(at, span, text,
                              merged=merge is not None and merge.get(W + "val") in (None,
                                                                                    "continue")))
            at += span
        return cells

    def cell(self, tc, nesting: int, where: str) -> str:
        lines: list[str] = []
        for element in _through(tc, {W + "p", W + "tbl"}):
            if element.tag == W + "p":
                lines.append(self.paragraph(element, in_cell=True))
            else:   # a table inside a cell: its rows as lines, cells separated by « ; »
                self.budget.nesting(nesting + 1)
                rows = [r for tr in _through(element, {W + "tr"})
                        if (r := self.row(tr, nesting + 1, where)) is not None]
                grid = element.find(W + "tblGrid")
                nested = place(rows, _widths(grid) if grid is not None else [])
                lines.extend(" ; ".join(c for c in r if c.strip()) for r in nested.rows)
        return "\n".join(lines)


def _through(parent, wanted: set[str]) -> Iterator:
    """The children of ``parent`` with a tag in ``wanted``, looking inside content controls
    (``w:sdt`` › ``w:sdtContent``), custom XML and accepted insertions/moves."""
    for child in parent:
        if child.tag in wanted:
            yield child
        elif child.tag in WRAPPERS:
            yield from _through(child, wanted)


def _widths(grid) -> list[float]:
    return [float(max(0, w_int(col, 0, "w"))) for col in grid.findall(W + "gridCol")]


def _joined_note(joined: int) -> list[tuple[str, str, str]]:
    if not joined:
        return []
    return [("", "cellules-superposees",
             f"{counted(joined, 'cellule posée')} sur une colonne déjà remplie de leur ligne "
             "(grille du tableau incohérente) : textes réunis dans la même cellule.")]
