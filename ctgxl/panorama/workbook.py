"""The panorama as a workbook: Synthèse, Lisez-moi, Territoires, Thématiques, Actions,
Fichiers, Constats — written atomically (``writer.save_workbook``).

The small sheets are written by openpyxl (write-only). The actions, a million rows at
national scale, are not: openpyxl writes their header and the spool's rows are rendered
as XML a block at a time and spliced into the saved file (``fastrows.splice_chunks``),
continuing into « Actions (2) »… past the 1,048,575 rows a sheet holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import count
from pathlib import Path

from ..catalogue import Column, Sheet
from .pipeline import Panorama
from .tables import (ACTION_FIELDS, FILE_FIELDS, FINDING_FIELDS, Field, file_rows,
                     finding_rows, territory_fields, territory_rows, theme_fields, theme_rows)

SHEET_ROWS = 1_048_575          # data rows a sheet holds below its header
ACTIONS = "Actions"


def action_sheet_names(rows: int, limit: int = SHEET_ROWS) -> tuple[str, ...]:
    """« Actions », then « Actions (2) »… as many as ``rows`` need."""
    sheets = max(1, -(-rows // limit))
    return (ACTIONS, *(f"{ACTIONS} ({k})" for k in range(2, sheets + 1)))


def write_workbook(panorama: Panorama, path: Path, *, vocabulary_order=(),
                   limit: int = SHEET_ROWS) -> Path:
    from openpyxl import Workbook

    from ..fastrows import splice_chunks
    from ..template import register_data_styles, write_paragraphs
    from ..writer import save_workbook
    from .dashboard import build_summary_sheet
    from .readme import paragraphs

    names = action_sheet_names(panorama.spool.count, limit)
    wb = Workbook(write_only=True)
    register_data_styles(wb)
    build_summary_sheet(panorama, vocabulary_order).build(wb.create_sheet("Synthèse"))
    write_paragraphs(wb.create_sheet("Lisez-moi"), paragraphs(panorama, names),
                     title="CTG — panorama des territoires")
    _table(wb.create_sheet("Territoires"), territory_fields(panorama), territory_rows(panorama))
    _table(wb.create_sheet("Thématiques"), theme_fields(panorama), theme_rows(panorama))
    counts = _split(panorama.spool.count, limit)
    for name, rows in zip(names, counts):
        _table(wb.create_sheet(name), ACTION_FIELDS, (), spliced=rows)
    _table(wb.create_sheet("Fichiers"), FILE_FIELDS, file_rows(panorama))
    _table(wb.create_sheet("Constats"), FINDING_FIELDS, finding_rows(panorama))

    def splice(tmp: str) -> None:
        chunks = _action_chunks(panorama, limit)
        splice_chunks(tmp, {name: _take(chunks, rows) for name, rows in zip(names, counts)})

    return save_workbook(wb, path, finish=splice)


def _split(rows: int, limit: int) -> list[int]:
    sheets = max(1, -(-rows // limit))
    return [min(limit, rows - k * limit) for k in range(sheets)]


def _header(ws, field: Field):
    from ..styles import HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT, text_cell

    cell = text_cell(ws, field.title)
    cell.fill, cell.font, cell.alignment, cell.border = (HEADER_FILL, HEADER_FONT,
                                                         HEADER_ALIGN, HEADER_BORDER)
    return cell


def _table(ws, fields: Sequence[Field], rows, *, spliced: int | None = None) -> None:
    """A sheet of one table: header, widths, frozen first row and column, filter, print set-up;
    its ``rows`` written here, or ``spliced`` rows to come (``splice_chunks``)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from ..styles import font, print_setup, text_cell
    from ..template import row_height

    widths = [_width(f) for f in fields]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B2"
    print_setup(ws, landscape=True, title="CTG — panorama des territoires")
    _print_wide(ws, sum(widths))
    ws.print_title_rows = "1:1"
    ws.row_dimensions[1].height = max(_title_lines(f.title, w) for f, w in zip(fields, widths)) \
        * 14 + 6
    ws.append([_header(ws, f) for f in fields])
    body = font(size=10)
    wrap, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")
    number = Alignment(horizontal="center", vertical="top")
    wrapped = [i for i, f in enumerate(fields) if f.wrap]
    written = 0
    for values in rows:
        written += 1
        height = row_height([values[i] for i in wrapped], [fields[i].width for i in wrapped])
        if height:
            ws.row_dimensions[written + 1].height = height
        cells = []
        for field, value in zip(fields, values):
            if value is None:
                cells.append(None)
                continue
            cell = text_cell(ws, value) if field.kind == "string" else WriteOnlyCell(ws, value)
            cell.font = body
            cell.alignment = wrap if field.wrap else number if field.kind != "string" else top
            if field.fmt:
                cell.number_format = field.fmt
            cells.append(cell)
        ws.append(cells)
    last = written if spliced is None else spliced
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{last + 1}"


MIN_SCALE = 0.8     # a table wider than an A3 page at this scale prints on several


def _width(field: Field) -> float:
    """The field's width, widened so that no word of its title is cut."""
    longest = max((len(word) for word in field.title.split()), default=0)
    return max(field.width, round(longest * 1.15 + 2, 1))


def _title_lines(title: str, width: float) -> int:
    """Lines a bold header takes in a column of ``width`` (words are never cut)."""
    per_line = max(1, int(width * 0.95) - 1)
    lines, used = 1, 0
    for word in title.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return max(lines, 2)


def _print_wide(ws, width: float) -> None:
    """A4 landscape when the table fits at 75 %, else A3, as many pages wide as it takes to
    print at 80 % or more, the first column (the territory) on each."""
    from ..template import A3_WIDTH_CM, A4_WIDTH_CM, CM_PER_WIDTH, MIN_A4_SCALE

    width_cm = width * CM_PER_WIDTH
    if width_cm <= A4_WIDTH_CM / MIN_A4_SCALE:
        return
    ws.page_setup.paperSize = 8
    pages = max(1, -(-width_cm // (A3_WIDTH_CM / MIN_SCALE)))
    ws.page_setup.fitToWidth = int(pages)
    if pages > 1:
        ws.page_setup.pageOrder = "overThenDown"
        ws.print_title_cols = "A:A"


def _render_sheet() -> Sheet:
    """The actions' columns as a catalogue ``Sheet``, for ``fastrows.render_rows``."""
    kinds = {"integer": "int", "number": "int", "boolean": "text", "string": "text"}
    return Sheet("panorama_actions", ACTIONS, "Actions des territoires",
                 tuple(Column(f.name, f.title, f.help, type=kinds[f.kind], width=int(_width(f)),
                              long_text=f.wrap) for f in ACTION_FIELDS), ("code_territoire",
                                                                         "id_action"))


_YES, _NO = "oui", "non"
_FLAG, _BUDGET = (next(i for i, f in enumerate(ACTION_FIELDS) if f.name == name)
                  for name in ("indicateurs", "budget"))


def _for_sheet(row: tuple) -> tuple:
    """A spooled action as the sheet shows it: « oui »/« non », a budget in whole euros."""
    values = list(row)
    flag, budget = values[_FLAG], values[_BUDGET]
    values[_FLAG] = None if flag is None else (_YES if flag else _NO)
    values[_BUDGET] = None if budget is None else int(round(budget))
    return tuple(values)


def _action_chunks(panorama: Panorama, limit: int) -> Iterator[tuple[int, bytes]]:
    """(rows, their ``<row>`` elements) a block at a time, numbered from 2 in each sheet; a
    block never spans two sheets."""
    from ..fastrows import render_rows

    sheet = _render_sheet()
    at = 0                              # rows already in the current sheet
    for block in panorama.spool.blocks():
        block = [_for_sheet(r) for r in block]
        while block:
            if at == limit:
                at = 0
            part, block = block[:limit - at], block[limit - at:]
            xml = "".join(render_rows(sheet, part, count(at + 2)))
            at += len(part)
            yield len(part), xml.encode("utf-8")


def _take(chunks: Iterator[tuple[int, bytes]], rows: int) -> Iterator[bytes]:
    """The chunks of the next ``rows`` rows of ``chunks`` (shared by consecutive sheets)."""
    done = 0
    while done < rows:
        n, data = next(chunks)
        done += n
        yield data
