"""Unusable input: one French line naming the file, exit 2, no traceback, nothing written.

Every command that reads a workbook goes through the same reader, so the
corpus is run through ``ctgxl info`` and the reader directly; later commands
add their own cases.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import soffice_convert
from ctgxl.catalogue import META_SHEET
from ctgxl.errors import UnusableInputError
from ctgxl.reader import read_plan
from ctgxl.writer import write_plan
from workbooks import small_plan


def good(tmp_path: Path) -> Path:
    return write_plan(small_plan(2), tmp_path / "bon.xlsx")


def encrypted(tmp_path: Path) -> Path:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    source = good(tmp_path)
    out = tmp_path / "protege.xlsx"
    with source.open("rb") as fh, out.open("wb") as target:
        OOXMLFile(fh).encrypt("secret", target)
    assert msoffcrypto  # used for the import check
    return out


def legacy_xls(tmp_path: Path) -> Path:
    return soffice_convert(good(tmp_path), "xls", tmp_path / "xls")


def corrupt_zip(tmp_path: Path) -> Path:
    data = good(tmp_path).read_bytes()
    out = tmp_path / "tronque.xlsx"
    out.write_bytes(data[: len(data) // 2])
    return out


def no_plan_sheets(tmp_path: Path) -> Path:
    wb = Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Ligne", "Montant"])
    out = tmp_path / "budget.xlsx"
    wb.save(out)
    return out


def unknown_version(tmp_path: Path) -> Path:
    wb = load_workbook(good(tmp_path))
    wb[META_SHEET]["B2"] = "9.3"
    out = tmp_path / "futur.xlsx"
    wb.save(out)
    return out


def renamed_id_header(tmp_path: Path) -> Path:
    """No column holds IDs under another name (a renamed one with IDs is read: see
    test_renamed_columns)."""
    wb = load_workbook(good(tmp_path))
    ws = wb["Actions"]
    ws["A1"] = "Code interne"
    for row in range(2, ws.max_row + 1):
        ws.cell(row, 1).value = "à définir"
    out = tmp_path / "renomme.xlsx"
    wb.save(out)
    return out


def word_document(tmp_path: Path) -> Path:
    out = tmp_path / "note.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    out.write_bytes(buffer.getvalue())
    return out


CASES = {
    "missing": (lambda t: t / "absent.xlsx", "fichier introuvable"),
    "directory": (lambda t: t, "est un dossier"),
    "empty": (lambda t: _write(t / "vide.xlsx", b""), "fichier vide"),
    "not_a_zip": (lambda t: _write(t / "binaire.xlsx", bytes(range(256)) * 8), "n'est pas un classeur"),
    "csv_renamed": (lambda t: _write(t / "export.xlsx", "ID;Intitulé\nENF-001;Fête\n".encode("cp1252")),
                    "fichier texte"),
    "corrupt_zip": (corrupt_zip, "archive endommagée"),
    "encrypted": (encrypted, "protégé par un mot de passe"),
    "legacy_xls": (legacy_xls, "97-2003 (.xls)"),
    "word_document": (word_document, "document Word"),
    "no_plan_sheets": (no_plan_sheets, "pas de feuille « Actions »"),
    "unknown_version": (unknown_version, "version du modèle « 9.3 » inconnue"),
    "renamed_id_header": (renamed_id_header, "colonne « ID action » introuvable"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_french_line_and_exit_2(case, tmp_path, run):
    make, expected = CASES[case]
    path = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("info", path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"ctgxl : erreur : {path}")
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("case", sorted(CASES))
def test_reader_raises_unusable_input(case, tmp_path):
    make, expected = CASES[case]
    with pytest.raises(UnusableInputError) as info:
        read_plan(make(tmp_path))
    assert expected in info.value.reason


def test_input_file_is_never_modified(tmp_path, run):
    path = good(tmp_path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert run("info", path).exit_code == 0
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_output_into_missing_folder_is_refused(run, tmp_path):
    result = run("template", "-o", tmp_path / "nulle-part" / "x.xlsx")
    assert result.exit_code == 2
    assert "n'existe pas" in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    from click.testing import CliRunner

    from ctgxl.cli import group

    result = CliRunner().invoke(group, ["--debug", "info", str(tmp_path / "absent.xlsx")])
    assert isinstance(result.exception, UnusableInputError)


def test_outputs_get_the_usual_file_rights(run, tmp_path):
    import os
    import stat

    out = tmp_path / "modele.xlsx"
    assert run("template", "-o", out).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
