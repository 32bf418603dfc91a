"""Reading legacy documents: encodings of French Windows exports, and inputs that cannot be
used (each with one French reason, exit code 2)."""

from __future__ import annotations

import zipfile

import pytest

from ctgxl.errors import EXIT_UNUSABLE, UnusableInputError
from ctgxl.legacy import import_legacy

PLAN = ("THEMATIQUE PETITE ENFANCE\n"
        "AXE STRATEGIQUE I\nAméliorer l'accueil à Mont-de-Marsan\n"
        "OBJECTIF INTERMEDIAIRE 1 Élargir l'offre\n"
        "OBJECTIFS OPERATIONNELS\t1\tOO1. Créer des places d'accueil\n"
        "ACTIONS\tOO\tPORTEUR DE PROJETS\tPUBLIC VISE\tÉCHÉANCES\tPARTENAIRES\n"
        "1. Ouvrir une crèche à horaires élargis\t1\tPôle Petite Enfance\tFamilles\t2025\t"
        "CAF, PMI – MSA\n")


def check(result):
    action = result.plan("Petite enfance").actions.records()[0]
    assert action["intitule"] == "Ouvrir une crèche à horaires élargis"
    assert action["porteur"] == "Pôle Petite Enfance"
    assert action["partenaires"] == "CAF, PMI – MSA"
    plan = result.plan("Petite enfance").plan.records()[0]
    assert plan["axe_intitule"] == "Améliorer l'accueil à Mont-de-Marsan"
    assert plan["oo_intitule"] == "Créer des places d'accueil"


@pytest.mark.parametrize("encoding, name", [
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 (avec BOM)"),
    ("cp1252", "Windows-1252 (Latin-1)"),
    ("utf-16", "UTF-16"),
])
def test_encodings_of_text_exports_are_detected(tmp_path, encoding, name):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.replace("\n", "\r\n").encode(encoding))
    result = import_legacy(path)
    check(result)
    assert result.encoding == name
    if not name.startswith("UTF-8"):
        assert f"encodage {name}" in result.entries_with("encodage")[0].message


def test_latin1_file_without_the_cp1252_dash(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(PLAN.replace("–", "-").encode("latin-1"))
    result = import_legacy(path)
    assert result.plan("Petite enfance").actions.records()[0]["partenaires"] == "CAF, PMI - MSA"


def test_the_source_file_is_not_modified(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="cp1252")
    before = path.read_bytes(), path.stat().st_mtime_ns
    import_legacy(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def _docx(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.'
                         'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
                         '<w:t>THEMATIQUE ENFANCE</w:t></w:r></w:p></w:body></w:document>')
    return path


@pytest.mark.parametrize("make, reason", [
    (lambda p: p.write_bytes(b""), "fichier vide (0 octet)"),
    (lambda p: p.write_text("  \n\t\n", encoding="utf-8"), "fichier vide (aucun texte)"),
    (lambda p: p.write_bytes(bytes(range(256)) * 8), "données binaires"),
    (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 4), "données binaires"),
    (lambda p: p.write_text("Compte rendu de la réunion du 3 mars\nRien à signaler.\n",
                            encoding="utf-8"), "aucun tableau de plan d'actions reconnu"),
    (lambda p: p.write_text("THEMATIQUE SPORT\nACTIONS\tPORTEUR\tPUBLIC\n1. Courir\tClub\tTous\n",
                            encoding="utf-8"), "aucune thématique connue"),
    (lambda p: p.write_bytes(b"PK\x03\x04 pas une archive"), "archive endommagée"),
    (_docx, "le document ne contient aucun tableau"),
])
def test_unusable_inputs_say_why_in_french(tmp_path, make, reason):
    path = tmp_path / "plan.txt"
    make(path)
    with pytest.raises(UnusableInputError) as info:
        import_legacy(path)
    assert reason in info.value.message
    assert info.value.exit_code == EXIT_UNUSABLE


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UnusableInputError, match="fichier introuvable"):
        import_legacy(tmp_path / "absent.txt")
    with pytest.raises(UnusableInputError, match="est un dossier"):
        import_legacy(tmp_path)
