"""Consolider: the services' workbooks attached by the task pane, « Synthèse » written."""

from __future__ import annotations

import base64

import pytest

from addin_payloads import EXAMPLES, payload_of, written_rows
from workbooks import small_plan

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from ctgxl.addin.server import Settings, create_app  # noqa: E402
from ctgxl.writer import write_plan  # noqa: E402

URL = "/xlwings/custom-scripts-call/consolider"


def attached(path) -> dict:
    return {"name": path.name, "content": base64.b64encode(path.read_bytes()).decode()}


@pytest.fixture
def master(tmp_path):
    from ctgxl.model import Plan

    path = tmp_path / "pilotage.xlsx"
    write_plan(Plan(), path)
    return path


def text(rows):
    """Rows as shown (text prefix dropped), without the padding of empty cells on the right."""
    out = []
    for row in rows:
        row = [v.lstrip("'") if isinstance(v, str) else v for v in row]
        while row and row[-1] in (None, ""):
            row.pop()
        out.append(row)
    return out


def test_consolider_writes_the_synthese(master, tmp_path):
    enfance = tmp_path / "service_enfance.xlsx"
    write_plan(small_plan(3), enfance)
    sources = [enfance, *EXAMPLES[:2]]
    payload = payload_of(master)
    payload["ctgxl"] = {"sources": [attached(p) for p in sources], "forcer": True}
    response = TestClient(create_app(Settings())).post(URL, json=payload)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["ctgxl"]["counts"]["fichiers"] == len(sources)
    assert answer["ctgxl"]["message"].startswith(f"Consolidation de {len(sources)} fichiers")
    add = answer["actions"][0]
    assert add["func"] == "addSheet" and add["args"][1] == "Synthèse"
    rows = text(written_rows(answer, add["args"][0]))
    assert rows[0][0].startswith("Synthèse du plan d'actions")
    files = rows.index(["Fichier", "Thématique", "Actions", "Offres", "Contrôle"])
    assert [r[0] for r in rows[files + 1:files + 1 + len(sources)]] == [p.name for p in sources]
    assert rows[files + 1][1:4] == ["Enfance", 3, 2] and rows[files + 1][4] == "conforme"
    assert answer["actions"][-1]["func"] == "activateSheet"


def test_consolider_without_sources_says_what_to_do(master):
    response = TestClient(create_app(Settings())).post(URL, json=payload_of(master))
    assert response.status_code == 422
    assert "aucun classeur à consolider" in response.json()["erreur"]


def test_consolider_refuses_two_files_with_one_name(master, tmp_path):
    enfance = tmp_path / "enfance.xlsx"
    write_plan(small_plan(2), enfance)
    payload = payload_of(master)
    payload["ctgxl"] = {"sources": [attached(enfance), attached(enfance)]}
    response = TestClient(create_app(Settings())).post(URL, json=payload)
    assert response.status_code == 422
    assert "« enfance.xlsx »" in response.json()["erreur"]


def test_consolider_refuses_files_with_erreurs_as_the_command_does(master, run, tmp_path):
    payload = payload_of(master)
    payload["ctgxl"] = {"sources": [attached(p) for p in EXAMPLES[:2]]}
    response = TestClient(create_app(Settings())).post(URL, json=payload)
    assert response.status_code == 422
    message = response.json()["erreur"]
    assert message.startswith("Consolidation refusée : 2 fichiers sur 2 ont des erreurs")
    assert f"« {EXAMPLES[0].name} »" in message and "Consolider malgré les erreurs" in message
    command = run("consolidate", *EXAMPLES[:2], "-o", tmp_path / "p.xlsx")
    assert command.exit_code == 1 and "2 fichiers sur 2 ont des erreurs" in command.stderr


def test_consolider_gives_the_figures_and_checks_of_the_command(master, run, tmp_path):
    """Same pipeline as ctgxl consolidate: same figures, and the check of the files'
    dropdown lists runs (a service whose « Listes » sheet was edited is reported)."""
    import json

    from openpyxl import load_workbook

    edited = tmp_path / "enfance.xlsx"
    write_plan(small_plan(3), edited)
    wb = load_workbook(edited)
    wb["Listes"]["C2"] = "Presque finie"
    wb.save(edited)
    sources = [edited, EXAMPLES[0]]
    payload = payload_of(master)
    payload["ctgxl"] = {"sources": [attached(p) for p in sources], "forcer": True}
    answer = TestClient(create_app(Settings())).post(URL, json=payload).json()
    rows = text(written_rows(answer, answer["actions"][0]["args"][0]))
    checks = rows.index(["Gravité", "Code", "Fichier", "Message"])
    codes = {r[1] for r in rows[checks + 1:] if len(r) > 1}
    document = json.loads(run("consolidate", *sources, "-o", tmp_path / "p.xlsx", "--forcer",
                              "--format", "json").stdout)
    assert "listes-differentes" in codes
    assert codes == {f["code"] for f in document["findings"]}
    assert answer["ctgxl"]["counts"]["actions"] == document["totals"]["actions"]
    figures = rows[rows.index(["Actions", "Offres (déclinaisons)", "Actions avec indicateurs",
                               "Actions sans année"]) + 1]
    summary = document["summary"]
    assert figures == [summary["actions"], summary["offres"],
                       summary["actions_avec_indicateurs"], summary["actions_sans_annee"]]
