"""A corpus of awkward workbooks, generated: each gives findings or one clear French error.

Each case starts from a workbook written by ctgxl (three Enfance actions, two
offers, a follow-up row), damages it the way people do with openpyxl, and
states what ``ctgxl validate`` must say: an exit code and the findings
(code, cell) that must be among the reported ones, or for an unusable file
the words of its one-line error. No case may end in a traceback, and every
usable case can also be annotated.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ctgxl.writer import write_plan
from workbooks import small_plan


def base(tmp_path: Path):
    path = write_plan(small_plan(3), tmp_path / "base.xlsx")
    return load_workbook(path)


def save(wb, tmp_path: Path, name: str = "cas.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


# -- the cases: each returns the path of the damaged workbook ----------------------------------

def merged_hierarchy(tmp_path):
    wb = base(tmp_path)
    ws = wb["Actions"]
    ws["B3"] = ws["B4"] = None
    ws.merge_cells("B2:B4")                     # thématique merged down: filled by the reader
    return save(wb, tmp_path)


def merged_across_rows(tmp_path):
    wb = base(tmp_path)
    ws = wb["Actions"]
    ws.merge_cells("H2:H3")                     # porteur merged: the second row looks empty
    return save(wb, tmp_path)


def renamed_headers(tmp_path):
    wb = base(tmp_path)
    ws = wb["Actions"]
    ws["H1"], ws["I1"], ws["J1"] = "Pilote", "Public cible", "Calendrier"
    return save(wb, tmp_path)


def unknown_header(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["H1"] = "Porteur du projet ???"
    return save(wb, tmp_path)


def required_column_missing(tmp_path):
    wb = base(tmp_path)
    wb["Actions"].delete_cols(7)                # Intitulé de l'action
    return save(wb, tmp_path)


def numbers_as_text(tmp_path):
    wb = base(tmp_path)
    for row in (2, 3, 4):
        wb["Actions"][f"K{row}"] = "2023"
        wb["Actions"][f"F{row}"] = str(row - 1)
    wb["Offres"]["B2"] = "1"
    return save(wb, tmp_path)


def numbers_in_text_columns(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["F2"] = 1                     # N° action typed as a number
    wb["Actions"]["D2"] = 1.0
    return save(wb, tmp_path)


def dates_typed_as_dates(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["J2"] = dt.datetime(2023, 9, 1)   # échéances: a date, years still readable
    wb["Actions"]["K3"] = dt.datetime(2024, 1, 1)   # année début: a date, not a year
    return save(wb, tmp_path)


def formulas_without_values(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["K2"] = "=2020+3"             # openpyxl stores no cached value
    wb["Actions"]["G3"] = '=CONCATENATE("Action ", "3")'
    return save(wb, tmp_path)


def error_values(tmp_path):
    wb = base(tmp_path)
    cell = wb["Actions"]["G2"]                  # read as empty (python-calamine)
    cell.value, cell.data_type = "#DIV/0!", "e"
    return save(wb, tmp_path)


def hidden_rows_and_sheet(tmp_path):
    wb = base(tmp_path)
    ws = wb["Actions"]
    ws.row_dimensions[3].hidden = True
    ws["S3"] = "Finie"                          # a mistake in a hidden row is still a mistake
    wb["Offres"].sheet_state = "hidden"
    return save(wb, tmp_path)


def actions_headers_only(tmp_path):
    wb = base(tmp_path)
    wb["Actions"].delete_rows(2, 3)
    return save(wb, tmp_path)


def actions_sheet_blank(tmp_path):
    wb = base(tmp_path)
    wb["Actions"].delete_rows(1, 10)
    return save(wb, tmp_path)


def plan_sheet_missing(tmp_path):
    wb = base(tmp_path)
    del wb["Plan"]
    return save(wb, tmp_path)


def follow_up_sheet_missing(tmp_path):
    wb = base(tmp_path)
    del wb["Suivi"]
    return save(wb, tmp_path)


def value_in_last_row(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["A1048576"] = "ENF-099"       # a stray value at the very bottom
    return save(wb, tmp_path)


def wrong_version(tmp_path):
    wb = base(tmp_path)
    wb["_ctgxl"]["B2"] = "7.2"
    return save(wb, tmp_path)


def no_metadata_sheet(tmp_path):
    wb = base(tmp_path)
    del wb["_ctgxl"]
    return save(wb, tmp_path)


def header_below_a_title(tmp_path):
    wb = base(tmp_path)
    ws = wb["Actions"]
    ws.insert_rows(1, 2)
    ws["A1"] = "Plan d'actions CTG — Enfance"
    ws["S5"] = "Finie"                          # first data row is now row 4
    return save(wb, tmp_path)


def columns_reordered(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Statut", "Thématique", "Intitulé de l'action", "ID action", "Porteur",
               "Public visé", "Échéances", "Indicateurs"])
    ws.append(["Finie", "Enfance", "Ateliers", "ENF-001", "ALSH", "6-11 ans", "2024",
               "Participation"])
    return save(wb, tmp_path)


def duplicate_header(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["T1"] = "Porteur(s) de projet"
    return save(wb, tmp_path)


def blank_rows_between(tmp_path):
    wb = base(tmp_path)
    ws = wb["Actions"]
    ws.insert_rows(3, 2)
    ws["S6"] = "Finie"                          # ENF-003 now on row 6
    return save(wb, tmp_path)


def spaces_and_line_breaks(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["S2"] = "  En cours \n"
    wb["Actions"]["H2"] = "\n  Pôle Éducation\r\n de l'Agglomération  "
    return save(wb, tmp_path)


def very_long_text_and_invisible_characters(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["M2"] = "Partenaires " * 2700     # ~32,000 characters, Excel's maximum
    wb["Actions"]["S3"] = "En\u00a0cours\u200b"   # no-break and zero-width spaces
    return save(wb, tmp_path)


def lowercase_identifier(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["A4"] = "enf-003"
    return save(wb, tmp_path)


def booleans_and_fractions(tmp_path):
    wb = base(tmp_path)
    wb["Actions"]["S2"] = True
    wb["Actions"]["L3"] = 2026.5
    return save(wb, tmp_path)


def sheet_names_in_capitals(tmp_path):
    wb = base(tmp_path)
    for name, new in (("Actions", "ACTIONS"), ("Suivi", "suivi")):
        wb[name].title = "provisoire"           # openpyxl refuses a case-only rename
        wb["provisoire"].title = new
    return save(wb, tmp_path)


def csv_named_xlsx(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("ID action;Thématique\nENF-001;Enfance\n", encoding="utf-8")
    return path


def empty_file(tmp_path):
    path = tmp_path / "vide.xlsx"
    path.write_bytes(b"")
    return path


def not_a_plan(tmp_path):
    wb = Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Ligne", "Montant"])
    return save(wb, tmp_path)


# name -> (case, exit code, findings that must be reported, or words of the error line)
CASES = {
    "merged hierarchy cells": (merged_hierarchy, 0, {("cellules-fusionnees", "B2:B4")}),
    "merged cells across rows": (merged_across_rows, 0,
                                 {("cellules-fusionnees", "H2:H3"), ("champ-a-completer", "H3")}),
    "renamed headers (synonyms)": (renamed_headers, 0, set()),
    "unknown header": (unknown_header, 1, {("colonne-renommee", "H1")}),   # Porteur renamed
    "required column missing": (required_column_missing, 1,
                                {("colonne-obligatoire-absente", None)}),
    "numbers stored as text": (numbers_as_text, 0, set()),
    "numbers in text columns": (numbers_in_text_columns, 0, set()),
    "dates typed as Excel dates": (dates_typed_as_dates, 1, {("annee-invalide", "K3")}),
    "formulas without cached values": (formulas_without_values, 1,
                                       {("champ-obligatoire", "G3")}),
    "error values": (error_values, 1, {("champ-obligatoire", "G2")}),
    "hidden rows and sheets": (hidden_rows_and_sheet, 1, {("valeur-hors-liste", "S3")}),
    "Actions with headers only": (actions_headers_only, 1, {("feuille-vide", None),
                                                            ("action-inconnue", "A2")}),
    "Actions sheet blank": (actions_sheet_blank, 1, {("feuille-vide", None)}),
    "Plan sheet missing": (plan_sheet_missing, 1, {("feuille-absente", None)}),
    "Suivi sheet missing": (follow_up_sheet_missing, 0, {("feuille-absente", None)}),
    # beyond the documented limit of 500,000 rows (README « Limites »): refused at once
    "value in row 1,048,576": (value_in_last_row, 2, "au-delà de la ligne 500 000"),
    "wrong template version": (wrong_version, 2, "version du modèle « 7.2 » inconnue"),
    "no metadata sheet": (no_metadata_sheet, 0, {("parametres-absents", None)}),
    "header row below a title": (header_below_a_title, 1, {("valeur-hors-liste", "S5")}),
    "columns in another order": (columns_reordered, 1, {("valeur-hors-liste", "A2")}),
    "duplicate header": (duplicate_header, 0, {("colonne-inconnue", "T1")}),
    "blank rows between actions": (blank_rows_between, 1, {("valeur-hors-liste", "S6")}),
    "spaces and line breaks": (spaces_and_line_breaks, 0, set()),
    "very long text, invisible characters": (very_long_text_and_invisible_characters, 0,
                                             {("valeur-a-harmoniser", "S3")}),
    "lowercase identifier": (lowercase_identifier, 1, {("identifiant-mal-forme", "A4")}),
    "booleans and fractions": (booleans_and_fractions, 1, {("valeur-hors-liste", "S2"),
                                                          ("annee-invalide", "L3")}),
    "sheet names in capitals": (sheet_names_in_capitals, 0, set()),
    "CSV named .xlsx": (csv_named_xlsx, 2, "fichier texte"),
    "empty file": (empty_file, 2, "fichier vide"),
    "not a plan workbook": (not_a_plan, 2, "pas de feuille « Actions »"),
}


def test_the_corpus_has_at_least_twenty_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", sorted(CASES))
def test_awkward_workbook_gives_findings_or_one_clear_error(name, tmp_path, run):
    make, code, expected = CASES[name]
    path = make(tmp_path)
    result = run("validate", "--format", "json", path)
    assert "Traceback" not in result.output
    assert result.exit_code == code, (result.stdout, result.stderr)
    report = json.loads(result.stdout)
    if isinstance(expected, str):
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"ctgxl : erreur : {path}")
        assert expected in lines[0]
        assert report["files"][0]["status"] == "inutilisable"
        return
    found = {(f["code"], f["cell"]) for f in report["files"][0]["findings"]}
    assert expected <= found, sorted(found)
    assert "controle-impossible" not in {c for c, _ in found}
    assert result.stderr == ""


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c[1] != 2))
def test_awkward_workbook_can_be_annotated(name, tmp_path, run):
    make, code, expected = CASES[name]
    path = make(tmp_path)
    out = tmp_path / "annote.xlsx"
    result = run("validate", path, "--annoter", out)
    assert result.exit_code == code, result.output
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Contrôles"
    rows = list(wb["Contrôles"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if "Cellule" in r)
    column = rows[header].index("Cellule")
    cells = {r[column] for r in rows[header + 1:]}
    assert {cell for _, cell in expected if cell} <= cells
