"""The merged workbook as the coordinator uses it: green clean merges, a « Conflits » sheet
with a choice per conflict, and ``ctgxl merge --resoudre FUSION.xlsx -o SORTIE.xlsx``."""

from __future__ import annotations

import json

import pytest
from compare_helpers import rebuild, write
from workbooks import small_plan

from ctgxl.compare import merge_plans
from ctgxl.reader import read_plan

BASE = small_plan(4)
GREEN, ORANGE = "00E2EFDA", "00F4B084"
FIRST = 8   # first conflict row of the « Conflits » sheet (header on row 7)


def version(**edits):
    """BASE edited: ``version(actions={"ENF-002": {"porteur": "CCAS"}, "ENF-004": None})``;
    rows are named by their key values joined with « / » (``"ENF-001/1"``); None deletes."""
    tables = {}
    for table, changes in edits.items():
        sheet = BASE.table(table).sheet
        rows = []
        for record in BASE.table(table).records():
            name = "/".join(str(record[k]) for k in sheet.key_columns)
            change = changes.get(name, {})
            if change is not None:
                rows.append({**record, **change})
        tables[table] = rows
    return rebuild(BASE, **tables)


def trio(tmp_path, local, remote):
    return [write(p, tmp_path / f"{n}.xlsx") for p, n in ((BASE, "base"), (local, "local"),
                                                           (remote, "distant"))]


@pytest.fixture
def conflicting(tmp_path):
    """ENF-002 porteur changed differently; ENF-004 deleted in LOCAL, two fields edited in
    DISTANT; clean edits on both sides (ENF-001 statut in LOCAL, ENF-003 public in DISTANT)."""
    local = version(actions={"ENF-002": {"porteur": "CCAS"}, "ENF-004": None,
                             "ENF-001": {"statut": "Réalisée"}})
    remote = version(actions={"ENF-002": {"porteur": "Relais petite enfance"},
                              "ENF-004": {"statut": "Abandonnée", "commentaire": "Sans suite"},
                              "ENF-003": {"public": "Familles"}})
    return trio(tmp_path, local, remote)


def merged(run, inputs, tmp_path, *options):
    out = tmp_path / "fusion.xlsx"
    result = run("merge", *inputs, "-o", out, *options)
    assert result.exit_code == 1, result.output
    return out


def conflict_rows(path):
    """« Conflits » rows by (Ligne (clé), Colonne) -> Excel row number."""
    from openpyxl import load_workbook

    ws = load_workbook(path)["Conflits"]
    return {(ws.cell(r, 4).value, ws.cell(r, 5).value): r
            for r in range(FIRST, ws.max_row + 1) if ws.cell(r, 1).value is not None}


def choose(path, target, choices):
    """Copy of the merged workbook with choices typed in « Valeur à garder » (column K):
    ``{("ENF-002", "Porteur(s) de projet"): "Distant"}`` (Ligne (clé), Colonne -> choice)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Conflits"]
    rows = {(ws.cell(r, 4).value, ws.cell(r, 5).value): r for r in range(FIRST, ws.max_row + 1)}
    for where, value in choices.items():
        ws.cell(rows[where], 11).value = value
    wb.save(target)
    return target


PORTEUR, STATUT, COMMENTAIRE = "Porteur(s) de projet", "Statut", "Commentaire"


def actions_of(path):
    return {r["id_action"]: r for r in read_plan(path).actions.records()}


# -- the merged workbook --------------------------------------------------------------------

def test_the_conflicts_sheet_offers_base_local_distant_or_a_typed_value(run, conflicting,
                                                                         tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(merged(run, conflicting, tmp_path))
    ws = wb["Conflits"]
    headers = [c.value for c in ws[7]]
    assert headers[3] == "Ligne (clé)"
    assert headers[6:11] == ["Base", "Local", "Distant", "Valeur conservée", "Valeur à garder"]
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"Base,Local,Distant"'
    assert dv.errorStyle == "information"          # a typed value is allowed
    assert str(dv.sqref) == f"K{FIRST}:K{FIRST + 2}"
    assert ws.auto_filter.ref == f"A7:L{FIRST + 2}"  # sorting moves the hidden reference too
    assert all(ws.cell(r, 11).value is None for r in range(FIRST, FIRST + 3))
    assert "--resoudre fusion.xlsx -o fusion_resolu.xlsx" in ws["A2"].value


def test_changes_merged_without_conflict_are_green_with_who_made_them(run, conflicting,
                                                                       tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(merged(run, conflicting, tmp_path))
    actions = wb["Actions"]
    local_change, remote_change = actions["S2"], actions["I4"]   # ENF-001 statut, ENF-003 public
    assert local_change.value == "Réalisée" and remote_change.value == "Familles"
    assert local_change.fill.fgColor.rgb == GREEN == remote_change.fill.fgColor.rgb
    assert local_change.comment.text.startswith("Modifié dans LOCAL")
    assert remote_change.comment.text.startswith("Modifié dans DISTANT")
    assert "Valeur de BASE : En cours" in local_change.comment.text
    assert actions["H3"].fill.fgColor.rgb == ORANGE            # the conflict stays orange
    assert actions["S3"].fill.fgColor.rgb != GREEN and actions["S3"].comment is None
    legend = [[c.value for c in row] for row in wb["Conflits"].iter_rows(min_row=5, max_row=6)]
    assert legend[0][1] == "orange" and legend[1][1] == "vert"
    assert "2 cellules" in legend[1][2]


def test_a_clean_merge_has_a_fusion_sheet_with_the_legend(run, tmp_path):
    from openpyxl import load_workbook

    inputs = trio(tmp_path, version(actions={"ENF-001": {"statut": "Réalisée"}}),
                  version(actions={"ENF-003": {"porteur": "CCAS"}}))
    out = tmp_path / "fusion.xlsx"
    result = run("merge", *inputs, "-o", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Fusion" and "Conflits" not in wb.sheetnames
    texts = [c.value for row in wb["Fusion"].iter_rows() for c in row if c.value]
    assert "Fusion sans conflit" in texts
    assert any("reprise sans conflit (2 cellules" in t for t in texts)
    assert wb["Actions"]["H4"].fill.fgColor.rgb == GREEN
    assert run("validate", out).exit_code == 0


def test_a_row_added_on_one_side_is_green_and_says_so(tmp_path):
    from compare_helpers import action, plan_of

    base = plan_of([action(1)])
    local = plan_of([action(1), action(2)])
    result = merge_plans(base, local, base)
    (change,) = result.changes
    assert (change.table, change.index, change.column, change.sides) == ("actions", 1, None,
                                                                         ("local",))
    from ctgxl.compare.conflicts_sheet import change_marks

    marks = change_marks(result.changes, result.plan)
    assert marks[("actions", 1, "id_action")].comment == ("Ligne ajoutée dans LOCAL, "
                                                          "fusionnée sans conflit.")
    assert marks[("actions", 1, "porteur")].fill == "E2EFDA"
    assert ("actions", 0, "porteur") not in marks


def test_the_same_change_on_both_sides_is_green_for_both(tmp_path):
    both = version(actions={"ENF-002": {"statut": "Réalisée"}})
    result = merge_plans(BASE, both, both)
    (change,) = result.changes
    assert (change.index, change.column, change.sides, change.base) == (
        1, "statut", ("local", "distant"), "En cours")


def test_a_delete_versus_edit_conflict_links_to_the_row_kept(run, conflicting, tmp_path):
    from openpyxl import load_workbook

    out = merged(run, conflicting, tmp_path, "--preferer", "distant")
    ws = load_workbook(out)["Conflits"]
    row = conflict_rows(out)[("ENF-004", "Statut")]
    assert ws.cell(row, 6).value == "supprimée en local, modifiée à distance"
    assert ws.cell(row, 3).value == "S5"
    assert ws.cell(row, 3).hyperlink.location == "'Actions'!S5"
    assert load_workbook(out)["Actions"]["S5"].value == "Abandonnée"


def test_the_key_column_names_offers_indicators_and_follow_up_rows(run, tmp_path):
    local = version(indicateurs={"ENF-001/1": {"cible": 80}},
                    suivi={"ENF-001/2024/1": {"valeur": 70}})
    remote = version(indicateurs={"ENF-001/1": {"cible": 90}},
                     suivi={"ENF-001/2024/1": {"valeur": 71}})
    out = merged(run, trio(tmp_path, local, remote), tmp_path)
    assert set(conflict_rows(out)) == {("ENF-001, indicateur 1", "Cible"),
                                       ("ENF-001, 2024, indicateur 1", "Valeur atteinte")}


# -- ctgxl merge --resoudre ------------------------------------------------------------------

def sort_by(path, sheet, column):
    """What a user does in Excel: the data rows of ``sheet`` sorted by ``column`` (1-based)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=ws.max_row)]
    rows = sorted((r for r in rows if any(v is not None for v in r)),
                  key=lambda r: r[column - 1])
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            ws.cell(i, j).value = value
    wb.save(path)


def swap_conflict_rows(path):
    """The first two rows of the « Conflits » list exchanged (the list sorted by the user)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Conflits"]
    for col in range(1, 13):
        a, b = ws.cell(FIRST, col), ws.cell(FIRST + 1, col)
        a.value, b.value = b.value, a.value
    wb.save(path)


def test_round_trip_choices_land_in_the_right_rows_even_after_sorting(run, conflicting,
                                                                      tmp_path):
    from openpyxl import load_workbook

    out = merged(run, conflicting, tmp_path)
    chosen = choose(out, tmp_path / "choix.xlsx", {("ENF-002", PORTEUR): "Distant",
                                                   ("ENF-004", STATUT): "Local"})
    sort_by(chosen, "Actions", 19)       # by Statut: ENF-002, ENF-003 (En cours), ENF-001
    swap_conflict_rows(chosen)
    before = chosen.read_bytes()
    final = tmp_path / "resolue.xlsx"
    result = run("merge", "--resoudre", chosen, "-o", final)
    assert result.exit_code == 0, result.output
    assert "Tous les conflits sont réglés." in result.stdout
    assert ("  ✓ Actions, ENF-002 — Porteur(s) de projet (Actions!H2) : valeur de DISTANT "
            "« Relais petite enfance »") in result.stdout
    assert "  ✓ Actions, ENF-004 — Statut : ligne supprimée (choix LOCAL)" in result.stdout
    assert chosen.read_bytes() == before                       # the input is never modified
    rows = actions_of(final)
    assert list(rows) == ["ENF-002", "ENF-003", "ENF-001"]     # the user's order is kept
    assert rows["ENF-002"]["porteur"] == "Relais petite enfance"
    assert rows["ENF-001"]["porteur"] == rows["ENF-003"]["porteur"] == BASE.actions.records()[0][
        "porteur"]
    assert rows["ENF-001"]["statut"] == "Réalisée" and rows["ENF-003"]["public"] == "Familles"
    wb = load_workbook(final)
    assert "Conflits" not in wb.sheetnames and wb.sheetnames[0] == "Fusion"
    cell = wb["Actions"]["H2"]
    assert cell.value == "Relais petite enfance" and cell.fill.fgColor.rgb == GREEN
    assert cell.comment.text.startswith("Conflit réglé : valeur de DISTANT choisie.")


def test_choosing_the_editing_side_restores_a_deleted_row_in_its_place(run, conflicting,
                                                                       tmp_path):
    out = merged(run, conflicting, tmp_path)
    assert "ENF-004" not in actions_of(out)
    chosen = choose(out, tmp_path / "choix.xlsx", {
        ("ENF-002", PORTEUR): "Local", ("ENF-004", STATUT): "distant",
        ("ENF-004", COMMENTAIRE): "Reprise en 2026"})
    final = tmp_path / "resolue.xlsx"
    result = run("merge", "--resoudre", chosen, "-o", final)
    assert result.exit_code == 0, result.output
    rows = actions_of(final)
    assert list(rows) == ["ENF-001", "ENF-002", "ENF-003", "ENF-004"]
    assert rows["ENF-004"]["statut"] == "Abandonnée"
    assert rows["ENF-004"]["commentaire"] == "Reprise en 2026"      # a typed value
    assert rows["ENF-004"]["intitule"] == BASE.actions.records()[3]["intitule"]
    assert rows["ENF-002"]["porteur"] == "CCAS"


def test_conflicts_left_without_a_choice_stay_listed_and_exit_1(run, conflicting, tmp_path):
    from openpyxl import load_workbook

    out = merged(run, conflicting, tmp_path)
    chosen = choose(out, tmp_path / "choix.xlsx", {("ENF-002", PORTEUR): "(vide)"})
    first = tmp_path / "etape1.xlsx"
    result = run("merge", "--resoudre", chosen, "-o", first)
    assert result.exit_code == 1, result.output
    assert "2 conflits restants" in result.stdout
    assert actions_of(first)["ENF-002"]["porteur"] is None
    ws = load_workbook(first)["Conflits"]
    assert ws["A1"].value == "Conflits restants : 2"
    assert set(conflict_rows(first)) == {("ENF-004", "Commentaire"), ("ENF-004", "Statut")}
    chosen = choose(first, tmp_path / "choix2.xlsx", {("ENF-004", COMMENTAIRE): "Local"})
    again = run("merge", "--resoudre", chosen, "-o", tmp_path / "etape2.xlsx")
    assert again.exit_code == 0, again.output       # deleting the row settles both
    assert "ENF-004" not in actions_of(tmp_path / "etape2.xlsx")


def test_contradictory_choices_on_one_row_are_not_applied(run, conflicting, tmp_path):
    from openpyxl import load_workbook

    out = merged(run, conflicting, tmp_path)
    chosen = choose(out, tmp_path / "choix.xlsx", {
        ("ENF-002", PORTEUR): "Local", ("ENF-004", STATUT): "Local",
        ("ENF-004", COMMENTAIRE): "Distant"})
    final = tmp_path / "resolue.xlsx"
    result = run("merge", "--resoudre", chosen, "-o", final, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [c["column"] for c in doc["conflicts"]] == ["commentaire", "statut"]
    assert {n["code"] for n in doc["notes"]} == {"resolution-choix-inapplicable"}
    assert [(r["column"], r["choice"], r["action"]) for r in doc["resolved"]] == [
        ("porteur", "local", "valeur")]
    ws = load_workbook(final)["Conflits"]
    row = conflict_rows(final)[("ENF-004", "Statut")]
    assert ws.cell(row, 11).value == "Local"                  # the choice is kept to fix it
    assert "choix contradictoires" in ws.cell(row, 11).comment.text


def test_resolve_json_says_what_was_applied(run, conflicting, tmp_path):
    out = merged(run, conflicting, tmp_path)
    chosen = choose(out, tmp_path / "choix.xlsx", {
        ("ENF-002", PORTEUR): "Agglomération et CCAS", ("ENF-004", STATUT): "Local"})
    result = run("merge", "--resoudre", chosen, "-o", tmp_path / "r.xlsx", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "ctgxl-merge/1" and doc["input"] == str(chosen)
    assert doc["base"] is None and doc["conflicts"] == [] and doc["clean"] is True
    porteur, *deleted = doc["resolved"]
    assert porteur["key"] == {"id_action": "ENF-002"} and porteur["cell"] == "Actions!H3"
    assert (porteur["choice"], porteur["value"], porteur["action"]) == (
        "saisie", "Agglomération et CCAS", "valeur")
    assert {(d["column"], d["action"], d["value"]) for d in deleted} == {
        ("statut", "ligne-supprimee", None), ("commentaire", "ligne-supprimee", None)}


def test_a_typed_number_is_a_number_in_the_indicator_of_its_key(run, tmp_path):
    local = version(indicateurs={"ENF-001/1": {"cible": 80}})
    remote = version(indicateurs={"ENF-001/1": {"cible": 90}})
    out = merged(run, trio(tmp_path, local, remote), tmp_path)
    chosen = choose(out, tmp_path / "choix.xlsx", {("ENF-001, indicateur 1", "Cible"): "85,5"})
    result = run("merge", "--resoudre", chosen, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    (indicator,) = read_plan(tmp_path / "r.xlsx").indicateurs.records()
    assert indicator["cible"] == 85.5


def test_a_workbook_setting_in_conflict_is_resolved_too(run, tmp_path):
    from ctgxl.model import Meta

    local = rebuild(BASE, meta=Meta(thematique="Enfance", service="Service A"))
    remote = rebuild(BASE, meta=Meta(thematique="Enfance", service="Service B"))
    out = merged(run, trio(tmp_path, local, remote), tmp_path)
    chosen = choose(out, tmp_path / "choix.xlsx", {(None, "Service"): "Distant"})
    result = run("merge", "--resoudre", chosen, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert read_plan(tmp_path / "r.xlsx").meta.service == "Service B"


def test_a_row_whose_key_was_changed_by_hand_is_reported_not_guessed(run, conflicting,
                                                                     tmp_path):
    from openpyxl import load_workbook

    out = merged(run, conflicting, tmp_path)
    chosen = choose(out, tmp_path / "choix.xlsx", {("ENF-002", PORTEUR): "Distant"})
    wb = load_workbook(chosen)
    wb["Actions"]["A3"] = "ENF-902"
    wb.save(chosen)
    result = run("merge", "--resoudre", chosen, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 1
    assert ("[avertissement] Actions, ENF-002 — Porteur(s) de projet : choix « Distant » non "
            "appliqué (ligne introuvable dans le classeur") in result.stdout
    assert actions_of(tmp_path / "r.xlsx")["ENF-902"]["porteur"] == "CCAS"


@pytest.mark.soffice
def test_choices_saved_by_libreoffice_are_applied(run, conflicting, tmp_path):
    from conftest import soffice_convert

    out = merged(run, conflicting, tmp_path)
    chosen = choose(out, tmp_path / "choix.xlsx", {("ENF-002", PORTEUR): "Distant",
                                                   ("ENF-004", STATUT): "Local"})
    ods = soffice_convert(chosen, "ods", tmp_path / "ods")
    result = run("merge", "--resoudre", ods, "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 0, result.output
    assert actions_of(tmp_path / "r.xlsx")["ENF-002"]["porteur"] == "Relais petite enfance"


# -- refusals --------------------------------------------------------------------------------

def test_a_workbook_without_conflicts_sheet_is_refused(run, tmp_path):
    plain = write(BASE, tmp_path / "plan.xlsx")
    result = run("merge", "--resoudre", plain, "-o", tmp_path / "sortie.xlsx")
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"ctgxl : erreur : {plain} : pas de feuille « Conflits » : "
                                     "aucun conflit à régler (fusion sans conflit, ou conflits "
                                     "déjà réglés)")
    assert not (tmp_path / "sortie.xlsx").exists()


def test_a_conflicts_sheet_without_references_is_refused(run, conflicting, tmp_path):
    from openpyxl import load_workbook

    out = merged(run, conflicting, tmp_path)
    wb = load_workbook(out)
    wb["Conflits"].delete_cols(12)
    wb.save(tmp_path / "ancienne.xlsx")
    result = run("merge", "--resoudre", tmp_path / "ancienne.xlsx", "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 2
    assert "« Valeur à garder » et « Référence ctgxl (ne pas modifier) »" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_resolve_usage_errors_exit_2(run, conflicting, tmp_path):
    out = merged(run, conflicting, tmp_path)
    with_inputs = run("merge", *conflicting, "--resoudre", out, "-o", tmp_path / "s.xlsx")
    assert with_inputs.exit_code == 2
    assert "--resoudre s'emploie sans BASE, LOCAL ni DISTANT" in with_inputs.stderr
    prefer = run("merge", "--resoudre", out, "-o", tmp_path / "s.xlsx", "--preferer", "local")
    assert prefer.exit_code == 2 and "--preferer ne s'emploie pas" in prefer.stderr
    same = run("merge", "--resoudre", out, "-o", out, "--ecraser")
    assert same.exit_code == 2 and "ne peut pas être un fichier d'entrée" in same.stderr
    two = run("merge", *conflicting[:2], "-o", tmp_path / "s.xlsx")
    assert two.exit_code == 2 and "Argument manquant « DISTANT »" in two.stderr
    assert not (tmp_path / "s.xlsx").exists()


def test_an_existing_output_is_replaced_only_with_ecraser(run, conflicting, tmp_path):
    out = merged(run, conflicting, tmp_path)
    target = tmp_path / "resolue.xlsx"
    target.write_bytes(b"version precedente")
    refused = run("merge", "--resoudre", out, "-o", target)
    assert refused.exit_code == 2 and "--ecraser" in refused.stderr
    assert target.read_bytes() == b"version precedente"
    replaced = run("merge", "--resoudre", out, "-o", target, "--ecraser")
    assert replaced.exit_code == 1                               # nothing chosen yet
    assert len(conflict_rows(target)) == 3


def test_help_shows_both_forms(run):
    text = run("merge", "--help").output
    assert "Utilisation : group merge [OPTIONS] BASE LOCAL DISTANT -o FUSION.xlsx" in text
    assert "         ou : group merge --resoudre FUSION.xlsx -o SORTIE.xlsx" in text
    assert "--resoudre FUSION.xlsx" in text and "Valeur à garder" in text
