"""Differences between two versions of a plan, row by row and field by field.

``diff_plans(old, new)`` aligns the rows of each table (see ``align.py``) and
describes every difference: rows added, removed, modified (each changed field
with its old and new value), moved (under another thématique, axe or
objectif), renumbered (new ID or N°), and rows whose only changes are
*cosmetic* — spacing or upper/lower case. ``ignore_cosmetic=True`` drops
cosmetic changes altogether. Provenance columns (« Fichier source », « Ligne
source », filled by consolidation) are bookkeeping and never compared.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Literal

from ..catalogue import TABLE_SHEETS, Sheet
from ..model import Meta, Plan, Row, Table, on_common_columns
from ..values import Value
from .align import POLICIES, Alignment, align_plans, key_getter

RowKind = Literal["added", "removed", "modified", "cosmetic"]

META_KEYS = ("thematique", "service", "template_version", "schema_version")


def cosmetic_kind(old: Value, new: Value) -> str | None:
    """``"espaces"``, ``"casse"`` or ``"espaces+casse"`` when two different values
    differ only by spacing and/or case; ``None`` otherwise."""
    if not isinstance(old, str) or not isinstance(new, str) or old == new:
        return None
    old_spaced, new_spaced = " ".join(old.split()), " ".join(new.split())
    if old_spaced == new_spaced:
        return "espaces"
    if old.casefold() == new.casefold():
        return "casse"
    if old_spaced.casefold() == new_spaced.casefold():
        return "espaces+casse"
    return None


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: Value
    new: Value
    cosmetic: str | None = None  # see ``cosmetic_kind``


@dataclass(frozen=True)
class RowChange:
    """One row that differs between the two versions."""

    kind: RowKind
    old_index: int | None
    new_index: int | None
    old_row: Row | None
    new_row: Row | None
    changes: tuple[FieldChange, ...] = ()
    moved: bool = False
    renumbered: bool = False
    similarity: float | None = None  # set when the row was matched by content, not key

    @property
    def row(self) -> Row:
        """The row as it is now (as it was, for a removed row)."""
        return self.new_row if self.new_row is not None else self.old_row  # type: ignore[return-value]

    def change(self, column: str) -> FieldChange | None:
        for change in self.changes:
            if change.column == column:
                return change
        return None


@dataclass(frozen=True)
class TableDiff:
    """Differences of one table. ``rows`` lists them in the order of the new file,
    removed rows where they used to be."""

    sheet: Sheet
    old: Table
    new: Table
    rows: tuple[RowChange, ...]
    unchanged: int
    columns_added: tuple[str, ...] = ()     # headers of added columns only the new file has
    columns_removed: tuple[str, ...] = ()   # … only the old file has
    duplicates: tuple[tuple[tuple[Value, ...], int, int], ...] = ()  # (key, rows in old, in new)

    def _of(self, kind: RowKind) -> tuple[RowChange, ...]:
        return tuple(r for r in self.rows if r.kind == kind)

    @property
    def added(self) -> tuple[RowChange, ...]:
        return self._of("added")

    @property
    def removed(self) -> tuple[RowChange, ...]:
        return self._of("removed")

    @property
    def modified(self) -> tuple[RowChange, ...]:
        return self._of("modified")

    @property
    def cosmetic(self) -> tuple[RowChange, ...]:
        return self._of("cosmetic")

    @property
    def moved(self) -> tuple[RowChange, ...]:
        return tuple(r for r in self.rows if r.moved)

    @property
    def renumbered(self) -> tuple[RowChange, ...]:
        return tuple(r for r in self.rows if r.renumbered)


@dataclass(frozen=True)
class PlanDiff:
    old: Plan
    new: Plan
    tables: dict[str, TableDiff]
    meta: tuple[FieldChange, ...]
    ignore_cosmetic: bool = False

    @property
    def identical(self) -> bool:
        return not self.meta and not any(t.rows or t.columns_added or t.columns_removed
                                         for t in self.tables.values())

    def table(self, key: str) -> TableDiff:
        return self.tables[key]


def diff_plans(old: Plan, new: Plan, *, ignore_cosmetic: bool = False) -> PlanDiff:
    """Everything that differs between ``old`` and ``new``.

    Columns a service added are compared like the others; an added column only
    one file has is reported (``columns_added`` / ``columns_removed``) even when
    it is empty.
    """
    columns = {s.key: _column_changes(old.table(s.key), new.table(s.key)) for s in TABLE_SHEETS}
    old, new = on_common_columns(old, new)
    alignments = align_plans(old, new)
    tables = {
        sheet.key: replace(diff_table(old.table(sheet.key), new.table(sheet.key),
                                      alignments[sheet.key], ignore_cosmetic=ignore_cosmetic),
                           columns_added=columns[sheet.key][0],
                           columns_removed=columns[sheet.key][1])
        for sheet in TABLE_SHEETS
    }
    return PlanDiff(old, new, tables, diff_meta(old.meta, new.meta, ignore_cosmetic),
                    ignore_cosmetic)


def _column_changes(old: Table, new: Table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    before = [c.header for c in old.sheet.extra_columns]
    after = [c.header for c in new.sheet.extra_columns]
    return (tuple(h for h in after if h not in before), tuple(h for h in before if h not in after))


def diff_meta(old: Meta, new: Meta, ignore_cosmetic: bool = False) -> tuple[FieldChange, ...]:
    changes = []
    for f in fields(Meta):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if a != b:
            cosmetic = cosmetic_kind(a, b)
            if not (cosmetic and ignore_cosmetic):
                changes.append(FieldChange(f.name, a, b, cosmetic))
    return tuple(changes)


def diff_table(old: Table, new: Table, alignment: Alignment, *, ignore_cosmetic: bool = False,
               ) -> TableDiff:
    sheet = old.sheet
    policy = POLICIES[sheet.key]
    keys = sheet.keys
    location = {sheet.position(k) for k in policy.location}
    numbering = {sheet.position(k) for k in policy.numbering}
    numbering |= {sheet.position(k) for k in sheet.key_columns if k not in policy.location}
    provenance = {i for i, c in enumerate(sheet.columns) if c.provenance}

    # Position of each change in the report: new index, removed rows after
    # the new position of the old row before them.
    placed: list[tuple[float, RowChange]] = []
    unchanged = 0
    new_of = {}
    for i, j in alignment.pairs:
        new_of[i] = j
        a, b = old.rows[i], new.rows[j]
        if a == b:
            unchanged += 1
            continue
        changes = []
        real = False
        for c, (x, y) in enumerate(zip(a, b)):
            if x == y or c in provenance:
                continue
            cosmetic = cosmetic_kind(x, y)
            if cosmetic and ignore_cosmetic:
                continue
            changes.append(FieldChange(keys[c], x, y, cosmetic))
            real = real or cosmetic is None
        if not changes:
            unchanged += 1
            continue
        real_columns = {keys.index(f.column) for f in changes if f.cosmetic is None}
        change = RowChange(
            kind="modified" if real else "cosmetic",
            old_index=i, new_index=j, old_row=a, new_row=b, changes=tuple(changes),
            moved=bool(real_columns & location),
            renumbered=bool(real_columns & numbering),
            similarity=alignment.scores.get(i),
        )
        placed.append((j, change))
    for j in alignment.added:
        placed.append((j, RowChange("added", None, j, None, new.rows[j])))
    previous = -1.0
    removed = set(alignment.removed)
    for i in range(len(old.rows)):
        if i in new_of:
            previous = new_of[i]
        elif i in removed:
            previous += 1e-6
            placed.append((previous, RowChange("removed", i, None, old.rows[i], None)))
    placed.sort(key=lambda p: p[0])
    return TableDiff(sheet, old, new, tuple(c for _, c in placed), unchanged,
                     duplicates=_duplicates(old, new))


def _duplicates(old: Table, new: Table) -> tuple[tuple[tuple[Value, ...], int, int], ...]:
    """Keys on several rows of either version, with their count in each (file order)."""
    from collections import Counter

    key = key_getter(old.sheet)
    empty = (None,) * len(old.sheet.key_columns)
    before, after = Counter(map(key, old.rows)), Counter(map(key, new.rows))
    keys = [k for k in dict.fromkeys([*after, *before])
            if k != empty and (before[k] > 1 or after[k] > 1)]
    return tuple((k, before[k], after[k]) for k in keys)
