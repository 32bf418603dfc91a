"""Row alignment: which row of one version of a table is which row of the other.

Rows are matched by their key (``Sheet.key_columns`` of the catalogue),
never by position, in this order:

1. *Offres only*: within one action, offers with identical content are paired
   first, because ``N° offre`` is a rank that users shift when they insert an
   offer (a shift is then seen as renumbering, not as a cascade of edits);
2. exact key;
3. key equal up to case and spacing (``enf-001`` and ``ENF-001``);
4. similarity of content among the rows still unmatched (an action that got
   a new ID or number), see ``similarity.py``. Not for Suivi, whose rows are
   too alike for content to tell them apart.

Rows of Offres and Suivi follow their action: when an action is renumbered,
its offers and follow-up rows are looked up under the action's new ID.
Duplicate keys are matched in order of occurrence.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..catalogue import ACTIONS, TABLE_SHEETS, Sheet
from ..model import Plan, Row, Table
from ..values import Value
from .similarity import pair_similar


@dataclass(frozen=True)
class Policy:
    """How rows of one table are told apart and described."""

    location: tuple[str, ...] = ()   # where the row sits in the plan: a change is a move
    numbering: tuple[str, ...] = ()  # a change of these is a renumbering
    similarity: bool = True          # pair unmatched rows by content
    rank_group: str | None = None    # rows of one group with a shiftable rank in the key
    title: str | None = None         # says what the row is about: must stay similar


POLICIES: dict[str, Policy] = {
    "actions": Policy(location=("thematique", "axe", "objectif"),
                      numbering=("id_action", "numero"), title="intitule"),
    "offres": Policy(numbering=("id_action", "numero_offre"), rank_group="id_action",
                     title="offre"),
    "plan": Policy(location=("thematique", "axe", "objectif"), numbering=("oo",),
                   title="oo_intitule"),
    "suivi": Policy(numbering=("id_action",), similarity=False),
}


@dataclass(frozen=True)
class Alignment:
    """Matched rows of an old and a new table, by index."""

    pairs: tuple[tuple[int, int], ...]         # (old, new), in old order
    removed: tuple[int, ...]                   # old rows without a match
    added: tuple[int, ...]                     # new rows without a match
    scores: Mapping[int, float] = field(default_factory=dict)  # old index -> similarity

    def new_of(self) -> dict[int, int]:
        return dict(self.pairs)


def key_getter(sheet: Sheet) -> Callable[[Row], tuple[Value, ...]]:
    positions = [sheet.position(k) for k in sheet.key_columns]
    if len(positions) == 1:
        (p,) = positions
        return lambda row: (row[p],)
    return lambda row: tuple(row[p] for p in positions)


def content_columns(sheet: Sheet) -> tuple[int, ...]:
    """Positions of the columns that describe a row, not identify it
    (provenance columns, bookkeeping of consolidation, excluded)."""
    skip = set(sheet.key_columns) | set(POLICIES[sheet.key].numbering)
    skip -= set(POLICIES[sheet.key].location)
    return tuple(i for i, c in enumerate(sheet.columns) if c.key not in skip and not c.provenance)


def _fold_key(key: tuple[Value, ...]) -> tuple[Value, ...]:
    return tuple(" ".join(v.split()).casefold() if isinstance(v, str) else v for v in key)


def _is_empty(key: tuple[Value, ...]) -> bool:
    return all(v is None for v in key)


def align_table(old: Table, new: Table, *, remap: Mapping[Value, Value] | None = None,
                ) -> Alignment:
    """Match the rows of two versions of the same table.

    ``remap`` maps old action IDs to new ones (renumbered actions); it is
    applied to the ``id_action`` part of the keys of Offres and Suivi.
    """
    sheet = old.sheet
    if old.rows == new.rows:
        n = len(old.rows)
        return Alignment(tuple((i, i) for i in range(n)), (), ())
    policy = POLICIES[sheet.key]
    key = key_getter(sheet)
    old_keys = [key(r) for r in old.rows]
    if remap and "id_action" in sheet.key_columns:
        p = sheet.key_columns.index("id_action")
        old_keys = [k[:p] + (remap.get(k[p], k[p]),) + k[p + 1:] for k in old_keys]
    new_keys = [key(r) for r in new.rows]

    pairs: dict[int, int] = {}
    taken: set[int] = set()
    scores: dict[int, float] = {}

    def match_by(old_form: list, new_form: list) -> None:
        slots: dict[object, deque[int]] = defaultdict(deque)
        for j, k in enumerate(new_form):
            if j not in taken and k is not None:
                slots[k].append(j)
        for i, k in enumerate(old_form):
            if i in pairs or k is None:
                continue
            queue = slots.get(k)
            if queue:
                j = queue.popleft()
                pairs[i] = j
                taken.add(j)

    if policy.rank_group:
        g = sheet.key_columns.index(policy.rank_group)
        content = content_columns(sheet)

        def grouped(keys: list, rows: tuple[Row, ...]) -> list:
            return [None if k[g] is None else (k[g], tuple(r[c] for c in content))
                    for k, r in zip(keys, rows)]

        match_by(grouped(old_keys, old.rows), grouped(new_keys, new.rows))

    match_by([None if _is_empty(k) else k for k in old_keys],
             [None if _is_empty(k) else k for k in new_keys])
    if len(pairs) < len(old_keys) and len(taken) < len(new_keys):
        match_by([None if _is_empty(k) else _fold_key(k) for k in old_keys],
                 [None if _is_empty(k) else _fold_key(k) for k in new_keys])

    if policy.similarity and len(pairs) < len(old_keys) and len(taken) < len(new_keys):
        left_old = {i: r for i, r in enumerate(old.rows) if i not in pairs}
        left_new = {j: r for j, r in enumerate(new.rows) if j not in taken}
        title = sheet.position(policy.title) if policy.title else None
        for i, j, score in pair_similar(left_old, left_new, content_columns(sheet), title=title):
            pairs[i] = j
            taken.add(j)
            scores[i] = score

    return Alignment(
        pairs=tuple(sorted(pairs.items())),
        removed=tuple(i for i in range(len(old.rows)) if i not in pairs),
        added=tuple(j for j in range(len(new.rows)) if j not in taken),
        scores=scores,
    )


def renumbered_ids(old: Table, new: Table, alignment: Alignment) -> dict[Value, Value]:
    """Old action ID -> new ID, for matched actions whose ID changed."""
    p = ACTIONS.position("id_action")
    remap: dict[Value, Value] = {}
    for i, j in alignment.pairs:
        a, b = old.rows[i][p], new.rows[j][p]
        if a is not None and b is not None and a != b:
            remap.setdefault(a, b)
    return remap


def align_plans(old: Plan, new: Plan) -> dict[str, Alignment]:
    """Alignment of every table, actions first so that their renumbering is followed."""
    actions = align_table(old.actions, new.actions)
    remap = renumbered_ids(old.actions, new.actions, actions)
    result = {"actions": actions}
    for sheet in TABLE_SHEETS:
        if sheet.key != "actions":
            result[sheet.key] = align_table(old.table(sheet.key), new.table(sheet.key),
                                            remap=remap)
    return {s.key: result[s.key] for s in TABLE_SHEETS}
