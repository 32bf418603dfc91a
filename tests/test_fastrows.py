"""The data rows written by the fast path look exactly like openpyxl's own rows.

The writer hands undecorated sheets to ``fastrows`` and decorated ones (a
mark anywhere on the sheet) to openpyxl: a service agent must not see any
difference between the two — same values, same wrapping, same row heights.
"""

from __future__ import annotations

from openpyxl import load_workbook

from ctgxl.catalogue import SHEETS_BY_KEY
from ctgxl.model import Meta, Plan
from ctgxl.reader import read_plan
from ctgxl.template import CellMark, row_height
from ctgxl.writer import write_plan

LONG = ("Développement de loisirs de proximité pour les enfants des écoles communautaires, "
        "avec les médiathèques, le musée et le cinéma de l'agglomération")
AWKWARD = [
    "Parents & enfants <3 ans> « ateliers »",
    "Deux  espaces gardés",
    "Ligne 1\nLigne 2\nLigne 3",
    "Tab\tinside",
    "=SOMME(A1:A3)",
    LONG,
    "x" * 900,
]


def awkward_plan() -> Plan:
    actions = []
    for i, text in enumerate(AWKWARD, start=1):
        actions.append({"id_action": f"ENF-{i:03d}", "thematique": "Enfance", "axe": "I",
                        "numero": str(i), "intitule": text,
                        "porteur": AWKWARD[i - 2] if i % 2 else "CAF",
                        "annee_debut": 2022 + i % 4, "statut": "En cours" if i % 2 else None,
                        "indicateurs": LONG if i % 3 == 0 else None})
    return Plan.from_records(Meta(thematique="Enfance"), actions=actions)


def sheet_view(path, name="Actions"):
    ws = load_workbook(path)[name]
    cells = [[(c.value, c.data_type, bool(c.alignment.wrap_text), c.alignment.vertical)
              for c in row] for row in ws.iter_rows(min_row=2)]
    heights = {r: ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)}
    return cells, heights


def test_fast_rows_match_openpyxl_rows(tmp_path):
    plan = awkward_plan()
    fast = write_plan(plan, tmp_path / "rapide.xlsx")
    # a mark on another cell of the sheet sends the whole sheet through openpyxl
    marked = write_plan(plan, tmp_path / "openpyxl.xlsx",
                        marks={("actions", 0, "id_action"): CellMark(bold=False)})
    assert sheet_view(fast) == sheet_view(marked)


def test_texts_numbers_and_heights_come_back(tmp_path):
    plan = awkward_plan()
    path = write_plan(plan, tmp_path / "plan.xlsx")
    assert read_plan(path) == plan
    cells, heights = sheet_view(path)
    sheet = SHEETS_BY_KEY["actions"]
    intitule, debut = sheet.position("intitule"), sheet.position("annee_debut")
    assert [row[intitule][0] for row in cells] == AWKWARD
    assert {row[debut][1] for row in cells} == {"n"}          # years stay numbers
    assert cells[4][intitule][1] == "s"                       # "=SOMME…" stays text
    long_columns = [i for i, c in enumerate(sheet.columns) if c.long_text]
    widths = [sheet.columns[i].width for i in long_columns]
    for index, row in enumerate(plan.actions.rows):
        expected = row_height([row[i] for i in long_columns], widths)
        assert heights[index + 2] == expected, index
    assert None in heights.values() and 409.0 in heights.values()  # one-line rows; 900 characters


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    """Rendered rows that do not match the table (a bug) stop the write: no master, no
    temporary file left in the coordinator's folder."""
    import pytest

    plan = awkward_plan()
    with pytest.raises(ValueError):
        write_plan(plan, tmp_path / "pilotage.xlsx", rendered={"actions": [b"<row/>"]})
    assert list(tmp_path.iterdir()) == []
