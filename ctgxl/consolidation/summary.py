"""Figures of a master plan for the COPIL: pure counting, no workbook.

Per action (an Actions row), joined with its offers and follow-up rows by ID
action *and* source file (two files may use the same ID):

- thématique: the row's, else « Sans thématique »;
- statut: the row's, else the statut of its latest Suivi year, else
  « Non renseigné »;
- years: Année début/fin, else the years written in its échéances, else the
  span of its offers' years (Enfance describes its actions through offers);
  an action with only one known year runs that year;
- indicators filled: its own « Indicateurs d'évaluation » or one of its offers';
- porteurs: its own and its offers', cut at line breaks, « ; », « , », « + »
  and « / » and compared ignoring case and accents.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ..model import Plan
from ..values import years_of
from ..wording import plural
from ..vocabulary import fold as _fold

NO_THEMATIQUE = "Sans thématique"
NO_STATUT = "Non renseigné"
NO_AXE = "Sans axe"
TOP_PORTEURS = 10
YEAR_MARGIN = 5   # years shown around the convention period when actions run outside it
_PORTEUR_SPLIT = re.compile(r"\s*(?:\n|;|,|\s\+\s|\+|\s/\s)\s*")


class ActionFacts(NamedTuple):
    thematique: str
    axe: str | None
    statut: str
    start: int | None
    end: int | None
    indicators: bool
    porteurs: tuple[str, ...]


class Gap(NamedTuple):
    """A column the figures use, missing from a consolidated file (validation said so):
    its rows are counted without it (« Non renseigné », no year, no porteur…)."""

    file: str
    sheet: str
    header: str                 # the template's header (« Statut »)
    renamed: str | None         # the header found in its place (« Avancement 2025 »)
    uses: str                   # « à l'avancement par statut de la Synthèse et du bilan »
    rows: int                   # rows of that sheet in that file

    def sentence(self) -> str:
        """« jeunesse.xlsx, feuille Actions : colonne « Statut » absente… »"""
        what = (f"colonne « {self.header} » renommée « {self.renamed} »" if self.renamed
                else f"colonne « {self.header} » absente")
        return (f"{self.file}, feuille {self.sheet} : {what} ; {plural(self.rows, 'ligne')} "
                f"compt{'ée' if self.rows < 2 else 'ées'} sans elle (elle sert {self.uses}).")

    def to_dict(self) -> dict[str, object]:
        return {"fichier": self.file, "feuille": self.sheet, "colonne": self.header,
                "en_tete_trouve": self.renamed, "usage": self.uses, "lignes": self.rows}


@dataclass(frozen=True)
class Summary:
    period: tuple[int, int] | None
    thematiques: tuple[str, ...]
    actions: dict[str, int]
    offres: dict[str, int]
    with_indicators: dict[str, int]
    by_axe: tuple[tuple[str, str, str | None, int], ...]   # thématique, axe, intitulé, actions
    statuts: tuple[str, ...]
    by_statut: dict[str, dict[str, int]]
    years: tuple[int, ...]
    running: dict[int, int]
    ending: dict[int, int]
    undated: int
    porteurs: tuple[tuple[str, int, int], ...]   # porteur, actions, thématiques
    facts: tuple[ActionFacts, ...] = field(repr=False, compare=False, default=())
    gaps: tuple[Gap, ...] = ()                   # columns missing from consolidated files

    @property
    def total_actions(self) -> int:
        return sum(self.actions.values())

    def total_of(self, statut: str) -> int:
        """Actions of every thématique with this statut."""
        return sum(counts.get(statut, 0) for counts in self.by_statut.values())

    @property
    def total_offres(self) -> int:
        return sum(self.offres.values())

    @property
    def total_with_indicators(self) -> int:
        return sum(self.with_indicators.values())

    def share_with_indicators(self, thematique: str | None = None) -> float:
        done = self.with_indicators.get(thematique, 0) if thematique else \
            self.total_with_indicators
        total = self.actions.get(thematique, 0) if thematique else self.total_actions
        return done / total if total else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "periode": list(self.period) if self.period else None,
            "actions": self.total_actions,
            "offres": self.total_offres,
            "actions_avec_indicateurs": self.total_with_indicators,
            "par_thematique": [
                {"thematique": t, "actions": self.actions[t], "offres": self.offres.get(t, 0),
                 "actions_avec_indicateurs": self.with_indicators.get(t, 0),
                 "statuts": self.by_statut.get(t, {})} for t in self.thematiques],
            "par_axe": [{"thematique": t, "axe": a, "intitule": label, "actions": n}
                        for t, a, label, n in self.by_axe],
            "par_annee": [{"annee": y, "actions_en_cours": self.running.get(y, 0),
                           "actions_a_echeance": self.ending.get(y, 0)} for y in self.years],
            "actions_sans_annee": self.undated,
            "porteurs": [{"porteur": p, "actions": n, "thematiques": k}
                         for p, n, k in self.porteurs],
            "chiffres_incomplets": [g.to_dict() for g in self.gaps],
        }


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """``vocabulary.fold``, remembered: the same few labels come back on every row."""
    return _fold(text)


def split_porteurs(text: str | None) -> list[str]:
    if not text:
        return []
    return list(_split_porteurs(str(text)))


@lru_cache(maxsize=1 << 14)
def _split_porteurs(text: str) -> tuple[str, ...]:
    return tuple(part.strip(" .-–") for part in _PORTEUR_SPLIT.split(text)
                 if part.strip(" .-–"))


def _years(row, pos) -> tuple[int | None, int | None]:
    start, end = row[pos["annee_debut"]], row[pos["annee_fin"]]
    if start is None and end is None:
        start, end = years_of(row[pos["echeances"]])
    start = start if isinstance(start, int) else None
    end = end if isinstance(end, int) else None
    if start is None:
        start = end
    if end is None:
        end = start
    return start, end


def summarize(master: Plan, *, period: tuple[int, int] | None = None,
              thematiques: Sequence[str] = (), statuts: Sequence[str] = (),
              gaps: Sequence[Gap] = ()) -> Summary:
    """Count the master's actions; ``thematiques``/``statuts`` give the display order;
    ``gaps`` (``figure_gaps``) are shown with the figures they make incomplete."""
    actions, offres, suivi = master.actions, master.offres, master.suivi
    a = {k: actions.sheet.position(k) for k in actions.sheet.keys}
    o = {k: offres.sheet.position(k) for k in offres.sheet.keys}
    s = {k: suivi.sheet.position(k) for k in suivi.sheet.keys}

    children: dict[tuple, list] = {}
    for row in offres.rows:
        children.setdefault((row[o["id_action"]], row[o["source_fichier"]]), []).append(row)
    latest: dict[tuple, tuple[int, str]] = {}
    for row in suivi.rows:
        key = (row[s["id_action"]], row[s["source_fichier"]])
        year, statut = row[s["annee"]], row[s["statut"]]
        if statut is not None and isinstance(year, int) and year >= latest.get(key, (0, ""))[0]:
            latest[key] = (year, str(statut))

    statut_label = {fold(v): v for v in statuts}
    thematique_label = {fold(v): v for v in thematiques}
    facts = []
    action_theme: dict[tuple, str] = {}
    i_id, i_src, i_them, i_statut = a["id_action"], a["source_fichier"], a["thematique"], a["statut"]
    i_ind, i_port, i_axe = a["indicateurs"], a["porteur"], a["axe"]
    o_ind, o_port = o["indicateurs"], o["porteur"]
    no_offers: list = []
    for row in actions.rows:
        key = (row[i_id], row[i_src])
        raw = row[i_them]
        theme = thematique_label.setdefault(fold(str(raw)), str(raw)) if raw else NO_THEMATIQUE
        if key not in action_theme:
            action_theme[key] = theme
        statut = row[i_statut] or (latest[key][1] if key in latest else None)
        statut = statut_label.setdefault(fold(str(statut)), str(statut)) if statut else NO_STATUT
        start, end = _years(row, a)
        offers = children.get(key, no_offers)
        porteurs = _split_porteurs(str(row[i_port])) if row[i_port] else ()
        indicators = bool(row[i_ind])
        if offers:
            if start is None:
                spans = [_years(r, o) for r in offers]
                starts = [x for x, _ in spans if x is not None]
                ends = [y for _, y in spans if y is not None]
                if starts:
                    start, end = min(starts), max(ends)
            indicators = indicators or any(r[o_ind] for r in offers)
            for r in offers:
                if r[o_port]:
                    porteurs += _split_porteurs(str(r[o_port]))
        facts.append(ActionFacts(theme, row[i_axe], statut, start, end, indicators,
                                 tuple(porteurs)))

    order = _theme_order(facts, thematiques)
    counts = Counter(f.thematique for f in facts)
    offer_counts = Counter(
        action_theme.get((r[o["id_action"]], r[o["source_fichier"]]), NO_THEMATIQUE)
        for r in offres.rows)
    order += [t for t in offer_counts if t not in order]
    indicators = Counter(f.thematique for f in facts if f.indicators)
    statut_order = list(statuts) + sorted({f.statut for f in facts} - set(statuts) - {NO_STATUT})
    if any(f.statut == NO_STATUT for f in facts):
        statut_order.append(NO_STATUT)
    by_statut = {t: {st: 0 for st in statut_order} for t in order}
    for f in facts:
        by_statut[f.thematique][f.statut] += 1
    years, running, ending, undated = _year_counts(facts, period)
    return Summary(
        period=period, thematiques=tuple(order),
        actions={t: counts.get(t, 0) for t in order},
        offres={t: offer_counts.get(t, 0) for t in order},
        with_indicators={t: indicators.get(t, 0) for t in order},
        by_axe=_axes(master, facts, order), statuts=tuple(statut_order), by_statut=by_statut,
        years=years, running=running, ending=ending, undated=undated,
        porteurs=_top_porteurs(facts), facts=tuple(facts), gaps=tuple(gaps))


GAP_CODES = ("colonne-renommee", "colonne-necessaire-absente", "colonne-obligatoire-absente")


def figure_gaps(reports: Sequence[tuple[str, object]]) -> list[Gap]:
    """The gaps that validation found in each (file name, FileReport): template columns
    the figures use, absent or renamed."""
    from ..catalogue import TABLE_SHEETS

    sheets = {s.name: s for s in TABLE_SHEETS}
    gaps = []
    for name, report in reports:
        for f in getattr(report, "findings", ()):
            sheet = sheets.get(f.sheet)
            if f.code not in GAP_CODES or sheet is None:
                continue
            column = next((c for c in sheet.columns if c.header == f.header), None)
            if column is not None and column.uses:
                renamed = f.value if f.code == "colonne-renommee" else None
                gaps.append(Gap(name, sheet.name, column.header, renamed, column.uses,
                                report.rows.get(sheet.name, 0)))
    return gaps


def _theme_order(facts, thematiques: Sequence[str]) -> list[str]:
    present = list(dict.fromkeys(f.thematique for f in facts))
    known = [t for t in thematiques if t in present]
    others = [t for t in present if t not in known and t != NO_THEMATIQUE]
    return known + others + ([NO_THEMATIQUE] if NO_THEMATIQUE in present else [])


def _year_counts(facts, period):
    spans = Counter((f.start, f.end) for f in facts if f.start is not None)
    return year_counts(spans, len(facts) - sum(spans.values()), period)


def year_counts(spans: Counter, undated: int, period):
    """Years shown (the convention's period ± ``YEAR_MARGIN``, or the years read), actions
    running and ending each year, actions without a year, from the count of actions of
    each (first year, last year) span: a few dozen spans for thousands of actions."""
    if not spans and period is None:
        return (), {}, {}, undated
    low = min((start for start, _ in spans), default=period[0] if period else 0)
    high = max((end for _, end in spans), default=period[1] if period else 0)
    if period is not None:
        low = max(min(low, period[0]), period[0] - YEAR_MARGIN)
        high = min(max(high, period[1]), period[1] + YEAR_MARGIN)
    years = tuple(range(low, high + 1))
    running = dict.fromkeys(years, 0)
    ending = dict.fromkeys(years, 0)
    for (start, end), n in spans.items():
        for y in range(max(start, low), min(end, high) + 1):
            running[y] += n
        if end in ending:
            ending[end] += n
    return years, running, ending, undated


def _axes(master: Plan, facts, order) -> tuple:
    plan = master.plan
    p = {k: plan.sheet.position(k) for k in ("thematique", "axe", "axe_intitule")}
    labels: dict[tuple[str, str], str] = {}
    axe_order: dict[tuple[str, str], int] = {}
    for row in plan.rows:
        if row[p["thematique"]] and row[p["axe"]]:
            key = (fold(str(row[p["thematique"]])), str(row[p["axe"]]))
            axe_order.setdefault(key, len(axe_order))
            if row[p["axe_intitule"]]:
                labels.setdefault(key, str(row[p["axe_intitule"]]))
    counts = Counter((f.thematique, f.axe or NO_AXE) for f in facts)
    rank = {t: i for i, t in enumerate(order)}

    def sort_key(item):
        (theme, axe), _ = item
        return (rank.get(theme, len(rank)), axe == NO_AXE,
                axe_order.get((fold(theme), axe), len(axe_order)), _roman_or_text(axe))

    return tuple((theme, axe, labels.get((fold(theme), axe)), n)
                 for (theme, axe), n in sorted(counts.items(), key=sort_key))


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
          "X": 10}


def _roman_or_text(axe: str) -> tuple[int, str]:
    if axe in _ROMAN:
        return (_ROMAN[axe], axe)
    return (int(axe), axe) if axe.isdigit() else (99, axe)


def _top_porteurs(facts) -> tuple[tuple[str, int, int], ...]:
    spellings: dict[str, Counter] = {}
    actions: Counter = Counter()
    themes: dict[str, set[str]] = {}
    # the same porteurs come back on action after action: count each combination once
    for (porteurs, thematique), n in Counter((f.porteurs, f.thematique) for f in facts).items():
        seen = set()
        for porteur in porteurs:
            key = fold(porteur)
            if not key:
                continue
            if key not in spellings:
                spellings[key] = Counter()
            spellings[key][porteur] += n
            if key not in seen:
                seen.add(key)
                actions[key] += n
                themes.setdefault(key, set()).add(thematique)
    ranked = sorted(actions.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_PORTEURS]
    return tuple((_most_common(spellings[k]), n, len(themes[k])) for k, n in ranked)


def _most_common(spellings: Counter) -> str:
    """The spelling used most, the first met among equals."""
    return spellings.most_common(1)[0][0]
