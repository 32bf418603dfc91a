"""Three-way merge of two edited copies (LOCAL, DISTANT) of the same plan (BASE).

Rows of each copy are aligned with the base like ``diff`` does (key, then
similarity for renumbered actions; offers and follow-up rows follow their
action). Then, field by field: a value changed on one side only is taken;
the same change on both sides is taken once; two different changes are a
conflict. A row deleted on one side and modified on the other is a conflict
for each field the other side changed; a row deleted on one side and left
untouched on the other is deleted. Rows added on both sides with the same
key are merged field by field as if their base were empty.

A conflict never mangles a value: the result keeps the value of the
preferred side (LOCAL unless ``prefer="distant"``) and the conflict records
base, local and distant values. Nothing is lost: every value changed by
either side is in the result or in the conflict list.

Provenance columns (filled by consolidation) are merged like the others but
never make a conflict: on divergence the preferred side's value is kept.

Row order: the order of the side that reordered rows (the preferred side if
both or neither did), with the other side's new rows inserted after the row
they followed there.

Besides conflicts, the result lists the values taken from one side (or the
same change from both) without conflict, so that the merged workbook can show
them (``MergeResult.changes``).
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Literal

from ..catalogue import TABLE_SHEETS
from ..findings import Finding
from ..model import Meta, Plan, Row, Table, on_common_columns
from ..values import Value
from .align import Alignment, align_plans, key_getter
from ..wording import plural

Side = Literal["local", "distant"]
ConflictKind = Literal[
    "modifiee-des-deux-cotes",  # both sides changed the value, differently
    "ajoutee-des-deux-cotes",   # both sides added a row with this key, with different values
    "supprimee-en-local",       # LOCAL deleted the row, DISTANT changed this value
    "supprimee-a-distance",     # DISTANT deleted the row, LOCAL changed this value
]
SIDES: tuple[Side, ...] = ("local", "distant")


@dataclass(frozen=True)
class Conflict:
    """One value on which LOCAL and DISTANT disagree.

    ``table`` is a table key or ``"meta"``; ``key`` the key of the row in the
    base (of the added row for ``ajoutee-des-deux-cotes``); ``local`` or
    ``remote`` is ``None`` on the side that deleted the row. ``index`` is the
    row of the merged table holding the kept value (``None`` when the kept
    side deleted the row); ``*_index`` are the rows in each input.
    """

    table: str
    kind: ConflictKind
    key: tuple[Value, ...]
    column: str
    base: Value
    local: Value
    remote: Value
    kept: Side
    index: int | None = None
    base_index: int | None = None
    local_index: int | None = None
    remote_index: int | None = None

    @property
    def kept_value(self) -> Value:
        return self.local if self.kept == "local" else self.remote


@dataclass(frozen=True)
class MergedChange:
    """A value of the merged plan changed by one side (or the same way by both), no conflict.

    ``index`` is the row in the merged table; ``column`` is None for a row added
    by ``sides``; ``base`` is the value the change replaced.
    """

    table: str
    index: int
    column: str | None
    sides: tuple[Side, ...]
    base: Value = None


@dataclass(frozen=True)
class MergeResult:
    plan: Plan
    conflicts: tuple[Conflict, ...]
    notes: tuple[Finding, ...] = ()
    prefer: Side = "local"
    # side -> {"added"|"removed"|"modified": number of rows where that side's change was applied}
    applied: dict[str, Counter[str]] = field(default_factory=dict)
    changes: tuple[MergedChange, ...] = ()
    # side -> (table key, row key) of each base row that side deleted, deletion applied
    removed: dict[str, list[tuple[str, tuple]]] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.notes


def merge_plans(base: Plan, local: Plan, remote: Plan, *, prefer: Side = "local") -> MergeResult:
    """Combine the changes LOCAL and DISTANT made to BASE."""
    if prefer not in SIDES:
        raise ValueError(f"prefer must be one of {SIDES}, not {prefer!r}")
    base, local, remote = on_common_columns(base, local, remote)
    to_local = align_plans(base, local)
    to_remote = align_plans(base, remote)
    conflicts: list[Conflict] = []
    notes: list[Finding] = []
    changes: list[MergedChange] = []
    applied: dict[str, Counter[str]] = {side: Counter() for side in SIDES}
    removed: dict[str, list[tuple[str, tuple]]] = {side: [] for side in SIDES}
    tables = {}
    for sheet in TABLE_SHEETS:
        k = sheet.key
        merger = _TableMerge(base.table(k), local.table(k), remote.table(k),
                             to_local[k], to_remote[k], prefer, applied, removed)
        tables[k] = merger.run()
        conflicts.extend(merger.conflicts)
        changes.extend(merger.changes)
        notes.extend(_duplicate_notes(base.table(k), tables[k]))
    meta, meta_conflicts = _merge_meta(base.meta, local.meta, remote.meta, prefer)
    plan = Plan(meta=meta, **tables)
    return MergeResult(plan, tuple(meta_conflicts + conflicts), tuple(notes), prefer, applied,
                       tuple(changes), removed)


def _merge_meta(base: Meta, local: Meta, remote: Meta, prefer: Side) -> tuple[Meta, list[Conflict]]:
    values = {}
    conflicts = []
    for f in fields(Meta):
        b, x, y = (getattr(m, f.name) for m in (base, local, remote))
        value, conflict = _merge_value(b, x, y, prefer)
        values[f.name] = value
        if conflict:
            conflicts.append(Conflict("meta", "modifiee-des-deux-cotes", (), f.name, b, x, y,
                                      prefer))
    return Meta(**values), conflicts


def _merge_value(b: Value, x: Value, y: Value, prefer: Side) -> tuple[Value, bool]:
    if x == y or y == b:
        return x, False
    if x == b:
        return y, False
    return (x if prefer == "local" else y), True


Identity = tuple[str, int]  # ("b", base index) | ("l", local index) | ("r", remote index)


class _TableMerge:
    def __init__(self, base: Table, local: Table, remote: Table, to_local: Alignment,
                 to_remote: Alignment, prefer: Side, applied: dict[str, Counter[str]],
                 removed: dict[str, list[tuple[str, tuple]]] | None = None) -> None:
        self.base, self.local, self.remote = base, local, remote
        self.to_local, self.to_remote = to_local, to_remote
        self.prefer = prefer
        self.applied = applied
        self.removed = removed if removed is not None else {side: [] for side in SIDES}
        self.sheet = base.sheet
        self.key = key_getter(self.sheet)
        self.keys = self.sheet.keys
        self.provenance = {c.key for c in self.sheet.columns if c.provenance}
        self.conflicts: list[Conflict] = []
        self.changes: list[MergedChange] = []
        # row -> [(column or None for an added row, sides that changed it, base value)]
        self.taken: dict[Identity, list[tuple[str | None, tuple[Side, ...], Value]]] = {}

    def run(self) -> Table:
        local_of = self.to_local.new_of()
        remote_of = self.to_remote.new_of()
        # Rows added on both sides with the same key are one row (by order of occurrence).
        waiting: dict[Hashable, deque[int]] = defaultdict(deque)
        for j in self.to_local.added:
            waiting[self.key(self.local.rows[j])].append(j)
        remote_twin: dict[int, int] = {}
        for j in self.to_remote.added:
            queue = waiting.get(self.key(self.remote.rows[j]))
            if queue:
                remote_twin[j] = queue.popleft()

        base_of_local = {j: i for i, j in local_of.items()}
        base_of_remote = {j: i for i, j in remote_of.items()}
        local_seq: list[Identity] = [("b", base_of_local[j]) if j in base_of_local else ("l", j)
                                     for j in range(len(self.local.rows))]
        remote_seq: list[Identity] = [
            ("b", base_of_remote[j]) if j in base_of_remote
            else ("l", remote_twin[j]) if j in remote_twin else ("r", j)
            for j in range(len(self.remote.rows))
        ]
        twin_of_local = {lj: rj for rj, lj in remote_twin.items()}

        rows: dict[Identity, Row] = {}
        pending: dict[Identity, list[Conflict]] = {}
        for i, brow in enumerate(self.base.rows):
            li, ri = local_of.get(i), remote_of.get(i)
            merged, found = self._merge_base_row(i, brow, li, ri)
            if merged is not None:
                rows[("b", i)] = merged
                self._note_taken(("b", i), brow, li, ri, merged, found)
            if found:
                pending[("b", i)] = found
        for j in self.to_local.added:
            rj = twin_of_local.get(j)
            if rj is None:
                rows[("l", j)] = self.local.rows[j]
                self.taken[("l", j)] = [(None, ("local",), None)]
                self.applied["local"]["added"] += 1
                continue
            merged, found = self._merge_added_twins(j, rj)
            rows[("l", j)] = merged
            self.taken[("l", j)] = [(None, SIDES, None)]
            if found:
                pending[("l", j)] = found
        for j in self.to_remote.added:
            if j not in remote_twin:
                rows[("r", j)] = self.remote.rows[j]
                self.taken[("r", j)] = [(None, ("distant",), None)]
                self.applied["distant"]["added"] += 1

        order = _interleave(*self._sequences(local_seq, remote_seq))
        result = [ident for ident in order if ident in rows]
        index = {ident: n for n, ident in enumerate(result)}
        for ident, found in pending.items():
            self.conflicts.extend(replace(c, index=index.get(ident)) for c in found)
        self.changes = [MergedChange(self.sheet.key, index[ident], column, sides, b)
                        for ident, taken in self.taken.items() if ident in index
                        for column, sides, b in taken]
        self.changes.sort(key=lambda c: (c.index, c.column or ""))
        self.conflicts.sort(key=lambda c: (c.base_index is None, c.base_index or 0,
                                           c.local_index or 0, c.column))
        return Table(self.sheet, tuple(rows[ident] for ident in result))

    def _note_taken(self, ident: Identity, brow: Row, li: int | None, ri: int | None,
                    merged: Row, found: list[Conflict]) -> None:
        """Remember the values of a merged base row that a side changed without conflict."""
        if merged == brow or li is None or ri is None:  # a kept deleted row: only conflicts
            return
        lrow, rrow = self.local.rows[li], self.remote.rows[ri]
        disputed = {c.column for c in found}
        taken = []
        for k, b, m, x, y in zip(self.keys, brow, merged, lrow, rrow):
            if m == b or k in disputed or k in self.provenance:
                continue
            sides = tuple(side for side, v in zip(SIDES, (x, y)) if v == m)
            taken.append((k, sides, b))
        if taken:
            self.taken[ident] = taken

    def _sequences(self, local_seq: list[Identity], remote_seq: list[Identity],
                   ) -> tuple[list[Identity], list[Identity]]:
        local_moved, remote_moved = _reordered(local_seq), _reordered(remote_seq)
        if remote_moved and not local_moved:
            return remote_seq, local_seq
        if local_moved and not remote_moved:
            return local_seq, remote_seq
        return (local_seq, remote_seq) if self.prefer == "local" else (remote_seq, local_seq)

    def _merge_base_row(self, i: int, brow: Row, li: int | None, ri: int | None,
                        ) -> tuple[Row | None, list[Conflict]]:
        lrow = None if li is None else self.local.rows[li]
        rrow = None if ri is None else self.remote.rows[ri]
        key = self.key(brow)
        if lrow is None and rrow is None:
            for side in SIDES:
                self.applied[side]["removed"] += 1
                self.removed[side].append((self.sheet.key, key))
            return None, []
        if lrow is None or rrow is None:
            kept_row, deleter = (rrow, "local") if lrow is None else (lrow, "distant")
            if all(v == b or k in self.provenance
                   for k, v, b in zip(self.keys, kept_row, brow)):
                self.applied[deleter]["removed"] += 1
                self.removed[deleter].append((self.sheet.key, key))
                return None, []
            kind: ConflictKind = ("supprimee-en-local" if deleter == "local"
                                  else "supprimee-a-distance")
            found = [
                Conflict(self.sheet.key, kind, key, column, b,
                         None if lrow is None else lrow[c], None if rrow is None else rrow[c],
                         self.prefer, base_index=i, local_index=li, remote_index=ri)
                for c, (column, b, v) in enumerate(zip(self.keys, brow, kept_row))
                if v != b and column not in self.provenance
            ]
            return (None if self.prefer == deleter else kept_row), found
        if lrow == brow and rrow == brow:
            return brow, []
        merged, found = self._merge_fields(brow, lrow, rrow, "modifiee-des-deux-cotes", key,
                                           (i, li, ri))
        disputed = {c.column for c in found}
        for side, row in (("local", lrow), ("distant", rrow)):
            if row != brow and any(m == v != b and k not in disputed
                                   for k, m, v, b in zip(self.keys, merged, row, brow)):
                self.applied[side]["modified"] += 1
        return merged, found

    def _merge_added_twins(self, lj: int, rj: int) -> tuple[Row, list[Conflict]]:
        lrow, rrow = self.local.rows[lj], self.remote.rows[rj]
        empty = (None,) * len(lrow)
        self.applied["local"]["added"] += 1
        self.applied["distant"]["added"] += 1
        return self._merge_fields(empty, lrow, rrow, "ajoutee-des-deux-cotes", self.key(lrow),
                                  (None, lj, rj))

    def _merge_fields(self, brow: Row, lrow: Row, rrow: Row, kind: ConflictKind,
                      key: tuple[Value, ...], where: tuple[int | None, ...],
                      ) -> tuple[Row, list[Conflict]]:
        if lrow == rrow or rrow == brow:
            return lrow, []
        if lrow == brow:
            return rrow, []
        merged = []
        found = []
        for column, b, x, y in zip(self.keys, brow, lrow, rrow):
            value, conflict = _merge_value(b, x, y, self.prefer)
            merged.append(value)
            if conflict and column not in self.provenance:
                found.append(Conflict(self.sheet.key, kind, key, column, b, x, y, self.prefer,
                                      base_index=where[0], local_index=where[1],
                                      remote_index=where[2]))
        return tuple(merged), found


def _reordered(sequence: Sequence[Identity]) -> bool:
    """Whether base rows appear in another relative order than in the base."""
    last = -1
    for origin, i in sequence:
        if origin == "b":
            if i < last:
                return True
            last = i
    return False


def _interleave(primary: Sequence[Identity], secondary: Sequence[Identity]) -> list[Identity]:
    """``primary`` with the rows only ``secondary`` has, after the row they follow there."""
    present = set(primary)
    after: dict[Identity | None, list[Identity]] = defaultdict(list)
    anchor: Identity | None = None
    for ident in secondary:
        if ident in present:
            anchor = ident
        else:
            after[anchor].append(ident)
    order = list(after.get(None, ()))
    for ident in primary:
        order.append(ident)
        order.extend(after.get(ident, ()))
    return order


def _duplicate_notes(base: Table, table: Table) -> list[Finding]:
    """Keys that identify more rows after the merge than in the base."""
    key = key_getter(table.sheet)
    before = Counter(map(key, base.rows))
    counts = Counter(k for k in map(key, table.rows) if any(v is not None for v in k))
    notes = []
    for k, n in counts.items():
        if n > max(1, before[k]):
            shown = " / ".join("" if v is None else str(v) for v in k)
            notes.append(Finding(
                code="fusion-identifiant-en-double", severity="avertissement",
                sheet=table.sheet.name, value=shown,
                message=(f"{table.sheet.name} : « {shown} » identifie {plural(n, 'ligne')} après la "
                         "fusion (LOCAL et DISTANT l'ont donné à des lignes différentes)."),
                suggestion="Donnez un identifiant distinct à chacune de ces lignes.",
            ))
    return notes
