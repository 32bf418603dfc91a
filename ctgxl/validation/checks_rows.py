"""Checks on several cells of the same row (pandera dataframe-wide checks).

Each predicate returns one boolean per row; the engine turns a failing row
into one finding that names only the cells the check reads.
"""

from __future__ import annotations

import pandas as pd

from .batch import Batch
from .context import SheetData
from .registry import RowTest, Verdict, register


def _ok(values: list[bool], frame: pd.DataFrame) -> pd.Series:
    return pd.Series(values, index=frame.index, dtype=bool)


# The predicates read the sheet's plain columns (``sd.raw``, ``sd.ints``…) rather than
# the frame pandera passes, which holds only the columns that have column checks.


@register("identifiant_de_la_thematique", "ligne", ("identifiant-thematique",),
          "L'identifiant commence par le code de la thématique de la ligne (ENF-… pour Enfance).")
def id_matches_theme(ctx: Batch, sd: SheetData) -> RowTest:
    def predicate(df: pd.DataFrame) -> pd.Series:
        codes = sd.theme_code.tolist()
        prefixes, _ = sd.id_parts
        return _ok([c is None or p is None or p == c for p, c in zip(prefixes, codes)], df)

    def explain(index: int) -> Verdict:
        code = sd.theme_code.iat[index]
        ident = str(sd.value(index, "id_action"))
        prefix, _, rest = ident.partition("-")
        return Verdict("identifiant-thematique", ("id_action", "thematique"),
                       {"prefixe": prefix, "code": code, "thematique": ctx.theme_label(code)},
                       suggestion=f"{code}-{rest}")

    return RowTest(predicate, explain, ("id_action", "thematique"))


@register("numero_coherent", "ligne", ("numero-incoherent",),
          "Quand le N° d'action est un simple nombre, c'est celui de l'identifiant.")
def number_matches_id(ctx: Batch, sd: SheetData) -> RowTest:
    def predicate(df: pd.DataFrame) -> pd.Series:
        _, numbers = sd.id_parts
        return _ok([i is None or n is None or not n.isdigit() or int(n) == i
                    for n, i in zip(sd.raw["numero"], numbers)], df)

    def explain(index: int) -> Verdict:
        ident = sd.value(index, "id_action")
        return Verdict("numero-incoherent", ("numero", "id_action"), {"identifiant": ident})

    return RowTest(predicate, explain, ("numero", "id_action"))


@register("debut_avant_fin", "ligne", ("debut-apres-fin",),
          "L'année de début n'est pas postérieure à l'année de fin.")
def start_before_end(ctx: Batch, sd: SheetData) -> RowTest:
    def predicate(df: pd.DataFrame) -> pd.Series:
        return ~(sd.ints["annee_debut"] > sd.ints["annee_fin"])

    def explain(index: int) -> Verdict:
        start, end = sd.value(index, "annee_debut"), sd.value(index, "annee_fin")
        return Verdict("debut-apres-fin", ("annee_debut", "annee_fin"),
                       {"annee_debut": start, "annee_fin": end})

    return RowTest(predicate, explain, ("annee_debut", "annee_fin"))


@register("echeances_lisibles", "ligne", ("echeances-sans-annee",),
          "Les échéances permettent de lire au moins une année (ou Année début/fin sont remplies).")
def readable_schedule(ctx: Batch, sd: SheetData) -> RowTest:
    def predicate(df: pd.DataFrame) -> pd.Series:
        first, _ = sd.echeance_years
        return (_ok([v is None for v in sd.raw["echeances"]], df) | sd.ints["annee_debut"].notna()
                | sd.ints["annee_fin"].notna() | first.notna())

    def explain(index: int) -> Verdict:
        return Verdict("echeances-sans-annee", ("echeances",))

    return RowTest(predicate, explain, ("echeances", "annee_debut", "annee_fin"))


@register("echeances_dans_la_periode", "ligne", ("echeances-hors-periode",),
          "Les années de réalisation sont comprises dans la période de la convention.")
def schedule_in_period(ctx: Batch, sd: SheetData) -> RowTest:
    low, high = ctx.period
    first, last = sd.echeance_years
    start = sd.ints["annee_debut"].fillna(first)
    end = sd.ints["annee_fin"].fillna(last)
    start_typed = sd.ints["annee_debut"].notna()
    end_typed = sd.ints["annee_fin"].notna()

    def predicate(df: pd.DataFrame) -> pd.Series:
        outside = (start < low) | (start > high) | (end < low) | (end > high)
        return ~outside

    def explain(index: int) -> Verdict | None:
        bad = []
        for year, typed, cell in ((start.iat[index], start_typed.iat[index], "annee_debut"),
                                  (end.iat[index], end_typed.iat[index], "annee_fin")):
            if not pd.isna(year) and not low <= year <= high:
                bad.append((int(year), cell if typed else "echeances"))
        if not bad:
            return None
        cells = tuple(dict.fromkeys(cell for _, cell in bad))
        return Verdict("echeances-hors-periode", cells,
                       {"annee": " et ".join(dict.fromkeys(str(y) for y, _ in bad))})

    return RowTest(predicate, explain, ("echeances", "annee_debut", "annee_fin"))


@register("thematique_du_classeur", "ligne", ("thematique-differente",),
          "Dans le classeur d'un service, chaque ligne relève de la thématique du classeur.")
def theme_of_workbook(ctx: Batch, sd: SheetData) -> RowTest:
    expected = ctx.workbook_themes(sd)          # per row: its own workbook's thématique

    def predicate(df: pd.DataFrame) -> pd.Series:
        return _ok([wanted is None or c is None or c == wanted
                    for (wanted, _), c in zip(expected, sd.theme_code.tolist())], df)

    def explain(index: int) -> Verdict:
        return Verdict("thematique-differente", ("thematique",), {"attendu": expected[index][1]})

    return RowTest(predicate, explain, ("thematique",))


@register("unite_des_valeurs", "ligne", ("indicateur-sans-unite",),
          "Un indicateur qui a une valeur de référence ou une cible dit dans quelle unité.")
def unit_of_values(ctx: Batch, sd: SheetData) -> RowTest:
    def predicate(df: pd.DataFrame) -> pd.Series:
        return _ok([unit is not None or (ref is None and target is None)
                    for unit, ref, target in zip(sd.raw["unite"], sd.raw["reference"],
                                                 sd.raw["cible"])], df)

    def explain(index: int) -> Verdict:
        return Verdict("indicateur-sans-unite", ("unite",),
                       {"libelle": sd.value(index, "libelle") or ""})

    return RowTest(predicate, explain, ("unite", "reference", "cible"))


@register("valeur_rattachee", "ligne", ("valeur-sans-indicateur",),
          "Une valeur du suivi dit de quel indicateur elle est la valeur (N° indicateur).")
def value_has_indicator(ctx: Batch, sd: SheetData) -> RowTest:
    def predicate(df: pd.DataFrame) -> pd.Series:
        return _ok([value is None or number is not None
                    for value, number in zip(sd.raw["valeur"], sd.raw["numero_indicateur"])],
                   df)

    def explain(index: int) -> Verdict:
        return Verdict("valeur-sans-indicateur", ("valeur", "numero_indicateur"),
                       {"identifiant": sd.value(index, "id_action") or ""})

    return RowTest(predicate, explain, ("valeur", "numero_indicateur"))
