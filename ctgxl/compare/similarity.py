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
   ``n - ceil(t·n) + 1`` of them — of their titles' tokens when both have a
   title, which is far more selective. Candidates are scored word by word,
   rarest first, and the search for a row stops at the first word that
   yields a match (rare words are the telling ones); never more than
   ``MAX_CANDIDATES_PER_ROW`` per row and ``MAX_COMPARISONS`` in all;
3. pairs are taken greedily, best score first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache

from ..values import Value

Row = tuple[Value, ...]

THRESHOLD = 0.7
MAX_COMPARISONS = 200_000
MAX_CANDIDATES_PER_ROW = 200

_WORD = re.compile(r"\w+")


def fold_text(text: str) -> str:
    """Lower case without accents: the form tokens are compared in."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def _column_tokens(column: int, value: Value) -> frozenset[str]:
    return frozenset(f"{column}:{word}" for word in _WORD.findall(fold_text(str(value))))


def tokens_of(row: Row, columns: Sequence[int]) -> frozenset[str]:
    """Words of the given columns, each tagged with its column (values repeat a lot
    in a plan — porteurs, publics, partenaires — so each value is split once)."""
    tokens: set[str] = set()
    for c in columns:
        value = row[c]
        if value is not None:
            tokens |= _column_tokens(c, value)
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
    old_titles = {i: _title_tokens(r, title) for i, r in old.items()}
    new_titles = {j: _title_tokens(r, title) for j, r in new.items()}
    frequency: Counter[str] = Counter()
    for tokens in (*old_tokens.values(), *new_tokens.values()):
        frequency.update(tokens)

    rank = {t: n for n, t in enumerate(sorted(frequency, key=lambda t: (frequency[t], t)))}
    by_rank = rank.__getitem__

    def prefix(tokens: frozenset[str]) -> list[str]:
        ordered = sorted(tokens, key=by_rank)
        size = len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1
        return ordered[:size]

    # Blocking: rows with a title are looked up by the rarest words of their
    # title (both titles must be similar), rows without one by their content.
    by_title: dict[str, list[int]] = defaultdict(list)
    by_content_untitled: dict[str, list[int]] = defaultdict(list)
    by_content: dict[str, list[int]] = defaultdict(list)
    any_untitled_old = any(t is None for t in old_titles.values())
    for j, tokens in new_tokens.items():
        if new_titles[j] is not None:
            for token in prefix(new_titles[j]):
                by_title[token].append(j)
        if new_titles[j] is None or any_untitled_old:
            content_prefix = prefix(tokens)
            if new_titles[j] is None:
                for token in content_prefix:
                    by_content_untitled[token].append(j)
            if any_untitled_old:
                for token in content_prefix:
                    by_content[token].append(j)

    scored: list[tuple[float, int, int]] = []
    budget = MAX_COMPARISONS
    for i, tokens in old_tokens.items():
        if not tokens:
            continue
        if old_titles[i] is not None:
            lookups = [(by_title, prefix(old_titles[i]))]
            if by_content_untitled:
                lookups.append((by_content_untitled, prefix(tokens)))
        else:
            lookups = [(by_content, prefix(tokens))]
        seen: set[int] = set()
        found = False
        for index, words in lookups:
            for word in words:  # rarest first: stop widening once a match is found
                if found or len(seen) >= MAX_CANDIDATES_PER_ROW:
                    break
                for j in index.get(word, ()):
                    if j in seen:
                        continue
                    seen.add(j)
                    score = jaccard(tokens, new_tokens[j])
                    if score >= threshold and (
                            old_titles[i] is None or new_titles[j] is None
                            or jaccard(old_titles[i], new_titles[j]) >= threshold):
                        scored.append((score, i, j))
                        found = True
                    if len(seen) >= MAX_CANDIDATES_PER_ROW:
                        break
        budget -= len(seen)
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


def _title_tokens(row: Row, title: int | None) -> frozenset[str] | None:
    if title is None or row[title] is None:
        return None
    return tokens_of(row, (title,)) or None
