"""Decoration of a merged workbook: conflicts in orange, clean merges in green, the first sheet.

Builds the ``marks`` and ``extra_sheets`` arguments of ``writer.write_plan``.
Each conflicted cell keeps the preferred side's value, is filled orange and
carries a comment with the base, local and distant values; each value taken
from LOCAL or DISTANT without conflict is filled light green with a comment
« Modifié dans LOCAL ». The « Conflits » sheet, placed first, lists every
conflict with a link to its cell, the three values, a column « Valeur à
garder » for the coordinator's choice (read back by ``ctgxl merge
--resoudre``, see ``resolve``) and the legend of both colours. Without
conflicts, a small « Fusion » sheet gives the legend and the counts instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Plan
from ..template import CellMark, ExtraSheet, Marks
from ..writer import cell_ref
from ..wording import plural
from .labels import CONFLICT_LABELS, SIDE_LABELS, header, key_label, plain, sheet_label
from .merge import Conflict, MergedChange, MergeResult
from .choices import (CHOICE_HEADER, CHOICES, CONFLICTS_SHEET, DELETED, DELETER, REF_HEADER,
                      ConflictRow, encode_ref, side_label)
from .resolve import Resolved

SUMMARY_SHEET = "Fusion"
CONFLICT_FILL = "F4B084"   # orange: a conflict to settle
MERGED_FILL = "E2EFDA"     # light green: taken from one side without conflict
CHOICE_FILL = "FFF2CC"     # light yellow: a cell to fill in
COLUMNS = (("N°", 5), ("Feuille", 11), ("Cellule", 13), ("Ligne (clé)", 16), ("Colonne", 20),
           ("Nature du conflit", 22), ("Base", 28), ("Local", 28), ("Distant", 28),
           ("Valeur conservée", 11), (CHOICE_HEADER, 20), (REF_HEADER, 12))
VALUE_COLUMNS = {"local": 8, "distant": 9}       # 1-based column of each side's value
CHOICE_COLUMN, REF_COLUMN = 11, 12
HEADER_ROW = 7


def conflict_cells(result: MergeResult) -> list[str | None]:
    """``Actions!H12`` of each conflict in the merged workbook (None if the row is gone)."""
    return [conflict_cell(c) for c in result.conflicts]


def conflict_cell(c: Conflict) -> str | None:
    return None if c.table == "meta" or c.index is None else cell_ref(c.table, c.index, c.column)


def conflict_rows(result: MergeResult, inputs: Sequence[Plan]) -> list[ConflictRow]:
    """The conflicts of a merge as listed in its « Conflits » sheet: the key of each row in
    the merged plan, and the row the editing side kept when the kept side deleted it
    (``inputs``: the base, local and distant plans)."""
    rows = []
    for c in result.conflicts:
        if c.table == "meta":
            rows.append(ConflictRow(c))
            continue
        if c.index is not None:
            table = result.plan.table(c.table)
            rows.append(ConflictRow(c, table.key_of(table.rows[c.index])))
            continue
        side, at = (2, c.remote_index) if DELETER[c.kind] == "local" else (1, c.local_index)
        table = inputs[side].table(c.table)
        row = table.rows[at]
        after = table.key_of(table.rows[at - 1]) if at else ()
        rows.append(ConflictRow(c, table.key_of(row), dict(zip(table.sheet.keys, row)), after))
    return rows


# -- marks ---------------------------------------------------------------------------------

def _value(conflict: Conflict, side: str) -> str:
    if DELETER.get(conflict.kind) == side:
        return DELETED
    if conflict.kind == "ajoutee-des-deux-cotes" and side == "base":
        return "(ligne absente)"
    value = {"base": conflict.base, "local": conflict.local, "distant": conflict.remote}[side]
    return plain(value)


def _values_text(c: Conflict) -> str:
    return (f"Base : {_value(c, 'base')}\nLocal : {_value(c, 'local')}\n"
            f"Distant : {_value(c, 'distant')}")


def conflict_marks(rows: Sequence[ConflictRow]) -> dict[tuple[str, int, str], CellMark]:
    """Orange cells, with the three values in their comment."""
    marks = {}
    for row in rows:
        c = row.conflict
        if c.table == "meta" or c.index is None:
            continue
        comment = (f"Conflit de fusion : {CONFLICT_LABELS[c.kind]}.\n{_values_text(c)}\n"
                   f"Valeur conservée : {SIDE_LABELS[c.kept]}. Pour en garder une autre : "
                   f"colonne « {CHOICE_HEADER} » de la feuille « {CONFLICTS_SHEET} ».")
        marks[(c.table, c.index, c.column)] = CellMark(fill=CONFLICT_FILL, comment=comment)
    return marks


def _who(sides: Sequence[str]) -> str:
    if len(sides) == 2:
        return "LOCAL et DISTANT (même changement)"
    return SIDE_LABELS[sides[0]]


def change_marks(changes: Sequence[MergedChange], plan: Plan,
                 ) -> dict[tuple[str, int, str], CellMark]:
    """Light green cells for the values LOCAL or DISTANT changed without conflict."""
    marks = {}
    for ch in changes:
        if ch.column is not None:
            marks[(ch.table, ch.index, ch.column)] = CellMark(
                fill=MERGED_FILL, comment=(f"Modifié dans {_who(ch.sides)}, fusionné sans "
                                           f"conflit.\nValeur de BASE : {plain(ch.base)}"))
            continue
        table = plan.table(ch.table)
        filled = [k for k, v in zip(table.sheet.keys, table.rows[ch.index]) if v is not None]
        for n, column in enumerate(filled):
            comment = (f"Ligne ajoutée dans {_who(ch.sides)}, fusionnée sans conflit."
                       if n == 0 else None)
            marks[(ch.table, ch.index, column)] = CellMark(fill=MERGED_FILL, comment=comment)
    return marks


def resolved_marks(resolved: Sequence[Resolved]) -> dict[tuple[str, int, str], CellMark]:
    """Light green cells for the conflicts ``--resoudre`` settled."""
    marks = {}
    for r in resolved:
        c = r.conflict
        if c.table == "meta" or c.index is None:
            continue
        what = ("valeur saisie" if r.choice == "saisie"
                else f"valeur de {side_label(r.choice)} choisie")
        if r.action == "ligne-retablie":
            what = f"ligne rétablie, {what}"
        marks[(c.table, c.index, c.column)] = CellMark(
            fill=MERGED_FILL, comment=f"Conflit réglé : {what}.\n{_values_text(c)}")
    return marks


def merge_marks(result: MergeResult, rows: Sequence[ConflictRow]) -> Marks:
    """Every mark of a merged workbook (a conflict's orange wins over green)."""
    return {**change_marks(result.changes, result.plan), **conflict_marks(rows)}


# -- the first sheet -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Cells:
    """Helpers to build write-only cells on one worksheet."""

    ws: object

    def text(self, value, **style):
        from openpyxl.cell import WriteOnlyCell

        from ..values import writable_text

        value = writable_text(value)   # file names in titles: control characters, bytes
        cell = WriteOnlyCell(self.ws, value)
        if isinstance(value, str):
            cell.data_type = "s"
        for name, v in style.items():
            setattr(cell, name, v)
        return cell


def _legend(cells: _Cells, *, conflicts: int, merged: int, resolved: bool) -> list[list]:
    from openpyxl.styles import Alignment, PatternFill

    from ..styles import HEADER_BORDER, font

    center = Alignment(horizontal="center", vertical="center")
    rows = []
    if conflicts:
        rows.append([None, cells.text("orange", fill=PatternFill("solid", fgColor=CONFLICT_FILL),
                                      border=HEADER_BORDER, alignment=center),
                     cells.text("cellule en conflit, à régler ici "
                                f"({plural(conflicts, 'conflit')})")])
    rows.append([None, cells.text("vert", fill=PatternFill("solid", fgColor=MERGED_FILL),
                                  border=HEADER_BORDER, alignment=center),
                 cells.text(("conflit réglé par ctgxl merge --resoudre "
                             f"({plural(merged, 'cellule')} ; "
                             "leur commentaire dit quelle valeur a été choisie)") if resolved
                            else (f"cellule modifiée dans LOCAL ou DISTANT et reprise sans "
                                  f"conflit ({plural(merged, 'cellule')} ; leur commentaire dit "
                                  "par qui "
                                  "et la valeur d'avant)"))])
    for row in rows:
        row[1].font = font(bold=True)
    return rows


def conflicts_sheet(rows: Sequence[ConflictRow], *, merged: int = 0, resolved: bool = False,
                    resolve_hint: str | None = None, title: str | None = None) -> ExtraSheet:
    """The « Conflits » sheet listing ``rows``; ``merged`` green cells for the legend (of a
    merge, or conflicts ``resolved`` by --resoudre); ``resolve_hint`` the command that
    applies the choices."""
    def build(ws) -> None:
        from openpyxl.comments import Comment
        from openpyxl.styles import Alignment, PatternFill
        from openpyxl.utils import get_column_letter, quote_sheetname
        from openpyxl.worksheet.datavalidation import DataValidation
        from openpyxl.worksheet.hyperlink import Hyperlink

        from ..styles import (HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT, LINK_FONT,
                              TITLE_FONT, font, print_setup)
        from ..template import COMMENT_AUTHOR, row_height

        for n, (_, width) in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        ws.column_dimensions[get_column_letter(REF_COLUMN)].hidden = True
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        ws.row_dimensions[HEADER_ROW].height = 30
        ws.sheet_properties.tabColor = CONFLICT_FILL
        print_setup(ws, landscape=True, title="CTG — fusion")
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        cells = _Cells(ws)
        text = cells.text
        command = resolve_hint or "ctgxl merge --resoudre FUSION.xlsx -o FUSION_RESOLUE.xlsx"
        ws.append([text(title or f"Conflits de fusion : {len(rows)}", font=TITLE_FONT)])
        ws.append([text(f"Pour chaque conflit, écrivez dans la colonne « {CHOICE_HEADER} » "
                        "Base, Local ou Distant (liste déroulante), ou tapez la valeur voulue ; "
                        f"puis, pour les appliquer : {command}")])
        ws.append([text("En attendant, la cellule en conflit garde la valeur de la version "
                        "indiquée dans « Valeur conservée ». Pour une ligne supprimée d'un "
                        "côté et modifiée de l'autre : choisir le côté qui l'a supprimée la "
                        "supprime,")])
        ws.append([text("choisir l'autre côté ou Base la garde (ou la rétablit à sa place). "
                        "Les lignes sont retrouvées par leur clé : vous pouvez trier les "
                        "feuilles, et même cette liste.")])
        for legend in _legend(cells, conflicts=len(rows), merged=merged, resolved=resolved):
            ws.append(legend)
        heads = []
        for label, _ in COLUMNS:
            cell = text(label, fill=HEADER_FILL, font=HEADER_FONT, alignment=HEADER_ALIGN,
                        border=HEADER_BORDER)
            heads.append(cell)
        help_ = Comment("Écrivez Base, Local ou Distant (liste déroulante), ou la valeur à "
                        "garder telle quelle ; « (vide) » vide la cellule. Laissez vide pour "
                        "décider plus tard.", COMMENT_AUTHOR)
        help_.width, help_.height = 300, 90
        heads[CHOICE_COLUMN - 1].comment = help_
        ws.append(heads)

        wrap = Alignment(wrap_text=True, vertical="top")
        orange = PatternFill("solid", fgColor=CONFLICT_FILL)
        yellow = PatternFill("solid", fgColor=CHOICE_FILL)
        for n, row in enumerate(rows, start=1):
            c = row.conflict
            cell = conflict_cell(c)
            link = text(_cell_text(row, cell), alignment=wrap)
            if cell:
                sheet, coordinate = cell.split("!")
                target = f"{quote_sheetname(sheet)}!{coordinate}"
                link.hyperlink = Hyperlink(ref="", location=target)
                link.font = LINK_FONT
            key = key_label(c.table, row.key) if c.table != "meta" else ""
            values = [_value(c, side) for side in ("base", "local", "distant")]
            line = [text(n, alignment=wrap), text(sheet_label(c.table), alignment=wrap), link,
                    text(key, alignment=wrap), text(header(c.table, c.column), alignment=wrap),
                    text(CONFLICT_LABELS[c.kind], alignment=wrap)]
            for col, value in enumerate(values, start=7):
                value_cell = text(value, alignment=wrap)
                if col == VALUE_COLUMNS[c.kept]:
                    value_cell.fill = orange
                line.append(value_cell)
            line.append(text(SIDE_LABELS[c.kept], alignment=wrap))
            choice = text(row.choice, alignment=wrap, fill=yellow, border=HEADER_BORDER)
            if row.problem:
                note = Comment(f"Choix non appliqué : {row.problem}.", COMMENT_AUTHOR)
                note.width, note.height = 300, 90
                choice.comment = note
            line.append(choice)
            line.append(text(encode_ref(row), font=font(size=8, color="808080")))
            height = row_height([_cell_text(row, cell), key, header(c.table, c.column),
                                 CONFLICT_LABELS[c.kind], *values],
                                [w * 0.9 for _, w in COLUMNS[2:9]])
            if height:
                ws.row_dimensions[HEADER_ROW + n].height = height
            ws.append(line)
        last = HEADER_ROW + max(1, len(rows))
        letter = get_column_letter(CHOICE_COLUMN)
        choices = DataValidation(
            type="list", formula1='"' + ",".join(CHOICES) + '"', allow_blank=True,
            showDropDown=False, showErrorMessage=True, errorStyle="information",
            errorTitle="Valeur saisie",
            error="Ni Base, ni Local, ni Distant : cette valeur sera écrite telle quelle dans la "
                  "cellule par ctgxl merge --resoudre.",
            showInputMessage=True, promptTitle=CHOICE_HEADER,
            prompt="Base, Local ou Distant, ou la valeur voulue (« (vide) » pour vider la "
                   "cellule).")
        choices.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
        ws.data_validations.append(choices)
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"

    return ExtraSheet(CONFLICTS_SHEET, build, first=True)


def _cell_text(row: ConflictRow, cell: str | None) -> str:
    """What the « Cellule » column shows: the cell, or why there is none."""
    c = row.conflict
    if cell:
        return cell.split("!")[1]
    if c.table == "meta":
        return "—"
    if row.problem:
        return "aucune : choix non appliqué (voir son commentaire)"
    if c.kind in DELETER:
        return f"aucune : ligne supprimée par {SIDE_LABELS[DELETER[c.kind]]}"
    return "aucune : ligne introuvable"


def summary_sheet(title: str, lines: Sequence[str], *, merged: int,
                  resolved: bool = False) -> ExtraSheet:
    """The « Fusion » sheet of a workbook without conflicts: what was done, the legend."""
    def build(ws) -> None:
        from ..styles import TITLE_FONT, print_setup

        ws.column_dimensions["A"].width = 3
        ws.column_dimensions["B"].width = 12
        ws.column_dimensions["C"].width = 100
        ws.sheet_properties.tabColor = MERGED_FILL
        print_setup(ws, landscape=True, title="CTG — fusion")
        cells = _Cells(ws)
        ws.append([cells.text(title, font=TITLE_FONT)])
        for line in lines:
            ws.append([cells.text(line)])
        ws.append([])
        for legend in _legend(cells, conflicts=0, merged=merged, resolved=resolved):
            ws.append(legend)
        ws.append([])
        ws.append([cells.text("Relisez les cellules en vert, puis supprimez cette feuille si "
                              "vous le souhaitez (ctgxl l'ignore à la lecture).")])

    return ExtraSheet(SUMMARY_SHEET, build, first=True)
