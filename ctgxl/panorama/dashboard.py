"""The « Synthèse » sheet of a panorama: the master's Synthèse, for all territories at once.

Page 1 (A4 landscape): key figures, actions per thématique and per statut of every
territory together, with the same tables and charts as a master file's Synthèse (built by
the same functions of ``consolidation.dashboard``). Page 2: on the left, the territories
with the most actions (the others are in « Territoires »); on the right, actions running
and ending per year, with their chart.
"""

from __future__ import annotations

from ..consolidation import dashboard as master
from ..consolidation.style import (CENTER, CENTER_WRAP, FIGURE_FILL, FIGURE_FONT,
                                   FIGURE_LABEL_FONT, NOTE_FONT, SECTION_FONT, TITLE_FONT, cell,
                                   print_setup, theme_colours)
from ..consolidation.summary import NO_STATUT, Summary, year_counts
from ..wording import PERCENT_FORMAT, counted, plural
from .pipeline import Panorama

TITLE = "Synthèse"
SHOWN_TERRITORIES = 25      # rows of the territories' table on page 2


def summary_of(panorama: Panorama) -> Summary:
    """The figures of every territory as a master's ``Summary`` (for its tables and charts)."""
    total = panorama.total
    themes = panorama.thematiques
    statuts = [s for s in panorama.statuts if s != NO_STATUT]
    if total.of_statut(NO_STATUT):
        statuts.append(NO_STATUT)
    years, running, ending, undated = year_counts(total.spans, total.undated, panorama.period)
    return Summary(
        period=panorama.period, thematiques=themes,
        actions={t: total.actions.get(t, 0) for t in themes},
        offres={t: total.offres.get(t, 0) for t in themes},
        with_indicators={t: total.with_indicators.get(t, 0) for t in themes},
        by_axe=(), statuts=tuple(statuts),
        by_statut={t: {s: total.by_statut.get(t, {}).get(s, 0) for s in statuts}
                   for t in themes},
        years=years, running=running, ending=ending, undated=undated, porteurs=())


def build_summary_sheet(panorama: Panorama, vocabulary_order=()):
    from ..template import ExtraSheet

    def build(ws) -> None:
        _build(ws, panorama, tuple(vocabulary_order))

    return ExtraSheet(TITLE, build, first=True)


def _build(ws, panorama: Panorama, vocabulary_order) -> None:
    from openpyxl.utils import get_column_letter

    summary = summary_of(panorama)
    ws.column_dimensions["A"].width = master.LABEL_WIDTH
    for i in range(2, master.TABLE_COLUMNS + 1):
        ws.column_dimensions[get_column_letter(i)].width = master.NUMBER_WIDTH
    ws.column_dimensions["I"].width = 3
    for offset, width in enumerate(master.RIGHT_WIDTHS):
        ws.column_dimensions[get_column_letter(master.RIGHT + 1 + offset)].width = width
    ws.views.sheetView[0].showGridLines = False
    print_setup(ws, landscape=True, title="CTG — panorama des territoires")
    s = master._Sheet(ws)
    s.append([cell(ws, "Panorama des Conventions Territoriales Globales", TITLE_FONT)],
             height=26)
    territories, read = len(panorama.territories), panorama.read_files
    s.append([cell(ws, f"{plural(territories, 'territoire')}, {counted(read, 'classeur lu')} le "
                       f"{panorama.generated:%d/%m/%Y}. Chaque territoire compte ses actions "
                       "comme son fichier de pilotage.", NOTE_FONT)])
    problems = sum(1 for f in panorama.findings if f.severity == "erreur")
    if problems:
        s.append([cell(ws, f"{plural(problems, 'constat')} à lire (fichiers non comptés, "
                           "territoires en double ou d'un autre code) : feuille Constats.",
                       master.ALERT_FONT)])
    s.append()
    _figures(s, summary, territories)
    s.append()
    colours = theme_colours(summary.thematiques, vocabulary_order)
    start = s.row + 1
    rows = master._by_thematique(s, summary)
    master._thematique_chart(ws, summary, rows, colours, start)
    s.pad_to(start + master.CHART_ROWS)
    start = s.row + 1
    rows, columns = master._by_statut(s, summary)
    master._statut_chart(ws, summary, rows, columns, start)
    s.pad_to(start + master.CHART_ROWS)

    master._page_break(ws, s.row)
    left, right = master._Block(ws, 0, s.row), master._Block(ws, master.RIGHT, s.row)
    _territories(left, panorama)
    rows = master._by_year(right, summary)
    right.pad_to(right.row + 1)
    if rows:
        master._year_chart(ws, rows, right.row)
        right.pad_to(right.row + master.YEAR_CHART_ROWS)
    s.emit(left, right)


def _figures(s, summary: Summary, territories: int) -> None:
    total = summary.total_actions

    def share(n: int) -> float:
        return n / total if total else 0

    figures = [
        ("Territoires", territories, None),
        ("Actions", total, None),
        ("Offres", summary.total_offres, None),
        ("Réalisées", share(summary.total_of("Réalisée")), PERCENT_FORMAT),
        ("En cours", share(summary.total_of("En cours")), PERCENT_FORMAT),
        ("Avec indicateurs", summary.share_with_indicators(), PERCENT_FORMAT),
        ("Avec échéance lisible", share(total - summary.undated), PERCENT_FORMAT),
    ]
    ws = s.ws
    s.append([cell(ws, "Chiffres clés", SECTION_FONT),
              *(cell(ws, label, FIGURE_LABEL_FONT, fill=FIGURE_FILL, alignment=CENTER_WRAP)
                for label, _, _ in figures)], height=26)
    s.append([None, *(cell(ws, value, FIGURE_FONT, fill=FIGURE_FILL, alignment=CENTER,
                           number_format=fmt) for _, value, fmt in figures)], height=34)


def _territories(s, panorama: Panorama) -> None:
    """The territories with the most actions: name, code, actions, shares, last Suivi."""
    ws = s.ws
    master._section(s, "Territoires (les plus grands plans)")
    master._header_row(s, ["Territoire", "Code", "Actions", "Part réalisées",
                           "Part avec indicateurs", "Dernière année de suivi"], height=42)
    ranked = sorted(panorama.territories, key=lambda r: (-r.figures.total, r.name))
    for row in ranked[:SHOWN_TERRITORIES]:
        f = row.figures
        total = f.total
        s.append([master._label(ws, row.name), master._number(ws, row.territory.code),
                  master._number(ws, total),
                  master._number(ws, f.of_statut("Réalisée") / total if total else None,
                                 percent=True),
                  master._number(ws, sum(f.with_indicators.values()) / total if total else None,
                                 percent=True),
                  master._number(ws, f.last_suivi)])
    others = len(ranked) - SHOWN_TERRITORIES
    if others > 0:
        s.append([cell(ws, f"… et {plural(others, 'autre territoire')} : feuille Territoires.",
                       NOTE_FONT)])
    s.append([cell(ws, "Toutes les colonnes (statuts, budget, contrôle des fichiers) : feuille "
                       "Territoires.", NOTE_FONT)])
