"""Vérifier on an xlwings book built from a client's payload: the actions Excel will apply."""

from __future__ import annotations

import copy

import pytest

from addin_payloads import (EXAMPLES, cell_of, cells_of, colour_actions, first_data_row,
                            header_ref, payload_of, set_cell, sheet_position, sheet_values, written_rows, xw)
from workbooks import small_plan

from ctgxl.addin.book import AddinError, plan_of
from ctgxl.addin.verifier import HEADERS, NOTHING, verifier
from ctgxl.validation.annotate import control_rows
from ctgxl.reader import read_plan
from ctgxl.validation import validate_file
from ctgxl.validation.annotate import FILLS
from ctgxl.writer import write_plan


@pytest.fixture
def clean(tmp_path):
    path = tmp_path / "enfance.xlsx"
    write_plan(small_plan(3), path)
    return path


def run(payload: dict) -> tuple[dict, object]:
    book = xw.Book(json=copy.deepcopy(payload))   # xlwings adds sheets to the payload's lists
    outcome = verifier(book)
    answer = book.json()
    book.close()
    return answer, outcome


def controls_rows(answer: dict, payload: dict) -> list[list]:
    """Rows written on « Contrôles » (added after the last sheet, or refreshed)."""
    names = [s["name"] for s in payload["sheets"]]
    position = names.index("Contrôles") if "Contrôles" in names else len(names)
    return written_rows(answer, position)


@pytest.mark.parametrize("client", ["VBA", "Microsoft Office Scripts", "Office.js"])
def test_plan_read_from_payload_equals_plan_read_from_file(clean, client):
    assert plan_of(xw.Book(json=payload_of(clean, client=client))) == read_plan(clean)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_read_from_payload_as_from_file(path):
    from_payload = plan_of(xw.Book(json=payload_of(path)))
    assert from_payload == read_plan(path)
    assert [n.code for n in from_payload.notes] == [n.code for n in read_plan(path).notes]


def test_clean_workbook_gets_no_colour_and_an_empty_controles_sheet(clean):
    payload = payload_of(clean)
    answer, outcome = run(payload)
    assert colour_actions(answer) == []
    assert [a["func"] for a in answer["actions"]] == ["addSheet", "setValues"]
    assert answer["actions"][0]["args"] == [len(payload["sheets"]), "Contrôles"]
    rows = controls_rows(answer, payload)
    assert [v.lstrip("'") for v in rows[0]] == list(HEADERS)
    assert rows[1][0] == "'" + NOTHING and len(rows) == 2
    assert outcome.counts["erreur"] == 0
    assert outcome.message == "Vérification terminée : aucune erreur ni avertissement."


def test_planted_errors_colour_exactly_those_cells(clean):
    payload = payload_of(clean)
    first = first_data_row(payload, "Actions")
    statut = header_ref(payload, "Actions", "Statut", first)            # not in the list
    intitule = header_ref(payload, "Actions", "Intitulé de l'action", first + 1)   # required
    payload = set_cell(payload, "Actions", statut, "Peut-être")
    payload = set_cell(payload, "Actions", intitule, "")
    answer, outcome = run(payload)

    actions_sheet = sheet_position(payload, "Actions")
    coloured = {cell_of(a): a["args"][0] for a in colour_actions(answer)
                if a["sheet_position"] == actions_sheet}
    red = "#" + FILLS["erreur"]   # the colour of ``ctgxl validate --annoter``
    assert coloured == {(actions_sheet, statut): red, (actions_sheet, intitule): red}
    rows = controls_rows(answer, payload)
    findings = rows[1:]
    cell, value = HEADERS.index("Cellule"), HEADERS.index("Valeur")
    assert {r[cell].lstrip("'") for r in findings} == {statut, intitule}
    assert all(r[0] == "'erreur" for r in findings)
    assert any("Peut-être" in str(r[value]) for r in findings)
    assert outcome.counts["erreur"] == 2
    assert "2 erreurs" in outcome.message and "« Contrôles »" in outcome.message
    # The severity cell of each finding on « Contrôles » is coloured, and the sheet shown.
    controls = len(payload["sheets"])
    assert [cells_of(a) for a in colour_actions(answer) if a["sheet_position"] == controls] == \
        [[(controls, "A2"), (controls, "A3")]]   # one range for the run of erreur rows
    assert answer["actions"][-1]["func"] == "activateSheet"


def test_dates_and_float_integers_are_normalised_like_the_reader(clean):
    payload = payload_of(clean)
    first = first_data_row(payload, "Actions")
    payload = set_cell(payload, "Actions", header_ref(payload, "Actions", "Année début", first),
                       2023.0)
    payload = set_cell(payload, "Actions", header_ref(payload, "Actions", "Échéances / calendrier",
                                                      first), "2024-09-01T00:00:00.000Z")
    plan = plan_of(xw.Book(json=payload))
    row = plan.actions.records()[0]
    assert row["annee_debut"] == 2023
    assert row["echeances"] == "01/09/2024"


def test_second_run_clears_the_marks_of_the_first(clean):
    payload = payload_of(clean)
    first = first_data_row(payload, "Actions")
    statut = header_ref(payload, "Actions", "Statut", first)
    faulty = set_cell(payload, "Actions", statut, "Peut-être")
    answer, _ = run(faulty)
    # Excel now holds a « Contrôles » sheet with what was written; the user fixes the cell.
    controls = [[str(v).lstrip("'") if v not in (None, "") else "" for v in row]
                for row in controls_rows(answer, faulty)]
    fixed = dict(payload, sheets=payload["sheets"] + [
        {"name": "Contrôles", "values": controls, "pictures": [], "tables": []}])
    answer, outcome = run(fixed)
    actions_sheet = sheet_position(payload, "Actions")
    cleared = [cell_of(a) for a in answer["actions"] if a["func"] == "rangeClearFormats"]
    assert cleared == [(actions_sheet, statut)]
    assert colour_actions(answer) == []
    # « Contrôles » is emptied and rewritten in place, not added again.
    funcs = [a["func"] for a in answer["actions"]]
    assert "addSheet" not in funcs and "sheetClear" in funcs
    assert outcome.counts["erreur"] == 0


def test_a_cell_still_faulty_is_recoloured_not_cleared(clean):
    payload = payload_of(clean)
    statut = header_ref(payload, "Actions", "Statut", first_data_row(payload, "Actions"))
    faulty = set_cell(payload, "Actions", statut, "Peut-être")
    answer, _ = run(faulty)
    controls = [[str(v).lstrip("'") if v not in (None, "") else "" for v in row]
                for row in controls_rows(answer, faulty)]
    again = dict(faulty, sheets=faulty["sheets"] + [
        {"name": "Contrôles", "values": controls, "pictures": [], "tables": []}])
    answer, _ = run(again)
    assert not [a for a in answer["actions"] if a["func"] == "rangeClearFormats"]
    assert [cell_of(a)[1] for a in colour_actions(answer)][:1] == [statut]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_same_findings_and_marks_as_ctgxl_validate(path):
    payload = payload_of(path)
    answer, outcome = run(payload)
    expected = validate_file(path).findings
    assert expected, "every example carries findings of the real plan"
    assert outcome.counts["erreur"] == sum(f.severity == "erreur" for f in expected)
    rows = controls_rows(answer, payload)[1:]
    code, cell = HEADERS.index("Code"), HEADERS.index("Cellule")
    assert [(r[code].lstrip("'"), (r[cell] or "").lstrip("'")) for r in rows] == \
        [(f.code, f.cell or "") for f, _ in control_rows(expected)]   # erreurs first
    assert all(r[HEADERS.index("ID action")] for r in rows if (r[cell] or "").lstrip("'")
               and r[HEADERS.index("Feuille")].lstrip("'") == "Actions")
    names = [s["name"] for s in payload["sheets"]]
    marked = {(names[p], ref) for action in colour_actions(answer)
              for p, ref in cells_of(action) if p < len(names)}
    wanted = {(f.sheet, ref.split(":")[0]) for f in expected
              if f.severity in ("erreur", "avertissement") for ref in f.cells}
    assert marked == wanted


def test_a_workbook_that_is_not_a_plan_is_refused_in_french():
    payload = {"client": "VBA", "version": xw.__version__,
               "book": {"name": "budget.xlsx", "active_sheet_index": 0, "selection": None},
               "names": [], "sheets": [{"name": "Feuil1", "values": [["Budget", 12]],
                                        "pictures": [], "tables": []}]}
    with pytest.raises(AddinError) as caught:
        verifier(xw.Book(json=payload))
    assert caught.value.status == 422
    assert "budget.xlsx" in caught.value.message
    assert "pas de feuille « Actions »" in caught.value.message


def test_cells_are_coloured_a_run_at_a_time():
    from ctgxl.addin.verifier import cell_runs

    assert cell_runs(["H3", "H2", "J7", "H4", "H6", "AA2", "B10", "H3"]) == \
        ["B10", "H2:H4", "H6", "J7", "AA2"]


def test_a_column_faulty_on_every_row_is_one_action_for_excel(tmp_path):
    """A messy workbook has thousands of faulty cells in a column: Excel gets one colour
    action for the column, not one per cell (each is a round trip in the task pane)."""
    path = tmp_path / "enfance.xlsx"
    write_plan(small_plan(60), path)
    payload = payload_of(path)
    first = first_data_row(payload, "Actions")
    statuts = [header_ref(payload, "Actions", "Statut", row) for row in range(first, first + 60)]
    for cell in statuts:
        payload = set_cell(payload, "Actions", cell, "Peut-être")
    answer, outcome = run(payload)
    actions_sheet = sheet_position(payload, "Actions")
    on_actions = [a for a in colour_actions(answer) if a["sheet_position"] == actions_sheet]
    assert outcome.counts["erreur"] >= 60
    assert [sorted(cells_of(a)) for a in on_actions
            if a["start_column"] == ord(statuts[0][0]) - ord("A")] == \
        [sorted((actions_sheet, c) for c in statuts)]
