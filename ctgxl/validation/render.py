"""Console rendering of a validation report (rich), grouped by file and sheet, in French."""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from ..wording import counted, plural, plural_s
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
           detail: Iterable[str] | None = None, grouped: bool = False) -> None:
    """Print ``report`` on a rich console.

    ``detail`` (file names), when given, limits the per-file findings printed to
    those files; the totals still count every file of the report. ``grouped``: the
    erreurs one by one, the avertissements and informations one line per check (how many,
    the first cells, « … et 37 autres ») instead of a wall of lines.
    """
    shown = None if detail is None else set(detail)
    for file in report.files:
        if file.error is None and (shown is None or file.file in shown):
            if grouped:
                _render_grouped(file, console, limit)
            else:
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


FIRST_CELLS = 6     # cells named per check when the findings are grouped


def _render_grouped(file: FileReport, console, limit: int) -> None:
    """The file's erreurs one by one (at most ``limit``), then one line per check of its
    other findings, with where it is found first."""
    from rich.markup import escape

    errors = [f for f in file.findings if f.severity == "erreur"]
    others = [f for f in file.findings if f.severity != "erreur"]
    _render_file(FileReport(file.file, tuple(errors), file.rows, file.error), console, limit,
                 counts=file.counts, more_hint=False)
    if not others:
        return
    by_code: dict[tuple[str, str], list[Finding]] = {}
    for finding in others:
        by_code.setdefault((finding.severity, finding.code), []).append(finding)
    console.print("  [bold]Avertissements et informations, par contrôle[/] (--detail pour les "
                  "voir un à un)")
    for (severity, code), findings in by_code.items():
        if len(findings) == 1:
            console.print(_line(findings[0], max(len(f.code) for f in others)), soft_wrap=True)
            continue
        places = [f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.where or "classeur")
                  for f in findings[:FIRST_CELLS]]
        more = len(findings) - len(places)
        where = ", ".join(places) + (f" … et {plural(more, 'autre')}" if more > 0 else "")
        said = _said(code, findings)
        suggestions = {f.suggestion for f in findings}
        hint = (f" [green]→ {escape(findings[0].suggestion)}[/]"
                if len(suggestions) == 1 and findings[0].suggestion else "")
        console.print(f"    [{STYLES[severity]}]{MARKS[severity]}[/] [dim]{code}[/] "
                      f"× {len(findings)} : {escape(said)}{hint}", soft_wrap=True)
        console.print(f"        [cyan]{escape(where)}[/]", soft_wrap=True)


def _line(finding: Finding, width: int) -> str:
    """One finding on one line: mark, cell, code, message, suggestion."""
    from rich.markup import escape

    where = finding.cell or (f"l. {finding.row}" if finding.row else "")
    line = (f"    [{STYLES[finding.severity]}]{MARKS[finding.severity]}[/] "
            f"{escape(where):<7} [dim]{finding.code:<{width}}[/]  {escape(finding.message)}")
    if finding.suggestion:
        line += f" [green]→ {escape(finding.suggestion)}[/]"
    return line


def print_listed(console, findings: list, most: int, rest: str) -> None:
    """The first ``most`` findings of a set of files, one line each (mark, code, message,
    suggestion), then « … et 12 autres » followed by ``rest`` (where to read them all)."""
    from rich.markup import escape

    from ..errors import printable
    from ..wording import plural

    for finding in findings[:most]:
        text = escape(printable(finding.message))
        if finding.suggestion:
            text += f" [green]→ {escape(finding.suggestion)}[/]"
        console.print(f"  [{STYLES[finding.severity]}]{MARKS[finding.severity]}[/] "
                      f"[dim]{finding.code}[/] {text}", highlight=False)
    hidden = len(findings) - most
    if hidden > 0:
        console.print(f"  … et {plural(hidden, 'autre')} {rest}", style="dim", highlight=False)


def _said(code: str, findings: list[Finding]) -> str:
    """The message they share, else the check's label and the columns concerned."""
    from collections import Counter

    from ..findings import code_label

    if len({f.message for f in findings}) == 1:
        return findings[0].message
    headers = Counter(f.header for f in findings if f.header)
    if not headers:
        return code_label(code)
    shown = ", ".join(f"« {h} » ({n})" for h, n in headers.most_common(4))
    more = len(headers) - 4
    return f"{code_label(code)} : {shown}" + (f" et {counted(more, 'autre colonne')}"
                                               if more > 0 else "")


def _render_file(file: FileReport, console, limit: int, *, counts: dict | None = None,
                 more_hint: bool = True) -> None:
    from rich.markup import escape

    counts = counts or file.counts
    rows = sum(file.rows.values())
    console.print()
    console.print(f"[bold]{escape(str(file.file))}[/] — {summary(counts)}", soft_wrap=True)
    if not file.findings and not more_hint:
        return
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
            console.print(_line(finding, width), soft_wrap=True)
    hidden = len(file.findings) - shown
    if hidden > 0:
        console.print(f"  … et {counted(hidden, 'autre constat non affiché')} (--limite 0 pour "
                      "tout voir, --format json ou --annoter pour la liste complète).",
                      style="dim", soft_wrap=True)
