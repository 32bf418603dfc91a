"""Read a plan from the word-processing document itself (.docx, .odt), table by table.

A Word export to text keeps neither merged cells nor the table boundaries; the
document does. This module walks the document body in order and gives the
importer the same rows a text export would (``SourceRow``: one row per table
row, one cell per grid column; one row per paragraph), each with its place in
the document (« tableau 12, ligne 3 », « après le tableau 12 ») for the report.

What is read, and how:

- **Merged cells.** A cell spanning several grid columns (``w:gridSpan``,
  ``table:number-columns-spanned``) gives its text in its first column and
  empty cells after it, so that the following cells stay under their headers.
  A vertically merged cell (``w:vMerge``, ``table:covered-table-cell``) holds
  its text in its first row; a continuation is empty, and any text it holds
  is added to the cell above (nothing is lost).
- **Text.** Paragraphs inside a cell and manual line breaks become line
  breaks; list numbers Word computes (« 1. », « a) », « I. ») are written as
  Word shows them (``numbering.xml``); tabs in a paragraph separate cells as in
  a text export. Tracked changes are read as accepted: insertions kept,
  deletions dropped (``w:del``, ``w:moveFrom``, deleted rows). Content controls
  (``w:sdt``) are read through. Footnotes, comments, text boxes and drawings
  are not part of the plan and are skipped.
- **Fiches actions.** Some territories write one two-column table per action
  (« Intitulé de l'action | … », « Pilote | … », « Calendrier | … »). Such
  tables are recognised by their labels (``fiche.py``) and turned into the rows
  of an action table, one row per fiche, under the thématique, axe and
  objectif the fiches name.

XML is parsed with defusedxml (no entity expansion). Whatever cannot be read
raises ``UnusableInputError`` with one French reason.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnusableInputError
from .source import Source, SourceRow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
T = "{%s}" % _TEXT_NS
TB = "{%s}" % _TABLE_NS
O = "{%s}" % _OFFICE_NS  # noqa: E741

MAX_PART_BYTES = 200 * 1024 * 1024   # a document.xml above this is not a plan
MAX_GRID_COLUMNS = 200               # a gridSpan beyond this is a broken file, not a plan
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass
class Table:
    """A table as read: rows of cell texts on the table's grid, and where each row is in
    the document (set by ``locate``). ``notes`` are what the reading decided about it
    (place, code, French message), for the import report."""

    rows: list[list[str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    notes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Paragraph:
    text: str
    place: str = ""


def locate(blocks: list) -> list:
    """The blocks (paragraph texts and tables) with their places: « tableau 3, ligne 2 » for a
    table row, « après le tableau 3 » for a paragraph."""
    out: list = []
    tables = 0
    for block in blocks:
        if isinstance(block, Table):
            tables += 1
            block.places = [f"tableau {tables}, ligne {n}" for n in range(1, len(block.rows) + 1)]
            out.append(block)
        else:
            out.append(Paragraph(block, f"après le tableau {tables}" if tables
                                 else "avant le premier tableau"))
    return out


# -- entry point -------------------------------------------------------------------------------

def read_word(p: Path) -> Source:
    """The rows of a .docx or .odt document (``UnusableInputError`` when it cannot be read)."""
    try:
        archive = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnusableInputError(p, "document endommagé (archive illisible)") from None
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" in names:
            blocks = _DocxReader(p, archive).blocks()
        elif "content.xml" in names and _odf_text(archive):
            blocks = _OdtReader(p, archive).blocks()
        elif "EncryptedPackage" in names or "encryption" in " ".join(names).lower():
            raise UnusableInputError(p, PROTECTED)
        else:
            raise UnusableInputError(p, "ni document Word (.docx) ni document texte "
                                        "OpenDocument (.odt)")
    if not any(isinstance(b, Table) for b in blocks):
        raise UnusableInputError(p, "le document ne contient aucun tableau : ctgxl importe le "
                                    "plan d'actions écrit en tableaux")
    from .fiche import fiches_to_tables

    rows, notes = rows_of_blocks(fiches_to_tables(locate(blocks)))
    return Source(str(p), rows, None, notes=notes)


PROTECTED = ("document protégé par un mot de passe : enregistrez-en une copie sans mot de "
              "passe (Fichier › Informations › Protéger le document), puis importez-la")


def rows_of_blocks(blocks: list) -> tuple[tuple[SourceRow, ...], tuple]:
    """The placed blocks as the importer's rows, and the notes of the tables as
    (row, code, message) with the row they concern."""
    rows: list[SourceRow] = []
    notes: list[tuple[SourceRow, str, str]] = []
    for block in blocks:
        if isinstance(block, Table):
            at: dict[str, SourceRow] = {}
            for cells, place in zip(block.rows, block.places):
                row = SourceRow(len(rows) + 1, tuple(_clean(c) for c in cells), place=place)
                rows.append(row)
                at.setdefault(place, row)
            notes.extend((at.get(place) or rows[-1], code, message)
                         for place, code, message in block.notes)
        else:
            cells = tuple(_clean(c) for c in block.text.split("\t"))
            rows.append(SourceRow(len(rows) + 1, cells, place=block.place))
    while rows and not any(rows[-1].cells):
        rows.pop()
    return tuple(rows), tuple(notes)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def _parse(p: Path, archive: zipfile.ZipFile, name: str):
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        info = archive.getinfo(name)
        if info.flag_bits & 0x1:
            raise UnusableInputError(p, PROTECTED)
        if info.file_size > MAX_PART_BYTES:
            raise UnusableInputError(p, f"document trop volumineux ({name} : "
                                        f"{info.file_size // (1024 * 1024)} Mo de texte)")
        data = archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as exc:
        raise UnusableInputError(p, f"document endommagé ({name} illisible : {exc})") from None
    try:
        return ElementTree.fromstring(data)
    except DefusedXmlException:
        raise UnusableInputError(p, f"document refusé : {name} déclare des entités XML "
                                    "(construction d'attaque)") from None
    except Exception as exc:  # noqa: BLE001 - ParseError and the like
        raise UnusableInputError(p, f"document endommagé ({name} : XML invalide, {exc})") from None


def _odf_text(archive: zipfile.ZipFile) -> bool:
    try:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
    except KeyError:
        return True   # no mimetype: judge by content.xml
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return False
    return mimetype.startswith("application/vnd.oasis.opendocument.text")


# -- Word ----------------------------------------------------------------------------------------

_SKIPPED_W = {W + name for name in (
    "del", "moveFrom", "delText", "delInstrText", "instrText", "footnoteReference",
    "endnoteReference", "commentReference", "drawing", "pict", "object", "fldChar",
    "rPr", "pPr", "tblPr", "tblGrid", "trPr", "tcPr", "sectPr", "bookmarkStart", "bookmarkEnd",
    "proofErr", "lastRenderedPageBreak", "sdtPr", "sdtEndPr", "commentRangeStart",
    "commentRangeEnd")}
_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"


class _DocxReader:
    def __init__(self, p: Path, archive: zipfile.ZipFile) -> None:
        self.p = p
        root = _parse(p, archive, "word/document.xml")
        self.body = root.find(W + "body") if root is not None else None
        if self.body is None:
            raise UnusableInputError(p, "document Word endommagé (word/document.xml sans corps)")
        self.numbering = _Numbering(_parse(p, archive, "word/numbering.xml"),
                                    _parse(p, archive, "word/styles.xml"))

    def blocks(self) -> list:
        out: list = []
        for element in _through_wrappers(self.body, {W + "p", W + "tbl"}):
            if element.tag == W + "p":
                out.append(self.paragraph(element, in_cell=False))
            else:
                out.append(self.table(element))
        return out

    def paragraph(self, p, *, in_cell: bool) -> str:
        parts: list[str] = [self.numbering.label(p)]
        self._runs(p, parts, in_cell)
        return "".join(parts)

    def _runs(self, element, parts: list[str], in_cell: bool) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIPPED_W or tag == _ALTERNATE:
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag == W + "tab":
                parts.append(" " if in_cell else "\t")
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") not in ("page", "column"):
                    parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "sym":
                continue
            else:   # w:r, w:ins, w:moveTo, w:hyperlink, w:sdt, w:sdtContent, w:smartTag…
                self._runs(child, parts, in_cell)

    def table(self, tbl) -> Table:
        grid: list[list[str]] = []
        starts: dict[int, tuple[int, int]] = {}   # column -> (row, column) of the merge start
        for tr in _through_wrappers(tbl, {W + "tr"}):
            if _deleted_row(tr):
                continue
            row: list[str] = [""] * _grid_before(tr)
            for tc in _through_wrappers(tr, {W + "tc"}):
                column = len(row)
                span = _int_attr(tc.find(f"{W}tcPr/{W}gridSpan"), 1)
                span = max(1, min(span, MAX_GRID_COLUMNS))
                text = self.cell(tc)
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                continued = merge is not None and merge.get(W + "val") in (None, "continue")
                if continued and column in starts:
                    at_row, at_column = starts[column]
                    if text:
                        above = grid[at_row][at_column]
                        grid[at_row][at_column] = f"{above}\n{text}" if above else text
                    text = ""
                elif merge is not None:
                    starts[column] = (len(grid), column)
                else:
                    starts.pop(column, None)
                row.append(text)
                row.extend([""] * (span - 1))
                if span > 1:
                    for covered in range(column + 1, column + span):
                        starts.pop(covered, None)
            grid.append(row)
        return Table(grid)

    def cell(self, tc) -> str:
        lines: list[str] = []
        for element in _through_wrappers(tc, {W + "p", W + "tbl"}):
            if element.tag == W + "p":
                lines.append(self.paragraph(element, in_cell=True))
            else:   # a table inside a cell: its rows as lines, cells separated by « ; »
                nested = self.table(element)
                lines.extend(" ; ".join(c for c in r if c.strip()) for r in nested.rows)
        return "\n".join(lines)


def _through_wrappers(parent, wanted: set[str]) -> Iterator:
    """The children of ``parent`` with a tag in ``wanted``, looking inside content controls
    (``w:sdt`` › ``w:sdtContent``), custom XML and accepted insertions/moves."""
    for child in parent:
        if child.tag in wanted:
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins",
                           W + "moveTo", W + "smartTag"):
            yield from _through_wrappers(child, wanted)


def _deleted_row(tr) -> bool:
    props = tr.find(W + "trPr")
    return props is not None and props.find(W + "del") is not None


def _grid_before(tr) -> int:
    return max(0, min(_int_attr(tr.find(f"{W}trPr/{W}gridBefore"), 0), MAX_GRID_COLUMNS))


def _int_attr(element, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(W + "val", default))
    except (TypeError, ValueError):
        return default


class _Numbering:
    """The list labels Word shows before numbered paragraphs (« 1. », « a) », « II. »)."""

    def __init__(self, root, styles) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> lvl -> spec
        self.counters: dict[str, list[int]] = {}
        self.by_style = _style_numbering(styles)     # styleId -> (numId, ilvl)
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(W + "abstractNum"):
            abstract[node.get(W + "abstractNumId", "")] = {
                _int_attr_named(lvl, "ilvl"): _level_spec(lvl) for lvl in node.findall(W + "lvl")}
        for num in root.findall(W + "num"):
            ref = num.find(W + "abstractNumId")
            levels = dict(abstract.get(ref.get(W + "val", "") if ref is not None else "", {}))
            for override in num.findall(W + "lvlOverride"):
                level = _int_attr_named(override, "ilvl")
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    levels[level] = _level_spec(lvl)
                start = override.find(W + "startOverride")
                if start is not None and level in levels:
                    fmt, text, _ = levels[level]
                    levels[level] = (fmt, text, _int_attr(start, 1))
            self.levels[num.get(W + "numId", "")] = levels

    def label(self, p) -> str:
        if not self.levels:
            return ""
        props = p.find(f"{W}pPr/{W}numPr")
        style = p.find(f"{W}pPr/{W}pStyle")
        key, level = self.by_style.get(style.get(W + "val", "") if style is not None else "",
                                       ("", 0))
        if props is not None:   # the paragraph's own numbering wins over its style's
            num_id = props.find(W + "numId")
            if num_id is not None:
                key = num_id.get(W + "val", "")
            ilvl = props.find(W + "ilvl")
            if ilvl is not None:
                level = _int_attr(ilvl, 0)
        levels = self.levels.get(key)
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(key, [0] * 9)
        level = min(level, 8)
        fmt, text, start = levels[level]
        counters[level] = (counters[level] + 1) if counters[level] else start
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return "- "

        def shown(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            if not 0 <= at <= level:
                return ""
            value = counters[at] or levels.get(at, ("decimal", "", 1))[2]
            return _format_number(value, levels.get(at, (fmt,))[0])

        return re.sub(r"%(\d)", shown, text) + " "


def _style_numbering(styles) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (« List Number »): styleId -> (numId,
    level), following ``basedOn``."""
    if styles is None:
        return {}
    own: dict[str, tuple[str | None, int | None]] = {}
    parents: dict[str, str] = {}
    for style in styles.findall(W + "style"):
        if style.get(W + "type") != "paragraph":
            continue
        sid = style.get(W + "styleId", "")
        based = style.find(W + "basedOn")
        if based is not None:
            parents[sid] = based.get(W + "val", "")
        props = style.find(f"{W}pPr/{W}numPr")
        if props is not None:
            num_id = props.find(W + "numId")
            ilvl = props.find(W + "ilvl")
            own[sid] = (num_id.get(W + "val") if num_id is not None else None,
                        _int_attr(ilvl, 0) if ilvl is not None else None)
    resolved: dict[str, tuple[str, int]] = {}
    for sid in set(own) | set(parents):
        num_id, level, seen, at = None, None, set(), sid
        while at and at not in seen:
            seen.add(at)
            mine = own.get(at, (None, None))
            num_id = num_id if num_id is not None else mine[0]
            level = level if level is not None else mine[1]
            at = parents.get(at, "")
        if num_id and num_id != "0":
            resolved[sid] = (num_id, level or 0)
    return resolved


def _int_attr_named(element, name: str) -> int:
    try:
        return int(element.get(W + name, 0))
    except (TypeError, ValueError):
        return 0


def _level_spec(lvl) -> tuple[str, str, int]:
    fmt = lvl.find(W + "numFmt")
    text = lvl.find(W + "lvlText")
    return (fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
            text.get(W + "val", "") if text is not None else "",
            _int_attr(lvl.find(W + "start"), 1))


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letters = ""
        n = value
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = []
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                            (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                            (4, "IV"), (1, "I")):
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


# -- OpenDocument --------------------------------------------------------------------------------

_SKIPPED_ODF = {T + "tracked-changes", T + "note", T + "bookmark-ref", T + "soft-page-break",
                "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
                "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}annotation",
                T + "sequence-decls", T + "variable-decls", T + "user-field-decls",
                "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}forms"}
MAX_REPEAT = 1000    # number-rows/columns-repeated beyond this: empty filler, not plan rows


ST = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_ODF_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
                "I": "upperRoman"}


class _OdtReader:
    def __init__(self, p: Path, archive: zipfile.ZipFile) -> None:
        root = _parse(p, archive, "content.xml")
        body = root.find(O + "body") if root is not None else None
        self.text = body.find(O + "text") if body is not None else None
        if self.text is None:
            raise UnusableInputError(p, "document OpenDocument sans texte (content.xml)")
        self.list_styles = _odf_list_styles(root, _parse(p, archive, "styles.xml"))
        self.counters: dict[str, list[int]] = {}

    def blocks(self) -> list:
        out: list = []
        self._blocks(self.text, out)
        return out

    def _blocks(self, parent, out: list) -> None:
        for child in parent:
            tag = child.tag
            if tag in (T + "p", T + "h"):
                out.append(self.paragraph(child, in_cell=False))
            elif tag == TB + "table":
                out.append(self.table(child))
            elif tag == T + "list":
                self._list(child, out, None, 1)
            elif tag in (T + "section", T + "index-body"):
                self._blocks(child, out)

    def _list(self, element, out: list, style: str | None, depth: int) -> None:
        """A list's paragraphs, each item's first one preceded by the label LibreOffice shows
        (« 1. », « a) », « - »): ODF stores the numbering rules, not the numbers."""
        style = element.get(T + "style-name") or style or ""
        levels = self.list_styles.get(style, {})
        counters = self.counters.setdefault(style, [0] * 10)
        level = min(depth, 10)
        continued = (element.get(T + "continue-numbering") == "true"
                     or element.get(T + "continue-list"))
        if depth == 1 and not continued:
            counters[:] = [0] * 10
        for item in element:
            if item.tag not in (T + "list-item", T + "list-header"):
                continue
            label = ""
            if item.tag == T + "list-item":
                spec = levels.get(level)
                start = _odf_int(item, T + "start-value", 0)
                counters[level - 1] = start if start else (
                    counters[level - 1] + 1 if counters[level - 1] else
                    (spec[3] if spec else 1))
                counters[level:] = [0] * (10 - level)
                label = _odf_label(spec, counters, level) if spec else ""
            for child in item:
                if child.tag in (T + "p", T + "h"):
                    out.append(label + self.paragraph(child, in_cell=False))
                    label = ""
                elif child.tag == T + "list":
                    self._list(child, out, style, depth + 1)
                elif child.tag == TB + "table":
                    out.append(self.table(child))

    def paragraph(self, p, *, in_cell: bool) -> str:
        parts: list[str] = []
        if p.text:
            parts.append(p.text)
        for child in p:
            self._inline(child, parts, in_cell)
            if child.tail:
                parts.append(child.tail)
        return "".join(parts)

    def _inline(self, element, parts: list[str], in_cell: bool) -> None:
        tag = element.tag
        if tag in _SKIPPED_ODF:
            return
        if tag == T + "s":
            parts.append(" " * max(1, min(_odf_int(element, T + "c", 1), 100)))
        elif tag == T + "tab":
            parts.append(" " if in_cell else "\t")
        elif tag == T + "line-break":
            parts.append("\n")
        else:   # text:span, text:a, text:number, text:change-start…
            if element.text:
                parts.append(element.text)
            for child in element:
                self._inline(child, parts, in_cell)
                if child.tail:
                    parts.append(child.tail)

    def table(self, table) -> Table:
        grid: list[list[str]] = []
        above: dict[int, tuple[int, int]] = {}   # column -> (row, column) of its text cell
        for tr in self._rows(table):
            repeat = max(1, min(_odf_int(tr, TB + "number-rows-repeated", 1), MAX_REPEAT))
            for _ in range(repeat):
                row: list[str] = []
                for cell in tr:
                    if cell.tag not in (TB + "table-cell", TB + "covered-table-cell"):
                        continue
                    times = max(1, min(_odf_int(cell, TB + "number-columns-repeated", 1),
                                       MAX_GRID_COLUMNS))
                    for _ in range(times):
                        column = len(row)
                        text = self.cell(cell)
                        if cell.tag == TB + "covered-table-cell":
                            origin = above.get(column)
                            if text and origin is not None:
                                at_row, at_column = origin
                                before = grid[at_row][at_column] if at_row < len(grid) else ""
                                if at_row < len(grid):
                                    grid[at_row][at_column] = (f"{before}\n{text}" if before
                                                               else text)
                            row.append("")
                            continue
                        span = max(1, min(_odf_int(cell, TB + "number-columns-spanned", 1),
                                          MAX_GRID_COLUMNS))
                        for covered in range(column, column + span):
                            above[covered] = (len(grid), column)
                        row.append(text)
                        if len(row) > MAX_GRID_COLUMNS:
                            break
                grid.append(row)
        while grid and not any(c.strip() for c in grid[-1]):
            grid.pop()
        return Table(grid)

    def _rows(self, parent) -> Iterator:
        for child in parent:
            if child.tag == TB + "table-row":
                yield child
            elif child.tag in (TB + "table-header-rows", TB + "table-rows",
                               TB + "table-row-group"):
                yield from self._rows(child)

    def cell(self, cell) -> str:
        lines: list[str] = []
        for child in cell:
            if child.tag in (T + "p", T + "h"):
                lines.append(self.paragraph(child, in_cell=True))
            elif child.tag == T + "list":
                nested: list = []
                self._list(child, nested, None, 1)
                lines.extend(b for b in nested if isinstance(b, str))
            elif child.tag == TB + "table":
                nested_table = self.table(child)
                lines.extend(" ; ".join(c for c in r if c.strip()) for r in nested_table.rows)
        return "\n".join(lines)


def _odf_list_styles(*roots) -> dict[str, dict[int, tuple]]:
    """List styles by name: level -> (kind, format, prefix + suffix, start, levels shown)."""
    styles: dict[str, dict[int, tuple]] = {}
    for root in roots:
        if root is None:
            continue
        for list_style in root.iter(T + "list-style"):
            levels = styles.setdefault(list_style.get(ST + "name", ""), {})
            for spec in list_style:
                level = _odf_int(spec, T + "level", 1)
                if spec.tag == T + "list-level-style-bullet":
                    levels[level] = ("bullet", "", ("", ""), 1, 1)
                elif spec.tag == T + "list-level-style-number":
                    levels[level] = ("number", spec.get(ST + "num-format", "1"),
                                     (spec.get(ST + "num-prefix", ""),
                                      spec.get(ST + "num-suffix", "")),
                                     _odf_int(spec, T + "start-value", 1),
                                     _odf_int(spec, T + "display-levels", 1))
    return styles


def _odf_label(spec: tuple, counters: list[int], level: int) -> str:
    kind, fmt, (prefix, suffix), _, shown_levels = spec
    if kind == "bullet":
        return "- "
    if fmt not in _ODF_FORMATS:
        return ""
    first = max(1, level - shown_levels + 1)
    numbers = ".".join(_format_number(max(counters[at - 1], 1), _ODF_FORMATS[fmt])
                       for at in range(first, level + 1))
    return f"{prefix}{numbers}{suffix} "


def _odf_int(element, name: str, default: int) -> int:
    try:
        return int(element.get(name, default))
    except (TypeError, ValueError):
        return default
