"""openpyxl's private parts ctgxl relies on — the style array, used by ``styles.style_of`` /
``set_style`` to style thousands of cells of the diff workbook fast, and ``Worksheet._cells``,
which the annotated copy walks to cut long texts: fails loudly if openpyxl changes them."""

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


def test_print_titles_are_written_columns_first_as_excel_does(tmp_path):
    """openpyxl's ``PrintTitles.__str__``, replaced by ``styles``: fails loudly if it moves."""
    import ctgxl.styles  # noqa: F401
    from openpyxl.worksheet.print_settings import PrintTitles

    assert PrintTitles.__str__.__module__ == "ctgxl.styles"
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan d'actions"
    ws.print_title_rows, ws.print_title_cols = "1:1", "A:A"
    wb.save(tmp_path / "titres.xlsx")
    assert load_workbook(tmp_path / "titres.xlsx").active.print_title_cols == "$A:$A"
    import zipfile
    with zipfile.ZipFile(tmp_path / "titres.xlsx") as archive:
        book = archive.read("xl/workbook.xml").decode()
    assert "'Plan d''actions'!$A:$A,'Plan d''actions'!$1:$1</definedName>" in book


def test_the_cells_a_file_holds_are_walked_without_creating_the_empty_ones(tmp_path):
    from ctgxl.validation.annotate import cut_long_cells

    wb = Workbook()
    ws = wb.active
    ws["B2"] = "court"
    ws["C900000"] = "loin"
    ws.row_dimensions[1_048_576].height = 20          # a styled empty row, as Calc writes
    path = tmp_path / "loin.xlsx"
    wb.save(path)
    loaded = load_workbook(path)
    assert sorted(loaded.active._cells) == [(2, 2), (900_000, 3)]
    assert cut_long_cells(loaded) == 0   # (tests/test_validate_annotate.py cuts long ones)
    assert sorted(loaded.active._cells) == [(2, 2), (900_000, 3)]   # no cell created
