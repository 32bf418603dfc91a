"""The reader accepts what people do to a workbook and says what it interpreted."""

from __future__ import annotations

import datetime as dt

from ctgxl.catalogue import ACTIONS, META_SHEET, PLAN
from ctgxl.reader import read_plan
from ctgxl.writer import write_plan
from workbooks import small_plan, write_grid

META = [["Paramètre", "Valeur"], ["Version du modèle", "1.0"], ["Thématique", "Enfance"]]


def codes(plan) -> list[str]:
    return [n.code for n in plan.notes]


def test_written_plan_reads_back_with_cell_references(tmp_path):
    plan = small_plan(3)
    path = write_plan(plan, tmp_path / "enfance.xlsx")
    back = read_plan(path)
    assert back == plan
    assert back.actions.cell(2, "intitule") == "Actions!G4"
    assert back.offres.cell(1, "offre") == "Offres!C3"
    assert back.notes == ()


def test_reordered_columns_synonyms_and_title_rows_are_understood(tmp_path):
    path = write_grid(tmp_path / "autre.xlsx", {
        "actions": [
            ["Plan d'actions CTG — service Enfance"],
            [],
            ["Intitulé", "PILOTE", "public cible", "Calendrier", "Identifiant", "État d'avancement"],
            ["Aide aux devoirs", "Pôle Éducation", "Élèves", "2023-2024", "ENF-001", "En cours"],
            [None, None, None, None, None, None],
            ["  Fête de la science  ", "Lacq Odyssée", "Tous les enfants", "Octobre", "ENF-002", None],
        ],
        META_SHEET: META,
    })
    plan = read_plan(path)
    rows = plan.actions.records()
    assert [r["id_action"] for r in rows] == ["ENF-001", "ENF-002"]
    assert rows[0]["porteur"] == "Pôle Éducation" and rows[0]["public"] == "Élèves"
    assert rows[0]["echeances"] == "2023-2024" and rows[0]["statut"] == "En cours"
    assert rows[1]["intitule"] == "Fête de la science"
    assert plan.actions.cell(1, "id_action") == "Actions!E6"


def test_numbers_and_dates_where_text_is_expected_keep_their_text(tmp_path):
    path = write_grid(tmp_path / "nombres.xlsx", {
        "Actions": [["ID action", "N° action", "Objectif intermédiaire", "Échéances / calendrier"],
                    ["ENF-001", 15, 1.1, dt.datetime(2024, 9, 2)]],
        META_SHEET: META,
    })
    row = read_plan(path).actions.records()[0]
    assert (row["numero"], row["objectif"], row["echeances"]) == ("15", "1.1", "02/09/2024")


def test_merged_hierarchy_cells_are_filled_down_and_noted(tmp_path):
    path = write_grid(tmp_path / "fusion.xlsx", {
        "Plan": [["Thématique", "Axe stratégique", "Intitulé de l'axe", "Objectif opérationnel"],
                 ["Enfance", "I", "Favoriser le bien-être", "OO1"],
                 [None, None, None, "OO2"],
                 [None, None, None, "OO3"]],
        "Actions": [["ID action"], ["ENF-001"]],
        META_SHEET: META,
    }, merged={"Plan": ["A2:A4", "B2:B4", "C2:C4"]})
    plan = read_plan(path)
    assert [r["axe"] for r in plan.plan.records()] == ["I", "I", "I"]
    assert [r["thematique"] for r in plan.plan.records()] == ["Enfance"] * 3
    merged = [n for n in plan.notes if n.code == "cellules-fusionnees"]
    assert {n.cell for n in merged} == {"A2:A4", "B2:B4", "C2:C4"}
    assert all(n.severity == "information" for n in merged)


def test_unknown_and_missing_columns_are_noted(tmp_path):
    path = write_grid(tmp_path / "colonnes.xlsx", {
        "Actions": [["ID action", "Intitulé de l'action", "Budget prévisionnel 2024 (k€)"],
                    ["ENF-001", "Aide aux devoirs", 12]],
        META_SHEET: META,
    })
    plan = read_plan(path)
    added = [n for n in plan.notes if n.code == "colonne-ajoutee"]
    assert [(n.sheet, n.cell, n.value) for n in added] == [
        ("Actions", "C1", "Budget prévisionnel 2024 (k€)")]
    # the column a service added is kept, after the canonical ones, as text
    assert [c.header for c in plan.actions.sheet.extra_columns] == ["Budget prévisionnel 2024 (k€)"]
    assert plan.actions.records()[0]["+Budget prévisionnel 2024 (k€)"] == "12"
    assert plan.actions.cell(0, "+Budget prévisionnel 2024 (k€)") == "Actions!C2"
    missing = {n.header for n in plan.notes if n.code == "colonne-absente" and n.sheet == "Actions"}
    assert "Porteur(s) de projet" in missing and "ID action" not in missing
    assert "feuille-absente" in codes(plan)


def test_hidden_sheet_missing_is_only_noted(tmp_path):
    path = write_grid(tmp_path / "sans_parametres.xlsx", {
        "Actions": [["ID action", "Intitulé"], ["PAR-001", "Cafés parents"]]})
    plan = read_plan(path)
    assert plan.actions.column("intitule") == ["Cafés parents"]
    assert "parametres-absents" in codes(plan)


def test_plan_sheet_may_be_shallow(tmp_path):
    """Other territories have Enjeu › Action: axe and objectif empty is fine."""
    path = write_grid(tmp_path / "enjeux.xlsx", {
        "Actions": [["ID action", "Thématique", "Intitulé"], ["AVS-001", "Animation de la vie sociale", "Fête de quartier"]],
        PLAN.name: [list(PLAN.headers)],
        META_SHEET: META,
    })
    plan = read_plan(path)
    assert plan.actions.records()[0]["axe"] is None
    assert len(plan.plan) == 0
    assert ACTIONS.name == "Actions"
