"""The plan as open data: a Frictionless Data Package, and back.

``export_plan(plan, folder, fmt)`` writes one file per table sheet (``actions``,
``offres``, ``plan``, ``indicateurs``, ``suivi``; ``.csv`` with a header row in one of two
flavours (``flavours``), ``.json`` arrays of objects, or ``.parquet``) and
``datapackage.json``: one resource per file, each with a Table Schema derived from the
catalogue and from the rows (``descriptor``) — field names are the column keys
(``id_action``…; the French headers in the office CSV), titles and descriptions the French
headers and help; types (``string``, ``integer``, ``number``); ``required`` for the columns
the template requires; ``enum`` from ``listes.toml`` for single-value lists; a primary key
where every key column is required (Actions, Offres, Indicateurs); foreign keys ID action →
Actions. Columns a service added are exported as strings under their header. A constraint
the rows break is not declared (a note says so), and rows whose ID action is in no action go
to their own resource: every package ctgxl writes is valid.

``read_package(path)`` reads such a package back into a ``Plan`` (``ctgxl import
datapackage.json``), equal to the exported one; it reads nothing but the package's own
regular files (``reading``). The package carries the workbook's thématique, service,
template version and territory under the ``ctgxl`` property.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue import TABLE_SHEETS
from ..model import Plan
from ..outputs import staged_folder
from ..values import encodable
from . import tables
from .descriptor import (ORPHANS_SUFFIX, package_descriptor, package_name, parts_of,
                         orphans_note, resource_title, table_schema)
from .flavours import FLAVOURS, OFFICE, OPEN_DATA, dialect
from .reading import DESCRIPTOR, Package, is_package, read_package

FORMATS = ("csv", "json", "parquet", "ods", "tet")
DATA_FORMATS = ("csv", "json", "parquet")
WRITERS = tables.WRITERS


@dataclass(frozen=True)
class Exported:
    written: tuple[Path, ...]
    notes: tuple[str, ...] = ()
    neutralised: int = 0                                   # office CSV: cells prefixed « ' »
    orphans: dict[str, int] = field(default_factory=dict)  # sheet key -> rows written apart


def export_plan(plan: Plan, folder: Path, fmt: str, vocabulary, *, name: str,
                source: str | None = None, multi_value_lists=frozenset(),
                flavour: str = OPEN_DATA) -> Exported:
    """Write the tables of ``plan`` and their ``datapackage.json`` into ``folder``, all or
    nothing (``outputs.staged_folder``: a failure leaves no new file, and the files of an
    earlier export as they were). An orphans file of an earlier export that this one does
    not write is removed in the same step."""
    if fmt != "csv":
        flavour = OPEN_DATA
    files, resources, notes, orphans = {}, [], [], {}
    for part in parts_of(plan):
        path = f"{part.name}.{fmt}"
        built = table_schema(part, vocabulary, multi_value_lists, flavour)
        if part.orphans:
            orphans[part.sheet.key] = len(part.rows)
            notes.append(orphans_note(part, path))
        notes.extend(built.notes)
        resource = {"name": part.name, "title": resource_title(part), "path": path,
                    "profile": "tabular-data-resource", "format": fmt,
                    "schema": built.schema}
        if fmt in ("csv", "json"):
            resource.update({"encoding": "utf-8", "mediatype":
                             "text/csv" if fmt == "csv" else "application/json"})
        if fmt == "csv":
            resource["dialect"] = dialect(flavour)
        resources.append(resource)
        files[path] = (part, built.schema)
    descriptor = package_descriptor(plan, resources, name=name, source=source)
    if fmt == "csv":
        descriptor["ctgxl"]["csv"] = flavour
    text = encodable(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    stale = [p.name for p in orphan_targets(folder, fmt) if p.name not in files]
    neutral = 0
    with staged_folder(folder, remove=stale) as stage:
        for path, (part, schema) in files.items():
            out = WRITERS[fmt](part.rows, schema, flavour, part.ranks)
            neutral += out.neutralised
            (stage / path).write_bytes(out.data)
        (stage / DESCRIPTOR).write_bytes(text.encode("utf-8"))
    written = [folder / path for path in files] + [folder / DESCRIPTOR]
    return Exported(tuple(written), tuple(notes), neutral, orphans)


def orphan_targets(folder: Path, fmt: str) -> list[Path]:
    """The orphans files an export into ``folder`` may write (or remove)."""
    from .descriptor import linked

    return [folder / f"{s.key}{ORPHANS_SUFFIX}.{fmt}" for s in TABLE_SHEETS if linked(s)]


def export_targets(folder: Path, fmt: str) -> list[Path]:
    """The files ``export_plan`` writes or replaces in ``folder``."""
    return ([folder / f"{s.key}.{fmt}" for s in TABLE_SHEETS] + orphan_targets(folder, fmt)
            + [folder / DESCRIPTOR])


__all__ = ["DATA_FORMATS", "DESCRIPTOR", "FLAVOURS", "FORMATS", "OFFICE", "OPEN_DATA",
           "Exported", "Package", "export_plan", "export_targets", "is_package",
           "package_name", "read_package"]
