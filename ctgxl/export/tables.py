"""The bytes of each table file of an export: CSV (open data or office flavour, see
``flavours``), JSON, Parquet — pure functions of the rows and their schema."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from ..values import encodable
from .flavours import BOM, FORMULA_STARTS, OFFICE, OPEN_DATA, neutralised


@dataclass(frozen=True)
class TableBytes:
    data: bytes
    neutralised: int = 0      # cells prefixed with « ' » (office CSV)


def _number(value: float | int, decimal: str) -> str:
    text = repr(value) if type(value) is float else str(value)
    return text.replace(".", decimal) if decimal != "." else text


def _open_data_cell(value) -> str:
    if value is None:
        return ""
    if type(value) is float:
        return repr(value)
    return str(value)


def csv_bytes(rows, schema: dict, flavour: str = OPEN_DATA, ranks=None) -> TableBytes:
    """One table as CSV in ``flavour``; ``ranks``: the rank column of an orphans resource."""
    out = io.StringIO(newline="")
    names = [f["name"] for f in schema["fields"]]
    if ranks is not None:
        rows = [(rank, *row) for rank, row in zip(ranks, rows, strict=True)]
    if flavour != OFFICE:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_open_data_cell(v) for v in row])
        return TableBytes(encodable(out.getvalue()).encode("utf-8"))
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    count = 0

    def cell(value):
        nonlocal count
        if value is None:
            return None
        if type(value) is int:
            return value
        if type(value) is float:
            return _number(value, ",")
        text = str(value)
        count += text.startswith(FORMULA_STARTS)
        return neutralised(text)

    out.write(BOM)
    writer.writerow(names)          # the French headers, already neutralised (field_name)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return TableBytes(encodable(out.getvalue()).encode("utf-8"), count)


def json_bytes(rows, schema: dict, flavour: str = OPEN_DATA, ranks=None) -> TableBytes:
    names = [f["name"] for f in schema["fields"]]
    kinds = [f["type"] for f in schema["fields"]]
    if ranks is not None:
        rows = [(rank, *row) for rank, row in zip(ranks, rows, strict=True)]
    records = [{n: (str(v) if k == "string" and v is not None else v)
                for n, v, k in zip(names, row, kinds)} for row in rows]
    return TableBytes(encodable(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
                      .encode("utf-8"))


def parquet_bytes(rows, schema: dict, flavour: str = OPEN_DATA, ranks=None) -> TableBytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if ranks is not None:
        rows = [(rank, *row) for rank, row in zip(ranks, rows, strict=True)]
    arrow_types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64()}
    columns = {}
    for index, spec in enumerate(schema["fields"]):
        values = [row[index] for row in rows]
        if spec["type"] == "string":
            values = [None if v is None else encodable(str(v)) for v in values]
        elif spec["type"] == "number":
            values = [None if v is None else float(v) for v in values]
        columns[spec["name"]] = pa.array(values, type=arrow_types[spec["type"]])
    out = io.BytesIO()   # a file object: pyarrow cannot open a path that is not UTF-8
    pq.write_table(pa.table(columns) if columns else pa.table({}), out)
    return TableBytes(out.getvalue())


WRITERS = {"csv": csv_bytes, "json": json_bytes, "parquet": parquet_bytes}
