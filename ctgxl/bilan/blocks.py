"""The bilan's blocks as WordprocessingML text: paragraphs, tables, pictures.

Each block is written with its children in schema order (ECMA-376, checked by
``tests/test_ooxml_order.py``): out of order, Word may « repair » the document and lose
the borders. Blocks go straight to the ``Package`` (``package.py``), as text.

Table columns are at least as wide as the widest word of their header, measured in
DejaVu Sans Bold (shipped with ctgxl, ``charts.font``): LibreOffice prints Arial with it
where Arial and Liberation Sans are absent, and it is wider than both, so a header word
that fits in it fits everywhere — « Abandonnée » never breaks into « Abandonn / ée ».
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape as xml_escape

from ..values import xml_text
from ..wording import typeset

TEXT_WIDTH = 9638            # twips: 17 cm between the margins of the template's A4 page
TWIPS_PER_CM = 567
CELL_MARGIN = 70             # twips, left and right of a cell's text
HEADER_SIZE, TEXT_SIZE = 16, 17    # half-points: 8 and 8.5 pt
SMALLEST_HEADER = 12         # half-points: headers shrink down to 6 pt to fit the page
HEADER_FILL, LABEL_FILL, TOTAL_FILL = "1F4E79", "EEF3F8", "DDEBF7"
BORDER = "BFBFBF"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def escape(text: str) -> str:
    """``text`` for the document's XML: escaped, ``values.xml_text`` (a file name with
    control characters or undecodable bytes), French no-break spaces (``typeset``)."""
    return xml_escape(typeset(xml_text(text)))


class Writer:
    """Writes blocks to ``package`` (a ``Package``); ``styles``: the template's styles, to
    turn a style name (« Heading 1 ») into its id, once per name."""

    def __init__(self, package, styles) -> None:
        self.package = package
        self.styles = styles
        self.figures = 0
        self._style_ids: dict[str, str | None] = {}

    def paragraph(self, text: str = "", style: str | None = None, *, bold: str = "",
                  keep_with_next: bool = False, space_after: int | None = None) -> None:
        ppr = []
        style_id = self._style_id(style)
        if style_id:
            ppr.append(f'<w:pStyle w:val="{escape(style_id)}"/>')
        if keep_with_next:
            ppr.append("<w:keepNext/>")
        if space_after is not None:
            ppr.append(f'<w:spacing w:after="{space_after}"/>')
        runs = ""
        if bold:
            runs += f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(bold)}</w:t></w:r>'
        if text:
            runs += f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        self.package.write(f'<w:p {W}><w:pPr>{"".join(ppr)}</w:pPr>{runs}</w:p>')

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, f"Heading {level}")

    def table(self, widths_cm: Sequence[float], header: Sequence[str] | None,
              rows: Sequence[Sequence[Cell]], *, keep_together: bool = False,
              keep_with_next: bool = False) -> None:
        """A table; ``keep_together``: its rows stay on one page (when it fits);
        ``keep_with_next``: and with the block that follows (the rest of a fiche)."""
        widths, header_size = column_widths(widths_cm, header)
        # tblPr: tblW, tblBorders, tblLayout, tblCellMar
        xml = [f'<w:tbl {W}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
               '<w:tblBorders>',
               *(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{BORDER}"/>'
                 for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
               '</w:tblBorders><w:tblLayout w:type="fixed"/>'
               '<w:tblCellMar><w:top w:w="30" w:type="dxa"/>'
               f'<w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:bottom w:w="30" w:type="dxa"/>'
               f'<w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar></w:tblPr>'
               '<w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
        all_rows = ([[Cell(h, header=True) for h in header]] if header else []) + list(rows)
        for index, row in enumerate(all_rows):
            first = header is not None and index == 0
            keep = first or (keep_together and (index < len(all_rows) - 1 or keep_with_next))
            xml.append('<w:tr><w:trPr><w:cantSplit/>'
                       + ('<w:tblHeader/>' if first else '') + '</w:trPr>')
            xml.extend(cell.xml(width, keep, header_size) for cell, width in zip(row, widths))
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self.package.write("".join(xml))
        self.paragraph(keep_with_next=keep_with_next, space_after=0)   # tables need a gap

    def picture(self, png: bytes, width_cm: float, caption: str) -> None:
        inline = self.package.picture(png, width_cm)
        self.package.write(f'<w:p {W}><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing>{inline}'
                           "</w:drawing></w:r></w:p>")
        self.figures += 1
        self.paragraph(f"Figure {self.figures} – {caption}", "Caption")

    def _style_id(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in self._style_ids:
            try:
                self._style_ids[name] = self.styles[name].style_id
            except KeyError:   # a coordinator's template without this style: Normal
                self._style_ids[name] = None
        return self._style_ids[name]


class Cell:
    """One table cell: text (line breaks kept), bold, shading, alignment."""

    __slots__ = ("text", "bold", "fill", "align", "header", "muted")

    def __init__(self, text: object = "", *, bold: bool = False, fill: str | None = None,
                 align: str | None = None, header: bool = False, muted: bool = False) -> None:
        self.text = "" if text is None else str(text)
        self.bold, self.fill, self.align, self.header, self.muted = bold, fill, align, header, muted

    def xml(self, width: int, keep: bool, header_size: int = HEADER_SIZE) -> str:
        # children in schema order: tcPr (tcW, shd), pPr (keepNext, spacing, jc),
        # rPr (b, color, sz, szCs)
        fill = HEADER_FILL if self.header else self.fill
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        ppr = ("<w:pPr>" + ("<w:keepNext/>" if keep else "")
               + '<w:spacing w:before="0" w:after="0"/>'
               + (f'<w:jc w:val="{self.align}"/>' if self.align else "") + "</w:pPr>")
        size = header_size if self.header else TEXT_SIZE
        rpr = ("<w:rPr>" + ("<w:b/>" if self.bold or self.header else "")
               + ('<w:color w:val="FFFFFF"/>' if self.header else "")
               + ('<w:color w:val="7F7F7F"/>' if self.muted and not self.header else "")
               + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
        lines = self.text.split("\n")
        runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
        return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
                f"<w:p>{ppr}<w:r>{rpr}{runs}</w:r></w:p></w:tc>")


def column_widths(widths_cm: Sequence[float], header: Sequence[str] | None = None
                  ) -> tuple[list[int], int]:
    """Column widths in twips and the header's size in half-points.

    ``widths_cm``: each column's width, 0 for a column that takes what the others leave
    of the page. Every column is widened to the widest word of its header. When that
    makes the table wider than the page, the columns wider than their header words
    give back the difference; when that is not enough, the header is set smaller (down
    to 6 pt) until its words fit."""
    size = HEADER_SIZE
    while True:
        needs = [header_need(h, size) for h in header] if header else [0] * len(widths_cm)
        wanted = [max(round(w * TWIPS_PER_CM), need) if w else need
                  for w, need in zip(widths_cm, needs)]
        excess = sum(wanted) - TEXT_WIDTH
        slack = sum(w - need for w, need, given in zip(wanted, needs, widths_cm) if given)
        if excess <= slack or size <= SMALLEST_HEADER or not header:
            break
        size -= 1
    if excess > 0 and slack > 0:       # fixed columns down to their words, in proportion
        keep = max(0.0, 1 - excess / slack)
        wanted = [need + int((w - need) * keep) if given else w
                  for w, need, given in zip(wanted, needs, widths_cm)]
    fixed = sum(w for w, given in zip(wanted, widths_cm) if given)
    flexible = sum(1 for given in widths_cm if not given)
    rest = max(TEXT_WIDTH - fixed, 600 * flexible) // max(flexible, 1)
    return [w if given else max(rest, w) for w, given in zip(wanted, widths_cm)], size


def header_need(text: str, size: int = HEADER_SIZE) -> int:
    """The width (twips) a header cell needs so that no word of ``text`` breaks, in bold
    at ``size`` half-points."""
    widest = max((_word_width(word) for word in text.split()), default=0.0)
    return round(widest * size / HEADER_SIZE) + 2 * CELL_MARGIN + 20   # 20: rounding, borders


@lru_cache(maxsize=1024)
def _word_width(word: str) -> float:
    """Twips of ``word`` in DejaVu Sans Bold 8 pt."""
    from .charts import SCALE, font

    points = font(HEADER_SIZE // 2, bold=True).getlength(word) / SCALE
    return points * 20
