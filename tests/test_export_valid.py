"""Every package ``ctgxl export`` writes passes ``frictionless validate``: orphan rows of a
master consolidated with ``--forcer`` go to their own resource, a constraint the rows break
is not declared, and the report says both."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from compare_helpers import plans
from ctgxl.export import export_plan, read_package
from ctgxl.reader import read_plan
from ctgxl.validation import load_rules
from ctgxl.writer import write_plan
from workbooks import small_plan

RULES = load_rules()


def frictionless_errors(folder: Path) -> list:
    from frictionless import validate

    report = validate(str(folder / "datapackage.json"))
    return [] if report.valid else report.flatten(["rowNumber", "fieldName", "type", "note"])


def with_rows(plan, **tables):
    data = {t.sheet.key: t.records() for t in plan.tables}
    for key, change in tables.items():
        data[key] = change(data[key])
    return plan.from_records(plan.meta, **data)


@pytest.fixture
def forced_master(run, tmp_path) -> Path:
    """A master consolidated with --forcer from a service workbook holding orphans: an
    offer, an indicator and a follow-up row whose ID action is in no Actions row."""
    plan = with_rows(
        small_plan(3),
        offres=lambda rows: rows[:1] + [{"id_action": "ENF-099", "numero_offre": 1,
                                         "offre": "Ludothèque itinérante"}] + rows[1:],
        indicateurs=lambda rows: rows + [{"id_action": "ENF-097", "numero_indicateur": 1,
                                          "libelle": "Nombre de familles"}],
        suivi=lambda rows: rows + [{"id_action": "ENF-098", "annee": 2024,
                                    "statut": "En cours"}])
    workbook = write_plan(plan, tmp_path / "enfance.xlsx")
    result = run("consolidate", workbook, "-o", tmp_path / "pilotage.xlsx", "--forcer")
    assert result.exit_code in (0, 1), result.output
    return tmp_path / "pilotage.xlsx"


def test_a_forced_master_with_orphans_exports_a_valid_package(run, tmp_path, forced_master):
    folder = tmp_path / "donnees"
    result = run("export", forced_master, "-d", folder)
    assert result.exit_code == 0, result.output
    assert frictionless_errors(folder) == []
    assert ("Offres : 1 ligne dont l'ID action n'est dans aucune ligne d'Actions "
            "(« ENF-099 »)") in result.output
    assert "offres_orphelines.csv" in result.output
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["offres"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "actions"
    assert "foreignKeys" not in resources["offres_orphelines"]["schema"]
    with open(folder / "offres_orphelines.csv", encoding="utf-8", newline="") as handle:
        orphans = list(csv.DictReader(handle))
    assert [(o["rang"], o["id_action"], o["offre"]) for o in orphans] == [
        ("2", "ENF-099", "Ludothèque itinérante")]
    with open(folder / "offres.csv", encoding="utf-8", newline="") as handle:
        assert "ENF-099" not in handle.read()
    assert read_package(folder).plan == read_plan(forced_master)   # orphans back in place


def test_the_json_report_counts_the_orphans(run, tmp_path, forced_master):
    result = run("export", forced_master, "-d", tmp_path / "d", "--compte-rendu", "json")
    report = json.loads(result.stdout)
    assert report["orphelines"] == {"offres": 1, "indicateurs": 1, "suivi": 1}
    assert any("suivi_orphelines.csv" in note for note in report["notes"])


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_orphans_come_back_in_place_from_json_and_parquet(tmp_path, forced_master, fmt):
    plan = read_plan(forced_master)
    export_plan(plan, tmp_path, fmt, RULES.vocabulary, name="p",
                multi_value_lists=RULES.multi_value_lists)
    assert (tmp_path / f"offres_orphelines.{fmt}").exists()
    assert read_package(tmp_path).plan == plan


def test_constraints_the_rows_break_are_not_declared_and_said(tmp_path):
    def actions(rows):
        rows[1]["statut"] = "Fini"                     # outside the list
        rows[2]["id_action"] = rows[0]["id_action"]    # an ID twice
        return rows

    plan = with_rows(small_plan(3), actions=actions,
                     offres=lambda rows: [{**rows[0], "offre": None, "numero_offre": None}])
    result = export_plan(plan, tmp_path, "csv", RULES.vocabulary, name="p",
                         multi_value_lists=RULES.multi_value_lists)
    assert frictionless_errors(tmp_path) == []
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    actions = {f["name"]: f for f in resources["actions"]["schema"]["fields"]}
    assert "enum" not in actions["statut"].get("constraints", {})
    assert "enum" in actions["thematique"]["constraints"]           # the others stay
    assert "primaryKey" not in resources["actions"]["schema"]
    offres = {f["name"]: f for f in resources["offres"]["schema"]["fields"]}
    assert "required" not in offres["numero_offre"].get("constraints", {})
    notes = "\n".join(result.notes)
    assert "Actions : la colonne « Statut » contient des valeurs hors de sa liste (« Fini »)" \
        in notes
    assert "Actions : identifiants en double ou incomplets (« ENF-001 »)" in notes
    assert "Offres : 1 ligne sans « N° offre », colonne obligatoire" in notes
    assert read_package(tmp_path).plan == plan


def test_a_clean_plan_declares_every_constraint(tmp_path):
    result = export_plan(small_plan(3), tmp_path, "csv", RULES.vocabulary, name="p",
                         multi_value_lists=RULES.multi_value_lists)
    assert result.notes == () and result.orphans == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "actions.csv", "datapackage.json", "indicateurs.csv", "offres.csv", "plan.csv",
        "suivi.csv"]


def test_an_export_without_orphans_replaces_an_earlier_orphans_file(run, tmp_path,
                                                                      forced_master):
    folder = tmp_path / "donnees"
    assert run("export", forced_master, "-d", folder).exit_code == 0
    clean = write_plan(small_plan(3), tmp_path / "propre.xlsx")
    refused = run("export", clean, "-d", folder)
    assert refused.exit_code == 2 and "--ecraser" in refused.output
    assert run("export", clean, "-d", folder, "--ecraser").exit_code == 0
    assert not (folder / "offres_orphelines.csv").exists()
    assert frictionless_errors(folder) == []


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans())
def test_any_plan_exports_a_valid_package(tmp_path_factory, plan):
    for flavour in ("donnees-ouvertes", "bureautique"):
        folder = tmp_path_factory.mktemp("csv")
        export_plan(plan, folder, "csv", RULES.vocabulary, name="p",
                    multi_value_lists=RULES.multi_value_lists, flavour=flavour)
        assert frictionless_errors(folder) == []


def test_orphans_without_their_rank_come_back_last_and_a_rank_header_is_a_column(tmp_path,
                                                                                 forced_master):
    plan = read_plan(forced_master)
    export_plan(plan, tmp_path, "csv", RULES.vocabulary, name="p",
                multi_value_lists=RULES.multi_value_lists)
    def rewrite(name, change):
        with open(tmp_path / name, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(change(rows))

    rewrite("offres_orphelines.csv", lambda rows: [r[1:] for r in rows])   # no rank column
    back = read_package(tmp_path).plan.offres.records()
    assert back[-1]["id_action"] == "ENF-099" and len(back) == len(plan.offres)
    rewrite("actions.csv", lambda rows: [rows[0] + ["rank"]] + [r + ["deux"] for r in rows[1:]])
    actions = read_package(tmp_path).plan.actions.records()      # a service's column « rank »
    assert actions[0]["+rank"] == "deux"
    assert actions[0]["public"] == plan.actions.records()[0]["public"]
