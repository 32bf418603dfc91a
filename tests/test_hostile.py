"""Hostile and broken workbooks: one French line, exit 2, within seconds — no abort, no
exit 3, no hang, nothing left behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ctgxl.model import Meta, Plan
from ctgxl.reader import read_plan
from ctgxl.writer import write_plan
from office_habits import rewritten
from workbooks import small_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "enfance.xlsx"


def one_french_line(result) -> str:
    """The one line of the error (stderr); validate also prints its total on stdout."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def with_shared_strings(tmp_path: Path) -> Path:
    """The example saved by LibreOffice, which writes its texts as shared strings (ctgxl and
    openpyxl write them in the cells)."""
    from conftest import soffice_convert

    source = Path(shutil.copy(EXAMPLE, tmp_path / "partage.ods"))  # read by content
    return soffice_convert(source, "xlsx", tmp_path / "lo")


def stray_cell(name: str, data: bytes) -> bytes:
    if name == "xl/worksheets/sheet2.xml":   # Actions
        return data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                             b"<is><t>x</t></is></c></row></sheetData>")
    return data


@pytest.mark.parametrize("command", ["validate", "info", "diff", "consolidate"])
def test_a_far_away_stray_cell_is_refused_in_seconds(run, tmp_path, command):
    bad = rewritten(EXAMPLE, tmp_path / "enfance.xlsx", stray_cell)
    args = {"validate": [bad], "info": [bad], "diff": [bad, EXAMPLE],
            "consolidate": [bad, "-o", tmp_path / "p.xlsx"]}[command]
    start = time.perf_counter()
    line = one_french_line(run(command, *args))
    assert time.perf_counter() - start < 10
    assert "« Actions »" in line and "ligne 1048576" in line and "500 000" in line


def test_a_column_beyond_zz_is_refused(run, tmp_path):
    def far_column(name, data):
        if name == "xl/worksheets/sheet2.xml":
            return data.replace(b"</sheetData>", b'<row r="3000"><c r="AAA3000" t="inlineStr">'
                                                 b"<is><t>x</t></is></c></row></sheetData>")
        return data

    line = one_french_line(run("info", rewritten(EXAMPLE, tmp_path / "e.xlsx", far_column)))
    assert "colonne AAA" in line


@pytest.mark.soffice
def test_shared_strings_claiming_four_billion_entries_are_refused(run, tmp_path):
    def lying_count(name, data):
        if name == "xl/sharedStrings.xml":
            return re.sub(rb'count="\d+"', b'count="4294967295"', data, count=1)
        return data

    path = rewritten(with_shared_strings(tmp_path), tmp_path / "e.xlsx", lying_count)
    with zipfile.ZipFile(path) as archive:
        assert b'count="4294967295"' in archive.read("xl/sharedStrings.xml")
    line = one_french_line(run("validate", path))
    assert "textes partagés" in line


def test_a_fifo_is_refused_without_blocking(run, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFO on this system")
    fifo = tmp_path / "x.xlsx"
    os.mkfifo(fifo)
    line = one_french_line(run("validate", fifo))
    assert "n'est pas un fichier ordinaire" in line


def test_an_encrypted_zip_member_is_one_line(run, tmp_path):
    path = Path(shutil.copy(EXAMPLE, tmp_path / "chiffre.xlsx"))
    data = bytearray(path.read_bytes())
    # set the « encrypted » flag (bit 0 of the general purpose flags) of every member
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + offset] |= 1
            start += 4
    path.write_bytes(bytes(data))
    line = one_french_line(run("info", path))
    assert "chiffr" in line or "corrompu" in line


@pytest.mark.soffice
def test_a_missing_shared_strings_part_is_one_line(run, tmp_path):
    source = with_shared_strings(tmp_path)
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(tmp_path / "e.xlsx", "w") as out:
        for info in archive.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, archive.read(info.filename))
    result = run("validate", tmp_path / "e.xlsx")
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output


def test_an_xlsx_named_ods_and_an_ods_named_xlsx_are_read_by_content(tmp_path):
    named_ods = Path(shutil.copy(EXAMPLE, tmp_path / "enfance.ods"))
    assert read_plan(named_ods) == read_plan(EXAMPLE)


def test_a_latin1_file_name_is_found(tmp_path):
    if sys.platform == "win32" or os.fsencode("é") != "é".encode("utf-8"):
        pytest.skip("needs a file system that takes bytes names")
    raw = os.fsencode(str(tmp_path)) + b"/enfance_\xe9t\xe9.xlsx"   # Latin-1 « été »
    shutil.copy(EXAMPLE, raw)
    path = Path(os.fsdecode(raw))
    assert path.exists()
    assert len(read_plan(path).actions) == 88


def test_a_symlink_loop_as_output_is_one_line(run, tmp_path):
    loop = tmp_path / "boucle.xlsx"
    os.symlink(loop, loop)
    line = one_french_line(run("diff", EXAMPLE, EXAMPLE, "-o", loop))
    assert "boucle de liens symboliques" in line or "boucle" in line


def test_control_characters_and_huge_texts_are_written_as_excel_takes_them(run, tmp_path):
    from openpyxl import load_workbook

    weird = tmp_path / "enfance\x1b[31m%s.xlsx"
    shutil.copy(EXAMPLE, weird)
    out = tmp_path / "diff.xlsx"
    assert run("diff", weird, EXAMPLE, "-o", out).exit_code == 0   # same content
    synthese = load_workbook(out)["Synthèse"]
    assert any("%s.xlsx" in str(c.value) for row in synthese.iter_rows() for c in row)
    data = {t.sheet.key: t.records() for t in small_plan(2).tables}
    data["actions"][0]["intitule"] = "Ateliers " * 5000          # 45,000 characters
    long_plan = Plan.from_records(Meta(thematique="Enfance", service="Enfance"), **data)
    write_plan(long_plan, tmp_path / "long.xlsx")
    result = run("diff", tmp_path / "long.xlsx", EXAMPLE, "-o", tmp_path / "d2.xlsx")
    assert result.exit_code == 1
    cells = [c.value for ws in load_workbook(tmp_path / "d2.xlsx") for row in ws.iter_rows()
             for c in row if isinstance(c.value, str)]
    assert max(map(len, cells)) <= 32_767
    assert any("texte coupé" in c for c in cells)


def test_a_split_of_a_paragraph_long_thematique_gets_a_short_file_name(run, tmp_path):
    theme = "Thématique " * 3000
    data = {t.sheet.key: t.records() for t in small_plan(1).tables}
    for row in data["actions"] + data["plan"]:
        row["thematique"] = theme
    plan = Plan.from_records(Meta(), **data)
    master = write_plan(plan, tmp_path / "pilotage.xlsx")
    result = run("split", master, "-d", tmp_path / "services")
    assert result.exit_code == 0, result.output
    [written] = list((tmp_path / "services").glob("*.xlsx"))
    assert len(written.name) <= 90 and written.name.startswith("thematique_thematique")


def test_temporary_files_of_a_killed_run_are_cleaned_by_the_next(run, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".ctgxl-{dead.pid}-abcd.xlsx"
    stale.write_bytes(b"half a workbook")
    (tmp_path / f".ctgxl-{dead.pid}-abcd.xlsx.rows").write_bytes(b"rows")
    (tmp_path / f".ctgxl-{dead.pid}-ijkl").mkdir()             # a staged export folder
    (tmp_path / f".ctgxl-{dead.pid}-ijkl" / "actions.csv").write_bytes(b"id_action")
    mine = tmp_path / f".ctgxl-{os.getpid()}-efgh.xlsx"
    mine.write_bytes(b"being written")
    assert run("template", "-o", tmp_path / "vierge.xlsx").exit_code == 0
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([mine.name, "vierge.xlsx"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_workers_die_with_their_parent(tmp_path):
    for k in range(30):
        shutil.copy(EXAMPLE, tmp_path / f"service_{k:02d}.xlsx")
    parent = subprocess.Popen([sys.executable, "-m", "ctgxl", "validate", *sorted(
        map(str, tmp_path.glob("*.xlsx")))], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 20
    children: list[int] = []
    while time.time() < deadline and len(children) < 1:
        children = _children(parent.pid)
        time.sleep(0.1)
    if not children:
        parent.kill()
        pytest.skip("the run ended before its workers could be seen")
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    time.sleep(1.5)
    alive = [pid for pid in children if _running(pid)]
    assert alive == []


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_file_name_with_escape_sequences_is_printed_harmless(run, tmp_path):
    bad = tmp_path / "enfance\x1b[31m.xlsx"
    bad.write_bytes(b"pas un classeur")
    line = one_french_line(run("validate", bad))
    assert "\x1b" not in line and "enfance?[31m.xlsx" in line


def test_a_text_longer_than_a_cell_is_cut_with_a_mark_in_every_written_workbook(tmp_path):
    data = {t.sheet.key: t.records() for t in small_plan(2).tables}
    data["actions"][0]["intitule"] = "Ateliers & jeux " * 3000      # 48,000 characters
    plan = Plan.from_records(Meta(thematique="Enfance", service="Enfance"), **data)
    title = read_plan(write_plan(plan, tmp_path / "long.xlsx")).actions.records()[0]["intitule"]
    assert len(title) == 32_767
    assert title.startswith("Ateliers & jeux") and title.endswith(
        "(texte coupé : une cellule Excel contient au plus 32 767 caractères)")


def test_a_boolean_cell_holding_2_is_read_as_text_with_a_warning(tmp_path):
    def bad_boolean(name, data):
        if name == "xl/worksheets/sheet2.xml":
            return data.replace(b"</sheetData>", b'<row r="95"><c r="T95" t="b"><v>2</v></c>'
                                                 b"</row></sheetData>", 1)
        return data

    plan = read_plan(rewritten(EXAMPLE, tmp_path / "e.xlsx", bad_boolean))
    assert len(plan.actions) == 89 and "2" in plan.actions.rows[-1]   # the cell, as text
    assert [n.code for n in plan.notes if n.code == "booleen-invalide"] == ["booleen-invalide"]


def test_a_sheet_inflating_beyond_one_gigabyte_is_refused_from_the_zip_directory(tmp_path):
    from ctgxl.errors import UnusableInputError
    from ctgxl.sniff import MAX_PART, workbook_kind

    path = Path(shutil.copy(EXAMPLE, tmp_path / "e.xlsx"))
    data = bytearray(path.read_bytes())
    # claim, in the central directory, that Actions inflates to 1.5 GiB (what a sheet of
    # whitespace would): the check reads the directory, not the data
    name = b"xl/worksheets/sheet2.xml"
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + length] == name:
            data[at + 24:at + 28] = (MAX_PART + MAX_PART // 2).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(UnusableInputError, match="anormalement volumineuse"):
        workbook_kind(path)


def test_merge_end_spaces_are_no_change_but_inner_spaces_are(tmp_path):
    from ctgxl.compare import merge_plans

    def edited(**values):
        data = {t.sheet.key: t.records() for t in small_plan(2).tables}
        data["actions"][0].update(values)
        return Plan.from_records(Meta(thematique="Enfance", service="Enfance"), **data)

    base, remote = edited(porteur="Pôle Éducation"), edited(porteur="Centre social")
    clean = merge_plans(base, edited(porteur="Pôle Éducation   "), remote)
    assert clean.conflicts == () and clean.plan.actions.records()[0]["porteur"] == "Centre social"
    crossed = merge_plans(base, edited(porteur="Pôle  Éducation"), remote)
    assert [c.column for c in crossed.conflicts] == ["porteur"]
