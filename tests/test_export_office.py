"""``ctgxl export --csv bureautique``: CSV files a French Excel or LibreOffice Calc opens as
they are (UTF-8 with BOM, semicolon, decimal comma, French headers, formulas neutralised),
side by side with the open-data flavour, which keeps every value raw."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from compare_helpers import plans
from conftest import SOFFICE
from ctgxl.export import export_plan, read_package
from ctgxl.reader import read_plan
from ctgxl.validation import load_rules
from ctgxl.values import parse_number
from workbooks import small_plan

ROOT = Path(__file__).resolve().parent.parent
MASTER = ROOT / "examples" / "suivi_fictif" / "pilotage_2025_fictif.xlsx"
RULES = load_rules()
# What a user's Calc (7.4) proposes for a .csv: its import dialog's defaults, read from the
# installed registry (Calc/Dialogs/CSVImport): comma, semicolon AND tab as separators, double
# quote, no « detect special numbers », formulas not evaluated; the file's UTF-8 is told by
# its BOM, the language is French (1036). Calc 7.4 has no separator detection of its own.
CALC_AS_A_USER = ("Text - txt - csv (StarCalc):44/59/9,34,76,1,,1036,false,false,false,false,"
                  "false,0,false")

TRICKY = {   # texts a plan holds that a CSV reader can get wrong
    "intitule": "Accueil ; loisirs, « cinéma » et \"musée\"\nsur deux lignes",
    "porteur": "=HYPERLINK(\"http://exemple.org\";\"clic\")",
    "public": "- Enfants de 3 à 11 ans\n- Familles",
    "partenaires": "+33 5 58 00 00 00, CAF\tdes Landes",
    "moyens_humains": "@équipe périscolaire",
    "moyens_techniques": "'Déjà écrit avec une apostrophe",
    "moyens_financiers": "12,5 k€",
    "echeances": "01/09/2025",
    "objectif": "1.1",
    "numero": "3",
    "commentaire": "Œuvre 😀 à suivre",
}


def tricky_plan():
    plan = small_plan(2)
    data = {t.sheet.key: t.records() for t in plan.tables}
    data["actions"][0].update(TRICKY)
    data["suivi"][0]["valeur"] = 68.5
    data["indicateurs"][0]["reference"] = -2.25
    return plan.from_records(plan.meta, **data)


def exported(plan, folder: Path, flavour: str):
    return export_plan(plan, folder, "csv", RULES.vocabulary, name="p", source="enfance.xlsx",
                       multi_value_lists=RULES.multi_value_lists, flavour=flavour)


def test_office_csv_is_utf8_bom_semicolon_crlf_decimal_comma_and_french_headers(tmp_path):
    result = exported(tricky_plan(), tmp_path, "bureautique")
    data = (tmp_path / "actions.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\"ID action\";\"Th\xc3\xa9matique\";")
    assert data.count(b"\r\n") >= 3 and b";" in data
    with open(tmp_path / "actions.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    first = rows[0]
    assert first["Intitulé de l'action"] == TRICKY["intitule"]
    assert first["Porteur(s) de projet"] == "'" + TRICKY["porteur"]
    assert first["Public visé"] == "'" + TRICKY["public"]
    assert first["Partenaires"] == "'" + TRICKY["partenaires"]
    assert first["Moyens humains"] == "'" + TRICKY["moyens_humains"]
    assert first["Moyens techniques"] == "'" + TRICKY["moyens_techniques"]
    assert first["Échéances / calendrier"] == "01/09/2025"
    with open(tmp_path / "suivi.csv", encoding="utf-8-sig", newline="") as handle:
        suivi = list(csv.DictReader(handle, delimiter=";"))
    assert suivi[0]["Valeur atteinte"] == "68,5" and suivi[0]["Année"] == "2024"
    assert b'"68,5"' in (tmp_path / "suivi.csv").read_bytes()   # quoted: comma-proof
    assert result.neutralised == 4          # =, -, +, @ (the apostrophe one is not a formula)


def test_open_data_csv_keeps_every_value_raw(tmp_path):
    result = exported(tricky_plan(), tmp_path, "donnees-ouvertes")
    data = (tmp_path / "actions.csv").read_bytes()
    assert data.startswith(b"id_action,thematique,")
    with open(tmp_path / "actions.csv", encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    for key, value in TRICKY.items():
        assert first[key] == value
    with open(tmp_path / "suivi.csv", encoding="utf-8", newline="") as handle:
        assert next(csv.DictReader(handle))["valeur"] == "68.5"
    assert result.neutralised == 0


def test_both_dialects_are_declared_and_both_packages_valid(tmp_path):
    from frictionless import validate

    for flavour, delimiter in (("donnees-ouvertes", ","), ("bureautique", ";")):
        folder = tmp_path / flavour
        exported(tricky_plan(), folder, flavour)
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        assert package["ctgxl"]["csv"] == flavour
        resources = {r["name"]: r for r in package["resources"]}
        assert resources["actions"]["dialect"]["delimiter"] == delimiter
        assert resources["actions"]["encoding"] == "utf-8"
        valeur = resources["suivi"]["schema"]["fields"][4]
        assert valeur["type"] == "number"
        assert valeur.get("decimalChar", ".") == ("," if flavour == "bureautique" else ".")
        report = validate(str(folder / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


@pytest.mark.parametrize("workbook", [*sorted((ROOT / "examples").glob("*.xlsx")), MASTER],
                         ids=lambda p: p.stem)
def test_the_office_export_of_every_example_is_valid_and_comes_back_equal(tmp_path, workbook):
    from frictionless import validate

    plan = read_plan(workbook)
    exported(plan, tmp_path, "bureautique")
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert read_package(tmp_path).plan == plan


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans())
def test_any_plan_comes_back_equal_from_the_office_flavour(tmp_path_factory, plan):
    folder = tmp_path_factory.mktemp("bureautique")
    exported(plan, folder, "bureautique")
    assert read_package(folder).plan == plan


def test_the_report_says_how_many_cells_were_neutralised(run, tmp_path):
    from ctgxl.writer import write_plan

    workbook = write_plan(tricky_plan(), tmp_path / "enfance.xlsx")
    text = run("export", workbook, "-d", tmp_path / "a", "--csv", "bureautique")
    assert text.exit_code == 0, text.output
    assert "Export csv bureautique écrit" in text.output
    assert ("Cellules neutralisées (texte commençant par =, +, -, @ : « ' » ajoutée devant) : "
            "4.") in text.output
    report = json.loads(run("export", workbook, "-d", tmp_path / "b", "--csv", "bureautique",
                            "--compte-rendu", "json").stdout)
    assert report["csv"] == "bureautique" and report["cellules_neutralisees"] == 4
    raw = json.loads(run("export", workbook, "-d", tmp_path / "c", "--compte-rendu",
                         "json").stdout)
    assert raw["csv"] == "donnees-ouvertes" and raw["cellules_neutralisees"] == 0


def test_the_office_flavour_is_for_csv_only(run, tmp_path):
    result = run("export", MASTER, "-d", tmp_path / "x", "--format", "json", "--csv",
                 "bureautique")
    assert result.exit_code == 2 and "--csv ne s'applique qu'au format csv" in result.output
    assert not (tmp_path / "x").exists()


# -- opened by LibreOffice Calc as a French user's ------------------------------------------

def calc_opens(csv_path: Path, outdir: Path) -> list[list]:
    """The cells LibreOffice Calc makes of ``csv_path`` with a French user's import
    settings, saved as .xlsx and read back."""
    import openpyxl

    profile = outdir / ".lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    f"--infilter={CALC_AS_A_USER}", "--convert-to", "xlsx", "--outdir",
                    str(outdir), str(csv_path)], capture_output=True, timeout=180, check=False)
    target = outdir / (csv_path.stem + ".xlsx")
    assert target.exists(), f"LibreOffice n'a pas converti {csv_path.name}"
    sheet = openpyxl.load_workbook(target).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def shown_as_expected(cell, value) -> bool:
    """Whether Calc's ``cell`` shows the plan's ``value`` (in the office flavour)."""
    if value is None:
        return cell in (None, "")
    if type(value) in (int, float):
        return type(cell) in (int, float) and abs(cell - value) < 1e-9
    text = "'" + value if value.startswith(("=", "+", "-", "@", "'")) else value
    if type(cell) in (int, float):       # Calc reads a text made of a number as that number
        return parse_number(text) == cell
    return cell == text


@pytest.mark.soffice
def test_calc_finds_every_value_in_its_column(tmp_path):
    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) absent")
    plan = tricky_plan()
    exported(plan, tmp_path / "csv", "bureautique")
    for table in plan.tables:
        cells = calc_opens(tmp_path / "csv" / f"{table.sheet.key}.csv", tmp_path / "calc")
        assert cells[0] == list(table.sheet.headers)
        assert len(cells) == len(table.rows) + 1
        for number, (row, shown) in enumerate(zip(table.rows, cells[1:]), start=2):
            assert len(shown) == len(row)
            for column, value, cell in zip(table.sheet.columns, row, shown):
                assert shown_as_expected(cell, value), (
                    f"{table.sheet.name} ligne {number}, « {column.header} » : {cell!r} "
                    f"au lieu de {value!r}")


@pytest.mark.soffice
def test_calc_opens_the_example_master_column_by_column(tmp_path):
    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) absent")
    plan = read_plan(MASTER)
    exported(plan, tmp_path / "csv", "bureautique")
    cells = calc_opens(tmp_path / "csv" / "actions.csv", tmp_path / "calc")
    assert len(cells) == len(plan.actions) + 1
    wrong = [(n, c.header) for n, (row, shown) in enumerate(zip(plan.actions.rows, cells[1:]), 2)
             for c, value, cell in zip(plan.actions.sheet.columns, row, shown)
             if not shown_as_expected(cell, value)]
    assert wrong == []
