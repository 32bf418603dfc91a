"""The add-in server through FastAPI's TestClient: xlwings' protocol, auth, limits, errors."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET

import pytest

from addin_payloads import (EXAMPLES, cell_of, colour_actions, first_data_row, header_ref,
                            payload_of, set_cell, sheet_position, xw)
from workbooks import small_plan

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from ctgxl.addin.server import Settings, create_app  # noqa: E402
from ctgxl.writer import write_plan  # noqa: E402

TOKEN = "jeton-de-test-123"
URL = "/xlwings/custom-scripts-call/"


@pytest.fixture
def clean(tmp_path):
    path = tmp_path / "enfance.xlsx"
    write_plan(small_plan(3), path)
    return path


@pytest.fixture
def client():
    return TestClient(create_app(Settings(token=TOKEN)))


def auth(token: str = TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post(client, script: str, payload, headers=None, **kw):
    return client.post(URL + script, json=payload, headers=auth() if headers is None else headers,
                       **kw)


def french_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"erreur"}
    assert "Traceback" not in body["erreur"]
    return body["erreur"]


def test_health(client):
    response = client.get("/sante")
    assert response.status_code == 200
    assert response.json()["statut"] == "ok"
    assert client.get("/health").json() == response.json()


def test_verifier_clean_returns_actions_without_colour(client, clean):
    response = post(client, "verifier", payload_of(clean))
    assert response.status_code == 200
    answer = response.json()
    assert colour_actions(answer) == []
    assert [a["func"] for a in answer["actions"]] == ["addSheet", "setValues"]
    assert answer["ctgxl"]["message"].startswith("Vérification terminée : aucune erreur")
    # Every action carries the keys the VBA and Office Scripts clients read.
    for action in answer["actions"]:
        assert set(action) >= {"func", "args", "values", "sheet_position", "start_row",
                               "start_column", "row_count", "column_count"}


@pytest.mark.parametrize("client_name", ["VBA", "Microsoft Office Scripts", "Office.js"])
def test_verifier_planted_error_is_coloured_for_every_client(client, clean, client_name):
    payload = payload_of(clean, client=client_name)
    cell = header_ref(payload, "Actions", "Statut", first_data_row(payload, "Actions"))
    payload = set_cell(payload, "Actions", cell, "Peut-être")
    answer = post(client, "verifier", payload).json()
    position = sheet_position(payload, "Actions")
    assert [cell_of(a) for a in colour_actions(answer) if a["sheet_position"] == position] == \
        [(position, cell)]
    assert answer["ctgxl"]["counts"]["erreur"] == 1


@pytest.mark.parametrize("path", EXAMPLES[:1], ids=lambda p: p.name)
def test_verifier_on_an_example(client, path):
    response = post(client, "verifier", payload_of(path))
    assert response.status_code == 200
    assert response.json()["actions"]


def test_comparer_with_an_attached_reference(client, clean, tmp_path):
    payload = payload_of(clean)
    cell = header_ref(payload, "Actions", "Statut", first_data_row(payload, "Actions"))
    payload = set_cell(payload, "Actions", cell, "Réalisée")
    payload["ctgxl"] = {"reference": {"name": "enfance-v1.xlsx",
                                      "content": base64.b64encode(clean.read_bytes()).decode()}}
    answer = post(client, "comparer", payload).json()
    assert "1 différence avec « enfance-v1.xlsx »" in answer["ctgxl"]["message"]
    written = next(a["values"] for a in answer["actions"] if a["func"] == "setValues")
    changed = [r for r in written if r[:1] == ["'Actions"]]
    assert len(changed) == 1
    assert [v.lstrip("'") if isinstance(v, str) else v for v in changed[0]] == \
        ["Actions", "ENF-001", "Modifiée", "Statut", "En cours", "Réalisée", cell]


def test_comparer_without_reference_says_what_to_do(client, clean):
    message = french_error(post(client, "comparer", payload_of(clean)), 422)
    assert "version de référence" in message


def test_comparer_with_an_unreadable_reference(client, clean):
    payload = payload_of(clean)
    payload["ctgxl"] = {"reference": {"name": "notes.xlsx",
                                      "content": base64.b64encode(b"pas un classeur").decode()}}
    message = french_error(post(client, "comparer", payload), 422)
    assert message.startswith("Fichier « notes.xlsx » :")


def test_consolider_without_sources_answers_in_french(client, clean):
    assert "aucun classeur" in french_error(post(client, "consolider", payload_of(clean)), 422)


# -- authentication --------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, auth("mauvais"), {"Authorization": TOKEN},
                                     {"Authorization": "Basic " + TOKEN}])
def test_script_routes_need_the_token(client, clean, headers):
    message = french_error(post(client, "verifier", payload_of(clean), headers=headers), 401)
    assert "jeton" in message


def test_unknown_script_is_a_french_404_after_auth(client, clean):
    assert post(client, "supprimer", payload_of(clean), headers={}).status_code == 401
    message = french_error(post(client, "supprimer", payload_of(clean)), 404)
    assert "« supprimer » inconnue" in message


def test_unknown_path_and_method_are_french(client):
    assert "inconnue" in french_error(client.get("/nulle-part"), 404)
    assert french_error(client.get(URL + "verifier"), 405)


def test_without_a_configured_token_no_header_is_needed(clean):
    client = TestClient(create_app(Settings(token=None)))
    assert post(client, "verifier", payload_of(clean), headers={}).status_code == 200


# -- malformed and oversized payloads --------------------------------------------------------

def test_oversized_body_is_refused(clean):
    client = TestClient(create_app(Settings(token=TOKEN, max_bytes=10_000)))
    message = french_error(post(client, "verifier", payload_of(clean)), 413)
    assert "trop volumineuse" in message


def test_oversized_body_without_length_is_refused(clean):
    client = TestClient(create_app(Settings(token=TOKEN, max_bytes=10_000)))
    body = json.dumps(payload_of(clean)).encode()

    def chunks():
        for i in range(0, len(body), 4096):
            yield body[i:i + 4096]

    response = client.post(URL + "verifier", content=chunks(),
                           headers={**auth(), "Content-Type": "application/json"})
    french_error(response, 413)


def test_not_json(client):
    response = client.post(URL + "verifier", content=b"{pas du json",
                           headers={**auth(), "Content-Type": "application/json"})
    assert "JSON" in french_error(response, 400)


def test_wrong_content_type(client, clean):
    response = client.post(URL + "verifier", content=json.dumps(payload_of(clean)),
                           headers={**auth(), "Content-Type": "text/plain"})
    french_error(response, 415)


@pytest.mark.parametrize("change", [
    lambda p: [],
    lambda p: {k: v for k, v in p.items() if k != "client"},
    lambda p: {**p, "sheets": []},
    lambda p: {**p, "sheets": "Actions"},
    lambda p: {**p, "book": {"active_sheet_index": 0}},
    lambda p: {**p, "book": {**p["book"], "active_sheet_index": 99}},
    lambda p: {**p, "sheets": [{"name": "Actions", "values": "A1"}]},
    lambda p: {**p, "sheets": [{"name": "Actions", "values": [[{"x": 1}]]}]},
    lambda p: {**p, "sheets": [{"values": [[1]]}]},
    lambda p: {**p, "names": "x"},
    lambda p: {**p, "ctgxl": {"reference": {"name": "a.xlsx", "content": "%%%"}}},
], ids=["list", "no-client", "no-sheets", "sheets-text", "no-book-name", "active-out",
        "values-text", "cell-object", "sheet-no-name", "names-text", "bad-base64"])
def test_malformed_payloads_are_400(client, clean, change):
    response = post(client, "comparer", change(payload_of(clean)))
    french_error(response, 400)


def test_other_xlwings_version_is_refused_for_non_office_js_clients(client, clean):
    payload = {**payload_of(clean), "version": "0.30.0"}
    message = french_error(post(client, "verifier", payload), 400)
    assert "0.30.0" in message and xw.__version__ in message
    office = {**payload_of(clean, client="Office.js"), "version": "0.30.0"}
    assert post(client, "verifier", office).status_code == 200


def test_a_workbook_that_is_not_a_plan_is_a_french_422(client):
    payload = {"client": "VBA", "version": xw.__version__,
               "book": {"name": "budget.xlsx", "active_sheet_index": 0, "selection": "A1"},
               "names": [], "sheets": [{"name": "Feuil1", "values": [["Budget", 12]],
                                        "pictures": [], "tables": []}]}
    message = french_error(post(client, "verifier", payload), 422)
    assert "budget.xlsx" in message and "Actions" in message


def test_an_internal_error_is_a_500_without_traceback(clean, monkeypatch):
    from ctgxl.addin import worker

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(worker, "_dispatch", broken)
    client = TestClient(create_app(Settings(token=TOKEN)), raise_server_exceptions=False)
    message = french_error(post(client, "verifier", payload_of(clean)), 500)
    assert "secret" not in message and "Erreur interne de ctgxl" in message


# -- CORS and the add-in's own files ---------------------------------------------------------

def test_cors_only_for_configured_origins(clean):
    client = TestClient(create_app(Settings(token=TOKEN, origins=("https://excel.example",))))
    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
    ok = client.options(URL + "verifier", headers={**preflight, "Origin": "https://excel.example"})
    assert ok.headers.get("access-control-allow-origin") == "https://excel.example"
    bad = client.options(URL + "verifier", headers={**preflight, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in bad.headers
    plain = TestClient(create_app(Settings(token=TOKEN)))
    none = plain.post(URL + "verifier", json=payload_of(clean),
                      headers={**auth(), "Origin": "https://excel.example"})
    assert "access-control-allow-origin" not in none.headers


def test_manifest_and_task_pane_are_served(client):
    manifest = client.get("/manifest.xml")
    assert manifest.status_code == 200
    root = ET.fromstring(manifest.content)
    ns = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1"}
    source = root.find("o:DefaultSettings/o:SourceLocation", ns).get("DefaultValue")
    assert source == "http://testserver/taskpane.html"
    assert root.find("o:DefaultLocale", ns).text == "fr-FR"
    page = client.get("/taskpane.html")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for word in ("Vérifier", "Comparer", "Consolider"):
        assert f">{word}</button>" in page.text
    script = client.get("/taskpane.js")
    assert script.status_code == 200 and "custom-scripts-call" in script.text
    icon = client.get("/icone-32.png")
    assert icon.status_code == 200 and icon.content.startswith(b"\x89PNG")


def test_manifest_uses_the_public_url():
    client = TestClient(create_app(Settings(public_url="https://ctg.example.fr/")))
    assert "https://ctg.example.fr/taskpane.html" in client.get("/manifest.xml").text


def test_books_are_released_after_each_request(client, clean):
    remote = xw.engines["remote"].apps.active.books   # xlwings' list of remote books
    before = len(remote)
    for _ in range(3):
        assert post(client, "verifier", payload_of(clean)).status_code == 200
    assert len(remote) == before


def test_xlwings_still_has_the_range_cache_the_server_clears():
    """The server empties xlwings' private range cache after each request; if xlwings
    renames it, this fails so that ``payload.clear_range_cache`` is revisited."""
    from ctgxl.addin.payload import clear_range_cache

    assert clear_range_cache() is True


def test_json_nested_very_deep_is_a_400(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(URL + "verifier", content=body, headers={
        **auth(), "Content-Type": "application/json"})
    assert "trop imbriqué" in french_error(response, 400)


def test_the_server_is_busy_only_when_its_queue_is_full(clean):
    """One request computing, one waiting (queue of 1): the third is told at once that the
    server is busy; the two others are answered."""
    import threading

    import ctgxl.addin.worker as worker

    app = create_app(Settings(token=TOKEN, queue=1))
    started, release = threading.Event(), threading.Event()
    real = worker._dispatch

    def slow(*args):
        started.set()
        release.wait(10)
        return real(*args)

    worker._dispatch = slow
    results = {}
    try:
        with TestClient(app) as c:
            def call(name):
                results[name] = post(c, "verifier", payload_of(clean))

            first = threading.Thread(target=call, args=("first",))
            first.start()
            assert started.wait(10)
            second = threading.Thread(target=call, args=("second",))
            second.start()
            for _ in range(200):   # the second is admitted: it waits in the queue
                if c.get("/sante").json()["file_attente"]["en_attente"] == 1:
                    break
                threading.Event().wait(0.02)
            assert c.get("/sante").json()["file_attente"] == {
                "places": 1, "en_cours": 1, "en_attente": 1}
            busy = post(c, "verifier", payload_of(clean))
            release.set()
            first.join(20)
            second.join(20)
    finally:
        worker._dispatch = real
    assert "Serveur occupé" in french_error(busy, 503)
    assert results["first"].status_code == 200 and results["second"].status_code == 200


def test_a_reference_with_a_far_away_stray_cell_is_a_422_and_the_server_lives(client, clean,
                                                                             tmp_path):
    import zipfile

    stray = tmp_path / "enorme.xlsx"
    with zipfile.ZipFile(clean) as archive, zipfile.ZipFile(stray, "w") as out:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" '
                                    b't="inlineStr"><is><t>x</t></is></c></row></sheetData>')
            out.writestr(info, data)
    payload = payload_of(clean)
    payload["ctgxl"] = {"reference": {"name": "enorme.xlsx",
                                      "content": base64.b64encode(stray.read_bytes()).decode()}}
    message = french_error(post(client, "comparer", payload), 422)
    assert "au-delà de la ligne 500 000" in message
    assert client.get("/sante").status_code == 200


def test_too_many_cells_are_refused_before_the_json_is_parsed(client, monkeypatch):
    import ctgxl.addin.worker as worker

    parsed = []
    real = worker._parsed
    monkeypatch.setattr(worker, "_parsed", lambda body: parsed.append(1) or real(body))
    body = b'{"sheets": [{"name": "Actions", "values": [[' + b"0," * 2_300_000 + b"0]]}]}"
    response = client.post(URL + "verifier", content=body, headers={
        **auth(), "Content-Type": "application/json"})
    assert "Classeur trop grand" in french_error(response, 413)
    assert parsed == []
