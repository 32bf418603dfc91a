"""A renamed or deleted column of the template is an erreur that names both headers, never a
quiet gap in the master's figures; consolidate refuses it unless --forcer, and then the
master says which figures lack it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ctgxl.catalogue import ACTIONS
from ctgxl.reader import read_plan
from ctgxl.renamed import header_likeness, is_id_action, recognise

ROOT = Path(__file__).resolve().parent.parent
JEUNESSE = ROOT / "examples" / "jeunesse.xlsx"
STATUTS = ("En cours", "Réalisée", "Non démarrée")


def edited(tmp_path: Path, name: str, *, header: str | None = None, fill: bool = True,
           delete: str | None = None, rename_id: str | None = None, values=None) -> Path:
    """The Jeunesse example with statuts typed in, then a header renamed or a column deleted."""
    wb = load_workbook(JEUNESSE)
    ws = wb["Actions"]
    headers = [c.value for c in ws[1]]
    col = headers.index("Statut") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col).value = (values or STATUTS)[r % len(values or STATUTS)] if fill else None
    if header:
        ws.cell(1, col).value = header
    if rename_id:
        ws.cell(1, 1).value = rename_id
    if delete:
        ws.delete_cols(headers.index(delete) + 1)
    path = tmp_path / name
    wb.save(path)
    return path


def findings(run, path: Path) -> tuple[int, list[dict]]:
    result = run("validate", path, "--format", "json")
    return result.exit_code, json.loads(result.stdout)["files"][0]["findings"]


def test_a_renamed_statut_column_is_an_erreur_naming_both_headers(run, tmp_path):
    path = edited(tmp_path, "jeunesse.xlsx", header="Avancement 2025")
    code, found = findings(run, path)
    assert code == 1
    renamed = [f for f in found if f["code"] == "colonne-renommee"]
    assert len(renamed) == 1
    f = renamed[0]
    assert f["severity"] == "erreur" and f["cell"] == "S1" and f["suggestion"] == "Statut"
    assert "« Statut »" in f["message"] and "« Avancement 2025 »" in f["message"]
    assert "61 de ses 61 valeurs sont dans la liste de « Statut »" in f["message"]
    # said once: neither « colonne ajoutée » nor « colonne absente » for the same column
    assert not [f for f in found if f["code"] in ("colonne-ajoutee", "colonne-absente")]


def test_values_of_the_list_are_enough_evidence_and_the_header_alone_too(run, tmp_path):
    by_content = edited(tmp_path, "a.xlsx", header="Colonne S")
    assert "valeurs sont dans la liste" in next(
        f["message"] for f in findings(run, by_content)[1] if f["code"] == "colonne-renommee")
    by_header = edited(tmp_path, "b.xlsx", header="Statut au 31/12", fill=False)
    message = next(f["message"] for f in findings(run, by_header)[1]
                   if f["code"] == "colonne-renommee")
    assert "son en-tête contient « Statut »" in message


def test_an_unrelated_added_column_is_not_taken_for_a_renamed_one(run, tmp_path):
    path = edited(tmp_path, "quartier.xlsx", header="Quartier",
                  values=("Nord", "Centre", "Saint-Médard"))
    code, found = findings(run, path)
    assert not [f for f in found if f["code"] == "colonne-renommee"]
    missing = [f for f in found if f["code"] == "colonne-necessaire-absente"]
    assert [f["header"] for f in missing] == ["Statut"]
    assert [f["value"] for f in found if f["code"] == "colonne-ajoutee"] == ["Quartier"]


def test_a_deleted_column_the_figures_use_is_an_erreur(run, tmp_path):
    code, found = findings(run, edited(tmp_path, "j.xlsx", delete="Statut"))
    assert code == 1
    missing = [f for f in found if f["code"] == "colonne-necessaire-absente"]
    assert len(missing) == 1 and missing[0]["severity"] == "erreur"
    assert "l'avancement par statut" in missing[0]["message"]
    # a column no figure uses stays an avertissement
    _, found = findings(run, edited(tmp_path, "k.xlsx", delete="Moyens humains"))
    absent = [f for f in found if f["code"] == "colonne-absente"]
    assert [(f["header"], f["severity"]) for f in absent] == [("Moyens humains", "avertissement")]


def test_a_renamed_id_column_is_read_as_the_key_with_an_erreur(run, tmp_path):
    path = edited(tmp_path, "j.xlsx", rename_id="Réf.")
    code, found = findings(run, path)
    renamed = [f for f in found if f["code"] == "colonne-renommee"]
    assert code == 1 and [(f["cell"], f["value"]) for f in renamed] == [("A1", "Réf.")]
    assert read_plan(path).actions.column("id_action") == \
        read_plan(JEUNESSE).actions.column("id_action")


def test_without_any_id_column_the_workbook_is_unusable(run, tmp_path):
    wb = load_workbook(JEUNESSE)
    ws = wb["Actions"]
    ws.cell(1, 1).value = "Remarques"
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 1).value = "à revoir"
    wb.save(tmp_path / "j.xlsx")
    result = run("validate", tmp_path / "j.xlsx")
    assert result.exit_code == 2 and "« ID action » introuvable" in result.stderr


def test_consolidate_refuses_then_the_forced_master_says_which_figures_lack_it(run, tmp_path):
    renamed = edited(tmp_path, "jeunesse.xlsx", header="Avancement 2025")
    enfance = ROOT / "examples" / "enfance.xlsx"
    master = tmp_path / "pilotage.xlsx"
    refused = run("consolidate", renamed, enfance, "-o", master)
    assert refused.exit_code == 1 and not master.exists()
    forced = run("consolidate", renamed, enfance, "-o", master, "--forcer", "--format", "json")
    assert forced.exit_code == 1 and master.exists()
    gaps = json.loads(forced.stdout)["summary"]["chiffres_incomplets"]
    assert gaps == [{"fichier": "jeunesse.xlsx", "feuille": "Actions", "colonne": "Statut",
                     "en_tete_trouve": "Avancement 2025", "lignes": 61,
                     "usage": ACTIONS.column("statut").uses}]
    synthese = [c for row in load_workbook(master, read_only=True)["Synthèse"].iter_rows(
        max_row=6, values_only=True) for c in row if isinstance(c, str)]
    assert any(c.startswith("Chiffres incomplets") and "« Avancement 2025 »" in c
               for c in synthese)


def test_the_add_in_gives_the_same_findings(tmp_path):
    from addin_payloads import payload_of
    from test_addin_verifier import run as verify

    from ctgxl.validation import validate_file

    path = edited(tmp_path, "jeunesse.xlsx", header="Avancement 2025", rename_id="Réf.")
    _, outcome = verify(payload_of(path))
    expected = validate_file(path).findings
    assert outcome.counts["erreur"] == sum(f.severity == "erreur" for f in expected)
    assert sum(f.code == "colonne-renommee" for f in expected) == 2


@pytest.mark.parametrize("header, key, expected", [
    ("Avancement 2025", "statut", 1.0), ("Statu", "statut", 0.9), ("Réf. action", "id_action",
                                                                    1.0),
    ("Quartier", "statut", 0.0)])
def test_header_likeness(header, key, expected):
    score, _ = header_likeness(ACTIONS.column(key), header)
    assert score >= expected if expected else score < 0.8


def test_each_candidate_stands_for_one_column_at_most():
    columns = [ACTIONS.column("id_action"), ACTIONS.column("numero")]
    ids = ["ENF-001", "ENF-002", "ENF-003"]
    found = recognise(columns, [("Code", ids), ("Réf.", ids)], {"id_action": is_id_action})
    assert [(r.key, r.header) for r in found] == [("id_action", "Code")]


def test_the_bilan_says_which_figures_lack_a_column(run, tmp_path):
    from docx import Document

    renamed = edited(tmp_path, "jeunesse.xlsx", header="Avancement 2025")
    master = tmp_path / "pilotage.xlsx"
    run("consolidate", renamed, ROOT / "examples" / "enfance.xlsx", "-o", master, "--forcer")
    for source in (master, edited(tmp_path, "service.xlsx", delete="Statut")):
        out = tmp_path / f"bilan_{source.stem}.docx"
        result = run("bilan", source, "-o", out, "--format", "json")
        assert result.exit_code == 0, result.output
        gaps = json.loads(result.stdout)["chiffres_incomplets"]
        assert len(gaps) == 1 and "colonne « Statut »" in gaps[0] and "61 lignes" in gaps[0]
        text = "\n".join(p.text for p in Document(out).paragraphs).replace("\u00a0", " ")
        assert f"Chiffres incomplets — {gaps[0]}" in text
