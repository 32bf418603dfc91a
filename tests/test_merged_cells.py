"""Merged cells: one rule (the top-left value is read; a value hidden under the merge is
reported, never used), the same findings from ``ctgxl validate`` and the add-in."""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ctgxl.reader import read_plan
from ctgxl.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent
ENFANCE = ROOT / "examples" / "enfance.xlsx"


def merged(tmp_path: Path, *, hidden: bool) -> Path:
    """The Enfance example where Thématique B2:B4 is merged (B3, B4 emptied, as Excel does)
    and Porteur H5:H6 too; with ``hidden``, H6 keeps its own value under the merge (as
    LibreOffice does when told to keep the contents of hidden cells)."""
    wb = load_workbook(ENFANCE)
    ws = wb["Actions"]
    ws["B3"] = ws["B4"] = None
    ws["H5"], ws["H6"] = "Direction Enfance", "Service caché" if hidden else None
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    out = tmp_path / "fusion.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                where = re.search(rb"<(?:conditionalFormatting|dataValidations|printOptions|"
                                  rb"pageMargins)\b", data).start()
                data = (data[:where] + b'<mergeCells count="2"><mergeCell ref="B2:B4"/>'
                        b'<mergeCell ref="H5:H6"/></mergeCells>' + data[where:])
            z.writestr(info, data)
    return out


def test_the_top_left_value_is_read_and_a_hidden_value_reported_never_used(tmp_path):
    plan = read_plan(merged(tmp_path, hidden=True))
    actions = plan.actions
    porteurs = actions.column("porteur")
    assert porteurs[3] == "Direction Enfance" and porteurs[4] is None   # H6 not read
    assert list(actions.column("thematique")[:3]) == ["Enfance"] * 3       # filled down
    hidden = [n for n in plan.notes if n.code == "valeur-masquee"]
    assert [(n.cell, n.value) for n in hidden] == [("H5:H6", "Service caché")]
    assert "« Service caché » en H6" in hidden[0].message
    assert "n'est pas lu" in hidden[0].message


@pytest.mark.parametrize("hidden", [False, True], ids=["excel", "libreoffice"])
def test_the_add_in_and_the_command_give_the_same_findings(tmp_path, hidden):
    pytest.importorskip("fastapi")
    from addin_payloads import payload_as_sent, xw
    from test_addin_verifier import controls_rows

    from ctgxl.addin.verifier import HEADERS, verifier

    path = merged(tmp_path, hidden=hidden)
    payload = payload_as_sent(path)
    book = xw.Book(json=copy.deepcopy(payload))
    outcome = verifier(book, merged=payload["ctgxl"]["fusions"])
    answer = book.json()
    expected = validate_file(path).findings
    assert outcome.counts == validate_file(path).counts
    rows = controls_rows(answer, payload)[1:]
    code, cell = HEADERS.index("Code"), HEADERS.index("Cellule")
    found = sorted((r[code].lstrip("'"), (r[cell] or "").lstrip("'")) for r in rows)
    assert found == sorted((f.code, f.cell or "") for f in expected)
    assert ("cellules-fusionnees", "B2:B4") in found
    assert (("valeur-masquee", "H5:H6") in found) is hidden


def test_comparer_finds_no_difference_between_the_open_book_and_its_file(tmp_path):
    pytest.importorskip("fastapi")
    from addin_payloads import payload_as_sent, xw

    from ctgxl.addin.comparer import comparer

    path = merged(tmp_path, hidden=True)
    book = xw.Book(json=copy.deepcopy(payload_as_sent(path)))
    outcome = comparer(book, read_plan(path), path.name,
                       merged=payload_as_sent(path)["ctgxl"]["fusions"])
    assert outcome.message == f"Aucune différence avec « {path.name} »."


def test_the_server_reads_the_merged_ranges_the_task_pane_sends(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient
    from addin_payloads import payload_as_sent

    from ctgxl.addin.server import Settings, create_app

    path = merged(tmp_path, hidden=False)
    client = TestClient(create_app(Settings(token="t")))
    headers = {"Authorization": "Bearer t"}
    payload = payload_as_sent(path)
    with_merges = client.post("/xlwings/custom-scripts-call/verifier", json=payload,
                              headers=headers).json()
    assert with_merges["ctgxl"]["counts"] == validate_file(path).counts
    bad = dict(payload, ctgxl={"fusions": ["B2:B4"]})
    answer = client.post("/xlwings/custom-scripts-call/verifier", json=bad, headers=headers)
    assert answer.status_code == 400 and "fusions" in answer.json()["erreur"]
