"""``ctgxl export --format tet``: the import workbook of Territoires en Transitions, read back
as the platform reads it (first sheet, headers on row 2, one fiche action per row from row
3), every action's fields checked; a row the platform would reject refuses the export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from compare_helpers import plans
from ctgxl.catalogue import ACTIONS
from ctgxl.export.tet import FROM_ACTIONS, TET_COLUMNS, in_notes, tet_rows
from ctgxl.reader import read_plan
from ctgxl.validation import load_rules
from ctgxl.writer import write_plan
from workbooks import small_plan

ROOT = Path(__file__).resolve().parent.parent
MASTER = ROOT / "examples" / "suivi_fictif" / "pilotage_2025_fictif.xlsx"
RULES = load_rules()
# The platform's import service checks these headers, in this order, on row 2.
PLATFORM_HEADERS = [
    "Axe (x)", "Sous-axe (x.x)", "Sous-sous axe (x.x.x)", "Titre de la fiche action",
    "Descriptif", "Thématique principale", "Sous-thématiques", "Instances de gouvernance",
    "Objectifs", "Indicateurs liés", "Résultats attendus", "Cibles", "Structure pilote",
    "Moyens humains et techniques", "Partenaires", "Service-département-pôle pilote",
    "Personne pilote", "Élu·e référent·e", "Participation Citoyenne", "Financements",
    "Financeur 1", "Montant € TTC", "Financeur 2", "Montant € TTC", "Financeur 3",
    "Montant € TTC", "Budget prévisionnel total € TTC", "Statut", "Niveau de priorité",
    "Date de début", "Date de fin", "Action en amélioration continue", "Calendrier",
    "Actions liées", "Fiches des plans liées", "Notes de suivi", "Etapes de la fiche action",
    "Notes complémentaires", "Documents et liens"]
PLATFORM_STATUTS = {"À venir", "En cours", "Réalisé", "En pause", "Abandonné", "Bloqué",
                    "En retard", "A discuter"}


def varied_plan():
    """Four actions that use every way a value can go: statuts, a plain amount and a text,
    porteurs on several lines, years or none, an added column, offers, indicators, follow-up."""
    plan = small_plan(4)
    data = {t.sheet.key: t.records() for t in plan.tables}
    a = data["actions"]
    a[0].update(statut="Non démarrée", moyens_financiers="12 000 €",
                porteur="Pôle Éducation\nCCAS de Mont-de-Marsan", commentaire="Vu en COPIL")
    a[1].update(statut="Réalisée", moyens_financiers="Dotations des ALSH, CAF",
                annee_debut=None, annee_fin=None, oo="OO2", moyens_humains=None,
                moyens_techniques="Minibus")
    a[2].update(statut="Reportée", moyens_financiers="8 500", axe=None, objectif=None, oo=None,
                parcours=None, intitule="Titre\nsur deux lignes")
    a[3].update(statut="Abandonnée", moyens_financiers=None, partenaires=None, porteur=None)
    a[0]["+Quartier"] = "Nahuques"
    return plan.from_records(plan.meta, **data)


def written_tet(run, plan, folder: Path):
    """Export ``plan`` to TeT through the command; the rows of the file as the platform
    reads them: (header row, data rows, the sheet)."""
    import openpyxl

    workbook = write_plan(plan, folder / "enfance.xlsx")
    result = run("export", workbook, "-d", folder / "tet", "--format", "tet")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(folder / "tet" / "enfance_territoires_en_transitions.xlsx")
    sheet = book.worksheets[0]                                  # the platform: the first sheet
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return rows[1], rows[2:], sheet, result


def test_the_file_has_the_platform_layout(run, tmp_path):
    headers, rows, sheet, _ = written_tet(run, varied_plan(), tmp_path)
    assert headers == PLATFORM_HEADERS and list(TET_COLUMNS) == PLATFORM_HEADERS
    assert len(sheet.parent.worksheets) == 1
    assert len(rows) == 4
    assert sheet.cell(3, PLATFORM_HEADERS.index("Date de début") + 1).number_format == \
        "DD/MM/YYYY"


def test_every_action_field_is_where_it_belongs(run, tmp_path):
    plan = varied_plan()
    headers, rows, _, _ = written_tet(run, plan, tmp_path)
    statuts = {"Non démarrée": "À venir", "En cours": "En cours", "Réalisée": "Réalisé",
               "Reportée": "En pause", "Abandonnée": "Abandonné"}
    intitules = {(r["axe"], r["objectif"], r["oo"]): r for r in plan.plan.records()}
    for action, row in zip(plan.actions.records(), rows, strict=True):
        cell = dict(zip(headers, row))         # the three « Montant € TTC »: one key, empty
        notes = cell["Notes complémentaires"]
        assert cell["Axe (x)"] == action["thematique"]
        if action["axe"]:
            axe = next(r for r in intitules.values() if r["axe"] == action["axe"])
            assert cell["Sous-axe (x.x)"] == f"{action['axe']}. {axe['axe_intitule']}"
            assert cell["Sous-sous axe (x.x.x)"] == \
                f"{action['objectif']}. {axe['objectif_intitule']}"
        else:
            assert cell["Sous-axe (x.x)"] is None and cell["Sous-sous axe (x.x.x)"] is None
        assert cell["Titre de la fiche action"] == action["intitule"].replace("\n", " ")
        for code in (action["oo"] or "").split():
            wanted = next(r["oo_intitule"] for k, r in intitules.items() if k[2] == code)
            assert f"{code} : {wanted}" in cell["Objectifs"]
        assert cell["Structure pilote"] == (action["porteur"].replace("\n", ", ")
                                            if action["porteur"] else None)
        assert cell["Partenaires"] == action["partenaires"]
        for key in ("moyens_humains", "moyens_techniques"):
            if action[key]:
                assert f"{ACTIONS.column(key).header} : {action[key]}" in \
                    cell["Moyens humains et techniques"]
        money = action["moyens_financiers"]
        if money and money.replace(" ", "").rstrip("€").isdigit():
            assert cell["Budget prévisionnel total € TTC"] == int(money.replace(" ", "")
                                                                     .rstrip("€"))
            assert cell["Financements"] is None
        else:
            assert cell["Financements"] == money and cell["Budget prévisionnel total € TTC"] \
                is None
        assert cell["Statut"] == statuts[action["statut"]]
        assert cell["Date de début"] == (dt.datetime(action["annee_debut"], 1, 1)
                                         if action["annee_debut"] else None)
        assert cell["Date de fin"] == (dt.datetime(action["annee_fin"], 12, 31)
                                       if action["annee_fin"] else None)
        assert cell["Calendrier"] == action["echeances"]
        assert notes.startswith(f"ID action : {action['id_action']}\n")
        for key in ("numero", "public", "indicateurs", "parcours", "commentaire", "+Quartier"):
            if action.get(key):
                assert f"{plan.actions.sheet.column(key).header} : {action[key]}" in notes
        for offre in plan.offres.records():
            assert (f"Offre {offre['numero_offre']} : {offre['offre']}" in notes) == \
                (offre["id_action"] == action["id_action"])
        for indicator in plan.indicateurs.records():
            line = f"Indicateur {indicator['numero_indicateur']} : {indicator['libelle']}"
            assert (line in notes) == (indicator["id_action"] == action["id_action"])
        for follow in plan.suivi.records():
            if follow["id_action"] == action["id_action"]:
                assert f"Suivi {follow['annee']}, indicateur {follow['numero_indicateur']} : " \
                       f"Statut : {follow['statut']} ; Valeur atteinte : {follow['valeur']}" \
                    in notes
        for header in ("Descriptif", "Thématique principale", "Indicateurs liés", "Cibles",
                       "Personne pilote", "Financeur 1", "Action en amélioration continue"):
            assert cell[header] is None          # ctgxl has nothing the platform would keep


def test_no_value_of_an_action_is_dropped(run, tmp_path):
    """Every column of Actions, from the catalogue, is either mapped or in the notes."""
    plan = varied_plan()
    _, rows, _, _ = written_tet(run, plan, tmp_path)
    mapped = {k for keys in FROM_ACTIONS.values() for k in keys}
    assert mapped <= set(ACTIONS.index)
    for action, row in zip(plan.actions.records(), rows):
        text = "\n".join(str(v) for v in row if v is not None)
        for column in plan.actions.sheet.columns:
            value = action.get(column.key)
            if value is None or column.provenance:
                continue
            assert in_notes(column) or column.key in mapped
            if column.key in ("annee_debut", "annee_fin", "moyens_financiers", "intitule",
                              "porteur", "oo", "statut"):
                continue     # a date, an amount, a title, tags, codes, a statut: checked above
            assert str(value) in text, (action["id_action"], column.header)


def test_the_report_says_what_went_where(run, tmp_path):
    _, _, _, result = written_tet(run, varied_plan(), tmp_path)
    assert "Fichier d'import Territoires en Transitions écrit" in result.output
    assert "Budget prévisionnel total € TTC 2" in result.output
    assert "Financements 1" in result.output and "Statut 4" in result.output
    assert "Dans « Notes complémentaires » (nombre de fiches) : ID action 4" in result.output
    workbook = tmp_path / "enfance.xlsx"
    report = json.loads(run("export", workbook, "-d", tmp_path / "j", "--format", "tet",
                            "--compte-rendu", "json").stdout)
    assert report["format"] == "tet" and report["erreurs"] == []
    assert report["colonnes"]["Structure pilote"] == 3
    assert report["notes_complementaires"]["Offres"] == 1
    assert report["notes_complementaires"]["Quartier"] == 1


@pytest.mark.parametrize("statut, platform", [
    ("Non démarrée", "À venir"), ("En cours", "En cours"), ("Réalisée", "Réalisé"),
    ("Reportée", "En pause"), ("Abandonnée", "Abandonné"),
    ("Terminée", "Réalisé"), ("Annulée", "Abandonné"), ("A faire", "À venir"),   # synonyms
    ("Bloqué", "Bloqué"), ("en retard", "En retard"), ("À discuter", "A discuter"),
])
def test_statuts_are_mapped(statut, platform):
    plan = small_plan(1)
    data = {t.sheet.key: t.records() for t in plan.tables}
    data["actions"][0]["statut"] = statut
    export = tet_rows(plan.from_records(plan.meta, **data), RULES.vocabulary, RULES.synonyms)
    assert export.erreurs == ()
    assert export.rows[0].cells[TET_COLUMNS.index("Statut")] == platform
    assert platform in PLATFORM_STATUTS


def test_the_example_master_is_refused_with_the_actions_to_fix(run, tmp_path):
    result = run("export", MASTER, "-d", tmp_path / "tet", "--format", "tet")
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "tet").exists()
    for ident in ("JEU-002", "JEU-004", "JEU-007"):       # titles lost in the source plan
        assert f"✖ {ident} (ligne" in result.output
    assert ("« Intitulé de l'action » : 497 caractères pour « Titre de la fiche action », "
            "où la plateforme en accepte 300") in result.output
    assert "Export Territoires en Transitions refusé : 8 actions" in result.output
    report = json.loads(run("export", MASTER, "-d", tmp_path / "tet", "--format", "tet",
                            "--compte-rendu", "json").stdout)
    assert {e["id_action"] for e in report["erreurs"]} == {
        "COH-002", "ENF-005", "JEU-002", "JEU-004", "JEU-007", "PAR-023", "PEN-006", "PEN-007"}
    assert report["written"] == []


@pytest.mark.parametrize("change, words", [
    ({"statut": "Gelée"}, "statut « Gelée » sans équivalent sur la plateforme"),
    ({"intitule": "x" * 301}, "301 caractères pour « Titre de la fiche action »"),
    ({"intitule": None}, "« Titre de la fiche action » est obligatoire"),
    ({"intitule": "Champ obligatoire : accueil"}, "« Champ obligatoire » est ignoré"),
    ({"annee_debut": "2023/24"}, "« Année début » vaut « 2023/24 », qui n'est pas une "),
    ({"echeances": "y" * 10_001}, "10\u202f001 caractères pour « Calendrier »"),
])
def test_a_row_the_platform_would_reject_refuses_the_export(run, tmp_path, change, words):
    plan = small_plan(3)
    data = {t.sheet.key: t.records() for t in plan.tables}
    data["actions"][1].update(change)
    workbook = write_plan(plan.from_records(plan.meta, **data), tmp_path / "enfance.xlsx")
    result = run("export", workbook, "-d", tmp_path / "tet", "--format", "tet")
    assert result.exit_code == 1, result.output
    assert "✖ ENF-002 (ligne 4 du fichier) : " in result.output and words in result.output
    assert not (tmp_path / "tet").exists()


def test_notes_longer_than_the_platform_takes_refuse_the_export(run, tmp_path):
    plan = small_plan(2)
    data = {t.sheet.key: t.records() for t in plan.tables}
    data["offres"] = [{"id_action": "ENF-001", "numero_offre": k, "offre": "o" * 1_000}
                      for k in range(1, 25)]
    export = tet_rows(plan.from_records(plan.meta, **data), RULES.vocabulary, RULES.synonyms)
    assert [e[0] for e in export.erreurs] == ["ENF-001"]
    assert "pour « Notes complémentaires », où la plateforme en accepte 20 000" in \
        export.erreurs[0][2].replace("\u202f", " ")


def test_an_existing_file_is_kept_without_ecraser(run, tmp_path):
    workbook = write_plan(small_plan(2), tmp_path / "enfance.xlsx")
    assert run("export", workbook, "-d", tmp_path / "tet", "--format", "tet").exit_code == 0
    again = run("export", workbook, "-d", tmp_path / "tet", "--format", "tet")
    assert again.exit_code == 2 and "--ecraser" in again.output
    assert run("export", workbook, "-d", tmp_path / "tet", "--format", "tet",
               "--ecraser").exit_code == 0


def test_a_master_becomes_one_file(run, tmp_path):
    """A master of several thématiques: one axis per thématique, every action a row."""
    plan = read_plan(MASTER)
    data = {t.sheet.key: t.records() for t in plan.tables}
    for record in data["actions"]:
        record["intitule"] = (record["intitule"] or "Intitulé à retrouver")[:300]
    export = tet_rows(plan.from_records(plan.meta, **data), RULES.vocabulary, RULES.synonyms)
    assert export.erreurs == ()
    assert len(export.rows) == len(plan.actions) == export.filled["Titre de la fiche action"]
    axes = {row.cells[0] for row in export.rows}
    assert axes == {r["thematique"] for r in data["actions"]}


@settings(max_examples=60, deadline=None)
@given(plan=plans())
def test_any_plan_either_keeps_every_value_or_names_the_action(plan):
    export = tet_rows(plan, RULES.vocabulary, RULES.synonyms)
    refused = {(ident, line) for ident, line, _ in export.erreurs}
    assert len(export.rows) == len(plan.actions)
    for action, row in zip(plan.actions.records(), export.rows):
        if (row.id_action, row.line) in refused:
            continue
        text = "\n".join(str(v) for v in row.cells if v is not None)
        for column in plan.actions.sheet.columns:
            value = action.get(column.key)
            if value is None or column.provenance or column.key in ("oo", "statut"):
                continue
            for piece in str(value).split("\n"):       # tags and titles join lines
                assert piece.strip() in text, (action["id_action"], column.header)
