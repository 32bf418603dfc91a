"""The produced workbooks as LibreOffice prints them (PDF read back page by page).

What is checked is what a reader of the printed pages notices: how many pages a sheet
takes, that a table ends on the page where it starts, that nothing is cut inside a
word or a number, the paper, and the words on the pages.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rendering import pages_of, printed

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.soffice


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    from click.testing import CliRunner

    from ctgxl.cli import group

    folder = tmp_path_factory.mktemp("master")
    out = folder / "pilotage.xlsx"
    result = CliRunner().invoke(group, ["consolidate", *map(str, sorted(EXAMPLES.glob("*.xlsx"))),
                                        "-o", str(out), "--forcer"])
    assert result.exit_code == 1, result.output
    return out, printed(out, folder / "pdf")


def test_the_synthese_prints_on_two_pages_without_a_cut_table(master):
    from ctgxl.consolidation.summary import summarize
    from ctgxl.reader import read_plan

    path, pages = master
    first, second = pages_of(pages, "Synthèse")        # exactly two pages
    for title in ("Chiffres clés", "Actions par thématique", "Avancement des actions (statut)"):
        assert title in first.text
    assert "Aucun statut n'est renseigné" in first.text
    for title in ("Actions par thématique et par axe", "Actions par année d'échéance",
                  "Principaux porteurs de projet"):
        assert title in second.text
    last_porteur = summarize(read_plan(path)).porteurs[-1][0]
    assert re.search(r"\s+".join(map(re.escape, last_porteur.split()[:2])), second.text)
    assert "Réalisées" in first.text and "En cours" in first.text      # the key figures
    assert first.size == second.size == "A4"


def test_the_calendrier_shows_whole_numbers_and_distinct_titles(master):
    _, pages = master
    text = "\n".join(p.text for p in pages_of(pages, "Calendrier"))
    assert "1,2,3,7,9,10,13." in text                       # COH-002's N°, not cut
    assert "… Cafés partenariats" in text
    assert "ce début commun est remplacé par « … »" in text
    assert "(intitulé non renseigné)" in text               # JEU-002
    assert "A l'échelle de l'Agglomération Cafés" not in text


def test_sources_keep_numbers_apart_and_the_lisez_moi_describes_the_master(master):
    _, pages = master
    [sources] = pages_of(pages, "Sources")
    assert not re.search(r"\b0\d+ (?:erreur|avertissement)", sources.text)
    assert re.search(r"\d\s{2,}\d+ erreurs?, \d+ avertissements", sources.text)
    readme = "\n".join(p.text for p in pages_of(pages, "Lisez-moi"))
    assert "Fichier de pilotage de la Convention Territoriale Globale" in readme
    assert "modèle vierge" not in readme
    for sheet in ("Synthèse", "Calendrier", "Sources"):
        assert f"Feuille « {sheet} »" in readme


def test_wide_tables_print_on_a3_with_the_id_repeated(master):
    _, pages = master
    actions = pages_of(pages, "Actions")
    assert actions and all(p.size == "A3" for p in actions)
    assert len(actions) % 2 == 0                           # two pages wide, rows kept together
    assert all("ID action" in p.text for p in actions)     # column A repeated on each page
    assert re.search(r"\bstratégique\b", actions[0].text)   # the header not cut in the word
    [listes] = pages_of(pages, "Listes")
    assert "Types d'indicateurs" in listes.text
    assert re.search(r"Codes des\s+(?:\S+\s+)*?thématiques", listes.text)


def test_the_template_prints_a_few_pages(tmp_path, run):
    out = tmp_path / "modele.xlsx"
    assert run("template", "-o", out).exit_code == 0
    pages = printed(out, tmp_path / "pdf")
    assert 5 <= len(pages) <= 20
    assert {p.sheet for p in pages} >= {"Lisez-moi", "Actions", "Offres", "Plan", "Indicateurs",
                                        "Suivi", "Listes"}
    readme = "\n".join(p.text for p in pages_of(pages, "Lisez-moi"))
    assert "modèle vierge" in readme


def test_rendering_helper_needs_poppler():
    assert shutil.which("pdftotext") and shutil.which("pdfinfo"), \
        "poppler-utils (pdftotext, pdfinfo) is needed to read the printed pages back"


def test_synthese_charts_print_no_zero_beside_a_thematique(tmp_path):
    """A stacked bar's empty statut printed « 0 » against the category's name
    (« Petite enfance0 »): the labels' number format hides zeros."""
    import subprocess
    import sys

    from conftest import soffice_convert

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent")
    sys.path.insert(0, str(ROOT / "tools"))
    from follow_up_example import write_scaled_master

    master = write_scaled_master(EXAMPLES, 206, tmp_path / "pilotage.xlsx")
    pdf = soffice_convert(master, "pdf", tmp_path / "pdf")
    # the charts: the right part of the first page (A4 landscape, 842 points wide)
    charts = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", "-x", "520", "-y", "0",
                             "-W", "322", "-H", "595", str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
    themes = ("Petite enfance", "Jeunesse et vie étudiante", "Cohésion sociale", "Parentalité",
              "Enfance")
    lines = [line for line in charts.splitlines() if any(t in line for t in themes)]
    assert len(lines) == 2 * len(themes), charts       # each chart names each thématique
    for line in lines:
        name = next(t for t in themes if t in line)
        assert "0" not in line[line.index(name) + len(name):].split(), line
        assert not re.search(re.escape(name) + r"\d", line), line
