"""``ctgxl consolidate``: what the coordinator types, what it prints, the master it writes."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, soffice_convert
from consolidation_helpers import service

from ctgxl.catalogue import TEMPLATE_VERSION
from ctgxl.reader import read_plan
from ctgxl.writer import write_plan

PE, ENF, JEU = "Petite enfance", "Enfance", "Jeunesse et vie étudiante"
EXAMPLES = sorted((ROOT / "examples").glob("*.xlsx"))


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Path:
    """A folder holding three clean service workbooks."""
    folder = tmp_path_factory.mktemp("retours")
    write_plan(service(PE, "PEN", 4, statuts=("En cours", "Réalisée"),
                       years=((2022, 2023), (2025, 2027))), folder / "petite_enfance.xlsx")
    write_plan(service(ENF, "ENF", 3, statuts=(None,), offres=2, offer_actions=3, suivi=True,
                       indicateurs=False, years=((2024, 2024),)), folder / "enfance.xlsx")
    write_plan(service(JEU, "JEU", 2, statuts=("Reportée",)), folder / "jeunesse.xlsx")
    return folder


@pytest.fixture(params=["seul", "processus"])
def reading(request, monkeypatch) -> str:
    """Run a test twice: inputs read in this process, then by worker processes (which
    also render the rows of the master), as with many files."""
    from ctgxl import loading

    if request.param == "processus":
        monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 2)
    return request.param


@pytest.fixture(scope="module")
def master(services, tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from ctgxl.cli import group

    out = tmp_path_factory.mktemp("pilotage") / "pilotage.xlsx"
    result = CliRunner().invoke(group, ["consolidate", str(services), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def test_a_folder_of_clean_workbooks_gives_a_master(run, services, tmp_path, reading):
    out = tmp_path / "pilotage.xlsx"
    result = run("consolidate", services, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Contrôles entre fichiers : rien à signaler." in result.stdout
    printed = " ".join(result.stdout.split())
    assert "Fichier de pilotage écrit :" in printed and out.name in printed
    assert "— 9 actions, 6 offres, 6 lignes de plan, 1 ligne de suivi" in printed
    plan = read_plan(out)
    assert len(plan.actions) == 9
    # inputs in name order: enfance, jeunesse, petite_enfance
    assert plan.actions.records()[0]["source_fichier"] == "enfance.xlsx"
    assert plan.actions.records()[-1]["source_fichier"] == "petite_enfance.xlsx"
    assert plan.actions.records()[-1]["source_ligne"] == 5


def test_files_and_glob_patterns(run, services, tmp_path):
    out = tmp_path / "p.xlsx"
    result = run("consolidate", services / "enfance.xlsx", str(services / "j*.xlsx"), "-o", out)
    assert result.exit_code == 0, result.output
    assert set(read_plan(out).actions.column("source_fichier")) == {"enfance.xlsx",
                                                                    "jeunesse.xlsx"}


def test_provenance_points_at_the_source_cell(master, services):
    plan = read_plan(master)
    for record in plan.actions.records():
        source = read_plan(services / record["source_fichier"])
        index = source.actions.origin.rows.index(record["source_ligne"])
        assert source.actions.records()[index]["id_action"] == record["id_action"]


def test_a_file_with_erreurs_is_refused_with_the_validation_report(run, services, tmp_path, reading):
    bad = tmp_path / "parentalite.xlsx"
    plan = service("Parentalité", "PAR", 2)
    rows = plan.actions.records()
    rows[1]["oo"] = "OO9"            # not in the Plan sheet: an erreur
    write_plan(plan.replace(actions=plan.actions.from_records(plan.actions.sheet, rows)), bad)
    out = tmp_path / "pilotage.xlsx"
    result = run("consolidate", services, bad, "-o", out)
    assert result.exit_code == 1
    assert not out.exists()
    assert "oo-inconnu" in result.stdout and "E3" in result.stdout
    assert "ctgxl : consolidation refusée : 1 fichier sur 4 a des erreurs (parentalite.xlsx). " \
           "Corrigez-les ou relancez avec --forcer." in result.stderr

    forced = run("consolidate", services, bad, "-o", out, "--forcer")
    assert forced.exit_code == 1
    assert "Écrit malgré des erreurs (--forcer)" in forced.stdout
    written = read_plan(out)
    assert len(written.actions) == 11
    assert written.actions.records()[-1]["oo"] == "OO9"           # the faulty row is kept
    assert written.actions.records()[-1]["source_fichier"] == "parentalite.xlsx"


def test_an_id_used_by_two_files_is_refused_unless_forced(run, services, tmp_path, reading):
    twin = tmp_path / "enfance_copie.xlsx"
    write_plan(service(ENF, "ENF", 1, first=3, service_name="Copie"), twin)
    out = tmp_path / "pilotage.xlsx"
    result = run("consolidate", services, twin, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "id-action-en-double" in result.stdout
    assert "L'ID action « ENF-003 » figure dans 2 fichiers : enfance.xlsx (ligne 4) ; " \
           "enfance_copie.xlsx (ligne 2)." in " ".join(result.stdout.split())
    assert "thematique-en-double" in result.stdout
    assert "1 erreur entre fichiers" in result.stderr

    forced = run("consolidate", services, twin, "-o", out, "--forcer", "--format", "json")
    assert forced.exit_code == 1
    document = json.loads(forced.stdout)
    assert document["status"] == "ecrit" and document["forced"] is True
    assert document["totals"]["cross_file"] == {"erreur": 1, "avertissement": 1,
                                                "information": 0}
    assert out.exists()


def test_a_workbook_made_with_other_lists(run, services, tmp_path):
    from ctgxl.vocabulary import Vocabulary, load_vocabulary

    shipped = load_vocabulary()
    lists = dict(shipped.lists, statuts=(*shipped.lists["statuts"], "En pause"))
    other = tmp_path / "parentalite.xlsx"
    write_plan(service("Parentalité", "PAR", 1), other,
               vocabulary=Vocabulary(shipped.thematiques, lists))
    result = run("consolidate", services, other, "-o", tmp_path / "p.xlsx", "--format", "json")
    assert result.exit_code == 0
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["file"]) == ("listes-differentes", "parentalite.xlsx")
    assert "Statuts : « En pause » en plus" in finding["message"]


def test_json_summary(run, services, tmp_path):
    out = tmp_path / "pilotage.xlsx"
    result = run("consolidate", services, "-o", out, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["schema"] == "ctgxl-consolidation" and document["status"] == "ecrit"
    assert document["totals"]["actions"] == 9 and document["totals"]["files"] == 3
    assert [f["name"] for f in document["files"]] == ["enfance.xlsx", "jeunesse.xlsx",
                                                     "petite_enfance.xlsx"]
    assert document["files"][0]["validation"] == {
        "status": "conforme", "totals": {"erreur": 0, "avertissement": 0, "information": 0}}
    assert document["summary"]["actions_avec_indicateurs"] == 9
    assert document["validation"]["schema"] == "ctgxl-validation-report"


def test_unusable_input_writes_nothing(run, services, tmp_path, reading):
    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(b"PK\x03\x04 pas vraiment un classeur")
    out = tmp_path / "pilotage.xlsx"
    result = run("consolidate", services, broken, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.count("\n") == 1 and "casse.xlsx" in result.stderr
    second = tmp_path / "vide.xlsx"
    second.write_bytes(b"")
    result = run("consolidate", services, broken, second, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert "consolidation impossible : 2 fichiers inutilisables." in result.stderr


def test_bad_arguments(run, services, tmp_path):
    missing = run("consolidate", tmp_path / "absent.xlsx", "-o", tmp_path / "p.xlsx")
    assert missing.exit_code == 2 and "fichier introuvable" in missing.stderr
    empty = tmp_path / "vide"
    empty.mkdir()
    nothing = run("consolidate", empty, "-o", tmp_path / "p.xlsx")
    assert nothing.exit_code == 2 and "aucun classeur" in nothing.stderr
    into_input = run("consolidate", services / "enfance.xlsx", services / "jeunesse.xlsx",
                     "-o", services / "jeunesse.xlsx")
    assert into_input.exit_code == 2
    assert "ne peut pas être un fichier d'entrée" in into_input.stderr
    csv = run("consolidate", services, "-o", tmp_path / "p.csv")
    assert csv.exit_code == 2 and ".xlsx" in csv.stderr


def test_the_master_inside_the_input_folder_is_not_read_again(run, services, tmp_path):
    import shutil

    folder = tmp_path / "retours"
    shutil.copytree(services, folder)
    first = run("consolidate", folder, "-o", folder / "pilotage.xlsx")
    again = run("consolidate", folder, "-o", folder / "pilotage.xlsx", "--ecraser")
    assert first.exit_code == again.exit_code == 0
    assert len(read_plan(folder / "pilotage.xlsx").actions) == 9


def test_many_files_are_read_by_worker_processes_in_order(services, tmp_path):
    from ctgxl.consolidation.io import load_sources
    from ctgxl.validation import load_rules

    paths = sorted(services.glob("*.xlsx")) * 1
    ticks = []
    rules = load_rules()
    alone = load_sources(paths, rules, advance=lambda: ticks.append(1), workers=1)
    pooled = load_sources(paths, rules, workers=2)
    assert len(ticks) == len(paths)
    assert [item.plan for item in pooled] == [item.plan for item in alone]
    assert [item.plan.actions.origin.rows for item in pooled] == \
        [item.plan.actions.origin.rows for item in alone]
    assert [item.report for item in pooled] == [item.report for item in alone]
    assert pooled[0].lists == alone[0].lists and pooled[0].lists["Statuts"][0] == "Non démarrée"


# -- the sheets added to the master ------------------------------------------------------------

def test_sheets_of_the_master(master):
    from openpyxl import load_workbook

    wb = load_workbook(master, read_only=True)
    assert wb.sheetnames[:3] == ["Synthèse", "Calendrier", "Lisez-moi"]
    assert "Sources" in wb.sheetnames and wb.sheetnames.index("Sources") > \
        wb.sheetnames.index("Suivi")


def _table(rows, title: str) -> list[list]:
    """The rows of the Synthèse table under ``title`` (header first), up to a blank line;
    the table may stand in the second column of tables (page 2, from column J)."""
    start, col = next((i, r.index(title)) for i, r in enumerate(rows) if title in r)
    out = []
    for row in rows[start + 1:]:
        row = row[col:]
        if not row or row[0] in (None, "") and not any(v not in (None, "") for v in row[:4]):
            break
        out.append(row)
    return out


def _sheet_rows(path: Path, name: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def test_synthese_figures_match_the_services(master, services):
    rows = _sheet_rows(master, "Synthèse")
    plans = {p.meta.thematique: p for p in (read_plan(f) for f in services.glob("*.xlsx"))}

    per_theme = _table(rows, "Actions par thématique")
    assert per_theme[0][:5] == ["Thématique", "Actions", "Offres", "Actions avec indicateurs",
                                "Part avec indicateurs"]
    body = {r[0]: r[1:5] for r in per_theme[1:]}
    for theme, plan in plans.items():
        with_indicators = sum(
            1 for a in plan.actions.records()
            if a["indicateurs"] or any(o["indicateurs"] for o in plan.offres.records()
                                       if o["id_action"] == a["id_action"]))
        assert body[theme] == [len(plan.actions), len(plan.offres), with_indicators,
                               pytest.approx(with_indicators / len(plan.actions))]
    assert body["Total"][:2] == [9, 6]

    statuts = _table(rows, "Avancement des actions (statut)")
    header = statuts[0]
    counts = {r[0]: dict(zip(header[1:], r[1:])) for r in statuts[1:]}
    assert counts[PE]["En cours"] == 2 and counts[PE]["Réalisée"] == 2
    assert counts[JEU]["Reportée"] == 2
    # Enfance actions have no statut: ENF-001 takes « Réalisée » from its 2024 follow-up
    assert counts[ENF]["Réalisée"] == 1 and counts[ENF]["Non renseigné"] == 2
    assert counts["Total"]["Total"] == 9

    years = {r[0]: r[1:3] for r in _table(rows, "Actions par année d'échéance")[1:]}
    assert years["2022"] == [2, 0] and years["2023"] == [4, 2]   # PEN-001/003; JEU 2023-2026
    assert years["2024"] == [5, 3]                                # ENF ×3 end in 2024
    assert years["2027"] == [2, 2]

    porteurs = _table(rows, "Principaux porteurs de projet")
    assert porteurs[1][:3] == ["Service Petite enfance", 4, 1]


def test_synthese_has_native_charts(master):
    with zipfile.ZipFile(master) as archive:
        charts = sorted(n for n in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", n))
        xml = {n: archive.read(n).decode("utf-8") for n in charts}
        rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode("utf-8")
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
    assert workbook.index('name="Synthèse"') < workbook.index('name="Calendrier"')
    assert "drawing" in rels
    assert len(charts) == 3
    texts = " ".join(xml.values())
    for title in ("Nombre d'actions par thématique", "Avancement des actions (statut)",
                  "Actions par année"):
        assert title in texts
    stacked = [x for x in xml.values() if re.search(r'<(c:)?grouping val="stacked"\s*/>', x)]
    assert len(stacked) == 1 and "'Synthèse'!$B$" in stacked[0]
    assert all(re.search(r"<(c:)?barChart>", x) for x in xml.values())
    # the values on the bars, never a « 0 » (the number format hides zeros, not the cells')
    labels = re.findall(r"<(?:c:)?dLbls>(.*?)</(?:c:)?dLbls>", texts)
    assert labels and all('formatCode="0;-0;;@" sourceLinked="0"' in x for x in labels)


def test_calendrier_colours_the_years_an_action_runs(master):
    from openpyxl import load_workbook

    from ctgxl.consolidation.style import THEME_COLOURS

    ws = load_workbook(master)["Calendrier"]
    header = [c.value for c in ws[3]]
    assert header[:5] == ["ID action", "N°", "Intitulé de l'action", "Début", "Fin"]
    years = header[5:]
    assert years == list(range(2022, 2028))
    rows = {row[0].value: row for row in ws.iter_rows(min_row=4) if row[0].value}
    assert rows["Petite enfance — 4 actions"][0].font.b

    def coloured(ident):
        return [y for y, c in zip(years, rows[ident][5:]) if c.fill.fill_type == "solid"]

    assert coloured("PEN-001") == [2022, 2023]
    assert coloured("PEN-002") == [2025, 2026, 2027]
    assert coloured("ENF-002") == [2024]
    assert rows["PEN-001"][5].fill.fgColor.rgb.endswith(THEME_COLOURS[0])   # Petite enfance
    assert rows["ENF-001"][7].fill.fgColor.rgb.endswith(THEME_COLOURS[1])   # Enfance, 2024
    assert rows["JEU-001"][2].value.startswith("Action 1 de la thématique Jeunesse")


def test_calendrier_says_when_an_action_has_no_readable_year(run, tmp_path):
    plan = service(PE, "PEN", 2, years=((2023, 2024),))
    rows = plan.actions.records()
    rows[1].update(echeances="toute la durée du PGT", annee_debut=None, annee_fin=None)
    path = tmp_path / "pe.xlsx"
    write_plan(plan.replace(actions=plan.actions.from_records(plan.actions.sheet, rows)), path)
    out = tmp_path / "p.xlsx"
    assert run("consolidate", path, "-o", out, "--forcer").exit_code in (0, 1)
    calendar = _sheet_rows(out, "Calendrier")
    line = next(r for r in calendar if r[0] == "PEN-002")
    assert "échéance non lisible" in line


def test_sources_sheet_lists_files_and_checks(master):
    from ctgxl.consolidation.io import read_sources

    rows = _sheet_rows(master, "Sources")
    assert rows[0][0] == "Fichiers consolidés"
    sources = read_sources(master)
    assert [s.name for s in sources] == ["enfance.xlsx", "jeunesse.xlsx", "petite_enfance.xlsx"]
    assert sources[0].meta.thematique == ENF and sources[0].meta.template_version == TEMPLATE_VERSION
    assert sources[0].rows == {"actions": 3, "offres": 6, "plan": 2, "indicateurs": 1,
                               "suivi": 1}
    line = next(r for r in rows if r and r[0] == "enfance.xlsx")
    assert line[-2] == "conforme" and line[-1] in (None, "")  # « Colonnes ajoutées » : none
    assert any(r and r[0] == "Points d'attention entre fichiers" for r in rows)


@pytest.mark.soffice
def test_master_opens_in_libreoffice(master, tmp_path):
    converted = soffice_convert(master, "ods", tmp_path)
    assert read_plan(converted) == read_plan(master)


def test_readme_command_on_the_examples(run, tmp_path):
    """``ctgxl consolidate examples/*.xlsx -o master.xlsx`` (the README's main command)."""
    from ctgxl.validation import validate_files

    if not EXAMPLES:
        pytest.skip("examples/ not generated yet")
    out = tmp_path / "master.xlsx"
    result = run("consolidate", *EXAMPLES, "-o", out)
    expected = sum(len(read_plan(p).actions) for p in EXAMPLES)
    if validate_files(EXAMPLES).counts["erreur"]:
        # Still true of the shipped examples: the coordinator is told and must force.
        assert result.exit_code == 1 and not out.exists()
        result = run("consolidate", *EXAMPLES, "-o", out, "--forcer")
    else:
        assert result.exit_code == 0, result.output
    assert len(read_plan(out).actions) == expected >= 200


def test_rows_rendered_by_the_workers_are_the_rows_of_the_master(tmp_path, monkeypatch):
    """The workers render each file's rows for the master; the file is the same as when
    the main process renders them (real seed text: line breaks, « & », long cells)."""
    from ctgxl.fastrows import _sheet_parts
    from ctgxl import loading
    from ctgxl.consolidation.pipeline import consolidate_files, write_master
    from ctgxl.validation import load_rules

    from ctgxl import fastrows

    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 2)
    numbered = []
    number_rows = fastrows.number_rows
    monkeypatch.setattr(fastrows, "number_rows",
                        lambda rendered: numbered.append(len(rendered)) or number_rows(rendered))
    examples = sorted((ROOT / "examples").glob("*.xlsx"))
    outcome = consolidate_files(examples, tmp_path / "pilotage.xlsx", rules=load_rules(),
                                force=True)
    assert outcome.status == "ecrit" and len(outcome.consolidation.master.actions) == 206
    assert sorted(numbered) == sorted(len(t) for t in outcome.consolidation.master.tables if len(t))
    plain = write_master(tmp_path / "reference.xlsx", outcome.consolidation, outcome.summary,
                         outcome.rules, outcome.loaded)
    assert all(item.rendered is None for item in outcome.loaded)   # main process renders
    with zipfile.ZipFile(outcome.output) as a, zipfile.ZipFile(plain) as b:
        parts = _sheet_parts(a)
        assert parts == _sheet_parts(b)
        for sheet in ("Actions", "Offres", "Plan", "Suivi"):
            assert a.read(parts[sheet]) == b.read(parts[sheet]), sheet
    assert read_plan(outcome.output) == read_plan(plain)
