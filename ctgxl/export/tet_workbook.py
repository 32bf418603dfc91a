"""The Territoires en Transitions import file written as .xlsx (one sheet, the section
titles of the platform's template on row 1, its headers on row 2, one fiche per row from
row 3), atomically."""

from __future__ import annotations

from pathlib import Path

from .tet import FIRST_ROW, SECTIONS, TET_COLUMNS, TetExport

SHEET = "Fichier d'import"
DATE_FORMAT = "DD/MM/YYYY"
WIDTHS = {"Titre de la fiche action": 48, "Notes complémentaires": 60, "Objectifs": 36,
          "Structure pilote": 30, "Partenaires": 30, "Moyens humains et techniques": 36,
          "Financements": 30, "Calendrier": 24}


def write_tet(export: TetExport, target: Path) -> Path:
    """Write the rows of ``export`` (all checked: no erreur) to ``target``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..styles import text_cell
    from ..writer import save_workbook

    assert not export.erreurs, "an export with erreurs is refused before it is written"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for position, header in enumerate(TET_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(position)].width = WIDTHS.get(header, 18)
    ws.freeze_panes = f"A{FIRST_ROW}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    sections = []
    for position in range(1, len(TET_COLUMNS) + 1):
        cell = text_cell(ws, SECTIONS.get(position))
        cell.font = bold
        sections.append(cell)
    ws.append(sections)
    headers = []
    for header in TET_COLUMNS:
        cell = text_cell(ws, header)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        headers.append(cell)
    ws.append(headers)
    for row in export.rows:
        cells = []
        for value in row.cells:
            if hasattr(value, "year"):
                cell = WriteOnlyCell(ws, value)
                cell.number_format = DATE_FORMAT
            else:
                cell = text_cell(ws, value)
                if type(value) is str:
                    cell.alignment = wrap
            cells.append(cell)
        ws.append(cells)
    return save_workbook(wb, target)
