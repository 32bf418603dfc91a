"""The bilan's template document (``ctgxl/data/modele_bilan.docx``), built from code.

The template holds what a coordinator may want to change without Python: the page
(A4 portrait, margins), the styles (Normal, Titre, Titre 1–4, Légende), the header
and the footer with « Page N sur M », and the title page. The title page and the
header are text with fields in braces, filled when the bilan is written:

``{territoire}`` ``{annee}`` ``{periode}`` ``{date}`` ``{source}`` and ``{contenu}``,
the paragraph replaced by the bilan itself (the summary, the evolutions, the fiches).

``ctgxl template -o mon_modele.docx`` writes a copy to edit in Word or LibreOffice
(logo, colours, fonts, an introduction); ``ctgxl bilan --modele mon_modele.docx``
uses it. ``tests/test_bilan.py`` checks that the shipped file is what
``build_template()`` makes.
"""

from __future__ import annotations

import datetime as dt
import io
from importlib import resources

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
FIXED_DATE = dt.datetime(2026, 1, 1)   # core properties of the shipped file: reproducible
PLACEHOLDERS = ("territoire", "annee", "periode", "date", "source", "contenu")


def template_bytes() -> bytes:
    """The shipped template file's bytes."""
    return resources.files("ctgxl").joinpath("data", "modele_bilan.docx").read_bytes()


def build_template() -> bytes:
    """The template document, as ``modele_bilan.docx`` holds it."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(1.8)
    section.header_distance = section.footer_distance = Cm(0.9)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.text = "Convention Territoriale Globale – {territoire} – Bilan {annee}"
    header.style = doc.styles["Header"]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.style = doc.styles["Footer"]
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" sur ")
    _field(footer, "NUMPAGES", "1")

    body = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    body.text = ""
    for _ in range(5):
        doc.add_paragraph()
    doc.add_paragraph("Convention Territoriale Globale", style="Title")
    doc.add_paragraph("{territoire}", style="Subtitle")
    doc.add_paragraph()
    big = doc.add_paragraph(style="Subtitle")
    big.add_run("Bilan {annee} du plan d'actions").bold = True
    doc.add_paragraph("Comité de pilotage", style="Subtitle")
    for _ in range(8):
        doc.add_paragraph()
    doc.add_paragraph("Période de la convention : {periode}")
    doc.add_paragraph("Document établi le {date}, à partir du fichier de pilotage « {source} ».")
    note = doc.add_paragraph(
        "Ce document a été produit par ctgxl (commande « ctgxl bilan ») ; il peut être "
        "complété et modifié librement avant d'être diffusé.")
    note.runs[0].italic = True
    note.runs[0].font.size = Pt(8)
    doc.add_paragraph("{contenu}")
    body._element.getparent().remove(body._element)

    props = doc.core_properties
    props.author = props.last_modified_by = "ctgxl"
    props.title = "Bilan de la Convention Territoriale Globale"
    props.subject = "Comité de pilotage"
    props.language = "fr-FR"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    props.comments = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    normal.element.get_or_add_rPr().append(lang)
    for name, size, before, after in (("Heading 1", 18, 0, 10), ("Heading 2", 14, 14, 6),
                                      ("Heading 3", 12, 10, 4), ("Heading 4", 10.5, 12, 4)):
        style = styles[name]
        style.font.name, style.font.size, style.font.bold = FONT, Pt(size), True
        style.font.color.rgb = ACCENT
        style.font.italic = False
        style.paragraph_format.space_before, style.paragraph_format.space_after = \
            Pt(before), Pt(after)
        style.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True
    title = styles["Title"]
    title.font.name, title.font.size, title.font.color.rgb = FONT, Pt(28), ACCENT
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_border(title)
    subtitle = styles["Subtitle"]
    subtitle.font.name, subtitle.font.size = FONT, Pt(16)
    subtitle.font.italic, subtitle.font.color.rgb = False, RGBColor(0x40, 0x40, 0x40)
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = styles["Caption"]
    caption.font.name, caption.font.size, caption.font.bold = FONT, Pt(8.5), False
    caption.font.italic, caption.font.color.rgb = True, RGBColor(0x59, 0x59, 0x59)
    caption.paragraph_format.space_after = Pt(10)
    for name in ("Header", "Footer"):
        styles[name].font.name, styles[name].font.size = FONT, Pt(8)
        styles[name].font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _no_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) in its own runs: begin, instruction, result, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text
