"""Recognise a column of the template under a header ctgxl does not know.

A service renames « Statut » into « Avancement 2025 », or « ID action » into « Réf. » : the
reader no longer finds the column, and would keep the renamed one as a column added by the
service — its values silently out of every figure. This module says which unknown header
most probably stands for a missing column of the template, and why, from two pieces of
evidence:

- **the header**: it contains the column's header or one of its synonyms as whole words
  (« Statut au 31/12 », « Avancement 2025 »), or is spelt nearly the same (« Satut »);
- **the content**: most of its values belong to the column's list (statuts, thématiques,
  parcours of ``listes.toml``) or have the form of an ID action (« ENF-015 ») — a column
  whose values are statuts of the list *is* the Statut column.

Pure functions: the reader uses them for the ID action (without which nothing can be read),
validation for every other column, with the lists of its rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .catalogue import Column
from .vocabulary import fold
from .wording import plural

MIN_SHARE = 0.6          # share of the non-empty values that must fit the column
MIN_VALUES = 2           # … among at least this many values
MIN_LIKENESS = 0.8       # difflib ratio of the folded headers
ID_ACTION = re.compile(r"[A-Z]{2,6}-\d{1,6}[A-Za-z]?")


@dataclass(frozen=True)
class Renamed:
    """``header`` (the ``position``-th candidate) stands for the column ``key``."""

    key: str
    header: str
    position: int
    evidence: str        # French: « 45 de ses 48 valeurs sont dans la liste de « Statut » »


def header_likeness(column: Column, header: str) -> tuple[float, str]:
    """(score, French reason): 1.0 when ``header`` contains the column's header or one of
    its synonyms as whole words, else how close its spelling is to the nearest of them."""
    text = fold(header)
    names = [(fold(name), name) for name in (column.header, *column.synonyms) if fold(name)]
    if not text:
        return 0.0, ""
    for folded, name in names:
        if f" {folded} " in f" {text} ":
            if name == column.header:
                return 1.0, f"son en-tête contient « {name} »"
            return 1.0, f"son en-tête contient « {name} », autre nom de « {column.header} »"
    score, name = max((difflib.SequenceMatcher(None, text, folded).ratio(), name)
                      for folded, name in names)
    return score, f"son en-tête s'écrit presque comme « {name} »"


def is_id_action(value: object) -> bool:
    return isinstance(value, str) and ID_ACTION.fullmatch(value.strip()) is not None


def in_list(allowed: Sequence[str]) -> Callable[[object], bool]:
    """A test of membership in a list of values, ignoring case, accents and spacing."""
    folded = {fold(v) for v in allowed}
    return lambda value: value is not None and fold(str(value)) in folded


def recognise(columns: Sequence[Column], candidates: Sequence[tuple[str, Sequence[object]]],
              accepts: Mapping[str, Callable[[object], bool]]) -> list[Renamed]:
    """Which of ``candidates`` ((header, values) of unknown columns) stand for which of the
    missing ``columns``; ``accepts[key]`` tells a value that fits column ``key``. Each
    candidate and each column is used once, the strongest evidence first."""
    scored = []
    for column in columns:
        test = accepts.get(column.key)
        for position, (header, values) in enumerate(candidates):
            likeness, reason = header_likeness(column, header)
            filled = [v for v in values if v not in (None, "")]
            fitting = sum(1 for v in filled if test(v)) if test else 0
            by_content = len(filled) >= MIN_VALUES and fitting >= MIN_SHARE * len(filled)
            by_header = likeness >= MIN_LIKENESS
            if not (by_content or by_header):
                continue
            evidence = []
            if by_content:
                what = ("des identifiants d'action" if test is is_id_action
                        else f"dans la liste de « {column.header} »")
                verb = "est" if fitting == 1 else "sont"
                evidence.append(f"{fitting} de ses {plural(len(filled), 'valeur')} {verb} {what}")
            if by_header:
                evidence.append(reason)
            scored.append((by_content + likeness, column.key, position, header,
                           " et ".join(evidence)))
    found, used_keys, used = [], set(), set()
    for _, key, position, header, evidence in sorted(scored, key=lambda s: -s[0]):
        if key not in used_keys and position not in used:
            used_keys.add(key)
            used.add(position)
            found.append(Renamed(key, header, position, evidence))
    return found
