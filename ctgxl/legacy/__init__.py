"""Import a legacy CTG plan: a .docx/.odt document, its tables exported as tab-separated
text, or pasted in a sheet.

``import_legacy(path)`` reads the document (``source``), recognises its
structure (``grid``: headings, objectifs opérationnels, table headers, data
rows; ``align`` puts back shifted cells) and builds one canonical ``Plan`` per
thématique (``build``). ``parse_grid(rows)`` does the same from rows of cell
texts already in memory, without any I/O.

The result lists every line that could not be placed or had to be
interpreted (``ImportResult.entries``), and every piece of the document's text that is not
in the plan, with its place and the character counts (``ImportResult.not_imported``,
``ImportResult.characters``; see ``ledger``). Thématiques are recognised by their
label in ``validation/listes.toml`` (case and accents ignored), so plans of
other territories — other axes, numbering, thématiques — import the same way.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from ..errors import UnusableInputError
from ..vocabulary import Vocabulary, load_vocabulary
from .report import ImportedThematique, ImportResult, ReportEntry
from .source import SourceRow, read_source

__all__ = ["ImportResult", "ImportedThematique", "ReportEntry", "import_legacy", "parse_grid"]


def import_legacy(path: str | os.PathLike[str], *, vocabulary: Vocabulary | None = None,
                  thematique: str | None = None) -> ImportResult:
    """Read the legacy plan at ``path``; ``UnusableInputError`` if nothing can be imported."""
    source = read_source(path, vocabulary)
    result = parse_grid(source.rows, source=source.path, vocabulary=vocabulary,
                        thematique=thematique, encoding=source.encoding, notes=source.notes,
                        units=source.units)
    if not result.thematiques:
        raise UnusableInputError(path, _nothing_found(result))
    return result


def parse_grid(rows: Iterable[Sequence[str] | SourceRow], *, source: str = "<grille>",
               vocabulary: Vocabulary | None = None, thematique: str | None = None,
               encoding: str | None = None, notes=(), units=()) -> ImportResult:
    """The plans held by rows of cell texts (a row is a list of strings or a ``SourceRow``).

    ``thematique`` names the thématique of rows placed before any thématique
    heading (a grid holding a single service's plan). ``notes`` are what reading the
    document decided, (row, code, message), added to the report. ``units`` are the
    document's units of text (``source.Unit``; by default the rows' cells): those the plan
    does not hold are listed in ``ImportResult.not_imported`` (``ledger``).
    """
    from ..errors import CtgxlError
    from .build import build_plans
    from .grid import Walker
    from .ledger import Ledger
    from .report import Reporter

    vocabulary = vocabulary or load_vocabulary()
    grid = tuple(r if isinstance(r, SourceRow)
                 else SourceRow(i, tuple(str(c or "").strip() for c in r))
                 for i, r in enumerate(rows, start=1))
    default = None
    if thematique is not None:
        default = vocabulary.thematique(thematique)
        if default is None:
            known = ", ".join(vocabulary.values("thematiques"))
            raise CtgxlError(f"thématique « {thematique} » inconnue (thématiques : {known})")
    reporter = Reporter()
    if encoding and not encoding.startswith("UTF-8"):
        reporter.add(None, "encodage", f"Texte lu avec l'encodage {encoding}.")
    for row, code, message in notes:
        reporter.add(row, code, message)
    ledger = Ledger(units, grid) if units else Ledger.of_rows(grid)
    grid = _plan_sheets(grid, vocabulary, reporter)
    sections = Walker(vocabulary, reporter, default, ledger).walk(grid)
    sections = [s for s in sections if s.prints or s.axes]
    ledger.release_sections(sections)
    built = tuple(build_plans(sections, reporter))
    order = {name: i for i, name in enumerate(dict.fromkeys(r.sheet for r in grid))}
    entries = sorted(_in_sections(reporter.entries, sections),
                     key=lambda e: (order.get(e.sheet, 0), e.line if e.line is not None else 0))
    not_imported = ledger.not_imported(_thematique_of_line(sections))
    return ImportResult(source, built, tuple(entries), encoding, not_imported,
                        ledger.characters(not_imported))


def _thematique_of_line(sections):
    """line -> the libellé of the thématique whose section the line is in (or None)."""
    import bisect

    starts = sorted((s.row.line, s.thematique.libelle) for s in sections if s.row is not None)
    lines = [line for line, _ in starts]

    def thematique(line: int) -> str | None:
        at = bisect.bisect_right(lines, line) - 1
        return starts[at][1] if at >= 0 else None

    return thematique


def _in_sections(entries, sections) -> list:
    """Entries added before the walk (``notes``) get the thématique of the section they are
    in, as the walker's own entries do."""
    import bisect
    import dataclasses

    starts = sorted((s.row.line, s.thematique.libelle) for s in sections if s.row is not None)
    lines = [line for line, _ in starts]
    out = []
    for entry in entries:
        if entry.thematique is None and entry.line is not None and starts:
            at = bisect.bisect_right(lines, entry.line) - 1
            if at >= 0:
                entry = dataclasses.replace(entry, thematique=starts[at][1])
        out.append(entry)
    return out


def _plan_sheets(rows: tuple[SourceRow, ...], vocabulary: Vocabulary,
                 reporter) -> tuple[SourceRow, ...]:
    """Rows of the sheets that hold a plan; other sheets of a workbook are set aside."""
    sheets = list(dict.fromkeys(r.sheet for r in rows))
    if sheets == [None]:
        return rows
    kept: list[SourceRow] = []
    for name in sheets:
        part = [r for r in rows if r.sheet == name]
        if any(_is_structure(r, vocabulary) for r in part):
            kept.extend(part)
        elif any(r.filled for r in part):
            reporter.add(SourceRow(1, (), name), "feuille-ignoree",
                         f"Feuille « {name} » sans titre de thématique, d'axe ni tableau "
                         "d'actions : ignorée.")
    return tuple(kept)


def _is_structure(row: SourceRow, vocabulary: Vocabulary) -> bool:
    from .header import classify_header
    from .patterns import parse_heading

    if not row.filled:
        return False
    if parse_heading(row.filled[0][1], vocabulary):
        return True
    header = classify_header(row.filled)
    return header is not None and header.kind == "header"


def _nothing_found(result: ImportResult) -> str:
    unknown = [e for e in result.entries if e.code == "thematique-inconnue"]
    if unknown:
        return ("aucune thématique connue : " + " ; ".join(e.message for e in unknown[:3]))
    return ("aucun tableau de plan d'actions reconnu (titres « THEMATIQUE … », « AXE … », "
            "en-têtes « ACTIONS », « PORTEUR DE PROJETS », « PUBLIC VISE »… introuvables)")
