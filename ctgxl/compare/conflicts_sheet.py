"""Decoration of a merged workbook: conflicted cells marked, a « Conflits » sheet.

Builds the ``marks`` and ``extra_sheets`` arguments of ``writer.write_plan``.
Each conflicted cell keeps the preferred side's value, is filled orange and
carries a comment with the base, local and distant values; the « Conflits »
sheet, placed first, lists every conflict with a link to its cell.
"""

from __future__ import annotations

from ..template import CellMark, ExtraSheet
from ..writer import cell_ref
from .labels import CONFLICT_LABELS, SIDE_LABELS, header, key_label, plain, sheet_label
from .merge import Conflict, MergeResult

CONFLICTS_SHEET = "Conflits"
CONFLICT_FILL = "F4B084"
COLUMNS = (("N°", 5), ("Feuille", 12), ("Cellule", 10), ("Ligne", 18), ("Colonne", 24),
           ("Nature du conflit", 26), ("Base", 30), ("Local", 30), ("Distant", 30),
           ("Valeur conservée", 11))
HEADER_ROW = 4


def conflict_cells(result: MergeResult) -> list[str | None]:
    """``Actions!H12`` of each conflict in the merged workbook (None if the row is gone)."""
    return [None if c.table == "meta" or c.index is None else cell_ref(c.table, c.index, c.column)
            for c in result.conflicts]


def _value(conflict: Conflict, side: str) -> str:
    if conflict.kind == "supprimee-en-local" and side == "local":
        return "(ligne supprimée)"
    if conflict.kind == "supprimee-a-distance" and side == "distant":
        return "(ligne supprimée)"
    if conflict.kind == "ajoutee-des-deux-cotes" and side == "base":
        return "(ligne absente)"
    value = {"base": conflict.base, "local": conflict.local, "distant": conflict.remote}[side]
    return plain(value)


def conflict_marks(result: MergeResult) -> dict[tuple[str, int, str], CellMark]:
    marks = {}
    for c in result.conflicts:
        if c.table == "meta" or c.index is None:
            continue
        comment = (f"Conflit de fusion : {CONFLICT_LABELS[c.kind]}.\n"
                   f"Base : {_value(c, 'base')}\nLocal : {_value(c, 'local')}\n"
                   f"Distant : {_value(c, 'distant')}\n"
                   f"Valeur conservée : {SIDE_LABELS[c.kept]}. "
                   f"Voir la feuille « {CONFLICTS_SHEET} ».")
        marks[(c.table, c.index, c.column)] = CellMark(fill=CONFLICT_FILL, comment=comment)
    return marks


def conflicts_sheet(result: MergeResult) -> ExtraSheet:
    def build(ws) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, PatternFill
        from openpyxl.utils import get_column_letter, quote_sheetname
        from openpyxl.worksheet.hyperlink import Hyperlink

        from ..styles import (HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT, LINK_FONT,
                              TITLE_FONT, print_setup)
        from ..template import row_height

        for n, (_, width) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        ws.row_dimensions[HEADER_ROW].height = 30
        ws.sheet_properties.tabColor = CONFLICT_FILL

        def text(value, **style) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value)
            if isinstance(value, str):
                cell.data_type = "s"
            for name, v in style.items():
                setattr(cell, name, v)
            return cell

        print_setup(ws, landscape=True, title="CTG — fusion")
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        kept = SIDE_LABELS[result.prefer]
        ws.append([text(f"Conflits de fusion : {len(result.conflicts)}",
                        font=TITLE_FONT)])
        ws.append([text(f"Dans chaque cellule en conflit (fond orange, avec un commentaire), "
                        f"la valeur {kept} a été conservée.")])
        ws.append([text("Si une autre valeur est la bonne, suivez le lien de la colonne "
                        "« Cellule » et corrigez la cellule ; une fois tous les conflits réglés, "
                        "supprimez cette feuille.")])
        ws.append([text(label, fill=HEADER_FILL, font=HEADER_FONT, alignment=HEADER_ALIGN,
                        border=HEADER_BORDER) for label, _ in COLUMNS])
        wrap = Alignment(wrap_text=True, vertical="top")
        orange = PatternFill("solid", fgColor=CONFLICT_FILL)
        for n, (c, cell) in enumerate(zip(result.conflicts, conflict_cells(result)), start=1):
            link = text(cell.split("!")[1] if cell else "—", alignment=wrap)
            if cell:
                sheet, coordinate = cell.split("!")
                target = f"{quote_sheetname(sheet)}!{coordinate}"
                link.hyperlink = Hyperlink(ref="", location=target)
                link.font = LINK_FONT
            values = [_value(c, side) for side in ("base", "local", "distant")]
            kept_column = 8 if c.kept == "local" else 9
            row = [text(n, alignment=wrap), text(sheet_label(c.table), alignment=wrap), link,
                   text(key_label(c.table, c.key), alignment=wrap),
                   text(header(c.table, c.column), alignment=wrap),
                   text(CONFLICT_LABELS[c.kind], alignment=wrap)]
            for col, value in enumerate(values, start=7):
                cell_ = text(value, alignment=wrap)
                if col == kept_column:
                    cell_.fill = orange
                row.append(cell_)
            row.append(text(SIDE_LABELS[c.kept], alignment=wrap))
            height = row_height([key_label(c.table, c.key), header(c.table, c.column),
                                 CONFLICT_LABELS[c.kind], *values],
                                [w * 0.9 for _, w in COLUMNS[3:9]])
            if height:
                ws.row_dimensions[HEADER_ROW + n].height = height
            ws.append(row)
        ws.auto_filter.ref = (f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}"
                              f"{HEADER_ROW + len(result.conflicts)}")

    return ExtraSheet(CONFLICTS_SHEET, build, first=True)
