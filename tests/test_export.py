"""``ctgxl export``: the plan as a Frictionless Data Package (CSV, JSON, Parquet) or as .ods,
and ``ctgxl import datapackage.json`` back to the same plan."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from compare_helpers import plans
from ctgxl.catalogue import TEMPLATE_VERSION
from ctgxl.export import export_plan, read_package
from ctgxl.reader import read_plan
from ctgxl.validation import load_rules
from ctgxl.writer import write_plan
from workbooks import small_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MASTER = EXAMPLES / "suivi_fictif" / "pilotage_2025_fictif.xlsx"
RULES = load_rules()
NAMES = ["actions", "offres", "plan", "indicateurs", "suivi"]


def exported(plan, folder: Path, fmt: str = "csv"):
    return export_plan(plan, folder, fmt, RULES.vocabulary, name="plan-ctg", source="plan.xlsx",
                       multi_value_lists=RULES.multi_value_lists)


@pytest.mark.parametrize("workbook", [*sorted(EXAMPLES.glob("*.xlsx")), MASTER],
                         ids=lambda p: p.stem)
def test_frictionless_validates_the_export_of_every_example(run, tmp_path, workbook):
    from frictionless import validate

    result = run("export", workbook, "-d", tmp_path)
    assert result.exit_code == 0, result.output
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{n}.csv" for n in NAMES] + ["datapackage.json"])


def test_the_descriptor_says_types_lists_keys_and_links(tmp_path):
    exported(read_plan(MASTER), tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert package["ctgxl"]["template_version"] == TEMPLATE_VERSION
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == NAMES
    actions = {f["name"]: f for f in resources["actions"]["schema"]["fields"]}
    assert actions["id_action"]["title"] == "ID action"
    assert actions["id_action"]["constraints"] == {"required": True}
    assert actions["annee_debut"]["type"] == "integer"
    assert actions["statut"]["constraints"]["enum"] == list(RULES.vocabulary.values("statuts"))
    assert "enum" not in actions["parcours"].get("constraints", {})   # several values a cell
    assert resources["actions"]["schema"]["primaryKey"] == ["id_action"]
    assert resources["offres"]["schema"]["primaryKey"] == ["id_action", "numero_offre"]
    assert "primaryKey" not in resources["suivi"]["schema"]     # N° indicateur may be empty
    assert resources["suivi"]["schema"]["foreignKeys"] == [
        {"fields": ["id_action"], "reference": {"resource": "actions", "fields": ["id_action"]}}]
    suivi = {f["name"]: f for f in resources["suivi"]["schema"]["fields"]}
    assert suivi["valeur"]["type"] == "number"


def test_csv_is_utf8_with_a_header_row_and_machine_numbers(tmp_path):
    plan = small_plan(2)
    data = {t.sheet.key: t.records() for t in plan.tables}
    data["suivi"][0]["valeur"] = 68.5
    plan = plan.from_records(plan.meta, **data)
    exported(plan, tmp_path)
    with open(tmp_path / "actions.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["id_action", "thematique", "axe"]
    assert rows[1][rows[0].index("public")] == "Élèves des écoles communautaires\net enfants des ALSH"
    with open(tmp_path / "suivi.csv", encoding="utf-8", newline="") as handle:
        suivi = list(csv.DictReader(handle))
    assert suivi[0]["valeur"] == "68.5" and suivi[0]["annee"] == "2024"


def test_a_text_in_a_number_column_is_exported_as_text_and_said(tmp_path):
    plan = small_plan(2)
    data = {t.sheet.key: t.records() for t in plan.tables}
    data["actions"][0]["annee_debut"] = "2023/24"
    result = exported(plan.from_records(plan.meta, **data), tmp_path)
    assert any("« Année début »" in note for note in result.notes)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["annee_debut"]["type"] == "string"
    assert read_package(tmp_path).plan.actions.records()[0]["annee_debut"] == "2023/24"


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_the_example_master_comes_back_equal(tmp_path, fmt):
    plan = read_plan(MASTER)
    exported(plan, tmp_path, fmt)
    assert read_package(tmp_path / "datapackage.json").plan == plan


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans())
def test_any_plan_comes_back_equal_from_csv_and_json(tmp_path_factory, plan):
    for fmt in ("csv", "json"):
        folder = tmp_path_factory.mktemp(fmt)
        exported(plan, folder, fmt)
        assert read_package(folder).plan == plan


def test_added_columns_travel_with_the_data(tmp_path):
    plan = small_plan(2)
    data = {t.sheet.key: t.records() for t in plan.tables}
    data["actions"][0]["+Budget prévisionnel"] = "12 000 €"
    plan = plan.from_records(plan.meta, **data)
    exported(plan, tmp_path)
    back = read_package(tmp_path).plan
    assert back == plan
    assert back.actions.records()[0]["+Budget prévisionnel"] == "12 000 €"


def test_import_of_the_package_writes_the_workbook_back(run, tmp_path):
    assert run("export", MASTER, "-d", tmp_path / "donnees").exit_code == 0
    result = run("import", tmp_path / "donnees" / "datapackage.json", "-d", tmp_path / "retour")
    assert result.exit_code == 0, result.output
    back = tmp_path / "retour" / MASTER.name
    assert read_plan(back) == read_plan(MASTER)
    assert "classeur écrit" in result.output


def test_json_report_and_refusals(run, tmp_path):
    result = run("export", MASTER, "-d", tmp_path, "--compte-rendu", "json")
    report = json.loads(result.stdout)
    assert report["schema"] == "ctgxl-export" and report["rows"]["actions"] == 206
    again = run("export", MASTER, "-d", tmp_path)
    assert again.exit_code == 2 and "--ecraser" in again.output
    missing = run("export", tmp_path / "absent.xlsx", "-d", tmp_path / "x")
    assert missing.exit_code == 2 and "fichier introuvable" in missing.output
    (tmp_path / "actions.csv").unlink()
    broken = run("import", tmp_path / "datapackage.json", "-d", tmp_path / "y")
    assert broken.exit_code == 2 and "actions.csv : fichier introuvable" in broken.output


def fail_on_the_fourth_table(monkeypatch) -> None:
    """The fourth table of an export cannot be written (the disk is full by then)."""
    import errno

    from ctgxl import export

    calls = []
    write = export.WRITERS["csv"]

    def full(rows, schema, *args):
        calls.append(schema["fields"][0]["name"])
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return write(rows, schema, *args)

    monkeypatch.setitem(export.WRITERS, "csv", full)


def files_of(folder: Path) -> dict[str, bytes | None]:
    """Each entry of ``folder`` and its bytes (None: a folder)."""
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir())}


def test_an_export_that_fails_midway_leaves_no_file(run, tmp_path, monkeypatch):
    fail_on_the_fourth_table(monkeypatch)
    result = run("export", MASTER, "-d", tmp_path / "donnees")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("écriture impossible (disque plein)")
    assert list(tmp_path.iterdir()) == []            # no folder, no temporary left


def test_an_export_that_fails_midway_keeps_the_earlier_export(run, tmp_path, monkeypatch):
    folder = tmp_path / "donnees"
    assert run("export", EXAMPLES / "enfance.xlsx", "-d", folder).exit_code == 0
    (folder / "notes.txt").write_text("à garder", encoding="utf-8")
    before = files_of(folder)
    fail_on_the_fourth_table(monkeypatch)
    result = run("export", MASTER, "-d", folder, "--ecraser")
    assert result.exit_code == 2, result.output
    assert files_of(folder) == before


def test_a_file_that_cannot_be_replaced_puts_the_earlier_ones_back(run, tmp_path):
    folder = tmp_path / "donnees"
    assert run("export", EXAMPLES / "enfance.xlsx", "-d", folder).exit_code == 0
    (folder / "indicateurs.csv").unlink()
    (folder / "indicateurs.csv").mkdir()             # a name that cannot take a file
    before = files_of(folder)
    result = run("export", MASTER, "-d", folder, "--ecraser")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("indicateurs.csv : est un dossier, pas un nom de fichier")
    assert files_of(folder) == before                # actions.csv, datapackage.json put back


@pytest.mark.soffice
def test_ods_export_reads_back_the_same_plan_with_lists_and_frozen_headers(run, tmp_path):
    from conftest import SOFFICE

    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) absent")
    workbook = write_plan(small_plan(3), tmp_path / "enfance.xlsx")
    result = run("export", workbook, "-d", tmp_path / "ods", "--format", "ods")
    assert result.exit_code == 0, result.output
    ods = tmp_path / "ods" / "enfance.ods"
    assert read_plan(ods) == read_plan(workbook)
    with zipfile.ZipFile(ods) as archive:
        assert archive.infolist()[0].filename == "mimetype"
        content = archive.read("content.xml").decode("utf-8")
        settings_xml = archive.read("settings.xml").decode("utf-8")
    assert "table:content-validation" in content          # the dropdown lists
    actions = settings_xml.split('config:name="Actions">')[1].split("</config:config-item-map-entry>")[0]
    assert 'config:name="HorizontalSplitPosition" config:type="int">1<' in actions
    assert 'config:name="VerticalSplitPosition" config:type="int">1<' in actions
