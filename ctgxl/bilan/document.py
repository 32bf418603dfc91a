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
- charts are PNG images (``charts.py``) with a « Figure N » caption under them;
- table columns are never narrower than the widest word of their header (``blocks.py``).

Blocks are WordprocessingML text (``blocks.py``) streamed into the package
(``package.py``): time and memory grow with the plan only linearly, and memory stays
bounded (see ``tests/benchmarks/bench_bilan.py``).
"""

from __future__ import annotations

import io
import re
from typing import IO

from docx import Document

from ..consolidation.style import statut_colours
from ..values import xml_text
from ..wording import agree, counted, percent, plural, typeset
from . import charts
from .blocks import LABEL_FILL, TOTAL_FILL, TWIPS_PER_CM, Cell, Writer, column_widths
from .content import DONE, NO_STATUT, RUNNING, Bilan, Evolutions, Fiche, Indicator
from .package import Package

FIELD = re.compile(r"\{(territoire|annee|periode|date|source)\}")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def render(bilan: Bilan, template: bytes) -> bytes:
    """The .docx bytes of ``bilan`` laid out in ``template``."""
    out = io.BytesIO()
    render_to(bilan, template, out)
    return out.getvalue()


def render_to(bilan: Bilan, template: bytes, target: IO[bytes]) -> None:
    """Write the .docx of ``bilan`` laid out in ``template`` to ``target`` (a binary file
    open for writing), as a stream (``package.py``)."""
    doc = Document(io.BytesIO(template))
    _fill_fields(doc, _fields(bilan))
    with Package(doc, target) as package:
        writer = Writer(package, doc.styles)
        _summary(writer, bilan)
        if bilan.evolutions is not None:
            _evolutions(writer, bilan.evolutions, _now_label(bilan))
        for section in bilan.sections:
            _section(writer, bilan, section)


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
        runs[0].text = typeset(xml_text(new))    # {source}: a file name
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


def number(value) -> str:
    return charts.number_text(value)


# -- summary ---------------------------------------------------------------------------------

def _summary(w: Writer, bilan: Bilan) -> None:
    # Statuts are the year's only when the Suivi gives them for that year; otherwise they
    # are the current ones (Actions sheet), and no title or sentence dates them.
    of_year, current = bilan.statuts_of_year, bilan.current_statuts
    w.heading(f"Synthèse de l'avancement en {bilan.year}" if of_year else
              "Synthèse de l'avancement (statuts actuels)", 1)
    total, themes = bilan.total, len(bilan.by_thematique)
    done, running = bilan.total_of(DONE), bilan.total_of(RUNNING)
    unknown = bilan.total_of(NO_STATUT)
    w.paragraph(
        f"Le plan d'actions compte {plural(total, 'action')}, {agree(total, 'répartie')} en "
        f"{plural(themes, 'thématique')}."
        + ("" if unknown == total else
           (f" En {bilan.year}, " if of_year else " Selon leur statut actuel, ")
           + f"{done} {agree(done, 'est réalisée', 'sont réalisées')} "
           f"({percent(bilan.share(DONE))}) et {running} en cours "
           f"({percent(bilan.share(RUNNING))})."))
    for gap in bilan.gaps:
        w.paragraph(gap, bold="Chiffres incomplets — ")
    if total and not of_year:
        w.paragraph(f"Aucune ligne de la feuille Suivi ne donne de statut pour {bilan.year} : "
                    "les statuts présentés sont les statuts actuels des actions (colonne "
                    f"« Statut » de la feuille Actions), pas ceux de {bilan.year}.")
    elif current:
        w.paragraph(f"Sans statut pour {bilan.year} dans la feuille Suivi, "
                    f"{plural(current, 'action')} sur {total} "
                    f"{agree(current, 'figure', 'figurent')} avec "
                    f"{agree(current, 'son', 'leur')} statut actuel (colonne « Statut » de la "
                    "feuille Actions).")
    if unknown == total and total:
        w.paragraph("Aucun statut n'est renseigné : l'avancement ne peut pas encore être "
                    "présenté. Les services indiquent le statut de chaque action dans la "
                    "feuille Suivi (une ligne par action et par année).")
    elif unknown:
        w.paragraph(f"{plural(unknown, 'action')} sans statut renseigné "
                    f"({percent(unknown / total)}) {agree(unknown, 'figure', 'figurent')} "
                    f"en « {NO_STATUT} ».")

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
    # numbers: 1.1 cm at least, widened to the header's words (« Abandonnée »)
    w.table([0, *([1.1] * (len(statuts) + 3))], header, rows, keep_together=True)
    if total:
        png = charts.statut_chart(bilan.by_thematique, bilan.statuts,
                                  statut_colours(bilan.statuts), NO_STATUT)
        when = f"en {bilan.year}" if of_year else "selon leur statut actuel"
        w.picture(png, 17, f"Avancement des actions par thématique {when} "
                           "(nombre d'actions ; hachuré : statut non renseigné)")

    c = bilan.counts
    w.paragraph("Indicateurs d'évaluation", "Heading 3")
    if not c.get("indicateurs"):
        w.paragraph("Aucun indicateur n'est décrit dans la feuille Indicateurs.")
        return
    w.paragraph(
        f"{counted(c['indicateurs'], 'indicateur décrit')}, dont {c['avec_cible']} avec une "
        f"cible chiffrée ; {c['avec_valeur']} {agree(c['avec_valeur'], 'a', 'ont')} une valeur "
        f"pour {bilan.year}, dont {c['cible_atteinte']} "
        f"{agree(c['cible_atteinte'], 'atteint ou dépasse', 'atteignent ou dépassent')} "
        f"{agree(c['cible_atteinte'], 'sa', 'leur')} cible.")


# -- evolutions ------------------------------------------------------------------------------

def _now_label(bilan: Bilan) -> str:
    """The header of the statuts now, beside those before: « En 2025 », « Actuel »."""
    if not bilan.current_statuts:
        return f"En {bilan.year}"
    return f"En {bilan.year} ou actuel" if bilan.statuts_of_year else "Actuel"


def _evolutions(w: Writer, ev: Evolutions, now: str) -> None:
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
        w.table([2, 0, 2.6, 2.6], ["ID", "Action", "Avant", now],
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
        w.paragraph(("La valeur nouvelle (" if len(new_values) == 1 else
                     f"Les {len(new_values)} valeurs nouvelles (")
                    + ", ".join(str(y) for y in years)
                    + (") figure" if len(new_values) == 1 else ") figurent")
                    + " dans les tableaux d'indicateurs des fiches actions.")
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

def _section(w: Writer, bilan: Bilan, section) -> None:
    fiches = section.fiches
    w.heading(section.thematique, 1)
    counts = bilan.by_thematique.get(section.thematique, {})
    parts = [statut_count(counts[s], s) for s in bilan.statuts if counts.get(s)]
    of_year = sum(f.statut_of_year for f in fiches)
    when = (f"en {bilan.year}" if of_year == len(fiches) else
            f"en {bilan.year} (statut actuel pour {len(fiches) - of_year})" if of_year else
            "selon leur statut actuel")
    w.paragraph(f"{plural(len(fiches), 'action')} {when} : "
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


def _fiche(w: Writer, bilan: Bilan, fiche: Fiche) -> None:
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
    label = f"Statut en {bilan.year}" if fiche.statut_of_year else "Statut actuel"
    rows = [[Cell(label, bold=True, fill=LABEL_FILL),
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
    widths = [w / TWIPS_PER_CM for w in column_widths(widths_cm, header)[0]]
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


def _chart(w: Writer, fiche: Fiche, i: Indicator) -> None:
    png = charts.indicator_chart(i.values, reference=i.reference,
                                 reference_year=i.annee_reference, target=i.cible,
                                 target_year=i.annee_cible, unit=i.unite)
    w.picture(png, 10, f"{fiche.id_action}, indicateur {i.numero} : {i.libelle}")


def _with_year(value, year) -> str:
    text = number(value)
    return f"{text}\n({year})" if text and year else text
