"""Put back in their columns the values of a row whose cells were shifted.

Word tables with merged cells often export a row with one cell too many or
too few: « année scolaire » lands under PARTENAIRES, an indicator spills past
the last column, a number sits in the title column's neighbour. The values
keep their left-to-right order, only their columns drift.

``realign`` therefore looks for the order-preserving assignment of the row's
values to the table's fields that best fits what each value looks like
(``affinity``: a schedule, an indicator, a budget, a public, a parcours from
the list, an OO number…) while moving values as little as possible. It is
used only on rows that show a sign of shifting (see ``grid``), and every move
is reported: the source stays the reference.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ..vocabulary import fold
from .patterns import is_oo_numbers

SHIFT_CHANGE_COST = 1.0  # each time a value moves by another amount than its left neighbour
SHIFT_COST = 0.2         # per column a value is moved
SHARE_COST = 1.5         # for each extra value put in an already used field

_MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
           "octobre", "novembre", "decembre")
_SCHEDULE = re.compile(
    r"\b(19|20)\d\d\b|\bannees?\b|\bannuel\w*|\bvacances\b|\bmercredis?\b|\btrimestre\w*"
    r"|\bsemaines?\b|\bduree\b|\bperiode\b|\bcalendrier\b|\bmois\b|\bete\b|\btoussaint\b"
    r"|\bnoel\b|\bchaque\b|\b(" + "|".join(_MONTHS) + r")\b")
_INDICATOR = re.compile(
    r"^(nombres?|taux|frequence|frequentation|bilan|evaluation|satisfaction|participation|"
    r"effectifs?|indicateurs?|mesure|qualite|implication|realisation|adhesion)\b"
    r"|\b(nombres? d|taux d|frequence d)")
_FINANCE = re.compile(
    r"\b(budgets?|dotations?|subventions?|financements?|financier|credits?|contrat de ville|"
    r"gratuit|facturation|cotation|fonds|reaap|reapp|appel a projets?)\b")
_HUMAN = re.compile(
    r"\b(equipes?|enseignants?|agents?|animateurs?|animatrices?|intervenants?|intervenantes?|"
    r"benevoles?|referente?s?|etp|personnels?|formateurs?|coordinat\w*|salaries?|recrutements?|"
    r"educateurs?|cadres?|membres?)\b")
_TECHNICAL = re.compile(
    r"\b(materiels?|locaux|local|salles?|outils?|mise a disposition|livraison|bus|supports?|"
    r"internet|equipements?|vehicule|infrastructures?|jeux|documents?|piscines?|logiciel|"
    r"fiches?)\b")
_PUBLIC = re.compile(
    r"^(les |des |tous les |toutes les )?(eleves?|enfants?|familles?|parents?|jeunes?|etudiants?|"
    r"lyceens?|collegiens?|futurs|assistants? maternels?|public|adultes?|classes?)\b"
    r"|^\d+\s*\d*\s*ans\b|^\d+ (mois|ans)")
_OFFER = re.compile(
    r"^(mise en place|mise en oeuvre|organisation|organiser|ateliers?|projets?|rencontres?|"
    r"initiation|initier|creation|visites?|participation|participer|accompagnement|actions?|"
    r"jeux|concours|programmes?|dispositifs?|sorties?|developpement|formation|festival|"
    r"semaine|journees?|apprentissage)\b")
_CARRIER = re.compile(
    r"^(pole|direction|service|mairies?|communes?|association|mont de marsan|agglomeration|"
    r"ccas|cias|en|education nationale|ecoles?|alsh)\b")


# field -> (pattern its values tend to match, score when they match, score otherwise)
_FIELD_SCORES = {
    "echeances": (_SCHEDULE, 3.0, -3.0),
    "indicateurs": (_INDICATOR, 3.0, -1.0),
    "moyens_financiers": (_FINANCE, 3.0, 0.0),
    "moyens_humains": (_HUMAN, 1.0, 0.0),
    "moyens_techniques": (_TECHNICAL, 1.0, 0.0),
    "public": (_PUBLIC, 2.0, 0.0),
    "offre": (_OFFER, 1.5, 0.0),
    "porteur": (_CARRIER, 1.0, 0.0),
}


def affinity(value: str, key: str, parcours: Sequence[str]) -> float:
    """How much ``value`` looks like a value of the field ``key`` (0 = no opinion)."""
    return looks(value, parcours).score(key)


def looks(value: str, parcours: Sequence[str]) -> Looks:
    """What ``value`` looks like; the values of a plan repeat (porteurs, partenaires, years),
    so the last few thousand are remembered."""
    return _looks(value, tuple(parcours))


@functools.lru_cache(maxsize=8192)
def _looks(value: str, parcours: tuple[str, ...]) -> Looks:
    return Looks(value, parcours)


class Looks:
    """What one value looks like, computed once for all the fields it is tried in."""

    __slots__ = ("words", "numbers", "in_list", "indicator", "offer", "scores")

    def __init__(self, value: str, parcours: Sequence[str]) -> None:
        self.scores: dict[str, float] = {}
        self.words = fold(value)
        self.numbers = is_oo_numbers(value)
        self.in_list = bool(parcours) and _is_parcours(self.words, parcours)
        self.indicator = bool(_INDICATOR.search(self.words))
        self.offer = bool(_OFFER.search(self.words))

    def score(self, key: str) -> float:
        known = self.scores.get(key)
        if known is None:
            known = self.scores[key] = self._score(key)
        return known

    def _score(self, key: str) -> float:
        if key == "oo":
            return 6.0 if self.numbers else -6.0
        if self.numbers:
            return -4.0
        if key == "parcours":
            return 6.0 if self.in_list else -4.0
        if self.in_list:
            return -4.0
        if key != "indicateurs" and self.indicator:
            return -1.5 + (1.5 if key == "offre" and self.offer else 0.0)
        pattern, hit, miss = _FIELD_SCORES.get(key, (None, 0.0, 0.0))
        if pattern is None:
            return 0.0
        return hit if pattern.search(self.words) else miss


_PARCOURS_HEADS: dict[tuple[str, ...], list[tuple[str, str]]] = {}


def _is_parcours(words: str, parcours: Sequence[str]) -> bool:
    heads = _PARCOURS_HEADS.get(tuple(parcours))
    if heads is None:
        heads = [(fold(p), " ".join(fold(p).split()[:4])) for p in parcours]
        _PARCOURS_HEADS[tuple(parcours)] = heads
    head = " ".join(words.split()[:4])
    return any(folded.startswith(head) or words.startswith(four) for folded, four in heads)


def gains(values: Sequence[tuple[int, str]], fields: Sequence[tuple[int, str]],
          looked: Sequence[Looks]) -> list[list[float]]:
    """gain[i][j]: how well value i fits field j, less the cost of moving it there."""
    out = []
    for (col, _), look in zip(values, looked):
        out.append([look.score(key) - SHIFT_COST * abs(fcol - col) for fcol, key in fields])
    return out


def realign(values: Sequence[tuple[int, str]], fields: Sequence[tuple[int, str]],
            parcours: Sequence[str], start_shift: int = 0,
            gain: list[list[float]] | None = None,
            ) -> tuple[list[tuple[int, str, str]], float]:
    """Best order-preserving assignment of (column, value) to (column, key) fields.

    A value moved by the same number of columns as its left neighbour costs
    little (a block of cells shifted together); each change of shift costs
    ``SHIFT_CHANGE_COST`` whatever its size.
    ``start_shift`` is how far the row's action cell itself was moved.
    Several consecutive values may share a field (they are then joined);
    every value is kept. Returns [(from column, key, value)] and the score. ``gain`` is
    ``gains(values, fields, …)`` when the caller has it already.

    Dynamic programming in O(values × fields): for a value in field j, the best previous
    field k < j is either the best of all (paying a change of shift) or the one field whose
    shift equals this one (no change); k = j pays the sharing cost. Ties go to the
    leftmost field.
    """
    n, m = len(values), len(fields)
    if n == 0 or m == 0:
        return [], 0.0
    neg = float("-inf")
    keys = [key for _, key in fields]
    if gain is None:
        gain = gains(values, fields, [looks(v, parcours) for _, v in values])
    at_column = {fcol: j for j, (fcol, _) in enumerate(fields)}
    # best[i][j]: best score with values[:i+1] placed and values[i] in fields[j]
    best = [[neg] * m for _ in range(n)]
    back: list[list[int]] = [[-1] * m for _ in range(n)]
    for j, (fcol, _) in enumerate(fields):
        best[0][j] = gain[0][j] - _change(fcol - values[0][0], start_shift)
    for i in range(1, n):
        col, prev_col = values[i][0], values[i - 1][0]
        prev = best[i - 1]
        run_value, run_arg = neg, -1   # best prev[k] - change for k < j, leftmost on ties
        for j, (fcol, _) in enumerate(fields):
            shift = fcol - col
            top, arg = neg, -1
            if run_arg >= 0:
                top, arg = run_value, run_arg
            same = at_column.get(shift + prev_col)    # the field k with the same shift
            if same is not None and same < j and prev[same] != neg:
                score = prev[same] - 0.0
                if score > top or (score == top and same < arg):
                    top, arg = score, same
            if prev[j] != neg:
                score = prev[j] - _change(shift, fcol - prev_col) - SHARE_COST
                if score > top:
                    top, arg = score, j
            if arg >= 0:
                best[i][j] = top + gain[i][j]
                back[i][j] = arg
            if prev[j] != neg and prev[j] - SHIFT_CHANGE_COST - 0.0 > run_value:
                run_value, run_arg = prev[j] - SHIFT_CHANGE_COST - 0.0, j
    j = max(range(m), key=lambda k: best[n - 1][k])
    total = best[n - 1][j]
    placed: list[tuple[int, str, str]] = []
    for i in range(n - 1, -1, -1):
        placed.append((values[i][0], keys[j], values[i][1]))
        j = back[i][j]
    placed.reverse()
    return placed, total


def _change(shift: int, previous: int) -> float:
    return SHIFT_CHANGE_COST if shift != previous else 0.0
