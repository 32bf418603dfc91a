"""``ctgxl import DOSSIER/datapackage.json`` reads only the package: its own regular files,
within bounds, every malformed descriptor a French line and exit code 2, and no value
silently changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctgxl.export import export_plan, read_package
from ctgxl.export.reading import MAX_ROWS, MAX_TABLE_BYTES
from ctgxl.validation import load_rules
from workbooks import small_plan

RULES = load_rules()
ROOT = Path(__file__).resolve().parent.parent


def package(folder: Path, *, fmt: str = "csv") -> Path:
    """A real export of a small plan in ``folder``; returns its descriptor."""
    export_plan(small_plan(2), folder, fmt, RULES.vocabulary, name="p", source="enfance.xlsx",
                multi_value_lists=RULES.multi_value_lists)
    return folder / "datapackage.json"


def edit(descriptor: Path, change) -> Path:
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    change(data)
    descriptor.write_text(json.dumps(data), encoding="utf-8")
    return descriptor


def set_path(name: str, value):
    def change(data):
        for resource in data["resources"]:
            if resource["name"] == name:
                resource["path"] = value
    return change


def refused(run, source: Path, tmp_path: Path, *words: str):
    """The import of ``source`` fails with exit 2 and one French line holding ``words``,
    and writes nothing."""
    result = run("import", source, "-d", tmp_path / "sortie")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ctgxl : erreur : "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "sortie").exists()
    return lines[0]


# -- the package's own files, nothing else ---------------------------------------------------

def test_a_path_leaving_the_folder_is_refused(run, tmp_path):
    (tmp_path / "secret.csv").write_text("id_action\nSECRET\n", encoding="utf-8")
    descriptor = edit(package(tmp_path / "pkg"), set_path("actions", "../secret.csv"))
    refused(run, descriptor, tmp_path, "hors du dossier du paquet")


def test_an_absolute_path_is_refused(run, tmp_path):
    descriptor = edit(package(tmp_path / "pkg"), set_path("actions", "/etc/passwd"))
    refused(run, descriptor, tmp_path, "chemin absolu", "/etc/passwd")


def test_a_device_is_refused(run, tmp_path):
    descriptor = edit(package(tmp_path / "pkg"), set_path("actions", "/dev/zero"))
    refused(run, descriptor, tmp_path, "chemin absolu")
    (tmp_path / "pkg" / "actions.csv").unlink()
    (tmp_path / "pkg" / "actions.csv").symlink_to("/dev/zero")
    refused(run, package_descriptor_of(tmp_path / "pkg", "actions.csv"), tmp_path,
            "hors du dossier du paquet")


def package_descriptor_of(folder: Path, actions: str) -> Path:
    return edit(folder / "datapackage.json", set_path("actions", actions))


def test_a_link_leaving_the_folder_is_refused_and_one_staying_is_read(run, tmp_path):
    (tmp_path / "ailleurs.csv").write_text("id_action\nAILLEURS\n", encoding="utf-8")
    folder = tmp_path / "pkg"
    descriptor = package(folder)
    (folder / "actions.csv").rename(folder / "vraies_actions.csv")
    (folder / "actions.csv").symlink_to(tmp_path / "ailleurs.csv")
    refused(run, descriptor, tmp_path, "actions.csv", "hors du dossier du paquet")
    (folder / "actions.csv").unlink()
    (folder / "actions.csv").symlink_to("vraies_actions.csv")      # inside: fine
    assert read_package(descriptor).plan == small_plan(2)


def test_a_url_is_refused(run, tmp_path):
    descriptor = edit(package(tmp_path / "pkg"),
                      set_path("actions", "https://example.org/actions.csv"))
    refused(run, descriptor, tmp_path, "adresse web")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFO on this system")
@pytest.mark.parametrize("which", ["table", "descriptor"])
def test_a_fifo_is_refused_at_once(tmp_path, which):
    folder = tmp_path / "pkg"
    descriptor = package(folder)
    target = folder / ("actions.csv" if which == "table" else "datapackage.json")
    target.unlink()
    os.mkfifo(target)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "ctgxl", "import", str(descriptor), "-d",
                             str(tmp_path / "sortie")], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 2, result.stderr
    assert "n'est pas un fichier ordinaire" in result.stderr


def test_a_table_above_the_size_limit_is_refused_unread(run, tmp_path):
    folder = tmp_path / "pkg"
    descriptor = package(folder)
    with open(folder / "actions.csv", "r+b") as handle:     # sparse: nothing to read
        handle.truncate(MAX_TABLE_BYTES + 1)
    refused(run, descriptor, tmp_path, "actions.csv", "table trop grande", "512 Mo")


def test_a_table_above_the_row_limit_is_refused(run, tmp_path):
    folder = tmp_path / "pkg"
    descriptor = package(folder)
    with open(folder / "suivi.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write("id_action,annee\r\n")
        handle.write("ENF-001,2024\r\n" * (MAX_ROWS + 1))
    refused(run, descriptor, tmp_path, "suivi.csv", "plus de 500 000 lignes")


# -- malformed descriptors: exit 2, one French line ------------------------------------------

def _resource(data, name="actions"):
    return next(r for r in data["resources"] if r["name"] == name)


MALFORMED = {
    "not-json": lambda d: "{ « pas du json »",
    "not-an-object": lambda d: [1, 2],
    "nan-in-json": lambda d: '{"resources": [], "x": NaN}',
    "key-twice": lambda d: '{"resources": [], "resources": []}',
    "too-deep": lambda d: "[" * 100_000 + "]" * 100_000,
    "resources-not-a-list": lambda d: {**d, "resources": {"actions": "actions.csv"}},
    "resource-not-an-object": lambda d: {**d, "resources": ["actions.csv"]},
    "resource-without-name": lambda d: _set(d, "actions", name=None),
    "two-resources-one-name": lambda d: {**d, "resources": d["resources"] + d["resources"][:1]},
    "resource-without-path": lambda d: _set(d, "actions", path=None),
    "path-a-list": lambda d: _set(d, "actions", path=["actions.csv", "autres.csv"]),
    "path-a-number": lambda d: _set(d, "actions", path=12),
    "inline-data": lambda d: _set(d, "actions", data=[{"id_action": "X"}]),
    "unknown-format": lambda d: _set(d, "actions", format="xlsx"),
    "format-a-number": lambda d: _set(d, "actions", format=3),
    "unknown-encoding": lambda d: _set(d, "actions", encoding="klingon-8"),
    "encoding-not-text": lambda d: _set(d, "actions", encoding="zlib_codec"),
    "schema-a-string": lambda d: _set(d, "actions", schema="schema.json"),
    "fields-not-a-list": lambda d: _set(d, "actions", schema={"fields": {"id_action": {}}}),
    "field-not-an-object": lambda d: _set(d, "actions", schema={"fields": ["id_action"]}),
    "field-without-name": lambda d: _set(d, "actions", schema={"fields": [{"type": "string"}]}),
    "two-fields-one-name": lambda d: _set(d, "actions", schema={"fields": [
        {"name": "id_action"}, {"name": "id_action"}]}),
    "field-type-a-list": lambda d: _set(d, "actions", schema={"fields": [
        {"name": "id_action", "type": ["string"]}]}),
    "decimal-char-a-digit": lambda d: _set(d, "actions", schema={"fields": [
        {"name": "id_action", "decimalChar": "5"}]}),
    "missing-values-not-a-list": lambda d: _set(d, "actions", schema={"missingValues": ""}),
    "dialect-a-string": lambda d: _set(d, "actions", dialect="excel"),
    "delimiter-a-number": lambda d: _set(d, "actions", dialect={"delimiter": 44}),
    "delimiter-two-chars": lambda d: _set(d, "actions", dialect={"delimiter": ";;"}),
    "no-header-row": lambda d: _set(d, "actions", dialect={"header": False}),
    "double-quote-a-string": lambda d: _set(d, "actions", dialect={"doubleQuote": "yes"}),
    "ctgxl-not-an-object": lambda d: {**d, "ctgxl": "1.0"},
    "thematique-a-number": lambda d: {**d, "ctgxl": {**d["ctgxl"], "thematique": 12}},
    "source-a-list": lambda d: {**d, "ctgxl": {**d["ctgxl"], "source": ["a.xlsx"]}},
    "name-a-number": lambda d: {**d, "name": 7},
    "no-table-of-the-plan": lambda d: {**d, "resources": [{"name": "autre", "path": "x.csv"}]},
}


def _set(descriptor, resource_name, **changes):
    resource = _resource(descriptor, resource_name)
    for key, value in changes.items():
        if value is None:
            resource.pop(key, None)
        else:
            resource[key] = value
    return descriptor


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_descriptor_gives_one_french_line(run, tmp_path, case):
    descriptor = package(tmp_path / "pkg")
    data = MALFORMED[case](json.loads(descriptor.read_text(encoding="utf-8")))
    descriptor.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    line = refused(run, descriptor, tmp_path, "datapackage.json")
    assert line.isprintable()


MALFORMED_TABLES = {
    "empty-csv": ("actions.csv", b"", "table vide"),
    "more-values-than-headers": ("actions.csv", b"id_action,intitule\r\nENF-001,a,b\r\n",
                                 "3 valeurs pour 2 en-têtes"),
    "values-without-header": ("actions.csv", b"id_action,\r\nENF-001,orpheline\r\n",
                              "pas d'en-tête"),
    "not-utf8": ("actions.csv", "id_action,intitule\r\nENF-001,Été\r\n".encode("cp1252"),
                 "n'est pas du texte utf-8"),
    "unclosed-quote": ("actions.csv", b'id_action,intitule\r\nENF-001,"a\r\n', "CSV illisible"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_TABLES))
def test_a_malformed_table_gives_one_french_line(run, tmp_path, case):
    name, data, words = MALFORMED_TABLES[case]
    descriptor = package(tmp_path / "pkg")
    (tmp_path / "pkg" / name).write_bytes(data)
    refused(run, descriptor, tmp_path, name, words)


@pytest.mark.parametrize("data, words", [
    (b'{"id_action": "ENF-001"}', "liste d'objets"),
    (b'[["id_action"], ["ENF-001"]]', "liste d'objets"),
    (b'[{"id_action": "ENF-001", "intitule": {"fr": "x"}}]', "valeur composée"),
    (b'[{"id_action": "ENF-001", "cible": NaN}]', "NaN n'est pas une valeur JSON"),
    (b'[{"id_action": "ENF-001", "id_action": "ENF-002"}]', "clé « id_action » en double"),
])
def test_a_malformed_json_table_gives_one_french_line(run, tmp_path, data, words):
    descriptor = package(tmp_path / "pkg", fmt="json")
    (tmp_path / "pkg" / "actions.json").write_bytes(data)
    refused(run, descriptor, tmp_path, "actions.json", words)


def test_a_broken_parquet_table_gives_one_french_line(run, tmp_path):
    descriptor = package(tmp_path / "pkg", fmt="parquet")
    (tmp_path / "pkg" / "actions.parquet").write_bytes(b"PAR1 pas vraiment du parquet PAR1")
    refused(run, descriptor, tmp_path, "actions.parquet", "Parquet illisible")


# -- no silent change of values -------------------------------------------------------------

def test_duplicate_headers_are_refused(run, tmp_path):
    descriptor = package(tmp_path / "pkg")
    (tmp_path / "pkg" / "actions.csv").write_text(
        "id_action,porteur,porteur\r\nENF-001,CCAS,Mairie\r\n", encoding="utf-8")
    refused(run, descriptor, tmp_path, "deux colonnes pour « porteur »")
    (tmp_path / "pkg" / "actions.csv").write_text(      # key and French header: one column
        "id_action,porteur,Porteur(s) de projet\r\nENF-001,CCAS,Mairie\r\n", encoding="utf-8")
    refused(run, descriptor, tmp_path, "deux colonnes pour « Porteur(s) de projet »")


def test_ids_and_codes_stay_text_whatever_the_schema_says(tmp_path):
    descriptor = package(tmp_path / "pkg")

    def lie(data):      # a schema typing every field of actions as an integer
        for spec in _resource(data)["schema"]["fields"]:
            spec["type"] = "integer"
    edit(descriptor, lie)
    (tmp_path / "pkg" / "actions.csv").write_text(
        "id_action,thematique,axe,objectif,numero,intitule,annee_debut\r\n"
        "00012,Enfance,01,1.10,007,Accueil,2024\r\n"
        "007,Enfance,2,2,1,Loisirs,\r\n", encoding="utf-8")
    rows = read_package(descriptor).plan.actions.records()
    assert [r["id_action"] for r in rows] == ["00012", "007"]
    assert (rows[0]["axe"], rows[0]["objectif"], rows[0]["numero"]) == ("01", "1.10", "007")
    assert rows[0]["annee_debut"] == 2024 and rows[1]["annee_debut"] is None


def test_nan_is_never_a_value(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    descriptor = package(tmp_path / "pkg", fmt="parquet")
    pq.write_table(pa.table({"id_action": ["ENF-001", "ENF-002"], "intitule": ["A", "B"],
                             "commentaire": [float("nan"), 1.5]}),
                   tmp_path / "pkg" / "actions.parquet")
    pq.write_table(pa.table({"id_action": ["ENF-001"], "numero_indicateur": [1],
                             "libelle": ["Taux"], "cible": [float("nan")],
                             "reference": [float("inf")]}),
                   tmp_path / "pkg" / "indicateurs.parquet")
    plan = read_package(descriptor).plan
    assert [r["commentaire"] for r in plan.actions.records()] == [None, "1.5"]
    indicator = plan.indicateurs.records()[0]
    assert indicator["cible"] is None and indicator["reference"] is None
    csv_descriptor = package(tmp_path / "csv")
    (tmp_path / "csv" / "indicateurs.csv").write_text(
        "id_action,numero_indicateur,libelle,cible,reference\r\nENF-001,1,Taux,NaN,\r\n",
        encoding="utf-8")
    indicator = read_package(csv_descriptor).plan.indicateurs.records()[0]
    assert indicator["cible"] == "NaN" and indicator["reference"] is None   # as written


@pytest.mark.parametrize("table", ["actions", "offres", "indicateurs", "suivi"])
def test_a_table_without_id_action_is_refused(run, tmp_path, table):
    descriptor = package(tmp_path / "pkg")
    (tmp_path / "pkg" / f"{table}.csv").write_text("intitule,annee\r\nSans identifiant,2024\r\n",
                                                    encoding="utf-8")
    refused(run, descriptor, tmp_path, f"{table}.csv", "pas de colonne id_action")


def test_the_workbook_name_never_leaves_the_output_folder(run, tmp_path):
    descriptor = edit(package(tmp_path / "pkg"),
                      lambda d: d["ctgxl"].update(source="../../ailleurs/pilotage.xlsx"))
    result = run("import", descriptor, "-d", tmp_path / "sortie")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "sortie").iterdir()] == ["pilotage.xlsx"]


def test_numbers_of_thousands_of_digits_are_no_trouble(run, tmp_path):
    descriptor = package(tmp_path / "pkg")
    (tmp_path / "pkg" / "actions.csv").write_text(
        f"id_action,annee_debut\r\nENF-001,{'9' * 5000}\r\n", encoding="utf-8")
    assert read_package(descriptor).plan.actions.records()[0]["annee_debut"] == "9" * 5000
    json_descriptor = package(tmp_path / "json", fmt="json")
    (tmp_path / "json" / "actions.json").write_text(
        f'[{{"id_action": "ENF-001", "annee_debut": {"9" * 5000}}}]', encoding="utf-8")
    refused(run, json_descriptor, tmp_path, "actions.json", "nombre trop long")
