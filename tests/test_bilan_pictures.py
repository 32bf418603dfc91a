"""The bilan as it prints: header words whole, charts with their colours, labels fitted
quickly, pictures that Word finds (the package is written as a stream)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image, ImageDraw

from ctgxl.bilan import build_bilan, charts, render
from ctgxl.bilan.template import template_bytes
from ctgxl.model import Meta, Plan
from ctgxl.validation import load_rules
from workbooks import small_plan

RULES = load_rules()
STATUTS = ("Non démarrée", "En cours", "Réalisée", "Reportée", "Abandonnée", None)


def every_statut() -> Plan:
    """Six actions, one per statut (the last without): the widest summary table."""
    data = {t.sheet.key: t.records() for t in small_plan(6).tables}
    for record, statut in zip(data["actions"], STATUTS):
        record["statut"] = statut
    data["suivi"] = [{"id_action": "ENF-001", "annee": y, "numero_indicateur": 1, "valeur": v}
                     for y, v in ((2023, 61), (2024, 68))]
    return Plan.from_records(Meta(thematique="Enfance", service="Enfance"), **data)


def bilan_of(plan: Plan):
    return build_bilan(plan, period=RULES.period,
                       thematiques=RULES.vocabulary.values("thematiques"),
                       statuts=RULES.vocabulary.values("statuts"), territoire="Agglomération",
                       today=dt.date(2025, 11, 1), source="pilotage.xlsx")


# -- headers -----------------------------------------------------------------------------

@pytest.mark.soffice
def test_printed_headers_never_break_inside_a_word(tmp_path):
    from conftest import soffice_convert

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent")
    docx = tmp_path / "bilan.docx"
    docx.write_bytes(render(bilan_of(every_statut()), template_bytes()))
    pdf = soffice_convert(docx, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout

    def header_words(title: str, first_row: str) -> set[str]:
        start = text.index(title)
        block = text[start + len(title):text.index(first_row, start)]
        return set(block.split())

    summary = header_words("Actions par thématique et par statut", "Enfance")
    assert {"Thématique", "démarrée", "Réalisée", "Reportée", "Abandonnée", "renseigné",
            "Total", "réalisées", "cours"} <= summary, summary
    indicators = header_words("N°", "Taux de participation")
    assert {"Indicateur", "Unité", "Référence", "2023", "2024", "Cible"} <= indicators


def test_columns_are_as_wide_as_their_header_words():
    from ctgxl.bilan.blocks import TEXT_WIDTH, column_widths, header_need

    header = ["Thématique", "Non démarrée", "En cours", "Réalisée", "Reportée", "Abandonnée",
              "Non renseigné", "Total", "% réalisées", "% en cours"]
    widths, size = column_widths([0, *([1.1] * 9)], header)
    assert size == 16 and sum(widths) <= TEXT_WIDTH          # 8 pt: they all fit the page
    assert all(w >= header_need(h) for w, h in zip(widths, header))
    assert widths[5] > widths[2]      # « Abandonnée » is wider than « cours »
    # three statuts more (from Territoires en Transitions): the header shrinks, its words
    # stay whole, the table stays within the page
    many = [*header[:7], "En pause", "Bloquée", "À discuter", *header[7:]]
    widths, size = column_widths([0, *([1.1] * 12)], many)
    assert size < 16 and sum(widths) <= TEXT_WIDTH
    assert all(w >= header_need(h, size) for w, h in zip(widths, many))
    # beyond what 6 pt can hold, words still never break (the table overflows the margin)
    long = [*header[:7], "Suspendue temporairement", "Transférée", "Réorientée", *header[7:]]
    widths, size = column_widths([0, *([1.1] * 12)], long)
    assert all(w >= header_need(h, size) for w, h in zip(widths, long))


# -- charts ------------------------------------------------------------------------------

class CountingDraw:
    """An ImageDraw that counts what it measures."""

    def __init__(self) -> None:
        self.draw = ImageDraw.Draw(Image.new("RGB", (1, 1)))
        self.calls = 0
        self.characters = 0

    def textlength(self, text, font):
        self.calls += 1
        self.characters += len(text)
        return self.draw.textlength(text, font=font)


def one_character_at_a_time(draw, text: str, face, width: float) -> str:
    """How labels were fitted before: the reference for ordinary labels."""
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def test_a_32767_character_label_is_fitted_with_a_few_short_measurements():
    draw, face = CountingDraw(), charts.font(9)
    label = "Jeunesse et vie étudiante " * 1261    # 32,786 characters
    fitted = charts._fit(draw, label[:32767], face, 256)
    assert fitted.endswith("…") and label.startswith(fitted[:-1])
    assert draw.textlength(fitted, face) <= 256
    assert draw.calls <= 30                          # one character at a time: 32,750
    assert draw.characters <= 1000                   # never the whole label


@pytest.mark.parametrize("width", [20, 60, 120, 256, 600])
def test_ordinary_labels_are_fitted_as_before(width):
    draw, face = ImageDraw.Draw(Image.new("RGB", (1, 1))), charts.font(9)
    for label in ("Petite enfance", "Enfance", "Jeunesse et vie étudiante", "Cohésion sociale",
                  "Parentalité", "Animation de la vie sociale et accès aux droits des familles",
                  "", "…", "WWWWWWWWWWWWWWWWWWWWWW", "i" * 200, "Sans thématique"):
        assert charts._fit(draw, label, face, width) == \
            one_character_at_a_time(draw, label, face, width), (label, width)


def test_indicator_charts_keep_their_colours_on_a_white_page():
    png = charts.indicator_chart({2023: 61, 2024: 68, 2025: 72}, reference=60,
                                 reference_year=2022, target=75, target_year=2026, unit="%")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = {colour for _, colour in image.getcolors(1 << 16)}
    assert image.getpixel((2, image.height - 2)) == (255, 255, 255)
    assert {charts.BAR, charts.TARGET, charts.REFERENCE, charts.INK} <= colours


# -- the package -------------------------------------------------------------------------

def test_a_template_with_its_own_picture_keeps_it_and_gets_the_charts():
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(logo, "PNG")
    doc = Document(io.BytesIO(template_bytes()))
    doc.paragraphs[0].add_run().add_picture(io.BytesIO(logo.getvalue()))
    own = io.BytesIO()
    doc.save(own)
    data = render(bilan_of(every_statut()), own.getvalue())
    result = Document(io.BytesIO(data))
    blips = [s._inline.graphic.graphicData.pic.blipFill.blip.embed for s in result.inline_shapes]
    assert len(blips) == 3                       # the logo, the statuts, indicator 1
    images = [result.part.related_parts[r].blob for r in blips]
    assert images[0] == logo.getvalue()
    assert all(Image.open(io.BytesIO(b)).format == "PNG" for b in images)
    ids = [int(e.get("id")) for e in result.element.body.iter(qn("wp:docPr"))]
    assert len(ids) == len(set(ids)) == 3
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert archive.testzip() is None
    assert len(re.findall(r'Extension="png"', types, re.I)) == 1


def test_a_template_without_contenu_gets_the_bilan_at_its_end():
    doc = Document(io.BytesIO(template_bytes()))
    marker = next(p for p in doc.paragraphs if p.text == "{contenu}")
    marker.text = "Fin du modèle"
    own = io.BytesIO()
    doc.save(own)
    result = Document(io.BytesIO(render(bilan_of(every_statut()), own.getvalue())))
    texts = [p.text for p in result.paragraphs]
    assert texts.index("Fin du modèle") < texts.index("Synthèse de l'avancement (statuts actuels)")
    assert result.element.body[-1].tag == qn("w:sectPr")
