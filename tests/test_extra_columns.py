"""Columns a service adds to its workbook (« Budget prévisionnel ») are never lost.

They are read as text after the canonical columns, kept by consolidate and split
(back in the service's file under the same header), merged like any field and
reported by diff.
"""

from __future__ import annotations

import json

from consolidation_helpers import service
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ctgxl.consolidation import consolidate_plans, split_plan
from ctgxl.model import Plan
from ctgxl.reader import read_plan
from ctgxl.writer import write_plan

BUDGET = "Budget prévisionnel"


def with_column(plan: Plan, header: str, values) -> Plan:
    """``plan`` whose Actions carry an added column ``header`` (one value per action)."""
    records = plan.actions.records()
    for record, value in zip(records, values):
        record["+" + header] = value
    return plan.replace(actions=type(plan.actions).from_records(plan.actions.sheet.base, records))


def test_an_added_column_survives_write_and_read(tmp_path):
    plan = with_column(service("Enfance", "ENF"), BUDGET, ["1 000 €", None, "250 €"])
    back = read_plan(write_plan(plan, tmp_path / "enfance.xlsx"))
    assert back == plan
    assert [c.header for c in back.actions.sheet.extra_columns] == [BUDGET]
    assert back.actions.column("+" + BUDGET) == ["1 000 €", None, "250 €"]
    assert any(n.code == "colonne-ajoutee" and n.severity == "information" for n in back.notes)


def test_consolidate_then_split_gives_each_service_its_column(run, tmp_path):
    enfance = with_column(service("Enfance", "ENF"), BUDGET, ["1 000 €", "2 000 €", None])
    jeunesse = with_column(service("Jeunesse et vie étudiante", "JEU"), "Quartier",
                           ["Nord", None, "Centre"])
    write_plan(enfance, tmp_path / "enfance.xlsx")
    write_plan(jeunesse, tmp_path / "jeunesse.xlsx")
    master = tmp_path / "pilotage.xlsx"
    assert run("consolidate", tmp_path / "enfance.xlsx", tmp_path / "jeunesse.xlsx",
               "-o", master).exit_code == 0

    # the master shows the added columns after the canonical ones
    headers = [c.value for c in next(load_workbook(master, read_only=True)["Actions"].rows)]
    assert headers[-3:] == ["Ligne source", BUDGET, "Quartier"]

    assert run("split", master, "-d", tmp_path / "retour").exit_code == 0
    for name in ("enfance.xlsx", "jeunesse.xlsx"):
        back = run("diff", tmp_path / name, tmp_path / "retour" / name)
        assert back.exit_code == 0, back.output            # same plan, same added column
    extras = read_plan(tmp_path / "retour" / "enfance.xlsx").actions.sheet.extra_columns
    assert [c.header for c in extras] == [BUDGET]           # not the other service's column


added_headers = st.lists(st.sampled_from([BUDGET, "Quartier", "Référent élu", "Coût (k€)"]),
                         min_size=1, max_size=3, unique=True)
cell = st.one_of(st.none(), st.sampled_from(["12", "Nord", "à voir", "1 500 €", "2025"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_consolidate_then_split_keeps_every_added_column_and_value(data):
    files = []
    for label, code in (("Enfance", "ENF"), ("Parentalité", "PAR")):
        plan = service(label, code, n=3)
        for header in data.draw(added_headers):
            values = data.draw(st.lists(cell, min_size=3, max_size=3))
            values[data.draw(st.integers(0, 2))] = "valeur"      # the column is used
            plan = with_column(plan, header, values)
        files.append((f"{code.lower()}.xlsx", plan))
    result = consolidate_plans(files)
    assert split_plan(result.master, "source", result.sources) == dict(files)


def test_merge_keeps_a_column_added_on_one_side(run, tmp_path):
    base = service("Enfance", "ENF")
    local = with_column(base, BUDGET, ["1 000 €", None, None])
    records = base.actions.records()
    records[1]["porteur"] = "Médiathèque"
    remote = base.replace(actions=type(base.actions).from_records(base.actions.sheet, records))
    paths = []
    for name, plan in (("base", base), ("local", local), ("distant", remote)):
        paths.append(write_plan(plan, tmp_path / f"{name}.xlsx"))
    result = run("merge", *paths, "-o", tmp_path / "fusion.xlsx")
    assert result.exit_code == 0, result.output
    merged = read_plan(tmp_path / "fusion.xlsx").actions
    assert merged.column("+" + BUDGET) == ["1 000 €", None, None]
    assert merged.column("porteur")[1] == "Médiathèque"


def test_diff_reports_an_added_column_and_its_values(run, tmp_path):
    old = service("Enfance", "ENF")
    write_plan(old, tmp_path / "ancien.xlsx")
    write_plan(with_column(old, BUDGET, [None, "300 €", None]), tmp_path / "nouveau.xlsx")
    result = run("diff", tmp_path / "ancien.xlsx", tmp_path / "nouveau.xlsx")
    assert result.exit_code == 1
    assert f"colonnes ajoutées : « {BUDGET} »" in result.output
    assert f"{BUDGET} : (vide) → « 300 € »" in result.output
    doc = json.loads(run("diff", tmp_path / "ancien.xlsx", tmp_path / "nouveau.xlsx",
                         "--format", "json").stdout)
    assert doc["identical"] is False
    assert doc["columns"] == {"actions": {"added": [BUDGET], "removed": []}}


def test_an_empty_added_column_is_still_a_difference(run, tmp_path):
    old = service("Enfance", "ENF")
    write_plan(old, tmp_path / "ancien.xlsx")
    write_plan(with_column(old, BUDGET, [None, None, None]), tmp_path / "nouveau.xlsx")
    result = run("diff", tmp_path / "ancien.xlsx", tmp_path / "nouveau.xlsx")
    assert result.exit_code == 1 and "colonnes ajoutées" in result.output


def test_a_second_column_for_a_canonical_header_is_not_an_added_column(tmp_path):
    from workbooks import write_grid

    from ctgxl.catalogue import META_SHEET

    path = write_grid(tmp_path / "double.xlsx", {
        "Actions": [["ID action", "Porteur(s) de projet", "Pilote"], ["ENF-001", "RPE", "CAF"]],
        META_SHEET: [["Version du modèle", "1.0"]],
    })
    plan = read_plan(path)
    assert plan.actions.sheet.extra_columns == ()
    assert [n.code for n in plan.notes if n.cell == "C1"] == ["colonne-inconnue"]
