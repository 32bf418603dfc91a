"""``ctgxl diff ANCIEN NOUVEAU``: what a user types, the exit code, the French lines."""

from __future__ import annotations

import json

import pytest
from compare_helpers import rebuild, write
from conftest import ROOT, soffice_convert
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
    assert out.rstrip().endswith("6 différences trouvées.")


def test_summary_only_and_ignoring_cosmetic_changes(run, files):
    result = run("diff", *files, "--resume", "--ignorer-forme")
    assert result.exit_code == 1
    assert "forme seule" not in result.stdout
    assert "ENF-002 modifiée" not in result.stdout
    assert ("5 différences trouvées. Changements d'espaces et de majuscules ignorés."
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
    assert headers[:5] == ["Changement", "Champs modifiés", "Ligne (ancien)", "Ligne (nouveau)",
                           "ID action"]
    assert ws.freeze_panes == "F2"   # up to the ID action
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


def test_changed_fields_are_named_and_shown_first(run, files, tmp_path):
    out = tmp_path / "differences.xlsx"
    run("diff", *files, "-o", out)
    ws = _load(out)["Différences Actions"]
    headers = [c.value for c in ws[1]]
    # the ID action, then the columns changed in some row (plan order), then the others
    assert headers[4:9] == ["ID action", "Axe stratégique", "Porteur(s) de projet",
                            "Public visé", "Thématique"]
    changed = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert changed == {"Ajoutée": None, "Supprimée": None, "Modifiée": "Porteur(s) de projet",
                       "Renumérotée": "ID action", "Forme seule": "Public visé",
                       "Déplacée": "Axe stratégique"}


def test_a_row_with_two_changes_lists_both_beside_its_id(run, tmp_path):
    rows = OLD.actions.records()
    rows[1].update(porteur="CCAS", statut="Réalisée")
    old = write(OLD, tmp_path / "avant.xlsx")
    new = write(rebuild(OLD, actions=rows), tmp_path / "apres.xlsx")
    out = tmp_path / "differences.xlsx"
    run("diff", old, new, "-o", out)
    ws = _load(out)["Différences Actions"]
    assert [c.value for c in ws[2]][:7] == [
        "Modifiée", "Porteur(s) de projet, Statut", 3, 3, "ENF-002",
        "Pôle Éducation de l'Agglomération → CCAS", "En cours → Réalisée"]
    summary = _load(out)["Synthèse"]
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Porteur(s) de projet (1), Statut (1)" in texts


def test_status_changes_of_the_examples_sit_beside_the_id(run, tmp_path):
    folder = ROOT / "examples" / "suivi_fictif"
    out = tmp_path / "differences.xlsx"
    run("diff", folder / "pilotage_2024_fictif.xlsx", folder / "pilotage_2025_fictif.xlsx",
        "-o", out)
    wb = _load(out)
    ws = wb["Différences Actions"]
    assert [c.value for c in ws[1]][4:6] == ["ID action", "Statut"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[4] == "ENF-007")
    assert row[:6] == ("Modifiée", "Statut", 19, 19, "ENF-007", "En cours → Abandonnée")
    texts = [c.value for row in wb["Synthèse"].iter_rows() for c in row]
    assert "Statut (55)" in texts


def test_summary_is_set_to_print_on_one_page(run, files, tmp_path):
    out = tmp_path / "differences.xlsx"
    run("diff", *files, "-o", out)
    ws = _load(out)["Synthèse"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert ws.page_setup.orientation == "portrait"


def test_a_long_change_label_gets_a_row_tall_enough(run, tmp_path):
    short = OLD.actions.records()
    for row in short:   # one-line values: only the label can make the row taller
        row.update(intitule=f"Accueil du soir n° {row['numero']}", public="Enfants",
                   porteur="Service Enfance", partenaires="CAF")
    rows = [dict(row) for row in short]
    rows[2].update(id_action="ENF-103", echeances="2023-2027")
    old = write(rebuild(OLD, actions=short), tmp_path / "avant.xlsx")
    new = write(rebuild(OLD, actions=rows), tmp_path / "apres.xlsx")
    out = tmp_path / "differences.xlsx"
    run("diff", old, new, "-o", out)
    ws = _load(out)["Différences Actions"]
    assert ws["A2"].value.startswith("Modifiée, renumérotée (contenu semblable à ")
    assert ws["A2"].value.endswith(" %)")
    assert ws["B2"].value == "ID action, Échéances / calendrier"
    # « Changement » is 22 wide: « Modifiée, renumérotée / (contenu semblable à / 94 %) »
    # takes three lines of 15 points; a shorter row would hide the end of the label
    assert ws.column_dimensions["A"].width == 22
    assert ws.row_dimensions[2].height >= 3 * 15


def test_removed_title_keeps_its_closing_parenthesis(run, files):
    out = run("diff", *files).stdout
    assert ("  - ENF-004 supprimée (ancienne ligne 5) : « Développement de loisirs de proximité "
            "n° 4 (cinéma, musée, médiathèque…) »") in out


def test_a_long_value_is_cut_between_words_with_a_marker():
    from ctgxl.compare.labels import show

    text = ("Accompagnement des familles dans les démarches administratives et numériques, "
            "en lien avec les services de la CAF (permanences hebdomadaires)")
    shown = show(text)
    assert shown.endswith(" […] »") and len(shown) < len(text)
    kept = shown[2:-len(" […] »")]
    assert text.startswith(kept) and text[len(kept)] == " "   # a whole word is kept
    assert show("Atelier parents-enfants (jeux, lecture)") == \
        "« Atelier parents-enfants (jeux, lecture) »"


@pytest.mark.soffice
def test_summary_of_the_examples_prints_on_one_page(run, tmp_path):
    from rendering import pages_of, printed

    folder = ROOT / "examples" / "suivi_fictif"
    out = tmp_path / "differences.xlsx"
    run("diff", folder / "pilotage_2024_fictif.xlsx", folder / "pilotage_2025_fictif.xlsx",
        "-o", out)
    pages = printed(out, tmp_path / "pdf")
    (summary,) = pages_of(pages, "Synthèse")
    assert "Champs modifiés (nombre de lignes)" in summary.text
    assert "Inchangées" in summary.text and "Forme seule" in summary.text


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


def test_wide_difference_sheets_print_on_a3_with_the_change_and_the_id_repeated(run, tmp_path):
    from openpyxl import load_workbook

    old = ROOT / "examples" / "suivi_fictif" / "pilotage_2024_fictif.xlsx"
    new = ROOT / "examples" / "suivi_fictif" / "pilotage_2025_fictif.xlsx"
    out = tmp_path / "diff.xlsx"
    assert run("diff", old, new, "-o", out).exit_code == 1
    ws = next(ws for ws in load_workbook(out) if ws.title != "Synthèse" and "Actions" in ws.title)
    assert ws.page_setup.paperSize == 8 and ws.page_setup.fitToWidth == 2
    assert ws.print_title_cols == "$A:$E"   # Changement … ID action on every page
