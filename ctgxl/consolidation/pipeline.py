"""From the services' workbooks on disk to the master file: what ``ctgxl consolidate`` runs.

``consolidate_files(paths, output, rules=…)`` reads and validates every input
(worker processes when there are many, see ``io.load_sources``), stops when
an input is unusable or — unless ``force`` — has erreurs, gathers the plans
(``consolidate_plans``, pure), checks across files, summarises, and writes
the master with its Synthèse, Calendrier and Sources sheets. The command only
presents the ``Outcome`` and picks the exit code.

When the inputs are read by workers, each worker also renders its files' rows
as rows of the master, so that writing the master does not render them again
in the main process (the reading is spread over the processor's cores, the
writing is not).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from .core import Consolidation, consolidate_plans, source_names
from ..runtime import paused_gc
from ..wording import plural
from .io import Loaded, load_sources

ECRIT, REFUSE, IMPOSSIBLE = "ecrit", "refuse", "impossible"


@dataclass(frozen=True)
class Outcome:
    """What a consolidation did: ``status`` is « ecrit », « refuse » or « impossible »."""

    status: str
    loaded: tuple[Loaded, ...]
    rules: object
    consolidation: Consolidation | None = None
    summary: object | None = None          # summary.Summary
    output: Path | None = None

    @property
    def unusable(self) -> tuple[Loaded, ...]:
        return tuple(item for item in self.loaded if item.error is not None)

    @property
    def failing(self) -> tuple[Loaded, ...]:
        """Inputs whose validation found erreurs."""
        return tuple(item for item in self.loaded
                     if item.report is not None and item.report.counts["erreur"])

    @property
    def has_errors(self) -> bool:
        return bool(self.failing or (self.consolidation and self.consolidation.errors))


def consolidate_files(paths: Sequence[Path], output: Path, *, rules, force: bool = False,
                      reading: Callable[[], AbstractContextManager] = lambda: nullcontext(_nothing),
                      writing: Callable[[], AbstractContextManager] = nullcontext) -> Outcome:
    """Consolidate the workbooks ``paths`` into ``output``.

    ``rules``: the validation rules (``validation.load_rules``). ``reading()``
    is entered while the files are read and gives a function called after each
    file (a progress bar, for instance); ``writing()`` is entered while the
    master is written (a spinner).
    """
    with paused_gc():   # hundreds of thousands of rows, none of them garbage (see paused_gc)
        return _consolidate_files(paths, output, rules, force, reading, writing)


def _consolidate_files(paths, output, rules, force, reading, writing) -> Outcome:
    names = source_names(paths)
    with reading() as advance:
        loaded = tuple(load_sources(paths, rules, advance=advance, names=names))
    outcome = Outcome(IMPOSSIBLE, loaded, rules)
    if outcome.unusable:
        return outcome
    if outcome.failing and not force:
        return Outcome(REFUSE, loaded, rules)

    consolidation = consolidate_plans(
        [(name, item.plan) for name, item in zip(names, loaded)],
        lists={name: item.lists for name, item in zip(names, loaded)},
        vocabulary=rules.vocabulary)
    summary = summarize_master(consolidation, rules)
    loaded = tuple(item.without_plan() for item in loaded)   # their rows are in the master
    if consolidation.errors and not force:
        return Outcome(REFUSE, loaded, rules, consolidation, summary)

    with writing():
        write_master(output, consolidation, summary, rules, loaded)
    loaded = tuple(item.without_rendered() for item in loaded)
    return Outcome(ECRIT, loaded, rules, consolidation, summary, output)


def _nothing() -> None:
    pass


def summarize_master(consolidation: Consolidation, rules):
    from .summary import summarize

    return summarize(consolidation.master, period=rules.period,
                     thematiques=rules.vocabulary.values("thematiques"),
                     statuts=rules.vocabulary.values("statuts"))


def write_master(output: Path, consolidation: Consolidation, summary, rules,
                 loaded: Sequence[Loaded] = ()) -> Path:
    """The master file: the canonical sheets with every row, then Synthèse, Calendrier
    and Sources (with each file's validation status when ``loaded`` is given)."""
    from ..writer import write_plan
    from .dashboard import build_summary_sheet
    from .sources import build_sources_sheet
    from .timeline import build_timeline_sheet

    order = rules.vocabulary.values("thematiques")
    validation = {source.name: validation_status(item.report)
                  for source, item in zip(consolidation.sources, loaded)}
    sheets = [
        build_summary_sheet(summary, files=len(consolidation.sources), vocabulary_order=order),
        build_timeline_sheet(consolidation.master, summary, vocabulary_order=order),
        build_sources_sheet(consolidation.sources, consolidation.findings, validation),
    ]
    rendered = None
    if loaded and all(item.rendered is not None for item in loaded):
        # Rows rendered by the workers follow each file's own columns: they serve only
        # where the master has the same (no file added a column to that sheet).
        rendered = {table.sheet.key: list(chain.from_iterable(
            item.rendered[table.sheet.key] for item in loaded))
            for table in consolidation.master.tables if not table.sheet.extra_columns}
    return write_plan(consolidation.master, output, vocabulary=rules.vocabulary,
                      extra_sheets=sheets, rendered=rendered)


def validation_status(report) -> str:
    """« conforme », « 3 erreurs, 11 avertissements »… (informations left out)."""
    if report is None:
        return "non contrôlé"
    counts = report.counts
    parts = [plural(counts[s], s) for s in ("erreur", "avertissement") if counts[s]]
    return ", ".join(parts) or "conforme"
