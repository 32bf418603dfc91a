"""Build the canonical workbook from the catalogue (openpyxl, write-only mode).

One builder serves the blank template (``ctgxl template``) and the writer
(a plan written into the template): headers, widths, help comments, dropdowns,
Excel tables, print set-up and the hidden metadata sheet all come from the
catalogue and the vocabulary, never from a file on disk.

Write-only mode keeps memory flat at 100,000 rows; its constraint is that a
sheet is written top to bottom, so every decoration of a cell (``CellMark``)
is known before the row is written.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableColumn, TableStyleInfo
from openpyxl.worksheet.filters import AutoFilter

from . import __version__
from .catalogue import (ACTIONS, LISTS_SHEET, META_FIELDS, META_SHEET, OFFRES, README_SHEET,
                        SCHEMA_VERSION, TABLE_SHEETS, TEMPLATE_VERSION, Column, Sheet)
from .fastrows import TOP_STYLE, WRAP_STYLE, PendingRows
from .lisezmoi import paragraphs
from .model import Meta, Plan, Table
from .styles import (DATA_ALIGN, HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT,
                     TOP_ALIGN, font, print_setup, text_cell)
from .territory import of_meta
from .vocabulary import Vocabulary, list_columns

# Rows left ready (dropdowns, validations) below the data for new entries.
SPARE_ROWS = 500
COMMENT_AUTHOR = "ctgxl"


@dataclass(frozen=True)
class CellMark:
    """Decoration of one written cell: background colour (hex RGB) and/or comment."""

    fill: str | None = None
    comment: str | None = None
    bold: bool = False


# (table key, 0-based row index in the table, column key) -> mark
Marks = Mapping[tuple[str, int, str], CellMark]


@dataclass(frozen=True)
class ExtraSheet:
    """A sheet added by a command (Conflits, Synthèse…). ``build`` receives a
    write-only worksheet: set widths/freeze first, then ``append`` rows."""

    title: str
    build: Callable[[object], None]
    first: bool = False


def list_name(vocabulary_name: str) -> str:
    """Defined name holding a vocabulary, used by the dropdowns."""
    return f"liste_{vocabulary_name}"


def build_workbook(vocabulary: Vocabulary, plan: Plan | None = None, *,
                   marks: Marks | None = None,
                   extra_sheets: Sequence[ExtraSheet] = (),
                   rendered: Mapping[str, Sequence[bytes]] | None = None,
                   ) -> tuple[Workbook, list[PendingRows]]:
    """The canonical workbook holding ``plan`` (or blank when ``plan`` is None).

    Data rows of undecorated table sheets are not written by openpyxl: they
    are returned as ``PendingRows`` for ``fastrows.splice_rows`` to insert
    into the saved file (see ``writer.write_plan``), with their rows already
    rendered when ``rendered`` (table key -> ``fastrows.render_rows`` output)
    has them.
    """
    plan = plan or Plan()
    pending: list[PendingRows] = []
    wb = Workbook(write_only=True)
    register_data_styles(wb)
    for extra in extra_sheets:
        if extra.first:
            extra.build(wb.create_sheet(extra.title))
    _write_readme(wb.create_sheet(README_SHEET), vocabulary, plan.meta.thematique,
                  tuple(extra.title for extra in extra_sheets), of_meta(plan.meta))
    for sheet in TABLE_SHEETS:
        pending += _write_table(wb.create_sheet(sheet.name), plan.table(sheet.key), vocabulary,
                                marks or {}, rendered or {})
    for extra in extra_sheets:
        if not extra.first:
            extra.build(wb.create_sheet(extra.title))
    _write_lists(wb, wb.create_sheet(LISTS_SHEET), vocabulary)
    _write_meta(wb.create_sheet(META_SHEET), plan.meta)
    return wb, pending


def register_data_styles(wb: Workbook) -> None:
    """Give the styles of data cells the fixed ids the fast rows use (the first after
    the default), whatever sheets come first."""
    from types import SimpleNamespace

    holder = SimpleNamespace(parent=wb)        # what a cell needs to reach its workbook
    ids = []
    for alignment in (DATA_ALIGN, TOP_ALIGN):
        cell = WriteOnlyCell(holder, None)
        cell.alignment = alignment
        ids.append(cell.style_id)
    if tuple(ids) != (WRAP_STYLE, TOP_STYLE):  # pragma: no cover - openpyxl internals moved
        raise RuntimeError(f"data styles got ids {ids}")


def _write_readme(ws, vocabulary: Vocabulary, thematique: str | None,
                  extra_sheets: tuple[str, ...] = (), territory=None) -> None:
    write_paragraphs(ws, paragraphs(vocabulary, thematique, extra_sheets, territory))


def write_paragraphs(ws, pairs, *, title: str = "CTG — plan d'actions") -> None:
    """A help sheet (Lisez-moi) of (style, text) pairs: title, heading, subheading, text,
    bullet, one per row of column A."""
    width = 90
    ws.column_dimensions["A"].width = width
    ws.views.sheetView[0].showGridLines = False
    print_setup(ws, landscape=False, title=title)
    styles = {
        "title": (font(bold=True, size=16, color="1F4E78"), 30),
        "heading": (font(bold=True, size=13, color="1F4E78"), 24),
        "subheading": (font(bold=True, size=11), 20),
        "text": (font(size=11), None),
        "bullet": (font(size=11), None),
    }
    row = 0
    for style, text in pairs:
        style_font, height = styles[style]
        if style in ("heading", "subheading"):
            ws.append([])
            row += 1
        cell = WriteOnlyCell(ws, ("• " + text) if style == "bullet" else text)
        cell.font = style_font
        cell.alignment = Alignment(wrap_text=True, vertical="top",
                                   indent=1 if style == "bullet" else 0)
        row += 1
        ws.row_dimensions[row].height = height or row_height([text], [width - 4])
        ws.append([cell])


def _write_table(ws, table: Table, vocabulary: Vocabulary, marks: Marks,
                 rendered: Mapping[str, Sequence[bytes]]) -> list[PendingRows]:
    sheet = table.sheet
    ncols = len(sheet.columns)
    last_col = get_column_letter(ncols)
    widths = [header_width(c) for c in sheet.columns]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = frozen_cell(sheet.name)
    print_setup(ws, landscape=True)
    _print_wide(ws, sheet, sum(widths))
    ws.print_title_rows = "1:1"
    ws.row_dimensions[1].height = 45
    ws.append([_header_cell(ws, c) for c in sheet.columns])
    pending = []
    if any(key[0] == sheet.key for key in marks):
        _append_marked_rows(ws, sheet, table, marks)
    else:
        pending.append(PendingRows(table, rendered.get(sheet.key)))

    last_row = max(2, len(table) + 1)
    excel_table = ExcelTable(displayName=f"t{sheet.name}", ref=f"A1:{last_col}{last_row}")
    excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    excel_table.autoFilter = AutoFilter(ref=excel_table.ref)
    excel_table.tableColumns = [TableColumn(id=i, name=c.header)
                                for i, c in enumerate(sheet.columns, start=1)]
    with warnings.catch_warnings():  # openpyxl warns in write-only mode even when columns are set
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(excel_table)
    _add_validations(ws, sheet, vocabulary, last_row + SPARE_ROWS)
    return pending


def frozen_cell(sheet_name: str) -> str:
    """The first cell that scrolls: the header row stays, and the ID action column too
    in Actions and Offres."""
    return "B2" if sheet_name in (ACTIONS.name, OFFRES.name) else "A2"


CM_PER_WIDTH = 0.19          # one unit of Excel column width, printed at 100 %
A4_WIDTH_CM, A3_WIDTH_CM = 27.7, 40.0   # landscape, between the margins
MIN_A4_SCALE = 0.75          # a table narrower than this needs would print below 7.5 pt


def header_width(column: Column) -> float:
    """The column's width, widened so that no word of its header is cut (« Axe
    stratégique » breaks between the words, never inside « stratégique »)."""
    longest = max((len(word) for word in column.header.split()), default=0)
    return max(column.width, round(longest * 1.15 + 2, 1))


def _print_wide(ws, sheet: Sheet, width: float) -> None:
    print_wide(ws, width, repeat="A:A" if sheet.columns[0].key == "id_action" else None)


def print_wide(ws, width: float, *, repeat: str | None = None) -> None:
    """Tables wider than an A4 landscape page at 75 % print on A3, as many pages wide as
    they need at about their size (Actions: 2), the ``repeat`` columns (« A:A », the ID
    action) on each page. ``width``: the sum of the column widths."""
    width_cm = width * CM_PER_WIDTH
    if width_cm <= A4_WIDTH_CM / MIN_A4_SCALE:
        return
    ws.page_setup.paperSize = 8   # A3
    pages = max(1, round(width_cm / A3_WIDTH_CM))
    ws.page_setup.fitToWidth = pages
    if pages > 1:
        ws.page_setup.pageOrder = "overThenDown"   # the pages of the same rows together
        if repeat:
            ws.print_title_cols = repeat


def _header_cell(ws, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, column.header)
    cell.fill = HEADER_FILL
    cell.font = HEADER_FONT
    cell.alignment = HEADER_ALIGN
    cell.border = HEADER_BORDER
    comment = Comment(column.help, COMMENT_AUTHOR)
    comment.width, comment.height = 320, 110
    cell.comment = comment
    return cell


def row_height(texts, widths) -> float | None:
    """Height (points) that shows every wrapped text of a row, None for one line.

    Neither Excel nor LibreOffice re-measures rows of a generated file, so a
    wrapped cell would show only its first line without an explicit height.
    """
    lines = 1
    for text, width in zip(texts, widths):
        if text is None:
            continue
        per_line = max(1, int(width * 1.1))
        text = str(text)
        if len(text) <= per_line and "\n" not in text:
            continue
        count = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        if count > lines:
            lines = count
    if lines == 1:
        return None
    return min(409.0, lines * 15.0 + 2)


def _append_marked_rows(ws, sheet: Sheet, table: Table, marks: Marks) -> None:
    keys = sheet.keys
    long_columns = [i for i, c in enumerate(sheet.columns) if c.long_text]
    widths = [sheet.columns[i].width for i in long_columns]
    for index, row in enumerate(table.rows):
        height = row_height([row[i] for i in long_columns], widths)
        if height:
            ws.row_dimensions[index + 2].height = height
        cells = []
        for key, column, value in zip(keys, sheet.columns, row):
            mark = marks.get((sheet.key, index, key))
            if mark is None and value is None:
                cells.append(None)
                continue
            cell = text_cell(ws, value)
            cell.alignment = DATA_ALIGN if column.long_text else TOP_ALIGN
            if mark is not None:
                if mark.fill:
                    cell.fill = PatternFill("solid", fgColor=mark.fill)
                if mark.bold:
                    cell.font = font(bold=True)
                if mark.comment:
                    comment = Comment(mark.comment, COMMENT_AUTHOR)
                    comment.width, comment.height = 320, 110
                    cell.comment = comment
            cells.append(cell)
        ws.append(cells)


def _add_validations(ws, sheet: Sheet, vocabulary: Vocabulary, last_row: int) -> None:
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        area = f"{letter}2:{letter}{last_row}"
        if column.vocabulary and vocabulary.values(column.vocabulary):
            strict = column.vocabulary != "parcours"
            dv = DataValidation(
                type="list", formula1=list_name(column.vocabulary), allow_blank=True,
                showDropDown=False, showErrorMessage=True,
                errorStyle="stop" if strict else "warning",
                errorTitle="Valeur hors liste"[:32],
                error=(f"Choisissez une valeur de la liste « {column.header} » "
                       "(feuille Listes).")[:255],
                promptTitle=column.header[:32], prompt=column.help[:255],
            )
        elif column.type == "number":
            dv = DataValidation(
                type="decimal", allow_blank=True, showErrorMessage=True, errorStyle="warning",
                operator="greaterThanOrEqual", formula1="-1000000000",
                errorTitle="Nombre attendu",
                error=f"« {column.header} » attend un nombre (ex. 12 ou 12,5) ; l'unité "
                      "s'écrit dans la colonne Unité de la feuille Indicateurs.",
                promptTitle=column.header[:32], prompt=column.help[:255],
            )
        elif column.type == "int":
            low, high = ((1, 999) if column.key in ("numero_offre", "numero_indicateur")
                         else (1900, 2100))
            dv = DataValidation(
                type="whole", operator="between", formula1=str(low), formula2=str(high),
                allow_blank=True, showErrorMessage=True, errorStyle="warning",
                errorTitle="Nombre attendu",
                error=f"« {column.header} » attend un nombre entier entre {low} et {high}.",
                promptTitle=column.header[:32], prompt=column.help[:255],
            )
        else:
            continue
        dv.showInputMessage = True
        dv.add(area)
        ws.data_validations.append(dv)


def _write_lists(wb: Workbook, ws, vocabulary: Vocabulary) -> None:
    names = vocabulary.names
    columns = list(list_columns(vocabulary).items())
    for i, (header, _) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 30 if i != 2 else 16
    ws.freeze_panes = frozen_cell(LISTS_SHEET)
    print_setup(ws, landscape=True)
    ws.row_dimensions[1].height = 30   # « Codes des thématiques » on two lines
    header_cells = []
    for header, _ in columns:
        cell = WriteOnlyCell(ws, header)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, HEADER_ALIGN
        header_cells.append(cell)
    ws.append(header_cells)
    height = max(len(values) for _, values in columns)
    for r in range(height):
        ws.append([values[r] if r < len(values) else None for _, values in columns])
    list_positions = {"thematiques": 1, **{name: i for i, name in enumerate(names[1:], start=3)}}
    for name, col in list_positions.items():
        count = len(vocabulary.values(name))
        if not count:
            continue
        letter = get_column_letter(col)
        ref = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${count + 1}"
        wb.defined_names[list_name(name)] = DefinedName(list_name(name), attr_text=ref)


def _write_meta(ws, meta: Meta) -> None:
    ws.sheet_state = "hidden"
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    values = {
        "template_version": TEMPLATE_VERSION,
        "schema_version": SCHEMA_VERSION,
        "thematique": meta.thematique,
        "service": meta.service,
        "territoire": meta.territoire,
        "code_territoire": meta.code_territoire,
        "generator": f"ctgxl {__version__}",
    }
    ws.append(["Paramètre", "Valeur"])
    for key, label in META_FIELDS:
        ws.append([label, values[key]])
