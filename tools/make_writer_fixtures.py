"""Add to ``tests/fixtures/office/`` the habits of Excel-style writers, made without
LibreOffice, with the project's Python (openpyxl and XlsxWriter, dev extra)::

    python tools/make_writer_fixtures.py

Each fixture holds exactly the plan of an example of ``examples/``; only its structure
differs, as Excel and other writers leave it:

- ``enfance_excel_lignes_vides_stylees.xlsx``: empty styled ``<row>`` elements from the end
  of the table down to row 1,048,576 (a format applied to whole rows), and the dimension
  that goes with them;
- ``jeunesse_excel_dimension_xfd.xlsx``: ``<dimension ref="A1:XFD1048576"/>``;
- ``petite_enfance_excel_cols_xfd.xlsx``: ``<cols>`` styled from the table's last column to
  column 16,384 (XFD), as a format applied to the whole sheet;
- ``parentalite_xlsxwriter_constant_memory.xlsx``: every sheet written again by XlsxWriter
  with ``constant_memory=True`` (rows streamed, strings inline).

The first three rewrite the example's ``xl/worksheets`` part of « Actions » in the zip
archive; nothing else changes. Entries are merged into ``manifest.json`` with those of
``make_office_fixtures.py``.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixture_manifest as manifest  # noqa: E402
from office_readback import read_sheet, xlsx_facts, xlsx_sheet_part  # noqa: E402

EXAMPLES = manifest.ROOT / "examples"
LAST_ROW = 1_048_576


def rewrite_actions(source: Path, target: Path, change) -> None:
    """Copy ``source`` to ``target`` with the « Actions » sheet XML passed through
    ``change(xml) -> xml``; every other part is copied as it is."""
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w",
                                                          zipfile.ZIP_DEFLATED) as out:
        part = xlsx_sheet_part(book, "Actions")
        for info in book.infolist():
            data = book.read(info.filename)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def _dimension(xml: str, ref: str) -> str:
    """Set the sheet's declared dimension (the examples, written by openpyxl in write-only
    mode, have none: it goes before ``<sheetViews>``, as the schema orders it)."""
    element = f'<dimension ref="{ref}"/>'
    if "<dimension " in xml:
        return re.sub(r'<dimension ref="[^"]*"\s*/>', element, xml, count=1)
    return xml.replace("<sheetViews>", element + "<sheetViews>", 1)


def _last_column(xml: str) -> str:
    """Letters of the header row's last column."""
    return max(re.findall(r'<c r="([A-Z]+)1"', xml), key=lambda c: (len(c), c))


def _body_style(xml: str) -> str:
    """Style index of the table's body cells (row 2), for the empty rows and columns."""
    return re.search(r'<c r="A2"[^>]*? s="(\d+)"', xml).group(1)


def styled_empty_rows(xml: str) -> str:
    last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
    width = _last_column(xml)
    style = _body_style(xml)
    rows = "".join(f'<row r="{n}" s="{style}" customFormat="1"/>'
                   for n in range(last + 1, LAST_ROW + 1))
    xml = xml.replace("</sheetData>", rows + "</sheetData>", 1)
    return _dimension(xml, f"A1:{width}{LAST_ROW}")


def dimension_xfd(xml: str) -> str:
    return _dimension(xml, f"A1:XFD{LAST_ROW}")


def cols_to_xfd(xml: str) -> str:
    last = max(int(m) for m in re.findall(r'<col [^>]*?max="(\d+)"', xml))
    col = (f'<col min="{last + 1}" max="16384" width="9.140625" style="{_body_style(xml)}" '
           'customWidth="1"/>')
    return xml.replace("</cols>", col + "</cols>", 1)


def constant_memory(source: Path, target: Path) -> str:
    """Every sheet of ``source`` written again, values only, by XlsxWriter in
    constant_memory mode (sheet order, names and the hidden parameters sheet kept)."""
    import openpyxl
    import xlsxwriter

    book = openpyxl.load_workbook(source, read_only=True)
    out = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    try:
        for sheet in book.worksheets:
            written = out.add_worksheet(sheet.title)
            if sheet.sheet_state != "visible":
                written.hide()
            for r, row in enumerate(sheet.iter_rows(values_only=True)):
                for c, value in enumerate(row):
                    if value is not None:
                        written.write(r, c, value)
    finally:
        out.close()
        book.close()
    return xlsxwriter.__version__


FIXTURES = (
    ("enfance_excel_lignes_vides_stylees", "enfance.xlsx",
     "Lignes vides mises en forme de la fin du tableau jusqu'à la ligne 1 048 576 "
     "(« Actions »), comme après une mise en forme de lignes entières.", styled_empty_rows),
    ("jeunesse_excel_dimension_xfd", "jeunesse.xlsx",
     "Dimension de la feuille « Actions » déclarée A1:XFD1048576.", dimension_xfd),
    ("petite_enfance_excel_cols_xfd", "petite_enfance.xlsx",
     "Colonnes mises en forme de la fin du tableau jusqu'à la colonne XFD (16 384) dans "
     "« Actions », comme une mise en forme de la feuille entière.", cols_to_xfd),
    ("parentalite_xlsxwriter_constant_memory", "parentalite.xlsx",
     "Toutes les feuilles réécrites par XlsxWriter en mode constant_memory (valeurs "
     "seules, textes en ligne).", None),
)


def make(name: str, example: str, edit_fr: str, change, folder: Path) -> dict:
    source, target = EXAMPLES / example, folder / f"{name}.xlsx"
    if change is None:
        made_by = f"XlsxWriter {constant_memory(source, target)} (constant_memory=True)"
    else:
        rewrite_actions(source, target, change)
        made_by = f"ctgxl tools/make_writer_fixtures.py ({change.__name__})"
    before, after = read_sheet(str(source), "Actions"), read_sheet(str(target), "Actions")
    if after.cells != before.cells:
        raise SystemExit(f"{target.name} : les valeurs de « Actions » ont changé")
    print(f"{target.name} : {target.stat().st_size:,} octets")
    return {
        "name": name,
        "files": [target.name],
        "source": manifest.relative(source),
        "base": manifest.relative(source),
        "made_by": made_by,
        "edit_fr": edit_fr,
        "edit": manifest.blank_edit(),
        "expect": {"ids": before.column(1)},
        "stored": {},
        "xlsx_facts": xlsx_facts(target),
    }


def main() -> int:
    folder = manifest.FIXTURES
    folder.mkdir(parents=True, exist_ok=True)
    entries = [make(*fixture, folder) for fixture in FIXTURES]
    path = manifest.save(folder, manifest.load(folder), entries)
    print(f"{len(entries)} classeurs écrits ; manifeste : {manifest.relative(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
