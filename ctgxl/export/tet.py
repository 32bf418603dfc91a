"""The plan as the import file of Territoires en Transitions, the State's free platform for
territorial action plans (pure functions; ``tet_workbook`` writes the file).

What the platform reads was taken from its public source code (repository
``incubateur-ademe/territoires-en-transitions``, import service of 2025-03,
``backend/src/plans/fiches/import/import-plan.service.ts`` and
``import-plan-clean.service.ts``, its template ``modele-import-pa.xlsx`` of 2025-01 and the
``fiche_action`` table): the first sheet, headers on row 2 (checked one by one, in this
order), one fiche action per row from row 3; tags separated by commas; amounts read with
``parseInt``; statuts matched against its list; a title of at most 300 characters; one
rejected row and the whole import is refused (« Ligne N »). So every row is checked here
first, and an export that holds a row the platform would reject is refused.

One row per action of the Actions sheet. The axes come from the thématique, the axe
stratégique and the objectif intermédiaire (with their intitulés from the Plan sheet); the
columns filled from an action's own columns are in ``FROM_ACTIONS`` (catalogue keys); every
other column of the action — the ID action first — and the action's offres, indicators and
follow-up go to « Notes complémentaires » under their French header, never dropped (only
the consolidation's provenance columns, bookkeeping, are left out).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..catalogue import ACTIONS, INDICATEURS, OFFRES, SUIVI, Column
from ..model import Plan
from ..values import MAX_CELL_TEXT, parse_number
from ..vocabulary import fold

TET_COLUMNS = (
    "Axe (x)", "Sous-axe (x.x)", "Sous-sous axe (x.x.x)", "Titre de la fiche action",
    "Descriptif", "Thématique principale", "Sous-thématiques", "Instances de gouvernance",
    "Objectifs", "Indicateurs liés", "Résultats attendus", "Cibles", "Structure pilote",
    "Moyens humains et techniques", "Partenaires", "Service-département-pôle pilote",
    "Personne pilote", "Élu·e référent·e", "Participation Citoyenne", "Financements",
    "Financeur 1", "Montant € TTC", "Financeur 2", "Montant € TTC", "Financeur 3",
    "Montant € TTC", "Budget prévisionnel total € TTC", "Statut", "Niveau de priorité",
    "Date de début", "Date de fin", "Action en amélioration continue", "Calendrier",
    "Actions liées", "Fiches des plans liées", "Notes de suivi", "Etapes de la fiche action",
    "Notes complémentaires", "Documents et liens",
)
SECTIONS = {1: "Présentation de l’action", 9: "Objectifs et indicateurs", 12: "Acteurs",
            20: "Modalités de mise en oeuvre", 34: "Actions liées"}    # row 1, as the template
FIRST_ROW = 3                   # headers on row 2, the first fiche on row 3
TET_STATUTS = ("À venir", "En cours", "Réalisé", "En pause", "Abandonné", "Bloqué",
               "En retard", "A discuter")
STATUTS = {"Non démarrée": "À venir", "En cours": "En cours", "Réalisée": "Réalisé",
           "Reportée": "En pause", "Abandonnée": "Abandonné"}   # ctgxl's list -> the platform's
NOTES = "Notes complémentaires"
BUDGET = "Budget prévisionnel total € TTC"
FINANCEMENTS = "Financements"

# TeT column -> the Actions columns (catalogue keys) it is made of.
FROM_ACTIONS = {
    "Axe (x)": ("thematique",),
    "Sous-axe (x.x)": ("axe",),
    "Sous-sous axe (x.x.x)": ("objectif",),
    "Titre de la fiche action": ("intitule",),
    "Objectifs": ("oo",),
    "Structure pilote": ("porteur",),
    "Moyens humains et techniques": ("moyens_humains", "moyens_techniques"),
    "Partenaires": ("partenaires",),
    FINANCEMENTS: ("moyens_financiers",),          # a text
    BUDGET: ("moyens_financiers",),                # a whole number of euros
    "Statut": ("statut",),
    "Date de début": ("annee_debut",),
    "Date de fin": ("annee_fin",),
    "Calendrier": ("echeances",),
}
TAGS = ("Structure pilote", "Partenaires")      # several values: separated by commas
# Longest text each column takes (the platform's fiche_action table), else an Excel cell's.
LIMITS = {"Titre de la fiche action": 300, "Descriptif": 20_000, "Objectifs": 10_000,
          "Moyens humains et techniques": 10_000, "Calendrier": 10_000, NOTES: 20_000}
MAX_AMOUNT = 10**12              # numeric(12, 0)
_EUROS = re.compile(r"\s*(?:€|euros?)\s*(?:TTC)?\s*$", re.IGNORECASE)


def in_notes(column: Column) -> bool:
    """Whether an action's ``column`` goes to « Notes complémentaires »."""
    mapped = {key for keys in FROM_ACTIONS.values() for key in keys}
    return not column.provenance and column.key not in mapped


@dataclass(frozen=True)
class TetRow:
    id_action: str | None
    cells: tuple              # one value per TET_COLUMNS
    line: int                 # row number in the written file


@dataclass(frozen=True)
class TetExport:
    rows: tuple[TetRow, ...]
    erreurs: tuple[tuple[str | None, int, str], ...]   # (ID action, line, French message)
    filled: dict = field(default_factory=dict)        # TeT column -> rows that have a value
    notes: dict = field(default_factory=dict)         # label in the notes -> actions


def tet_statut(value: str, vocabulary, synonyms) -> str | None:
    """The platform's statut for a ctgxl statut (its list, the platform's own words, or a
    synonym of the rules); None when it has none."""
    folded = fold(value)
    for listed in vocabulary.values("statuts"):
        if fold(listed) == folded and listed in STATUTS:
            return STATUTS[listed]
    for tet in TET_STATUTS:
        if fold(tet) == folded:
            return tet
    return STATUTS.get(synonyms.get(folded, ""))


def amount(text: str) -> int | None:
    """A whole number of euros written alone (« 12 000 », « 12 000 € », « 8500 euros TTC »),
    else None: what may go to an amount column, which the platform reads with parseInt."""
    number = parse_number(_EUROS.sub("", text))
    if number is None or number < 0 or number != int(number) or number >= MAX_AMOUNT:
        return None
    return int(number)


def tags(text: str) -> str:
    """Several values, one per line, as the platform separates tags: by commas."""
    return ", ".join(line.strip() for line in text.split("\n") if line.strip())


def _count(n: int) -> str:
    """« 20 000 », thousands apart by a narrow no-break space."""
    return f"{n:,}".replace(",", "\u202f")


def labelled(label: str, value) -> str:
    return f"{label} : {value}"


class _Plan:
    """What a row needs from the rest of the plan, looked up once."""

    def __init__(self, plan: Plan) -> None:
        self.axes, self.objectifs, self.oos = {}, {}, {}
        for r in plan.plan.records():
            t, a, o = r["thematique"], r["axe"], r["objectif"]
            if r["axe_intitule"]:
                self.axes.setdefault((t, a), r["axe_intitule"])
            if r["objectif_intitule"]:
                self.objectifs.setdefault((t, a, o), r["objectif_intitule"])
            if r["oo"] and r["oo_intitule"]:
                self.oos.setdefault((t, a, o, r["oo"]), r["oo_intitule"])
        self.children = {}
        for table in (plan.offres, plan.indicateurs, plan.suivi):
            by_id = defaultdict(list)
            for record in table.records():
                by_id[record["id_action"]].append(record)
            self.children[table.sheet.key] = by_id


def _level(column: Column, code, intitule) -> str | None:
    """« I. Favoriser l'épanouissement », or « Axe stratégique I » without an intitulé."""
    if code is None:
        return None
    if not intitule:
        return f"{column.header} {code}"
    code = str(code)
    return f"{code}{'' if code.endswith('.') else '.'} {intitule}"


def _child_lines(title: str, sheet, records) -> list[str]:
    """« Offre 2 : Ludothèque — Porteur(s) de projet : CCAS ; Public visé : familles » for
    each offer (indicator) of an action: its rank, its main text, its other columns."""
    keys = set(sheet.key_columns)
    columns = [c for c in sheet.columns if c.key not in keys and not c.provenance]
    main, others = columns[0], columns[1:]
    number = sheet.key_columns[-1]
    lines = []
    for record in records:
        head = f"{title} {record[number]}" if record[number] is not None else title
        parts = [labelled(c.header, record[c.key]) for c in others
                 if record.get(c.key) is not None]
        text = record.get(main.key)
        text = (f"{text} — " if text is not None else "") + " ; ".join(parts)
        lines.append(labelled(head, text.removesuffix(" — ")) if text else head)
    return lines


def _suivi_lines(records) -> list[str]:
    """« Suivi 2024 : Statut : En cours » and « Suivi 2024, indicateur 1 : Valeur atteinte :
    68 » for each follow-up row of an action."""
    lines = []
    for record in records:
        head = f"Suivi {record['annee']}" + (f", indicateur {record['numero_indicateur']}"
                                             if record["numero_indicateur"] is not None else "")
        parts = [labelled(c.header, record[c.key]) for c in SUIVI.columns
                 if c.key not in SUIVI.key_columns and not c.provenance
                 and record.get(c.key) is not None]
        lines.append(labelled(head, " ; ".join(parts)) if parts else head)
    return lines


def tet_rows(plan: Plan, vocabulary, synonyms) -> TetExport:
    """The rows of the import file, each checked against the platform's rules."""
    context = _Plan(plan)
    sheet = plan.actions.sheet
    rows, erreurs = [], []
    filled: Counter = Counter()
    noted: Counter = Counter()
    for index, record in enumerate(plan.actions.records()):
        line = FIRST_ROW + index
        ident = record["id_action"]
        cells, problems, labels = _row(record, sheet, context, vocabulary, synonyms)
        for problem in problems:
            erreurs.append((ident, line, problem))
        filled.update(h for h, v in zip(TET_COLUMNS, cells) if v not in (None, ""))
        noted.update(labels)
        rows.append(TetRow(ident, tuple(cells), line))
    return TetExport(tuple(rows), tuple(erreurs), dict(filled), dict(noted))


def _row(record: dict, sheet, context: _Plan, vocabulary, synonyms):
    cells = dict.fromkeys(TET_COLUMNS)
    problems, notes, labels = [], [], []
    t, a, o = record["thematique"], record["axe"], record["objectif"]
    cells["Axe (x)"] = t
    cells["Sous-axe (x.x)"] = _level(ACTIONS.column("axe"), a, context.axes.get((t, a)))
    cells["Sous-sous axe (x.x.x)"] = _level(ACTIONS.column("objectif"), o,
                                            context.objectifs.get((t, a, o)))
    title = record["intitule"]
    if title is None:
        problems.append("pas d'intitulé : « Titre de la fiche action » est obligatoire sur la "
                        "plateforme")
    else:
        cells["Titre de la fiche action"] = " ".join(title.split("\n"))
        if "Champ obligatoire" in title:     # the platform skips such a row (template's hint)
            problems.append("un intitulé qui contient « Champ obligatoire » est ignoré par la "
                            "plateforme (c'est la consigne de son modèle)")
    if record["oo"]:
        cells["Objectifs"] = "\n".join(
            labelled(code, context.oos[(t, a, o, code)]) if (t, a, o, code) in context.oos
            else code for code in str(record["oo"]).split())
    for header in TAGS:
        (key,) = FROM_ACTIONS[header]
        if record[key] is not None:
            cells[header] = tags(str(record[key]))
    means = [labelled(sheet.column(k).header, record[k])
             for k in FROM_ACTIONS["Moyens humains et techniques"] if record[k] is not None]
    cells["Moyens humains et techniques"] = "\n".join(means) or None
    money = record["moyens_financiers"]
    if money is not None:
        whole = amount(str(money))
        if whole is None:
            cells[FINANCEMENTS] = str(money)
        else:
            cells[BUDGET] = whole
    if record["statut"] is not None:
        statut = tet_statut(str(record["statut"]), vocabulary, synonyms)
        if statut is None:
            problems.append(f"statut « {record['statut']} » sans équivalent sur la plateforme "
                            f"({', '.join(TET_STATUTS)})")
        cells["Statut"] = statut
    for header, key, month, day in (("Date de début", "annee_debut", 1, 1),
                                    ("Date de fin", "annee_fin", 12, 31)):
        year = record[key]
        if year is None:
            continue
        if type(year) is not int or not 1900 <= year <= 9999:
            problems.append(f"« {sheet.column(key).header} » vaut « {year} », qui n'est pas "
                            f"une année : la plateforme refuserait la « {header} »")
        else:
            cells[header] = dt.datetime(year, month, day)
    if record["echeances"] is not None:
        cells["Calendrier"] = str(record["echeances"])
    for column in sheet.columns:
        if in_notes(column) and record.get(column.key) is not None:
            notes.append(labelled(column.header, record[column.key]))
            labels.append(column.header)
    ident = record["id_action"]
    for head, child_sheet in (("Offre", OFFRES), ("Indicateur", INDICATEURS)):
        children = context.children[child_sheet.key].get(ident, []) if ident is not None else []
        if children:
            notes.extend(_child_lines(head, child_sheet, children))
            labels.append(child_sheet.name)
    follow_up = context.children["suivi"].get(ident, []) if ident is not None else []
    if follow_up:
        notes.extend(_suivi_lines(follow_up))
        labels.append(SUIVI.name)
    cells[NOTES] = "\n".join(notes) or None
    for header, value in cells.items():
        if type(value) is str:
            limit = LIMITS.get(header, MAX_CELL_TEXT)
            if len(value) > limit:
                made_of = ", ".join(f"« {sheet.column(k).header} »"
                                    for k in dict.fromkeys(FROM_ACTIONS.get(header, ())))
                problems.append((f"{made_of} : " if made_of else "")
                                + f"{_count(len(value))} caractères pour « {header} », où la "
                                f"plateforme en accepte {_count(limit)}")
    # The three « Montant € TTC » share one key, never filled: ctgxl knows no funder.
    return [cells[h] for h in TET_COLUMNS], problems, labels
