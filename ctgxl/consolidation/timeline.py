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
                    HEADER_FONT, NOTE_FONT, NUMBER_ALIGN, TITLE_FONT, cell, fill, print_setup,
                    theme_colours)

TITLE = "Calendrier"
MAX_ACTIONS = 1000
TITLE_LENGTH = 80          # characters of the intitulé shown (the column is not wrapped)
OUTSIDE_FILL = "808080"
GROUP_FILL = "DDEBF7"
YEAR_WIDTH = 6.5
COLUMNS = (("ID action", 11), ("N°", 12), ("Intitulé de l'action", 62), ("Début", 7),
           ("Fin", 7))
NO_TITLE = "(intitulé non renseigné)"
COMMON_WORDS = 3           # a shared beginning of at least this many words is left out


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


def _words(text: str) -> list[str]:
    return [w.strip(":;,.").casefold() for w in str(text).split()]


def common_beginning(titles: Sequence[object]) -> str | None:
    """The beginning (``COMMON_WORDS`` words or more) that most titles of a thématique
    share — « A l'échelle de l'Agglomération » for all of Cohésion sociale — as the first
    title writes it; None when there is none (titles then show whole)."""
    texts = [str(t) for t in titles if t]
    if len(texts) < 3:
        return None
    words = [_words(t) for t in texts]
    best = None
    for k in range(COMMON_WORDS, 12):
        counts: dict[tuple, int] = {}
        for w in words:
            if len(w) > k:
                counts[tuple(w[:k])] = counts.get(tuple(w[:k]), 0) + 1
        prefix, n = max(counts.items(), key=lambda item: item[1], default=(None, 0))
        if prefix is None or n < max(3, len(texts) // 2) or not any(prefix):
            break
        best = prefix
    if best is None:
        return None
    for text, w in zip(texts, words):
        if tuple(w[:len(best)]) == best:
            return " ".join(text.split()[:len(best)]).rstrip(" :;,.")
    return None


def distinguishing(title: object, common: str | None) -> str | None:
    """The title without the thématique's common beginning (« … Cafés partenariats »)."""
    if not title:
        return None
    text = " ".join(str(title).split())
    if common and _words(text)[:len(common.split())] == _words(common):
        rest = " ".join(text.split()[len(common.split()):]).lstrip(" :;,.-–")
        return f"… {rest}" if rest else text
    return text


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
        titles = [actions.rows[i][pos["intitule"]] for i in indexes]
        common = common_beginning(titles)
        if common:
            ws.append([None, None, cell(ws, f"Intitulés commençant par « {common} » : ce début "
                                            "commun est remplacé par « … ».", NOTE_FONT)])
        for index, intitule in zip(indexes, titles):
            facts = summary.facts[index]
            row = actions.rows[index]
            shown = distinguishing(intitule, common)
            numero = row[pos["numero"]]
            values = [cell(ws, row[pos["id_action"]], BODY_FONT),
                      cell(ws, numero, BODY_FONT, alignment=NUMBER_ALIGN),
                      cell(ws, shorten(shown), BODY_FONT) if shown else
                      cell(ws, NO_TITLE, NOTE_FONT),
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
