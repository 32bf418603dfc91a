"""``ctgxl validate --annoter``: the service's own workbook, faulty cells highlighted in place."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT, soffice_convert
from ctgxl.findings import CODE_LABELS, Finding
from ctgxl.model import Meta, Plan
from ctgxl.reader import read_plan
from ctgxl.validation import load_rules, validate_file
from ctgxl.validation.annotate import FILLS, control_rows, totals_line
from ctgxl.validation.registry import all_codes
from ctgxl.writer import write_plan
from workbooks import small_plan

RULES = load_rules()


def faulty_plan() -> Plan:
    data = {t.sheet.key: t.records() for t in small_plan(3).tables}
    data["actions"][0]["statut"] = "Realisée"                      # S2, avertissement
    data["actions"][1].update(annee_debut=2026, annee_fin=2023)    # K3 + L3, erreur
    data["offres"][1]["id_action"] = "ENF-1"                       # Offres!A3, erreur
    return Plan.from_records(Meta(thematique="Enfance", service="Enfance"), **data)


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    return write_plan(faulty_plan(), tmp_path / "enfance.xlsx")


def signature(report) -> list[tuple]:
    return [(f.code, f.severity, f.sheet, f.cell, f.value) for f in report.findings]


def fill_of(cell) -> str | None:
    return cell.fill.fgColor.rgb[-6:] if cell.fill and cell.fill.fill_type == "solid" else None


def test_faulty_cells_are_filled_and_commented(run, faulty, tmp_path):
    out = tmp_path / "enfance-controles.xlsx"
    before = (faulty.read_bytes(), faulty.stat().st_mtime_ns)
    result = run("validate", faulty, "--annoter", out)
    assert result.exit_code == 1
    assert f"Copie annotée : {out}" in result.stdout
    assert (faulty.read_bytes(), faulty.stat().st_mtime_ns) == before   # input untouched

    wb = load_workbook(out)
    actions = wb["Actions"]
    assert fill_of(actions["S2"]) == FILLS["avertissement"]
    assert fill_of(actions["K3"]) == fill_of(actions["L3"]) == FILLS["erreur"]
    assert fill_of(actions["S3"]) is None and fill_of(actions["K2"]) is None
    assert "[erreur] L'année de début (2026) est postérieure" in actions["K3"].comment.text
    assert "Suggestion : Réalisée" in actions["S2"].comment.text
    assert fill_of(wb["Offres"]["A3"]) == FILLS["erreur"]


def test_first_sheet_lists_findings_with_links(run, faulty, tmp_path):
    out = tmp_path / "copie.xlsx"
    run("validate", faulty, "--annoter", out)
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Contrôles"
    assert wb.active.title == "Contrôles"
    assert [ws.sheet_view.tabSelected for ws in wb.worksheets].count(True) == 1
    sheet = wb["Contrôles"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Contrôles du classeur « enfance.xlsx »"
    assert rows[1][0] == "2 erreurs, 1 avertissement, 0 information"
    assert rows[4] == ("Gravité", "Feuille", "Cellule", "ID action", "Contrôle", "En-tête",
                       "Valeur", "Message", "Suggestion", "Code")
    # erreurs first, then avertissements; each with the ID action of its row
    assert [(r[0], r[1], r[2], r[3], r[4], r[9]) for r in rows[5:]] == [
        ("erreur", "Actions", "K3", "ENF-002", "Début après la fin", "debut-apres-fin"),
        ("erreur", "Offres", "A3", "ENF-1", "Action inconnue", "action-inconnue"),
        ("avertissement", "Actions", "S2", "ENF-001", "Valeur à harmoniser",
         "valeur-a-harmoniser")]
    links = [sheet.cell(row, 3).hyperlink.location for row in range(6, 9)]
    assert links == ["'Actions'!K3", "'Offres'!A3", "'Actions'!S2"]


def test_controls_of_the_enfance_example_read_from_the_top(run, tmp_path):
    out = tmp_path / "enfance-controles.xlsx"
    run("validate", ROOT / "examples" / "enfance.xlsx", "--annoter", out)
    rows = list(load_workbook(out)["Contrôles"].iter_rows(values_only=True))
    assert rows[0][0] == "Contrôles du classeur « enfance.xlsx »"
    assert rows[1][0] == "3 erreurs, 205 avertissements, 0 information"
    findings = rows[5:]
    assert [r[0] for r in findings[:4]] == ["erreur"] * 3 + ["avertissement"]
    assert findings[0][:5] == ("erreur", "Offres", "C9", "ENF-003", "Champ obligatoire vide")
    late = [r for r in findings if r[9] == "echeances-hors-periode"]
    assert [(r[2], r[3], r[4]) for r in late] == [("G41", "ENF-024", "Échéance hors période"),
                                                  ("G49", "ENF-028", "Échéance hors période")]


def test_controls_sheet_prints_landscape_one_page_wide_with_its_header(run, faulty, tmp_path):
    out = tmp_path / "copie.xlsx"
    run("validate", faulty, "--annoter", out)
    sheet = load_workbook(out)["Contrôles"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$5:$5"   # the header row, on every page
    assert sheet.freeze_panes == "A6"
    width = {sheet.cell(5, col).value: sheet.column_dimensions[sheet.cell(5, col).column_letter]
             .width for col in range(1, 11)}
    # the longest words of their columns fit on one line
    assert width["Gravité"] >= len("avertissement") and width["Feuille"] >= len("Indicateurs")
    assert width["En-tête"] >= len("Parcours périscolaire") and width["Message"] >= 60


def test_every_code_has_a_french_label():
    doc = (ROOT / "ctgxl" / "guides" / "validation.md").read_text(encoding="utf-8")
    section = doc.split("## Ce qui est contrôlé")[1].split("## Changer une règle")[0]
    documented = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", section))
    assert "colonne-ajoutee" in documented and "echeances-hors-periode" in documented
    for code in {*all_codes(), *documented}:
        assert code in CODE_LABELS, f"{code} n'a pas de libellé"
        assert CODE_LABELS[code] != code and CODE_LABELS[code][0].isupper()
    assert CODE_LABELS["echeances-hors-periode"] == "Échéance hors période"


def test_control_rows_put_erreurs_first_and_keep_reading_order():
    findings = [Finding("version-modele-absente", "information", "Version absente."),
                Finding("champ-a-completer", "avertissement", "« Public visé » est à compléter.",
                        sheet="Actions", cell="I3", row=3),
                Finding("debut-apres-fin", "erreur", "Début après la fin.", sheet="Actions",
                        cell="K4", row=4),
                Finding("action-inconnue", "erreur", "Action inconnue.", sheet="Offres",
                        cell="A2", row=2)]
    ids = {("actions", 3): "ENF-001", ("actions", 4): "ENF-002", ("offres", 2): "ENF-009"}
    rows = [values for _, values in control_rows(findings, ids)]
    assert [(r[0], r[3], r[4]) for r in rows] == [
        ("erreur", "ENF-002", "Début après la fin"), ("erreur", "ENF-009", "Action inconnue"),
        ("avertissement", "ENF-001", "Champ à compléter"),
        ("information", None, "Version du modèle absente")]
    assert totals_line(findings) == "2 erreurs, 1 avertissement, 1 information"


def test_copy_keeps_the_data_and_the_formatting(run, faulty, tmp_path):
    out = tmp_path / "copie.xlsx"
    run("validate", faulty, "--annoter", out)
    assert read_plan(out) == read_plan(faulty)
    assert signature(validate_file(out, RULES)) == signature(validate_file(faulty, RULES))
    original, copy = load_workbook(faulty), load_workbook(out)
    for name in original.sheetnames:
        a, b = original[name], copy[name]
        assert b.sheet_state == a.sheet_state
        assert b.freeze_panes == a.freeze_panes
        assert len(b.data_validations.dataValidation) == len(a.data_validations.dataValidation)
        assert {k: d.width for k, d in b.column_dimensions.items()} == \
               {k: d.width for k, d in a.column_dimensions.items()}
        assert b["A1"].font.b == a["A1"].font.b
        assert b["A1"].comment == a["A1"].comment or (b["A1"].comment.text == a["A1"].comment.text)


def test_clean_workbook_copy_says_so(run, tmp_path):
    path = write_plan(small_plan(2), tmp_path / "propre.xlsx")
    out = tmp_path / "copie.xlsx"
    assert run("validate", path, "--annoter", out).exit_code == 0
    sheet = load_workbook(out)["Contrôles"]
    assert sheet["A2"].value == "0 erreur, 0 avertissement, 0 information"
    assert sheet["A6"].value == "Aucun constat."


def test_annotating_into_the_input_is_refused(run, faulty):
    result = run("validate", faulty, "--annoter", faulty)
    assert result.exit_code == 2
    assert "ne peut pas être un fichier d'entrée" in result.stderr


def test_output_folder_must_exist_and_is_checked_first(run, faulty, tmp_path):
    result = run("validate", faulty, "--annoter", tmp_path / "absent" / "copie.xlsx")
    assert result.exit_code == 2
    assert "n'existe pas" in result.stderr
    assert result.stdout == ""


def test_several_files_are_annotated_into_a_folder(run, faulty, tmp_path):
    other = write_plan(small_plan(2), tmp_path / "jeunesse.xlsx")
    folder = tmp_path / "annotes"
    folder.mkdir()
    result = run("validate", faulty, other, "--annoter", folder)
    assert result.exit_code == 1
    assert sorted(p.name for p in folder.iterdir()) == ["enfance-controles.xlsx",
                                                        "jeunesse-controles.xlsx"]
    result = run("validate", faulty, other, "--annoter", tmp_path / "un.xlsx")
    assert result.exit_code == 2
    assert "attend un dossier" in result.stderr


def make_xlsm(source: Path, target: Path, payload: bytes) -> Path:
    """A macro workbook: ``source`` with a VBA project part and the macro content type."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                data = data.replace(b"<Default ", b'<Default Extension="bin" ContentType='
                                    b'"application/vnd.ms-office.vbaProject"/><Default ', 1)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVBA" Type="http://'
                                    b'schemas.microsoft.com/office/2006/relationships/vbaProject" '
                                    b'Target="vbaProject.bin"/></Relationships>')
            zout.writestr(item, data)
        zout.writestr("xl/vbaProject.bin", payload)
    return target


def test_macro_workbook_keeps_its_macros_in_an_xlsm_copy(run, faulty, tmp_path):
    payload = b"\xd0\xcf\x11\xe0 projet VBA du service " * 20
    xlsm = make_xlsm(faulty, tmp_path / "enfance.xlsm", payload)
    out = tmp_path / "copie.xlsm"
    result = run("validate", xlsm, "--annoter", out)
    assert result.exit_code == 1
    with zipfile.ZipFile(out) as archive:
        assert archive.read("xl/vbaProject.bin") == payload
        assert b"macroEnabled" in archive.read("[Content_Types].xml")
    assert fill_of(load_workbook(out, keep_vba=True)["Actions"]["K3"]) == FILLS["erreur"]


def test_macro_workbook_copied_to_xlsx_says_macros_are_dropped(run, faulty, tmp_path):
    xlsm = make_xlsm(faulty, tmp_path / "enfance.xlsm", b"vba")
    out = tmp_path / "copie.xlsx"
    result = run("validate", xlsm, "--annoter", out)
    assert "contient des macros" in result.stdout
    with zipfile.ZipFile(out) as archive:
        assert "xl/vbaProject.bin" not in archive.namelist()


def test_a_macro_copy_prints_no_python_trace(faulty, tmp_path):
    """openpyxl keeps the macros in a zip archive in memory; left open, the garbage collector
    could close its buffer first and Python printed « Exception ignored in: ZipFile.__del__ »
    with a trace, on the user's console."""
    import os
    import subprocess
    import sys

    xlsm = make_xlsm(faulty, tmp_path / "enfance.xlsm", b"\xd0\xcf\x11\xe0 projet VBA" * 20)
    for name in ("copie.xlsm", "copie.xlsx"):
        done = subprocess.run([sys.executable, "-m", "ctgxl", "validate", str(xlsm),
                               "--annoter", str(tmp_path / name)], capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              timeout=300)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
        assert (tmp_path / name).exists()


def with_long_cells(source: Path, target: Path, lengths: dict[str, int]) -> Path:
    """``source`` with Actions cells (written by ctgxl as inline strings) holding texts of
    the given lengths — more than an Excel cell holds, as another program may write."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":        # Actions
                for ref, length in lengths.items():
                    data, found = re.subn(
                        rb'(<c r="' + ref.encode() + rb'"[^>]*><is><t[^>]*>)[^<]*',
                        lambda m, n=length: m.group(1) + b"x" * n, data)
                    assert found == 1, ref
            zout.writestr(item, data)
    return target


def test_cells_longer_than_excel_holds_are_cut_in_the_copy(run, faulty, tmp_path):
    long = with_long_cells(faulty, tmp_path / "long.xlsx", {"G2": 100_000, "Q3": 1_000_000})
    out = tmp_path / "copie.xlsx"
    result = run("validate", long, "--annoter", out)
    assert result.exit_code == 1, result.output
    assert "2 cellules de long.xlsx dépassent 32 767 caractères" in result.stdout
    actions = load_workbook(out)["Actions"]
    for ref in ("G2", "Q3"):
        text = actions[ref].value
        assert len(text) == 32_767 and text.startswith("xxxx")
        assert text.endswith("(texte coupé : une cellule Excel contient au plus 32 767 "
                             "caractères)")
    assert fill_of(actions["K3"]) == FILLS["erreur"]         # still annotated


def test_xlsm_name_for_a_plain_workbook_is_refused(run, faulty, tmp_path):
    result = run("validate", faulty, "--annoter", tmp_path / "copie.xlsm")
    assert result.exit_code == 2
    assert "réservée aux classeurs à macros" in result.stderr


@pytest.mark.soffice
def test_annotated_copy_opens_in_libreoffice(run, faulty, tmp_path):
    out = tmp_path / "copie.xlsx"
    run("validate", faulty, "--annoter", out)
    pdf = soffice_convert(out, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.soffice
def test_libreoffice_round_trip_gives_the_same_findings(faulty, tmp_path):
    ods = soffice_convert(faulty, "ods", tmp_path / "ods")
    back = soffice_convert(ods, "xlsx", tmp_path / "retour")
    expected = signature(validate_file(faulty, RULES))
    assert len(expected) == 3
    assert signature(validate_file(ods, RULES)) == expected
    assert signature(validate_file(back, RULES)) == expected


@pytest.mark.soffice
def test_ods_input_is_annotated_as_xlsx(run, faulty, tmp_path):
    ods = soffice_convert(faulty, "ods", tmp_path / "ods")
    out = tmp_path / "copie.xlsx"
    result = run("validate", ods, "--annoter", out)
    assert result.exit_code == 1
    assert "format OpenDocument (.ods) : la copie annotée est écrite au format Excel (.xlsx)" \
        in re.sub(r"\s+", " ", result.stdout)
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Contrôles"
    assert fill_of(wb["Actions"]["K3"]) == FILLS["erreur"]
    assert read_plan(out) == read_plan(faulty)
    result = run("validate", ods, "--annoter", tmp_path / "copie.xlsm")
    assert result.exit_code == 2 and "est un fichier .xlsx" in result.stderr


def test_ods_without_libreoffice_keeps_the_cells(run, faulty, tmp_path, monkeypatch):
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) absent : pas de .ods à lire")
    ods = soffice_convert(faulty, "ods", tmp_path / "ods")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = tmp_path / "copie.xlsx"
    result = run("validate", ods, "--annoter", out)
    assert "sans la mise en forme" in re.sub(r"\s+", " ", result.stdout)
    assert fill_of(load_workbook(out)["Actions"]["K3"]) == FILLS["erreur"]
