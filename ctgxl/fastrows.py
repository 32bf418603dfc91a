"""Fast path for the data rows of the table sheets.

openpyxl builds every part of the workbook (styles, tables, validations,
comments, defined names), but writing 100,000 rows × 20 cells through it
takes tens of seconds. For sheets without per-cell decorations the writer
asks openpyxl for the header only, then splices the data rows, generated
here as plain XML strings, into the saved sheet part. The rows are exactly
what openpyxl would write (inline strings, a wrap style on long text, row
heights), so the reader and the tests see no difference.

Rows can also be rendered before their place in the sheet is known
(``render_rows`` without numbers) and numbered when the sheet is written
(``number_rows``): the processes that read the files of a consolidation
render their rows for the master that way.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, count, islice, repeat

from .catalogue import Sheet
from .model import Table
from .values import MAX_CELL_TEXT, writable_text

_SHEET_DATA_END = re.compile(rb"</sheetData>|<sheetData\s*/>")


# Style ids of data cells: long text wraps, everything else is top-aligned. The
# template registers these two styles before any other, so they are fixed and
# rows can be rendered away from the workbook (in worker processes).
WRAP_STYLE, TOP_STYLE = 1, 2

# Stands for the row number in rows rendered before their place is known (no
# text of an .xlsx can hold it); ``number_rows`` puts the numbers in.
ROW_NUMBER = "\x00"
CHUNK_ROWS = 4096


@dataclass(frozen=True)
class PendingRows:
    """Rows of ``table`` to splice into the sheet of the same name; ``rendered``:
    the same rows already rendered by ``render_rows`` with ``ROW_NUMBER``, UTF-8."""

    table: Table
    rendered: Sequence[bytes] | None = None


def column_letters(count: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, count + 1)]


class _Spaced(str):
    """A text whose spaces or line breaks must be kept (``xml:space="preserve"``)."""

    __slots__ = ()


_NEEDS_ESCAPE = ("&", "<", ">", ROW_NUMBER)
_NEEDS_SPACE = ("\n", "  ", "\t")


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace(ROW_NUMBER, "")  # an .xlsx cannot hold it
    return _Spaced(text) if any(s in text for s in _NEEDS_SPACE) else text


def _escaped(rows: Sequence[tuple]) -> Iterable[tuple]:
    """``rows`` with their texts escaped for XML.

    Each column is checked once as a whole (one joined string): a column
    without ``&<>``, double spaces, tabs or line breaks is used as it is, so
    the per-cell work is left to the few columns that need it. A text that
    needs ``xml:space="preserve"`` becomes a ``_Spaced`` (its type tells the
    row template).
    """
    columns = list(zip(*rows))
    changed = False
    for j, column in enumerate(columns):
        joined = "\x01".join(filter(_IS_TEXT, column))
        if len(joined) > MAX_CELL_TEXT and any(v.__class__ is str and len(v) > MAX_CELL_TEXT
                                               for v in column):
            # a text longer than a cell holds (imported from a document): cut, marked
            column = columns[j] = tuple(writable_text(v) for v in column)
            changed = True
        if any(s in joined for s in _NEEDS_ESCAPE + _NEEDS_SPACE):
            columns[j] = tuple(_escape(v) if v.__class__ is str else v for v in column)
            changed = True
    return zip(*columns) if changed else rows


_IS_TEXT = str.__instancecheck__


def _row_heights(sheet: Sheet, rows: Sequence[tuple]) -> list[float | None] | None:
    """Height of each row whose long texts wrap (None elsewhere), as ``template.row_height``
    computes it; None when no row wraps. Counted column by column."""
    long_columns = [(i, max(1, int(c.width * 1.1))) for i, c in enumerate(sheet.columns)
                    if c.long_text]
    if not rows or not long_columns:
        return None
    counts = []
    for i, per_line in long_columns:
        column = [row[i] for row in rows]
        counts.append([1 if v is None else
                       -(-len(v) // per_line) if v.__class__ is str and "\n" not in v else
                       _line_count(str(v), per_line) for v in column])
    lines = list(map(max, *counts)) if len(counts) > 1 else counts[0]
    if max(lines) <= 1:
        return None
    return [None if n <= 1 else min(409.0, n * 15.0 + 2) for n in lines]


def _line_count(text: str, per_line: int) -> int:
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def render_rows(sheet: Sheet, rows: Sequence[tuple],
                numbers: Iterable[int] | None = None) -> Iterator[str]:
    """One ``<row>`` element per row, numbered by ``numbers`` or, without them,
    carrying ``ROW_NUMBER`` where its number goes.

    Rows are written through one format string per row shape (which cells
    are empty, numbers, texts, texts keeping their spaces), so the loop does
    one ``str.format`` per row instead of Python work per cell. The result is
    what openpyxl writes for the same cells (inline strings, the data styles,
    explicit heights for wrapped rows).
    """
    rows = rows if isinstance(rows, (tuple, list)) else tuple(rows)
    heights = _row_heights(sheet, rows) or repeat(None)
    formats: dict[tuple, Callable[..., str]] = {}
    for r, height, row in zip(repeat(ROW_NUMBER) if numbers is None else numbers, heights,
                              _escaped(rows)):
        shape = tuple(map(type, row))
        body = formats.get(shape) or _row_format(sheet, shape, formats)
        if height:
            yield f'<row r="{r}" ht="{height}" customHeight="1">' + body(r, *row)
        else:
            yield f'<row r="{r}">' + body(r, *row)


def _row_format(sheet: Sheet, shape: tuple, formats: dict) -> Callable[..., str]:
    """The cells of a row of ``shape`` as one format string: ``{0}`` is the row number,
    ``{j + 1}`` the value of column j."""
    letters = column_letters(len(sheet.columns))
    parts = []
    for j, (kind, column) in enumerate(zip(shape, sheet.columns)):
        if kind is _NONE:
            continue
        ref = f'<c r="{letters[j]}{{0}}"'
        if kind is int:
            parts.append(f'{ref} t="n" s="{TOP_STYLE}"><v>{{{j + 1}}}</v></c>')
        else:
            style = WRAP_STYLE if column.long_text else TOP_STYLE
            space = ' xml:space="preserve"' if kind is _Spaced else ""
            parts.append(f'{ref} t="inlineStr" s="{style}"><is><t{space}>{{{j + 1}}}'
                         "</t></is></c>")
    formats[shape] = "".join(parts).__add__("</row>").format
    return formats[shape]


def number_rows(rendered: Sequence[bytes], first_row: int = 2) -> Iterator[bytes]:
    """Rows from ``render_rows`` without numbers, numbered from ``first_row``, in chunks."""
    for start in range(0, len(rendered), CHUNK_ROWS):
        numbers = count(first_row + start)
        yield b"".join([row.replace(b"\x00", b"%d" % next(numbers))
                        for row in rendered[start:start + CHUNK_ROWS]])


def _rendered_chunks(sheet: Sheet, rows: Sequence[tuple], first_row: int) -> Iterator[bytes]:
    rendered = render_rows(sheet, rows, count(first_row))
    while chunk := list(islice(rendered, CHUNK_ROWS)):
        yield "".join(chunk).encode("utf-8")


_NONE = type(None)


def splice_rows(path: str | os.PathLike[str], pending: list[PendingRows]) -> None:
    """Rewrite the workbook at ``path`` with the pending rows inserted.

    The big sheet parts are streamed: rows are rendered (or numbered) chunk by
    chunk while a thread compresses the previous chunk (zlib lets go of the
    GIL), so the whole sheet is never held in memory as one string.
    """
    todo = [p for p in pending if len(p.table)]
    if not todo:
        return
    tmp = f"{path}.rows"
    try:
        with zipfile.ZipFile(path) as source, \
                zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            _copy_with_rows(source, target, todo)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):  # interrupted: leave nothing behind
            os.unlink(tmp)


def _copy_with_rows(source: zipfile.ZipFile, target: zipfile.ZipFile,
                    todo: list[PendingRows]) -> None:
    parts = _sheet_parts(source)
    by_part = {parts[p.table.sheet.name]: p for p in todo}
    for item in source.infolist():
        data = source.read(item.filename)
        rows = by_part.get(item.filename)
        if rows is None:
            target.writestr(item.filename, data)
            continue
        if rows.rendered is not None and len(rows.rendered) != len(rows.table):
            raise ValueError(f"{rows.table.sheet.name}: {len(rows.rendered)} rendered rows "
                             f"for {len(rows.table)} rows")
        head, tail = _around_rows(data)
        chunks = number_rows(rows.rendered) if rows.rendered is not None else \
            _rendered_chunks(rows.table.sheet, rows.table.rows, 2)
        _write_streamed(target, item.filename, chain([head], chunks, [tail]))


def _write_streamed(archive: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` as the member ``name``, compressing each while the next is made."""
    from concurrent.futures import ThreadPoolExecutor

    with archive.open(name, "w") as member, ThreadPoolExecutor(1) as compressor:
        writing = None
        for chunk in chunks:
            if writing is not None:
                writing.result()
            writing = compressor.submit(member.write, chunk)
        if writing is not None:
            writing.result()


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML part, read from the workbook's relations."""
    from xml.etree import ElementTree as ET  # our own freshly written file: no untrusted XML

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.findall("p:Relationship", ns)}
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    parts = {}
    for sheet in workbook.findall("m:sheets/m:sheet", ns):
        target = targets[sheet.get(f"{{{ns['r']}}}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _around_rows(sheet_xml: bytes) -> tuple[bytes, bytes]:
    """The sheet part before and after its rows (``<sheetData>`` open, then closed)."""
    match = _SHEET_DATA_END.search(sheet_xml)
    if match is None:  # pragma: no cover - openpyxl always writes sheetData
        raise ValueError("sheetData introuvable")
    if match.group(0).startswith(b"<sheetData"):
        return sheet_xml[:match.start()] + b"<sheetData>", b"</sheetData>" + sheet_xml[match.end():]
    return sheet_xml[:match.start()], sheet_xml[match.start():]


def splice_chunks(path: str | os.PathLike[str], parts: dict[str, Iterable[bytes]]) -> None:
    """Rewrite the workbook at ``path`` with ``parts`` (sheet name -> its ``<row>`` elements,
    numbered, in chunks of bytes) inserted into those sheets, streamed as ``splice_rows``
    does. Sheets are written in the workbook's order: chunks may come from one iterator
    shared by consecutive sheets (a table longer than a sheet holds)."""
    tmp = f"{path}.rows"
    try:
        with zipfile.ZipFile(path) as source, \
                zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            by_part = {member: parts[name] for name, member in _sheet_parts(source).items()
                       if name in parts}
            for item in source.infolist():
                data = source.read(item.filename)
                chunks = by_part.get(item.filename)
                if chunks is None:
                    target.writestr(item.filename, data)
                    continue
                head, tail = _around_rows(data)
                _write_streamed(target, item.filename, chain([head], chunks, [tail]))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
