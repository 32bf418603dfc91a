"""What a user typed is kept as typed, and nothing is reported that did not happen.

- a date typed into a text column stays the French date the user typed;
- a date typed into « Année début » gets the year as suggestion;
- diff of a base against a merge that duplicated an ID reports the duplicate, not
  false modifications of rows paired by order;
- consolidate's totals count every file given.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from compare_helpers import action, plan_of
from openpyxl import load_workbook

from ctgxl.reader import read_plan
from ctgxl.writer import write_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _with_dates(tmp_path: Path) -> Path:
    path = tmp_path / "dates.xlsx"
    shutil.copy(EXAMPLES / "enfance.xlsx", path)
    wb = load_workbook(path)
    ws = wb["Actions"]
    headers = {c.value: c.column for c in ws[1]}
    for row, header, value in ((2, "Échéances / calendrier", dt.datetime(2025, 9, 1)),
                               (3, "Année début", dt.datetime(2025, 3, 1))):
        ws.cell(row, headers[header], value).number_format = "DD/MM/YYYY"
    wb.save(path)
    return path


def test_a_date_in_a_text_column_is_kept_as_typed(tmp_path):
    plan = read_plan(_with_dates(tmp_path))
    assert plan.actions.records()[0]["echeances"] == "01/09/2025"


def test_a_date_in_annee_debut_gets_the_year_as_suggestion(run, tmp_path):
    doc = json.loads(run("validate", _with_dates(tmp_path), "--format", "json").stdout)
    (finding,) = [f for f in doc["files"][0]["findings"] if f["cell"] == "K3"]
    assert finding["code"] == "annee-invalide" and finding["suggestion"] == "2025"


def test_diff_reports_a_duplicated_id_instead_of_false_changes(run, tmp_path):
    base = plan_of([action(1), action(2), action(3)])
    # the merge kept ENF-002 and added another action under the same ID, *before* it
    intruder = action(9, id_action="ENF-002", intitule="Ludothèque itinérante dans les quartiers",
                      porteur="Ludothèque", public="Familles")
    merged = plan_of([action(1), intruder, action(2), action(3)])
    write_plan(base, tmp_path / "base.xlsx")
    write_plan(merged, tmp_path / "fusion.xlsx")
    result = run("diff", tmp_path / "base.xlsx", tmp_path / "fusion.xlsx")
    assert result.exit_code == 1
    assert "ENF-002 : identifiant en double (ancien : 1 ligne, nouveau : 2 lignes)" in result.output
    assert "modifiée" not in result.output and "renumérotée" not in result.output
    assert "ajoutées : 1" in result.output and "inchangées : 3" in result.output
    doc = json.loads(run("diff", tmp_path / "base.xlsx", tmp_path / "fusion.xlsx",
                         "--format", "json").stdout)
    assert doc["duplicates"] == {"actions": [{"key": {"id_action": "ENF-002"}, "old": 1,
                                              "new": 2}]}
    assert [r["kind"] for r in doc["tables"]["actions"]] == ["ajoutee"]


def test_consolidate_counts_every_file_in_its_totals(run, tmp_path):
    names = ["enfance.xlsx", "jeunesse.xlsx", "parentalite.xlsx", "petite_enfance.xlsx",
             "cohesion_sociale.xlsx"]
    for name in names:
        shutil.copy(EXAMPLES / name, tmp_path / name)
    assert run("template", "-o", tmp_path / "vierge.xlsx", "--thematique", "Enfance").exit_code == 0
    files = [tmp_path / n for n in [*names, "vierge.xlsx"]]
    refused = run("consolidate", *files, "-o", tmp_path / "pilotage.xlsx")
    assert refused.exit_code == 1
    assert "Total : 6 fichiers" in refused.output
    assert "sur 6 ont des erreurs" in refused.stderr
    doc = json.loads(run("consolidate", *files, "-o", tmp_path / "pilotage.xlsx",
                         "--format", "json").stdout)
    assert doc["totals"]["files"] == 6 and len(doc["validation"]["files"]) == 6
