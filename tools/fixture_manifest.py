"""The manifest of ``tests/fixtures/office/``: one entry per fixture, shared by the two
scripts that make them (``make_office_fixtures.py`` with LibreOffice,
``make_writer_fixtures.py`` with Excel-style writers). Standard library only."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "office"
MANIFEST = "manifest.json"
SCHEMA = "ctgxl-office-fixtures/1"

# The machine form of an edit, every key always present (empty when not used).
EDIT_KEYS = {
    "deleted_ids": list,        # actions whose rows were deleted
    "inserted_ids": list,       # actions added (new rows)
    "duplicated_ids": list,     # actions whose rows were copied with their ID
    "changed": list,            # {sheet, key, column, value}: a field's new value
    "added_columns": list,      # headers of columns added to « Actions »
    "deleted_column": None,     # header of a column deleted from « Actions »
    "renamed_header": None,     # {from, to, column, synonym}
    "merged": list,             # merged ranges of « Actions » (A1 references)
    "hidden_rows": list,        # rows hidden (row numbers of « Actions »)
    "filter": None,             # autofilter state of the header row
    "formatted_columns": list,  # whole columns formatted (letters)
    "sorted_by": None,          # column key the rows were sorted by
}


def blank_edit(**values) -> dict:
    edit = {k: (kind() if kind else None) for k, kind in EDIT_KEYS.items()}
    unknown = set(values) - set(edit)
    if unknown:
        raise KeyError(f"unknown edit keys: {sorted(unknown)}")
    edit.update(values)
    return edit


def load(folder: Path) -> dict:
    path = folder / MANIFEST
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"schema": SCHEMA, "fixtures": []}


def save(folder: Path, manifest: dict, entries: list[dict], **top) -> Path:
    """Replace the entries of the same names (others are kept, in their order); write the
    manifest atomically."""
    by_name = {e["name"]: e for e in manifest.get("fixtures", [])}
    for entry in entries:
        by_name[entry["name"]] = entry
    manifest = {"schema": SCHEMA, **{k: v for k, v in manifest.items()
                                     if k not in ("schema", "fixtures")}, **top,
                "fixtures": list(by_name.values())}
    path = folder / MANIFEST
    temporary = path.with_suffix(".tmp")
    temporary.write_text(_dumps(manifest) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def _dumps(value, indent: str = "") -> str:
    """JSON with one key per line and lists of plain values on one line (readable diffs)."""
    inner = indent + " "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dumps(v, inner)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + _dumps(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def relative(path: Path) -> str:
    """Path as written in the manifest: relative to the repository, with slashes."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).name
