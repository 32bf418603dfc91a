"""What the checks look at: one pandas frame per sheet, plus where each cell came from.

Frames hold the table's rows with a 0-based index (the row's position in the
``Table``); text columns use pandas' pyarrow-backed ``str`` dtype (pandera is
about 4x slower on object strings), integer columns stay ``object`` so that a
text typed in a number column can still be shown as typed. ``locate`` turns
(index, column) into the Excel row and column letter the user sees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from ..catalogue import TABLE_SHEETS, Sheet
from ..model import Plan, Table, column_letter
from ..values import years_of
from ..vocabulary import fold
from .rules import Rules

HEADER_ROW = 1  # where ctgxl's writer puts headers; used for plans built in memory
TEXT = pd.StringDtype("pyarrow", na_value=float("nan"))  # pandas 3's default ``str``

_OO_TOKEN = re.compile(r"^(?:O\.?O\.?\s*)?(\d{1,3})\.?$", re.IGNORECASE)
_OO_SPLIT = re.compile(r"[\s,;/+]+|\bet\b")
_LEADING_WORD = re.compile(r"^(?:axe(?: strategique)?|objectif(?: intermediaire)?|oi|n)\s+")


def oo_tokens(text: object) -> list[str]:
    """The tokens of an OO cell: ``"OO1 OO3"``, ``"1 2 3"``, ``"OO1, OO2"``."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return []
    return [t for t in _OO_SPLIT.split(str(text)) if t]


@lru_cache(maxsize=4096)
def oo_code(token: str) -> str | None:
    """``"OO1"``, ``"1"``, ``"oo 1."`` -> ``"OO1"``; None when not an OO code."""
    match = _OO_TOKEN.match(token.strip())
    return f"OO{int(match.group(1))}" if match else None


def level_key(value: object) -> str:
    """Comparable form of an axe or objectif code (« Axe II » ≈ « II »)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _level_key(str(value))


@lru_cache(maxsize=4096)
def _level_key(text: str) -> str:
    return _LEADING_WORD.sub("", fold(text))


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def shown(value: object) -> str | None:
    """A value as the user typed it (None for an empty cell)."""
    return None if is_missing(value) else str(value)


def table_columns(table: Table) -> dict[str, Sequence]:
    """The table's columns as plain lists (None for an empty cell)."""
    sheet = table.sheet
    if not table.rows:
        return {key: [] for key in sheet.keys}
    return dict(zip(sheet.keys, zip(*table.rows)))  # tuples: no copy


def build_frame(sheet: Sheet, raw: Mapping[str, Sequence], keys: Iterable[str],
                index: pd.Index) -> pd.DataFrame:
    """A frame of the columns ``keys`` only: text as pyarrow-backed ``str``, integers and
    numbers as objects (so that a text typed in a number column is still seen as typed)."""
    data = {}
    for column in sheet.columns:
        if column.key in keys:
            values = raw[column.key]
            data[column.key] = (pd.Series(values, dtype=object, index=index)
                                if column.type in ("int", "number")
                                else _text_series(values, index))
    return pd.DataFrame(data, index=index)


def _text_series(values: Sequence, index: pd.Index) -> pd.Series:
    """pandas' pyarrow-backed ``str`` column, built through pyarrow (5x faster)."""
    import pyarrow as pa

    try:
        array = pa.array(values, type=pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.Series(values, dtype="str", index=index)
    return pd.Series(array, dtype=TEXT, index=index)


def as_bool(values: list, index: pd.Index) -> pd.Series:
    return pd.Series(values, index=index, dtype=bool)


@dataclass
class SheetData:
    """One sheet of one plan, or of several plans joined for a batch (see ``batch.py``).

    ``owners`` holds, for each row, the position of its plan in the batch and
    ``starts`` the index of each plan's first row; a joined sheet has no
    ``table`` (findings are placed through each plan's own ``SheetData``).
    """

    sheet: Sheet
    table: Table | None
    raw: dict[str, Sequence]          # column key -> values (None when empty)
    index: pd.Index                   # 0..n-1: the row's position in the table
    present: frozenset[str]           # column keys found in the file
    theme_code: pd.Series             # code of each row's thématique (None if unknown)
    owners: np.ndarray | None = None  # batch position of each row's plan (all 0: one plan)
    starts: Mapping[int, int] = field(default_factory=lambda: {0: 0})

    def __post_init__(self) -> None:
        if self.owners is None:
            self.owners = np.zeros(len(self.index), dtype=np.intp)

    def __len__(self) -> int:
        return len(self.index)

    def place(self, index: int) -> tuple[int, int]:
        """(batch position of the row's plan, index of the row in that plan's table)."""
        position = int(self.owners[index])
        return position, index - self.starts[position]

    def frame(self, keys: Iterable[str]) -> pd.DataFrame:
        return build_frame(self.sheet, self.raw, set(keys), self.index)

    def locate(self, index: int | None, key: str | None) -> tuple[int | None, str | None]:
        """Excel row number and column letter of a cell (either may be unknown)."""
        origin = self.table.origin
        if origin is not None:
            row = origin.rows[index] if index is not None and index < len(origin.rows) else None
            return row, origin.letters.get(key) if key else None
        row = index + HEADER_ROW + 1 if index is not None else None
        letter = column_letter(self.sheet.position(key) + 1) if key in self.sheet.index else None
        return row, letter

    @cached_property
    def ints(self) -> dict[str, pd.Series]:
        """Integer columns as floats (NaN where empty or not a number)."""
        nan = float("nan")
        return {c.key: pd.Series([v if type(v) is int else nan for v in self.raw[c.key]],
                                 index=self.index, dtype=float)
                for c in self.sheet.columns if c.type == "int"}

    @cached_property
    def echeance_years(self) -> tuple[pd.Series, pd.Series]:
        """First and last year read in the échéances text (NaN when none)."""
        parsed: dict[str, tuple] = {}
        firsts, lasts = [], []
        nan = float("nan")
        for value in self.raw["echeances"]:
            if value is None:
                firsts.append(nan)
                lasts.append(nan)
                continue
            years = parsed.get(value)
            if years is None:
                years = parsed[value] = years_of(str(value))
            firsts.append(nan if years[0] is None else years[0])
            lasts.append(nan if years[1] is None else years[1])
        index = self.index
        return (pd.Series(firsts, index=index, dtype=float),
                pd.Series(lasts, index=index, dtype=float))

    @cached_property
    def id_parts(self) -> tuple[list, list]:
        """Thématique code and number of each well-formed identifier (« ENF », 15)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        ids = pa.array(self.raw["id_action"], type=pa.large_string())
        parts = pc.extract_regex(ids, r"^(?P<code>[A-Z]{2,5})-(?P<number>\d+)$")
        numbers = pc.cast(pc.struct_field(parts, "number"), pa.int64())  # null if no match
        return pc.struct_field(parts, "code").to_pylist(), numbers.to_pylist()

    @cached_property
    def theme_groups(self) -> tuple[list, object]:
        """The distinct thématique codes, and for each row the position of its code."""
        import numpy as np

        codes: dict[object, int] = {}
        positions = [codes.setdefault(c, len(codes)) for c in self.theme_code.tolist()]
        return list(codes), np.array(positions, dtype=np.intp)

    def value(self, index: int, key: str) -> object:
        return self.raw[key][index]


class Lookups:
    """What checks may ask of the rules, whichever plans they look at."""

    def __init__(self, rules: Rules, theme_cache: dict | None = None) -> None:
        self.rules = rules
        self.vocabulary = rules.vocabulary
        self._theme_cache: dict[str, tuple[str | None, str | None]] = (
            {} if theme_cache is None else theme_cache)

    @property
    def period(self) -> tuple[int, int]:
        return self.rules.period

    def theme(self, label: object) -> tuple[str | None, str | None]:
        """(code, label) of a thématique written in a cell, or (None, None)."""
        if not isinstance(label, str):
            return None, None
        if label not in self._theme_cache:
            found = self.vocabulary.thematique(label)
            self._theme_cache[label] = (found.code, found.libelle) if found else (None, None)
        return self._theme_cache[label]

    def theme_label(self, code: str | None) -> str:
        for t in self.vocabulary.thematiques:
            if t.code == code:
                return t.libelle
        return code or "?"


class Context(Lookups):
    """Everything a check may read about one plan and the rules it is held to."""

    def __init__(self, plan: Plan, rules: Rules, theme_cache: dict | None = None) -> None:
        super().__init__(rules, theme_cache)
        self.plan = plan
        self.from_file = plan.source is not None
        self.sheets: dict[str, SheetData] = {}
        actions = self._sheet_data(plan.actions, None)
        self.sheets["actions"] = actions
        self.action_theme = self._action_themes(actions)
        for sheet in TABLE_SHEETS[1:]:
            self.sheets[sheet.key] = self._sheet_data(plan.table(sheet.key), self.action_theme)

    def _theme_codes(self, labels: list, index: pd.Index) -> pd.Series:
        codes = {v: self.theme(v)[0] for v in set(labels) if v is not None}
        return pd.Series([codes.get(v) for v in labels], index=index, dtype=object)

    def _action_themes(self, actions: SheetData) -> Mapping[str, str | None]:
        mapping: dict[str, str | None] = {}
        for ident, code in zip(actions.raw["id_action"], actions.theme_code.tolist()):
            if isinstance(ident, str) and ident not in mapping:
                mapping[ident] = code
        return mapping

    def _sheet_data(self, table: Table, action_theme: Mapping | None) -> SheetData:
        raw = table_columns(table)
        index = pd.RangeIndex(len(table.rows))
        origin = table.origin
        present = frozenset(origin.letters) if origin is not None else frozenset(table.sheet.keys)
        if "thematique" in raw:
            codes = self._theme_codes(raw["thematique"], index)
        else:
            themes = action_theme or {}
            codes = pd.Series([themes.get(v) for v in raw["id_action"]], index=index,
                              dtype=object)
        return SheetData(table.sheet, table, raw, index, present, codes)

    # -- helpers for checks ------------------------------------------------------------

    def has_rows(self, key: str) -> bool:
        return len(self.sheets[key]) > 0
