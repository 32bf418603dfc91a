"""Read a legacy plan into rows of cell texts: the only I/O of the importer.

Two kinds of source are accepted:

- text with one table row per line and cells separated by tabs, as Word or
  a spreadsheet writes it (« Enregistrer sous › Texte » or a copy-paste into
  Notepad). The encoding is detected: UTF-8 with or without BOM, UTF-16 with
  BOM (Word's « texte Unicode »), otherwise Windows-1252, the Latin-1 of
  French Windows exports;
- a workbook (.xlsx, .xlsm, .ods) with the same grid pasted into a sheet.
  Every sheet holding at least one table header is read, in order.

Whatever cannot be read raises ``UnusableInputError`` with a French reason.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnusableInputError, os_reason

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Share of control characters above which a "text" is binary data.
MAX_CONTROL_SHARE = 0.01


@dataclass(frozen=True)
class SourceRow:
    """One row of the grid: its line (or sheet row) number and its cell texts."""

    line: int
    cells: tuple[str, ...]
    sheet: str | None = None

    @property
    def filled(self) -> list[tuple[int, str]]:
        """(column index, text) of the non-empty cells, left to right."""
        return [(i, c) for i, c in enumerate(self.cells) if c]


@dataclass(frozen=True)
class Source:
    path: str
    rows: tuple[SourceRow, ...]
    encoding: str | None = None
    sheets: tuple[str, ...] = ()


def read_source(path: str | os.PathLike[str]) -> Source:
    """The rows of the legacy document at ``path``."""
    p = Path(path)
    if not p.exists():
        raise UnusableInputError(p, "fichier introuvable")
    if p.is_dir():
        raise UnusableInputError(p, "est un dossier, pas un fichier")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnusableInputError(p, f"lecture impossible ({os_reason(exc)})") from None
    if not data:
        raise UnusableInputError(p, "fichier vide (0 octet)")
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        return _read_workbook(p)
    text, encoding = decode_text(p, data)
    return Source(str(p), rows_of_text(text), encoding)


def decode_text(p: Path, data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the name of its encoding, or UnusableInputError."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "UTF-8 (avec BOM)"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise UnusableInputError(p, "texte UTF-16 endommagé") from None
    elif b"\x00" in data[:8192]:
        raise UnusableInputError(
            p, "données binaires : ce n'est ni un texte tabulé ni un classeur (.xlsx, .ods)")
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "Windows-1252 (Latin-1)"
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "Latin-1 (ISO-8859-1)"
    controls = sum(1 for ch in text
                   if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0b\x0c")
    if controls > max(2, MAX_CONTROL_SHARE * len(text)):
        raise UnusableInputError(
            p, "données binaires : ce n'est ni un texte tabulé ni un classeur (.xlsx, .ods)")
    if not text.strip():
        raise UnusableInputError(p, "fichier vide (aucun texte)")
    return text, encoding


def rows_of_text(text: str) -> tuple[SourceRow, ...]:
    """One row per line, cells split on tabs; Word's manual line breaks stay in the cell."""
    rows = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        cells = tuple(_clean(c) for c in line.replace("\x0b", "\n").replace("\x0c", "").split("\t"))
        rows.append(SourceRow(number, cells))
    while rows and not any(rows[-1].cells):
        rows.pop()
    return tuple(rows)


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ").strip()


def _read_workbook(p: Path) -> Source:
    from ..reader import open_workbook

    _refuse_word_document(p)
    workbook = open_workbook(p)
    try:
        from ..catalogue import META_SHEET

        if META_SHEET in workbook.sheet_names:
            raise UnusableInputError(
                p, "classeur déjà au format ctgxl : il n'y a rien à importer, ouvrez-le "
                   "directement")
        rows: list[SourceRow] = []
        sheets: list[str] = []
        for name in workbook.sheet_names:
            try:
                values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:  # noqa: BLE001
                raise UnusableInputError(p, f"feuille « {name} » illisible ({exc})") from None
            sheet_rows = [SourceRow(i, tuple(_cell_text(v) for v in row), name)
                          for i, row in enumerate(values, start=1)]
            rows.extend(sheet_rows)
            sheets.append(name)
    finally:
        workbook.close()
    return Source(str(p), tuple(rows), None, tuple(sheets))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    return _clean(str(value).replace("\r\n", "\n").replace("\r", "\n"))


def _refuse_word_document(p: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(p) as archive:
            is_word = "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return
    if is_word:
        raise UnusableInputError(
            p, "document Word (.docx) : enregistrez-le dans Word au format « Texte brut (.txt) » "
               "ou copiez ses tableaux dans un classeur, puis importez ce fichier")
