"""``ctgxl diff ANCIEN NOUVEAU``: what a user types, the exit code, the French lines."""

from __future__ import annotations

import json

import pytest
from compare_helpers import rebuild, write
from conftest import soffice_convert
from workbooks import small_plan

OLD = small_plan(6)


def edited_version():
    rows = OLD.actions.records()
    rows[1]["porteur"] = "Pôle Éducation et CCAS"          # ENF-002 modified
    rows[2]["id_action"] = "ENF-103"                         # ENF-003 renumbered
    rows[4]["public"] = rows[4]["public"].upper()            # ENF-005: case only
    rows[5]["axe"] = "II"                                    # ENF-006 moved
    del rows[3]                                              # ENF-004 removed
    new = {**rows[0], "id_action": "ENF-050", "numero": "50",
           "intitule": "Créer un conseil municipal des enfants", "porteur": "Service Citoyenneté",
           "public": "Élèves de CM1 et CM2", "partenaires": "Écoles élémentaires"}
    return rebuild(OLD, actions=[new, *rows])             # ENF-050 added at the top


@pytest.fixture
def files(tmp_path):
    return write(OLD, tmp_path / "enfance_2024.xlsx"), write(edited_version(),
                                                             tmp_path / "enfance_2025.xlsx")


def test_identical_workbooks_exit_0(run, files):
    old, _ = files
    result = run("diff", old, old)
    assert result.exit_code == 0
    assert "Les deux classeurs sont identiques." in result.stdout


def test_differences_exit_1_with_one_french_line_per_change(run, files):
    result = run("diff", *files)
    assert result.exit_code == 1
    out = result.stdout
    assert ("Actions — ajoutées : 1 · supprimées : 1 · modifiées : 3 "
            "(dont déplacées : 1, renumérotées : 1) · forme seule : 1 · inchangées : 1") in out
    assert ("  + ENF-050 ajoutée (ligne 2) : « Créer un conseil municipal des enfants »") in out
    assert "  - ENF-004 supprimée (ancienne ligne 5)" in out
    assert "  ~ ENF-002 modifiée (ligne 4)" in out
    assert ("      Porteur(s) de projet : « Pôle Éducation de l'Agglomération » → "
            "« Pôle Éducation et CCAS »") in out
    assert ("  ~ ENF-003 → ENF-103 renumérotée (ligne 5 ; retrouvée par son contenu, identique)"
            in out)
    assert "  ~ ENF-006 déplacée (ligne 7)" in out
    assert "      Axe stratégique : « I » → « II »" in out
    assert "  · ENF-005 forme seule (ligne 6)" in out
    assert "(majuscules/minuscules seulement)" in out
    assert out.rstrip().endswith("6 différence(s) trouvée(s).")


def test_summary_only_and_ignoring_cosmetic_changes(run, files):
    result = run("diff", *files, "--resume", "--ignorer-forme")
    assert result.exit_code == 1
    assert "forme seule" not in result.stdout
    assert "ENF-002 modifiée" not in result.stdout
    assert ("5 différence(s) trouvée(s). Changements d'espaces et de majuscules ignorés."
            in result.stdout)


def test_json_output_follows_the_documented_schema(run, files):
    result = run("diff", *files, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["schema"] == "ctgxl-diff/1" and doc["identical"] is False
    assert doc["summary"]["actions"] == {"added": 1, "removed": 1, "modified": 3, "moved": 1,
                                         "renumbered": 1, "cosmetic": 1, "unchanged": 1}
    rows = {(r["kind"], r["key"]["id_action"]): r for r in doc["tables"]["actions"]}
    assert set(rows) == {("ajoutee", "ENF-050"), ("supprimee", "ENF-004"),
                         ("modifiee", "ENF-002"), ("modifiee", "ENF-103"),
                         ("modifiee", "ENF-006"), ("forme", "ENF-005")}
    (change,) = rows[("modifiee", "ENF-002")]["changes"]
    assert change == {"column": "porteur", "header": "Porteur(s) de projet",
                      "old": "Pôle Éducation de l'Agglomération", "new": "Pôle Éducation et CCAS",
                      "cosmetic": None, "old_cell": "Actions!H3", "new_cell": "Actions!H4"}
    renumbered = rows[("modifiee", "ENF-103")]
    assert renumbered["old_key"] == {"id_action": "ENF-003"} and renumbered["renumbered"]
    assert renumbered["similarity"] == 1.0
    assert rows[("supprimee", "ENF-004")]["values"]["intitule"].startswith("Développement")
    assert doc["tables"]["offres"] == [] and doc["meta"] == []


def test_unusable_input_exits_2_with_one_french_line(run, files, tmp_path):
    old, _ = files
    result = run("diff", old, tmp_path / "absent.xlsx")
    assert result.exit_code == 2
    assert "absent.xlsx : fichier introuvable" in result.stderr
    fake = tmp_path / "notes.xlsx"
    fake.write_text("ID action;Intitulé\nENF-001;Accueil\n", encoding="utf-8")
    result = run("diff", fake, old)
    assert result.exit_code == 2
    assert result.stderr.startswith("ctgxl : erreur : ")


def test_the_highlighter_cannot_replace_an_input(run, files):
    old, new = files
    result = run("diff", old, new, "-o", new)
    assert result.exit_code == 2
    assert "ne peut pas être un fichier d'entrée" in result.stderr


# -- the highlighter workbook ----------------------------------------------------

def _load(path):
    from openpyxl import load_workbook

    return load_workbook(path)


def _rows_by_change(ws):
    return {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}


def test_highlighter_workbook_colours_each_change(run, files, tmp_path):
    out = tmp_path / "differences.xlsx"
    result = run("diff", *files, "-o", out)
    assert result.exit_code == 1
    assert f"Classeur des différences écrit : {out}" in result.stdout
    wb = _load(out)
    assert wb.sheetnames == ["Synthèse", "Différences Actions"]
    ws = wb["Différences Actions"]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["Changement", "Ligne (ancien)", "Ligne (nouveau)", "ID action",
                           "Thématique"]
    assert ws.freeze_panes == "E2"
    col = {h: i + 1 for i, h in enumerate(headers)}
    rows = _rows_by_change(ws)
    added, removed = rows["Ajoutée"], rows["Supprimée"]
    assert ws.cell(added, col["ID action"]).value == "ENF-050"
    assert ws.cell(added, col["Intitulé de l'action"]).fill.fgColor.rgb == "00C6EFCE"
    assert ws.cell(removed, col["ID action"]).value == "ENF-004"
    assert ws.cell(removed, col["Intitulé de l'action"]).fill.fgColor.rgb == "00FFC7CE"
    modified = rows["Modifiée"]
    cell = ws.cell(modified, col["Porteur(s) de projet"])
    assert cell.value == "Pôle Éducation de l'Agglomération → Pôle Éducation et CCAS"
    assert cell.fill.fgColor.rgb == "00FFEB9C"
    assert ws.cell(modified, col["Public visé"]).fill.fgColor.rgb != "00FFEB9C"
    renumbered = rows["Renumérotée"]
    assert ws.cell(renumbered, col["ID action"]).value == "ENF-003 → ENF-103"
    assert ws.cell(renumbered, col["Ligne (ancien)"]).value == 4
    assert ws.cell(rows["Déplacée"], col["Axe stratégique"]).value == "I → II"
    assert "Forme seule" in rows

    summary = wb["Synthèse"]
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Légende" in texts and "Ancien classeur" in texts
    assert any("Ligne ajoutée" in t for t in texts)
    link = next(c for row in summary.iter_rows() for c in row if c.hyperlink)
    assert link.hyperlink.location == "'Différences Actions'!A1"


def test_highlighter_of_identical_workbooks_says_so(run, files, tmp_path):
    old, _ = files
    out = tmp_path / "rien.xlsx"
    assert run("diff", old, old, "-o", out).exit_code == 0
    wb = _load(out)
    assert wb.sheetnames == ["Synthèse"]
    assert wb["Synthèse"]["A6"].value == "Les deux classeurs sont identiques."


@pytest.mark.soffice
def test_highlighter_opens_in_libreoffice(run, files, tmp_path):
    out = tmp_path / "differences.xlsx"
    run("diff", *files, "-o", out)
    pdf = soffice_convert(out, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 5_000


@pytest.mark.soffice
def test_ods_input_is_compared_like_xlsx(run, files, tmp_path):
    old, new = files
    ods = soffice_convert(old, "ods", tmp_path / "ods")
    assert run("diff", ods, old).exit_code == 0
    result = run("diff", ods, new, "--resume")
    assert result.exit_code == 1
    assert "renumérotées : 1" in result.stdout
