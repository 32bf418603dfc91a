"""Checks on one column at a time (pandera column checks)."""

from __future__ import annotations

import re

import pandas as pd

from ..catalogue import Column
from ..values import parse_number
from ..vocabulary import fold
from ..wording import plural
from .batch import Batch
from .context import SheetData, as_bool, oo_code, oo_tokens, shown
from .registry import ColumnTest, Verdict, register
from .suggest import folded_map, suggest

_MULTI_SPLIT = re.compile(r"\s*(?:\n|;)\s*")
_LOOSE_ID = re.compile(r"^\s*([A-Za-z]{2,5})\s*[-_ .]?\s*(\d{1,6})\s*$")


def split_multi(value: str) -> list[str]:
    return [part for part in _MULTI_SPLIT.split(value) if part]


@register("liste", "colonne", ("valeur-hors-liste", "valeur-a-harmoniser"),
          "La valeur fait partie de la liste déroulante de la colonne (listes.toml).")
def vocabulary_check(ctx: Batch, sd: SheetData, column: Column) -> ColumnTest:
    name = column.vocabulary or ""
    allowed = ctx.vocabulary.values(name)
    allowed_set = frozenset(allowed)
    folded = folded_map(allowed)
    multi = name in ctx.rules.multi_value_lists

    if multi:
        def predicate(s: pd.Series) -> pd.Series:
            # pandera hands over the non-empty cells only (ignore_na)
            return as_bool([not isinstance(v, str) or all(p in allowed_set for p in split_multi(v))
                            for v in s.tolist()], s.index)
    else:
        def predicate(s: pd.Series) -> pd.Series:
            return s.isin(allowed)

    def explain(index: int, value: object) -> Verdict | None:
        text = shown(value)
        if text is None:
            return None
        parts = split_multi(text) if multi else [text]
        for part in parts:
            if part in allowed_set:
                continue
            params = {"liste": name, "valeur": part}
            if fold(part) in folded:
                expected = folded[fold(part)]
                return Verdict("valeur-a-harmoniser", (column.key,), params | {"attendu": expected},
                               suggestion=expected, value=text)
            return Verdict("valeur-hors-liste", (column.key,), params, value=text,
                           suggestion=suggest(part, allowed, ctx.rules.synonyms))
        return None

    return ColumnTest(predicate, explain)


@register("entier", "colonne", ("nombre-invalide",),
          "La cellule contient un nombre entier (colonnes numériques du modèle).")
def integer_check(ctx: Batch, sd: SheetData, column: Column) -> ColumnTest:
    def predicate(s: pd.Series) -> pd.Series:
        return as_bool([type(v) is int for v in s.tolist()], s.index)

    def explain(index: int, value: object) -> Verdict:
        return Verdict("nombre-invalide", (column.key,))

    return ColumnTest(predicate, explain)


@register("nombre", "colonne", ("nombre-non-numerique",),
          "La cellule contient un nombre, entier ou décimal (valeurs et cibles d'indicateurs).")
def number_check(ctx: Batch, sd: SheetData, column: Column) -> ColumnTest:
    def predicate(s: pd.Series) -> pd.Series:
        return as_bool([type(v) in (int, float) for v in s.tolist()], s.index)

    def explain(index: int, value: object) -> Verdict:
        found = _LEADING_NUMBER.match(str(value))
        number = parse_number(found.group(1)) if found else None
        return Verdict("nombre-non-numerique", (column.key,),
                       suggestion=None if number is None else str(number).replace(".", ","))

    return ColumnTest(predicate, explain)


_LEADING_NUMBER = re.compile(r"^\s*(?:environ\s+|~\s*)?([+-]?\d[\d\s\u00a0]*(?:[.,]\d+)?)\s*\S")


@register("annee", "colonne", ("annee-invalide",),
          "La cellule contient une année à quatre chiffres.")
def year_check(ctx: Batch, sd: SheetData, column: Column) -> ColumnTest:
    def predicate(s: pd.Series) -> pd.Series:
        return as_bool([type(v) is int and 1900 <= v <= 2100 for v in s.tolist()], s.index)

    def explain(index: int, value: object) -> Verdict:
        return Verdict("annee-invalide", (column.key,), suggestion=year_in(value))

    return ColumnTest(predicate, explain)


_FRENCH_DATE = re.compile(r"\s*\d{1,2}/\d{1,2}/((?:19|20)\d\d)\s*")
_NUMBER = re.compile(r"\d+")


def year_in(value: object) -> str | None:
    """The year of a date typed where a year is expected (« 01/09/2025 » -> « 2025 »), or of
    a text whose only number is a year (« rentrée 2025 »); None when it is ambiguous
    (« 2023/24 »)."""
    text = shown(value)
    if text is None:
        return None
    date = _FRENCH_DATE.fullmatch(text)
    if date:
        return date.group(1)
    numbers = _NUMBER.findall(text)
    if len(numbers) == 1 and len(numbers[0]) == 4 and numbers[0][:2] in ("19", "20"):
        return numbers[0]
    return None


@register("annee_dans_la_periode", "colonne", ("suivi-annee-hors-periode",),
          "L'année est comprise dans la période de la convention ([convention]).")
def year_in_period_check(ctx: Batch, sd: SheetData, column: Column) -> ColumnTest:
    start, end = ctx.period

    def predicate(s: pd.Series) -> pd.Series:
        return as_bool([type(v) is not int or start <= v <= end for v in s.tolist()], s.index)

    def explain(index: int, value: object) -> Verdict:
        return Verdict("suivi-annee-hors-periode", (column.key,))

    return ColumnTest(predicate, explain)


def canonical_id(text: str, digits: int) -> str | None:
    """« enf 15 » -> « ENF-015 » (None when the text does not look like an identifier)."""
    match = _LOOSE_ID.match(text)
    if not match:
        return None
    return f"{match.group(1).upper()}-{int(match.group(2)):0{digits}d}"


@register("identifiant", "colonne", ("identifiant-mal-forme",),
          "Identifiant d'action de la forme CODE-NNN (code de thématique, tiret, chiffres).")
def identifier_check(ctx: Batch, sd: SheetData, column: Column) -> ColumnTest:
    digits = ctx.rules.id_digits
    pattern = rf"[A-Z]{{2,5}}-\d{{{digits},}}"

    def predicate(s: pd.Series) -> pd.Series:
        return s.str.fullmatch(pattern).astype(bool)

    def explain(index: int, value: object) -> Verdict:
        code = sd.theme_code.iat[index] if index < len(sd.theme_code) else None
        example = f"{code or 'ENF'}-{15:0{digits}d}"
        return Verdict("identifiant-mal-forme", (column.key,),
                       {"chiffres": plural(digits, "chiffre"), "exemple": example},
                       suggestion=canonical_id(str(value), digits))

    return ColumnTest(predicate, explain)


@register("codes_oo", "colonne", ("oo-mal-forme",),
          "Codes d'objectifs opérationnels : OO1, OO2… ou 1, 2… séparés par des espaces.")
def oo_codes_check(ctx: Batch, sd: SheetData, column: Column) -> ColumnTest:
    cache: dict[str, bool] = {}

    def valid(v: object) -> bool:
        if not isinstance(v, str):
            return True
        if v not in cache:
            cache[v] = all(oo_code(t) for t in oo_tokens(v))
        return cache[v]

    def predicate(s: pd.Series) -> pd.Series:
        return as_bool([valid(v) for v in s.tolist()], s.index)

    def explain(index: int, value: object) -> Verdict:
        bad = [t for t in oo_tokens(value) if not oo_code(t)]
        return Verdict("oo-mal-forme", (column.key,), {"valeur": " ".join(bad) or shown(value)},
                       value=shown(value))

    return ColumnTest(predicate, explain)


@register("termes_obsoletes", "colonne", ("terme-obsolete",),
          "Signale les anciennes appellations ([termes_obsoletes] : RAM → RPE…).")
def obsolete_terms_check(ctx: Batch, sd: SheetData, column: Column) -> ColumnTest:
    terms = ctx.rules.obsolete_terms
    patterns = [(re.compile(_term_pattern(term)), term, new) for term, new in terms]

    def predicate(s: pd.Series) -> pd.Series:
        # A fast literal search (pyarrow) first, the whole-word regex only on candidates.
        found = pd.Series(False, index=s.index)
        for pattern, term, _ in patterns:
            candidates = s.str.contains(term, regex=False, case=term.isupper()).astype(bool)
            if candidates.any():
                found[candidates] |= s[candidates].map(lambda v, p=pattern: bool(p.search(v)))
        return ~found

    def explain(index: int, value: object) -> Verdict | None:
        for pattern, term, new in patterns:
            if pattern.search(str(value)):
                return Verdict("terme-obsolete", (column.key,),
                               {"terme": term, "remplacement": new}, suggestion=new)
        return None

    return ColumnTest(predicate, explain)


def _term_pattern(term: str) -> str:
    """Whole words; acronyms (all capitals) match case-sensitively, other terms in any case."""
    body = re.escape(term).replace(r"\ ", r"\s+")
    if not term.isupper():
        body = f"(?i:{body})"
    return rf"(?<!\w){body}(?!\w)"
