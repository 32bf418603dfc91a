"""Plans as LibreOffice writes them (``tests/fixtures/word/``, made by
``python tools/make_word_fixtures.py``): the Mont de Marsan plan as a coordinator's document,
the same document converted from a .doc as ctgxl advises, another territory's grid plan
(« Enjeu », « Objectif 1.2 », titles aligned with a tab), and fiches actions in three authors'
styles."""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from ctgxl.legacy import import_legacy

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "word"
SEED = Path(__file__).resolve().parent.parent / "examples" / "source" / \
    "plan_ctg_mont_de_marsan.txt"


@pytest.fixture(scope="module")
def imported():
    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            cache[name] = import_legacy(SEED if name == "texte" else FIXTURES / name)
        return cache[name]

    return get


def same_import(ours, theirs) -> None:
    """Same thématiques, same plans cell for cell, same irregularities reported, same text
    not imported (places differ between a text export and a document)."""
    assert [t.thematique for t in ours.thematiques] == [t.thematique for t in theirs.thematiques]
    for a, b in zip(ours.thematiques, theirs.thematiques, strict=True):
        assert a.plan.replace(source=None) == b.plan.replace(source=None), a.thematique.libelle
    assert Counter((e.code, e.severity, e.thematique) for e in ours.entries) == \
        Counter((e.code, e.severity, e.thematique) for e in theirs.entries)
    assert [n.text for n in ours.not_imported] == [n.text for n in theirs.not_imported]


def records(result, code: str) -> dict[str, dict]:
    return {r["id_action"]: r for t in result.thematiques if t.thematique.code == code
            for r in t.plan.actions.records()}


# -- grids -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["plan_grille.docx", "plan_grille.odt", "plan_word.docx"])
def test_the_plan_written_by_libreoffice_or_word_imports_like_its_text_export(imported, name):
    result = imported(name)
    assert sum(len(t.plan.actions) for t in result.thematiques) == 206
    same_import(result, imported("texte"))


def _grid(path: Path) -> tuple[int, int, int]:
    """(grid columns, cells spanning columns, grid columns under 2 mm) of a .docx."""
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', xml)]
    return len(widths), xml.count("<w:gridSpan "), sum(1 for w in widths if w < 113)


def test_the_doc_conversion_really_rebuilt_the_grids():
    """LibreOffice's way back from a .doc adds columns a few twips wide and changes the spans
    of the cells after them: a reader placing cells by index would shift them."""
    columns, spans, slivers = _grid(FIXTURES / "plan_word.docx")
    converted = _grid(FIXTURES / "plan_word_via_doc.docx")
    assert converted[0] > columns and converted[1] > spans and converted[2] > slivers == 0


@pytest.mark.parametrize("original, converted", [
    ("plan_word.docx", "plan_word_via_doc.docx"), ("plan_word.docx", "plan_word_via_doc.odt"),
    ("plan_enjeux.docx", "plan_enjeux_via_doc.docx"),
    ("plan_enjeux.docx", "plan_enjeux_via_doc.odt"), ("plan_enjeux.docx", "plan_enjeux.odt")])
def test_a_document_converted_through_a_doc_imports_exactly_like_the_original(
        imported, original, converted):
    same_import(imported(converted), imported(original))


def test_a_grid_plan_numbered_by_enjeux_with_titles_aligned_by_a_tab(imported):
    result = imported("plan_enjeux.docx")
    actions = records(result, "AVS")
    first = actions["AVS-001"]
    assert (first["axe"], first["objectif"], first["numero"]) == ("1", "1.1", "1.1.1")
    assert first["intitule"] == "Créer un café des habitants itinérant"
    # « Public cible » heads two columns: the columns after it are not shifted
    assert (first["public"], first["echeances"]) == ("Habitants, familles", "2024-2026")
    assert first["partenaires"] == "CAF\nMSA\nCommunes d'accueil"
    assert (first["moyens_humains"], first["moyens_financiers"]) == (
        "1 animateur (0,5 ETP)", "12 000 € par an")
    assert [(a["axe"], a["objectif"]) for a in actions.values()] == [
        ("1", "1.1"), ("1", "1.1"), ("1", "1.2"), ("1", "1.2"), ("2", "2.1"), ("2", "2.1")]
    plan = result.plan("Animation de la vie sociale").plan.records()
    assert {(p["axe"], p["axe_intitule"]) for p in plan} == {
        ("1", "Renforcer le lien social dans les communes rurales"),
        ("2", "Permettre à chacun d'accéder à ses droits")}
    assert len(result.entries_with("titre-tabule")) == 5
    assert not [e for e in result.entries if e.code in ("action-sans-champs", "axe-deduit")]


# -- fiches actions --------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["fiches_tableaux", "fiches_paragraphes",
                                  "fiches_quatre_colonnes"])
def test_fiches_read_the_same_from_the_docx_and_the_odt(imported, name):
    same_import(imported(f"{name}.odt"), imported(f"{name}.docx"))


def test_fiches_one_table_each_under_the_documents_headings(imported):
    result = imported("fiches_tableaux.docx")
    assert [t.thematique.libelle for t in result.thematiques] == [
        "Petite enfance", "Jeunesse et vie étudiante"]      # « Thématique 2 : Jeunesse »
    pen, jeu = records(result, "PEN"), records(result, "JEU")
    assert list(pen) == ["PEN-001", "PEN-002", "PEN-003"] and list(jeu) == ["JEU-004", "JEU-005"]
    first = pen["PEN-001"]
    assert first["intitule"] == "Ouvrir une micro-crèche en horaires élargis"
    assert (first["axe"], first["objectif"], first["numero"]) == ("1", "1.1", "1")
    # the « Partenaires » label cell is merged over two rows: both values are kept
    assert first["partenaires"] == ("CAF des Landes (investissement et PSU)\n"
                                    "Communes de Rivière-Esquerre et Goursac")
    assert first["moyens_financiers"] == ("Investissement 180 000 € ; fonctionnement "
                                          "95 000 € par an")
    assert first["commentaire"] == "Territoire concerné : Secteur sud de l'agglomération"
    assert pen["PEN-003"]["objectif"] == "1.2"
    assert jeu["JEU-004"]["intitule"].startswith("Créer un Point Information Jeunesse "
                                                 "itinérant\nPermanences dans les collèges")
    assert not result.entries_with("numeros-manquants")   # 1 to 3 are Petite enfance's
    # the introductions are not actions: they are in the text not imported
    texts = [n.text for n in result.not_imported]
    assert any(t.startswith("Ce document rassemble les fiches actions") for t in texts)
    assert any(t.startswith("Les actions jeunesse ont été construites") for t in texts)
    assert all(not a["intitule"].startswith(("Ce document", "Les actions"))
               for a in [*pen.values(), *jeu.values()])


def test_fiches_written_as_label_value_paragraphs(imported):
    result = imported("fiches_paragraphes.docx")
    assert [t.thematique.libelle for t in result.thematiques] == [
        "Parentalité", "Animation de la vie sociale"]
    par = records(result, "PAR")
    guide, week, laep = par.values()
    assert (guide["numero"], guide["axe"], guide["objectif"], guide["oo"]) == (
        "1.1.1", "1", "1.1", "OO1")
    assert guide["intitule"] == "Créer un guide des parents du territoire"
    assert guide["indicateurs"] == ("- Nombre de guides diffusés\n"
                                    "- Nombre de structures référencées")
    assert week["porteur"] == "Centre social La Passerelle"          # « Pilote⇥… »
    assert laep["objectif"] == "1.2" and laep["commentaire"].startswith("Lieu : salles")
    assert laep["intitule"].startswith("Ouvrir un lieu d'accueil enfants-parents itinérant\n"
                                       "offrir un espace de parole")
    plan = result.plan("Parentalité").plan.records()
    assert ("OO1", "Rendre l'offre de soutien à la parentalité lisible") in {
        (p["oo"], p["oo_intitule"]) for p in plan}
    assert [n.text for n in result.not_imported][-2:] == [
        "Fait à Lisière, le 2 avril 2024.",
        "Le président de la communauté de communes, la directrice de la CAF."]


def test_fiches_of_two_label_value_pairs_per_row(imported):
    result = imported("fiches_quatre_colonnes.docx")
    acd, num = records(result, "ACD"), records(result, "NUM")
    bus = acd["ACD-001"]
    assert (bus["axe"], bus["objectif"]) == ("II", "2.1")
    assert (bus["porteur"], bus["echeances"]) == ("CIAS de Bréval", "2025-2027")
    assert (bus["public"], bus["partenaires"]) == ("Habitants des communes rurales",
                                                   "CAF, CPAM, MSA, France Travail")
    assert (bus["moyens_humains"], bus["moyens_financiers"]) == (
        "2 conseillers France services", "85 000 € par an")
    assert bus["commentaire"] == "Tournée définie avec les maires en comité des usagers."
    assert acd["ACD-003"]["objectif"] == "2.2"
    assert [(a["axe"], a["objectif"]) for a in num.values()] == [("1", "1.2"), ("1", "1.2")]
    plan = result.plan("Inclusion numérique").plan.records()
    assert (plan[0]["axe_intitule"], plan[0]["objectif_intitule"]) == (
        "Réduire la fracture numérique", "Accompagner les démarches en ligne")


def test_indicators_are_the_items_of_the_cells_lists(imported):
    result = imported("plan_enjeux.docx")
    rows = [(i["id_action"], i["libelle"])
            for i in result.plan("Animation de la vie sociale").indicateurs.records()]
    assert rows[:3] == [("AVS-001", "Nombre de rencontres organisées"),
                        ("AVS-001", "Nombre d'habitants participants"),
                        ("AVS-001", "Augmentation du nombre de bénévoles")]
    assert ("AVS-004", "Nombre d'associations présentes") in rows    # a line break
    assert not [label for _, label in rows if re.search(r"\b(du|de|des)$", label)]


def test_the_command_lists_the_text_not_imported_with_its_place(run, tmp_path):
    source = FIXTURES / "fiches_tableaux.docx"
    shown = run("import", source, "-d", tmp_path / "a")
    assert shown.exit_code == 0, shown.output
    assert "Texte non importé : 4 passages, 363 caractères sur 2\u202f510" in shown.stdout
    assert "paragraphe 2 après le tableau 3 : « Les actions jeunesse ont été construites" \
        in shown.stdout
    assert "[fiche-champ-inconnu]" in shown.stdout
    document = run("import", source, "-d", tmp_path / "b", "--format", "json")
    report = json.loads(document.stdout)
    assert report["characters"] == {"document": 2510, "importes": 2147, "non_importes": 363}
    assert report["not_imported"][0] == {
        "place": "paragraphe 1 avant le premier tableau", "line": 1, "thematique": None,
        "text": "Communauté d'agglomération du Val d'Esquerre"}


@pytest.mark.soffice
def test_the_committed_documents_are_what_the_script_makes(imported, tmp_path):
    """``python tools/make_word_fixtures.py`` remakes every test document (the files differ
    byte for byte — LibreOffice dates them — but not in what they hold)."""
    import subprocess
    import sys

    from conftest import SOFFICE, ROOT

    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) absent")
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_word_fixtures.py"),
                    str(tmp_path)], check=True, capture_output=True, timeout=600)
    made = sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".docx", ".odt"))
    assert made == sorted(p.name for p in FIXTURES.iterdir())
    for name in made:
        same_import(import_legacy(tmp_path / name), imported(name))
