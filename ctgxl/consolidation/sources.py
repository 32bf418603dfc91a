"""The « Sources » sheet of a master file: what each consolidated file brought.

One line per file (name as written in « Fichier source », thématique,
service, template version, rows per sheet, result of its validation), then
the checks across files. ``ctgxl split`` reads the file lines back
(``sources_from_rows``) to give each file its metadata again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..catalogue import TABLE_SHEETS
from ..findings import Finding
from ..model import Meta
from ..vocabulary import fold
from .core import Source
from .style import (BODY_FONT, CENTER, HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT,
                    INDENTED, NOTE_FONT, SECTION_FONT, SEVERITY_FILLS, TITLE_FONT, WRAP, cell,
                    print_setup, text_cell)

TITLE = "Sources"
COLUMNS = (  # header, width
    ("Fichier source", 30), ("Thématique", 24), ("Service", 24), ("Version du modèle", 10),
    ("Version du schéma", 10), *((f"Lignes {s.name}", 9) for s in TABLE_SHEETS),
    ("Contrôle du fichier", 34), ("Colonnes ajoutées", 34),
)
ADDED_SEPARATOR = " ; "
FINDING_COLUMNS = ("Gravité", "Code", "Fichier", "Cellule", "Constat", "Suggestion")


def build_sources_sheet(sources: Sequence[Source], findings: Sequence[Finding],
                        validation: Mapping[str, str] | None = None):
    """An ``ExtraSheet`` listing ``sources`` and the checks across files."""
    from ..template import ExtraSheet

    validation = validation or {}

    def build(ws) -> None:
        from openpyxl.utils import get_column_letter

        widths = [w for _, w in COLUMNS]
        widths[-2] = max(widths[-2], 60)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "B4"
        print_setup(ws, landscape=True, title="CTG — fichier de pilotage")
        ws.append([cell(ws, "Fichiers consolidés", TITLE_FONT)])
        ws.append([cell(ws, "Chaque ligne du fichier de pilotage indique dans « Fichier source » "
                            "et « Ligne source » d'où elle vient. « ctgxl split » relit ce tableau "
                            "pour rendre à chaque service son classeur.", NOTE_FONT)])
        ws.row_dimensions[3].height = 30
        ws.append([_header(ws, h) for h, _ in COLUMNS])
        for source in sources:
            meta = source.meta
            status = validation.get(source.name)
            # a file with erreurs stands out: its name and its result in the erreur colour
            marked = SEVERITY_FILLS["erreur"] if status and "erreur" in status else (
                SEVERITY_FILLS["avertissement"] if status and "avertissement" in status
                else None)
            ws.append([cell(ws, source.name, BODY_FONT, fill=marked if marked is
                            SEVERITY_FILLS["erreur"] else None),
                       meta.thematique, meta.service,
                       cell(ws, meta.template_version, BODY_FONT, alignment=CENTER),
                       cell(ws, meta.schema_version, BODY_FONT, alignment=CENTER),
                       *(cell(ws, source.rows.get(s.key, 0), BODY_FONT, alignment=CENTER)
                         for s in TABLE_SHEETS),
                       cell(ws, status, BODY_FONT, fill=marked, alignment=INDENTED),
                       cell(ws, _added_text(source), BODY_FONT, alignment=INDENTED)])
        ws.append([])
        ws.append([cell(ws, "Points d'attention entre fichiers", SECTION_FONT)])
        if not findings:
            ws.append([cell(ws, "Aucun : pas d'identifiant en double, de thématique déclarée "
                                "deux fois, de listes ou de versions différentes, ni d'intitulé "
                                "contradictoire.", NOTE_FONT)])
            return
        ws.append([_header(ws, h) for h in FINDING_COLUMNS])
        for finding in findings:
            fill = SEVERITY_FILLS.get(finding.severity)
            ws.append([cell(ws, finding.severity, BODY_FONT, fill=fill), finding.code,
                       text_cell(ws, finding.file), finding.where or None,
                       cell(ws, finding.message, BODY_FONT, alignment=WRAP),
                       cell(ws, finding.suggestion, BODY_FONT, alignment=WRAP)])

    return ExtraSheet(TITLE, build)


def _added_text(source: Source) -> str | None:
    """« Actions : Budget prévisionnel ; Quartier » (one line per sheet), None without any."""
    by_key = {s.key: s.name for s in TABLE_SHEETS}
    lines = [f"{by_key[key]} : {ADDED_SEPARATOR.join(headers)}"
             for key, headers in source.columns.items() if headers]
    return "\n".join(lines) or None


def _added_columns(text: str | None) -> dict[str, tuple[str, ...]]:
    by_name = {fold(s.name): s.key for s in TABLE_SHEETS}
    columns = {}
    for line in (text or "").splitlines():
        name, _, headers = line.partition(" : ")
        key = by_name.get(fold(name))
        if key is not None:
            columns[key] = tuple(h.strip() for h in headers.split(ADDED_SEPARATOR.strip())
                                 if h.strip())
    return columns


def _header(ws, text: str):
    return cell(ws, text, HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN,
                border=HEADER_BORDER)


def sources_from_rows(rows: Sequence[Sequence[object]]) -> tuple[Source, ...]:
    """The file lines of a « Sources » sheet read back (values as a reader gives them)."""
    headers = {fold(h): i for i, (h, _) in enumerate(COLUMNS)}
    start = None
    for index, row in enumerate(rows[:10]):
        if row and isinstance(row[0], str) and fold(row[0]) == fold(COLUMNS[0][0]):
            start = index
            break
    if start is None:
        return ()
    position = {}
    for col, value in enumerate(rows[start]):
        if isinstance(value, str) and fold(value) in headers:
            position[headers[fold(value)]] = col
    if 0 not in position:
        return ()

    def value(row, i):
        col = position.get(i)
        raw = row[col] if col is not None and col < len(row) else None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        return str(raw).strip() if raw not in (None, "") else None

    sources = []
    for row in rows[start + 1:]:
        name = value(row, 0)
        if name is None:
            break
        counts = {}
        for k, sheet in enumerate(TABLE_SHEETS, start=5):
            found = value(row, k)
            counts[sheet.key] = int(found) if found and found.isdigit() else 0
        sources.append(Source(name, Meta(thematique=value(row, 1), service=value(row, 2),
                                         template_version=value(row, 3),
                                         schema_version=value(row, 4)), counts,
                              _added_columns(value(row, len(COLUMNS) - 1))))
    return tuple(sources)


def statuses_from_rows(rows: Sequence[Sequence[object]]) -> dict[str, str | None]:
    """File name -> its « Contrôle du fichier » text in a « Sources » sheet read back
    (« conforme », « 3 erreurs, 11 avertissements », None when not recorded)."""
    header = fold(COLUMNS[0][0])
    wanted = fold("Contrôle du fichier")
    for index, row in enumerate(rows[:10]):
        if row and isinstance(row[0], str) and fold(row[0]) == header:
            break
    else:
        return {}
    column = next((c for c, v in enumerate(rows[index]) if isinstance(v, str)
                   and fold(v) == wanted), None)
    out: dict[str, str | None] = {}
    for row in rows[index + 1:]:
        name = row[0] if row else None
        if name in (None, ""):
            break
        status = row[column] if column is not None and column < len(row) else None
        out[str(name).strip()] = str(status).strip() if status not in (None, "") else None
    return out
