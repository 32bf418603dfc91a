"""Settle the conflicts of a merged workbook with the choices written in its « Conflits » sheet.

``resolve_plan`` applies the choices read by ``choices.read_choices`` to the
plan read from the same workbook and returns the new plan, what was applied
and the conflicts left without a (usable) choice. It reads no file: each
row is found by its key (never by its position), so that sorting the sheets
changes nothing.

Choosing the side that deleted a row deletes the row (its other conflicts go
with it); choosing the other side, « Base » or a typed value for a row the
merged workbook lacks restores that row, after the row it followed in the
version that kept it (at the end of its sheet when that row is gone too).
Contradictory choices on one row, a row that cannot be found (its key was
changed by hand) or found twice, « Base » for a row added on both sides:
the choice is not applied, a warning says why, the conflict remains.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ..catalogue import ACTIONS
from ..findings import Finding
from ..model import Plan, Row, Table
from ..values import Value, normalize
from ..vocabulary import fold
from .choices import (CHOICE_HEADER, CHOICES, CONFLICTS_SHEET, DELETED, DELETER, Choice,
                      ConflictRow, ResolveError, read_choices, side_label)
from .labels import EMPTY, header, key_label, sheet_label
from .merge import Conflict, Side
from ..wording import plural

__all__ = ["CONFLICTS_SHEET", "Choice", "ConflictRow", "Resolution", "ResolveError", "Resolved",
           "read_choices", "resolve_plan", "side_label"]

ChoiceCode = Literal["base", "local", "distant", "saisie"]
Action = Literal["valeur", "ligne-supprimee", "ligne-retablie"]


@dataclass(frozen=True)
class Resolved:
    """A conflict settled: ``conflict.index`` is its row in the resolved plan (None if deleted)."""

    conflict: Conflict
    choice: ChoiceCode
    value: Value
    action: Action
    line: int


@dataclass(frozen=True)
class Resolution:
    plan: Plan
    resolved: tuple[Resolved, ...]
    remaining: tuple[ConflictRow, ...]   # conflict.index: row in the resolved plan
    notes: tuple[Finding, ...] = ()      # choices that could not be applied
    prefer: Side = "local"

    @property
    def clean(self) -> bool:
        return not self.remaining and not self.notes


# -- applying the choices ------------------------------------------------------------------

@dataclass
class _Decision:
    choice: Choice
    code: ChoiceCode | None = None      # None: nothing written
    delete: bool = False
    value: Value = None
    problem: str | None = None


def resolve_plan(plan: Plan, choices: Sequence[Choice], source: str | None = None) -> Resolution:
    """``plan`` (read from the merged workbook) with each usable choice applied."""
    tables = {t.sheet.key: list(t.rows) for t in plan.tables}
    indexes: dict[str, dict[tuple[Value, ...], list[int]]] = {}
    meta = {}
    # (decision, table key, position in ``tables``, what was done / side now in the cell)
    resolved: list[tuple[_Decision, str, int | None, Action]] = []
    remaining: list[tuple[_Decision, str, int | None, Side]] = []
    notes: list[Finding] = []
    groups: dict[tuple, list[tuple[_Decision, int | None]]] = defaultdict(list)

    for choice in choices:
        c = choice.row.conflict
        decision = _decide(plan, choice)
        if c.table == "meta":
            if decision.code is None or decision.problem:
                remaining.append((decision, "meta", None, c.kept))
            else:
                meta[c.column] = decision.value
                resolved.append((decision, "meta", None, "valeur"))
            continue
        table = plan.table(c.table)
        if c.table not in indexes:
            indexes[c.table] = _index(table)
        if choice.row.restore is not None:
            # The row was not in the merged workbook: never mistake another row with the
            # same key (added since, or by the other side) for it.
            pos, group = None, (c.table, "retablir", repr(sorted(choice.row.restore.items())))
        else:
            pos, problem = _locate(table, indexes[c.table], choice.row)
            decision.problem = decision.problem or problem
            group = ((c.table, "ligne", pos) if pos is not None
                     else (c.table, "cle", choice.row.key))
        groups[group].append((decision, pos))

    deleted: dict[str, set[int]] = defaultdict(set)
    anchors: dict[str, dict[int, int | None]] = defaultdict(dict)   # restored row -> after
    for (table_key, _, _), members in groups.items():
        restored = _settle_row(table_key, members, plan, tables, deleted, resolved, remaining)
        if restored is not None:
            pos, after = restored
            anchors[table_key][pos] = _anchor(indexes[table_key], after)

    new_plan, moved = _rebuild(plan, tables, deleted, anchors, meta)
    resolved.sort(key=lambda item: item[0].choice.line)      # in the order of the sheet
    remaining.sort(key=lambda item: item[0].choice.line)
    out_resolved = []
    for decision, table_key, pos, action in resolved:
        c = decision.choice.row.conflict
        index = None if pos is None or table_key == "meta" else moved[table_key].get(pos)
        out_resolved.append(Resolved(replace(c, index=index), decision.code or "base",
                                     None if decision.delete else decision.value, action,
                                     decision.choice.line))
    out_remaining = []
    for decision, table_key, pos, kept in remaining:
        row = decision.choice.row
        c = replace(row.conflict, kept=kept)
        key, restore = row.key, row.restore
        if table_key != "meta" and pos is not None and pos in moved[table_key]:
            index = moved[table_key][pos]
            table = new_plan.table(table_key)
            c, key, restore = replace(c, index=index), table.key_of(table.rows[index]), None
        else:
            c = replace(c, index=None)
        if decision.problem:
            notes.append(_note(c, key, decision, source))
        out_remaining.append(ConflictRow(c, key, restore, row.after if restore else None,
                                         choice=decision.choice.value,
                                         problem=decision.problem))
    kept = Counter(ch.row.conflict.kept for ch in choices)
    prefer: Side = kept.most_common(1)[0][0] if kept else "local"
    return Resolution(new_plan, tuple(out_resolved), tuple(out_remaining), tuple(notes), prefer)


def _decide(plan: Plan, choice: Choice) -> _Decision:
    decision = _Decision(choice)
    c = choice.row.conflict
    raw = choice.value
    if raw is None:
        return decision
    if c.table == "meta":
        column = ACTIONS.column("intitule")     # settings are plain text
    else:
        sheet = plan.table(c.table).sheet
        if c.column not in sheet.index:
            decision.problem = (f"la colonne « {header(c.table, c.column)} » n'est plus dans la "
                                f"feuille {sheet.name}")
            return decision
        column = sheet.column(c.column)
    word = fold(raw) if isinstance(raw, str) else None
    deleter = DELETER.get(c.kind)
    side = {fold(name): name.lower() for name in CHOICES}.get(word)
    if word == fold(DELETED) and deleter:
        side = deleter
    if side is not None:
        decision.code = side
        if side == deleter:
            decision.delete = True
        elif side == "base" and c.kind == "ajoutee-des-deux-cotes":
            decision.problem = ("« Base » impossible : la ligne n'existait pas dans BASE "
                                "(choisissez Local, Distant ou écrivez la valeur)")
        else:
            decision.value = {"base": c.base, "local": c.local, "distant": c.remote}[side]
        return decision
    decision.code = "saisie"
    decision.value = None if word == fold(EMPTY) else normalize(column, raw)
    return decision


def _index(table: Table) -> dict[tuple[Value, ...], list[int]]:
    index: dict[tuple[Value, ...], list[int]] = defaultdict(list)
    for i, row in enumerate(table.rows):
        index[table.key_of(row)].append(i)
    return index


def _locate(table: Table, index, row: ConflictRow) -> tuple[int | None, str | None]:
    """Position of the conflict's row in ``table`` (None when absent), or why it is unclear."""
    positions = index.get(tuple(row.key), [])
    if len(positions) == 1:
        return positions[0], None
    if not positions:
        return None, None
    c = row.conflict
    column = table.sheet.position(c.column) if c.column in table.sheet.index else None
    same = [p for p in positions if column is not None and table.rows[p][column] == c.kept_value]
    if len(same) == 1:
        return same[0], None
    return None, (f"{plural(len(positions), 'ligne')} ont la clé « {key_label(c.table, row.key)} » : "
                  "impossible de savoir laquelle corriger")


def _anchor(index, after: tuple[Value, ...] | None) -> int | None:
    """Position after which a restored row goes: -1 first, None at the end."""
    if after is None:
        return None
    if after == ():
        return -1
    positions = index.get(after, [])
    return positions[0] if len(positions) == 1 else None


def _settle_row(table_key: str, members: list[tuple[_Decision, int | None]], plan: Plan,
                tables: dict[str, list[Row]], deleted: dict[str, set[int]],
                resolved: list, remaining: list,
                ) -> tuple[int, tuple[Value, ...] | None] | None:
    """Apply the choices made on the conflicts of one row; a restored row's position and
    the key of the row it followed."""
    pos = members[0][1]
    usable = [d for d, _ in members if d.code is not None and not d.problem]
    deletes = [d for d in usable if d.delete]
    sets = [d for d in usable if not d.delete]

    def keep(decision: _Decision, at: int | None, kept: Side | None = None) -> None:
        remaining.append((decision, table_key, at, kept or decision.choice.row.conflict.kept))

    if deletes and sets:
        for d, _ in members:
            if d.code is not None and not d.problem:
                d.problem = ("choix contradictoires pour cette ligne : l'un la supprime, "
                             "l'autre garde une valeur")
            keep(d, pos)
        return None
    if deletes:  # the row goes, and every conflict of the row with it
        if pos is not None:
            deleted[table_key].add(pos)
        deleter = DELETER.get(deletes[0].choice.row.conflict.kind)
        for d, _ in members:
            if d.code is None or d.problem:
                d.code, d.delete, d.problem = deleter, True, None
            resolved.append((d, table_key, None, "ligne-supprimee"))
        return None
    if not sets:
        for d, _ in members:
            keep(d, pos)
        return None
    action: Action = "valeur"
    kept_after: Side | None = None
    restored = None
    if pos is None:
        source = next((d.choice.row for d, _ in members if d.choice.row.restore is not None),
                      None)
        restore = None if source is None else source.restore
        if restore is None:
            for d, _ in members:
                if d.code is not None and not d.problem:
                    d.problem = ("ligne introuvable dans le classeur (clé « "
                                 f"{key_label(table_key, d.choice.row.key)} » effacée ou "
                                 "modifiée ?)")
                keep(d, None)
            return None
        sheet = plan.table(table_key).sheet
        tables[table_key].append(tuple(restore.get(k) for k in sheet.keys))
        pos = len(tables[table_key]) - 1
        restored = pos, source.after
        action = "ligne-retablie"
        kept_after = _editor(members[0][0].choice.row.conflict)
    sheet = plan.table(table_key).sheet
    row = list(tables[table_key][pos])
    for d in sets:
        row[sheet.position(d.choice.row.conflict.column)] = d.value
        resolved.append((d, table_key, pos, action))
    tables[table_key][pos] = tuple(row)
    applied = {id(d) for d in sets}
    for d, _ in members:
        if id(d) not in applied:
            keep(d, pos, kept_after)
    return restored


def _editor(conflict: Conflict) -> Side:
    """The side that kept a row the other side deleted."""
    return "distant" if DELETER.get(conflict.kind) == "local" else "local"


def _rebuild(plan: Plan, tables: dict[str, list[Row]], deleted: dict[str, set[int]],
             anchors: dict[str, dict[int, int | None]], meta: dict[str, Value],
             ) -> tuple[Plan, dict[str, dict[int, int]]]:
    """The new plan and, per table, position in ``tables`` -> index in the new plan."""
    changes: dict[str, object] = {}
    moved: dict[str, dict[int, int]] = {}
    for key, rows in tables.items():
        gone = deleted.get(key, set())
        table = plan.table(key)
        restored: dict[int | None, list[int]] = defaultdict(list)
        for pos, anchor in anchors.get(key, {}).items():
            restored[anchor].append(pos)
        order = list(restored.get(-1, ()))
        for i in range(len(table.rows)):
            order.append(i)
            order.extend(restored.get(i, ()))
        order.extend(restored.get(None, ()))
        moved[key] = {}
        kept = []
        for i in order:
            if i in gone:
                continue
            moved[key][i] = len(kept)
            kept.append(rows[i])
        if gone or tuple(kept) != table.rows:
            changes[key] = Table(table.sheet, tuple(kept))
    if meta:
        changes["meta"] = replace(plan.meta, **meta)
    return (plan.replace(**changes) if changes else plan), moved


def _note(c: Conflict, key: tuple[Value, ...], decision: _Decision, source: str | None,
          ) -> Finding:
    where = sheet_label(c.table) + (f", {key_label(c.table, key)}" if c.table != "meta" else "")
    return Finding(
        code="resolution-choix-inapplicable", severity="avertissement",
        message=(f"{where} — {header(c.table, c.column)} : choix « {decision.choice.value} » "
                 f"non appliqué ({decision.problem})."),
        file=source, sheet=CONFLICTS_SHEET, cell=f"{CONFLICTS_SHEET}!A{decision.choice.line}",
        row=decision.choice.line, header=CHOICE_HEADER,
        value=None if decision.choice.value is None else str(decision.choice.value),
        suggestion="Corrigez le choix dans la feuille « Conflits » du classeur écrit et "
                   "relancez ctgxl merge --resoudre.")
