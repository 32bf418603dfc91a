"""Flat OpenDocument text (.fodt) written from Python data, for LibreOffice to convert.

``make_word_fixtures.py`` describes each test document as blocks — headings, paragraphs
(a tab written ``\\t``), bullet or numbered lists, tables with column widths, cells spanning
columns or rows, lists inside cells — and LibreOffice turns the .fodt into the .docx, .odt and
.doc users have. Nothing here is read by ctgxl itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Para:
    text: str               # « \t » for a tab
    bold: bool = False


@dataclass
class Items:
    """A list: bullets (« – ») or numbers (« 1. »)."""

    items: list[str]
    numbered: bool = False


@dataclass
class Cell:
    text: str | list = ""   # a string (« \n » between paragraphs) or Items / str blocks
    span: int = 1
    rows: int = 1           # rows the cell covers (vertical merge)


@dataclass
class Table:
    widths: list[float]     # centimetres
    rows: list[list[Cell | str]] = field(default_factory=list)


def _inline(text: str) -> str:
    return "<text:tab/>".join(escape(part) for part in text.split("\t"))


def _paragraphs(text: str, style: str = "Cell") -> str:
    return "".join(f'<text:p text:style-name="{style}">{_inline(line)}</text:p>'
                   for line in (text.split("\n") if text else [""]))


def _items(items: Items, style: str = "Cell") -> str:
    name = "Numbers" if items.numbered else "Bullets"
    return (f'<text:list text:style-name="{name}">'
            + "".join(f'<text:list-item><text:p text:style-name="{style}">{_inline(i)}</text:p>'
                      "</text:list-item>" for i in items.items) + "</text:list>")


def _cell_content(content) -> str:
    if isinstance(content, Items):
        return _items(content)
    if isinstance(content, list):
        return "".join(_cell_content(c) for c in content)
    return _paragraphs(content)


def _table(table: Table, number: int) -> str:
    name = f"Tableau{number}"
    columns = "".join(f'<table:table-column table:style-name="{name}.C{i}"/>'
                      for i in range(len(table.widths)))
    covered_below: dict[tuple[int, int], bool] = {}
    rows = []
    for r, row in enumerate(table.rows):
        cells, col = [], 0
        queue = [c if isinstance(c, Cell) else Cell(c) for c in row]
        while col < len(table.widths):
            if covered_below.get((r, col)):
                cells.append("<table:covered-table-cell/>")
                col += 1
                continue
            cell = queue.pop(0) if queue else Cell("")
            span = min(cell.span, len(table.widths) - col)
            attrs = (f' table:number-columns-spanned="{span}"' if span > 1 else "") + (
                f' table:number-rows-spanned="{cell.rows}"' if cell.rows > 1 else "")
            cells.append(f'<table:table-cell table:style-name="{name}.Cell"{attrs} '
                         f'office:value-type="string">{_cell_content(cell.text)}'
                         "</table:table-cell>")
            cells.extend("<table:covered-table-cell/>" for _ in range(span - 1))
            for below in range(r + 1, r + cell.rows):
                for c in range(col, col + span):
                    covered_below[(below, c)] = True
            col += span
        rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    return (f'<table:table table:name="{name}" table:style-name="{name}">{columns}'
            + "".join(rows) + "</table:table>")


def _table_styles(table: Table, number: int) -> str:
    name = f"Tableau{number}"
    total = sum(table.widths)
    out = [f'<style:style style:name="{name}" style:family="table"><style:table-properties '
           f'style:width="{total:.3f}cm" table:align="left"/></style:style>',
           f'<style:style style:name="{name}.Cell" style:family="table-cell">'
           '<style:table-cell-properties fo:padding="0.05cm" fo:border="0.5pt solid #000000"/>'
           "</style:style>"]
    out.extend(f'<style:style style:name="{name}.C{i}" style:family="table-column">'
               f'<style:table-column-properties style:column-width="{w:.3f}cm"/></style:style>'
               for i, w in enumerate(table.widths))
    return "".join(out)


_LIST_STYLES = (
    '<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" '
    'text:bullet-char="–"><style:list-level-properties text:list-level-position-and-space-mode='
    '"label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" '
    'fo:text-indent="-0.4cm" fo:margin-left="0.5cm"/></style:list-level-properties>'
    "</text:list-level-style-bullet></text:list-style>"
    '<text:list-style style:name="Numbers"><text:list-level-style-number text:level="1" '
    'style:num-suffix="." style:num-format="1"><style:list-level-properties '
    'text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment '
    'text:label-followed-by="listtab" fo:text-indent="-0.5cm" fo:margin-left="0.6cm"/>'
    "</style:list-level-properties></text:list-level-style-number></text:list-style>")


def document(blocks: list, *, landscape: bool = True, font_size: float = 8) -> str:
    """The .fodt text of ``blocks`` (Heading, Para, Items, Table)."""
    body, styles, tables = [], [], 0
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f'<text:h text:style-name="Heading_20_{block.level}" '
                        f'text:outline-level="{block.level}">{_inline(block.text)}</text:h>')
        elif isinstance(block, Para):
            body.append(_paragraphs(block.text, "Strong" if block.bold else "Text"))
        elif isinstance(block, Items):
            body.append(_items(block, "Text"))
        else:
            tables += 1
            body.append(_table(block, tables))
            styles.append(_table_styles(block, tables))
    width, height = ("29.7cm", "21cm") if landscape else ("21cm", "29.7cm")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">'
        '<office:styles><style:default-style style:family="paragraph"><style:text-properties '
        f'fo:font-size="{font_size}pt" fo:language="fr" fo:country="FR"/></style:default-style>'
        '<style:style style:name="Text" style:family="paragraph"/>'
        '<style:style style:name="Cell" style:family="paragraph"/>'
        '<style:style style:name="Strong" style:family="paragraph"><style:text-properties '
        'fo:font-weight="bold"/></style:style>'
        + "".join(f'<style:style style:name="Heading_20_{n}" style:display-name="Heading {n}" '
                  f'style:family="paragraph" style:default-outline-level="{n}">'
                  f'<style:text-properties fo:font-size="{14 - 2 * n}pt" fo:font-weight="bold"/>'
                  "</style:style>" for n in (1, 2, 3))
        + _LIST_STYLES + "</office:styles>"
        '<office:automatic-styles><style:page-layout style:name="Page"><style:page-layout-'
        f'properties fo:page-width="{width}" fo:page-height="{height}" fo:margin-top="1.5cm" '
        'fo:margin-bottom="1.5cm" fo:margin-left="1.5cm" fo:margin-right="1.5cm"/>'
        "</style:page-layout>" + "".join(styles) + "</office:automatic-styles>"
        '<office:master-styles><style:master-page style:name="Standard" '
        'style:page-layout-name="Page"/></office:master-styles>'
        "<office:body><office:text>" + "".join(body) + "</office:text></office:body>"
        "</office:document>")
