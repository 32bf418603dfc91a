"""Workbooks as LibreOffice Calc and Excel-style writers leave them (``tests/fixtures/office/``).

Each fixture is an example of ``examples/`` after one edit a service agent makes in Calc
(rows deleted, a column added, a header renamed, cells merged…; made by
``tools/make_office_fixtures.py``, saved as .xlsx and .ods) or after an Excel-style writer's
habit (styled empty rows down to row 1,048,576, ``dimension`` to XFD1048576…;
``tools/make_writer_fixtures.py``). ``manifest.json`` says, for each one, what was done in
machine form. For every file: ``validate`` never refuses it, every row is read, ``diff``
against the file it was made from shows exactly the edit and nothing else, ``consolidate``
takes it. A renamed or deleted canonical column is an erreur.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, SOFFICE

from ctgxl.catalogue import SHEETS_BY_KEY
from ctgxl.reader import read_plan

FIXTURES = ROOT / "tests" / "fixtures" / "office"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
ENTRIES = {e["name"]: e for e in MANIFEST["fixtures"]}
CANONICAL_HEADERS = {c.header for c in SHEETS_BY_KEY["actions"].columns}
SMALL_EXAMPLES = [ROOT / "examples" / f"{n}.xlsx" for n in ("cohesion_sociale", "parentalite")]

# What ctgxl does not do yet (issue 25), by file and check. The reader, the sniffing guard
# and the rule for renamed headers and merged cells are being changed: remove a file's marks
# as each case passes (the marks are strict: a case that starts passing fails the suite).
ROWS_GUARD = ("exit 2 : « la feuille « Actions » a des cellules au-delà de la ligne 500 000 » "
              "— empty styled <row> elements counted as content (sniff guard)")
ID_RENAMED = ("exit 2 : « colonne « ID action » introuvable » — a renamed ID column refuses "
              "the workbook instead of an erreur « colonne-renommee »")
KNOWN_FAILURES: dict[str, dict[str, str]] = {
}


def fixture_files(check: str, select=lambda entry: True) -> list:
    """pytest params (entry, file name) for ``check``, with the known failures marked."""
    params = []
    for entry in MANIFEST["fixtures"]:
        if not select(entry):
            continue
        for name in entry["files"]:
            reason = KNOWN_FAILURES.get(name, {}).get(check)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(entry, name, id=name, marks=marks))
    return params


def test_the_manifest_describes_every_committed_fixture():
    listed = {name for e in MANIFEST["fixtures"] for name in e["files"]}
    on_disk = {p.name for p in FIXTURES.iterdir() if p.suffix in (".xlsx", ".ods")}
    assert listed == on_disk
    assert MANIFEST["libreoffice"]
    for entry in MANIFEST["fixtures"]:
        assert (ROOT / entry["base"]).is_file() and (ROOT / entry["source"]).is_file()


# -- never refused, every row read -------------------------------------------------------------
@pytest.mark.parametrize(("entry", "name"), fixture_files("validate"))
def test_validate_never_refuses_it(run, entry, name):
    result = run("validate", FIXTURES / name)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("entry", "name"), fixture_files("rows"))
def test_every_remaining_row_is_read(entry, name):
    plan = read_plan(FIXTURES / name)
    assert plan.actions.column("id_action") == entry["expect"]["ids"]


# -- diff shows exactly the edit -----------------------------------------------------------
def _key(sheet: str, key) -> tuple:
    columns = SHEETS_BY_KEY[sheet].key_columns
    return tuple(key[c] for c in columns) if isinstance(key, dict) else tuple(key)


def expected_diff(edit: dict) -> dict:
    """What ``ctgxl diff BASE FIXTURE --format json`` must report, in comparable form."""
    renamed = edit["renamed_header"]
    # a renamed column stays an added column (colonne-renommee says so), except the ID
    # action: the key of every row is read from the column recognised as it
    moved_to = (f"+{renamed['to']}" if renamed and not renamed["synonym"]
                and renamed["from"] != "ID action" else None)
    added = set(edit["inserted_ids"]) | set(edit["duplicated_ids"])
    changes, values = set(), {}
    for item in edit["changed"]:
        key = _key(item["sheet"], item["key"])
        column = moved_to if moved_to and item["column"] == renamed["column"] else item["column"]
        if item["sheet"] == "actions" and key[0] in edit["inserted_ids"]:
            values.setdefault(key[0], {})[column] = item["value"]
        else:
            changes.add((item["sheet"], key, column, json.dumps(item["value"])))
    columns_added = list(edit["added_columns"]) + ([renamed["to"]] if moved_to else [])
    deleted = edit["deleted_column"]  # a deleted added column shows, a canonical one does not
    columns_removed = [deleted] if deleted and deleted not in CANONICAL_HEADERS else []
    columns = ({"actions": {"added": columns_added, "removed": columns_removed}}
               if columns_added or columns_removed else {})
    return {"removed": {("actions", (i,)) for i in edit["deleted_ids"]},
            "added": {("actions", (i,)) for i in added}, "changes": changes, "values": values,
            "columns": columns,
            "duplicates": {(i,): (1, 2) for i in edit["duplicated_ids"]}}


def actual_diff(document: dict) -> dict:
    """The same form, from the JSON document (``values``: non-empty fields of added rows)."""
    removed, added, changes, values = set(), set(), set(), {}
    for sheet, rows in document["tables"].items():
        for row in rows:
            key = _key(sheet, row["key"])
            if row["kind"] == "supprimee":
                removed.add((sheet, key))
            elif row["kind"] == "ajoutee":
                added.add((sheet, key))
                values[key[0]] = {k: v for k, v in row["values"].items() if v is not None}
            else:
                changes |= {(sheet, key, c["column"], json.dumps(c["new"])) for c in row["changes"]}
    duplicates = {_key("actions", d["key"]): (d["old"], d["new"])
                  for d in document["duplicates"].get("actions", [])}
    return {"removed": removed, "added": added, "changes": changes, "values": values,
            "columns": document["columns"], "duplicates": duplicates}


@pytest.mark.parametrize(("entry", "name"), fixture_files("diff"))
def test_diff_against_the_original_shows_exactly_the_edit(run, entry, name):
    result = run("diff", ROOT / entry["base"], FIXTURES / name, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    expected, actual = expected_diff(entry["edit"]), actual_diff(document)
    inserted = set(entry["edit"]["inserted_ids"])
    actual["values"] = {k: v for k, v in actual["values"].items() if k in inserted}
    assert actual == expected
    assert document["meta"] == []
    assert document["identical"] is (result.exit_code == 0)


def test_deleting_the_added_column_gives_back_the_example(run):
    entry = ENTRIES["petite_enfance_colonne_quartier_supprimee"]
    for name in entry["files"]:
        result = run("diff", ROOT / entry["source"], FIXTURES / name)
        assert result.exit_code == 0, result.output


# -- consolidate takes it --------------------------------------------------------------------
@pytest.mark.parametrize(("entry", "name"), fixture_files("consolidate"))
def test_consolidate_takes_it_with_another_service(run, tmp_path, entry, name):
    """As the README does (``--forcer``: the examples carry the plan's real errors), with
    one other service's example (all four cost 1 s more per file, for no other path)."""
    other = next(p for p in SMALL_EXAMPLES if p.name != Path(entry["source"]).name)
    master = tmp_path / "pilotage.xlsx"
    result = run("consolidate", FIXTURES / name, other, "-o", master, "--forcer")
    assert result.exit_code in (0, 1), result.output
    prefix = entry["expect"]["ids"][0].split("-")[0] + "-"
    ids = [i for i in read_plan(master).actions.column("id_action") if i.startswith(prefix)]
    assert Counter(ids) == Counter(entry["expect"]["ids"])


# -- a renamed or deleted canonical column is an erreur ---------------------------------------
def _findings(run, path: Path) -> list[dict]:
    result = run("validate", "--format", "json", path)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["files"][0]["findings"]


def _renamed(entry: dict) -> bool:
    """A canonical header replaced by one that is not among its synonyms."""
    renamed = entry["edit"]["renamed_header"]
    return bool(renamed) and not renamed["synonym"]


@pytest.mark.parametrize(("entry", "name"), fixture_files("renamed", _renamed))
def test_a_renamed_canonical_header_is_an_erreur_naming_both(run, entry, name):
    renamed = entry["edit"]["renamed_header"]
    findings = [f for f in _findings(run, FIXTURES / name) if f["code"] == "colonne-renommee"]
    assert any(f["severity"] == "erreur" and f"« {renamed['from']} »" in f["message"]
               and f"« {renamed['to']} »" in f["message"] for f in findings), findings


@pytest.mark.parametrize(("entry", "name"), fixture_files(
    "deleted", lambda e: e["edit"]["deleted_column"] == "Statut"))
def test_a_deleted_statut_column_is_an_erreur(run, entry, name):
    findings = _findings(run, FIXTURES / name)
    assert any(f["code"] == "colonne-necessaire-absente" and f["severity"] == "erreur"
               and "« Statut »" in f["message"] for f in findings), findings


@pytest.mark.parametrize(("entry", "name"), fixture_files(
    "merged", lambda e: any(v for v in e["stored"].get("xlsx", {}).values())
    and e["edit"]["merged"] and e["edit"]["changed"]))
def test_a_value_kept_under_a_merge_is_reported_never_used(run, entry, name):
    """« Garder le contenu des cellules masquées »: the value is still in the file, under the
    merged cell; the rule is to read the top-left value only and report the hidden one."""
    (hidden,) = entry["stored"]["xlsx"].values()
    findings = _findings(run, FIXTURES / name)
    assert any(hidden in (str(f.get("value") or "") + f["message"]) for f in findings), findings


# -- the corpus holds the habits it is for ------------------------------------------------------
def _sheet_xml(name: str) -> str:
    with zipfile.ZipFile(FIXTURES / name) as book:
        return book.read("xl/worksheets/sheet2.xml").decode("utf-8")


def test_the_fixtures_hold_what_calc_and_excel_write():
    # Calc « Supprimer des lignes »: as many empty rows at the very end as rows deleted
    deleted = _sheet_xml("jeunesse_supprimer_3_lignes.xlsx")
    assert '<dimension ref="A1:V1048576"/>' in deleted
    tail = re.findall(r'<row r="(\d+)"[^>]*>(.*?)</row>', deleted, re.S)[-3:]
    assert [(int(r), body) for r, body in tail] == [(1048574, ""), (1048575, ""), (1048576, "")]
    # Calc « Supprimer des colonnes »: <cols> to the last column of the sheet
    assert 'max="16384"' in _sheet_xml("jeunesse_supprimer_colonne_statut.xlsx")
    # Print_Titles written columns first (styles.py), as Calc re-saves them: one per sheet
    with zipfile.ZipFile(FIXTURES / "jeunesse_supprimer_3_lignes.xlsx") as book:
        workbook = book.read("xl/workbook.xml").decode("utf-8")
    titles = re.findall(r'localSheetId="1" name="_xlnm.Print_Titles"[^>]*>([^<]+)<', workbook)
    assert titles == ["Actions!$A:$A,Actions!$1:$1"]
    # the Excel-style writers' habits
    assert '<dimension ref="A1:XFD1048576"/>' in _sheet_xml("jeunesse_excel_dimension_xfd.xlsx")
    assert '<col min="23" max="16384"' in _sheet_xml("petite_enfance_excel_cols_xfd.xlsx")
    assert ENTRIES["enfance_excel_lignes_vides_stylees"]["xlsx_facts"]["last_row_element"] \
        == 1_048_576
    assert 't="inlineStr"' in _sheet_xml("parentalite_xlsxwriter_constant_memory.xlsx")
    for entry in MANIFEST["fixtures"]:
        for name in entry["files"]:
            assert (FIXTURES / name).stat().st_size < 3_000_000, name


# -- the script still makes them ----------------------------------------------------------------
def _system_uno() -> bool:
    python = Path("/usr/bin/python3")
    return python.exists() and subprocess.run(
        [str(python), "-c", "import uno"], capture_output=True).returncode == 0


@pytest.mark.soffice
@pytest.mark.skipif(not SOFFICE or not _system_uno(), reason="LibreOffice ou python3-uno absent")
def test_the_script_makes_a_case_again(tmp_path):
    name = "enfance_copier_2_lignes"
    result = subprocess.run(
        ["/usr/bin/python3", str(ROOT / "tools" / "make_office_fixtures.py"), "--cas", name,
         "--dossier", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    made = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = made["fixtures"]
    assert entry["edit"] == ENTRIES[name]["edit"]
    for suffix in (".xlsx", ".ods"):
        assert read_plan(tmp_path / f"{name}{suffix}").actions.column("id_action") \
            == ENTRIES[name]["expect"]["ids"]
    assert not list(tmp_path.glob(".~lock*"))
