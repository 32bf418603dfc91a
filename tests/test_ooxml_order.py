"""Every .docx and .xlsx ctgxl writes has its elements in schema order, so that Word and
Excel open it without « repairing » it (and without dropping, say, a table's borders).

Each kind of output is made once, as a user makes it (the commands, on the examples and
small plans), then every XML part of it is read against the sequences of
``ooxml_sequences`` (ECMA-376 Part 1, see there)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from compare_helpers import rebuild, write
from ooxml_sequences import check_package, check_part, parts_of
from workbooks import small_plan

from ctgxl.model import Meta, Plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SUIVI = EXAMPLES / "suivi_fictif"


def ctgxl(*args: object, codes=(0,)):
    from ctgxl.cli import group

    result = CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code in codes, result.output
    return result


def _merge_inputs(folder: Path) -> list[Path]:
    """BASE and two copies: ENF-002's porteur changed on both sides differently, ENF-003
    deleted on one side and edited on the other, clean edits besides."""
    base = small_plan(3)

    def edited(changes: dict, deleted: str | None = None) -> Plan:
        rows = [{**r, **changes.get(r["id_action"], {})} for r in base.actions.records()
                if r["id_action"] != deleted]
        return rebuild(base, actions=rows)

    local = edited({"ENF-002": {"porteur": "CCAS"}, "ENF-001": {"statut": "Réalisée"}},
                   deleted="ENF-003")
    remote = edited({"ENF-002": {"porteur": "Relais petite enfance"},
                     "ENF-003": {"statut": "Abandonnée", "commentaire": "Sans suite"}})
    return [write(p, folder / f"{n}.xlsx")
            for p, n in ((base, "base"), (local, "local"), (remote, "distant"))]


def _choose_every_conflict(merged: Path, target: Path) -> Path:
    """The merged workbook with « Distant » typed for each conflict, as a coordinator does."""
    from openpyxl import load_workbook

    wb = load_workbook(merged)
    ws = wb["Conflits"]
    header = next(c for row in ws.iter_rows(max_row=20) for c in row
                  if c.value == "Valeur à garder")
    for r in range(header.row + 1, ws.max_row + 1):
        if ws.cell(r, 1).value is not None:
            ws.cell(r, header.column).value = "Distant"
    wb.save(target)
    return target


def _faulty(folder: Path) -> Path:
    data = {t.sheet.key: t.records() for t in small_plan(3).tables}
    data["actions"][0]["statut"] = "Realisée"
    data["actions"][1].update(annee_debut=2026, annee_fin=2023)
    data["offres"][1]["id_action"] = "ENF-1"
    return write(Plan.from_records(Meta(thematique="Enfance", service="Enfance"), **data),
                 folder / "enfance.xlsx")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """Name -> a file of each kind ctgxl writes."""
    d = tmp_path_factory.mktemp("sorties")
    made: dict[str, Path] = {}
    ctgxl("template", "-o", d / "modele.xlsx")
    made["template"] = d / "modele.xlsx"
    ctgxl("template", "--thematique", "Enfance", "-o", d / "enfance_vierge.xlsx")
    made["template of a service"] = d / "enfance_vierge.xlsx"
    ctgxl("template", "-o", d / "modele_bilan.docx")
    made["bilan template (.docx)"] = d / "modele_bilan.docx"

    ctgxl("import", EXAMPLES / "source" / "plan_ctg_mont_de_marsan.txt", "-d", d / "import")
    for path in sorted((d / "import").glob("*.xlsx")):
        made[f"import: {path.name}"] = path
    made["service workbook (writer)"] = write(small_plan(3), d / "service.xlsx")

    ctgxl("consolidate", *sorted(EXAMPLES.glob("*.xlsx")), "-o", d / "pilotage.xlsx",
          "--forcer", codes=(0, 1))
    made["consolidated master"] = d / "pilotage.xlsx"
    ctgxl("split", d / "pilotage.xlsx", "-d", d / "split")
    for path in sorted((d / "split").glob("*.xlsx")):
        made[f"split: {path.name}"] = path

    ctgxl("diff", SUIVI / "pilotage_2024_fictif.xlsx", SUIVI / "pilotage_2025_fictif.xlsx",
          "-o", d / "diff.xlsx", codes=(1,))
    made["diff workbook"] = d / "diff.xlsx"

    inputs = _merge_inputs(d)
    ctgxl("merge", *inputs, "-o", d / "fusion.xlsx", codes=(1,))
    made["merge with conflicts"] = d / "fusion.xlsx"
    chosen = _choose_every_conflict(d / "fusion.xlsx", d / "fusion_choisie.xlsx")
    ctgxl("merge", "--resoudre", chosen, "-o", d / "fusion_resolue.xlsx")
    made["resolved merge"] = d / "fusion_resolue.xlsx"

    ctgxl("validate", _faulty(d), "--annoter", d / "copie_annotee.xlsx", codes=(1,))
    made["annotated copy (validate --annoter)"] = d / "copie_annotee.xlsx"

    ctgxl("bilan", SUIVI / "pilotage_2025_fictif.xlsx", "--depuis",
          SUIVI / "pilotage_2024_fictif.xlsx", "-o", d / "bilan.docx")
    made["bilan (.docx)"] = d / "bilan.docx"

    ctgxl("export", d / "pilotage.xlsx", "-d", d / "export")
    ctgxl("import", d / "export" / "datapackage.json", "-d", d / "reimport")
    for path in sorted((d / "reimport").glob("*.xlsx")):
        made[f"import of an export: {path.name}"] = path
    return made


KINDS = ("template", "template of a service", "bilan template (.docx)", "import: ",
         "service workbook (writer)", "consolidated master", "split: ", "diff workbook",
         "merge with conflicts", "resolved merge", "annotated copy (validate --annoter)",
         "bilan (.docx)", "import of an export: ")


def test_every_kind_of_output_is_made(outputs):
    for kind in KINDS:
        assert any(name.startswith(kind) for name in outputs), kind
    assert all(path.is_file() for path in outputs.values())


def test_every_xml_part_of_every_output_is_in_schema_order(outputs):
    problems = {f"{name} › {part}": found
                for name, path in outputs.items()
                for part, found in check_package(path).items()}
    assert not problems, "\n".join(f"{where}: {p}" for where, found in problems.items()
                                   for p in found)


def test_the_parts_ctgxl_writes_by_hand_are_read(outputs):
    """The check reaches what ctgxl writes itself: the bilan's body, the sheets whose rows
    it splices in, their styles."""
    bilan = parts_of(outputs["bilan (.docx)"])
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml"} <= set(bilan)
    master = parts_of(outputs["consolidated master"])
    assert "xl/styles.xml" in master and "xl/workbook.xml" in master
    assert sum(p.startswith("xl/worksheets/sheet") for p in master) >= 7
    assert any(p.startswith("xl/comments") for p in master)


# -- the checker itself ----------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
X = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.mark.parametrize("xml, expected", [
    # the bilan's tables before the fix: tblLayout written before tblBorders
    (f'<w:tbl {W}><w:tblPr><w:tblW/><w:tblLayout/><w:tblBorders/></w:tblPr><w:tblGrid/>'
     '</w:tbl>', "w:tblBorders after w:tblLayout"),
    (f'<w:tbl {W}><w:tblGrid/><w:tblPr/></w:tbl>', "w:tblPr after w:tblGrid"),
    (f'<w:p {W}><w:r/><w:pPr/></w:p>', "w:pPr after w:r"),
    (f'<w:pPr {W}><w:jc/><w:spacing/></w:pPr>', "w:spacing after w:jc"),
    (f'<w:pPr {W}><w:jc/><w:jc/></w:pPr>', "w:jc repeated"),
    (f'<w:r {W}><w:rPr><w:sz/><w:b/></w:rPr></w:r>', "w:b after w:sz"),
    (f'<w:pPr {W}><w:rPr><w:b/><w:ins/></w:rPr></w:pPr>', "w:ins after w:b"),
    (f'<w:tc {W}><w:tcPr><w:shd/><w:tcW/></w:tcPr><w:p/></w:tc>', "w:tcW after w:shd"),
    (f'<w:tr {W}><w:tc><w:p/></w:tc><w:trPr/></w:tr>', "w:trPr after w:tc"),
    (f'<w:body {W}><w:sectPr/><w:p/></w:body>', "w:p after w:sectPr"),
    (f'<w:sectPr {W}><w:pgMar/><w:pgSz/></w:sectPr>', "w:pgSz after w:pgMar"),
    (f'<w:style {W}><w:rPr/><w:pPr/></w:style>', "w:pPr after w:rPr"),
    (f'<w:tblPr {W}><w:tblW/><w:tcW/></w:tblPr>', "w:tcW is not a child of w:tblPr"),
    (f'<worksheet {X}><sheetData/><cols/></worksheet>', "x:cols after x:sheetData"),
    (f'<worksheet {X}><pageMargins/><dataValidations/></worksheet>',
     "x:dataValidations after x:pageMargins"),
    (f'<styleSheet {X}><fonts/><numFmts/></styleSheet>', "x:numFmts after x:fonts"),
    (f'<c {X}><is/><v/></c>', "x:v after x:is"),
    (f'<workbook {X}><definedNames/><sheets/></workbook>', "x:sheets after x:definedNames"),
    (f'<xf {X}><protection/><alignment/></xf>', "x:alignment after x:protection"),
])
def test_the_check_finds_a_child_out_of_place(xml, expected):
    assert any(expected in p for p in check_part(xml.encode())), check_part(xml.encode())


@pytest.mark.parametrize("xml", [
    f'<w:tbl {W}><w:bookmarkStart/><w:tblPr><w:tblW/><w:tblBorders/><w:tblLayout/>'
    '<w:tblCellMar/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'
    '<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr><w:tc><w:p/></w:tc></w:tr>'
    '<w:bookmarkEnd/></w:tbl>',
    f'<w:tblPr {W} xmlns:q="urn:x"><w:tblW/><q:ext/><w:tblLook/></w:tblPr>',   # extension
    f'<styleSheet {X}><fonts><font><name/><b/><sz/><family/></font></fonts></styleSheet>',
])
def test_the_check_accepts_what_the_schema_allows(xml):
    assert check_part(xml.encode()) == []


@pytest.mark.soffice
def test_what_libreoffice_writes_passes_too(outputs, tmp_path):
    """No false alarm: the bilan and the master saved again by LibreOffice pass the check."""
    from conftest import soffice_convert

    for name, fmt in (("bilan (.docx)", "docx:MS Word 2007 XML"),
                      ("consolidated master", "xlsx:Calc MS Excel 2007 XML")):
        copy = tmp_path / f"copie{outputs[name].suffix}"
        shutil.copy(outputs[name], copy)
        saved = soffice_convert(copy, fmt, tmp_path / "libreoffice")
        assert check_package(saved) == {}, name
