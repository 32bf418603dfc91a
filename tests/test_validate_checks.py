"""Each validation check, planted in a small plan and found at the right cell.

Every case is checked twice: on the plan in memory and on the workbook
``write_plan`` makes of it (read back by the reader), with the same cells.
Columns of « Actions »: A ID action, B Thématique, C Axe, D Objectif, E OO,
F N°, G Intitulé, H Porteur, I Public, J Échéances, K Année début, L Année fin,
M Partenaires, … Q Indicateurs, R Parcours, S Statut. Data start on row 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgxl.model import Meta, Plan
from ctgxl.validation import load_rules, validate_file, validate_plan
from ctgxl.writer import write_plan
from workbooks import small_plan

RULES = load_rules()


def records() -> dict[str, list[dict]]:
    plan = small_plan(3)
    return {t.sheet.key: t.records() for t in plan.tables}


def build(change=None, meta: Meta | None = None) -> Plan:
    data = records()
    if change:
        change(data)
    return Plan.from_records(meta or Meta(thematique="Enfance", service="Enfance"), **data)


@pytest.fixture
def findings(tmp_path: Path):
    """Validate in memory and through a written workbook; both must agree."""
    counter = iter(range(1000))

    def run(plan: Plan) -> list:
        in_memory = validate_plan(plan, RULES).findings
        path = write_plan(plan, tmp_path / f"plan{next(counter)}.xlsx")
        from_file = [f for f in validate_file(path, RULES).findings
                     if f.code not in ("cellules-fusionnees",)]
        assert [(f.code, f.sheet, f.cell) for f in from_file] == \
               [(f.code, f.sheet, f.cell) for f in in_memory]
        assert all(f.file == str(path) for f in from_file)
        assert "controle-impossible" not in [f.code for f in in_memory]
        return from_file

    return run


def only(found: list, code: str):
    matching = [f for f in found if f.code == code]
    assert len(matching) == 1, [(f.code, f.cell, f.message) for f in found]
    return matching[0]


def test_the_small_plan_is_clean(findings):
    assert findings(build()) == []


def set_action(index: int, **values):
    def change(data):
        data["actions"][index].update(values)
    return change


# (change, code, sheet, cell, severity, words in the message, suggestion)
CASES = {
    "required field": (
        set_action(1, intitule=None), "champ-obligatoire", "Actions", "G3", "erreur",
        "« Intitulé de l'action » doit être rempli.", None),
    "field to complete, Enfance action without offers": (
        set_action(1, porteur=None), "champ-a-completer", "Actions", "H3", "avertissement",
        "à compléter dans l'action ou dans au moins une de ses offres", None),
    "field to complete, other thématique": (
        set_action(2, thematique="Petite enfance", id_action="PEN-003", public=None,
                   parcours=None),
        "champ-a-completer", "Actions", "I4", "avertissement",
        "« Public visé » est à compléter.", None),
    "list value near miss": (
        set_action(0, statut="Terminé"), "valeur-hors-liste", "Actions", "S2", "erreur",
        "« Terminé » ne fait pas partie de la liste « statuts »", "Réalisée"),
    "list value without its accent": (
        set_action(0, statut="Realisée"), "valeur-a-harmoniser", "Actions", "S2",
        "avertissement", "s'écrit « Réalisée »", "Réalisée"),
    "one of several parcours misspelt": (
        set_action(2, parcours="Je suis bien dans mon corps\nJe suis responsabel"),
        "valeur-hors-liste", "Actions", "R4", "erreur", "« Je suis responsabel »",
        "Je suis responsable"),
    "malformed identifier": (
        set_action(2, id_action="ENF 3"), "identifiant-mal-forme", "Actions", "A4", "erreur",
        "Identifiant « ENF 3 » mal formé", "ENF-003"),
    "identifier of another thématique": (
        set_action(2, id_action="PEN-003"), "identifiant-thematique", "Actions", "A4", "erreur",
        "commence par « PEN »", "ENF-003"),
    "duplicate identifier": (
        set_action(2, id_action="ENF-002", numero="2"), "identifiant-en-double", "Actions", "A4",
        "erreur", "déjà utilisé ligne 3", None),
    "number differs from identifier": (
        set_action(1, numero="7"), "numero-incoherent", "Actions", "F3", "avertissement",
        "« 7 » ne correspond pas à l'identifiant « ENF-002 »", None),
    "year typed as text": (
        set_action(1, annee_debut="2023/24"), "annee-invalide", "Actions", "K3", "erreur",
        "« 2023/24 » n'est pas une année", None),
    "start after end": (
        set_action(1, annee_debut=2026, annee_fin=2023), "debut-apres-fin", "Actions", "K3",
        "erreur", "(2026) est postérieure à l'année de fin (2023)", None),
    "schedule without a year": (
        set_action(1, echeances="année scolaire", annee_debut=None, annee_fin=None),
        "echeances-sans-annee", "Actions", "J3", "avertissement", "« année scolaire »", None),
    "schedule outside the convention": (
        set_action(1, echeances="2019-2021", annee_debut=None, annee_fin=None),
        "echeances-hors-periode", "Actions", "J3", "avertissement", "2019 et 2021", None),
    "OO missing from Plan": (
        set_action(1, oo="OO1 OO5"), "oo-inconnu", "Actions", "E3", "erreur",
        "La feuille Plan ne définit pas OO5 sous Enfance, axe I, objectif 1.", None),
    "OO not a code": (
        set_action(1, oo="OO1 bis"), "oo-mal-forme", "Actions", "E3", "erreur", "« bis »", None),
    "duplicate title": (
        set_action(2, intitule="Développement de loisirs de proximité n° 2 (cinéma, musée, "
                               "médiathèque…)"),
        "intitule-en-double", "Actions", "G4", "avertissement", "l'action ENF-002 (ligne 3)",
        None),
    "row of another thématique in a service workbook": (
        set_action(2, thematique="Parentalité", id_action="PAR-003", parcours=None),
        "thematique-differente", "Actions", "B4", "avertissement",
        "« Parentalité » dans le classeur de la thématique « Enfance »", None),
    "former name of a partner": (
        set_action(0, partenaires="CAF des Landes, RAM de Saint-Pierre-du-Mont"),
        "terme-obsolete", "Actions", "M2", "avertissement", "« RAM » est une ancienne appellation",
        "RPE"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_planted_mistake_is_found_at_its_cell(case, findings):
    change, code, sheet, cell, severity, words, suggestion = CASES[case]
    finding = only(findings(build(change)), code)
    assert (finding.sheet, finding.cell, finding.severity) == (sheet, cell, severity)
    assert finding.row == int(cell[1:]) and finding.column == cell[0]
    assert words in finding.message
    assert finding.suggestion == suggestion
    assert finding.header


def test_enfance_fields_may_come_from_the_offers(findings):
    # ENF-001 has offers with a porteur: the action itself may leave it empty.
    assert findings(build(set_action(0, porteur=None))) == []


def test_row_rule_gives_one_finding_naming_only_its_cells(findings):
    found = findings(build(set_action(1, annee_debut=2026, annee_fin=2023)))
    finding = only(found, "debut-apres-fin")
    assert finding.cells == ("K3", "L3")
    assert len(found) == 1


def plan_change(fn):
    return fn


def test_oo_label_is_expected_only_where_an_oo_is_given(findings):
    def change(data):
        data["plan"][1]["oo_intitule"] = None
        data["plan"].append({"thematique": "Enfance", "axe": "II", "axe_intitule": "Axe deux"})
    finding = only(findings(build(change)), "champ-a-completer")
    assert (finding.sheet, finding.cell) == ("Plan", "G3")
    assert "quand « Objectif opérationnel » est rempli" in finding.message


def test_duplicate_oo_in_plan(findings):
    def change(data):
        data["plan"].append(dict(data["plan"][1], oo_intitule="Autre intitulé"))
    finding = only(findings(build(change)), "oo-en-double")
    assert (finding.sheet, finding.cell) == ("Plan", "F4")
    assert "OO2 est déjà défini ligne 3" in finding.message


def test_objective_number_with_two_labels(findings):
    def change(data):
        data["plan"][1]["objectif_intitule"] = "Proposer une offre sportive"
    finding = only(findings(build(change)), "objectif-libelle-incoherent")
    assert (finding.sheet, finding.cell) == ("Plan", "E3")
    assert "ligne 2 « Maintenir une offre qualitative et diversifiée »" in finding.message


def test_axis_with_two_labels(findings):
    def change(data):
        data["plan"][1]["axe_intitule"] = "Autre axe"
    assert only(findings(build(change)), "axe-libelle-incoherent").cell == "C3"


def test_offer_and_follow_up_of_unknown_actions(findings):
    def change(data):
        data["offres"][1]["id_action"] = "ENF-9"
        data["suivi"][0]["id_action"] = "ENF-004"
    found = findings(build(change))
    unknown = [(f.sheet, f.cell) for f in found if f.code == "action-inconnue"]
    assert unknown == [("Offres", "A3"), ("Suivi", "A2")]


def test_unknown_action_suggests_the_identifier_meant(findings):
    def change(data):
        data["offres"][1]["id_action"] = "ENF-1"
    assert only(findings(build(change)), "action-inconnue").suggestion == "ENF-001"


def test_duplicate_offer_number(findings):
    def change(data):
        data["offres"][1]["numero_offre"] = 1
    finding = only(findings(build(change)), "offre-en-double")
    assert (finding.sheet, finding.cell) == ("Offres", "B3")


def test_offer_number_not_a_number(findings):
    def change(data):
        data["offres"][1]["numero_offre"] = "2 bis"
    finding = only(findings(build(change)), "nombre-invalide")
    assert (finding.sheet, finding.cell, finding.value) == ("Offres", "B3", "2 bis")


def follow_up(*rows):
    def change(data):
        data["suivi"] = [{"id_action": "ENF-001", "annee": y, "statut": s} for y, s in rows]
    return change


def test_follow_up_one_row_per_action_and_year(findings):
    finding = only(findings(build(follow_up((2024, "En cours"), (2024, "En cours")))),
                   "suivi-en-double")
    assert (finding.sheet, finding.cell) == ("Suivi", "B3")


def test_follow_up_year_inside_the_convention(findings):
    finding = only(findings(build(follow_up((2031, "En cours")))), "suivi-annee-hors-periode")
    assert (finding.cell, finding.severity) == ("B2", "erreur")
    assert "2022-2027" in finding.message


def test_follow_up_status_from_the_list(findings):
    finding = only(findings(build(follow_up((2024, "Fini")))), "valeur-hors-liste")
    assert (finding.sheet, finding.cell, finding.suggestion) == ("Suivi", "D2", "Réalisée")


def test_done_never_followed_by_not_started(findings):
    found = findings(build(follow_up((2023, "Réalisée"), (2024, "En cours"),
                                     (2026, "Non démarrée"))))
    finding = only(found, "suivi-regression")
    assert (finding.cell, finding.cells) == ("D4", ("D4", "B4"))
    assert "« Réalisée » en 2023 puis « Non démarrée » en 2026" in finding.message


def test_findings_are_sorted_by_sheet_then_row(findings):
    def change(data):
        data["suivi"][0]["annee"] = 2040
        data["actions"][2]["statut"] = "Fini"
        data["actions"][0]["statut"] = "Fini"
    found = findings(build(change))
    assert [(f.sheet, f.cell) for f in found] == [("Actions", "S2"), ("Actions", "S4"),
                                                  ("Suivi", "B2")]


def test_no_check_failed_to_run_on_a_messy_plan():
    def change(data):
        for row in data["actions"]:
            row.update(oo="?? OO", annee_debut="x", annee_fin=None, echeances="∞",
                       thematique="Inconnue", id_action=None, numero="1.2")
        data["plan"][0].update(axe=None, objectif=None, oo=None)
    report = validate_plan(build(change), RULES)
    assert "controle-impossible" not in report.codes()
    assert report.exit_code() == 1


def test_empty_plan_in_memory_is_not_an_error():
    report = validate_plan(Plan(), RULES)
    assert report.exit_code() == 0


def test_oo_of_an_objective_missing_from_plan(findings):
    finding = only(findings(build(set_action(1, objectif="4"))), "oo-inconnu")
    assert finding.cells == ("E3", "D3")
    assert finding.message == ("La feuille Plan ne définit pas l'objectif 4 de l'axe I (Enfance) "
                               "dont relève OO1, OO2.")
