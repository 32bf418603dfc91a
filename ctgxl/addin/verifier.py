"""*Vérifier*: the same check as ``ctgxl validate``, answered inside the open workbook.

1. The marks of the previous run are removed: the cells it coloured are read
   back from the « Contrôles » sheet (column « Cellules colorées ») and their
   formatting is cleared — unless they are coloured again now.
2. Every cell a finding names is filled (red: erreur, orange: avertissement;
   the worst finding of a cell decides), as in ``ctgxl validate --annoter``.
3. « Contrôles » is written (or emptied and rewritten): one row per finding,
   erreurs first, with the same columns as the annotated copy (ID action, French
   label of the code…), plus the coloured cells.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from ..validation.annotate import (CONTROL_COLUMNS, CONTROL_SHEET, FILLS, SEVERITY_RANK,
                                   action_ids, control_rows)
from ..vocabulary import fold
from ..wording import plural
from .book import (Outcome, cell_runs, cells_in, fresh_sheet, plan_of, sheet_grid,
                   top_left, write_rows)

MARKS_HEADER = "Cellules colorées"
HEADERS = tuple(title for title, _ in CONTROL_COLUMNS) + (MARKS_HEADER,)
NOTHING = "Aucun constat."


def verifier(book, rules=None, merged=None) -> Outcome:
    """Check the open workbook; colour its faulty cells and refresh « Contrôles ».
    ``merged``: each sheet's merged ranges, when the client sent them (``plan_of``)."""
    from ..validation import validate_plan

    plan = plan_of(book, merged)
    report = validate_plan(plan, rules)
    findings = list(report.findings)
    sheets = Sheets(book)
    marks = cell_marks(sheets, findings)
    previous = previous_marks(sheets)

    for sheet_name, cells in _by_sheet(previous - marks.keys()).items():
        for run in cell_runs(cells):
            sheets[sheet_name].range(run).clear_formats()
    for (sheet_name, severity), cells in _by_sheet_and_severity(marks).items():
        for run in cell_runs(cells):
            sheets[sheet_name].range(run).color = "#" + FILLS[severity]

    write_controls(book, sheets, findings, marks, action_ids(plan))
    counts = report.counts
    return Outcome(summary(counts), counts)


class Sheets:
    """The book's sheets by name, case, accents and spacing ignored (``find_sheet``), looked
    up once: a messy workbook has 100,000 findings, each naming its sheet."""

    def __init__(self, book) -> None:
        self.book = book
        self._by_name: dict[str, object] = {}
        for sheet in book.sheets:
            self._by_name.setdefault(fold(sheet.name), sheet)

    def get(self, name: str | None):
        return self._by_name.get(fold(name)) if name else None

    def __getitem__(self, name: str):
        return self._by_name[fold(name)]


def _by_sheet(cells: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for sheet_name, ref in sorted(cells):
        grouped.setdefault(sheet_name, []).append(ref)
    return grouped


def _by_sheet_and_severity(marks: dict[tuple[str, str], str]) -> dict[tuple[str, str], list[str]]:
    grouped: dict[tuple[str, str], list[str]] = {}
    for (sheet_name, ref), severity in marks.items():
        grouped.setdefault((sheet_name, severity), []).append(ref)
    return grouped


def cell_marks(sheets: Sheets, findings: list[Finding]) -> dict[tuple[str, str], str]:
    """(book sheet name, cell) -> worst severity to colour, for cells in the book."""
    marks: dict[tuple[str, str], str] = {}
    controls = fold(CONTROL_SHEET)
    for finding in findings:
        if finding.severity not in FILLS:
            continue
        sheet = sheets.get(finding.sheet)
        if sheet is None or fold(sheet.name) == controls:
            continue
        for ref in finding.cells:
            cell = top_left(ref)
            if cell is None:
                continue
            key = (sheet.name, cell)
            if SEVERITY_RANK[finding.severity] > SEVERITY_RANK.get(marks.get(key, ""), -1):
                marks[key] = finding.severity
    return marks


def previous_marks(sheets: Sheets) -> set[tuple[str, str]]:
    """Cells coloured by the previous run, as listed in its « Contrôles » sheet."""
    sheet = sheets.get(CONTROL_SHEET)
    if sheet is None:
        return set()
    grid = sheet_grid(sheet)
    if not grid:
        return set()
    header = [fold(str(v)) if v is not None else "" for v in grid[0]]
    try:
        sheet_col, marks_col = header.index(fold("Feuille")), header.index(fold(MARKS_HEADER))
    except ValueError:
        return set()
    found = set()
    controls = fold(CONTROL_SHEET)
    for row in grid[1:]:
        if max(sheet_col, marks_col) >= len(row):
            continue
        target = sheets.get(row[sheet_col] if isinstance(row[sheet_col], str) else None)
        if target is None or fold(target.name) == controls:
            continue
        for ref in cells_in([row[marks_col]]):
            found.add((target.name, ref))
    return found


def write_controls(book, sheets: Sheets, findings: list[Finding],
                   marks: dict[tuple[str, str], str],
                   ids: dict[tuple[str, int], str] | None = None) -> None:
    sheet = fresh_sheet(book, CONTROL_SHEET)
    rows: list[list[object]] = [list(HEADERS)]
    ordered = control_rows(findings, ids)
    for f, values in ordered:
        target = sheets.get(f.sheet)
        coloured = [top_left(ref) for ref in f.cells] if target is not None else []
        coloured = [c for c in coloured if c and (target.name, c) in marks]
        rows.append([*values, " ".join(dict.fromkeys(coloured)) or None])
    if not findings:
        rows.append([NOTHING])
    write_rows(sheet, rows)
    # the severity cell of each row, coloured a run of rows at a time (erreurs come first)
    severities = [(index, f.severity) for index, (f, _) in enumerate(ordered, start=2)
                  if f.severity in FILLS]
    by_severity: dict[str, list[str]] = {}
    for index, severity in severities:
        by_severity.setdefault(severity, []).append(f"A{index}")
    for severity, cells in by_severity.items():
        for run in cell_runs(cells):
            sheet.range(run).color = "#" + FILLS[severity]
    if findings:
        sheet.activate()


def summary(counts: dict[str, int]) -> str:
    errors, warnings, infos = (counts.get(k, 0) for k in ("erreur", "avertissement", "information"))
    if not errors and not warnings:
        extra = f" ({plural(infos, 'remarque')} de lecture)" if infos else ""
        return f"Vérification terminée : aucune erreur ni avertissement{extra}."
    parts = [plural(errors, "erreur"), plural(warnings, "avertissement")]
    return (f"Vérification terminée : {', '.join(parts)}. Les cellules en défaut sont colorées ; "
            f"le détail est dans la feuille « {CONTROL_SHEET} ».")
