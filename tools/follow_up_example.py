"""A fictitious yearly follow-up (2023–2025) of the example plan, for ``examples/suivi_fictif/``.

The statuts and indicator values are invented — deterministically, from each action's ID,
so that regenerating gives the same files — to show ``ctgxl bilan`` and the Synthèse on a
plan that has been followed for three years. The plan itself (actions, offers,
indicators' wording) is the real one of ``examples/*.xlsx``, untouched.

What is invented, per action:

- a statut per year: « Non démarrée » before its start year, then « En cours », then
  « Réalisée » from its end year on (most of the time); a few are « Reportée » for a
  year, one in forty is « Abandonnée »; never backwards;
- for three indicators in four: type (résultat / moyens, from the wording), unit,
  reference in 2022, target in 2027, and a value for each year the action ran, moving
  towards the target with some noise; the others stay qualitative (no numbers).

``python tools/regenerate_examples.py`` writes ``pilotage_2024_fictif.xlsx`` (follow-up
2023–2024, the file of the last COPIL) and ``pilotage_2025_fictif.xlsx`` (2023–2025);
``tests/test_bilan.py`` checks the committed files are what this module makes.
"""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

from ctgxl.model import Plan, Table
from ctgxl.values import years_of

FIRST_YEAR, REFERENCE_YEAR, TARGET_YEAR = 2023, 2022, 2027
COPILS = (2024, 2025)
FILE = "pilotage_{year}_fictif.xlsx"
COMMENTS = {
    "Reportée": ("Reportée faute de locaux disponibles ; reprise prévue l'an prochain.",
                 "Reportée : recrutement de l'animateur en cours.",
                 "Reportée à la demande des partenaires (calendrier scolaire)."),
    "Abandonnée": ("Abandonnée : action reprise dans le cadre d'un autre dispositif.",
                   "Abandonnée faute de financement."),
    "Réalisée": ("Réalisée ; bilan présenté aux partenaires.", "Réalisée dans les délais."),
}
_MEANS = re.compile(r"^(nombre|nb|nbre) d[e'’]\s*(r[ée]unions?|actions?|ateliers?|s[ée]ances?|"
                    r"rencontres?|sessions?|permanences?|temps|outils?|comit[ée]s?|"
                    r"formations?|animations?|projets?|supports?)", re.IGNORECASE)
_COUNTED = re.compile(r"^(?:nombre|nb|nbre) (?:de |d'|d’|des )\s*([a-zà-ÿ]+)", re.IGNORECASE)


def _rng(*parts: object) -> random.Random:
    return random.Random("-".join(map(str, parts)))


def statut_path(action: dict, until: int) -> dict[int, str]:
    """The invented statut of the action each year from 2023 to ``until``."""
    rng = _rng(action["id_action"], "statut")
    start, end = action["annee_debut"], action["annee_fin"]
    if start is None and end is None:
        start, end = years_of(action["echeances"])
    start = start if isinstance(start, int) else FIRST_YEAR
    end = end if isinstance(end, int) and end >= start else start + rng.randint(1, 3)
    postponed = FIRST_YEAR + rng.randint(0, 2) if rng.random() < 0.08 else None
    abandoned = FIRST_YEAR + rng.randint(1, 2) if rng.random() < 0.025 else None
    late = rng.random() < 0.25          # not done in its end year
    path, previous = {}, "Non démarrée"
    for year in range(FIRST_YEAR, until + 1):
        if previous in ("Abandonnée", "Réalisée"):
            statut = previous
        elif abandoned is not None and year >= abandoned:
            statut = "Abandonnée"
        elif year == postponed and previous != "Réalisée":
            statut = "Reportée"
        elif year < start:
            statut = "Non démarrée"
        elif year >= end + (1 if late else 0):
            statut = "Réalisée"
        else:
            statut = "En cours"
        path[year] = previous = statut
    return path


def indicator_numbers(indicator: dict) -> dict:
    """Type, unit, reference and target of an indicator (three in four), else {}."""
    rng = _rng(indicator["id_action"], indicator["numero_indicateur"], "cible")
    if rng.random() < 0.25:
        return {}
    label = str(indicator["libelle"])
    percent = indicator["unite"] == "%" or label.lower().startswith(("taux", "part ", "%"))
    counted = _COUNTED.match(label)
    word = counted.group(1) if counted else "nombre"
    unit = "%" if percent else (word if word.isupper() or len(word) <= 3 else word.lower())
    if percent:
        reference = rng.randint(35, 70)
        target = min(100, reference + rng.randint(8, 25))
    else:
        reference = rng.choice((4, 6, 10, 12, 15, 20, 30, 45, 60, 80, 120, 150, 250))
        target = round(reference * rng.uniform(1.2, 1.8))
    return {"type": "Moyens" if _MEANS.match(label) else "Résultat", "unite": unit,
            "reference": reference, "annee_reference": REFERENCE_YEAR, "cible": target,
            "annee_cible": TARGET_YEAR}


def indicator_value(indicator: dict, year: int):
    """The invented value reached in ``year``: on the way from the reference to the target."""
    rng = _rng(indicator["id_action"], indicator["numero_indicateur"], year)
    pace = _rng(indicator["id_action"], indicator["numero_indicateur"], "rythme").uniform(0.5, 1.3)
    share = min(1.15, (year - REFERENCE_YEAR) / (TARGET_YEAR - REFERENCE_YEAR) * pace)
    value = indicator["reference"] + (indicator["cible"] - indicator["reference"]) * share
    value *= rng.uniform(0.93, 1.07)
    if indicator["unite"] == "%":
        return min(100, round(value))
    return max(0, round(value))


def with_follow_up(plan: Plan, until: int) -> Plan:
    """``plan`` with its invented Indicateurs figures and Suivi rows up to ``until``."""
    indicators = []
    for record in plan.indicateurs.records():
        numbers = indicator_numbers(record)
        indicators.append({**record, **numbers})
    by_action: dict[object, list[dict]] = {}
    for record in indicators:
        if record["cible"] is not None:
            by_action.setdefault(record["id_action"], []).append(record)
    rows, actions = [], []
    for action in plan.actions.records():
        path = statut_path(action, until)
        actions.append({**action, "statut": path[until]})   # the services keep it current
        for year, statut in path.items():
            comment = None
            if statut in COMMENTS and path.get(year - 1) != statut:
                comment = _rng(action["id_action"], year, "commentaire").choice(COMMENTS[statut])
            rows.append({"id_action": action["id_action"], "annee": year, "statut": statut,
                         "commentaire": comment})
            if statut in ("Non démarrée",):
                continue
            for indicator in by_action.get(action["id_action"], []):
                rows.append({"id_action": action["id_action"], "annee": year,
                             "numero_indicateur": indicator["numero_indicateur"],
                             "valeur": indicator_value(indicator, year)})
    return plan.replace(actions=Table.from_records(plan.actions.sheet, actions),
                        indicateurs=Table.from_records(plan.indicateurs.sheet, indicators),
                        suivi=Table.from_records(plan.suivi.sheet, rows))


def write_examples(examples: Path, folder: Path) -> list[Path]:
    """Consolidate the examples with their follow-up up to each COPIL year into
    ``folder/pilotage_YYYY_fictif.xlsx``; the paths written."""
    from ctgxl.consolidation.pipeline import consolidate_files
    from ctgxl.reader import read_plan
    from ctgxl.validation import load_rules
    from ctgxl.writer import write_plan

    rules = load_rules()
    written = []
    for year in COPILS:
        with tempfile.TemporaryDirectory() as tmp:
            services = []
            for path in sorted(examples.glob("*.xlsx")):
                target = Path(tmp) / path.name
                write_plan(with_follow_up(read_plan(path), year), target,
                           vocabulary=rules.vocabulary)
                services.append(target)
            output = folder / FILE.format(year=year)
            if output.exists():
                output.unlink()
            consolidate_files(services, output, rules=rules, force=True)
            written.append(output)
    return written


def scaled_plan(plan: Plan, actions: int) -> Plan:
    """``plan`` (a service's workbook) with its actions copied under new IDs until it has
    ``actions`` actions: copy ``k`` of « ENF-015 » is « ENF-k015 », with its offers and
    indicators (its follow-up, invented from the ID, differs from the original's)."""
    originals = plan.actions.records()
    if not originals:
        return plan
    copies = [(k, r) for k in range(-(-actions // len(originals))) for r in originals][:actions]

    def renamed(ident: object, k: int) -> object:
        if k == 0 or not isinstance(ident, str) or "-" not in ident:
            return ident
        code, _, number = ident.rpartition("-")
        return f"{code}-{k}{number}"

    ids = {r["id_action"] for r in originals}
    counts: dict[object, int] = {}
    for k, r in copies:
        counts[r["id_action"]] = max(counts.get(r["id_action"], 0), k + 1)

    def multiplied(table: Table) -> Table:
        rows = [{**r, "id_action": renamed(r["id_action"], k)} for r in table.records()
                for k in range(counts.get(r["id_action"], 0 if r["id_action"] in ids else 1))]
        return Table.from_records(table.sheet, rows)

    return plan.replace(
        actions=Table.from_records(plan.actions.sheet,
                                   [{**r, "id_action": renamed(r["id_action"], k)}
                                    for k, r in copies]),
        offres=multiplied(plan.offres), indicateurs=multiplied(plan.indicateurs))


def write_scaled_master(examples: Path, actions: int, output: Path, until: int = COPILS[-1]
                        ) -> Path:
    """A master of about ``actions`` actions (benchmarks): the examples, each service's
    actions copied in proportion (``scaled_plan``), followed up to ``until``."""
    from ctgxl.consolidation.pipeline import consolidate_files
    from ctgxl.reader import read_plan
    from ctgxl.validation import load_rules
    from ctgxl.writer import write_plan

    rules = load_rules()
    plans = [(path, read_plan(path)) for path in sorted(examples.glob("*.xlsx"))]
    total = sum(len(p.actions) for _, p in plans)
    with tempfile.TemporaryDirectory() as tmp:
        services = []
        for path, plan in plans:
            share = round(actions * len(plan.actions) / total)
            target = Path(tmp) / path.name
            write_plan(with_follow_up(scaled_plan(plan, share), until), target,
                       vocabulary=rules.vocabulary)
            services.append(target)
        consolidate_files(services, output, rules=rules, force=True)
    return output
