"""What the panorama keeps of one workbook: its figures and its actions, made where the
workbook was read (a worker process), so that the plan itself never travels.

Figures are those of the master's Synthèse (``consolidation.summary.summarize``: statut of
an action, else of its latest Suivi year; years; indicators of the action or of its
offers), counted per thématique and statut, plus what only the panorama shows:

- **budget**: what an action's « Moyens financiers » says in euros (« 15 000 € »,
  « 12,5 k€ », « 1,2 M€ », « 3 000 euros ») — the largest amount written, since « 20 000 €
  dont 5 000 € CAF » counts once —, or a number in a column the service added whose
  header says « budget » or « montant »; else the sum of its offers' amounts. An action
  with none has no budget: nothing is guessed;
- **indicateurs**: rows of the sheet Indicateurs, and values reached in Suivi;
- **dernière année de suivi**: the latest year of the sheet Suivi;
- **contrôle**: the counts of a validation run here, or, for a master, the result each of
  its files had when it was consolidated (its « Sources » sheet).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..model import Plan
from ..territory import Territory, of_meta

# One row of the panorama's actions, before its territory is known:
ACTION_FIELDS = ("id_action", "thematique", "axe", "intitule", "porteur", "statut",
                 "annee_debut", "annee_fin", "indicateurs", "budget", "fichier")

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"
_AMOUNT = re.compile(
    rf"({_NUMBER})\s*(k|K|M|millions?\s*d['’]\s*|milliers?\s*d['’]\s*)?\s*(?:€|euros?\b|EUR\b)",
    re.IGNORECASE)
_BUDGET_HEADER = re.compile(r"budget|montant", re.IGNORECASE)
_SCALE = {"k": 1e3, "m": 1e6, "mi": 1e6}


def _number(text: str) -> float:
    text = re.sub(r"[ \u00a0\u202f]", "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):   # 1.500 or 1.500,50
        text = text.replace(".", "")
    return float(text.replace(",", "."))


@lru_cache(maxsize=1 << 14)
def amount_in(text: str | None) -> float | None:
    """The largest amount in euros written in ``text``; None when it names none."""
    if not text:
        return None
    found = []
    for match in _AMOUNT.finditer(str(text)):
        value = _number(match.group(1))
        scale = (match.group(2) or "").lower()
        if scale.startswith("milli") and "er" in scale:
            value *= 1e3
        elif scale.startswith(("m", "million")):
            value *= 1e6
        elif scale == "k":
            value *= 1e3
        found.append(value)
    return max(found) if found else None


def plain_amount(value) -> float | None:
    """A number in a budget column: 15000, « 15 000 », « 15 000 € »."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if re.fullmatch(_NUMBER, text):
        return _number(text)
    return amount_in(text)


@dataclass
class Figures:
    """Counts of some actions (a file's, a territory's, all): added together as they come."""

    actions: Counter = field(default_factory=Counter)          # thématique -> actions
    offres: Counter = field(default_factory=Counter)
    with_indicators: Counter = field(default_factory=Counter)
    by_statut: dict = field(default_factory=dict)              # thématique -> Counter
    spans: Counter = field(default_factory=Counter)            # (start, end) -> actions
    undated: int = 0
    indicateurs: int = 0                                       # rows of Indicateurs
    valeurs: int = 0                                           # indicator values in Suivi
    budget: float = 0.0
    with_budget: int = 0
    last_suivi: int | None = None

    @property
    def total(self) -> int:
        return sum(self.actions.values())

    def of_statut(self, statut: str) -> int:
        return sum(counts.get(statut, 0) for counts in self.by_statut.values())

    def statuts(self) -> Counter:
        out: Counter = Counter()
        for counts in self.by_statut.values():
            out.update(counts)
        return out

    def add(self, other: Figures) -> None:
        self.actions.update(other.actions)
        self.offres.update(other.offres)
        self.with_indicators.update(other.with_indicators)
        for theme, counts in other.by_statut.items():
            self.by_statut.setdefault(theme, Counter()).update(counts)
        self.spans.update(other.spans)
        self.undated += other.undated
        self.indicateurs += other.indicateurs
        self.valeurs += other.valeurs
        self.budget += other.budget
        self.with_budget += other.with_budget
        if other.last_suivi is not None:
            self.last_suivi = max(self.last_suivi or other.last_suivi, other.last_suivi)


@dataclass(frozen=True)
class SourceLine:
    """A file a master was consolidated from, as its « Sources » sheet says."""

    name: str
    thematique: str | None
    actions: int
    status: str | None            # « conforme », « 3 erreurs, 1 avertissement »…
    counts: tuple[int, int] | None   # (erreurs, avertissements) read from ``status``


@dataclass(frozen=True)
class FileFacts:
    """What the panorama keeps of one workbook."""

    name: str
    territory: Territory
    thematique: str | None
    template_version: str | None
    figures: Figures
    rows: list                              # tuples laid out as ``ACTION_FIELDS``
    counts: tuple[int, int] | None          # (erreurs, avertissements) of its validation
    sources: tuple[SourceLine, ...] = ()    # a master: the files it was made of


_ERRORS = re.compile(r"(\d+) erreurs?\b")
_WARNINGS = re.compile(r"(\d+) avertissements?\b")


def status_counts(status: str | None) -> tuple[int, int] | None:
    """(erreurs, avertissements) of a « Contrôle du fichier » text; None when not checked."""
    if not status or status.startswith("non contrôlé"):
        return None
    first = status.splitlines()[0]
    errors, warnings = _ERRORS.search(first), _WARNINGS.search(first)
    return (int(errors.group(1)) if errors else 0, int(warnings.group(1)) if warnings else 0)


def file_facts(plan: Plan, name: str, *, thematiques=(), statuts=(),
               counts: tuple[int, int] | None = None,
               sources: tuple[SourceLine, ...] = ()) -> FileFacts:
    """The facts of ``plan`` (read from the file ``name``): ``counts``, its validation's
    (erreurs, avertissements); ``sources``, a master's files (their own counts)."""
    from ..consolidation.summary import summarize

    summary = summarize(plan, thematiques=thematiques, statuts=statuts)
    figures = Figures(
        actions=Counter(summary.actions), offres=Counter(summary.offres),
        with_indicators=Counter(summary.with_indicators),
        by_statut={t: Counter({s: n for s, n in c.items() if n})
                   for t, c in summary.by_statut.items()})
    for fact in summary.facts:
        if fact.start is None:
            figures.undated += 1
        else:
            figures.spans[(fact.start, fact.end)] += 1
    figures.indicateurs = len(plan.indicateurs)
    suivi = plan.suivi.sheet
    number, value, year = (suivi.position(k) for k in ("numero_indicateur", "valeur", "annee"))
    figures.valeurs = sum(1 for r in plan.suivi.rows if r[number] is not None
                          and r[value] is not None)
    years = [r[year] for r in plan.suivi.rows if isinstance(r[year], int)]
    figures.last_suivi = max(years) if years else None
    budgets = _budgets(plan)
    figures.with_budget = sum(1 for b in budgets if b is not None)
    figures.budget = sum(b for b in budgets if b is not None)

    actions = plan.actions
    pos = {k: actions.sheet.position(k) for k in ("id_action", "intitule", "porteur",
                                                   "source_fichier")}
    rows = [(row[pos["id_action"]], fact.thematique, fact.axe, row[pos["intitule"]],
             row[pos["porteur"]], fact.statut, fact.start, fact.end, fact.indicators, budget,
             row[pos["source_fichier"]] or name)
            for row, fact, budget in zip(actions.rows, summary.facts, budgets)]
    meta = plan.meta
    return FileFacts(name, of_meta(meta), meta.thematique, meta.template_version, figures,
                     rows, counts, sources)


def _budgets(plan: Plan) -> list[float | None]:
    """The budget of each action (see the module's docstring)."""
    actions, offres = plan.actions, plan.offres
    own = actions.sheet.position("moyens_financiers")
    columns = [actions.sheet.position(c.key) for c in actions.sheet.extra_columns
               if _BUDGET_HEADER.search(c.header)]
    ident, source = actions.sheet.position("id_action"), actions.sheet.position("source_fichier")
    by_action: dict[tuple, float] = {}
    o_ident, o_source = offres.sheet.position("id_action"), offres.sheet.position("source_fichier")
    o_money = offres.sheet.position("moyens_financiers")
    for row in offres.rows:
        amount = amount_in(row[o_money])
        if amount is not None:
            key = (row[o_ident], row[o_source])
            by_action[key] = by_action.get(key, 0.0) + amount
    out = []
    for row in actions.rows:
        amount = next((a for a in (plain_amount(row[c]) for c in columns) if a is not None),
                      None)
        if amount is None:
            amount = amount_in(row[own])
        if amount is None:
            amount = by_action.get((row[ident], row[source]))
        out.append(amount)
    return out


def master_sources(path: Path) -> tuple[SourceLine, ...]:
    """The files a master was consolidated from (empty for a workbook without « Sources »)."""
    from ..consolidation.sources import TITLE, sources_from_rows, statuses_from_rows
    from ..loading import sheet_rows

    rows = sheet_rows(path, TITLE)
    if not rows:
        return ()
    statuses = statuses_from_rows(rows)
    return tuple(SourceLine(s.name, s.meta.thematique, s.actions, statuses.get(s.name),
                            status_counts(statuses.get(s.name)))
                 for s in sources_from_rows(rows))


def is_consolidated(plan: Plan) -> bool:
    """A master: its actions carry their provenance (« Fichier source »)."""
    position = plan.actions.sheet.position("source_fichier")
    return any(row[position] is not None for row in plan.actions.rows)


def prepare(plans: list[Plan], names: list[str], rules_dir: str | None = None) -> list[FileFacts]:
    """``file_facts`` of each plan, in the process that read the files: a master's files
    are taken from its « Sources » sheet; the other workbooks are validated here, together
    (``validate_plans``: one run for the group)."""
    from ..validation import load_rules, validate_plans

    rules = load_rules(rules_dir)
    vocabulary = rules.vocabulary
    sources = [master_sources(Path(p.source)) if p.source and is_consolidated(p) else ()
               for p in plans]
    unchecked = [p for p, s in zip(plans, sources) if not s]
    reports = iter(validate_plans(unchecked, rules)) if unchecked else iter(())
    out = []
    for plan, name, own in zip(plans, names, sources):
        counts = None
        if not own:
            totals = next(reports).counts
            counts = (totals["erreur"], totals["avertissement"])
        out.append(file_facts(plan, name, thematiques=vocabulary.values("thematiques"),
                              statuts=vocabulary.values("statuts"), sources=own,
                              counts=counts))
    return out
