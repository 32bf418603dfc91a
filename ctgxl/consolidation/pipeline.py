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
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path

from .core import Consolidation, consolidate_plans, source_names
from .summary import figure_gaps
from ..runtime import paused_gc
from ..wording import plural
from ..loading import Loaded
from .io import GAP_PREFIX, load_sources

# Outcome.status, as written in the JSON document (French: users read it).
WRITTEN, REFUSED, UNUSABLE = "ecrit", "refuse", "impossible"


@dataclass(frozen=True)
class Outcome:
    """What a consolidation did: ``status`` is « ecrit », « refuse » or « impossible »
    (``WRITTEN``, ``REFUSED``, ``UNUSABLE``); ``output`` is None when nothing was
    written (the add-in never writes a master file)."""

    status: str
    loaded: tuple[Loaded, ...]
    rules: object
    consolidation: Consolidation | None = None
    summary: object | None = None          # summary.Summary
    output: Path | None = None
    force: bool = False

    @property
    def exit_code(self) -> int:
        """2 an input is unusable; 1 refused, or written despite erreurs; 0 written."""
        from ..errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE

        if self.status == UNUSABLE:
            return EXIT_UNUSABLE
        return EXIT_FINDINGS if self.status == REFUSED or self.has_errors else EXIT_OK

    def to_dict(self) -> dict:
        """The JSON document of ``ctgxl consolidate --format json`` (``ctgxl/guides/consolidation.md``)."""
        from .. import __version__
        from ..catalogue import SHEETS_BY_KEY
        from ..validation.report import Report
        from .core import Source

        loaded, consolidation, summary = self.loaded, self.consolidation, self.summary
        if consolidation is not None:
            sources = list(consolidation.sources)
        else:
            sources = [Source(item.path.name, item.plan.meta,
                              {t.sheet.key: len(t) for t in item.plan.tables})
                       if item.plan is not None else None for item in loaded]
        files = []
        for source, item in zip(sources, loaded):
            entry = {"file": str(item.path), "name": source.name if source else item.path.name,
                     "error": item.error}
            if source is not None:
                meta = source.meta
                entry.update({
                    "thematique": meta.thematique, "service": meta.service,
                    "template_version": meta.template_version,
                    "rows": {SHEETS_BY_KEY[k].name: n for k, n in source.rows.items()},
                    "added_columns": {SHEETS_BY_KEY[k].name: list(h)
                                      for k, h in source.columns.items()},
                    "validation": {"status": item.report.status, "totals": item.report.counts},
                })
            files.append(entry)
        master = consolidation.master if consolidation is not None else None
        reports = tuple(item.report for item in loaded if item.report is not None)
        return {
            "schema": "ctgxl-consolidation",
            "schema_version": 1,
            "ctgxl_version": __version__,
            "status": self.status,
            "output": str(self.output) if self.output is not None else None,
            "forced": self.force,
            "exit_code": self.exit_code,
            "totals": {
                "files": len(loaded),
                **({t.sheet.key: len(t) for t in master.tables} if master is not None else {}),
                "validation": Report(reports).counts,
                "cross_file": severity_counts(consolidation.findings if consolidation else ()),
            },
            "files": files,
            "findings": [f.to_dict() for f in consolidation.findings] if consolidation else [],
            "summary": summary.to_dict() if summary is not None else None,
            "validation": Report(reports, self.rules.to_dict()).to_dict(),
        }

    @property
    def refused_for(self) -> str | None:
        """Why nothing was written: « validation » (erreurs in files), « cross_file »
        (erreurs across files), None when written or impossible."""
        if self.status != REFUSED:
            return None
        return "validation" if self.consolidation is None else "cross_file"

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
    outcome = gather_loaded(loaded, names, rules, force=force)
    if outcome.status != WRITTEN:
        return outcome
    loaded = tuple(item.without_plan() for item in outcome.loaded)  # rows are in the master
    with writing():
        write_master(output, outcome.consolidation, outcome.summary, rules, loaded)
    loaded = tuple(item.without_rendered() for item in loaded)
    return replace(outcome, loaded=loaded, output=output)


def gather_loaded(loaded: Sequence[Loaded], names: Sequence[str], rules, *,
                  force: bool = False) -> Outcome:
    """The decision and the master of workbooks already read and validated (``load_sources``),
    named ``names``: « impossible » when one is unusable, « refuse » when one has erreurs
    or the files clash (unless ``force``), else the consolidation and its summary, ready
    to write (status « ecrit », ``output`` None). ``ctgxl consolidate`` and the add-in's
    Consolider both decide here."""
    loaded = tuple(loaded)
    outcome = Outcome(UNUSABLE, loaded, rules, force=force)
    if outcome.unusable:
        return outcome
    if outcome.failing and not force:
        return replace(outcome, status=REFUSED)
    consolidation = consolidate_plans(
        [(name, item.plan) for name, item in zip(names, loaded)],
        lists={name: item.lists for name, item in zip(names, loaded)},
        vocabulary=rules.vocabulary, rules=rules)
    summary = summarize_master(consolidation, rules, gaps=figure_gaps(
        [(name, item.report) for name, item in zip(names, loaded)]))
    status = REFUSED if consolidation.errors and not force else WRITTEN
    return Outcome(status, loaded, rules, consolidation, summary, None, force)


def _nothing() -> None:
    pass


def summarize_master(consolidation: Consolidation, rules, gaps=()):
    from .summary import summarize

    return summarize(consolidation.master, period=rules.period,
                     thematiques=rules.vocabulary.values("thematiques"),
                     statuts=rules.vocabulary.values("statuts"), gaps=gaps)


def write_master(output: Path, consolidation: Consolidation, summary, rules,
                 loaded: Sequence[Loaded] = ()) -> Path:
    """The master file: the canonical sheets with every row, then Synthèse, Calendrier
    and Sources (with each file's validation status when ``loaded`` is given)."""
    from ..territory import of_meta
    from ..writer import write_plan
    from .dashboard import build_summary_sheet
    from .sources import build_sources_sheet
    from .timeline import build_timeline_sheet

    order = rules.vocabulary.values("thematiques")
    validation = {source.name: validation_status(item.report)
                  for source, item in zip(consolidation.sources, loaded)}
    for gap in summary.gaps:   # said again beside the file: its rows lack a column
        if gap.file in validation:
            validation[gap.file] += f"\n{GAP_PREFIX}{gap.sentence()}"
    sheets = [
        build_summary_sheet(summary, files=len(consolidation.sources), vocabulary_order=order,
                            territory=of_meta(consolidation.master.meta)),
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


def severity_counts(findings) -> dict[str, int]:
    from ..findings import SEVERITIES

    return {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}


# -- the other way: a master file back into the services' workbooks ------------------------

SPLIT_CHOICES = {"thematique": "thematique", "source": "fichier"}   # library -> CLI/JSON word


@dataclass(frozen=True)
class SplitOutcome:
    """What ``split_files`` wrote: one workbook per group label, in order."""

    input: Path
    folder: Path
    by: str                                 # "thematique" or "source"
    parts: dict                             # label -> Plan
    targets: dict                           # label -> Path written

    def to_dict(self) -> dict:
        """The JSON document of ``ctgxl split --format json`` (``ctgxl/guides/consolidation.md``)."""
        from .. import __version__

        return {
            "schema": "ctgxl-split", "schema_version": 1, "ctgxl_version": __version__,
            "input": str(self.input), "folder": str(self.folder),
            "by": SPLIT_CHOICES[self.by],
            "files": [{"file": str(self.targets[label]), "group": label,
                       "thematique": plan.meta.thematique, "service": plan.meta.service,
                       "rows": {t.sheet.name: len(t) for t in plan.tables}}
                      for label, plan in self.parts.items()],
        }


def split_files(master_path: Path, folder: Path, by: str = "thematique", *, vocabulary=None,
                overwrite: bool = False) -> SplitOutcome:
    """Write one canonical workbook per thématique (``by="thematique"``) or per source file
    (``by="source"``) of the master file ``master_path`` into ``folder``.

    Every target is checked before anything is written: none may replace the master, be
    open in Excel or LibreOffice, or exist (unless ``overwrite``).
    """
    from ..errors import OutputError
    from ..outputs import check_targets, make_folder
    from ..reader import read_plan
    from ..vocabulary import load_vocabulary
    from ..writer import write_plan
    from .io import read_sources
    from .split import split_plan

    vocabulary = vocabulary or load_vocabulary()
    parts = split_plan(read_plan(master_path), by, read_sources(master_path))
    targets = _split_targets(parts, by, folder, vocabulary)
    for target in targets.values():
        if target.resolve() == Path(master_path).resolve():
            raise OutputError(f"{target} : serait écrit à la place du fichier de pilotage ; "
                              "choisissez un autre dossier")
    check_targets(targets.values(), overwrite=overwrite, folder=folder)
    make_folder(folder)
    for label, plan in parts.items():
        write_plan(plan, targets[label], vocabulary=vocabulary)
    return SplitOutcome(Path(master_path), folder, by, parts, targets)


def split_file_name(label: str, by: str, vocabulary) -> str:
    """File name of a split workbook: the service's file name, or a slug of the thématique."""
    from ..vocabulary import fold

    import re

    if by == "source":
        stem = Path(label.replace("/", "_").replace("\\", "_")).stem
    else:
        known = vocabulary.thematique(label)
        stem = known.fichier if known is not None else fold(label).replace(" ", "_")
    # no control or reserved characters, and short enough for every file system
    stem = re.sub(r'[\x00-\x1f\x7f<>:"|?*]+', "_", stem).strip(" ._")[:MAX_STEM]
    return f"{stem or 'classeur'}.xlsx"


MAX_STEM = 80   # characters of a split workbook's name (a thématique may be a whole paragraph)


def _split_targets(parts, by: str, folder: Path, vocabulary) -> dict:
    targets: dict = {}
    used: set[str] = set()
    for label in parts:
        name = split_file_name(label, by, vocabulary)
        stem, n = name[:-5], 2
        while name.casefold() in used:
            name, n = f"{stem}_{n}.xlsx", n + 1
        used.add(name.casefold())
        targets[label] = folder / name
    return targets
