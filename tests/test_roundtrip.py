"""read(write(plan)) == plan for any plan, including awkward French text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctgxl.catalogue import TABLE_SHEETS
from ctgxl.model import Meta, Plan, Table
from ctgxl.reader import read_plan
from ctgxl.values import normalize
from ctgxl.writer import write_plan

FRENCH = "abcdeéèêëàâçîïôœùûüÉÈÀÇŒ '’«»:;,.-–—()/\n0123456789€%"
text = st.one_of(
    st.none(),
    st.text(alphabet=FRENCH, min_size=1, max_size=60),
    st.text(alphabet=FRENCH, min_size=200, max_size=400),
    st.sampled_from(["1.1", "15", "3.13.10.", "=SOMME(A1)", "0012", "OO1 OO2 OO3 OO4 OO5 OO6",
                     "  Réalisée  ", "Ligne 1\r\nLigne 2", "Tab\tinside"]),
)
year = st.one_of(st.none(), st.integers(1990, 2040))


def row_for(sheet):
    return st.tuples(*[year if c.type == "int" else text for c in sheet.columns])


def table_for(sheet):
    return st.lists(row_for(sheet), max_size=4).map(
        lambda rows: Table.from_records(sheet, [dict(zip(sheet.keys, r)) for r in rows]))


plans = st.builds(
    lambda meta, tables: Plan(meta=meta, **{s.key: t for s, t in zip(TABLE_SHEETS, tables)}),
    st.builds(Meta, thematique=st.sampled_from([None, "Enfance", "Parentalité"]),
              service=st.sampled_from([None, "Pôle Éducation"])),
    st.tuples(*[table_for(s) for s in TABLE_SHEETS]),
)


def drop_empty_rows(plan: Plan) -> Plan:
    """A row with no value at all is not a row (the reader skips blank lines)."""
    return Plan(meta=plan.meta, **{t.sheet.key: t.with_rows(r for r in t.rows if any(
        v is not None for v in r)) for t in plan.tables})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plans)
def test_read_write_roundtrip(plan):
    plan = drop_empty_rows(plan)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_plan(plan, Path(tmp) / "plan.xlsx")
        assert read_plan(path) == plan


def test_normalisation_is_idempotent():
    from ctgxl.catalogue import ACTIONS

    column = ACTIONS.column("intitule")
    for raw in ["  a\r\nb ", 15.0, 1.1, "x\x0by", "\x01"]:
        once = normalize(column, raw)
        assert normalize(column, once) == once


def test_decorated_cells_keep_their_values_and_show_their_marks(tmp_path):
    """Marked sheets go through openpyxl cell by cell, the others through the fast
    path: both must hold the same values."""
    import sys

    from openpyxl import load_workbook

    from ctgxl.template import CellMark

    sys.path.insert(0, str(Path(__file__).parent))
    from workbooks import small_plan

    plan = small_plan(4)
    marks = {("actions", 1, "porteur"): CellMark(fill="FFC7CE", comment="Conflit : valeur locale"),
             ("offres", 0, "offre"): CellMark(fill="C6EFCE")}
    path = write_plan(plan, tmp_path / "marque.xlsx", marks=marks)
    assert read_plan(path) == plan
    ws = load_workbook(path)["Actions"]
    cell = ws["H3"]
    assert cell.value == plan.actions.records()[1]["porteur"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert cell.comment.text == "Conflit : valeur locale"
    assert ws["H2"].comment is None and ws["H4"].comment is None
