"""Bad input to ``ctgxl panorama``: each is said with its file, the rest is covered (code 1),
never code 3, nothing written half."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from ctgxl.loading import sheet_rows
from panorama_helpers import example_plans, siren, territory_plan, write_territory


@pytest.fixture(scope="module")
def plans():
    return example_plans(["cohesion_sociale", "parentalite"])


def panorama(run, *args):
    """(exit code, JSON report) of ``ctgxl panorama ARGS``."""
    result = run("panorama", *args, "--compte-rendu", "json")
    assert result.exit_code != 3 and "Traceback" not in result.output, result.output
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else None)


def codes(document) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for f in document["findings"]:
        found.setdefault(f["code"], []).append(f)
    return found


def no_temporaries(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".ctgxl-")]


def test_a_file_that_is_not_a_workbook_is_said_and_the_rest_covered(run, tmp_path, plans):
    folder = write_territory(tmp_path / "t1", 1, plans)
    (folder / "compte_rendu.txt").write_text("réunion du COPIL", encoding="utf-8")
    (folder / "faux.xlsx").write_text("ID action;Intitulé\nENF-001;x\n", encoding="utf-8")
    other = write_territory(tmp_path / "t2", 2, plans)
    code, document = panorama(run, folder, other, "-o", tmp_path / "p.xlsx")
    assert code == 1
    found = codes(document)
    ignored, = found["fichier-ignore"]
    assert ignored["severity"] == "avertissement" and ignored["file"].endswith("compte_rendu.txt")
    unusable, = found["fichier-inutilisable"]
    assert unusable["severity"] == "erreur" and unusable["file"].endswith("faux.xlsx")
    assert [t["actions"] for t in document["territories"]] == [34, 34]
    assert [t["fichiers_inutilisables"] for t in document["territories"]] == [1, 0]


def test_lock_files_are_skipped_and_an_open_workbook_is_still_read(run, tmp_path, plans):
    folder = write_territory(tmp_path / "t1", 1, plans)
    (folder / "~$parentalite.xlsx").write_bytes(b"\x08Agent CTG" + b" " * 100)   # Excel's
    (folder / ".~lock.cohesion_sociale.xlsx#").write_text("Agent,poste,01.12.2026;",
                                                         encoding="utf-8")     # LibreOffice's
    code, document = panorama(run, folder, "-o", tmp_path / "p.xlsx")
    assert code == 0
    opened = codes(document)["classeur-ouvert"]
    assert sorted(Path(f["file"]).name for f in opened) == ["cohesion_sociale.xlsx",
                                                             "parentalite.xlsx"]
    assert all(f["severity"] == "avertissement" for f in opened)
    assert document["territories"][0]["actions"] == 34 and document["totals"]["files"] == 2


def test_a_workbook_of_an_unknown_template_version(run, tmp_path, plans):
    from openpyxl import load_workbook

    folder = write_territory(tmp_path / "t1", 1, plans)
    path = folder / "parentalite.xlsx"
    book = load_workbook(path)
    for row in book["_ctgxl"].iter_rows():
        if row[0].value == "Version du modèle":
            row[1].value = "9.0"
    book.save(path)
    code, document = panorama(run, folder, "-o", tmp_path / "p.xlsx")
    assert code == 1
    unusable, = codes(document)["fichier-inutilisable"]
    assert "9.0" in unusable["message"] and unusable["file"].endswith("parentalite.xlsx")
    assert document["territories"][0]["actions"] == 11      # cohésion sociale is counted
    files = sheet_rows(tmp_path / "p.xlsx", "Fichiers")
    assert any("inutilisable" in str(r[-1]) for r in files[1:])


def test_a_siren_whose_key_fails(run, tmp_path, plans):
    bad = siren(5)[:-1] + str((int(siren(5)[-1]) + 1) % 10)
    folder = write_territory(tmp_path / "t5", 5, plans, code=bad)
    other = write_territory(tmp_path / "t6", 6, plans)
    code, document = panorama(run, folder, other, "-o", tmp_path / "p.xlsx")
    assert code == 1
    invalid, = codes(document)["code-territoire-invalide"]
    assert invalid["severity"] == "erreur" and invalid["value"] == bad
    assert "clé de contrôle" in invalid["message"] and str(folder) in invalid["file"]
    assert [t["code_territoire"] for t in document["territories"]] == [bad, siren(6)]


def test_an_older_workbook_without_territory_is_named_by_its_folder(run, tmp_path, plans):
    from ctgxl.writer import write_plan

    folder = tmp_path / "Ville de Dax"
    folder.mkdir()
    plan = territory_plan(plans["parentalite"], 1)
    write_plan(plan.replace(meta=dataclasses.replace(plan.meta, territoire=None,
                                                     code_territoire=None)),
               folder / "parentalite.xlsx")
    code, document = panorama(run, folder, "-o", tmp_path / "p.xlsx")
    assert code == 0
    absent, = codes(document)["territoire-absent"]
    assert absent["severity"] == "avertissement"
    assert document["territories"][0]["territoire"] == "Ville de Dax"


def test_nothing_readable_writes_nothing(run, tmp_path):
    folder = tmp_path / "vide"
    folder.mkdir()
    (folder / "faux.xlsx").write_text("pas un classeur", encoding="utf-8")
    result = run("panorama", folder, tmp_path / "absent", "-o", tmp_path / "p.xlsx")
    assert result.exit_code == 2 and "aucun classeur lisible" in result.stderr
    assert not (tmp_path / "p.xlsx").exists() and no_temporaries(tmp_path)


def test_an_output_open_in_excel_is_refused_before_reading(run, tmp_path, plans):
    folder = write_territory(tmp_path / "t1", 1, plans)
    out = tmp_path / "p.xlsx"
    out.write_bytes(b"ancien")
    (tmp_path / "~$p.xlsx").write_bytes(b"verrou")
    result = run("panorama", folder, "-o", out, "--ecraser")
    assert result.exit_code == 2 and "ouvert" in result.stderr
    assert out.read_bytes() == b"ancien" and no_temporaries(tmp_path)


def test_a_failure_while_writing_leaves_no_file_and_no_folder(run, tmp_path, plans, monkeypatch):
    import ctgxl.panorama.package as package

    folder = write_territory(tmp_path / "t1", 1, plans)

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package, "_write_parquet", broken)
    result = run("panorama", folder, "-d", tmp_path / "ouvert", "--format", "parquet")
    assert result.exit_code == 2 and "disque plein" in result.stderr
    assert not (tmp_path / "ouvert").exists() and no_temporaries(tmp_path)
