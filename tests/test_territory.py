"""A workbook knows its territory: its name and SIREN or INSEE code, written once in the
template, kept by every command that writes a workbook, checked by validate and across the
files of a consolidation."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from ctgxl.model import Meta, Plan
from ctgxl.reader import read_plan
from ctgxl.territory import Territory, check_code, code_kind, luhn_valid
from ctgxl.writer import write_plan
from workbooks import small_plan

MDM = ("Mont de Marsan Agglomération", "244000865")


def siren(seed: int) -> str:
    """A SIREN with its right check key (eight digits from ``seed``, then the key)."""
    body = f"{seed:08d}"
    return next(body + str(k) for k in range(10) if luhn_valid(body + str(k)))


def with_territory(plan: Plan, name: str | None, code: str | None) -> Plan:
    return plan.replace(meta=dataclasses.replace(plan.meta, territoire=name,
                                                 code_territoire=code))


def older_template(path: Path, version: str = "1.1") -> Path:
    """The workbook at ``path`` as a template before 1.2 wrote it: its version, and no
    territory rows in the hidden sheet."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    meta = book["_ctgxl"]
    for row in list(meta.iter_rows()):
        if row[0].value == "Version du modèle":
            row[1].value = version
    for index in reversed(range(1, meta.max_row + 1)):
        if meta.cell(index, 1).value in ("Territoire", "Code du territoire"):
            meta.delete_rows(index)
    book.save(path)
    return path


# -- the code ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "kind"), [
    ("244000865", "SIREN"),        # Mont de Marsan Agglomération: its key holds
    ("40192", "INSEE"), ("2A004", "INSEE"), ("2B033", "INSEE"), ("97411", "INSEE"),
])
def test_valid_codes(code, kind):
    assert code_kind(code) == kind and check_code(code) is None


@pytest.mark.parametrize(("code", "problem"), [
    ("244000866", "siren"),        # one digit off: the Luhn key fails
    ("24400086", "forme"), ("20004", "forme"), ("2C004", "forme"), ("00123", "forme"),
    ("SIREN", "forme"),
])
def test_invalid_codes(code, problem):
    assert check_code(code) == problem


# -- template, info, validate --------------------------------------------------------------------

def test_the_coordinator_writes_the_territory_once_in_the_template(run, tmp_path):
    out = tmp_path / "modele.xlsx"
    result = run("template", "-o", out, "--thematique", "Enfance", "--territoire", MDM[0],
                 "--code-territoire", "244 000 865")
    assert result.exit_code == 0, result.output
    meta = read_plan(out).meta
    assert (meta.territoire, meta.code_territoire, meta.template_version) == (*MDM, "1.2")
    info = run("info", out)
    assert "Territoire : Mont de Marsan Agglomération (SIREN 244000865)" in info.output
    from openpyxl import load_workbook

    readme = [c.value for c in load_workbook(out)["Lisez-moi"]["A"] if c.value]
    assert "Territoire : Mont de Marsan Agglomération (SIREN 244000865)" in readme


def test_a_siren_with_a_wrong_key_is_refused_by_the_template(run, tmp_path):
    result = run("template", "-o", tmp_path / "m.xlsx", "--code-territoire", "244000866")
    assert result.exit_code == 2
    assert "clé de contrôle fausse" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "m.xlsx").exists()


def test_validate_reports_a_siren_whose_key_fails(run, tmp_path):
    path = write_plan(with_territory(small_plan(), MDM[0], "244000866"), tmp_path / "e.xlsx")
    result = run("validate", "--format", "json", path)
    assert result.exit_code == 1
    found = [f for f in json.loads(result.stdout)["files"][0]["findings"]
             if f["code"] == "code-territoire-invalide"]
    assert [(f["severity"], f["value"]) for f in found] == [("erreur", "244000866")]
    assert "clé de contrôle fausse" in found[0]["message"]


def test_validate_of_several_files_names_both_territories(run, tmp_path):
    ours = write_plan(with_territory(small_plan(), *MDM), tmp_path / "enfance.xlsx")
    other = write_plan(with_territory(small_plan(), "Grand Dax", siren(4400)),
                       tmp_path / "jeunesse.xlsx")
    result = run("validate", "--format", "json", ours, other)
    assert result.exit_code == 1
    files = {Path(f["file"]).name: f["findings"] for f in json.loads(result.stdout)["files"]}
    assert not [f for f in files["enfance.xlsx"] if f["code"] == "territoire-different"]
    clash, = [f for f in files["jeunesse.xlsx"] if f["code"] == "territoire-different"]
    assert clash["severity"] == "erreur"
    assert "Grand Dax" in clash["message"] and "Mont de Marsan Agglomération" in clash["message"]
    assert "enfance.xlsx" in clash["message"]


# -- consolidate, split, merge, import, export ----------------------------------------------------

def test_the_master_carries_the_territory_and_split_gives_it_back(run, tmp_path):
    a = write_plan(with_territory(small_plan(), *MDM), tmp_path / "enfance.xlsx")
    master = tmp_path / "pilotage.xlsx"
    assert run("consolidate", a, "-o", master).exit_code == 0
    assert (read_plan(master).meta.territoire, read_plan(master).meta.code_territoire) == MDM
    from ctgxl.loading import sheet_rows

    said = [v for row in sheet_rows(master, "Synthèse") for v in row if isinstance(v, str)]
    assert any("Mont de Marsan Agglomération (SIREN 244000865)" in v for v in said)
    assert run("split", master, "-d", tmp_path / "retour").exit_code == 0
    back, = (tmp_path / "retour").iterdir()
    assert read_plan(back) == read_plan(a)


def test_a_workbook_of_another_territory_refuses_the_consolidation(run, tmp_path):
    a = write_plan(with_territory(small_plan(), *MDM), tmp_path / "enfance.xlsx")
    b = write_plan(with_territory(small_plan().replace(meta=Meta("Jeunesse et vie étudiante")),
                                  "Grand Dax", siren(4400)), tmp_path / "jeunesse.xlsx")
    master = tmp_path / "pilotage.xlsx"
    result = run("consolidate", a, b, "-o", master)
    assert result.exit_code == 1 and not master.exists()
    assert "territoire-different" in result.output and "Grand Dax" in result.output
    forced = run("consolidate", a, b, "-o", master, "--forcer", "--format", "json")
    assert forced.exit_code == 1
    assert read_plan(master).meta.code_territoire in (MDM[1], siren(4400))


def test_an_older_workbook_takes_the_territory_of_the_rules(run, tmp_path):
    old = older_template(write_plan(small_plan(), tmp_path / "enfance.xlsx"))
    plan = read_plan(old)
    note, = [n for n in plan.notes if n.code == "modele-anterieur"]
    assert note.severity == "information" and "territoire" in note.message
    rules = tmp_path / "regles"
    rules.mkdir()
    (rules / "regles.toml").write_text(
        '[convention]\ndebut = 2022\nfin = 2027\nterritoire = "Mont de Marsan Agglomération"\n'
        'code_territoire = "244000865"\n', encoding="utf-8")
    master = tmp_path / "pilotage.xlsx"
    result = run("consolidate", old, "-o", master, "--regles", rules)
    assert result.exit_code == 0, result.output
    meta = read_plan(master).meta
    assert (meta.territoire, meta.code_territoire, meta.template_version) == (*MDM, "1.2")


def test_a_wrong_code_in_the_rules_is_one_line(run, tmp_path):
    rules = tmp_path / "regles"
    rules.mkdir()
    (rules / "regles.toml").write_text('[convention]\ncode_territoire = "24400086"\n',
                                       encoding="utf-8")
    result = run("validate", "--regles", rules, write_plan(small_plan(), tmp_path / "e.xlsx"))
    assert result.exit_code == 2 and "code_territoire" in result.stderr


def test_merge_keeps_the_territory_and_takes_a_change_of_it(run, tmp_path):
    base = write_plan(with_territory(small_plan(), MDM[0], None), tmp_path / "base.xlsx")
    local = write_plan(with_territory(small_plan(), MDM[0], None), tmp_path / "local.xlsx")
    remote = write_plan(with_territory(small_plan(), *MDM), tmp_path / "distant.xlsx")
    out = tmp_path / "fusion.xlsx"
    assert run("merge", base, local, remote, "-o", out).exit_code == 0
    assert read_plan(out).meta.code_territoire == MDM[1]


def test_import_writes_the_territory_in_each_workbook(run, tmp_path):
    from conftest import ROOT

    source = ROOT / "examples" / "source" / "plan_ctg_mont_de_marsan.txt"
    result = run("import", source, "-d", tmp_path, "--territoire", "Ville de Bastia",
                 "--code-territoire", "2b033")
    assert result.exit_code == 0, result.output
    metas = [read_plan(p).meta for p in tmp_path.glob("*.xlsx")]
    assert len(metas) == 5
    assert {(m.territoire, m.code_territoire) for m in metas} == {("Ville de Bastia", "2B033")}


def test_the_data_package_keeps_the_territory(run, tmp_path):
    path = write_plan(with_territory(small_plan(), *MDM), tmp_path / "e.xlsx")
    assert run("export", path, "-d", tmp_path / "ouvert").exit_code == 0
    assert run("import", tmp_path / "ouvert", "-d", tmp_path / "retour").exit_code == 0
    assert read_plan(tmp_path / "retour" / "e.xlsx") == read_plan(path)


def test_a_code_typed_as_a_number_is_read_as_its_digits(tmp_path):
    from openpyxl import load_workbook

    path = write_plan(with_territory(small_plan(), *MDM), tmp_path / "e.xlsx")
    book = load_workbook(path)
    for row in book["_ctgxl"].iter_rows():
        if row[0].value == "Code du territoire":
            row[1].value = 244000865          # Excel turned it into a number
    book.save(path)
    assert read_plan(path).meta.code_territoire == "244000865"


def test_the_add_in_reads_the_territory_of_the_open_workbook():
    from ctgxl.reader import read_grids

    grids = {"Actions": [["ID action", "Thématique", "Intitulé de l'action"],
                         ["ENF-001", "Enfance", "Loisirs"]],
             "_ctgxl": [["Paramètre", "Valeur"], ["Version du modèle", "1.2"],
                        ["Territoire", MDM[0]], ["Code du territoire", MDM[1]]]}
    meta = read_grids("enfance.xlsx", grids).meta
    assert Territory(meta.territoire, meta.code_territoire) == Territory(*MDM)
