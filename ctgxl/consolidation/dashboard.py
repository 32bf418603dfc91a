"""The « Synthèse » sheet of a master file: the COPIL's view, two A4 landscape pages.

Page 1: key figures (seven tiles of one column each: actions, offres, thématiques,
shares réalisées and en cours, with indicators, with a readable échéance), actions per
thématique (with offers and the share of actions whose indicators are filled) and per
statut, each with its native Excel chart on the right (bars; stacked bars where
« Non renseigné » is hatched and every part carries its count; a sentence says when no
statut is filled). Page 2, two columns of tables: per axe on the left (the axe's label
on one line over D:H); per year of échéance with its chart, then the main porteurs, on
the right (from column J). A manual page break sits between the pages, and each page's
tables are sized to fit it, so no table is cut. Figures are values computed at
consolidation (``summary.py``), so that every spreadsheet program shows the same
numbers; the sheet says so.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..wording import PERCENT_FORMAT, counted, percent, plural, plural_s
from .summary import NO_AXE, NO_STATUT, Summary
from .timeline import shorten
from .style import (ALERT_FONT, BOLD_FONT, BODY_FONT, BOX, CENTER, CENTER_WRAP, FIGURE_FILL, FIGURE_FONT,
                    FIGURE_LABEL_FONT, HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT,
                    LEFT_TOP, NOTE_FONT, SECTION_FONT, TITLE_FONT, TOTAL_FILL, WRAP, cell, fill,
                    print_setup, statut_colours, theme_colours)

TITLE = "Synthèse"
LABEL_WIDTH = 36
NUMBER_WIDTH = 12
TABLE_COLUMNS = 8            # A…H hold the tables of the left; charts start at column J
CHART_COLUMN = "J"
RIGHT = 9                    # 0-based column of J: page 2 has a second column of tables
RIGHT_WIDTHS = (30, 13, 13)  # J, K, L: the tables of the right of page 2
CHART_ROWS = 16              # rows a chart covers (15 points each): sections are padded to it
CHART_WIDTH_CM = 17.0
CHART_HEIGHT_CM = 7.6
AXE_LABEL_LENGTH = 66       # characters of an axe's label: one line of D:H (merged), then « … »
YEAR_CHART_ROWS = 14


class _Sheet:
    """Row bookkeeping on a write-only worksheet (rows are appended, never revisited).

    ``block(column)`` gives a ``_Block`` whose rows are laid beside those of another
    block (``emit``): page 2 shows two columns of tables side by side."""

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

    def emit(self, *blocks: "_Block") -> None:
        """Append the rows of ``blocks`` side by side (each at its own column)."""
        for k in range(max(len(b.rows) for b in blocks)):
            values: list = []
            height = None
            for block in blocks:
                if k >= len(block.rows):
                    continue
                cells, h = block.rows[k]
                values += [None] * (block.column - len(values)) + list(cells)
                height = max(height or 0, h or 0) or None
            self.append(values, height)
        for block in blocks:
            for ref in block.merges:
                self.ws.merged_cells.add(ref)


class _Block:
    """Rows for the columns from ``column`` on, starting at sheet row ``base + 1``."""

    def __init__(self, ws, column: int, base: int) -> None:
        self.ws, self.column, self.base = ws, column, base
        self.rows: list[tuple[list, float | None]] = []
        self.merges: list[str] = []

    @property
    def row(self) -> int:
        return self.base + len(self.rows)

    def append(self, values=(), height: float | None = None) -> int:
        self.rows.append((list(values), height))
        return self.row

    def pad_to(self, row: int) -> None:
        while self.row < row:
            self.append()


def build_summary_sheet(summary: Summary, *, files: int, generated: dt.date | None = None,
                        vocabulary_order=(), territory=None):
    """An ``ExtraSheet`` (first sheet of the master) showing ``summary``; ``territory``
    (``territory.Territory``) is named under the title."""
    from ..template import ExtraSheet

    def build(ws) -> None:
        _build(ws, summary, files, generated or dt.date.today(), tuple(vocabulary_order),
               territory)

    return ExtraSheet(TITLE, build, first=True)


def _build(ws, summary: Summary, files: int, generated: dt.date, vocabulary_order,
           territory=None) -> None:
    """Two A4 landscape pages: key figures, actions per thématique and per statut (with
    their charts) on the first; per axe on the left of the second, per year (with its
    chart) and the main porteurs on its right. No table is cut by the page break."""
    from openpyxl.utils import get_column_letter

    ws.column_dimensions["A"].width = LABEL_WIDTH
    for i in range(2, TABLE_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(i)].width = NUMBER_WIDTH
    ws.column_dimensions["I"].width = 3
    for offset, width in enumerate(RIGHT_WIDTHS):
        ws.column_dimensions[get_column_letter(RIGHT + 1 + offset)].width = width
    ws.views.sheetView[0].showGridLines = False
    print_setup(ws, landscape=True, title="CTG — fichier de pilotage")
    ws.print_options.horizontalCentered = True
    s = _Sheet(ws)
    colours = theme_colours(summary.thematiques, vocabulary_order)

    s.append([cell(ws, "Synthèse du plan d'actions — Convention Territoriale Globale",
                   TITLE_FONT)], height=26)
    period = (f" · période de la convention {summary.period[0]}–{summary.period[1]}"
              if summary.period else "")
    of = f" de {territory.label()}" if territory else ""
    s.append([cell(ws, f"Fichier de pilotage{of} consolidé le {generated:%d/%m/%Y} à partir de "
                       f"{plural(files, 'fichier')} de service{plural_s(files)}{period}.",
                  NOTE_FONT)])
    _gaps(s, summary)
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
    left, right = _Block(ws, 0, s.row), _Block(ws, RIGHT, s.row)
    _by_axe(left, summary)
    left.append()
    _notes(left)
    start = right.row + 1
    rows = _by_year(right, summary)
    right.pad_to(right.row + 1)
    if rows:
        _year_chart(ws, rows, right.row)
        right.pad_to(right.row + YEAR_CHART_ROWS)
    right.append()
    _porteurs(right, summary)
    s.emit(left, right)


def _page_break(ws, after_row: int) -> None:
    from openpyxl.worksheet.pagebreak import Break

    ws.row_breaks.append(Break(id=after_row))


def _header_row(s: _Sheet, headers, height: float = 30) -> int:
    return s.append([cell(s.ws, h, HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN,
                          border=HEADER_BORDER) for h in headers], height=height)


def _number(ws, value, *, bold: bool = False, percent: bool = False, total: bool = False):
    return cell(ws, value, BOLD_FONT if bold or total else BODY_FONT, border=BOX,
                alignment=CENTER, fill=TOTAL_FILL if total else None,
                number_format=PERCENT_FORMAT if percent else None)


def _label(ws, value, *, total: bool = False):
    return cell(ws, value, BOLD_FONT if total else BODY_FONT, border=BOX,
                fill=TOTAL_FILL if total else None, alignment=LEFT_TOP)


def _section(s: _Sheet, title: str) -> None:
    s.append([cell(s.ws, title, SECTION_FONT)], height=20)


MAX_GAPS = 4    # lines of « Chiffres incomplets » on the Synthèse; all are in Sources


def _gaps(s: _Sheet, summary: Summary) -> None:
    """A red line per column missing from a file (consolidated with --forcer): the figures
    below do not count that file's rows by that column."""
    for gap in summary.gaps[:MAX_GAPS]:
        s.append([cell(s.ws, f"Chiffres incomplets — {gap.sentence()}", ALERT_FONT)])
    if len(summary.gaps) > MAX_GAPS:
        others = len(summary.gaps) - MAX_GAPS
        s.append([cell(s.ws, f"… et {counted(others, 'autre colonne manquante')}"
                             " : voir la feuille Sources.", ALERT_FONT)])


def _figures(s: _Sheet, summary: Summary) -> None:
    """Key figures: one tile per column B…H, all of the same width."""
    total = summary.total_actions
    dated = total - summary.undated

    def share(n: int) -> float:
        return n / total if total else 0

    figures = [
        ("Actions", total, None),
        ("Offres", summary.total_offres, None),
        ("Thématiques", len([t for t in summary.thematiques if summary.actions.get(t)]), None),
        ("Réalisées", share(summary.total_of("Réalisée")), PERCENT_FORMAT),
        ("En cours", share(summary.total_of("En cours")), PERCENT_FORMAT),
        ("Avec indicateurs", summary.share_with_indicators(), PERCENT_FORMAT),
        ("Avec échéance lisible", share(dated), PERCENT_FORMAT),
    ]
    ws = s.ws
    s.append([cell(ws, "Chiffres clés", SECTION_FONT),
              *(cell(ws, label, FIGURE_LABEL_FONT, fill=FIGURE_FILL, alignment=CENTER_WRAP)
                for label, _, _ in figures)], height=26)
    s.append([None, *(cell(ws, value, FIGURE_FONT, fill=FIGURE_FILL, alignment=CENTER,
                           number_format=fmt) for _, value, fmt in figures)], height=34)


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
    unknown = summary.total_of(NO_STATUT)
    if summary.total_actions and unknown == summary.total_actions:
        s.append([cell(ws, "Aucun statut n'est renseigné : les services l'indiquent dans la "
                           "colonne Statut des actions ou dans la feuille Suivi (une ligne par "
                           "action et par année).", BOLD_FONT)])
    elif unknown:
        s.append([cell(ws, f"{plural(unknown, 'action')} sans statut renseigné "
                           f"({percent(unknown / summary.total_actions)}).", NOTE_FONT)])
    return (first, last), len(summary.statuts)


def _by_year(s: "_Block", summary: Summary):
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
    s.append([cell(ws, "Années début et fin de l'action, sinon années lues", NOTE_FONT)])
    s.append([cell(ws, "dans ses échéances ou dans celles de ses offres.", NOTE_FONT)])
    return first, last


def _by_axe(s: "_Block", summary: Summary) -> None:
    """Thématique, axe, actions, and the axe's label over columns D…H (merged), on one
    line: page 2 holds this table and, beside it, the years and the porteurs."""
    ws = s.ws
    _section(s, "Actions par thématique et par axe")
    row = _header_row(s, ["Thématique", "Axe", "Actions", "Intitulé de l'axe",
                          None, None, None, None])
    s.merges.append(f"D{row}:H{row}")
    previous = None
    for theme, axe, label, count in summary.by_axe:
        shown = theme if theme != previous else None
        previous = theme
        text = shorten(label, AXE_LABEL_LENGTH)
        row = s.append([_label(ws, shown), _number(ws, "—" if axe == NO_AXE else axe),
                        _number(ws, count), cell(ws, text, BODY_FONT, border=BOX),
                        *(cell(ws, None, border=BOX) for _ in range(4))])
        s.merges.append(f"D{row}:H{row}")



def _porteurs(s: "_Block", summary: Summary) -> None:
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
                 height=row_height([porteur], [RIGHT_WIDTHS[0] - 2]))
    s.append([cell(ws, "Porteurs de l'action et de ses offres, séparés aux retours à la ligne,",
                  NOTE_FONT)])
    s.append([cell(ws, "« ; », « , », « + » et « / ».", NOTE_FONT)])


def _notes(s: "_Block") -> None:
    s.append([cell(s.ws, "Chiffres calculés lors de la consolidation : ils ne suivent pas les "
                         "modifications faites ensuite dans les feuilles ;", NOTE_FONT)])
    s.append([cell(s.ws, "relancez « ctgxl consolidate » pour les mettre à jour.", NOTE_FONT)])


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
        if statut == NO_STATUT:
            _hatched(series)
        else:
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        _data_labels(series)
    ws.add_chart(chart, f"{CHART_COLUMN}{anchor_row + 1}")


def _hatched(series) -> None:
    """« Non renseigné »: grey diagonal hatching with an outline, never a statut colour."""
    from openpyxl.drawing.fill import ColorChoice, PatternFillProperties

    series.graphicalProperties.pattFill = PatternFillProperties(
        prst="wdUpDiag", fgClr=ColorChoice(srgbClr="808080"), bgClr=ColorChoice(srgbClr="FFFFFF"))
    series.graphicalProperties.line.solidFill = "808080"


def _year_chart(ws, rows, anchor_row: int) -> None:
    from openpyxl.chart import BarChart, Reference

    first, last = rows
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    data = Reference(ws, min_col=RIGHT + 2, max_col=RIGHT + 3, min_row=first - 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=RIGHT + 1, min_row=first, max_row=last))
    _style_chart(chart, "Actions par année")
    chart.height = CHART_HEIGHT_CM * YEAR_CHART_ROWS / CHART_ROWS
    for series, colour in zip(chart.series, ("2E75B6", "ED7D31")):
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    ws.add_chart(chart, f"{CHART_COLUMN}{anchor_row + 1}")


HIDE_ZERO = "0;-0;;@"   # number format of the data labels: nothing for 0


def _data_labels(series) -> None:
    """The value on each bar, none on a bar of 0 (a stacked bar's empty statut would print
    « 0 » against the category's name): the labels' own number format hides zeros."""
    series.dLbls = _labels_class()(numFmt=HIDE_ZERO)
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)


@lru_cache(maxsize=1)
def _labels_class():
    """openpyxl's DataLabelList, writing ``sourceLinked="0"`` on its number format: without
    it LibreOffice uses the cells' format (« 0 ») and ignores ours; Excel writes it too."""
    from openpyxl.chart.label import DataLabelList

    class Labels(DataLabelList):
        # openpyxl's metaclass lists the fields of the class's own body only
        __attrs__ = DataLabelList.__attrs__
        __nested__ = DataLabelList.__nested__
        __elements__ = DataLabelList.__elements__

        def to_tree(self, *args, **kwargs):
            tree = super().to_tree(*args, **kwargs)
            for element in tree:
                if element.tag.rpartition("}")[2] == "numFmt":
                    element.set("sourceLinked", "0")
            return tree

    return Labels
