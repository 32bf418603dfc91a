"""JSON documents of a diff and of a merge (schemas in ctgxl/guides/diff-merge.md).

Keys are English identifiers; codes (``kind``, ``cosmetic``) are the stable
French codes also used by findings; values are the cell values as read.
"""

from __future__ import annotations

from ..catalogue import SHEETS_BY_KEY, TABLE_SHEETS, Sheet
from ..model import Row, Table
from ..values import Value
from .diff import PlanDiff, RowChange, TableDiff
from .labels import ROW_CODES, header, sheet_label
from .merge import Conflict, MergeResult
from .resolve import Resolution

DIFF_SCHEMA = "ctgxl-diff/1"
MERGE_SCHEMA = "ctgxl-merge/1"


def _key(sheet: Sheet, row: Row | None) -> dict[str, Value] | None:
    if row is None:
        return None
    return {k: row[sheet.position(k)] for k in sheet.key_columns}


def _values(sheet: Sheet, row: Row | None) -> dict[str, Value] | None:
    return None if row is None else dict(zip(sheet.keys, row))


def _excel_row(table: Table, index: int | None) -> int | None:
    return None if index is None else table.excel_row(index)


def _cell(table: Table, index: int | None, column: str) -> str | None:
    return None if index is None else table.cell(index, column)


def diff_to_dict(diff: PlanDiff, old_name: str, new_name: str) -> dict:
    tables = {s.key: diff.table(s.key) for s in TABLE_SHEETS}
    return {
        "schema": DIFF_SCHEMA,
        "old": old_name,
        "new": new_name,
        "identical": diff.identical,
        "ignore_cosmetic": diff.ignore_cosmetic,
        "summary": {key: _summary(t) for key, t in tables.items()},
        "meta": [{"field": f.column, "label": header("meta", f.column), "old": f.old,
                  "new": f.new, "cosmetic": f.cosmetic} for f in diff.meta],
        "tables": {key: [_row_change(t, c) for c in t.rows] for key, t in tables.items()},
        "columns": {key: {"added": list(t.columns_added), "removed": list(t.columns_removed)}
                    for key, t in tables.items() if t.columns_added or t.columns_removed},
        "duplicates": {key: [{"key": dict(zip(t.sheet.key_columns, k)), "old": before,
                              "new": after} for k, before, after in t.duplicates]
                       for key, t in tables.items() if t.duplicates},
    }


def _summary(table: TableDiff) -> dict[str, int]:
    return {"added": len(table.added), "removed": len(table.removed),
            "modified": len(table.modified), "moved": len(table.moved),
            "renumbered": len(table.renumbered), "cosmetic": len(table.cosmetic),
            "unchanged": table.unchanged}


def _row_change(table: TableDiff, change: RowChange) -> dict:
    sheet = table.sheet
    item = {
        "kind": ROW_CODES[change.kind],
        "key": _key(sheet, change.row),
        "old_key": _key(sheet, change.old_row),
        "old_row": _excel_row(table.old, change.old_index),
        "new_row": _excel_row(table.new, change.new_index),
        "moved": change.moved,
        "renumbered": change.renumbered,
        "similarity": change.similarity,
        "changes": [
            {"column": f.column, "header": header(sheet.key, f.column), "old": f.old,
             "new": f.new, "cosmetic": f.cosmetic,
             "old_cell": _cell(table.old, change.old_index, f.column),
             "new_cell": _cell(table.new, change.new_index, f.column)}
            for f in change.changes
        ],
        "values": _values(sheet, change.row) if change.kind in ("added", "removed") else None,
    }
    return item


def merge_to_dict(result: MergeResult, names: tuple[str, str, str], output: str | None,
                  inputs: tuple[object, object, object], conflict_cells: list[str | None],
                  ) -> dict:
    """``inputs`` are the three plans (for cell references in each input)."""
    base, local, remote = names
    return {
        "schema": MERGE_SCHEMA,
        "base": base,
        "local": local,
        "remote": remote,
        "input": None,
        "output": output,
        "prefer": result.prefer,
        "clean": result.clean,
        "applied": {side: {k: counts.get(k, 0) for k in ("added", "removed", "modified")}
                    for side, counts in result.applied.items()},
        "removed": {side: [{"table": table, "key": list(key)} for table, key in rows]
                    for side, rows in result.removed.items()},
        "conflicts": [_conflict(c, inputs, cell)
                      for c, cell in zip(result.conflicts, conflict_cells)],
        "resolved": [],
        "notes": [n.to_dict() for n in result.notes],
    }


def resolution_to_dict(resolution: Resolution, input_name: str, output: str,
                       cell_of) -> dict:
    """The document of ``ctgxl merge --resoudre``: the same keys as a merge's; ``conflicts``
    are those left, ``resolved`` those settled (``cell_of(conflict)``: cell in the output)."""
    none = {k: 0 for k in ("added", "removed", "modified")}
    return {
        "schema": MERGE_SCHEMA,
        "base": None,
        "local": None,
        "remote": None,
        "input": input_name,
        "output": output,
        "prefer": resolution.prefer,
        "clean": resolution.clean,
        "applied": {"local": dict(none), "distant": dict(none)},
        "removed": {"local": [], "distant": []},
        "conflicts": [_conflict(r.conflict, None, cell_of(r.conflict))
                      for r in resolution.remaining],
        "resolved": [{**_conflict(r.conflict, None, cell_of(r.conflict)), "choice": r.choice,
                      "value": r.value, "action": r.action, "line": r.line}
                     for r in resolution.resolved],
        "notes": [n.to_dict() for n in resolution.notes],
    }


def _conflict(c: Conflict, inputs, cell: str | None) -> dict:
    """``inputs``: the three plans merged, for the cells in each input (None: unknown)."""
    refs = {"base_cell": None, "local_cell": None, "remote_cell": None}
    key = {}
    if c.table != "meta":
        if inputs is not None:
            for name, plan, index in zip(refs, inputs,
                                         (c.base_index, c.local_index, c.remote_index)):
                refs[name] = _cell(plan.table(c.table), index, c.column)
        key = dict(zip(SHEETS_BY_KEY[c.table].key_columns, c.key))
    return {
        "table": c.table, "sheet": sheet_label(c.table), "kind": c.kind, "key": key,
        "column": c.column, "header": header(c.table, c.column),
        "base": c.base, "local": c.local, "remote": c.remote, "kept": c.kept,
        "cell": cell, **refs,
    }
