"""From the entries to the panorama's figures, one territory at a time.

The workbooks are read in parallel (``loading.iter_prepared``: each worker reads a group
of files, validates them together and makes their ``facts.FileFacts``) and come back in
order; the files of one entry
(territory) are contiguous, so a territory is complete when the next one starts: its
figures are added, its actions appended to the spool, and the plans are long gone. Memory
holds one territory's actions and the figures of all, never every plan.

A territory is named by its workbooks (``territory.common_territory``); it is told apart
by its code (SIREN or INSEE), else by its name, else by its entry. Actions are told apart
by the territory's code and their ID action: two territories may use the same IDs.
What goes wrong is a finding (``Panorama.findings``), never an exception: an unusable
file, a file of another territory, a code whose key fails, a territory given twice (its
second entry is left out), an entry without a territory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..errors import EXIT_FINDINGS, EXIT_OK
from ..findings import Finding
from ..territory import Territory, check_code, common_territory, territory_clashes
from ..wording import counted, plural
from .facts import FileFacts, Figures
from .inputs import Entry
from .spool import RowSpool


@dataclass(frozen=True)
class FileLine:
    """One file of a territory, as the « Fichiers » sheet shows it."""

    territory: int | None        # index in ``Panorama.territories`` (None: not counted)
    name: str
    thematique: str | None
    actions: int
    counts: tuple[int, int] | None     # (erreurs, avertissements)
    status: str                         # « conforme », « 2 erreurs », « inutilisable : … »


@dataclass
class TerritoryRow:
    entry: Entry
    territory: Territory
    key: str
    figures: Figures = field(default_factory=Figures)
    files: int = 0
    unusable: int = 0
    unchecked: int = 0
    errors: int = 0
    warnings: int = 0

    @property
    def name(self) -> str:
        return self.territory.name or self.entry.label

    @property
    def status(self) -> str:
        """« 5 fichiers conformes », « 2 fichiers sur 5 avec erreurs (14 erreurs) »…"""
        parts = []
        if self.unusable:
            parts.append(counted(self.unusable, "fichier inutilisable"))
        if self.errors:
            parts.append(plural(self.errors, "erreur"))
        if self.warnings:
            parts.append(plural(self.warnings, "avertissement"))
        if self.unchecked:
            parts.append(counted(self.unchecked, "fichier non contrôlé"))
        return ", ".join(parts) or "conforme"


@dataclass
class Panorama:
    """Everything the panorama shows; ``spool`` holds the actions (read them once)."""

    territories: list[TerritoryRow]
    files: list[FileLine]
    findings: list[Finding]
    total: Figures
    spool: RowSpool
    statuts: tuple[str, ...]
    thematiques: tuple[str, ...]
    period: tuple[int, int] | None
    generated: dt.date

    @property
    def exit_code(self) -> int:
        """1 when something given was not counted as it is (an erreur), else 0."""
        return EXIT_FINDINGS if any(f.severity == "erreur" for f in self.findings) else EXIT_OK

    @property
    def read_files(self) -> int:
        return sum(1 for f in self.files if not f.status.startswith("inutilisable"))


def build_panorama(entries: Sequence[Entry], notes: Sequence[Finding], rules, *,
                   rules_dir: Path | None = None, advance: Callable[[], None] = lambda: None,
                   workers: int | None = None, spool_folder=None) -> Panorama:
    """Read every entry's workbooks and count them, territory by territory."""
    from ..loading import iter_prepared
    from .facts import prepare

    vocabulary = rules.vocabulary
    builder = _Builder(rules, RowSpool(spool_folder))
    builder.findings.extend(notes)
    paths = [p for e in entries for p in e.paths]
    owners = [i for i, e in enumerate(entries) for _ in e.paths]
    names = [p.name for p in paths]
    stream = iter_prepared(paths, partial(prepare, rules_dir=str(rules_dir) if rules_dir
                                          else None), names, advance=advance, workers=workers)
    current: list = []
    owner = None
    for index, loaded in zip(owners, stream):
        if index != owner:
            if owner is not None:
                builder.finish(entries[owner], current)
            owner, current = index, []
        current.append(loaded)
    if owner is not None:
        builder.finish(entries[owner], current)
    statuts = tuple(dict.fromkeys([*vocabulary.values("statuts"),
                                   *sorted(builder.total.statuts())]))
    themes = list(vocabulary.values("thematiques"))
    themes += sorted(t for t in builder.total.actions if t not in themes)
    return Panorama(builder.territories, builder.files, builder.findings, builder.total,
                    builder.spool, statuts, tuple(t for t in themes if builder.total.actions[t]),
                    rules.period, dt.date.today())


class _Builder:
    def __init__(self, rules, spool: RowSpool) -> None:
        self.rules = rules
        self.spool = spool
        self.territories: list[TerritoryRow] = []
        self.files: list[FileLine] = []
        self.findings: list[Finding] = []
        self.total = Figures()
        self.seen: dict[str, TerritoryRow] = {}

    def finish(self, entry: Entry, loaded: list) -> None:
        """Count one entry's workbooks as one territory (or say why not)."""
        readable = [item for item in loaded if item.error is None]
        for item in loaded:
            if item.error is not None:
                self.findings.append(Finding(
                    "fichier-inutilisable", "erreur",
                    f"{_shown(item.path)} : {item.error} : ce classeur n'est pas compté.",
                    file=str(item.path)))
        facts: list[FileFacts] = [item.prepared for item in readable]
        if not facts:
            self.files += [FileLine(None, item.path.name, None, 0, None,
                                    f"inutilisable : {item.error}") for item in loaded]
            return
        territory = self._territory(entry, readable, facts)
        key = territory.key or f"entree:{entry.argument}"
        first = self.seen.get(key)
        if first is not None:
            self.findings.append(Finding(
                "territoire-en-double", "erreur",
                f"Le territoire {territory.label()} est donné deux fois : {first.entry.argument} "
                f"et {entry.argument} ; seul le premier est compté.", file=entry.argument,
                value=territory.code or territory.name,
                suggestion="Ne donner qu'une entrée par territoire (son fichier de pilotage, "
                           "ou le dossier des classeurs de ses services)."))
            self.files += [FileLine(None, item.path.name, f.thematique, f.figures.total,
                                    f.counts, "non compté : territoire en double")
                           for item, f in zip(readable, facts)]
            return
        row = TerritoryRow(entry, territory, key)
        self.seen[key] = row
        index = len(self.territories)
        self.territories.append(row)
        code, name = territory.code, row.name
        for item in loaded:
            if item.error is not None:
                row.unusable += 1
                self.files.append(FileLine(index, item.path.name, None, 0, None,
                                           f"inutilisable : {item.error}"))
        for item, fact in zip(readable, facts):
            row.figures.add(fact.figures)
            self.spool.extend([(code, name, *r) for r in fact.rows])
            self._file_lines(row, index, item.path.name, fact)
        self.total.add(row.figures)

    def _file_lines(self, row: TerritoryRow, index: int, name: str, fact: FileFacts) -> None:
        lines = [(f"{name} › {s.name}", s.thematique, s.actions, s.counts, s.status)
                 for s in fact.sources] or [(name, fact.thematique, fact.figures.total,
                                             fact.counts, None)]
        for shown, thematique, actions, counts, status in lines:
            row.files += 1
            if counts is None:
                row.unchecked += 1
                status = "non contrôlé"
            else:
                row.errors += counts[0]
                row.warnings += counts[1]
                status = _status(counts)
            self.files.append(FileLine(index, shown, thematique, actions, counts, status))

    def _territory(self, entry: Entry, readable, facts: list[FileFacts]) -> Territory:
        from ..territory import clash_findings

        named = [(f.name, f.territory) for f in facts]
        paths = {f.name: str(item.path) for item, f in zip(readable, facts)}
        for finding in clash_findings(territory_clashes(named), self.rules):
            self.findings.append(_with_file(finding, paths.get(finding.file, finding.file)))
        territory = common_territory(named)
        if not territory.code:
            said = f"« {territory.name} » sans son code" if territory.name else "aucun territoire"
            self.findings.append(Finding(
                "territoire-absent", "avertissement",
                f"{entry.argument} : ses classeurs n'indiquent {said} (SIREN ou code INSEE) ; "
                f"il est nommé « {territory.name or entry.label} » et reconnu à ce nom.",
                file=entry.argument, suggestion="La coordination du territoire l'indique une "
                "fois : ctgxl template --territoire NOM --code-territoire CODE."))
        else:
            problem = check_code(territory.code)
            if problem is not None:
                message = self.rules.message("code-territoire-invalide", problem).replace(
                    "{valeur}", territory.code)
                self.findings.append(Finding(
                    "code-territoire-invalide", "erreur", f"{entry.argument} : {message}",
                    file=entry.argument, value=territory.code))
        return territory


def _status(counts: tuple[int, int]) -> str:
    parts = [plural(n, word) for n, word in zip(counts, ("erreur", "avertissement")) if n]
    return ", ".join(parts) or "conforme"


def _shown(path: Path) -> str:
    from ..errors import printable

    return printable(str(path))


def _with_file(finding: Finding, file: str) -> Finding:
    from dataclasses import replace

    return replace(finding, file=file)
