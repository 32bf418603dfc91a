"""Nothing dropped without a word: on every test document, every character of the text is
either in the plan or in the import report's list of text not imported, with its place.

What is counted (``ctgxl/legacy/ledger.py``): the non-whitespace characters of each table cell
and each paragraph as the reader extracts them — tracked changes accepted, list numbers and
bullets as the word processor shows them. Here the document's characters are also counted
straight from its XML (the text of the body, deleted text aside), so that the reader cannot
lose text unseen either.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ctgxl.legacy import import_legacy
from ctgxl.legacy.fiche import label_role
from ctgxl.legacy.header import header_key
from ctgxl.legacy.ledger import count
from ctgxl.legacy.patterns import parse_heading
from ctgxl.legacy.source import read_source
from ctgxl.vocabulary import fold, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "word").glob("*.*"))
SEED = ROOT / "examples" / "source" / "plan_ctg_mont_de_marsan.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"


def xml_characters(path: Path) -> int:
    """Non-whitespace characters of the document's body text, read from its XML: Word's
    ``w:t`` outside deletions and deleted rows; OpenDocument's text outside tracked changes,
    notes, annotations and frames."""
    with zipfile.ZipFile(path) as archive:
        if "word/document.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("word/document.xml"))
            return _word(root.find(W + "body"))
        root = ElementTree.fromstring(archive.read("content.xml"))
        return _odf(root.find(f"{OFFICE}body/{OFFICE}text"))


def _word(element) -> int:
    if element.tag in (W + "del", W + "moveFrom") or (
            element.tag == W + "tr" and element.find(f"{W}trPr/{W}del") is not None):
        return 0
    own = count(element.text or "") if element.tag == W + "t" else 0
    return own + sum(_word(child) for child in element)


def _odf(element) -> int:
    if element.tag in (TEXT + "tracked-changes", TEXT + "note", OFFICE + "annotation",
                       DRAW + "frame"):
        return 0
    total = count(element.text or "")
    for child in element:
        total += _odf(child) + count(child.tail or "")
    return total


def _plan_words(result) -> set[str]:
    words: set[str] = set()
    for t in result.thematiques:
        for table in t.plan.tables:
            for record in table.records():
                for value in record.values():
                    if isinstance(value, str):
                        words.update(fold(value).split())
    return words


def _structure(text: str, vocabulary) -> bool:
    """A heading, a column header, a fiche's rubric or title: the plan's structure, whose
    words are not values of the plan."""
    first = text.split("\t")[0].split(":")[0].strip()
    return bool(header_key(text) or label_role(first) or parse_heading(text, vocabulary)
                or fold(text).startswith(("objectifs operationnels", "fiche")))


@pytest.mark.parametrize("path", [*FIXTURES, SEED], ids=lambda p: p.name)
def test_characters_imported_and_not_imported_add_up_to_the_document(path):
    source = read_source(path)
    result = import_legacy(path)
    document = sum(count(u.text) for u in source.units) if source.units else \
        sum(count(c) for r in source.rows for c in r.cells)
    if path.suffix in (".docx", ".odt"):
        assert document == xml_characters(path) + source.generated
    reported = sum(count(n.text) for n in result.not_imported)
    assert result.characters == {"document": document, "importes": document - reported,
                                 "non_importes": reported}
    assert result.characters["importes"] + reported == document
    # every passage not imported says where it is, whole
    units = {(u.place, u.text) for u in source.units} if source.units else None
    for item in result.not_imported:
        assert item.place and item.text
        assert units is None or (item.place, item.text) in units


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.suffix == ".docx"],
                         ids=lambda p: p.name)
def test_what_is_said_imported_is_in_the_plan(path):
    """Each unit of text the import counts as imported is the plan's structure, or its
    words are in the plan's cells."""
    vocabulary = load_vocabulary()
    source = read_source(path)
    result = import_legacy(path)
    missing = {(n.place, n.text) for n in result.not_imported}
    words = _plan_words(result)
    absent = []
    for unit in source.units:
        if (unit.place, unit.text) in missing or _structure(unit.text, vocabulary):
            continue
        significant = [w for w in fold(unit.text).split() if len(w) >= 4]
        if significant and sum(w in words for w in significant) < len(significant) / 2:
            absent.append(unit)
    assert not absent, absent[:5]


def test_the_seed_text_export_has_only_three_passages_not_imported():
    result = import_legacy(SEED)
    assert [(n.place, n.text) for n in result.not_imported] == [
        ("ligne 527, colonne 8", "MOYENS – LEVIERS D'ACTIONS"),
        ("ligne 654", "SIX GRANDES THEMATIQUES"),
        ("ligne 697", "ACTIONS EDUCATION ET PARENTALITE / PRE")]
    assert result.characters == {"document": 107351, "importes": 107274, "non_importes": 77}
