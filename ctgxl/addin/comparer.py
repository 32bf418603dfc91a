"""*Comparer*: the open workbook against a reference version, as ``ctgxl diff`` sees it.

The comparison is ``ctgxl.compare.diff_plans(reference, open workbook)``; this
module only lays its result out in a « Différences » sheet of the open
workbook (emptied and rewritten at each run): a title, the summary per sheet,
then one row per changed field (or per added/removed row) with the cell of
the open workbook it concerns. The workbook's own sheets are not touched.
"""

from __future__ import annotations

from ..catalogue import TABLE_SHEETS
from ..model import Plan
from ..wording import counted
from .book import Outcome, cell_runs, fresh_sheet, plan_of, write_rows

DIFF_SHEET = "Différences"
HEADERS = ("Feuille", "Ligne", "Changement", "Colonne", "Valeur de référence",
           "Valeur du classeur", "Cellule")
# change kind -> fill of its « Changement » cell (colours of ``ctgxl diff -o``)
FILLS = {"ajoutee": "#C6EFCE", "supprimee": "#FFC7CE", "modifiee": "#FFEB9C",
         "forme": "#DDEBF7"}


def comparer(book, reference: Plan, reference_name: str, *, ignore_cosmetic: bool = False,
             merged=None) -> Outcome:
    """Compare the open workbook with ``reference``; write « Différences ». ``merged``:
    each sheet's merged ranges, when the client sent them (``plan_of``)."""
    from ..compare import diff_plans
    from ..compare.labels import ROW_CODES, change_label, header, plain, row_label, title_of
    from ..compare.report import count_differences, table_summary

    current = plan_of(book, merged)
    diff = diff_plans(reference, current, ignore_cosmetic=ignore_cosmetic)
    total = count_differences(diff)

    rows: list[list[object]] = []
    kinds: list[str | None] = []
    for f in diff.meta:
        rows.append(["Paramètres du classeur", None, "Modifié", header("meta", f.column),
                     plain(f.old), plain(f.new), None])
        kinds.append("modifiee")
    for sheet in TABLE_SHEETS:
        table = diff.table(sheet.key)
        for change in table.rows:
            label, kind = change_label(sheet, change), ROW_CODES[change.kind]
            who = row_label(sheet, change.row)
            if change.kind in ("added", "removed"):
                index = change.new_index
                cell = _cell(current, sheet.key, index, sheet.key_columns[0])
                title = plain(title_of(sheet, change.row))
                rows.append([sheet.name, who, label, None,
                             title if change.kind == "removed" else None,
                             title if change.kind == "added" else None, cell])
                kinds.append(kind)
                continue
            for f in change.changes:
                cell = _cell(current, sheet.key, change.new_index, f.column)
                rows.append([sheet.name, who, label, header(sheet.key, f.column),
                             plain(f.old), plain(f.new), cell])
                kinds.append(kind)

    title = (f"Comparaison de « {book.name} » (classeur ouvert) avec « {reference_name} » "
             f"(référence) : " + ("aucune différence." if total == 0 else
                                  f"{counted(total, 'différence')} (lignes ou paramètres)."))
    block: list[list[object]] = [[title]]
    block.extend([table_summary(diff.table(s.key))] for s in TABLE_SHEETS)
    block.append([])
    top = len(block) + 1
    block.append(list(HEADERS))
    block.extend(rows)

    sheet = fresh_sheet(book, DIFF_SHEET)
    write_rows(sheet, block)
    by_kind: dict[str, list[str]] = {}
    for offset, kind in enumerate(kinds, start=top + 1):
        if kind in FILLS:
            by_kind.setdefault(kind, []).append(f"C{offset}")
    for kind, cells in by_kind.items():
        for run in cell_runs(cells):   # a run of rows of one kind: one action for Excel
            sheet.range(run).color = FILLS[kind]
    sheet.activate()
    counts = {"differences": total, "lignes": len(rows)}
    if total == 0:
        return Outcome(f"Aucune différence avec « {reference_name} ».", counts)
    return Outcome(f"{counted(total, 'différence')} avec « {reference_name} » : détail dans "
                   "la feuille "
                   f"« {DIFF_SHEET} ».", counts)


def _cell(plan: Plan, table: str, index: int | None, column: str) -> str | None:
    """``S12``: the cell of the open workbook holding ``column`` of row ``index``."""
    ref = plan.table(table).cell(index, column) if index is not None else None
    return ref.rsplit("!", 1)[-1] if ref else None
