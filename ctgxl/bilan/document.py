"""The bilan as a Word document: the template's pages with the ``Bilan`` poured in.

Layout decisions (see ctgxl/guides/bilan.md):

- each thématique starts a page (style « Titre 1 » breaks the page); axes, objectifs
  and actions are « Titre 2 », « Titre 3 », « Titre 4 »;
- a fiche is a two-column table (at least two rows), then its offers and its indicators;
  rows never split; when the fiche's tables fit on a page (``estimated_height``) every
  row keeps with the next, so that the fiche is never cut; a longer one starts where
  it is and continues, the header row of each table repeated on the next page;
- tables are drawn with explicit borders and shading (a coordinator's template does
  not need our table styles); their text is the Normal font at 8.5 pt;
- charts are PNG images (``charts.py``) with a « Figure N » caption under them.

Paragraphs and tables are written as WordprocessingML directly (one parse each), and
pictures added without python-docx's per-picture scans of the document: a 206-action
bilan with 218 charts renders in about a second.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm

from ..consolidation.style import statut_colours
from ..values import xml_text
from . import charts
from .content import DONE, NO_STATUT, RUNNING, Bilan, Evolutions, Fiche, Indicator

TEXT_WIDTH = 9638            # twips: 17 cm between the margins of the template's A4 page
TWIPS_PER_CM = 567
HEADER_FILL, LABEL_FILL, TOTAL_FILL = "1F4E79", "EEF3F8", "DDEBF7"
BORDER = "BFBFBF"
FIELD = re.compile(r"\{(territoire|annee|periode|date|source)\}")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def escape(text: str) -> str:
    """``text`` for the document's XML: escaped, and ``values.xml_text`` (a file name with
    control characters or undecodable bytes)."""
    return xml_escape(xml_text(text))


def render(bilan: Bilan, template: bytes) -> bytes:
    """The .docx bytes of ``bilan`` laid out in ``template``."""
    doc = Document(io.BytesIO(template))
    _fill_fields(doc, _fields(bilan))
    writer = _Writer(doc)
    _summary(writer, bilan)
    if bilan.evolutions is not None:
        _evolutions(writer, bilan.evolutions, bilan.year)
    for section in bilan.sections:
        _section(writer, bilan, section)
    writer.finish()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# -- fields of the template -----------------------------------------------------------------

def french_date(day) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def _fields(bilan: Bilan) -> dict[str, str]:
    return {
        "territoire": bilan.territoire or "",
        "annee": str(bilan.year),
        "periode": f"{bilan.period[0]}-{bilan.period[1]}" if bilan.period else "non précisée",
        "date": french_date(bilan.date),
        "source": bilan.source or "",
    }


def _fill_fields(doc, values: dict[str, str]) -> None:
    """Replace ``{champ}`` in every paragraph of the body, the tables, the headers and the
    footers, keeping the formatting of the run where each field starts."""
    for paragraph in _all_paragraphs(doc):
        if "{" not in paragraph.text:
            continue
        runs = paragraph.runs
        text = "".join(r.text for r in runs)
        if not FIELD.search(text):
            continue
        new = FIELD.sub(lambda m: values[m.group(1)], text)
        if not values["territoire"] and "{territoire}" in text:
            # « CTG – {territoire} – Bilan 2025 » without a territory: one dash, not two
            new = re.sub(r"\s+[–-]\s+(?=[–-]\s)", " ", new).strip(" –-")
        runs[0].text = xml_text(new)    # {source}: a file name
        for run in runs[1:]:
            run.text = ""


def _all_paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header,
                     section.even_page_footer):
            if not part.is_linked_to_previous:
                yield from part.paragraphs


# -- writer -----------------------------------------------------------------------------------

class _Writer:
    """Adds blocks where the template's ``{contenu}`` paragraph is (else at the end).

    Paragraphs are WordprocessingML parsed once each, styles resolved once by name:
    python-docx's ``add_paragraph`` looks the body and the styles up again on every call,
    which took 3 s for a 206-action bilan."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.anchor = next((p._p for p in doc.paragraphs if p.text.strip() == "{contenu}"), None)
        body = doc.element.body
        self.before = self.anchor if self.anchor is not None else body.sectPr
        self.body = body
        self.figures = 0
        self.next_shape_id: int | None = None
        self._style_ids: dict[str, str | None] = {}

    def _place(self, element) -> None:
        if self.before is not None:
            self.before.addprevious(element)
        else:
            self.body.append(element)

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
        self._place(parse_xml(f'<w:p {nsdecls("w")}><w:pPr>{"".join(ppr)}</w:pPr>{runs}</w:p>'))

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, f"Heading {level}")

    def table(self, widths_cm: Sequence[float], header: Sequence[str] | None,
              rows: Sequence[Sequence["Cell"]], *, keep_together: bool = False,
              keep_with_next: bool = False) -> None:
        """A table; ``keep_together``: its rows stay on one page (when it fits);
        ``keep_with_next``: and with the block that follows (the rest of a fiche)."""
        widths = _widths(widths_cm)
        # Every element is written with its children in schema order (ECMA-376, checked
        # by tests/test_ooxml_order.py): out of order, Word may « repair » the document
        # and lose the borders. tblPr: tblW, tblBorders, tblLayout, tblCellMar.
        xml = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
               '<w:tblBorders>',
               *(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{BORDER}"/>'
                 for side in ("top", "left", "bottom", "right", "insideH", "insideV")),
               '</w:tblBorders><w:tblLayout w:type="fixed"/>'
               '<w:tblCellMar><w:top w:w="30" w:type="dxa"/>'
               '<w:left w:w="70" w:type="dxa"/><w:bottom w:w="30" w:type="dxa"/>'
               '<w:right w:w="70" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>',
               *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
        all_rows = ([[Cell(h, header=True) for h in header]] if header else []) + list(rows)
        for index, row in enumerate(all_rows):
            first = header is not None and index == 0
            keep = first or (keep_together and (index < len(all_rows) - 1 or keep_with_next))
            xml.append('<w:tr><w:trPr><w:cantSplit/>'
                       + ('<w:tblHeader/>' if first else '') + '</w:trPr>')
            xml.extend(cell.xml(width, keep) for cell, width in zip(row, widths))
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        self._place(parse_xml("".join(xml)))
        self.paragraph(keep_with_next=keep_with_next, space_after=0)   # tables need a gap

    def picture(self, png: bytes, width_cm: float, caption: str) -> None:
        from docx.oxml.ns import qn

        from docx.image.image import Image
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.oxml.shape import CT_Inline
        from docx.parts.image import ImagePart

        # python-docx's add_picture scans the whole document for the next shape id and
        # hashes every image already there, on each picture (3 s for 218 charts): the
        # ids and the part names are counted here instead.
        part = self.doc.part
        if self.next_shape_id is None:
            self.next_shape_id = part.next_id
        image = Image.from_blob(png)
        name = PackURI(f"/word/media/ctgxl-figure-{self.next_shape_id}.png")
        r_id = part.relate_to(ImagePart.from_image(image, name), RELATIONSHIP_TYPE.IMAGE)
        cx, cy = image.scaled_dimensions(Cm(width_cm), None)
        inline = CT_Inline.new_pic_inline(self.next_shape_id, r_id, name.filename, cx, cy)
        self.next_shape_id += 1
        paragraph = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:keepNext/></w:pPr>'
                              "<w:r><w:drawing/></w:r></w:p>")
        paragraph.find(f"{qn('w:r')}/{qn('w:drawing')}").append(inline)
        self._place(paragraph)
        self.figures += 1
        self.paragraph(f"Figure {self.figures} – {caption}", "Caption")

    def _style_id(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name not in self._style_ids:
            try:
                self._style_ids[name] = self.doc.styles[name].style_id
            except KeyError:   # a coordinator's template without this style: Normal
                self._style_ids[name] = None
        return self._style_ids[name]

    def finish(self) -> None:
        if self.anchor is not None:
            self.anchor.getparent().remove(self.anchor)


class Cell:
    """One table cell: text (line breaks kept), bold, shading, alignment."""

    __slots__ = ("text", "bold", "fill", "align", "header", "muted")

    def __init__(self, text: object = "", *, bold: bool = False, fill: str | None = None,
                 align: str | None = None, header: bool = False, muted: bool = False) -> None:
        self.text = "" if text is None else str(text)
        self.bold, self.fill, self.align, self.header, self.muted = bold, fill, align, header, muted

    def xml(self, width: int, keep: bool) -> str:
        # children in schema order: tcPr (tcW, shd), pPr (keepNext, spacing, jc),
        # rPr (b, color, sz, szCs)
        fill = HEADER_FILL if self.header else self.fill
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        ppr = ("<w:pPr>" + ("<w:keepNext/>" if keep else "")
               + '<w:spacing w:before="0" w:after="0"/>'
               + (f'<w:jc w:val="{self.align}"/>' if self.align else "") + "</w:pPr>")
        size = 16 if self.header else 17   # half-points: 8 and 8.5 pt
        rpr = ("<w:rPr>" + ("<w:b/>" if self.bold or self.header else "")
               + ('<w:color w:val="FFFFFF"/>' if self.header else "")
               + ('<w:color w:val="7F7F7F"/>' if self.muted and not self.header else "")
               + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>')
        lines = self.text.split("\n")
        runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
        return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>'
                f"<w:p>{ppr}<w:r>{rpr}{runs}</w:r></w:p></w:tc>")


def _widths(widths_cm: Sequence[float]) -> list[int]:
    """Column widths in twips; a width of 0 takes what the others leave of the page."""
    fixed = sum(round(w * TWIPS_PER_CM) for w in widths_cm if w)
    flexible = [w for w in widths_cm if not w]
    rest = max(TEXT_WIDTH - fixed, 600 * len(flexible)) // max(len(flexible), 1)
    return [round(w * TWIPS_PER_CM) if w else rest for w in widths_cm]


def percent(share: float) -> str:
    return f"{round(share * 100)} %"


def number(value) -> str:
    return charts.number_text(value)


# -- summary ---------------------------------------------------------------------------------

def _summary(w: _Writer, bilan: Bilan) -> None:
    w.heading(f"Synthèse de l'avancement en {bilan.year}", 1)
    total, themes = bilan.total, len(bilan.by_thematique)
    done, running = bilan.total_of(DONE), bilan.total_of(RUNNING)
    unknown = bilan.total_of(NO_STATUT)
    w.paragraph(
        f"Le plan d'actions compte {total} action{'s' if total != 1 else ''}, réparties en "
        f"{themes} thématique{'s' if themes != 1 else ''}."
        + ("" if unknown == total else
           f" En {bilan.year}, {done} {'sont réalisées' if done != 1 else 'est réalisée'} "
           f"({percent(bilan.share(DONE))}) et {running} en cours "
           f"({percent(bilan.share(RUNNING))})."))
    for gap in bilan.gaps:
        w.paragraph(gap, bold="Chiffres incomplets — ")
    if not bilan.followed_up:
        w.paragraph(f"Aucune ligne de la feuille Suivi ne porte sur {bilan.year} : les statuts "
                    "présentés sont ceux de la colonne « Statut » de la feuille Actions.")
    if unknown == total and total:
        w.paragraph("Aucun statut n'est renseigné : l'avancement ne peut pas encore être "
                    "présenté. Les services indiquent le statut de chaque action dans la "
                    "feuille Suivi (une ligne par action et par année).")
    elif unknown:
        w.paragraph(f"{unknown} action{'s' if unknown != 1 else ''} sans statut renseigné "
                    f"({percent(unknown / total)}) figurent en « {NO_STATUT} ».")

    statuts = [s for s in bilan.statuts if bilan.total_of(s)] or list(bilan.statuts[:1])
    header = ["Thématique", *statuts, "Total", "% réalisées", "% en cours"]
    rows = []
    for theme, counts in bilan.by_thematique.items():
        n = sum(counts.values())
        rows.append([Cell(theme), *(Cell(counts.get(s, 0) or "", align="right") for s in statuts),
                     Cell(n, align="right", bold=True),
                     Cell(percent(counts.get(DONE, 0) / n) if n else "", align="right"),
                     Cell(percent(counts.get(RUNNING, 0) / n) if n else "", align="right")])
    rows.append([Cell("Total", bold=True, fill=TOTAL_FILL),
                 *(Cell(bilan.total_of(s), align="right", bold=True, fill=TOTAL_FILL)
                   for s in statuts),
                 Cell(total, align="right", bold=True, fill=TOTAL_FILL),
                 Cell(percent(bilan.share(DONE)), align="right", bold=True, fill=TOTAL_FILL),
                 Cell(percent(bilan.share(RUNNING)), align="right", bold=True, fill=TOTAL_FILL)])
    w.paragraph("Actions par thématique et par statut", "Heading 3")
    # « Abandonnée » in bold 8 pt needs 1.8 cm not to break inside the word
    w.table([0, *([1.95 if len(statuts) <= 5 else 1.8] * len(statuts)), 1.1, 1.3, 1.3],
            header, rows, keep_together=True)
    if total:
        png = charts.statut_chart(bilan.by_thematique, bilan.statuts,
                                  statut_colours(bilan.statuts), NO_STATUT)
        w.picture(png, 17, f"Avancement des actions par thématique en {bilan.year} "
                           "(nombre d'actions ; hachuré : statut non renseigné)")

    c = bilan.counts
    w.paragraph("Indicateurs d'évaluation", "Heading 3")
    if not c.get("indicateurs"):
        w.paragraph("Aucun indicateur n'est décrit dans la feuille Indicateurs.")
        return
    w.paragraph(
        f"{c['indicateurs']} indicateurs décrits, dont {c['avec_cible']} avec une cible "
        f"chiffrée ; {c['avec_valeur']} ont une valeur pour {bilan.year}, dont "
        f"{c['cible_atteinte']} atteignent ou dépassent leur cible.")


# -- evolutions ------------------------------------------------------------------------------

def _evolutions(w: _Writer, ev: Evolutions, year: int) -> None:
    w.heading("Évolutions depuis le dernier COPIL", 1)
    w.paragraph(f"Comparaison avec le fichier de pilotage « {ev.previous} », action par "
                "action (par leur identifiant).")
    if ev.empty:
        w.paragraph("Aucune évolution : les actions, leurs statuts et les valeurs des "
                    "indicateurs sont les mêmes.")
        return
    new_values = [v for v in ev.values if v[3] is None]
    changed_values = [v for v in ev.values if v[3] is not None]
    figures = [(len(ev.added), "action nouvelle", "actions nouvelles"),
               (len(ev.removed), "action retirée", "actions retirées"),
               (len(ev.statuts), "changement de statut", "changements de statut"),
               (len(ev.changed), "action modifiée", "actions modifiées"),
               (len(new_values), "valeur d'indicateur nouvelle", "valeurs d'indicateurs nouvelles"),
               (len(changed_values), "valeur d'indicateur corrigée",
                "valeurs d'indicateurs corrigées")]
    w.paragraph(" ; ".join(f"{n} {one if n == 1 else many}" for n, one, many in figures) + ".")
    if ev.statuts:
        w.heading("Changements de statut", 3)
        w.table([2, 0, 2.6, 2.6], ["ID", "Action", "Avant", f"En {year}"],
                [[Cell(i, bold=True), Cell(t), Cell(a, muted=True), Cell(b, bold=True)]
                 for i, t, a, b in ev.statuts])
    for title, rows in (("Actions nouvelles", ev.added), ("Actions retirées", ev.removed)):
        if rows:
            w.heading(title, 3)
            w.table([2, 0], ["ID", "Action"], [[Cell(i, bold=True), Cell(t)] for i, t in rows])
    if ev.changed:
        w.heading("Actions modifiées", 3)
        w.table([2, 0, 5.5], ["ID", "Action", "Champs modifiés"],
                [[Cell(i, bold=True), Cell(t), Cell(", ".join(f))] for i, t, f in ev.changed])
    if new_values:
        years = sorted({v[2] for v in new_values})
        w.paragraph(f"Les {len(new_values)} valeurs nouvelles ("
                    + ", ".join(str(y) for y in years)
                    + ") figurent dans les tableaux d'indicateurs des fiches actions.")
    if changed_values:
        w.heading("Valeurs d'indicateurs corrigées", 3)
        w.table([2, 0, 1.4, 2.6, 2.6], ["ID", "Indicateur", "Année", "Avant", "Valeur"],
                [[Cell(i, bold=True), Cell(label), Cell(y, align="right"),
                  Cell(_with_unit(old, unit), muted=True, align="right"),
                  Cell(_with_unit(new, unit), bold=True, align="right")]
                 for i, label, y, old, new, unit in changed_values])


def _with_unit(value, unit: str | None) -> str:
    text = number(value)
    return f"{text} {unit}" if unit and text and unit != "%" else (f"{text} %" if unit == "%"
                                                                   else text)


# -- fiches ----------------------------------------------------------------------------------

def _section(w: _Writer, bilan: Bilan, section) -> None:
    fiches = section.fiches
    w.heading(section.thematique, 1)
    counts = bilan.by_thematique.get(section.thematique, {})
    parts = [statut_count(counts[s], s) for s in bilan.statuts if counts.get(s)]
    w.paragraph(f"{len(fiches)} action{'s' if len(fiches) != 1 else ''} en {bilan.year} : "
                + ", ".join(parts) + ".")
    for axe in section.axes:
        w.heading(_level_title("Axe", axe.code, axe.label), 2)
        for objectif in axe.objectifs:
            if objectif.code or objectif.label:
                w.heading(_level_title("Objectif", objectif.code, objectif.label), 3)
            for fiche in objectif.fiches:
                _fiche(w, bilan, fiche)


def statut_count(n: int, statut: str) -> str:
    """« 2 réalisées », « 3 en cours », « 1 non renseigné »: a statut after a count."""
    label = statut.lower()
    if n > 1 and not label.endswith(("s", "x")):
        label += "s"
    return f"{n} {label}"


def _level_title(kind: str, code, label) -> str:
    if code and label:
        return f"{kind} {code} – {label}"
    return f"{kind} {code}" if code else (label or f"{kind} non précisé")


def _fiche(w: _Writer, bilan: Bilan, fiche: Fiche) -> None:
    w.heading(f"{fiche.id_action} – {fiche.intitule or '(intitulé non renseigné)'}", 4)
    tables = fiche_tables(bilan, fiche)
    # The fiche's tables stay on one page when they fit on one (estimated); a longer fiche
    # starts where it is and its long tables continue on the next page, header repeated.
    fits = fits_on_a_page(tables)
    for k, (widths, header, rows) in enumerate(tables):
        alone = estimated_height(widths, header, rows) <= BLOCK_HEIGHT
        w.table(widths, header, rows, keep_together=fits or (alone and k == 0),
                keep_with_next=k < len(tables) - 1 and (fits or k == 0))
    for i in fiche.indicators:
        if sum(type(v) in (int, float) for v in i.values.values()) >= 2:
            _chart(w, fiche, i)


def fiche_tables(bilan: Bilan, fiche: Fiche) -> list[tuple[list[float], list[str] | None, list]]:
    """The tables of a fiche: (widths in cm, header, rows) of the fiche itself, its offers,
    its indicators."""
    history = " ; ".join(f"{y} : {s}" for y, s in fiche.history if y < bilan.year)
    # Always two rows at least: LibreOffice keeps a one-row table with what follows only
    # when it has more than one row (measured), and the fiche would lose its offers.
    rows = [[Cell(f"Statut en {bilan.year}", bold=True, fill=LABEL_FILL),
             Cell(fiche.statut, bold=fiche.statut != NO_STATUT,
                  muted=fiche.statut == NO_STATUT)],
            [Cell("Années précédentes", bold=True, fill=LABEL_FILL),
             Cell(history or f"aucun suivi avant {bilan.year}", muted=not history)]]
    rows += [[Cell(label, bold=True, fill=LABEL_FILL), Cell(text)] for label, text in fiche.fields]
    if fiche.indicators_text:
        rows.append([Cell("Indicateurs d'évaluation", bold=True, fill=LABEL_FILL),
                     Cell(fiche.indicators_text)])
    if fiche.commentaire:
        rows.append([Cell("Commentaire", bold=True, fill=LABEL_FILL), Cell(fiche.commentaire)])
    tables = [([3.8, 0], None, rows)]
    if fiche.offers:
        tables.append(([0.9, 0, 3.6, 3.4, 2.6], ["N°", "Offre", "Porteur", "Public", "Échéances"],
                       [[Cell(o.numero, align="right"), Cell(o.offre), Cell(o.porteur),
                         Cell(o.public), Cell(o.echeances)] for o in fiche.offers]))
    if fiche.indicators:
        tables.append(_indicator_table(bilan, fiche))
    return tables


def fits_on_a_page(tables) -> bool:
    return sum(estimated_height(*table) for table in tables) <= BLOCK_HEIGHT


BLOCK_HEIGHT = 21.0       # cm: what a fiche may take to be kept on one page (page: 25.9 cm)
CHARS_PER_CM = 6.0        # Arial 8.5 pt, measured on the bilan's tables
LINE_CM, ROW_PAD_CM = 0.37, 0.12


def estimated_height(widths_cm, header, rows) -> float:
    """The height of a table in cm, from the length of its texts (enough to choose
    between keeping it on one page or letting it continue)."""
    widths = [w / TWIPS_PER_CM for w in _widths(widths_cm)]
    total = 0.0
    for row in ([[Cell(h) for h in header]] if header else []) + list(rows):
        lines = 1
        for cell, width in zip(row, widths):
            per_line = max(1.0, (width - 0.25) * CHARS_PER_CM)
            lines = max(lines, sum(-(-max(len(part), 1) // int(per_line))
                                   for part in cell.text.split("\n")))
        total += lines * LINE_CM + ROW_PAD_CM
    return total + 0.5


def _indicator_table(bilan: Bilan, fiche: Fiche):
    years = list(bilan.years)
    header = ["N°", "Indicateur", "Unité", "Référence", *map(str, years), "Cible"]
    rows = []
    for i in fiche.indicators:
        rows.append([Cell(i.numero, align="right"),
                     Cell(i.libelle + (f"\n{i.type}" if i.type else "")), Cell(i.unite),
                     Cell(_with_year(i.reference, i.annee_reference), align="right"),
                     *(Cell(number(i.values.get(y)), align="right",
                            bold=y == bilan.year) for y in years),
                     Cell(_with_year(i.cible, i.annee_cible), align="right")])
    return [0.8, 0, 1.6, 1.8, *([1.3] * len(years)), 1.8], header, rows


def _chart(w: _Writer, fiche: Fiche, i: Indicator) -> None:
    png = charts.indicator_chart(i.values, reference=i.reference,
                                 reference_year=i.annee_reference, target=i.cible,
                                 target_year=i.annee_cible, unit=i.unite)
    w.picture(png, 10, f"{fiche.id_action}, indicateur {i.numero} : {i.libelle}")


def _with_year(value, year) -> str:
    text = number(value)
    return f"{text}\n({year})" if text and year else text
