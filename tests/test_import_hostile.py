"""Hostile and absurd .docx/.odt files given to ``ctgxl import``: each ends in exit 2 with one
French line, within seconds and under 500 MB — never a hang, a RecursionError (exit 3) or
gigabytes of memory. The files are built here, a few kilobytes on disk (``rawdocs``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peak import run_ctgxl
from rawdocs import odt_p, p, repeated, tbl, write_docx, write_odt

ROOT = Path(__file__).resolve().parent.parent
MAX_SECONDS = 20          # generous for a loaded machine; each case takes about a second
MAX_MEGABYTES = 500
HEADINGS = p("THEMATIQUE ENFANCE") + p("AXE STRATEGIQUE I Épanouir")
HEADER = ["ACTIONS", "PORTEUR DE PROJETS", "PUBLIC VISE", "PARTENAIRES"]



def imported(path: Path, tmp_path: Path) -> tuple[int, list[str], float, int]:
    """(exit code, lines of the error, seconds, peak megabytes) of ``ctgxl import path``."""
    run = run_ctgxl("import", str(path), "-d", str(tmp_path / "sortie"), timeout=120,
                    cwd=tmp_path)
    return run.code, run.lines, run.seconds, run.peak


def refused(path: Path, tmp_path: Path, reason: str) -> str:
    code, lines, seconds, peak = imported(path, tmp_path)
    assert code == 2, (code, lines)
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    assert lines[0].startswith("ctgxl : erreur : ") and reason in lines[0], lines[0]
    assert seconds < MAX_SECONDS, f"{seconds:.1f} s"
    assert 0 < peak < MAX_MEGABYTES, f"{peak} Mo"
    assert path.stat().st_size < 2_000_000       # the bomb itself is small
    return lines[0]


def test_tables_nested_500_deep(tmp_path):
    body = "<w:tbl><w:tr><w:tc>" * 500 + p("x") + "</w:tc></w:tr></w:tbl>" * 500
    refused(write_docx(tmp_path / "gigogne.docx", HEADINGS + body + p("")), tmp_path,
            "imbrique plus de 256 niveaux")


def test_tables_nested_twelve_deep_are_not_a_plan(tmp_path):
    body = "<w:tbl><w:tr><w:tc>" * 12 + p("x") + "</w:tc></w:tr></w:tbl>" * 12
    refused(write_docx(tmp_path / "gigogne.docx", HEADINGS + body + p("")), tmp_path,
            "tableaux imbriqués les uns dans les autres sur plus de 8 niveaux")


def test_a_roman_list_number_of_ten_to_the_thirteen(tmp_path):
    numbering = ('<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
                 '<w:start w:val="10000000000000"/><w:numFmt w:val="upperRoman"/>'
                 '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    numbered = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                '<w:r><w:t>AXE</w:t></w:r></w:p>')
    path = write_docx(tmp_path / "romain.docx", HEADINGS + numbered + tbl([HEADER]) + p(""),
                      numbering=numbering)
    refused(path, tmp_path, "numérotation de liste hors limites")


def test_an_odt_row_repeated_a_billion_times(tmp_path):
    row = ('<table:table-row table:number-rows-repeated="1000000000"><table:table-cell>'
           f'{odt_p("1. Action")}</table:table-cell></table:table-row>')
    body = odt_p("THEMATIQUE ENFANCE") + f"<table:table>{row}</table:table>"
    refused(write_odt(tmp_path / "lignes.odt", body), tmp_path,
            "plus de 50\u202f000 paragraphes et lignes de tableau")


def test_an_odt_cell_repeated_a_billion_times(tmp_path):
    row = ('<table:table-row><table:table-cell table:number-columns-repeated="1000000000">'
           f'{odt_p("Texte")}</table:table-cell></table:table-row>')
    body = odt_p("THEMATIQUE ENFANCE") + f"<table:table>{row}</table:table>"
    refused(write_odt(tmp_path / "colonnes.odt", body), tmp_path, "plus de 200 colonnes")


def test_an_odt_with_a_billion_declared_columns(tmp_path):
    body = (odt_p("THEMATIQUE ENFANCE") + '<table:table><table:table-column '
            'table:number-columns-repeated="1000000000"/><table:table-row><table:table-cell>'
            f'{odt_p("x")}</table:table-cell></table:table-row></table:table>')
    refused(write_odt(tmp_path / "declarees.odt", body), tmp_path, "plus de 200 colonnes")


def test_empty_repeated_filler_in_an_odt_is_read_once(tmp_path):
    """Repeated *empty* rows and cells are filler: the plan around them imports, quickly."""
    cells = "".join(f"<table:table-cell>{odt_p(t)}</table:table-cell>" for t in HEADER)
    action = "".join(f"<table:table-cell>{odt_p(t)}</table:table-cell>"
                     for t in ["1. Heure du conte", "Médiathèque", "CP", "CAF"])
    filler = ('<table:table-row table:number-rows-repeated="1000000000"><table:table-cell '
              'table:number-columns-repeated="1000000000"/></table:table-row>')
    body = (odt_p("THEMATIQUE ENFANCE") + odt_p("AXE STRATEGIQUE I Épanouir")
            + f"<table:table><table:table-row>{cells}</table:table-row><table:table-row>{action}"
            f'<table:table-cell table:number-columns-repeated="1000000000"/></table:table-row>'
            f"{filler}</table:table>")
    code, lines, seconds, peak = imported(write_odt(tmp_path / "bourrage.odt", body), tmp_path)
    assert code == 0, lines
    assert seconds < MAX_SECONDS and 0 < peak < MAX_MEGABYTES


def test_ten_million_empty_paragraphs(tmp_path):
    path = write_docx(tmp_path / "paragraphes.docx",
                      [HEADINGS, *repeated("<w:p/>", 10_000_000), tbl([HEADER])])
    refused(path, tmp_path, "plus de 50\u202f000 paragraphes et lignes de tableau")


def test_a_document_part_beyond_64_megabytes(tmp_path):
    bookmark = f'<w:bookmarkStart w:name="{"signet" * 200}"/>'
    path = write_docx(tmp_path / "enorme.docx",
                      [HEADINGS, *repeated(bookmark, 60_000, 1_000), tbl([HEADER])])
    refused(path, tmp_path, "document trop volumineux (word/document.xml : plus de 64 Mo")


def test_one_paragraph_of_a_million_runs(tmp_path):
    runs = repeated("<w:r><w:t>x</w:t></w:r>", 1_000_000)
    path = write_docx(tmp_path / "runs.docx", [HEADINGS, "<w:p>", *runs, "</w:p>"])
    refused(path, tmp_path, "éléments XML dans un seul paragraphe ou une seule ligne")


def test_one_paragraph_of_ten_million_characters(tmp_path):
    path = write_docx(tmp_path / "texte.docx",
                      [HEADINGS, '<w:p><w:r><w:t>', *repeated("x", 10_000_000), "</w:t></w:r>"
                       "</w:p>"])
    refused(path, tmp_path, "un texte de plus de 200\u202f000 caractères")


def test_a_cell_spanning_a_billion_columns(tmp_path):
    row = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr>' + p("x") + "</w:tc></w:tr>"
    path = write_docx(tmp_path / "span.docx", HEADINGS + f"<w:tbl>{row}</w:tbl>" + p(""))
    refused(path, tmp_path, "plus de 200 colonnes")


def test_rows_of_cells_spanning_200_columns(tmp_path):
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="200"/></w:tcPr><w:p/></w:tc>'
    path = write_docx(tmp_path / "spans.docx",
                      [HEADINGS, "<w:tbl>", *repeated(f"<w:tr>{cell}</w:tr>", 1_000_000),
                       "</w:tbl>"])
    refused(path, tmp_path, "plus de 500\u202f000 cellules de tableau")


@pytest.mark.parametrize("name", ["gigogne.odt"])
def test_lists_nested_500_deep_in_an_odt(tmp_path, name):
    body = (odt_p("THEMATIQUE ENFANCE") + "<text:list><text:list-item>" * 500 + odt_p("x")
            + "</text:list-item></text:list>" * 500)
    refused(write_odt(tmp_path / name, body), tmp_path, "imbrique plus de 256 niveaux")
