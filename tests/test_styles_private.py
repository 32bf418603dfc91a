"""openpyxl's private style array, used by ``styles.style_of`` / ``set_style`` to style
thousands of cells of the diff workbook fast: fails loudly if openpyxl changes it."""

from __future__ import annotations

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from ctgxl.styles import set_style, style_of


def test_a_copied_style_styles_another_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    model = ws["A1"]
    model.fill = PatternFill("solid", fgColor="FF9C9C")
    model.font = Font(name="Calibri", bold=True)
    style = style_of(model)
    set_style(ws["B2"], style)
    model.font = Font(name="Calibri", italic=True)     # the copy does not follow the model
    wb.save(tmp_path / "styles.xlsx")
    cell = load_workbook(tmp_path / "styles.xlsx").active["B2"]
    assert cell.fill.fgColor.rgb.endswith("FF9C9C")
    assert cell.font.bold and not cell.font.italic
