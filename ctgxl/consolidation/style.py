"""Look of the sheets added to a master file (Synthèse, Calendrier, Sources).

Colours follow the canonical workbook (dark blue headers) and give each
thématique and each statut one colour used in tables, charts and the
calendar alike.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..findings import SEVERITY_COLOURS
from ..styles import BLUE, HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, print_setup  # noqa: F401
from ..styles import FONT_NAME as FONT
from ..styles import text_cell
TITLE_FONT = Font(name=FONT, bold=True, size=16, color=BLUE)
SECTION_FONT = Font(name=FONT, bold=True, size=12, color=BLUE)
NOTE_FONT = Font(name=FONT, italic=True, size=9, color="595959")
ALERT_FONT = Font(name=FONT, bold=True, size=10, color="C00000")
BODY_FONT = Font(name=FONT, size=10)
BOLD_FONT = Font(name=FONT, size=10, bold=True)
FIGURE_FONT = Font(name=FONT, bold=True, size=20, color=BLUE)
FIGURE_LABEL_FONT = Font(name=FONT, size=9, color="595959")
HEADER_FONT = Font(name=FONT, bold=True, size=10, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center")
INDENTED = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)
NUMBER_ALIGN = Alignment(horizontal="center", vertical="center", shrink_to_fit=True)  # « 1,2,3,7,9. »
CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)
BAR_SIDE = Side(style="thin", color="FFFFFF")
BAR_BORDER = Border(top=BAR_SIDE, bottom=BAR_SIDE)
LEFT_TOP = Alignment(vertical="top")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
FIGURE_FILL = PatternFill("solid", fgColor="F2F2F2")

# One colour per thématique, in the order of the vocabulary (then recycled).
THEME_COLOURS = ("2E75B6", "ED7D31", "70AD47", "7030A0", "C00000", "FFC000", "5B9BD5",
                 "A5A5A5", "264478", "9E480E", "43682B", "997300", "636363")
OTHER_THEME_COLOUR = "808080"
STATUT_COLOURS = {
    "Non démarrée": "BFBFBF", "En cours": "2E75B6", "Réalisée": "70AD47",
    "Reportée": "FFC000", "Abandonnée": "C00000", "Non renseigné": "E7E6E6",
}
EXTRA_STATUT_COLOURS = ("7030A0", "ED7D31", "5B9BD5", "997300")
SEVERITY_FILLS = {severity: PatternFill("solid", fgColor=colour)
                  for severity, colour in SEVERITY_COLOURS.items()}


def theme_colours(thematiques, vocabulary_order=()) -> dict[str, str]:
    """Colour of each thématique: by its rank in the vocabulary, else a later colour."""
    colours = {}
    rank = {label: i for i, label in enumerate(vocabulary_order)}
    spare = len(vocabulary_order)
    for label in thematiques:
        if label in rank:
            colours[label] = THEME_COLOURS[rank[label] % len(THEME_COLOURS)]
        else:
            colours[label] = THEME_COLOURS[spare % len(THEME_COLOURS)] if spare < 40 \
                else OTHER_THEME_COLOUR
            spare += 1
    return colours


def statut_colours(statuts) -> dict[str, str]:
    colours, extra = {}, 0
    for statut in statuts:
        if statut in STATUT_COLOURS:
            colours[statut] = STATUT_COLOURS[statut]
        else:
            colours[statut] = EXTRA_STATUT_COLOURS[extra % len(EXTRA_STATUT_COLOURS)]
            extra += 1
    return colours


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def cell(ws, value, font=None, *, fill=None, alignment=None, border=None,
         number_format=None) -> WriteOnlyCell:
    """A styled write-only cell (``styles.text_cell``: formula-like text stays text, text an
    .xlsx cannot hold made writable)."""
    c = text_cell(ws, value)
    if font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    if alignment is not None:
        c.alignment = alignment
    if border is not None:
        c.border = border
    if number_format is not None:
        c.number_format = number_format
    return c


