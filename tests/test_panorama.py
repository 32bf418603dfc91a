"""``ctgxl panorama``: the plans of several territories in one workbook or Data Package."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ctgxl.loading import sheet_rows
from panorama_helpers import example_plans, siren, territory_plan, write_territory

SMALL = ["cohesion_sociale", "parentalite"]     # 34 actions: fast to read and check


@pytest.fixture(scope="module")
def plans():
    return example_plans(SMALL)


@pytest.fixture(scope="module")
def territories(tmp_path_factory, plans):
    """Three territories' folders; 0 and 7 use the same IDs (the same shift)."""
    root = tmp_path_factory.mktemp("territoires")
    return [write_territory(root / f"t{k}", k, plans) for k in (0, 1, 7)]


def table(path: Path, sheet: str) -> list[dict]:
    rows = sheet_rows(path, sheet)
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_one_row_per_territory_and_every_action_with_its_territory(run, tmp_path, territories,
                                                                    plans):
    out = tmp_path / "panorama.xlsx"
    result = run("panorama", *territories, "-o", out)
    assert result.exit_code == 0, result.output
    rows = table(out, "Territoires")
    assert [(r["Territoire"], r["Code du territoire"]) for r in rows] == [
        ("Territoire 0000", siren(0)), ("Territoire 0001", siren(1)),
        ("Territoire 0007", siren(7))]
    for k, row in zip((0, 1, 7), rows):
        made = [territory_plan(p, k) for p in plans.values()]
        statuts = Counter(s for p in made for s in p.actions.column("statut"))
        assert row["Actions"] == sum(len(p.actions) for p in made) == 34
        assert row["Réalisée"] == statuts["Réalisée"]
        assert row["Part réalisées"] == pytest.approx(statuts["Réalisée"] / 34)
        assert row["Fichiers"] == 2 and row["Dernière année de suivi"] == 2023 + k % 3
    actions = table(out, "Actions")
    assert len(actions) == 102
    # the same ID in two territories is normal: the identity is the code and the ID
    keys = Counter((a["Code du territoire"], a["ID action"]) for a in actions)
    assert max(keys.values()) == 1
    ids = Counter(a["ID action"] for a in actions)
    assert ids["COH-101"] == 2 and {a["Code du territoire"] for a in actions
                                    if a["ID action"] == "COH-101"} == {siren(0), siren(7)}
    assert {s for s in ("Synthèse", "Lisez-moi", "Thématiques", "Fichiers", "Constats")} <= set(
        read_sheet_names(out))


def read_sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        return list(book.sheet_names)
    finally:
        book.close()


def test_the_same_territory_twice_is_an_erreur_and_counted_once(run, tmp_path, territories):
    out = tmp_path / "panorama.xlsx"
    result = run("panorama", territories[0], territories[1], territories[0], "-o", out,
                 "--compte-rendu", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [t["code_territoire"] for t in document["territories"]] == [siren(0), siren(1)]
    twice, = [f for f in document["findings"] if f["code"] == "territoire-en-double"]
    assert twice["severity"] == "erreur" and siren(0) in twice["message"]
    assert document["totals"]["actions"] == 68


def test_a_workbook_of_another_territory_in_a_folder_names_both(run, tmp_path, plans):
    from ctgxl.writer import write_plan

    folder = write_territory(tmp_path / "t3", 3, plans)
    write_plan(territory_plan(plans["parentalite"], 4), folder / "parentalite.xlsx")
    result = run("panorama", folder, "-o", tmp_path / "p.xlsx", "--compte-rendu", "json")
    assert result.exit_code == 1
    clash, = [f for f in json.loads(result.stdout)["findings"]
              if f["code"] == "territoire-different"]
    assert "Territoire 0003" in clash["message"] and "Territoire 0004" in clash["message"]
    assert clash["file"].endswith("parentalite.xlsx")


def test_figures_of_a_master_are_those_of_its_folder(run, tmp_path, territories):
    master = tmp_path / "pilotage.xlsx"
    assert run("consolidate", territories[1], "-o", master, "--forcer").exit_code == 1
    by_folder = tmp_path / "dossier.xlsx"
    by_master = tmp_path / "pilotage-panorama.xlsx"
    assert run("panorama", territories[1], "-o", by_folder).exit_code == 0
    assert run("panorama", master, "-o", by_master).exit_code == 0
    folder_row, = table(by_folder, "Territoires")
    master_row, = table(by_master, "Territoires")
    assert folder_row.pop("Entrée") == "t1" and master_row.pop("Entrée") == "pilotage.xlsx"
    assert master_row == folder_row      # the check results come from its Sources sheet
    files = [r["Fichier"] for r in table(by_master, "Fichiers")]
    assert files == ["pilotage.xlsx › cohesion_sociale.xlsx", "pilotage.xlsx › parentalite.xlsx"]


def test_the_budget_is_read_where_it_is_written(tmp_path):
    from ctgxl.model import Meta, Plan
    from ctgxl.panorama.facts import file_facts

    actions = [{"id_action": f"ENF-00{i}", "thematique": "Enfance", "intitule": "Action",
                "moyens_financiers": money} for i, money in enumerate(
        ["15 000 € dont 5 000 € CAF", "12,5 k€", "Subvention de l'agglomération", None], 1)]
    offres = [{"id_action": "ENF-004", "numero_offre": n, "offre": "Atelier",
               "moyens_financiers": f"{n * 1000} euros"} for n in (1, 2)]
    plan = Plan.from_records(Meta("Enfance"), actions=actions, offres=offres)
    facts = file_facts(plan, "enfance.xlsx")
    assert [r[9] for r in facts.rows] == [15000.0, 12500.0, None, 3000.0]
    assert (facts.figures.budget, facts.figures.with_budget) == (30500.0, 3)


def test_a_csv_data_package_a_database_can_query(run, tmp_path, territories):
    from frictionless import validate

    folder = tmp_path / "ouvert"
    result = run("panorama", *territories, "-d", folder, "--format", "csv")
    assert result.exit_code == 0, result.output
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    import csv

    with open(folder / "actions.csv", encoding="utf-8") as handle:
        actions = list(csv.DictReader(handle))
    assert len(actions) == 102 and {a["indicateurs"] for a in actions} <= {"true", "false"}
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in descriptor["resources"]] == [
        "territoires", "thematiques", "statuts", "actions", "fichiers", "constats"]


def test_a_parquet_data_package(run, tmp_path, territories):
    import pyarrow.parquet as pq

    folder = tmp_path / "ouvert"
    assert run("panorama", *territories, "-d", folder, "--format", "parquet").exit_code == 0
    actions = pq.read_table(folder / "actions.parquet")
    assert actions.num_rows == 102
    assert str(actions.schema.field("budget").type) == "double"
    assert set(actions.column("code_territoire").to_pylist()) == {siren(0), siren(1), siren(7)}
    statuts = pq.read_table(folder / "statuts.parquet").to_pylist()
    assert sum(r["actions"] for r in statuts) == 102


def test_duckdb_queries_the_parquet_tables_as_they_are(run, tmp_path, territories):
    duckdb = pytest.importorskip("duckdb")
    folder = tmp_path / "ouvert"
    assert run("panorama", *territories, "-d", folder, "--format", "parquet").exit_code == 0
    con = duckdb.connect()
    per_territory = con.execute(
        f"SELECT t.territoire, count(*) FROM '{folder / 'actions.parquet'}' a JOIN "
        f"'{folder / 'territoires.parquet'}' t USING (code_territoire) GROUP BY ALL "
        "ORDER BY 1").fetchall()
    assert per_territory == [("Territoire 0000", 34), ("Territoire 0001", 34),
                             ("Territoire 0007", 34)]
    twice = con.execute(f"SELECT count(*) FROM (SELECT code_territoire, id_action FROM "
                        f"'{folder / 'actions.parquet'}' GROUP BY ALL HAVING count(*) > 1)")
    assert twice.fetchone() == (0,)


def test_actions_continue_on_a_second_sheet_past_the_limit(tmp_path, territories):
    from ctgxl.panorama import build_panorama, gather_entries
    from ctgxl.panorama.workbook import write_workbook
    from ctgxl.validation import load_rules

    entries, notes = gather_entries(territories)
    panorama = build_panorama(entries, notes, load_rules())
    out = write_workbook(panorama, tmp_path / "p.xlsx", limit=40)
    names = read_sheet_names(out)
    assert names[names.index("Actions"):names.index("Fichiers")] == [
        "Actions", "Actions (2)", "Actions (3)"]
    parts = [table(out, n) for n in ("Actions", "Actions (2)", "Actions (3)")]
    assert [len(p) for p in parts] == [40, 40, 22]
    assert [a["ID action"] for p in parts for a in p] == [
        r[2] for r in panorama.spool.rows()]
    panorama.spool.close()


def test_the_output_is_checked_before_any_reading(run, tmp_path, territories):
    out = tmp_path / "p.xlsx"
    out.write_bytes(b"ancien")
    result = run("panorama", *territories, "-o", out)
    assert result.exit_code == 2 and out.read_bytes() == b"ancien"
    assert run("panorama", *territories, "-o", tmp_path / "p.csv").exit_code == 2
    assert run("panorama", *territories, "--format", "csv", "-o", out).exit_code == 2


@pytest.mark.soffice
def test_libreoffice_prints_it_on_landscape_pages(run, tmp_path, territories):
    import subprocess

    from conftest import soffice_convert

    out = tmp_path / "panorama.xlsx"
    assert run("panorama", *territories, "-o", out).exit_code == 0
    pdf = soffice_convert(out, "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True).stdout
    sizes = Counter(line.split("size:")[1].split("(")[1].rstrip(")") for line in
                    info.splitlines() if line.startswith("Page") and "size:" in line)
    assert set(sizes) <= {"A4", "A3"}
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    first = text.split("\f")[0]
    assert "Panorama des Conventions Territoriales Globales" in first
    assert "Nombre d'actions par thématique" in first      # the chart's title
    # each sheet's pages: none of its columns cut off at the right
    territoires = [p for p in text.split("\f") if "Territoires — page" in p]
    assert len(territoires) == 2 and "Contrôle des fichiers" in territoires[1]
