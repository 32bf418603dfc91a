"""Empty structure is not content: rows, cells, columns and dimensions that office software
writes without a value never make a workbook unusable, and read like the workbook without
them. A real value far away is still refused (test_hostile)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ctgxl.reader import read_plan
from office_habits import ACTIONS_PART, LAST, calc_rows, excel_rows, rewritten, with_tail
from test_hostile import EXAMPLE, one_french_line


def findings(run, path: Path) -> tuple[int, list[tuple]]:
    result = run("validate", path, "--format", "json")
    report = json.loads(result.stdout)
    return result.exit_code, sorted(
        (f["code"], f["severity"], f.get("cell"), f["message"])
        for r in report["files"] for f in r["findings"])


@pytest.mark.parametrize("tail, extra", [
    (calc_rows, {}),
    (excel_rows, {"dimension": b"A1:XFD1048576", "cols": True}),
], ids=["calc", "excel"])
def test_empty_rows_to_the_last_row_read_like_the_workbook_without_them(run, tmp_path, tail,
                                                                         extra):
    padded = rewritten(EXAMPLE, tmp_path / "enfance.xlsx", with_tail(tail, **extra))
    with zipfile.ZipFile(padded) as archive:
        assert archive.getinfo(ACTIONS_PART).file_size > 50_000_000   # really a million rows

    code, found = findings(run, padded)
    expected_code, expected = findings(run, EXAMPLE)
    assert (code, found) == (expected_code, [
        (c, s, cell, m.replace(str(EXAMPLE), str(padded))) for c, s, cell, m in expected])
    plan, original = read_plan(padded), read_plan(EXAMPLE)
    assert plan.actions.rows == original.actions.rows
    assert plan.actions.origin.rows == original.actions.origin.rows


def test_every_command_takes_a_workbook_calc_padded_to_the_last_row(run, tmp_path):
    padded = rewritten(EXAMPLE, tmp_path / "enfance.xlsx", with_tail(calc_rows))
    assert run("diff", EXAMPLE, padded).exit_code == 0          # nothing changed
    assert run("info", padded).exit_code == 0
    assert run("consolidate", padded, "-o", tmp_path / "p.xlsx", "--forcer").exit_code in (0, 1)
    annotated = tmp_path / "annote.xlsx"
    assert run("validate", padded, "--annoter", annotated).exit_code == 1
    from openpyxl import load_workbook
    assert "Contrôles" in load_workbook(annotated, read_only=True).sheetnames


def test_a_value_after_a_million_empty_rows_is_still_refused(run, tmp_path):
    def tail(first: int) -> bytes:
        return calc_rows(first)[:-len(b"</row>")] + b'<c r="B%d" t="inlineStr"><is><t>x</t></is>' \
            b"</c></row>" % LAST

    line = one_french_line(run("validate", rewritten(EXAMPLE, tmp_path / "e.xlsx",
                                                     with_tail(tail))))
    assert "ligne 1048576" in line and "500 000" in line


def test_an_empty_cell_far_right_is_structure_a_value_there_is_refused(run, tmp_path):
    def far_cell(content: bytes):
        def change(name: str, data: bytes) -> bytes:
            if name == ACTIONS_PART:
                return data.replace(b"</row>", b'<c r="XFD2" s="3"%s</row>' % content, 1)
            return data
        return change

    empty = rewritten(EXAMPLE, tmp_path / "vide.xlsx", far_cell(b"/>"))
    assert run("validate", empty).exit_code == run("validate", EXAMPLE).exit_code
    full = rewritten(EXAMPLE, tmp_path / "plein.xlsx", far_cell(b"><v>1</v></c>"))
    assert "cellule XFD2" in one_french_line(run("validate", full))


def test_a_sheet_with_a_namespace_prefix_is_scanned_too(tmp_path):
    from ctgxl.errors import UnusableInputError

    def prefixed(far: bool):
        def change(name: str, data: bytes) -> bytes:
            if name != ACTIONS_PART:
                return data
            row = b'<x:row r="%d"><x:c r="A%d" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>'
            return (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><x:sheetData>' + row % ((700_000,) * 2 if far else (1, 1))
                    + b"</x:sheetData></x:worksheet>")
        return change

    with pytest.raises(UnusableInputError, match="ligne 700000"):
        read_plan(rewritten(EXAMPLE, tmp_path / "loin.xlsx", prefixed(True)))
