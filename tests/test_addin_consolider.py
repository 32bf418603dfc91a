"""Consolider: the services' workbooks attached by the task pane, « Synthèse » written."""

from __future__ import annotations

import base64

import pytest

from addin_payloads import EXAMPLES, payload_of, written_rows
from workbooks import small_plan

pytest.importorskip("fastapi")
pytest.importorskip("ctgxl.consolidation")
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
    payload["ctgxl"] = {"sources": [attached(p) for p in sources]}
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
