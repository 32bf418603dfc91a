"""Row alignment: which row of one version of a table is which row of the other.

Rows are matched by their key (``Sheet.key_columns`` of the catalogue),
never by position, in this order:

1. exact key;
2. *Offres only*: in each action where step 1 left an offer unmatched, offers
   with identical content are paired first, then by key, because ``N° offre``
   is a rank that users shift when they insert an offer (a shift is then
   seen as renumbering, not as a cascade of edits);
3. key equal up to case and spacing (``enf-001`` and ``ENF-001``);
4. similarity of content among the rows still unmatched (an action that got
   a new ID or number), see ``similarity.py``. Not for Suivi, whose rows are
   too alike for content to tell them apart.

Rows of Offres and Suivi follow their action: when an action is renumbered,
its offers and follow-up rows are looked up under the action's new ID.
A key that occurs more than once on either side (an ID typed twice, a merge
that kept two rows under one ID) is not matched by order: rows of that key
are paired by identical content, then by similarity, and what is left over is
added or removed. ``duplicate_keys`` lists such keys for the report.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter

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
    "indicateurs": Policy(numbering=("id_action", "numero_indicateur"), rank_group="id_action",
                          title="libelle"),
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
    return itemgetter(*positions)


def content_columns(sheet: Sheet) -> tuple[int, ...]:
    """Positions of the columns that describe a row, not identify it
    (provenance columns, bookkeeping of consolidation, excluded)."""
    skip = set(sheet.key_columns) | set(POLICIES[sheet.key].numbering)
    skip -= set(POLICIES[sheet.key].location)
    return tuple(i for i, c in enumerate(sheet.columns) if c.key not in skip and not c.provenance)


def _fold_key(key: tuple[Value, ...]) -> tuple[Value, ...]:
    return tuple(" ".join(v.split()).casefold() if isinstance(v, str) else v for v in key)


class _Matcher:
    """Pairs being built: old index -> new index."""

    def __init__(self, n_old: int, n_new: int) -> None:
        self.n_old, self.n_new = n_old, n_new
        self.pairs: dict[int, int] = {}
        self.taken: set[int] = set()

    @property
    def perfect(self) -> bool:
        """Every row of both sides is paired."""
        return len(self.pairs) == self.n_old and len(self.taken) == self.n_new

    @property
    def complete(self) -> bool:
        """No more pair can be made: one side has no row left."""
        return len(self.pairs) == self.n_old or len(self.taken) == self.n_new

    def left_old(self) -> list[int]:
        return [i for i in range(self.n_old) if i not in self.pairs]

    def left_new(self) -> list[int]:
        return [j for j in range(self.n_new) if j not in self.taken]

    def match(self, old_forms: Mapping[int, Hashable], new_forms: Mapping[int, Hashable]) -> None:
        """Pair unpaired rows with equal forms, in order of occurrence (None never matches)."""
        slots: dict[Hashable, deque[int]] = defaultdict(deque)
        for j, form in new_forms.items():
            if form is not None and j not in self.taken:
                slots[form].append(j)
        for i, form in old_forms.items():
            if form is None or i in self.pairs:
                continue
            queue = slots.get(form)
            if queue:
                j = queue.popleft()
                self.pairs[i] = j
                self.taken.add(j)

    def unpair(self, olds: set[int]) -> None:
        for i in olds:
            j = self.pairs.pop(i, None)
            if j is not None:
                self.taken.discard(j)


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
    empty = (None,) * len(sheet.key_columns)
    old_keys = [key(r) for r in old.rows]
    if remap and "id_action" in sheet.key_columns:
        p = sheet.key_columns.index("id_action")
        old_keys = [k[:p] + (remap.get(k[p], k[p]),) + k[p + 1:] for k in old_keys]
    new_keys = [key(r) for r in new.rows]
    m = _Matcher(len(old_keys), len(new_keys))

    def keyed(keys: list, rows: Iterable[int], form=lambda k: k) -> dict[int, Hashable]:
        return {i: (None if keys[i] == empty else form(keys[i])) for i in rows}

    doubled = duplicate_keys(old_keys, new_keys, empty)
    if doubled:
        _match_duplicates(m, old, new, old_keys, new_keys, doubled, sheet)
    m.match({i: k for i, k in enumerate(old_keys) if k not in doubled},
            {j: k for j, k in enumerate(new_keys) if k != empty and k not in doubled})
    if policy.rank_group and not m.perfect:
        _rank_shifts(m, sheet, old, new, old_keys, new_keys, keyed)
    if not m.complete:
        m.match(keyed(old_keys, m.left_old(), _fold_key), keyed(new_keys, m.left_new(), _fold_key))

    scores: dict[int, float] = {}
    if policy.similarity and not m.complete:
        left_old = {i: old.rows[i] for i in m.left_old()}
        left_new = {j: new.rows[j] for j in m.left_new()}
        title = sheet.position(policy.title) if policy.title else None
        for i, j, score in pair_similar(left_old, left_new, content_columns(sheet), title=title):
            m.pairs[i] = j
            m.taken.add(j)
            scores[i] = score

    return Alignment(
        pairs=tuple(sorted(m.pairs.items())),
        removed=tuple(m.left_old()),
        added=tuple(m.left_new()),
        scores=scores,
    )


def duplicate_keys(old_keys, new_keys, empty=None) -> set:
    """Keys found on more than one row of either side (empty keys aside)."""
    from collections import Counter

    doubled = set()
    for keys in (old_keys, new_keys):
        doubled.update(k for k, n in Counter(keys).items() if n > 1)
    doubled.discard(empty)
    return doubled


def _match_duplicates(m: _Matcher, old: Table, new: Table, old_keys: list, new_keys: list,
                      doubled: set, sheet: Sheet) -> None:
    """Rows of a duplicated key: identical content first, then the most similar rows."""
    content = content_columns(sheet)
    olds = [i for i, k in enumerate(old_keys) if k in doubled]
    news = [j for j, k in enumerate(new_keys) if k in doubled]
    m.match({i: (old_keys[i], tuple(old.rows[i][c] for c in content)) for i in olds},
            {j: (new_keys[j], tuple(new.rows[j][c] for c in content)) for j in news})
    title = POLICIES[sheet.key].title
    title = sheet.position(title) if title else None
    for key in doubled:
        left_old = {i: old.rows[i] for i in olds if old_keys[i] == key and i not in m.pairs}
        left_new = {j: new.rows[j] for j in news if new_keys[j] == key and j not in m.taken}
        if not left_old or not left_new:
            continue
        for i, j, _ in pair_similar(left_old, left_new, content, title=title):
            m.pairs[i] = j
            m.taken.add(j)


def _rank_shifts(m: _Matcher, sheet: Sheet, old: Table, new: Table, old_keys: list,
                 new_keys: list, keyed) -> None:
    """Within each group (action) with an unmatched row, pair identical content first.

    Key matching has run; only groups where it left a row alone are redone,
    so a rank shift after an inserted offer is seen as renumbering."""
    g = sheet.key_columns.index(POLICIES[sheet.key].rank_group)  # type: ignore[arg-type]
    groups = {old_keys[i][g] for i in m.left_old()} | {new_keys[j][g] for j in m.left_new()}
    groups.discard(None)
    if not groups:
        return
    olds = [i for i, k in enumerate(old_keys) if k[g] in groups]
    news = [j for j, k in enumerate(new_keys) if k[g] in groups]
    m.unpair(set(olds))
    content = content_columns(sheet)

    def signature(rows: tuple[Row, ...], keys: list, indices: list[int]) -> dict[int, Hashable]:
        return {i: (keys[i][g], tuple(rows[i][c] for c in content)) for i in indices}

    m.match(signature(old.rows, old_keys, olds), signature(new.rows, new_keys, news))
    m.match(keyed(old_keys, olds), keyed(new_keys, news))


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
