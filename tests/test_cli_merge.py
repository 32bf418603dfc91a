"""``ctgxl merge BASE LOCAL DISTANT -o FUSION.xlsx``: exit codes, French lines, the workbook."""

from __future__ import annotations

import json

import pytest
from compare_helpers import rebuild, write
from conftest import soffice_convert
from workbooks import small_plan

from ctgxl.reader import read_plan

BASE = small_plan(4)


def version(**changes_by_id):
    """BASE with some actions changed: ``version(ENF_002={"statut": …})``; None deletes."""
    rows = []
    for r in BASE.actions.records():
        change = changes_by_id.get(r["id_action"].replace("-", "_"), {})
        if change is not None:
            rows.append({**r, **change})
    return rebuild(BASE, actions=rows)


@pytest.fixture
def clean_merge(tmp_path):
    local = version(ENF_001={"statut": "Réalisée"})
    remote = version(ENF_003={"porteur": "Service Enfance et CCAS"})
    return [write(p, tmp_path / f"{n}.xlsx") for p, n in ((BASE, "base"), (local, "local"),
                                                           (remote, "distant"))]


@pytest.fixture
def conflicting(tmp_path):
    local = version(ENF_002={"porteur": "CCAS"}, ENF_004=None)
    remote = version(ENF_002={"porteur": "Relais petite enfance"},
                     ENF_004={"statut": "Abandonnée"}, ENF_001={"public": "Familles"})
    return [write(p, tmp_path / f"{n}.xlsx") for p, n in ((BASE, "base"), (local, "local"),
                                                           (remote, "distant"))]


def test_clean_merge_exits_0_and_writes_a_valid_canonical_workbook(run, clean_merge, tmp_path):
    out = tmp_path / "fusion.xlsx"
    result = run("merge", *clean_merge, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Aucun conflit." in result.stdout
    assert ("Changements de LOCAL (« local.xlsx ») appliqués — ajoutées : 0 · supprimées : 0 · "
            "modifiées : 1" in result.stdout)
    merged = read_plan(out)
    rows = {r["id_action"]: r for r in merged.actions.records()}
    assert rows["ENF-001"]["statut"] == "Réalisée"
    assert rows["ENF-003"]["porteur"] == "Service Enfance et CCAS"
    assert merged.without_provenance() == version(
        ENF_001={"statut": "Réalisée"}, ENF_003={"porteur": "Service Enfance et CCAS"})
    validation = run("validate", out)
    assert validation.exit_code == 0, validation.output


def test_conflicts_exit_1_keep_local_and_are_listed_in_french(run, conflicting, tmp_path):
    out = tmp_path / "fusion.xlsx"
    result = run("merge", *conflicting, "-o", out)
    assert result.exit_code == 1
    out_text = result.stdout
    local, remote = conflicting[1].name, conflicting[2].name
    assert (f"2 conflits : la valeur LOCALE (« {local} ») a été conservée ; voir la feuille "
            "« Conflits » du classeur fusionné.") in out_text
    assert ("  ! Actions, ENF-002 — Porteur(s) de projet (Actions!H3) : modifiée des deux côtés"
            ) in out_text
    assert (f"      base « Pôle Éducation de l'Agglomération » · « {local} » (local) « CCAS » · "
            f"« {remote} » (distant) « Relais petite enfance » · valeur conservée : LOCAL "
            f"(« {local} »)") in out_text
    assert "  ! Actions, ENF-004 — Statut : supprimée en local, modifiée à distance" in out_text
    merged = read_plan(out)
    rows = {r["id_action"]: r for r in merged.actions.records()}
    assert rows["ENF-002"]["porteur"] == "CCAS"
    assert rows["ENF-001"]["public"] == "Familles"      # non-conflicting remote change applied
    assert "ENF-004" not in rows                         # LOCAL's deletion kept


def test_the_conflicts_sheet_links_to_marked_cells(run, conflicting, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "fusion.xlsx"
    run("merge", *conflicting, "-o", out)
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Conflits"
    ws = wb["Conflits"]
    assert [c.value for c in ws[7]] == ["N°", "Feuille", "Cellule", "Ligne (clé)", "Colonne",
                                        "Nature du conflit", "Base", "Local", "Distant",
                                        "Valeur conservée", "Valeur à garder",
                                        "Référence ctgxl (ne pas modifier)"]
    first = [c.value for c in ws[8]][:11]
    assert first == [1, "Actions", "H3", "ENF-002", "Porteur(s) de projet",
                     "modifiée des deux côtés", "Pôle Éducation de l'Agglomération", "CCAS",
                     "Relais petite enfance", "LOCAL", None]
    assert ws["C8"].hyperlink.location == "'Actions'!H3"
    second = [c.value for c in ws[9]]
    # LOCAL deleted ENF-004 and LOCAL is kept: no cell, and the row says why
    assert second[2] == "aucune : ligne supprimée par LOCAL"
    assert second[7] == "(ligne supprimée)" and second[8] == "Abandonnée"
    assert ws["C9"].hyperlink is None
    assert ws.column_dimensions["L"].hidden
    cell = wb["Actions"]["H3"]
    assert cell.value == "CCAS"
    assert cell.fill.fgColor.rgb == "00F4B084"
    assert "Distant : Relais petite enfance" in cell.comment.text
    assert "Valeur à garder" in cell.comment.text


def test_prefer_remote_and_json_report(run, conflicting, tmp_path):
    out = tmp_path / "fusion.xlsx"
    result = run("merge", *conflicting, "-o", out, "--preferer", "distant", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["schema"] == "ctgxl-merge/1" and doc["prefer"] == "distant"
    assert doc["clean"] is False
    by_column = {(c["key"]["id_action"], c["column"]): c for c in doc["conflicts"]}
    porteur = by_column[("ENF-002", "porteur")]
    assert porteur == {
        "table": "actions", "sheet": "Actions", "kind": "modifiee-des-deux-cotes",
        "key": {"id_action": "ENF-002"}, "column": "porteur", "header": "Porteur(s) de projet",
        "base": "Pôle Éducation de l'Agglomération", "local": "CCAS",
        "remote": "Relais petite enfance", "kept": "distant", "cell": "Actions!H3",
        "base_cell": "Actions!H3", "local_cell": "Actions!H3", "remote_cell": "Actions!H3"}
    statut = by_column[("ENF-004", "statut")]
    assert statut["kind"] == "supprimee-en-local" and statut["cell"] == "Actions!S5"
    rows = {r["id_action"]: r for r in read_plan(out).actions.records()}
    assert rows["ENF-002"]["porteur"] == "Relais petite enfance"
    assert rows["ENF-004"]["statut"] == "Abandonnée"


def test_usage_and_unusable_input_exit_2(run, clean_merge, tmp_path):
    result = run("merge", *clean_merge)
    assert result.exit_code == 2
    assert "Option manquante" in result.stderr
    base, local, remote = clean_merge
    result = run("merge", base, local, remote, "-o", local)
    assert result.exit_code == 2
    assert "ne peut pas être un fichier d'entrée" in result.stderr
    result = run("merge", base, local, tmp_path / "absent.xlsx", "-o", tmp_path / "f.xlsx")
    assert result.exit_code == 2
    assert "absent.xlsx : fichier introuvable" in result.stderr
    assert not (tmp_path / "f.xlsx").exists()


@pytest.mark.soffice
def test_merged_workbook_with_conflicts_opens_in_libreoffice(run, conflicting, tmp_path):
    out = tmp_path / "fusion.xlsx"
    run("merge", *conflicting, "-o", out)
    pdf = soffice_convert(out, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 5_000


@pytest.mark.soffice
def test_ods_inputs_are_merged(run, clean_merge, tmp_path):
    odses = [soffice_convert(p, "ods", tmp_path / "ods") for p in clean_merge]
    out = tmp_path / "fusion.xlsx"
    result = run("merge", *odses, "-o", out)
    assert result.exit_code == 0, result.output
    rows = {r["id_action"]: r for r in read_plan(out).actions.records()}
    assert rows["ENF-001"]["statut"] == "Réalisée"


def test_rows_deleted_by_one_side_are_named(run, conflicting, tmp_path):
    """Deletions are listed by ID, with the file that made them, in text and in JSON."""
    base, local, remote = conflicting
    deleting = tmp_path / "supprime.xlsx"
    write(version(ENF_002=None, ENF_003=None), deleting)
    result = run("merge", base, base, deleting, "-o", tmp_path / "f.xlsx")
    assert "2 lignes supprimées par DISTANT : Actions ENF-002, Actions ENF-003" in result.stdout
    assert "Changements de DISTANT (« supprime.xlsx ») appliqués" in result.stdout
    document = run("merge", base, base, deleting, "-o", tmp_path / "g.xlsx", "--format", "json")
    removed = json.loads(document.stdout)["removed"]
    assert removed == {"local": [], "distant": [{"table": "actions", "key": ["ENF-002"]},
                                                {"table": "actions", "key": ["ENF-003"]}]}
