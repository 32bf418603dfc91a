"""Normalisation of cell values, shared by every way values enter ctgxl.

The file reader, the legacy importer and the Excel add-in all pass raw cell
values through ``normalize`` so that the same content always compares equal:
text is stripped and its line breaks unified, integral floats lose their
``.0``, dates become ``JJ/MM/AAAA`` text, empty strings become ``None``.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from .catalogue import Column

Value = str | int | float | None    # float: only in « number » columns (values, targets)
_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?$|^[+-]?\d+(?:[.,]\d+)?$")


def parse_number(text: str) -> int | float | None:
    """A number as French users type it: « 12 », « 12,5 », « 1 200 », « 3.5 »; None when
    the text is not only a number (« 85 % », « environ 40 »)."""
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace(",", ".")
    value = float(cleaned)
    return int(value) if value.is_integer() and "." not in cleaned else value

# Characters an .xlsx cannot hold; Word's soft line break (\v) becomes a newline.
_ILLEGAL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\ufffe\uffff]")
# Lone surrogates: how Python spells the bytes of a file name that are not UTF-8
# (``os.fsdecode`` turns the Latin-1 « é », byte 0xE9, into U+DCE9). No encoder takes them.
_SURROGATES = re.compile("[\ud800-\udfff]")
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"   # « � », shown for each byte of a name that cannot be decoded
MAX_CELL_TEXT = 32_767    # Excel's limit for one cell
CUT_MARK = " […] (texte coupé : une cellule Excel contient au plus 32 767 caractères)"


def encodable(text: str) -> str:
    """``text`` that UTF-8 (JSON, CSV, XML, Parquet, a console) can encode: each lone
    surrogate — a byte of a file name that is not UTF-8 — becomes « � » (U+FFFD)."""
    return _SURROGATES.sub(REPLACEMENT, text) if _SURROGATES.search(text) else text


def xml_text(text: str) -> str:
    """``text`` an XML file (.xlsx, .docx) can hold: encodable, without the control characters
    XML forbids (a file name holding ESC), a vertical tab made a line break."""
    if not _UNWRITABLE.search(text):
        return text
    return _ILLEGAL.sub("", encodable(text).replace("\x0b", "\n"))


def writable_text(value: object) -> object:
    """A text any spreadsheet accepts in a cell written by ctgxl: ``xml_text`` (no control
    characters, « � » for the undecodable bytes of a file name), at most 32,767 characters
    (cut with a visible mark). Other values are returned unchanged."""
    if type(value) is not str:
        return value
    if _UNWRITABLE.search(value):
        value = xml_text(value)
    if len(value) > MAX_CELL_TEXT:
        value = value[:MAX_CELL_TEXT - len(CUT_MARK)] + CUT_MARK
    return value


def unwritable(text: str) -> bool:
    """Whether ``text`` holds a character ``xml_text`` must remove or replace."""
    return _UNWRITABLE.search(text) is not None


_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\s*(?:-|–|/|à|au)\s*(\d{4}|\d\d)(?!\d))?")


def normalize(column: Column, raw: object) -> Value:
    """The canonical form of one raw cell value for ``column``."""
    if raw is None:
        return None
    kind = type(raw)
    if kind is str:
        text = raw.strip()
        if not text:
            return None
        if "\r" in text or "\v" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n")
        if _ILLEGAL.search(text):
            text = _ILLEGAL.sub("", text).strip()
            if not text:
                return None
        if column.type == "int" and text.isdigit() and text.isascii() and len(text) <= 18:
            return int(text)        # not « ² » (a digit to isdigit) nor 5,000 digits
        if column.type == "number":
            number = parse_number(text)
            return text if number is None else number
        return text
    if kind is float:
        if raw.is_integer():
            value = int(raw)
            return value if column.type in ("int", "number") else str(value)
        if column.type == "number":
            return raw if math.isfinite(raw) else None
        return repr(raw)
    if kind is int:
        return raw if column.type in ("int", "number") else str(raw)
    if kind is bool:
        return "VRAI" if raw else "FAUX"
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0):
            return raw.strftime("%d/%m/%Y")
        return raw.strftime("%d/%m/%Y %H:%M")
    if isinstance(raw, dt.date):
        return raw.strftime("%d/%m/%Y")
    if isinstance(raw, dt.time):
        return raw.strftime("%H:%M")
    if isinstance(raw, dt.timedelta):
        return str(raw)
    text = str(raw).strip()
    return text or None


def normalize_column(column: Column, raw_values) -> list[Value]:
    """``normalize`` over a whole column.

    Text columns take a fast path: when no cell of the column holds a carriage
    return, a vertical tab or a character an .xlsx cannot hold (one regular
    expression over the joined column), each text only needs stripping.
    """
    if column.type != "text":
        return [normalize(column, raw) for raw in raw_values]
    blob = "\n".join([raw for raw in raw_values if raw.__class__ is str])
    if "\r" in blob or "\v" in blob or _ILLEGAL.search(blob):
        return [normalize(column, raw) for raw in raw_values]
    return [(raw.strip() or None) if raw.__class__ is str
            else None if raw is None else normalize(column, raw) for raw in raw_values]


def years_of(echeances: str | None) -> tuple[int | None, int | None]:
    """First and last year written in a free-text schedule, if any.

    >>> years_of("2023-2026")
    (2023, 2026)
    >>> years_of("2022-23 : écriture du projet 2024-27 : mise en œuvre")
    (2022, 2027)
    >>> years_of("année scolaire")
    (None, None)
    """
    if not echeances:
        return None, None
    years: list[int] = []
    for match in _YEAR.finditer(str(echeances)):
        first = int(match.group(1))
        years.append(first)
        second = match.group(2)
        if second:
            end = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
            if end >= first:
                years.append(end)
    if not years:
        return None, None
    return min(years), max(years)
