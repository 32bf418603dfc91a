"""Checks across the files of a consolidation, each a French finding.

Validation looks at one workbook at a time; these checks look at what only
shows when the workbooks are put together:

``id-action-en-double`` (erreur)
    the same ID action in two files: the master would hold two actions under
    one identifier;
``thematique-en-double`` (avertissement)
    two files claim the same thématique (two versions of one service's file,
    or a thématique shared by two services);
``listes-differentes`` (avertissement)
    a file's dropdown lists (« Listes » sheet) differ from the coordinator's;
``version-differente`` (avertissement)
    a file made from another version of the template (or without its hidden
    « _ctgxl » sheet);
``axe-intitule-different``, ``objectif-intitule-different``,
``oo-intitule-different`` (avertissement)
    the same axe, objectif or OO code of a thématique labelled differently in
    two files;
``territoire-different`` (erreur, ``regles.toml``)
    a file names another territory (SIREN or INSEE code) than the others;
``fichier-deja-consolide`` (information)
    an input already carries provenance: it is itself a consolidated file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from ..catalogue import ACTIONS, PLAN, SCHEMA_VERSION, TEMPLATE_VERSION
from ..findings import Finding
from ..model import Plan
from .summary import fold
from .core import FIRST_DATA_ROW
from ..wording import plural

# Longest list of file names quoted in one message.
QUOTED_FILES = 6


def check_across_files(named_plans: Sequence[tuple[str, Plan]], *, lists=None,
                       vocabulary=None, rules=None) -> list[Finding]:
    """``rules``: the validation rules (wording of ``territoire-different``, the territory
    of workbooks that name none); the shipped rules when None."""
    findings: list[Finding] = []
    findings += _territories(named_plans, rules)
    findings += _duplicate_ids(named_plans)
    findings += _shared_thematiques(named_plans)
    if lists is not None and vocabulary is not None:
        findings += _different_lists(lists, vocabulary)
    findings += _versions(named_plans)
    findings += _labels(named_plans)
    findings += _already_consolidated(named_plans)
    return findings


def quote_files(names: Sequence[str]) -> str:
    shown = ", ".join(names[:QUOTED_FILES])
    if len(names) > QUOTED_FILES:
        shown += f" et {plural(len(names) - QUOTED_FILES, 'autre')}"
    elif len(names) > 1:
        head, _, last = shown.rpartition(", ")
        shown = f"{head} et {last}"
    return shown


def _line(plan: Plan, key: str, index: int) -> int:
    table = plan.table(key)
    line = table.excel_row(index)
    return line if line is not None else FIRST_DATA_ROW + index


def _territories(named_plans, rules) -> list[Finding]:
    """A workbook of another territory than the others: ``territoire-different``."""
    from ..territory import Territory, clash_findings, territory_clashes, workbook_territory

    fallback = rules.territory_of_rules if rules is not None else Territory()
    clashes = territory_clashes([(name, workbook_territory(plan.meta, fallback))
                                 for name, plan in named_plans])
    if not clashes:
        return []
    if rules is None:
        from ..validation import load_rules

        rules = load_rules()
    return clash_findings(clashes, rules)


def _duplicate_ids(named_plans) -> Iterator[Finding]:
    position = ACTIONS.position("id_action")
    owner: dict[object, str] = {}
    shared: dict[object, None] = {}
    for name, plan in named_plans:
        for row in plan.actions.rows:
            ident = row[position]
            if ident is not None and owner.setdefault(ident, name) != name:
                shared[ident] = None
    if not shared:
        return
    places: dict[object, list[tuple[str, int]]] = {ident: [] for ident in shared}
    for name, plan in named_plans:
        for index, row in enumerate(plan.actions.rows):
            if row[position] in places:
                places[row[position]].append((name, _line(plan, "actions", index)))
    for ident, where_found in places.items():
        files = list(dict.fromkeys(name for name, _ in where_found))
        where = " ; ".join(f"{name} (ligne {line})"
                           for name, line in where_found[:QUOTED_FILES])
        name, line = next(p for p in where_found if p[0] == files[1])
        yield Finding(
            "id-action-en-double", "erreur",
            f"L'ID action « {ident} » figure dans {plural(len(files), 'fichier')} : {where}. "
            "Chaque action doit garder un identifiant unique dans toute la CTG.",
            file=name, sheet=ACTIONS.name, cell=f"A{line}", row=line, column="A",
            header=ACTIONS.column("id_action").header, value=str(ident),
            suggestion="Renuméroter l'action dans l'un des fichiers, ou retirer le fichier "
                       "en double de la consolidation.")


def claimed_thematiques(plan: Plan) -> list[str]:
    """The thématiques a file stands for: its declared one, else those of its actions."""
    if plan.meta.thematique:
        return [plan.meta.thematique.strip()]
    return list(dict.fromkeys(str(v) for v in plan.actions.column("thematique") if v))


def _shared_thematiques(named_plans) -> Iterator[Finding]:
    claims: dict[str, tuple[str, list[str]]] = {}
    for name, plan in named_plans:
        for label in claimed_thematiques(plan):
            shown, files = claims.setdefault(fold(label), (label, []))
            if name not in files:
                files.append(name)
    for shown, files in claims.values():
        if len(files) > 1:
            yield Finding(
                "thematique-en-double", "avertissement",
                f"La thématique « {shown} » est déclarée par {plural(len(files), 'fichier')} : "
                f"{quote_files(files)}. Vérifiez qu'il ne s'agit pas de deux versions du même "
                "classeur.", file=files[1], value=shown)


def expected_lists(vocabulary) -> dict[str, tuple[str, ...]]:
    """The « Listes » sheet a workbook made from ``vocabulary`` holds (header -> values)."""
    from ..vocabulary import list_columns

    return list_columns(vocabulary)


def _different_lists(lists: Mapping[str, Mapping[str, tuple[str, ...]]],
                     vocabulary) -> Iterator[Finding]:
    reference = {fold(k): (k, v) for k, v in expected_lists(vocabulary).items()}
    for name, found in lists.items():
        if found is None:
            continue
        theirs = {fold(k): (k, v) for k, v in found.items()}
        gaps = []
        for key, (header, values) in reference.items():
            if key not in theirs:
                gaps.append(f"liste « {header} » absente")
                continue
            mine, other = set(values), set(theirs[key][1])
            extra = [v for v in theirs[key][1] if v not in mine]
            missing = [v for v in values if v not in other]
            if extra:
                gaps.append(f"{header} : {_quoted(extra)} en plus")
            if missing:
                gaps.append(f"{header} : {_quoted(missing)} en moins")
        for key, (header, _) in theirs.items():
            if key not in reference:
                gaps.append(f"liste « {header} » en plus")
        if gaps:
            yield Finding(
                "listes-differentes", "avertissement",
                f"Les listes déroulantes de {name} diffèrent de celles de la coordination "
                f"({' ; '.join(gaps)}).", file=name, sheet="Listes",
                suggestion="Faire repartir le service du modèle à jour (ctgxl template).")


def _quoted(values: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(f"« {v} »" for v in values[:limit])
    return shown + (f" et {plural(len(values) - limit, 'autre')}" if len(values) > limit else "")


def _versions(named_plans) -> Iterator[Finding]:
    for name, plan in named_plans:
        template, schema = plan.meta.template_version, plan.meta.schema_version
        if template is None and plan.source is None:
            continue  # built in memory, not read from a workbook: no version to compare
        if template is None:
            yield Finding(
                "version-differente", "avertissement",
                f"{name} n'indique pas sa version du modèle (feuille cachée « _ctgxl » absente) : "
                f"il est lu comme un classeur du modèle {TEMPLATE_VERSION}.", file=name,
                suggestion="Faire repartir le service du modèle à jour (ctgxl template).")
        elif template != TEMPLATE_VERSION or (schema and schema != SCHEMA_VERSION):
            yield Finding(
                "version-differente", "avertissement",
                f"{name} a été fait avec le modèle {template} (schéma {schema or '?'}) ; "
                f"la consolidation utilise le modèle {TEMPLATE_VERSION} "
                f"(schéma {SCHEMA_VERSION}).", file=name, value=template)


_LEVELS = (
    ("axe-intitule-different", ("axe",), "axe_intitule", "L'axe {axe}"),
    ("objectif-intitule-different", ("axe", "objectif"), "objectif_intitule",
     "L'objectif intermédiaire {objectif} (axe {axe})"),
    ("oo-intitule-different", ("axe", "objectif", "oo"), "oo_intitule",
     "L'objectif opérationnel {oo} (axe {axe}, objectif {objectif})"),
)


def _labels(named_plans) -> Iterator[Finding]:
    """Same code of the plan structure, same thématique, different labels in two files."""
    for code, keys, label_key, subject in _LEVELS:
        positions = [PLAN.position(k) for k in keys]
        label_at = PLAN.position(label_key)
        them = PLAN.position("thematique")
        # (thématique, codes) -> label (spacing-insensitive) -> first (file, line, label)
        labels: dict[tuple, dict[str, tuple[str, int, str]]] = {}
        for name, plan in named_plans:
            for index, row in enumerate(plan.plan.rows):
                codes = tuple(row[p] for p in positions)
                label = row[label_at]
                if any(c is None for c in codes) or label is None or row[them] is None:
                    continue
                key = (fold(str(row[them])), *codes)
                variants = labels.setdefault(key, {})
                norm = " ".join(str(label).split())
                if norm not in variants:
                    variants[norm] = (name, _line(plan, "plan", index), str(label), row[them])
        for key, variants in labels.items():
            files = {v[0] for v in variants.values()}
            if len(variants) < 2 or len(files) < 2:
                continue  # one file contradicting itself is validation's business
            first, *others = variants.values()
            what = subject.format(**dict(zip(keys, key[1:])))
            said = " ; ".join(f"« {label} » dans {name} (ligne {line})"
                              for name, line, label, _ in variants.values())
            name, line = others[0][0], others[0][1]
            column = PLAN.position(label_key) + 1
            letter = chr(ord("A") + column - 1)
            yield Finding(
                code, "avertissement",
                f"{what} de la thématique « {first[3]} » n'a pas le même intitulé partout : "
                f"{said}.", file=name, sheet=PLAN.name, cell=f"{letter}{line}", row=line,
                column=letter, header=PLAN.column(label_key).header, value=others[0][2],
                suggestion=f"Reprendre l'intitulé de {first[0]} : « {first[2]} ».")


def _already_consolidated(named_plans) -> Iterator[Finding]:
    for name, plan in named_plans:
        position = ACTIONS.position("source_fichier")
        if any(row[position] is not None for row in plan.actions.rows):
            yield Finding(
                "fichier-deja-consolide", "information",
                f"{name} est lui-même un fichier consolidé (colonne « Fichier source » remplie) : "
                "dans le nouveau fichier de pilotage, ses lignes ont pour provenance ce fichier lui-même.", file=name, sheet=ACTIONS.name)
