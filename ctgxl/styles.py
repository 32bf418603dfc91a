"""The shared look of every sheet ctgxl writes: fonts, header style, print set-up.

All fonts are named: a font without a name is shown in LibreOffice's default
(serif) font. Modules that add sheets (diff, merge, validation, consolidation)
take their basics from here so that every workbook looks like the template.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

FONT_NAME = "Calibri"
BLUE = "1F4E78"


def font(**attributes) -> Font:
    """A Calibri font (size 11 unless told)."""
    return Font(name=FONT_NAME, **attributes)


HEADER_FILL = PatternFill("solid", fgColor=BLUE)
HEADER_FONT = font(bold=True, color="FFFFFF")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
THIN = Side(style="thin", color="A6A6A6")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATA_ALIGN = Alignment(wrap_text=True, vertical="top")
TOP_ALIGN = Alignment(vertical="top")
LINK_FONT = font(color="0563C1", underline="single")
TITLE_FONT = font(bold=True, size=14, color=BLUE)


def text_cell(ws, value) -> WriteOnlyCell:
    """A write-only cell holding ``value``; text starting with "=" stays text, not a formula,
    and text an .xlsx cannot hold is made writable (``values.writable_text``)."""
    from .values import writable_text

    value = writable_text(value)
    cell = WriteOnlyCell(ws, value)
    if type(value) is str and value.startswith("="):
        cell.data_type = "s"
    return cell


def print_setup(ws, *, landscape: bool, title: str = "CTG — plan d'actions") -> None:
    """A4, one page wide, page numbers in the footer, ``title`` in the header.

    On a write-only worksheet, call it before the first ``append``.
    """
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=landscape)
    if not landscape:  # LibreOffice ignores fit-to-width on portrait text sheets: scale instead
        ws.page_setup.scale = 80
    ws.print_options.horizontalCentered = landscape
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&A — page &P / &N"
    ws.oddHeader.right.text = title


# -- openpyxl's private style array ----------------------------------------------------------
# Assigning style objects cell by cell costs seconds for a few thousand rows; copying the
# cell's style array (openpyxl's private ``Cell._style``, a StyleArray of indexes into the
# workbook's style tables) is instant. Only these two functions touch it;
# tests/test_styles_private.py fails loudly if openpyxl changes it.

def style_of(cell):
    """A copy of the style of ``cell`` (to give to other cells of the same workbook)."""
    from copy import copy

    return copy(cell._style)


def set_style(cell, style) -> None:
    """Give ``cell`` a style taken by ``style_of`` from a cell of the same workbook."""
    from copy import copy

    cell._style = copy(style)


# -- print titles, columns first ---------------------------------------------------------------
# openpyxl writes a sheet's print titles rows first (« 'Actions'!$1:$1,'Actions'!$A:$A »).
# Excel and LibreOffice write them columns first; LibreOffice, re-saving a rows-first name,
# keeps it and adds its own, so the file holds two Print_Titles for one sheet, which Excel
# then « repairs » (records removed). ``PrintTitles.__str__`` is the one place openpyxl
# renders the name: it is replaced here, for every workbook ctgxl writes (this module is
# imported by each writer, and by ``writer.save_workbook``); tests/test_styles_private.py
# fails loudly if openpyxl changes it.

def _columns_first(titles) -> str:
    from openpyxl.utils import quote_sheetname

    sheet = quote_sheetname(titles.title)
    return ",".join(f"{sheet}!{part}" for part in (titles.cols, titles.rows) if part)


def write_print_titles_columns_first() -> None:
    from openpyxl.worksheet.print_settings import PrintTitles

    PrintTitles.__str__ = _columns_first


write_print_titles_columns_first()
