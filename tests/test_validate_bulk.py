"""Findings built a check at a time (``engine._column_failures`` / ``_Collector.add_many``,
``_Collector.add_hits``) are exactly those of one call per failure case or hit: same codes,
cells, messages and order, on a findings-heavy workbook and on the examples. And the checks
run one by one through pandera (``engine._run_checks``) fail exactly where pandera's whole
``schema.validate(lazy=True)`` says they fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgxl.findings import Finding, new_finding
from ctgxl.model import Meta, Plan
from ctgxl.reader import read_plan
from ctgxl.validation import engine, load_rules, validate_file, validate_plan
from ctgxl.validation.context import shown

ROOT = Path(__file__).resolve().parent.parent


def heavy_plan(n: int) -> Plan:
    """Actions as a messy consolidated file holds them: optional fields empty, titles shared
    by many actions, unreadable échéances, a few IDs and years wrong."""
    actions = [{"id_action": f"ENF-{i:03d}" if i % 97 else f"ENF{i}", "thematique": "Enfance",
                "axe": "I", "objectif": "1", "oo": "OO1", "numero": str(i),
                "intitule": f"Accueil périscolaire {i % 20}",
                "echeances": "année scolaire" if i % 3 else "2031",
                "annee_debut": "vingt" if i % 50 == 0 else None,
                "statut": "En cours" if i % 7 else ("en cours" if i % 2 else "Terminé")}
               for i in range(1, n + 1)]
    plan = [{"thematique": "Enfance", "axe": "I", "axe_intitule": "Axe", "objectif": "1",
             "objectif_intitule": "Objectif", "oo": "OO1", "oo_intitule": "OO un"}]
    return Plan.from_records(Meta(thematique="Enfance", service="Enfance"), actions=actions,
                             plan=plan)


def per_case(batch, sd, column, explain, positions, indexes, values, collectors, pending):
    """The reference: one verdict and one finding per failure case."""
    for position, index, value in zip(positions, indexes, values):
        verdict = explain(index, value)
        if verdict is None:
            continue
        plan, row = sd.place(index)
        found = collectors[plan].finding(batch.contexts[plan].sheets[sd.sheet.key], row,
                                         verdict)
        if found is not None:
            pending[plan].append((position, found))


def per_hit(collector, hits):
    """The reference for plan checks: one finding per hit, each looked up in full."""
    for hit in hits:
        collector.hit(hit)


def reports(monkeypatch, make):
    fast = make()
    monkeypatch.setattr(engine, "_column_failures", per_case)
    monkeypatch.setattr(engine._Collector, "add_hits", per_hit)
    slow = make()
    return fast, slow


def test_a_findings_heavy_plan_gives_the_same_report_either_way(monkeypatch):
    rules = load_rules()
    plan = heavy_plan(3000)
    fast, slow = reports(monkeypatch, lambda: validate_plan(plan, rules))
    assert len(fast.findings) > 10_000
    codes = {f.code for f in fast.findings}
    assert {"champ-a-completer", "intitule-en-double", "echeances-sans-annee",
            "valeur-a-harmoniser", "annee-invalide", "identifiant-mal-forme"} <= codes
    assert fast.to_dict() == slow.to_dict()


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.xlsx")), ids=lambda p: p.name)
def test_the_examples_give_the_same_report_either_way(monkeypatch, path):
    fast, slow = reports(monkeypatch, lambda: validate_file(path))
    assert fast.to_dict() == slow.to_dict()


def through_validate(schema, frame):
    """The reference for ``engine._run_checks``: pandera's own lazy validation, its failure
    cases read back per (column, check), in the schema's order."""
    import pandas as pd
    import pandera.pandas as pa

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return [], []
    failed: dict[tuple, tuple[list, list]] = {}
    broken = []
    for column, check, index, value in zip(cases["column"], cases["check"], cases["index"],
                                           cases["failure_case"]):
        if index is None or pd.isna(index):
            broken.append((check, value))
            continue
        rows, values = failed.setdefault((column, check), ([], []))
        rows.append(int(index))
        values.append(None if value is None or value is pd.NA else value)
    order = [(key, check.name) for key, column in schema.columns.items()
             for check in column.checks]
    failed_list = []
    for key in sorted(failed, key=order.index):
        rows, values = failed[key]
        ranked = sorted(range(len(rows)), key=rows.__getitem__)
        failed_list.append((*key, [rows[i] for i in ranked], [values[i] for i in ranked]))
    return failed_list, broken


def test_checks_run_one_by_one_fail_where_pandera_validate_says(monkeypatch):
    rules = load_rules()
    plans = [heavy_plan(2000)] + [read_plan(p) for p in sorted((ROOT / "examples").glob("*.xlsx"))]
    seen = []
    direct = engine._run_checks

    def both(schema, frame):
        mine = direct(schema, frame)
        theirs = through_validate(schema, frame)
        seen.append(sum(len(rows) for _, _, rows, _ in theirs[0]))
        assert [(c, k, r) for c, k, r, _ in mine[0]] == [(c, k, r) for c, k, r, _ in theirs[0]]
        assert [[shown(v) for v in values] for *_, values in mine[0]] == \
               [[shown(v) for v in values] for *_, values in theirs[0]]
        assert mine[1] == theirs[1]
        return mine

    monkeypatch.setattr(engine, "_run_checks", both)
    for plan in plans:
        validate_plan(plan, rules)
    assert sum(seen) > 2000 and len(seen) > 2 * len(plans)   # several sheets each


def test_the_fast_constructor_makes_the_same_frozen_finding():
    fields = ("c", "erreur", "m", "f.xlsx", "Actions", "A2", 2, "A", "ID action", "x", None,
              ("A2",))
    fast, plain = new_finding(*fields), Finding(*fields)
    assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
    with pytest.raises(AttributeError):
        fast.code = "autre"


def test_a_long_report_is_written_in_pieces_as_the_same_bytes(monkeypatch):
    """``validate --format json`` writes the findings of a big report a piece at a time
    (memory), the very bytes of the whole document written at once."""
    from ctgxl.commands import _common

    monkeypatch.setattr(_common, "STREAMED", 500)
    report = validate_plan(heavy_plan(600), load_rules())
    document = {"files": [{"file": "a"}, report.to_dict(objects=True)["files"][0],
                          {"file": "b", "findings": []}], "fin": True}
    pieces: list[bytes] = []
    assert _common._write_orjson(document, pieces.append)
    assert len(pieces) > 5 and b"".join(pieces) == _common._orjson_bytes(document)


def test_a_sheet_whose_frame_cannot_be_built_is_one_finding_of_its_plan(monkeypatch):
    """Anything failing around the checks (here the frame of a sheet) is a
    « controle-impossible » finding naming the sheet, and the other sheets are still checked."""
    from ctgxl.validation.context import SheetData

    real = SheetData.frame

    def frame(self, keys):
        if self.sheet.key == "indicateurs":
            raise ValueError("cadre impossible")
        return real(self, keys)

    monkeypatch.setattr(SheetData, "frame", frame)
    report = validate_file(ROOT / "examples" / "enfance.xlsx")
    broken = [f for f in report.findings if f.code == "controle-impossible"]
    assert len(broken) == 1 and "Indicateurs" in broken[0].message and "cadre impossible" in \
        broken[0].message
    assert "champ-a-completer" in report.codes()
