"""Payloads of the xlwings clients, built from workbook files, for the add-in tests.

The shape is the one xlwings 0.37's clients send (``xlwings/addin/Remote.bas``
``RunServerPython``; ``xlwings/js/xlwings.ts`` ``runPython``): each sheet's
values from A1 to the last used cell, empty cells as ``""``, numbers as JSON
numbers, dates as ISO text ending in ``Z``; book name, 0-based active sheet
index, selection; names; pictures and tables per sheet.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path

import pytest

# xlwings.pro reads its licence key when xlwings is imported.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
xw = pytest.importorskip("xlwings")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.xlsx"))


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%dT00:00:00.000Z")
    if isinstance(value, dt.time):
        return f"1899-12-30T{value.strftime('%H:%M:%S')}.000Z"
    if isinstance(value, float) and value.is_integer():
        return int(value)   # JSON writes 3.0 as 3, as VBA's JSON converter does
    return value


def payload_of(path: Path, *, client: str = "VBA", active: int = 0) -> dict:
    """The request an xlwings client sends for the workbook at ``path``."""
    from openpyxl import load_workbook

    wb = load_workbook(path)   # formulas are not expected in plan workbooks
    sheets = []
    for ws in wb.worksheets:
        rows = [[_cell(v) for v in row] for row in
                ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column,
                             values_only=True)]
        if all(v == "" for row in rows for v in row):
            rows = [[]]
        sheets.append({"name": ws.title, "values": rows, "pictures": [],
                       "tables": []})
    return {
        "client": client,
        "version": xw.__version__ if client != "Office.js" else "ctgxl",
        "book": {"name": path.name, "active_sheet_index": active, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def sheet_values(payload: dict, name: str) -> list[list]:
    return next(s for s in payload["sheets"] if s["name"] == name)["values"]


def set_cell(payload: dict, sheet: str, ref: str, value: object) -> dict:
    """A copy of ``payload`` with one cell changed (``ref`` like ``H4``)."""
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    out = copy.deepcopy(payload)
    letters, row = coordinate_from_string(ref)
    col = column_index_from_string(letters)
    values = sheet_values(out, sheet)
    while len(values) < row:
        values.append([""] * len(values[0]))
    for r in values:
        while len(r) < col:
            r.append("")
    values[row - 1][col - 1] = value
    return out


def header_ref(payload: dict, sheet: str, header: str, excel_row: int) -> str:
    """``H4``: the cell of column ``header`` at ``excel_row`` (header searched in the top rows)."""
    from openpyxl.utils import get_column_letter

    for row in sheet_values(payload, sheet)[:10]:
        if header in row:
            return f"{get_column_letter(row.index(header) + 1)}{excel_row}"
    raise KeyError(header)


def first_data_row(payload: dict, sheet: str, header: str = "ID action") -> int:
    for index, row in enumerate(sheet_values(payload, sheet)[:10], start=1):
        if header in row:
            return index + 1
    raise KeyError(header)


def colour_actions(answer: dict) -> list[dict]:
    return [a for a in answer["actions"] if a["func"] == "setRangeColor"]


def cell_of(action: dict) -> tuple[int, str]:
    """(0-based sheet position, ``H4``) of a one-cell action."""
    (cell,) = cells_of(action)
    return cell


def cells_of(action: dict) -> list[tuple[int, str]]:
    """(0-based sheet position, ``H4``) of every cell of an action's range."""
    from openpyxl.utils import get_column_letter

    return [(action["sheet_position"], f"{get_column_letter(column + 1)}{row + 1}")
            for row in range(action["start_row"], action["start_row"] + action["row_count"])
            for column in range(action["start_column"],
                                action["start_column"] + action["column_count"])]


def sheet_position(payload: dict, name: str) -> int:
    return [s["name"] for s in payload["sheets"]].index(name)


def written_rows(answer: dict, position: int) -> list[list]:
    """Values written by setValues actions on the sheet at ``position`` (first block)."""
    for action in answer["actions"]:
        if action["func"] == "setValues" and action["sheet_position"] == position:
            return action["values"]
    return []


def payload_as_sent(path: Path) -> dict:
    """The request ctgxl's task pane sends for the workbook at ``path`` open in Excel: every
    cell's value as the file holds it (a value hidden under a merge included), and each
    sheet's merged ranges under ``ctgxl.fusions``."""
    from python_calamine import CalamineWorkbook

    from ctgxl.model import column_letter

    payload = payload_of(path, client="Office.js")
    workbook = CalamineWorkbook.from_path(str(path))
    fusions = {}
    for sheet in payload["sheets"]:
        grid = workbook.get_sheet_by_name(sheet["name"])
        rows = grid.to_python(skip_empty_area=False)
        sheet["values"] = [[_cell(v) if v != "" else "" for v in row] for row in rows] or [[]]
        refs = [f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1}"
                for (r0, c0), (r1, c1) in grid.merged_cell_ranges or []]
        if refs:
            fusions[sheet["name"]] = refs
    workbook.close()
    payload["ctgxl"] = {"fusions": fusions}
    return payload


def workbook_in_excel(path: Path, *, api: str = "1.13") -> dict:
    """The workbook at ``path`` as Excel holds it once opened, for the office.js stand-in of
    tests/office_stand_in.js: each sheet's values from A1 (``""`` for an empty cell, a value
    hidden under a merge included), dates as serial numbers of category « Date », and its
    merged ranges."""
    from python_calamine import CalamineWorkbook

    from ctgxl.model import column_letter

    workbook = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in workbook.sheet_names:
        grid = workbook.get_sheet_by_name(name)
        values, categories = [], {}
        for r, row in enumerate(grid.to_python(skip_empty_area=False)):
            out = []
            for c, value in enumerate(row):
                serial = _serial(value)
                if serial is not None:
                    categories[f"{column_letter(c + 1)}{r + 1}"] = (
                        "Time" if isinstance(value, dt.time) else "Date")
                    value = serial
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)
                out.append(value)
            values.append(out)
        while values and all(v == "" for v in values[-1]):   # Calc's empty rows: no value
            values.pop()
        merged = [f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1}"
                  for (r0, c0), (r1, c1) in grid.merged_cell_ranges or []]
        sheets.append({"name": name, "values": values, "categories": categories,
                       "merged": merged})
    workbook.close()
    return {"name": path.name, "api": api, "active": 0, "sheets": sheets}


def _serial(value: object) -> float | None:
    """Excel's serial number of a date, date-time or time (None for any other value)."""
    if isinstance(value, dt.datetime):
        return (value - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - dt.date(1899, 12, 30)).days)
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return None


def long_consolidation() -> bytes:
    """A Consolider request of 12 copies of the five examples (≈ 4 Mo, a few seconds)."""
    import base64
    import json

    payload = payload_as_sent(ROOT / "examples" / "enfance.xlsx")
    payload["ctgxl"]["sources"] = [
        {"name": f"{n}-{f.name}", "content": base64.b64encode(f.read_bytes()).decode()}
        for n in range(12) for f in EXAMPLES]
    payload["ctgxl"]["forcer"] = True
    return json.dumps(payload).encode()
