"""Indicators as data: the Indicateurs sheet, the Suivi per indicator, their checks, the
migration of 1.0 workbooks and the import of the legacy free text.

Columns of « Indicateurs »: A ID action, B N° indicateur, C Indicateur, D Type, E Unité,
F Valeur de référence, G Année de référence, H Cible, I Année de la cible, J Texte d'origine.
Columns of « Suivi »: A ID action, B Année, C N° indicateur, D Statut, E Valeur atteinte.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ctgxl.legacy.indicators import indicator_rows, split_indicators
from ctgxl.model import Meta, Plan
from ctgxl.reader import read_plan
from ctgxl.validation import load_rules, validate_file
from ctgxl.values import parse_number
from ctgxl.writer import write_plan
from workbooks import small_plan

ROOT = Path(__file__).resolve().parent.parent

RULES = load_rules()


def with_changes(indicateurs=None, suivi=None) -> Plan:
    data = {t.sheet.key: t.records() for t in small_plan(3).tables}
    if indicateurs is not None:
        data["indicateurs"] = indicateurs(data["indicateurs"])
    if suivi is not None:
        data["suivi"] = suivi(data["suivi"])
    return Plan.from_records(Meta(thematique="Enfance", service="Enfance"), **data)


def found(plan: Plan, tmp_path) -> list:
    path = write_plan(plan, tmp_path / "plan.xlsx")
    return [f for f in validate_file(path, RULES).findings]


def test_the_small_plan_with_an_indicator_is_clean(tmp_path):
    assert found(with_changes(), tmp_path) == []


@pytest.mark.parametrize("text, number", [
    ("12", 12), ("12,5", 12.5), ("3.25", 3.25), ("1 200", 1200), ("1\u00a0200,5", 1200.5),
    ("-4", -4), ("85 %", None), ("environ 40", None), ("12,5,3", None), ("", None)])
def test_numbers_are_read_as_french_users_type_them(text, number):
    assert parse_number(text) == number


def test_a_value_written_with_its_unit_is_an_erreur_with_the_number_suggested(tmp_path):
    def change(rows):
        rows[0]["cible"] = "80 %"
        return rows
    [finding] = found(with_changes(indicateurs=change), tmp_path)
    assert (finding.code, finding.severity, finding.sheet, finding.cell) == \
        ("nombre-non-numerique", "erreur", "Indicateurs", "H2")
    assert finding.suggestion == "80"
    assert "« 80 % » n'est pas un nombre" in finding.message


def test_a_decimal_value_with_a_comma_is_a_number(tmp_path):
    def change(rows):
        rows[0]["valeur"] = "68,5"
        return rows
    plan = with_changes(suivi=change)
    assert plan.suivi.records()[0]["valeur"] == 68.5
    assert found(plan, tmp_path) == []
    assert read_plan(write_plan(plan, tmp_path / "b.xlsx")).suivi.records()[0]["valeur"] == 68.5


def test_indicator_checks_point_at_their_cells(tmp_path):
    def indicators(rows):
        return [rows[0] | {"unite": None},
                {"id_action": "ENF-001", "numero_indicateur": 1, "libelle": "Doublon"},
                {"id_action": "ENF-009", "numero_indicateur": 1, "libelle": "Orphelin",
                 "unite": "familles", "cible": 10, "annee_cible": 2031}]

    def follow_up(rows):
        return [*rows,
                {"id_action": "ENF-001", "annee": 2025, "numero_indicateur": 4, "valeur": 3},
                {"id_action": "ENF-002", "annee": 2025, "statut": "En cours", "valeur": 7}]

    result = {(f.code, f.sheet, f.cell): f for f in found(
        with_changes(indicateurs=indicators, suivi=follow_up), tmp_path)}
    assert set(result) == {
        ("indicateur-sans-unite", "Indicateurs", "E2"),
        ("indicateur-en-double", "Indicateurs", "B3"),
        ("champ-a-completer", "Indicateurs", "H3"),       # a target missing
        ("action-inconnue", "Indicateurs", "A4"),
        ("suivi-annee-hors-periode", "Indicateurs", "I4"),
        ("indicateur-inconnu", "Suivi", "C3"),
        ("valeur-sans-indicateur", "Suivi", "E4"),
    }
    assert "Indicateur « Taux de participation »" in \
        result["indicateur-sans-unite", "Indicateurs", "E2"].message
    assert "n'a pas d'indicateur n° 4" in result["indicateur-inconnu", "Suivi", "C3"].message
    assert "(indicateurs : 1)" in result["indicateur-inconnu", "Suivi", "C3"].message
    assert result["valeur-sans-indicateur", "Suivi", "E4"].severity == "avertissement"


def test_the_statut_is_asked_on_the_row_of_the_year_not_on_each_value(tmp_path):
    def follow_up(rows):
        return [rows[0] | {"statut": None},
                {"id_action": "ENF-001", "annee": 2025, "statut": None}]
    [finding] = found(with_changes(suivi=follow_up), tmp_path)
    assert (finding.code, finding.cell) == ("champ-a-completer", "D3")
    assert "quand « N° indicateur » est vide" in finding.message


def test_one_value_per_action_year_and_indicator(tmp_path):
    def follow_up(rows):
        return [*rows, {"id_action": "ENF-001", "annee": 2024, "numero_indicateur": None,
                        "statut": "En cours"},
                rows[0] | {"valeur": 70}]
    [finding] = found(with_changes(suivi=follow_up), tmp_path)
    assert (finding.code, finding.cell) == ("suivi-en-double", "B4")
    assert "pour 2024, indicateur 1 (ligne 2)" in finding.message


def _as_template_1_0(path):
    """The workbook as the 1.0 template wrote it: no Indicateurs, no « N° indicateur »."""
    wb = openpyxl.load_workbook(path)
    del wb["Indicateurs"]
    wb["Suivi"].delete_cols(3)
    meta = wb["_ctgxl"]
    for row in meta.iter_rows():
        if row[0].value and "version" in str(row[0].value).lower():
            row[1].value = "1.0"
    wb.save(path)
    return path


def test_a_workbook_of_the_1_0_template_still_reads_with_a_migration_note(tmp_path):
    plan = with_changes(suivi=lambda rows: [rows[0] | {"numero_indicateur": None,
                                                       "valeur": None}])
    path = _as_template_1_0(write_plan(plan, tmp_path / "ancien.xlsx"))
    before = path.read_bytes()
    read = read_plan(path)
    assert read.meta.template_version == "1.0"
    assert len(read.indicateurs) == 0
    assert read.suivi.records()[0]["statut"] == "En cours"
    report = validate_file(path, RULES)
    assert [(f.code, f.severity) for f in report.findings] == [("modele-anterieur", "information")]
    assert "Classeur au modèle 1.0" in report.findings[0].message
    assert path.read_bytes() == before


def test_the_template_offers_the_sheet_with_number_checks():
    wb = openpyxl.load_workbook(ROOT / "templates" / "plan_template.xlsx")
    ws = wb["Indicateurs"]
    headers = [c.value for c in ws[1]][:9]
    assert headers == ["ID action", "N° indicateur", "Indicateur", "Type", "Unité",
                       "Valeur de référence", "Année de référence", "Cible", "Année de la cible"]
    kinds = {str(dv.sqref).split(":")[0]: dv.type for dv in ws.data_validations.dataValidation}
    assert kinds["F2"] == "decimal" and kinds["H2"] == "decimal" and kinds["B2"] == "whole"
    assert {"Résultat", "Moyens"} <= {c.value for row in wb["Listes"].iter_rows() for c in row}
    assert wb.sheetnames.index("Indicateurs") == wb.sheetnames.index("Suivi") - 1


# -- import of the legacy free text -----------------------------------------------------------

@pytest.mark.parametrize("text, items", [
    ("Nombre de participants – Nombre d'actions mises en place",
     ["Nombre de participants", "Nombre d'actions mises en place"]),
    ("Taux de participation\nadhésion des enfants",
     ["Taux de participation", "Adhésion des enfants"]),
    ("Nombre de jeunes touchés Nombre d'ateliers", ["Nombre de jeunes touchés",
                                                     "Nombre d'ateliers"]),
    ("nombre de familles, d'enfants", ["Nombre de familles, d'enfants"]),
    ("Bilan qualitatif. Taux de satisfaction", ["Bilan qualitatif", "Taux de satisfaction"]),
    ("Fréquentation ; fréquentation", ["Fréquentation"]),
    (None, []),
])
def test_legacy_indicator_cells_are_cut_where_another_indicator_starts(text, items):
    assert split_indicators(text) == items


@pytest.mark.parametrize("text, items", [
    # a cell written as a list: one indicator per item, whatever words they hold
    ("- Nombre de rencontres organisées\n- Nombre de bénévoles – actifs\n"
     "- Augmentation du nombre de places",
     ["Nombre de rencontres organisées", "Nombre de bénévoles – actifs",
      "Augmentation du nombre de places"]),
    ("1. Taux d'occupation nombre de familles\n2. Satisfaction ; assiduité",
     ["Taux d'occupation nombre de familles", "Satisfaction", "Assiduité"]),
    # one line: never cut after a word that calls for what follows
    ("augmentation du nombre d'agréés", ["Augmentation du nombre d'agréés"]),
    ("Évolution des taux de couverture", ["Évolution des taux de couverture"]),
    ("taux de participation, augmentation du nombre d'AM et de gardes à domicile",
     ["Taux de participation, augmentation du nombre d'AM et de gardes à domicile"]),
    ("Nombre d'ateliers et nombre de participants",
     ["Nombre d'ateliers", "Nombre de participants"]),
])
def test_indicators_follow_the_cells_list_and_never_leave_a_dangling_fragment(text, items):
    assert split_indicators(text) == items


def test_indicator_rows_keep_the_original_text_and_guess_only_the_percent():
    rows = indicator_rows("ENF-003", ["Taux de participation – Nombre de séances",
                                      "Nombre de séances"])
    assert [(r["numero_indicateur"], r["libelle"], r["unite"]) for r in rows] == [
        (1, "Taux de participation", "%"), (2, "Nombre de séances", None)]
    assert {r["texte_origine"] for r in rows} == {"Taux de participation – Nombre de séances"}


@pytest.mark.parametrize("name", ["petite_enfance", "enfance", "jeunesse", "cohesion_sociale",
                                  "parentalite"])
def test_the_seed_import_makes_indicator_rows_from_every_filled_cell(name):
    """Every action whose « Indicateurs d'évaluation » (or an offer's) is filled has
    indicator rows, each with the text it came from (the examples are the seed imported)."""
    for workbook in [ROOT / "examples" / f"{name}.xlsx"]:
        plan = read_plan(workbook)
        with_text = {r["id_action"] for r in plan.actions.records() if r["indicateurs"]} | {
            r["id_action"] for r in plan.offres.records() if r["indicateurs"]}
        rows = plan.indicateurs.records()
        assert {r["id_action"] for r in rows} == with_text, workbook.name
        texts = {t for r in plan.actions.records() + plan.offres.records()
                 if (t := r["indicateurs"])}
        assert all(r["texte_origine"] in texts for r in rows)
        for ident in with_text:
            numbers = [r["numero_indicateur"] for r in rows if r["id_action"] == ident]
            assert numbers == list(range(1, len(numbers) + 1))


# -- diff, merge, consolidate, split -----------------------------------------------------------

def _edited(plan: Plan, **changes) -> Plan:
    data = {t.sheet.key: t.records() for t in plan.tables}
    for key, change in changes.items():
        data[key] = change(data[key])
    return Plan.from_records(plan.meta, **data)


def test_diff_and_merge_follow_indicators_by_action_and_number():
    from ctgxl.compare import diff_plans, merge_plans

    base = small_plan(3)
    local = _edited(base, indicateurs=lambda rows: [rows[0] | {"cible": 80}])
    remote = _edited(base, indicateurs=lambda rows: [
        *rows, {"id_action": "ENF-002", "numero_indicateur": 1, "libelle": "Nombre de sorties",
                "unite": "sorties"}],
        suivi=lambda rows: [rows[0] | {"valeur": 70}])
    table = diff_plans(base, local).table("indicateurs")
    [change] = table.modified
    assert [(c.column, c.old, c.new) for c in change.changes] == [("cible", 75, 80)]
    suivi = diff_plans(base, remote).table("suivi")
    assert [(c.column, c.old, c.new) for c in suivi.modified[0].changes] == [("valeur", 68, 70)]
    merged = merge_plans(base, local, remote)
    assert merged.clean
    rows = {(r["id_action"], r["numero_indicateur"]): r for r in merged.plan.indicateurs.records()}
    assert rows["ENF-001", 1]["cible"] == 80 and rows["ENF-002", 1]["libelle"] == "Nombre de sorties"
    assert merged.plan.suivi.records()[0]["valeur"] == 70


def test_consolidate_then_split_gives_each_service_its_indicators_back():
    from consolidation_helpers import service

    from ctgxl.consolidation import consolidate_plans, split_plan

    enf, pen = service("Enfance", "ENF", 2, suivi=True), service("Petite enfance", "PEN", 2,
                                                                  suivi=True)
    master = consolidate_plans([("enfance.xlsx", enf), ("pe.xlsx", pen)]).master
    assert [r["id_action"] for r in master.indicateurs.records()] == ["ENF-001", "PEN-001"]
    assert {r["source_fichier"] for r in master.indicateurs.records()} == {"enfance.xlsx",
                                                                          "pe.xlsx"}
    back = split_plan(master)
    assert back["Enfance"].indicateurs.without_provenance().rows == enf.indicateurs.rows
    assert back["Petite enfance"].suivi.without_provenance().rows == pen.suivi.rows
