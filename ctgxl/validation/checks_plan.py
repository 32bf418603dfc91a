"""Checks that compare rows or sheets: structure, uniqueness, references, Plan, Suivi."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from ..catalogue import KNOWN_TEMPLATE_VERSIONS, TABLE_SHEETS
from .checks_columns import canonical_id
from .context import Context, SheetData, level_key, oo_code, oo_tokens, shown
from .registry import Hit, Verdict, register


def _excel_row(sd: SheetData, index: int) -> int | None:
    return sd.locate(index, None)[0]


def _duplicates(sd: SheetData, keys: list, cell: str, code: str, params) -> Iterator[Hit]:
    """One hit per repeated key (None keys skipped), pointing at the first occurrence."""
    first: dict[object, int] = {}
    for index, key in enumerate(keys):
        if key is None:
            continue
        if key in first:
            extra = params(index, first[key])
            yield Hit(sd.sheet.key, index, Verdict(
                code, (cell,), {"autre_ligne": _excel_row(sd, first[key])} | extra))
        else:
            first[key] = index


def _theme_keys(ctx: Context, sd: SheetData) -> list:
    """Thématique of each row as a comparable key (its code, or its folded label if unknown)."""
    return [code or level_key(label)
            for code, label in zip(sd.theme_code.tolist(), sd.raw["thematique"])]


# -- structure --------------------------------------------------------------------------

def _renamed(ctx: Context, sd: SheetData, missing) -> list:
    """Which added columns of the sheet stand for its ``missing`` template columns
    (``ctgxl.renamed``: by their header, or by values of the column's list)."""
    from ..renamed import in_list, recognise

    extras = sd.sheet.extra_columns
    if not missing or not extras or sd.table is None:
        return []
    vocabulary = ctx.rules.vocabulary
    accepts = {}
    for column in missing:
        if column.vocabulary == "thematiques":
            accepts[column.key] = lambda v: vocabulary.thematique(str(v)) is not None
        elif column.vocabulary:
            accepts[column.key] = in_list(vocabulary.values(column.vocabulary))
    positions = [sd.sheet.position(c.key) for c in extras]
    candidates = [(c.header, [row[p] for row in sd.table.rows])
                  for c, p in zip(extras, positions)]
    return recognise(missing, candidates, accepts)


def _header_cell(ctx: Context, sheet, header: str) -> str | None:
    """The cell of the added column ``header``'s header, as the reader noted it."""
    for note in ctx.plan.notes:
        if note.code == "colonne-ajoutee" and note.sheet == sheet.name and note.value == header:
            return note.cell
    return None


@register("feuilles_et_colonnes", "plan",
          ("feuille-absente", "colonne-obligatoire-absente", "colonne-renommee",
           "colonne-necessaire-absente", "feuille-vide"),
          "Les feuilles et colonnes obligatoires sont présentes, ainsi que celles dont se "
          "servent la Synthèse et le bilan ; une colonne du modèle renommée est reconnue ; la "
          "feuille Actions a des lignes.")
def sheets_and_columns(ctx: Context) -> Iterator[Hit]:
    missing_sheets = {n.sheet for n in ctx.plan.notes if n.code == "feuille-absente"}
    for sheet in TABLE_SHEETS:
        sd = ctx.sheets[sheet.key]
        if ctx.from_file and sd.table.origin is None:
            if sheet.required and sheet.name not in missing_sheets:
                yield Hit(sheet.key, None, Verdict("feuille-absente"))
            continue
        if sd.table.origin is not None and not sd.table.origin.letters:
            continue  # no header row found: the reader said so
        required = ctx.rules.required.all_columns(sheet.key)
        missing = [c for c in sheet.columns if c.key not in sd.present and not c.provenance
                   and c.key != "id_action" and (c.key in required or c.uses)]
        renamed = {r.key: r for r in _renamed(ctx, sd, missing)}
        for column in missing:
            key = column.key
            if key in renamed:
                found = renamed[key]
                yield Hit(sheet.key, None, Verdict(
                    "colonne-renommee", (key,), cell=_header_cell(ctx, sheet, found.header),
                    params={"autre_entete": found.header, "preuve": found.evidence,
                            "usage": f", qui sert {column.uses}" if column.uses else ""},
                    suggestion=column.header, value=found.header))
            elif key in required:
                yield Hit(sheet.key, None, Verdict("colonne-obligatoire-absente", (key,)))
            else:
                yield Hit(sheet.key, None, Verdict("colonne-necessaire-absente", (key,),
                                                   params={"usage": column.uses}))
    if ctx.from_file and ctx.sheets["actions"].table.origin is not None \
            and not ctx.has_rows("actions"):
        yield Hit("actions", None, Verdict("feuille-vide"))


@register("version_du_modele", "plan", ("version-modele-inconnue", "version-modele-absente"),
          "Le classeur indique une version connue du modèle ctgxl.")
def template_version(ctx: Context) -> Iterator[Hit]:
    version = ctx.plan.meta.template_version
    noted = any(n.code == "parametres-absents" for n in ctx.plan.notes)
    if version is None:
        if ctx.from_file and not noted:
            yield Hit(None, None, Verdict("version-modele-absente"))
    elif version not in KNOWN_TEMPLATE_VERSIONS:
        yield Hit(None, None, Verdict("version-modele-inconnue", value=version, params={
            "versions": ", ".join(sorted(KNOWN_TEMPLATE_VERSIONS))}))


# -- Actions ----------------------------------------------------------------------------

@register("identifiants_uniques", "plan", ("identifiant-en-double",),
          "Chaque identifiant d'action n'est utilisé qu'une fois dans la feuille Actions.")
def unique_ids(ctx: Context) -> Iterator[Hit]:
    sd = ctx.sheets["actions"]
    yield from _duplicates(sd, sd.raw["id_action"], "id_action",
                           "identifiant-en-double", lambda i, j: {})


@register("intitules_uniques", "plan", ("intitule-en-double",),
          "Deux actions ne portent pas le même intitulé.")
def unique_titles(ctx: Context) -> Iterator[Hit]:
    sd = ctx.sheets["actions"]
    import pyarrow as pa
    import pyarrow.compute as pc

    titles = pa.array(sd.raw["intitule"], type=pa.large_string())
    titles = pc.utf8_rtrim(pc.utf8_trim_whitespace(pc.utf8_lower(titles)), characters=" .…")
    titles = titles.to_pylist()
    ids = sd.raw["id_action"]
    yield from _duplicates(sd, titles, "intitule", "intitule-en-double",
                           lambda i, j: {"autre_identifiant": shown(ids[j]) or "sans ID"})


def _plan_keys(ctx: Context) -> tuple[list, list, list]:
    """For each Plan row: (theme, axe, objectif) key, OO code, OO cell value."""
    sd = ctx.sheets["plan"]
    themes = _theme_keys(ctx, sd)
    axes = [level_key(v) for v in sd.raw["axe"]]
    objectives = [level_key(v) for v in sd.raw["objectif"]]
    oos = sd.raw["oo"]
    levels = list(zip(themes, axes, objectives))
    codes = [oo_code(str(v)) or level_key(v) if v is not None else None for v in oos]
    return levels, codes, oos


@register("oo_existants", "plan", ("oo-inconnu",),
          "Chaque OO cité par une action existe dans la feuille Plan sous le même objectif.")
def existing_oos(ctx: Context) -> Iterator[Hit]:
    plan_sd = ctx.sheets["plan"]
    if ctx.from_file and plan_sd.table.origin is None:
        return  # the missing sheet is reported once
    levels, codes, _ = _plan_keys(ctx)
    known = {(level, code) for level, code in zip(levels, codes) if code}
    known_levels = set(levels)
    sd = ctx.sheets["actions"]
    themes = _theme_keys(ctx, sd)
    missing_cache: dict[tuple, list[str]] = {}
    rows = zip(range(len(sd)), themes, sd.raw["axe"], sd.raw["objectif"], sd.raw["oo"],
               sd.raw["thematique"])
    for index, theme, axe, objective, oo, label in rows:
        if oo is None:
            continue
        combination = (theme, axe, objective, oo)
        missing = missing_cache.get(combination)
        if missing is None:
            level = (theme, level_key(axe), level_key(objective))
            wanted = dict.fromkeys(c for c in (oo_code(t) for t in oo_tokens(oo)) if c)
            missing = missing_cache[combination] = [c for c in wanted if (level, c) not in known]
        if not missing:
            continue
        level = (theme, level_key(axe), level_key(objective))
        params = {"oo": ", ".join(missing), "thematique": shown(label) or "?",
                  "axe": shown(axe) or "?", "objectif": shown(objective) or "?"}
        variant = None if level in known_levels else "objectif"
        yield Hit("actions", index, Verdict("oo-inconnu", ("oo", "objectif"), params, variant))


# -- Plan ---------------------------------------------------------------------------------

@register("oo_uniques", "plan", ("oo-en-double",),
          "Un même OO n'est défini qu'une fois par objectif dans la feuille Plan.")
def unique_oos(ctx: Context) -> Iterator[Hit]:
    sd = ctx.sheets["plan"]
    levels, codes, oos = _plan_keys(ctx)
    keys = [(level, code) if code else None for level, code in zip(levels, codes)]
    yield from _duplicates(sd, keys, "oo", "oo-en-double", lambda i, j: {"oo": oos[i]})


@register("libelles_coherents", "plan", ("axe-libelle-incoherent", "objectif-libelle-incoherent"),
          "Un même numéro d'axe ou d'objectif porte toujours le même intitulé.")
def consistent_labels(ctx: Context) -> Iterator[Hit]:
    sd = ctx.sheets["plan"]
    themes = _theme_keys(ctx, sd)
    axes, objectives = sd.raw["axe"], sd.raw["objectif"]
    labels = sd.raw["thematique"]
    for label_key, code, level in (("axe_intitule", "axe-libelle-incoherent", 2),
                                   ("objectif_intitule", "objectif-libelle-incoherent", 3)):
        seen: dict[tuple, tuple[str, int]] = {}
        titles = sd.raw[label_key]
        for index, title in enumerate(titles):
            if title is None or axes[index] is None or (level == 3 and objectives[index] is None):
                continue
            key = (themes[index], level_key(axes[index]), level_key(objectives[index]))[:level]
            normal = " ".join(title.casefold().split()).rstrip(".")
            if key not in seen:
                seen[key] = (normal, index)
                continue
            first_normal, first = seen[key]
            if normal != first_normal:
                yield Hit("plan", index, Verdict(code, (label_key,), {
                    "axe": axes[index], "objectif": objectives[index],
                    "thematique": labels[index] or "?", "autre": titles[first],
                    "autre_ligne": _excel_row(sd, first)}))


# -- Offres and Suivi ---------------------------------------------------------------------------

def _unknown_actions(ctx: Context, key: str) -> Iterator[Hit]:
    actions = ctx.sheets["actions"]
    if ctx.from_file and actions.table.origin is None:
        return
    ids = set(actions.raw["id_action"])
    loose: dict | None = None
    sd = ctx.sheets[key]
    for index, ident in enumerate(sd.raw["id_action"]):
        if ident is not None and ident not in ids:
            if loose is None:
                loose = {canonical_id(i, ctx.rules.id_digits): i for i in ids
                         if isinstance(i, str)}
            near = loose.get(canonical_id(str(ident), ctx.rules.id_digits))
            yield Hit(key, index, Verdict("action-inconnue", ("id_action",), suggestion=near))


@register("offres_rattachees", "plan", ("action-inconnue",),
          "Chaque offre se rattache à une action de la feuille Actions.")
def offers_attached(ctx: Context) -> Iterator[Hit]:
    yield from _unknown_actions(ctx, "offres")


@register("suivi_rattache", "plan", ("action-inconnue",),
          "Chaque ligne de suivi se rattache à une action de la feuille Actions.")
def follow_up_attached(ctx: Context) -> Iterator[Hit]:
    yield from _unknown_actions(ctx, "suivi")


def _pairs(sd: SheetData, first: str, second: str) -> list:
    a, b = sd.raw[first], sd.raw[second]
    return [(x, y) if x is not None and y is not None else None for x, y in zip(a, b)]


@register("offres_uniques", "plan", ("offre-en-double",),
          "Un numéro d'offre n'apparaît qu'une fois par action.")
def unique_offers(ctx: Context) -> Iterator[Hit]:
    sd = ctx.sheets["offres"]
    keys = _pairs(sd, "id_action", "numero_offre")
    yield from _duplicates(sd, keys, "numero_offre", "offre-en-double",
                           lambda i, j: {"identifiant": keys[i][0]})


@register("suivi_unique", "plan", ("suivi-en-double",),
          "Une seule ligne de suivi par action, par année et par indicateur.")
def unique_follow_up(ctx: Context) -> Iterator[Hit]:
    sd = ctx.sheets["suivi"]
    pairs = _pairs(sd, "id_action", "annee")
    keys = [None if pair is None else (*pair, number)
            for pair, number in zip(pairs, sd.raw["numero_indicateur"])]
    yield from _duplicates(sd, keys, "annee", "suivi-en-double", lambda i, j: {
        "identifiant": keys[i][0],
        "indicateur": "" if keys[i][2] is None else f", indicateur {keys[i][2]}"})


# -- Indicateurs --------------------------------------------------------------------------

@register("indicateurs_rattaches", "plan", ("action-inconnue",),
          "Chaque indicateur se rattache à une action de la feuille Actions.")
def indicators_attached(ctx: Context) -> Iterator[Hit]:
    yield from _unknown_actions(ctx, "indicateurs")


@register("indicateurs_uniques", "plan", ("indicateur-en-double",),
          "Un numéro d'indicateur n'apparaît qu'une fois par action.")
def unique_indicators(ctx: Context) -> Iterator[Hit]:
    sd = ctx.sheets["indicateurs"]
    keys = _pairs(sd, "id_action", "numero_indicateur")
    yield from _duplicates(sd, keys, "numero_indicateur", "indicateur-en-double",
                           lambda i, j: {"identifiant": keys[i][0]})


@register("suivi_indicateurs_connus", "plan", ("indicateur-inconnu",),
          "Le N° indicateur d'une ligne de suivi désigne un indicateur de l'action "
          "(feuille Indicateurs).")
def follow_up_indicators_known(ctx: Context) -> Iterator[Hit]:
    if "numero_indicateur" not in ctx.sheets["suivi"].present:
        return
    indicators = ctx.sheets["indicateurs"]
    known: dict[object, list] = {}
    for ident, number in zip(indicators.raw["id_action"], indicators.raw["numero_indicateur"]):
        if ident is not None and number is not None:
            known.setdefault(ident, []).append(number)
    sd = ctx.sheets["suivi"]
    for index, (ident, number) in enumerate(zip(sd.raw["id_action"],
                                                sd.raw["numero_indicateur"])):
        if ident is None or number is None or number in known.get(ident, ()):
            continue
        numbers = sorted({n for n in known.get(ident, ()) if isinstance(n, int)})
        yield Hit("suivi", index, Verdict("indicateur-inconnu", ("numero_indicateur",), {
            "identifiant": ident,
            "connus": ", ".join(map(str, numbers)) if numbers else "aucun"}))


@register("suivi_progression", "plan", ("suivi-regression",),
          "Le statut ne revient pas en arrière d'une année sur l'autre ([suivi] du fichier).")
def follow_up_progression(ctx: Context) -> Iterator[Hit]:
    forbidden = ctx.rules.forbidden_transitions
    if not forbidden:
        return
    sd = ctx.sheets["suivi"]
    years = sd.ints["annee"].tolist()
    groups: dict[str, list[tuple[int, str, int]]] = {}
    rows = zip(sd.raw["id_action"], years, sd.raw["statut"])
    for index, (ident, year, status) in enumerate(rows):
        if ident is not None and status is not None and not pd.isna(year):
            groups.setdefault(ident, []).append((int(year), status, index))
    for ident, entries in groups.items():
        entries.sort()
        earliest: dict[str, int] = {}
        for year, status, index in entries:
            for before, after in forbidden:
                if status == after and before in earliest and earliest[before] < year:
                    yield Hit("suivi", index, Verdict("suivi-regression", ("statut", "annee"), {
                        "identifiant": ident, "statut_avant": before,
                        "annee_avant": earliest[before], "annee": year}))
            earliest.setdefault(status, year)
