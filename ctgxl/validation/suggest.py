"""Suggestions for near misses: « Realisée » → « Réalisée », « Terminé » → « Réalisée »."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from ..vocabulary import fold


def folded_map(allowed: Iterable[str]) -> dict[str, str]:
    return {fold(value): value for value in allowed}


def suggest(value: str, allowed: Iterable[str], synonyms: Mapping[str, str] | None = None,
            cutoff: float = 0.75) -> str | None:
    """The list value ``value`` most probably means, if any.

    A synonym from the rules wins (when it names a value of this list), then
    the same word up to case, accents and spacing, then the closest spelling.
    """
    allowed = list(allowed)
    folded = folded_map(allowed)
    key = fold(value)
    if synonyms and key in synonyms and synonyms[key] in allowed:
        return synonyms[key]
    if key in folded:
        return folded[key]
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None
