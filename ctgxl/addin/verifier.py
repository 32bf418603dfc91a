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

from ..findings import Finding
from ..validation.annotate import (CONTROL_COLUMNS, CONTROL_SHEET, FILLS, SEVERITY_RANK,
                                   action_ids, control_rows)
from ..vocabulary import fold
from ..wording import plural
from .book import (Outcome, cells_in, find_sheet, fresh_sheet, plan_of, sheet_grid,
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
    marks = cell_marks(book, findings)
    previous = previous_marks(book)

    for (sheet_name, ref) in sorted(previous - marks.keys()):
        find_sheet(book, sheet_name).range(ref).clear_formats()
    for (sheet_name, ref), severity in marks.items():
        find_sheet(book, sheet_name).range(ref).color = "#" + FILLS[severity]

    write_controls(book, findings, marks, action_ids(plan))
    counts = report.counts
    return Outcome(summary(counts), counts)


def cell_marks(book, findings: list[Finding]) -> dict[tuple[str, str], str]:
    """(book sheet name, cell) -> worst severity to colour, for cells in the book."""
    marks: dict[tuple[str, str], str] = {}
    for finding in findings:
        if finding.severity not in FILLS:
            continue
        sheet = find_sheet(book, finding.sheet)
        if sheet is None or fold(sheet.name) == fold(CONTROL_SHEET):
            continue
        for ref in finding.cells:
            cell = top_left(ref)
            if cell is None:
                continue
            key = (sheet.name, cell)
            if SEVERITY_RANK[finding.severity] > SEVERITY_RANK.get(marks.get(key, ""), -1):
                marks[key] = finding.severity
    return marks


def previous_marks(book) -> set[tuple[str, str]]:
    """Cells coloured by the previous run, as listed in its « Contrôles » sheet."""
    sheet = find_sheet(book, CONTROL_SHEET)
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
    for row in grid[1:]:
        if max(sheet_col, marks_col) >= len(row):
            continue
        target = find_sheet(book, row[sheet_col] if isinstance(row[sheet_col], str) else None)
        if target is None or fold(target.name) == fold(CONTROL_SHEET):
            continue
        for ref in cells_in([row[marks_col]]):
            found.add((target.name, ref))
    return found


def write_controls(book, findings: list[Finding], marks: dict[tuple[str, str], str],
                   ids: dict[tuple[str, int], str] | None = None) -> None:
    sheet = fresh_sheet(book, CONTROL_SHEET)
    rows: list[list[object]] = [list(HEADERS)]
    ordered = control_rows(findings, ids)
    for f, values in ordered:
        target = find_sheet(book, f.sheet)
        coloured = [top_left(ref) for ref in f.cells] if target is not None else []
        coloured = [c for c in coloured if c and (target.name, c) in marks]
        rows.append([*values, " ".join(dict.fromkeys(coloured)) or None])
    if not findings:
        rows.append([NOTHING])
    write_rows(sheet, rows)
    for index, (f, _) in enumerate(ordered, start=2):
        if f.severity in FILLS:
            sheet.range((index, 1)).color = "#" + FILLS[f.severity]
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
