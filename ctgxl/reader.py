"""Read a filled workbook (.xlsx, .xlsm, .ods) into a ``Plan``.

Values are read with python-calamine (fast, no styles). The reader is
tolerant of what people do to a workbook and says what it interpreted, as
``Plan.notes``:

- sheets and headers are matched ignoring case, accents, punctuation and
  spacing, and known synonyms are accepted (Pilote ≈ Porteur, Public cible ≈
  Public visé, Calendrier ≈ Échéances…); columns may be in any order;
- the header row may sit below a title (the first ten rows are searched);
- blank rows are skipped; merged cells of hierarchy columns (thématique,
  axe, objectif) are filled down;
- numbers typed where text is expected keep their text ("1.1" stays "1.1"),
  dates in text columns become JJ/MM/AAAA, spaces around values are removed.

What cannot be used raises ``UnusableInputError`` with one French sentence:
not a workbook (see ``sniff``), no « Actions » sheet, no « ID action »
column, unknown template version.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from .catalogue import (ACTIONS, INDICATEURS, KNOWN_TEMPLATE_VERSIONS, META_FIELDS, META_SHEET,
                        SUIVI, TABLE_SHEETS, TEMPLATE_VERSION, Sheet)
from .errors import UnusableInputError
from .findings import Finding
from .model import Meta, Origin, Plan, Table, column_letter
from .sniff import inspect
from .territory import normalize_code
from .values import normalize_column
from .vocabulary import fold
from .wording import plural

HEADER_SEARCH_ROWS = 10
# Longer cells are data, not headers: they are not even folded when looking for the header row.
MAX_HEADER_LENGTH = 80


def open_workbook(path: str | os.PathLike[str]):
    """A python-calamine workbook, or UnusableInputError saying why there is none.

    A workbook whose sheets end with a large run of empty rows (LibreOffice Calc writes them
    down to row 1,048,576 after « Supprimer des lignes ») is read from a copy in memory
    without them (``sheetscan.trimmed_copy``)."""
    return _open_workbook(Path(path))[0]


def _open_workbook(p: Path):
    """(python-calamine workbook, kind of workbook): the file is scanned once."""
    from python_calamine import CalamineWorkbook

    kind, source = readable_source(p)
    try:
        if not isinstance(source, Path):
            return CalamineWorkbook.from_filelike(source), kind
        if _by_content(p, kind):
            with p.open("rb") as handle:
                return CalamineWorkbook.from_filelike(handle), kind
        return CalamineWorkbook.from_path(str(p)), kind
    except Exception as exc:  # noqa: BLE001 - calamine raises several unrelated types
        raise UnusableInputError(p, f"classeur illisible ou endommagé ({_short(exc)})") from None


def readable_source(path: Path):
    """(kind, source): the kind of workbook at ``path`` and ``path`` itself or, for an
    .xlsx/.xlsm whose sheets end with a large run of empty structure, a file object of a copy
    in memory without it (for python-calamine and openpyxl alike). UnusableInputError when
    the file is no usable workbook."""
    from .sheetscan import needs_trimming, trimmed_copy

    found = inspect(path)
    if needs_trimming(found.sheets):
        try:
            return found.kind, trimmed_copy(path, found.sheets)
        except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise UnusableInputError(path, f"classeur illisible ou endommagé "
                                           f"({_short(exc)})") from None
    return found.kind, path


def _by_content(p: Path, kind: str) -> bool:
    """python-calamine picks its reader by the file's extension: a .xlsx named .ods (or the
    reverse), and a name the system cannot pass on as UTF-8 (Latin-1 names on an old disk),
    are opened from their bytes, where calamine recognises the format itself."""
    suffix = p.suffix.lower().lstrip(".")
    if (suffix == "ods") != (kind == "ods") or suffix not in ("xlsx", "xlsm", "ods"):
        return True
    try:
        str(p).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_plan(path: str | os.PathLike[str]) -> Plan:
    """The plan held by the workbook at ``path``."""
    p = Path(path)
    workbook, kind = _open_workbook(p)
    merged = None
    if kind == "ods":   # python-calamine gives no merged cells for .ods
        from .odsmerge import merged_ranges

        merged = merged_ranges(p)
    try:
        return _read_workbook(p, workbook, merged)
    finally:
        workbook.close()


def read_grids(source: str, grids: Mapping[str, Sequence[Sequence[object]]],
               merged: Mapping[str, Sequence[str]] | None = None) -> Plan:
    """The plan held by sheets already in memory: sheet name -> rows of raw cell values.

    For values that do not come from a file, such as an Excel add-in's request
    (rows start at cell A1). Sheets and headers are matched and values
    normalised exactly as by ``read_plan``; ``merged`` gives each sheet's merged
    ranges (« B2:B5 »), read by the same rule as in a file (``_fill_merged``).
    ``source`` names the workbook in messages and findings.
    """
    return _read_workbook(Path(source), _GridWorkbook(grids, merged or {}))


class _GridWorkbook:
    """In-memory sheets with the part of python-calamine's interface the reader uses."""

    def __init__(self, grids: Mapping[str, Sequence[Sequence[object]]],
                 merged: Mapping[str, Sequence[str]]) -> None:
        self._grids = grids
        self._merged = merged
        self.sheet_names = list(grids)

    def get_sheet_by_name(self, name: str) -> _Grid:
        return _Grid(self._grids[name], [bounds for ref in self._merged.get(name, ())
                                         if (bounds := range_bounds(ref))])


class _Grid:
    def __init__(self, rows: Sequence[Sequence[object]], merged: list) -> None:
        self._rows = rows
        self.merged_cell_ranges = merged   # ((row, column), (row, column)), 0-based

    def to_python(self, skip_empty_area: bool = False) -> list[list]:
        return [list(row) for row in self._rows]


_RANGE = re.compile(r"^(?:.*!)?\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


def range_bounds(ref: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((row, column), (row, column)), 0-based, of « B2:C5 » (or « Feuil1!$B$2:$C$5 »),
    as python-calamine gives merged ranges; None for anything else."""
    from .model import column_index

    match = _RANGE.match(str(ref).strip().upper())
    if not match:
        return None
    c0, r0, c1, r1 = match.groups()
    c1, r1 = c1 or c0, r1 or r0
    return ((int(r0) - 1, column_index(c0) - 1), (int(r1) - 1, column_index(c1) - 1))


def _read_workbook(p: Path, workbook, merged_by_sheet: dict | None = None) -> Plan:
    """``merged_by_sheet``: each sheet's merged ranges when python-calamine does not know
    them (.ods)."""
    by_fold = {fold(name): name for name in workbook.sheet_names}
    notes: list[Finding] = []
    source = str(p)

    if fold(ACTIONS.name) not in by_fold:
        found = ", ".join(f"« {n} »" for n in workbook.sheet_names) or "aucune"
        raise UnusableInputError(
            p, f"pas de feuille « {ACTIONS.name} » : ce n'est pas un classeur du plan CTG "
               f"(feuilles trouvées : {found})")
    meta = _read_meta(p, workbook, by_fold, notes)
    tables = {}
    for sheet in TABLE_SHEETS:
        name = by_fold.get(fold(sheet.name))
        if name is None:
            tables[sheet.key] = Table(sheet)
            notes.append(Finding(
                "feuille-absente", "erreur" if sheet.required else "information",
                f"La feuille « {sheet.name} » est absente.", file=source, sheet=sheet.name))
            continue
        try:
            grid = workbook.get_sheet_by_name(name)
            rows = grid.to_python(skip_empty_area=False)
            merged = grid.merged_cell_ranges or (merged_by_sheet or {}).get(name) or []
        except Exception as exc:  # noqa: BLE001
            if "boolean" not in str(exc).lower() or not isinstance(p, Path) or not p.is_file():
                raise UnusableInputError(p, f"feuille « {name} » illisible ({_short(exc)})") \
                    from None
            rows, merged = _with_booleans_repaired(p, name)
            notes.append(Finding(
                "booleen-invalide", "avertissement",
                f"Feuille « {name} » : une cellule marquée « vrai/faux » contient une autre "
                "valeur ; elle est lue comme texte.", file=source, sheet=name))
        tables[sheet.key] = _read_table(p, sheet, name, rows, merged, notes)
    if meta.template_version in MIGRATIONS:
        notes = _migrated(meta.template_version, notes, source)
    return Plan(meta=meta, source=source, notes=tuple(notes), **tables)


_BAD_BOOLEAN = re.compile(rb'(<c\b[^>]*?)\bt="b"([^>]*><v>)(?![01]</v>)')


def _with_booleans_repaired(p: Path, name: str) -> tuple[list[list], list]:
    """The rows of sheet ``name`` read from a copy in memory where every « boolean » cell
    whose value is not 0 or 1 (python-calamine refuses the whole sheet) is a text cell."""
    import io

    from python_calamine import CalamineWorkbook

    out = io.BytesIO()
    try:
        with zipfile.ZipFile(readable_source(p)[1]) as source, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename.startswith("xl/worksheets/") and b't="b"' in data:
                    data = _BAD_BOOLEAN.sub(rb'\1t="str"\2', data)
                copy.writestr(info, data)
        out.seek(0)
        workbook = CalamineWorkbook.from_filelike(out)
        try:
            grid = workbook.get_sheet_by_name(name)
            return grid.to_python(skip_empty_area=False), grid.merged_cell_ranges or []
        finally:
            workbook.close()
    except Exception as exc:  # noqa: BLE001
        raise UnusableInputError(p, f"feuille « {name} » illisible ({_short(exc)})") from None


# What a workbook of an older template lacks, by version: (sheet, header or None for the
# whole sheet). Reading it is a migration: what is missing is added empty, said once.
MIGRATIONS = {
    "1.0": ((INDICATEURS.name, None), (SUIVI.name, SUIVI.column("numero_indicateur").header)),
    "1.1": (),
}
# What the note of a migration says is read empty, by version.
_TERRITORY_LACK = ("son territoire (nom et code SIREN ou INSEE, modèle 1.2) n'y est pas "
                   "indiqué : il est pris dans les règles ([convention] territoire et "
                   "code_territoire) quand elles le donnent")
MIGRATION_LACKS = {
    "1.0": (f"la feuille « {INDICATEURS.name} » et la colonne "
            f"« {SUIVI.column('numero_indicateur').header} » du Suivi (modèle 1.1) sont lues "
            f"vides, et {_TERRITORY_LACK}"),
    "1.1": _TERRITORY_LACK[0].upper() + _TERRITORY_LACK[1:],
}


def _migrated(version: str, notes: list[Finding], source: str) -> list[Finding]:
    missing = set(MIGRATIONS[version])
    kept = [n for n in notes if not (
        (n.code == "feuille-absente" and (n.sheet, None) in missing)
        or (n.code == "colonne-absente" and (n.sheet, n.header) in missing))]
    kept.insert(0, Finding(
        "modele-anterieur", "information",
        f"Classeur au modèle {version} : {MIGRATION_LACKS[version]} ; tout classeur que ctgxl "
        f"écrit à partir de celui-ci est au modèle {TEMPLATE_VERSION}.", file=source))
    return kept


def _read_meta(p: Path, workbook, by_fold: dict[str, str], notes: list[Finding]) -> Meta:
    name = by_fold.get(fold(META_SHEET))
    if name is None:
        notes.append(Finding(
            "parametres-absents", "information",
            f"Feuille cachée « {META_SHEET} » absente : classeur supposé au modèle "
            f"{TEMPLATE_VERSION}.", file=str(p)))
        return Meta(template_version=None)
    labels = {fold(label): key for key, label in META_FIELDS}
    values: dict[str, str | None] = {}
    try:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - a damaged part (shared strings missing…)
        raise UnusableInputError(p, f"feuille cachée « {META_SHEET} » illisible "
                                    f"({_short(exc)})") from None
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and fold(row[0]) in labels:
            raw = row[1]
            if labels[fold(row[0])] == "code_territoire":
                values["code_territoire"] = normalize_code(raw)   # 244000865.0 -> "244000865"
                continue
            if isinstance(raw, float) and raw.is_integer():
                raw = f"{raw:.1f}"  # a version typed as a number: 1 -> "1.0"
            values[labels[fold(row[0])]] = str(raw).strip() if raw not in (None, "") else None
    version = values.get("template_version")
    if version not in KNOWN_TEMPLATE_VERSIONS:
        known = ", ".join(sorted(KNOWN_TEMPLATE_VERSIONS))
        shown = f"« {version} »" if version else "absente"
        raise UnusableInputError(
            p, f"version du modèle {shown} inconnue (versions prises en charge : {known}) : "
               "mettez ctgxl à jour ou repartez du modèle fourni par la coordination")
    return Meta(thematique=values.get("thematique"), service=values.get("service"),
                template_version=version, schema_version=values.get("schema_version"),
                territoire=values.get("territoire"), code_territoire=values.get("code_territoire"))


@cache
def _header_lookup(sheet: Sheet) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in sheet.columns:
        for label in (column.header, *column.synonyms):
            lookup.setdefault(fold(label), column.key)
    return lookup


def _read_table(p: Path, sheet: Sheet, name: str, rows: list[list], merged,
                notes: list[Finding]) -> Table:
    source = str(p)
    lookup = _header_lookup(sheet)
    header_index, positions, unknown = _find_header(rows, lookup)
    if header_index is None:
        if any(any(v not in (None, "") for v in r) for r in rows):
            if sheet is ACTIONS:
                raise UnusableInputError(
                    p, f"feuille « {name} » : ligne d'en-têtes introuvable (aucun titre de colonne "
                       f"reconnu, par exemple « {ACTIONS.column('id_action').header} »)")
            notes.append(Finding("en-tetes-introuvables", "erreur",
                                 f"Feuille « {name} » : aucun titre de colonne reconnu.",
                                 file=source, sheet=sheet.name))
        return Table(sheet, (), Origin((), {}))
    header_row = header_index + 1
    if "id_action" in sheet.index and "id_action" not in positions and unknown:
        renamed = _renamed_id(sheet, rows, header_index, unknown)
        if renamed is not None:
            col, text, evidence = renamed
            positions["id_action"] = col
            unknown = [u for u in unknown if u[0] != col]
            header = sheet.column("id_action").header
            cell = f"{column_letter(col + 1)}{header_row}"
            notes.append(Finding(
                "colonne-renommee", "erreur",
                f"Colonne « {header} » introuvable : la colonne « {text} » est lue à sa place "
                f"({evidence}). Renommez l'en-tête « {text} » en « {header} ».",
                file=source, sheet=sheet.name, cell=cell, row=header_row,
                column=column_letter(col + 1), header=header, value=text,
                suggestion=header))
    added: list[tuple[int, str]] = []
    for col, text in unknown:
        cell = f"{column_letter(col + 1)}{header_row}"
        if fold(text) in lookup:  # a second column for a canonical one: which to trust?
            notes.append(Finding(
                "colonne-inconnue", "avertissement",
                f"Colonne « {text} » en double : seule la première est lue, le contenu de "
                "celle-ci est ignoré.", file=source, sheet=sheet.name, cell=cell,
                row=header_row, column=column_letter(col + 1), value=text))
        else:
            added.append((col, text))
            notes.append(Finding(
                "colonne-ajoutee", "information",
                f"Colonne « {text} » ajoutée au modèle : conservée telle quelle (consolidation, "
                "découpage, fusion, comparaison), sans contrôle.", file=source,
                sheet=sheet.name, cell=cell, row=header_row, column=column_letter(col + 1),
                value=text))
    for column in sheet.columns:
        if column.key not in positions:
            if sheet is ACTIONS and column.key == "id_action":
                found = ", ".join(f"« {r} »" for r in rows[header_index] if r not in (None, ""))
                raise UnusableInputError(
                    p, f"feuille « {name} » : colonne « {column.header} » introuvable "
                       f"(en-têtes trouvés : {found})")
            notes.append(Finding(
                "colonne-absente", "erreur" if column.required else "avertissement",
                f"Colonne « {column.header} » absente de la feuille « {sheet.name} ».",
                file=source, sheet=sheet.name, header=column.header))

    base_width = len(sheet.columns)
    if added:
        headers = _unique_headers(text for _, text in added)
        sheet = sheet.with_extras(headers)
        for (col, _), column in zip(added, sheet.columns[base_width:]):
            positions[column.key] = col

    if merged:
        rows = _fill_merged(sheet, name, rows, merged, positions, header_index, source, notes)

    # Blank rows go first (cheaply, before any per-cell work): a stray value at row
    # 1,048,576 must not cost a million rows of normalisation. "" and None are falsy;
    # a row holding only the number 0 is kept.
    kept = [(n, r) for n, r in enumerate(rows[header_index + 1:], start=header_row + 1)
            if any(r) or 0 in r]
    numbers = [n for n, _ in kept]
    data = [r for _, r in kept]
    width = max((len(r) for r in data), default=0)
    if any(len(r) != width for r in data):
        data = [list(r) + [None] * (width - len(r)) for r in data]
    by_column = list(zip(*data)) if data else []
    blank = [None] * len(data)
    columns = [normalize_column(c, by_column[positions[c.key]])
               if positions.get(c.key, width) < width else blank for c in sheet.columns]
    out_rows = list(zip(*columns)) if data else []
    # content only in added columns does not make an action
    ignored = [i for i, row in enumerate(out_rows) if row[:base_width].count(None) == base_width]
    if ignored:  # rows with text only in unknown or added columns, or only spaces
        canonical = {positions[c.key] for c in sheet.columns[:base_width] if c.key in positions}
        other = [i for i in range(width) if i not in canonical]
        for i in ignored:
            if any(data[i][j] not in (None, "") for j in other):
                notes.append(Finding(
                    "ligne-hors-colonnes", "avertissement",
                    "Ligne ignorée : elle n'a de contenu que dans des colonnes hors modèle.",
                    file=source, sheet=sheet.name, row=numbers[i]))
        skip = set(ignored)
        out_rows = [row for i, row in enumerate(out_rows) if i not in skip]
        numbers = [n for i, n in enumerate(numbers) if i not in skip]
    origin_rows = numbers
    letters = {key: column_letter(i + 1) for key, i in positions.items()}
    return Table(sheet, tuple(out_rows), Origin(tuple(origin_rows), letters))


def _renamed_id(sheet: Sheet, rows: list[list], header_index: int,
                unknown: list[tuple[int, str]]) -> tuple[int, str, str] | None:
    """(position, header, evidence) of the unknown column that stands for « ID action »
    (``renamed``): the key of every row, without which nothing can be compared."""
    from .renamed import is_id_action, recognise

    data = rows[header_index + 1:]
    candidates = [(text, [r[col] for r in data if col < len(r)]) for col, text in unknown]
    found = recognise([sheet.column("id_action")], candidates, {"id_action": is_id_action})
    if not found:
        return None
    col, text = unknown[found[0].position]
    return col, text, found[0].evidence


def _unique_headers(texts) -> list[str]:
    """Headers of added columns, made distinct (Excel tables need distinct headers)."""
    seen: set[str] = set()
    out = []
    for text in texts:
        header, n = text, 2
        while fold(header) in seen:
            header, n = f"{text} ({n})", n + 1
        seen.add(fold(header))
        out.append(header)
    return out


def _find_header(rows: list[list], lookup: dict[str, str]):
    """Index of the header row, column key -> position, unknown (position, text)."""
    best = (0, None)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for v in row
                   if isinstance(v, str) and len(v) <= MAX_HEADER_LENGTH and fold(v) in lookup)
        if hits > best[0]:
            best = (hits, index)
    if best[1] is None:
        return None, {}, []
    index = best[1]
    positions: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for col, value in enumerate(rows[index]):
        if value in (None, ""):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a header typed as a number: 2024, not 2024.0
        key = lookup.get(fold(str(value)))
        if key is None or key in positions:
            unknown.append((col, " ".join(str(value).split())))
        else:
            positions[key] = col
    return index, positions, unknown


def _fill_merged(sheet: Sheet, name: str, rows: list[list], merged, positions: dict[str, int],
                 header_index: int, source: str, notes: list[Finding]) -> list[list]:
    """Apply the one rule of merged cells, in files and in the add-in alike: the top-left
    cell's value is read, never a value hidden under the merge (LibreOffice can keep them:
    « conserver le contenu des cellules masquées »), which is reported then emptied. A range
    of hierarchy columns only (thématique, axe, objectif) is filled down with the value: it
    is the value of each of its rows; any other range keeps its value in its first cell."""
    by_position = {i: sheet.column(k) for k, i in positions.items()}
    rows = [list(r) for r in rows]
    for (r0, c0), (r1, c1) in merged:
        if r0 <= header_index or r0 >= len(rows):
            continue   # headers merged over a title are read as they are
        area = f"{column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1}"
        top_left = rows[r0][c0] if c0 < len(rows[r0]) else None
        hidden = []
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if (r, c) != (r0, c0) and rows[r][c] not in (None, ""):
                    hidden.append((f"{column_letter(c + 1)}{r + 1}", rows[r][c]))
                    rows[r][c] = None
        if hidden:
            shown = " ; ".join(f"« {value} » en {ref}" for ref, value in hidden[:3])
            more = f" et {plural(len(hidden) - 3, 'autre')}" if len(hidden) > 3 else ""
            verb = ("masqué par la fusion, n'est pas lu" if len(hidden) == 1
                    else "masqués par la fusion, ne sont pas lus")
            notes.append(Finding(
                "valeur-masquee", "avertissement",
                f"Cellules fusionnées {area} : {shown}{more}, {verb} ; seule la première "
                "cellule l'est. Défusionnez les cellules pour garder ces valeurs.",
                file=source, sheet=sheet.name, cell=area, row=r0 + 1,
                column=column_letter(c0 + 1), value=hidden[0][1]))
        columns = [by_position.get(c) for c in range(c0, c1 + 1)]
        if all(col is not None and col.hierarchy for col in columns):
            for r in range(r0, min(r1, len(rows) - 1) + 1):
                for c in range(c0, c1 + 1):
                    while len(rows[r]) <= c:
                        rows[r].append(None)
                    rows[r][c] = top_left
            notes.append(Finding(
                "cellules-fusionnees", "information",
                f"Cellules fusionnées {area} : la valeur « {top_left} » a été recopiée sur "
                "chaque ligne.", file=source, sheet=sheet.name, cell=area,
                row=r0 + 1, column=column_letter(c0 + 1)))
        else:
            notes.append(Finding(
                "cellules-fusionnees", "avertissement",
                f"Cellules fusionnées {area} : seule la première cellule est lue ; "
                "défusionnez-les et répétez la valeur si elle vaut pour chaque ligne.",
                file=source, sheet=sheet.name, cell=area, row=r0 + 1,
                column=column_letter(c0 + 1)))
    return rows


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
