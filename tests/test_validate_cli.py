"""``ctgxl validate`` as a user runs it: exit codes, French report, JSON, several files, rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ctgxl.writer import write_plan
from workbooks import plan_with, small_plan


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write_plan(small_plan(3), tmp_path / "enfance.xlsx")


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    plan = plan_with(actions__0__statut="Realisée", actions__1__annee_debut=2026,
                     actions__1__annee_fin=2023)
    return write_plan(plan, tmp_path / "enfance_a_corriger.xlsx")


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    return write_plan(plan_with(actions__0__statut="en cours"), tmp_path / "avertie.xlsx")


def test_clean_workbook_exits_0(run, clean):
    result = run("validate", clean)
    assert result.exit_code == 0, result.output
    assert "Aucune erreur." in result.stdout
    assert "Total : 1 fichier, 0 erreur, 0 avertissement, 0 information." in result.stdout
    assert result.stderr == ""


def test_errors_exit_1_and_name_each_cell(run, faulty):
    result = run("validate", faulty)
    assert result.exit_code == 1
    out = result.stdout
    assert "enfance_a_corriger.xlsx — 1 erreur, 1 avertissement" in out
    assert "Actions (3 lignes)" in out
    assert "K3" in out and "debut-apres-fin" in out
    assert "L'année de début (2026) est postérieure à l'année de fin (2023)." in out
    assert "S2" in out and "→ Réalisée" in out
    assert "Des erreurs sont à corriger." in out


def test_warnings_alone_exit_0_unless_strict(run, warned):
    assert run("validate", warned).exit_code == 0
    result = run("validate", "--strict", warned)
    assert result.exit_code == 1
    assert "Des avertissements sont à traiter (--strict)." in result.stdout


def test_json_report_has_a_stable_documented_shape(run, faulty, clean):
    result = run("validate", "--format", "json", faulty, clean)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["schema"] == "ctgxl-validation-report"
    assert report["schema_version"] == 1
    assert report["exit_code"] == 1 and report["strict"] is False
    assert report["rules"]["period"] == [2022, 2027]
    assert report["totals"] == {"files": 2, "unusable_files": 0, "erreur": 1,
                                "avertissement": 1, "information": 0}
    first, second = report["files"]
    assert first["status"] == "erreurs" and second["status"] == "conforme"
    assert first["rows"] == {"Actions": 3, "Offres": 2, "Plan": 2, "Indicateurs": 1,
                             "Suivi": 1}
    assert set(first["findings"][0]) == {
        "severity", "code", "file", "sheet", "cell", "row", "column", "header", "value",
        "message", "suggestion", "cells"}
    error = next(f for f in first["findings"] if f["code"] == "debut-apres-fin")
    assert error == {
        "severity": "erreur", "code": "debut-apres-fin", "file": str(faulty),
        "sheet": "Actions", "cell": "K3", "row": 3, "column": "K", "header": "Année début",
        "value": "2026", "suggestion": None, "cells": ["K3", "L3"],
        "message": "L'année de début (2026) est postérieure à l'année de fin (2023)."}


def test_json_written_from_the_findings_is_the_documented_dict_form(faulty):
    """The command writes findings straight from the objects (orjson, or json on a
    console that needs ASCII escapes): same keys, same order, same values as ``to_dict``."""
    from ctgxl.commands._common import json_text
    from ctgxl.validation import validate_files

    report = validate_files([faulty])
    expected = report.to_dict()
    assert expected["files"][0]["findings"]
    for ascii_only in (False, True):
        written = json.loads(json_text(report.to_dict(objects=True), ascii_only=ascii_only))
        assert written == expected
        assert [list(f) for f in written["files"][0]["findings"]] == \
            [list(f) for f in expected["files"][0]["findings"]]


def test_several_files_with_a_summary_per_file(run, faulty, clean, warned):
    result = run("validate", clean, faulty, warned)
    assert result.exit_code == 1
    out = result.stdout
    assert out.index("enfance.xlsx — 0 erreur") < out.index("enfance_a_corriger.xlsx — 1 erreur")
    assert "avertie.xlsx — 0 erreur, 1 avertissement" in out
    assert "Total : 3 fichiers, 1 erreur, 2 avertissements, 0 information." in out


def test_unusable_file_among_others_exits_2_with_one_french_line(run, clean, tmp_path):
    missing = tmp_path / "absent.xlsx"
    result = run("validate", clean, missing)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"ctgxl : erreur : {missing} : fichier introuvable"
    assert "enfance.xlsx — 0 erreur" in result.stdout
    assert "1 inutilisable" in result.stdout


def test_unusable_file_in_json(run, tmp_path):
    path = tmp_path / "pas_un_classeur.xlsx"
    path.write_text("ID action;Thématique\n", encoding="utf-8")
    result = run("validate", "--format", "json", path)
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["files"][0]["status"] == "inutilisable"
    assert report["files"][0]["error"]
    assert len(result.stderr.strip().splitlines()) == 1


def test_display_limit(run, tmp_path):
    changes = {f"actions__{i}__statut": "Fini" for i in range(3)}
    path = write_plan(plan_with(**changes), tmp_path / "x.xlsx")
    result = run("validate", "--limite", "1", path)
    assert "… et 2 autres constats non affichés" in result.stdout


def test_other_rules_folder_changes_severity_period_and_messages(run, tmp_path, warned):
    rules = tmp_path / "regles"
    rules.mkdir()
    (rules / "regles.toml").write_text(
        '[convention]\ndebut = 2025\nfin = 2030\n\n'
        '[gravites]\nvaleur-a-harmoniser = "erreur"\n\n'
        '[messages]\nvaleur-a-harmoniser = "Écrire « {attendu} »."\n', encoding="utf-8")
    result = run("validate", "--regles", rules, "--format", "json", warned)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["rules"]["period"] == [2025, 2030]
    codes = {(f["code"], f["severity"], f["message"]) for f in report["files"][0]["findings"]}
    assert ("valeur-a-harmoniser", "erreur", "Écrire « En cours ».") in codes
    assert any(code == "echeances-hors-periode" for code, _, _ in codes)  # 2023 < 2025


def test_rules_folder_with_a_typo_is_one_french_line(run, tmp_path, clean):
    rules = tmp_path / "regles"
    rules.mkdir()
    (rules / "regles.toml").write_text('[controles.colonnes.Actions]\nporteur = ["majuscule"]\n',
                                       encoding="utf-8")
    result = run("validate", "--regles", rules, clean)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "contrôle de colonne « majuscule » inconnu" in line


def test_missing_rules_folder(run, tmp_path, clean):
    result = run("validate", "--regles", tmp_path / "nulle-part", clean)
    assert result.exit_code == 2
    assert "dossier de règles introuvable" in result.stderr


def test_help_is_french_and_lists_exit_codes(run):
    result = run("validate", "--help")
    assert result.exit_code == 0
    for words in ("--annoter", "--strict", "--regles", "--format", "Codes de sortie",
                  "aucune erreur"):
        assert words in result.output
    assert "validate" in run("--help").output


def test_validate_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys; from ctgxl.cli import group\n"
            "try:\n    group.main(['validate', '--help'], prog_name='ctgxl')\n"
            "except SystemExit:\n    pass\n"
            "print('HEAVY', [m for m in ('pandas', 'pandera', 'openpyxl') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout, out.stdout


def test_validate_json_imports_nothing_it_does_not_use(tmp_path):
    """``validate --format json`` pays for pandas, pandera and the reader, not for the writer,
    the console renderer, the add-in server or pandera's data synthesis (issue 30)."""
    import subprocess
    import sys
    from pathlib import Path

    enfance = Path(__file__).resolve().parent.parent / "examples" / "enfance.xlsx"
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "ctgxl", "validate",
                          str(enfance), "--format", "json"], capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 1 and '"findings"' in out.stdout
    imported = {line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines()
                if line.startswith("import time:") and line.count("|") == 2}
    assert {"pandera.pandas", "python_calamine"} <= imported
    unused = ("openpyxl", "xlsxwriter", "xlwings", "fastapi", "starlette", "uvicorn",
              "hypothesis", "rich", "docx", "lxml", "matplotlib", "ctgxl.writer",
              "ctgxl.bilan", "ctgxl.addin")
    # a package's own line is there whenever any of its modules is loaded (pandera's
    # blocked attempt at « hypothesis.strategies » loads nothing: « hypothesis » is absent)
    assert not imported & set(unused)


def test_avertissements_are_grouped_by_check_unless_detail(run):
    """A wall of avertissements is one line per check (how many, where first) by default."""
    from pathlib import Path

    enfance = Path(__file__).resolve().parent.parent / "examples" / "enfance.xlsx"
    grouped = run("validate", enfance).stdout
    assert "champ-a-completer × 197" in grouped and "… et 191 autres" in grouped
    assert grouped.count("champ-a-completer") == 1
    detailed = run("validate", enfance, "--detail", "--limite", "0").stdout
    assert detailed.count("champ-a-completer") == 197


def test_a_folder_is_validated_like_its_workbooks(run, tmp_path):
    from pathlib import Path
    import shutil

    examples = Path(__file__).resolve().parent.parent / "examples"
    for name in ("enfance.xlsx", "jeunesse.xlsx"):
        shutil.copy(examples / name, tmp_path / name)
    (tmp_path / "~$enfance.xlsx").write_bytes(b"owner file of an open workbook")
    result = run("validate", tmp_path, "--format", "json")
    files = [Path(f["file"]).name for f in json.loads(result.stdout)["files"]]
    assert files == ["enfance.xlsx", "jeunesse.xlsx"]
    annotated = tmp_path / "copies" / "annotees"
    assert run("validate", tmp_path / "enfance.xlsx", tmp_path / "jeunesse.xlsx", "--annoter",
               annotated).exit_code == 1
    assert sorted(p.name for p in annotated.iterdir()) == [
        "enfance-controles.xlsx", "jeunesse-controles.xlsx"]
