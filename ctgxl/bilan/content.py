"""What the COPIL bilan says, as data: pure functions of the plan, no document.

``build_bilan(master)`` gathers, for the year reported on (``--annee``, else the
latest year of the Suivi sheet, else the current year):

- the statut of each action that year: its Suivi row of that year (the row
  without N° indicateur, else any row of that year that gives a statut), else
  its current « Statut » in Actions (and the document says it is the current one,
  never that year's), else « Non renseigné »;
- per thématique and statut, the number of actions, and the shares réalisées /
  en cours;
- per thématique › axe › objectif intermédiaire, in the plan's order, the
  « fiche » of each action: its fields, its offers, its indicators with
  reference, target and the values of the years followed up to that year;
- with ``previous`` (the master presented at the last COPIL), the evolutions
  from the keyed diff: actions added, dropped, changed (which fields), statut
  changes, indicator values new or changed.

A year asked for must lie in the plan's period (``plan_period``): the convention's
years, widened to the years the Suivi sheet holds (a follow-up that started before
the convention, or goes on after it, still has its bilans); any other is refused
(``YearOutsidePlanError``) rather than showing today's statuts as that year's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..catalogue import ACTIONS
from ..errors import CtgxlError
from ..model import Plan, Row
from ..values import Value
from ..vocabulary import fold

NO_STATUT = "Non renseigné"
NO_THEMATIQUE = "Sans thématique"
DONE, RUNNING = "Réalisée", "En cours"
MAX_YEARS = 5        # yearly value columns shown in an indicator table (the latest ones)
PROVENANCE = ("source_fichier", "source_ligne")

# Fields of a fiche action, in order (Actions keys); the title and statut are apart.
FICHE_FIELDS = ("porteur", "public", "partenaires", "echeances", "moyens_humains",
                "moyens_techniques", "moyens_financiers", "parcours")


@dataclass(frozen=True)
class Indicator:
    numero: Value
    libelle: str
    type: str | None
    unite: str | None
    reference: Value
    annee_reference: Value
    cible: Value
    annee_cible: Value
    values: dict[int, Value]          # year -> value reached
    commentaire: str | None = None

    @property
    def progress(self) -> float | None:
        """Share of the way from the reference (0 if none) to the target, at the latest
        value; None without a numeric target or value."""
        if not self.values or not _is_number(self.cible):
            return None
        latest = self.values[max(self.values)]
        start = self.reference if _is_number(self.reference) else 0
        if not _is_number(latest) or self.cible == start:
            return None
        return (latest - start) / (self.cible - start)


@dataclass(frozen=True)
class Offer:
    numero: Value
    offre: str | None
    porteur: str | None
    public: str | None
    echeances: str | None


@dataclass(frozen=True)
class Fiche:
    id_action: str
    intitule: str | None
    fields: tuple[tuple[str, str], ...]      # (French label, text), filled ones only
    statut: str
    history: tuple[tuple[int, str], ...]     # (year, statut) of the Suivi, in order
    commentaire: str | None
    offers: tuple[Offer, ...]
    indicators: tuple[Indicator, ...]
    indicators_text: str | None              # the free text, when no indicator row exists
    statut_of_year: bool = True              # from the Suivi of the year, else the current one


@dataclass(frozen=True)
class Objectif:
    code: str | None
    label: str | None
    fiches: tuple[Fiche, ...]


@dataclass(frozen=True)
class Axe:
    code: str | None
    label: str | None
    objectifs: tuple[Objectif, ...]


@dataclass(frozen=True)
class Section:
    thematique: str
    axes: tuple[Axe, ...]

    @property
    def fiches(self) -> list[Fiche]:
        return [f for a in self.axes for o in a.objectifs for f in o.fiches]


@dataclass(frozen=True)
class Evolutions:
    previous: str
    added: tuple[tuple[str, str], ...]                  # (ID, intitulé)
    removed: tuple[tuple[str, str], ...]
    changed: tuple[tuple[str, str, tuple[str, ...]], ...]   # (ID, intitulé, field labels)
    statuts: tuple[tuple[str, str, str, str], ...]      # (ID, intitulé, before, now)
    values: tuple[tuple[str, str, int, Value, Value, str | None], ...]
    # (ID, indicator, year, before (None if new), now, unit)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.statuts or self.values)


@dataclass(frozen=True)
class Bilan:
    territoire: str | None
    period: tuple[int, int] | None
    year: int
    years: tuple[int, ...]                   # years of the value columns
    date: dt.date
    source: str | None
    statuts: tuple[str, ...]                 # display order
    by_thematique: dict[str, dict[str, int]]
    sections: tuple[Section, ...]
    evolutions: Evolutions | None = None
    statuts_of_year: int = 0                 # actions whose statut is the Suivi's of the year
    counts: dict[str, int] = field(default_factory=dict)   # indicator figures
    gaps: tuple[str, ...] = ()               # columns the master's files lacked (French)

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.by_thematique.values())

    def total_of(self, statut: str) -> int:
        return sum(c.get(statut, 0) for c in self.by_thematique.values())

    def share(self, statut: str) -> float:
        return self.total_of(statut) / self.total if self.total else 0.0

    @property
    def current_statuts(self) -> int:
        """Actions shown with their current statut (Actions sheet): no Suivi statut that year."""
        return self.total - self.statuts_of_year


class YearOutsidePlanError(CtgxlError):
    """A bilan asked for a year outside the plan's period (exit code 2)."""

    def __init__(self, year: int, period: tuple[int, int], convention: tuple[int, int] | None):
        low, high = period
        why = ("période de la convention" if convention == period else
               f"convention {convention[0]}-{convention[1]} et années de la feuille Suivi"
               if convention else "années de la feuille Suivi")
        super().__init__(f"l'année {year} est en dehors de la période du plan ({low}-{high}, "
                         f"{why}) : choisissez avec --annee une année de {low} à {high}")
        self.year, self.period = year, period


def plan_period(convention: tuple[int, int] | None, follow_up_years: Sequence[int]
                ) -> tuple[int, int] | None:
    """The years a bilan may be about: the convention's, widened to the years the Suivi
    sheet holds; None when neither is known."""
    years = [*(convention or ()), *follow_up_years]
    return (min(years), max(years)) if years else None


def build_bilan(master: Plan, *, year: int | None = None, previous: Plan | None = None,
                previous_name: str = "", period: tuple[int, int] | None = None,
                thematiques: Sequence[str] = (), statuts: Sequence[str] = (),
                territoire: str | None = None, today: dt.date | None = None,
                source: str | None = None, gaps: Sequence[str] = ()) -> Bilan:
    """The bilan of ``master`` (see the module docstring); ``gaps``: sentences saying which
    columns some of its files lacked (the figures below do not count them), said first."""
    follow = _FollowUp(master)
    if year is not None:
        allowed = plan_period(period, follow.years)
        if allowed is not None and not allowed[0] <= year <= allowed[1]:
            raise YearOutsidePlanError(year, allowed, period)
    year = year or follow.latest_year or (today or dt.date.today()).year
    statut_label = {fold(s): s for s in statuts}
    fiches, order = [], []
    labels = _plan_labels(master)
    offers = _by_action(master.offres.records(), "id_action")
    indicators = _by_action(master.indicateurs.records(), "id_action")
    by_thematique: dict[str, dict[str, int]] = {}
    theme_label = {fold(t): t for t in thematiques}
    for record in master.actions.records():
        theme = record["thematique"]
        theme = theme_label.setdefault(fold(str(theme)), str(theme)) if theme else NO_THEMATIQUE
        of_year = follow.statut(record["id_action"], year)
        statut = of_year or record["statut"]
        statut = statut_label.setdefault(fold(str(statut)), str(statut)) if statut else NO_STATUT
        counts = by_thematique.setdefault(theme, {})
        counts[statut] = counts.get(statut, 0) + 1
        fiches.append((theme, record, (statut, of_year is not None)))
        if theme not in order:
            order.append(theme)
    years = tuple(y for y in follow.value_years if y <= year)[-MAX_YEARS:]
    sections = []
    for theme in _ordered(order, thematiques):
        sections.append(_section(theme, [(r, s) for t, r, s in fiches if t == theme], labels,
                                 offers, indicators, follow, year))
    statut_order = [*statuts, *sorted({s for c in by_thematique.values() for s in c}
                                      - set(statuts) - {NO_STATUT})]
    if any(NO_STATUT in c for c in by_thematique.values()):
        statut_order.append(NO_STATUT)
    all_indicators = [i for s in sections for f in s.fiches for i in f.indicators]
    counts = {
        "indicateurs": len(all_indicators),
        "avec_cible": sum(_is_number(i.cible) for i in all_indicators),
        "avec_valeur": sum(year in i.values for i in all_indicators),
        "cible_atteinte": sum((i.progress or 0) >= 1 for i in all_indicators
                              if year in i.values),
    }
    evolutions = None if previous is None else _evolutions(previous, master, previous_name,
                                                           year, statut_label)
    return Bilan(territoire, period, year, years, today or dt.date.today(), source,
                 tuple(statut_order), {t: by_thematique[t] for t in _ordered(order, thematiques)},
                 tuple(sections), evolutions, sum(of_year for _, _, (_, of_year) in fiches),
                 counts, tuple(gaps))


# -- follow-up ----------------------------------------------------------------------------

class _FollowUp:
    """The Suivi sheet by action: statut per year, value per (indicator, year)."""

    def __init__(self, plan: Plan) -> None:
        self.statuts: dict[object, dict[int, tuple[bool, str]]] = {}
        self.values: dict[tuple[object, object], dict[int, Value]] = {}
        self.comments: dict[tuple[object, int], str] = {}
        years, value_years = set(), set()
        for r in plan.suivi.records():
            ident, year = r["id_action"], r["annee"]
            if not isinstance(year, int):
                continue
            years.add(year)
            number = r["numero_indicateur"]
            if r["statut"]:
                known = self.statuts.setdefault(ident, {})
                # the row of the year (no indicator) wins over a statut on a value row
                if number is None or year not in known or not known[year][0]:
                    known[year] = (number is None, str(r["statut"]))
            if number is not None and r["valeur"] is not None:
                self.values.setdefault((ident, number), {})[year] = r["valeur"]
                value_years.add(year)
            if number is None and r["commentaire"]:
                self.comments[ident, year] = str(r["commentaire"])
        self.years = sorted(years)
        self.value_years = sorted(value_years)

    @property
    def latest_year(self) -> int | None:
        return self.years[-1] if self.years else None

    def statut(self, ident: object, year: int) -> str | None:
        return self.statuts.get(ident, {}).get(year, (False, None))[1]

    def history(self, ident: object, year: int) -> tuple[tuple[int, str], ...]:
        return tuple((y, s) for y, (_, s) in sorted(self.statuts.get(ident, {}).items())
                     if y <= year)


# -- sections -----------------------------------------------------------------------------

def _section(theme, rows, labels, offers, indicators, follow: _FollowUp, year) -> Section:
    axes: dict[object, dict[object, list[Fiche]]] = {}
    for record, statut in rows:
        fiche = _fiche(record, statut, offers.get(record["id_action"], []),
                       indicators.get(record["id_action"], []), follow, year)
        axes.setdefault(record["axe"], {}).setdefault(record["objectif"], []).append(fiche)
    out = []
    for axe, objectifs in axes.items():
        out.append(Axe(axe, labels.get((fold(theme), axe)), tuple(
            Objectif(obj, labels.get((fold(theme), axe, obj)), tuple(fs))
            for obj, fs in objectifs.items())))
    return Section(theme, tuple(out))


def _fiche(record, statut_and_source, offers, indicators, follow: _FollowUp, year) -> Fiche:
    statut, of_year = statut_and_source
    ident = record["id_action"]
    fields = tuple((ACTIONS.column(k).header, str(record[k])) for k in FICHE_FIELDS
                   if record[k] not in (None, ""))
    values_of = [
        Indicator(i["numero_indicateur"], str(i["libelle"] or ""), i["type"], i["unite"],
                  i["reference"], i["annee_reference"], i["cible"], i["annee_cible"],
                  {y: v for y, v in follow.values.get((ident, i["numero_indicateur"]),
                                                       {}).items() if y <= year},
                  i["commentaire"])
        for i in indicators]
    comment = follow.comments.get((ident, year)) or record["commentaire"]
    return Fiche(
        str(ident or ""), record["intitule"], fields, statut, follow.history(ident, year),
        comment,
        tuple(Offer(o["numero_offre"], o["offre"], o["porteur"], o["public"], o["echeances"])
              for o in offers),
        tuple(values_of), None if values_of else record["indicateurs"], of_year)


def _plan_labels(plan: Plan) -> dict[tuple, str]:
    labels: dict[tuple, str] = {}
    for r in plan.plan.records():
        theme = fold(str(r["thematique"] or ""))
        if r["axe_intitule"]:
            labels.setdefault((theme, r["axe"]), r["axe_intitule"])
        if r["objectif_intitule"]:
            labels.setdefault((theme, r["axe"], r["objectif"]), r["objectif_intitule"])
    return labels


def _by_action(records: list[dict], key: str) -> dict[object, list[dict]]:
    out: dict[object, list[dict]] = {}
    for r in records:
        out.setdefault(r[key], []).append(r)
    return out


def _ordered(found: list[str], preferred: Sequence[str]) -> list[str]:
    rank = {t: i for i, t in enumerate(preferred)}
    return sorted(found, key=lambda t: (t == NO_THEMATIQUE, rank.get(t, len(rank)),
                                        found.index(t)))


def _is_number(value: object) -> bool:
    return type(value) in (int, float)


# -- evolutions ---------------------------------------------------------------------------

def _evolutions(old: Plan, new: Plan, name: str, year: int, statut_label) -> Evolutions:
    from ..compare import diff_plans

    diff = diff_plans(old.without_provenance(), new.without_provenance(),
                      ignore_cosmetic=True)
    actions = diff.table("actions")
    position = {k: ACTIONS.position(k) for k in ("id_action", "intitule")}

    def named(row: Row) -> tuple[str, str]:
        return str(row[position["id_action"]] or ""), str(row[position["intitule"]] or "")

    changed = []
    for change in actions.modified:
        fields = tuple(ACTIONS.column(c.column).header for c in change.changes
                       if c.column not in ("statut", "commentaire", *PROVENANCE)
                       and c.column in ACTIONS.index)
        if fields:
            changed.append((*named(change.row), fields))
    old_follow, new_follow = _FollowUp(old), _FollowUp(new)
    old_year = old_follow.latest_year
    before = {r["id_action"]: (old_follow.statut(r["id_action"], old_year) if old_year else None)
              or r["statut"] for r in old.actions.records()}
    statuts = []
    for r in new.actions.records():
        ident = r["id_action"]
        if ident not in before:
            continue
        now = new_follow.statut(ident, year) or r["statut"]
        was = before[ident]
        if now and fold(str(now)) != fold(str(was or "")):
            statuts.append((str(ident), str(r["intitule"] or ""),
                            statut_label.get(fold(str(was)), was) if was else NO_STATUT,
                            statut_label.get(fold(str(now)), now)))
    libelle = {(i["id_action"], i["numero_indicateur"]): (i["libelle"], i["unite"])
               for i in new.indicateurs.records()}
    values = []
    for (ident, number), by_year in new_follow.values.items():
        old_values = old_follow.values.get((ident, number), {})
        for y, value in sorted(by_year.items()):
            if y <= year and old_values.get(y) != value:
                label, unit = libelle.get((ident, number), (f"indicateur n° {number}", None))
                values.append((str(ident), str(label or ""), y, old_values.get(y), value, unit))
    values.sort(key=lambda v: (v[0], v[2]))
    return Evolutions(
        name, tuple(named(c.row) for c in actions.added),
        tuple(named(c.row) for c in actions.removed), tuple(changed), tuple(statuts),
        tuple(values))


__all__ = ["Bilan", "Evolutions", "Fiche", "Indicator", "Section", "YearOutsidePlanError",
           "build_bilan", "plan_period"]
