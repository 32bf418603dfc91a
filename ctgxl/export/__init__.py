"""The plan as open data: a Frictionless Data Package, and back.

``export_plan(plan, folder, fmt)`` writes one file per table sheet (``actions``,
``offres``, ``plan``, ``indicateurs``, ``suivi``; ``.csv`` UTF-8 with a header row,
``.json`` arrays of objects, or ``.parquet``) and ``datapackage.json``: one resource per
file, each with a Table Schema derived from the catalogue — field names are the column
keys (``id_action``…), titles and descriptions the French headers and help; types
(``string``, ``integer``, ``number``); ``required`` for the columns the template
requires; ``enum`` from ``listes.toml`` for single-value lists; a primary key where
every key column is required (Actions, Offres, Indicateurs); foreign keys ID action →
Actions. Columns a service added are exported as strings under their header.

A column whose values do not all fit its type (a text in « Année début ») is exported as
``string`` and said so in ``notes``: the export keeps what the workbook holds, the
checks are ``ctgxl validate``'s job.

``read_package(path)`` reads such a package back into a ``Plan`` (``ctgxl import
datapackage.json``), equal to the exported one. The package carries the workbook's
thématique, service, template version and territory under the ``ctgxl`` property.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..catalogue import ACTIONS, SHEETS_BY_KEY, TABLE_SHEETS, Column, Sheet
from ..errors import UnusableInputError
from ..model import EXTRA_PREFIX, Meta, Plan, Table
from ..outputs import staged_folder
from ..values import encodable

FORMATS = ("csv", "json", "parquet", "ods")
DESCRIPTOR = "datapackage.json"
PROFILE = "tabular-data-package"
TYPES = {"text": "string", "int": "integer", "number": "number"}


@dataclass(frozen=True)
class Exported:
    written: tuple[Path, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Package:
    plan: Plan
    workbook_name: str      # the workbook it was exported from (« pilotage_2025.xlsx »)


# -- descriptor (pure) --------------------------------------------------------------------

def _conforms(column: Column, values: Sequence[object]) -> bool:
    if column.type == "int":
        return all(v is None or type(v) is int for v in values)
    if column.type == "number":
        return all(v is None or type(v) in (int, float) for v in values)
    return True


def field_type(column: Column, table: Table) -> str:
    kind = TYPES[column.type]
    if kind != "string" and not column.extra and not _conforms(column, table.column(column.key)):
        return "string"
    return kind


def field_name(column: Column) -> str:
    return column.header if column.extra else column.key


def table_schema(table: Table, vocabulary, multi_value_lists=frozenset()) -> dict:
    sheet = table.sheet
    fields = []
    for column in sheet.columns:
        kind = "string" if column.extra else field_type(column, table)
        spec: dict = {"name": field_name(column), "title": column.header, "type": kind}
        if column.extra:
            spec["description"] = "Colonne ajoutée par un service (hors modèle)."
        else:
            spec["description"] = column.help
        constraints: dict = {}
        if column.required:
            constraints["required"] = True
        if column.vocabulary and column.vocabulary not in multi_value_lists:
            constraints["enum"] = list(vocabulary.values(column.vocabulary))
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if all(sheet.column(k).required for k in sheet.key_columns):
        schema["primaryKey"] = list(sheet.key_columns)
    if sheet.key != ACTIONS.key and "id_action" in sheet.index:
        schema["foreignKeys"] = [{"fields": ["id_action"],
                                  "reference": {"resource": ACTIONS.key, "fields": ["id_action"]}}]
    return schema


def package_descriptor(plan: Plan, fmt: str, vocabulary, *, name: str, source: str | None,
                       multi_value_lists=frozenset()) -> dict:
    """``datapackage.json`` for ``plan`` exported as ``fmt`` (csv, json or parquet)."""
    from .. import __version__

    resources = []
    for table in plan.tables:
        sheet = table.sheet
        resource = {"name": sheet.key, "title": sheet.title, "path": f"{sheet.key}.{fmt}",
                    "profile": "tabular-data-resource", "format": fmt,
                    "schema": table_schema(table, vocabulary, multi_value_lists)}
        if fmt in ("csv", "json"):
            resource.update({"encoding": "utf-8", "mediatype":
                             "text/csv" if fmt == "csv" else "application/json"})
        if fmt == "csv":
            resource["dialect"] = {"delimiter": ",", "quoteChar": '"', "header": True}
        resources.append(resource)
    meta = plan.meta
    return {
        "profile": PROFILE, "name": name,
        "title": "Plan d'actions de la Convention Territoriale Globale"
                 + (f" — {meta.thematique}" if meta.thematique else ""),
        "description": "Plan d'actions CTG exporté par ctgxl : une table par feuille du "
                       "classeur (actions, offres, structure du plan, indicateurs, suivi "
                       "annuel), reliées par l'ID action.",
        "licenses": [{"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence 2.0",
                      "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"}],
        "resources": resources,
        "ctgxl": {"version": __version__, "source": source, "thematique": meta.thematique,
                  "service": meta.service, "template_version": meta.template_version,
                  "schema_version": meta.schema_version, "territoire": meta.territoire,
                  "code_territoire": meta.code_territoire},
    }


def package_name(text: str) -> str:
    """A Data Package name (lower case, digits, « - », « _ », « . »)."""
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9._-]+", "-", ascii_text.lower()).strip("-") or "plan-ctg"


# -- files (edges) ------------------------------------------------------------------------

def _cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind != "string":
        return repr(value) if type(value) is float else str(value)
    return str(value)


def _csv_bytes(table: Table, schema: dict) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    kinds = [f["type"] for f in schema["fields"]]
    writer.writerow([f["name"] for f in schema["fields"]])
    for row in table.rows:
        writer.writerow([_cell(v, k) for v, k in zip(row, kinds)])
    return encodable(out.getvalue()).encode("utf-8")


def _json_bytes(table: Table, schema: dict) -> bytes:
    names = [f["name"] for f in schema["fields"]]
    kinds = [f["type"] for f in schema["fields"]]
    records = [{n: (str(v) if k == "string" and v is not None else v)
                for n, v, k in zip(names, row, kinds)} for row in table.rows]
    return encodable(json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _parquet_bytes(table: Table, schema: dict) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64()}
    columns = {}
    for index, spec in enumerate(schema["fields"]):
        values = [row[index] for row in table.rows]
        if spec["type"] == "string":
            values = [None if v is None else encodable(str(v)) for v in values]
        elif spec["type"] == "number":
            values = [None if v is None else float(v) for v in values]
        columns[spec["name"]] = pa.array(values, type=arrow_types[spec["type"]])
    out = io.BytesIO()   # a file object: pyarrow cannot open a path that is not UTF-8
    pq.write_table(pa.table(columns) if columns else pa.table({}), out)
    return out.getvalue()


WRITERS = {"csv": _csv_bytes, "json": _json_bytes, "parquet": _parquet_bytes}


def export_plan(plan: Plan, folder: Path, fmt: str, vocabulary, *, name: str,
                source: str | None = None, multi_value_lists=frozenset()) -> Exported:
    """Write the tables of ``plan`` and their ``datapackage.json`` into ``folder``, all or
    nothing (``outputs.staged_folder``: a failure leaves no new file, and the files of an
    earlier export as they were)."""
    descriptor = package_descriptor(plan, fmt, vocabulary, name=name, source=source,
                                    multi_value_lists=multi_value_lists)
    files, notes = {}, []
    for table, resource in zip(plan.tables, descriptor["resources"], strict=True):
        schema = resource["schema"]
        for column, spec in zip(table.sheet.columns, schema["fields"]):
            if not column.extra and spec["type"] != TYPES[column.type]:
                notes.append(f"{table.sheet.name} : la colonne « {column.header} » contient des "
                             "valeurs qui ne sont pas des nombres ; elle est exportée comme "
                             "texte (ctgxl validate les signale).")
        files[resource["path"]] = (WRITERS[fmt], table, schema)
    text = encodable(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    with staged_folder(folder) as stage:
        for path, (write, table, schema) in files.items():
            (stage / path).write_bytes(write(table, schema))
        (stage / DESCRIPTOR).write_bytes(text.encode("utf-8"))
    written = [folder / path for path in files] + [folder / DESCRIPTOR]
    return Exported(tuple(written), tuple(notes))


def export_targets(folder: Path, fmt: str) -> list[Path]:
    """The files ``export_plan`` writes into ``folder``."""
    return [folder / f"{s.key}.{fmt}" for s in TABLE_SHEETS] + [folder / DESCRIPTOR]


# -- back -------------------------------------------------------------------------------------

def is_package(path: Path) -> bool:
    """``path`` names a data package: a datapackage.json, or a folder holding one."""
    return path.name == DESCRIPTOR or (path.is_dir() and (path / DESCRIPTOR).is_file())


def read_package(path: Path) -> Package:
    """The plan a ctgxl data package holds (``path``: datapackage.json or its folder)."""
    descriptor_path = path / DESCRIPTOR if path.is_dir() else path
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        resources = {r["name"]: r for r in descriptor["resources"]}
    except FileNotFoundError:
        raise UnusableInputError(path, "fichier introuvable") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise UnusableInputError(descriptor_path, "n'est pas un descripteur Data Package lisible "
                                                  "(datapackage.json)") from None
    folder = descriptor_path.parent
    tables = {}
    for key, sheet in SHEETS_BY_KEY.items():
        resource = resources.get(key)
        if resource is None:
            continue
        records = _records(folder / resource["path"], resource, sheet)
        tables[key] = records
    info = descriptor.get("ctgxl") or {}
    meta = Meta(thematique=info.get("thematique"), service=info.get("service"),
                template_version=info.get("template_version"),
                schema_version=info.get("schema_version"), territoire=info.get("territoire"),
                code_territoire=info.get("code_territoire"))
    name = Path(str(info.get("source") or f"{descriptor.get('name') or 'plan'}.xlsx")).name
    if not name.lower().endswith((".xlsx", ".xlsm")):
        name = f"{Path(name).stem}.xlsx"
    return Package(Plan.from_records(meta, **tables), name)


def _records(path: Path, resource: dict, sheet: Sheet) -> list[dict]:
    fields = resource.get("schema", {}).get("fields", [])
    kinds = {f["name"]: f.get("type", "string") for f in fields}
    known = set(sheet.keys)
    try:
        rows = _rows(path, resource.get("format") or path.suffix[1:])
    except FileNotFoundError:
        raise UnusableInputError(path, "fichier introuvable (cité par datapackage.json)") from None
    except (OSError, ValueError, csv.Error) as exc:
        raise UnusableInputError(path, f"table illisible ({type(exc).__name__})") from None
    out = []
    for row in rows:
        record = {}
        for name, value in row.items():
            key = name if name in known else EXTRA_PREFIX + name
            record[key] = _typed(value, kinds.get(name, "string"))
        out.append(record)
    return out


def _rows(path: Path, fmt: str) -> list[dict]:
    if fmt == "csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    if fmt == "json":
        return json.loads(path.read_text(encoding="utf-8"))
    if fmt == "parquet":
        import pyarrow.parquet as pq

        with open(path, "rb") as handle:   # pyarrow cannot open a path that is not UTF-8
            return pq.read_table(handle).to_pylist()
    raise ValueError(fmt)


def _typed(value, kind: str):
    if value is None or value == "":
        return None
    if kind == "string" or not isinstance(value, str):
        return value
    try:
        return int(value) if kind == "integer" else (
            int(value) if value.lstrip("-").isdigit() else float(value))
    except ValueError:
        return value


__all__ = ["DESCRIPTOR", "FORMATS", "Exported", "Package", "export_plan", "export_targets",
           "is_package", "package_descriptor", "package_name", "read_package"]
