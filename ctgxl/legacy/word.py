"""Read a plan from the word-processing document itself (.docx, .odt), table by table.

A Word export to text keeps neither merged cells nor the table boundaries; the
document does. The body is read in order (``docx.py``, ``odt.py``, streamed and bounded by
``xmlparts``) and given to the importer as the rows a text export would give (``SourceRow``:
one row per table row, one cell per column of the table; one row per paragraph, its
tab-separated parts as cells), each with its place in the document (« tableau 12, ligne 3 »,
« paragraphe 2 après le tableau 12 ») for the report.

What is read, and how:

- **Columns.** Every cell is placed by its grid position and the table's column widths,
  then on the table's columns (``columns.py``): a document converted from a .doc by
  LibreOffice, whose grid was rebuilt from the cell widths, reads like the original. A cell
  spanning several columns gives its text in its first column and says how many it covers
  (``SourceRow.spans``), so that a header cell names every column under it. A vertically
  merged cell holds its text in its first row; any text in a continuation is added to it.
- **Text.** Paragraphs inside a cell and manual line breaks become line breaks; list
  numbers and bullets are written as the word processor shows them (« 1. », « a) »,
  « - »); tabs in a paragraph separate cells as in a text export. Tracked changes are read
  as accepted. Content controls are read through. Footnotes, comments, text boxes, headers
  and footers are not part of the plan and are not read.
- **Fiches actions.** Plans written as one small table, or one run of « Libellé : valeur »
  paragraphs, per action are turned into the rows of an action table (``fiche.py``,
  ``fiche_text.py``).
- **Accounting.** Every non-empty cell and paragraph part is a *unit* of text
  (``Source.units``) with its place; the importer says of each whether it went into the
  plan or into the report's list of text not imported (``ledger.py``).

Whatever cannot be read raises ``UnusableInputError`` with one French reason.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnusableInputError
from .source import Source, SourceRow, Unit
from .xmlparts import PROTECTED, Budget

_SPACES = re.compile(r"[ \t\u00a0]+")

__all__ = ["PROTECTED", "Paragraph", "Table", "locate", "read_word", "rows_of_blocks"]


@dataclass
class Table:
    """A table as read: rows of cell texts on the table's columns, the columns each cell
    covers (``spans``, 0 after a cell's first column), where each row is (``places``, set by
    ``locate``) and which units of text each cell holds (``sources``: None for the table's
    own cells). ``notes`` are what reading decided about it (place, code, French message)."""

    rows: list[list[str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    spans: list[list[int]] | None = None
    sources: list[list[tuple]] | None = None
    index: int = -1                  # position among the document's blocks (``locate``)


@dataclass
class Paragraph:
    text: str
    place: str = ""
    sources: list[tuple] | None = None     # per tab-separated part; None: its own
    index: int = -1


def locate(blocks: list) -> list:
    """The blocks (paragraph texts and tables) with their places: « tableau 3, ligne 2 » for a
    table row, « paragraphe 2 après le tableau 3 » for the second non-empty paragraph after
    table 3 (« paragraphe 2 avant le premier tableau » at the top; « paragraphe 2 » in a
    document without tables)."""
    out: list = []
    tables = paragraphs = 0
    any_table = any(isinstance(b, Table) for b in blocks)
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            tables += 1
            paragraphs = 0
            block.places = [f"tableau {tables}, ligne {n}" for n in range(1, len(block.rows) + 1)]
            block.index = index
            out.append(block)
            continue
        if isinstance(block, Paragraph):
            block.index = index
            out.append(block)
            continue
        if block.strip():
            paragraphs += 1
        where = (f" après le tableau {tables}" if tables else
                 " avant le premier tableau" if any_table else "")
        out.append(Paragraph(block, f"paragraphe {max(paragraphs, 1)}{where}", index=index))
    return out


def units_of(blocks: list) -> tuple[Unit, ...]:
    """The units of text of the placed blocks: each non-empty cell of a table (« tableau 3,
    ligne 2, colonne 4 ») and each non-empty tab-separated part of a paragraph."""
    units: list[Unit] = []
    for block in blocks:
        if isinstance(block, Table):
            for r, (cells, place) in enumerate(zip(block.rows, block.places)):
                for c, text in enumerate(cells):
                    text = clean(text)
                    if text:
                        units.append(Unit((block.index, r, c), f"{place}, colonne {c + 1}", text))
        else:
            for c, text in enumerate(block.text.split("\t")):
                text = clean(text)
                if text:
                    units.append(Unit((block.index, 0, c), block.place, text))
    return tuple(units)


# -- entry point -------------------------------------------------------------------------------

def read_word(p: Path, vocabulary=None) -> Source:
    """The rows of a .docx or .odt document (``UnusableInputError`` when it cannot be read);
    ``vocabulary`` gives the thématiques fiches actions may name."""
    from .docx import DocxReader
    from .odt import OdtReader

    try:
        archive = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnusableInputError(p, "document endommagé (archive illisible)") from None
    budget = Budget(p)
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" in names:
            reader = DocxReader(p, archive, budget)
        elif "content.xml" in names and _odf_text(archive):
            reader = OdtReader(p, archive, budget)
        elif "EncryptedPackage" in names or "encryption" in " ".join(names).lower():
            raise UnusableInputError(p, PROTECTED)
        else:
            raise UnusableInputError(p, "ni document Word (.docx) ni document texte "
                                        "OpenDocument (.odt)")
        blocks = reader.blocks()
    from .fiche_runs import fiches_to_tables

    placed = locate(blocks)
    units = units_of(placed)
    converted = fiches_to_tables(placed, vocabulary)
    if not any(isinstance(b, Table) for b in converted):
        raise UnusableInputError(p, "le document ne contient aucun tableau ni fiche action : "
                                    "ctgxl importe le plan d'actions écrit en tableaux ou en "
                                    "fiches actions (« Pilote : … », « Calendrier : … »)")
    rows, notes = rows_of_blocks(converted)
    return Source(str(p), rows, None, notes=notes, units=units, generated=reader.generated)


def rows_of_blocks(blocks: list) -> tuple[tuple[SourceRow, ...], tuple]:
    """The placed blocks as the importer's rows, and the notes of the tables as
    (row, code, message) with the row they concern."""
    rows: list[SourceRow] = []
    notes: list[tuple[SourceRow, str, str]] = []
    for block in blocks:
        if isinstance(block, Table):
            at: dict[str, SourceRow] = {}
            for r, (cells, place) in enumerate(zip(block.rows, block.places)):
                texts = tuple(clean(c) for c in cells)
                if block.sources is not None:
                    sources = tuple(tuple(s) for s in block.sources[r])
                else:
                    sources = tuple(((block.index, r, c),) if t else ()
                                    for c, t in enumerate(texts))
                spans = tuple(block.spans[r]) if block.spans is not None else ()
                row = SourceRow(len(rows) + 1, texts, place=place, spans=spans,
                                sources=sources, kind="table")
                rows.append(row)
                at.setdefault(place, row)
            first = next(iter(at.values()), rows[-1] if rows else None)
            notes.extend((at.get(place) or first, code, message)
                         for place, code, message in block.notes)
        else:
            texts = tuple(clean(c) for c in block.text.split("\t"))
            if block.sources is not None:
                sources = tuple(tuple(s) for s in block.sources)
            else:
                sources = tuple(((block.index, 0, c),) if t else () for c, t in enumerate(texts))
            rows.append(SourceRow(len(rows) + 1, texts, place=block.place, sources=sources,
                                  kind="paragraph"))
    while rows and not any(rows[-1].cells):
        rows.pop()
    return tuple(rows), tuple(notes)


def clean(text: str) -> str:
    """Spaces, tabs and no-break spaces collapsed; lines stripped, empty lines dropped."""
    if "\n" not in text and "\r" not in text and "\t" not in text and "\u00a0" not in text \
            and "  " not in text:
        return text.strip()          # the common case, without the regular expression
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def _odf_text(archive: zipfile.ZipFile) -> bool:
    try:
        with archive.open("mimetype") as member:
            mimetype = member.read(200).decode("ascii", "replace").strip()
    except KeyError:
        return True   # no mimetype: judge by content.xml
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return False
    return mimetype.startswith("application/vnd.oasis.opendocument.text")
