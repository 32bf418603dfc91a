"""Import from the Word (.docx) or OpenDocument (.odt) document itself."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from ctgxl.errors import UnusableInputError
from ctgxl.legacy import import_legacy
from ctgxl.legacy.word import read_word

docx = pytest.importorskip("docx")

from documents import (DELETED_ROW_TEXT, DELETED_WORDS, SEED, blocks_of,  # noqa: E402
                       seed_docx, seed_lines)


@pytest.fixture(scope="module")
def seed_document(tmp_path_factory) -> Path:
    return seed_docx(tmp_path_factory.mktemp("word") / "plan_ctg.docx")


@pytest.fixture(scope="module")
def text_import():
    return import_legacy(SEED)


def _trimmed(cells) -> tuple[str, ...]:
    cells = [" ".join(c.split()) for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _same_import(text, doc) -> None:
    assert [t.thematique for t in doc.thematiques] == [t.thematique for t in text.thematiques]
    for ours, theirs in zip(doc.thematiques, text.thematiques):
        assert ours.plan.replace(source=None) == theirs.plan.replace(source=None), \
            ours.thematique.libelle
    # The same irregularities are reported (their places differ: lines vs tables).
    assert Counter((e.code, e.severity, e.thematique) for e in doc.entries) == \
        Counter((e.code, e.severity, e.thematique) for e in text.entries)


def test_document_rows_are_the_rows_of_the_text_export(seed_document):
    """Merged cells give their text once, then empty cells (not python-docx's repeated
    cell); a deleted row and deleted words are not read; a list number Word computes is
    written as Word shows it; a table split in two still gives every row."""
    source = read_word(seed_document)
    read = [_trimmed(r.cells) for r in source.rows if any(r.cells)]
    expected = [_trimmed(line.split("\t")) for line in seed_lines() if line.strip()]
    assert read == expected
    texts = "\n".join(c for r in source.rows for c in r.cells)
    assert DELETED_ROW_TEXT not in texts and DELETED_WORDS.strip() not in texts
    moyens = next(r for r in source.rows if r.cells and r.cells[0] == "OBJECTIFS OPERATIONNELS"
                  and any(c.startswith("MOYENS") for c in r.cells))
    at = next(i for i, c in enumerate(moyens.cells) if c.startswith("MOYENS"))
    assert moyens.cells[at + 1:at + 3] == ("", "")


def test_the_document_really_has_what_the_text_export_hides(seed_document):
    """The fixture is not a plain grid: spans, vertical merges, tracked changes, content
    controls and list numbering are in the XML the reader walks."""
    with zipfile.ZipFile(seed_document) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    for mark in ("<w:gridSpan", "<w:vMerge w:val=\"restart\"/>", "<w:vMerge/>", "<w:sdt>",
                 "<w:ins ", "<w:del ", "<w:delText", "ListNumber"):
        assert mark in xml, mark
    assert xml.count("<w:tbl>") == sum(isinstance(b, list) for b in blocks_of(seed_lines())) + 1


def test_docx_import_equals_the_text_import(seed_document, text_import):
    doc = import_legacy(seed_document)
    assert sum(len(t.plan.actions) for t in doc.thematiques) == 206
    _same_import(text_import, doc)


def test_report_says_which_table_and_row_each_action_comes_from(seed_document):
    doc = import_legacy(seed_document)
    origins = {i: where for t in doc.thematiques for i, where in t.origins}
    assert len(origins) == 206
    assert origins["PEN-001"] == "tableau 1, ligne 8"
    assert all(w.startswith("tableau ") and ", ligne " in w for w in origins.values())
    entry = next(e for e in doc.entries if e.code == "en-tete-sur-deux-lignes")
    assert entry.where.startswith("tableau ") and entry.place == entry.where
    assert "(tableau " in entry.message     # « En-tête sur deux lignes (tableau 3, ligne 1 … »
    text = import_legacy(SEED)
    assert dict(text.thematiques[0].origins)["PEN-001"] == "ligne 18"


@pytest.mark.soffice
def test_odt_made_by_libreoffice_imports_like_the_text(text_import, tmp_path):
    """The .docx converted by LibreOffice: spans and vertical merges become
    number-columns-spanned and covered cells, Word's list numbering an ODF list style,
    the tracked deletion a tracked-changes region."""
    from conftest import soffice_convert

    document = seed_docx(tmp_path / "plan_ctg.docx", deleted_row=False)
    odt = soffice_convert(document, "odt", tmp_path / "odt")
    with zipfile.ZipFile(odt) as archive:
        xml = archive.read("content.xml").decode("utf-8")
    for mark in ("number-columns-spanned", "covered-table-cell", "<text:list ",
                 "<text:tracked-changes"):
        assert mark in xml, mark
    _same_import(text_import, import_legacy(odt))


def _docx(path: Path, build) -> Path:
    document = docx.Document()
    build(document)
    document.save(path)
    return path


def test_text_in_a_merged_continuation_joins_the_cell_above(tmp_path):
    def build(document):
        table = document.add_table(rows=3, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "haut", "a"
        table.cell(1, 1).text, table.cell(2, 1).text = "b", "c"
        merged = table.cell(0, 0).merge(table.cell(1, 0))
        assert merged is not None
        # Word keeps a continuation's own paragraph: put text in it, as after a merge.
        continuation = table.rows[1]._tr.tc_lst[0]
        continuation.p_lst[-1].append(_run("bas"))

    source = read_word(_docx(tmp_path / "fusion.docx", build))
    rows = [r.cells for r in source.rows]
    assert rows[0] == ("haut\nbas", "a") and rows[1] == ("", "b") and rows[2] == ("", "c")


def _run(text: str):
    from docx.oxml import OxmlElement

    run, t = OxmlElement("w:r"), OxmlElement("w:t")
    t.text = text
    run.append(t)
    return run


# -- fiches actions ------------------------------------------------------------------------------

FICHES = [
    {"n": "1", "Thématique": "Enfance",
     "Axe stratégique": "I – Adapter l'offre d'accueil aux besoins des familles",
     "Objectif": "Développer l'accueil du mercredi",
     "Intitulé de l'action": "Ouvrir un accueil de loisirs le mercredi à Saint-Test",
     "Pilote": "Service enfance de la communauté de communes",
     "Public visé": "Enfants de 3 à 11 ans", "Calendrier": "2024-2026",
     "Partenaires": "CAF\nCommunes du territoire", "Moyens": "1 directeur BAFD, 4 animateurs",
     "Coût estimé": "45 000 € par an", "Territoire": "Saint-Test et communes voisines",
     "Indicateurs": "Nombre d'enfants accueillis\nTaux de remplissage"},
    {"n": "2", "Thématique": "Enfance",
     "Axe stratégique": "I – Adapter l'offre d'accueil aux besoins des familles",
     "Objectif": "Développer l'accueil du mercredi",
     "Intitulé de l'action": "Organiser le transport vers l'accueil de loisirs",
     "Pilote": "CC du Pays de Test", "Public visé": "Familles des communes rurales",
     "Calendrier": "Rentrée 2025", "Partenaires": "Région (transport scolaire)",
     "Indicateurs": "Nombre d'enfants transportés"},
    {"n": "1", "Thématique": "Jeunesse",
     "Axe stratégique": "II – Accompagner l'autonomie des jeunes",
     "Objectif": "Informer les jeunes",
     "Intitulé de l'action": "Créer un Point Information Jeunesse itinérant",
     "Description": "Permanences dans les collèges et les mairies",
     "Pilote": "Service jeunesse", "Public visé": "Jeunes de 15 à 25 ans",
     "Calendrier": "2024-2028", "Partenaires": "Mission locale, collèges",
     "Indicateurs": "Nombre de permanences"},
]


def fiches_docx(path: Path) -> Path:
    """Another territory's plan: « Fiche action n°N » above a two-column table per action."""
    def build(document):
        document.add_paragraph("Convention Territoriale Globale du Pays de Test 2024-2028")
        for fiche in FICHES:
            document.add_paragraph(f"Fiche action n°{fiche['n']}")
            table = document.add_table(rows=0, cols=2)
            for label, value in fiche.items():
                if label != "n":
                    row = table.add_row()
                    row.cells[0].text, row.cells[1].text = label, value
            document.add_paragraph("")

    return _docx(path, build)


def test_fiches_actions_become_actions_of_their_thematique(tmp_path):
    result = import_legacy(fiches_docx(tmp_path / "fiches.docx"))
    enfance, jeunesse = (t.plan for t in result.thematiques)
    assert [t.thematique.libelle for t in result.thematiques] == ["Enfance",
                                                                  "Jeunesse et vie étudiante"]
    first, second = enfance.actions.rows
    record = dict(zip(enfance.actions.sheet.keys, first))
    assert record["id_action"] == "ENF-001" and record["numero"] == "1"
    assert record["intitule"] == "Ouvrir un accueil de loisirs le mercredi à Saint-Test"
    assert record["porteur"] == "Service enfance de la communauté de communes"
    assert record["public"] == "Enfants de 3 à 11 ans"
    assert (record["echeances"], record["annee_debut"], record["annee_fin"]) == \
        ("2024-2026", 2024, 2026)
    assert record["partenaires"] == "CAF\nCommunes du territoire"
    assert record["moyens_humains"] == "1 directeur BAFD, 4 animateurs"
    assert record["moyens_financiers"] == "45 000 € par an"
    assert record["indicateurs"] == "Nombre d'enfants accueillis\nTaux de remplissage"
    assert record["commentaire"] == "Territoire : Saint-Test et communes voisines"
    assert (record["axe"], record["objectif"]) == ("I", "1")
    plan_rows = [dict(zip(enfance.plan.sheet.keys, r)) for r in enfance.plan.rows]
    assert {(r["axe"], r["axe_intitule"]) for r in plan_rows} == {
        ("I", "Adapter l'offre d'accueil aux besoins des familles")}
    young = dict(zip(jeunesse.actions.sheet.keys, jeunesse.actions.rows[0]))
    assert young["intitule"] == ("Créer un Point Information Jeunesse itinérant\n"
                                 "Permanences dans les collèges et les mairies")
    assert young["axe"] == "II"
    assert dict(result.thematiques[0].origins) == {"ENF-001": "tableau 1, ligne 1",
                                                    "ENF-002": "tableau 2, ligne 1"}
    codes = Counter(e.code for e in result.entries)
    assert codes["fiche-champ-inconnu"] == 1
    assert codes["fiche-numero-attribue"] == 2   # two objectifs named without a number
    unknown = next(e for e in result.entries if e.code == "fiche-champ-inconnu")
    assert unknown.where == "tableau 1, ligne 1" and "« Territoire »" in unknown.message


def test_a_two_column_table_that_is_not_a_fiche_is_left_alone(tmp_path):
    from ctgxl.legacy.fiche import read_fiche
    from ctgxl.legacy.word import Table

    assert read_fiche(Table([["Commune", "Habitants"], ["Saint-Test", "1 200"]])) is None
    assert read_fiche(Table([["Intitulé de l'action", "x"], ["Pilote", "y"],
                             ["Public", "z"], ["Calendrier", "2024"]])) is not None


# -- bad input -----------------------------------------------------------------------------------

def test_docx_import_from_the_command_line(run, seed_document, tmp_path):
    out = tmp_path / "classeurs"
    result = run("import", seed_document, "-d", out, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["thematiques"][0]["origins"]["PEN-001"] == "tableau 1, ligne 8"
    assert sorted(p.name for p in out.iterdir()) == [
        "cohesion_sociale.xlsx", "enfance.xlsx", "jeunesse.xlsx", "parentalite.xlsx",
        "petite_enfance.xlsx"]
    text = run("import", seed_document, "-d", tmp_path / "autres")
    assert "tableau " in text.stdout and text.exit_code == 0


@pytest.mark.parametrize("name, make, reason", [
    ("vide.docx", lambda p: _docx(p, lambda d: d.add_paragraph("THEMATIQUE ENFANCE")),
     "le document ne contient aucun tableau"),
    ("tronque.docx", "truncated", "document endommagé"),
    ("ancien.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
                                           + "WordDocument".encode("utf-16-le") + b"\0" * 64),
     "soffice --headless --convert-to docx « ancien.doc »"),
    ("plan.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"),
     "document PDF"),
])
def test_unusable_documents_are_one_french_line_exit_2(run, tmp_path, name, make, reason):
    path = tmp_path / name
    if make == "truncated":
        whole = fiches_docx(tmp_path / "entier.docx").read_bytes()
        path.write_bytes(whole[: len(whole) // 2])
    else:
        make(path)
    with pytest.raises(UnusableInputError) as info:
        import_legacy(path)
    assert reason in info.value.message
    result = run("import", path, "-d", tmp_path / "sortie")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and reason in result.stderr
    assert "Traceback" not in result.output


def test_password_protected_docx(run, tmp_path):
    pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = fiches_docx(tmp_path / "clair.docx")
    target = tmp_path / "protege.docx"
    with plain.open("rb") as fh, target.open("wb") as out:
        OOXMLFile(fh).encrypt("secret", out)
    result = run("import", target, "-d", tmp_path / "sortie")
    assert result.exit_code == 2
    assert "document protégé par un mot de passe" in result.stderr
