"""Read a legacy plan into rows of cell texts: the only I/O of the importer.

Three kinds of source are accepted:

- the Word (.docx) or OpenDocument (.odt) document itself, table by table
  (``word.py``);

- text with one table row per line and cells separated by tabs, as Word or
  a spreadsheet writes it (« Enregistrer sous › Texte » or a copy-paste into
  Notepad). The encoding is detected: UTF-8 with or without BOM, UTF-16 with
  BOM (Word's « texte Unicode »), otherwise Windows-1252, the Latin-1 of
  French Windows exports;
- a workbook (.xlsx, .xlsm, .ods) with the same grid pasted into a sheet.
  Every sheet holding at least one table header is read, in order.

A Word 97-2003 (.doc), RTF or PDF document, and whatever else cannot be read,
raises ``UnusableInputError`` with a French reason (and how to convert).
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
    """One row of the grid: its line (or sheet row) number and its cell texts.

    Read from a .docx/.odt, a row also knows its ``place``, how many columns each cell covers
    (``spans``: 1 by default, 0 on the columns a cell covers after its first), the units of
    text each cell holds (``sources``, see ``Unit``; by default the cell itself) and whether
    it is a table row or a paragraph (``kind``).
    """

    line: int
    cells: tuple[str, ...]
    sheet: str | None = None
    place: str | None = None     # where a user finds it in a document (« tableau 3, ligne 2 »)
    spans: tuple[int, ...] = ()
    sources: tuple[tuple, ...] = ()
    kind: str | None = None      # "table" or "paragraph" in a .docx/.odt

    def span(self, col: int) -> int:
        """How many columns the cell of column ``col`` covers."""
        return self.spans[col] if col < len(self.spans) and self.spans[col] > 0 else 1

    def units(self, col: int) -> tuple:
        """The units of text the cell of column ``col`` holds."""
        if self.sources:
            return self.sources[col] if col < len(self.sources) else ()
        return ((self.sheet, self.line, col),) if col < len(self.cells) and self.cells[col] \
            else ()

    @property
    def at(self) -> str:
        """Where the user finds the row: « ligne 12 », « Feuil1, ligne 12 » or, in a
        .docx/.odt, « tableau 3, ligne 2 »."""
        if self.place:
            return self.place
        return f"{self.sheet}, ligne {self.line}" if self.sheet else f"ligne {self.line}"

    def and_(self, other: SourceRow) -> str:
        """Two rows in one phrase: « lignes 54 et 55 », « tableau 3, lignes 1 et 2 »."""
        mine, theirs = self.at.rpartition("ligne "), other.at.rpartition("ligne ")
        if mine[0] == theirs[0]:
            return f"{mine[0]}lignes {mine[2]} et {theirs[2]}"
        return f"{self.at} et {other.at}"

    @property
    def filled(self) -> list[tuple[int, str]]:
        """(column index, text) of the non-empty cells, left to right."""
        return [(i, c) for i, c in enumerate(self.cells) if c]


@dataclass(frozen=True)
class Unit:
    """A piece of the document's text that must end in the plan or in the report: a cell, a
    paragraph (or a tab-separated part of it), with where the user finds it."""

    id: tuple
    place: str
    text: str


@dataclass(frozen=True)
class Source:
    path: str
    rows: tuple[SourceRow, ...]
    encoding: str | None = None
    sheets: tuple[str, ...] = ()
    notes: tuple = ()     # (SourceRow, code, French message): what reading a document decided
    units: tuple[Unit, ...] = ()    # a document's text (by default: the rows' cells)
    generated: int = 0    # characters the reader wrote itself (list numbers, bullets)


def read_source(path: str | os.PathLike[str], vocabulary=None) -> Source:
    """The rows of the legacy document at ``path`` (``vocabulary``: the thématiques a
    document's fiches actions may name; the default lists when None)."""
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
    if data.startswith(OLE_MAGIC):
        _refuse_ole_document(p, data)
        return _read_workbook(p)
    if data.startswith(ZIP_MAGIC):
        if _is_text_document(p):
            from .word import read_word

            return read_word(p, vocabulary)
        return _read_workbook(p)
    if data.startswith(b"%PDF-"):
        raise UnusableInputError(
            p, "document PDF : ses tableaux ne peuvent pas être relus fidèlement ; importez le "
               "document d'origine (.docx, .odt) ou son export « Texte brut (.txt) »")
    if data.lstrip()[:5].lower() == b"{\\rtf":
        raise UnusableInputError(
            p, "document RTF : convertissez-le en .docx (soffice --headless --convert-to docx "
               f"« {p.name} », ou Word › Enregistrer sous › Document Word), puis importez-le")
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


def _is_text_document(p: Path) -> bool:
    """A Word (.docx) or OpenDocument text (.odt) document, judged by its content."""
    import zipfile

    try:
        with zipfile.ZipFile(p) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return True
            if "content.xml" in names and "mimetype" in names:
                with archive.open("mimetype") as member:
                    return member.read(200).startswith(b"application/vnd.oasis.opendocument.text")
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, KeyError):
        return p.suffix.lower() in (".docx", ".docm", ".odt")
    return False


_WORD_STREAM = "WordDocument".encode("utf-16-le")
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _refuse_ole_document(p: Path, data: bytes) -> None:
    """An OLE file that is a Word 97-2003 document, or an encrypted (password) .docx."""
    if _ENCRYPTED in data and p.suffix.lower() in (".docx", ".docm", ".odt"):
        from .word import PROTECTED

        raise UnusableInputError(p, PROTECTED)
    if _WORD_STREAM in data:
        raise UnusableInputError(
            p, "document Word 97-2003 (.doc) : convertissez-le en .docx (soffice --headless "
               f"--convert-to docx « {p.name} », ou Word › Enregistrer sous › Document Word), "
               "puis importez le .docx")
