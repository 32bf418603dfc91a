"""The panorama as open data: a Frictionless Data Package, like ``ctgxl export``'s.

Tables: ``territoires`` (one row per territory), ``thematiques`` (territory ×
thématique), ``statuts`` (territory × thématique × statut), ``actions`` (every action,
key: code_territoire + id_action), ``fichiers``, ``constats``; each a ``.csv`` (UTF-8,
header row) or ``.parquet``, described in ``datapackage.json`` (types, French titles,
descriptions; foreign key code_territoire → territoires). Written all or nothing into
the folder (``outputs.staged_folder``), the actions streamed from the spool: a national
panorama never holds them in memory. DuckDB reads them as they are::

    SELECT territoire, count(*) FROM 'actions.parquet' GROUP BY ALL;
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..export import DESCRIPTOR, package_name
from ..export.descriptor import PROFILE
from ..wording import plural
from ..outputs import staged_folder
from ..values import encodable
from .pipeline import Panorama
from .tables import (ACTION_FIELDS, FILE_FIELDS, FINDING_FIELDS, LONG_THEME_FIELDS,
                     STATUT_FIELDS, Field, file_rows, finding_rows, long_theme_rows, statut_rows,
                     territory_fields, territory_rows)

FORMATS = ("csv", "parquet")
PARQUET_BATCH = 50_000
NAMES = ("territoires", "thematiques", "statuts", "actions", "fichiers", "constats")
TITLES = {
    "territoires": "Territoires : une ligne par territoire",
    "thematiques": "Actions par territoire et par thématique",
    "statuts": "Actions par territoire, thématique et statut",
    "actions": "Actions de tous les territoires (clé : code du territoire et ID action)",
    "fichiers": "Classeurs lus et résultat de leur contrôle",
    "constats": "Ce qui n'a pas pu être compté tel quel",
}


def package_targets(folder: Path, fmt: str) -> list[Path]:
    return [folder / f"{name}.{fmt}" for name in NAMES] + [folder / DESCRIPTOR]


def write_package(panorama: Panorama, folder: Path, fmt: str) -> list[Path]:
    """Write every table and ``datapackage.json`` into ``folder``, all or nothing."""
    tables = {
        "territoires": (territory_fields(panorama), territory_rows(panorama)),
        "thematiques": (LONG_THEME_FIELDS, long_theme_rows(panorama)),
        "statuts": (STATUT_FIELDS, statut_rows(panorama)),
        "actions": (ACTION_FIELDS, panorama.spool.rows()),
        "fichiers": (FILE_FIELDS, file_rows(panorama)),
        "constats": (FINDING_FIELDS, finding_rows(panorama)),
    }
    write = _write_csv if fmt == "csv" else _write_parquet
    with staged_folder(folder) as stage:
        for name, (fields, rows) in tables.items():
            write(stage / f"{name}.{fmt}", fields, rows)
        descriptor = _descriptor(panorama, {n: f for n, (f, _) in tables.items()}, fmt)
        text = encodable(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
        (stage / DESCRIPTOR).write_bytes(text.encode("utf-8"))
    return package_targets(folder, fmt)


def _descriptor(panorama: Panorama, tables: dict[str, Sequence[Field]], fmt: str) -> dict:
    from .. import __version__

    resources = []
    for name, fields in tables.items():
        schema: dict = {"fields": [_field(f) for f in fields], "missingValues": [""]}
        if name == "territoires":
            schema["primaryKey"] = ["territoire", "code_territoire"]
        elif name in ("thematiques", "statuts", "actions"):
            schema["foreignKeys"] = [{"fields": ["territoire", "code_territoire"],
                                      "reference": {"resource": "territoires",
                                                    "fields": ["territoire",
                                                               "code_territoire"]}}]
        resource = {"name": name, "title": TITLES[name], "path": f"{name}.{fmt}",
                    "profile": "tabular-data-resource", "format": fmt, "schema": schema}
        if fmt == "csv":
            resource.update({"encoding": "utf-8", "mediatype": "text/csv",
                             "dialect": {"delimiter": ",", "quoteChar": '"', "header": True}})
        resources.append(resource)
    return {
        "profile": PROFILE, "name": package_name(f"panorama-ctg-{panorama.generated}"),
        "title": "Panorama des Conventions Territoriales Globales",
        "description": f"Plans d'actions lus par ctgxl le {panorama.generated:%d/%m/%Y} "
                       f"({plural(len(panorama.territories), 'territoire')}) : une action s'identifie par "
                       "le code du territoire et son ID action.",
        "licenses": [{"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence 2.0",
                      "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"}],
        "resources": resources,
        "ctgxl": {"version": __version__, "generated": panorama.generated.isoformat(),
                  "territoires": len(panorama.territories), "actions": panorama.spool.count},
    }


def _field(field: Field) -> dict:
    spec = {"name": field.name, "title": field.title, "type": field.kind}
    if field.help:
        spec["description"] = field.help
    return spec


def _text(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number" and isinstance(value, float):
        return repr(value)
    return encodable(str(value))


def _write_csv(path: Path, fields: Sequence[Field], rows: Iterable[tuple]) -> None:
    kinds = [f.kind for f in fields]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([f.name for f in fields])
        writer.writerows([_text(v, k) for v, k in zip(row, kinds)] for row in rows)


def _write_parquet(path: Path, fields: Sequence[Field], rows: Iterable[tuple]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
             "boolean": pa.bool_()}
    schema = pa.schema([(f.name, types[f.kind]) for f in fields])

    def batch(block: list[tuple]):
        columns = list(zip(*block)) if block else [[] for _ in fields]
        arrays = []
        for f, values in zip(fields, columns):
            if f.kind == "string":
                values = [None if v is None else encodable(str(v)) for v in values]
            elif f.kind == "number":
                values = [None if v is None else float(v) for v in values]
            arrays.append(pa.array(values, type=types[f.kind]))
        return pa.record_batch(arrays, schema=schema)

    with open(path, "wb") as handle, pq.ParquetWriter(handle, schema) as writer:
        block: list[tuple] = []
        for row in rows:
            block.append(row)
            if len(block) == PARQUET_BATCH:
                writer.write_batch(batch(block))
                block = []
        if block:
            writer.write_batch(batch(block))
