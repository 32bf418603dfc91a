"""Console report of a diff, a merge or a merge resolution, in French, as a list of lines."""

from __future__ import annotations

from pathlib import Path

from ..catalogue import TABLE_SHEETS
from ..wording import counted, plural
from .choices import CHOICE_HEADER, CONFLICTS_SHEET, side_label
from .diff import FieldChange, PlanDiff, RowChange, TableDiff
from .labels import (COSMETIC_LABELS, CONFLICT_LABELS, SIDE_LABELS, change_label, header,
                     key_label, plain, row_label, sheet_label, show, title_of)
from .merge import Conflict, MergeResult
from .resolve import Resolution, Resolved

ROW_MARKERS = {"added": "+", "removed": "-", "modified": "~", "cosmetic": "·"}
COUNTS = (("added", "ajoutées"), ("removed", "supprimées"), ("modified", "modifiées"))


def count_differences(diff: PlanDiff) -> int:
    return len(diff.meta) + sum(len(t.rows) + len(t.columns_added) + len(t.columns_removed)
                                for t in diff.tables.values())


def _column_summary(table: TableDiff) -> str:
    parts = []
    if table.columns_added:
        parts.append("colonnes ajoutées : " + ", ".join(f"« {h} »" for h in table.columns_added))
    if table.columns_removed:
        parts.append("colonnes retirées : " + ", ".join(f"« {h} »" for h in table.columns_removed))
    return " · ".join(parts)


def duplicate_lines(table: TableDiff) -> list[str]:
    """« ENF-003 : identifiant en double (ancien : 1 ligne, nouveau : 2 lignes) »."""
    lines = []
    for key, before, after in table.duplicates:
        shown = ", ".join("(vide)" if v is None else str(v) for v in key)
        lines.append(f"  ! {shown} : identifiant en double (ancien : {plural(before, 'ligne')}, "
                     f"nouveau : {plural(after, 'ligne')}) ; les lignes sont appariées par leur "
                     "contenu, pas par leur ordre")
    return lines


def table_summary(table: TableDiff) -> str:
    columns = _column_summary(table)
    if not table.rows:
        if columns:
            return f"{table.sheet.name} — {columns}"
        if not table.unchanged:
            return f"{table.sheet.name} — aucune différence (feuille vide)"
        return (f"{table.sheet.name} — aucune différence "
                f"({counted(table.unchanged, 'ligne identique')})")
    parts = [columns] if columns else []
    for kind, label in COUNTS:
        rows = getattr(table, kind)
        if rows:
            parts.append(f"{label} : {len(rows)}")
        if kind == "modified" and rows:
            inner = [f"{label} : {n}" for label, n in (("déplacées", len(table.moved)),
                                                        ("renumérotées", len(table.renumbered)))
                     if n]
            if inner:
                parts[-1] += f" (dont {', '.join(inner)})"
    if table.cosmetic:
        parts.append(f"forme seule : {len(table.cosmetic)}")
    parts.append(f"inchangées : {table.unchanged}")
    return f"{table.sheet.name} — " + " · ".join(parts)


def diff_lines(diff: PlanDiff, old_name: str, new_name: str, *, details: bool = True,
               ) -> list[str]:
    lines = [f"Comparaison de « {old_name} » (ancien) et « {new_name} » (nouveau)", ""]
    if diff.meta:
        lines.append("Paramètres du classeur — " + " · ".join(
            f"{header('meta', f.column)} : {show(f.old)} → {show(f.new)}" for f in diff.meta))
    for s in TABLE_SHEETS:
        lines.append(table_summary(diff.table(s.key)))
        lines.extend(duplicate_lines(diff.table(s.key)))
    if details:
        for sheet in TABLE_SHEETS:
            table = diff.table(sheet.key)
            if table.rows:
                lines.extend(["", sheet.name])
                for change in table.rows:
                    lines.extend(_row_lines(table, change))
    lines.append("")
    n = count_differences(diff)
    if n == 0:
        lines.append("Les deux classeurs sont identiques"
                     + (" (changements de forme ignorés)." if diff.ignore_cosmetic else "."))
    else:
        lines.append(f"{counted(n, 'différence trouvée')}."
                     + (" Changements d'espaces et de majuscules ignorés."
                        if diff.ignore_cosmetic else ""))
    return lines


def _row_lines(table: TableDiff, change: RowChange) -> list[str]:
    sheet = table.sheet
    label = change_label(sheet, change).lower()
    name = row_label(sheet, change.row)
    if change.old_row is not None and change.new_row is not None:
        old_name = row_label(sheet, change.old_row)
        if old_name != name:
            name = f"{old_name} → {name}"
    where = []
    if change.new_index is not None and table.new.excel_row(change.new_index):
        where.append(f"ligne {table.new.excel_row(change.new_index)}")
    elif change.old_index is not None and table.old.excel_row(change.old_index):
        where.append(f"ancienne ligne {table.old.excel_row(change.old_index)}")
    if change.similarity == 1:
        where.append("retrouvée par son contenu, identique")
    elif change.similarity is not None:
        where.append(f"retrouvée par son contenu, semblable à {round(change.similarity * 100)} %")
    head = f"  {ROW_MARKERS[change.kind]} {name} {label}"
    if where:
        head += f" ({' ; '.join(where)})"
    if change.kind in ("added", "removed"):
        title = title_of(sheet, change.row)
        return [head + (f" : {show(title)}" if title is not None else "")]
    return [head, *(f"      {_field_line(sheet.key, f)}" for f in change.changes)]


def _field_line(table: str, change: FieldChange) -> str:
    text = f"{header(table, change.column)} : {show(change.old)} → {show(change.new)}"
    if change.cosmetic:
        text += f" ({COSMETIC_LABELS[change.cosmetic]})"
    return text


# -- merge -----------------------------------------------------------------------

def merge_lines(result: MergeResult, names: tuple[str, str, str], output: str | None,
                conflict_cells: list[str | None]) -> list[str]:
    """``conflict_cells`` gives, for each conflict, its cell in the output (or None)."""
    base, local, remote = names
    short = (Path(local).name, Path(remote).name)
    lines = [(f"Fusion de « {local} » (LOCAL) et « {remote} » (DISTANT), "
              f"version de départ « {base} » (BASE)"), ""]
    lines.extend(applied_lines(result, short))
    for note in result.notes:
        lines.append(f"[{note.severity}] {note.message}")
    lines.append("")
    if result.conflicts:
        kept = "LOCALE" if result.prefer == "local" else "DISTANTE"
        kept_name = short[0] if result.prefer == "local" else short[1]
        lines.append(f"{plural(len(result.conflicts), 'conflit')} : la valeur {kept} (« "
                     f"{kept_name} ») a été conservée"
                     + (" ; voir la feuille « Conflits » du classeur fusionné." if output else "."))
        for conflict, cell in zip(result.conflicts, conflict_cells):
            lines.extend(_conflict_lines(conflict, cell, short))
        lines.append("")
    if output:
        lines.append(f"Classeur fusionné écrit : {output}")
    if not result.conflicts:
        lines.append("Aucun conflit.")
    return lines


MAX_LISTED = 20     # deleted rows named on a console line; the JSON lists them all


def applied_lines(result: MergeResult, names: tuple[str, str] | None = None) -> list[str]:
    """One line per side: « Changements de LOCAL (« enfance_pe.xlsx ») appliqués — ajoutées : 0
    · … », then the rows that side deleted, named by their key."""
    lines = []
    for n, side in enumerate(("local", "distant")):
        counts = result.applied.get(side, {})
        parts = [f"{label} : {counts.get(kind, 0)}" for kind, label in COUNTS]
        who = SIDE_LABELS[side] + (f" (« {names[n]} »)" if names else "")
        lines.append(f"Changements de {who} appliqués — " + " · ".join(parts))
        removed = result.removed.get(side, [])
        if removed:
            shown = [f"{sheet_label(t)} {key_label(t, k)}" for t, k in removed[:MAX_LISTED]]
            more = (f" et {plural(len(removed) - MAX_LISTED, 'autre')}"
                    if len(removed) > MAX_LISTED else "")
            lines.append(f"  {counted(len(removed), 'ligne supprimée')} par {SIDE_LABELS[side]} : "
                         + ", ".join(shown) + more)
    return lines


def _conflict_head(mark: str, c: Conflict, cell: str | None) -> str:
    """« ! Actions, ENF-002 — Porteur(s) de projet (H3) » (mark « ! » or « ✓ »)."""
    where = sheet_label(c.table)
    if c.table != "meta":
        where += f", {key_label(c.table, c.key)}"
    head = f"  {mark} {where} — {header(c.table, c.column)}"
    return head + (f" ({cell})" if cell else "")


def _conflict_lines(c: Conflict, cell: str | None,
                    names: tuple[str, str] = ("local", "distant")) -> list[str]:
    head = _conflict_head("!", c, cell) + f" : {CONFLICT_LABELS[c.kind]}"
    local = "(ligne supprimée)" if c.kind == "supprimee-en-local" else show(c.local)
    remote = "(ligne supprimée)" if c.kind == "supprimee-a-distance" else show(c.remote)
    base = "(absente)" if c.kind == "ajoutee-des-deux-cotes" else show(c.base)
    kept = names[0] if c.kept == "local" else names[1]
    return [head, (f"      base {base} · « {names[0]} » (local) {local} · « {names[1]} » "
                   f"(distant) {remote} · valeur conservée : {SIDE_LABELS[c.kept]} "
                   f"(« {kept} »)")]


# -- merge --resoudre --------------------------------------------------------------

def resolve_lines(resolution: Resolution, input_name: str, output: str, cell_of) -> list[str]:
    """``cell_of(conflict)`` gives a conflict's cell in the output (or None)."""
    lines = [f"Règlement des conflits de « {input_name} »", ""]
    if resolution.resolved:
        lines.append(f"{counted(len(resolution.resolved), 'conflit réglé')} :")
        lines.extend(_resolved_line(r, cell_of(r.conflict)) for r in resolution.resolved)
        lines.append("")
    for note in resolution.notes:
        lines.append(f"[{note.severity}] {note.message}")
    if resolution.notes:
        lines.append("")
    if resolution.remaining:
        lines.append(f"{counted(len(resolution.remaining), 'conflit restant')} : écrivez Base, Local, "
                     f"Distant ou la valeur voulue dans la colonne « {CHOICE_HEADER} » de la "
                     f"feuille « {CONFLICTS_SHEET} » du classeur écrit, puis relancez "
                     "ctgxl merge --resoudre.")
        for row in resolution.remaining:
            lines.extend(_conflict_lines(row.conflict, cell_of(row.conflict)))
        lines.append("")
    lines.append(f"Classeur écrit : {output}")
    if not resolution.remaining:
        lines.append("Tous les conflits sont réglés.")
    return lines


def _resolved_line(r: Resolved, cell: str | None) -> str:
    head = _conflict_head("✓", r.conflict, cell)
    if r.action == "ligne-supprimee":
        return f"{head} : ligne supprimée (choix {side_label(r.choice)})"
    what = ("valeur saisie" if r.choice == "saisie" else f"valeur de {side_label(r.choice)}")
    if r.action == "ligne-retablie":
        what = f"ligne rétablie, {what}"
    return f"{head} : {what} {show(r.value)}"


__all__ = ["count_differences", "diff_lines", "merge_lines", "plain", "resolve_lines",
           "table_summary"]
