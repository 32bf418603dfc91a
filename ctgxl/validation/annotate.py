"""The annotated copy: the service's own workbook, faulty cells highlighted in place.

The input is opened with openpyxl (``keep_vba`` when a macro workbook is
copied to .xlsm), every faulty cell gets a fill (red for an erreur, orange
for an avertissement) and a comment carrying the message, and a first sheet
« Contrôles » lists every finding with a link to its cell. The copy is saved
atomically next to its destination; the input is never written.

An .ods input cannot be opened by openpyxl: it is converted to .xlsx with
LibreOffice when ``soffice`` is available (data and formatting kept), else
rebuilt from its values (same cells, formatting lost). Either way the copy is
an .xlsx, and the returned notes say so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..findings import SEVERITY_COLOURS, Finding
from ..vocabulary import fold

CONTROL_SHEET = "Contrôles"
FILLS = {s: SEVERITY_COLOURS[s] for s in ("erreur", "avertissement")}  # cells coloured
HEADER_FILL = "DDEBF7"
COLUMNS = (("Gravité", 15), ("Code", 26), ("Feuille", 10), ("Cellule", 9), ("En-tête", 26),
           ("Valeur", 30), ("Message", 80), ("Suggestion", 26))
SEVERITY_RANK = {"information": 0, "avertissement": 1, "erreur": 2}


@dataclass(frozen=True)
class Annotated:
    path: Path
    notes: tuple[str, ...] = ()   # French lines for the user (format changed, macros dropped…)


def annotate(source: str | Path, findings: Iterable[Finding], out: str | Path) -> Annotated:
    """Write to ``out`` a copy of ``source`` annotated with ``findings``."""
    from openpyxl import load_workbook

    from ..sniff import workbook_kind
    from ..writer import check_output, save_workbook

    source, out = Path(source), Path(out)
    target = check_output(out)
    kind = workbook_kind(source)
    notes: list[str] = []
    if kind == "ods":
        if target.suffix.lower() != ".xlsx":
            raise OutputError(f"{target} : la copie annotée d'un classeur .ods est un .xlsx")
        workbook, how = _ods_workbook(source)
        notes.append(f"{source.name} est au format OpenDocument (.ods) : la copie annotée est "
                     f"écrite au format Excel (.xlsx){how}.")
    else:
        keep_vba = kind == "xlsm" and target.suffix.lower() == ".xlsm"
        if target.suffix.lower() == ".xlsm" and kind != "xlsm":
            raise OutputError(f"{target} : l'extension .xlsm est réservée aux classeurs à macros ;"
                              " choisissez un nom en .xlsx")
        if kind == "xlsm" and not keep_vba:
            notes.append(f"{source.name} contient des macros : elles ne sont gardées que dans une "
                         "copie en .xlsm (--annoter COPIE.xlsm).")
        try:
            workbook = load_workbook(source, keep_vba=keep_vba, rich_text=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on odd files
            raise OutputError(f"{source} : copie annotée impossible, openpyxl ne sait pas "
                              f"ouvrir ce classeur ({type(exc).__name__})") from None
    findings = list(findings)
    mark_cells(workbook, findings)
    add_control_sheet(workbook, findings)
    save_workbook(workbook, target)
    return Annotated(target, tuple(notes))


def _sheet_lookup(workbook) -> dict[str, str]:
    return {fold(name): name for name in workbook.sheetnames if name != CONTROL_SHEET}


def _target_cell(ws, ref: str):
    """The cell to mark for ``ref`` (top-left of a range or of a merged area)."""
    from openpyxl.cell.cell import MergedCell

    ref = ref.split(":")[0]
    cell = ws[ref]
    if isinstance(cell, MergedCell):
        for area in ws.merged_cells.ranges:
            if cell.coordinate in area:
                return ws.cell(area.min_row, area.min_col)
    return cell


def mark_cells(workbook, findings: list[Finding]) -> None:
    """Fill and comment every cell a finding names (the worst severity decides the colour)."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    sheets = _sheet_lookup(workbook)
    per_cell: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        name = sheets.get(fold(finding.sheet or ""))
        if name is None:
            continue
        for ref in finding.cells:
            per_cell.setdefault((name, ref), []).append(finding)
    for (name, ref), found in per_cell.items():
        ws = workbook[name]
        try:
            cell = _target_cell(ws, ref)
        except (ValueError, KeyError):
            continue
        worst = max(found, key=lambda f: SEVERITY_RANK.get(f.severity, 0)).severity
        if worst in FILLS:
            cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        lines = []
        for f in found:
            line = f"[{f.severity}] {f.message}"
            if f.suggestion:
                line += f" Suggestion : {f.suggestion}"
            lines.append(line)
        text = _clean("\n".join(lines))
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n——\n{text}"
        comment = Comment(text, "ctgxl")
        comment.width = 320
        comment.height = min(60 + 18 * (text.count("\n") + len(text) // 45), 400)
        cell.comment = comment


def add_control_sheet(workbook, findings: list[Finding]) -> None:
    """A first sheet « Contrôles »: one row per finding, linked to its cell."""
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    from ..styles import LINK_FONT, font, print_setup
    from ..template import row_height

    if CONTROL_SHEET in workbook.sheetnames:
        del workbook[CONTROL_SHEET]
    sheets = _sheet_lookup(workbook)
    ws = workbook.create_sheet(CONTROL_SHEET, 0)
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, index, title)
        cell.font = font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        ws.column_dimensions[get_column_letter(index)].width = width
    link_font = LINK_FONT
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, f in enumerate(findings, start=2):
        values = (f.severity, f.code, f.sheet, f.cell, f.header, f.value, f.message, f.suggestion)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, _clean(value))
            if cell.data_type == "f":
                cell.data_type = "s"  # a value that starts with « = » is shown, not computed
            cell.alignment = wrap
        height = row_height([_clean(v) for v in values], [w for _, w in COLUMNS])
        if height:
            ws.row_dimensions[row].height = height
        if f.severity in FILLS:
            ws.cell(row, 1).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        name = sheets.get(fold(f.sheet or ""))
        if name and f.cell:
            target = ws.cell(row, 4)
            quoted = name.replace("'", "''")
            target.hyperlink = Hyperlink(ref=target.coordinate,
                                         location=f"'{quoted}'!{f.cell.split(':')[0]}",
                                         display=f.cell)
            target.font = link_font
    ws.freeze_panes = "A2"
    print_setup(ws, landscape=True, title="CTG — contrôles")
    ws.print_title_rows = "1:1"
    if findings:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(findings) + 1}"
    else:
        ws.cell(2, 1, "Aucun constat.")
    for other in workbook.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    workbook.active = 0
    workbook.calculation.fullCalcOnLoad = True


def _clean(value: object) -> object:
    """Text without the control characters an .xlsx file cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


# -- .ods inputs ------------------------------------------------------------------------------

def _ods_workbook(source: Path):
    """(openpyxl workbook, French remark) for an .ods file."""
    from openpyxl import load_workbook

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        with tempfile.TemporaryDirectory(prefix="ctgxl-ods-") as tmp:
            converted = _convert_with_soffice(soffice, source, Path(tmp))
            if converted is not None:
                return load_workbook(converted, rich_text=True), \
                    " (converti avec LibreOffice, mise en forme conservée)"
    return _workbook_from_values(source), \
        " (LibreOffice absent : valeurs recopiées aux mêmes cellules, sans la mise en forme)"


def _convert_with_soffice(soffice: str, source: Path, folder: Path) -> Path | None:
    profile = folder / "profil"
    try:
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--convert-to", "xlsx", "--outdir", str(folder), str(source)],
            capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    converted = folder / f"{source.stem}.xlsx"
    return converted if converted.is_file() else None


def _workbook_from_values(source: Path):
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    calamine = CalamineWorkbook.from_path(str(source))
    workbook = Workbook()
    workbook.remove(workbook.active)
    try:
        for name in calamine.sheet_names:
            ws = workbook.create_sheet(name[:31])
            rows = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for r, values in enumerate(rows, start=1):
                for c, value in enumerate(values, start=1):
                    if value not in (None, ""):
                        ws.cell(r, c, value)
    finally:
        calamine.close()
    return workbook
