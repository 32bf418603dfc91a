"""Console rendering of a validation report (rich), grouped by file and sheet, in French."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from ..wording import plural, plural_s
from .report import FileReport, Report

STYLES = {"erreur": "bold red", "avertissement": "yellow", "information": "cyan"}
MARKS = {"erreur": "✖", "avertissement": "▲", "information": "ℹ"}
DEFAULT_LIMIT = 200


def summary(counts: dict[str, int]) -> str:
    return ", ".join(plural(counts[s], s) for s in ("erreur", "avertissement", "information"))


def _groups(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.sheet or "Classeur", []).append(finding)
    return list(groups.items())


def render(report: Report, console, *, strict: bool = False, limit: int = DEFAULT_LIMIT,
           detail: Iterable[str] | None = None) -> None:
    """Print ``report`` on a rich console.

    ``detail`` (file names), when given, limits the per-file findings printed to
    those files; the totals still count every file of the report.
    """
    shown = None if detail is None else set(detail)
    for file in report.files:
        if file.error is None and (shown is None or file.file in shown):
            _render_file(file, console, limit)
    counts = report.counts
    usable = [f for f in report.files if f.error is None]
    unusable = len(report.files) - len(usable)
    console.print()
    total = f"Total : {plural(len(report.files), 'fichier')}, {summary(counts)}"
    if unusable:
        total += f" ; {unusable} inutilisable{plural_s(unusable)}"
    console.print(total + ".", style="bold")
    code = report.exit_code(strict)
    if code == 0:
        verdict = "Aucune erreur." if not counts["avertissement"] else \
            "Aucune erreur ; vérifiez les avertissements."
        console.print(verdict, style="green", highlight=False)
    elif code == 1:
        if counts["erreur"]:
            console.print("Des erreurs sont à corriger.", style="bold red", highlight=False)
        else:
            console.print("Des avertissements sont à traiter (--strict).", style="bold yellow",
                          highlight=False)


def _render_file(file: FileReport, console, limit: int) -> None:
    from rich.markup import escape

    counts = file.counts
    rows = sum(file.rows.values())
    console.print()
    console.print(f"[bold]{escape(str(file.file))}[/] — {summary(counts)}", soft_wrap=True)
    if not file.findings:
        console.print(f"  Aucun constat ({plural(rows, 'ligne')} contrôlée"
                      f"{plural_s(rows)}).", style="green")
        return
    shown = 0
    width = max(len(f.code) for f in file.findings)
    for sheet, findings in _groups(file.findings):
        if limit and shown >= limit:
            break
        lines = file.rows.get(sheet)
        title = f"{sheet} ({plural(lines, 'ligne')})" if lines is not None else sheet
        console.print(f"  [bold]{escape(title)}[/]")
        for finding in findings:
            if limit and shown >= limit:
                break
            shown += 1
            where = finding.cell or (f"l. {finding.row}" if finding.row else "")
            line = (f"    [{STYLES[finding.severity]}]{MARKS[finding.severity]}[/] "
                    f"{escape(where):<7} [dim]{finding.code:<{width}}[/]  "
                    f"{escape(finding.message)}")
            if finding.suggestion:
                line += f" [green]→ {escape(finding.suggestion)}[/]"
            console.print(line, soft_wrap=True)
    hidden = len(file.findings) - shown
    if hidden > 0:
        s = plural_s(hidden)
        console.print(f"  … et {hidden} autre{s} constat{s} non affiché{s} (--limite 0 pour "
                      "tout voir, --format json ou --annoter pour la liste complète).",
                      style="dim", soft_wrap=True)
