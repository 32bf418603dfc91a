"""``ctgxl import`` as a user runs it: exit codes, French output, the files it writes."""

from __future__ import annotations

import json
from pathlib import Path

from ctgxl.reader import read_plan

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "source" / "plan_ctg_mont_de_marsan.txt"
FILES = ["cohesion_sociale.xlsx", "enfance.xlsx", "jeunesse.xlsx", "parentalite.xlsx",
         "petite_enfance.xlsx"]


def test_import_writes_one_workbook_per_thematique_and_a_json_report(run, tmp_path):
    out = tmp_path / "classeurs"
    result = run("import", SEED, "-o", out, "--rapport", tmp_path / "rapport.json")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == FILES
    text = result.output
    assert "Classeurs écrits dans" in text and "enfance.xlsx" in text
    assert "Rapport d'import :" in text and "à vérifier dans le document source" in text
    assert "ligne 91 [axe-deduit]" in text
    assert "ligne 419 [titre-perdu]" in text
    assert "[en-tete-variante] En-têtes de colonnes écrits autrement, reconnus" in text
    enfance = read_plan(out / "enfance.xlsx")
    assert (len(enfance.actions), len(enfance.offres)) == (88, 135)
    assert enfance.meta.thematique == "Enfance"
    report = json.loads((tmp_path / "rapport.json").read_text(encoding="utf-8"))
    assert [t["actions"] for t in report["thematiques"]] == [23, 88, 61, 11, 23]
    assert {"line": 91, "code": "axe-deduit", "severity": "avertissement",
            "thematique": "Petite enfance", "sheet": None}.items() <= \
        next(e for e in report["entries"] if e["code"] == "axe-deduit").items()
    assert len(report["written"]) == 5


SMALL = ("THEMATIQUE ENFANCE\nAXE STRATEGIQUE I Épanouir\nOBJECTIF INTERMEDIAIRE 1 Lire\n"
         "ACTIONS\tOO\tPORTEUR DE PROJETS\tPUBLIC VISE\n1. Heure du conte\t1\tMédiathèque\tCP\n")


def test_existing_workbooks_are_replaced_only_with_ecraser(run, tmp_path):
    source = tmp_path / "plan.txt"
    source.write_bytes(SMALL.encode("cp1252"))
    out = tmp_path / "out"
    first = run("import", source, "-d", out)
    assert first.exit_code == 0 and "encodage Windows-1252" in first.output
    before = (out / "enfance.xlsx").read_bytes()
    again = run("import", source, "-d", out)
    assert again.exit_code == 2
    assert "enfance.xlsx existe déjà" in again.stderr and "--ecraser" in again.stderr
    assert (out / "enfance.xlsx").read_bytes() == before
    assert run("import", source, "-d", out, "--ecraser").exit_code == 0
    # the spellings of earlier versions still work: -o for the folder, --force
    assert run("import", source, "-o", out, "--force").exit_code == 0
    assert read_plan(out / "enfance.xlsx").actions.records()[0]["porteur"] == "Médiathèque"


def test_outputs_never_replace_the_source(run, tmp_path):
    source = tmp_path / "enfance.xlsx"
    from openpyxl import Workbook

    wb = Workbook()
    for line in SMALL.splitlines():
        wb.active.append(line.split("\t"))
    wb.save(source)
    result = run("import", source, "-o", tmp_path, "--force")
    assert result.exit_code == 2 and "remplacerait le document source" in result.stderr


def test_unusable_source_exits_2_in_french(run, tmp_path):
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    result = run("import", empty, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "ctgxl : erreur :" in result.stderr and "fichier vide" in result.stderr
    assert not (tmp_path / "out").exists()
    missing = run("import", tmp_path / "absent.txt", "-o", tmp_path / "out")
    assert missing.exit_code == 2 and "fichier introuvable" in missing.stderr
    no_table = tmp_path / "notes.txt"
    no_table.write_text("Réunion du COPIL\nOrdre du jour : bilan 2024\n", encoding="utf-8")
    result = run("import", no_table, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "aucun tableau de plan d'actions reconnu" in result.stderr


def test_output_must_be_a_folder_and_usage_errors(run, tmp_path):
    file = tmp_path / "fichier.txt"
    file.write_text("x", encoding="utf-8")
    result = run("import", SEED, "-o", file)
    assert result.exit_code == 2
    result = run("import", SEED)
    assert result.exit_code == 2 and "Option manquante" in result.stderr
    result = run("import", SEED, "-o", tmp_path / "o", "--thematique", "Sport")
    assert result.exit_code == 2 and "thématique « Sport » inconnue" in result.stderr


def test_help_is_in_french(run):
    result = run("import", "--help")
    assert result.exit_code == 0
    for words in ("Importer un plan existant", "Codes de sortie", "--rapport, --report",
                  "--ecraser", "-d, --dossier", "Dossier où écrire un classeur par thématique"):
        assert words in result.output
    assert "--force" not in result.output and "--sortie" not in result.output  # hidden aliases
    assert "import" in run("--help").output
