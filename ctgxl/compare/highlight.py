"""The highlighter workbook of a diff: what changed, coloured, one row per changed row.

Sheets: « Synthèse » (files compared, counts per sheet, legend; printed on
one page), then one « Différences <feuille> » sheet per sheet that changed.
Each changed row shows all its columns; added rows are green, removed rows
red, and in modified rows each changed cell is coloured and reads « ancien →
nouveau ». The sheet names differ from the plan's own, so this workbook is
never mistaken for a plan.

What changed comes first, where the eye starts: after « Changement », the
column « Champs modifiés » names the changed fields of the row (« Porteur(s)
de projet, Statut »), and the plan's columns are reordered per sheet —
the identifying columns (ID action…), then every column changed in at least
one row of the sheet, then the unchanged ones, each group in the plan's
order. A Statut change thus sits beside the ID action, not at the far right
behind a tall unchanged title. (Reordering rather than repeating the changed
values up front keeps each value in one cell, and the sheet one row per
change.) Row heights count every cell of the row, the « Changement » label
included, so no text is hidden below its row.

openpyxl is imported here only; call ``build_diff_workbook`` then save it with
``writer.save_workbook`` (atomic).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from functools import cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from .. import __version__
from ..catalogue import TABLE_SHEETS
from ..styles import (HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT, LINK_FONT, font,
                      print_setup, set_style, style_of)
from ..template import header_width, print_wide, row_height
from ..values import writable_text
from ..wording import plural
from .align import POLICIES
from .diff import PlanDiff, TableDiff
from .labels import COSMETIC_LABELS, change_label, header, plain
from .report import count_differences

SUMMARY_SHEET = "Synthèse"
SHEET_PREFIX = "Différences "
ARROW = " → "

# name -> (fill, font colour, legend text)
STYLES = {
    "added": ("C6EFCE", "006100", "Ligne ajoutée dans le nouveau classeur (valeurs nouvelles)."),
    "removed": ("FFC7CE", "9C0006", ("Ligne supprimée : elle n'existe plus dans le nouveau "
                                     "classeur (valeurs anciennes).")),
    "changed": ("FFEB9C", "7F4F00", "Cellule modifiée : « ancienne valeur → nouvelle valeur »."),
    "moved": ("F8CBAD", "843C0C", ("Ligne déplacée sous une autre thématique, un autre axe "
                                   "ou objectif : cellules de l'emplacement, « ancien → "
                                   "nouveau ».")),
    "renumbered": ("D9D2E9", "3F3151", ("Ligne renumérotée (nouvel identifiant ou numéro, "
                                        "contenu retrouvé) : « ancien → nouveau ».")),
    "cosmetic": ("DDEBF7", "1F4E78", ("Changement de forme seulement (espaces, majuscules/"
                                      "minuscules) : « ancien → nouveau ».")),
}
UNCHANGED_FONT = font(color="7F7F7F")
BOLD = font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CHANGED_FIELDS = "Champs modifiés"
EXTRA_COLUMNS = (("Changement", 22), (CHANGED_FIELDS, 24), ("Ligne (ancien)", 10),
                 ("Ligne (nouveau)", 10))
SUMMARY_WIDTHS = (24, 10, 11, 10, 11, 13, 10, 11)   # A…H: fits A4 portrait at 100 %


@cache
def _fill(name: str) -> PatternFill:
    return PatternFill("solid", fgColor=STYLES[name][0])


@cache
def _font(name: str, bold: bool = False) -> Font:
    return font(color=STYLES[name][1], bold=bold)


def build_diff_workbook(diff: PlanDiff, old_name: str, new_name: str) -> Workbook:
    wb = Workbook()
    summary = wb.active
    summary.title = SUMMARY_SHEET
    sheets = {}
    for sheet in TABLE_SHEETS:
        table = diff.table(sheet.key)
        if table.rows:
            sheets[sheet.key] = SHEET_PREFIX + sheet.name
            _write_table(wb.create_sheet(sheets[sheet.key]), table)
    _write_summary(summary, diff, old_name, new_name, sheets)
    return wb


def _write_summary(ws, diff: PlanDiff, old_name: str, new_name: str, sheets: dict) -> None:
    ws.sheet_view.showGridLines = False
    for letter, width in zip("ABCDEFGH", SUMMARY_WIDTHS):
        ws.column_dimensions[letter].width = width
    ws["A1"] = "Différences entre deux versions du plan d'actions CTG"
    ws["A1"].font = font(bold=True, size=14, color="1F4E78")
    now = dt.datetime.now().strftime("%d/%m/%Y à %H:%M")
    for row, (label, value) in enumerate((("Ancien classeur", old_name),
                                          ("Nouveau classeur", new_name),
                                          ("Comparaison", f"le {now}, par ctgxl {__version__}")),
                                         start=2):
        ws.cell(row, 1, label).font = font(bold=True)
        ws.cell(row, 2, writable_text(value))
    n = count_differences(diff)
    verdict = ("Les deux classeurs sont identiques." if n == 0
               else f"{plural(n, 'différence')}. Les lignes sont appariées par leur identifiant, "
                    "jamais "
                    "par leur position : insérer ou trier des lignes ne crée pas de différence.")
    if diff.ignore_cosmetic:
        verdict += " Les changements d'espaces et de majuscules ont été ignorés."
    ws["A6"] = verdict
    ws["A6"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A6:H6")
    ws.row_dimensions[6].height = row_height([verdict], [sum(SUMMARY_WIDTHS)]) or 15

    headers = ("Feuille", "Ajoutées", "Supprimées", "Modifiées", "dont déplacées",
               "dont renumérotées", "Forme seule", "Inchangées")
    for col, text in enumerate(headers, start=1):
        _header(ws.cell(8, col, text))
    ws.row_dimensions[8].height = 30
    row = 9
    for sheet in TABLE_SHEETS:
        t = diff.table(sheet.key)
        values = (sheet.name, len(t.added), len(t.removed), len(t.modified), len(t.moved),
                  len(t.renumbered), len(t.cosmetic), t.unchanged)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.border = GRID
        if sheet.key in sheets:
            _link(ws.cell(row, 1), sheets[sheet.key])
        row += 1

    counted = [(sheet, field_counts(diff.table(sheet.key))) for sheet in TABLE_SHEETS]
    counted = [(sheet, counts) for sheet, counts in counted if counts]
    if counted:
        row += 1
        ws.cell(row, 1, f"{CHANGED_FIELDS} (nombre de lignes)").font = font(bold=True)
        for sheet, counts in counted:
            row += 1
            text = ", ".join(f"{name} ({n})" for name, n in counts.items())
            ws.cell(row, 1, sheet.name)
            cell = ws.cell(row, 2, text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
            height = row_height([text], [sum(SUMMARY_WIDTHS[1:])])
            if height:
                ws.row_dimensions[row].height = height

    if diff.meta:
        row += 1
        ws.cell(row, 1, "Paramètres du classeur modifiés").font = font(bold=True)
        for change in diff.meta:
            row += 1
            ws.cell(row, 1, header("meta", change.column))
            cell = ws.cell(row, 2, f"{plain(change.old)}{ARROW}{plain(change.new)}")
            cell.fill, cell.font = _fill("changed"), _font("changed")
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)

    row += 2
    ws.cell(row, 1, "Légende").font = font(bold=True, size=12, color="1F4E78")
    for name, label in (("added", "Ajoutée"), ("removed", "Supprimée"), ("changed", "Modifiée"),
                        ("moved", "Déplacée"), ("renumbered", "Renumérotée"),
                        ("cosmetic", "Forme seule")):
        row += 1
        swatch = ws.cell(row, 1, label)
        swatch.fill, swatch.font, swatch.border = _fill(name), _font(name, bold=True), GRID
        swatch.alignment = Alignment(vertical="center")
        text = ws.cell(row, 2, STYLES[name][2])
        text.alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
        ws.row_dimensions[row].height = max(30, row_height([STYLES[name][2]],
                                                           [sum(SUMMARY_WIDTHS[1:])]) or 0)
    for label, text in (("Valeur grise", "Valeur inchangée d'une ligne modifiée, rappelée pour "
                                          "la lire en entier."),
                        (CHANGED_FIELDS, "Les champs qui ont changé dans la ligne ; ces "
                                         "colonnes viennent juste après l'identifiant.")):
        row += 1
        ws.cell(row, 1, label).font = UNCHANGED_FONT if label == "Valeur grise" else BOLD
        ws.cell(row, 2, text).alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=8)
    print_setup(ws, landscape=False, title="CTG — différences")
    fit_one_page(ws)


def field_counts(table: TableDiff) -> dict[str, int]:
    """Header -> number of rows where that field changed; most changed first, then in the
    plan's order."""
    sheet = table.sheet
    counts: dict[str, int] = {}
    for change in table.rows:
        for f in change.changes:
            counts[f.column] = counts.get(f.column, 0) + 1
    ordered = sorted(counts, key=lambda key: (-counts[key], sheet.position(key)))
    return {sheet.column(key).header: counts[key] for key in ordered}


def fit_one_page(ws) -> None:
    """Print ``ws`` on one page: fit to one page wide and one page tall."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.page_setup.scale = None


def _header(cell) -> None:
    cell.fill, cell.font, cell.alignment, cell.border = (HEADER_FILL, HEADER_FONT, HEADER_ALIGN,
                                                         HEADER_BORDER)


def _link(cell, sheet_name: str) -> None:
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(sheet_name)}!A1",
                               display=str(cell.value))
    cell.font = LINK_FONT


def column_order(table: TableDiff) -> list[int]:
    """Positions of the sheet's columns as shown: the identifying columns, then the columns
    changed in at least one row, then the others; each group in the plan's order."""
    sheet = table.sheet
    keys = [sheet.position(k) for k in sheet.key_columns]
    changed = {f.column for change in table.rows for f in change.changes}
    rest = [i for i in range(len(sheet.columns)) if i not in keys]
    return (keys + [i for i in rest if sheet.columns[i].key in changed]
            + [i for i in rest if sheet.columns[i].key not in changed])


def changed_fields(sheet, change, order: list[int]) -> str | None:
    """« Porteur(s) de projet, Statut »: the headers of the changed fields, as shown."""
    changed = {f.column for f in change.changes}
    headers = [sheet.columns[i].header for i in order if sheet.columns[i].key in changed]
    return ", ".join(headers) or None


def _write_table(ws, table: TableDiff) -> None:
    sheet = table.sheet
    order = column_order(table)
    columns = [sheet.columns[i] for i in order]
    offset = len(EXTRA_COLUMNS)
    for col, (text, width) in enumerate(EXTRA_COLUMNS, start=1):
        _header(ws.cell(1, col, text))
        ws.column_dimensions[get_column_letter(col)].width = width
    widths = [w for _, w in EXTRA_COLUMNS] + [header_width(c) for c in columns]
    for col, column in enumerate(columns, start=offset + 1):
        _header(ws.cell(1, col, column.header))
        ws.column_dimensions[get_column_letter(col)].width = widths[col - 1]
    ws.row_dimensions[1].height = 45
    policy = POLICIES[sheet.key]
    numbering = {*policy.numbering, *sheet.key_columns} - set(policy.location)
    # « ancien → nouveau » wraps more: plan columns are measured a little narrower
    widths = widths[:offset] + [w * 0.85 for w in widths[offset:]]
    label_width, fields_width = (w * 0.9 for _, w in EXTRA_COLUMNS[:2])

    styled = _Styler()
    for r, change in enumerate(table.rows, start=2):
        label = change_label(sheet, change)
        if change.similarity is not None and change.similarity < 1:
            label += f" (contenu semblable à {round(change.similarity * 100)} %)"
        old_row = table.old.excel_row(change.old_index) if change.old_index is not None else None
        new_row = table.new.excel_row(change.new_index) if change.new_index is not None else None
        style = {"added": "added", "removed": "removed"}.get(change.kind)
        fields = changed_fields(sheet, change, order)
        for col, value in enumerate((label, fields, old_row, new_row), start=1):
            styled(ws.cell(r, col, writable_text(value)), style, bold=col == 1)
        texts: list[object] = [_wrapped(label, label_width), _wrapped(fields, fields_width),
                               old_row, new_row]
        changed = {f.column: f for f in change.changes}
        for col, (column, position) in enumerate(zip(columns, order), start=offset + 1):
            value = change.row[position]
            field = changed.get(column.key)
            cell = ws.cell(r, col)
            if field is None:
                _set_value(cell, value)
                styled(cell, style or "unchanged")
            else:
                name = ("cosmetic" if field.cosmetic else
                        "moved" if change.moved and column.key in policy.location else
                        "renumbered" if change.renumbered and column.key in numbering else
                        "changed")
                text = f"{plain(field.old)}{ARROW}{plain(field.new)}"
                if field.cosmetic:
                    text += f" ({COSMETIC_LABELS[field.cosmetic]})"
                cell.value = writable_text(text)
                cell.data_type = "s"
                styled(cell, name)
            texts.append(cell.value)
        height = row_height(texts, widths)
        if height:
            ws.row_dimensions[r].height = height

    ws.freeze_panes = ws.cell(2, offset + len(sheet.key_columns) + 1)
    last = get_column_letter(offset + len(columns))
    ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    ws.print_title_rows = "1:1"
    print_setup(ws, landscape=True, title="CTG — différences")
    # wide sheets on A3 like the plan's; the change and the row's key repeated on each page
    key_end = get_column_letter(offset + len(sheet.key_columns))
    print_wide(ws, sum(widths), repeat=f"A:{key_end}" if sheet.key_columns else "A:A")


def _wrapped(text: str | None, width: float) -> str | None:
    """``text`` broken where a cell ``width`` wide wraps it between words: ``row_height``
    counts characters, and a short column wraps a list of words onto more lines than that."""
    if not text:
        return text
    return "\n".join(textwrap.fill(part, max(1, int(width * 1.1))) for part in text.split("\n"))


class _Styler:
    """Styles cells by copying a cached style array: assigning openpyxl style
    objects cell by cell costs seconds for a few thousand rows."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str | None, bool], object] = {}

    def __call__(self, cell, name: str | None, *, bold: bool = False) -> None:
        key = (name, bold)
        style = self.cache.get(key)
        if style is not None:
            set_style(cell, style)
            return
        cell.alignment, cell.border = WRAP, GRID
        if name == "unchanged":
            cell.font = UNCHANGED_FONT
        elif name:
            cell.fill, cell.font = _fill(name), _font(name, bold)
        elif bold:
            cell.font = BOLD
        self.cache[key] = style_of(cell)


def _set_value(cell, value) -> None:
    value = writable_text(value)   # a file name with control characters, a 40,000-char text
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text


__all__ = ["build_diff_workbook", "changed_fields", "column_order"]
