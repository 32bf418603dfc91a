"""``validate_plans`` checks many plans in batches and says exactly what ``validate_plan`` says.

Each sheet's schema runs once on the rows of all the plans of a batch; every
plan must still get its own report, finding for finding, cell for cell, in
the same order: the five examples, the awkward workbooks and planted mistakes
of the other validation tests, and generated plans that share identifiers
(so that a row is never judged with another plan's offers or thématique).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from compare_helpers import action, plan_of, plans
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_bad_inputs import CASES as AWKWARD
from test_validate_checks import CASES as PLANTED
from test_validate_checks import build

from ctgxl.errors import UnusableInputError
from ctgxl.model import Meta
from ctgxl.reader import read_plan
from ctgxl.validation import load_rules, validate_plan, validate_plans
from ctgxl.writer import write_plan

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
EXAMPLES = sorted((ROOT / "examples").glob("*.xlsx"))


def assert_same_reports(plans_, rules=RULES) -> list:
    together = validate_plans(plans_, rules)
    alone = [validate_plan(plan, rules) for plan in plans_]
    assert [r.to_dict() for r in together] == [r.to_dict() for r in alone]
    assert [r.findings for r in together] == [r.findings for r in alone]
    return together


@pytest.fixture(scope="module")
def examples() -> list:
    return [read_plan(path) for path in EXAMPLES]


def test_the_five_examples_together(examples):
    assert len(examples) == 5
    reports = assert_same_reports(examples)
    assert sum(len(r.findings) for r in reports) > 50       # the examples' known problems
    assert {r.files[0].file for r in reports} == {str(p) for p in EXAMPLES}


def test_the_examples_in_another_order_and_twice(examples):
    assert_same_reports(examples[::-1] + examples[:2])


def test_batches_split_by_rows_give_the_same_reports(examples, monkeypatch):
    from ctgxl.validation import engine

    monkeypatch.setattr(engine, "BATCH_ROWS", 150)          # several batches, one plan alone
    assert_same_reports(examples + [build()])


def test_no_plan_gives_no_report():
    assert validate_plans([], RULES) == []


def _awkward_plans(tmp_path: Path) -> list:
    found = []
    for name, (make, _, _) in sorted(AWKWARD.items()):
        folder = tmp_path / re.sub(r"\W+", "_", name)
        folder.mkdir()
        try:
            found.append(read_plan(make(folder)))
        except UnusableInputError:
            continue
    return found


def test_awkward_workbooks_together(tmp_path, examples):
    awkward = _awkward_plans(tmp_path)
    assert len(awkward) >= 20
    # their sheets have different columns (missing, reordered, unknown): joined apart
    assert_same_reports(awkward)
    assert_same_reports(examples[:2] + awkward[::2] + examples[2:] + awkward[1::2])


def test_planted_mistakes_together_in_memory_and_from_files(tmp_path):
    planted = [build(change) for change, *_ in (PLANTED[name] for name in sorted(PLANTED))]
    reports = assert_same_reports(planted)
    assert all(r.findings for r in reports)
    written = [read_plan(write_plan(plan, tmp_path / f"plan{i}.xlsx"))
               for i, plan in enumerate(planted)]
    assert_same_reports(written + planted)


def test_a_row_is_judged_with_its_own_plans_offers_and_thematique():
    # Both plans have ENF-001; only the first one's offer gives it a porteur.
    with_offer = plan_of([action(1, porteur=None)],
                         offres=[{"id_action": "ENF-001", "numero_offre": 1, "offre": "Atelier",
                                  "porteur": "Écoles"}])
    without = plan_of([action(1, porteur=None)], meta=Meta(thematique="Jeunesse et vie étudiante"))
    reports = assert_same_reports([with_offer, without])
    assert "champ-a-completer" not in reports[0].codes()
    assert "champ-a-completer" in reports[1].codes()
    assert "thematique-differente" not in reports[0].codes()
    assert "thematique-differente" in reports[1].codes()


def test_a_check_that_cannot_run_is_reported_only_where_it_failed(monkeypatch):
    from ctgxl.validation.registry import REGISTRY, ColumnTest

    spec = REGISTRY["codes_oo"]

    def fragile(ctx, sd, column):
        test = spec.func(ctx, sd, column)

        def predicate(s):
            if (s == "BOUM").any():
                raise ValueError("contrôle en panne")
            return test.predicate(s)

        return ColumnTest(predicate, test.explain, test.ignore_na)

    monkeypatch.setitem(REGISTRY, "codes_oo", replace(spec, func=fragile))
    batch = [build(), plan_of([action(1, oo="BOUM")]), plan_of([action(2, oo="OO1 ter")])]
    reports = assert_same_reports(batch)
    assert [("controle-impossible" in r.codes()) for r in reports] == [False, True, False]
    assert "oo-mal-forme" in reports[2].codes()


sources = st.sampled_from([None, "a.xlsx", "b.xlsx"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(plans(), sources), min_size=1, max_size=5))
def test_generated_plans_together(drawn):
    assert_same_reports([plan.replace(source=source) for plan, source in drawn])


@pytest.mark.parametrize("workers", [1, 2])
def test_validate_files_batches_give_the_per_file_reports(tmp_path, monkeypatch, workers):
    """Several files, with an unusable one in the middle, across batch boundaries, read in
    this process or by worker processes."""
    from pathlib import Path

    from ctgxl import loading
    from ctgxl.validation import load_rules, validate_file
    from ctgxl.validation.engine import validate_files

    examples = sorted(Path(__file__).resolve().parent.parent.glob("examples/*.xlsx"))
    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(b"")
    paths = [examples[0], broken, *examples[1:]]
    rules = load_rules()
    monkeypatch.setattr(loading, "CHECK_BATCH", 2)
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 2 if workers > 1 else 10_000)
    batched = validate_files(paths, rules).to_dict()
    one_by_one = [validate_file(p, rules).to_dict()["files"][0] for p in examples]
    files = batched["files"]
    assert [f["file"] for f in files] == [str(p) for p in paths]
    assert files[1]["error"] and "fichier vide" in files[1]["error"]
    assert [f for i, f in enumerate(files) if i != 1] == one_by_one
