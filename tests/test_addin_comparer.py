"""Comparer on an xlwings book: the « Différences » sheet written from ``diff_plans``."""

from __future__ import annotations

import copy

from addin_payloads import cells_of, first_data_row, header_ref, payload_of, set_cell, xw
from workbooks import small_plan

from ctgxl.addin.comparer import DIFF_SHEET, HEADERS, comparer
from ctgxl.reader import read_plan
from ctgxl.writer import write_plan


def run(payload, reference, name="reference.xlsx"):
    book = xw.Book(json=copy.deepcopy(payload))
    outcome = comparer(book, reference, name)
    return book.json(), outcome


def text(rows):
    return [[v.lstrip("'") if isinstance(v, str) else v for v in row] for row in rows]


def test_identical_workbooks(tmp_path):
    path = write_plan(small_plan(3), tmp_path / "enfance.xlsx") or tmp_path / "enfance.xlsx"
    answer, outcome = run(payload_of(path), read_plan(path))
    assert outcome.message == "Aucune différence avec « reference.xlsx »."
    add = answer["actions"][0]
    assert add["func"] == "addSheet" and add["args"][1] == DIFF_SHEET
    rows = text(next(a["values"] for a in answer["actions"] if a["func"] == "setValues"))
    assert rows[0][0].endswith("aucune différence.")
    assert rows[-1][:len(HEADERS)] == list(HEADERS)   # header, no difference row


def test_added_and_modified_rows(tmp_path):
    reference = tmp_path / "v1.xlsx"
    write_plan(small_plan(2), reference)
    current = tmp_path / "v2.xlsx"
    write_plan(small_plan(3), current)
    payload = payload_of(current)
    cell = header_ref(payload, "Actions", "Porteur(s) de projet", first_data_row(payload, "Actions"))
    payload = set_cell(payload, "Actions", cell, "CCAS")
    answer, outcome = run(payload, read_plan(reference), "v1.xlsx")
    assert outcome.counts["differences"] == 2
    rows = text(next(a["values"] for a in answer["actions"] if a["func"] == "setValues"))
    body = rows[rows.index(list(HEADERS)) + 1:]
    kinds = {(r[1], r[2]) for r in body}
    assert ("ENF-003", "Ajoutée") in kinds and ("ENF-001", "Modifiée") in kinds
    modified = next(r for r in body if r[1] == "ENF-001")
    assert modified[3:] == ["Porteur(s) de projet", "Pôle Éducation de l'Agglomération", "CCAS",
                            cell]
    colours = [a for a in answer["actions"] if a["func"] == "setRangeColor"]
    assert sum(len(cells_of(a)) for a in colours) == len(body)   # each row's kind cell
