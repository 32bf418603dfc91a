"""`ctgxl template`: the blank workbook people fill, and the committed copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT, soffice_convert
from ctgxl.catalogue import ACTIONS, META_SHEET, SHEET_ORDER, TABLE_SHEETS

COMMITTED = ROOT / "templates" / "plan_template.xlsx"


def signature(path: Path) -> dict:
    """Everything a user sees or relies on in a workbook, file bytes aside."""
    wb = load_workbook(path)
    out: dict = {"sheets": wb.sheetnames, "names": sorted(
        (n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        out[ws.title] = {
            "state": ws.sheet_state,
            "cells": [[c.value for c in row] for row in ws.iter_rows()],
            "comments": [(c.coordinate, c.comment.text) for row in ws.iter_rows()
                         for c in row if c.comment],
            "validations": sorted((str(v.sqref), v.type, v.formula1, v.formula2, v.errorStyle)
                                  for v in ws.data_validations.dataValidation),
            "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
            "freeze": ws.freeze_panes,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        }
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from ctgxl.cli import group
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("tpl") / "plan_template.xlsx"
    result = CliRunner().invoke(group, ["template", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_committed_template_is_what_the_code_generates(template):
    assert signature(template) == signature(COMMITTED), (
        "templates/plan_template.xlsx est périmé : lancez "
        "`ctgxl template -o templates/plan_template.xlsx`")


def test_template_sheets_headers_and_help(template):
    wb = load_workbook(template)
    assert wb.sheetnames == list(SHEET_ORDER)
    assert wb[META_SHEET].sheet_state == "hidden"
    for sheet in TABLE_SHEETS:
        ws = wb[sheet.name]
        assert [c.value for c in ws[1]] == list(sheet.headers)
        assert [c.comment.text for c in ws[1]] == [c.help for c in sheet.columns]
        assert ws.freeze_panes in ("A2", "B2")
        assert ws.print_title_rows == "$1:$1"
        assert len(ws.tables) == 1


def test_dropdowns_offer_the_vocabularies(template):
    wb = load_workbook(template)
    ws = wb[ACTIONS.name]
    statut = ACTIONS.position("statut") + 1
    lists = {v.formula1: str(v.sqref) for v in ws.data_validations.dataValidation if v.type == "list"}
    assert "liste_statuts" in lists and lists["liste_statuts"].startswith(f"{'ABCDEFGHIJKLMNOPQRST'[statut - 1]}2:")
    named = wb.defined_names["liste_statuts"]
    (sheet_name, cells), = named.destinations
    values = [c.value for row in wb[sheet_name][cells.replace("$", "")] for c in row]
    assert values == ["Non démarrée", "En cours", "Réalisée", "Reportée", "Abandonnée"]


def test_thematique_option_fills_the_hidden_sheet(run, tmp_path):
    out = tmp_path / "enfance.xlsx"
    result = run("template", "-o", out, "--thematique", "enfance")
    assert result.exit_code == 0
    from ctgxl.reader import read_plan

    assert read_plan(out).meta.thematique == "Enfance"


def test_unknown_thematique_is_refused_in_french(run, tmp_path):
    result = run("template", "-o", tmp_path / "x.xlsx", "--thematique", "Astronautique")
    assert result.exit_code == 2
    assert "thématique « Astronautique » inconnue" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_validations_survive_an_openpyxl_load_and_save(template, tmp_path):
    before = signature(template)
    wb = load_workbook(template)
    wb.save(tmp_path / "resaved.xlsx")
    after = signature(tmp_path / "resaved.xlsx")
    for sheet in TABLE_SHEETS:
        assert after[sheet.name]["validations"] == before[sheet.name]["validations"]
    assert after["names"] == before["names"]


@pytest.mark.soffice
def test_libreoffice_opens_the_template_and_keeps_it_readable(template, tmp_path):
    pdf = soffice_convert(template, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 10_000
    ods = soffice_convert(template, "ods", tmp_path / "ods")
    from ctgxl.reader import read_plan

    plan = read_plan(ods)
    assert all(len(t) == 0 for t in plan.tables)
    back = soffice_convert(ods, "xlsx", tmp_path / "back")
    wb = load_workbook(back)
    assert [c.value for c in wb[ACTIONS.name][1]] == list(ACTIONS.headers)
    kinds = {v.formula1 for v in wb[ACTIONS.name].data_validations.dataValidation}
    assert "liste_statuts" in kinds


def print_titles(path: Path) -> list[tuple[str, str]]:
    """(sheet index, definition) of every Print_Titles name of the workbook at ``path``."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
    names = re.findall(r"<definedName ([^>]*)>([^<]*)</definedName>", book)
    return [(re.search(r'localSheetId="(\d+)"', attributes).group(1), text)
            for attributes, text in names if 'name="_xlnm.Print_Titles"' in attributes]


@pytest.mark.soffice
def test_a_workbook_resaved_by_libreoffice_keeps_one_print_titles_per_sheet(tmp_path):
    """LibreOffice re-saves a rows-first name as a second name for the same sheet, which
    Excel then repairs: ctgxl writes columns first, as Excel and LibreOffice do."""
    example = ROOT / "examples" / "enfance.xlsx"
    written = print_titles(example)
    assert ("1", "'Actions'!$A:$A,'Actions'!$1:$1") in written
    resaved = soffice_convert(example, "xlsx", tmp_path / "lo")
    names = print_titles(resaved)
    sheets = [sheet for sheet, _ in names]
    assert len(sheets) == len(set(sheets)) == len(written)
