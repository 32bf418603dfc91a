"""The « Calendrier » sheet: actions × years of the convention, coloured where they run.

One line per action, grouped by thématique (a title line before each), with
its ID, N°, intitulé and first/last years; each year column of the period is
filled with the thématique's colour when the action runs that year (years as
``summary.py`` reads them: Année début/fin, else échéances, else the
offers'). Years outside the period have a grey header. An action without
any readable year says so instead of a bar.

The sheet is a picture for the COPIL, not data (the data stay in Actions):
past ``MAX_ACTIONS`` actions it stops and says where the rest is, so that a
100,000-action master is still written in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Plan
from ..wording import plural
from .summary import Summary
from .style import (BAR_BORDER, BODY_FONT, BOLD_FONT, CENTER, HEADER_ALIGN, HEADER_BORDER, HEADER_FILL,
                    HEADER_FONT, NOTE_FONT, TITLE_FONT, cell, fill, print_setup, theme_colours)

TITLE = "Calendrier"
MAX_ACTIONS = 1000
TITLE_LENGTH = 80          # characters of the intitulé shown (the column is not wrapped)
OUTSIDE_FILL = "808080"
GROUP_FILL = "DDEBF7"
YEAR_WIDTH = 6.5
COLUMNS = (("ID action", 11), ("N°", 7), ("Intitulé de l'action", 62), ("Début", 7),
           ("Fin", 7))


def build_timeline_sheet(master: Plan, summary: Summary, *, vocabulary_order: Sequence[str] = ()):
    """An ``ExtraSheet`` drawing the actions of ``master`` over the years of ``summary``."""
    from ..template import ExtraSheet

    def build(ws) -> None:
        _build(ws, master, summary, tuple(vocabulary_order))

    return ExtraSheet(TITLE, build, first=True)


def shorten(text: str | None, length: int = TITLE_LENGTH) -> str | None:
    if text is None:
        return None
    flat = " ".join(str(text).split())
    return flat if len(flat) <= length else flat[:length - 1].rstrip() + "…"


def _build(ws, master: Plan, summary: Summary, vocabulary_order) -> None:
    from openpyxl.utils import get_column_letter

    years = summary.years
    low, high = summary.period or (None, None)
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for j in range(len(years)):
        ws.column_dimensions[get_column_letter(len(COLUMNS) + 1 + j)].width = YEAR_WIDTH
    ws.freeze_panes = f"{get_column_letter(len(COLUMNS) + 1)}4"
    ws.views.sheetView[0].showGridLines = False
    print_setup(ws, landscape=True, title="CTG — fichier de pilotage")
    ws.print_title_rows = "3:3"

    total = len(summary.facts)
    period = f" (convention {low}–{high})" if low is not None else ""
    ws.append([cell(ws, f"Calendrier des actions{period}", TITLE_FONT)])
    note = ("Case colorée : l'action se déroule cette année-là (couleur de la thématique). "
            "Années lues dans Année début / Année fin, sinon dans les échéances de l'action ou "
            "de ses offres.")
    if total > MAX_ACTIONS:
        note += (f" Seules les {MAX_ACTIONS} premières actions sur {total} sont dessinées ; "
                 "les années de toutes les actions sont dans la feuille Actions.")
    ws.append([cell(ws, note, NOTE_FONT)])
    headers = [cell(ws, h, HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN,
                    border=HEADER_BORDER) for h, _ in COLUMNS]
    for year in years:
        outside = low is not None and not (low <= year <= high)
        headers.append(cell(ws, year, HEADER_FONT, alignment=HEADER_ALIGN, border=HEADER_BORDER,
                            fill=fill(OUTSIDE_FILL) if outside else HEADER_FILL))
    ws.row_dimensions[3].height = 30
    ws.append(headers)

    colours = theme_colours(summary.thematiques, vocabulary_order)
    bars = {theme: fill(colour) for theme, colour in colours.items()}
    group_fill = fill(GROUP_FILL)
    actions = master.actions
    pos = {k: actions.sheet.position(k) for k in ("id_action", "numero", "intitule")}
    by_theme: dict[str, list[int]] = {}
    for index, facts in enumerate(summary.facts[:MAX_ACTIONS]):
        by_theme.setdefault(facts.thematique, []).append(index)
    width = len(COLUMNS) + len(years)
    for theme in summary.thematiques:
        indexes = by_theme.get(theme)
        if not indexes:
            continue
        count = len(indexes)
        title = cell(ws, f"{theme} — {plural(count, 'action')}", BOLD_FONT,
                     fill=group_fill)
        ws.append([title] + [cell(ws, None, fill=group_fill) for _ in range(width - 1)])
        for index in indexes:
            facts = summary.facts[index]
            row = actions.rows[index]
            values = [cell(ws, row[pos["id_action"]], BODY_FONT),
                      cell(ws, row[pos["numero"]], BODY_FONT, alignment=CENTER),
                      cell(ws, shorten(row[pos["intitule"]]), BODY_FONT),
                      cell(ws, facts.start, BODY_FONT, alignment=CENTER),
                      cell(ws, facts.end, BODY_FONT, alignment=CENTER)]
            if facts.start is None:
                values.append(cell(ws, "échéance non lisible", NOTE_FONT))
            else:
                bar = bars[theme]
                values += [cell(ws, None, fill=bar, border=BAR_BORDER)
                           if facts.start <= year <= facts.end
                           else None for year in years]
            ws.append(values)
