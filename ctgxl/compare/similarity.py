"""Pairing rows that lost their key: same content under a new ID or number.

Only rows left unmatched by their key reach this module, so the work is
usually tiny. It stays bounded when it is not:

1. rows whose content (every column but the identifying ones) is identical
   are paired through a dictionary;
2. the others are compared by the Jaccard similarity of their token sets
   (words of each column, folded for case and accents, tagged with the
   column they come from); when the table has a title column (intitulé),
   the titles must reach the threshold too, so that two actions sharing
   their porteur, public and calendar but not their purpose are never
   paired. Candidate pairs are found by *prefix filtering*:
   tokens of each row are sorted rarest first, and two rows whose similarity
   reaches the threshold must share a token among the first
   ``n - ceil(t·n) + 1`` of them. Only those candidates are scored, and never
   more than ``MAX_COMPARISONS`` of them;
3. pairs are taken greedily, best score first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ..values import Value

Row = tuple[Value, ...]

THRESHOLD = 0.7
MAX_COMPARISONS = 200_000

_WORD = re.compile(r"\w+")


def fold_text(text: str) -> str:
    """Lower case without accents: the form tokens are compared in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens_of(row: Row, columns: Sequence[int]) -> frozenset[str]:
    tokens: set[str] = set()
    for c in columns:
        value = row[c]
        if value is None:
            continue
        for word in _WORD.findall(fold_text(str(value))):
            tokens.add(f"{c}:{word}")
    return frozenset(tokens)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def pair_similar(
    old: Mapping[int, Row],
    new: Mapping[int, Row],
    content: Sequence[int],
    *,
    title: int | None = None,
    threshold: float = THRESHOLD,
) -> list[tuple[int, int, float]]:
    """Pairs ``(old index, new index, score)`` of rows with similar content.

    ``content`` lists the column positions compared (identifying columns
    excluded), ``title`` the position of the title column if any. Rows
    without any content are never paired.
    """
    if not old or not new:
        return []
    pairs: list[tuple[int, int, float]] = []
    # 1. identical content
    by_content: dict[tuple[Value, ...], list[int]] = defaultdict(list)
    for j, row in new.items():
        signature = tuple(row[c] for c in content)
        if any(v is not None for v in signature):
            by_content[signature].append(j)
    left_old: dict[int, Row] = {}
    used: set[int] = set()
    for i, row in old.items():
        candidates = by_content.get(tuple(row[c] for c in content))
        if candidates:
            j = candidates.pop(0)
            used.add(j)
            pairs.append((i, j, 1.0))
        else:
            left_old[i] = row
    left_new = {j: row for j, row in new.items() if j not in used}
    if left_old and left_new:
        pairs.extend(_pair_fuzzy(left_old, left_new, content, title, threshold))
    return pairs


def _pair_fuzzy(
    old: Mapping[int, Row], new: Mapping[int, Row], content: Sequence[int], title: int | None,
    threshold: float,
) -> list[tuple[int, int, float]]:
    old_tokens = {i: tokens_of(r, content) for i, r in old.items()}
    new_tokens = {j: tokens_of(r, content) for j, r in new.items()}
    frequency: Counter[str] = Counter()
    for tokens in (*old_tokens.values(), *new_tokens.values()):
        frequency.update(tokens)

    def prefix(tokens: frozenset[str]) -> list[str]:
        ordered = sorted(tokens, key=lambda t: (frequency[t], t))
        size = len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1
        return ordered[:size]

    index: dict[str, list[int]] = defaultdict(list)
    for j, tokens in new_tokens.items():
        for token in prefix(tokens):
            index[token].append(j)

    scored: list[tuple[float, int, int]] = []
    budget = MAX_COMPARISONS
    for i, tokens in old_tokens.items():
        if not tokens:
            continue
        seen: set[int] = set()
        for token in prefix(tokens):
            for j in index.get(token, ()):
                if j in seen:
                    continue
                seen.add(j)
                budget -= 1
                score = jaccard(tokens, new_tokens[j])
                if score >= threshold and _titles_match(old[i], new[j], title, threshold):
                    scored.append((score, i, j))
            if budget <= 0:
                break
        if budget <= 0:
            break

    scored.sort(key=lambda s: (-s[0], s[1], s[2]))  # best first, ties in file order
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if i in taken_old or j in taken_new:
            continue
        taken_old.add(i)
        taken_new.add(j)
        pairs.append((i, j, round(score, 3)))
    return pairs


def _titles_match(a: Row, b: Row, title: int | None, threshold: float) -> bool:
    if title is None or a[title] is None or b[title] is None:
        return True
    return jaccard(tokens_of(a, (title,)), tokens_of(b, (title,))) >= threshold
