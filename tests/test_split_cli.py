"""``ctgxl split``: the master cut back into the services' workbooks, losslessly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT
from consolidation_helpers import distinct_services, service
from hypothesis import HealthCheck, given, settings

from ctgxl.compare import diff_plans
from ctgxl.consolidation import consolidate_plans
from ctgxl.reader import read_plan
from ctgxl.writer import write_plan

EXAMPLES = sorted((ROOT / "examples").glob("*.xlsx"))
ENF, JEU = "Enfance", "Jeunesse et vie étudiante"


@pytest.fixture(scope="module")
def examples_master(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from ctgxl.cli import group

    if not EXAMPLES:
        pytest.skip("examples/ not generated yet")
    out = tmp_path_factory.mktemp("pilotage") / "master.xlsx"
    result = CliRunner().invoke(group, ["consolidate", *map(str, EXAMPLES), "-o", str(out),
                                        "--forcer"], catch_exceptions=False)
    assert out.exists(), result.output
    return out


@pytest.mark.parametrize("by", ["thematique", "fichier"])
def test_split_of_the_examples_gives_them_back(run, examples_master, tmp_path, by):
    result = run("split", examples_master, "-d", tmp_path / "services", "--par", by)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "services").iterdir())
    assert written == [p.name for p in EXAMPLES]
    for original in EXAMPLES:
        back = tmp_path / "services" / original.name
        assert diff_plans(read_plan(original), read_plan(back)).identical
        assert read_plan(back) == read_plan(original).without_provenance()
    assert run("diff", EXAMPLES[1], tmp_path / "services" / EXAMPLES[1].name).exit_code == 0


def test_consolidating_the_split_files_gives_the_master_again(run, examples_master, tmp_path):
    assert run("split", examples_master, "-d", tmp_path / "s").exit_code == 0
    again = tmp_path / "again.xlsx"
    run("consolidate", tmp_path / "s", "-o", again, "--forcer")
    assert read_plan(again).without_provenance() == read_plan(examples_master).without_provenance()
    assert read_plan(again) == read_plan(examples_master)   # same names, same rows


def test_split_output(run, tmp_path):
    enf = service(ENF, "ENF", 2, offres=1, service_name="Pôle Éducation")
    jeu = service(JEU, "JEU", 3)
    for name, plan in (("enfance.xlsx", enf), ("jeunesse.xlsx", jeu)):
        write_plan(plan, tmp_path / name)
    master = tmp_path / "pilotage.xlsx"
    assert run("consolidate", tmp_path / "enfance.xlsx", tmp_path / "jeunesse.xlsx",
               "-o", master).exit_code == 0
    result = run("split", master, "-d", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"2 classeurs écrits dans {tmp_path / 'out'} (par thématique) :",
        "  enfance.xlsx   Enfance — 2 actions, 1 offre",
        "  jeunesse.xlsx  Jeunesse et vie étudiante — 3 actions, 0 offre",
    ]
    back = read_plan(tmp_path / "out" / "enfance.xlsx")
    assert back == enf and back.meta.service == "Pôle Éducation"
    assert set(back.actions.column("source_fichier")) == {None}

    again = run("split", master, "-d", tmp_path / "out")
    assert again.exit_code == 2
    assert "enfance.xlsx, jeunesse.xlsx existent déjà ; relancez avec --ecraser" in again.stderr
    assert run("split", master, "-d", tmp_path / "out", "--ecraser").exit_code == 0

    document = json.loads(run("split", master, "-d", tmp_path / "json", "--par", "fichier",
                              "--format", "json").stdout)
    assert document["schema"] == "ctgxl-split" and document["by"] == "fichier"
    assert [(f["group"], f["service"], f["rows"]["Actions"]) for f in document["files"]] == [
        ("enfance.xlsx", "Pôle Éducation", 2), ("jeunesse.xlsx", JEU, 3)]


def test_master_without_sources_sheet_and_unplaced_rows(run, tmp_path):
    from ctgxl.model import Plan

    master = consolidate_plans([("enfance.xlsx", service(ENF, "ENF", 2)),
                                ("hors_liste.xlsx", service("Culture", "CUL", 1))]).master
    extra = Plan.from_records(actions=[{"id_action": "XXX-001", "intitule": "Sans rien"}])
    master = master.replace(actions=master.actions.with_rows(master.actions.rows
                                                             + extra.actions.rows))
    path = tmp_path / "pilotage.xlsx"
    write_plan(master, path)           # no Sources sheet: metadata come from the rows
    result = run("split", path, "-d", tmp_path / "out")
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["culture.xlsx", "enfance.xlsx", "sans_thematique.xlsx"]
    assert "n'ont pu être rattachées à aucune thématique" in result.stderr
    assert read_plan(tmp_path / "out" / "enfance.xlsx").meta.thematique == ENF
    assert read_plan(tmp_path / "out" / "sans_thematique.xlsx").actions.column("id_action") \
        == ["XXX-001"]


def test_split_refuses_to_replace_the_master(run, tmp_path):
    write_plan(service(ENF, "ENF", 1), tmp_path / "e.xlsx")
    master = tmp_path / "enfance.xlsx"
    run("consolidate", tmp_path / "e.xlsx", "-o", master)
    result = run("split", master, "-d", tmp_path, "--ecraser")
    assert result.exit_code == 2 and "à la place du fichier de pilotage" in result.stderr


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(distinct_services(max_files=3))
def test_files_survive_consolidate_then_split(tmp_path_factory, files):
    from click.testing import CliRunner

    from ctgxl.cli import group

    folder = tmp_path_factory.mktemp("h")
    originals = {}
    for name, plan in files:
        write_plan(plan, folder / name)
        originals[name] = read_plan(folder / name)
    master = folder / "pilotage.xlsx"
    runner = CliRunner()
    runner.invoke(group, ["consolidate", *(str(folder / n) for n, _ in files), "-o",
                          str(master), "--forcer"], catch_exceptions=False)
    for by in ("fichier", "thematique"):
        out = folder / by
        result = runner.invoke(group, ["split", str(master), "-d", str(out), "--par", by],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        back = sorted(out.iterdir())
        assert len(back) == len(files)
        if by == "fichier":
            for name, original in originals.items():
                assert read_plan(out / name) == original
        else:
            got = sorted((read_plan(p) for p in back), key=lambda p: p.meta.thematique)
            want = sorted(originals.values(), key=lambda p: p.meta.thematique)
            assert got == want
