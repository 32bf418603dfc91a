"""``examples/`` holds the five workbooks generated from the real plan: regenerating them
(``python tools/regenerate_examples.py``) must give the committed files, cell for cell."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from ctgxl.reader import read_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SOURCE = EXAMPLES / "source" / "plan_ctg_mont_de_marsan.txt"
NAMES = ["petite_enfance", "enfance", "jeunesse", "cohesion_sociale", "parentalite"]
# as tools/regenerate_examples.py imports them: the plan's territory and its SIREN
TERRITORY = ("Mont de Marsan Agglomération", "244000865")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    from click.testing import CliRunner

    from ctgxl.cli import group

    out = tmp_path_factory.mktemp("examples")
    result = CliRunner().invoke(group, ["import", str(SOURCE), "-o", str(out),
                                        "--rapport", str(out / "rapport_import.json"),
                                        "--territoire", TERRITORY[0],
                                        "--code-territoire", TERRITORY[1]])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def imported():
    from ctgxl.legacy import import_legacy

    return {t.thematique.fichier: t.plan for t in import_legacy(SOURCE).thematiques}


@pytest.mark.parametrize("name", NAMES)
def test_committed_example_equals_a_fresh_import(regenerated, imported, name):
    committed = read_plan(EXAMPLES / f"{name}.xlsx")
    fresh = read_plan(regenerated / f"{name}.xlsx")
    assert committed == fresh, (
        f"examples/{name}.xlsx est périmé : lancez « python tools/regenerate_examples.py »")
    # the workbook reads back as the plan that was imported, with its territory
    assert (fresh.meta.territoire, fresh.meta.code_territoire) == TERRITORY
    assert fresh == imported[name].replace(meta=dataclasses.replace(
        imported[name].meta, territoire=TERRITORY[0], code_territoire=TERRITORY[1]))
    assert not [n for n in committed.notes if n.severity == "erreur"]


@pytest.mark.soffice
def test_libreoffice_opens_an_example_and_keeps_its_content(tmp_path):
    from conftest import soffice_convert

    ods = soffice_convert(EXAMPLES / "enfance.xlsx", "ods", tmp_path)
    assert read_plan(ods) == read_plan(EXAMPLES / "enfance.xlsx")


def test_committed_import_report_equals_a_fresh_one(regenerated):
    committed = json.loads((EXAMPLES / "rapport_import.json").read_text(encoding="utf-8"))
    fresh = json.loads((regenerated / "rapport_import.json").read_text(encoding="utf-8"))
    assert committed["source"] == "examples/source/plan_ctg_mont_de_marsan.txt"
    assert committed["thematiques"] == fresh["thematiques"]
    assert committed["entries"] == fresh["entries"]


def test_examples_source_is_the_seed_plan():
    text = SOURCE.read_text(encoding="utf-8")
    assert text.startswith("\n\nTHEMATIQUE PETITE ENFANCE")
    assert text.rstrip("\t\n").endswith("ACTIONS EDUCATION ET PARENTALITE / PRE")
    assert len(text.split("\n")) == 697
