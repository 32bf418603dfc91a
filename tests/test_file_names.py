"""File names as users' disks hold them: bytes that are not UTF-8 (a Latin-1 « é » on an old
share or USB key), escape sequences, « %s ». Every command works with them — the name shown
with « � » where its bytes cannot be decoded — never exit 3, never a corrupt output, never a
raw control character on the terminal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "enfance.xlsx"
OTHER = ROOT / "examples" / "jeunesse.xlsx"
MASTER = ROOT / "examples" / "suivi_fictif" / "pilotage_2025_fictif.xlsx"
SHOWN = "r\ufffdsum\ufffd.xlsx"        # how b"r\xe9sum\xe9.xlsx" is shown
ESCAPED = "enfance\x1b[31m%s.xlsx"    # a name that would recolour a terminal


def bytes_name(folder: Path, raw: bytes, source: Path) -> Path:
    """A copy of ``source`` named by the bytes ``raw`` (made with bytes paths, as an old share
    or USB key holds Latin-1 names), as Python sees it (``os.fsdecode``: U+DCxx escapes)."""
    if sys.platform == "win32" or os.fsencode("é") != "é".encode("utf-8"):
        pytest.skip("needs a file system that takes bytes names")
    staged = folder / f"staged-{raw.hex()}"
    shutil.copy(source, staged)
    target = os.fsencode(str(folder)) + b"/" + raw
    os.rename(os.fsencode(str(staged)), target)
    return Path(os.fsdecode(target))


def bytes_folder(folder: Path, raw: bytes) -> Path:
    """A new folder named by the bytes ``raw``."""
    if sys.platform == "win32" or os.fsencode("é") != "é".encode("utf-8"):
        pytest.skip("needs a file system that takes bytes names")
    target = os.fsencode(str(folder)) + b"/" + raw
    os.mkdir(target)
    return Path(os.fsdecode(target))


@pytest.fixture
def latin1(tmp_path: Path) -> Path:
    return bytes_name(tmp_path, b"r\xe9sum\xe9.xlsx", EXAMPLE)


def texts_of(path: Path) -> list[str]:
    """Every text cell of a workbook (it must open)."""
    return [c.value for ws in load_workbook(path) for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)]


def no_internal_error(result) -> None:
    assert result.exit_code in (0, 1), result.output
    assert "erreur interne" not in result.output and "\x1b" not in result.output


# -- bytes that are not UTF-8 ----------------------------------------------------------------

def test_a_latin1_name_in_the_annotated_copy(run, latin1, tmp_path):
    out = tmp_path / "copie.xlsx"
    result = run("validate", latin1, "--annoter", out)
    no_internal_error(result)
    assert f"Contrôles du classeur « {SHOWN} »" in texts_of(out)


def test_a_latin1_name_in_the_diff_workbook(run, latin1, tmp_path):
    result = run("diff", OTHER, latin1, "-o", tmp_path / "diff.xlsx")
    no_internal_error(result)
    assert any(SHOWN in text for text in texts_of(tmp_path / "diff.xlsx"))
    result = run("diff", OTHER, latin1, "--format", "json")
    no_internal_error(result)
    assert json.loads(result.stdout)["new"].endswith(SHOWN)


def test_a_latin1_name_in_a_merge(run, latin1, tmp_path):
    result = run("merge", latin1, latin1, OTHER, "-o", tmp_path / "fusion.xlsx")
    no_internal_error(result)
    assert any(SHOWN in text for text in texts_of(tmp_path / "fusion.xlsx"))


def test_a_latin1_name_in_a_consolidation_and_its_split(run, latin1, tmp_path):
    master = tmp_path / "pilotage.xlsx"
    result = run("consolidate", latin1, OTHER, "-o", master, "--forcer")
    no_internal_error(result)
    assert SHOWN in result.stdout
    actions = load_workbook(master)["Actions"]
    header = [c.value for c in actions[1]]
    column = header.index("Fichier source") + 1
    assert actions.cell(2, column).value == SHOWN
    assert SHOWN in texts_of(master)                       # « Sources » sheet
    result = run("consolidate", latin1, OTHER, "-o", tmp_path / "p2.xlsx", "--forcer",
                 "--format", "json")
    no_internal_error(result)
    assert SHOWN in json.dumps(json.loads(result.stdout), ensure_ascii=False)
    result = run("split", master, "-d", tmp_path / "services", "--par", "fichier")
    no_internal_error(result)
    assert len(list((tmp_path / "services").glob("*.xlsx"))) == 2


def test_names_told_apart_only_by_undecodable_bytes_stay_apart(run, tmp_path):
    from ctgxl.consolidation import source_names

    ete = bytes_name(tmp_path, b"\xe9t\xe9.xlsx", EXAMPLE)          # « été » in Latin-1
    ete_bis = bytes_name(tmp_path, b"\xe8t\xe8.xlsx", OTHER)        # « ètè »
    assert source_names([ete, ete_bis]) == ["\ufffdt\ufffd.xlsx", "\ufffdt\ufffd (2).xlsx"]
    assert source_names(["a\x1b.xlsx", "a\x07.xlsx", "a? (2).xlsx"]) == [
        "a?.xlsx", "a? (3).xlsx", "a? (2).xlsx"]
    master = tmp_path / "pilotage.xlsx"
    no_internal_error(run("consolidate", ete, ete_bis, "-o", master, "--forcer"))
    result = run("split", master, "-d", tmp_path / "services", "--par", "fichier")
    no_internal_error(result)
    assert len(list((tmp_path / "services").glob("*.xlsx"))) == 2    # not merged into one


def test_a_latin1_folder_of_workbooks_is_consolidated(run, tmp_path):
    folder = bytes_folder(tmp_path, b"retours_\xe9t\xe9")
    shutil.copy(EXAMPLE, folder / "enfance.xlsx")
    bytes_name(folder, b"jeunesse_\xe9t\xe9.xlsx", OTHER)
    result = run("consolidate", folder, "-o", tmp_path / "pilotage.xlsx", "--forcer")
    no_internal_error(result)
    assert "jeunesse_\ufffdt\ufffd.xlsx" in texts_of(tmp_path / "pilotage.xlsx")


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_a_latin1_name_in_an_export_and_back(run, latin1, tmp_path, fmt):
    folder = bytes_folder(tmp_path, b"donn\xe9es") / "export"
    result = run("export", latin1, "-d", folder, "--format", fmt)
    no_internal_error(result)
    descriptor = (folder / "datapackage.json").read_bytes().decode("utf-8")   # valid UTF-8
    assert json.loads(descriptor)["ctgxl"]["source"] == SHOWN
    result = run("export", latin1, "-d", tmp_path / "again", "--format", fmt,
                 "--compte-rendu", "json")
    no_internal_error(result)
    assert json.loads(result.stdout)["file"].endswith(SHOWN)
    result = run("import", folder / "datapackage.json", "-d", tmp_path / "back")
    no_internal_error(result)
    assert [p.name for p in (tmp_path / "back").glob("*.xlsx")]


def test_a_latin1_name_in_an_office_csv_and_a_tet_export(run, latin1, tmp_path):
    folder = bytes_folder(tmp_path, b"donn\xe9es")
    result = run("export", latin1, "-d", folder / "csv", "--csv", "bureautique")
    no_internal_error(result)
    result = run("import", folder / "csv" / "datapackage.json", "-d", tmp_path / "back")
    no_internal_error(result)
    for report in ("texte", "json"):
        result = run("export", latin1, "-d", folder / f"tet-{report}", "--format", "tet",
                     "--compte-rendu", report)
        no_internal_error(result)
        assert result.exit_code in (0, 1)       # 1: the example's long titles, refused


def test_a_latin1_name_in_the_bilan(run, tmp_path):
    import docx

    master = bytes_name(tmp_path, b"pilotage_\xe9t\xe9.xlsx", MASTER)
    out = tmp_path / "bilan.docx"
    result = run("bilan", master, "-o", out, "--depuis", master)
    no_internal_error(result)
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs] + [
        p.text for s in document.sections for p in s.footer.paragraphs + s.header.paragraphs]
    assert any("pilotage_\ufffdt\ufffd.xlsx" in t for t in texts)
    result = run("bilan", master, "-o", tmp_path / "b2.docx", "--format", "json")
    no_internal_error(result)
    json.loads(result.stdout)


def test_a_latin1_name_in_validate_and_info(run, latin1):
    for args in (["validate", latin1], ["validate", latin1, "--format", "json"],
                 ["info", latin1], ["info", latin1, "--format", "json"]):
        result = run(*args)
        no_internal_error(result)
        assert SHOWN in result.stdout


def test_a_latin1_output_name(run, tmp_path):
    out = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/pilotage_\xe9t\xe9.xlsx"))
    if sys.platform == "win32":
        pytest.skip("needs a file system that takes bytes names")
    result = run("consolidate", EXAMPLE, OTHER, "-o", out, "--forcer")
    no_internal_error(result)
    assert out.exists() and "pilotage_\ufffdt\ufffd.xlsx" in result.stdout


# -- control characters ----------------------------------------------------------------------

def test_an_escape_sequence_in_a_name_never_reaches_the_terminal_nor_a_workbook(run, tmp_path):
    weird = Path(shutil.copy(EXAMPLE, tmp_path / ESCAPED))
    folder = tmp_path / "retours"
    folder.mkdir()
    shutil.copy(OTHER, folder / ESCAPED.replace("enfance", "jeunesse"))
    for args in (["validate", weird], ["info", weird], ["diff", OTHER, weird],
                 ["validate", weird, "--annoter", tmp_path / "copie.xlsx"],
                 ["consolidate", weird, folder, "-o", tmp_path / "pilotage.xlsx", "--forcer"],
                 ["merge", weird, weird, OTHER, "-o", tmp_path / "fusion.xlsx"],
                 ["export", weird, "-d", tmp_path / "export"]):
        no_internal_error(run(*args))
    master = tmp_path / "pilotage.xlsx"
    with zipfile.ZipFile(master) as archive:
        assert not any(b"\x1b" in archive.read(n) for n in archive.namelist())
    sources = texts_of(master)                      # a well-formed workbook
    assert "enfance?[31m%s.xlsx" in sources and "jeunesse?[31m%s.xlsx" in sources
    assert any("[31m%s.xlsx" in t for t in texts_of(tmp_path / "fusion.xlsx"))


def test_an_escape_sequence_in_a_name_in_the_bilan(run, tmp_path):
    import docx

    master = Path(shutil.copy(MASTER, tmp_path / "pilotage\x1b[31m%s.xlsx"))
    result = run("bilan", master, "-o", tmp_path / "bilan.docx")
    no_internal_error(result)
    docx.Document(str(tmp_path / "bilan.docx"))


# -- the real console --------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, shown", [("utf-8", SHOWN), ("cp1252", "r?sum?.xlsx")])
def test_the_console_shows_a_replacement_character(latin1, tmp_path, encoding, shown):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "ctgxl", "consolidate", str(latin1),
                           str(OTHER), "-o", str(tmp_path / "pilotage.xlsx"), "--forcer"],
                          capture_output=True, env=env, timeout=300)
    out, err = done.stdout.decode(encoding), done.stderr.decode(encoding)
    assert done.returncode == 1, err
    assert shown in out and "Traceback" not in err and "erreur interne" not in err


def test_json_on_an_ascii_console_escapes_the_replacement_character(latin1):
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "ctgxl", "validate", str(latin1), "--format",
                           "json"], capture_output=True, env=env, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "\\ufffd" in done.stdout.decode("ascii")
    assert json.loads(done.stdout)["files"][0]["file"].endswith(SHOWN)


def test_a_terminal_keeps_the_colours_of_ctgxl_but_not_those_of_a_name():
    import io

    from rich.markup import escape

    from ctgxl.console import _harmless_console

    out = io.StringIO()
    console = _harmless_console()(file=out, force_terminal=True, color_system="standard",
                                  highlight=False)
    console.print(f"[bold]{escape('enfance' + chr(27) + '[31m.xlsx')}[/] — [red]2 erreurs[/]")
    text = out.getvalue()
    assert "enfance?[31m.xlsx" in text and "\x1b[31m2 erreurs" in text
