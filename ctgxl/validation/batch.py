"""Several plans checked together: each sheet's rows of all plans in one frame.

pandera and the column and row checks cost a nearly fixed time per run
(building the schema, one pass per check, collecting failure cases), which
dwarfs the work on a 200-action plan: consolidating 500 service workbooks ran
them 2,000 times. A ``Batch`` joins the rows of one sheet of every plan into
one ``SheetData`` whose ``owners`` say which plan each row belongs to, so that
each sheet's schema runs once for the whole batch.

Column and row checks look at one row at a time, and at the row's own plan for
what depends on the plan (the workbook's thématique, the offers of an action):
a row's verdict is the same alone or in a batch. The checks that compare rows
(``plan`` scope) run on each plan's own ``Context``. Plans whose sheet does not
have the same columns are joined separately (the schema depends on them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import accumulate, chain

import numpy as np
import pandas as pd

from ..catalogue import SHEETS_BY_KEY
from ..model import Plan
from .context import Context, Lookups, SheetData
from .rules import Rules


class Batch(Lookups):
    """The plans checked together (``contexts``, in order) and their joined sheets."""

    def __init__(self, plans: Sequence[Plan], rules: Rules) -> None:
        super().__init__(rules)
        self.contexts = [Context(plan, rules, self._theme_cache) for plan in plans]

    def groups(self, key: str) -> list[SheetData]:
        """Sheet ``key`` of every plan that has rows in it, joined: one ``SheetData`` per
        set of columns present (one for plans made from the same template)."""
        by_columns: dict[frozenset[str], list[tuple[int, SheetData]]] = {}
        for position, ctx in enumerate(self.contexts):
            sd = ctx.sheets[key]
            if len(sd):
                by_columns.setdefault(sd.present, []).append((position, sd))
        return [join(parts) for parts in by_columns.values()]

    def alone(self, sd: SheetData, position: int) -> SheetData:
        """The part of a joined sheet that belongs to the plan at ``position``."""
        return join([(position, self.contexts[position].sheets[sd.sheet.key])])

    def workbook_themes(self, sd: SheetData) -> list[tuple[str | None, str | None]]:
        """For each row, (code, label) of the thématique its workbook is about, if it says."""
        themes = {p: self.theme(self.contexts[p].plan.meta.thematique) for p in sd.starts}
        return [themes[p] for p in sd.owners.tolist()]

    def offers_filling(self, sd: SheetData, key: str) -> np.ndarray:
        """For each row, whether an offer of its action, in its own plan, fills ``key``."""
        if key not in SHEETS_BY_KEY["offres"].index:
            return np.zeros(len(sd), dtype=bool)
        provided: set[tuple[int, object]] = set()
        for position in sd.starts:
            offers = self.contexts[position].sheets["offres"].raw
            provided.update((position, i) for i, v in zip(offers["id_action"], offers[key])
                            if v is not None)
        return np.array([(p, i) in provided
                         for p, i in zip(sd.owners.tolist(), sd.raw["id_action"])], dtype=bool)


def join(parts: Sequence[tuple[int, SheetData]]) -> SheetData:
    """The rows of one sheet of several plans, given as (batch position, sheet) in order."""
    if len(parts) == 1:
        position, sd = parts[0]
        if position == 0 and sd.starts == {0: 0}:
            return sd
        return replace(sd, owners=np.full(len(sd), position, dtype=np.intp),
                       starts={position: 0})
    first = parts[0][1]
    sheets = [sd for _, sd in parts]
    lengths = [len(sd) for sd in sheets]
    positions = [position for position, _ in parts]
    index = pd.RangeIndex(sum(lengths))
    raw = {key: list(chain.from_iterable(sd.raw[key] for sd in sheets))
           for key in first.sheet.keys}
    codes = pd.Series(list(chain.from_iterable(sd.theme_code.tolist() for sd in sheets)),
                      index=index, dtype=object)
    owners = np.repeat(np.array(positions, dtype=np.intp), lengths)
    starts = dict(zip(positions, accumulate(lengths[:-1], initial=0)))
    return SheetData(first.sheet, None, raw, index, first.present, codes, owners, starts)
