"""The task pane in a real browser, clicked as an agent clicks it.

``ctgxl serve`` runs on loopback with a token; headless Chromium (Playwright) loads its
``taskpane.html``; office.js is the stand-in ``tests/office_stand_in.js`` holding a
workbook made from a real example (values, dates, merged ranges). The test clicks
Vérifier, Comparer (reference file chosen on the file input) and Consolider (files
chosen on theirs) and reads what landed in the workbook: the colours and « Contrôles »
rows equal ``ctgxl validate``'s findings on the same file, « Différences » equals
``ctgxl diff``, « Synthèse » the master's figures (``ctgxl consolidate``); on a refusal
(bad token, file too big, server busy, server down) the pane shows a French sentence
and its buttons work again. The same on the examples as LibreOffice leaves them after an
edit (merged cells, deleted rows, a renamed header).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

# addin_payloads first: it sets xlwings' licence key, read when xlwings is imported
from addin_payloads import long_consolidation, workbook_in_excel

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from addin_serving import ROOT, TOKEN, serving  # noqa: E402

pytestmark = pytest.mark.slow

CHROMIUM = (os.environ.get("CTGXL_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser") or shutil.which("google-chrome"))
STAND_IN = (Path(__file__).parent / "office_stand_in.js").read_text(encoding="utf-8")
EXAMPLES = ROOT / "examples"
ENFANCE, JEUNESSE = EXAMPLES / "enfance.xlsx", EXAMPLES / "jeunesse.xlsx"
BUTTONS = ("verifier", "comparer", "consolider")
DONE = ("() => !document.getElementById('verifier').disabled && "
        "document.getElementById('statut').textContent !== 'En cours…'")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright absent : pip install playwright (voir README, « Pour les "
                    "développeurs »)")
    if not CHROMIUM:
        pytest.skip("aucun navigateur Chromium : apt-get install chromium (ou CTGXL_CHROMIUM="
                    "chemin du navigateur ; voir README)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server():
    with serving() as served:     # the default: one worker per processor
        yield served


class Pane:
    """The task pane open in a browser tab, over the stand-in's workbook."""

    def __init__(self, browser, served, workbook: dict, token: str | None = TOKEN) -> None:
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.add_init_script(script=f"window.__ctgxlClasseur = {json.dumps(workbook)};")
        self.page.route("https://appsforoffice.microsoft.com/**", lambda route: route.fulfill(
            status=200, content_type="text/javascript; charset=utf-8", body=STAND_IN))
        self.page.goto(served.url + "taskpane.html")
        self.page.wait_for_function(
            "() => document.getElementById('verifier').onclick !== null")
        if token is not None:
            self.save_token(token)

    def save_token(self, token: str) -> None:
        """As the agent does: open « Réglages », type the token, « Enregistrer le jeton »."""
        if not self.page.evaluate("document.querySelector('details').open"):
            self.page.click("summary")
        self.page.fill("#jeton", token)
        self.page.click("#enregistrer")
        assert self.status() == "Jeton enregistré."

    def click(self, button: str) -> str:
        self.page.click(f"#{button}")
        self.page.wait_for_function(DONE, timeout=180_000)
        return self.status()

    def status(self) -> str:
        return self.page.inner_text("#statut")

    def status_is_an_error(self) -> bool:
        return self.page.get_attribute("#statut", "class") == "erreur"

    def buttons_usable(self) -> bool:
        return all(self.page.is_enabled(f"#{b}") for b in BUTTONS)

    def state(self) -> dict:
        return self.page.evaluate("ctgxlStandIn.state()")

    def typed(self, sheet: str, ref: str, value) -> None:
        """As if the agent typed ``value`` into ``sheet!ref``."""
        self.page.evaluate("([s, r, v]) => ctgxlStandIn.type(s, r, v)", [sheet, ref, value])

    def formulas(self) -> list:
        return self.page.evaluate("ctgxlStandIn.formulas")

    def close(self) -> None:
        assert self.errors == []
        self.context.close()


def sheet(state: dict, name: str) -> dict:
    return next(s for s in state["sheets"] if s["name"] == name)


def rows(state: dict, name: str) -> list[list]:
    return sheet(state, name)["values"]


# -- the examples as LibreOffice leaves them after an edit -----------------------------------

def deleted_rows(tmp_path: Path) -> Path:
    """Enfance with two actions deleted in the middle (« Supprimer des lignes ») and saved by
    Calc: the rows move up and Calc writes empty rows down to row 1,048,576."""
    from openpyxl import load_workbook

    from office_habits import calc_rows, rewritten, with_tail

    wb = load_workbook(ENFANCE)
    wb["Actions"].delete_rows(6, 2)
    plain = tmp_path / "supprimees-openpyxl.xlsx"
    wb.save(plain)
    return rewritten(plain, tmp_path / "enfance-lignes-supprimees.xlsx", with_tail(calc_rows))


def renamed_header(tmp_path: Path) -> Path:
    """Jeunesse with its statuts typed in, then the « Statut » header renamed."""
    from test_renamed_columns import edited

    return edited(tmp_path, "jeunesse-en-tete-renomme.xlsx", header="Avancement 2025")


def merged_cells(tmp_path: Path) -> Path:
    """Enfance with Thématique B2:B4 and Porteur H5:H6 merged, a value kept hidden under the
    second (as LibreOffice does when asked to keep the hidden cells' contents)."""
    from test_merged_cells import merged

    return merged(tmp_path, hidden=True)


VARIANTS = {"exemple": lambda tmp: ENFANCE, "fusions": merged_cells,
            "lignes-supprimees": deleted_rows, "en-tete-renomme": renamed_header}
ORIGINALS = {"exemple": ENFANCE, "fusions": ENFANCE, "lignes-supprimees": ENFANCE,
             "en-tete-renomme": JEUNESSE}


# -- Vérifier ---------------------------------------------------------------------------------

def validate_findings(run, path: Path) -> list[dict]:
    result = run("validate", path, "--format", "json")
    return json.loads(result.stdout)["files"][0]["findings"]


def expected_colours(findings: list[dict], sheets: set[str]) -> dict[tuple[str, str], str]:
    from ctgxl.addin.book import top_left
    from ctgxl.validation.annotate import FILLS, SEVERITY_RANK

    worst: dict[tuple[str, str], str] = {}
    for f in findings:
        if f["severity"] not in FILLS or f["sheet"] not in sheets:
            continue
        for ref in f["cells"]:
            cell = (f["sheet"], top_left(ref))
            if SEVERITY_RANK[f["severity"]] > SEVERITY_RANK.get(worst.get(cell, ""), -1):
                worst[cell] = f["severity"]
    return {cell: "#" + FILLS[severity].upper() for cell, severity in worst.items()}


def colours(state: dict, skip: str = "Contrôles") -> dict[tuple[str, str], str]:
    return {(s["name"], ref): colour for s in state["sheets"] if s["name"] != skip
            for ref, colour in s["fills"].items()}


def controls(state: dict) -> tuple[list[str], list[dict]]:
    header, *body = rows(state, "Contrôles")
    return header, [dict(zip(header, r)) for r in body]


def as_finding(row: dict) -> tuple:
    return tuple(row.get(k) for k in ("Gravité", "Feuille", "Cellule", "En-tête", "Valeur",
                                      "Message", "Suggestion", "Code"))


def expected_rows(findings: list[dict]) -> list[tuple]:
    return [(f["severity"], f["sheet"], f["cell"], f["header"], f["value"], f["message"],
             f["suggestion"], f["code"]) for f in findings]


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_verifier_writes_what_ctgxl_validate_finds(browser, server, run, tmp_path, variant):
    from ctgxl.addin.verifier import HEADERS

    path = VARIANTS[variant](tmp_path)
    workbook = workbook_in_excel(path)
    pane = Pane(browser, server, workbook)
    message = pane.click("verifier")
    findings = validate_findings(run, path)
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("erreur", "avertissement")}
    assert message.startswith(f"Vérification terminée : {counts['erreur']} erreur")
    assert not pane.status_is_an_error() and pane.buttons_usable()

    state = pane.state()
    names = {s["name"] for s in workbook["sheets"]}
    assert colours(state) == expected_colours(findings, names)
    header, found = controls(state)
    assert header == list(HEADERS)
    assert sorted(map(as_finding, found), key=repr) == sorted(expected_rows(findings), key=repr)
    severities = [r["Gravité"] for r in found]
    assert severities == sorted(severities, key=["erreur", "avertissement",
                                                 "information"].index)   # erreurs first
    assert state["active"] == "Contrôles"
    # the workbook's own values are untouched
    for given in workbook["sheets"]:
        assert trimmed(sheet(state, given["name"])["values"]) == trimmed(given["values"])
    assert pane.formulas() == []
    pane.close()


def trimmed(grid: list[list]) -> list[list]:
    cells = [[None if v == "" else v for v in row] for row in grid]
    cells = [row[:max((i + 1 for i, v in enumerate(row) if v is not None), default=0)]
             for row in cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def test_verifier_again_recolours_what_the_agent_changed(browser, server, run):
    """A second click after the agent typed a wrong statut colours that cell; a third, once
    the agent emptied it again, clears its colour and leaves the first run's colours."""
    from addin_payloads import header_ref, payload_of
    from ctgxl.validation.annotate import FILLS

    workbook = workbook_in_excel(ENFANCE)
    pane = Pane(browser, server, workbook)
    pane.click("verifier")
    first = colours(pane.state())
    statut = header_ref(payload_of(ENFANCE), "Actions", "Statut", 3)
    assert ("Actions", statut) not in first

    pane.typed("Actions", statut, "Peut-être")
    message = pane.click("verifier")
    second = pane.state()
    assert colours(second) == {**first, ("Actions", statut): "#" + FILLS["erreur"].upper()}
    assert any(r["Cellule"] == statut and r["Code"] == "valeur-hors-liste"
               for r in controls(second)[1]), message

    pane.typed("Actions", statut, "")
    pane.click("verifier")
    third = pane.state()
    assert colours(third) == first
    assert not any(r["Cellule"] == statut for r in controls(third)[1])
    pane.close()


def test_without_merged_areas_in_excel_the_pane_still_verifies(browser, server, run, tmp_path):
    """An Excel older than ExcelApi 1.13 sends no merged ranges: the pane still works, and
    the merged thématique is read as xlwings' values give it (documented limit)."""
    path = merged_cells(tmp_path)
    pane = Pane(browser, server, workbook_in_excel(path, api="1.12"))
    assert pane.click("verifier").startswith("Vérification terminée")
    codes = {r["Code"] for r in controls(pane.state())[1]}
    assert "cellules-fusionnees" not in codes
    pane.close()


# -- Comparer ---------------------------------------------------------------------------------

def diff_rows(run, old: Path, new: Path) -> list[tuple]:
    from ctgxl.catalogue import TABLE_SHEETS
    from ctgxl.compare.labels import EMPTY

    def plain(value):
        return EMPTY if value is None else str(value)

    diff = json.loads(run("diff", old, new, "--format", "json").stdout)
    out = []
    for table in TABLE_SHEETS:
        for entry in diff["tables"][table.key]:
            if entry["kind"] in ("ajoutee", "supprimee"):
                out.append((table.name, entry["kind"], None, None, None, None))
                continue
            for change in entry["changes"]:
                out.append((table.name, entry["kind"], change["header"], plain(change["old"]),
                            plain(change["new"]), change["new_cell"].rsplit("!", 1)[-1]))
    return out


def written_differences(state: dict) -> list[tuple]:
    from ctgxl.addin.comparer import HEADERS

    grid = rows(state, "Différences")
    top = next(i for i, r in enumerate(grid) if r[:len(HEADERS)] == list(HEADERS))
    kinds = {"Ajoutée": "ajoutee", "Supprimée": "supprimee"}
    out = []
    for r in grid[top + 1:]:
        row = dict(zip(HEADERS, r))
        kind = kinds.get(row["Changement"])
        if kind:
            out.append((row["Feuille"], kind, None, None, None, None))
        else:
            out.append((row["Feuille"], "modifiee", row["Colonne"], row["Valeur de référence"],
                        row["Valeur du classeur"], row["Cellule"]))
    return out


@pytest.mark.parametrize("variant", ["lignes-supprimees", "fusions", "en-tete-renomme"])
def test_comparer_writes_what_ctgxl_diff_finds(browser, server, run, tmp_path, variant):
    path = VARIANTS[variant](tmp_path)
    reference = ORIGINALS[variant]
    pane = Pane(browser, server, workbook_in_excel(path))
    pane.page.set_input_files("#reference", str(reference))
    message = pane.click("comparer")
    assert not pane.status_is_an_error(), message
    expected = diff_rows(run, reference, path)
    assert expected, "the edit must make differences"
    assert sorted(written_differences(pane.state()), key=repr) == sorted(expected, key=repr)
    assert f"avec « {reference.name} »" in message
    pane.close()


def test_comparer_without_a_reference_says_what_to_do(browser, server):
    pane = Pane(browser, server, workbook_in_excel(ENFANCE))
    message = pane.click("comparer")
    assert message.startswith("Comparer : choisissez d'abord la version de référence")
    assert pane.status_is_an_error() and pane.buttons_usable()
    pane.close()


# -- Consolider -------------------------------------------------------------------------------

MASTER = {"name": "pilotage.xlsx", "api": "1.13", "active": 0,
          "sheets": [{"name": "Accueil", "values": [["Pilotage de la CTG"]], "categories": {},
                      "merged": []}]}


def blocks(grid: list[list]) -> dict[str, list[list]]:
    """The Synthèse's blocks: title → its rows (header first) up to the next blank row."""
    out, title = {}, None
    for r in grid:
        cells = [v for v in r if v is not None]
        if not cells:
            title = None
        elif title is None and len(cells) == 1 and isinstance(cells[0], str):
            title = cells[0]
            out[title] = []
        elif title is not None:
            out[title].append(r)
    return out


def test_consolider_writes_the_masters_figures(browser, server, run, tmp_path):
    files = sorted(EXAMPLES.glob("*.xlsx"))
    master = json.loads(run("consolidate", *files, "-o", tmp_path / "pilotage.xlsx", "--forcer",
                            "--format", "json").stdout)
    summary = master["summary"]
    failing = sum(f["validation"]["status"] == "erreurs" for f in master["files"])
    assert failing > 1
    pane = Pane(browser, server, MASTER)
    pane.page.set_input_files("#sources", [str(f) for f in files])
    refused = pane.click("consolider")
    assert refused.startswith(f"Consolidation refusée : {failing} fichiers sur 5 ont des erreurs")
    assert pane.status_is_an_error() and pane.buttons_usable()

    pane.page.check("#forcer")
    message = pane.click("consolider")
    assert message.startswith(f"Consolidation de 5 fichiers : {summary['actions']} actions")
    grid = rows(pane.state(), "Synthèse")
    found = blocks(grid)

    figures = next(grid[i + 1] for i, r in enumerate(grid) if r[:1] == ["Actions"])
    assert figures[:4] == [summary["actions"], summary["offres"],
                           summary["actions_avec_indicateurs"], summary["actions_sans_annee"]]
    assert [r[:4] for r in found["Fichiers consolidés"][1:]] == [
        [f["name"], f["thematique"], f["rows"]["Actions"], f["rows"]["Offres"]]
        for f in master["files"]]
    header, *by_theme = found["Actions par thématique et par statut"]
    statuts = header[4:]
    assert [r[:4 + len(statuts)] for r in by_theme] == [
        [t["thematique"], t["actions"], t["offres"], t["actions_avec_indicateurs"],
         *(t["statuts"][s] for s in statuts)] for t in summary["par_thematique"]]
    assert set(statuts) == set(summary["par_thematique"][0]["statuts"])
    assert [r[:3] for r in found["Actions par année"][1:]] == [
        [y["annee"], y["actions_en_cours"], y["actions_a_echeance"]] for y in summary["par_annee"]]
    assert [r[:3] for r in found["Principaux porteurs"][1:]] == [
        [p["porteur"], p["actions"], p["thematiques"]] for p in summary["porteurs"]]
    cross = found["Constats entre fichiers"][1:]
    assert [r[:4] for r in cross] == ([[f["severity"], f["code"], f["file"], f["message"]]
                                       for f in master["findings"]] or [["Aucun constat.",
                                                                         None, None, None]])
    pane.close()


# -- refusals: a French sentence, the buttons usable again ------------------------------------

def test_refusals_are_french_sentences_and_leave_the_buttons_usable(browser, tmp_path):
    with serving("--processus", "1", "--file-attente", "0", "--taille-max", "8") as served:
        pane = Pane(browser, served, workbook_in_excel(ENFANCE), token="mauvais-jeton")

        def refused(button: str) -> str:
            message = pane.click(button)
            assert pane.status_is_an_error() and pane.buttons_usable(), message
            return message

        assert refused("verifier").startswith("Authentification requise : jeton absent ou "
                                              "incorrect")
        pane.save_token(served.token)

        big = tmp_path / "gros.xlsx"
        big.write_bytes(os.urandom(9 * 1024 * 1024))
        pane.page.set_input_files("#sources", str(big))
        assert refused("consolider") == ("Requête trop volumineuse : plus de 8 Mo (limite du "
                                         "serveur ctgxl).")

        # the only worker busy with a long consolidation, no place in the queue: 503 at once
        busy = threading.Thread(target=served.post, args=("consolider", long_consolidation()))
        busy.start()
        try:
            deadline = time.monotonic() + 30
            while served.get_json("/sante")["file_attente"]["en_cours"] == 0:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            assert refused("verifier") == ("Serveur occupé : toutes les places de la file "
                                           "d'attente du serveur ctgxl sont prises. Réessayez "
                                           "dans quelques secondes.")
        finally:
            busy.join(120)

        served.process.terminate()
        served.process.wait(30)
        assert refused("verifier").startswith("Le serveur ctgxl ne répond pas : vérifiez qu'il "
                                              "est démarré")
        assert pane.page.evaluate("ctgxlStandIn.writes.length") == 0   # nothing written
        pane.close()
