"""The « Synthèse » sheet of a master file: the COPIL's one-page view.

Key figures, then four tables — actions per thématique (with offers and the
share of actions whose indicators are filled), statut per thématique, actions
per year of échéance, actions per axe — and the main porteurs. Three native
Excel charts sit beside the first three tables: actions per thématique
(bars), statuts per thématique (stacked bars) and actions per year
(columns). Figures are values computed at consolidation (``summary.py``),
so that every spreadsheet program shows the same numbers; the sheet says so.
"""

from __future__ import annotations

import datetime as dt

from ..wording import plural, plural_s
from .summary import NO_AXE, Summary
from .timeline import shorten
from .style import (BOLD_FONT, BODY_FONT, BOX, CENTER, CENTER_WRAP, FIGURE_FILL, FIGURE_FONT,
                    FIGURE_LABEL_FONT, HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT,
                    LEFT_TOP, NOTE_FONT, SECTION_FONT, TITLE_FONT, TOTAL_FILL, WRAP, cell, fill,
                    print_setup, statut_colours, theme_colours)

TITLE = "Synthèse"
LABEL_WIDTH = 36
NUMBER_WIDTH = 12
TABLE_COLUMNS = 8            # A…H hold the tables; charts start at column J
CHART_COLUMN = "J"
CHART_ROWS = 18              # rows a chart covers (15 points each): sections are padded to it
CHART_WIDTH_CM = 17.0
CHART_HEIGHT_CM = 8.6
AXE_LABEL_LENGTH = 110       # characters of an axe's label (the cell overflows to the right)


class _Sheet:
    """Row bookkeeping on a write-only worksheet (rows are appended, never revisited)."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.row = 0

    def append(self, values=(), height: float | None = None) -> int:
        self.row += 1
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(list(values))
        return self.row

    def pad_to(self, row: int) -> None:
        while self.row < row:
            self.append()


def build_summary_sheet(summary: Summary, *, files: int, generated: dt.date | None = None,
                        vocabulary_order=()):
    """An ``ExtraSheet`` (first sheet of the master) showing ``summary``."""
    from ..template import ExtraSheet

    def build(ws) -> None:
        _build(ws, summary, files, generated or dt.date.today(), tuple(vocabulary_order))

    return ExtraSheet(TITLE, build, first=True)


def _build(ws, summary: Summary, files: int, generated: dt.date, vocabulary_order) -> None:
    from openpyxl.utils import get_column_letter

    ws.column_dimensions["A"].width = LABEL_WIDTH
    for i in range(2, TABLE_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(i)].width = NUMBER_WIDTH
    ws.column_dimensions["I"].width = 3
    ws.views.sheetView[0].showGridLines = False
    print_setup(ws, landscape=True, title="CTG — fichier de pilotage")
    ws.print_options.horizontalCentered = True
    s = _Sheet(ws)
    colours = theme_colours(summary.thematiques, vocabulary_order)

    s.append([cell(ws, "Synthèse du plan d'actions — Convention Territoriale Globale",
                   TITLE_FONT)], height=26)
    period = (f" · période de la convention {summary.period[0]}–{summary.period[1]}"
              if summary.period else "")
    s.append([cell(ws, f"Fichier de pilotage consolidé le {generated:%d/%m/%Y} à partir de "
                       f"{plural(files, 'fichier')} de service{plural_s(files)}{period}.",
                  NOTE_FONT)])
    s.append()
    _figures(s, summary)
    s.append()

    start = s.row + 1
    rows = _by_thematique(s, summary)
    _thematique_chart(ws, summary, rows, colours, start)
    s.pad_to(start + CHART_ROWS)

    start = s.row + 1
    rows, columns = _by_statut(s, summary)
    _statut_chart(ws, summary, rows, columns, start)
    s.pad_to(start + CHART_ROWS)

    _page_break(ws, s.row)
    start = s.row + 1
    rows = _by_year(s, summary)
    if rows:
        _year_chart(ws, rows, start)
    s.pad_to(start + CHART_ROWS)

    _by_axe(s, summary)
    s.append()
    _porteurs(s, summary)
    s.append()
    _notes(s)


def _page_break(ws, after_row: int) -> None:
    from openpyxl.worksheet.pagebreak import Break

    ws.row_breaks.append(Break(id=after_row))


def _header_row(s: _Sheet, headers, height: float = 30) -> int:
    return s.append([cell(s.ws, h, HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN,
                          border=HEADER_BORDER) for h in headers], height=height)


def _number(ws, value, *, bold: bool = False, percent: bool = False, total: bool = False):
    return cell(ws, value, BOLD_FONT if bold or total else BODY_FONT, border=BOX,
                alignment=CENTER, fill=TOTAL_FILL if total else None,
                number_format="0%" if percent else None)


def _label(ws, value, *, total: bool = False):
    return cell(ws, value, BOLD_FONT if total else BODY_FONT, border=BOX,
                fill=TOTAL_FILL if total else None, alignment=LEFT_TOP)


def _section(s: _Sheet, title: str) -> None:
    s.append([cell(s.ws, title, SECTION_FONT)], height=20)


def _figures(s: _Sheet, summary: Summary) -> None:
    dated = summary.total_actions - summary.undated
    figures = [
        ("Actions", summary.total_actions, None),
        ("Offres", summary.total_offres, None),
        ("Thématiques", len([t for t in summary.thematiques if summary.actions.get(t)]), None),
        ("Avec indicateurs", summary.share_with_indicators(), "0%"),
        ("Avec échéance lisible",
         dated / summary.total_actions if summary.total_actions else 0, "0%"),
    ]
    ws = s.ws
    s.append([cell(ws, label, FIGURE_LABEL_FONT, fill=FIGURE_FILL, alignment=CENTER_WRAP)
              for label, _, _ in figures], height=26)
    s.append([cell(ws, value, FIGURE_FONT, fill=FIGURE_FILL, alignment=CENTER,
                   number_format=fmt) for _, value, fmt in figures], height=34)


def _by_thematique(s: _Sheet, summary: Summary) -> tuple[int, int]:
    """Table of actions per thématique; returns its first and last data rows."""
    ws = s.ws
    _section(s, "Actions par thématique")
    _header_row(s, ["Thématique", "Actions", "Offres", "Actions avec indicateurs",
                    "Part avec indicateurs"])
    first = s.row + 1
    for t in summary.thematiques:
        s.append([_label(ws, t), _number(ws, summary.actions[t]),
                  _number(ws, summary.offres.get(t, 0)),
                  _number(ws, summary.with_indicators.get(t, 0)),
                  _number(ws, summary.share_with_indicators(t), percent=True)])
    last = s.row
    s.append([_label(ws, "Total", total=True), _number(ws, summary.total_actions, total=True),
              _number(ws, summary.total_offres, total=True),
              _number(ws, summary.total_with_indicators, total=True),
              _number(ws, summary.share_with_indicators(), percent=True, total=True)])
    s.append([cell(ws, "Une action compte comme ayant des indicateurs si elle ou l'une de ses "
                       "offres en indique.", NOTE_FONT)])
    return first, last


def _by_statut(s: _Sheet, summary: Summary):
    ws = s.ws
    _section(s, "Avancement des actions (statut)")
    _header_row(s, ["Thématique", *summary.statuts, "Total"])
    first = s.row + 1
    for t in summary.thematiques:
        counts = summary.by_statut.get(t, {})
        s.append([_label(ws, t), *(_number(ws, counts.get(st, 0)) for st in summary.statuts),
                  _number(ws, summary.actions[t], bold=True)])
    last = s.row
    totals = [sum(summary.by_statut.get(t, {}).get(st, 0) for t in summary.thematiques)
              for st in summary.statuts]
    s.append([_label(ws, "Total", total=True), *(_number(ws, n, total=True) for n in totals),
              _number(ws, summary.total_actions, total=True)])
    s.append([cell(ws, "Statut de l'action, sinon celui de sa dernière année de suivi "
                       "(feuille Suivi).", NOTE_FONT)])
    return (first, last), len(summary.statuts)


def _by_year(s: _Sheet, summary: Summary):
    ws = s.ws
    _section(s, "Actions par année d'échéance")
    _header_row(s, ["Année", "Actions en cours dans l'année", "Actions arrivant à échéance"],
                height=42)
    if not summary.years:
        s.append([cell(ws, "Aucune année ne se lit dans les échéances.", NOTE_FONT)])
        return None
    first = s.row + 1
    low, high = summary.period or (None, None)
    for year in summary.years:
        outside = low is not None and not (low <= year <= high)
        s.append([_label(ws, f"{year} (hors période)" if outside else str(year)),
                  _number(ws, summary.running.get(year, 0)),
                  _number(ws, summary.ending.get(year, 0))])
    last = s.row
    s.append([_label(ws, "Sans échéance lisible", total=True),
              _number(ws, summary.undated, total=True), _number(ws, None, total=True)])
    s.append([cell(ws, "Années début et fin de l'action, sinon années lues dans ses échéances "
                       "ou dans celles de ses offres.", NOTE_FONT)])
    return first, last


def _by_axe(s: _Sheet, summary: Summary) -> None:
    ws = s.ws
    _section(s, "Actions par thématique et par axe")
    _header_row(s, ["Thématique", "Axe", "Actions", "Intitulé de l'axe"])
    previous = None
    for theme, axe, label, count in summary.by_axe:
        shown = theme if theme != previous else None
        previous = theme
        s.append([_label(ws, shown), _number(ws, "—" if axe == NO_AXE else axe),
                  _number(ws, count), cell(ws, shorten(label, AXE_LABEL_LENGTH), BODY_FONT)])


def _porteurs(s: _Sheet, summary: Summary) -> None:
    from ..template import row_height

    ws = s.ws
    _section(s, "Principaux porteurs de projet")
    _header_row(s, ["Porteur", "Actions", "Thématiques"])
    if not summary.porteurs:
        s.append([cell(ws, "Aucun porteur indiqué.", NOTE_FONT)])
        return
    for porteur, count, themes in summary.porteurs:
        s.append([cell(ws, porteur, BODY_FONT, border=BOX, alignment=WRAP),
                  _number(ws, count), _number(ws, themes)],
                 height=row_height([porteur], [LABEL_WIDTH - 2]))
    s.append([cell(ws, "Porteurs de l'action et de ses offres, séparés aux retours à la ligne, "
                       "« ; », « , », « + » et « / ».", NOTE_FONT)])


def _notes(s: _Sheet) -> None:
    s.append([cell(s.ws, "Chiffres calculés lors de la consolidation : ils ne suivent pas les "
                         "modifications faites ensuite dans les feuilles ; relancez « ctgxl "
                         "consolidate » pour les mettre à jour.", NOTE_FONT)])


# -- charts ----------------------------------------------------------------------------------

def _title(text: str):
    """A chart title in 12-point bold (the default is large enough to wrap)."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import (CharacterProperties, Font, Paragraph,
                                       ParagraphProperties, RegularTextRun)

    props = CharacterProperties(sz=1200, b=True, solidFill="1F4E78",
                                latin=Font(typeface="Calibri"))
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props),
                          r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _style_chart(chart, title: str) -> None:
    chart.title = _title(title)
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    chart.legend.position = "b"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0


def _thematique_chart(ws, summary: Summary, rows, colours, anchor_row: int) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.marker import DataPoint

    first, last = rows
    if last < first:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    data = Reference(ws, min_col=2, min_row=first - 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    _style_chart(chart, "Nombre d'actions par thématique")
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"   # first thématique on top, as in the table
    series = chart.series[0]
    for index, theme in enumerate(summary.thematiques):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = colours[theme]
        point.graphicalProperties.line.solidFill = colours[theme]
        series.dPt.append(point)
    _data_labels(series)
    ws.add_chart(chart, f"{CHART_COLUMN}{anchor_row + 1}")


def _statut_chart(ws, summary: Summary, rows, columns: int, anchor_row: int) -> None:
    from openpyxl.chart import BarChart, Reference

    first, last = rows
    if last < first:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    data = Reference(ws, min_col=2, max_col=1 + columns, min_row=first - 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    _style_chart(chart, "Avancement des actions (statut)")
    chart.x_axis.scaling.orientation = "maxMin"
    for series, (statut, colour) in zip(chart.series, statut_colours(summary.statuts).items()):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    ws.add_chart(chart, f"{CHART_COLUMN}{anchor_row + 1}")


def _year_chart(ws, rows, anchor_row: int) -> None:
    from openpyxl.chart import BarChart, Reference

    first, last = rows
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    data = Reference(ws, min_col=2, max_col=3, min_row=first - 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    _style_chart(chart, "Actions par année")
    for series, colour in zip(chart.series, ("2E75B6", "ED7D31")):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    ws.add_chart(chart, f"{CHART_COLUMN}{anchor_row + 1}")


def _data_labels(series) -> None:
    from openpyxl.chart.label import DataLabelList

    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
