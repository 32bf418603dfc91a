"""The annotated copy: the service's own workbook, faulty cells highlighted in place.

The input is opened with openpyxl (``keep_vba`` when a macro workbook is
copied to .xlsm), every faulty cell gets a fill (red for an erreur, orange
for an avertissement) and a comment carrying the message, and a first sheet
« Contrôles » lists every finding with a link to its cell. The copy is saved
atomically next to its destination; the input is never written.

« Contrôles » reads from the top: a title naming the file, the totals
(« 3 erreurs, 205 avertissements, 0 information »), then one row per finding,
erreurs first, then avertissements, then informations (reading order within
each). Each row gives the ID action of the row it points at (taken from the
plan read from the same file, see ``action_ids``) and the French label of its
code (``findings.CODE_LABELS``) before the message; the raw code comes last,
for the documentation and the rule files. It prints in landscape, one page
wide, with the header row repeated on every page.

An .ods input cannot be opened by openpyxl: it is converted to .xlsx with
LibreOffice when ``soffice`` is available (data and formatting kept), else
rebuilt from its values (same cells, formatting lost). Either way the copy is
an .xlsx, and the returned notes say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..findings import SEVERITIES, SEVERITY_COLOURS, Finding, code_label
from ..vocabulary import fold
from ..wording import agree, plural, plural_s

CONTROL_SHEET = "Contrôles"
FILLS = {s: SEVERITY_COLOURS[s] for s in ("erreur", "avertissement")}  # cells coloured
# The add-in's own « Contrôles » sheet (ctgxl/addin/verifier.py) writes these columns.
COLUMNS = (("Gravité", 15), ("Code", 26), ("Feuille", 10), ("Cellule", 9), ("En-tête", 26),
           ("Valeur", 30), ("Message", 80), ("Suggestion", 26))
# The annotated copy's: (header, width); widths hold « avertissement », « Indicateurs »,
# « Thématique » on one line and give long texts room to wrap, not to be cut.
CONTROL_COLUMNS = (("Gravité", 14), ("Feuille", 12), ("Cellule", 9), ("ID action", 11),
                   ("Contrôle", 24), ("En-tête", 22), ("Valeur", 26), ("Message", 64),
                   ("Suggestion", 24), ("Code", 24))
LINK_COLUMN = 3           # « Cellule »: a link to the faulty cell
HEADER_ROW = 5            # title, totals, reading hint, a blank row, then the header row
SEVERITY_RANK = {"information": 0, "avertissement": 1, "erreur": 2}
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}   # erreur first


@dataclass(frozen=True)
class Annotated:
    path: Path
    notes: tuple[str, ...] = ()   # French lines for the user (format changed, macros dropped…)


def annotate(source: str | Path, findings: Iterable[Finding], out: str | Path) -> Annotated:
    """Write to ``out`` a copy of ``source`` annotated with ``findings``."""
    from openpyxl import load_workbook

    from ..reader import readable_source
    from ..writer import check_output, save_workbook

    source, out = Path(source), Path(out)
    target = check_output(out)
    kind, readable = readable_source(source)
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
            workbook = load_workbook(readable, keep_vba=keep_vba, rich_text=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on odd files
            raise OutputError(f"{source} : copie annotée impossible, openpyxl ne sait pas "
                              f"ouvrir ce classeur ({type(exc).__name__})") from None
    try:
        findings = list(findings)
        cut = cut_long_cells(workbook)
        if cut:
            notes.append(f"{plural(cut, 'cellule')} de {source.name} "
                         f"{agree(cut, 'dépasse', 'dépassent')} 32 767 caractères (limite d'Excel) : "
                         f"coupée{plural_s(cut)} dans la copie, avec la marque « […] (texte "
                         "coupé…) ».")
        mark_cells(workbook, findings)
        add_control_sheet(workbook, findings, ids=_read_ids(source), title=source.name)
        save_workbook(workbook, target)
    finally:
        _close(workbook)
    return Annotated(target, tuple(notes))


def _close(workbook) -> None:
    """Close the in-memory archive openpyxl keeps for the macros (``keep_vba``). Left open,
    the garbage collector may close its buffer first, and ``ZipFile.__del__`` then prints
    a Python trace (« Exception ignored in… I/O operation on closed file »)."""
    archive = getattr(workbook, "vba_archive", None)
    if archive is not None:
        archive.close()
        workbook.vba_archive = None


def action_ids(plan) -> dict[tuple[str, int], str]:
    """(folded sheet name, Excel row) -> ID action, for every row of a table sheet that has one."""
    ids: dict[tuple[str, int], str] = {}
    for table in plan.tables:
        if "id_action" not in table.sheet.keys or table.origin is None:
            continue
        position = table.sheet.position("id_action")
        name = fold(table.sheet.name)
        for index, row in enumerate(table.rows):
            if row[position] not in (None, ""):
                ids[(name, table.excel_row(index))] = str(row[position])
    return ids


def _read_ids(source: Path) -> dict[tuple[str, int], str]:
    """The ID action of each row of ``source`` (none if it cannot be read again)."""
    from ..errors import CtgxlError
    from ..reader import read_plan

    try:
        return action_ids(read_plan(source))
    except CtgxlError:
        return {}


def control_rows(findings: Iterable[Finding],
                 ids: dict[tuple[str, int], str] | None = None) -> list[tuple[Finding, tuple]]:
    """(finding, values of its « Contrôles » row), erreurs first, in reading order within a
    severity; the values follow ``CONTROL_COLUMNS``."""
    ids = ids or {}
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, len(SEVERITIES)))
    rows = []
    for f in ordered:
        ident = ids.get((fold(f.sheet), f.row)) if f.sheet and f.row else None
        rows.append((f, (f.severity, f.sheet, f.cell, ident, code_label(f.code), f.header,
                         f.value, f.message, f.suggestion, f.code)))
    return rows


def totals_line(findings: Iterable[Finding]) -> str:
    """« 3 erreurs, 205 avertissements, 0 information »."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return ", ".join((plural(counts["erreur"], "erreur"),
                      plural(counts["avertissement"], "avertissement"),
                      plural(counts["information"], "information")))


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


def add_control_sheet(workbook, findings: list[Finding], *,
                      ids: dict[tuple[str, int], str] | None = None, title: str = "") -> None:
    """A first sheet « Contrôles »: title, totals, then one row per finding linked to its cell."""
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    from ..styles import (HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT, LINK_FONT,
                          TITLE_FONT, font, print_setup, set_style, style_of)
    from ..template import row_height

    if CONTROL_SHEET in workbook.sheetnames:
        del workbook[CONTROL_SHEET]
    sheets = _sheet_lookup(workbook)
    ws = workbook.create_sheet(CONTROL_SHEET, 0)
    ws.cell(1, 1, _clean(f"Contrôles du classeur « {title} »" if title else
                         "Contrôles du classeur")).font = TITLE_FONT
    ws.cell(2, 1, totals_line(findings)).font = font(bold=True, size=12)
    ws.cell(3, 1, "Erreurs d'abord (à corriger), puis avertissements (à vérifier) et "
                  "informations. Un clic sur la cellule (colonne « Cellule ») y mène : elle "
                  "est colorée et commentée.").font = font(italic=True, color="595959")
    widths = [w * 0.9 for _, w in CONTROL_COLUMNS]   # measured narrower: words wrap early
    for index, (text, width) in enumerate(CONTROL_COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, index, text)
        cell.fill, cell.font, cell.alignment, cell.border = (HEADER_FILL, HEADER_FONT,
                                                             HEADER_ALIGN, HEADER_BORDER)
        ws.column_dimensions[get_column_letter(index)].width = width
    line = Side(style="thin", color="BFBFBF")
    grid = Border(left=line, right=line, top=line, bottom=line)
    wrap = Alignment(wrap_text=True, vertical="top")
    fonts = {LINK_COLUMN: LINK_FONT, len(CONTROL_COLUMNS): font(color="7F7F7F", size=9)}
    styles: dict[tuple, object] = {}   # style arrays, copied cell to cell (fast)
    rows = control_rows(findings, ids)
    for row, (f, values) in enumerate(rows, start=HEADER_ROW + 1):
        values = tuple(_clean(v) for v in values)
        name = sheets.get(fold(f.sheet or ""))
        linked = bool(name and f.cell)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            if cell.data_type == "f":
                cell.data_type = "s"  # a value that starts with « = » is shown, not computed
            key = (col, f.severity if col == 1 else None, linked and col == LINK_COLUMN)
            if key in styles:
                set_style(cell, styles[key])
                continue
            cell.alignment, cell.border = wrap, grid
            if col == 1 and f.severity in SEVERITY_COLOURS:
                cell.fill = PatternFill("solid", fgColor=SEVERITY_COLOURS[f.severity])
            if col in fonts and (col != LINK_COLUMN or linked):
                cell.font = fonts[col]
            styles[key] = style_of(cell)
        height = row_height(values, widths)
        if height:
            ws.row_dimensions[row].height = height
        if linked:
            target = ws.cell(row, LINK_COLUMN)
            quoted = name.replace("'", "''")
            target.hyperlink = Hyperlink(ref=target.coordinate,
                                         location=f"'{quoted}'!{f.cell.split(':')[0]}",
                                         display=f.cell)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    print_setup(ws, landscape=True, title="CTG — contrôles")
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    last = get_column_letter(len(CONTROL_COLUMNS))
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"
    else:
        ws.cell(HEADER_ROW + 1, 1, "Aucun constat.")
    for other in workbook.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    workbook.active = 0
    workbook.calculation.fullCalcOnLoad = True


def _clean(value: object) -> object:
    """A value the copy can hold: ``values.writable_text`` (no control characters, « � » for
    the undecodable bytes of a file name, at most 32,767 characters with a visible mark)."""
    from ..values import writable_text

    return writable_text(value)


def cut_long_cells(workbook) -> int:
    """Cut, with the visible mark, every cell of ``workbook`` longer than an Excel cell holds
    (32,767 characters: Excel « repairs » a file with more); return how many were cut.

    Only the cells the file holds are visited (openpyxl's private ``Worksheet._cells``,
    guarded by tests/test_styles_private.py): ``iter_rows`` would create every empty cell
    up to the last styled row.
    """
    from openpyxl.cell.rich_text import CellRichText

    from ..values import MAX_CELL_TEXT, writable_text

    cut = 0
    for ws in workbook.worksheets:
        for cell in ws._cells.values():
            value = cell.value
            if type(value) is not str and not isinstance(value, CellRichText):
                continue
            text = str(value)             # a rich text loses its formatting once cut
            if len(text) > MAX_CELL_TEXT and cell.data_type != "f":
                kind = cell.data_type
                cell.value = writable_text(text)
                cell.data_type = kind     # a text starting with « = » stays a text
                cut += 1
    return cut


# -- .ods inputs ------------------------------------------------------------------------------

def _ods_workbook(source: Path):
    """(openpyxl workbook, French remark) for an .ods file."""
    from openpyxl import load_workbook

    import io

    from .. import office
    from ..errors import CtgxlError

    if office.soffice():
        try:
            converted = office.convert(source.read_bytes(), ".ods", "xlsx", missing="")
        except CtgxlError:
            pass
        else:
            return load_workbook(io.BytesIO(converted), rich_text=True), \
                " (converti avec LibreOffice, mise en forme conservée)"
    return _workbook_from_values(source), \
        " (LibreOffice absent : valeurs recopiées aux mêmes cellules, sans la mise en forme)"


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
