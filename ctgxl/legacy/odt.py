"""The text of an OpenDocument text (.odt) as paragraphs and tables, read as a stream.

Paragraphs, headings, lists (with the labels LibreOffice shows: ODF stores the numbering rules,
not the numbers), sections and tables of ``office:text`` are read in order, each paragraph and
each table row handled as soon as it is complete (``xmlparts``). Tracked changes are read as
accepted (the deleted text is kept apart, in ``text:tracked-changes``, and skipped); notes,
annotations and frames are not part of the plan. Cells are placed by ``columns.place`` from
their grid position (cells, covered cells and ``table:number-columns-repeated`` before them)
and the widths of the ``table:table-column`` styles. Repeated empty rows or cells are filler
and count once; repeated rows or cells that hold text are repeated, within the limits.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .columns import Cell, place
from .numbering import T, odf_int, odf_label, odf_list_styles
from .xmlparts import (MAX_BLOCK_NODES, MAX_GRID_COLUMNS, MAX_STYLE_NODES, MAX_TEXT, Budget,
                       crowded, drop, events, parse_small)

TB = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"  # noqa: E741
ST = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_SKIPPED = {T + "tracked-changes", T + "note", T + "bookmark-ref", T + "soft-page-break",
            "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame", O + "annotation",
            T + "sequence-decls", T + "variable-decls", T + "user-field-decls", O + "forms"}
_CONTAINERS = {T + "section", T + "index-body", T + "table-of-content",
               T + "alphabetical-index", T + "illustration-index"}
_ROW_GROUPS = {TB + "table-header-rows", TB + "table-rows", TB + "table-row-group"}
_COLUMN_GROUPS = {TB + "table-columns", TB + "table-header-columns", TB + "table-column-group"}
_UNITS = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6, "px": 2.54 / 96}
_LENGTH = re.compile(r"^\s*([0-9.]+)\s*([a-z]*)\s*$")


class OdtReader:
    """``blocks()``: the paragraph texts (str) and tables (``word.Table``) of the document;
    ``generated``: how many characters the reader wrote itself (list labels)."""

    def __init__(self, p: Path, archive: zipfile.ZipFile, budget: Budget) -> None:
        self.p, self.archive, self.budget = p, archive, budget
        self.styles_root = parse_small(p, archive, "styles.xml")
        self.list_styles: dict = odf_list_styles(budget, self.styles_root)
        self.column_widths: dict[str, tuple[float | None, float | None]] = {}
        self.counters: dict[str, list[int]] = {}
        self.generated = 0
        self.tables = 0
        self.paragraphs = 0       # paragraphs of the body so far

    def blocks(self) -> list:
        from ..errors import UnusableInputError
        from .word import Table

        out: list = []
        stack: list = []
        level: list[str] = []       # "text", "table", "row" or ""
        rows: list | None = None
        widths: list = []
        nodes, style_nodes, seen_text = 0, 0, False
        for event, element in events(self.p, self.archive, "content.xml"):
            if event == "start":
                if level and level[-1] == "styles":
                    style_nodes += 1
                    if style_nodes > MAX_STYLE_NODES:
                        raise self.budget.refuse("styles du document démesurés : plus de "
                                                 f"{MAX_STYLE_NODES:,} éléments XML"
                                                 .replace(",", "\u202f"))
                else:
                    nodes += 1
                if nodes > MAX_BLOCK_NODES:
                    raise self.budget.refuse(crowded(self._where(out, rows)))
                parent = level[-1] if level else ""
                tag = element.tag
                if tag == O + "text":
                    here, seen_text = "text", True
                elif tag == O + "automatic-styles":
                    here = "styles"
                elif parent == "text" and tag in _CONTAINERS:
                    here = "text"
                elif parent == "text" and tag == TB + "table":
                    here, rows, widths = "table", [], []
                    self.tables += 1
                elif parent == "table" and tag in _ROW_GROUPS | _COLUMN_GROUPS:
                    here = "table"
                elif parent == "table" and tag == TB + "table-row":
                    here = "row"
                else:
                    here = "styles" if parent == "styles" else ""
                stack.append(element)
                level.append(here)
                continue
            here = level.pop()
            stack.pop()
            parent = stack[-1] if stack else None
            parent_level = level[-1] if level else ""
            tag = element.tag
            if tag == O + "automatic-styles":
                self._automatic_styles(element)
            elif parent_level == "styles":
                continue
            elif parent_level == "text" and tag in (T + "p", T + "h"):
                self._paragraph_block(self.paragraph(element, in_cell=False), out)
            elif parent_level == "text" and tag == T + "list":
                for item in self.list(element, None, 1):
                    if isinstance(item, str):
                        self._paragraph_block(item, out)
                    else:
                        out.append(item)
            elif here == "table" and tag == TB + "table":
                assert rows is not None
                placed = place(rows, _resolved(widths))
                while placed.rows and not any(c.strip() for c in placed.rows[-1]):
                    placed.rows.pop()
                    placed.spans.pop()
                out.append(Table(placed.rows, spans=placed.spans))
                rows = None
            elif parent_level == "table" and tag == TB + "table-column":
                widths.extend(self._column(element))
            elif here == "row":
                assert rows is not None
                self._rows(element, rows, 1, f"tableau {self.tables}, ligne {len(rows) + 1}")
            elif parent_level not in ("text", "table") and here != "text":
                continue
            drop(element, parent)
            nodes = 0
        if not seen_text:
            raise UnusableInputError(self.p, "document OpenDocument sans texte (content.xml)")
        return out

    def _where(self, out: list, rows: list | None) -> str:
        if rows is not None:
            return f"tableau {self.tables}, ligne {len(rows) + 1}"
        return f"paragraphe {self.paragraphs + 1} du document"

    def _paragraph_block(self, text: str, out: list) -> None:
        if len(text) > MAX_TEXT:
            self.budget.text(len(text), self._where(out, None))
        self.budget.add_row()
        self.paragraphs += 1
        out.append(text)

    # -- styles --------------------------------------------------------------------------
    def _automatic_styles(self, element) -> None:
        self.list_styles.update(odf_list_styles(self.budget, element))
        for style in element.iter(ST + "style"):
            if style.get(ST + "family") != "table-column":
                continue
            props = style.find(ST + "table-column-properties")
            if props is not None:
                self.column_widths[style.get(ST + "name", "")] = (
                    _length(props.get(ST + "column-width")),
                    _length(props.get(ST + "rel-column-width"), relative=True))

    def _column(self, column) -> list[tuple[float | None, float | None]]:
        times = max(1, odf_int(column, TB + "number-columns-repeated", 1))
        self.budget.columns(times, f"tableau {self.tables}")
        return [self.column_widths.get(column.get(TB + "style-name", ""), (None, None))] * times

    # -- content -------------------------------------------------------------------------
    def list(self, element, style: str | None, depth: int) -> list:
        """A list's paragraphs, each item's first one preceded by the label LibreOffice
        shows (« 1. », « a) », « - »), and the tables it holds."""
        out: list = []
        style = element.get(T + "style-name") or style or ""
        levels = self.list_styles.get(style, {})
        counters = self.counters.setdefault(style, [0] * 10)
        level = min(depth, 10)
        continued = (element.get(T + "continue-numbering") == "true"
                     or element.get(T + "continue-list"))
        if depth == 1 and not continued:
            counters[:] = [0] * 10
        for item in element:
            if item.tag not in (T + "list-item", T + "list-header"):
                continue
            label = ""
            if item.tag == T + "list-item":
                spec = levels.get(level)
                start = self.budget.list_number(odf_int(item, T + "start-value", 0))
                counters[level - 1] = start if start else (
                    counters[level - 1] + 1 if counters[level - 1] else
                    (spec[3] if spec else 1))
                counters[level:] = [0] * (10 - level)
                label = odf_label(spec, counters, level) if spec else ""
            for child in item:
                if child.tag in (T + "p", T + "h"):
                    self.generated += len("".join(label.split()))
                    out.append(label + self.paragraph(child, in_cell=False))
                    label = ""
                elif child.tag == T + "list":
                    out.extend(self.list(child, style, depth + 1))
                elif child.tag == TB + "table":
                    out.append(self.nested_table(child, 1, f"tableau {self.tables}"))
        return out

    def paragraph(self, p, *, in_cell: bool) -> str:
        parts: list[str] = []
        if p.text:
            parts.append(p.text)
        for child in p:
            self._inline(child, parts, in_cell)
            if child.tail:
                parts.append(child.tail)
        return "".join(parts)

    def _inline(self, element, parts: list[str], in_cell: bool) -> None:
        tag = element.tag
        if tag in _SKIPPED:
            return
        if tag == T + "s":
            parts.append(" " * max(1, min(odf_int(element, T + "c", 1), 100)))
        elif tag == T + "tab":
            parts.append(" " if in_cell else "\t")
        elif tag == T + "line-break":
            parts.append("\n")
        else:   # text:span, text:a, text:number, text:change-start…
            if element.text:
                parts.append(element.text)
            for child in element:
                self._inline(child, parts, in_cell)
                if child.tail:
                    parts.append(child.tail)

    def _rows(self, tr, rows: list, nesting: int, where: str) -> None:
        """Add the table row ``tr`` to ``rows`` (``Cell`` at grid positions), repeated as many
        times as it says when it holds text, once when it is empty filler."""
        cells: list[Cell] = []
        at = 0
        covered_until = 0        # grid columns covered by a cell spanning columns in this row
        for cell in tr:
            if cell.tag not in (TB + "table-cell", TB + "covered-table-cell"):
                continue
            times = max(1, odf_int(cell, TB + "number-columns-repeated", 1))
            text = self.cell(cell, nesting, where)
            self.budget.text(len(text), where)
            if not text and cell.tag == TB + "table-cell" and \
                    odf_int(cell, TB + "number-columns-spanned", 1) <= 1 and \
                    at + times > MAX_GRID_COLUMNS:
                break            # empty filler cells up to the edge of the grid: nothing in them
            self.budget.columns(at + times, where)
            for _ in range(times):
                if cell.tag == TB + "covered-table-cell":
                    if at >= covered_until:      # under a cell spanning rows: its continuation
                        cells.append(Cell(at, 1, text, merged=True))
                    elif text:                   # hidden by the cell spanning it: joined to it
                        spanning = next(c for c in reversed(cells) if not c.merged)
                        spanning.text = f"{spanning.text}\n{text}" if spanning.text else text
                    at += 1
                    continue
                span = max(1, odf_int(cell, TB + "number-columns-spanned", 1))
                self.budget.columns(at + span, where)
                cells.append(Cell(at, span, text))
                covered_until = at + span
                at += 1
        repeat = max(1, odf_int(tr, TB + "number-rows-repeated", 1))
        if not any(c.text for c in cells):
            repeat = 1
        for _ in range(repeat):
            self.budget.add_row(max(at, 1))
            rows.append(cells)

    def cell(self, cell, nesting: int, where: str) -> str:
        lines: list[str] = []
        for child in cell:
            if child.tag in (T + "p", T + "h"):
                lines.append(self.paragraph(child, in_cell=True))
            elif child.tag == T + "list":
                lines.extend(b for b in self.list(child, None, 1) if isinstance(b, str))
            elif child.tag == TB + "table":
                nested = self.nested_table(child, nesting + 1, where)
                lines.extend(" ; ".join(c for c in r if c.strip()) for r in nested.rows)
        return "\n".join(lines)

    def nested_table(self, table, nesting: int, where: str):
        """A table inside a cell or a list, read whole."""
        from .word import Table

        self.budget.nesting(nesting)
        rows: list = []
        widths: list = []
        for row in _odf_rows(table):
            if row.tag == TB + "table-column":
                widths.extend(self._column(row))
            else:
                self._rows(row, rows, nesting, where)
        placed = place(rows, _resolved(widths))
        return Table(placed.rows, spans=placed.spans)


def _resolved(widths: list[tuple[float | None, float | None]]) -> list[float]:
    """The columns' widths: absolute when all are known, else relative when all are known,
    else none (equal widths)."""
    if widths and all(w is not None for w, _ in widths):
        return [w for w, _ in widths]      # type: ignore[misc]
    if widths and all(r is not None for _, r in widths):
        return [r for _, r in widths]      # type: ignore[misc]
    return []


def _odf_rows(parent):
    for child in parent:
        if child.tag in (TB + "table-row", TB + "table-column"):
            yield child
        elif child.tag in _ROW_GROUPS | _COLUMN_GROUPS:
            yield from _odf_rows(child)


def _length(text: str | None, *, relative: bool = False) -> float | None:
    """A length in centimetres (« 2.54cm », « 0.6in »), or a relative width (« 1234* »)."""
    if not text:
        return None
    if relative:
        try:
            return float(text.rstrip("*"))
        except ValueError:
            return None
    match = _LENGTH.match(text)
    if not match or (match.group(2) or "cm") not in _UNITS:
        return None
    try:
        return float(match.group(1)) * _UNITS[match.group(2) or "cm"]
    except ValueError:
        return None
